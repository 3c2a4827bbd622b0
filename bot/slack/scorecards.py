"""Scorecard modal: open (owner only), save draft, submit with inline errors, view others."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.delivery import reserve
from bot.slack.blockkit import truncate
from bot.slack.forms import ERROR_TEXT
from bot.slack.render import SAVE_DRAFT_ACTION_ID, form_view, message_payloads, view_values
from bot.slack.runtime import SlackRuntime, info_view, slack_names, team_id, user_id
from flows.feedback import (
    AlreadyDone,
    DraftSaved,
    FormErrors,
    Submitted,
    open_scorecard,
    others_scorecards,
    precheck,
    save_draft,
    submit,
)
from flows.messages import ActionId, Form, Message, Section
from flows.outbound import Refusal
from flows.state import StateError, decode_state
from storage.enums import Platform

logger = logging.getLogger(__name__)

SCORECARD_CALLBACK = "scorecard"


def _interview_id(text: str) -> int | None:
    try:
        return decode_state(text).id("interview")
    except StateError:
        return None


def _channel(body: dict[str, Any]) -> str | None:
    channel = body.get("channel") or {}
    return str(channel.get("id")) if channel.get("id") else None


def _read_only_view(message: Message) -> dict[str, Any]:
    blocks = message_payloads(message)[0]["blocks"]
    return {
        "type": "modal",
        "callback_id": "scorecard_done",
        "title": {"type": "plain_text", "text": "Scorecard"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [b for b in blocks if b.get("type") != "actions"][:100],
    }


def register_scorecards(app: AsyncApp, rt: SlackRuntime) -> None:
    @app.action(ActionId.OPEN_SCORECARD.value)
    async def open_action(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        ws, user = team_id(body), user_id(body)
        interview_id = _interview_id(str(body["actions"][0].get("value", "")))
        if interview_id is None:
            await rt.ephemeral(_channel(body), user, "This button is from an older panelbot; "
                               "use the newest reminder or App Home instead.")
            return

        async def build() -> dict[str, Any]:
            result = await rt.services.db(
                lambda s: open_scorecard(s, ws, interview_id, user, rt.services.kits)
            )
            if isinstance(result, Refusal):
                await rt.ephemeral(_channel(body), user, result.text)
                return info_view("Scorecard", result.text, callback_id="scorecard_refused")
            if isinstance(result, AlreadyDone):
                return _read_only_view(result.message)
            return form_view(result, callback_id=SCORECARD_CALLBACK)

        await rt.open_modal(body["trigger_id"], "Scorecard", build)

    @app.action(SAVE_DRAFT_ACTION_ID)
    async def draft_action(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        interview_id = _interview_id(str(view.get("private_metadata", "")))
        if interview_id is None:
            return
        raw = view_values(view["state"]["values"])
        result = await rt.services.db(
            lambda s: save_draft(s, ws, interview_id, user, raw, rt.services.kits)
        )
        if isinstance(result, Refusal):
            await rt.ephemeral(None, user, result.text)
            return
        if isinstance(result, FormErrors):
            await rt.ephemeral(None, user, "Draft not saved: " + "; ".join(result.errors.values()))
            return
        assert isinstance(result, DraftSaved)
        saved_at = rt.services.clock().strftime("%H:%M UTC")
        form = _with_note(result.form, f"Draft saved at {saved_at}. Reopen it any time.")
        await rt.client.views_update(
            view_id=view["id"], hash=view.get("hash"),
            view=form_view(form, callback_id=SCORECARD_CALLBACK),
        )

    @app.view(SCORECARD_CALLBACK)
    async def submit_view(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        try:
            state = decode_state(str(view.get("private_metadata", "")))
            interview_id = state.id("interview")
        except StateError:
            await ack(response_action="errors", errors=inline_errors(view, {"": "Outdated form; "
                      "reopen the scorecard from the latest reminder."}))
            return
        raw = view_values(view["state"]["values"])
        now = rt.services.clock()
        early = precheck(state, user, raw, rt.services.kits)
        if isinstance(early, FormErrors):
            await ack(response_action="errors", errors=inline_errors(view, early.errors))
            return
        if isinstance(early, Refusal):
            await ack(response_action="errors", errors=inline_errors(view, {"": early.text}))
            return
        answered = "owner" in state.ids
        if answered:
            await ack()  # complete per the form; stored (and re-checked) right below

        def work(store: Any) -> Any:
            result = submit(store, ws, interview_id, user, raw, rt.services.kits, now)
            if isinstance(result, Submitted) and result.outbound:
                # Reserve the confirmation in the same transaction as the scorecard.
                return result, reserve(store, ws, Platform.SLACK, result.outbound, now)
            return result, []

        result, reserved = await rt.services.db(work)
        if answered:
            if isinstance(result, FormErrors | Refusal):
                problem = result.text if isinstance(result, Refusal) else "; ".join(
                    result.errors.values())
                await rt.ephemeral(None, user, f"Your scorecard was not saved: {problem}")
            await rt.send_reserved(ws, reserved)
            return
        if isinstance(result, FormErrors):
            await ack(response_action="errors", errors=inline_errors(view, result.errors))
            return
        if isinstance(result, Refusal):
            await ack(response_action="errors", errors=inline_errors(view, {"": result.text}))
            return
        await ack()
        await rt.send_reserved(ws, reserved)

    @app.action(ActionId.VIEW_SCORECARDS.value)
    async def view_others(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        ws, user = team_id(body), user_id(body)
        interview_id = _interview_id(str(body["actions"][0].get("value", "")))
        if interview_id is None:
            return
        result = await rt.services.db(
            lambda s: others_scorecards(s, ws, interview_id, user, rt.services.kits,
                                        slack_names(s, ws))
        )
        if isinstance(result, Refusal):
            await rt.ephemeral(_channel(body), user, result.text)
            return
        await rt.dm_message(user, result)


OUTDATED_FORM = "This form is from an older panelbot; close it and start again."


async def view_state_id(ack: AsyncAck, view: dict[str, Any], name: str) -> int | None:
    """The id ``name`` from the modal's state, or ``None`` after telling the person why not."""
    try:
        return decode_state(str(view.get("private_metadata", ""))).id(name)
    except StateError:
        await ack(response_action="errors", errors=inline_errors(view, {"": OUTDATED_FORM}))
        return None


def inline_errors(view: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """Errors keyed by input blocks of the submitted view; others go under the first input."""
    block_ids = [str(b.get("block_id")) for b in view.get("blocks", []) if b.get("type") == "input"]
    placed: dict[str, str] = {}
    stray: list[str] = []
    for key, message in errors.items():
        if key in block_ids:
            placed[key] = message
        else:
            stray.append(message)
    if stray and block_ids:
        first = block_ids[0]
        placed[first] = " ".join([placed.get(first, ""), *stray]).strip()
    return {key: truncate(message, ERROR_TEXT) for key, message in placed.items()}


def _with_note(form: Form, note: str) -> Form:
    return replace(form, intro=(*form.intro, Section(text=note)))

"""Approve / Reject / More interviews on the debrief, and the reason modal behind them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.delivery import PermanentSendError, TransientSendError, reserve
from bot.slack.render import form_view, view_values
from bot.slack.runtime import SlackRuntime, slack_names, team_id, user_id
from bot.slack.scorecards import inline_errors
from flows.debriefs import Decided, confirm_decision, start_decision
from flows.decision import OUTCOME_BY_ACTION, REASON_INPUT, Outcome
from flows.messages import ActionId
from flows.outbound import Notice, Refusal
from flows.state import StateError, decode_state
from storage.enums import Platform

logger = logging.getLogger(__name__)

REASON_CALLBACK = "decision_reason"
DECISION_ACTIONS = (ActionId.APPROVE, ActionId.REJECT, ActionId.MORE_INTERVIEWS)


def register_decisions(app: AsyncApp, rt: SlackRuntime) -> None:
    for action_id in DECISION_ACTIONS:
        app.action(action_id.value)(_decision_button(rt, OUTCOME_BY_ACTION[action_id]))

    @app.view(REASON_CALLBACK)
    async def confirm(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        try:
            state = decode_state(str(view.get("private_metadata", "")))
            panel_id, outcome = state.id("panel"), Outcome(state.text("outcome"))
        except (StateError, ValueError):
            await ack(response_action="errors", errors=inline_errors(view, {"": "Outdated form."}))
            return
        reason = view_values(view["state"]["values"]).get(REASON_INPUT)
        reason_text = reason if isinstance(reason, str) else None
        now = rt.services.clock()
        await rt.directory(ws, [user])  # the approver's name goes into the post

        def work(store: Any) -> Any:
            result = confirm_decision(store, ws, user, panel_id, outcome, reason_text,
                                      rt.services.kits, slack_names(store, ws), now)
            if isinstance(result, Decided) and result.changed:
                return result, reserve(store, ws, Platform.SLACK, result.outbound, now)
            return result, []

        result, reserved = await rt.services.db(work)
        if isinstance(result, dict):
            await ack(response_action="errors", errors=inline_errors(view, result))
            return
        await ack()
        if isinstance(result, Refusal):
            await rt.ephemeral(None, user, result.text)
            return
        assert isinstance(result, Decided)
        if result.changed and result.updated_debrief is not None and result.where is not None:
            channel, ts = result.where
            try:
                await rt.deliverer.sender.update(ws, f"{channel}:{ts}", result.updated_debrief)
            except (TransientSendError, PermanentSendError) as exc:
                logger.warning("slack.debrief_update_failed", extra={"error": str(exc)})
        await rt.send_reserved(ws, reserved)
        await rt.ephemeral(result.where[0] if result.where else None, user, result.notice)


def _decision_button(rt: SlackRuntime, outcome: Outcome) -> Any:
    async def pressed(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        ws, user = team_id(body), user_id(body)
        channel = (body.get("channel") or {}).get("id")
        try:
            panel_id = decode_state(str(body["actions"][0].get("value", ""))).id("panel")
        except StateError:
            await rt.ephemeral(channel, user, "This debrief is outdated; run /debrief again.")
            return
        result = await rt.services.db(
            lambda s: start_decision(s, ws, user, panel_id, outcome, slack_names(s, ws))
        )
        if isinstance(result, Refusal | Notice):
            await rt.ephemeral(channel, user, result.text)
            return
        form = result

        async def build() -> dict[str, Any]:
            return form_view(form, callback_id=REASON_CALLBACK)

        await rt.open_modal(body["trigger_id"], form.title, build)

    pressed.__name__ = f"decision_{outcome.value}"
    return pressed

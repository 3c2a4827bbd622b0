"""Slash commands: ``/panel`` (loops and requisitions) and ``/debrief <candidate>``.

Each listener acks at once; lookups and posting happen after the ack. Errors and
refusals are ephemeral: only the person who typed the command sees them.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.slack.profiles import open_profile_form
from bot.slack.render import form_view
from bot.slack.runtime import SlackRuntime, slack_names, team_id, user_id
from flows.autoschedule import auto_panel_form
from flows.commands import CommandName, help_text, spec_for
from flows.debriefs import Choices, DebriefPosted, request_debrief
from flows.loops import new_panel_form, requisition_picker
from flows.outbound import Notice, Refusal
from flows.requisitions import ONLY_RECRUITERS, may_open_requisition, requisition_form
from storage.enums import MemberRole
from storage.models import Requisition

logger = logging.getLogger(__name__)

PANEL_CALLBACK = "panel_new"
PANEL_PICK_CALLBACK = "panel_pick"
REQUISITION_CALLBACK = "requisition_new"
AUTO_CALLBACK = "panel_auto"
SLACK_PANEL_HELP = (
    "In Slack also: `/panel auto [#N]` lets panelbot find the loop from the candidate's free "
    "windows; `/panel interviewer` edits your interviewer profile."
)
DEBRIEF_PICK_ACTION = "debrief_pick"
NOT_A_RECRUITER = (
    "Only recruiters of a requisition can create interview loops. Ask an admin to add you "
    "(`panelbot requisition create … --recruiter YOUR_ID`)."
)


def register_commands(app: AsyncApp, rt: SlackRuntime) -> None:
    @app.command("/panel")
    async def panel_command(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await open_panel_form(rt, body, respond, argument=str(body.get("text", "")).strip())

    @app.shortcut(PANEL_CALLBACK)
    async def panel_shortcut(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await open_panel_form(rt, body, None, argument="")

    @app.command("/debrief")
    async def debrief_command(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        await run_debrief(rt, body, respond, query=str(body.get("text", "")))

    @app.action(DEBRIEF_PICK_ACTION)
    async def debrief_pick(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        value = str(body["actions"][0].get("value", ""))
        await run_debrief(rt, body, respond, query="", candidate_id=int(value) if value.isdigit() else -1)


async def _reply(rt: SlackRuntime, body: dict[str, Any], respond: AsyncRespond | None, text: str,
                 blocks: list[dict[str, Any]] | None = None) -> None:
    if respond is not None:
        await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
    else:
        await rt.ephemeral(None, user_id(body), text)


async def open_panel_form(
    rt: SlackRuntime, body: dict[str, Any], respond: AsyncRespond | None, *, argument: str
) -> None:
    ws, user = team_id(body), user_id(body)
    word = argument.split(" ", 1)[0].lower() if argument else ""
    if word in {"help", "?"}:
        await _reply(rt, body, respond, help_text() + "\n" + SLACK_PANEL_HELP)
        return
    if word == "interviewer":
        await open_profile_form(rt, body)
        return
    if word == "requisition":
        allowed = await rt.services.db(lambda s: may_open_requisition(s, ws, user))
        if not allowed:
            await _reply(rt, body, respond, ONLY_RECRUITERS)
            return
        kits = [source.kit for source in rt.services.kits.sources()]
        form = requisition_form(kits, user_id=user)
        await rt.client.views_open(
            trigger_id=body["trigger_id"], view=form_view(form, callback_id=REQUISITION_CALLBACK)
        )
        return
    if word == "auto":
        await _open_auto(rt, body, respond, argument.split()[1:])
        return
    if word and not word.lstrip("#").isdigit():
        await _reply(rt, body, respond, f"Usage: `/{spec_for(CommandName.PANEL).usage}`")
        return
    requisitions: list[Requisition] = await rt.services.db(
        lambda s: s.requisitions_for_user(ws, user, MemberRole.RECRUITER)
    )
    if word:
        wanted = int(word.lstrip("#"))
        requisitions = [r for r in requisitions if r.id == wanted]
    if not requisitions:
        await _reply(rt, body, respond, NOT_A_RECRUITER)
        return
    if len(requisitions) == 1:
        requisition = requisitions[0]
        form = new_panel_form(kit=rt.services.kits.get(requisition.kit_id), requisition=requisition)
        view = form_view(form, callback_id=PANEL_CALLBACK)
    else:
        view = form_view(requisition_picker(requisitions), callback_id=PANEL_PICK_CALLBACK)
    await rt.client.views_open(trigger_id=body["trigger_id"], view=view)


async def run_debrief(
    rt: SlackRuntime, body: dict[str, Any], respond: AsyncRespond | None, *, query: str,
    candidate_id: int | None = None,
) -> None:
    ws, user = team_id(body), user_id(body)
    result = await rt.services.db(
        lambda s: request_debrief(
            s, ws, user, query, rt.services.kits, slack_names(s, ws), candidate_id=candidate_id
        )
    )
    if isinstance(result, Refusal | Notice):
        await _reply(rt, body, respond, result.text)
        return
    if isinstance(result, Choices):
        buttons = [
            {"type": "button", "action_id": DEBRIEF_PICK_ACTION, "value": str(cid),
             "text": {"type": "plain_text", "text": label[:75]}}
            for cid, label in result.candidates[:25]
        ]
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "mrkdwn", "text": result.text}},
            {"type": "actions", "block_id": "debrief_choices", "elements": buttons},
        ]
        await _reply(rt, body, respond, result.text, blocks)
        return
    assert isinstance(result, DebriefPosted)
    await _reply(rt, body, respond, result.notice)
    await rt.send(ws, [result.outbound])


async def _open_auto(
    rt: SlackRuntime, body: dict[str, Any], respond: AsyncRespond | None, rest: list[str]
) -> None:
    """``/panel auto [#N]``: the candidate-availability modal of the solver path."""
    ws, user = team_id(body), user_id(body)
    requisitions: list[Requisition] = await rt.services.db(
        lambda s: s.requisitions_for_user(ws, user, MemberRole.RECRUITER)
    )
    if rest and rest[0].lstrip("#").isdigit():
        requisitions = [r for r in requisitions if r.id == int(rest[0].lstrip("#"))]
    if not requisitions:
        await _reply(rt, body, respond, NOT_A_RECRUITER)
        return
    if len(requisitions) > 1:
        listed = ", ".join(f"#{r.id} {r.title}" for r in requisitions)
        await _reply(rt, body, respond, f"Which requisition? `/panel auto #N` ({listed}).")
        return
    requisition = requisitions[0]
    form = auto_panel_form(requisition, rt.services.kits.get(requisition.kit_id))

    async def build() -> dict[str, Any]:
        return form_view(form, callback_id=AUTO_CALLBACK)

    await rt.open_modal(body["trigger_id"], form.title, build)

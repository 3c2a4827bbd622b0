"""Typed commands on Teams: ``panel``, ``debrief <candidate>``, ``scorecard``, ``help``.

They work in the 1:1 chat and in channels (where Teams only delivers messages that
@mention panelbot; the mention is removed before parsing). Words, aliases, usage and
suggestions come from ``flows.commands``, the table Slack's slash commands use too.

Teams has no ephemeral replies: answers go into the conversation the command was typed
in, except the personal ``scorecard`` list, which always goes to the 1:1 chat.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import TurnContext

from bot.delivery import PermanentSendError, TransientSendError
from bot.teams.activity import Who, channel_id, command_text, is_personal
from bot.teams.cards import adaptive_card, text_blocks
from bot.teams.invokes import OUTDATED, TeamsAction, execute_button, message_response, task_button
from bot.teams.outgoing import card_activity, message_activities
from bot.teams.runtime import TeamsRuntime, teams_names
from flows.commands import CommandInvoked, CommandName, help_text, parse_command, spec_for
from flows.debriefs import Choices, DebriefPosted, request_debrief
from flows.home import build_home
from flows.outbound import Notice, Recipient, Refusal
from flows.requisitions import ONLY_RECRUITERS, may_open_requisition
from flows.state import StateError, decode_state, encode_state
from storage.enums import MemberRole
from storage.repository import require_id

logger = logging.getLogger(__name__)

MAX_CHOICES = 6
WELCOME = (
    "Hi, I'm panelbot. I'll send you interview briefings and scorecard reminders here, "
    "and you can type a command any time.\n\n"
)


def _usage(name: CommandName) -> str:
    return f"Usage: `{spec_for(name).usage}`"


async def handle_message(rt: TeamsRuntime, context: TurnContext, person: Who) -> None:
    """A message to panelbot: run the command in it, or say what is possible."""
    text = command_text(context.activity)
    if not text:
        if context.activity.value:  # an old Action.Submit card button, not a command
            await rt.reply(context, OUTDATED)
            return
        await rt.reply(context, help_text())
        return
    command = parse_command(text)
    if not isinstance(command, CommandInvoked):
        await rt.reply(context, command.message())
        return
    logger.info("teams.command", extra={"command": command.name.value,
                                        "workspace_id": person.workspace_id})
    if command.name is CommandName.HELP:
        await rt.reply(context, help_text())
    elif command.name is CommandName.PANEL:
        await panel(rt, context, person, command)
    elif command.name is CommandName.DEBRIEF:
        await debrief(rt, context, person, command.argument)
    else:
        await scorecards(rt, context, person)


def _button_card(text: str, button: dict[str, Any]) -> dict[str, Any]:
    return adaptive_card(text_blocks(text), [button], fallback_text=text)


async def panel(rt: TeamsRuntime, context: TurnContext, person: Who, command: CommandInvoked) -> None:
    """``panel``: a button that opens the loop dialog (``panel requisition``: a new one)."""
    ws, user = person.workspace_id, person.user_id
    word = command.words[0].lower() if command.words else ""
    if word in {"help", "?"}:
        await rt.reply(context, help_text())
        return
    if word == "requisition":
        if not await rt.services.db(lambda s: may_open_requisition(s, ws, user)):
            await rt.reply(context, ONLY_RECRUITERS)
            return
        here = channel_id(context.activity)
        state = encode_state("requisition_open", **({"channel": here} if here else {}))
        card = _button_card("Open a requisition: role, rubric kit, hiring channel and people.",
                            task_button("New requisition", TeamsAction.OPEN_REQUISITION, state))
        await rt.reply(context, card_activity(card))
        return
    if word and not word.lstrip("#").isdigit():
        await rt.reply(context, _usage(CommandName.PANEL))
        return
    requisitions = await rt.services.db(
        lambda s: s.requisitions_for_user(ws, user, MemberRole.RECRUITER)
    )
    if word:
        requisitions = [r for r in requisitions if r.id == int(word.lstrip("#"))]
    if not requisitions:
        await rt.reply(context, "Only recruiters of a requisition can create interview loops. "
                       "Ask a recruiter to add you, or open one with `panel requisition`.")
        return
    ids = {"requisition": require_id(requisitions[0])} if len(requisitions) == 1 else {}
    title = requisitions[0].title if len(requisitions) == 1 else "one of your requisitions"
    card = _button_card(f"Create a candidate's interview loop for {title}.",
                        task_button("New interview loop", TeamsAction.OPEN_PANEL,
                                    encode_state("panel_open", **ids)))
    await rt.reply(context, card_activity(card))


async def debrief(rt: TeamsRuntime, context: TurnContext, person: Who, query: str,
                  candidate_id: int | None = None) -> str:
    """``debrief <candidate>``: post the debrief to the hiring channel; returns the answer."""
    ws, user = person.workspace_id, person.user_id
    result = await rt.services.db(
        lambda s: request_debrief(s, ws, user, query, rt.services.kits, teams_names(s, ws),
                                  candidate_id=candidate_id)
    )
    if isinstance(result, Refusal | Notice):
        answer = result.text.replace("/debrief", "debrief").replace("/panel", "panel")
        await rt.reply(context, answer)
        return answer
    if isinstance(result, Choices):
        buttons = [
            execute_button(label[:80], TeamsAction.DEBRIEF_PICK,
                           encode_state("debrief_pick", candidate=cid), inputs=False)
            for cid, label in result.candidates[:MAX_CHOICES]
        ]
        await rt.reply(context, card_activity(adaptive_card(
            text_blocks(result.text), buttons, fallback_text=result.text)))
        return result.text
    assert isinstance(result, DebriefPosted)
    rt.spawn(rt.send(ws, [result.outbound]), what="debrief")
    await rt.reply(context, result.notice)
    return result.notice


async def pick_candidate(
    rt: TeamsRuntime, context: TurnContext, person: Who, data: dict[str, Any]
) -> dict[str, Any]:
    """A candidate button under "Several candidates match": debrief that one."""
    try:
        candidate = decode_state(str(data.get("state") or "")).id("candidate")
    except StateError:
        return message_response(OUTDATED)
    ws, user = person.workspace_id, person.user_id
    result = await rt.services.db(
        lambda s: request_debrief(s, ws, user, "", rt.services.kits, teams_names(s, ws),
                                  candidate_id=candidate)
    )
    if isinstance(result, DebriefPosted):
        rt.spawn(rt.send(ws, [result.outbound]), what="debrief")
        return message_response(result.notice)
    text = result.text if isinstance(result, Refusal | Notice | Choices) else OUTDATED
    return message_response(text)


async def scorecards(rt: TeamsRuntime, context: TurnContext, person: Who) -> None:
    """``scorecard``: your interviews and the scorecards waiting for you, in the 1:1 chat."""
    ws, user = person.workspace_id, person.user_id
    now = rt.services.clock()
    tz = await rt.tz_of(ws, user)
    home = await rt.services.db(
        lambda s: build_home(s, ws, user, tz, rt.services.kits, teams_names(s, ws), now)
    )
    activities = message_activities(home)
    if is_personal(context.activity):
        for activity in activities:
            await rt.reply(context, activity)
        return
    try:
        await rt.sender.post(ws, Recipient.user(user), activities)
    except (TransientSendError, PermanentSendError) as exc:
        logger.info("teams.scorecards_not_sent", extra={"error": str(exc)})
        await rt.reply(context, "I can't message you yet. Install panelbot for yourself "
                       "(Apps → search “panelbot” → Add), then type `scorecard` again.")
        return
    await rt.reply(context, "I've sent your interviews and scorecards to our 1:1 chat.")


async def welcome(rt: TeamsRuntime, context: TurnContext) -> None:
    """First words in a new 1:1 chat: what panelbot does, and the commands."""
    await rt.reply(context, WELCOME + help_text())

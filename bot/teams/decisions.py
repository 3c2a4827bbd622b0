"""Approve / Reject / More interviews on a Teams debrief, as Universal Actions.

The debrief's buttons are ``Action.Execute``. Who may decide, and recording the decision
once with its audit event, is ``flows.debriefs`` (shared with Slack); on Teams the steps
are:

1. a hiring manager clicks a decision: their copy of the card turns into the reason
   field with Confirm and Cancel (only they see it; nothing is stored yet). Anyone else
   is told that only a hiring manager of the requisition can decide; nothing changes;
2. Confirm with no reason re-renders that card with the error under the field;
3. Confirm with a reason records the decision, answers with the decided card (decision,
   who, when, no buttons) and replaces the channel post with the same card, so everyone
   sees it; the recruiters get a note through the ledger. A second confirm, or a click
   on a card decided meanwhile, shows the decided card and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from botbuilder.core import TurnContext

from bot.delivery import PermanentSendError, TransientSendError, reserve
from bot.teams.activity import TEAMS, Who
from bot.teams.cards import Card, heading_blocks
from bot.teams.dialogs import form_card
from bot.teams.forms import prefilled
from bot.teams.invokes import OUTDATED, TeamsAction, card_response, execute_button, message_response
from bot.teams.outgoing import replacement_card
from bot.teams.runtime import TeamsRuntime, teams_names
from bot.teams.sender import message_reference
from flows.debrief_message import DebriefData, build_debrief_message
from flows.debriefs import Decided, confirm_decision, decision_data, start_decision
from flows.decision import REASON_INPUT, Outcome, build_reason_form
from flows.feedback import KitSource, NameOf
from flows.messages import Form, Message
from flows.outbound import Notice, Refusal
from flows.panel_debrief import panel_debrief
from flows.state import StateError, decode_state, encode_state
from storage.repository import Store

logger = logging.getLogger(__name__)


def debrief_message(
    store: Store, ws: str, panel_id: int, kits: KitSource, name_of: NameOf
) -> Message:
    """The debrief of a panel as it stands now: with buttons until decided."""
    panel = store.get_panel(ws, panel_id)
    requisition = store.get_requisition(ws, panel.requisition_id)
    candidate = store.get_candidate(ws, panel.candidate_id)
    debrief = panel_debrief(store, ws, panel_id, kits.get(requisition.kit_id), name_of)
    decided = decision_data(store.get_decision(ws, panel_id), candidate.name,
                            requisition.title, name_of)
    message = build_debrief_message(DebriefData(
        debrief=debrief, candidate_name=candidate.name, role_title=requisition.title,
        panel_id=panel_id, decision=decided,
    ))
    if debrief.recommendation is None and decided is None:
        message = replace(message, actions=())
    return message


def reason_card(form: Form, *, panel_id: int, tz: str | None) -> Card:
    """The hiring manager's copy of the debrief: why, then Confirm or Cancel."""
    card = form_card(form, tz=tz)
    card["body"] = heading_blocks(form.title, size="Medium") + card["body"]
    card["actions"] = [
        execute_button(form.submit_label, TeamsAction.DECISION_CONFIRM, form.state,
                       style="positive"),
        execute_button(form.close_label, TeamsAction.DECISION_CANCEL,
                       encode_state("debrief", panel=panel_id), inputs=False),
    ]
    return card


async def _current_card(rt: TeamsRuntime, ws: str, panel_id: int) -> Card:
    message = await rt.services.db(
        lambda s: debrief_message(s, ws, panel_id, rt.services.kits, teams_names(s, ws))
    )
    return replacement_card(message)


async def pressed(
    rt: TeamsRuntime, person: Who, outcome: Outcome, data: dict[str, Any]
) -> dict[str, Any]:
    """A decision button: the reason field for a hiring manager, a refusal for others."""
    try:
        panel_id = decode_state(str(data.get("state") or "")).id("panel")
    except StateError:
        return message_response(OUTDATED)
    ws, user = person.workspace_id, person.user_id
    result = await rt.services.db(
        lambda s: start_decision(s, ws, user, panel_id, outcome, teams_names(s, ws))
    )
    if isinstance(result, Refusal):
        return message_response(result.text)
    if isinstance(result, Notice):  # decided meanwhile: show this person the decided card
        return card_response(await _current_card(rt, ws, panel_id))
    return card_response(reason_card(result, panel_id=panel_id, tz=person.tz))


async def cancel(rt: TeamsRuntime, person: Who, data: dict[str, Any]) -> dict[str, Any]:
    """Cancel on the reason field: back to the debrief as it stands."""
    try:
        panel_id = decode_state(str(data.get("state") or "")).id("panel")
    except StateError:
        return message_response(OUTDATED)
    return card_response(await _current_card(rt, person.workspace_id, panel_id))


async def confirm(
    rt: TeamsRuntime, person: Who, data: dict[str, Any], context: TurnContext
) -> dict[str, Any]:
    """Confirm on the reason field: record once, then refresh the card for everyone."""
    try:
        state = decode_state(str(data.get("state") or ""))
        panel_id, outcome = state.id("panel"), Outcome(state.text("outcome"))
    except (StateError, ValueError):
        return message_response(OUTDATED)
    ws, user = person.workspace_id, person.user_id
    reason = data.get(REASON_INPUT)
    reason_text = reason if isinstance(reason, str) else None
    now = rt.services.clock()

    def work(store: Store) -> Any:
        result = confirm_decision(store, ws, user, panel_id, outcome, reason_text,
                                  rt.services.kits, teams_names(store, ws), now)
        if isinstance(result, Decided) and result.changed:
            return result, reserve(store, ws, TEAMS, result.outbound, now)
        if isinstance(result, dict):
            candidate = store.get_candidate(ws, store.get_panel(ws, panel_id).candidate_id)
            return result, build_reason_form(panel_id=panel_id, outcome=outcome,
                                             candidate_name=candidate.name)
        return result, []

    result, extra = await rt.services.db(work)
    if isinstance(result, dict):
        form = prefilled(extra, {REASON_INPUT: reason_text or ""}, result)
        return card_response(reason_card(form, panel_id=panel_id, tz=person.tz))
    if isinstance(result, Refusal):
        return message_response(result.text)
    assert isinstance(result, Decided)
    if not result.changed or result.updated_debrief is None:
        return card_response(await _current_card(rt, ws, panel_id))
    card = replacement_card(result.updated_debrief)
    logger.info("teams.decision_recorded",
                extra={"workspace_id": ws, "panel_id": panel_id, "outcome": outcome.value})
    where = result.where
    if where is None and context.activity.reply_to_id and context.activity.conversation:
        # Not tracked (posted before tracking, or by hand): the card that was clicked.
        where = (str(context.activity.conversation.id), str(context.activity.reply_to_id))
    updated = result.updated_debrief

    async def refresh_and_notify() -> None:
        if where is not None:
            try:
                await rt.sender.update(ws, message_reference(*where), updated)
            except (TransientSendError, PermanentSendError) as exc:
                logger.warning("teams.debrief_update_failed", extra={"error": str(exc)})
        await rt.send_reserved(ws, extra)

    rt.spawn(refresh_and_notify(), what="decision")
    return card_response(card)

"""The Teams bot: every activity is remembered, then routed to a small handler.

* messages → :mod:`bot.teams.commands`;
* installation and conversation updates → the person and their 1:1 chat are stored
  (what proactive briefings need), with a welcome in a new 1:1 chat;
* ``task/fetch`` / ``task/submit`` (dialogs) → routed by the button's ``action_id`` and
  the dialog's encoded state;
* ``adaptiveCard/action`` (Universal Actions) → routed by ``verb``.

Invoke answers are plain dicts wrapped in an ``InvokeResponse``; the endpoint writes
them as they are (:mod:`bot.teams.endpoint`). A handler that fails answers the person
with a short apology in the same shape, never a bare 500, and the error is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler

from bot.teams import commands, decisions, loops, scorecards
from bot.teams.activity import Who, is_personal, remember
from bot.teams.dialogs import task_message
from bot.teams.invokes import (
    OUTDATED,
    TeamsAction,
    card_action,
    error_response,
    message_response,
    task_data,
)
from bot.teams.runtime import TeamsRuntime
from flows.decision import OUTCOME_BY_ACTION
from flows.messages import ActionId
from flows.state import StateError, decode_state
from storage.errors import NotFound

logger = logging.getLogger(__name__)

FETCH, SUBMIT, CARD_ACTION = "task/fetch", "task/submit", "adaptiveCard/action"
SORRY = "Sorry, something went wrong on my side; nothing was changed. Please try again."
GONE = "That no longer exists, or it is not in your organisation; nothing was changed."
Body = dict[str, Any]

#: Every button id and verb the Teams bot answers (a test presses every kind of button).
FETCH_ACTIONS = (
    ActionId.OPEN_SCORECARD, ActionId.CHANGE_LOOP, TeamsAction.OPEN_PANEL,
    TeamsAction.OPEN_REQUISITION,
)
CARD_VERBS = (
    *OUTCOME_BY_ACTION, ActionId.VIEW_SCORECARDS,
    TeamsAction.DECISION_CONFIRM, TeamsAction.DECISION_CANCEL, TeamsAction.DEBRIEF_PICK,
)


class PanelbotTeamsBot(TeamsActivityHandler):  # type: ignore[misc]  # untyped base
    """panelbot on Teams; one instance per process, state lives in storage."""

    def __init__(self, runtime: TeamsRuntime) -> None:
        self.rt = runtime

    async def on_turn(self, turn_context: TurnContext) -> None:
        person = self.rt.who(turn_context.activity)
        try:
            person = await self.rt.services.db(lambda s: remember(s, turn_context.activity, person))
        except Exception:  # the activity still deserves an answer
            logger.exception("teams.remember_failed", extra={"workspace_id": person.workspace_id})
        turn_context.turn_state["panelbot.who"] = person
        await super().on_turn(turn_context)

    def _person(self, turn_context: TurnContext) -> Who:
        person = turn_context.turn_state.get("panelbot.who")
        return person if isinstance(person, Who) else self.rt.who(turn_context.activity)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await commands.handle_message(self.rt, turn_context, self._person(turn_context))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        person = self._person(turn_context)
        logger.info("teams.installed", extra={"workspace_id": person.workspace_id,
                                              "personal": is_personal(turn_context.activity)})
        if turn_context.activity.action == "add" and is_personal(turn_context.activity):
            await commands.welcome(self.rt, turn_context)  # not again on an app upgrade

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        logger.info("teams.uninstalled", extra={"workspace_id": self._person(turn_context).workspace_id})

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        name = turn_context.activity.name or ""
        route: Callable[[TurnContext, Who], Awaitable[Body]] | None = {
            FETCH: self._fetch, SUBMIT: self._submit, CARD_ACTION: self._card_action,
        }.get(name)
        if route is None:
            response: InvokeResponse = await super().on_invoke_activity(turn_context)
            return response
        try:
            body = await route(turn_context, self._person(turn_context))
        except NotFound as exc:  # deleted since, or another tenant's id: the same to us
            logger.info("teams.invoke_not_found", extra={"invoke": name, "error": str(exc)})
            body = message_response(GONE) if name == CARD_ACTION else task_message(GONE)
        except Exception:
            logger.exception("teams.invoke_failed", extra={"invoke": name})
            body = message_response(SORRY) if name == CARD_ACTION else task_message(SORRY)
        return InvokeResponse(status=int(HTTPStatus.OK), body=body)

    async def _fetch(self, turn_context: TurnContext, person: Who) -> Body:
        data = task_data(turn_context.activity)
        action = str(data.get("action_id") or "")
        if action == ActionId.OPEN_SCORECARD:
            return await scorecards.open_dialog(self.rt, person, data)
        if action == TeamsAction.OPEN_PANEL:
            return await loops.open_panel(self.rt, person, data)
        if action == TeamsAction.OPEN_REQUISITION:
            return await loops.open_requisition_dialog(self.rt, person, data)
        if action == ActionId.CHANGE_LOOP:
            return await loops.open_change(self.rt, person, data)
        logger.info("teams.unknown_fetch", extra={"action_id": action})
        return task_message(OUTDATED)

    async def _submit(self, turn_context: TurnContext, person: Who) -> Body:
        data = task_data(turn_context.activity)
        try:
            state = decode_state(str(data.get("state") or ""))
        except StateError:
            return task_message(OUTDATED)
        if state.kind == "scorecard":
            return await scorecards.submit_dialog(self.rt, person, data)
        if state.kind == "panel_pick":
            return await loops.pick_requisition(self.rt, person, data)
        if state.kind == "panel":
            return await loops.create(self.rt, turn_context, person, data, state)
        if state.kind == "panel_edit":
            return await loops.save_changes(self.rt, turn_context, person, data, state)
        if state.kind == "requisition":
            return await loops.new_requisition(self.rt, person, data)
        logger.info("teams.unknown_submit", extra={"state_kind": state.kind})
        return task_message(OUTDATED)

    async def _card_action(self, turn_context: TurnContext, person: Who) -> Body:
        verb, data = card_action(turn_context.activity)
        if verb in {a.value for a in OUTCOME_BY_ACTION}:
            outcome = OUTCOME_BY_ACTION[ActionId(verb)]
            return await decisions.pressed(self.rt, person, outcome, data)
        if verb == TeamsAction.DECISION_CONFIRM:
            return await decisions.confirm(self.rt, person, data, turn_context)
        if verb == TeamsAction.DECISION_CANCEL:
            return await decisions.cancel(self.rt, person, data)
        if verb == ActionId.VIEW_SCORECARDS:
            return await scorecards.view_others(self.rt, person, data)
        if verb == TeamsAction.DEBRIEF_PICK:
            return await commands.pick_candidate(self.rt, turn_context, person, data)
        logger.info("teams.unknown_verb", extra={"verb": verb})
        return error_response(400, "BadRequest", OUTDATED)

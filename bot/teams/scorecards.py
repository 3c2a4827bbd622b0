"""The scorecard as a Teams dialog: open (owner only), save a draft, submit, see the others.

Authorization, independence and validation live in :mod:`flows.feedback`, shared with
Slack; this module only moves values between the dialog and those functions:

* task/fetch of "Open scorecard" opens the form, pre-filled from a saved draft;
* task/submit with "Save draft" stores the draft and shows the form again with a note;
  with "Submit" it validates: errors re-render the dialog with every value kept and
  each message under its input; success closes it. A repeated submit (double click,
  Teams retry) changes nothing and sends nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from bot.delivery import PermanentSendError, TransientSendError, reserve
from bot.teams.activity import TEAMS, Who
from bot.teams.cards import card_attachment
from bot.teams.dialogs import (
    DialogAction,
    dialog_action,
    dialog_values,
    task_continue,
    task_message,
)
from bot.teams.forms import prefilled
from bot.teams.invokes import OUTDATED, message_response
from bot.teams.outgoing import cards, message_activities
from bot.teams.runtime import TeamsRuntime, teams_names
from flows.feedback import (
    AlreadyDone,
    DraftSaved,
    FormErrors,
    Submitted,
    load_context,
    open_scorecard,
    others_scorecards,
    save_draft,
    submit,
)
from flows.messages import Form, Message, Section
from flows.outbound import Recipient, Refusal
from flows.scorecard import build_scorecard_form
from flows.state import StateError, decode_state
from flows.timefmt import format_moment
from storage.errors import NotFound
from storage.repository import Store

logger = logging.getLogger(__name__)

SUBMITTED = "Thanks! Your scorecard is in. Colleagues' scorecards are now visible to you."
ALREADY_IN = "Your scorecard was already submitted; nothing changed."


def _interview(data: dict[str, Any]) -> int | None:
    try:
        return decode_state(str(data.get("state") or "")).id("interview")
    except StateError:
        return None


def _read_only(message: Message) -> dict[str, Any]:
    """A submitted scorecard, shown in the dialog without buttons (it is final)."""
    card = cards(replace(message, actions=()))[0]
    return {"task": {"type": "continue", "value": {
        "title": "Scorecard", "height": "medium", "width": "medium",
        "card": card_attachment(card),
    }}}


async def open_dialog(rt: TeamsRuntime, person: Who, data: dict[str, Any]) -> dict[str, Any]:
    """task/fetch of "Open scorecard"."""
    interview_id = _interview(data)
    if interview_id is None:
        return task_message(OUTDATED)
    ws, user = person.workspace_id, person.user_id
    result = await rt.services.db(
        lambda s: open_scorecard(s, ws, interview_id, user, rt.services.kits)
    )
    if isinstance(result, Refusal):
        return task_message(result.text)
    if isinstance(result, AlreadyDone):
        return _read_only(result.message)
    return task_continue(result, tz=person.tz)


def _blank_form(store: Store, ws: str, interview_id: int, rt: TeamsRuntime) -> Form:
    """The form's shape (inputs), to read a submission and to show it again."""
    context = load_context(store, ws, interview_id, rt.services.kits)
    return build_scorecard_form(
        kit=context.kit, stage_key=context.interview.stage_key, interview_id=interview_id,
        candidate_name=context.candidate_name,
    )


async def submit_dialog(rt: TeamsRuntime, person: Who, data: dict[str, Any]) -> dict[str, Any]:
    """task/submit of the scorecard dialog: "Save draft" or "Submit"."""
    interview_id = _interview(data)
    try:
        action = dialog_action(data)
    except ValueError:
        action = None
    if interview_id is None or action is None:
        return task_message(OUTDATED)
    ws, user = person.workspace_id, person.user_id
    kits, now = rt.services.kits, rt.services.clock()
    try:
        form = await rt.services.db(lambda s: _blank_form(s, ws, interview_id, rt))
    except NotFound:
        return task_message("That interview no longer exists; it may have been cancelled.")
    raw = dialog_values(data, form=form, tz=person.tz)

    if action is DialogAction.SAVE_DRAFT:
        drafted = await rt.services.db(lambda s: save_draft(s, ws, interview_id, user, raw, kits))
        if isinstance(drafted, Refusal):
            return task_message(drafted.text)
        if isinstance(drafted, FormErrors):
            return task_continue(prefilled(form, raw, drafted.errors), tz=person.tz)
        assert isinstance(drafted, DraftSaved)
        note = (f"Draft saved at {format_moment(now, person.tz)}. Close this dialog and "
                "reopen it from the briefing any time; nothing is shared until you submit.")
        saved = replace(drafted.form, intro=(*drafted.form.intro, Section(text=note)))
        return task_continue(saved, tz=person.tz)

    def work(store: Store) -> Any:
        result = submit(store, ws, interview_id, user, raw, kits, now)
        if isinstance(result, Submitted) and result.outbound:
            # The confirmation is reserved in the same transaction as the scorecard.
            return result, reserve(store, ws, TEAMS, result.outbound, now)
        return result, []

    result, reserved = await rt.services.db(work)
    if isinstance(result, FormErrors):
        return task_continue(prefilled(form, raw, result.errors), tz=person.tz)
    if isinstance(result, Refusal):
        return task_message(result.text)
    assert isinstance(result, Submitted)
    if not result.created_now:
        return task_message(ALREADY_IN)
    logger.info("teams.scorecard_submitted", extra={"workspace_id": ws, "interview_id": interview_id})
    rt.spawn(rt.send_reserved(ws, reserved), what="scorecard confirmation")
    return task_message(SUBMITTED)


async def view_others(rt: TeamsRuntime, person: Who, data: dict[str, Any]) -> dict[str, Any]:
    """"See the panel's scorecards": only after submitting one's own (independence)."""
    interview_id = _interview(data)
    if interview_id is None:
        return message_response(OUTDATED)
    ws, user = person.workspace_id, person.user_id
    result = await rt.services.db(
        lambda s: others_scorecards(s, ws, interview_id, user, rt.services.kits,
                                    teams_names(s, ws))
    )
    if isinstance(result, Refusal):
        return message_response(result.text)

    async def post() -> None:
        try:
            await rt.sender.post(ws, Recipient.user(user), message_activities(result))
        except (TransientSendError, PermanentSendError) as exc:
            logger.warning("teams.scorecards_not_sent", extra={"error": str(exc)})

    rt.spawn(post(), what="panel scorecards")
    return message_response("Sending you the panel's scorecards in our chat.")

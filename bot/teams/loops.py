"""``panel`` on Teams: dialogs to open a requisition, and to create or change a loop.

A Teams bot cannot open a dialog from a typed message, so ``panel`` answers with a card
whose button fetches the dialog (:mod:`bot.teams.commands`); these are that dialog's
steps. Who may do what, and every check on the values, is in ``flows.loops`` and
``flows.requisitions``, shared with Slack. A requisition opened here lives on Teams:
its loops' invites, briefings and reminders are sent through Teams.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import TurnContext

from bot.delivery import reserve
from bot.teams.activity import TEAMS, Who
from bot.teams.dialogs import dialog_values, task_continue, task_message
from bot.teams.directory import learn_names
from bot.teams.forms import channel_from_text, prefilled
from bot.teams.invokes import OUTDATED
from bot.teams.runtime import TeamsRuntime
from flows.changes import ONLY_RECRUITERS as CHANGE_REFUSED
from flows.changes import LoopChanged, apply_loop_edit, live_interviews
from flows.loops import (
    REQUISITION_INPUT,
    create_loop,
    new_panel_form,
    parse_loop,
    requisition_picker,
)
from flows.messages import Form
from flows.outbound import Refusal
from flows.requisitions import (
    CHANNEL_INPUT,
    ONLY_RECRUITERS,
    may_open_requisition,
    open_requisition,
    requisition_form,
)
from flows.state import InteractionState, StateError, decode_state
from storage.enums import MemberRole
from storage.errors import StorageError
from storage.models import Requisition
from storage.repository import Store

logger = logging.getLogger(__name__)

NOT_A_RECRUITER = (
    "Only recruiters of a requisition can create interview loops. Ask a recruiter to add "
    "you, or open a requisition with `panel requisition`."
)
PICK_ONE = "Pick one of your requisitions."


def _state(data: dict[str, Any]) -> InteractionState | None:
    try:
        return decode_state(str(data.get("state") or ""))
    except StateError:
        return None


async def _mine(rt: TeamsRuntime, person: Who) -> list[Requisition]:
    ws, user = person.workspace_id, person.user_id
    found: list[Requisition] = await rt.services.db(
        lambda s: s.requisitions_for_user(ws, user, MemberRole.RECRUITER)
    )
    return found


async def open_panel(rt: TeamsRuntime, person: Who, data: dict[str, Any]) -> dict[str, Any]:
    """task/fetch of "New interview loop": the loop form, or first the requisition."""
    state = _state(data)
    requisitions = await _mine(rt, person)
    if state is not None and "requisition" in state.ids:
        requisitions = [r for r in requisitions if r.id == state.ids["requisition"]]
    if not requisitions:
        return task_message(NOT_A_RECRUITER)
    if len(requisitions) > 1:
        return task_continue(requisition_picker(requisitions), tz=person.tz)
    requisition = requisitions[0]
    form = new_panel_form(kit=rt.services.kits.get(requisition.kit_id), requisition=requisition)
    return task_continue(form, tz=person.tz)


async def open_requisition_dialog(
    rt: TeamsRuntime, person: Who, data: dict[str, Any]
) -> dict[str, Any]:
    """task/fetch of "New requisition", with the channel it was asked in filled in."""
    ws, user = person.workspace_id, person.user_id
    if not await rt.services.db(lambda s: may_open_requisition(s, ws, user)):
        return task_message(ONLY_RECRUITERS)
    form = requisition_form([source.kit for source in rt.services.kits.sources()], user_id=user)
    state = _state(data)
    channel = str(state.ids.get("channel") or "") if state is not None else ""
    if channel:
        form = prefilled(form, {CHANNEL_INPUT: channel})
    return task_continue(form, tz=person.tz)


async def pick_requisition(rt: TeamsRuntime, person: Who, data: dict[str, Any]) -> dict[str, Any]:
    """task/submit of the requisition picker: on to the loop form."""
    requisitions = await _mine(rt, person)
    if not requisitions:
        return task_message(NOT_A_RECRUITER)
    picker = requisition_picker(requisitions)
    chosen = str(dialog_values(data, form=picker).get(REQUISITION_INPUT) or "")
    requisition = next((r for r in requisitions if str(r.id) == chosen), None)
    if requisition is None:
        return task_continue(prefilled(picker, {}, {REQUISITION_INPUT: PICK_ONE}), tz=person.tz)
    form = new_panel_form(kit=rt.services.kits.get(requisition.kit_id), requisition=requisition)
    return task_continue(form, tz=person.tz)


async def create(
    rt: TeamsRuntime, context: TurnContext, person: Who, data: dict[str, Any],
    state: InteractionState,
) -> dict[str, Any]:
    """task/submit of the loop form: create the loop, or show what to fix."""
    ws, user = person.workspace_id, person.user_id
    try:
        requisition_id = state.id("requisition")
    except StateError:
        return task_message("This form is from an older panelbot; close it and type `panel` again.")
    now = rt.services.clock()

    def check(store: Store) -> Any:
        requisition = store.get_requisition(ws, requisition_id)
        kit = rt.services.kits.get(requisition.kit_id)
        form = new_panel_form(kit=kit, requisition=requisition)
        raw = dialog_values(data, form=form, tz=person.tz)
        if not store.is_member(ws, requisition_id, user, MemberRole.RECRUITER):
            return requisition, form, raw, None, None
        plan, errors = parse_loop(kit=kit, raw=raw, store=store, workspace_id=ws, now=now)
        return requisition, form, raw, plan, errors

    requisition, form, raw, plan, errors = await rt.services.db(check)
    if plan is None and errors is None:
        return task_message("Only recruiters of this requisition can create its loops.")
    if errors:
        return task_continue(prefilled(form, raw, errors), tz=person.tz)
    kit = rt.services.kits.get(requisition.kit_id)
    interviewers = [i.interviewer_id for i in plan.interviews]
    await learn_names(rt, context, ws, interviewers)
    directory = await rt.directory(ws, interviewers)

    def store_loop(store: Store) -> Any:
        created = create_loop(
            store=store, workspace_id=ws, kit=kit, requisition=requisition, plan=plan,
            created_by=user, directory=directory, timings=rt.services.timings(), now=now,
        )
        return created, reserve(store, ws, TEAMS, created.outbound, now)

    try:
        created, reserved = await rt.services.db(store_loop)
    except StorageError as exc:
        logger.warning("teams.loop_not_created", extra={"error": exc.message})
        return task_continue(prefilled(form, raw, {"": exc.message}), tz=person.tz)
    logger.info("teams.loop_created", extra={"workspace_id": ws, "panel_id": created.panel_id})
    rt.spawn(rt.send_reserved(ws, reserved), what="loop invites")
    return task_message(
        f"Loop created for {plan.candidate_name}: {len(plan.interviews)} interviews. "
        "Invites are on their way."
    )


async def new_requisition(rt: TeamsRuntime, person: Who, data: dict[str, Any]) -> dict[str, Any]:
    """task/submit of the requisition form."""
    ws, user = person.workspace_id, person.user_id
    kits = [source.kit for source in rt.services.kits.sources()]
    form = requisition_form(kits, user_id=user)
    raw = dict(dialog_values(data, form=form, tz=person.tz))
    channel = raw.get(CHANNEL_INPUT)
    if isinstance(channel, str):
        raw[CHANNEL_INPUT] = channel_from_text(channel)

    def work(store: Store) -> Requisition | dict[str, str] | Refusal:
        result = open_requisition(store, ws, user, raw, kits)
        if isinstance(result, Requisition):
            # Opened in Teams, so it lives in Teams: its messages go out through Teams.
            result.platform = TEAMS
            store.session.add(result)
            store.session.flush()
        return result

    result = await rt.services.db(work)
    if isinstance(result, dict):
        return task_continue(prefilled(form, raw, result), tz=person.tz)
    if isinstance(result, Refusal):
        return task_message(result.text)
    logger.info("teams.requisition_opened", extra={"workspace_id": ws, "requisition_id": result.id})
    return task_message(
        f"Requisition #{result.id} “{result.title}” is open. Type `panel` to create a "
        "candidate's loop."
    )


def _panel(state: InteractionState | None) -> int | None:
    try:
        return state.id("panel") if state is not None else None
    except StateError:
        return None


def _edit_form(store: Store, rt: TeamsRuntime, ws: str, panel_id: int) -> Form:
    panel = store.get_panel(ws, panel_id)
    requisition = store.get_requisition(ws, panel.requisition_id)
    return new_panel_form(
        kit=rt.services.kits.get(requisition.kit_id), requisition=requisition,
        current=live_interviews(store, ws, panel_id), panel_id=panel_id,
        candidate_name=store.get_candidate(ws, panel.candidate_id).name,
    )


async def open_change(rt: TeamsRuntime, person: Who, data: dict[str, Any]) -> dict[str, Any]:
    """task/fetch of "Change loop" on a loop summary: the loop form, pre-filled."""
    panel_id = _panel(_state(data))
    if panel_id is None:
        return task_message(OUTDATED)
    ws, user = person.workspace_id, person.user_id

    def load(store: Store) -> Form | None:
        panel = store.get_panel(ws, panel_id)
        if not store.is_member(ws, panel.requisition_id, user, MemberRole.RECRUITER):
            return None
        return _edit_form(store, rt, ws, panel_id)

    form = await rt.services.db(load)
    if form is None:
        return task_message(CHANGE_REFUSED)
    return task_continue(form, tz=person.tz)


async def save_changes(
    rt: TeamsRuntime, context: TurnContext, person: Who, data: dict[str, Any],
    state: InteractionState,
) -> dict[str, Any]:
    """task/submit of the change form: reschedule, replace or cancel, and tell everyone."""
    panel_id = _panel(state)
    if panel_id is None:
        return task_message(OUTDATED)
    ws, user = person.workspace_id, person.user_id
    now = rt.services.clock()
    form = await rt.services.db(lambda s: _edit_form(s, rt, ws, panel_id))
    raw = dialog_values(data, form=form, tz=person.tz)
    people = [str(v) for k, v in raw.items() if k.endswith("__interviewer") and v]
    await learn_names(rt, context, ws, people)
    directory = await rt.directory(ws, people)

    def work(store: Store) -> Any:
        panel = store.get_panel(ws, panel_id)
        kit = rt.services.kits.get(store.get_requisition(ws, panel.requisition_id).kit_id)
        result = apply_loop_edit(store=store, ws=ws, actor=user, panel_id=panel_id, kit=kit,
                                 raw=raw, directory=directory, timings=rt.services.timings(),
                                 now=now)
        if isinstance(result, LoopChanged):
            return result, reserve(store, ws, TEAMS, result.outbound, now)
        return result, []

    result, reserved = await rt.services.db(work)
    if isinstance(result, dict):
        return task_continue(prefilled(form, raw, result), tz=person.tz)
    if isinstance(result, Refusal):
        return task_message(result.text)
    logger.info("teams.loop_changed", extra={"workspace_id": ws, "panel_id": panel_id})
    rt.spawn(rt.send_reserved(ws, reserved), what="loop changes")
    changed = "; ".join(result.summary) if result.summary else "nothing changed"
    return task_message(f"Loop updated: {changed}.")

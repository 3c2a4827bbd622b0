"""The ``/panel`` modal's submissions: pick a requisition, then create the loop."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.delivery import reserve
from bot.slack.commands import PANEL_CALLBACK, PANEL_PICK_CALLBACK, REQUISITION_CALLBACK
from bot.slack.render import form_view, view_values
from bot.slack.runtime import SlackRuntime, team_id, user_id
from bot.slack.scorecards import inline_errors, view_state_id
from flows.changes import ONLY_RECRUITERS, LoopChanged, apply_loop_edit, live_interviews
from flows.loops import REQUISITION_INPUT, LoopPlan, create_loop, new_panel_form, parse_loop
from flows.messages import ActionId
from flows.outbound import Refusal
from flows.requisitions import open_requisition
from flows.state import StateError, decode_state
from rubrics.schema import Kit
from storage.enums import MemberRole, Platform
from storage.errors import StorageError
from storage.repository import Store

logger = logging.getLogger(__name__)

PANEL_EDIT_CALLBACK = "panel_edit"


def register_loops(app: AsyncApp, rt: SlackRuntime) -> None:
    @app.action(ActionId.CHANGE_LOOP.value)
    async def change_loop(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        ws, user = team_id(body), user_id(body)
        channel = (body.get("channel") or {}).get("id")
        try:
            panel_id = decode_state(str(body["actions"][0].get("value", ""))).id("panel")
        except StateError:
            await rt.ephemeral(channel, user, "This loop summary is outdated.")
            return

        def load(store: Any) -> Any:
            panel = store.get_panel(ws, panel_id)
            if not store.is_member(ws, panel.requisition_id, user, MemberRole.RECRUITER):
                return None
            requisition = store.get_requisition(ws, panel.requisition_id)
            return new_panel_form(
                kit=rt.services.kits.get(requisition.kit_id), requisition=requisition,
                current=live_interviews(store, ws, panel_id), panel_id=panel_id,
                candidate_name=store.get_candidate(ws, panel.candidate_id).name,
            )

        form = await rt.services.db(load)
        if form is None:
            await rt.ephemeral(channel, user, ONLY_RECRUITERS)
            return
        await rt.client.views_open(
            trigger_id=body["trigger_id"], view=form_view(form, callback_id=PANEL_EDIT_CALLBACK)
        )

    @app.view(PANEL_EDIT_CALLBACK)
    async def save_loop_changes(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        panel_id = await view_state_id(ack, view, "panel")
        if panel_id is None:
            return
        raw = view_values(view["state"]["values"])
        now = rt.services.clock()
        new_people = [str(v) for k, v in raw.items() if k.endswith("__interviewer") and v]
        directory = await rt.directory(ws, new_people)

        def work(store: Any) -> Any:
            panel = store.get_panel(ws, panel_id)
            kit = rt.services.kits.get(store.get_requisition(ws, panel.requisition_id).kit_id)
            result = apply_loop_edit(store=store, ws=ws, actor=user, panel_id=panel_id, kit=kit,
                                     raw=raw, directory=directory, timings=rt.services.timings(),
                                     now=now)
            if isinstance(result, LoopChanged):
                return result, reserve(store, ws, Platform.SLACK, result.outbound, now)
            return result, []

        result, reserved = await rt.services.db(work)
        if isinstance(result, dict):
            await ack(response_action="errors", errors=inline_errors(view, result))
            return
        if isinstance(result, Refusal):
            await ack(response_action="errors", errors=inline_errors(view, {"": result.text}))
            return
        await ack()
        await rt.send_reserved(ws, reserved)
        text = "; ".join(result.summary) if result.summary else "nothing changed"
        await rt.ephemeral(None, user, f"Loop updated: {text}.")

    @app.view(REQUISITION_CALLBACK)
    async def new_requisition(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        raw = view_values(view["state"]["values"])
        kits = [source.kit for source in rt.services.kits.sources()]
        result = await rt.services.db(lambda s: open_requisition(s, ws, user, raw, kits))
        if isinstance(result, dict):
            await ack(response_action="errors", errors=inline_errors(view, result))
            return
        if isinstance(result, Refusal):
            await ack(response_action="errors", errors=inline_errors(view, {"": result.text}))
            return
        await ack()
        await rt.ephemeral(None, user, f"Requisition #{result.id} “{result.title}” is open. "
                           "Run /panel to create a candidate's loop.")

    @app.view(PANEL_PICK_CALLBACK)
    async def pick_requisition(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        raw = view_values(view["state"]["values"])
        chosen = str(raw.get(REQUISITION_INPUT) or "")
        requisitions = await rt.services.db(
            lambda s: s.requisitions_for_user(ws, user, MemberRole.RECRUITER)
        )
        requisition = next((r for r in requisitions if str(r.id) == chosen), None)
        if requisition is None:
            await ack(response_action="errors",
                      errors={REQUISITION_INPUT: "Pick one of your requisitions."})
            return
        form = new_panel_form(kit=rt.services.kits.get(requisition.kit_id), requisition=requisition)
        await ack(response_action="update", view=form_view(form, callback_id=PANEL_CALLBACK))

    @app.view(PANEL_CALLBACK)
    async def create(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        requisition_id = await view_state_id(ack, view, "requisition")
        if requisition_id is None:
            return
        raw = view_values(view["state"]["values"])
        now = rt.services.clock()
        await submit_plan(
            rt, ack, view, ws, user, requisition_id, now,
            lambda store, kit: parse_loop(kit=kit, raw=raw, store=store, workspace_id=ws, now=now),
        )


ONLY_RECRUITERS_CREATE = "Only recruiters of this requisition can create loops."
PlanOf = Callable[[Store, Kit], tuple[LoopPlan | None, dict[str, str]]]


async def submit_plan(
    rt: SlackRuntime, ack: AsyncAck, view: dict[str, Any], ws: str, user: str,
    requisition_id: int, now: datetime, plan_of: PlanOf,
) -> None:
    """Check the recruiter and the plan, answer the modal (errors or close), then create.

    Shared by the hand-picked loop form and the auto-scheduled option picker.
    """

    def check(store: Store) -> Any:
        requisition = store.get_requisition(ws, requisition_id)
        if not store.is_member(ws, requisition_id, user, MemberRole.RECRUITER):
            return requisition, None, {"": ONLY_RECRUITERS_CREATE}
        plan, errors = plan_of(store, rt.services.kits.get(requisition.kit_id))
        return requisition, plan, errors

    requisition, plan, errors = await rt.services.db(check)
    if errors or plan is None:
        await ack(response_action="errors", errors=inline_errors(view, errors))
        return
    await ack()
    await create_and_announce(rt, ws, user, requisition, plan, now)


async def create_and_announce(
    rt: SlackRuntime, ws: str, user: str, requisition: Any, plan: LoopPlan, now: datetime
) -> None:
    """Store a validated loop plan, then send its invites and summary (after the ack)."""
    people = [i.interviewer_id for i in plan.interviews] + [user]
    directory = await rt.directory(ws, people)
    kit = rt.services.kits.get(requisition.kit_id)

    def store_loop(store: Any) -> Any:
        created = create_loop(
            store=store, workspace_id=ws, kit=kit, requisition=requisition, plan=plan,
            created_by=user, directory=directory, timings=rt.services.timings(), now=now,
        )
        return created, reserve(store, ws, Platform.SLACK, created.outbound, now)

    try:
        created, reserved = await rt.services.db(store_loop)
    except StorageError as exc:
        logger.warning("slack.loop_not_created", extra={"error": exc.message})
        await rt.ephemeral(None, user, f"The loop for {plan.candidate_name} was not created: "
                           f"{exc.message} Run /panel again.")
        return
    logger.info("slack.loop_created", extra={"workspace_id": ws, "panel_id": created.panel_id})
    await rt.send_reserved(ws, reserved)
    await rt.ephemeral(None, user, f"Loop created for {plan.candidate_name}: "
                       f"{len(plan.interviews)} interviews, invites sent.")

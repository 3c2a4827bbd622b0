"""``/panel auto``: the candidate's availability in, the solver's best loops out, one created.

Calendars can take a while to fetch, so the submission is answered at once with a
"Finding times…" view, which is then replaced with the options (or with what blocks a loop).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.slack.commands import AUTO_CALLBACK
from bot.slack.loops import ONLY_RECRUITERS_CREATE, submit_plan
from bot.slack.render import form_view, view_values
from bot.slack.runtime import LOADING_CALLBACK, SlackRuntime, info_view, team_id, user_id
from bot.slack.scorecards import inline_errors, view_state_id
from flows.autoschedule import (
    chosen_plan,
    options_form,
    parse_windows,
    qualified_pool,
    solve,
)
from flows.scheduling.availability import (
    CombinedProvider,
    ICalendarFileProvider,
    ManualBlocksProvider,
    collect_busy,
)
from flows.scheduling.ical import CalendarError
from flows.state import StateError, decode_state
from storage.enums import MemberRole

logger = logging.getLogger(__name__)

AUTO_PICK_CALLBACK = "panel_auto_pick"



def register_autoschedule(app: AsyncApp, rt: SlackRuntime) -> None:
    @app.view(AUTO_CALLBACK)
    async def find_times(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        requisition_id = await view_state_id(ack, view, "requisition")
        if requisition_id is None:
            return
        now = rt.services.clock()
        name, windows, errors = parse_windows(view_values(view["state"]["values"]), now)
        if errors:
            await ack(response_action="errors", errors=inline_errors(view, errors))
            return
        await ack(response_action="update",
                  view=info_view("Find loop times", "Finding times that fit everyone…"))
        directory = await rt.directory(ws, [user])

        def gather(store: Any) -> Any:
            requisition = store.get_requisition(ws, requisition_id)
            if not store.is_member(ws, requisition_id, user, MemberRole.RECRUITER):
                return requisition, None
            kit = rt.services.kits.get(requisition.kit_id)
            return requisition, qualified_pool(store, ws, requisition, kit, now)

        requisition, pool = await rt.services.db(gather)
        if pool is None:
            result = info_view("Find loop times", ONLY_RECRUITERS_CREATE,
                               callback_id="panel_auto_done")
        else:
            kit = rt.services.kits.get(requisition.kit_id)
            start = min(w.start for w in windows)
            end = max(w.end for w in windows)
            provider = CombinedProvider([ICalendarFileProvider(), ManualBlocksProvider()])
            try:
                busy = await asyncio.to_thread(collect_busy, pool, provider, start, end)
                proposal = await asyncio.to_thread(solve, kit, windows, pool, busy)
            except CalendarError as exc:
                logger.warning("slack.auto_calendar_failed", extra={"error": str(exc)})
                result = info_view("Find loop times", f"A calendar could not be read: {exc}. "
                                   "Fix the interviewer's calendar URL, or create the loop by hand "
                                   "with /panel.", callback_id="panel_auto_done")
            else:
                if not proposal.feasible:
                    result = info_view("No loop fits", f"No loop fits: {proposal.blocked}. Widen the "
                                       "candidate's windows, or create the loop by hand with /panel.",
                                       callback_id="panel_auto_done")
                else:
                    form = options_form(requisition=requisition, kit=kit, candidate=name,
                                        proposal=proposal, viewer_tz=directory.tz(user))
                    result = form_view(form, callback_id=AUTO_PICK_CALLBACK)
        await rt.client.views_update(view_id=view["id"], view=result)

    @app.view(AUTO_PICK_CALLBACK)
    async def pick(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        try:
            state = decode_state(str(view.get("private_metadata", "")))
            requisition_id = state.id("requisition")
        except StateError:
            await ack(response_action="errors", errors=inline_errors(view, {"": "Outdated form."}))
            return
        raw = view_values(view["state"]["values"])
        now = rt.services.clock()
        await submit_plan(
            rt, ack, view, ws, user, requisition_id, now,
            lambda store, kit: chosen_plan(state, raw, kit, store, ws, now),
        )


__all__ = ["AUTO_CALLBACK", "AUTO_PICK_CALLBACK", "LOADING_CALLBACK", "register_autoschedule"]

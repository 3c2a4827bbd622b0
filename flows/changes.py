"""Change a loop after it was created: reschedule, replace an interviewer, cancel.

The recruiter edits the same form that created the loop. Every change is applied to the
interview, its timers are re-planned (a new interviewer gets their own briefing and
reminders), and everyone affected gets a DM with an updated or cancelling ``.ics``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flows.loops import (
    SKIP_VALUE,
    Directory,
    LoopTimings,
    PlannedInterview,
    double_bookings,
    interviewer_input,
    invite_outbound,
    schedule_interview_timers,
    skip_input,
    start_input,
)
from flows.outbound import Outbound, Refusal
from flows.scorecard import RawValues
from rubrics.schema import Kit
from storage.enums import InterviewStatus, MemberRole
from storage.models import Interview
from storage.repository import Store, require_id

ONLY_RECRUITERS = "Only recruiters of this requisition can change its loops."


@dataclass(frozen=True, slots=True)
class LoopChanged:
    outbound: tuple[Outbound, ...]
    summary: tuple[str, ...]


def _value(raw: RawValues, key: str) -> str:
    value = raw.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value).strip() if value else ""


def live_interviews(store: Store, ws: str, panel_id: int) -> dict[str, Interview]:
    return {
        i.stage_key: i
        for i in store.panel_interviews(ws, panel_id)
        if i.status != InterviewStatus.CANCELLED
    }


def apply_loop_edit(
    *,
    store: Store,
    ws: str,
    actor: str,
    panel_id: int,
    kit: Kit,
    raw: RawValues,
    directory: Directory,
    timings: LoopTimings,
    now: datetime,
) -> LoopChanged | dict[str, str] | Refusal:
    """Validate the edited form and apply every change, or return inline errors."""
    panel = store.get_panel(ws, panel_id)
    if not store.is_member(ws, panel.requisition_id, actor, MemberRole.RECRUITER):
        return Refusal(ONLY_RECRUITERS)
    requisition = store.get_requisition(ws, panel.requisition_id)
    candidate = store.get_candidate(ws, panel.candidate_id).name
    current = live_interviews(store, ws, panel_id)
    errors: dict[str, str] = {}
    plan: dict[str, PlannedInterview] = {}
    cancels: list[Interview] = []
    for stage in kit.stages:
        interview = current.get(stage.key)
        who = _value(raw, interviewer_input(stage.key))
        when = _value(raw, start_input(stage.key))
        skipped = SKIP_VALUE in (raw.get(skip_input(stage.key)) or ())
        if interview is None:
            if who or when:
                errors[interviewer_input(stage.key)] = (
                    "This stage is not part of the loop; create a follow-up loop to add it."
                )
            continue
        if skipped:
            if interview.status == InterviewStatus.COMPLETED:
                errors[skip_input(stage.key)] = "This interview already has its scorecard."
            else:
                cancels.append(interview)
            continue
        starts_at = interview.starts_at
        if when:
            try:
                starts_at = datetime.fromtimestamp(int(when), tz=now.tzinfo)
            except (ValueError, OverflowError):
                errors[start_input(stage.key)] = "That is not a time I can read; pick it again."
                continue
        who = who or interview.interviewer_id
        differs = who != interview.interviewer_id or starts_at != interview.starts_at
        if differs and interview.status == InterviewStatus.COMPLETED:
            errors[interviewer_input(stage.key)] = "This interview already has its scorecard."
            continue
        if starts_at != interview.starts_at and starts_at <= now:
            errors[start_input(stage.key)] = "This time is in the past; pick a later one."
            continue
        plan[stage.key] = PlannedInterview(
            stage_key=stage.key,
            interviewer_id=who,
            starts_at=starts_at,
            ends_at=starts_at + (interview.ends_at - interview.starts_at),
        )
    ignore = frozenset(require_id(i) for i in current.values())
    errors.update(double_bookings(kit, list(plan.values()), store, ws, now, ignore))
    if errors:
        return errors
    outbound: list[Outbound] = []
    summary: list[str] = []
    sequence = int(now.timestamp())
    for interview in cancels:
        cancelled = store.change_interview(ws, require_id(interview), actor_id=actor, cancel=True)
        store.cancel_timers(ws, require_id(interview))
        outbound.append(invite_outbound(ws, kit, requisition, candidate, cancelled, now,
                                        cancelled=True, sequence=sequence))
        summary.append(f"{kit.stage(interview.stage_key).title}: cancelled")
    for key, item in plan.items():
        interview = current[key]
        old_interviewer = interview.interviewer_id
        moved = item.starts_at != interview.starts_at
        replaced = item.interviewer_id != old_interviewer
        if not moved and not replaced:
            continue
        old = interview.model_copy()
        updated = store.change_interview(
            ws, require_id(interview), actor_id=actor, starts_at=item.starts_at,
            ends_at=item.ends_at, interviewer_id=item.interviewer_id,
            interviewer_tz=directory.tz(item.interviewer_id) if replaced else None,
        )
        schedule_interview_timers(store, ws, updated, timings, now, rearm=replaced)
        if replaced:
            outbound.append(invite_outbound(ws, kit, requisition, candidate, old, now,
                                            cancelled=True, sequence=sequence))
        outbound.append(invite_outbound(ws, kit, requisition, candidate, updated, now,
                                        sequence=sequence))
        title = kit.stage(key).title
        if replaced:
            summary.append(f"{title}: {directory.name(old_interviewer)} → "
                           f"{directory.name(item.interviewer_id)}")
        if moved:
            shift = item.starts_at - old.starts_at
            summary.append(f"{title}: moved by {_signed(shift)}")
    return LoopChanged(outbound=tuple(outbound), summary=tuple(summary))


def _signed(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {mins:02d} min" if hours else f"{sign}{mins} min"

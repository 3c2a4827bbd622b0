"""Create a candidate's interview loop: the form, its validation, and what goes out.

Recruiters pick an interviewer and a start time per stage (or skip the stage). On
success every interviewer gets a DM with their stage and time in their own zone and
an ``.ics`` invite, the hiring channel gets a summary, and the briefing and feedback
reminders of every interview are scheduled as durable timers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol

from flows.invite import build_invite, invite_attachment
from flows.messages import (
    Action,
    ActionId,
    Choice,
    ChoiceInput,
    DateTimeInput,
    Fact,
    Form,
    FormInput,
    FormKind,
    Message,
    MessageKind,
    MultiChoiceInput,
    Section,
    TextInput,
    UserInput,
)
from flows.outbound import Outbound, Recipient
from flows.profiles import interviewer_hours
from flows.reminders import MONDAY_TO_FRIDAY, WorkingHours, briefing_due, feedback_schedule
from flows.scorecard import RawValues
from flows.state import encode_state
from flows.timefmt import format_moment, format_slot
from rubrics.schema import Kit
from storage.enums import InterviewStatus, TimerKind
from storage.inputs import InterviewPlan, PanelCreate
from storage.models import Interview, Requisition
from storage.repository import Store, require_id

CANDIDATE_INPUT = "candidate"
REQUISITION_INPUT = "requisition"
SKIP_VALUE = "skip"


class Directory(Protocol):
    """Names and time zones of people, from the platform's user directory."""

    def name(self, user_id: str) -> str: ...

    def tz(self, user_id: str) -> str: ...


@dataclass(frozen=True, slots=True)
class LoopTimings:
    briefing_lead: timedelta
    first_reminder: timedelta
    max_reminders: int
    work_start: time = time(9, 0)
    work_end: time = time(18, 0)
    work_days: frozenset[int] = MONDAY_TO_FRIDAY

    def hours(self, tz: str) -> WorkingHours:
        """Working hours in ``tz``, for interviewers without a profile."""
        return WorkingHours(tz=tz, start=self.work_start, end=self.work_end, weekdays=self.work_days)


def interviewer_input(stage_key: str) -> str:
    return f"{stage_key}__interviewer"


def start_input(stage_key: str) -> str:
    return f"{stage_key}__start"


def skip_input(stage_key: str) -> str:
    return f"{stage_key}__skip"


def requisition_picker(requisitions: Sequence[Requisition]) -> Form:
    """First step when a recruiter has several requisitions: which one is this loop for?"""
    return Form(
        kind=FormKind.NEW_PANEL,
        title="New interview loop",
        submit_label="Next",
        close_label="Cancel",
        state=encode_state("panel_pick"),
        inputs=(
            ChoiceInput(
                input_id=REQUISITION_INPUT,
                label="Requisition",
                choices=tuple(
                    Choice(value=str(require_id(r)), label=f"#{require_id(r)} {r.title}")
                    for r in requisitions
                ),
            ),
        ),
    )


def new_panel_form(
    *,
    kit: Kit,
    requisition: Requisition,
    errors: Mapping[str, str] | None = None,
    current: Mapping[str, Interview] | None = None,
    candidate_name: str | None = None,
    panel_id: int | None = None,
) -> Form:
    """The loop form: candidate name, then interviewer + start (or skip) per stage.

    With ``current`` (the panel's live interviews by stage) it becomes the edit form of
    an existing loop: pre-filled, with "skip" meaning "cancel this interview".
    """
    current = current or {}
    inputs: list[FormInput] = [
        TextInput(
            input_id=CANDIDATE_INPUT,
            label="Candidate name",
            multiline=False,
            max_length=200,
            required=True,
            placeholder="e.g. Priya Raman",
            initial=candidate_name or "",
        )
    ]
    for stage in kit.stages:
        booked = current.get(stage.key)
        inputs.append(
            UserInput(
                input_id=interviewer_input(stage.key),
                label=f"{stage.title} ({stage.duration_minutes} min): interviewer",
                required=False,
                initial=booked.interviewer_id if booked else None,
            )
        )
        inputs.append(
            DateTimeInput(
                input_id=start_input(stage.key),
                label=f"{stage.title}: start",
                required=False,
                initial=booked.starts_at if booked else None,
                hint="Shown in your time zone; each interviewer sees their own.",
            )
        )
        inputs.append(
            MultiChoiceInput(
                input_id=skip_input(stage.key),
                label=f"{stage.title}: {'cancel' if stage.key in current else 'skip'}?",
                choices=(
                    Choice(
                        value=SKIP_VALUE,
                        label="Cancel this interview" if stage.key in current else "Skip this stage",
                    ),
                ),
            )
        )
    editing = panel_id is not None
    return Form(
        kind=FormKind.NEW_PANEL,
        title="Change interview loop" if editing else "New interview loop",
        submit_label="Save changes" if editing else "Create loop",
        close_label="Cancel",
        state=(
            encode_state("panel_edit", panel=panel_id) if panel_id is not None
            else encode_state("panel", requisition=require_id(requisition))
        ),
        intro=(
            Section(
                heading=f"{requisition.title} · kit {kit.id}",
                text=(
                    "Change an interviewer or a time, or tick Cancel. Everyone affected is "
                    "told, and briefings and reminders follow the change."
                    if editing
                    else "Pick an interviewer and a start time for each stage, or tick Skip."
                ),
            ),
        ),
        inputs=tuple(inputs),
        errors=dict(errors or {}),
    )


@dataclass(frozen=True, slots=True)
class PlannedInterview:
    stage_key: str
    interviewer_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class LoopPlan:
    candidate_name: str
    interviews: tuple[PlannedInterview, ...]


def _text(raw: RawValues, key: str) -> str:
    value = raw.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value).strip() if value else ""


def parse_loop(
    *, kit: Kit, raw: RawValues, store: Store, workspace_id: str, now: datetime
) -> tuple[LoopPlan | None, dict[str, str]]:
    """Read and check the loop form; returns the plan or inline errors by input id."""
    errors: dict[str, str] = {}
    candidate = _text(raw, CANDIDATE_INPUT)
    if not candidate:
        errors[CANDIDATE_INPUT] = "Enter the candidate's name."
    planned: list[PlannedInterview] = []
    for stage in kit.stages:
        skipped = SKIP_VALUE in (raw.get(skip_input(stage.key)) or ())
        who = _text(raw, interviewer_input(stage.key))
        when = _text(raw, start_input(stage.key))
        if skipped:
            continue
        if not who:
            errors[interviewer_input(stage.key)] = "Pick an interviewer, or tick Skip."
        if not when:
            errors[start_input(stage.key)] = "Pick a start time, or tick Skip."
        if not who or not when:
            continue
        try:
            starts_at = datetime.fromtimestamp(int(when), tz=now.tzinfo)
        except (ValueError, OverflowError):
            errors[start_input(stage.key)] = "That is not a time I can read; pick it again."
            continue
        if starts_at <= now:
            errors[start_input(stage.key)] = "This time is in the past; pick a later one."
            continue
        planned.append(
            PlannedInterview(
                stage_key=stage.key,
                interviewer_id=who,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=stage.duration_minutes),
            )
        )
    if not planned and not any(key.endswith("__interviewer") for key in errors):
        first = kit.stages[0].key
        errors.setdefault(skip_input(first), "A loop needs at least one interview.")
    errors.update(double_bookings(kit, planned, store, workspace_id, now))
    if errors:
        return None, errors
    return LoopPlan(candidate_name=candidate, interviews=tuple(planned)), {}


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def double_bookings(
    kit: Kit,
    planned: Sequence[PlannedInterview],
    store: Store,
    ws: str,
    now: datetime,
    ignore: frozenset[int] = frozenset(),
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for index, item in enumerate(planned):
        for other in planned[:index]:
            if other.interviewer_id == item.interviewer_id and _overlaps(
                item.starts_at, item.ends_at, other.starts_at, other.ends_at
            ):
                errors[interviewer_input(item.stage_key)] = (
                    f"Double-booked: this person also runs {kit.stage(other.stage_key).title} "
                    "at an overlapping time in this loop."
                )
        if interviewer_input(item.stage_key) in errors:
            continue
        existing = store.interviews_for_user(ws, item.interviewer_id, after=now - timedelta(days=1))
        for booked in existing:
            if booked.id in ignore:
                continue
            if booked.status != InterviewStatus.CANCELLED and _overlaps(
                item.starts_at, item.ends_at, booked.starts_at, booked.ends_at
            ):
                errors[interviewer_input(item.stage_key)] = (
                    "Double-booked: this person already has an interview "
                    f"{format_moment(booked.starts_at, 'UTC')}-{booked.ends_at:%H:%M} UTC."
                )
                break
    return errors


@dataclass(frozen=True, slots=True)
class LoopCreated:
    panel_id: int
    outbound: tuple[Outbound, ...]


def create_loop(
    *,
    store: Store,
    workspace_id: str,
    kit: Kit,
    requisition: Requisition,
    plan: LoopPlan,
    created_by: str,
    directory: Directory,
    timings: LoopTimings,
    now: datetime,
) -> LoopCreated:
    """Store the loop, schedule its timers, and say what to send."""
    panel = store.create_panel(
        workspace_id,
        PanelCreate(
            requisition_id=require_id(requisition),
            candidate_name=plan.candidate_name,
            created_by=created_by,
            interviews=[
                InterviewPlan(
                    stage_key=item.stage_key,
                    interviewer_id=item.interviewer_id,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    interviewer_tz=directory.tz(item.interviewer_id),
                )
                for item in plan.interviews
            ],
        ),
    )
    panel_id = require_id(panel)
    interviews = store.panel_interviews(workspace_id, panel_id)
    for interview in interviews:
        schedule_interview_timers(store, workspace_id, interview, timings, now)
    outbound = [
        invite_outbound(workspace_id, kit, requisition, plan.candidate_name, interview, now)
        for interview in interviews
    ]
    outbound.append(
        Outbound(
            key=f"{workspace_id}:panel:{panel_id}:summary",
            recipient=Recipient.channel(requisition.channel_id),
            message=loop_summary(
                kit, requisition, plan.candidate_name, interviews, directory, panel_id=panel_id
            ),
        )
    )
    return LoopCreated(panel_id=panel_id, outbound=tuple(outbound))


def schedule_interview_timers(
    store: Store,
    ws: str,
    interview: Interview,
    timings: LoopTimings,
    now: datetime,
    *,
    rearm: bool = False,
) -> None:
    """Briefing before, reminders after: persisted, so a restart loses none.

    Reminders follow the interviewer's own working hours when they keep a profile
    (``/panel interviewer`` or an imported pool), else ``timings.hours``.
    """
    hours = interviewer_hours(store, ws, interview, timings.hours(interview.interviewer_tz))
    due = [(TimerKind.BRIEFING, 0, briefing_due(starts_at=interview.starts_at,
                                                 lead=timings.briefing_lead, now=now))]
    due.extend(
        (TimerKind(item.kind.value), item.sequence, item.due_at)
        for item in feedback_schedule(
            interview_end=interview.ends_at,
            hours=hours,
            first_delay=timings.first_reminder,
            max_reminders=timings.max_reminders,
        )
    )
    store.schedule_timers(ws, require_id(interview), due, rearm=rearm)


def invite_outbound(
    ws: str,
    kit: Kit,
    requisition: Requisition,
    candidate: str,
    interview: Interview,
    now: datetime,
    *,
    cancelled: bool = False,
    sequence: int = 0,
) -> Outbound:
    """The invite DM with its ``.ics``; a changed or cancelled one replaces the earlier event.

    The key names interviewer, start and state, so resubmitting the same change sends
    nothing new while every real change sends one update.
    """
    stage = kit.stage(interview.stage_key)
    interview_id = require_id(interview)
    slot = format_slot(interview.starts_at, interview.ends_at, interview.interviewer_tz)
    summary = f"Interview: {candidate} · {stage.title} ({requisition.title})"
    ics = build_invite(
        workspace_id=ws,
        interview_id=interview_id,
        summary=summary,
        description=f"{stage.purpose}\nYour briefing with questions and anchors arrives in "
        "chat before the interview; submit your scorecard right after it.",
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        now=now,
        sequence=sequence,
        cancelled=cancelled,
    )
    title = (
        f"Cancelled: your interview with {candidate}" if cancelled
        else f"You're interviewing {candidate}"
    )
    summary_text = (
        f"Your {stage.title} with {candidate} on {slot} is cancelled; nothing to prepare."
        if cancelled
        else f"You're interviewing {candidate} ({stage.title}) on {slot}."
    )
    message = Message(
        kind=MessageKind.INVITE,
        title=title,
        summary=summary_text,
        sections=(
            Section(
                text=f"{stage.title} for {requisition.title}.",
                facts=(
                    Fact("When", slot),
                    Fact("Length", f"{stage.duration_minutes} min"),
                    Fact("Competencies", ", ".join(kit.competency(c).name for c in stage.competencies)),
                ),
            ),
        ),
        footer=(
            "The attached calendar update removes the event." if cancelled
            else "The calendar invite is attached. Your briefing arrives before the interview."
        ),
        attachments=(
            invite_attachment(
                filename=f"interview-{interview_id}.ics", content=ics, title=summary
            ),
        ),
    )
    return Outbound(
        key=f"{ws}:interview:{interview_id}:invite:{interview.interviewer_id}:"
        f"{int(interview.starts_at.timestamp())}:{'cancelled' if cancelled else 'on'}",
        recipient=Recipient.user(interview.interviewer_id),
        message=message,
    )


def loop_summary(
    kit: Kit,
    requisition: Requisition,
    candidate: str,
    interviews: Sequence[Interview],
    directory: Directory,
    *,
    panel_id: int,
) -> Message:
    lines = tuple(
        f"{kit.stage(i.stage_key).title}: {directory.name(i.interviewer_id)}, "
        f"{format_slot(i.starts_at, i.ends_at, 'UTC')}"
        for i in interviews
    )
    return Message(
        kind=MessageKind.LOOP_SUMMARY,
        title=f"New loop: {candidate}",
        summary=f"Interview loop for {candidate} ({requisition.title}): {len(interviews)} interviews.",
        sections=(Section(heading=requisition.title, bullets=lines),),
        actions=(
            Action(ActionId.CHANGE_LOOP, "Change loop", encode_state("panel_edit", panel=panel_id)),
        ),
        footer="Scorecards stay private until each interviewer submits. "
        "Run /debrief when the loop is done.",
    )

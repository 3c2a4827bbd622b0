"""What a due timer sends: a briefing before an interview, reminders and escalation after.

A timer that has become pointless (interview cancelled, scorecard already in) sends
nothing. Keys are derived from the interview, its current interviewer and the timer's
sequence, so a timer that fires twice (a crash between sending and marking it done)
still sends once, while a replacement interviewer gets their own briefing.
"""

from __future__ import annotations

from datetime import datetime

from flows.briefing import BriefingData, build_briefing, scorecard_action
from flows.feedback import KitSource, NameOf, load_context
from flows.messages import Fact, Message, MessageKind, Section, Tone
from flows.outbound import Outbound, Recipient
from flows.timefmt import format_overdue, format_slot
from storage.enums import InterviewStatus, MemberRole, ScorecardStatus, TimerKind
from storage.errors import NotFound
from storage.models import Timer
from storage.repository import Store, require_id


def fire_timer(
    store: Store, timer: Timer, kits: KitSource, name_of: NameOf, now: datetime
) -> list[Outbound]:
    """The messages a due timer sends now (possibly none)."""
    ws = timer.workspace_id
    try:
        context = load_context(store, ws, timer.interview_id, kits)
    except NotFound:
        return []
    interview = context.interview
    if interview.status == InterviewStatus.CANCELLED:
        return []
    interview_id = require_id(interview)
    stage = context.kit.stage(interview.stage_key)
    if timer.kind == TimerKind.BRIEFING:
        message = build_briefing(
            BriefingData(
                kit=context.kit,
                stage_key=interview.stage_key,
                interview_id=interview_id,
                candidate_name=context.candidate_name,
                role_title=context.role_title,
                starts_at=interview.starts_at,
                ends_at=interview.ends_at,
                interviewer_tz=interview.interviewer_tz,
            )
        )
        return [
            Outbound(
                key=f"{ws}:interview:{interview_id}:{interview.interviewer_id}:briefing",
                recipient=Recipient.user(interview.interviewer_id),
                message=message,
            )
        ]
    bundle = store.scorecard_for_interview(ws, interview_id)
    if bundle is not None and bundle.scorecard.status == ScorecardStatus.SUBMITTED:
        return []
    overdue = format_overdue(now - interview.ends_at)
    slot = format_slot(interview.starts_at, interview.ends_at, interview.interviewer_tz)
    if timer.kind == TimerKind.REMINDER:
        message = Message(
            kind=MessageKind.REMINDER,
            title=f"Scorecard due: {context.candidate_name}",
            summary=f"Your {stage.title} scorecard for {context.candidate_name} is {overdue} overdue.",
            sections=(
                Section(
                    text=f"Your {stage.title} scorecard for {context.candidate_name} is "
                    f"{overdue} overdue. Fresh notes make fairer decisions.",
                    facts=(Fact("Interview", slot), Fact("Reminder", f"{timer.sequence}")),
                ),
            ),
            actions=(scorecard_action(interview_id),),
            tone=Tone.WARNING,
        )
        return [
            Outbound(
                key=f"{ws}:interview:{interview_id}:{interview.interviewer_id}:reminder:{timer.sequence}",
                recipient=Recipient.user(interview.interviewer_id),
                message=message,
            )
        ]
    panel = store.get_panel(ws, interview.panel_id)
    who = name_of(interview.interviewer_id)
    message = Message(
        kind=MessageKind.ESCALATION,
        title=f"Missing scorecard: {context.candidate_name}",
        summary=f"{who} has not submitted the {stage.title} scorecard for "
        f"{context.candidate_name} ({overdue} overdue).",
        sections=(
            Section(
                text=f"{who} has not submitted the {stage.title} scorecard for "
                f"{context.candidate_name} after {timer.sequence - 1} reminders.",
                facts=(Fact("Interview", format_slot(interview.starts_at, interview.ends_at, "UTC")),
                       Fact("Overdue", overdue)),
            ),
        ),
        tone=Tone.DANGER,
        footer="The debrief shows this stage as missing until the scorecard is in.",
    )
    return [
        Outbound(
            key=f"{ws}:interview:{interview_id}:{interview.interviewer_id}:escalation:{recruiter}",
            recipient=Recipient.user(recruiter),
            message=message,
        )
        for recruiter in store.members(ws, panel.requisition_id, MemberRole.RECRUITER)
    ]

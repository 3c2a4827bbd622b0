"""The briefing an interviewer reads before their interview.

It carries everything needed to run a fair, anchored interview: the questions of the
stage, what each rating level sounds like, indicators, red flags, follow-ups and the
time box. The candidate is named, their other scorecards never are (independence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flows.messages import Action, ActionId, ButtonStyle, Fact, Message, MessageKind, Section
from flows.state import encode_state
from flows.timefmt import format_slot
from rubrics.schema import Kit, Question, Stage


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefingData:
    kit: Kit
    stage_key: str
    interview_id: int
    candidate_name: str
    role_title: str
    starts_at: datetime
    ends_at: datetime
    interviewer_tz: str


def scorecard_action(interview_id: int) -> Action:
    """The button that opens the scorecard of one interview."""
    return Action(
        action_id=ActionId.OPEN_SCORECARD,
        label="Open scorecard",
        value=encode_state("scorecard", interview=interview_id),
        style=ButtonStyle.PRIMARY,
    )


def question_section(kit: Kit, stage: Stage, index: int, question: Question) -> Section:
    """One question with its anchors for every level, lowest first."""
    competency = kit.competency(question.competency).name
    box = f" · {question.minutes} min" if question.minutes else ""
    anchors = tuple(
        f"{level.label}: {question.anchors[level.key]}" for level in kit.scale
    )
    extra: list[str] = []
    if question.positive_indicators:
        extra.append("Listen for: " + "; ".join(question.positive_indicators))
    if question.negative_indicators:
        extra.append("Watch for: " + "; ".join(question.negative_indicators))
    if question.red_flags:
        extra.append("Red flags: " + "; ".join(question.red_flags))
    if question.follow_ups:
        extra.append("Follow-ups: " + " / ".join(question.follow_ups))
    return Section(
        heading=f"Q{index + 1}. {competency}{box}",
        text=question.prompt,
        bullets=anchors + tuple(extra),
    )


def build_briefing(data: BriefingData) -> Message:
    """The briefing message for one interview."""
    stage = data.kit.stage(data.stage_key)
    slot = format_slot(data.starts_at, data.ends_at, data.interviewer_tz)
    competencies = ", ".join(data.kit.competency(c).name for c in stage.competencies)
    overview = Section(
        heading=f"{stage.title} with {data.candidate_name}",
        text=stage.purpose or f"Assess {competencies}.",
        facts=(
            Fact("Role", data.role_title),
            Fact("When", slot),
            Fact("Time box", f"{stage.duration_minutes} min"),
            Fact("Competencies", competencies),
        ),
        bullets=tuple(f"Success looks like: {c}" for c in stage.success_criteria),
    )
    questions = tuple(
        question_section(data.kit, stage, index, question)
        for index, question in enumerate(stage.questions)
    )
    return Message(
        kind=MessageKind.BRIEFING,
        title=f"Briefing: {stage.title} with {data.candidate_name}",
        summary=f"Briefing: your {stage.title} with {data.candidate_name} is at {slot}.",
        sections=(overview, *questions),
        actions=(scorecard_action(data.interview_id),),
        footer=(
            "Rate each competency against its anchors and note the evidence. "
            "Other interviewers' scorecards stay hidden until you submit yours."
        ),
    )


def example_briefing(kit: Kit) -> Message:
    """A briefing with example data, for renderer tests and previews."""
    start = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    stage = kit.stages[min(2, len(kit.stages) - 1)]
    return build_briefing(
        BriefingData(
            kit=kit,
            stage_key=stage.key,
            interview_id=42,
            candidate_name="Priya Raman",
            role_title=f"Senior {kit.role}",
            starts_at=start,
            ends_at=start + timedelta(minutes=stage.duration_minutes),
            interviewer_tz="Europe/Berlin",
        )
    )

"""The hiring decision: what a hiring manager can choose and how it is announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from flows.messages import (
    ActionId,
    Fact,
    Form,
    FormKind,
    Message,
    MessageKind,
    Section,
    TextInput,
    Tone,
)
from flows.state import encode_state
from flows.timefmt import format_moment

REASON_INPUT = "reason"
REASON_MAX_LENGTH = 2000


class Outcome(StrEnum):
    """What a hiring manager decides; values match ``storage.enums.DecisionOutcome``."""

    APPROVE = "approve"
    REJECT = "reject"
    MORE_INTERVIEWS = "more_interviews"


OUTCOME_BY_ACTION: dict[ActionId, Outcome] = {
    ActionId.APPROVE: Outcome.APPROVE,
    ActionId.REJECT: Outcome.REJECT,
    ActionId.MORE_INTERVIEWS: Outcome.MORE_INTERVIEWS,
}

OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.APPROVE: "Approved: extend an offer",
    Outcome.REJECT: "Rejected",
    Outcome.MORE_INTERVIEWS: "More interviews requested",
}

OUTCOME_TONES: dict[Outcome, Tone] = {
    Outcome.APPROVE: Tone.GOOD,
    Outcome.REJECT: Tone.DANGER,
    Outcome.MORE_INTERVIEWS: Tone.WARNING,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionData:
    candidate_name: str
    role_title: str
    outcome: Outcome
    approver_name: str
    reason: str
    decided_at: datetime
    viewer_tz: str = "UTC"


def decision_section(data: DecisionData) -> Section:
    """The decision block that replaces the buttons on the debrief once decided."""
    return Section(
        heading=f"Decision: {OUTCOME_LABELS[data.outcome]}",
        text=data.reason,
        facts=(
            Fact("Decided by", data.approver_name),
            Fact("When", format_moment(data.decided_at, data.viewer_tz)),
        ),
    )


def build_decision_message(data: DecisionData) -> Message:
    """The note recruiters get when a hiring manager decides."""
    label = OUTCOME_LABELS[data.outcome]
    return Message(
        kind=MessageKind.DECISION,
        title=f"{data.candidate_name}: {label}",
        summary=f"{data.approver_name} decided on {data.candidate_name} ({data.role_title}): {label}.",
        sections=(decision_section(data),),
        tone=OUTCOME_TONES[data.outcome],
    )


def build_reason_form(*, panel_id: int, outcome: Outcome, candidate_name: str) -> Form:
    """Ask the hiring manager why; the reason goes into the audit trail."""
    return Form(
        kind=FormKind.DECISION_REASON,
        title="Confirm decision",
        submit_label="Confirm",
        close_label="Cancel",
        state=encode_state("decision", panel=panel_id, outcome=outcome.value),
        intro=(Section(text=f"{OUTCOME_LABELS[outcome]} for {candidate_name}."),),
        inputs=(
            TextInput(
                input_id=REASON_INPUT,
                label="Reason",
                max_length=REASON_MAX_LENGTH,
                required=True,
                placeholder="What the decision rests on, for the record",
            ),
        ),
    )


def reason_errors(reason: str | None) -> dict[str, str]:
    text = (reason or "").strip()
    if not text:
        return {REASON_INPUT: "Give a reason; it is kept with the decision."}
    if len(text) > REASON_MAX_LENGTH:
        return {REASON_INPUT: f"Too long: {len(text)} characters, the limit is {REASON_MAX_LENGTH}."}
    return {}


def example_decision() -> Message:
    return build_decision_message(
        DecisionData(
            candidate_name="Priya Raman",
            role_title="Senior Backend Engineer",
            outcome=Outcome.APPROVE,
            approver_name="Dana Okafor",
            reason="Strong system design and coding evidence; concerns on testing are coachable.",
            decided_at=datetime(2026, 11, 27, 16, 30, tzinfo=UTC),
            viewer_tz="America/New_York",
        )
    )

"""The closed vocabularies of panelbot's records.

Every status and kind that a row can take is a ``StrEnum`` so that code compares
members, not string literals, and so that the same values are enforced by a CHECK
constraint in the database (see :mod:`storage.columns`). The values are the wire and
storage format: renaming a member's value needs a migration.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "DecisionOutcome",
    "DecisionStatus",
    "DeliveryStatus",
    "InterviewStatus",
    "MemberRole",
    "PanelStatus",
    "Platform",
    "Recommendation",
    "ScorecardStatus",
    "TimerKind",
    "TimerStatus",
]


class PanelStatus(StrEnum):
    """Where a candidate's loop stands, from scheduling to the hiring decision."""

    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    DECIDED = "decided"
    CANCELLED = "cancelled"


class InterviewStatus(StrEnum):
    """One interview of a loop; ``completed`` once its scorecard is submitted."""

    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ScorecardStatus(StrEnum):
    """A draft can still change; a submitted scorecard is frozen (independence rule)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class Recommendation(StrEnum):
    """An interviewer's overall call, ordered from the most negative to the most positive."""

    STRONG_NO = "strong_no"
    NO = "no"
    YES = "yes"
    STRONG_YES = "strong_yes"


class DecisionOutcome(StrEnum):
    """What a hiring manager can answer to a debrief."""

    APPROVE = "approve"
    REJECT = "reject"
    MORE_INTERVIEWS = "more_interviews"


class DecisionStatus(StrEnum):
    """A decision is ``pending`` until the first hiring manager answers it."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    MORE_INTERVIEWS = "more_interviews"

    @classmethod
    def for_outcome(cls, outcome: DecisionOutcome) -> DecisionStatus:
        """The status a pending decision moves to when answered with ``outcome``."""
        return _STATUS_FOR_OUTCOME[outcome]


_STATUS_FOR_OUTCOME: dict[DecisionOutcome, DecisionStatus] = {
    DecisionOutcome.APPROVE: DecisionStatus.APPROVED,
    DecisionOutcome.REJECT: DecisionStatus.REJECTED,
    DecisionOutcome.MORE_INTERVIEWS: DecisionStatus.MORE_INTERVIEWS,
}


class MemberRole(StrEnum):
    """The people of a requisition who may see debriefs; only hiring managers decide."""

    HIRING_MANAGER = "hiring_manager"
    RECRUITER = "recruiter"


class DeliveryStatus(StrEnum):
    """Outbound message state: ``pending`` (incl. retrying), ``sent``, or ``failed`` for good."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Platform(StrEnum):
    """The chat platforms panelbot delivers to."""

    SLACK = "slack"
    TEAMS = "teams"


class TimerKind(StrEnum):
    """What a durable timer does when it fires.

    For one interview, ``sequence`` orders them: the briefing is 0, feedback reminders
    are 1..n, and the escalation to the recruiter comes last at n+1.
    """

    BRIEFING = "briefing"
    REMINDER = "reminder"
    ESCALATION = "escalation"


class TimerStatus(StrEnum):
    """A timer's life: ``pending`` → ``claimed`` (a worker holds a lease) → ``done``.

    ``cancelled`` timers never fire but keep their row, so scheduling the same timer
    again reactivates it instead of tripping the uniqueness rule.
    """

    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    CANCELLED = "cancelled"

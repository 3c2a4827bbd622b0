"""panelbot's tables, as SQLModel classes.

Shape of the schema, and why:

* Every table carries ``workspace_id`` (the Slack team / Teams tenant), indexed, so the
  repositories can filter every query by tenant and a tenant's rows can be found fast.
* Integer surrogate keys; platform ids (users, channels, messages) are plain strings.
* Timestamps are :class:`~storage.columns.UTCDateTime`: aware UTC in, aware UTC out.
* Enums are VARCHAR + CHECK (:func:`~storage.columns.enum_type`) so the database refuses
  values the code does not know, whoever writes them.
* Every constraint and index has a deterministic name (``NAMING_CONVENTION``), which keeps
  Alembic migrations stable and lets a migration drop a constraint by name on both
  SQLite (batch mode) and PostgreSQL.
* There are no ORM relationships on purpose: SQLModel cannot resolve relationship
  annotations under ``from __future__ import annotations``, and explicit queries in the
  repositories keep loading (and the tenant filter) visible. Rows that belong together
  are returned together by the repositories (e.g. ``ScorecardBundle``).

Uniqueness that the product's idempotency rules rely on lives in the database, not only
in code: one scorecard per interview, one decision per panel, one delivery per
idempotency key, one rating per competency per scorecard, one timer per
(interview, kind, sequence), one directory entry and one conversation reference per
platform user.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapper, ORMExecuteState, Session
from sqlmodel import Field, SQLModel

from storage.columns import UTCDateTime, enum_type, utc_now
from storage.enums import (
    DecisionOutcome,
    DecisionStatus,
    DeliveryStatus,
    InterviewStatus,
    MemberRole,
    PanelStatus,
    Platform,
    Recommendation,
    ScorecardStatus,
    TimerKind,
    TimerStatus,
)
from storage.errors import AppendOnlyViolation

__all__ = [
    "NAMING_CONVENTION",
    "AuditEvent",
    "Candidate",
    "ConversationRef",
    "Decision",
    "Delivery",
    "Interview",
    "InterviewerProfile",
    "Panel",
    "Person",
    "Rating",
    "Requisition",
    "RequisitionMember",
    "Scorecard",
    "Timer",
]

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Must be in place before the first table is declared: names are given at attach time.
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def _table_args(*items: Any) -> tuple[Any, ...]:
    """Constraints plus options every table shares.

    ``sqlite_autoincrement`` stops SQLite from reusing the id of a deleted last row;
    ids end up in idempotency keys, and a reused id would silence a new message.
    """
    return (*items, {"sqlite_autoincrement": True})


def _created_at() -> Any:
    return Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False)


def _optional_at() -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=True)


class Requisition(SQLModel, table=True):
    """An open role: what is being hired for, with which kit, discussed in which channel."""

    __tablename__ = "requisition"
    __table_args__ = _table_args()

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    title: str
    level: str | None = None
    kit_id: str
    channel_id: str
    # Which chat platform the requisition lives on: its channel, its people and every
    # message about its loops go there (the due-work runner routes timers by it).
    platform: Platform = Field(
        default=Platform.SLACK,
        sa_type=enum_type(Platform, "platform"),
        sa_column_kwargs={"server_default": Platform.SLACK.value},
    )
    created_at: datetime = _created_at()


class RequisitionMember(SQLModel, table=True):
    """A person's role on a requisition; the basis of debrief visibility and approval."""

    __tablename__ = "requisition_member"
    __table_args__ = _table_args(sa.UniqueConstraint("requisition_id", "user_id", "role"))

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    requisition_id: int = Field(foreign_key="requisition.id")
    user_id: str = Field(index=True)
    role: MemberRole = Field(sa_type=enum_type(MemberRole, "role"))


class Candidate(SQLModel, table=True):
    """A person being interviewed for one requisition."""

    __tablename__ = "candidate"
    __table_args__ = _table_args()

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    requisition_id: int = Field(foreign_key="requisition.id", index=True)
    name: str
    email: str | None = None
    created_at: datetime = _created_at()


class Panel(SQLModel, table=True):
    """One interview loop of a candidate; a candidate may get a follow-up loop."""

    __tablename__ = "panel"
    __table_args__ = _table_args()

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    requisition_id: int = Field(foreign_key="requisition.id", index=True)
    status: PanelStatus = Field(
        default=PanelStatus.SCHEDULED, sa_type=enum_type(PanelStatus, "status")
    )
    created_by: str
    created_at: datetime = _created_at()


class Interview(SQLModel, table=True):
    """One stage of a loop with one interviewer, at a fixed UTC time."""

    __tablename__ = "interview"
    __table_args__ = _table_args(
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_starts")
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    panel_id: int = Field(foreign_key="panel.id", index=True)
    stage_key: str
    interviewer_id: str = Field(index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status: InterviewStatus = Field(
        default=InterviewStatus.SCHEDULED, sa_type=enum_type(InterviewStatus, "status")
    )
    # Display only: times are stored in UTC and shown in the interviewer's zone.
    interviewer_tz: str = "UTC"


class Scorecard(SQLModel, table=True):
    """The interviewer's assessment of one interview; at most one per interview."""

    __tablename__ = "scorecard"
    __table_args__ = _table_args(
        sa.CheckConstraint(
            "(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_has_time"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    interview_id: int = Field(foreign_key="interview.id", unique=True)
    interviewer_id: str
    status: ScorecardStatus = Field(
        default=ScorecardStatus.DRAFT, sa_type=enum_type(ScorecardStatus, "status")
    )
    recommendation: Recommendation | None = Field(
        default=None, sa_type=enum_type(Recommendation, "recommendation")
    )
    red_flags: list[str] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    created_at: datetime = _created_at()
    updated_at: datetime = _created_at()
    submitted_at: datetime | None = _optional_at()


class Rating(SQLModel, table=True):
    """A scale level for one competency, with the evidence that backs it."""

    __tablename__ = "rating"
    __table_args__ = _table_args(sa.UniqueConstraint("scorecard_id", "competency_id"))

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    scorecard_id: int = Field(foreign_key="scorecard.id")
    competency_id: str
    level: str
    note: str = ""


class Decision(SQLModel, table=True):
    """The hiring call on a panel: proposed by the debrief, answered by a hiring manager."""

    __tablename__ = "decision"
    __table_args__ = _table_args(
        sa.CheckConstraint("(status = 'pending') = (outcome IS NULL)", name="outcome_iff_decided"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    panel_id: int = Field(foreign_key="panel.id", unique=True)
    proposed: Recommendation = Field(sa_type=enum_type(Recommendation, "proposed"))
    status: DecisionStatus = Field(
        default=DecisionStatus.PENDING, sa_type=enum_type(DecisionStatus, "status")
    )
    outcome: DecisionOutcome | None = Field(
        default=None, sa_type=enum_type(DecisionOutcome, "outcome")
    )
    approver_id: str | None = None
    reason: str | None = None
    # Where the debrief was posted, so the message can be updated after the answer.
    channel_id: str | None = None
    message_ts: str | None = None
    created_at: datetime = _created_at()
    decided_at: datetime | None = _optional_at()


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, when. Append-only (enforced below)."""

    __tablename__ = "audit_event"
    __table_args__ = _table_args(sa.Index(None, "workspace_id", "subject_type", "subject_id"))

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    at: datetime = _created_at()
    actor_id: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)


class Delivery(SQLModel, table=True):
    """The outbound message ledger: one row per message panelbot means to send.

    The unique ``idempotency_key`` is what makes a retried event or a re-fired
    reminder send nothing twice; ``next_attempt_at`` keeps undeliverable messages
    in line for a retry instead of losing them.
    """

    __tablename__ = "delivery"
    __table_args__ = _table_args(
        sa.Index(None, "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    idempotency_key: str = Field(unique=True)
    platform: Platform = Field(sa_type=enum_type(Platform, "platform"))
    kind: str
    recipient: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    status: DeliveryStatus = Field(
        default=DeliveryStatus.PENDING, sa_type=enum_type(DeliveryStatus, "status")
    )
    attempts: int = 0
    last_error: str | None = None
    platform_message_id: str | None = None
    created_at: datetime = _created_at()
    sent_at: datetime | None = _optional_at()
    next_attempt_at: datetime | None = _optional_at()


class Person(SQLModel, table=True):
    """A platform user as the directory last described them: a cache, not a source of truth.

    Messages name people ("Alice's scorecard is missing") and show times in their zone;
    asking Slack or Graph for that on every render is slow and rate-limited, so the
    directory answer is kept here. ``updated_at`` says how stale an entry is.
    """

    __tablename__ = "person"
    __table_args__ = _table_args(sa.UniqueConstraint("workspace_id", "platform", "user_id"))

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    platform: Platform = Field(sa_type=enum_type(Platform, "platform"))
    user_id: str
    display_name: str
    # IANA zone name ("Europe/Berlin"); "UTC" when the directory does not say.
    tz: str = "UTC"
    is_bot: bool = False
    updated_at: datetime = _created_at()


class Timer(SQLModel, table=True):
    """A briefing, reminder or escalation due at a fixed instant, kept in the database.

    In-process schedulers forget everything on restart and fire once per replica;
    a row here survives restarts and is handed to one worker at a time through a
    lease (``claimed_by`` until ``claim_expires_at``). The UNIQUE key makes
    scheduling the same timer twice update one row instead of adding a second.
    """

    __tablename__ = "timer"
    __table_args__ = _table_args(
        sa.UniqueConstraint("interview_id", "kind", "sequence"),
        sa.Index(None, "status", "due_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        # The briefing is sequence 0 and only the briefing is; reminders count from 1.
        sa.CheckConstraint("(kind = 'briefing') = (sequence = 0)", name="briefing_is_sequence_0"),
        sa.CheckConstraint(
            "status <> 'claimed' OR (claimed_by IS NOT NULL AND claim_expires_at IS NOT NULL)",
            name="claim_has_lease",
        ),
        sa.CheckConstraint("(status = 'done') = (fired_at IS NOT NULL)", name="done_has_time"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    kind: TimerKind = Field(sa_type=enum_type(TimerKind, "kind"))
    interview_id: int = Field(foreign_key="interview.id")
    sequence: int
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status: TimerStatus = Field(
        default=TimerStatus.PENDING, sa_type=enum_type(TimerStatus, "status")
    )
    claimed_by: str | None = None
    claim_expires_at: datetime | None = _optional_at()
    fired_at: datetime | None = _optional_at()
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime = _created_at()


class ConversationRef(SQLModel, table=True):
    """Where panelbot can message a user unprompted (Teams proactive messaging).

    Teams only allows a bot to start a conversation it has a reference for: the
    ``ConversationReference`` of an earlier activity (conversation id, service URL,
    bot and user accounts). It is captured when the user first talks to the bot or
    installs it, and kept here so briefings and reminders work after a restart and
    from any replica. ``workspace_id`` is the Teams tenant id (or the Slack team).
    """

    __tablename__ = "conversation_ref"
    __table_args__ = _table_args(sa.UniqueConstraint("workspace_id", "platform", "user_id"))

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    platform: Platform = Field(sa_type=enum_type(Platform, "platform"))
    # The Teams AAD object id or the Slack user id.
    user_id: str
    conversation_id: str
    service_url: str
    # The serialized botbuilder ConversationReference, as botbuilder itself wrote it.
    reference: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    updated_at: datetime = _created_at()


class InterviewerProfile(SQLModel, table=True):
    """Who may interview, when and how much: the scheduling profile of one person.

    Owned by the person (``/panel interviewer``) or imported from ``POOL.yaml``; the
    solver reads it to pick interviewers and reminders use its working hours, so both
    agree on when someone works. Hours are local "HH:MM" strings in ``tz`` (a wall
    clock, not an instant, so DST never shifts them); ``qualified`` maps a kit id to
    the stage keys the person may lead (or shadow, for a trainee); ``blocks`` is busy
    time typed by hand, ``[{"start": ISO, "end": ISO}]``.
    """

    __tablename__ = "interviewer_profile"
    __table_args__ = _table_args(
        sa.UniqueConstraint("workspace_id", "platform", "user_id"),
        sa.CheckConstraint("max_per_day >= 0", name="max_per_day_not_negative"),
        sa.CheckConstraint("max_per_week >= 0", name="max_per_week_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: str = Field(index=True)
    platform: Platform = Field(sa_type=enum_type(Platform, "platform"))
    user_id: str
    display_name: str
    tz: str = "UTC"
    work_start: str = "09:00"
    work_end: str = "17:00"
    weekdays: str = "mon-fri"
    max_per_day: int = 2
    max_per_week: int = 8
    qualified: dict[str, list[str]] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    trainee: bool = False
    # An .ics path or an http(s)/webcal URL; read by the calendar providers, never here.
    calendar: str | None = None
    blocks: list[dict[str, str]] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    updated_at: datetime = _created_at()


# --- AuditEvent is append-only -------------------------------------------------------
# The audit trail is only worth something if nothing rewrites it. Unit-of-work updates
# and deletes are stopped by mapper events; ORM bulk UPDATE/DELETE statements bypass
# mapper events, so they are stopped at session level.


def _refuse_audit_change(mapper: Mapper[Any], connection: sa.Connection, target: Any) -> None:
    raise AppendOnlyViolation(f"audit events are append-only (AuditEvent id={target.id})")


sa.event.listen(AuditEvent, "before_update", _refuse_audit_change)
sa.event.listen(AuditEvent, "before_delete", _refuse_audit_change)


def _refuse_audit_bulk_change(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        m.class_ is AuditEvent for m in state.all_mappers
    ):
        raise AppendOnlyViolation("audit events are append-only (bulk UPDATE/DELETE refused)")


sa.event.listen(Session, "do_orm_execute", _refuse_audit_bulk_change)

"""Durable timers: briefings, feedback reminders and escalations that fire exactly once.

An in-process scheduler forgets its jobs on restart and, with several replicas, fires
each job once per replica. Timers live here instead, and a worker loop drives them::

    with session_scope(engine) as session:                      # 1. claim, commit
        timers = Store(session).claim_due_timers(now, worker_id=me)
    for timer in timers:
        try:
            with session_scope(engine) as session:              # 2. fire, atomically
                store = Store(session)
                if not store.complete_timer(timer.workspace_id, timer.id, worker_id=me, now=now):
                    continue                                     # claim lost: send nothing
                store.reserve_delivery(ws, f"timer:{timer.id}", ...)
        except TransientError as exc:
            with session_scope(engine) as session:              # 3. or hand it back
                Store(session).release_timer(ws, timer.id, worker_id=me, error=str(exc),
                                             retry_at=now + backoff)

Completing the timer and reserving its message in one transaction is what makes a
timer produce exactly one message: either both land or neither does, and the
delivery ledger then sends it (once, by idempotency key).

Claims are leases. A worker that dies after claiming leaves rows ``claimed`` with a
``claim_expires_at`` in the past; the next :meth:`TimersRepo.claim_due_timers` takes
them over. :meth:`TimersRepo.complete_timer` only succeeds for the worker that holds
the claim *now*, so a slow worker whose lease was taken over cannot fire a second time.

Two replicas never claim the same row: on PostgreSQL the claim reads ``FOR UPDATE
SKIP LOCKED`` (each replica takes rows nobody else has locked, and a row claimed and
committed by another replica meanwhile no longer matches the re-checked condition);
on SQLite every transaction starts with ``BEGIN IMMEDIATE`` (:mod:`storage.db`), so
claims run one after another.

Like the delivery ledger, the worker-facing reads take ``ws=None`` for "all
workspaces"; writes always name the workspace.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import col, select

from storage.enums import InterviewStatus, TimerKind, TimerStatus
from storage.errors import InvalidState, NotFound
from storage.models import Interview, Timer
from storage.repos._base import RepoBase
from storage.repos.deliveries import DEFAULT_LEASE, MAX_ERROR_LENGTH

__all__ = ["DEFAULT_CLAIM_LIMIT", "TimerSpec", "TimersRepo"]

logger = logging.getLogger(__name__)

DEFAULT_CLAIM_LIMIT = 100

# (kind, sequence, due_at): 0 for the briefing, 1..n reminders, n+1 the escalation.
TimerSpec = tuple[TimerKind, int, datetime]

_LIVE = (TimerStatus.PENDING, TimerStatus.CLAIMED)


class TimersRepo(RepoBase):
    """Durable timers of every workspace."""

    def schedule_timers(
        self, ws: str, interview_id: int, timers: Sequence[TimerSpec], *, rearm: bool = False
    ) -> list[Timer]:
        """Make sure each ``(kind, sequence, due_at)`` exists; returns the rows in that order.

        Idempotent, so a flow can simply re-plan an interview's timers whenever the
        interview changes:

        * missing → created ``pending``;
        * ``pending`` → moved to the new ``due_at`` (a reschedule);
        * ``claimed`` with a different ``due_at`` → back to ``pending`` at the new time;
          the worker holding it loses its claim, so it will not fire at the old time;
        * ``cancelled`` → ``pending`` again, with a fresh attempt count;
        * ``done`` → left alone: it already fired; with ``rearm`` (a new interviewer took
          over, who has not had that briefing or reminder) it becomes ``pending`` again.

        Timers not named are not touched; use :meth:`cancel_timers` for those.
        Raises :class:`NotFound` for an interview of another workspace,
        :class:`InvalidState` for a cancelled interview, ``ValueError`` for a bad spec.
        """
        specs = _checked_specs(timers)
        interview = self._lock_interview(ws, interview_id)
        if specs and interview.status == InterviewStatus.CANCELLED:
            raise InvalidState("This interview was cancelled, so nothing is scheduled for it.")
        existing = {(t.kind, t.sequence): t for t in self._interview_timers(ws, interview_id)}
        now = self._now()
        rows: list[Timer] = []
        created = changed = 0
        for kind, sequence, due_at in specs:
            row = existing.get((kind, sequence))
            if row is None:
                row = Timer(
                    workspace_id=ws,
                    kind=kind,
                    interview_id=interview_id,
                    sequence=sequence,
                    due_at=due_at,
                    status=TimerStatus.PENDING,
                    attempts=0,
                    created_at=now,
                )
                created += 1
            elif row.status == TimerStatus.CANCELLED or (rearm and row.status == TimerStatus.DONE):
                _to_pending(row, due_at)
                row.attempts = 0
                row.last_error = None
                changed += 1
            elif row.status in _LIVE and row.due_at != due_at:
                _to_pending(row, due_at)
                changed += 1
            else:  # done, or live and already due at that instant
                rows.append(row)
                continue
            self.session.add(row)
            rows.append(row)
        self.session.flush()
        logger.info(
            "storage.timers.scheduled",
            extra={
                "workspace_id": ws,
                "interview_id": interview_id,
                "timers_created": created,
                "changed": changed,
            },
        )
        return rows

    def cancel_timers(
        self, ws: str, interview_id: int, kinds: Collection[TimerKind] | None = None
    ) -> int:
        """Cancel the interview's pending and claimed timers (of ``kinds``, if given).

        Returns how many were cancelled. A worker holding one of them loses its claim
        (:meth:`complete_timer` returns ``False``), so nothing is sent after a cancel
        commits. Timers that already fired stay ``done``.
        """
        stmt = select(Timer).where(
            Timer.workspace_id == ws,
            Timer.interview_id == interview_id,
            col(Timer.status).in_(_LIVE),
        )
        if kinds is not None:
            if not kinds:
                return 0
            stmt = stmt.where(col(Timer.kind).in_(list(kinds)))
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
        rows = list(self.session.exec(stmt).all())
        for row in rows:
            row.status = TimerStatus.CANCELLED
            row.claim_expires_at = None
            self.session.add(row)
        self.session.flush()
        if rows:
            logger.info(
                "storage.timers.cancelled",
                extra={"workspace_id": ws, "interview_id": interview_id, "count": len(rows)},
            )
        return len(rows)

    def claim_due_timers(
        self,
        now: datetime,
        *,
        worker_id: str,
        limit: int = DEFAULT_CLAIM_LIMIT,
        lease: timedelta = DEFAULT_LEASE,
        ws: str | None = None,
    ) -> list[Timer]:
        """Claim up to ``limit`` due timers for ``worker_id`` for ``lease``; oldest due first.

        Due means ``pending`` with ``due_at <= now``, or ``claimed`` by a worker whose
        lease ran out (``claim_expires_at < now``: it crashed or hung). Each claim
        counts one attempt. Commit right after claiming, then fire each timer in its
        own transaction (see the module docstring).
        """
        now = self._now(now)
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        if lease <= timedelta(0):
            raise ValueError(f"lease must be positive, got {lease}")
        if not worker_id:
            raise ValueError("worker_id must name the claiming worker")
        stmt = select(Timer).where(_due(now))
        if ws is not None:
            stmt = stmt.where(Timer.workspace_id == ws)
        stmt = (
            stmt.order_by(col(Timer.due_at), col(Timer.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        rows = list(self.session.exec(stmt).all())
        taken_over = 0
        for row in rows:
            if row.status == TimerStatus.CLAIMED:
                taken_over += 1
                logger.warning(
                    "storage.timer.lease_expired",
                    extra={
                        "workspace_id": row.workspace_id,
                        "timer_id": row.id,
                        "previous_worker": row.claimed_by,
                        "worker_id": worker_id,
                        "attempts": row.attempts,
                    },
                )
            row.status = TimerStatus.CLAIMED
            row.claimed_by = worker_id
            row.claim_expires_at = now + lease
            row.attempts += 1
            self.session.add(row)
        self.session.flush()
        if rows:
            logger.info(
                "storage.timers.claimed",
                extra={"worker_id": worker_id, "count": len(rows), "taken_over": taken_over},
            )
        return rows

    def complete_timer(
        self, ws: str, timer_id: int, *, worker_id: str, now: datetime | None = None
    ) -> bool:
        """Mark the timer fired if ``worker_id`` still holds its claim.

        ``False`` means the claim is gone (the lease was taken over, the timer was
        cancelled or rescheduled, or it is already done): the caller must not send.
        """
        row = self._locked_timer(ws, timer_id)
        if row.status != TimerStatus.CLAIMED or row.claimed_by != worker_id:
            logger.info(
                "storage.timer.claim_lost",
                extra={
                    "workspace_id": ws,
                    "timer_id": timer_id,
                    "worker_id": worker_id,
                    "status": row.status.value,
                    "claimed_by": row.claimed_by,
                },
            )
            return False
        row.status = TimerStatus.DONE
        row.fired_at = self._now(now)
        row.claim_expires_at = None
        self.session.add(row)
        self.session.flush()
        logger.info(
            "storage.timer.fired",
            extra={"workspace_id": ws, "timer_id": timer_id, "kind": row.kind.value},
        )
        return True

    def release_timer(
        self, ws: str, timer_id: int, *, worker_id: str, error: str, retry_at: datetime
    ) -> bool:
        """Hand a claimed timer back after a transient failure, due again at ``retry_at``.

        ``error`` is kept in ``last_error`` for ``panelbot status``. Returns ``False``
        (and changes nothing) if ``worker_id`` no longer holds the claim, so a late
        error report cannot undo someone else's claim or a cancellation.
        """
        retry_at = self._now(retry_at)
        row = self._locked_timer(ws, timer_id)
        if row.status != TimerStatus.CLAIMED or row.claimed_by != worker_id:
            return False
        _to_pending(row, retry_at)
        row.last_error = error[:MAX_ERROR_LENGTH]
        self.session.add(row)
        self.session.flush()
        logger.warning(
            "storage.timer.released",
            extra={
                "workspace_id": ws,
                "timer_id": timer_id,
                "attempts": row.attempts,
                "retry_at": retry_at.isoformat(),
            },
        )
        return True

    def timers_for_interview(self, ws: str, interview_id: int) -> list[Timer]:
        """Every timer of the interview, whatever its status, in due order."""
        stmt = (
            select(Timer)
            .where(Timer.workspace_id == ws, Timer.interview_id == interview_id)
            .order_by(col(Timer.due_at), col(Timer.id))
        )
        return list(self.session.exec(stmt).all())

    def pending_timers(
        self, ws: str | None = None, *, due_before: datetime | None = None
    ) -> list[Timer]:
        """``pending`` timers (all workspaces if ``ws`` is ``None``), due at or before
        ``due_before`` if given, in due order. Claimed timers are not included."""
        stmt = select(Timer).where(Timer.status == TimerStatus.PENDING)
        if ws is not None:
            stmt = stmt.where(Timer.workspace_id == ws)
        if due_before is not None:
            stmt = stmt.where(col(Timer.due_at) <= self._now(due_before))
        stmt = stmt.order_by(col(Timer.due_at), col(Timer.id))
        return list(self.session.exec(stmt).all())

    def count_due_timers(self, now: datetime) -> int:
        """How many timers :meth:`claim_due_timers` could take at ``now`` (a backlog metric)."""
        stmt = select(func.count()).select_from(Timer).where(_due(self._now(now)))
        return int(self.session.exec(stmt).one())

    # --- internals -------------------------------------------------------------------

    def _lock_interview(self, ws: str, interview_id: int) -> Interview:
        """The interview, locked so that schedulers of the same interview queue up.

        ``key_share=True`` makes it ``FOR NO KEY UPDATE`` on PostgreSQL: it excludes
        another scheduler but not inserts that merely reference the interview.
        """
        row = self.session.exec(
            select(Interview)
            .where(Interview.workspace_id == ws, Interview.id == interview_id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        ).first()
        if row is None:
            raise NotFound("interview", interview_id)
        return row

    def _interview_timers(self, ws: str, interview_id: int) -> list[Timer]:
        stmt = (
            select(Timer)
            .where(Timer.workspace_id == ws, Timer.interview_id == interview_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return list(self.session.exec(stmt).all())

    def _locked_timer(self, ws: str, timer_id: int) -> Timer:
        row = self.session.exec(
            select(Timer)
            .where(Timer.workspace_id == ws, Timer.id == timer_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if row is None:
            raise NotFound("timer", timer_id)
        return row


def _due(now: datetime) -> ColumnElement[bool]:
    """Pending and due, or claimed by a worker whose lease has run out."""
    return or_(
        and_(col(Timer.status) == TimerStatus.PENDING, col(Timer.due_at) <= now),
        and_(col(Timer.status) == TimerStatus.CLAIMED, col(Timer.claim_expires_at) < now),
    )


def _to_pending(row: Timer, due_at: datetime) -> None:
    row.status = TimerStatus.PENDING
    row.due_at = due_at
    row.claimed_by = None
    row.claim_expires_at = None
    row.fired_at = None


def _checked_specs(timers: Sequence[TimerSpec]) -> list[TimerSpec]:
    """The specs with aware due times, or ``ValueError`` naming the first bad one.

    Checked here, before anything is written, so a flow's planning bug surfaces as a
    readable error rather than a CHECK or UNIQUE violation from the database.
    """
    seen: set[tuple[TimerKind, int]] = set()
    checked: list[TimerSpec] = []
    for kind, sequence, due_at in timers:
        kind = TimerKind(kind)
        if (kind == TimerKind.BRIEFING) != (sequence == 0) or sequence < 0:
            raise ValueError(
                f"timer {kind.value} #{sequence}: the briefing is sequence 0, "
                "reminders and the escalation count from 1"
            )
        if (kind, sequence) in seen:
            raise ValueError(f"timer {kind.value} #{sequence} is listed twice")
        if due_at.tzinfo is None or due_at.utcoffset() is None:
            raise ValueError(f"timer {kind.value} #{sequence}: due_at must be timezone-aware")
        seen.add((kind, sequence))
        checked.append((kind, sequence, due_at))
    return checked

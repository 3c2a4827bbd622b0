"""Durable timers: idempotent scheduling, leases, exactly-once claiming across workers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from storage.db import make_engine, session_scope
from storage.enums import InterviewStatus, TimerKind, TimerStatus
from storage.errors import InvalidState, NotFound
from storage.models import Timer
from storage.repository import Store, require_id

WS, OTHER = "T_ACME", "T_OTHER"
T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
B, R, E = TimerKind.BRIEFING, TimerKind.REMINDER, TimerKind.ESCALATION


def _plan(start: datetime = T0) -> list[tuple[TimerKind, int, datetime]]:
    """A briefing an hour before, two reminders after, then the escalation."""
    return [
        (B, 0, start - timedelta(hours=1)),
        (R, 1, start + timedelta(hours=2)),
        (R, 2, start + timedelta(hours=26)),
        (E, 3, start + timedelta(hours=50)),
    ]


def _ids(timers: list[Timer]) -> list[int]:
    return [require_id(t) for t in timers]


def _schedule(stores: Any, interview_id: int, plan: Any = None) -> list[Timer]:
    with stores() as store:
        return store.schedule_timers(WS, interview_id, _plan() if plan is None else plan)


# --- scheduling ----------------------------------------------------------------------


def test_schedule_creates_pending_timers_in_given_order(stores: Any, loop: Any) -> None:
    iid = loop.interview_ids[0]
    timers = _schedule(stores, iid)
    assert [(t.kind, t.sequence, t.due_at) for t in timers] == _plan()
    assert all(t.status == TimerStatus.PENDING and t.attempts == 0 for t in timers)
    assert all(t.workspace_id == WS and t.interview_id == iid for t in timers)
    with stores() as store:
        assert _ids(store.timers_for_interview(WS, iid)) == _ids(timers)


def test_schedule_is_idempotent_and_reschedules_pending(stores: Any, loop: Any) -> None:
    iid = loop.interview_ids[0]
    first = _schedule(stores, iid)
    again = _schedule(stores, iid)
    assert _ids(again) == _ids(first)
    moved = _schedule(stores, iid, _plan(T0 + timedelta(days=1)))
    assert _ids(moved) == _ids(first)
    with stores() as store:
        stored = store.timers_for_interview(WS, iid)
    assert len(stored) == 4
    assert [t.due_at for t in stored] == [due for _, _, due in _plan(T0 + timedelta(days=1))]
    assert all(t.status == TimerStatus.PENDING for t in stored)


def test_schedule_leaves_done_alone_and_reactivates_cancelled(stores: Any, loop: Any) -> None:
    iid = loop.interview_ids[0]
    briefing, reminder, *_ = _schedule(stores, iid)
    with stores() as store:
        (claimed,) = store.claim_due_timers(T0, worker_id="w1")
        assert claimed.id == briefing.id
        assert store.complete_timer(WS, require_id(briefing), worker_id="w1", now=T0)
        assert store.cancel_timers(WS, iid, [R]) == 2
    later = _plan(T0 + timedelta(hours=5))
    with stores() as store:
        again = store.schedule_timers(WS, iid, later)
    done, revived = again[0], again[1]
    assert done.status == TimerStatus.DONE and done.due_at == briefing.due_at
    assert done.fired_at == T0 and done.attempts == 1
    assert revived.id == reminder.id
    assert revived.status == TimerStatus.PENDING and revived.due_at == later[1][2]
    assert revived.attempts == 0 and revived.last_error is None


def test_rescheduling_a_claimed_timer_takes_the_claim_back(stores: Any, loop: Any) -> None:
    """A worker firing at the old time must not send once the interview has moved."""
    iid = loop.interview_ids[0]
    _schedule(stores, iid)
    with stores() as store:
        (briefing,) = store.claim_due_timers(T0, worker_id="w1")
    with stores() as store:  # same plan again: the claim is left alone
        store.schedule_timers(WS, iid, _plan())
        assert store.timers_for_interview(WS, iid)[0].status == TimerStatus.CLAIMED
    with stores() as store:
        store.schedule_timers(WS, iid, _plan(T0 + timedelta(days=2)))
    with stores() as store:
        assert not store.complete_timer(WS, require_id(briefing), worker_id="w1", now=T0)
        row = store.timers_for_interview(WS, iid)[0]
    assert row.status == TimerStatus.PENDING and row.claimed_by is None
    assert row.due_at == T0 + timedelta(days=2) - timedelta(hours=1)


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        pytest.param([(B, 1, T0)], "briefing is sequence 0", id="briefing-not-0"),
        pytest.param([(R, 0, T0)], "briefing is sequence 0", id="reminder-0"),
        pytest.param([(E, -1, T0)], "briefing is sequence 0", id="negative"),
        pytest.param([(R, 1, T0), (R, 1, T0)], "listed twice", id="duplicate"),
        pytest.param([(R, 1, datetime(2030, 3, 4, 9))], "timezone-aware", id="naive"),
    ],
)
def test_bad_specs_are_refused_before_writing(
    stores: Any, loop: Any, plan: Any, message: str
) -> None:
    with stores() as store, pytest.raises(ValueError, match=message):
        store.schedule_timers(WS, loop.interview_ids[0], plan)
    with stores() as store:
        assert store.timers_for_interview(WS, loop.interview_ids[0]) == []


def test_schedule_checks_the_interview(stores: Any, loop: Any) -> None:
    iid = loop.interview_ids[0]
    with stores() as store, pytest.raises(NotFound):
        store.schedule_timers(OTHER, iid, _plan())
    with stores() as store:
        interview = store.get_interview(WS, iid)
        interview.status = InterviewStatus.CANCELLED
        store.session.add(interview)
    with stores() as store, pytest.raises(InvalidState):
        store.schedule_timers(WS, iid, _plan())


# --- cancelling ----------------------------------------------------------------------


def test_cancel_stops_pending_and_claimed_but_not_done(stores: Any, loop: Any) -> None:
    iid, other_iid = loop.interview_ids
    timers = _schedule(stores, iid)
    _schedule(stores, other_iid)
    with stores() as store:
        claimed = store.claim_due_timers(T0 + timedelta(hours=3), worker_id="w1", ws=WS)
        assert {t.id for t in claimed} >= {timers[0].id, timers[1].id}
        assert store.complete_timer(WS, require_id(timers[0]), worker_id="w1", now=T0)
    with stores() as store:
        assert store.cancel_timers(OTHER, iid) == 0
        assert store.cancel_timers(WS, iid, kinds=[]) == 0
        assert store.cancel_timers(WS, iid) == 3
        assert store.cancel_timers(WS, iid) == 0
        statuses = [t.status for t in store.timers_for_interview(WS, iid)]
        # The claimed reminder is cancelled: its worker must not send it.
        assert not store.complete_timer(WS, require_id(timers[1]), worker_id="w1", now=T0)
        untouched = store.timers_for_interview(WS, other_iid)
    assert statuses == [TimerStatus.DONE] + [TimerStatus.CANCELLED] * 3
    assert all(t.status != TimerStatus.CANCELLED for t in untouched)
    with stores() as store:
        later = store.claim_due_timers(T0 + timedelta(days=30), worker_id="w2", ws=WS)
    # Only the other interview's timers are left to fire.
    assert later and all(t.interview_id == other_iid for t in later)


def test_cancel_by_kind(stores: Any, loop: Any) -> None:
    iid = loop.interview_ids[0]
    _schedule(stores, iid)
    with stores() as store:
        assert store.cancel_timers(WS, iid, {R, E}) == 3
        kinds = {t.kind: t.status for t in store.timers_for_interview(WS, iid)}
    assert kinds == {
        B: TimerStatus.PENDING,
        R: TimerStatus.CANCELLED,
        E: TimerStatus.CANCELLED,
    }


# --- claiming ------------------------------------------------------------------------


def test_claim_takes_only_due_timers_in_due_order(stores: Any, loop: Any) -> None:
    a, b = loop.interview_ids
    first = _schedule(stores, a)
    second = _schedule(stores, b, _plan(T0 + timedelta(minutes=30)))
    now = T0 + timedelta(hours=2, minutes=15)  # both briefings and a's first reminder
    with stores() as store:
        assert store.count_due_timers(now) == 3
        assert store.claim_due_timers(T0 - timedelta(hours=2), worker_id="w1") == []
        got = store.claim_due_timers(now, worker_id="w1", limit=2)
        rest = store.claim_due_timers(now, worker_id="w1")
        assert store.count_due_timers(now) == 0
    assert _ids(got) == [require_id(first[0]), require_id(second[0])]
    assert _ids(rest) == [require_id(first[1])]
    for timer in [*got, *rest]:
        assert timer.status == TimerStatus.CLAIMED and timer.claimed_by == "w1"
        assert timer.claim_expires_at == now + LEASE and timer.attempts == 1


def test_due_at_exactly_now_is_due(stores: Any, loop: Any) -> None:
    _schedule(stores, loop.interview_ids[0], [(R, 1, T0)])
    with stores() as store:
        assert len(store.claim_due_timers(T0, worker_id="w1")) == 1


def test_claim_can_be_limited_to_a_workspace(stores: Any, loop: Any, make_loop: Any) -> None:
    with stores() as store:
        other = make_loop(store, OTHER)
        store.schedule_timers(OTHER, other.interview_ids[0], [(R, 1, T0)])
    _schedule(stores, loop.interview_ids[0], [(R, 1, T0)])
    with stores() as store:
        mine = store.claim_due_timers(T0, worker_id="w1", ws=WS)
        theirs = store.claim_due_timers(T0, worker_id="w1")
    assert [t.workspace_id for t in mine] == [WS]
    assert [t.workspace_id for t in theirs] == [OTHER]


def test_a_claim_holds_until_its_lease_expires(stores: Any, loop: Any) -> None:
    """A crashed worker's timers are taken over once its lease runs out, not before."""
    _schedule(stores, loop.interview_ids[0], [(R, 1, T0)])
    with stores() as store:
        (timer,) = store.claim_due_timers(T0, worker_id="crashed", lease=LEASE)
    timer_id = require_id(timer)
    with stores() as store:
        assert store.claim_due_timers(T0 + timedelta(minutes=1), worker_id="w2") == []
        assert store.claim_due_timers(T0 + LEASE, worker_id="w2") == []  # not yet *past* it
        assert store.count_due_timers(T0 + LEASE) == 0
        assert store.count_due_timers(T0 + LEASE + timedelta(seconds=1)) == 1
    with stores() as store:
        (again,) = store.claim_due_timers(T0 + LEASE + timedelta(seconds=1), worker_id="w2")
    assert again.id == timer_id and again.claimed_by == "w2" and again.attempts == 2
    with stores() as store:
        # The worker that lost its lease comes back: it must not send.
        assert not store.complete_timer(WS, timer_id, worker_id="crashed", now=T0)
        assert store.complete_timer(WS, timer_id, worker_id="w2", now=T0 + LEASE)
    with stores() as store:
        (done,) = store.timers_for_interview(WS, loop.interview_ids[0])
        assert store.claim_due_timers(T0 + timedelta(days=9), worker_id="w3") == []
    assert done.status == TimerStatus.DONE and done.fired_at == T0 + LEASE


def test_complete_by_the_wrong_worker_or_twice_returns_false(stores: Any, loop: Any) -> None:
    _schedule(stores, loop.interview_ids[0], [(R, 1, T0)])
    with stores() as store:
        (timer,) = store.claim_due_timers(T0, worker_id="w1")
    timer_id = require_id(timer)
    with stores() as store:
        assert store.complete_timer(WS, timer_id, worker_id="w2", now=T0) is False
        assert store.timers_for_interview(WS, loop.interview_ids[0])[0].status == (
            TimerStatus.CLAIMED
        )
        with pytest.raises(NotFound):
            store.complete_timer(OTHER, timer_id, worker_id="w1", now=T0)
    with stores() as store:
        assert store.complete_timer(WS, timer_id, worker_id="w1", now=T0) is True
    with stores() as store:
        assert store.complete_timer(WS, timer_id, worker_id="w1", now=T0) is False


def test_release_puts_the_timer_back_with_a_new_due_time(stores: Any, loop: Any) -> None:
    _schedule(stores, loop.interview_ids[0], [(R, 1, T0)])
    with stores() as store:
        (timer,) = store.claim_due_timers(T0, worker_id="w1")
    timer_id, retry_at = require_id(timer), T0 + timedelta(minutes=10)
    with stores() as store:
        assert not store.release_timer(
            WS, timer_id, worker_id="w2", error="not mine", retry_at=retry_at
        )
        assert store.release_timer(
            WS, timer_id, worker_id="w1", error="429 rate limited" * 500, retry_at=retry_at
        )
    with stores() as store:
        (row,) = store.pending_timers(WS)
        assert store.claim_due_timers(retry_at - timedelta(seconds=1), worker_id="w2") == []
        assert store.pending_timers(WS, due_before=retry_at - timedelta(seconds=1)) == []
        assert _ids(store.pending_timers(None, due_before=retry_at)) == [timer_id]
    assert row.status == TimerStatus.PENDING and row.due_at == retry_at
    assert row.claimed_by is None and row.claim_expires_at is None
    assert row.last_error is not None and row.last_error.startswith("429 rate limited")
    assert len(row.last_error) == 2000 and row.attempts == 1
    with stores() as store:
        (again,) = store.claim_due_timers(retry_at, worker_id="w2")
    assert again.attempts == 2 and again.claimed_by == "w2"


def test_other_workspace_sees_no_timers(stores: Any, loop: Any) -> None:
    timers = _schedule(stores, loop.interview_ids[0])
    with stores() as store:
        assert store.timers_for_interview(OTHER, loop.interview_ids[0]) == []
        assert store.pending_timers(OTHER) == []
        assert store.claim_due_timers(T0 + timedelta(days=9), worker_id="w", ws=OTHER) == []
        with pytest.raises(NotFound):
            store.release_timer(OTHER, require_id(timers[0]), worker_id="w", error="x", retry_at=T0)


# --- exactly once across workers -----------------------------------------------------

WORKERS = 4
TIMERS_PER_INTERVIEW = 100


def test_concurrent_workers_claim_every_timer_exactly_once(
    stores: Any, loop: Any, engine: Engine
) -> None:
    """Four workers, each with its own connection, drain 200 due timers between them."""
    for iid in loop.interview_ids:
        plan = [(R, n, T0 + timedelta(seconds=n)) for n in range(1, TIMERS_PER_INTERVIEW + 1)]
        _schedule(stores, iid, plan)
    now = T0 + timedelta(hours=1)
    barrier = threading.Barrier(WORKERS)

    def work(n: int) -> list[int]:
        worker_id = f"worker-{n}"
        got: list[int] = []
        barrier.wait()
        while True:
            with stores() as store:
                batch = store.claim_due_timers(now, worker_id=worker_id, limit=7)
            if not batch:
                return got
            got.extend(_ids(batch))

    with ThreadPoolExecutor(WORKERS) as pool:
        per_worker = list(pool.map(work, range(WORKERS)))
    flat = [i for ids in per_worker for i in ids]
    assert len(flat) == len(set(flat)) == 2 * TIMERS_PER_INTERVIEW
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, status, claimed_by, attempts FROM timer")).all()
    owner = {i: f"worker-{n}" for n, ids in enumerate(per_worker) for i in ids}
    assert {row.id for row in rows} == set(flat)
    for row in rows:
        assert (row.status, row.claimed_by, row.attempts) == ("claimed", owner[row.id], 1)


# --- the database's own rules --------------------------------------------------------

TS = "'2030-03-04 09:00:00'"


def _timer_sql(interview_id: int, kind: str, sequence: int, status: str = "pending") -> str:
    return (
        "INSERT INTO timer (workspace_id, kind, interview_id, sequence, due_at, status,"
        f" attempts, created_at) VALUES ('T_ACME', '{kind}', {interview_id}, {sequence}, {TS},"
        f" '{status}', 0, {TS})"
    )


@contextmanager
def _raw(engine: Engine) -> Iterator[sa.Connection]:
    with engine.begin() as conn:
        yield conn


@pytest.mark.parametrize(
    ("kind", "sequence", "status"),
    [
        pytest.param("briefing", 1, "pending", id="briefing-sequence"),
        pytest.param("reminder", 0, "pending", id="reminder-sequence-0"),
        pytest.param("nudge", 1, "pending", id="unknown-kind"),
        pytest.param("reminder", 1, "waiting", id="unknown-status"),
        pytest.param("reminder", 1, "claimed", id="claimed-without-lease"),
        pytest.param("reminder", 1, "done", id="done-without-time"),
    ],
)
def test_database_refuses_bad_timer_rows(
    engine: Engine, loop: Any, kind: str, sequence: int, status: str
) -> None:
    with pytest.raises(IntegrityError), _raw(engine) as conn:
        conn.execute(sa.text(_timer_sql(loop.interview_ids[0], kind, sequence, status)))


def test_database_keeps_one_timer_per_interview_kind_and_sequence(
    engine: Engine, loop: Any
) -> None:
    with _raw(engine) as conn:
        conn.execute(sa.text(_timer_sql(loop.interview_ids[0], "reminder", 1)))
    with pytest.raises(IntegrityError), _raw(engine) as conn:
        conn.execute(sa.text(_timer_sql(loop.interview_ids[0], "reminder", 1)))
    with pytest.raises(IntegrityError), _raw(engine) as conn:
        conn.execute(sa.text(_timer_sql(999999, "reminder", 1)))  # foreign key


def test_timers_survive_a_new_engine(db_url: str, engine: Engine, loop: Any) -> None:
    """What a restart looks like: a fresh engine and Store find the pending timers."""
    with session_scope(engine) as session:
        Store(session).schedule_timers(WS, loop.interview_ids[0], _plan())
    fresh = make_engine(db_url)
    try:
        with session_scope(fresh) as session:
            due = Store(session).claim_due_timers(T0, worker_id="after-restart")
    finally:
        fresh.dispose()
    assert [(t.kind, t.sequence) for t in due] == [(B, 0)]

"""Races between replicas/threads end with one winner, on both backends."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.enums import DecisionOutcome, DecisionStatus, Platform, Recommendation
from storage.inputs import RatingInput, ScorecardInput
from storage.repository import Store, require_id

WS = "T_ACME"
NOW = datetime(2030, 3, 4, 12, 0, tzinfo=UTC)
THREADS = 6
T = TypeVar("T")


def _race(stores: Any, action: Callable[[Store, int], T]) -> list[T]:
    """Run ``action`` in THREADS transactions released at the same moment."""
    barrier = threading.Barrier(THREADS)

    def run(n: int) -> T:
        barrier.wait()
        with stores() as store:
            return action(store, n)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(sql)).scalar_one())


def test_simultaneous_submissions_make_one_scorecard(
    stores: Any, loop: Any, engine: Engine
) -> None:
    iid = loop.interview_ids[0]
    form = ScorecardInput(
        ratings=[RatingInput(competency_id="coding", level="meets")],
        recommendation=Recommendation.YES,
    )
    results = _race(stores, lambda s, _: s.submit_scorecard(WS, iid, "U_ALICE", form, NOW)[1])
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert _count(engine, "SELECT COUNT(*) FROM scorecard") == 1
    assert _count(engine, "SELECT COUNT(*) FROM rating") == 1
    assert (
        _count(engine, "SELECT COUNT(*) FROM audit_event WHERE action = 'scorecard.submitted'") == 1
    )


def test_simultaneous_answers_make_one_decision(stores: Any, loop: Any) -> None:
    with stores() as store:
        store.ensure_decision(WS, loop.panel_id, Recommendation.YES)
    outcomes = [DecisionOutcome.APPROVE, DecisionOutcome.REJECT]

    def answer(store: Store, n: int) -> tuple[DecisionOutcome, bool]:
        outcome = outcomes[n % 2]
        return outcome, store.record_decision(WS, loop.panel_id, outcome, "U_HM")[1]

    results = _race(stores, answer)
    winners = [outcome for outcome, changed in results if changed]
    assert len(winners) == 1
    with stores() as store:
        decision = store.get_decision(WS, loop.panel_id)
    assert decision is not None
    assert decision.status == DecisionStatus.for_outcome(winners[0])


def test_simultaneous_reservations_make_one_delivery(stores: Any, engine: Engine) -> None:
    results = _race(
        stores,
        lambda s, _: s.reserve_delivery(WS, "reminder:42:1", Platform.TEAMS, "reminder", "U", {})[
            1
        ],
    )
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert _count(engine, "SELECT COUNT(*) FROM delivery") == 1


def test_simultaneous_claims_do_not_overlap(stores: Any) -> None:
    with stores() as store:
        ids = {
            require_id(store.reserve_delivery(WS, f"k{i}", Platform.SLACK, "dm", "U", {})[0])
            for i in range(THREADS * 3)
        }
        now = store._now()
    batches = _race(
        stores, lambda s, _: [require_id(d) for d in s.claim_due_deliveries(now, limit=5)]
    )
    flat = [i for batch in batches for i in batch]
    assert len(flat) == len(set(flat))  # nobody got a row someone else holds
    assert set(flat) == ids

"""The delivery ledger: reserve once, send once, keep failures visible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.enums import DeliveryStatus, Platform
from storage.repository import Store, require_id

WS = "T_ACME"
LATER = datetime(2100, 1, 1, tzinfo=UTC)


def _reserve(store: Store, key: str = "briefing:1:U_ALICE") -> tuple[Any, bool]:
    return store.reserve_delivery(
        WS, key, Platform.SLACK, "briefing", "U_ALICE", {"blocks": [{"type": "section"}]}
    )


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT COUNT(*) FROM delivery")).scalar_one())


def test_reserve_twice_keeps_one_row(stores: Any, engine: Engine) -> None:
    with stores() as store:
        first, created = _reserve(store)
    with stores() as store:
        again, created_again = _reserve(store)
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert again.payload == {"blocks": [{"type": "section"}]}
    assert _count(engine) == 1


def test_losing_a_reservation_race_keeps_the_transaction(
    stores: Any, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The UNIQUE key decides; the caller's other writes in the same transaction survive."""
    with stores() as store:
        first, _ = _reserve(store)
    with stores() as store:
        store.append_audit(WS, actor_id="U", action="test.before", subject_type="t", subject_id=1)
        real = store._by_key
        calls: list[str] = []

        def blind_first_look(key: str) -> Any:
            calls.append(key)
            return None if len(calls) == 1 else real(key)

        monkeypatch.setattr(store, "_by_key", blind_first_look)
        again, created = _reserve(store)
        store.append_audit(WS, actor_id="U", action="test.after", subject_type="t", subject_id=1)
    assert created is False and again.id == first.id
    assert len(calls) == 2  # the insert collided and the row was looked up again
    assert _count(engine) == 1
    with stores() as store:
        assert [e.action for e in store.audit_events(WS)] == ["test.before", "test.after"]


def test_sent_is_final(stores: Any) -> None:
    with stores() as store:
        delivery, _ = _reserve(store)
        delivery_id = require_id(delivery)
    with stores() as store:
        sent = store.mark_sent(WS, delivery_id, "1700000000.000100")
        assert store.pending_deliveries(WS, LATER) == []
    assert sent.status == DeliveryStatus.SENT and sent.attempts == 1
    assert sent.sent_at is not None and sent.sent_at.tzinfo is not None
    with stores() as store:
        late = store.mark_failed(WS, delivery_id, "timeout", retry_at=None)
        twice = store.mark_sent(WS, delivery_id, "other")
    assert late.status == DeliveryStatus.SENT
    assert twice.platform_message_id == "1700000000.000100" and twice.attempts == 1


def test_retryable_failure_stays_pending_until_due(stores: Any) -> None:
    with stores() as store:
        delivery, _ = _reserve(store)
        created_at = delivery.created_at
        delivery_id = require_id(delivery)
    retry_at = created_at + timedelta(seconds=30)
    with stores() as store:
        failed = store.mark_failed(WS, delivery_id, "429 Retry-After: 30", retry_at=retry_at)
    assert failed.status == DeliveryStatus.PENDING
    assert failed.attempts == 1 and failed.last_error == "429 Retry-After: 30"
    with stores() as store:
        assert store.pending_deliveries(None, retry_at - timedelta(seconds=1)) == []
        assert [d.id for d in store.pending_deliveries(None, retry_at)] == [delivery_id]
        assert [d.id for d in store.pending_deliveries(WS, retry_at)] == [delivery_id]
        assert store.failed_deliveries() == []


def test_permanent_failure_is_listed(stores: Any) -> None:
    with stores() as store:
        delivery, _ = _reserve(store)
        delivery_id = require_id(delivery)
    with stores() as store:
        store.mark_failed(WS, delivery_id, "channel_not_found" * 500, retry_at=None)
    with stores() as store:
        (failed,) = store.failed_deliveries(WS)
        assert store.pending_deliveries(None, LATER) == []
    assert failed.status == DeliveryStatus.FAILED
    assert failed.last_error is not None and len(failed.last_error) == 2000
    assert failed.next_attempt_at is None


def test_claim_hands_rows_out_once_per_lease(stores: Any) -> None:
    with stores() as store:
        ids = {require_id(_reserve(store, f"k{i}")[0]) for i in range(3)}
        now = store._now()
    with stores() as store:
        claimed = {require_id(d) for d in store.claim_due_deliveries(now, limit=2)}
    with stores() as store:
        rest = {require_id(d) for d in store.claim_due_deliveries(now)}
    with stores() as store:
        nothing = store.claim_due_deliveries(now + timedelta(seconds=1))
        expired = store.claim_due_deliveries(now + timedelta(minutes=3))
    assert len(claimed) == 2 and claimed | rest == ids and not claimed & rest
    assert nothing == []
    assert {require_id(d) for d in expired} == ids


def test_claim_by_platform_leaves_other_platforms_rows_alone(stores: Any) -> None:
    """A Slack sender must not hold Teams rows under its lease, nor the other way round."""
    with stores() as store:
        slack = require_id(_reserve(store, "slack-1")[0])
        teams = require_id(
            store.reserve_delivery(WS, "teams-1", Platform.TEAMS, "briefing", "user:aad", {})[0]
        )
        now = store._now()
    with stores() as store:
        mine = [require_id(d) for d in store.claim_due_deliveries(now, platform=Platform.TEAMS)]
    with stores() as store:
        theirs = store.claim_due_deliveries(now, platform=Platform.SLACK)
        assert [(require_id(d), d.platform) for d in theirs] == [(slack, Platform.SLACK)]
    with stores() as store:
        assert store.claim_due_deliveries(now, platform=Platform.TEAMS) == []
    assert mine == [teams]

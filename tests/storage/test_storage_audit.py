"""The audit trail is append-only, and state changes write their own events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.errors import AppendOnlyViolation
from storage.models import AuditEvent, Delivery
from storage.repository import require_id

WS = "T_ACME"


def _append(stores: Any) -> int:
    with stores() as store:
        event = store.append_audit(
            WS,
            actor_id="U_REC",
            action="panel.rescheduled",
            subject_type="panel",
            subject_id=7,
            details={"why": "interviewer sick"},
            at=datetime(2030, 1, 1, tzinfo=UTC),
        )
        return require_id(event)


def test_events_can_be_appended_and_read(stores: Any) -> None:
    event_id = _append(stores)
    with stores() as store:
        (event,) = store.audit_events(WS, subject_type="panel", subject_id=7)
    assert event.id == event_id
    assert event.subject_id == "7"
    assert event.details == {"why": "interviewer sick"}
    assert event.at == datetime(2030, 1, 1, tzinfo=UTC)


def test_events_cannot_be_updated(engine: Engine, stores: Any) -> None:
    event_id = _append(stores)
    with pytest.raises(AppendOnlyViolation), session_scope(engine) as session:
        event = session.get(AuditEvent, event_id)
        assert event is not None
        event.action = "panel.cancelled"
        session.add(event)
        session.flush()
    with stores() as store:
        assert [e.action for e in store.audit_events(WS)] == ["panel.rescheduled"]


def test_events_cannot_be_deleted(engine: Engine, stores: Any) -> None:
    event_id = _append(stores)
    with pytest.raises(AppendOnlyViolation), session_scope(engine) as session:
        event = session.get(AuditEvent, event_id)
        session.delete(event)
        session.flush()
    with stores() as store:
        assert len(store.audit_events(WS)) == 1


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(update(AuditEvent).values(actor_id="U_EVIL"), id="bulk-update"),
        pytest.param(delete(AuditEvent), id="bulk-delete"),
    ],
)
def test_bulk_statements_are_refused(engine: Engine, stores: Any, statement: Any) -> None:
    _append(stores)
    with pytest.raises(AppendOnlyViolation), session_scope(engine) as session:
        session.exec(statement)
    with stores() as store:
        assert [e.actor_id for e in store.audit_events(WS)] == ["U_REC"]


def test_malformed_action_is_a_programming_error(stores: Any) -> None:
    with stores() as store, pytest.raises(ValueError, match="dotted"):
        store.append_audit(WS, actor_id="U", action="Submitted!", subject_type="x", subject_id=1)


def test_state_changes_record_their_events(stores: Any, loop: Any) -> None:
    with stores() as store:
        actions = [(e.action, e.actor_id) for e in store.audit_events(WS)]
    assert actions == [("requisition.created", "U_REC"), ("panel.created", "U_REC")]


def test_bulk_statements_on_other_tables_still_work(engine: Engine) -> None:
    """The guard only concerns AuditEvent."""
    with session_scope(engine) as session:
        session.exec(update(Delivery).where(Delivery.id == -1).values(attempts=1))
        session.exec(delete(Delivery).where(Delivery.id == -1))

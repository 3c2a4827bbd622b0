"""Decisions: one per panel, only hiring managers answer, the first answer wins."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from storage.enums import DecisionOutcome, DecisionStatus, PanelStatus, Recommendation
from storage.errors import InvalidState, NotAllowed

WS = "T_ACME"
NOW = datetime(2030, 3, 5, 10, 0, tzinfo=UTC)


def test_record_decision_twice_first_wins(stores: Any, loop: Any) -> None:
    with stores() as store:
        store.ensure_decision(WS, loop.panel_id, Recommendation.YES)
    with stores() as store:
        first, changed = store.record_decision(
            WS, loop.panel_id, DecisionOutcome.APPROVE, "U_HM", "  strong loop  ", NOW
        )
    assert changed is True
    assert first.status == DecisionStatus.APPROVED
    assert first.reason == "strong loop"
    with stores() as store:
        second, changed_again = store.record_decision(
            WS, loop.panel_id, DecisionOutcome.REJECT, "U_HM", "changed my mind"
        )
        panel = store.get_panel(WS, loop.panel_id)
        events = [e.action for e in store.audit_events(WS, subject_type="decision")]
    assert changed_again is False
    assert second.id == first.id
    assert second.status == DecisionStatus.APPROVED
    assert second.outcome == DecisionOutcome.APPROVE
    assert second.approver_id == "U_HM"
    assert second.decided_at == NOW
    assert panel.status == PanelStatus.DECIDED
    assert events == ["decision.approved"]


def test_only_hiring_managers_decide(stores: Any, loop: Any) -> None:
    with stores() as store:
        store.ensure_decision(WS, loop.panel_id, Recommendation.YES)
    for user in ("U_REC", "U_ALICE", "U_NOBODY"):
        with stores() as store, pytest.raises(NotAllowed) as caught:
            store.record_decision(WS, loop.panel_id, DecisionOutcome.APPROVE, user)
        assert "hiring manager" in caught.value.message
    with stores() as store:
        decision = store.get_decision(WS, loop.panel_id)
    assert decision is not None and decision.status == DecisionStatus.PENDING


def test_nothing_to_decide_before_a_debrief(stores: Any, loop: Any) -> None:
    with stores() as store, pytest.raises(InvalidState, match="debrief"):
        store.record_decision(WS, loop.panel_id, DecisionOutcome.REJECT, "U_HM")


def test_ensure_decision_follows_debriefs_until_answered(stores: Any, loop: Any) -> None:
    with stores() as store:
        created = store.ensure_decision(WS, loop.panel_id, Recommendation.NO)
    with stores() as store:
        updated = store.ensure_decision(
            WS, loop.panel_id, Recommendation.YES, channel_id="C_HIRING", message_ts="1700.1"
        )
    assert updated.id == created.id
    assert (updated.proposed, updated.channel_id, updated.message_ts) == (
        Recommendation.YES,
        "C_HIRING",
        "1700.1",
    )
    with stores() as store:
        store.record_decision(WS, loop.panel_id, DecisionOutcome.MORE_INTERVIEWS, "U_HM")
    with stores() as store:
        after = store.ensure_decision(WS, loop.panel_id, Recommendation.STRONG_NO)
        moved = store.set_decision_message(WS, loop.panel_id, "C_OTHER", "1700.2")
    assert after.proposed == Recommendation.YES
    assert after.status == DecisionStatus.MORE_INTERVIEWS
    assert moved.message_ts == "1700.2"

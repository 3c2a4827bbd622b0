"""Workspace isolation: nothing of one tenant is visible or writable from another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage.enums import DecisionOutcome, MemberRole, Platform, Recommendation
from storage.errors import Conflict, NotFound
from storage.inputs import InterviewPlan, PanelCreate, ScorecardInput

WS, OTHER = "T_ACME", "T_OTHER"
NOW = datetime(2030, 3, 4, 12, 0, tzinfo=UTC)


def test_other_workspace_sees_nothing(stores: Any, loop: Any) -> None:
    with stores() as store:
        assert store.list_requisitions(OTHER) == []
        assert store.find_candidates(OTHER) == []
        assert store.panel_interviews(OTHER, loop.panel_id) == []
        assert store.scorecards_for_panel(OTHER, loop.panel_id, submitted_only=False) == []
        assert store.interviews_for_user(OTHER, "U_ALICE") == []
        assert store.members(OTHER, loop.requisition_id, MemberRole.HIRING_MANAGER) == []
        assert store.is_member(OTHER, loop.requisition_id, "U_HM") is False
        assert store.requisitions_for_user(OTHER, "U_HM") == []
        assert store.audit_events(OTHER) == []
        assert store.get_decision(OTHER, loop.panel_id) is None
        for lookup, ident in [
            (store.get_requisition, loop.requisition_id),
            (store.get_panel, loop.panel_id),
            (store.get_candidate, loop.candidate_id),
            (store.get_interview, loop.interview_ids[0]),
        ]:
            with pytest.raises(NotFound):
                lookup(OTHER, ident)
        # The owner still sees everything.
        assert [r.id for r in store.list_requisitions(WS)] == [loop.requisition_id]
        assert store.members(WS, loop.requisition_id, MemberRole.HIRING_MANAGER) == ["U_HM"]


def test_other_workspace_cannot_write_into_a_loop(stores: Any, loop: Any) -> None:
    form = ScorecardInput(recommendation=Recommendation.YES)
    with stores() as store:
        with pytest.raises(NotFound):
            store.submit_scorecard(OTHER, loop.interview_ids[0], "U_ALICE", form, NOW)
        with pytest.raises(NotFound):
            store.save_draft(OTHER, loop.interview_ids[0], "U_ALICE", form)
        with pytest.raises(NotFound):
            store.ensure_decision(OTHER, loop.panel_id, Recommendation.YES)
        with pytest.raises(NotFound):
            store.record_decision(OTHER, loop.panel_id, DecisionOutcome.APPROVE, "U_HM")
        with pytest.raises(NotFound):
            store.create_panel(
                OTHER,
                PanelCreate(
                    requisition_id=loop.requisition_id,
                    candidate_name="Grace Hopper",
                    created_by="U_REC",
                    interviews=[
                        InterviewPlan(
                            stage_key="coding",
                            interviewer_id="U_X",
                            starts_at=NOW,
                            ends_at=NOW + timedelta(hours=1),
                        )
                    ],
                ),
            )
    with stores() as store:
        assert store.scorecard_for_interview(WS, loop.interview_ids[0]) is None


def test_same_user_ids_in_two_workspaces_stay_apart(stores: Any, loop: Any, make_loop: Any) -> None:
    with stores() as store:
        other = make_loop(store, OTHER, candidate="Ada Lovelace")
    with stores() as store:
        assert [c.id for c in store.find_candidates(WS)] == [loop.candidate_id]
        assert [c.id for c in store.find_candidates(OTHER)] == [other.candidate_id]
        assert [i.id for i in store.interviews_for_user(OTHER, "U_ALICE")] == [
            other.interview_ids[0]
        ]


def test_delivery_key_of_another_workspace_is_not_handed_out(stores: Any) -> None:
    with stores() as store:
        store.reserve_delivery(WS, "dm:U1:hello", Platform.SLACK, "dm", "U1", {"text": "hi"})
    with stores() as store:
        with pytest.raises(Conflict):
            store.reserve_delivery(OTHER, "dm:U1:hello", Platform.SLACK, "dm", "U1", {})
        assert store.pending_deliveries(OTHER, NOW + timedelta(days=365 * 10)) == []
        with pytest.raises(NotFound):
            store.mark_sent(OTHER, 1, "ts")

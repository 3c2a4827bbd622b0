"""Scorecards: drafts, idempotent submission, authorization, reading back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.enums import InterviewStatus, PanelStatus, Recommendation, ScorecardStatus
from storage.errors import AlreadySubmitted, IncompleteScorecard, NotAllowed
from storage.inputs import RatingInput, ScorecardInput

WS = "T_ACME"
NOW = datetime(2030, 3, 4, 12, 0, tzinfo=UTC)


def _form(
    recommendation: Recommendation | None = Recommendation.YES, **levels: str
) -> ScorecardInput:
    ratings = [
        RatingInput(competency_id=c, level=lvl, note=f"evidence for {c}")
        for c, lvl in (levels or {"system-design": "meets", "communication": "exceeds"}).items()
    ]
    return ScorecardInput(
        ratings=ratings, recommendation=recommendation, red_flags=["blamed teammates"]
    )


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def test_submit_twice_keeps_one_scorecard(stores: Any, loop: Any, engine: Engine) -> None:
    iid = loop.interview_ids[0]
    with stores() as store:
        first, created = store.submit_scorecard(WS, iid, "U_ALICE", _form(), NOW)
    assert created is True
    with stores() as store:
        again, created_again = store.submit_scorecard(
            WS, iid, "U_ALICE", _form(Recommendation.STRONG_NO, **{"system-design": "below"}), NOW
        )
    assert created_again is False
    assert again.id == first.id
    assert again.recommendation == Recommendation.YES  # the second form changed nothing
    assert again.submitted_at == NOW
    assert _count(engine, "scorecard") == 1
    assert _count(engine, "rating") == 2
    with stores() as store:
        events = store.audit_events(WS, subject_type="scorecard")
    assert [e.action for e in events] == ["scorecard.submitted"]


def test_draft_then_submit(stores: Any, loop: Any, engine: Engine) -> None:
    iid = loop.interview_ids[0]
    with stores() as store:
        draft = store.save_draft(WS, iid, "U_ALICE", _form(None, **{"system-design": "meets"}))
    assert draft.status == ScorecardStatus.DRAFT and draft.submitted_at is None
    with stores() as store:
        # Second draft changes the rating and adds one; ratings are updated in place.
        store.save_draft(
            WS, iid, "U_ALICE", _form(None, **{"system-design": "exceeds", "coding": "meets"})
        )
    with stores() as store:
        card, created = store.submit_scorecard(
            WS, iid, "U_ALICE", _form(Recommendation.STRONG_YES, **{"coding": "exceeds"}), NOW
        )
        bundle = store.scorecard_for_interview(WS, iid)
    assert created is True
    assert card.id == draft.id
    assert card.status == ScorecardStatus.SUBMITTED
    assert card.recommendation == Recommendation.STRONG_YES
    assert bundle is not None
    assert [(r.competency_id, r.level) for r in bundle.ratings] == [("coding", "exceeds")]
    assert _count(engine, "scorecard") == 1


def test_draft_after_submit_is_refused(stores: Any, loop: Any) -> None:
    iid = loop.interview_ids[0]
    with stores() as store:
        store.submit_scorecard(WS, iid, "U_ALICE", _form(), NOW)
    with stores() as store, pytest.raises(AlreadySubmitted) as caught:
        store.save_draft(WS, iid, "U_ALICE", _form())
    assert "already submitted" in caught.value.message


def test_wrong_interviewer_is_refused(stores: Any, loop: Any, engine: Engine) -> None:
    iid = loop.interview_ids[0]  # Alice's interview
    with stores() as store, pytest.raises(NotAllowed) as caught:
        store.submit_scorecard(WS, iid, "U_BOB", _form(), NOW)
    assert "Only the interviewer" in caught.value.message
    with stores() as store, pytest.raises(NotAllowed):
        store.save_draft(WS, iid, "U_MALLORY", _form())
    assert _count(engine, "scorecard") == 0


def test_wrong_interviewer_is_refused_even_after_submission(stores: Any, loop: Any) -> None:
    iid = loop.interview_ids[0]
    with stores() as store:
        store.submit_scorecard(WS, iid, "U_ALICE", _form(), NOW)
    with stores() as store, pytest.raises(NotAllowed):
        store.submit_scorecard(WS, iid, "U_BOB", _form(), NOW)


def test_submission_needs_a_recommendation(stores: Any, loop: Any, engine: Engine) -> None:
    with stores() as store, pytest.raises(IncompleteScorecard):
        store.submit_scorecard(WS, loop.interview_ids[0], "U_ALICE", _form(None), NOW)
    assert _count(engine, "scorecard") == 0  # rolled back with the request


def test_panel_completes_when_every_interview_is_submitted(stores: Any, loop: Any) -> None:
    alice, bob = loop.interview_ids
    with stores() as store:
        store.submit_scorecard(WS, alice, "U_ALICE", _form(), NOW)
        assert store.get_interview(WS, alice).status == InterviewStatus.COMPLETED
        assert store.get_panel(WS, loop.panel_id).status == PanelStatus.SCHEDULED
    with stores() as store:
        store.submit_scorecard(WS, bob, "U_BOB", _form(Recommendation.NO), NOW)
    with stores() as store:
        assert store.get_panel(WS, loop.panel_id).status == PanelStatus.COMPLETED


def test_scorecards_for_panel_and_independence(stores: Any, loop: Any) -> None:
    alice, bob = loop.interview_ids
    with stores() as store:
        store.submit_scorecard(WS, alice, "U_ALICE", _form(), NOW)
        store.save_draft(WS, bob, "U_BOB", _form(None))
    with stores() as store:
        submitted = store.scorecards_for_panel(WS, loop.panel_id)
        everything = store.scorecards_for_panel(WS, loop.panel_id, submitted_only=False)
        assert store.has_submitted(WS, loop.panel_id, "U_ALICE") is True
        assert store.has_submitted(WS, loop.panel_id, "U_BOB") is False
        assert store.has_submitted(WS, loop.panel_id, "U_STRANGER") is False
    assert [b.interview.stage_key for b in submitted] == ["system-design"]
    assert {r.competency_id for r in submitted[0].ratings} == {"system-design", "communication"}
    assert submitted[0].scorecard.red_flags == ["blamed teammates"]
    assert [b.scorecard.status for b in everything] == [
        ScorecardStatus.SUBMITTED,
        ScorecardStatus.DRAFT,
    ]


def test_interviews_awaiting_feedback(stores: Any, loop: Any) -> None:
    alice, bob = loop.interview_ids
    with stores() as store:
        store.submit_scorecard(WS, alice, "U_ALICE", _form(), NOW)
        waiting = store.interviews_awaiting_feedback(WS, NOW)
        before_bob_ends = store.interviews_awaiting_feedback(
            WS, datetime(2030, 3, 4, 11, 30, tzinfo=UTC)
        )
    assert [i.id for i in waiting] == [bob]
    assert before_bob_ends == []

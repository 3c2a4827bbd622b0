"""Input models refuse bad forms with messages a person can act on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from storage.enums import Recommendation
from storage.inputs import (
    MAX_NOTE_LENGTH,
    CandidateCreate,
    InterviewPlan,
    PanelCreate,
    RatingInput,
    RequisitionCreate,
    ScorecardInput,
)

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.value.errors()]


def _plan(**overrides: Any) -> InterviewPlan:
    fields: dict[str, Any] = {
        "stage_key": "coding",
        "interviewer_id": "U_ALICE",
        "starts_at": T0,
        "ends_at": T0 + timedelta(hours=1),
    }
    fields.update(overrides)
    return InterviewPlan.model_validate(fields)


def test_requisition_is_cleaned_up() -> None:
    form = RequisitionCreate(
        title="  Backend Engineer ",
        level=" ",
        kit_id="backend-engineer",
        channel_id="C1",
        hiring_managers=["U1", "U1", "U2"],
        recruiters=["U3"],
    )
    assert form.title == "Backend Engineer"
    assert form.level is None
    assert form.hiring_managers == ["U1", "U2"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kit_id": "Backend Kit"}, "kit_id"),
        ({"hiring_managers": []}, "hiring_managers"),
        ({"recruiters": []}, "recruiters"),
        ({"channel_id": "  "}, "channel_id"),
    ],
)
def test_requisition_rejects(overrides: dict[str, Any], field: str) -> None:
    fields: dict[str, Any] = {
        "title": "Backend Engineer",
        "kit_id": "backend",
        "channel_id": "C1",
        "hiring_managers": ["U1"],
        "recruiters": ["U2"],
        **overrides,
    }
    with pytest.raises(ValidationError) as caught:
        RequisitionCreate.model_validate(fields)
    assert [loc for loc, _ in _errors(caught)] == [field]


def test_candidate_email_is_checked() -> None:
    assert CandidateCreate(requisition_id=1, name="Ada", email="ada@example.org").email
    with pytest.raises(ValidationError):
        CandidateCreate(requisition_id=1, name="Ada", email="not-an-email")


def test_interview_times_must_be_aware_ordered_and_zoned() -> None:
    with pytest.raises(ValidationError):
        _plan(starts_at=datetime(2030, 3, 4, 9, 0))
    with pytest.raises(ValidationError) as caught:
        _plan(ends_at=T0)
    assert "end after it starts" in _errors(caught)[0][1]
    with pytest.raises(ValidationError) as caught:
        _plan(interviewer_tz="Mars/Olympus")
    assert "IANA" in _errors(caught)[0][1]
    plan = _plan(starts_at=datetime(2030, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    assert plan.starts_at == T0 and plan.starts_at.tzinfo is UTC


def test_panel_needs_exactly_one_candidate_and_some_interviews() -> None:
    base: dict[str, Any] = {"requisition_id": 1, "created_by": "U_REC", "interviews": [_plan()]}
    PanelCreate.model_validate({**base, "candidate_name": "Ada"})
    PanelCreate.model_validate({**base, "candidate_id": 3})
    for bad in ({}, {"candidate_name": "Ada", "candidate_id": 3}):
        with pytest.raises(ValidationError, match="name the candidate"):
            PanelCreate.model_validate({**base, **bad})
    with pytest.raises(ValidationError):
        PanelCreate.model_validate({**base, "candidate_name": "Ada", "interviews": []})


def test_panel_refuses_double_booking() -> None:
    with pytest.raises(ValidationError, match="overlapping"):
        PanelCreate(
            requisition_id=1,
            candidate_name="Ada",
            created_by="U_REC",
            interviews=[
                _plan(),
                _plan(
                    stage_key="design",
                    starts_at=T0 + timedelta(minutes=30),
                    ends_at=T0 + timedelta(hours=2),
                ),
            ],
        )


def test_scorecard_rules() -> None:
    with pytest.raises(ValidationError, match="rated twice"):
        ScorecardInput(
            ratings=[
                RatingInput(competency_id="coding", level="meets"),
                RatingInput(competency_id="coding", level="exceeds"),
            ]
        )
    with pytest.raises(ValidationError):
        RatingInput(competency_id="coding", level="meets", note="x" * (MAX_NOTE_LENGTH + 1))
    card = ScorecardInput(red_flags=[" rude ", "rude"], recommendation=Recommendation.NO)
    assert card.red_flags == ["rude"]


@given(st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,20}", fullmatch=True), unique=True))
def test_any_set_of_distinct_competencies_is_accepted(ids: list[str]) -> None:
    card = ScorecardInput(ratings=[RatingInput(competency_id=c, level="meets") for c in ids])
    assert [r.competency_id for r in card.ratings] == ids

"""Compute a panel's debrief from storage: the bridge between rows and the pure engine.

Only submitted scorecards go in; interviews that were cancelled are not expected.
Names come from the caller (the people directory), so the engine stays pure.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.debrief import (
    Debrief,
    ExpectedInterview,
    RatingEntry,
    ScorecardEntry,
    compute_debrief,
)
from flows.scorecard import ScorecardValues
from rubrics.schema import Kit
from storage.enums import InterviewStatus, Recommendation, ScorecardStatus
from storage.inputs import RatingInput, ScorecardInput
from storage.repository import ScorecardBundle, Store, require_id


def panel_debrief(
    store: Store, workspace_id: str, panel_id: int, kit: Kit, name_of: Callable[[str], str]
) -> Debrief:
    """The debrief of one panel as it stands now."""
    interviews = [
        interview
        for interview in store.panel_interviews(workspace_id, panel_id)
        if interview.status != InterviewStatus.CANCELLED
    ]
    expected = [
        ExpectedInterview(
            interview_id=require_id(interview),
            interviewer_id=interview.interviewer_id,
            interviewer_name=name_of(interview.interviewer_id),
            stage_key=interview.stage_key,
        )
        for interview in interviews
    ]
    live = {require_id(interview) for interview in interviews}
    cards = [
        bundle_entry(bundle, name_of)
        for bundle in store.scorecards_for_panel(workspace_id, panel_id, submitted_only=True)
        if require_id(bundle.interview) in live
    ]
    return compute_debrief(kit=kit, expected=expected, scorecards=cards)


def bundle_entry(bundle: ScorecardBundle, name_of: Callable[[str], str]) -> ScorecardEntry:
    card = bundle.scorecard
    return ScorecardEntry(
        interview_id=require_id(bundle.interview),
        interviewer_id=card.interviewer_id,
        interviewer_name=name_of(card.interviewer_id),
        stage_key=bundle.interview.stage_key,
        ratings=tuple(
            RatingEntry(competency_id=r.competency_id, level=r.level, note=r.note)
            for r in bundle.ratings
        ),
        recommendation=card.recommendation.value if card.recommendation else None,
        red_flags=tuple(card.red_flags),
        submitted=card.status == ScorecardStatus.SUBMITTED,
    )


def values_to_input(values: ScorecardValues) -> ScorecardInput:
    """Form values to the storage input model (which validates them again)."""
    competencies = sorted(set(values.ratings) | set(values.notes))
    return ScorecardInput(
        ratings=[
            RatingInput(
                competency_id=competency,
                level=values.ratings[competency],
                note=values.notes.get(competency, ""),
            )
            for competency in competencies
            if competency in values.ratings
        ],
        recommendation=Recommendation(values.recommendation) if values.recommendation else None,
        red_flags=list(values.red_flags),
    )


def bundle_values(bundle: ScorecardBundle | None) -> ScorecardValues | None:
    """A saved draft or card as form values, to reopen the form where it was left."""
    if bundle is None:
        return None
    card = bundle.scorecard
    return ScorecardValues(
        ratings={r.competency_id: r.level for r in bundle.ratings},
        notes={r.competency_id: r.note for r in bundle.ratings if r.note},
        recommendation=card.recommendation.value if card.recommendation else None,
        red_flags=tuple(card.red_flags),
    )

"""The debrief's aggregation rules, pinned by hand-computed cases and held by properties."""

from __future__ import annotations

import dataclasses
import math
import random
import subprocess
import sys
from collections.abc import Mapping

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.debrief import (
    Band,
    Debrief,
    ExpectedInterview,
    RatingEntry,
    ReasonKind,
    RedFlag,
    ScorecardEntry,
    StageStatus,
    band_for,
    compute_debrief,
)
from rubrics.schema import Kit

LEVELS = ("strong_no", "no", "yes", "strong_yes")
LEVEL_LABELS = ("Strong no", "No", "Yes", "Strong yes")
VERDICT_LABELS = ("Strong no hire", "No hire", "Hire", "Strong hire")
LONG_NOTE = "Walked through the design with concrete numbers."  # >= 20 non-space chars


def make_kit(
    *,
    competencies: dict[str, float],
    stages: dict[str, tuple[float, tuple[str, ...]]],
) -> Kit:
    """A small valid kit: competency id -> weight; stage key -> (weight, competency ids)."""
    return Kit.model_validate(
        {
            "id": "test-kit",
            "role": "Test engineer",
            "scale": [
                {"key": key, "label": label, "value": value}
                for value, (key, label) in enumerate(
                    zip(LEVELS, LEVEL_LABELS, strict=True), start=1
                )
            ],
            "recommendation_scale": [
                {"key": key, "label": label, "value": value}
                for value, (key, label) in enumerate(
                    zip(LEVELS, VERDICT_LABELS, strict=True), start=1
                )
            ],
            "competencies": [
                {"id": cid, "name": cid.replace("_", " ").capitalize(), "weight": weight}
                for cid, weight in competencies.items()
            ],
            "stages": [
                {
                    "key": key,
                    "title": key.capitalize(),
                    "duration_minutes": 45,
                    "competencies": list(assessed),
                    "questions": [
                        {
                            "id": f"{key}-{cid}",
                            "prompt": "Tell me about it.",
                            "competency": cid,
                            "anchors": {level: f"{level} answer" for level in LEVELS},
                        }
                        for cid in assessed
                    ],
                }
                for key, (_, assessed) in stages.items()
            ],
            "stage_weights": {key: weight for key, (weight, _) in stages.items()},
        }
    )


def card(
    interview_id: int,
    name: str,
    stage: str,
    ratings: Mapping[str, str | tuple[str, str]],
    *,
    recommendation: str | None = None,
    red_flags: tuple[str, ...] = (),
    submitted: bool = True,
) -> ScorecardEntry:
    """A scorecard; a rating is a level key or (level key, note)."""
    entries = tuple(
        RatingEntry(cid, value, "") if isinstance(value, str) else RatingEntry(cid, *value)
        for cid, value in ratings.items()
    )
    return ScorecardEntry(
        interview_id=interview_id,
        interviewer_id=f"u-{name.lower()}",
        interviewer_name=name,
        stage_key=stage,
        ratings=entries,
        recommendation=recommendation,
        red_flags=red_flags,
        submitted=submitted,
    )


def expect(interview_id: int, name: str, stage: str) -> ExpectedInterview:
    return ExpectedInterview(interview_id, f"u-{name.lower()}", name, stage)


def expected_for(cards: list[ScorecardEntry]) -> list[ExpectedInterview]:
    return [
        ExpectedInterview(c.interview_id, c.interviewer_id, c.interviewer_name, c.stage_key)
        for c in cards
    ]


# The hand-computed loop ------------------------------------------------------------------

LOOP_KIT = make_kit(
    competencies={"coding": 2.0, "communication": 1.0},
    stages={
        "phone": (1.0, ("coding", "communication")),
        "tech": (2.0, ("coding", "communication")),
        "team": (1.0, ("communication",)),
    },
)
LOOP = [
    card(
        1,
        "Ana",
        "phone",
        {
            "coding": ("strong_yes", "Wrote a correct LRU cache with tests."),
            "communication": ("strong_yes", "Clear."),
        },
        recommendation="yes",
    ),
    card(
        2,
        "Ben",
        "tech",
        {
            "coding": ("strong_no", "Could not finish the parser; no tests."),
            "communication": "yes",
        },
        recommendation="no",
    ),
    card(
        3,
        "Cleo",
        "team",
        {"communication": ("yes", "Explained trade-offs to a PM crisply.")},
        recommendation="yes",
    ),
]


@pytest.fixture(scope="module")
def loop() -> Debrief:
    return compute_debrief(kit=LOOP_KIT, expected=expected_for(LOOP), scorecards=LOOP)


def test_hand_computed_scores(loop: Debrief) -> None:
    # Normalised levels on 1..4: strong_no 0, no 33.33, yes 66.67, strong_yes 100.
    # Stage weights: phone 1, tech 2, team 1.
    # coding        = (100*1 [phone] + 0*2 [tech]) / 3                    = 33.33
    # communication = (100*1 [phone] + 66.67*2 [tech] + 66.67*1 [team]) / 4 = 300/4 = 75
    # overall       = (33.33*2 + 75*1) / 3  (competency weights 2 and 1)   = 425/9 = 47.22
    # Means are exact and rounded once, so they equal the correctly rounded fractions.
    coding, communication = loop.competencies
    assert coding.score == 100 / 3
    assert communication.score == 75.0
    assert loop.score == 425 / 9
    assert loop.display_score == 47.2
    assert loop.band is Band.BELOW_THE_BAR  # 40 <= 47.2 < 55
    assert (coding.rating_count, communication.rating_count) == (2, 3)
    assert (coding.mean_level, coding.mean_level_label) == ("no", "No")  # 33.3 is exactly "no"
    assert communication.mean_level == "yes"  # 75 is 8.3 from yes, 25 from strong_yes
    assert [r.interviewer_name for r in communication.ratings] == ["Ana", "Ben", "Cleo"]
    assert [(r.level, r.level_label) for r in coding.ratings] == [
        ("strong_yes", "Strong yes"),
        ("strong_no", "Strong no"),
    ]


def test_hand_computed_recommendation(loop: Debrief) -> None:
    # 47.2 is 13.9 from "no" (33.3) and 19.4 from "yes" (66.7): No hire. No flags, no
    # strong_no vote, so no cap. Votes: yes 2, no 1; the most common vote differs.
    assert (loop.recommendation, loop.recommendation_label) == ("no", "No hire")
    assert [r.kind for r in loop.recommendation_reasons] == [
        ReasonKind.SCORE,
        ReasonKind.VOTES_DIFFER,
    ]
    assert loop.recommendation_reasons[0].text == (
        "The score 47.2 is nearest to No hire on the recommendation scale."
    )
    assert loop.recommendation_reasons[1].text == (
        "The interviewers' most common vote is Hire (2 of 3); "
        "the computed recommendation is No hire."
    )
    assert [(v.recommendation, v.count) for v in loop.votes] == [
        ("strong_no", 0),
        ("no", 1),
        ("yes", 2),
        ("strong_yes", 0),
    ]
    assert loop.majority_vote == "yes"


def test_hand_computed_confidence(loop: Debrief) -> None:
    # coverage  = 3 submitted / 3 expected = 1
    # agreement = 1 - mean(coding (4-1)/3 = 1, communication (4-3)/3 = 1/3) = 1 - 2/3 = 1/3
    # evidence  = 3 of 5 notes have >= 20 non-space chars ("Clear." and "" do not) = 0.6
    # percent   = round(100 * 1 * (0.5 * 1/3 + 0.5 * 0.6)) = round(46.67) = 47
    confidence = loop.confidence
    assert confidence.coverage == 1.0
    assert confidence.agreement == pytest.approx(1 / 3, abs=1e-12)
    assert confidence.agreement_measured
    assert confidence.evidence == pytest.approx(0.6, abs=1e-12)
    assert confidence.percent == 47


def test_hand_computed_alpha(loop: Debrief) -> None:
    # Units: coding [4, 1], communication [4, 3, 3]; see test_agreement's hand case: -4/9.
    assert loop.alpha == pytest.approx(-4 / 9, abs=1e-12)
    reference = krippendorff.alpha(
        reliability_data=np.array([[4, 4], [1, 3], [np.nan, 3]]), level_of_measurement="ordinal"
    )
    assert loop.alpha == pytest.approx(reference, abs=1e-12)


def test_hand_computed_findings(loop: Debrief) -> None:
    # Coding spreads 3 steps (strong_yes vs strong_no); communication only 1.
    assert [(d.competency_id, d.spread) for d in loop.disagreements] == [("coding", 3)]
    assert [(r.interviewer_name, r.note) for r in loop.disagreements[0].ratings] == [
        ("Ana", "Wrote a correct LRU cache with tests."),
        ("Ben", "Could not finish the parser; no tests."),
    ]
    # 75.0 >= 66.7 is a strength; 33.33 displays as 33.3 <= 33.3, a concern.
    assert [(h.competency_id, h.display_score) for h in loop.strengths] == [("communication", 75.0)]
    assert [(h.competency_id, h.display_score) for h in loop.concerns] == [("coding", 33.3)]
    evidence = loop.strengths[0].evidence  # Ben left no note on communication
    assert [(e.interviewer_name, e.stage_title, e.note) for e in evidence] == [
        ("Ana", "Phone", "Clear."),
        ("Cleo", "Team", "Explained trade-offs to a PM crisply."),
    ]
    assert loop.red_flags == ()
    assert loop.missing == ()


def test_hand_computed_stages_and_summary(loop: Debrief) -> None:
    # A card's own score uses competency weights (coding 2, communication 1):
    # Ana (100*2 + 100*1)/3 = 100; Ben (0*2 + 66.67*1)/3 = 22.22; Cleo 66.67.
    rows = [(s.stage_key, s.interviewer_name, s.status, s.recommendation) for s in loop.stages]
    assert rows == [
        ("phone", "Ana", StageStatus.SUBMITTED, "yes"),
        ("tech", "Ben", StageStatus.SUBMITTED, "no"),
        ("team", "Cleo", StageStatus.SUBMITTED, "yes"),
    ]
    assert [s.score for s in loop.stages] == [100.0, 200 / 9, 200 / 3]
    assert loop.stages[1].recommendation_label == "No hire"
    assert loop.summary == (
        "Overall 47.2/100 (Below the bar): No hire, with 47% confidence. "
        "Strongest on Communication (75.0), weakest on Coding (33.3). "
        "3 of 3 expected scorecards submitted."
    )
    assert (loop.kit_id, loop.submitted_count, loop.expected_count) == ("test-kit", 3, 3)


# Caps, coverage and drafts --------------------------------------------------------------

CAP_KIT = make_kit(
    competencies={"coding": 1.0, "design": 1.0},
    stages={"tech": (1.0, ("coding", "design")), "onsite": (1.0, ("coding", "design"))},
)
TOP = {"coding": ("strong_yes", LONG_NOTE), "design": ("strong_yes", LONG_NOTE)}


def debrief_of(kit: Kit, cards: list[ScorecardEntry]) -> Debrief:
    return compute_debrief(kit=kit, expected=expected_for(cards), scorecards=cards)


def test_without_caps_a_perfect_loop_is_a_strong_hire() -> None:
    result = debrief_of(CAP_KIT, [card(1, "Ana", "tech", TOP), card(2, "Ben", "onsite", TOP)])
    assert (result.score, result.band, result.recommendation) == (
        100.0,
        Band.EXCEPTIONAL,
        "strong_yes",
    )
    assert result.alpha == 1.0
    assert result.confidence.percent == 100  # full coverage, agreement 1, evidence 1
    assert result.summary == (
        "Overall 100.0/100 (Exceptional): Strong hire, with 100% confidence. "
        "All 2 rated competencies scored 100.0. 2 of 2 expected scorecards submitted."
    )


def test_one_interviewers_red_flag_caps_at_hire() -> None:
    flag = "Dismissed the interviewer's questions"
    result = debrief_of(
        CAP_KIT,
        [card(1, "Ana", "tech", TOP, red_flags=(flag,)), card(2, "Ben", "onsite", TOP)],
    )
    assert result.score == 100.0
    assert result.recommendation == "yes"
    cap = result.recommendation_reasons[1]
    assert cap.kind is ReasonKind.RED_FLAG_CAP
    assert cap.text == (
        "A red flag was raised by Ana, so the recommendation is at most Hire "
        "(lowered from Strong hire)."
    )
    assert result.red_flags == (RedFlag(flag, ("Ana",)),)


def test_red_flags_from_two_interviewers_cap_at_no_hire() -> None:
    result = debrief_of(
        CAP_KIT,
        [
            card(1, "Ana", "tech", TOP, red_flags=("Rude", "Blamed the team")),
            card(2, "Ben", "onsite", TOP, red_flags=(" Rude ",)),
        ],
    )
    assert result.recommendation == "no"
    assert [r.kind for r in result.recommendation_reasons] == [
        ReasonKind.SCORE,
        ReasonKind.SEVERAL_RED_FLAGS_CAP,
    ]
    assert "2 interviewers (Ana and Ben)" in result.recommendation_reasons[1].text
    # Most interviewers first, then by text; flag text is trimmed before grouping.
    assert result.red_flags == (
        RedFlag("Rude", ("Ana", "Ben")),
        RedFlag("Blamed the team", ("Ana",)),
    )
    assert result.red_flags[0].count == 2
    assert result.summary.endswith("2 of 2 expected scorecards submitted; 2 red flags raised.")


def test_red_flags_on_two_cards_of_one_interviewer_count_once() -> None:
    ana_again = dataclasses.replace(
        card(2, "Ana", "onsite", TOP, red_flags=("Rude",)), interviewer_id="u-ana"
    )
    result = debrief_of(CAP_KIT, [card(1, "Ana", "tech", TOP, red_flags=("Rude",)), ana_again])
    assert result.recommendation == "yes"
    assert result.red_flags == (RedFlag("Rude", ("Ana",)),)


def test_a_strong_no_vote_caps_at_hire_and_is_recorded_even_when_it_changes_nothing() -> None:
    capped = debrief_of(
        CAP_KIT,
        [card(1, "Ana", "tech", TOP), card(2, "Ben", "onsite", TOP, recommendation="strong_no")],
    )
    assert capped.recommendation == "yes"
    assert [r.kind for r in capped.recommendation_reasons] == [
        ReasonKind.SCORE,
        ReasonKind.STRONG_NO_CAP,
        ReasonKind.VOTES_DIFFER,  # Ben's is the only vote, so the most common one
    ]
    assert capped.recommendation_reasons[1].text == (
        "Ben voted Strong no hire, so the recommendation is at most Hire "
        "(lowered from Strong hire)."
    )
    low = {"coding": "no", "design": "no"}
    unchanged = debrief_of(
        CAP_KIT,
        [card(1, "Ana", "tech", low, recommendation="strong_no"), card(2, "Ben", "onsite", low)],
    )
    assert unchanged.recommendation == "no"
    assert unchanged.recommendation_reasons[1].text.endswith("(already No hire).")
    assert unchanged.majority_vote == "strong_no"


def test_split_votes_are_noted() -> None:
    result = debrief_of(
        CAP_KIT,
        [
            card(1, "Ana", "tech", TOP, recommendation="strong_yes"),
            card(2, "Ben", "onsite", TOP, recommendation="yes"),
        ],
    )
    assert result.majority_vote is None
    assert result.recommendation_reasons[-1].kind is ReasonKind.VOTES_SPLIT
    assert result.recommendation_reasons[-1].text == (
        "The interviewers' votes are split: 1 Hire, 1 Strong hire."
    )


def test_missing_scorecards_lower_coverage_and_are_listed() -> None:
    # Four interviews expected; two submitted, one only drafted, one not started.
    expected = [
        expect(10, "Ana", "tech"),
        expect(11, "Ben", "tech"),
        expect(12, "Cleo", "onsite"),
        expect(13, "Dev", "onsite"),
    ]
    cards = [
        card(10, "Ana", "tech", TOP),
        card(11, "Ben", "tech", {"coding": "strong_no"}, submitted=False),
        card(12, "Cleo", "onsite", TOP),
    ]
    result = compute_debrief(kit=CAP_KIT, expected=expected, scorecards=cards)
    assert [(m.interview_id, m.interviewer_name, m.stage_title) for m in result.missing] == [
        (11, "Ben", "Tech"),
        (13, "Dev", "Onsite"),
    ]
    assert (result.submitted_count, result.expected_count) == (2, 4)
    # coverage 2/4; agreement 1 (both strong_yes on both); evidence 1 -> 100 * 0.5 * 1 = 50
    assert result.confidence.coverage == 0.5
    assert result.confidence.percent == 50
    assert [(s.interview_id, s.status) for s in result.stages] == [
        (10, StageStatus.SUBMITTED),
        (11, StageStatus.MISSING),
        (12, StageStatus.SUBMITTED),
        (13, StageStatus.MISSING),
    ]
    assert result.stages[1].score is None
    assert result.summary.endswith("2 of 4 expected scorecards submitted.")


def test_drafts_are_ignored_entirely() -> None:
    expected = [expect(1, "Ana", "tech"), expect(2, "Ben", "onsite")]
    submitted = [card(1, "Ana", "tech", {"coding": "yes", "design": "no"}, recommendation="no")]
    draft = card(
        2,
        "Ben",
        "onsite",
        {"coding": "strong_yes", "not_in_kit": "maybe"},  # invalid, but only a draft
        recommendation="strong_yes",
        red_flags=("Rude",),
        submitted=False,
    )
    with_draft = compute_debrief(kit=CAP_KIT, expected=expected, scorecards=[*submitted, draft])
    without = compute_debrief(kit=CAP_KIT, expected=expected, scorecards=submitted)
    assert with_draft == without
    assert with_draft.submitted_count == 1
    assert with_draft.red_flags == ()
    assert [m.interview_id for m in with_draft.missing] == [2]


def test_no_expected_interviews_means_no_coverage() -> None:
    result = compute_debrief(kit=CAP_KIT, expected=[], scorecards=[card(1, "Ana", "tech", TOP)])
    assert result.confidence.coverage == 0.0
    assert result.confidence.percent == 0
    assert result.score == 100.0  # unexpected cards still count for the score


def test_a_single_card_leaves_agreement_unknown() -> None:
    result = debrief_of(CAP_KIT, [card(1, "Ana", "tech", TOP)])
    assert result.alpha is None
    assert result.confidence.agreement == 0.5
    assert not result.confidence.agreement_measured
    assert result.confidence.percent == 75  # 100 * 1 * (0.5 * 0.5 + 0.5 * 1)


def test_no_ratings_means_no_score_and_no_recommendation() -> None:
    result = compute_debrief(kit=CAP_KIT, expected=[expect(1, "Ana", "tech")], scorecards=[])
    assert (result.score, result.band, result.recommendation) == (None, None, None)
    assert [r.kind for r in result.recommendation_reasons] == [ReasonKind.NO_RATINGS]
    assert result.confidence.evidence == 0.0
    assert (result.strengths, result.concerns, result.disagreements) == ((), (), ())
    assert result.summary == (
        "No ratings yet (0 of 1 expected scorecards submitted), so there is no score or "
        "recommendation."
    )


# Labels and ties -------------------------------------------------------------------------


def test_means_are_exact_whatever_the_weights() -> None:
    # 0.1, 0.7 and 0.2 are not exact in binary; a float sum of 100 * w over w drifts.
    kit = make_kit(
        competencies={"coding": 0.1, "design": 0.7, "testing": 0.2},
        stages={"tech": (0.1, ("coding", "design", "testing")), "deep": (0.7, ("coding",))},
    )
    top = {"coding": "strong_yes", "design": "strong_yes", "testing": "strong_yes"}
    result = debrief_of(
        kit, [card(1, "Ana", "tech", top), card(2, "Ben", "deep", {"coding": "strong_yes"})]
    )
    assert result.score == 100.0
    assert [c.score for c in result.competencies] == [100.0, 100.0, 100.0]
    assert result.stages[0].score == 100.0


def test_a_tie_between_two_recommendations_goes_to_the_lower() -> None:
    # One "no" (33.33) and one "yes" (66.67) at equal weights: exactly 50, halfway.
    result = debrief_of(
        CAP_KIT,
        [card(1, "Ana", "tech", {"coding": "no"}), card(2, "Ben", "tech", {"coding": "yes"})],
    )
    assert result.display_score == 50.0
    assert result.recommendation == "no"
    assert result.competencies[0].mean_level == "no"
    assert "Only Coding was rated (50.0)." in result.summary


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100.0, Band.EXCEPTIONAL),
        (85.0, Band.EXCEPTIONAL),
        (84.94, Band.STRONG),
        (69.96, Band.STRONG),  # displayed as 70.0, so it reads as Strong
        (69.94, Band.SOLID),
        (55.0, Band.SOLID),
        (40.0, Band.BELOW_THE_BAR),
        (39.9, Band.WELL_BELOW_THE_BAR),
        (0.0, Band.WELL_BELOW_THE_BAR),
    ],
)
def test_bands_follow_the_displayed_score(score: float, band: Band) -> None:
    assert band_for(score) is band


def test_band_labels() -> None:
    assert [b.label for b in Band] == [
        "Exceptional",
        "Strong",
        "Solid",
        "Below the bar",
        "Well below the bar",
    ]


def test_a_mean_exactly_at_yes_is_a_strength() -> None:
    result = debrief_of(CAP_KIT, [card(1, "Ana", "tech", {"coding": "yes", "design": "strong_no"})])
    assert [h.competency_id for h in result.strengths] == ["coding"]  # 66.67 shows as 66.7
    assert [h.competency_id for h in result.concerns] == ["design"]


# Inputs the kit does not know ------------------------------------------------------------


@pytest.mark.parametrize(
    ("scorecard", "message"),
    [
        (
            card(1, "Ana", "tech", {"typing": "yes"}),
            "Scorecard for interview 1 (Ana) rates competency 'typing', which kit 'test-kit' "
            "does not have (known: coding, design).",
        ),
        (
            card(1, "Ana", "tech", {"coding": "meh"}),
            "Scorecard for interview 1 (Ana) rates 'coding' as 'meh', which is not a level of "
            "the rating scale of kit 'test-kit' (known: strong_no, no, yes, strong_yes).",
        ),
        (
            card(1, "Ana", "lunch", {"coding": "yes"}),
            "Scorecard for interview 1 (Ana) is for stage 'lunch', which kit 'test-kit' does "
            "not have (known: tech, onsite); was it written against another kit?",
        ),
        (
            card(1, "Ana", "tech", {"coding": "yes"}, recommendation="maybe"),
            "Scorecard for interview 1 (Ana) recommends 'maybe', which is not on the "
            "recommendation scale of kit 'test-kit' (known: strong_no, no, yes, strong_yes).",
        ),
    ],
)
def test_unknown_kit_references_raise(scorecard: ScorecardEntry, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        compute_debrief(kit=CAP_KIT, expected=[], scorecards=[scorecard])
    assert str(raised.value) == message


def test_ambiguous_input_raises() -> None:
    twice = ScorecardEntry(
        1,
        "u-ana",
        "Ana",
        "tech",
        (RatingEntry("coding", "yes"), RatingEntry("coding", "no")),
        None,
        (),
        True,
    )
    with pytest.raises(ValueError, match="rates competency 'coding' twice"):
        compute_debrief(kit=CAP_KIT, expected=[], scorecards=[twice])
    same_id = [card(1, "Ana", "tech", TOP), card(1, "Ben", "onsite", TOP)]
    with pytest.raises(ValueError, match="Two submitted scorecards for interview 1"):
        compute_debrief(kit=CAP_KIT, expected=[], scorecards=same_id)
    with pytest.raises(ValueError, match="Interview 1 is expected twice"):
        compute_debrief(
            kit=CAP_KIT,
            expected=[expect(1, "Ana", "tech"), expect(1, "Ana", "tech")],
            scorecards=[],
        )
    with pytest.raises(ValueError, match="is for stage 'lunch'"):
        compute_debrief(kit=CAP_KIT, expected=[expect(1, "Ana", "lunch")], scorecards=[])


def test_the_engine_loads_no_platform_storage_or_numpy_code() -> None:
    probe = (
        "import sys, flows.debrief; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'bot', 'storage', 'slack_bolt', 'slack_sdk', 'botbuilder', 'numpy', 'sqlalchemy'}))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Properties -------------------------------------------------------------------------------

PROP_KIT = make_kit(
    competencies={"alpha": 1.0, "beta": 2.5, "gamma": 0.5},
    stages={
        "screen": (1.0, ("alpha", "beta")),
        "deep": (3.0, ("beta", "gamma")),
        "panel": (0.7, ("alpha", "beta", "gamma")),
    },
)
STAGE_COMPETENCIES = {stage.key: tuple(stage.competencies) for stage in PROP_KIT.stages}
PEOPLE = ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay")
NOTES = ("", "ok", "   padded     but short   ", LONG_NOTE)
FLAGS = ("Rude", "Blamed others", "Dishonest about experience")


@st.composite
def scorecards(
    draw: st.DrawFn, interview_id: int, *, submitted: bool | None = None
) -> ScorecardEntry:
    stage = draw(st.sampled_from(sorted(STAGE_COMPETENCIES)))
    rated = draw(st.lists(st.sampled_from(STAGE_COMPETENCIES[stage]), unique=True))
    name = draw(st.sampled_from(PEOPLE))
    return ScorecardEntry(
        interview_id=interview_id,
        interviewer_id=f"u-{name.lower()}",
        interviewer_name=name,
        stage_key=stage,
        ratings=tuple(
            RatingEntry(cid, draw(st.sampled_from(LEVELS)), draw(st.sampled_from(NOTES)))
            for cid in rated
        ),
        recommendation=draw(st.none() | st.sampled_from(LEVELS)),
        red_flags=tuple(draw(st.lists(st.sampled_from(FLAGS), max_size=2))),
        submitted=draw(st.sampled_from((True, True, True, False)))
        if submitted is None
        else submitted,
    )


@st.composite
def loops(draw: st.DrawFn) -> tuple[list[ExpectedInterview], list[ScorecardEntry]]:
    """Up to seven interviews: some expected, some with cards (submitted or drafts)."""
    ids = draw(st.lists(st.integers(1, 99), max_size=7, unique=True))
    cards = [draw(scorecards(interview_id)) for interview_id in ids]
    expected = [
        ExpectedInterview(c.interview_id, c.interviewer_id, c.interviewer_name, c.stage_key)
        for c in cards
        if draw(st.sampled_from((True, True, False)))
    ]
    for extra in draw(st.lists(st.integers(100, 120), max_size=2, unique=True)):
        expected.append(ExpectedInterview(extra, "u-gus", "Gus", "panel"))
    return expected, cards


def run(expected: list[ExpectedInterview], cards: list[ScorecardEntry]) -> Debrief:
    return compute_debrief(kit=PROP_KIT, expected=expected, scorecards=cards)


@settings(max_examples=300, deadline=None)
@given(loops(), st.randoms(use_true_random=False))
def test_input_order_changes_nothing(
    loop: tuple[list[ExpectedInterview], list[ScorecardEntry]], rng: random.Random
) -> None:
    expected, cards = loop
    shuffled_cards, shuffled_expected = list(cards), list(expected)
    rng.shuffle(shuffled_cards)
    rng.shuffle(shuffled_expected)
    assert run(shuffled_expected, shuffled_cards) == run(expected, cards)


@settings(max_examples=300, deadline=None)
@given(loops(), st.permutations(PEOPLE))
def test_relabelling_interviewers_keeps_the_numbers(
    loop: tuple[list[ExpectedInterview], list[ScorecardEntry]], relabelled: list[str]
) -> None:
    # A bijection between people: whoever rated a card, the same ratings give the same
    # verdict. Cards of one person stay with one (other) person, so "red flags from two
    # different interviewers" means the same thing before and after.
    rename = dict(zip(PEOPLE, relabelled, strict=True)) | {"Gus": "Gus"}
    expected, cards = loop
    before = run(expected, cards)
    after = run(
        [
            dataclasses.replace(
                i,
                interviewer_name=rename[i.interviewer_name],
                interviewer_id=f"u-{rename[i.interviewer_name].lower()}",
            )
            for i in expected
        ],
        [
            dataclasses.replace(
                c,
                interviewer_name=rename[c.interviewer_name],
                interviewer_id=f"u-{rename[c.interviewer_name].lower()}",
            )
            for c in cards
        ],
    )
    assert after.score == before.score
    assert after.band == before.band
    assert after.recommendation == before.recommendation
    assert [r.kind for r in after.recommendation_reasons] == [
        r.kind for r in before.recommendation_reasons
    ]
    assert after.confidence == before.confidence
    assert after.alpha == before.alpha
    assert after.votes == before.votes
    assert [c.score for c in after.competencies] == [c.score for c in before.competencies]


@settings(max_examples=300, deadline=None)
@given(loops(), st.data())
def test_a_unanimous_top_card_never_lowers_the_score(
    loop: tuple[list[ExpectedInterview], list[ScorecardEntry]], data: st.DataObject
) -> None:
    expected, cards = loop
    stage = data.draw(st.sampled_from(sorted(STAGE_COMPETENCIES)))
    rated = data.draw(st.lists(st.sampled_from(STAGE_COMPETENCIES[stage]), min_size=1, unique=True))
    top = ScorecardEntry(
        interview_id=500,
        interviewer_id="u-zed",
        interviewer_name="Zed",
        stage_key=stage,
        ratings=tuple(RatingEntry(cid, "strong_yes") for cid in rated),
        recommendation=None,
        red_flags=(),
        submitted=True,
    )
    before = run(expected, cards).score
    after = run(expected, [*cards, top]).score
    assert after is not None
    assert before is None or after >= before


@settings(max_examples=300, deadline=None)
@given(loops())
def test_scores_and_confidence_stay_in_range(
    loop: tuple[list[ExpectedInterview], list[ScorecardEntry]],
) -> None:
    result = run(*loop)
    scores = [
        result.score,
        *(c.score for c in result.competencies),
        *(s.score for s in result.stages),
    ]
    assert all(0.0 <= s <= 100.0 for s in scores if s is not None)
    assert 0 <= result.confidence.percent <= 100
    parts = (result.confidence.coverage, result.confidence.agreement, result.confidence.evidence)
    assert all(0.0 <= p <= 1.0 for p in parts)
    assert (result.score is None) == (result.recommendation is None) == (result.band is None)
    assert result.alpha is None or -1.0 - 1e-9 <= result.alpha <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_single_rater_has_no_alpha(data: st.DataObject) -> None:
    only = data.draw(scorecards(1, submitted=True))
    assert run([], [only]).alpha is None


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_perfect_agreement_gives_alpha_one(data: st.DataObject) -> None:
    agreed = {cid: data.draw(st.sampled_from(LEVELS)) for cid in ("alpha", "beta", "gamma")}
    cards = [
        dataclasses.replace(
            c,
            ratings=tuple(RatingEntry(r.competency_id, agreed[r.competency_id]) for r in c.ratings),
        )
        for c in (data.draw(scorecards(i, submitted=True)) for i in range(1, 6))
    ]
    result = run([], cards)
    rated = [c.rating_count for c in result.competencies]
    if any(count >= 2 for count in rated):
        assert result.alpha == 1.0
        assert result.confidence.agreement == 1.0
    else:
        assert result.alpha is None


@settings(max_examples=300, deadline=None)
@given(loops())
def test_alpha_matches_the_krippendorff_package(
    loop: tuple[list[ExpectedInterview], list[ScorecardEntry]],
) -> None:
    expected, cards = loop
    result = run(expected, cards)
    submitted = [c for c in cards if c.submitted]
    units = [c.id for c in PROP_KIT.competencies]
    value = {level: float(v) for v, level in enumerate(LEVELS, start=1)}
    matrix = [
        [
            next((value[r.level] for r in c.ratings if r.competency_id == unit), math.nan)
            for unit in units
        ]
        for c in submitted
    ]
    pairable = [sum(not math.isnan(row[u]) for row in matrix) >= 2 for u in range(len(units))]
    if not any(pairable):
        assert result.alpha is None
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        try:
            reference = float(
                krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal")
            )
        except ValueError:  # a single level used overall
            reference = math.nan
    if math.isnan(reference):
        assert result.alpha == 1.0  # every competency unanimous
    else:
        assert result.alpha == pytest.approx(reference, abs=1e-9)

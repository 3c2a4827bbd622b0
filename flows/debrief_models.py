"""The debrief's data: the inputs it reads and the report it returns.

Frozen value objects only; the rules that turn one into the other, and the reference
for every number here, are in ``flows.debrief``. Everything is re-exported from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Band(StrEnum):
    """Where the overall score sits, in words a hiring manager can repeat."""

    EXCEPTIONAL = "exceptional"
    STRONG = "strong"
    SOLID = "solid"
    BELOW_THE_BAR = "below_the_bar"
    WELL_BELOW_THE_BAR = "well_below_the_bar"

    @property
    def label(self) -> str:
        return _BAND_LABELS[self]


_BAND_LABELS = {
    Band.EXCEPTIONAL: "Exceptional",
    Band.STRONG: "Strong",
    Band.SOLID: "Solid",
    Band.BELOW_THE_BAR: "Below the bar",
    Band.WELL_BELOW_THE_BAR: "Well below the bar",
}


class StageStatus(StrEnum):
    """Whether an expected interview's card is in; a draft still counts as missing."""

    SUBMITTED = "submitted"
    MISSING = "missing"


class ReasonKind(StrEnum):
    """Why the recommendation is what it is; one kind per rule, so renderers can style them."""

    SCORE = "score"
    NO_RATINGS = "no_ratings"
    RED_FLAG_CAP = "red_flag_cap"
    SEVERAL_RED_FLAGS_CAP = "several_red_flags_cap"
    STRONG_NO_CAP = "strong_no_cap"
    VOTES_DIFFER = "votes_differ"
    VOTES_SPLIT = "votes_split"


# Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingEntry:
    """One competency rated on a card: a level key of ``kit.scale`` and the evidence."""

    competency_id: str
    level: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ScorecardEntry:
    """An interviewer's card for one interview; only ``submitted`` cards are aggregated."""

    interview_id: int
    interviewer_id: str
    interviewer_name: str
    stage_key: str
    ratings: tuple[RatingEntry, ...]
    recommendation: str | None
    red_flags: tuple[str, ...]
    submitted: bool


@dataclass(frozen=True, slots=True)
class ExpectedInterview:
    """An interview of the loop that should produce a card; drives coverage and 'missing'."""

    interview_id: int
    interviewer_id: str
    interviewer_name: str
    stage_key: str


# Outputs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingDetail:
    """One rating as shown in the report, attributed to its interviewer and stage."""

    interview_id: int
    interviewer_name: str
    stage_key: str
    stage_title: str
    level: str
    level_label: str
    note: str


@dataclass(frozen=True, slots=True)
class CompetencyResult:
    """One competency of the kit, rated or not, so the report always shows the whole rubric."""

    competency_id: str
    name: str
    weight: float
    score: float | None
    mean_level: str | None
    mean_level_label: str | None
    ratings: tuple[RatingDetail, ...]

    @property
    def rating_count(self) -> int:
        return len(self.ratings)

    @property
    def display_score(self) -> float | None:
        return display_score(self.score)


@dataclass(frozen=True, slots=True)
class StageResult:
    """One interview of the loop: what its card said, or that it is still missing."""

    interview_id: int
    stage_key: str
    stage_title: str
    interviewer_name: str
    status: StageStatus
    score: float | None
    recommendation: str | None
    recommendation_label: str | None

    @property
    def display_score(self) -> float | None:
        return display_score(self.score)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A competency interviewers saw very differently: worth discussing before deciding."""

    competency_id: str
    name: str
    spread: int
    ratings: tuple[RatingDetail, ...]


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One flag text and who raised it; ``count`` is the number of distinct interviewers."""

    text: str
    interviewer_names: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.interviewer_names)


@dataclass(frozen=True, slots=True)
class Highlight:
    """A strength or a concern, with the interviewers' own notes as the evidence."""

    competency_id: str
    name: str
    score: float
    evidence: tuple[RatingDetail, ...]

    @property
    def display_score(self) -> float:
        return round(self.score, 1)


@dataclass(frozen=True, slots=True)
class MissingScorecard:
    """An expected interview with no submitted card: who to chase, for which stage."""

    interview_id: int
    interviewer_name: str
    stage_key: str
    stage_title: str


@dataclass(frozen=True, slots=True)
class VoteCount:
    """How many interviewers voted this recommendation key themselves."""

    recommendation: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class RecommendationReason:
    """One rule that shaped the recommendation, in words, with its kind for styling."""

    kind: ReasonKind
    text: str


@dataclass(frozen=True, slots=True)
class Confidence:
    """How much to trust the recommendation, and the three things that decide it."""

    percent: int
    coverage: float
    agreement: float
    evidence: float
    agreement_measured: bool


@dataclass(frozen=True, slots=True)
class Debrief:
    """Everything the debrief post, the HTML/PDF report and the chart are rendered from."""

    kit_id: str
    score: float | None
    band: Band | None
    recommendation: str | None
    recommendation_label: str | None
    recommendation_reasons: tuple[RecommendationReason, ...]
    votes: tuple[VoteCount, ...]
    majority_vote: str | None
    confidence: Confidence
    alpha: float | None
    competencies: tuple[CompetencyResult, ...]
    stages: tuple[StageResult, ...]
    disagreements: tuple[Disagreement, ...]
    red_flags: tuple[RedFlag, ...]
    strengths: tuple[Highlight, ...]
    concerns: tuple[Highlight, ...]
    missing: tuple[MissingScorecard, ...]
    summary: str
    submitted_count: int
    expected_count: int

    @property
    def display_score(self) -> float | None:
        return display_score(self.score)


def display_score(score: float | None) -> float | None:
    """The score as people read it (one decimal); every label is derived from this."""
    return None if score is None else round(score, 1)

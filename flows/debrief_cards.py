"""Reading a loop's scorecards against its kit, for the debrief.

Part of ``flows.debrief`` (whose docstring holds the rules): it turns the inputs into
checked, ordered records, and raises ValueError with a message that names the card and
what the kit knows whenever a submitted card does not fit the kit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from flows.debrief_models import ExpectedInterview, RatingDetail, ScorecardEntry
from rubrics.schema import Competency, Kit, ScaleLevel

# Ties when rounding a score onto a scale are judged with this slack (in points on
# 0..100) so that floating-point error cannot decide them.
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Scale:
    """A kit scale with each level's position and normalised 0..100 value precomputed."""

    levels: tuple[ScaleLevel, ...]
    positions: dict[str, int]
    normalised: tuple[float, ...]
    span: int  # highest value minus lowest

    @classmethod
    def of(cls, levels: Sequence[ScaleLevel]) -> Scale:
        low, high = levels[0].value, levels[-1].value
        return cls(
            levels=tuple(levels),
            positions={level.key: index for index, level in enumerate(levels)},
            normalised=tuple(100 * (level.value - low) / (high - low) for level in levels),
            span=high - low,
        )

    def nearest(self, score: float) -> int:
        """Position of the level nearest ``score`` (0..100); ties go to the lower level."""
        best = 0
        for index in range(1, len(self.normalised)):
            if abs(self.normalised[index] - score) < abs(self.normalised[best] - score) - (
                TIE_TOLERANCE
            ):
                best = index
        return best


# The two internal records below are NamedTuples, not frozen dataclasses: a loop builds
# one per rating, and a frozen dataclass's __init__ (object.__setattr__ per field) was
# a quarter of the debrief's time.


class Rating(NamedTuple):
    competency: Competency
    value: int
    position: int
    offset: int  # value minus the scale's lowest value
    stage_weight: int  # weights scaled to integers by flows.debrief
    competency_weight: int
    detail: RatingDetail


class Card(NamedTuple):
    entry: ScorecardEntry
    stage_title: str
    ratings: tuple[Rating, ...]
    vote: int | None
    red_flags: tuple[str, ...]


def read_cards(
    kit: Kit,
    scorecards: Iterable[ScorecardEntry],
    stages: dict[str, tuple[int, str]],
    scale: Scale,
    verdicts: Scale,
    stage_weights: dict[str, int],
    competency_weights: dict[str, int],
) -> list[Card]:
    """The submitted cards, checked against the kit, in kit stage order then interview id.

    Weights come scaled to integers (see ``flows.debrief``), stored on each rating.
    """
    competencies = {c.id: c for c in kit.competencies}
    cards: dict[int, Card] = {}
    for entry in scorecards:
        if not entry.submitted:
            continue
        who = f"Scorecard for interview {entry.interview_id} ({entry.interviewer_name})"
        if entry.interview_id in cards:
            raise ValueError(
                f"Two submitted scorecards for interview {entry.interview_id}; "
                "a debrief takes one card per interview."
            )
        if entry.stage_key not in stages:
            raise ValueError(
                f"{who} is for stage '{entry.stage_key}', which kit '{kit.id}' does not have"
                f"{known(stages)}; was it written against another kit?"
            )
        vote = None
        if entry.recommendation is not None:
            if entry.recommendation not in verdicts.positions:
                raise ValueError(
                    f"{who} recommends '{entry.recommendation}', which is not on the "
                    f"recommendation scale of kit '{kit.id}'{known(verdicts.positions)}."
                )
            vote = verdicts.positions[entry.recommendation]
        stage_title = stages[entry.stage_key][1]
        ratings: list[Rating] = []
        seen: set[str] = set()
        for rating in entry.ratings:
            competency = competencies.get(rating.competency_id)
            if competency is None:
                raise ValueError(
                    f"{who} rates competency '{rating.competency_id}', which kit "
                    f"'{kit.id}' does not have{known(competencies)}."
                )
            if rating.competency_id in seen:
                raise ValueError(
                    f"{who} rates competency '{rating.competency_id}' twice; "
                    "a card has one rating per competency."
                )
            seen.add(rating.competency_id)
            position = scale.positions.get(rating.level)
            if position is None:
                raise ValueError(
                    f"{who} rates '{rating.competency_id}' as '{rating.level}', which is not "
                    f"a level of the rating scale of kit '{kit.id}'{known(scale.positions)}."
                )
            level = scale.levels[position]
            ratings.append(
                Rating(
                    competency=competency,
                    value=level.value,
                    position=position,
                    offset=level.value - scale.levels[0].value,
                    stage_weight=stage_weights[entry.stage_key],
                    competency_weight=competency_weights[competency.id],
                    detail=RatingDetail(
                        interview_id=entry.interview_id,
                        interviewer_name=entry.interviewer_name,
                        stage_key=entry.stage_key,
                        stage_title=stage_title,
                        level=level.key,
                        level_label=level.label,
                        note=rating.note,
                    ),
                )
            )
        flags = tuple(dict.fromkeys(f.strip() for f in entry.red_flags if f.strip()))
        cards[entry.interview_id] = Card(entry, stage_title, tuple(ratings), vote, flags)
    return sorted(
        cards.values(), key=lambda c: (stages[c.entry.stage_key][0], c.entry.interview_id)
    )


def read_expected(
    kit: Kit, expected: Iterable[ExpectedInterview], stages: dict[str, tuple[int, str]]
) -> list[ExpectedInterview]:
    """The expected interviews, checked against the kit, in kit stage order then id."""
    seen: set[int] = set()
    for interview in expected:
        if interview.interview_id in seen:
            raise ValueError(f"Interview {interview.interview_id} is expected twice.")
        seen.add(interview.interview_id)
        if interview.stage_key not in stages:
            raise ValueError(
                f"Expected interview {interview.interview_id} ({interview.interviewer_name}) "
                f"is for stage '{interview.stage_key}', which kit '{kit.id}' does not have"
                f"{known(stages)}."
            )
    return sorted(expected, key=lambda i: (stages[i.stage_key][0], i.interview_id))


def known(options: Iterable[str]) -> str:
    return f" (known: {', '.join(options)})"

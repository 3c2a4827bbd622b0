"""The debrief: from submitted scorecards to a score, a recommendation and the reasons.

This module is the reference for how panelbot aggregates a loop. It is pure (no I/O,
no storage, no platform code) and deterministic: the same scorecards in any order give
an identical Debrief (every list is sorted by explicit keys, ties by kit order or
interview id), and no number depends on who the interviewers are, so relabelling them
consistently changes only the names in the text. Every rule is below.

Import everything from here. The data classes live in ``flows.debrief_models``, the
checking of cards against the kit in ``flows.debrief_cards``, the recommendation in
``flows.debrief_recommendation`` and Krippendorff's alpha in ``flows.agreement``.

Inputs
    Only *submitted* scorecards count. Drafts are ignored entirely (not even validated):
    a debrief must never be moved by feedback its author has not committed to, and an
    interviewer must be able to save a half-written card without breaking the debrief.
    A submitted rating whose competency or level the kit does not know, a rating of the
    same competency twice on one card, a recommendation or stage the kit does not know,
    or two submitted cards (or two expected interviews) with one interview id raise
    ValueError: each means the card was built against another kit and any number would
    be wrong.

Normalising
    A level of value ``v`` on a scale whose values run ``min..max`` counts as
    ``100 * (v - min) / (max - min)``. On the standard four-level scale strong_no, no,
    yes, strong_yes are 0, 33.3, 66.7 and 100.

Scores
    Competency score: the mean of its normalised ratings, each weighted by
    ``kit.stage_weight`` of the stage of the card it is on (a system-design onsite may
    count more than a phone screen).
    Overall score: the mean of the competency scores weighted by ``competency.weight``,
    over the competencies with at least one rating; unrated ones neither help nor hurt.
    A card's own score (the per-stage breakdown) uses the same competency weights over
    that card's ratings. No ratings gives None.
    Every mean is computed exactly and rounded to a float once, at the end: a float
    weight is an exact binary fraction, so weights are scaled by one common power of
    two to integers, and level offsets are integers. So the order of the scorecards
    cannot change a single bit, no mean can leave 0..100, and adding a top rating can
    never lower a score, not even in the last digit.

Labels follow the score as displayed
    Scores are kept as floats and displayed to one decimal (``display_score``). Every
    label is derived from that displayed value, so the number people read and the word
    next to it never disagree (a 69.96 shown as "70.0" is "Strong", not "Solid"). It is
    also what makes a competency averaging exactly "yes" (66.666...) a strength.

Band
    Displayed overall score >= 85 Exceptional, >= 70 Strong, >= 55 Solid, >= 40 Below the
    bar, else Well below the bar (``BAND_FLOORS``).

Recommendation (a key of ``kit.recommendation_scale``)
    1. The displayed score is rounded onto the recommendation scale: the level whose
       normalised value is nearest. Ties (within ``TIE_TOLERANCE`` points, which absorbs
       floating-point error) go to the lower level: hiring errs on caution.
    2. Caps, each recorded in ``recommendation_reasons`` when it applies, whether or not
       it lowered anything. Named for the standard scale, applied by position so they
       hold on any scale: "yes" is the level just below the top, "no" the second lowest
       and "strong_no" the lowest.
       - red flags raised by exactly one interviewer: at most yes;
       - red flags raised by two or more different interviewers (told apart by
         interviewer id, so one person's flags on two cards count once): at most no,
         recorded instead of the one-interviewer cap it tightens;
       - any interviewer's own overall vote is strong_no: at most yes.
    3. The interviewers' own votes are counted per key (``votes``). The most common vote
       (``majority_vote``; None when no votes or a tie for first) is noted in the reasons
       when it differs from the computed recommendation, and a tie for first is noted as
       a split.
    No ratings gives no recommendation (None).

Confidence (0..100, an int), with its three components exposed
    coverage  = expected interviews that have a submitted card / expected interviews
                (0 when nothing is expected; cards for unexpected interviews still count
                for the score but cannot push coverage past 1);
    agreement = 1 - the mean, over competencies rated on at least two cards, of
                (highest value - lowest value) / (scale max - scale min); 0.5 ("unknown",
                ``agreement_measured`` False) when no competency is rated twice, because
                one opinion per competency shows neither agreement nor disagreement;
    evidence  = the share of ratings whose note has at least ``EVIDENCE_MIN_CHARS``
                non-space characters (0 with no ratings);
    confidence = round(100 * coverage * (0.5 * agreement + 0.5 * evidence)), Python's
                round (halves to even). Coverage multiplies: half a loop cannot give a
                confident answer however much its interviewers agree.

Breakdowns
    Competencies: every competency of the kit in kit order, with its score, the scale
    level nearest its displayed score (ties lower) and its ratings. Ratings everywhere
    are ordered by the kit's stage order, then interview id.
    Stages: every expected interview and every submitted card, in kit stage order then
    interview id: submitted or missing, the card's own score and its vote.
    Disagreements: competencies whose ratings are at least ``DISAGREEMENT_MIN_STEPS``
    scale steps apart (positions on the scale, which is the value difference on the
    standard 1..4 scale), largest spread first, then kit order.
    Red flags: each distinct flag text (trimmed) with the interviewers who raised it,
    most interviewers first, then by text.
    Strengths: displayed competency score >= ``STRENGTH_MIN`` (the mean is at or above
    "yes"), highest first; concerns: <= ``CONCERN_MAX``, lowest first; ties in kit order;
    each with the interviewers' non-empty notes on it.
    Missing: expected interviews with no submitted card.

Inter-rater agreement (``alpha``)
    Krippendorff's alpha, ordinal metric, with the competencies as units, the submitted
    cards as raters and level values as values (see ``flows.agreement``). None when no
    competency is rated on two cards; 1.0 when every competency's ratings are unanimous.

Summary
    One to three sentences built from the numbers above: the displayed score, band,
    recommendation and confidence; the strongest and weakest rated competencies (first
    in kit order on ties); how many expected scorecards are in and how many distinct red
    flags were raised. With no ratings, one sentence saying so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from flows.agreement import ordinal_alpha
from flows.debrief_cards import TIE_TOLERANCE, Card, Rating, Scale, read_cards, read_expected
from flows.debrief_models import (
    Band,
    CompetencyResult,
    Confidence,
    Debrief,
    Disagreement,
    ExpectedInterview,
    Highlight,
    MissingScorecard,
    RatingDetail,
    RatingEntry,
    ReasonKind,
    RecommendationReason,
    RedFlag,
    ScorecardEntry,
    StageResult,
    StageStatus,
    VoteCount,
    display_score,
)
from flows.debrief_recommendation import count_votes, most_common_vote, recommend
from rubrics.schema import Competency, Kit, ScaleLevel

__all__ = [
    "BAND_FLOORS",
    "CONCERN_MAX",
    "DISAGREEMENT_MIN_STEPS",
    "EVIDENCE_MIN_CHARS",
    "STRENGTH_MIN",
    "TIE_TOLERANCE",
    "UNKNOWN_AGREEMENT",
    "Band",
    "CompetencyResult",
    "Confidence",
    "Debrief",
    "Disagreement",
    "ExpectedInterview",
    "Highlight",
    "MissingScorecard",
    "RatingDetail",
    "RatingEntry",
    "ReasonKind",
    "RecommendationReason",
    "RedFlag",
    "ScorecardEntry",
    "StageResult",
    "StageStatus",
    "VoteCount",
    "band_for",
    "compute_debrief",
    "display_score",
    "is_evidence",
]

EVIDENCE_MIN_CHARS = 20
UNKNOWN_AGREEMENT = 0.5
DISAGREEMENT_MIN_STEPS = 2
STRENGTH_MIN = 66.7
CONCERN_MAX = 33.3

# The lowest displayed score of each band, highest band first: the one table to change.
BAND_FLOORS: tuple[tuple[float, Band], ...] = (
    (85.0, Band.EXCEPTIONAL),
    (70.0, Band.STRONG),
    (55.0, Band.SOLID),
    (40.0, Band.BELOW_THE_BAR),
    (-math.inf, Band.WELL_BELOW_THE_BAR),
)


def band_for(score: float) -> Band:
    """The band of a score, judged on the score as displayed (one decimal)."""
    shown = round(score, 1)
    for floor, band in BAND_FLOORS:
        if shown >= floor:
            return band
    return Band.WELL_BELOW_THE_BAR  # only for NaN; the last floor is -inf


def compute_debrief(
    *,
    kit: Kit,
    expected: Sequence[ExpectedInterview],
    scorecards: Sequence[ScorecardEntry],
) -> Debrief:
    """Aggregate a loop's submitted scorecards into its debrief, by the rules above.

    Raises ValueError when a submitted card or an expected interview does not fit the kit.
    """
    scale = Scale.of(kit.scale)
    verdicts = Scale.of(kit.recommendation_scale)
    stages = {stage.key: (index, stage.title) for index, stage in enumerate(kit.stages)}
    weights = _integer_weights({c.id: c.weight for c in kit.competencies})
    stage_weights = _integer_weights({key: kit.stage_weight(key) for key in stages})
    cards = read_cards(kit, scorecards, stages, scale, verdicts, stage_weights, weights)
    interviews = read_expected(kit, expected, stages)

    by_competency: dict[str, list[Rating]] = {c.id: [] for c in kit.competencies}
    for card in cards:
        for rating in card.ratings:
            by_competency[rating.competency.id].append(rating)
    means = {
        cid: _exact_mean([(r.stage_weight, r.offset, scale.span) for r in ratings])
        for cid, ratings in by_competency.items()
    }
    competencies = tuple(
        _competency_result(c, by_competency[c.id], _as_score(means[c.id]), scale)
        for c in kit.competencies
    )
    overall = _exact_mean(
        [(weights[cid], *mean) for cid, mean in means.items() if mean is not None]
    )
    score = _as_score(overall)

    votes = count_votes(cards, verdicts)
    majority = most_common_vote(votes)
    position, reasons = recommend(score, cards, verdicts, votes, majority)

    stage_results = _stage_results(cards, interviews, stages, verdicts, scale)
    missing = tuple(
        MissingScorecard(
            interview_id=s.interview_id,
            interviewer_name=s.interviewer_name,
            stage_key=s.stage_key,
            stage_title=s.stage_title,
        )
        for s in stage_results
        if s.status is StageStatus.MISSING
    )
    covered = len(interviews) - len(missing)
    rated = [ratings for ratings in by_competency.values() if ratings]
    confidence = _confidence(expected=len(interviews), covered=covered, rated=rated, scale=scale)
    red_flags = _red_flags(cards)
    alpha = ordinal_alpha([r.value for r in ratings] for ratings in rated)
    order = {c.id: index for index, c in enumerate(kit.competencies)}
    recommendation = None if position is None else verdicts.levels[position]
    return Debrief(
        kit_id=kit.id,
        score=score,
        band=None if score is None else band_for(score),
        recommendation=None if recommendation is None else recommendation.key,
        recommendation_label=None if recommendation is None else recommendation.label,
        recommendation_reasons=reasons,
        votes=votes,
        majority_vote=majority,
        confidence=confidence,
        alpha=alpha,
        competencies=competencies,
        stages=stage_results,
        disagreements=_disagreements(by_competency, competencies, order),
        red_flags=red_flags,
        strengths=_highlights(competencies, order, strengths=True),
        concerns=_highlights(competencies, order, strengths=False),
        missing=missing,
        summary=_summary(
            score=score,
            recommendation=recommendation,
            confidence=confidence,
            competencies=competencies,
            covered=covered,
            expected=len(interviews),
            red_flags=len(red_flags),
        ),
        submitted_count=len(cards),
        expected_count=len(interviews),
    )


# Scores ---------------------------------------------------------------------------------


def _integer_weights(weights: dict[str, float]) -> dict[str, int]:
    """Each weight times one common power of two: exact integers with the same ratios.

    A float is an exact binary fraction, so this loses nothing, and it lets every sum of
    weights below be done in exact integer arithmetic.
    """
    ratios = {key: weight.as_integer_ratio() for key, weight in weights.items()}
    common = max(denominator for _, denominator in ratios.values())
    return {key: p * (common // q) for key, (p, q) in ratios.items()}


def _exact_mean(terms: Sequence[tuple[int, int, int]]) -> tuple[int, int] | None:
    """``sum(w * n / d) / sum(w)`` over integer terms ``(w, n, d)``, as an exact ratio."""
    if not terms:
        return None
    common = math.lcm(*(d for _, _, d in terms))
    numerator = sum(w * n * (common // d) for w, n, d in terms)
    return numerator, common * sum(w for w, _, _ in terms)


def _as_score(mean: tuple[int, int] | None) -> float | None:
    """An exact mean of scale fractions on 0..100, rounded once (int / int is exact-rounded)."""
    return None if mean is None else 100 * mean[0] / mean[1]


def _competency_result(
    competency: Competency, ratings: Sequence[Rating], score: float | None, scale: Scale
) -> CompetencyResult:
    mean = None if score is None else scale.levels[scale.nearest(round(score, 1))]
    return CompetencyResult(
        competency_id=competency.id,
        name=competency.name,
        weight=competency.weight,
        score=score,
        mean_level=None if mean is None else mean.key,
        mean_level_label=None if mean is None else mean.label,
        ratings=tuple(r.detail for r in ratings),
    )


def _stage_results(
    cards: Sequence[Card],
    interviews: Sequence[ExpectedInterview],
    stages: dict[str, tuple[int, str]],
    verdicts: Scale,
    scale: Scale,
) -> tuple[StageResult, ...]:
    results: list[StageResult] = []
    submitted = {card.entry.interview_id: card for card in cards}
    for interview in interviews:
        if interview.interview_id not in submitted:
            results.append(
                StageResult(
                    interview_id=interview.interview_id,
                    stage_key=interview.stage_key,
                    stage_title=stages[interview.stage_key][1],
                    interviewer_name=interview.interviewer_name,
                    status=StageStatus.MISSING,
                    score=None,
                    recommendation=None,
                    recommendation_label=None,
                )
            )
    for card in cards:
        vote = None if card.vote is None else verdicts.levels[card.vote]
        results.append(
            StageResult(
                interview_id=card.entry.interview_id,
                stage_key=card.entry.stage_key,
                stage_title=card.stage_title,
                interviewer_name=card.entry.interviewer_name,
                status=StageStatus.SUBMITTED,
                score=_as_score(
                    _exact_mean([(r.competency_weight, r.offset, scale.span) for r in card.ratings])
                ),
                recommendation=None if vote is None else vote.key,
                recommendation_label=None if vote is None else vote.label,
            )
        )
    return tuple(sorted(results, key=lambda r: (stages[r.stage_key][0], r.interview_id)))


# Confidence -----------------------------------------------------------------------------


def _confidence(
    *, expected: int, covered: int, rated: Sequence[Sequence[Rating]], scale: Scale
) -> Confidence:
    coverage = covered / expected if expected else 0.0
    spreads = [
        (max(r.value for r in ratings) - min(r.value for r in ratings)) / scale.span
        for ratings in rated
        if len(ratings) >= 2
    ]
    agreement = 1.0 - math.fsum(spreads) / len(spreads) if spreads else UNKNOWN_AGREEMENT
    notes = [r.detail.note for ratings in rated for r in ratings]
    backed = sum(1 for note in notes if is_evidence(note))
    evidence = backed / len(notes) if notes else 0.0
    return Confidence(
        percent=round(100 * coverage * (0.5 * agreement + 0.5 * evidence)),
        coverage=coverage,
        agreement=agreement,
        evidence=evidence,
        agreement_measured=bool(spreads),
    )


def is_evidence(note: str) -> bool:
    """Whether a note counts as evidence; the scorecard form requires the same."""
    # str.split() splits on exactly the characters str.isspace() accepts; counting the
    # pieces in C keeps this cheap for long notes.
    return len(note) >= EVIDENCE_MIN_CHARS and sum(map(len, note.split())) >= EVIDENCE_MIN_CHARS


# Findings -------------------------------------------------------------------------------


def _disagreements(
    by_competency: dict[str, list[Rating]],
    competencies: Sequence[CompetencyResult],
    order: dict[str, int],
) -> tuple[Disagreement, ...]:
    found: list[Disagreement] = []
    for result in competencies:
        positions = [r.position for r in by_competency[result.competency_id]]
        spread = max(positions) - min(positions) if positions else 0
        if spread >= DISAGREEMENT_MIN_STEPS:
            found.append(Disagreement(result.competency_id, result.name, spread, result.ratings))
    return tuple(sorted(found, key=lambda d: (-d.spread, order[d.competency_id])))


def _red_flags(cards: Sequence[Card]) -> tuple[RedFlag, ...]:
    raisers: dict[str, dict[str, str]] = {}
    for card in cards:
        for flag in card.red_flags:
            who = raisers.setdefault(flag, {})
            who.setdefault(card.entry.interviewer_id, card.entry.interviewer_name)
    flags = (RedFlag(text, tuple(who.values())) for text, who in raisers.items())
    return tuple(sorted(flags, key=lambda f: (-f.count, f.text)))


def _highlights(
    competencies: Sequence[CompetencyResult], order: dict[str, int], *, strengths: bool
) -> tuple[Highlight, ...]:
    chosen = [
        Highlight(
            competency_id=c.competency_id,
            name=c.name,
            score=c.score,
            evidence=tuple(r for r in c.ratings if r.note.strip()),
        )
        for c in competencies
        if c.score is not None
        and (round(c.score, 1) >= STRENGTH_MIN if strengths else round(c.score, 1) <= CONCERN_MAX)
    ]
    sign = -1 if strengths else 1
    return tuple(sorted(chosen, key=lambda h: (sign * h.score, order[h.competency_id])))


def _summary(
    *,
    score: float | None,
    recommendation: ScaleLevel | None,
    confidence: Confidence,
    competencies: Sequence[CompetencyResult],
    covered: int,
    expected: int,
    red_flags: int,
) -> str:
    """One to three plain sentences, built only from the numbers, for the channel post."""
    loop = f"{covered} of {expected} expected scorecards submitted"
    if score is None or recommendation is None:
        return f"No ratings yet ({loop}), so there is no score or recommendation."
    sentences = [
        f"Overall {round(score, 1):.1f}/100 ({band_for(score).label}): "
        f"{recommendation.label}, with {confidence.percent}% confidence."
    ]
    rated = [(c.score, c.name) for c in competencies if c.score is not None]
    best = max(rated, key=lambda pair: pair[0])  # max and min keep the first (kit order) on ties
    worst = min(rated, key=lambda pair: pair[0])
    if len(rated) == 1:
        sentences.append(f"Only {best[1]} was rated ({best[0]:.1f}).")
    elif round(best[0], 1) == round(worst[0], 1):
        sentences.append(f"All {len(rated)} rated competencies scored {best[0]:.1f}.")
    else:
        sentences.append(
            f"Strongest on {best[1]} ({best[0]:.1f}), weakest on {worst[1]} ({worst[0]:.1f})."
        )
    if red_flags:
        loop += f"; {red_flags} red flag{'s' if red_flags > 1 else ''} raised"
    sentences.append(loop[0].upper() + loop[1:] + ".")
    return " ".join(sentences)

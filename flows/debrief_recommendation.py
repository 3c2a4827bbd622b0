"""The debrief's recommendation: the score rounded onto the scale, then capped.

Part of ``flows.debrief``, whose docstring states these rules; each rule that applies
leaves a human-readable reason, so nobody has to reverse-engineer the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flows.debrief_cards import Card, Scale
from flows.debrief_models import ReasonKind, RecommendationReason, VoteCount


def count_votes(cards: Sequence[Card], verdicts: Scale) -> tuple[VoteCount, ...]:
    counts = [0] * len(verdicts.levels)
    for card in cards:
        if card.vote is not None:
            counts[card.vote] += 1
    return tuple(
        VoteCount(recommendation=level.key, label=level.label, count=count)
        for level, count in zip(verdicts.levels, counts, strict=True)
    )


def most_common_vote(votes: Sequence[VoteCount]) -> str | None:
    """The most common vote, or None when nobody voted or two votes tie for first."""
    top = max(vote.count for vote in votes)
    leaders = [vote for vote in votes if vote.count == top]
    return leaders[0].recommendation if top and len(leaders) == 1 else None


def recommend(
    score: float | None,
    cards: Sequence[Card],
    verdicts: Scale,
    votes: Sequence[VoteCount],
    majority: str | None,
) -> tuple[int | None, tuple[RecommendationReason, ...]]:
    """The recommendation's position on the scale, and every rule that shaped it."""
    if score is None:
        text = "No ratings have been submitted, so there is no recommendation yet."
        return None, (RecommendationReason(ReasonKind.NO_RATINGS, text),)
    levels = verdicts.levels
    shown = round(score, 1)
    position = verdicts.nearest(shown)
    reasons = [
        RecommendationReason(
            ReasonKind.SCORE,
            f"The score {shown:.1f} is nearest to {levels[position].label} "
            "on the recommendation scale.",
        )
    ]

    def cap(limit: int, kind: ReasonKind, cause: str) -> None:
        nonlocal position
        outcome = (
            f"lowered from {levels[position].label}"
            if position > limit
            else f"already {levels[position].label}"
        )
        position = min(position, limit)
        text = f"{cause}, so the recommendation is at most {levels[limit].label} ({outcome})."
        reasons.append(RecommendationReason(kind, text))

    below_top = len(levels) - 2
    flaggers = list(dict.fromkeys(c.entry.interviewer_id for c in cards if c.red_flags))
    names = _names_by_interviewer(cards)
    if len(flaggers) == 1:
        cause = f"A red flag was raised by {names[flaggers[0]]}"
        cap(below_top, ReasonKind.RED_FLAG_CAP, cause)
    elif len(flaggers) >= 2:
        who = _join(names[i] for i in flaggers)
        cause = f"Red flags were raised by {len(flaggers)} interviewers ({who})"
        cap(min(1, below_top), ReasonKind.SEVERAL_RED_FLAGS_CAP, cause)
    vetoes = [c.entry.interviewer_name for c in cards if c.vote == 0]
    if vetoes:
        cause = f"{_join(dict.fromkeys(vetoes))} voted {levels[0].label}"
        cap(below_top, ReasonKind.STRONG_NO_CAP, cause)

    final = levels[position]
    total = sum(vote.count for vote in votes)
    if majority is not None and majority != final.key:
        leader = next(vote for vote in votes if vote.recommendation == majority)
        reasons.append(
            RecommendationReason(
                ReasonKind.VOTES_DIFFER,
                f"The interviewers' most common vote is {leader.label} "
                f"({leader.count} of {total}); the computed recommendation is {final.label}.",
            )
        )
    elif majority is None and total:
        split = ", ".join(f"{vote.count} {vote.label}" for vote in votes if vote.count)
        reasons.append(
            RecommendationReason(
                ReasonKind.VOTES_SPLIT, f"The interviewers' votes are split: {split}."
            )
        )
    return position, tuple(reasons)


def _names_by_interviewer(cards: Sequence[Card]) -> dict[str, str]:
    names: dict[str, str] = {}
    for card in cards:
        names.setdefault(card.entry.interviewer_id, card.entry.interviewer_name)
    return names


def _join(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"

"""Propose interview loops: the pure entry point of scheduling.

``propose(request, pool, busy)`` takes profiles and busy intervals (from
``availability`` or a test) and returns up to ``request.options`` loops, best first,
each with a one-line reason; or none, with the constraint that blocks it. No I/O, no
clock, no randomness: the same input gives the same answer.

Objective, compared left to right (see ``model.Score``):

1. **Earliest loop**: the candidate's day of the last interview. Days, not minutes:
   within the day the loop finishes, fairness matters more than the hour.
2. **Balanced load**: the increase of the sum of squared weekly interview counts;
   booking someone with ``n`` interviews that week costs ``2n + 1``, so the least
   loaded qualified people are chosen, and minimising the sum of squares evens the
   counts out across the pool.
3. **Fewest days** the candidate has to come in.

These three are exact: the options are the best kinds of loop by them (property tests
compare with brute force). Among equal loops the search prefers earlier ones, and
options are listed by the end of their last interview, without a guarantee that no
equally good loop ends earlier.

Constraints: each interview lies inside one candidate window and inside its
interviewer's working hours in their own zone, on a grid step; nobody is busy
(calendar, manual blocks, existing bookings) during their interview; per-day and
per-week limits, in the interviewer's zone, count existing bookings plus this loop;
stages keep the kit order (unless ``order_fixed`` is off) with at least ``min_break``
between interviews, all on one day when ``same_day``; only qualified non-trainees lead.
One person leads at most one interview of a loop; only if no such loop exists at all
are repeats allowed, and the option says who repeats. Options differ in at least one
stage's interviewer or day. With ``shadow``, each interview gets the least-loaded free
trainee qualified for its stage (each trainee shadows once per loop) when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from flows.scheduling.explain import diagnose, reasons
from flows.scheduling.grid import Plan, build_plan
from flows.scheduling.model import (
    Interval,
    Interview,
    Interviewer,
    LoopRequest,
    Option,
    Proposal,
    Score,
)
from flows.scheduling.search import Found, search

DEFAULT_BUDGET = 1_000


def propose(
    request: LoopRequest,
    pool: Sequence[Interviewer],
    busy: Mapping[str, Sequence[Interval]] | None = None,
    *,
    budget: int = DEFAULT_BUDGET,
) -> Proposal:
    """The best loops for ``request`` from ``pool``, or why there is none.

    ``budget`` bounds the work (stage expansions, about half a millisecond each on a
    300-person pool); typical requests need a few dozen. Past it the search completes
    what it has and says so in ``notes``.
    """
    plan = build_plan(request, pool, busy or {})
    result = search(plan, wanted=request.options, distinct=True, budget=budget)
    notes: list[str] = []
    if not result.loops:
        fallback = search(plan, wanted=request.options, distinct=False, budget=budget)
        if fallback.loops:
            notes.append(
                "the search ran out of budget before finding a loop where everyone interviews once"
                if result.exhausted
                else "no loop gives every interview its own interviewer; someone repeats"
            )
            result = fallback
        elif fallback.exhausted:
            result = fallback
    if not result.loops:
        blocked = diagnose(plan, exhausted=result.exhausted, steps=result.steps, deepest=result.deepest)
        return Proposal((), blocked=blocked)
    if result.exhausted:
        notes.append(
            f"the search used its budget ({budget} steps): these loops are valid, "
            "but better ones may exist"
        )
    loops = sorted(result.loops, key=lambda found: found.key)  # stable: same order on ties
    shadows = [_shadows(plan, found) if request.shadow else {} for found in loops]
    lines = reasons(plan, loops, shadows)
    options = tuple(
        _option(plan, found, shadow, line) for found, shadow, line in zip(loops, shadows, lines, strict=True)
    )
    return Proposal(options, notes=tuple(notes))


def _option(plan: Plan, found: Found, shadows: dict[int, str], reason: str) -> Option:
    request = plan.request
    interviews = []
    counts: dict[str, int] = {}
    for index, placement in enumerate(found.placements):
        stage = request.stages[placement.stage]
        person = plan.people[placement.lead].person
        start = plan.at(placement.start)
        interviews.append(
            Interview(
                stage=stage.key,
                title=stage.title,
                interviewer=person.id,
                start=start,
                end=start + timedelta(minutes=stage.minutes),
                shadow=shadows.get(index),
            )
        )
        counts[person.id] = counts.get(person.id, 0) + 1
    day, load, days, _ = found.key
    score = Score(plan.dates[day], load, days, max(i.end for i in interviews))
    repeated = tuple(sorted(pid for pid, n in counts.items() if n > 1))
    return Option(tuple(interviews), score, reason, repeated)


def _shadows(plan: Plan, found: Found) -> dict[int, str]:
    """Placement index -> trainee id: the least-loaded free trainee, once per loop."""
    taken: set[int] = set()
    chosen: dict[int, str] = {}
    for index, placement in enumerate(found.placements):
        best: tuple[int, str, int] | None = None
        for trainee in plan.trainees[placement.stage]:
            if trainee.index in taken:
                continue
            if not trainee.startable[placement.stage] >> placement.start & 1:
                continue
            candidate = (trainee.cost(placement.start), trainee.person.id, trainee.index)
            if best is None or candidate < best:
                best = candidate
        if best is not None:
            taken.add(best[2])
            chosen[index] = best[1]
    return chosen

"""Properties of the solver on random small instances, judged by independent referees.

* every returned option satisfies every constraint (``support.violations``);
* whenever brute force finds a loop the solver finds one, and the solver's options are
  exactly the best distinct kinds of loop brute force finds (same keys, same order);
* against a greedy first-fit: the solver is never later, and on the same finish day
  never spreads the load worse (its key is never larger).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from flows.reminders import WorkingHours
from flows.scheduling import Interval, Interviewer, LoopRequest, StageSpec, propose

from .support import best_keys, candidate_day, greedy_first_fit, loop_key, violations

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]
PEOPLE_ZONES = ["UTC", "UTC", "Europe/London", "Europe/Berlin", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]
HOURS = [(time(6), time(14)), (time(8), time(16)), (time(9), time(17)), (time(12), time(20))]
KIT = "kit"
# Tue 24 and Wed 25 Nov 2026; also a Friday/Monday pair around the EU DST change.
DAY_PAIRS = [
    (datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC)),
    (datetime(2026, 10, 23, tzinfo=UTC), datetime(2026, 10, 26, tzinfo=UTC)),
]


@st.composite
def instances(draw: st.DrawFn, *, grid: int = 30, max_stages: int = 4, max_people: int = 6):
    lengths = [grid, 2 * grid] if grid >= 30 else [15, 30, 45, 60]
    count = draw(st.integers(2, max_stages))
    stages = tuple(StageSpec(f"s{n}", f"Stage {n}", draw(st.sampled_from(lengths))) for n in range(count))
    days = draw(st.sampled_from(DAY_PAIRS))
    windows = []
    for day in days:
        if draw(st.booleans()) or not windows:
            start = draw(st.integers(8 * 60 // grid, 12 * 60 // grid)) * grid
            length = draw(st.integers(3 * 60 // grid, 7 * 60 // grid)) * grid
            windows.append(Interval(day + timedelta(minutes=start), day + timedelta(minutes=start + length)))

    def block(day: datetime, minutes: int) -> Interval:
        start = draw(st.integers(6 * 60 // grid, 18 * 60 // grid)) * grid
        return Interval(day + timedelta(minutes=start), day + timedelta(minutes=start + minutes))

    people = []
    busy: dict[str, list[Interval]] = {}
    for n in range(draw(st.integers(3, max_people))):
        start, end = draw(st.sampled_from(HOURS))
        qualified = draw(st.frozensets(st.sampled_from([s.key for s in stages]), min_size=1))
        bookings = tuple(
            block(draw(st.sampled_from(days)), 60) for _ in range(draw(st.integers(0, 2)))
        )
        person_id = f"p{n}"
        people.append(
            Interviewer(
                id=person_id,
                name=f"Person {n}",
                hours=WorkingHours(tz=draw(st.sampled_from(PEOPLE_ZONES)), start=start, end=end),
                max_per_day=draw(st.integers(1, 3)),
                max_per_week=draw(st.integers(1, 5)),
                qualified={KIT: qualified},
                trainee=draw(st.booleans()) and n > 1 and draw(st.booleans()),
                bookings=bookings,
            )
        )
        busy[person_id] = [
            block(draw(st.sampled_from(days)), draw(st.sampled_from([grid, 2 * grid, 4 * grid])))
            for _ in range(draw(st.integers(0, 3)))
        ]
    request = LoopRequest(
        kit_id=KIT,
        stages=stages,
        windows=tuple(windows),
        candidate_tz=draw(st.sampled_from(ZONES)),
        min_break=timedelta(minutes=draw(st.sampled_from([0, 15, 30]))),
        same_day=draw(st.booleans()),
        order_fixed=draw(st.booleans()) or count > 3,
        grid=timedelta(minutes=grid),
        shadow=draw(st.booleans()),
    )
    return request, people, busy


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXHAUSTIVE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances(grid=15, max_stages=5, max_people=8))
def test_every_option_satisfies_every_constraint(case) -> None:
    request, pool, busy = case
    proposal = propose(request, pool, busy)
    assert proposal.feasible != (proposal.blocked is not None)
    for option in proposal.options:
        assert violations(option, request, pool, busy) == [], option
        assert option.reason
    kinds = [
        frozenset((i.stage, i.interviewer, candidate_day(request, i.start)) for i in option.interviews)
        for option in proposal.options
    ]
    assert len(kinds) == len(set(kinds)), "options must differ in a stage's interviewer or day"
    scores = [tuple(option.score)[:3] for option in proposal.options]
    assert scores == sorted(scores)


@EXHAUSTIVE
@given(instances())
def test_solver_finds_exactly_the_best_loops_brute_force_finds(case) -> None:
    request, pool, busy = case
    expected, repeats = best_keys(request, pool, busy)
    proposal = propose(request, pool, busy)
    assert proposal.feasible == bool(expected), proposal.blocked
    found = [tuple(option.score)[:3] for option in proposal.options]
    event(f"{len(found)} options" + (" with repeats" if repeats and expected else ""))
    assert found == expected
    assert any(option.repeated for option in proposal.options) == (repeats and bool(expected))


@EXHAUSTIVE
@given(instances())
def test_never_worse_than_greedy_first_fit(case) -> None:
    request, pool, busy = case
    greedy = greedy_first_fit(request, pool, busy)
    proposal = propose(request, pool, busy)
    event("greedy finds a loop" if greedy else "greedy finds none")
    if greedy is None:
        return
    assert proposal.feasible
    best = tuple(proposal.options[0].score)[:3]
    greedy_key = loop_key(request, pool, greedy)
    event("solver earlier" if best[0] < greedy_key[0] else "same day, lighter" if best < greedy_key else "same")
    assert best <= greedy_key
    if best[0] == greedy_key[0]:
        assert best[1] <= greedy_key[1], "same finish day, but a worse load spread than greedy"


@settings(max_examples=40, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_pool_order_does_not_change_the_answer(case, rng) -> None:
    request, pool, busy = case
    shuffled = list(pool)
    rng.shuffle(shuffled)
    assert propose(request, pool, busy) == propose(request, shuffled, busy)

"""The solver on hand-made cases: each constraint and each level of the objective."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from flows.scheduling import (
    CombinedProvider,
    ICalendarFileProvider,
    ManualBlocksProvider,
    SchedulingError,
    collect_busy,
    load_pool,
    propose,
    stages_of,
)
from flows.scheduling.model import Interval, LoopRequest, StageSpec
from rubrics.loader import KitRegistry

from .helpers import KIT, at, loop, person, span
from .support import violations

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scheduling"
TUE = [span(24, 8, 18)]


def starts(proposal, rank: int = 0) -> list[tuple[str, str, object]]:
    return [(i.stage, i.interviewer, i.start) for i in proposal.options[rank].interviews]


def test_one_stage_goes_to_the_earliest_free_slot() -> None:
    pool = [person("ana", "coding")]
    proposal = propose(loop([("coding", 60)], [span(24, 10, 12)]), pool, {"ana": [span(24, 10, 10.5)]})
    assert starts(proposal) == [("coding", "ana", at(24, 10, 30))]


def test_working_hours_are_the_interviewers_own() -> None:
    pool = [person("ana", "coding", tz="America/New_York")]  # 09:00 New York = 14:00 UTC
    proposal = propose(loop([("coding", 60)], TUE), pool)
    assert starts(proposal) == [("coding", "ana", at(24, 14))]


def test_weekends_and_days_off_are_not_working_days() -> None:
    pool = [person("ana", "coding", weekdays=frozenset({2}))]  # Wednesdays only
    proposal = propose(loop([("coding", 60)], [span(24, 8, 18), span(25, 8, 18)]), pool)
    assert starts(proposal) == [("coding", "ana", at(25, 9))]


def test_a_less_loaded_interviewer_wins_the_same_day_even_later() -> None:
    busy_week = tuple(span(23, h, h + 1) for h in (9, 10, 11))
    pool = [person("ana", "coding", bookings=busy_week), person("bo", "coding")]
    proposal = propose(loop([("coding", 60)], TUE), pool, {"bo": [span(24, 9, 13)]})
    assert starts(proposal) == [("coding", "bo", at(24, 13))]
    assert proposal.options[0].score.load == 1
    assert starts(proposal, 1) == [("coding", "ana", at(24, 9))]
    assert proposal.options[1].score.load == 7  # 2 * 3 + 1
    assert "load +6" in proposal.options[1].reason


def test_an_earlier_day_beats_a_lighter_load() -> None:
    busy_week = tuple(span(23, h, h + 1) for h in (9, 10, 11))
    pool = [person("ana", "coding", bookings=busy_week), person("bo", "coding")]
    windows = [span(24, 8, 18), span(25, 8, 18)]
    proposal = propose(loop([("coding", 60)], windows), pool, {"bo": [span(24, 0, 23)]})
    assert starts(proposal) == [("coding", "ana", at(24, 9))]
    assert starts(proposal, 1) == [("coding", "bo", at(25, 9))]
    assert "1 day later than #1" in proposal.options[1].reason


def test_fewer_days_when_finish_day_and_load_tie() -> None:
    pool = [person("ana", "a"), person("bo", "b")]
    windows = [span(24, 8, 18), span(25, 8, 18)]
    busy = {"bo": [span(24, 0, 23)], "ana": [span(25, 12, 23)]}
    proposal = propose(loop([("a", 60), ("b", 60)], windows), pool, busy)
    best = proposal.options[0]
    assert best.score.finish_day == date(2026, 11, 25) and best.score.days == 1
    assert starts(proposal) == [("a", "ana", at(25, 9)), ("b", "bo", at(25, 10))]
    assert proposal.options[1].score.days == 2  # a on Tuesday, b on Wednesday


def test_limits_count_existing_bookings_per_local_day_and_week() -> None:
    tuesday = (span(24, 16, 17),)
    pool = [person("ana", "coding", per_day=1, bookings=tuesday)]
    windows = [span(24, 8, 18), span(25, 8, 18)]
    assert starts(propose(loop([("coding", 60)], windows), pool)) == [("coding", "ana", at(25, 9))]
    week = (span(23, 9, 10), span(23, 11, 12))
    pool = [person("ana", "coding", per_week=2, bookings=week)]
    nextweek = [span(26, 8, 18), span(30, 8, 18)]
    assert starts(propose(loop([("coding", 60)], nextweek), pool)) == [("coding", "ana", at(30, 9))]


def test_stages_keep_kit_order_with_breaks() -> None:
    pool = [person("ana", "a"), person("bo", "b"), person("cy", "c")]
    request = loop([("a", 30), ("b", 60), ("c", 45)], TUE, min_break=timedelta(minutes=15))
    assert starts(propose(request, pool)) == [
        ("a", "ana", at(24, 9)), ("b", "bo", at(24, 9, 45)), ("c", "cy", at(24, 11)),
    ]


def test_any_order_can_finish_a_day_earlier() -> None:
    pool = [person("ana", "a", hours=(13, 17)), person("bo", "b", hours=(9, 12))]
    windows = [span(24, 8, 18), span(25, 8, 18)]
    fixed = propose(loop([("a", 60), ("b", 60)], windows), pool)
    assert fixed.options[0].score.finish_day == date(2026, 11, 25)
    free = propose(loop([("a", 60), ("b", 60)], windows, order_fixed=False), pool)
    assert starts(free) == [("b", "bo", at(24, 9)), ("a", "ana", at(24, 13))]


def test_same_day_keeps_the_loop_on_one_candidate_day() -> None:
    pool = [person("ana", "a"), person("bo", "b")]
    windows = [span(24, 8, 18), span(25, 8, 18)]
    busy = {"bo": [span(24, 10, 23)], "ana": [span(24, 10, 23)]}
    spread = propose(loop([("a", 60), ("b", 60)], windows), pool, busy)
    assert spread.options[0].score.finish_day == date(2026, 11, 25)
    one_day = propose(loop([("a", 60), ("b", 60)], windows, same_day=True), pool, busy)
    assert all(option.score.days == 1 for option in one_day.options)


def test_a_person_repeats_only_when_nothing_else_works() -> None:
    pool = [person("ana", "a", "b")]
    proposal = propose(loop([("a", 60), ("b", 60)], TUE), pool)
    assert starts(proposal) == [("a", "ana", at(24, 9)), ("b", "ana", at(24, 10))]
    assert proposal.options[0].repeated == ("ana",)
    assert "Ana interviews more than once" in proposal.options[0].reason
    assert proposal.notes
    pool.append(person("bo", "b"))
    proposal = propose(loop([("a", 60), ("b", 60)], TUE), pool)
    assert all(not option.repeated for option in proposal.options)
    assert {i.interviewer for i in proposal.options[0].interviews} == {"ana", "bo"}


def test_trainees_shadow_but_never_lead() -> None:
    pool = [person("ana", "a"), person("tom", "a", trainee=True)]
    request = loop([("a", 60)], TUE, shadow=True)
    option = propose(request, pool).options[0]
    assert (option.interviews[0].interviewer, option.interviews[0].shadow) == ("ana", "tom")
    assert "Tom shadows a" in option.reason
    busy = propose(request, pool, {"tom": [span(24, 0, 23)]}).options[0]
    assert busy.interviews[0].shadow is None and "no trainee is free to shadow" in busy.reason
    only_trainee = propose(request, [person("tom", "a", trainee=True)])
    assert only_trainee.blocked == "no interviewer in the pool is qualified for the a stage of kit (only trainees, who shadow but do not lead)"


def test_a_trainee_shadows_once_per_loop() -> None:
    pool = [person("ana", "a"), person("bo", "b"), person("tom", "a", "b", trainee=True)]
    option = propose(loop([("a", 60), ("b", 60)], TUE, shadow=True), pool).options[0]
    assert [i.shadow for i in option.interviews] == ["tom", None]


def test_three_distinct_options_best_first() -> None:
    pool = [person(name, "a", "b") for name in ("ana", "bo", "cy", "dee")]
    request = loop([("a", 60), ("b", 60)], TUE)
    proposal = propose(request, pool)
    assert len(proposal.options) == 3
    kinds = {frozenset((i.stage, i.interviewer) for i in o.interviews) for o in proposal.options}
    assert len(kinds) == 3
    assert [o.score for o in proposal.options] == sorted(o.score for o in proposal.options)
    assert proposal.options[0].reason.startswith("earliest finish, done Tue 24 Nov 11:00 UTC")
    for option in proposal.options:
        assert violations(option, request, pool, {}) == []


def test_dst_weekend_moves_utc_times_not_local_ones() -> None:
    # Berlin's clocks go back on Sun 25 Oct 2026: 09:00 local is 07:00 UTC on Friday
    # and 08:00 UTC on Monday.
    pool = [person("ana", "a", tz="Europe/Berlin")]
    windows = [span(23, 6, 12, month=10), span(26, 6, 12, month=10)]
    proposal = propose(loop([("a", 60)], windows), pool, {"ana": [span(23, 8, 12, month=10)]})
    assert [o.interviews[0].start for o in proposal.options] == [
        at(23, 7, month=10), at(26, 8, month=10),
    ]


def test_horizon_clips_the_windows() -> None:
    pool = [person("ana", "a")]
    request = loop([("a", 60)], TUE, horizon=Interval(at(24, 12), at(30, 0)))
    assert starts(propose(request, pool)) == [("a", "ana", at(24, 12))]


def test_odd_lengths_use_a_finer_resolution_but_starts_stay_on_the_grid() -> None:
    pool = [person("ana", "a"), person("bo", "b")]
    busy = {"bo": [span(24, 9, 10 + 5 / 60)]}
    request = loop([("a", 50), ("b", 25)], TUE)
    proposal = propose(request, pool, busy)
    assert starts(proposal) == [("a", "ana", at(24, 9)), ("b", "bo", at(24, 10, 15))]
    assert proposal.options[0].interviews[0].end == at(24, 9, 50)


def test_bad_requests_are_refused_up_front() -> None:
    with pytest.raises(SchedulingError, match="naive"):
        Interval(at(24, 9).replace(tzinfo=None), at(24, 10))
    with pytest.raises(SchedulingError, match="repeat"):
        LoopRequest(kit_id=KIT, stages=(StageSpec("a", "A", 30),) * 2, windows=())
    with pytest.raises(SchedulingError, match="grid"):
        loop([("a", 30)], TUE, grid=timedelta(minutes=7))
    with pytest.raises(SchedulingError, match="92 days"):
        propose(loop([("a", 30)], [Interval(at(1, 0), at(1, 0) + timedelta(days=100))]), [])


def test_the_same_input_gives_the_same_answer() -> None:
    pool = [person(name, "a", "b") for name in ("ana", "bo", "cy")]
    request = loop([("a", 60), ("b", 60)], TUE)
    assert propose(request, pool) == propose(request, list(reversed(pool)))


def test_sample_pool_with_real_calendars_end_to_end() -> None:
    registry = KitRegistry.load()
    kit = registry.get("backend-engineer")
    pool = load_pool(FIXTURES / "pool.yaml", kits={"backend-engineer": kit})
    windows = [span(day, 9, 17, tz="Europe/Berlin") for day in (24, 25, 26)]
    request = LoopRequest.for_kit(kit, windows, candidate_tz="Europe/Berlin", shadow=True)
    provider = CombinedProvider([ICalendarFileProvider(base_dir=pool.base_dir), ManualBlocksProvider()])
    busy = collect_busy(pool.interviewers, provider, at(23, 0), at(28, 0))
    proposal = propose(request, pool.interviewers, busy)
    assert len(proposal.options) == 3
    assert request.stages == stages_of(kit)
    for option in proposal.options:
        assert violations(option, request, pool.interviewers, busy) == []
        assert [i.stage for i in option.interviews] == [s.key for s in kit.stages]


def test_a_spent_budget_still_gives_valid_loops_and_says_so() -> None:
    pool = [person(name, "a", "b", "c") for name in ("ana", "bo", "cy", "dee", "eve")]
    request = loop([("a", 60), ("b", 60), ("c", 60)], [span(24, 8, 18), span(25, 8, 18)])
    proposal = propose(request, pool, budget=3)
    assert proposal.options and "better ones may exist" in proposal.notes[0]
    for option in proposal.options:
        assert violations(option, request, pool, {}) == []
    assert propose(request, pool).notes == ()

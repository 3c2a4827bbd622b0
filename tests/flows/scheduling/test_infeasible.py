"""When no loop exists, one line names the constraint that blocks it."""

from __future__ import annotations

from datetime import timedelta

from flows.scheduling import propose
from flows.scheduling.explain import day_span

from .helpers import at, loop, person, span

TUE_THU = [span(day, 9, 17, tz="Europe/Berlin") for day in (24, 25, 26)]
LOOP = [("screening", 30), ("coding", 60), ("system-design", 60)]


def blocked(pool, windows=TUE_THU, busy=None, stages=LOOP, **options) -> str | None:
    proposal = propose(loop(stages, windows, candidate_tz="Europe/Berlin", **options), pool, busy or {})
    assert not proposal.options
    return proposal.blocked


def full_pool():
    return [person("ana", "screening"), person("bo", "coding"), person("cy", "system-design")]


def test_nobody_qualified() -> None:
    pool = [person("ana", "screening"), person("bo", "coding")]
    assert blocked(pool) == "no interviewer in the pool is qualified for the system-design stage of kit"


def test_nobody_free_names_the_stage_and_the_days() -> None:
    busy = {"cy": [span(day, 0, 23) for day in (24, 25, 26)]}
    assert blocked(full_pool(), busy=busy) == "no qualified system-design interviewer is free Tue-Thu"


def test_nobody_works_then() -> None:
    pool = [*full_pool()[:2], person("cy", "system-design", tz="Asia/Tokyo", hours=(9, 12))]
    assert blocked(pool) == (
        "no qualified system-design interviewer works during the candidate's windows (Tue-Thu) "
        "in their own working hours"
    )


def test_everyone_at_their_limit() -> None:
    week = tuple(span(23, h, h + 1) for h in (9, 10))
    pool = [*full_pool()[:2], person("cy", "system-design", per_week=2, bookings=week)]
    assert blocked(pool) == (
        "every qualified system-design interviewer free Tue-Thu has reached their daily or weekly interview limit"
    )


def test_windows_too_short() -> None:
    assert blocked(full_pool(), windows=[span(24, 9, 9.75, tz="Europe/Berlin")]) == (
        "the candidate's windows (Tue) have no 60-minute stretch for coding"
    )
    assert blocked(full_pool(), windows=[span(24, 9, 10.5, tz="Europe/Berlin")]) == (
        "the candidate's windows (Tue) offer 1 h 30 min, but the 3 interviews take 2 h 30 min"
    )


def test_no_window_at_all() -> None:
    assert blocked(full_pool(), windows=[]) == "the candidate has no availability window"


def test_order_and_breaks() -> None:
    # system design is only free first thing; it has to come after coding.
    busy = {"cy": [span(24, 10, 23)]}
    message = blocked(full_pool(), windows=TUE_THU[:1], busy=busy, min_break=timedelta(minutes=15))
    assert message == (
        "no qualified system-design interviewer is free Tue after coding "
        "(earliest end Tue 11:45) with a 15-minute break"
    )


def test_same_day_names_the_best_day() -> None:
    busy = {"cy": [span(24, 0, 23), span(25, 0, 23)], "bo": [span(26, 0, 23)]}
    assert blocked(full_pool(), busy=busy, same_day=True) == (
        "no single day (Tue-Thu) fits all 3 interviews in order; "
        "Tue 24 Nov fits screening, coding, then no system-design interviewer is free"
    )


def test_too_few_people_for_the_stages() -> None:
    pool = [person("ana", "screening", "coding", per_day=1, per_week=1), person("cy", "system-design")]
    assert blocked(pool) == (
        "the screening, coding stages need 2 interviews but only Ana can take them, "
        "and their calendars or limits do not allow more than one each"
    )


def test_day_span_wording() -> None:
    days = [at(d, 0).date() for d in (24, 25, 26)]
    assert day_span(days) == "Tue-Thu"
    assert day_span([days[0], days[2]]) == "Tue, Thu"
    assert day_span([at(23, 0).date(), at(30, 0).date()]) == "Mon 23 Nov, Mon 30 Nov"
    assert day_span([]) == "in the candidate's windows"

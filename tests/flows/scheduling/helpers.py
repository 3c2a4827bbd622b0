"""Small builders for hand-written scheduling cases (Tue 24 Nov 2026 is the usual day)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.reminders import WorkingHours
from flows.scheduling import Interval, Interviewer, LoopRequest, StageSpec

KIT = "kit"


def at(day: int, hour: int, minute: int = 0, *, tz: str = "UTC", month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC if tz == "UTC" else ZoneInfo(tz))


def span(day: int, start: float, end: float, *, tz: str = "UTC", month: int = 11) -> Interval:
    """``span(24, 9, 10.5)``: 09:00-10:30 on the 24th."""

    def moment(value: float) -> datetime:
        return at(day, int(value), round((value % 1) * 60), tz=tz, month=month)

    return Interval(moment(start), moment(end))


def person(
    person_id: str,
    *stages: str,
    tz: str = "UTC",
    hours: tuple[int, int] = (9, 17),
    per_day: int = 3,
    per_week: int = 10,
    bookings: tuple[Interval, ...] = (),
    trainee: bool = False,
    weekdays: frozenset[int] = frozenset(range(5)),
) -> Interviewer:
    return Interviewer(
        id=person_id,
        name=person_id.capitalize(),
        hours=WorkingHours(tz=tz, start=time(hours[0]), end=time(hours[1]), weekdays=weekdays),
        max_per_day=per_day,
        max_per_week=per_week,
        qualified={KIT: frozenset(stages)},
        trainee=trainee,
        bookings=bookings,
    )


def loop(
    stages: list[tuple[str, int]], windows: list[Interval], **options: object
) -> LoopRequest:
    specs = tuple(StageSpec(key, key.title(), minutes) for key, minutes in stages)
    fields: dict[str, object] = {"min_break": timedelta(0), **options}
    return LoopRequest(kit_id=KIT, stages=specs, windows=tuple(windows), **fields)

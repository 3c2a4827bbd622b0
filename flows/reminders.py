"""When to chase late feedback: a pure schedule in the interviewer's own time zone.

Rules (DESIGN.md "Time"):

* The first reminder is due ``first_delay`` after the interview ends. If that moment
  falls outside the interviewer's working hours, it moves to the start of their next
  working period: nobody is pinged at 23:00 or on a Sunday.
* Each further reminder is due at the start of working hours on the next working day
  after the previous one, in the interviewer's zone, up to ``max_reminders`` in all.
* Escalation to the recruiters is due at the start of the working day after the last
  reminder (immediately after the interview plus the delay when ``max_reminders`` is 0).

Times are computed as local wall-clock times and converted to UTC once, so a DST
change moves a reminder with the clock (09:00 stays 09:00) and can never produce two
reminders on one local day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flows.timefmt import zone

MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


class TimerKind(StrEnum):
    """Timed work panelbot persists; values are stored in the timer table."""

    BRIEFING = "briefing"
    REMINDER = "reminder"
    ESCALATION = "escalation"


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When someone may be messaged about work, in their own zone."""

    tz: str = "UTC"
    start: time = time(9, 0)
    end: time = time(18, 0)
    weekdays: frozenset[int] = field(default=MONDAY_TO_FRIDAY)

    def zoneinfo(self) -> ZoneInfo:
        return zone(self.tz)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zoneinfo())
        return self.is_working_day(local.date()) and self.start <= local.time() < self.end

    def opening(self, day: date) -> datetime:
        """Start of working hours on ``day``, as an aware UTC-convertible datetime."""
        return datetime.combine(day, self.start, tzinfo=self.zoneinfo())

    def next_working_day(self, after: date) -> date:
        day = after + timedelta(days=1)
        if not self.weekdays:
            return day
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def next_opening_at_or_after(self, moment: datetime) -> datetime:
        """``moment`` itself when inside working hours, else the next opening."""
        if not self.weekdays or self.contains(moment):
            return moment
        local = moment.astimezone(self.zoneinfo())
        day = local.date()
        if self.is_working_day(day) and local.time() < self.start:
            return self.opening(day)
        return self.opening(self.next_working_day(day))


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_hours(text: str) -> tuple[time, time]:
    """``09:00-18:00`` (``24:00`` means the end of the day)."""
    try:
        first, last = (part.strip() for part in text.split("-"))
        start = time.fromisoformat(first)
        end = time.max if last == "24:00" else time.fromisoformat(last)
    except ValueError:
        raise ValueError(f"'{text}' is not a time range like 09:00-18:00") from None
    if end <= start:
        raise ValueError(f"'{text}' ends before it starts")
    return start, end


def parse_days(text: str) -> frozenset[int]:
    """``mon-fri``, ``mon,wed,fri`` or ``mon-sun`` as weekday numbers (Monday is 0)."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in _DAYS or (last and last not in _DAYS):
            raise ValueError(f"'{text}' is not a list of days like mon-fri or mon,wed,fri")
        a, b = _DAYS.index(first), _DAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(days)


@dataclass(frozen=True, slots=True)
class DueTimer:
    kind: TimerKind
    sequence: int
    due_at: datetime


def feedback_schedule(
    *,
    interview_end: datetime,
    hours: WorkingHours,
    first_delay: timedelta,
    max_reminders: int,
) -> list[DueTimer]:
    """Reminders (sequence 1..n) then one escalation, in UTC, strictly increasing."""
    utc = ZoneInfo("UTC")
    schedule: list[DueTimer] = []
    moment = hours.next_opening_at_or_after(interview_end + first_delay)
    for sequence in range(1, max_reminders + 1):
        schedule.append(DueTimer(TimerKind.REMINDER, sequence, moment.astimezone(utc)))
        local_day = moment.astimezone(hours.zoneinfo()).date()
        moment = hours.opening(hours.next_working_day(local_day))
    schedule.append(DueTimer(TimerKind.ESCALATION, max_reminders + 1, moment.astimezone(utc)))
    return schedule


def briefing_due(*, starts_at: datetime, lead: timedelta, now: datetime) -> datetime:
    """When to send the briefing: ``lead`` before the start, or now if that has passed."""
    due = starts_at - lead
    return max(due, min(now, starts_at))

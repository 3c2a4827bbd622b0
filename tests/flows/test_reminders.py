"""Reminder schedules: working hours in the interviewer's zone, DST-safe, bounded."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from flows.reminders import TimerKind, WorkingHours, briefing_due, feedback_schedule

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo"]


def test_first_reminder_one_hour_after_end_within_hours() -> None:
    end = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # Tue 14:00 Berlin
    schedule = feedback_schedule(
        interview_end=end, hours=WorkingHours(tz="Europe/Berlin"), first_delay=timedelta(hours=1), max_reminders=3
    )
    assert [t.kind for t in schedule] == [TimerKind.REMINDER] * 3 + [TimerKind.ESCALATION]
    assert schedule[0].due_at == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    # then 09:00 Berlin (08:00 UTC) on Wed and Thu, escalation Fri
    assert [t.due_at.day for t in schedule[1:]] == [25, 26, 27]
    assert all(t.due_at.hour == 8 for t in schedule[1:])


def test_late_evening_end_waits_for_next_morning_and_skips_weekend() -> None:
    end = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # Fri 16:30 New York; +1h = 17:30 fine
    hours = WorkingHours(tz="America/New_York", end=time(17, 0))
    schedule = feedback_schedule(interview_end=end, hours=hours, first_delay=timedelta(hours=1), max_reminders=2)
    # 17:30 Friday is after hours -> Monday 09:00 New York = 14:00 UTC
    assert schedule[0].due_at == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert schedule[1].due_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert schedule[2].kind is TimerKind.ESCALATION


def test_dst_change_keeps_local_time_and_never_duplicates() -> None:
    # Europe switches back on Sun 25 Oct 2026; reminders stay at 09:00 local.
    end = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)  # Fri
    hours = WorkingHours(tz="Europe/Berlin", weekdays=frozenset(range(7)))
    schedule = feedback_schedule(interview_end=end, hours=hours, first_delay=timedelta(hours=1), max_reminders=4)
    local = [t.due_at.astimezone(hours.zoneinfo()) for t in schedule[1:]]
    assert [d.hour for d in local] == [9, 9, 9, 9]
    assert [d.day for d in local] == [24, 25, 26, 27]
    assert [t.due_at.hour for t in schedule[1:]] == [7, 8, 8, 8]  # UTC shifts, local does not


def test_no_reminders_means_immediate_escalation() -> None:
    end = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    schedule = feedback_schedule(interview_end=end, hours=WorkingHours(), first_delay=timedelta(hours=1), max_reminders=0)
    assert [(t.kind, t.due_at) for t in schedule] == [(TimerKind.ESCALATION, end + timedelta(hours=1))]


def test_briefing_due_before_start_or_now() -> None:
    start = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    lead = timedelta(minutes=30)
    assert briefing_due(starts_at=start, lead=lead, now=start - timedelta(days=1)) == start - lead
    late = start - timedelta(minutes=5)
    assert briefing_due(starts_at=start, lead=lead, now=late) == late


@given(
    end=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    tz=st.sampled_from(ZONES),
    delay_minutes=st.integers(0, 60 * 24),
    count=st.integers(0, 6),
    weekend=st.booleans(),
)
def test_schedule_properties(end: datetime, tz: str, delay_minutes: int, count: int, weekend: bool) -> None:
    hours = WorkingHours(tz=tz, weekdays=frozenset(range(7)) if weekend else frozenset(range(5)))
    schedule = feedback_schedule(
        interview_end=end, hours=hours, first_delay=timedelta(minutes=delay_minutes), max_reminders=count
    )
    assert len(schedule) == count + 1
    assert schedule[-1].kind is TimerKind.ESCALATION
    dues = [t.due_at for t in schedule]
    assert dues == sorted(dues) and len(set(dues)) == len(dues)
    assert dues[0] >= end + timedelta(minutes=delay_minutes)
    for timer in schedule:
        assert hours.contains(timer.due_at), (timer, timer.due_at.astimezone(hours.zoneinfo()))
    local_days = [t.due_at.astimezone(hours.zoneinfo()).date() for t in schedule]
    assert len(set(local_days)) == len(local_days)  # at most one per local day


def test_working_hours_and_days_parse() -> None:
    from datetime import time as clock

    import pytest

    from flows.reminders import parse_days, parse_hours

    assert parse_hours("08:30-17:00") == (clock(8, 30), clock(17, 0))
    assert parse_hours("00:00-24:00")[1] == clock.max
    assert parse_days("mon-fri") == frozenset(range(5))
    assert parse_days("fri-mon") == frozenset({4, 5, 6, 0})
    assert parse_days("mon,wed") == frozenset({0, 2})
    for bad in ("9-5", "18:00-09:00"):
        with pytest.raises(ValueError):
            parse_hours(bad)
    with pytest.raises(ValueError):
        parse_days("weekdays")


def test_round_the_clock_hours_remind_exactly_after_the_delay() -> None:
    end = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # a Saturday night
    hours = WorkingHours(tz="UTC", start=time(0, 0), end=time.max, weekdays=frozenset(range(7)))
    schedule = feedback_schedule(interview_end=end, hours=hours, first_delay=timedelta(seconds=2), max_reminders=1)
    assert schedule[0].due_at == end + timedelta(seconds=2)

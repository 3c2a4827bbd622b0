"""Busy time from handwritten iCalendar files: recurrence, all-day, floating, zones, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.scheduling import CalendarError, Interval, busy_from_ical
from flows.scheduling.ical import relevant_part

ICS = Path(__file__).resolve().parents[2] / "fixtures" / "scheduling" / "ics"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def spans(name: str, tz: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    found = busy_from_ical((ICS / name).read_bytes(), tz=tz, start=start, end=end)
    assert all(item.start.tzinfo is not None for item in found)
    return [(item.start, item.end) for item in found]


def hour(*parts: int) -> tuple[datetime, datetime]:
    start = utc(*parts)
    return start, start + timedelta(hours=1)


def test_weekly_rrule_with_exdate_and_until() -> None:
    # Mon/Wed 10:00 Berlin (09:00 UTC in November); 11 and 23 Nov are excluded;
    # UNTIL 2 Dec 22:59:59Z still includes that Wednesday's 10:00.
    found = spans("weekly_exdate.ics", "UTC", utc(2026, 11, 1), utc(2026, 12, 31))
    assert found == [
        hour(2026, 11, 2, 9), hour(2026, 11, 4, 9), hour(2026, 11, 9, 9),
        hour(2026, 11, 16, 9), hour(2026, 11, 18, 9), hour(2026, 11, 25, 9),
        hour(2026, 11, 30, 9), hour(2026, 12, 2, 9),
    ]


def test_only_the_requested_range_is_returned_and_clipped() -> None:
    found = spans("weekly_exdate.ics", "UTC", utc(2026, 11, 16, 9, 30), utc(2026, 11, 19))
    assert found == [(utc(2026, 11, 16, 9, 30), utc(2026, 11, 16, 10)), hour(2026, 11, 18, 9)]


def test_all_day_events_block_whole_local_days_of_the_interviewer() -> None:
    # New York is UTC-5 in late November: local midnight is 05:00 UTC.
    found = spans("all_day.ics", "America/New_York", utc(2026, 11, 20), utc(2026, 12, 5))
    assert found == [
        (utc(2026, 11, 24, 5), utc(2026, 11, 25, 5)),  # one day, DTEND exclusive
        (utc(2026, 11, 26, 5), utc(2026, 11, 28, 5)),  # Thu and Fri
        (utc(2026, 11, 30, 5), utc(2026, 12, 1, 5)),  # no DTEND: one day
    ]
    berlin = spans("all_day.ics", "Europe/Berlin", utc(2026, 11, 20), utc(2026, 11, 25, 12))
    assert berlin == [(utc(2026, 11, 23, 23), utc(2026, 11, 24, 23))]


@pytest.mark.parametrize(
    ("tz", "dentist", "lunch"),
    [
        ("Europe/Berlin", utc(2026, 11, 24, 9), utc(2026, 11, 25, 11)),
        ("Asia/Kolkata", utc(2026, 11, 24, 4, 30), utc(2026, 11, 25, 6, 30)),
    ],
)
def test_floating_times_are_read_in_the_interviewers_zone(tz: str, dentist: datetime, lunch: datetime) -> None:
    found = spans("floating.ics", tz, utc(2026, 11, 23), utc(2026, 11, 30))
    assert found == [
        (dentist, dentist + timedelta(hours=1)),
        (lunch, lunch + timedelta(minutes=45)),  # DURATION, and a floating daily RRULE
        (lunch + timedelta(days=1), lunch + timedelta(days=1, minutes=45)),
    ]


def test_zoned_times_keep_their_own_zone_whatever_the_interviewer() -> None:
    for tz in ("UTC", "Asia/Tokyo"):
        found = spans("zoned.ics", tz, utc(2026, 11, 23), utc(2026, 11, 30))
        assert found == [
            hour(2026, 11, 24, 14),  # TZID=America/New_York 09:00 (EST)
            (utc(2026, 11, 24, 16), utc(2026, 11, 24, 16, 30)),  # UTC (Z)
            (utc(2026, 11, 25, 14), utc(2026, 11, 25, 14, 30)),  # custom VTIMEZONE
            hour(2026, 11, 26, 8),  # Windows zone name (W. Europe Standard Time)
        ]


def test_weekly_event_keeps_its_local_hour_across_the_us_dst_weekend() -> None:
    # 09:00 New York each Friday: EDT (UTC-4) before Sun 1 Nov 2026, EST (UTC-5) after.
    found = spans("dst_us.ics", "UTC", utc(2026, 10, 1), utc(2026, 12, 1))
    assert found == [hour(2026, 10, 23, 13), hour(2026, 10, 30, 13), hour(2026, 11, 6, 14)]


def test_daily_event_and_overnight_event_across_the_eu_dst_weekend() -> None:
    found = spans("dst_eu.ics", "UTC", utc(2026, 10, 20), utc(2026, 10, 30))
    half = timedelta(minutes=30)
    assert found == [
        (utc(2026, 10, 23, 7), utc(2026, 10, 23, 7) + half),  # CEST
        (utc(2026, 10, 24, 7), utc(2026, 10, 24, 7) + half),
        # 22:00 CEST Sat to 06:00 CET Sun is nine real hours
        (utc(2026, 10, 24, 20), utc(2026, 10, 25, 5)),
        (utc(2026, 10, 25, 8), utc(2026, 10, 25, 8) + half),  # CET from Sunday
        (utc(2026, 10, 26, 8), utc(2026, 10, 26, 8) + half),
    ]


def test_cancelled_transparent_overrides_and_rdates() -> None:
    found = spans("statuses.ics", "UTC", utc(2026, 11, 23), utc(2026, 12, 5))
    half = timedelta(minutes=30)
    assert found == [
        (utc(2026, 11, 23, 13), utc(2026, 11, 23, 13) + half),
        (utc(2026, 11, 24, 15), utc(2026, 11, 24, 15) + half),  # moved by RECURRENCE-ID
        # 25 Nov: that occurrence was cancelled
        (utc(2026, 11, 26, 13), utc(2026, 11, 26, 13) + half),
        (utc(2026, 11, 27, 13), utc(2026, 11, 27, 13) + half),
        (utc(2026, 11, 28, 9), utc(2026, 11, 28, 9) + half),  # RDATE
        (utc(2026, 11, 30, 8), utc(2026, 11, 30, 8) + half),
        (utc(2026, 12, 1, 8), utc(2026, 12, 1, 10)),  # RDATE;VALUE=PERIOD
    ]


def test_freebusy_periods_block_unless_free() -> None:
    found = spans("freebusy.ics", "UTC", utc(2026, 11, 23), utc(2026, 11, 30))
    assert found == [
        hour(2026, 11, 24, 9),
        hour(2026, 11, 24, 14),
        (utc(2026, 11, 25, 12), utc(2026, 11, 25, 12, 30)),
    ]


def test_old_history_is_skipped_before_parsing_but_series_are_kept() -> None:
    old = "".join(
        f"BEGIN:VEVENT\r\nUID:old-{n}\r\nDTSTART:2019010{n}T100000Z\r\nDTEND:2019010{n}T110000Z\r\nEND:VEVENT\r\n"
        for n in range(1, 8)
    )
    series = (
        "BEGIN:VEVENT\r\nUID:s\r\nDTSTART:20190101T120000Z\r\nDTEND:20190101T130000Z\r\n"
        "RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
    )
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{old}{series}END:VCALENDAR\r\n"
    kept = relevant_part(text, utc(2026, 11, 23), utc(2026, 11, 30))
    assert "old-" not in kept and "UID:s" in kept
    found = busy_from_ical(text, tz="UTC", start=utc(2026, 11, 23), end=utc(2026, 11, 30))
    assert found == [Interval(*hour(2026, 11, 24, 12))]  # 1 Jan 2019 was a Tuesday


def test_folded_lines_survive_the_filter() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:folded\r\n"
        "SUMMARY:A very long summary that a calendar folded onto\r\n  a second line\r\n"
        "DTSTART;TZID=Europe/\r\n Berlin:20261124T100000\r\nDTEND;TZID=Europe/Berlin:20261124T110000\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert busy_from_ical(text, tz="UTC", start=utc(2026, 11, 23), end=utc(2026, 11, 30)) == [
        Interval(utc(2026, 11, 24, 9), utc(2026, 11, 24, 10))
    ]


def test_not_a_calendar_is_a_clear_error() -> None:
    with pytest.raises(CalendarError, match=r"^ana\.ics: not an iCalendar document"):
        busy_from_ical(b"hello", tz="UTC", start=utc(2026, 1, 1), end=utc(2026, 2, 1), source="ana.ics")


def test_a_broken_event_does_not_hide_the_others(caplog: pytest.LogCaptureFixture) -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:notadate\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:good\r\nDTSTART:20261124T100000Z\r\nDTEND:20261124T110000Z\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    found = busy_from_ical(text, tz="UTC", start=utc(2026, 11, 23), end=utc(2026, 11, 30))
    assert found == [Interval(*hour(2026, 11, 24, 10))]
    assert any(record.msg == "scheduling.ical_event_skipped" for record in caplog.records)

"""Calendar providers: files beside the pool, URLs, manual blocks, and their union."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from flows.reminders import WorkingHours
from flows.scheduling import (
    CalendarError,
    CalendarProvider,
    CombinedProvider,
    ICalendarFileProvider,
    Interval,
    Interviewer,
    ManualBlocksProvider,
    collect_busy,
)
from flows.scheduling.availability import fetch_url

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scheduling"
START, END = datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 28, tzinfo=UTC)


def person(calendar: str | None = None, *, blocks: tuple[Interval, ...] = (), tz: str = "UTC") -> Interviewer:
    return Interviewer(id="ana", name="Ana", hours=WorkingHours(tz=tz), calendar=calendar, blocks=blocks)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[str]:
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES / "ics"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_relative_calendar_paths_are_read_from_the_pool_folder() -> None:
    provider = ICalendarFileProvider(base_dir=FIXTURES)
    busy = provider.busy(person("calendars/dara.ics"), START, END)
    assert busy == [Interval(at(24, 9), at(24, 11))]


def test_absolute_paths_work_without_a_base_dir() -> None:
    provider = ICalendarFileProvider()
    busy = provider.busy(person(str(FIXTURES / "calendars" / "dara.ics")), START, END)
    assert busy == [Interval(at(24, 9), at(24, 11))]


def test_no_calendar_means_no_busy_time() -> None:
    assert ICalendarFileProvider().busy(person(None), START, END) == []


def test_missing_file_names_the_interviewer_and_path(tmp_path: Path) -> None:
    provider = ICalendarFileProvider(base_dir=tmp_path)
    with pytest.raises(CalendarError, match=r"nope\.ics: cannot read calendar file"):
        provider.busy(person("nope.ics"), START, END)


def test_urls_are_fetched_once_and_parsed_per_interviewer() -> None:
    calls: list[str] = []

    def fetch(url: str) -> bytes:
        calls.append(url)
        return (FIXTURES / "ics" / "floating.ics").read_bytes()

    provider = ICalendarFileProvider(fetch=fetch)
    url = "https://calendar.example.com/ana.ics"
    berlin = provider.busy(person(url, tz="Europe/Berlin"), START, END)
    kolkata = provider.busy(person(url, tz="Asia/Kolkata"), START, END)
    assert calls == [url]
    assert berlin[0].start == at(24, 9) and kolkata[0].start == at(24, 4, 30)


def test_fetch_url_over_http(server: str) -> None:
    provider = ICalendarFileProvider()
    busy = provider.busy(person(f"{server}/zoned.ics"), START, END)
    assert busy[0] == Interval(at(24, 14), at(24, 15))


def test_http_errors_are_calendar_errors(server: str) -> None:
    with pytest.raises(CalendarError, match="HTTP 404"):
        fetch_url(f"{server}/missing.ics")
    with pytest.raises(CalendarError, match="cannot fetch"):
        fetch_url("http://127.0.0.1:9/unreachable.ics")


def test_webcal_means_https() -> None:
    seen: list[str] = []
    provider = ICalendarFileProvider(fetch=lambda url: seen.append(url) or b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert provider.busy(person("webcal://calendar.example.com/a.ics"), START, END) == []
    assert seen == ["webcal://calendar.example.com/a.ics"]  # the provider passes it on as given
    # ...and the default fetcher turns it into HTTPS:
    with pytest.raises(CalendarError, match=r"https://127\.0\.0\.1:9/"):
        fetch_url("webcal://127.0.0.1:9/")


def test_manual_blocks_are_clipped_and_merged() -> None:
    blocks = (
        Interval(at(22, 10), at(23, 10)),
        Interval(at(24, 9), at(24, 10)),
        Interval(at(24, 10), at(24, 11)),
    )
    busy = ManualBlocksProvider().busy(person(blocks=blocks), START, END)
    assert busy == [Interval(START, at(23, 10)), Interval(at(24, 9), at(24, 11))]


def test_combined_provider_is_the_union() -> None:
    provider: CalendarProvider = CombinedProvider(
        [ICalendarFileProvider(base_dir=FIXTURES), ManualBlocksProvider()]
    )
    interviewer = person("calendars/dara.ics", blocks=(Interval(at(24, 10), at(24, 12)),))
    assert provider.busy(interviewer, START, END) == [Interval(at(24, 9), at(24, 12))]


def test_collect_busy_for_a_pool_in_parallel() -> None:
    people = [
        Interviewer(id=f"p{n}", name=f"P{n}", calendar="calendars/dara.ics") for n in range(5)
    ]
    busy = collect_busy(people, ICalendarFileProvider(base_dir=FIXTURES), START, END, workers=4)
    assert sorted(busy) == [f"p{n}" for n in range(5)]
    assert all(value == [Interval(at(24, 9), at(24, 11))] for value in busy.values())


def test_collect_busy_raises_the_first_calendar_error(tmp_path: Path) -> None:
    people = [Interviewer(id="x", name="X", calendar="missing.ics")]
    with pytest.raises(CalendarError):
        collect_busy(people, ICalendarFileProvider(base_dir=tmp_path), START, END)

"""Where busy time comes from: calendar providers, the only part of scheduling with I/O.

The solver never reads a file or a URL; it takes busy intervals per interviewer. A
provider answers one question, ``busy(interviewer, start, end)``, so a Google or
Microsoft 365 provider (free/busy APIs) can be added later as one more class, and the
solver, its tests and the CLI stay as they are. Providers here:

* ``ICalendarFileProvider``: the interviewer's ``calendar``, a local ``.ics`` path
  (relative paths are read from ``base_dir``, the pool file's folder) or an
  ``http(s)://``/``webcal://`` URL fetched with ``urllib``;
* ``ManualBlocksProvider``: the ``blocks`` typed into the pool file;
* ``CombinedProvider``: the union of several providers.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Protocol

from flows.scheduling.ical import CalendarError, busy_from_ical
from flows.scheduling.model import Interval, Interviewer, merge_intervals

Fetch = Callable[[str], bytes]

MAX_CALENDAR_BYTES = 20 * 1024 * 1024
URL_TIMEOUT_S = 15.0
_USER_AGENT = "panelbot-scheduler/1 (+https://github.com/panelbot)"


class CalendarProvider(Protocol):
    """Anything that knows when an interviewer is busy."""

    def busy(self, interviewer: Interviewer, start: datetime, end: datetime) -> list[Interval]:
        """Busy intervals (any zone) of ``interviewer`` that touch ``[start, end)``."""
        ...


def is_url(source: str) -> bool:
    return source.split(":", 1)[0].lower() in {"http", "https", "webcal"}


def fetch_url(url: str) -> bytes:
    """GET an iCalendar feed; ``webcal://`` is the same feed over HTTPS."""
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT_S) as response:
            data: bytes = response.read(MAX_CALENDAR_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise CalendarError(url, f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CalendarError(url, f"cannot fetch ({reason})") from None
    if len(data) > MAX_CALENDAR_BYTES:
        raise CalendarError(url, f"larger than {MAX_CALENDAR_BYTES // (1024 * 1024)} MiB")
    return data


class ICalendarFileProvider:
    """Busy time from each interviewer's ``.ics`` file or URL.

    A source shared by several interviewers is read once per provider; parsing still
    happens per interviewer because floating times and all-day events depend on their
    zone.
    """

    def __init__(self, *, base_dir: Path | None = None, fetch: Fetch = fetch_url) -> None:
        self._base_dir = base_dir
        self._fetch = fetch
        self._cache: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def resolve(self, source: str) -> str:
        """A URL as given; a path made absolute against ``base_dir``."""
        if is_url(source):
            return source
        path = Path(source.removeprefix("file://")).expanduser()
        if not path.is_absolute() and self._base_dir is not None:
            path = self._base_dir / path
        return str(path)

    def read(self, source: str) -> bytes:
        resolved = self.resolve(source)
        with self._lock:
            cached = self._cache.get(resolved)
        if cached is not None:
            return cached
        if is_url(resolved):
            data = self._fetch(resolved)
        else:
            try:
                data = Path(resolved).read_bytes()
            except OSError as exc:
                raise CalendarError(resolved, f"cannot read calendar file ({exc.strerror})") from None
        with self._lock:
            self._cache[resolved] = data
        return data

    def busy(self, interviewer: Interviewer, start: datetime, end: datetime) -> list[Interval]:
        if not interviewer.calendar:
            return []
        data = self.read(interviewer.calendar)
        source = f"calendar of {interviewer.id} ({self.resolve(interviewer.calendar)})"
        return busy_from_ical(data, tz=interviewer.tz, start=start, end=end, source=source)


class ManualBlocksProvider:
    """The time blocks written into the interviewer's profile by hand."""

    def busy(self, interviewer: Interviewer, start: datetime, end: datetime) -> list[Interval]:
        clipped = (block.clip(start, end) for block in interviewer.blocks)
        return merge_intervals(block for block in clipped if block is not None)


class CombinedProvider:
    """Busy in any of ``providers`` means busy."""

    def __init__(self, providers: Iterable[CalendarProvider]) -> None:
        self._providers = tuple(providers)

    def busy(self, interviewer: Interviewer, start: datetime, end: datetime) -> list[Interval]:
        found: list[Interval] = []
        for provider in self._providers:
            found.extend(provider.busy(interviewer, start, end))
        return merge_intervals(found)


def collect_busy(
    pool: Sequence[Interviewer],
    provider: CalendarProvider,
    start: datetime,
    end: datetime,
    *,
    workers: int = 8,
) -> dict[str, list[Interval]]:
    """Busy intervals for every interviewer, fetched in parallel (URLs are slow).

    The first failing calendar raises its ``CalendarError``; a loop proposed while
    someone's calendar is silently missing would double-book them.
    """

    def one(person: Interviewer) -> tuple[str, list[Interval]]:
        return person.id, provider.busy(person, start, end)

    if workers <= 1 or len(pool) <= 1:
        return dict(one(person) for person in pool)
    with ThreadPoolExecutor(max_workers=workers) as executor:
        return dict(executor.map(one, pool))

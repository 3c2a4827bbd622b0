"""Busy time from an iCalendar document, as a pure function of its text.

What blocks time, and how (RFC 5545 semantics, with the choices calendars need):

* ``VEVENT``s block ``[start, end)``. ``STATUS:CANCELLED`` and ``TRANSP:TRANSPARENT``
  events do not block (a "free" event or a holiday marked as such costs nothing).
* Recurring events are expanded here: ``RRULE`` (several allowed), ``RDATE`` (dates,
  date-times or periods), ``EXDATE`` and the old ``EXRULE``. Expansion happens on the
  event's *wall clock* in its own zone and the zone is attached afterwards, so a weekly
  09:00 New York meeting stays at 09:00 across a DST weekend (it moves in UTC), as
  calendars show it. DTSTART always counts as an occurrence, even when the rule would
  not produce it, as the RFC says.
* A modified occurrence (an event with ``RECURRENCE-ID``) replaces the occurrence of
  its series it names; if the modified one is cancelled, that occurrence is simply gone.
* All-day events (``VALUE=DATE``) block whole days *of the interviewer*: local midnight
  to local midnight, DTEND exclusive (one day when there is none).
* Floating times (no zone, no ``Z``) and times with a ``TZID`` nobody defined are read
  in the interviewer's zone; ``TZID``s of IANA, Windows or ``VTIMEZONE`` zones are used
  as given (``icalendar`` resolves all three).
* ``VFREEBUSY`` periods block unless their ``FBTYPE`` is ``FREE``.

Expansion uses ``dateutil.rrule``, which ``icalendar`` itself depends on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar
from icalendar.prop import vRecur

from flows.scheduling.model import Interval, merge_intervals
from flows.timefmt import zone

logger = logging.getLogger(__name__)

_SLACK = timedelta(days=2)  # expansion margin for zone offsets and long events
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


class CalendarError(Exception):
    """A calendar that cannot be read; the message names its source."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


def busy_from_ical(
    data: bytes | str,
    *,
    tz: str,
    start: datetime,
    end: datetime,
    source: str = "calendar",
) -> list[Interval]:
    """Merged busy intervals (UTC) of ``data`` that touch ``[start, end)``.

    ``tz`` is the calendar owner's zone, used for floating times and all-day events.
    """
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    try:
        calendar = Calendar.from_ical(relevant_part(text, start, end))
    except ValueError as exc:
        raise CalendarError(source, f"not an iCalendar document ({exc})") from None
    local = zone(tz)
    events = list(calendar.walk("VEVENT"))
    replaced = _replaced_occurrences(events, local)
    found: list[Interval] = []
    for event in events:
        if _does_not_block(event):
            continue
        try:
            found.extend(_event_busy(event, local, start, end, replaced))
        except Exception as exc:  # a broken event must not hide everyone else's time
            logger.warning(
                "scheduling.ical_event_skipped",
                extra={"source": source, "uid": str(event.get("UID", "")), "problem": str(exc)},
            )
    for freebusy in calendar.walk("VFREEBUSY"):
        found.extend(_freebusy(freebusy.get("FREEBUSY"), local))
    clipped = (item.clip(start, end) for item in found)
    return merge_intervals(item for item in clipped if item is not None)


def relevant_part(text: str, start: datetime, end: datetime) -> str:
    """``text`` without the one-off events that end well before or start well after the range.

    Exported calendars carry years of history and ``icalendar`` parses every event in
    full, so a cheap textual look at DTSTART/DTEND drops the ones that cannot matter
    first. Anything recurring, overriding, or not plainly dated is kept; the margin
    covers any zone offset.
    """
    low = (start - _SLACK).strftime("%Y%m%d")
    high = (end + _SLACK).strftime("%Y%m%d")
    kept: list[str] = []
    block: list[str] | None = None
    for line in _unfolded(text):
        if block is None:
            if line.strip().upper() == "BEGIN:VEVENT":
                block = [line]
            else:
                kept.append(line)
            continue
        block.append(line)
        if line.strip().upper() == "END:VEVENT":
            if _may_matter(block, low, high):
                kept.extend(block)
            block = None
    if block is not None:
        kept.extend(block)
    return "\r\n".join(kept) + "\r\n"


def _unfolded(text: str) -> list[str]:
    lines: list[str] = []
    for raw in _LINE_BREAK.split(text):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def _may_matter(block: list[str], low: str, high: str) -> bool:
    values: dict[str, str] = {}
    for line in block[1:-1]:
        name = line.split(":", 1)[0].split(";", 1)[0].upper()
        if name in {"RRULE", "RDATE", "EXRULE", "RECURRENCE-ID", "DURATION"}:
            return True  # recurring, an override, or a length we would have to parse
        if name in {"DTSTART", "DTEND"} and name not in values:
            values[name] = line.rsplit(":", 1)[-1].strip()[:8]
    first, last = values.get("DTSTART", ""), values.get("DTEND", "")
    if not (first.isdigit() and len(first) == 8):
        return True
    if not (last.isdigit() and len(last) == 8):
        last = first
    return first <= high and last >= low


def _does_not_block(event: Any) -> bool:
    status = str(event.get("STATUS", "")).upper()
    transparency = str(event.get("TRANSP", "")).upper()
    return status == "CANCELLED" or transparency == "TRANSPARENT"


def _instant(value: date | datetime, local: tzinfo) -> datetime:
    """An instant for comparisons: dates at local midnight, floating times locally."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=local).astimezone(UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=local).astimezone(UTC)
    return value.astimezone(UTC)


def _replaced_occurrences(events: list[Any], local: tzinfo) -> dict[str, set[datetime]]:
    """For each UID, the original starts that a RECURRENCE-ID event overrides."""
    replaced: dict[str, set[datetime]] = {}
    for event in events:
        recurrence_id = event.get("RECURRENCE-ID")
        if recurrence_id is None:
            continue
        try:
            moment = _instant(recurrence_id.dt, local)
        except Exception:
            continue
        replaced.setdefault(str(event.get("UID", "")), set()).add(moment)
    return replaced


def _event_busy(
    event: Any,
    local: tzinfo,
    start: datetime,
    end: datetime,
    replaced: dict[str, set[datetime]],
) -> Iterator[Interval]:
    first: date | datetime = event.start
    last: date | datetime = event.end
    is_override = event.get("RECURRENCE-ID") is not None
    recurring = not is_override and bool(event.rrules or event.rdates)
    skip = set() if is_override else replaced.get(str(event.get("UID", "")), set())
    if not isinstance(first, datetime):
        # All-day: whole local days; DTEND is exclusive and defaults to one day.
        days = max(1, ((last if not isinstance(last, datetime) else last.date()) - first).days)
        starts = _expand(event, first, start, end, local) if recurring else [first]
        for day in starts:
            day = day.date() if isinstance(day, datetime) else day
            begin = datetime.combine(day, time(0), tzinfo=local)
            if begin.astimezone(UTC) in skip:
                continue
            finish = datetime.combine(day + timedelta(days=days), time(0), tzinfo=local)
            yield Interval(begin, finish)
        return
    owner = first.tzinfo or local
    wall_first = _wall(first, owner)
    wall_span = _wall(last, owner) - wall_first if isinstance(last, datetime) else timedelta(days=1)
    if wall_span <= timedelta(0):
        return
    occurrences = _expand(event, first, start, end, local) if recurring else [wall_first]
    for wall in occurrences:
        assert isinstance(wall, datetime)
        begin = wall.replace(tzinfo=owner)
        if begin.astimezone(UTC) in skip:
            continue
        yield Interval(begin, (wall + wall_span).replace(tzinfo=owner))
    for p_start, p_end in _rdates(event) if recurring else []:
        if p_end is not None:  # RDATE;VALUE=PERIOD carries its own length
            p_end = p_start + p_end if isinstance(p_end, timedelta) else p_end
            yield Interval(_instant(p_start, owner), _instant(p_end, owner))


def _wall(value: date | datetime, owner: tzinfo) -> datetime:
    """The naive wall-clock time of ``value`` in the event's own zone."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0))
    if value.tzinfo is None:
        return value
    return value.astimezone(owner).replace(tzinfo=None)


def _expand(
    event: Any, first: date | datetime, start: datetime, end: datetime, local: tzinfo
) -> list[date | datetime]:
    """Occurrence starts near ``[start, end)``: naive wall times, or dates if all-day."""
    all_day = not isinstance(first, datetime)
    owner = first.tzinfo if isinstance(first, datetime) and first.tzinfo is not None else local
    wall_first = _wall(first, owner)

    def wall(value: date | datetime) -> datetime:
        if all_day:
            return datetime.combine(value.date() if isinstance(value, datetime) else value, time(0))
        if not isinstance(value, datetime):
            return datetime.combine(value, wall_first.time())
        return _wall(value, owner)

    rules = rruleset()
    for rule in event.rrules:
        rules.rrule(_rule(rule, wall_first, wall, all_day))
    for rule in _as_list(event.get("EXRULE")):
        rules.exrule(_rule(rule, wall_first, wall, all_day))
    rules.rdate(wall_first)
    for value, period_end in _rdates(event):
        if period_end is None:
            rules.rdate(wall(value))
    for value in event.exdates:
        rules.exdate(wall(value))
    span = _span(event)
    low = _wall(start, owner) - span - _SLACK
    high = _wall(end, owner) + _SLACK
    found: Iterable[datetime] = rules.between(low, high, inc=True)
    return [moment.date() if all_day else moment for moment in found]


def _rule(rule: vRecur, wall_first: datetime, wall: Any, all_day: bool) -> Any:
    """A dateutil rule on the naive wall clock; UNTIL converted to that clock too."""
    values: Any = vRecur(dict(rule))
    if "UNTIL" in values:
        until = values["UNTIL"][0]
        if not isinstance(until, datetime):
            until = datetime.combine(until, time(23, 59, 59))
        elif until.tzinfo is not None:
            until = wall(until) if not all_day else until.replace(tzinfo=None)
        values["UNTIL"] = [until]
    text = values.to_ical().decode("ascii")
    return rrulestr(text, dtstart=wall_first, ignoretz=True)


def _rdates(event: Any) -> list[tuple[Any, Any]]:
    """RDATEs as ``(start, end-or-duration-or-None)``, whatever shape icalendar gives."""
    return [value if isinstance(value, tuple) else (value, None) for value in event.rdates]


def _span(event: Any) -> timedelta:
    try:
        span = event.duration
    except Exception:
        return timedelta(days=1)
    return span if isinstance(span, timedelta) and span > timedelta(0) else timedelta(0)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _freebusy(values: Any, local: tzinfo) -> Iterator[Interval]:
    for period in _as_list(values):
        if str(period.params.get("FBTYPE", "BUSY")).upper() == "FREE":
            continue
        p_start, p_end = period.dt
        p_end = p_start + p_end if isinstance(p_end, timedelta) else p_end
        begin, finish = _instant(p_start, local), _instant(p_end, local)
        if begin < finish:
            yield Interval(begin, finish)

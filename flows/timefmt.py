"""Show UTC instants in each person's own time zone, the same way everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str | None) -> ZoneInfo:
    """A time zone by IANA name, falling back to UTC for unknown or empty names."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_slot(starts_at: datetime, ends_at: datetime, tz_name: str | None) -> str:
    """``Tue 24 Nov 2026, 14:00-15:00 Europe/Berlin`` in the viewer's zone."""
    tz = zone(tz_name)
    start = starts_at.astimezone(tz)
    end = ends_at.astimezone(tz)
    day = start.strftime("%a %d %b %Y")
    same_day = start.date() == end.date()
    end_text = end.strftime("%H:%M") if same_day else end.strftime("%a %d %b %H:%M")
    return f"{day}, {start:%H:%M}-{end_text} {tz.key}"


def format_moment(moment: datetime, tz_name: str | None) -> str:
    """``24 Nov 2026 14:05 UTC`` in the viewer's zone."""
    tz = zone(tz_name)
    local = moment.astimezone(tz)
    return f"{local:%d %b %Y %H:%M} {tz.key}"


def format_overdue(delta: timedelta) -> str:
    """``3 h 20 min`` or ``2 days`` — how late feedback is, in words people scan."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {mins} min" if mins else "")
    return f"{mins} min"

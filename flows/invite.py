"""Calendar invites (``.ics``) for interviews, built with ``icalendar``.

The UID is stable per interview, so a rescheduled invite (higher SEQUENCE) replaces
the old event in the interviewer's calendar instead of adding a second one.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from flows.messages import Attachment

PRODID = "-//panelbot//interview loops//EN"


def interview_uid(workspace_id: str, interview_id: int) -> str:
    return f"interview-{interview_id}-{workspace_id.lower()}@panelbot"


def build_invite(
    *,
    workspace_id: str,
    interview_id: int,
    summary: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    sequence: int = 0,
    cancelled: bool = False,
    now: datetime,
) -> bytes:
    """An iCalendar document with one event, times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", interview_uid(workspace_id, interview_id))
    event.add("dtstamp", now)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    event.add("description", description)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def invite_attachment(*, filename: str, content: bytes, title: str) -> Attachment:
    return Attachment(filename=filename, content=content, mime_type="text/calendar", title=title)

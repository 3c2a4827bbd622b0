"""Stored interviewer profiles as the solver and the reminder schedule need them.

The database keeps what a person typed (``"09:00"``, ``"mon-fri"``, ISO blocks); the
solver wants ``Interviewer`` values and reminders want ``WorkingHours``. Converting in
one place keeps scheduling and reminders agreeing on when someone works. Busy time
is not read here: calendars stay behind the providers of ``flows.scheduling``, and
interviews already booked in panelbot are passed in as ``bookings`` (they block time
and count towards the daily and weekly limits).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time, timedelta
from pathlib import Path

from flows.reminders import WorkingHours
from flows.scheduling.availability import is_url
from flows.scheduling.model import Interval, Interviewer
from storage.enums import InterviewStatus
from storage.models import Interview, InterviewerProfile
from storage.profile_input import DAY_NAMES, ProfileInput, TimeBlockInput, parse_weekdays
from storage.repository import Store


def working_hours(profile: InterviewerProfile) -> WorkingHours:
    """The profile's hours in its own zone (validated on the way in, so this parses)."""
    return WorkingHours(
        tz=profile.tz,
        start=time.fromisoformat(profile.work_start),
        end=time.fromisoformat(profile.work_end),
        weekdays=parse_weekdays(profile.weekdays),
    )


def interviewer_from(
    profile: InterviewerProfile, bookings: Sequence[Interval] = ()
) -> Interviewer:
    """One stored profile as a solver ``Interviewer`` (its id is the platform user id)."""
    return Interviewer(
        id=profile.user_id,
        name=profile.display_name,
        hours=working_hours(profile),
        max_per_day=profile.max_per_day,
        max_per_week=profile.max_per_week,
        qualified={kit: frozenset(stages) for kit, stages in profile.qualified.items()},
        trainee=profile.trainee,
        calendar=profile.calendar,
        blocks=tuple(
            Interval(datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"]))
            for b in profile.blocks
        ),
        bookings=tuple(bookings),
    )


def pool_from_profiles(
    profiles: Iterable[InterviewerProfile],
    bookings: Mapping[str, Sequence[Interval]] | None = None,
) -> list[Interviewer]:
    """The solver's pool from stored profiles plus each person's existing bookings."""
    bookings = bookings or {}
    return [interviewer_from(p, bookings.get(p.user_id, ())) for p in profiles]


def booked_intervals(
    store: Store, ws: str, user_ids: Iterable[str], *, after: datetime
) -> dict[str, list[Interval]]:
    """Live interviews already in panelbot, per interviewer, from a week before ``after``.

    A week back so the weekly limit counts interviews earlier in the same week.
    """
    found: dict[str, list[Interval]] = {}
    for user_id in user_ids:
        found[user_id] = [
            Interval(item.starts_at, item.ends_at)
            for item in store.interviews_for_user(ws, user_id, after=after - timedelta(days=7))
            if item.status != InterviewStatus.CANCELLED
        ]
    return found


def profile_input_of(person: Interviewer, *, base_dir: Path | None = None) -> ProfileInput:
    """A pool-file interviewer as profile input; relative calendar paths become absolute.

    Stored paths are read later by a process with another working directory, so a
    path relative to the pool file is resolved now. Pool ``bookings`` are not stored:
    bookings come from the interviews panelbot itself schedules.
    """
    calendar = person.calendar
    if calendar and not is_url(calendar) and base_dir is not None:
        path = Path(calendar.removeprefix("file://")).expanduser()
        calendar = str(path if path.is_absolute() else (base_dir / path).resolve())
    hours = person.hours
    return ProfileInput(
        display_name=person.name,
        tz=person.tz,
        work_start=f"{hours.start:%H:%M}",
        work_end=f"{hours.end:%H:%M}",
        weekdays=",".join(DAY_NAMES[d] for d in sorted(hours.weekdays)) or "mon-fri",
        max_per_day=person.max_per_day,
        max_per_week=person.max_per_week,
        qualified={kit: sorted(stages) for kit, stages in person.qualified.items()},
        trainee=person.trainee,
        calendar=calendar,
        blocks=[TimeBlockInput(start=b.start, end=b.end) for b in person.blocks],
    )


def interviewer_hours(
    store: Store, ws: str, interview: Interview, fallback: WorkingHours
) -> WorkingHours:
    """When to remind this interview's interviewer: their profile's hours, else ``fallback``.

    Profiles are per platform, and the platform is the requisition's.
    """
    panel = store.get_panel(ws, interview.panel_id)
    requisition = store.get_requisition(ws, panel.requisition_id)
    profile = store.get_profile(ws, requisition.platform, interview.interviewer_id)
    return working_hours(profile) if profile is not None else fallback

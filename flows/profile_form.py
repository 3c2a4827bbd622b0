"""``/panel interviewer``: a person keeps their own interviewer profile from chat.

The form is neutral (any platform renders it). Everything typed is checked by
``storage.profile_input.ProfileInput`` and problems come back as inline errors by
input id, so a bad value never reaches the database. The calendar must be a URL here:
a file path typed in chat would let anyone make the server read its own files, so
paths stay a thing of pool files an admin imports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import ValidationError

from flows.messages import (
    Choice,
    ChoiceInput,
    Form,
    FormInput,
    FormKind,
    MultiChoiceInput,
    Section,
    TextInput,
)
from flows.scheduling.availability import is_url
from flows.scorecard import RawValues
from flows.state import encode_state
from rubrics.schema import Kit
from storage.enums import Platform
from storage.models import InterviewerProfile
from storage.profile_input import DAY_NAMES, ProfileInput, parse_weekdays
from storage.repository import Store

TZ_INPUT = "tz"
TZ_OTHER_INPUT = "tz_other"
HOURS_INPUT = "hours"
DAYS_INPUT = "days"
PER_DAY_INPUT = "max_per_day"
PER_WEEK_INPUT = "max_per_week"
TRAINEE_INPUT = "trainee"
CALENDAR_INPUT = "calendar"
TRAINEE_VALUE = "trainee"

COMMON_ZONES = (
    "UTC", "Europe/London", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
    "Europe/Warsaw", "Europe/Athens", "Europe/Istanbul", "Africa/Lagos", "Africa/Nairobi",
    "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo",
    "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo", "America/New_York",
    "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto",
    "America/Mexico_City",
)
_DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# Which input shows a ProfileInput field's problem.
_FIELD_INPUT = {
    "tz": TZ_OTHER_INPUT, "work_start": HOURS_INPUT, "work_end": HOURS_INPUT,
    "weekdays": DAYS_INPUT, "max_per_day": PER_DAY_INPUT, "max_per_week": PER_WEEK_INPUT,
    "calendar": CALENDAR_INPUT,
}


def qualified_input(kit_id: str) -> str:
    return f"qualified__{kit_id}"


def profile_form(
    kits: Sequence[Kit],
    profile: InterviewerProfile | None,
    *,
    default_tz: str,
    errors: dict[str, str] | None = None,
) -> Form:
    """The profile modal, pre-filled from the stored profile (or sensible defaults)."""
    tz = profile.tz if profile else default_tz
    days = parse_weekdays(profile.weekdays if profile else "mon-fri")
    qualified = profile.qualified if profile else {}
    inputs: list[FormInput] = [
        ChoiceInput(TZ_INPUT, "Time zone", tuple(Choice(z, z) for z in COMMON_ZONES),
                    initial=tz if tz in COMMON_ZONES else None, required=False),
        TextInput(TZ_OTHER_INPUT, "Other time zone", initial="" if tz in COMMON_ZONES else tz,
                  multiline=False, max_length=64, placeholder="e.g. America/Bogota",
                  hint="An IANA name; used when the list above does not have yours."),
        TextInput(HOURS_INPUT, "Working hours", multiline=False, max_length=20, required=True,
                  initial=f"{profile.work_start}-{profile.work_end}" if profile else "09:00-17:00",
                  hint="Local time, e.g. 09:00-17:00. Interviews and reminders stay inside."),
        MultiChoiceInput(DAYS_INPUT, "Working days",
                         tuple(Choice(DAY_NAMES[d], _DAY_LABELS[d]) for d in range(7)),
                         initial=tuple(DAY_NAMES[d] for d in sorted(days))),
        TextInput(PER_DAY_INPUT, "Max interviews per day", multiline=False, max_length=3,
                  required=True, initial=str(profile.max_per_day if profile else 2)),
        TextInput(PER_WEEK_INPUT, "Max interviews per week", multiline=False, max_length=3,
                  required=True, initial=str(profile.max_per_week if profile else 8)),
    ]
    for kit in kits:
        inputs.append(MultiChoiceInput(
            qualified_input(kit.id), f"Stages you can run: {kit.role}",
            tuple(Choice(f"{kit.id}:{s.key}", s.title) for s in kit.stages),
            initial=tuple(f"{kit.id}:{key}" for key in qualified.get(kit.id, ())),
        ))
    inputs += [
        MultiChoiceInput(TRAINEE_INPUT, "Trainee",
                         (Choice(TRAINEE_VALUE, "I am in training: I shadow these stages, never lead"),),
                         initial=(TRAINEE_VALUE,) if profile and profile.trainee else ()),
        TextInput(CALENDAR_INPUT, "Calendar feed URL", multiline=False, max_length=2000,
                  initial=profile.calendar or "" if profile else "",
                  placeholder="https://…/basic.ics",
                  hint="A secret iCal address; panelbot reads only when you are busy."),
    ]
    return Form(
        kind=FormKind.INTERVIEWER_PROFILE, title="Interviewer profile", submit_label="Save",
        close_label="Cancel", state=encode_state("interviewer_profile"),
        intro=(Section(text="panelbot proposes interview times inside your hours and limits, "
                            "for the stages you tick."),),
        inputs=tuple(inputs), errors=dict(errors or {}),
    )


def _one(raw: RawValues, key: str) -> str:
    value = raw.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value).strip() if value else ""


def _many(raw: RawValues, key: str) -> list[str]:
    value = raw.get(key)
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _int(raw: RawValues, key: str, errors: dict[str, str]) -> int:
    text = _one(raw, key)
    if not text.isdigit():
        errors[key] = "Enter a whole number, e.g. 2."
        return 0
    return int(text)


def parse_profile(
    raw: RawValues, kits: Sequence[Kit], *, display_name: str
) -> tuple[ProfileInput | None, dict[str, str]]:
    """The submitted form as profile input, or inline errors by input id."""
    errors: dict[str, str] = {}
    tz = _one(raw, TZ_OTHER_INPUT) or _one(raw, TZ_INPUT) or "UTC"
    hours = _HOURS.match(_one(raw, HOURS_INPUT))
    start = end = ""
    if hours is None:
        errors[HOURS_INPUT] = "Write your hours like 09:00-17:00."
    else:
        h1, m1, h2, m2 = hours.groups()
        start, end = f"{int(h1):02d}:{m1}", f"{int(h2):02d}:{m2}"
    days = _many(raw, DAYS_INPUT)
    if not days:
        errors[DAYS_INPUT] = "Tick at least one working day."
    per_day, per_week = _int(raw, PER_DAY_INPUT, errors), _int(raw, PER_WEEK_INPUT, errors)
    calendar = _one(raw, CALENDAR_INPUT)
    if calendar and not is_url(calendar):
        errors[CALENDAR_INPUT] = "Paste an https:// or webcal:// address of your calendar."
    qualified: dict[str, list[str]] = {}
    for kit in kits:
        keys = {s.key for s in kit.stages}
        picked = [v.partition(":")[2] for v in _many(raw, qualified_input(kit.id))]
        qualified[kit.id] = [key for key in picked if key in keys]
    if errors:
        return None, errors
    try:
        data = ProfileInput(
            display_name=display_name, tz=tz, work_start=start, work_end=end,
            weekdays=",".join(days), max_per_day=per_day, max_per_week=per_week,
            qualified=qualified, trainee=TRAINEE_VALUE in _many(raw, TRAINEE_INPUT),
            calendar=calendar or None,
        )
    except ValidationError as exc:
        for item in exc.errors(include_url=False):
            field = str(item["loc"][0]) if item["loc"] else "work_end"
            errors.setdefault(_FIELD_INPUT.get(field, HOURS_INPUT), str(item["msg"]))
        return None, errors
    return data, {}


def save_profile(
    store: Store, ws: str, platform: Platform, user_id: str, raw: RawValues,
    kits: Sequence[Kit], *, display_name: str,
) -> dict[str, str] | InterviewerProfile:
    """Store the submitted profile; inline errors instead when something is off.

    Blocks typed elsewhere (a pool import) are kept: the form does not show them.
    """
    data, errors = parse_profile(raw, kits, display_name=display_name)
    if data is None:
        return errors
    existing = store.get_profile(ws, platform, user_id)
    if existing is not None and existing.blocks:
        data = data.model_copy(update={"blocks": ProfileInput.model_validate(
            {"display_name": display_name, "blocks": existing.blocks}).blocks})
    profile, _ = store.upsert_profile(ws, platform, user_id, data)
    return profile

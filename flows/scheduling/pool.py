"""The interviewer pool file (``POOL.yaml``): profiles a recruiter can keep in git.

Format (one entry per interviewer; only ``id`` and ``name`` are required)::

    interviewers:
      - id: ana                      # unique; letters, digits, '.', '_' or '-'
        name: Ana Costa
        tz: Europe/Lisbon            # IANA zone; working hours and limits use it
        working_hours: "09:00-17:00" # local time, default 09:00-17:00
        weekdays: [mon, tue, wed, thu, fri]   # or "mon-fri" (the default)
        max_per_day: 2               # interviews per local day (default 2)
        max_per_week: 6              # per ISO week, Monday first (default 8)
        qualified:                   # kit id -> stage keys this person may lead
          backend-engineer: [coding, system-design]
        trainee: false               # true: shadows the listed stages, never leads
        calendar: calendars/ana.ics  # .ics path (relative to this file) or http(s) URL
        blocks:                      # busy time typed by hand; naive times are local
          - {start: "2026-11-24T12:00", end: "2026-11-24T13:30"}
        bookings:                    # interviews already booked: block time, count
          - {start: "2026-11-23T10:00", end: "2026-11-23T11:00"}   # towards limits

Problems are reported like kit problems, ``FILE: PATH: PROBLEM`` with a pydantic-style
path (``interviewers[3].qualified.backend-engineer[1]: unknown stage 'sys-design'``), so
the author can jump to the line. The validated ``Pool`` holds plain ``Interviewer``
profiles, the same ones the database will store later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from flows.reminders import WorkingHours
from flows.scheduling.model import Interval, Interviewer
from rubrics.loader import format_location, yaml_problem
from rubrics.schema import Kit, Slug

PersonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class PoolLoadError(Exception):
    """A pool file that cannot be used, with one line per problem."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))


def _weekday_list(value: Any) -> Any:
    """Accept ``[mon, tue]``, ``"mon-fri"`` or ``"mon,wed"``; names may be spelled out."""
    if isinstance(value, str):
        text = value.strip().lower()
        if "-" in text and "," not in text:
            first, _, last = (part.strip()[:3] for part in text.partition("-"))
            if first in WEEKDAYS and last in WEEKDAYS:
                a, b = WEEKDAYS.index(first), WEEKDAYS.index(last)
                return [WEEKDAYS[(a + n) % 7] for n in range((b - a) % 7 + 1)]
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class TimeBlock(_Model):
    """A busy span; naive times are read in the interviewer's zone."""

    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if (self.start.tzinfo is None) != (self.end.tzinfo is None):
            raise ValueError("start and end must both have a zone offset or both have none")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    def interval(self, tz: ZoneInfo) -> Interval:
        start = self.start if self.start.tzinfo else self.start.replace(tzinfo=tz)
        end = self.end if self.end.tzinfo else self.end.replace(tzinfo=tz)
        return Interval(start, end)


class InterviewerEntry(_Model):
    """One interviewer as written in the pool file."""

    id: PersonId
    name: Text
    tz: str = "UTC"
    working_hours: str = "09:00-17:00"
    weekdays: Annotated[list[str], BeforeValidator(_weekday_list)] = Field(
        default_factory=lambda: list(WEEKDAYS[:5])
    )
    max_per_day: int = Field(default=2, ge=0, le=24)
    max_per_week: int = Field(default=8, ge=0, le=100)
    qualified: dict[Slug, list[Slug]] = Field(default_factory=dict)
    trainee: bool = False
    calendar: str | None = None
    blocks: list[TimeBlock] = Field(default_factory=list)
    bookings: list[TimeBlock] = Field(default_factory=list)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone '{value}' (use an IANA name such as Europe/Berlin)"
            ) from None
        return value

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, value: list[str]) -> list[str]:
        days = [day.strip().lower()[:3] for day in value]
        for day in days:
            if day not in WEEKDAYS:
                raise ValueError(f"unknown weekday '{day}' (use {', '.join(WEEKDAYS)})")
        return days

    def working_hours_value(self) -> WorkingHours:
        start, end = parse_hours(self.working_hours)
        return WorkingHours(
            tz=self.tz,
            start=start,
            end=end,
            weekdays=frozenset(WEEKDAYS.index(day) for day in self.weekdays),
        )

    def profile(self) -> Interviewer:
        tz = ZoneInfo(self.tz)
        return Interviewer(
            id=self.id,
            name=self.name,
            hours=self.working_hours_value(),
            max_per_day=self.max_per_day,
            max_per_week=self.max_per_week,
            qualified={kit: frozenset(stages) for kit, stages in self.qualified.items()},
            trainee=self.trainee,
            calendar=self.calendar,
            blocks=tuple(block.interval(tz) for block in self.blocks),
            bookings=tuple(booking.interval(tz) for booking in self.bookings),
        )


class PoolFile(_Model):
    """The whole file: a list of interviewers with unique ids."""

    interviewers: list[InterviewerEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        seen: set[str] = set()
        for index, entry in enumerate(self.interviewers):
            if entry.id in seen:
                raise ValueError(f"@interviewers[{index}].id: duplicate interviewer id '{entry.id}'")
            seen.add(entry.id)
        return self


def parse_hours(value: str) -> tuple[time, time]:
    """``"09:00-17:30"`` as two times; the day must not wrap past midnight."""
    match = _HOURS.match(value)
    if not match:
        raise ValueError(f"'{value}' is not a range of hours like 09:00-17:00")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(f"'{value}' has an impossible time (use 00:00 to 23:59)")
    start, end = time(h1, m1), time(h2, m2)
    if end <= start:
        raise ValueError(f"'{value}' ends before it starts (hours past midnight are not supported)")
    return start, end


@dataclass(frozen=True, slots=True)
class Pool:
    """Validated profiles and where they came from (relative calendars live beside it)."""

    interviewers: tuple[Interviewer, ...]
    source: str
    base_dir: Path | None

    def get(self, interviewer_id: str) -> Interviewer:
        for person in self.interviewers:
            if person.id == interviewer_id:
                return person
        raise KeyError(interviewer_id)


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        location = format_location(item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if message.startswith("@"):
            inner, _, message = message[1:].partition(": ")
            location = f"{location}.{inner}" if location else inner
        if item["type"] == "missing":
            message = f"required field '{item['loc'][-1]}' is missing"
            location = format_location(item["loc"][:-1])
        elif item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        problems.append(f"{location or '(top level)'}: {message}")
    return problems


def _check_kits(pool: PoolFile, kits: Mapping[str, Kit]) -> list[str]:
    problems = []
    for index, entry in enumerate(pool.interviewers):
        for kit_id, stages in entry.qualified.items():
            where = f"interviewers[{index}].qualified.{kit_id}"
            kit = kits.get(kit_id)
            if kit is None:
                problems.append(f"{where}: unknown kit '{kit_id}' (available: {', '.join(sorted(kits))})")
                continue
            keys = [stage.key for stage in kit.stages]
            for s_index, stage in enumerate(stages):
                if stage not in keys:
                    problems.append(
                        f"{where}[{s_index}]: unknown stage '{stage}' (stages: {', '.join(keys)})"
                    )
    return problems


def parse_pool(
    text: str,
    *,
    source: str,
    base_dir: Path | None = None,
    kits: Mapping[str, Kit] | None = None,
) -> Pool:
    """Parse and validate a pool document; with ``kits``, stage keys are checked too."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PoolLoadError(source, [yaml_problem(exc)]) from None
    if not isinstance(data, dict):
        raise PoolLoadError(source, ["(top level): a pool must be a mapping with 'interviewers'"])
    try:
        parsed = PoolFile.model_validate(data)
    except ValidationError as exc:
        raise PoolLoadError(source, _problems(exc)) from None
    problems = _check_kits(parsed, kits) if kits is not None else []
    if problems:
        raise PoolLoadError(source, problems)
    return Pool(
        interviewers=tuple(entry.profile() for entry in parsed.interviewers),
        source=source,
        base_dir=base_dir,
    )


def load_pool(path: Path, *, kits: Mapping[str, Kit] | None = None) -> Pool:
    """Read ``path``; relative calendar paths will be resolved against its folder."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PoolLoadError(str(path), [f"cannot read file: {exc.strerror}"]) from None
    return parse_pool(text, source=str(path), base_dir=path.resolve().parent, kits=kits)

"""Validated input for interviewer profiles (``Store.upsert_profile``).

A profile is typed by its owner in a modal or imported from ``POOL.yaml``; either way
it is checked here before it reaches the database, so the solver and the reminder
schedule can trust every stored row (a zone ``ZoneInfo`` loads, hours that parse,
days that exist). Messages are written to be shown inline next to the field.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from storage.inputs import known_zone

__all__ = ["DAY_NAMES", "ProfileInput", "TimeBlockInput", "parse_weekdays"]

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_Key = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]


def parse_weekdays(text: str) -> frozenset[int]:
    """``mon-fri``, ``mon,wed,fri`` or ``sat-mon`` as weekday numbers (Monday is 0)."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        first, last = first[:3], last[:3]
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ValueError(f"'{text}' is not a list of days like mon-fri or mon,wed,fri")
        a, b = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
        days.update((a + n) % 7 for n in range((b - a) % 7 + 1))
    return frozenset(days)


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class TimeBlockInput(_Input):
    """Busy time typed by hand; aware, so it means the same instant for everyone."""

    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _aware_and_ordered(self) -> Self:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise PydanticCustomError("block_zone", "a block needs a zone offset on both ends")
        if self.end <= self.start:
            raise PydanticCustomError("block_order", "a block must end after it starts")
        return self


class ProfileInput(_Input):
    """Everything a profile holds except who it belongs to (that is the key)."""

    display_name: str = Field(min_length=1, max_length=200)
    tz: str = "UTC"
    work_start: str = "09:00"
    work_end: str = "17:00"
    weekdays: str = "mon-fri"
    max_per_day: int = Field(default=2, ge=0, le=24)
    max_per_week: int = Field(default=8, ge=0, le=100)
    qualified: dict[_Key, list[_Key]] = Field(default_factory=dict)
    trainee: bool = False
    calendar: str | None = Field(default=None, max_length=2000)
    blocks: list[TimeBlockInput] = Field(default_factory=list)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_zone(value)

    @field_validator("work_start", "work_end")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise PydanticCustomError("clock", "'{value}' is not a time like 09:00", {"value": value})
        return value

    @field_validator("weekdays")
    @classmethod
    def _days(cls, value: str) -> str:
        try:
            parse_weekdays(value)
        except ValueError as exc:
            raise PydanticCustomError("weekdays", str(exc)) from None
        return value.lower().replace(" ", "")

    @field_validator("calendar")
    @classmethod
    def _blank_calendar_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("qualified")
    @classmethod
    def _unique_stages(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {kit: list(dict.fromkeys(stages)) for kit, stages in value.items() if stages}

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.work_end <= self.work_start:
            raise PydanticCustomError(
                "hours", "working hours must end after they start (no shifts past midnight)"
            )
        return self

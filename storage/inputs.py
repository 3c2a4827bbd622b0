"""Validated input for the repositories.

SQLModel table classes skip validation, so anything a person typed (a modal, a card, a
command line) is parsed into one of these frozen models first; the repositories only
accept these. Each rule's message is written to be shown inline next to the field
(pydantic's ``loc`` names the field), so a bad form never reaches the database.
"""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from storage.enums import Platform, Recommendation

__all__ = [
    "MAX_NOTE_LENGTH",
    "MAX_TITLE_LENGTH",
    "CandidateCreate",
    "InterviewPlan",
    "PanelCreate",
    "RatingInput",
    "RequisitionCreate",
    "ScorecardInput",
]

MAX_TITLE_LENGTH = 200
MAX_NAME_LENGTH = 200
MAX_NOTE_LENGTH = 3000
MAX_RED_FLAG_LENGTH = 500

# Same shape as rubric ids (kits, competencies, stages, scale levels).
Slug = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
]
# A Slack or Teams id (user, channel, conversation). Teams ids are long; be generous.
PlatformId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=512)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]


def _unique_ids(values: list[str]) -> list[str]:
    """Drop repeats but keep the order people typed them in."""
    return list(dict.fromkeys(values))


UserIds = Annotated[list[PlatformId], Field(min_length=1), AfterValidator(_unique_ids)]


def known_zone(value: str) -> str:
    """``value`` if it is an IANA time zone, else a validation error that says so."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PydanticCustomError(
            "time_zone",
            "'{zone}' is not a time zone I know; use an IANA name like Europe/Berlin",
            {"zone": value},
        ) from exc
    return value


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class RequisitionCreate(_Input):
    """A new requisition with the people who may see and decide on its debriefs."""

    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH)
    level: str | None = Field(default=None, max_length=64)
    kit_id: Slug
    channel_id: PlatformId
    hiring_managers: UserIds
    recruiters: UserIds
    platform: Platform = Platform.SLACK

    @field_validator("level")
    @classmethod
    def _blank_level_is_none(cls, value: str | None) -> str | None:
        return value or None


class CandidateCreate(_Input):
    """A candidate for an existing requisition."""

    requisition_id: int = Field(gt=0)
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    email: Email | None = None


class InterviewPlan(_Input):
    """One interview to schedule: stage, interviewer and an aware time range."""

    stage_key: Slug
    interviewer_id: PlatformId
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    interviewer_tz: str = "UTC"

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _to_utc(cls, value: AwareDatetime) -> AwareDatetime:
        return value.astimezone(UTC)

    @field_validator("interviewer_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_zone(value)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_at <= self.starts_at:
            raise PydanticCustomError("time_range", "the interview must end after it starts")
        return self


class PanelCreate(_Input):
    """A candidate's loop: the candidate (new, or an existing one) and its interviews.

    Give ``candidate_name`` (and optionally ``candidate_email``) for a new candidate,
    or ``candidate_id`` for a follow-up loop of a candidate already on file.
    """

    requisition_id: int = Field(gt=0)
    candidate_name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    candidate_email: Email | None = None
    candidate_id: int | None = Field(default=None, gt=0)
    interviews: list[InterviewPlan] = Field(min_length=1)
    created_by: PlatformId

    @model_validator(mode="after")
    def _one_candidate(self) -> Self:
        if (self.candidate_name is None) == (self.candidate_id is None):
            raise PydanticCustomError(
                "candidate", "name the candidate, or pick one already on file (not both)"
            )
        return self

    @model_validator(mode="after")
    def _no_double_booking(self) -> Self:
        by_start = sorted(self.interviews, key=lambda plan: plan.starts_at)
        for i, first in enumerate(by_start):
            for later in by_start[i + 1 :]:
                if later.starts_at >= first.ends_at:
                    break
                if later.interviewer_id == first.interviewer_id:
                    raise PydanticCustomError(
                        "double_booked",
                        "{who} has two overlapping interviews in this loop ({a} and {b})",
                        {"who": first.interviewer_id, "a": first.stage_key, "b": later.stage_key},
                    )
        return self


class RatingInput(_Input):
    """One competency rated at a scale level, with the evidence for it."""

    competency_id: Slug
    level: Slug
    note: str = Field(default="", max_length=MAX_NOTE_LENGTH)


class ScorecardInput(_Input):
    """What an interviewer fills in; a draft may be partial, a submission needs a call."""

    ratings: list[RatingInput] = Field(default_factory=list)
    recommendation: Recommendation | None = None
    red_flags: list[
        Annotated[str, StringConstraints(min_length=1, max_length=MAX_RED_FLAG_LENGTH)]
    ] = Field(default_factory=list)

    @field_validator("red_flags")
    @classmethod
    def _unique_flags(cls, value: list[str]) -> list[str]:
        return _unique_ids(value)

    @model_validator(mode="after")
    def _one_rating_per_competency(self) -> Self:
        seen: set[str] = set()
        for rating in self.ratings:
            if rating.competency_id in seen:
                raise PydanticCustomError(
                    "duplicate_rating",
                    "competency '{competency}' is rated twice; keep one rating",
                    {"competency": rating.competency_id},
                )
            seen.add(rating.competency_id)
        return self

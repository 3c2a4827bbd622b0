"""The scheduling domain: who can interview, what the loop needs, what the solver returns.

Everything here is a frozen value with aware datetimes. Instants are compared as
instants (an interval in New York and one in Berlin overlap when their UTC spans do),
and everything the solver returns is in UTC; people see their own zone only when a
renderer formats it. Profiles carry the interviewer's working hours as
``flows.reminders.WorkingHours`` so reminders and scheduling agree on when someone works.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from flows.reminders import WorkingHours
from rubrics.schema import Kit

DEFAULT_BREAK = timedelta(minutes=15)
DEFAULT_GRID = timedelta(minutes=15)


class SchedulingError(ValueError):
    """A request the solver cannot even start on (not an infeasible one)."""


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise SchedulingError(f"{what} must carry a time zone, got naive {moment.isoformat()}")


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A half-open span ``[start, end)`` between two aware instants."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware(self.start, "interval start")
        _require_aware(self.end, "interval end")
        if self.end < self.start:
            raise SchedulingError(
                f"interval ends before it starts: {self.start.isoformat()} > {self.end.isoformat()}"
            )

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end

    def clip(self, start: datetime, end: datetime) -> Interval | None:
        """The part inside ``[start, end)``, or ``None`` when nothing is left."""
        lo, hi = max(self.start, start), min(self.end, end)
        return Interval(lo, hi) if lo < hi else None

    def utc(self) -> Interval:
        return Interval(self.start.astimezone(UTC), self.end.astimezone(UTC))


CandidateWindow = Interval
"""A span in which the candidate can interview; every interview lies inside one."""


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping, in UTC; touching spans are joined."""
    merged: list[Interval] = []
    for item in sorted(i.utc() for i in intervals if i.start < i.end):
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Interval(last.start, max(last.end, item.end))
        else:
            merged.append(item)
    return merged


@dataclass(frozen=True, slots=True)
class Interviewer:
    """An interviewer profile: where and when they work, how much, and for which stages.

    ``qualified`` maps a kit id to the stage keys the person may lead (or, for a
    trainee, may shadow). ``bookings`` are interviews already on their plate: they
    block the time *and* count towards ``max_per_day``/``max_per_week``, while
    ``blocks`` and the ``calendar`` only block time. Days and weeks for the limits
    are the interviewer's own (ISO weeks, Monday first).
    """

    id: str
    name: str
    hours: WorkingHours = field(default_factory=WorkingHours)
    max_per_day: int = 2
    max_per_week: int = 8
    qualified: Mapping[str, frozenset[str]] = field(default_factory=dict)
    trainee: bool = False
    calendar: str | None = None
    blocks: tuple[Interval, ...] = ()
    bookings: tuple[Interval, ...] = ()

    @property
    def tz(self) -> str:
        return self.hours.tz

    def is_qualified(self, kit_id: str, stage_key: str) -> bool:
        return stage_key in self.qualified.get(kit_id, frozenset())


@dataclass(frozen=True, slots=True)
class StageSpec:
    """One interview of the loop as the solver sees it: a key, a title, a length."""

    key: str
    title: str
    minutes: int

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)


def stages_of(kit: Kit) -> tuple[StageSpec, ...]:
    """The kit's stages, in kit order, as the solver needs them."""
    return tuple(StageSpec(s.key, s.title, s.duration_minutes) for s in kit.stages)


@dataclass(frozen=True, slots=True)
class LoopRequest:
    """What a recruiter asks for: a kit's stages inside the candidate's windows.

    ``order_fixed`` keeps the kit's stage order; ``same_day`` puts the whole loop on
    one day of the candidate (``candidate_tz``); ``min_break`` separates consecutive
    interviews; starts fall on ``grid`` steps (aligned to UTC, so :00/:15/:30/:45 for
    the default). ``horizon`` optionally clips the windows (e.g. "from now on").
    """

    kit_id: str
    stages: tuple[StageSpec, ...]
    windows: tuple[CandidateWindow, ...]
    candidate_tz: str = "UTC"
    min_break: timedelta = DEFAULT_BREAK
    same_day: bool = False
    order_fixed: bool = True
    grid: timedelta = DEFAULT_GRID
    horizon: Interval | None = None
    shadow: bool = False
    options: int = 3

    def __post_init__(self) -> None:
        if not self.stages:
            raise SchedulingError("a loop needs at least one stage")
        keys = [stage.key for stage in self.stages]
        if len(set(keys)) != len(keys):
            raise SchedulingError(f"stage keys repeat: {', '.join(keys)}")
        for stage in self.stages:
            if stage.minutes <= 0:
                raise SchedulingError(f"stage '{stage.key}' must last at least a minute")
        grid_minutes = self.grid.total_seconds() / 60
        if grid_minutes < 1 or grid_minutes != int(grid_minutes) or (24 * 60) % grid_minutes:
            raise SchedulingError("the grid must be a whole number of minutes that divides a day")
        if self.min_break < timedelta(0):
            raise SchedulingError("the minimum break cannot be negative")
        if self.options < 1:
            raise SchedulingError("ask for at least one option")
        for window in self.windows:
            _require_aware(window.start, "candidate window start")

    @classmethod
    def for_kit(
        cls,
        kit: Kit,
        windows: Iterable[CandidateWindow],
        *,
        candidate_tz: str = "UTC",
        min_break: timedelta = DEFAULT_BREAK,
        same_day: bool = False,
        order_fixed: bool = True,
        grid: timedelta = DEFAULT_GRID,
        horizon: Interval | None = None,
        shadow: bool = False,
        options: int = 3,
    ) -> LoopRequest:
        """A request for every stage of ``kit``, in kit order, with the kit's durations."""
        return cls(
            kit_id=kit.id,
            stages=stages_of(kit),
            windows=tuple(windows),
            candidate_tz=candidate_tz,
            min_break=min_break,
            same_day=same_day,
            order_fixed=order_fixed,
            grid=grid,
            horizon=horizon,
            shadow=shadow,
            options=options,
        )

    def stage(self, key: str) -> StageSpec:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class Interview:
    """One booked interview of an option; times in UTC."""

    stage: str
    title: str
    interviewer: str
    start: datetime
    end: datetime
    shadow: str | None = None

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


class Score(NamedTuple):
    """How an option ranks; smaller is better, compared left to right.

    * ``finish_day``: the candidate's day of the last interview (earliest loop first);
    * ``load``: how much the loop adds to the sum of squared weekly interview counts
      of the interviewers (each interview adds ``2 * load_that_week + 1``), so people
      with fewer interviews that week are preferred: the balanced-load objective;
    * ``days``: how many of the candidate's days the loop spans;
    * ``ends_at``: when the last interview ends. Among loops equal on the first three,
      the search tries early ones first and options are listed by it, but it is a
      preference, not guaranteed minimal.
    """

    finish_day: date
    load: int
    days: int
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Option:
    """A complete loop: interviews in time order, its score, and why it is offered."""

    interviews: tuple[Interview, ...]
    score: Score
    reason: str
    repeated: tuple[str, ...] = ()

    @property
    def starts_at(self) -> datetime:
        return self.interviews[0].start

    @property
    def ends_at(self) -> datetime:
        return max(interview.end for interview in self.interviews)


@dataclass(frozen=True, slots=True)
class Proposal:
    """The solver's answer: up to ``options`` loops, best first, or why there is none."""

    options: tuple[Option, ...]
    blocked: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        return bool(self.options)

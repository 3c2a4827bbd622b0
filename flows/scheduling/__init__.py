"""Interview-loop scheduling: who interviews the candidate, and when.

* ``model``: profiles, requests, options (frozen values, aware datetimes, UTC out);
* ``pool``: the ``POOL.yaml`` profile file, validated with located errors;
* ``ical`` and ``availability``: busy time from iCalendar files/URLs and manual blocks,
  behind the ``CalendarProvider`` protocol (the only I/O of scheduling);
* ``grid``, ``search``, ``solver``: the pure, deterministic solver (``propose``);
* ``explain``: option reasons and the diagnosis of an infeasible request.
"""

from __future__ import annotations

from flows.scheduling.availability import (
    CalendarProvider,
    CombinedProvider,
    ICalendarFileProvider,
    ManualBlocksProvider,
    collect_busy,
)
from flows.scheduling.ical import CalendarError, busy_from_ical
from flows.scheduling.model import (
    CandidateWindow,
    Interval,
    Interview,
    Interviewer,
    LoopRequest,
    Option,
    Proposal,
    SchedulingError,
    Score,
    StageSpec,
    stages_of,
)
from flows.scheduling.pool import Pool, PoolLoadError, load_pool, parse_pool
from flows.scheduling.solver import propose

__all__ = [
    "CalendarError",
    "CalendarProvider",
    "CandidateWindow",
    "CombinedProvider",
    "ICalendarFileProvider",
    "Interval",
    "Interview",
    "Interviewer",
    "LoopRequest",
    "ManualBlocksProvider",
    "Option",
    "Pool",
    "PoolLoadError",
    "Proposal",
    "SchedulingError",
    "Score",
    "StageSpec",
    "busy_from_ical",
    "collect_busy",
    "load_pool",
    "parse_pool",
    "propose",
    "stages_of",
]

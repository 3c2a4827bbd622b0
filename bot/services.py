"""The process's shared pieces, built once at start and handed to every adapter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar

from sqlalchemy import Engine

from bot.dbexec import DbExecutor
from bot.settings import Settings
from flows.loops import LoopTimings
from flows.reminders import parse_days, parse_hours
from rubrics.loader import KitRegistry
from storage.db import session_scope
from storage.repository import Store

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


POSTGRES_DB_WORKERS = 8


@dataclass
class Services:
    settings: Settings
    engine: Engine
    kits: KitRegistry
    clock: Callable[[], datetime] = field(default=utc_now)
    executor: DbExecutor = field(init=False)

    def __post_init__(self) -> None:
        workers = 1 if self.engine.dialect.name == "sqlite" else POSTGRES_DB_WORKERS
        self.executor = DbExecutor(workers)

    def timings(self) -> LoopTimings:
        start, end = parse_hours(self.settings.working_hours)
        return LoopTimings(
            briefing_lead=self.settings.briefing_lead,
            first_reminder=self.settings.feedback_first_reminder,
            max_reminders=self.settings.feedback_max_reminders,
            work_start=start,
            work_end=end,
            work_days=parse_days(self.settings.working_days),
        )

    def run(self, work: Callable[[Store], T]) -> T:
        """Run ``work`` in one transaction (blocking; call from a worker thread)."""
        with session_scope(self.engine) as session:
            return work(Store(session))

    async def db(self, work: Callable[[Store], T]) -> T:
        """Run ``work`` in one transaction off the event loop, ahead of background work."""
        return await self.executor.run(partial(self.run, work))

    async def db_background(self, work: Callable[[Store], T]) -> T:
        """Like :meth:`db` for work nobody is waiting on (timers, delivery bookkeeping)."""
        return await self.executor.run(partial(self.run, work), urgent=False)

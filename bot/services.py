"""The process's shared pieces, built once at start and handed to every adapter."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Engine

from bot.settings import Settings
from flows.loops import LoopTimings
from flows.reminders import parse_days, parse_hours
from rubrics.loader import KitRegistry
from storage.db import session_scope
from storage.repository import Store

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    kits: KitRegistry
    clock: Callable[[], datetime] = field(default=utc_now)

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
        """Run ``work`` in one transaction on a worker thread, off the event loop."""
        return await asyncio.to_thread(self.run, work)

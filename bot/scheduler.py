"""Fire due briefings and reminders, and retry due deliveries, on every replica.

Timers live in the database (the ``timer`` table), not in APScheduler's job store:
APScheduler 3 job stores must never be shared between schedulers, so each replica runs
its own in-memory APScheduler with one interval job that *claims* due timer rows
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the write lock on SQLite). A claimed timer
is fired, its messages reserved in the delivery ledger, and the timer marked done in
one transaction; then the messages are sent. A replica that dies mid-way loses its
claim when the lease runs out, and the ledger's idempotency keys stop a re-fire from
sending twice. A timer missed while every process was down is simply due, so it fires
once, late.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import partial

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import Deliverer, Reserved, reserve
from bot.metrics import DELIVERIES_FAILED, DELIVERIES_PENDING, REMINDERS_DUE
from bot.services import Services
from flows.timers import fire_timer
from storage.models import Timer
from storage.repository import Store, require_id

logger = logging.getLogger(__name__)

JOB_ID = "panelbot-due-work"


class LostClaim(Exception):
    """Another worker took this timer over (our lease expired); roll back, send nothing."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class DueWorkRunner:
    """Claims and fires due timers, then retries due deliveries; one per process."""

    def __init__(
        self,
        services: Services,
        deliverer: Deliverer,
        *,
        names: Callable[[Store, str], Callable[[str], str]],
        worker_id: str | None = None,
    ) -> None:
        self.services = services
        self.deliverer = deliverer
        self.names = names
        self.worker_id = worker_id or worker_name()
        self.scheduler: AsyncIOScheduler | None = None

    def _fire(self, store: Store, *, timer: Timer, now: datetime) -> list[Reserved]:
        ws = timer.workspace_id
        outbound = fire_timer(store, timer, self.services.kits, self.names(store, ws), now)
        reserved = reserve(store, ws, self.deliverer.sender.platform, outbound, now)
        if not store.complete_timer(ws, require_id(timer), worker_id=self.worker_id, now=now):
            raise LostClaim(str(timer.id))
        return reserved

    async def tick(self) -> int:
        """One pass: fire every due timer, then retry due deliveries. Returns timers fired."""
        now = self.services.clock()
        claimed = await self.services.db(
            lambda s: s.claim_due_timers(now, worker_id=self.worker_id, limit=200)
        )
        fired = 0
        for timer in claimed:
            try:
                reserved = await self.services.db(partial(self._fire, timer=timer, now=now))
            except LostClaim:
                logger.info("timers.claim_lost", extra={"timer_id": timer.id})
                continue
            except Exception:
                logger.exception("timers.fire_failed", extra={"timer_id": timer.id})
                continue
            fired += 1
            await self.deliverer.send_reserved(timer.workspace_id, reserved)
        await self.deliverer.retry_due()
        await self._gauges()
        return fired

    async def _gauges(self) -> None:
        now = self.services.clock()

        def read(store: Store) -> tuple[int, int, int]:
            return (
                store.count_due_timers(now),
                len(store.pending_deliveries(None, now)),
                len(store.failed_deliveries(None)),
            )

        due, pending, failed = await self.services.db(read)
        REMINDERS_DUE.set(due)
        DELIVERIES_PENDING.set(pending)
        DELIVERIES_FAILED.set(failed)

    async def _safe_tick(self) -> None:
        try:
            await self.tick()
        except Exception:
            logger.exception("timers.tick_failed")

    def start(self, interval_seconds: float) -> None:
        """Run :meth:`tick` every ``interval_seconds`` on the running event loop."""
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.scheduler.add_job(
            self._safe_tick, "interval", seconds=interval_seconds, id=JOB_ID,
            max_instances=1, coalesce=True, next_run_time=datetime.now(self.scheduler.timezone),
        )
        self.scheduler.start()
        logger.info("timers.started", extra={"worker_id": self.worker_id})

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)


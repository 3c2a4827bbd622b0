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

One runner serves every platform of the process. A timer's messages go to the platform
of its requisition: they are reserved in the ledger under that platform and sent by
that platform's deliverer. If this process does not serve that platform, the rows stay
pending in the ledger for a replica that does (its retry loop claims only its own
platform's rows), so nothing is sent twice or by the wrong sender.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery import SEND_LEASE, Deliverer, Reserved, reserve
from bot.metrics import DELIVERIES_FAILED, DELIVERIES_PENDING, REMINDERS_DUE
from bot.services import Services
from flows.timers import fire_timer
from storage.enums import Platform
from storage.errors import NotFound
from storage.models import Timer
from storage.repository import Store, require_id

logger = logging.getLogger(__name__)

JOB_ID = "panelbot-due-work"


class LostClaim(Exception):
    """Another worker took this timer over (our lease expired); roll back, send nothing."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True, slots=True)
class Fired:
    """What one fired timer left to send, and on which platform."""

    platform: Platform
    reserved: list[Reserved]


def timer_platform(store: Store, timer: Timer) -> Platform:
    """The platform of the requisition the timer's interview belongs to."""
    ws = timer.workspace_id
    try:
        interview = store.get_interview(ws, timer.interview_id)
        panel = store.get_panel(ws, interview.panel_id)
        return store.get_requisition(ws, panel.requisition_id).platform
    except NotFound:
        return Platform.SLACK  # nothing to send anyway: fire_timer returns no messages


class DueWorkRunner:
    """Claims and fires due timers, then retries due deliveries; one per process.

    ``deliverers`` are the process's platforms, one deliverer each (Slack, Teams).
    """

    def __init__(
        self,
        services: Services,
        *deliverers: Deliverer,
        worker_id: str | None = None,
        lease: timedelta = SEND_LEASE,
    ) -> None:
        if not deliverers:
            raise ValueError("a due-work runner needs at least one platform's deliverer")
        self.services = services
        self.deliverers = {d.sender.platform: d for d in deliverers}
        self.worker_id = worker_id or worker_name()
        self.lease = lease
        self.scheduler: AsyncIOScheduler | None = None

    @property
    def deliverer(self) -> Deliverer:
        """The first platform's deliverer (for callers that serve a single platform)."""
        return next(iter(self.deliverers.values()))

    def _fire(self, store: Store, *, timer: Timer, now: datetime) -> Fired:
        ws = timer.workspace_id
        platform = timer_platform(store, timer)

        def name_of(user_id: str) -> str:
            return store.display_name(ws, platform, user_id)

        outbound = fire_timer(store, timer, self.services.kits, name_of, now)
        reserved = reserve(store, ws, platform, outbound, now, lease=self.lease)
        if not store.complete_timer(ws, require_id(timer), worker_id=self.worker_id, now=now):
            raise LostClaim(str(timer.id))
        return Fired(platform, reserved)

    async def tick(self) -> int:
        """One pass: fire every due timer, then retry due deliveries. Returns timers fired."""
        now = self.services.clock()
        claimed = await self.services.db_background(
            lambda s: s.claim_due_timers(
                now, worker_id=self.worker_id, limit=200, lease=self.lease
            )
        )
        fired = 0
        for timer in claimed:
            try:
                result = await self.services.db_background(partial(self._fire, timer=timer, now=now))
            except LostClaim:
                logger.info("timers.claim_lost", extra={"timer_id": timer.id})
                continue
            except Exception:
                logger.exception("timers.fire_failed", extra={"timer_id": timer.id})
                continue
            fired += 1
            deliverer = self.deliverers.get(result.platform)
            if deliverer is None:
                # Reserved under its platform; a replica serving it sends it on retry.
                logger.info("timers.platform_not_served",
                            extra={"timer_id": timer.id, "platform": result.platform.value})
                continue
            await deliverer.send_reserved(timer.workspace_id, result.reserved)
        for deliverer in self.deliverers.values():
            await deliverer.retry_due()
        await self._gauges()
        return fired

    async def _gauges(self) -> None:
        now = self.services.clock()

        def read(store: Store) -> tuple[int, int, int]:
            return (
                store.count_due_timers(now),
                len(store.delivery_backlog(None)),
                len(store.failed_deliveries(None)),
            )

        due, pending, failed = await self.services.db_background(read)
        REMINDERS_DUE.set(due)
        DELIVERIES_PENDING.set(pending)
        DELIVERIES_FAILED.set(failed)

    async def _safe_tick(self) -> None:
        try:
            await self.tick()
        except asyncio.CancelledError:
            # Shutdown interrupted a pass; claims and leases make the next start resume it.
            logger.info("timers.tick_interrupted", extra={"worker_id": self.worker_id})
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


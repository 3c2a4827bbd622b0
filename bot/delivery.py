"""Send outbound messages through the delivery ledger: once each, and none lost.

Every message is first reserved in the ledger under its idempotency key (in the same
transaction as the change that caused it, where the caller allows), then sent. A
repeated key sends nothing. A transient failure (429 after the client's own retries,
5xx, timeouts) leaves the row pending with a later ``next_attempt_at``; the retry loop
claims due rows with ``FOR UPDATE SKIP LOCKED`` so replicas never send the same row.
A permanent failure (channel gone, app revoked) is marked failed, logged and counted,
and shown by ``panelbot status``.

A recipient the platform cannot reach *yet* (a Teams user who has not installed the
app) is a third case, :class:`RecipientUnreachable`: the row is retried for a day, not
an hour, because a person has to act first; and the first time, the deliverer asks the
platform's ``on_unreachable`` hook whom to tell (the recruiters) and sends that notice
through the same ledger, so it goes out once however often the retry fails.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine

from bot.metrics import DELIVERIES
from flows.codec import outbound_from_payload, outbound_payload
from flows.messages import Message
from flows.outbound import Outbound, Recipient
from storage.db import session_scope
from storage.enums import DeliveryStatus, Platform
from storage.models import Delivery
from storage.repository import Store, require_id

logger = logging.getLogger(__name__)

SEND_LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
# Someone has to install the app first: try every half hour for a day, then give up
# visibly (``panelbot status``) rather than keep a briefing pending for ever.
UNREACHABLE_RETRY = timedelta(minutes=30)
MAX_UNREACHABLE_ATTEMPTS = 48


class TransientSendError(Exception):
    """Worth retrying later: rate limits, server errors, timeouts.

    ``retry_after`` is the platform's own hint (HTTP ``Retry-After``); the ledger never
    retries sooner than that.
    """

    def __init__(self, message: str, *, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RecipientUnreachable(TransientSendError):
    """The platform cannot deliver to this recipient until a person acts (e.g. a Teams
    user who has not installed panelbot). Retried slowly; the recruiters are told once."""


class PermanentSendError(Exception):
    """Retrying will not help: the recipient is gone or the app lacks access."""


class PlatformSender(Protocol):
    platform: Platform

    async def send(self, workspace_id: str, recipient: Recipient, message: Message) -> str:
        """Post ``message``; returns a platform message reference (e.g. ``C123:1700.1``)."""
        ...

    async def update(self, workspace_id: str, reference: str, message: Message) -> None:
        """Replace a posted message in place."""
        ...


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at 30 min."""
    return timedelta(seconds=min(30 * 2 ** max(0, attempt - 1), 1800))


@dataclass(frozen=True, slots=True)
class Reserved:
    delivery_id: int
    outbound: Outbound


DbRunner = Callable[[Callable[[Store], Any]], Awaitable[Any]]
TrackHook = Callable[[Store, str, Outbound, str], None]
# Who must hear that ``outbound`` cannot reach its recipient: notices to reserve (their
# keys make them once-only). Runs inside the transaction that records the failure.
UnreachableHook = Callable[[Store, str, Outbound, str], Sequence[Outbound]]


def reserve(
    store: Store,
    ws: str,
    platform: Platform,
    outbound: Sequence[Outbound],
    now: datetime,
    *,
    lease: timedelta = SEND_LEASE,
) -> list[Reserved]:
    """Reserve new outbound messages for sending now; repeats are dropped here."""
    reserved: list[Reserved] = []
    for item in outbound:
        row, created = store.reserve_delivery(
            ws, item.key, platform, item.message.kind.value, item.recipient.encode(),
            outbound_payload(item),
        )
        if not created:
            logger.info("delivery.duplicate_skipped", extra={"key": item.key})
            continue
        # Hold the row for this worker so the retry loop does not send it concurrently.
        row.next_attempt_at = now + lease
        store.session.add(row)
        reserved.append(Reserved(require_id(row), item))
    return reserved


class Deliverer:
    """Sends reserved messages and retries due ones, for one platform."""

    def __init__(
        self,
        engine: Engine,
        sender: PlatformSender,
        *,
        clock: Callable[[], datetime],
        on_sent: TrackHook | None = None,
        on_unreachable: UnreachableHook | None = None,
        lease: timedelta = SEND_LEASE,
        runner: DbRunner | None = None,
    ) -> None:
        self.engine = engine
        self.lease = lease
        self._runner = runner
        self.sender = sender
        self.clock = clock
        self.on_sent = on_sent
        self.on_unreachable = on_unreachable

    async def _run(self, work: Callable[[Store], Any]) -> Any:
        """Bookkeeping nobody waits on: through the process's background queue if given."""
        if self._runner is not None:
            return await self._runner(work)
        return await asyncio.to_thread(self._db, work)

    def _db(self, work: Callable[[Store], object]) -> object:
        with session_scope(self.engine) as session:
            return work(Store(session))

    async def deliver(self, ws: str, outbound: Sequence[Outbound]) -> None:
        """Reserve and send; used when the cause was not stored in the same transaction."""
        now = self.clock()
        reserved = await self._run(lambda store: reserve(store, ws, self.sender.platform, outbound, now, lease=self.lease),
        )
        assert isinstance(reserved, list)
        await self.send_reserved(ws, reserved)

    async def send_reserved(self, ws: str, reserved: Sequence[Reserved]) -> None:
        for item in reserved:
            await self._attempt(ws, item.delivery_id, item.outbound, attempts=0)

    async def _attempt(self, ws: str, delivery_id: int, outbound: Outbound, attempts: int) -> None:
        try:
            reference = await self.sender.send(ws, outbound.recipient, outbound.message)
        except PermanentSendError as exc:
            DELIVERIES.labels(self.sender.platform.value, "failed").inc()
            logger.warning(
                "delivery.failed",
                extra={"delivery_id": delivery_id, "kind": outbound.message.kind.value,
                       "error": str(exc)},
            )
            error = str(exc)
            await self._run(lambda s: s.mark_failed(ws, delivery_id, error, retry_at=None)
            )
            return
        except TransientSendError as exc:
            await self._retry_later(ws, delivery_id, outbound, attempts, exc)
            return
        DELIVERIES.labels(self.sender.platform.value, "sent").inc()

        def done(store: Store) -> None:
            store.mark_sent(ws, delivery_id, reference)
            if self.on_sent is not None and outbound.track is not None:
                self.on_sent(store, ws, outbound, reference)

        await self._run(done)

    def _next_try(self, attempts: int, exc: TransientSendError) -> datetime | None:
        """When to try again after ``attempts`` failures, or None to give up."""
        unreachable = isinstance(exc, RecipientUnreachable)
        if attempts >= (MAX_UNREACHABLE_ATTEMPTS if unreachable else MAX_ATTEMPTS):
            return None
        wait = UNREACHABLE_RETRY if unreachable else backoff(attempts)
        if exc.retry_after is not None:
            wait = max(wait, exc.retry_after)
        return self.clock() + wait

    async def _retry_later(
        self, ws: str, delivery_id: int, outbound: Outbound, attempts: int,
        exc: TransientSendError,
    ) -> None:
        retry_at = self._next_try(attempts + 1, exc)
        give_up = retry_at is None
        DELIVERIES.labels(self.sender.platform.value, "failed" if give_up else "retry").inc()
        logger.warning(
            "delivery.retry_later" if not give_up else "delivery.gave_up",
            extra={"delivery_id": delivery_id, "error": str(exc), "attempt": attempts + 1,
                   "unreachable": isinstance(exc, RecipientUnreachable)},
        )
        error = str(exc)
        hook = self.on_unreachable if isinstance(exc, RecipientUnreachable) else None
        now = self.clock()

        def record(store: Store) -> list[Reserved]:
            store.mark_failed(ws, delivery_id, error, retry_at=retry_at)
            if hook is None:
                return []
            try:  # a failing notice must not undo recording the failure itself
                with store.session.begin_nested():
                    notices = hook(store, ws, outbound, error)
                    return reserve(store, ws, self.sender.platform, notices, now, lease=self.lease)
            except Exception:
                logger.exception("delivery.unreachable_hook_failed",
                                 extra={"delivery_id": delivery_id})
                return []

        notices = await self._run(record)
        assert isinstance(notices, list)
        for notice in notices:
            logger.info("delivery.unreachable_notice",
                        extra={"delivery_id": delivery_id, "notice_key": notice.outbound.key})
        await self.send_reserved(ws, notices)

    async def retry_due(self, limit: int = 50) -> int:
        """Send this platform's ledger rows that are due again; returns how many."""
        now = self.clock()
        platform = self.sender.platform

        def claim(store: Store) -> list[Delivery]:
            return store.claim_due_deliveries(
                now, limit=limit, lease=self.lease, platform=platform
            )

        rows = await self._run(claim)
        assert isinstance(rows, list)
        for row in rows:
            if row.status != DeliveryStatus.PENDING:
                continue
            outbound = outbound_from_payload(row.idempotency_key, row.payload)
            await self._attempt(row.workspace_id, require_id(row), outbound, row.attempts)
        return len(rows)

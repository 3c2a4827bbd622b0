"""The delivery ledger: every outbound message is reserved here before it is sent.

How a sender uses it::

    delivery, created = store.reserve_delivery(ws, key, Platform.SLACK, "briefing", ch, payload)
    # commit, then send outside the transaction; afterwards, in a new transaction:
    store.mark_sent(ws, delivery_id, platform_message_id)          # or
    store.mark_failed(ws, delivery_id, "429 rate limited", retry_at=now + backoff)

* Reserving the same ``idempotency_key`` twice returns the first row (``created=False``):
  a retried Slack event or a re-fired reminder sends nothing twice. The UNIQUE key
  decides races; the losing insert is rolled back to a SAVEPOINT so the caller's
  transaction carries on.
* A failure with ``retry_at`` keeps the row ``pending`` with ``last_error`` and a
  ``next_attempt_at``; a failure without one is permanent (``failed``). Nothing is
  dropped silently, and both kinds show in ``panelbot status``.
* With several replicas, :meth:`claim_due_deliveries` hands each due row to one
  worker (``FOR UPDATE SKIP LOCKED`` plus a lease), so two replicas do not send the
  same message.

The worker-facing reads take ``ws=None`` to mean "all workspaces": the sender is the
one component that legitimately works across tenants. Writes always name the workspace.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, or_, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.enums import DeliveryStatus, Platform
from storage.errors import Conflict, NotFound
from storage.models import Delivery
from storage.repos._base import RepoBase

__all__ = ["DEFAULT_LEASE", "MAX_ERROR_LENGTH", "DeliveriesRepo"]

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000
DEFAULT_LEASE = timedelta(minutes=2)


class DeliveriesRepo(RepoBase):
    """The outbound message ledger."""

    def reserve_delivery(
        self,
        ws: str,
        key: str,
        platform: Platform,
        kind: str,
        recipient: str,
        payload: dict[str, Any],
    ) -> tuple[Delivery, bool]:
        """Reserve the message under ``key``; returns ``(delivery, created)``."""
        existing = self._by_key(key)
        if existing is None:
            now = self._now()
            delivery = Delivery(
                workspace_id=ws,
                idempotency_key=key,
                platform=platform,
                kind=kind,
                recipient=recipient,
                payload=dict(payload),
                status=DeliveryStatus.PENDING,
                attempts=0,
                created_at=now,
                next_attempt_at=now,
            )
            try:
                with self.session.begin_nested():
                    self.session.add(delivery)
            except IntegrityError:
                existing = self._by_key(key)
                if existing is None:
                    raise
            else:
                logger.info(
                    "storage.delivery.reserved",
                    extra={"workspace_id": ws, "kind": kind, "delivery_id": delivery.id},
                )
                return delivery, True
        if existing.workspace_id != ws:
            # Keys must be namespaced by the caller; never hand out another tenant's row.
            raise Conflict(f"idempotency key {key!r} is already used by another workspace")
        logger.debug(
            "storage.delivery.duplicate",
            extra={"workspace_id": ws, "kind": kind, "delivery_id": existing.id},
        )
        return existing, False

    def get_delivery(self, ws: str, delivery_id: int) -> Delivery:
        """The delivery, or :class:`NotFound`."""
        row = self.session.exec(
            select(Delivery).where(Delivery.workspace_id == ws, Delivery.id == delivery_id)
        ).first()
        if row is None:
            raise NotFound("delivery", delivery_id)
        return row

    def mark_sent(
        self,
        ws: str,
        delivery_id: int,
        platform_message_id: str | None,
        now: datetime | None = None,
    ) -> Delivery:
        """Record a successful send (idempotent: a sent row is left as it is)."""
        delivery = self._locked(ws, delivery_id)
        if delivery.status == DeliveryStatus.SENT:
            return delivery
        delivery.status = DeliveryStatus.SENT
        delivery.platform_message_id = platform_message_id
        delivery.attempts += 1
        delivery.sent_at = self._now(now)
        delivery.next_attempt_at = None
        self.session.add(delivery)
        self.session.flush()
        logger.info(
            "storage.delivery.sent",
            extra={"workspace_id": ws, "delivery_id": delivery_id, "attempts": delivery.attempts},
        )
        return delivery

    def mark_failed(
        self,
        ws: str,
        delivery_id: int,
        error: str,
        *,
        retry_at: datetime | None,
    ) -> Delivery:
        """Record a failed attempt: retry at ``retry_at``, or give up if it is ``None``.

        A row already sent stays sent (a late error report must not undo a success).
        """
        delivery = self._locked(ws, delivery_id)
        if delivery.status == DeliveryStatus.SENT:
            return delivery
        delivery.attempts += 1
        delivery.last_error = error[:MAX_ERROR_LENGTH]
        if retry_at is None:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = self._now(retry_at)
        self.session.add(delivery)
        self.session.flush()
        logger.warning(
            "storage.delivery.failed",
            extra={
                "workspace_id": ws,
                "delivery_id": delivery_id,
                "attempts": delivery.attempts,
                "permanent": retry_at is None,
            },
        )
        return delivery

    def pending_deliveries(self, ws: str | None, now: datetime) -> list[Delivery]:
        """Pending rows due at ``now`` (all workspaces if ``ws`` is ``None``), oldest due first."""
        stmt = self._due(ws, now)
        return list(self.session.exec(stmt).all())

    def delivery_backlog(self, ws: str | None = None) -> list[Delivery]:
        """Every pending row, due now or waiting out a retry backoff: the operator's view.

        :meth:`pending_deliveries` answers "what to send now"; this answers "what has
        not reached anyone yet", which is what an outage makes grow.
        """
        stmt = select(Delivery).where(Delivery.status == DeliveryStatus.PENDING)
        if ws is not None:
            stmt = stmt.where(Delivery.workspace_id == ws)
        stmt = stmt.order_by(col(Delivery.next_attempt_at), col(Delivery.id))
        return list(self.session.exec(stmt).all())

    def failed_deliveries(self, ws: str | None = None) -> list[Delivery]:
        """Rows given up on, newest first, for ``panelbot status`` and alerts."""
        stmt = select(Delivery).where(Delivery.status == DeliveryStatus.FAILED)
        if ws is not None:
            stmt = stmt.where(Delivery.workspace_id == ws)
        stmt = stmt.order_by(col(Delivery.id).desc())
        return list(self.session.exec(stmt).all())

    def claim_due_deliveries(
        self,
        now: datetime,
        *,
        ws: str | None = None,
        limit: int = 50,
        lease: timedelta = DEFAULT_LEASE,
        platform: Platform | None = None,
    ) -> list[Delivery]:
        """Take up to ``limit`` due rows for this worker and push them ``lease`` ahead.

        Commit right after claiming, then send. If the worker dies mid-send, the rows
        become due again when the lease runs out (at-least-once; the platform message
        id and the idempotency key keep duplicates visible).

        ``platform`` restricts the claim to that platform's rows: each platform's sender
        claims only what it can send, so a Slack sender never holds a Teams row under
        its lease (and the other way round) when both run in one process.
        """
        now = self._now(now)
        stmt = self._due(ws, now)
        if platform is not None:
            stmt = stmt.where(Delivery.platform == platform)
        stmt = (
            stmt.limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        claimed = list(self.session.exec(stmt).all())
        for delivery in claimed:
            delivery.next_attempt_at = now + lease
            self.session.add(delivery)
        self.session.flush()
        return claimed

    def _due(self, ws: str | None, now: datetime) -> SelectOfScalar[Delivery]:
        stmt = select(Delivery).where(
            Delivery.status == DeliveryStatus.PENDING,
            or_(col(Delivery.next_attempt_at).is_(None), col(Delivery.next_attempt_at) <= now),
        )
        if ws is not None:
            stmt = stmt.where(Delivery.workspace_id == ws)
        return stmt.order_by(col(Delivery.next_attempt_at), col(Delivery.id))

    def _by_key(self, key: str) -> Delivery | None:
        return self.session.exec(select(Delivery).where(Delivery.idempotency_key == key)).first()

    def _locked(self, ws: str, delivery_id: int) -> Delivery:
        row = self.session.exec(
            select(Delivery)
            .where(Delivery.workspace_id == ws, Delivery.id == delivery_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if row is None:
            raise NotFound("delivery", delivery_id)
        return row

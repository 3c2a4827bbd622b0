"""The audit trail: append and read; there is deliberately no update or delete.

Repository methods that change something a person would ask about later ("who
approved this?", "when was this scorecard submitted?") append their event in the
same transaction as the change, so the trail and the data cannot disagree.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from storage.models import AuditEvent
from storage.repos._base import RepoBase

__all__ = ["AuditRepo"]

logger = logging.getLogger(__name__)

_ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class AuditRepo(RepoBase):
    """Append-only audit events of a workspace."""

    def append_audit(
        self,
        ws: str,
        *,
        actor_id: str,
        action: str,
        subject_type: str,
        subject_id: str | int,
        details: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> AuditEvent:
        """Record that ``actor_id`` did ``action`` (dotted, e.g. ``scorecard.submitted``)."""
        if not _ACTION.match(action):
            raise ValueError(f"audit action must be dotted lower-case words, got {action!r}")
        event = AuditEvent(
            workspace_id=ws,
            at=self._now(at),
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            details=dict(details or {}),
        )
        self.session.add(event)
        self.session.flush()
        logger.debug(
            "storage.audit.appended",
            extra={"workspace_id": ws, "action": action, "subject_id": str(subject_id)},
        )
        return event

    def audit_events(
        self,
        ws: str,
        *,
        subject_type: str | None = None,
        subject_id: str | int | None = None,
        limit: int = 500,
    ) -> list[AuditEvent]:
        """Events of the workspace, oldest first, optionally for one subject."""
        stmt = select(AuditEvent).where(AuditEvent.workspace_id == ws)
        if subject_type is not None:
            stmt = stmt.where(AuditEvent.subject_type == subject_type)
        if subject_id is not None:
            stmt = stmt.where(AuditEvent.subject_id == str(subject_id))
        stmt = stmt.order_by(col(AuditEvent.at), col(AuditEvent.id)).limit(limit)
        return list(self.session.exec(stmt).all())

"""Hiring decisions: one per panel, proposed by the debrief, answered once.

"First decision wins": two hiring managers clicking Approve and Reject at the same
moment, or one clicking twice, leave exactly one answer. The decision row is read
``FOR UPDATE`` (PostgreSQL) or under SQLite's write lock, so the second answer sees
the first and changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.enums import DecisionOutcome, DecisionStatus, MemberRole, PanelStatus, Recommendation
from storage.errors import InvalidState, NotAllowed, NotFound
from storage.models import Decision
from storage.repos._base import require_id
from storage.repos.scorecards import ScorecardsRepo

__all__ = ["DecisionsRepo"]

logger = logging.getLogger(__name__)


class DecisionsRepo(ScorecardsRepo):
    """Decisions of a workspace."""

    def get_decision(self, ws: str, panel_id: int) -> Decision | None:
        """The panel's decision, if a debrief has proposed one."""
        return self._decision_row(ws, panel_id)

    def ensure_decision(
        self,
        ws: str,
        panel_id: int,
        proposed: Recommendation,
        *,
        channel_id: str | None = None,
        message_ts: str | None = None,
    ) -> Decision:
        """The panel's decision, created ``pending`` if missing.

        While pending, a newer debrief updates ``proposed`` (and where it was posted);
        once answered, the decision is returned unchanged.
        """
        panel = self.get_panel(ws, panel_id)
        decision = self._decision_row(ws, panel_id, lock=True)
        if decision is None:
            candidate = Decision(
                workspace_id=ws,
                panel_id=require_id(panel),
                proposed=proposed,
                status=DecisionStatus.PENDING,
                channel_id=channel_id,
                message_ts=message_ts,
                created_at=self._now(),
            )
            try:
                with self.session.begin_nested():
                    self.session.add(candidate)
                logger.info(
                    "storage.decision.proposed",
                    extra={"workspace_id": ws, "panel_id": panel_id, "proposed": str(proposed)},
                )
                return candidate
            except IntegrityError:
                decision = self._decision_row(ws, panel_id, lock=True)
                if decision is None:
                    raise
        if decision.status == DecisionStatus.PENDING:
            decision.proposed = proposed
            if channel_id is not None:
                decision.channel_id = channel_id
            if message_ts is not None:
                decision.message_ts = message_ts
            self.session.add(decision)
            self.session.flush()
        return decision

    def set_decision_message(
        self, ws: str, panel_id: int, channel_id: str, message_ts: str
    ) -> Decision:
        """Remember where the debrief was posted, to update that message later."""
        decision = self._decision_row(ws, panel_id, lock=True)
        if decision is None:
            raise NotFound("decision for panel", panel_id)
        decision.channel_id = channel_id
        decision.message_ts = message_ts
        self.session.add(decision)
        self.session.flush()
        return decision

    def record_decision(
        self,
        ws: str,
        panel_id: int,
        outcome: DecisionOutcome,
        approver_id: str,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> tuple[Decision, bool]:
        """Answer the panel's pending decision; returns ``(decision, changed)``.

        Only a hiring manager of the requisition may answer (:class:`NotAllowed`).
        If the decision was already answered, returns it with ``changed=False`` so the
        caller can tell the person who answered first and what they chose.
        """
        panel = self.get_panel(ws, panel_id)
        if not self.is_member(ws, panel.requisition_id, approver_id, MemberRole.HIRING_MANAGER):
            raise NotAllowed(
                "Only a hiring manager of this requisition can approve or reject the decision."
            )
        decision = self._decision_row(ws, panel_id, lock=True)
        if decision is None:
            raise InvalidState(
                "There is no debrief for this candidate yet, so there is nothing to decide. "
                "Run /debrief first."
            )
        if decision.status != DecisionStatus.PENDING:
            logger.info(
                "storage.decision.repeated",
                extra={"workspace_id": ws, "panel_id": panel_id, "status": str(decision.status)},
            )
            return decision, False
        at = self._now(now)
        decision.status = DecisionStatus.for_outcome(outcome)
        decision.outcome = outcome
        decision.approver_id = approver_id
        decision.reason = reason.strip() if reason and reason.strip() else None
        decision.decided_at = at
        panel.status = PanelStatus.DECIDED
        self.session.add_all([decision, panel])
        self.session.flush()
        self.append_audit(
            ws,
            actor_id=approver_id,
            action=f"decision.{decision.status.value}",
            subject_type="decision",
            subject_id=require_id(decision),
            details={"panel_id": panel_id, "outcome": outcome.value},
            at=at,
        )
        logger.info(
            "storage.decision.recorded",
            extra={"workspace_id": ws, "panel_id": panel_id, "outcome": outcome.value},
        )
        return decision, True

    def _decision_row(self, ws: str, panel_id: int, *, lock: bool = False) -> Decision | None:
        stmt = select(Decision).where(Decision.workspace_id == ws, Decision.panel_id == panel_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.exec(stmt).first()

"""Panels (a candidate's loop) and their interviews."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import col, select

from storage.enums import InterviewStatus
from storage.errors import InvalidState, NotFound
from storage.inputs import PanelCreate
from storage.models import Candidate, Interview, Panel
from storage.repos._base import require_id
from storage.repos.requisitions import RequisitionsRepo

__all__ = ["PanelsRepo"]

logger = logging.getLogger(__name__)


class PanelsRepo(RequisitionsRepo):
    """Panels and interviews of a workspace."""

    def create_panel(self, ws: str, data: PanelCreate) -> Panel:
        """Create the candidate (unless an existing one is given), the panel and its
        interviews together: either the whole loop exists afterwards or none of it."""
        requisition = self.get_requisition(ws, data.requisition_id)
        req_id = require_id(requisition)
        now = self._now()
        with self.session.begin_nested():
            if data.candidate_id is not None:
                candidate = self.get_candidate(ws, data.candidate_id)
                if candidate.requisition_id != req_id:
                    raise InvalidState(
                        f"{candidate.name} is a candidate for another requisition; "
                        "start a loop from that requisition instead."
                    )
            elif data.candidate_name is not None:
                candidate = Candidate(
                    workspace_id=ws,
                    requisition_id=req_id,
                    name=data.candidate_name,
                    email=data.candidate_email,
                    created_at=now,
                )
                self.session.add(candidate)
                self.session.flush()
            else:  # PanelCreate already refuses this; kept for callers bypassing validation
                raise InvalidState("Name the candidate, or pick one already on file.")
            panel = Panel(
                workspace_id=ws,
                candidate_id=require_id(candidate),
                requisition_id=req_id,
                created_by=data.created_by,
                created_at=now,
            )
            self.session.add(panel)
            self.session.flush()
            panel_id = require_id(panel)
            for plan in data.interviews:
                self.session.add(
                    Interview(
                        workspace_id=ws,
                        panel_id=panel_id,
                        stage_key=plan.stage_key,
                        interviewer_id=plan.interviewer_id,
                        starts_at=plan.starts_at,
                        ends_at=plan.ends_at,
                        interviewer_tz=plan.interviewer_tz,
                    )
                )
            self.append_audit(
                ws,
                actor_id=data.created_by,
                action="panel.created",
                subject_type="panel",
                subject_id=panel_id,
                details={"candidate_id": panel.candidate_id, "interviews": len(data.interviews)},
                at=now,
            )
        logger.info(
            "storage.panel.created",
            extra={"workspace_id": ws, "panel_id": panel_id, "interviews": len(data.interviews)},
        )
        return panel

    def get_panel(self, ws: str, panel_id: int) -> Panel:
        """The panel, or :class:`NotFound`."""
        row = self.session.exec(
            select(Panel).where(Panel.workspace_id == ws, Panel.id == panel_id)
        ).first()
        if row is None:
            raise NotFound("panel", panel_id)
        return row

    def panels_for_candidate(self, ws: str, candidate_id: int) -> list[Panel]:
        """A candidate's loops, oldest first (a follow-up loop comes after the first)."""
        stmt = (
            select(Panel)
            .where(Panel.workspace_id == ws, Panel.candidate_id == candidate_id)
            .order_by(col(Panel.id))
        )
        return list(self.session.exec(stmt).all())

    def panel_interviews(self, ws: str, panel_id: int) -> list[Interview]:
        """The interviews of a panel in time order (cancelled ones included)."""
        stmt = (
            select(Interview)
            .where(Interview.workspace_id == ws, Interview.panel_id == panel_id)
            .order_by(col(Interview.starts_at), col(Interview.id))
        )
        return list(self.session.exec(stmt).all())

    def get_interview(self, ws: str, interview_id: int) -> Interview:
        """The interview, or :class:`NotFound`."""
        row = self.session.exec(
            select(Interview).where(Interview.workspace_id == ws, Interview.id == interview_id)
        ).first()
        if row is None:
            raise NotFound("interview", interview_id)
        return row

    def interviews_for_user(
        self,
        ws: str,
        user_id: str,
        after: datetime | None = None,
        *,
        include_cancelled: bool = False,
    ) -> list[Interview]:
        """The user's interviews in time order; with ``after``, those starting at or after it."""
        stmt = select(Interview).where(
            Interview.workspace_id == ws, Interview.interviewer_id == user_id
        )
        if after is not None:
            stmt = stmt.where(col(Interview.starts_at) >= after)
        if not include_cancelled:
            stmt = stmt.where(Interview.status != InterviewStatus.CANCELLED)
        stmt = stmt.order_by(col(Interview.starts_at), col(Interview.id))
        return list(self.session.exec(stmt).all())

    def change_interview(
        self,
        ws: str,
        interview_id: int,
        *,
        actor_id: str,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        interviewer_id: str | None = None,
        interviewer_tz: str | None = None,
        cancel: bool = False,
    ) -> Interview:
        """Reschedule, reassign or cancel an interview that has not happened yet.

        A completed interview (its scorecard is in) cannot change: that would rewrite
        history the debrief relies on (:class:`InvalidState`). Every change is audited.
        """
        interview = self.session.exec(
            select(Interview)
            .where(Interview.workspace_id == ws, Interview.id == interview_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if interview is None:
            raise NotFound("interview", interview_id)
        if interview.status == InterviewStatus.COMPLETED:
            raise InvalidState("This interview already has its scorecard; it can no longer change.")
        if interview.status == InterviewStatus.CANCELLED and not cancel:
            raise InvalidState("This interview was cancelled; schedule a new loop instead.")
        before = {
            "starts_at": interview.starts_at.isoformat(),
            "interviewer_id": interview.interviewer_id,
            "status": interview.status.value,
        }
        if starts_at is not None:
            interview.starts_at = starts_at
        if ends_at is not None:
            interview.ends_at = ends_at
        if interviewer_id is not None:
            interview.interviewer_id = interviewer_id
        if interviewer_tz is not None:
            interview.interviewer_tz = interviewer_tz
        if cancel:
            interview.status = InterviewStatus.CANCELLED
        if interview.ends_at <= interview.starts_at:
            raise InvalidState("The interview must end after it starts.")
        self.session.add(interview)
        self.session.flush()
        action = "interview.cancelled" if cancel else "interview.changed"
        self.append_audit(
            ws,
            actor_id=actor_id,
            action=action,
            subject_type="interview",
            subject_id=interview_id,
            details={"before": before, "after": {
                "starts_at": interview.starts_at.isoformat(),
                "interviewer_id": interview.interviewer_id,
                "status": interview.status.value,
            }},
        )
        return interview

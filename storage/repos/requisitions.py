"""Requisitions, their members, and candidates.

Membership is what the authorization rules hang on: recruiters and hiring managers of
a requisition may run its debriefs; only its hiring managers may decide.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from sqlmodel import col, select

from storage.enums import MemberRole
from storage.errors import NotFound
from storage.inputs import CandidateCreate, RequisitionCreate
from storage.models import Candidate, Requisition, RequisitionMember
from storage.repos._base import require_id
from storage.repos.audit import AuditRepo

__all__ = ["RequisitionsRepo"]

logger = logging.getLogger(__name__)


class RequisitionsRepo(AuditRepo):
    """Requisitions, members and candidates of a workspace."""

    def create_requisition(
        self, ws: str, data: RequisitionCreate, *, actor_id: str = "system"
    ) -> Requisition:
        """Create a requisition with its hiring managers and recruiters, atomically."""
        with self.session.begin_nested():
            requisition = Requisition(
                workspace_id=ws,
                title=data.title,
                level=data.level,
                kit_id=data.kit_id,
                channel_id=data.channel_id,
                platform=data.platform,
                created_at=self._now(),
            )
            self.session.add(requisition)
            self.session.flush()
            req_id = require_id(requisition)
            for role, users in (
                (MemberRole.HIRING_MANAGER, data.hiring_managers),
                (MemberRole.RECRUITER, data.recruiters),
            ):
                for user_id in users:
                    self.session.add(
                        RequisitionMember(
                            workspace_id=ws, requisition_id=req_id, user_id=user_id, role=role
                        )
                    )
            self.append_audit(
                ws,
                actor_id=actor_id,
                action="requisition.created",
                subject_type="requisition",
                subject_id=req_id,
                details={"kit_id": data.kit_id},
            )
        logger.info(
            "storage.requisition.created", extra={"workspace_id": ws, "requisition_id": req_id}
        )
        return requisition

    def list_requisitions(self, ws: str) -> list[Requisition]:
        """All requisitions of the workspace, oldest first."""
        stmt = (
            select(Requisition).where(Requisition.workspace_id == ws).order_by(col(Requisition.id))
        )
        return list(self.session.exec(stmt).all())

    def get_requisition(self, ws: str, requisition_id: int) -> Requisition:
        """The requisition, or :class:`NotFound` (also when it belongs to another workspace)."""
        row = self.session.exec(
            select(Requisition).where(
                Requisition.workspace_id == ws, Requisition.id == requisition_id
            )
        ).first()
        if row is None:
            raise NotFound("requisition", requisition_id)
        return row

    def members(self, ws: str, requisition_id: int, role: MemberRole) -> list[str]:
        """User ids holding ``role`` on the requisition, in the order they were added."""
        stmt = (
            select(RequisitionMember.user_id)
            .where(
                RequisitionMember.workspace_id == ws,
                RequisitionMember.requisition_id == requisition_id,
                RequisitionMember.role == role,
            )
            .order_by(col(RequisitionMember.id))
        )
        return list(self.session.exec(stmt).all())

    def is_member(
        self, ws: str, requisition_id: int, user_id: str, role: MemberRole | None = None
    ) -> bool:
        """Whether ``user_id`` holds ``role`` (any role if ``None``) on the requisition."""
        stmt = select(RequisitionMember.id).where(
            RequisitionMember.workspace_id == ws,
            RequisitionMember.requisition_id == requisition_id,
            RequisitionMember.user_id == user_id,
        )
        if role is not None:
            stmt = stmt.where(RequisitionMember.role == role)
        return self.session.exec(stmt.limit(1)).first() is not None

    def requisitions_for_user(
        self, ws: str, user_id: str, role: MemberRole | None = None
    ) -> list[Requisition]:
        """Requisitions where the user is a member (with ``role``, if given)."""
        member_of = select(RequisitionMember.requisition_id).where(
            RequisitionMember.workspace_id == ws, RequisitionMember.user_id == user_id
        )
        if role is not None:
            member_of = member_of.where(RequisitionMember.role == role)
        stmt = (
            select(Requisition)
            .where(Requisition.workspace_id == ws, col(Requisition.id).in_(member_of))
            .order_by(col(Requisition.id))
        )
        return list(self.session.exec(stmt).all())

    def create_candidate(self, ws: str, data: CandidateCreate) -> Candidate:
        """Add a candidate to a requisition of this workspace."""
        self.get_requisition(ws, data.requisition_id)
        candidate = Candidate(
            workspace_id=ws,
            requisition_id=data.requisition_id,
            name=data.name,
            email=data.email,
            created_at=self._now(),
        )
        self.session.add(candidate)
        self.session.flush()
        return candidate

    def get_candidate(self, ws: str, candidate_id: int) -> Candidate:
        """The candidate, or :class:`NotFound`."""
        row = self.session.exec(
            select(Candidate).where(Candidate.workspace_id == ws, Candidate.id == candidate_id)
        ).first()
        if row is None:
            raise NotFound("candidate", candidate_id)
        return row

    def find_candidates(
        self, ws: str, requisition_ids: Collection[int] | None = None
    ) -> list[Candidate]:
        """Candidates of the workspace (optionally of some requisitions), by name.

        Name matching ("did you mean …?") is left to the caller, which knows how the
        person typed the name; this returns the pool to match against.
        """
        stmt = select(Candidate).where(Candidate.workspace_id == ws)
        if requisition_ids is not None:
            stmt = stmt.where(col(Candidate.requisition_id).in_(list(requisition_ids)))
        stmt = stmt.order_by(col(Candidate.name), col(Candidate.id))
        return list(self.session.exec(stmt).all())

"""Interviewer profiles: the scheduling facts a person (or a pool file) gives panelbot.

Keyed by ``(workspace, platform, user id)`` like the directory cache, and written the
same way: an upsert where the UNIQUE key decides between two concurrent writers (the
loser updates the winner's row), so importing a pool twice or saving a modal twice
leaves one row. Input is a validated :class:`~storage.profile_input.ProfileInput`.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import col, select

from storage.enums import Platform
from storage.models import InterviewerProfile
from storage.profile_input import ProfileInput
from storage.repos.people import PeopleRepo

__all__ = ["ProfilesRepo"]

logger = logging.getLogger(__name__)


class ProfilesRepo(PeopleRepo):
    """Interviewer profiles of a workspace (built on the directory's upsert)."""

    def upsert_profile(
        self, ws: str, platform: Platform, user_id: str, data: ProfileInput
    ) -> tuple[InterviewerProfile, bool]:
        """Create or replace the profile; returns it and whether it was created now."""
        created = self.get_profile(ws, platform, user_id) is None
        values: dict[str, Any] = {
            **data.model_dump(exclude={"blocks"}),
            # Fresh containers, so the JSON columns always see a change.
            "qualified": {kit: list(stages) for kit, stages in data.qualified.items()},
            "blocks": [
                {"start": b.start.isoformat(), "end": b.end.isoformat()} for b in data.blocks
            ],
            "updated_at": self._now(),
        }
        profile = self._directory_upsert(InterviewerProfile, ws, platform, user_id, values)
        logger.info(
            "storage.profile.upserted",
            extra={"workspace_id": ws, "platform": platform.value, "user_id": user_id},
        )
        return profile, created

    def get_profile(self, ws: str, platform: Platform, user_id: str) -> InterviewerProfile | None:
        """The person's profile, or ``None`` if they never set one up."""
        return self._directory_row(InterviewerProfile, ws, platform, user_id)

    def profiles(self, ws: str, platform: Platform) -> list[InterviewerProfile]:
        """Every profile of the workspace on ``platform``, by user id (a stable order)."""
        stmt = (
            select(InterviewerProfile)
            .where(InterviewerProfile.workspace_id == ws, InterviewerProfile.platform == platform)
            .order_by(col(InterviewerProfile.user_id))
        )
        return list(self.session.exec(stmt).all())

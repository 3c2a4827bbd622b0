"""The people directory cache and Teams conversation references.

Both are keyed by ``(workspace, platform, user id)`` and both are *upserts*: the bot
learns about a person whenever the platform tells it something (an event, a
``users.info`` answer, a Teams install), and the newest answer wins.

* :class:`~storage.models.Person` lets messages say "Alice Smith" at "10:00 Berlin
  time" without asking the directory on every render. A stale or missing entry is
  never an error: :meth:`PeopleRepo.display_name` falls back to the raw user id, and
  an unknown time zone is stored as UTC rather than breaking later renders.
* :class:`~storage.models.ConversationRef` is what Teams needs to send a proactive
  message; without it a briefing to that user cannot be delivered at all.

Concurrent upserts of the same person (two replicas handling two events about the
same user) follow the delivery ledger's rule: the UNIQUE key decides, the losing
insert rolls back to a SAVEPOINT and updates the winner's row instead.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select

from storage.enums import Platform
from storage.models import ConversationRef, InterviewerProfile, Person
from storage.repos._base import RepoBase

__all__ = ["DEFAULT_TZ", "PeopleRepo"]

logger = logging.getLogger(__name__)

DEFAULT_TZ = "UTC"
# Stay well below every backend's bound-parameter limit when looking up many people.
_IN_CHUNK = 500

_Row = TypeVar("_Row", Person, ConversationRef, InterviewerProfile)


def _valid_tz(tz: str | None, *, ws: str, user_id: str) -> str:
    """``tz`` if it names an IANA zone this machine knows, else UTC (with a warning).

    The directory is not ours to validate; storing a zone ``ZoneInfo`` cannot load
    would make every later message to that person fail instead of this one write.
    """
    name = (tz or "").strip()
    if not name:
        return DEFAULT_TZ
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning(
            "storage.person.unknown_tz",
            extra={"workspace_id": ws, "user_id": user_id, "tz": name},
        )
        return DEFAULT_TZ
    return name


class PeopleRepo(RepoBase):
    """Directory entries and conversation references of a workspace."""

    # --- people ----------------------------------------------------------------------

    def upsert_person(
        self,
        ws: str,
        platform: Platform,
        user_id: str,
        *,
        display_name: str,
        tz: str,
        is_bot: bool = False,
    ) -> Person:
        """Create or refresh the directory entry; ``updated_at`` becomes now either way."""
        values: dict[str, Any] = {
            "display_name": display_name.strip() or user_id,
            "tz": _valid_tz(tz, ws=ws, user_id=user_id),
            "is_bot": is_bot,
            "updated_at": self._now(),
        }
        person = self._directory_upsert(Person, ws, platform, user_id, values)
        logger.debug(
            "storage.person.upserted",
            extra={"workspace_id": ws, "platform": platform.value, "user_id": user_id},
        )
        return person

    def get_person(self, ws: str, platform: Platform, user_id: str) -> Person | None:
        """The cached entry, or ``None`` if the directory never told us about this user."""
        return self._directory_row(Person, ws, platform, user_id)

    def people(self, ws: str, platform: Platform, user_ids: Collection[str]) -> dict[str, Person]:
        """Cached entries by user id; users without one are simply absent."""
        wanted = list(dict.fromkeys(user_ids))
        found: dict[str, Person] = {}
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            stmt = select(Person).where(
                Person.workspace_id == ws,
                Person.platform == platform,
                col(Person.user_id).in_(chunk),
            )
            found.update((p.user_id, p) for p in self.session.exec(stmt).all())
        return found

    def display_name(self, ws: str, platform: Platform, user_id: str) -> str:
        """How to name the user in a message: the cached name, else the user id itself.

        Falling back keeps a message readable (and sendable) when the directory has
        not been synced yet, instead of failing the whole flow.
        """
        person = self.get_person(ws, platform, user_id)
        if person is None or not person.display_name.strip():
            return user_id
        return person.display_name

    # --- conversation references ------------------------------------------------------

    def save_conversation_ref(
        self,
        ws: str,
        platform: Platform,
        user_id: str,
        *,
        conversation_id: str,
        service_url: str,
        reference: dict[str, Any],
    ) -> ConversationRef:
        """Store the newest reference for the user (Teams rotates service URLs)."""
        values: dict[str, Any] = {
            "conversation_id": conversation_id,
            "service_url": service_url,
            # A fresh dict, so the JSON column sees a change even if the caller reuses one.
            "reference": dict(reference),
            "updated_at": self._now(),
        }
        ref = self._directory_upsert(ConversationRef, ws, platform, user_id, values)
        logger.info(
            "storage.conversation_ref.saved",
            extra={"workspace_id": ws, "platform": platform.value, "user_id": user_id},
        )
        return ref

    def get_conversation_ref(
        self, ws: str, platform: Platform, user_id: str
    ) -> ConversationRef | None:
        """The reference to message the user proactively, or ``None`` if we have none yet."""
        return self._directory_row(ConversationRef, ws, platform, user_id)

    # --- internals -------------------------------------------------------------------

    def _directory_row(
        self,
        model: type[_Row],
        ws: str,
        platform: Platform,
        user_id: str,
        *,
        lock: bool = False,
    ) -> _Row | None:
        stmt = select(model).where(
            model.workspace_id == ws, model.platform == platform, model.user_id == user_id
        )
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.exec(stmt).first()

    def _directory_upsert(
        self,
        model: type[_Row],
        ws: str,
        platform: Platform,
        user_id: str,
        values: dict[str, Any],
    ) -> _Row:
        """Update the row keyed by ``(ws, platform, user_id)``, inserting it if missing."""
        row = self._directory_row(model, ws, platform, user_id, lock=True)
        if row is None:
            fresh = model(workspace_id=ws, platform=platform, user_id=user_id, **values)
            try:
                with self.session.begin_nested():
                    self.session.add(fresh)
            except IntegrityError:
                # Another transaction inserted it between our read and our insert.
                row = self._directory_row(model, ws, platform, user_id, lock=True)
                if row is None:
                    raise
            else:
                return fresh
        _assign(row, values)
        self.session.add(row)
        self.session.flush()
        return row


def _assign(row: SQLModel, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(row, name, value)

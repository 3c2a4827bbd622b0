"""What every repository shares: the session, the clock, and the tenant rule.

The tenant rule: every method takes the workspace id first and filters every query
by it. A row of another workspace is reported exactly like a missing row
(:class:`~storage.errors.NotFound`), so ids leak nothing across tenants.

Repositories never commit. The caller owns the transaction (normally
:func:`storage.db.session_scope`), so a flow can combine several operations and
either all of them land or none does. Multi-step writes run inside a SAVEPOINT so
they stay atomic even if the caller catches an error and carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from storage.columns import utc_now

__all__ = ["Clock", "RepoBase", "require_id"]

Clock = Callable[[], datetime]


class _HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def require_id(row: _HasId) -> int:
    """The primary key of a flushed row (a row without one was never written)."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet; flush the session first")
    return row.id


class RepoBase:
    """Holds the session and the clock; see the module docstring for the rules."""

    def __init__(self, session: Session, *, clock: Clock = utc_now) -> None:
        self.session = session
        self._clock = clock

    def _now(self, now: datetime | None = None) -> datetime:
        """``now`` if given (tests, replays), else the clock; always aware."""
        value = self._clock() if now is None else now
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("storage needs aware datetimes; got a naive 'now'")
        return value

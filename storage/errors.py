"""Domain errors raised by the storage layer.

Each error carries a ``message`` written for the person who triggered it, so the
chat adapters can show it as-is in an ephemeral reply or an inline form error,
and a stable ``code`` that flows and tests can branch on without parsing text.
Nothing in the database has changed when one of these is raised by a repository
method: they are checked before any write, or the write is rolled back with the
surrounding transaction.
"""

from __future__ import annotations

__all__ = [
    "AlreadySubmitted",
    "AppendOnlyViolation",
    "Conflict",
    "IncompleteScorecard",
    "InvalidState",
    "NotAllowed",
    "NotFound",
    "StorageError",
]


class StorageError(Exception):
    """Base class: a request the data does not allow, with a message for a human."""

    code: str = "storage_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(StorageError):
    """The record does not exist in this workspace (or exists only in another one).

    Both cases read the same on purpose: a tenant must not learn that another
    tenant's id exists.
    """

    code = "not_found"

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(
            f"I couldn't find {kind} {ident}. It may have been removed, or the id is wrong."
        )
        self.kind = kind
        self.ident = ident


class NotAllowed(StorageError):
    """The acting user lacks the role this action needs."""

    code = "not_allowed"


class InvalidState(StorageError):
    """The record is in a state where this action makes no sense (e.g. cancelled)."""

    code = "invalid_state"


class AlreadySubmitted(InvalidState):
    """A submitted scorecard is final; drafts cannot overwrite it."""

    code = "already_submitted"

    def __init__(self, interview_id: int) -> None:
        super().__init__(
            "You already submitted this scorecard, so it can no longer be edited. "
            "Ask a recruiter if something in it needs correcting."
        )
        self.interview_id = interview_id


class IncompleteScorecard(StorageError):
    """A scorecard cannot be submitted without the parts the debrief relies on."""

    code = "incomplete_scorecard"


class Conflict(StorageError):
    """A uniqueness rule was hit that the caller could have avoided."""

    code = "conflict"


class AppendOnlyViolation(RuntimeError):
    """Code tried to change or delete an audit event: a programming error, not user input."""

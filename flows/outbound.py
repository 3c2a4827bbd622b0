"""What a flow wants sent, before any platform sends it.

Flows never post; they return ``Outbound`` items. The adapter reserves each in the
delivery ledger under its ``key`` and then sends it, so a retried request or a
re-fired timer produces the same key and therefore nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.messages import Message


class RecipientKind(StrEnum):
    USER = "user"  # a direct message to one person
    CHANNEL = "channel"  # a post in a channel


@dataclass(frozen=True, slots=True)
class Recipient:
    kind: RecipientKind
    id: str

    @classmethod
    def user(cls, user_id: str) -> Recipient:
        return cls(RecipientKind.USER, user_id)

    @classmethod
    def channel(cls, channel_id: str) -> Recipient:
        return cls(RecipientKind.CHANNEL, channel_id)

    def encode(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def decode(cls, text: str) -> Recipient:
        kind, _, ident = text.partition(":")
        return cls(RecipientKind(kind), ident)


@dataclass(frozen=True, slots=True)
class Outbound:
    """One message for one recipient, with the key that makes sending it idempotent."""

    key: str
    recipient: Recipient
    message: Message
    track: tuple[str, int] | None = None  # e.g. ("debrief", panel_id): remember where it landed


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request the person may not make, with what to do instead; nothing changes."""

    text: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A short reply only the asking person sees (ephemeral on Slack)."""

    text: str

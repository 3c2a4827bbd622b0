"""Messages to JSON and back, so the delivery ledger can resend exactly what was meant.

A message that could not be delivered yet stays in the ledger as this payload; the
retry loop rebuilds the message from it and renders it again for its platform.
"""

from __future__ import annotations

import base64
from typing import Any

from flows.messages import (
    Action,
    ActionId,
    Attachment,
    ButtonStyle,
    Fact,
    Message,
    MessageKind,
    Section,
    Tone,
)
from flows.outbound import Outbound, Recipient

CODEC_VERSION = 1


def message_to_dict(message: Message) -> dict[str, Any]:
    return {
        "kind": message.kind.value,
        "title": message.title,
        "summary": message.summary,
        "footer": message.footer,
        "tone": message.tone.value,
        "sections": [
            {
                "heading": s.heading,
                "text": s.text,
                "facts": [[f.label, f.value] for f in s.facts],
                "bullets": list(s.bullets),
            }
            for s in message.sections
        ],
        "actions": [
            {"action_id": a.action_id.value, "label": a.label, "value": a.value, "style": a.style.value}
            for a in message.actions
        ],
        "attachments": [
            {
                "filename": a.filename,
                "mime_type": a.mime_type,
                "title": a.title,
                "content": base64.b64encode(a.content).decode("ascii"),
            }
            for a in message.attachments
        ],
    }


def message_from_dict(data: dict[str, Any]) -> Message:
    return Message(
        kind=MessageKind(data["kind"]),
        title=data["title"],
        summary=data["summary"],
        footer=data.get("footer"),
        tone=Tone(data.get("tone", Tone.NEUTRAL.value)),
        sections=tuple(
            Section(
                heading=s.get("heading"),
                text=s.get("text", ""),
                facts=tuple(Fact(label, value) for label, value in s.get("facts", [])),
                bullets=tuple(s.get("bullets", [])),
            )
            for s in data.get("sections", [])
        ),
        actions=tuple(
            Action(ActionId(a["action_id"]), a["label"], a["value"], ButtonStyle(a["style"]))
            for a in data.get("actions", [])
        ),
        attachments=tuple(
            Attachment(
                filename=a["filename"],
                content=base64.b64decode(a["content"]),
                mime_type=a["mime_type"],
                title=a["title"],
            )
            for a in data.get("attachments", [])
        ),
    )


def outbound_payload(outbound: Outbound) -> dict[str, Any]:
    """What the ledger row stores for one outbound message."""
    return {
        "v": CODEC_VERSION,
        "recipient": outbound.recipient.encode(),
        "message": message_to_dict(outbound.message),
        "track": list(outbound.track) if outbound.track else None,
    }


def outbound_from_payload(key: str, payload: dict[str, Any]) -> Outbound:
    track = payload.get("track")
    return Outbound(
        key=key,
        recipient=Recipient.decode(payload["recipient"]),
        message=message_from_dict(payload["message"]),
        track=(str(track[0]), int(track[1])) if track else None,
    )

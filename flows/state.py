"""Versioned interaction state carried in buttons, modal metadata and card data.

Platforms hand back an opaque string when someone clicks or submits. We keep it small
(ids only, looked up in storage again) and versioned, so a message sent by an older
panelbot still decodes after an upgrade or is refused with a clear error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

STATE_VERSION = 1
MAX_STATE_LENGTH = 2000


class StateError(ValueError):
    """State that was not produced by this panelbot, or by an incompatible version."""


@dataclass(frozen=True, slots=True)
class InteractionState:
    """What an action or form refers to: a kind and the ids it needs."""

    kind: str
    ids: dict[str, int | str]

    def id(self, name: str) -> int:
        value = self.ids.get(name)
        if not isinstance(value, int):
            raise StateError(f"state '{self.kind}' has no numeric '{name}'")
        return value

    def text(self, name: str) -> str:
        value = self.ids.get(name)
        if value is None:
            raise StateError(f"state '{self.kind}' has no '{name}'")
        return str(value)


def encode_state(kind: str, **ids: int | str) -> str:
    """Serialise state compactly; raises if it would not fit the platforms' limits."""
    text = json.dumps({"v": STATE_VERSION, "k": kind, **ids}, separators=(",", ":"), sort_keys=True)
    if len(text) > MAX_STATE_LENGTH:
        raise StateError(f"state for '{kind}' is {len(text)} characters, over {MAX_STATE_LENGTH}")
    return text


def decode_state(text: str) -> InteractionState:
    """Parse state produced by :func:`encode_state`."""
    try:
        data = json.loads(text)
    except (TypeError, json.JSONDecodeError) as exc:
        raise StateError("state is not panelbot's") from exc
    if not isinstance(data, dict) or data.get("v") != STATE_VERSION or "k" not in data:
        raise StateError("state comes from an incompatible panelbot version")
    kind = str(data.pop("k"))
    data.pop("v")
    ids = {str(k): v for k, v in data.items() if isinstance(v, int | str)}
    return InteractionState(kind=kind, ids=ids)

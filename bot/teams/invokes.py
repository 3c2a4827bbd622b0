"""The shapes of Teams invokes panelbot handles, in and out.

In: ``task/fetch`` and ``task/submit`` carry ``value.data`` (the button's data, and for
a submit the dialog's input values merged in); ``adaptiveCard/action`` carries
``value.action`` with the ``verb`` and its ``data`` (inputs of the card merged in).

Out: a dialog answer is ``{"task": …}`` (:mod:`bot.teams.dialogs`); a Universal Action
answer is ``{"statusCode", "type", "value"}`` holding either a card that replaces the
clicked card for the person who clicked, or a short message Teams shows them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from botbuilder.schema import Activity

from bot.teams.cards import Card

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
ERROR_TYPE = "application/vnd.microsoft.error"
OUTDATED = "This button comes from an older panelbot message; use the newest one instead."


class TeamsAction(StrEnum):
    """Button ids that exist only on Teams (dialog openers and the inline decision)."""

    OPEN_PANEL = "panel_new"
    OPEN_REQUISITION = "requisition_new"
    DEBRIEF_PICK = "debrief_pick"
    DECISION_CONFIRM = "decision_confirm"
    DECISION_CANCEL = "decision_cancel"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def task_data(activity: Activity) -> dict[str, Any]:
    """``value.data`` of a task/fetch or task/submit."""
    return _dict(_dict(activity.value).get("data"))


def card_action(activity: Activity) -> tuple[str, dict[str, Any]]:
    """``(verb, data)`` of an adaptiveCard/action."""
    action = _dict(_dict(activity.value).get("action"))
    return str(action.get("verb") or ""), _dict(action.get("data"))


def card_response(card: Card) -> dict[str, Any]:
    """Replace the clicked card, for the person who clicked, with ``card``."""
    return {"statusCode": 200, "type": CARD_TYPE, "value": card}


def message_response(text: str) -> dict[str, Any]:
    """Leave the card as it is and show the person ``text``."""
    return {"statusCode": 200, "type": MESSAGE_TYPE, "value": text}


def error_response(status: int, code: str, text: str) -> dict[str, Any]:
    return {"statusCode": status, "type": ERROR_TYPE, "value": {"code": code, "message": text}}


def task_button(title: str, action_id: str, state: str) -> dict[str, Any]:
    """A card button that opens a dialog (Teams fetches it with ``task/fetch``)."""
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {"msteams": {"type": "task/fetch"}, "action_id": action_id, "state": state},
    }


def execute_button(
    title: str, verb: str, state: str, *, style: str | None = None, inputs: bool = True
) -> dict[str, Any]:
    """A Universal Action button; ``inputs=False`` sends none of the card's inputs."""
    button: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": {"action_id": verb, "state": state},
        "associatedInputs": "auto" if inputs else "none",
    }
    if style:
        button["style"] = style
    return button

"""Neutral messages and forms → Microsoft Teams Adaptive Cards, as plain JSON-able dicts.

Pure functions, no I/O and no botbuilder import: the Teams handler wraps what these
return in activities and invoke responses. Mirrors ``bot.slack.render``:

* a message renders to one Adaptive Card 1.5; one too big for Teams (about 28 KB per
  message) is cut into several cards at element boundaries with the buttons on the last
  one (:func:`message_cards`), as the Slack renderer splits over several messages;
* text is never truncated or dropped: long prose is cut over several TextBlocks;
* buttons carry the neutral ``action_id`` and the encoded state unchanged, so both
  platforms hand the same values back to the same handlers (a parity test checks it).

Buttons are Universal Actions (``Action.Execute``, ``verb`` = action id), except those in
``dialog_actions``: Teams can only open a dialog (task module) from an ``Action.Submit``
whose data says ``msteams.type = "task/fetch"``, never from an ``adaptiveCard/action``
invoke, so the buttons that open a form (the scorecard, the loop editor) are rendered
that way. The decision buttons are Universal Actions: the hiring manager's card itself
turns into the reason field (``bot.teams.decisions``). Pass ``dialog_actions=frozenset()``
to get ``Action.Execute`` everywhere.

Forms (Teams dialogs) are rendered by :mod:`bot.teams.dialogs`; its public functions are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from bot.teams.cards import (
    ELEMENT_BYTES,
    MAX_CARD_BYTES,
    Card,
    Element,
    adaptive_card,
    card_attachment,
    card_size_bytes,
    one_line,
    sections_elements,
    text_blocks,
    truncate,
    without_separator,
)
from bot.teams.dialogs import (
    DialogAction,
    dialog_action,
    dialog_state,
    dialog_values,
    form_card,
    task_continue,
    task_message,
)
from flows.messages import Action, ActionId, ButtonStyle, Message, Tone

__all__ = [
    "CARD_BUDGET_BYTES",
    "DIALOG_ACTIONS",
    "MAX_CARD_ACTIONS",
    "MAX_CARD_BYTES",
    "DialogAction",
    "action_element",
    "card_attachment",
    "card_size_bytes",
    "content_elements",
    "dialog_action",
    "dialog_state",
    "dialog_values",
    "form_card",
    "message_activity_attachment",
    "message_card",
    "message_cards",
    "task_continue",
    "task_message",
]

TONE_COLORS: dict[Tone, str | None] = {
    Tone.NEUTRAL: None,
    Tone.GOOD: "Good",
    Tone.WARNING: "Warning",
    Tone.DANGER: "Attention",
}
BUTTON_STYLES: dict[ButtonStyle, str | None] = {
    ButtonStyle.DEFAULT: None,
    ButtonStyle.PRIMARY: "positive",
    ButtonStyle.DANGER: "destructive",
}
# Buttons whose handler answers with a form: on Teams they must fetch a dialog.
DIALOG_ACTIONS: frozenset[ActionId] = frozenset({ActionId.OPEN_SCORECARD, ActionId.CHANGE_LOOP})
# Teams shows at most six buttons of a card's ``actions`` (the rest are hidden on desktop
# and web); more go into ActionSets of six in the body, which Teams shows in full.
MAX_CARD_ACTIONS = 6
# Room left under MAX_CARD_BYTES for the activity around the card (ids, conversation,
# serviceUrl, summary), so that the whole message stays under Teams' limit.
ACTIVITY_OVERHEAD_BYTES = 2 * 1024
CARD_BUDGET_BYTES = MAX_CARD_BYTES - ACTIVITY_OVERHEAD_BYTES
FALLBACK_TEXT = 300
DEFAULT_FALLBACK = "panelbot"


def _fallback_text(message: Message) -> str:
    """What a client that cannot render the card shows (Slack's top-level ``text``)."""
    text = message.summary.strip() or one_line(message.title) or DEFAULT_FALLBACK
    return truncate(text, FALLBACK_TEXT)


def _title_elements(message: Message) -> list[Element]:
    color = TONE_COLORS[message.tone]
    style: dict[str, Any] = {"size": "Large", "weight": "Bolder", "style": "heading"}
    if color:
        style["color"] = color
    return text_blocks(one_line(message.title), **style)


def content_elements(message: Message) -> list[Element]:
    """Title, sections and footer: every body element but the buttons."""
    elements = _title_elements(message)
    elements.extend(sections_elements(message.sections, separators=True))
    if message.footer and message.footer.strip():
        footer = text_blocks(message.footer, size="Small", isSubtle=True)
        footer[0] = {**footer[0], "separator": True, "spacing": "Medium"}
        elements.extend(footer)
    if not elements:
        elements.extend(text_blocks(_fallback_text(message)))
    if elements:
        elements[0] = without_separator(elements[0])
    return elements


def action_element(
    action: Action, *, dialog_actions: Collection[ActionId] = DIALOG_ACTIONS
) -> Element:
    """One button; ``data`` carries the action id and its state for the handler."""
    data: dict[str, Any] = {"action_id": action.action_id.value, "state": action.value}
    element: Element
    if action.action_id in dialog_actions:
        element = {
            "type": "Action.Submit",
            "title": action.label.strip() or "…",
            "data": {"msteams": {"type": "task/fetch"}, **data},
        }
    else:
        element = {
            "type": "Action.Execute",
            "title": action.label.strip() or "…",
            "verb": action.action_id.value,
            "data": data,
        }
    style = BUTTON_STYLES[action.style]
    if style:
        element["style"] = style
    return element


def _action_parts(
    actions: tuple[Action, ...], dialog_actions: Collection[ActionId]
) -> tuple[list[Element], list[Element]]:
    """The buttons as (card-level actions, ActionSet body elements); one of them is empty."""
    elements = [action_element(a, dialog_actions=dialog_actions) for a in actions]
    if len(elements) <= MAX_CARD_ACTIONS:
        return elements, []
    sets: list[Element] = [
        {"type": "ActionSet", "actions": elements[i : i + MAX_CARD_ACTIONS]}
        for i in range(0, len(elements), MAX_CARD_ACTIONS)
    ]
    sets[0] = {**sets[0], "separator": True, "spacing": "Medium"}
    return [], sets


def message_card(
    message: Message, *, dialog_actions: Collection[ActionId] = DIALOG_ACTIONS
) -> Card:
    """The whole message as one card, whatever its size.

    To send a message use :func:`message_cards`, which splits one too big for Teams.
    """
    actions, action_sets = _action_parts(message.actions, dialog_actions)
    return adaptive_card(
        content_elements(message) + action_sets, actions, fallback_text=_fallback_text(message)
    )


def _element_cost(element: Element) -> int:
    return card_size_bytes(element) + len(", ")


def message_cards(
    message: Message, *, dialog_actions: Collection[ActionId] = DIALOG_ACTIONS
) -> list[Card]:
    """The message as cards Teams accepts, in order; buttons only on the last one.

    Each card is at most :data:`CARD_BUDGET_BYTES`. Elements are never cut here (they
    are already at most :data:`~bot.teams.cards.ELEMENT_BYTES`); a card is closed when the
    next element would not fit. If the buttons do not fit after the last element, they go
    on a card of their own, under the message title. Raises ValueError only when the
    buttons alone are too big for a card (state is meant to be a few ids).
    """
    fallback = _fallback_text(message)
    content = content_elements(message)
    actions, action_sets = _action_parts(message.actions, dialog_actions)
    whole = adaptive_card(content + action_sets, actions, fallback_text=fallback)
    if card_size_bytes(whole) <= CARD_BUDGET_BYTES:
        return [whole]
    # What is left after the envelope, with the longest numbered fallback text.
    room = CARD_BUDGET_BYTES - card_size_bytes(
        adaptive_card([], [], fallback_text=fallback + " (9999/9999)")
    )
    tail = sum(map(_element_cost, action_sets))
    if actions:
        tail += card_size_bytes({"actions": actions})
    if tail > room:
        raise ValueError(
            f"the buttons of this message take {tail} bytes; a Teams card holds {room} "
            "after its envelope. Keep button state to a few ids."
        )
    assert room > ELEMENT_BYTES * 2, "elements must be small against a card"
    groups: list[list[Element]] = [[]]
    size = 0
    for element in content:
        cost = _element_cost(element)
        if groups[-1] and size + cost > room:
            groups.append([])
            size = 0
        groups[-1].append(element)
        size += cost
    if tail and size + tail > room:
        context = text_blocks(truncate(one_line(message.title) or fallback, FALLBACK_TEXT))
        context = [{**block, "isSubtle": True} for block in context]
        fits = sum(map(_element_cost, context)) + tail <= room
        groups.append(context if fits else [])
    groups[-1].extend(action_sets)
    total = len(groups)
    cards: list[Card] = []
    for number, group in enumerate(groups, start=1):
        body = [without_separator(group[0]), *group[1:]] if group else []
        cards.append(
            adaptive_card(
                body,
                actions if number == total else None,
                fallback_text=f"{fallback} ({number}/{total})",
            )
        )
    return cards


def message_activity_attachment(
    message: Message, *, dialog_actions: Collection[ActionId] = DIALOG_ACTIONS
) -> dict[str, Any]:
    """The message as one activity attachment; ValueError if it needs several cards.

    For messages that may be long (debriefs, briefings), send one activity per card of
    :func:`message_cards` (``card_attachment(card)`` each) instead.
    """
    cards = message_cards(message, dialog_actions=dialog_actions)
    if len(cards) > 1:
        raise ValueError(
            f"message {message.kind.value!r} needs {len(cards)} cards; send message_cards()"
        )
    return card_attachment(cards[0])

"""Adaptive Card building blocks shared by the Teams message and dialog renderers.

Pure functions from neutral text to plain JSON-able dicts; no botbuilder import.

Teams refuses a message whose payload is over about 28 KB, so sizes here are measured the
way botbuilder sends a card: ``json.dumps`` with its defaults (msrest's connector client
does exactly that), which escapes every non-ASCII character, so "é" costs 6 bytes and an
emoji 12. Long prose is cut over several TextBlocks at line boundaries, then at spaces, so
that no single element is too heavy to share a card with others; text is never dropped or
truncated, which is what lets :func:`bot.teams.render.message_cards` split any message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from flows.messages import Fact, Section

SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_CARD_BYTES = 28 * 1024
# The most one body element may weigh. Small against a card, so a split never strands a
# heavy element; large enough that ordinary prose stays in one TextBlock.
ELEMENT_BYTES = 6 * 1024
# Keys and styles around an element's text (type, wrap, size, weight, colour, separator).
ELEMENT_OVERHEAD = 200
TEXT_BUDGET = ELEMENT_BYTES - ELEMENT_OVERHEAD
ELLIPSIS = "…"
BULLET = "- "

Element = dict[str, Any]
Card = dict[str, Any]


def card_size_bytes(card: Any) -> int:
    """Bytes of ``card`` (or any JSON-able node) as botbuilder puts it on the wire.

    ``json.dumps`` defaults produce pure ASCII, so this is also its UTF-8 length; it is the
    largest of the usual serialisations, so a card that passes here passes everywhere.
    """
    return len(json.dumps(card).encode("utf-8"))


def text_size(text: str) -> int:
    """Bytes ``text`` takes inside a JSON string (without the quotes)."""
    return len(json.dumps(text)) - 2


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def one_line(text: str) -> str:
    """Whitespace collapsed: headings and titles read as one line, as on Slack."""
    return " ".join(text.split())


@cache
def _char_size(ch: str) -> int:
    return len(json.dumps(ch)) - 2


def _wrap(line: str, budget: int) -> list[str]:
    """One line cut into pieces of at most ``budget`` bytes each.

    A cut falls after the last space of a piece when that space is in its second half
    (the space stays at the end of the piece), so the pieces joined with no separator
    give back exactly ``line``.
    """
    costs = [_char_size(ch) for ch in line]
    pieces: list[str] = []
    start = 0
    while start < len(line):
        end, size = start, 0
        while end < len(line) and size + costs[end] <= budget:
            size += costs[end]
            end += 1
        if end < len(line):
            space = line.rfind(" ", start, end)
            if space >= start + (end - start) // 2:
                end = space + 1
        end = max(end, start + 1)
        pieces.append(line[start:end])
        start = end
    return pieces or [""]


def cut_text(text: str, budget: int = TEXT_BUDGET) -> list[str]:
    """``text`` cut into as few pieces of at most ``budget`` bytes as possible.

    Lines (split on newlines only) are kept together when they fit and re-joined with
    newlines; a piece only ends at a line boundary or a :func:`_wrap` cut. Pieces holding
    nothing but whitespace are left out.
    """
    if text_size(text) <= budget:
        return [text] if text.strip() else []
    chunks: list[str] = []
    current: str | None = None
    size = 0
    for line in text.split("\n"):
        for index, piece in enumerate(_wrap(line, budget)):
            cost = text_size(piece)
            if current is None:
                current, size = piece, cost
                continue
            sep = "" if index else "\n"
            extra = cost + text_size(sep)
            if size + extra > budget:
                chunks.append(current)
                current, size = piece, cost
            else:
                current += sep + piece
                size += extra
    if current is not None:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def text_blocks(text: str, **style: Any) -> list[Element]:
    """``text`` as wrapping TextBlocks of at most :data:`ELEMENT_BYTES` each."""
    return [{"type": "TextBlock", "text": chunk, "wrap": True, **style} for chunk in cut_text(text)]


def heading_blocks(text: str, **style: Any) -> list[Element]:
    """A heading on one line, in bold."""
    return text_blocks(one_line(text), weight="Bolder", **style)


def fact_elements(facts: Iterable[Fact]) -> list[Element]:
    """Facts as FactSets of at most :data:`ELEMENT_BYTES`, in order.

    A fact too heavy for a FactSet of its own (a long value) becomes a bold label and
    prose instead, as the Slack renderer does with facts too long for a field.
    """
    elements: list[Element] = []
    group: list[dict[str, str]] = []
    size = 0

    def flush() -> None:
        nonlocal group, size
        if group:
            elements.append({"type": "FactSet", "facts": group})
        group, size = [], 0

    for fact in facts:
        title, value = fact.label.strip(), fact.value.strip()
        if not title and not value:
            continue
        entry = {"title": title, "value": value}
        cost = card_size_bytes(entry) + 2
        if cost > TEXT_BUDGET:
            flush()
            elements.extend(heading_blocks(title))
            elements.extend(text_blocks(value))
            continue
        if group and size + cost > TEXT_BUDGET:
            flush()
        group.append(entry)
        size += cost
    flush()
    return elements


def bullet_text(bullets: Sequence[str]) -> str:
    """Bullets as one markdown list, which Teams' TextBlock renders."""
    return "\n".join(BULLET + bullet for bullet in bullets)


def section_elements(section: Section) -> list[Element]:
    """A neutral section: bold heading, prose, a FactSet, then the bullets."""
    elements = heading_blocks(section.heading or "")
    elements.extend(text_blocks(section.text))
    elements.extend(fact_elements(section.facts))
    elements.extend(text_blocks(bullet_text(section.bullets)))
    return elements


def sections_elements(sections: Iterable[Section], *, separators: bool) -> list[Element]:
    """Several sections; with ``separators`` each after the first starts with a line."""
    elements: list[Element] = []
    for section in sections:
        rendered = section_elements(section)
        if not rendered:
            continue
        if separators and elements:
            rendered[0] = {**rendered[0], "separator": True, "spacing": "Medium"}
        elements.extend(rendered)
    return elements


def without_separator(element: Element) -> Element:
    """The element without a leading line, for the top of a card."""
    return {k: v for k, v in element.items() if k not in ("separator", "spacing")}


def adaptive_card(
    body: list[Element], actions: list[Element] | None = None, *, fallback_text: str | None = None
) -> Card:
    """An Adaptive Card 1.5 envelope around ``body`` and ``actions``."""
    card: Card = {"type": "AdaptiveCard", "$schema": SCHEMA_URL, "version": CARD_VERSION}
    if fallback_text:
        card["fallbackText"] = fallback_text
    card["body"] = body
    if actions:
        card["actions"] = actions
    return card


def card_attachment(card: Card) -> dict[str, Any]:
    """A card as an activity attachment (or a dialog's ``card``)."""
    return {"contentType": CONTENT_TYPE, "content": card}

"""Block Kit building blocks shared by the message and form renderers.

Everything here is pure: neutral text in, plain JSON-able dicts out. The limits are the
ones Slack documents (see ``bot.slack.limits``); text that would exceed one is either cut
over several blocks (prose) or truncated with an ellipsis (labels), never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.slack import limits
from flows.messages import Fact, Section

ELLIPSIS = "…"
BULLET = "• "
HEADING_BOLD = 500  # longer headings are not bold: they read as prose anyway

Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, keeping the beginning and ending in an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def plain_object(text: str, limit: int, *, fallback: str = ELLIPSIS) -> PlainTextObject:
    """A non-empty plain_text object of at most ``limit`` characters."""
    return PlainTextObject(text=truncate(text.strip(), limit) or fallback, emoji=True)


def plain(text: str, limit: int, *, fallback: str = ELLIPSIS) -> dict[str, Any]:
    """:func:`plain_object` as a dict."""
    return plain_object(text, limit, fallback=fallback).to_dict()


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object; ``text`` must already be escaped and within limits."""
    return MarkdownTextObject(text=text).to_dict()


@dataclass(frozen=True, slots=True)
class Line:
    """One escaped piece of text; ``joined`` pieces continue the previous line."""

    text: str
    joined: bool = False


def _fit(raw: str, limit: int) -> int:
    """The largest prefix length of ``raw`` whose escaped form fits in ``limit``."""
    size = min(len(raw), limit)
    while (excess := len(escape(raw[:size])) - limit) > 0:
        size -= excess
    return max(size, 1)


def wrap(raw: str, limit: int) -> list[Line]:
    """Escape one raw line and cut it into pieces of at most ``limit`` characters.

    Cuts prefer the last space of a piece (kept at the end of that piece) and never fall
    inside an escape entity, so the pieces joined back give exactly ``escape(raw)``.
    """
    pieces: list[Line] = []
    rest = raw
    while len(escape(rest)) > limit:
        size = _fit(rest, limit)
        space = rest.rfind(" ", 0, size)
        if space >= size // 2:
            size = space + 1
        pieces.append(Line(escape(rest[:size]), joined=bool(pieces)))
        rest = rest[size:]
    pieces.append(Line(escape(rest), joined=bool(pieces)))
    return pieces


def prose_lines(raw: str, limit: int) -> list[Line]:
    """Every line of ``raw`` (split on newlines only), escaped and wrapped."""
    lines: list[Line] = []
    for line in raw.split("\n"):
        lines.extend(wrap(line, limit))
    return lines


def heading_lines(raw: str, limit: int) -> list[Line]:
    """A heading on one line, in bold; one too long for a block is wrapped as plain prose."""
    text = " ".join(raw.split())
    if not text:
        return []
    if len(escape(text)) + 2 <= min(limit, HEADING_BOLD):
        return [Line(f"*{escape(text)}*")]
    return wrap(text, limit)


def bullet_lines(bullets: Iterable[str], limit: int) -> list[Line]:
    lines: list[Line] = []
    for bullet in bullets:
        for index, line in enumerate(bullet.split("\n")):
            pieces = wrap(line, limit - len(BULLET))
            first = pieces[0]
            lead = BULLET if index == 0 else ""
            lines.append(Line(lead + first.text, first.joined))
            lines.extend(pieces[1:])
    return lines


def pack(lines: Sequence[Line], limit: int) -> list[str]:
    """Join lines into as few texts of at most ``limit`` characters as possible.

    Lines are joined with newlines, continuation pieces without; a text is only cut at a
    line or piece boundary. Texts with nothing but whitespace are left out.
    """
    texts: list[str] = []
    current: str | None = None
    for line in lines:
        if current is None:
            current = line.text
            continue
        sep = "" if line.joined else "\n"
        if len(current) + len(sep) + len(line.text) > limit:
            texts.append(current)
            current = line.text
        else:
            current += sep + line.text
    if current is not None:
        texts.append(current)
    return [text for text in texts if text.strip()]


def text_sections(lines: Sequence[Line]) -> list[Block]:
    return [
        SectionBlock(text=MarkdownTextObject(text=text)).to_dict()
        for text in pack(lines, limits.SECTION_TEXT)
    ]


def fact_field(fact: Fact) -> str | None:
    """A fact as one section field, or None when it does not fit in a field."""
    label, value = escape(fact.label.strip()), escape(fact.value.strip())
    text = f"*{label}*\n{value}" if label else value
    if not text.strip() or len(text) > limits.SECTION_FIELD_TEXT:
        return None
    return text


def fact_lines(fact: Fact, limit: int) -> list[Line]:
    """A fact too long for a field, as prose: bold label, then the value."""
    return heading_lines(fact.label, limit) + prose_lines(fact.value, limit)


def section_blocks(section: Section) -> list[Block]:
    """A neutral section as mrkdwn section blocks: heading and text, facts, bullets."""
    limit = limits.SECTION_TEXT
    head = heading_lines(section.heading or "", limit) + prose_lines(section.text, limit)
    fields: list[str] = []
    overflow: list[Line] = []
    for fact in section.facts:
        field = fact_field(fact)
        if field is not None:
            fields.append(field)
        elif fact.label.strip() or fact.value.strip():
            overflow.extend(fact_lines(fact, limit))
    tail = overflow + bullet_lines(section.bullets, limit)
    if not fields:
        return text_sections(head + tail)
    blocks = text_sections(head)
    for chunk in group_texts(fields, limits.SECTION_FIELDS, limits.SECTION_TEXT):
        blocks.append(SectionBlock(fields=[MarkdownTextObject(text=f) for f in chunk]).to_dict())
    return blocks + text_sections(tail)


def sections_blocks(sections: Iterable[Section], *, dividers: bool) -> list[Block]:
    """Several sections, optionally separated by dividers."""
    blocks: list[Block] = []
    for section in sections:
        rendered = section_blocks(section)
        if not rendered:
            continue
        if dividers and blocks:
            blocks.append(DividerBlock().to_dict())
        blocks.extend(rendered)
    return blocks


def header_block(text: str) -> Block:
    return HeaderBlock(text=plain(text, limits.HEADER_TEXT)).to_dict()


def group_texts(texts: Sequence[str], count: int, budget: int) -> list[list[str]]:
    """Consecutive texts grouped by at most ``count`` items and ``budget`` characters.

    The budget keeps one block from carrying a whole message's worth of text (ten
    2,000-character fields would); a single text larger than the budget is alone.
    """
    groups: list[list[str]] = []
    size = 0
    for text in texts:
        if not groups or len(groups[-1]) >= count or size + len(text) > budget:
            groups.append([])
            size = 0
        groups[-1].append(text)
        size += len(text)
    return groups


def context_blocks(lines: Sequence[Line]) -> list[Block]:
    """Small grey text, as many context blocks as the text needs."""
    texts = pack(lines, limits.TEXT_OBJECT)
    return [
        ContextBlock(elements=[MarkdownTextObject(text=t) for t in group]).to_dict()
        for group in group_texts(texts, limits.CONTEXT_ELEMENTS, limits.TEXT_OBJECT)
    ]


def text_size(node: Any) -> int:
    """Characters of every ``text`` string in a block tree (for per-message budgets)."""
    if isinstance(node, dict):
        own = len(node["text"]) if isinstance(node.get("text"), str) else 0
        return own + sum(text_size(v) for k, v in node.items() if k != "text" or own == 0)
    if isinstance(node, list):
        return sum(text_size(item) for item in node)
    return 0

"""Neutral messages and forms → Slack Block Kit, as plain JSON-able dicts.

Pure functions, no I/O. Every payload produced here passes ``bot.slack.limits``:
long prose is cut over several section blocks at line boundaries, a message that needs
more than 50 blocks (or too much text for one message) becomes several messages with the
buttons on the last one, and labels Slack caps are truncated with an ellipsis while the
full text stays visible elsewhere in the payload.

Forms are rendered by :mod:`bot.slack.forms`; their public functions are re-exported here.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, PlainTextObject

from bot.slack import limits
from bot.slack.blockkit import (
    Block,
    context_blocks,
    header_block,
    heading_lines,
    prose_lines,
    sections_blocks,
    text_sections,
    text_size,
    truncate,
)
from bot.slack.forms import (
    SAVE_DRAFT_ACTION_ID,
    form_errors,
    form_view,
    save_draft_action_id,
    view_values,
)
from flows.messages import Action, ButtonStyle, Message, Tone

__all__ = [
    "MESSAGE_TEXT_BUDGET",
    "SAVE_DRAFT_ACTION_ID",
    "TONE_EMOJI",
    "action_blocks",
    "content_blocks",
    "form_errors",
    "form_view",
    "message_blocks",
    "message_payloads",
    "message_text",
    "save_draft_action_id",
    "split_message",
    "view_values",
]

TONE_EMOJI: dict[Tone, str] = {
    Tone.NEUTRAL: "",
    Tone.GOOD: "✅",
    Tone.WARNING: "⚠️",
    Tone.DANGER: "⛔",
}

# Characters of block text per message. Slack's real cap is undocumented (see
# limits.MESSAGE_TEXT_TOTAL); staying well under it keeps long briefings deliverable.
MESSAGE_TEXT_BUDGET = 9000
DEFAULT_FALLBACK = "panelbot"


def _title(message: Message) -> str:
    emoji = TONE_EMOJI[message.tone]
    title = " ".join(message.title.split())
    return f"{emoji} {title}" if emoji and title else title


def content_blocks(message: Message) -> list[Block]:
    """Header, sections and footer: everything but the buttons."""
    blocks: list[Block] = []
    title = _title(message)
    if title:
        blocks.append(header_block(title))
        if len(title) > limits.HEADER_TEXT:
            # The header had to be cut; keep the whole title readable right under it.
            blocks.extend(text_sections(heading_lines(message.title, limits.SECTION_TEXT)))
    blocks.extend(sections_blocks(message.sections, dividers=True))
    if message.footer and message.footer.strip():
        blocks.extend(context_blocks(prose_lines(message.footer, limits.TEXT_OBJECT)))
    if not blocks:
        blocks.extend(text_sections(prose_lines(message_text(message), limits.SECTION_TEXT)))
    return blocks


def _button(action: Action) -> dict[str, Any]:
    if len(action.value) > limits.BUTTON_VALUE:
        raise ValueError(
            f"button {action.action_id.value!r} carries {len(action.value)} characters of "
            f"state, Slack allows {limits.BUTTON_VALUE}"
        )
    style = None if action.style is ButtonStyle.DEFAULT else action.style.value
    return ButtonElement(
        text=PlainTextObject(text=truncate(action.label.strip(), limits.BUTTON_TEXT) or "…"),
        action_id=action.action_id.value,
        value=action.value,
        style=style,
    ).to_dict()


def action_blocks(actions: tuple[Action, ...]) -> list[Block]:
    """Buttons in actions blocks: at most 25 each, and no action_id twice in one block."""
    groups: list[list[dict[str, Any]]] = []
    seen: set[str] = set()
    for action in actions:
        button = _button(action)
        if not groups or len(groups[-1]) >= limits.ACTIONS_ELEMENTS or button["action_id"] in seen:
            groups.append([])
            seen = set()
        groups[-1].append(button)
        seen.add(button["action_id"])
    return [ActionsBlock(elements=group).to_dict() for group in groups]


def message_blocks(message: Message) -> list[Block]:
    """Every block of the message, in order; may exceed one message (see split_message)."""
    return content_blocks(message) + action_blocks(message.actions)


def message_text(message: Message) -> str:
    """The top-level ``text``: what notifications and screen readers show."""
    text = message.summary.strip() or " ".join(message.title.split()) or DEFAULT_FALLBACK
    return truncate(text, limits.MESSAGE_FALLBACK_TEXT)


def _fits(group: list[Block], block: Block) -> bool:
    return (
        len(group) < limits.MESSAGE_BLOCKS
        and text_size(group) + text_size(block) <= MESSAGE_TEXT_BUDGET
    )


def _trim_dividers(group: list[Block]) -> list[Block]:
    start, end = 0, len(group)
    while start < end and group[start]["type"] == "divider":
        start += 1
    while end > start and group[end - 1]["type"] == "divider":
        end -= 1
    return group[start:end]


def split_message(message: Message) -> list[list[Block]]:
    """The message's blocks cut into messages Slack accepts; buttons only on the last."""
    groups: list[list[Block]] = [[]]
    for block in content_blocks(message):
        if groups[-1] and not _fits(groups[-1], block):
            groups.append([])
        groups[-1].append(block)
    groups = [trimmed for group in groups if (trimmed := _trim_dividers(group))]
    actions = action_blocks(message.actions)
    if actions:
        last = groups[-1]
        if any(not _fits(last + actions[:i], block) for i, block in enumerate(actions)):
            groups.append([])
        groups[-1].extend(actions)
    return groups


def message_payloads(message: Message) -> list[dict[str, Any]]:
    """chat.postMessage arguments (``text`` and ``blocks``), one per message to send."""
    groups = split_message(message)
    text = message_text(message)
    if len(groups) == 1:
        return [{"text": text, "blocks": groups[0]}]
    total = len(groups)
    return [
        {"text": truncate(f"{text} ({n}/{total})", limits.MESSAGE_FALLBACK_TEXT), "blocks": blocks}
        for n, blocks in enumerate(groups, start=1)
    ]

"""Neutral messages as the Teams activities panelbot posts: cards, buttons, fallbacks.

Decisions here that differ from Slack, and why:

* Only the buttons that open a form ("Open scorecard", "Change loop") open a dialog
  (``task/fetch``; :data:`bot.teams.render.DIALOG_ACTIONS`). The decision buttons are
  Universal Actions (``Action.Execute``): the hiring manager's card turns into an inline
  reason field and a Confirm button, and the decided card replaces the post for
  everyone, with no dialog in between (see :mod:`bot.teams.decisions`).
* Bots cannot attach files to Teams chats without a consent round-trip, so a message's
  attachments (the ``.ics`` invite) are not sent; the footer says so instead of
  claiming they are attached.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.teams.cards import CONTENT_TYPE, Card
from bot.teams.render import message_cards
from flows.messages import Message

NO_ATTACHMENTS_NOTE = (
    "Teams does not let bots attach files here, so {files} is not attached; "
    "the details above are all it holds."
)


def for_teams(message: Message) -> Message:
    """``message`` as Teams can carry it: attachments become a note in the footer."""
    if not message.attachments:
        return message
    files = ", ".join(a.filename for a in message.attachments)
    return replace(message, attachments=(), footer=NO_ATTACHMENTS_NOTE.format(files=files))


def cards(message: Message) -> list[Card]:
    """The Adaptive Cards of ``message``, in posting order (usually one)."""
    return message_cards(for_teams(message))


def replacement_card(message: Message) -> Card:
    """One card to put in place of a posted one (e.g. a decided debrief).

    Like Slack's update: a message that no longer fits one card keeps its leading
    sections (the decision and the verdict), so the card that replaces the post still
    says what was decided.
    """
    rendered = cards(message)
    if len(rendered) > 1:
        rendered = cards(replace(message, sections=message.sections[:2]))
    return rendered[-1]


def card_activity(card: Card, *, summary: str | None = None) -> Activity:
    """A message activity carrying one card (``summary`` shows in notifications)."""
    return Activity(
        type=ActivityTypes.message,
        summary=summary,
        attachments=[Attachment(content_type=CONTENT_TYPE, content=card)],
    )


def message_activities(message: Message) -> list[Activity]:
    return [card_activity(card, summary=message.summary) for card in cards(message)]


def text_activity(text: str) -> Activity:
    """A markdown text message; Teams joins single-newline lines, so lines become paragraphs."""
    paragraphs = [line for line in text.split("\n") if line.strip()]
    return Activity(type=ActivityTypes.message, text="\n\n".join(paragraphs),
                    text_format="markdown")


def card_of(activity: Activity) -> dict[str, Any] | None:
    """The card an activity carries, if any (tests and logs read cards back)."""
    for attachment in activity.attachments or []:
        if attachment.content_type == CONTENT_TYPE and isinstance(attachment.content, dict):
            return attachment.content
    return None

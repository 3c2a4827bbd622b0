"""Neutral message and form models: what panelbot says, before any platform renders it.

``flows`` builds these from domain data; ``bot/slack`` turns them into Block Kit and
``bot/teams`` into Adaptive Cards. Keeping them small and frozen means both renderers
see the same information and the same actions, which a parity test checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class MessageKind(StrEnum):
    """What a message is for; adapters and the delivery ledger key on it."""

    BRIEFING = "briefing"
    INVITE = "invite"
    LOOP_SUMMARY = "loop_summary"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    CONFIRMATION = "confirmation"
    DEBRIEF = "debrief"
    DECISION = "decision"
    NOTICE = "notice"


class FormKind(StrEnum):
    SCORECARD = "scorecard"
    DECISION_REASON = "decision_reason"
    NEW_PANEL = "new_panel"
    NEW_REQUISITION = "new_requisition"
    INTERVIEWER_PROFILE = "interviewer_profile"
    AUTO_PANEL = "auto_panel"


class ActionId(StrEnum):
    """Every button panelbot sends. Platform manifests and handlers key on these ids."""

    OPEN_SCORECARD = "open_scorecard"
    VIEW_SCORECARDS = "view_scorecards"
    APPROVE = "decision_approve"
    REJECT = "decision_reject"
    MORE_INTERVIEWS = "decision_more_interviews"
    CHANGE_LOOP = "panel_change"


class Tone(StrEnum):
    NEUTRAL = "neutral"
    GOOD = "good"
    WARNING = "warning"
    DANGER = "danger"


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Fact:
    """A short label/value pair (``Score: 72/100``)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Section:
    """A block of prose with optional facts and bullet points under a heading."""

    text: str = ""
    heading: str | None = None
    facts: tuple[Fact, ...] = ()
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Action:
    """A button. ``value`` is the encoded interaction state (see ``flows.state``)."""

    action_id: ActionId
    label: str
    value: str
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message, e.g. the ``.ics`` invite."""

    filename: str
    content: bytes
    mime_type: str
    title: str


@dataclass(frozen=True, slots=True)
class Message:
    """One message to a person or channel."""

    kind: MessageKind
    title: str
    summary: str
    sections: tuple[Section, ...] = ()
    actions: tuple[Action, ...] = ()
    footer: str | None = None
    tone: Tone = Tone.NEUTRAL
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a choice input; ``description`` carries the anchor text."""

    value: str
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class ChoiceInput:
    """Pick exactly one of ``choices`` (an anchored rating, a recommendation)."""

    input_id: str
    label: str
    choices: tuple[Choice, ...]
    initial: str | None = None
    required: bool = True
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class MultiChoiceInput:
    """Tick any of ``choices`` (red flags)."""

    input_id: str
    label: str
    choices: tuple[Choice, ...]
    initial: tuple[str, ...] = ()
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class TextInput:
    """Free text, e.g. the evidence behind a rating."""

    input_id: str
    label: str
    initial: str = ""
    multiline: bool = True
    max_length: int = 3000
    required: bool = False
    placeholder: str | None = None
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class UserInput:
    """Pick a person of the workspace (an interviewer), or several with ``multiple``."""

    input_id: str
    label: str
    initial: str | None = None
    required: bool = True
    hint: str | None = None
    multiple: bool = False


@dataclass(frozen=True, slots=True)
class ChannelInput:
    """Pick a channel (the hiring channel of a requisition)."""

    input_id: str
    label: str
    initial: str | None = None
    required: bool = True
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class DateTimeInput:
    """A date and time; shown in the viewer's zone, returned as a UTC instant."""

    input_id: str
    label: str
    initial: datetime | None = None
    required: bool = True
    hint: str | None = None


FormInput = (
    ChoiceInput | MultiChoiceInput | TextInput | UserInput | DateTimeInput | ChannelInput
)


@dataclass(frozen=True, slots=True)
class Form:
    """A modal (Slack) or dialog (Teams). ``state`` is the encoded interaction state."""

    kind: FormKind
    title: str
    submit_label: str
    close_label: str
    state: str
    intro: tuple[Section, ...] = ()
    inputs: tuple[FormInput, ...] = ()
    secondary_submit_label: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def input(self, input_id: str) -> FormInput:
        for item in self.inputs:
            if item.input_id == input_id:
                return item
        raise KeyError(input_id)

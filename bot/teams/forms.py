"""Teams dialogs keep what the person typed: forms re-filled from submitted values.

Slack keeps a modal's values when it answers ``response_action: errors``; a Teams dialog
is re-rendered from scratch. So a dialog that failed validation is rebuilt with every
submitted value as the input's initial value (:func:`prefilled`) and the errors inline,
and nothing the person typed is lost. The same helper pre-fills a requisition's channel
when ``panel requisition`` is typed in that channel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import unquote, urlparse

from flows.messages import (
    ChannelInput,
    ChoiceInput,
    DateTimeInput,
    Form,
    FormInput,
    MultiChoiceInput,
    TextInput,
    UserInput,
)
from flows.scorecard import RawValues

LINK_MARKER = "/l/channel/"


def channel_from_text(text: str) -> str:
    """A channel id from what a person pasted: the id itself, or a "Get link to channel" URL.

    Teams' channel links look like ``https://teams.microsoft.com/l/channel/19%3a…%40thread.
    tacv2/General?groupId=…``; the id is the URL-encoded segment after ``/l/channel/``.
    """
    value = text.strip()
    if value.startswith(("https://", "http://")):
        path = urlparse(value).path
        if LINK_MARKER in path:
            return unquote(path.split(LINK_MARKER, 1)[1].split("/", 1)[0])
    return value


def _texts(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v]


def _with_value(item: FormInput, value: str | Sequence[str] | None) -> FormInput:
    texts = _texts(value)
    first = texts[0] if texts else None
    if isinstance(item, TextInput):
        return replace(item, initial=first or "")
    if isinstance(item, ChannelInput):
        return replace(item, initial=first)
    if isinstance(item, ChoiceInput):
        return replace(item, initial=first)
    if isinstance(item, MultiChoiceInput):
        return replace(item, initial=tuple(texts))
    if isinstance(item, UserInput):
        return replace(item, initial=",".join(texts) or None)
    if isinstance(item, DateTimeInput):
        try:
            moment = datetime.fromtimestamp(int(first), tz=UTC) if first else None
        except (ValueError, OverflowError):
            moment = None
        return replace(item, initial=moment)
    return item


def prefilled(
    form: Form, raw: RawValues, errors: Mapping[str, str] | None = None
) -> Form:
    """``form`` with ``raw`` values as initial values (inputs not in ``raw`` unchanged)."""
    inputs = tuple(
        _with_value(item, raw[item.input_id]) if item.input_id in raw else item
        for item in form.inputs
    )
    return replace(form, inputs=inputs, errors=dict(form.errors if errors is None else errors))

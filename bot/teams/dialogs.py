"""Neutral forms → Teams dialog (task module) cards, and submitted data → raw input values.

Each input becomes one Adaptive Card input whose ``id`` is the input id; Teams posts the
values of a ``task/submit`` in ``activity.value["data"]`` keyed by those ids, merged with
the submit button's own data (``action`` and ``state``), and :func:`dialog_values` maps
them back to the shape ``flows.scorecard.parse_values`` expects.

Errors are shown inline: the bot answers a submission that fails validation with
:func:`task_continue` of the same form carrying ``Form.errors``, and each message appears
in red right under its input, with a count at the top. Choice options show their full
anchor ("Label: description") in the option title, which wraps in the expanded style,
so nothing is cut and no separate anchor list is needed (unlike Slack's 75 characters).

Client-side ``isRequired`` is only set on forms without a secondary submit: Teams checks
required inputs before sending *any* Action.Submit that gathers inputs, so a required
rating would block "Save draft" of a half-filled scorecard. Those forms rely on the
server-side validation (``flows.scorecard.submit_errors``) shown inline instead.

People and date-time inputs are rendered by :mod:`bot.teams.pickers`; a date-time is
shown and read back in the viewer's time zone (``tz``, from ``activity.local_timezone``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from enum import StrEnum
from typing import Any

from bot.teams.cards import (
    MAX_CARD_BYTES,
    Card,
    Element,
    adaptive_card,
    card_attachment,
    card_size_bytes,
    sections_elements,
    text_blocks,
)
from bot.teams.pickers import (
    channel_element,
    date_time_elements,
    date_time_value,
    element_ids,
    user_element,
    zone,
)
from flows.messages import (
    ChannelInput,
    Choice,
    ChoiceInput,
    DateTimeInput,
    Form,
    FormInput,
    MultiChoiceInput,
    TextInput,
    UserInput,
)

RawValue = str | list[str] | None
# Keys of the submit buttons' data, merged by Teams with the input values.
RESERVED_IDS = frozenset({"action", "state", "msteams"})
# Teams sends a multi-select's values as one comma-joined string.
MULTI_SEPARATOR = ","
REQUIRED_CHOICE = "Choose one of the options."
REQUIRED_TEXT = "This cannot be empty."


class DialogAction(StrEnum):
    """Which button of a dialog was pressed (``data["action"]`` of a task/submit)."""

    SUBMIT = "submit"
    SAVE_DRAFT = "save_draft"


def _errors(text: str, **style: Any) -> list[Element]:
    return [
        {**block, "color": "Attention", "spacing": "Small"} for block in text_blocks(text, **style)
    ]


def _choice(choice: Choice) -> dict[str, str]:
    label, description = choice.label.strip(), choice.description.strip()
    title = f"{label}: {description}" if label and description else label or description
    return {"title": title or choice.value, "value": choice.value}


def _choice_set(item: ChoiceInput | MultiChoiceInput, *, client_required: bool) -> Element:
    if not item.choices:
        raise ValueError(f"input {item.input_id!r} has no choices")
    values = [choice.value for choice in item.choices]
    if len(set(values)) != len(values):
        raise ValueError(f"input {item.input_id!r} repeats a choice value")
    element: Element = {
        "type": "Input.ChoiceSet",
        "id": item.input_id,
        "label": item.label,
        "style": "expanded",
        "wrap": True,
        "choices": [_choice(choice) for choice in item.choices],
    }
    if isinstance(item, MultiChoiceInput):
        if any(MULTI_SEPARATOR in value for value in values):
            raise ValueError(
                f"input {item.input_id!r}: multi-select values cannot contain "
                f"{MULTI_SEPARATOR!r}; Teams joins the chosen values with it"
            )
        element["isMultiSelect"] = True
        chosen = [value for value in item.initial if value in values]
        if chosen:
            element["value"] = MULTI_SEPARATOR.join(chosen)
    else:
        if item.initial is not None and item.initial in values:
            element["value"] = item.initial
        if item.required and client_required:
            element["isRequired"] = True
            element["errorMessage"] = REQUIRED_CHOICE
    return element


def _text_input(item: TextInput, *, client_required: bool) -> Element:
    element: Element = {
        "type": "Input.Text",
        "id": item.input_id,
        "label": item.label,
        "isMultiline": item.multiline,
        "maxLength": max(1, item.max_length),
    }
    if item.initial:
        element["value"] = item.initial
    if item.placeholder and item.placeholder.strip():
        element["placeholder"] = item.placeholder.strip()
    if item.required and client_required:
        element["isRequired"] = True
        element["errorMessage"] = REQUIRED_TEXT
    return element


def input_elements(
    item: FormInput, *, error: str | None, client_required: bool, tz: tzinfo
) -> list[Element]:
    """The input (a date-time is two), then its error (red), then its hint (subtle)."""
    elements: list[Element]
    if isinstance(item, TextInput):
        elements = [_text_input(item, client_required=client_required)]
    elif isinstance(item, UserInput):
        elements = [user_element(item, client_required=client_required)]
    elif isinstance(item, ChannelInput):
        elements = [channel_element(item, client_required=client_required)]
    elif isinstance(item, DateTimeInput):
        elements = date_time_elements(item, tz=tz, client_required=client_required)
    else:
        elements = [_choice_set(item, client_required=client_required)]
    if error and error.strip():
        elements.extend(_errors(error))
    if item.hint and item.hint.strip():
        hint = text_blocks(item.hint, size="Small", isSubtle=True)
        elements.extend({**block, "spacing": "Small"} for block in hint)
    return elements


def _error_summary(form: Form, ids: set[str]) -> list[Element]:
    """The count of problems at the top, and any error that names no input."""
    count = len(form.errors)
    if not count:
        return []
    noun = "problem" if count == 1 else "problems"
    elements = _errors(f"Please fix {count} {noun} below.", weight="Bolder")
    for key, message in form.errors.items():
        if key not in ids:
            elements.extend(_errors(message))
    return elements


def _card_ids(item: FormInput) -> list[str]:
    if isinstance(item, UserInput | DateTimeInput):
        return element_ids(item)
    return [item.input_id]


def form_card(form: Form, *, tz: str | None = None) -> Card:
    """The Adaptive Card of a dialog for ``form``; ValueError if it cannot be rendered.

    ``tz`` is the viewer's IANA time zone (``activity.local_timezone``; UTC if None or
    unknown); only date-time inputs use it.

    The dialog's title and close button belong to the dialog, not the card (see
    :func:`task_continue`). Submit and the optional secondary submit ("Save draft") are
    both Action.Submit, telling themselves apart by ``data["action"]``
    (:class:`DialogAction`) and carrying ``form.state``.
    """
    ids = [item.input_id for item in form.inputs]
    card_ids = [card_id for item in form.inputs for card_id in _card_ids(item)]
    if len(set(ids)) != len(ids) or len(set(card_ids)) != len(card_ids):
        raise ValueError(f"form {form.kind.value!r} repeats an input id")
    reserved = RESERVED_IDS.intersection(card_ids)
    if reserved or not all(ids):
        raise ValueError(
            f"form {form.kind.value!r}: input ids must be non-empty and not "
            f"{sorted(RESERVED_IDS)} (the submit data uses them)"
        )
    client_required = not form.secondary_submit_label
    viewer_tz = zone(tz)
    body = _error_summary(form, set(ids))
    body.extend(sections_elements(form.intro, separators=False))
    for item in form.inputs:
        body.extend(
            input_elements(
                item,
                error=form.errors.get(item.input_id),
                client_required=client_required,
                tz=viewer_tz,
            )
        )
    actions: list[Element] = [
        {
            "type": "Action.Submit",
            "title": form.submit_label.strip() or "Submit",
            "style": "positive",
            "data": {"action": DialogAction.SUBMIT.value, "state": form.state},
        }
    ]
    if form.secondary_submit_label:
        actions.append(
            {
                "type": "Action.Submit",
                "title": form.secondary_submit_label.strip() or "Save draft",
                "data": {"action": DialogAction.SAVE_DRAFT.value, "state": form.state},
                "associatedInputs": "auto",
            }
        )
    card = adaptive_card(body, actions)
    size = card_size_bytes(card)
    if size > MAX_CARD_BYTES:
        raise ValueError(
            f"form {form.kind.value!r} renders to {size} bytes; a Teams card holds "
            f"{MAX_CARD_BYTES}. Split it over several dialogs."
        )
    return card


def _single(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return _single(value[0]) if value else None
    return str(value)


def _many(value: Any) -> list[str]:
    if value is None:
        return []
    parts = value if isinstance(value, list) else str(value).split(MULTI_SEPARATOR)
    return [text for part in parts if (text := str(part).strip())]


def dialog_values(
    data: Mapping[str, Any], *, form: Form, tz: str | None = None
) -> dict[str, RawValue]:
    """The submitted ``activity.value["data"]`` as raw values keyed by input id.

    The shape ``flows.scorecard.parse_values`` expects and ``bot.slack.forms.view_values``
    returns: a string, or None when empty, for single choices, people and text; a list of
    values for multi-selects (which Teams sends comma-joined); Unix seconds as a string
    for a date-time, read in ``tz`` as it was shown (see :func:`form_card`). Every input
    of ``form`` gets a key; the buttons' own keys (``action``, ``state``) and unknown
    keys are left out.
    """
    viewer_tz = zone(tz)
    raw: dict[str, RawValue] = {}
    for item in form.inputs:
        if isinstance(item, DateTimeInput):
            raw[item.input_id] = date_time_value(data, item, tz=viewer_tz)
        elif isinstance(item, MultiChoiceInput) or (isinstance(item, UserInput) and item.multiple):
            raw[item.input_id] = _many(data.get(item.input_id))
        else:
            raw[item.input_id] = _single(data.get(item.input_id))
    return raw


def dialog_action(data: Mapping[str, Any]) -> DialogAction:
    """Which dialog button was pressed; ValueError for data no panelbot dialog sends."""
    value = data.get("action")
    for action in DialogAction:
        if value == action.value:
            return action
    raise ValueError(f"not a panelbot dialog submission: action={value!r}")


def dialog_state(data: Mapping[str, Any]) -> str:
    """The encoded interaction state the dialog was opened with (see ``flows.state``)."""
    state = data.get("state")
    if not isinstance(state, str) or not state:
        raise ValueError("the dialog submission carries no state")
    return state


def task_continue(
    form: Form,
    *,
    title: str | None = None,
    height: str | int = "large",
    width: str | int = "large",
    tz: str | None = None,
) -> dict[str, Any]:
    """The invoke response that shows ``form`` in a dialog.

    Answers task/fetch (open the dialog) and task/submit when validation failed (the
    same dialog again, with the errors inline and the entered values kept, as long as
    ``form`` was rebuilt from them).
    """
    return {
        "task": {
            "type": "continue",
            "value": {
                "title": title if title is not None else form.title,
                "height": height,
                "width": width,
                "card": card_attachment(form_card(form, tz=tz)),
            },
        }
    }


def task_message(text: str) -> dict[str, Any]:
    """The invoke response that closes the dialog flow with a short message."""
    return {"task": {"type": "message", "value": text}}

"""Neutral forms → Slack modal views, and submitted view state → raw input values.

Each input becomes one ``input`` block whose ``block_id`` and element ``action_id`` are
both the input id, so ``view.state.values`` maps straight back to the form (see
:func:`view_values`). Option labels and descriptions Slack caps at 75 characters are
truncated, and whenever something is cut the full anchors are shown in a context block
right above the input, so an interviewer never rates against half an anchor.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, cast

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
)

from bot.slack import limits
from bot.slack.blockkit import (
    BULLET,
    HEADING_BOLD,
    Block,
    Line,
    context_blocks,
    escape,
    heading_lines,
    plain,
    plain_object,
    sections_blocks,
    truncate,
    wrap,
)
from flows.messages import (
    ChannelInput,
    Choice,
    ChoiceInput,
    DateTimeInput,
    Form,
    FormInput,
    FormKind,
    MultiChoiceInput,
    TextInput,
    UserInput,
)

SAVE_DRAFT_ACTION_ID = "scorecard_save_draft"
# Slack documents no limit for the messages of ``response_action: errors``; they show as
# one line under the input, so we keep them short.
ERROR_TEXT = 300
RawValue = str | list[str] | None


def save_draft_action_id(kind: FormKind) -> str:
    """The action_id of a form's secondary submit button (``scorecard_save_draft``)."""
    return f"{kind.value}_save_draft"


def _option(choice: Choice, *, describe: bool) -> Option:
    if not choice.value or len(choice.value) > limits.OPTION_VALUE:
        raise ValueError(
            f"option value {choice.value[:40]!r} must be 1 to {limits.OPTION_VALUE} characters"
        )
    description = choice.description.strip() if describe else ""
    return Option(
        value=choice.value,
        text=PlainTextObject(text=truncate(choice.label.strip(), limits.OPTION_TEXT) or "…"),
        description=(
            PlainTextObject(text=truncate(description, limits.OPTION_DESCRIPTION))
            if description
            else None
        ),
    )


def _anchor_lines(label: str, choices: Sequence[Choice]) -> list[Line]:
    limit = limits.TEXT_OBJECT
    lines = heading_lines(label, limit)
    for choice in choices:
        name = " ".join(choice.label.split())
        pieces = wrap(choice.description.strip(), limit) if choice.description.strip() else []
        dash = " — " if pieces else ""
        if len(escape(name)) < HEADING_BOLD:
            lines.append(Line(f"{BULLET}*{escape(name)}*{dash}"))
        else:
            lines.extend(wrap(f"{BULLET}{name}{dash}", limit))
        lines.extend(Line(p.text, joined=True) for p in pieces)
    return lines


def _cut(choices: Sequence[Choice], *, describe: bool) -> bool:
    """Whether Slack's option limits would hide part of a label or description."""
    return any(
        len(c.label.strip()) > limits.OPTION_TEXT
        or (
            len(c.description.strip()) > limits.OPTION_DESCRIPTION
            if describe
            else bool(c.description.strip())
        )
        for c in choices
    )


def _input(item: FormInput, element: Any, *, optional: bool) -> Block:
    if not item.input_id or len(item.input_id) > limits.ID_LENGTH:
        raise ValueError(
            f"input id {item.input_id[:40]!r} must be 1 to {limits.ID_LENGTH} characters"
        )
    hint = (item.hint or "").strip()
    return InputBlock(
        block_id=item.input_id,
        label=plain_object(item.label, limits.INPUT_LABEL),
        element=element,
        hint=plain_object(hint, limits.INPUT_HINT) if hint else None,
        optional=optional,
    ).to_dict()


def _choice_blocks(item: ChoiceInput | MultiChoiceInput) -> list[Block]:
    choices = item.choices
    multi = isinstance(item, MultiChoiceInput)
    if not choices or len(choices) > limits.SELECT_OPTIONS:
        raise ValueError(
            f"input {item.input_id!r} has {len(choices)} choices; Slack shows 1 to "
            f"{limits.SELECT_OPTIONS}"
        )
    buttons = len(choices) <= (limits.CHECKBOX_OPTIONS if multi else limits.RADIO_OPTIONS)
    options = [_option(c, describe=buttons) for c in choices]
    by_value = {o.value: o for o in options}
    element: Any
    if isinstance(item, MultiChoiceInput):
        initial = [by_value[v] for v in item.initial if v in by_value] or None
        element = (
            CheckboxesElement(action_id=item.input_id, options=options, initial_options=initial)
            if buttons
            else StaticMultiSelectElement(
                action_id=item.input_id,
                placeholder=PlainTextObject(text="Choose any"),
                options=options,
                initial_options=initial,
            )
        )
        optional = True
    else:
        chosen = by_value.get(item.initial) if item.initial is not None else None
        element = (
            RadioButtonsElement(action_id=item.input_id, options=options, initial_option=chosen)
            if buttons
            else StaticSelectElement(
                action_id=item.input_id,
                placeholder=PlainTextObject(text="Choose one"),
                options=options,
                initial_option=chosen,
            )
        )
        optional = not item.required
    anchors = (
        context_blocks(_anchor_lines(item.label, choices))
        if _cut(choices, describe=buttons)
        else []
    )
    return [*anchors, _input(item, element, optional=optional)]


def _text_blocks(item: TextInput) -> list[Block]:
    placeholder = (item.placeholder or "").strip()
    element = PlainTextInputElement(
        action_id=item.input_id,
        placeholder=plain_object(placeholder, limits.PLACEHOLDER) if placeholder else None,
        initial_value=item.initial or None,
        multiline=item.multiline,
        max_length=max(1, min(item.max_length, limits.TEXT_INPUT_MAX_LENGTH)),
    )
    return [_input(item, element, optional=not item.required)]


def _picker_blocks(item: UserInput | DateTimeInput | ChannelInput) -> list[Block]:
    element: dict[str, Any]
    if isinstance(item, UserInput) and item.multiple:
        element = {"type": "multi_users_select", "action_id": item.input_id,
                   "placeholder": {"type": "plain_text", "text": "Choose people"}}
        if item.initial:
            element["initial_users"] = [item.initial]
    elif isinstance(item, UserInput):
        element = {"type": "users_select", "action_id": item.input_id,
                   "placeholder": {"type": "plain_text", "text": "Choose a person"}}
        if item.initial:
            element["initial_user"] = item.initial
    elif isinstance(item, ChannelInput):
        element = {"type": "conversations_select", "action_id": item.input_id,
                   "placeholder": {"type": "plain_text", "text": "Choose a channel"},
                   "filter": {"include": ["public", "private"], "exclude_bot_users": True}}
        if item.initial:
            element["initial_conversation"] = item.initial
    else:
        element = {"type": "datetimepicker", "action_id": item.input_id}
        if item.initial is not None:
            element["initial_date_time"] = int(item.initial.timestamp())
    return [_input(item, element, optional=not item.required)]


def input_blocks(item: FormInput) -> list[Block]:
    if isinstance(item, TextInput):
        return _text_blocks(item)
    if isinstance(item, UserInput | DateTimeInput | ChannelInput):
        return _picker_blocks(item)
    return _choice_blocks(item)


_STATE_TOKEN = "__panelbot_form_state__"


def form_view(form: Form, *, callback_id: str) -> dict[str, Any]:
    """A modal view for ``form`` (see :func:`render_form_view`), rendered once per shape.

    Scorecard modals of one stage differ only in their state and pre-filled values, and
    building Block Kit through slack-sdk's models costs milliseconds on the event loop;
    so each distinct form shape is rendered once and its state filled in per request.
    """
    if len(form.state) > limits.PRIVATE_METADATA:
        raise ValueError(
            f"form state is {len(form.state)} characters, over {limits.PRIVATE_METADATA}"
        )
    if not form.state:
        return render_form_view(form, callback_id=callback_id)
    key = (
        form.kind, form.title, form.submit_label, form.close_label,
        form.secondary_submit_label, form.intro, form.inputs, callback_id,
    )
    template = _template(key, form, callback_id)
    return cast(
        dict[str, Any], json.loads(template.replace(_STATE_TOKEN, json.dumps(form.state)[1:-1]))
    )


_TEMPLATES: dict[tuple[Any, ...], str] = {}
_TEMPLATE_LIMIT = 512


def _template(key: tuple[Any, ...], form: Form, callback_id: str) -> str:
    template = _TEMPLATES.get(key)
    if template is None:
        shape = replace(form, state=_STATE_TOKEN, errors={})
        template = json.dumps(render_form_view(shape, callback_id=callback_id))
        if len(_TEMPLATES) >= _TEMPLATE_LIMIT:
            _TEMPLATES.pop(next(iter(_TEMPLATES)))
        _TEMPLATES[key] = template
    return template


def render_form_view(form: Form, *, callback_id: str) -> dict[str, Any]:
    """A modal view for ``form``; raises ValueError if it cannot fit in one modal.

    ``Form.errors`` is not rendered: answer the submission with
    ``ack(response_action="errors", errors=form_errors(form))`` instead.

    Slack modals have one submit button, so ``Form.secondary_submit_label`` (the
    scorecard's "Save draft") becomes a button at the end of the modal with action_id
    :func:`save_draft_action_id` (``scorecard_save_draft``) and ``value = form.state``.
    Its click arrives as a ``block_actions`` payload, not a submission: the handler reads
    what was typed so far from ``body["view"]["state"]["values"]`` (via
    :func:`view_values`) and the state from ``body["view"]["private_metadata"]``.
    """
    if not callback_id or len(callback_id) > limits.CALLBACK_ID:
        raise ValueError(f"callback_id must be 1 to {limits.CALLBACK_ID} characters")
    if len(form.state) > limits.PRIVATE_METADATA:
        raise ValueError(
            f"form state is {len(form.state)} characters, over {limits.PRIVATE_METADATA}"
        )
    ids = [item.input_id for item in form.inputs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"form {form.kind.value!r} repeats an input id")
    blocks = sections_blocks(form.intro, dividers=False)
    for item in form.inputs:
        blocks.extend(input_blocks(item))
    if form.secondary_submit_label:
        if len(form.state) > limits.BUTTON_VALUE:
            raise ValueError(f"form state is too long for a button value ({limits.BUTTON_VALUE})")
        button = ButtonElement(
            text=plain_object(form.secondary_submit_label, limits.BUTTON_TEXT),
            action_id=save_draft_action_id(form.kind),
            value=form.state,
        )
        blocks.append(ActionsBlock(elements=[button]).to_dict())
    if len(blocks) > limits.SURFACE_BLOCKS:
        raise ValueError(
            f"form {form.kind.value!r} needs {len(blocks)} blocks; a modal holds "
            f"{limits.SURFACE_BLOCKS}. Split it over several views."
        )
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(form.title, limits.MODAL_TITLE, fallback="panelbot"),
        "submit": plain(form.submit_label, limits.MODAL_BUTTON, fallback="Submit"),
        "close": plain(form.close_label, limits.MODAL_BUTTON, fallback="Close"),
        "private_metadata": form.state,
        "notify_on_close": False,
        "blocks": blocks,
    }


def form_errors(form: Form) -> dict[str, str]:
    """``Form.errors`` as the ``errors`` of ``ack(response_action="errors", ...)``.

    Keys are block ids (the input ids). An error about something that is not an input
    is shown under the first input rather than lost.
    """
    ids = [item.input_id for item in form.inputs]
    errors: dict[str, str] = {}
    stray: list[str] = []
    for key, message in form.errors.items():
        if key in ids:
            errors[key] = message
        else:
            stray.append(message)
    if stray and ids:
        errors[ids[0]] = " ".join([errors.get(ids[0], ""), *stray]).strip()
    return {key: truncate(message, ERROR_TEXT) for key, message in errors.items()}


def _state_value(state: Mapping[str, Any]) -> RawValue:
    kind = state.get("type")
    if "selected_options" in state or kind in ("checkboxes", "multi_static_select"):
        return [str(o["value"]) for o in state.get("selected_options") or [] if "value" in o]
    if "selected_option" in state or kind in ("radio_buttons", "static_select", "overflow"):
        option = state.get("selected_option")
        return str(option["value"]) if option else None
    for key in ("selected_users", "selected_channels", "selected_conversations"):
        if key in state:
            return [str(v) for v in state[key] or []]
    for key in (
        "value",
        "selected_date_time",
        "selected_date",
        "selected_time",
        "selected_user",
        "selected_channel",
        "selected_conversation",
    ):
        if key in state:
            return None if state[key] is None else str(state[key])
    return None


def view_values(state_values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, RawValue]:
    """Slack's ``view.state.values`` as raw values keyed by input id.

    The shape ``flows.scorecard.parse_values`` expects: a string (or None) for radio
    buttons, selects and text; a list of option values for checkboxes and multi-selects.
    Input ids are block ids; a block holding several elements is keyed by action_id.
    """
    raw: dict[str, RawValue] = {}
    for block_id, actions in state_values.items():
        for action_id, state in actions.items():
            key = block_id if len(actions) == 1 else action_id
            raw[key] = _state_value(state)
    return raw

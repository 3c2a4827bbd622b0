"""Slack's documented Block Kit limits, and checks that report every violation.

Sources (Slack reference pages on docs.slack.dev, cross-checked against the validators in
``slack_sdk.models``): "Blocks" (50 blocks a message, 100 in modals and Home tabs), the
section, header, context, actions and input block pages, the button, radio button,
checkbox, select and plain-text input element pages, the option and text composition
objects, "Modal views" (title/submit/close 24, private_metadata 3000, callback_id 255)
and chat.postMessage (the top-level ``text`` is the notification fallback; Slack truncates
it past 40,000 characters).

``MESSAGE_TEXT_TOTAL`` is not documented: Slack rejects messages whose blocks carry too
much text in total with ``msg_blocks_too_long`` (slackapi/bolt-js#2509, #2867 report it
near 12,000 characters). We flag messages above it and the renderer stays well below.

The checks return human-readable strings with a JSON path; an empty list means the
payload is within every limit we know of.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100
MESSAGE_FALLBACK_TEXT = 40_000
MESSAGE_TEXT_TOTAL = 11_000
TEXT_OBJECT = 3000
HEADER_TEXT = 150
SECTION_TEXT = 3000
SECTION_FIELDS = 10
SECTION_FIELD_TEXT = 2000
MARKDOWN_BLOCK_TEXT = 12_000
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
ID_LENGTH = 255
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
URL_LENGTH = 3000
INPUT_LABEL = 2000
INPUT_HINT = 2000
PLACEHOLDER = 150
TEXT_INPUT_MAX_LENGTH = 3000
RADIO_OPTIONS = 10
CHECKBOX_OPTIONS = 10
OVERFLOW_OPTIONS = 5
SELECT_OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTION_DESCRIPTION = 75
MODAL_TITLE = 24
MODAL_BUTTON = 24
PRIVATE_METADATA = 3000
CALLBACK_ID = 255
IMAGE_ALT_TEXT = 2000

# fmt: off
BLOCK_TYPES = frozenset({
    "actions", "context", "divider", "file", "header", "image", "input", "markdown",
    "rich_text", "section", "video",
})
SELECT_TYPES = frozenset(
    f"{multi}{kind}_select"
    for multi in ("", "multi_")
    for kind in ("static", "external", "users", "conversations", "channels")
)
INPUT_ONLY = frozenset({
    "plain_text_input", "email_text_input", "url_text_input", "number_input",
    "rich_text_input", "file_input",
})
ELEMENT_TYPES = SELECT_TYPES | INPUT_ONLY | frozenset({
    "button", "checkboxes", "radio_buttons", "overflow", "datepicker", "timepicker",
    "datetimepicker", "image", "workflow_button",
})
# fmt: on


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.block_ids: set[str] = set()

    def add(self, path: str, problem: str) -> None:
        self.problems.append(f"{path}: {problem}")

    def length(self, path: str, value: object, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, f"{len(value)} characters, the limit is {limit}")

    def text(
        self, path: str, obj: object, limit: int, *, plain: bool = False, required: bool = True
    ) -> None:
        if obj is None:
            if required:
                self.add(path, "missing text object")
            return
        if not isinstance(obj, Mapping):
            self.add(path, "text must be a text object")
            return
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn"):
            self.add(path, f"unknown text type {kind!r}")
        elif plain and kind != "plain_text":
            self.add(path, "must be plain_text")
        value = obj.get("text")
        if not isinstance(value, str) or not value.strip():
            self.add(f"{path}.text", "text must not be empty")
            return
        self.length(f"{path}.text", value, limit)

    def identifier(self, path: str, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, str) or not value:
            self.add(path, "must be a non-empty string")
            return
        self.length(path, value, ID_LENGTH)

    # --- blocks -----------------------------------------------------------------------

    def blocks(self, blocks: object, *, limit: int, path: str = "blocks") -> None:
        if not isinstance(blocks, list):
            self.add(path, "blocks must be a list")
            return
        if len(blocks) > limit:
            self.add(path, f"{len(blocks)} blocks, the limit is {limit}")
        for index, block in enumerate(blocks):
            self.block(f"{path}[{index}]", block)

    def block(self, path: str, block: object) -> None:
        if not isinstance(block, Mapping):
            self.add(path, "a block must be an object")
            return
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            self.add(path, f"unknown block type {kind!r}")
            return
        block_id = block.get("block_id")
        self.identifier(f"{path}.block_id", block_id)
        if isinstance(block_id, str):
            if block_id in self.block_ids:
                self.add(f"{path}.block_id", f"duplicate block_id {block_id!r}")
            self.block_ids.add(block_id)
        check = getattr(self, f"_block_{kind}", None)
        if check is not None:
            check(path, block)

    def _block_header(self, path: str, block: Mapping[str, Any]) -> None:
        self.text(f"{path}.text", block.get("text"), HEADER_TEXT, plain=True)

    def _block_section(self, path: str, block: Mapping[str, Any]) -> None:
        fields = block.get("fields")
        if block.get("text") is None and not fields:
            self.add(path, "a section needs text or fields")
        self.text(f"{path}.text", block.get("text"), SECTION_TEXT, required=False)
        if fields is not None:
            if not isinstance(fields, list):
                self.add(f"{path}.fields", "fields must be a list")
            else:
                if len(fields) > SECTION_FIELDS:
                    self.add(
                        f"{path}.fields", f"{len(fields)} fields, the limit is {SECTION_FIELDS}"
                    )
                for i, field in enumerate(fields):
                    self.text(f"{path}.fields[{i}]", field, SECTION_FIELD_TEXT)
        if block.get("accessory") is not None:
            self.element(f"{path}.accessory", block["accessory"], in_input=False)

    def _block_markdown(self, path: str, block: Mapping[str, Any]) -> None:
        value = block.get("text")
        if not isinstance(value, str) or not value.strip():
            self.add(f"{path}.text", "text must not be empty")
        self.length(f"{path}.text", value, MARKDOWN_BLOCK_TEXT)

    def _block_context(self, path: str, block: Mapping[str, Any]) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add(f"{path}.elements", "a context block needs 1 to 10 elements")
            return
        if len(elements) > CONTEXT_ELEMENTS:
            self.add(
                f"{path}.elements", f"{len(elements)} elements, the limit is {CONTEXT_ELEMENTS}"
            )
        for i, element in enumerate(elements):
            if isinstance(element, Mapping) and element.get("type") == "image":
                self.element(f"{path}.elements[{i}]", element, in_input=False)
            else:
                self.text(f"{path}.elements[{i}]", element, TEXT_OBJECT)

    def _block_actions(self, path: str, block: Mapping[str, Any]) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add(f"{path}.elements", "an actions block needs 1 to 25 elements")
            return
        if len(elements) > ACTIONS_ELEMENTS:
            self.add(
                f"{path}.elements", f"{len(elements)} elements, the limit is {ACTIONS_ELEMENTS}"
            )
        seen: set[str] = set()
        for i, element in enumerate(elements):
            self.element(f"{path}.elements[{i}]", element, in_input=False)
            action_id = element.get("action_id") if isinstance(element, Mapping) else None
            if isinstance(action_id, str):
                if action_id in seen:
                    self.add(
                        f"{path}.elements[{i}].action_id", f"duplicate action_id {action_id!r}"
                    )
                seen.add(action_id)

    def _block_input(self, path: str, block: Mapping[str, Any]) -> None:
        self.text(f"{path}.label", block.get("label"), INPUT_LABEL, plain=True)
        self.text(f"{path}.hint", block.get("hint"), INPUT_HINT, plain=True, required=False)
        if block.get("element") is None:
            self.add(f"{path}.element", "an input block needs an element")
        else:
            self.element(f"{path}.element", block["element"], in_input=True)

    def _block_image(self, path: str, block: Mapping[str, Any]) -> None:
        self.length(f"{path}.image_url", block.get("image_url"), URL_LENGTH)
        self.length(f"{path}.alt_text", block.get("alt_text"), IMAGE_ALT_TEXT)

    # --- elements ---------------------------------------------------------------------

    def element(self, path: str, element: object, *, in_input: bool) -> None:
        if not isinstance(element, Mapping):
            self.add(path, "an element must be an object")
            return
        kind = element.get("type")
        if kind not in ELEMENT_TYPES:
            self.add(path, f"unknown element type {kind!r}")
            return
        if kind in INPUT_ONLY and not in_input:
            self.add(path, f"{kind} only works inside an input block")
        if kind == "button" and in_input:
            self.add(path, "a button cannot be the element of an input block")
        self.identifier(f"{path}.action_id", element.get("action_id"))
        self.text(
            f"{path}.placeholder",
            element.get("placeholder"),
            PLACEHOLDER,
            plain=True,
            required=False,
        )
        if kind == "button":
            self.text(f"{path}.text", element.get("text"), BUTTON_TEXT, plain=True)
            self.length(f"{path}.value", element.get("value"), BUTTON_VALUE)
            self.length(f"{path}.url", element.get("url"), URL_LENGTH)
            if element.get("style") not in (None, "primary", "danger"):
                self.add(f"{path}.style", f"unknown style {element.get('style')!r}")
        elif kind == "radio_buttons":
            self.options(path, element, RADIO_OPTIONS, plain=False)
        elif kind == "checkboxes":
            self.options(path, element, CHECKBOX_OPTIONS, plain=False)
        elif kind == "overflow":
            self.options(path, element, OVERFLOW_OPTIONS, plain=True)
        elif kind in ("static_select", "multi_static_select"):
            self.options(path, element, SELECT_OPTIONS, plain=True)
        elif kind == "plain_text_input":
            self.text_input(path, element)
        elif kind == "image":
            self.length(f"{path}.image_url", element.get("image_url"), URL_LENGTH)
            self.length(f"{path}.alt_text", element.get("alt_text"), IMAGE_ALT_TEXT)

    def options(self, path: str, element: Mapping[str, Any], limit: int, *, plain: bool) -> None:
        options = element.get("options")
        groups = element.get("option_groups")
        if options is None and isinstance(groups, list):
            options = [o for g in groups if isinstance(g, Mapping) for o in g.get("options") or []]
            if len(groups) > SELECT_OPTIONS:
                self.add(
                    f"{path}.option_groups", f"{len(groups)} groups, the limit is {SELECT_OPTIONS}"
                )
        if not isinstance(options, list) or not options:
            self.add(f"{path}.options", "at least one option is required")
            return
        if len(options) > limit:
            self.add(f"{path}.options", f"{len(options)} options, the limit is {limit}")
        values: list[object] = []
        for i, option in enumerate(options):
            self.option(f"{path}.options[{i}]", option, plain=plain)
            values.append(option.get("value") if isinstance(option, Mapping) else None)
        if len(set(map(str, values))) != len(values):
            self.add(f"{path}.options", "option values must be unique")
        chosen = list(element.get("initial_options") or [])
        if element.get("initial_option") is not None:
            chosen.append(element["initial_option"])
        for option in chosen:
            if option not in options:
                self.add(f"{path}", "an initial option must be exactly one of the options")

    def option(self, path: str, option: object, *, plain: bool) -> None:
        if not isinstance(option, Mapping):
            self.add(path, "an option must be an object")
            return
        self.text(f"{path}.text", option.get("text"), OPTION_TEXT, plain=plain)
        value = option.get("value")
        if not isinstance(value, str) or not value:
            self.add(f"{path}.value", "an option needs a non-empty value")
        self.length(f"{path}.value", value, OPTION_VALUE)
        self.text(
            f"{path}.description",
            option.get("description"),
            OPTION_DESCRIPTION,
            plain=True,
            required=False,
        )

    def text_input(self, path: str, element: Mapping[str, Any]) -> None:
        max_length = element.get("max_length")
        if max_length is not None and not (
            isinstance(max_length, int) and 1 <= max_length <= TEXT_INPUT_MAX_LENGTH
        ):
            self.add(f"{path}.max_length", f"must be between 1 and {TEXT_INPUT_MAX_LENGTH}")
        min_length = element.get("min_length")
        if min_length is not None and not (
            isinstance(min_length, int) and 0 <= min_length <= TEXT_INPUT_MAX_LENGTH
        ):
            self.add(f"{path}.min_length", f"must be between 0 and {TEXT_INPUT_MAX_LENGTH}")
        initial = element.get("initial_value")
        if isinstance(initial, str) and isinstance(max_length, int):
            self.length(f"{path}.initial_value", initial, max_length)


def _text_total(node: object) -> int:
    if isinstance(node, Mapping):
        return sum(
            len(v) if k == "text" and isinstance(v, str) else _text_total(v)
            for k, v in node.items()
        )
    if isinstance(node, list):
        return sum(_text_total(item) for item in node)
    return 0


def check_message(payload: Mapping[str, Any]) -> list[str]:
    """Violations in a chat.postMessage / chat.update / response_url payload."""
    checker = _Checker()
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        checker.add("text", "a message needs a non-empty top-level text (notification fallback)")
    else:
        checker.length("text", text, MESSAGE_FALLBACK_TEXT)
    blocks = payload.get("blocks")
    if blocks is not None:
        checker.blocks(blocks, limit=MESSAGE_BLOCKS)
        total = _text_total(blocks)
        if total > MESSAGE_TEXT_TOTAL:
            checker.add(
                "blocks",
                f"{total} characters of text in total; Slack rejects long messages "
                f"(msg_blocks_too_long), keep under {MESSAGE_TEXT_TOTAL}",
            )
    return checker.problems


def check_view(view: Mapping[str, Any]) -> list[str]:
    """Violations in a modal or Home tab view object."""
    checker = _Checker()
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.add("type", f"unknown view type {kind!r}")
    blocks = view.get("blocks")
    checker.blocks(blocks, limit=SURFACE_BLOCKS)
    if kind == "modal":
        checker.text("title", view.get("title"), MODAL_TITLE, plain=True)
        checker.text("submit", view.get("submit"), MODAL_BUTTON, plain=True, required=False)
        checker.text("close", view.get("close"), MODAL_BUTTON, plain=True, required=False)
        has_input = isinstance(blocks, list) and any(
            isinstance(b, Mapping) and b.get("type") == "input" for b in blocks
        )
        if has_input and view.get("submit") is None:
            checker.add("submit", "a modal with input blocks needs a submit button")
    checker.length("private_metadata", view.get("private_metadata"), PRIVATE_METADATA)
    checker.identifier("callback_id", view.get("callback_id"))
    checker.length("callback_id", view.get("callback_id"), CALLBACK_ID)
    return checker.problems

"""check_message and check_view report each violation of Slack's documented limits."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from bot.slack.limits import check_message, check_view

Payload = dict[str, Any]


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def option(value: str, text: str = "Option", description: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"text": plain(text), "value": value}
    if description is not None:
        found["description"] = plain(description)
    return found


def valid_view() -> Payload:
    return {
        "type": "modal",
        "callback_id": "scorecard",
        "title": plain("Scorecard"),
        "submit": plain("Submit"),
        "close": plain("Close"),
        "private_metadata": '{"v":1}',
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "*Intro*"}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "anchors"}]},
            {
                "type": "input",
                "block_id": "rating",
                "label": plain("Rating"),
                "hint": plain("Pick one"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": "rating",
                    "options": [option("a", "A", "first"), option("b", "B")],
                    "initial_option": option("a", "A", "first"),
                },
            },
            {
                "type": "input",
                "block_id": "flags",
                "optional": True,
                "label": plain("Flags"),
                "element": {
                    "type": "checkboxes",
                    "action_id": "flags",
                    "options": [option("f1"), option("f2")],
                },
            },
            {
                "type": "input",
                "block_id": "level",
                "label": plain("Level"),
                "element": {
                    "type": "static_select",
                    "action_id": "level",
                    "placeholder": plain("Choose"),
                    "options": [option("l1")],
                },
            },
            {
                "type": "input",
                "block_id": "note",
                "label": plain("Note"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": "note",
                    "multiline": True,
                    "max_length": 3000,
                    "placeholder": plain("What happened?"),
                },
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "scorecard_save_draft",
                        "text": plain("Save draft"),
                        "value": "{}",
                    },
                ],
            },
        ],
    }


def valid_message() -> Payload:
    return {
        "text": "Fallback",
        "blocks": [
            {"type": "header", "text": plain("Title")},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "Body"},
                "fields": [{"type": "mrkdwn", "text": "*A*\n1"}],
            },
            {"type": "divider"},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "footer"}]},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "decision_approve",
                        "text": plain("Approve"),
                        "value": "v",
                        "style": "primary",
                    },
                ],
            },
        ],
    }


def test_the_valid_payloads_pass() -> None:
    assert check_view(valid_view()) == []
    assert check_view({**valid_view(), "type": "home"}) == []
    assert check_message(valid_message()) == []


def block(view: Payload, block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


Mutation = Callable[[Payload], None]

VIEW_CASES: list[tuple[str, Mutation, str]] = [
    ("title of 30 characters", lambda v: v.update(title=plain("x" * 30)), "title.text"),
    ("submit of 25", lambda v: v.update(submit=plain("x" * 25)), "submit.text"),
    ("close of 25", lambda v: v.update(close=plain("x" * 25)), "close.text"),
    (
        "mrkdwn title",
        lambda v: v.update(title={"type": "mrkdwn", "text": "T"}),
        "must be plain_text",
    ),
    ("no submit with inputs", lambda v: v.pop("submit"), "submit"),
    (
        "101 blocks",
        lambda v: v["blocks"].extend({"type": "divider"} for _ in range(94)),
        "101 blocks",
    ),
    ("private_metadata", lambda v: v.update(private_metadata="x" * 3001), "private_metadata"),
    ("callback_id", lambda v: v.update(callback_id="x" * 256), "callback_id"),
    (
        "radio with 11 options",
        lambda v: block(v, "rating")["element"].update(
            options=[option(f"o{i}") for i in range(11)], initial_option=None
        ),
        "11 options, the limit is 10",
    ),
    (
        "checkboxes with 11 options",
        lambda v: block(v, "flags")["element"].update(options=[option(f"o{i}") for i in range(11)]),
        "11 options, the limit is 10",
    ),
    (
        "static select with 101 options",
        lambda v: block(v, "level")["element"].update(
            options=[option(f"o{i}") for i in range(101)]
        ),
        "101 options, the limit is 100",
    ),
    (
        "option text 76",
        lambda v: block(v, "flags")["element"]["options"][0].update(text=plain("x" * 76)),
        "options[0].text.text",
    ),
    (
        "option value 151",
        lambda v: block(v, "flags")["element"]["options"][0].update(value="x" * 151),
        "options[0].value",
    ),
    (
        "option description 76",
        lambda v: block(v, "flags")["element"]["options"][0].update(description=plain("x" * 76)),
        "options[0].description.text",
    ),
    (
        "duplicate option values",
        lambda v: block(v, "flags")["element"].update(options=[option("same"), option("same")]),
        "unique",
    ),
    (
        "mrkdwn option in a select",
        lambda v: block(v, "level")["element"]["options"][0].update(
            text={"type": "mrkdwn", "text": "x"}
        ),
        "must be plain_text",
    ),
    (
        "initial option not offered",
        lambda v: block(v, "rating")["element"].update(initial_option=option("zzz")),
        "initial option",
    ),
    ("label 2001", lambda v: block(v, "note").update(label=plain("x" * 2001)), "label.text"),
    ("hint 2001", lambda v: block(v, "rating").update(hint=plain("x" * 2001)), "hint.text"),
    (
        "max_length 3001",
        lambda v: block(v, "note")["element"].update(max_length=3001),
        "max_length",
    ),
    (
        "placeholder 151",
        lambda v: block(v, "note")["element"].update(placeholder=plain("x" * 151)),
        "placeholder.text",
    ),
    (
        "initial value over max_length",
        lambda v: block(v, "note")["element"].update(max_length=5, initial_value="x" * 6),
        "initial_value",
    ),
    ("block_id 256", lambda v: v["blocks"][0].update(block_id="x" * 256), "block_id"),
    (
        "duplicate block_id",
        lambda v: v["blocks"][0].update(block_id="rating"),
        "duplicate block_id",
    ),
    (
        "unknown block type",
        lambda v: v["blocks"].append({"type": "carousel_of_doom"}),
        "unknown block type",
    ),
    (
        "unknown element type",
        lambda v: block(v, "note").update(element={"type": "telepathy", "action_id": "x"}),
        "unknown element type",
    ),
    (
        "button inside an input",
        lambda v: block(v, "note").update(element={"type": "button", "text": plain("x")}),
        "cannot be the element",
    ),
    ("empty mrkdwn", lambda v: v["blocks"][0]["text"].update(text="  "), "must not be empty"),
    (
        "context with 11 elements",
        lambda v: v["blocks"][1].update(elements=[{"type": "mrkdwn", "text": "x"}] * 11),
        "11 elements",
    ),
    (
        "action_id 256",
        lambda v: v["blocks"][-1]["elements"][0].update(action_id="x" * 256),
        "action_id",
    ),
    ("unknown view type", lambda v: v.update(type="sidebar"), "unknown view type"),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [(m, e) for _, m, e in VIEW_CASES],
    ids=[name for name, _, _ in VIEW_CASES],
)
def test_check_view_reports(mutate: Mutation, expected: str) -> None:
    view = copy.deepcopy(valid_view())
    mutate(view)
    problems = check_view(view)
    assert problems, "the violation went unnoticed"
    assert any(expected in problem for problem in problems), problems


def section(v: Payload) -> dict[str, Any]:
    found: dict[str, Any] = v["blocks"][1]
    return found


def button(v: Payload) -> dict[str, Any]:
    found: dict[str, Any] = v["blocks"][-1]["elements"][0]
    return found


MESSAGE_CASES: list[tuple[str, Mutation, str]] = [
    ("no fallback text", lambda m: m.pop("text"), "top-level text"),
    ("empty fallback text", lambda m: m.update(text=" "), "top-level text"),
    ("fallback over 40,000", lambda m: m.update(text="x" * 40_001), "40000"),
    (
        "51 blocks",
        lambda m: m["blocks"].extend({"type": "divider"} for _ in range(46)),
        "51 blocks",
    ),
    ("header 151", lambda m: m["blocks"][0].update(text=plain("x" * 151)), "limit is 150"),
    (
        "mrkdwn header",
        lambda m: m["blocks"][0].update(text={"type": "mrkdwn", "text": "x"}),
        "must be plain_text",
    ),
    ("section text 3001", lambda m: section(m)["text"].update(text="x" * 3001), "limit is 3000"),
    (
        "11 fields",
        lambda m: section(m).update(fields=[{"type": "mrkdwn", "text": "f"}] * 11),
        "11 fields",
    ),
    (
        "field 2001",
        lambda m: section(m).update(fields=[{"type": "mrkdwn", "text": "x" * 2001}]),
        "limit is 2000",
    ),
    (
        "section without text or fields",
        lambda m: m["blocks"].__setitem__(1, {"type": "section"}),
        "needs text or fields",
    ),
    ("button text 76", lambda m: button(m).update(text=plain("x" * 76)), "limit is 75"),
    ("button value 2001", lambda m: button(m).update(value="x" * 2001), "value"),
    ("button style", lambda m: button(m).update(style="loud"), "unknown style"),
    (
        "26 buttons",
        lambda m: m["blocks"][-1].update(
            elements=[{**button(m), "action_id": f"a{i}"} for i in range(26)]
        ),
        "26 elements",
    ),
    (
        "duplicate action_id in a block",
        lambda m: m["blocks"][-1]["elements"].append(copy.deepcopy(button(m))),
        "duplicate action_id",
    ),
    (
        "text input outside an input block",
        lambda m: m["blocks"][-1]["elements"].append(
            {"type": "plain_text_input", "action_id": "t"}
        ),
        "only works inside an input block",
    ),
    (
        "too much text in total",
        lambda m: m["blocks"].extend(
            {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3000}} for _ in range(4)
        ),
        "msg_blocks_too_long",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [(m, e) for _, m, e in MESSAGE_CASES],
    ids=[name for name, _, _ in MESSAGE_CASES],
)
def test_check_message_reports(mutate: Mutation, expected: str) -> None:
    message = copy.deepcopy(valid_message())
    mutate(message)
    problems = check_message(message)
    assert problems, "the violation went unnoticed"
    assert any(expected in problem for problem in problems), problems


def test_problems_name_the_path() -> None:
    view = valid_view()
    block(view, "rating")["element"]["options"][1]["text"] = plain("x" * 80)
    assert check_view(view) == [
        "blocks[2].element.options[1].text.text: 80 characters, the limit is 75"
    ]

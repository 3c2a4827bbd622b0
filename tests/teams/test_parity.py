"""Slack and Teams render the same example to the same actions, inputs and text.

Whatever a person can do or read on one platform they can on the other: the same buttons
carrying the same state in the same order, the same inputs with the same choice values,
every piece of section text, and the same validation messages.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.forms import form_errors, form_view, save_draft_action_id
from bot.slack.render import message_payloads
from bot.teams.render import form_card, message_cards
from flows.briefing import example_briefing
from flows.decision import Outcome, build_reason_form, example_decision
from flows.messages import (
    Action,
    ActionId,
    ButtonStyle,
    ChoiceInput,
    Form,
    Message,
    MessageKind,
    MultiChoiceInput,
    Section,
)
from flows.scorecard import example_scorecard_form
from rubrics.schema import Kit
from tests.teams.cardtools import actions, inputs, slack_texts, slack_unescape, squeeze, texts
from tests.teams.examples import debrief_like, new_panel_example


def example_messages(kit: Kit) -> dict[str, Message]:
    many = tuple(
        Action(ActionId.OPEN_SCORECARD, f"Interview {i}", f'{{"interview":{i},"v":1}}')
        for i in range(8)
    )
    return {
        "briefing": example_briefing(kit),
        "decision": example_decision(),
        "long_debrief": debrief_like(),
        "many_buttons": Message(
            kind=MessageKind.REMINDER,
            title="Scorecards due",
            summary="Scorecards due",
            sections=(Section(text="Eight interviews are waiting for a scorecard."),),
            actions=(*many, Action(ActionId.VIEW_SCORECARDS, "All", "{}", ButtonStyle.PRIMARY)),
        ),
    }


def example_forms(kit: Kit) -> dict[str, Form]:
    return {
        "scorecard": example_scorecard_form(kit),
        "reason": build_reason_form(panel_id=7, outcome=Outcome.REJECT, candidate_name="Priya"),
        "new_panel": new_panel_example(kit),
    }


def section_texts(sections: tuple[Section, ...]) -> list[str]:
    """Every piece of section content a reader must see on both platforms."""
    found: list[str] = []
    for section in sections:
        found.extend([section.heading or "", section.text, *section.bullets])
        for fact in section.facts:
            found.extend([fact.label, fact.value])
    return [text for text in found if text.strip()]


# --- messages ---------------------------------------------------------------------------


def slack_buttons(payloads: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (element["action_id"], element["value"])
        for payload in payloads
        for block in payload["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def teams_buttons(cards: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for card in cards:
        for button in actions(card):
            data = button["data"]
            if button["type"] == "Action.Execute":
                assert button["verb"] == data["action_id"]
            else:
                assert data["msteams"] == {"type": "task/fetch"}
            found.append((data["action_id"], data["state"]))
    return found


@pytest.mark.parametrize("name", ["briefing", "decision", "long_debrief", "many_buttons"])
def test_messages_expose_the_same_actions(kit: Kit, name: str) -> None:
    message = example_messages(kit)[name]
    slack = slack_buttons(message_payloads(message))
    teams = teams_buttons(message_cards(message))
    assert slack == teams == [(a.action_id.value, a.value) for a in message.actions]


@pytest.mark.parametrize("name", ["briefing", "decision", "long_debrief", "many_buttons"])
def test_messages_show_the_same_text(kit: Kit, name: str) -> None:
    message = example_messages(kit)[name]
    slack = squeeze(
        slack_unescape(
            "\n".join(t for p in message_payloads(message) for t in slack_texts(p["blocks"]))
        )
    )
    teams = squeeze("\n".join(t for card in message_cards(message) for t in texts(card)))
    expected = [*section_texts(message.sections), message.footer or "", message.title]
    for text in expected:
        assert squeeze(text) in slack, text[:80]
        assert squeeze(text) in teams, text[:80]


@pytest.mark.parametrize("name", ["briefing", "long_debrief", "many_buttons"])
def test_messages_put_buttons_on_the_last_message_only(kit: Kit, name: str) -> None:
    message = example_messages(kit)[name]
    payloads = message_payloads(message)
    cards = message_cards(message)
    assert slack_buttons(payloads[:-1]) == []
    assert teams_buttons(cards[:-1]) == []


# --- forms ------------------------------------------------------------------------------


def slack_inputs(view: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    kinds = {
        "radio_buttons": "one",
        "static_select": "one",
        "checkboxes": "many",
        "multi_static_select": "many",
        "plain_text_input": "text",
        "users_select": "user",
        "datetimepicker": "datetime",
    }
    return [
        (
            block["block_id"],
            kinds[block["element"]["type"]],
            [option["value"] for option in block["element"].get("options", [])],
        )
        for block in view["blocks"]
        if block["type"] == "input"
    ]


def teams_inputs(card: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """Teams' inputs in Slack's terms: a date and a time input are one date-time."""
    found = []
    for element in inputs(card):
        input_id = element["id"]
        if element["type"] == "Input.Time":
            continue
        if element["type"] == "Input.Date":
            input_id, kind = input_id.removesuffix("__date"), "datetime"
        elif element["type"] == "Input.Text":
            kind = "text"
        elif "choices.data" in element:
            kind = "user"
        else:
            kind = "many" if element.get("isMultiSelect") else "one"
        found.append((input_id, kind, [c["value"] for c in element.get("choices", [])]))
    return found


def slack_form_actions(view: dict[str, Any], form: Form) -> list[tuple[str, str]]:
    """Slack's submit (state in private_metadata), then its in-modal draft button."""
    found = [("submit", view["private_metadata"])]
    for block in view["blocks"]:
        if block["type"] == "actions":
            for element in block["elements"]:
                assert element["action_id"] == save_draft_action_id(form.kind)
                found.append(("save_draft", element["value"]))
    return found


def teams_form_actions(card: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["data"]["action"], a["data"]["state"]) for a in card["actions"]]


@pytest.mark.parametrize("name", ["scorecard", "reason", "new_panel"])
def test_forms_expose_the_same_inputs_and_actions(kit: Kit, name: str) -> None:
    form = example_forms(kit)[name]
    view = form_view(form, callback_id=name)
    card = form_card(form)
    assert slack_inputs(view) == teams_inputs(card)
    assert [i for i, _, _ in teams_inputs(card)] == [item.input_id for item in form.inputs]
    assert slack_form_actions(view, form) == teams_form_actions(card)
    expected = [("submit", form.state)]
    if form.secondary_submit_label:
        expected.append(("save_draft", form.state))
    assert teams_form_actions(card) == expected


@pytest.mark.parametrize("name", ["scorecard", "reason", "new_panel"])
def test_forms_show_the_same_text(kit: Kit, name: str) -> None:
    form = example_forms(kit)[name]
    slack = squeeze(
        slack_unescape("\n".join(slack_texts(form_view(form, callback_id=name)["blocks"])))
    )
    teams = squeeze("\n".join(texts(form_card(form))))
    expected = section_texts(form.intro)
    for item in form.inputs:
        expected.extend([item.label, item.hint or ""])
        if isinstance(item, ChoiceInput | MultiChoiceInput):
            for choice in item.choices:
                expected.extend([choice.label, choice.description])
    for text in expected:
        assert squeeze(text) in slack, text[:80]
        assert squeeze(text) in teams, text[:80]


def test_forms_report_the_same_errors(kit: Kit) -> None:
    """Slack answers with ``response_action: errors``; Teams shows them in the card."""
    form = example_scorecard_form(kit)
    assert form.errors
    body = form_card(form)["body"]
    positions = {e["id"]: i for i, e in enumerate(body) if "id" in e}
    teams = {key: body[positions[key] + 1]["text"] for key in form.errors}
    assert teams == form_errors(form)

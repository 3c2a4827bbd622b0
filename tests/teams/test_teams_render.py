"""Every example message and form renders to an Adaptive Card Teams accepts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.teams.cards import CONTENT_TYPE, ELEMENT_BYTES, cut_text, text_size
from bot.teams.render import (
    CARD_BUDGET_BYTES,
    DIALOG_ACTIONS,
    MAX_CARD_ACTIONS,
    MAX_CARD_BYTES,
    card_size_bytes,
    form_card,
    message_activity_attachment,
    message_card,
    message_cards,
)
from flows.briefing import example_briefing
from flows.decision import example_decision
from flows.messages import (
    Action,
    ActionId,
    Form,
    Message,
    MessageKind,
    Section,
    Tone,
)
from flows.scorecard import example_scorecard_form
from rubrics.schema import Kit
from tests.teams.cardtools import CardValidator, actions, squeeze, texts
from tests.teams.examples import debrief_like, new_panel_example, reason_form

EXPECTED = Path(__file__).parent / "expected"
UPDATE = os.environ.get("PANELBOT_UPDATE_SNAPSHOTS") == "1"


def example_messages(kit: Kit) -> dict[str, Message]:
    return {
        "briefing": example_briefing(kit),
        "decision": example_decision(),
        "long_debrief": debrief_like(),
    }


def example_forms(kit: Kit) -> dict[str, Form]:
    return {"scorecard_form": example_scorecard_form(kit), "reason_form": reason_form()}


def rendered_examples(kit: Kit) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "briefing": message_cards(example_briefing(kit)),
        "decision": message_cards(example_decision()),
    }
    rendered.update({name: form_card(form) for name, form in example_forms(kit).items()})
    rendered["new_panel_form"] = form_card(new_panel_example(kit), tz="Europe/Berlin")
    return rendered


# --- every example valid and small enough -----------------------------------------------


def test_the_schema_check_is_not_vacuous(card_schema: CardValidator) -> None:
    good = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "x"}]}
    assert card_schema.problems(good) == []
    assert card_schema.problems({**good, "body": [{"type": "TextBlock", "txt": "x"}]})
    assert card_schema.problems({**good, "actions": [{"type": "Action.Submit", "verb": "v"}]})
    assert card_schema.problems({**good, "body": [{"type": "FactSet", "facts": [{"t": "a"}]}]})


def test_example_messages_are_valid_cards(kit: Kit, card_schema: CardValidator) -> None:
    for name, message in example_messages(kit).items():
        cards = message_cards(message)
        assert cards, name
        for card in cards:
            assert card_schema.problems(card) == [], name
            assert card_size_bytes(card) <= CARD_BUDGET_BYTES < MAX_CARD_BYTES
            assert card["version"] == "1.5"
            assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"


def test_example_forms_are_valid_cards(kit: Kit, card_schema: CardValidator) -> None:
    for name, form in example_forms(kit).items():
        card = form_card(form)
        assert card_schema.problems(card) == [], name
        assert card_size_bytes(card) <= MAX_CARD_BYTES


@pytest.mark.parametrize(
    "name", ["briefing", "decision", "scorecard_form", "reason_form", "new_panel_form"]
)
def test_rendering_matches_the_committed_json(kit: Kit, name: str) -> None:
    """Renderer changes show up as a diff; regenerate with PANELBOT_UPDATE_SNAPSHOTS=1."""
    rendered = rendered_examples(kit)[name]
    path = EXPECTED / f"{name}.json"
    text = json.dumps(rendered, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with PANELBOT_UPDATE_SNAPSHOTS=1"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


# --- messages ---------------------------------------------------------------------------


def test_briefing_keeps_every_question_anchor_and_fact(kit: Kit) -> None:
    message = example_briefing(kit)
    (card,) = message_cards(message)
    title = card["body"][0]
    assert title == {
        "type": "TextBlock",
        "text": message.title,
        "wrap": True,
        "size": "Large",
        "weight": "Bolder",
        "style": "heading",
    }
    shown = "\n".join(texts(card))
    facts = [f for e in card["body"] if e["type"] == "FactSet" for f in e["facts"]]
    for section in message.sections:
        assert section.text in shown
        assert {"type": "TextBlock", "text": section.heading, "wrap": True, "weight": "Bolder"} in [
            {k: v for k, v in e.items() if k not in ("separator", "spacing")} for e in card["body"]
        ]
        for bullet in section.bullets:
            assert f"- {bullet}" in shown
        for fact in section.facts:
            assert {"title": fact.label, "value": fact.value} in facts
    footer = card["body"][-1]
    assert footer["text"] == message.footer
    assert footer["size"] == "Small" and footer["isSubtle"] is True
    assert card["fallbackText"] == message.summary


def test_sections_after_the_first_start_with_a_separator(kit: Kit) -> None:
    (card,) = message_cards(example_briefing(kit))
    headings = [e for e in card["body"] if e.get("weight") == "Bolder" and "size" not in e]
    assert "separator" not in card["body"][0]
    assert "separator" not in headings[0]
    assert all(h["separator"] is True for h in headings[1:])


def test_briefing_button_fetches_the_scorecard_dialog(kit: Kit) -> None:
    message = example_briefing(kit)
    (card,) = message_cards(message)
    (button,) = card["actions"]
    action = message.actions[0]
    assert button == {
        "type": "Action.Submit",
        "title": "Open scorecard",
        "style": "positive",
        "data": {
            "msteams": {"type": "task/fetch"},
            "action_id": "open_scorecard",
            "state": action.value,
        },
    }


def test_other_buttons_are_universal_actions() -> None:
    message = debrief_like(1)
    card = message_card(message, dialog_actions=frozenset())
    assert [a["type"] for a in card["actions"]] == ["Action.Execute"] * 3
    for button, action in zip(card["actions"], message.actions, strict=True):
        assert button["verb"] == action.action_id.value
        assert button["data"] == {"action_id": action.action_id.value, "state": action.value}
        assert button["title"] == action.label
    assert [a.get("style") for a in card["actions"]] == ["positive", "destructive", None]
    # Decisions are Universal Actions by default: the card itself asks for the reason.
    assert message_card(message)["actions"] == card["actions"]
    assert ActionId.VIEW_SCORECARDS not in DIALOG_ACTIONS
    assert {ActionId.OPEN_SCORECARD, ActionId.CHANGE_LOOP} == DIALOG_ACTIONS
    forms = message_card(message, dialog_actions=frozenset({ActionId.APPROVE}))["actions"]
    assert [a["type"] for a in forms] == ["Action.Submit", "Action.Execute", "Action.Execute"]


@pytest.mark.parametrize(
    ("tone", "color"),
    [
        (Tone.NEUTRAL, None),
        (Tone.GOOD, "Good"),
        (Tone.WARNING, "Warning"),
        (Tone.DANGER, "Attention"),
    ],
)
def test_tone_colours_the_title(tone: Tone, color: str | None) -> None:
    card = message_card(Message(kind=MessageKind.NOTICE, title="Stop", summary="s", tone=tone))
    assert card["body"][0].get("color") == color


def test_decision_title_is_green() -> None:
    (card,) = message_cards(example_decision())
    assert card["body"][0]["color"] == "Good"
    assert "actions" not in card


def test_text_is_kept_plain() -> None:
    message = Message(
        kind=MessageKind.NOTICE,
        title="<b>&",
        summary="s",
        sections=(Section(text="a <@U123> & **b**", bullets=("x > y",)),),
    )
    shown = texts(message_card(message))
    assert shown == ["<b>&", "a <@U123> & **b**", "- x > y"]


def test_empty_message_still_has_text_and_a_fallback(card_schema: CardValidator) -> None:
    (card,) = message_cards(Message(kind=MessageKind.NOTICE, title="", summary=""))
    assert texts(card) == ["panelbot"]
    assert card["fallbackText"] == "panelbot"
    assert card_schema.problems(card) == []


def test_long_message_is_split_with_buttons_on_the_last_card(card_schema: CardValidator) -> None:
    message = debrief_like()
    assert card_size_bytes(message_card(message)) > MAX_CARD_BYTES
    cards = message_cards(message)
    assert len(cards) > 1
    assert all("actions" not in card for card in cards[:-1])
    assert [a["data"]["state"] for a in actions(cards[-1])] == [a.value for a in message.actions]
    assert [c["fallbackText"] for c in cards][
        -1
    ] == f"Debrief for Priya Raman ({len(cards)}/{len(cards)})"
    assert all("separator" not in card["body"][0] for card in cards)
    for card in cards:
        assert card_schema.problems(card) == []
        assert card_size_bytes(card) <= CARD_BUDGET_BYTES
    shown = squeeze("".join(t for card in cards for t in texts(card)))
    for section in message.sections:
        assert squeeze(section.text) in shown
        assert all(squeeze(b) in shown for b in section.bullets)


def test_more_than_six_buttons_go_into_action_sets(card_schema: CardValidator) -> None:
    buttons = tuple(
        Action(ActionId.OPEN_SCORECARD, f"Interview {i}", f'{{"interview":{i},"v":1}}')
        for i in range(30)
    )
    message = Message(kind=MessageKind.REMINDER, title="T", summary="s", actions=buttons)
    (card,) = message_cards(message)
    sets = [e for e in card["body"] if e["type"] == "ActionSet"]
    assert "actions" not in card
    assert [len(s["actions"]) for s in sets] == [MAX_CARD_ACTIONS] * 5
    assert [a["data"]["state"] for a in actions(card)] == [b.value for b in buttons]
    assert card_schema.problems(card) == []


def test_buttons_that_do_not_fit_after_the_content_get_a_card_with_the_title() -> None:
    heavy = tuple(Action(ActionId.APPROVE, f"A{i}", "x" * 1500) for i in range(10))
    base = debrief_like(10)
    for sections in range(10, 40):
        message = Message(
            kind=base.kind,
            title=base.title,
            summary=base.summary,
            sections=debrief_like(sections).sections,
            actions=heavy,
        )
        cards = message_cards(message)
        if not any(e["type"] != "ActionSet" for e in cards[-1]["body"][1:]):
            break
    else:
        pytest.fail("no message size put the buttons on a card of their own")
    assert texts(cards[-1]) == [message.title]
    assert cards[-1]["body"][0]["isSubtle"] is True
    assert len(actions(cards[-1])) == 10


def test_buttons_too_big_for_any_card_are_refused() -> None:
    heavy = tuple(Action(ActionId.APPROVE, "Approve", "x" * 2000) for i in range(30))
    message = Message(kind=MessageKind.DEBRIEF, title="T", summary="s", actions=heavy)
    with pytest.raises(ValueError, match="buttons"):
        message_cards(message)


def test_attachment_wraps_a_single_card(kit: Kit) -> None:
    message = example_briefing(kit)
    attachment = message_activity_attachment(message)
    assert attachment == {"contentType": CONTENT_TYPE, "content": message_card(message)}
    assert CONTENT_TYPE == "application/vnd.microsoft.card.adaptive"
    with pytest.raises(ValueError, match="message_cards"):
        message_activity_attachment(debrief_like())


def test_long_text_is_cut_at_lines_then_spaces_and_keeps_everything() -> None:
    lines = [f"line {i:04d} " + "wörd 😀 " * 40 for i in range(200)]
    text = "\n".join(lines)
    pieces = cut_text(text)
    assert len(pieces) > 1
    assert "\n".join(pieces) == text  # every cut fell on a line boundary here
    assert all(text_size(p) <= ELEMENT_BYTES for p in pieces)
    one_line = "word " * 5000
    pieces = cut_text(one_line)
    assert "".join(pieces) == one_line
    assert all(p.endswith(" ") for p in pieces[:-1])

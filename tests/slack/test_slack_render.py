"""Every example message and form renders to Block Kit within Slack's limits."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.slack.blockkit import escape
from bot.slack.limits import check_message, check_view
from bot.slack.render import (
    SAVE_DRAFT_ACTION_ID,
    action_blocks,
    form_errors,
    form_view,
    message_blocks,
    message_payloads,
    message_text,
    split_message,
)
from flows.briefing import example_briefing
from flows.decision import Outcome, build_reason_form, example_decision
from flows.messages import (
    Action,
    ActionId,
    ButtonStyle,
    Choice,
    ChoiceInput,
    Form,
    FormKind,
    Message,
    MessageKind,
    MultiChoiceInput,
    Section,
    TextInput,
    Tone,
)
from flows.scorecard import example_scorecard_form
from rubrics.schema import Kit

EXPECTED = Path(__file__).parent / "expected"
UPDATE = os.environ.get("PANELBOT_UPDATE_SNAPSHOTS") == "1"


def texts(node: Any) -> list[str]:
    """Every text string in a block tree, in order."""
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [t for k, v in node.items() if k != "text" or not own for t in texts(v)]
    if isinstance(node, list):
        return [t for item in node for t in texts(item)]
    return []


def buttons(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        element
        for payload in payloads
        for block in payload["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def reason_form() -> Form:
    return build_reason_form(panel_id=7, outcome=Outcome.REJECT, candidate_name="Priya Raman")


def rendered_examples(kit: Kit) -> dict[str, Any]:
    return {
        "briefing": message_payloads(example_briefing(kit)),
        "decision": message_payloads(example_decision()),
        "scorecard_form": form_view(example_scorecard_form(kit), callback_id="scorecard"),
        "reason_form": form_view(reason_form(), callback_id="decision_reason"),
    }


# --- every example within limits --------------------------------------------------------


def test_example_messages_pass_the_limits(kit: Kit) -> None:
    for message in (example_briefing(kit), example_decision()):
        payloads = message_payloads(message)
        assert payloads
        for payload in payloads:
            assert check_message(payload) == []
            json.dumps(payload)  # plain JSON


def test_example_forms_pass_the_limits(kit: Kit) -> None:
    for form, callback in ((example_scorecard_form(kit), "scorecard"), (reason_form(), "reason")):
        view = form_view(form, callback_id=callback)
        assert check_view(view) == []
        json.dumps(view)


@pytest.mark.parametrize("name", ["briefing", "decision", "scorecard_form", "reason_form"])
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


def test_briefing_keeps_every_question_and_anchor(kit: Kit) -> None:
    message = example_briefing(kit)
    payloads = message_payloads(message)
    assert payloads[0]["text"] == message.summary == message_text(message)
    assert payloads[0]["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": message.title, "emoji": True},
    }
    shown = "\n".join(t for p in payloads for t in texts(p["blocks"]))
    for section in message.sections:
        assert escape(section.text) in shown
        for bullet in section.bullets:
            assert "• " + escape(bullet) in shown
        for fact in section.facts:
            assert f"*{escape(fact.label)}*\n{escape(fact.value)}" in shown
    assert message.footer is not None and escape(message.footer) in shown


def test_briefing_button_opens_the_scorecard(kit: Kit) -> None:
    message = example_briefing(kit)
    (button,) = buttons(message_payloads(message))
    action = message.actions[0]
    assert button["action_id"] == ActionId.OPEN_SCORECARD.value == "open_scorecard"
    assert button["value"] == action.value
    assert button["style"] == "primary"


def test_decision_header_carries_the_tone() -> None:
    blocks = message_blocks(example_decision())
    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"].startswith("✅ Priya Raman")


@pytest.mark.parametrize(
    ("tone", "header"),
    [
        (Tone.NEUTRAL, "Stop"),
        (Tone.GOOD, "✅ Stop"),
        (Tone.WARNING, "⚠️ Stop"),
        (Tone.DANGER, "⛔ Stop"),
    ],
)
def test_tone_prefixes_the_title(tone: Tone, header: str) -> None:
    message = Message(kind=MessageKind.NOTICE, title="Stop", summary="s", tone=tone)
    assert message_blocks(message)[0]["text"]["text"] == header


def test_user_text_is_escaped() -> None:
    message = Message(
        kind=MessageKind.NOTICE,
        title="<b>&",
        summary="s",
        sections=(Section(text="a <@U123> & <!channel>", bullets=("x > y",)),),
    )
    shown = "\n".join(texts(message_blocks(message)))
    assert "a &lt;@U123&gt; &amp; &lt;!channel&gt;" in shown
    assert "• x &gt; y" in shown
    assert "<" not in shown.replace("<b>&", "")  # the header is plain_text, not escaped


def test_long_title_is_truncated_in_the_header_but_kept_in_full() -> None:
    title = "Debrief " + "x" * 300
    blocks = message_blocks(Message(kind=MessageKind.DEBRIEF, title=title, summary="s"))
    assert len(blocks[0]["text"]["text"]) == 150 and blocks[0]["text"]["text"].endswith("…")
    assert title in "".join(texts(blocks[1:]))


def test_long_section_is_cut_at_line_boundaries() -> None:
    lines = [f"line {i:04d} " + "word " * 20 for i in range(200)]
    message = Message(
        kind=MessageKind.DEBRIEF, title="T", summary="s", sections=(Section(text="\n".join(lines)),)
    )
    sections = [b for b in message_blocks(message) if b["type"] == "section"]
    assert len(sections) > 1
    for block in sections:
        assert len(block["text"]["text"]) <= 3000
        assert all(line in lines for line in block["text"]["text"].split("\n"))


def test_split_message_puts_buttons_only_on_the_last_message() -> None:
    sections = tuple(Section(heading=f"H{i}", text="t " * 50) for i in range(80))
    actions = (
        Action(ActionId.APPROVE, "Approve", "v1", ButtonStyle.PRIMARY),
        Action(ActionId.REJECT, "Reject", "v2", ButtonStyle.DANGER),
    )
    message = Message(
        kind=MessageKind.DEBRIEF, title="T", summary="Debrief", sections=sections, actions=actions
    )
    groups = split_message(message)
    assert len(groups) > 1
    assert all(len(g) <= 50 for g in groups)
    assert [b["type"] for g in groups[:-1] for b in g].count("actions") == 0
    assert groups[-1][-1]["type"] == "actions"
    payloads = message_payloads(message)
    assert [p["text"] for p in payloads][-1] == f"Debrief ({len(groups)}/{len(groups)})"
    assert all(check_message(p) == [] for p in payloads)


def test_repeated_action_ids_go_to_separate_blocks() -> None:
    actions = tuple(Action(ActionId.OPEN_SCORECARD, f"Interview {i}", f"v{i}") for i in range(3))
    blocks = action_blocks(actions)
    assert len(blocks) == 3
    assert all(check_message({"text": "t", "blocks": [b]}) == [] for b in blocks)


def test_button_state_too_long_is_refused_not_cut() -> None:
    with pytest.raises(ValueError, match="2000"):
        action_blocks((Action(ActionId.APPROVE, "Approve", "x" * 2001),))


def test_empty_message_still_has_a_block_and_a_fallback() -> None:
    (payload,) = message_payloads(Message(kind=MessageKind.NOTICE, title="", summary=""))
    assert payload["text"] == "panelbot"
    assert check_message(payload) == []


# --- forms ------------------------------------------------------------------------------


def test_scorecard_view_maps_inputs_to_blocks(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    view = form_view(form, callback_id="scorecard")
    assert view["type"] == "modal" and view["callback_id"] == "scorecard"
    assert view["private_metadata"] == form.state
    assert view["notify_on_close"] is False
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [item.input_id for item in form.inputs]
    for block_id, block in inputs.items():
        assert block["element"]["action_id"] == block_id
    rating = inputs[form.inputs[0].input_id]
    assert rating["element"]["type"] == "radio_buttons"
    assert rating["element"]["initial_option"]["value"] == kit.scale[-1].key
    assert rating["optional"] is False
    assert inputs["red_flags"]["element"]["type"] == "checkboxes"
    assert inputs["red_flags"]["optional"] is True
    note = inputs[form.inputs[1].input_id]["element"]
    assert note["type"] == "plain_text_input" and note["multiline"] is True
    assert note["max_length"] == 3000


def test_scorecard_view_shows_every_anchor_in_full(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    view = form_view(form, callback_id="scorecard")
    context = "\n".join(t for b in view["blocks"] if b["type"] == "context" for t in texts(b))
    for item in form.inputs:
        if isinstance(item, ChoiceInput):
            for choice in item.choices:
                assert escape(choice.description) in context
    for block in view["blocks"]:
        if block["type"] == "input" and "options" in block["element"]:
            for option in block["element"]["options"]:
                assert len(option["text"]["text"]) <= 75
                assert len(option.get("description", {}).get("text", "")) <= 75


def test_scorecard_view_has_the_save_draft_button_and_no_errors(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    assert form.errors
    view = form_view(form, callback_id="scorecard")
    last = view["blocks"][-1]
    assert last["type"] == "actions"
    (button,) = last["elements"]
    assert button["action_id"] == SAVE_DRAFT_ACTION_ID == "scorecard_save_draft"
    assert button["value"] == form.state
    assert button["text"]["text"] == "Save draft"
    rendered = json.dumps(view)
    assert all(message not in rendered for message in form.errors.values())


def test_form_errors_are_keyed_by_block_id(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    view = form_view(form, callback_id="scorecard")
    errors = form_errors(form)
    assert errors == form.errors
    block_ids = {b.get("block_id") for b in view["blocks"]}
    assert set(errors) <= block_ids


def test_form_errors_keep_stray_and_long_messages() -> None:
    form = Form(
        kind=FormKind.NEW_PANEL,
        title="t",
        submit_label="s",
        close_label="c",
        state="{}",
        inputs=(TextInput(input_id="a", label="A"),),
        errors={"a": "x" * 500, "elsewhere": "Something else."},
    )
    errors = form_errors(form)
    assert list(errors) == ["a"] and len(errors["a"]) <= 300 and errors["a"].endswith("…")


def test_reason_form_view(kit: Kit) -> None:
    view = form_view(reason_form(), callback_id="decision_reason")
    (block,) = [b for b in view["blocks"] if b["type"] == "input"]
    assert block["block_id"] == "reason" and block["optional"] is False
    assert block["element"]["max_length"] == 2000
    assert view["submit"]["text"] == "Confirm" and view["close"]["text"] == "Cancel"
    assert all(b["type"] != "actions" for b in view["blocks"])


def _form(*inputs: Any, title: str = "Scorecard") -> Form:
    return Form(
        kind=FormKind.SCORECARD,
        title=title,
        submit_label="Submit",
        close_label="Close",
        state="{}",
        inputs=inputs,
    )


def test_long_labels_and_titles_are_truncated() -> None:
    view = form_view(
        _form(
            TextInput(input_id="t", label="L" * 3000, placeholder="p" * 200),
            title="A title of thirty characters!!",
        ),
        callback_id="cb",
    )
    assert view["title"]["text"] == "A title of thirty chara…"
    block = view["blocks"][0]
    assert len(block["label"]["text"]) == 2000
    assert len(block["element"]["placeholder"]["text"]) == 150
    assert check_view(view) == []


def test_many_choices_become_a_select_menu() -> None:
    choices = tuple(
        Choice(value=f"v{i}", label=f"Level {i}", description=f"d{i}") for i in range(11)
    )
    view = form_view(
        _form(
            ChoiceInput(input_id="one", label="One", choices=choices, initial="v3"),
            MultiChoiceInput(input_id="many", label="Many", choices=choices, initial=("v1", "v2")),
        ),
        callback_id="cb",
    )
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert elements["one"]["type"] == "static_select"
    assert elements["one"]["initial_option"]["value"] == "v3"
    assert elements["many"]["type"] == "multi_static_select"
    assert [o["value"] for o in elements["many"]["initial_options"]] == ["v1", "v2"]
    assert check_view(view) == []
    context = "\n".join(t for b in view["blocks"] if b["type"] == "context" for t in texts(b))
    assert all(f"d{i}" in context for i in range(11))


def test_forms_slack_cannot_show_are_refused() -> None:
    too_many = tuple(Choice(value=f"v{i}", label=f"{i}") for i in range(101))
    with pytest.raises(ValueError, match="choices"):
        form_view(_form(ChoiceInput(input_id="x", label="X", choices=too_many)), callback_id="cb")
    inputs = tuple(TextInput(input_id=f"t{i}", label=f"T{i}") for i in range(101))
    with pytest.raises(ValueError, match="100"):
        form_view(_form(*inputs), callback_id="cb")
    with pytest.raises(ValueError, match="callback_id"):
        form_view(_form(), callback_id="c" * 256)
    with pytest.raises(ValueError, match="repeats"):
        form_view(
            _form(TextInput(input_id="a", label="A"), TextInput(input_id="a", label="B")),
            callback_id="cb",
        )


def test_cached_form_views_equal_a_fresh_render_whatever_the_state() -> None:
    from dataclasses import replace as _replace

    from bot.slack.forms import form_view as _cached
    from bot.slack.forms import render_form_view
    from flows.scorecard import build_scorecard_form
    from rubrics.loader import KitRegistry

    kit = KitRegistry.load(None).get("backend-engineer")
    form = build_scorecard_form(kit=kit, stage_key="coding", interview_id=1, candidate_name="Sam")
    for state in ('{"k":"scorecard","v":1}', 'quote " and backslash \\\\ and é ✓', ""):
        tricky = _replace(form, state=state)
        assert _cached(tricky, callback_id="scorecard") == render_form_view(tricky, callback_id="scorecard")

"""Forms as Teams dialogs: inputs, inline errors, submitted data back to raw values."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.teams.render import (
    DialogAction,
    card_size_bytes,
    dialog_action,
    dialog_state,
    dialog_values,
    form_card,
    task_continue,
    task_message,
)
from flows.decision import REASON_INPUT, Outcome, build_reason_form, reason_errors
from flows.messages import (
    Choice,
    ChoiceInput,
    Form,
    FormKind,
    MultiChoiceInput,
    Section,
    TextInput,
)
from flows.scorecard import (
    RECOMMENDATION_INPUT,
    RED_FLAGS_INPUT,
    ScorecardValues,
    build_scorecard_form,
    example_scorecard_form,
    note_input_id,
    parse_values,
    rating_input_id,
    red_flag_choices,
    submit_errors,
)
from rubrics.schema import Kit
from tests.teams.cardtools import CardValidator, inputs


def _form(*items: Any, errors: dict[str, str] | None = None, draft: str | None = None) -> Form:
    return Form(
        kind=FormKind.NEW_PANEL,
        title="New panel",
        submit_label="Create",
        close_label="Cancel",
        state='{"v":1}',
        inputs=items,
        errors=errors or {},
        secondary_submit_label=draft,
    )


def submitted(card: dict[str, Any], action: int = 0) -> dict[str, Any]:
    """What Teams posts as ``activity.value["data"]`` when nobody touched the inputs:
    every input's current value by id (multi-select comma-joined, empty as ""), merged
    with the data of the pressed button."""
    data = {element["id"]: element.get("value", "") for element in inputs(card)}
    return {**data, **card["actions"][action]["data"]}


# --- the scorecard dialog ---------------------------------------------------------------


def test_scorecard_inputs_match_the_form(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    card = form_card(form)
    rendered = inputs(card)
    assert [e["id"] for e in rendered] == [item.input_id for item in form.inputs]
    for element, item in zip(rendered, form.inputs, strict=True):
        assert element["label"] == item.label
        if isinstance(item, TextInput):
            assert element["type"] == "Input.Text"
            assert element["isMultiline"] is True and element["maxLength"] == item.max_length
            assert element["placeholder"] == item.placeholder
            continue
        assert isinstance(item, ChoiceInput | MultiChoiceInput)
        assert element["type"] == "Input.ChoiceSet" and element["style"] == "expanded"
        assert element.get("isMultiSelect", False) is isinstance(item, MultiChoiceInput)
        assert [c["value"] for c in element["choices"]] == [c.value for c in item.choices]
        for shown, choice in zip(element["choices"], item.choices, strict=True):
            expected = (
                f"{choice.label}: {choice.description}" if choice.description else choice.label
            )
            assert shown["title"] == expected
    first = rendered[0]
    assert first["value"] == kit.scale[-1].key


def test_scorecard_errors_show_right_under_their_inputs(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    assert len(form.errors) >= 2
    body = form_card(form)["body"]
    summary = body[0]
    assert summary["text"] == f"Please fix {len(form.errors)} problems below."
    assert summary["color"] == "Attention"
    positions = {e["id"]: i for i, e in enumerate(body) if "id" in e}
    for input_id, message in form.errors.items():
        after = body[positions[input_id] + 1]
        assert after == {
            "type": "TextBlock",
            "text": message,
            "wrap": True,
            "color": "Attention",
            "spacing": "Small",
        }
    errors = [e for e in body if e.get("color") == "Attention"]
    assert len(errors) == len(form.errors) + 1


def test_hint_follows_the_input_or_its_error(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    body = form_card(form)["body"]
    positions = {e["id"]: i for i, e in enumerate(body) if "id" in e}
    for item in form.inputs:
        if not item.hint:
            continue
        index = positions[item.input_id] + (2 if item.input_id in form.errors else 1)
        assert body[index]["text"] == item.hint
        assert body[index]["isSubtle"] is True


def test_scorecard_has_submit_and_save_draft_without_client_required(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    card = form_card(form)
    submit, draft = card["actions"]
    assert submit == {
        "type": "Action.Submit",
        "title": "Submit",
        "style": "positive",
        "data": {"action": "submit", "state": form.state},
    }
    assert draft == {
        "type": "Action.Submit",
        "title": "Save draft",
        "data": {"action": "save_draft", "state": form.state},
        "associatedInputs": "auto",
    }
    # Teams would block "Save draft" of a half-filled scorecard on a required input.
    assert all("isRequired" not in e for e in inputs(card))


def test_forms_without_a_draft_validate_required_inputs_in_the_client() -> None:
    card = form_card(build_reason_form(panel_id=1, outcome=Outcome.APPROVE, candidate_name="S"))
    (reason,) = inputs(card)
    assert reason["isRequired"] is True and reason["errorMessage"]
    assert len(card["actions"]) == 1
    choice = ChoiceInput("pick", "Pick", (Choice("a", "A"),), required=True)
    optional = ChoiceInput("maybe", "Maybe", (Choice("a", "A"),), required=False)
    picked, maybe = inputs(form_card(_form(choice, optional)))
    assert picked["isRequired"] is True and "isRequired" not in maybe


def test_reason_form_error_is_inline(card_schema: CardValidator) -> None:
    base = build_reason_form(panel_id=1, outcome=Outcome.REJECT, candidate_name="Sam")
    form = replace(base, errors=reason_errors(""))
    body = form_card(form)["body"]
    index = next(i for i, e in enumerate(body) if e.get("id") == REASON_INPUT)
    assert body[index + 1]["text"] == reason_errors("")[REASON_INPUT]
    assert body[0]["text"] == "Please fix 1 problem below."
    assert card_schema.problems(form_card(form)) == []


def test_errors_that_name_no_input_are_shown_at_the_top() -> None:
    form = _form(TextInput("a", "A"), errors={"elsewhere": "Calendar is unreachable."})
    body = form_card(form)["body"]
    assert [e["text"] for e in body[:2]] == [
        "Please fix 1 problem below.",
        "Calendar is unreachable.",
    ]


def test_multi_select_initial_is_comma_joined_and_values_may_not_hold_commas() -> None:
    flags = MultiChoiceInput(
        "flags", "Flags", (Choice("x", "X"), Choice("y", "Y")), initial=("y", "x", "zz")
    )
    (element,) = inputs(form_card(_form(flags)))
    assert element["isMultiSelect"] is True and element["value"] == "y,x"
    with pytest.raises(ValueError, match="','"):
        form_card(_form(MultiChoiceInput("f", "F", (Choice("a,b", "AB"),))))


@pytest.mark.parametrize(
    "items",
    [
        (TextInput("a", "A"), TextInput("a", "B")),
        (TextInput("state", "S"),),
        (TextInput("action", "S"),),
        (ChoiceInput("c", "C", ()),),
        (ChoiceInput("c", "C", (Choice("a", "A"), Choice("a", "B"))),),
    ],
)
def test_forms_teams_cannot_take_are_refused(items: tuple[Any, ...]) -> None:
    with pytest.raises(ValueError):
        form_card(_form(*items))


def test_a_form_too_big_for_a_card_is_refused() -> None:
    big = tuple(TextInput(f"t{i}", "label " * 200, hint="hint " * 200) for i in range(20))
    with pytest.raises(ValueError, match="bytes"):
        form_card(_form(*big))


def test_intro_sections_render_like_message_sections() -> None:
    form = Form(
        kind=FormKind.SCORECARD,
        title="t",
        submit_label="s",
        close_label="c",
        state="{}",
        intro=(Section(heading="H", text="T", bullets=("b",)),),
    )
    body = form_card(form)["body"]
    assert [e["text"] for e in body] == ["H", "T", "- b"]


# --- invoke responses -------------------------------------------------------------------


def test_task_continue_shows_the_form_in_a_dialog(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    response = task_continue(form)
    value = response["task"]["value"]
    assert response["task"]["type"] == "continue"
    assert value["title"] == "Scorecard"
    assert (value["height"], value["width"]) == ("large", "large")
    assert value["card"] == {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": form_card(form),
    }
    small = task_continue(form, title="Draft", height=400, width="medium")["task"]["value"]
    assert (small["title"], small["height"], small["width"]) == ("Draft", 400, "medium")
    assert card_size_bytes(response) < 28 * 1024


def test_task_message() -> None:
    assert task_message("Saved.") == {"task": {"type": "message", "value": "Saved."}}


# --- submitted data back to values --------------------------------------------------------


def filled_values(kit: Kit, stage_key: str) -> ScorecardValues:
    stage = kit.stage(stage_key)
    flags = red_flag_choices(stage)
    return ScorecardValues(
        ratings={c: kit.scale[i % len(kit.scale)].key for i, c in enumerate(stage.competencies)},
        notes={c: f"Evidence for {c}, with a comma, and more." for c in stage.competencies},
        recommendation=kit.recommendation_scale[-1].key,
        red_flags=tuple(f.label for f in flags[:2]),
    )


def test_filled_scorecard_round_trips_through_the_dialog(kit: Kit) -> None:
    stage = kit.stages[min(2, len(kit.stages) - 1)]
    values = filled_values(kit, stage.key)
    assert len(values.red_flags) == 2
    form = build_scorecard_form(
        kit=kit, stage_key=stage.key, interview_id=42, candidate_name="P", values=values
    )
    card = form_card(form)
    for index, action in enumerate((DialogAction.SUBMIT, DialogAction.SAVE_DRAFT)):
        data = submitted(card, index)
        assert dialog_action(data) is action
        assert dialog_state(data) == form.state
        raw = dialog_values(data, form=form)
        assert "state" not in raw and "action" not in raw
        flags = raw[RED_FLAGS_INPUT]
        assert isinstance(flags, list) and len(flags) == 2
        assert parse_values(kit, stage.key, raw) == values
        assert submit_errors(kit, stage.key, parse_values(kit, stage.key, raw)) == {}


def test_teams_payload_shapes_become_raw_values(kit: Kit) -> None:
    stage = kit.stages[0]
    form = build_scorecard_form(kit=kit, stage_key=stage.key, interview_id=1, candidate_name="P")
    first, second = stage.competencies[0], stage.competencies[-1]
    data = {
        rating_input_id(first): "yes",
        rating_input_id(second): "",
        note_input_id(first): "Sharded by tenant",
        RECOMMENDATION_INPUT: "strong_yes",
        RED_FLAGS_INPUT: "rf0,rf1",
        "action": "submit",
        "state": form.state,
        "unknown": "ignored",
    }
    raw = dialog_values(data, form=form)
    assert raw[rating_input_id(first)] == "yes"
    assert raw[rating_input_id(second)] is None
    assert raw[note_input_id(first)] == "Sharded by tenant"
    assert raw[note_input_id(second)] is None  # not sent at all
    assert raw[RECOMMENDATION_INPUT] == "strong_yes"
    assert raw[RED_FLAGS_INPUT] == ["rf0", "rf1"]
    assert set(raw) == {item.input_id for item in form.inputs}
    flags_only = dialog_values({RED_FLAGS_INPUT: ""}, form=form)
    assert flags_only[RED_FLAGS_INPUT] == []


@pytest.mark.parametrize("data", [{}, {"action": "delete"}, {"action": None}])
def test_unknown_dialog_actions_are_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="not a panelbot dialog"):
        dialog_action(data)


def test_missing_state_is_refused() -> None:
    with pytest.raises(ValueError, match="state"):
        dialog_state({"action": "submit"})

"""view.state.values, as Slack sends it, back to raw values keyed by input id."""

from __future__ import annotations

from typing import Any

from bot.slack.render import form_view, view_values
from flows.scorecard import (
    ScorecardValues,
    build_scorecard_form,
    note_input_id,
    parse_values,
    rating_input_id,
    red_flag_choices,
    submit_errors,
)
from rubrics.schema import Kit


def option(value: str, text: str = "x") -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text, "emoji": True}, "value": value}


def test_each_element_shape() -> None:
    # Shapes copied from view_submission payloads.
    state: dict[str, dict[str, dict[str, Any]]] = {
        "rating__system_design": {
            "rating__system_design": {
                "type": "radio_buttons",
                "selected_option": option("yes", "Yes"),
            }
        },
        "rating__reliability": {
            "rating__reliability": {"type": "radio_buttons", "selected_option": None}
        },
        "note__system_design": {
            "note__system_design": {"type": "plain_text_input", "value": "Sharded by tenant"}
        },
        "note__reliability": {"note__reliability": {"type": "plain_text_input", "value": None}},
        "red_flags": {
            "red_flags": {"type": "checkboxes", "selected_options": [option("rf0"), option("rf2")]}
        },
        "recommendation": {
            "recommendation": {"type": "static_select", "selected_option": option("strong_yes")}
        },
        "many": {"many": {"type": "multi_static_select", "selected_options": []}},
        "when": {"when": {"type": "datepicker", "selected_date": "2026-11-24"}},
        "who": {"who": {"type": "multi_users_select", "selected_users": ["U1", "U2"]}},
    }
    assert view_values(state) == {
        "rating__system_design": "yes",
        "rating__reliability": None,
        "note__system_design": "Sharded by tenant",
        "note__reliability": None,
        "red_flags": ["rf0", "rf2"],
        "recommendation": "strong_yes",
        "many": [],
        "when": "2026-11-24",
        "who": ["U1", "U2"],
    }


def test_a_block_with_several_elements_is_keyed_by_action_id() -> None:
    state = {
        "b1": {
            "start": {"type": "timepicker", "selected_time": "09:00"},
            "end": {"type": "timepicker", "selected_time": "10:00"},
        }
    }
    assert view_values(state) == {"start": "09:00", "end": "10:00"}


def submitted_state(view: dict[str, Any], picks: dict[str, Any]) -> dict[str, Any]:
    """What Slack would send back for ``view`` after the user picked ``picks``."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        pick = picks.get(block["block_id"])
        state: dict[str, Any] = {"type": element["type"]}
        if element["type"] == "plain_text_input":
            state["value"] = pick
        elif element["type"] in ("checkboxes", "multi_static_select"):
            state["selected_options"] = [
                o for o in element["options"] if o["value"] in (pick or [])
            ]
        else:
            chosen = [o for o in element["options"] if o["value"] == pick]
            state["selected_option"] = chosen[0] if chosen else None
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def test_scorecard_round_trip(kit: Kit) -> None:
    stage = kit.stages[2]
    form = build_scorecard_form(kit=kit, stage_key=stage.key, interview_id=1, candidate_name="P")
    view = form_view(form, callback_id="scorecard")
    flags = red_flag_choices(stage)
    picks: dict[str, Any] = {rating_input_id(c): kit.scale[2].key for c in stage.competencies}
    first = stage.competencies[0]
    picks[note_input_id(first)] = "Explained the partitioning and the failure modes clearly."
    picks["recommendation"] = kit.recommendation_scale[-1].key
    picks["red_flags"] = [flags[0].value]
    raw = view_values(submitted_state(view, picks))
    values = parse_values(kit, stage.key, raw)
    assert values == ScorecardValues(
        ratings={c: kit.scale[2].key for c in stage.competencies},
        notes={first: picks[note_input_id(first)]},
        recommendation=kit.recommendation_scale[-1].key,
        red_flags=(flags[0].label,),
    )
    assert submit_errors(kit, stage.key, values) == {}

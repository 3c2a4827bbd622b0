"""Briefings and scorecard forms carry the kit's content; validation says what to fix."""

from __future__ import annotations

import pytest

from flows.briefing import example_briefing
from flows.decision import Outcome, build_reason_form, example_decision, reason_errors
from flows.messages import ActionId, ChoiceInput, MultiChoiceInput, TextInput
from flows.scorecard import (
    RECOMMENDATION_INPUT,
    RED_FLAGS_INPUT,
    ScorecardValues,
    build_scorecard_form,
    example_scorecard_form,
    note_input_id,
    parse_values,
    rating_input_id,
    submit_errors,
)
from flows.state import StateError, decode_state
from rubrics.loader import KitRegistry
from rubrics.schema import Kit


@pytest.fixture(scope="module")
def kit() -> Kit:
    return KitRegistry.load(None).get("backend-engineer")


def all_text(message_sections: tuple[object, ...]) -> str:
    parts: list[str] = []
    for section in message_sections:
        parts.append(getattr(section, "heading", "") or "")
        parts.append(getattr(section, "text", ""))
        parts.extend(getattr(section, "bullets", ()))
        parts.extend(f"{f.label} {f.value}" for f in getattr(section, "facts", ()))
    return "\n".join(parts)


def test_briefing_has_every_question_and_every_anchor(kit: Kit) -> None:
    message = example_briefing(kit)
    stage = kit.stages[2]
    text = all_text(message.sections)
    for question in stage.questions:
        assert question.prompt in text
        for level in kit.scale:
            assert f"{level.label}: {question.anchors[level.key]}" in text
        for flag in question.red_flags:
            assert flag in text
    assert "Europe/Berlin" in text  # the interviewer's own zone
    assert "15:00-16:00" in text  # 14:00 UTC in Berlin, November
    assert [a.action_id for a in message.actions] == [ActionId.OPEN_SCORECARD]
    assert decode_state(message.actions[0].value).id("interview") == 42


def test_scorecard_form_is_built_from_the_kit(kit: Kit) -> None:
    stage = kit.stage("coding")
    form = build_scorecard_form(kit=kit, stage_key="coding", interview_id=7, candidate_name="Sam")
    ratings = [i for i in form.inputs if isinstance(i, ChoiceInput) and i.input_id.startswith("rating__")]
    assert [r.input_id for r in ratings] == [rating_input_id(c) for c in stage.competencies]
    for rating in ratings:
        assert [c.value for c in rating.choices] == [level.key for level in kit.scale]
        assert all(c.description for c in rating.choices)  # each option shows its anchor
    notes = [i for i in form.inputs if isinstance(i, TextInput)]
    assert len(notes) == len(stage.competencies)
    flags = form.input(RED_FLAGS_INPUT)
    assert isinstance(flags, MultiChoiceInput)
    assert [c.label for c in flags.choices] == stage.red_flags()
    assert form.secondary_submit_label == "Save draft"


def test_draft_values_are_restored(kit: Kit) -> None:
    stage = kit.stage("coding")
    first = stage.competencies[0]
    values = ScorecardValues(
        ratings={first: "yes"}, notes={first: "Handled the edge cases."},
        recommendation="no", red_flags=(stage.red_flags()[0],),
    )
    form = build_scorecard_form(kit=kit, stage_key="coding", interview_id=7, candidate_name="Sam", values=values)
    rating = form.input(rating_input_id(first))
    assert isinstance(rating, ChoiceInput) and rating.initial == "yes"
    note = form.input(note_input_id(first))
    assert isinstance(note, TextInput) and note.initial == "Handled the edge cases."
    rec = form.input(RECOMMENDATION_INPUT)
    assert isinstance(rec, ChoiceInput) and rec.initial == "no"
    flags = form.input(RED_FLAGS_INPUT)
    assert isinstance(flags, MultiChoiceInput) and flags.initial == ("rf0",)


def test_submit_needs_every_rating_and_evidence_for_extremes(kit: Kit) -> None:
    stage = kit.stage("coding")
    first, second, *rest = stage.competencies
    raw: dict[str, str | list[str] | None] = {
        rating_input_id(first): "strong_yes",
        note_input_id(first): "ok",
        rating_input_id(second): "no",
        RED_FLAGS_INPUT: ["rf0", "rf999"],
    }
    values = parse_values(kit, "coding", raw)
    assert values.red_flags == (stage.red_flags()[0],)  # unknown ids are dropped
    errors = submit_errors(kit, "coding", values)
    assert "needs evidence" in errors[note_input_id(first)]
    assert note_input_id(second) not in errors  # middle levels need no note
    for competency in rest:
        assert errors[rating_input_id(competency)] == "Choose a rating for this competency."
    assert errors[RECOMMENDATION_INPUT] == "Choose an overall recommendation."


def test_complete_submission_has_no_errors(kit: Kit) -> None:
    stage = kit.stage("behavioral")
    raw: dict[str, str | list[str] | None] = {rating_input_id(c): "yes" for c in stage.competencies}
    raw[RECOMMENDATION_INPUT] = "yes"
    assert submit_errors(kit, "behavioral", parse_values(kit, "behavioral", raw)) == {}


def test_too_long_note_is_an_error(kit: Kit) -> None:
    stage = kit.stage("behavioral")
    first = stage.competencies[0]
    values = ScorecardValues(ratings={first: "yes"}, notes={first: "x" * 3001})
    assert "Too long: 3001 characters" in submit_errors(kit, "behavioral", values)[note_input_id(first)]


def test_example_form_shows_an_inline_error(kit: Kit) -> None:
    form = example_scorecard_form(kit)
    assert form.errors
    assert all(key in {i.input_id for i in form.inputs} for key in form.errors)


def test_decision_reason_is_required() -> None:
    assert reason_errors("  ") == {"reason": "Give a reason; it is kept with the decision."}
    assert reason_errors("Clear evidence of senior design skill.") == {}
    form = build_reason_form(panel_id=3, outcome=Outcome.REJECT, candidate_name="Sam")
    state = decode_state(form.state)
    assert (state.kind, state.id("panel"), state.text("outcome")) == ("decision", 3, "reject")


def test_decision_message_shows_who_when_in_viewer_zone() -> None:
    message = example_decision()
    text = all_text(message.sections)
    assert "Dana Okafor" in text
    assert "27 Nov 2026 11:30 America/New_York" in text


def test_foreign_state_is_refused() -> None:
    with pytest.raises(StateError):
        decode_state('{"v": 99, "k": "scorecard"}')
    with pytest.raises(StateError):
        decode_state("not json")

"""The scorecard form: one anchored rating and one evidence note per competency.

The form is generated from the kit, so what an interviewer rates is exactly what the
debrief aggregates. Validation lives here, not in the adapters, so Slack's inline
errors and Teams' re-rendered dialog say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flows.debrief import EVIDENCE_MIN_CHARS, is_evidence
from flows.messages import (
    Choice,
    ChoiceInput,
    Form,
    FormInput,
    FormKind,
    MultiChoiceInput,
    Section,
    TextInput,
)
from flows.state import encode_state
from rubrics.schema import Kit, Stage

RATING_PREFIX = "rating__"
NOTE_PREFIX = "note__"
RECOMMENDATION_INPUT = "recommendation"
RED_FLAGS_INPUT = "red_flags"
NOTE_MAX_LENGTH = 3000

RawValues = Mapping[str, str | Sequence[str] | None]


@dataclass(frozen=True, slots=True)
class ScorecardValues:
    """What an interviewer entered, draft or final, keyed by competency id."""

    ratings: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    recommendation: str | None = None
    red_flags: tuple[str, ...] = ()


def rating_input_id(competency_id: str) -> str:
    return f"{RATING_PREFIX}{competency_id}"


def note_input_id(competency_id: str) -> str:
    return f"{NOTE_PREFIX}{competency_id}"


def red_flag_choices(stage: Stage) -> tuple[Choice, ...]:
    """Checkbox options for the stage's red flags; values are short positional ids."""
    return tuple(Choice(value=f"rf{i}", label=flag) for i, flag in enumerate(stage.red_flags()))


def _anchor_summary(kit: Kit, stage: Stage, competency_id: str, level_key: str) -> str:
    """The anchor text shown under a rating option: from the stage's first question on it."""
    for question in stage.questions:
        if question.competency == competency_id:
            return question.anchors[level_key]
    return kit.scale_level(level_key).description


def build_scorecard_form(
    *,
    kit: Kit,
    stage_key: str,
    interview_id: int,
    candidate_name: str,
    values: ScorecardValues | None = None,
    errors: Mapping[str, str] | None = None,
    owner: str | None = None,
) -> Form:
    """The scorecard form for one interview, pre-filled with a saved draft if any.

    With ``owner`` the state also names the kit, stage and interviewer, so a submission
    can be checked and answered without a database round trip (the write that follows
    checks everything again).
    """
    stage = kit.stage(stage_key)
    values = values or ScorecardValues()
    inputs: list[FormInput] = []
    for competency_id in stage.competencies:
        competency = kit.competency(competency_id)
        extremes = f"{kit.scale[0].label} and {kit.scale[-1].label}"
        inputs.append(
            ChoiceInput(
                input_id=rating_input_id(competency_id),
                label=competency.name,
                choices=tuple(
                    Choice(
                        value=level.key,
                        label=level.label,
                        description=_anchor_summary(kit, stage, competency_id, level.key),
                    )
                    for level in kit.scale
                ),
                initial=values.ratings.get(competency_id),
                hint=competency.description or None,
            )
        )
        inputs.append(
            TextInput(
                input_id=note_input_id(competency_id),
                label=f"Evidence: {competency.name}",
                initial=values.notes.get(competency_id, ""),
                max_length=NOTE_MAX_LENGTH,
                placeholder="What did the candidate say or do?",
                hint=f"Required for {extremes}.",
            )
        )
    inputs.append(
        ChoiceInput(
            input_id=RECOMMENDATION_INPUT,
            label="Overall recommendation",
            choices=tuple(
                Choice(value=level.key, label=level.label, description=level.description)
                for level in kit.recommendation_scale
            ),
            initial=values.recommendation,
        )
    )
    flags = red_flag_choices(stage)
    if flags:
        chosen = tuple(c.value for c in flags if c.label in values.red_flags)
        inputs.append(
            MultiChoiceInput(
                input_id=RED_FLAGS_INPUT,
                label="Red flags observed",
                choices=flags,
                initial=chosen,
                hint="Tick only what you saw in this interview.",
            )
        )
    return Form(
        kind=FormKind.SCORECARD,
        title="Scorecard",
        submit_label="Submit",
        secondary_submit_label="Save draft",
        close_label="Close",
        state=(
            encode_state("scorecard", interview=interview_id, kit=kit.id, stage=stage_key,
                         owner=owner)
            if owner
            else encode_state("scorecard", interview=interview_id)
        ),
        intro=(
            Section(
                heading=f"{stage.title}: {candidate_name}",
                text="Rate what you observed against the anchors; each option shows its anchor.",
            ),
        ),
        inputs=tuple(inputs),
        errors=dict(errors or {}),
    )


def _single(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value or None
    return value[0] if value else None


def _many(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def parse_values(kit: Kit, stage_key: str, raw: RawValues) -> ScorecardValues:
    """Turn raw input values (keyed by input id) into scorecard values.

    Unknown rating levels and red-flag ids are dropped rather than trusted: the values
    come back from a client and must only name options we offered.
    """
    stage = kit.stage(stage_key)
    level_keys = {level.key for level in kit.scale}
    ratings: dict[str, str] = {}
    notes: dict[str, str] = {}
    for competency_id in stage.competencies:
        level = _single(raw.get(rating_input_id(competency_id)))
        if level in level_keys:
            ratings[competency_id] = str(level)
        note = (_single(raw.get(note_input_id(competency_id))) or "").strip()
        if note:
            notes[competency_id] = note
    recommendation = _single(raw.get(RECOMMENDATION_INPUT))
    if recommendation not in {level.key for level in kit.recommendation_scale}:
        recommendation = None
    by_id = {choice.value: choice.label for choice in red_flag_choices(stage)}
    flags = tuple(by_id[v] for v in _many(raw.get(RED_FLAGS_INPUT)) if v in by_id)
    return ScorecardValues(
        ratings=ratings, notes=notes, recommendation=recommendation, red_flags=flags
    )


def draft_errors(kit: Kit, stage_key: str, values: ScorecardValues) -> dict[str, str]:
    """A draft may be incomplete; it only has to fit."""
    errors: dict[str, str] = {}
    for competency_id, note in values.notes.items():
        if len(note) > NOTE_MAX_LENGTH:
            errors[note_input_id(competency_id)] = (
                f"Too long: {len(note)} characters, the limit is {NOTE_MAX_LENGTH}."
            )
    return errors


def submit_errors(kit: Kit, stage_key: str, values: ScorecardValues) -> dict[str, str]:
    """Everything a final scorecard needs: every rating, evidence for extreme ratings."""
    stage = kit.stage(stage_key)
    errors = draft_errors(kit, stage_key, values)
    extremes = {kit.scale[0].key, kit.scale[-1].key}
    for competency_id in stage.competencies:
        level = values.ratings.get(competency_id)
        if level is None:
            errors[rating_input_id(competency_id)] = "Choose a rating for this competency."
            continue
        note_id = note_input_id(competency_id)
        note = values.notes.get(competency_id, "")
        if level in extremes and not is_evidence(note) and note_id not in errors:
            label = kit.scale_level(level).label
            errors[note_id] = (
                f"'{label}' needs evidence: describe what you observed "
                f"(at least {EVIDENCE_MIN_CHARS} characters)."
            )
    if values.recommendation is None:
        errors[RECOMMENDATION_INPUT] = "Choose an overall recommendation."
    return errors


def example_scorecard_form(kit: Kit) -> Form:
    """A half-filled scorecard with one inline error, for renderer tests and previews."""
    stage = kit.stages[min(2, len(kit.stages) - 1)]
    first = stage.competencies[0]
    values = ScorecardValues(
        ratings={first: kit.scale[-1].key},
        notes={first: ""},
        recommendation=None,
    )
    return build_scorecard_form(
        kit=kit,
        stage_key=stage.key,
        interview_id=42,
        candidate_name="Priya Raman",
        values=values,
        errors=submit_errors(kit, stage.key, values),
    )

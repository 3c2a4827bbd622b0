"""The rubric kit schema: what a YAML kit may say, checked on load.

A kit is data, not code. Interview forms, briefings and the debrief are all built
from it, so every cross-reference (a question's competency, a weight's stage, an
anchor's scale level) is checked here once, and the rest of panelbot can trust it.
Validation errors carry a location path (``stages[2].questions[0].anchors``) that
the loader turns into a message naming the file.
"""

from __future__ import annotations

import re
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def _problem(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class ScaleLevel(_Model):
    """One level of a rating or recommendation scale, lowest value first."""

    key: Slug
    label: Text
    value: int = Field(ge=1)
    description: str = ""


class Competency(_Model):
    """Something the role needs, evidenced by questions and weighted in the debrief."""

    id: Slug
    name: Text
    description: str = ""
    weight: float = 1.0

    @model_validator(mode="after")
    def _weight_is_positive(self) -> Self:
        if not self.weight > 0:
            raise _located("weight", f"weight must be positive, got {self.weight:g}")
        return self


class Question(_Model):
    """A question with the evidence an interviewer listens for at each level."""

    id: Slug
    prompt: Text
    competency: Slug
    anchors: dict[str, Text]
    positive_indicators: list[Text] = Field(default_factory=list)
    negative_indicators: list[Text] = Field(default_factory=list)
    red_flags: list[Text] = Field(default_factory=list)
    follow_ups: list[Text] = Field(default_factory=list)
    minutes: int | None = Field(default=None, ge=1, le=240)


class Stage(_Model):
    """One interview of the loop: its time box, competencies and questions."""

    key: Slug
    title: Text
    duration_minutes: int = Field(ge=5, le=480)
    purpose: str = ""
    competencies: list[Slug] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    success_criteria: list[Text] = Field(default_factory=list)

    def red_flags(self) -> list[str]:
        """Every red flag of the stage's questions, once each, in kit order."""
        seen: dict[str, None] = {}
        for question in self.questions:
            for flag in question.red_flags:
                seen.setdefault(flag, None)
        return list(seen)


class Kit(_Model):
    """A rubric pack for one role: scales, competencies, stages and weights."""

    id: Slug
    role: Text
    description: str = ""
    levels: list[Text] = Field(default_factory=list)
    scale: list[ScaleLevel] = Field(min_length=2)
    recommendation_scale: list[ScaleLevel] = Field(min_length=2)
    competencies: list[Competency] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=1)
    stage_weights: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        _check_scale(self.scale, "scale")
        _check_scale(self.recommendation_scale, "recommendation_scale")
        _check_unique([c.id for c in self.competencies], "competencies", "competency id")
        _check_unique([s.key for s in self.stages], "stages", "stage key")
        competency_ids = {c.id for c in self.competencies}
        level_keys = [level.key for level in self.scale]
        for s_index, stage in enumerate(self.stages):
            where = f"stages[{s_index}]"
            _check_unique(stage.competencies, f"{where}.competencies", "competency")
            _check_unique([q.id for q in stage.questions], f"{where}.questions", "question id")
            for c_index, competency in enumerate(stage.competencies):
                if competency not in competency_ids:
                    raise _located(
                        f"{where}.competencies[{c_index}]",
                        f"unknown competency '{competency}'{_known(competency_ids)}",
                    )
            for q_index, question in enumerate(stage.questions):
                q_where = f"{where}.questions[{q_index}]"
                if question.competency not in stage.competencies:
                    known = competency_ids if question.competency not in competency_ids else set()
                    detail = (
                        f"unknown competency '{question.competency}'{_known(competency_ids)}"
                        if known
                        else f"competency '{question.competency}' is not assessed in stage "
                        f"'{stage.key}' (add it to the stage's competencies)"
                    )
                    raise _located(f"{q_where}.competency", detail)
                for key in level_keys:
                    if key not in question.anchors:
                        raise _located(f"{q_where}.anchors", f"missing level '{key}'")
                for key in question.anchors:
                    if key not in level_keys:
                        raise _located(
                            f"{q_where}.anchors.{key}",
                            f"'{key}' is not a level of the scale ({', '.join(level_keys)})",
                        )
        stage_keys = {s.key for s in self.stages}
        for key, weight in self.stage_weights.items():
            if key not in stage_keys:
                raise _located(f"stage_weights.{key}", f"unknown stage '{key}'{_known(stage_keys)}")
            if not weight > 0:
                raise _located(f"stage_weights.{key}", f"weight must be positive, got {weight:g}")
        return self

    # Lookups used by flows; kits are small, so linear scans stay cheap and simple.

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(f"kit '{self.id}' has no stage '{key}'")

    def competency(self, competency_id: str) -> Competency:
        for competency in self.competencies:
            if competency.id == competency_id:
                return competency
        raise KeyError(f"kit '{self.id}' has no competency '{competency_id}'")

    def scale_level(self, key: str) -> ScaleLevel:
        for level in self.scale:
            if level.key == key:
                return level
        raise KeyError(f"kit '{self.id}' has no rating level '{key}'")

    def recommendation_level(self, key: str) -> ScaleLevel:
        for level in self.recommendation_scale:
            if level.key == key:
                return level
        raise KeyError(f"kit '{self.id}' has no recommendation '{key}'")

    def stage_weight(self, key: str) -> float:
        return self.stage_weights.get(key, 1.0)


def _located(path: str, message: str) -> PydanticCustomError:
    # The loader splits "@path: message" back into a location; pydantic's own loc
    # stops at the model that raised, so cross-reference checks carry theirs inline.
    return _problem("kit_reference", f"@{path}: {message}")


def _known(options: set[str]) -> str:
    return f" (known: {', '.join(sorted(options))})" if options else ""


def _check_unique(values: list[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise _located(f"{path}[{index}]", f"duplicate {what} '{value}'")
        seen.add(value)


def _check_scale(levels: list[ScaleLevel], path: str) -> None:
    _check_unique([level.key for level in levels], path, "level key")
    values = [level.value for level in levels]
    if values != sorted(values) or len(set(values)) != len(values):
        raise _located(path, "levels must be listed lowest first with distinct increasing values")


def is_slug(value: str) -> bool:
    return bool(_SLUG.match(value))

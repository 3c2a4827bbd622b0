"""Kit authors see FILE: PATH: PROBLEM for every class of mistake, and validate fails."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import _register, app
from rubrics.loader import KitLoadError, load_kit_file

LEVELS = ["strong_no", "no", "yes", "strong_yes"]


def minimal_kit() -> dict[str, Any]:
    """A small valid kit the error cases start from."""

    def anchors() -> dict[str, str]:
        return {key: f"Answer at level {key}." for key in LEVELS}

    scale = [{"key": key, "label": key.replace("_", " "), "value": i + 1} for i, key in enumerate(LEVELS)]
    return {
        "id": "tiny",
        "role": "Tiny Engineer",
        "scale": scale,
        "recommendation_scale": copy.deepcopy(scale),
        "competencies": [
            {"id": "coding", "name": "Coding", "weight": 1.5},
            {"id": "design", "name": "Design"},
        ],
        "stages": [
            {
                "key": "screen",
                "title": "Screen",
                "duration_minutes": 30,
                "competencies": ["coding"],
                "questions": [
                    {"id": "q1", "prompt": "Tell me about code.", "competency": "coding", "anchors": anchors()}
                ],
            },
            {
                "key": "onsite",
                "title": "Onsite",
                "duration_minutes": 60,
                "competencies": ["coding", "design"],
                "questions": [
                    {"id": "q1", "prompt": "Design a cache.", "competency": "design", "anchors": anchors()},
                    {"id": "q2", "prompt": "Write a limiter.", "competency": "coding", "anchors": anchors()},
                ],
            },
        ],
        "stage_weights": {"screen": 0.5, "onsite": 1.0},
    }


def _missing_anchor(kit: dict[str, Any]) -> None:
    del kit["stages"][1]["questions"][0]["anchors"]["strong_yes"]


def _unknown_competency(kit: dict[str, Any]) -> None:
    kit["stages"][1]["questions"][1]["competency"] = "cooking"


def _duplicate_ids(kit: dict[str, Any]) -> None:
    kit["stages"][1]["questions"][1]["id"] = "q1"


def _duplicate_stage(kit: dict[str, Any]) -> None:
    kit["stages"][1]["key"] = "screen"


def _non_positive_weight(kit: dict[str, Any]) -> None:
    kit["competencies"][1]["weight"] = 0


def _non_positive_stage_weight(kit: dict[str, Any]) -> None:
    kit["stage_weights"]["onsite"] = -1


def _unknown_stage_in_weights(kit: dict[str, Any]) -> None:
    kit["stage_weights"]["final"] = 2


def _empty_prompt(kit: dict[str, Any]) -> None:
    kit["stages"][0]["questions"][0]["prompt"] = "   "


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("missing anchor level", _missing_anchor, "stages[1].questions[0].anchors: missing level 'strong_yes'"),
    ("unknown competency", _unknown_competency, "stages[1].questions[1].competency: unknown competency 'cooking'"),
    ("duplicate question ids", _duplicate_ids, "stages[1].questions[1]: duplicate question id 'q1'"),
    ("duplicate stage keys", _duplicate_stage, "stages[1]: duplicate stage key 'screen'"),
    ("non-positive weight", _non_positive_weight, "competencies[1].weight: weight must be positive, got 0"),
    ("non-positive stage weight", _non_positive_stage_weight, "stage_weights.onsite: weight must be positive, got -1"),
    ("unknown stage in weights", _unknown_stage_in_weights, "stage_weights.final: unknown stage 'final'"),
    ("empty question prompt", _empty_prompt, "stages[0].questions[0].prompt: String should have at least 1 character"),
]


def write_kit(tmp_path: Path, kit: dict[str, Any], name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(kit, sort_keys=False), encoding="utf-8")
    return path


def test_minimal_kit_is_valid(tmp_path: Path) -> None:
    kit = load_kit_file(write_kit(tmp_path, minimal_kit()))
    assert [s.key for s in kit.stages] == ["screen", "onsite"]
    assert kit.stage_weight("screen") == 0.5


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_names_file_and_path(
    tmp_path: Path, name: str, mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    kit = minimal_kit()
    mutate(kit)
    path = write_kit(tmp_path, kit)
    with pytest.raises(KitLoadError) as caught:
        load_kit_file(path)
    lines = str(caught.value).splitlines()
    assert any(line.startswith(f"{path}: {expected}") for line in lines), lines


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_validate_command_fails_with_the_message(
    tmp_path: Path, name: str, mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    kit = minimal_kit()
    mutate(kit)
    path = write_kit(tmp_path, kit)
    _register()
    result = CliRunner().invoke(app, ["rubrics", "validate", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert expected in " ".join((result.stdout + result.stderr).split())


def test_validate_command_accepts_valid_kit_and_reports_counts(tmp_path: Path) -> None:
    path = write_kit(tmp_path, minimal_kit())
    _register()
    result = CliRunner().invoke(app, ["rubrics", "validate", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "kit 'tiny' is valid (2 stages, 3 questions)" in result.output


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nstages: [\n", encoding="utf-8")
    with pytest.raises(KitLoadError) as caught:
        load_kit_file(path)
    assert str(caught.value).startswith(f"{path}: line ")
    assert "invalid YAML" in str(caught.value)


def test_unknown_field_is_reported(tmp_path: Path) -> None:
    kit = minimal_kit()
    kit["stages"][0]["questions"][0]["anchor"] = {}
    with pytest.raises(KitLoadError) as caught:
        load_kit_file(write_kit(tmp_path, kit))
    assert "stages[0].questions[0].anchor: unknown field" in str(caught.value)


def test_anchor_for_unknown_level(tmp_path: Path) -> None:
    kit = minimal_kit()
    kit["stages"][0]["questions"][0]["anchors"]["maybe"] = "Unsure."
    with pytest.raises(KitLoadError) as caught:
        load_kit_file(write_kit(tmp_path, kit))
    assert "stages[0].questions[0].anchors.maybe: 'maybe' is not a level of the scale" in str(caught.value)

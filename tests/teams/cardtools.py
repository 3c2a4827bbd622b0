"""Reading rendered Adaptive Cards back in tests: schema validation, text, actions, inputs.

The schema is the official Adaptive Cards 1.5 JSON Schema kept in ``../shared/schemas``
beside the repository (where CI checks it out). It declares draft-06; the validator class
is picked from its ``$schema`` rather than assumed, so a schema update that moves to a
newer draft keeps being validated by the right rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema.protocols import Validator

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO_ROOT.parent / "shared" / "schemas" / "adaptive-card-1.5.json"


class CardValidator:
    """Validates cards against the Adaptive Cards schema, reporting every problem."""

    def __init__(self, validator: Validator) -> None:
        self.validator = validator

    def problems(self, card: Any) -> list[str]:
        found = []
        for error in self.validator.iter_errors(card):
            best = jsonschema.exceptions.best_match([error])
            path = "/".join(str(p) for p in best.absolute_path)
            found.append(f"/{path}: {best.message[:300]}")
        return found


@cache
def load_validator() -> CardValidator:
    if not SCHEMA_PATH.exists():
        pytest.fail(
            f"Adaptive Cards schema not found at {SCHEMA_PATH}; check out ../shared beside "
            "the repository",
            pytrace=False,
        )
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return CardValidator(cls(schema, format_checker=cls.FORMAT_CHECKER))


def elements(card: Any) -> Iterator[dict[str, Any]]:
    """Every body element of a card, containers included, in document order."""
    stack = list(reversed(card.get("body", [])))
    while stack:
        element = stack.pop()
        yield element
        for key in ("items", "columns"):
            stack.extend(reversed(element.get(key, [])))


def texts(card: Any) -> list[str]:
    """Every piece of text a reader sees: TextBlocks, facts, labels, choice titles."""
    found: list[str] = []
    for element in elements(card):
        kind = element["type"]
        if kind == "TextBlock":
            found.append(element["text"])
        elif kind == "FactSet":
            for fact in element["facts"]:
                found.extend([fact["title"], fact["value"]])
        elif kind.startswith("Input."):
            found.extend(element.get(k, "") for k in ("label", "placeholder"))
            found.extend(choice["title"] for choice in element.get("choices", []))
    return found


def actions(card: Any) -> list[dict[str, Any]]:
    """Every button: those in ActionSets of the body, then the card's own actions."""
    found = [a for e in elements(card) if e["type"] == "ActionSet" for a in e["actions"]]
    return found + list(card.get("actions", []))


def inputs(card: Any) -> list[dict[str, Any]]:
    return [e for e in elements(card) if e["type"].startswith("Input.")]


def squeeze(text: str) -> str:
    """Content without whitespace: pieces may be re-joined across blocks."""
    return "".join(text.split())


def slack_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def slack_texts(node: Any) -> list[str]:
    """Every text string in a Block Kit tree, in order."""
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [t for k, v in node.items() if k != "text" or not own for t in slack_texts(v)]
    if isinstance(node, list):
        return [t for item in node for t in slack_texts(item)]
    return []


# Teams' documented host extensions that the Adaptive Cards 1.5 schema does not know.
TEAMS_EXTENSIONS = ("choices.data",)  # the People Picker's data source


def without_teams_extensions(node: Any) -> Any:
    """A copy of a card without Teams' extension keys, to validate the rest strictly."""
    if isinstance(node, dict):
        return {
            k: without_teams_extensions(v) for k, v in node.items() if k not in TEAMS_EXTENSIONS
        }
    if isinstance(node, list):
        return [without_teams_extensions(item) for item in node]
    return node

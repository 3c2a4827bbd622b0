"""Load rubric kits from YAML with errors a kit author can act on.

Every problem is reported as ``FILE: PATH: PROBLEM``, e.g.
``kits/x.yaml: stages[2].questions[0].anchors: missing level 'strong_yes'``, so the
author can jump straight to the line. Built-in kits ship as package data and are
read through ``importlib.resources``; user kits come from a directory beside them and
override a built-in kit with the same id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rubrics.schema import Kit

logger = logging.getLogger(__name__)

KIT_SUFFIXES = (".yaml", ".yml")


class KitLoadError(Exception):
    """A kit file that cannot be used, with one line per problem."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))


class UnknownKitError(LookupError):
    """A kit id that no built-in or user kit has."""

    def __init__(self, kit_id: str, known: Iterable[str]) -> None:
        self.kit_id = kit_id
        self.known = sorted(known)
        listed = ", ".join(self.known) or "none"
        super().__init__(f"unknown kit '{kit_id}' (available: {listed})")


@dataclass(frozen=True, slots=True)
class KitSource:
    """Where a loaded kit came from, for `panelbot rubrics list`."""

    kit: Kit
    origin: str
    builtin: bool


def format_location(loc: Sequence[int | str]) -> str:
    """Turn pydantic's ``('stages', 2, 'questions', 0)`` into ``stages[2].questions[0]``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        location = format_location(item["loc"])
        message = str(item["msg"])
        message = message.removeprefix("Value error, ")
        if message.startswith("@"):
            # Cross-reference checks carry their own path relative to the model that raised.
            inner, _, message = message[1:].partition(": ")
            location = f"{location}.{inner}" if location else inner
        if item["type"] == "missing":
            message = f"required field '{item['loc'][-1]}' is missing"
            location = format_location(item["loc"][:-1]) or "(top level)"
        elif item["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        problems.append(f"{location or '(top level)'}: {message}")
    return problems


def yaml_problem(exc: yaml.YAMLError) -> str:
    """``line 3, column 7: invalid YAML: …`` for a YAML syntax error."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{where}invalid YAML: {problem}"


def parse_kit(text: str, *, source: str) -> Kit:
    """Parse and validate one kit document; ``source`` names it in errors."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KitLoadError(source, [yaml_problem(exc)]) from exc
    if not isinstance(data, dict):
        raise KitLoadError(source, ["(top level): a kit must be a YAML mapping"])
    try:
        return Kit.model_validate(data)
    except ValidationError as exc:
        raise KitLoadError(source, _problems(exc)) from exc


def load_kit_file(path: Path) -> Kit:
    """Load one kit file from disk."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KitLoadError(str(path), [f"cannot read file: {exc.strerror}"]) from exc
    return parse_kit(text, source=str(path))


def builtin_kits() -> list[KitSource]:
    """The kits shipped inside the package."""
    found = []
    folder = resources.files("rubrics").joinpath("kits")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(KIT_SUFFIXES):
            kit = parse_kit(entry.read_text(encoding="utf-8"), source=f"built-in {entry.name}")
            found.append(KitSource(kit=kit, origin=f"built-in:{entry.name}", builtin=True))
    return found


def user_kits(directory: Path | None) -> list[KitSource]:
    """Kits from the configured directory; a missing directory simply has none."""
    if directory is None or not directory.is_dir():
        return []
    return [
        KitSource(kit=load_kit_file(path), origin=str(path), builtin=False)
        for path in sorted(directory.iterdir())
        if path.suffix in KIT_SUFFIXES
    ]


class KitRegistry:
    """All kits by id: built-ins first, then user kits overriding same-id built-ins."""

    def __init__(self, sources: Iterable[KitSource]) -> None:
        self._sources: dict[str, KitSource] = {}
        for source in sources:
            previous = self._sources.get(source.kit.id)
            if previous is not None and not previous.builtin and not source.builtin:
                raise KitLoadError(
                    source.origin, [f"id: kit id '{source.kit.id}' is also used by {previous.origin}"]
                )
            if previous is not None:
                logger.info(
                    "rubrics.kit_overridden",
                    extra={"kit_id": source.kit.id, "origin": source.origin},
                )
            self._sources[source.kit.id] = source

    @classmethod
    def load(cls, user_directory: Path | None = None) -> KitRegistry:
        return cls([*builtin_kits(), *user_kits(user_directory)])

    def get(self, kit_id: str) -> Kit:
        try:
            return self._sources[kit_id].kit
        except KeyError:
            raise UnknownKitError(kit_id, self._sources) from None

    def sources(self) -> list[KitSource]:
        return [self._sources[key] for key in sorted(self._sources)]

    def ids(self) -> list[str]:
        return sorted(self._sources)

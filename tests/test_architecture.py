"""The dependency direction of DESIGN.md, enforced: flows/ never reaches into platforms."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = ("bot", "slack_bolt", "slack_sdk", "botbuilder")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", ["flows", "rubrics", "storage"])
def test_core_packages_import_no_platform_code(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN_IN_CORE:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_botbuilder_stays_inside_bot_teams() -> None:
    offenders = []
    for path in sorted(ROOT.glob("**/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "build"} or relative.parts[:2] == ("bot", "teams"):
            continue
        if relative.parts[0] == "tests":
            continue
        if any(m.split(".")[0] == "botbuilder" for m in imported_modules(path)):
            offenders.append(str(relative))
    assert offenders == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    # Guard against a vacuous test: the import scanner must notice a forbidden import.
    sample = tmp_path / "x.py"
    sample.write_text("from slack_sdk import WebClient\nimport bot.cli\n", encoding="utf-8")
    assert {"slack_sdk", "bot.cli"} <= imported_modules(sample)

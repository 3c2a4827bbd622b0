"""Log calls never pass reserved LogRecord attributes in ``extra``.

``logger.info(..., extra={"created": 1})`` raises KeyError as soon as INFO is enabled
(as in ``panelbot serve``), turning a log line into a failed request. Tests run with
logging at WARNING, so only a scan of the code catches it.
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESERVED = set(logging.LogRecord("x", 1, "x", 1, "x", None, None).__dict__) | {"message", "asctime"}


def reserved_extras(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "extra" and isinstance(keyword.value, ast.Dict):
                for key in keyword.value.keys:
                    if isinstance(key, ast.Constant) and key.value in RESERVED:
                        found.append(f"{filename}:{node.lineno}: extra key {key.value!r}")
    return found


def test_no_reserved_keys_in_log_extras() -> None:
    problems = []
    for package in ("bot", "flows", "rubrics", "storage"):
        for path in sorted((ROOT / package).rglob("*.py")):
            problems += reserved_extras(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert problems == []


def test_the_scan_finds_a_reserved_key() -> None:
    sample = 'logger.info("x", extra={"created": 1, "fine": 2})'
    assert reserved_extras(sample, "sample.py") == ["sample.py:1: extra key 'created'"]

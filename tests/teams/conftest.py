"""Fixtures for the Teams renderer tests: the built-in kit and the Adaptive Cards schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from rubrics.loader import load_kit_file
from rubrics.schema import Kit
from tests.teams.cardtools import CardValidator, load_validator

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILTIN_KIT = REPO_ROOT / "rubrics" / "kits" / "backend-engineer.yaml"


@pytest.fixture(scope="session")
def kit() -> Kit:
    return load_kit_file(BUILTIN_KIT)


@pytest.fixture(scope="session")
def card_schema() -> CardValidator:
    """The official Adaptive Cards 1.5 schema from ``../shared/schemas`` (CI keeps it there)."""
    return load_validator()

"""Fixtures for the Slack adapter tests: the built-in kit and a running fake Slack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import rubrics.loader
from bot.slack.fake_api import FakeSlack
from rubrics.loader import load_kit_file
from rubrics.schema import Kit

# The built-in kit file, found next to the loader module. (Not through
# ``KitRegistry.load``: under pytest's default import mode, with ``tests/conftest.py``
# putting ``tests/`` on sys.path, ``import rubrics`` can resolve to the ``tests/rubrics``
# namespace package, and ``importlib.resources`` then looks for kits there.)
BUILTIN_KIT = Path(rubrics.loader.__file__).resolve().parent / "kits" / "backend-engineer.yaml"


@pytest.fixture(scope="session")
def kit() -> Kit:
    return load_kit_file(BUILTIN_KIT)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake

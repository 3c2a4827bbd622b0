"""Fixtures for the Teams tests: the built-in kit, the Adaptive Cards schema, the bot on a database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.local import ManualClock
from bot.services import Services
from bot.settings import load_settings
from rubrics.loader import KitRegistry, load_kit_file
from rubrics.schema import Kit
from storage import migrate
from storage.db import make_engine
from storage.enums import Platform
from storage.inputs import RequisitionCreate
from storage.repository import require_id
from tests.teams.cardtools import CardValidator, load_validator
from tests.teams.fake_connector import FakeConnector
from tests.teams.teamstools import CHANNEL, TENANT, Bench

# Tue 24 Nov 2026, 08:00 UTC.
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILTIN_KIT = REPO_ROOT / "rubrics" / "kits" / "backend-engineer.yaml"


@pytest.fixture(scope="session")
def kit() -> Kit:
    return load_kit_file(BUILTIN_KIT)


@pytest.fixture(scope="session")
def card_schema() -> CardValidator:
    """The official Adaptive Cards 1.5 schema from ``../shared/schemas`` (CI keeps it there)."""
    return load_validator()


# --- the Teams bot on a database ------------------------------------------------------


@pytest.fixture
def teams_db(tmp_path: Path) -> str:
    """A migrated SQLite database (the Teams logic does not depend on the backend)."""
    url = f"sqlite:///{tmp_path / 'teams.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def services(teams_db: str, clock: ManualClock) -> Iterator[Services]:
    settings = load_settings(database_url=teams_db, teams_enabled=True, kits_dir=None,
                             workspace_id="T0LOCAL")
    engine = make_engine(teams_db)
    try:
        yield Services(settings=settings, engine=engine, kits=KitRegistry.load(None), clock=clock)
    finally:
        engine.dispose()


@pytest.fixture
def bench(services: Services, card_schema: CardValidator) -> Bench:
    return Bench(services, card_schema)


@pytest.fixture
def requisition(services: Services) -> int:
    """A Teams requisition: hiring channel CHANNEL, recruiter Rosa, hiring manager Dana."""
    return create_requisition(services)


def create_requisition(services: Services, *, platform: Platform = Platform.TEAMS,
                       ws: str = TENANT, channel: str = CHANNEL) -> int:
    data = RequisitionCreate(
        title="Senior Backend Engineer", kit_id="backend-engineer", channel_id=channel,
        hiring_managers=["aad-dana"], recruiters=["aad-rosa"], platform=platform,
    )
    return services.run(lambda s: require_id(s.create_requisition(ws, data)))


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    """A fake Bot Connector service; activities point their serviceUrl at it."""
    with FakeConnector() as fake:
        yield fake

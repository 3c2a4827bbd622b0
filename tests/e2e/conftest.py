"""A running panelbot server, a fake Slack Web API and signed requests between them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.local import LocalServer, ManualClock
from bot.settings import Settings, load_settings
from bot.slack.fake_api import FakeSlack
from bot.slack.simulate import SlackSimulator
from storage.db import make_engine, session_scope
from storage.inputs import RequisitionCreate
from storage.repository import Store, require_id

TEAM = "T0PANEL"
SECRET = "e2e-signing-secret"
CHANNEL = "C0HIRING"
# Tue 24 Nov 2026, 08:00 UTC: a working morning in Europe, before dawn in the Americas.
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

PEOPLE = {
    "U0RECRUIT": ("Rosa Mendes", "Europe/Lisbon"),
    "U0HM": ("Dana Okafor", "America/New_York"),
    "U0MAYA": ("Maya Chen", "America/Los_Angeles"),
    "U0TOM": ("Tom Becker", "Europe/Berlin"),
    "U0AISHA": ("Aisha Bello", "Africa/Lagos"),
    "U0LUIS": ("Luis Ortega", "America/Mexico_City"),
    "U0OUTSIDER": ("Olga Outsider", "UTC"),
}


@dataclass
class Loop:
    fake: FakeSlack
    server: LocalServer
    sim: SlackSimulator
    clock: ManualClock
    settings: Settings
    requisition_id: int

    def store(self, work: Callable[[Store], Any]) -> Any:
        engine = make_engine(self.settings.database_url)
        try:
            with session_scope(engine) as session:
                return work(Store(session))
        finally:
            engine.dispose()

    def wait(self, condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what or condition}")

    def dms(self, user: str) -> list[dict[str, Any]]:
        return self.fake.messages(f"D{user}")


def make_loop(tmp_path: Path, database_url: str | None = None) -> Iterator[Loop]:
    fake = FakeSlack(team_id=TEAM).start()
    for user, (name, tz) in PEOPLE.items():
        fake.add_user(user, name, tz)
    clock = ManualClock(START)
    settings = load_settings(
        database_url=database_url or f"sqlite:///{tmp_path / 'e2e.db'}",
        slack_bot_token="xoxb-e2e-token",
        slack_signing_secret=SECRET,
        slack_api_url=fake.url,
        workspace_id=TEAM,
        timer_poll=timedelta(seconds=0.2),
        kits_dir=None,
    )
    server = LocalServer(settings, clock=clock).start()
    loop = Loop(
        fake=fake,
        server=server,
        sim=SlackSimulator(events_url=f"{server.url}/slack/events", signing_secret=SECRET,
                           fake=fake, team_id=TEAM),
        clock=clock,
        settings=settings,
        requisition_id=0,
    )
    requisition = loop.store(lambda s: s.create_requisition(TEAM, RequisitionCreate(
        title="Senior Backend Engineer", kit_id="backend-engineer", channel_id=CHANNEL,
        hiring_managers=["U0HM"], recruiters=["U0RECRUIT"],
    )))
    loop.requisition_id = require_id(requisition)
    try:
        yield loop
    finally:
        server.stop()
        fake.stop()


@pytest.fixture
def loop(tmp_path: Path) -> Iterator[Loop]:
    yield from make_loop(tmp_path)

"""Slack and Teams in one process: timers and retries go through their own platform.

One due-work runner serves both platforms. A timer fires through the platform of its
requisition; each deliverer retries only its own platform's ledger rows; a platform the
process does not serve leaves its rows pending for a replica that does, sent once.
Also: ``build_parts`` wires both, and ``panelbot serve`` answers ``/api/messages``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import requests
from sqlalchemy import Engine

from bot.delivery import Deliverer
from bot.local import LocalServer, ManualClock
from bot.scheduler import DueWorkRunner
from bot.services import Services
from bot.settings import SettingsError, load_settings
from bot.wiring import build_parts
from flows.loops import schedule_interview_timers
from flows.messages import Message
from flows.outbound import Recipient
from storage.enums import DeliveryStatus, Platform
from storage.inputs import InterviewPlan, PanelCreate
from storage.repository import Store, require_id
from tests.teams.conftest import START, create_requisition
from tests.teams.fake_connector import FakeConnector
from tests.teams.teamstools import TENANT, install

SLACK_TEAM = "T0SLACK"


@dataclass
class Recorder:
    """A platform sender that records what it was asked to send."""

    platform: Platform
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    async def send(self, workspace_id: str, recipient: Recipient, message: Message) -> str:
        self.sent.append((workspace_id, recipient.id, message.title))
        return f"{recipient.id}:{len(self.sent)}"

    async def update(self, workspace_id: str, reference: str, message: Message) -> None:
        raise AssertionError("not used here")


def deliverer(engine: Engine, clock: ManualClock, platform: Platform) -> Deliverer:
    return Deliverer(engine, Recorder(platform), clock=clock)


def loop_in(services: Services, ws: str, requisition: int, interviewer: str) -> None:
    """One interview tomorrow 10:00 UTC with its briefing and reminders scheduled."""
    starts = START + timedelta(days=1, hours=2)
    plan = InterviewPlan(stage_key="coding", interviewer_id=interviewer, starts_at=starts,
                         ends_at=starts + timedelta(hours=1))

    def work(store: Store) -> None:
        panel = store.create_panel(ws, PanelCreate(
            requisition_id=requisition, candidate_name="Priya Raman", created_by="rec",
            interviews=[plan]))
        for interview in store.panel_interviews(ws, require_id(panel)):
            schedule_interview_timers(store, ws, interview, services.timings(), START)

    services.run(work)


def sent(d: Deliverer) -> list[tuple[str, str, str]]:
    assert isinstance(d.sender, Recorder)
    return d.sender.sent


def test_each_timer_goes_out_through_its_requisitions_platform(
    services: Services, clock: ManualClock
) -> None:
    slack_req = create_requisition(services, platform=Platform.SLACK, ws=SLACK_TEAM,
                                   channel="C0HIRING")
    teams_req = create_requisition(services)
    loop_in(services, SLACK_TEAM, slack_req, "U0MAYA")
    loop_in(services, TENANT, teams_req, "aad-maya")
    slack = deliverer(services.engine, clock, Platform.SLACK)
    teams = deliverer(services.engine, clock, Platform.TEAMS)
    runner = DueWorkRunner(services, slack, teams)

    clock.set(START + timedelta(days=1, hours=1, minutes=31))  # both briefings are due
    assert asyncio.run(runner.tick()) == 2
    assert [(ws, who) for ws, who, _ in sent(slack)] == [(SLACK_TEAM, "U0MAYA")]
    assert [(ws, who) for ws, who, _ in sent(teams)] == [(TENANT, "aad-maya")]
    assert asyncio.run(runner.tick()) == 0  # nothing twice
    assert len(sent(slack)) == len(sent(teams)) == 1


def test_a_platform_this_process_does_not_serve_waits_for_one_that_does(
    services: Services, clock: ManualClock
) -> None:
    teams_req = create_requisition(services)
    loop_in(services, TENANT, teams_req, "aad-maya")
    slack_only = DueWorkRunner(services, deliverer(services.engine, clock, Platform.SLACK))
    clock.set(START + timedelta(days=1, hours=1, minutes=31))
    assert asyncio.run(slack_only.tick()) == 1  # fired and reserved, not sent by Slack
    assert sent(slack_only.deliverer) == []
    (row,) = services.run(lambda s: s.pending_deliveries(None, clock() + timedelta(minutes=5)))
    assert (row.platform, row.status, row.kind) == (Platform.TEAMS, DeliveryStatus.PENDING, "briefing")

    # The Slack side's retries never claim (or delay) the Teams row.
    clock.advance(timedelta(minutes=3))
    asyncio.run(slack_only.tick())
    assert services.run(lambda s: s.pending_deliveries(None, clock()))[0].id == row.id

    teams = deliverer(services.engine, clock, Platform.TEAMS)
    asyncio.run(DueWorkRunner(services, teams).tick())
    assert [who for _, who, _ in sent(teams)] == ["aad-maya"]
    asyncio.run(DueWorkRunner(services, teams).tick())
    assert len(sent(teams)) == 1


def test_build_parts_serves_both_platforms_in_one_process(teams_db: str) -> None:
    settings = load_settings(database_url=teams_db, teams_enabled=True, kits_dir=None,
                             slack_bot_token="xoxb-test", slack_signing_secret="secret")
    parts, slack_runtime = build_parts(settings)
    try:
        assert parts.slack is not None and parts.teams is not None and slack_runtime is not None
        (runner,) = parts.runners
        assert set(runner.deliverers) == {Platform.SLACK, Platform.TEAMS}
        assert runner.deliverer is slack_runtime.deliverer
    finally:
        parts.services.engine.dispose()


def test_teams_without_an_app_id_warns_loudly(teams_db: str, caplog: pytest.LogCaptureFixture) -> None:
    settings = load_settings(database_url=teams_db, teams_enabled=True, kits_dir=None)
    with caplog.at_level(logging.WARNING):
        parts, _ = build_parts(settings)
    parts.services.engine.dispose()
    (warning,) = [r for r in caplog.records if r.getMessage() == "teams.auth_disabled"]
    assert "UNSIGNED" in warning.detail  # type: ignore[attr-defined]
    assert parts.slack is None and parts.teams is not None and len(parts.runners) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"teams_app_id": "8f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"}, "PANELBOT_TEAMS_APP_PASSWORD"),
        ({"teams_app_password": "s3cret"}, "PANELBOT_TEAMS_APP_ID"),
    ],
)
def test_half_configured_teams_fails_at_start(
    teams_db: str, overrides: dict[str, str], message: str
) -> None:
    settings = load_settings(database_url=teams_db, teams_enabled=True, kits_dir=None, **overrides)
    with pytest.raises(SettingsError) as raised:
        build_parts(settings)
    assert message in str(raised.value) and "s3cret" not in str(raised.value)


def test_the_served_process_answers_teams(teams_db: str, connector: FakeConnector) -> None:
    settings = load_settings(database_url=teams_db, teams_enabled=True, kits_dir=None)
    with LocalServer(settings) as server:
        health = requests.get(f"{server.url}/healthz", timeout=5).json()
        assert health["teams"] is True and health["slack"] is False
        answer = requests.post(f"{server.url}/api/messages", timeout=10,
                               json=install("aad-maya", service_url=connector.url))
        assert answer.status_code == 201
        assert server.parts is not None
        ref = server.parts.services.run(
            lambda s: s.get_conversation_ref(TENANT, Platform.TEAMS, "aad-maya"))
        assert ref is not None
        metrics = requests.get(f"{server.url}/metrics", timeout=5).text
        assert 'panelbot_requests_total{path="/api/messages",status="201"}' in metrics

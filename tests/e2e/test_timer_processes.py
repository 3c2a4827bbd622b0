"""Briefings and reminders across real ``panelbot serve`` processes: restarts and replicas.

Each test starts the console command as separate processes against one database and one
fake Slack Web API (in this test process), kills processes with SIGKILL, and counts the
DMs Slack received: each briefing and reminder must arrive exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.local import free_port
from bot.slack.fake_api import FakeSlack
from flows.loops import LoopTimings, schedule_interview_timers
from storage import migrate
from storage.db import make_engine, session_scope
from storage.enums import Platform
from storage.inputs import InterviewPlan, PanelCreate, RequisitionCreate
from storage.repository import Store, require_id

TEAM = "T0PROC"
ROUND_THE_CLOCK = {"PANELBOT_WORKING_HOURS": "00:00-24:00", "PANELBOT_WORKING_DAYS": "mon-sun"}
TIMINGS = LoopTimings(
    briefing_lead=timedelta(seconds=4), first_reminder=timedelta(seconds=2), max_reminders=2,
    work_start=datetime.min.time(), work_end=datetime.max.time(), work_days=frozenset(range(7)),
)


class Replica:
    """One ``panelbot serve`` process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "serve",
             "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, stdout=self.log, stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(f"panelbot serve exited; see {log}") from None
                time.sleep(0.1)
        raise AssertionError(f"panelbot serve did not become healthy; see {log}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(team_id=TEAM) as slack:
        for index in range(12):
            slack.add_user(f"U{index:03d}", f"Interviewer {index}", "UTC")
        slack.add_user("U0REC", "Rosa Recruiter", "UTC")
        yield slack


def env_for(db_url: str, fake: FakeSlack) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANELBOT_", "SLACK_"))}
    env.update(ROUND_THE_CLOCK)
    env.update({
        "PANELBOT_DATABASE_URL": db_url,
        "PANELBOT_SLACK_BOT_TOKEN": "xoxb-process-test",
        "PANELBOT_SLACK_SIGNING_SECRET": "process-secret",
        "PANELBOT_SLACK_API_URL": fake.url,
        "PANELBOT_TIMER_POLL": "200ms",
        "PANELBOT_CLAIM_LEASE": "3s",  # a killed replica's claims pass on quickly
        "PANELBOT_KITS_DIR": "/nonexistent",
        "PANELBOT_LOG_LEVEL": "INFO",
    })
    return env


def plan_loop(db_url: str, interviews: list[tuple[str, datetime]]) -> list[int]:
    """A loop of coding interviews (interviewer, start) with timers, written to the DB."""
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    now = datetime.now(UTC)
    try:
        with session_scope(engine) as session:
            store = Store(session)
            requisition = store.create_requisition(TEAM, RequisitionCreate(
                title="Backend Engineer", kit_id="backend-engineer", channel_id="C0HIRE",
                hiring_managers=["U0REC"], recruiters=["U0REC"],
            ))
            panel = store.create_panel(TEAM, PanelCreate(
                requisition_id=require_id(requisition), candidate_name="Sam Lee", created_by="U0REC",
                interviews=[
                    InterviewPlan(stage_key="coding", interviewer_id=user, starts_at=start,
                                  ends_at=start + timedelta(seconds=1))
                    for user, start in interviews
                ],
            ))
            for user, _ in interviews:
                store.upsert_person(TEAM, Platform.SLACK, user, display_name=user, tz="UTC")
            rows = store.panel_interviews(TEAM, require_id(panel))
            for interview in rows:
                schedule_interview_timers(store, TEAM, interview, TIMINGS, now)
            return [require_id(i) for i in rows]
    finally:
        engine.dispose()


def dms(fake: FakeSlack, needle: str) -> dict[str, int]:
    """How many DMs containing ``needle`` each user received."""
    counts: dict[str, int] = {}
    for call in fake.calls("chat.postMessage"):
        if call.ok and needle in str(call.args.get("text", "")):
            channel = str(call.args.get("channel"))
            user = channel[1:] if channel.startswith("D") else channel
            counts[user] = counts.get(user, 0) + 1
    return counts


def wait_for(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)


def test_restart_loses_nothing_and_sends_nothing_twice(
    db_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    start = datetime.now(UTC) + timedelta(seconds=7)
    plan_loop(db_url, [("U000", start)])  # briefing due in ~3 s, first reminder in ~10 s
    env = env_for(db_url, fake)
    first = Replica(env, tmp_path / "first.log")
    try:
        first.kill()  # before anything is due
        time.sleep(max(0.0, (start + timedelta(seconds=4) - datetime.now(UTC)).total_seconds()))
        second = Replica(env, tmp_path / "second.log")  # both timers are now overdue
        try:
            wait_for(lambda: dms(fake, "Briefing").get("U000") and dms(fake, "overdue").get("U000"), 15)
            time.sleep(1.0)  # several more polls: nothing may fire again
        finally:
            second.stop()
    finally:
        first.stop()
    assert dms(fake, "Briefing") == {"U000": 1}
    assert dms(fake, "overdue") == {"U000": 1}


@pytest.mark.postgres
def test_two_replicas_deliver_every_timer_once_even_when_one_dies(
    postgres_url: str, fake: FakeSlack, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    users = [f"U{index:03d}" for index in range(12)]
    # Staggered interviews: briefings due from ~1 s to ~12 s, reminders ~3 s after each end.
    plan = [(user, now + timedelta(seconds=5 + index)) for index, user in enumerate(users)]
    plan_loop(postgres_url, plan)
    env = env_for(postgres_url, fake)
    a = Replica(env, tmp_path / "a.log")
    b = Replica(env, tmp_path / "b.log")
    try:
        time.sleep(4)
        a.kill()  # midway: some timers fired, others still ahead
        c = Replica(env, tmp_path / "c.log")
        try:
            wait_for(lambda: len(dms(fake, "overdue")) == len(users)
                     and len(dms(fake, "Briefing")) == len(users), 40)
            time.sleep(1.0)
        finally:
            c.stop()
    finally:
        a.stop()
        b.stop()
    assert dms(fake, "Briefing") == dict.fromkeys(users, 1)
    assert dms(fake, "overdue") == dict.fromkeys(users, 1)

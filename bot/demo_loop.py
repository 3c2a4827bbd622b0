"""``panelbot demo``: a whole loop through the real Bolt app and a fake Slack, on loopback.

Nothing here is staged: the recruiter's ``/panel``, each interviewer's modal and the
hiring manager's click are signed HTTP requests to the same server ``panelbot serve``
runs, and every message is whatever that server posted to the (in-process) Slack Web
API. A manual clock moves the loop from invites to briefings to reminders in seconds.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console

from bot.cli_errors import CliError
from bot.local import LocalServer, ManualClock
from bot.settings import load_settings
from bot.slack.fake_api import Call, FakeSlack
from bot.slack.simulate import SlackSimulator, buttons
from bot.terminal import print_debrief
from flows.panel_debrief import panel_debrief
from flows.sample_loop import (
    CANDIDATE,
    HIRING_MANAGER,
    RECRUITER,
    ROLE_TITLE,
    SampleCard,
    sample_cards,
)
from rubrics.schema import Kit
from storage.db import make_engine, session_scope
from storage.enums import Platform
from storage.inputs import RequisitionCreate
from storage.repository import Store, require_id

TEAM = "T0DEMO"
CHANNEL = "C0HIRING"
DEMO_START = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday morning


class Transcript:
    """Prints what the fake Slack received since the last step, as people would see it."""

    def __init__(self, console: Console, fake: FakeSlack, names: dict[str, str]) -> None:
        self.console = console
        self.fake = fake
        self.names = names
        self.seen = 0

    def who(self, target: str) -> str:
        if target == CHANNEL:
            return "#hiring"
        user = target[1:] if target.startswith("D") else target
        return self.names.get(user, target)

    def person(self, user: str, action: str) -> None:
        self.console.print(f"[bold cyan]{self.names.get(user, user)}[/] {action}", highlight=False)

    def flush(self, settle: float = 0.3) -> None:
        time.sleep(settle)
        calls = self.fake.calls()
        for call in calls[self.seen:]:
            line = self._describe(call)
            if line:
                self.console.print(f"   [green]panelbot[/] {line}", highlight=False)
        self.seen = len(calls)

    def _describe(self, call: Call) -> str | None:
        args = call.args
        if not call.ok:
            return f"[red]{call.method} failed: {call.error}[/]"
        if call.method == "chat.postMessage":
            return f"→ {self.who(str(args.get('channel')))}: {_first_line(args.get('text'))}"
        if call.method == "chat.postEphemeral":
            return f"→ {self.who(str(args.get('user')))} (only they see it): {_first_line(args.get('text'))}"
        if call.method == "chat.update":
            return f"updates the debrief in {self.who(str(args.get('channel')))}: {_first_line(args.get('text'))}"
        if call.method in ("views.open", "views.update"):
            view = _json(args.get("view"))
            inputs = sum(1 for b in view.get("blocks", []) if b.get("type") == "input")
            title = (view.get("title") or {}).get("text", "")
            verb = "opens" if call.method == "views.open" else "refreshes"
            return f"{verb} the modal “{title}” ({inputs} inputs)"
        if call.method == "views.publish":
            return f"refreshes the App Home of {self.who(str(args.get('user_id')))}"
        if call.method == "files.completeUploadExternal":
            files = _json(args.get("files"))
            names = ", ".join(str(f.get("title", "")) for f in files) if isinstance(files, list) else ""
            return f"attaches a calendar invite ({names})"
        return None


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else (value or {})


def _first_line(text: Any) -> str:
    line = str(text or "").splitlines()[0] if text else ""
    return line if len(line) <= 110 else line[:109] + "…"


def _wait(condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise CliError("the demo server did not answer in time; run with -v to see its logs")


def _dm_with(fake: FakeSlack, user: str, needle: str) -> dict[str, Any] | None:
    return next((m for m in fake.messages(f"D{user}") if needle in json.dumps(m)), None)


def _briefing(fake: FakeSlack, user: str) -> dict[str, Any] | None:
    return _dm_with(fake, user, "Briefing:")


def run_demo(console: Console, kit: Kit, folder: Path) -> None:
    """Drive one loop end to end and print the transcript and the debrief."""
    cards = sample_cards(kit)
    people = [RECRUITER, HIRING_MANAGER, *(c.interviewer for c in cards)]
    names = {p.user_id: p.name for p in people}
    clock = ManualClock(DEMO_START)
    secret = secrets.token_hex(16)
    with FakeSlack(team_id=TEAM) as fake:
        for person in people:
            fake.add_user(person.user_id, person.name, person.tz)
        settings = load_settings(
            database_url=f"sqlite:///{folder / 'panelbot-demo.db'}",
            slack_bot_token="xoxb-demo-not-a-real-token",
            slack_signing_secret=secret,
            slack_api_url=fake.url,
            workspace_id=TEAM,
            timer_poll=timedelta(seconds=0.1),
            kits_dir=None,
        )
        with LocalServer(settings, clock=clock) as server:
            engine = make_engine(settings.database_url)
            sim = SlackSimulator(events_url=f"{server.url}/slack/events", signing_secret=secret,
                                 fake=fake, team_id=TEAM)
            out = Transcript(console, fake, names)

            def db(work: Callable[[Store], Any]) -> Any:
                with session_scope(engine) as session:
                    return work(Store(session))

            requisition_id = require_id(db(lambda s: s.create_requisition(TEAM, RequisitionCreate(
                title=ROLE_TITLE, level="Senior", kit_id=kit.id, channel_id=CHANNEL,
                hiring_managers=[HIRING_MANAGER.user_id], recruiters=[RECRUITER.user_id],
            ))))
            console.rule(f"Requisition #{requisition_id}: {ROLE_TITLE} · kit {kit.id}")
            _create_loop(sim, out, kit, cards, clock)
            for card in cards:
                clock.set(max(clock(), card.starts_at - settings.briefing_lead + timedelta(seconds=1)))
                _wait(partial(_briefing, fake, card.interviewer.user_id))
                console.rule(f"{kit.stage(card.stage_key).title} · {card.starts_at:%a %H:%M} UTC")
                out.flush()
                clock.set(card.ends_at + timedelta(minutes=10))
                _score(sim, out, fake, card)
            _debrief_and_decide(sim, out, fake)
            debrief = db(lambda s: panel_debrief(
                s, TEAM, 1, kit, lambda uid: s.display_name(TEAM, Platform.SLACK, uid)))
            engine.dispose()
    console.print()
    print_debrief(console, debrief, candidate=CANDIDATE, role=ROLE_TITLE)


def _create_loop(sim: SlackSimulator, out: Transcript, kit: Kit, cards: list[SampleCard],
                 clock: ManualClock) -> None:
    out.person(RECRUITER.user_id, "types /panel")
    _, trigger, _ = sim.command(RECRUITER.user_id, "/panel")
    view = sim.wait_view(trigger)
    out.flush()
    values: dict[str, Any] = {"candidate": CANDIDATE}
    for stage in kit.stages:
        card = next((c for c in cards if c.stage_key == stage.key), None)
        if card is None:
            values[f"{stage.key}__skip"] = ["skip"]
            continue
        values[f"{stage.key}__interviewer"] = card.interviewer.user_id
        values[f"{stage.key}__start"] = card.starts_at
    out.person(RECRUITER.user_id, f"fills in {CANDIDATE} and {len(cards)} interviews, presses Create loop")
    sim.submit(RECRUITER.user_id, view, values)
    _wait(lambda: sim.fake.messages(CHANNEL))
    out.flush(0.6)


def _score(sim: SlackSimulator, out: Transcript, fake: FakeSlack, card: SampleCard) -> None:
    user = card.interviewer.user_id
    briefing = _briefing(fake, user)
    assert briefing is not None
    button = buttons(briefing)[0]
    out.person(user, "clicks “Open scorecard” in the briefing")
    _, trigger = sim.click(user, button["action_id"], button["value"], channel_id=f"D{user}")
    view = sim.wait_view(trigger)
    out.flush()
    values: dict[str, Any] = {}
    for competency, (level, note) in card.ratings.items():
        values[f"rating__{competency}"] = level
        values[f"note__{competency}"] = note
    values["recommendation"] = card.recommendation
    if card.red_flags:
        flags = next(b for b in view["blocks"] if b.get("block_id") == "red_flags")
        values["red_flags"] = [o["value"] for o in flags["element"]["options"]
                               if o["text"]["text"] in card.red_flags]
    out.person(user, f"rates {len(card.ratings)} competencies with evidence, "
               f"recommends “{card.recommendation.replace('_', ' ')}” and submits")
    answer = sim.submit(user, view, values)
    if answer.body.strip():
        out.console.print(f"   [red]inline errors: {answer.body}[/]", highlight=False)
    _wait(lambda: _dm_with(fake, user, "Scorecard submitted"))
    out.flush()


def _debrief_and_decide(sim: SlackSimulator, out: Transcript, fake: FakeSlack) -> None:
    out.console.rule("Debrief")
    out.person(RECRUITER.user_id, f"types /debrief {CANDIDATE.split()[0].lower()}")
    sim.command(RECRUITER.user_id, "/debrief", CANDIDATE.split()[0].lower())
    post = _wait(lambda: [m for m in fake.messages(CHANNEL) if "Debrief:" in json.dumps(m)])[-1]
    out.flush()
    approve = buttons(post)[0]
    out.person(HIRING_MANAGER.user_id, "clicks Approve on the debrief")
    _, trigger = sim.click(HIRING_MANAGER.user_id, approve["action_id"], approve["value"],
                           channel_id=CHANNEL, message_ts=post["ts"])
    view = sim.wait_view(trigger)
    out.flush()
    reason = "Strong design and async evidence; ownership concerns are coachable with a mentor."
    out.person(HIRING_MANAGER.user_id, f"gives the reason “{reason}” and confirms")
    sim.submit(HIRING_MANAGER.user_id, view, {"reason": reason})
    _wait(lambda: [m for m in fake.messages(CHANNEL) if "Decision" in json.dumps(m.get("blocks"))])
    out.flush(0.5)

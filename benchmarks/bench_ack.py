"""Slack ack latency under load: ``.venv/bin/python benchmarks/bench_ack.py``.

Slack waits 3 s for the HTTP answer to an interaction; the issue's targets are
p99 <= 100 ms and p99 <= 1.5x a bare Bolt app, at 50 concurrent requests.

What runs (three processes, so neither server shares a GIL with the load generator):

* **panelbot**: ``bot.local.LocalServer`` (the real aiohttp + Bolt web process, its
  timer/retry runner included) on a SQLite file database in a temp dir, talking to
  ``bot.slack.fake_api.FakeSlack`` as its Web API. FakeSlack runs in a third process:
  in production Slack's CPU is not on the bot's box. Its Block Kit limit checks are off
  unless ``--validate-fake`` (the e2e tests check payloads; here they would only add load).
* **bare**: a ``slack_bolt`` ``AsyncApp`` served by aiohttp exactly like panelbot's
  ``/slack/events`` (``to_bolt_request`` -> ``async_dispatch`` -> ``to_aiohttp_response``),
  same signing secret, same ``process_before_response=False``, listeners that only
  ``await ack()`` for the same callback/action ids. It measures Bolt + HTTP overhead.
* **load generator** (this process): an aiohttp client with ``--concurrency`` workers
  in a closed loop (each sends its next request when its answer arrives), keep-alive
  connections, every request signed like Slack's (``v0`` HMAC, fresh timestamp).
  Latency = from sending the request to having read the whole answer.

The bodies are built by ``bot.slack.simulate.SlackSimulator`` (the e2e tests' Slack), so
they have Slack's shape. Up front, ``warmup + requests`` interviews are created through
the storage API (``flows.loops.create_loop``: panels of 5 stages, with their briefing and
reminder timers), one panel per candidate. Then, for each kind, bare is measured and
then panelbot, each after its own warm-up:

1. ``block_actions``  -- "Open scorecard" clicked by the interviewer on every interview;
   panelbot acks, then loads the interview and calls ``views.open`` in the background.
   The modal each click opened is read back from FakeSlack and used below.
2. ``view_submission (errors)`` -- that modal submitted with a missing rating and an
   extreme rating without evidence: answered with ``response_action: errors``.
3. ``view_submission (valid)`` -- that modal submitted complete: a *real first
   submission* of a distinct interview each time (stored, interview completed, timers
   cancelled, confirmation reserved in the ledger and DM'd after the ack).
4. ``view_submission (repeat)`` -- the same submissions again (Slack retry / double
   click): the idempotent path, reported separately.

``--profile`` also instruments the panelbot process (DB queue wait, SQLite lock wait,
SQL and Python time per transaction, Bolt dispatch time) and samples every thread's
stack every 2 ms; it slows panelbot down, so use a plain run for the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import math
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TEAM = "T0PANEL"
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
CHANNEL = "C0HIRING"
KIT_ID = "backend-engineer"
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # the servers' ManualClock
P99_TARGET_MS = 100.0
RATIO_TARGET = 1.5
NOTE = "Walked through a concrete example with numbers, trade-offs and what they would change."

KINDS = (
    ("block_actions", "block_actions (Open scorecard)"),
    ("errors", "view_submission (inline errors)"),
    ("valid", "view_submission (valid, first submit)"),
    ("repeat", "view_submission (repeat, idempotent)"),
)


# --- child processes --------------------------------------------------------------------


def _configure_logging(log_path: str, level: str) -> None:
    """What ``panelbot serve`` does (level from settings, basicConfig), into a file."""
    logging.basicConfig(
        filename=log_path,
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


def _fake_process(conn: Any, users: dict[str, tuple[str, str]], validate: bool) -> None:
    from bot.slack.fake_api import FakeSlack

    fake = FakeSlack(team_id=TEAM, validate=validate).start()
    for user, (name, tz) in users.items():
        fake.add_user(user, name, tz)
    conn.send(fake.root)
    while True:
        command, arg = conn.recv()
        if command == "stop":
            break
        if command == "counts":
            conn.send(dict(Counter(f"{c.method}:{'ok' if c.ok else c.error}" for c in fake.calls())))
        elif command == "views":
            conn.send({trigger: fake.view_for_trigger(trigger) for trigger in arg})
        elif command == "opened_at":  # when views.open arrived, by trigger_id
            conn.send({str(c.args.get("trigger_id")): c.at for c in fake.calls("views.open")})
    fake.stop()
    conn.send("stopped")


class _Instruments:
    """Timing hooks and a stack sampler inside the panelbot process (``--profile``)."""

    def __init__(self, server: Any) -> None:
        import sqlalchemy as sa

        self.label = "idle"
        self.lock = threading.Lock()
        # per label: (queue wait, in transaction, back on the loop, {statement: seconds})
        self.db: dict[str, list[tuple[float, float, float, Counter[str]]]] = defaultdict(list)
        self.ledger: dict[str, list[float]] = defaultdict(list)
        self.dispatch: dict[str, list[float]] = defaultdict(list)
        self.samples: dict[str, dict[str, Counter[str]]] = defaultdict(
            lambda: {"self": Counter(), "cum": Counter(), "n": Counter()}
        )
        self._local = threading.local()
        self._sampling = threading.Event()
        services = server.parts.services
        run = services.run

        async def db(work: Callable[[Any], Any]) -> Any:
            called = time.perf_counter()
            marks: list[float] = []
            statements: Counter[str] = Counter()

            def timed() -> Any:
                marks.append(time.perf_counter())
                self._local.statements = statements
                try:
                    return run(work)
                finally:
                    self._local.statements = None
                    marks.append(time.perf_counter())

            result = await asyncio.to_thread(timed)
            resumed = time.perf_counter()
            with self.lock:
                self.db[self.label].append(
                    (marks[0] - called, marks[1] - marks[0], resumed - marks[1], statements)
                )
            return result

        services.db = db  # the listeners look it up on every call
        deliverer = server.runtime.deliverer
        ledger_db = deliverer._db

        def timed_ledger(work: Callable[[Any], Any]) -> Any:
            started = time.perf_counter()
            try:
                return ledger_db(work)
            finally:
                with self.lock:
                    self.ledger[self.label].append(time.perf_counter() - started)

        deliverer._db = timed_ledger

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            self._local.started = time.perf_counter()

        def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements = getattr(self._local, "statements", None)
            if statements is None:
                return
            spent = time.perf_counter() - self._local.started
            words = statement.lstrip().split(None, 2)
            statements[" ".join(words[:2]) if words[:1] == ["BEGIN"] else words[0]] += spent
            statements["#" + words[0]] += 1

        sa.event.listen(services.engine, "before_cursor_execute", before)
        sa.event.listen(services.engine, "after_cursor_execute", after)

        app = server.parts.slack
        dispatch = app.async_dispatch

        async def timed_dispatch(request: Any) -> Any:
            started = time.perf_counter()
            try:
                return await dispatch(request)
            finally:
                with self.lock:
                    self.dispatch[self.label].append(time.perf_counter() - started)

        app.async_dispatch = timed_dispatch
        threading.Thread(target=self._sample, name="bench-sampler", daemon=True).start()

    def start(self, label: str) -> None:
        self.label = label
        self._sampling.set()

    def stop(self) -> None:
        self._sampling.clear()
        self.label = "idle"

    def _sample(self) -> None:
        me = threading.get_ident()
        while True:
            self._sampling.wait()
            names = {t.ident: t.name for t in threading.enumerate()}
            label = self.label
            frames: Any = sys._current_frames()
            for ident, frame in frames.items():
                if ident == me:
                    continue
                name = names.get(ident, "?")
                group = (
                    "event loop" if name == "panelbot-server"
                    else "db workers" if name.startswith("asyncio_")
                    else name
                )
                seen: set[str] = set()
                leaf = None
                stack: Any = frame
                while stack is not None:
                    code = stack.f_code
                    where = f"{_short(code.co_filename)}:{code.co_name}"
                    if leaf is None:
                        leaf = where
                    seen.add(where)
                    stack = stack.f_back
                bucket = self.samples[f"{label}|{group}"]
                bucket["n"]["all"] += 1
                bucket["self"][leaf or "?"] += 1
                bucket["cum"].update(seen)
            frames = frame = stack = None  # drop references to other threads' frames
            time.sleep(0.002)

    def report(self) -> dict[str, Any]:
        with self.lock:
            return {
                "db": {k: [(a, b, c, dict(d)) for a, b, c, d in v] for k, v in self.db.items()},
                "ledger": dict(self.ledger),
                "dispatch": dict(self.dispatch),
                "samples": {
                    k: {
                        "n": v["n"]["all"],
                        "self": v["self"].most_common(25),
                        "cum": v["cum"].most_common(80),
                    }
                    for k, v in self.samples.items()
                },
            }


WHAT_IFS = {
    "serial-db": "one process-wide lock around every DB transaction (a single writer, "
                 "so no thread sleeps in SQLite's busy handler)",
    "shared-session": "one aiohttp ClientSession for the Slack Web API client (keep-alive "
                      "instead of a new connection per call)",
    "switch-interval": "sys.setswitchinterval(0.0005) instead of 5 ms, so the event loop "
                       "waits less for the GIL after each socket write, select or HMAC",
}


def _apply_what_ifs(server: Any, what_ifs: Sequence[str]) -> None:
    """Patch the running panelbot (in the benchmark's server process only) to size a fix."""
    if "serial-db" in what_ifs:
        lock = threading.Lock()
        services, deliverer = server.parts.services, server.runtime.deliverer
        run, ledger_db = services.run, deliverer._db

        def serial_run(work: Callable[[Any], Any]) -> Any:
            with lock:
                return run(work)

        def serial_ledger(work: Callable[[Any], Any]) -> Any:
            with lock:
                return ledger_db(work)

        services.run = serial_run
        deliverer._db = serial_ledger
    if "switch-interval" in what_ifs:
        sys.setswitchinterval(0.0005)
    if "shared-session" in what_ifs:
        import aiohttp

        async def session() -> aiohttp.ClientSession:
            return aiohttp.ClientSession()

        made = asyncio.run_coroutine_threadsafe(session(), server._loop).result(10)
        server.runtime.client.session = made


def _short(path: str) -> str:
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def _panelbot_process(
    conn: Any, database_url: str, api_url: str, log_path: str, log_level: str, profile: bool,
    what_ifs: Sequence[str],
) -> None:
    from bot.local import LocalServer, ManualClock
    from bot.settings import load_settings

    _configure_logging(log_path, log_level)
    settings = load_settings(
        database_url=database_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        workspace_id=TEAM,
        kits_dir=None,
        log_level=log_level,
    )
    server = LocalServer(settings, clock=ManualClock(START)).start()
    _apply_what_ifs(server, what_ifs)
    instruments = _Instruments(server) if profile else None
    conn.send(server.url)
    while True:
        command, arg = conn.recv()
        if command == "stop":
            break
        if instruments is None:
            conn.send(None)
        elif command == "profile":
            instruments.start(arg)
            conn.send(None)
        elif command == "unprofile":
            instruments.stop()
            conn.send(None)
        elif command == "report":
            conn.send(instruments.report())
    server.stop()
    conn.send("stopped")


def _bare_process(conn: Any, api_url: str, log_path: str, log_level: str) -> None:
    """A Bolt app that only acks, served the way bot/server.py serves panelbot's."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncAck, AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.local import free_port

    _configure_logging(log_path, log_level)
    port = free_port()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        bolt = AsyncApp(
            client=AsyncWebClient(token=TOKEN, base_url=api_url, timeout=10),
            signing_secret=SECRET,
            process_before_response=False,
            logger=logging.getLogger("bench.bare.bolt"),
        )

        @bolt.view("scorecard")
        async def submitted(ack: AsyncAck) -> None:
            await ack()

        @bolt.action("open_scorecard")
        async def clicked(ack: AsyncAck) -> None:
            await ack()

        async def slack_events(request: web.Request) -> web.StreamResponse:
            bolt_request = await to_bolt_request(request)
            bolt_response = await bolt.async_dispatch(bolt_request)
            return await to_aiohttp_response(bolt_response)

        app = web.Application()
        app.router.add_post("/slack/events", slack_events)
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        holder.update(loop=loop, runner=runner)
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="bare-server", daemon=True)
    thread.start()
    ready.wait(30)
    conn.send(f"http://127.0.0.1:{port}")
    while conn.recv()[0] != "stop":
        conn.send(None)
    loop = holder["loop"]
    asyncio.run_coroutine_threadsafe(holder["runner"].cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    conn.send("stopped")


@dataclass
class Child:
    name: str
    process: Any
    conn: Any
    url: str = ""

    def ask(self, command: str, arg: Any = None) -> Any:
        self.conn.send((command, arg))
        return self.conn.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            with contextlib.suppress(EOFError, OSError):
                self.ask("stop")
            self.process.join(15)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)


def start_child(ctx: Any, name: str, target: Callable[..., None], *args: Any) -> Child:
    parent, child = ctx.Pipe()
    process = ctx.Process(target=target, args=(child, *args), name=name, daemon=True)
    process.start()
    if not parent.poll(120):
        process.terminate()
        raise RuntimeError(f"{name} did not start")
    return Child(name, process, parent, parent.recv())


# --- data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    interview_id: int
    interviewer: str
    stage_key: str


class _Directory:
    def name(self, user_id: str) -> str:
        return user_id

    def tz(self, user_id: str) -> str:
        return "Europe/Berlin"


def seed(database_url: str, count: int) -> tuple[list[Target], dict[str, tuple[str, str]]]:
    """``count`` interviews in panels of one per stage, created as /panel would."""
    from flows.loops import LoopPlan, LoopTimings, PlannedInterview, create_loop
    from rubrics.loader import KitRegistry
    from storage import migrate
    from storage.db import make_engine, session_scope
    from storage.inputs import RequisitionCreate
    from storage.repository import Store

    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    kit = KitRegistry.load(None).get(KIT_ID)
    interviewers = {stage.key: f"U0BENCH{n}" for n, stage in enumerate(kit.stages)}
    users = {u: (f"Interviewer {u[-1]}", "Europe/Berlin") for u in interviewers.values()}
    users.update({"U0RECRUIT": ("Rosa Mendes", "Europe/Lisbon"),
                  "U0HM": ("Dana Okafor", "America/New_York")})
    timings = LoopTimings(timedelta(minutes=30), timedelta(hours=1), 3)
    with session_scope(engine) as session:
        requisition = Store(session, clock=lambda: START).create_requisition(
            TEAM, RequisitionCreate(title="Senior Backend Engineer", kit_id=KIT_ID,
                                    channel_id=CHANNEL, hiring_managers=["U0HM"],
                                    recruiters=["U0RECRUIT"]))
    targets: list[Target] = []
    for panel in range(math.ceil(count / len(kit.stages))):
        base = START + timedelta(days=1, hours=8 * panel)
        planned = []
        for n, stage in enumerate(kit.stages):
            starts = base + timedelta(minutes=75 * n)
            planned.append(PlannedInterview(stage.key, interviewers[stage.key], starts,
                                            starts + timedelta(minutes=stage.duration_minutes)))
        with session_scope(engine) as session:  # one transaction per loop, like the modal
            store = Store(session, clock=lambda: START)
            created = create_loop(
                store=store, workspace_id=TEAM, kit=kit, requisition=requisition,
                plan=LoopPlan(candidate_name=f"Candidate {panel:04d}", interviews=tuple(planned)),
                created_by="U0RECRUIT", directory=_Directory(), timings=timings, now=START,
            )
            for interview in store.panel_interviews(TEAM, created.panel_id):
                targets.append(Target(int(interview.id or 0), interview.interviewer_id,
                                      interview.stage_key))
    engine.dispose()
    return targets[:count], users


def submitted_count(database_url: str) -> int:
    from sqlmodel import func, select

    from storage.db import make_engine, session_scope
    from storage.enums import ScorecardStatus
    from storage.models import Scorecard

    engine = make_engine(database_url)
    with session_scope(engine) as session:
        count = session.exec(
            select(func.count()).select_from(Scorecard)
            .where(Scorecard.status == ScorecardStatus.SUBMITTED)
        ).one()
    engine.dispose()
    return int(count)


# --- request bodies ---------------------------------------------------------------------


class _FakeUrls:
    """The one FakeSlack method SlackSimulator needs to build bodies (response_url)."""

    def __init__(self, root: str) -> None:
        self.root = root

    def response_url(self, name: str) -> str:
        return f"{self.root}response/{name}"


def body_builder(fake_root: str) -> Any:
    from bot.slack.simulate import HttpAnswer, SlackSimulator

    class Recorder(SlackSimulator):
        """SlackSimulator that keeps the body instead of sending it (we send it async)."""

        last: tuple[str, str] = ("", "")

        def post(self, body: str, content_type: str, **_: Any) -> HttpAnswer:
            self.last = (body, content_type)
            return HttpAnswer(0, "")

    return Recorder(events_url="", signing_secret=SECRET, fake=_FakeUrls(fake_root),  # type: ignore[arg-type]
                    team_id=TEAM)


Request = tuple[str, str]  # body, content type


def click_requests(sim: Any, targets: Sequence[Target]) -> tuple[list[Request], list[str]]:
    from flows.briefing import scorecard_action

    bodies, triggers = [], []
    for target in targets:
        _, trigger = sim.click(target.interviewer, "open_scorecard",
                               scorecard_action(target.interview_id).value,
                               channel_id=f"D{target.interviewer}")
        bodies.append(sim.last)
        triggers.append(trigger)
    return bodies, triggers


def fill(view: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """Answers for the modal's inputs: complete, or with a missing and an unevidenced rating."""
    values: dict[str, Any] = {}
    ratings = [b["block_id"] for b in view["blocks"]
               if b.get("type") == "input" and b["block_id"].startswith("rating__")]
    for index, block_id in enumerate(ratings):
        competency = block_id.removeprefix("rating__")
        if complete:
            values[block_id] = "yes"
            values[f"note__{competency}"] = NOTE
        elif index == 0:
            values[block_id] = "strong_yes"  # extreme, no evidence
        elif index == 1:
            pass  # missing
        else:
            values[block_id] = "no"
    values["recommendation"] = "yes"
    return values


def submit_requests(sim: Any, targets: Sequence[Target], views: Sequence[dict[str, Any]],
                    *, complete: bool) -> list[Request]:
    bodies = []
    for target, view in zip(targets, views, strict=True):
        sim.submit(target.interviewer, view, fill(view, complete=complete))
        bodies.append(sim.last)
    return bodies


# --- load -------------------------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float]
    answers: list[tuple[int, str]]
    wall: float
    failures: int = 0
    sent_at: list[float] = field(default_factory=list)  # wall clock, per request

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1e3

    @property
    def non_2xx(self) -> int:
        return sum(1 for status, _ in self.answers if not 200 <= status < 300)


async def _load(url: str, requests: Sequence[Request], concurrency: int) -> Run:
    import aiohttp

    from bot.slack.simulate import sign

    latencies = [0.0] * len(requests)
    sent_at = [0.0] * len(requests)
    answers: list[tuple[int, str]] = [(0, "")] * len(requests)
    jobs = iter(enumerate(requests))
    failures = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            nonlocal failures
            for index, (body, content_type) in jobs:
                stamp = int(time.time())
                data = body.encode()
                headers = {
                    "Content-Type": content_type,
                    "X-Slack-Request-Timestamp": str(stamp),
                    "X-Slack-Signature": sign(SECRET, stamp, body),
                }
                sent_at[index] = time.time()
                started = time.perf_counter()
                try:
                    async with session.post(url, data=data, headers=headers) as response:
                        text = await response.text()
                        status = response.status
                except (TimeoutError, aiohttp.ClientError) as exc:
                    failures += 1
                    status, text = 599, repr(exc)
                latencies[index] = time.perf_counter() - started
                answers[index] = (status, text)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - began
    return Run(latencies, answers, wall, failures, sent_at)


def load(url: str, requests: Sequence[Request], concurrency: int) -> Run:
    return asyncio.run(_load(url + "/slack/events", requests, concurrency))


def ack_metric(url: str) -> dict[str, tuple[float, float]]:
    """panelbot's own ack histogram (sum, count) per kind, from GET /metrics."""
    with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
        text = response.read().decode()
    found: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for line in text.splitlines():
        for suffix, slot in (("_sum{", 0), ("_count{", 1)):
            if line.startswith("panelbot_ack_seconds" + suffix):
                kind = line.split('kind="', 1)[1].split('"', 1)[0]
                found[kind][slot] = float(line.rsplit(" ", 1)[1])
    return {k: (v[0], v[1]) for k, v in found.items()}


def wait_quiet(fake: Child, need: dict[str, int], timeout: float = 120.0) -> dict[str, int]:
    """Until panelbot's background work (views.open, DMs) has reached FakeSlack and stopped."""
    deadline = time.monotonic() + timeout
    last: dict[str, int] = {}
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        counts: dict[str, int] = fake.ask("counts")
        if counts != last:
            last, stable_since = counts, time.monotonic()
        elif all(counts.get(k, 0) >= n for k, n in need.items()) and \
                time.monotonic() - stable_since >= 1.0:
            return counts
        time.sleep(0.2)
    raise RuntimeError(f"background work did not settle: have {last}, need {need}")


# --- report -----------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux), for CPU per request."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


@dataclass
class Row:
    kind: str
    app: str
    run: Run
    server_mean_ms: float | None = None
    cpu_ms: float | None = None  # server process CPU per measured request
    notes: list[str] = field(default_factory=list)

    def stats(self) -> dict[str, float]:
        r = self.run
        return {
            "n": len(r.latencies),
            "non_2xx": r.non_2xx,
            "p50": r.pct(0.50),
            "p95": r.pct(0.95),
            "p99": r.pct(0.99),
            "max": max(r.latencies) * 1e3,
            "mean": statistics.fmean(r.latencies) * 1e3,
            "rps": len(r.latencies) / r.wall,
        }


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def markdown(rows: list[Row]) -> str:
    out = [
        "| kind | app | n | non-2xx | p50 ms | p95 ms | p99 ms | max ms | mean ms | req/s |"
        " server CPU ms/req | server-measured ack mean ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        s = row.stats()
        out.append(
            f"| {row.kind} | {row.app} | {s['n']:.0f} | {s['non_2xx']:.0f} | {s['p50']:.1f} | "
            f"{s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | {s['mean']:.1f} | "
            f"{s['rps']:.0f} | {_ms(row.cpu_ms)} | {_ms(row.server_mean_ms)} |"
        )
    out += [
        "",
        "| kind | p50 panelbot/bare | p99 panelbot/bare | p99 <= 100 ms | p99 <= 1.5x bare |",
        "|---|---:|---:|:---:|:---:|",
    ]
    by_kind: dict[str, dict[str, Row]] = defaultdict(dict)
    for row in rows:
        by_kind[row.kind][row.app] = row
    for kind, apps in by_kind.items():
        if {"panelbot", "bare"} - set(apps):
            continue
        p, b = apps["panelbot"].stats(), apps["bare"].stats()
        r50, r99 = p["p50"] / b["p50"], p["p99"] / b["p99"]
        out.append(
            f"| {kind} | {r50:.2f}x | {r99:.2f}x | "
            f"{'met' if p['p99'] <= P99_TARGET_MS else 'MISSED'} ({p['p99']:.0f} ms) | "
            f"{'met' if r99 <= RATIO_TARGET else 'MISSED'} ({r99:.2f}x) |"
        )
    return "\n".join(out)


def _p(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


INTERESTING = ("bot/", "flows/", "storage/", "rubrics/", "slack_bolt/", "slack_sdk/",
               "sqlalchemy/orm/session.py:commit", "aiohttp/web_protocol.py:log_access",
               "aiohttp/web_protocol.py:finish_response", "aiohttp/connector.py:connect",
               "logging/__init__.py:emit")


def profile_summary(report: dict[str, Any], label: str, n_requests: int) -> str:
    lines = [f"### panelbot profile: {dict(KINDS)[label]}"]
    db = report["db"].get(label, [])
    if db:
        waits = [d[0] for d in db]
        inside = [d[1] for d in db]
        resumes = [d[2] for d in db]
        lines.append(
            f"request-path DB transactions (Services.db): {len(db)} "
            f"({len(db) / max(1, n_requests):.2f}/request)\n"
            f"  waiting for a free to_thread worker: mean {statistics.fmean(waits) * 1e3:.1f} ms,"
            f" p99 {_p(waits, 0.99) * 1e3:.1f} ms\n"
            f"  inside the transaction: mean {statistics.fmean(inside) * 1e3:.1f} ms, p99 "
            f"{_p(inside, 0.99) * 1e3:.1f} ms\n"
            f"  back on the event loop after it: mean {statistics.fmean(resumes) * 1e3:.1f} ms"
        )
        totals: Counter[str] = Counter()
        for d in db:
            totals.update(d[3])
        sql_time = sum(v for k, v in totals.items() if not k.startswith("#"))
        parts = [
            f"{k} {v * 1e3 / len(db):.2f} ms"
            for k, v in sorted(totals.items(), key=lambda kv: -kv[1]) if not k.startswith("#")
        ]
        counts = ", ".join(f"{k[1:]} {v / len(db):.1f}" for k, v in totals.items()
                           if k.startswith("#"))
        lines.append(
            "  per transaction: " + ", ".join(parts)
            + f"; Python (ORM, flows, pydantic) + COMMIT {(sum(inside) - sql_time) * 1e3 / len(db):.2f}"
            + f" ms\n  statements per transaction: {counts}"
        )
    ledger = report["ledger"].get(label, [])
    if ledger:
        lines.append(f"after-ack ledger transactions (Deliverer._db): {len(ledger)}, mean "
                     f"{statistics.fmean(ledger) * 1e3:.1f} ms, p99 {_p(ledger, 0.99) * 1e3:.1f} ms")
    dispatch = report["dispatch"].get(label, [])
    if dispatch:
        lines.append(f"Bolt async_dispatch (signature check .. ack): mean "
                     f"{statistics.fmean(dispatch) * 1e3:.1f} ms, p99 "
                     f"{_p(dispatch, 0.99) * 1e3:.1f} ms")
    for group in ("event loop", "db workers"):
        sample = report["samples"].get(f"{label}|{group}")
        if not sample:
            continue
        n = sample["n"]
        lines.append(f"{group} ({n} stack samples), innermost frame:")
        lines += [f"    {c / n:6.1%}  {where}" for where, c in sample["self"][:10]]
        lines.append(f"{group}, inclusive (selected frames):")
        picked = [(w, c) for w, c in sample["cum"] if w.startswith(INTERESTING)][:18]
        lines += [f"    {c / n:6.1%}  {where}" for where, c in picked]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per kind")
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight")
    parser.add_argument("--warmup", type=int, default=100, help="warm-up requests per kind")
    parser.add_argument("--log-level", default="INFO",
                        help="server log level (panelbot serve's default is INFO); to a file")
    parser.add_argument("--validate-fake", action="store_true",
                        help="FakeSlack checks every view/message against Slack's limits")
    parser.add_argument("--profile", action="store_true",
                        help="instrument and sample panelbot (slower; for finding causes)")
    parser.add_argument("--what-if", action="append", default=[], choices=sorted(WHAT_IFS),
                        help="patch panelbot inside the benchmark's server process to size a "
                             "fix (NOT panelbot's behaviour): "
                             + "; ".join(f"{k}: {v}" for k, v in WHAT_IFS.items()))
    parser.add_argument("--json", type=Path, help="also write the raw statistics here")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1 or args.warmup < 0:
        parser.error("--requests and --concurrency must be positive, --warmup >= 0")

    ctx = mp.get_context("spawn")
    total = args.warmup + args.requests
    began = time.perf_counter()
    load_before = (" ".join(f"{x:.2f}" for x in os.getloadavg())
                   if hasattr(os, "getloadavg") else "n/a")
    with tempfile.TemporaryDirectory(prefix="panelbot-bench-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        targets, users = seed(database_url, total)
        print(f"seeded {len(targets)} interviews in {math.ceil(total / 5)} loops "
              f"({time.perf_counter() - began:.1f}s)", file=sys.stderr)
        children: list[Child] = []
        try:
            fake = start_child(ctx, "fake-slack", _fake_process, users, args.validate_fake)
            children.append(fake)
            api_url = fake.url + "api/"
            panelbot = start_child(ctx, "panelbot", _panelbot_process, database_url, api_url,
                                   str(Path(tmp) / "panelbot.log"), args.log_level, args.profile,
                                   args.what_if)
            children.append(panelbot)
            bare = start_child(ctx, "bare", _bare_process, api_url,
                               str(Path(tmp) / "bare.log"), args.log_level)
            children.append(bare)
            rows, report = run_all(args, targets, fake, panelbot, bare, database_url)
        finally:
            for child in reversed(children):
                child.stop()

    title = f"Slack ack latency: {args.requests} requests per kind after {args.warmup} warm-up, "
    title += f"{args.concurrency} concurrent"
    if args.what_if:
        title += f" -- WHAT-IF {'+'.join(args.what_if)} (patched panelbot, not the product)"
    if args.profile:
        title += " -- PROFILED (instrumented, slower)"
    print(f"\n## {title}\n")
    print(markdown(rows))
    print(f"\nmachine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.platform()}; load average before {load_before}; "
          f"total {time.perf_counter() - began:.0f}s")
    for row in rows:
        for note in row.notes:
            print(f"note ({row.kind}, {row.app}): {note}")
    if report is not None:
        print()
        for key, _ in KINDS:
            print(profile_summary(report, key, args.requests))
            print()
    if args.json:
        args.json.write_text(json.dumps(
            {"args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
             "rows": [{"kind": r.kind, "app": r.app, **r.stats(), "cpu_ms": r.cpu_ms,
                       "server_mean_ms": r.server_mean_ms, "notes": r.notes} for r in rows]},
            indent=2))
    return 0


def run_all(args: argparse.Namespace, targets: list[Target], fake: Child, panelbot: Child,
            bare: Child, database_url: str) -> tuple[list[Row], dict[str, Any] | None]:
    sim = body_builder(fake.url)
    warm, measured = targets[: args.warmup], targets[args.warmup:]
    rows: list[Row] = []
    label_of = dict(KINDS)

    def measure(key: str, warm_bodies: list[Request], bodies: list[Request],
                check: Callable[[Run], list[str]], metric_kind: str) -> None:
        for app, child in (("bare", bare), ("panelbot", panelbot)):
            if warm_bodies:
                load(child.url, warm_bodies, args.concurrency)
            before = ack_metric(child.url) if app == "panelbot" else {}
            if app == "panelbot":
                panelbot.ask("profile", key)
            cpu_before = cpu_seconds(child.process.pid)
            run = load(child.url, bodies, args.concurrency)
            cpu_after = cpu_seconds(child.process.pid)
            row = Row(label_of[key], app, run)
            if cpu_before is not None and cpu_after is not None:
                row.cpu_ms = (cpu_after - cpu_before) * 1e3 / len(bodies)
            if app == "panelbot":
                panelbot.ask("unprofile")
                after = ack_metric(child.url)
                s0, c0 = before.get(metric_kind, (0.0, 0.0))
                s1, c1 = after.get(metric_kind, (0.0, 0.0))
                row.server_mean_ms = (s1 - s0) / (c1 - c0) * 1e3 if c1 > c0 else None
                row.notes += check(run)
            elif run.non_2xx or run.failures:
                row.notes.append(f"{run.non_2xx} non-2xx answers, {run.failures} client errors: "
                                 f"{[a for a in run.answers if a[0] >= 300][:2]}")
            rows.append(row)
            print(f"  {row.kind:40s} {app:8s} p50 {run.pct(0.5):7.1f} ms  "
                  f"p99 {run.pct(0.99):7.1f} ms", file=sys.stderr)

    def statuses(run: Run) -> str:
        def shape(answer: tuple[int, str]) -> str:
            status, text = answer
            if not text:
                return f"{status} (empty body)"
            if '"response_action": "errors"' in text:
                return f"{status} response_action=errors"
            return f"{status} {text[:40]!r}"

        return ", ".join(f"{n} x {what}" for what, n in
                         Counter(map(shape, run.answers)).most_common(3))

    def expect_empty(run: Run) -> list[str]:
        bad = [a for a in run.answers if a != (200, "")]
        return [f"{len(bad)} of {len(run.answers)} answers were not Slack's empty 200 ack; "
                f"most common answers: {statuses(run)}"] if bad else []

    def expect_errors(run: Run) -> list[str]:
        def ok(answer: tuple[int, str]) -> bool:
            try:
                return answer[0] == 200 and json.loads(answer[1]).get("response_action") == "errors"
            except ValueError:
                return False

        bad = [a for a in run.answers if not ok(a)]
        return [f"{len(bad)} of {len(run.answers)} answers carried no inline errors; most "
                f"common answers: {statuses(run)}"] if bad else []

    # 1. Open scorecard: every click opens a distinct interview's modal in the background.
    warm_clicks, warm_triggers = click_requests(sim, warm)
    clicks, triggers = click_requests(sim, measured)
    measure("block_actions", warm_clicks, clicks, expect_empty, "block_actions")
    wait_quiet(fake, {"views.open:ok": len(targets)})
    opened_at = fake.ask("opened_at")
    clicked = next(r for r in reversed(rows) if r.app == "panelbot")
    delays = [opened_at[t] - sent for t, sent in zip(triggers, clicked.run.sent_at, strict=True)
              if t in opened_at]
    if delays:
        late = sum(1 for d in delays if d > 3.0)
        clicked.notes.append(
            f"click -> views.open reached Slack: p50 {_p(delays, 0.5) * 1e3:.0f} ms, p99 "
            f"{_p(delays, 0.99) * 1e3:.0f} ms, max {max(delays) * 1e3:.0f} ms; {late} of "
            f"{len(delays)} after 3 s, when Slack's trigger_id has expired (FakeSlack does "
            "not enforce the expiry, so those modals would not open in real Slack)"
        )
    opened = fake.ask("views", warm_triggers + triggers)
    views = [opened[t] for t in warm_triggers + triggers]
    missing = [t for t, v in zip(targets, views, strict=True) if v is None
               or json.loads(v["private_metadata"]).get("interview") != t.interview_id]
    if missing:
        raise RuntimeError(f"{len(missing)} clicks opened no (or the wrong) scorecard")
    warm_views, measured_views = views[: args.warmup], views[args.warmup:]

    # 2. Inline errors on every interview's own modal (nothing is stored).
    measure("errors", submit_requests(sim, warm, warm_views, complete=False),
            submit_requests(sim, measured, measured_views, complete=False),
            expect_errors, "view_submission")
    if submitted_count(database_url):
        raise RuntimeError("a submission with errors stored a scorecard")

    # 3. First submissions: each stores a distinct interview's scorecard.
    warm_valid = submit_requests(sim, warm, warm_views, complete=True)
    valid = submit_requests(sim, measured, measured_views, complete=True)
    measure("valid", warm_valid, valid, expect_empty, "view_submission")
    counts = wait_quiet(fake, {"chat.postMessage:ok": len(targets)})
    stored = submitted_count(database_url)
    if stored != len(targets):
        rows[-1].notes.append(f"{stored} scorecards stored for {len(targets)} submissions")

    # 4. The same submissions again: the idempotent path (nothing stored, nothing sent).
    measure("repeat", [], valid, expect_empty, "view_submission")
    counts_after = wait_quiet(fake, {})
    if counts_after.get("chat.postMessage:ok") != counts.get("chat.postMessage:ok"):
        rows[-1].notes.append("a repeated submission sent another confirmation")
    if submitted_count(database_url) != stored:
        rows[-1].notes.append("a repeated submission changed the stored scorecards")
    failed = {k: v for k, v in counts_after.items() if not k.endswith(":ok")}
    if failed:
        rows[-1].notes.append(f"failed Web API calls seen by FakeSlack: {failed}")
    report = panelbot.ask("report") if args.profile else None
    return rows, report


if __name__ == "__main__":
    raise SystemExit(main())

"""Reminder fan-out under Slack rate limits: ``.venv/bin/python benchmarks/bench_fanout.py``.

1,000 interviews (one per candidate, 1,000 distinct interviewers) ended two hours ago,
and each one's first feedback reminder is due. How long does panelbot take to DM all
1,000 interviewers when Slack rate-limits ``chat.postMessage`` and
``conversations.open``, and does every interviewer get exactly one reminder?

What runs (one process):

* **panelbot**: ``bot.local.LocalServer`` (the real aiohttp + Bolt web process) with
  its ``DueWorkRunner`` on APScheduler, polling every ``--poll`` seconds, on a SQLite
  file database in a temp dir. Its clock is a ``ManualClock``; nothing is due when the
  server starts, then the clock is set past the reminders' due time and the stopwatch
  starts. The runner claims due timers (200 per tick), fires them through
  ``flows.timers.fire_timer``, reserves each DM in the delivery ledger and sends it
  with ``SlackSender`` (slack-sdk ``AsyncWebClient`` with its 429/5xx/connection retry
  handlers; a 429 waits out ``Retry-After``).
* **Slack**: ``bot.slack.fake_api.FakeSlack`` with ``rate_limits``: at most ``--rate``
  ``chat.postMessage`` and ``--open-rate`` ``conversations.open`` calls per rolling
  second; the excess is answered HTTP 429, ``Retry-After: 1``, ``ratelimited``.

The timers are planned straight into the database the way a loop plans them
(``flows.loops.schedule_interview_timers`` with round-the-clock ``LoopTimings``, one
reminder then the escalation, due tomorrow); the briefings are cancelled, as if they had
gone out before the interviews. So exactly ``--reminders`` timers are due.

The stopwatch stops when FakeSlack has recorded one successful reminder DM per
interviewer; the script then lets the runner tick for ``--settle`` more seconds and
checks: every interviewer got exactly one reminder (no duplicate, none lost), every
ledger row is ``sent``, every reminder timer is ``done``.

If progress stalls because a send failed past the client's own retries, the ledger
schedules a retry 30 s or more ahead on panelbot's clock; the script then moves the
ManualClock to that moment and reports how much clock time it skipped ("backoff
skipped"), which a real deployment would have waited.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select

from bot.local import LocalServer, ManualClock
from bot.settings import load_settings
from bot.slack.fake_api import FakeSlack
from flows.loops import LoopTimings, schedule_interview_timers
from storage import migrate
from storage.db import make_engine, session_scope
from storage.enums import Platform, TimerKind
from storage.inputs import InterviewPlan, PanelCreate, RequisitionCreate
from storage.models import Delivery, Timer
from storage.repository import Store, require_id

TEAM = "T0FANOUT"
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
# Tue 24 Nov 2026, 08:00 UTC: the moment the benchmark sets the server's clock to.
DUE_CLOCK = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PLAN_CLOCK = DUE_CLOCK - timedelta(hours=4)  # when the loops were planned; nothing due yet
TIMINGS = LoopTimings(
    briefing_lead=timedelta(minutes=30), first_reminder=timedelta(hours=1), max_reminders=1,
    work_start=datetime.min.time(), work_end=datetime.max.time(), work_days=frozenset(range(7)),
)
REMINDER_NEEDLE = "overdue"


def user_id(index: int) -> str:
    return f"U{index:06d}"


def seed(database_url: str, count: int) -> None:
    """``count`` one-interview loops, one interviewer each, reminder 1 due at DUE_CLOCK - 1h."""
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    starts = DUE_CLOCK - timedelta(hours=3)
    try:
        with session_scope(engine) as session:
            store = Store(session)
            requisition = store.create_requisition(TEAM, RequisitionCreate(
                title="Backend Engineer", kit_id="backend-engineer", channel_id="C0HIRE",
                hiring_managers=["U0HM"], recruiters=["U0REC"],
            ))
            for index in range(count):
                user = user_id(index)
                store.upsert_person(TEAM, Platform.SLACK, user, display_name=f"Interviewer {index}",
                                    tz="UTC")
                panel = store.create_panel(TEAM, PanelCreate(
                    requisition_id=require_id(requisition), candidate_name=f"Candidate {index}",
                    created_by="U0REC",
                    interviews=[InterviewPlan(stage_key="coding", interviewer_id=user,
                                              starts_at=starts, ends_at=starts + timedelta(hours=1))],
                ))
                for interview in store.panel_interviews(TEAM, require_id(panel)):
                    schedule_interview_timers(store, TEAM, interview, TIMINGS, PLAN_CLOCK)
                    # The briefing went out before the interview; only the reminder is due.
                    store.cancel_timers(TEAM, require_id(interview), [TimerKind.BRIEFING])
    finally:
        engine.dispose()


def read_db(database_url: str) -> tuple[list[Delivery], list[Timer]]:
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            deliveries = list(session.exec(select(Delivery)).all())
            timers = list(session.exec(select(Timer)).all())
            for row in (*deliveries, *timers):
                session.expunge(row)
            return deliveries, timers
    finally:
        engine.dispose()


def reminder_counts(fake: FakeSlack) -> Counter[str]:
    """Successful reminder DMs per interviewer, as Slack recorded them."""
    counts: Counter[str] = Counter()
    for call in fake.calls("chat.postMessage"):
        if call.ok and REMINDER_NEEDLE in str(call.args.get("text", "")):
            channel = str(call.args.get("channel"))
            counts[channel[1:] if channel.startswith("D") else channel] += 1
    return counts


@dataclass
class Ticks:
    """What each of the runner's passes did (wrapped around ``DueWorkRunner.tick``)."""

    started: list[float] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)
    fired: list[int] = field(default_factory=list)


def instrument(server: LocalServer, ticks: Ticks) -> None:
    assert server.parts is not None and server.parts.runners
    runner = server.parts.runners[0]
    original = runner.tick

    async def tick() -> int:
        began = time.monotonic()
        fired = 0
        try:
            fired = await original()
            return fired
        finally:
            if fired:
                ticks.started.append(began)
                ticks.durations.append(time.monotonic() - began)
                ticks.fired.append(fired)

    runner.tick = tick  # type: ignore[method-assign]


def advance_to_next_retry(database_url: str, clock: ManualClock) -> timedelta | None:
    """Move the clock to the earliest pending retry, if it lies ahead; returns the jump."""
    deliveries, _ = read_db(database_url)
    ahead = [
        d.next_attempt_at.replace(tzinfo=d.next_attempt_at.tzinfo or UTC)
        for d in deliveries
        if d.status.value == "pending" and d.next_attempt_at is not None
    ]
    now = clock()
    later = [moment for moment in ahead if moment > now]
    if not later:
        return None
    target = min(later) + timedelta(seconds=1)
    clock.set(target)
    return target - now


def machine() -> str:
    load = os.getloadavg()
    return (
        f"nproc={os.cpu_count()}  python={platform.python_version()}  "
        f"{platform.system()} {platform.release()} {platform.machine()}  "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}  "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reminders", type=int, default=1000,
                        help="due reminders, one per distinct interviewer")
    parser.add_argument("--rate", type=int, default=100,
                        help="FakeSlack's chat.postMessage limit, calls per rolling second")
    parser.add_argument("--open-rate", type=int, default=None,
                        help="conversations.open limit per second (default: --rate)")
    parser.add_argument("--poll", type=float, default=0.2, help="runner poll interval, seconds")
    parser.add_argument("--timeout", type=float, default=170.0,
                        help="give up after this many seconds of wall time")
    parser.add_argument("--settle", type=float, default=2.0,
                        help="seconds of further ticks after the last DM, to catch repeats")
    parser.add_argument("--validate-fake", action="store_true",
                        help="FakeSlack checks Block Kit limits (costs CPU in this process)")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = parser.parse_args(argv)
    open_rate = args.open_rate or args.rate
    users = [user_id(i) for i in range(args.reminders)]

    print(f"machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="panelbot-fanout-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'fanout.db'}"
        log_path = Path(tmp) / "panelbot.log"
        began = time.monotonic()
        seed(database_url, args.reminders)
        print(f"seeded {args.reminders} interviews in {time.monotonic() - began:.1f} s", flush=True)
        # Logging at INFO (as `panelbot serve` does) only after seeding: the
        # ``storage.timers.scheduled`` record passes ``extra={"created": ...}``, which
        # clashes with ``LogRecord.created`` and raises KeyError when INFO is enabled.
        logging.basicConfig(filename=log_path, level="INFO",
                            format="%(asctime)s %(levelname)s %(name)s %(message)s")

        fake = FakeSlack(team_id=TEAM, validate=args.validate_fake,
                         rate_limits={"chat.postMessage": args.rate,
                                      "conversations.open": open_rate}).start()
        for index, user in enumerate(users):
            fake.add_user(user, f"Interviewer {index}")
        clock = ManualClock(PLAN_CLOCK)
        settings = load_settings(
            database_url=database_url, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
            slack_api_url=fake.url, workspace_id=TEAM, timer_poll=timedelta(seconds=args.poll),
            kits_dir=None, working_hours="00:00-24:00", working_days="mon-sun",
        )
        server = LocalServer(settings, clock=clock).start()
        ticks = Ticks()
        instrument(server, ticks)
        time.sleep(2 * args.poll)  # a couple of idle ticks: nothing is due yet
        assert not fake.calls("chat.postMessage"), "something was due before the clock moved"

        milestones: dict[int, float] = {}
        skipped = timedelta(0)
        jumps = 0
        t0 = time.monotonic()
        clock.set(DUE_CLOCK)
        last_count, last_progress = 0, t0
        done_at: float | None = None
        while time.monotonic() - t0 < args.timeout:
            count = len(reminder_counts(fake))
            now = time.monotonic()
            for pct in (1, 10, 25, 50, 75, 90, 100):
                if pct not in milestones and count * 100 >= pct * args.reminders:
                    milestones[pct] = now - t0
            if count >= args.reminders:
                done_at = now
                break
            if count != last_count:
                last_count, last_progress = count, now
            elif now - last_progress > 5.0:
                jump = advance_to_next_retry(database_url, clock)
                if jump is not None:
                    skipped += jump
                    jumps += 1
                    last_progress = now
            time.sleep(0.05)
        elapsed = (done_at or time.monotonic()) - t0
        time.sleep(args.settle)
        server.stop()
        fake.stop()

        counts = reminder_counts(fake)
        deliveries, timers = read_db(database_url)
        calls = Counter((c.method, c.status) for c in fake.calls())
        log_text = log_path.read_text(errors="replace")

    delivered = sum(1 for u in users if counts.get(u, 0) >= 1)
    duplicates = {u: n for u, n in counts.items() if n > 1}
    lost = [u for u in users if counts.get(u, 0) == 0]
    ledger = Counter(d.status.value for d in deliveries)
    attempts = Counter(d.attempts for d in deliveries)
    reminder_timers = Counter(t.status.value for t in timers if t.kind == TimerKind.REMINDER)
    posts_ok = calls[("chat.postMessage", 200)]
    posts_429 = calls[("chat.postMessage", 429)]
    opens_ok = calls[("conversations.open", 200)]
    opens_429 = calls[("conversations.open", 429)]
    retries_later = log_text.count("delivery.retry_later")
    gave_up = log_text.count("delivery.gave_up")
    skipped_ticks = log_text.count("maximum number of running instances reached")
    ok = not duplicates and not lost and set(ledger) == {"sent"} and set(reminder_timers) == {"done"}

    rows = [
        ("reminders due / interviewers", f"{args.reminders:,} / {len(users):,}"),
        ("limits (per rolling second)",
         f"chat.postMessage {args.rate}, conversations.open {open_rate}"),
        ("all reminders recorded by Slack after", f"{elapsed:.2f} s" + ("" if done_at else " (TIMEOUT)")),
        ("throughput", f"{delivered / elapsed:.1f} reminders/s"),
        ("first DM / 50 % / 90 % / 100 %", " / ".join(
            f"{milestones[p]:.2f} s" if p in milestones else "-" for p in (1, 50, 90, 100))),
        ("chat.postMessage 200 / 429", f"{posts_ok:,} / {posts_429:,}"),
        ("conversations.open 200 / 429", f"{opens_ok:,} / {opens_429:,}"),
        ("429s received (total)", f"{posts_429 + opens_429:,}"),
        ("ledger retries scheduled / given up", f"{retries_later} / {gave_up}"),
        ("backoff skipped on the ManualClock", f"{skipped} in {jumps} jump(s)"),
        ("runner passes that fired timers", f"{len(ticks.fired)} (fired per pass: "
         f"{', '.join(map(str, ticks.fired))})"),
        ("duration of those passes", ", ".join(f"{d:.1f} s" for d in ticks.durations)),
        ("APScheduler runs skipped (previous still running)", f"{skipped_ticks}"),
        ("interviewers with exactly one reminder", f"{sum(1 for n in counts.values() if n == 1):,}"),
        ("duplicates / lost", f"{len(duplicates)} / {len(lost)}"),
        ("ledger rows by status", ", ".join(f"{k} {v:,}" for k, v in sorted(ledger.items()))),
        ("ledger rows by attempts", ", ".join(f"{k}: {v:,}" for k, v in sorted(attempts.items()))),
        ("reminder timers by status",
         ", ".join(f"{k} {v:,}" for k, v in sorted(reminder_timers.items()))),
        ("verdict", "PASS (none lost, none twice, ledger all sent)" if ok else "FAIL"),
    ]
    print()
    print("| measure | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    if args.json is not None:
        raw: dict[str, Any] = {
            "args": {k: str(v) for k, v in vars(args).items()}, "elapsed_s": elapsed,
            "milestones_s": milestones, "calls": {f"{m} {s}": n for (m, s), n in calls.items()},
            "ticks": {"fired": ticks.fired, "durations_s": ticks.durations},
            "ledger": dict(ledger), "attempts": {str(k): v for k, v in attempts.items()},
            "duplicates": duplicates, "lost": lost, "skipped_s": skipped.total_seconds(),
        }
        args.json.write_text(json.dumps(raw, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Helpers shared by the end-to-end tests: a loop with a scorecard in, the ledger, the
runner's ticks, ``panelbot status``, ``/metrics`` and Slack's payload limits."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import pytest
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import SQLModel, col, select
from typer.testing import CliRunner

from bot.slack.fake_api import FakeSlack
from bot.slack.limits import check_message, check_view
from flows.state import encode_state
from storage.enums import DeliveryStatus
from storage.models import Delivery
from storage.repository import Store
from tests.e2e.conftest import CHANNEL, TEAM, Loop
from tests.e2e.test_slack_loop import create_loop, text_of

CANDIDATE = "Priya Raman"
DEBRIEF_TITLE = f"Debrief: {CANDIDATE}"

# Maya's screening scorecard: every rating given, evidence for the strong one.
SCORECARD = {
    "rating__communication": "yes",
    "note__communication": "Clear, structured answers.",
    "rating__motivation": "strong_yes",
    "note__motivation": "Asked precise questions about our on-call rotation.",
    "rating__ownership": "yes",
    "recommendation": "yes",
}


# --- the ledger -----------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    id: int
    kind: str
    recipient: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    platform_message_id: str | None


def ledger(loop: Loop, kind: str | None = None) -> list[LedgerRow]:
    """Every delivery row (optionally of one message kind), oldest first."""

    def read(store: Store) -> list[LedgerRow]:
        stmt = select(Delivery).order_by(col(Delivery.id))
        if kind is not None:
            stmt = stmt.where(Delivery.kind == kind)
        return [
            LedgerRow(int(d.id or 0), d.kind, d.recipient, d.status, d.attempts, d.last_error,
                      d.next_attempt_at, d.platform_message_id)
            for d in store.session.exec(stmt).all()
        ]

    rows: list[LedgerRow] = loop.store(read)
    return rows


def all_sent(loop: Loop) -> bool:
    rows = ledger(loop)
    return bool(rows) and all(r.status == DeliveryStatus.SENT for r in rows)


def snapshot(loop: Loop) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every panelbot table, to show that a request changed nothing."""

    def read(store: Store) -> dict[str, list[tuple[Any, ...]]]:
        return {
            table.name: sorted(
                (tuple(row) for row in store.session.execute(sa.select(table)).all()), key=repr
            )
            for table in SQLModel.metadata.sorted_tables
        }

    found: dict[str, list[tuple[Any, ...]]] = loop.store(read)
    return found


# --- getting a loop to the point where a debrief has something to say -------------------


def debriefs_in_channel(loop: Loop) -> list[dict[str, Any]]:
    return [m for m in loop.fake.messages(CHANNEL) if DEBRIEF_TITLE in text_of(m)]


def loop_with_scorecard(loop: Loop) -> None:
    """Create Priya's loop through /panel and submit Maya's scorecard, then let every
    message the app owes go out, so that later faults hit only what the test sends."""
    create_loop(loop)
    loop.wait(lambda: any("Loop created for" in text_of(m) for m in loop.dms("U0RECRUIT")),
              what="loop-created notice to the recruiter")
    loop.wait(lambda: all_sent(loop), what="invites and summary sent")

    interview = loop.store(lambda s: s.interviews_for_user(TEAM, "U0MAYA"))[0]
    _, trigger = loop.sim.click("U0MAYA", "open_scorecard",
                                encode_state("scorecard", interview=interview.id),
                                channel_id="DU0MAYA")
    view = loop.sim.wait_view(trigger)
    answer = loop.sim.submit("U0MAYA", view, SCORECARD)
    assert answer.status == 200 and answer.body in ("", "{}"), answer.body
    loop.wait(lambda: any("Scorecard submitted" in text_of(m) for m in loop.dms("U0MAYA")),
              what="scorecard confirmation")
    loop.wait(lambda: all_sent(loop), what="confirmation sent")


def run_debrief(loop: Loop, user: str = "U0RECRUIT") -> str:
    """The recruiter types /debrief; returns the response_url name of the reply."""
    answer, _, name = loop.sim.command(user, "/debrief", CANDIDATE)
    assert answer.status == 200
    return name


def reply_texts(loop: Loop, name: str) -> list[str]:
    return [str(r.get("text", "")) for r in loop.fake.responses(name)]


# --- the due-work runner ----------------------------------------------------------------


class RunnerTicks:
    """Counts the runner's completed ``retry_due`` passes, to wait for whole ticks."""

    def __init__(self, loop: Loop) -> None:
        assert loop.server.parts is not None and loop.server.parts.runners
        deliverer = loop.server.parts.runners[0].deliverer
        original = deliverer.retry_due
        self.count = 0

        async def counted(limit: int = 50) -> int:
            try:
                return await original(limit)
            finally:
                self.count += 1

        deliverer.retry_due = counted  # type: ignore[method-assign]
        self.loop = loop

    def wait(self, ticks: int = 2) -> None:
        """Wait until ``ticks`` more passes have finished (two: one began after now)."""
        target = self.count + ticks
        self.loop.wait(lambda: self.count >= target, what=f"{ticks} runner ticks")


# --- panelbot status ----------------------------------------------------------------------


class _LoopTime(datetime):
    """``datetime`` whose ``now()`` is the loop's manual clock."""

    clock: Callable[[], datetime]

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        moment = cls.clock()
        return moment.astimezone(tz) if tz is not None else moment


def panelbot_status(loop: Loop) -> str:
    """``panelbot status`` against the loop's database, output on one line.

    The command reads the wall clock; it is pinned to the loop's clock here, as the
    server's and the CLI's clocks agree in production.
    """
    from bot.cli import _register, app
    from bot.settings import get_settings

    _register()
    get_settings.cache_clear()
    loop_time = type("LoopTime", (_LoopTime,), {"clock": staticmethod(loop.clock)})
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("bot.cli_status.datetime", loop_time, raising=False)
            result = CliRunner().invoke(
                app, ["status"],
                env={"PANELBOT_DATABASE_URL": loop.settings.database_url, "COLUMNS": "200"},
            )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


# --- HTTP on the server's other endpoints -------------------------------------------------


def http_get(loop: Loop, path: str) -> tuple[int, str, str]:
    """``(status, content type, body)`` of a GET on the running server."""
    try:
        with urllib.request.urlopen(loop.server.url + path, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def metrics(loop: Loop) -> Samples:
    """Every sample of ``GET /metrics`` by (name, sorted labels)."""
    status, kind, body = http_get(loop, "/metrics")
    assert status == 200 and kind.startswith("text/plain"), (status, kind)
    samples: Samples = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def sample(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


# --- Slack's limits on everything the app sent ----------------------------------------------


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def assert_payloads_within_limits(fake: FakeSlack, injected: Iterable[str] = ()) -> int:
    """Every message and view the app sent passes Slack's limits; the only failed calls are
    the faults the test injected (``injected``: their error strings). Returns how many
    Block Kit payloads were checked."""
    allowed = set(injected)
    checked = 0
    for call in fake.calls():
        if not call.ok:
            assert call.error in allowed, (call.method, call.status, call.error)
        if call.method.startswith("views.") and call.args.get("view") is not None:
            assert check_view(_decoded(call.args["view"])) == [], call.method
            checked += 1
        elif call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update",
                             "response_url"):
            payload: dict[str, Any] = {"text": call.args.get("text", "")}
            if call.args.get("blocks"):
                payload["blocks"] = _decoded(call.args["blocks"])
                checked += 1
            assert check_message(payload) == [], (call.method, check_message(payload))
    return checked


def urlencode_payload(payload: dict[str, Any]) -> str:
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def wait_quiet(seconds: float = 0.5) -> None:
    """A short pause for work that must *not* happen (nothing to poll for)."""
    time.sleep(seconds)

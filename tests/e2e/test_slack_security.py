"""Only Slack can drive panelbot: unsigned, forged, tampered and replayed requests to
POST /slack/events get HTTP 401 and change nothing, neither in Slack nor in the database.

Each case is built from a request that *would* do something (a recruiter's /debrief that
posts to the hiring channel, a /panel modal submission that creates a loop), and the same
body, correctly signed, is sent last to prove that it is the signature that was refused.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bot.slack.simulate import HttpAnswer, sign
from storage.enums import DeliveryStatus
from tests.e2e.conftest import SECRET, START, TEAM, Loop
from tests.e2e.support import (
    CANDIDATE,
    all_sent,
    assert_payloads_within_limits,
    debriefs_in_channel,
    ledger,
    loop_with_scorecard,
    metrics,
    sample,
    snapshot,
    urlencode_payload,
    wait_quiet,
)
from tests.e2e.test_slack_loop import STAGES, text_of

FORM = "application/x-www-form-urlencoded"
FIVE_MINUTES = 5 * 60


def wrong_secret(loop: Loop, body: str) -> HttpAnswer:
    now = int(time.time())
    return loop.sim.post(body, FORM, timestamp=now, signature=sign("not-the-secret", now, body))


def tampered_body(loop: Loop, body: str) -> HttpAnswer:
    """A genuine signature, but for a different body (here: another user's request)."""
    now = int(time.time())
    original = body.replace("U0RECRUIT", "U0OUTSIDER")
    assert original != body
    return loop.sim.post(body, FORM, timestamp=now, signature=sign(SECRET, now, original))


def stale_timestamp(loop: Loop, body: str) -> HttpAnswer:
    """A replay: correctly signed, but for a timestamp more than five minutes old."""
    old = int(time.time()) - FIVE_MINUTES - 60
    return loop.sim.post(body, FORM, timestamp=old, signature=sign(SECRET, old, body))


def future_timestamp(loop: Loop, body: str) -> HttpAnswer:
    ahead = int(time.time()) + FIVE_MINUTES + 60
    return loop.sim.post(body, FORM, timestamp=ahead, signature=sign(SECRET, ahead, body))


def missing_signature(loop: Loop, body: str) -> HttpAnswer:
    return loop.sim.post(body, FORM, signed=False)


def garbage_signature(loop: Loop, body: str) -> HttpAnswer:
    return loop.sim.post(body, FORM, signature="v0=" + "0" * 64)


FORGERIES: dict[str, Callable[[Loop, str], HttpAnswer]] = {
    "wrong-secret": wrong_secret,
    "garbage-signature": garbage_signature,
    "tampered-body": tampered_body,
    "stale-timestamp": stale_timestamp,
    "future-timestamp": future_timestamp,
    "missing-signature": missing_signature,
}


@dataclass
class Observed:
    calls: int
    rows: dict[str, list[tuple[Any, ...]]]
    refused: float


def observe(loop: Loop) -> Observed:
    refused = sample(metrics(loop), "panelbot_requests_total", path="/slack/events", status="401")
    return Observed(len(loop.fake.calls()), snapshot(loop), refused)


def assert_refused_and_nothing_changed(loop: Loop, answer: HttpAnswer, before: Observed) -> None:
    assert answer.status == 401, (answer.status, answer.body)
    wait_quiet(0.5)  # a listener that ran anyway would call Slack or write within this
    after = observe(loop)
    new_calls = loop.fake.calls()[before.calls:]
    assert new_calls == [], [(c.method, c.args.get("text")) for c in new_calls]
    assert after.rows == before.rows
    # The operator can see refused requests in /metrics.
    assert after.refused == before.refused + 1


def debrief_body(loop: Loop) -> tuple[str, str]:
    """A recruiter's `/debrief Priya Raman`, as Slack would send it, and its response_url."""
    name = "forged-debrief"
    body = urllib.parse.urlencode({
        "token": "legacy-unused", "team_id": TEAM, "team_domain": "panel",
        "channel_id": "C0GENERAL", "channel_name": "general", "user_id": "U0RECRUIT",
        "user_name": "u0recruit", "command": "/debrief", "text": CANDIDATE,
        "api_app_id": "APANELBOT", "is_enterprise_install": "false",
        "response_url": loop.fake.response_url(name), "trigger_id": "1.U0RECRUIT.trigger",
    })
    return body, name


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_forged_debrief_command_is_refused(
    loop: Loop, forge: Callable[[Loop, str], HttpAnswer]
) -> None:
    loop_with_scorecard(loop)
    panel_id = loop.store(lambda s: s.find_candidates(TEAM))[0].id
    assert loop.store(lambda s: s.get_decision(TEAM, panel_id)) is None
    body, name = debrief_body(loop)
    before = observe(loop)

    assert_refused_and_nothing_changed(loop, forge(loop, body), before)
    assert loop.fake.responses(name) == []  # the recruiter was not answered either
    assert debriefs_in_channel(loop) == []
    assert ledger(loop, "debrief") == []

    # The very same command, correctly signed, does post the debrief.
    answer = loop.sim.post(body, FORM)
    assert answer.status == 200
    loop.wait(lambda: debriefs_in_channel(loop), what="debrief from the genuine request")
    assert "Posting the debrief" in loop.fake.responses(name)[0]["text"]
    loop.wait(lambda: [r.status for r in ledger(loop, "debrief")] == [DeliveryStatus.SENT])
    assert loop.store(lambda s: s.get_decision(TEAM, panel_id)) is not None
    assert_payloads_within_limits(loop.fake)


def panel_submission(loop: Loop) -> str:
    """The recruiter's completed /panel modal, submitted, as a form body."""
    answer, trigger, _ = loop.sim.command("U0RECRUIT", "/panel")
    assert answer.status == 200
    view = loop.sim.wait_view(trigger)
    base = START + timedelta(days=1)
    values: dict[str, Any] = {"candidate": CANDIDATE, "hiring-manager__skip": ["skip"]}
    for index, (stage, person) in enumerate(zip(STAGES[:4], ("U0MAYA", "U0TOM", "U0AISHA",
                                                             "U0LUIS"), strict=True)):
        values[f"{stage}__interviewer"] = person
        values[f"{stage}__start"] = base + timedelta(hours=2 * index)
    submitted = {**view, "state": {"values": loop.sim.state_values(view, values)}}
    return urlencode_payload({
        "type": "view_submission", "team": {"id": TEAM, "domain": "panel"},
        "user": {"id": "U0RECRUIT", "username": "u0recruit", "name": "u0recruit",
                 "team_id": TEAM},
        "api_app_id": "APANELBOT", "token": "legacy-unused",
        "trigger_id": "2.U0RECRUIT.trigger", "view": submitted,
        "response_urls": [], "is_enterprise_install": False,
    })


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_forged_view_submission_is_refused(
    loop: Loop, forge: Callable[[Loop, str], HttpAnswer]
) -> None:
    body = panel_submission(loop)
    before = observe(loop)

    assert_refused_and_nothing_changed(loop, forge(loop, body), before)
    assert loop.store(lambda s: s.find_candidates(TEAM)) == []
    assert ledger(loop) == []

    # The very same submission, correctly signed, creates the loop.
    answer = loop.sim.post(body, FORM)
    assert answer.status == 200 and answer.body in ("", "{}"), answer.body
    loop.wait(lambda: loop.store(lambda s: s.find_candidates(TEAM)), what="candidate created")
    assert [c.name for c in loop.store(lambda s: s.find_candidates(TEAM))] == [CANDIDATE]
    loop.wait(lambda: any("Loop created for" in text_of(m) for m in loop.dms("U0RECRUIT")),
              what="loop-created notice")
    loop.wait(lambda: all_sent(loop), what="invites sent")
    assert_payloads_within_limits(loop.fake)

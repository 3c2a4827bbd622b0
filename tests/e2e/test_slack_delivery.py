"""The debrief reaches the hiring channel exactly once, whatever Slack's Web API does.

* Rate limits (429 with Retry-After) and short 5xx bursts are absorbed by slack-sdk's
  own retry handlers: one post, the ledger row sent on its first attempt.
* An outage longer than those retries leaves the row pending with a backoff; nothing is
  lost, and once Slack is back the due-work runner sends it, once, when the backoff
  has passed (a recruiter typing /debrief again meanwhile changes nothing).
* A permanent error (the channel is gone) marks the row failed, shows it in
  ``panelbot status`` and in ``/metrics``, and never retries it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.http_retry.builtin_async_handlers import AsyncServerErrorRetryHandler

from bot.delivery import MAX_ATTEMPTS, SEND_LEASE, backoff
from bot.slack.sender import retry_handlers
from storage.enums import DeliveryStatus
from tests.e2e.conftest import CHANNEL, TEAM, Loop
from tests.e2e.support import (
    DEBRIEF_TITLE,
    RunnerTicks,
    assert_payloads_within_limits,
    debriefs_in_channel,
    ledger,
    loop_with_scorecard,
    metrics,
    panelbot_status,
    reply_texts,
    run_debrief,
    sample,
    wait_quiet,
)
from tests.e2e.test_slack_loop import text_of

POST = "chat.postMessage"


def server_error_tries() -> int:
    """How many times slack-sdk sends a request that keeps answering 5xx."""
    handler = next(h for h in retry_handlers() if isinstance(h, AsyncServerErrorRetryHandler))
    return 1 + handler.max_retry_count


def channel_posts(loop: Loop) -> list[Any]:
    return [c for c in loop.fake.calls(POST) if c.args.get("channel") == CHANNEL
            and DEBRIEF_TITLE in str(c.args.get("text", "")) + str(c.args.get("blocks", ""))]


def panel_decision(loop: Loop) -> Any:
    panel_id = loop.store(lambda s: s.find_candidates(TEAM))[0].id
    return loop.store(lambda s: s.get_decision(TEAM, panel_id))


@pytest.mark.parametrize(
    ("fault", "injected"),
    [
        pytest.param(dict(status=429, retry_after=1, times=2), "ratelimited", id="429x2"),
        pytest.param(dict(status=503, times=2), "internal_error", id="503x2"),
    ],
)
def test_debrief_survives_rate_limits_and_server_errors(
    loop: Loop, fault: dict[str, Any], injected: str
) -> None:
    loop_with_scorecard(loop)
    sent_before = sample(metrics(loop), "panelbot_deliveries_total", platform="slack",
                         outcome="sent")
    loop.fake.fail_next(POST, **fault)

    name = run_debrief(loop)
    loop.wait(lambda: reply_texts(loop, name), what="reply to the recruiter")
    assert "Posting the debrief for Priya Raman" in reply_texts(loop, name)[0]
    debrief = loop.wait(lambda: debriefs_in_channel(loop), what="debrief in the channel")[0]
    loop.wait(lambda: [r.status for r in ledger(loop, "debrief")] == [DeliveryStatus.SENT],
              what="ledger row sent")

    # Slack answered with faults twice, then took the third try.
    posts = channel_posts(loop)
    assert [c.status for c in posts] == [fault["status"]] * fault["times"] + [200]
    [row] = ledger(loop, "debrief")
    assert row.attempts == 1 and row.last_error is None
    assert row.platform_message_id == f"{CHANNEL}:{debrief['ts']}"
    assert panel_decision(loop).message_ts == debrief["ts"]  # decisions update it in place
    assert loop.store(lambda s: s.failed_deliveries(None)) == []

    # Time passes beyond every backoff and lease: the runner sends nothing again.
    ticks = RunnerTicks(loop)
    loop.clock.advance(SEND_LEASE + backoff(MAX_ATTEMPTS))
    ticks.wait()
    assert len(debriefs_in_channel(loop)) == 1
    assert len(channel_posts(loop)) == fault["times"] + 1
    assert loop.store(lambda s: s.pending_deliveries(None, loop.clock())) == []
    after = metrics(loop)
    assert sample(after, "panelbot_deliveries_total", platform="slack", outcome="sent") \
        == sent_before + 1
    assert_payloads_within_limits(loop.fake, injected=[injected])


def test_debrief_outlasting_slack_retries_is_sent_later_exactly_once(loop: Loop) -> None:
    loop_with_scorecard(loop)
    ticks = RunnerTicks(loop)
    tries = server_error_tries()
    loop.fake.fail_next(POST, status=503, times=tries)
    retries_before = sample(metrics(loop), "panelbot_deliveries_total", platform="slack",
                            outcome="retry")

    name = run_debrief(loop)
    loop.wait(lambda: reply_texts(loop, name), what="reply to the recruiter")
    failed_at = loop.clock()
    row = loop.wait(
        lambda: next((r for r in ledger(loop, "debrief") if r.attempts == 1), None),
        what="first attempt recorded",
    )

    # Not lost: pending, with the error and the first backoff, and nothing in the channel.
    assert row.status == DeliveryStatus.PENDING
    assert "internal_error" in (row.last_error or "")
    assert row.next_attempt_at == failed_at + backoff(1)
    assert len(channel_posts(loop)) == tries and all(c.status == 503 for c in channel_posts(loop))
    assert debriefs_in_channel(loop) == []
    assert sample(metrics(loop), "panelbot_deliveries_total", platform="slack",
                  outcome="retry") == retries_before + 1

    # Slack is back, but the backoff has not passed: the runner leaves the row alone.
    loop.clock.advance(backoff(1) - timedelta(seconds=1))
    ticks.wait()
    assert debriefs_in_channel(loop) == []
    assert len(channel_posts(loop)) == tries

    # The impatient recruiter asks again: same debrief, so no second post is queued.
    again = run_debrief(loop)
    loop.wait(lambda: reply_texts(loop, again), what="second reply")
    wait_quiet(0.3)
    assert len(ledger(loop, "debrief")) == 1 and debriefs_in_channel(loop) == []

    # Past the backoff, the runner's retry posts it, once.
    loop.clock.advance(timedelta(seconds=2))
    debrief = loop.wait(lambda: debriefs_in_channel(loop), what="debrief sent by the retry")[0]
    loop.wait(lambda: [r.status for r in ledger(loop, "debrief")] == [DeliveryStatus.SENT],
              what="ledger row sent")
    [row] = ledger(loop, "debrief")
    assert row.attempts == 2
    assert row.platform_message_id == f"{CHANNEL}:{debrief['ts']}"
    assert panel_decision(loop).message_ts == debrief["ts"]
    assert "Missing scorecards" in text_of(debrief)

    loop.clock.advance(SEND_LEASE + backoff(MAX_ATTEMPTS))
    ticks.wait()
    assert len(debriefs_in_channel(loop)) == 1
    assert [c.status for c in channel_posts(loop)] == [503] * tries + [200]
    assert loop.store(lambda s: s.failed_deliveries(None)) == []
    assert_payloads_within_limits(loop.fake, injected=["internal_error"])


def debrief_waiting_for_retry(loop: Loop) -> None:
    """Slack is down for longer than slack-sdk retries: the debrief waits in the ledger."""
    loop_with_scorecard(loop)
    ticks = RunnerTicks(loop)
    loop.fake.fail_next(POST, status=503, times=server_error_tries())
    run_debrief(loop)
    row = loop.wait(lambda: next((r for r in ledger(loop, "debrief") if r.attempts == 1), None),
                    what="first attempt recorded")
    assert row.status == DeliveryStatus.PENDING and row.next_attempt_at is not None
    assert row.next_attempt_at > loop.clock()
    ticks.wait()


def test_status_shows_a_debrief_waiting_for_its_retry(loop: Loop) -> None:
    debrief_waiting_for_retry(loop)
    out = panelbot_status(loop)
    assert "Pending deliveries: 1" in out and "internal_error" in out, out


def test_pending_gauge_counts_a_debrief_waiting_for_its_retry(loop: Loop) -> None:
    debrief_waiting_for_retry(loop)
    assert sample(metrics(loop), "panelbot_deliveries_pending") == 1


def test_debrief_to_a_missing_channel_is_failed_and_reported(loop: Loop) -> None:
    loop_with_scorecard(loop)
    ticks = RunnerTicks(loop)
    failed_before = sample(metrics(loop), "panelbot_deliveries_total", platform="slack",
                           outcome="failed")
    loop.fake.fail_next(POST, error="channel_not_found")

    name = run_debrief(loop)
    # The recruiter is answered (only they see it).
    loop.wait(lambda: reply_texts(loop, name), what="reply to the recruiter")
    reply = loop.fake.responses(name)[0]
    assert reply["response_type"] == "ephemeral"
    assert "Posting the debrief for Priya Raman" in reply["text"]

    row = loop.wait(
        lambda: next((r for r in ledger(loop, "debrief") if r.status == DeliveryStatus.FAILED),
                     None),
        what="ledger row failed",
    )
    assert "channel_not_found" in (row.last_error or "")
    assert row.next_attempt_at is None and row.attempts == 1
    failed = loop.store(lambda s: s.failed_deliveries(TEAM))
    assert [f.id for f in failed] == [row.id]

    # Never retried, however long we wait.
    loop.clock.advance(SEND_LEASE + backoff(MAX_ATTEMPTS))
    ticks.wait()
    assert len(channel_posts(loop)) == 1 and debriefs_in_channel(loop) == []
    assert [r.status for r in ledger(loop, "debrief")] == [DeliveryStatus.FAILED]

    # The operator sees it in `panelbot status` and in /metrics.
    out = panelbot_status(loop)
    assert "Failed deliveries: 1" in out, out
    assert "slack: channel_not_found" in out
    assert "debrief" in out and f"channel:{CHANNEL}" in out
    after = metrics(loop)
    assert sample(after, "panelbot_deliveries_total", platform="slack", outcome="failed") \
        == failed_before + 1
    assert sample(after, "panelbot_deliveries_failed") == 1
    assert_payloads_within_limits(loop.fake, injected=["channel_not_found"])

"""What an operator watches: GET /healthz for the load balancer, GET /metrics for
Prometheus, both served by the same process that answers Slack."""

from __future__ import annotations

import json

from prometheus_client.parser import text_string_to_metric_families

from storage.enums import DeliveryStatus
from tests.e2e.conftest import TEAM, Loop
from tests.e2e.support import (
    assert_payloads_within_limits,
    debriefs_in_channel,
    http_get,
    ledger,
    loop_with_scorecard,
    metrics,
    run_debrief,
    sample,
)

# Slack gives up on an interaction that is not acknowledged within three seconds.
SLACK_ACK_DEADLINE = "2.5"  # the largest histogram bucket below it


def test_healthz_reports_the_database(loop: Loop) -> None:
    status, kind, body = http_get(loop, "/healthz")
    assert status == 200 and kind.startswith("application/json")
    health = json.loads(body)
    assert health["status"] == "ok" and health["database"] == "ok"
    assert health["slack"] is True and health["teams"] is False


def test_metrics_after_a_loop_and_a_debrief(loop: Loop) -> None:
    before = metrics(loop)
    loop_with_scorecard(loop)  # a command, view submissions and block actions
    run_debrief(loop)  # another command
    loop.wait(lambda: debriefs_in_channel(loop), what="debrief")
    loop.wait(lambda: all(r.status == DeliveryStatus.SENT for r in ledger(loop)))
    sent = len(ledger(loop))
    after = metrics(loop)

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    # Inbound requests, by path and status.
    assert grew("panelbot_requests_total", path="/slack/events", status="200") >= 5

    # Ack latency by kind of request, all well inside Slack's deadline.
    for kind, at_least in (("command", 2), ("view_submission", 3), ("block_actions", 1)):
        count = grew("panelbot_ack_seconds_count", kind=kind)
        assert count >= at_least, kind
        assert grew("panelbot_ack_seconds_bucket", kind=kind, le="+Inf") == count
        assert grew("panelbot_ack_seconds_bucket", kind=kind, le=SLACK_ACK_DEADLINE) == count
        assert grew("panelbot_ack_seconds_sum", kind=kind) > 0

    # Every ledger row of this loop was sent once, nothing retried or failed.
    assert grew("panelbot_deliveries_total", platform="slack", outcome="sent") == sent
    assert grew("panelbot_deliveries_total", platform="slack", outcome="retry") == 0
    assert grew("panelbot_deliveries_total", platform="slack", outcome="failed") == 0

    # Backlog gauges: briefings and reminders are scheduled but none is due yet.
    assert loop.store(lambda s: s.pending_timers(TEAM))
    assert sample(after, "panelbot_reminders_due") == 0
    # The gauge is refreshed once per runner pass; a pass that ran while the last
    # message was in flight counted it. The next pass must bring it to zero.
    assert loop.wait(lambda: sample(metrics(loop), "panelbot_deliveries_pending") == 0,
                     what="the pending gauge to settle")
    assert sample(after, "panelbot_deliveries_failed") == 0
    assert_payloads_within_limits(loop.fake)


def test_metrics_page_is_prometheus_text(loop: Loop) -> None:
    _, _, name = loop.sim.command("U0RECRUIT", "/debrief", "")
    loop.wait(lambda: loop.fake.responses(name), what="usage reply")
    status, kind, body = http_get(loop, "/metrics")
    assert status == 200 and kind.startswith("text/plain")
    families = {f.name: f.type for f in text_string_to_metric_families(body)}
    assert families["panelbot_requests"] == "counter"
    assert families["panelbot_ack_seconds"] == "histogram"
    assert families["panelbot_deliveries"] == "counter"
    assert families["panelbot_reminders_due"] == "gauge"
    assert families["panelbot_deliveries_pending"] == "gauge"
    assert families["panelbot_deliveries_failed"] == "gauge"
    assert "# TYPE panelbot_ack_seconds histogram" in body
    assert 'panelbot_ack_seconds_bucket{kind="command",le="0.005"}' in body

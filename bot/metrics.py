"""Prometheus metrics served at ``GET /metrics``: what an operator watches.

* ``panelbot_requests_total{path,status}``: inbound HTTP requests.
* ``panelbot_ack_seconds{kind}``: time from receiving a Slack request to its HTTP answer
  (Slack gives up after 3 s).
* ``panelbot_deliveries_total{platform,outcome}``: outbound messages sent, retried, failed.
* ``panelbot_reminders_due``: timers due and not yet fired (should hover near zero).
* ``panelbot_deliveries_pending`` / ``panelbot_deliveries_failed``: the ledger's backlog.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "panelbot_requests", "Inbound HTTP requests.", ["path", "status"], registry=REGISTRY
)
ACK_SECONDS = Histogram(
    "panelbot_ack_seconds",
    "Seconds from receiving a platform request to answering it.",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "panelbot_deliveries", "Outbound messages by outcome.", ["platform", "outcome"],
    registry=REGISTRY,
)
REMINDERS_DUE = Gauge(
    "panelbot_reminders_due", "Briefings and reminders due but not yet fired.", registry=REGISTRY
)
DELIVERIES_PENDING = Gauge(
    "panelbot_deliveries_pending", "Ledger rows waiting to be sent.", registry=REGISTRY
)
DELIVERIES_FAILED = Gauge(
    "panelbot_deliveries_failed", "Ledger rows given up on.", registry=REGISTRY
)


def render() -> bytes:
    """The Prometheus text exposition of every panelbot metric."""
    return generate_latest(REGISTRY)

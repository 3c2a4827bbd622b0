"""Assemble the server from settings: database, kits, Slack, Teams, timers.

Slack and Teams can run in the same process. Each platform brings its own deliverer;
one due-work runner serves them all, sending each timer's messages through the
platform of its requisition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.context import open_engine
from bot.delivery import Deliverer
from bot.scheduler import DueWorkRunner
from bot.server import ServerParts
from bot.services import Services, utc_now
from bot.settings import Settings
from bot.slack.app import build_slack
from bot.slack.runtime import SlackRuntime
from rubrics.loader import KitRegistry

logger = logging.getLogger(__name__)


def build_parts(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now
) -> tuple[ServerParts, SlackRuntime | None]:
    """Everything ``panelbot serve`` runs, from settings alone (and a clock, for tests)."""
    engine = open_engine(settings)
    services = Services(
        settings=settings, engine=engine, kits=KitRegistry.load(settings.kits_dir), clock=clock
    )
    parts = ServerParts(services=services, poll_seconds=settings.timer_poll.total_seconds())
    deliverers: list[Deliverer] = []
    runtime: SlackRuntime | None = None
    if settings.slack_bot_token is not None and settings.slack_signing_secret is not None:
        parts.slack, runtime = build_slack(services)
        deliverers.append(runtime.deliverer)
    else:
        logger.warning("serve.slack_disabled")
    if settings.teams_enabled:
        # Imported here so that a Slack-only process never loads botbuilder.
        from bot.teams.app import build_teams

        teams = build_teams(services)
        parts.teams = teams.endpoint
        deliverers.append(teams.runtime.deliverer)
    else:
        logger.info("serve.teams_disabled")
    if deliverers:
        parts.runners.append(
            DueWorkRunner(services, *deliverers, lease=settings.claim_lease)
        )
    return parts, runtime

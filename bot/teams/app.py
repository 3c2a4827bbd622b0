"""Assemble panelbot's Teams side from the process services: adapter, bot, ledger, endpoint."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botbuilder.core import BotAdapter
from botbuilder.integration.aiohttp import CloudAdapter

from bot.delivery import Deliverer
from bot.services import Services
from bot.teams.auth import bot_config, build_adapter
from bot.teams.bot import PanelbotTeamsBot
from bot.teams.endpoint import Handler, messages_endpoint
from bot.teams.runtime import TeamsRuntime, track_debrief
from bot.teams.sender import TeamsSender
from bot.teams.unreachable import RecruiterNotices

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TeamsApp:
    """The ``POST /api/messages`` handler and what it runs on."""

    endpoint: Handler
    adapter: CloudAdapter
    bot: PanelbotTeamsBot
    runtime: TeamsRuntime


def teams_runtime(services: Services, adapter: BotAdapter, *, app_id: str = "") -> TeamsRuntime:
    """The runtime on any botbuilder adapter (CloudAdapter in production, TestAdapter in tests)."""
    sender = TeamsSender(adapter, services.db, app_id=app_id)
    deliverer = Deliverer(
        services.engine, sender, clock=services.clock,
        on_sent=track_debrief, on_unreachable=RecruiterNotices(services.kits),
        lease=services.settings.claim_lease, runner=services.db_background,
    )
    return TeamsRuntime(services=services, adapter=adapter, sender=sender, deliverer=deliverer)


def build_teams(services: Services, *, auth_disabled_for_tests: bool = False) -> TeamsApp:
    """The Teams app for ``services``; raises ``TeamsNotConfigured`` on unusable settings.

    ``auth_disabled_for_tests`` ignores the app id and password (no JWT check, no token),
    so tests can post unsigned activities; it is never read from configuration.
    """
    config = bot_config(services.settings, auth_disabled_for_tests=auth_disabled_for_tests)
    adapter = build_adapter(config)
    runtime = teams_runtime(services, adapter, app_id=config.APP_ID or "")
    bot = PanelbotTeamsBot(runtime)
    logger.info("teams.ready", extra={"auth": not config.auth_disabled})
    return TeamsApp(endpoint=messages_endpoint(adapter, bot), adapter=adapter, bot=bot,
                    runtime=runtime)

"""Bot Framework authentication from panelbot's settings: JWTs in, tokens out.

botbuilder does the work (STYLE.md: leave request verification to the frameworks):
``ConfigurationBotFrameworkAuthentication`` checks every inbound request's JWT against
the Bot Framework's signing keys and the app id, and gets outbound tokens with the app
id and password. panelbot only turns its settings into the configuration object those
classes read (attribute names ``APP_ID``, ``APP_PASSWORD``, ``APP_TENANTID``,
``APP_TYPE``) and refuses combinations that would fail later, at the first send.

Without an app id, botbuilder runs the way it does for the Bot Framework Emulator: no
JWT check and no outbound token. DESIGN.md keeps that behaviour for local use, so it is
allowed, but it is logged loudly at start. Tests that post unsigned activities use
``auth_disabled_for_tests`` instead; it is a keyword of this function only, never read
from the environment, so no deployment can switch it on by configuration.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from bot.settings import Settings, SettingsError, env_name

logger = logging.getLogger(__name__)


class TeamsNotConfigured(SettingsError):
    """Teams settings that cannot work; the message names the variables to set."""


@dataclass(frozen=True, slots=True)
class BotConfig:
    """What botbuilder's ``Configuration*`` classes read, by attribute name."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TENANTID: str | None
    APP_TYPE: str

    @property
    def auth_disabled(self) -> bool:
        return not self.APP_ID


def bot_config(settings: Settings, *, auth_disabled_for_tests: bool = False) -> BotConfig:
    """The botbuilder configuration for ``settings``; raises on unusable combinations."""
    if auth_disabled_for_tests:
        return BotConfig(APP_ID=None, APP_PASSWORD=None, APP_TENANTID=None, APP_TYPE="MultiTenant")
    app_id = (settings.teams_app_id or "").strip() or None
    password = settings.teams_app_password.get_secret_value() if settings.teams_app_password else None
    tenant = (settings.teams_app_tenant_id or "").strip() or None
    if app_id and not password:
        raise TeamsNotConfigured(
            f"{env_name('teams_app_id')} is set but {env_name('teams_app_password')} is not; "
            "panelbot needs the app's client secret to send messages to Teams"
        )
    if (password or tenant) and not app_id:
        raise TeamsNotConfigured(
            f"{env_name('teams_app_password')} or {env_name('teams_app_tenant_id')} is set "
            f"without {env_name('teams_app_id')}; set the bot's Microsoft App ID too"
        )
    return BotConfig(
        APP_ID=app_id,
        APP_PASSWORD=password,
        APP_TENANTID=tenant,
        # A tenant id means a single-tenant Azure bot registration.
        APP_TYPE="SingleTenant" if tenant else "MultiTenant",
    )


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    """Last resort for a turn that raised: log it, and say so in the conversation."""
    activity = context.activity
    logger.error(
        "teams.turn_failed",
        exc_info=error,
        extra={"activity_type": activity.type, "invoke": activity.name or ""},
    )
    if activity.type == "message":
        try:
            await context.send_activity("Sorry, something went wrong on my side. Please try again.")
        except Exception as exc:  # the connector itself may be what failed
            logger.warning("teams.error_reply_failed", extra={"error": type(exc).__name__})


def build_adapter(config: BotConfig) -> CloudAdapter:
    """botbuilder's CloudAdapter, authenticating with ``config``."""
    if config.auth_disabled:
        logger.warning(
            "teams.auth_disabled",
            extra={
                "detail": f"{env_name('teams_app_id')} is not set: /api/messages accepts "
                "UNSIGNED requests and sends without a token (Bot Framework Emulator mode). "
                "Never expose this process to the internet like this."
            },
        )
    else:
        logger.info("teams.auth_enabled", extra={"app_type": config.APP_TYPE})
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    adapter.on_turn_error = _on_turn_error
    return adapter

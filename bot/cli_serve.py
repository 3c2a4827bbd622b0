"""``panelbot serve``: the web process (HTTP mode), or Socket Mode for local development."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer
from aiohttp import web
from rich.console import Console

from bot.cli_errors import CliError, friendly
from bot.server import build_web_app
from bot.settings import get_settings
from bot.wiring import build_parts

console = Console(stderr=True)
logger = logging.getLogger(__name__)


@friendly
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "0.0.0.0",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 3000,
    socket_mode: Annotated[
        bool, typer.Option("--socket-mode", help="Use Slack Socket Mode (needs PANELBOT_SLACK_APP_TOKEN).")
    ] = False,
) -> None:
    """Serve /slack/events, /api/messages, /healthz and /metrics."""
    settings = get_settings()
    logging.getLogger().setLevel(settings.log_level.upper())
    if not logging.getLogger().handlers:
        logging.basicConfig(level=settings.log_level.upper(),
                            format="%(asctime)s %(levelname)s %(name)s %(message)s")
    parts, _ = build_parts(settings)
    if parts.slack is None and not settings.teams_enabled:
        raise CliError(
            "nothing to serve: set PANELBOT_SLACK_BOT_TOKEN and PANELBOT_SLACK_SIGNING_SECRET "
            "(or enable Teams with PANELBOT_TEAMS_ENABLED=true); `panelbot demo` needs neither"
        )
    if socket_mode:
        if settings.slack_app_token is None or parts.slack is None:
            raise CliError("--socket-mode needs PANELBOT_SLACK_APP_TOKEN and the Slack bot token")
        asyncio.run(_socket_mode(parts, settings.slack_app_token.get_secret_value(), host, port))
        return
    console.print(f"panelbot listening on http://{host}:{port} (POST /slack/events)", highlight=False)
    web.run_app(build_web_app(parts), host=host, port=port, print=None,
                access_log=logging.getLogger("bot.access"))


async def _socket_mode(parts: object, app_token: str, host: str, port: int) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.server import ServerParts

    assert isinstance(parts, ServerParts) and parts.slack is not None
    runner = web.AppRunner(build_web_app(parts))  # /healthz, /metrics and Teams stay on HTTP
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    console.print("panelbot connected through Socket Mode", highlight=False)
    await AsyncSocketModeHandler(parts.slack, app_token).start_async()  # type: ignore[no-untyped-call]

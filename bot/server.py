"""One web process: ``POST /slack/events``, ``POST /api/messages``, ``/healthz``, ``/metrics``.

aiohttp serves both platforms (botbuilder's integration is aiohttp too). Slack requests
go to the Bolt app unchanged, so Bolt's signature verification decides what is
authentic; the time until Bolt answers is recorded as the ack latency.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from aiohttp import ClientSession, TCPConnector, web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot import metrics
from bot.scheduler import DueWorkRunner
from bot.services import Services

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class ServerParts:
    services: Services
    slack: AsyncApp | None = None
    teams: Handler | None = None
    runners: list[DueWorkRunner] = field(default_factory=list)
    poll_seconds: float = 15.0


def _kind(body: dict[str, object]) -> str:
    if "command" in body:
        return "command"
    return str(body.get("type") or "other")


def build_web_app(parts: ServerParts) -> web.Application:
    app = web.Application()

    async def slack_events(request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        if parts.slack is None:
            return web.json_response({"error": "Slack is not configured"}, status=404)
        bolt_request = await to_bolt_request(request)
        bolt_response = await parts.slack.async_dispatch(bolt_request)
        response = await to_aiohttp_response(bolt_response)
        metrics.ACK_SECONDS.labels(_kind(bolt_request.body)).observe(time.perf_counter() - started)
        metrics.REQUESTS.labels("/slack/events", str(response.status)).inc()
        return response

    async def teams_messages(request: web.Request) -> web.StreamResponse:
        if parts.teams is None:
            return web.json_response({"error": "Teams is not enabled"}, status=404)
        response = await parts.teams(request)
        metrics.REQUESTS.labels("/api/messages", str(response.status)).inc()
        return response

    async def healthz(request: web.Request) -> web.StreamResponse:
        try:
            await parts.services.db(lambda s: s.session.exec(sa.select(1)).one())  # type: ignore[call-overload]
        except Exception as exc:
            logger.warning("health.database_down", extra={"error": type(exc).__name__})
            return web.json_response({"status": "unhealthy", "database": "down"}, status=503)
        return web.json_response({
            "status": "ok",
            "database": "ok",
            "slack": parts.slack is not None,
            "teams": parts.teams is not None,
        })

    async def metrics_page(request: web.Request) -> web.StreamResponse:
        return web.Response(body=metrics.render(), content_type="text/plain", charset="utf-8")

    async def start_runners(_: web.Application) -> None:
        if parts.slack is not None and parts.slack.client.session is None:
            # One connection pool for every Web API call instead of a session per call.
            # No pool cap: a burst of clicks must not queue its views.open calls behind
            # each other while Slack's trigger_ids expire.
            parts.slack.client.session = ClientSession(connector=TCPConnector(limit=0))
        for runner in parts.runners:
            runner.start(parts.poll_seconds)

    async def stop_runners(_: web.Application) -> None:
        for runner in parts.runners:
            runner.stop()
        if parts.slack is not None and parts.slack.client.session is not None:
            await parts.slack.client.session.close()
            parts.slack.client.session = None

    app.router.add_post("/slack/events", slack_events)
    app.router.add_post("/api/messages", teams_messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    app.on_startup.append(start_runners)
    app.on_cleanup.append(stop_runners)
    return app

"""``POST /api/messages``: authenticate, run the bot, and write the invoke response ourselves.

Why not ``CloudAdapter.process``: in botbuilder-integration-aiohttp 4.17.x it answers
every invoke (dialogs, card actions) with HTTP 500, because it passes the body of the
``InvokeResponse`` through ``serializer_helper`` a second time, and that body is
already plain JSON. So this handler does what ``process`` does, step by step:

1. read the JSON body into an ``Activity`` (415 / 400 on anything else);
2. authenticate it with botbuilder's ``BotFrameworkAuthentication`` (the JWT check);
   any failure there is a 401 and the bot never sees the activity;
3. run the bot through ``adapter.process_activity`` with that result;
4. write the ``InvokeResponse`` as it is: its status, and its body as JSON (an msrest
   model is serialised once; a dict is sent unchanged).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, InvokeResponse
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.serialization import Model

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def invoke_body(body: Any) -> Any:
    """The body as JSON-able data, serialised exactly once."""
    if isinstance(body, Model):
        return serializer_helper(body)
    return body


def write_invoke_response(response: InvokeResponse | None) -> web.Response:
    """The HTTP answer for what the turn left: the invoke response, or a bare 201."""
    if response is None:
        return web.Response(status=201)
    status = int(response.status or 200)
    body = invoke_body(response.body)
    if body is None:
        return web.Response(status=status)
    return web.json_response(body, status=status, dumps=json.dumps)


def messages_endpoint(adapter: CloudAdapter, bot: Bot) -> Handler:
    """The aiohttp handler for ``POST /api/messages``."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _error(415, "expected an application/json Bot Framework activity")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "the body is not JSON")
        if not isinstance(body, dict):
            return _error(400, "the body is not an activity")
        try:
            activity = Activity().deserialize(body)
        except Exception:
            return _error(400, "the body is not an activity")
        if not activity.type:
            return _error(400, "the activity has no type")
        auth_header = request.headers.get("Authorization", "")
        try:
            authenticated = await adapter.bot_framework_authentication.authenticate_request(
                activity, auth_header
            )
        except Exception as exc:  # PermissionError, jwt errors, key lookups: all mean no
            logger.warning(
                "teams.auth_rejected",
                extra={"error": type(exc).__name__, "activity_type": activity.type,
                       "has_token": bool(auth_header)},
            )
            return _error(401, "unauthorized")
        try:
            response = await adapter.process_activity(authenticated, activity, bot.on_turn)
        except Exception:  # outside the turn (connector set-up); the turn has its own handler
            logger.exception("teams.process_failed", extra={"activity_type": activity.type})
            return _error(500, "the activity could not be processed")
        return write_invoke_response(response)

    return handle

"""App Home: my upcoming interviews, my pending scorecards, decisions waiting for me."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.slack import limits
from bot.slack.render import message_blocks
from bot.slack.runtime import SlackRuntime, slack_names
from flows.home import build_home


def register_home(app: AsyncApp, rt: SlackRuntime) -> None:
    @app.event("app_home_opened")
    async def home_opened(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        ws = str(body.get("team_id", ""))
        user = str(event["user"])
        directory = await rt.directory(ws, [user])
        now = rt.services.clock()
        home = await rt.services.db(
            lambda s: build_home(s, ws, user, directory.tz(user), rt.services.kits,
                                 slack_names(s, ws), now)
        )
        blocks = message_blocks(home)[: limits.SURFACE_BLOCKS]
        await rt.client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})

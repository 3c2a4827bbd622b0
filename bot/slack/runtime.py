"""What every Slack listener needs: services, the Web API client and the ledger."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import Deliverer, Reserved
from bot.services import Services
from bot.slack.directory import Directory, all_known, directory_for
from bot.slack.render import message_payloads
from flows.messages import Message
from flows.outbound import Outbound
from storage.enums import Platform
from storage.repository import Store

logger = logging.getLogger(__name__)


def team_id(body: dict[str, Any]) -> str:
    """The workspace of a Slack request, whatever its shape."""
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    if not team:
        team = (body.get("user") or {}).get("team_id") or body.get("view", {}).get("team_id")
    return str(team or "")


def user_id(body: dict[str, Any]) -> str:
    return str(body.get("user_id") or (body.get("user") or {}).get("id") or "")


LOADING_CALLBACK = "panelbot_loading"


def info_view(title: str, text: str, *, callback_id: str = LOADING_CALLBACK) -> dict[str, Any]:
    """A modal with one line of text: the placeholder while loading, or a refusal."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}],
    }


def slack_names(store: Store, ws: str) -> Callable[[str], str]:
    """Display names from the people table, for use inside one transaction."""
    return lambda uid: store.display_name(ws, Platform.SLACK, uid)


def track_debrief(store: Store, ws: str, outbound: Outbound, reference: str) -> None:
    """Remember where a debrief landed, to update it in place when someone decides."""
    if outbound.track and outbound.track[0] == "debrief":
        channel, _, ts = reference.partition(":")
        if store.get_decision(ws, outbound.track[1]) is not None:
            store.set_decision_message(ws, outbound.track[1], channel, ts)


@dataclass
class SlackRuntime:
    services: Services
    client: AsyncWebClient
    deliverer: Deliverer

    async def directory(self, ws: str, user_ids: Sequence[str]) -> Directory:
        return await directory_for(self.services, self.client, ws, user_ids)

    async def known(self, ws: str, user_ids: Sequence[str]) -> Directory:
        return await all_known(self.services, ws, user_ids)

    async def send(self, ws: str, outbound: Sequence[Outbound]) -> None:
        await self.deliverer.deliver(ws, outbound)

    async def send_reserved(self, ws: str, reserved: Sequence[Reserved]) -> None:
        await self.deliverer.send_reserved(ws, reserved)

    async def open_modal(
        self, trigger_id: str, title: str, build: Callable[[], Awaitable[dict[str, Any]]]
    ) -> None:
        """Open a placeholder at once, then fill it in.

        A ``trigger_id`` expires 3 seconds after the click; opening first keeps the modal
        working however long the lookups behind it take.
        """
        opened = await self.client.views_open(
            trigger_id=trigger_id, view=info_view(title, "Loading…")
        )
        view = await build()
        await self.client.views_update(view_id=opened["view"]["id"], view=view)

    async def ephemeral(self, channel: str | None, user: str, text: str) -> None:
        """A reply only ``user`` sees; in a DM when there is no channel to whisper in."""
        try:
            if channel:
                await self.client.chat_postEphemeral(channel=channel, user=user, text=text)
                return
            opened = await self.client.conversations_open(users=user)
            await self.client.chat_postMessage(channel=opened["channel"]["id"], text=text)
        except SlackApiError as exc:
            logger.warning("slack.ephemeral_failed", extra={"error": exc.response.get("error")})

    async def dm_message(self, user: str, message: Message) -> None:
        """An on-demand DM (not ledger-tracked: the person just asked for it)."""
        opened = await self.client.conversations_open(users=user)
        for payload in message_payloads(message):
            await self.client.chat_postMessage(
                channel=opened["channel"]["id"], text=payload["text"], blocks=payload["blocks"]
            )

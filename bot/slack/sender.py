"""Post neutral messages to Slack, with slack-sdk's retry handlers doing the waiting.

The client retries 429s (honouring ``Retry-After``), 5xx answers and connection errors
itself; what still fails is classified for the delivery ledger as transient (try again
later) or permanent (tell an operator).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery import PermanentSendError, TransientSendError
from bot.slack.render import message_payloads
from flows.messages import Message
from flows.outbound import Recipient
from storage.enums import Platform

logger = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "user_not_found",
    "user_not_visible", "cannot_dm_bot", "account_inactive", "invalid_auth", "not_authed",
    "token_revoked", "missing_scope", "no_permission", "invalid_blocks", "msg_too_long",
    "invalid_arguments", "restricted_action", "team_access_not_granted", "message_not_found",
    "cant_update_message", "edit_window_closed",
})


def retry_handlers() -> list[object]:
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncServerErrorRetryHandler(max_retry_count=2),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ]


def make_client(token: str | None, base_url: str) -> AsyncWebClient:
    client = AsyncWebClient(token=token, base_url=base_url, timeout=10)
    for handler in retry_handlers():
        client.retry_handlers.append(handler)  # type: ignore[arg-type]
    return client


def classify(exc: Exception) -> Exception:
    """Map a slack-sdk failure to the ledger's two kinds of failure."""
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error", "")) if exc.response is not None else ""
        status = exc.response.status_code if exc.response is not None else 0
        if error in PERMANENT_ERRORS:
            return PermanentSendError(f"slack: {error}")
        return TransientSendError(f"slack: {error or f'HTTP {status}'}")
    return TransientSendError(f"slack: {type(exc).__name__}: {exc}")


class SlackSender:
    """The delivery ledger's Slack side."""

    platform = Platform.SLACK

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def channel_for(self, recipient: Recipient) -> str:
        """Where to post: a channel id, or the user id itself for a DM.

        ``chat.postMessage`` to a user id lands in the app's DM with that person, so a
        DM costs one call instead of two (``conversations.open`` is tightly rate-limited,
        which a fan-out of reminders would hit first).
        """
        return recipient.id

    async def send(self, workspace_id: str, recipient: Recipient, message: Message) -> str:
        try:
            channel = await self.channel_for(recipient)
            ts = ""
            for payload in message_payloads(message):
                posted = await self.client.chat_postMessage(
                    channel=channel, text=payload["text"], blocks=payload["blocks"]
                )
                ts = str(posted["ts"])
                channel = str(posted.get("channel", channel))
            for attachment in message.attachments:
                await self.client.files_upload_v2(
                    channel=channel,
                    content=attachment.content,
                    filename=attachment.filename,
                    title=attachment.title,
                )
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
            raise classify(exc) from exc
        return f"{channel}:{ts}"

    async def update(self, workspace_id: str, reference: str, message: Message) -> None:
        channel, _, ts = reference.partition(":")
        payloads = message_payloads(message)
        if len(payloads) > 1:
            # The post was split; the updated part keeps the leading sections (the
            # decision and the verdict) so it still fits one message.
            payloads = message_payloads(replace(message, sections=message.sections[:2]))
        payload = payloads[-1]
        try:
            await self.client.chat_update(
                channel=channel, ts=ts, text=payload["text"], blocks=payload["blocks"]
            )
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
            raise classify(exc) from exc

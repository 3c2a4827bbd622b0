"""The delivery ledger's Teams side: proactive posts through stored conversation references.

Teams lets a bot write first only into a conversation it already has a reference for:

* a person: their 1:1 chat with panelbot, saved when they installed the app or first
  talked to it (:func:`bot.teams.activity.remember`). Without one, or when Teams answers
  403 (app not installed, or removed), the send raises :class:`RecipientUnreachable`:
  the ledger keeps the message and retries it, and the recruiters are told once who
  must install panelbot (:mod:`bot.teams.unreachable`);
* a channel: the channel's own reference, else the tenant's template re-pointed at the
  channel id. Posting to a channel's root conversation starts a new thread; a message
  too long for one card continues in that thread.

Failures are classified for the ledger: 403 unreachable, 429 / 5xx / timeouts transient
(honouring ``Retry-After``), 404 and other 4xx permanent. The platform message reference
is ``<conversation id>|<activity id>``, what an update needs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import aiohttp
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ConversationReference
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.delivery import PermanentSendError, RecipientUnreachable, TransientSendError
from bot.teams.activity import TEAMS, TENANT_KEY, channel_key, root_conversation
from bot.teams.outgoing import card_activity, message_activities, replacement_card
from flows.messages import Message
from flows.outbound import Recipient, RecipientKind
from storage.enums import Platform
from storage.models import ConversationRef
from storage.repository import Store

logger = logging.getLogger(__name__)

RunDb = Callable[[Callable[[Store], Any]], Any]

SEPARATOR = "|"
SEND_TIMEOUT_SECONDS = 20.0
# Teams error codes that mean "this person (or team) has not let panelbot in".
UNREACHABLE_CODES = frozenset({
    "BotNotInConversationRoster", "ConversationBlockedByUser", "BotDisabledByAdmin",
    "BotNotInstalled", "Forbidden",
})


def message_reference(conversation_id: str, activity_id: str) -> str:
    return f"{conversation_id}{SEPARATOR}{activity_id}"


def split_reference(reference: str) -> tuple[str, str]:
    conversation, _, activity = reference.rpartition(SEPARATOR)
    if not conversation or not activity:
        raise PermanentSendError(f"teams: not a Teams message reference: {reference!r}")
    return conversation, activity


def _status(exc: HttpOperationError) -> int:
    response = exc.response
    return int(getattr(response, "status_code", None) or getattr(response, "status", 0) or 0)


def _code(exc: HttpOperationError) -> str:
    inner = getattr(getattr(exc, "error", None), "error", None)
    return str(getattr(inner, "code", "") or "")


def _retry_after(exc: HttpOperationError) -> timedelta | None:
    headers = getattr(exc.response, "headers", None) or {}
    value = str(headers.get("Retry-After", "") or "").strip()
    return timedelta(seconds=int(value)) if value.isdigit() else None


def classify(exc: BaseException, recipient: Recipient) -> Exception:
    """Map a Bot Connector failure to the ledger's kinds of failure."""
    if isinstance(exc, HttpOperationError):
        status, code = _status(exc), _code(exc)
        detail = f"teams: HTTP {status}" + (f" {code}" if code else "")
        if status == 403 or code in UNREACHABLE_CODES:
            return RecipientUnreachable(f"{detail}: {unreachable_text(recipient)}")
        if status == 429 or status >= 500 or status == 408:
            return TransientSendError(detail, retry_after=_retry_after(exc))
        if status == 404:
            return PermanentSendError(f"{detail}: conversation not found")
        return PermanentSendError(detail)
    if isinstance(exc, ClientRequestError | aiohttp.ClientError | OSError | TimeoutError):
        return TransientSendError(f"teams: {type(exc).__name__}: {exc}")
    return TransientSendError(f"teams: {type(exc).__name__}: {exc}")


def unreachable_text(recipient: Recipient) -> str:
    if recipient.kind is RecipientKind.CHANNEL:
        return "panelbot has not been added to the team of this channel"
    return "this person has not installed panelbot in Teams"


def _reference(row: ConversationRef, conversation_id: str | None = None) -> ConversationReference:
    reference = ConversationReference().deserialize(dict(row.reference))
    reference.activity_id = None
    if conversation_id is not None and reference.conversation is not None:
        reference.conversation.id = conversation_id
        reference.conversation.conversation_type = "channel"
        reference.conversation.is_group = True
    return reference


class TeamsSender:
    """Posts and updates messages in Teams for the delivery ledger."""

    platform = Platform.TEAMS

    def __init__(self, adapter: BotAdapter, run_db: RunDb, *, app_id: str = "") -> None:
        self.adapter = adapter
        self.run_db = run_db
        self.app_id = app_id

    async def _row(self, ws: str, key: str) -> ConversationRef | None:
        row: ConversationRef | None = await self.run_db(
            lambda s: s.get_conversation_ref(ws, TEAMS, key)
        )
        return row

    async def reference_for(self, ws: str, recipient: Recipient) -> ConversationReference:
        """Where to post to ``recipient``; RecipientUnreachable when Teams won't know."""
        if recipient.kind is RecipientKind.USER:
            row = await self._row(ws, recipient.id)
            if row is None:
                raise RecipientUnreachable(
                    f"teams: no 1:1 chat with {recipient.id} yet: {unreachable_text(recipient)}"
                )
            return _reference(row)
        return await self.channel_reference(ws, recipient.id)

    async def channel_reference(self, ws: str, conversation_id: str) -> ConversationReference:
        channel = root_conversation(conversation_id)
        row = await self._row(ws, channel_key(channel)) or await self._row(ws, TENANT_KEY)
        if row is None:
            raise RecipientUnreachable(
                f"teams: nobody in tenant {ws} has talked to panelbot yet: "
                f"{unreachable_text(Recipient.channel(channel))}"
            )
        return _reference(row, conversation_id)

    async def _turn(
        self, reference: ConversationReference, recipient: Recipient,
        work: Callable[[TurnContext], Any],
    ) -> None:
        """Run ``work`` in a proactive turn; its failure is raised here, classified.

        The adapter's turn-error handler would swallow an exception raised inside the
        turn, so ``work``'s failure is carried out of the turn by hand.
        """
        failures: list[BaseException] = []

        async def callback(context: TurnContext) -> None:
            context.activity.id = None  # post new activities; do not reply to the trigger
            try:
                await work(context)
            except Exception as exc:
                failures.append(exc)

        try:
            await asyncio.wait_for(
                self.adapter.continue_conversation(reference, callback, self.app_id),
                SEND_TIMEOUT_SECONDS,
            )
        except Exception as exc:
            raise classify(exc, recipient) from exc
        if failures:
            raise classify(failures[0], recipient) from failures[0]

    async def send(self, workspace_id: str, recipient: Recipient, message: Message) -> str:
        reference = await self.reference_for(workspace_id, recipient)
        activities = message_activities(message)
        posted: list[tuple[str, str]] = []

        async def post(context: TurnContext) -> None:
            conversation = str(context.activity.conversation.id)
            for activity in activities:
                if posted and recipient.kind is RecipientKind.CHANNEL:
                    # The rest of a long post continues in its thread.
                    activity.reply_to_id = posted[0][1]
                    thread = f"{root_conversation(conversation)};messageid={posted[0][1]}"
                else:
                    thread = conversation
                response = await context.send_activity(activity)
                posted.append((thread, str(response.id if response and response.id else "")))

        await self._turn(reference, recipient, post)
        if not posted or not posted[-1][1]:
            raise TransientSendError("teams: the connector returned no activity id")
        logger.info("teams.sent", extra={"kind": message.kind.value, "cards": len(posted),
                                          "recipient_kind": recipient.kind.value})
        return message_reference(*posted[-1])

    async def update(self, workspace_id: str, reference: str, message: Message) -> None:
        conversation, activity_id = split_reference(reference)
        target = Recipient.channel(conversation)
        proactive = await self.channel_reference(workspace_id, conversation)
        card = replacement_card(message)

        async def replace_card(context: TurnContext) -> None:
            activity = card_activity(card, summary=message.summary)
            activity.id = activity_id
            await context.update_activity(activity)

        await self._turn(proactive, target, replace_card)
        logger.info("teams.updated", extra={"kind": message.kind.value})

    async def post(
        self, workspace_id: str, recipient: Recipient, activities: Sequence[Activity]
    ) -> None:
        """Post ready-made activities outside the ledger (answers a person just asked for)."""
        reference = await self.reference_for(workspace_id, recipient)

        async def post_all(context: TurnContext) -> None:
            for activity in activities:
                await context.send_activity(activity)

        await self._turn(reference, recipient, post_all)

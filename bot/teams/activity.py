"""Who and where an inbound Teams activity comes from, and what panelbot keeps of it.

Teams identities, as panelbot stores them:

* workspace id = the tenant id (``channelData.tenant.id``; botbuilder 4.17 cannot read
  ``conversation.tenantId`` because its model maps the key as ``tenantID``);
* user id = the Azure AD object id (``from.aadObjectId``), which is also what Teams'
  People Picker submits, so an interviewer picked in a dialog and the same person
  clicking a button are one id; ``from.id`` only when there is no AAD id (Emulator).

Every activity refreshes the person (name, and time zone when Teams sends one) and the
conversation references proactive messages need (see :func:`remember`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from storage.enums import Platform
from storage.repository import Store

TEAMS = Platform.TEAMS
PERSONAL = "personal"
CHANNEL = "channel"
# Conversation-reference rows that are not a person's 1:1 chat. AAD object ids are
# GUIDs, so these keys cannot collide with a user id.
TENANT_KEY = "~tenant"
_CHANNEL_PREFIX = "channel:"
_THREAD_SUFFIX = ";messageid="
_MENTION = re.compile(r"<at\b[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def channel_key(channel_id: str) -> str:
    """The conversation-reference key of a channel (its root conversation)."""
    return f"{_CHANNEL_PREFIX}{root_conversation(channel_id)}"


def root_conversation(conversation_id: str) -> str:
    """A channel thread's conversation id without its ``;messageid=…`` part."""
    return conversation_id.split(_THREAD_SUFFIX, 1)[0]


@dataclass(frozen=True, slots=True)
class Who:
    """The person behind an activity, in panelbot's terms."""

    workspace_id: str
    user_id: str
    name: str
    tz: str | None


def _data(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def tenant_id(activity: Activity, fallback: str) -> str:
    """The tenant of the activity, or ``fallback`` (Emulator traffic has none)."""
    tenant = _data(_data(activity.channel_data).get("tenant")).get("id")
    conversation = activity.conversation
    if not tenant and conversation is not None:
        tenant = conversation.tenant_id or _data(conversation.additional_properties).get(
            "tenantId"
        )
    return str(tenant or fallback)


def who(activity: Activity, fallback_workspace: str) -> Who:
    sender = activity.from_property
    user = str((sender.aad_object_id or sender.id) if sender else "") or ""
    name = str(sender.name or "").strip() if sender else ""
    return Who(
        workspace_id=tenant_id(activity, fallback_workspace),
        user_id=user,
        name=name,
        tz=(activity.local_timezone or "").strip() or None,
    )


def conversation_type(activity: Activity) -> str:
    conversation = activity.conversation
    return str(conversation.conversation_type or "") if conversation else ""


def is_personal(activity: Activity) -> bool:
    """A 1:1 chat with the bot (Emulator chats have no type and count as personal)."""
    return conversation_type(activity) in ("", PERSONAL)


def channel_id(activity: Activity) -> str | None:
    """The channel an activity happened in, if any (its root id, not a thread's)."""
    channel = _data(_data(activity.channel_data).get("channel")).get("id")
    if channel:
        return str(channel)
    if conversation_type(activity) == CHANNEL and activity.conversation is not None:
        return root_conversation(str(activity.conversation.id))
    return None


def command_text(activity: Activity) -> str:
    """The message text without @mentions of the bot, tags or HTML entities.

    Mentions of anyone else keep their visible name. When the bot's own name is not
    known (Emulator), every mention is taken to be the bot's.
    """
    text = str(activity.text or "")
    bot = str(activity.recipient.name or "").strip().lower() if activity.recipient else ""

    def unmention(match: re.Match[str]) -> str:
        inner = html.unescape(match.group(1)).strip()
        return " " if not bot or inner.lower() == bot else inner

    text = _MENTION.sub(unmention, text)
    text = html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ")
    return " ".join(text.split())


def reference_of(activity: Activity, *, conversation_id: str | None = None) -> dict[str, Any]:
    """The serialised ConversationReference of ``activity`` (optionally re-pointed)."""
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None  # proactive posts must not reply to this old activity
    if conversation_id is not None and reference.conversation is not None:
        reference.conversation.id = conversation_id
    data: dict[str, Any] = reference.serialize()
    return data


def _keep_reference(
    store: Store, ws: str, key: str, activity: Activity, conversation_id: str
) -> None:
    """Save the reference under ``key`` unless the stored one already says the same."""
    service_url = str(activity.service_url)
    known = store.get_conversation_ref(ws, TEAMS, key)
    if known is not None and (known.conversation_id, known.service_url) == (
        conversation_id, service_url
    ):
        return
    store.save_conversation_ref(
        ws, TEAMS, key, conversation_id=conversation_id, service_url=service_url,
        reference=reference_of(activity, conversation_id=conversation_id),
    )


def remember(store: Store, activity: Activity, person: Who) -> Who:
    """Keep the person and the conversation references proactive messages need.

    * the person's name, and time zone when this activity carries one (a missing zone
      never overwrites a known one);
    * their 1:1 conversation, when this is it: briefings and reminders go there;
    * the channel's root conversation, when this is a channel: debriefs go there;
    * a reference in the tenant, as the template (service URL, bot account) for posting
      to a channel panelbot has not heard from yet.

    Unchanged rows are not rewritten, so a busy chat costs reads, not writes. Returns
    ``person`` with the zone panelbot knows for them when this activity carried none,
    so dialogs show times in the same zone as every message.
    """
    ws, user = person.workspace_id, person.user_id
    if not user or activity.service_url is None or activity.conversation is None:
        return person
    known = store.get_person(ws, TEAMS, user)
    name = person.name or (known.display_name if known else user)
    tz = person.tz or (known.tz if known else "UTC")
    if known is None or (known.display_name, known.tz) != (name, tz):
        store.upsert_person(ws, TEAMS, user, display_name=name, tz=tz)
    conversation = str(activity.conversation.id)
    if is_personal(activity):
        _keep_reference(store, ws, user, activity, conversation)
    channel = channel_id(activity)
    if channel is not None:
        _keep_reference(store, ws, channel_key(channel), activity, channel)
    template = store.get_conversation_ref(ws, TEAMS, TENANT_KEY)
    if template is None or template.service_url != str(activity.service_url):
        _keep_reference(store, ws, TENANT_KEY, activity, conversation)
    return replace(person, tz=tz)

"""Teams activities as Teams sends them, and a bench that runs them through the real bot.

The builders return the JSON Teams posts to ``/api/messages`` (camelCase, tenant in
``channelData``, AAD object ids in ``from``), so the HTTP tests post them unchanged and
the in-process tests deserialise them into botbuilder ``Activity`` objects.

:class:`Bench` is botbuilder's ``TestAdapter`` on the ``msteams`` channel with the real
bot, runtime, ledger and sender on top: it runs one activity per turn (as botbuilder's
own Teams tests do, ``bot.on_turn(TurnContext(adapter, activity))``), waits for the work
handlers hand to the background, and returns what the bot said.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ConversationReference

from bot.services import Services
from bot.teams.app import teams_runtime
from bot.teams.bot import PanelbotTeamsBot
from bot.teams.cards import MAX_CARD_BYTES, card_size_bytes
from bot.teams.outgoing import card_of
from tests.teams.cardtools import (
    CardValidator,
    actions,
    elements,
    texts,
    without_teams_extensions,
)

TENANT = "tenant-acme"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
CHANNEL = "19:hiring@thread.tacv2"
TEAM = "19:team-acme@thread.tacv2"
BOT = {"id": "28:panelbot-app-id", "name": "panelbot"}
# AAD object id: (display name, Teams time zone).
PEOPLE = {
    "aad-rosa": ("Rosa Mendes", "Europe/Lisbon"),       # recruiter
    "aad-dana": ("Dana Okafor", "America/New_York"),    # hiring manager
    "aad-maya": ("Maya Chen", "America/Los_Angeles"),   # interviewer
    "aad-tom": ("Tom Becker", "Europe/Berlin"),         # interviewer
    "aad-olga": ("Olga Outsider", "UTC"),               # nobody on the requisition
}
_ids = itertools.count(1)


def personal_conversation(user: str) -> str:
    return f"a:1on1-{user}"


def base(user: str, *, where: str = "personal", service_url: str = SERVICE_URL,
         thread: str | None = None) -> dict[str, Any]:
    name, tz = PEOPLE[user]
    if where == "personal":
        conversation: dict[str, Any] = {
            "id": personal_conversation(user), "conversationType": "personal", "tenantId": TENANT,
        }
        channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
    else:
        conversation = {
            "id": CHANNEL + (f";messageid={thread}" if thread else ""),
            "conversationType": "channel", "isGroup": True, "tenantId": TENANT,
        }
        channel_data = {"tenant": {"id": TENANT}, "channel": {"id": CHANNEL},
                        "team": {"id": TEAM}}
    return {
        "id": f"act-{next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:{user}", "name": name, "aadObjectId": user},
        "recipient": dict(BOT),
        "conversation": conversation,
        "channelData": channel_data,
        "localTimezone": tz,
        "locale": "en-US",
    }


def message(user: str, text: str, *, where: str = "personal", **kw: Any) -> dict[str, Any]:
    activity = {**base(user, where=where, **kw), "type": "message"}
    if where == "personal":
        activity["text"] = text
    else:  # channels only deliver messages that @mention the bot
        activity["text"] = f"<at>{BOT['name']}</at> {text}"
        activity["entities"] = [{"type": "mention", "text": f"<at>{BOT['name']}</at>",
                                 "mentioned": dict(BOT)}]
    return activity


def install(user: str, *, action: str = "add", **kw: Any) -> dict[str, Any]:
    return {**base(user, **kw), "type": "installationUpdate", "action": action}


def task_fetch(user: str, data: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {**base(user, **kw), "type": "invoke", "name": "task/fetch",
            "value": {"data": {"msteams": {"type": "task/fetch"}, **data},
                      "context": {"theme": "default"}}}


def task_submit(user: str, data: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {**base(user, **kw), "type": "invoke", "name": "task/submit",
            "value": {"data": data, "context": {"theme": "default"}}}


def card_action(user: str, verb: str, data: dict[str, Any], *, reply_to: str | None = None,
                **kw: Any) -> dict[str, Any]:
    activity = {**base(user, **kw), "type": "invoke", "name": "adaptiveCard/action",
                "value": {"action": {"type": "Action.Execute", "verb": verb, "data": data},
                          "trigger": "manual"}}
    if reply_to:
        activity["replyToId"] = reply_to
    return activity


def press(user: str, button: dict[str, Any], inputs: dict[str, Any] | None = None,
          **kw: Any) -> dict[str, Any]:
    """What Teams sends when ``user`` presses ``button`` of a card (inputs merged in)."""
    data = {k: v for k, v in (button.get("data") or {}).items() if k != "msteams"}
    if button["type"] == "Action.Execute":
        return card_action(user, button["verb"], {**data, **(inputs or {})}, **kw)
    assert button["data"]["msteams"]["type"] == "task/fetch", button
    return task_fetch(user, data, **kw)


def submit_dialog(user: str, dialog: dict[str, Any], values: dict[str, Any],
                  button: int = 0, **kw: Any) -> dict[str, Any]:
    """task/submit of a dialog's card: its initial values, overridden by ``values``."""
    card = dialog["task"]["value"]["card"]["content"]
    data: dict[str, Any] = {}
    for element in elements(card):
        if element["type"].startswith("Input.") and "value" in element:
            data[element["id"]] = element["value"]
    data.update(values)
    data.update(card["actions"][button]["data"])
    return task_submit(user, data, **kw)


def check_card(schema: CardValidator, card: dict[str, Any]) -> dict[str, Any]:
    """``card`` is what Teams renders: valid Adaptive Card 1.5 and under 28 KB."""
    assert card_size_bytes(card) < MAX_CARD_BYTES, card_size_bytes(card)
    assert card["version"] == "1.5"
    assert schema.problems(without_teams_extensions(card)) == []
    return card


def card_text(card: dict[str, Any]) -> str:
    return "\n".join(texts(card))


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return actions(card)


@dataclass
class Turn:
    """What one activity made the bot do."""

    said: list[Activity]
    invoke: dict[str, Any] | None
    status: int | None

    @property
    def texts(self) -> list[str]:
        return [str(a.text) for a in self.said if a.text]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [c for a in self.said if (c := card_of(a)) is not None]

    @property
    def dialog_card(self) -> dict[str, Any]:
        assert self.invoke is not None and self.invoke["task"]["type"] == "continue", self.invoke
        card: dict[str, Any] = self.invoke["task"]["value"]["card"]["content"]
        return card

    @property
    def task_text(self) -> str:
        assert self.invoke is not None and self.invoke["task"]["type"] == "message", self.invoke
        return str(self.invoke["task"]["value"])


@dataclass
class Bench:
    """The real Teams bot on botbuilder's TestAdapter (``msteams`` channel)."""

    services: Services
    schema: CardValidator
    adapter: TestAdapter = field(init=False)
    seen: int = 0

    def __post_init__(self) -> None:
        self.adapter = TestAdapter(
            template_or_conversation=ConversationReference(channel_id="msteams",
                                                           service_url=SERVICE_URL)
        )
        self.rt = teams_runtime(self.services, self.adapter, app_id=BOT["id"])
        self.bot = PanelbotTeamsBot(self.rt)

    async def turn(self, activity: dict[str, Any]) -> Turn:
        context = TurnContext(self.adapter, Activity().deserialize(activity))
        await self.bot.on_turn(context)
        invoke: dict[str, Any] | None = None
        status: int | None = None
        said: list[Activity] = []
        await self.rt.drain()
        for sent in self.new_activities():
            if sent.type == "invokeResponse":
                invoke, status = sent.value.body, sent.value.status
            elif sent.conversation is not None and sent.conversation.id == context.activity.conversation.id:
                said.append(sent)
        for sent in said:
            if (card := card_of(sent)) is not None:
                check_card(self.schema, card)
        self._check_invoke(invoke)
        return Turn(said, invoke, status)

    def _check_invoke(self, invoke: dict[str, Any] | None) -> None:
        if invoke is None:
            return
        if "task" in invoke and invoke["task"]["type"] == "continue":
            check_card(self.schema, invoke["task"]["value"]["card"]["content"])
        if invoke.get("type") == "application/vnd.microsoft.card.adaptive":
            check_card(self.schema, invoke["value"])

    def new_activities(self) -> list[Activity]:
        fresh = self.adapter.activity_buffer[self.seen:]
        self.seen = len(self.adapter.activity_buffer)
        return fresh

    def sent_to(self, conversation: str) -> list[Activity]:
        """Every activity ever posted into ``conversation`` (a thread counts as its channel)."""
        return [a for a in self.adapter.activity_buffer
                if a.type == "message" and a.conversation is not None
                and a.conversation.id.split(";")[0] == conversation]

    def cards_to(self, conversation: str) -> list[dict[str, Any]]:
        found = [c for a in self.sent_to(conversation) if (c := card_of(a)) is not None]
        for card in found:
            check_card(self.schema, card)
        return found

    def dms(self, user: str) -> list[dict[str, Any]]:
        return self.cards_to(personal_conversation(user))

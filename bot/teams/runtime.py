"""What every Teams handler needs: services, the adapter, the ledger, and turn helpers.

Teams waits for an answer to every invoke (a dialog, a card action) and gives up after
about fifteen seconds, and an HTTP request is not answered until the bot's turn ends.
So handlers answer first and hand slow work (posting to other people through the
ledger) to :meth:`TeamsRuntime.spawn`; the ledger holds the reserved messages, so even
a process that dies before that work runs loses nothing (the retry loop sends them).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity

from bot.delivery import Deliverer, Reserved
from bot.services import Services
from bot.teams.activity import TEAMS, Who, who
from bot.teams.outgoing import text_activity
from bot.teams.sender import TeamsSender, split_reference
from flows.outbound import Outbound
from storage.models import Person
from storage.repository import Store

logger = logging.getLogger(__name__)


def teams_names(store: Store, ws: str) -> Callable[[str], str]:
    """Display names from the people table, for use inside one transaction."""
    return lambda user_id: store.display_name(ws, TEAMS, user_id)


def track_debrief(store: Store, ws: str, outbound: Outbound, reference: str) -> None:
    """Remember where a debrief landed, to replace it when a hiring manager decides."""
    if outbound.track and outbound.track[0] == "debrief":
        conversation, activity_id = split_reference(reference)
        if store.get_decision(ws, outbound.track[1]) is not None:
            store.set_decision_message(ws, outbound.track[1], conversation, activity_id)


class Directory:
    """Names and zones of Teams people panelbot has met; unknown ids fall back to UTC."""

    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people

    def name(self, user_id: str) -> str:
        person = self.people.get(user_id)
        return person.display_name if person else user_id

    def tz(self, user_id: str) -> str:
        person = self.people.get(user_id)
        return person.tz if person else "UTC"


@dataclass
class TeamsRuntime:
    services: Services
    adapter: BotAdapter
    sender: TeamsSender
    deliverer: Deliverer
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def who(self, activity: Activity) -> Who:
        settings = self.services.settings
        return who(activity, settings.teams_app_tenant_id or settings.workspace_id)

    async def directory(self, ws: str, user_ids: Iterable[str]) -> Directory:
        wanted = sorted({u for u in user_ids if u})
        return Directory(await self.services.db(lambda s: s.people(ws, TEAMS, wanted)))

    async def tz_of(self, ws: str, user_id: str) -> str:
        return (await self.directory(ws, [user_id])).tz(user_id)

    async def send(self, ws: str, outbound: Sequence[Outbound]) -> None:
        await self.deliverer.deliver(ws, outbound)

    async def send_reserved(self, ws: str, reserved: Sequence[Reserved]) -> None:
        await self.deliverer.send_reserved(ws, reserved)

    def spawn(self, work: Coroutine[Any, Any, None], *, what: str) -> None:
        """Run ``work`` after this turn's answer; failures are logged, never lost silently."""

        async def run() -> None:
            try:
                await work
            except Exception:
                logger.exception("teams.background_failed", extra={"work": what})

        task = asyncio.get_running_loop().create_task(run(), name=f"teams:{what}")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def drain(self) -> None:
        """Wait for background work (tests, and shutdown)."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks))

    async def reply(self, context: TurnContext, activity: Activity | str) -> None:
        """Answer in the conversation the person wrote in (text as Teams markdown)."""
        await context.send_activity(text_activity(activity) if isinstance(activity, str) else activity)

"""Names of people panelbot has not met yet, asked from Teams while a turn is open.

Teams' People Picker submits only Azure AD object ids. Loop summaries, escalations and
debriefs name the interviewers, so when a recruiter picks someone panelbot has never
heard from, it asks Teams for their name through the conversation the dialog came
from (``TeamsInfo.get_member``). That works in a team's channels, where everyone is a
member; in a 1:1 chat Teams knows nobody else, and the id stays the name until the
person installs panelbot or writes to it (:func:`bot.teams.activity.remember`).
Time zones are not in Teams' member data: such people are UTC until then.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from functools import partial

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bot.teams.activity import TEAMS
from bot.teams.runtime import TeamsRuntime
from storage.repository import Store

logger = logging.getLogger(__name__)

LOOKUP_TIMEOUT_SECONDS = 5.0


async def learn_names(
    rt: TeamsRuntime, context: TurnContext, ws: str, user_ids: Iterable[str]
) -> None:
    """Store the Teams names of ``user_ids`` panelbot does not know yet (best effort)."""
    wanted = sorted({u for u in user_ids if u})
    known = await rt.services.db(lambda s: s.people(ws, TEAMS, wanted))
    for user_id in (u for u in wanted if u not in known):
        try:
            member = await asyncio.wait_for(
                TeamsInfo.get_member(context, user_id), LOOKUP_TIMEOUT_SECONDS
            )
        except Exception as exc:  # not a member here, no connector (tests), Teams down
            logger.info("teams.member_unknown", extra={"error": type(exc).__name__})
            continue
        name = str(getattr(member, "name", "") or "").strip()
        if name:
            await rt.services.db(partial(_remember, ws=ws, user_id=user_id, name=name))


def _remember(store: Store, *, ws: str, user_id: str, name: str) -> None:
    store.upsert_person(ws, TEAMS, user_id, display_name=name, tz="UTC")

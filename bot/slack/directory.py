"""Names and time zones of Slack users, cached in the people table.

Messages name people and show times in each person's zone; ``users.info`` is the
source, looked up once per person per day and kept so timers fired hours later (with
no Slack request in hand) still know whom they are talking to.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from storage.enums import Platform
from storage.models import Person
from storage.repository import Store

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(days=1)


class Directory:
    """A snapshot of known people; unknown ids fall back to the id and UTC."""

    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people

    def name(self, user_id: str) -> str:
        person = self.people.get(user_id)
        return person.display_name if person else user_id

    def tz(self, user_id: str) -> str:
        person = self.people.get(user_id)
        return person.tz if person else "UTC"


async def directory_for(
    services: Services, client: AsyncWebClient, ws: str, user_ids: Iterable[str]
) -> Directory:
    """Look up ``user_ids`` (refreshing stale or unknown ones from Slack)."""
    wanted = sorted({u for u in user_ids if u})
    known = await services.db(lambda s: s.people(ws, Platform.SLACK, wanted))
    now = services.clock()
    for user_id in wanted:
        person = known.get(user_id)
        if person is not None and now - person.updated_at < STALE_AFTER:
            continue
        try:
            info = await client.users_info(user=user_id)
        except SlackApiError as exc:
            logger.warning(
                "slack.users_info_failed",
                extra={"user_id": user_id, "error": exc.response.get("error")},
            )
            continue
        user = info["user"]
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name") or user.get("real_name") or profile.get("real_name")
            or user.get("name") or user_id
        )
        tz = user.get("tz") or "UTC"
        known[user_id] = await services.db(
            partial(_remember, ws=ws, user_id=user_id, name=str(name), tz=str(tz),
                    is_bot=bool(user.get("is_bot")))
        )
    return Directory(known)


def _remember(store: Store, *, ws: str, user_id: str, name: str, tz: str, is_bot: bool) -> Person:
    return store.upsert_person(ws, Platform.SLACK, user_id, display_name=name, tz=tz, is_bot=is_bot)


async def all_known(services: Services, ws: str, user_ids: Iterable[str]) -> Directory:
    """People already cached, without calling Slack (for timers and renders)."""
    wanted = sorted(set(user_ids))
    return Directory(await services.db(lambda s: s.people(ws, Platform.SLACK, wanted)))

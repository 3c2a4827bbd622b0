"""``/panel interviewer``: the modal where a person edits their own interviewer profile.

Thin on purpose: ``flows.profile_form`` builds and checks the form; this module opens
the modal, and on submit either answers with inline errors (``response_action:
errors``) or stores the profile and closes the modal.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.slack.render import form_view, view_values
from bot.slack.runtime import SlackRuntime, team_id, user_id
from bot.slack.scorecards import inline_errors
from flows.profile_form import profile_form, save_profile
from storage.enums import Platform

logger = logging.getLogger(__name__)

PROFILE_CALLBACK = "interviewer_profile"


async def open_profile_form(rt: SlackRuntime, body: dict[str, Any]) -> None:
    """Anyone may keep a profile; it is always their own (the user id of the request)."""
    ws, user = team_id(body), user_id(body)
    directory = await rt.directory(ws, [user])
    kits = [source.kit for source in rt.services.kits.sources()]
    profile = await rt.services.db(lambda s: s.get_profile(ws, Platform.SLACK, user))
    form = profile_form(kits, profile, default_tz=directory.tz(user))
    await rt.client.views_open(
        trigger_id=body["trigger_id"], view=form_view(form, callback_id=PROFILE_CALLBACK)
    )


def register_profiles(app: AsyncApp, rt: SlackRuntime) -> None:
    @app.view(PROFILE_CALLBACK)
    async def save(ack: AsyncAck, body: dict[str, Any]) -> None:
        ws, user = team_id(body), user_id(body)
        view = body["view"]
        raw = view_values(view["state"]["values"])
        kits = [source.kit for source in rt.services.kits.sources()]
        directory = await rt.known(ws, [user])
        result = await rt.services.db(
            lambda s: save_profile(s, ws, Platform.SLACK, user, raw, kits,
                                   display_name=directory.name(user))
        )
        if isinstance(result, dict):
            await ack(response_action="errors", errors=inline_errors(view, result))
            return
        await ack()
        logger.info("slack.profile_saved", extra={"workspace_id": ws, "user_id": user})
        await rt.ephemeral(None, user, "Your interviewer profile is saved; new loops use it.")

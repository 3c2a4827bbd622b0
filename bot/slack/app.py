"""The Bolt app: request verification, then small listeners per command, action and view.

Bolt verifies every request's signature (v0 HMAC, 5-minute window) before any listener
runs; panelbot never turns that off. Listeners ack first and do slow work afterwards
(``process_before_response=False``), so Slack always gets its answer in milliseconds.
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp

from bot.delivery import Deliverer
from bot.services import Services
from bot.slack.autoschedule import AUTO_CALLBACK, AUTO_PICK_CALLBACK, register_autoschedule
from bot.slack.commands import (
    DEBRIEF_PICK_ACTION,
    PANEL_CALLBACK,
    PANEL_PICK_CALLBACK,
    REQUISITION_CALLBACK,
    register_commands,
)
from bot.slack.decisions import REASON_CALLBACK, register_decisions
from bot.slack.home import register_home
from bot.slack.loops import PANEL_EDIT_CALLBACK, register_loops
from bot.slack.profiles import PROFILE_CALLBACK, register_profiles
from bot.slack.render import SAVE_DRAFT_ACTION_ID
from bot.slack.runtime import SlackRuntime, track_debrief
from bot.slack.scorecards import SCORECARD_CALLBACK, register_scorecards
from bot.slack.sender import SlackSender, make_client
from flows.messages import ActionId

logger = logging.getLogger(__name__)

#: Every view callback id and shortcut the app handles; the manifest test checks these.
VIEW_CALLBACKS = (
    SCORECARD_CALLBACK,
    REASON_CALLBACK,
    PANEL_CALLBACK,
    PANEL_PICK_CALLBACK,
    REQUISITION_CALLBACK,
    PANEL_EDIT_CALLBACK,
    PROFILE_CALLBACK,
    AUTO_CALLBACK,
    AUTO_PICK_CALLBACK,
)
SHORTCUT_CALLBACKS = (PANEL_CALLBACK,)
ACTION_IDS = (*(a.value for a in ActionId), SAVE_DRAFT_ACTION_ID, DEBRIEF_PICK_ACTION)


class SlackNotConfigured(RuntimeError):
    """Slack credentials are missing; the message names the variables to set."""


def build_slack(services: Services) -> tuple[AsyncApp, SlackRuntime]:
    """The Bolt app and the runtime its listeners share."""
    settings = services.settings
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        raise SlackNotConfigured(
            "Slack needs PANELBOT_SLACK_BOT_TOKEN (or SLACK_BOT_TOKEN) and "
            "PANELBOT_SLACK_SIGNING_SECRET (or SLACK_SIGNING_SECRET)"
        )
    client = make_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    app = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=False,
        logger=logging.getLogger("bot.slack.bolt"),
    )
    deliverer = Deliverer(
        services.engine, SlackSender(client), clock=services.clock, on_sent=track_debrief,
        lease=settings.claim_lease, runner=services.db_background,
    )
    runtime = SlackRuntime(services=services, client=client, deliverer=deliverer)
    register_commands(app, runtime)
    register_scorecards(app, runtime)
    register_loops(app, runtime)
    register_autoschedule(app, runtime)
    register_profiles(app, runtime)
    register_decisions(app, runtime)
    register_home(app, runtime)
    return app, runtime

"""``POST /api/messages`` over HTTP: commands, dialogs, card actions, installs, and auth.

Activities are posted as Teams posts them to the real aiohttp app (``build_web_app``);
the bot answers through a fake Bot Connector (the activities' ``serviceUrl``). Invokes
are answered in the HTTP response: this is the path ``CloudAdapter.process`` breaks in
botbuilder-integration-aiohttp 4.17 (every invoke gets a 500), which the endpoint
works around; the first test keeps that bug in view.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.server import ServerParts, build_web_app
from bot.services import Services
from bot.teams.app import TeamsApp, build_teams
from bot.teams.sender import split_reference
from storage.enums import Platform
from tests.teams.cardtools import CardValidator
from tests.teams.fake_connector import FakeConnector
from tests.teams.jwt_keys import ChannelKeys
from tests.teams.teamstools import (
    CHANNEL,
    TENANT,
    buttons,
    card_text,
    check_card,
    install,
    message,
    personal_conversation,
    press,
    submit_dialog,
    task_fetch,
    task_submit,
)

APP_ID = "00000000-0000-0000-0000-00000000b07"


@dataclass
class Served:
    client: TestClient[Any, Any]
    app: TeamsApp

    async def post(self, activity: dict[str, Any], **headers: str) -> tuple[int, Any]:
        response = await self.client.post("/api/messages", json=activity, headers=headers)
        body = await response.json() if response.content_type == "application/json" else None
        await self.app.runtime.drain()
        return response.status, body


@asynccontextmanager
async def served(services: Services, *, auth_off: bool = True) -> AsyncIterator[Served]:
    app = build_teams(services, auth_disabled_for_tests=auth_off)
    client = TestClient(TestServer(build_web_app(ServerParts(services=services,
                                                             teams=app.endpoint))))
    await client.start_server()
    try:
        yield Served(client, app)
    finally:
        await app.runtime.drain()
        await client.close()


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def open_panel(url: str, user: str = "aad-rosa") -> dict[str, Any]:
    return task_fetch(user, {"action_id": "panel_new", "state": '{"k":"panel_open","v":1}'},
                      service_url=url)


# --- the invoke-response workaround ---------------------------------------------------


def test_invokes_are_answered_where_cloud_adapter_process_fails(
    services: Services, requisition: int, connector: FakeConnector, card_schema: CardValidator
) -> None:
    async def scenario() -> None:
        async with served(services) as bot:
            status, body = await bot.post(open_panel(connector.url))
            assert status == 200
            assert body["task"]["type"] == "continue"
            assert body["task"]["value"]["title"] == "New interview loop"
            check_card(card_schema, body["task"]["value"]["card"]["content"])

            # botbuilder's own CloudAdapter.process, on the same adapter and bot: HTTP 500.
            async def via_process(request: web.Request) -> web.StreamResponse:
                response = await bot.app.adapter.process(request, bot.app.bot)
                return response or web.Response(status=201)

            app = web.Application()
            app.router.add_post("/api/messages", via_process)
            async with TestClient(TestServer(app)) as raw:
                broken = await raw.post("/api/messages", json=open_panel(connector.url))
                assert broken.status == 500  # if this fails, botbuilder fixed it

    run(scenario())


# --- messages, installs, dialogs and card actions ---------------------------------------


def test_commands_in_personal_chat_and_channel(
    services: Services, requisition: int, connector: FakeConnector, card_schema: CardValidator
) -> None:
    async def scenario() -> None:
        async with served(services) as bot:
            status, _ = await bot.post(message("aad-rosa", "help", service_url=connector.url))
            assert status == 201
            (reply,) = connector.to(personal_conversation("aad-rosa"))
            assert reply.kind == "reply" and "`debrief <candidate name>`" in reply.text

            status, _ = await bot.post(message("aad-rosa", "panel", where="channel",
                                               service_url=connector.url))
            assert status == 201
            (card,) = connector.cards(CHANNEL)
            check_card(card_schema, card)
            assert "Senior Backend Engineer" in card_text(card)
            assert buttons(card)[0]["data"]["action_id"] == "panel_new"

            await bot.post(message("aad-olga", "debreif Priya", service_url=connector.url))
            (typo,) = connector.to(personal_conversation("aad-olga"))
            assert typo.text == "Unknown command `debreif`. Did you mean `debrief`? Try `help`."

    run(scenario())


def test_install_stores_the_conversation_and_says_hello(
    services: Services, connector: FakeConnector
) -> None:
    async def scenario() -> None:
        async with served(services) as bot:
            status, _ = await bot.post(install("aad-maya", service_url=connector.url))
            assert status == 201
        ref = services.run(lambda s: s.get_conversation_ref(TENANT, Platform.TEAMS, "aad-maya"))
        person = services.run(lambda s: s.get_person(TENANT, Platform.TEAMS, "aad-maya"))
        assert ref is not None and ref.conversation_id == personal_conversation("aad-maya")
        assert ref.service_url == connector.url
        assert ref.reference["user"]["aadObjectId"] == "aad-maya"
        assert (person.display_name, person.tz) == ("Maya Chen", "America/Los_Angeles")
        (hello,) = connector.to(personal_conversation("aad-maya"))
        assert "I'll send you interview briefings" in hello.text

    run(scenario())


def test_dialog_submit_and_card_action_over_http(
    services: Services, requisition: int, connector: FakeConnector, card_schema: CardValidator
) -> None:
    """task/submit (errors, then a loop) and adaptiveCard/action answered in the response."""
    connector.members["aad-tom"] = {"id": "29:aad-tom", "name": "Tom Becker",
                                    "aadObjectId": "aad-tom"}

    async def scenario() -> None:
        async with served(services) as bot:
            await bot.post(install("aad-maya", service_url=connector.url))
            _, dialog = await bot.post(open_panel(connector.url) | {
                "conversation": {"id": CHANNEL, "conversationType": "channel"},
                "channelData": {"tenant": {"id": TENANT}, "channel": {"id": CHANNEL},
                                "team": {"id": "19:team"}}})
            status, errors = await bot.post(submit_dialog(
                "aad-rosa", dialog, {"candidate": ""}, service_url=connector.url))
            assert status == 200 and errors["task"]["type"] == "continue"
            check_card(card_schema, errors["task"]["value"]["card"]["content"])
            assert "Enter the candidate's name." in card_text(
                errors["task"]["value"]["card"]["content"])

            values = {"candidate": "Priya Raman",
                      "screening__interviewer": "aad-maya", "screening__start__date": "2026-11-25",
                      "screening__start__time": "10:00", "coding__interviewer": "aad-tom",
                      "coding__start__date": "2026-11-25", "coding__start__time": "12:00",
                      **{f"{s}__skip": "skip"
                         for s in ("system-design", "behavioral", "hiring-manager")}}
            status, done = await bot.post(submit_dialog(
                "aad-rosa", dialog, values, where="channel", service_url=connector.url))
            assert status == 200 and done["task"]["type"] == "message"
            # Tom's name came from Teams (he never talked to panelbot).
            summary = connector.cards(CHANNEL)[-1]
            assert "Tom Becker" in card_text(summary) and "Maya Chen" in card_text(summary)
            (invite,) = connector.cards(personal_conversation("aad-maya"))
            check_card(card_schema, invite)
            # A proactive post starts a message; it does not reply to an old activity.
            posted = [c for c in connector.to(personal_conversation("aad-maya")) if c.card]
            assert [(c.kind, c.reply_to) for c in posted] == [("post", None)]

            # A card action by someone who may not decide: answered in the HTTP response.
            services.run(lambda s: s.ensure_decision(TENANT, 1, "yes"))
            approve = {"type": "Action.Execute", "verb": "decision_approve",
                       "data": {"action_id": "decision_approve",
                                "state": '{"k":"debrief","panel":1,"v":1}'}}
            status, answer = await bot.post(press("aad-maya", approve, where="channel",
                                                  service_url=connector.url))
            assert status == 200
            assert answer["type"] == "application/vnd.microsoft.activity.message"
            assert answer["value"].startswith("Only a hiring manager")
            status, answer = await bot.post(press("aad-dana", approve, where="channel",
                                                  service_url=connector.url))
            assert status == 200 and answer["type"] == "application/vnd.microsoft.card.adaptive"
            check_card(card_schema, answer["value"])
            assert [b["verb"] for b in buttons(answer["value"])] == [
                "decision_confirm", "decision_cancel"]

    run(scenario())


def test_a_failing_handler_answers_with_an_apology_not_a_500(
    services: Services, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any) -> dict[str, Any]:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("bot.teams.loops.open_panel", broken)

    async def scenario() -> None:
        async with served(services) as bot:
            status, body = await bot.post(open_panel(connector.url))
        assert status == 200
        assert body == {"task": {"type": "message", "value": (
            "Sorry, something went wrong on my side; nothing was changed. Please try again.")}}

    run(scenario())


def test_malformed_requests_are_refused(services: Services) -> None:
    async def scenario() -> None:
        async with served(services) as bot:
            text = await bot.client.post("/api/messages", data="hello",
                                         headers={"Content-Type": "text/plain"})
            assert text.status == 415
            junk = await bot.client.post("/api/messages", data="{not json",
                                         headers={"Content-Type": "application/json"})
            assert junk.status == 400
            untyped = await bot.client.post("/api/messages", json={"text": "hi"})
            assert untyped.status == 400

    run(scenario())


# --- authentication ---------------------------------------------------------------------


def _with_app_id(services: Services) -> Services:
    settings = services.settings.model_copy(update={
        "teams_app_id": APP_ID, "teams_app_password": SecretStr("s3cret-value")})
    return dataclasses.replace(services, settings=settings)


def test_requests_without_a_valid_bot_framework_token_get_401_and_touch_nothing(
    services: Services, requisition: int, connector: FakeConnector
) -> None:
    secured = _with_app_id(services)
    url = connector.url

    async def scenario() -> list[int]:
        statuses = []
        with ChannelKeys() as keys:
            async with served(secured, auth_off=False) as bot:
                for headers in (
                    {},
                    {"Authorization": "Bearer not-a-jwt"},
                    keys.header(app_id=APP_ID, service_url=url, forged=True),
                    keys.header(app_id=APP_ID, service_url=url, expires_in=-3600),
                    keys.header(app_id="someone-elses-bot", service_url=url),
                    keys.header(app_id=APP_ID, service_url="https://evil.example/"),
                    keys.header(app_id=APP_ID, service_url=url, issuer="https://evil.example"),
                ):
                    status, _ = await bot.post(install("aad-olga", service_url=url), **headers)
                    statuses.append(status)
        return statuses

    assert run(scenario()) == [401] * 7
    assert services.run(lambda s: s.get_person(TENANT, Platform.TEAMS, "aad-olga")) is None
    assert connector.calls == []


def test_a_signed_request_is_served(
    services: Services, requisition: int, connector: FakeConnector
) -> None:
    secured = _with_app_id(services)

    async def scenario() -> tuple[int, Any]:
        with ChannelKeys() as keys:
            async with served(secured, auth_off=False) as bot:
                return await bot.post(open_panel(connector.url),
                                      **keys.header(app_id=APP_ID, service_url=connector.url))

    status, body = run(scenario())
    assert status == 200 and body["task"]["value"]["title"] == "New interview loop"


def test_auth_is_on_by_default_when_an_app_id_is_set(services: Services) -> None:
    app = build_teams(_with_app_id(services))

    async def check() -> bool:
        credentials = app.adapter.bot_framework_authentication._inner._credentials_factory
        return bool(await credentials.is_authentication_disabled())

    assert run(check()) is False


def test_channel_replies_stay_in_their_thread(
    services: Services, connector: FakeConnector
) -> None:
    async def scenario() -> None:
        async with served(services) as bot:
            await bot.post(message("aad-rosa", "help", where="channel", thread="root-1",
                                   service_url=connector.url))
        (reply,) = connector.to(CHANNEL)
        assert reply.conversation == f"{CHANNEL};messageid=root-1"
        # The channel is remembered by its root, so later posts start new threads.
        ref = services.run(lambda s: s.get_conversation_ref(TENANT, Platform.TEAMS,
                                                            f"channel:{CHANNEL}"))
        assert ref is not None and ref.conversation_id == CHANNEL
        assert split_reference(f"{CHANNEL}|x") == (CHANNEL, "x")

    run(scenario())


def test_a_forged_dialog_submission_changes_nothing_and_the_signed_one_does(
    services: Services, connector: FakeConnector
) -> None:
    """Like Slack's forged view submission: same body, only the signature differs."""
    secured = _with_app_id(services)
    submission = task_submit("aad-rosa", {
        "action": "submit", "state": '{"k":"requisition","v":1}', "title": "Staff Engineer",
        "kit": "backend-engineer", "channel": CHANNEL, "hiring_managers": "aad-dana",
        "recruiters": "aad-rosa"}, service_url=connector.url)

    async def scenario() -> list[tuple[int, Any]]:
        with ChannelKeys() as keys:
            async with served(secured, auth_off=False) as bot:
                forged = await bot.post(submission, **keys.header(
                    app_id=APP_ID, service_url=connector.url, forged=True))
                assert services.run(lambda s: s.list_requisitions(TENANT)) == []
                signed = await bot.post(submission, **keys.header(
                    app_id=APP_ID, service_url=connector.url))
                return [forged, signed]

    (forged_status, _), (status, body) = run(scenario())
    assert forged_status == 401
    assert status == 200 and body["task"]["value"].startswith("Requisition #1 “Staff Engineer”")
    (created,) = services.run(lambda s: s.list_requisitions(TENANT))
    assert created.platform == Platform.TEAMS and created.channel_id == CHANNEL

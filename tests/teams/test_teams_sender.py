"""Proactive Teams messages through the delivery ledger, against a fake Bot Connector.

Each failure Teams can answer with is classified the way the ledger needs it: a person
who has not installed panelbot (403) is retried slowly and their recruiter is told
once; 429 waits at least ``Retry-After``; 5xx is retried with backoff; 404 gives up.
Channel posts start a thread and continue long messages inside it; updates replace the
card that carries the buttons.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.delivery import MAX_UNREACHABLE_ATTEMPTS, UNREACHABLE_RETRY
from bot.local import ManualClock
from bot.services import Services
from bot.teams.activity import remember, who
from bot.teams.app import TeamsApp, build_teams
from bot.teams.sender import split_reference
from flows.messages import Attachment, Message, MessageKind, Section
from flows.outbound import Outbound, Recipient
from storage.enums import DeliveryStatus, Platform
from storage.inputs import InterviewPlan, PanelCreate
from tests.teams.cardtools import CardValidator
from tests.teams.conftest import START
from tests.teams.examples import debrief_like
from tests.teams.fake_connector import FakeConnector, Fault
from tests.teams.teamstools import (
    CHANNEL,
    TENANT,
    card_text,
    check_card,
    install,
    message,
    personal_conversation,
)

NOTE = Message(kind=MessageKind.BRIEFING, title="Briefing: Coding interview",
               summary="Your coding interview is at 12:00.", sections=(Section(text="Hello."),))


def teams(services: Services, connector: FakeConnector, *people: str) -> TeamsApp:
    """The Teams side with ``people`` known (as if they had installed panelbot)."""
    for user in people:
        activity = Activity().deserialize(install(user, service_url=connector.url))
        services.run(lambda s, a=activity: remember(s, a, who(a, "unused")))
    return build_teams(services, auth_disabled_for_tests=True)


def deliver(app: TeamsApp, *outbound: Outbound) -> None:
    asyncio.run(app.runtime.deliverer.deliver(TENANT, outbound))


def rows(services: Services) -> dict[str, Any]:
    return {d.idempotency_key: d for d in services.run(
        lambda s: s.pending_deliveries(None, START + timedelta(days=365)) + s.failed_deliveries())}


def interview_for(services: Services, requisition: int, user: str) -> int:
    plan = InterviewPlan(stage_key="coding", interviewer_id=user, starts_at=START + timedelta(days=1),
                         ends_at=START + timedelta(days=1, hours=1))
    panel = services.run(lambda s: s.create_panel(TENANT, PanelCreate(
        requisition_id=requisition, candidate_name="Priya Raman", created_by="aad-rosa",
        interviews=[plan])))
    return int(services.run(lambda s: s.panel_interviews(TENANT, panel.id))[0].id)


def test_a_person_without_panelbot_waits_and_their_recruiter_is_told_once(
    services: Services, requisition: int, connector: FakeConnector, clock: ManualClock,
    card_schema: CardValidator,
) -> None:
    app = teams(services, connector, "aad-rosa", "aad-tom")  # Tom installed, then removed it
    interview = interview_for(services, requisition, "aad-tom")
    connector.fail_always(personal_conversation("aad-tom"),
                          Fault(403, "BotNotInConversationRoster"))
    key = f"{TENANT}:interview:{interview}:briefing"
    deliver(app, Outbound(key, Recipient.user("aad-tom"), NOTE))

    row = rows(services)[key]
    assert row.status == DeliveryStatus.PENDING and row.next_attempt_at == START + UNREACHABLE_RETRY
    assert "has not installed panelbot" in (row.last_error or "")
    (notice,) = connector.cards(personal_conversation("aad-rosa"))
    check_card(card_schema, notice)
    assert "Tom Becker has not installed panelbot in Teams" in card_text(notice)
    assert "Priya Raman · Coding interview" in card_text(notice)

    # Retried later, still not installed: the row waits again; Rosa is not told twice.
    clock.advance(UNREACHABLE_RETRY)
    asyncio.run(app.runtime.deliverer.retry_due())
    assert len(connector.cards(personal_conversation("aad-rosa"))) == 1
    assert rows(services)[key].attempts == 2

    # Tom installs panelbot again: the next retry delivers the briefing, once.
    connector.heal(personal_conversation("aad-tom"))
    clock.advance(UNREACHABLE_RETRY)
    asyncio.run(app.runtime.deliverer.retry_due())
    assert [card_text(c).startswith("Briefing") for c in
            connector.cards(personal_conversation("aad-tom"))] == [True]
    assert key not in rows(services)


def test_unreachable_gives_up_after_a_day(
    services: Services, requisition: int, connector: FakeConnector, clock: ManualClock
) -> None:
    app = teams(services, connector, "aad-rosa")
    deliver(app, Outbound(f"{TENANT}:x:1", Recipient.user("aad-nobody"), NOTE))
    for _ in range(MAX_UNREACHABLE_ATTEMPTS):
        clock.advance(UNREACHABLE_RETRY)
        asyncio.run(app.runtime.deliverer.retry_due())
    row = rows(services)[f"{TENANT}:x:1"]
    assert row.status == DeliveryStatus.FAILED and row.attempts == MAX_UNREACHABLE_ATTEMPTS


def test_rate_limits_server_errors_and_missing_conversations(
    services: Services, requisition: int, connector: FakeConnector, clock: ManualClock
) -> None:
    app = teams(services, connector, "aad-maya", "aad-dana", "aad-rosa")
    connector.fail(personal_conversation("aad-maya"), Fault(429, headers={"Retry-After": "120"}))
    connector.fail(personal_conversation("aad-dana"), Fault(503))
    connector.fail(personal_conversation("aad-rosa"), Fault(404, "ConversationNotFound"))
    deliver(app, Outbound("k-maya", Recipient.user("aad-maya"), NOTE),
            Outbound("k-dana", Recipient.user("aad-dana"), NOTE),
            Outbound("k-rosa", Recipient.user("aad-rosa"), NOTE))
    found = rows(services)
    assert found["k-maya"].next_attempt_at == START + timedelta(seconds=120)  # not 30 s
    assert found["k-dana"].next_attempt_at == START + timedelta(seconds=30)
    assert found["k-dana"].status == found["k-maya"].status == DeliveryStatus.PENDING
    assert found["k-rosa"].status == DeliveryStatus.FAILED
    assert "conversation not found" in (found["k-rosa"].last_error or "")
    assert connector.cards(personal_conversation("aad-rosa")) == []  # nobody told about a 404

    clock.advance(timedelta(minutes=3))
    assert asyncio.run(app.runtime.deliverer.retry_due()) == 2
    assert len(connector.cards(personal_conversation("aad-maya"))) == 1
    assert len(connector.cards(personal_conversation("aad-dana"))) == 1


def test_long_channel_posts_continue_in_their_thread_and_update_in_place(
    services: Services, connector: FakeConnector, card_schema: CardValidator
) -> None:
    app = teams(services, connector)
    activity = Activity().deserialize(message("aad-rosa", "help", where="channel",
                                              service_url=connector.url))
    services.run(lambda s: remember(s, activity, who(activity, "unused")))
    long = debrief_like()

    reference = asyncio.run(app.runtime.sender.send(TENANT, Recipient.channel(CHANNEL), long))
    calls = connector.to(CHANNEL)
    assert len(calls) > 1
    root = calls[0]
    assert (root.kind, root.conversation, root.reply_to) == ("post", CHANNEL, None)
    assert all((c.kind, c.reply_to) == ("reply", root.id) for c in calls[1:])
    for call in calls:
        check_card(card_schema, call.card or {})
    conversation, activity_id = split_reference(reference)
    assert (conversation, activity_id) == (f"{CHANNEL};messageid={root.id}", calls[-1].id)

    asyncio.run(app.runtime.sender.update(TENANT, reference, replace(long, actions=())))
    (update,) = connector.updates()
    assert (update.conversation, update.id) == (conversation, activity_id)
    check_card(card_schema, update.card or {})
    assert "Debrief: Priya Raman" in card_text(update.card or {})


def test_a_channel_panelbot_has_not_seen_is_reached_through_the_tenant(
    services: Services, requisition: int, connector: FakeConnector
) -> None:
    app = teams(services, connector, "aad-rosa")  # known in the tenant, never in CHANNEL
    reference = asyncio.run(app.runtime.sender.send(TENANT, Recipient.channel(CHANNEL), NOTE))
    (post,) = connector.to(CHANNEL)
    assert post.kind == "post" and reference == f"{CHANNEL}|{post.id}"

    # A tenant panelbot has never heard from: the channel waits and the recruiters hear why.
    stranger = build_teams(replace(services), auth_disabled_for_tests=True)
    outbound = Outbound("other:panel:1:summary", Recipient.channel("19:elsewhere"), NOTE)
    asyncio.run(stranger.runtime.deliverer.deliver("tenant-other", [outbound]))
    (row,) = services.run(lambda s: s.pending_deliveries("tenant-other", START + timedelta(days=1)))
    assert row.platform == Platform.TEAMS and "has not been added to the team" in (row.last_error or "")


def test_attachments_are_named_not_dropped_silently(
    services: Services, connector: FakeConnector
) -> None:
    app = teams(services, connector, "aad-maya")
    invite = replace(NOTE, kind=MessageKind.INVITE, footer="The calendar invite is attached.",
                     attachments=(Attachment("interview-7.ics", b"BEGIN:VCALENDAR", "text/calendar",
                                             "Interview"),))
    deliver(app, Outbound("k-invite", Recipient.user("aad-maya"), invite))
    (card,) = connector.cards(personal_conversation("aad-maya"))
    assert "interview-7.ics is not attached" in card_text(card)
    assert "The calendar invite is attached." not in card_text(card)


def test_a_failing_notice_hook_still_records_the_failure(
    services: Services, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> list[Outbound]:
        raise RuntimeError("directory down")

    monkeypatch.setattr("bot.teams.unreachable.RecruiterNotices.__call__", broken)
    app = teams(services, connector)
    deliver(app, Outbound("k-lost", Recipient.user("aad-nobody"), NOTE))
    row = rows(services)["k-lost"]
    assert row.status == DeliveryStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at == START + UNREACHABLE_RETRY

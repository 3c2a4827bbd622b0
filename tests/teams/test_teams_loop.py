"""A whole interview loop on Teams, through the real bot on botbuilder's TestAdapter.

The recruiter creates the loop in the ``panel`` dialog, interviewers get invites and
briefings in their 1:1 chats (one has not installed panelbot: the recruiter is told and
the messages follow once they install it), scorecards go through the dialog (draft,
inline errors with values kept, submit twice), colleagues' scorecards stay hidden until
one's own is in, and the hiring manager decides on the debrief card in the channel.
Every card the bot produced is checked against Adaptive Cards 1.5 and Teams' size limit.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bot.local import ManualClock
from bot.scheduler import DueWorkRunner
from bot.teams.sender import split_reference
from flows.state import encode_state
from storage.enums import DecisionStatus, Platform
from tests.teams.conftest import START
from tests.teams.teamstools import (
    CHANNEL,
    TENANT,
    Bench,
    buttons,
    card_text,
    install,
    message,
    personal_conversation,
    press,
    submit_dialog,
)

CANDIDATE = "Priya Raman"
DAY = "2026-11-25"  # Wed; Rosa's dialog shows Europe/Lisbon, UTC+0 in November
SCORECARD = {
    "rating__communication": "yes", "note__communication": "Clear, structured answers.",
    "rating__motivation": "strong_yes",
    "note__motivation": "Asked precise questions about our on-call rotation and team goals.",
    "rating__ownership": "yes", "recommendation": "yes",
}


def loop_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "candidate": CANDIDATE,
        "screening__interviewer": "aad-maya", "screening__start__date": DAY,
        "screening__start__time": "10:00",
        "coding__interviewer": "aad-tom", "coding__start__date": DAY,
        "coding__start__time": "12:00",
    }
    for stage in ("system-design", "behavioral", "hiring-manager"):
        values[f"{stage}__skip"] = "skip"
    values.update(overrides)
    return values


async def create_loop(bench: Bench) -> None:
    """Rosa types ``panel``, opens the dialog, fixes two errors and creates the loop."""
    answer = await bench.turn(message("aad-rosa", "panel"))
    (button,) = buttons(answer.cards[0])
    assert button["type"] == "Action.Submit" and button["data"]["msteams"]["type"] == "task/fetch"
    dialog = (await bench.turn(press("aad-rosa", button))).invoke
    assert dialog is not None and dialog["task"]["value"]["title"] == "New interview loop"

    wrong = loop_values(coding__start__date="2026-11-23", screening__interviewer="")
    again = await bench.turn(submit_dialog("aad-rosa", dialog, wrong))
    text = card_text(again.dialog_card)
    assert "Please fix 2 problems below." in text
    assert "This time is in the past; pick a later one." in text
    assert "Pick an interviewer, or tick Skip." in text
    kept = {e["id"]: e.get("value") for e in again.dialog_card["body"] if "id" in e}
    assert kept["candidate"] == CANDIDATE and kept["coding__start__time"] == "12:00"
    assert bench.services.run(lambda s: s.find_candidates(TENANT)) == []

    done = await bench.turn(submit_dialog("aad-rosa", again.invoke or {}, loop_values()))
    assert done.task_text == f"Loop created for {CANDIDATE}: 2 interviews. Invites are on their way."


def test_whole_loop_on_teams(bench: Bench, requisition: int, clock: ManualClock) -> None:
    asyncio.run(_whole_loop(bench, clock))


async def _whole_loop(bench: Bench, clock: ManualClock) -> None:
    runner = DueWorkRunner(bench.services, bench.rt.deliverer)
    # Rosa, Dana and Maya installed panelbot; Tom did not.
    for user in ("aad-rosa", "aad-dana", "aad-maya"):
        welcome = await bench.turn(install(user))
        assert "I'll send you interview briefings" in welcome.texts[0]
    await create_loop(bench)

    # Maya's invite arrives in her 1:1 chat, in her zone, without the .ics Teams can't carry.
    (invite,) = bench.dms("aad-maya")
    assert "America/Los_Angeles" in card_text(invite)
    assert "interview-1.ics is not attached" in card_text(invite)
    summary = bench.cards_to(CHANNEL)[-1]
    assert CANDIDATE in card_text(summary) and "Maya Chen" in card_text(summary)
    # Tom cannot be reached: Rosa is told once who must install panelbot.
    (notice,) = [c for c in bench.dms("aad-rosa") if "has not installed" in card_text(c)]
    assert "The interviewer of Priya Raman · Coding interview has not installed panelbot" in (
        card_text(notice))
    waiting = bench.services.run(lambda s: s.pending_deliveries(TENANT, START + timedelta(days=1)))
    assert [(d.kind, d.platform) for d in waiting] == [("invite", Platform.TEAMS)]

    # Maya's briefing, 30 minutes before her interview.
    clock.set(START + timedelta(days=1, hours=2) - timedelta(minutes=29))
    assert await runner.tick() == 1
    briefing = bench.dms("aad-maya")[-1]
    assert "Briefing" in card_text(briefing)
    (open_button,) = buttons(briefing)
    assert open_button["data"]["action_id"] == "open_scorecard"
    assert open_button["data"]["msteams"] == {"type": "task/fetch"}

    # Someone else cannot open Maya's scorecard.
    refused = await bench.turn(press("aad-tom", open_button))
    assert "belongs to another interviewer" in refused.task_text

    # Maya saves a draft; the values are kept, and restored when she reopens.
    form = (await bench.turn(press("aad-maya", open_button))).invoke or {}
    draft = {"rating__communication": "yes", "note__communication": "Clear, structured answers."}
    saved = await bench.turn(submit_dialog("aad-maya", form, draft, button=1))
    assert "Draft saved at 25 Nov 2026" in card_text(saved.dialog_card)
    reopened = (await bench.turn(press("aad-maya", open_button))).invoke or {}
    values = {e["id"]: e.get("value") for e in reopened["task"]["value"]["card"]["content"]["body"]
              if "id" in e}
    assert values["rating__communication"] == "yes"
    assert values["note__communication"] == "Clear, structured answers."

    # Inline errors: a missing rating and a strong rating without evidence; values kept.
    partial = {**draft, "rating__motivation": "strong_yes", "recommendation": "yes"}
    errors = await bench.turn(submit_dialog("aad-maya", reopened, partial))
    text = card_text(errors.dialog_card)
    assert "Choose a rating for this competency." in text and "needs evidence" in text
    kept = {e["id"]: e.get("value") for e in errors.dialog_card["body"] if "id" in e}
    assert kept["rating__motivation"] == "strong_yes" and kept["recommendation"] == "yes"

    # Submitted twice (double click): one scorecard, one confirmation.
    first = await bench.turn(submit_dialog("aad-maya", errors.invoke or {}, SCORECARD))
    second = await bench.turn(submit_dialog("aad-maya", errors.invoke or {}, SCORECARD))
    assert first.task_text.startswith("Thanks! Your scorecard is in.")
    assert second.task_text == "Your scorecard was already submitted; nothing changed."
    confirmations = [c for c in bench.dms("aad-maya") if "Scorecard submitted" in card_text(c)]
    assert len(confirmations) == 1
    closed = await bench.turn(press("aad-maya", open_button))
    assert "Scorecard submitted" in card_text(closed.dialog_card)
    assert not buttons(closed.dialog_card)  # read-only once submitted

    # Tom installs panelbot: what waited for him follows on the next retry.
    await bench.turn(install("aad-tom"))
    clock.advance(timedelta(minutes=31))
    await runner.tick()
    (tom_invite,) = bench.dms("aad-tom")
    assert "You're interviewing Priya Raman" in card_text(tom_invite)
    assert bench.services.run(lambda s: s.pending_deliveries(TENANT, clock())) == []

    # Independence: Tom has not submitted, so he cannot see Maya's scorecard; Maya can.
    tom_interview = bench.services.run(lambda s: s.interviews_for_user(TENANT, "aad-tom"))[0]
    view = buttons(confirmations[0])[0]
    assert view["type"] == "Action.Execute" and view["verb"] == "view_scorecards"
    forged = {**view, "data": {**view["data"],
                               "state": encode_state("panel_cards", interview=tom_interview.id)}}
    hidden = await bench.turn(press("aad-tom", forged))
    assert hidden.invoke is not None and "Submit your own scorecard first" in hidden.invoke["value"]
    shown = await bench.turn(press("aad-maya", view))
    assert shown.invoke == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                            "value": "Sending you the panel's scorecards in our chat."}
    assert "Panel scorecards" in card_text(bench.dms("aad-maya")[-1])

    # Tom gets his briefing, never submits, and is reminded an hour after his interview.
    clock.set(tom_interview.ends_at + timedelta(hours=1, minutes=1))
    assert await runner.tick() == 2
    toms = [card_text(c) for c in bench.dms("aad-tom")]
    assert "Briefing" in toms[1] and "Scorecard due" in toms[2]
    # Rosa heard once that Tom had not installed panelbot, however often it was retried.
    assert len([c for c in bench.dms("aad-rosa") if "has not installed" in card_text(c)]) == 1

    await decide(bench)


async def decide(bench: Bench) -> None:
    # An outsider's debrief is refused in the channel and nothing is posted.
    posts = len(bench.cards_to(CHANNEL))
    refused = await bench.turn(message("aad-olga", "debrief Priya Raman", where="channel"))
    assert "Only the recruiters and hiring managers" in refused.texts[0]
    assert len(bench.cards_to(CHANNEL)) == posts

    # Rosa's close-enough name finds Priya; the debrief lands in the hiring channel.
    answer = await bench.turn(message("aad-rosa", "debrief pryia raman", where="channel"))
    assert answer.texts == [f"Posting the debrief for {CANDIDATE} to the hiring channel."]
    debrief = bench.cards_to(CHANNEL)[-1]
    assert f"Debrief: {CANDIDATE}" in card_text(debrief)
    decision_buttons = buttons(debrief)
    assert [(b["type"], b["verb"]) for b in decision_buttons] == [
        ("Action.Execute", "decision_approve"), ("Action.Execute", "decision_reject"),
        ("Action.Execute", "decision_more_interviews"),
    ]
    panel_id = 1
    where = bench.services.run(lambda s: s.get_decision(TENANT, panel_id))
    post_id = where.message_ts

    # An interviewer cannot decide; nothing changes.
    refused = await bench.turn(press("aad-maya", decision_buttons[0], where="channel",
                                     reply_to=post_id))
    assert refused.invoke is not None
    assert refused.invoke["value"].startswith("Only a hiring manager of this requisition")
    assert bench.services.run(lambda s: s.get_decision(TENANT, panel_id)).status == "pending"

    # Dana asks for more interviews: her card turns into the reason field.
    reason = await bench.turn(press("aad-dana", decision_buttons[2], where="channel",
                                    reply_to=post_id))
    assert reason.invoke is not None and reason.invoke["type"].endswith("card.adaptive")
    reason_card = reason.invoke["value"]
    assert "More interviews requested for Priya Raman." in card_text(reason_card)
    confirm, cancel = buttons(reason_card)
    assert (confirm["verb"], cancel["verb"]) == ("decision_confirm", "decision_cancel")
    assert any(e.get("id") == "reason" and e["type"] == "Input.Text" for e in reason_card["body"])

    back = await bench.turn(press("aad-dana", cancel, where="channel", reply_to=post_id))
    assert back.invoke is not None and len(buttons(back.invoke["value"])) == 3

    empty = await bench.turn(press("aad-dana", confirm, {"reason": "  "}, where="channel",
                                   reply_to=post_id))
    assert empty.invoke is not None
    assert "Give a reason; it is kept with the decision." in card_text(empty.invoke["value"])
    assert bench.services.run(lambda s: s.get_decision(TENANT, panel_id)).status == "pending"

    why = "Coding stage is missing; add one."
    done = await bench.turn(press("aad-dana", confirm, {"reason": why}, where="channel",
                                  reply_to=post_id))
    assert done.invoke is not None
    decided = done.invoke["value"]
    assert not buttons(decided)
    assert "Decision: More interviews requested" in card_text(decided)
    assert "Dana Okafor" in card_text(decided) and why in card_text(decided)
    # Everyone sees it: the channel post is replaced with the same card.
    (update,) = bench.adapter.updated_activities
    assert (update.conversation.id, update.id) == split_reference(f"{CHANNEL}|{post_id}")
    assert update.attachments[0].content == decided
    note = bench.dms("aad-rosa")[-1]
    assert "Dana Okafor decided on Priya Raman" in (bench.sent_to(personal_conversation("aad-rosa"))[-1].summary or "")
    assert "More interviews requested" in card_text(note)
    decision = bench.services.run(lambda s: s.get_decision(TENANT, panel_id))
    assert (decision.status, decision.approver_id, decision.reason) == (
        DecisionStatus.MORE_INTERVIEWS, "aad-dana", why)
    audit = bench.services.run(lambda s: s.audit_events(TENANT))
    assert [e.action for e in audit if e.actor_id == "aad-dana"] == ["decision.more_interviews"]

    # A second confirm (double click) shows the decision and changes nothing.
    notes = len(bench.dms("aad-rosa"))
    again = await bench.turn(press("aad-dana", confirm, {"reason": "Changed my mind"},
                                   where="channel", reply_to=post_id))
    assert again.invoke is not None and "Decision: More interviews" in card_text(again.invoke["value"])
    assert len(bench.adapter.updated_activities) == 1 and len(bench.dms("aad-rosa")) == notes
    assert bench.services.run(lambda s: s.get_decision(TENANT, panel_id)).reason == why

"""A whole interview loop driven through POST /slack/events, as Slack would drive it.

Recruiter creates the loop in the /panel modal, interviewers get invites and briefings,
fill scorecards in modals (draft, inline errors, submit twice), a late interviewer gets
reminders and the recruiter an escalation, the recruiter runs /debrief, and the hiring
manager decides in the channel. Every payload the app sent is checked against Slack's
limits by the fake, which refuses what Slack would refuse.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.slack.limits import check_message, check_view
from bot.slack.simulate import buttons
from flows.state import decode_state
from tests.e2e.conftest import CHANNEL, START, TEAM, Loop

STAGES = ["screening", "coding", "system-design", "behavioral", "hiring-manager"]


def text_of(message: dict[str, Any]) -> str:
    parts = [message.get("text", "")]
    for block in message.get("blocks", []):
        for key in ("text",):
            value = block.get(key)
            if isinstance(value, dict):
                parts.append(value.get("text", ""))
        for field in block.get("fields", []) or []:
            parts.append(field.get("text", ""))
        for element in block.get("elements", []) or []:
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
            elif isinstance(element.get("text"), dict):
                parts.append(element["text"].get("text", ""))
    return "\n".join(parts)


def create_loop(loop: Loop) -> None:
    answer, trigger, _ = loop.sim.command("U0RECRUIT", "/panel")
    assert answer.status == 200
    view = loop.sim.wait_view(trigger)
    assert check_view(view) == []
    base = START + timedelta(days=1)  # Wed 25 Nov
    values: dict[str, Any] = {"candidate": "Priya Raman"}
    people = ["U0MAYA", "U0TOM", "U0AISHA", "U0LUIS"]
    for index, stage in enumerate(STAGES[:4]):
        values[f"{stage}__interviewer"] = people[index]
        values[f"{stage}__start"] = base + timedelta(hours=2 * index)
    values["hiring-manager__skip"] = ["skip"]

    # A time in the past and a stage left empty are refused inline; nothing is created.
    wrong = dict(values)
    wrong["coding__start"] = START - timedelta(hours=1)
    del wrong["behavioral__interviewer"]
    answer = loop.sim.submit("U0RECRUIT", view, wrong)
    errors = answer.json()["errors"]
    assert answer.json()["response_action"] == "errors"
    assert "in the past" in errors["coding__start"]
    assert "Pick an interviewer, or tick Skip" in errors["behavioral__interviewer"]
    assert loop.store(lambda s: s.find_candidates(TEAM)) == []

    answer = loop.sim.submit("U0RECRUIT", view, values)
    assert answer.status == 200 and answer.body in ("", "{}")
    loop.wait(lambda: loop.fake.messages(CHANNEL), what="loop summary")


def test_whole_loop_through_slack(loop: Loop) -> None:
    create_loop(loop)

    # Invites: one DM per interviewer in their own zone, with an .ics file.
    for user, zone in (("U0MAYA", "America/Los_Angeles"), ("U0TOM", "Europe/Berlin")):
        invite = loop.wait(lambda u=user: loop.dms(u), what=f"invite for {user}")
        assert zone in text_of(invite[0])
    files = loop.wait(lambda: len(loop.fake.files()) >= 4 and loop.fake.files())
    assert all(f["name"].endswith(".ics") and f["channels"] for f in files)
    assert b"BEGIN:VEVENT" in files[0]["content"]
    summary = loop.fake.messages(CHANNEL)[0]
    assert "Priya Raman" in text_of(summary) and "Maya Chen" in text_of(summary)

    # Briefing 30 minutes before the first interview, with the Open scorecard button.
    first_start = START + timedelta(days=1)
    loop.clock.set(first_start - timedelta(minutes=29))
    briefing = loop.wait(
        lambda: [m for m in loop.dms("U0MAYA") if "Briefing" in text_of(m)], what="briefing"
    )[0]
    assert "Strong yes" in text_of(briefing)
    open_button = buttons(briefing)[0]
    assert open_button["action_id"] == "open_scorecard"

    # Someone else cannot open it.
    loop.sim.click("U0TOM", "open_scorecard", open_button["value"], channel_id="DU0TOM")
    loop.wait(lambda: loop.fake.ephemerals(), what="refusal")
    assert "belongs to another interviewer" in loop.fake.ephemerals()[-1]["text"]

    # Maya opens it, saves a draft, and finds it restored when she reopens.
    _, trigger = loop.sim.click("U0MAYA", "open_scorecard", open_button["value"],
                                channel_id="DU0MAYA")
    view = loop.sim.wait_view(trigger)
    assert check_view(view) == []
    radio = next(b for b in view["blocks"] if b.get("block_id") == "rating__communication")
    assert all(o.get("description") for o in radio["element"]["options"])
    draft = {"rating__communication": "yes", "note__communication": "Clear, structured answers."}
    loop.sim.press_in_view("U0MAYA", view, "scorecard_save_draft", draft)
    loop.wait(lambda: "Draft saved" in str(loop.sim.current_view(view["id"])), what="draft saved")
    _, trigger = loop.sim.click("U0MAYA", "open_scorecard", open_button["value"],
                                channel_id="DU0MAYA")
    reopened = loop.sim.wait_view(trigger)
    radio = next(b for b in reopened["blocks"] if b.get("block_id") == "rating__communication")
    assert radio["element"]["initial_option"]["value"] == "yes"
    note = next(b for b in reopened["blocks"] if b.get("block_id") == "note__communication")
    assert note["element"]["initial_value"] == "Clear, structured answers."

    # Inline errors: a missing rating, and a strong rating without evidence.
    incomplete = {**draft, "rating__motivation": "strong_yes", "recommendation": "yes"}
    answer = loop.sim.submit("U0MAYA", reopened, incomplete)
    errors = answer.json()["errors"]
    assert errors["rating__ownership"] == "Choose a rating for this competency."
    assert "needs evidence" in errors["note__motivation"]

    complete = {
        **incomplete,
        "note__motivation": "Asked precise questions about our on-call rotation.",
        "rating__ownership": "yes",
    }
    first = loop.sim.submit("U0MAYA", reopened, complete)
    second = loop.sim.submit("U0MAYA", reopened, complete)  # double click / Slack retry
    assert first.status == second.status == 200
    loop.wait(lambda: [m for m in loop.dms("U0MAYA") if "Scorecard submitted" in text_of(m)])
    loop.clock.advance(timedelta(seconds=1))
    confirmations = [m for m in loop.dms("U0MAYA") if "Scorecard submitted" in text_of(m)]
    assert len(confirmations) == 1
    assert loop.store(lambda s: s.has_submitted(TEAM, 1, "U0MAYA"))

    # Independence: Tom has not submitted, so he cannot see Maya's scorecard.
    tom_interview = loop.store(lambda s: s.interviews_for_user(TEAM, "U0TOM"))[0]
    from flows.state import encode_state

    before = len(loop.fake.ephemerals())
    loop.sim.click("U0TOM", "view_scorecards", encode_state("panel_cards", interview=tom_interview.id),
                   channel_id="DU0TOM")
    loop.wait(lambda: len(loop.fake.ephemerals()) > before, what="independence refusal")
    assert "Submit your own scorecard first" in loop.fake.ephemerals()[-1]["text"]
    # Maya has, so she can.
    view_cards = buttons(confirmations[0])[0]
    loop.sim.click("U0MAYA", "view_scorecards", view_cards["value"], channel_id="DU0MAYA")
    loop.wait(lambda: [m for m in loop.dms("U0MAYA") if "Panel scorecards" in text_of(m)])

    # Tom never submits: a reminder after his interview, then daily, then escalation.
    loop.clock.set(tom_interview.ends_at + timedelta(hours=1, minutes=1))
    reminder = loop.wait(
        lambda: [m for m in loop.dms("U0TOM") if "Scorecard due" in text_of(m)], what="reminder"
    )[0]
    assert "overdue" in text_of(reminder)
    assert buttons(reminder)[0]["action_id"] == "open_scorecard"
    loop.clock.advance(timedelta(days=6))  # Wed -> Tue: Thu, Fri reminders, Mon escalation
    loop.wait(lambda: [m for m in loop.dms("U0RECRUIT") if "Missing scorecard" in text_of(m)],
              what="escalation")
    reminders = [m for m in loop.dms("U0TOM") if "Scorecard due" in text_of(m)]
    assert len(reminders) == 3

    # /debrief: an outsider is refused and nothing is posted.
    posts_before = len(loop.fake.messages(CHANNEL))
    _, _, name = loop.sim.command("U0OUTSIDER", "/debrief", "Priya Raman")
    loop.wait(lambda: loop.fake.responses(name), what="outsider refusal")
    assert "Only the recruiters and hiring managers" in loop.fake.responses(name)[0]["text"]
    assert len(loop.fake.messages(CHANNEL)) == posts_before

    # The recruiter's close-enough name finds Priya; the debrief lands in the channel.
    loop.sim.command("U0RECRUIT", "/debrief", "pryia raman")
    debrief = loop.wait(
        lambda: [m for m in loop.fake.messages(CHANNEL) if "Debrief: Priya Raman" in text_of(m)],
        what="debrief post",
    )[-1]
    body = text_of(debrief)
    assert "Missing scorecards" in body and "Tom Becker" in body
    assert [b["action_id"] for b in buttons(debrief)] == [
        "decision_approve", "decision_reject", "decision_more_interviews"
    ]

    # An interviewer cannot decide.
    approve = buttons(debrief)[0]
    before = len(loop.fake.ephemerals(CHANNEL))
    loop.sim.click("U0MAYA", "decision_approve", approve["value"], channel_id=CHANNEL,
                   message_ts=debrief["ts"])
    loop.wait(lambda: len(loop.fake.ephemerals(CHANNEL)) > before)
    assert "Only a hiring manager" in loop.fake.ephemerals(CHANNEL)[-1]["text"]

    # The hiring manager decides; a reason is required.
    _, trigger = loop.sim.click("U0HM", "decision_more_interviews", approve["value"],
                                channel_id=CHANNEL, message_ts=debrief["ts"])
    reason_view = loop.sim.wait_view(trigger)
    assert check_view(reason_view) == []
    answer = loop.sim.submit("U0HM", reason_view, {"reason": ""})
    assert "Give a reason" in answer.json()["errors"]["reason"]
    answer = loop.sim.submit("U0HM", reason_view, {"reason": "Coding stage is missing; add one."})
    assert answer.status == 200
    updated = loop.wait(
        lambda: [m for m in loop.fake.messages(CHANNEL)
                 if m["ts"] == debrief["ts"] and "Decision:" in text_of(m)],
        what="debrief updated in place",
    )[0]
    assert "More interviews requested" in text_of(updated) and "Dana Okafor" in text_of(updated)
    assert buttons(updated) == []
    loop.wait(lambda: [m for m in loop.dms("U0RECRUIT") if "More interviews" in text_of(m)],
              what="recruiter told")
    events = loop.store(lambda s: s.audit_events(TEAM, subject_type="decision"))
    assert any(e.actor_id == "U0HM" for e in events)

    # A second click shows the recorded decision and changes nothing.
    before = len(loop.fake.ephemerals(CHANNEL))
    loop.sim.click("U0HM", "decision_reject", approve["value"], channel_id=CHANNEL,
                   message_ts=debrief["ts"])
    loop.wait(lambda: len(loop.fake.ephemerals(CHANNEL)) > before)
    assert "Already decided" in loop.fake.ephemerals(CHANNEL)[-1]["text"]
    decision = loop.store(lambda s: s.get_decision(TEAM, 1))
    assert decision.outcome.value == "more_interviews"

    # App Home shows Tom's pending scorecard.
    loop.sim.open_home("U0TOM")
    home = loop.wait(lambda: loop.fake.home("U0TOM"), what="home")
    assert "Scorecards waiting for you" in str(home)
    assert "Coding interview with Priya Raman" in str(home)

    # Everything the app sent would have been accepted by Slack.
    for call in loop.fake.calls():
        assert call.ok, (call.method, call.error)
        if call.method.startswith("views."):
            view = call.args["view"]
            view = json.loads(view) if isinstance(view, str) else view
            assert check_view(view) == [], call.method
        if call.method in ("chat.postMessage", "chat.update") and "blocks" in call.args:
            blocks = call.args["blocks"]
            blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
            assert check_message({"text": call.args.get("text", ""), "blocks": blocks}) == []
    states = [decode_state(b["value"]).kind for b in buttons(debrief)]
    assert states == ["debrief"] * 3

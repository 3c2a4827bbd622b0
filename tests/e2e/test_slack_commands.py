"""Slash commands beyond the happy path: requisitions from Slack, ambiguous and unknown names."""

from __future__ import annotations

from datetime import timedelta

from bot.slack.limits import check_view
from storage.inputs import InterviewPlan, PanelCreate
from tests.e2e.conftest import CHANNEL, START, TEAM, Loop


def test_recruiter_opens_a_requisition_from_slack(loop: Loop) -> None:
    answer, trigger, _ = loop.sim.command("U0RECRUIT", "/panel", "requisition")
    assert answer.status == 200
    view = loop.sim.wait_view(trigger)
    assert check_view(view) == []
    missing = loop.sim.submit("U0RECRUIT", view, {"title": "Staff Engineer", "kit": "backend-engineer"})
    errors = missing.json()["errors"]
    assert errors["hiring_managers"] == "Add at least one hiring manager."
    assert errors["channel"] == "Pick the hiring channel."
    ok = loop.sim.submit("U0RECRUIT", view, {
        "title": "Staff Engineer", "level": "Staff", "kit": "backend-engineer",
        "channel": "C0STAFF", "hiring_managers": ["U0HM"], "recruiters": ["U0RECRUIT"],
    })
    assert ok.status == 200
    rows = loop.wait(lambda: [r for r in loop.store(lambda s: s.list_requisitions(TEAM))
                              if r.title == "Staff Engineer"], what="requisition")
    assert rows[0].channel_id == "C0STAFF" and rows[0].level == "Staff"


def test_non_recruiter_cannot_open_a_requisition(loop: Loop) -> None:
    _, _, name = loop.sim.command("U0OUTSIDER", "/panel", "requisition")
    reply = loop.wait(lambda: loop.fake.responses(name), what="refusal")
    assert "Only recruiters open requisitions" in reply[0]["text"]
    assert loop.fake.calls("views.open") == []


def test_non_recruiter_cannot_create_a_loop(loop: Loop) -> None:
    _, _, name = loop.sim.command("U0MAYA", "/panel")
    reply = loop.wait(lambda: loop.fake.responses(name), what="refusal")
    assert "Only recruiters of a requisition can create interview loops" in reply[0]["text"]
    assert loop.fake.calls("views.open") == []


def _candidate(loop: Loop, name: str, interviewer: str, hours: int) -> None:
    starts = START + timedelta(days=1, hours=hours)
    loop.store(lambda s: s.create_panel(TEAM, PanelCreate(
        requisition_id=loop.requisition_id, candidate_name=name, created_by="U0RECRUIT",
        interviews=[InterviewPlan(stage_key="coding", interviewer_id=interviewer,
                                  starts_at=starts, ends_at=starts + timedelta(hours=1))],
    )))


def test_ambiguous_name_offers_a_choice_and_the_pick_posts(loop: Loop) -> None:
    _candidate(loop, "Alex Thompson", "U0TOM", 0)
    _candidate(loop, "Alex Kim", "U0MAYA", 2)
    _, _, name = loop.sim.command("U0RECRUIT", "/debrief", "alex")
    reply = loop.wait(lambda: loop.fake.responses(name), what="choices")[0]
    assert "Several candidates match" in reply["text"]
    choices = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    labels = {c["text"]["text"]: c["value"] for c in choices}
    assert set(labels) == {
        "Alex Thompson (Senior Backend Engineer)", "Alex Kim (Senior Backend Engineer)"
    }
    assert loop.fake.messages(CHANNEL) == []  # nothing posted yet
    loop.sim.click("U0RECRUIT", "debrief_pick", labels["Alex Kim (Senior Backend Engineer)"])
    post = loop.wait(lambda: loop.fake.messages(CHANNEL), what="debrief")[0]
    assert "Alex Kim" in str(post) and "Alex Thompson" not in str(post)


def test_unknown_name_gets_suggestions(loop: Loop) -> None:
    _candidate(loop, "Priya Raman", "U0TOM", 0)
    _, _, name = loop.sim.command("U0HM", "/debrief", "Priyanka Rao")
    reply = loop.wait(lambda: loop.fake.responses(name), what="suggestions")[0]
    assert reply["text"] == "No candidate called “Priyanka Rao”. Did you mean `Priya Raman`?"
    assert loop.fake.messages(CHANNEL) == []


def test_debrief_without_argument_shows_usage(loop: Loop) -> None:
    _candidate(loop, "Priya Raman", "U0TOM", 0)
    _, _, name = loop.sim.command("U0RECRUIT", "/debrief", "")
    reply = loop.wait(lambda: loop.fake.responses(name), what="usage")[0]
    assert reply["text"].startswith("Usage: `/debrief <candidate name>`")
    assert "Priya Raman (Senior Backend Engineer)" in reply["text"]


def test_repeated_debrief_with_nothing_new_posts_once(loop: Loop) -> None:
    _candidate(loop, "Priya Raman", "U0TOM", 0)
    loop.sim.command("U0RECRUIT", "/debrief", "priya")
    loop.wait(lambda: loop.fake.messages(CHANNEL), what="first post")
    _, _, name = loop.sim.command("U0RECRUIT", "/debrief", "priya")
    loop.wait(lambda: loop.fake.responses(name), what="second reply")
    loop.clock.advance(timedelta(seconds=1))
    import time

    time.sleep(0.5)
    assert len(loop.fake.messages(CHANNEL)) == 1


def test_panel_help_lists_the_commands(loop: Loop) -> None:
    _, _, name = loop.sim.command("U0MAYA", "/panel", "help")
    reply = loop.wait(lambda: loop.fake.responses(name), what="help")[0]["text"]
    assert "debrief <candidate name>" in reply
    assert "/panel auto" in reply and "/panel interviewer" in reply

"""Changing a loop after it was created: reschedule, replace an interviewer, cancel."""

from __future__ import annotations

from datetime import timedelta

from bot.slack.limits import check_view
from bot.slack.simulate import buttons
from tests.e2e.conftest import CHANNEL, START, Loop
from tests.e2e.test_slack_loop import create_loop, text_of

BASE = START + timedelta(days=1)  # the loop's first interview (create_loop)


def dm_texts(loop: Loop, user: str) -> list[str]:
    return [text_of(m) for m in loop.dms(user)]


def open_change_form(loop: Loop, user: str) -> dict:  # type: ignore[type-arg]
    summary = loop.fake.messages(CHANNEL)[0]
    change = buttons(summary)[0]
    assert change["action_id"] == "panel_change"
    _, trigger = loop.sim.click(user, "panel_change", change["value"], channel_id=CHANNEL,
                                message_ts=summary["ts"])
    return loop.sim.wait_view(trigger)


def test_only_recruiters_change_a_loop(loop: Loop) -> None:
    create_loop(loop)
    summary = loop.fake.messages(CHANNEL)[0]
    loop.sim.click("U0MAYA", "panel_change", buttons(summary)[0]["value"], channel_id=CHANNEL)
    loop.wait(lambda: loop.fake.ephemerals(CHANNEL), what="refusal")
    assert "Only recruiters of this requisition" in loop.fake.ephemerals(CHANNEL)[-1]["text"]
    assert loop.fake.calls("views.open")[-1].args.get("view", "") and len(loop.fake.calls("views.open")) == 1


def test_reschedule_replace_and_cancel(loop: Loop) -> None:
    create_loop(loop)
    view = open_change_form(loop, "U0RECRUIT")
    assert check_view(view) == []
    coding = next(b for b in view["blocks"] if b.get("block_id") == "coding__interviewer")
    assert coding["element"]["initial_user"] == "U0TOM"  # pre-filled with the current loop

    # A double booking is refused inline and changes nothing.
    clash = loop.sim.submit("U0RECRUIT", view, {"coding__interviewer": "U0MAYA",
                                                "coding__start": BASE})
    assert "Double-booked" in clash.json()["errors"]["coding__interviewer"]

    before = {u: len(loop.dms(u)) for u in ("U0TOM", "U0AISHA", "U0LUIS", "U0OUTSIDER")}
    answer = loop.sim.submit("U0RECRUIT", view, {
        "coding__start": BASE + timedelta(hours=2, minutes=30),   # Tom moves
        "system-design__interviewer": "U0OUTSIDER",              # Aisha is replaced
        "behavioral__skip": ["skip"],                             # Luis is cancelled
    })
    assert answer.status == 200 and answer.body in ("", "{}")
    loop.wait(lambda: len(loop.dms("U0OUTSIDER")) > before["U0OUTSIDER"], what="new invite")
    loop.wait(lambda: len(loop.dms("U0LUIS")) > before["U0LUIS"], what="cancellation")
    assert any("Cancelled" in t for t in dm_texts(loop, "U0AISHA"))
    assert any("Cancelled" in t for t in dm_texts(loop, "U0LUIS"))
    assert any("You're interviewing Priya Raman" in t for t in dm_texts(loop, "U0OUTSIDER"))
    moved = [t for t in dm_texts(loop, "U0TOM") if "You're interviewing" in t]
    assert len(moved) == 2 and "12:30" in moved[-1]  # 11:30 UTC in Berlin, shown locally
    cancels = [f for f in loop.fake.files() if b"METHOD:CANCEL" in (f["content"] or b"")]
    assert len(cancels) == 2
    notice = loop.wait(lambda: [t for t in dm_texts(loop, "U0RECRUIT") if "Loop updated" in t])
    assert "moved by +30 min" in notice[-1] and "cancelled" in notice[-1]

    # Briefings follow the change: the new interviewer gets one, the cancelled one does not.
    loop.clock.set(BASE + timedelta(hours=7))
    loop.wait(lambda: any("Briefing" in t for t in dm_texts(loop, "U0OUTSIDER")),
              what="briefing for the replacement")
    assert not any("Briefing" in t for t in dm_texts(loop, "U0LUIS"))
    assert not any("Briefing" in t for t in dm_texts(loop, "U0AISHA"))
    tom = [t for t in dm_texts(loop, "U0TOM") if "Briefing" in t]
    assert len(tom) == 1 and "12:30" in tom[0]

    # Resubmitting the same change sends no new invite or cancellation.
    def invites() -> dict[str, int]:
        return {u: sum(1 for t in dm_texts(loop, u) if "interviewing" in t or "Cancelled" in t)
                for u in ("U0TOM", "U0OUTSIDER", "U0AISHA", "U0LUIS")}

    counts = invites()
    view = open_change_form(loop, "U0RECRUIT")
    loop.sim.submit("U0RECRUIT", view, {})
    loop.wait(lambda: "nothing changed" in dm_texts(loop, "U0RECRUIT")[-1], what="no-op notice")
    assert counts == invites()

"""/panel auto: the solver proposes loops from stored profiles; picking one creates it."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from bot.slack.limits import check_view
from storage.enums import Platform
from storage.profile_input import ProfileInput
from tests.e2e.conftest import CHANNEL, START, TEAM, Loop
from tests.e2e.test_slack_loop import text_of

STAGES = ["screening", "coding", "system-design", "behavioral", "hiring-manager"]
PANEL = {  # who may run which stages, all in UTC office hours for a predictable grid
    "U0MAYA": ["screening", "behavioral"],
    "U0TOM": ["coding", "system-design"],
    "U0AISHA": ["system-design", "coding"],
    "U0LUIS": ["behavioral", "screening"],
    "U0HM": ["hiring-manager"],
}


def store_profiles(loop: Loop) -> None:
    def work(store: object) -> None:
        for user, stages in PANEL.items():
            store.upsert_profile(TEAM, Platform.SLACK, user, ProfileInput(  # type: ignore[attr-defined]
                display_name=user, tz="UTC", work_start="08:00", work_end="18:00",
                qualified={"backend-engineer": stages},
            ))
    loop.store(work)


def test_recruiter_picks_a_proposed_loop(loop: Loop) -> None:
    store_profiles(loop)
    _, trigger, _ = loop.sim.command("U0RECRUIT", "/panel", "auto")
    view = loop.sim.wait_view(trigger)
    assert check_view(view) == []
    day = START + timedelta(days=1)  # Wed 25 Nov, 08:00 UTC
    missing = loop.sim.submit("U0RECRUIT", view, {"candidate": "Priya Raman"})
    assert "at least one window" in missing.json()["errors"]["window1__start"]

    answer = loop.sim.submit("U0RECRUIT", view, {
        "candidate": "Priya Raman",
        "window1__start": day, "window1__end": day + timedelta(hours=10),
    })
    assert answer.json()["response_action"] == "update"
    options = loop.wait(
        lambda: loop.sim.current_view(view["id"]).get("callback_id") == "panel_auto_pick"
        and loop.sim.current_view(view["id"]), what="options")
    assert check_view(options) == []
    radio = next(b for b in options["blocks"] if b.get("block_id") == "option")
    labels = [o["text"]["text"] for o in radio["element"]["options"]]
    assert labels[:1] == ["Option 1"] and 1 <= len(labels) <= 3
    assert all(o.get("description") for o in radio["element"]["options"])  # the reasons

    created = loop.sim.submit("U0RECRUIT", options, {"option": "1"})
    assert created.status == 200
    summary = loop.wait(lambda: loop.fake.messages(CHANNEL), what="loop summary")[0]
    assert "Priya Raman" in text_of(summary)
    interviews = loop.store(lambda s: s.panel_interviews(TEAM, 1))
    assert sorted(i.stage_key for i in interviews) == sorted(STAGES)
    for interview in interviews:
        assert interview.stage_key in PANEL[interview.interviewer_id]
        assert day <= interview.starts_at and interview.ends_at <= day + timedelta(hours=10)
        loop.wait(lambda i=interview: loop.dms(i.interviewer_id), what="invite")
    starts = sorted((i.starts_at, i.ends_at) for i in interviews)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(starts))


def test_blocking_constraint_is_explained(loop: Loop) -> None:
    _, trigger, _ = loop.sim.command("U0RECRUIT", "/panel", "auto")  # no profiles stored
    view = loop.sim.wait_view(trigger)
    day = START + timedelta(days=1)
    loop.sim.submit("U0RECRUIT", view, {
        "candidate": "Sam Lee", "window1__start": day, "window1__end": day + timedelta(hours=8),
    })
    done = loop.wait(
        lambda: loop.sim.current_view(view["id"]).get("callback_id") == "panel_auto_done"
        and loop.sim.current_view(view["id"]), what="explanation")
    assert "No loop fits" in str(done)
    assert loop.fake.messages(CHANNEL) == []

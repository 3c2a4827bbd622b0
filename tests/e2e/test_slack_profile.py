"""``/panel interviewer``: a person edits their own profile in a modal, through signed requests."""

from __future__ import annotations

from typing import Any

from bot.slack.limits import check_view
from storage.enums import Platform
from tests.e2e.conftest import TEAM, Loop


def _values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "tz": "Europe/Berlin",
        "hours": "9:30-16:00",
        "days": ["mon", "tue", "wed", "thu"],
        "max_per_day": "1",
        "max_per_week": "3",
        "qualified__backend-engineer": ["backend-engineer:coding", "backend-engineer:system-design"],
        "calendar": "https://calendar.example/tom.ics",
    }
    values.update(changes)
    return values


def test_interviewer_edits_own_profile_with_inline_errors(loop: Loop) -> None:
    answer, trigger, _ = loop.sim.command("U0TOM", "/panel", "interviewer")
    assert answer.status == 200
    view = loop.sim.wait_view(trigger)
    assert view["callback_id"] == "interviewer_profile"
    assert check_view(view) == []
    tz = next(b for b in view["blocks"] if b.get("block_id") == "tz")
    assert tz["element"]["initial_option"]["value"] == "Europe/Berlin"  # from the directory

    wrong = _values(hours="17:00-09:00", max_per_week="a", days=[],
                    calendar="/etc/passwd", tz_other="Mars/Base")
    answer = loop.sim.submit("U0TOM", view, wrong)
    assert answer.json()["response_action"] == "errors"
    errors = answer.json()["errors"]
    assert set(errors) >= {"max_per_week", "days", "calendar"}
    assert loop.store(lambda s: s.get_profile(TEAM, Platform.SLACK, "U0TOM")) is None

    answer = loop.sim.submit("U0TOM", view, _values(tz_other="Mars/Base"))
    assert "time zone" in answer.json()["errors"]["tz_other"]
    answer = loop.sim.submit("U0TOM", view, _values(hours="17:00-09:00"))
    assert "end after" in answer.json()["errors"]["hours"]

    answer = loop.sim.submit("U0TOM", view, _values(trainee=["trainee"]))
    assert answer.status == 200 and answer.body in ("", "{}")
    loop.wait(lambda: any("profile is saved" in m.get("text", "") for m in loop.dms("U0TOM")),
              what="saved notice")
    profile = loop.store(lambda s: s.get_profile(TEAM, Platform.SLACK, "U0TOM"))
    assert (profile.tz, profile.work_start, profile.work_end, profile.weekdays) == (
        "Europe/Berlin", "09:30", "16:00", "mon,tue,wed,thu"
    )
    assert (profile.max_per_day, profile.max_per_week, profile.trainee) == (1, 3, True)
    assert profile.qualified["backend-engineer"] == ["coding", "system-design"]
    assert profile.display_name == "Tom Becker"

    # Reopening shows what was saved.
    _, trigger, _ = loop.sim.command("U0TOM", "/panel", "interviewer")
    again = loop.sim.wait_view(trigger)
    hours = next(b for b in again["blocks"] if b.get("block_id") == "hours")
    assert hours["element"]["initial_value"] == "09:30-16:00"
    stages = next(b for b in again["blocks"] if b.get("block_id") == "qualified__backend-engineer")
    assert {o["value"] for o in stages["element"]["initial_options"]} == {
        "backend-engineer:coding", "backend-engineer:system-design"
    }

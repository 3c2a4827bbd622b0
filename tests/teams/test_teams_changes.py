"""Changing a loop from its summary in the hiring channel, on Teams (as on Slack).

The summary's "Change loop" button opens the same loop form, pre-filled; only the
requisition's recruiters may use it. Moving an interview re-plans its briefing and
reminders and sends the interviewer an update.
"""

from __future__ import annotations

import asyncio

from tests.teams.teamstools import (
    CHANNEL,
    TENANT,
    Bench,
    buttons,
    card_text,
    install,
    press,
    submit_dialog,
)
from tests.teams.test_teams_loop import create_loop


def test_recruiter_changes_a_loop_from_its_summary(bench: Bench, requisition: int) -> None:
    asyncio.run(_change(bench))


async def _change(bench: Bench) -> None:
    for user in ("aad-rosa", "aad-maya", "aad-tom"):
        await bench.turn(install(user))
    await create_loop(bench)
    summary = bench.cards_to(CHANNEL)[-1]
    (change,) = buttons(summary)
    assert change["type"] == "Action.Submit" and change["data"]["action_id"] == "panel_change"
    assert change["data"]["msteams"] == {"type": "task/fetch"}

    refused = await bench.turn(press("aad-maya", change, where="channel"))
    assert refused.task_text == "Only recruiters of this requisition can change its loops."

    dialog = await bench.turn(press("aad-rosa", change, where="channel"))
    form = dialog.dialog_card
    values = {e["id"]: e.get("value") for e in form["body"] if "id" in e}
    # Pre-filled in Rosa's zone (Europe/Lisbon, UTC+0 in November).
    assert values["coding__interviewer"] == "aad-tom"
    assert (values["coding__start__date"], values["coding__start__time"]) == ("2026-11-25", "12:00")

    before = len(bench.dms("aad-tom"))
    done = await bench.turn(submit_dialog("aad-rosa", dialog.invoke or {},
                                          {"coding__start__time": "14:00"}, where="channel"))
    assert done.task_text == "Loop updated: Coding interview: moved by +2 h 00 min."
    (coding,) = [i for i in bench.services.run(lambda s: s.interviews_for_user(TENANT, "aad-tom"))]
    assert coding.starts_at.hour == 14
    (update,) = bench.dms("aad-tom")[before:]
    assert "Wed 25 Nov 2026, 15:00-16:00 Europe/Berlin" in card_text(update)  # Tom's zone

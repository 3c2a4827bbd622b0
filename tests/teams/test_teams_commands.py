"""Teams commands and installs beyond the happy path, mirroring the Slack command tests.

Same command table, same refusals and suggestions; Teams-only differences: commands in
channels arrive with an @mention, answers are not ephemeral, and ``panel`` answers with
a button that opens the dialog (a bot cannot open one from a typed message).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.teams.manifest import command_list
from flows.commands import COMMANDS, CommandName, spec_for
from flows.state import encode_state
from storage.enums import Platform
from storage.inputs import InterviewPlan, PanelCreate
from tests.teams.conftest import START
from tests.teams.teamstools import (
    CHANNEL,
    TENANT,
    Bench,
    Turn,
    buttons,
    card_text,
    install,
    message,
    press,
    submit_dialog,
    task_fetch,
    task_submit,
)


def turn(bench: Bench, activity: dict[str, Any]) -> Turn:
    return asyncio.run(bench.turn(activity))


def candidate(bench: Bench, requisition: int, name: str, interviewer: str, hours: int) -> None:
    starts = START + timedelta(days=1, hours=hours)
    bench.services.run(lambda s: s.create_panel(TENANT, PanelCreate(
        requisition_id=requisition, candidate_name=name, created_by="aad-rosa",
        interviews=[InterviewPlan(stage_key="coding", interviewer_id=interviewer,
                                  starts_at=starts, ends_at=starts + timedelta(hours=1))],
    )))


@pytest.mark.parametrize("where", ["personal", "channel"])
def test_every_command_of_the_table_answers_in_both_places(
    bench: Bench, requisition: int, where: str
) -> None:
    for spec in COMMANDS:
        answer = turn(bench, message("aad-rosa", spec.name.value, where=where))
        assert answer.said, spec.name  # nobody is left without an answer
    assert command_list() == [spec.name.value for spec in COMMANDS]


def test_help_and_typos_use_the_shared_table(bench: Bench) -> None:
    help_reply = turn(bench, message("aad-olga", "?")).texts[0]
    assert help_reply.startswith("panelbot runs structured interview loops. Commands:\n\n• `panel")
    assert help_reply.count("\n\n• ") == len(COMMANDS)  # one paragraph per command on Teams
    typo = turn(bench, message("aad-olga", "scorcard", where="channel"))
    assert typo.texts == ["Unknown command `scorcard`. Did you mean `scorecard`? Try `help`."]
    usage = turn(bench, message("aad-rosa", "panel tomorrow"))
    assert usage.texts == [f"Usage: `{spec_for(CommandName.PANEL).usage}`"]


def test_recruiter_opens_a_requisition_from_its_channel(bench: Bench, requisition: int) -> None:
    answer = turn(bench, message("aad-rosa", "panel requisition", where="channel"))
    dialog = turn(bench, press("aad-rosa", buttons(answer.cards[0])[0], where="channel")).invoke
    assert dialog is not None
    prefilled = {e["id"]: e.get("value") for e in dialog["task"]["value"]["card"]["content"]["body"]
                 if "id" in e}
    assert prefilled["channel"] == CHANNEL and prefilled["recruiters"] == "aad-rosa"

    missing = turn(bench, submit_dialog("aad-rosa", dialog, {"title": "Staff Engineer",
                                                             "kit": "backend-engineer"}))
    assert "Add at least one hiring manager." in card_text(missing.dialog_card)
    link = ("https://teams.microsoft.com/l/channel/19%3astaff%40thread.tacv2/Staff"
            "?groupId=g&tenantId=t")
    done = turn(bench, submit_dialog("aad-rosa", dialog, {
        "title": "Staff Engineer", "level": "Staff", "kit": "backend-engineer", "channel": link,
        "hiring_managers": "aad-dana,aad-tom", "recruiters": "aad-rosa"}))
    assert done.task_text.startswith("Requisition #2 “Staff Engineer” is open.")
    created = bench.services.run(lambda s: s.list_requisitions(TENANT))[-1]
    assert (created.channel_id, created.platform) == ("19:staff@thread.tacv2", Platform.TEAMS)
    assert bench.services.run(lambda s: s.members(TENANT, 2, "hiring_manager")) == [
        "aad-dana", "aad-tom"]


def test_non_recruiter_cannot_open_a_requisition(bench: Bench, requisition: int) -> None:
    answer = turn(bench, message("aad-maya", "panel requisition"))
    assert "Only recruiters open requisitions" in answer.texts[0] and not answer.cards
    forged = turn(bench, task_fetch("aad-maya", {"action_id": "requisition_new",
                                                 "state": encode_state("requisition_open")}))
    assert "Only recruiters open requisitions" in forged.task_text
    sneaky = turn(bench, task_submit("aad-maya", {
        "action": "submit", "state": encode_state("requisition"), "title": "Mine",
        "kit": "backend-engineer", "channel": CHANNEL, "hiring_managers": "aad-maya",
        "recruiters": "aad-maya"}))
    assert "Only recruiters open requisitions" in sneaky.task_text
    assert len(bench.services.run(lambda s: s.list_requisitions(TENANT))) == 1


def test_non_recruiter_cannot_create_a_loop(bench: Bench, requisition: int) -> None:
    answer = turn(bench, message("aad-maya", "panel"))
    assert "Only recruiters of a requisition can create interview loops" in answer.texts[0]
    forged = turn(bench, task_fetch("aad-maya", {"action_id": "panel_new",
                                                 "state": encode_state("panel_open")}))
    assert "Only recruiters of a requisition can create interview loops" in forged.task_text
    sneaky = turn(bench, task_submit("aad-maya", {
        "action": "submit", "state": encode_state("panel", requisition=requisition),
        "candidate": "Priya Raman", "coding__interviewer": "aad-maya",
        "coding__start__date": "2026-11-25", "coding__start__time": "10:00"}))
    assert sneaky.task_text == "Only recruiters of this requisition can create its loops."
    assert bench.services.run(lambda s: s.find_candidates(TENANT)) == []


def test_ambiguous_name_offers_a_choice_and_the_pick_posts(bench: Bench, requisition: int) -> None:
    candidate(bench, requisition, "Alex Thompson", "aad-tom", 0)
    candidate(bench, requisition, "Alex Kim", "aad-maya", 2)
    answer = turn(bench, message("aad-rosa", "debrief alex"))
    (choices,) = answer.cards
    assert "Several candidates match" in card_text(choices)
    by_label = {b["title"]: b for b in buttons(choices)}
    assert set(by_label) == {"Alex Thompson (Senior Backend Engineer)",
                             "Alex Kim (Senior Backend Engineer)"}
    assert all(b["type"] == "Action.Execute" for b in by_label.values())
    assert bench.cards_to(CHANNEL) == []
    picked = turn(bench, press("aad-rosa", by_label["Alex Kim (Senior Backend Engineer)"]))
    assert picked.invoke is not None
    assert picked.invoke["value"] == "Posting the debrief for Alex Kim to the hiring channel."
    (post,) = bench.cards_to(CHANNEL)
    assert "Alex Kim" in card_text(post) and "Alex Thompson" not in card_text(post)
    # Someone else pressing the same choice is refused and nothing more is posted.
    stolen = turn(bench, press("aad-olga", by_label["Alex Thompson (Senior Backend Engineer)"]))
    assert stolen.invoke is not None and "Only the recruiters and hiring managers" in stolen.invoke["value"]
    assert len(bench.cards_to(CHANNEL)) == 1


def test_unknown_name_gets_suggestions_and_no_argument_gets_usage(
    bench: Bench, requisition: int
) -> None:
    candidate(bench, requisition, "Priya Raman", "aad-tom", 0)
    answer = turn(bench, message("aad-dana", "debrief Priyanka Rao", where="channel"))
    assert answer.texts == ["No candidate called “Priyanka Rao”. Did you mean `Priya Raman`?"]
    usage = turn(bench, message("aad-rosa", "debrief"))
    assert usage.texts[0].startswith("Usage: `debrief <candidate name>`")  # no Slack slash
    assert "Priya Raman (Senior Backend Engineer)" in usage.texts[0]
    assert bench.cards_to(CHANNEL) == []


def test_repeated_debrief_with_nothing_new_posts_once(bench: Bench, requisition: int) -> None:
    candidate(bench, requisition, "Priya Raman", "aad-tom", 0)
    turn(bench, message("aad-rosa", "debrief priya"))
    turn(bench, message("aad-rosa", "report priya"))  # the alias, same request
    assert len(bench.cards_to(CHANNEL)) == 1


def test_scorecard_lists_pending_work_in_the_personal_chat(bench: Bench, requisition: int) -> None:
    candidate(bench, requisition, "Priya Raman", "aad-maya", 0)
    bench.services.clock.set(START + timedelta(days=2))  # type: ignore[attr-defined]
    turn(bench, install("aad-maya"))
    answer = turn(bench, message("aad-maya", "scorecard"))
    (card,) = answer.cards
    assert "Coding interview with Priya Raman" in card_text(card)
    (button,) = buttons(card)
    assert button["data"]["action_id"] == "open_scorecard"
    form = turn(bench, press("aad-maya", button))
    assert "Coding interview: Priya Raman" in card_text(form.dialog_card)

    # Typed in a channel, the list goes to the 1:1 chat, not to everyone.
    in_channel = turn(bench, message("aad-maya", "scorecards", where="channel"))
    assert in_channel.texts == ["I've sent your interviews and scorecards to our 1:1 chat."]
    assert "Priya Raman" in card_text(bench.dms("aad-maya")[-1])
    stranger = turn(bench, message("aad-olga", "scorecard", where="channel"))
    assert "I can't message you yet" in stranger.texts[0]


def test_installs_remember_people_and_channels_and_welcome_only_new_chats(bench: Bench) -> None:
    hello = turn(bench, install("aad-maya"))
    assert len(hello.texts) == 1
    assert turn(bench, install("aad-maya", action="add-upgrade")).said == []
    assert turn(bench, install("aad-rosa", where="channel")).said == []  # added to a team
    refs = bench.services.run(lambda s: [
        s.get_conversation_ref(TENANT, Platform.TEAMS, key)
        for key in ("aad-maya", "aad-rosa", f"channel:{CHANNEL}")])
    assert refs[0] is not None and refs[1] is None and refs[2] is not None
    assert refs[2].conversation_id == CHANNEL
    assert turn(bench, install("aad-maya", action="remove")).said == []

"""The product's rules on Teams, mirroring the Slack tests: who may do what, once.

* Authorization: only the assigned interviewer opens, drafts or submits a scorecard;
  only a hiring manager of the requisition decides, even with a hand-made
  ``decision_confirm`` that skips the button; ids of another tenant reveal nothing.
* Independence: colleagues' scorecards stay hidden until one's own is in.
* Idempotency: a replayed invoke (Teams retries, double clicks) changes nothing and
  sends nothing twice.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bot.teams.bot import CARD_VERBS, FETCH_ACTIONS
from bot.teams.invokes import OUTDATED, TeamsAction
from bot.teams.outgoing import cards
from flows.messages import Action, ActionId, Message, MessageKind
from flows.state import encode_state
from storage.enums import DecisionStatus, Recommendation
from storage.inputs import InterviewPlan, PanelCreate, RequisitionCreate
from storage.repository import require_id
from tests.teams.conftest import START, create_requisition
from tests.teams.teamstools import (
    TENANT,
    Bench,
    Turn,
    buttons,
    card_action,
    card_text,
    install,
    press,
    task_fetch,
    task_submit,
)

SCORECARD = {
    "rating__coding": "yes", "note__coding": "Clean, tested code.",
    "rating__api_design": "yes", "rating__data_modeling": "yes",
    "rating__problem_solving": "yes", "recommendation": "yes",
}


def turn(bench: Bench, activity: dict[str, Any]) -> Turn:
    return asyncio.run(bench.turn(activity))


def interview(bench: Bench, requisition: int, user: str = "aad-maya", ws: str = TENANT) -> int:
    starts = START + timedelta(days=1)

    def work(store: Any) -> int:
        panel = store.create_panel(ws, PanelCreate(
            requisition_id=requisition, candidate_name="Priya Raman", created_by="aad-rosa",
            interviews=[InterviewPlan(stage_key="coding", interviewer_id=user, starts_at=starts,
                                      ends_at=starts + timedelta(hours=1))]))
        return require_id(store.panel_interviews(ws, require_id(panel))[0])

    return int(bench.services.run(work))


def submit(user: str, interview_id: int, action: str = "submit", **values: str) -> dict[str, Any]:
    return task_submit(user, {"action": action,
                              "state": encode_state("scorecard", interview=interview_id),
                              **SCORECARD, **values})


def confirm(user: str, panel_id: int, reason: str = "Strong loop.") -> dict[str, Any]:
    return card_action(user, "decision_confirm", {
        "action_id": "decision_confirm", "reason": reason,
        "state": encode_state("decision", panel=panel_id, outcome="approve")}, where="channel")


def test_only_the_interviewer_touches_a_scorecard(bench: Bench, requisition: int) -> None:
    mine = interview(bench, requisition)
    refusal = "belongs to another interviewer"
    opened = turn(bench, task_fetch("aad-tom", {"action_id": "open_scorecard",
                                                "state": encode_state("scorecard", interview=mine)}))
    assert refusal in opened.task_text
    assert refusal in turn(bench, submit("aad-tom", mine, action="save_draft")).task_text
    assert refusal in turn(bench, submit("aad-tom", mine)).task_text
    assert refusal in turn(bench, submit("aad-rosa", mine)).task_text  # recruiters neither
    assert bench.services.run(lambda s: s.scorecard_for_interview(TENANT, mine)) is None
    assert bench.dms("aad-tom") == []


def test_a_replayed_submission_stores_and_sends_once(bench: Bench, requisition: int) -> None:
    mine = interview(bench, requisition)
    turn(bench, install("aad-maya"))
    activity = submit("aad-maya", mine)
    first, replay = turn(bench, activity), turn(bench, activity)  # Teams retried the invoke
    assert first.task_text.startswith("Thanks!")
    assert replay.task_text == "Your scorecard was already submitted; nothing changed."
    assert [card_text(c).startswith("Scorecard submitted") for c in bench.dms("aad-maya")] == [True]
    late_draft = turn(bench, submit("aad-maya", mine, action="save_draft"))
    assert "can no longer change" in late_draft.task_text


def test_colleagues_scorecards_stay_hidden_until_ones_own_is_in(
    bench: Bench, requisition: int
) -> None:
    maya = interview(bench, requisition, "aad-maya")
    tom = interview(bench, requisition, "aad-tom")
    turn(bench, submit("aad-tom", tom))
    view = {"action_id": "view_scorecards", "state": encode_state("panel_cards", interview=maya)}
    hidden = turn(bench, card_action("aad-maya", "view_scorecards", view))
    assert hidden.invoke is not None and "Submit your own scorecard first" in hidden.invoke["value"]
    nosy = turn(bench, card_action("aad-tom", "view_scorecards", view))  # not his interview
    assert nosy.invoke is not None and "belongs to another interviewer" in nosy.invoke["value"]


def test_only_a_hiring_manager_decides_even_without_the_button(
    bench: Bench, requisition: int
) -> None:
    interview(bench, requisition)
    panel_id = 1
    bench.services.run(lambda s: s.ensure_decision(TENANT, panel_id, Recommendation.YES))
    # Tom is a hiring manager, of another requisition: that does not make him one of this.
    other = RequisitionCreate(title="Data Engineer", kit_id="backend-engineer", channel_id="19:x",
                              hiring_managers=["aad-tom"], recruiters=["aad-tom"])
    bench.services.run(lambda s: s.create_requisition(TENANT, other))
    for user in ("aad-rosa", "aad-maya", "aad-olga", "aad-tom"):
        refused = turn(bench, confirm(user, panel_id))
        assert refused.invoke is not None
        assert refused.invoke["value"].startswith("Only a hiring manager of this requisition")
    decision = bench.services.run(lambda s: s.get_decision(TENANT, panel_id))
    assert decision.status == DecisionStatus.PENDING and decision.approver_id is None
    assert [e.action for e in bench.services.run(lambda s: s.audit_events(TENANT))
            if e.action.startswith("decision")] == []

    approved = turn(bench, confirm("aad-dana", panel_id))
    assert approved.invoke is not None and "Decision: Approved" in card_text(approved.invoke["value"])
    replay = turn(bench, confirm("aad-dana", panel_id, reason="Another reason"))
    assert replay.invoke is not None and "Decision: Approved" in card_text(replay.invoke["value"])
    assert bench.services.run(lambda s: s.get_decision(TENANT, panel_id)).reason == "Strong loop."
    events = [e.action for e in bench.services.run(lambda s: s.audit_events(TENANT))
              if e.action.startswith("decision")]
    assert events == ["decision.approved"]


def test_another_tenants_ids_reveal_nothing(bench: Bench, requisition: int) -> None:
    theirs = create_requisition(bench.services, ws="tenant-other")
    their_interview = interview(bench, theirs, "aad-maya", ws="tenant-other")
    opened = turn(bench, task_fetch("aad-maya", {
        "action_id": "open_scorecard", "state": encode_state("scorecard", interview=their_interview)}))
    assert "no longer exists" in opened.task_text
    pressed = turn(bench, card_action("aad-dana", "decision_approve", {
        "action_id": "decision_approve", "state": encode_state("debrief", panel=1)}))
    assert pressed.invoke is not None and "not in your organisation" in pressed.invoke["value"]


def test_buttons_from_an_older_panelbot_are_answered_not_crashed(bench: Bench) -> None:
    stale = turn(bench, task_fetch("aad-maya", {"action_id": "open_scorecard", "state": "v0"}))
    assert "older panelbot message" in stale.task_text
    unknown = turn(bench, card_action("aad-maya", "decision_veto", {}))
    assert unknown.invoke is not None and unknown.invoke["statusCode"] == 400
    junk = turn(bench, task_submit("aad-maya", {"state": "{}"}))
    assert "older panelbot message" in junk.task_text


def test_every_button_panelbot_renders_reaches_a_handler(bench: Bench) -> None:
    """Like Slack's manifest-vs-listeners test: no button may land on "unknown"."""
    handled = {str(a) for a in FETCH_ACTIONS} | {str(v) for v in CARD_VERBS}
    assert {a.value for a in ActionId} | {a.value for a in TeamsAction} <= handled
    state = encode_state("any", panel=999, interview=999, candidate=999)
    message = Message(kind=MessageKind.NOTICE, title="All buttons", summary="All buttons",
                      actions=tuple(Action(a, a.value, state) for a in ActionId))
    (card,) = cards(message)
    pressed = buttons(card)
    assert len(pressed) == len(ActionId)
    for button in pressed:
        answer = turn(bench, press("aad-olga", button)).invoke
        assert answer is not None, button
        shown = answer.get("value") if "task" not in answer else answer["task"]["value"]
        assert answer.get("statusCode", 200) == 200 and shown != OUTDATED, button

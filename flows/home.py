"""The personal overview (Slack App Home): my interviews, my scorecards, my decisions."""

from __future__ import annotations

from datetime import datetime

from flows.briefing import scorecard_action
from flows.feedback import KitSource, NameOf
from flows.messages import Action, Message, MessageKind, Section
from flows.timefmt import format_overdue, format_slot
from storage.enums import DecisionStatus, InterviewStatus, MemberRole
from storage.models import Interview
from storage.repository import Store, require_id

MAX_ROWS = 15


def _label(store: Store, ws: str, interview: Interview, kits: KitSource) -> tuple[str, str]:
    panel = store.get_panel(ws, interview.panel_id)
    requisition = store.get_requisition(ws, panel.requisition_id)
    candidate = store.get_candidate(ws, panel.candidate_id)
    stage = kits.get(requisition.kit_id).stage(interview.stage_key)
    return candidate.name, stage.title


def build_home(
    store: Store, ws: str, user_id: str, tz: str, kits: KitSource, name_of: NameOf, now: datetime
) -> Message:
    upcoming = [
        i for i in store.interviews_for_user(ws, user_id, after=now)
        if i.status == InterviewStatus.SCHEDULED
    ][:MAX_ROWS]
    pending = store.interviews_awaiting_feedback(ws, now, user_id=user_id)[:MAX_ROWS]
    actions: list[Action] = []
    upcoming_lines = []
    for interview in upcoming:
        candidate, stage = _label(store, ws, interview, kits)
        upcoming_lines.append(
            f"{format_slot(interview.starts_at, interview.ends_at, tz)}: {stage} with {candidate}"
        )
    pending_lines = []
    for interview in pending:
        candidate, stage = _label(store, ws, interview, kits)
        pending_lines.append(
            f"{stage} with {candidate}, {format_overdue(now - interview.ends_at)} since the end"
        )
        action = scorecard_action(require_id(interview))
        actions.append(Action(action.action_id, f"Scorecard: {candidate}"[:75], action.value, action.style))
    decision_lines = []
    for requisition in store.requisitions_for_user(ws, user_id, MemberRole.HIRING_MANAGER):
        for person in store.find_candidates(ws, [require_id(requisition)]):
            panels = store.panels_for_candidate(ws, require_id(person))
            if not panels:
                continue
            decision = store.get_decision(ws, require_id(panels[-1]))
            if decision is not None and decision.status == DecisionStatus.PENDING:
                decision_lines.append(
                    f"{person.name} ({requisition.title}): debrief proposes "
                    f"{decision.proposed.value.replace('_', ' ')}; decide in the hiring channel."
                )
    return Message(
        kind=MessageKind.NOTICE,
        title=f"panelbot · {name_of(user_id)}",
        summary="Your interviews, scorecards and decisions.",
        sections=(
            Section(heading="Upcoming interviews", bullets=tuple(upcoming_lines) or ("None scheduled.",)),
            Section(heading="Scorecards waiting for you", bullets=tuple(pending_lines) or ("All done. Thank you!",)),
            Section(heading="Decisions waiting for you", bullets=tuple(decision_lines[:MAX_ROWS]) or ("Nothing to decide.",)),
        ),
        actions=tuple(actions),
        footer="Times are shown in your time zone.",
    )

"""``/debrief <candidate>`` and the hiring manager's decision on it.

Only recruiters and hiring managers of the candidate's requisition may run a debrief;
only its hiring managers decide. A repeated command with nothing new posts nothing
new; a second click on a decided debrief shows the recorded decision and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from flows.candidates import match_name
from flows.debrief_message import DebriefData, build_debrief_message
from flows.decision import (
    OUTCOME_LABELS,
    DecisionData,
    Outcome,
    build_decision_message,
    build_reason_form,
    reason_errors,
)
from flows.feedback import KitSource
from flows.messages import Form, Message
from flows.outbound import Notice, Outbound, Recipient, Refusal
from flows.panel_debrief import panel_debrief
from flows.timefmt import format_moment
from storage.enums import DecisionOutcome, DecisionStatus, MemberRole, Recommendation
from storage.errors import NotAllowed
from storage.models import Candidate, Decision, Panel
from storage.repository import Store, require_id

NameOf = Callable[[str], str]

NOT_ON_REQUISITION = (
    "Only the recruiters and hiring managers of a requisition can run its debriefs. "
    "Ask its recruiter to add you if you need access."
)
ONLY_HIRING_MANAGERS = (
    "Only a hiring manager of this requisition can approve or reject. "
    "Nothing was changed."
)


@dataclass(frozen=True, slots=True)
class Choices:
    """Several candidates match: let the person pick one."""

    text: str
    candidates: tuple[tuple[int, str], ...]  # (candidate id, label)


@dataclass(frozen=True, slots=True)
class DebriefPosted:
    outbound: Outbound
    panel_id: int
    notice: str


def _label(store: Store, ws: str, candidate: Candidate) -> str:
    requisition = store.get_requisition(ws, candidate.requisition_id)
    return f"{candidate.name} ({requisition.title})"


def request_debrief(
    store: Store,
    ws: str,
    user_id: str,
    query: str,
    kits: KitSource,
    name_of: NameOf,
    *,
    candidate_id: int | None = None,
) -> DebriefPosted | Choices | Notice | Refusal:
    """Resolve the candidate, check access, and say what to post to the hiring channel."""
    mine = store.requisitions_for_user(ws, user_id)
    if not mine:
        return Refusal(NOT_ON_REQUISITION)
    pool = store.find_candidates(ws, [require_id(r) for r in mine])
    if candidate_id is not None:
        chosen = next((c for c in pool if c.id == candidate_id), None)
        if chosen is None:
            return Refusal(NOT_ON_REQUISITION)
        return _debrief(store, ws, chosen, kits, name_of)
    if not query.strip():
        listed = ", ".join(_label(store, ws, c) for c in pool[-10:]) or "none yet"
        return Notice(f"Usage: `/debrief <candidate name>`. Your candidates: {listed}.")
    match = match_name(query, pool, key=lambda c: c.name)
    if match.found is not None:
        return _debrief(store, ws, match.found, kits, name_of)
    if match.ambiguous:
        return Choices(
            text=f"Several candidates match “{query}”. Which one?",
            candidates=tuple((require_id(c), _label(store, ws, c)) for c in match.ambiguous),
        )
    elsewhere = match_name(query, store.find_candidates(ws), key=lambda c: c.name)
    if elsewhere.found is not None or elsewhere.ambiguous:
        return Refusal(NOT_ON_REQUISITION)
    if match.suggestions:
        names = ", ".join(f"`{c.name}`" for c in match.suggestions)
        return Notice(f"No candidate called “{query}”. Did you mean {names}?")
    return Notice(f"No candidate called “{query}”. Check the spelling, or `/debrief` to list yours.")


def _latest_panel(store: Store, ws: str, candidate: Candidate) -> Panel | None:
    panels = store.panels_for_candidate(ws, require_id(candidate))
    return panels[-1] if panels else None


def _debrief(
    store: Store, ws: str, candidate: Candidate, kits: KitSource, name_of: NameOf
) -> DebriefPosted | Notice:
    panel = _latest_panel(store, ws, candidate)
    if panel is None:
        return Notice(f"{candidate.name} has no interview loop yet; create one with `/panel`.")
    panel_id = require_id(panel)
    requisition = store.get_requisition(ws, panel.requisition_id)
    kit = kits.get(requisition.kit_id)
    debrief = panel_debrief(store, ws, panel_id, kit, name_of)
    decision: Decision | None = store.get_decision(ws, panel_id)
    if debrief.recommendation is not None:
        decision = store.ensure_decision(ws, panel_id, Recommendation(debrief.recommendation))
    decided = decision_data(decision, candidate.name, requisition.title, name_of)
    message = build_debrief_message(
        DebriefData(
            debrief=debrief,
            candidate_name=candidate.name,
            role_title=requisition.title,
            panel_id=panel_id,
            decision=decided,
        )
    )
    if debrief.recommendation is None and decided is None:
        message = _without_actions(message)
    version = f"{debrief.submitted_count}:{decision.status.value if decision else 'none'}"
    return DebriefPosted(
        outbound=Outbound(
            key=f"{ws}:panel:{panel_id}:debrief:{version}",
            recipient=Recipient.channel(requisition.channel_id),
            message=message,
            track=("debrief", panel_id),
        ),
        panel_id=panel_id,
        notice=f"Posting the debrief for {candidate.name} to the hiring channel.",
    )


def _without_actions(message: Message) -> Message:
    return replace(message, actions=())


def decision_data(
    decision: Decision | None, candidate: str, role: str, name_of: NameOf, tz: str = "UTC"
) -> DecisionData | None:
    if decision is None or decision.status == DecisionStatus.PENDING or decision.outcome is None:
        return None
    return DecisionData(
        candidate_name=candidate,
        role_title=role,
        outcome=Outcome(decision.outcome.value),
        approver_name=name_of(decision.approver_id or ""),
        reason=decision.reason or "",
        decided_at=decision.decided_at or decision.created_at,
        viewer_tz=tz,
    )


def start_decision(
    store: Store, ws: str, user_id: str, panel_id: int, outcome: Outcome, name_of: NameOf
) -> Form | Notice | Refusal:
    """A hiring manager clicked a decision button: ask why, or show what was decided."""
    panel = store.get_panel(ws, panel_id)
    if not store.is_member(ws, panel.requisition_id, user_id, MemberRole.HIRING_MANAGER):
        return Refusal(ONLY_HIRING_MANAGERS)
    decision = store.get_decision(ws, panel_id)
    candidate = store.get_candidate(ws, panel.candidate_id)
    if decision is not None and decision.status != DecisionStatus.PENDING:
        return Notice(recorded_text(decision, name_of))
    return build_reason_form(panel_id=panel_id, outcome=outcome, candidate_name=candidate.name)


def recorded_text(decision: Decision, name_of: NameOf) -> str:
    label = OUTCOME_LABELS[Outcome(decision.outcome.value)] if decision.outcome else "pending"
    when = format_moment(decision.decided_at, "UTC") if decision.decided_at else "earlier"
    return (
        f"Already decided: {label} by {name_of(decision.approver_id or '')} on {when}. "
        "Nothing was changed."
    )


@dataclass(frozen=True, slots=True)
class Decided:
    changed: bool
    outbound: tuple[Outbound, ...]
    updated_debrief: Message | None
    where: tuple[str, str] | None  # (channel id, message id) of the debrief post
    notice: str


def confirm_decision(
    store: Store,
    ws: str,
    user_id: str,
    panel_id: int,
    outcome: Outcome,
    reason: str | None,
    kits: KitSource,
    name_of: NameOf,
    now: datetime,
) -> Decided | dict[str, str] | Refusal:
    """Record the decision once; returns inline errors, a refusal, or what to update."""
    errors = reason_errors(reason)
    if errors:
        return errors
    try:
        decision, changed = store.record_decision(
            ws, panel_id, DecisionOutcome(outcome.value), user_id, (reason or "").strip(), now
        )
    except NotAllowed:
        return Refusal(ONLY_HIRING_MANAGERS)
    if not changed:
        return Decided(False, (), None, None, recorded_text(decision, name_of))
    panel = store.get_panel(ws, panel_id)
    requisition = store.get_requisition(ws, panel.requisition_id)
    candidate = store.get_candidate(ws, panel.candidate_id)
    data = decision_data(decision, candidate.name, requisition.title, name_of)
    assert data is not None  # just recorded
    debrief = panel_debrief(store, ws, panel_id, kits.get(requisition.kit_id), name_of)
    updated = build_debrief_message(
        DebriefData(
            debrief=debrief,
            candidate_name=candidate.name,
            role_title=requisition.title,
            panel_id=panel_id,
            decision=data,
        )
    )
    note = build_decision_message(data)
    outbound = tuple(
        Outbound(
            key=f"{ws}:panel:{panel_id}:decision:{recruiter}",
            recipient=Recipient.user(recruiter),
            message=note,
        )
        for recruiter in store.members(ws, panel.requisition_id, MemberRole.RECRUITER)
    )
    where = (
        (decision.channel_id, decision.message_ts)
        if decision.channel_id and decision.message_ts
        else None
    )
    return Decided(True, outbound, updated, where, f"Recorded: {OUTCOME_LABELS[outcome]}.")

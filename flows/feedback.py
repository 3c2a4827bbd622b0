"""Scorecards as interviewers meet them: open, save a draft, submit, then see the others.

Authorization and independence are decided here, once, for every platform:
only the assigned interviewer opens or writes a scorecard, and colleagues' scorecards
are shown only after one's own is submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flows.messages import Action, ActionId, Fact, Form, Message, MessageKind, Section, Tone
from flows.outbound import Outbound, Recipient, Refusal
from flows.panel_debrief import bundle_values, values_to_input
from flows.scorecard import (
    RawValues,
    ScorecardValues,
    build_scorecard_form,
    draft_errors,
    parse_values,
    submit_errors,
)
from flows.state import InteractionState, encode_state
from rubrics.schema import Kit
from storage.enums import ScorecardStatus
from storage.errors import AlreadySubmitted, NotAllowed, NotFound
from storage.models import Interview
from storage.repository import Store, require_id

NOT_YOURS = (
    "This scorecard belongs to another interviewer. Only the person who ran the "
    "interview can open or submit it."
)


class KitSource(Protocol):
    """Anything with ``get(kit_id) -> Kit``, such as the kit registry."""

    def get(self, kit_id: str) -> Kit: ...


NameOf = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class InterviewContext:
    interview: Interview
    kit: Kit
    candidate_name: str
    role_title: str
    channel_id: str


def load_context(store: Store, ws: str, interview_id: int, kits: KitSource) -> InterviewContext:
    interview = store.get_interview(ws, interview_id)
    panel = store.get_panel(ws, interview.panel_id)
    requisition = store.get_requisition(ws, panel.requisition_id)
    candidate = store.get_candidate(ws, panel.candidate_id)
    return InterviewContext(
        interview=interview,
        kit=kits.get(requisition.kit_id),
        candidate_name=candidate.name,
        role_title=requisition.title,
        channel_id=requisition.channel_id,
    )


@dataclass(frozen=True, slots=True)
class AlreadyDone:
    """The scorecard is in; show a read-only summary instead of the form."""

    message: Message


def open_scorecard(
    store: Store, ws: str, interview_id: int, user_id: str, kits: KitSource
) -> Form | Refusal | AlreadyDone:
    """The form to fill in, pre-filled from a draft; refused for anyone but its owner."""
    try:
        context = load_context(store, ws, interview_id, kits)
    except NotFound:
        return Refusal("That interview no longer exists; it may have been cancelled.")
    if context.interview.interviewer_id != user_id:
        return Refusal(NOT_YOURS)
    bundle = store.scorecard_for_interview(ws, interview_id)
    if bundle is not None and bundle.scorecard.status == ScorecardStatus.SUBMITTED:
        return AlreadyDone(submitted_summary(context, bundle_values(bundle) or ScorecardValues()))
    return build_scorecard_form(
        kit=context.kit,
        stage_key=context.interview.stage_key,
        interview_id=interview_id,
        candidate_name=context.candidate_name,
        values=bundle_values(bundle),
        owner=user_id,
    )


@dataclass(frozen=True, slots=True)
class FormErrors:
    errors: dict[str, str]


@dataclass(frozen=True, slots=True)
class DraftSaved:
    form: Form


def save_draft(
    store: Store, ws: str, interview_id: int, user_id: str, raw: RawValues, kits: KitSource
) -> DraftSaved | FormErrors | Refusal:
    context = load_context(store, ws, interview_id, kits)
    stage_key = context.interview.stage_key
    values = parse_values(context.kit, stage_key, raw)
    errors = draft_errors(context.kit, stage_key, values)
    if errors:
        return FormErrors(errors)
    try:
        store.save_draft(ws, interview_id, user_id, values_to_input(values))
    except NotAllowed:
        return Refusal(NOT_YOURS)
    except AlreadySubmitted:
        return Refusal("You already submitted this scorecard; it can no longer change.")
    form = build_scorecard_form(
        kit=context.kit,
        stage_key=stage_key,
        interview_id=interview_id,
        candidate_name=context.candidate_name,
        values=values,
        owner=user_id,
    )
    return DraftSaved(form)


@dataclass(frozen=True, slots=True)
class Submitted:
    created_now: bool
    outbound: tuple[Outbound, ...]


def precheck(
    state: InteractionState, user_id: str, raw: RawValues, kits: KitSource
) -> FormErrors | Refusal | None:
    """Check a submission from its form state alone; ``None`` means "looks complete".

    Lets an adapter answer the platform at once (inline errors, or close the form) and
    store the scorecard right after; :func:`submit` then checks everything again against
    the database. Returns ``None`` too when the state lacks what is needed, so the caller
    falls back to checking against the database before answering.
    """
    owner, kit_id, stage_key = (state.ids.get(k) for k in ("owner", "kit", "stage"))
    if not (isinstance(owner, str) and isinstance(kit_id, str) and isinstance(stage_key, str)):
        return None
    if owner != user_id:
        return Refusal(NOT_YOURS)
    kit = kits.get(kit_id)
    errors = submit_errors(kit, stage_key, parse_values(kit, stage_key, raw))
    return FormErrors(errors) if errors else None


def submit(
    store: Store,
    ws: str,
    interview_id: int,
    user_id: str,
    raw: RawValues,
    kits: KitSource,
    now: datetime,
) -> Submitted | FormErrors | Refusal:
    """Validate and store the scorecard once; a repeat sends nothing new."""
    try:
        context = load_context(store, ws, interview_id, kits)
    except NotFound:
        return Refusal("That interview no longer exists; it may have been cancelled.")
    if context.interview.interviewer_id != user_id:
        return Refusal(NOT_YOURS)
    stage_key = context.interview.stage_key
    existing = store.scorecard_for_interview(ws, interview_id)
    if existing is not None and existing.scorecard.status == ScorecardStatus.SUBMITTED:
        return Submitted(created_now=False, outbound=())
    values = parse_values(context.kit, stage_key, raw)
    errors = submit_errors(context.kit, stage_key, values)
    if errors:
        return FormErrors(errors)
    try:
        _, created = store.submit_scorecard(ws, interview_id, user_id, values_to_input(values), now)
    except NotAllowed:
        return Refusal(NOT_YOURS)
    if not created:
        return Submitted(created_now=False, outbound=())
    store.cancel_timers(ws, interview_id)
    confirmation = Outbound(
        key=f"{ws}:interview:{interview_id}:submitted",
        recipient=Recipient.user(user_id),
        message=submitted_summary(context, values),
    )
    return Submitted(created_now=True, outbound=(confirmation,))


def submitted_summary(context: InterviewContext, values: ScorecardValues) -> Message:
    """The interviewer's own card, read back, with the button to see colleagues' cards."""
    kit = context.kit
    stage = kit.stage(context.interview.stage_key)
    facts = tuple(
        Fact(kit.competency(c).name, kit.scale_level(values.ratings[c]).label)
        for c in stage.competencies
        if c in values.ratings
    )
    recommendation = (
        kit.recommendation_level(values.recommendation).label if values.recommendation else "none"
    )
    interview_id = require_id(context.interview)
    return Message(
        kind=MessageKind.CONFIRMATION,
        title=f"Scorecard submitted: {context.candidate_name}",
        summary=f"Thanks! Your {stage.title} scorecard for {context.candidate_name} is in.",
        sections=(
            Section(
                text=f"{stage.title} · overall: {recommendation}",
                facts=facts,
                bullets=tuple(f"Red flag: {flag}" for flag in values.red_flags),
            ),
        ),
        actions=(
            Action(
                ActionId.VIEW_SCORECARDS,
                "See the panel's scorecards",
                encode_state("panel_cards", interview=interview_id),
            ),
        ),
        tone=Tone.GOOD,
        footer="Submitted scorecards are final. Colleagues' scorecards are now visible to you.",
    )


def others_scorecards(
    store: Store, ws: str, interview_id: int, user_id: str, kits: KitSource, name_of: NameOf
) -> Message | Refusal:
    """Colleagues' submitted scorecards, only once the asker has submitted their own."""
    context = load_context(store, ws, interview_id, kits)
    if context.interview.interviewer_id != user_id:
        return Refusal(NOT_YOURS)
    panel_id = context.interview.panel_id
    if not store.has_submitted(ws, panel_id, user_id):
        return Refusal(
            "Submit your own scorecard first. Colleagues' scorecards stay hidden until "
            "then, so that everyone rates independently."
        )
    kit = context.kit
    sections = []
    for bundle in store.scorecards_for_panel(ws, panel_id, submitted_only=True):
        if bundle.scorecard.interviewer_id == user_id:
            continue
        stage = kit.stage(bundle.interview.stage_key)
        card = bundle.scorecard
        sections.append(
            Section(
                heading=f"{stage.title} · {name_of(card.interviewer_id)}",
                text="Overall: "
                + (kit.recommendation_level(card.recommendation.value).label
                   if card.recommendation else "none"),
                bullets=tuple(
                    f"{kit.competency(r.competency_id).name}: {kit.scale_level(r.level).label}"
                    + (f": {r.note}" if r.note else "")
                    for r in bundle.ratings
                )
                + tuple(f"Red flag: {flag}" for flag in card.red_flags),
            )
        )
    if not sections:
        sections.append(Section(text="No colleague has submitted a scorecard yet."))
    return Message(
        kind=MessageKind.NOTICE,
        title=f"Panel scorecards: {context.candidate_name}",
        summary=f"Submitted scorecards for {context.candidate_name}.",
        sections=tuple(sections),
    )


def pending_for(store: Store, ws: str, user_id: str, now: datetime) -> list[Interview]:
    """The user's ended interviews still waiting for their scorecard."""
    return store.interviews_awaiting_feedback(ws, now, user_id=user_id)

"""Let panelbot find the loop: candidate windows in, three proposed loops out, one chosen.

Step one asks for the candidate's name and availability; step two shows the solver's best
three options with their one-line reasons (or what blocks any loop); choosing one creates
the loop exactly as if the recruiter had picked those people and times by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from flows.loops import LoopPlan, PlannedInterview, double_bookings
from flows.messages import Choice, ChoiceInput, DateTimeInput, Form, FormKind, Section, TextInput
from flows.profiles import booked_intervals, pool_from_profiles
from flows.scheduling.model import Interval, Interviewer, LoopRequest, Proposal
from flows.scheduling.solver import propose
from flows.scorecard import RawValues
from flows.state import InteractionState, encode_state
from flows.timefmt import format_slot
from rubrics.schema import Kit
from storage.models import Requisition
from storage.repository import Store, require_id

CANDIDATE_INPUT = "candidate"
OPTION_INPUT = "option"
WINDOWS = 3


def window_inputs(index: int) -> tuple[str, str]:
    return f"window{index}__start", f"window{index}__end"


def auto_panel_form(requisition: Requisition, kit: Kit) -> Form:
    inputs: list[TextInput | DateTimeInput] = [
        TextInput(CANDIDATE_INPUT, "Candidate name", multiline=False, max_length=200,
                  required=True, placeholder="e.g. Priya Raman"),
    ]
    for index in range(1, WINDOWS + 1):
        start, end = window_inputs(index)
        inputs.append(DateTimeInput(start, f"Candidate free from ({index})", required=index == 1))
        inputs.append(DateTimeInput(end, f"until ({index})", required=index == 1))
    return Form(
        kind=FormKind.AUTO_PANEL,
        title="Find loop times",
        submit_label="Find times",
        close_label="Cancel",
        state=encode_state("panel_auto", requisition=require_id(requisition)),
        intro=(Section(
            heading=f"{requisition.title} · {len(kit.stages)} stages",
            text="When is the candidate free? panelbot proposes the earliest loops that fit "
            "every interviewer's calendar, working hours and limits, spreading the load.",
        ),),
        inputs=tuple(inputs),
    )


def parse_windows(raw: RawValues, now: datetime) -> tuple[str, list[Interval], dict[str, str]]:
    """Candidate name and availability windows, or inline errors by input id."""
    errors: dict[str, str] = {}
    name = str(raw.get(CANDIDATE_INPUT) or "").strip()
    if not name:
        errors[CANDIDATE_INPUT] = "Enter the candidate's name."
    windows: list[Interval] = []
    for index in range(1, WINDOWS + 1):
        start_id, end_id = window_inputs(index)
        start, end = raw.get(start_id), raw.get(end_id)
        if not start and not end:
            if index == 1:
                errors[start_id] = "Give at least one window when the candidate is free."
            continue
        if not start or not end:
            errors[end_id if start else start_id] = "Give both the start and the end."
            continue
        begin = datetime.fromtimestamp(int(str(start)), tz=now.tzinfo)
        finish = datetime.fromtimestamp(int(str(end)), tz=now.tzinfo)
        if finish <= begin:
            errors[end_id] = "The window must end after it starts."
        elif finish <= now:
            errors[end_id] = "This window is already over."
        else:
            windows.append(Interval(max(begin, now), finish))
    return name, windows, errors


def qualified_pool(
    store: Store, ws: str, requisition: Requisition, kit: Kit, now: datetime
) -> list[Interviewer]:
    """Interviewers with a profile qualified for any stage of the kit, with their bookings."""
    profiles = [
        p for p in store.profiles(ws, requisition.platform) if p.qualified.get(kit.id)
    ]
    bookings = booked_intervals(store, ws, [p.user_id for p in profiles], after=now)
    return pool_from_profiles(profiles, bookings)


def solve(kit: Kit, windows: Sequence[Interval], pool: Sequence[Interviewer],
          busy: Mapping[str, Sequence[Interval]]) -> Proposal:
    return propose(LoopRequest.for_kit(kit, windows), pool, busy)


def encode_option(option_interviews: Sequence[tuple[str, str, datetime]]) -> str:
    """``stage|user|epoch`` per interview, ``;``-joined: small enough for form state."""
    return ";".join(f"{stage}|{user}|{int(start.timestamp())}" for stage, user, start in option_interviews)


def options_form(
    *, requisition: Requisition, kit: Kit, candidate: str, proposal: Proposal, viewer_tz: str
) -> Form:
    """The solver's options as one choice; each option's state travels in the form."""
    choices = []
    encoded: dict[str, str | int] = {}
    for index, option in enumerate(proposal.options, start=1):
        lines = "; ".join(
            f"{kit.stage(i.stage).title} {format_slot(i.start, i.end, viewer_tz)}"
            for i in option.interviews
        )
        choices.append(Choice(str(index), f"Option {index}", f"{option.reason} · {lines}"))
        encoded[f"o{index}"] = encode_option([(i.stage, i.interviewer, i.start) for i in option.interviews])
    return Form(
        kind=FormKind.AUTO_PANEL,
        title="Pick a loop",
        submit_label="Create loop",
        close_label="Cancel",
        state=encode_state("panel_auto_pick", requisition=require_id(requisition),
                           candidate=candidate, **encoded),
        intro=(Section(heading=f"{candidate} · {requisition.title}",
                       text="Best first. Times are in your zone; each interviewer is invited "
                       "in theirs."),),
        inputs=(ChoiceInput(OPTION_INPUT, "Proposed loops", tuple(choices),
                            initial="1" if choices else None),),
    )


def chosen_plan(
    state: InteractionState, raw: RawValues, kit: Kit, store: Store, ws: str, now: datetime
) -> tuple[LoopPlan | None, dict[str, str]]:
    """The option the recruiter picked, re-checked against bookings made meanwhile."""
    picked = str(raw.get(OPTION_INPUT) or "")
    text = state.ids.get(f"o{picked}")
    if not isinstance(text, str):
        return None, {OPTION_INPUT: "Pick one of the proposed loops."}
    interviews = []
    for part in text.split(";"):
        stage, user, epoch = part.split("|")
        start = datetime.fromtimestamp(int(epoch), tz=now.tzinfo)
        duration = timedelta(minutes=kit.stage(stage).duration_minutes)
        interviews.append(PlannedInterview(stage, user, start, start + duration))
    if any(item.starts_at <= now for item in interviews):
        return None, {OPTION_INPUT: "This option has started already; run /panel auto again."}
    clashes = double_bookings(kit, interviews, store, ws, now)
    if clashes:
        return None, {OPTION_INPUT: "Someone was booked meanwhile; run /panel auto again."}
    return LoopPlan(candidate_name=state.text("candidate"), interviews=tuple(interviews)), {}

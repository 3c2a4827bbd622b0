"""Open a requisition from chat: title, kit, hiring channel, hiring managers, recruiters.

Recruiters open requisitions. In a workspace with none yet, the first person to do so
bootstraps it (and must list themselves as a recruiter, so someone can run loops).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from flows.messages import ChannelInput, Choice, ChoiceInput, Form, FormKind, TextInput, UserInput
from flows.outbound import Refusal
from flows.scorecard import RawValues
from flows.state import encode_state
from rubrics.schema import Kit
from storage.enums import MemberRole
from storage.inputs import RequisitionCreate
from storage.models import Requisition
from storage.repository import Store

TITLE_INPUT = "title"
LEVEL_INPUT = "level"
KIT_INPUT = "kit"
CHANNEL_INPUT = "channel"
MANAGERS_INPUT = "hiring_managers"
RECRUITERS_INPUT = "recruiters"

ONLY_RECRUITERS = (
    "Only recruiters open requisitions. Ask a recruiter of an existing requisition, "
    "or an admin (`panelbot requisition create`)."
)


def may_open_requisition(store: Store, ws: str, user_id: str) -> bool:
    if store.requisitions_for_user(ws, user_id, MemberRole.RECRUITER):
        return True
    return not store.list_requisitions(ws)


def requisition_form(kits: Sequence[Kit], *, user_id: str) -> Form:
    return Form(
        kind=FormKind.NEW_REQUISITION,
        title="New requisition",
        submit_label="Create",
        close_label="Cancel",
        state=encode_state("requisition"),
        inputs=(
            TextInput(TITLE_INPUT, "Role title", multiline=False, max_length=200, required=True,
                      placeholder="e.g. Senior Backend Engineer"),
            TextInput(LEVEL_INPUT, "Level", multiline=False, max_length=64,
                      placeholder="e.g. Senior"),
            ChoiceInput(KIT_INPUT, "Rubric kit",
                        choices=tuple(Choice(k.id, k.role, k.description[:75]) for k in kits),
                        initial=kits[0].id if len(kits) == 1 else None),
            ChannelInput(CHANNEL_INPUT, "Hiring channel",
                         hint="Debriefs are posted here; invite panelbot to it."),
            UserInput(MANAGERS_INPUT, "Hiring managers", multiple=True,
                      hint="They read debriefs and decide."),
            UserInput(RECRUITERS_INPUT, "Recruiters", multiple=True, initial=user_id,
                      hint="They create loops and run debriefs."),
        ),
    )


def _list(raw: RawValues, key: str) -> list[str]:
    value = raw.get(key)
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _one(raw: RawValues, key: str) -> str:
    values = _list(raw, key)
    return values[0].strip() if values else ""


_FIELD_INPUTS = {
    "title": TITLE_INPUT, "level": LEVEL_INPUT, "kit_id": KIT_INPUT, "channel_id": CHANNEL_INPUT,
    "hiring_managers": MANAGERS_INPUT, "recruiters": RECRUITERS_INPUT,
}


def open_requisition(
    store: Store, ws: str, user_id: str, raw: RawValues, kits: Sequence[Kit]
) -> Requisition | dict[str, str] | Refusal:
    """Create the requisition, or say what to fix (by input id)."""
    if not may_open_requisition(store, ws, user_id):
        return Refusal(ONLY_RECRUITERS)
    errors: dict[str, str] = {}
    kit_id = _one(raw, KIT_INPUT)
    if kit_id not in {k.id for k in kits}:
        errors[KIT_INPUT] = "Pick a rubric kit."
    recruiters = _list(raw, RECRUITERS_INPUT)
    if user_id not in recruiters and not store.list_requisitions(ws):
        errors[RECRUITERS_INPUT] = "Add yourself: the first requisition needs you as a recruiter."
    for key, what in ((MANAGERS_INPUT, "hiring manager"), (RECRUITERS_INPUT, "recruiter")):
        if not _list(raw, key):
            errors[key] = f"Add at least one {what}."
    if not _one(raw, CHANNEL_INPUT):
        errors[CHANNEL_INPUT] = "Pick the hiring channel."
    if errors:
        return errors
    try:
        data = RequisitionCreate(
            title=_one(raw, TITLE_INPUT), level=_one(raw, LEVEL_INPUT) or None, kit_id=kit_id,
            channel_id=_one(raw, CHANNEL_INPUT), hiring_managers=_list(raw, MANAGERS_INPUT),
            recruiters=recruiters,
        )
    except ValidationError as exc:
        return {
            _FIELD_INPUTS.get(str(e["loc"][0]) if e["loc"] else "", TITLE_INPUT): str(e["msg"])
            for e in exc.errors(include_url=False)
        }
    return store.create_requisition(ws, data, actor_id=user_id)

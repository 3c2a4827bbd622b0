"""Storage test fixtures: a ``Store`` per transaction and a ready-made interview loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.inputs import InterviewPlan, PanelCreate, RequisitionCreate
from storage.repository import Store, require_id

WS = "T_ACME"
OTHER_WS = "T_OTHER"
T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)

OpenStore = Callable[[], AbstractContextManager[Store]]


@pytest.fixture
def stores(engine: Engine) -> OpenStore:
    """``with stores() as store:`` is one committed transaction, like one request."""

    @contextmanager
    def open_store() -> Iterator[Store]:
        with session_scope(engine) as session:
            yield Store(session)

    return open_store


@dataclass(frozen=True)
class Loop:
    """Ids of a requisition with one panel of two interviews (alice, bob)."""

    ws: str
    requisition_id: int
    panel_id: int
    candidate_id: int
    interview_ids: tuple[int, ...]


def _requisition_form(**overrides: object) -> RequisitionCreate:
    fields: dict[str, object] = {
        "title": "Backend Engineer",
        "level": "senior",
        "kit_id": "backend-engineer",
        "channel_id": "C_HIRING",
        "hiring_managers": ["U_HM"],
        "recruiters": ["U_REC"],
    }
    fields.update(overrides)
    return RequisitionCreate.model_validate(fields)


def _make_loop(store: Store, ws: str = WS, *, candidate: str = "Ada Lovelace") -> Loop:
    requisition = store.create_requisition(ws, _requisition_form(), actor_id="U_REC")
    req_id = require_id(requisition)
    panel = store.create_panel(
        ws,
        PanelCreate(
            requisition_id=req_id,
            candidate_name=candidate,
            created_by="U_REC",
            interviews=[
                InterviewPlan(
                    stage_key="system-design",
                    interviewer_id="U_ALICE",
                    starts_at=T0,
                    ends_at=T0 + timedelta(hours=1),
                    interviewer_tz="Europe/Berlin",
                ),
                InterviewPlan(
                    stage_key="coding",
                    interviewer_id="U_BOB",
                    starts_at=T0 + timedelta(hours=2),
                    ends_at=T0 + timedelta(hours=3),
                    interviewer_tz="America/New_York",
                ),
            ],
        ),
    )
    panel_id = require_id(panel)
    interviews = store.panel_interviews(ws, panel_id)
    return Loop(
        ws=ws,
        requisition_id=req_id,
        panel_id=panel_id,
        candidate_id=panel.candidate_id,
        interview_ids=tuple(require_id(i) for i in interviews),
    )


@pytest.fixture
def requisition_form() -> Callable[..., RequisitionCreate]:
    """Build a valid ``RequisitionCreate``, overriding any field."""
    return _requisition_form


@pytest.fixture
def make_loop() -> Callable[..., Loop]:
    """``make_loop(store, ws, candidate=...)`` creates a requisition and a two-interview loop."""
    return _make_loop


@pytest.fixture
def loop(stores: OpenStore) -> Loop:
    """A committed loop in workspace ``T_ACME``: interviews by U_ALICE then U_BOB."""
    with stores() as store:
        return _make_loop(store)

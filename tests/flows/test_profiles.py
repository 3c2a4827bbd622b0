"""Stored profiles feed the solver and the reminder schedule (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from flows.loops import LoopTimings, schedule_interview_timers
from flows.profiles import booked_intervals, interviewer_from, pool_from_profiles, profile_input_of
from flows.scheduling import load_pool
from storage.db import session_scope
from storage.enums import Platform, TimerKind
from storage.inputs import InterviewPlan, PanelCreate, RequisitionCreate
from storage.profile_input import ProfileInput
from storage.repository import Store, require_id

WS = "T_ACME"
# Friday 2030-03-08 16:00 UTC; the interview ends 17:00 UTC.
START = datetime(2030, 3, 8, 16, 0, tzinfo=UTC)
TIMINGS = LoopTimings(timedelta(minutes=30), timedelta(hours=1), 2)


def _loop(store: Store, interviewer: str) -> int:
    requisition = store.create_requisition(
        WS,
        RequisitionCreate(title="SRE", kit_id="sre", channel_id="C1",
                          hiring_managers=["U_HM"], recruiters=["U_REC"]),
        actor_id="U_REC",
    )
    panel = store.create_panel(
        WS,
        PanelCreate(
            requisition_id=require_id(requisition), candidate_name="Priya", created_by="U_REC",
            interviews=[InterviewPlan(stage_key="coding", interviewer_id=interviewer,
                                      starts_at=START, ends_at=START + timedelta(hours=1))],
        ),
    )
    return require_id(panel)


def _reminders(store: Store, panel_id: int) -> list[datetime]:
    interview = store.panel_interviews(WS, panel_id)[0]
    schedule_interview_timers(store, WS, interview, TIMINGS, START - timedelta(days=1))
    timers = store.timers_for_interview(WS, require_id(interview))
    return sorted(t.due_at for t in timers if t.kind == TimerKind.REMINDER)


def test_reminders_follow_the_profile_hours_else_the_default(engine: Engine) -> None:
    with session_scope(engine) as session:
        store = Store(session)
        default = _reminders(store, _loop(store, "U_DEFAULT"))
        # Works Saturdays only, 10:00-12:00 in Tokyo (UTC+9): 01:00 UTC.
        store.upsert_profile(WS, Platform.SLACK, "U_SAT", ProfileInput(
            display_name="Sat", tz="Asia/Tokyo", work_start="10:00", work_end="12:00", weekdays="sat",
        ))
        custom = _reminders(store, _loop(store, "U_SAT"))
    # Default: 18:00 UTC Friday is outside 09:00-18:00, so Monday 09:00 UTC.
    assert default[0] == datetime(2030, 3, 11, 9, 0, tzinfo=UTC)
    assert custom == [
        datetime(2030, 3, 9, 1, 0, tzinfo=UTC),
        datetime(2030, 3, 16, 1, 0, tzinfo=UTC),
    ]


def test_profiles_become_solver_interviewers_with_bookings(engine: Engine) -> None:
    pool = load_pool(Path(__file__).parents[1] / "fixtures/scheduling/pool.yaml")
    person = pool.interviewers[0]
    with session_scope(engine) as session:
        store = Store(session)
        store.upsert_profile(WS, Platform.SLACK, person.id, profile_input_of(person, base_dir=pool.base_dir))
        panel = _loop(store, person.id)
        assert panel
        profiles = store.profiles(WS, Platform.SLACK)
        booked = booked_intervals(store, WS, [person.id], after=START)
        solver_pool = pool_from_profiles(profiles, booked)
    (back,) = solver_pool
    assert (back.id, back.name, back.hours, back.qualified, back.trainee) == (
        person.id, person.name, person.hours, person.qualified, person.trainee
    )
    assert back.blocks == person.blocks
    assert [(b.start, b.end) for b in back.bookings] == [(START, START + timedelta(hours=1))]
    assert interviewer_from(profiles[0]).hours.start == person.hours.start != time(0)

"""The database itself refuses bad rows, whoever writes them (raw SQL here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError

from storage.db import session_scope
from storage.models import Interview
from storage.repository import Store

TS = "'2030-03-04 09:00:00'"


def _raw(engine: Engine, sql: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(sql))


def _scorecard_sql(interview_id: int, status: str = "draft") -> str:
    return (
        "INSERT INTO scorecard (workspace_id, interview_id, interviewer_id, status, red_flags,"
        f" created_at, updated_at) VALUES ('T_ACME', {interview_id}, 'U_ALICE', '{status}',"
        f" '[]', {TS}, {TS})"
    )


def _delivery_sql(key: str, platform: str = "slack") -> str:
    return (
        "INSERT INTO delivery (workspace_id, idempotency_key, platform, kind, recipient,"
        " payload, status, attempts, created_at) VALUES"
        f" ('T_ACME', '{key}', '{platform}', 'briefing', 'U_ALICE', '{{}}', 'pending', 0, {TS})"
    )


def test_one_scorecard_per_interview(engine: Engine, loop: Any) -> None:
    interview_id = loop.interview_ids[0]
    _raw(engine, _scorecard_sql(interview_id))
    with pytest.raises(IntegrityError):
        _raw(engine, _scorecard_sql(interview_id))


def test_delivery_key_is_unique(engine: Engine) -> None:
    _raw(engine, _delivery_sql("briefing:1"))
    with pytest.raises(IntegrityError):
        _raw(engine, _delivery_sql("briefing:1"))


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param(_delivery_sql("k", platform="discord"), id="delivery.platform"),
        pytest.param(
            "INSERT INTO requisition_member (workspace_id, requisition_id, user_id, role)"
            " VALUES ('T_ACME', $REQ, 'U_X', 'admin')",
            id="requisition_member.role",
        ),
        pytest.param(
            "INSERT INTO panel (workspace_id, candidate_id, requisition_id, status, created_by,"
            f" created_at) VALUES ('T_ACME', $CAND, $REQ, 'SCHEDULED', 'U', {TS})",
            id="panel.status-by-member-name",
        ),
    ],
)
def test_invalid_enum_value_is_rejected_by_the_database(
    engine: Engine, loop: Any, sql: str
) -> None:
    filled = sql.replace("$REQ", str(loop.requisition_id)).replace("$CAND", str(loop.candidate_id))
    with pytest.raises(IntegrityError):
        _raw(engine, filled)


def test_invalid_scorecard_status_is_rejected(engine: Engine, loop: Any) -> None:
    with pytest.raises(IntegrityError):
        _raw(engine, _scorecard_sql(loop.interview_ids[0], status="final"))


def test_interview_must_end_after_it_starts(engine: Engine, loop: Any) -> None:
    sql = (
        "INSERT INTO interview (workspace_id, panel_id, stage_key, interviewer_id, starts_at,"
        " ends_at, status, interviewer_tz) VALUES ('T_ACME', {panel}, 'coding', 'U_BOB',"
        f" {TS}, {TS}, 'scheduled', 'UTC')"
    )
    with pytest.raises(IntegrityError):
        _raw(engine, sql.format(panel=loop.panel_id))


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError):
        _raw(
            engine,
            "INSERT INTO candidate (workspace_id, requisition_id, name, created_at)"
            f" VALUES ('T_ACME', 999999, 'Nobody', {TS})",
        )


def test_naive_datetime_is_refused(engine: Engine, loop: Any) -> None:
    naive = datetime(2030, 3, 4, 9, 0)
    with pytest.raises(StatementError, match="naive datetime"), session_scope(engine) as session:
        session.add(
            Interview(
                workspace_id="T_ACME",
                panel_id=loop.panel_id,
                stage_key="coding",
                interviewer_id="U_BOB",
                starts_at=naive,
                ends_at=naive + timedelta(hours=1),
            )
        )
        session.flush()


def test_aware_datetime_round_trips_as_utc(engine: Engine, loop: Any) -> None:
    kolkata = datetime(2030, 6, 1, 14, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Kolkata"))
    with session_scope(engine) as session:
        row = Interview(
            workspace_id="T_ACME",
            panel_id=loop.panel_id,
            stage_key="coding",
            interviewer_id="U_CAROL",
            starts_at=kolkata,
            ends_at=kolkata + timedelta(minutes=45),
        )
        session.add(row)
        session.flush()
        row_id = row.id
    with session_scope(engine) as session:
        back = Store(session).get_interview("T_ACME", row_id or 0)
    assert back.starts_at == kolkata
    assert back.starts_at.tzinfo is not None and back.starts_at.utcoffset() == timedelta(0)
    assert back.starts_at.hour == 9 and back.starts_at.microsecond == 123456


def test_time_filters_compare_instants_not_wall_clocks(engine: Engine, loop: Any) -> None:
    # 09:00 UTC is 10:00 in Berlin (winter); "after 10:00 Berlin" must include it.
    after = datetime(2030, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    with session_scope(engine) as session:
        found = Store(session).interviews_for_user("T_ACME", "U_ALICE", after=after)
    assert [i.stage_key for i in found] == ["system-design"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    when=st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.sampled_from(
            [
                UTC,
                ZoneInfo("Pacific/Kiritimati"),
                ZoneInfo("America/St_Johns"),
                ZoneInfo("Asia/Kathmandu"),
            ]
        ),
    )
)
def test_any_aware_instant_survives_storage(engine: Engine, loop: Any, when: datetime) -> None:
    with session_scope(engine) as session:
        row = Interview(
            workspace_id="T_ACME",
            panel_id=loop.panel_id,
            stage_key="prop",
            interviewer_id="U_PROP",
            starts_at=when,
            # Add in UTC: wall-clock arithmetic across a DST fold can go backwards.
            ends_at=when.astimezone(UTC) + timedelta(seconds=1),
        )
        session.add(row)
        session.flush()
        row_id = row.id or 0
    with session_scope(engine) as session:
        back = Store(session).get_interview("T_ACME", row_id)
    # Compare as UTC: instants in a DST fold never compare equal across zones.
    assert back.starts_at == when.astimezone(UTC)
    assert back.starts_at.utcoffset() == timedelta(0)

"""Migrations: from empty to head and back, and the models never drift from them."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from storage import migrate
from storage.db import make_engine

APP_TABLES = {table.name for table in SQLModel.metadata.sorted_tables}
# Tables later migrations create: drift below 0004 that the column checks ignore.
LATER_TABLES = {"interviewer_profile"}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_every_model_table_is_known() -> None:
    assert {
        "requisition",
        "requisition_member",
        "candidate",
        "panel",
        "interview",
        "scorecard",
        "rating",
        "decision",
        "audit_event",
        "delivery",
        "person",
        "timer",
        "conversation_ref",
        "interviewer_profile",
    } == APP_TABLES


def test_upgrade_empty_database_to_head_then_downgrade_to_base(db_url: str) -> None:
    assert migrate.current(db_url) is None
    assert _tables(db_url) == set()

    migrate.upgrade(db_url)
    assert migrate.current(db_url) == migrate.head()
    assert _tables(db_url) == APP_TABLES | {"alembic_version"}
    assert migrate.autogenerate_check(db_url) == []

    migrate.downgrade(db_url, "base")
    assert migrate.current(db_url) is None
    assert _tables(db_url) - {"alembic_version"} == set()

    # And back up again: the downgrade left nothing behind that blocks a fresh upgrade.
    migrate.upgrade(db_url)
    assert migrate.current(db_url) == migrate.head()


def test_people_and_timers_step_up_and_down_over_existing_data(db_url: str) -> None:
    """0002 adds its tables next to 0001's rows and takes only its own tables away."""
    migrate.upgrade(db_url, "0001")
    assert migrate.autogenerate_check(db_url) != []  # the models are ahead of 0001
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO requisition (workspace_id, title, kit_id, channel_id, created_at)"
                    " VALUES ('T_ACME', 'SRE', 'sre', 'C1', '2030-03-04 09:00:00')"
                )
            )
        migrate.upgrade(db_url, "0002")
        assert {"person", "timer", "conversation_ref"} <= _tables(db_url)
        # Only what 0003 (and 0004, a new table) adds is still missing.
        assert _drift_columns(db_url) == [("requisition", "platform")]
        migrate.downgrade(db_url, "0001")
        assert migrate.current(db_url) == "0001"
        assert _tables(db_url) == APP_TABLES - {"person", "timer", "conversation_ref"} - LATER_TABLES | {
            "alembic_version"
        }
        with engine.connect() as conn:
            count = conn.execute(sa.text("SELECT COUNT(*) FROM requisition")).scalar_one()
        assert count == 1
    finally:
        engine.dispose()
    migrate.upgrade(db_url)
    assert migrate.current(db_url) == migrate.head() == "0004"


def _table_of(item: sa.Table | sa.Index) -> str:
    return item.name if isinstance(item, sa.Table) else str(item.table.name)  # type: ignore[union-attr]


def _drift_columns(url: str) -> list[tuple[str, str]]:
    """(table, column) of every column the models have and the database lacks."""
    found = []
    for diff in migrate.autogenerate_check(url):
        if diff[0] == "add_column":
            found.append((diff[2], diff[3].name))
        elif diff[0] in {"add_table", "add_index"} and _table_of(diff[1]) in LATER_TABLES:
            continue
        elif diff[0] != "add_constraint":  # the column's CHECK comes with it
            raise AssertionError(f"unexpected drift: {diff}")
    return found


def _platforms(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT title, platform FROM requisition")).all()
        return {str(title): str(platform) for title, platform in rows}
    finally:
        engine.dispose()


def _insert_requisition(url: str, title: str, platform: str | None = None) -> None:
    columns = "workspace_id, title, kit_id, channel_id, created_at"
    values = f"'T_ACME', '{title}', 'sre', 'C1', '2030-03-04 09:00:00'"
    if platform is not None:
        columns += ", platform"
        values += f", '{platform}'"
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"INSERT INTO requisition ({columns}) VALUES ({values})"))
    finally:
        engine.dispose()


def test_requisition_platform_steps_up_and_down_over_existing_data(db_url: str) -> None:
    """0003 gives existing requisitions 'slack', refuses unknown platforms, and goes back."""
    migrate.upgrade(db_url, "0002")
    _insert_requisition(db_url, "SRE")

    migrate.upgrade(db_url, "0003")
    assert _drift_columns(db_url) == []
    assert _platforms(db_url) == {"SRE": "slack"}
    _insert_requisition(db_url, "Data", "teams")
    _insert_requisition(db_url, "Ops")  # an older replica that does not know the column
    assert _platforms(db_url) == {"SRE": "slack", "Data": "teams", "Ops": "slack"}
    with pytest.raises(sa.exc.IntegrityError):
        _insert_requisition(db_url, "Chat", "discord")

    migrate.downgrade(db_url, "0002")
    assert migrate.current(db_url) == "0002"
    engine = make_engine(db_url)
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("requisition")}
        with engine.connect() as conn:
            count = conn.execute(sa.text("SELECT COUNT(*) FROM requisition")).scalar_one()
    finally:
        engine.dispose()
    assert "platform" not in columns
    assert count == 3

    migrate.upgrade(db_url)
    assert _platforms(db_url) == {"SRE": "slack", "Data": "slack", "Ops": "slack"}


def test_interviewer_profiles_step_up_and_down_over_existing_data(db_url: str) -> None:
    """0004 adds its table beside existing rows, refuses bad values, and drops only itself."""
    migrate.upgrade(db_url, "0003")
    _insert_requisition(db_url, "SRE", "slack")
    migrate.upgrade(db_url, "0004")
    assert migrate.autogenerate_check(db_url) == []
    engine = make_engine(db_url)
    columns = (
        "workspace_id, platform, user_id, display_name, tz, work_start, work_end, weekdays,"
        " max_per_day, max_per_week, qualified, trainee, blocks, updated_at"
    )

    def insert(platform: str, per_day: int) -> None:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"INSERT INTO interviewer_profile ({columns}) VALUES ('T_ACME', :p, 'U1', 'Ana',"
                    " 'UTC', '09:00', '17:00', 'mon-fri', :d, 8, '{}', false, '[]',"
                    " '2030-03-04 09:00:00')"
                ),
                {"p": platform, "d": per_day},
            )

    try:
        insert("slack", 2)
        with pytest.raises(sa.exc.IntegrityError):
            insert("slack", 2)  # one profile per (workspace, platform, user)
        with pytest.raises(sa.exc.IntegrityError):
            insert("discord", 2)
        with pytest.raises(sa.exc.IntegrityError):
            insert("teams", -1)
    finally:
        engine.dispose()
    migrate.downgrade(db_url, "0003")
    assert "interviewer_profile" not in _tables(db_url)
    assert _platforms(db_url) == {"SRE": "slack"}
    migrate.upgrade(db_url)
    assert migrate.current(db_url) == "0004"


def test_upgrade_twice_is_harmless(db_url: str) -> None:
    migrate.upgrade(db_url)
    migrate.upgrade(db_url)
    assert migrate.current(db_url) == migrate.head()


def test_migrations_are_found_from_any_working_directory(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    migrate.upgrade(db_url)
    assert migrate.current(db_url) == migrate.head()


def test_autogenerate_check_reports_drift(db_url: str) -> None:
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP INDEX ix_delivery_status_next_attempt_at"))
    finally:
        engine.dispose()
    diffs = migrate.autogenerate_check(db_url)
    assert [d[0] for d in diffs] == ["add_index"]


def test_foreign_tables_are_not_reported_as_drift(db_url: str) -> None:
    """A scheduler's job table living in the same database is not ours to drop."""
    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE apscheduler_jobs (id VARCHAR(191) PRIMARY KEY)"))
    finally:
        engine.dispose()
    assert migrate.autogenerate_check(db_url) == []

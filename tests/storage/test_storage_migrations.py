"""Migrations: from empty to head and back, and the models never drift from them."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from storage import migrate
from storage.db import make_engine

APP_TABLES = {table.name for table in SQLModel.metadata.sorted_tables}


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

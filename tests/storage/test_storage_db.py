"""Engine and session setup."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.db import default_database_url, make_engine, normalize_url, session_scope
from storage.inputs import RequisitionCreate
from storage.repository import Store


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgres://u:p@db:5432/app", "postgresql+psycopg"),
        ("postgresql://u@db/app", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg"),
        ("postgresql+psycopg2://u@db/app", "postgresql+psycopg2"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_urls_point_at_psycopg(given: str, driver: str) -> None:
    assert normalize_url(given).drivername == driver


def test_default_url_is_a_file_in_the_working_directory() -> None:
    assert default_database_url() == "sqlite:///panelbot.db"


def test_sqlite_file_engine_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'p.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_sqlite_memory_engine_shares_one_database() -> None:
    engine = make_engine("sqlite://")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (a INTEGER)")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM t").scalar() == 0
    finally:
        engine.dispose()


def test_session_scope_rolls_back_on_error(engine: Engine) -> None:
    form = RequisitionCreate(
        title="Data Engineer",
        kit_id="data",
        channel_id="C1",
        hiring_managers=["U1"],
        recruiters=["U2"],
    )
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        Store(session).create_requisition("T_ACME", form)
        raise RuntimeError("boom")
    with session_scope(engine) as session:
        assert Store(session).list_requisitions("T_ACME") == []
        assert (
            session.exec(sa.select(sa.func.count()).select_from(sa.table("audit_event"))).one()[0]
            == 0
        )


def test_rows_stay_readable_after_the_scope(engine: Engine) -> None:
    form = RequisitionCreate(
        title="SRE", kit_id="sre", channel_id="C1", hiring_managers=["U1"], recruiters=["U2"]
    )
    with session_scope(engine) as session:
        requisition = Store(session).create_requisition("T_ACME", form)
    assert requisition.title == "SRE" and requisition.id is not None
    assert requisition.created_at.tzinfo is not None

"""Engines and sessions for SQLite (one box) and PostgreSQL (several replicas).

The two backends need different care:

* **SQLite** — Python's ``sqlite3`` (before 3.12's ``autocommit``) does not emit BEGIN
  before SELECT, DDL or SAVEPOINT, which breaks savepoints (``begin_nested``, used by the
  delivery ledger) and transactional migrations. We take over transaction control and
  emit ``BEGIN IMMEDIATE``: SQLite allows one writer, so taking the write lock up front
  makes read-then-write sequences (idempotent submit, first decision wins) queue behind
  each other instead of failing half-way with ``database is locked``. Keep sessions
  short and never hold one across a network call. Foreign keys are off by default in
  SQLite and are switched on per connection; file databases use WAL so readers outside
  a transaction do not block the writer.
* **PostgreSQL** — always through psycopg 3; ``postgres://`` and ``postgresql://`` URLs
  (what hosting providers hand out) are rewritten to ``postgresql+psycopg://``.
  ``pool_pre_ping`` survives database restarts and idle-connection reaping by load
  balancers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

__all__ = [
    "default_database_url",
    "make_engine",
    "normalize_url",
    "session_scope",
]

logger = logging.getLogger(__name__)

DEFAULT_DB_FILENAME = "panelbot.db"
SQLITE_BUSY_TIMEOUT_S = 15.0


def default_database_url() -> str:
    """``sqlite:///panelbot.db``: a SQLite file in the current working directory."""
    return f"sqlite:///{DEFAULT_DB_FILENAME}"


def normalize_url(url: str | URL) -> URL:
    """Parse ``url`` and point bare PostgreSQL URLs at the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _is_sqlite_memory(url: URL) -> bool:
    database = url.database or ""
    return database in {"", ":memory:"} or database.startswith("file::memory:")


def make_engine(
    url: str | URL,
    *,
    sqlite_foreign_keys: bool = True,
    echo: bool = False,
    **engine_kwargs: Any,
) -> Engine:
    """Create an engine configured for panelbot's transaction and time-zone rules.

    ``sqlite_foreign_keys=False`` exists for migrations only: SQLite's batch mode
    recreates tables, which must not cascade into referencing rows.
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, foreign_keys=sqlite_foreign_keys, echo=echo, **engine_kwargs)
    engine_kwargs.setdefault("pool_pre_ping", True)
    engine = sa.create_engine(parsed, echo=echo, **engine_kwargs)
    logger.debug("storage.engine.created", extra={"backend": parsed.get_backend_name()})
    return engine


def _sqlite_engine(url: URL, *, foreign_keys: bool, echo: bool, **engine_kwargs: Any) -> Engine:
    memory = _is_sqlite_memory(url)
    connect_args: dict[str, Any] = {
        "check_same_thread": False,
        "timeout": SQLITE_BUSY_TIMEOUT_S,
        **engine_kwargs.pop("connect_args", {}),
    }
    if memory:
        # One shared connection, or every pooled connection would see its own empty DB.
        engine_kwargs.setdefault("poolclass", StaticPool)
    else:
        Path(url.database or DEFAULT_DB_FILENAME).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, echo=echo, connect_args=connect_args, **engine_kwargs)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand BEGIN over to SQLAlchemy (see the module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    def on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "begin", on_begin)
    logger.debug("storage.engine.created", extra={"backend": "sqlite", "memory": memory})
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit if the block succeeds, roll back if it raises.

    ``expire_on_commit=False`` keeps returned rows readable after the block ends,
    so callers can render messages from them without a live session (and without
    surprise lazy reloads).
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

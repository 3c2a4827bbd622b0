"""Schema migrations, callable from code (``panelbot db upgrade`` and the tests).

Alembic is configured programmatically and finds its scripts as package data of
``storage.migrations`` (through ``importlib.resources``), so this works from an
installed wheel in any working directory; there is no ``alembic.ini``. The lookup
goes through ``storage.migrations`` (a regular package) rather than ``storage``: a
``tests/storage`` folder on ``sys.path`` can shadow the top-level name as a
namespace package, but not its subpackage.

Each call opens its own engine on ``url`` and runs in one transaction:

* on PostgreSQL DDL is transactional, and a transaction-scoped advisory lock makes
  replicas that start at the same moment migrate one after another instead of racing;
* on SQLite foreign keys are switched off for the migration (batch mode recreates
  tables) and checked with ``PRAGMA foreign_key_check`` before committing.
"""

from __future__ import annotations

import logging
from importlib import resources
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.columns import UTCDateTime
from storage.db import make_engine

__all__ = [
    "autogenerate_check",
    "context_options",
    "current",
    "downgrade",
    "head",
    "make_revision",
    "script_location",
    "target_metadata",
    "upgrade",
]

logger = logging.getLogger(__name__)

# Arbitrary constant shared by every panelbot process: "a migration is running".
_PG_MIGRATION_LOCK = 0x70616E656C626F74  # b"panelbot"


def script_location() -> str:
    """The directory holding ``env.py`` and ``versions/``, wherever panelbot is installed."""
    return str(resources.files("storage.migrations"))


def target_metadata() -> sa.MetaData:
    """The metadata migrations are compared against: every panelbot table."""
    return SQLModel.metadata


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    # Tables panelbot does not own (e.g. a scheduler's job store in the same database)
    # are neither dropped by autogenerate nor reported as drift.
    return not (type_ == "table" and reflected and compare_to is None)


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render our column types as plain SQLAlchemy types in migration scripts.

    A migration must keep working when application code changes, so it should not
    import ``storage.columns``; the database only ever sees the underlying types.
    """
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, AutoString):
        length = obj.impl.length if isinstance(obj.impl, sa.String) else None
        return f"sa.String(length={length})" if length else "sa.String()"
    return False


def context_options(dialect_name: str) -> dict[str, Any]:
    """Options shared by the migration environment and :func:`autogenerate_check`."""
    return {
        "render_as_batch": dialect_name == "sqlite",
        # Our SQLite engine emits BEGIN itself, so DDL there is transactional too.
        "transactional_ddl": True,
        "compare_type": True,
        "compare_server_default": False,
        "include_object": _include_object,
        "render_item": _render_item,
        # Also report CHECK constraints (enum values, invariants) added or removed by name.
        "autogenerate_plugins": ["alembic.autogenerate.*", "alembic.ext.checkconstraint_byname"],
    }


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _run(url: str | URL, action: str, revision: str) -> None:
    engine = make_engine(url, sqlite_foreign_keys=False)
    try:
        with engine.begin() as conn:
            dialect = conn.dialect.name
            if dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            before = MigrationContext.configure(conn).get_current_revision()
            cfg = _config(conn)
            if action == "upgrade":
                command.upgrade(cfg, revision)
            else:
                command.downgrade(cfg, revision)
            if dialect == "sqlite":
                _check_sqlite_foreign_keys(conn)
            after = MigrationContext.configure(conn).get_current_revision()
        logger.info(
            f"storage.migrate.{action}",
            extra={"dialect": dialect, "from_revision": before, "to_revision": after},
        )
    finally:
        engine.dispose()


def _check_sqlite_foreign_keys(conn: Connection) -> None:
    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(
            f"migration left {len(problems)} rows with broken foreign keys "
            f"(first: table={problems[0][0]} rowid={problems[0][1]}); rolled back"
        )


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision`` (creating it if it is empty)."""
    _run(url, "upgrade", revision)


def downgrade(url: str | URL, revision: str) -> None:
    """Take the database at ``url`` down to ``revision`` (``"base"`` drops every table)."""
    _run(url, "downgrade", revision)


def current(url: str | URL) -> str | None:
    """The revision the database is at, or ``None`` if it was never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head() -> str:
    """The newest revision shipped with this version of panelbot."""
    heads = ScriptDirectory.from_config(_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {heads}")
    return heads[0]


def autogenerate_check(url: str | URL) -> list[Any]:
    """Differences between the models and the database at ``url``; empty means in sync.

    Run against a database at head, a non-empty list means a model changed without
    a migration.
    """
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={**context_options(conn.dialect.name), "target_metadata": None}
            )
            return list(compare_metadata(ctx, target_metadata()))
    finally:
        engine.dispose()


def make_revision(url: str | URL, message: str, rev_id: str | None = None) -> None:
    """Autogenerate a new migration script against a database at head (for developers)."""
    engine = make_engine(url, sqlite_foreign_keys=False)
    try:
        with engine.begin() as conn:
            command.revision(_config(conn), message=message, autogenerate=True, rev_id=rev_id)
    finally:
        engine.dispose()

"""Fixtures shared by the whole test suite.

``db_url`` runs a test once on SQLite and once on PostgreSQL:

* SQLite: a fresh file under ``tmp_path``.
* PostgreSQL: ``PANELBOT_TEST_POSTGRES_URL``; if it is unset, a local server at
  ``postgresql://postgres@127.0.0.1:5432/test`` is tried and the test is skipped when
  there is none. If the variable *is* set and the server cannot be reached, the test
  fails: CI that asked for PostgreSQL must not silently go green without it.
  Each test gets its own schema (``CREATE SCHEMA t_<hex>``, found through
  ``search_path``), dropped with everything in it afterwards, so tests never see each
  other's rows and can run against a shared database.

``engine`` migrates that database to head with Alembic (not ``create_all``) so every
test also exercises the migrations, and yields an engine from ``storage.db``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from storage import migrate
from storage.db import make_engine, normalize_url

POSTGRES_ENV = "PANELBOT_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
_CONNECT_TIMEOUT_S = 5


def _postgres_problem(url: URL) -> str | None:
    """Why the server at ``url`` cannot be used, or ``None`` if it answers."""
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": _CONNECT_TIMEOUT_S})
    except Exception as exc:  # e.g. the psycopg driver is not installed
        return f"{type(exc).__name__}: {exc}"
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


@pytest.fixture(scope="session")
def postgres_base_url() -> URL:
    """The PostgreSQL server for this run (see the module docstring for skip vs fail)."""
    configured = os.environ.get(POSTGRES_ENV)
    url = normalize_url(configured or DEFAULT_POSTGRES_URL)
    problem = _postgres_problem(url)
    if problem is None:
        return url
    shown = url.render_as_string(hide_password=True)
    if configured:
        pytest.fail(
            f"{POSTGRES_ENV} is set to {shown} but that server is unreachable ({problem}). "
            f"Start PostgreSQL there, fix the URL, or unset {POSTGRES_ENV} to skip these tests.",
            pytrace=False,
        )
    pytest.skip(f"no PostgreSQL at {shown} ({problem}); set {POSTGRES_ENV} to run these tests")


@pytest.fixture
def postgres_url(postgres_base_url: URL) -> Iterator[str]:
    """A URL whose connections live in a brand-new schema, dropped after the test."""
    schema = f"t_{uuid.uuid4().hex}"
    admin = sa.create_engine(postgres_base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = postgres_base_url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            # Do not hang the run if a test leaked an open transaction on the schema.
            conn.execute(sa.text("SET lock_timeout = '10s'"))
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty database, on each backend in turn."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "panelbot.db"
        return make_url(f"sqlite:///{path}").render_as_string(hide_password=False)
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on ``db_url`` after ``storage.migrate.upgrade`` to head."""
    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    try:
        yield eng
    finally:
        eng.dispose()

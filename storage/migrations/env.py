"""Alembic environment for panelbot.

Run through :mod:`storage.migrate`, which passes an open connection in
``config.attributes["connection"]`` so migrations use the same engine setup as the
application (SQLite transaction control, psycopg for PostgreSQL). The comparison and
rendering options live in :func:`storage.migrate.context_options` so that
``autogenerate_check`` compares exactly the way autogenerate does.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storage.db import make_engine
from storage.migrate import context_options, target_metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        **context_options(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("offline migrations need sqlalchemy.url in the Alembic config")
    dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
    context.configure(
        url=url,
        target_metadata=target_metadata(),
        literal_binds=True,
        **context_options(dialect),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection or sqlalchemy.url given to the Alembic environment")
    engine = make_engine(url, sqlite_foreign_keys=False)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

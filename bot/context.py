"""Open the database and kits the way every command and the server do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.cli_errors import CliError
from bot.settings import Settings
from storage import migrate
from storage.db import make_engine, session_scope
from storage.repository import Store


def open_engine(settings: Settings, *, upgrade: bool = True) -> Engine:
    """An engine on the configured database, migrated to the latest schema."""
    try:
        if upgrade:
            migrate.upgrade(settings.database_url)
        return make_engine(settings.database_url)
    except OperationalError as exc:
        raise CliError(
            f"cannot open the database ({exc.orig}); check PANELBOT_DATABASE_URL"
        ) from None


@contextmanager
def store_scope(engine: Engine) -> Iterator[Store]:
    """A ``Store`` in one transaction: committed on success, rolled back on error."""
    with session_scope(engine) as session:
        yield Store(session)

"""``panelbot db``: migrate the database named by PANELBOT_DATABASE_URL."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bot.cli_errors import CliError, friendly
from bot.settings import get_settings
from storage import migrate

db_app = typer.Typer(no_args_is_help=True)
console = Console()

UrlOption = Annotated[
    str | None,
    typer.Option("--url", help="Database URL (default: PANELBOT_DATABASE_URL)."),
]


def database_url(url: str | None) -> str:
    return url or get_settings().database_url


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def run_migration(action: str, url: str, revision: str) -> None:
    try:
        if action == "upgrade":
            migrate.upgrade(url, revision)
        else:
            migrate.downgrade(url, revision)
    except OperationalError as exc:
        raise CliError(
            f"cannot reach the database at {_safe(url)} ({exc.orig}); "
            "check PANELBOT_DATABASE_URL and that the server is running"
        ) from None
    except SQLAlchemyError as exc:
        raise CliError(f"migration failed on {_safe(url)}: {exc}") from None
    except Exception as exc:
        if "Can't locate revision" in str(exc) or "No such revision" in str(exc):
            raise CliError(f"unknown revision '{revision}' (try 'head' or 'base')") from None
        raise


@db_app.command("upgrade")
@friendly
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    url: UrlOption = None,
) -> None:
    """Create or migrate the schema up to REVISION (default: the latest)."""
    target = database_url(url)
    run_migration("upgrade", target, revision)
    console.print(f"database {_safe(target)} is at {migrate.current(target) or 'base'}", highlight=False)


@db_app.command("downgrade")
@friendly
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1.")],
    url: UrlOption = None,
) -> None:
    """Migrate the schema down to REVISION."""
    target = database_url(url)
    run_migration("downgrade", target, revision)
    console.print(f"database {_safe(target)} is at {migrate.current(target) or 'base'}", highlight=False)


@db_app.command("current")
@friendly
def current(url: UrlOption = None) -> None:
    """Show the schema revision of the database and the latest one."""
    target = database_url(url)
    try:
        revision = migrate.current(target)
    except OperationalError as exc:
        raise CliError(f"cannot reach the database at {_safe(target)} ({exc.orig})") from None
    latest = migrate.head()
    state = "up to date" if revision == latest else "run `panelbot db upgrade`"
    console.print(f"{_safe(target)}: {revision or 'empty'} (latest {latest}; {state})", highlight=False)

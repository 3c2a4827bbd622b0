"""The ``panelbot`` command line.

Each command is a thin shell over ``flows``/``storage``/``rubrics``; errors a person can
fix are printed as one line naming what to do, with a non-zero exit and no traceback.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.console import Console

from bot.cli_errors import CliError
from bot.settings import SettingsError
from rubrics.loader import KitLoadError

app = typer.Typer(
    name="panelbot",
    help="Structured interview loops in Slack and Microsoft Teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True)


_registered = False


def _register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    # Sub-apps live in their own modules to keep this file a table of contents.
    from bot.cli_db import db_app
    from bot.cli_demo import demo_command
    from bot.cli_manifest import manifest_app
    from bot.cli_requisition import requisition_app
    from bot.cli_rubrics import rubrics_app
    from bot.cli_schedule import schedule_app
    from bot.cli_serve import serve_command
    from bot.cli_status import status_command

    app.add_typer(db_app, name="db", help="Create and migrate the database.")
    app.add_typer(rubrics_app, name="rubrics", help="List, show and validate rubric kits.")
    app.add_typer(requisition_app, name="requisition", help="Create and list requisitions.")
    app.add_typer(manifest_app, name="manifest", help="Print platform app manifests.")
    app.add_typer(schedule_app, name="schedule", help="Propose interview loops from a pool and calendars.")
    app.command("serve", help="Serve Slack and Teams over HTTP (or Slack Socket Mode).")(
        serve_command
    )
    app.command("demo", help="Run a whole interview loop locally, no credentials needed.")(
        demo_command
    )
    app.command("status", help="Show pending and failed deliveries and due timers.")(
        status_command
    )


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details to stderr.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


def main() -> None:
    """Console-script entry point."""
    _register()
    try:
        app()
    except (CliError, SettingsError, KitLoadError) as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)

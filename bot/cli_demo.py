"""``panelbot demo``: a whole loop on loopback, no credentials, no network.

The recruiter, the interviewers and the hiring manager are simulated people sending
signed Slack requests to the real server, which talks to an in-process fake of the
Slack Web API. The database is a throwaway SQLite file unless ``--keep`` is given.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli_errors import CliError, friendly
from bot.cli_rubrics import load_registry
from bot.demo_loop import run_demo
from rubrics.loader import UnknownKitError

console = Console()


@friendly
def demo_command(
    kit_id: Annotated[str, typer.Option("--kit", help="Kit to run the loop with.")] = "backend-engineer",
    keep: Annotated[
        Path | None,
        typer.Option("--keep", help="Keep the demo database in this directory.", file_okay=False),
    ] = None,
) -> None:
    """Run a whole interview loop locally and print the transcript and the debrief."""
    try:
        kit = load_registry().get(kit_id)
    except UnknownKitError as exc:
        raise CliError(f"{exc}; see `panelbot rubrics list`") from None
    # The server's own warnings (e.g. Bolt's) would interleave with the transcript.
    logging.getLogger().setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="panelbot-demo-") as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        console.print(
            "[dim]A simulated recruiter, five interviewers and a hiring manager use panelbot "
            "through Slack's real protocol, against a local fake of Slack's Web API.[/]",
            highlight=False,
        )
        run_demo(console, kit, folder)
        if keep:
            console.print(f"[dim]Kept the database at {folder / 'panelbot-demo.db'}[/]", highlight=False)

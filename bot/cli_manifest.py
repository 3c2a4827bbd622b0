"""``panelbot manifest``: platform app manifests filled in for this deployment."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli_errors import CliError, friendly
from bot.manifest import ManifestError, filled_slack_manifest

manifest_app = typer.Typer(no_args_is_help=True)


@manifest_app.command("slack")
@friendly
def slack(
    url: Annotated[str, typer.Option("--url", help="Public HTTPS base URL, e.g. https://panelbot.example.com")],
) -> None:
    """Print the Slack app manifest with every request URL pointing at URL/slack/events."""
    try:
        typer.echo(filled_slack_manifest(url), nl=False)
    except ManifestError as exc:
        raise CliError(str(exc)) from None

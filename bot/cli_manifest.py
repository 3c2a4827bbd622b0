"""``panelbot manifest``: platform app manifests filled in for this deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli_errors import CliError, friendly
from bot.manifest import ManifestError, filled_slack_manifest
from bot.teams.manifest import TeamsManifestError, write_package

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


@manifest_app.command("teams")
@friendly
def teams(
    app_id: Annotated[str, typer.Option("--app-id", help="The bot's Microsoft App ID (a GUID), as in PANELBOT_TEAMS_APP_ID.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the app package, e.g. app.zip.")] = Path("app.zip"),
) -> None:
    """Write the Teams app package (manifest and icons) to upload in Teams as is."""
    try:
        written = write_package(app_id, out)
    except TeamsManifestError as exc:
        raise CliError(str(exc)) from None
    typer.echo(f"wrote {written}: upload it in Teams (Apps → Manage your apps → Upload an app)")

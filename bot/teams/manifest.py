"""The Teams app package: ``manifest.json`` filled in for one bot, plus the two icons.

The manifest ships with a placeholder GUID; ``panelbot manifest teams --app-id ID``
writes it with the bot's Microsoft App ID as both the Teams app id and the bot id (one
registration, as most bots use), the installed panelbot version, and the icons, zipped
flat the way Teams' "Upload a custom app" expects. Its bot command list is the shared
command table's (a test checks the shipped file against ``flows.commands``).

No botbuilder here: packaging needs no Bot Framework code.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from flows.commands import COMMANDS, CommandSpec

PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
FILES = ("manifest.json", "color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Fixed timestamps make the same inputs produce the same zip, byte for byte.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class TeamsManifestError(ValueError):
    """An app id or path that cannot go into a Teams app package."""


def _file(name: str) -> bytes:
    return resources.files("manifests").joinpath("teams", name).read_bytes()


def load_teams_manifest() -> dict[str, Any]:
    data = json.loads(_file("manifest.json"))
    if not isinstance(data, dict):
        raise TeamsManifestError("manifests/teams/manifest.json is not an object")
    return data


def command_description(spec: CommandSpec) -> str:
    """How a command reads in Teams' command menu: usage, then what it does."""
    return f"{spec.usage}: {spec.summary.replace('`', '')}"


def command_list() -> list[str]:
    """The command titles of the shipped manifest, in order."""
    bots = load_teams_manifest().get("bots") or [{}]
    lists = bots[0].get("commandLists") or [{}]
    return [str(command["title"]) for command in lists[0].get("commands", [])]


def expected_commands() -> list[dict[str, str]]:
    """The manifest's command list as the shared command table defines it."""
    return [{"title": spec.name.value, "description": command_description(spec)} for spec in COMMANDS]


def _version() -> str:
    try:
        return metadata.version("panelbot")
    except metadata.PackageNotFoundError:
        return str(load_teams_manifest()["version"])


def filled_teams_manifest(app_id: str) -> dict[str, Any]:
    """The manifest for the bot registered as ``app_id`` (a GUID)."""
    app_id = app_id.strip()
    if not _GUID.match(app_id):
        raise TeamsManifestError(
            f"'{app_id}' is not a Microsoft App ID; use the bot's application (client) id, "
            "a GUID like 8f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"
        )
    if app_id == PLACEHOLDER_ID:
        raise TeamsManifestError("use your bot's own Microsoft App ID, not the placeholder")
    manifest = load_teams_manifest()
    manifest["id"] = app_id
    manifest["version"] = _version()
    for bot in manifest.get("bots", []):
        bot["botId"] = app_id
    return manifest


def package_bytes(app_id: str) -> bytes:
    """The app package (a zip of the manifest and its two icons) for ``app_id``."""
    manifest = filled_teams_manifest(app_id)
    contents = {
        "manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode(),
        "color.png": _file("color.png"),
        "outline.png": _file("outline.png"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            archive.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), contents[name],
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_package(app_id: str, out: Path) -> Path:
    """Write the package to ``out`` (a ``.zip`` path); returns it."""
    if out.suffix.lower() != ".zip":
        raise TeamsManifestError(f"'{out}' must end in .zip; Teams uploads app packages as zip")
    if not out.parent.exists():
        raise TeamsManifestError(f"the folder '{out.parent}' does not exist")
    out.write_bytes(package_bytes(app_id))
    return out

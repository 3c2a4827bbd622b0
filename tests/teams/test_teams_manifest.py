"""The Teams app package: schema-valid manifest, the command table, the icons, the CLI.

The manifest is checked against the official Teams manifest schema v1.29 kept in
``../shared/schemas``, as shipped and as ``panelbot manifest teams`` packages it; its
command list is the shared command table; the icons are the sizes Teams requires (the
outline white on transparent) and are what :mod:`bot.teams.icons` draws.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from bot.cli import _register, app
from bot.teams.icons import color_icon, outline_icon
from bot.teams.manifest import (
    PLACEHOLDER_ID,
    expected_commands,
    filled_teams_manifest,
    load_teams_manifest,
    package_bytes,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA = REPO_ROOT.parent / "shared" / "schemas" / "teams-manifest-1.29.schema.json"
TEAMS_DIR = REPO_ROOT / "manifests" / "teams"
APP_ID = "8f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"
runner = CliRunner()


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    # Not ``check_schema``: a few patterns of the official schema use ``\p{L}``, which
    # Python's ``re`` cannot compile; they sit under ``extensions``, which we do not use.
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def problems(validator: Any, manifest: dict[str, Any]) -> list[str]:
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(manifest)]


def read_png(data: bytes) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """Width, height and RGBA rows of an 8-bit RGBA PNG without filters (ours)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6), "8-bit RGBA"
    idat, offset = b"", 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        if kind == b"IDAT":
            idat += data[offset + 8:offset + 8 + length]
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    rows = [[tuple(raw[r * stride + 1 + 4 * x: r * stride + 5 + 4 * x]) for x in range(width)]
            for r in range(height)]
    return width, height, rows


def test_shipped_manifest_is_valid_and_names_the_current_schema(validator: Any) -> None:
    manifest = load_teams_manifest()
    assert problems(validator, manifest) == []
    assert manifest["manifestVersion"] == "1.29"
    assert manifest["$schema"].endswith("/v1.29/MicrosoftTeams.schema.json")
    assert manifest["id"] == manifest["bots"][0]["botId"] == PLACEHOLDER_ID


def test_the_schema_check_sees_a_broken_manifest(validator: Any) -> None:
    manifest = load_teams_manifest()
    del manifest["developer"]["privacyUrl"]
    manifest["bots"][0]["botId"] = "not-a-guid"
    manifest["accentColor"] = "blue"
    assert len(problems(validator, manifest)) == 3


def test_manifest_commands_are_the_shared_command_table() -> None:
    (commands,) = load_teams_manifest()["bots"][0]["commandLists"]
    assert commands["commands"] == expected_commands()
    assert set(commands["scopes"]) == {"personal", "team", "groupChat"}


def test_icons_are_what_teams_asks_for() -> None:
    width, height, rows = read_png((TEAMS_DIR / "color.png").read_bytes())
    assert (width, height) == (192, 192)
    assert {pixel[3] for row in rows for pixel in row} == {255}
    width, height, rows = read_png((TEAMS_DIR / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    pixels = [pixel for row in rows for pixel in row]
    assert all(p[:3] == (255, 255, 255) for p in pixels if p[3])  # white where drawn
    assert sum(1 for p in pixels if p[3] == 0) > len(pixels) // 3  # transparent around it
    assert rows[0][0][3] == rows[-1][-1][3] == 0


def test_committed_icons_are_the_drawn_ones() -> None:
    assert (TEAMS_DIR / "color.png").read_bytes() == color_icon()
    assert (TEAMS_DIR / "outline.png").read_bytes() == outline_icon()


def test_cli_writes_a_package_teams_accepts(validator: Any, tmp_path: Path) -> None:
    _register()
    out = tmp_path / "app.zip"
    result = runner.invoke(app, ["manifest", "teams", "--app-id", APP_ID, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert archive.read("color.png") == (TEAMS_DIR / "color.png").read_bytes()
        assert archive.read("outline.png") == (TEAMS_DIR / "outline.png").read_bytes()
    assert problems(validator, manifest) == []
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert package_bytes(APP_ID) == out.read_bytes()  # reproducible


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app-id", "not-a-guid"], "is not a Microsoft App ID"),
        (["--app-id", PLACEHOLDER_ID], "not the placeholder"),
        (["--app-id", APP_ID, "--out", "app.tar"], "must end in .zip"),
        (["--app-id", APP_ID, "--out", "/no/such/folder/app.zip"], "does not exist"),
    ],
)
def test_cli_refuses_what_teams_would_not_take(args: list[str], message: str) -> None:
    _register()
    result = runner.invoke(app, ["manifest", "teams", *args])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())


def test_filled_manifest_keeps_the_shipped_commands(validator: Any) -> None:
    manifest = filled_teams_manifest(APP_ID)
    assert manifest["bots"][0]["commandLists"] == load_teams_manifest()["bots"][0]["commandLists"]
    with zipfile.ZipFile(io.BytesIO(package_bytes(APP_ID))) as archive:
        assert json.loads(archive.read("manifest.json")) == manifest

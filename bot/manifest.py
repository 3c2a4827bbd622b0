"""Platform app manifests filled in for one deployment.

The shipped manifest uses a placeholder host; operators print it with their own
public URL so every request URL points at the one ``/slack/events`` endpoint.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import urlparse

import yaml

PLACEHOLDER_BASE = "https://panelbot.example.com"
SLACK_EVENTS_PATH = "/slack/events"


class ManifestError(ValueError):
    """A URL or id that cannot go into a manifest."""


def slack_manifest_text() -> str:
    return resources.files("manifests").joinpath("slack.yaml").read_text(encoding="utf-8")


def load_slack_manifest() -> dict[str, Any]:
    data = yaml.safe_load(slack_manifest_text())
    if not isinstance(data, dict):
        raise ManifestError("manifests/slack.yaml is not a mapping")
    return data


def normalise_base_url(url: str) -> str:
    """``https://host[/prefix]`` without a trailing slash; HTTPS is required by Slack."""
    parsed = urlparse(url.strip())
    if parsed.query or parsed.fragment or parsed.username or parsed.password:
        raise ManifestError(
            f"'{url}' must be a plain public HTTPS URL without credentials, query or fragment "
            "(e.g. --url https://panelbot.example.com)"
        )
    if parsed.scheme != "https" or not parsed.netloc:
        raise ManifestError(
            f"'{url}' is not a public HTTPS URL; Slack only calls https:// request URLs "
            "(e.g. --url https://panelbot.example.com)"
        )
    path = parsed.path.rstrip("/")
    if path.endswith(SLACK_EVENTS_PATH):
        path = path[: -len(SLACK_EVENTS_PATH)]
    return f"https://{parsed.netloc}{path}"


def filled_slack_manifest(base_url: str) -> str:
    """The manifest YAML with every request URL pointing at ``base_url``."""
    base = normalise_base_url(base_url)
    return slack_manifest_text().replace(PLACEHOLDER_BASE, base)


def manifest_slash_commands(manifest: dict[str, Any]) -> list[str]:
    commands = manifest.get("features", {}).get("slash_commands", [])
    return [str(item["command"]) for item in commands]


def manifest_shortcut_callback_ids(manifest: dict[str, Any]) -> list[str]:
    shortcuts = manifest.get("features", {}).get("shortcuts", [])
    return [str(item["callback_id"]) for item in shortcuts]

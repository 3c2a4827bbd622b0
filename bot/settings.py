"""Process settings from the environment (prefix ``PANELBOT_``) or a ``.env`` file.

Secrets are ``SecretStr`` so they never appear in reprs, logs or error messages.
A malformed value fails at start with one line that names the variable to fix.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from flows.reminders import parse_days, parse_hours

ENV_PREFIX = "PANELBOT_"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"

_DURATION_PART = re.compile(r"(\d+)\s*(ms|d|h|m|s)")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}


def parse_duration(value: Any) -> timedelta:
    """Read ``30m``, ``90s``, ``1h``, ``1h30m``, ``2d`` or ``250ms`` (or a number of seconds)."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    text = str(value).strip().lower().replace(" ", "")
    if text.isdigit():
        return timedelta(seconds=int(text))
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"'{value}' is not a duration; use forms like 30m, 90s, 1h or 1h30m")
    return timedelta(seconds=sum(int(n) * _UNIT_SECONDS[u] for n, u in parts))


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class SettingsError(Exception):
    """A setting that cannot be used, phrased for the person who set it."""


class Settings(BaseSettings):
    """Everything panelbot reads from its environment, with the defaults it runs on."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    database_url: str = "sqlite:///panelbot.db"
    workspace_id: str = Field(
        default="T0LOCAL",
        description="Workspace (tenant) id used by CLI commands; Slack team id in production.",
    )
    kits_dir: Path | None = Field(default=Path("kits"), description="Directory of user kits.")

    slack_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("PANELBOT_SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("PANELBOT_SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
    )
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL

    teams_enabled: bool = False
    teams_app_id: str | None = None
    teams_app_password: SecretStr | None = None
    teams_app_tenant_id: str | None = None

    briefing_lead: Duration = timedelta(minutes=30)
    feedback_first_reminder: Duration = timedelta(hours=1)
    feedback_max_reminders: int = Field(default=3, ge=0, le=10)
    working_hours: str = Field(
        default="09:00-18:00",
        description="When reminders may reach people, in each person's own time zone.",
    )
    working_days: str = Field(default="mon-fri", description="Days reminders may reach people.")
    claim_lease: Duration = Field(
        default=timedelta(minutes=2),
        description="How long a replica holds a claimed timer or message before another "
        "replica may take it over (after a crash).",
    )
    timer_poll: Duration = Field(
        default=timedelta(seconds=15),
        description="How often each replica looks for due briefings, reminders and retries.",
    )

    log_level: str = "INFO"

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @field_validator("working_days")
    @classmethod
    def _days(cls, value: str) -> str:
        parse_days(value)
        return value

    def env_name(self, field: str) -> str:
        return env_name(field)


def env_name(field: str) -> str:
    """The environment variable that sets ``field``."""
    return f"{ENV_PREFIX}{field.upper()}"


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors(include_url=False):
        field = str(item["loc"][0]) if item["loc"] else "?"
        variable = field if field.startswith(ENV_PREFIX) else env_name(field)
        message = str(item["msg"]).removeprefix("Value error, ")
        raw = item.get("input")
        shown = "" if "token" in field or "secret" in field or "password" in field else raw
        suffix = f" (got {shown!r})" if shown not in ("", None) and not isinstance(shown, dict) else ""
        lines.append(f"{variable}: {message}{suffix}")
    return "; ".join(lines)


def load_settings(**overrides: Any) -> Settings:
    """Build settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(f"invalid setting: {_describe(exc)}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()

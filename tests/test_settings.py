"""Settings read from the environment, with clear errors and secrets that never leak."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings, parse_duration


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30m", timedelta(minutes=30)), ("90s", timedelta(seconds=90)), ("1h", timedelta(hours=1)),
     ("1h30m", timedelta(minutes=90)), ("2d", timedelta(days=2)), ("45", timedelta(seconds=45))],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


def test_defaults() -> None:
    settings = load_settings()
    assert settings.briefing_lead == timedelta(minutes=30)
    assert settings.feedback_first_reminder == timedelta(hours=1)
    assert settings.feedback_max_reminders == 3
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.teams_enabled is False


def test_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANELBOT_BRIEFING_LEAD", "15m")
    monkeypatch.setenv("PANELBOT_DATABASE_URL", "sqlite:///x.db")
    settings = load_settings()
    assert settings.briefing_lead == timedelta(minutes=15)
    assert settings.database_url == "sqlite:///x.db"


def test_malformed_duration_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANELBOT_FEEDBACK_FIRST_REMINDER", "soon")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "PANELBOT_FEEDBACK_FIRST_REMINDER" in message
    assert "30m, 90s, 1h" in message


def test_unprefixed_slack_names_work_and_secrets_stay_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "shh-signing")
    settings = load_settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    assert "xoxb-very-secret" not in shown
    assert "shh-signing" not in shown


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PANELBOT_FEEDBACK_MAX_REMINDERS=5\n", encoding="utf-8")
    assert load_settings().feedback_max_reminders == 5


def test_out_of_range_number_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANELBOT_FEEDBACK_MAX_REMINDERS", "99")
    with pytest.raises(SettingsError, match="PANELBOT_FEEDBACK_MAX_REMINDERS"):
        load_settings()


def test_working_hours_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANELBOT_WORKING_HOURS", "9 to 5")
    with pytest.raises(SettingsError, match="PANELBOT_WORKING_HOURS"):
        load_settings()

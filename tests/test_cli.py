"""The command line as a newcomer meets it: help, demo, requisitions, errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import _register, app
from bot.settings import get_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PANELBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    _register()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, " ".join((result.stdout + result.stderr).split())


def test_help_lists_every_command() -> None:
    code, out = run("--help")
    assert code == 0
    for command in ("demo", "db", "rubrics", "requisition", "status"):
        assert command in out


def test_demo_prints_a_debrief() -> None:
    code, out = run("demo")
    assert code == 0, out
    assert "Debrief: Priya Raman, Senior Backend Engineer" in out
    for stage in ("Screening", "Coding", "System design", "Behavioral", "Hiring manager"):
        assert stage.lower() in out.lower()
    assert "Recommendation" in out and "Confidence" in out
    assert "By competency" in out and "Disagreements to discuss" in out
    assert "Hid or played down the failure from their team" in out  # red flag with attribution
    assert "inter-rater alpha" in out


def test_demo_keep_leaves_the_database(tmp_path: Path) -> None:
    code, out = run("demo", "--keep", str(tmp_path / "kept"))
    assert code == 0, out
    assert (tmp_path / "kept" / "panelbot-demo.db").exists()


def test_requisition_create_and_list() -> None:
    code, out = run(
        "requisition", "create", "--title", "Staff Backend Engineer", "--kit", "backend-engineer",
        "--channel", "C0HIRE", "--hiring-manager", "U1", "--hiring-manager", "U2", "--recruiter", "U3",
    )
    assert code == 0, out
    assert "created requisition #1" in out
    code, out = run("requisition", "list")
    assert code == 0
    assert "Staff Backend Engineer" in out and "U1, U2" in out and "U3" in out


def test_unknown_kit_is_one_clear_line() -> None:
    code, out = run(
        "requisition", "create", "--title", "T", "--kit", "frontend", "--channel", "C1",
        "--hiring-manager", "U1", "--recruiter", "U2",
    )
    assert code == 1
    assert "unknown kit 'frontend' (available: backend-engineer)" in out


def test_rubrics_show_stage_prints_anchors() -> None:
    code, out = run("rubrics", "show", "backend-engineer", "--stage", "coding")
    assert code == 0
    assert "Strong yes:" in out and "Red flags:" in out
    code, out = run("rubrics", "show", "backend-engineer", "--stage", "cooking")
    assert code == 1 and "has no stage 'cooking'" in out


def test_db_upgrade_and_current() -> None:
    code, out = run("db", "upgrade")
    assert code == 0 and "is at" in out
    code, out = run("db", "current")
    assert code == 0 and "up to date" in out


def test_status_on_an_empty_database() -> None:
    code, out = run("status")
    assert code == 0 and "Pending deliveries: 0" in out


def test_console_script_errors_have_no_traceback(tmp_path: Path) -> None:
    env = {"PANELBOT_FEEDBACK_FIRST_REMINDER": "later", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "status"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "PANELBOT_FEEDBACK_FIRST_REMINDER" in proc.stderr

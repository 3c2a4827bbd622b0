"""``panelbot schedule``: the scriptable interface of DESIGN.md, and its errors."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import _register, app
from bot.settings import get_settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scheduling"
POOL = str(FIXTURES / "pool.yaml")
TUE_THU = [f"2026-11-{day}T09:00/17:00" for day in (24, 25, 26)]

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PANELBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    _register()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def flat(text: str) -> str:
    return " ".join(text.split())


def propose(*extra: str, windows: list[str] = TUE_THU) -> tuple[int, str, str]:
    args = ["schedule", "propose", "--kit", "backend-engineer", "--pool", POOL, "--tz", "Europe/Berlin"]
    for window in windows:
        args += ["--candidate-window", window]
    return run(*args, *extra)


def test_help_lists_schedule_and_its_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "schedule" in out
    code, out, _ = run("schedule", "--help")
    assert code == 0 and "propose" in out and "import-pool" in out


def test_propose_prints_three_options_with_times_in_every_zone() -> None:
    code, out, err = propose()
    assert code == 0, err
    text = flat(out)
    for rank in (1, 2, 3):
        assert f"Option {rank} · Tue 24 Nov 2026" in text
    for stage in ("screening", "coding", "system-design", "behavioral", "hiring-manager"):
        assert stage in text
    assert "candidate (Europe/Berlin)" in text and "their time" in text and "UTC" in text
    assert "Asia/Kolkata" in text  # an interviewer's own zone
    assert "earliest finish, done Tue 24 Nov" in text


def test_propose_json_is_scriptable_and_valid() -> None:
    code, out, err = propose("--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["feasible"] is True and data["blocked"] is None and data["kit"] == "backend-engineer"
    assert [option["rank"] for option in data["options"]] == [1, 2, 3]
    first = data["options"][0]
    assert set(first["score"]) == {"finish_day", "load", "days", "ends_at"}
    assert [i["stage"] for i in first["interviews"]] == [
        "screening", "coding", "system-design", "behavioral", "hiring-manager",
    ]
    for option in data["options"]:
        previous_end = None
        for interview in option["interviews"]:
            start = datetime.fromisoformat(interview["start"])
            end = datetime.fromisoformat(interview["end"])
            assert interview["start"].endswith("Z")
            assert datetime.fromisoformat(interview["local_start"]) == start
            assert interview["interviewer"] != "tom"  # the trainee never leads
            if previous_end is not None:
                assert start - previous_end >= timedelta(minutes=15)
            previous_end = end


def test_flags_reach_the_solver() -> None:
    code, out, err = propose("--json", "--same-day", "--shadow", "--min-break", "30m", "--options", "2")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["options"]) == 2
    for option in data["options"]:
        days = {i["start"][:10] for i in option["interviews"]}
        assert len(days) == 1
        starts = [datetime.fromisoformat(i["start"]) for i in option["interviews"]]
        ends = [datetime.fromisoformat(i["end"]) for i in option["interviews"]]
        assert all(b - a >= timedelta(minutes=30) for a, b in zip(ends, starts[1:], strict=False))
        assert any(i["shadow"] == "tom" for i in option["interviews"])


def test_infeasible_is_one_line_and_exit_1() -> None:
    code, out, err = propose(windows=["2026-11-28T09:00/17:00"])  # a Saturday
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [
        "error: no loop fits: no qualified screening interviewer works during the candidate's "
        "windows (Sat) in their own working hours"
    ]


def test_infeasible_json_still_prints_the_reason() -> None:
    code, out, _ = propose("--json", windows=["2026-11-24T09:00/10:00"])
    assert code == 1
    data = json.loads(out)
    assert data["feasible"] is False and data["options"] == []
    assert data["blocked"] == "the candidate's windows (Tue) offer 1 h, but the 5 interviews take 4 h"


def test_windows_with_offsets_ignore_tz_and_bare_end_times_take_the_start_day() -> None:
    code, out, err = propose("--json", windows=["2026-11-24T08:00:00+00:00/2026-11-24T16:00:00+00:00"])
    assert code == 0, err
    first = json.loads(out)["options"][0]["interviews"][0]["start"]
    assert first >= "2026-11-24T08:00:00Z"


@pytest.mark.parametrize(
    ("window", "problem"),
    [
        ("tomorrow", "expected START/END"),
        ("2026-11-24T09:00/nonsense", "Invalid isoformat string"),
        ("2026-11-24T17:00/09:00", "the end is not after the start"),
    ],
)
def test_bad_windows_say_how_to_write_them(window: str, problem: str) -> None:
    code, _, err = propose(windows=[window])
    assert code == 1
    assert f"--candidate-window '{window}'" in err and problem in flat(err)
    assert "use START/END like 2026-11-24T09:00/2026-11-24T17:00" in flat(err)


def test_unknown_kit_zone_and_duration() -> None:
    code, _, err = run("schedule", "propose", "--kit", "frontend", "--pool", POOL, "--candidate-window", TUE_THU[0])
    assert code == 1 and "unknown kit 'frontend' (available: backend-engineer)" in err
    code, _, err = run(
        "schedule", "propose", "--kit", "backend-engineer", "--pool", POOL,
        "--candidate-window", TUE_THU[0], "--tz", "Mars/Base",
    )
    assert code == 1 and "--tz: unknown time zone 'Mars/Base'" in err
    code, _, err = propose("--min-break", "soon")
    assert code == 1 and "--min-break: 'soon' is not a duration" in err


def test_pool_problems_name_file_and_path(tmp_path: Path) -> None:
    bad = tmp_path / "pool.yaml"
    bad.write_text("interviewers:\n  - {id: ana, name: Ana, tz: Nowhere}\n", encoding="utf-8")
    code, _, err = run("schedule", "propose", "--kit", "backend-engineer", "--pool", str(bad), "--candidate-window", TUE_THU[0])
    assert code == 1
    assert f"{bad}: interviewers[0].tz: unknown time zone 'Nowhere'" in flat(err)


def test_unreadable_calendar_stops_the_proposal(tmp_path: Path) -> None:
    pool = tmp_path / "pool.yaml"
    pool.write_text(
        "interviewers:\n  - {id: ana, name: Ana, calendar: gone.ics, qualified: {backend-engineer: [coding]}}\n",
        encoding="utf-8",
    )
    code, _, err = run("schedule", "propose", "--kit", "backend-engineer", "--pool", str(pool), "--candidate-window", TUE_THU[0])
    assert code == 1 and "gone.ics: cannot read calendar file" in flat(err)


def test_import_pool_summarises_a_valid_pool(tmp_path: Path) -> None:
    code, out, err = run("schedule", "import-pool", POOL)
    assert code == 0, err
    text = flat(out)
    assert "Ana Costa" in text and "Tom Reyes (trainee)" in text and "08:30-17:30" in text
    assert "1/day, 3/week" in text and "backend-engineer: coding, system-design" in text
    assert "8 interviewers (1 trainees) are valid" in text
    copy = tmp_path / "pool"
    shutil.copytree(FIXTURES, copy)
    code, out, err = run("schedule", "import-pool", str(copy / "pool.yaml"), "--calendars")
    assert code == 0, err
    assert "busy block" in out


def test_import_pool_reports_missing_calendar_files(tmp_path: Path) -> None:
    pool = tmp_path / "pool.yaml"
    pool.write_text("interviewers:\n  - {id: ana, name: Ana, calendar: cal/ana.ics}\n", encoding="utf-8")
    code, _, err = run("schedule", "import-pool", str(pool))
    assert code == 1
    assert f"interviewers[0].calendar: no such file {tmp_path / 'cal' / 'ana.ics'}" in flat(err)


def test_import_pool_checks_stage_keys_against_the_kits(tmp_path: Path) -> None:
    pool = tmp_path / "pool.yaml"
    pool.write_text(
        "interviewers:\n  - id: ana\n    name: Ana\n    qualified: {backend-engineer: [sys-design]}\n",
        encoding="utf-8",
    )
    code, _, err = run("schedule", "import-pool", str(pool))
    assert code == 1
    assert f"{pool}: interviewers[0].qualified.backend-engineer[0]: unknown stage 'sys-design'" in flat(err)


def test_import_pool_save_stores_profiles_and_counts_created_then_updated(tmp_path: Path) -> None:
    from bot.context import open_engine, store_scope
    from storage.enums import Platform

    code, out, err = run("schedule", "import-pool", POOL, "--save")
    assert code == 0, err
    assert "created" in out and " 0 updated" in flat(out)
    code, out, err = run("schedule", "import-pool", POOL, "--save", "--platform", "teams")
    assert code == 0, err
    code, out, err = run("schedule", "import-pool", POOL, "--save")
    assert code == 0, err
    assert "0 created" in flat(out)
    settings = get_settings()
    with store_scope(open_engine(settings)) as store:
        slack = store.profiles(settings.workspace_id, Platform.SLACK)
        teams = store.profiles(settings.workspace_id, Platform.TEAMS)
        assert len(slack) == len(teams) > 0
        ana = store.get_profile(settings.workspace_id, Platform.SLACK, "ana")
        assert ana is not None
        assert ana.calendar == str(FIXTURES / "calendars" / "ana.ics")
        assert ana.qualified

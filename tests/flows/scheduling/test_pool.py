"""The pool file: what a valid one becomes, and errors that point at the line to fix."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from flows.scheduling import PoolLoadError, load_pool, parse_pool
from rubrics.loader import KitRegistry
from rubrics.schema import Kit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scheduling"


@pytest.fixture(scope="module")
def kits() -> dict[str, Kit]:
    registry = KitRegistry.load()
    return {kit_id: registry.get(kit_id) for kit_id in registry.ids()}


def problems(text: str, kits: dict[str, Kit] | None = None) -> list[str]:
    with pytest.raises(PoolLoadError) as caught:
        parse_pool(text, source="pool.yaml", kits=kits)
    assert str(caught.value).startswith("pool.yaml: ")
    return caught.value.problems


def test_the_sample_pool_loads_with_defaults_and_local_times(kits: dict[str, Kit]) -> None:
    pool = load_pool(FIXTURES / "pool.yaml", kits=kits)
    assert [p.id for p in pool.interviewers] == ["ana", "bo", "chen", "dara", "eli", "fay", "gus", "tom"]
    assert pool.base_dir == FIXTURES.resolve()
    bo = pool.get("bo")
    assert (bo.tz, bo.hours.start, bo.hours.end, bo.hours.weekdays) == (
        "Europe/Berlin", time(8, 30), time(17, 30), frozenset(range(5))
    )
    assert bo.qualified == {"backend-engineer": frozenset({"coding", "system-design"})}
    eli = pool.get("eli")
    assert (eli.hours.start, eli.hours.end, eli.max_per_day) == (time(9), time(17), 2)
    # naive block times are the interviewer's local time (Berlin, UTC+1 in November)
    assert eli.blocks[0].start == datetime(2026, 11, 24, 8, tzinfo=UTC)
    assert len(eli.bookings) == 2
    assert pool.get("tom").trainee and not bo.trainee


def test_weekday_spellings() -> None:
    text = """
interviewers:
  - {id: a, name: A, weekdays: "mon-wed"}
  - {id: b, name: B, weekdays: [Monday, FRI]}
  - {id: c, name: C, weekdays: "sat,sun"}
  - {id: d, name: D, weekdays: "fri-mon"}
"""
    pool = parse_pool(text, source="pool.yaml")
    assert [sorted(p.hours.weekdays) for p in pool.interviewers] == [[0, 1, 2], [0, 4], [5, 6], [0, 4, 5, 6]]


def test_errors_carry_file_and_path() -> None:
    text = """
interviewers:
  - id: ana
    name: Ana
    tz: Mars/Olympus
    working_hours: "17:00-09:00"
    weekdays: [mon, funday]
    max_per_day: -1
    colour: blue
  - name: Bo
"""
    assert problems(text) == [
        "interviewers[0].tz: unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Berlin)",
        "interviewers[0].working_hours: '17:00-09:00' ends before it starts (hours past midnight are not supported)",
        "interviewers[0].weekdays: unknown weekday 'fun' (use mon, tue, wed, thu, fri, sat, sun)",
        "interviewers[0].max_per_day: Input should be greater than or equal to 0",
        "interviewers[0].colour: unknown field (check the spelling)",
        "interviewers[1]: required field 'id' is missing",
    ]


def test_duplicate_ids_and_bad_blocks() -> None:
    text = """
interviewers:
  - {id: ana, name: Ana}
  - id: ana
    name: Ana again
    blocks: [{start: "2026-11-24T12:00", end: "2026-11-24T11:00"}]
"""
    assert problems(text) == ["interviewers[1].blocks[0]: end must be after start"]
    assert problems("interviewers:\n  - {id: ana, name: A}\n  - {id: ana, name: B}\n") == [
        "interviewers[1].id: duplicate interviewer id 'ana'"
    ]


def test_stage_keys_are_checked_against_known_kits(kits: dict[str, Kit]) -> None:
    text = """
interviewers:
  - id: ana
    name: Ana
    qualified:
      backend-engineer: [coding, sys-design]
      frontend: [coding]
"""
    assert problems(text, kits) == [
        "interviewers[0].qualified.backend-engineer[1]: unknown stage 'sys-design' "
        "(stages: screening, coding, system-design, behavioral, hiring-manager)",
        "interviewers[0].qualified.frontend: unknown kit 'frontend' (available: backend-engineer)",
    ]


def test_not_yaml_or_not_a_mapping() -> None:
    assert problems("interviewers: [\n") == [
        "line 2, column 1: invalid YAML: expected the node content, but found '<stream end>'"
    ]
    assert problems("- just a list\n") == ["(top level): a pool must be a mapping with 'interviewers'"]
    assert problems("interviewers: []\n") == ["interviewers: List should have at least 1 item after validation, not 0"]


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(PoolLoadError, match="cannot read file"):
        load_pool(tmp_path / "missing.yaml")

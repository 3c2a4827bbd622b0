"""Interviewer profiles: validated upserts, lookups, and the tenant rule."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from storage.db import session_scope
from storage.enums import Platform
from storage.profile_input import ProfileInput, parse_weekdays
from storage.repository import Store

WS, OTHER = "T_ACME", "T_OTHER"
T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)

ClockedStore = Callable[[datetime], AbstractContextManager[Store]]


@pytest.fixture
def at(engine: Engine) -> ClockedStore:
    @contextmanager
    def open_store(when: datetime) -> Iterator[Store]:
        with session_scope(engine) as session:
            yield Store(session, clock=lambda: when)

    return open_store


def _ana(**changes: object) -> ProfileInput:
    data: dict[str, object] = {
        "display_name": "Ana Costa",
        "tz": "Europe/Lisbon",
        "work_start": "10:00",
        "work_end": "16:00",
        "weekdays": "mon-thu",
        "max_per_day": 1,
        "max_per_week": 4,
        "qualified": {"backend-engineer": ["coding", "system-design", "coding"]},
        "calendar": "https://cal.example/ana.ics",
        "blocks": [{"start": "2030-03-05T12:00:00+00:00", "end": "2030-03-05T13:00:00+00:00"}],
    }
    data.update(changes)
    return ProfileInput.model_validate(data)


def test_upsert_creates_then_replaces_one_profile(at: ClockedStore) -> None:
    with at(T0) as store:
        first, created = store.upsert_profile(WS, Platform.SLACK, "U_ANA", _ana())
    assert created
    with at(T0 + timedelta(hours=1)) as store:
        again, created_again = store.upsert_profile(
            WS, Platform.SLACK, "U_ANA", _ana(trainee=True, max_per_day=3, calendar="")
        )
    assert not created_again and again.id == first.id
    with at(T0) as store:
        row = store.get_profile(WS, Platform.SLACK, "U_ANA")
        assert row is not None
        assert (row.tz, row.work_start, row.work_end, row.weekdays) == (
            "Europe/Lisbon", "10:00", "16:00", "mon-thu"
        )
        assert (row.max_per_day, row.max_per_week, row.trainee, row.calendar) == (3, 4, True, None)
        assert row.qualified == {"backend-engineer": ["coding", "system-design"]}
        assert row.blocks == [
            {"start": "2030-03-05T12:00:00+00:00", "end": "2030-03-05T13:00:00+00:00"}
        ]
        assert row.updated_at == T0 + timedelta(hours=1)


def test_profiles_are_per_workspace_and_platform(at: ClockedStore) -> None:
    with at(T0) as store:
        store.upsert_profile(WS, Platform.SLACK, "U_BEN", _ana(display_name="Ben"))
        store.upsert_profile(WS, Platform.SLACK, "U_ANA", _ana())
        store.upsert_profile(WS, Platform.TEAMS, "U_ANA", _ana())
        store.upsert_profile(OTHER, Platform.SLACK, "U_CY", _ana(display_name="Cy"))
    with at(T0) as store:
        assert [p.user_id for p in store.profiles(WS, Platform.SLACK)] == ["U_ANA", "U_BEN"]
        assert [p.user_id for p in store.profiles(WS, Platform.TEAMS)] == ["U_ANA"]
        assert store.get_profile(OTHER, Platform.SLACK, "U_ANA") is None
        assert store.get_profile(WS, Platform.SLACK, "U_CY") is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"work_start": "9am"}, "work_start"),
        ({"work_start": "18:00"}, None),
        ({"weekdays": "mon-fry"}, "weekdays"),
        ({"max_per_day": -1}, "max_per_day"),
        ({"qualified": {"Bad Kit": ["x"]}}, "qualified"),
        ({"blocks": [{"start": "2030-03-05T12:00", "end": "2030-03-05T13:00"}]}, "blocks"),
    ],
)
def test_bad_profiles_are_refused_with_the_field_named(
    change: dict[str, object], field: str | None
) -> None:
    with pytest.raises(ValidationError) as caught:
        _ana(**change)
    first = caught.value.errors()[0]
    assert (first["loc"][0] if first["loc"] else None) == field


def test_weekdays_accept_ranges_lists_and_wrapping() -> None:
    assert parse_weekdays("mon-fri") == frozenset(range(5))
    assert parse_weekdays("mon,wed, fri") == frozenset({0, 2, 4})
    assert parse_weekdays("sat-mon") == frozenset({5, 6, 0})

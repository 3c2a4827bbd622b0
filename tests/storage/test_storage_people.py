"""The people directory cache and Teams conversation references: upserts and lookups."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from storage.db import session_scope
from storage.enums import Platform
from storage.repository import Store

WS, OTHER = "T_ACME", "T_OTHER"
T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
SLACK, TEAMS = Platform.SLACK, Platform.TEAMS

ClockedStore = Callable[[datetime], AbstractContextManager[Store]]


@pytest.fixture
def at(engine: Engine) -> ClockedStore:
    """``with at(when) as store:`` is one committed transaction whose clock reads ``when``."""

    @contextmanager
    def open_store(when: datetime) -> Iterator[Store]:
        with session_scope(engine) as session:
            yield Store(session, clock=lambda: when)

    return open_store


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


# --- people --------------------------------------------------------------------------


def test_upsert_creates_then_refreshes_one_entry(at: ClockedStore, engine: Engine) -> None:
    with at(T0) as store:
        first = store.upsert_person(WS, SLACK, "U_ALICE", display_name="Alice", tz="Europe/Berlin")
    later = T0 + timedelta(days=3)
    with at(later) as store:
        again = store.upsert_person(
            WS, SLACK, "U_ALICE", display_name="Alice Smith", tz="America/New_York", is_bot=False
        )
    assert again.id == first.id
    assert (first.display_name, first.tz, first.updated_at) == ("Alice", "Europe/Berlin", T0)
    assert (again.display_name, again.tz, again.updated_at) == (
        "Alice Smith",
        "America/New_York",
        later,
    )
    with at(later) as store:
        stored = store.get_person(WS, SLACK, "U_ALICE")
    assert stored is not None and stored.display_name == "Alice Smith" and not stored.is_bot
    assert _count(engine, "person") == 1


def test_lookups_are_scoped_by_workspace_and_platform(stores: Any) -> None:
    with stores() as store:
        store.upsert_person(WS, SLACK, "U1", display_name="Slack One", tz="UTC")
        store.upsert_person(WS, TEAMS, "U1", display_name="Teams One", tz="UTC")
        store.upsert_person(OTHER, SLACK, "U1", display_name="Other One", tz="UTC")
    with stores() as store:
        names = {
            (ws, platform): store.display_name(ws, platform, "U1")
            for ws in (WS, OTHER)
            for platform in (SLACK, TEAMS)
        }
        assert store.get_person(OTHER, TEAMS, "U1") is None
    assert names == {
        (WS, SLACK): "Slack One",
        (WS, TEAMS): "Teams One",
        (OTHER, SLACK): "Other One",
        (OTHER, TEAMS): "U1",  # unknown there: falls back to the id
    }


def test_people_returns_known_users_by_id(stores: Any) -> None:
    with stores() as store:
        store.upsert_person(WS, SLACK, "U_ALICE", display_name="Alice", tz="Europe/Berlin")
        store.upsert_person(WS, SLACK, "U_BOT", display_name="Deploy Bot", tz="UTC", is_bot=True)
        store.upsert_person(OTHER, SLACK, "U_BOB", display_name="Bob", tz="UTC")
    with stores() as store:
        found = store.people(WS, SLACK, ["U_ALICE", "U_BOT", "U_BOB", "U_ALICE", "U_NOBODY"])
        assert store.people(WS, SLACK, []) == {}
        assert store.people(WS, TEAMS, ["U_ALICE"]) == {}
    assert set(found) == {"U_ALICE", "U_BOT"}
    assert found["U_ALICE"].tz == "Europe/Berlin" and found["U_BOT"].is_bot


def test_people_handles_long_id_lists(stores: Any) -> None:
    ids = [f"U{n:05d}" for n in range(1203)]
    with stores() as store:
        for user_id in ids[::2]:
            store.upsert_person(WS, SLACK, user_id, display_name=user_id.lower(), tz="UTC")
    with stores() as store:
        found = store.people(WS, SLACK, ids)
    assert sorted(found) == ids[::2]


def test_display_name_falls_back_to_the_user_id(stores: Any) -> None:
    with stores() as store:
        assert store.display_name(WS, SLACK, "U_UNKNOWN") == "U_UNKNOWN"
        blank = store.upsert_person(WS, SLACK, "U_BLANK", display_name="   ", tz="UTC")
        assert blank.display_name == "U_BLANK"
        assert store.display_name(WS, SLACK, "U_BLANK") == "U_BLANK"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        pytest.param("Asia/Kathmandu", "Asia/Kathmandu", id="iana"),
        pytest.param("", "UTC", id="empty"),
        pytest.param("Mars/Olympus_Mons", "UTC", id="unknown"),
        pytest.param("../../etc/passwd", "UTC", id="path"),
    ],
)
def test_time_zone_is_kept_only_if_usable(stores: Any, given: str, stored: str) -> None:
    with stores() as store:
        person = store.upsert_person(WS, SLACK, "U_TZ", display_name="Tz", tz=given)
    assert person.tz == stored


def test_simultaneous_upserts_leave_one_entry(stores: Any, engine: Engine) -> None:
    threads = 6
    barrier = threading.Barrier(threads)

    def upsert(n: int) -> int | None:
        barrier.wait()
        with stores() as store:
            return store.upsert_person(
                WS, TEAMS, "aad-1", display_name=f"Name {n}", tz="Europe/Paris"
            ).id

    with ThreadPoolExecutor(threads) as pool:
        ids = set(pool.map(upsert, range(threads)))
    assert len(ids) == 1
    assert _count(engine, "person") == 1


def test_database_keeps_one_entry_per_user(engine: Engine) -> None:
    sql = (
        "INSERT INTO person (workspace_id, platform, user_id, display_name, tz, is_bot,"
        " updated_at) VALUES ('T_ACME', '{platform}', 'U1', 'One', 'UTC', false,"
        " '2030-03-04 09:00:00')"
    )
    with engine.begin() as conn:
        conn.execute(sa.text(sql.format(platform="slack")))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(sa.text(sql.format(platform="slack")))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(sa.text(sql.format(platform="discord")))


# --- conversation references ---------------------------------------------------------

REFERENCE = {
    "activityId": "1:abc",
    "user": {"id": "29:1xyz", "aadObjectId": "aad-1", "name": "Alice"},
    "bot": {"id": "28:bot", "name": "panelbot"},
    "conversation": {"id": "a:1conv", "conversationType": "personal", "tenantId": WS},
    "channelId": "msteams",
    "serviceUrl": "https://smba.trafficmanager.net/emea/",
}


def test_conversation_ref_upsert_keeps_one_row_with_the_newest_reference(
    at: ClockedStore, engine: Engine
) -> None:
    with at(T0) as store:
        first = store.save_conversation_ref(
            WS,
            TEAMS,
            "aad-1",
            conversation_id="a:1conv",
            service_url="https://smba.trafficmanager.net/emea/",
            reference=REFERENCE,
        )
    moved = {**REFERENCE, "serviceUrl": "https://smba.trafficmanager.net/amer/"}
    later = T0 + timedelta(hours=1)
    with at(later) as store:
        again = store.save_conversation_ref(
            WS,
            TEAMS,
            "aad-1",
            conversation_id="a:1conv",
            service_url="https://smba.trafficmanager.net/amer/",
            reference=moved,
        )
    assert again.id == first.id
    with at(later) as store:
        stored = store.get_conversation_ref(WS, TEAMS, "aad-1")
    assert stored is not None
    assert stored.service_url == "https://smba.trafficmanager.net/amer/"
    assert stored.reference == moved and stored.updated_at == later
    assert _count(engine, "conversation_ref") == 1


def test_conversation_ref_is_scoped_by_tenant_and_platform(stores: Any) -> None:
    with stores() as store:
        store.save_conversation_ref(
            WS, TEAMS, "aad-1", conversation_id="a:1", service_url="https://s/", reference={}
        )
    with stores() as store:
        assert store.get_conversation_ref(OTHER, TEAMS, "aad-1") is None
        assert store.get_conversation_ref(WS, SLACK, "aad-1") is None
        assert store.get_conversation_ref(WS, TEAMS, "aad-2") is None
        found = store.get_conversation_ref(WS, TEAMS, "aad-1")
    assert found is not None and found.conversation_id == "a:1" and found.reference == {}

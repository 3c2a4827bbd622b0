"""Column types shared by the table models.

Two things the stock types do not give us on both SQLite and PostgreSQL:

* ``UTCDateTime`` — PostgreSQL keeps the offset (``timestamptz``) but SQLite drops it,
  so a value written aware would come back naive. The decorator refuses naive input
  (a naive value is ambiguous; storing it would silently mean "server local time")
  and hands back aware UTC datetimes on every backend.
* ``enum_type`` — enum columns as VARCHAR plus a named CHECK constraint, so a bad value
  written by raw SQL or another tool is refused by the database itself, and adding a
  member later is a constraint change, not a column-type migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import Dialect

__all__ = ["ENUM_LENGTH", "UTCDateTime", "enum_type", "utc_now"]

# Long enough for every current member with room to grow without altering columns.
ENUM_LENGTH = 32


def utc_now() -> datetime:
    """The current time as an aware UTC datetime (the only kind storage accepts)."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that only accepts aware values and returns UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                "naive datetime refused: storage keeps UTC, pass an aware datetime "
                "(e.g. datetime.now(UTC) or dt.replace(tzinfo=ZoneInfo(...)))"
            )
        utc = value.astimezone(UTC)
        # SQLite stores text without an offset; keep the UTC wall time there.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def __repr__(self) -> str:
        return "UTCDateTime()"


def enum_type(enum_cls: type[StrEnum], name: str) -> sa.Enum:
    """A non-native enum stored by *value*, constrained by a CHECK named ``name``.

    ``values_callable`` makes the database hold ``"strong_yes"`` rather than the member
    name ``"STRONG_YES"``; the naming convention in :mod:`storage.models` turns ``name``
    into ``ck_<table>_<name>``.
    """
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=ENUM_LENGTH,
        validate_strings=True,
        values_callable=_enum_values,
    )


def _enum_values(enum_cls: Any) -> list[str]:
    return [member.value for member in enum_cls]

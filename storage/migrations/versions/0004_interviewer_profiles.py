"""Interviewer profiles: time zone, working hours, limits, qualifications, trainees.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Written by hand after autogenerate, reviewed the same way as 0001-0003:

* ``platform`` is VARCHAR(32) plus a named CHECK (``ck_interviewer_profile_platform``),
  so this file does not import the application's enum classes;
* every constraint and index carries its ``NAMING_CONVENTION`` name (``op.f``), so
  ``autogenerate_check`` stays empty at head;
* the table is new, so no batch mode and no server defaults are needed (defaults live
  in the model, as in 0002); it references nothing, so it drops cleanly on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PLATFORMS = ("slack", "teams")
_TABLE = "interviewer_profile"


def upgrade() -> None:
    allowed = ", ".join(f"'{value}'" for value in _PLATFORMS)
    op.create_table(
        _TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("tz", sa.String(), nullable=False),
        sa.Column("work_start", sa.String(), nullable=False),
        sa.Column("work_end", sa.String(), nullable=False),
        sa.Column("weekdays", sa.String(), nullable=False),
        sa.Column("max_per_day", sa.Integer(), nullable=False),
        sa.Column("max_per_week", sa.Integer(), nullable=False),
        sa.Column("qualified", sa.JSON(), nullable=False),
        sa.Column("trainee", sa.Boolean(), nullable=False),
        sa.Column("calendar", sa.String(), nullable=True),
        sa.Column("blocks", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviewer_profile")),
        sa.UniqueConstraint(
            "workspace_id",
            "platform",
            "user_id",
            name=op.f("uq_interviewer_profile_workspace_id_platform_user_id"),
        ),
        sa.CheckConstraint(
            "max_per_day >= 0", name=op.f("ck_interviewer_profile_max_per_day_not_negative")
        ),
        sa.CheckConstraint(
            "max_per_week >= 0", name=op.f("ck_interviewer_profile_max_per_week_not_negative")
        ),
        sa.CheckConstraint(f"platform IN ({allowed})", name=op.f("ck_interviewer_profile_platform")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_interviewer_profile_workspace_id"), _TABLE, ["workspace_id"])


def downgrade() -> None:
    # Dropping the table drops its index and constraints with it.
    op.drop_table(_TABLE)

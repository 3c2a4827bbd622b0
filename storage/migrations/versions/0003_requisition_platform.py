"""Requisition platform: which chat platform a requisition (and its loops) lives on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Written by hand after autogenerate, reviewed the same way as 0001 and 0002:

* ``platform`` is VARCHAR(32) plus a named CHECK (``ck_requisition_platform``), like
  every enum column, so this file does not import the application's enum classes;
* the table already has rows, so the column is added NOT NULL with a server default of
  ``'slack'``: every requisition created before Teams existed was a Slack one. The
  default stays in the database (the model declares it too), so rows written by an
  older replica during a rolling upgrade still get a valid platform;
* SQLite cannot add a CHECK constraint to an existing table, so both steps run in batch
  mode (the table is recreated there; on PostgreSQL batch mode issues plain ALTERs).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PLATFORMS = ("slack", "teams")


def upgrade() -> None:
    allowed = ", ".join(f"'{value}'" for value in _PLATFORMS)
    with op.batch_alter_table("requisition") as batch:
        batch.add_column(
            sa.Column(
                "platform", sa.String(length=32), nullable=False, server_default="slack"
            )
        )
        batch.create_check_constraint(
            op.f("ck_requisition_platform"), sa.text(f"platform IN ({allowed})")
        )


def downgrade() -> None:
    with op.batch_alter_table("requisition") as batch:
        batch.drop_constraint(op.f("ck_requisition_platform"), type_="check")
        batch.drop_column("platform")

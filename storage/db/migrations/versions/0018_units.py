"""units: a register of the clinics and departments that order, each naming its
desk and its user-involvement contact; a request names its unit from it

A request from before keeps its free-text `unit` and no `unit_id`: reports
count it by that text, as before.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-09 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.db.models

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_nb", sa.String(length=120), nullable=False),
        sa.Column("name_nn", sa.String(length=120), nullable=True),
        sa.Column("name_en", sa.String(length=120), nullable=True),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=320), nullable=True),
        sa.Column("created_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retired_at", storage.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], name=op.f("fk_units_desk_id_desks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("code", name=op.f("uq_units_code")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_desk_id"), ["desk_id"], unique=False)
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_requests_unit_id"), ["unit_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_requests_unit_id_units"), "units", ["unit_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_requests_unit_id_units"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_requests_unit_id"))
        batch_op.drop_column("unit_id")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_desk_id"))
    op.drop_table("units")

"""commissioners: people outside the hospital who order from a desk, their
organisation and where its invoices or fee claims go; a request's payer; the
web order form's attempts (keyed hashes, for its rate)

Every request from before is paid by its ordering unit (`payer` "unit"), as
before.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-12 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.db.models

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commissioners",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("desk_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("org_name", sa.String(length=200), nullable=False),
        sa.Column("org_number", sa.String(length=9), nullable=True),
        sa.Column("invoice_email", sa.String(length=320), nullable=True),
        sa.Column("invoice_address", sa.String(length=500), nullable=True),
        sa.Column("buyer_reference", sa.String(length=100), nullable=True),
        sa.Column("created_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desks.id"], name=op.f("fk_commissioners_desk_id_desks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commissioners")),
        sa.UniqueConstraint("desk_id", "email", name=op.f("uq_commissioners_desk_id")),
    )
    with op.batch_alter_table("commissioners", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commissioners_desk_id"), ["desk_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_commissioners_org_number"), ["org_number"], unique=False
        )
    op.create_table(
        "order_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_attempts")),
    )
    with op.batch_alter_table("order_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_order_attempts_key_at", ["key", "at"], unique=False)
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("payer", sa.String(length=16), server_default="unit", nullable=False)
        )
        batch_op.add_column(sa.Column("commissioner_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_requests_commissioner_id"), ["commissioner_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_requests_commissioner_id_commissioners"),
            "commissioners",
            ["commissioner_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_requests_commissioner_id_commissioners"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_requests_commissioner_id"))
        batch_op.drop_column("commissioner_id")
        batch_op.drop_column("payer")
    with op.batch_alter_table("order_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_order_attempts_key_at")
    op.drop_table("order_attempts")
    with op.batch_alter_table("commissioners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commissioners_org_number"))
        batch_op.drop_index(batch_op.f("ix_commissioners_desk_id"))
    op.drop_table("commissioners")

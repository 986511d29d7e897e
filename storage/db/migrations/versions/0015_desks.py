"""desks: the priority channel becomes the desk `default`; desk data says its desk

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 14:20:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import storage.db.models

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The tables whose rows belong to one desk (storage.db.models.DeskScoped).
DESK_TABLES = (
    "requests",
    "participants",
    "invitations",
    "fee_claims",
    "evaluations",
    "gatherings",
    "surveys",
)


def upgrade() -> None:
    desks = op.create_table(
        "desks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name_nb", sa.String(length=120), nullable=False),
        sa.Column("name_nn", sa.String(length=120), nullable=True),
        sa.Column("name_en", sa.String(length=120), nullable=True),
        sa.Column("rates_path", sa.String(length=500), nullable=True),
        sa.Column("payroll_email", sa.String(length=320), nullable=True),
        sa.Column("invoices", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("admins", sa.JSON(), nullable=False),
        sa.Column("outside_orders", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("team_id", sa.String(length=300), nullable=True),
        sa.Column("channel_id", sa.String(length=300), nullable=True),
        sa.Column("service_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("registered_by", sa.String(length=64), nullable=True),
        sa.Column("registered_at", storage.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desks")),
        sa.UniqueConstraint("code", name=op.f("uq_desks_code")),
        sa.UniqueConstraint("channel_id", name=op.f("uq_desks_channel_id")),
    )
    # Everything an installation from before desks had is the desk `default`'s,
    # its priority channel included.
    op.bulk_insert(
        desks,
        [
            {
                "id": 1,
                "code": "default",
                "name_nb": "Prioriteringsteamet",
                "name_nn": "Prioriteringsteamet",
                "name_en": "The priority team",
                "invoices": False,
                "admins": [],
                "outside_orders": False,
                "created_at": datetime.now(UTC),
            }
        ],
    )
    bind = op.get_bind()
    copied = ("team_id", "channel_id", "service_url", "tenant_id", "registered_by", "registered_at")
    bind.execute(
        sa.text(
            "UPDATE desks SET "
            + ", ".join(f"{c} = (SELECT {c} FROM priority_channel WHERE id = 1)" for c in copied)
            + " WHERE id = 1 AND EXISTS (SELECT 1 FROM priority_channel WHERE id = 1)"
        )
    )
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("SELECT setval('desks_id_seq', 1)"))
    for table in DESK_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("desk_id", sa.Integer(), server_default="1", nullable=False)
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_desk_id"), ["desk_id"], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_desk_id_desks"), "desks", ["desk_id"], ["id"]
            )
    # A suggestion walks its desk's pool in rotation order.
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_participants_rotation", postgresql_ops={"last_invited_at": "NULLS FIRST"}
        )
        batch_op.create_index(
            "ix_participants_rotation",
            ["desk_id", "status", "asked_12m", "last_invited_at", "onboarding_due", "id"],
            unique=False,
            postgresql_ops={"last_invited_at": "NULLS FIRST"},
        )
    op.drop_table("priority_channel")


def downgrade() -> None:
    op.create_table(
        "priority_channel",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("team_id", sa.String(length=300), nullable=False),
        sa.Column("channel_id", sa.String(length=300), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("registered_by", sa.String(length=64), nullable=True),
        sa.Column("registered_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_channel")),
    )
    op.execute(
        "INSERT INTO priority_channel (id, team_id, channel_id, service_url, tenant_id,"
        " registered_by, registered_at) SELECT 1, team_id, channel_id, service_url, tenant_id,"
        " registered_by, registered_at FROM desks WHERE id = 1 AND channel_id IS NOT NULL"
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_participants_rotation", postgresql_ops={"last_invited_at": "NULLS FIRST"}
        )
        batch_op.create_index(
            "ix_participants_rotation",
            ["status", "asked_12m", "last_invited_at", "onboarding_due", "id"],
            unique=False,
            postgresql_ops={"last_invited_at": "NULLS FIRST"},
        )
    for table in DESK_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_desk_id_desks"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_desk_id"))
            batch_op.drop_column("desk_id")
    op.drop_table("desks")

"""sms: a phone number on contacts, SMS turned off by `STOPP` (per person) or
chosen before e-mail (a participant's), an invitation's four-digit reply code,
a desk's monthly budget of segments, and three tables: the SMS sent (keyed
hashes of numbers, never the numbers), the short links they carry, and the
numbers told "not understood" today

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-16 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.db.models

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("sms_off", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_contacts_phone"), ["phone"])
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sms_off", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("prefers_sms", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_participants_phone"), ["phone"])
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sms_code", sa.String(length=4), nullable=True))
    with op.batch_alter_table("desks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sms_budget", sa.Integer(), nullable=True))
    op.create_table(
        "sms_sent",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("desk_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("number_key", sa.String(length=64), nullable=False),
        sa.Column("segments", sa.Integer(), nullable=False),
        sa.Column("reply", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("gateway_id", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("sent_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["desk_id"], ["desks.id"], name=op.f("fk_sms_sent_desk_id_desks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_sent")),
        sa.UniqueConstraint("outbox_id", name=op.f("uq_sms_sent_outbox_id")),
    )
    with op.batch_alter_table("sms_sent", schema=None) as batch_op:
        batch_op.create_index("ix_sms_sent_number_at", ["number_key", "sent_at"])
        batch_op.create_index("ix_sms_sent_desk_at", ["desk_id", "sent_at"])
        batch_op.create_index(batch_op.f("ix_sms_sent_desk_id"), ["desk_id"])
        batch_op.create_index(batch_op.f("ix_sms_sent_gateway_id"), ["gateway_id"])
    op.create_table(
        "short_links",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column("expires_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_short_links")),
    )
    op.create_table(
        "sms_numbers",
        sa.Column("number_key", sa.String(length=64), nullable=False),
        sa.Column("not_understood_at", storage.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("stopped_at", storage.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("number_key", name=op.f("pk_sms_numbers")),
    )


def downgrade() -> None:
    op.drop_table("sms_numbers")
    op.drop_table("short_links")
    with op.batch_alter_table("sms_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_sent_gateway_id"))
        batch_op.drop_index(batch_op.f("ix_sms_sent_desk_id"))
        batch_op.drop_index("ix_sms_sent_desk_at")
        batch_op.drop_index("ix_sms_sent_number_at")
    op.drop_table("sms_sent")
    with op.batch_alter_table("desks", schema=None) as batch_op:
        batch_op.drop_column("sms_budget")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("sms_code")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participants_phone"))
        batch_op.drop_column("prefers_sms")
        batch_op.drop_column("sms_off")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_phone"))
        batch_op.drop_column("sms_off")
        batch_op.drop_column("phone")

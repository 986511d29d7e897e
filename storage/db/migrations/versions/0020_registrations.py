"""registrations: gatherings that take registrations in medvirk, with seats,
questions and a waiting list whose freed seats are offered for a while

A gathering from before takes none (its `registers` is false): its reminders
go to its groups as before.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-14 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.db.models

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gatherings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("questions", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("offer_hours", sa.Integer(), server_default="48", nullable=False)
        )
        batch_op.add_column(
            sa.Column("registers", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("seats_taken", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("arrivals", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("programme_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("programme_pdf", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column("programme_at", storage.db.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "programme_sent_at", storage.db.models.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("desk_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("gathering_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("arrival", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("offered_until", storage.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("door_code", sa.String(length=8), nullable=False),
        sa.Column("attended_at", storage.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_registrations_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desks.id"], name=op.f("fk_registrations_desk_id_desks")
        ),
        sa.ForeignKeyConstraint(
            ["gathering_id"],
            ["gatherings.id"],
            name=op.f("fk_registrations_gathering_id_gatherings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrations")),
        sa.UniqueConstraint(
            "gathering_id", "contact_id", name=op.f("uq_registrations_gathering_id")
        ),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registrations_contact_id"), ["contact_id"])
        batch_op.create_index(batch_op.f("ix_registrations_desk_id"), ["desk_id"])
        batch_op.create_index(batch_op.f("ix_registrations_gathering_id"), ["gathering_id"])


def downgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registrations_gathering_id"))
        batch_op.drop_index(batch_op.f("ix_registrations_desk_id"))
        batch_op.drop_index(batch_op.f("ix_registrations_contact_id"))
    op.drop_table("registrations")
    with op.batch_alter_table("gatherings", schema=None) as batch_op:
        for column in (
            "programme_sent_at",
            "programme_at",
            "programme_pdf",
            "programme_text",
            "arrivals",
            "seats_taken",
            "registers",
            "offer_hours",
            "questions",
        ):
            batch_op.drop_column(column)
        batch_op.drop_column("capacity")

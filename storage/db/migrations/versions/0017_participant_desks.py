"""participant desks: a participant lets other desks ask them too

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 14:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.db.models

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "participant_desks",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("consented_at", storage.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("consent_version", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"], ["desks.id"], name=op.f("fk_participant_desks_desk_id_desks")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_desks_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participant_id", "desk_id", name=op.f("pk_participant_desks")),
    )
    with op.batch_alter_table("participant_desks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_desks_desk_id"), ["desk_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("participant_desks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_desks_desk_id"))
    op.drop_table("participant_desks")

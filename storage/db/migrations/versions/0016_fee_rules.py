"""fee rules as published: rounding, the in-person minimum, travel at the
cheapest fare, lost earnings against documentation, a declined fee

Every new column has the default that is today's rule, so a claim filed before
keeps its meaning.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fee_claims", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rounding", sa.String(length=20), server_default="quarter_up", nullable=False)
        )
        batch_op.add_column(sa.Column("min_in_person_hundredths", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("travel_cheapest", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "lost_earnings_documented",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("lost_earnings_day_max_ore", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("in_person", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("lost_earnings_nok", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("lost_earnings_ore", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("fee_declined", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("fee_claims", schema=None) as batch_op:
        for column in (
            "fee_declined",
            "lost_earnings_ore",
            "lost_earnings_nok",
            "in_person",
            "lost_earnings_day_max_ore",
            "lost_earnings_documented",
            "travel_cheapest",
            "min_in_person_hundredths",
            "rounding",
        ):
            batch_op.drop_column(column)

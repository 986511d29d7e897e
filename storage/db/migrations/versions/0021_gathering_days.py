"""gathering days: a fee claim for a day at a gathering (not only for a
request's work), a gathering's meeting link for those attending digitally and
its open registration, and each registrant's evaluation of the day

A claim is for a request or for a gathering: `request_id` may now be empty.
Contacts who registered through a gathering's open link are kept only for it
(`only_for_gathering_id`), and forgotten with it.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-15 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.db.models

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fee_claims", schema=None) as batch_op:
        batch_op.alter_column("request_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("gathering_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_fee_claims_gathering_id"), ["gathering_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_fee_claims_gathering_id_gatherings"),
            "gatherings",
            ["gathering_id"],
            ["id"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_fee_claims_gathering_id"), ["gathering_id", "participant_id"]
        )
    with op.batch_alter_table("gatherings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_url", sa.String(length=1000), nullable=True))
        batch_op.add_column(
            sa.Column("open_registration", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("comment", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("evaluated_at", storage.db.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "evaluation_asked_at", storage.db.models.UTCDateTime(timezone=True), nullable=True
            )
        )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("only_for_gathering_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("only_for_gathering_id")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_column("evaluation_asked_at")
        batch_op.drop_column("evaluated_at")
        batch_op.drop_column("comment")
        batch_op.drop_column("rating")
    with op.batch_alter_table("gatherings", schema=None) as batch_op:
        batch_op.drop_column("open_registration")
        batch_op.drop_column("meeting_url")
    # A day's claim sent to payroll is bookkeeping: not thrown away by a downgrade.
    kept = op.get_bind().scalar(sa.text("SELECT count(*) FROM fee_claims WHERE request_id IS NULL"))
    if kept:
        raise RuntimeError(
            f"{kept} fee claims are for days at gatherings: export them (medvirk claims list) "
            "and remove them before downgrading"
        )
    with op.batch_alter_table("fee_claims", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_fee_claims_gathering_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_fee_claims_gathering_id_gatherings"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_fee_claims_gathering_id"))
        batch_op.drop_column("gathering_id")
        batch_op.alter_column("request_id", existing_type=sa.Integer(), nullable=False)

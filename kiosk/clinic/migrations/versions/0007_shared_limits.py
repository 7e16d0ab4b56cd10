"""Limits every service process shares: failed sign-ins at usernames that do not
exist and per source address, and the anonymous refusals being counted for the
audit log, kept in the database instead of one process's memory, so N service
processes on one PostgreSQL count together.

Revision ID: 0007_shared_limits
Revises: 0006_nobody_missed
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_shared_limits"
down_revision = "0006_nobody_missed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_counts",
        sa.Column("kind", sa.String(length=8), primary_key=True),
        sa.Column("key", sa.String(length=64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("started", sa.Double(), nullable=False),
        sa.Column("locked_until", sa.Double(), nullable=False, server_default=sa.text("0")),
    )
    op.create_index("ix_sign_in_counts_started", "sign_in_counts", ["started"], unique=False)
    op.create_table(
        "anonymous_refusals",
        sa.Column("remote", sa.String(length=64), primary_key=True),
        sa.Column("outcome", sa.String(length=40), primary_key=True),
        sa.Column("started", sa.Double(), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.create_index(
        "ix_anonymous_refusals_started", "anonymous_refusals", ["started"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_anonymous_refusals_started", table_name="anonymous_refusals")
    op.drop_table("anonymous_refusals")
    op.drop_index("ix_sign_in_counts_started", table_name="sign_in_counts")
    op.drop_table("sign_in_counts")

"""Held submissions an administrator can review and re-process: a status (held or
resolved), who resolved it and when, and the pathway its header names.

Revision ID: 0004_held_review
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_held_review"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild); rows held before this version are still held.
    op.add_column(
        "held_submissions",
        sa.Column("status", sa.String(length=16), nullable=False, server_default=sa.text("'held'")),
    )
    for name, length in (("pathway", 64), ("resolved_at", 32), ("resolved_by", 100)):
        op.add_column("held_submissions", sa.Column(name, sa.String(length=length), nullable=True))
    op.create_index("ix_held_submissions_status", "held_submissions", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_held_submissions_status", table_name="held_submissions")
    with op.batch_alter_table("held_submissions") as batch:
        batch.drop_column("resolved_by")
        batch.drop_column("resolved_at")
        batch.drop_column("pathway")
        batch.drop_column("status")

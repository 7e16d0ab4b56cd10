"""Staff accounts a trust can manage: server-side sessions (signed out, retired on
refresh, ended when a user is disabled, changes role or has a password reset, with an
absolute lifetime), a forced password change after a reset, the last sign-in, and the
clinics a user is limited to.

Revision ID: 0005_staff_accounts
Revises: 0004_held_review
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_staff_accounts"
down_revision = "0004_held_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("ends_at", sa.Double(), nullable=False),
        sa.Column("token_serial", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("ended_at", sa.String(length=32), nullable=True),
        sa.Column("ended_reason", sa.String(length=40), nullable=True),
        sa.Column("remote", sa.String(length=64), nullable=True),
    )
    op.create_index("ix_staff_sessions_user_id", "staff_sessions", ["user_id"], unique=False)
    # Plain ADD COLUMN (no table rebuild); existing users keep their passwords and see
    # every clinic, as before.
    op.add_column(
        "users",
        sa.Column(
            "must_change_password",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
        ),
    )
    op.add_column("users", sa.Column("last_sign_in_at", sa.String(length=32), nullable=True))
    op.add_column("users", sa.Column("clinics", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("clinics")
        batch.drop_column("last_sign_in_at")
        batch.drop_column("must_change_password")
    op.drop_index("ix_staff_sessions_user_id", table_name="staff_sessions")
    op.drop_table("staff_sessions")

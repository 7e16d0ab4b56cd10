"""Staff casework: triage and referrals; the queue's plain columns on submissions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite and PostgreSQL both have it): never a table rebuild,
    # which on SQLite would cascade-delete every submission's flags and responses.
    op.add_column("submissions", sa.Column("day", sa.String(length=10), nullable=True))
    op.add_column("submissions", sa.Column("clinic", sa.String(length=80), nullable=True))
    op.add_column("submissions", sa.Column("appointment_time", sa.String(length=8), nullable=True))
    op.add_column(
        "submissions",
        sa.Column("urgency", sa.Integer(), nullable=False, server_default=sa.text("3")),
    )
    op.create_index("ix_submissions_day", "submissions", ["day"], unique=False)
    # Submissions received before this version: their day from when they started;
    # their urgency from the flags already raised.
    connection = op.get_bind()
    rows = connection.execute(sa.text("select id, started_at from submissions")).all()
    for sid, started in rows:
        try:
            day = dt.datetime.fromisoformat(started).astimezone().date().isoformat()
        except ValueError:
            day = None
        connection.execute(
            sa.text("update submissions set day = :d where id = :i"), {"d": day, "i": sid}
        )
    connection.execute(
        sa.text(
            "update submissions set urgency = 0 where id in "
            "(select submission_id from flags where severity = 'urgent')"
        )
    )
    connection.execute(
        sa.text(
            "update submissions set urgency = 1 where urgency > 1 and id in "
            "(select submission_id from flags where flag_id = 'wants_help')"
        )
    )
    connection.execute(
        sa.text(
            "update submissions set urgency = 2 where urgency > 2 and id in "
            "(select submission_id from flags)"
        )
    )
    op.create_table(
        "triage",
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("submission_id"),
    )
    op.create_index(op.f("ix_triage_status"), "triage", ["status"], unique=False)
    # Every submission has a triage row from the moment it arrives.
    connection.execute(
        sa.text(
            "insert into triage (submission_id, status, version, updated_at, updated_by) "
            "select id, 'new', 0, received_at, 'clinic' from submissions"
        )
    )
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("referred_on", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("outcome_on", sa.String(length=10), nullable=True),
        sa.Column("notes", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_referrals_submission_id"), "referrals", ["submission_id"], unique=False
    )
    op.create_index(op.f("ix_referrals_kind"), "referrals", ["kind"], unique=False)


def downgrade() -> None:
    op.drop_table("referrals")
    op.drop_table("triage")
    op.drop_index("ix_submissions_day", table_name="submissions")
    for name in ("urgency", "appointment_time", "clinic", "day"):
        op.drop_column("submissions", name)

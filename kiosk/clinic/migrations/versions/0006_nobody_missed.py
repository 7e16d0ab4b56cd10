"""Nobody missed, mistakes put right, clinic lists from the hospital's systems: how
each submission came (tablet alone, assisted, paper) and who entered it, the
appointment it is linked to (a keyed HMAC), voiding, the history of link corrections,
how far each appointment's patient has got today, and the HL7 v2 messages received.

Revision ID: 0006_nobody_missed
Revises: 0005_staff_accounts
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_nobody_missed"
down_revision = "0005_staff_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): every stored submission came by tablet.
    op.add_column(
        "submissions",
        sa.Column("route", sa.String(length=16), nullable=False, server_default="tablet"),
    )
    op.add_column("submissions", sa.Column("entered_by", sa.String(length=100), nullable=True))
    op.add_column("submissions", sa.Column("appointment_key", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_submissions_appointment_key", "submissions", ["appointment_key"], unique=False
    )
    op.add_column("submissions", sa.Column("voided_at", sa.String(length=32), nullable=True))
    op.create_table(
        "link_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "submission_id",
            sa.String(length=32),
            sa.ForeignKey("submissions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.LargeBinary(), nullable=False),
        sa.Column("before", sa.LargeBinary(), nullable=True),
        sa.Column("after", sa.LargeBinary(), nullable=True),
    )
    op.create_index(
        "ix_link_changes_submission_id", "link_changes", ["submission_id"], unique=False
    )
    op.create_table(
        "appointment_progress",
        sa.Column("appointment_key", sa.String(length=64), primary_key=True),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=16), nullable=False),
    )
    op.create_index("ix_appointment_progress_day", "appointment_progress", ["day"], unique=False)
    op.create_table(
        "hl7_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sender", sa.String(length=100), nullable=False),
        sa.Column("control_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("message_type", sa.String(length=16), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("ack_code", sa.String(length=2), nullable=False),
        sa.Column("ack", sa.Text(), nullable=False),
        sa.UniqueConstraint("sender", "control_id"),
    )
    op.create_index("ix_hl7_messages_received_at", "hl7_messages", ["received_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_hl7_messages_received_at", table_name="hl7_messages")
    op.drop_table("hl7_messages")
    op.drop_index("ix_appointment_progress_day", table_name="appointment_progress")
    op.drop_table("appointment_progress")
    op.drop_index("ix_link_changes_submission_id", table_name="link_changes")
    op.drop_table("link_changes")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_index("ix_submissions_appointment_key")
        batch.drop_column("voided_at")
        batch.drop_column("appointment_key")
        batch.drop_column("entered_by")
        batch.drop_column("route")

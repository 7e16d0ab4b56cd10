"""The clinic database: devices, enrolment codes, submissions, responses, flags,
held uploads, clinic lists, staff users and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("remote", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_action"), "audit", ["action"], unique=False)
    op.create_index(op.f("ix_audit_at"), "audit", ["at"], unique=False)
    op.create_table(
        "clinic_lists",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("csv", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("enrolled_at", sa.String(length=32), nullable=False),
        sa.Column("revoked_at", sa.String(length=32), nullable=True),
        sa.Column("last_seen_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "enrolment_codes",
        sa.Column("code_id", sa.String(length=8), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.Double(), nullable=False),
        sa.Column("used_at", sa.String(length=32), nullable=True),
        sa.Column("used_by", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("code_id"),
    )
    op.create_table(
        "held_submissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=16), nullable=False),
        sa.Column("envelope", sa.LargeBinary(), nullable=False),
        sa.Column("envelope_hash", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_held_submissions_submission_id"),
        "held_submissions",
        ["submission_id"],
        unique=False,
    )
    op.create_table(
        "nonces",
        sa.Column("device_id", sa.String(length=16), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("seen_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "nonce"),
    )
    op.create_index(op.f("ix_nonces_seen_at"), "nonces", ["seen_at"], unique=False)
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=16), nullable=False),
        sa.Column("envelope", sa.LargeBinary(), nullable=False),
        sa.Column("envelope_hash", sa.String(length=80), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("end_reason", sa.String(length=16), nullable=False),
        sa.Column("pathway", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("link_method", sa.String(length=20), nullable=True),
        sa.Column("patient_key", sa.String(length=64), nullable=True),
        sa.Column("identifiers", sa.LargeBinary(), nullable=True),
        sa.Column("failed_records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_submissions_device_id"), "submissions", ["device_id"], unique=False)
    op.create_index(
        op.f("ix_submissions_patient_key"), "submissions", ["patient_key"], unique=False
    )
    op.create_index(
        op.f("ix_submissions_received_at"), "submissions", ["received_at"], unique=False
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.Double(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("flag_id", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("raised_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_flags_flag_id"), "flags", ["flag_id"], unique=False)
    op.create_index(op.f("ix_flags_raised_at"), "flags", ["raised_at"], unique=False)
    op.create_index(op.f("ix_flags_submission_id"), "flags", ["submission_id"], unique=False)
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("submission_id", sa.String(length=32), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("form_version", sa.String(length=32), nullable=False),
        sa.Column("form_hash", sa.String(length=80), nullable=False),
        sa.Column("form_known", sa.Boolean(), nullable=False),
        sa.Column("scores", sa.Text(), nullable=False),
        sa.Column("bands", sa.Text(), nullable=False),
        sa.Column("answers", sa.LargeBinary(), nullable=False),
        sa.Column("tablet_agrees", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "form_id"),
    )
    op.create_index(op.f("ix_responses_form_id"), "responses", ["form_id"], unique=False)
    op.create_index(
        op.f("ix_responses_submission_id"), "responses", ["submission_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_responses_submission_id"), table_name="responses")
    op.drop_index(op.f("ix_responses_form_id"), table_name="responses")
    op.drop_table("responses")
    op.drop_index(op.f("ix_flags_submission_id"), table_name="flags")
    op.drop_index(op.f("ix_flags_raised_at"), table_name="flags")
    op.drop_index(op.f("ix_flags_flag_id"), table_name="flags")
    op.drop_table("flags")
    op.drop_table("users")
    op.drop_index(op.f("ix_submissions_received_at"), table_name="submissions")
    op.drop_index(op.f("ix_submissions_patient_key"), table_name="submissions")
    op.drop_index(op.f("ix_submissions_device_id"), table_name="submissions")
    op.drop_table("submissions")
    op.drop_index(op.f("ix_nonces_seen_at"), table_name="nonces")
    op.drop_table("nonces")
    op.drop_index(op.f("ix_held_submissions_submission_id"), table_name="held_submissions")
    op.drop_table("held_submissions")
    op.drop_table("enrolment_codes")
    op.drop_table("devices")
    op.drop_table("clinic_lists")
    op.drop_index(op.f("ix_audit_at"), table_name="audit")
    op.drop_index(op.f("ix_audit_action"), table_name="audit")
    op.drop_table("audit")

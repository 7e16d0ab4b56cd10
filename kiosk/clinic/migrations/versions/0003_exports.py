"""Exports: the IMD postcode lookup, appointment counts by group, an audit detail
(an export's purpose), and an index for streaming submissions patient by patient.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit", sa.Column("detail", sa.String(length=400), nullable=True))
    op.create_index("ix_submissions_patient_started", "submissions", ["patient_key", "started_at"])
    op.create_table(
        "imd_postcodes",
        sa.Column("postcode", sa.String(length=8), nullable=False),
        sa.Column("lsoa", sa.String(length=12), nullable=False),
        sa.Column("imd_decile", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("postcode"),
    )
    op.create_table(
        "appointment_counts",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("clinic", sa.String(length=80), nullable=False),
        sa.Column("imd_quintile", sa.Integer(), nullable=False),
        sa.Column("ethnic_group", sa.String(length=20), nullable=False),
        sa.Column("appointments", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "clinic", "imd_quintile", "ethnic_group"),
    )


def downgrade() -> None:
    op.drop_table("appointment_counts")
    op.drop_table("imd_postcodes")
    op.drop_index("ix_submissions_patient_started", table_name="submissions")
    op.drop_column("audit", "detail")

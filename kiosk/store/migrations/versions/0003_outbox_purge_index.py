"""An index of the acknowledged envelopes kept for the retention period, by when they
are to be deleted: the purge after every batch of receipts reads only those.

The search it replaces ran over every acknowledged row the tablet had ever had
(receipts are kept), reading each row, so it grew with the tablet's age and with
every batch of a long backlog. The index is partial: it holds only rows that still
have an envelope and a ``delete_after`` (set only when the clinic acknowledges), so
it stays as small as the envelopes waiting to be purged, and a patient's answers
still waiting to be sent are never in it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_retained_envelopes",
        "outbox",
        ["delete_after"],
        sqlite_where=sa.text("delete_after IS NOT NULL AND envelope IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_retained_envelopes", table_name="outbox")

"""The tablet database, as SQLAlchemy 2 models.

Nothing here holds patient data in clear: ``records.sealed`` and
``outbox.envelope`` are ciphertext sealed for the clinic, ``clinic_lists.sealed``
is ciphertext under the tablet's own key; every other column
is an id, a time, a form id/version/hash, a count or sync state. The schema
itself is built by the Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    """A patient session still in progress (removed once sealed into the outbox)."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    pathway: Mapped[str] = mapped_column(String(64))
    forms: Mapped[str] = mapped_column(Text)  # JSON [{"id", "version", "hash"}]
    started_at: Mapped[str] = mapped_column(String(32))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    clinic_key_id: Mapped[str] = mapped_column(String(32))


class RecordRow(Base):
    """One sealed record of a session in progress: an answer, the link, start or end."""

    __tablename__ = "records"
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(130))  # form_id/item_id or _session/...
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[str] = mapped_column(String(32))


class OutboxRow(Base):
    """A sealed submission waiting for (or acknowledged by) the clinic."""

    __tablename__ = "outbox"
    submission_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # complete | incomplete
    end_reason: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(32))
    envelope: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    envelope_hash: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    acknowledged_at: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    delete_after: Mapped[str | None] = mapped_column(String(32), nullable=True)

    # What the purge searches: only the acknowledged envelopes kept for the retention
    # period (migration 0003), never the whole history of receipts.
    __table_args__ = (
        Index(
            "ix_outbox_retained_envelopes",
            "delete_after",
            sqlite_where=text("delete_after IS NOT NULL AND envelope IS NOT NULL"),
        ),
    )


class EventRow(Base):
    """The append-only event log (triggers refuse UPDATE and DELETE). No patient data."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    submission_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")


class QuarantineRow(Base):
    """Ciphertext that failed a check: kept aside for investigation, never dropped."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32))
    submission_id: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class ClinicListRow(Base):
    """A day's clinic list, encrypted with the tablet's own key (see clinic_list.py)."""

    __tablename__ = "clinic_lists"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[str] = mapped_column(String(32))


class StaffPinRow(Base):
    """The staff PIN (argon2id hash) and its lock-out state."""

    __tablename__ = "staff_pin"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[float] = mapped_column(default=0.0)

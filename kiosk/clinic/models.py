"""The clinic database, as SQLAlchemy 2 models (built by the Alembic migrations).

Patient data is never in a plain column: ``identifiers``, ``answers`` and an
enrolment code's secret are AES-GCM ciphertext under the server's data key
(columns.py). Scores, bands, flags, form ids, versions, hashes and times are
plain, for querying; ``patient_key`` is a keyed HMAC of the NHS or hospital
number, so baseline and follow-up can be linked without decrypting anything.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.vocabulary import NO_FLAGS, TABLET


class Base(DeclarativeBase):
    pass


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(80))
    enrolled_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_seen_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"
    code_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    created_at: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[float] = mapped_column()
    used_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    used_by: Mapped[str | None] = mapped_column(String(16), nullable=True)


class Nonce(Base):
    __tablename__ = "nonces"
    device_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    seen_at: Mapped[float] = mapped_column(index=True)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_patient_started", "patient_key", "started_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(16), index=True)
    envelope: Mapped[bytes] = mapped_column(LargeBinary)
    envelope_hash: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16))  # complete | incomplete
    end_reason: Mapped[str] = mapped_column(String(16))
    pathway: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    link_method: Mapped[str | None] = mapped_column(String(20), nullable=True)
    patient_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    identifiers: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # encrypted
    failed_records: Mapped[int] = mapped_column(Integer, default=0)
    # For today's queue without decrypting every row: the clinic's local day the
    # patient answered, the appointment's clinic and time (from the clinic list,
    # not identifying on their own) and the most urgent flag (0 urgent, 1 asked
    # for help, 2 other flags, 3 none).
    day: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    clinic: Mapped[str | None] = mapped_column(String(80), nullable=True)
    appointment_time: Mapped[str | None] = mapped_column(String(8), nullable=True)
    urgency: Mapped[int] = mapped_column(Integer, default=NO_FLAGS, server_default=text("3"))
    # How the answers came (vocabulary.ENTRY_ROUTES: the tablet alone, assisted by a
    # member of staff, keyed in from paper) and the staff member who assisted or keyed
    # them in (a username; None for the tablet alone).
    route: Mapped[str] = mapped_column(String(16), default=TABLET, server_default=TABLET)
    entered_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # A keyed HMAC of the appointment id the submission is linked to (None: no
    # appointment), so today's clinic list can be matched without decrypting anything.
    appointment_key: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    # Set when staff void the submission as entered in error: it leaves the queue,
    # the exports and the reports, but nothing is deleted (see LinkChange).
    voided_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class Response(Base):
    """One form of a submission: plain scores for querying, answers encrypted."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("submission_id", "form_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    form_version: Mapped[str] = mapped_column(String(32))
    form_hash: Mapped[str] = mapped_column(String(80))
    form_known: Mapped[bool] = mapped_column(Boolean)
    scores: Mapped[str] = mapped_column(Text)  # JSON {score id: number}
    bands: Mapped[str] = mapped_column(Text)  # JSON {score id: band code}
    answers: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted JSON
    tablet_agrees: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class Flag(Base):
    __tablename__ = "flags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    form_id: Mapped[str] = mapped_column(String(64))
    flag_id: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[str] = mapped_column(String(32), index=True)


class HeldSubmission(Base):
    """An upload kept aside for an administrator (kiosk/clinic/held.py): one that would
    not open, conflicts with a stored envelope, names an unknown pathway or language,
    gives an answer its form does not allow, or failed to store. Never deleted: once
    re-processed and stored it is ``resolved``, with who and when."""

    __tablename__ = "held_submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[str] = mapped_column(String(16))
    envelope: Mapped[bytes] = mapped_column(LargeBinary)
    envelope_hash: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(
        String(16), default="held", server_default=text("'held'"), index=True
    )  # held | resolved
    pathway: Mapped[str | None] = mapped_column(String(64), nullable=True)  # from the header
    resolved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class ClinicListDay(Base):
    __tablename__ = "clinic_lists"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    csv: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    updated_at: Mapped[str] = mapped_column(String(32))


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[float] = mapped_column(default=0.0)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(32))
    # After an administrator's reset: every route but changing the password is refused.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    last_sign_in_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # JSON list of the clinic names (as in the clinic list) the user may see; NULL: all.
    clinics: Mapped[str | None] = mapped_column(Text, nullable=True)


class StaffSession(Base):
    """One sign-in, on the server: a token is good only while its session is open, has
    not passed ``ends_at`` (an absolute lifetime refresh cannot extend) and carries the
    session's current ``token_serial`` (refreshing retires the token before)."""

    __tablename__ = "staff_sessions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[str] = mapped_column(String(32))
    ends_at: Mapped[float] = mapped_column()
    token_serial: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    ended_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # signed_out | expired | disabled | role_changed | password_reset | password_changed
    # | clinics_changed
    ended_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    remote: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditEntry(Base):
    """Who did what, when, from where. Never patient data: ids and codes only."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(100))  # user:NAME | device:ID | anonymous
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str | None] = mapped_column(String(100), nullable=True)
    outcome: Mapped[str] = mapped_column(String(40))
    remote: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str | None] = mapped_column(
        String(400), nullable=True
    )  # e.g. an export's purpose


class Triage(Base):
    """What staff decided about one submission. ``version`` counts saves: a save must
    name the version it started from, so two people editing at once cannot overwrite
    each other unseen."""

    __tablename__ = "triage"
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16), index=True)
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    notes: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # encrypted
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[str] = mapped_column(String(32))
    updated_by: Mapped[str] = mapped_column(String(64))


class Referral(Base):
    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32), index=True)
    referred_on: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(20))
    outcome_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    notes: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # encrypted
    version: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class ImdPostcode(Base):
    """The site's postcode -> LSOA -> IMD decile lookup (``kiosk imd import``)."""

    __tablename__ = "imd_postcodes"
    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)  # "E16AN": no space
    lsoa: Mapped[str] = mapped_column(String(12))
    imd_decile: Mapped[int] = mapped_column(Integer)


class AppointmentCount(Base):
    """How many appointments a day's clinic list held, by group: never a name or number."""

    __tablename__ = "appointment_counts"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    clinic: Mapped[str] = mapped_column(String(80), primary_key=True)
    imd_quintile: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: unknown
    ethnic_group: Mapped[str] = mapped_column(String(20), primary_key=True)
    appointments: Mapped[int] = mapped_column(Integer)


class LinkChange(Base):
    """One correction of a submission's link (vocabulary.LINK_CORRECTIONS): re-linked
    to another appointment or patient, unlinked (anonymous), or voided as entered in
    error, by whom, when and why. The link before and after and the reason are
    encrypted; the row is never deleted, so the summary can show the history."""

    __tablename__ = "link_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[str] = mapped_column(String(32))
    by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    before: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # encrypted
    after: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # encrypted


class AppointmentProgress(Base):
    """How far the patient of one appointment has got today (vocabulary.
    APPOINTMENT_STAGES), as the tablets report it before any submission arrives.
    ``appointment_key`` is the same keyed HMAC as Submission.appointment_key."""

    __tablename__ = "appointment_progress"
    appointment_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[str] = mapped_column(String(32))
    device_id: Mapped[str] = mapped_column(String(16))


class Hl7Message(Base):
    """One HL7 v2 message received over MLLP, stored before it is acknowledged, so none
    is lost. A repeat of (sender, control id) is answered with the stored ``ack`` and
    applied once. The message itself is identifiable, hence encrypted."""

    __tablename__ = "hl7_messages"
    __table_args__ = (UniqueConstraint("sender", "control_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sender: Mapped[str] = mapped_column(String(100))
    control_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[str] = mapped_column(String(32), index=True)
    message_type: Mapped[str] = mapped_column(String(16))
    message: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    ack_code: Mapped[str] = mapped_column(String(2))  # AA | AE | AR
    ack: Mapped[str] = mapped_column(Text)  # never patient data: codes and reasons only


class SignInCount(Base):
    """Failed sign-ins that belong to no account, kept where every service process
    sees them (kiosk/clinic/sign_in_limits.py): ``kind`` "name" counts tries at a
    username that does not exist (``locked_until`` once it reaches the limit);
    "source" counts failures from one address in a window that began at
    ``started``. ``key`` is a keyed HMAC of the username or address, never the
    text itself (someone may type a password into the username box). Rows whose
    lock or window has ended are forgotten."""

    __tablename__ = "sign_in_counts"
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    started: Mapped[float] = mapped_column(index=True)
    locked_until: Mapped[float] = mapped_column(default=0.0, server_default=text("0"))


class AnonymousRefusals(Base):
    """One minute of refused anonymous requests from one address with one outcome
    (kiosk/clinic/audit_flood.py): the first is in the audit log already; ``count``
    more came after it. When the minute is over the row is deleted and its count
    written to the audit log as one row, by whichever service process gets there
    first."""

    __tablename__ = "anonymous_refusals"
    remote: Mapped[str] = mapped_column(String(64), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(40), primary_key=True)
    started: Mapped[float] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(100), nullable=True)
    count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

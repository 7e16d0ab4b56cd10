"""Every code that crosses the wire or the database, defined once.

The clinic checks and stores these codes, the tablet and the staff console send
them, the reports and the screens look their words up by them. Only codes live
here, never words for people: each layer that shows a code keeps its own words
for it, keyed by these codes (``kiosk.reports.formatting`` on paper,
``kiosk.ui.staff.words`` in the console, translated), and
``tests/test_vocabulary.py`` fails when a code has no words in a layer that shows
it, or when a list of codes is written out again anywhere else.

The values are the wire's and the database's: docs/staff-api.md,
docs/sync-protocol.md and the OpenAPI document name them, so they never change.
Plain Python only (tuples of strings and ints): every layer imports this module.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

# ---------------------------------------------------------------- staff roles

RECEPTIONIST: Final = "receptionist"
CLINICIAN: Final = "clinician"
LINK_WORKER: Final = "link_worker"
ADMINISTRATOR: Final = "administrator"
ROLES: Final = (RECEPTIONIST, CLINICIAN, LINK_WORKER, ADMINISTRATOR)
# Who does casework: opens a patient's summary, triages, refers, and sees the flags
# and urgency (in the queue and in the open-flags list).
CASEWORKERS: Final = (CLINICIAN, LINK_WORKER)
# Who reads the day's queue (receptionists without flags or urgency).
QUEUE_READERS: Final = (*CASEWORKERS, RECEPTIONIST)
# A staff account's state, as the accounts list and its changes answer it.
ACTIVE: Final = "active"
DISABLED: Final = "disabled"
ACCOUNT_STATES: Final = (ACTIVE, DISABLED)

# ---------------------------------------------------------------- triage and referrals

NEW: Final = "new"  # the triage status of a submission nobody has triaged yet
TRIAGE_STATUSES: Final = (NEW, "in_review", "actioned", "no_action", "declined")
REFERRAL_KINDS: Final = (
    "social_prescriber",
    "food_bank",
    "housing",
    "debt_benefits",
    "carers_support",
    "safeguarding",
    "gp",
    "other",
)
AWAITING: Final = "awaiting"  # a new referral's outcome, until one is recorded
REFERRAL_OUTCOMES: Final = (
    AWAITING,
    "accepted",
    "declined",
    "attended",
    "did_not_attend",
    "closed",
)

# ---------------------------------------------------------------- flags and urgency

# A flag's severity, as a form declares it (the form file's `severity`), most
# pressing first.
Severity = Literal["urgent", "high", "routine"]
SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)

# A submission's urgency in the queue (an int on the wire and in the database),
# most pressing first: an urgent flag; asked for help; other flags; none.
URGENT: Final = 0
WANTS_HELP: Final = 1
FLAGGED: Final = 2
NO_FLAGS: Final = 3
URGENCY_LEVELS: Final = (URGENT, WANTS_HELP, FLAGGED, NO_FLAGS)

# The queue's counts: everyone on it, one count per triage status, and these three,
# which only caseworkers see (urgent, asked for help, any flag).
TOTAL_COUNT: Final = "total"
FLAG_COUNTS: Final = ("urgent", "wants_help", "flagged")
QUEUE_COUNTS: Final = (TOTAL_COUNT, *FLAG_COUNTS, *TRIAGE_STATUSES)

# ---------------------------------------------------------------- linking a patient

# How a tablet links a session to a patient (tablet.toml's `link`, the sealed link
# record's `method`): reception hands over, the patient checks in, or nobody is named.
RECEPTION: Final = "reception"
SELF_CHECK_IN: Final = "self_check_in"
ANONYMOUS: Final = "anonymous"
LINK_MODES: Final = (RECEPTION, SELF_CHECK_IN, ANONYMOUS)

# ---------------------------------------------------------------- how answers come in

# A submission's route (the clinic's `submissions.route`, the anonymised export's
# `route` column, the board report's funnel): the patient on a tablet alone; a member
# of staff completing it with the patient (on a tablet or in the console); keyed in
# from a paper form.
TABLET: Final = "tablet"
ASSISTED: Final = "assisted"
PAPER: Final = "paper"
ENTRY_ROUTES: Final = (TABLET, ASSISTED, PAPER)
# The sealed record a tablet adds when a member of staff completes a session with the
# patient: {"route": ASSISTED, "by": their name or staff username, 1 to ENTERED_BY_MAX
# printable characters}. No record: the patient used the tablet alone.
ROUTE_RECORD: Final = "_session/route"
ENTERED_BY_MAX: Final = 60
# The routes a member of staff keys answers in by at the console (POST /entries), and
# who may: whoever meets the patient at the clinic. Receptionists often hand out and
# take back the paper forms; administrators see no patient data, so never.
STAFF_ENTRY_ROUTES: Final = (ASSISTED, PAPER)
ENTERERS: Final = (CLINICIAN, LINK_WORKER, RECEPTIONIST)
# The device id a keyed-in submission is stored under (no tablet sent it).
ENTRY_DEVICE: Final = "console"

# ---------------------------------------------------------------- today's clinic list

# How far the patient of an appointment has got, furthest last.
NOT_STARTED: Final = "not_started"
CHECKED_IN: Final = "checked_in"
STARTED: Final = "started"
FINISHED: Final = "finished"
APPOINTMENT_STAGES: Final = (NOT_STARTED, CHECKED_IN, STARTED, FINISHED)
# The stages a tablet reports (the rest the clinic works out from submissions).
TABLET_STAGES: Final = (CHECKED_IN, STARTED)
# The day view's counts: every appointment on the list, one count per stage, and the
# day's submissions that match no appointment on it.
NOT_ON_LIST: Final = "not_on_list"
CLINIC_DAY_COUNTS: Final = (TOTAL_COUNT, *APPOINTMENT_STAGES, NOT_ON_LIST)

# ---------------------------------------------------------------- putting a link right

# What staff may do to a submission linked to the wrong patient (hazard H-02):
# link it to another appointment or patient, unlink it (anonymous), or void it as
# entered in error. Each needs a reason; nothing is deleted.
RELINK: Final = "relink"
UNLINK: Final = "unlink"
VOID: Final = "void"
LINK_CORRECTIONS: Final = (RELINK, UNLINK, VOID)
# Who may put a link right. Receptionists link patients at the desk and see each
# queue item's name and appointment, so they may re-link and unlink too; voiding takes
# answers (and their flags) out of the queue and the reports, a clinical decision, so
# only caseworkers may void.
LINK_CORRECTORS: Final = (*CASEWORKERS, RECEPTIONIST)
LINK_VOIDERS: Final = CASEWORKERS

# ---------------------------------------------------------------- the tablet API

MAX_BATCH: Final = 50  # submissions in one upload
MAX_UPLOAD_BYTES: Final = 8 * 1024 * 1024  # the body of one upload (signed requests)

# ---------------------------------------------------------------- API paths

# Every route is API_PREFIX + its path; a path's {names} are its parameters, filled
# in with str.format by the clients and read by the clinic's routers.
API_PREFIX: Final = "/api/v1"

# Route tables of one shape on purpose: each path a named constant both ends import.
# the tablet's routes
HEALTH: Final = "/health"
ENROL: Final = "/enrol"
TABLET_CONFIG: Final = "/tablet/config"
SUBMISSIONS: Final = "/submissions"
# how far an appointment's patient has got (checked in, started), as a tablet sees it
TABLET_PROGRESS: Final = "/tablet/progress"

# signing in (paths, not secrets: hence the S105 exemptions)
AUTH_TOKEN: Final = "/auth/token"  # noqa: S105
AUTH_REFRESH: Final = "/auth/refresh"
AUTH_SIGN_OUT: Final = "/auth/sign-out"
AUTH_PASSWORD: Final = "/auth/password"  # noqa: S105

# casework
QUEUE: Final = "/queue"
SUBMISSION: Final = "/submissions/{submission_id}"
SUBMISSION_TRIAGE: Final = "/submissions/{submission_id}/triage"
SUBMISSION_REFERRALS: Final = "/submissions/{submission_id}/referrals"
REFERRAL: Final = "/referrals/{referral_id}"
FLAGS: Final = "/flags"
# re-link, unlink or void one submission (vocabulary LINK_CORRECTIONS), with a reason
SUBMISSION_LINK: Final = "/submissions/{submission_id}/link"
# the day's whole clinic list with each appointment's stage
CLINIC_DAY: Final = "/clinic-day"
# answers keyed in at the console: the forms to key in, and an entry
ENTRY_FORMS: Final = "/entry-forms"
ENTRIES: Final = "/entries"

# administration
AUDIT: Final = "/audit"
USERS: Final = "/admin/users"
USER_DISABLE: Final = "/admin/users/{username}/disable"
USER_ENABLE: Final = "/admin/users/{username}/enable"
USER_RESET_PASSWORD: Final = "/admin/users/{username}/reset-password"  # noqa: S105
USER_ROLE: Final = "/admin/users/{username}/role"
USER_CLINICS: Final = "/admin/users/{username}/clinics"
DEVICES: Final = "/admin/devices"
DEVICE_REVOKE: Final = "/admin/devices/{device_id}/revoke"
ENROLMENT_CODES: Final = "/admin/enrolment-codes"
HELD: Final = "/admin/held"
HELD_REPROCESS_ALL: Final = "/admin/held/reprocess"
HELD_REPROCESS: Final = "/admin/held/{held_id}/reprocess"
EXPORT_ANONYMISED: Final = "/admin/exports/anonymised.csv"
EXPORT_FHIR: Final = "/admin/exports/fhir.json"
EXPORT_DICTIONARY: Final = "/admin/exports/dictionary.md"
EXPORT_APPOINTMENTS: Final = "/admin/exports/appointments.csv"
BOARD_REPORT: Final = "/admin/reports/board.{kind}"

# The only routes a user who must change their password may call.
PASSWORD_CHANGE_ROUTES: Final = (AUTH_PASSWORD, AUTH_SIGN_OUT, AUTH_REFRESH)

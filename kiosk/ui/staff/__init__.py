"""The staff console: who needs help today, their summary, triage, referrals, printing.

It talks to the clinic only through :class:`kiosk.console.client.StaffClient`
(docs/staff-api.md), always off the UI thread through one
:class:`kiosk.ui.background.Background`. docs/staff-console.md describes it.

=====================  ==========================================================
``console_window``     the main window: sign-in, screens by role, lock, sign-out
``password_change``    Change my password, and the forced change after a reset
``session``            one signed-in user's session: background calls, idle watch
``sign_in``            the sign-in and lock screen
``queue_model``        today's queue as a table model (``GET /queue``), NEW marks
``queue_view``         the queue's counts, filters and table; refreshes in place
``care_view``          the queue, today's list and a patient's page; the switch
``today_model``        today's whole clinic list as a table model (``GET /clinic-day``)
``today_panel``        that list's counts, filter and table; refreshes in place
``summary_view``       one patient's summary, all patient text as plain text
``change_chart``       earlier visits and change from baseline: charts and numbers
``triage_panel``       status, owner and notes, conflict-aware
``referrals_panel``    referrals and their outcomes, conflict-aware
``documents``          the clinician summary and take-away sheet: save and print
``admin_view``         the administrator's tabs; tablets and enrolment codes
``accounts_panel``     the Accounts tab: new, disable/enable, reset, role, clinics
``accounts_model``     the staff accounts as a table model (``GET /admin/users``)
``account_dialogs``    its dialogs; a one-time password shown once
``audit_log``          the audit log, filtered by submission or user
``exports_panel``      anonymised CSV, FHIR bundle and board report, to a folder
``tables``             read-only tables of words
``words``, ``look``    plain words for codes; the console's style sheet and icons
=====================  ==========================================================
"""

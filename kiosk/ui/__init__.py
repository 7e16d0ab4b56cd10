"""The Qt user interface: the patient kiosk (kiosk.ui's own modules) and the staff
console (:mod:`kiosk.ui.staff`), including its administrator screens.

Widgets are handed their models in ``__init__``; navigation and answers live in
:mod:`kiosk.journey`, the staff console's rules and HTTP client in
:mod:`kiosk.console`; anything slow (database, sync, PDF, a request to the clinic)
runs through the one background helper in :mod:`kiosk.ui.background`. This is the
only package that imports Qt (an import-linter contract says so).
"""

"""The Qt user interface: the patient kiosk (staff console and admin screens to come).

Widgets are handed their models in ``__init__``; navigation and answers live in
:mod:`kiosk.journey`; anything slow (database, sync, PDF) runs through the one
background helper in :mod:`kiosk.ui.background`.
"""

"""The staff console without Qt: its HTTP client for the clinic service's staff API
(docs/staff-api.md), and the rules the console's screens follow.

It never imports ``kiosk.clinic``: staff screens see only what the API gives them.
"""

"""The clinic service: receives the tablets' sealed submissions and serves staff.

``kiosk clinic serve`` runs it (docs/clinic.md). It opens each submission with
the clinic's private keys, re-scores it with the same engine the tablets use,
and keeps identifiers and free text encrypted column by column; scores, bands
and flags are plain columns for querying.
"""

"""Exports from the clinic database (docs/exports.md, docs/board-report.md).

- ``anonymity``: what an anonymised export may show: the options asked for,
  pseudonyms, shifted dates, banded ages and scrubbed free text, and which
  answers record a demographic fact (read from the forms)
- ``csv_rows``: the anonymised CSV, one row per submission, streamed
- ``dictionary``: the data dictionary describing an export's columns and codes
- ``fhir``: the FHIR R4 bundle, anonymised or identified
- ``audit``: an export audited as started and again when its stream ends
- ``board``: the equity and outcomes report and the appointments CSV, made from
  the anonymised CSV

Errors: ``ExportError`` (an ``Invalid``, under ``ClinicError``) for an export that
cannot be made as asked.
"""

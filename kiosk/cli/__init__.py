"""The ``kiosk`` command line. Other tools call these commands; keep them stable."""

"""The ``kiosk`` command line. Other tools call these commands; keep them stable.

A known error (:class:`kiosk.errors.KnownError`, whatever its layer) is caught
once, in :func:`kiosk.cli.main.main`, and shown as one plain line with exit code 2
(:mod:`kiosk.cli.errors`). The command line's own known error::

    kiosk.errors.KnownError
    └── CommandError    the command's own input or work: an answers file that is not
                        JSON, an export asked for by someone who is not an
                        administrator, a demo that cannot be set up
"""

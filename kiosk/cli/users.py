"""``kiosk clinic users ...``: staff accounts from the clinic's own server (docs/clinic.md).

kiosk clinic users list CLINIC
kiosk clinic users add CLINIC USERNAME ROLE [--clinic NAME ...]   (password from stdin)
kiosk clinic users disable CLINIC USERNAME      someone left: every session ends
kiosk clinic users enable CLINIC USERNAME
kiosk clinic users reset-password CLINIC USERNAME   prints a one-time password, once
kiosk clinic users set-role CLINIC USERNAME ROLE

Each change is audited as the actor ``cli``, like the other server-side commands.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli.clinic_target import open_clinic
from kiosk.cli.errors import fail
from kiosk.vocabulary import ROLES


def register(sub: Any, clinic_arguments: Any) -> Any:
    """Add ``users`` to ``kiosk clinic``; its actions' subparsers (for more actions)."""
    users = sub.add_parser("users", help="staff accounts: list, add, disable, reset, set role")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, handler: Any, *, username: bool = True) -> Any:
        p = actions.add_parser(name, help=help_text)
        clinic_arguments(p)
        if username:
            p.add_argument("username")
        p.set_defaults(handler=handler)
        return p

    action("list", "every user: role, state, last sign-in, clinics", list_users, username=False)
    p = action("add", "add a user (password read from stdin)", add)
    p.add_argument("role", choices=ROLES)
    p.add_argument("--clinic", action="append", default=None, metavar="NAME",
                   help="a clinic the user may see (repeat); default: every clinic")  # fmt: skip
    action("disable", "disable a user (someone left): their sessions end at once", disable)
    action("enable", "let a disabled user sign in again", enable)
    action("reset-password", "a one-time password, changed at the next sign-in", reset)
    p = action("set-role", "change a user's role: their sessions end", set_role)
    p.add_argument("role", choices=ROLES)
    return actions


def _run(args: argparse.Namespace, work: Any) -> tuple[int, Any]:
    try:
        service = open_clinic(args)
    except OSError as exc:
        return fail(exc), None
    try:
        return 0, work(service.accounts)
    except OSError as exc:
        return fail(exc), None
    finally:
        service.close()


def list_users(args: argparse.Namespace) -> int:
    code, users = _run(args, lambda accounts: accounts.list_users("cli"))
    for u in users or ():
        clinics = ", ".join(u["clinics"]) if u["clinics"] is not None else "every clinic"
        notes = [u["state"]] + (["must change password"] if u["must_change_password"] else [])
        notes += ["locked"] if u["locked"] else []
        print(f"{u['username']}  {u['role']}  {'; '.join(notes)}  "
              f"last sign-in {u['last_sign_in'] or 'never'}  clinics: {clinics}")  # fmt: skip
    return code


def _password() -> str:
    import getpass

    if sys.stdin.isatty():
        return getpass.getpass("Password (12 characters or more; a few words will do): ")
    return sys.stdin.readline().rstrip("\n")


def add(args: argparse.Namespace) -> int:
    password = _password()
    code, _ = _run(
        args,
        lambda accounts: accounts.add(
            args.username, args.role, password, "cli", clinics=args.clinic
        ),
    )
    if code == 0:
        print(f"user {args.username} added as {args.role}")
    return code


def disable(args: argparse.Namespace) -> int:
    code, _ = _run(args, lambda accounts: accounts.disable(args.username, "cli"))
    if code == 0:
        print(f"user {args.username} disabled; their sessions have ended")
    return code


def enable(args: argparse.Namespace) -> int:
    code, _ = _run(args, lambda accounts: accounts.enable(args.username, "cli"))
    if code == 0:
        print(f"user {args.username} may sign in again")
    return code


def reset(args: argparse.Namespace) -> int:
    code, one_time = _run(args, lambda accounts: accounts.reset_password(args.username, "cli"))
    if code == 0:
        print(f"one-time password for {args.username}: {one_time}")
        print("it is shown only now; they must choose a new password when they sign in")
    return code


def set_role(args: argparse.Namespace) -> int:
    code, _ = _run(args, lambda accounts: accounts.set_role(args.username, args.role, "cli"))
    if code == 0:
        print(f"user {args.username} is now {args.role}; their sessions have ended")
    return code

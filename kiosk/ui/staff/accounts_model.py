"""The staff accounts an administrator looks after, one row each (``GET /admin/users``).

Every column is words: the state and "Must change password" are written out, never
shown by colour alone; the last sign-in is in this computer's time zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kiosk.ui.staff import words
from kiosk.ui.staff.tables import RecordTableModel
from kiosk.vocabulary import ACTIVE, ADMINISTRATOR


def clinics_text(clinics: Sequence[str] | None) -> str:
    """``All clinics`` for an account not limited to any; else the names, in order."""
    if clinics is None:
        return words.tr("All clinics")
    return ", ".join(str(name) for name in clinics)


class AccountsModel(RecordTableModel):
    """One row per account, in the clinic's order; ``key(row)`` is the username."""

    USERNAME, ROLE, STATE, LAST_SIGN_IN, CLINICS, PASSWORD = range(6)
    UsernameRole = RecordTableModel.KeyRole

    def __init__(self) -> None:
        super().__init__()
        self.titles = {
            self.USERNAME: self.tr("Username"),
            self.ROLE: self.tr("Role"),
            self.STATE: self.tr("State"),
            self.LAST_SIGN_IN: self.tr("Last signed in"),
            self.CLINICS: self.tr("Clinics"),
            self.PASSWORD: self.tr("Password"),
        }

    @property
    def accounts(self) -> list[dict[str, Any]]:
        return self.records

    def set_accounts(self, accounts: Sequence[dict[str, Any]]) -> None:
        self.set_records(accounts)

    def key_of(self, record: dict[str, Any]) -> str:
        return str(record["username"])

    def key(self, row: int) -> str:
        return self.key_of(self.records[row])

    def account(self, row: int) -> dict[str, Any]:
        return self.records[row]

    def active_administrators(self) -> int:
        return sum(1 for a in self.records if a["role"] == ADMINISTRATOR and self.is_active(a))

    @staticmethod
    def is_active(account: dict[str, Any]) -> bool:
        if "state" in account:
            return bool(account["state"] == ACTIVE)
        return not account.get("disabled")  # a clinic from before account states

    def text(self, account: dict[str, Any], column: int) -> str:
        if column == self.USERNAME:
            return str(account["username"])
        if column == self.ROLE:
            return words.role(str(account["role"]))
        if column == self.STATE:
            return self.tr("Active") if self.is_active(account) else self.tr("Disabled")
        if column == self.LAST_SIGN_IN:
            return words.moment(account.get("last_sign_in")) or self.tr("Never")
        if column == self.CLINICS:
            clinics = account.get("clinics")
            return clinics_text(clinics if isinstance(clinics, list) else None)
        if account.get("must_change_password"):
            return self.tr("Must change password")
        return ""

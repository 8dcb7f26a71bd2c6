"""The ledger's own errors: a file that is missing, foreign, too new, damaged or busy."""

from __future__ import annotations

from nalcoop.errors import NalcoopError


class LedgerError(NalcoopError):
    """The ledger file is missing, foreign, too new, or unusable."""


class DamagedLedger(LedgerError):
    """The file is a SQLite database whose pages are damaged."""


class LedgerBusy(LedgerError):
    """Another command held the ledger longer than a command waits."""


"""The ledger's own errors: a file that is missing, foreign, too new, damaged or busy; and the rules its triggers
keep, said in the language of the run."""

from __future__ import annotations

from nalcoop.errors import NalcoopError
from nalcoop.i18n import N_, _


class LedgerError(NalcoopError):
    """The ledger file is missing, foreign, too new, or unusable."""


class NotALedger(LedgerError):
    """The file is no nalcoop ledger: not SQLite, unreadable as SQLite, or another program's database."""


class DamagedLedger(LedgerError):
    """The file is a SQLite database whose pages are damaged."""


class LedgerBusy(LedgerError):
    """Another command held the ledger longer than a command waits."""


# A trigger that refuses a write says why as `raise(abort, 'nalcoop: ...')` (the migrations). Those words are in
# the ledger file, in English, and the SQL of a migration that has shipped never changes: they are translated
# where they are shown, so every one of them is listed here for the catalog (tests/test_ledger_messages.py
# fails when a migration says one that is not).
RULE_PREFIX = "nalcoop: "
RULES = (
    N_("this ledger is written only through nalcoop commands"),
    N_("a stock receipt is never changed; undo it and record it again"),
    N_("stock would go below zero"),
    N_("subscriptions of one recipient to one publication may not overlap"),
    N_("a dispatch line names a subscription that is not its recipient's"),
    N_("copies were sent to this recipient"),
    N_("copies were sent to this recipient on or after the day it would become inactive"),
    N_("copies were sent to this recipient while it would be inactive"),
    N_("copies were sent under this subscription outside the period it would have"),
    N_("copies were sent under this subscription"),
    N_("a dispatch run is never changed; undo it and send again"),
    N_("an organization would sit inside itself"),
    N_("memberships of one organization in one body may not overlap"),
    N_("a participant would have attended more hours than the run has"),
    N_("a run would have fewer hours than a participant attended"),
    N_("a cohort would have more students accepted than slots"),
    N_("the cohort would no longer hold what is recorded in it"),
    N_("hours would fall outside their cohort"),
    N_("a completed student would have fewer hours than the cohort requires"),
    N_("a completed student would have no evaluation"),
)


def is_rule(message: str) -> bool:
    """Whether an integrity error's message is one of the ledger's own rules (a trigger's), not SQLite's."""
    return message.startswith(RULE_PREFIX)


def rule_said(message: str) -> str:
    """A trigger's message ('nalcoop: stock would go below zero') without its prefix, in the run's language."""
    rule = message.removeprefix(RULE_PREFIX)  # one of RULES, in English as the trigger says it
    return _(rule)

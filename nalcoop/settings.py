"""The few things a librarian or an administrator may tune, each from one environment variable.

One place for them, so the README's table, the error messages and the code agree. A value that
is not a whole number is a usage error naming the variable, never a silent default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from nalcoop.errors import UsageError
from nalcoop.i18n import N_, _


@dataclass(frozen=True)
class Setting:
    variable: str
    default: int
    meaning: str  # in English, as the README's table says it; a message says `_(meaning)`
    minimum: int = 0


SETTINGS = {
    "backups_keep": Setting(
        "NALCOOP_BACKUPS_KEEP", 10,
        N_("automatic backups kept beside the ledger (the oldest beyond this are deleted; 0 turns them off)")),
    "backup_import_rows": Setting(
        "NALCOOP_BACKUP_IMPORT_ROWS", 1000,
        N_("an import of more rows than this is preceded by an automatic backup")),
    "import_max_mb": Setting(
        "NALCOOP_IMPORT_MAX_MB", 50, N_("the largest file an import reads, in megabytes"), minimum=1),
    "import_max_unpacked_mb": Setting(
        "NALCOOP_IMPORT_MAX_UNPACKED_MB", 400,
        N_("the most an xlsx or ods file may unpack to, in megabytes (refuses zip bombs)"), minimum=1),
    "import_max_rows": Setting(
        "NALCOOP_IMPORT_MAX_ROWS", 500_000, N_("the most rows one import reads"), minimum=1),
    "import_max_columns": Setting(
        "NALCOOP_IMPORT_MAX_COLUMNS", 1000, N_("the most columns a sheet or CSV row may have"), minimum=1),
    "import_max_cells": Setting(
        "NALCOOP_IMPORT_MAX_CELLS", 5_000_000,
        N_("the most cells (rows × columns, counted to the last filled cell) a sheet may span"), minimum=1),
    "donation_target": Setting(
        "NALCOOP_DONATION_TARGET", 500,
        N_("books per donation site above which `donate add` warns (not a limit)"), minimum=1),
    "import_max_cell_kb": Setting(
        "NALCOOP_IMPORT_MAX_CELL_KB", 1024, N_("the longest CSV cell, in kilobytes"), minimum=1),
}


def setting(name: str) -> int:
    """The value of one setting: its environment variable if set, else the default."""
    spec = SETTINGS[name]
    raw = os.environ.get(spec.variable, "").strip().replace(",", "").replace("_", "")
    if not raw:
        return spec.default
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(_("{variable} must be a whole number ({meaning}), not '{value}'").format(
            variable=spec.variable, meaning=_(spec.meaning), value=os.environ[spec.variable])) from None
    if value < spec.minimum:
        raise UsageError(_("{variable} must be at least {minimum} ({meaning}), not {value}").format(
            variable=spec.variable, minimum=spec.minimum, meaning=_(spec.meaning), value=value))
    return value

"""The ledger's schema, as numbered migrations recorded in the file (sqlite-utils Migrations).

One module per migration (v0001 …), registered in order when imported here: `MIGRATIONS` is the public list,
and `SCHEMA_VERSION` its length. A new migration is a new module vNNNN.py and one more import below.

Every migration that creates or alters a journaled table must call `journal_table` for it,
so that no row of it can change without the journal seeing the before and after.
The SQL of a migration that has shipped never changes: a ledger records it as applied.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

# In order: importing each registers its migration.
from nalcoop.ledger.migrations import (  # noqa: F401
    v0001,
    v0002,
    v0003,
    v0004,
    v0005,
    v0006,
    v0007,
    v0008,
    v0009,
)
from nalcoop.ledger.migrations.registry import MIGRATIONS, Migration, journal_table, migration, run_script
from nalcoop.ledger.schema import MIGRATION_SET, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations

__all__ = ["DERIVED_TABLES", "JOURNALED_TABLES", "MIGRATIONS", "SCHEMA_VERSION", "Migration", "apply_pending",
           "journal_table", "migration", "names", "run_script"]

if len(MIGRATIONS) != SCHEMA_VERSION:  # a check, not an assert: it must hold under python -O too
    raise RuntimeError(f"schema.py: SCHEMA_VERSION {SCHEMA_VERSION}; {len(MIGRATIONS)} migrations")  # not a message

# The ledger's own list of journaled tables: undo touches these, by exact name, and nothing else.
JOURNALED_TABLES = (v0001.JOURNALED_TABLES + v0002.JOURNALED_TABLES + v0003.JOURNALED_TABLES
                    + v0004.JOURNALED_TABLES + v0005.JOURNALED_TABLES)

# Tables kept by triggers from a journaled table's rows, never written otherwise: table -> source.
DERIVED_TABLES = {
    "donation_stock_lines": "donation_stock_receipts",
    "distribution_dispatch_lines": "distribution_dispatches",
}

def names() -> list[str]:
    """The names of every migration this nalcoop knows, in order."""
    return [known.name for known in MIGRATIONS]


_SQLITE_UTILS: list[Migrations] = []


def sqlite_utils_migrations() -> Migrations:
    """The migrations as a sqlite-utils Migrations set (built once, on first use: it imports sqlite-utils)."""
    if not _SQLITE_UTILS:
        from sqlite_utils.migrations import Migrations

        built = Migrations(MIGRATION_SET)
        for known in MIGRATIONS:
            built(name=known.name)(known.apply)
        _SQLITE_UTILS.append(built)
    return _SQLITE_UTILS[0]


def __getattr__(name: str):  # `migrations`, the sqlite-utils set, without importing sqlite-utils before it is asked
    if name == "migrations":
        return sqlite_utils_migrations()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")  # not a message: Python's own


def apply_pending(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations inside the caller's open transaction (savepoints nest)."""
    from sqlite_utils import Database

    db = Database(conn, recursive_triggers=False, execute_plugins=False)
    migrations = sqlite_utils_migrations()
    pending = [pending_one.name for pending_one in migrations.pending(db)]
    migrations.apply(db)
    return pending

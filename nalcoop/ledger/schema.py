"""What marks a SQLite file as a nalcoop ledger, and which schema version it holds (standard library only)."""

from __future__ import annotations

import sqlite3

# The number of migrations this nalcoop knows (a ledger of a higher version was written by a newer nalcoop).
# Spelled here so that opening a ledger loads no migration; nalcoop/ledger/migrations refuses to load if it
# holds another number of migrations, so a new one cannot ship without this going up.
SCHEMA_VERSION = 9
MIGRATION_SET = "nalcoop"
MIGRATIONS_TABLE = "_sqlite_migrations"
SQLITE_HEADER = b"SQLite format 3\x00"


def applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    exists = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if not exists:
        return None
    rows = conn.execute(
        f"select name from {MIGRATIONS_TABLE} where migration_set = ? order by id", [MIGRATION_SET]
    ).fetchall()
    return [name for (name,) in rows] if rows else None


def schema_version_of(migration_names: list[str]) -> int:
    """Migrations are named NNNN_description; the version is the highest NNNN applied."""
    numbers = [int(name.split("_", 1)[0]) for name in migration_names if name[:4].isdigit()]
    return max(numbers, default=0)


PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
GROUP_FILE, GROUP_FOLDER = 0o660, 0o2770  # group mode: the group may read and write; new files take the group


"""The ledger's migrations as a public list in the order they are registered, and the helpers they share.

Each migration is a function of a sqlite-utils Database, registered with `@migration("NNNN_name")`; its number
must be the next one, so the list is the order, and the schema version is its length. Nothing here imports
sqlite-utils: it is needed only to apply a migration (see `apply_pending`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Migration:
    name: str  # NNNN_description, as recorded in the ledger's _sqlite_migrations
    apply: Callable[[Database], None]


MIGRATIONS: list[Migration] = []


def migration(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    """Register a migration; its number must follow the last one registered."""

    def register(function: Callable[[Database], None]) -> Callable[[Database], None]:
        expected = len(MIGRATIONS) + 1
        if not name[:4].isdigit() or int(name[:4]) != expected:
            raise RuntimeError(  # not a message: a mistake in nalcoop's code, never a librarian's
                f"migration {name} registered out of order: the next one is number {expected:04d}")
        MIGRATIONS.append(Migration(name, function))
        return function

    return register


def run_script(db: Database, script: str) -> None:
    """Run several statements inside the caller's transaction (executescript would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")  # not a message: nalcoop's bug


def journal_table(db: Database, table: str) -> None:
    """(Re)create the three triggers that copy every change of `table` into journal_changes.

    The triggers call nalcoop_command(), a function only nalcoop registers: a write made
    outside a nalcoop command (another tool, or code that forgot the journal) is refused.
    """
    columns = [row[1] for row in db.conn.execute(f'pragma table_info("{table}")')]

    def as_json(prefix: str) -> str:
        pairs = ", ".join(f"'{column}', {prefix}.\"{column}\"" for column in columns)
        return f"json_object({pairs})"

    guard = (
        "select raise(abort, 'nalcoop: this ledger is written only through nalcoop commands') "
        "where nalcoop_command() is null;"
    )
    changed = " or ".join(f'old."{column}" is not new."{column}"' for column in columns)
    for op in ("insert", "update", "delete"):
        db.conn.execute(f'drop trigger if exists "journal_{table}_{op}"')
    db.conn.execute(
        f"""create trigger "journal_{table}_insert" after insert on "{table}" begin {guard}
        insert into journal_changes (command_id, tbl, row_id, op, before, after)
        values (nalcoop_command(), '{table}', new.id, 'insert', null, {as_json("new")}); end"""
    )
    db.conn.execute(
        f"""create trigger "journal_{table}_update" after update on "{table}" when {changed}
        begin {guard}
        insert into journal_changes (command_id, tbl, row_id, op, before, after)
        values (nalcoop_command(), '{table}', new.id, 'update', {as_json("old")}, {as_json("new")});
        end"""
    )
    db.conn.execute(
        f"""create trigger "journal_{table}_delete" after delete on "{table}" begin {guard}
        insert into journal_changes (command_id, tbl, row_id, op, before, after)
        values (nalcoop_command(), '{table}', old.id, 'delete', {as_json("old")}, null); end"""
    )

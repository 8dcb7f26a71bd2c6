"""Migration 0008: a command's irreversibility, recorded in the journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nalcoop.ledger.migrations.registry import migration, run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


@migration("0008_irreversible_commands")
def m0008(db: Database) -> None:
    """journal_commands.irreversible: 1 for a command whose effect is meant to be final (a purge of personal
    data keeps no copy to restore). The rule that makes a command final sets it (journal.mark_irreversible);
    undo reads it, rather than searching the command line for words. The purges already in a ledger are
    found by what they did: a student's purged_on set."""
    run_script(
        db,
        """
        alter table journal_commands add column irreversible integer not null default 0
            check (irreversible in (0, 1));
        update journal_commands set irreversible = 1 where id in (
            select command_id from journal_changes
            where tbl = 'intern_students' and op = 'update'
              and json_extract(after, '$.purged_on') is not null and json_extract(before, '$.purged_on') is null);
        """,
    )

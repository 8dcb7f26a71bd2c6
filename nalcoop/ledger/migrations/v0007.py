"""Migration 0007: the journal's hash chain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nalcoop.ledger.migrations.registry import migration

if TYPE_CHECKING:
    from sqlite_utils import Database


@migration("0007_journal_hash_chain")
def m0007(db: Database) -> None:
    """A tamper-evident journal: each change row carries a SHA-256 hash over its content (and its command's)
    chained to the row before (nalcoop/journal.py). The chain of a ledger's existing rows is computed here."""
    from nalcoop.ledger.chain import rechain

    db.conn.execute("alter table journal_changes add column hash text")
    rechain(db.conn)

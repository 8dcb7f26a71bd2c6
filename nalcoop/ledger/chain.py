"""The journal's hash chain: each row of journal_changes carries `hash`, SHA-256 over the hash of the row
before it and the row's own content (its command's time, author, command line and what it undoes included).
A row written or changed outside nalcoop breaks the chain there, and `nalcoop check` names it."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from nalcoop.errors import visible
from nalcoop.i18n import _

# What one chain link covers, in order; the command's fields come from journal_commands.
_LINK = """select j.id, j.command_id, j.tbl, j.row_id, j.op, j.before, j.after, c.at, c.by, c.command, c.undoes,
                  j.hash
           from journal_changes j left join journal_commands c on c.id = j.command_id"""


def link_hash(previous: str | None, row: tuple) -> str:
    """The hash of one journal row (the first 11 columns of _LINK) chained to the hash before it."""
    content = json.dumps([previous or "", *row[:11]], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()


def _previous_hash(conn: sqlite3.Connection, before_id: int) -> str | None:
    row = conn.execute("select hash from journal_changes where id < ? order by id desc limit 1",
                       [before_id]).fetchone()
    return row[0] if row else None


def seal(conn: sqlite3.Connection, command_id: int) -> None:
    """Chain the rows of one command, inside its transaction (the write lock keeps the chain's end still)."""
    rows = conn.execute(f"{_LINK} where j.command_id = ? order by j.id", [command_id]).fetchall()
    if not rows:
        return
    previous = _previous_hash(conn, rows[0][0])
    hashes = []
    for row in rows:
        previous = link_hash(previous, tuple(row))
        hashes.append((previous, row[0]))
    conn.executemany("update journal_changes set hash = ? where id = ?", hashes)


def rechain(conn: sqlite3.Connection, from_id: int = 0) -> int:
    """Recompute the chain from `from_id` on: after a migration adds it, and after a purge rewrites personal
    values inside older rows (the purge checks the chain first, so it never seals a forgery)."""
    previous = _previous_hash(conn, from_id) if from_id else None
    batch, count = [], 0
    for row in conn.execute(f"{_LINK} where j.id >= ? order by j.id", [from_id]).fetchall():
        previous = link_hash(previous, tuple(row))
        batch.append((previous, row[0]))
        count += 1
        if len(batch) >= 10_000:
            conn.executemany("update journal_changes set hash = ? where id = ?", batch)
            batch = []
    conn.executemany("update journal_changes set hash = ? where id = ?", batch)
    return count


def chain_breaks(conn: sqlite3.Connection, *, command_id: int | None = None, limit: int = 1) -> list[str]:
    """The first rows (at most `limit`) whose hash does not follow from the row before and their content:
    rows written, changed or removed outside nalcoop. Only one command's rows when `command_id` is given."""
    problems: list[str] = []
    if command_id is None:
        rows = conn.execute(f"{_LINK} order by j.id")
        previous = None
    else:
        rows = conn.execute(f"{_LINK} where j.command_id = ? order by j.id", [command_id]).fetchall()
        previous = _previous_hash(conn, rows[0][0]) if rows else None
    for row in rows:
        expected = link_hash(previous, tuple(row))
        if row[11] != expected:
            problems.append(_(
                "journal entry {entry} (command {command}, {op} in table '{table}') breaks the journal's hash chain: "
                "it, or the entry before it, was written, changed or removed outside nalcoop").format(
                entry=row[0], command=row[1], op=visible(row[4]), table=visible(row[2])))
            if len(problems) >= limit:
                break
        previous = row[11]
    return problems

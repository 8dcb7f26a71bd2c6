"""Read the journal (history) and revert a command through it (undo and redo, themselves journaled).

What a journal row holds is checked by its hash chain (nalcoop/ledger/chain.py) before anything is reverted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from nalcoop.errors import NalcoopError, visible
from nalcoop.i18n import _
from nalcoop.ledger.chain import chain_breaks
from nalcoop.ledger.errors import is_rule, rule_said

# Tables whose rows, once written, no undo may remove: the log of who saw personal data.
PERMANENT_TABLES = ("intern_reveals",)


class UndoError(NalcoopError):
    pass


@dataclass(frozen=True)
class Change:
    table: str
    row_id: int
    op: str
    before: dict | None
    after: dict | None


def journaled_table_names() -> frozenset[str]:
    """The ledger's own list of journaled tables (the migrations'): the only tables an undo touches, by exact
    name; a journal row naming anything else was not written by nalcoop."""
    from nalcoop.ledger.migrations import JOURNALED_TABLES

    return frozenset(JOURNALED_TABLES)


def _undoers(conn: sqlite3.Connection) -> tuple[dict[int, int], dict[int, list[int]]]:
    targets = dict(conn.execute("select id, undoes from journal_commands where undoes is not null").fetchall())
    undone_by: dict[int, list[int]] = {}
    for command, target in targets.items():
        undone_by.setdefault(target, []).append(command)
    return targets, undone_by


def _live(command: int, undone_by: dict[int, list[int]], seen: dict[int, bool]) -> bool:
    """In effect now: not undone, or every undo of it undone in turn (redone)."""
    if command not in seen:
        seen[command] = not any(_live(undo, undone_by, seen) for undo in undone_by.get(command, ()))
    return seen[command]


def _depth(command: int, targets: dict[int, int]) -> int:
    depth = 0
    while command in targets:
        command, depth = targets[command], depth + 1
    return depth


def latest_own(conn: sqlite3.Connection, by: str, before_id: int) -> int:
    """The newest command by `by` still in effect (not an undo or redo itself): what `undo` reverts. Repeated,
    it walks back through that person's commands; a colleague's are never chosen."""
    _targets, undone_by = _undoers(conn)
    seen: dict[int, bool] = {}
    for (command,) in conn.execute("select id from journal_commands where by = ? and undoes is null and id < ? "
                                   "order by id desc", [by, before_id]):
        if _live(command, undone_by, seen):
            return command
    raise UndoError(_("there is no command of yours ({who}) left to undo; to undo a colleague's command give its id "
                      "(`nalcoop history` lists them)").format(who=visible(by)))


def latest_own_undo(conn: sqlite3.Connection, by: str, before_id: int) -> int:
    """The newest undo by `by` still in effect: what `redo` reverts, re-applying the command it undid."""
    targets, undone_by = _undoers(conn)
    seen: dict[int, bool] = {}
    for command in sorted(targets, reverse=True):
        if command >= before_id:
            continue
        if _depth(command, targets) % 2 == 1 and _live(command, undone_by, seen):
            author = conn.execute("select by from journal_commands where id = ?", [command]).fetchone()[0]
            if author == by:
                return command
    raise UndoError(_("there is nothing of yours ({who}) to redo: no undo of yours is in effect").format(
        who=visible(by)))


def history(conn: sqlite3.Connection, *, limit: int = 20, table: str | None = None) -> list[dict]:
    """The newest commands first, each with how many rows it touched and in which tables."""
    where, params = "", []
    if table:
        where = "where c.id in (select command_id from journal_changes where tbl = ?)"
        params.append(table)
    rows = conn.execute(
        f"""
        select c.id, c.at, c.by, c.command, c.undoes,
               (select count(*) from journal_changes x where x.command_id = c.id) as changes,
               (select group_concat(tbl || ' ' || op || ' ' || n, ', ') from (
                    select tbl, op, count(*) as n from journal_changes x
                    where x.command_id = c.id group by tbl, op order by tbl, op)) as summary,
               (select max(u.id) from journal_commands u where u.undoes = c.id) as undone_by
        from journal_commands c {where}
        order by c.id desc limit ?
        """,
        [*params, limit],
    ).fetchall()
    return [dict(row) for row in rows]


def changes_of(conn: sqlite3.Connection, command_id: int) -> list[Change]:
    rows = conn.execute(
        "select tbl, row_id, op, before, after from journal_changes where command_id = ? order by id",
        [command_id],
    ).fetchall()
    return [
        Change(table, row_id, op, json.loads(before) if before else None, json.loads(after) if after else None)
        for table, row_id, op, before, after in rows
    ]


def summary_of(conn: sqlite3.Connection, command_id: int) -> str:
    """What a command changed, by table: 'council_versions insert 2, councils update 1' (what a dry run
    reports before it is rolled back; the tables and operations as `nalcoop history` lists them, in every
    language)."""
    rows = conn.execute("select tbl, op, count(*) from journal_changes where command_id = ? group by tbl, op "
                        "order by tbl, op", [command_id]).fetchall()
    return ", ".join(f"{table} {op} {count}" for table, op, count in rows) or _("no change")


def tables_of(conn: sqlite3.Connection, command_id: int) -> frozenset[str]:
    """The tables whose rows a command changed."""
    return frozenset(row[0] for row in conn.execute(
        "select distinct tbl from journal_changes where command_id = ?", [command_id]))


def dependents(conn: sqlite3.Connection, command_id: int, before_id: int) -> list[int]:
    """The later commands still in effect (not undos or redos) that build on `command_id`: they changed rows of
    the same tables that name the same record (a council_id, batch_id, application_id ... its rows name), so
    undoing it would take away what they were recorded against. What to undo first, newest last."""
    _targets, undone_by = _undoers(conn)
    seen: dict[int, bool] = {}
    found: set[int] = set()
    for change in changes_of(conn, command_id):
        row = {**(change.before or {}), **(change.after or {})}
        for column, value in row.items():
            if not column.endswith("_id") or value is None or not column.replace("_", "").isalnum():
                continue
            path = f"$.{column}"  # a column name of a journaled row, checked above: letters, digits and _
            found.update(later for (later,) in conn.execute(
                """select distinct x.command_id from journal_changes x join journal_commands c on c.id = x.command_id
                   where x.tbl = ? and x.command_id > ? and x.command_id < ? and c.undoes is null
                   and (json_extract(x.after, ?) = ? or json_extract(x.before, ?) = ?)""",
                [change.table, command_id, before_id, path, value, path, value]))
    return sorted(command for command in found if _live(command, undone_by, seen))


def last_command_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("select max(id) from journal_commands").fetchone()
    if row[0] is None:
        raise UndoError(_("the journal is empty: there is nothing to undo"))
    return row[0]


def mark_irreversible(conn: sqlite3.Connection) -> None:
    """Record that the command being written is meant to be final (undo will refuse it). Called by the rule
    that makes it so, inside the command's transaction: the command is the journal's newest entry."""
    conn.execute("update journal_commands set irreversible = 1 where id = (select max(id) from journal_commands)")


def undo(conn: sqlite3.Connection, command_id: int, undo_command_id: int) -> int:
    """Revert every row change of `command_id`, newest first; return how many rows changed.

    Runs inside the caller's journaled command, so the undo is journaled like any write and
    can itself be undone. Refuses, changing nothing, when a later command has touched the
    same rows since (undo that one first).
    """
    command = conn.execute("select id, command, irreversible from journal_commands where id = ? and id < ?",
                           [command_id, undo_command_id]).fetchone()
    if command is None:  # not there, or the undo's own entry (the next id): nothing of the past to revert
        raise UndoError(_("there is no command {id} in the journal; see `nalcoop history`").format(id=command_id))
    changes = changes_of(conn, command_id)
    if command["irreversible"]:
        raise UndoError(_("command {id} ({command}) cannot be undone: the personal data it removed is gone for "
                          "good").format(id=command_id, command=command["command"]))
    broken = chain_breaks(conn, command_id=command_id)
    allowed = journaled_table_names()
    foreign = [change.table for change in changes if change.table not in allowed]
    if broken or foreign:
        what = broken[0] if broken else _("its journal names table '{table}', which nalcoop does not journal").format(
            table=visible(foreign[0]))
        raise UndoError(_("command {id} cannot be undone: {what}. Nothing was changed; run `nalcoop check`").format(
            id=command_id, what=what))
    kept = [change.table for change in changes if change.table.lower() in PERMANENT_TABLES]
    if kept:
        raise UndoError(_("command {id} ({command}) cannot be undone: it recorded who was shown personal data, and "
                          "that record is kept for good").format(id=command_id, command=command["command"]))
    later = conn.execute(
        "select min(id) from journal_commands where undoes = ? and id <> ?",
        [command_id, undo_command_id],
    ).fetchone()[0]
    from nalcoop.progress import track

    for change in track(list(reversed(changes)), _("undoing command {id}").format(id=command_id)):
        current = _current_row(conn, change.table, change.row_id)
        if current != change.after:
            if later is not None:
                raise UndoError(_("command {id} was already undone by command {later}; undo {later} to redo "
                                  "it").format(id=command_id, later=later))
            toucher = conn.execute(
                "select max(command_id) from journal_changes where tbl = ? and row_id = ? "
                "and command_id > ? and command_id <> ?",
                [change.table, change.row_id, command_id, undo_command_id],
            ).fetchone()[0]
            who = _("command {id}").format(id=toucher) if toucher else _("a later change")
            raise UndoError(_("cannot undo command {id}: {table} row {row} was changed since by {who}; undo that "
                              "first").format(id=command_id, table=change.table, row=change.row_id, who=who))
        try:
            _revert(conn, change)
        except sqlite3.IntegrityError as exc:
            # A rule of the ledger's own (a trigger's "nalcoop: ..." message) says what is wrong better
            # than a guess; anything else is a foreign key that later records hold.
            why = rule_said(str(exc)) if is_rule(str(exc)) else (
                _("later records still refer to {table} row {row}").format(table=change.table, row=change.row_id))
            raise UndoError(_("cannot undo command {id}: {why}; undo those later commands first").format(
                id=command_id, why=why)) from None
    conn.execute("update journal_commands set undoes = ? where id = ?", [command_id, undo_command_id])
    return len(changes)


def _current_row(conn: sqlite3.Connection, table: str, row_id: int) -> dict | None:
    row = conn.execute(f'select * from "{table}" where id = ?', [row_id]).fetchone()
    if row is None:
        return None
    # Compare through JSON so that values match what the trigger's json_object() stored.
    return json.loads(json.dumps(dict(row)))


def _revert(conn: sqlite3.Connection, change: Change) -> None:
    table = f'"{change.table}"'  # one of journaled_table_names(), checked by undo()
    columns = {row[1] for row in conn.execute(f"pragma table_info({table})")}
    unknown = [name for name in {**(change.before or {}), **(change.after or {})} if name not in columns]
    if unknown:
        raise UndoError(_("the journal names a column '{column}' that {table} does not have (it was changed outside "
                          "nalcoop); nothing was changed: run `nalcoop check`").format(column=visible(unknown[0]),
                                                                                      table=change.table))
    if change.op == "insert":
        conn.execute(f"delete from {table} where id = ?", [change.row_id])
    elif change.op == "delete":
        before = change.before or {}
        columns = ", ".join(f'"{name}"' for name in before)
        marks = ", ".join("?" for _name in before)
        conn.execute(f"insert into {table} ({columns}) values ({marks})", list(before.values()))
    else:
        before = change.before or {}
        assignments = ", ".join(f'"{name}" = ?' for name in before if name != "id")
        values = [value for name, value in before.items() if name != "id"]
        conn.execute(f"update {table} set {assignments} where id = ?", [*values, change.row_id])

"""The ledger's own checks: SQLite's integrity and foreign keys, the schema, and the journal.

Each check is a function from a connection to a list of problems (one sentence each, naming the rows, in the
language of the run); an empty list means it holds. Check names stay English (`FAILED journal: ...`, as scripts
read them). `nalcoop check` runs these, then the council registry's and every activity's invariants
(nalcoop/checks.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from nalcoop.errors import visible
from nalcoop.i18n import _, ngettext
from nalcoop.ledger.schema import MIGRATION_SET, MIGRATIONS_TABLE, schema_version_of

# Shown per check; beyond this the rest are counted, not listed.
MAX_LISTED = 20

Check = Callable[[sqlite3.Connection], list[str]]


@dataclass(frozen=True)
class CheckResult:
    name: str
    problems: list[str]
    total: int  # problems found, of which at most MAX_LISTED are in `problems`


def integrity(conn: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in conn.execute("pragma integrity_check")]
    return [] if rows == ["ok"] else [_("SQLite integrity_check: {result}").format(result=row) for row in rows]


def foreign_keys(conn: sqlite3.Connection) -> list[str]:
    return [
        _("{table} row {row} refers to a missing row of {parent}").format(table=table, row=rowid, parent=parent)
        for table, rowid, parent, _key in conn.execute("pragma foreign_key_check")
    ]


def journaled_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables whose changes are journaled: those carrying the journal's insert trigger."""
    return [
        row[0]
        for row in conn.execute(
            "select tbl_name from sqlite_master where type = 'trigger' and name = 'journal_' || tbl_name || '_insert'"
            " order by tbl_name"
        )
    ]


def schema(conn: sqlite3.Connection) -> list[str]:
    from nalcoop.ledger.migrations import DERIVED_TABLES, SCHEMA_VERSION, names

    problems = []
    applied = [row[0] for row in conn.execute(
        f"select name from {MIGRATIONS_TABLE} where migration_set = ? order by id", [MIGRATION_SET])]
    known = names()
    version = schema_version_of(applied)
    if version != SCHEMA_VERSION:
        problems.append(_("schema version {version}, but this nalcoop writes version {known}").format(
            version=version, known=SCHEMA_VERSION))
    for name in applied:
        if name not in known:
            problems.append(_("migration {name} is recorded in the ledger but unknown to this nalcoop").format(
                name=visible(name)))
    for name in known:
        if name not in applied:
            problems.append(_("migration {name} has not been applied").format(name=name))
    tables = [row[0] for row in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
        " and name not like '\\_%' escape '\\' and name not like 'journal_%'")]
    for table in tables:
        if table in DERIVED_TABLES:
            continue
        for op in ("insert", "update", "delete"):
            present = conn.execute(
                "select 1 from sqlite_master where type = 'trigger' and name = ?", [f"journal_{table}_{op}"]
            ).fetchone()
            if not present:
                problems.append(_("table {table} has no journal {op} trigger: its changes would go unrecorded")
                                .format(table=table, op=op))
    return problems


def journal(conn: sqlite3.Connection) -> list[str]:
    """The journal's hash chain holds (the first entry that breaks it is named), it names only the ledger's
    journaled tables, every row is what its latest journaled change says it is, and no row escaped it."""
    from nalcoop.ledger.chain import chain_breaks
    from nalcoop.ledger.journal import journaled_table_names

    problems = chain_breaks(conn)
    allowed = sorted(journaled_table_names())
    marks = ", ".join("?" for _table in allowed)
    problems.extend(
        _("journal entry {entry} names table '{table}', which nalcoop does not journal (written outside "
          "nalcoop)").format(entry=entry, table=visible(table)) for entry, table in conn.execute(
            f"select id, tbl from journal_changes where tbl not in ({marks}) order by id limit {MAX_LISTED}",
            allowed))
    for table in journaled_tables(conn):
        columns = [row[1] for row in conn.execute(f'pragma table_info("{table}")')]
        as_json = "json_object(" + ", ".join(f"'{column}', r.\"{column}\"" for column in columns) + ")"
        mismatched = conn.execute(
            f"""
            with last as (select row_id, max(id) as id from journal_changes where tbl = ? group by row_id)
            select last.row_id, j.op, j.after, {as_json} as now, r.id is not null as present
            from last join journal_changes j on j.id = last.id
            left join "{table}" r on r.id = last.row_id
            where (j.op = 'delete' and r.id is not null)
               or (j.op != 'delete' and (r.id is null or j.after is not {as_json}))
            order by last.row_id
            """,
            [table],
        ).fetchall()
        for row_id, op, after, now, present in mismatched:
            if op == "delete":
                problems.append(_("{table} row {row} exists, but the journal's last change deleted it").format(
                    table=table, row=row_id))
            elif not present:
                problems.append(_("{table} row {row} is missing, but the journal never deleted it").format(
                    table=table, row=row_id))
            else:
                problems.append(_("{table} row {row} differs from its last journaled change: {difference}").format(
                    table=table, row=row_id, difference=_difference(after, now)))
        unrecorded = conn.execute(
            f"""select r.id from "{table}" r where not exists
                (select 1 from journal_changes j where j.tbl = ? and j.row_id = r.id) order by r.id""",
            [table],
        ).fetchall()
        problems.extend(_("{table} row {row} was never journaled (written outside nalcoop)").format(
            table=table, row=row_id) for (row_id,) in unrecorded)
    orphans = conn.execute(
        "select count(*) from journal_changes j where not exists (select 1 from journal_commands c"
        " where c.id = j.command_id)"
    ).fetchone()[0]
    if orphans:
        problems.append(ngettext("{count} journaled change belongs to no journal command",
                                 "{count} journaled changes belong to no journal command", orphans).format(
            count=orphans))
    return problems


def _difference(recorded: str, current: str) -> str:
    before, now = json.loads(recorded), json.loads(current)
    fields = [key for key in now if before.get(key) != now.get(key)]
    return "; ".join(_("{column} journaled {before}, now {now}").format(column=key, before=repr(before.get(key)),
                                                                        now=repr(now.get(key)))
                     for key in fields[:3])


LEDGER_CHECKS: list[tuple[str, Check]] = [
    ("integrity", integrity),
    ("foreign keys", foreign_keys),
    ("schema", schema),
    ("journal", journal),
]


def run(conn: sqlite3.Connection, checks: list[tuple[str, Check]]) -> list[CheckResult]:
    """Run the checks in order; a check that cannot even run (a damaged file) is itself a failure."""
    results = []
    for name, check in checks:
        try:
            problems = check(conn)
        except sqlite3.DatabaseError as exc:
            problems = [_("could not run: {error}").format(error=exc)]
        results.append(CheckResult(name, problems[:MAX_LISTED], len(problems)))
        if name == "integrity" and problems:
            break  # a damaged file makes every later check's answer meaningless
    return results

"""`nalcoop check`: SQLite's own checks, the schema, the journal and every group's invariants.

Each check is a function from a connection to a list of problems (one sentence each, naming
the rows); an empty list means it holds. Groups add their invariants by naming a function
in GROUP_INVARIANTS, imported only when the check runs.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

# Shown per check; beyond this the rest are counted, not listed.
MAX_LISTED = 20

# (check name, "module:function") for each group's domain invariants.
GROUP_INVARIANTS: list[tuple[str, str]] = [
    ("agreements", "nalcoop.agreements:invariant_problems"),
    ("donations", "nalcoop.donations:invariant_problems"),
    ("distribution", "nalcoop.distribution:invariant_problems"),
    ("network", "nalcoop.network:invariant_problems"),
    ("interns", "nalcoop.interns:invariant_problems"),
]


@dataclass(frozen=True)
class CheckResult:
    name: str
    problems: list[str]
    total: int  # problems found, of which at most MAX_LISTED are in `problems`


def integrity(conn: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in conn.execute("pragma integrity_check")]
    return [] if rows == ["ok"] else [f"SQLite integrity_check: {row}" for row in rows]


def foreign_keys(conn: sqlite3.Connection) -> list[str]:
    return [
        f"{table} row {rowid} refers to a missing row of {parent}"
        for table, rowid, parent, _ in conn.execute("pragma foreign_key_check")
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
    from nalcoop.db import MIGRATION_SET, MIGRATIONS_TABLE, SCHEMA_VERSION, schema_version_of
    from nalcoop.migrations import DERIVED_TABLES, migrations

    problems = []
    applied = [row[0] for row in conn.execute(
        f"select name from {MIGRATIONS_TABLE} where migration_set = ? order by id", [MIGRATION_SET])]
    known = [migration.name for migration in migrations._migrations]  # noqa: SLF001
    version = schema_version_of(applied)
    if version != SCHEMA_VERSION:
        problems.append(f"schema version {version}, but this nalcoop writes version {SCHEMA_VERSION}")
    for name in applied:
        if name not in known:
            problems.append(f"migration {name} is recorded in the ledger but unknown to this nalcoop")
    for name in known:
        if name not in applied:
            problems.append(f"migration {name} has not been applied")
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
                problems.append(f"table {table} has no journal {op} trigger: its changes would go unrecorded")
    return problems


def journal(conn: sqlite3.Connection) -> list[str]:
    """The journal's hash chain holds (the first entry that breaks it is named), it names only the ledger's
    journaled tables, every row is what its latest journaled change says it is, and no row escaped it."""
    from nalcoop.errors import visible
    from nalcoop.journal import chain_breaks, journaled_table_names

    problems = chain_breaks(conn)
    allowed = sorted(journaled_table_names())
    marks = ", ".join("?" for _ in allowed)
    problems.extend(
        f"journal entry {entry} names table '{visible(table)}', which nalcoop does not journal (written outside "
        "nalcoop)" for entry, table in conn.execute(
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
                problems.append(f"{table} row {row_id} exists, but the journal's last change deleted it")
            elif not present:
                problems.append(f"{table} row {row_id} is missing, but the journal never deleted it")
            else:
                problems.append(f"{table} row {row_id} differs from its last journaled change: "
                                f"{_difference(after, now)}")
        unrecorded = conn.execute(
            f"""select r.id from "{table}" r where not exists
                (select 1 from journal_changes j where j.tbl = ? and j.row_id = r.id) order by r.id""",
            [table],
        ).fetchall()
        problems.extend(f"{table} row {row_id} was never journaled (written outside nalcoop)"
                        for (row_id,) in unrecorded)
    orphans = conn.execute(
        "select count(*) from journal_changes j where not exists (select 1 from journal_commands c"
        " where c.id = j.command_id)"
    ).fetchone()[0]
    if orphans:
        problems.append(f"{orphans} journaled changes belong to no journal command")
    return problems


def _difference(recorded: str, current: str) -> str:
    before, now = json.loads(recorded), json.loads(current)
    fields = [key for key in now if before.get(key) != now.get(key)]
    return "; ".join(f"{key} journaled {before.get(key)!r}, now {now.get(key)!r}" for key in fields[:3])


def registry(conn: sqlite3.Connection) -> list[str]:
    """Council versions do not overlap, basic councils sit in a province that exists, codes are unique."""
    problems = []
    rows = conn.execute(
        "select council_id, valid_from, valid_to, gov from council_versions order by council_id, valid_from"
    ).fetchall()
    previous = None
    for council_id, valid_from, valid_to, gov in rows:
        if previous and previous[0] == council_id and (previous[2] is None or previous[2] > valid_from):
            problems.append(
                f"council {council_id} ({gov}) has overlapping versions from {previous[1]} and {valid_from}")
        previous = (council_id, valid_from, valid_to)
    unversioned = conn.execute(
        "select id, key from councils c where not exists (select 1 from council_versions v where v.council_id = c.id)"
    ).fetchall()
    problems.extend(f"council {council_id} ({key}) has no version in the registry" for council_id, key in unversioned)
    orphaned = conn.execute(
        """select v.council_id, v.gov, v.valid_from from council_versions v where v.province_id is not null
           and not exists (select 1 from council_versions p where p.council_id = v.province_id
                           and p.level = 'provincial' and p.valid_from <= v.valid_from
                           and (p.valid_to is null or p.valid_to > v.valid_from))"""
    ).fetchall()
    problems.extend(f"council {council_id} ({gov}) belongs on {valid_from} to a province that did not exist then"
                    for council_id, gov, valid_from in orphaned)
    duplicated = conn.execute(
        """select d.day, v.code, group_concat(v.gov, ', ') from
             (select distinct valid_from as day from council_versions) d
           join council_versions v on v.valid_from <= d.day and (v.valid_to is null or v.valid_to > d.day)
           where v.code is not null group by d.day, v.code having count(*) > 1"""
    ).fetchall()
    problems.extend(f"code {code} is used by {names} on {day}" for day, code, names in duplicated)
    if not conn.execute("select 1 from registry_changes where kind = 'baseline'").fetchone():
        problems.append("the registry has no baseline: run `nalcoop init`")
    return problems


CORE_CHECKS: list[tuple[str, Callable[[sqlite3.Connection], list[str]]]] = [
    ("integrity", integrity),
    ("foreign keys", foreign_keys),
    ("schema", schema),
    ("journal", journal),
    ("registry", registry),
]


def run_checks(conn: sqlite3.Connection) -> list[CheckResult]:
    """Run every check; a check that cannot even run (a damaged file) is itself a failure."""
    checks = list(CORE_CHECKS)
    for name, target in GROUP_INVARIANTS:
        module, function = target.split(":")
        checks.append((name, getattr(importlib.import_module(module), function)))
    results = []
    for name, check in checks:
        try:
            problems = check(conn)
        except sqlite3.DatabaseError as exc:
            problems = [f"could not run: {exc}"]
        results.append(CheckResult(name, problems[:MAX_LISTED], len(problems)))
        if name == "integrity" and problems:
            break  # a damaged file makes every later check's answer meaningless
    return results

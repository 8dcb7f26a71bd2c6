"""`nalcoop check`: the ledger's own checks, the council registry's, and every activity's invariants.

Each check is a function from a connection to a list of problems (one sentence each, naming
the rows, in the language of the run); an empty list means it holds. Each activity names its
invariants in the one list of activities (nalcoop/activities.py), imported only when the check runs.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from nalcoop import activities
from nalcoop.i18n import _
from nalcoop.ledger.checks import LEDGER_CHECKS, MAX_LISTED, Check, CheckResult, run

__all__ = ["MAX_LISTED", "CheckResult", "registry", "run_checks", "undo_keeping_rules"]

# The registry's tables: every activity's records name councils, so a change to them runs every invariant.
REGISTRY_TABLES = frozenset({"councils", "council_versions", "registry_changes"})

def registry(conn: sqlite3.Connection) -> list[str]:
    """Council versions do not overlap, basic councils sit in a province that exists, codes are unique."""
    problems = []
    rows = conn.execute(
        "select council_id, valid_from, valid_to, gov from council_versions order by council_id, valid_from"
    ).fetchall()
    previous = None
    for council_id, valid_from, valid_to, gov in rows:
        if previous and previous[0] == council_id and (previous[2] is None or previous[2] > valid_from):
            problems.append(_("council {id} ({name}) has overlapping versions from {first} and {second}").format(
                id=council_id, name=gov, first=previous[1], second=valid_from))
        previous = (council_id, valid_from, valid_to)
    unversioned = conn.execute(
        "select id, key from councils c where not exists (select 1 from council_versions v where v.council_id = c.id)"
    ).fetchall()
    problems.extend(_("council {id} ({key}) has no version in the registry").format(id=council_id, key=key)
                    for council_id, key in unversioned)
    orphaned = conn.execute(
        """select v.council_id, v.gov, v.valid_from from council_versions v where v.province_id is not null
           and not exists (select 1 from council_versions p where p.council_id = v.province_id
                           and p.level = 'provincial' and p.valid_from <= v.valid_from
                           and (p.valid_to is null or p.valid_to > v.valid_from))"""
    ).fetchall()
    problems.extend(_("council {id} ({name}) belongs on {date} to a province that did not exist then").format(
        id=council_id, name=gov, date=valid_from) for council_id, gov, valid_from in orphaned)
    duplicated = conn.execute(
        """select d.day, v.code, group_concat(v.gov, ', ') from
             (select distinct valid_from as day from council_versions) d
           join council_versions v on v.valid_from <= d.day and (v.valid_to is null or v.valid_to > d.day)
           where v.code is not null group by d.day, v.code having count(*) > 1"""
    ).fetchall()
    problems.extend(_("code {code} is used by {names} on {date}").format(code=code, names=names, date=day)
                    for day, code, names in duplicated)
    if not conn.execute("select 1 from registry_changes where kind = 'baseline'").fetchone():
        problems.append(_("the registry has no baseline: run `nalcoop init`"))
    return problems


def run_checks(conn: sqlite3.Connection) -> list[CheckResult]:
    """Run every check; a check that cannot even run (a damaged file) is itself a failure."""
    checks: list[tuple[str, Check]] = [*LEDGER_CHECKS, ("registry", registry)]
    checks.extend((activity.name, activity.load(activity.invariants)) for activity in activities.ACTIVITIES)
    return run(conn, checks)


def checks_reading(tables: Iterable[str]) -> list[tuple[str, Check]]:
    """The rules a change to these tables can break: each activity's whose tables they are, and with the
    registry's tables, the registry's and every activity's."""
    touched = set(tables)
    everything = bool(touched & REGISTRY_TABLES)
    chosen: list[tuple[str, Check]] = [("registry", registry)] if everything else []
    chosen.extend((activity.name, activity.load(activity.invariants)) for activity in activities.ACTIVITIES
                  if everything or any(table.startswith(activity.tables) for table in touched))
    return chosen


def _problems(conn: sqlite3.Connection, checks: list[tuple[str, Check]]) -> Counter[str]:
    return Counter(problem for _name, check in checks for problem in check(conn))


def undo_keeping_rules(conn: sqlite3.Connection, command_id: int, undo_command_id: int, *,
                       redoes: int | None = None) -> int:
    """journal.undo, refused (the caller's transaction rolled back) when the ledger would afterwards break a rule
    that held before: the invariants of the activities whose tables the command changed, compared before and
    after, so a problem already there does not block it. `redoes`: the command a redo re-applies (command_id is
    then the undo it reverts), as the refusal names it."""
    from nalcoop.ledger import journal

    chosen = checks_reading(journal.tables_of(conn, command_id))
    before = _problems(conn, chosen) if chosen else Counter()
    count = journal.undo(conn, command_id, undo_command_id)
    added = list((_problems(conn, chosen) - before).elements()) if chosen else []
    if not added:
        return count
    problem = added[0]
    if len(added) > 1:
        problem = _("{problem} (the first of {count} problems)").format(problem=problem, count=len(added))
    later = journal.dependents(conn, command_id, undo_command_id)
    commands = ", ".join(str(command) for command in later)
    if redoes is not None and later:
        message = _("command {id} cannot be redone: later commands ({commands}) build on its undo; undo those first "
                    "(the ledger would then break a rule: {problem})")
    elif redoes is not None:
        message = _("command {id} cannot be redone: the ledger would then break a rule: {problem}. Nothing was "
                    "changed")
    elif later:
        message = _("command {id} cannot be undone: later commands ({commands}) build on it; undo those first (the "
                    "ledger would then break a rule: {problem})")
    else:
        message = _("command {id} cannot be undone: the ledger would then break a rule: {problem}. Nothing was "
                    "changed")
    raise journal.UndoError(message.format(id=redoes if redoes is not None else command_id, commands=commands,
                                           problem=problem))

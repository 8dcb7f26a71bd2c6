"""`nalcoop check`: the ledger's own checks, the council registry's, and every activity's invariants.

Each check is a function from a connection to a list of problems (one sentence each, naming
the rows, in the language of the run); an empty list means it holds. Each activity names its
invariants in the one list of activities (nalcoop/activities.py), imported only when the check runs.
"""

from __future__ import annotations

import sqlite3

from nalcoop import activities
from nalcoop.i18n import _
from nalcoop.ledger.checks import LEDGER_CHECKS, MAX_LISTED, Check, CheckResult, run

__all__ = ["MAX_LISTED", "CheckResult", "registry", "run_checks"]

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

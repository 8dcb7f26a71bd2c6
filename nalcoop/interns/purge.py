"""The purge of personal data past its retention period: which students and applications it reaches, and
emptying their personal fields in the rows and in every journaled copy. Irreversible: undo refuses it.
"""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3
from dataclasses import dataclass

from nalcoop.i18n import _
from nalcoop.interns.records import PERSONAL, InternError, mask_email, mask_name, mask_phone

PURGE_WAIT_SECONDS = 30.0  # how long finishing a purge on disk waits for a colleague's reading command to end


def retention_cutoff(older_than: str, today: str) -> str:
    """'3y', '18m' or '90d' before today: cohorts that ended before the returned day are purged."""
    match = re.fullmatch(r"\s*(\d{1,3})\s*(y|m|d|년|개월|달|일)\s*", str(older_than or "").lower())
    if not match:
        raise InternError(_("--older-than '{older_than}' is not a period: write 3y (years), 18m (months) "
                            "or 90d (days), or 3년, 18개월, 90일").format(older_than=older_than))
    number, unit = int(match[1]), {"년": "y", "개월": "m", "달": "m", "일": "d"}.get(match[2], match[2])
    if number == 0:
        raise InternError(_("--older-than 0 would purge every cohort that has ended; give the retention "
                            "period, such as 3y"))
    day = _dt.date.fromisoformat(today)
    if unit == "d":
        cutoff = day - _dt.timedelta(days=number)
    else:
        months = number * 12 if unit == "y" else number
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        if year < 1:
            raise InternError(_("--older-than {older_than} reaches before the year 1").format(older_than=older_than))
        from nalcoop.dates import days_in_month

        cutoff = _dt.date(year, month + 1, min(day.day, days_in_month(year, month + 1)))
    return cutoff.isoformat()


@dataclass(frozen=True)
class PurgePlan:
    cutoff: str
    students: list[int]  # students on record whose every cohort ended before the cut-off
    applications: list[int]  # theirs, and applications undone since whose cohort ended before it
    gone_students: list[int]  # students undone since (their rows are gone; the journal still knew them)

    @property
    def empty(self) -> bool:
        return not (self.students or self.applications or self.gone_students)


def purge_candidates(conn: sqlite3.Connection, older_than: str, today: str) -> PurgePlan:
    """What a purge with this retention period would reach: students still on record with personal data,
    and what an undo removed from the tables but the journal still holds (an application undone, say)."""
    cutoff = retention_cutoff(older_than, today)
    students = [row[0] for row in conn.execute(
        """select s.id from intern_students s where s.purged_on is null and not exists (
               select 1 from intern_applications a join intern_cohorts c on c.id = a.cohort_id
               where a.student_id = s.id and c.ends_on >= ?) order by s.id""", [cutoff])]
    marks = ", ".join("?" for _ in students) or "null"
    applications = [row[0] for row in conn.execute(
        f"select id from intern_applications where student_id in ({marks})", students)]
    gone_apps, gone_students = [], []
    for app_id, student_id, cohort_id in conn.execute(
            """select distinct j.row_id, json_extract(coalesce(j.before, j.after), '$.student_id'),
                      json_extract(coalesce(j.before, j.after), '$.cohort_id')
               from journal_changes j where j.tbl = 'intern_applications'
               and not exists (select 1 from intern_applications a where a.id = j.row_id)""").fetchall():
        ended = conn.execute("select ends_on from intern_cohorts where id = ?", [cohort_id]).fetchone()
        if ended is None or ended[0] < cutoff:
            gone_apps.append(app_id)
            if not conn.execute("select 1 from intern_students where id = ?", [student_id]).fetchone():
                gone_students.append(student_id)
    # An undone student with nothing left in the journal but themselves (an application never written).
    for (student_id,) in conn.execute(
            """select distinct j.row_id from journal_changes j where j.tbl = 'intern_students'
               and not exists (select 1 from intern_students s where s.id = j.row_id)
               and json_extract(coalesce(j.before, j.after), '$.name') is not null""").fetchall():
        if student_id not in gone_students and not conn.execute(
                """select 1 from journal_changes j where j.tbl = 'intern_applications'
                   and json_extract(coalesce(j.before, j.after), '$.student_id') = ?""", [student_id]).fetchone():
            gone_students.append(student_id)
    return PurgePlan(cutoff, students, sorted(set(applications + gone_apps)), sorted(set(gone_students)))


def purge_ledger(ledger, plan: PurgePlan, today: str, *, command: str, by: str, again: str) -> dict[str, int]:
    """The whole purge as one journaled command of `ledger` (a nalcoop.ledger.store.Ledger), then finished on
    disk: what `nalcoop intern purge` does, for any caller. `again`: see finish_on_disk."""
    with ledger.command(command, by):
        changed = purge(ledger.conn, plan, today)
    finish_on_disk(ledger.conn, ledger.path, again)
    return changed


def purge(conn: sqlite3.Connection, plan: PurgePlan, today: str) -> dict[str, int]:
    """Empty the personal fields of the plan's students (and the free text about them) in the rows and in
    every journaled copy of those rows, undone rows included; mask their names, e-mails and telephones
    wherever the ledger keeps them as text (command lines, reasons given for a reveal). Counts,
    universities, hours, scores and certificate numbers stay. Inside the caller's journaled command: it
    refuses over a broken journal chain, zeroes freed pages (secure_delete), marks the command
    irreversible and re-seals the chain. Once the command has committed, `finish_on_disk` removes the old
    values from the write-ahead log (purge_ledger does both)."""
    changed: dict[str, int] = {}
    if plan.empty:
        return changed
    from nalcoop.ledger import chain
    from nalcoop.ledger.journal import mark_irreversible

    broken = chain.chain_breaks(conn)
    if broken:  # the purge rewrites old journal rows and re-seals the chain: never over a forgery
        raise InternError(_("{broken}; a purge would seal that over: run `nalcoop check` first. Nothing "
                            "was purged").format(broken=broken[0]))
    conn.execute("pragma secure_delete = on")  # freed pages are zeroed, not left holding the values
    mark_irreversible(conn)  # what it removes is gone for good: undo must refuse it
    values = [row for row in conn.execute(
        f"select name, email, phone from intern_students where id in ({', '.join('?' for _ in plan.students)})",
        plan.students)] if plan.students else []
    values += [row for row in conn.execute(
        f"""select json_extract(coalesce(before, after), '$.name'), json_extract(coalesce(before, after), '$.email'),
                   json_extract(coalesce(before, after), '$.phone') from journal_changes
            where tbl = 'intern_students' and row_id in ({', '.join('?' for _ in plan.gone_students) or 'null'})""",
        plan.gone_students)]
    # The rows themselves.
    if plan.students:
        marks = ", ".join("?" for _ in plan.students)
        changed["intern_students"] = conn.execute(
            f"update intern_students set name = null, name_key = null, email = null, phone = null, purged_on = ? "
            f"where id in ({marks})", [today, *plan.students]).rowcount
    app_marks = ", ".join("?" for _ in plan.applications) or "null"
    for table, columns in PERSONAL.items():
        if table == "intern_students":
            continue
        link = "id" if table == "intern_applications" else "application_id"
        assignments = ", ".join(f"{column} = null" for column in columns)
        changed[table] = conn.execute(f"update {table} set {assignments} where {link} in ({app_marks})",
                                      plan.applications).rowcount
    # Every journaled state of those rows, including rows an undo removed and the purge's own changes.
    for table, columns in PERSONAL.items():
        paths = ", ".join(f"'$.{column}', null" for column in columns)
        if table == "intern_students":
            ids, where = plan.students + plan.gone_students, "row_id in ({})"
        elif table == "intern_applications":
            ids, where = plan.applications, "row_id in ({})"
        else:
            ids, where = plan.applications, "json_extract(coalesce(before, after), '$.application_id') in ({})"
        if not ids:
            continue
        clause = where.format(", ".join("?" for _ in ids))
        for side in ("before", "after"):
            conn.execute(f"update journal_changes set {side} = json_set({side}, {paths}) where tbl = ? "
                         f"and {side} is not null and {clause}", [table, *ids])
    # Text that names them: reasons for reveals, and command lines (a file name such as 홍길동_수료증.html).
    for name, email, phone in values:
        for value, masked in ((name, mask_name(name)), (email, mask_email(email)), (phone, mask_phone(phone))):
            if not value or len(value) < 2:
                continue
            conn.execute("update intern_reveals set reason = replace(reason, ?1, ?2), "
                         "command = replace(command, ?1, ?2) where instr(reason, ?1) or instr(command, ?1)",
                         [value, masked])
            for side in ("before", "after"):
                conn.execute(f"update journal_changes set {side} = replace({side}, ?1, ?2) "
                             f"where tbl = 'intern_reveals' and instr({side}, ?1)", [value, masked])
            conn.execute("update journal_commands set command = replace(command, ?1, ?2) where instr(command, ?1)",
                         [value, masked])
    chain.rechain(conn)  # the rewritten journal rows, sealed again
    return changed


def finish_on_disk(conn: sqlite3.Connection, path, again: str) -> None:
    """Copy the write-ahead log into the ledger file and empty it (secure_delete zeroed the freed space): only
    then are the old values gone from the disk. A reader still holding the old pages stops that; wait for it
    (PURGE_WAIT_SECONDS), then say so rather than report a purge the file does not yet show. `again` is the
    command to run again to finish."""
    import time

    deadline = time.monotonic() + PURGE_WAIT_SECONDS
    while True:
        busy, _log, _moved = conn.execute("pragma wal_checkpoint(truncate)").fetchone()
        if not busy:
            return
        if time.monotonic() >= deadline:
            raise InternError(_("the purge is recorded, but {path}-wal still holds the old values "
                                "because another nalcoop command is reading the ledger; when it has "
                                "ended, run `nalcoop {again}` again to finish (it removes them from the "
                                "disk)").format(path=path, again=again))
        time.sleep(0.2)

"""What the apprenticeship lists, masked unless a reveal is asked for with a reason (and journaled): cohorts,
applications, one application's timeline, the reveals themselves, the students behind their pace, and the
data a certificate prints.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3

from nalcoop.dates import day_after
from nalcoop.i18n import _
from nalcoop.interns.records import (
    _APPLICATION_SQL,
    MAX_DAY_HOURS,
    STATUSES,
    STEPS,
    Application,
    Certificate,
    Cohort,
    InternError,
    _application,
    _cohort,
    mask_email,
    mask_phone,
)
from nalcoop.interns.rules import _slots_taken, departments_of, hours_logged
from nalcoop.names import trimmed

# ---------------------------------------------------------------- cohorts and placements


def cohort_rows(conn: sqlite3.Connection) -> list[dict]:
    rows = []
    for row in conn.execute("select * from intern_cohorts order by starts_on, name").fetchall():
        cohort = _cohort(row)
        counts = dict(conn.execute("select status, count(*) from intern_applications where cohort_id = ? "
                                   "group by status", [cohort.id]).fetchall())
        rows.append({"cohort": cohort.name, "from": cohort.starts_on, "to": cohort.ends_on, "slots": cohort.slots,
                     "required_hours": cohort.required_hours,
                     "departments": ", ".join(departments_of(conn, cohort)) or None,
                     "applicants": sum(counts.values()), "taken": _slots_taken(conn, cohort),
                     "completed": counts.get("completed", 0)})
    return rows


def placement_rows(conn: sqlite3.Connection, application: Application) -> list[dict]:
    return [{"dept": row["dept"], "mentor": row["mentor"], "from": row["starts_on"], "to": row["ends_on"],
             "hours": row["hours"]} for row in conn.execute(
                 """select p.*, (select sum(h.hours) from intern_hours h where h.placement_id = p.id) as hours
                    from intern_placements p where p.application_id = ? order by p.starts_on""", [application.id])]


# ---------------------------------------------------------------- applications (masked unless revealed)


def application_rows(conn: sqlite3.Connection, *, cohort: Cohort | None = None, status: str | None = None,
                     reveal: bool = False, as_of: str | None = None, date_from: str | None = None,
                     date_to: str | None = None) -> list[dict]:
    """The applications, with their status, departments, hours, score and certificate. date_from/date_to (both
    inclusive) keep the applications to the cohorts that began in that period (as `stats interns` counts them);
    `as_of` shows each as it stood at the end of that day (inclusive): only applications made by then, with the
    status, departments, hours and evaluations recorded by then."""
    sql, params = _APPLICATION_SQL + " where 1 = 1", []
    if cohort is not None:
        sql += " and a.cohort_id = ?"
        params.append(cohort.id)
    if date_from is not None:
        sql += " and c.starts_on >= ?"
        params.append(date_from)
    if date_to is not None:
        sql += " and c.starts_on <= ?"
        params.append(date_to)
    if status is not None and status not in STATUSES:
        raise InternError(_("status '{status}' is not one of {items}").format(
            status=status, items=', '.join(STATUSES)))
    if status is not None and as_of is None:
        sql += " and a.status = ?"
        params.append(status)
    sql += " order by c.starts_on, s.name, a.id"
    day = as_of or "9999-12-31"
    hours = dict(conn.execute("select application_id, sum(hours) from intern_hours where on_date <= ? "
                              "group by application_id", [day]))
    scores = dict(conn.execute("select application_id, round(avg(score), 1) from intern_evaluations "
                               "where on_date <= ? group by application_id", [day]))
    depts = {}
    for application_id, dept in conn.execute("select application_id, dept from intern_placements "
                                              "where starts_on <= ? order by starts_on", [day]):
        depts.setdefault(application_id, []).append(dept)
    statuses_then = {}
    if as_of is not None:
        for application_id, step in conn.execute("select application_id, step from intern_steps where on_date <= ? "
                                                 "order by on_date, id", [as_of]):
            statuses_then[application_id] = STEPS[step]  # the latest step by then wins
    rows = []
    for row in conn.execute(sql, params).fetchall():
        application = _application(row)
        current = application.status if as_of is None else statuses_then.get(application.id)
        if current is None or (status is not None and current != status):
            continue  # not yet applied on that day, or another status then
        rows.append({
            "id": f"#{application.id}", "cohort": application.cohort.name,
            "name": (application.name or _("(purged)")) if reveal else application.masked,
            "university": application.university, "major": application.major, "year": application.year,
            "email": application.email if reveal else mask_email(application.email),
            "phone": application.phone if reveal else mask_phone(application.phone),
            "status": current, "applied_on": row["applied_on"],
            "departments": ", ".join(depts.get(application.id, [])) or None,
            "hours": round(hours.get(application.id, 0), 2), "required": application.cohort.required_hours,
            "score": scores.get(application.id),
            "certificate": row["certificate"] if current == "completed" else None,
        })
    return rows


def timeline_rows(conn: sqlite3.Connection, application: Application, *, reveal: bool = False) -> list[dict]:
    """Every dated record of one application: steps, placements, hours and evaluations, in date order."""
    rows = [{"date": r["on_date"], "what": r["step"], "detail": r["reason"] if reveal else _masked_text(r["reason"]),
             "hours": None}
            for r in conn.execute("select * from intern_steps where application_id = ? order by on_date, id",
                                  [application.id])]
    for r in conn.execute("select * from intern_placements where application_id = ?", [application.id]):
        detail = r["dept"] + (_(", mentor {mentor}").format(mentor=r["mentor"]) if r["mentor"] else "")
        rows.append({"date": r["starts_on"], "what": "placement", "hours": None,
                     "detail": detail + (_(", until {date}").format(date=r["ends_on"]) if r["ends_on"] else "")})
    total = 0.0
    for r in conn.execute("""select h.*, p.dept from intern_hours h join intern_placements p on p.id = h.placement_id
                             where h.application_id = ? order by h.on_date, h.id""", [application.id]):
        total += r["hours"]
        note = r["note"] if reveal else _masked_text(r["note"])
        rows.append({"date": r["on_date"], "what": "hours", "detail": r["dept"] + (f": {note}" if note else "")
                     + _(" (total {total:g})").format(total=total), "hours": r["hours"]})
    rows += [{"date": r["on_date"], "what": "evaluation",
              "detail": _("score {score} by {by}").format(score=r["score"], by=r["by"])
              + (f": {r['comment'] if reveal else _masked_text(r['comment'])}" if r["comment"] else ""), "hours": None}
             for r in conn.execute("select * from intern_evaluations where application_id = ?", [application.id])]
    order = {"apply": 0, "accept": 1, "placement": 2, "place": 3, "hours": 4, "evaluation": 5}
    return sorted(rows, key=lambda r: (r["date"], order.get(r["what"], 6)))


def _masked_text(text: str | None) -> str | None:
    """Free text about a student is personal data too: shown only with --reveal."""
    return None if text is None else _("(hidden: --reveal)")


def record_reveal(conn: sqlite3.Connection, by: str, reason: str | None, command: str,
                  application_ids: list[int]) -> None:
    """A reveal of personal data is itself recorded: who, why, by which command, whose data. It is kept
    for good: `undo` refuses it."""
    import json

    if not trimmed(reason):
        raise InternError(_("--reveal shows personal data: give --purpose (why it is needed), which is "
                            "journaled"))
    conn.execute("insert into intern_reveals (at, by, reason, command, students, applications) "
                 "values (?, ?, ?, ?, ?, ?)",
                 [_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"), by, trimmed(reason), command,
                  len(application_ids), json.dumps(sorted(set(application_ids)))])


def reveal_rows(conn: sqlite3.Connection) -> list[dict]:
    import json

    return [{"at": r["at"], "by": r["by"], "reason": r["reason"], "command": r["command"], "students": r["students"],
             "applications": ", ".join(f"#{number}" for number in json.loads(r["applications"])) or None}
            for r in conn.execute("select * from intern_reveals order by id")]


# ---------------------------------------------------------------- pace


def due_rows(conn: sqlite3.Connection, as_of: str, *, reveal: bool = False) -> list[dict]:
    """Placed students of cohorts running on `as_of` whose hours are behind an even pace over the
    cohort's working days (Monday to Friday less public holidays; the end of `as_of` counts as done)."""
    from nalcoop.dates import working_days

    rows = []
    for row in conn.execute(f"{_APPLICATION_SQL} where a.status = 'placed' and c.starts_on <= ? "
                            "order by c.ends_on < ? desc, c.name, s.name", [as_of, as_of]).fetchall():
        application = _application(row)
        cohort = application.cohort
        total_days = working_days(cohort.starts_on, cohort.ends_on) or 1
        elapsed = working_days(cohort.starts_on, as_of)
        expected = round(cohort.required_hours * elapsed / total_days, 1)
        logged = hours_logged(conn, application.id, as_of)
        if logged >= expected:
            continue
        left = working_days(day_after(as_of), cohort.ends_on)
        needed = cohort.required_hours - logged
        per_day = round(needed / left, 1) if left else None
        if cohort.ends_on < as_of:
            note = _("overdue: the cohort ended on {date}").format(date=cohort.ends_on)
        elif per_day is None or per_day > MAX_DAY_HOURS:
            note = _("cannot reach {hours:g} hours at {most:g} a day").format(hours=cohort.required_hours,
                                                                               most=MAX_DAY_HOURS)
        else:
            note = None
        rows.append({"id": f"#{application.id}", "cohort": cohort.name,
                     "name": (application.name or _("(purged)")) if reveal else application.masked,
                     "university": application.university, "logged": logged, "expected": expected,
                     "behind": round(expected - logged, 1), "required": cohort.required_hours,
                     "working_days_left": left, "per_day": per_day, "note": note, "as_of": as_of})
    return rows


# ---------------------------------------------------------------- certificates


def certificate(conn: sqlite3.Connection, application: Application) -> Certificate:
    row = conn.execute("select certificate, completed_on from intern_applications where id = ?",
                       [application.id]).fetchone()
    if application.status != "completed" or row["certificate"] is None:
        raise InternError(_("{application}: a certificate is issued once the student is completed "
                            "(`nalcoop intern complete`)").format(application=application.label))
    if application.name is None:
        raise InternError(_("{application}: the student's personal data was purged; the certificate "
                            "cannot be printed again").format(application=application.label))
    depts = [r[0] for r in conn.execute("select dept from intern_placements where application_id = ? "
                                        "order by starts_on", [application.id])]
    first = conn.execute("select min(starts_on) from intern_placements where application_id = ?",
                         [application.id]).fetchone()[0]
    return Certificate(row["certificate"], application.name, application.university, application.major,
                       application.cohort.name, first or application.cohort.starts_on, row["completed_on"],
                       row["completed_on"], hours_logged(conn, application.id), list(dict.fromkeys(depts)))

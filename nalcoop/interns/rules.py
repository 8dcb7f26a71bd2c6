"""The apprenticeship's writes and the checks they make: cohorts, applications and their dated steps,
placements with mentors, hours, evaluations, and completion with a numbered certificate.

Plain functions over a sqlite3 connection; the caller runs writes inside a journaled command.
"""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3

from nalcoop.dates import day_before
from nalcoop.i18n import N_, _, josa
from nalcoop.interns.records import (
    _APPLICATION_SQL,
    ALLOWED_FROM,
    MAX_DAY_HOURS,
    SCORES,
    STATUSES,
    STEPS,
    TAKES_A_SLOT,
    Application,
    Cohort,
    FieldError,
    InternError,
    _application,
    _cohort,
    check_email,
    check_phone,
    mask_name,
)
from nalcoop.names import name_key, pick, trimmed

# ---------------------------------------------------------------- cohorts


def resolve_cohort(conn: sqlite3.Connection, text: str) -> Cohort:
    cohorts = [_cohort(row) for row in conn.execute("select * from intern_cohorts order by starts_on")]
    return pick(N_("cohort"), text, cohorts, lambda c: c.label, "nalcoop intern cohort list",
                lambda c: [name_key(c.name)], error=InternError, plural=N_("cohorts"))


def _check_cohort_values(starts_on: str, ends_on: str, slots: int, required_hours: float) -> None:
    if ends_on < starts_on:
        raise InternError(_("the cohort ends on {ends_on}, before it starts on {starts_on}").format(
            ends_on=ends_on, starts_on=starts_on))
    if not 1 <= slots <= 1000:
        raise InternError(_("--slots: {slots} is not between 1 and 1,000").format(slots=slots))
    if not 0 < required_hours <= 2000:
        raise InternError(_("--required-hours: {required_hours:g} is not above 0 and up to 2,000").format(
            required_hours=required_hours))


def _check_cohort_fits(starts_on: str, ends_on: str, required_hours: float) -> None:
    days = (_dt.date.fromisoformat(ends_on) - _dt.date.fromisoformat(starts_on)).days + 1
    if required_hours > days * MAX_DAY_HOURS:
        raise InternError(_("--required-hours: {required_hours:g} hours cannot be logged in {days} days "
                            "at {MAX_DAY_HOURS:g} a day").format(
            required_hours=required_hours, days=days, MAX_DAY_HOURS=MAX_DAY_HOURS))


def add_cohort(conn: sqlite3.Connection, name: str, starts_on: str, ends_on: str, slots: int,
               required_hours: float, *, departments: list[str] | None = None, note: str | None = None) -> Cohort:
    name = trimmed(name) or ""
    if not name_key(name):
        raise InternError(_("a cohort needs a name, such as 2025-summer"))
    _check_cohort_values(starts_on, ends_on, slots, required_hours)
    _check_cohort_fits(starts_on, ends_on, required_hours)
    clash = conn.execute("select name from intern_cohorts where name_key = ?", [name_key(name)]).fetchone()
    if clash:
        raise InternError(_("cohort {name} already exists; change it with `nalcoop intern cohort edit`").format(
            name=clash['name']))
    cursor = conn.execute("insert into intern_cohorts (name, name_key, starts_on, ends_on, slots, required_hours, "
                          "note) values (?, ?, ?, ?, ?, ?, ?)",
                          [name, name_key(name), starts_on, ends_on, slots, required_hours, trimmed(note)])
    cohort = _cohort(conn.execute("select * from intern_cohorts where id = ?", [cursor.lastrowid]).fetchone())
    add_departments(conn, cohort, departments or [])
    return cohort


def add_departments(conn: sqlite3.Connection, cohort: Cohort, departments: list[str]) -> list[str]:
    added = []
    for dept in departments:
        dept = trimmed(dept) or ""
        if not name_key(dept):
            raise InternError(_("a department needs a name, such as 의회정보실"))
        if conn.execute("select 1 from intern_cohort_depts where cohort_id = ? and dept_key = ?",
                        [cohort.id, name_key(dept)]).fetchone():
            continue
        conn.execute("insert into intern_cohort_depts (cohort_id, dept, dept_key) values (?, ?, ?)",
                     [cohort.id, dept, name_key(dept)])
        added.append(dept)
    return added


def departments_of(conn: sqlite3.Connection, cohort: Cohort) -> list[str]:
    return [row[0] for row in conn.execute("select dept from intern_cohort_depts where cohort_id = ? order by id",
                                           [cohort.id])]


def edit_cohort(conn: sqlite3.Connection, cohort: Cohort, *, ends_on: str | None = None, slots: int | None = None,
                required_hours: float | None = None, departments: list[str] | None = None) -> Cohort:
    new = Cohort(cohort.id, cohort.name, cohort.starts_on, ends_on or cohort.ends_on,
                 cohort.slots if slots is None else slots,
                 cohort.required_hours if required_hours is None else required_hours)
    _check_cohort_values(new.starts_on, new.ends_on, new.slots, new.required_hours)
    taken = _slots_taken(conn, cohort)
    if new.slots < taken:
        raise InternError(_("cohort {cohort} has {taken} students accepted; it cannot have {slots} slots").format(
            cohort=cohort.name, taken=taken, slots=new.slots))
    late = conn.execute(
        """select max(day) from (
               select h.on_date as day from intern_hours h join intern_applications a on a.id = h.application_id
               where a.cohort_id = ?1
               union all select a.completed_on from intern_applications a where a.cohort_id = ?1
               union all select p.starts_on from intern_placements p join intern_applications a
                   on a.id = p.application_id where a.cohort_id = ?1)""", [cohort.id]).fetchone()[0]
    if late and late > new.ends_on:
        raise InternError(_("cohort {cohort} has hours, a placement or a completion on {late}; it cannot "
                            "end on {ends_on}").format(cohort=cohort.name, late=late, ends_on=new.ends_on))
    short = conn.execute(
        """select a.id, (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id) as hours
           from intern_applications a where a.cohort_id = ? and a.status = 'completed' order by hours limit 1""",
        [cohort.id]).fetchone()
    if short is not None and short["hours"] < new.required_hours:
        raise InternError(_("{label} completed with {hours:g} hours; cohort {cohort} cannot require "
                            "{required_hours:g}").format(
            label=application_by_id(conn, short['id']).label, hours=short['hours'], cohort=cohort.name,
            required_hours=new.required_hours))
    _check_cohort_fits(new.starts_on, new.ends_on, new.required_hours)
    conn.execute("update intern_cohorts set ends_on = ?, slots = ?, required_hours = ? where id = ?",
                 [new.ends_on, new.slots, new.required_hours, cohort.id])
    add_departments(conn, new, departments or [])
    return new


def _slots_taken(conn: sqlite3.Connection, cohort: Cohort) -> int:
    marks = ", ".join("?" for _ in TAKES_A_SLOT)
    return conn.execute(f"select count(*) from intern_applications where cohort_id = ? and status in ({marks})",
                        [cohort.id, *TAKES_A_SLOT]).fetchone()[0]


# ---------------------------------------------------------------- students and applications


def application_by_id(conn: sqlite3.Connection, application_id: int) -> Application:
    return _application(conn.execute(f"{_APPLICATION_SQL} where a.id = ?", [application_id]).fetchone())


def resolve_student(conn: sqlite3.Connection, text: str, *, cohort: Cohort | None = None,
                    statuses: tuple[str, ...] | None = None, doing: str = "") -> Application:
    """An application by the student's full name (spacing ignored) or '#N' as listed, within a cohort if
    given. Among several, those in `statuses` are preferred; still several, the librarian chooses."""
    query = str(text or "").strip()
    if re.fullmatch(r"#?\d+", query):  # no one is called by digits: an application number
        row = conn.execute(f"{_APPLICATION_SQL} where a.id = ?", [int(query.lstrip("#"))]).fetchone()
        if row is None or (cohort is not None and row["cohort_id"] != cohort.id):
            where = _(" in {cohort}").format(cohort=cohort.name) if cohort else ""
            raise InternError(_("there is no application {number}{where} (`nalcoop intern list` numbers "
                                "them)").format(number=query, where=where))
        found = [_application(row)]
    else:
        key = name_key(query)
        if not key:
            raise InternError(_("the student's name is empty; give it as typed when they applied, or "
                                "'#N' from `nalcoop intern list`"))
        sql, params = f"{_APPLICATION_SQL} where s.name_key = ?", [key]
        if cohort is not None:
            sql += " and a.cohort_id = ?"
            params.append(cohort.id)
        found = [_application(row) for row in conn.execute(sql + " order by c.starts_on, a.id", params)]
        if not found:
            where = _(" in cohort {cohort}").format(cohort=cohort.name) if cohort else ""
            raise InternError(_("no student called '{mask_name}' has applied{where} (names are matched "
                                "whole; see `nalcoop intern list`)").format(
                mask_name=mask_name(query[:40]), where=where))
    if statuses is not None:
        fitting = [a for a in found if a.status in statuses]
        if not fitting:
            last = found[-1]
            raise InternError(_("{application}: a student who is {status} cannot {doing}").format(
                application=last.label, status=STATUSES.said(last.status),
                doing=josa(doing or _("do that"), "을", "를")))
        found = fitting
    if len(found) > 1:
        shown = "; ".join(a.label for a in found[:10])
        raise InternError(_("{count} applications match: {shown}. Give --cohort, or the number as '#N'").format(
            count=len(found), shown=shown))
    return found[0]


def _student_for(conn: sqlite3.Connection, name: str, email: str | None, phone: str | None) -> int | None:
    """The student who applied before with the same name and the same e-mail or telephone, if any."""
    for row in conn.execute("select id, email, phone from intern_students where name_key = ?", [name_key(name)]):
        if (email and row["email"] == email) or (phone and row["phone"] == phone):
            return row["id"]
    return None


def apply(conn: sqlite3.Connection, cohort: Cohort, name: str, university: str, on_date: str, *,
          major: str | None = None, year: int | None = None, email: str | None = None, phone: str | None = None,
          note: str | None = None) -> tuple[Application, bool]:
    """Record an application (and the student, unless the same person applied before: same name and
    e-mail or telephone). Returns the application and whether the student is new."""
    name = trimmed(name) or ""
    if not name_key(name):
        raise FieldError("name", _("an applicant needs a name"))
    if len(name) > 60:
        raise FieldError("name", _("the name is longer than 60 characters"))
    if re.search(r"[\x00-\x1f\x7f]", name):
        raise FieldError("name", _("holds an invisible control character; type the name again"))
    university = trimmed(university) or ""
    if not name_key(university):
        raise FieldError("university", _("an applicant needs a university, such as 한남대학교"))
    email, phone = check_email(email), check_phone(phone)
    if email is None and phone is None:
        raise FieldError("email", _("give an e-mail address or a telephone number to reach the applicant"))
    if year is not None and not 1 <= year <= 6:
        raise FieldError("year", _("year {year} is not a year of study (1 to 6)").format(year=year))
    _not_in_the_future(on_date, _("an application"), field="applied_on")
    if on_date > cohort.ends_on:
        raise FieldError("applied_on", _("cohort {cohort} ended on {ends_on}; an application dated "
                                         "{on_date} comes too late (give the day it was received: "
                                         "--date, or a 신청일 column)").format(
            cohort=cohort.name, ends_on=cohort.ends_on, on_date=on_date))
    student_id = _student_for(conn, name, email, phone)
    new = student_id is None
    if new:
        student_id = conn.execute("insert into intern_students (name, name_key, email, phone) values (?, ?, ?, ?)",
                                  [name, name_key(name), email, phone]).lastrowid
    else:
        conn.execute("update intern_students set email = coalesce(?, email), phone = coalesce(?, phone) "
                     "where id = ?", [email, phone, student_id])
        if conn.execute("select 1 from intern_applications where cohort_id = ? and student_id = ?",
                        [cohort.id, student_id]).fetchone():
            raise FieldError("name", _("{mask_name} has already applied to cohort {cohort}").format(
                mask_name=mask_name(name), cohort=cohort.name))
    application_id = conn.execute(
        "insert into intern_applications (cohort_id, student_id, university, major, year, status, applied_on, note) "
        "values (?, ?, ?, ?, ?, 'applied', ?, ?)",
        [cohort.id, student_id, university, trimmed(major), year, on_date, trimmed(note)]).lastrowid
    _record_step(conn, application_id, "apply", on_date, None)
    return application_by_id(conn, application_id), new


def _not_in_the_future(on_date: str, what: str, *, field: str = "date") -> None:
    from nalcoop.dates import today

    if on_date > today().isoformat():
        raise FieldError(field, _("{what} cannot be dated {date}, after today ({today})").format(
            what=what, date=on_date, today=today().isoformat()))


def _record_step(conn: sqlite3.Connection, application_id: int, step: str, on_date: str, reason: str | None) -> None:
    conn.execute("insert into intern_steps (application_id, step, on_date, reason) values (?, ?, ?, ?)",
                 [application_id, step, on_date, trimmed(reason)])
    conn.execute("update intern_applications set status = ? where id = ?", [STEPS[step], application_id])


def _last_step_date(conn: sqlite3.Connection, application_id: int) -> str:
    return conn.execute("select max(on_date) from intern_steps where application_id = ?",
                        [application_id]).fetchone()[0]


def step(conn: sqlite3.Connection, application: Application, name: str, on_date: str, *,
         reason: str | None = None) -> Application:
    """accept, reject, withdraw or drop an application on a day (place and complete have their own)."""
    if application.status not in ALLOWED_FROM[name]:
        raise InternError(_("{application}: a student who is {status} cannot be {step}").format(
            application=application.label, status=STATUSES.said(application.status),
            step=STATUSES.said(STEPS[name])))
    _not_in_the_future(on_date, _("a step"))
    last = _last_step_date(conn, application.id)
    if on_date < last:
        raise InternError(_("{application}: {on_date} is before its last step on {last}").format(
            application=application.label, on_date=on_date, last=last))
    if name == "accept":
        taken = _slots_taken(conn, application.cohort)
        if taken >= application.cohort.slots:
            raise InternError(_("cohort {cohort} has {slots} slots and all {taken} are taken; leave "
                                "{application} applied, or raise --slots with `nalcoop intern cohort "
                                "edit`").format(
                cohort=application.cohort.name, slots=application.cohort.slots, taken=taken,
                application=application.masked))
    if name in ("reject", "drop") and not trimmed(reason):
        raise InternError(_("give --note (why) for a student who is {status}").format(
            status=STATUSES.said(STEPS[name])))
    if name in ("drop", "withdraw") and application.status == "placed":
        _check_placement_can_end(conn, application, on_date)
        conn.execute("update intern_placements set ends_on = ? where application_id = ? and ends_on is null",
                     [on_date, application.id])
    _record_step(conn, application.id, name, on_date, reason)
    return application_by_id(conn, application.id)


# ---------------------------------------------------------------- placements


def place(conn: sqlite3.Connection, application: Application, dept: str, on_date: str, *,
          mentor: str | None = None) -> tuple[Application, str | None]:
    """Place an accepted student in a department under a mentor from a day; a placed student moves
    to another department (the previous placement ends the day before). Returns the department left."""
    if application.status not in ALLOWED_FROM["place"]:
        said = (_("{application}: a student who is {status} cannot be placed (accept first)")
                if application.status == "applied" else
                _("{application}: a student who is {status} cannot be placed"))
        raise InternError(said.format(application=application.label, status=STATUSES.said(application.status)))
    dept = trimmed(dept) or ""
    if not name_key(dept):
        raise InternError(_("give the department, such as --dept 의회정보실"))
    listed = departments_of(conn, application.cohort)
    if listed:
        match = [d for d in listed if name_key(d) == name_key(dept)]
        if not match:
            raise InternError(_("cohort {cohort} takes students in {items}, not '{dept}' (add it with "
                                "`nalcoop intern cohort edit --dept`)").format(
                cohort=application.cohort.name, items=', '.join(listed), dept=dept))
        dept = match[0]
    cohort = application.cohort
    if not cohort.starts_on <= on_date <= cohort.ends_on:
        raise InternError(_("{on_date} is outside cohort {cohort} ({starts_on} – {ends_on})").format(
            on_date=on_date, cohort=cohort.name, starts_on=cohort.starts_on, ends_on=cohort.ends_on))
    current = conn.execute("select * from intern_placements where application_id = ? and ends_on is null",
                           [application.id]).fetchone()
    left = None
    if current is not None:
        if on_date <= current["starts_on"]:
            raise InternError(_("{application} is placed in {dept} from {starts_on}; a move must come "
                                "after that day").format(
                application=application.masked, dept=current['dept'], starts_on=current['starts_on']))
        if name_key(current["dept"]) == name_key(dept):
            raise InternError(_("{application} is already placed in {dept}").format(
                application=application.masked, dept=current['dept']))
        logged = conn.execute("select max(on_date) from intern_hours where placement_id = ?",
                              [current["id"]]).fetchone()[0]
        if logged and logged >= on_date:
            raise InternError(_("hours in {dept} are logged on {logged}; the move must come after that").format(
                dept=current['dept'], logged=logged))
        conn.execute("update intern_placements set ends_on = ? where id = ?", [day_before(on_date), current["id"]])
        left = current["dept"]
    elif on_date < _last_step_date(conn, application.id):
        raise InternError(_("{application}: {on_date} is before it was accepted").format(
            application=application.label, on_date=on_date))
    conn.execute("insert into intern_placements (application_id, dept, dept_key, mentor, starts_on) "
                 "values (?, ?, ?, ?, ?)", [application.id, dept, name_key(dept), trimmed(mentor), on_date])
    if application.status == "accepted":
        _record_step(conn, application.id, "place", on_date, None)
    return application_by_id(conn, application.id), left


def _check_placement_can_end(conn: sqlite3.Connection, application: Application, on_date: str) -> None:
    """A placement ends on a day after it began and not before the hours logged in it."""
    current = conn.execute("select dept, starts_on from intern_placements where application_id = ? and "
                           "ends_on is null", [application.id]).fetchone()
    if current is not None and on_date < current["starts_on"]:
        raise InternError(_("{application} is placed in {dept} from {starts_on}; nothing can end it on "
                            "{on_date}").format(
            application=application.masked, dept=current['dept'], starts_on=current['starts_on'], on_date=on_date))
    logged = conn.execute("select max(on_date) from intern_hours where application_id = ?",
                          [application.id]).fetchone()[0]
    if logged and logged > on_date:
        raise InternError(_("hours of {application} are logged on {logged}, after {on_date}; give a "
                            "later day (or undo those hours)").format(
            application=application.masked, logged=logged, on_date=on_date))


# ---------------------------------------------------------------- hours


def log_hours(conn: sqlite3.Connection, application: Application, on_date: str, hours: float, *,
              dept: str | None = None, note: str | None = None, same_is_fine: bool = False) -> float | None:
    """Log a day's hours in the department the student was placed in that day; returns the total so far.

    With `same_is_fine` (a timesheet imported again), an entry already logged with the same hours is
    left as it is and None is returned; different hours are still refused.
    """
    if application.status != "placed":
        raise FieldError("name", _("{application}: hours are logged for placed students").format(
            application=application.label))
    _not_in_the_future(on_date, _("hours"), field="date")
    if not 0 < hours <= MAX_DAY_HOURS:
        raise FieldError("hours", _("{hours:g} hours in a day is not above 0 and up to {MAX_DAY_HOURS:g}").format(
            hours=hours, MAX_DAY_HOURS=MAX_DAY_HOURS))
    cohort = application.cohort
    if not cohort.starts_on <= on_date <= cohort.ends_on:
        raise FieldError("date", _("{on_date} is outside cohort {cohort} ({starts_on} – {ends_on})").format(
            on_date=on_date, cohort=cohort.name, starts_on=cohort.starts_on, ends_on=cohort.ends_on))
    placements = conn.execute(
        "select * from intern_placements where application_id = ? and starts_on <= ? and "
        "(ends_on is null or ends_on >= ?)", [application.id, on_date, on_date]).fetchall()
    if dept is not None:
        placements = [p for p in placements if name_key(p["dept"]) == name_key(dept)]
    if not placements:
        raise FieldError("dept" if dept else "date",
                         f"{application.masked} was not placed{' in ' + dept if dept else ''} on {on_date}")
    placement = placements[0]
    logged = conn.execute("select hours from intern_hours where application_id = ? and on_date = ? and dept_key = ?",
                          [application.id, on_date, placement["dept_key"]]).fetchone()
    if logged is not None:
        if same_is_fine and logged["hours"] == hours:
            return None
        raise FieldError("date", _("{hours:g} hours of {application} in {dept} on {on_date} are already "
                                   "logged (undo that entry to change it)").format(
            hours=logged['hours'], application=application.masked, dept=placement['dept'], on_date=on_date))
    day_total = conn.execute("select coalesce(sum(hours), 0) from intern_hours where application_id = ? and "
                             "on_date = ?", [application.id, on_date]).fetchone()[0]
    if day_total + hours > MAX_DAY_HOURS:
        raise FieldError("hours", _("{application} would have {hours:g} hours on {date}, more than {most:g} in a "
                                    "day").format(application=application.masked, hours=day_total + hours,
                                                  date=on_date, most=MAX_DAY_HOURS))
    conn.execute("insert into intern_hours (application_id, placement_id, dept_key, on_date, hours, note) "
                 "values (?, ?, ?, ?, ?, ?)", [application.id, placement["id"], placement["dept_key"], on_date, hours,
                                               trimmed(note)])
    return hours_logged(conn, application.id)


def hours_logged(conn: sqlite3.Connection, application_id: int, up_to: str | None = None) -> float:
    sql = "select coalesce(sum(hours), 0) from intern_hours where application_id = ?"
    params: list[object] = [application_id]
    if up_to:
        sql += " and on_date <= ?"
        params.append(up_to)
    return round(conn.execute(sql, params).fetchone()[0], 2)


# ---------------------------------------------------------------- evaluations and completion


def evaluate(conn: sqlite3.Connection, application: Application, by: str, score: int, on_date: str, *,
             comment: str | None = None) -> None:
    if application.status not in ("placed", "completed"):
        raise InternError(_("{application}: mentors evaluate placed students").format(application=application.label))
    if not trimmed(by):
        raise InternError(_("give --evaluator: the mentor or librarian who evaluates"))
    if score not in SCORES:
        raise InternError(_("--score {score} is not on the scale 1 (poor) to 5 (excellent)").format(score=score))
    if on_date < application.cohort.starts_on:
        raise InternError(_("{on_date} is before cohort {cohort} began").format(
            on_date=on_date, cohort=application.cohort.name))
    _not_in_the_future(on_date, _("an evaluation"))
    conn.execute("insert into intern_evaluations (application_id, by, on_date, score, comment) values (?, ?, ?, ?, ?)",
                 [application.id, trimmed(by), on_date, score, trimmed(comment)])


def _next_certificate(conn: sqlite3.Connection, year: str) -> str:
    """The next number of the year: after every number held now and every number ever printed (a printed
    certificate is recorded as a reveal, which is kept for good), so no number is ever issued twice."""
    prefix = f"NAL-INT-{year}-"
    used = [row[0] for row in conn.execute("select certificate from intern_applications where certificate like ?",
                                           [prefix + "%"])]
    used += re.findall(re.escape(prefix) + r"\d{3,}", " ".join(
        row[0] for row in conn.execute("select reason from intern_reveals where reason like ?",
                                       [f"certificate {prefix}%"])))
    last = max((int(number.removeprefix(prefix)) for number in used), default=0)
    return f"{prefix}{last + 1:03d}"


def complete(conn: sqlite3.Connection, application: Application, on_date: str) -> str:
    """Complete a placed student who has the required hours and an evaluation; returns the certificate number."""
    if application.status != "placed":
        raise InternError(_("{application}: a student who is {status} cannot be completed").format(
            application=application.label, status=STATUSES.said(application.status)))
    _not_in_the_future(on_date, _("a completion"))
    required = application.cohort.required_hours
    logged = hours_logged(conn, application.id, on_date)
    if logged < required:
        raise InternError(_("{application} has {logged:g} of the {required:g} hours cohort {cohort} "
                            "requires (as of {on_date}); log the rest first").format(
            application=application.masked, logged=logged, required=required, cohort=application.cohort.name,
            on_date=on_date))
    if not conn.execute("select 1 from intern_evaluations where application_id = ? and on_date <= ?",
                        [application.id, on_date]).fetchone():
        raise InternError(_("{application} has no evaluation dated on or before {on_date}; record one "
                            "with `nalcoop intern evaluate`").format(application=application.masked, on_date=on_date))
    if on_date < _last_step_date(conn, application.id):
        raise InternError(_("{application}: {on_date} is before its last step").format(
            application=application.label, on_date=on_date))
    _check_placement_can_end(conn, application, on_date)
    number = _next_certificate(conn, on_date[:4])
    conn.execute("update intern_placements set ends_on = ? where application_id = ? and ends_on is null",
                 [on_date, application.id])
    conn.execute("insert into intern_steps (application_id, step, on_date) values (?, 'complete', ?)",
                 [application.id, on_date])
    conn.execute("update intern_applications set status = 'completed', certificate = ?, completed_on = ? "
                 "where id = ?", [number, on_date, application.id])
    return number

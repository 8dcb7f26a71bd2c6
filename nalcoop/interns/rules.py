"""The practical apprenticeship (현장실습) for library and information science students: cohorts,
applications and their dated steps, placements with mentors, hours, evaluations, completion with a
numbered certificate, masking of personal data, its journaled reveals and its purge, and statistics.

Plain functions over a sqlite3 connection; the caller runs writes inside a journaled command.
Personal data is the student's name, e-mail and telephone (intern_students), and the free text a
librarian writes about a student (reasons, notes, evaluation comments). Listings mask it unless a
reveal is asked for with a reason; a purge removes it from the rows and from the journal.
"""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop import errors
from nalcoop.breakdown import Breakdown, Span, Statistic, check_by
from nalcoop.dates import day_after, day_before, period_key
from nalcoop.errors import NalcoopError
from nalcoop.names import name_key, pick, trimmed
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import Term, Vocabulary

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult

STATUSES = Vocabulary("application status", [
    Term("applied", "지원", "applied"),
    Term("accepted", "선발", "accepted"),
    Term("rejected", "미선발", "rejected"),
    Term("withdrawn", "지원 철회", "withdrawn"),
    Term("placed", "배치", "placed"),
    Term("completed", "수료", "completed"),
    Term("dropped", "중도 포기", "dropped"),
])
STEP_NAMES = Vocabulary("application step", [
    Term("apply", "지원", "apply"),
    Term("accept", "선발", "accept"),
    Term("reject", "미선발", "reject"),
    Term("withdraw", "지원 철회", "withdraw"),
    Term("place", "배치", "place"),
    Term("complete", "수료", "complete"),
    Term("drop", "중도 포기", "drop"),
])
STEPS = dict(zip(STEP_NAMES, STATUSES, strict=True))  # step -> the status it leads to
# The statuses a step may follow: applied → accepted/rejected/withdrawn → placed → completed/dropped.
ALLOWED_FROM = {"accept": ("applied",), "reject": ("applied",), "withdraw": ("applied", "accepted", "placed"),
                "place": ("accepted", "placed"), "complete": ("placed",), "drop": ("placed",)}
TAKES_A_SLOT = ("accepted", "placed", "completed", "dropped")
MAX_DAY_HOURS = 12.0
SCORES = (1, 2, 3, 4, 5)
STATS_DIMENSIONS = Vocabulary("intern statistics dimension", [
    Term("cohort", "기수", "cohort"), Term("year", "연도", "year"), Term("month", "월", "month"),
    Term("university", "대학", "university"), Term("department", "학과", "department"),
])
PERSONAL = {  # table -> the columns a purge empties (in the rows and in the journal)
    "intern_students": ("name", "name_key", "email", "phone"),
    "intern_applications": ("note",),
    "intern_steps": ("reason",),
    "intern_hours": ("note",),
    "intern_evaluations": ("comment",),
}
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")


class InternError(NalcoopError):
    pass


class FieldError(errors.FieldError, InternError):
    """A wrong value of one field, caught as a InternError too."""


# ---------------------------------------------------------------- masking


def mask_name(name: str | None) -> str | None:
    """김하늘 → 김*늘, 김하 → 김*, 남궁민수 → 남**수; each word of a name written with spaces likewise."""
    if name is None:
        return None

    def word(text: str) -> str:
        if len(text) <= 1:
            return text
        if len(text) == 2:
            return text[0] + "*"
        return text[0] + "*" * (len(text) - 2) + text[-1]

    if re.fullmatch(r"[\uac00-\ud7a3 ]+", name):  # 김 하늘 is 김하늘, spaced
        return word(name.replace(" ", ""))
    return " ".join(word(part) for part in name.split())


def mask_email(email: str | None) -> str | None:
    """hanul.kim@example.ac.kr → h***@…"""
    if not email:
        return email
    return email[0] + "***@…"


def mask_phone(phone: str | None) -> str | None:
    """010-1234-5678 → ***-****-5678"""
    if not phone:
        return phone
    return "***-****-" + re.sub(r"\D", "", phone)[-4:]


def check_email(value: object) -> str | None:
    text = trimmed(value)
    if text is None:
        return None
    if not _EMAIL.fullmatch(text) or len(text) > 254:
        raise FieldError("email", "not a valid e-mail address (write it as name@example.ac.kr)")
    return text


def check_phone(value: object) -> str | None:
    """A Korean telephone number written any common way, stored as 010-1234-5678 (or 02-123-4567)."""
    text = trimmed(value)
    if text is None:
        return None
    digits = re.sub(r"[\s\-.()]", "", text.removeprefix("+82").strip())
    if text.startswith("+82"):
        digits = "0" + digits.lstrip("0")
    elif re.fullmatch(r"[1-9]\d{8,9}", digits):
        digits = "0" + digits  # Excel kept the number and dropped its leading 0
    if not re.fullmatch(r"0\d{8,10}", digits):
        raise FieldError("phone", "not a valid telephone number (write it as 010-1234-5678)")
    if digits.startswith("02"):
        return f"02-{digits[2:-4]}-{digits[-4:]}"
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


# ---------------------------------------------------------------- cohorts


@dataclass(frozen=True)
class Cohort:
    id: int
    name: str
    starts_on: str
    ends_on: str
    slots: int
    required_hours: float

    @property
    def label(self) -> str:
        return self.name


def _cohort(row: sqlite3.Row) -> Cohort:
    return Cohort(row["id"], row["name"], row["starts_on"], row["ends_on"], row["slots"], row["required_hours"])


def resolve_cohort(conn: sqlite3.Connection, text: str) -> Cohort:
    cohorts = [_cohort(row) for row in conn.execute("select * from intern_cohorts order by starts_on")]
    return pick("cohort", text, cohorts, lambda c: c.label, "nalcoop intern cohort list", lambda c: [name_key(c.name)],
                error=InternError)


def _check_cohort_values(starts_on: str, ends_on: str, slots: int, required_hours: float) -> None:
    if ends_on < starts_on:
        raise InternError(f"the cohort ends on {ends_on}, before it starts on {starts_on}")
    if not 1 <= slots <= 1000:
        raise InternError(f"--slots: {slots} is not between 1 and 1,000")
    if not 0 < required_hours <= 2000:
        raise InternError(f"--required-hours: {required_hours:g} is not above 0 and up to 2,000")


def _check_cohort_fits(starts_on: str, ends_on: str, required_hours: float) -> None:
    days = (_dt.date.fromisoformat(ends_on) - _dt.date.fromisoformat(starts_on)).days + 1
    if required_hours > days * MAX_DAY_HOURS:
        raise InternError(f"--required-hours: {required_hours:g} hours cannot be logged in {days} days at "
                          f"{MAX_DAY_HOURS:g} a day")


def add_cohort(conn: sqlite3.Connection, name: str, starts_on: str, ends_on: str, slots: int,
               required_hours: float, *, departments: list[str] | None = None, note: str | None = None) -> Cohort:
    name = trimmed(name) or ""
    if not name_key(name):
        raise InternError("a cohort needs a name, such as 2025-summer")
    _check_cohort_values(starts_on, ends_on, slots, required_hours)
    _check_cohort_fits(starts_on, ends_on, required_hours)
    clash = conn.execute("select name from intern_cohorts where name_key = ?", [name_key(name)]).fetchone()
    if clash:
        raise InternError(f"cohort {clash['name']} already exists; change it with `nalcoop intern cohort edit`")
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
            raise InternError("a department needs a name, such as 의회정보실")
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
        raise InternError(f"cohort {cohort.name} has {taken} students accepted; it cannot have {new.slots} slots")
    late = conn.execute(
        """select max(day) from (
               select h.on_date as day from intern_hours h join intern_applications a on a.id = h.application_id
               where a.cohort_id = ?1
               union all select a.completed_on from intern_applications a where a.cohort_id = ?1
               union all select p.starts_on from intern_placements p join intern_applications a
                   on a.id = p.application_id where a.cohort_id = ?1)""", [cohort.id]).fetchone()[0]
    if late and late > new.ends_on:
        raise InternError(f"cohort {cohort.name} has hours, a placement or a completion on {late}; it cannot end "
                          f"on {new.ends_on}")
    short = conn.execute(
        """select a.id, (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id) as hours
           from intern_applications a where a.cohort_id = ? and a.status = 'completed' order by hours limit 1""",
        [cohort.id]).fetchone()
    if short is not None and short["hours"] < new.required_hours:
        raise InternError(f"{application_by_id(conn, short['id']).label} completed with {short['hours']:g} hours; "
                          f"cohort {cohort.name} cannot require {new.required_hours:g}")
    _check_cohort_fits(new.starts_on, new.ends_on, new.required_hours)
    conn.execute("update intern_cohorts set ends_on = ?, slots = ?, required_hours = ? where id = ?",
                 [new.ends_on, new.slots, new.required_hours, cohort.id])
    add_departments(conn, new, departments or [])
    return new


def _slots_taken(conn: sqlite3.Connection, cohort: Cohort) -> int:
    marks = ", ".join("?" for _ in TAKES_A_SLOT)
    return conn.execute(f"select count(*) from intern_applications where cohort_id = ? and status in ({marks})",
                        [cohort.id, *TAKES_A_SLOT]).fetchone()[0]


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


# ---------------------------------------------------------------- students and applications


@dataclass(frozen=True)
class Application:
    id: int
    cohort: Cohort
    student_id: int
    name: str | None  # None once purged
    email: str | None
    phone: str | None
    university: str
    major: str | None
    year: int | None
    status: str

    @property
    def masked(self) -> str:
        return mask_name(self.name) or "(purged)"

    @property
    def label(self) -> str:
        """How an error or a confirmation names an application: masked, with what tells it apart."""
        return f"#{self.id} {self.masked} ({self.university}, {self.cohort.name}, {self.status})"


_APPLICATION_SQL = """select a.*, s.name, s.email, s.phone, c.name as cohort_name, c.starts_on, c.ends_on, c.slots,
                             c.required_hours
                      from intern_applications a join intern_students s on s.id = a.student_id
                      join intern_cohorts c on c.id = a.cohort_id"""


def _application(row: sqlite3.Row) -> Application:
    cohort = Cohort(row["cohort_id"], row["cohort_name"], row["starts_on"], row["ends_on"], row["slots"],
                    row["required_hours"])
    return Application(row["id"], cohort, row["student_id"], row["name"], row["email"], row["phone"],
                       row["university"], row["major"], row["year"], row["status"])


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
            raise InternError(f"there is no application {query}{' in ' + cohort.name if cohort else ''} "
                              "(`nalcoop intern list` numbers them)")
        found = [_application(row)]
    else:
        key = name_key(query)
        if not key:
            raise InternError("the student's name is empty; give it as typed when they applied, or '#N' from "
                              "`nalcoop intern list`")
        sql, params = f"{_APPLICATION_SQL} where s.name_key = ?", [key]
        if cohort is not None:
            sql += " and a.cohort_id = ?"
            params.append(cohort.id)
        found = [_application(row) for row in conn.execute(sql + " order by c.starts_on, a.id", params)]
        if not found:
            where = f" in cohort {cohort.name}" if cohort else ""
            raise InternError(f"no student called '{mask_name(query[:40])}' has applied{where} (names are matched "
                              "whole; see `nalcoop intern list`)")
    if statuses is not None:
        fitting = [a for a in found if a.status in statuses]
        if not fitting:
            last = found[-1]
            raise InternError(f"{last.label}: a student who is {last.status} cannot {doing or 'do that'}")
        found = fitting
    if len(found) > 1:
        shown = "; ".join(a.label for a in found[:10])
        raise InternError(f"{len(found)} applications match: {shown}. Give --cohort, or the number as '#N'")
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
        raise FieldError("name", "an applicant needs a name")
    if len(name) > 60:
        raise FieldError("name", "the name is longer than 60 characters")
    if re.search(r"[\x00-\x1f\x7f]", name):
        raise FieldError("name", "holds an invisible control character; type the name again")
    university = trimmed(university) or ""
    if not name_key(university):
        raise FieldError("university", "an applicant needs a university, such as 한남대학교")
    email, phone = check_email(email), check_phone(phone)
    if email is None and phone is None:
        raise FieldError("email", "give an e-mail address or a telephone number to reach the applicant")
    if year is not None and not 1 <= year <= 6:
        raise FieldError("year", f"year {year} is not a year of study (1 to 6)")
    _not_in_the_future(on_date, "an application", field="applied_on")
    if on_date > cohort.ends_on:
        raise FieldError("applied_on", f"cohort {cohort.name} ended on {cohort.ends_on}; an application dated "
                         f"{on_date} comes too late (give the day it was received: --date, or a 신청일 column)")
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
            raise FieldError("name", f"{mask_name(name)} has already applied to cohort {cohort.name}")
    application_id = conn.execute(
        "insert into intern_applications (cohort_id, student_id, university, major, year, status, applied_on, note) "
        "values (?, ?, ?, ?, ?, 'applied', ?, ?)",
        [cohort.id, student_id, university, trimmed(major), year, on_date, trimmed(note)]).lastrowid
    _record_step(conn, application_id, "apply", on_date, None)
    return application_by_id(conn, application_id), new


def import_applicants(conn: sqlite3.Connection, cohort: Cohort, path: str | Path | ReadResult, on_date: str, *,
                      sheet: str | None = None,
                      column_map: str | Path = "intern_applicants") -> importer.ImportCounts:
    """A list of applicants to one cohort: all rows or none (a malformed e-mail in one row refuses the
    file). A row repeating an earlier row's applicant is refused; one who already applied is left as is."""
    from nalcoop.importer import ImportCounts, RowsRejected, as_table

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file, {"created": 0, "unchanged": 0})
    seen: dict[str, int] = {}
    for source in table.rows:
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        key = name_key(values.get("name"))
        try:
            email, phone = check_email(values.get("email")), check_phone(values.get("phone"))
        except FieldError as exc:
            problems.append(_problem(source, table.file, exc.field, str(exc)))
            continue
        identity = f"{key}|{email or ''}|{phone or ''}"
        if identity in seen:
            problems.append(_problem(source, table.file, "name", f"repeats row {seen[identity]} (same applicant); "
                                     "keep one of the two rows"))
            continue
        seen[identity] = source.row
        known = _student_for(conn, values.get("name") or "", email, phone)
        if known and conn.execute("select 1 from intern_applications where cohort_id = ? and student_id = ?",
                                  [cohort.id, known]).fetchone():
            counts.outcomes["unchanged"] += 1
            continue
        try:
            application, new = apply(conn, cohort, values.get("name") or "", values.get("university") or "",
                                     values.get("applied_on") or on_date, major=values.get("major"),
                                     year=values.get("year"), email=email, phone=phone, note=values.get("note"))
        except FieldError as exc:
            problems.append(_problem(source, table.file, exc.field, str(exc)))
            continue
        counts.outcomes["created"] += 1
        counts.details.append(f"row {source.row}: {application.label}"
                              + ("" if new else " — a student who applied before"))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


def _not_in_the_future(on_date: str, what: str, *, field: str = "date") -> None:
    from nalcoop.dates import today

    if on_date > today().isoformat():
        raise FieldError(field, f"{what} cannot be dated {on_date}, after today ({today().isoformat()})")


def _problem(source, file: str, field: str, why: str):
    """A row's problem as an import reports it, with a name, e-mail or telephone shown masked."""
    from nalcoop.importer import CellProblem

    value = source.values.get(field)
    if field in ("email", "phone"):
        value = None  # a wrong address is not shown, even in part: the row and column find it
    elif field == "name" and isinstance(value, str):
        value = mask_name(value)
    return CellProblem(file, source.sheet, source.row, source.columns.get(field, ""), value, why)


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
        raise InternError(f"{application.label}: a student who is {application.status} cannot be "
                          f"{STEPS[name]}")
    _not_in_the_future(on_date, "a step")
    last = _last_step_date(conn, application.id)
    if on_date < last:
        raise InternError(f"{application.label}: {on_date} is before its last step on {last}")
    if name == "accept":
        taken = _slots_taken(conn, application.cohort)
        if taken >= application.cohort.slots:
            raise InternError(f"cohort {application.cohort.name} has {application.cohort.slots} slots and all "
                              f"{taken} are taken; leave {application.masked} applied, or raise --slots with "
                              "`nalcoop intern cohort edit`")
    if name in ("reject", "drop") and not trimmed(reason):
        raise InternError(f"give --reason for a student who is {STEPS[name]}")
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
        raise InternError(f"{application.label}: a student who is {application.status} cannot be placed"
                          + (" (accept first)" if application.status == "applied" else ""))
    dept = trimmed(dept) or ""
    if not name_key(dept):
        raise InternError("give the department, such as --dept 의회정보실")
    listed = departments_of(conn, application.cohort)
    if listed:
        match = [d for d in listed if name_key(d) == name_key(dept)]
        if not match:
            raise InternError(f"cohort {application.cohort.name} takes students in {', '.join(listed)}, not "
                              f"'{dept}' (add it with `nalcoop intern cohort edit --dept`)")
        dept = match[0]
    cohort = application.cohort
    if not cohort.starts_on <= on_date <= cohort.ends_on:
        raise InternError(f"{on_date} is outside cohort {cohort.name} ({cohort.starts_on} – {cohort.ends_on})")
    current = conn.execute("select * from intern_placements where application_id = ? and ends_on is null",
                           [application.id]).fetchone()
    left = None
    if current is not None:
        if on_date <= current["starts_on"]:
            raise InternError(f"{application.masked} is placed in {current['dept']} from {current['starts_on']}; "
                              f"a move must come after that day")
        if name_key(current["dept"]) == name_key(dept):
            raise InternError(f"{application.masked} is already placed in {current['dept']}")
        logged = conn.execute("select max(on_date) from intern_hours where placement_id = ?",
                              [current["id"]]).fetchone()[0]
        if logged and logged >= on_date:
            raise InternError(f"hours in {current['dept']} are logged on {logged}; the move must come after that")
        conn.execute("update intern_placements set ends_on = ? where id = ?", [day_before(on_date), current["id"]])
        left = current["dept"]
    elif on_date < _last_step_date(conn, application.id):
        raise InternError(f"{application.label}: {on_date} is before it was accepted")
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
        raise InternError(f"{application.masked} is placed in {current['dept']} from {current['starts_on']}; "
                          f"nothing can end it on {on_date}")
    logged = conn.execute("select max(on_date) from intern_hours where application_id = ?",
                          [application.id]).fetchone()[0]
    if logged and logged > on_date:
        raise InternError(f"hours of {application.masked} are logged on {logged}, after {on_date}; give a later "
                          "day (or undo those hours)")


def placement_rows(conn: sqlite3.Connection, application: Application) -> list[dict]:
    return [{"dept": row["dept"], "mentor": row["mentor"], "from": row["starts_on"], "to": row["ends_on"],
             "hours": row["hours"]} for row in conn.execute(
                 """select p.*, (select sum(h.hours) from intern_hours h where h.placement_id = p.id) as hours
                    from intern_placements p where p.application_id = ? order by p.starts_on""", [application.id])]


# ---------------------------------------------------------------- hours


def log_hours(conn: sqlite3.Connection, application: Application, on_date: str, hours: float, *,
              dept: str | None = None, note: str | None = None, same_is_fine: bool = False) -> float | None:
    """Log a day's hours in the department the student was placed in that day; returns the total so far.

    With `same_is_fine` (a timesheet imported again), an entry already logged with the same hours is
    left as it is and None is returned; different hours are still refused.
    """
    if application.status != "placed":
        raise FieldError("name", f"{application.label}: hours are logged for placed students")
    _not_in_the_future(on_date, "hours", field="date")
    if not 0 < hours <= MAX_DAY_HOURS:
        raise FieldError("hours", f"{hours:g} hours in a day is not above 0 and up to {MAX_DAY_HOURS:g}")
    cohort = application.cohort
    if not cohort.starts_on <= on_date <= cohort.ends_on:
        raise FieldError("date", f"{on_date} is outside cohort {cohort.name} ({cohort.starts_on} – "
                         f"{cohort.ends_on})")
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
        raise FieldError("date", f"{logged['hours']:g} hours of {application.masked} in {placement['dept']} on "
                         f"{on_date} are already logged (undo that entry to change it)")
    day_total = conn.execute("select coalesce(sum(hours), 0) from intern_hours where application_id = ? and "
                             "on_date = ?", [application.id, on_date]).fetchone()[0]
    if day_total + hours > MAX_DAY_HOURS:
        raise FieldError("hours", f"{application.masked} would have {day_total + hours:g} hours on {on_date}, more "
                         f"than {MAX_DAY_HOURS:g} in a day")
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


def import_hours(conn: sqlite3.Connection, path: str | Path | ReadResult, *, sheet: str | None = None,
                 column_map: str | Path = "intern_hours") -> importer.ImportCounts:
    """A timesheet: one row per student and day (name, date, hours, and the cohort or university when a
    name is not enough). All rows or none."""
    from nalcoop.importer import ImportCounts, RowsRejected, as_table

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file, {"logged": 0, "unchanged": 0})
    cohorts: dict[str, Cohort] = {}
    seen: dict[tuple, int] = {}
    for source in table.rows:
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        entry = (name_key(values["name"]), name_key(values.get("cohort")), name_key(values.get("university")),
                 values["date"], name_key(values.get("dept")))
        if entry in seen:
            problems.append(_problem(source, table.file, "date", f"repeats row {seen[entry]} (the same student and "
                                     "day); keep one of the two rows"))
            continue
        seen[entry] = source.row
        try:
            cohort = None
            if values.get("cohort"):
                key = name_key(values["cohort"])
                try:
                    cohort = cohorts.get(key) or resolve_cohort(conn, values["cohort"])
                except InternError as exc:
                    raise FieldError("cohort", str(exc)) from None
                cohorts[key] = cohort
            application = _timesheet_student(conn, values, cohort)
            total = log_hours(conn, application, values["date"], values["hours"], dept=values.get("dept"),
                              note=values.get("note"), same_is_fine=True)
        except FieldError as exc:
            problems.append(_problem(source, table.file, exc.field, str(exc)))
            continue
        except InternError as exc:
            problems.append(_problem(source, table.file, "name", str(exc)))
            continue
        counts.outcomes["logged" if total is not None else "unchanged"] += 1
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


def _timesheet_student(conn: sqlite3.Connection, values: dict, cohort: Cohort | None) -> Application:
    """The placed student a timesheet row names, told apart by cohort, university or the row's date.
    A university given must be the student's: hours never go to a namesake."""
    university = name_key(values.get("university"))
    try:
        found = resolve_student(conn, values["name"], cohort=cohort, statuses=("placed",), doing="log hours")
        if not university or name_key(found.university) == university:
            return found
    except InternError:
        pass
    sql = f"{_APPLICATION_SQL} where s.name_key = ? and a.status = 'placed' and c.starts_on <= ? and c.ends_on >= ?"
    found_all = [_application(row) for row in conn.execute(sql, [name_key(values["name"]), values["date"],
                                                                 values["date"]])]
    if cohort is not None:
        found_all = [a for a in found_all if a.cohort.id == cohort.id]
    if university:
        found_all = [a for a in found_all if name_key(a.university) == university]
    if len(found_all) == 1:
        return found_all[0]
    if university and not found_all:
        raise FieldError("university", f"no placed student called {mask_name(values['name'])} of "
                         f"{values['university']} was in a cohort on {values['date']}")
    return resolve_student(conn, values["name"], cohort=cohort, statuses=("placed",), doing="log hours")


# ---------------------------------------------------------------- evaluations and completion


def evaluate(conn: sqlite3.Connection, application: Application, by: str, score: int, on_date: str, *,
             comment: str | None = None) -> None:
    if application.status not in ("placed", "completed"):
        raise InternError(f"{application.label}: mentors evaluate placed students")
    if not trimmed(by):
        raise InternError("give --by: the mentor or librarian who evaluates")
    if score not in SCORES:
        raise InternError(f"--score {score} is not on the scale 1 (poor) to 5 (excellent)")
    if on_date < application.cohort.starts_on:
        raise InternError(f"{on_date} is before cohort {application.cohort.name} began")
    _not_in_the_future(on_date, "an evaluation")
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
        raise InternError(f"{application.label}: a student who is {application.status} cannot be completed")
    _not_in_the_future(on_date, "a completion")
    required = application.cohort.required_hours
    logged = hours_logged(conn, application.id, on_date)
    if logged < required:
        raise InternError(f"{application.masked} has {logged:g} of the {required:g} hours cohort "
                          f"{application.cohort.name} requires (as of {on_date}); log the rest first")
    if not conn.execute("select 1 from intern_evaluations where application_id = ? and on_date <= ?",
                        [application.id, on_date]).fetchone():
        raise InternError(f"{application.masked} has no evaluation dated on or before {on_date}; record one with "
                          "`nalcoop intern evaluate`")
    if on_date < _last_step_date(conn, application.id):
        raise InternError(f"{application.label}: {on_date} is before its last step")
    _check_placement_can_end(conn, application, on_date)
    number = _next_certificate(conn, on_date[:4])
    conn.execute("update intern_placements set ends_on = ? where application_id = ? and ends_on is null",
                 [on_date, application.id])
    conn.execute("insert into intern_steps (application_id, step, on_date) values (?, 'complete', ?)",
                 [application.id, on_date])
    conn.execute("update intern_applications set status = 'completed', certificate = ?, completed_on = ? "
                 "where id = ?", [number, on_date, application.id])
    return number


# ---------------------------------------------------------------- listings (masked unless revealed)


def application_rows(conn: sqlite3.Connection, *, cohort: Cohort | None = None, status: str | None = None,
                     reveal: bool = False) -> list[dict]:
    sql, params = _APPLICATION_SQL + " where 1 = 1", []
    if cohort is not None:
        sql += " and a.cohort_id = ?"
        params.append(cohort.id)
    if status is not None:
        if status not in STATUSES:
            raise InternError(f"status '{status}' is not one of {', '.join(STATUSES)}")
        sql += " and a.status = ?"
        params.append(status)
    sql += " order by c.starts_on, s.name, a.id"
    hours = dict(conn.execute("select application_id, sum(hours) from intern_hours group by application_id"))
    scores = dict(conn.execute("select application_id, round(avg(score), 1) from intern_evaluations "
                               "group by application_id"))
    depts = {}
    for application_id, dept in conn.execute("select application_id, dept from intern_placements "
                                              "order by starts_on"):
        depts.setdefault(application_id, []).append(dept)
    rows = []
    for row in conn.execute(sql, params).fetchall():
        application = _application(row)
        rows.append({
            "id": f"#{application.id}", "cohort": application.cohort.name,
            "name": (application.name or "(purged)") if reveal else application.masked,
            "university": application.university, "major": application.major, "year": application.year,
            "email": application.email if reveal else mask_email(application.email),
            "phone": application.phone if reveal else mask_phone(application.phone),
            "status": application.status, "applied_on": row["applied_on"],
            "departments": ", ".join(depts.get(application.id, [])) or None,
            "hours": round(hours.get(application.id, 0), 2), "required": application.cohort.required_hours,
            "score": scores.get(application.id), "certificate": row["certificate"],
        })
    return rows


def timeline_rows(conn: sqlite3.Connection, application: Application, *, reveal: bool = False) -> list[dict]:
    """Every dated record of one application: steps, placements, hours and evaluations, in date order."""
    rows = [{"date": r["on_date"], "what": r["step"], "detail": r["reason"] if reveal else _masked_text(r["reason"]),
             "hours": None}
            for r in conn.execute("select * from intern_steps where application_id = ? order by on_date, id",
                                  [application.id])]
    for r in conn.execute("select * from intern_placements where application_id = ?", [application.id]):
        detail = r["dept"] + (f", mentor {r['mentor']}" if r["mentor"] else "")
        rows.append({"date": r["starts_on"], "what": "placement", "hours": None,
                     "detail": detail + (f", until {r['ends_on']}" if r["ends_on"] else "")})
    total = 0.0
    for r in conn.execute("""select h.*, p.dept from intern_hours h join intern_placements p on p.id = h.placement_id
                             where h.application_id = ? order by h.on_date, h.id""", [application.id]):
        total += r["hours"]
        note = r["note"] if reveal else _masked_text(r["note"])
        rows.append({"date": r["on_date"], "what": "hours", "detail": r["dept"] + (f": {note}" if note else "")
                     + f" (total {total:g})", "hours": r["hours"]})
    rows += [{"date": r["on_date"], "what": "evaluation",
              "detail": f"score {r['score']} by {r['by']}"
              + (f": {r['comment'] if reveal else _masked_text(r['comment'])}" if r["comment"] else ""), "hours": None}
             for r in conn.execute("select * from intern_evaluations where application_id = ?", [application.id])]
    order = {"apply": 0, "accept": 1, "placement": 2, "place": 3, "hours": 4, "evaluation": 5}
    return sorted(rows, key=lambda r: (r["date"], order.get(r["what"], 6)))


def _masked_text(text: str | None) -> str | None:
    """Free text about a student is personal data too: shown only with --reveal."""
    return None if text is None else "(hidden: --reveal)"


def record_reveal(conn: sqlite3.Connection, by: str, reason: str | None, command: str,
                  application_ids: list[int]) -> None:
    """A reveal of personal data is itself recorded: who, why, by which command, whose data. It is kept
    for good: `undo` refuses it."""
    import json

    if not trimmed(reason):
        raise InternError("--reveal shows personal data: give --reason (why it is needed), which is journaled")
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


def _weekdays(start: str, end: str) -> int:
    """Monday to Friday from start to end, both inclusive."""
    first, last = _dt.date.fromisoformat(start), _dt.date.fromisoformat(end)
    if last < first:
        return 0
    days = (last - first).days + 1
    full, rest = divmod(days, 7)
    count = full * 5
    for offset in range(rest):
        if (first + _dt.timedelta(days=full * 7 + offset)).weekday() < 5:
            count += 1
    return count


def due_rows(conn: sqlite3.Connection, as_of: str, *, reveal: bool = False) -> list[dict]:
    """Placed students of cohorts running on `as_of` whose hours are behind an even pace over the
    cohort's weekdays (the end of `as_of` counts as done)."""
    rows = []
    for row in conn.execute(f"{_APPLICATION_SQL} where a.status = 'placed' and c.starts_on <= ? "
                            "order by c.ends_on < ? desc, c.name, s.name", [as_of, as_of]).fetchall():
        application = _application(row)
        cohort = application.cohort
        total_days = _weekdays(cohort.starts_on, cohort.ends_on) or 1
        elapsed = _weekdays(cohort.starts_on, as_of)
        expected = round(cohort.required_hours * elapsed / total_days, 1)
        logged = hours_logged(conn, application.id, as_of)
        if logged >= expected:
            continue
        left = _weekdays(day_after(as_of), cohort.ends_on)
        needed = cohort.required_hours - logged
        per_day = round(needed / left, 1) if left else None
        if cohort.ends_on < as_of:
            note = f"overdue: the cohort ended on {cohort.ends_on}"
        elif per_day is None or per_day > MAX_DAY_HOURS:
            note = f"cannot reach {cohort.required_hours:g} hours at {MAX_DAY_HOURS:g} a day"
        else:
            note = None
        rows.append({"id": f"#{application.id}", "cohort": cohort.name,
                     "name": (application.name or "(purged)") if reveal else application.masked,
                     "university": application.university, "logged": logged, "expected": expected,
                     "behind": round(expected - logged, 1), "required": cohort.required_hours,
                     "weekdays_left": left, "per_day": per_day, "note": note, "as_of": as_of})
    return rows


# ---------------------------------------------------------------- certificates


@dataclass(frozen=True)
class Certificate:
    number: str
    name: str
    university: str
    major: str | None
    cohort: str
    starts_on: str
    ends_on: str
    completed_on: str
    hours: float
    departments: list[str]


def certificate(conn: sqlite3.Connection, application: Application) -> Certificate:
    row = conn.execute("select certificate, completed_on from intern_applications where id = ?",
                       [application.id]).fetchone()
    if application.status != "completed" or row["certificate"] is None:
        raise InternError(f"{application.label}: a certificate is issued once the student is completed "
                          "(`nalcoop intern complete`)")
    if application.name is None:
        raise InternError(f"{application.label}: the student's personal data was purged; the certificate cannot be "
                          "printed again")
    depts = [r[0] for r in conn.execute("select dept from intern_placements where application_id = ? "
                                        "order by starts_on", [application.id])]
    first = conn.execute("select min(starts_on) from intern_placements where application_id = ?",
                         [application.id]).fetchone()[0]
    return Certificate(row["certificate"], application.name, application.university, application.major,
                       application.cohort.name, first or application.cohort.starts_on, row["completed_on"],
                       row["completed_on"], hours_logged(conn, application.id), list(dict.fromkeys(depts)))


# ---------------------------------------------------------------- purge


def retention_cutoff(older_than: str, today: str) -> str:
    """'3y', '18m' or '90d' before today: cohorts that ended before the returned day are purged."""
    match = re.fullmatch(r"\s*(\d{1,3})\s*([ymd])\s*", str(older_than or "").lower())
    if not match:
        raise InternError(f"--older-than '{older_than}' is not a period: write 3y (years), 18m (months) or 90d (days)")
    number, unit = int(match[1]), match[2]
    if number == 0:
        raise InternError("--older-than 0 would purge every cohort that has ended; give the retention period, "
                          "such as 3y")
    day = _dt.date.fromisoformat(today)
    if unit == "d":
        cutoff = day - _dt.timedelta(days=number)
    else:
        months = number * 12 if unit == "y" else number
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        if year < 1:
            raise InternError(f"--older-than {older_than} reaches before the year 1")
        import calendar

        cutoff = _dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
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


def purge(conn: sqlite3.Connection, plan: PurgePlan, today: str) -> dict[str, int]:
    """Empty the personal fields of the plan's students (and the free text about them) in the rows and in
    every journaled copy of those rows, undone rows included; mask their names, e-mails and telephones
    wherever the ledger keeps them as text (command lines, reasons given for a reveal). Counts,
    universities, hours, scores and certificate numbers stay."""
    changed: dict[str, int] = {}
    if plan.empty:
        return changed
    from nalcoop.ledger.journal import mark_irreversible

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
    return changed


# ---------------------------------------------------------------- statistics

COHORTS = Statistic(
    "interns",
    (Column("by"), Column("group"), Column("applicants", kind="int"), Column("accepted", kind="int"),
     Column("acceptance_rate", "accepted %", kind="percent"), Column("placed", kind="int"),
     Column("completed", kind="int"), Column("dropped", kind="int"), Column("withdrawn", kind="int"),
     Column("hours", kind="float"), Column("from", kind="date"), Column("to", kind="date")),
    STATS_DIMENSIONS, measure="applicants", noun="interns", title="apprenticeship cohorts begun {span}, by {by}")
STATISTICS = (COHORTS,)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """The cohorts that began in the span (for a day: up to its end), grouped by `by`."""
    return Breakdown.of_rows(COHORTS, by, stats_period(conn, by, span.start, span.end))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """Cohorts begun in the period, their applicants, accepted, completed and hours (the overview's figures)."""
    cohorts = figures(stats, "cohort", Span(period.start, period.end))
    return [("cohorts", "all", len(cohorts.groups), False),
            *((measure, "all", cohorts.total[measure], False)
              for measure in ("applicants", "accepted", "completed", "hours"))]


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheet: the cohorts that began in the period by cohort, university and department."""
    start, end, year = period.start, period.end, period.start[:4]
    span = Span(start, end)
    cohorts = figures(stats, "cohort", span).rows() + [row for by in ("university", "department")
                                                      for row in figures(stats, by, span).groups]
    return [SheetSpec("Interns", f"Practical apprenticeship, {year} (실무수습)",
                      f"Cohorts that began {start} – {end}, by cohort, university and department", cohorts,
                      list(COHORTS.columns),
                      ChartSpec(f"Applicants per cohort, {year}", ("by", "cohort"), "group", "applicants"),
                      landscape=True)]



def stats_period(conn: sqlite3.Connection, by: str, date_from: str, date_to: str) -> list[dict]:
    """Per cohort, year (of the cohort's start), university or department, for cohorts that began in the
    period: applicants, accepted, acceptance rate, placed, completed, dropped, hours delivered. Anonymous:
    the figures survive a purge."""
    check_by(COHORTS, by, InternError)
    apps = conn.execute(
        """select a.id, a.status, a.university, c.name as cohort, c.starts_on,
                  (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id) as hours,
                  exists (select 1 from intern_steps s where s.application_id = a.id and s.step = 'accept')
                      as was_accepted,
                  exists (select 1 from intern_steps s where s.application_id = a.id and s.step = 'place')
                      as was_placed
           from intern_applications a join intern_cohorts c on c.id = a.cohort_id
           where c.starts_on between ? and ?""", [date_from, date_to]).fetchall()
    groups: dict[str, dict] = {}

    def group(label: str) -> dict:
        return groups.setdefault(label, {"group": label, "applicants": 0, "accepted": 0, "placed": 0,
                                         "completed": 0, "dropped": 0, "withdrawn": 0, "hours": 0.0})

    by_dept: dict[int, dict[str, float]] = {}
    if by == "department":
        for application_id, dept, hours in conn.execute(
                """select p.application_id, p.dept, coalesce(sum(h.hours), 0) from intern_placements p
                   left join intern_hours h on h.placement_id = p.id group by p.id"""):
            by_dept.setdefault(application_id, {})
            by_dept[application_id][dept] = by_dept[application_id].get(dept, 0) + hours
    for app in apps:
        labels = {"total"}
        if by == "cohort":
            labels.add(app["cohort"])
        elif by in ("year", "month"):
            labels.add(period_key(app["starts_on"], by))
        elif by == "university":
            labels.add(app["university"])
        for label in labels:
            _count(group(label), app, app["hours"])
        for dept, hours in by_dept.get(app["id"], {}).items():
            _count(group(dept), app, hours)
    total = group("total")
    del groups["total"]
    result = []
    for item in [total, *(groups[key] for key in sorted(groups))]:
        result.append({"by": "total" if item is total else by, "group": item["group"],
                       "applicants": item["applicants"], "accepted": item["accepted"],
                       "acceptance_rate": round(100 * item["accepted"] / item["applicants"], 1)
                       if item["applicants"] else None,
                       "placed": item["placed"], "completed": item["completed"], "dropped": item["dropped"],
                       "withdrawn": item["withdrawn"],
                       "hours": round(item["hours"], 2), "from": date_from, "to": date_to})
    return result


def _count(item: dict, app: sqlite3.Row, hours: float) -> None:
    """Counted from the steps taken, not the status now: a student accepted, placed and then withdrawn was
    accepted and placed."""
    status = app["status"]
    item["applicants"] += 1
    item["accepted"] += bool(app["was_accepted"])
    item["placed"] += bool(app["was_placed"])
    item["completed"] += status == "completed"
    item["dropped"] += status == "dropped"
    item["withdrawn"] += status == "withdrawn"
    item["hours"] += hours


# ---------------------------------------------------------------- invariants (for `nalcoop check`)


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    problems: list[str] = []
    for cohort, slots, taken in conn.execute(
            f"""select c.name, c.slots, count(a.id) from intern_cohorts c join intern_applications a
                on a.cohort_id = c.id and a.status in ({', '.join(repr(s) for s in TAKES_A_SLOT)})
                group by c.id having count(a.id) > c.slots"""):
        problems.append(f"cohort {cohort} has {taken} students accepted into {slots} slots")
    for application_id, status, last in conn.execute(
            """select a.id, a.status, (select s.step from intern_steps s where s.application_id = a.id
                                       order by s.on_date desc, s.id desc limit 1)
               from intern_applications a"""):
        if last is None or STEPS[last] != status:
            problems.append(f"application #{application_id} is {status}, but its last step is {last}")
    for hours_id, on_date, cohort in conn.execute(
            """select h.id, h.on_date, c.name from intern_hours h join intern_applications a on a.id = h.application_id
               join intern_cohorts c on c.id = a.cohort_id where h.on_date < c.starts_on or h.on_date > c.ends_on"""):
        problems.append(f"hours entry {hours_id} on {on_date} is outside cohort {cohort}")
    for application_id, on_date, total in conn.execute(
            "select application_id, on_date, sum(hours) from intern_hours group by application_id, on_date "
            "having sum(hours) > ?", [MAX_DAY_HOURS]):
        problems.append(f"application #{application_id} has {total:g} hours on {on_date}, more than "
                        f"{MAX_DAY_HOURS:g}")
    for (application_id,) in conn.execute(
            """select a.id from intern_applications a where a.status = 'completed'
               and not exists (select 1 from intern_evaluations e where e.application_id = a.id)"""):
        problems.append(f"application #{application_id} is completed without an evaluation")
    for application_id, logged, required in conn.execute(
            """select a.id, (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id),
                      c.required_hours from intern_applications a join intern_cohorts c on c.id = a.cohort_id
               where a.status = 'completed'"""):
        if logged < required:
            problems.append(f"application #{application_id} is completed with {logged:g} of {required:g} hours")
    for column in PERSONAL["intern_students"]:
        leaked = conn.execute(
            f"""select count(*) from journal_changes where tbl = 'intern_students'
                and row_id in (select id from intern_students where purged_on is not null)
                and (json_extract(before, '$.{column}') is not null
                     or json_extract(after, '$.{column}') is not null)""").fetchone()[0]
        if leaked:
            problems.append(f"the journal still holds the {column} of purged students in {leaked} changes")
    return problems

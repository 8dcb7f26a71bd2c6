"""The apprenticeship's workbook imports: a list of applicants to a cohort, and timesheets. All rows or
none; a problem shows a name masked, and an e-mail or telephone not at all.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop.i18n import _
from nalcoop.interns.records import (
    _APPLICATION_SQL,
    Application,
    Cohort,
    FieldError,
    InternError,
    _application,
    check_email,
    check_phone,
    mask_name,
)
from nalcoop.interns.rules import _student_for, apply, log_hours, resolve_cohort, resolve_student
from nalcoop.names import name_key

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult


def import_applicants(conn: sqlite3.Connection, cohort: Cohort, path: str | Path | ReadResult, on_date: str, *,
                      sheet: str | None = None,
                      column_map: str | Path = "intern_applicants") -> importer.ImportCounts:
    """A list of applicants to one cohort: all rows or none (a malformed e-mail in one row refuses the
    file). A row repeating an earlier row's applicant is refused; one who already applied is left as is."""
    from nalcoop.importer import ImportCounts, RowsRejected, as_table, row_detail

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
            problems.append(_problem(source, table.file, "name", _("repeats row {row} (same applicant); keep one of "
                                                                 "the two rows").format(row=seen[identity])))
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
        counts.details.append(row_detail(source.row, application.label, "created",
                                         "" if new else _("a student who applied before")))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


def _problem(source, file: str, field: str, why: str):
    """A row's problem as an import reports it, with a name, e-mail or telephone shown masked."""
    from nalcoop.importer import CellProblem

    value = source.values.get(field)
    if field in ("email", "phone"):
        value = None  # a wrong address is not shown, even in part: the row and column find it
    elif field == "name" and isinstance(value, str):
        value = mask_name(value)
    return CellProblem(file, source.sheet, source.row, source.columns.get(field, ""), value, why)


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
            problems.append(_problem(source, table.file, "date", _("repeats row {row} (the same student and day); "
                                                                 "keep one of the two rows").format(row=seen[entry])))
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
        found = resolve_student(conn, values["name"], cohort=cohort, statuses=("placed",), doing=_("log hours"))
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
        raise FieldError("university", _("no placed student called {mask_name} of {university} was in a "
                                         "cohort on {date}").format(
            mask_name=mask_name(values['name']), university=values['university'], date=values['date']))
    return resolve_student(conn, values["name"], cohort=cohort, statuses=("placed",), doing=_("log hours"))

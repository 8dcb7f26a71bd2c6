"""Courses and their curricula: the modules every run of a course shares, added one by one or imported
from a workbook."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop.i18n import N_, _
from nalcoop.names import name_key, pick, trimmed
from nalcoop.network.records import (
    DEFAULT_COMPLETION_PCT,
    Course,
    NetworkError,
    NotFound,
    _course,
    _event,
    _hours,
    hours_value,
)

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult


def resolve_course(conn: sqlite3.Connection, text: str) -> Course:
    courses = [_course(row) for row in conn.execute("select * from network_courses order by title")]
    return pick(N_("course"), text, courses, lambda c: c.label, "nalcoop network course list",
                lambda c: [name_key(c.title)], error=NetworkError, missing=NotFound, plural=N_("courses"))


def _course_for(conn: sqlite3.Connection, title: str, completion_pct: float | None) -> Course:
    """The course of this title, made on its first run; a threshold given changes it for every run."""
    row = conn.execute("select * from network_courses where title_key = ?", [name_key(title)]).fetchone()
    if completion_pct is not None and not 0 < completion_pct <= 100:
        raise NetworkError(_("--threshold: {completion_pct:g} is not a percentage above 0 and up to 100").format(
            completion_pct=completion_pct))
    if row is None:
        cursor = conn.execute("insert into network_courses (title, title_key, completion_pct) values (?, ?, ?)",
                              [title, name_key(title), completion_pct or DEFAULT_COMPLETION_PCT])
        row = conn.execute("select * from network_courses where id = ?", [cursor.lastrowid]).fetchone()
    elif completion_pct is not None and completion_pct != row["completion_pct"]:
        conn.execute("update network_courses set completion_pct = ? where id = ?", [completion_pct, row["id"]])
        row = conn.execute("select * from network_courses where id = ?", [row["id"]]).fetchone()
    return _course(row)


def curriculum_hours(conn: sqlite3.Connection, course_id: int) -> float | None:
    total = conn.execute("select sum(hours) from network_modules where course_id = ?", [course_id]).fetchone()[0]
    return round(total, 2) if total is not None else None


def module_rows(conn: sqlite3.Connection, course: Course) -> list[dict]:
    return [{"position": row["position"], "module": row["title"], "hours": row["hours"],
             "instructor": row["instructor"], "goals": row["goals"]}
            for row in conn.execute("select * from network_modules where course_id = ? order by position, id",
                                    [course.id])]


def add_module(conn: sqlite3.Connection, course: Course, title: str, hours: object, *,
               instructor: str | None = None, goals: str | None = None, position: int | None = None) -> str:
    """Add a module to the course's curriculum, or change the one of the same title; says which."""
    title = trimmed(title) or ""
    if not name_key(title):
        raise NetworkError(_("a module needs a title, such as '법령정보 검색'"))
    hours_taught = _hours(hours, "hours")
    if hours_taught is None:
        raise NetworkError(_("module '{title}' needs its hours (such as 3 or 1.5)").format(title=title))
    if position is not None and not 1 <= position <= 1000:
        raise NetworkError(_("position {position} is not between 1 and 1,000").format(position=position))
    existing = conn.execute("select * from network_modules where course_id = ? and title_key = ?",
                            [course.id, name_key(title)]).fetchone()
    if existing is not None and hours_taught < existing["hours"]:
        total = curriculum_hours(conn, course.id) or 0
        _check_curriculum_total(conn, course, total - existing["hours"] + hours_taught)
    if existing is None:
        if position is None:
            position = conn.execute("select coalesce(max(position), 0) + 1 from network_modules where course_id = ?",
                                    [course.id]).fetchone()[0]
        conn.execute("insert into network_modules (course_id, position, title, title_key, hours, instructor, goals) "
                     "values (?, ?, ?, ?, ?, ?, ?)", [course.id, position, title, name_key(title), hours_taught,
                                                      trimmed(instructor), trimmed(goals)])
        return "created"
    wanted = {"title": title, "hours": hours_taught, "instructor": trimmed(instructor), "goals": trimmed(goals),
              "position": position}
    changed = {key: value for key, value in wanted.items() if value is not None and existing[key] != value}
    if not changed:
        return "unchanged"
    assignments = ", ".join(f"{column} = ?" for column in changed)  # names from `wanted`
    conn.execute(f"update network_modules set {assignments} where id = ?", [*changed.values(), existing["id"]])
    return "changed"


def import_curriculum(conn: sqlite3.Connection, course: Course, path: str | Path | ReadResult, *,
                      sheet: str | None = None, replace: bool = False,
                      column_map: str | Path = "network_modules") -> importer.ImportCounts:
    """A course's modules from a file: new titles added, known ones updated; with `replace`, modules
    not in the file are removed. All rows or none."""
    from nalcoop.importer import ImportCounts, RowsRejected, as_table, row_detail

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    seen: dict[str, int] = {}
    positions = []
    for source in table.rows:
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        key = name_key(values["title"])
        if not key:
            problems.append(source.problem(table.file, "title", _("a module needs a title, such as '법령정보 검색'")))
            continue
        if values.get("position") is not None and not 1 <= values["position"] <= 1000:
            problems.append(source.problem(table.file, "position", _("position {position} is not between 1 and "
                                                                        "1,000").format(position=values["position"])))
            continue
        if key in seen:
            problems.append(source.problem(table.file, "title", _("repeats row {row} (same module); keep one of "
                                                                     "the two rows").format(row=seen[key])))
            continue
        seen[key] = source.row
        if values.get("hours") is None:
            problems.append(source.problem(table.file, "hours", _("a module needs its hours (such as 3 or 1.5)")))
            continue
        try:
            values = {**values, "hours": hours_value(values["hours"])}
        except ValueError as exc:
            problems.append(source.problem(table.file, "hours", str(exc)))
            continue
        positions.append((source, values))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    current = {row["title_key"]: row for row in conn.execute(
        "select id, title, title_key, hours from network_modules where course_id = ?", [course.id]).fetchall()}
    removed = [row for key, row in current.items() if key not in seen] if replace else []
    final = {key: row["hours"] for key, row in current.items() if not replace or key in seen}
    final.update({name_key(values["title"]): values["hours"] for _source, values in positions})
    _check_curriculum_total(conn, course, sum(final.values()) if final else None)
    # More hours first, fewer after, removals last: no moment of the write leaves a trainee over the run.
    numbered = list(enumerate(positions, start=1))
    numbered.sort(key=lambda item: item[1][1]["hours"] - (current[name_key(item[1][1]["title"])]["hours"]
                                                          if name_key(item[1][1]["title"]) in current else 0),
                  reverse=True)
    details: list[tuple[int, str]] = []  # (row, line), put back in the file's order
    for number, (source, values) in numbered:
        outcome = add_module(conn, course, values["title"], values["hours"], instructor=values.get("instructor"),
                             goals=values.get("goals"),
                             position=values.get("position") or (number if replace else None))
        counts.outcomes[outcome] += 1
        if outcome != "unchanged":
            details.append((source.row, row_detail(source.row, values["title"], outcome)))
    counts.details.extend(detail for _row, detail in sorted(details))
    for row in removed:
        conn.execute("delete from network_modules where id = ?", [row["id"]])
        counts.outcomes["removed"] = counts.outcomes.get("removed", 0) + 1
        counts.details.append(_("{title} — removed (not in the file)").format(title=row["title"]))
    return counts


def _check_curriculum_total(conn: sqlite3.Connection, course: Course, total: float | None) -> None:
    """A curriculum may not shrink below what a trainee of a run taking its hours from it attended."""
    over = conn.execute(
        """select e.*, p.person, p.hours as attended from network_events e
           join network_participants p on p.event_id = e.id
           where e.course_id = ? and e.hours is null and p.hours > ? order by p.hours desc limit 1""",
        [course.id, total if total is not None else 1e9]).fetchone()
    if over is not None:
        raise NetworkError(_("the curriculum would leave {event} with {total:g} hours, but {person} is "
                             "recorded with {attended:g} hours attended; change those hours first").format(
            event=_event(over).label, total=total, person=over["person"] or _("a participant"),
            attended=over["attended"]))

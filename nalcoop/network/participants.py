"""Who came to an event: one participant at a time or a list imported from a workbook, the completion
of a course run's trainees, and the list of course runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop.dates import today
from nalcoop.i18n import _
from nalcoop.names import name_key, trimmed
from nalcoop.network.events import run_hours
from nalcoop.network.organizations import org_lookup
from nalcoop.network.records import (
    PARTICIPANT_ROLES,
    STATUSES,
    Attendance,
    Event,
    FieldError,
    NetworkError,
    Org,
    _event,
    hours_value,
)

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult


def attend(conn: sqlite3.Connection, event: Event, org: Org, *, person: str | None = None, role: str | None = None,
           status: str = "attended", hours: object = None, note: str | None = None) -> Attendance:
    """Record (or update) one participant of an event: an organization, and the person who came for it.

    Recording the same person again changes only what is given: a role recorded before stays unless a
    new one is given, and hours equal to the whole run stay 'the whole run' for a trainee marked so.
    """
    if role is not None and role not in PARTICIPANT_ROLES:
        raise FieldError("role", _("role '{role}' is not one of {items}").format(
            role=role, items=', '.join(PARTICIPANT_ROLES)))
    if status not in STATUSES:
        raise FieldError("status", _("status '{status}' is not one of {items}").format(
            status=status, items=', '.join(STATUSES)))
    person = trimmed(person)
    if person is not None and not name_key(person):
        raise FieldError("person", _("'{person}' is not a person's name").format(person=person))
    try:
        attended_hours = None if hours is None or hours == "" else hours_value(hours, zero=True)
    except ValueError as exc:
        raise FieldError("hours", str(exc)) from None
    if attended_hours is not None:
        if event.kind != "course":
            raise FieldError("hours", _("hours attended are recorded for course runs; {event} is a {kind}").format(
                event=event.label, kind=event.kind))
        total = run_hours(conn, event)
        if total is not None and attended_hours > total:
            raise FieldError("hours", _("{attended_hours:g} hours is more than {event} runs ({total:g} "
                                        "hours)").format(
                attended_hours=attended_hours, event=event.label, total=total))
        if status != "attended" and attended_hours > 0:
            raise FieldError("hours", _("a participant who is {status} has no hours attended").format(status=status))
    if status == "attended" and event.starts_on > today().isoformat():
        raise FieldError("status", _("{event} has not begun yet; record people as registered (신청) until "
                                     "it has").format(event=event.label))
    key = name_key(person) if person else ""
    who = f"{person} ({org.name})" if person else org.name
    existing = conn.execute("select * from network_participants where event_id = ? and org_id = ? and person_key = ?",
                            [event.id, org.id, key]).fetchone()
    if existing is None:
        role = role or ("trainee" if event.kind == "course" else "participant")
        conn.execute("insert into network_participants (event_id, org_id, person, person_key, role, status, hours, "
                     "note) values (?, ?, ?, ?, ?, ?, ?, ?)",
                     [event.id, org.id, person, key, role, status, attended_hours, trimmed(note)])
        return Attendance("created", who)
    if existing["hours"] is None and existing["status"] == "attended" and attended_hours is not None \
            and attended_hours == run_hours(conn, event):
        attended_hours = None  # the whole run, as listed by `event show`: still the whole run
    wanted = {"person": person, "role": role, "status": status, "hours": attended_hours, "note": trimmed(note)}
    changed = {column: value for column, value in wanted.items()
               if value is not None and existing[column] != value}
    if status != "attended" and existing["hours"]:
        changed["hours"] = None  # hours belong to attendance
    if not changed:
        return Attendance("unchanged", who)
    assignments = ", ".join(f"{column} = ?" for column in changed)  # names from `wanted`
    conn.execute(f"update network_participants set {assignments} where id = ?", [*changed.values(), existing["id"]])
    return Attendance("changed", who)


def import_participants(conn: sqlite3.Connection, event: Event, path: str | Path | ReadResult, *,
                        sheet: str | None = None,
                        column_map: str | Path = "network_participants") -> importer.ImportCounts:
    """Participants of one event from a list: each row an organization and (usually) a person. Known
    participants (same organization and person) are updated, so a list can be imported again with
    attendance filled in. An unknown organization is refused with the closest names. All rows or none."""
    from nalcoop.importer import ImportCounts, RowsRejected, as_table, row_detail
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    orgs = org_lookup(conn)
    seen: dict[tuple[int, str], int] = {}
    for source in track(table.rows, _("importing {file}").format(file=table.file)):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            org = orgs.find(values["org"])
        except NetworkError as exc:
            problems.append(source.problem(table.file, "org", str(exc)))
            continue
        pair = (org.id, name_key(values.get("person")))
        if pair in seen:
            problems.append(source.problem(table.file, "person", _("repeats row {row} (same person and "
                                                                      "organization); keep one of the two rows").format(
                                                                          row=seen[pair])))
            continue
        seen[pair] = source.row
        try:
            done = attend(conn, event, org, person=values.get("person"), role=values.get("role"),
                          status=values.get("status") or "attended", hours=values.get("hours"),
                          note=values.get("note"))
        except FieldError as exc:
            problems.append(source.problem(table.file, exc.field, str(exc)))
            continue
        counts.outcomes[done.outcome] += 1
        if done.outcome != "unchanged":
            counts.details.append(row_detail(source.row, done.label, done.outcome))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


def required_hours(total: float | None, completion_pct: float) -> float | None:
    return None if total is None else round(total * completion_pct / 100, 2)


def _completion(conn: sqlite3.Connection, event: Event) -> tuple[float | None, float | None]:
    """(the run's hours, the hours a trainee needs to complete it) of a course run."""
    total = run_hours(conn, event)
    pct = conn.execute("select completion_pct from network_courses where id = ?", [event.course_id]).fetchone()[0]
    return total, required_hours(total, pct)


def _hours_attended(status: str, hours: float | None, total: float | None) -> float | None:
    """A trainee marked attended without hours was there for the whole run."""
    return (total if hours is None else hours) if status == "attended" else hours


def _completed(status: str, hours: float | None, total: float | None, needed: float | None) -> bool | None:
    """Whether a trainee completed a run; None when the run's hours are not known."""
    if needed is None:
        return None
    attended_hours = _hours_attended(status, hours, total)
    return status == "attended" and attended_hours is not None and attended_hours >= needed


def participant_rows(conn: sqlite3.Connection, event: Event) -> list[dict]:
    """Everyone recorded for an event; for a course run, each trainee's hours against the threshold."""
    total, needed = _completion(conn, event) if event.kind == "course" else (None, None)
    rows = []
    for row in conn.execute(
            """select p.*, o.name as org, o.type as org_type from network_participants p
               join network_orgs o on o.id = p.org_id where p.event_id = ?
               order by case p.role when 'host' then 0 when 'instructor' then 1 when 'speaker' then 2
                        when 'panelist' then 3 when 'participant' then 4 else 5 end, o.name, p.person""",
            [event.id]):
        trainee = event.kind == "course" and row["role"] == "trainee"
        completed = _completed(row["status"], row["hours"], total, needed) if trainee else None
        rows.append({"org": row["org"], "type": row["org_type"], "person": row["person"], "role": row["role"],
                     "status": row["status"],
                     "hours": _hours_attended(row["status"], row["hours"], total) if trainee else row["hours"],
                     "required": needed if trainee else None,
                     "completed": None if not trainee else "—" if completed is None else "yes" if completed else "no",
                     "note": row["note"]})
    return rows


def completions(conn: sqlite3.Connection, event: Event) -> tuple[int | None, int]:
    """(trainees who completed, or None while the run's hours are unknown; trainees who did not cancel)."""
    rows = [row for row in participant_rows(conn, event) if row["completed"] is not None
            and row["status"] != "cancelled"]
    if any(row["completed"] == "—" for row in rows):
        return None, len(rows)
    return sum(1 for row in rows if row["completed"] == "yes"), len(rows)


def course_rows(conn: sqlite3.Connection) -> list[dict]:
    """Every run of every course, oldest first, with its hours, trainees and completions."""
    modules = dict(conn.execute("select course_id, count(*) from network_modules group by course_id"))
    rows = []
    for row in conn.execute("""select e.*, c.completion_pct from network_events e
                               join network_courses c on c.id = e.course_id order by c.title, e.starts_on"""):
        event = _event(row)
        done, trainees = completions(conn, event)
        rows.append({"course": event.title, "from": event.starts_on, "to": event.ends_on,
                     "hours": run_hours(conn, event), "recorded_hours": event.hours,
                     "threshold": row["completion_pct"], "modules": modules.get(event.course_id, 0),
                     "trainees": trainees, "completed": done})
    return rows

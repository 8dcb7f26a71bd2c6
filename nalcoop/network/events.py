"""Events (meetings, conferences, course runs, workshops): their hosts and co-hosts, the hours of a
course run, and the list of events."""

from __future__ import annotations

import re
import sqlite3

from nalcoop.dates import today
from nalcoop.i18n import N_, _
from nalcoop.names import name_key, pick, trimmed
from nalcoop.network.courses import _course_for, curriculum_hours
from nalcoop.network.organizations import home_org, org_by_id, org_lookup
from nalcoop.network.records import EVENT_KINDS, Body, Event, NetworkError, NotFound, Org, _event, _hours


def event_by_id(conn: sqlite3.Connection, event_id: int) -> Event:
    return _event(conn.execute("select * from network_events where id = ?", [event_id]).fetchone())


def resolve_event(conn: sqlite3.Connection, text: str) -> Event:
    """An event by its title, 'title (first day)' as listed, or a unique part of its title. A course
    run each year shares its title: give the first day in brackets (in any date form) to choose one."""
    events = [_event(row) for row in conn.execute("select * from network_events order by starts_on, title")]
    dated = re.fullmatch(r"(.*\S)\s*\(([^()]+)\)\s*", str(text or ""))
    if dated:
        from contextlib import suppress

        from nalcoop.dates import DateError, parse_date

        with suppress(DateError):  # otherwise the brackets are part of a title
            text = f"{dated[1]} ({parse_date(dated[2]).isoformat()})"
    return pick(N_("event"), text, events, lambda e: e.label, "nalcoop network list", lambda e: [name_key(e.title)],
                error=NetworkError, missing=NotFound, plural=N_("events"))


def _check_dates(starts_on: str, ends_on: str | None) -> str:
    ends_on = ends_on or starts_on
    if ends_on < starts_on:
        raise NetworkError(_("the event ends on {ends_on}, before it starts on {starts_on}").format(
            ends_on=ends_on, starts_on=starts_on))
    return ends_on


def add_event(conn: sqlite3.Connection, kind: str, title: str, starts_on: str, *, ends_on: str | None = None,
              place: str | None = None, hosts: list[str] | None = None, cohosts: list[str] | None = None,
              body: Body | None = None, agenda: str | None = None, outcomes: str | None = None,
              note: str | None = None, hours: object = None, completion_pct: float | None = None) -> Event:
    """Record an event. Without hosts, NAL (국회도서관) hosts it. A course run belongs to the course of
    its title (made on its first run), whose curriculum every run shares."""
    EVENT_KINDS.check(kind, N_("event kind"), NetworkError)
    title = trimmed(title) or ""
    if not name_key(title):
        raise NetworkError(_("an event needs a title, such as '2024 법률정보 학술대회'"))
    ends_on = _check_dates(starts_on, ends_on)
    if body is not None and kind != "meeting":
        raise NetworkError(_("--body is for meetings of a body, not for a {kind}").format(kind=kind))
    run_hours = _hours(hours, "--hours")
    if kind != "course" and (run_hours is not None or completion_pct is not None):
        raise NetworkError(_("--hours and --threshold are for courses (`nalcoop network course add`)"))
    clash = conn.execute("select * from network_events where title_key = ? and starts_on = ?",
                         [name_key(title), starts_on]).fetchone()
    if clash is not None:
        raise NetworkError(_("{label} is already recorded; change it with `nalcoop network event edit`").format(
            label=_event(clash).label))
    course_id = _course_for(conn, title, completion_pct).id if kind == "course" else None
    orgs = org_lookup(conn)
    host_orgs = [orgs.find(text) for text in hosts or []]
    if not host_orgs:
        home = home_org(conn)
        host_orgs = [home] if home else []
    cohost_orgs = [orgs.find(text) for text in cohosts or [] if trimmed(text)]
    _check_hosts(host_orgs, cohost_orgs)
    cursor = conn.execute(
        """insert into network_events (kind, title, title_key, starts_on, ends_on, place, body_id, course_id, hours,
           agenda, outcomes, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [kind, title, name_key(title), starts_on, ends_on, trimmed(place), body.id if body else None, course_id,
         run_hours, trimmed(agenda), trimmed(outcomes), trimmed(note)])
    for role, listed in (("host", host_orgs), ("cohost", cohost_orgs)):
        for org in listed:
            conn.execute("insert into network_event_hosts (event_id, org_id, role) values (?, ?, ?)",
                         [cursor.lastrowid, org.id, role])
    return event_by_id(conn, cursor.lastrowid)


def _check_hosts(hosts: list[Org], cohosts: list[Org]) -> None:
    seen: set[int] = set()
    for org in [*hosts, *cohosts]:
        if org.id in seen:
            raise NetworkError(_("{org} is named twice among the hosts and co-hosts").format(org=org.name))
        seen.add(org.id)


def edit_event(conn: sqlite3.Connection, event: Event, *, title: str | None = None, starts_on: str | None = None,
               ends_on: str | None = None, place: str | None = None, agenda: str | None = None,
               outcomes: str | None = None, note: str | None = None, hours: object = None,
               hosts: list[str] | None = None, cohosts: list[str] | None = None) -> Event:
    """Change the fields given (None leaves one as it is; '' clears an optional one). Hosts or co-hosts
    given replace the ones recorded."""
    values: dict[str, object] = {}
    if title is not None:
        if not name_key(title):
            raise NetworkError(_("an event's title cannot be empty"))
        if event.kind == "course" and name_key(title) != name_key(event.title):
            raise NetworkError(_("a course run keeps its course's title; add a run of another course "
                                 "instead"))
        values.update(title=title.strip(), title_key=name_key(title))
    new_start = starts_on or event.starts_on
    new_end = ends_on or (new_start if event.ends_on == event.starts_on else event.ends_on)
    if starts_on or ends_on:
        new_end = _check_dates(new_start, new_end)
        values.update(starts_on=new_start, ends_on=new_end)
        late = conn.execute("select count(*) from network_participants where event_id = ? and status = 'attended'",
                            [event.id]).fetchone()[0]
        if late and new_start > today().isoformat():
            raise NetworkError(_("{event} has {late} attendances recorded; it cannot move to "
                                 "{new_start}, which has not come yet").format(
                event=event.label, late=late, new_start=new_start))
    if (title is not None or starts_on) and conn.execute(
            "select 1 from network_events where title_key = ? and starts_on = ? and id <> ?",
            [name_key(values.get("title", event.title)), new_start, event.id]).fetchone():
        raise NetworkError(_("{title} ({new_start}) is already recorded").format(
            title=values.get("title", event.title), new_start=new_start))
    for field_name, value in (("place", place), ("agenda", agenda), ("outcomes", outcomes), ("note", note)):
        if value is not None:
            values[field_name] = trimmed(value)
    if hours is not None:
        if event.kind != "course":
            raise NetworkError(_("--hours is for course runs"))
        values["hours"] = _hours(hours, "--hours") if str(hours).strip() else None
        changed_hours = event._replace(hours=values["hours"])
        _check_hours_fit(conn, changed_hours)  # before the write: the ledger's own guard would only say "refused"
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)  # names from this function only
        conn.execute(f"update network_events set {assignments} where id = ?", [*values.values(), event.id])
    if hosts is not None or cohosts is not None:
        orgs = org_lookup(conn)
        current: dict[str, list[int]] = {}
        for row in conn.execute("select role, org_id from network_event_hosts where event_id = ?", [event.id]):
            current.setdefault(row["role"], []).append(row["org_id"])
        # --cohost '' (or --host '') clears them.
        host_orgs = ([orgs.find(text) for text in hosts if trimmed(text)] if hosts is not None
                     else [org_by_id(conn, org_id) for org_id in current.get("host", [])])
        cohost_orgs = ([orgs.find(text) for text in cohosts if trimmed(text)] if cohosts is not None
                       else [org_by_id(conn, org_id) for org_id in current.get("cohost", [])])
        _check_hosts(host_orgs, cohost_orgs)
        conn.execute("delete from network_event_hosts where event_id = ?", [event.id])
        for role, listed in (("host", host_orgs), ("cohost", cohost_orgs)):
            for org in listed:
                conn.execute("insert into network_event_hosts (event_id, org_id, role) values (?, ?, ?)",
                             [event.id, org.id, role])
    return event_by_id(conn, event.id)



def run_hours(conn: sqlite3.Connection, event: Event) -> float | None:
    """A course run's hours: as recorded for the run, else its curriculum's total."""
    if event.kind != "course":
        return event.hours
    return event.hours if event.hours is not None else curriculum_hours(conn, event.course_id)


def _check_hours_fit(conn: sqlite3.Connection, event: Event, lead: str = "") -> None:
    total = run_hours(conn, event)
    if total is None:
        return
    over = conn.execute("select person, hours from network_participants where event_id = ? and hours > ? "
                        "order by hours desc limit 1", [event.id, total]).fetchone()
    if over is not None:
        raise NetworkError(_("{lead}{event} with {total:g} hours, but {person} is recorded with {hours:g} "
                             "hours attended; change those hours first").format(
            lead=lead, event=event.label, total=total, person=over["person"] or _("a participant"),
            hours=over["hours"]))


def hosts_of(conn: sqlite3.Connection, event_id: int) -> dict[str, list[str]]:
    hosts: dict[str, list[str]] = {"host": [], "cohost": []}
    for role, name in conn.execute("""select h.role, o.name from network_event_hosts h
                                      join network_orgs o on o.id = h.org_id where h.event_id = ? order by h.id""",
                                   [event_id]):
        hosts[role].append(name)
    return hosts


def event_rows(conn: sqlite3.Connection, *, kind: str | None = None, date_from: str | None = None,
               date_to: str | None = None, body: Body | None = None, org: Org | None = None) -> list[dict]:
    """Events by first day, newest last, with hosts and attendance (attended participants only)."""
    where, params = ["1 = 1"], []
    if kind:
        where.append("e.kind = ?")
        params.append(EVENT_KINDS.check(kind, N_("event kind"), NetworkError))
    if date_from:
        where.append("e.starts_on >= ?")
        params.append(date_from)
    if date_to:
        where.append("e.starts_on <= ?")
        params.append(date_to)
    if body is not None:
        where.append("e.body_id = ?")
        params.append(body.id)
    if org is not None:
        where.append("(exists (select 1 from network_participants p where p.event_id = e.id and p.org_id = ? "
                     "and p.status = 'attended') "
                     "or exists (select 1 from network_event_hosts h where h.event_id = e.id and h.org_id = ?))")
        params += [org.id, org.id]
    rows = []
    codes = dict(conn.execute("select id, code from network_bodies"))
    for row in conn.execute(f"select e.* from network_events e where {' and '.join(where)} "  # clauses above
                            "order by e.starts_on, e.title", params).fetchall():
        event = _event(row)
        hosts = hosts_of(conn, event.id)
        attended, people, orgs = conn.execute(
            """select count(*), count(distinct case when person_key <> '' then org_id || ':' || person_key end),
                      count(distinct org_id)
               from network_participants where event_id = ? and status = 'attended'""", [event.id]).fetchone()
        registered = conn.execute("select count(*) from network_participants where event_id = ?",
                                  [event.id]).fetchone()[0]
        rows.append({"starts_on": event.starts_on, "ends_on": event.ends_on, "kind": event.kind,
                     "title": event.title, "body": codes.get(event.body_id), "place": event.place,
                     "host": ", ".join(hosts["host"]) or None, "cohosts": ", ".join(hosts["cohost"]) or None,
                     "hours": run_hours(conn, event), "registered": registered, "attended": attended,
                     "organizations": orgs, "agenda": event.agenda, "outcomes": event.outcomes})
    return rows

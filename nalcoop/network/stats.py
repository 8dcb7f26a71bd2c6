"""The network's statistics: what happened over a period, or the members of each body on a day; its
figures for the overview and its sheet of the annual report."""

from __future__ import annotations

import sqlite3

from nalcoop.breakdown import Breakdown, Span, Statistic, check_by
from nalcoop.dates import month_span, period_key
from nalcoop.i18n import N_, _
from nalcoop.network.events import run_hours
from nalcoop.network.organizations import all_orgs
from nalcoop.network.participants import _completed, _completion, _hours_attended
from nalcoop.network.records import (
    EVENT_KINDS,
    MEMBER_DIMENSIONS,
    ORG_TYPES,
    ROLES,
    STATS_DIMENSIONS,
    Event,
    NetworkError,
    Org,
    _event,
)
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import TOTAL, Term, Vocabulary, joined

# A statistic's rows: what each is grouped by (or the total) and the group's name, as labels in Korean.
_BY = joined("network statistics row", STATS_DIMENSIONS, MEMBER_DIMENSIONS, TOTAL)
_GROUP = joined("network statistics group", EVENT_KINDS, ORG_TYPES, ROLES, TOTAL)
MEASURES = Vocabulary("network measure", [  # the overview's figures (headline)
    Term("members", "회원 기관 수", "members"), Term("events", "행사 수", "events"),
    Term("attendances", "참석 인원", "attendances"),
    Term("organizations reached", "참여 기관 수", "organizations reached"),
    Term("completions", "교육 수료 인원", "completions"),
])
HAPPENED = Statistic(
    "network",
    (Column("by", ko="구분", terms=_BY), Column("group", ko="항목", terms=_GROUP),
     Column("events", kind="int", ko="행사 수"),
     Column("attended", kind="int", ko="참석 인원"),
     Column("people", "people reached", kind="int", ko="참여 인원"),
     Column("organizations", "orgs reached", kind="int", ko="참여 기관 수"),
     Column("first_time", "first-time orgs", kind="int", ko="신규 기관 수"),
     Column("course_hours", "training hours", kind="float", ko="교육 시간"),
     Column("trainee_hours", "trainee hours", kind="float", ko="교육 이수 시간"),
     Column("completed", kind="int", ko="수료 인원"),
     Column("from", kind="date", ko="시작일"), Column("to", kind="date", ko="종료일")),
    STATS_DIMENSIONS, measure="attended", noun=N_("network events"),
    title=N_("legal-information network {span}, by {by}"), meaning=N_("what happened"))
MEMBERS = Statistic(
    "members",
    (Column("body", ko="협의체"), Column("by", ko="구분", terms=_BY), Column("group", ko="항목", terms=_GROUP),
     Column("members", kind="int", ko="회원 기관 수"),
     Column("as_of", "as of", kind="date", ko="기준일")),
    MEMBER_DIMENSIONS, measure="members", noun=N_("members"), title=N_("members at the end of {day}, by {by}"),
    day=True, meaning=N_("members on a day"))
STATISTICS = (HAPPENED, MEMBERS)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """What the network did in the span, or, for a day, the members of each body at its end (no total:
    the bodies are counted apart)."""
    if span.day:
        return Breakdown(MEMBERS, by, None, stats_members(conn, by, span.end))
    return Breakdown.of_rows(HAPPENED, by, stats_period(conn, by, span.start, span.end))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """Members of each body at the end of the period; events, attendances, organizations reached and
    completions in it (the overview's figures)."""
    rows = [("members", row["body"], row["members"], True)
            for row in figures(stats, "body", Span.as_of(period.end)).groups]
    happened = figures(stats, "kind", Span(period.start, period.end)).total
    return rows + [(measure, "all", happened[key], False) for measure, key in (
        ("events", "events"), ("attendances", "attended"), ("organizations reached", "organizations"),
        ("completions", "completed"))]


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheet: the events that began in the period by kind, and by type of
    organization reached."""
    start, end, year = period.start, period.end, period.start[:4]
    span = Span(start, end)
    events = figures(stats, "kind", span).rows() + figures(stats, "type", span).groups
    return [SheetSpec(_("Network"), _("Cooperative network on legal information, {year} (법률정보 협력망)").format(
                          year=year),
                      _("Events that began {start} – {end}, by kind and by type of organization reached").format(
                          start=start, end=end), events,
                      list(HAPPENED.columns),
                      ChartSpec(_("Attendances per kind of event, {year}").format(year=year), ("by", "kind"), "group",
                                "attended"),
                      landscape=True)]


def stats_period(conn: sqlite3.Connection, by: str, date_from: str, date_to: str) -> list[dict]:
    """What the network did between two days (both inclusive; an event counts by its first day):
    events; attendances (everyone marked attended); people and organizations reached (attended, from
    organizations other than the event's own hosts and co-hosts); organizations reached for the first
    time ever, each counted once, under the group of that first event; training hours delivered (the
    hours of the course runs); trainee hours and completions."""
    check_by(HAPPENED, by, NetworkError)
    events = [_event(row) for row in conn.execute(
        "select * from network_events where starts_on between ? and ? order by starts_on", [date_from, date_to])]
    hosts: dict[int, set[int]] = {}
    for event_id, org_id in conn.execute("select event_id, org_id from network_event_hosts"):
        hosts.setdefault(event_id, set()).add(org_id)
    first_reached: dict[int, tuple[str, str]] = {}  # org -> (first day, kind) of the first event it was reached by
    for org_id, starts_on, kind in conn.execute(
            """select p.org_id, e.starts_on, e.kind from network_participants p
               join network_events e on e.id = p.event_id
               where p.status = 'attended' and not exists (select 1 from network_event_hosts h
                                                           where h.event_id = e.id and h.org_id = p.org_id)
               order by e.starts_on, e.id"""):
        first_reached.setdefault(org_id, (starts_on, kind))
    orgs = {org.id: org for org in all_orgs(conn)}
    groups: dict[str, dict] = {}

    def group(label: str) -> dict:
        return groups.setdefault(label, {"group": label, "events": set(), "attended": 0, "people": set(),
                                         "organizations": set(), "course_hours": 0.0, "trainee_hours": 0.0,
                                         "completed": 0})

    def labels_of(event: Event, org: Org | None) -> set[str]:
        labels = {"total"}
        if by == "kind":
            labels.add(event.kind)
        elif by in ("year", "month"):
            labels.add(period_key(event.starts_on, by))
        elif org is not None:
            labels.add(org.type if by == "type" else org.name)
        return labels

    group("total")
    for event in events:
        hours = run_hours(conn, event) if event.kind == "course" else None
        for label in labels_of(event, None):
            group(label)["events"].add(event.id)
            group(label)["course_hours"] += hours or 0
        needed = _completion(conn, event)[1] if event.kind == "course" else None
        for participant in conn.execute("select * from network_participants where event_id = ? "
                                        "and status = 'attended'", [event.id]).fetchall():
            org = orgs[participant["org_id"]]
            reached = org.id not in hosts.get(event.id, set())
            for label in labels_of(event, org):
                item = group(label)
                item["events"].add(event.id)
                item["attended"] += 1
                if reached:
                    item["organizations"].add(org.id)
                    if participant["person_key"]:
                        item["people"].add((org.id, participant["person_key"]))
                if event.kind == "course" and participant["role"] == "trainee":
                    item["trainee_hours"] += _hours_attended("attended", participant["hours"], hours) or 0
                    item["completed"] += bool(_completed("attended", participant["hours"], hours, needed))
    first_time: dict[str, int] = {}
    for org_id, (starts_on, kind) in first_reached.items():
        if date_from <= starts_on <= date_to:
            org = orgs[org_id]
            for label in {"total", {"kind": kind, "year": starts_on[:4], "month": starts_on[:7], "type": org.type,
                                    "org": org.name}[by]}:
                first_time[label] = first_time.get(label, 0) + 1
    result = []
    for label in ["total", *sorted(key for key in groups if key != "total")]:
        item = groups[label]
        start, end = date_from, date_to
        if by in ("year", "month") and label != "total":  # the group's own days, within the period
            first, last = month_span(label)
            start, end = max(date_from, first), min(date_to, last)
        per_event = label == "total" or by in ("kind", "year", "month")  # training hours belong to runs, not to guests
        result.append({"by": "total" if label == "total" else by, "group": label, "events": len(item["events"]),
                       "attended": item["attended"], "people": len(item["people"]),
                       "organizations": len(item["organizations"]), "first_time": first_time.get(label, 0),
                       "course_hours": round(item["course_hours"], 2) if per_event else None,
                       "trainee_hours": round(item["trainee_hours"], 2), "completed": item["completed"],
                       "from": start, "to": end})
    return result


def stats_members(conn: sqlite3.Connection, by: str, as_of: str) -> list[dict]:
    """Members of each body at the end of `as_of`, split by role or by organization type."""
    check_by(MEMBERS, by, NetworkError)
    rows = conn.execute(
        """select b.code, b.name, m.role, o.type, count(*) as members from network_memberships m
           join network_bodies b on b.id = m.body_id join network_orgs o on o.id = m.org_id
           where m.joined_on <= ?1 and (m.left_on is null or m.left_on > ?1)
           group by b.code, m.role, o.type""", [as_of]).fetchall()
    groups: dict[tuple, int] = {}
    for row in rows:
        label = row["role"] if by == "role" else row["type"] if by == "type" else ""
        groups[(row["code"], label)] = groups.get((row["code"], label), 0) + row["members"]
    result = [{"body": code, "by": by, "group": label or code, "members": members, "as_of": as_of}
              for (code, label), members in sorted(groups.items())]
    for code in [row[0] for row in conn.execute("select code from network_bodies order by code")]:
        if by == "body" and not any(row["body"] == code for row in result):
            result.append({"body": code, "by": by, "group": code, "members": 0, "as_of": as_of})
    return sorted(result, key=lambda row: (row["body"], row["group"]))

"""The network's rules that `nalcoop check` verifies over the whole ledger."""

from __future__ import annotations

import sqlite3

from nalcoop.i18n import _
from nalcoop.names import name_key


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """One sentence per violated rule of the network records, in the language of the run; an empty list when all
    hold."""
    problems: list[str] = []
    for body, org, first, second in conn.execute(
        """select a.body_id, a.org_id, a.id, b.id from network_memberships a
           join network_memberships b on a.body_id = b.body_id and a.org_id = b.org_id and a.id < b.id
           where a.joined_on < coalesce(b.left_on, '9999-12-31') and b.joined_on < coalesce(a.left_on, '9999-12-31')"""
    ):
        problems.append(_("memberships {first} and {second} (organization {org} in body {body}) overlap").format(
            first=first, second=second, org=org, body=body))
    for membership, joined_on, left_on in conn.execute(
            "select id, joined_on, left_on from network_memberships where left_on <= joined_on"):
        problems.append(_("membership {id} ends on {left_on}, not after it began on {joined_on}").format(
            id=membership, left_on=left_on, joined_on=joined_on))
    for event, starts_on, ends_on in conn.execute(
            "select id, starts_on, ends_on from network_events where ends_on < starts_on"):
        problems.append(_("event {id} ends on {ends_on}, before it starts on {starts_on}").format(
            id=event, ends_on=ends_on, starts_on=starts_on))
    for participant, event, hours, total in conn.execute(
        """select p.id, e.id, p.hours, coalesce(e.hours, (select sum(m.hours) from network_modules m
                                                        where m.course_id = e.course_id))
           from network_participants p join network_events e on e.id = p.event_id
           where p.hours is not null and p.hours > coalesce(e.hours, (select sum(m.hours) from network_modules m
                                                                     where m.course_id = e.course_id), 1e9)"""
    ):
        problems.append(_("participant {participant} of event {event} attended {hours:g} hours, more than the run's "
                          "{total:g}").format(participant=participant, event=event, hours=hours, total=total))
    for participant, event in conn.execute(
            """select p.id, e.id from network_participants p join network_events e on e.id = p.event_id
               where p.hours is not null and e.kind <> 'course'"""):
        problems.append(_("participant {participant} of event {event} has hours, but the event is not a course "
                          "run").format(participant=participant, event=event))
    for org_id, in conn.execute(
            "select id from network_orgs o where parent_id is not null and not exists "
            "(select 1 from network_orgs p where p.id = o.parent_id)"):
        problems.append(_("organization {id} names a parent that does not exist").format(id=org_id))
    parents = {}
    for org_id, key, name, name_en, en_key, parent_id in conn.execute(
            "select id, name_key, name, name_en, name_en_key, parent_id from network_orgs"):
        if key != name_key(name) or (en_key or None) != (name_key(name_en) or None):
            problems.append(_("organization {id} ({name}) is filed under another name").format(id=org_id, name=name))
        parents[org_id] = parent_id
    for org_id in parents:
        seen, current = {org_id}, parents[org_id]
        while current is not None and current in parents:
            if current in seen:
                problems.append(_("organization {id} sits inside itself (its parents form a loop)").format(id=org_id))
                break
            seen.add(current)
            current = parents[current]
    return problems

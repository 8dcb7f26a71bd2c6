"""Migration 0004: the legal-information network."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nalcoop.ledger.migrations.registry import journal_table, migration, run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


JOURNALED_TABLES = (
    "network_orgs",
    "network_bodies",
    "network_memberships",
    "network_courses",
    "network_modules",
    "network_events",
    "network_event_hosts",
    "network_participants",
    "network_shipped",
)


@migration("0004_network")
def m0004(db: Database) -> None:
    """The Cooperative Network on Legal Information: organizations, bodies (the Korean Legal
    Information Council and others) with dated memberships, events (meetings, conferences, courses,
    workshops) with hosts and participants, and course curricula reusable across runs.

    A membership runs from its first day to the day it ended (exclusive): an organization that left
    on D is not a member at the end of D. Memberships of one organization in one body never overlap
    (a trigger refuses it as the last guard). Attendance counts only participants marked attended.
    """
    run_script(
        db,
        """
        create table network_orgs (
            id integer primary key,
            name text not null,
            name_key text not null unique,
            name_en text,
            name_en_key text unique,  -- two organizations never share an English name (it finds them too)
            type text not null check (type in ('library', 'university', 'government', 'research-institute',
                'professional-body', 'other')),
            parent_id integer references network_orgs(id),
            contact text,
            note text,
            check (parent_id is null or parent_id <> id),
            check ((name_en is null) = (name_en_key is null))
        );
        create index network_orgs_parent on network_orgs(parent_id);
        -- No organization may end up inside itself, whether by a command or by an undo.
        create trigger network_orgs_no_cycle after update of parent_id on network_orgs
        when new.parent_id is not null and exists (
            with recursive up(id) as (
                select new.parent_id
                union select o.parent_id from network_orgs o join up on o.id = up.id where o.parent_id is not null)
            select 1 from up where id = new.id)
        begin
            select raise(abort, 'nalcoop: an organization would sit inside itself');
        end;
        create table network_bodies (
            id integer primary key,
            code text not null unique check (code <> '' and code = lower(code)),
            name text not null,
            name_key text not null unique,
            name_en text,
            founded_on text,
            note text
        );
        create table network_memberships (
            id integer primary key,
            body_id integer not null references network_bodies(id),
            org_id integer not null references network_orgs(id),
            role text not null check (role in ('chair', 'secretariat', 'member')),
            joined_on text not null,
            left_on text,  -- the day it ended: not a member at the end of that day
            note text,
            check (left_on is null or left_on > joined_on)
        );
        create index network_memberships_pair on network_memberships(body_id, org_id, joined_on);
        create index network_memberships_org on network_memberships(org_id);
        create trigger network_memberships_no_overlap_insert after insert on network_memberships
        when exists (select 1 from network_memberships m
                     where m.body_id = new.body_id and m.org_id = new.org_id and m.id <> new.id
                       and m.joined_on < coalesce(new.left_on, '9999-12-31')
                       and new.joined_on < coalesce(m.left_on, '9999-12-31'))
        begin
            select raise(abort, 'nalcoop: memberships of one organization in one body may not overlap');
        end;
        create trigger network_memberships_no_overlap_update after update on network_memberships
        when exists (select 1 from network_memberships m
                     where m.body_id = new.body_id and m.org_id = new.org_id and m.id <> new.id
                       and m.joined_on < coalesce(new.left_on, '9999-12-31')
                       and new.joined_on < coalesce(m.left_on, '9999-12-31'))
        begin
            select raise(abort, 'nalcoop: memberships of one organization in one body may not overlap');
        end;
        create table network_courses (
            id integer primary key,
            title text not null,
            title_key text not null unique,
            completion_pct real not null default 80 check (completion_pct > 0 and completion_pct <= 100),
            note text
        );
        create table network_modules (
            id integer primary key,
            course_id integer not null references network_courses(id),
            position integer not null check (position >= 1),
            title text not null,
            title_key text not null,
            hours real not null check (hours > 0),
            instructor text,
            goals text,
            unique (course_id, title_key)
        );
        create table network_events (
            id integer primary key,
            kind text not null check (kind in ('meeting', 'conference', 'course', 'workshop')),
            title text not null,
            title_key text not null,
            starts_on text not null,
            ends_on text not null,
            place text,
            body_id integer references network_bodies(id),
            course_id integer references network_courses(id),
            hours real check (hours is null or hours > 0),  -- a course run's hours; null: its curriculum's
            agenda text,
            outcomes text,
            note text,
            check (ends_on >= starts_on),
            check ((kind = 'course') = (course_id is not null)),
            check (body_id is null or kind = 'meeting'),
            unique (title_key, starts_on)
        );
        create index network_events_date on network_events(starts_on);
        create index network_events_course on network_events(course_id);
        create table network_event_hosts (
            id integer primary key,
            event_id integer not null references network_events(id),
            org_id integer not null references network_orgs(id),
            role text not null check (role in ('host', 'cohost')),
            unique (event_id, org_id)
        );
        create index network_event_hosts_org on network_event_hosts(org_id);
        create table network_participants (
            id integer primary key,
            event_id integer not null references network_events(id),
            org_id integer not null references network_orgs(id),
            person text,
            person_key text not null default '',
            role text not null check (role in ('host', 'speaker', 'panelist', 'participant', 'instructor',
                'trainee')),
            status text not null check (status in ('registered', 'attended', 'absent', 'cancelled')),
            hours real check (hours is null or hours >= 0),  -- hours attended, for a course's trainees
            note text,
            unique (event_id, org_id, person_key)
        );
        create index network_participants_org on network_participants(org_id);
        -- No one attends more hours than the run has (its own hours, else its curriculum's), whichever
        -- record changes: the participant's hours, the run's hours, or a module (an undo included).
        create trigger network_participants_hours_fit after insert on network_participants
        when new.hours > (select coalesce(e.hours, (select sum(m.hours) from network_modules m
                                                      where m.course_id = e.course_id), 1e9)
                          from network_events e where e.id = new.event_id)
        begin
            select raise(abort, 'nalcoop: a participant would have attended more hours than the run has');
        end;
        create trigger network_participants_hours_fit_update after update of hours on network_participants
        when new.hours > (select coalesce(e.hours, (select sum(m.hours) from network_modules m
                                                      where m.course_id = e.course_id), 1e9)
                          from network_events e where e.id = new.event_id)
        begin
            select raise(abort, 'nalcoop: a participant would have attended more hours than the run has');
        end;
        create trigger network_events_hours_fit after update of hours on network_events
        when exists (select 1 from network_participants p where p.event_id = new.id
                     and p.hours > coalesce(new.hours, (select sum(m.hours) from network_modules m
                                                         where m.course_id = new.course_id), 1e9))
        begin
            select raise(abort, 'nalcoop: a run would have fewer hours than a participant attended');
        end;
        create trigger network_modules_hours_fit_insert after insert on network_modules
        when exists (select 1 from network_events e join network_participants p on p.event_id = e.id
                     where e.course_id = new.course_id and e.hours is null
                       and p.hours > (select sum(m.hours) from network_modules m where m.course_id = e.course_id))
        begin
            select raise(abort, 'nalcoop: a run would have fewer hours than a participant attended');
        end;
        create trigger network_modules_hours_fit_update after update of hours on network_modules
        when exists (select 1 from network_events e join network_participants p on p.event_id = e.id
                     where e.course_id = new.course_id and e.hours is null
                       and p.hours > (select sum(m.hours) from network_modules m where m.course_id = e.course_id))
        begin
            select raise(abort, 'nalcoop: a run would have fewer hours than a participant attended');
        end;
        create trigger network_modules_hours_fit_delete after delete on network_modules
        when exists (select 1 from network_events e join network_participants p on p.event_id = e.id
                     where e.course_id = old.course_id and e.hours is null
                       and p.hours > coalesce((select sum(m.hours) from network_modules m
                                               where m.course_id = e.course_id), 1e9))
        begin
            select raise(abort, 'nalcoop: a run would have fewer hours than a participant attended');
        end;
        -- Which shipped facts (data/network.yaml) `nalcoop init` has loaded: loaded once, never again.
        create table network_shipped (
            id integer primary key,
            key text not null unique,
            loaded_on text not null
        );
        """,
    )
    for table in JOURNALED_TABLES:
        journal_table(db, table)

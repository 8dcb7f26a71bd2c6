"""Migration 0005: the apprenticeship."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nalcoop.ledger.migrations.registry import journal_table, migration, run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


JOURNALED_TABLES = (
    "intern_cohorts",
    "intern_cohort_depts",
    "intern_students",
    "intern_applications",
    "intern_steps",
    "intern_placements",
    "intern_hours",
    "intern_evaluations",
    "intern_reveals",
)


@migration("0005_interns")
def m0005(db: Database) -> None:
    """The practical apprenticeship: cohorts and their departments, students (the only personal data:
    name, e-mail, telephone; emptied by a purge, which stamps purged_on), applications with their dated
    steps, placements with mentors, daily hours, evaluations, and the log of reveals of personal data.

    An application's university, major and year stay on the application, so the statistics survive a
    purge. One day's hours in one department are entered once; no day holds more than 12 hours.
    """
    run_script(
        db,
        """
        create table intern_cohorts (
            id integer primary key,
            name text not null,
            name_key text not null unique,
            starts_on text not null,
            ends_on text not null,
            slots integer not null check (slots >= 1),
            required_hours real not null check (required_hours > 0),
            note text,
            check (ends_on >= starts_on)
        );
        create table intern_cohort_depts (
            id integer primary key,
            cohort_id integer not null references intern_cohorts(id),
            dept text not null,
            dept_key text not null,
            unique (cohort_id, dept_key)
        );
        create table intern_students (
            id integer primary key,
            name text,
            name_key text,
            email text,
            phone text,
            purged_on text,
            check (purged_on is not null or (name is not null and (email is not null or phone is not null)))
        );
        create index intern_students_name on intern_students(name_key);
        create table intern_applications (
            id integer primary key,
            cohort_id integer not null references intern_cohorts(id),
            student_id integer not null references intern_students(id),
            university text not null,
            major text,
            year integer check (year is null or year between 1 and 6),
            status text not null check (status in ('applied', 'accepted', 'rejected', 'withdrawn', 'placed',
                'completed', 'dropped')),
            applied_on text not null,
            note text,
            certificate text unique,
            completed_on text,
            unique (cohort_id, student_id),
            check ((status = 'completed') = (certificate is not null))
        );
        create index intern_applications_student on intern_applications(student_id);
        create table intern_steps (
            id integer primary key,
            application_id integer not null references intern_applications(id),
            step text not null check (step in ('apply', 'accept', 'reject', 'withdraw', 'place', 'complete', 'drop')),
            on_date text not null,
            reason text
        );
        create index intern_steps_application on intern_steps(application_id);
        create table intern_placements (
            id integer primary key,
            application_id integer not null references intern_applications(id),
            dept text not null,
            dept_key text not null,
            mentor text,
            starts_on text not null,
            ends_on text,
            check (ends_on is null or ends_on >= starts_on)
        );
        create index intern_placements_application on intern_placements(application_id);
        create table intern_hours (
            id integer primary key,
            application_id integer not null references intern_applications(id),
            placement_id integer not null references intern_placements(id),
            dept_key text not null,
            on_date text not null,
            hours real not null check (hours > 0 and hours <= 12),
            note text,
            unique (application_id, on_date, dept_key)
        );
        create index intern_hours_placement on intern_hours(placement_id);
        create table intern_evaluations (
            id integer primary key,
            application_id integer not null references intern_applications(id),
            by text not null,
            on_date text not null,
            score integer not null check (score between 1 and 5),
            comment text
        );
        create index intern_evaluations_application on intern_evaluations(application_id);
        create table intern_reveals (
            id integer primary key,
            at text not null,
            by text not null,
            reason text not null,
            command text not null,
            students integer not null,
            applications text not null check (json_valid(applications))  -- the ids whose data was shown
        );
        -- The rules the commands keep, kept by the ledger too, so that no undo can break them.
        create trigger intern_applications_slots after update of status on intern_applications
        when new.status in ('accepted', 'placed', 'completed', 'dropped')
         and (select count(*) from intern_applications a where a.cohort_id = new.cohort_id
              and a.status in ('accepted', 'placed', 'completed', 'dropped'))
             > (select slots from intern_cohorts where id = new.cohort_id)
        begin
            select raise(abort, 'nalcoop: a cohort would have more students accepted than slots');
        end;
        create trigger intern_cohorts_still_fit after update of starts_on, ends_on, slots, required_hours
            on intern_cohorts
        when (select count(*) from intern_applications a where a.cohort_id = new.id
              and a.status in ('accepted', 'placed', 'completed', 'dropped')) > new.slots
          or exists (select 1 from intern_hours h join intern_applications a on a.id = h.application_id
                     where a.cohort_id = new.id and (h.on_date < new.starts_on or h.on_date > new.ends_on))
          or exists (select 1 from intern_applications a where a.cohort_id = new.id and a.status = 'completed'
                     and (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id)
                         < new.required_hours)
        begin
            select raise(abort, 'nalcoop: the cohort would no longer hold what is recorded in it');
        end;
        create trigger intern_hours_inside_cohort after insert on intern_hours
        when exists (select 1 from intern_applications a join intern_cohorts c on c.id = a.cohort_id
                     where a.id = new.application_id and (new.on_date < c.starts_on or new.on_date > c.ends_on))
        begin
            select raise(abort, 'nalcoop: hours would fall outside their cohort');
        end;
        create trigger intern_hours_of_completed after delete on intern_hours
        when exists (select 1 from intern_applications a join intern_cohorts c on c.id = a.cohort_id
                     where a.id = old.application_id and a.status = 'completed'
                       and (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id)
                           < c.required_hours)
        begin
            select raise(abort, 'nalcoop: a completed student would have fewer hours than the cohort requires');
        end;
        create trigger intern_evaluations_of_completed after delete on intern_evaluations
        when exists (select 1 from intern_applications a where a.id = old.application_id and a.status = 'completed'
                     and not exists (select 1 from intern_evaluations e where e.application_id = a.id))
        begin
            select raise(abort, 'nalcoop: a completed student would have no evaluation');
        end;
        """,
    )
    for table in JOURNALED_TABLES:
        journal_table(db, table)

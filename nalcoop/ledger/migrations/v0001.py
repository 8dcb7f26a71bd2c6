"""Migration 0001: the journal, the council registry and agreements with councils."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nalcoop.ledger.migrations.registry import journal_table, migration, run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


JOURNALED_TABLES = (
    "registry_changes",
    "councils",
    "council_versions",
    "agreement_events",
)


@migration("0001_ledger_journal_registry_agreements")
def m0001(db: Database) -> None:
    run_script(
        db,
        """
        create table journal_commands (
            id integer primary key,
            at text not null,
            by text not null,
            command text not null,
            undoes integer references journal_commands(id)
        );
        create table journal_changes (
            id integer primary key,
            command_id integer not null references journal_commands(id),
            tbl text not null,
            row_id integer not null,
            op text not null check (op in ('insert', 'update', 'delete')),
            before text,
            after text
        );
        create index journal_changes_command on journal_changes(command_id);
        create index journal_changes_row on journal_changes(tbl, row_id);

        create table registry_changes (
            id integer primary key,
            key text unique,
            kind text not null check (kind in
                ('baseline', 'rename', 'recode', 'move', 'merge', 'split', 'abolish', 'create',
                 'reorganize')),
            effective_on text not null,
            description text not null,
            source text not null,
            origin text not null check (origin in ('shipped', 'recorded'))
        );
        create table councils (
            id integer primary key,
            key text not null unique
        );
        create table council_versions (
            id integer primary key,
            council_id integer not null references councils(id),
            valid_from text not null,
            valid_to text,
            level text not null check (level in ('provincial', 'basic')),
            kind text not null check (kind in ('province', 'si', 'gun', 'gu')),
            province_id integer references councils(id),
            code text,
            gov text not null,
            gov_en text not null,
            name text not null,
            name_en text not null,
            change_id integer not null references registry_changes(id),
            check (valid_to is null or valid_to > valid_from),
            check ((level = 'provincial') = (province_id is null))
        );
        create index council_versions_as_of on council_versions(valid_from, valid_to, council_id);
        create index council_versions_council on council_versions(council_id, valid_from);

        create table agreement_events (
            id integer primary key,
            council_id integer not null references councils(id),
            cycle integer not null check (cycle >= 1),
            step text not null check (step in
                ('request', 'consult', 'sign', 'follow-up', 'renew', 'withdraw', 'terminate')),
            on_date text not null,
            status_after text not null check (status_after in
                ('requested', 'consultation', 'signed', 'withdrawn', 'terminated')),
            mode text check (mode in ('in-person', 'exchange')),
            follow_kind text check (follow_kind in
                ('materials', 'resources', 'archiving', 'staff-exchange', 'other')),
            ref text,
            note text
        );
        -- the latest event per council as of a date is one reverse seek in this index
        create index agreement_events_council_date
            on agreement_events(council_id, on_date, id, status_after);
        create index agreement_events_date on agreement_events(on_date, step);
        """,
    )
    for table in JOURNALED_TABLES:
        journal_table(db, table)

"""The ledger's schema, as numbered migrations recorded in the file (sqlite-utils Migrations).

Every migration that creates or alters a journaled table must call `journal_table` for it,
so that no row of it can change without the journal seeing the before and after.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from nalcoop.db import MIGRATION_SET, SCHEMA_VERSION

migrations = Migrations(MIGRATION_SET)


def run_script(db: Database, script: str) -> None:
    """Run several statements inside the caller's transaction (executescript would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


def journal_table(db: Database, table: str) -> None:
    """(Re)create the three triggers that copy every change of `table` into journal_changes.

    The triggers call nalcoop_command(), a function only nalcoop registers: a write made
    outside a nalcoop command (another tool, or code that forgot the journal) is refused.
    """
    columns = [row[1] for row in db.conn.execute(f'pragma table_info("{table}")')]

    def as_json(prefix: str) -> str:
        pairs = ", ".join(f"'{column}', {prefix}.\"{column}\"" for column in columns)
        return f"json_object({pairs})"

    guard = (
        "select raise(abort, 'nalcoop: this ledger is written only through nalcoop commands') "
        "where nalcoop_command() is null;"
    )
    changed = " or ".join(f'old."{column}" is not new."{column}"' for column in columns)
    for op in ("insert", "update", "delete"):
        db.conn.execute(f'drop trigger if exists "journal_{table}_{op}"')
    db.conn.execute(
        f"""create trigger "journal_{table}_insert" after insert on "{table}" begin {guard}
        insert into journal_changes (command_id, tbl, row_id, op, before, after)
        values (nalcoop_command(), '{table}', new.id, 'insert', null, {as_json("new")}); end"""
    )
    db.conn.execute(
        f"""create trigger "journal_{table}_update" after update on "{table}" when {changed}
        begin {guard}
        insert into journal_changes (command_id, tbl, row_id, op, before, after)
        values (nalcoop_command(), '{table}', new.id, 'update', {as_json("old")}, {as_json("new")});
        end"""
    )
    db.conn.execute(
        f"""create trigger "journal_{table}_delete" after delete on "{table}" begin {guard}
        insert into journal_changes (command_id, tbl, row_id, op, before, after)
        values (nalcoop_command(), '{table}', old.id, 'delete', {as_json("old")}, null); end"""
    )


JOURNALED_TABLES_0001 = (
    "registry_changes",
    "councils",
    "council_versions",
    "agreement_events",
)


@migrations(name="0001_ledger_journal_registry_agreements")
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
    for table in JOURNALED_TABLES_0001:
        journal_table(db, table)


JOURNALED_TABLES_0002 = (
    "donation_libraries",
    "donation_stock_receipts",
    "donation_stock_moves",
    "donation_batches",
    "donation_batch_items",
    "donation_batch_events",
)


# Tables kept by triggers from a journaled table's rows, never written directly: not journaled
# themselves (the journal has their source), and `nalcoop check` compares them with it instead.
JOURNALED_TABLES_0003 = (
    "distribution_publications",
    "distribution_issues",
    "distribution_recipients",
    "distribution_recipient_pauses",
    "distribution_subscriptions",
    "distribution_dispatches",
    "distribution_returns",
)

# Tables kept by triggers from a journaled table's rows, never written otherwise: table -> source.
DERIVED_TABLES = {
    "donation_stock_lines": "donation_stock_receipts",
    "distribution_dispatch_lines": "distribution_dispatches",
}


@migrations(name="0002_donations")
def m0002(db: Database) -> None:
    """Book donations: recipient libraries, the stock of books set aside, and batches.

    Stock comes in as receipts (`donate stock add` or `import`); each receipt row carries its
    lines as one JSON array, so that a 100,000-line import is one journaled row (journaling
    each line cost 2.8 s of a 3.4 s import). donation_stock_lines is an index of those arrays,
    kept by triggers on the receipts and never written otherwise: undoing a receipt removes its
    lines, redoing it restores them. Books leave stock (drawn into a batch) and come back (a
    cancelled batch) as journaled moves. On hand = lines + moves, never below zero.
    """
    run_script(
        db,
        """
        create table donation_libraries (
            id integer primary key,
            name text not null,
            name_key text not null,
            type text not null check (type in ('small', 'school', 'public', 'military', 'prison', 'other')),
            council_id integer not null references councils(id),
            address text,
            contact text,
            recommended_by text,
            eligible integer not null default 1 check (eligible in (0, 1)),
            eligibility_note text,
            unique (name_key, council_id)
        );

        create table donation_stock_receipts (
            id integer primary key,
            on_date text not null,
            source text not null check (source in ('add', 'import')),
            file text,
            fingerprint text unique,
            line_count integer not null check (line_count >= 1),
            books integer not null check (books >= 1),
            -- [[item_key, isbn, title, reason, condition, qty], ...]
            lines text not null check (json_valid(lines))
        );
        create table donation_stock_lines (
            receipt_id integer not null references donation_stock_receipts(id),
            line integer not null,
            item_key text not null,
            isbn text,
            title text,
            reason text not null,
            condition text,
            qty integer not null,
            primary key (receipt_id, line)
        ) without rowid;
        create index donation_stock_lines_item on donation_stock_lines(item_key, reason);
        create trigger donation_stock_receipts_expand after insert on donation_stock_receipts begin
            insert into donation_stock_lines (receipt_id, line, item_key, isbn, title, reason, condition, qty)
            select new.id, key, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5
            from json_each(new.lines);
        end;
        create trigger donation_stock_receipts_unchanged before update on donation_stock_receipts begin
            select raise(abort, 'nalcoop: a stock receipt is never changed; undo it and record it again');
        end;

        create table donation_batches (
            id integer primary key,
            number text not null unique,
            year integer not null,
            seq integer not null check (seq >= 1),
            library_id integer not null references donation_libraries(id),
            status text not null check (status in ('planned', 'packed', 'shipped', 'received', 'cancelled')),
            books integer not null default 0 check (books >= 0),
            carrier text,
            tracking text,
            unique (year, seq)
        );
        create index donation_batches_library on donation_batches(library_id, status);
        create table donation_batch_items (
            id integer primary key,
            batch_id integer not null references donation_batches(id),
            item_key text not null,
            isbn text,
            title text,
            reason text not null check (reason in ('duplicate', 'non-registered', 'purchased', 'other')),
            condition text,
            qty integer not null check (qty >= 1),
            unique (batch_id, item_key, reason)
        );
        create table donation_batch_events (
            id integer primary key,
            batch_id integer not null references donation_batches(id),
            step text not null check (step in ('plan', 'pack', 'ship', 'receive', 'cancel')),
            on_date text not null,
            status_after text not null
                check (status_after in ('planned', 'packed', 'shipped', 'received', 'cancelled')),
            detail text
        );
        create index donation_batch_events_batch on donation_batch_events(batch_id, on_date, id);
        create index donation_batch_events_step on donation_batch_events(step, on_date);

        create table donation_stock_moves (
            id integer primary key,
            item_key text not null,
            reason text not null,
            qty integer not null check (qty <> 0),
            kind text not null check (kind in ('draw', 'return')),
            on_date text not null,
            batch_item_id integer not null references donation_batch_items(id),
            check ((kind = 'draw') = (qty < 0))
        );
        create index donation_stock_moves_item on donation_stock_moves(item_key, reason);
        create index donation_stock_moves_batch_item on donation_stock_moves(batch_item_id);

        create view donation_stock_entries as
            select item_key, reason, qty from donation_stock_lines
            union all
            select item_key, reason, qty from donation_stock_moves;

        -- The last guard of "stock never negative": a draw beyond the stock, or an undo that would
        -- take back books already drawn, is refused by the ledger itself.
        create trigger donation_stock_moves_not_negative after insert on donation_stock_moves
        when new.qty < 0 and (select sum(qty) from donation_stock_entries
                              where item_key = new.item_key and reason = new.reason) < 0
        begin
            select raise(abort, 'nalcoop: stock would go below zero');
        end;
        create trigger donation_stock_moves_return_kept after delete on donation_stock_moves
        when old.qty > 0 and (select sum(qty) from donation_stock_entries
                              where item_key = old.item_key and reason = old.reason) < 0
        begin
            select raise(abort, 'nalcoop: stock would go below zero');
        end;
        create trigger donation_stock_receipts_unexpand after delete on donation_stock_receipts begin
            delete from donation_stock_lines where receipt_id = old.id;
            select raise(abort, 'nalcoop: stock would go below zero')
            where exists (  -- only books that have moved can go below zero when a receipt goes
                select 1 from (select distinct item_key, reason from donation_stock_moves) m
                where (select sum(qty) from donation_stock_entries e
                       where e.item_key = m.item_key and e.reason = m.reason) < 0
            );
        end;
        """,
    )
    for table in JOURNALED_TABLES_0002:
        journal_table(db, table)


@migrations(name="0003_distribution")
def m0003(db: Database) -> None:
    """Distribution of NAL's publications: the catalogue (publications and their issues), the
    recipients at home and abroad, standing lists (subscriptions) and dispatch runs with returns.

    A dispatch run is one journaled row carrying its lines as one JSON array, as a stock receipt
    does: a run to 10,000 subscribers is one journal entry, not 10,000. distribution_dispatch_lines
    indexes those arrays (kept by triggers, never written otherwise); its unique index on issue and
    recipient is the ledger's own refusal to send one issue twice to one recipient. Subscriptions of
    one recipient to one publication never overlap (a trigger refuses it as the last guard).
    """
    run_script(
        db,
        """
        create table distribution_publications (
            id integer primary key,
            title text not null,
            title_key text not null unique,
            title_en text,
            series text,
            issn text,
            isbn text,
            frequency text not null check (frequency in ('weekly', 'monthly', 'bimonthly', 'quarterly',
                'semiannual', 'annual', 'irregular', 'once')),
            publisher_unit text
        );
        create table distribution_issues (
            id integer primary key,
            publication_id integer not null references distribution_publications(id),
            issue text not null,
            issue_key text not null,
            issued_on text not null,
            pages integer check (pages is null or pages >= 1),
            copies_printed integer check (copies_printed is null or copies_printed >= 0),
            unique (publication_id, issue_key)
        );
        create table distribution_recipients (
            id integer primary key,
            name text not null,
            name_key text not null,
            country text not null check (length(country) = 2 and country = upper(country)),
            type text not null check (type in ('national-library', 'parliamentary-library', 'university',
                'public-library', 'research-institute', 'government', 'international-organization', 'other')),
            council_id integer references councils(id),
            address text,
            postcode text,
            contact text,
            active_from text,  -- null: on record without a known first day
            inactive_from text,
            inactive_reason text,
            address_checked_on text,
            check (inactive_from is null or active_from is null or inactive_from > active_from),
            check (council_id is null or country = 'KR'),
            unique (name_key, country)
        );
        -- A period a recipient was inactive and then active again: [inactive_from, active_again_on).
        -- The current inactive period, if any, is distribution_recipients.inactive_from.
        create table distribution_recipient_pauses (
            id integer primary key,
            recipient_id integer not null references distribution_recipients(id),
            inactive_from text not null,
            active_again_on text not null,
            reason text,
            check (active_again_on > inactive_from)
        );
        create index distribution_recipient_pauses_recipient on distribution_recipient_pauses(recipient_id);
        create table distribution_subscriptions (
            id integer primary key,
            recipient_id integer not null references distribution_recipients(id),
            publication_id integer not null references distribution_publications(id),
            copies integer not null check (copies >= 1),
            start_on text not null,
            end_on text,
            end_reason text,
            check (end_on is null or end_on >= start_on)
        );
        create index distribution_subscriptions_pair
            on distribution_subscriptions(recipient_id, publication_id, start_on);
        create index distribution_subscriptions_publication on distribution_subscriptions(publication_id, start_on);
        create trigger distribution_subscriptions_no_overlap_insert after insert on distribution_subscriptions
        when exists (select 1 from distribution_subscriptions s
                     where s.recipient_id = new.recipient_id and s.publication_id = new.publication_id
                       and s.id <> new.id and s.start_on <= coalesce(new.end_on, '9999-12-31')
                       and new.start_on <= coalesce(s.end_on, '9999-12-31'))
        begin
            select raise(abort, 'nalcoop: subscriptions of one recipient to one publication may not overlap');
        end;
        create trigger distribution_subscriptions_no_overlap_update after update on distribution_subscriptions
        when exists (select 1 from distribution_subscriptions s
                     where s.recipient_id = new.recipient_id and s.publication_id = new.publication_id
                       and s.id <> new.id and s.start_on <= coalesce(new.end_on, '9999-12-31')
                       and new.start_on <= coalesce(s.end_on, '9999-12-31'))
        begin
            select raise(abort, 'nalcoop: subscriptions of one recipient to one publication may not overlap');
        end;

        create table distribution_dispatches (
            id integer primary key,
            issue_id integer not null references distribution_issues(id),
            on_date text not null,
            line_count integer not null check (line_count >= 1),
            copies integer not null check (copies >= 1),
            -- [[recipient_id, subscription_id, copies], ...]
            lines text not null check (json_valid(lines))
        );
        create index distribution_dispatches_date on distribution_dispatches(on_date);
        create index distribution_dispatches_issue on distribution_dispatches(issue_id);
        -- recipient_id and subscription_id carry no references clause: their foreign-key indexes,
        -- ordered by recipient, made every run of 10,000 lines rewrite nearly all their pages (66 MB
        -- of WAL and a second a run on 2.4 million lines). The triggers below guard the same rules.
        create table distribution_dispatch_lines (
            dispatch_id integer not null references distribution_dispatches(id),
            line integer not null,
            issue_id integer not null,
            recipient_id integer not null,
            subscription_id integer not null,
            copies integer not null,
            primary key (dispatch_id, line)
        ) without rowid;
        create unique index distribution_dispatch_lines_once on distribution_dispatch_lines(issue_id, recipient_id);
        create trigger distribution_dispatch_lines_parents before insert on distribution_dispatch_lines
        when not exists (select 1 from distribution_subscriptions s where s.id = new.subscription_id
                         and s.recipient_id = new.recipient_id)
        begin
            select raise(abort, 'nalcoop: a dispatch line names a subscription that is not its recipient''s');
        end;
        create trigger distribution_recipients_sent before delete on distribution_recipients
        when exists (select 1 from distribution_issues i cross join distribution_dispatch_lines l
                     on l.issue_id = i.id and l.recipient_id = old.id)
        begin
            select raise(abort, 'nalcoop: copies were sent to this recipient');
        end;
        -- What was sent stays true: no record (by a command or by an undo) may say afterwards that a
        -- recipient was inactive, or a subscription not running, on a day copies went under it.
        create trigger distribution_recipients_inactive_when_sent after update of inactive_from
            on distribution_recipients
        when new.inactive_from is not null and exists (
            select 1 from distribution_dispatches d cross join distribution_dispatch_lines l
            on l.issue_id = d.issue_id and l.recipient_id = new.id and l.dispatch_id = d.id
            where d.on_date >= new.inactive_from)
        begin
            select raise(abort,
                'nalcoop: copies were sent to this recipient on or after the day it would become inactive');
        end;
        create trigger distribution_recipient_pauses_when_sent after insert on distribution_recipient_pauses
        when exists (
            select 1 from distribution_dispatches d cross join distribution_dispatch_lines l
            on l.issue_id = d.issue_id and l.recipient_id = new.recipient_id and l.dispatch_id = d.id
            where d.on_date >= new.inactive_from and d.on_date < new.active_again_on)
        begin
            select raise(abort, 'nalcoop: copies were sent to this recipient while it would be inactive');
        end;
        create trigger distribution_subscriptions_period_when_sent after update of start_on, end_on
            on distribution_subscriptions
        when exists (
            select 1 from distribution_dispatches d cross join distribution_dispatch_lines l
            on l.issue_id = d.issue_id and l.recipient_id = new.recipient_id and l.dispatch_id = d.id
            where l.subscription_id = new.id
              and (d.on_date < new.start_on or d.on_date > coalesce(new.end_on, '9999-12-31')))
        begin
            select raise(abort,
                'nalcoop: copies were sent under this subscription outside the period it would have');
        end;
        create trigger distribution_subscriptions_sent before delete on distribution_subscriptions
        when exists (select 1 from distribution_issues i cross join distribution_dispatch_lines l
                     on l.issue_id = i.id and l.recipient_id = old.recipient_id where l.subscription_id = old.id)
        begin
            select raise(abort, 'nalcoop: copies were sent under this subscription');
        end;
        create trigger distribution_dispatches_expand after insert on distribution_dispatches begin
            insert into distribution_dispatch_lines (dispatch_id, line, issue_id, recipient_id, subscription_id,
                                                     copies)
            select new.id, key, new.issue_id, value ->> 0, value ->> 1, value ->> 2 from json_each(new.lines);
        end;
        create trigger distribution_dispatches_unchanged before update on distribution_dispatches begin
            select raise(abort, 'nalcoop: a dispatch run is never changed; undo it and send again');
        end;
        create trigger distribution_dispatches_unexpand after delete on distribution_dispatches begin
            delete from distribution_dispatch_lines where dispatch_id = old.id;
        end;

        create table distribution_returns (
            id integer primary key,
            dispatch_id integer not null,
            line integer not null,
            on_date text not null,
            reason text not null check (reason in ('undeliverable', 'refused', 'damaged', 'surplus', 'other')),
            copies integer not null check (copies >= 1),
            note text,
            unique (dispatch_id, line),
            foreign key (dispatch_id, line) references distribution_dispatch_lines(dispatch_id, line)
        );
        """,
    )
    for table in JOURNALED_TABLES_0003:
        journal_table(db, table)


JOURNALED_TABLES_0004 = (
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


@migrations(name="0004_network")
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
    for table in JOURNALED_TABLES_0004:
        journal_table(db, table)


JOURNALED_TABLES_0005 = (
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


@migrations(name="0005_interns")
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
    for table in JOURNALED_TABLES_0005:
        journal_table(db, table)


@migrations(name="0006_agreement_period_index")
def m0006(db: Database) -> None:
    """The steps of a period counted by level or province (`nalcoop stats`, the annual report) read the
    day, the step and the council from one index instead of looking up each step's row: 0.48 s a year
    became 0.17 s on a million steps. It covers the (on_date, step) index, which goes."""
    run_script(
        db,
        """
        create index agreement_events_period on agreement_events(on_date, step, council_id);
        drop index agreement_events_date;
        """,
    )


# The ledger's own list of journaled tables: undo touches these, by exact name, and nothing else.
JOURNALED_TABLES = (JOURNALED_TABLES_0001 + JOURNALED_TABLES_0002 + JOURNALED_TABLES_0003 + JOURNALED_TABLES_0004
                    + JOURNALED_TABLES_0005)


@migrations(name="0007_journal_hash_chain")
def m0007(db: Database) -> None:
    """A tamper-evident journal: each change row carries a SHA-256 hash over its content (and its command's)
    chained to the row before (nalcoop/journal.py). The chain of a ledger's existing rows is computed here."""
    from nalcoop.journal import rechain

    db.conn.execute("alter table journal_changes add column hash text")
    rechain(db.conn)


def apply_pending(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations inside the caller's open transaction (savepoints nest)."""
    if len(migrations._migrations) != SCHEMA_VERSION:  # noqa: SLF001 - keep db.py's constant true
        raise RuntimeError("db.SCHEMA_VERSION does not match the number of migrations")
    db = Database(conn, recursive_triggers=False, execute_plugins=False)
    pending = [migration.name for migration in migrations.pending(db)]
    migrations.apply(db)
    return pending

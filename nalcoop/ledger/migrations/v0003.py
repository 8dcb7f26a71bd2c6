"""Migration 0003: the distribution of publications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nalcoop.ledger.migrations.registry import journal_table, migration, run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


JOURNALED_TABLES = (
    "distribution_publications",
    "distribution_issues",
    "distribution_recipients",
    "distribution_recipient_pauses",
    "distribution_subscriptions",
    "distribution_dispatches",
    "distribution_returns",
)



@migration("0003_distribution")
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
    for table in JOURNALED_TABLES:
        journal_table(db, table)

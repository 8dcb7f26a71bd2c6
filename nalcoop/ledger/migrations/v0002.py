"""Migration 0002: book donations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nalcoop.ledger.migrations.registry import journal_table, migration, run_script

if TYPE_CHECKING:
    from sqlite_utils import Database


JOURNALED_TABLES = (
    "donation_libraries",
    "donation_stock_receipts",
    "donation_stock_moves",
    "donation_batches",
    "donation_batch_items",
    "donation_batch_events",
)


# Tables kept by triggers from a journaled table's rows, never written directly: not journaled


@migration("0002_donations")
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
    for table in JOURNALED_TABLES:
        journal_table(db, table)

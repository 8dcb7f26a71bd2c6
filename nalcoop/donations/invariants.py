"""The donation records' invariants, for `nalcoop check`: stock never below zero, receipts that match their
indexed lines, batches whose steps, books and stock moves agree."""

from __future__ import annotations

import sqlite3

from nalcoop.donations.batches import format_number
from nalcoop.donations.records import NEXT_STEPS, REASONS, STATUS_AFTER, STATUSES, STEPS
from nalcoop.i18n import _, ngettext


def _status(code: str | None) -> str:
    """A batch status as the run's language says it (no status yet: 'none')."""
    return STATUSES.said(code) if code else _("none")


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """One sentence per violated rule of the donation records, in the language of the run; an empty list when
    all hold."""
    problems: list[str] = []
    problems += _stock_problems(conn)
    problems += _batch_problems(conn)
    return problems


def _stock_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for key, reason, total in conn.execute(
        "select item_key, reason, sum(qty) from donation_stock_entries group by item_key, reason having sum(qty) < 0"
    ):
        problems.append(_("stock of {item} ({reason}) is {total}: more copies were drawn than were received").format(
            item=key, reason=REASONS.said(reason), total=total))
    for receipt_id, expected, expected_books, count, books in conn.execute(
        """select r.id, r.line_count, r.books, count(l.line), coalesce(sum(l.qty), 0)
           from donation_stock_receipts r left join donation_stock_lines l on l.receipt_id = r.id
           group by r.id having count(l.line) <> r.line_count or coalesce(sum(l.qty), 0) <> r.books
               or r.line_count <> json_array_length(r.lines)"""
    ):
        problems.append(_("stock receipt {receipt} records {lines} lines and {books} books, but its indexed lines "
                          "hold {counted_lines} lines and {counted_books} books").format(
            receipt=receipt_id, lines=expected, books=expected_books, counted_lines=count, counted_books=books))
    for (receipt_id,) in conn.execute(
        "select distinct receipt_id from donation_stock_lines where receipt_id not in "
        "(select id from donation_stock_receipts)"
    ):
        problems.append(_("stock lines remain of receipt {receipt}, which no longer exists").format(
            receipt=receipt_id))
    for receipt_id, line, qty, reason in conn.execute(
        "select receipt_id, line, qty, reason from donation_stock_lines where qty < 1 or reason not in "
        f"({', '.join(repr(r) for r in REASONS)}) or qty is null"
    ):
        problems.append(_("stock receipt {receipt}, line {line}: quantity {qty} and reason {reason} (quantities are "
                          "whole numbers of 1 or more, reasons one of {reasons})").format(
            receipt=receipt_id, line=line + 1, qty=qty, reason=repr(reason),
            reasons=", ".join(REASONS.said(code) for code in REASONS)))
    for move_id, move_key, move_reason, line_key, line_reason in conn.execute(
        """select m.id, m.item_key, m.reason, i.item_key, i.reason from donation_stock_moves m
           join donation_batch_items i on i.id = m.batch_item_id
           where m.item_key <> i.item_key or m.reason <> i.reason"""
    ):
        problems.append(_("stock move {move} is for {item} ({reason}) but its batch line is {line_item} "
                          "({line_reason})").format(move=move_id, item=move_key, reason=REASONS.said(move_reason),
                                                    line_item=line_key, line_reason=REASONS.said(line_reason)))
    return problems


def _batch_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    named = conn.cursor()
    named.row_factory = sqlite3.Row  # whatever the caller's connection returns
    batches = named.execute("select * from donation_batches order by year, seq").fetchall()
    events: dict[int, list] = {}
    for event in named.execute("select * from donation_batch_events order by batch_id, on_date, id").fetchall():
        events.setdefault(event["batch_id"], []).append(event)
    for batch in batches:
        number = batch["number"]
        if number != format_number(batch["year"], batch["seq"]):
            problems.append(_("batch {number} is numbered {year}-{seq}").format(number=number, year=batch["year"],
                                                                                 seq=batch["seq"]))
        status = None
        for event in events.get(batch["id"], []):
            if event["step"] not in NEXT_STEPS.get(status, ()):
                problems.append(_("batch {number}: step {step} on {date} follows status {status}; the steps go "
                                  "{planned} → {packed} → {shipped} → {received}, or {cancelled} before shipping")
                                .format(number=number, step=STEPS.said(event["step"]), date=event["on_date"],
                                        status=_status(status), **{code: STATUSES.said(code) for code in STATUSES}))
            if event["status_after"] != STATUS_AFTER.get(event["step"]):
                problems.append(_("batch {number}: step {step} on {date} records status {status}").format(
                    number=number, step=STEPS.said(event["step"]), date=event["on_date"],
                    status=_status(event["status_after"])))
            status = STATUS_AFTER.get(event["step"], status)
        if status != batch["status"]:
            problems.append(_("batch {number} has status {status}, but its steps end at {last}").format(
                number=number, status=_status(batch["status"]), last=_status(status)))
    for number, books, counted in conn.execute(
        """select b.number, b.books, coalesce(sum(i.qty), 0) from donation_batches b
           left join donation_batch_items i on i.batch_id = b.id group by b.id
           having b.books <> coalesce(sum(i.qty), 0)"""
    ):
        problems.append(_("batch {number} records {books} books, but its lines hold {counted}").format(
            number=number, books=books, counted=counted))
    for number, line_id, qty in conn.execute(
        "select b.number, i.id, i.qty from donation_batch_items i join donation_batches b on b.id = i.batch_id "
        "where i.qty is null or i.qty < 1"
    ):
        problems.append(_("batch {number}, line {line}: quantity {qty} (quantities are 1 or more)").format(
            number=number, line=line_id, qty=qty))
    for number, status, line_id, qty, drawn, net in conn.execute(
        """select b.number, b.status, i.id, i.qty,
                  -coalesce(sum(case when m.kind = 'draw' then m.qty end), 0),
                  coalesce(sum(m.qty), 0)
           from donation_batch_items i join donation_batches b on b.id = i.batch_id
           left join donation_stock_moves m on m.batch_item_id = i.id
           group by i.id"""
    ):
        if drawn > qty:
            problems.append(ngettext("batch {number}, line {line}: {drawn} copy drawn from stock for a line of {qty}",
                                     "batch {number}, line {line}: {drawn} copies drawn from stock for a line of "
                                     "{qty}", drawn).format(number=number, line=line_id, drawn=drawn, qty=qty))
        if status == "cancelled" and net != 0:
            problems.append(ngettext("batch {number} is cancelled but line {line} has {count} copy not returned to "
                                     "stock",
                                     "batch {number} is cancelled but line {line} has {count} copies not returned to "
                                     "stock", -net).format(number=number, line=line_id, count=-net))
        if status != "cancelled" and net != -drawn:
            problems.append(_("batch {number} ({status}) has copies returned to stock on line {line}").format(
                number=number, status=_status(status), line=line_id))
    return problems

"""The stock of books set aside for donation: receipts in (one by one or a whole list), what is on hand."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop.donations.records import REASONS, DonationError, Item, item_key, name_key
from nalcoop.i18n import _

if TYPE_CHECKING:
    from nalcoop.importer import ReadResult


def add_stock(conn: sqlite3.Connection, items: list[Item], on_date: str, *, source: str = "add",
              file: str | None = None, fingerprint: str | None = None) -> int:
    """One receipt of books into stock: a single journaled row whose lines the ledger indexes."""
    lines = _lines_json(items)
    cursor = conn.execute(
        """insert into donation_stock_receipts (on_date, source, file, fingerprint, line_count, books, lines)
           values (?, ?, ?, ?, ?, ?, ?)""",
        [on_date, source, file, fingerprint, len(items), sum(item.qty for item in items), lines],
    )
    return cursor.lastrowid


def _lines_json(items: list[Item]) -> str:
    """[[item_key, isbn, title, reason, condition, qty(, author, publisher)], ...]: what the ledger's trigger
    indexes (the first six), with the author and publisher after them when known (read by stock_details)."""
    for item in items:
        if item.reason not in REASONS:
            raise DonationError(_("{book}: a book in stock needs a reason ({choices})").format(
                book=item.label, choices=", ".join(REASONS)))
    return json.dumps([[item.key, item.isbn, item.title, item.reason, item.condition, item.qty]
                       + ([item.author, item.publisher] if item.author or item.publisher else []) for item in items],
                      ensure_ascii=False, separators=(",", ":"))


def known_titles(conn: sqlite3.Connection, isbns: set[str] | None = None) -> dict[str, str]:
    """The title the ledger knows for each ISBN (from stock and batches; the latest wins)."""
    rows = conn.execute("""select isbn, title from donation_stock_lines where isbn is not null and title is not null
                           union all
                           select isbn, title from donation_batch_items where isbn is not null and title is not null
                        """).fetchall()
    return {isbn: title for isbn, title in rows if isbns is None or isbn in isbns}


def stock_details(conn: sqlite3.Connection, key: str) -> dict:
    """Title, author, publisher and condition of a book as its latest stock line gives them ({} if none): what a
    batch and its packing list carry. Author and publisher live in the receipt's JSON lines, after the indexed six."""
    row = conn.execute(
        """select l.title, l.condition, r.lines ->> ('$[' || l.line || '][6]') as author,
                  r.lines ->> ('$[' || l.line || '][7]') as publisher
           from donation_stock_lines l join donation_stock_receipts r on r.id = l.receipt_id
           where l.item_key = ? order by l.receipt_id desc, l.line desc limit 1""", [key]).fetchone()
    return dict(row) if row else {}


def on_hand(conn: sqlite3.Connection, key: str) -> dict[str, int]:
    """Copies of one book in stock now, by reason (reasons with none left out)."""
    rows = conn.execute(
        "select reason, sum(qty) from donation_stock_entries where item_key = ? group by reason", [key]
    ).fetchall()
    return {reason: total for reason, total in rows if total}


def stock_rows(conn: sqlite3.Connection, *, reason: str | None = None, search: str | None = None,
               include_empty: bool = False) -> list[dict]:
    """The stock by book and reason: received, drawn into batches (net of returns), on hand."""
    rows = conn.execute(
        """
        with received as (
            select item_key, reason, max(isbn) as isbn, max(title) as title, sum(qty) as received,
                   count(distinct receipt_id) as receipts, max(condition) as condition
            from donation_stock_lines where (:reason is null or reason = :reason) group by item_key, reason
        ),
        moved as (
            select item_key, reason, sum(qty) as net from donation_stock_moves
            where (:reason is null or reason = :reason) group by item_key, reason
        )
        select r.isbn, r.title, r.reason, r.condition, r.received, -coalesce(m.net, 0) as drawn,
               r.received + coalesce(m.net, 0) as on_hand
        from received r left join moved m on m.item_key = r.item_key and m.reason = r.reason
        """,
        {"reason": reason},
    ).fetchall()
    needle = name_key(search) if search else None
    result = []
    for row in rows:
        if not include_empty and row["on_hand"] <= 0:
            continue
        if needle and needle not in name_key(row["title"] or "") and needle not in (row["isbn"] or ""):
            continue
        result.append(dict(row))
    result.sort(key=lambda r: (r["title"] or "", r["isbn"] or "", REASONS.index(r["reason"])))
    return result


class StockImportReport:
    """What a stock import read and did. (A plain class, not a dataclass: `donate list` loads this module, and
    making a dataclass costs start-up half a millisecond.)"""

    def __init__(self, file: str, sheet: str | None, header_row: int, lines: int, books: int,
                 by_reason: dict[str, int], ignored_headers: list[str]) -> None:
        self.file, self.sheet, self.header_row = file, sheet, header_row
        self.lines, self.books, self.by_reason, self.ignored_headers = lines, books, by_reason, ignored_headers
        self.receipt_id: int | None = None
        self.already: dict | None = None  # the earlier receipt of the same list
        self.timings: dict[str, float] = {}


def import_stock(conn: sqlite3.Connection, path: str | Path | ReadResult, on_date: str, *, sheet: str | None = None,
                 column_map: str | Path = "donation_items", default_reason: str | None = None) -> StockImportReport:
    """A list of books set aside (ISBN, title, qty, reason, condition) into stock as one receipt.

    All rows or none (RowsRejected names every bad row); safe to re-run: the same list again
    (same lines, whatever the file is called) is recognised and nothing is added.
    """
    import hashlib

    from nalcoop.importer import RowsRejected, as_table
    from nalcoop.progress import track

    started = time.perf_counter()
    table = as_table(path, column_map, sheet=sheet)
    read_done = time.perf_counter()
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    lines = []  # the receipt's lines as _lines_json writes them, built directly: this loop runs per row
    by_reason: dict[str, int] = {}
    titles = None  # the titles the ledger knows by ISBN, looked up once the first untitled row needs one
    extras = False  # some line has an author or a publisher
    for source in track(table.rows, _("importing {file}").format(file=table.file)):
        values = source.values
        if (source.sheet, source.row) in bad_rows:
            continue
        reason = values.get("reason") or default_reason
        if reason is None:
            problems.append(source.problem(table.file, "reason", _("the reason is empty; fill in 사유 ({reasons}) "
                                                                      "or give --reason").format(
                                                                          reasons=REASONS.listing())))
            continue
        isbn, title = values.get("isbn"), values.get("title")
        if isbn is None and not (title and name_key(title)):
            problems.append(source.problem(table.file, "title", _("the row has neither an ISBN nor a title")))
            continue
        if not title:
            titles = known_titles(conn) if titles is None else titles
            title = titles.get(isbn)
            if title is None:
                problems.append(source.problem(table.file, "title", _("the book {isbn} has no title, and the "
                                                                         "ledger knows none for its ISBN; fill in its "
                                                                         "title (서명) so the packing list names "
                                                                         "it").format(isbn=isbn)))
                continue
        qty = values["qty"]
        line = [item_key(isbn, title), isbn, title, reason, values.get("condition"), qty]
        author, publisher = values.get("author"), values.get("publisher")
        if author or publisher:
            line += [author, publisher]
            extras = True
        lines.append(line)
        by_reason[reason] = by_reason.get(reason, 0) + qty
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    if not lines:
        raise DonationError(_("{file}: the list has a header but no books; there is nothing to import").format(
            file=table.file))
    text = json.dumps(lines, ensure_ascii=False, separators=(",", ":"))
    # The same list is known by its six indexed fields, with or without the author and publisher columns.
    core = json.dumps([line[:6] for line in lines], ensure_ascii=False, separators=(",", ":")) if extras else text
    fingerprint = hashlib.sha256(core.encode()).hexdigest()
    validate_done = time.perf_counter()
    report = StockImportReport(table.file, table.sheet, table.header_row, len(lines), sum(by_reason.values()),
                               by_reason, table.ignored_headers)
    earlier = conn.execute(
        "select id, on_date, file from donation_stock_receipts where fingerprint = ?", [fingerprint]
    ).fetchone()
    if earlier is not None:
        report.already = dict(earlier)
    else:
        cursor = conn.execute(
            """insert into donation_stock_receipts (on_date, source, file, fingerprint, line_count, books, lines)
               values (?, 'import', ?, ?, ?, ?, ?)""",
            [on_date, table.file, fingerprint, report.lines, report.books, text],
        )
        report.receipt_id = cursor.lastrowid
    report.timings = {"read": read_done - started, "validate": validate_done - read_done,
                      "write": time.perf_counter() - validate_done}
    return report

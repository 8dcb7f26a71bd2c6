"""Donation batches: a library's books drawn from stock into a batch that goes planned → packed → shipped →
received, or is cancelled, which returns its books to stock; and the batches read back (lines, steps, list)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from nalcoop import registry
from nalcoop.donations.libraries import library_by_id
from nalcoop.donations.records import (
    NEXT_STEPS,
    REASONS,
    STATUS_AFTER,
    STATUSES,
    STEP_WORDS,
    STEPS,
    DonationError,
    Item,
    Library,
    StockShortage,
    make_item,
)
from nalcoop.donations.stock import on_hand, stock_details
from nalcoop.i18n import _, current, ngettext
from nalcoop.registry import council_then as _council_then

if TYPE_CHECKING:
    from nalcoop.importer import ReadResult


def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:03d}"


def find_batch(conn: sqlite3.Connection, number: str) -> sqlite3.Row:
    """A batch by its number: 2024-007 (2024-7 is read the same)."""
    match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{1,4})\s*", str(number or ""))
    if not match:
        raise DonationError(_("'{number}' is not a batch number; batch numbers look like 2024-007").format(
            number=number))
    row = conn.execute("select * from donation_batches where year = ? and seq = ?",
                       [int(match.group(1)), int(match.group(2))]).fetchone()
    if row is None:
        raise DonationError(_("there is no batch {number}; `nalcoop donate list` shows the batches").format(
            number=format_number(int(match.group(1)), int(match.group(2)))))
    return row


def _last_event(conn: sqlite3.Connection, batch_id: int) -> sqlite3.Row | None:
    return conn.execute("select * from donation_batch_events where batch_id = ? order by on_date desc, id desc "
                        "limit 1", [batch_id]).fetchone()


def open_batch(conn: sqlite3.Connection, library: Library, on_date: str) -> tuple[sqlite3.Row, bool]:
    """The library's batch still being assembled (planned), or a new one numbered in on_date's year."""
    row = conn.execute("select * from donation_batches where library_id = ? and status = 'planned' "
                       "order by id desc limit 1", [library.id]).fetchone()
    if row is not None:
        return row, False
    year = int(on_date[:4])
    seq = conn.execute("select coalesce(max(seq), 0) + 1 from donation_batches where year = ?", [year]).fetchone()[0]
    cursor = conn.execute(
        "insert into donation_batches (number, year, seq, library_id, status) values (?, ?, ?, ?, 'planned')",
        [format_number(year, seq), year, seq, library.id],
    )
    conn.execute(
        "insert into donation_batch_events (batch_id, step, on_date, status_after) values (?, 'plan', ?, 'planned')",
        [cursor.lastrowid, on_date],
    )
    return conn.execute("select * from donation_batches where id = ?", [cursor.lastrowid]).fetchone(), True


class Added(NamedTuple):
    batch: str
    opened: bool
    item: Item
    drawn: int
    merged: bool
    batch_books: int
    batch_lines: int


def check_eligible(library: Library) -> None:
    if not library.eligible:
        why = f" ({library.eligibility_note})" if library.eligibility_note else ""
        raise DonationError(_("{library} is marked not eligible for donations{why}; `nalcoop donate library edit "
                              "--eligible` changes that").format(library=library.label, why=why))


def add_to_batch(conn: sqlite3.Connection, library: Library, item: Item, on_date: str, *,
                 outside_stock: bool = False) -> Added:
    """Add books to the library's open batch (opening one if needed), drawing them from stock.

    Without outside_stock the books must be in stock: a draw beyond it is refused with the
    quantities. With it (newly bought books) nothing is drawn and the reason defaults to
    purchased. The same book twice in a batch adds to its line.
    """
    check_eligible(library)
    details = stock_details(conn, item.key)
    isbn, title = item.isbn, item.title or details.get("title")
    item = Item(item.isbn, item.title, item.reason, item.condition or details.get("condition"), item.qty)
    if outside_stock:
        reason = item.reason or "purchased"
    else:
        reason = _reason_in_stock(conn, Item(isbn, title, item.reason, item.condition, item.qty))
    batch, opened = open_batch(conn, library, on_date)
    if on_date < _last_event(conn, batch["id"])["on_date"]:
        raise DonationError(_("{date} is before batch {batch} was opened ({opened}); give a later --date").format(
            date=on_date, batch=batch["number"], opened=_last_event(conn, batch["id"])["on_date"]))
    line = conn.execute("select * from donation_batch_items where batch_id = ? and item_key = ? and reason = ?",
                        [batch["id"], item.key, reason]).fetchone()
    if line is None:
        cursor = conn.execute(
            """insert into donation_batch_items (batch_id, item_key, isbn, title, reason, condition, qty)
               values (?, ?, ?, ?, ?, ?, ?)""",
            [batch["id"], item.key, isbn, title, reason, item.condition, item.qty],
        )
        line_id = cursor.lastrowid
    else:
        line_id = line["id"]
        conn.execute("update donation_batch_items set qty = qty + ?, title = coalesce(title, ?) where id = ?",
                     [item.qty, title, line_id])
    if not outside_stock:
        conn.execute(
            "insert into donation_stock_moves (item_key, reason, qty, kind, on_date, batch_item_id)"
            " values (?, ?, ?, 'draw', ?, ?)",
            [item.key, reason, -item.qty, on_date, line_id],
        )
    conn.execute("update donation_batches set books = books + ? where id = ?", [item.qty, batch["id"]])
    books, lines = conn.execute("select books, (select count(*) from donation_batch_items where batch_id = b.id) "
                                "from donation_batches b where id = ?", [batch["id"]]).fetchone()
    added = Item(isbn, title, reason, item.condition, item.qty)
    return Added(batch["number"], opened, added, 0 if outside_stock else item.qty, line is not None, books, lines)


def add_file_to_batch(conn: sqlite3.Connection, library: Library, path: str | Path | ReadResult, on_date: str,
                      *,
                      sheet: str | None = None, column_map: str | Path = "donation_items",
                      outside_stock: bool = False) -> list[Added]:
    """Every book of a list into the library's open batch, each drawn from stock: all rows or none.

    Rows are added in order, so two rows drawing the same book share what stock holds; a row
    asking for more than is left is reported with the quantities, like every other bad row.
    """
    from nalcoop.importer import RowsRejected, as_table
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    check_eligible(library)
    added = []
    for source in track(table.rows, _("adding {file}").format(file=table.file)):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            item = make_item(values.get("isbn"), values.get("title"), values["qty"], values.get("reason"),
                             values.get("condition"))
            added.append(add_to_batch(conn, library, item, on_date, outside_stock=outside_stock))
        except DonationError as exc:
            column = "qty" if isinstance(exc, StockShortage) else "isbn" if values.get("isbn") else "title"
            problems.append(source.problem(table.file, column, str(exc)))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    if not added:
        raise DonationError(_("{file}: the list has a header but no books; there is nothing to add").format(
            file=table.file))
    return added


def _reason_in_stock(conn: sqlite3.Connection, item: Item) -> str:
    held = on_hand(conn, item.key)
    if item.reason is not None:
        have = held.get(item.reason, 0)
        if have < item.qty:
            others = {r: n for r, n in held.items() if r != item.reason}
            elsewhere = f" (stock holds it as {_quantities(others)})" if others else ""
            raise StockShortage(_short_of(item, have, item.reason) + elsewhere)
        return item.reason
    if not held:
        raise StockShortage(_("{book} is not in stock; add it with `nalcoop donate stock add`, or pass "
                              "--outside-stock for a newly bought book").format(book=item.label))
    if len(held) > 1:
        raise DonationError(_("{book} is in stock as {quantities}; give --reason to say which").format(
            book=item.label, quantities=_quantities(held)))
    reason, have = next(iter(held.items()))
    if have < item.qty:
        raise StockShortage(_short_of(item, have, reason))
    return reason


def _short_of(item: Item, have: int, reason: str) -> str:
    return ngettext("stock holds {have} copy of {book} ({reason}); cannot draw {wanted}. Draw {have} at most, or "
                    "add the other {other} with --outside-stock if they are newly bought",
                    "stock holds {have} copies of {book} ({reason}); cannot draw {wanted}. Draw {have} at most, or "
                    "add the other {other} with --outside-stock if they are newly bought", have).format(
        have=have, book=item.label, reason=REASONS.said(reason), wanted=item.qty, other=item.qty - have)


def _quantities(held: dict[str, int]) -> str:
    return ", ".join(f"{n} {REASONS.said(reason)}"
                     for reason, n in sorted(held.items(), key=lambda kv: REASONS.index(kv[0])))


def batch_step(conn: sqlite3.Connection, number: str, step: str, on_date: str, *, carrier: str | None = None,
               tracking: str | None = None, note: str | None = None) -> sqlite3.Row:
    """Move a batch one step on (pack, ship, receive, cancel), in order and in date order."""
    if step not in STEPS or step == "plan":
        raise ValueError(step)
    batch = find_batch(conn, number)
    status = batch["status"]
    last = _last_event(conn, batch["id"])
    if step not in NEXT_STEPS[status]:
        raise DonationError(_out_of_order(batch, step, last))
    if on_date < last["on_date"]:
        raise DonationError(_("{date} is earlier than the last step of batch {batch} ({step} on {previous}); steps "
                              "are recorded in date order").format(date=on_date, batch=batch["number"],
                                                                   step=_step_word(last["step"]),
                                                                   previous=last["on_date"]))
    if step == "pack" and batch["books"] == 0:
        raise DonationError(_("batch {batch} holds no books yet; add some with `nalcoop donate add`").format(
            batch=batch["number"]))
    detail = "; ".join(filter(None, [carrier, f"tracking {tracking}" if tracking else None, note])) or None
    conn.execute("insert into donation_batch_events (batch_id, step, on_date, status_after, detail) "
                 "values (?, ?, ?, ?, ?)", [batch["id"], step, on_date, STATUS_AFTER[step], detail])
    updates = {"status": STATUS_AFTER[step]}
    if step == "ship":
        updates.update(carrier=carrier, tracking=tracking)
    assignments = ", ".join(f"{key} = ?" for key in updates)
    conn.execute(f"update donation_batches set {assignments} where id = ?", [*updates.values(), batch["id"]])
    if step == "cancel":
        _return_to_stock(conn, batch["id"], on_date)
    return conn.execute("select * from donation_batches where id = ?", [batch["id"]]).fetchone()


def _out_of_order(batch: sqlite3.Row, step: str, last: sqlite3.Row) -> str:
    number, status = batch["number"], batch["status"]
    since = _("{step} on {date}").format(step=_step_word(last["step"]), date=last["on_date"])
    if status == "cancelled":
        return _("batch {batch} was cancelled ({since}); a cancelled batch cannot be {step}").format(
            batch=number, since=since, step=_step_word(step))
    if status == "received":
        return _("batch {batch} was already received ({since}); nothing follows that").format(batch=number,
                                                                                              since=since)
    if step == "cancel":
        return _("batch {batch} was already shipped ({since}); a shipped batch cannot be cancelled").format(
            batch=number, since=since)
    if step == "ship" and status == "planned":
        return _("batch {batch} cannot be shipped: it was never packed (status planned, {since}); pack it first "
                 "with `nalcoop donate pack {batch}`").format(batch=number, since=since)
    if step == "receive" and status in ("planned", "packed"):
        return _("batch {batch} cannot be received: it was never shipped (status {status}, {since})").format(
            batch=number, status=STATUSES.said(status), since=since)
    return _("batch {batch} is already {status} ({since}); it cannot be {step} again").format(
        batch=number, status=STATUSES.said(status), since=since, step=_step_word(step))


def _step_word(code: str) -> str:
    """The word a message uses for a batch step: the English one of STEP_WORDS, or the Korean label."""
    lang = current()
    return STEP_WORDS[code] if lang == "en" else STEPS.label(code, lang)


def _return_to_stock(conn: sqlite3.Connection, batch_id: int, on_date: str) -> None:
    conn.execute(
        """insert into donation_stock_moves (item_key, reason, qty, kind, on_date, batch_item_id)
           select m.item_key, m.reason, -sum(m.qty), 'return', ?, m.batch_item_id
           from donation_stock_moves m join donation_batch_items i on i.id = m.batch_item_id
           where i.batch_id = ? group by m.batch_item_id, m.item_key, m.reason having sum(m.qty) < 0""",
        [on_date, batch_id],
    )


# ---------------------------------------------------------------- reading batches


def batch_items(conn: sqlite3.Connection, batch_id: int) -> list[dict]:
    """The lines of a batch, numbered in the order they were added (자료 1, 자료 2 … 자료 10 as the list
    imported them, not 자료 1, 자료 10 … by the text of the titles), with what stock gave."""
    rows = conn.execute(
        """select i.*, -coalesce((select sum(m.qty) from donation_stock_moves m
                                   where m.batch_item_id = i.id and m.kind = 'draw'), 0) as from_stock
           from donation_batch_items i where batch_id = ? order by i.id""",
        [batch_id],
    ).fetchall()
    lines = []
    for row in rows:
        details = stock_details(conn, row["item_key"])  # what stock says of the book, for lines added before
        lines.append({"isbn": row["isbn"], "title": row["title"] or details.get("title"),
                      "author": details.get("author"), "publisher": details.get("publisher"),
                      "reason": row["reason"], "condition": row["condition"] or details.get("condition"),
                      "qty": row["qty"], "from_stock": row["from_stock"]})
    return [{"no": number, **line} for number, line in enumerate(lines, start=1)]


def batch_timeline(conn: sqlite3.Connection, batch_id: int) -> list[dict]:
    tracking = conn.execute("select tracking from donation_batches where id = ?", [batch_id]).fetchone()[0]
    return [
        {"date": row["on_date"], "step": row["step"], "status": row["status_after"],
         "detail": _shipping_detail(row["detail"], tracking) if row["step"] == "ship" else row["detail"]}
        for row in conn.execute("select * from donation_batch_events where batch_id = ? order by on_date, id",
                                [batch_id])
    ]


def _shipping_detail(detail: str | None, tracking: str | None) -> str | None:
    """A shipment's detail as recorded ("carrier; tracking N; note", see batch_step), with its tracking number
    said in the run's language; the carrier and the note are shown as written."""
    if not detail or not tracking:
        return detail
    recorded = f"tracking {tracking}"  # not a message: the recorded form
    return "; ".join(_("tracking {number}").format(number=tracking) if part == recorded else part
                     for part in detail.split("; "))


class BatchSummary(NamedTuple):
    number: str
    status: str
    library: Library
    books: int
    lines: int
    dates: dict[str, str]  # step -> date
    carrier: str | None
    tracking: str | None

    @property
    def headline(self) -> str:
        since = self.dates.get({v: k for k, v in STATUS_AFTER.items()}[self.status])
        return _("batch {number} → {library}: {status} since {date} · {lines}, {books}").format(
            number=self.number, library=self.library.label, status=STATUSES.said(self.status), date=since,
            lines=ngettext("{n} line", "{n} lines", self.lines).format(n=self.lines),
            books=ngettext("{n} book", "{n} books", self.books).format(n=self.books))


def batch_summary(conn: sqlite3.Connection, batch: sqlite3.Row) -> BatchSummary:
    dates = {row["step"]: row["on_date"] for row in conn.execute(
        "select step, on_date from donation_batch_events where batch_id = ? order by on_date, id", [batch["id"]])}
    lines = conn.execute("select count(*) from donation_batch_items where batch_id = ?", [batch["id"]]).fetchone()[0]
    return BatchSummary(batch["number"], batch["status"], library_by_id(conn, batch["library_id"]), batch["books"],
                        lines, dates, batch["carrier"], batch["tracking"])


def batch_rows(conn: sqlite3.Connection, as_of: str, *, date_from: str | None = None, date_to: str | None = None,
               province: str | None = None, status: str | None = None, library: Library | None = None) -> list[dict]:
    """Each batch opened by the end of `as_of`, with its status then and its region as it stood then; with
    date_from/date_to (both inclusive), only the batches opened (planned) inside that period."""
    if status is not None and status not in STATUSES:
        raise DonationError(_("unknown status '{status}'; choose one of {choices}").format(
            status=status, choices=", ".join(STATUSES)))
    # The province as it stood on the period's last day (전라남도 for 2024, though merged away since), and each
    # library's council as of that day.
    province_day = min(date_to, as_of) if date_to else as_of
    province_id = registry.resolve_province(conn, province, province_day).id if province else None
    rows = conn.execute(
        """
        select b.id, b.number, b.year, b.seq, b.books, b.library_id, b.carrier, b.tracking,
               (select e.status_after from donation_batch_events e where e.batch_id = b.id and e.on_date <= :d
                order by e.on_date desc, e.id desc limit 1) as status,
               (select count(*) from donation_batch_items i where i.batch_id = b.id) as lines,
               (select group_concat(step || '=' || on_date) from donation_batch_events e
                where e.batch_id = b.id and e.on_date <= :d) as steps
        from donation_batches b
        where (:library is null or b.library_id = :library)
          and (:start is null or :start <= (select min(e.on_date) from donation_batch_events e
                                            where e.batch_id = b.id and e.step = 'plan'))
          and (:end is null or (select min(e.on_date) from donation_batch_events e
                                where e.batch_id = b.id and e.step = 'plan') <= :end)
        """,
        {"d": as_of, "start": date_from, "end": date_to, "library": library.id if library else None},
    ).fetchall()
    result = []
    libraries: dict[int, Library] = {}
    for row in rows:
        if row["status"] is None or (status and row["status"] != status):
            continue
        lib = libraries.get(row["library_id"]) or library_by_id(conn, row["library_id"], as_of)
        libraries[row["library_id"]] = lib
        if province_id is not None:
            council = _council_then(conn, lib.council_id, province_day)
            if province_id not in (council.id, council.province_id):
                continue
        steps = dict(part.split("=") for part in (row["steps"] or "").split(",") if part)
        result.append({
            "batch": row["number"], "library": lib.name, "type": lib.type, "region": lib.region,
            "province": lib.province, "status": row["status"], "books": row["books"], "lines": row["lines"],
            "planned": steps.get("plan"), "packed": steps.get("pack"), "shipped": steps.get("ship"),
            "received": steps.get("receive"), "cancelled": steps.get("cancel"),
            "carrier": row["carrier"], "tracking": row["tracking"], "_order": (row["year"], row["seq"]),
        })
    result.sort(key=lambda r: r.pop("_order"))
    return result

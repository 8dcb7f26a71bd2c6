"""Book donations (도서 기증) to libraries in culturally marginalized regions: recipients, stock, batches.

Recipient libraries sit in a local government of the council registry, so their regions roll
up to basic and provincial level as of any date. Books set aside for donation come into a
stock (receipts) and leave it when drawn into a batch; a batch goes planned → packed →
shipped → received, or is cancelled, which returns its books to stock. Every function here
writes inside the caller's journaled command and knows nothing of the command line.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop import registry
from nalcoop.breakdown import Breakdown, Span, Statistic, check_by
from nalcoop.dates import period_key
from nalcoop.errors import NalcoopError, shortened
from nalcoop.names import nfc, trimmed
from nalcoop.registry import council_then as _council_then
from nalcoop.registry import region_of, resolve_region
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import Term, Vocabulary

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult

LIBRARY_TYPES = Vocabulary("library type", [
    Term("small", "작은도서관", "small library"),
    Term("school", "학교도서관", "school library"),
    Term("public", "공공도서관", "public library"),
    Term("military", "병영도서관", "military library"),
    Term("prison", "교정시설도서관", "prison library"),
    Term("other", "기타", "other"),
])
REASONS = Vocabulary("donation reason", [  # why a book was set aside for donation
    Term("duplicate", "중복", "duplicate", aliases=("복본",)),
    Term("non-registered", "등록제외", "non-registered", aliases=("등록제외자료",)),
    Term("purchased", "구입", "purchased"),
    Term("other", "기타", "other"),
])
STATUSES = Vocabulary("batch status", [
    Term("planned", "계획", "planned"),
    Term("packed", "포장", "packed"),
    Term("shipped", "발송", "shipped"),
    Term("received", "수령", "received"),
    Term("cancelled", "취소", "cancelled"),
])
STEPS = Vocabulary("batch step", [
    Term("plan", "계획", "plan"),
    Term("pack", "포장", "pack"),
    Term("ship", "발송", "ship"),
    Term("receive", "수령", "receive"),
    Term("cancel", "취소", "cancel"),
])
RECEIPT_SOURCES = Vocabulary("stock receipt source", [
    Term("add", "직접 입력", "added", "one by one"),
    Term("import", "파일 가져오기", "imported", "from a file"),
])
STOCK_MOVES = Vocabulary("stock move", [
    Term("draw", "출고", "drawn", "into a batch"),
    Term("return", "반환", "returned", "to stock"),
])
STATUS_AFTER = {"plan": "planned", "pack": "packed", "ship": "shipped", "receive": "received", "cancel": "cancelled"}
# The step each status allows next; cancelling is possible until the books leave the building.
NEXT_STEPS = {
    None: ("plan",),
    "planned": ("pack", "cancel"),
    "packed": ("ship", "cancel"),
    "shipped": ("receive",),
    "received": (),
    "cancelled": (),
}
STEP_WORDS = {"plan": "opened", "pack": "packed", "ship": "shipped", "receive": "received", "cancel": "cancelled"}
DEFAULT_TARGET = 500  # books per site, a warning above it (NALCOOP_DONATION_TARGET or --target)
STATS_DIMENSIONS = Vocabulary("donation statistics dimension", [
    Term("year", "연도", "year"), Term("month", "월", "month"), Term("province", "시·도", "province"),
    Term("region", "지역", "region"), Term("type", "유형", "type"), Term("reason", "사유", "reason"),
    Term("library", "도서관", "library"),
])


class DonationError(NalcoopError):
    pass


class LibraryNotFound(DonationError):
    pass


class AmbiguousLibrary(DonationError):
    pass


class StockShortage(DonationError):
    """Not enough copies in stock for a draw; the message gives both quantities."""


# ---------------------------------------------------------------- recipient libraries


@dataclass(frozen=True)
class Library:
    id: int
    name: str
    type: str
    council_id: int
    region: str  # the local government as it is called now: 전라남도 신안군
    province: str
    address: str | None
    contact: str | None
    recommended_by: str | None
    eligible: bool
    eligibility_note: str | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.region})"


def _regions_over_time(conn: sqlite3.Connection, council_id: int) -> set[str]:
    """Every way the region of a local government was written over time: '전라남도 신안군' until 2026-07-01,
    then '전남광주통합특별시 신안군'."""
    rows = conn.execute(
        """select v.level, v.gov, p.gov as province from council_versions v
           left join council_versions p on p.council_id = v.province_id
                and p.valid_from < coalesce(v.valid_to, '9999-12-31')
                and coalesce(p.valid_to, '9999-12-31') > v.valid_from
           where v.council_id = ?""", [council_id]).fetchall()
    return {row["gov"] if row["level"] == "provincial" else f"{row['province']} {row['gov']}" for row in rows}


def name_key(text: str) -> str:
    """How library names are compared: spacing, punctuation and case ignored."""
    # nfc: a name stored decomposed (typed on a Mac, by an earlier nalcoop) still matches
    return re.sub(r"[\s\-_.,·()'\"\[\]]+", "", nfc(str(text))).lower()


def _library(conn: sqlite3.Connection, row: sqlite3.Row, as_of: str | None = None) -> Library:
    council = _council_then(conn, row["council_id"], as_of)
    return Library(
        row["id"], row["name"], row["type"], row["council_id"], region_of(council), council.province,
        row["address"], row["contact"], row["recommended_by"], bool(row["eligible"]), row["eligibility_note"],
    )


def _check_type(library_type: str) -> str:
    if library_type not in LIBRARY_TYPES:
        raise DonationError(f"library type '{library_type}' is not one of {', '.join(LIBRARY_TYPES)}")
    return library_type


def add_library(
    conn: sqlite3.Connection,
    name: str,
    library_type: str,
    region: str,
    on_date: str,
    *,
    address: str | None = None,
    contact: str | None = None,
    recommended_by: str | None = None,
    eligible: bool = True,
    eligibility_note: str | None = None,
    province: str | None = None,
) -> Library:
    name = (name or "").strip()
    if not name_key(name):
        raise DonationError("a library needs a name")
    council = resolve_region(conn, region, on_date, province=province)
    address, contact, recommended_by, eligibility_note = (
        _trimmed(value) for value in (address, contact, recommended_by, eligibility_note))
    existing = conn.execute(
        "select * from donation_libraries where name_key = ? and council_id = ?", [name_key(name), council.id]
    ).fetchone()
    if existing is not None:
        raise DonationError(
            f"{_library(conn, existing).label} is already registered; change it with `nalcoop donate library edit`"
        )
    cursor = conn.execute(
        """insert into donation_libraries (name, name_key, type, council_id, address, contact, recommended_by,
           eligible, eligibility_note) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [name, name_key(name), _check_type(library_type), council.id, address, contact, recommended_by,
         int(eligible), eligibility_note],
    )
    return library_by_id(conn, cursor.lastrowid)


_trimmed = trimmed


def library_by_id(conn: sqlite3.Connection, library_id: int, as_of: str | None = None) -> Library:
    return _library(conn, conn.execute("select * from donation_libraries where id = ?", [library_id]).fetchone(),
                    as_of)


EDITABLE = ("name", "type", "region", "address", "contact", "recommended_by", "eligible", "eligibility_note")


def edit_library(conn: sqlite3.Connection, library: Library, on_date: str, **changes: object) -> Library:
    """Change the fields given (None leaves a field as it is; '' clears a text field)."""
    values: dict[str, object] = {}
    for key, value in changes.items():
        if key not in EDITABLE:
            raise ValueError(key)
        if value is None:
            continue
        if key == "name":
            if not name_key(str(value)):
                raise DonationError("a library needs a name")
            values["name"], values["name_key"] = str(value).strip(), name_key(str(value))
        elif key == "type":
            values["type"] = _check_type(str(value))
        elif key == "region":
            values["council_id"] = resolve_region(conn, str(value), on_date).id
        elif key == "eligible":
            values["eligible"] = int(bool(value))
        else:
            values[key] = _trimmed(value)
    if not values:
        raise DonationError("nothing to change; give at least one option (see --help)")
    clash = conn.execute(
        "select id from donation_libraries where name_key = ? and council_id = ? and id <> ?",
        [values.get("name_key", name_key(library.name)), values.get("council_id", library.council_id), library.id],
    ).fetchone()
    if clash:
        raise DonationError(f"{library_by_id(conn, clash[0]).label} already exists; choose another name")
    assignments = ", ".join(f"{key} = ?" for key in values)
    conn.execute(f"update donation_libraries set {assignments} where id = ?", [*values.values(), library.id])
    return library_by_id(conn, library.id)


def resolve_library(conn: sqlite3.Connection, text: str) -> Library:
    """A recipient library from its name, a unique part of it, or 'name (region)' as listed.

    Like council names: a name shared by several libraries, or a part matching several, is
    refused with every candidate; an unknown name is refused with the closest names.
    """
    query = str(text or "").strip()
    key = name_key(query)
    if not key:
        raise LibraryNotFound("a library name is empty; give its name, such as 해바라기작은도서관")
    rows = conn.execute("select * from donation_libraries order by name, id").fetchall()
    if not rows:
        raise LibraryNotFound(
            f"no library is called '{text}': no recipient library is registered yet; "
            "add one with `nalcoop donate library add`"
        )
    libraries = [_library(conn, row) for row in rows]
    for matches in (
        # As listed, or with a region its local government had before (전라남도 신안군 until 2026-07-01).
        [lib for lib in libraries if name_key(lib.label) == key
         or key in {name_key(f"{lib.name} ({region})") for region in _regions_over_time(conn, lib.council_id)}],
        [lib for lib in libraries if name_key(lib.name) == key],
        [lib for lib in libraries if key in name_key(lib.name)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise AmbiguousLibrary(
                f"'{shortened(query)}' matches {len(matches)} libraries: "
                f"{'; '.join(lib.label for lib in matches)}. Give the name as listed, with its region in brackets"
            )
    from rapidfuzz import fuzz, process

    names = {lib.label: lib for lib in libraries}
    # A text of more than 100 letters is no typo of a name, and fuzzy matching it is slow.
    close = process.extract(query, list(names), scorer=fuzz.WRatio, limit=3, score_cutoff=60) if len(key) <= 100 else []
    hint = f"; did you mean {', '.join(name for name, _score, _ in close)}?" if close else ""
    raise LibraryNotFound(
        f"no library is called '{shortened(query)}'{hint} (`nalcoop donate library list` lists them)"
    )


def library_rows(
    conn: sqlite3.Connection,
    as_of: str,
    *,
    library_type: str | None = None,
    province: str | None = None,
    eligible: bool | None = None,
) -> list[dict]:
    """The recipient libraries with their region as it stood on `as_of`, by province, region and name."""
    province_id = registry.resolve_province(conn, province, as_of).id if province else None  # the province of that day
    rows = []
    for row in conn.execute("select * from donation_libraries"):
        if library_type and row["type"] != library_type:
            continue
        if eligible is not None and bool(row["eligible"]) != eligible:
            continue
        council = _council_then(conn, row["council_id"], as_of)
        if province_id is not None and province_id not in (council.id, council.province_id):
            continue
        library = _library(conn, row, as_of)
        rows.append({
            "name": library.name, "type": library.type, "region": library.region, "province": library.province,
            "code": council.code, "address": library.address, "contact": library.contact,
            "recommended_by": library.recommended_by, "eligible": "yes" if library.eligible else "no",
            "eligibility_note": library.eligibility_note,
            "batches": conn.execute("select count(*) from donation_batches where library_id = ? and status <> "
                                    "'cancelled'", [row["id"]]).fetchone()[0],
        })
    rows.sort(key=lambda r: (r["province"], r["region"], r["name"]))
    return rows


def import_libraries(conn: sqlite3.Connection, path: str | Path | ReadResult, on_date: str, *,
                     sheet: str | None = None,
                     column_map: str | Path = "donation_libraries") -> importer.ImportCounts:
    """A list of recipient libraries: new ones added, known ones (same name and region) updated.

    All rows or none: RowsRejected names every bad row. Importing the same list again changes nothing.
    """
    from nalcoop.importer import ImportCounts, RowsRejected, as_table
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    for source in track(table.rows, f"importing {table.file}"):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            council = resolve_region(conn, values["region"], on_date, province=values.get("province"))
        except NalcoopError as exc:
            problems.append(source.problem(table.file, "region", str(exc)))
            continue
        fields = {"address": values.get("address"), "contact": values.get("contact"),
                  "recommended_by": values.get("recommended_by"),
                  "eligibility_note": values.get("eligibility_note")}
        eligible = values.get("eligible") != "no"
        existing = conn.execute("select * from donation_libraries where name_key = ? and council_id = ?",
                                [name_key(values["name"]), council.id]).fetchone()
        if existing is None:
            library = add_library(conn, values["name"], values["type"], values["region"], on_date,
                                  eligible=eligible, province=values.get("province"), **fields)
            counts.outcomes["created"] += 1
            counts.details.append(f"row {source.row}: {library.label} — created")
            continue
        wanted = {"type": values["type"], "eligible": int(eligible), **fields}
        if values.get("eligible") is None:
            wanted.pop("eligible")  # a list without the column leaves the flag as it is
        changed = {key: value for key, value in wanted.items() if value is not None and existing[key] != value}
        if not changed:
            counts.outcomes["unchanged"] += 1
            continue
        library = edit_library(conn, _library(conn, existing), on_date, **changed)
        counts.outcomes["changed"] += 1
        counts.details.append(f"row {source.row}: {library.label} — changed ({', '.join(changed)})")
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


# ---------------------------------------------------------------- items


@dataclass(frozen=True)
class Item:
    """A book by ISBN-13 (or by title when it has none), with a reason, a condition and a quantity."""

    isbn: str | None
    title: str | None
    reason: str | None
    condition: str | None
    qty: int
    author: str | None = None
    publisher: str | None = None

    @property
    def key(self) -> str:
        return item_key(self.isbn, self.title)

    @property
    def label(self) -> str:
        if self.isbn and self.title:
            return f"{self.isbn} '{self.title}'"
        return self.isbn or f"'{self.title}'"


def item_key(isbn: str | None, title: str | None) -> str:
    """Books are the same when their ISBN-13 is; books without one, when their title is."""
    return isbn if isbn else "title:" + name_key(title or "")


def make_item(isbn: object, title: object, qty: object, reason: str | None = None,
              condition: str | None = None, *, author: str | None = None, publisher: str | None = None) -> Item:
    """Validate what a librarian typed into an Item, or raise DonationError saying why."""
    from nalcoop.identifiers import IdentifierError, normalize_isbn
    from nalcoop.importer import COPY_COUNTERS, whole_number

    number = None
    if isbn not in (None, ""):
        try:
            number = normalize_isbn(isbn)
        except IdentifierError as exc:
            raise DonationError(str(exc)) from None
    text = str(title).strip() if title not in (None, "") else None
    if number is None and not (text and name_key(text)):
        raise DonationError("a book needs an ISBN or, when it has none, a title")
    try:
        count = whole_number(qty, 1, COPY_COUNTERS, "quantity of books")
    except ValueError as exc:
        raise DonationError(f"quantity: {exc}") from None
    if reason is not None and reason not in REASONS:
        raise DonationError(f"reason '{reason}' is not one of {', '.join(REASONS)}")
    return Item(number, text, reason, (condition or "").strip() or None, count, (author or "").strip() or None,
                (publisher or "").strip() or None)


# ---------------------------------------------------------------- stock


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
            raise DonationError(f"{item.label}: a book in stock needs a reason ({', '.join(REASONS)})")
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


@dataclass
class StockImportReport:
    file: str
    sheet: str | None
    header_row: int
    lines: int
    books: int
    by_reason: dict[str, int]
    ignored_headers: list[str]
    receipt_id: int | None = None
    already: dict | None = None  # the earlier receipt of the same list
    timings: dict[str, float] = field(default_factory=dict)


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
    for source in track(table.rows, f"importing {table.file}"):
        values = source.values
        if (source.sheet, source.row) in bad_rows:
            continue
        reason = values.get("reason") or default_reason
        if reason is None:
            problems.append(source.problem(table.file, "reason", "the reason is empty; fill in 사유 "
                                           f"({', '.join(REASONS)}) or give --reason"))
            continue
        isbn, title = values.get("isbn"), values.get("title")
        if isbn is None and not (title and name_key(title)):
            problems.append(source.problem(table.file, "title", "the row has neither an ISBN nor a title"))
            continue
        if not title:
            titles = known_titles(conn) if titles is None else titles
            title = titles.get(isbn)
            if title is None:
                problems.append(source.problem(table.file, "title", f"the book {isbn} has no title, and the ledger "
                                               "knows none for its ISBN; fill in its title (서명) so the packing list "
                                               "names it"))
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
        raise DonationError(f"{table.file}: the list has a header but no books; there is nothing to import")
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


# ---------------------------------------------------------------- batches


def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:03d}"


def find_batch(conn: sqlite3.Connection, number: str) -> sqlite3.Row:
    """A batch by its number: 2024-007 (2024-7 is read the same)."""
    match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{1,4})\s*", str(number or ""))
    if not match:
        raise DonationError(f"'{number}' is not a batch number; batch numbers look like 2024-007")
    row = conn.execute("select * from donation_batches where year = ? and seq = ?",
                       [int(match.group(1)), int(match.group(2))]).fetchone()
    if row is None:
        raise DonationError(f"there is no batch {format_number(int(match.group(1)), int(match.group(2)))}; "
                            "`nalcoop donate list` shows the batches")
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


@dataclass(frozen=True)
class Added:
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
        raise DonationError(f"{library.label} is marked not eligible for donations{why}; "
                            "`nalcoop donate library edit --eligible` changes that")


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
        raise DonationError(f"{on_date} is before batch {batch['number']} was opened "
                            f"({_last_event(conn, batch['id'])['on_date']}); give a later --date")
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
    for source in track(table.rows, f"adding {table.file}"):
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
        raise DonationError(f"{table.file}: the list has a header but no books; there is nothing to add")
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
        raise StockShortage(
            f"{item.label} is not in stock; add it with `nalcoop donate stock add`, or pass --outside-stock "
            "for a newly bought book"
        )
    if len(held) > 1:
        raise DonationError(f"{item.label} is in stock as {_quantities(held)}; give --reason to say which")
    reason, have = next(iter(held.items()))
    if have < item.qty:
        raise StockShortage(_short_of(item, have, reason))
    return reason


def _short_of(item: Item, have: int, reason: str) -> str:
    copies = "copy" if have == 1 else "copies"
    return (f"stock holds {have} {copies} of {item.label} ({reason}); cannot draw {item.qty}. "
            f"Draw {have} at most, or add the other {item.qty - have} with --outside-stock if they are newly bought")


def _quantities(held: dict[str, int]) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in sorted(held.items(), key=lambda kv: REASONS.index(kv[0])))


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
        raise DonationError(f"{on_date} is earlier than the last step of batch {batch['number']} "
                            f"({STEP_WORDS[last['step']]} on {last['on_date']}); steps are recorded in date order")
    if step == "pack" and batch["books"] == 0:
        raise DonationError(f"batch {batch['number']} holds no books yet; add some with `nalcoop donate add`")
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
    since = f"{STEP_WORDS[last['step']]} on {last['on_date']}"
    if status == "cancelled":
        return f"batch {number} was cancelled ({since}); a cancelled batch cannot be {STEP_WORDS[step]}"
    if status == "received":
        return f"batch {number} was already received ({since}); nothing follows that"
    if step == "cancel":
        return f"batch {number} was already shipped ({since}); a shipped batch cannot be cancelled"
    if step == "ship" and status == "planned":
        return (f"batch {number} cannot be shipped: it was never packed (status planned, {since}); "
                f"pack it first with `nalcoop donate pack {number}`")
    if step == "receive" and status in ("planned", "packed"):
        return f"batch {number} cannot be received: it was never shipped (status {status}, {since})"
    return f"batch {number} is already {status} ({since}); it cannot be {STEP_WORDS[step]} again"


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
    """The lines of a batch, numbered, in title order (Hangul in 가나다 order), with what stock gave."""
    rows = conn.execute(
        """select i.*, -coalesce((select sum(m.qty) from donation_stock_moves m
                                   where m.batch_item_id = i.id and m.kind = 'draw'), 0) as from_stock
           from donation_batch_items i where batch_id = ?""",
        [batch_id],
    ).fetchall()
    lines = []
    for row in rows:
        details = stock_details(conn, row["item_key"])  # what stock says of the book, for lines added before
        lines.append({"isbn": row["isbn"], "title": row["title"] or details.get("title"),
                      "author": details.get("author"), "publisher": details.get("publisher"),
                      "reason": row["reason"], "condition": row["condition"] or details.get("condition"),
                      "qty": row["qty"], "from_stock": row["from_stock"]})
    lines.sort(key=lambda r: (r["title"] or "\uffff", r["isbn"] or "", REASONS.index(r["reason"])))
    return [{"no": number, **line} for number, line in enumerate(lines, start=1)]


def batch_timeline(conn: sqlite3.Connection, batch_id: int) -> list[dict]:
    return [
        {"date": row["on_date"], "step": row["step"], "status": row["status_after"], "detail": row["detail"]}
        for row in conn.execute("select * from donation_batch_events where batch_id = ? order by on_date, id",
                                [batch_id])
    ]


@dataclass(frozen=True)
class BatchSummary:
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
        return (f"batch {self.number} → {self.library.label}: {self.status} since {since} · "
                f"{self.lines} line{'s' if self.lines != 1 else ''}, {self.books} book{'s' if self.books != 1 else ''}")


def batch_summary(conn: sqlite3.Connection, batch: sqlite3.Row) -> BatchSummary:
    dates = {row["step"]: row["on_date"] for row in conn.execute(
        "select step, on_date from donation_batch_events where batch_id = ? order by on_date, id", [batch["id"]])}
    lines = conn.execute("select count(*) from donation_batch_items where batch_id = ?", [batch["id"]]).fetchone()[0]
    return BatchSummary(batch["number"], batch["status"], library_by_id(conn, batch["library_id"]), batch["books"],
                        lines, dates, batch["carrier"], batch["tracking"])


def batch_rows(conn: sqlite3.Connection, as_of: str, *, year: int | None = None, province: str | None = None,
               status: str | None = None, library: Library | None = None) -> list[dict]:
    """Each batch opened by the end of `as_of`, with its status then and its region as it stood then."""
    if status is not None and status not in STATUSES:
        raise DonationError(f"unknown status '{status}'; choose one of {', '.join(STATUSES)}")
    province_id = registry.resolve_province(conn, province, as_of).id if province else None  # the province of that day
    rows = conn.execute(
        """
        select b.id, b.number, b.year, b.seq, b.books, b.library_id, b.carrier, b.tracking,
               (select e.status_after from donation_batch_events e where e.batch_id = b.id and e.on_date <= :d
                order by e.on_date desc, e.id desc limit 1) as status,
               (select count(*) from donation_batch_items i where i.batch_id = b.id) as lines,
               (select group_concat(step || '=' || on_date) from donation_batch_events e
                where e.batch_id = b.id and e.on_date <= :d) as steps
        from donation_batches b
        where (:year is null or b.year = :year) and (:library is null or b.library_id = :library)
        """,
        {"d": as_of, "year": year, "library": library.id if library else None},
    ).fetchall()
    result = []
    libraries: dict[int, Library] = {}
    for row in rows:
        if row["status"] is None or (status and row["status"] != status):
            continue
        lib = libraries.get(row["library_id"]) or library_by_id(conn, row["library_id"], as_of)
        libraries[row["library_id"]] = lib
        council = _council_then(conn, lib.council_id, as_of)
        if province_id is not None and province_id not in (council.id, council.province_id):
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


# ---------------------------------------------------------------- statistics

SHIPPED = Statistic(
    "donations",
    (Column("by"), Column("group"), Column("batches", kind="int"), Column("books", kind="int"),
     Column("sites", kind="int"), Column("from", kind="date"), Column("to", kind="date")),
    STATS_DIMENSIONS, measure="books", noun="donations", title="books donated (batches shipped) {span}, by {by}")
STATISTICS = (SHIPPED,)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """The batches shipped in the span (for a day: from the beginning to its end), grouped by `by`."""
    return Breakdown.of_rows(SHIPPED, by, stats_period(conn, by, span.start, span.end))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """Books, batches and sites donated in the period (the overview's figures)."""
    total = figures(stats, "year", Span(period.start, period.end)).total
    return [(measure, "all", total[measure], False) for measure in ("books", "batches", "sites")]


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheet: the batches shipped in the period by province and by type of library."""
    start, end, year = period.start, period.end, period.start[:4]
    span = Span(start, end)
    shipped = figures(stats, "province", span).rows() + figures(stats, "type", span).groups
    return [SheetSpec("Donations", f"Book donations, {year} (도서 기증)",
                      f"Batches shipped {start} – {end}, by province (regions as they stood on {end}) and by type "
                      "of library", shipped, list(SHIPPED.columns),
                      ChartSpec(f"Books donated per province, {year}", ("by", "province"), "group", "books",
                                horizontal=True))]



def stats_period(conn: sqlite3.Connection, by: str, date_from: str, date_to: str) -> list[dict]:
    """Books, batches and distinct sites of the batches shipped between two days (both inclusive).

    "As of D" is the period from the beginning to D. Regions are grouped as they stood on the
    last day of the period, so a library in 군위군 counts in 대구 from 2023-07-01 on.
    """
    check_by(SHIPPED, by, DonationError)
    shipped = conn.execute(
        """
        select b.id as batch_id, b.library_id, e.on_date as shipped_on, i.reason, sum(i.qty) as books
        from donation_batches b
        join donation_batch_events e on e.batch_id = b.id and e.step = 'ship'
        join donation_batch_items i on i.batch_id = b.id
        where e.on_date between ? and ?
        group by b.id, i.reason
        """,
        [date_from, date_to],
    ).fetchall()
    libraries: dict[int, Library] = {}
    codes: dict[int, tuple] = {}
    for library_id in {row["library_id"] for row in shipped}:
        libraries[library_id] = library_by_id(conn, library_id, date_to)
        council = _council_then(conn, libraries[library_id].council_id, date_to)
        province = _council_then(conn, council.province_id, date_to) if council.province_id else council
        codes[library_id] = (province.code or "", council.code or "")

    def group_of(row) -> tuple[tuple, str]:
        lib = libraries[row["library_id"]]
        if by in ("year", "month"):
            key = period_key(row["shipped_on"], by)
            return (key,), key
        if by == "province":
            return (codes[lib.id][0],), lib.province
        if by == "region":
            return codes[lib.id], lib.region
        if by == "type":
            return (LIBRARY_TYPES.index(lib.type),), lib.type
        if by == "reason":
            return (REASONS.index(row["reason"]),), row["reason"]
        return (lib.name, lib.id), lib.label

    groups: dict[tuple, dict] = {}
    total = {"group": "total", "batches": set(), "books": 0, "sites": set()}
    for row in shipped:
        order, label = group_of(row)
        bucket = groups.setdefault(order, {"group": label, "batches": set(), "books": 0, "sites": set()})
        for target in (bucket, total):
            target["batches"].add(row["batch_id"])
            target["books"] += row["books"]
            target["sites"].add(row["library_id"])
    result = []
    for bucket in [total, *(groups[key] for key in sorted(groups))]:
        result.append({"by": "total" if bucket is total else by, "group": bucket["group"],
                       "batches": len(bucket["batches"]), "books": bucket["books"], "sites": len(bucket["sites"]),
                       "from": date_from if date_from != registry.BEGINNING else None, "to": date_to})
    return result


# ---------------------------------------------------------------- invariants (for `nalcoop check`)


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """One sentence per violated rule of the donation records; an empty list when all hold."""
    problems: list[str] = []
    problems += _stock_problems(conn)
    problems += _batch_problems(conn)
    return problems


def _stock_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for key, reason, total in conn.execute(
        "select item_key, reason, sum(qty) from donation_stock_entries group by item_key, reason having sum(qty) < 0"
    ):
        problems.append(f"stock of {key} ({reason}) is {total}: more copies were drawn than were received")
    for receipt_id, expected, expected_books, count, books in conn.execute(
        """select r.id, r.line_count, r.books, count(l.line), coalesce(sum(l.qty), 0)
           from donation_stock_receipts r left join donation_stock_lines l on l.receipt_id = r.id
           group by r.id having count(l.line) <> r.line_count or coalesce(sum(l.qty), 0) <> r.books
               or r.line_count <> json_array_length(r.lines)"""
    ):
        problems.append(f"stock receipt {receipt_id} records {expected} lines and {expected_books} books, "
                        f"but its indexed lines hold {count} lines and {books} books")
    for (receipt_id,) in conn.execute(
        "select distinct receipt_id from donation_stock_lines where receipt_id not in "
        "(select id from donation_stock_receipts)"
    ):
        problems.append(f"stock lines remain of receipt {receipt_id}, which no longer exists")
    for receipt_id, line, qty, reason in conn.execute(
        "select receipt_id, line, qty, reason from donation_stock_lines where qty < 1 or reason not in "
        f"({', '.join(repr(r) for r in REASONS)}) or qty is null"
    ):
        problems.append(f"stock receipt {receipt_id}, line {line + 1}: quantity {qty} and reason {reason!r} "
                        "(quantities are whole numbers of 1 or more, reasons one of " + ", ".join(REASONS) + ")")
    for move_id, move_key, move_reason, line_key, line_reason in conn.execute(
        """select m.id, m.item_key, m.reason, i.item_key, i.reason from donation_stock_moves m
           join donation_batch_items i on i.id = m.batch_item_id
           where m.item_key <> i.item_key or m.reason <> i.reason"""
    ):
        problems.append(f"stock move {move_id} is for {move_key} ({move_reason}) but its batch line is "
                        f"{line_key} ({line_reason})")
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
            problems.append(f"batch {number} is numbered {batch['year']}-{batch['seq']}")
        status = None
        for event in events.get(batch["id"], []):
            if event["step"] not in NEXT_STEPS.get(status, ()):
                problems.append(f"batch {number}: step {event['step']} on {event['on_date']} follows status "
                                f"{status or 'none'}; the steps go planned → packed → shipped → received, "
                                "or cancelled before shipping")
            if event["status_after"] != STATUS_AFTER.get(event["step"]):
                problems.append(f"batch {number}: step {event['step']} on {event['on_date']} records status "
                                f"{event['status_after']}")
            status = STATUS_AFTER.get(event["step"], status)
        if status != batch["status"]:
            problems.append(f"batch {number} has status {batch['status']}, but its steps end at {status or 'none'}")
    for number, books, counted in conn.execute(
        """select b.number, b.books, coalesce(sum(i.qty), 0) from donation_batches b
           left join donation_batch_items i on i.batch_id = b.id group by b.id
           having b.books <> coalesce(sum(i.qty), 0)"""
    ):
        problems.append(f"batch {number} records {books} books, but its lines hold {counted}")
    for number, line_id, qty in conn.execute(
        "select b.number, i.id, i.qty from donation_batch_items i join donation_batches b on b.id = i.batch_id "
        "where i.qty is null or i.qty < 1"
    ):
        problems.append(f"batch {number}, line {line_id}: quantity {qty} (quantities are 1 or more)")
    for number, status, line_id, qty, drawn, net in conn.execute(
        """select b.number, b.status, i.id, i.qty,
                  -coalesce(sum(case when m.kind = 'draw' then m.qty end), 0),
                  coalesce(sum(m.qty), 0)
           from donation_batch_items i join donation_batches b on b.id = i.batch_id
           left join donation_stock_moves m on m.batch_item_id = i.id
           group by i.id"""
    ):
        if drawn > qty:
            problems.append(f"batch {number}, line {line_id}: {drawn} copies drawn from stock for a line of {qty}")
        if status == "cancelled" and net != 0:
            problems.append(f"batch {number} is cancelled but line {line_id} has {-net} copies not returned to stock")
        if status != "cancelled" and net != -drawn:
            problems.append(f"batch {number} ({status}) has copies returned to stock on line {line_id}")
    return problems


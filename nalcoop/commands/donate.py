"""`nalcoop donate`: book donations to small, school, public, military and prison libraries."""

from pathlib import Path
from typing import Annotated

import typer

from nalcoop.commands.common import (
    AsOfOpt,
    DryRunOpt,
    FormatOpt,
    FromOpt,
    OutputOpt,
    SheetOpt,
    ToOpt,
    YearOpt,
    as_of_value,
    choice,
    copies_option,
    date_option,
    date_value,
    emit,
    import_option,
    journaled,
    need,
    need_choice,
    open_ledger,
    period_of,
    print_header_note,
    report_import,
    run_import,
    say,
    state,
)
from nalcoop.dates import today
from nalcoop.donations import LIBRARY_TYPES, REASONS
from nalcoop.donations import STATUSES as BATCH_STATUSES
from nalcoop.donations import STEPS as BATCH_STEPS
from nalcoop.i18n import _, current, ngettext
from nalcoop.render import Column
from nalcoop.vocabulary import ANSWERS

app = typer.Typer(
    no_args_is_help=True,
    help="Book donations (도서 기증): recipient libraries, the stock of books set aside, and batches "
    "planned → packed → shipped → received.\n\n"
    "Example: nalcoop donate add --library 해바라기작은도서관 --isbn 978-89-374-6044-9 --copies 3",
)
library_app = typer.Typer(
    no_args_is_help=True,
    help="Recipient libraries: name, type, region (a local government of the council registry), contact.\n\n"
    "Example: nalcoop donate library add 해바라기작은도서관 --type small --region '전라남도 신안군'",
)
stock_app = typer.Typer(
    no_args_is_help=True,
    help="The stock of books set aside for donation (duplicates, non-registered materials, purchases).\n\n"
    "Example: nalcoop donate stock import duplicates-2024-03.xlsx",
)
batch_app = typer.Typer(
    no_args_is_help=True,
    help="Donation batches: one per recipient per shipment, numbered by year (2024-007).\n\n"
    "Example: nalcoop donate batch show 2024-007",
)
app.add_typer(library_app, name="library")
app.add_typer(stock_app, name="stock")
app.add_typer(batch_app, name="batch")


LibraryType = choice(LIBRARY_TYPES)
ReasonType = choice(REASONS)
DATE_FORMS = "2024-05-08, 2024. 5. 8., 2024년 5월 8일 or 20240508"
BatchArg = Annotated[str, typer.Argument(metavar="BATCH", help="The batch number, such as 2024-007.")]
StepDateOpt = Annotated[str | None, date_option("--date", "-d", help=f"The day of the step ({DATE_FORMS}).")]
DayOpt = Annotated[str | None, date_option("--date", "-d", help=f"The day ({DATE_FORMS}). Default: today.")]
ReasonOpt = Annotated[str | None, typer.Option("--reason", click_type=ReasonType, help=REASONS.help(),
                                               show_default=False)]
IsbnOpt = Annotated[str | None, typer.Option("--isbn", help="ISBN-10 or ISBN-13, hyphens allowed; stored as "
                                             "ISBN-13.", show_default=False)]
TitleOpt = Annotated[str | None, typer.Option("--title", help="The title (needed when the book has no ISBN).",
                                              show_default=False)]
CopiesOpt = Annotated[str | None, copies_option("How many copies: a whole number, 1 or more.")]
ConditionOpt = Annotated[str | None, typer.Option("--condition", help="The books' condition (new, good, worn ...).",
                                                  show_default=False)]
ProvinceOpt = Annotated[str | None, typer.Option("--province", help="A province or metropolitan city: 전라남도, "
                                                 "전남, 경기 ...")]

LIBRARY_COLUMNS = [
    Column("name", "library", ko="도서관명"), Column("type", ko="유형", terms=LIBRARY_TYPES),
    Column("region", ko="지역"),
    Column("province", ko="시도"), Column("code", kind="code", ko="코드"),
    Column("address", ko="주소"), Column("contact", ko="연락처"),
    Column("recommended_by", "recommended by", ko="추천의원"),
    Column("eligible", ko="지원대상", terms=ANSWERS),
    Column("eligibility_note", "eligibility note", ko="적격 사유"), Column("batches", kind="int", ko="기증 건수"),
]
ITEM_COLUMNS = [
    Column("no", kind="int", ko="번호"), Column("isbn", "ISBN", kind="code", ko="ISBN"), Column("title", ko="서명"),
    Column("author", ko="저자"),
    Column("publisher", ko="출판사"), Column("reason", ko="사유", terms=REASONS), Column("condition", ko="상태"),
    Column("qty", kind="int", ko="수량"),
]


def _title_of(ctx: typer.Context, isbn: str) -> str:
    """The title of a book given by ISBN alone: the one the ledger knows, else asked for at a terminal (refused in
    a script), so that the packing list never shows a bare ISBN."""
    from nalcoop import donations

    known = donations.known_titles(open_ledger(ctx).conn, {isbn}).get(isbn)
    return known or need(None, "--title", _("Title of {isbn} (the ledger knows none yet)").format(isbn=isbn))


def _day(value: str | None) -> str:
    return date_value(value, "--date") or today().isoformat()


def _step_day(value: str | None) -> str:
    return date_value(need(value, "--date", _("Date of the step")), "--date")


# ---------------------------------------------------------------- libraries


@library_app.command("add")
def library_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The library's name, such as 해바라기작은도서관.")],
    library_type: Annotated[str | None, typer.Option("--type", click_type=LibraryType, help=LIBRARY_TYPES.help(),
                                                     show_default=False)] = None,
    region: Annotated[str | None, typer.Option("--region", help="The local government it sits in: "
                      "'전라남도 신안군', '신안군', '세종' (resolved in the council registry).",
                      show_default=False)] = None,
    address: Annotated[str | None, typer.Option("--address", help="Postal address for shipments.")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Contact person and telephone.")] = None,
    recommended_by: Annotated[str | None, typer.Option("--recommended-by", help="Who recommended it (often a "
                              "member of the National Assembly).")] = None,
    eligible: Annotated[bool, typer.Option("--eligible/--not-eligible", help="Whether it may receive books.")] = True,
    eligibility_note: Annotated[str | None, typer.Option("--eligibility-note", help="Why it is (not) eligible.")]
    = None,
) -> None:
    """Register a recipient library in its region (a local government as of today).

    Example: nalcoop donate library add 해바라기작은도서관 --type small --region '전라남도 신안군'
    --address '전라남도 신안군 지도읍 ...' --contact '김사서 061-000-0000' --recommended-by '○○○ 의원'
    """
    from nalcoop import donations

    chosen = need_choice(library_type, "--type", _("Library type"), LIBRARY_TYPES)
    where = need(region, "--region", _("Region (local government, such as 전라남도 신안군)"))
    with journaled(ctx) as conn:
        library = donations.add_library(
            conn, name, chosen, where, today().isoformat(), address=address, contact=contact,
            recommended_by=recommended_by, eligible=eligible, eligibility_note=eligibility_note,
        )
    if library.eligible:
        say(_("registered {library}, a {type} library").format(library=library.label,
                                                              type=LIBRARY_TYPES.said(library.type)))
    else:
        say(_("registered {library}, a {type} library (not eligible)").format(library=library.label,
                                                                             type=LIBRARY_TYPES.said(library.type)))


@library_app.command("edit")
def library_edit(
    ctx: typer.Context,
    library: Annotated[str, typer.Argument(metavar="LIBRARY", help="The library's name as listed.")],
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    library_type: Annotated[str | None, typer.Option("--type", click_type=LibraryType, help="A new type.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="A new region (local government).")] = None,
    address: Annotated[str | None, typer.Option("--address", help="A new address ('' clears it).")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="A new contact ('' clears it).")] = None,
    recommended_by: Annotated[str | None, typer.Option("--recommended-by", help="Who recommended it.")] = None,
    eligible: Annotated[bool | None, typer.Option("--eligible/--not-eligible", help="Change the eligibility flag.",
                                                  show_default=False)] = None,
    eligibility_note: Annotated[str | None, typer.Option("--eligibility-note", help="Why it is (not) eligible.")]
    = None,
) -> None:
    """Change a recipient library's details; the journal keeps the old ones.

    Example: nalcoop donate library edit 해바라기작은도서관 --not-eligible --eligibility-note '2025년 폐관'
    """
    from nalcoop import donations

    with journaled(ctx) as conn:
        found = donations.resolve_library(conn, library)
        changed = donations.edit_library(
            conn, found, today().isoformat(), name=name, type=library_type,
            region=region, address=address, contact=contact, recommended_by=recommended_by, eligible=eligible,
            eligibility_note=eligibility_note,
        )
    say(_("updated {library}").format(library=changed.label))


@library_app.command("list")
def library_list(
    ctx: typer.Context,
    library_type: Annotated[str | None, typer.Option("--type", click_type=LibraryType,
                                                     help="Only libraries of this type.")] = None,
    province: ProvinceOpt = None,
    eligible: Annotated[bool | None, typer.Option("--eligible/--not-eligible", help="Only (not) eligible ones.",
                                                  show_default=False)] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The recipient libraries with their region as it stood at the end of a day, by province.

    Example: nalcoop donate library list --province 광주특별시 --type small
    """
    from nalcoop import donations

    day = as_of_value(as_of)
    ledger = open_ledger(ctx)
    rows = donations.library_rows(ledger.conn, day, library_type=library_type,
                                  province=province, eligible=eligible)
    emit(ctx, rows, LIBRARY_COLUMNS, fmt=fmt, output=output,
         title=_("recipient libraries as of {day}: {count}").format(day=day, count=len(rows)))


@library_app.command("import")
def library_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An xlsx, xls, ods or csv file (UTF-8 or CP949).")],
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="A YAML column map for other layouts (copy "
                          "nalcoop/data/maps/donation_libraries.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Import a list of recipient libraries: all rows or none, safe to re-run (known ones are updated).

    Headers such as 도서관명, 유형, 시도, 지역, 주소, 연락처, 추천, 지원대상 are recognised.
    Example: nalcoop donate library import recipients-2024.xlsx --dry-run
    """
    from nalcoop import donations
    from nalcoop.importer import load_map, read_table

    table = read_table(file, load_map(column_map or "donation_libraries", like="donation_libraries"), sheet=sheet)
    counts = run_import(ctx, table, lambda conn, rows: donations.import_libraries(conn, rows, today().isoformat()),
                        dry_run=dry_run)
    report_import(ctx, table, counts, dry_run=dry_run)


# ---------------------------------------------------------------- stock


@stock_app.command("add")
def stock_add(
    ctx: typer.Context,
    isbn: IsbnOpt = None,
    title: TitleOpt = None,
    qty: CopiesOpt = None,
    reason: ReasonOpt = None,
    condition: ConditionOpt = None,
    author: Annotated[str | None, typer.Option("--author", help="The author, for the packing list.")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="The publisher, for the packing list.")]
    = None,
    date: DayOpt = None,
) -> None:
    """Set copies of one book aside for donation.

    A book needs a title, so that the packing list names it: without --title, the title the ledger already
    knows for the ISBN is taken; if it knows none, the title is asked for at a terminal and refused in a script.
    Example: nalcoop donate stock add --isbn 978-89-374-6044-9 --title 데미안 --copies 12 --reason duplicate
    --condition good
    """
    from nalcoop import donations

    count = need(qty, "--copies", _("How many copies"))
    why = need_choice(reason, "--reason", _("Reason"), REASONS)
    item = donations.make_item(isbn, title, count, why, condition, author=author, publisher=publisher)
    if item.title is None:
        item = donations.make_item(item.isbn, _title_of(ctx, item.isbn), item.qty, why, condition, author=author,
                                   publisher=publisher)
    day = _day(date)
    with journaled(ctx) as conn:
        donations.add_stock(conn, [item], day)
        held = donations.on_hand(conn, item.key).get(item.reason, 0)
    say(_("stock: +{qty} × {book} ({reason}); {held} on hand").format(qty=item.qty, book=item.label,
                                                                       reason=REASONS.said(item.reason), held=held))


@stock_app.command("import")
def stock_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An xlsx, xls, ods or csv list of books.")],
    reason: Annotated[str | None, typer.Option("--reason", click_type=ReasonType,
                                               help="The reason for rows that give none.")] = None,
    date: DayOpt = None,
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="A YAML column map for other layouts (copy "
                          "nalcoop/data/maps/donation_items.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Import a list of books set aside (ISBN, title, quantity, reason, condition) into stock.

    Headers such as ISBN/국제표준도서번호, 서명, 수량, 사유 (중복, 등록제외, 구입, 기타) and 상태 are
    recognised. All rows or none; the same list imported again adds nothing.
    Example: nalcoop donate stock import duplicates-2024-03.xlsx --date 2024-03-31
    """
    from nalcoop import donations
    from nalcoop.importer import load_map, read_table

    day = _day(date)
    table = read_table(file, load_map(column_map or "donation_items", like="donation_items"), sheet=sheet)
    default_reason = reason
    report = run_import(ctx, table, lambda conn, rows: donations.import_stock(conn, rows, day,
                        default_reason=default_reason), dry_run=dry_run)
    print_header_note(table)
    if report.already:
        say(_("this list was already imported on {date} (stock receipt {receipt}, from {file}); nothing was "
              "added").format(date=report.already["on_date"], receipt=report.already["id"],
                              file=report.already["file"]))
        return
    reasons = ", ".join(f"{n} {REASONS.said(reason)}" for reason, n in report.by_reason.items())
    said = (_("dry run, nothing written — would add: {lines} lines, {books} books ({reasons})") if dry_run
            else _("added to stock: {lines} lines, {books} books ({reasons})"))
    say(said.format(lines=report.lines, books=report.books, reasons=reasons))


@stock_app.command("list")
def stock_list(
    ctx: typer.Context,
    reason: Annotated[str | None, typer.Option("--reason", click_type=ReasonType,
                                               help="Only books set aside for this reason.")] = None,
    search: Annotated[str | None, typer.Option("--search", help="Only books whose title or ISBN contains this.")]
    = None,
    include_empty: Annotated[bool, typer.Option("--all", help="Include books no longer in stock.")] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The books in stock, by title: received, drawn into batches, on hand.

    Example: nalcoop donate stock list --reason duplicate
    """
    from nalcoop import donations

    ledger = open_ledger(ctx)
    rows = donations.stock_rows(ledger.conn, reason=reason, search=search,
                                include_empty=include_empty)
    columns = [Column("isbn", "ISBN", kind="code", ko="ISBN"), Column("title", ko="서명"),
               Column("reason", ko="사유", terms=REASONS),
               Column("condition", ko="상태"),
               Column("received", kind="int", ko="입고"), Column("drawn", kind="int", ko="출고"),
               Column("on_hand", "on hand", kind="int", ko="재고")]
    books = sum(row["on_hand"] for row in rows)
    emit(ctx, rows, columns, fmt=fmt, output=output,
         title=_("stock: {titles} titles, {books} books on hand").format(titles=len(rows), books=books))


# ---------------------------------------------------------------- batches


@app.command("add")
def add(
    ctx: typer.Context,
    to: Annotated[str | None, typer.Option("--library", help="The recipient library (its name, or a unique part of "
                                           "it).", show_default=False)] = None,
    isbn: IsbnOpt = None,
    title: TitleOpt = None,
    qty: CopiesOpt = None,
    reason: ReasonOpt = None,
    condition: ConditionOpt = None,
    file: Annotated[Path | None, import_option("every book of a list (the layout `stock import` reads), not one "
                                               "book,")] = None,
    sheet: SheetOpt = None,
    outside_stock: Annotated[bool, typer.Option("--outside-stock", help="The books do not come from stock (newly "
                             "bought): nothing is drawn; the reason defaults to purchased.")] = False,
    date: DayOpt = None,
    target: Annotated[int | None, typer.Option("--target", min=1,
                      help="Books per site above which a warning is printed (default 500; or set "
                      "NALCOOP_DONATION_TARGET).", show_default=False)] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Add books to the library's open batch, or open one; the books are drawn from stock.

    The same ISBN twice in a batch adds to its line. Drawing more than the stock holds is
    refused with the quantities; --outside-stock records newly bought books.
    Example: nalcoop donate add --library 해바라기작은도서관 --isbn 978-89-374-6044-9 --copies 3
    """
    from nalcoop import donations
    from nalcoop.importer import load_map, read_table
    from nalcoop.settings import setting

    recipient = need(to, "--library", _("Recipient library"))
    day = _day(date)
    item = None
    if file is None:
        item = donations.make_item(isbn, title, need(qty, "--copies", _("How many copies")),
                                   reason, condition)
        if item.title is None and outside_stock:  # not from stock: nothing else names the book on the packing list
            item = donations.make_item(item.isbn, _title_of(ctx, item.isbn), item.qty, item.reason, condition)
    if item is None:
        table = read_table(file, load_map("donation_items"), sheet=sheet)
        print_header_note(table)

        def add_list(conn, rows):
            library = donations.resolve_library(conn, recipient)
            return library, donations.add_file_to_batch(conn, library, rows, day, outside_stock=outside_stock)

        library, added = run_import(ctx, table, add_list, dry_run=dry_run)
    else:
        with journaled(ctx, dry_run=dry_run) as conn:
            library = donations.resolve_library(conn, recipient)
            added = [donations.add_to_batch(conn, library, item, day, outside_stock=outside_stock)]
    last = added[-1]
    if any(entry.opened for entry in added):
        say(_("opened batch {batch} for {library} on {date}").format(batch=last.batch, library=library.label,
                                                                      date=day))
    for entry in added if item is not None else []:
        source = _("{count} from stock").format(count=entry.drawn) if entry.drawn else _("outside stock")
        merged = _(" (added to its line)") if entry.merged else ""
        say(_("batch {batch}: +{qty} × {book} ({reason}, {source}){merged}").format(
            batch=entry.batch, qty=entry.item.qty, book=entry.item.label, reason=REASONS.said(entry.item.reason),
            source=source, merged=merged))
    if item is None:
        say(_("batch {batch}: +{books} books from {rows} rows of {file}").format(
            batch=last.batch, books=sum(e.item.qty for e in added), rows=len(added), file=file.name))
    holds = (ngettext("dry run, nothing written — batch would hold {books} books in {lines} line",
                      "dry run, nothing written — batch would hold {books} books in {lines} lines", last.batch_lines)
             if dry_run else ngettext("batch now holds {books} books in {lines} line",
                                      "batch now holds {books} books in {lines} lines", last.batch_lines))
    say(holds.format(books=last.batch_books, lines=last.batch_lines))
    limit = target or setting("donation_target")
    if last.batch_books > limit:
        say(_("warning: batch {batch} holds {books} books, more than the target of {limit} per site").format(
            batch=last.batch, books=last.batch_books, limit=limit))


def _step(ctx: typer.Context, batch: str, step: str, day: str | None, **details) -> None:
    from nalcoop import donations

    on_date = _step_day(day)
    with journaled(ctx) as conn:
        row = donations.batch_step(conn, batch, step, on_date, **details)
        library = donations.library_by_id(conn, row["library_id"])
    if step == "cancel":
        said = _("batch {batch} → {library}: {step} on {date} (its books are back in stock)")
    else:
        said = _("batch {batch} → {library}: {step} on {date}")
    step_word = donations.STEP_WORDS[step] if current() == "en" else donations.STEPS.label(step, current())
    say(said.format(batch=row["number"], library=library.label, step=step_word, date=on_date))


@app.command()
def pack(ctx: typer.Context, batch: BatchArg, date: StepDateOpt = None) -> None:
    """Record that a planned batch is packed (no more books are added to it).

    Example: nalcoop donate pack 2024-007 --date 2024-05-08
    """
    _step(ctx, batch, "pack", date)


@app.command()
def ship(
    ctx: typer.Context,
    batch: BatchArg,
    date: StepDateOpt = None,
    carrier: Annotated[str | None, typer.Option("--carrier", help="The carrier, such as 우체국택배.")] = None,
    tracking: Annotated[str | None, typer.Option("--tracking", help="The tracking number.")] = None,
) -> None:
    """Record that a packed batch was shipped; only a packed batch can be.

    Example: nalcoop donate ship 2024-007 --date 2024-05-10 --carrier 우체국택배 --tracking 6070123456789
    """
    _step(ctx, batch, "ship", date, carrier=carrier, tracking=tracking)


@app.command()
def receive(ctx: typer.Context, batch: BatchArg, date: StepDateOpt = None,
            note: Annotated[str | None, typer.Option("--note", help="A note (who signed for it).")] = None) -> None:
    """Record that the library received a shipped batch.

    Example: nalcoop donate receive 2024-007 --date 2024-05-14
    """
    _step(ctx, batch, "receive", date, note=note)


@app.command()
def cancel(ctx: typer.Context, batch: BatchArg, date: StepDateOpt = None,
           note: Annotated[str | None, typer.Option("--note", help="Why it was cancelled.")] = None) -> None:
    """Cancel a batch that has not been shipped; the books drawn for it go back to stock.

    Example: nalcoop donate cancel 2024-007 --date 2024-05-09 --note "library closed for renovation"
    """
    _step(ctx, batch, "cancel", date, note=note)


@batch_app.command("show")
def batch_show(
    ctx: typer.Context,
    batch: BatchArg,
    timeline: Annotated[bool, typer.Option("--timeline", help="Show the dated steps instead of the books.")] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """A batch: its recipient, status, numbered books with totals, and its timeline.

    On a terminal both the books and the timeline are shown; in a pipe or file, the books
    (or, with --timeline, the steps). Example: nalcoop donate batch show 2024-007
    """
    from nalcoop import donations

    ledger = open_ledger(ctx)
    row = donations.find_batch(ledger.conn, batch)
    summary = donations.batch_summary(ledger.conn, row)
    steps = donations.batch_timeline(ledger.conn, row["id"])
    step_columns = [Column("date", kind="date", ko="일자"), Column("step", ko="단계", terms=BATCH_STEPS),
                    Column("status", ko="상태", terms=BATCH_STATUSES),
                    Column("detail", ko="세부 내용")]
    if timeline:
        emit(ctx, steps, step_columns, fmt=fmt, output=output, title=summary.headline)
        return
    lines = donations.batch_items(ledger.conn, row["id"])
    columns = [*ITEM_COLUMNS, Column("from_stock", "from stock", kind="int", ko="재고 출고")]
    as_table = _chosen_format(ctx, fmt, output) == "table"
    emit(ctx, _with_total(lines, as_table), columns, fmt=fmt, output=output, title=summary.headline)
    if as_table and output is None:
        emit(ctx, steps, step_columns, fmt=fmt, output=None, title=_("timeline"))


def _chosen_format(ctx: typer.Context, fmt, output: Path | None) -> str:
    from nalcoop.render import choose_format

    chosen = fmt or (None if output else state(ctx).fmt)
    return choose_format(chosen.value if chosen else None, output)


def _with_total(lines: list[dict], as_table: bool) -> list[dict]:
    """A total line under a table for people; none in CSV or JSON, which other tools (and
    `donate add --import`) read back as data."""
    if not as_table:
        return lines
    titles = ngettext("{count} title", "{count} titles", len(lines)).format(count=len(lines))
    total = {"title": _("total: {titles}").format(titles=titles), "qty": sum(line["qty"] for line in lines),
             "from_stock": sum(line["from_stock"] for line in lines)}
    return [*lines, total]


@app.command("packing-list")
def packing_list(ctx: typer.Context, batch: BatchArg, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """The packing list of a batch: recipient block, numbered lines, totals and a signature line.

    As .pdf it is typeset on A4 in Korean (titles wrapped, header row and page numbers on every page,
    the signature block kept whole); as xlsx it is laid out for printing on A4 too; in other formats it
    is the numbered lines and the total.
    Example: nalcoop donate packing-list 2024-007 -o packing-2024-007.pdf
    """
    from nalcoop import donations

    ledger = open_ledger(ctx)
    row = donations.find_batch(ledger.conn, batch)
    if output is not None and fmt is None and output.suffix.lower() not in (".pdf", ".xlsx", ".csv", ".tsv", ".json",
                                                                          ".jsonl", ".txt"):
        from nalcoop.errors import UsageError

        raise UsageError(_("-o {file}: a packing list is written as .pdf (to print and sign), .xlsx, .csv, .tsv, "
                           ".json, .jsonl or .txt").format(file=output))
    summary = donations.batch_summary(ledger.conn, row)
    lines = donations.batch_items(ledger.conn, row["id"])
    if output is not None and output.suffix.lower() == ".pdf":
        from nalcoop.packing import write_packing_pdf

        pages = write_packing_pdf(output, summary, lines)
        say(ngettext("wrote the packing list of batch {batch} ({lines} lines, {books} books, {pages} page) to "
                     "{file}", "wrote the packing list of batch {batch} ({lines} lines, {books} books, {pages} "
                     "pages) to {file}", pages).format(batch=summary.number, lines=len(lines),
                                                       books=summary.books, pages=pages, file=output))
        return
    chosen = _chosen_format(ctx, fmt, output)
    if chosen == "xlsx":
        from nalcoop.errors import UsageError
        from nalcoop.packing import write_packing_list

        if output is None:
            raise UsageError(_("xlsx is a file format: give -o FILE.xlsx"))
        write_packing_list(output, summary, lines, ITEM_COLUMNS)
        say(_("wrote the packing list of batch {batch} ({lines} lines, {books} books) to {file}").format(
            batch=summary.number, lines=len(lines), books=summary.books, file=output))
        return
    from nalcoop.packing import BATCH, TITLE, recipient_block

    title = "\n".join([f"{_(TITLE)} · {_(BATCH).format(batch=summary.number)}",
                       *(f"{label}: {value}" for label, value in recipient_block(summary)),
                       _("received by: ____________________  date: __________  signature: __________")])
    emit(ctx, _with_total(lines, chosen == "table"), ITEM_COLUMNS, fmt=fmt, output=output, title=title)


@app.command("list")
def list_(
    ctx: typer.Context,
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    province: ProvinceOpt = None,
    status: Annotated[str | None, typer.Option("--status", click_type=choice(BATCH_STATUSES),
                                               help="Only batches with this status then.")] = None,
    library: Annotated[str | None, typer.Option("--library", help="Only this library's batches.")] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The donation batches and their status at the end of a day (inclusive), by number.

    --year or --from/--to keep the batches opened (planned) inside the period; a batch is numbered in the
    year it was opened.
    Example: nalcoop donate list --year 2024 --province 전라남도 ; nalcoop donate list --from 2024-03-01 --to 2024-05-31
    """
    from nalcoop import donations

    day = as_of_value(as_of)
    start, end = period_of(year, date_from, date_to)
    ledger = open_ledger(ctx)
    found = donations.resolve_library(ledger.conn, library) if library else None
    rows = donations.batch_rows(ledger.conn, day, date_from=start, date_to=end, province=province,
                                status=status, library=found)
    columns = [Column("batch", ko="기증 묶음"), Column("library", ko="도서관명"),
               Column("type", ko="유형", terms=LIBRARY_TYPES),
               Column("region", ko="지역"), Column("status", ko="상태", terms=BATCH_STATUSES),
               Column("books", kind="int", ko="권수"), Column("lines", kind="int", ko="종 수"),
               Column("planned", kind="date", ko="계획일"),
               Column("packed", kind="date", ko="포장일"), Column("shipped", kind="date", ko="발송일"),
               Column("received", kind="date", ko="수령일"),
               Column("cancelled", kind="date", ko="취소일"), Column("carrier", ko="택배사"),
               Column("tracking", kind="code", ko="송장 번호")]
    counted = [row for row in rows if row["status"] != "cancelled"]  # a cancelled batch's books went back to stock
    title = _("donation batches as of {day}: {count}, {books} books").format(
        day=day, count=len(counted), books=sum(row["books"] for row in counted))
    if len(counted) < len(rows):
        title += ngettext(" (and {count} cancelled, not counted)", " (and {count} cancelled, not counted)",
                          len(rows) - len(counted)).format(count=len(rows) - len(counted))
    emit(ctx, rows, columns, fmt=fmt, output=output, title=title)

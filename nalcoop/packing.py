"""The packing list of a donation batch, to print on A4 and sign: as PDF, or as a workbook.

A recipient block, the numbered lines (title, author, publisher, reason, condition, copies) with the header
row repeated on every page, the totals, a signature block kept whole on the last page, and page numbers.
Coded values (a library's type, a line's reason and condition) are shown through pdf.label_of, the one
look-up the vocabulary of Korean labels plugs into. Workbook cells go through the renderer's
set_xlsx_value, so no text ever runs as a formula; both files are written through the renderer's
atomic_output (owner-only, 0600: they hold contacts).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nalcoop.i18n import N_, _, ngettext
from nalcoop.render import Column, atomic_output, set_xlsx_value

TEXT = Column("text")
# The fixed words, in English as msgids; the list follows the language of the run (Korean by default).
TITLE = N_("National Assembly Library book donation: packing list")
BATCH = N_("Donation batch {batch}")
SIGNATURES = (N_("Packed by"), N_("Received by (signature)"))
# The PDF's columns: key, heading, width in mm (186 mm between 12 mm margins), alignment.
PDF_COLUMNS = (
    ("no", N_("No."), 9, "R"), ("isbn", "ISBN", 27, "L"), ("title", N_("Title"), 48, "L"),
    ("author", N_("Author"), 24, "L"), ("publisher", N_("Publisher"), 24, "L"),
    ("reason", N_("Reason"), 25, "L"), ("condition", N_("Condition"), 18, "L"), ("qty", N_("Qty"), 11, "R"),
)


def total_line(titles: int, books: int) -> str:
    """'Total: 41 titles, 83 books' / '합계: 41종, 83권'."""
    return _("Total: {titles}, {books}").format(
        titles=ngettext("{count} title", "{count} titles", titles).format(count=titles),
        books=ngettext("{count} book", "{count} books", books).format(count=books))
MARGIN = 12.0


def recipient_block(summary) -> list[tuple[str, str]]:
    """The recipient's lines at the top of a packing list, label and value, the empty ones left out."""
    from nalcoop import donations
    from nalcoop.pdf import label_of

    library = summary.library
    status = f"{label_of(donations.STATUSES, summary.status)} (" + ", ".join(
        f"{label_of(donations.STEPS, step)} {day}" for step, day in summary.dates.items()) + ")"
    block = [
        (_("Receiving library"), library.name),
        (_("Type"), label_of(donations.LIBRARY_TYPES, library.type)),
        (_("Region"), library.region),
        (_("Address"), library.address),
        (_("Contact"), library.contact),
        (_("Recommended by"), library.recommended_by),
        (_("Status"), status),
    ]
    return [(label, str(value)) for label, value in block if value]


def write_packing_pdf(output: Path, summary, lines: Sequence[dict]) -> int:
    """The packing list as an A4 PDF; the number of pages."""
    from nalcoop import pdf as paper
    from nalcoop.dates import today, written

    def footer(document) -> None:
        document.set_y(-10)
        document.set_x(MARGIN)
        document.set_font(paper.FAMILY, "", 8)
        document.cell(297 - 2 * MARGIN if document.cur_orientation == "L" else 210 - 2 * MARGIN, 4,
                      _("batch {batch} · printed {date} · page {page} of {pages}").format(
                          batch=summary.number, date=written(today()), page=document.page_no(), pages="{nb}"),
                      align="C")

    document = paper.new_document(f"{_(TITLE)} {summary.number}", footer=footer)
    document.set_margins(MARGIN, MARGIN, MARGIN)
    document.set_auto_page_break(True, margin=16)
    document.add_page()
    width = 210 - 2 * MARGIN
    document.set_font(paper.FAMILY, "B", 15)
    document.cell(width, 8, _(TITLE), new_x="LMARGIN", new_y="NEXT")
    document.set_font(paper.FAMILY, "", 10)
    document.cell(width, 6, _(BATCH).format(batch=summary.number), new_x="LMARGIN", new_y="NEXT")
    document.ln(3)
    for label, value in recipient_block(summary):
        document.set_font(paper.FAMILY, "B", 9)
        document.cell(42, 5.2, label)
        document.set_font(paper.FAMILY, "", 9)
        document.multi_cell(width - 42, 5.2, value, new_x="LMARGIN", new_y="NEXT")
    document.ln(4)
    document.set_font(paper.FAMILY, "", 8.5)
    with document.table(col_widths=[column[2] for column in PDF_COLUMNS], width=width, align="LEFT",
                        text_align=[column[3] for column in PDF_COLUMNS], line_height=4.2, padding=(1, 1.2),
                        v_align="TOP", repeat_headings=1, borders_layout="HORIZONTAL_LINES",
                        headings_style=paper.heading_style(), first_row_as_headings=True) as table:
        table.row([_(column[1]) for column in PDF_COLUMNS])
        for line in lines:
            table.row([_pdf_value(column[0], line.get(column[0])) for column in PDF_COLUMNS])
    books = sum(line["qty"] for line in lines)
    document.ln(3)
    document.set_font(paper.FAMILY, "B", 10)
    document.cell(width, 6, total_line(len(lines), books), align="R",
                  new_x="LMARGIN", new_y="NEXT")
    if document.will_page_break(40):  # the signature block is kept whole
        document.add_page()
    document.ln(10)
    for label in SIGNATURES:
        document.set_font(paper.FAMILY, "B", 10)
        document.cell(70, 8, _(label))
        document.set_font(paper.FAMILY, "", 10)
        document.cell(60, 8, "", border="B")
        document.cell(8, 8, "")
        document.cell(18, 8, _("Date"))
        document.cell(width - 156, 8, "", border="B", new_x="LMARGIN", new_y="NEXT")
        document.ln(8)
    paper.save(document, output)
    return document.page_no()


def _pdf_value(key: str, value) -> str:
    from nalcoop.pdf import label_of

    if value is None:
        return ""
    if key == "reason":
        from nalcoop import donations

        return label_of(donations.REASONS, value) or ""
    return str(value)


def write_packing_list(output: Path, summary, lines: Sequence[dict], columns: Sequence[Column]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from nalcoop.render import XLSX_FONT, column_width, print_setup

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("packing {batch}").format(batch=summary.number)
    bold = Font(name=XLSX_FONT, bold=True)
    plain = Font(name=XLSX_FONT)
    thin = Side(style="thin")
    width = len(columns)

    def put(row: int, column: int, value, kind: Column = TEXT, font=None):
        cell = sheet.cell(row=row, column=column)
        set_xlsx_value(cell, value, kind)
        cell.font = font or plain
        return cell

    put(1, 1, f"{_(TITLE)} · {_(BATCH).format(batch=summary.number)}", font=Font(name=XLSX_FONT, bold=True, size=14))
    row = 3
    block = recipient_block(summary)
    for label, value in block:
        put(row, 1, _(label), font=bold)
        put(row, 2, value)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        row += 1
    row += 1
    header_row = row
    for index, column in enumerate(columns, start=1):
        cell = put(header_row, index, column.title, font=bold)
        cell.border = Border(bottom=thin, top=thin)
    widths = [column_width(column.title, bold=True) for column in columns]
    for line in lines:
        row += 1
        for index, column in enumerate(columns, start=1):
            value = line.get(column.key)
            if column.key in ("reason", "condition") and value is not None:
                value = _pdf_value(column.key, value)
            put(row, index, value, column)
            widths[index - 1] = max(widths[index - 1], column_width(str(value or "")))
    row += 1
    put(row, 1, _("Total"), font=bold).border = Border(top=thin)
    title_index = next((i for i, c in enumerate(columns, start=1) if c.key == "title"), 2)
    titles = ngettext("{count} title", "{count} titles", len(lines)).format(count=len(lines))
    put(row, title_index, titles, font=bold).border = Border(top=thin)
    qty_index = next((i for i, c in enumerate(columns, start=1) if c.key == "qty"), width)
    # The total is a number, never a formula: no live formula leaves nalcoop.
    books = sum(line["qty"] for line in lines)
    put(row, qty_index, books, Column("qty", kind="int"), font=bold).border = Border(top=thin)
    widths[qty_index - 1] = max(widths[qty_index - 1], column_width(str(books), bold=True))
    row += 3
    for label in SIGNATURES:
        # The label spans the first columns, so that it is never cut by the signature line beside it.
        put(row, 1, _(label), font=bold)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=min(3, width))
        line = put(row, min(4, width), "")
        line.border = Border(bottom=thin)
        if width >= 5:
            sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=width - 2)
        put(row, width - 1, _("Date"), font=bold)
        put(row, width, "").border = Border(bottom=thin)
        sheet.row_dimensions[row].height = 28
        row += 2
    widths[0] = max(widths[0], *(column_width(label, bold=True) for label, _value in block))
    for index, column_width_ in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(column_width_, 50)
    for cells in sheet.iter_rows(min_row=header_row, max_row=header_row + len(lines)):
        for cell, column in zip(cells, columns, strict=False):
            # the line number centred, so that it never runs into the ISBN beside it
            cell.alignment = Alignment(vertical="top", wrap_text=True,
                                       horizontal="center" if column.key == "no" else None)
    print_setup(sheet, header_row=header_row, widths=widths)
    sheet.page_setup.orientation = "portrait"  # the title column wraps: a packing list stays upright
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    with atomic_output(output) as temporary:
        workbook.save(temporary)

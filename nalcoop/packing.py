"""The packing list of a donation batch as a workbook to print on A4 and sign.

A recipient block, the numbered lines with a repeated header row, the totals and signature
lines. Cells go through the renderer's set_xlsx_value, so no text ever runs as a formula, and
the file is written through the renderer's atomic_output (owner-only, 0600: it holds contacts).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nalcoop.render import Column, atomic_output, display_width, set_xlsx_value

TEXT = Column("text")


def write_packing_list(output: Path, summary, lines: Sequence[dict], columns: Sequence[Column]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"packing {summary.number}"
    bold = Font(bold=True)
    thin = Side(style="thin")
    width = len(columns)

    def put(row: int, column: int, value, kind: Column = TEXT, font=None):
        cell = sheet.cell(row=row, column=column)
        set_xlsx_value(cell, value, kind)
        if font is not None:
            cell.font = font
        return cell

    put(1, 1, f"국회도서관 도서 기증 발송 목록 · Packing list, batch {summary.number}", font=Font(bold=True, size=14))
    library = summary.library
    block = [
        ("수령 기관 Recipient", library.name),
        ("유형 Type", library.type),
        ("지역 Region", library.region),
        ("주소 Address", library.address),
        ("연락처 Contact", library.contact),
        ("추천 Recommended by", library.recommended_by),
        ("상태 Status", f"{summary.status} ({', '.join(f'{step} {day}' for step, day in summary.dates.items())})"),
    ]
    row = 3
    for label, value in block:
        put(row, 1, label, font=bold)
        put(row, 2, value)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        row += 1
    row += 1
    header_row = row
    for index, column in enumerate(columns, start=1):
        cell = put(header_row, index, column.title, font=bold)
        cell.border = Border(bottom=thin, top=thin)
    widths = [display_width(column.title) for column in columns]
    for line in lines:
        row += 1
        for index, column in enumerate(columns, start=1):
            value = line.get(column.key)
            put(row, index, value, column)
            widths[index - 1] = max(widths[index - 1], display_width(str(value or "")))
    row += 1
    put(row, 1, "합계 Total", font=bold).border = Border(top=thin)
    title_index = next((i for i, c in enumerate(columns, start=1) if c.key == "title"), 2)
    put(row, title_index, f"{len(lines)} titles", font=bold).border = Border(top=thin)
    qty_index = next((i for i, c in enumerate(columns, start=1) if c.key == "qty"), width)
    # The total is a number, never a formula: no live formula leaves nalcoop.
    put(row, qty_index, sum(line["qty"] for line in lines), Column("qty", kind="int"), font=bold).border = \
        Border(top=thin)
    row += 3
    for label in ("포장 Packed by", "인수 Received by (서명 signature)"):
        put(row, 1, label, font=bold)
        put(row, 2, "____________________")
        put(row, max(3, width - 1), "날짜 Date: ____________")
        row += 2
    for index, column_width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(column_width + 2, 50)
    sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width, 20)
    for cells in sheet.iter_rows(min_row=header_row + 1, max_row=header_row + len(lines)):
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=True)

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the lines need
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = "&P / &N"
    with atomic_output(output) as temporary:
        workbook.save(temporary)

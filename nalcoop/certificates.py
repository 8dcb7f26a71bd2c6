"""Completion certificates (수료증) of the apprenticeship: one A4 page as PDF, or an HTML page or an xlsx sheet.

PDF is the default: typeset by nalcoop/pdf.py in the computer's Korean font, on one page whatever the length
of a name or a list of departments (the text is made smaller, never pushed onto a second page). HTML prints
from any browser; xlsx suits offices that keep certificates in Excel. The certificate follows the language
of the run: Korean by default (수 료 증, 2025년 8월 1일, 국회도서관장), English with `--lang en` (Certificate
of Completion, 1 August 2025). Every file is written through the renderer's atomic output (readable by its
owner only), and every value is escaped: a name is text, never markup or a formula.
"""

from __future__ import annotations

import html
from pathlib import Path

from nalcoop.dates import written
from nalcoop.i18n import N_, _, current
from nalcoop.interns import Certificate
from nalcoop.render import atomic_output

FORMATS = (".pdf", ".html", ".htm", ".xlsx")

# The fixed words, in English as msgids; Korean through the catalog (수 료 증, 국회도서관장 ...).
TITLE = N_("Certificate of Completion")
ISSUER = N_("Librarian, National Assembly Library of Korea")
STATEMENT = N_("This is to certify that the above has completed the practical apprenticeship at the National "
               "Assembly Library.")


def lines(issued: Certificate) -> list[tuple[str, str]]:
    """The certificate's fields, label and value, in the order they are printed, in the run's language."""
    return [
        (_("Certificate No."), issued.number),
        (_("Name"), issued.name),
        (_("Affiliation"), issued.university + (f" {issued.major}" if issued.major else "")),
        (_("Cohort"), issued.cohort),
        (_("Period of practice"), f"{written(issued.starts_on)} – {written(issued.ends_on)}"),
        (_("Hours of practice"), _("{hours} hours").format(hours=f"{issued.hours:g}")),
        (_("Departments"), ", ".join(issued.departments) or "—"),
        (_("Completed on"), written(issued.completed_on)),
    ]


def _title_size(korean: float, english: float) -> float:
    """The title's size: 수 료 증 is three letters spaced out, the English title a line of words."""
    return korean if current() == "ko" else english


def write(issued: Certificate, target: Path) -> None:
    if target.suffix.lower() == ".pdf":
        _pdf(issued, target)
        return
    with atomic_output(target) as temporary:
        if target.suffix.lower() == ".xlsx":
            _xlsx(issued, temporary)
        else:
            temporary.write_text(_html(issued), encoding="utf-8")


def _html(issued: Certificate) -> str:
    rows = "\n".join(f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
                     for label, value in lines(issued))
    return f"""<!DOCTYPE html>
<html lang="{current()}">
<head>
<meta charset="utf-8">
<title>{html.escape(_("Certificate {number}").format(number=issued.number))}</title>
<style>
  @page {{ size: A4; margin: 25mm; }}
  body {{ font-family: "Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans KR", "Nanum Gothic", sans-serif;
         color: #000; }}
  .sheet {{ border: 3px double #333; padding: 18mm 14mm; min-height: 220mm; box-sizing: border-box; }}
  h1 {{ text-align: center; font-size: {_title_size(30, 24):g}pt; letter-spacing: {_title_size(0.5, 0.05):g}em;
        margin: 0 0 14mm; }}
  table {{ width: 100%; border-collapse: collapse; font-size: 12pt; }}
  th {{ text-align: left; width: 42%; padding: 3mm 0; font-weight: normal; color: #333; }}
  td {{ padding: 3mm 0; font-weight: bold; }}
  p.statement {{ margin: 14mm 0 10mm; font-size: 13pt; line-height: 1.8; text-align: center; }}
  p.issuer {{ text-align: center; font-size: 16pt; margin-top: 18mm; letter-spacing: 0.2em; }}
</style>
</head>
<body>
<div class="sheet">
<h1>{html.escape(_(TITLE))}</h1>
<table>
{rows}
</table>
<p class="statement">{html.escape(_(STATEMENT))}</p>
<p class="issuer">{html.escape(written(issued.completed_on))}<br>{html.escape(_(ISSUER))}</p>
</div>
</body>
</html>
"""


def _xlsx(issued: Certificate, path: Path) -> None:
    """The certificate as one A4 sheet, filling the page: title, fields, statement, date and issuer."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from nalcoop.render import XLSX_FONT, Column, set_xlsx_value

    book = Workbook()
    sheet = book.active
    sheet.title = _("Certificate")
    sheet.sheet_view.showGridLines = False
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 52
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    text = Column("value")

    def put(row: int, column: int, value: str, *, size: float = 12, bold: bool = False, height: float = 30,
            merge: bool = False, align=None):
        cell = sheet.cell(row=row, column=column)
        set_xlsx_value(cell, value, text)
        cell.font = Font(name=XLSX_FONT, size=size, bold=bold)
        cell.alignment = align or Alignment(vertical="center", wrap_text=True)
        sheet.row_dimensions[row].height = height
        if merge:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            cell.alignment = centred
        return cell

    put(1, 1, "", height=40)
    put(2, 1, _(TITLE), size=_title_size(32, 24), bold=True, height=60, merge=True)
    put(3, 1, "", height=30)
    put(4, 1, "", height=40)
    row = 5
    for label, value in lines(issued):
        put(row, 1, label, size=12, height=34)
        put(row, 2, value, size=13, bold=True, height=34)
        row += 1
    put(row, 1, "", height=40)
    put(row + 1, 1, _(STATEMENT), size=13, height=90, merge=True)
    put(row + 2, 1, "", height=50)
    put(row + 3, 1, written(issued.completed_on), size=14, height=34, merge=True)
    put(row + 4, 1, "", height=30)
    put(row + 5, 1, _(ISSUER), size=_title_size(20, 14), bold=True, height=40, merge=True)
    put(row + 6, 1, "", height=24)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
    sheet.print_options.horizontalCentered = True
    sheet.print_area = f"A1:B{row + 6}"
    book.save(path)


def _pdf(issued: Certificate, target: Path) -> None:
    """The certificate on one A4 page: a double frame, the title, the fields, the statement, the date and the
    issuer. Drawn at full size, and again smaller until it ends inside the frame."""
    from nalcoop import pdf as paper

    scale = 1.0
    while True:
        document = paper.new_document(_("Certificate {number}").format(number=issued.number))
        if _draw_certificate(document, issued, scale) or scale < 0.35:
            break
        scale *= 0.9
    paper.save(document, target)


FRAME = 14.0  # mm from the page edge to the outer frame
BOTTOM = 297 - FRAME - 10  # the last line of text ends above this


def _draw_certificate(document, issued: Certificate, scale: float) -> bool:
    """Draw the page at `scale`; True when everything ended inside the frame."""
    from nalcoop.pdf import FAMILY, PT

    document.add_page()
    document.set_line_width(0.8)
    document.rect(FRAME, FRAME, 210 - 2 * FRAME, 297 - 2 * FRAME)
    document.set_line_width(0.3)
    document.rect(FRAME + 2, FRAME + 2, 210 - 2 * FRAME - 4, 297 - 2 * FRAME - 4)
    left, width = 32.0, 210 - 64.0

    def text(y: float, value: str, size: float, *, style: str = "", align: str = "C", x: float = left,
             w: float = width, gap: float = 1.45) -> float:
        document.set_font(FAMILY, style, size * scale)
        document.set_xy(x, y)
        document.multi_cell(w, size * scale * PT * gap, value, align=align)
        return document.get_y()

    y = text(FRAME + 28 * scale, _(TITLE), _title_size(34, 24), style="B")
    y += 20 * scale
    label_width = 58.0
    for label, value in lines(issued):
        label_end = text(y, label, 11, align="L", w=label_width)
        value_end = text(y, value, 12, style="B", align="L", x=left + label_width, w=width - label_width)
        y = max(label_end, value_end) + 3.2 * scale
    y += 12 * scale
    y = text(y, _(STATEMENT), 13, gap=1.8)
    y += 18 * scale
    y = text(y, written(issued.completed_on), 13)
    y += 12 * scale
    y = text(y, _(ISSUER), _title_size(20, 15), style="B")
    return y <= BOTTOM and document.page_no() == 1

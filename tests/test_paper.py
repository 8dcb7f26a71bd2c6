"""Paper that prints right (issue 20): label sheets, the one-page certificate and the packing list as PDF,
read back as a person would see them: pages, where each text stands, and (where pdftoppm is installed)
pixels on the page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from nalcoop import dates, i18n, labels, pdf
from nalcoop.errors import UsageError
from nalcoop.render import Column, display_width

from .test_distribute import LOC, MONTHLY, NDL, PNU, _send, sender  # noqa: F401  (sender is a fixture)
from .test_donations import ISBN, SUNFLOWER, donor  # noqa: F401  (donor is a fixture)
from .test_interns import _cohort, _full_timesheet, _placed
from .test_stats_overview import _busy_template, busy, run  # noqa: F401  (fixtures)

MM = 72 / 25.4  # PDF points in a millimetre


@pytest.fixture(autouse=True)
def _a_korean_font():
    try:
        pdf.korean_font()
    except pdf.FontMissing as missing:  # .ci/run installs one; a developer's machine may lack it
        pytest.skip(str(missing))


def _label(number: int, *, country: str = "KR", name: str | None = None, address: str | None = None) -> dict:
    domestic = country == "KR"
    return {"group": "domestic" if domestic else "foreign", "country": country,
            "country_name": "대한민국" if domestic else {"US": "UNITED STATES", "JP": "JAPAN"}.get(country, country),
            "postcode": f"4624{number % 10}", "recipient": name or f"작은도서관 {number}",
            "address": address or f"부산광역시 금정구 부산대학로63번길 {number}", "copies": 2,
            "publication": MONTHLY, "issue": "2024-05", "parcel": number}


def _words_by_page(path: Path) -> list[list[dict]]:
    """Each page's runs of text (one per line drawn) with their box in points from the top left, read back
    with pypdf. (pdfminer, under pdfplumber, reads no text from a font embedded as CFF with an Identity
    CMap, as fpdf2 embeds Noto Sans CJK; poppler and pypdf read it.)"""
    reader = PdfReader(path)
    pages = []
    measure = pdf.new_document("measure")
    for page in reader.pages:
        height = float(page.mediabox.height)
        runs: list[dict] = []

        def visit(text, cm, tm, font, size, runs=runs, height=height):
            text = text.replace("\x00", "")
            if not text.strip():
                return
            bold = "bold" in str((font or {}).get("/BaseFont", "")).lower()
            measure.set_font(pdf.FAMILY, "B" if bold else "", size)
            x, baseline = tm[4] + cm[4], tm[5] + cm[5]
            runs.append({"text": text, "x0": x, "x1": x + measure.get_string_width(text) * MM,
                         "top": height - baseline - 0.88 * size, "bottom": height - baseline + 0.12 * size})

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def _text_of(path: Path) -> list[str]:
    return ["\n".join(run["text"] for run in runs) for runs in _words_by_page(path)]


def _inside(word: dict, cell: tuple[float, float, float, float]) -> bool:
    x, y, width, height = (value * MM for value in cell)
    return x - 0.1 <= word["x0"] and word["x1"] <= x + width + 0.1 and y - 0.1 <= word["top"] and \
        word["bottom"] <= y + height + 0.1


# ------------------------------------------------------------------ label sheets


@pytest.mark.parametrize(("sheet", "pages"), [("a4-2x7", 3), ("a4-3x7", 2), ("a4-2x8", 2)])
def test_thirty_labels_fill_the_sheets_of_a_layout_each_address_inside_its_label(tmp_path, sheet, pages):
    layout = labels.find_layout(sheet)
    target = tmp_path / "labels.pdf"
    assert labels.write_labels(target, [_label(n) for n in range(1, 31)], layout) == pages
    by_page = _words_by_page(target)
    assert len(by_page) == pages
    for number in range(1, 31):
        page, position = divmod(number - 1, layout.per_sheet)
        cell = layout.cell(position)
        mine = [word for word in by_page[page] if f"작은도서관 {number} " in word["text"] + " "]
        assert mine, f"label {number} not on page {page + 1}"
        assert all(_inside(word, cell) for word in mine), f"label {number} outside its cell {cell}"


def test_skip_starts_on_a_partly_used_sheet_and_is_refused_beyond_it(tmp_path):
    layout = labels.find_layout("a4-3x7")
    target = tmp_path / "labels.pdf"
    assert labels.write_labels(target, [_label(n) for n in range(1, 18)], layout, skip=5) == 2  # 5 + 17 > 21
    first = next(word for word in _words_by_page(target)[0] if "작은도서관 1" in word["text"])
    assert _inside(first, layout.cell(5)) and not _inside(first, layout.cell(0))
    with pytest.raises(UsageError, match="has 21 labels; skip 0 to 20"):
        labels.write_labels(target, [_label(1)], layout, skip=21)


def test_an_address_abroad_ends_with_the_country_alone_in_capitals_and_at_home_with_the_recipient():
    abroad = labels.address_of({**_label(1, country="US", name=LOC,
                                         address="101 Independence Ave SE\nWashington, DC 20540\nUSA"),
                                "postcode": "20540"})
    assert abroad.lines == (LOC, "101 Independence Ave SE", "Washington, DC 20540", "UNITED STATES")
    japan = labels.address_of(_label(2, country="JP", name=NDL, address="1-10-1 Nagatacho, Chiyoda-ku, Tokyo"))
    assert japan.lines[-2:] == ("46242", "JAPAN") and japan.lines[0] == NDL
    home = labels.address_of(_label(3))
    assert home.lines == ("(우) 46243", "부산광역시 금정구 부산대학로63번길 3", "작은도서관 3 귀중")
    assert home.emphasis == 2 and "2부" in home.reference


def test_a_long_address_is_shrunk_to_fit_its_label_never_cut(tmp_path):
    name = ("Staatsbibliothek zu Berlin – Preußischer Kulturbesitz, Abteilung Osteuropa und Ostasien, "
            "Koreanische Sammlung, Referat für Tauschbeziehungen mit Parlamentsbibliotheken")
    layout = labels.find_layout("a4-3x7")
    target = tmp_path / "labels.pdf"
    labels.write_labels(target, [_label(1, country="DE", name=name, address="Potsdamer Straße 33\n10785 Berlin")],
                        layout)
    [runs] = _words_by_page(target)
    assert all(_inside(run, layout.cell(0)) for run in runs)
    text = "".join(run["text"] for run in runs).replace(" ", "")
    assert name.replace(" ", "") in text and text.endswith("#1")
    assert "DE" in text and "10785Berlin" in text


def test_a_librarian_adds_a_layout_as_a_yaml_file_of_the_same_form(tmp_path, monkeypatch):
    own = labels.user_folder()
    own.mkdir(parents=True)
    shipped = (labels.SHIPPED / "a4-2x7.yaml").read_text(encoding="utf-8")
    (own / "office-2x5.yaml").write_text(
        shipped.replace("name: a4-2x7", "name: office-2x5").replace("rows: 7", "rows: 5")
        .replace("height: 38.1}", "height: 50}").replace("down: 38.1", "down: 52"), encoding="utf-8")
    layout = labels.find_layout("office-2x5")
    assert (layout.per_sheet, layout.label_height, layout.down) == (10, 50.0, 52.0)
    assert labels.find_layout(str(own / "office-2x5.yaml")).name == "office-2x5"
    (own / "broken.yaml").write_text(shipped.replace("rows: 7", "rows: 9"), encoding="utf-8")
    with pytest.raises(labels.LayoutError, match="run off the page"):
        labels.find_layout("broken")
    (own / "typo.yaml").write_text(shipped.replace("across: 101.6", "across: wide"), encoding="utf-8")
    with pytest.raises(labels.LayoutError, match=r"pitch.across must be a number of millimetres"):
        labels.find_layout("typo")
    with pytest.raises(UsageError, match="no such label layout; choose one of a4-2x7, a4-2x8, a4-3x7"):
        labels.find_layout("nope")


def test_labels_as_pdf_through_the_command_line(sender, tmp_path):  # noqa: F811
    _send(sender, 5)
    target = tmp_path / "labels.pdf"
    done = sender("distribute", "labels", MONTHLY, "--issue", "2024-05", "-o", str(target), "--layout", "a4-3x7",
                  "--skip", "1")
    assert "wrote 3 labels on 1 a4-3x7 sheet" in done.stderr
    layout = labels.find_layout("a4-3x7")
    words = _words_by_page(target)[0]
    for position, needle in ((1, PNU), (2, NDL), (3, LOC)):
        found = [word for word in words if needle in word["text"]]
        assert found and all(_inside(word, layout.cell(position)) for word in found), needle
    texts = [word["text"] for word in words]
    assert texts.index("UNITED STATES") > texts.index("Library of Congress")
    refused = sender("distribute", "labels", MONTHLY, "--issue", "2024-05", "--skip", "2", ok=False)
    assert refused.exit_code == 2 and "give -o FILE.pdf" in refused.output
    refused = sender("distribute", "labels", MONTHLY, "--issue", "2024-05", "-o", str(tmp_path / "new.pdf"),
                     "--layout", "x", ok=False)
    assert "no such label layout" in refused.output and "Traceback" not in refused.output


# ------------------------------------------------------------------ certificate


def _completed(cli, tmp_path, departments: int = 0):
    _cohort(cli)
    _placed(cli)
    _full_timesheet(cli, tmp_path)
    cli("intern", "evaluate", "김하늘", "--evaluator", "이사서", "--score", "5", "--date", "2025-08-01")
    cli("intern", "complete", "김하늘", "--date", "2025-08-01")


def test_the_certificate_is_one_a4_page_in_korean_with_the_date_in_korean_form(cli, tmp_path):
    _completed(cli, tmp_path)
    done = cli("--lang", "ko", "intern", "certificate", "김하늘")  # PDF unless told otherwise
    target = Path("certificate-NAL-INT-2025-001.pdf")
    try:
        assert "certificate-NAL-INT-2025-001.pdf" in done.stderr
        reader = PdfReader(target)
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)
        [text] = _text_of(target)
        for expected in ("수 료 증", "NAL-INT-2025-001", "김하늘", "한남대학교 문헌정보학",
                         "2025년 7월 7일 – 2025년 8월 1일", "100시간", "국회도서관장", "위 사람은 국회도서관 현장실습"):
            assert expected in text
        assert "2025-08-01" not in text and "Certificate" not in text
        cli("--lang", "en", "intern", "certificate", "김하늘", "--yes")  # English on request
        [text] = _text_of(target)
        for expected in ("Certificate of Completion", "NAL-INT-2025-001", "김하늘", "7 July 2025 – 1 August 2025",
                         "100 hours", "Librarian, National Assembly Library of Korea"):
            assert expected in text
        assert "수 료 증" not in text and "국회도서관장" not in text
    finally:
        target.unlink(missing_ok=True)


def test_a_certificate_with_a_long_list_stays_on_one_page(tmp_path):
    from nalcoop import certificates
    from nalcoop.interns import Certificate

    issued = Certificate("NAL-INT-2025-001", "남궁하늘별빛", "한국방송통신대학교 대학원 문헌정보학과 기록관리학 전공",
                         "문헌정보학", "2025-여름", "2025-07-07", "2025-08-29", "2025-08-29", 240.5,
                         [f"국회도서관 {n}번째 부서 (법률정보실 의회정보실 협력)" for n in range(1, 25)])
    for lang in ("ko", "en"):
        i18n.set_language(lang)
        try:
            target = tmp_path / f"c-{lang}.pdf"
            certificates.write(issued, target)
        finally:
            i18n.set_language(None)
        assert len(PdfReader(target).pages) == 1
        [text] = _text_of(target)
        assert "24번째 부서" in text
        assert ("국회도서관장" in text and "2025년 8월 29일" in text) if lang == "ko" else "29 August 2025" in text


def test_a_korean_date_reads_as_a_korean_document_writes_it():
    assert dates.korean("2025-08-01") == "2025년 8월 1일"
    assert dates.korean(dates.parse_date("2024. 12. 31.")) == "2024년 12월 31일"


# ------------------------------------------------------------------ packing list


def test_the_packing_list_pdf_names_every_title_and_keeps_the_signature_block_whole(donor, tmp_path):  # noqa: F811
    titles = [f"국회도서관 연구총서 제{n}권: 지방의회 입법지원과 정보공유에 관한 비교 연구" for n in range(1, 41)]
    for title in titles:
        donor("donate", "stock", "add", "--title", title, "--copies", "3", "--reason", "non-registered",
              "--date", "2024-03-02", "--author", "홍길동 외", "--publisher", "국회도서관")
        donor("donate", "add", "--library", SUNFLOWER, "--title", title, "--copies", "2")
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3")
    target = tmp_path / "packing.pdf"
    done = donor("--lang", "ko", "donate", "packing-list", "2026-001", "-o", str(target))
    pages = _text_of(target)
    assert f"{len(pages)}쪽" in done.stderr and len(pages) >= 2
    whole = "\n".join(pages).replace("\n", "")
    for title in [*titles, "데미안"]:
        assert title.replace(" ", "") in whole.replace(" ", ""), title
    assert ISBN in whole, whole[whole.find("데미안") - 200:]
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in text  # page numbers on every page
        assert "서명" in text and "출판사" in text  # the header row repeated
        assert "기증 묶음 2026-001 · " in text  # the footer
    last = pages[-1]
    assert "합계: 41종, 83권" in last
    assert "인수 (서명)" in last and "포장" in last and "Received" not in last
    assert pages[0].startswith("국회도서관 도서 기증 포장 명세서") and "전라남도 신안군 지도읍 1" in pages[0]
    assert "기증 묶음 2026-001" in pages[0] and "받는 도서관" in pages[0]


# ------------------------------------------------------------------ workbooks


def _fonts_unnamed(book) -> list[str]:
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.value is not None and not cell.font.name]


def _table_extent(sheet) -> tuple[int, int]:
    """The last column and the last row that hold a value."""
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    return max(cell.column for cell in cells), max(cell.row for cell in cells)


def test_the_annual_workbook_names_every_font_prints_on_a4_and_keeps_charts_off_its_tables(busy, tmp_path):  # noqa: F811
    from openpyxl import load_workbook

    from nalcoop.render import HEADER_ROW, XLSX_FONT

    target = tmp_path / "annual.xlsx"
    run(busy, "report", "annual", "2024", "-o", str(target))
    book = load_workbook(target)
    assert _fonts_unnamed(book) == []
    assert {cell.font.name for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None} == {XLSX_FONT}
    charts = 0
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert "&P" in sheet.oddFooter.center.text
        last_column, last_row = _table_extent(sheet)
        for drawn in sheet._charts:
            charts += 1
            anchor = drawn.anchor._from
            assert anchor.col >= last_column, f"{sheet.title}: a chart over the table's columns"
            assert anchor.row >= HEADER_ROW - 1, f"{sheet.title}: a chart over the table's title"
            assert drawn.x_axis.tickLblSkip == 1  # every category labelled
        for row in sheet.iter_rows(min_row=HEADER_ROW):
            for cell in row:
                if cell.is_date:  # a date needs 10 characters, more in bold: never ###
                    width = sheet.column_dimensions[cell.column_letter].width
                    assert width >= (14.5 if cell.font.b else 13), f"{sheet.title}!{cell.coordinate}: {width}"
    assert charts >= 2


@pytest.mark.parametrize("command", [("agreement", "export"), ("agreement", "list", "-o")])
def test_every_xlsx_export_is_set_up_for_a4_with_its_header_repeated(busy, tmp_path, command):  # noqa: F811
    from openpyxl import load_workbook

    target = tmp_path / "export.xlsx"
    run(busy, *command, str(target))
    sheet = load_workbook(target).active
    assert _fonts_unnamed(sheet.parent) == []
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "landscape"  # 12 columns
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1" and "&P / &N" in sheet.oddFooter.center.text


def test_a_narrow_export_stays_portrait(tmp_path):
    from openpyxl import load_workbook

    from nalcoop.render import Column, render

    target = tmp_path / "narrow.xlsx"
    render([{"council": "가평군의회", "signed": "2021-05-20"}], [Column("council"), Column("signed", kind="date")],
           fmt=None, output=target)
    sheet = load_workbook(target).active
    assert sheet.page_setup.orientation == "portrait" and sheet.print_title_rows == "$1:$1"


def test_packing_list_and_certificate_sheets_name_every_font(donor, cli, tmp_path):  # noqa: F811
    from openpyxl import load_workbook

    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3")
    donor("donate", "packing-list", "2026-001", "-o", str(tmp_path / "packing.xlsx"))
    packing = load_workbook(tmp_path / "packing.xlsx")
    assert _fonts_unnamed(packing) == []
    sheet = packing.active
    signature = next(cell for row in sheet.iter_rows() for cell in row
                     if cell.value == "Received by (signature)")
    merged = next(str(r) for r in sheet.merged_cells.ranges if signature.coordinate in r)
    assert merged == f"A{signature.row}:C{signature.row}"  # the label is never cut by the line beside it
    _completed(cli, tmp_path)
    cli("intern", "certificate", "김하늘", "-o", str(tmp_path / "c.xlsx"))
    certificate = load_workbook(tmp_path / "c.xlsx")
    assert _fonts_unnamed(certificate) == []
    values = [cell.value for row in certificate.active.iter_rows() for cell in row]
    assert "1 August 2025" in values and certificate.active.page_setup.fitToHeight == 1


# ------------------------------------------------------------------ fonts


def test_without_a_korean_font_one_line_names_what_to_install(monkeypatch):
    monkeypatch.setattr(pdf, "CANDIDATES", ())
    monkeypatch.setattr(pdf, "_fontconfig_korean", lambda: None)
    monkeypatch.setattr(pdf.sys, "platform", "linux")
    pdf.korean_font.cache_clear()
    try:
        with pytest.raises(pdf.FontMissing, match="apt-get install fonts-noto-cjk") as missing:
            pdf.korean_font()
        assert "\n" not in str(missing.value)
        monkeypatch.setenv(pdf.FONT_ENV, "/nowhere/font.ttf")
        with pytest.raises(pdf.FontMissing, match="not a font file"):
            pdf.korean_font()
    finally:
        pdf.korean_font.cache_clear()


def test_the_korean_face_of_a_collection_is_chosen_not_the_japanese_one():
    font = pdf.korean_font()
    if font.regular.path.suffix.lower() != ".ttc":
        pytest.skip(f"{font.name} is not a collection here")
    from fontTools.ttLib import TTCollection

    with TTCollection(str(font.regular.path), lazy=True) as collection:
        family = collection.fonts[font.regular.index]["name"].getDebugName(1)
    assert "KR" in family or "Gothic" in family


# ------------------------------------------------------------------ pixels


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_every_document_renders_to_a_page_that_is_not_blank(tmp_path):
    from nalcoop import certificates
    from nalcoop.interns import Certificate
    from nalcoop.packing import write_packing_pdf

    documents = {"labels": tmp_path / "labels.pdf", "certificate": tmp_path / "certificate.pdf",
                 "packing": tmp_path / "packing.pdf"}
    labels.write_labels(documents["labels"], [_label(n) for n in range(1, 4)], labels.find_layout("a4-2x7"))
    certificates.write(Certificate("NAL-INT-2025-001", "김하늘", "한남대학교", None, "2025-여름", "2025-07-07",
                                   "2025-08-01", "2025-08-01", 100, ["의회정보실"]), documents["certificate"])
    write_packing_pdf(documents["packing"], _summary(), [
        {"no": 1, "isbn": ISBN, "title": "데미안", "author": "헤르만 헤세", "publisher": "민음사",
         "reason": "duplicate", "condition": "good", "qty": 3}])
    for name, path in documents.items():
        subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-gray", str(path), str(tmp_path / name)],
                       check=True, timeout=60)
        [image] = tmp_path.glob(f"{name}-*.pgm")
        dark = _dark_share(image)
        assert 0.0005 < dark < 0.5, f"{name}: {dark:.4f} of the page is ink"


def _summary():
    from nalcoop.donations import BatchSummary, Library

    library = Library(1, SUNFLOWER, "small", 1, "전라남도 신안군", "전라남도", "전라남도 신안군 지도읍 1", None, None,
                      True, None)
    return BatchSummary("2026-001", "packed", library, 3, 1, {"plan": "2026-01-02", "pack": "2026-01-05"}, None,
                        None)


def _dark_share(pgm: Path) -> float:
    """The share of pixels darker than mid-grey in a binary greyscale image (PGM, as pdftoppm -gray writes)."""
    data = pgm.read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert (magic, depth) == (b"P5", b"255")
    pixels = pixels[: int(width) * int(height)]
    return sum(1 for value in pixels if value < 128) / len(pixels)


# ------------------------------------------------------------------ tables on screen


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DONATIONS = [Column("batch", kind="code"), Column("library"), Column("type"), Column("region"),
              Column("status"), Column("books", kind="int"), Column("lines", kind="int"),
              Column("planned", kind="date"), Column("packed", kind="date"), Column("shipped", kind="date"),
              Column("received", kind="date"), Column("cancelled", kind="date"), Column("carrier"),
              Column("tracking", kind="code"), Column("note")]


def _donation_rows(count: int = 6) -> list[dict]:
    return [{"batch": f"2026-{n:03}", "library": f"해바라기작은도서관 제{n}분관 (신안군 지도읍 어린이 열람실)",
             "type": "small", "region": "전남광주통합특별시 신안군", "status": "received", "books": 500 + n,
             "lines": 40 + n, "planned": "2026-01-02", "packed": "2026-01-05", "shipped": "2026-01-06",
             "received": "2026-01-09", "cancelled": None, "carrier": "우체국택배", "tracking": f"6070123456{n:03}",
             "note": None} for n in range(1, count + 1)]


@pytest.mark.parametrize("width", [80, 100, 120])
def test_a_wide_table_fits_the_terminal_keeping_dates_and_codes_whole(width, monkeypatch, capsys):
    from nalcoop.render import render

    monkeypatch.setenv("COLUMNS", str(width))
    screen = _Terminal()
    rows = _donation_rows()
    render(rows, _DONATIONS, fmt="table", stream=screen, title="donation batches")
    text = _ANSI.sub("", screen.getvalue())
    lines = [line for line in text.splitlines() if line.strip()]
    assert max(display_width(line) for line in lines) <= width
    header = next(line for line in lines if "batch" in line and "┃" in line)
    assert "cancelled" not in header and "note" not in header  # empty columns take no room
    for row in rows:  # a code or a date shown is shown whole, on one line
        for key in ("batch", "planned", "received", "tracking"):
            if f" {key} " in header:
                assert row[key] in text, (key, row[key])
    left_out = capsys.readouterr().err
    shown = [column.title for column in _DONATIONS if f" {column.title} " in header]
    missing = [title for title in ("batch", "library", "type", "region", "status", "books", "lines", "planned",
                                   "packed", "shipped", "received", "carrier", "tracking") if title not in shown]
    if missing:
        assert left_out.count("\n") == 1 and "-f csv" in left_out
        assert all(f"'{title}'" in left_out for title in missing)
    else:
        assert left_out == ""
    if width == 120:
        assert "batch" in shown and "library" in shown and "planned" in shown


def test_a_table_in_a_pipe_keeps_every_column(capsys):
    from nalcoop.render import render

    stream = io.StringIO()
    render(_donation_rows(2), _DONATIONS, fmt="table", stream=stream)
    assert "cancelled" in stream.getvalue() and "tracking" in stream.getvalue()
    assert capsys.readouterr().err == ""


def test_fitting_wraps_the_widest_text_of_several_words_and_never_a_code():
    from nalcoop.render import WRAP_MIN, fit_columns

    rows = [{"name": "Staatsbibliothek zu Berlin Preußischer Kulturbesitz", "type": "parliamentary-library",
             "code": "1228-4734", "empty": None}]
    columns = [Column("name"), Column("type"), Column("code", kind="code"), Column("empty")]
    fitted = fit_columns(rows, columns, 60)
    assert [c.key for c in fitted.shown] == ["name", "type", "code"] and fitted.wrapping == ("name",)
    narrow = fit_columns(rows, columns, WRAP_MIN + 21 + 3 * 2 + 1)
    assert [c.key for c in narrow.shown] == ["name", "type"] and [c.key for c in narrow.left_out] == ["code"]
    assert fit_columns(rows, columns, None).shown == columns  # off a terminal: as it is


def test_a_wrapping_column_keeps_a_long_hangul_word_whole(monkeypatch, capsys):
    """Text wraps at its spaces; a Korean name such as 제주특별자치도의회 (18 columns) is one word, and a column
    narrower than it cut it in the middle (제주특별자치도의 / 회). The column keeps the word whole, leaving out
    another column if it must (and saying so)."""
    from nalcoop.render import render

    monkeypatch.setenv("COLUMNS", "80")
    columns = [Column("name", ko="수령처"), Column("country", kind="code", ko="국가"), Column("region", ko="지역"),
               Column("address", ko="주소"), Column("type", ko="유형"), Column("since", kind="date", ko="시작일")]
    rows = [{"name": "제주특별자치도의회 도서실", "country": "KR", "region": "제주특별자치도 제주시",
             "address": "제주특별자치도 제주시 문연로 13 제주특별자치도의회 본관 2층 도서실", "type": "의회도서관",
             "since": "2024-01-01"}] * 2
    screen = _Terminal()
    render(rows, columns, fmt="table", stream=screen, title="수령처")
    text = _ANSI.sub("", screen.getvalue())
    assert text.count("제주특별자치도의회") == 4  # twice a row: the name and the address, never cut
    assert max(display_width(line) for line in text.splitlines()) <= 80
    assert "left out 'type'" in capsys.readouterr().err  # the suite runs in English

"""Issue 3, hostile files: a spreadsheet from outside is refused or read within bounded memory
(under 500 MB peak) and time, with a one-line error, and the ledger is left as it was.

Each file is imported by a real `nalcoop` process; its peak memory is the child's maximum
resident set size from os.wait4, and is printed under "nalcoop figures" at the end of the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from nalcoop import importer
from nalcoop.importer import ImportFileError, _OdsExtent, _SheetExtent
from tests.conftest import file_hash

PEAK_LIMIT_MB = 500
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
    '<sheets><sheet name="현황" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>{{extra}}'
    "</Relationships>"
)
# Row 1 the header, row 2 one agreement: 서울특별시의회 requested on 2013-05-01.
HEADER_AND_ONE_ROW = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
)
STRINGS = ["의회명", "요청일", "서울특별시의회", "2013-05-01"]


def _sheet(rows: str, *, dimension: str = "", prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    namespace = f"xmlns:{prefix}" if prefix else "xmlns"
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {namespace}="{MAIN}">{dim}'
            f"<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>")


def _shared_strings(strings: list[str], doctype: str = "") -> str:
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<sst xmlns="{MAIN}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')


def write_workbook(path: Path, sheet_xml: str, strings_xml: str | None = None, *, extra_rels: str = "",
                   extra_parts: dict[str, str] | None = None) -> Path:
    """A minimal xlsx written part by part, so a test can put in it what Excel never would."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(extra=extra_rels))
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        archive.writestr("xl/sharedStrings.xml", strings_xml or _shared_strings(STRINGS))
        for name, text in (extra_parts or {}).items():
            archive.writestr(name, text)
    return path


def shared_strings_bomb(path: Path, gib: int = 2) -> Path:
    """sharedStrings.xml that inflates to `gib` GiB of one string (a few MB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(extra=""))
        archive.writestr("xl/worksheets/sheet1.xml", _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
            chunk = b"A" * (1 << 24)
            for _ in range(64 * gib):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return path


def lying_bomb(path: Path, mib: int = 600) -> Path:
    """A part that inflates to `mib` MiB while the archive's headers say it is 1 KB."""
    write_workbook(path, _sheet(HEADER_AND_ONE_ROW))
    with (zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
          archive.open("xl/media/padding.xml", "w") as part):
        chunk = b" " * (1 << 20)
        for _ in range(mib):
            part.write(chunk)
    data = bytearray(path.read_bytes())
    name = b"xl/media/padding.xml"
    local = data.index(name) - 30  # the local header comes first, the central directory entry last
    central = data.rindex(name) - 46
    assert data[local:local + 4] == b"PK\x03\x04" and data[central:central + 4] == b"PK\x01\x02"
    data[local + 22:local + 26] = (1024).to_bytes(4, "little")  # uncompressed size in the local header
    data[central + 24:central + 28] = (1024).to_bytes(4, "little")  # ... and in the central directory
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(name.decode()).file_size == 1024  # the lie is what zipfile reports
    return path


def billion_laughs(path: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    doctype = f"<!DOCTYPE lolz [{entities}]>"
    return write_workbook(path, _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
                          _shared_strings(["&lol9;"], doctype))


def external_links(path: Path) -> Path:
    link = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="{MAIN}">'
            '<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1">'
            '<sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>')
    link_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS_NS}">'
                 f'<Relationship Id="rId1" Type="{DOC_RELS}/externalLinkPath" '
                 'Target="file:///\\\\evil.example\\share\\book.xlsx" TargetMode="External"/></Relationships>')
    rows = HEADER_AND_ONE_ROW.replace('<c r="B2" t="s"><v>3</v></c>',
                                      '<c r="B2" t="s"><f>[1]Sheet1!A1</f><v>3</v></c>')
    return write_workbook(
        path, _sheet(rows),
        extra_rels=f'<Relationship Id="rId3" Type="{DOC_RELS}/externalLink" Target="externalLinks/externalLink1.xml"/>',
        extra_parts={"xl/externalLinks/externalLink1.xml": link,
                     "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})


def styled_million(path: Path) -> Path:
    """One agreement, then a million rows of styled empty cells (what 'format to the bottom' leaves)."""
    rows = [HEADER_AND_ONE_ROW] + [f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/><c r="Z{n}" s="1"/></row>'
                                   for n in range(3, 1_000_003)]
    return write_workbook(path, _sheet("".join(rows)))


def far_cell(path: Path) -> Path:
    return write_workbook(path, _sheet(HEADER_AND_ONE_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def wide_xlsx(path: Path, columns: int = 100_000) -> Path:
    """A header, then one row of 100,000 filled cells (ref letters computed like Excel's)."""
    cells = "".join(f'<c r="{importer._column_letter(i)}3"><v>{i}</v></c>' for i in range(min(columns, 16_384)))
    return write_workbook(path, _sheet(HEADER_AND_ONE_ROW + f'<row r="3">{cells}</row>'))


def csv_long_line(path: Path, megabytes: int = 100) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("의회명,요청일,비고\n서울특별시의회,2013-05-01,")
        chunk = "가" * (1 << 20)
        for _ in range(megabytes // 3 + 1):  # 가 is three bytes in UTF-8
            out.write(chunk)
        out.write("\n")
    return path


def csv_wide(path: Path, columns: int = 100_000, rows: int = 100) -> Path:
    line = ",".join(["ab"] * columns) + "\n"
    with path.open("w", encoding="utf-8") as out:
        out.write("의회명,요청일\n")
        for _ in range(rows):
            out.write(line)
    return path


def csv_rows(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("의회명,요청일\n")
        out.writelines("서울특별시의회,2013-05-01\n" for _ in range(rows))
    return path


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
ODS_HEADER_ROW = ('<table:table-row><table:table-cell office:value-type="string"><text:p>의회명</text:p>'
                  '</table:table-cell><table:table-cell office:value-type="string"><text:p>요청일</text:p>'
                  "</table:table-cell></table:table-row>")


def ods_content(rows: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f'<office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>")


def write_ods(path: Path, rows: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", ods_content(rows), compress_type=zipfile.ZIP_DEFLATED)
    return path


def ods_repeated(path: Path, rows: int = 9000, columns: int = 10_000) -> Path:
    """An ods whose one filled cell is repeated 10,000 columns by 9,000 rows: 90 million cells,
    which python-calamine lays out in 5.6 GB (its own limit is 100 million)."""
    return write_ods(path, ODS_HEADER_ROW + f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
                     f'table:number-columns-repeated="{columns}" office:value-type="float" office:value="1">'
                     "<text:p>1</text:p></table:table-cell></table:table-row>")


def html_deep(path: Path) -> Path:
    """An HTML ".xls" of tables nested 200,000 deep (a parser that recursed would overflow)."""
    path.write_bytes(b"<table><tr><td>" * 200_000)
    return path


def html_spans(path: Path) -> Path:
    """An HTML ".xls" whose cells span 65,534 rows by 1,000 columns each: billions of cells if laid out."""
    path.write_bytes(b"<table><tr><td>\xc0\xc7\xc8\xb8\xb8\xed</td></tr>"  # 의회명 in CP949
                     + b"<tr>" + b'<td rowspan="65534" colspan="1000">x</td>' * 10_000 + b"</tr></table>")
    return path


def html_entities(path: Path) -> Path:
    """An HTML ".xls" with one cell of 40 MB of character references."""
    with path.open("wb") as out:
        out.write(b'<meta charset="utf-8"><table><tr><td>')
        chunk = b"&amp;&#x1F600;&#99999999;" * 40_000
        for _ in range(40):
            out.write(chunk)
        out.write(b"</td></tr></table>")
    return path


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float


# The child reports its own peak (VmHWM of its own address space). os.wait4's ru_maxrss would not
# do: Linux carries the parent's peak into a child that was forked (or vforked) and then exec'd.
CHILD = """
import atexit, os, sys
def _peak():
    with open("/proc/self/status") as status, open(os.environ["NALCOOP_TEST_PEAK"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(_peak)
sys.argv[0] = "nalcoop"
from nalcoop.cli import main
main()
"""


def run_nalcoop(db: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Run:
    """Run nalcoop in a child process and measure its peak resident memory."""
    folder = db.parent
    peak = folder / "peak.txt"
    peak.unlink(missing_ok=True)
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, "--db", str(db), *args], capture_output=True,
                              timeout=timeout, env={**os.environ, "NO_COLOR": "1", "NALCOOP_TEST_PEAK": str(peak),
                                                    **(env or {})})
    except subprocess.TimeoutExpired:
        pytest.fail(f"nalcoop {' '.join(args)} ran longer than {timeout} s")
    seconds = time.monotonic() - started
    assert peak.exists(), f"nalcoop died without exiting normally (code {done.returncode}): {done.stderr[-2000:]!r}"
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode(), int(peak.read_text()) / 1024, seconds)


@dataclass(frozen=True)
class Case:
    name: str
    build: object  # (Path) -> Path
    suffix: str
    refused: str | None  # a phrase of the one-line error, or None when the file is read
    env: tuple[tuple[str, str], ...] = ()


CASES = [
    Case("xlsx whose shared strings inflate to 2 GiB", shared_strings_bomb, ".xlsx", "zip bomb"),
    Case("xlsx bomb whose headers say 1 KB", lying_bomb, ".xlsx", "zip bomb"),
    Case("xlsx with XML entity expansion", billion_laughs, ".xlsx", "cannot be read as a workbook"),
    Case("xlsx with a value at XFD1048576", far_cell, ".xlsx", "as far as cell XFD1048576"),
    Case("xlsx row of 16,384 filled columns", wide_xlsx, ".xlsx", "more than the 1,000 columns"),
    Case("CSV with a 100 MB line", csv_long_line, ".csv", "more than the 50 MB an import reads"),
    Case("CSV with a 100 MB line, size limit raised", csv_long_line, ".csv", "a cell longer than 1,024 KB",
         (("NALCOOP_IMPORT_MAX_MB", "200"),)),
    Case("CSV with 100,000 columns", csv_wide, ".csv", "100,000 columns, more than the 1,000"),
    Case("ods repeating one cell 90 million times", ods_repeated, ".ods", "as far as cell NTP9001"),
    Case("CSV of 1,001 rows, NALCOOP_IMPORT_MAX_ROWS=1000", lambda p: csv_rows(p, 1001), ".csv",
         "more than 1,000 rows", (("NALCOOP_IMPORT_MAX_ROWS", "1000"),)),
    Case("HTML .xls with tables nested 200,000 deep", html_deep, ".xls", "tables nested more than 32 deep"),
    Case("HTML .xls whose spans cover billions of cells", html_spans, ".xls", "more than the 5,000,000 cells"),
    Case("HTML .xls with a 40 MB cell of entities", html_entities, ".xls", "a cell longer than 1,024 KB"),
    Case("xlsx with external links", external_links, ".xlsx", None),
    Case("xlsx with a million empty styled rows", styled_million, ".xlsx", None),
]


@pytest.mark.slow  # each file in its own process, to measure its peak memory
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_file_is_refused_or_read_within_bounded_memory_and_time(case, db_path, tmp_path, figures):
    hostile = case.build(tmp_path / f"hostile{case.suffix}")
    before = file_hash(db_path)
    run = run_nalcoop(db_path, "agreement", "import", str(hostile), env=dict(case.env))
    outcome = "read" if case.refused is None else "refused"
    figures.record("hostile", case.name, f"{outcome}, peak {run.peak_mb:.0f} MB, {run.seconds:.1f} s")
    assert "Traceback" not in run.stderr + run.stdout
    assert run.peak_mb < PEAK_LIMIT_MB, f"peak {run.peak_mb:.0f} MB"
    assert run.seconds < 60
    if case.refused is None:
        assert run.code == 0, run.stderr
        assert "1 created" in run.stderr  # the summary is for the librarian, on stderr
    else:
        assert run.code == 1, run.stdout + run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr
        assert case.refused in lines[0]
        assert str(hostile) in lines[0]
        assert file_hash(db_path) == before


def test_external_links_are_named_and_nothing_is_fetched(db_path, tmp_path):
    """The link's cached value is read (the formula is not re-evaluated), and the user is told."""
    run = run_nalcoop(db_path, "agreement", "import", str(external_links(tmp_path / "linked.xlsx")))
    assert run.code == 0, run.stderr
    assert "links to other workbooks (1 external link part(s))" in run.stderr + run.stdout
    assert "nothing was fetched" in run.stderr + run.stdout
    shown = run_nalcoop(db_path, "agreement", "show", "서울특별시의회", "--format", "json")
    assert "2013-05-01" in shown.stdout


def test_the_importer_reports_external_links_as_a_warning(tmp_path):
    result = importer.as_table(external_links(tmp_path / "linked.xlsx"), "agreements")
    assert [row.values["council"] for row in result.rows] == ["서울특별시의회"]
    assert any("external link" in warning for warning in result.warnings)


def test_the_zip_bomb_check_counts_what_a_part_really_inflates_to(tmp_path, monkeypatch):
    monkeypatch.setenv("NALCOOP_IMPORT_MAX_UNPACKED_MB", "100")
    bomb = lying_bomb(tmp_path / "liar.xlsx", mib=120)
    with pytest.raises(ImportFileError, match="unpacks to more than 100 MB"):
        importer._check_zip(bomb)
    monkeypatch.setenv("NALCOOP_IMPORT_MAX_UNPACKED_MB", "200")
    assert importer._check_zip(bomb) == []  # the same file under a higher limit is read


def test_xlsb_is_refused_with_what_to_do(tmp_path, cli, db_path):
    path = tmp_path / "book.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/worksheets/sheet1.bin", b"\x00\x01")
    result = cli("agreement", "import", str(path), ok=False)
    assert result.exit_code == 1
    assert "binary Excel workbook (xlsb)" in result.output and "save it as an Excel workbook (.xlsx)" in result.output


def _extent(xml: str) -> tuple[int, int, str]:
    measured = _SheetExtent()
    data = xml.encode()
    for start in range(0, len(data), 7):  # fed in small pieces: tags split across chunks still count
        measured.feed(data[start:start + 7])
    measured.feed(b"")
    return measured.extent()


def test_the_quick_measure_bounds_an_ordinary_sheet_by_its_confirmed_dimension():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="E{n}"><v>2</v></c></row>' for n in range(1, 50))
    assert _extent(_sheet(rows, dimension="A1:E49")) == (99_999, 5, "E99999")
    assert _extent(_sheet(rows)) == (99_999, 26, "Z99999")  # no dimension: column Z is the bound


def test_a_dimension_that_lies_is_not_believed():
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="9"><c r="Q9"><v>1</v></c></row>'
    assert _extent(_sheet(rows, dimension="A1:B2"))[1] == 26


def test_cells_beyond_column_z_or_row_99999_are_measured_exactly():
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="250000"><c r="AB250000"><v>1</v></c></row>'
    assert _extent(_sheet(rows)) == (250_000, 28, "AB250000")


def test_a_namespace_prefix_does_not_hide_a_far_cell():
    rows = '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="7"><x:c r="ZZZ7"><x:v>1</x:v></x:c></x:row>'
    rows_count, columns, last = _extent(_sheet(rows, prefix="x"))
    assert columns == 18_278 and last == "ZZZ99999"


def test_cells_without_references_are_counted_in_turn():
    rows = '<row r="1"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row><row r="700000"><c><v>4</v></c></row>'
    rows_count, columns, _ = _extent(_sheet(rows))
    assert rows_count >= 700_000 and columns >= 3


def test_a_reference_that_is_not_the_first_attribute_is_still_read():
    rows = '<row r="1"><c r="A1"><v>1</v></c><c t="n" r="XFD1"><v>1</v></c></row>'
    assert _extent(_sheet(rows))[1] == 16_384


def test_styled_blank_cells_far_away_do_not_refuse_the_file(tmp_path):
    """Formatting to the bottom right leaves empty styled cells; calamine keeps only values."""
    sheet = _sheet(HEADER_AND_ONE_ROW + '<row r="1048576" s="1"><c r="XFD1048576" s="1"/></row>')
    assert importer._check_zip(write_workbook(tmp_path / "styled.xlsx", sheet)) == []
    result = importer.as_table(tmp_path / "styled.xlsx", "agreements")
    assert [row.values["council"] for row in result.rows] == ["서울특별시의회"]


def test_the_cell_limit_is_a_setting(tmp_path, monkeypatch):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="J{n}"><v>2</v></c></row>'
                   for n in [*range(1, 100), 150_000])
    book = write_workbook(tmp_path / "tall.xlsx", _sheet(rows))
    assert importer._check_zip(book) == []  # 150,000 rows × 26 columns (the bound) is under 5,000,000
    monkeypatch.setenv("NALCOOP_IMPORT_MAX_CELLS", "1000")
    with pytest.raises(ImportFileError, match="J150000 .150,000 rows × 10 columns.*more than the 1,000 cells"):
        importer._check_zip(book)


def test_csv_rows_are_streamed_so_a_wide_row_is_refused_before_the_rest_is_split(tmp_path):
    path = csv_wide(tmp_path / "wide.csv", columns=2000, rows=3)
    rows = importer._limited(path, None, importer._csv_rows(path))
    assert next(rows) == ["의회명", "요청일"]
    with pytest.raises(ImportFileError, match=r"row 2: 2,000 columns"):
        next(rows)


def test_openpyxl_runs_with_defusedxml_and_refuses_entity_expansion(tmp_path):
    import openpyxl
    from defusedxml import EntitiesForbidden
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
    with pytest.raises(Exception) as refused:
        openpyxl.load_workbook(billion_laughs(tmp_path / "laughs.xlsx"))
    causes = [refused.value]
    while causes[-1].__cause__ or causes[-1].__context__:
        causes.append(causes[-1].__cause__ or causes[-1].__context__)
    assert any(isinstance(cause, EntitiesForbidden) for cause in causes), causes


def _ods_extent(rows: str) -> tuple[int, int, str]:
    measured = _OdsExtent()
    data = ods_content(rows).encode()
    for start in range(0, len(data), 11):
        measured.feed(data[start:start + 11])
    return measured.extent()


def test_ods_repeats_are_counted_and_trailing_blanks_are_not():
    """LibreOffice ends every sheet with a million repeated empty rows of 1,024 empty cells."""
    blank_tail = ('<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
                  'table:style-name="ce1" table:number-columns-repeated="1024"/></table:table-row>')
    data_row = ('<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2"/>'
                '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
                '<table:table-cell table:number-columns-repeated="1021"/></table:table-row>')
    assert _ods_extent(ODS_HEADER_ROW + data_row + blank_tail) == (4, 3, "C4")
    assert _ods_extent(ODS_HEADER_ROW + blank_tail) == (1, 2, "B1")


def test_an_ods_within_the_limits_is_read(tmp_path):
    row = ('<table:table-row><table:table-cell office:value-type="string"><text:p>서울특별시의회</text:p>'
           '</table:table-cell><table:table-cell office:value-type="string"><text:p>2013-05-01</text:p>'
           "</table:table-cell></table:table-row>")
    path = write_ods(tmp_path / "councils.ods", ODS_HEADER_ROW + row
                     + '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
                     'table:number-columns-repeated="1024"/></table:table-row>')
    result = importer.as_table(path, "agreements")
    assert [(r.values["council"], r.values["requested"]) for r in result.rows] == [("서울특별시의회", "2013-05-01")]

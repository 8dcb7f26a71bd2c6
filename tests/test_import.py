"""The importer: messy workbooks in, all or nothing, safe to re-run, and export round trips."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from nalcoop import agreements
from nalcoop.importer import ImportFileError, load_map, read_table

from .conftest import file_hash

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _journal_size(db_path: Path) -> int:
    return sqlite3.connect(db_path).execute("select count(*) from journal_commands").fetchone()[0]


def _workbook(path: Path, rows: list[list], *, title: str | None = "업무협약 현황", sheet: str = "Sheet1") -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if title:
        worksheet.append([title])
        worksheet.merge_cells("A1:F1")
        worksheet.append([])
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def test_the_sample_workbook_imports_below_its_title_rows(cli, db_path, tmp_path):
    sample = shutil.copy(EXAMPLES / "councils-sample.xlsx", tmp_path / "councils.xlsx")
    result = cli("agreement", "import", str(sample))
    assert "header on row 4" in result.stderr
    assert "45 created, 0 changed, 0 unchanged, 0 rejected" in result.stderr
    gapyeong = [r for r in _rows(cli("agreement", "list")) if r["council"] == "가평군의회"]
    assert gapyeong[0]["signed"] == "2021-05-20"
    assert gapyeong[0]["mode"] == "exchange"


def test_dry_run_reports_what_would_change_and_writes_nothing(cli, db_path, tmp_path):
    sample = shutil.copy(EXAMPLES / "councils-sample.xlsx", tmp_path / "councils.xlsx")
    digest, journal = file_hash(db_path), _journal_size(db_path)
    result = cli("agreement", "import", str(sample), "--dry-run")
    assert "dry run, nothing written" in result.stderr
    assert "45 created" in result.stderr
    assert file_hash(db_path) == digest
    assert _journal_size(db_path) == journal
    assert _rows(cli("agreement", "list")) == []


def test_importing_the_same_file_twice_changes_nothing_the_second_time(cli, db_path, tmp_path):
    sample = shutil.copy(EXAMPLES / "councils-sample.xlsx", tmp_path / "councils.xlsx")
    cli("agreement", "import", str(sample))
    digest, journal = file_hash(db_path), _journal_size(db_path)
    result = cli("agreement", "import", str(sample))
    assert "0 created, 0 changed, 45 unchanged, 0 rejected" in result.stderr
    assert _journal_size(db_path) == journal
    assert file_hash(db_path) == digest


def test_a_later_workbook_adds_steps_to_existing_agreements(cli, tmp_path):
    first = _workbook(tmp_path / "a.xlsx", [["의회명", "시도", "요청일"], ["중구의회", "대구", "2019-03-04"]])
    later = _workbook(tmp_path / "b.xlsx", [["의회명", "시도", "요청일", "협약일", "체결방식"],
                                            ["중구의회", "대구", "2019-03-04", "2019-05-02", "서면"]])
    cli("agreement", "import", str(first))
    result = cli("agreement", "import", str(later))
    assert "0 created, 1 changed" in result.stderr
    rows = _rows(cli("agreement", "list"))
    assert (rows[0]["council"], rows[0]["province"], rows[0]["status"], rows[0]["mode"]) == (
        "중구의회", "대구광역시", "signed", "exchange")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_in_utf8_with_or_without_bom_or_cp949_is_read(cli, tmp_path, encoding):
    text = (
        "의회명,시도,구분,요청일,협약일,체결방식,비고\n"
        "종로구의회,서울,기초,2019. 3. 4.,2019년 5월 2일,대면,첫 협약\n"
    )
    path = tmp_path / "councils.csv"
    path.write_bytes(text.encode(encoding))
    cli("agreement", "import", str(path))
    rows = _rows(cli("agreement", "list"))
    assert [(r["council"], r["signed"], r["mode"]) for r in rows] == [("종로구의회", "2019-05-02", "in-person")]


def test_excel_date_cells_and_every_date_text_form_are_accepted(cli, tmp_path):
    path = _workbook(tmp_path / "dates.xlsx", [
        ["의회명", "시도", "요청일", "협의일", "협약일"],
        ["종로구의회", "서울", dt.date(2019, 3, 4), "2019. 4. 1.", "20190502"],
        ["수원시의회", "경기", "2019년 3월 4일", dt.datetime(2019, 4, 1, 10, 30), 43590],
    ])
    cli("agreement", "import", str(path))
    rows = {r["council"]: r for r in _rows(cli("agreement", "list"))}
    assert rows["종로구의회"]["requested"] == "2019-03-04"
    assert rows["종로구의회"]["signed"] == "2019-05-02"
    assert rows["수원시의회"]["signed"] == "2019-05-05"  # Excel serial day 43590


def test_codes_are_read_as_text_and_keep_leading_zeros(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("의회명,코드,요청일\n가상의회,01110,2019-03-04\n", encoding="utf-8")
    table = read_table(path, load_map("agreements"))
    assert table.rows[0].values["code"] == "01110"


def test_a_code_settles_a_name_shared_by_several_councils(cli, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("의회명,코드,요청일\n중구의회,27110,2019-03-04\n", encoding="utf-8")
    cli("agreement", "import", str(path))
    assert _rows(cli("agreement", "list"))[0]["province"] == "대구광역시"


def test_a_code_that_contradicts_the_name_is_rejected(cli, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("의회명,코드,요청일\n종로구의회,27110,2019-03-04\n", encoding="utf-8")
    result = cli("agreement", "import", str(path), ok=False)
    assert "row 2, column B (코드)" in result.stderr
    assert "but the name says" in result.stderr


def test_a_level_that_contradicts_the_council_is_rejected(cli, tmp_path):
    path = tmp_path / "level.csv"
    path.write_text("의회명,구분,요청일\n서울특별시의회,기초,2019-03-04\n", encoding="utf-8")
    result = cli("agreement", "import", str(path), ok=False)
    assert "is a provincial council, not basic" in result.stderr


def test_a_custom_column_map_reads_another_layout(cli, tmp_path):
    column_map = tmp_path / "map.yaml"
    column_map.write_text(
        "fields:\n"
        "  council: {required: true, headers: [Assembly]}\n"
        "  province: {headers: [Region]}\n"
        "  requested: {type: date, headers: [Asked]}\n",
        encoding="utf-8",
    )
    path = tmp_path / "english.csv"
    path.write_text("Assembly,Region,Asked\nJung-gu Council,Daegu,2019-03-04\n", encoding="utf-8")
    cli("agreement", "import", str(path), "--map", str(column_map))
    rows = _rows(cli("agreement", "list"))
    assert (rows[0]["council"], rows[0]["province"]) == ("중구의회", "대구광역시")


def _cover_sheet_then(path: Path, name: str, rows: list[list]) -> Path:
    """A workbook whose first sheet is a cover page with no header, as offices often send."""
    workbook = Workbook()
    workbook.active.title = "표지"
    workbook.active.append(["이 파일은 예시입니다"])
    data = workbook.create_sheet(name)
    for row in rows:
        data.append(row)
    workbook.save(path)
    return path


def test_the_sheet_option_picks_a_sheet_and_an_unknown_sheet_names_the_ones_there(cli, tmp_path):
    path = _cover_sheet_then(tmp_path / "sheets.xlsx", "2019", [["의회명", "시도", "요청일"],
                                                                  ["종로구의회", "서울", "2019-03-04"]])
    cli("agreement", "import", str(path), "--sheet", "2019")
    assert len(_rows(cli("agreement", "list"))) == 1
    result = cli("agreement", "import", str(path), "--sheet", "2020", ok=False)
    assert "no sheet named '2020'" in result.stderr
    assert "표지, 2019" in result.stderr


def test_without_a_sheet_option_the_first_sheet_with_a_header_is_used(cli, tmp_path):
    path = _cover_sheet_then(tmp_path / "sheets.xlsx", "data", [["council", "province", "requested"],
                                                                  ["Jongno-gu Council", "Seoul", "2019-03-04"]])
    result = cli("agreement", "import", str(path))
    assert "sheet data" in result.stderr


def test_every_bad_row_is_reported_with_sheet_row_column_and_value(cli, db_path, tmp_path):
    path = _workbook(tmp_path / "bad.xlsx", [
        ["의회명", "시도", "요청일", "협약일", "체결방식"],
        ["종로구의회", "서울", "2019-03-04", "2019-05-02", "대면"],
        ["중구의회", None, "2019-03-04", None, None],
        ["수원시의회", "경기", "2019-02-30", None, None],
        ["성남시의회", "경기", "2019-03-04", "2019-01-01", "대면"],
        ["고양시의회", "경기", "2019-03-04", "2019-05-01", "팩스"],
    ], sheet="현황")
    digest = file_hash(db_path)
    result = cli("agreement", "import", str(path), ok=False)
    assert result.exit_code == 1
    err = result.stderr
    assert "bad.xlsx, sheet 현황, row 5, column A (의회명): '중구의회' matches 6 councils" in err
    assert "row 6, column C (요청일): '2019-02-30'" in err and "February 2019 has 28 days" in err
    assert "row 7, column D (협약일)" in err and "earlier than the previous step" in err
    assert "row 8, column E (체결방식): '팩스' is not one of: exchange, in-person" in err
    assert "4 of 5 rows rejected; nothing was imported" in err
    assert file_hash(db_path) == digest


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_export_then_import_changes_nothing(cli, db_path, tmp_path, monkeypatch, lang):
    sample = shutil.copy(EXAMPLES / "councils-sample.xlsx", tmp_path / "councils.xlsx")
    cli("agreement", "import", str(sample))
    cli("agreement", "terminate", "서울특별시의회", "--date", "2024-12-31", "--note", "=cmd|' /C calc'!A0")
    cli("agreement", "request", "서울특별시의회", "--date", "2025-03-01", "--ref", "-2025-1")
    for suffix in ("xlsx", "csv"):
        exported = tmp_path / f"export.{suffix}"
        monkeypatch.setenv("NALCOOP_LANG", lang)  # the export in either language
        cli("agreement", "export", str(exported))
        monkeypatch.setenv("NALCOOP_LANG", "en")  # imports back whatever the language
        digest, journal = file_hash(db_path), _journal_size(db_path)
        result = cli("agreement", "import", str(exported))
        assert "0 created, 0 changed" in result.stderr
        assert "0 rejected" in result.stderr
        assert file_hash(db_path) == digest
        assert _journal_size(db_path) == journal


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_export_rebuilds_the_same_agreements_in_a_new_ledger(cli, tmp_path, monkeypatch, lang):
    sample = shutil.copy(EXAMPLES / "councils-sample.xlsx", tmp_path / "councils.xlsx")
    cli("agreement", "import", str(sample))
    cli("agreement", "terminate", "서울특별시의회", "--date", "2024-12-31")
    cli("agreement", "request", "서울특별시의회", "--date", "2025-03-01", "--ref", "NAL-2025-1")
    exported = tmp_path / "export.xlsx"
    monkeypatch.setenv("NALCOOP_LANG", lang)  # the export in either language
    cli("agreement", "export", str(exported))
    monkeypatch.setenv("NALCOOP_LANG", "en")  # imports back whatever the language
    original = _rows(cli("agreement", "list"))
    fresh = tmp_path / "fresh.db"
    shutil.copy(cli.db_path, fresh)
    sqlite3.connect(fresh).close()
    from .conftest import Cli

    other = Cli(tmp_path / "other.db")
    other("init")
    other("agreement", "import", str(exported))
    assert _rows(other("agreement", "list")) == original


def test_the_export_workbook_has_korean_headers_text_codes_and_date_cells(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("NALCOOP_LANG", "ko")
    cli("agreement", "request", "종로구의회", "--date", "2019-03-04", "--ref", "=1+1")
    exported = tmp_path / "export.xlsx"
    cli("agreement", "export", str(exported))
    sheet = load_workbook(exported).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:7] == ["의회명", "시도", "의회 구분", "코드", "요청일", "협의일", "체결일"]
    assert sheet["C2"].value == "기초의회"  # the level's Korean label, which the column map reads back
    row = {header: cell for header, cell in zip(headers, sheet[2], strict=True)}
    assert row["코드"].value == "11110" and row["코드"].data_type == "s"
    assert row["요청일"].value == dt.datetime(2019, 3, 4)
    assert row["문서번호"].value == "=1+1" and row["문서번호"].data_type == "s"


def test_export_refuses_formats_that_do_not_import_back(cli, tmp_path):
    result = cli("agreement", "export", str(tmp_path / "out.json"), ok=False)
    assert result.exit_code == 2
    assert ".xlsx, .csv or .tsv" in result.stderr


def test_read_table_names_missing_and_unreadable_files(tmp_path):
    with pytest.raises(ImportFileError, match="does not exist"):
        read_table(tmp_path / "nope.xlsx", load_map("agreements"))
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    with pytest.raises(ImportFileError, match="not a xlsx workbook"):
        read_table(fake, load_map("agreements"))


def test_import_function_raises_with_every_problem_and_leaves_rows_to_the_caller(ledger, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("의회명,요청일\n종로구의회,2019-03-04\n없는의회,2019-03-04\n", encoding="utf-8")
    with pytest.raises(agreements.ImportRejected) as caught, ledger.command("test", "t"):
        agreements.import_agreements(ledger.conn, path)
    report = caught.value.report
    assert [o.outcome for o in report.outcomes] == ["created", "rejected"]
    assert report.problems[0].row == 3
    assert ledger.conn.execute("select count(*) from agreement_events").fetchone()[0] == 0


def _ods(path: Path, rows: list[list[str]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes it (no library needed)."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="협약">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_workbook_is_read(cli, tmp_path):
    path = _ods(tmp_path / "councils.ods", [["의회명", "시도", "요청일"], ["중구의회", "울산", "2019. 3. 4."]])
    result = cli("agreement", "import", str(path))
    assert "sheet 협약" in result.stderr
    rows = _rows(cli("agreement", "list"))
    assert (rows[0]["council"], rows[0]["province"], rows[0]["requested"]) == ("중구의회", "울산광역시", "2019-03-04")


def test_an_import_is_one_journal_entry_that_undo_reverts_whole(cli, db_path, tmp_path):
    sample = shutil.copy(EXAMPLES / "councils-sample.xlsx", tmp_path / "councils.xlsx")
    journal = _journal_size(db_path)
    cli("agreement", "import", str(sample))
    assert _journal_size(db_path) == journal + 1
    events = sqlite3.connect(db_path).execute("select count(*) from agreement_events").fetchone()[0]
    changes = sqlite3.connect(db_path).execute(
        "select count(*) from journal_changes where command_id = (select max(id) from journal_commands)"
    ).fetchone()[0]
    assert events == changes > 100
    cli("undo")
    assert _rows(cli("agreement", "list")) == []

"""Issue 19: the workbooks colleagues really send, and work done in bulk — two-row merged headers, cells merged
down, HTML tables saved as .xls, files in disguise, counters, progress and Ctrl-C, standing lists in bulk, and
book details carried to the packing list. Each point through the CLI and at the function level."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from nalcoop import distribution, donations, importer, progress
from nalcoop.importer import ImportFileError, load_map, read_table

from .conftest import file_hash
from .test_safety import _Clock, _Terminal

ISBN = "9788937460449"


def _rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _grouped_councils(path: Path) -> Path:
    """A council workbook as offices make it: a title row, a two-row header whose 추진 일자 groups three dates,
    시도 and 의회명 merged down the header, and 부산 merged down its councils' rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "현황"
    sheet.append(["2020년 지방의회 업무협약 추진 현황"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["시도", "의회명", "추진 일자", None, None, "비고"])
    sheet.append([None, None, "요청일", "협의일", "협약일", None])
    for merged in ("A3:A4", "B3:B4", "C3:E3", "F3:F4"):
        sheet.merge_cells(merged)
    sheet.append(["부산", "부산광역시의회", "2019-03-04", "2019-04-01", "2019-05-02", None])
    sheet.append([None, "강서구의회", "2019-03-05", "2019-04-02", "2019-05-03", "서면"])
    sheet.append([None, "중구의회", "2019-03-06", None, None, None])
    sheet.merge_cells("A5:A7")
    sheet.append(["대구", "중구의회", "2019-03-07", None, None, None])
    book.save(path)
    return path


def _flat_councils(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["시도", "의회명", "요청일", "협의일", "협약일", "비고"])
    for row in (["부산", "부산광역시의회", "2019-03-04", "2019-04-01", "2019-05-02", None],
                ["부산", "강서구의회", "2019-03-05", "2019-04-02", "2019-05-03", "서면"],
                ["부산", "중구의회", "2019-03-06", None, None, None],
                ["대구", "중구의회", "2019-03-07", None, None, None]):
        sheet.append(row)
    book.save(path)
    return path


# ---------------------------------------------------------------- 1, 2: two-row headers, cells merged down


def test_a_two_row_merged_header_and_merged_rows_read_as_excel_shows_them(tmp_path):
    table = read_table(_grouped_councils(tmp_path / "grouped.xlsx"), load_map("agreements"))
    assert (table.header_row, table.header_rows) == (3, 2)
    assert table.header_note.startswith("header on rows 3–4; 시도 → province, 의회명 → council name, "
                                        "추진 일자/요청일 → request date")
    assert [(row.row, row.values["province"], row.values["council"]) for row in table.rows] == [
        (5, "부산", "부산광역시의회"), (6, "부산", "강서구의회"), (7, "부산", "중구의회"), (8, "대구", "중구의회")]
    assert table.columns["signed"] == "E (추진 일자/협약일)"
    assert table.problems == []


def test_a_grouped_workbook_imports_as_the_same_data_in_the_flat_layout(cli, db_path, tmp_path):
    grouped = cli("agreement", "import", str(_grouped_councils(tmp_path / "grouped.xlsx")))
    assert "header on rows 3–4; 시도 → province" in grouped.stderr
    assert "추진 일자/요청일 → request date" in grouped.stderr
    assert "4 created" in grouped.stderr
    listed = cli("agreement", "list", "--format", "csv").stdout
    assert listed.count("\n") == 5  # the header and four councils, 부산 중구 and 대구 중구 told apart
    from typer.testing import CliRunner

    from nalcoop.cli import app

    runner = CliRunner()
    fresh = tmp_path / "fresh.db"
    assert runner.invoke(app, ["--db", str(fresh), "init"]).exit_code == 0
    flat = runner.invoke(app, ["--db", str(fresh), "agreement", "import", str(_flat_councils(tmp_path / "f.xlsx"))])
    assert flat.exit_code == 0, flat.output
    assert runner.invoke(app, ["--db", str(fresh), "agreement", "list", "--format", "csv"]).stdout == listed


def test_a_column_map_can_name_a_two_row_header(cli, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["의회명", "요청", None, "협약", None])
    sheet.append([None, "일자", "번호", "일자", "번호"])
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("D1:E1")
    sheet.merge_cells("A1:A2")
    sheet.append(["종로구의회", "2019-03-04", "A-1", "2019-05-02", "B-1"])
    path = tmp_path / "pairs.xlsx"
    book.save(path)
    column_map = tmp_path / "pairs.yaml"
    column_map.write_text("fields:\n  council: {required: true, headers: [의회명]}\n"
                          "  requested: {type: date, headers: ['요청 > 일자']}\n"
                          "  signed: {type: date, headers: ['협약 > 일자']}\n", encoding="utf-8")
    table = read_table(path, load_map(column_map))
    assert table.rows[0].values == {"council": "종로구의회", "requested": "2019-03-04", "signed": "2019-05-02"}
    result = cli("agreement", "import", str(path), "--map", str(column_map))
    assert "header on rows 1–2; 의회명 → council, 요청/일자 → requested, 협약/일자 → signed" in result.stderr
    assert "1 created" in result.stderr


def test_a_title_merged_over_the_table_is_not_taken_for_a_header_group(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["업무협약 현황"])
    sheet.merge_cells("A1:B1")
    sheet.append(["의회명", "요청일"])
    sheet.append(["종로구의회", "2019-03-04"])
    path = tmp_path / "titled.xlsx"
    book.save(path)
    table = read_table(path, load_map("agreements"))
    assert (table.header_row, table.header_rows) == (2, 1)
    assert table.header_note == "header on row 2; 의회명 → council name, 요청일 → request date"


# ---------------------------------------------------------------- 3, 4: HTML .xls and files in disguise


HTML_RECIPIENTS = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">
<style>td {{ mso-number-format: "\\@"; }}</style></head><body>
<table border=1><tr><th colspan=3>발송처 목록 &amp; 현황</th></tr>
<tr><th>기관명</th><th>국가</th><th>유형</th></tr>
<tr><td>Library of Congress</td><td>미국</td><td rowspan=2>국립도서관</td></tr>
<tr><td>National Diet Library</td><td>일본</td></tr>
<tr><td>부산대학교 도서관<br>(본관)</td><td>한국</td><td>대학도서관</td></tr>
</table>{tail}</body></html>"""


def _html_xls(path: Path, encoding: str = "cp949", tail: str = "") -> Path:
    text = HTML_RECIPIENTS.format(tail=tail)
    if encoding != "cp949":
        text = text.replace("charset=euc-kr", f"charset={encoding}")
    path.write_bytes(text.encode(encoding))
    return path


def test_an_html_table_saved_as_xls_in_cp949_imports(cli, tmp_path):
    path = _html_xls(tmp_path / "발송처.xls")
    result = cli("distribute", "recipient", "import", str(path))
    assert "note: 발송처.xls is really an HTML table in CP949; it was read as such" in result.stderr
    assert "발송처.xls, sheet table 1: header on row 2; 기관명 → recipient name" in result.stderr
    assert "3 created" in result.stderr
    rows = {row["recipient"]: row for row in _rows(cli("distribute", "recipient", "list", "--format", "csv"))}
    assert rows["National Diet Library"]["type"] == "national-library"  # from the rowspan above it
    assert rows["부산대학교 도서관 (본관)"]["country"] == "KR"


@pytest.mark.parametrize("encoding", ["utf-8", "cp949"])
def test_html_tables_are_parsed_with_spans_as_merged_cells(tmp_path, encoding):
    path = _html_xls(tmp_path / "list.xls", encoding, tail="<table><tr><td>다른 표</td></tr></table>")
    kind = importer.sniff(path)
    assert (kind.kind, kind.encoding) == ("html", "cp949" if encoding == "cp949" else "utf-8-sig")
    assert [sheet.name for sheet in importer._sheets(path, None, [])] == ["table 1", "table 2"]
    table = read_table(path, load_map("distribution_recipients"))
    assert [row.values["name"] for row in table.rows] == ["Library of Congress", "National Diet Library",
                                                          "부산대학교 도서관 (본관)"]
    assert table.rows[1].values["type"] == "national-library"


def test_a_nested_table_is_its_cells_text_and_script_is_not_read(tmp_path):
    path = tmp_path / "nested.xls"
    path.write_text("<table><tr><td>기관명</td><td>국가</td></tr><tr><td>국회<table><tr><td>도서관</td></tr>"
                    "</table></td><td>KR<script>alert(1)</script></td></tr></table>", encoding="utf-8")
    table = read_table(path, load_map("distribution_recipients"))
    assert table.rows[0].values == {**table.rows[0].values, "name": "국회도서관", "country": "KR"}


def test_utf16_unicode_text_and_a_csv_named_xlsx_are_read_and_named(cli, tmp_path):
    unicode_text = tmp_path / "unicode.txt"
    unicode_text.write_bytes("의회명\t요청일\r\n종로구의회\t2019-03-04\r\n".encode("utf-16"))
    assert importer.sniff(unicode_text) == importer.FileKind("text", "utf-16")
    result = cli("agreement", "import", str(unicode_text))
    assert "1 created" in result.stderr
    disguised = tmp_path / "councils.xlsx"
    disguised.write_bytes("의회명,요청일\r\n서울특별시 중구의회,2019-03-05\r\n".encode("cp949"))
    result = cli("agreement", "import", str(disguised), "--dry-run")
    assert "note: councils.xlsx is really text (CSV/TSV) in CP949; it was read as such" in result.stderr
    assert "would be: 1 created" in result.stderr


def test_a_file_that_is_no_table_at_all_is_refused_saying_what_kinds_are_read(cli, db_path, tmp_path):
    fake = tmp_path / "fake.xls"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    before = file_hash(db_path)
    result = cli("agreement", "import", str(fake), ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip() == (f"Error: {fake} is not a xls workbook: its content is neither xlsx, xls, ods, "
                                     "an HTML table nor text in UTF-8, UTF-16 or CP949; save it again from Excel "
                                     "as .xlsx, or check the file")
    xml = tmp_path / "old.xls"
    xml.write_text('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
                   'xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>', encoding="utf-8")
    result = cli("agreement", "import", str(xml), ok=False)
    assert "is an Excel 2003 XML spreadsheet, which nalcoop does not read" in result.stderr
    assert file_hash(db_path) == before


def test_html_limits_refuse_deep_nesting_huge_spans_and_long_cells(tmp_path, monkeypatch):
    deep = tmp_path / "deep.xls"
    deep.write_text("<table><tr><td>" * 40 + "x", encoding="utf-8")
    with pytest.raises(ImportFileError, match="tables nested more than 32 deep"):
        read_table(deep, load_map("agreements"))
    monkeypatch.setenv("NALCOOP_IMPORT_MAX_CELLS", "1000")
    spans = tmp_path / "spans.xls"
    spans.write_text("<table><tr><td>의회명</td></tr><tr><td rowspan=65534 colspan=900>x</td></tr></table>",
                     encoding="utf-8")
    with pytest.raises(ImportFileError, match="more than the 1,000 cells an import reads.*NALCOOP_IMPORT_MAX_CELLS"):
        read_table(spans, load_map("agreements"))
    monkeypatch.setenv("NALCOOP_IMPORT_MAX_CELL_KB", "1")
    long = tmp_path / "long.xls"
    long.write_text("<table><tr><td>" + "&amp;" * 2000 + "</td></tr></table>", encoding="utf-8")
    with pytest.raises(ImportFileError, match="a cell longer than 1 KB"):
        read_table(long, load_map("agreements"))


# ---------------------------------------------------------------- 5: counters


def test_counters_are_read_as_quantities_and_a_counter_that_does_not_fit_is_refused(cli, db_path, tmp_path):
    good = tmp_path / "books.csv"
    good.write_text(f"ISBN,서명,수량,사유\r\n{ISBN},채식주의자,3권,중복\r\n,국회도서관 70년사,5부,중복\r\n"
                    ",의정 자료집,2책,등록제외\r\n", encoding="utf-8")
    result = cli("donate", "stock", "import", str(good))
    assert "added to stock: 3 lines, 10 books" in result.stderr
    bad = tmp_path / "hours.csv"
    bad.write_text("서명,수량,사유\r\n의정 자료집,3시간,중복\r\n", encoding="utf-8")
    before = file_hash(db_path)
    refused = cli("donate", "stock", "import", str(bad), ok=False)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert ("hours.csv, row 2, column B (수량): the quantity '3시간' counts hours, not books or copies; "
            "write 3 or 3권") in refused.stderr
    assert file_hash(db_path) == before
    option = cli("donate", "stock", "add", "--title", "의정 자료집", "--copies", "3시간", "--reason", "duplicate",
                 ok=False)
    assert "quantity: the quantity of books '3시간' counts hours" in option.stderr


def test_counters_at_the_function_level():
    assert importer.whole_number("3권", 1, importer.COPY_COUNTERS) == 3
    assert importer.whole_number("1,200 부", 1, importer.COPY_COUNTERS) == 1200
    assert importer.hours_value("5시간") == 5.0
    with pytest.raises(ValueError, match="the hours '3권' counts books, not hours; write 3 or 3시간"):
        importer.hours_value("3권")
    with pytest.raises(ValueError, match="the number '3권' counts books, and takes no counter; write 3"):
        importer.whole_number("3권")  # a field that takes no counter
    with pytest.raises(ValueError, match="counts people"):
        importer.whole_number("3명", 1, importer.COPY_COUNTERS, "quantity")


# ---------------------------------------------------------------- 6: progress and Ctrl-C


def test_the_bar_covers_reading_checking_and_writing_on_a_terminal_only(monkeypatch):
    monkeypatch.delenv("TERM", raising=False)
    stream = _Terminal()
    with progress.activity("importing big.xlsx", stream=stream, clock=_Clock(0.3)) as work:
        for name in ("reading big.xlsx", "checking big.xlsx", "writing big.xlsx to the ledger"):
            work.stage(name, 100)
            work.advance(100)
    drawn = stream.getvalue()
    assert "checking big.xlsx" in drawn or "writing big.xlsx" in drawn
    monkeypatch.setenv("TERM", "dumb")
    dumb = _Terminal()
    with progress.activity("importing", stream=dumb, clock=_Clock(0.3)) as work:
        work.stage("reading", 10)
        work.advance(10)
    assert dumb.getvalue() == ""


def test_an_import_in_a_pipe_prints_no_bar(cli, tmp_path):
    path = tmp_path / "books.csv"
    path.write_text("서명,수량,사유\r\n" + "".join(f"책 {n},1,중복\r\n" for n in range(5000)), encoding="utf-8")
    result = cli("donate", "stock", "import", str(path))
    lines = [line for line in result.stderr.splitlines() if not line.startswith("backed up")]
    assert lines == ["books.csv: header on row 1; 서명 → title, 수량 → quantity, 사유 → reason",
                     "added to stock: 5000 lines, 5000 books (5000 duplicate)"]


@pytest.mark.parametrize(("args", "words"), [
    (["donate", "stock", "import", "BOOKS"], "interrupted: nothing was imported"),
    (["distribute", "send", "월간 국회도서관", "--issue", "2024-05"], "interrupted: nothing was dispatched"),
])
def test_ctrl_c_prints_one_line_exits_130_and_leaves_the_ledger_unchanged(cli, db_path, tmp_path, monkeypatch,
                                                                           args, words):
    path = tmp_path / "books.csv"
    path.write_text("서명,수량,사유\r\n의정 자료집,3,중복\r\n", encoding="utf-8")
    cli("distribute", "publication", "add", "월간 국회도서관", "--frequency", "monthly")
    cli("distribute", "issue", "add", "월간 국회도서관", "2024-05", "--date", "2024-05-01")

    def stopped(conn, *_args, **_kwargs):
        conn.execute("insert into donation_stock_receipts (on_date, source, line_count, books, lines) "
                     "values ('2024-01-01', 'add', 1, 1, '[[\"title:x\",null,\"x\",\"duplicate\",null,1]]')")
        raise KeyboardInterrupt

    monkeypatch.setattr(donations, "import_stock", stopped)
    monkeypatch.setattr(distribution, "plan_dispatch", stopped)
    before = file_hash(db_path)
    result = cli(*[str(path) if arg == "BOOKS" else arg for arg in args], ok=False)
    assert result.exit_code == 130
    assert result.stderr == words + "\n"
    assert file_hash(db_path) == before


# ---------------------------------------------------------------- 7: standing lists in bulk


@pytest.fixture
def sender(cli, tmp_path):
    cli("distribute", "publication", "add", "월간 국회도서관", "--frequency", "monthly")
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("name,country,type\r\n" + "".join(
        f"Library {n:03d},{'US' if n % 2 else 'JP'},university\r\n" for n in range(150)), encoding="utf-8")
    cli("distribute", "recipient", "import", str(recipients))
    return cli


def _standing_list(path: Path, rows: int = 150, extra: str = "") -> Path:
    path.write_text("기관명,국가,자료명,부수,시작일\r\n" + "".join(
        f"Library {n:03d},{'US' if n % 2 else 'JP'},월간 국회도서관,{1 + n % 3}부,2025-01-01\r\n"
        for n in range(rows)) + extra, encoding="utf-8")
    return path


def test_a_standing_list_of_150_rows_is_one_idempotent_dry_runnable_import(sender, db_path, tmp_path, figures):
    path = _standing_list(tmp_path / "standing.csv")
    before = file_hash(db_path)
    dry = sender("distribute", "subscribe", "--import", str(path), "--dry-run")
    assert "dry run, nothing written — would be: 150 created, 0 changed, 0 unchanged" in dry.stderr
    assert file_hash(db_path) == before
    started = time.perf_counter()
    done = sender("distribute", "subscribe", "--import", str(path))
    figures.record("subscribe", "150-row standing list imported in-process", f"{time.perf_counter() - started:.2f} s")
    assert "150 created" in done.stderr
    assert "row 3: Library 001 (US) — subscribed (『월간 국회도서관』, 2 × from 2025-01-01)" in done.stderr
    again = sender("distribute", "subscribe", "--import", str(path))
    assert "0 created, 0 changed, 150 unchanged" in again.stderr
    rows = _rows(sender("distribute", "subscriptions", "--as-of", "2025-02-01", "--format", "csv"))
    assert len(rows) == 150 and {row["copies"] for row in rows} == {"1", "2", "3"}


def test_a_bad_row_of_a_standing_list_is_named_and_nothing_is_imported(sender, db_path, tmp_path):
    path = _standing_list(tmp_path / "standing.csv", 3, "Nowhere Library,US,월간 국회도서관,1,2025-01-01\r\n"
                                                         "Library 000,JP,월간 국회도서관,3시간,2025-01-01\r\n")
    before = file_hash(db_path)
    result = sender("distribute", "subscribe", "--import", str(path), ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "standing.csv, row 5, column A (기관명): " in result.stderr
    assert "standing.csv, row 6, column D (부수): the copies '3시간' counts hours" in result.stderr
    assert "2 of 5 rows rejected; nothing was imported" in result.stderr
    assert file_hash(db_path) == before
    usage = sender("distribute", "subscribe", "Library 000", "--import", str(path), ok=False)
    assert usage.exit_code == 2 and "drop the other arguments" in usage.stderr


def test_subscriptions_import_at_the_function_level(sender, ledger, tmp_path):
    table = read_table(_standing_list(tmp_path / "s.csv", 4), load_map("distribution_subscriptions"))
    with ledger.command("test", "t"):
        counts = distribution.import_subscriptions(ledger.conn, table, "2025-01-01")
        assert counts.outcomes == {"created": 4, "changed": 0, "unchanged": 0}
        assert distribution.import_subscriptions(ledger.conn, table, "2025-01-01").outcomes["unchanged"] == 4


def test_a_recipient_list_may_carry_a_publication_and_copies(cli, tmp_path):
    cli("distribute", "publication", "add", "월간 국회도서관", "--frequency", "monthly")
    path = tmp_path / "recipients.csv"
    path.write_text("기관명,국가,유형,간행물,부수\r\nLibrary of Congress,US,national library,월간 국회도서관,2부\r\n"
                    "National Diet Library,JP,national library,,\r\n", encoding="utf-8")
    result = cli("distribute", "recipient", "import", str(path))
    assert "2 created, 0 changed, 0 unchanged, 1 subscribed" in result.stderr
    again = cli("distribute", "recipient", "import", str(path))
    assert "0 created, 0 changed, 2 unchanged" in again.stderr and "subscribed" not in again.stderr
    rows = _rows(cli("distribute", "subscriptions", "--format", "csv"))
    assert [(row["recipient"], row["copies"]) for row in rows] == [("Library of Congress", "2")]


# ---------------------------------------------------------------- 8: book details


def test_title_author_publisher_and_condition_reach_the_batch_and_packing_list(cli, tmp_path):
    cli("donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "전라남도 신안군")
    path = tmp_path / "books.csv"
    path.write_text(f"ISBN,서명,저자,출판사,수량,사유,상태\r\n{ISBN},채식주의자,한강,창비,3권,중복,양호\r\n"
                    ",국회도서관 70년사,국회도서관,국회도서관,2,등록제외,보통\r\n", encoding="utf-8")
    cli("donate", "stock", "import", str(path))
    cli("donate", "add", "--library", "해바라기작은도서관", "--isbn", ISBN, "--copies", "2")
    cli("donate", "add", "--library", "해바라기작은도서관", "--title", "국회도서관 70년사", "--copies", "2")
    shown = _rows(cli("donate", "batch", "show", "2026-001", "--format", "csv"))
    assert [(r["title"], r["author"], r["publisher"], r["condition"]) for r in shown] == [
        ("채식주의자", "한강", "창비", "양호"), ("국회도서관 70년사", "국회도서관", "국회도서관", "보통")]  # as added
    packing = tmp_path / "packing.xlsx"
    cli("donate", "packing-list", "2026-001", "-o", str(packing))
    from openpyxl import load_workbook

    values = [[cell.value for cell in row] for row in load_workbook(packing).active.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[:2] == ["no", "ISBN"])
    assert values[header][2:7] == ["title", "author", "publisher", "reason", "condition"]
    assert values[header + 1][2:7] == ["채식주의자", "한강", "창비", "duplicate", "양호"]  # the run is in English
    korean = tmp_path / "packing-ko.xlsx"
    cli("--lang", "ko", "donate", "packing-list", "2026-001", "-o", str(korean))
    values = [[cell.value for cell in row] for row in load_workbook(korean).active.iter_rows()]
    assert any(row[2:7] == ["채식주의자", "한강", "창비", "중복", "양호"] for row in values)  # Korean: 중복


def test_a_stock_line_without_a_title_takes_the_known_one_is_asked_or_is_refused(cli, db_path, tmp_path,
                                                                                    monkeypatch):
    before = file_hash(db_path)
    refused = cli("donate", "stock", "add", "--isbn", ISBN, "--copies", "2", "--reason", "duplicate", ok=False)
    assert refused.exit_code == 2
    assert "missing option '--title' (title of 9788937460449 (the ledger knows none yet))" in refused.stderr
    path = tmp_path / "isbn-only.csv"
    path.write_text(f"ISBN,수량,사유\r\n{ISBN},1,중복\r\n", encoding="utf-8")
    listed = cli("donate", "stock", "import", str(path), ok=False)
    assert "isbn-only.csv, row 2: the book 9788937460449 has no title, and the ledger knows none" in listed.stderr
    assert file_hash(db_path) == before
    from nalcoop.commands import common

    monkeypatch.setattr(common, "_stdin_is_terminal", lambda: True)
    asked = cli("donate", "stock", "add", "--isbn", ISBN, "--copies", "2", "--reason", "duplicate",
                input="채식주의자\n")
    assert "stock: +2 × 9788937460449 '채식주의자'" in asked.stderr
    monkeypatch.setattr(common, "_stdin_is_terminal", lambda: False)
    known = cli("donate", "stock", "add", "--isbn", "89-374-6044-0", "--copies", "1", "--reason", "duplicate")
    assert "'채식주의자' (duplicate); 3 on hand" in known.stderr
    assert "1 lines, 1 books" in cli("donate", "stock", "import", str(path)).stderr


def test_stock_details_at_the_function_level(ledger):
    item = donations.make_item(ISBN, "채식주의자", "3권", "duplicate", "양호", author="한강", publisher="창비")
    with ledger.command("test", "t"):
        donations.add_stock(ledger.conn, [item], "2024-01-01")
    assert donations.stock_details(ledger.conn, ISBN) == {"title": "채식주의자", "condition": "양호",
                                                          "author": "한강", "publisher": "창비"}
    assert donations.known_titles(ledger.conn, {ISBN}) == {ISBN: "채식주의자"}


def test_a_byte_order_mark_without_utf16_text_after_it_is_refused_in_one_line(cli, db_path, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"\xff\xfe\x00")  # found by the fuzzer: a BOM, then half a character
    before = file_hash(db_path)
    result = cli("agreement", "import", str(broken), ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: {broken} is not a xlsx workbook: its content is neither")
    assert file_hash(db_path) == before

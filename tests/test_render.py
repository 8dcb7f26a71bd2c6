"""The one renderer: every format, files and pipes, Hangul, formula defusing, codes as text, no colour in pipes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len

from nalcoop.errors import UsageError
from nalcoop.render import Column, render

BOM = "\ufeff"
TEXT_FORMATS = ("csv", "tsv", "json", "jsonl")
FILE_FORMATS = {"csv": ".csv", "tsv": ".tsv", "json": ".json", "jsonl": ".jsonl", "xlsx": ".xlsx", "table": ".txt"}
FORMULA_LIKE = ["=1+1", "=HYPERLINK(\"http://x\",\"클릭\")", "+82-2-788-4211", "-5", "@SUM(A1:A2)", "\tindent",
                "\rreturn"]

COLUMNS = [Column("name", "council"), Column("name_en", "english"), Column("code", kind="code"),
           Column("signed", kind="date"), Column("copies", kind="int")]
ROWS = [
    {"name": "서울특별시의회", "name_en": "Seoul Metropolitan Council", "code": "11", "signed": "2013-07-01",
     "copies": 3},
    {"name": "경기도 가평군의회", "name_en": "Gapyeong-gun Council", "code": "41820", "signed": "2021-05-20",
     "copies": 1200},
    {"name": "종로구의회", "name_en": "Jongno-gu Council", "code": "01110", "signed": None, "copies": None},
]
# Every row as text, column by column, the way each format should carry it back.
EXPECTED = [
    ["서울특별시의회", "Seoul Metropolitan Council", "11", "2013-07-01", "3"],
    ["경기도 가평군의회", "Gapyeong-gun Council", "41820", "2021-05-20", "1200"],
    ["종로구의회", "Jongno-gu Council", "01110", "", ""],
]

SGR = re.compile(r"\x1b\[([0-9;]*)m")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def read_back(path: Path, fmt: str) -> tuple[list[str], list[list[str]]]:
    """A written file as (header, rows of text), whatever its format."""
    if fmt == "xlsx":
        sheet = load_workbook(path).active
        table = [[_text(cell.value) for cell in row] for row in sheet.iter_rows()]
        return table[0], table[1:]
    text = path.read_text(encoding="utf-8")
    return parse_text(text.removeprefix(BOM), fmt)


def parse_text(text: str, fmt: str) -> tuple[list[str], list[list[str]]]:
    if fmt in ("csv", "tsv"):
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter="," if fmt == "csv" else "\t"))
        return table[0], table[1:]
    records = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
    header = list(records[0]) if records else []
    return header, [[_text(value) for value in record.values()] for record in records]


def _colour_codes(text: str) -> list[str]:
    """SGR parameters that set a foreground or background colour (30-38, 40-48, 90-97, 100-107)."""
    found = []
    for params in SGR.findall(text):
        for param in params.split(";"):
            if param.isdigit() and (30 <= int(param) <= 48 or 90 <= int(param) <= 107):
                found.append(param)
    return found


def _csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# ------------------------------------------------------------------ function level: every format


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_each_text_format_on_a_stream_carries_every_row_with_hangul_intact(fmt):
    stream = io.StringIO()
    assert render(ROWS, COLUMNS, fmt=fmt, stream=stream) == fmt
    header, rows = parse_text(stream.getvalue(), fmt)
    expected_header = [c.title for c in COLUMNS] if fmt in ("csv", "tsv") else [c.key for c in COLUMNS]
    assert header == expected_header
    assert rows == EXPECTED
    assert not stream.getvalue().startswith(BOM)


@pytest.mark.parametrize("fmt", list(FILE_FORMATS))
def test_each_format_written_with_o_round_trips_hangul_and_codes(tmp_path, fmt):
    path = tmp_path / f"councils{FILE_FORMATS[fmt]}"
    assert render(ROWS, COLUMNS, output=path) == fmt
    if fmt == "table":
        text = path.read_text(encoding="utf-8")
        for row in EXPECTED:
            assert row[0] in text and row[2] in text
        assert "\x1b" not in text
        return
    header, rows = read_back(path, fmt)
    assert rows == EXPECTED
    assert len(header) == len(COLUMNS)


def test_a_table_on_a_stream_shows_every_value_with_thousands_separators():
    stream = io.StringIO()
    render(ROWS, COLUMNS, fmt="table", stream=stream, title="의회")
    text = stream.getvalue()
    for row in EXPECTED:
        assert row[0] in text and row[1] in text
    assert "1,200" in text
    assert "01110" in text


def test_xlsx_cannot_go_to_a_stream_and_says_to_use_o():
    with pytest.raises(UsageError, match="-o FILE.xlsx"):
        render(ROWS, COLUMNS, fmt="xlsx", stream=io.StringIO())


def test_an_unknown_format_name_is_a_usage_error_listing_the_formats():
    with pytest.raises(UsageError) as caught:
        render(ROWS, COLUMNS, fmt="yaml", stream=io.StringIO())
    for name in ("table", "csv", "tsv", "json", "jsonl", "xlsx"):
        assert name in str(caught.value)


# ------------------------------------------------------------------ BOM


def test_csv_written_to_a_file_starts_with_a_bom_and_csv_on_a_stream_does_not(tmp_path):
    path = tmp_path / "out.csv"
    render(ROWS, COLUMNS, output=path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw[3:].decode("utf-8").startswith("council,english,code")
    stream = io.StringIO()
    render(ROWS, COLUMNS, fmt="csv", stream=stream)
    assert stream.getvalue().startswith("council,english,code")


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_files_have_no_bom_so_any_json_parser_reads_them(tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    render(ROWS, COLUMNS, output=path)
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    text = path.read_text(encoding="utf-8")
    first = json.loads(text)[0] if fmt == "json" else json.loads(text.splitlines()[0])
    assert first["name"] == "서울특별시의회"


def test_the_cli_puts_a_bom_in_a_csv_file_and_none_on_stdout(cli, tmp_path):
    path = tmp_path / "councils.csv"
    cli("agreement", "councils", "--level", "provincial", "-o", str(path))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    piped = cli("agreement", "councils", "--level", "provincial", "--format", "csv").stdout
    assert not piped.startswith(BOM)
    assert piped.startswith("council,english,province")
    assert path.read_text(encoding="utf-8-sig") == piped


# ------------------------------------------------------------------ formulas


@pytest.mark.parametrize("value", FORMULA_LIKE, ids=repr)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_formula_like_value_gets_a_leading_apostrophe_in_csv_and_tsv(value, fmt):
    stream = io.StringIO()
    render([{"note": value, "name": "종로구의회"}], [Column("name"), Column("note")], fmt=fmt, stream=stream)
    header, rows = parse_text(stream.getvalue(), fmt)
    assert header == ["name", "note"]
    assert rows == [["종로구의회", "'" + value]]


@pytest.mark.parametrize("value", FORMULA_LIKE, ids=repr)
def test_a_formula_like_value_is_a_plain_text_cell_in_xlsx_with_exactly_its_text(tmp_path, value):
    path = tmp_path / "out.xlsx"
    render([{"name": "종로구의회", "note": value}], [Column("name"), Column("note")], output=path)
    cell = load_workbook(path).active["B2"]
    assert cell.data_type == "s"
    # Read back as Excel and nalcoop's importer do: they undo Excel's _xHHHH_ escaping of control
    # characters (openpyxl leaves it as written), so a leading CR survives the round trip.
    from python_calamine import CalamineWorkbook

    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1][1] == value


def test_a_literal_excel_escape_sequence_in_text_survives_an_xlsx_round_trip(tmp_path):
    from python_calamine import CalamineWorkbook

    path = tmp_path / "out.xlsx"
    render([{"note": "code _x0041_ stays"}], [Column("note")], output=path)
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1][0] == "code _x0041_ stays"


def test_a_negative_number_stays_a_number_and_is_not_defused():
    stream = io.StringIO()
    render([{"n": -5}], [Column("n", kind="int")], fmt="csv", stream=stream)
    assert stream.getvalue() == "n\r\n-5\r\n"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_value_with_a_carriage_return_inside_stays_one_field_of_one_row(fmt):
    stream = io.StringIO()
    rows = [{"name": "종로구의회", "note": "line one\rline two"}, {"name": "중구의회", "note": "ok"}]
    render(rows, [Column("name"), Column("note")], fmt=fmt, stream=stream)
    header, parsed = parse_text(stream.getvalue(), fmt)
    assert parsed == [["종로구의회", "line one\rline two"], ["중구의회", "ok"]]


def test_the_cli_never_exports_a_note_as_a_live_formula(cli, tmp_path):
    cli("agreement", "request", "종로구", "--date", "2020-01-01", "--ref", "=cmd|' /C calc'!A0")
    piped = _csv_rows(cli("agreement", "list", "--format", "csv").stdout)
    assert piped[0]["ref"] == "'=cmd|' /C calc'!A0"
    path = tmp_path / "list.xlsx"
    cli("agreement", "list", "-o", str(path))
    sheet = load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("ref") + 1)
    assert cell.data_type == "s"
    assert cell.value == "=cmd|' /C calc'!A0"


# ------------------------------------------------------------------ codes


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx"])
def test_a_code_keeps_its_leading_zero_as_text(tmp_path, fmt):
    path = tmp_path / f"codes{FILE_FORMATS[fmt]}"
    render([{"code": "01110"}, {"code": "00"}], [Column("code", kind="code")], output=path)
    if fmt == "xlsx":
        sheet = load_workbook(path).active
        for address, expected in (("A2", "01110"), ("A3", "00")):
            assert sheet[address].data_type == "s"
            assert sheet[address].value == expected
        return
    _, rows = read_back(path, fmt)
    assert rows == [["01110"], ["00"]]
    if fmt in ("json", "jsonl"):
        assert '"01110"' in path.read_text(encoding="utf-8")


def test_a_date_column_becomes_a_real_date_cell_in_xlsx(tmp_path):
    path = tmp_path / "dates.xlsx"
    render([{"signed": "2020-02-29"}], [Column("signed", kind="date")], output=path)
    cell = load_workbook(path).active["A2"]
    assert cell.is_date
    assert cell.value.date() == dt.date(2020, 2, 29)


# ------------------------------------------------------------------ pipes, terminals, colour


def test_csv_is_the_default_on_a_stream_that_is_not_a_terminal():
    stream = io.StringIO()
    assert render(ROWS, COLUMNS, stream=stream) == "csv"
    assert stream.getvalue().splitlines()[0] == "council,english,code,signed,copies"


def test_a_table_is_the_default_on_a_terminal():
    stream = FakeTerminal()
    assert render(ROWS, COLUMNS, stream=stream) == "table"
    assert "┃" in stream.getvalue() or "|" in stream.getvalue()


def test_the_cli_writes_csv_with_a_header_when_stdout_is_a_pipe(cli):
    result = cli("agreement", "councils", "--as-of", "2020-02-29")
    rows = _csv_rows(result.stdout)
    assert result.stdout.splitlines()[0] == "council,english,province,level,kind,code"
    assert len(rows) == 17 + 226
    assert {"council": "종로구의회", "english": "Jongno District Council", "province": "서울특별시", "level": "basic",
            "kind": "gu", "code": "11110"} in rows


@pytest.mark.parametrize("fmt", ["table", *TEXT_FORMATS])
@pytest.mark.parametrize("command", [("agreement", "councils", "--level", "provincial"), ("agreement", "list")])
def test_piped_output_has_no_escape_codes_even_without_no_color(cli, monkeypatch, fmt, command):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    cli("agreement", "sign", "서울시의회", "--date", "2013-07-01", "--mode", "in-person", "--without-request")
    result = cli(*command, "--format", fmt)
    assert "서울특별시의회" in result.stdout
    assert "\x1b" not in result.output


def test_no_color_removes_colour_from_a_table_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    styled = FakeTerminal()
    render(ROWS, COLUMNS, stream=styled, title="의회")
    # Without NO_COLOR the fake terminal is treated as one (styles appear), so the check below is not vacuous.
    assert "\x1b[" in styled.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    plain = FakeTerminal()
    render(ROWS, COLUMNS, stream=plain, title="의회")
    assert _colour_codes(plain.getvalue()) == []
    assert "서울특별시의회" in plain.getvalue()


# ------------------------------------------------------------------ table layout


def _box_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and line[0] in "┏┃┡│└╇┣┗━"]


def test_a_rich_table_with_hangul_lines_up_every_border():
    rows = [*ROWS, {"name": "인천광역시 미추홀구의회", "name_en": "Michuhol-gu Council", "code": "28177",
                    "signed": "2019-01-02", "copies": 7}]
    stream = io.StringIO()
    render(rows, COLUMNS, fmt="table", stream=stream, title="협약 의회")
    lines = _box_lines(stream.getvalue())
    assert len(lines) == 3 + len(rows) + 1  # top, header, rule, rows, bottom
    widths = {cell_len(line) for line in lines}
    assert len(widths) == 1, [(cell_len(line), line) for line in lines]
    # Each column separator sits at the same display column on every line.
    separators = {tuple(cell_len(line[:i]) for i in range(1, len(line) - 1) if line[i] in "┃│╇┳┿╋┴┬")
                  for line in lines}
    assert len(separators) == 1, separators


def test_the_cli_table_of_councils_lines_up_in_a_pipe(cli):
    result = cli("agreement", "councils", "--as-of", "2020-02-29", "--province", "서울", "--format", "table")
    lines = _box_lines(result.stdout)
    assert len(lines) == 3 + 26 + 1  # Seoul: the metropolitan council and 25 gu councils
    assert len({cell_len(line) for line in lines}) == 1
    assert "종로구의회" in result.stdout


@pytest.mark.parametrize("value", ["see [draft] terms", "[/draft]", "[red]red[/red]", "[/]"])
def test_a_table_shows_square_brackets_literally_and_never_as_rich_markup(value):
    stream = io.StringIO()
    render([{"name": "종로구의회", "note": value}], [Column("name"), Column("note")], fmt="table", stream=stream)
    assert value in stream.getvalue()


def test_agreement_show_prints_a_note_with_brackets_as_a_table_without_crashing(cli):
    cli("agreement", "request", "종로구", "--date", "2020-01-01", "--note", "[/draft] terms sent")
    result = cli("agreement", "show", "종로구", "--format", "table", ok=False)
    assert result.exit_code == 0, result.exception
    assert "[/draft] terms sent" in result.stdout


# ------------------------------------------------------------------ -o and the CLI


@pytest.mark.parametrize("fmt", list(FILE_FORMATS))
def test_the_format_follows_the_extension_of_o(cli, tmp_path, fmt):
    path = tmp_path / f"councils{FILE_FORMATS[fmt]}"
    result = cli("agreement", "councils", "--as-of", "2020-02-29", "--level", "provincial", "-o", str(path))
    assert result.stdout == ""
    assert f"wrote 17 rows to {path}" in result.stderr
    if fmt == "table":
        text = path.read_text(encoding="utf-8")
        assert "서울특별시의회" in text and "┃" in text
        assert "\x1b" not in text
        return
    header, rows = read_back(path, fmt)
    assert len(rows) == 17
    names = {row[0] for row in rows}
    assert {"서울특별시의회", "제주특별자치도의회", "세종특별자치시의회"} <= names
    seoul = next(row for row in rows if row[0] == "서울특별시의회")
    assert seoul[1] == "Seoul Metropolitan Council"
    assert seoul[5] == "11"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx"])
def test_agreement_list_round_trips_through_every_file_format(cli, tmp_path, fmt):
    cli("agreement", "request", "서울특별시의회", "--date", "2013-05-01", "--ref", "NAL-2013-12")
    cli("agreement", "sign", "서울특별시의회", "--date", "2013-07-01", "--mode", "in-person")
    cli("agreement", "sign", "가평군의회", "--date", "2021-05-20", "--mode", "exchange", "--without-request")
    cli("agreement", "request", "대구 중구", "--date", "2019-03-04")
    expected = [[_text(v) for v in record.values()]
                for record in json.loads(cli("agreement", "list", "--format", "json").stdout)]
    assert {row[0] for row in expected} == {"서울특별시의회", "가평군의회", "중구의회"}
    path = tmp_path / f"list{FILE_FORMATS[fmt]}"
    cli("agreement", "list", "-o", str(path))
    _, rows = read_back(path, fmt)
    assert rows == expected


def test_the_global_format_option_applies_to_a_listing(cli):
    result = cli("--format", "jsonl", "agreement", "councils", "--level", "provincial")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 16  # today's provincial-level councils, after the 2026-07-01 merger
    assert records[0]["name"] == "서울특별시의회"


@pytest.mark.parametrize("name", ["councils.docx", "councils.xls", "councils"])
def test_o_with_an_unknown_extension_is_a_usage_error_and_writes_nothing(cli, tmp_path, name):
    path = tmp_path / name
    result = cli("agreement", "councils", "-o", str(path), ok=False)
    assert result.exit_code == 2
    assert "cannot tell the format" in result.stderr and name in result.stderr
    assert "Traceback" not in result.output
    assert not path.exists()
    assert not list(tmp_path.glob(".nalcoop-*"))
    with pytest.raises(UsageError):
        render(ROWS, COLUMNS, output=path)


def test_o_into_a_missing_folder_is_a_clear_error_that_creates_nothing(cli, tmp_path):
    path = tmp_path / "no such folder" / "councils.csv"
    result = cli("agreement", "councils", "-o", str(path), ok=False)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "no such folder" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.output
    assert not path.parent.exists()
    with pytest.raises(UsageError, match="does not exist"):
        render(ROWS, COLUMNS, output=path)


def test_o_naming_a_folder_is_a_usage_error(tmp_path):
    folder = tmp_path / "out.csv"
    folder.mkdir()
    with pytest.raises(UsageError, match="directory"):
        render(ROWS, COLUMNS, output=folder)
    assert list(folder.iterdir()) == []


def test_xlsx_to_stdout_is_a_usage_error_on_the_cli(cli):
    result = cli("agreement", "councils", "--format", "xlsx", ok=False)
    assert result.exit_code == 2
    assert "-o FILE.xlsx" in result.stderr
    assert result.stdout == ""

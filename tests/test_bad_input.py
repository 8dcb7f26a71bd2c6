"""Bad input (issue 2): a one-line error that says what and where, a non-zero exit, no traceback,
and the ledger file byte-for-byte unchanged, with no new journal entry."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from openpyxl import Workbook

from nalcoop import __version__
from nalcoop.importer import ImportFileError, load_map, read_table
from nalcoop.ledger.errors import LedgerError
from nalcoop.ledger.migrations import SCHEMA_VERSION

from .conftest import Cli, file_hash

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


# ------------------------------------------------------------------ helpers


def _journal_commands(path: Path) -> int:
    """How many commands the journal holds, read without touching the file (no lock, no -wal)."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute("select count(*) from journal_commands").fetchone()[0]


def _folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@contextmanager
def untouched(ledger_file: Path) -> Iterator[None]:
    """The block leaves the ledger byte-identical, adds no journal entry and leaves no -wal/-shm beside it."""
    before = (file_hash(ledger_file), _journal_commands(ledger_file), _folder(ledger_file))
    yield
    after = (file_hash(ledger_file), _journal_commands(ledger_file), _folder(ledger_file))
    assert after == before


def assert_refused(result, *needles: str, exit_code: int | None = None, lines: int = 1) -> str:
    """A non-zero exit, no traceback, nothing on stdout, `lines` lines on stderr (the last one the
    Error: line) and every needle on stderr. Returns stderr."""
    assert result.exit_code != 0, result.output
    if exit_code is not None:
        assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    stderr = result.stderr
    assert stderr.endswith("\n")
    assert len(stderr.splitlines()) == lines, stderr
    assert stderr.splitlines()[-1].startswith("Error: ")
    for needle in needles:
        assert needle in stderr, f"{needle!r} not in {stderr!r}"
    return stderr


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list], sheet: str = "현황") -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


# ------------------------------------------------------------------ files that cannot be imported


@pytest.mark.parametrize("name", ["councils.xlsx", "councils.csv", "no such folder/councils.xlsx"])
def test_a_missing_file_is_refused_naming_it_and_the_ledger_is_unchanged(cli, db_path, tmp_path, name):
    path = tmp_path / name
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    assert_refused(result, str(path), "does not exist", exit_code=1)


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods", ".csv"])
def test_a_png_renamed_as_a_spreadsheet_is_refused_and_the_ledger_is_unchanged(cli, db_path, tmp_path, suffix):
    path = tmp_path / f"photo{suffix}"
    path.write_bytes(PNG)
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    assert_refused(result, f"photo{suffix}", "not a", exit_code=1)


def test_a_png_renamed_xlsx_is_refused_by_the_importer_function(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(PNG)
    with pytest.raises(ImportFileError, match="photo.xlsx"):
        read_table(path, load_map("agreements"))


def test_an_empty_sheet_is_refused_naming_the_file_and_the_sheet_and_the_ledger_is_unchanged(cli, db_path, tmp_path):
    path = tmp_path / "empty.xlsx"
    workbook = Workbook()
    workbook.active.title = "현황"
    workbook.save(path)
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    assert_refused(result, "empty.xlsx", "현황", "empty", exit_code=1)


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b",,,\r\n,,\r\n"], ids=["zero bytes", "blank lines",
                                                                           "only commas"])
def test_an_empty_csv_is_refused_naming_the_file_and_the_ledger_is_unchanged(cli, db_path, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    assert_refused(result, "empty.csv", "empty", exit_code=1)


def test_an_xlsx_whose_header_row_has_no_known_column_is_refused_naming_file_and_sheet(cli, db_path, tmp_path):
    path = _xlsx(tmp_path / "other.xlsx", [["품목", "수량", "단가"], ["도서", 3, 1000]])
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    assert_refused(result, "other.xlsx", "현황", "no header row with a known column", "의회명", exit_code=1)


def test_a_csv_whose_header_row_has_no_known_column_is_refused_listing_known_headers(cli, db_path, tmp_path):
    path = _csv(tmp_path / "other.csv", [["item", "quantity"], ["book", "3"]])
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    assert_refused(result, "other.csv", "no header row with a known column", "의회명", "요청일", "--map",
                   exit_code=1)


@pytest.mark.parametrize(
    ("header", "row", "first", "second"),
    [
        (["의회명", "협약일", "체결일"], ["종로구의회", "2020-01-01", "2020-01-01"], "B (협약일)", "C (체결일)"),
        (["의회명", "협약일", "signed on"], ["종로구의회", "2020-01-01", "2020-01-01"], "B (협약일)", "C (signed on)"),
        (["시도", "의회명", "council"], ["서울", "종로구의회", "종로구의회"], "B (의회명)", "C (council)"),
    ],
)
def test_a_header_with_two_columns_meaning_the_same_field_is_refused(cli, db_path, tmp_path, header, row, first,
                                                                      second):
    path = _csv(tmp_path / "twice.csv", [header, row])
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    assert_refused(result, "twice.csv", "row 1", first, second, "both mean", exit_code=1)


def test_duplicate_columns_in_an_xlsx_name_the_sheet_and_both_columns(tmp_path):
    path = _xlsx(tmp_path / "twice.xlsx", [["업무협약 현황"], [], ["의회명", "협약일", "체결일"],
                                           ["종로구의회", "2020-01-01", "2020-01-01"]])
    with pytest.raises(ImportFileError) as caught:
        read_table(path, load_map("agreements"))
    message = str(caught.value)
    for needle in ("twice.xlsx", "sheet 현황", "row 3", "B (협약일)", "C (체결일)"):
        assert needle in message


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("value", "why"),
    [("2020-02-30", "February 2020 has 29 days"), ("next Tuesday", "is not a date"),
     ("2019. 2. 29.", "February 2019 has 28 days")],
)
@pytest.mark.parametrize("command", ["request", "consult", "sign", "withdraw"])
def test_an_impossible_date_option_is_a_usage_error_quoting_it(cli, db_path, value, why, command):
    extra = ["--mode", "in-person"] if command == "sign" else []
    with untouched(db_path):
        result = cli("agreement", command, "종로구", "--date", value, *extra, ok=False)
    assert_refused(result, "--date", f"'{value}'", why, exit_code=2)


@pytest.mark.parametrize("command", [("agreement", "list"), ("agreement", "councils"), ("stats", "agreements")])
def test_an_impossible_as_of_date_is_a_usage_error(cli, db_path, command):
    with untouched(db_path):
        result = cli(*command, "--as-of", "2020-02-30", ok=False)
    assert_refused(result, "--as-of", "'2020-02-30'", "February 2020 has 29 days", exit_code=2)


@pytest.mark.parametrize(
    ("value", "why"),
    [("2020-02-30", "February 2020 has 29 days"), ("next Tuesday", "is not a date"),
     ("2020년 2월 30일", "February 2020 has 29 days")],
)
def test_a_bad_date_in_an_imported_csv_cell_names_row_column_and_value(cli, db_path, tmp_path, value, why):
    path = _csv(tmp_path / "dates.csv", [["의회명", "시도", "요청일", "협약일"],
                                         ["종로구의회", "서울", "2020-01-02", "2020-02-03"],
                                         ["강남구의회", "서울", "2020-01-02", value],
                                         ["가평군의회", "경기", "2020-01-05", ""]])
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    stderr = assert_refused(result, exit_code=1, lines=2)
    problem, summary = stderr.splitlines()
    for needle in ("dates.csv", "row 3", "column D (협약일)", f"'{value}'", why):
        assert needle in problem
    assert "1 of 3 rows rejected" in summary and "nothing was imported" in summary


def test_a_bad_date_in_an_xlsx_cell_names_sheet_row_and_column(cli, db_path, tmp_path):
    path = _xlsx(tmp_path / "dates.xlsx", [["업무협약 현황"], [], ["의회명", "시도", "요청일"],
                                           ["종로구의회", "서울", "2020-02-30"]])
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    stderr = assert_refused(result, exit_code=1, lines=2)
    problem = stderr.splitlines()[0]
    for needle in ("dates.xlsx", "sheet 현황", "row 4", "column C (요청일)", "'2020-02-30'", "29 days"):
        assert needle in problem


def test_a_cp949_csv_with_a_bad_date_is_read_as_hangul_and_names_the_row(cli, db_path, tmp_path):
    path = _csv(tmp_path / "korean-excel.csv", [["의회명", "시도", "요청일"],
                                                ["종로구의회", "서울특별시", "2020. 1. 2."],
                                                ["수원시의회", "경기도", "2019. 2. 29."]], encoding="cp949")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    stderr = assert_refused(result, exit_code=1, lines=2)
    problem = stderr.splitlines()[0]
    for needle in ("korean-excel.csv", "row 3", "column C (요청일)", "'2019. 2. 29.'", "February 2019 has 28 days"):
        assert needle in problem


# ------------------------------------------------------------------ council names


def test_an_ambiguous_council_name_lists_every_candidate_with_its_province(cli, db_path):
    with untouched(db_path):
        result = cli("agreement", "request", "중구의회", "--date", "2020-01-01", ok=False)
    stderr = assert_refused(result, "'중구의회'", "matches 6 councils", exit_code=1)
    for province in ("서울특별시", "부산광역시", "대구광역시", "인천광역시", "대전광역시", "울산광역시"):
        assert f"{province} 중구의회" in stderr
    assert "대구 중구" in stderr  # how to settle it


def test_an_ambiguous_council_name_in_an_import_names_the_row_and_the_candidates(cli, db_path, tmp_path):
    path = _csv(tmp_path / "names.csv", [["의회명", "요청일"], ["종로구의회", "2020-01-01"],
                                         ["중구의회", "2020-01-01"]])
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    for needle in ("names.csv", "row 3", "column A (의회명)", "'중구의회'", "서울특별시 중구의회",
                   "울산광역시 중구의회"):
        assert needle in problem


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("종노구의회", "서울특별시 종로구의회"), ("Jongro-gu", "서울특별시 종로구의회"),
     ("가평균", "경기도 가평군의회"), ("서울특별시의휘", "서울특별시의회")],
)
def test_an_unknown_council_name_suggests_the_closest_councils(cli, db_path, typed, meant):
    with untouched(db_path):
        result = cli("agreement", "request", typed, "--date", "2020-01-01", ok=False)
    assert_refused(result, f"no council is called '{typed}'", "did you mean", meant, exit_code=1)


def test_an_unknown_council_name_in_an_import_names_the_row_and_suggests(cli, db_path, tmp_path):
    path = _csv(tmp_path / "names.csv", [["의회명", "요청일"], ["가평균의회", "2020-01-01"]])
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    for needle in ("names.csv", "row 2", "column A (의회명)", "'가평균의회'", "did you mean", "경기도 가평군의회"):
        assert needle in problem


# ------------------------------------------------------------------ steps out of order


def test_a_signing_date_before_the_request_is_refused_and_the_ledger_is_unchanged(cli, db_path):
    cli("agreement", "request", "종로구", "--date", "2020-03-01")
    with untouched(db_path):
        result = cli("agreement", "sign", "종로구", "--date", "2020-02-01", "--mode", "in-person", ok=False)
    assert_refused(result, "2020-02-01", "earlier than", "request on 2020-03-01", "종로구의회", exit_code=1)
    listed = cli("agreement", "list", "--format", "csv").stdout
    assert "requested" in listed and "signed" not in listed.splitlines()[1]


def test_a_signing_date_before_the_request_in_an_import_names_the_row_and_column(cli, db_path, tmp_path):
    path = _csv(tmp_path / "order.csv", [["의회명", "시도", "요청일", "협약일"],
                                         ["종로구의회", "서울", "2020-03-01", "2020-02-01"]])
    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    for needle in ("order.csv", "row 2", "column D (협약일)", "2020-02-01", "earlier than"):
        assert needle in problem


# ------------------------------------------------------------------ --db that is no ledger

DB_COMMANDS = [("info",), ("init",), ("agreement", "list"), ("agreement", "request", "종로구", "--date", "2020-01-01")]


@pytest.mark.parametrize("command", DB_COMMANDS, ids=" ".join)
def test_db_naming_a_directory_is_refused_and_nothing_is_created_in_it(tmp_path, command):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    result = Cli(folder)(*command, ok=False)
    assert_refused(result, str(folder), "is a directory", exit_code=1)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("content", [b"name,code\n\xec\xa2\x85\xeb\xa1\x9c,11110\n", PNG, b"PK\x03\x04" + b"\x00" * 60],
                         ids=["text", "png", "zip"])
@pytest.mark.parametrize("command", DB_COMMANDS, ids=" ".join)
def test_db_naming_a_non_sqlite_file_is_refused_without_touching_it(tmp_path, content, command):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    result = Cli(path)(*command, ok=False)
    assert_refused(result, str(path), "not a SQLite file", exit_code=1)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


@pytest.mark.parametrize("command", DB_COMMANDS, ids=" ".join)
def test_db_naming_a_sqlite_file_that_is_not_a_ledger_is_refused_without_touching_it(tmp_path, command):
    path = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("create table books (isbn text)")
        conn.execute("insert into books values ('9788900000000')")
        conn.commit()
    digest = file_hash(path)
    result = Cli(path)(*command, ok=False)
    assert_refused(result, str(path), "not a nalcoop ledger", exit_code=1)
    assert file_hash(path) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


@pytest.mark.parametrize("command", DB_COMMANDS, ids=" ".join)
def test_a_ledger_from_a_newer_version_is_refused_naming_both_versions(db_path, command):
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                     "values ('nalcoop', '0099_future', 'x')")
        conn.commit()
    with untouched(db_path):
        result = Cli(db_path)(*command, ok=False)
    assert_refused(result, str(db_path), "newer nalcoop", "schema version 99", f"up to {SCHEMA_VERSION}",
                   __version__, exit_code=1)


def test_a_ledger_from_a_newer_version_is_refused_by_ledger_open(db_path):
    from nalcoop.ledger.store import Ledger

    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                     "values ('nalcoop', '0099_future', 'x')")
        conn.commit()
    with untouched(db_path), pytest.raises(LedgerError, match="schema version 99"):
        Ledger.open(db_path)


# ------------------------------------------------------------------ a missing option in a pipe


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("agreement", "sign", "종로구", "--mode", "in-person"), "--date"),
        (("agreement", "sign", "종로구", "--date", "2020-01-01"), "--mode"),
        (("agreement", "request", "종로구"), "--date"),
        (("agreement", "follow-up", "종로구", "--date", "2020-01-01"), "--type"),
    ],
)
def test_a_missing_required_option_in_a_pipe_is_a_usage_error_and_no_prompt(cli, db_path, args, option):
    with untouched(db_path):
        result = cli(*args, ok=False, input="2020-01-01\nin-person\n")
    assert_refused(result, f"missing option '{option}'", exit_code=2)


# ------------------------------------------------------------------ one bad row among 500 good ones


def test_one_bad_row_among_500_good_ones_writes_nothing_and_names_the_bad_row(cli, db_path, tmp_path):
    councils = list(csv.DictReader(io.StringIO(
        cli("agreement", "councils", "--as-of", "2020-02-29", "--format", "csv").stdout)))
    assert len(councils) == 243
    # Every council requested once, then consulted (same request date: that step is already there), and
    # fourteen of them signed: 243 + 243 + 14 = 500 good rows, all of which import on their own.
    good = [[c["council"], c["province"], "2019-03-04", "", ""] for c in councils]
    good += [[c["council"], c["province"], "2019-03-04", "2019-04-01", ""] for c in councils]
    good += [[c["council"], c["province"], "2019-03-04", "2019-04-01", "2019-05-02"] for c in councils[:14]]
    assert len(good) == 500
    bad = [councils[100]["council"], councils[100]["province"], "2019-03-04", "2019-04-01", "2020-02-30"]
    rows = good[:300] + [bad] + good[300:]
    path = _csv(tmp_path / "councils-501.csv", [["의회명", "시도", "요청일", "협의일", "협약일"], *rows])
    bad_row = 1 + 300 + 1  # the header is row 1, then 300 good rows

    with untouched(db_path):
        result = cli("agreement", "import", str(path), ok=False)
    stderr = assert_refused(result, exit_code=1, lines=2)
    problem, summary = stderr.splitlines()
    for needle in ("councils-501.csv", f"row {bad_row}", "column E (협약일)", "'2020-02-30'", "29 days"):
        assert needle in problem
    assert "1 of 501 rows rejected" in summary and "nothing was imported" in summary
    assert cli("agreement", "list", "--format", "csv").stdout.splitlines() == [
        "council,province,level,code,status,since,requested,signed,mode,ref,inherited from"]

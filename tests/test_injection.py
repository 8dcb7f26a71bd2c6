"""No injection (issue 3, part 7): every value reaches SQLite as a parameter, and no export of any
group writes a live formula.

SQL: text that looks like SQL, shell or format strings is typed into every free-text field a
librarian can fill (options and imports) and read back byte for byte, with every table still
there and `nalcoop check` passing; a static test lists every SQL statement nalcoop builds from
pieces and fails on a new one until it has been reviewed.

Formulas: one ledger holds formula-like text in every field that reaches an export; each export
(EXPORTS, one line per command with --format) is checked in CSV/TSV (a leading apostrophe),
JSON (the exact text) and xlsx (text cells holding the exact text), and re-importable exports
are imported back. A walk of the command tree fails when a new export is missing from EXPORTS.

Also: stored control characters never reach a terminal or a sheet name raw, and bytes that are
not UTF-8 are refused in one line.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
import typer.testing
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from nalcoop.cli import app
from nalcoop.interns import mask_name

from .conftest import Cli

# ------------------------------------------------------------------ the hostile values

SQLISH = [
    "'); DROP TABLE agreement_events; --",
    '"; .shell rm -rf ~',
    "Robert'); DROP TABLE donation_libraries;--",
    "%s %d {0} ?1 :name @name $name",
    "\x1b[31mred\x1b[0m",
    "C:\\Users\\사서\\new\\table \\' \\\" \\\\",
    "quotes ' '' \" \"\" ` ‘ ’ “ ” 「 」 『 』 ＇ ＂",
    "국회도서관'); DELETE FROM councils WHERE ('1'='1",
    "x' OR '1'='1",
    "NULL",
    "two\nlines; -- comment /* c */",
    "０ zero\u200bwidth and 가\u0301 combining",
]
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1", "-1+2", "@SUM(A1)", "=1+1", "\t=1+1", "\r=1"]
# Names, titles, conditions and a library's address, contact and notes are trimmed when stored (by
# design, as an import trims its cells): what those fields keep.
TRIMMED = list(dict.fromkeys(value.strip() for value in FORMULAS))
PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
FORMATS = ("csv", "tsv", "json", "jsonl", "xlsx")
SUFFIX = {"csv": ".csv", "tsv": ".tsv", "json": ".json", "jsonl": ".jsonl", "xlsx": ".xlsx"}

SHOW_COUNCIL = "서울특별시의회"
REQUEST_COUNCILS = ["서울 종로구", "서울 용산구", "서울 성동구", "서울 광진구", "서울 동대문구", "서울 중랑구",
                    "서울 성북구"]
SEOUL_GU = [*REQUEST_COUNCILS, "서울 강북구", "서울 도봉구", "서울 노원구", "서울 은평구", "서울 서대문구"]
REGIONS = ["전라남도 신안군", "전라남도 완도군", "전라남도 진도군", "경상북도 울릉군", "강원특별자치도 인제군",
           "충청남도 태안군", "경상남도 남해군"]
SIX = [value.strip() for value in FORMULAS[:6]]  # the six recipients' address, postcode, contact (stored trimmed)
LABELS = [f"{value.strip()} ({region})" for value, region in zip(FORMULAS, REGIONS, strict=True)]
PACKED_FOR = 6  # the library (\r=1 in its address) whose open batch 2024-008 holds a title of each value
BIG_BATCH = "2024-008"
MASKED = [mask_name(value) for value in TRIMMED]  # students named like formulas, as listings show them
DB_NAME = "=1+1"  # a ledger file named like a formula, for `nalcoop info`


def _invoke(db: Path | str, *args: str, ok: bool = True):
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    if ok:
        assert result.exit_code == 0, f"nalcoop {' '.join(map(repr, args))} failed:\n{result.output}"
    return result


def _stdout(result) -> str:
    """Stdout exactly as written (Result.stdout would turn CRLF into LF)."""
    return result.stdout_bytes.decode("utf-8")


def _json(result) -> list[dict]:
    return json.loads(_stdout(result))


def _sql(db: Path, query: str, params=()) -> list[tuple]:
    """Read the ledger directly, as SQLite stores it (read-only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def _schema(db: Path) -> list[tuple]:
    return _sql(db, "select type, name, tbl_name, sql from sqlite_master order by type, name")


def _assert_intact(cli: Cli, schema_before: list[tuple]) -> None:
    """Every table, index and trigger is still there, unchanged, and `nalcoop check` passes."""
    assert _schema(cli.db_path) == schema_before
    tables = {name for kind, name, _, _ in schema_before if kind == "table"}
    assert {"agreement_events", "donation_libraries", "councils", "journal_commands"} <= tables
    result = cli("check")
    assert result.stdout.startswith("ok: "), result.stdout


def _excel_escape(text: str) -> str:
    """Control characters as Excel writes them in a workbook (_x001B_), which XML cannot hold raw."""
    return re.sub(r"[\x00-\x08\x0b-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", text.replace("_x", "_x005F_x"))


def _excel_text(value: object) -> object:
    """A cell's text as Excel shows it: openpyxl leaves Excel's _xHHHH_ escapes as written."""
    if not isinstance(value, str):
        return value
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def _write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_excel_escape(v) if isinstance(v, str) else v for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    workbook.save(path)
    return path


def _write_csv(path: Path, rows: list[list]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def _write(path: Path, rows: list[list]) -> Path:
    return _write_xlsx(path, rows) if path.suffix == ".xlsx" else _write_csv(path, rows)


# ------------------------------------------------------------------ 1. SQL-like text is stored verbatim

AGREEMENT_STEPS = [  # twelve steps of one council, one SQL-like note (and another as ref) each
    ("request",), ("consult",), ("sign", "--mode", "exchange"), ("follow-up", "--kind", "materials"), ("renew",),
    ("terminate",), ("request",), ("withdraw",), ("request",), ("consult",), ("sign", "--mode", "in-person"),
    ("follow-up", "--kind", "other"),
]


def test_sql_like_text_is_stored_verbatim_in_every_agreement_field(cli, db_path):
    assert len(AGREEMENT_STEPS) == len(SQLISH)
    before = _schema(db_path)
    for k, (step, *options) in enumerate(AGREEMENT_STEPS):
        cli(f"--author={SQLISH[k]}", "agreement", step, "서울 종로구", "--date", f"2020-01-{k + 1:02d}", *options,
            f"--note={SQLISH[k]}", f"--ref={SQLISH[-1 - k]}")
    expected = [(step[0], SQLISH[k], SQLISH[-1 - k]) for k, step in enumerate(AGREEMENT_STEPS)]
    assert _sql(db_path, "select step, note, ref from agreement_events order by on_date, id") == expected
    shown = _json(cli("agreement", "show", "서울 종로구", "--format", "json"))
    assert [(row["step"], row["note"], row["ref"]) for row in shown] == expected
    listed = _json(cli("agreement", "list", "--format", "json"))
    assert [(row["council"], row["ref"]) for row in listed] == [("종로구의회", SQLISH[-1 - 8])]
    # Who typed it is journaled verbatim too (--by).
    journal = _sql(db_path, "select by from journal_commands order by id desc limit ?", [len(SQLISH)])
    assert [row[0] for row in reversed(journal)] == SQLISH
    history = _json(cli("history", "--limit", str(len(SQLISH)), "--format", "json"))
    assert [row["by"] for row in reversed(history)] == SQLISH
    _assert_intact(cli, before)


def test_sql_like_text_is_stored_verbatim_in_every_donation_field(cli, db_path):
    before = _schema(db_path)
    region = "전라남도 신안군"
    for k, value in enumerate(SQLISH):
        other = SQLISH[-1 - k]
        cli("donate", "library", "add", value, "--type", "small", "--region", region, f"--address={value}",
            f"--contact={other}", f"--recommended-by={value}", f"--eligibility-note={other}")
    labels = [f"{value} ({region})" for value in SQLISH]
    cli("donate", "library", "edit", labels[0], f"--address={SQLISH[5]}", f"--contact={SQLISH[6]}")
    for k, value in enumerate(SQLISH):
        cli("donate", "stock", "add", f"--title={value}", f"--condition={SQLISH[-1 - k]}", "--copies", "3",
            "--reason", "other", "--date", "2024-03-01")
    for value in SQLISH:
        cli("donate", "add", "--library", labels[0], f"--title={value}", "--copies", "2", "--date", "2024-04-01")
    cli("donate", "pack", "2024-001", "--date", "2024-04-02")
    cli("donate", "ship", "2024-001", "--date", "2024-04-03", f"--carrier={SQLISH[1]}", f"--tracking={SQLISH[2]}")
    cli("donate", "receive", "2024-001", "--date", "2024-04-04", f"--note={SQLISH[3]}")
    cli("donate", "add", "--library", labels[1], f"--title={SQLISH[0]}", "--copies", "1", "--date", "2024-04-05")
    cli("donate", "cancel", "2024-002", "--date", "2024-04-06", f"--note={SQLISH[4]}")

    libraries = [(value, value, SQLISH[-1 - k], value, SQLISH[-1 - k]) for k, value in enumerate(SQLISH)]
    libraries[0] = (SQLISH[0], SQLISH[5], SQLISH[6], SQLISH[0], SQLISH[-1])
    assert _sql(db_path, "select name, address, contact, recommended_by, eligibility_note from donation_libraries"
                         " order by id") == libraries
    listed = _json(cli("donate", "library", "list", "--format", "json"))
    assert sorted((r["name"], r["address"], r["contact"], r["recommended_by"], r["eligibility_note"])
                  for r in listed) == sorted(libraries)
    stock = [(value, SQLISH[-1 - k]) for k, value in enumerate(SQLISH)]
    assert _sql(db_path, "select title, condition from donation_stock_lines order by receipt_id, line") == stock
    in_stock = _json(cli("donate", "stock", "list", "--all", "--format", "json"))
    assert sorted((r["title"], r["condition"]) for r in in_stock) == sorted(stock)
    assert _sql(db_path, "select title from donation_batch_items where batch_id = 1 order by id") == \
        [(value,) for value in SQLISH]
    lines = _json(cli("donate", "batch", "show", "2024-001", "--format", "json"))
    assert sorted(line["title"] for line in lines) == sorted(SQLISH)
    batches = _json(cli("donate", "list", "--format", "json"))
    assert [(b["batch"], b["carrier"], b["tracking"]) for b in batches] == \
        [("2024-001", SQLISH[1], SQLISH[2]), ("2024-002", None, None)]
    assert _sql(db_path, "select step, detail from donation_batch_events where detail is not null order by id") == [
        ("ship", f"{SQLISH[1]}; tracking {SQLISH[2]}"), ("receive", SQLISH[3]), ("cancel", SQLISH[4])]
    _assert_intact(cli, before)


def test_sql_like_text_is_stored_verbatim_in_every_registry_field(cli, db_path):
    before = _schema(db_path)
    for k, value in enumerate(SQLISH):
        cli("registry", "create", "--type", "province", "--date", "2030-01-01", f"--source={value}",
            f"--english={SQLISH[-1 - k]}", "--", value)
    cli("registry", "rename", "서울 종로구", f"--to={SQLISH[0]}", f"--english={SQLISH[1]}", "--date", "2030-01-02",
        f"--source={SQLISH[2]}")
    created = _sql(db_path, "select v.gov, v.gov_en, c.source from council_versions v join registry_changes c "
                            "on c.id = v.change_id where c.origin = 'recorded' order by v.id")
    expected = [(value, SQLISH[-1 - k], value) for k, value in enumerate(SQLISH)] + [(SQLISH[0], SQLISH[1], SQLISH[2])]
    assert created == expected
    changes = _json(cli("registry", "changes", "--format", "json"))
    assert [row["source"] for row in changes if row["origin"] == "recorded"] == [*SQLISH, SQLISH[2]]
    councils = _json(cli("agreement", "councils", "--as-of", "2030-01-02", "--format", "json"))
    provinces = {row["province"] for row in councils if row["level"] == "provincial"}
    assert set(SQLISH) <= provinces
    assert {(row["name"], row["name_en"]) for row in councils if row["code"] == "11110"} == \
        {(f"{SQLISH[0]}의회", f"{SQLISH[1]} Council")}
    _assert_intact(cli, before)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_sql_like_text_in_imported_files_is_stored_verbatim(cli, db_path, tmp_path, suffix):
    assert len(SEOUL_GU) == len(SQLISH)
    before = _schema(db_path)
    pairs = [(value, SQLISH[-1 - k]) for k, value in enumerate(SQLISH)]
    agreements = _write(tmp_path / f"agreements{suffix}", [["의회명", "요청일", "문서번호", "비고"]] + [
        [council, "2020-03-02", ref, note] for council, (note, ref) in zip(SEOUL_GU, pairs, strict=True)])
    cli("agreement", "import", str(agreements))
    assert _sql(db_path, "select note, ref from agreement_events order by id") == pairs
    for council, (note, ref) in zip(SEOUL_GU, pairs, strict=True):
        shown = _json(cli("agreement", "show", council, "--format", "json"))
        assert [(row["note"], row["ref"]) for row in shown] == [(note, ref)]

    recipients = _write(tmp_path / f"recipients{suffix}", [["도서관명", "유형", "지역", "주소", "연락처", "추천의원",
                                                            "부적격사유"]] + [
        [value, "작은도서관", "신안군", value, other, other, value] for value, other in pairs])
    cli("donate", "library", "import", str(recipients))
    libraries = [(value, value, other, other, value) for value, other in pairs]
    assert _sql(db_path, "select name, address, contact, recommended_by, eligibility_note from donation_libraries"
                         " order by id") == libraries
    listed = _json(cli("donate", "library", "list", "--format", "json"))
    assert sorted((r["name"], r["address"], r["contact"], r["recommended_by"], r["eligibility_note"])
                  for r in listed) == sorted(libraries)

    books = _write(tmp_path / f"books{suffix}", [["서명", "수량", "사유", "상태"]] + [
        [value, 4, "기타", other] for value, other in pairs])
    cli("donate", "stock", "import", str(books), "--date", "2024-03-01")
    assert _sql(db_path, "select title, condition from donation_stock_lines order by line") == pairs
    in_stock = _json(cli("donate", "stock", "list", "--format", "json"))
    assert sorted((r["title"], r["condition"]) for r in in_stock) == sorted(pairs)

    picked = _write(tmp_path / f"picked{suffix}", [["서명", "수량", "상태"]] + [[v, 1, o] for v, o in pairs])
    cli("donate", "add", "--library", f"{SQLISH[0]} (전라남도 신안군)", "--import", str(picked), "--date", "2024-04-01")
    assert _sql(db_path, "select title, condition from donation_batch_items order by id") == pairs
    lines = _json(cli("donate", "batch", "show", "2024-001", "--format", "json"))
    assert sorted((line["title"], line["condition"]) for line in lines) == sorted(pairs)
    _assert_intact(cli, before)


TERMINAL_CODES = "\x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x1b[2J\rover"
TERMINAL_PICTURES = "␛[31mred␛[0m ␛]0;pwned␇ ␛[2J␍over"


def test_a_table_shows_control_characters_as_pictures_never_as_terminal_codes(cli, tmp_path):
    """A stored escape sequence would recolour, clear or retitle the librarian's terminal (and sit in a
    .txt file): a table shows it as Unicode control pictures. Regression: render._table printed it raw."""
    cli("agreement", "request", "서울 종로구", "--date", "2020-01-01", f"--note={TERMINAL_CODES}")
    cli("donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "신안군",
        f"--address={TERMINAL_CODES}")
    cli("donate", "add", "--library", "해바라기", "--title", "새 책", "--copies", "1", "--outside-stock",
        "--date", "2024-05-01")
    out = tmp_path / "timeline.txt"
    cli("agreement", "show", "서울 종로구", "-o", str(out))
    piped = cli("agreement", "show", "서울 종로구", "--format", "table")
    packing = cli("donate", "packing-list", "2024-001", "--format", "table")  # the address is in its title
    for text in (out.read_bytes().decode("utf-8"), _stdout(piped), _stdout(packing)):
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text
        assert TERMINAL_PICTURES in text
    # On a terminal Rich styles the table itself, but the stored text still cannot reach it as codes.
    from nalcoop.render import Column, render

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    render([{"note": TERMINAL_CODES}], [Column("note")], fmt="table", stream=stream)
    assert TERMINAL_PICTURES in stream.getvalue() and "\x1b[31mred" not in stream.getvalue()


def test_a_workbook_whose_title_quotes_control_characters_still_opens(cli, tmp_path):
    """A sheet is named after the listing's title, which can quote stored text (a batch names its
    library). Regression: a control character went into the sheet name and made the workbook
    unreadable (render._sheet_title)."""
    name = "책\x1b[31m마루\x07도서관\r"
    cli("donate", "library", "add", name, "--type", "small", "--region", "신안군")
    cli("donate", "add", "--library", "책", "--title", "새 책", "--copies", "1", "--outside-stock", "--date",
        "2024-05-01")
    out = tmp_path / "batch.xlsx"
    cli("donate", "batch", "show", "2024-001", "-o", str(out))
    from python_calamine import CalamineWorkbook

    sheet = load_workbook(out).active  # raised ParseError: not well-formed (invalid token)
    assert not re.search(r"[\x00-\x1f]", sheet.title) and sheet.title.startswith("batch 2024-001 → 책  31m마루 도서관")
    assert CalamineWorkbook.from_path(str(out)).sheet_names == [sheet.title]
    assert [cell.value for cell in sheet[2]][:3] == [1, None, "새 책"]

    from nalcoop.render import Column, render

    for title, expected in [("'); DROP TABLE x; --'", "); DROP TABLE x; --"), ("\x1b[2J\t=1+1\n", "2J =1+1"),
                            ("''", "nalcoop")]:
        path = tmp_path / "titled.xlsx"
        render([{"note": "x"}], [Column("note")], output=path, title=title)
        assert load_workbook(path).active.title == expected  # Excel refuses a name that starts or ends with '


def test_text_that_is_not_utf8_is_refused_in_one_line_and_writes_nothing(cli, db_path):
    """Bytes from a CP949 terminal reach Python as lone surrogates, which SQLite cannot store.
    Regression: a traceback (UnicodeEncodeError) instead of an `Error:` line."""
    from .conftest import file_hash

    before = file_hash(db_path)
    for args in (["agreement", "request", "서울 종로구", "--date", "2020-01-01", "--note=한글 \udcff"],
                 ["--author=\udcc7\udcd1", "donate", "library", "add", "해바라기", "--type", "small",
                  "--region", "신안군"],
                 ["registry", "create", "x\ud800", "--type", "province", "--date", "2030-01-01", "--source", "s"],
                 ["history", "--table", "\udcff"],  # a read quotes its arguments back: refused too
                 ["agreement", "show", "종로\udcb1"]):
        result = cli(*args, ok=False)
        assert result.exit_code == 2 and not isinstance(result.exception, UnicodeError), result.output
        assert result.stderr.startswith("Error: '") and "is not UTF-8 text" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert "'--note=한글 \\xff' is not UTF-8 text" in cli(
        "agreement", "request", "서울 종로구", "--date", "2020-01-01", "--note=한글 \udcff", ok=False).stderr
    assert file_hash(db_path) == before


# Every SQL statement nalcoop builds from pieces rather than one literal string, with what goes in.
# Keyed by (file, function, the interpolated expressions); a new one fails the test until reviewed
# and listed here with the reason it cannot carry a value a librarian typed.
REVIEWED_SQL = {
    ("publish.py", "_copy_table", ("_quoted(table.name)", "', '.join(definitions)")):
        "table and column names from the published list and pragma table_info, quoted; types from pragma table_info",
    ("publish.py", "_copy_table", ("listed", "_quoted(table.name)", "order")): "names from the published list, quoted",
    ("publish.py", "_copy_table", ("_quoted(table.name)", "listed", "', '.join('?' * len(table.columns))")):
        "names from the published list, quoted, and one ? per column",
    ("publish.py", "_copy_table", ("_quoted(table.name)",)): "a table name from the published list, quoted",
    ("publish.py", "_copy_table", ("_quoted(index)",)): "an index name from sqlite_master, quoted",
    ("publish.py", "_copy_table", ("sql",)): "the ledger's own CREATE INDEX statement, from sqlite_master",
    ("publish.py", "write_snapshot", ("INFO_TABLE",)): "a module constant (table name)",
    ("publish.py", "write_snapshot", ("_quoted(name)", "sql")): "a view of the module constant VIEWS",
    ("agreements/listings.py", "status_rows", ("_LATEST",)): "a module constant (a subquery)",
    ("agreements/stats.py", "stats_period", ("key",)): "one of two fixed column expressions chosen by a checked --by",
    ("distribution/stats.py", "stats_period", ("keys",)): "one of two fixed column lists chosen by a checked --by "
                                                          "(in one, the int 4 or 7: substr of a year or a month)",
    ("ledger/checks.py", "schema", ("MIGRATIONS_TABLE",)): "a module constant (table name)",
    ("ledger/checks.py", "journal", ("table",)): "tables from sqlite_master that carry a journal trigger",
    ("ledger/checks.py", "journal", ("as_json", "table", "as_json")): "column names from pragma table_info",
    ("ledger/schema.py", "applied_migrations", ("MIGRATIONS_TABLE",)): "a module constant (table name)",
    ("ledger/store.py", "open", ("BUSY_TIMEOUT_MS",)): "a module constant (an integer pragma)",
    ("ledger/store.py", "counts", ("name",)): "table names from sqlite_master",
    ("interns/rules.py", "_slots_taken", ("marks",)): "one ? per status of a module constant",
    ("interns/rules.py", "application_by_id", ("_APPLICATION_SQL",)): "a module constant (the application query)",
    ("interns/rules.py", "resolve_student", ("_APPLICATION_SQL",)): "a module constant (the application query)",
    ("interns/rules.py", "resolve_student", ("sql + ' order by c.starts_on, a.id'",)): "fixed clauses; values are "
                                                                                    "parameters",
    ("names.py", "rekey", ("picked", "table")): "columns and tables of migration 0009's STORED_NAME_KEYS",
    ("names.py", "rekey", ("table", "key")): "a table and column of migration 0009's STORED_NAME_KEYS",
    ("donations/libraries.py", "edit_library", ("assignments",)): "column names: the keyword names of edit_library",
    ("donations/batches.py", "batch_step", ("assignments",)): "column names: status, carrier, tracking",
    ("donations/invariants.py", "_stock_problems", ("', '.join((repr(r) for r in REASONS))",)): "the REASONS constant",
    ("interns/imports.py", "_timesheet_student", ("sql",)): "a module constant with fixed clauses; values are "
                                                             "parameters",
    ("interns/listings.py", "application_rows", ("sql",)): "fixed clauses appended to a module constant; values "
                                                            "are parameters",
    ("interns/listings.py", "due_rows", ("_APPLICATION_SQL",)): "a module constant (the application query)",
    ("interns/rules.py", "hours_logged", ("sql",)): "a fixed clause appended; values are parameters",
    ("interns/purge.py", "purge_candidates", ("marks",)): "one ? per student id",
    ("interns/purge.py", "purge", ("marks",)): "one ? per student id",
    ("interns/purge.py", "purge", ("', '.join(('?' for _ in plan.students))",)): "one ? per student id",
    ("interns/purge.py", "purge", ("', '.join(('?' for _ in plan.gone_students)) or 'null'",)): "one ? per student id",
    ("interns/purge.py", "purge", ("table", "assignments", "link", "app_marks")): "tables, columns and link from the "
                                                                             "PERSONAL constant; one ? per id",
    ("interns/purge.py", "purge", ("side", "side", "paths", "side", "clause")): "'before'/'after', columns from "
                                                                           "PERSONAL, fixed clauses; one ? per id",
    ("interns/purge.py", "purge", ("side", "side", "side")): "'before' or 'after'; the values are parameters",
    ("interns/invariants.py", "invariant_problems", ("', '.join((repr(s) for s in TAKES_A_SLOT))",)): "quoted "
                                                                                                "statuses of a module "
                                                                                                "constant",
    ("interns/invariants.py", "invariant_problems", ("column", "column")): "column names from the PERSONAL constant",
    ("network/organizations.py", "edit_org", ("assignments",)): "column names: the keyword names it accepts",
    ("network/events.py", "edit_event", ("assignments",)): "column names: the keyword names it accepts",
    ("network/courses.py", "add_module", ("assignments",)): "column names: the keys of the `wanted` dict",
    ("network/participants.py", "attend", ("assignments",)): "column names: the keys of the `wanted` dict",
    ("network/organizations.py", "member_rows", ("sql",)):
        "fixed clauses appended to a fixed query; values are parameters",
    ("network/events.py", "event_rows", ("' and '.join(where)",)): "fixed clauses; values are parameters",
    ("distribution/catalogue.py", "edit_publication", ("assignments",)): "column names: the keyword names it accepts",
    ("distribution/recipients.py", "edit_recipient", ("assignments",)): "column names: the keyword names it accepts",
    ("distribution/imports.py", "import_recipients", ("assignments",)): "column names: the keys of the `wanted` dict",
    ("distribution/catalogue.py", "issue_rows", ("where",)): "one of two fixed clauses; the publication is a parameter",
    ("distribution/subscriptions.py", "subscription_rows", ("' and '.join(where)",)):
        "fixed clauses; values are parameters",
    ("distribution/dispatch.py", "line_rows", ("' and '.join(where)",)): "fixed clauses; values are parameters",
    ("distribution/recipients.py", "deactivate_recipient",
     ("_RUNS_OF_RECIPIENT.format(what='max(d.on_date)', join='', where='1')",)): "literal SQL pieces",
    ("distribution/subscriptions.py", "unsubscribe",
     ("_RUNS_OF_RECIPIENT.format(what='max(d.on_date)', join='', where='l.subscription_id = ?')",)):
        "literal SQL pieces; the subscription is a parameter",
    ("distribution/dispatch.py", "review_rows",
     ("_RUNS_OF_RECIPIENT.format(what='max(x.on_date)', where='1', join='join distribution_returns x on "
      "x.dispatch_id = l.dispatch_id and x.line = l.line')",)): "literal SQL pieces",
    ("ledger/journal.py", "history", ("where",)): "one of two fixed clauses; the table is a parameter",
    ("ledger/chain.py", "seal", ("_LINK",)): "a module constant (the journal row a hash covers); values are ? "
        "parameters",
    ("ledger/chain.py", "rechain", ("_LINK",)): "a module constant (the journal row a hash covers); values are ? "
        "parameters",
    ("ledger/chain.py", "chain_breaks", ("_LINK",)): "a module constant (the journal row a hash covers); values are ? "
                                                "parameters",
    ("ledger/checks.py", "journal", ("marks", "MAX_LISTED")): "? marks, one per journaled table name; an int constant",
    ("ledger/store.py", "_command", ("'commit' if changed else 'rollback'",)): "one of two fixed statements",
    ("ledger/journal.py", "_current_row", ("table",)): "journal_changes.tbl, written only by the triggers",
    ("ledger/journal.py", "_revert", ("table",)): "journal_changes.tbl, written only by the triggers",
    ("ledger/journal.py", "_revert", ("table", "columns", "marks")): "column names the triggers journaled; ? marks",
    ("ledger/journal.py", "_revert", ("table", "assignments")): "column names the triggers journaled",
    ("ledger/migrations/registry.py", "run_script", ("statement",)): "a statement of a shipped migration script",
    ("ledger/migrations/registry.py", "journal_table", ("table",)): "journaled table names, a constant list",
    ("ledger/migrations/registry.py", "journal_table", ("table", "op")): "table names and insert/update/delete",
    ("ledger/migrations/registry.py", "journal_table", ("table", "table", "guard", "table", "as_json('new')")):
        "table and column names (pragma table_info); a constant guard",
    ("ledger/migrations/registry.py", "journal_table", ("table", "table", "changed", "guard", "table", "as_json('old')",
                                        "as_json('new')")): "table and column names; a constant guard",
    ("ledger/migrations/registry.py", "journal_table", ("table", "table", "guard", "table", "as_json('old')")):
        "table and column names; a constant guard",
    ("registry/shipped.py", "update_shipped", ("', '.join((f'{f} = ?' for f in fields))",)):
        "council_versions column names that differ between the shipped change and the hand-recorded version "
        "(from the shipped data's own fields); values are ? parameters",
    ("registry/versions.py", "_insert_version",
     ("', '.join(VERSION_FIELDS)", "', '.join(('?' for _ in VERSION_FIELDS))")):
        "the VERSION_FIELDS constant and ? marks",
    ("registry/versions.py", "_update", ("assignments",)): "the VERSION_FIELDS constant",
    ("registry/lookup.py", "councils_as_of", ("_AS_OF_SQL",)): "a module constant",
    ("registry/queries.py", "council_as_of", ("_AS_OF_SQL + ' and v.council_id = :id'",)): "a constant and a literal",
}
SQL_CALLS = {"execute", "executemany", "executescript", "query"}


def _scan(source: str, filename: str) -> dict[tuple, list[str]]:
    """The SQL calls of one module whose statement is not one string literal, with their lines."""
    tree = ast.parse(source)
    owner: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for child in ast.walk(node):
                owner[id(child)] = node.name  # walk visits outer functions first: the innermost wins
    found: dict[tuple, list[str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS and node.args):
            continue
        statement = node.args[0]
        if isinstance(statement, ast.Constant) and isinstance(statement.value, str):
            continue
        if isinstance(statement, ast.JoinedStr):
            pieces = tuple(ast.unparse(part.value) for part in statement.values
                           if isinstance(part, ast.FormattedValue))
        else:  # a name, a concatenation, % or .format(): the whole expression
            pieces = (ast.unparse(statement),)
        key = (filename, owner.get(id(node), "<module>"), pieces)
        found.setdefault(key, []).append(f"nalcoop/{filename}:{node.lineno}")
    return found


def _built_sql() -> dict[tuple, list[str]]:
    package = Path(__file__).resolve().parent.parent / "nalcoop"
    found: dict[tuple, list[str]] = {}
    for path in sorted(package.rglob("*.py")):
        found.update(_scan(path.read_text(encoding="utf-8"), path.relative_to(package).as_posix()))
    return found


def test_every_sql_statement_built_from_pieces_has_been_reviewed():
    found = _built_sql()
    new = {key: where for key, where in found.items() if key not in REVIEWED_SQL}
    assert not new, ("SQL built with an f-string, +, % or .format() outside REVIEWED_SQL; pass values as ? "
                     f"parameters, or review it and list it with the reason: {new}")
    gone = set(REVIEWED_SQL) - set(found)
    assert not gone, f"REVIEWED_SQL lists statements that no longer exist; remove them: {sorted(gone)}"


def test_the_review_catches_a_value_formatted_into_sql():
    """The scanner itself: an f-string, a %, a .format() and a + that put a value into SQL are all
    found; a literal statement with ? parameters is not."""
    source = ('def bad(conn, note):\n'
              '    conn.execute(f"select * from t where note = \'{note}\'")\n'
              '    conn.execute("select %s" % note)\n'
              '    conn.execute("select {}".format(note))\n'
              '    conn.executemany("insert into t values (" + note + ")", [])\n'
              '    conn.execute("select ?", [note])\n')
    found = _scan(source, "bad.py")
    assert sorted(found) == sorted([
        ("bad.py", "bad", ("note",)), ("bad.py", "bad", ("'select %s' % note",)),
        ("bad.py", "bad", ("'select {}'.format(note)",)), ("bad.py", "bad", ("'insert into t values (' + note + ')'",)),
    ])
    assert not set(found) & set(REVIEWED_SQL)


# ------------------------------------------------------------------ 2. no live formula in any export


def _build_hostile_ledger(db: Path) -> None:
    """Formula-like text in every field that reaches an export of any group."""
    def run(*args):
        _invoke(db, *args)

    # Agreements: one council with seven steps (one value each as note and ref), and seven
    # councils with an open request each (the value as note, ref and who typed it).
    show_steps = [("request",), ("consult",), ("consult",), ("consult",), ("sign", "--mode", "in-person"),
                  ("follow-up", "--kind", "other"), ("follow-up", "--kind", "other")]
    for k, (step, *options) in enumerate(show_steps):
        run("agreement", step, SHOW_COUNCIL, "--date", f"2020-01-0{k + 1}", *options, f"--note={FORMULAS[k]}",
            f"--ref={FORMULAS[k]}")
    for council, value in zip(REQUEST_COUNCILS, FORMULAS, strict=True):
        run(f"--author={value}", "agreement", "request", council, "--date", "2020-02-03", f"--note={value}",
            f"--ref={value}")
    # The registry: provinces named like formulas (from 2030), each change with such a source.
    for name, source in zip(TRIMMED, FORMULAS, strict=False):  # six names, the seventh source below
        run("registry", "create", "--type", "province", "--date", "2030-01-01", f"--source={source}",
            f"--english={name}", "--", name)
    run("registry", "recode", "울산 울주군", "--code", "31799", "--date", "2030-01-01", f"--source={FORMULAS[6]}")
    # Donations: a library per value in its own region, every text field holding the value.
    for value, region in zip(FORMULAS, REGIONS, strict=True):
        run("donate", "library", "add", "--type", "small", "--region", region, f"--address={value}",
            f"--contact={value}", f"--recommended-by={value}", f"--eligibility-note={value}", "--", value)
    run("donate", "stock", "add", "--title", "기증도서", "--copies", "100", "--reason", "duplicate",
        "--date", "2024-03-01")
    for value in FORMULAS:
        run("donate", "stock", "add", f"--title={value}", f"--condition={value}", "--copies", "5", "--reason",
            "other", "--date", "2024-03-01")
    for k, (value, label) in enumerate(zip(FORMULAS, LABELS, strict=True), start=1):
        number = f"2024-{k:03d}"
        run("donate", "add", "--library", label, "--title", "기증도서", "--copies", "1", "--date", "2024-05-01")
        run("donate", "pack", number, "--date", "2024-05-02")
        run("donate", "ship", number, "--date", "2024-05-03", f"--carrier={value}", f"--tracking={value}")
        run("donate", "receive", number, "--date", "2024-05-04", f"--note={value}")
    for value in FORMULAS:
        run("donate", "add", "--library", LABELS[PACKED_FOR], f"--title={value}", f"--condition={value}",
            "--copies", "1",
            "--date", "2024-06-01")
    # Distribution: publications and recipients named like formulas, every text field holding one.
    # The first publication has issues named like formulas, sent to every recipient; the first
    # recipient's last three copies came back (its address is under review); the last is inactive.
    hostile_title, other_title = TRIMMED[0], TRIMMED[1]
    for value in TRIMMED:
        run("distribute", "publication", "add", "--frequency", "monthly", f"--title-en={value}", f"--series={value}",
            f"--unit={value}", "--", value)
        run("distribute", "issue", "add", "--date", "2024-01-10", "--", value, "2024-01")
    for k, value in enumerate(TRIMMED):
        run("distribute", "issue", "add", "--date", f"2024-{k + 2:02}-10", "--", hostile_title, value)
    run("distribute", "issue", "add", "--date", "2024-12-10", "--", hostile_title, "2024-12")
    for value, formula in zip(TRIMMED, FORMULAS, strict=False):
        run("distribute", "recipient", "add", "--country", "JP", "--type", "university", f"--address={formula}",
            f"--postcode={formula}", f"--contact={formula}", "--", value)
        run("distribute", "subscribe", "--from", "2024-01-01", "--", value, hostile_title)
        run("distribute", "subscribe", "--from", "2024-01-01", "--", value, other_title)
        run("distribute", "unsubscribe", "--date", "2024-06-30", f"--reason={formula}", "--", value, other_title)
    run("distribute", "send", "--issue", "2024-01", "--date", "2024-01-20", "--", hostile_title)
    for k, value in enumerate(TRIMMED):
        run("distribute", "send", f"--issue={value}", "--date", f"2024-{k + 2:02}-20", "--", hostile_title)
    for value in TRIMMED[3:6]:
        run("distribute", "return", f"--issue={value}", "--reason", "undeliverable", "--date", "2024-08-01", "--",
            TRIMMED[0], hostile_title)
    run("distribute", "recipient", "deactivate", "--date", "2025-01-01", f"--reason={FORMULAS[5]}", "--", TRIMMED[5])
    # The network: organizations named like formulas (contact and note too), members of a body named
    # like one; five conferences titled like formulas, each hosted by one; everyone at the first; a
    # course titled like one, with modules, instructors and goals named like formulas, and trainees.
    for value in TRIMMED:
        run("network", "org", "add", "--type", "other", f"--contact={value}", f"--note={value}", "--", value)
    run("network", "body", "add", "hostile", "--", TRIMMED[0])
    for value in TRIMMED:
        run("network", "join", "--body", "hostile", "--from", "2020-01-01", "--", value)
    for k, value in enumerate(TRIMMED[1:], start=1):
        run("network", "event", "add", "--from", f"2024-0{k}-10", f"--place={value}", f"--agenda={value}",
            f"--outcomes={value}", f"--host={value}", "--", "conference", value)
    run("network", "course", "add", "--from", "2024-07-01", "--to", "2024-07-05", "--", TRIMMED[0])
    for value in TRIMMED:
        run("network", "attend", f"--org={value}", f"--person={value}", f"--note={value}", "--", TRIMMED[1])
        run("network", "curriculum", "add", "--hours", "3", f"--instructor={value}", f"--goals={value}", "--",
            TRIMMED[0], value)
    for value in TRIMMED:
        run("network", "attend", f"--org={value}", f"--person={value}", "--hours", "15", "--", TRIMMED[0])
    # The apprenticeship: a cohort named like a formula, its departments, students, universities, majors,
    # mentors, notes and comments too; one reveal with such a reason.
    run("intern", "cohort", "add", "--from", "2024-07-01", "--to", "2024-08-30", "--slots", "10", "--required-hours",
        "80", *[f"--dept={value}" for value in TRIMMED], "--", TRIMMED[0])
    for k, value in enumerate(TRIMMED, start=1):
        run("intern", "apply", f"--cohort={TRIMMED[0]}", f"--name={value}", f"--university={value}",
            f"--major={value}", f"--email=student{k}@example.ac.kr", "--date", "2024-06-01")
        run("intern", "accept", f"--cohort={TRIMMED[0]}", "--date", "2024-06-20", "--", f"#{k}")
        run("intern", "place", f"--dept={value}", f"--mentor={value}", "--from", "2024-07-01", "--", f"#{k}")
        run("intern", "hours", "--date", "2024-07-01", "--hours", "8", f"--note={value}", "--", f"#{k}")
        run("intern", "evaluate", f"--evaluator={value}", "--score", "3", f"--comment={value}", "--date", "2024-07-02",
            "--", f"#{k}")
    run("intern", "list", "--reveal", f"--reason={TRIMMED[1]}")


@pytest.fixture(scope="module")
def _hostile_template(tmp_path_factory, _initialised_template) -> bytes:
    path = tmp_path_factory.mktemp("hostile") / "ledger.db"
    path.write_bytes(_initialised_template)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NALCOOP_TODAY", "2026-11-25")
        patch.setenv("NO_COLOR", "1")
        patch.setenv("HOME", str(path.parent / "home"))
        patch.delenv("NALCOOP_DB", raising=False)
        _build_hostile_ledger(path)
    return path.read_bytes()


@pytest.fixture
def hostile(tmp_path, _hostile_template) -> Cli:
    path = tmp_path / "hostile.db"
    path.write_bytes(_hostile_template)
    return Cli(path)


@dataclass(frozen=True)
class Field:
    """Where hostile text must come out: the JSON key, the CSV/xlsx header, and the exact texts."""

    key: str
    header: str
    values: tuple[str, ...]
    beside: bool = False  # xlsx only: the value sits right of a label (the packing list's recipient block)


@dataclass(frozen=True)
class Export:
    command: str  # the command's path, as the walk of the command tree names it
    args: tuple[str, ...]
    fields: tuple[Field, ...]
    formats: tuple[str, ...] = FORMATS
    to_file: bool = False  # the file name is the last argument and chooses the format (agreement export)
    db_name: str | None = None  # run against a copy of the ledger under this (relative) name

    @property
    def id(self) -> str:
        return " ".join(self.args)


def F(key: str, values, header: str | None = None, beside: bool = False) -> Field:  # noqa: N802
    return Field(key, header or key, tuple(values), beside)


AFTER_2030 = ("--as-of", "2030-01-02")
# Every export, with the fields that carry hostile text in the hostile ledger. A new export (say of
# distribution, network or interns) adds its line here, and text of that kind to _build_hostile_ledger.
EXPORTS = [
    Export("agreement list", ("agreement", "list"), (F("ref", FORMULAS),)),
    Export("agreement show", ("agreement", "show", SHOW_COUNCIL), (F("note", FORMULAS), F("ref", FORMULAS))),
    Export("agreement due", ("agreement", "due", "--days", "30"), (F("ref", FORMULAS),)),
    Export("agreement export", ("agreement", "export"), (F("ref", FORMULAS, "ref"), F("note", FORMULAS, "note")),
           formats=("csv", "tsv", "xlsx"), to_file=True),
    Export("agreement councils", ("agreement", "councils", "--level", "provincial", *AFTER_2030),
           (F("province", TRIMMED), F("name", [f"{name}의회" for name in TRIMMED], "council"))),
    Export("stats agreements", ("stats", "agreements", *AFTER_2030), (F("group", TRIMMED),)),
    Export("registry changes", ("registry", "changes"),
           (F("source", FORMULAS), F("description", [f"{name}의회 created" for name in TRIMMED]))),
    Export("history", ("history", "--limit", "500"), (F("by", FORMULAS),)),
    Export("info", ("info",), (F("value", [DB_NAME]),), db_name=DB_NAME),
    Export("donate library list", ("donate", "library", "list"),
           (F("name", TRIMMED, "library"), F("address", TRIMMED), F("contact", TRIMMED),
            F("recommended_by", TRIMMED, "recommended by"), F("eligibility_note", TRIMMED, "eligibility note"))),
    Export("donate stock list", ("donate", "stock", "list"), (F("title", TRIMMED), F("condition", TRIMMED))),
    Export("donate list", ("donate", "list"),
           (F("library", TRIMMED), F("carrier", FORMULAS), F("tracking", FORMULAS))),
    Export("donate batch show", ("donate", "batch", "show", BIG_BATCH),
           (F("title", TRIMMED), F("condition", TRIMMED))),
    Export("donate batch show", ("donate", "batch", "show", "2024-001", "--timeline"),
           (F("detail", [FORMULAS[0], f"{FORMULAS[0]}; tracking {FORMULAS[0]}"]),)),
    Export("donate packing-list", ("donate", "packing-list", BIG_BATCH),
           (F("title", TRIMMED), F("condition", TRIMMED),
            F("name", [TRIMMED[-1]], "Receiving library", beside=True),
            F("address", [FORMULAS[PACKED_FOR].strip()], "Address", beside=True),
            F("contact", [FORMULAS[PACKED_FOR].strip()], "Contact", beside=True),
            F("recommended_by", [FORMULAS[PACKED_FOR].strip()], "Recommended by", beside=True))),
    Export("stats donations", ("stats", "donations", "--by", "library", "--as-of", "2024-12-31"),
           (F("group", LABELS),)),
    Export("distribute publication list", ("distribute", "publication", "list"),
           (F("title", TRIMMED), F("title_en", TRIMMED, "English title"), F("series", TRIMMED),
            F("publisher_unit", TRIMMED, "publisher unit"))),
    Export("distribute issue list", ("distribute", "issue", "list"),
           (F("title", TRIMMED, "publication"), F("issue", TRIMMED))),
    Export("distribute recipient list", ("distribute", "recipient", "list"),
           (F("name", TRIMMED, "recipient"), F("address", SIX), F("postcode", SIX), F("contact", SIX),
            F("inactive_reason", [FORMULAS[5].strip()], "inactive reason"))),
    Export("distribute recipient review", ("distribute", "recipient", "review"),
           (F("recipient", [TRIMMED[0]]), F("address", [TRIMMED[0]]), F("postcode", [TRIMMED[0]]),
            F("contact", [TRIMMED[0]]))),
    Export("distribute subscriptions", ("distribute", "subscriptions", "--all"),
           (F("publication", TRIMMED[:2]), F("recipient", TRIMMED), F("end_reason", SIX, "end reason"))),
    Export("distribute send", ("distribute", "send", TRIMMED[0], "--issue", "2024-12", "--date", "2024-12-20",
                               "--dry-run"), (F("recipient", TRIMMED[1:]),)),
    Export("distribute list", ("distribute", "list"),
           (F("publication", [TRIMMED[0]]), F("issue", TRIMMED), F("recipient", TRIMMED))),
    Export("distribute labels", ("distribute", "labels", TRIMMED[0], "--issue", "2024-01"),
           (F("recipient", TRIMMED), F("address", SIX), F("postcode", SIX), F("contact", SIX),
            F("publication", [TRIMMED[0]]))),
    Export("stats distribution", ("stats", "distribution", "--by", "publication"), (F("group", [TRIMMED[0]]),)),
    Export("network org list", ("network", "org", "list"),
           (F("name", TRIMMED, "organization"), F("contact", TRIMMED), F("note", TRIMMED))),
    Export("network body list", ("network", "body", "list"), (F("name", [TRIMMED[0]], "body"),)),
    Export("network members", ("network", "members", "--history"), (F("name", TRIMMED, "organization"),)),
    Export("network list", ("network", "list"),
           (F("title", TRIMMED), F("place", TRIMMED[1:]), F("agenda", TRIMMED[1:]), F("outcomes", TRIMMED[1:]),
            F("host", TRIMMED[1:]))),
    Export("network event show", ("network", "event", "show", TRIMMED[1]),
           (F("org", TRIMMED, "organization"), F("person", TRIMMED), F("note", TRIMMED))),
    Export("network course list", ("network", "course", "list"), (F("course", [TRIMMED[0]]),)),
    Export("network curriculum show", ("network", "curriculum", "show", TRIMMED[0]),
           (F("module", TRIMMED), F("instructor", TRIMMED), F("goals", TRIMMED, "learning goals"))),
    Export("stats network", ("stats", "network", "--by", "org"), (F("group", TRIMMED),)),
    Export("intern cohort list", ("intern", "cohort", "list"),
           (F("cohort", [TRIMMED[0]]), F("departments", [", ".join(TRIMMED)]))),
    Export("intern list", ("intern", "list"),
           (F("name", MASKED), F("university", TRIMMED), F("major", TRIMMED), F("departments", TRIMMED))),
    Export("intern show", ("intern", "show", "#1"), (F("detail", [f"{TRIMMED[0]}, mentor {TRIMMED[0]}"]),)),
    Export("intern due", ("intern", "due", "--as-of", "2024-07-15"), (F("name", MASKED), F("university", TRIMMED))),
    Export("intern reveals", ("intern", "reveals"), (F("reason", [TRIMMED[1]]),)),
    Export("stats interns", ("stats", "interns", "--by", "university"), (F("group", TRIMMED),)),
]


def _run_export(export: Export, fmt: str, cli: Cli, tmp_path: Path, monkeypatch) -> tuple[str | None, Path]:
    out = tmp_path / f"export{SUFFIX[fmt]}"
    if export.to_file:
        args = [*export.args, str(out)]
    elif fmt == "xlsx":
        args = [*export.args, "-o", str(out)]
    else:
        args = [*export.args, "--format", fmt]
    db: Path | str = cli.db_path
    if export.db_name:
        monkeypatch.chdir(tmp_path)
        Path(export.db_name).write_bytes(cli.db_path.read_bytes())
        db = export.db_name
    result = _invoke(db, *args)
    if fmt == "xlsx":
        return None, out
    if export.to_file:
        return out.read_bytes().decode("utf-8-sig"), out
    return _stdout(result), out


def _check_delimited(text: str, fmt: str, fields: tuple[Field, ...]) -> None:
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter="," if fmt == "csv" else "\t"))
    header, rows = table[0], table[1:]
    for row in table:
        assert len(row) == len(header), f"a value split a row: {row!r}"
        for value in row:
            # Nothing a spreadsheet would run: formula-like text is behind an apostrophe; numbers stay numbers.
            assert not value.startswith(PREFIXES) or NUMBER.fullmatch(value), f"live formula in {fmt}: {value!r}"
            assert not re.fullmatch(r"'-?\d+(\.\d+)?", value), f"a number was defused: {value!r}"
    for field in fields:
        if field.beside:
            continue
        column = [row[header.index(field.header)] for row in rows]
        for value in field.values:
            assert "'" + value in column, f"{field.header}: {value!r} is not there as '{value!r}: {column!r}"


def _check_json(text: str, fmt: str, fields: tuple[Field, ...]) -> None:
    records = json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
    if isinstance(records, dict) or records and "value" not in records[0] and "ledger" in records[0]:
        one = records if isinstance(records, dict) else records[0]  # `info`: one object, its fields the values
        records = [{"value": value} for value in one.values()]
    for record in records:
        for value in record.values():
            # JSON is not a spreadsheet: the stored text, never an apostrophe put before it.
            assert not (isinstance(value, str) and value[:1] == "'" and value[1:2] in "=+-@\t\r" and value[1:]), \
                f"defused text in {fmt}: {value!r}"
    for field in fields:
        if field.beside:
            continue
        column = [record[field.key] for record in records]
        for value in field.values:
            assert value in column, f"{field.key}: {value!r} is not in {column!r}"


def _check_xlsx(path: Path, fields: tuple[Field, ...]) -> None:
    workbook = load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    for cell in cells:
        assert cell.data_type != "f", f"live formula in {cell.coordinate}: {cell.value!r}"
        text = _excel_text(cell.value)
        if isinstance(text, str):
            assert cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)
            # xlsx keeps the exact text in a text cell: no apostrophe put before it.
            assert not (text[:1] == "'" and text[1:2] in "=+-@\t\r" and text[1:]), (cell.coordinate, text)
    sheet = workbook.worksheets[0]
    grid = [list(row) for row in sheet.iter_rows()]
    for field in fields:
        label = next((cell for row in grid for cell in row if cell.value == field.header), None)
        assert label is not None, f"no cell says {field.header!r}"
        if field.beside:
            found = [sheet.cell(row=label.row, column=label.column + 1)]
        else:
            found = [row[label.column - 1] for row in grid[label.row:]]
        for value in field.values:
            matching = [cell for cell in found if _excel_text(cell.value) == value]
            assert matching, f"{field.header}: {value!r} is not in {[c.value for c in found]!r}"
            assert all(cell.data_type == "s" for cell in matching)


@pytest.mark.parametrize("export,fmt", [pytest.param(e, f, id=f"{e.id}-{f}") for e in EXPORTS for f in e.formats])
def test_no_export_writes_a_live_formula(hostile, tmp_path, monkeypatch, export, fmt):
    text, path = _run_export(export, fmt, hostile, tmp_path, monkeypatch)
    if fmt == "xlsx":
        _check_xlsx(path, export.fields)
    elif fmt in ("csv", "tsv"):
        _check_delimited(text, fmt, export.fields)
    else:
        _check_json(text, fmt, export.fields)


def _commands_with_format() -> set[str]:
    found = set()

    def walk(group, path: list[str]) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):  # a group (Typer's own click classes, not click.Group)
                walk(command, [*path, name])
            if any("--format" in param.opts for param in command.params):  # a group may list too (stats)
                found.add(" ".join([*path, name]))

    walk(typer.main.get_command(app), [])
    return found


# Listings that carry no text a librarian typed, only fixed words, numbers and checked handles.
NO_TYPED_TEXT = {
    "stats": "the overview: fixed activity and measure names, levels, and body codes (letters, digits and hyphens "
             "only, checked by network.add_body)",
}


def test_every_command_with_a_format_option_is_in_the_exports_checked_for_formulas():
    with_format = _commands_with_format()
    assert {"agreement list", "donate packing-list", "stats donations", "history"} <= with_format  # the walk works
    covered = {export.command for export in EXPORTS}
    missing = with_format - covered - set(NO_TYPED_TEXT)
    assert not missing, (f"commands with --format not in EXPORTS: {sorted(missing)}; add each with the fields "
                         "that carry text a librarian typed, and put such text in _build_hostile_ledger")
    for export in EXPORTS:
        assert export.fields, f"{export.command}: name at least one field that carries hostile text"
        assert export.args[:len(export.command.split())] == tuple(export.command.split()), export.command


def test_the_hostile_ledger_passes_its_checks_and_holds_the_text_verbatim(hostile):
    assert hostile("check").stdout.startswith("ok: ")
    assert _sql(hostile.db_path, "select ref, note from agreement_events order by id")[:7] == \
        [(value, value) for value in FORMULAS]
    assert _sql(hostile.db_path, "select address, contact, recommended_by, eligibility_note from donation_libraries"
                                 " order by id") == [(value.strip(),) * 4 for value in FORMULAS]
    assert _sql(hostile.db_path, "select carrier, tracking from donation_batches where carrier is not null"
                                 " order by id") == [(value, value) for value in FORMULAS]


# ------------------------------------------------------------------ re-importing an export gives the text back


def _fresh(tmp_path: Path, template: bytes, name: str = "fresh.db") -> Cli:
    path = tmp_path / name
    path.write_bytes(template)
    return Cli(path)


def _agreement_refs(cli: Cli) -> dict[str, str]:
    return {row["council"]: row["ref"] for row in _json(cli("agreement", "list", "--format", "json"))}


def _exported(cli: Cli) -> dict[str, tuple]:
    """`agreement export` as {council: the row's other cells}, read from an xlsx export as exact text."""
    path = cli.db_path.with_name(f"{cli.db_path.stem}-export.xlsx")
    cli("agreement", "export", str(path))
    rows = [[_excel_text(cell.value) for cell in row] for row in load_workbook(path).active.iter_rows()]
    return {row[0]: tuple(row[1:]) for row in rows[1:]}


def _libraries(cli: Cli) -> dict[tuple[str, str], tuple]:
    return {(r["name"], r["region"]): (r["address"], r["contact"], r["recommended_by"], r["eligibility_note"])
            for r in _json(cli("donate", "library", "list", "--format", "json"))}


def _stock(cli: Cli) -> dict[str, tuple]:
    return {r["title"]: (r["condition"], r["on_hand"])
            for r in _json(cli("donate", "stock", "list", "--format", "json"))}


def _batch_lines(cli: Cli, number: str) -> dict[str, tuple]:
    return {r["title"]: (r["condition"], r["qty"])
            for r in _json(cli("donate", "batch", "show", number, "--format", "json"))}


def _map_without_province(tmp_path: Path) -> Path:
    from importlib import resources

    import yaml

    shipped = yaml.safe_load(resources.files("nalcoop").joinpath("data/maps/donation_libraries.yaml")
                             .read_text("utf-8"))
    del shipped["fields"]["province"]
    path = tmp_path / "libraries-map.yaml"
    path.write_text(yaml.safe_dump(shipped, allow_unicode=True), encoding="utf-8")
    return path


def _round_trip(kind: str, hostile: Cli, fresh: Cli, tmp_path: Path, suffix: str) -> tuple[dict, dict]:
    """Export `kind` from the hostile ledger, import the file into a fresh one, and read both back."""
    out = tmp_path / f"{kind}{suffix}"
    if kind == "agreement list":
        hostile("agreement", "list", "-o", str(out))
        fresh("agreement", "import", str(out))
        return _agreement_refs(hostile), _agreement_refs(fresh)
    if kind == "agreement export":
        hostile("agreement", "export", str(out))
        fresh("agreement", "import", str(out))
        return _exported(hostile), _exported(fresh)
    if kind == "donate library list":
        hostile("donate", "library", "list", "-o", str(out))
        # The list's region column already names the province; read with the shipped 시도/province
        # column as well, the import looks for '전라남도 전라남도 신안군' and refuses every row.
        fresh("donate", "library", "import", str(out), "--map", str(_map_without_province(tmp_path)))
        return _libraries(hostile), _libraries(fresh)
    if kind == "donate stock list":
        hostile("donate", "stock", "list", "-o", str(out))
        fresh("donate", "stock", "import", str(out), "--date", "2024-03-01")
        return _stock(hostile), _stock(fresh)
    assert kind == "donate packing-list"
    hostile("donate", "packing-list", BIG_BATCH, "-o", str(out))
    fresh("donate", "library", "add", "받는도서관", "--type", "small", "--region", "세종")
    fresh("donate", "add", "--library", "받는도서관", "--import", str(out), "--outside-stock", "--date", "2024-06-01")
    return _batch_lines(hostile, BIG_BATCH), _batch_lines(fresh, "2024-001")


def _kept(value) -> bool:
    """A value without a leading or trailing tab or CR (whose round trip the next test covers)."""
    values = value if isinstance(value, tuple) else (value,)
    return all(not isinstance(v, str) or v == v.strip() for v in values)


# (export, file type) that an import reads back; the packing list as xlsx is laid out for print.
ROUND_TRIPS = [(kind, suffix) for kind in ("agreement list", "agreement export", "donate library list",
                                           "donate stock list", "donate packing-list") for suffix in (".csv", ".xlsx")
               if (kind, suffix) != ("donate packing-list", ".xlsx")]


@pytest.mark.parametrize("kind,suffix", ROUND_TRIPS)
def test_an_export_imports_back_with_its_formula_like_text_intact(hostile, tmp_path, _initialised_template, kind,
                                                                  suffix):
    fresh = _fresh(tmp_path, _initialised_template)
    original, back = _round_trip(kind, hostile, fresh, tmp_path, suffix)
    assert set(back) == set(original)
    kept = {key: value for key, value in original.items() if _kept(value)}
    assert len(kept) >= 5, "the round trip should carry most of the hostile values"
    assert {key: back[key] for key in kept} == kept


@pytest.mark.parametrize("value", ["\t=1+1", "\r=1"], ids=repr)
def test_a_leading_tab_or_cr_survives_a_csv_export_and_import(cli, tmp_path, _initialised_template, value):
    """The CSV export's apostrophe shields the tab or CR from the importer's trimming of cells."""
    cli("agreement", "request", "서울 종로구", "--date", "2020-01-01", f"--ref={value}", f"--note={value}")
    out = tmp_path / "agreements.csv"
    cli("agreement", "export", str(out))
    fresh = _fresh(tmp_path, _initialised_template)
    fresh("agreement", "import", str(out))
    assert _sql(fresh.db_path, "select ref, note from agreement_events") == [(value, value)]


@pytest.mark.parametrize("value", ["\t=1+1", "\r=1"], ids=repr)
def test_an_xlsx_cell_is_trimmed_on_import_but_never_becomes_a_formula(cli, tmp_path, _initialised_template, value):
    """Import trims the spaces, tabs and line breaks around a cell (messy sheets); what is left
    is text, stored as text."""
    cli("agreement", "request", "서울 종로구", "--date", "2020-01-01", f"--ref={value}", f"--note={value}")
    out = tmp_path / "agreements.xlsx"
    cli("agreement", "export", str(out))
    fresh = _fresh(tmp_path, _initialised_template)
    fresh("agreement", "import", str(out))
    assert _sql(fresh.db_path, "select ref, note from agreement_events") == [(value.strip(), value.strip())]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_text_beginning_with_an_apostrophe_survives_an_export_and_import(cli, tmp_path, _initialised_template,
                                                                          suffix):
    cli("agreement", "request", "서울 종로구", "--date", "2020-01-01", "--ref='=1+1", "--note='+82 2 788 4211")
    out = tmp_path / f"agreements{suffix}"
    cli("agreement", "export", str(out))
    fresh = _fresh(tmp_path, _initialised_template)
    fresh("agreement", "import", str(out))
    assert _sql(fresh.db_path, "select ref, note from agreement_events") == [("'=1+1", "'+82 2 788 4211")]

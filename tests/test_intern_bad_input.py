"""Bad input to `nalcoop intern` (and `stats interns`): one line saying what and where, a non-zero exit,
no traceback, the ledger byte-for-byte unchanged with no new journal entry, and no student's name, e-mail
or telephone printed in full by an error.

Each test was first written as the rule asks; the ones that found a fault guard its fix.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nalcoop.cli import app

from .clitools import ledger_made_by
from .test_bad_input import _csv, _xlsx, assert_refused, untouched

SUMMER = "2025-summer"  # 2025-07-07 – 2025-08-01, 12 slots (4 taken), 90 hours, 의회정보실 and 법률정보실
WINTER = "2025-winter"  # 2025-12-29 – 2026-01-23, 2 slots (both taken), 40 hours, any department
PARLIAMENT = "의회정보실"
LAW = "법률정보실"
ARCHIVES = "국회기록보존소"  # not among the summer cohort's departments

SET_UP = [
    ("intern", "cohort", "add", SUMMER, "--from", "2025-07-07", "--to", "2025-08-01", "--slots", "12",
     "--required-hours", "90", "--dept", PARLIAMENT, "--dept", LAW),
    ("intern", "cohort", "add", WINTER, "--from", "2025-12-29", "--to", "2026-01-23", "--slots", "2",
     "--required-hours", "40"),
    # summer: #1 .. #7
    ("intern", "apply", "-c", SUMMER, "--name", "김하늘", "--university", "한남대학교", "--major", "문헌정보학",
     "--study-year", "4", "--email", "sky@example.ac.kr", "--phone", "010-4321-8765", "--date", "2025-06-01"),
    ("intern", "apply", "-c", SUMMER, "--name", "이가람", "--university", "연세대학교", "--study-year", "3",
     "--email", "garam@example.ac.kr", "--date", "2025-06-02"),
    ("intern", "apply", "-c", SUMMER, "--name", "박나래", "--university", "이화여자대학교", "--phone", "010-2222-3333",
     "--date", "2025-06-02"),
    ("intern", "apply", "-c", SUMMER, "--name", "최다솜", "--university", "한남대학교",
     "--email", "dasom@example.ac.kr", "--date", "2025-06-03"),
    ("intern", "apply", "-c", SUMMER, "--name", "정보라", "--university", "중앙대학교", "--email", "bora@example.ac.kr",
     "--date", "2025-06-03"),
    ("intern", "apply", "-c", SUMMER, "--name", "한결", "--university", "성균관대학교",
     "--email", "gyeol@example.ac.kr", "--date", "2025-06-04"),
    ("intern", "apply", "-c", SUMMER, "--name", "윤슬", "--university", "숙명여자대학교",
     "--email", "seul@example.ac.kr", "--date", "2025-06-04"),
    ("intern", "accept", "김하늘", "-c", SUMMER, "--date", "2025-06-20"),
    ("intern", "reject", "박나래", "-c", SUMMER, "--date", "2025-06-20", "--note", "정원 초과"),
    ("intern", "accept", "최다솜", "-c", SUMMER, "--date", "2025-06-20"),
    ("intern", "withdraw", "정보라", "-c", SUMMER, "--date", "2025-06-21", "--note", "개인 사정"),
    ("intern", "accept", "한결", "-c", SUMMER, "--date", "2025-06-20"),
    ("intern", "accept", "윤슬", "-c", SUMMER, "--date", "2025-06-20"),
    ("intern", "place", "김하늘", "-c", SUMMER, "--dept", PARLIAMENT, "--mentor", "이사서", "--from", "2025-07-08"),
    ("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-08", "--hours", "8", "--note", "orientation"),
    ("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-09", "--hours", "8"),
    ("intern", "place", "김하늘", "-c", SUMMER, "--dept", LAW, "--mentor", "박사서", "--from", "2025-07-14"),
    ("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-14", "--hours", "6"),
    ("intern", "place", "최다솜", "-c", SUMMER, "--dept", LAW, "--mentor", "박사서", "--from", "2025-07-07"),
    *(("intern", "hours", "최다솜", "-c", SUMMER, "--date", f"2025-07-{day}", "--hours", "10")
      for day in ("07", "08", "09", "10", "11", "14", "15", "16", "17")),
    ("intern", "evaluate", "최다솜", "-c", SUMMER, "--evaluator", "박사서", "--score", "5", "--comment", "성실함",
     "--date", "2025-07-31"),
    ("intern", "complete", "최다솜", "-c", SUMMER, "--date", "2025-08-01"),
    ("intern", "place", "한결", "-c", SUMMER, "--dept", PARLIAMENT, "--from", "2025-07-07"),
    ("intern", "hours", "한결", "-c", SUMMER, "--date", "2025-07-07", "--hours", "4"),
    ("intern", "drop", "한결", "-c", SUMMER, "--date", "2025-07-10", "--note", "중도 포기"),
    # winter: #8 .. #10 (another 김하늘, of another university)
    ("intern", "apply", "-c", WINTER, "--name", "김하늘", "--university", "부산대학교", "--email",
     "haneul.kim@example.com", "--phone", "010-9876-5432", "--date", "2025-11-01"),
    ("intern", "apply", "-c", WINTER, "--name", "오로라", "--university", "경북대학교", "--email", "aurora@example.com",
     "--date", "2025-11-02"),
    ("intern", "apply", "-c", WINTER, "--name", "서하준", "--university", "전남대학교", "--phone", "010-5555-6666",
     "--date", "2025-11-03"),
    ("intern", "accept", "김하늘", "-c", WINTER, "--date", "2025-11-20"),
    ("intern", "accept", "오로라", "-c", WINTER, "--date", "2025-11-20"),
]

NAMES = ["김하늘", "이가람", "박나래", "최다솜", "정보라", "한결", "윤슬", "오로라", "서하준"]
CONTACTS = ["sky@example.ac.kr", "010-4321-8765", "01043218765", "garam@example.ac.kr", "010-2222-3333",
            "dasom@example.ac.kr", "bora@example.ac.kr", "gyeol@example.ac.kr", "seul@example.ac.kr",
            "haneul.kim@example.com", "010-9876-5432", "aurora@example.com", "010-5555-6666"]
PERSONAL = NAMES + CONTACTS




@pytest.fixture(scope="module")
def _intern_template(tmp_path_factory, _initialised_template) -> bytes:
    """The ledger SET_UP makes, through the CLI, once per module: each test gets a byte copy."""
    return ledger_made_by(tmp_path_factory.mktemp("intern"), _initialised_template, SET_UP)


@pytest.fixture
def intern(cli, db_path, _intern_template):
    """Two cohorts. 2025-summer (2025-07-07 – 2025-08-01, 12 slots, 90 hours required, departments 의회정보실 and
    법률정보실): #1 김하늘 (한남대학교) placed in 의회정보실 from 2025-07-08 (8 hours on 07-08 and 07-09), moved
    to 법률정보실 from 2025-07-14 (6 hours that day); #2 이가람 applied; #3 박나래 rejected; #4 최다솜 completed
    (90 hours in 법률정보실 from 07-07 to 07-17, evaluated, certificate NAL-INT-2025-001 on 2025-08-01);
    #5 정보라 withdrawn; #6 한결 placed then dropped on 2025-07-10; #7 윤슬 accepted, not placed.
    2025-winter (2025-12-29 – 2026-01-23, 2 slots, 40 hours, any department): #8 another 김하늘 (부산대학교)
    and #9 오로라 accepted (the cohort is full); #10 서하준 applied."""
    db_path.write_bytes(_intern_template)
    return cli


def assert_private(text: str, *more: str) -> None:
    """No student's name, e-mail or telephone (nor any of `more`) appears in full."""
    for value in (*PERSONAL, *more):
        assert value not in text, f"{value!r} printed in full: {text!r}"


def refused(result, *needles: str, exit_code: int | None = None, lines: int = 1, private: tuple[str, ...] = ()) -> str:
    """assert_refused, and no personal data in what was printed. Returns stderr."""
    stderr = assert_refused(result, *needles, exit_code=exit_code, lines=lines)
    assert_private(stderr, *private)
    return stderr


def assert_usage(result, *needles: str) -> str:
    """click's own usage errors (a value that is not an int or a float, outside an option's choices): exit
    2, no traceback, nothing on stdout, and the last stderr line 'Error: ...' holding every needle. Returns
    that line."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Error: "), result.stderr
    for needle in needles:
        assert needle in last, f"{needle!r} not in {last!r}"
    assert_private(result.stderr)
    return last


def _rows(path: Path, table: str) -> int:
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


# ------------------------------------------------------------------ the journal keeps no personal data


def test_the_journal_s_command_lines_hold_no_e_mail_or_telephone_in_full(intern, db_path):
    uri = f"{db_path.resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        lines = "\n".join(row[0] for row in conn.execute("select command from journal_commands"))
    assert "intern apply" in lines
    assert_private(lines)
    assert "정원 초과" not in lines and "성실함" not in lines  # free text about a student is hidden too


# ------------------------------------------------------------------ hours on the command line


@pytest.mark.parametrize(("hours", "message", "code"), [
    ("0", "--hours: 0 is not a number of hours above 0", 2),
    ("13", "13 hours in a day is not above 0 and up to 12", 1),
    ("eight", "--hours: 'eight' is not a number of hours (such as 3 or 1.5)", 2),
    ("-3", "--hours: '-3' is not a number of hours", 2),
], ids=["0", "13", "eight", "-3"])
def test_hours_that_are_not_above_0_and_up_to_12_are_refused_quoting_them(intern, db_path, hours, message, code):
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-15", "--hours", hours, ok=False)
    refused(result, message, exit_code=code)


@pytest.mark.parametrize("day", ["2025-08-02", "2025-07-04"], ids=["after the cohort", "before the cohort"])
def test_hours_dated_outside_the_cohort_are_refused_naming_its_dates(intern, db_path, day):
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "-c", SUMMER, "--date", day, "--hours", "8", ok=False)
    refused(result, f"{day} is outside cohort {SUMMER} (2025-07-07 – 2025-08-01)", exit_code=1)


def test_hours_on_a_day_before_the_placement_are_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-07", "--hours", "8", ok=False)
    refused(result, "김*늘 was not placed on 2025-07-07", exit_code=1)


def test_a_second_entry_for_the_same_day_and_department_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-14", "--hours", "2", ok=False)
    refused(result, f"of 김*늘 in {LAW} on 2025-07-14 are already logged", "undo that entry", exit_code=1)


def test_more_than_12_hours_in_a_day_across_two_departments_is_refused(intern, db_path):
    """6 hours are logged in 법률정보실 on 2025-07-14; 7 more in 의회정보실 would make 13. A placement ends the
    day before the next begins, so the second department is refused first."""
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-14", "--hours", "7",
                        "--dept", PARLIAMENT, ok=False)
    refused(result, f"김*늘 was not placed in {PARLIAMENT} on 2025-07-14", exit_code=1)


def test_hours_in_a_department_not_among_the_cohort_s_are_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-15", "--hours", "7",
                        "--dept", ARCHIVES, ok=False)
    refused(result, f"was not placed in {ARCHIVES} on 2025-07-15", exit_code=1)


@pytest.mark.parametrize(("student", "label"), [
    ("이가람", "#2 이*람 (연세대학교, 2025-summer, applied): a student who is applied cannot log hours"),
    ("최다솜", "#4 최*솜 (한남대학교, 2025-summer, completed): a student who is completed cannot log hours"),
], ids=["applied", "completed"])
def test_hours_for_a_student_who_is_not_placed_are_refused(intern, db_path, student, label):
    with untouched(db_path):
        result = intern("intern", "hours", student, "-c", SUMMER, "--date", "2025-07-15", "--hours", "8", ok=False)
    refused(result, label, exit_code=1)


def test_hours_without_a_number_of_hours_in_a_pipe_is_a_usage_error_and_no_prompt(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "--date", "2025-07-15", ok=False, input="8\n")
    refused(result, "missing option '--hours' (hours that day)", exit_code=2)


def test_hours_with_both_a_timesheet_and_one_day_are_a_usage_error(intern, db_path, tmp_path):
    path = _csv(tmp_path / "timesheet.csv", [["성명", "일자", "시간"], ["김하늘", "2025-07-15", "8"]])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), "김하늘", "--hours", "8", ok=False)
    refused(result, "give either --import FILE or one student's day", exit_code=2)


# ------------------------------------------------------------------ a timesheet

TIMESHEET_HEADER = ["성명", "일자", "시간", "부서", "비고"]
GOOD_DAY = ["김하늘", "2025-07-15", "8", LAW, "자료 정리"]


def _timesheet(tmp_path: Path, suffix: str, *rows: list) -> tuple[Path, str]:
    """A timesheet with a good first day and `rows` after it; returns the file and how errors name it."""
    path = tmp_path / f"timesheet{suffix}"
    table = [TIMESHEET_HEADER, GOOD_DAY, *rows]
    if suffix == ".xlsx":
        table = [table[0], *([int(c) if isinstance(c, str) and c.isdigit() else c for c in row] for row in table[1:])]
        _xlsx(path, table, sheet="근무")
        return path, "timesheet.xlsx, sheet 근무"
    _csv(path, table)
    return path, "timesheet.csv"


@pytest.mark.parametrize(("suffix", "hours", "why"), [
    (".csv", "0", "0 hours in a day is not above 0 and up to 12"),
    (".xlsx", "13", "13 hours in a day is not above 0 and up to 12"),
    (".csv", "eight", "'eight' is not a number of hours (such as 3 or 1.5)"),
], ids=["0, csv", "13, xlsx", "eight, csv"])
def test_a_timesheet_with_impossible_hours_names_file_row_and_column(intern, db_path, tmp_path, suffix, hours, why):
    path, where = _timesheet(tmp_path, suffix, ["김하늘", "2025-07-16", hours, "", ""])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    problem, summary = refused(result, exit_code=1, lines=2).splitlines()
    assert problem.startswith(f"{where}, row 3, column C (시간): ")
    assert why in problem
    assert summary == (f"Error: {path.name}: 1 of 2 rows rejected; nothing was imported. Fix the rows listed above "
                       "and import again")


def test_a_timesheet_row_dated_outside_the_cohort_names_the_date_column(intern, db_path, tmp_path):
    path, where = _timesheet(tmp_path, ".xlsx", ["김하늘", "2025-08-04", "8", "", ""])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    problem = refused(result, "1 of 2 rows rejected", exit_code=1, lines=2).splitlines()[0]
    assert problem == (f"{where}, row 3, column B (일자): '2025-08-04': 2025-08-04 is outside cohort {SUMMER} "
                       "(2025-07-07 – 2025-08-01)")


def test_a_timesheet_row_with_an_impossible_date_names_it(intern, db_path, tmp_path):
    path, where = _timesheet(tmp_path, ".csv", ["김하늘", "2025-02-30", "8", "", ""])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    problem = refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem == f"{where}, row 3, column B (일자): '2025-02-30' is not a date: February 2025 has 28 days"


@pytest.mark.parametrize(("row", "why"), [
    (["김하늘", "2025-07-14", "7", "", ""], f"of 김*늘 in {LAW} on 2025-07-14 are already logged"),
    (["김하늘", "2025-07-15", "5", LAW, ""], "repeats row 2 (the same student and day); keep one of the two rows"),
], ids=["a day already in the ledger", "a day earlier in the file"])
def test_a_timesheet_entering_a_day_and_department_twice_with_other_hours_is_refused(intern, db_path, tmp_path,
                                                                                    row, why):
    path, where = _timesheet(tmp_path, ".csv", row)
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    problem = refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem.startswith(f"{where}, row 3, column B (일자): ")
    assert why in problem


def test_a_timesheet_with_more_than_12_hours_in_a_day_across_two_departments_is_refused(intern, db_path, tmp_path):
    path, where = _timesheet(tmp_path, ".csv", ["김하늘", "2025-07-15", "5", PARLIAMENT, ""])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    problem = refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem.startswith(f"{where}, row 3, ")
    assert f"was not placed in {PARLIAMENT} on 2025-07-15" in problem


@pytest.mark.parametrize(("row", "why"), [
    (["홍길동", "2025-07-16", "8", "", ""], "no student called '홍*동' has applied"),
    (["최다솜", "2025-07-21", "8", "", ""], "#4 최*솜 (한남대학교, 2025-summer, completed): a student who is completed "
                                          "cannot log hours"),
], ids=["unknown", "completed"])
def test_a_timesheet_naming_a_student_who_cannot_log_hours_names_row_and_name_column(intern, db_path, tmp_path,
                                                                                     row, why):
    path, where = _timesheet(tmp_path, ".xlsx", row)
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    stderr = assert_refused(result, exit_code=1, lines=2)
    problem = stderr.splitlines()[0]
    assert problem.startswith(f"{where}, row 3, column A (성명): ")
    assert why in problem
    assert_private(stderr.replace(row[0], ""), "sky@example.ac.kr")  # nothing else personal


@pytest.mark.parametrize("name", ["홍길동", "최다솜"], ids=["unknown", "completed"])
def test_a_timesheet_row_naming_a_student_does_not_print_the_name_in_full(intern, db_path, tmp_path, name):
    path, _where = _timesheet(tmp_path, ".csv", [name, "2025-07-21", "8", "", ""])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    refused(result, "row 3", "column A (성명)", exit_code=1, lines=2, private=(name,))


def test_a_timesheet_row_in_a_department_the_cohort_does_not_take_names_the_department_column(intern, db_path,
                                                                                              tmp_path):
    path, where = _timesheet(tmp_path, ".csv", ["김하늘", "2025-07-21", "7", ARCHIVES, ""])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    problem = refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem.startswith(f"{where}, row 3, column D (부서): '{ARCHIVES}'")


def test_a_timesheet_row_naming_an_unknown_cohort_names_the_cohort_column(intern, db_path, tmp_path):
    path = _csv(tmp_path / "timesheet.csv", [["성명", "일자", "시간", "기수"],
                                             ["김하늘", "2025-07-15", "8", "2024-fall"]])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    problem = refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem.startswith("timesheet.csv, row 2, column D (기수): no cohort")
    assert "no cohort is called '2024-fall'" in problem


def test_a_timesheet_row_whose_university_matches_no_placed_student_is_refused(intern, db_path, tmp_path):
    path = _csv(tmp_path / "timesheet.csv", [["성명", "일자", "시간", "대학"],
                                             ["김하늘", "2025-07-15", "8", "부산대학교"]])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    refused(result, "row 2", "부산대학교", exit_code=1, lines=2)


def test_a_timesheet_without_an_hours_column_says_that_column_is_missing(intern, db_path, tmp_path):
    path = _csv(tmp_path / "timesheet.csv", [["성명", "일자"], ["김하늘", "2025-07-15"]])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    stderr = refused(result, "timesheet.csv", exit_code=1)
    assert "no header row with a known column" not in stderr
    assert "시간" in stderr


def test_a_timesheet_with_several_bad_rows_names_each_and_writes_nothing(intern, db_path, tmp_path):
    path, where = _timesheet(tmp_path, ".csv", ["김하늘", "2025-07-16", "0", "", ""],
                             ["김하늘", "2025-07-17", "13", "", ""], ["김하늘", "2025-08-04", "8", "", ""],
                             ["김하늘", "2025-07-07", "7", "", ""], ["김하늘", "2025-07-18", "8", "", ""])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    stderr = refused(result, "4 of 6 rows rejected; nothing was imported", exit_code=1, lines=5)
    zero, thirteen, late, early, _summary = stderr.splitlines()
    assert zero.startswith(f"{where}, row 3, column C (시간)")
    assert thirteen.startswith(f"{where}, row 4, column C (시간)")
    assert late.startswith(f"{where}, row 5, column B (일자)") and "outside cohort" in late
    assert early.startswith(f"{where}, row 6, column B (일자)") and "was not placed on 2025-07-07" in early


def test_a_dry_run_of_a_good_timesheet_writes_nothing(intern, db_path, tmp_path):
    path, _where = _timesheet(tmp_path, ".xlsx", ["김하늘", "2025-07-16", "7.5", "", ""])
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), "--dry-run")
    assert result.stderr.splitlines()[-1] == "dry run, nothing written — would be: 2 logged, 0 unchanged"
    assert_private(result.stderr)


def test_a_dry_run_of_one_day_s_hours_writes_nothing(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-15", "--hours", "8시간",
                        "--dry-run")
    assert result.stderr.startswith("dry run, nothing written — 김*늘: 8 hours on 2025-07-15")


@pytest.mark.parametrize(("content", "message"), [
    ("성명,일자,시간\r\n김하늘,2025-07-15,8\r\n김\x00하늘,2025-07-16,7\r\n".encode(), "row 3: contains NUL bytes"),
    ("성명,일자,시간\r\n".encode() + b"\xff\xfe\xfd,2025-07-16,7\r\n", "is neither UTF-8 nor CP949 text"),
], ids=["NUL", "neither UTF-8 nor CP949"])
def test_a_timesheet_that_is_not_a_text_csv_is_refused_naming_it(intern, db_path, tmp_path, content, message):
    path = tmp_path / "timesheet.csv"
    path.write_bytes(content)
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    refused(result, "timesheet.csv", message, exit_code=1)


def test_a_timesheet_that_does_not_exist_is_refused_naming_it(intern, db_path, tmp_path):
    path = tmp_path / "no such folder" / "timesheet.xlsx"
    with untouched(db_path):
        result = intern("intern", "hours", "--import", str(path), ok=False)
    refused(result, f"{path} does not exist", exit_code=1)


# ------------------------------------------------------------------ placements


@pytest.mark.parametrize(("student", "label"), [
    ("박나래", "#3 박*래 (이화여자대학교, 2025-summer, rejected): a student who is rejected cannot be placed"),
    ("이가람", "#2 이*람 (연세대학교, 2025-summer, applied): a student who is applied cannot be placed"),
], ids=["rejected", "applied"])
def test_placing_a_student_who_is_not_accepted_is_refused(intern, db_path, student, label):
    with untouched(db_path):
        result = intern("intern", "place", student, "-c", SUMMER, "--dept", PARLIAMENT, "--from", "2025-07-07",
                        ok=False)
    refused(result, label, exit_code=1)


@pytest.mark.parametrize("day", ["2025-07-10", "2025-07-14"], ids=["back in time", "the same day"])
def test_moving_a_placement_back_in_time_is_refused(intern, db_path, day):
    with untouched(db_path):
        result = intern("intern", "place", "김하늘", "-c", SUMMER, "--dept", PARLIAMENT, "--from", day, ok=False)
    refused(result, f"김*늘 is placed in {LAW} from 2025-07-14; a move must come after that day", exit_code=1)


def test_moving_a_student_to_the_department_they_are_in_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "place", "김하늘", "-c", SUMMER, "--dept", LAW, "--from", "2025-07-21", ok=False)
    refused(result, f"김*늘 is already placed in {LAW}", exit_code=1)


def test_a_department_not_among_the_cohort_s_departments_is_refused_listing_them(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "place", "윤슬", "-c", SUMMER, "--dept", ARCHIVES, "--from", "2025-07-07", ok=False)
    refused(result, f"cohort {SUMMER} takes students in {PARLIAMENT}, {LAW}, not '{ARCHIVES}'",
            "nalcoop intern cohort edit --dept", exit_code=1)


def test_a_placement_after_the_cohort_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "place", "윤슬", "-c", SUMMER, "--dept", PARLIAMENT, "--from", "2025-08-02", ok=False)
    refused(result, f"2025-08-02 is outside cohort {SUMMER} (2025-07-07 – 2025-08-01)", exit_code=1)


def test_a_placement_without_a_department_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "place", "윤슬", "-c", SUMMER, "--from", "2025-07-07", ok=False, input="의회정보실\n")
    refused(result, "missing option '--dept' (department)", exit_code=2)


# ------------------------------------------------------------------ accepting, rejecting, withdrawing, dropping


def test_accepting_a_student_into_a_full_two_slot_cohort_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "accept", "서하준", "-c", WINTER, "--date", "2025-11-25", ok=False)
    refused(result, f"cohort {WINTER} has 2 slots and all 2 are taken", "서*준", "cohort edit", exit_code=1)


def test_accepting_a_13th_student_into_12_slots_is_refused(intern, db_path, tmp_path):
    path = _csv(tmp_path / "more.csv", [["성명", "대학", "이메일", "신청일"],
                                        *([f"학생{n}", "한남대학교", f"s{n}@example.ac.kr", "2025-06-10"]
                                          for n in range(1, 10))])
    intern("intern", "apply", "-c", SUMMER, "--import", str(path))
    for n in range(1, 9):  # 4 taken + 8 = 12
        intern("intern", "accept", f"학생{n}", "-c", SUMMER, "--date", "2025-06-20")
    with untouched(db_path):
        result = intern("intern", "accept", "학생9", "-c", SUMMER, "--date", "2025-06-20", ok=False)
    refused(result, f"cohort {SUMMER} has 12 slots and all 12 are taken", "학*9", exit_code=1,
            private=("학생9", "s9@example.ac.kr"))


@pytest.mark.parametrize(("command", "student", "status", "step"), [
    ("accept", "박나래", "rejected", "accepted"),
    ("drop", "이가람", "applied", "dropped"),
], ids=["accept a rejected student", "drop an applicant"])
def test_a_step_that_does_not_follow_the_student_s_status_is_refused(intern, db_path, command, student, status, step):
    reason = ["--note", "사유"] if command in ("reject", "drop") else []
    with untouched(db_path):
        result = intern("intern", command, student, "-c", SUMMER, *reason, ok=False)
    refused(result, f"a student who is {status} cannot be {step}", exit_code=1)


def test_a_step_dated_before_the_last_one_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "accept", "이가람", "-c", SUMMER, "--date", "2025-05-01", ok=False)
    refused(result, "#2 이*람 (연세대학교, 2025-summer, applied): 2025-05-01 is before its last step on 2025-06-02",
            exit_code=1)


@pytest.mark.parametrize(("command", "student"), [("reject", "이가람"), ("drop", "김하늘")])
def test_reject_or_drop_without_a_reason_is_a_usage_error(intern, db_path, command, student):
    with untouched(db_path):
        result = intern("intern", command, student, "-c", SUMMER, ok=False, input="사유\n")
    refused(result, "missing option '--note' (why)", exit_code=2)


def test_a_drop_with_a_blank_reason_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "drop", "김하늘", "-c", SUMMER, "--note", "   ", ok=False)
    refused(result, "give --note (why) for a student who is dropped", exit_code=1)


# ------------------------------------------------------------------ students that are not found, or too many


@pytest.mark.parametrize("command", [
    ("accept", "홍길동", "-c", SUMMER),
    ("accept", "홍길동"),
    ("hours", "홍길동", "--date", "2025-07-15", "--hours", "8"),
], ids=["accept --cohort", "accept", "hours"])
def test_an_unknown_student_is_refused_with_the_name_masked(intern, db_path, command):
    with untouched(db_path):
        result = intern("intern", *command, ok=False)
    cohort = f" in cohort {SUMMER}" if SUMMER in command else ""
    refused(result, f"no student called '홍*동' has applied{cohort}", "nalcoop intern list", exit_code=1,
            private=("홍길동",))


@pytest.mark.parametrize("command", [("show", "김하늘"), ("withdraw", "김하늘", "--note", "사유")],
                         ids=["show", "withdraw"])
def test_a_name_two_students_share_is_refused_listing_both_applications(intern, db_path, command):
    with untouched(db_path):
        result = intern("intern", *command, ok=False)
    refused(result, "2 applications match: #1 김*늘 (한남대학교, 2025-summer, placed); #8 김*늘 (부산대학교, "
                    "2025-winter, accepted). Give --cohort, or the number as '#N'", exit_code=1)


@pytest.mark.parametrize(("command", "message"), [
    (("accept", "#999"), "there is no application #999 (`nalcoop intern list` numbers them)"),
    (("show", "#1", "-c", WINTER), f"there is no application #1 in {WINTER}"),
], ids=["#999", "#1 in another cohort"])
def test_an_unknown_application_number_is_refused(intern, db_path, command, message):
    with untouched(db_path):
        result = intern("intern", *command, ok=False)
    refused(result, message, exit_code=1)


def test_an_empty_student_name_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "show", "   ", ok=False)
    refused(result, "the student's name is empty", "'#N'", exit_code=1)


def test_an_unknown_cohort_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "accept", "이가람", "-c", "2024-fall", ok=False)
    refused(result, "no cohort is called '2024-fall'", "nalcoop intern cohort list", exit_code=1)


# ------------------------------------------------------------------ evaluations and completion


@pytest.mark.parametrize("score", ["0", "6"])
def test_a_score_off_the_scale_is_refused(intern, db_path, score):
    with untouched(db_path):
        result = intern("intern", "evaluate", "김하늘", "-c", SUMMER, "--evaluator", "이사서", "--score", score,
                        ok=False)
    refused(result, f"--score {score} is not on the scale 1 (poor) to 5 (excellent)", exit_code=1)


def test_a_score_that_is_not_a_whole_number_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "evaluate", "김하늘", "-c", SUMMER, "--evaluator", "이사서", "--score", "4.5",
                        ok=False)
    assert_usage(result, "Invalid value for '--score'", "'4.5' is not a valid int")


def test_an_evaluation_dated_before_the_cohort_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "evaluate", "김하늘", "-c", SUMMER, "--evaluator", "이사서", "--score", "4", "--date",
                        "2025-07-01", ok=False)
    refused(result, f"2025-07-01 is before cohort {SUMMER} began", exit_code=1)


def test_evaluating_a_rejected_student_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "evaluate", "박나래", "-c", SUMMER, "--evaluator", "이사서", "--score", "4", ok=False)
    refused(result, "#3 박*래 (이화여자대학교, 2025-summer, rejected): a student who is rejected cannot be evaluated",
            exit_code=1)


def test_completing_a_student_below_the_required_hours_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "complete", "김하늘", "-c", SUMMER, "--date", "2025-08-01", ok=False)
    refused(result, f"김*늘 has 22 of the 90 hours cohort {SUMMER} requires (as of 2025-08-01); log the rest first",
            exit_code=1)


def test_completing_counts_only_the_hours_up_to_the_completion_day(intern, db_path):
    intern("intern", "cohort", "edit", SUMMER, "--required-hours", "20")
    intern("intern", "evaluate", "김하늘", "-c", SUMMER, "--evaluator", "이사서", "--score", "4", "--date",
           "2025-07-20")
    with untouched(db_path):
        result = intern("intern", "complete", "김하늘", "-c", SUMMER, "--date", "2025-07-10", ok=False)
    refused(result, "김*늘 has 16 of the 20 hours", "(as of 2025-07-10)", exit_code=1)


def test_completing_a_student_without_an_evaluation_is_refused(intern, db_path):
    intern("intern", "cohort", "edit", SUMMER, "--required-hours", "20")  # 김하늘 has 22
    with untouched(db_path):
        result = intern("intern", "complete", "김하늘", "-c", SUMMER, "--date", "2025-08-01", ok=False)
    refused(result, "김*늘 has no evaluation dated on or before 2025-08-01; record one with `nalcoop intern evaluate`",
            exit_code=1)


@pytest.mark.parametrize(("student", "status"), [("윤슬", "accepted"), ("최다솜", "completed")])
def test_completing_a_student_who_is_not_placed_is_refused(intern, db_path, student, status):
    with untouched(db_path):
        result = intern("intern", "complete", student, "-c", SUMMER, "--date", "2025-08-01", ok=False)
    refused(result, f"a student who is {status} cannot be completed", exit_code=1)


# ------------------------------------------------------------------ certificates


@pytest.mark.parametrize(("student", "status"), [("김하늘", "placed"), ("박나래", "rejected")])
def test_a_certificate_for_a_student_not_completed_is_refused(intern, db_path, tmp_path, student, status):
    target = tmp_path / "certificate.html"
    with untouched(db_path):
        result = intern("intern", "certificate", student, "-c", SUMMER, "-o", str(target), ok=False)
    refused(result, f"a student who is {status} cannot get a certificate", exit_code=1)
    assert not target.exists()


def test_a_certificate_as_docx_is_a_usage_error_saying_which_formats(intern, db_path, tmp_path):
    target = tmp_path / "certificate.docx"
    with untouched(db_path):
        result = intern("intern", "certificate", "최다솜", "-c", SUMMER, "-o", str(target), ok=False)
    refused(result, "certificate.docx: a certificate is written as .pdf (one A4 page), .html (printed from a "
            "browser) or .xlsx", exit_code=2)
    assert not target.exists()


def test_a_certificate_into_a_missing_folder_is_refused_and_the_ledger_is_unchanged(intern, db_path, tmp_path):
    target = tmp_path / "no such folder" / "certificate.html"
    with untouched(db_path):
        result = intern("intern", "certificate", "최다솜", "-c", SUMMER, "-o", str(target), ok=False)
    refused(result, "no such folder", "does not exist", exit_code=2)


# ------------------------------------------------------------------ reveals of personal data

LISTINGS = [("list",), ("show", "#1"), ("due", "--as-of", "2025-07-20")]


@pytest.mark.parametrize(("command", "reason"), [(LISTINGS[0], []), (LISTINGS[1], ["--purpose", "  "]),
                                               (LISTINGS[2], [])], ids=["list", "show, blank --purpose", "due"])
def test_reveal_without_a_reason_is_refused_and_shows_nothing(intern, db_path, command, reason):
    with untouched(db_path):
        result = intern("intern", *command, "--reveal", *reason, ok=False)
    refused(result, "--reveal shows personal data: give --purpose (why it is needed), which is journaled")


def test_reveal_without_a_reason_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "list", "--reveal", ok=False)
    refused(result, "--purpose", exit_code=2)


def test_a_reason_without_reveal_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "show", "#1", "--purpose", "수료증 발송", ok=False)
    refused(result, "--purpose goes with --reveal", exit_code=2)


@pytest.mark.parametrize(("command", "output", "message"), [
    (("list",), ["-o", "{tmp}/no such folder/list.csv"], "does not exist"),
    (("show", "#1"), ["-f", "xlsx"], "xlsx is a file format"),
], ids=["list into a missing folder", "show as xlsx on the screen"])
def test_a_revealing_listing_refused_for_its_output_leaves_the_ledger_unchanged(intern, db_path, tmp_path, command,
                                                                                output, message):
    output = [part.replace("{tmp}", str(tmp_path)) for part in output]
    with untouched(db_path):
        result = intern("intern", *command, "--reveal", "--purpose", "수료증 발송", *output, ok=False)
    refused(result, message, exit_code=2)


def test_list_with_a_status_outside_the_choices_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "list", "--status", "on-hold", ok=False)
    assert_usage(result, "'on-hold' is not one of", "'applied'", "'dropped'")


# ------------------------------------------------------------------ purge


@pytest.mark.parametrize("period", ["abc", "3w"])
def test_a_retention_period_that_is_not_one_is_refused_quoting_it(intern, db_path, period):
    with untouched(db_path):
        result = intern("intern", "purge", "--older-than", period, ok=False)
    refused(result, f"--older-than '{period}' is not a period: write 3y (years), 18m (months) or 90d (days)")


def test_a_retention_period_that_is_not_one_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "purge", "--older-than", "3w", ok=False)
    refused(result, "'3w'", exit_code=2)


def test_a_purge_with_an_empty_retention_period_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "purge", "--older-than", "", ok=False, input="3y\n")
    refused(result, "missing option '--older-than' (retention period, such as 3y)", exit_code=2)


def test_a_dry_run_of_a_purge_writes_nothing(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "purge", "--older-than", "1y", "--dry-run")
    assert result.stderr.startswith("dry run, nothing written — would purge the personal data of 7 students")


def test_a_purge_in_a_script_without_yes_is_refused_naming_yes(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "purge", "--older-than", "1y", ok=False)  # stdin is no terminal here
    refused(result, "this would purge the personal data of 7 students", "--yes", exit_code=2)


def test_a_purge_at_a_terminal_asks_and_no_purges_nothing(intern, db_path, monkeypatch):
    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: True)
    with untouched(db_path):
        result = intern("intern", "purge", "--older-than", "1y", ok=False, input="n\n")
    assert result.exit_code == 1 and "(no undo)? [y/N]" in result.stderr and "nothing was done" in result.stderr
    done = intern("intern", "purge", "--older-than", "1y", input="y\n")
    assert "purged the personal data of 7 students" in done.stderr


@pytest.mark.slow
def test_purge_with_stdin_from_dev_null_refuses_and_names_yes(intern, db_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NALCOOP_DB": str(db_path), "NALCOOP_TODAY": os.environ.get("NALCOOP_TODAY", "2026-11-25")}
    with untouched(db_path):
        run = subprocess.run([sys.executable, "-m", "nalcoop", "intern", "purge", "--older-than", "1y"],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "--yes" in run.stderr


def test_undoing_a_purge_is_refused_saying_it_cannot_be_undone(intern, db_path, monkeypatch):
    monkeypatch.setenv("NALCOOP_DB", str(db_path))
    runner = CliRunner()
    assert runner.invoke(app, ["intern", "purge", "--older-than", "1y", "--yes"]).exit_code == 0
    with untouched(db_path):
        result = runner.invoke(app, ["undo"])
    refused(result, "(nalcoop intern purge --older-than 1y --yes) cannot be undone: the personal data it removed "
                    "is gone for good", exit_code=1)


def test_undoing_a_purge_typed_with_global_options_is_refused_saying_it_cannot_be_undone(intern, db_path):
    # journaled as `nalcoop --db ... --by 사서 intern purge ...`
    intern("--author", "사서", "intern", "purge", "--older-than", "1y", "--yes")
    with untouched(db_path):
        result = intern("--author", "사서", "undo", ok=False)  # undo without an ID is one's own latest command
    refused(result, "cannot be undone", "gone for good", exit_code=1)


# ------------------------------------------------------------------ cohorts


def test_a_cohort_ending_before_it_starts_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "cohort", "add", "2026-summer", "--from", "2026-08-01", "--to", "2026-07-01",
                        "--slots", "12", "--required-hours", "90", ok=False)
    refused(result, "the cohort ends on 2026-07-01, before it starts on 2026-08-01", exit_code=1)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--slots", "0", "--slots: 0 is not between 1 and 1,000"),
    ("--required-hours", "0", "--required-hours: 0 is not above 0 and up to 2,000"),
    ("--required-hours", "-5", "--required-hours: -5 is not above 0 and up to 2,000"),
], ids=["slots 0", "required hours 0", "required hours -5"])
def test_a_new_cohort_with_impossible_slots_or_hours_is_refused(intern, db_path, option, value, message):
    values = {"--slots": "12", "--required-hours": "90", option: value}
    with untouched(db_path):
        result = intern("intern", "cohort", "add", "2026-summer", "--from", "2026-07-06", "--to", "2026-07-31",
                        *(part for pair in values.items() for part in pair), ok=False)
    refused(result, message, exit_code=1)


@pytest.mark.parametrize(("option", "value"), [("--slots", "twelve")])
def test_slots_or_hours_that_are_not_numbers_are_a_usage_error(intern, db_path, option, value):
    values = {"--slots": "12", "--required-hours": "90", option: value}
    with untouched(db_path):
        result = intern("intern", "cohort", "add", "2026-summer", "--from", "2026-07-06", "--to", "2026-07-31",
                        *(part for pair in values.items() for part in pair), ok=False)
    assert_usage(result, f"Invalid value for '{option}'", f"'{value}'")


@pytest.mark.parametrize("name", [SUMMER, "2025 Summer"])
def test_a_cohort_added_twice_is_refused(intern, db_path, name):
    with untouched(db_path):
        result = intern("intern", "cohort", "add", name, "--from", "2026-07-06", "--to", "2026-07-31", "--slots", "12",
                        "--required-hours", "90", ok=False)
    refused(result, f"cohort {SUMMER} already exists; change it with `nalcoop intern cohort edit`", exit_code=1)


@pytest.mark.parametrize(("args", "message"), [
    (("  ", "--dept", PARLIAMENT), "a cohort needs a name, such as 2025-summer"),
    (("2026-summer", "--dept", " "), "a department needs a name, such as 의회정보실"),
], ids=["blank name", "blank department"])
def test_a_cohort_without_a_name_or_with_a_blank_department_is_refused(intern, db_path, args, message):
    with untouched(db_path):
        result = intern("intern", "cohort", "add", args[0], "--from", "2026-07-06", "--to", "2026-07-31", "--slots",
                        "12", "--required-hours", "90", *args[1:], ok=False)
    refused(result, message, exit_code=1)


@pytest.mark.parametrize(("missing", "message"), [
    ("--slots", "missing option '--slots' (number of slots)"),
])
def test_a_cohort_without_a_required_option_in_a_pipe_is_a_usage_error(intern, db_path, missing, message):
    values = {"--from": "2026-07-06", "--to": "2026-07-31", "--slots": "12", "--required-hours": "90"}
    del values[missing]
    with untouched(db_path):
        result = intern("intern", "cohort", "add", "2026-summer", *(part for pair in values.items() for part in pair),
                        ok=False, input="12\n")
    refused(result, message, exit_code=2)


@pytest.mark.parametrize(("args", "message"), [
    (("--slots", "3"), f"cohort {SUMMER} has 4 students accepted; it cannot have 3 slots"),
    (("--slots", "0"), "--slots: 0 is not between 1 and 1,000"),
    (("--required-hours", "0"), "--required-hours: 0 is not above 0 and up to 2,000"),
    (("--required-hours", "-1"), "--required-hours: -1 is not above 0 and up to 2,000"),
    (("--to", "2025-07-10"), f"cohort {SUMMER} has hours, a placement or a completion on 2025-08-01; it cannot end "
                             "on 2025-07-10"),
    (("--to", "2025-07-01"), "the cohort ends on 2025-07-01, before it starts on 2025-07-07"),
], ids=["slots below those taken", "slots 0", "required hours 0", "required hours negative",
        "ending before logged hours", "ending before it starts"])
def test_a_cohort_edit_that_would_break_what_is_recorded_is_refused(intern, db_path, args, message):
    with untouched(db_path):
        result = intern("intern", "cohort", "edit", SUMMER, *args, ok=False)
    refused(result, message, exit_code=1)


def test_raising_the_required_hours_above_a_completed_student_s_hours_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "cohort", "edit", SUMMER, "--required-hours", "100", ok=False)
    refused(result, "최*솜", "90", exit_code=1)


def test_ending_a_cohort_before_a_completion_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "cohort", "edit", SUMMER, "--to", "2025-07-20", ok=False)
    refused(result, "2025-08-01", exit_code=1)


def test_editing_an_unknown_cohort_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "cohort", "edit", "2024-fall", "--slots", "20", ok=False)
    refused(result, "no cohort is called '2024-fall' (`nalcoop intern cohort list` lists them)", exit_code=1)


# ------------------------------------------------------------------ applications

APPLICANT = ["-c", SUMMER, "--university", "한남대학교", "--date", "2025-06-05"]


@pytest.mark.parametrize("contact", [["--email", "sky@example.ac.kr"], ["--phone", "+82 10 4321 8765"]],
                         ids=["same e-mail", "same telephone written otherwise"])
def test_a_second_application_to_the_same_cohort_is_refused_with_the_name_masked(intern, db_path, contact):
    with untouched(db_path):
        result = intern("intern", "apply", *APPLICANT, "--name", "김하늘", *contact, ok=False)
    refused(result, f"김*늘 has already applied to cohort {SUMMER}", exit_code=1)


@pytest.mark.parametrize("phone", ["12345", "call me"])
def test_a_telephone_that_is_not_one_is_refused_without_echoing_it(intern, db_path, phone):
    with untouched(db_path):
        result = intern("intern", "apply", *APPLICANT, "--name", "홍길동", "--phone", phone, ok=False)
    refused(result, "not a valid telephone number (write it as 010-1234-5678)", exit_code=1,
            private=("홍길동", phone))


@pytest.mark.parametrize("email", ["hong@@example", "hong.example.ac.kr"])
def test_an_e_mail_that_is_not_one_is_refused_without_echoing_it(intern, db_path, email):
    with untouched(db_path):
        result = intern("intern", "apply", *APPLICANT, "--name", "홍길동", "--email", email, ok=False)
    refused(result, "not a valid e-mail address (write it as name@example.ac.kr)", exit_code=1,
            private=("홍길동", email))


@pytest.mark.parametrize("contact", [[], ["--email", "  "]], ids=["none", "blank e-mail"])
def test_an_applicant_with_neither_e_mail_nor_telephone_is_refused(intern, db_path, contact):
    with untouched(db_path):
        result = intern("intern", "apply", *APPLICANT, "--name", "홍길동", *contact, ok=False)
    refused(result, "give an e-mail address or a telephone number to reach the applicant", exit_code=1,
            private=("홍길동",))


@pytest.mark.parametrize("year", ["0", "9"])
def test_a_year_of_study_outside_1_to_6_is_refused(intern, db_path, year):
    with untouched(db_path):
        result = intern("intern", "apply", *APPLICANT, "--name", "홍길동", "--email", "hong@example.ac.kr",
                        "--study-year", year, ok=False)
    refused(result, f"year {year} is not a year of study (1 to 6)", exit_code=1, private=("hong@example.ac.kr",))


@pytest.mark.parametrize(("args", "message", "code"), [
    (("--name", "홍길동", "--university", " "), "an applicant needs a university, such as 한남대학교", 1),
    (("--name", "가" * 70, "--university", "한남대학교"), "the name is longer than 60 characters", 1),
], ids=["blank university", "a name of 70 characters"])
def test_an_applicant_without_a_name_or_university_is_refused(intern, db_path, args, message, code):
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--date", "2025-06-05", "--email", "hong@example.ac.kr", *args,
                        ok=False)
    refused(result, message, exit_code=code, private=("hong@example.ac.kr",))


def test_an_application_without_a_cohort_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "apply", "--name", "홍길동", "--university", "한남대학교", "--email",
                        "hong@example.ac.kr", ok=False)
    refused(result, "missing option '--cohort' (cohort, such as 2025-summer)", exit_code=2)


def test_an_application_dated_today_after_the_cohort_ended_is_refused(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--name", "홍길동", "--university", "한남대학교", "--email",
                        "hong@example.ac.kr", ok=False)  # no --date: today, 2026-11-25
    refused(result, f"cohort {SUMMER} ended on 2025-08-01; an application dated 2026-11-25 comes too late",
            "--date", exit_code=1,
            private=("홍길동", "hong@example.ac.kr"))


def test_an_applicant_import_with_one_applicant_s_name_is_a_usage_error(intern, db_path, tmp_path):
    path = _csv(tmp_path / "applicants.csv", [["성명", "대학", "이메일"],
                                              ["강민지", "한남대학교", "minji@example.ac.kr"]])
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--import", str(path), "--name", "홍길동", ok=False)
    refused(result, "give either --import FILE or one applicant (--name ...), not both", exit_code=2)


def test_a_sheet_without_an_applicant_file_is_a_usage_error(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "apply", *APPLICANT, "--name", "홍길동", "--email", "hong@example.ac.kr", "--sheet",
                        "신청자", ok=False)
    refused(result, "--sheet and --map are for --import FILE", exit_code=2)


# ------------------------------------------------------------------ a list of applicants

APPLICANTS_HEADER = ["성명", "대학", "전공", "학년", "이메일", "연락처", "신청일"]
GOOD_APPLICANTS = [["강민지", "한남대학교", "문헌정보학", "3", "minji@example.ac.kr", "", "2025-06-10"],
                   ["임채원", "중앙대학교", "문헌정보학", "2", "", "010-7777-8888", "2025-06-11"]]
NEW_CONTACTS = ("minji@example.ac.kr", "010-7777-8888")


@pytest.mark.parametrize(("suffix", "dry_run"), [(".csv", False), (".xlsx", True)], ids=["csv", "xlsx, dry run"])
def test_an_applicant_list_with_one_malformed_e_mail_among_valid_rows_writes_nothing(intern, db_path, tmp_path,
                                                                                     suffix, dry_run):
    rows = [APPLICANTS_HEADER, GOOD_APPLICANTS[0],
            ["송유진", "연세대학교", "문헌정보학", "4", "yujin(at)example.ac.kr", "010-3333-4444", "2025-06-10"],
            GOOD_APPLICANTS[1]]
    path = tmp_path / f"applicants{suffix}"
    where = f"applicants{suffix}"
    if suffix == ".csv":
        _csv(path, rows)
    else:
        _xlsx(path, rows, sheet="신청자")
        where += ", sheet 신청자"
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--import", str(path), *(["--dry-run"] if dry_run else []),
                        ok=False)
    stderr = refused(result, exit_code=1, lines=2, private=NEW_CONTACTS + ("010-3333-4444",))
    problem, summary = stderr.splitlines()
    assert problem == (f"{where}, row 3, column E (이메일): not a valid e-mail address (write it as "
                       "name@example.ac.kr)")
    assert summary == (f"Error: applicants{suffix}: 1 of 3 rows rejected; nothing was imported. Fix the rows listed "
                       "above and import again")
    assert _rows(db_path, "intern_applications") == 10


def test_an_applicant_list_with_a_bad_value_in_every_column_names_each_row(intern, db_path, tmp_path):
    path = _csv(tmp_path / "applicants.csv", [
        APPLICANTS_HEADER,
        ["강민지", "한남대학교", "문헌정보학", "9", "minji@example.ac.kr", "", "2025-06-10"],
        ["송유진", "연세대학교", "문헌정보학", "0", "yujin@example.ac.kr", "", "2025-06-10"],
        ["임채원", "중앙대학교", "문헌정보학", "2", "", "", "2025-06-11"],
        ["조은", "", "문헌정보학", "2", "eun@example.ac.kr", "", "2025-06-11"],
        ["배수", "서울대학교", "", "", "", "12345", "2025-06-11"],
        ["노을", "서울대학교", "", "", "noeul@example.ac.kr", "", "2025-08-11"],
        ["하람", "서울대학교", "", "", "haram@example.ac.kr", "", "2025-02-30"],
    ])
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--import", str(path), ok=False)
    stderr = refused(result, "applicants.csv: 7 of 7 rows rejected; nothing was imported", exit_code=1, lines=8)
    year9, year0, contact, university, phone, late, date, _summary = stderr.splitlines()
    assert year9 == ("applicants.csv, row 2, column D (학년): '9': year 9 is not a year of study (1 to 6)")
    assert year0.startswith("applicants.csv, row 3, column D (학년): '0'")
    assert contact == ("applicants.csv, row 4, column E (이메일): give an e-mail address or a telephone number to "
                       "reach the applicant")
    assert university == "applicants.csv, row 5, column B (대학): an applicant needs a university, such as 한남대학교"
    assert phone == "applicants.csv, row 6, column F (연락처): not a valid telephone number (write it as 010-1234-5678)"
    assert late.startswith("applicants.csv, row 7, column G (신청일): '2025-08-11': cohort 2025-summer ended on "
                           "2025-08-01")
    assert date == "applicants.csv, row 8, column G (신청일): '2025-02-30' is not a date: February 2025 has 28 days"
    for email in ("minji@example.ac.kr", "yujin@example.ac.kr", "eun@example.ac.kr", "noeul@example.ac.kr"):
        assert email not in stderr


def test_an_applicant_list_repeating_an_applicant_names_both_rows(intern, db_path, tmp_path):
    path = _csv(tmp_path / "applicants.csv", [APPLICANTS_HEADER, *GOOD_APPLICANTS,
                                              ["강민지", "한남대학교", "문헌정보학", "3", "minji@example.ac.kr", "",
                                               "2025-06-12"]])
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--import", str(path), ok=False)
    problem = refused(result, exit_code=1, lines=2, private=NEW_CONTACTS).splitlines()[0]
    assert problem.startswith("applicants.csv, row 4, column A (성명): ")
    assert problem.endswith("repeats row 2 (same applicant); keep one of the two rows")


def test_an_applicant_list_repeating_an_applicant_does_not_print_the_name_in_full(intern, db_path, tmp_path):
    path = _csv(tmp_path / "applicants.csv", [APPLICANTS_HEADER, *GOOD_APPLICANTS,
                                              ["강민지", "한남대학교", "문헌정보학", "3", "minji@example.ac.kr", "",
                                               "2025-06-12"]])
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--import", str(path), ok=False)
    refused(result, "row 4", exit_code=1, lines=2, private=("강민지",))


@pytest.mark.parametrize(("content", "message"), [
    ("성명,대학,이메일\r\n강민지,한남대학교,minji@example.ac.kr\r\n송\x00유진,연세대학교,yujin@example.ac.kr\r\n".encode(),
     "row 3: contains NUL bytes"),
    ("대학,이메일\r\n한남대학교,minji@example.ac.kr\r\n".encode(), "the header on row 1 has no column for 'name'"),
], ids=["NUL", "no name column"])
def test_an_applicant_file_that_cannot_be_read_is_refused_naming_it(intern, db_path, tmp_path, content, message):
    path = tmp_path / "applicants.csv"
    path.write_bytes(content)
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--import", str(path), ok=False)
    refused(result, "applicants.csv", message, exit_code=1, private=("minji@example.ac.kr", "yujin@example.ac.kr"))


def test_an_applicant_list_for_an_unknown_cohort_is_refused(intern, db_path, tmp_path):
    path = _csv(tmp_path / "applicants.csv", [APPLICANTS_HEADER, *GOOD_APPLICANTS])
    with untouched(db_path):
        result = intern("intern", "apply", "-c", "2024-fall", "--import", str(path), ok=False)
    refused(result, "no cohort is called '2024-fall'", exit_code=1, private=NEW_CONTACTS)


def test_a_dry_run_of_a_good_applicant_list_writes_nothing_and_masks_the_names(intern, db_path, tmp_path):
    path = _xlsx(tmp_path / "applicants.xlsx", [APPLICANTS_HEADER, *GOOD_APPLICANTS,
                                                ["김하늘", "한남대학교", "문헌정보학", "4", "sky@example.ac.kr", "",
                                                 "2025-06-01"]], sheet="신청자")
    with untouched(db_path):
        result = intern("intern", "apply", "-c", SUMMER, "--import", str(path), "--dry-run")
    assert result.stderr.splitlines()[-1] == "dry run, nothing written — would be: 2 created, 1 unchanged"
    assert "강*지 (한남대학교, 2025-summer, applied)" in result.stderr
    assert_private(result.stderr, "강민지", "임채원", *NEW_CONTACTS)


# ------------------------------------------------------------------ statistics


@pytest.mark.parametrize(("args", "message"), [
    (("--by", "color"), "--by: interns have no 'color'; they can be grouped by cohort, year, month, university or "
                       "department"),
    (("--from", "2025-12-01", "--to", "2025-01-01"), "--from 2025-12-01 is after --to 2025-01-01"),
], ids=["--by color", "--from after --to"])
def test_stats_interns_with_an_impossible_grouping_or_period_is_a_usage_error(intern, db_path, args, message):
    with untouched(db_path):
        result = intern("stats", "interns", *args, ok=False)
    refused(result, message, exit_code=2)


# ------------------------------------------------------------------ dates in a wrong form

DATE_OPTIONS = [  # (the command up to the date option, the option)
    (("intern", "cohort", "add", "2026-summer", "--slots", "12", "--required-hours", "90"), "--from"),
    (("intern", "cohort", "add", "2026-summer", "--from", "2026-07-06", "--slots", "12", "--required-hours", "90"),
     "--to"),
    (("intern", "cohort", "edit", SUMMER), "--to"),
    (("intern", "apply", "-c", SUMMER, "--name", "홍길동", "--university", "한남대학교",
      "--email", "hong@example.ac.kr"), "--date"),
    (("intern", "accept", "이가람", "-c", SUMMER), "--date"),
    (("intern", "reject", "이가람", "-c", SUMMER, "--note", "정원 초과"), "--date"),
    (("intern", "withdraw", "이가람", "-c", SUMMER), "--date"),
    (("intern", "drop", "김하늘", "-c", SUMMER, "--note", "중도 포기"), "--date"),
    (("intern", "place", "윤슬", "-c", SUMMER, "--dept", PARLIAMENT), "--from"),
    (("intern", "hours", "김하늘", "-c", SUMMER, "--hours", "8"), "--date"),
    (("intern", "evaluate", "김하늘", "-c", SUMMER, "--evaluator", "이사서", "--score", "4"), "--date"),
    (("intern", "complete", "김하늘", "-c", SUMMER), "--date"),
    (("intern", "due"), "--as-of"),
    (("stats", "interns"), "--from"),
    (("stats", "interns"), "--to"),
]


@pytest.mark.parametrize(("command", "option"), DATE_OPTIONS,
                         ids=[f"{' '.join(command[:3])} {option}" for command, option in DATE_OPTIONS])
def test_a_date_in_a_wrong_form_is_a_usage_error_on_every_date_option(intern, db_path, command, option):
    with untouched(db_path):
        result = intern(*command, option, "2025-13-45", ok=False)
    refused(result, f"{option}: '2025-13-45' is not a date: there is no month 13", exit_code=2,
            private=("홍길동", "hong@example.ac.kr"))


def test_a_date_in_words_is_a_usage_error_showing_the_forms_understood(intern, db_path):
    with untouched(db_path):
        result = intern("intern", "hours", "김하늘", "-c", SUMMER, "--date", "다음주 월요일", "--hours", "8", ok=False)
    refused(result, "--date: '다음주 월요일' is not a date; write it as 2020-02-29, 2020. 2. 29., 2020년 2월 29일 or "
                    "20200229", exit_code=2)


# ------------------------------------------------------------------ text that is not UTF-8, or holds NUL


@pytest.mark.parametrize("args", [
    ("intern", "apply", *APPLICANT, "--name", "김\x00하늘", "--email", "kim@example.ac.kr"),
    ("intern", "hours", "김하늘", "-c", SUMMER, "--date", "2025-07-15", "--hours", "8", "--note", "자료\x00정리"),
], ids=["name", "note"])
def test_text_holding_nul_is_refused(intern, db_path, args):
    with untouched(db_path):
        result = intern(*args, ok=False)
    refused(result, "holds an invisible NUL character", exit_code=2)


@pytest.mark.parametrize("args", [
    ("intern", "apply", *APPLICANT, "--name", "\udcb1\udce8\udcc7\udccf", "--email", "kim@example.ac.kr"),
    ("intern", "accept", "\udcb1\udce8\udcc7\udccf\udcb4\udcc3", "-c", SUMMER),
], ids=["apply --name", "accept"])
def test_text_that_is_not_utf8_is_a_usage_error_showing_the_bytes(intern, db_path, args):
    with untouched(db_path):
        result = intern(*args, ok=False)
    refused(result, "is not UTF-8 text; set the terminal or script to UTF-8 and type it again", "\\x", exit_code=2)

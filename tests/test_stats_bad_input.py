"""Bad input to `nalcoop stats` (the overview, and each activity's --by, --chart, --measure and --year) and
to `nalcoop report`: one line on stderr starting `Error: ` that says what was wrong, where and what to do;
exit 2 for a usage mistake, 1 for a refusal; no traceback; nothing written (no output file, no temporary
file, the ledger byte-for-byte unchanged).

The shared ledger (built once per module through `agreement import`): every metropolitan/provincial
council (17) and the first 92 district councils of 2019 signed on 2019-06-03, so on 2020-02-29 17
provincial and 92 basic councils had an agreement in force (90 basic today, 2026-11-25: two of them were
merged away by later registry changes)."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nalcoop.cli import app
from nalcoop.commands.common import period_of, year_value
from nalcoop.errors import UsageError
from nalcoop.ledger.store import Ledger
from nalcoop.overview import Period, to_date, year_period
from nalcoop.report import ReportError, check_sentence

from .clitools import ledger_made_by

ACTIVITIES = ("agreements", "donations", "distribution", "network", "interns")
OVERVIEW_AND_ACTIVITIES = [(), *((activity,) for activity in ACTIVITIES)]
IDS = ["overview", *ACTIVITIES]
SIGNED_ON = "2019-06-03"
SWAPPED = "92 metropolitan and provincial assemblies, and 17 district councils"
RIGHT = "17 metropolitan and provincial councils and 92 district councils"
ENV = {"NALCOOP_DB": None, "NALCOOP_TODAY": "2026-11-25", "NO_COLOR": "1"}


# ------------------------------------------------------------------ the ledger and helpers


@pytest.fixture(scope="module")
def _agreements_template(tmp_path_factory, _initialised_template) -> bytes:
    work = tmp_path_factory.mktemp("councils")
    ledger_file = work / "ledger.db"
    ledger_file.write_bytes(_initialised_template)
    runner = CliRunner(env={**ENV, "HOME": str(work / "home")})
    listed = runner.invoke(app, ["--db", str(ledger_file), "agreement", "councils", "--as-of", "2019-12-31",
                                 "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    councils = list(csv.DictReader(io.StringIO(listed.stdout.lstrip("\ufeff"))))
    provincial = [row for row in councils if row["level"] == "provincial"]
    basic = [row for row in councils if row["level"] == "basic"]
    assert (len(provincial), len(basic)) == (17, 226)
    signed = work / "signed.csv"
    with signed.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["의회명", "코드", "협약일"])
        writer.writerows([row["council"], row["code"], SIGNED_ON] for row in provincial + basic[:92])
    return ledger_made_by(tmp_path_factory.mktemp("agreements"), _initialised_template,
                          [("agreement", "import", str(signed))])


@pytest.fixture
def led(cli, db_path, _agreements_template):
    db_path.write_bytes(_agreements_template)
    return cli


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
            for path in sorted(folder.rglob("*"))}


@contextmanager
def untouched(folder: Path) -> Iterator[None]:
    """Nothing in `folder` (the ledger, any output, any temporary file) is created, changed or removed."""
    before = _snapshot(folder)
    yield
    assert _snapshot(folder) == before


@pytest.fixture
def bad(led, tmp_path):
    """Run a command expected to fail; nothing under tmp_path (ledger, outputs) may change."""
    def run(*args: str):
        with untouched(tmp_path):
            return led(*args, ok=False)
    return run


def refused(result, *needles: str, exit_code: int, lines: int = 1) -> str:
    """Exit `exit_code`, no traceback, nothing on stdout, `lines` lines on stderr, the last one `Error: ...`;
    every needle on stderr. Returns the Error line."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    stderr = result.stderr
    assert len(stderr.splitlines()) == lines, stderr
    last = stderr.splitlines()[-1]
    assert last.startswith("Error: "), stderr
    for needle in needles:
        assert needle in stderr, f"{needle!r} not in {stderr!r}"
    return last


def click_usage(result, *needles: str) -> str:
    """click's own usage error (an option the command does not have): exit 2, no traceback, the last
    stderr line `Error: ...` holding every needle."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Error: "), result.stderr
    for needle in needles:
        assert needle in last, f"{needle!r} not in {last!r}"
    return last


def no_traceback(result) -> None:
    """Success, or a one-line refusal: never a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code != 0:
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: "), result.stderr


def run_on(db: Path, *args: str):
    return CliRunner().invoke(app, ["--db", str(db), *args])


# ------------------------------------------------------------------ the issue's own list


@pytest.mark.parametrize("command", OVERVIEW_AND_ACTIVITIES, ids=IDS)
def test_a_year_with_a_letter_in_it_is_refused(bad, command):
    refused(bad("stats", *command, "--year", "20x4"),
            "--year: '20x4' is not a year; give four digits, such as 2024", exit_code=2)


def test_report_annual_of_a_year_with_a_letter_in_it_is_refused_and_writes_nothing(bad, tmp_path):
    refused(bad("report", "annual", "20x4", "-o", str(tmp_path / "r.xlsx")),
            "YEAR: '20x4' is not a year; give four digits, such as 2024", exit_code=2)


@pytest.mark.parametrize("command", OVERVIEW_AND_ACTIVITIES, ids=IDS)
def test_from_after_to_is_refused(bad, command):
    refused(bad("stats", *command, "--from", "2024-05-01", "--to", "2024-01-01"),
            "--from 2024-05-01 is after --to 2024-01-01", exit_code=2)


@pytest.mark.parametrize(("command", "message"), [
    (("agreements",), "--by: agreements have no 'country'; they can be grouped by level, year, month or province"),
    (("donations",), "--by: donations have no 'country'; they can be grouped by year, month, province, region, "
                     "type, reason or library"),
    (("network",), "--by: network events have no 'country'; they can be grouped by kind, year, month, type or org"),
    (("network", "--as-of", "2024-01-01"), "--by: members have no 'country'; they can be grouped by body, role "
                                           "or type"),
    (("interns",), "--by: interns have no 'country'; they can be grouped by cohort, year, month, university or "
                   "department"),
], ids=["agreements", "donations", "network", "network members", "interns"])
def test_by_country_for_an_activity_without_countries_lists_the_dimensions_it_has(bad, command, message):
    refused(bad("stats", *command, "--by", "country"), message, exit_code=2)


def test_by_country_is_accepted_where_there_are_countries(led):
    assert led("stats", "distribution", "--by", "country").stdout.startswith("by,group,")


@pytest.mark.parametrize("args", [
    ("stats",), ("stats", "--year", "2024"), ("stats", "agreements"), ("stats", "donations", "--by", "province"),
    ("stats", "network", "--as-of", "2024-01-01"), ("stats", "interns"),
], ids=["overview", "overview --year", "agreements", "donations", "network members", "interns"])
@pytest.mark.parametrize("name", ["out.csv", "out.xlsx", "out.txt"])
def test_output_into_a_folder_that_does_not_exist_is_refused(bad, tmp_path, args, name):
    out = tmp_path / "no such folder" / name
    refused(bad(*args, "-o", str(out)), f"-o {out}: the folder {out.parent} does not exist", exit_code=2)


@pytest.mark.parametrize("activity", ACTIVITIES)
def test_a_chart_into_a_folder_that_does_not_exist_is_refused(bad, tmp_path, activity):
    out = tmp_path / "no such folder" / "chart.txt"
    refused(bad("stats", activity, "--chart", "-o", str(out)),
            f"-o {out}: the folder {out.parent} does not exist", exit_code=2)


def test_report_annual_into_a_folder_that_does_not_exist_is_refused(bad, tmp_path):
    out = tmp_path / "no such folder" / "2024.xlsx"
    refused(bad("report", "annual", "2024", "-o", str(out)),
            f"-o {out}: the folder {out.parent} does not exist", exit_code=2)


# ------------------------------------------------------------------ years


@pytest.mark.parametrize("command", [(), ("agreements",), ("interns",)], ids=["overview", "agreements", "interns"])
@pytest.mark.parametrize("year", ["0", "10000", "-2024", "+2024", "", "2024.0", "MMXXIV"])
def test_a_year_out_of_range_or_not_a_number_is_refused_naming_it(bad, command, year):
    refused(bad("stats", *command, "--year", year), f"--year: '{year}' is not a year; give four digits", exit_code=2)


@pytest.mark.parametrize("command", [(), ("agreements",), ("donations",), ("interns",)],
                         ids=["overview", "agreements", "donations", "interns"])
@pytest.mark.parametrize("year", ["2024년", " 2024 ", "2024 년"])
def test_a_year_typed_with_nyeon_or_spaces_is_the_same_year(led, command, year):
    assert led("stats", *command, "--year", year).stdout == led("stats", *command, "--year", "2024").stdout


@pytest.mark.parametrize("args", [("stats", "--year", "24"), ("stats", "agreements", "--year", "24"),
                                  ("report", "annual", "24")], ids=["overview", "agreements", "report annual"])
def test_a_two_digit_year_is_refused(bad, tmp_path, args):
    extra = ("-o", str(tmp_path / "r.xlsx")) if args[0] == "report" else ()
    refused(bad(*args, *extra), "'24' is not a year; give four digits, such as 2024", exit_code=2)


@pytest.mark.parametrize("args", [
    ("stats", "--year", "1"), ("stats", "--year", "0001"), ("stats", "--as-of", "0001-01-01", "--compare"),
    ("stats", "--from", "0001-01-01", "--to", "0001-01-31", "--compare"),
], ids=["--year 1", "--year 0001", "--as-of --compare", "--from/--to --compare"])
def test_the_first_year_there_is_gives_no_traceback(led, args):
    no_traceback(led(*args, ok=False))


def test_report_annual_of_year_1_gives_no_traceback_and_no_file(led, tmp_path):
    out = tmp_path / "r.xlsx"
    result = led("report", "annual", "1", "-o", str(out), ok=False)
    no_traceback(result)
    assert result.exit_code == 0 or not out.exists()


# ------------------------------------------------------------------ --as-of, --from, --to


@pytest.mark.parametrize(("command", "message"), [
    ((), "give either --as-of or --year/--from/--to, not both"),
    (("agreements",), "give either --as-of or --year/--from/--to, not both"),
    (("donations",), "give either --as-of or --year/--from/--to, not both"),
    (("distribution",), "give either --as-of (who was on the lists) or --year/--from/--to (what was sent)"),
    (("network",), "give either --as-of (members on a day) or --year/--from/--to (what happened)"),
], ids=IDS[:5])
@pytest.mark.parametrize("period", [("--year", "2024"), ("--from", "2024-01-01"), ("--to", "2024-06-30")])
def test_as_of_with_a_period_is_refused(bad, command, message, period):
    refused(bad("stats", *command, "--as-of", "2024-03-01", *period), message, exit_code=2)


@pytest.mark.parametrize("command", [(), ("agreements",)], ids=["overview", "agreements"])
def test_year_with_from_or_to_is_refused(bad, command):
    refused(bad("stats", *command, "--year", "2024", "--to", "2024-06-30"),
            "give either --year or --from/--to, not both", exit_code=2)


@pytest.mark.parametrize(("value", "why"), [("2024-02-30", "February 2024 has 29 days"),
                                            ("2024-13-01", "there is no month 13"),
                                            ("2023-02-29", "February 2023 has 28 days")])
@pytest.mark.parametrize(("command", "option"), [
    ((), "--as-of"), ((), "--from"), ((), "--to"), (("agreements",), "--as-of"), (("agreements",), "--to"),
    (("donations",), "--as-of"), (("distribution",), "--as-of"), (("network",), "--as-of"), (("interns",), "--from"),
], ids=lambda value: " ".join(value) if isinstance(value, tuple) else value)
def test_an_impossible_date_is_refused_saying_why(bad, command, option, value, why):
    refused(bad("stats", *command, option, value), f"{option}: '{value}' is not a date: {why}", exit_code=2)


def test_an_impossible_date_for_report_sentence_is_refused(bad):
    refused(bad("report", "sentence", "--as-of", "2024-02-30"),
            "--as-of: '2024-02-30' is not a date: February 2024 has 29 days", exit_code=2)


@pytest.mark.parametrize("args", [
    ("stats", "--as-of", ""), ("stats", "agreements", "--as-of", ""), ("stats", "donations", "--as-of", ""),
    ("stats", "donations", "--from", ""), ("stats", "distribution", "--from", ""), ("stats", "network", "--to", ""),
    ("stats", "interns", "--from", ""), ("report", "sentence", "--as-of", ""),
], ids=lambda args: " ".join(a or "''" for a in args))
def test_an_empty_date_is_refused_naming_the_option(bad, args):
    refused(bad(*args), f"{args[-2]}: an empty value is not a date", exit_code=2)


@pytest.mark.parametrize("args", [
    ("--from", ""), ("--to", ""), ("--as-of", "", "--year", "2024"), ("agreements", "--from", ""),
    ("agreements", "--to", ""), ("distribution", "--as-of", ""), ("network", "--as-of", ""),
    ("network", "--as-of", "", "--year", "2024"),
], ids=lambda args: " ".join(a or "''" for a in args))
def test_an_empty_date_is_never_silently_ignored(bad, args):
    refused(bad("stats", *args), "empty", exit_code=2)


def test_the_message_for_an_empty_date_shows_how_to_write_one(bad):
    refused(bad("stats", "--as-of", ""), "--as-of", "2020-02-29", exit_code=2)


@pytest.mark.parametrize("command", OVERVIEW_AND_ACTIVITIES, ids=IDS)
def test_from_after_today_without_to_is_refused_saying_today(bad, command):
    line = refused(bad("stats", *command, "--from", "2026-12-01"), "2026-12-01", "today", exit_code=2)
    assert "--to 2026-11-25" not in line


# ------------------------------------------------------------------ --compare


def _rows(result) -> list[dict]:
    return json.loads(result.stdout)


def test_compare_with_as_of_is_allowed_and_compares_with_the_same_day_a_year_earlier(led):
    rows = _rows(led("stats", "--as-of", "2024-03-01", "--compare", "--format", "json"))
    in_force = next(row for row in rows if row["measure"] == "in force" and row["dimension"] == "all")
    assert (in_force["value"], in_force["previous"], in_force["compared_with"]) == (109, 109, "2023-03-01")
    signed = next(row for row in rows if row["measure"] == "signed" and row["dimension"] == "all")
    assert signed["compared_with"] == "2023-01-01 – 2023-03-01"


def test_compare_on_29_february_compares_with_28_february(led):
    rows = _rows(led("stats", "--as-of", "2024-02-29", "--compare", "--format", "json"))
    assert {row["compared_with"] for row in rows if row["as_of"]} == {"2023-02-28"}


def test_compare_alone_compares_this_year_to_date_with_a_year_earlier(led):
    rows = _rows(led("stats", "--compare", "--format", "json"))
    in_force = next(row for row in rows if row["measure"] == "in force" and row["dimension"] == "basic")
    assert (in_force["value"], in_force["previous"], in_force["compared_with"]) == (90, 92, "2025-11-25")


def test_no_compare_with_a_year_leaves_the_comparison_out(led):
    rows = _rows(led("stats", "--year", "2024", "--no-compare", "--format", "json"))
    assert rows and all("previous" not in row for row in rows)


# ------------------------------------------------------------------ options before an activity


@pytest.mark.parametrize(("option", "shown"), [
    (("--year", "2024"), "--year"), (("--from", "2024-01-01"), "--from"), (("--format", "csv"), "--format"),
    (("--as-of", "2024-01-01"), "--as-of"),
])
def test_an_overview_option_before_an_activity_is_refused_with_a_hint(bad, option, shown):
    refused(bad("stats", *option, "agreements"),
            f"{shown} before 'agreements' is an option of the overview (nalcoop stats {shown} …); an activity takes "
            "its own options after its name: see nalcoop stats agreements --help", exit_code=2)


def test_output_before_an_activity_is_refused_and_writes_nothing(bad, tmp_path):
    refused(bad("stats", "-o", str(tmp_path / "out.csv"), "donations"), "see nalcoop stats donations --help",
            exit_code=2)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("typed", ["--compare", "--no-compare"])
def test_compare_before_an_activity_does_not_suggest_an_option_it_lacks(bad, typed):
    line = refused(bad("stats", typed, "agreements"), typed, exit_code=2)
    assert "stats agreements --compare" not in line


def test_as_of_before_interns_suggests_only_what_interns_accepts(bad, led):
    line = refused(bad("stats", "--as-of", "2024-03-01", "interns"), "--as-of", exit_code=2)
    if "nalcoop stats interns --as-of" in line:
        assert led("stats", "interns", "--as-of", "2024-03-01", ok=False).exit_code == 0


@pytest.mark.parametrize("option", [("--chart",), ("--by", "year"), ("--measure", "books")])
def test_an_activity_option_on_the_overview_is_a_usage_error(bad, option):
    click_usage(bad("stats", *option), "No such option", option[0])


# ------------------------------------------------------------------ --chart and --measure


@pytest.mark.parametrize("activity", ACTIVITIES)
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_chart_with_a_file_format_is_refused(bad, activity, fmt):
    refused(bad("stats", activity, "--chart", "--format", fmt),
            f"--chart draws bars, not {fmt}; leave out --chart to get {fmt}", exit_code=2)


@pytest.mark.parametrize("name", ["chart.csv", "chart.xlsx", "chart.json"])
def test_chart_into_a_data_file_is_refused_and_writes_nothing(bad, tmp_path, name):
    out = tmp_path / name
    refused(bad("stats", "agreements", "--chart", "-o", str(out)),
            f"-o {out}: a chart is text; give a .txt file, or leave out --chart for a table", exit_code=2)


@pytest.mark.parametrize("activity", ACTIVITIES)
def test_measure_without_chart_is_refused(bad, activity, tmp_path):
    refused(bad("stats", activity, "--measure", "books", "-o", str(tmp_path / "out.csv")),
            "--measure chooses what --chart draws; add --chart", exit_code=2)


@pytest.mark.parametrize(("args", "figures"), [
    (("agreements",), "councils, in_force, coverage, requested, consultation"),
    (("agreements", "--by", "year"), "requested, consultations, signed, renewed, follow_ups, withdrawn, terminated"),
    (("donations",), "batches, books, sites"),
    (("interns",), "applicants, accepted, acceptance_rate, placed, completed, dropped, withdrawn, hours"),
], ids=["agreements in force", "agreement steps", "donations", "interns"])
@pytest.mark.parametrize("measure", ["bogus", "group", "Books"])
def test_an_unknown_measure_is_refused_listing_the_figures(bad, tmp_path, args, figures, measure):
    refused(bad("stats", *args, "--chart", "--measure", measure, "-o", str(tmp_path / "chart.txt")),
            f"--measure: '{measure}' is not a figure of this table; choose one of {figures}", exit_code=2)


def test_an_empty_measure_is_refused(bad):
    refused(bad("stats", "agreements", "--chart", "--measure", ""), "--measure", exit_code=2)


def test_a_chart_in_a_pipe_has_no_colour_and_the_value_at_each_bar_s_end(led, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    lines = led("stats", "agreements", "--chart").stdout.splitlines()
    assert "\x1b[" not in "".join(lines)
    # 16: 광주 and 전남 both signed, and the council that succeeded them counts once (the successor rule).
    assert lines[1].startswith("provincial") and lines[1].endswith(" 16")
    assert lines[2].startswith("basic") and lines[2].endswith(" 90")


# ------------------------------------------------------------------ --by, --format, -o


@pytest.mark.parametrize(("activity", "typed"), [
    ("agreements", "Year"), ("donations", "Year"), ("network", "KIND"), ("interns", " cohort")])
def test_by_in_any_case_or_with_a_space_is_read_as_the_name(led, activity, typed):
    rows = list(csv.DictReader(io.StringIO(led("stats", activity, "--by", typed, "--format", "csv").stdout)))
    assert rows[0].get("by", rows[0].get("dimension")) == "total"
    assert {row.get("by", row.get("dimension")) for row in rows[1:]} <= {typed.strip().casefold()}


def test_an_empty_by_is_refused_listing_the_names(bad):
    refused(bad("stats", "agreements", "--by", ""), "have no ''; they can be grouped by level, year, month or "
            "province", exit_code=2)


@pytest.mark.parametrize("command", [(), ("agreements",)], ids=["overview", "agreements"])
def test_xlsx_to_the_screen_is_refused(bad, command):
    refused(bad("stats", *command, "--format", "xlsx"), "xlsx is a file format: give -o FILE.xlsx", exit_code=2)


@pytest.mark.parametrize("command", [(), ("agreements",)], ids=["overview", "agreements"])
def test_an_output_file_whose_format_cannot_be_told_is_refused(bad, tmp_path, command):
    out = tmp_path / "out.yaml"
    refused(bad("stats", *command, "-o", str(out)), f"cannot tell the format of {out} from its extension",
            exit_code=2)


def test_an_output_that_is_a_folder_is_refused(bad, tmp_path):
    folder = tmp_path / "figures.csv"
    folder.mkdir()
    refused(bad("stats", "-o", str(folder)), f"-o {folder} is a directory; give a file name", exit_code=2)


@pytest.mark.parametrize("command", [(), ("agreements",)], ids=["overview", "agreements"])
@pytest.mark.parametrize("spelling", ["as given", "relative"])
def test_writing_over_the_ledger_itself_is_refused(bad, db_path, command, spelling):
    target = db_path if spelling == "as given" else Path(os.path.relpath(db_path))
    result = bad("stats", *command, "--format", "csv", "-o", str(target))
    refused(result, "ledger", exit_code=2)


# ------------------------------------------------------------------ report annual


def test_report_annual_without_output_is_refused_suggesting_a_file_name(bad):
    refused(bad("report", "annual", "2024"),
            "give the workbook to write: nalcoop report annual 2024 -o 2024-domestic-cooperation.xlsx", exit_code=2)


@pytest.mark.parametrize("name", ["2024.csv", "2024.xls", "2024", "2024.xlsx.txt"])
def test_report_annual_to_a_file_not_ending_in_xlsx_is_refused(bad, tmp_path, name):
    out = tmp_path / name
    refused(bad("report", "annual", "2024", "-o", str(out)),
            f"-o {out}: the annual report is an Excel workbook; give a file ending in .xlsx", exit_code=2)


def test_report_annual_to_a_folder_is_refused(bad, tmp_path):
    folder = tmp_path / "2024.xlsx"
    folder.mkdir()
    refused(bad("report", "annual", "2024", "-o", str(folder)), f"-o {folder} is a directory; give a file name",
            exit_code=2)


@pytest.mark.parametrize("year", ["0", "10000", "", "2024-01-01"])
def test_report_annual_of_no_year_is_refused(bad, tmp_path, year):
    refused(bad("report", "annual", year, "-o", str(tmp_path / "r.xlsx")),
            f"YEAR: '{year}' is not a year; give four digits", exit_code=2)


def test_report_annual_without_a_year_is_a_usage_error(bad):
    click_usage(bad("report", "annual"), "Missing argument")


def test_report_annual_of_two_years_says_one_year_at_a_time(bad, tmp_path):
    line = click_usage(bad("report", "annual", "2024", "2025", "-o", str(tmp_path / "r.xlsx")), "2025")
    assert "--org" not in line


# ------------------------------------------------------------------ report sentence


@pytest.mark.parametrize("lang", ["fr", "jp", ""])
def test_an_unknown_language_is_a_usage_error(bad, lang):
    refused(bad("report", "sentence", "--lang", lang), f"--lang: '{lang}' is not one of en, ko", exit_code=2)


@pytest.mark.parametrize("about", ["unknown", "interns", ""])
def test_an_unknown_topic_is_a_usage_error_naming_about(bad, about):
    refused(bad("report", "sentence", "--about", about), f"--about: '{about}'", "agreements", "donations",
            exit_code=2)


def test_check_with_another_topic_is_refused(bad):
    refused(bad("report", "sentence", "--about", "donations", "--check", RIGHT),
            "--check reads sentences about agreements only; leave out --about", exit_code=2)


@pytest.mark.parametrize("text", ["no numbers here", "", "1,000 books", "17 councils at the provincial level"])
def test_check_of_a_text_naming_no_council_numbers_is_refused(bad, text):
    refused(bad("report", "sentence", "--check", text),
            "the sentence names no number of metropolitan/provincial (광역) or district (기초) councils to check",
            exit_code=1)


@pytest.mark.parametrize("text", [SWAPPED, "광역의회 92곳, 기초의회 17곳"], ids=["English", "Korean"])
def test_check_of_swapped_numbers_names_the_ledger_s_numbers(bad, text):
    result = bad("report", "sentence", "--as-of", "2020-02-29", "--check", text)
    last = refused(result, "wrong: it says 92 metropolitan and provincial councils, but only 17 existed on "
                           "2020-02-29", exit_code=1, lines=2)
    assert last.startswith("Error: the two numbers are swapped: the ledger has 17 metropolitan and provincial and "
                           "92 district councils with an agreement in force on 2020-02-29. The ledger's sentence: ")
    assert last.endswith("As of February 2020, agreements have been concluded with 17 metropolitan and "
                         "provincial councils and 92 district councils." if text == SWAPPED else
                         "2020년 2월 현재 광역의회 17곳, 기초의회 92곳과 업무협약을 체결하였습니다.")  # in its language


def test_check_of_a_wrong_number_names_the_ledger_s(bad):
    refused(bad("report", "sentence", "--as-of", "2020-02-29", "--check", RIGHT.replace("92", "90")),
            "it says 90 district councils; the ledger has 92 with an agreement in force on 2020-02-29",
            exit_code=1)


@pytest.mark.parametrize("text", [RIGHT, "광역의회 17곳, 기초의회 92곳"], ids=["English", "Korean"])
def test_check_of_the_right_numbers_agrees(led, text):
    assert led("report", "sentence", "--as-of", "2020-02-29", "--check", text).stdout.startswith(
        "agrees with the ledger on 2020-02-29")


# ------------------------------------------------------------------ the ledger


@pytest.mark.parametrize("args", [("stats",), ("stats", "agreements"), ("report", "sentence"),
                                  ("report", "annual", "2024", "-o", "{out}")],
                         ids=["overview", "agreements", "report sentence", "report annual"])
def test_a_missing_ledger_is_refused_and_nothing_is_created(tmp_path, args):
    ledger_file = tmp_path / "elsewhere" / "ledger.db"
    out = tmp_path / "2024.xlsx"
    with untouched(tmp_path):
        result = run_on(ledger_file, *(arg.format(out=out) for arg in args))
    refused(result, f"no ledger at {ledger_file}; create one with `nalcoop init`", exit_code=1)


@pytest.mark.parametrize("content", [b"", b"activity,measure\n"], ids=["empty", "a CSV"])
def test_a_ledger_that_is_not_one_is_refused_and_left_alone(tmp_path, content):
    ledger_file = tmp_path / "ledger.db"
    ledger_file.write_bytes(content)
    with untouched(tmp_path):
        result = run_on(ledger_file, "stats", "--year", "2024")
    refused(result, str(ledger_file), exit_code=1)


def test_a_ledger_that_is_a_folder_is_refused(tmp_path):
    with untouched(tmp_path):
        result = run_on(tmp_path, "stats")
    refused(result, f"{tmp_path} is a directory, not a ledger file", exit_code=1)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes through any file mode")
def test_a_read_only_ledger_can_be_read_or_is_refused_in_one_line(led, db_path):
    db_path.chmod(0o444)
    db_path.parent.chmod(0o555)
    try:
        result = led("stats", "--year", "2024", ok=False)
    finally:
        db_path.parent.chmod(0o755)
        db_path.chmod(0o644)
    no_traceback(result)


# ------------------------------------------------------------------ where the output goes


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any folder mode")
def test_an_unwritable_output_folder_is_refused_in_one_line(led, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = led("stats", "-o", str(folder / "out.csv"), ok=False)
    finally:
        folder.chmod(0o755)
    refused(result, str(folder), exit_code=1)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("args", [("stats", "--year", "2024", "-o", "{folder}/out.csv"),
                                  ("stats", "agreements", "--chart", "-o", "{folder}/chart.txt"),
                                  ("report", "annual", "2024", "-o", "{folder}/2024.xlsx")],
                         ids=["overview", "chart", "report annual"])
def test_a_folder_that_refuses_writing_is_refused_in_one_line(bad, tmp_path, monkeypatch, args):
    folder = tmp_path / "locked"
    folder.mkdir()

    def denied(*_args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(kwargs.get("dir")))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    refused(bad(*(arg.format(folder=folder) for arg in args)), str(folder), exit_code=1)


def test_a_full_disk_during_report_annual_leaves_nothing_and_says_so(bad, tmp_path, monkeypatch):
    from openpyxl.workbook.workbook import Workbook

    def full(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "save", full)
    refused(bad("report", "annual", "2024", "-o", str(tmp_path / "2024.xlsx")), "No space left on device",
            exit_code=1)


@pytest.mark.parametrize(("args", "name", "start"), [
    (("stats", "--year", "2024"), "out.csv", b"\xef\xbb\xbfactivity,"),
    (("stats", "agreements", "--chart"), "chart.txt", b"agreements in force"),
    (("stats", "donations", "--by", "province"), "out.xlsx", b"PK"),
    (("report", "annual", "2024"), "2024.xlsx", b"PK"),
], ids=["overview csv", "chart", "activity xlsx", "report annual"])
def test_an_existing_output_is_replaced_whole_with_no_temporary_file_left(led, tmp_path, args, name, start):
    out = tmp_path / name
    out.write_bytes(b"the old contents " * 1000)
    before = sorted(path.name for path in tmp_path.iterdir())
    refused = led(*args, "-o", str(out), ok=False)  # in a script, replacing a file needs --yes
    assert refused.exit_code == 2 and "--yes" in refused.stderr and out.read_bytes().startswith(b"the old")
    led(*args, "-o", str(out), "--yes")
    assert out.read_bytes().startswith(start)
    assert b"the old contents" not in out.read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == before


@pytest.mark.parametrize("args", [("stats", "--year", "20x4", "-o", "{out}"),
                                  ("stats", "agreements", "--by", "country", "-o", "{out}"),
                                  ("stats", "agreements", "--chart", "--measure", "bogus", "-o", "{txt}"),
                                  ("report", "annual", "20x4", "-o", "{xlsx}")],
                         ids=["--year", "--by", "--measure", "report annual"])
def test_a_refused_command_leaves_an_existing_output_as_it_was(bad, tmp_path, args):
    for name in ("out.csv", "chart.txt", "r.xlsx"):
        (tmp_path / name).write_text("keep me\n", encoding="utf-8")
    bad(*(arg.format(out=tmp_path / "out.csv", txt=tmp_path / "chart.txt", xlsx=tmp_path / "r.xlsx")
          for arg in args))


# ------------------------------------------------------------------ the functions underneath


@pytest.mark.parametrize(("typed", "year"), [("2024", 2024), ("2024년", 2024), (" 2024 ", 2024), ("2024 년", 2024),
                                             (2024, 2024), ("9999", 9999), ("1000", 1000)])
def test_year_value_accepts_a_year(typed, year):
    assert year_value(typed) == year


@pytest.mark.parametrize("typed", ["20x4", "0", "1", "24", "0999", "10000", "", "년", "-1", "2024-01",
                                   "two thousand"])
def test_year_value_refuses_what_is_not_a_year_naming_the_option(typed):
    with pytest.raises(UsageError, match=f"^YEAR: '{typed}' is not a year; give four digits, such as 2024$"):
        year_value(typed, "YEAR")


def test_year_value_of_nothing_is_nothing():
    assert year_value(None) is None


def test_year_value_refuses_two_digits():
    with pytest.raises(UsageError):
        year_value("24")


def test_period_of_refuses_a_year_with_dates_and_a_period_running_backwards():
    with pytest.raises(UsageError, match="give either --year or --from/--to, not both"):
        period_of("2024", "2024-01-01", None)
    with pytest.raises(UsageError, match="--from 2024-03-01 is after --to 2024-02-29"):
        period_of(None, "2024-03-01", "2024-02-29")
    assert period_of(None, "2024-02-29", "2024-02-29") == ("2024-02-29", "2024-02-29")


@pytest.mark.parametrize(("period", "previous"), [
    (to_date("2024-02-29"), Period("2023-01-01", "2023-02-28", "to-date")),
    (to_date("2025-02-28"), Period("2024-01-01", "2024-02-28", "to-date")),
    (year_period(2024), Period("2023-01-01", "2023-12-31", "year")),
    (Period("2024-02-29", "2024-02-29", "span"), Period("2024-02-28", "2024-02-28", "span")),
    (Period("2024-02-01", "2024-02-29", "span"), Period("2024-01-01", "2024-01-31", "span")),
    (Period("2024-03-01", "2025-02-28", "span"), Period("2023-03-01", "2024-02-29", "span")),
], ids=["to-date 29 Feb", "to-date 28 Feb after a leap year", "year", "one day", "February 2024", "a year"])
def test_the_previous_period_of_a_leap_day(period, previous):
    assert period.previous() == previous


def test_a_span_of_other_days_is_compared_with_as_many_days_just_before():
    import datetime as dt

    for start, end in (("2024-02-02", "2024-02-29"), ("2024-01-01", "2024-12-30"), ("2023-12-31", "2024-03-01")):
        span, before = Period(start, end, "span"), Period(start, end, "span").previous()
        length = dt.date.fromisoformat(span.end) - dt.date.fromisoformat(span.start)
        assert dt.date.fromisoformat(before.end) - dt.date.fromisoformat(before.start) == length
        assert dt.date.fromisoformat(span.start) - dt.date.fromisoformat(before.end) == dt.timedelta(days=1)


@pytest.fixture
def conn(db_path, _agreements_template):
    db_path.write_bytes(_agreements_template)
    with closing(Ledger.open(db_path)) as ledger:
        yield ledger.conn


def test_check_sentence_names_the_swap_and_the_impossible_number(conn):
    problems = check_sentence(conn, SWAPPED, "2020-02-29")
    assert problems == [
        "it says 92 metropolitan and provincial councils, but only 17 existed on 2020-02-29",
        "the two numbers are swapped: the ledger has 17 metropolitan and provincial and 92 district councils with "
        "an agreement in force on 2020-02-29",
    ]


def test_check_sentence_of_the_right_numbers_finds_nothing(conn):
    assert check_sentence(conn, RIGHT, "2020-02-29") == []
    assert check_sentence(conn, "광역의회 17곳, 기초의회 92곳", "2020-02-29") == []


def test_check_sentence_before_the_signing_says_none_were_in_force(conn):
    assert check_sentence(conn, RIGHT, "2019-06-02") == [
        "it says 17 metropolitan and provincial councils; the ledger has 0 with an agreement in force on 2019-06-02",
        "it says 92 district councils; the ledger has 0 with an agreement in force on 2019-06-02",
    ]


@pytest.mark.parametrize("text", ["", "nothing to check", "2020 February"])
def test_check_sentence_without_council_numbers_raises(conn, text):
    with pytest.raises(ReportError, match="names no number"):
        check_sentence(conn, text, "2020-02-29")

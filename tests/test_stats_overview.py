"""Issue 8: the overview across the five activities (`nalcoop stats`), periods and comparison,
breakdowns and bar charts, the annual report workbook and the figure sentences."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nalcoop import agreements, distribution, donations, interns, network, overview, report
from nalcoop.cli import app
from nalcoop.ledger.migrations import SCHEMA_VERSION
from nalcoop.ledger.store import Ledger
from nalcoop.render import Column, chart, display_width

FIXTURE = Path(__file__).parent / "fixtures" / "ledger-v6.sql"  # every activity, made by nalcoop's own commands


@pytest.fixture(scope="module")
def _busy_template(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("busy") / "ledger.db"
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.close()
    Ledger.open(path).close()  # opened once by nalcoop: checked, nothing to upgrade
    return path.read_bytes()


@pytest.fixture
def busy(tmp_path, _busy_template) -> Path:
    path = tmp_path / "busy.db"
    path.write_bytes(_busy_template)
    return path


def run(db: Path, *args: str, ok: bool = True):
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def figures(rows) -> dict[tuple[str, str, str], object]:
    return {(row["activity"], row["measure"], row["dimension"]): row["value"] for row in rows}


def sign_many(path: Path, provincial: int, basic: int, on_date: str = "2019-06-01") -> None:
    """Agreements in force for the first `provincial` and `basic` councils (by id), signed on `on_date`."""
    ledger = Ledger.open(path)
    conn = ledger.conn
    chosen = []
    for level, count in (("provincial", provincial), ("basic", basic)):
        chosen += [row[0] for row in conn.execute(
            "select council_id from council_versions where level = ? and valid_from <= ? "
            "and (valid_to is null or valid_to > ?) order by council_id limit ?", [level, on_date, on_date, count])]
    with ledger.command("test: signings", "test"):
        conn.executemany("insert into agreement_events (council_id, cycle, step, on_date, status_after, mode) "
                         "values (?, 1, 'sign', ?, 'signed', 'in-person')", [(c, on_date) for c in chosen])
    ledger.close()


# ---------------------------------------------------------------- the overview


def test_the_overview_is_tidy_rows_for_all_five_activities(busy):
    rows = csv_rows(run(busy, "stats", "--as-of", "2025-12-31", "--format", "csv").stdout)
    assert list(rows[0]) == ["activity", "measure", "dimension", "value", "from", "to", "as of"]
    assert [a for a in dict.fromkeys(row["activity"] for row in rows)] == list(overview.ACTIVITIES)
    state = [row for row in rows if row["as of"]]
    assert {row["measure"] for row in state} == {"in force", "councils", "coverage %", "members"}
    assert all(row["as of"] == "2025-12-31" and not row["from"] for row in state)
    flows = [row for row in rows if not row["as of"]]
    assert all((row["from"], row["to"]) == ("2025-01-01", "2025-12-31") for row in flows)


def test_every_overview_figure_is_the_activitys_own_statistic(busy):
    ledger = Ledger.open(busy)
    conn = ledger.conn
    got = figures(overview.headline(conn, overview.year_period(2025)))
    by_level = {row["group"]: row for row in agreements.stats_as_of(conn, "2025-12-31")}
    assert got[("agreements", "in force", "all")] == by_level["all councils"]["in_force"] == 37
    assert got[("agreements", "in force", "provincial")] == by_level["provincial"]["in_force"]
    assert got[("agreements", "councils", "basic")] == 226
    assert got[("agreements", "coverage %", "all")] == by_level["all councils"]["coverage"]
    sent = distribution.stats_period(conn, "publication", "2025-01-01", "2025-12-31")
    assert got[("distribution", "copies", "all")] == sent[0]["copies"] == 13
    assert got[("distribution", "publications", "all")] == len(sent) - 1 == 1
    assert got[("network", "members", "klic")] == 6
    cohorts = interns.stats_period(conn, "cohort", "2025-01-01", "2025-12-31")
    assert got[("interns", "applicants", "all")] == cohorts[0]["applicants"] == 3
    assert got[("interns", "cohorts", "all")] == 1
    donated = donations.stats_period(conn, "year", "2024-01-01", "2024-12-31")[0]
    earlier = figures(overview.headline(conn, overview.year_period(2024)))
    assert earlier[("donations", "books", "all")] == donated["books"] == 7
    happened = network.stats_period(conn, "kind", "2024-01-01", "2024-12-31")[0]
    assert earlier[("network", "events", "all")] == happened["events"] == 3
    ledger.close()


def test_the_overview_as_of_a_day_is_this_year_up_to_that_day_inclusive(cli, db_path):
    cli("agreement", "request", "서울특별시의회", "--date", "2020-01-10")
    cli("agreement", "sign", "서울특별시의회", "--date", "2020-02-29", "--mode", "in-person")
    on_the_day = figures(csv_rows(cli("stats", "--as-of", "2020-02-29", "--format", "csv").stdout))
    day_before = figures(csv_rows(cli("stats", "--as-of", "2020-02-28", "--format", "csv").stdout))
    assert on_the_day[("agreements", "in force", "provincial")] == "1"
    assert on_the_day[("agreements", "signed", "all")] == "1"
    assert day_before[("agreements", "in force", "provincial")] == "0"
    rows = csv_rows(cli("stats", "--as-of", "2020. 2. 29.", "--format", "csv").stdout)
    assert {row["from"] for row in rows if row["from"]} == {"2020-01-01"}


def test_the_overview_defaults_to_today(cli):
    rows = csv_rows(cli("stats", "--format", "csv").stdout)
    assert {row["as of"] for row in rows if row["as of"]} == {"2026-11-25"}  # NALCOOP_TODAY in the tests


def test_a_year_is_compared_with_the_year_before_by_default(busy):
    rows = csv_rows(run(busy, "stats", "--year", "2025", "--format", "csv").stdout)
    assert {"previous", "change", "change %", "compared with"} <= set(rows[0])
    books = next(row for row in rows if row["measure"] == "books")
    assert (books["value"], books["previous"], books["change"], books["change %"]) == ("0", "7", "-7", "-100")
    assert books["compared with"] == "2024"
    in_force = next(row for row in rows if row["measure"] == "in force" and row["dimension"] == "all")
    assert in_force["compared with"] == "2024-12-31"
    copies = next(row for row in rows if row["measure"] == "copies")
    assert (copies["previous"], copies["change"], copies["change %"]) == ("0", "13", "")  # nothing to divide by
    plain = csv_rows(run(busy, "stats", "--year", "2025", "--no-compare", "--format", "csv").stdout)
    assert "previous" not in plain[0]


def test_a_percentage_changes_in_points_with_no_relative_change():
    rows = overview.compared(
        [{"activity": "agreements", "measure": "coverage %", "dimension": "all", "value": 15.2, "as_of": "x"}],
        [{"activity": "agreements", "measure": "coverage %", "dimension": "all", "value": 12.0}],
        overview.year_period(2023))
    assert (rows[0]["change"], rows[0]["change_pct"]) == (3.2, None)


def test_compare_takes_the_same_days_a_year_earlier_the_months_before_or_the_days_before(busy):
    assert overview.to_date("2024-02-29").previous() == overview.Period("2023-01-01", "2023-02-28", "to-date")
    month = overview.Period("2024-03-01", "2024-03-31", "span")
    assert month.previous() == overview.Period("2024-02-01", "2024-02-29", "span")  # whole months: the months before
    half = overview.Period("2024-01-01", "2024-06-30", "span")
    assert half.previous() == overview.Period("2023-07-01", "2023-12-31", "span")
    days = overview.Period("2024-03-05", "2024-03-14", "span")
    assert days.previous() == overview.Period("2024-02-24", "2024-03-04", "span")  # as many days just before
    rows = csv_rows(run(busy, "stats", "--as-of", "2025-06-30", "--compare", "--format", "csv").stdout)
    assert {row["compared with"] for row in rows if not row["as of"]} == {"2024-01-01 – 2024-06-30"}
    rows = csv_rows(run(busy, "stats", "--from", "2025-01-01", "--to", "2025-03-31", "--compare",
                        "--format", "csv").stdout)
    quarter_before = {"2024-10-01 – 2024-12-31"}
    assert {row["compared with"] for row in rows if not row["as of"]} == quarter_before


def test_the_overview_in_json_and_xlsx_keeps_numbers_as_numbers(busy, tmp_path):
    records = json.loads(run(busy, "stats", "--year", "2025", "--format", "json").stdout)
    first = records[0]
    assert set(first) == {"activity", "measure", "dimension", "value", "previous", "change", "change_pct", "from",
                          "to", "as_of", "compared_with"}
    assert isinstance(first["value"], int) and first["as_of"] == "2025-12-31"
    from openpyxl import load_workbook

    target = tmp_path / "overview.xlsx"
    run(busy, "stats", "--year", "2025", "-o", str(target))
    sheet = load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["activity", "measure", "dimension", "value"]
    assert isinstance(sheet.cell(row=2, column=4).value, int)


def test_the_overview_table_fits_100_columns_with_each_activity_once(busy):
    text = run(busy, "stats", "--year", "2025", "--format", "table").stdout
    lines = text.splitlines()
    assert max(display_width(line.rstrip()) for line in lines) <= 100
    assert "in force (end)" in text and "(end): at the end of 2025-12-31" in text
    for activity in overview.ACTIVITIES:
        assert sum(1 for line in lines if re.match(rf"│ {activity}\b", line)) == 1
    assert "\x1b[" not in text


# ---------------------------------------------------------------- breakdowns and charts


def test_agreements_by_year_month_and_province_count_the_steps(busy):
    rows = csv_rows(run(busy, "stats", "agreements", "--by", "year", "--to", "2025-12-31", "--format",
                        "csv").stdout)
    by_year = {row["group"]: row for row in rows}
    assert by_year["2021"]["signed"] == "1" and by_year["2021"]["from"] == "2021-01-01"
    assert int(by_year["all councils"]["signed"]) == sum(int(r["signed"]) for r in rows if r["dimension"] == "year")
    months = csv_rows(run(busy, "stats", "agreements", "--by", "month", "--year", "2021", "--format", "csv").stdout)
    assert [(r["group"], r["signed"], r["to"]) for r in months if r["group"] == "2021-05"] == \
        [("2021-05", "1", "2021-05-31")]
    ledger = Ledger.open(busy)
    provinces = agreements.stats_period(ledger.conn, "0001-01-01", "2025-12-31", by="province")
    ledger.close()
    assert sum(r["signed"] for r in provinces[1:]) == provinces[0]["signed"]
    assert "경기도" in {r["group"] for r in provinces}
    assert "강원특별자치도" in {r["group"] for r in provinces}  # named as it stood on the last day


def test_each_activity_can_be_grouped_by_month(busy):
    for activity, args, key in (("donations", ("--year", "2024"), "books"),
                                ("distribution", ("--year", "2025"), "copies"),
                                ("network", ("--year", "2024"), "attended"),
                                ("interns", ("--year", "2025"), "applicants")):
        rows = csv_rows(run(busy, "stats", activity, "--by", "month", *args, "--format", "csv").stdout)
        months = [row for row in rows if row["by"] == "month"]
        assert months and all(re.fullmatch(r"\d{4}-\d\d", row["group"]) for row in months), activity
        assert sum(float(row[key]) for row in months) == float(rows[0][key]), activity


def test_a_chart_draws_one_bar_per_group_scaled_with_the_value_at_its_end(busy):
    text = run(busy, "stats", "agreements", "--by", "year", "--to", "2025-12-31", "--chart").stdout
    lines = text.splitlines()
    assert lines[0].endswith(": signed")
    bars = {line.split()[0]: line for line in lines[1:]}
    assert "all" not in bars  # the total is not a bar
    assert bars["2019"].endswith(" 9") and bars["2021"].endswith(" 1")
    assert bars["2020"].rstrip().endswith("0")  # a year with none is drawn empty, not left out
    assert bars["2019"].count("█") > bars["2015"].count("█") > bars["2021"].count("█")
    assert max(display_width(line) for line in lines[1:]) <= 100
    assert "\x1b[" not in text


def test_chart_labels_in_hangul_line_up_their_bars():
    rows = [{"group": "서울특별시", "n": 10}, {"group": "경기도", "n": 5}, {"group": "Jeju", "n": 0}]
    out = io.StringIO()
    chart(rows, Column("group"), Column("n", kind="int"), stream=out)
    lines = out.getvalue().splitlines()
    starts = [display_width(line[:max(line.find("█"), 0) or len(line.rsplit(" ", 1)[0])]) for line in lines[:2]]
    assert starts[0] == starts[1] == display_width("서울특별시") + 1
    assert lines[0].endswith(" 10") and lines[1].endswith(" 5") and lines[2].endswith(" 0")
    assert abs(lines[0].count("█") - 2 * lines[1].count("█")) <= 1  # the half is an eighth-block


def test_a_chart_of_another_measure_and_of_provinces(busy):
    text = run(busy, "stats", "donations", "--by", "province", "--chart", "--measure", "sites").stdout
    assert text.splitlines()[0].endswith(": sites") and "전라남도" in text
    text = run(busy, "stats", "agreements", "--as-of", "2025-12-31", "--by", "province", "--chart").stdout
    assert "in force" in text.splitlines()[0] and "서울특별시" in text


def test_a_chart_by_month_runs_over_the_whole_period_asked(busy):
    text = run(busy, "stats", "agreements", "--by", "month", "--chart", "--from", "2021-01-01", "--to",
               "2021-12-31").stdout
    months = [line.split()[0] for line in text.splitlines()[1:]]
    assert months == [f"2021-{month:02}" for month in range(1, 13)]
    assert text.splitlines()[5].endswith(" 1")  # May: 가평군의회 signed by exchange of documents


def test_members_by_role_in_a_chart_name_their_body(busy):
    text = run(busy, "stats", "network", "--as-of", "2025-12-31", "--by", "role", "--chart").stdout
    assert "klic · member" in text


def test_a_chart_written_to_a_text_file(busy, tmp_path):
    target = tmp_path / "chart.txt"
    run(busy, "stats", "network", "--by", "year", "--chart", "-o", str(target))
    assert "2024" in target.read_text(encoding="utf-8") and "█" in target.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the annual report workbook


def _chart_cells(book, reference: str) -> list:
    """The values of the cells a chart's formula such as 'Agreements'!$D$6:$D$17 points at."""
    sheet_name, cells = reference.rsplit("!", 1)
    sheet = book[sheet_name.strip("'")]
    found = sheet[cells.replace("$", "")]
    return [row[0].value for row in found] if isinstance(found, tuple) else [found.value]  # one cell: no range


def _charts(book, name: str) -> list[tuple[list, list]]:
    """(categories, values) of each chart on a sheet, read back through the cells they reference."""
    found = []
    for drawn in book[name]._charts:
        series = drawn.series[0]
        categories = series.cat.strRef.f if series.cat.strRef is not None else series.cat.numRef.f
        found.append((_chart_cells(book, categories), _chart_cells(book, series.val.numRef.f)))
    return found


def test_the_annual_report_workbook(busy, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "2024-domestic-cooperation.xlsx"
    result = run(busy, "report", "annual", "2024", "-o", str(target))
    assert "wrote the 2024 annual report" in result.stderr
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Agreements", "In force", "Donations", "Distribution", "Network",
                               "Interns", "Sources"]
    for sheet in book:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # one table a sheet: its header (row 4) is the one frozen and printed on every page
        assert sheet.freeze_panes == "A5" and sheet.print_title_rows == "$4:$4"
        assert sheet.cell(row=6 if sheet.max_row >= 6 else 4, column=1).value is not None
        assert sheet.column_dimensions["A"].width >= 7  # sized to the text, never the default 8.43 unset
    summary = book["Summary"]
    header = [cell.value for cell in summary[4]]
    assert header[:7] == ["activity", "measure", "dimension", "value", "previous", "change", "change %"]
    rows = {(r[0], r[1], r[2]): r for r in summary.iter_rows(min_row=5, values_only=True) if r[0]}
    books = rows[("donations", "books", "all")]
    assert books[3:6] == (7, 0, 7) and isinstance(books[3], int)
    assert rows[("agreements", "in force", "all")][9].date().isoformat() == "2024-12-31"  # a real date cell
    history = {r[1]: r for r in book["Agreements"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert history["2019"][4] == 9 and history["all councils"][4] >= 38
    assert history["2020"][4] == 0 and history["2024"][4] == 0  # the years without a step are there, as zeros
    [(years, signed)] = _charts(book, "Agreements")
    assert years[0] == "2013" and years[-1] == "2024" and "all councils" not in years  # the total is no bar
    assert signed[years.index("2019")] == 9 and signed[years.index("2020")] == 0
    [(provinces, books_sent)] = _charts(book, "Donations")
    assert provinces == ["전라남도"] and books_sent == [7]
    [(kinds, attended)] = _charts(book, "Network")
    assert "total" not in kinds and sum(attended) == 3
    [(in_force_provinces, in_force)] = _charts(book, "In force")
    assert "서울특별시" in in_force_provinces and "all councils" not in in_force_provinces
    donation_rows = [r for r in book["Donations"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert {r[0] for r in donation_rows} == {"total", "province", "type"}
    sources = {r[0]: r[1] for r in book["Sources"].iter_rows(min_row=5, values_only=True)}
    assert sources["ledger"] == str(busy.resolve()) and sources["command"].startswith("nalcoop --db")
    assert "report annual 2024" in sources["command"] and sources["schema version"] == str(SCHEMA_VERSION)


def test_a_report_of_this_year_runs_to_today_and_a_year_to_come_is_refused(busy, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "now.xlsx"
    run(busy, "report", "annual", "2026", "-o", str(target))  # NALCOOP_TODAY is 2026-11-25
    summary = load_workbook(target)["Summary"]
    assert "2026-01-01 – 2026-11-25 beside 2025-01-01 – 2025-11-25" in summary["A3"].value
    refused = run(busy, "report", "annual", "2027", "-o", str(tmp_path / "later.xlsx"), ok=False)
    assert refused.exit_code == 1 and "2027 has not begun (today is 2026-11-25)" in refused.stderr
    assert not (tmp_path / "later.xlsx").exists()
    rows = csv_rows(run(busy, "stats", "--year", "2026", "--format", "csv").stdout)
    assert {row["to"] for row in rows if row["to"]} == {"2026-11-25"}
    assert {row["compared with"] for row in rows if not row["as of"]} == {"2025-01-01 – 2025-11-25"}


def test_the_annual_report_refuses_a_file_that_is_not_xlsx_and_writes_nothing(busy, tmp_path):
    result = run(busy, "report", "annual", "2024", "-o", str(tmp_path / "r.csv"), ok=False)
    assert result.exit_code == 2 and "give a file ending in .xlsx" in result.stderr
    assert list(tmp_path.glob("r*")) == []


# ---------------------------------------------------------------- figure sentences


def test_the_sentence_as_the_web_page_should_have_said_it(db_path):
    sign_many(db_path, 17, 92)
    result = run(db_path, "report", "sentence", "--as-of", "2020-02-29")
    assert result.stdout.strip() == ("As of February 2020, agreements have been concluded with 17 metropolitan and "
                                     "provincial councils and 92 district councils.")
    korean = run(db_path, "report", "sentence", "--as-of", "2020-02-29", "--lang", "ko").stdout.strip()
    assert korean == "2020년 2월 현재 광역의회 17곳, 기초의회 92곳과 업무협약을 체결하였습니다."
    mid_month = run(db_path, "report", "sentence", "--as-of", "2020-02-15").stdout
    assert mid_month.startswith("As of 15 February 2020,")
    before = run(db_path, "report", "sentence", "--as-of", "2019-05-31").stdout.strip()
    assert before == "As of May 2019, no agreements have been concluded with local councils."


def test_the_swapped_sentence_is_refused_on_the_registrys_word(db_path):
    sign_many(db_path, 17, 92)
    result = run(db_path, "report", "sentence", "--as-of", "2020-02-29", "--check",
                 "92 metropolitan and provincial assemblies, and 17 district councils (as of February 2020)", ok=False)
    assert result.exit_code == 1
    assert "it says 92 metropolitan and provincial councils, but only 17 existed on 2020-02-29" in result.stderr
    assert "the two numbers are swapped" in result.stderr
    assert "Traceback" not in result.output
    for korean in ("광역의회 17곳, 기초의회 92곳과 업무협약", "17개 광역의회와 92개 기초의회",
                   "시·도의회 17곳, 시·군·구의회 92곳"):
        fine = run(db_path, "report", "sentence", "--as-of", "2020-02-29", "--check", korean)
        assert fine.stdout.startswith("agrees with the ledger on 2020-02-29: 2020년 2월 현재 광역의회 17곳")
    wrong = run(db_path, "report", "sentence", "--as-of", "2020-02-29", "--check", "92개 광역의회와 17개 기초의회",
                ok=False)
    assert "the two numbers are swapped" in wrong.stderr and "기초의회 92곳" in wrong.stderr


def test_the_sentence_counts_by_the_level_the_registry_gives_each_council(db_path):
    sign_many(db_path, 3, 5)
    ledger = Ledger.open(db_path)
    assert report.agreement_figures(ledger.conn, "2020-02-29") == {
        "provincial": {"in_force": 3, "councils": 17}, "basic": {"in_force": 5, "councils": 226}}
    assert report.check_sentence(ledger.conn, "3 metropolitan and provincial councils and 5 district councils",
                                 "2020-02-29") == []
    assert report.check_sentence(ledger.conn, "3 metropolitan and provincial councils and 6 district councils",
                                 "2020-02-29") == ["it says 6 district councils; the ledger has 5 with an agreement "
                                                   "in force on 2020-02-29"]
    ledger.close()


def test_the_donations_sentence(busy):
    text = run(busy, "report", "sentence", "--about", "donations", "--as-of", "2025-12-31").stdout.strip()
    assert text == ("Since 2024, 7 books have been donated to 1 library in culturally underserved areas "
                    "(as of December 2025).")
    korean = run(busy, "report", "sentence", "--about", "donations", "--as-of", "2025-12-31", "--lang", "ko")
    assert korean.stdout.strip() == ("2024년부터 2025년 12월까지 정보·문화 소외지역 도서관 1곳에 도서 7권을 "
                                     "기증하였습니다.")


def test_the_overview_table_reads_in_korean_by_its_measures_and_groups(busy):
    """Issue 17: on screen the overview marks state figures in the run's language, not "in force (end)"."""
    text = run(busy, "--lang", "ko", "stats", "--year", "2025", "--format", "table").stdout
    assert "협약 기관 수 (기준일)" in text and "광역의회" in text and "2025년 국내협력" in text
    assert "in force" not in text and "provincial" not in text
    english = run(busy, "--lang", "en", "stats", "--year", "2025", "--format", "table").stdout
    assert "in force (end)" in english and "Domestic Cooperation in 2025" in english

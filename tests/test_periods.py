"""Periods on every listing (issue 23): agreement list --year, donate list --from/--to, distribute list and
network list --as-of, intern list --year/--from/--to/--as-of; through the CLI and at function level, each with
a record on the boundary day (--as-of D and --to D are inclusive)."""

from __future__ import annotations

import pytest

from nalcoop import agreements, distribution, donations, interns, network
from nalcoop.ledger.store import Ledger

from .clitools import ledger_made_by

MONTHLY = "월간 국회도서관"
LOC = "Library of Congress"
SUMMER = "2025-summer"
SET_UP = [
    # agreements: one requested on the last day of 2024, one on the first day of 2025
    ("agreement", "request", "종로구", "--date", "2024-12-31"),
    ("agreement", "request", "중랑구", "--date", "2025-01-01"),
    # donations: one batch opened on 2024-05-31, another on 2024-06-01
    ("donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "신안군"),
    ("donate", "library", "add", "별빛작은도서관", "--type", "small", "--region", "완도군"),
    ("donate", "add", "--library", "해바라기작은도서관", "--title", "새 책", "--copies", "2", "--outside-stock",
     "--date", "2024-05-31"),
    ("donate", "add", "--library", "별빛작은도서관", "--title", "새 책", "--copies", "3", "--outside-stock",
     "--date", "2024-06-01"),
    # distribution: sent on 2024-05-20, came back on 2024-05-25
    ("distribute", "publication", "add", MONTHLY, "--frequency", "monthly"),
    ("distribute", "issue", "add", MONTHLY, "2024-05", "--date", "2024-05-15"),
    ("distribute", "recipient", "add", LOC, "--country", "US", "--type", "national-library"),
    ("distribute", "subscribe", LOC, MONTHLY, "--copies", "2", "--from", "2024-01-01"),
    ("distribute", "send", MONTHLY, "--issue", "2024-05", "--date", "2024-05-20"),
    ("distribute", "return", LOC, MONTHLY, "--issue", "2024-05", "--reason", "undeliverable", "--date", "2024-05-25"),
    # network: a meeting on 2024-03-14
    ("network", "event", "add", "2024 제1차 정기회의", "--type", "meeting", "--from", "2024-03-14", "--body", "klic"),
    # interns: a cohort beginning 2025-07-07; applied 2025-06-01, accepted 2025-06-20
    ("intern", "cohort", "add", SUMMER, "--from", "2025-07-07", "--to", "2025-08-01", "--slots", "3",
     "--required-hours", "90"),
    ("intern", "apply", "--cohort", SUMMER, "--name", "김하늘", "--university", "한남대학교", "--email",
     "sky@example.ac.kr", "--date", "2025-06-01"),
    ("intern", "accept", "김하늘", "--cohort", SUMMER, "--date", "2025-06-20"),
]


@pytest.fixture(scope="module")
def _template(tmp_path_factory, _initialised_template) -> bytes:
    return ledger_made_by(tmp_path_factory.mktemp("periods"), _initialised_template, SET_UP)


@pytest.fixture
def made(cli, db_path, _template):
    db_path.write_bytes(_template)
    return cli


@pytest.fixture
def conn(made, db_path):
    opened = Ledger.open(db_path)
    yield opened.conn
    opened.close()


def _rows(cli, *args):
    import csv
    import io

    return list(csv.DictReader(io.StringIO(cli(*args, "--format", "csv").stdout)))


# ------------------------------------------------------------------ agreement list --year


@pytest.mark.parametrize(("period", "councils"), [
    (["--year", "2024"], ["종로구의회"]),
    (["--year", "2025"], ["중랑구의회"]),
    (["--from", "2024-01-01", "--to", "2024-12-31"], ["종로구의회"]),
])
def test_agreement_list_takes_a_year_with_its_last_day_inclusive(made, period, councils):
    assert [row["council"] for row in _rows(made, "agreement", "list", *period)] == councils


def test_agreement_status_rows_take_the_period_as_arguments(conn):
    rows = agreements.status_rows(conn, "2025-06-30", date_from="2024-01-01", date_to="2024-12-31")
    assert [row["council"] for row in rows] == ["종로구의회"]


# ------------------------------------------------------------------ donate list --from/--to


@pytest.mark.parametrize(("period", "libraries"), [
    (["--from", "2024-05-01", "--to", "2024-05-31"], ["해바라기작은도서관"]),
    (["--from", "2024-05-31"], ["해바라기작은도서관", "별빛작은도서관"]),
    (["--from", "2024-06-01"], ["별빛작은도서관"]),
    (["--year", "2024"], ["해바라기작은도서관", "별빛작은도서관"]),
    (["--year", "2023"], []),
])
def test_donate_list_takes_from_and_to_with_both_ends_inclusive(made, period, libraries):
    assert [row["library"] for row in _rows(made, "donate", "list", *period)] == libraries


def test_donation_batch_rows_take_the_period_as_arguments(conn):
    rows = donations.batch_rows(conn, "2024-12-31", date_from="2024-06-01", date_to="2024-06-01")
    assert [row["library"] for row in rows] == ["별빛작은도서관"]


# ------------------------------------------------------------------ distribute list --as-of


@pytest.mark.parametrize(("day", "lines", "returned"), [
    ("2024-05-19", 0, None), ("2024-05-20", 1, ""), ("2024-05-24", 1, ""), ("2024-05-25", 1, "2"),
])
def test_distribute_list_as_of_a_day_shows_runs_and_returns_recorded_by_its_end(made, day, lines, returned):
    rows = _rows(made, "distribute", "list", "--as-of", day)
    assert len(rows) == lines
    if lines:
        assert rows[0]["returned"] == returned


def test_distribute_list_refuses_as_of_with_a_period(made):
    result = made("distribute", "list", "--as-of", "2024-05-25", "--year", "2024", ok=False)
    assert "give either --as-of or --year/--from/--to, not both" in result.stderr


def test_dispatch_line_rows_take_the_day_as_an_argument(conn):
    assert [row["returned"] for row in distribution.line_rows(conn, as_of="2024-05-24")] == [None]
    assert [row["returned"] for row in distribution.line_rows(conn, as_of="2024-05-25")] == [2]
    assert distribution.line_rows(conn, as_of="2024-05-19") == []


# ------------------------------------------------------------------ network list --as-of


@pytest.mark.parametrize(("day", "events"), [("2024-03-13", []), ("2024-03-14", ["2024 제1차 정기회의"])])
def test_network_list_as_of_a_day_counts_an_event_on_that_day(made, day, events):
    assert [row["title"] for row in _rows(made, "network", "list", "--as-of", day)] == events


def test_network_event_rows_take_the_period_as_arguments(conn):
    assert [row["title"] for row in network.event_rows(conn, date_to="2024-03-14")] == ["2024 제1차 정기회의"]
    assert network.event_rows(conn, date_to="2024-03-13") == []


# ------------------------------------------------------------------ intern list --as-of, --year, --from/--to


@pytest.mark.parametrize(("day", "statuses"), [
    ("2025-05-31", []), ("2025-06-01", ["applied"]), ("2025-06-19", ["applied"]), ("2025-06-20", ["accepted"]),
])
def test_intern_list_as_of_a_day_shows_each_application_as_it_stood_at_its_end(made, day, statuses):
    assert [row["status"] for row in _rows(made, "intern", "list", "--as-of", day)] == statuses


@pytest.mark.parametrize(("period", "count"), [
    (["--year", "2025"], 1), (["--year", "2024"], 0), (["--from", "2025-07-07", "--to", "2025-07-07"], 1),
    (["--to", "2025-07-06"], 0),
])
def test_intern_list_keeps_the_cohorts_that_began_in_the_period(made, period, count):
    assert len(_rows(made, "intern", "list", *period)) == count


def test_intern_list_with_a_status_as_of_a_day_filters_on_the_status_then(made):
    assert len(_rows(made, "intern", "list", "--status", "applied", "--as-of", "2025-06-19")) == 1
    assert _rows(made, "intern", "list", "--status", "applied", "--as-of", "2025-06-20") == []


def test_application_rows_take_the_day_and_the_period_as_arguments(conn):
    assert [row["status"] for row in interns.application_rows(conn, as_of="2025-06-19")] == ["applied"]
    assert [row["status"] for row in interns.application_rows(conn)] == ["accepted"]
    assert interns.application_rows(conn, date_from="2025-07-08") == []


def test_stats_interns_takes_as_of(made):
    rows = _rows(made, "stats", "interns", "--as-of", "2025-07-07")
    assert rows and rows[0]

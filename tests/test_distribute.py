"""Distribution of publications (issue 5): catalogue, recipients, standing lists, dispatch runs,
returns and the address review, labels, listings, statistics, undo and invariants."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nalcoop import countries, distribution
from nalcoop.distribution import DistributionError
from nalcoop.identifiers import IdentifierError, normalize_issn

from .conftest import Cli, file_hash
from .test_donations import _csv, _xlsx

MONTHLY = "월간 국회도서관"
LOC = "Library of Congress"
NDL = "国立国会図書館"
PNU = "부산대학교 도서관"


def _rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture
def sender(cli):
    """A monthly with issues 2024-01 … 2024-06, three recipients (KR, JP, US) subscribed from 2024-01-01."""
    cli("distribute", "publication", "add", MONTHLY, "--frequency", "monthly", "--issn", "1228-4734",
        "--series", "정기간행물", "--english", "National Assembly Library Review")
    for month in range(1, 7):
        cli("distribute", "issue", "add", MONTHLY, f"2024-{month:02}", "--date", f"2024-{month:02}-10",
            "--pages", "120", "--printed", "3000")
    cli("distribute", "recipient", "add", LOC, "--country", "USA", "--type", "national-library",
        "--address", "101 Independence Ave SE, Washington, DC", "--postcode", "20540")
    cli("distribute", "recipient", "add", NDL, "--country", "일본", "--type", "parliamentary-library",
        "--postcode", "100-8924", "--address", "1-10-1 Nagatacho, Chiyoda-ku, Tokyo")
    cli("distribute", "recipient", "add", PNU, "--country", "한국", "--type", "university", "--region", "부산 금정구",
        "--postcode", "46241", "--address", "부산광역시 금정구 부산대학로63번길 2")
    cli("distribute", "subscribe", LOC, MONTHLY, "--copies", "2", "--from", "2024-01-01")
    cli("distribute", "subscribe", NDL, MONTHLY, "--from", "2024-01-01")
    cli("distribute", "subscribe", PNU, MONTHLY, "--copies", "3", "--from", "2024-01-01")
    return cli


def _send(cli, month: int, day: int = 20):
    return cli("distribute", "send", MONTHLY, "--issue", f"2024-{month:02}", "--date", f"2024-{month:02}-{day:02}")


# ------------------------------------------------------------------ catalogue


def test_a_publication_is_catalogued_with_its_validated_issn_and_issues(sender):
    [row] = _rows(sender("distribute", "publication", "list", "--format", "csv"))
    assert (row["title"], row["ISSN"], row["frequency"], row["issues"], row["latest issue"]) == \
        (MONTHLY, "1228-4734", "monthly", "6", "2024-06")
    issues = _rows(sender("distribute", "issue", "list", "월간"))
    assert [r["issue"] for r in issues] == [f"2024-{m:02}" for m in range(1, 7)]
    assert issues[0]["pages"] == "120" and issues[0]["copies printed"] == "3000"


def test_an_issn_is_normalised_and_its_check_digit_verified():
    assert normalize_issn("12284734") == normalize_issn("ISSN 1228-4734") == "1228-4734"
    with pytest.raises(IdentifierError, match="the check digit should be 4, not 5"):
        normalize_issn("1228-4735")


@pytest.mark.parametrize("written", ["2024-5", "2024.05", "2024. 5", " 2024-05 "])
def test_an_issue_of_year_and_month_is_found_however_it_is_written(sender, ledger, written):
    publication = distribution.resolve_publication(ledger.conn, "『월간 국회도서관』")
    assert distribution.find_issue(ledger.conn, publication, written).issue == "2024-05"


def test_a_publication_is_found_by_title_english_title_issn_or_part(ledger, sender):
    for text in (MONTHLY, "월간국회도서관", "National Assembly Library Review", "1228-4734", "월간"):
        assert distribution.resolve_publication(ledger.conn, text).title == MONTHLY


# ------------------------------------------------------------------ recipients and countries


@pytest.mark.parametrize(("written", "code"), [
    ("US", "US"), ("usa", "US"), ("United States of America", "US"), ("미국", "US"), ("JP", "JP"),
    ("Japan", "JP"), ("일본", "JP"), ("the Netherlands", "NL"), ("네덜란드", "NL"), ("Korea", "KR"),
    ("대한민국", "KR"), ("UK", "GB"), ("영국", "GB"), ("DEU", "DE"), ("Türkiye", "TR"), ("Viet Nam", "VN"),
    ("홍콩", "HK"), ("마카오", "MO"),
])
def test_a_country_is_stored_as_its_iso_code_from_a_code_or_an_english_or_korean_name(written, code):
    assert countries.country(written).code == code


def test_an_unknown_country_is_refused_with_the_nearest_names():
    with pytest.raises(countries.CountryError, match=r"'Japn' is not a country nalcoop knows; did you mean Japan"):
        countries.country("Japn")


def test_recipients_are_listed_domestic_first_with_country_region_and_status(sender):
    rows = _rows(sender("distribute", "recipient", "list", "--format", "csv"))
    assert [(r["recipient"], r["country"]) for r in rows] == [(PNU, "KR"), (NDL, "JP"), (LOC, "US")]
    assert rows[0]["region"] == "부산광역시 금정구" and rows[0]["province"] == "부산광역시"
    assert rows[2]["country name"] == "United States" and rows[2]["subscriptions"] == "1"
    assert [r["recipient"] for r in _rows(sender("distribute", "recipient", "list", "--foreign"))] == [NDL, LOC]
    assert [r["recipient"] for r in _rows(sender("distribute", "recipient", "list", "--country", "Japan"))] == [NDL]


def test_two_recipients_of_one_name_in_two_countries_are_told_apart_by_country(sender, ledger):
    sender("distribute", "recipient", "add", "National Library", "--country", "NZ", "--type", "national-library")
    sender("distribute", "recipient", "add", "National Library", "--country", "SG", "--type", "national-library")
    with pytest.raises(DistributionError, match=r"matches 2 recipients: National Library \(NZ\); National Library"):
        distribution.resolve_recipient(ledger.conn, "National Library")
    assert distribution.resolve_recipient(ledger.conn, "National Library (SG)").country == "SG"


def test_a_recipient_list_imports_all_or_nothing_and_again_without_change(cli, db_path, tmp_path):
    header = ["연번", "기관명", "국가", "유형", "지역", "주소", "우편번호", "연락처"]
    rows = [[1, LOC, "미국", "국립도서관", "", "Washington, DC", "20540", "exchange@loc.gov"],
            [2, NDL, "Japan", "의회도서관", "", "Tokyo", "100-8924", ""],
            [3, PNU, "", "대학", "부산 금정구", "부산대학로63번길 2", "46241", ""],
            [4, "경기도의회 도서실", "KR", "정부기관", "경기도", "수원시", "16508", ""]]
    path = _xlsx(tmp_path / "recipients.xlsx", [header, *rows])
    result = cli("distribute", "recipient", "import", str(path))
    assert "4 created, 0 changed, 0 unchanged" in result.stderr
    assert "columns not imported: 연번" in result.stderr
    listed = {r["recipient"]: r for r in _rows(cli("distribute", "recipient", "list"))}
    assert listed[PNU]["country"] == "KR" and listed[PNU]["region"] == "부산광역시 금정구"
    assert listed[NDL]["type"] == "parliamentary-library" and listed[NDL]["postcode"] == "100-8924"
    assert listed["경기도의회 도서실"]["postcode"] == "16508"  # a code stays text: no lost leading zero
    digest = file_hash(db_path)
    assert "0 created, 0 changed, 4 unchanged" in cli("distribute", "recipient", "import", str(path)).stderr
    assert file_hash(db_path) == digest
    rows[0][5] = "101 Independence Ave SE, Washington, DC"
    changed = cli("distribute", "recipient", "import", str(_xlsx(tmp_path / "r2.xlsx", [header, *rows])))
    assert "0 created, 1 changed, 3 unchanged" in changed.stderr and "(address)" in changed.stderr


def test_a_recipient_list_with_a_repeated_and_a_malformed_row_names_both_and_writes_nothing(cli, db_path, tmp_path):
    path = _csv(tmp_path / "recipients.csv", [["name", "country", "type"], [LOC, "US", "national library"],
                                              ["Biblioteca", "Narnia", "other"], ["library of congress", "USA", ""]],
                encoding="cp949")
    digest = file_hash(db_path)
    result = cli("distribute", "recipient", "import", str(path), ok=False)
    assert "recipients.csv, row 3, column B (country): 'Narnia' is not a country nalcoop knows" in result.stderr
    assert "recipients.csv, row 4, column A (name): 'library of congress': repeats row 2" in result.stderr
    assert "2 of 3 rows rejected; nothing was imported" in result.stderr
    assert file_hash(db_path) == digest


def test_the_sample_recipients_workbook_imports_with_its_title_row_and_country_names(cli):
    sample = Path(__file__).resolve().parent.parent / "examples" / "recipients-sample.xlsx"
    result = cli("distribute", "recipient", "import", str(sample))
    assert "sheet 발송처: header on row 3" in result.stderr and "12 created" in result.stderr
    listed = {r["recipient"]: r for r in _rows(cli("distribute", "recipient", "list"))}
    assert listed["British Library"]["country"] == "GB" and listed["부산대학교 도서관"]["country"] == "KR"
    assert listed["Harvard-Yenching Library"]["postcode"] == "02138"
    assert listed["UN Dag Hammarskjöld Library"]["type"] == "international-organization"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_recipient_list_export_imports_back_into_another_ledger_unchanged(sender, tmp_path, fmt, monkeypatch, lang):
    exported = tmp_path / f"recipients.{fmt}"
    monkeypatch.setenv("NALCOOP_LANG", lang)  # the export in either language
    sender("distribute", "recipient", "list", "-o", str(exported))
    monkeypatch.setenv("NALCOOP_LANG", "en")  # imports back whatever the language
    fresh = Cli(tmp_path / "fresh.db")
    fresh("init")
    assert "3 created" in fresh("distribute", "recipient", "import", str(exported)).stderr
    columns = ["recipient", "country", "type", "region", "province", "postcode", "address", "contact"]
    listing = ["distribute", "recipient", "list", "--format", "csv"]

    def keep(rows):
        return [{key: row[key] for key in columns} for row in rows]

    assert keep(_rows(fresh(*listing))) == keep(_rows(sender(*listing)))


# ------------------------------------------------------------------ standing lists


def test_a_subscription_runs_from_its_first_to_its_last_day_inclusive(sender):
    sender("distribute", "unsubscribe", LOC, MONTHLY, "--date", "2024-03-31", "--note", "asked to stop")
    on_last_day = _rows(sender("distribute", "subscriptions", "--as-of", "2024-03-31"))
    day_after = _rows(sender("distribute", "subscriptions", "--as-of", "2024-04-01"))
    assert LOC in [r["recipient"] for r in on_last_day] and LOC not in [r["recipient"] for r in day_after]
    every = _rows(sender("distribute", "subscriptions", "--all", "--recipient", LOC))
    assert [(r["from"], r["to"], r["end reason"]) for r in every] == [("2024-01-01", "2024-03-31", "asked to stop")]
    sender("distribute", "subscribe", LOC, MONTHLY, "--copies", "5", "--from", "2024-04-01")  # new copies, no overlap
    assert _rows(sender("distribute", "subscriptions", "--as-of", "2024-04-01", "-r", LOC))[0]["copies"] == "5"


@pytest.mark.parametrize(("start", "end"), [("2024-03-01", None), ("2023-01-01", "2024-01-01"),
                                            ("2023-01-01", None)])
def test_overlapping_subscriptions_of_one_pair_are_refused(sender, ledger, start, end):
    recipient = distribution.resolve_recipient(ledger.conn, LOC)
    publication = distribution.resolve_publication(ledger.conn, MONTHLY)
    with pytest.raises(DistributionError, match="already receives 『월간 국회도서관』 from 2024-01-01, still open"):
        distribution.subscribe(ledger.conn, recipient, publication, 1, start, end)


def test_the_ledger_itself_refuses_overlapping_subscriptions(sender, ledger):
    with pytest.raises(sqlite3.IntegrityError, match="may not overlap"), ledger.command("test", "test"):
        ledger.conn.execute("insert into distribution_subscriptions (recipient_id, publication_id, copies, "
                            "start_on) select recipient_id, publication_id, 1, '2025-01-01' "
                            "from distribution_subscriptions limit 1")


# ------------------------------------------------------------------ dispatch runs


def test_send_writes_one_line_per_running_subscription_with_its_copies_in_one_journal_entry(sender, db_path):
    result = _send(sender, 5)
    assert "sent 『월간 국회도서관』 2024-05 on 2024-05-20: 6 copies to 3 recipients" in result.stderr
    lines = _rows(sender("distribute", "list", "--issue", "2024-05"))
    assert sorted((r["recipient"], r["copies"]) for r in lines) == sorted([(LOC, "2"), (PNU, "3"), (NDL, "1")])
    with sqlite3.connect(db_path) as conn:
        changes = conn.execute("select tbl, count(*) from journal_changes where command_id = "
                               "(select max(id) from journal_commands) group by tbl").fetchall()
    assert changes == [("distribution_dispatches", 1)]


def test_a_dry_run_lists_who_would_get_what_and_writes_nothing(sender, db_path):
    digest = file_hash(db_path)
    result = sender("distribute", "send", MONTHLY, "--issue", "2024-05", "--date", "2024-05-20", "--dry-run",
                    "--format", "csv")  # asked for as data: the plan on stdout
    assert sorted((r["recipient"], r["copies"]) for r in _rows(result)) == sorted([(LOC, "2"), (PNU, "3"), (NDL, "1")])
    assert "dry run, nothing written — would send" in result.stderr
    told = sender("distribute", "send", MONTHLY, "--issue", "2024-05", "--date", "2024-05-20", "--dry-run")
    assert told.stdout == ""  # not asked for as data: the plan is messages, on stderr
    assert f"  {PNU} (" in told.stderr and "): 3" in told.stderr and "would send" in told.stderr
    assert file_hash(db_path) == digest


def test_only_subscriptions_running_on_the_day_and_active_recipients_get_the_issue(sender):
    sender("distribute", "unsubscribe", NDL, MONTHLY, "--date", "2024-05-19")
    sender("distribute", "recipient", "deactivate", PNU, "--date", "2024-05-01", "--note", "closed")
    result = _send(sender, 5)
    assert [r["recipient"] for r in _rows(sender("distribute", "list", "--issue", "2024-05"))] == [LOC]
    assert "2 copies to 1 recipient" in result.stderr


def test_deactivating_a_recipient_ends_its_subscriptions_the_day_before(sender):
    said = sender("distribute", "recipient", "deactivate", PNU, "--date", "2024-05-01", "--note", "closed")
    assert "inactive from 2024-05-01; ended its subscriptions to 『월간 국회도서관』" in said.stderr
    [row] = _rows(sender("distribute", "subscriptions", "--all", "--recipient", PNU))
    assert (row["to"], row["end reason"]) == ("2024-04-30", "recipient inactive: closed")
    listed = {r["recipient"]: r for r in _rows(sender("distribute", "recipient", "list", "--as-of", "2024-05-01"))}
    assert listed[PNU]["status"] == "inactive"
    before = {r["recipient"]: r for r in _rows(sender("distribute", "recipient", "list", "--as-of", "2024-04-30"))}
    assert before[PNU]["status"] == "active"


def test_the_same_issue_is_never_sent_twice_and_a_second_run_reaches_only_new_subscribers(sender):
    _send(sender, 5)
    again = sender("distribute", "send", MONTHLY, "--issue", "2024-05", "--date", "2024-05-21", ok=False)
    assert "was already sent to every subscriber running on 2024-05-21 (3, first on 2024-05-20)" in again.stderr
    sender("distribute", "recipient", "add", "British Library", "--country", "GB", "--type", "national-library")
    sender("distribute", "subscribe", "British Library", MONTHLY, "--from", "2024-05-21")
    second = _send(sender, 5, 22)
    assert "left out 3 that already had this issue (sent 2024-05-20)" in second.stderr
    assert "1 copy to 1 recipient" in second.stderr
    assert len(_rows(sender("distribute", "list", "--issue", "2024-05"))) == 4


def test_the_ledger_itself_refuses_one_issue_twice_to_one_recipient(sender, ledger):
    _send(sender, 5)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), ledger.command("test", "test"):
        ledger.conn.execute("insert into distribution_dispatches (issue_id, on_date, line_count, copies, lines) "
                            "select issue_id, on_date, line_count, copies, lines from distribution_dispatches")


def test_a_dispatch_run_is_undone_whole_and_redone(sender, db_path):
    before = _distribution_state(db_path)
    _send(sender, 5)
    after = _distribution_state(db_path)
    assert len(after["distribution_dispatch_lines"]) == 3
    sender("undo")
    assert _distribution_state(db_path) == before
    sender("redo")
    assert _distribution_state(db_path) == after


# ------------------------------------------------------------------ returns and the address review


def test_a_return_is_recorded_against_the_line_and_listed(sender):
    _send(sender, 5)
    sender("distribute", "return", LOC, MONTHLY, "--issue", "2024-05", "--reason", "damaged", "--copies", "1",
           "--date", "2024-06-03", "--note", "wet")
    [line] = _rows(sender("distribute", "list", "--returned"))
    assert (line["recipient"], line["copies"], line["returned"], line["return reason"], line["returned on"]) == \
        (LOC, "2", "1", "damaged", "2024-06-03")
    assert len(_rows(sender("distribute", "list", "--not-returned"))) == 2


def test_three_undeliverable_returns_in_a_row_put_the_address_under_review_and_hold_it_back(sender):
    for month in (1, 2, 3, 4):
        _send(sender, month)
    for month in (1, 2):
        said = sender("distribute", "return", NDL, MONTHLY, "--issue", f"2024-{month:02}", "--reason",
                      "undeliverable", "--date", "2024-05-02")
        assert "under review" not in said.stderr
    assert _rows(sender("distribute", "recipient", "review")) == []
    said = sender("distribute", "return", NDL, MONTHLY, "--issue", "2024-03", "--reason", "undeliverable",
                  "--date", "2024-05-02")
    assert "3 copies in a row came back undeliverable; its address is under review" in said.stderr
    [review] = _rows(sender("distribute", "recipient", "review"))
    assert (review["recipient"], review["undeliverable in a row"]) == (NDL, "3")
    held = _send(sender, 5)
    assert f"held back 1 whose address is under review: {NDL} (JP)" in held.stderr
    sender("distribute", "recipient", "edit", NDL, "--address", "1-10-1 Nagatacho, Tokyo 100-8924",
           "--date", "2024-05-25")
    assert _rows(sender("distribute", "recipient", "review")) == []
    assert "1 copy to 1 recipient" in _send(sender, 5, 26).stderr  # the held-back copy goes now


def test_a_copy_that_got_through_breaks_the_streak(ledger, sender):
    for month in (1, 2, 3, 4):
        _send(sender, month)
    for month, reason in ((1, "undeliverable"), (2, None), (3, "undeliverable"), (4, "undeliverable")):
        if reason:
            sender("distribute", "return", NDL, MONTHLY, "--issue", f"2024-{month:02}", "--reason", reason,
                   "--date", "2024-05-02")
    recipient = distribution.resolve_recipient(ledger.conn, NDL)
    assert distribution.undeliverable_streak(ledger.conn, recipient.id) == 2
    assert distribution.under_review(ledger.conn) == {}


# ------------------------------------------------------------------ labels


def test_labels_are_one_row_per_parcel_domestic_first_then_by_country_and_postcode(sender):
    sender("distribute", "recipient", "add", "Bibliothèque nationale", "--country", "France",
           "--type", "national-library", "--postcode", "75013")
    sender("distribute", "subscribe", "Bibliothèque nationale", MONTHLY, "--from", "2024-01-01", "--copies", "4")
    _send(sender, 5)
    rows = _rows(sender("distribute", "labels", MONTHLY, "--issue", "2024-05"))
    assert [(r["parcel"], r["group"], r["country"], r["recipient"], r["copies"]) for r in rows] == [
        ("1", "domestic", "KR", PNU, "3"), ("2", "foreign", "FR", "Bibliothèque nationale", "4"),
        ("3", "foreign", "JP", NDL, "1"), ("4", "foreign", "US", LOC, "2")]
    assert rows[3]["country name"] == "UNITED STATES" and rows[0]["country name"] == "대한민국"


def test_labels_split_by_country_as_sheets_or_files(sender, tmp_path):
    _send(sender, 5)
    workbook = tmp_path / "labels.xlsx"
    sender("distribute", "labels", MONTHLY, "--issue", "2024-05", "-o", str(workbook), "--split-by-country")
    book = load_workbook(workbook)
    assert book.sheetnames == ["KR", "JP", "US"]
    assert [cell.value for cell in book["JP"][2]][5] == NDL
    sender("distribute", "labels", MONTHLY, "--issue", "2024-05", "-o", str(tmp_path / "labels.csv"),
           "--split-by-country")
    japan = (tmp_path / "labels-JP.csv").read_text(encoding="utf-8-sig")
    assert NDL in japan and LOC not in japan
    assert sorted(p.name for p in tmp_path.glob("labels-*.csv")) == ["labels-JP.csv", "labels-KR.csv",
                                                                     "labels-US.csv"]


# ------------------------------------------------------------------ statistics


def _stats(cli, *args) -> list[tuple]:
    return [(r["by"], r["group"], r.get("copies", r.get("copies per issue")), r.get("recipients"))
            for r in _rows(cli("stats", "distribution", *args))]


def test_stats_over_a_year_count_runs_parcels_copies_recipients_and_the_returns_rate(sender):
    for month in (1, 2, 3):
        _send(sender, month)
    sender("distribute", "return", LOC, MONTHLY, "--issue", "2024-01", "--reason", "undeliverable",
           "--date", "2024-02-01")
    rows = _rows(sender("stats", "distribution", "--year", "2024", "--by", "country"))
    total = rows[0]
    assert (total["group"], total["runs"], total["parcels"], total["copies"], total["recipients"],
            total["returned"], total["returns %"]) == ("total", "3", "9", "18", "3", "2", "11.1")
    assert [r["group"] for r in rows[1:]] == ["KR South Korea", "JP Japan", "US United States"]
    assert rows[3]["returns %"] == "33.3"
    assert _stats(sender, "--year", "2023") == [("total", "total", "0", "0")]


def test_stats_by_province_type_publication_year_and_domestic(sender):
    _send(sender, 1)
    assert _stats(sender, "--year", "2024", "--by", "province")[1:] == [
        ("province", "부산광역시", "3", "1"), ("province", "(abroad)", "3", "2")]
    assert [g for _, g, _, _ in _stats(sender, "--by", "type")[1:]] == [
        "national-library", "parliamentary-library", "university"]
    assert _stats(sender, "--by", "publication")[1:] == [("publication", MONTHLY, "6", "3")]
    assert _stats(sender, "--by", "year")[1:] == [("year", "2024", "6", "3")]
    assert _stats(sender, "--by", "domestic")[1:] == [("domestic", "domestic", "3", "1"),
                                                      ("domestic", "foreign", "3", "2")]


def test_stats_as_of_a_day_count_who_was_on_the_lists_inclusive(sender):
    sender("distribute", "unsubscribe", LOC, MONTHLY, "--date", "2024-03-31")
    assert _stats(sender, "--as-of", "2024-03-31")[0] == ("total", "total", "6", "3")
    assert _stats(sender, "--as-of", "2024-04-01")[0] == ("total", "total", "4", "2")
    assert _stats(sender, "--as-of", "2023-12-31")[0] == ("total", "total", "0", "0")


def test_stats_functions_refuse_an_unknown_grouping(ledger):
    with pytest.raises(DistributionError, match="cannot group by 'color'"):
        distribution.stats_period(ledger.conn, "color", "2024-01-01", "2024-12-31")


# ------------------------------------------------------------------ journal and invariants


def _distribution_state(db_path: Path) -> dict:
    conn = sqlite3.connect(db_path)
    tables = [name for (name,) in conn.execute(
        "select name from sqlite_master where type = 'table' and name like 'distribution%' order by name")]
    state = {table: conn.execute(f"select * from {table} order by 1, 2").fetchall() for table in tables}
    conn.close()
    return state


UNDOABLE = {
    "publication add": [], "publication edit": [], "issue add": [], "recipient add": [], "recipient edit": [],
    "recipient deactivate": [], "subscribe": [], "unsubscribe": [], "send": [],
    "return": [["distribute", "send", MONTHLY, "--issue", "2024-01", "--date", "2024-01-20"]],
}
COMMANDS = {
    "publication add": ["distribute", "publication", "add", "국회도서관 연보", "--frequency", "annual"],
    "publication edit": ["distribute", "publication", "edit", MONTHLY, "--series", "월간지", "--english", ""],
    "issue add": ["distribute", "issue", "add", MONTHLY, "2024-07", "--date", "2024-07-10"],
    "recipient add": ["distribute", "recipient", "add", "British Library", "--country", "GB", "--type",
                      "national-library"],
    "recipient edit": ["distribute", "recipient", "edit", LOC, "--contact", "exchange@loc.gov", "--type", "other"],
    "recipient deactivate": ["distribute", "recipient", "deactivate", PNU, "--date", "2024-05-01"],
    "subscribe": ["distribute", "subscribe", LOC, MONTHLY, "--from", "2023-01-01", "--to", "2023-12-31"],
    "unsubscribe": ["distribute", "unsubscribe", LOC, MONTHLY, "--date", "2024-12-31"],
    "send": ["distribute", "send", MONTHLY, "--issue", "2024-02", "--date", "2024-02-20"],
    "return": ["distribute", "return", LOC, MONTHLY, "--issue", "2024-01", "--reason", "refused"],
}


@pytest.mark.parametrize("name", list(UNDOABLE))
def test_every_distribute_command_is_journaled_and_undone_exactly(sender, db_path, name):
    for args in UNDOABLE[name]:
        sender(*args)
    before = _distribution_state(db_path)
    sender("--author", "김사서", *COMMANDS[name])
    after = _distribution_state(db_path)
    assert after != before
    last = sqlite3.connect(db_path).execute("select by, command from journal_commands order by id desc").fetchone()
    assert last[0] == "김사서" and " ".join(COMMANDS[name][:2]) in last[1]
    sender("--author", "김사서", "undo")
    assert _distribution_state(db_path) == before
    sender("--author", "김사서", "redo")
    assert _distribution_state(db_path) == after


def test_undoing_a_run_whose_lines_have_returns_is_refused(sender, db_path):
    _send(sender, 1)
    sender("distribute", "return", LOC, MONTHLY, "--issue", "2024-01", "--reason", "refused")
    with sqlite3.connect(db_path) as conn:
        run = conn.execute("select max(command_id) from journal_changes where tbl = 'distribution_dispatches'"
                           ).fetchone()[0]
    digest = file_hash(db_path)
    result = sender("undo", str(run), ok=False)
    assert f"cannot undo command {run}: later records still refer to distribution_dispatches" in result.stderr
    assert file_hash(db_path) == digest


def test_a_sound_ledger_has_no_distribution_problems_and_tampering_is_reported(sender, db_path):
    _send(sender, 1)
    sender("distribute", "return", LOC, MONTHLY, "--issue", "2024-01", "--reason", "refused")
    assert sender("check").stdout.startswith("ok: ")
    conn = sqlite3.connect(db_path)
    conn.execute("drop trigger journal_distribution_returns_update")
    conn.execute("update distribution_returns set copies = 9")
    conn.execute("drop trigger journal_distribution_subscriptions_update")
    conn.execute("drop trigger distribution_subscriptions_no_overlap_update")
    conn.execute("drop trigger distribution_subscriptions_period_when_sent")
    conn.execute("update distribution_subscriptions set start_on = '2024-02-01' where id = 1")
    conn.commit()
    conn.close()
    result = sender("check", ok=False)
    assert "does not fit its line (2 copies sent on 2024-01-20)" in result.stdout + result.stderr
    assert "its subscription was not running" in result.stdout + result.stderr


def test_every_distribution_listing_writes_json_that_names_its_columns(sender):
    _send(sender, 1)
    for command in (["distribute", "publication", "list"], ["distribute", "issue", "list"],
                    ["distribute", "recipient", "list"], ["distribute", "subscriptions"],
                    ["distribute", "list"], ["distribute", "labels", MONTHLY, "--issue", "2024-01"],
                    ["distribute", "recipient", "review"], ["stats", "distribution"]):
        records = json.loads(sender(*command, "--format", "json").stdout)
        assert isinstance(records, list)
        if command[1] != "recipient" or command[-1] != "review":
            assert records and all(isinstance(record, dict) for record in records), command


def test_a_recipient_or_subscription_that_copies_went_to_cannot_be_undone_away(sender, db_path):
    _send(sender, 1)
    with sqlite3.connect(db_path) as conn:
        added, subscribed = (conn.execute(f"select min(command_id) from journal_changes where tbl = '{table}'"
                                          ).fetchone()[0]
                             for table in ("distribution_recipients", "distribution_subscriptions"))
    digest = file_hash(db_path)
    for command, why in ((added, "copies were sent to this recipient"),
                         (subscribed, "copies were sent under this subscription")):
        result = sender("undo", str(command), ok=False)
        assert f"cannot undo command {command}: {why}; undo those later commands first" in result.stderr
    assert file_hash(db_path) == digest


def test_the_ledger_itself_refuses_a_line_under_another_recipients_subscription(sender, ledger):
    with pytest.raises(sqlite3.IntegrityError, match="not its recipient's"), ledger.command("test", "test"):
        ledger.conn.execute(
            "insert into distribution_dispatches (issue_id, on_date, line_count, copies, lines) "
            "select i.id, '2024-01-20', 1, 1, json_array(json_array(r.id, s.id, 1)) "
            "from distribution_issues i, distribution_recipients r, distribution_subscriptions s "
            "where s.recipient_id <> r.id limit 1")


# ------------------------------------------------------------------ found by the second reader


def test_an_inactive_period_stays_on_record_after_reactivation(sender):
    """Reactivation used to erase the inactive period: --as-of, sends and stats then saw it active."""
    sender("distribute", "recipient", "deactivate", NDL, "--date", "2024-03-01", "--note", "moving")
    said = sender("distribute", "recipient", "reactivate", NDL, "--date", "2024-05-01")
    assert "active again from 2024-05-01 (it was inactive from 2024-03-01)" in said.stderr
    status = {day: {r["recipient"]: r["status"] for r in _rows(sender("distribute", "recipient", "list",
                                                                      "--as-of", day))}[NDL]
              for day in ("2024-02-29", "2024-03-01", "2024-04-30", "2024-05-01")}
    assert status == {"2024-02-29": "active", "2024-03-01": "inactive", "2024-04-30": "inactive",
                      "2024-05-01": "active"}
    sender("distribute", "subscribe", NDL, MONTHLY, "--from", "2024-04-01")  # a running subscription again
    result = _send(sender, 4)  # 2024-04-20: inside the inactive period
    assert "left out 1 inactive on 2024-04-20" in result.stderr
    assert NDL not in [r["recipient"] for r in _rows(sender("distribute", "list", "--issue", "2024-04"))]
    assert _stats(sender, "--as-of", "2024-04-20", "--by", "recipient")[0] == ("total", "total", "5", "2")
    assert sender("check").stdout.startswith("ok: ")


def test_no_undo_may_leave_a_recipient_inactive_on_a_day_copies_went_to_it(sender, db_path):
    sender("distribute", "recipient", "deactivate", NDL, "--date", "2024-03-01")
    sender("distribute", "recipient", "reactivate", NDL, "--date", "2024-04-01")
    sender("distribute", "subscribe", NDL, MONTHLY, "--from", "2024-04-01")
    with sqlite3.connect(db_path) as conn:
        reactivated = conn.execute("select max(command_id) from journal_changes where tbl = "
                                   "'distribution_recipient_pauses'").fetchone()[0]
    _send(sender, 5)  # NDL gets 2024-05, as an active recipient
    digest = file_hash(db_path)
    result = sender("undo", str(reactivated), ok=False)
    assert f"cannot undo command {reactivated}: copies were sent to this recipient on or after the day it would " \
           "become inactive; undo those later commands first" in result.stderr
    assert file_hash(db_path) == digest
    assert sender("check").stdout.startswith("ok: ")


def test_no_undo_may_end_a_subscription_before_copies_went_under_it(sender, db_path):
    sender("distribute", "unsubscribe", LOC, MONTHLY, "--date", "2024-03-31")
    sender("undo")  # the subscription is open again
    _send(sender, 5)  # LOC gets 2024-05 under it
    digest = file_hash(db_path)
    with sqlite3.connect(db_path) as conn:
        undo_of_unsubscribe = conn.execute("select max(id) from journal_commands where command like '% undo'"
                                           ).fetchone()[0]
    result = sender("undo", str(undo_of_unsubscribe), ok=False)  # redoing the unsubscribe
    assert "copies were sent under this subscription outside the period it would have" in result.stderr
    assert file_hash(db_path) == digest


def test_a_send_to_nobody_says_each_reason(sender, db_path):
    sender("distribute", "recipient", "deactivate", NDL, "--date", "2024-03-01")
    sender("distribute", "recipient", "reactivate", NDL, "--date", "2024-05-01")
    sender("distribute", "subscribe", NDL, MONTHLY, "--from", "2024-04-01")
    assert "5 copies to 2 recipients" in _send(sender, 3).stderr  # LOC and PNU, not the paused NDL
    assert len(_rows(sender("distribute", "list", "--issue", "2024-03"))) == 2
    digest = file_hash(db_path)
    for dry in ([], ["--dry-run"]):
        result = sender("distribute", "send", MONTHLY, "--issue", "2024-03", "--date", "2024-04-21", *dry, ok=False)
        assert f"『{MONTHLY}』 2024-03 would go to nobody on 2024-04-21: 2 already had it; 1 inactive that day " \
               f"({NDL} (JP))" in result.stderr
    assert file_hash(db_path) == digest


@pytest.mark.parametrize(("command", "message"), [
    (("distribute", "subscribe", "British Library", MONTHLY, "--copies", "99999999999999999999"),
     "--copies: 99999999999999999999 is not between 1 and 10,000"),
    (("distribute", "issue", "add", MONTHLY, "2024-07", "--date", "2024-07-10", "--pages", "99999999999999999999"),
     "--pages: 99999999999999999999 is not between 1 and 100,000"),
    (("distribute", "issue", "add", MONTHLY, "2024-07", "--date", "2024-07-10", "--printed", "-1"),
     "--printed: -1 is not between 0 and 10,000,000"),
])
def test_numbers_beyond_reason_are_refused_in_one_line_not_a_traceback(sender, db_path, command, message):
    sender("distribute", "recipient", "add", "British Library", "--country", "GB", "--type", "national-library")
    digest = file_hash(db_path)
    result = sender(*command, ok=False)
    assert result.exit_code == 1 and result.stderr.strip().splitlines() == [f"Error: {message}"]
    assert file_hash(db_path) == digest


def test_an_issn_already_taken_is_refused_on_edit_as_on_add(sender):
    sender("distribute", "publication", "add", "국회도서관 연보", "--frequency", "annual")
    result = sender("distribute", "publication", "edit", "연보", "--issn", "1228-4734", ok=False)
    assert "ISSN 1228-4734 is already that of 『월간 국회도서관』" in result.stderr

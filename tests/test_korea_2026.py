"""Issue 15: Korea as it is today — the 2026-07-01 map, names as Koreans write them, no silent guesses."""

from __future__ import annotations

import csv
import io
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nalcoop import agreements, countries, registry
from nalcoop.cli import app
from nalcoop.ledger.migrations import SCHEMA_VERSION
from nalcoop.ledger.store import Ledger
from nalcoop.registry import AmbiguousCouncil, CouncilNotFound

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# ------------------------------------------------------------------ 1. the map on each day


@pytest.mark.parametrize(("day", "provincial", "basic"),
                         [("2026-08-01", 16, 227), ("2026-06-30", 17, 226), ("2020-02-29", 17, 226)])
def test_councils_as_of_a_day_count_the_map_of_that_day(cli, day, provincial, basic):
    rows = _rows(cli("agreement", "councils", "--as-of", day, "--format", "csv").stdout)
    assert (sum(r["level"] == "provincial" for r in rows), sum(r["level"] == "basic" for r in rows)) == \
        (provincial, basic)
    names = {r["council"] for r in rows}
    if day == "2026-08-01":
        assert "전남광주통합특별시의회" in names and not {"광주광역시의회", "전라남도의회"} & names
        assert ("서해구의회", "인천광역시", "28275") in {(r["council"], r["province"], r["code"]) for r in rows}
        mokpo = next(r for r in rows if r["council"] == "목포시의회")
        assert (mokpo["province"], mokpo["code"]) == ("전남광주통합특별시", "12110")
    elif day == "2020-02-29":
        assert "강원도의회" in names and "광주광역시의회" in names


def test_function_level_counts_and_the_recodes(ledger):
    conn = ledger.conn
    after = registry.councils_as_of(conn, "2026-08-01")
    assert (len(after), sum(c.level == "provincial" for c in after)) == (243, 16)
    merged = [c for c in after if c.province == "전남광주통합특별시" and c.level == "basic"]
    assert len(merged) == 27 and all(c.code.startswith("12") for c in merged)


# ------------------------------------------------------------------ 2 and 3. names on their day


def test_gwangju_si_council_before_the_merger_is_ambiguous_and_names_both(cli, ledger):
    result = cli("agreement", "follow-up", "광주시의회", "--date", "2020-03-02", "--type", "materials", ok=False)
    assert result.exit_code == 1
    assert "경기도 광주시의회" in result.stderr and "광주광역시의회" in result.stderr
    assert "Traceback" not in result.output
    assert ledger.conn.execute("select count(*) from agreement_events").fetchone()[0] == 0
    cli("agreement", "request", "광주시의회", "--date", "2020-03-02", "--province", "광주")
    row = ledger.conn.execute("select council_id from agreement_events").fetchone()
    assert registry.latest_version(ledger.conn, row[0]).name == "광주광역시의회"


def test_resolve_settles_by_province_and_date(ledger):
    conn = ledger.conn
    with pytest.raises(AmbiguousCouncil, match="광주광역시의회"):
        registry.resolve(conn, "광주시의회", on_date="2020-03-02")
    assert registry.resolve(conn, "광주시의회", province="광주광역시", on_date="2020-03-02").name == "광주광역시의회"
    assert registry.resolve(conn, "광주시의회", province="경기", on_date="2020-03-02").label == "경기도 광주시의회"
    # 광주 동구 after the merger is the same council in its new province; 인천 동구 no longer exists.
    assert registry.resolve(conn, "광주 동구", on_date="2026-08-01").label == "전남광주통합특별시 동구의회"
    with pytest.raises(CouncilNotFound, match="인천광역시 동구의회 was abolished on 2026-07-01"):
        registry.resolve(conn, "인천 동구", on_date="2026-08-01")
    assert registry.resolve(conn, "서해구", on_date="2026-08-01").code == "28275"
    assert registry.resolve(conn, "인천 서구", on_date="2020-01-01").code == "28260"


def test_a_step_for_an_abolished_council_names_its_dates(cli):
    result = cli("agreement", "request", "인천 중구", "--date", "2026-08-01", ok=False)
    assert result.exit_code == 1
    assert "인천광역시 중구의회 was abolished on 2026-07-01" in result.stderr


def test_an_import_row_with_province_gwangju_is_gwangju_metropolitan(cli, tmp_path, ledger):
    path = tmp_path / "2020.csv"
    path.write_text("의회명,시도,요청일,협약일\n"
                    "광주시의회,광주광역시,2020-01-10,2020-02-10\n"
                    "강원도의회,강원도,2020-01-11,2020-02-11\n"
                    "군위군의회,경상북도,2020-01-12,2020-02-12\n", encoding="utf-8")
    cli("agreement", "import", str(path))
    signed = _rows(cli("agreement", "list", "--as-of", "2020-02-29", "--format", "csv").stdout)
    assert {(r["council"], r["province"]) for r in signed} == {
        ("광주광역시의회", "광주광역시"), ("강원도의회", "강원도"), ("군위군의회", "경상북도")}


# ------------------------------------------------------------------ 4. NFC


def test_hangul_typed_on_a_mac_is_found(cli, tmp_path):
    decomposed = unicodedata.normalize("NFD", "가평군의회")
    assert decomposed != "가평군의회"
    result = cli("agreement", "request", decomposed, "--date", "2021-04-01")
    assert "경기도 가평군의회" in result.stderr
    path = tmp_path / "mac.csv"
    path.write_text(unicodedata.normalize("NFD", "의회명,요청일\n양평군의회,2021-04-02\n"), encoding="utf-8")
    cli("agreement", "import", str(path))
    rows = _rows(cli("agreement", "list", "--format", "csv").stdout)
    assert {"가평군의회", "양평군의회"} <= {r["council"] for r in rows}


def test_nfc_function_leaves_ascii_alone():
    from nalcoop.names import nfc

    assert nfc("abc") == "abc"
    assert nfc(unicodedata.normalize("NFD", "가평군")) == "가평군"


# ------------------------------------------------------------------ 5. countries


@pytest.mark.parametrize(("typed", "code"), [("호주", "AU"), ("남아공", "ZA"), ("남아프리카공화국", "ZA"),
                                             ("미국", "US"), ("영국", "GB"), ("중국", "CN"), ("대만", "TW"),
                                             ("러시아", "RU"), ("체코", "CZ"), ("오스트레일리아", "AU")])
def test_countries_by_the_names_koreans_write(typed, code):
    assert countries.country(typed).code == code


def test_a_recipient_in_australia_by_its_korean_name(cli):
    cli("distribute", "recipient", "add", "Canberra Library", "--country", "호주", "--type", "national-library",
        "--address", "Canberra")
    rows = _rows(cli("distribute", "recipient", "list", "--format", "csv").stdout)
    assert any(r.get("country") == "AU" for r in rows)


# ------------------------------------------------------------------ 6. English names


def test_english_names_follow_the_published_rule(cli):
    rows = {r["council"]: r["english"] for r in
            _rows(cli("agreement", "councils", "--as-of", "2026-08-01", "--format", "csv").stdout)}
    assert rows["경기도의회"] == "Gyeonggido Assembly"
    assert rows["청주시의회"] == "Cheongju City Council"
    assert rows["가평군의회"] == "Gapyeong County Council"
    assert rows["서해구의회"] == "Seohae District Council"
    assert registry.council_english("Wonju-si", "si") == "Wonju City Council"


# ------------------------------------------------------------------ 7. no future steps


def test_a_step_dated_after_today_is_refused_and_nothing_is_written(cli, ledger):
    result = cli("agreement", "request", "시흥시의회", "--date", "2026-12-25", ok=False)
    assert result.exit_code == 1 and "after today (2026-11-25)" in result.stderr
    assert ledger.conn.execute("select count(*) from agreement_events").fetchone()[0] == 0
    cli("agreement", "request", "시흥시의회", "--date", "2026-11-20")


# ------------------------------------------------------------------ the successor rule


@pytest.fixture
def merged(cli):
    cli("agreement", "request", "광주시의회", "--province", "광주", "--date", "2019-03-02")
    cli("agreement", "sign", "광주광역시의회", "--date", "2019-04-02", "--mode", "in-person")
    cli("agreement", "sign", "전라남도의회", "--date", "2019-05-02", "--mode", "exchange", "--without-request")
    return cli


def test_the_merged_council_inherits_the_agreement_in_statistics(merged):
    def provincial(day):
        rows = _rows(merged("stats", "agreements", "--as-of", day, "--format", "csv").stdout)
        return next(r for r in rows if r["group"] == "provincial")

    assert (provincial("2026-06-30")["councils"], provincial("2026-06-30")["in force"]) == ("17", "2")
    assert (provincial("2026-08-01")["councils"], provincial("2026-08-01")["in force"]) == ("16", "1")


def test_list_show_and_due_apply_the_successor_rule_once(merged, ledger):
    listed = _rows(merged("agreement", "list", "--as-of", "2026-08-01", "--format", "csv").stdout)
    assert [(r["council"], r["status"]) for r in listed] == [("전남광주통합특별시의회", "signed")]
    assert "광주광역시의회" in listed[0]["inherited from"] and "전라남도의회" in listed[0]["inherited from"]
    due = _rows(merged("agreement", "due", "--format", "csv").stdout)
    assert [r["council"] for r in due] == ["전남광주통합특별시의회"]
    shown = _rows(merged("agreement", "show", "전남광주통합특별시의회", "--format", "csv").stdout)
    assert {"광주광역시의회: in-person", "전라남도의회: exchange"} <= {r["detail"] for r in shown}
    assert "inherited" in {r["step"] for r in shown}
    merged("agreement", "renew", "광주특별시의회", "--date", "2026-09-01")  # confirmed with the new council
    assert _rows(merged("agreement", "due", "--format", "csv").stdout) == []
    assert agreements.invariant_problems(ledger.conn) == []
    stats = {r["group"]: r for r in agreements.stats_as_of(ledger.conn, "2026-10-01")}
    assert stats["provincial"]["in_force"] == 1


def test_an_export_with_an_inherited_agreement_imports_back_into_a_new_ledger(merged, tmp_path, _initialised_template,
                                                                            monkeypatch):
    """The merged council's own follow-up has no column in an export: its row would carry no date and be refused.
    The predecessors' rows carry the agreement, and the new ledger rebuilds the inheritance from them."""
    merged("agreement", "follow-up", "전남광주통합특별시의회", "--date", "2026-08-03", "--type", "materials")
    exported = tmp_path / "agreements.csv"
    monkeypatch.setenv("NALCOOP_LANG", "ko")  # a Korean export (titles and labels) imports back as well
    merged("agreement", "export", str(exported))
    monkeypatch.setenv("NALCOOP_LANG", "en")
    rows = _rows(exported.read_text(encoding="utf-8-sig"))
    assert [row["의회명"] for row in rows] == ["광주광역시의회", "전라남도의회"]
    fresh = tmp_path / "fresh.db"
    fresh.write_bytes(_initialised_template)
    _run(fresh, "agreement", "import", str(exported))
    listed = _rows(_run(fresh, "agreement", "list", "--as-of", "2026-08-01", "--format", "csv").stdout)
    assert [(r["council"], r["status"]) for r in listed] == [("전남광주통합특별시의회", "signed")]


# ------------------------------------------------------------------ an older ledger gets the new map


def _v6_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "v6.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "ledger-v6.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def _run(path: Path, *args: str, ok: bool = True):
    result = CliRunner().invoke(app, ["--db", str(path), *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _counts(path: Path, day: str) -> tuple[int, int]:
    rows = _rows(_run(path, "agreement", "councils", "--as-of", day, "--format", "csv").stdout)
    return sum(r["level"] == "provincial" for r in rows), sum(r["level"] == "basic" for r in rows)


def test_a_v6_ledger_gets_the_new_map_on_its_upgrade_and_undo_takes_it_back(tmp_path):
    """Found by the second reader: the upgrade left an old ledger on the 2020-era map, silently (stats said 17
    provincial councils in August 2026); the upgrade now applies the shipped changes, as its own command."""
    path = _v6_ledger(tmp_path)
    first = _run(path, "agreement", "councils", "--as-of", "2026-08-01", "--format", "csv")
    assert "council registry brought up to date (added 2026-07-01-seohae-rename, " \
           "2026-07-01-jeonnam-gwangju-merger)" in first.stderr
    assert _counts(path, "2026-08-01") == (16, 227)
    history = _rows(_run(path, "history", "--limit", "1", "--format", "csv").stdout)
    assert history[0]["command"] == f"nalcoop registry update (on the upgrade from schema 6 to {SCHEMA_VERSION})"
    assert "up to date" in _run(path, "registry", "update").stderr
    assert "ok:" in _run(path, "check").stderr + _run(path, "check").stdout
    _run(path, "undo")
    assert _counts(path, "2026-08-01") == (17, 227)
    result = _run(path, "registry", "update")  # the command brings it back
    assert "added: 2026-07-01-seohae-rename" in result.stderr
    assert "added: 2026-07-01-jeonnam-gwangju-merger" in result.stderr
    assert _counts(path, "2026-08-01") == (16, 227)


def _upgraded_without_the_map(tmp_path: Path) -> Path:
    """A v6 ledger at this schema but without the shipped 2026 changes: as a librarian had it who recorded a
    change by hand before the update (the upgrade's own update is left out here)."""
    path = _v6_ledger(tmp_path)
    Ledger.open(path).close()  # the domain's open upgrades the schema; the command adds the registry changes
    return path


def test_a_hand_recorded_seohae_rename_is_recognised_not_recorded_twice(tmp_path):
    path = _upgraded_without_the_map(tmp_path)
    _run(path, "registry", "rename", "인천 서구", "--name", "서해구", "--date", "2026-07-01",
         "--source", "인천광역시 공고")
    result = _run(path, "registry", "update")
    assert "recognised: 2026-07-01-seohae-rename" in result.stderr
    ledger = Ledger.open(path)
    seohae = registry.resolve(ledger.conn, "서해구", on_date="2026-08-01")
    assert seohae.code == "28275"
    versions = registry.versions_of(ledger.conn, seohae.id)
    assert [v["valid_from"] for v in versions].count("2026-07-01") == 1
    ledger.close()


def test_a_conflicting_hand_recorded_rename_is_reported_and_the_rest_applied(tmp_path):
    path = _upgraded_without_the_map(tmp_path)
    _run(path, "registry", "rename", "인천 서구", "--name", "서해구", "--date", "2026-07-15", "--source", "잘못된 날짜")
    result = _run(path, "registry", "update", ok=False)
    assert result.exit_code == 1
    assert "conflict: 2026-07-01-seohae-rename" in result.stderr and "2026-07-15" in result.stderr
    assert "added: 2026-07-01-jeonnam-gwangju-merger" in result.stderr
    assert _counts(path, "2026-08-01") == (16, 227)


def test_nfc_keeps_hanja_compatibility_ideographs_as_typed():
    """Found by the thorough fuzz profile: plain NFC turns Korean Hanja variants (樂 U+F914, U+2F800) into their
    unified forms, so a title in Hanja would not survive an import; only the text around them is normalised."""
    from nalcoop.names import nfc

    assert nfc("\uf914") == "\uf914"
    assert nfc("\U0002f800") == "\U0002f800"
    assert nfc("e\u0301\uf914" + unicodedata.normalize("NFD", "한국")) == "\u00e9\uf914한국"


def test_a_hanja_variant_in_an_imported_title_survives(tmp_path):
    from nalcoop.importer import as_table

    path = tmp_path / "stock.csv"
    path.write_text("서명,수량,사유\n\uf914府 " + unicodedata.normalize("NFD", "연구") + ",2,duplicate\n",
                    encoding="utf-8")
    table = as_table(path, "donation_items")
    assert table.rows[0].values["title"] == "\uf914府 연구"


def test_a_listing_filtered_by_a_province_abolished_that_day_says_so(cli):
    """Found at the merge: `donate library list --province 전남` today listed nothing, silently (전라남도 has been
    part of 전남광주통합특별시 since 2026-07-01); the province is read as of the listing's day."""
    cli("donate", "library", "add", "신안 작은도서관", "--region", "전라남도 신안군", "--type", "small")
    result = cli("donate", "library", "list", "--province", "전남", ok=False)
    assert result.exit_code == 1
    assert ("'전남' (전라남도) does not exist as of 2026-11-25 (merged into 전남광주통합특별시 on 2026-07-01); "
            "give 전남광주통합특별시, or --as-of a day before 2026-07-01 for 전라남도") in result.stderr
    today = _rows(cli("donate", "library", "list", "--province", "광주특별시", "--format", "csv").stdout)
    assert [r["library"] for r in today] == ["신안 작은도서관"]
    before = _rows(cli("donate", "library", "list", "--province", "전남", "--as-of", "2026-06-30",
                       "--format", "csv").stdout)
    assert [r["library"] for r in before] == ["신안 작은도서관"]


def test_nfc_never_splits_a_composition_exclusion():
    """Found by the fuzz suite: NFC turns U+0A59 into U+0A16 U+0A3C; a cell holding it must read back as written."""
    from nalcoop.names import nfc

    assert nfc("\u0a59") == "\u0a59"
    assert nfc("\u0a59" + unicodedata.normalize("NFD", "한")) == "\u0a59한"


def test_two_mergers_of_provinces_on_one_day_each_inherit_from_their_own(cli, ledger):
    """대구·경북 and 대전·충남 were planned for one day: each merged province inherits from its own two, told apart
    by where their basic councils moved (not every province that ended that day)."""
    cli("agreement", "sign", "대구광역시의회", "--date", "2019-05-02", "--mode", "in-person", "--without-request")
    cli("agreement", "sign", "충청남도의회", "--date", "2019-06-03", "--mode", "exchange", "--without-request")
    cli("registry", "merge", "--yes", "대구광역시", "경상북도", "--into", "대구경북특별시", "--type", "province",
        "--date", "2026-10-01", "--source", "test: a merger of provinces")
    cli("registry", "merge", "--yes", "대전광역시", "충청남도", "--into", "대전충남특별시", "--type", "province",
        "--date", "2026-10-01", "--source", "test: a merger of provinces")
    by_successor = {registry.latest_version(ledger.conn, successor).gov: sorted(
        registry.latest_version(ledger.conn, council).gov for council in predecessors)
        for successor, predecessors, day in registry.successions(ledger.conn) if day == "2026-10-01"}
    assert by_successor == {"대구경북특별시": ["경상북도", "대구광역시"], "대전충남특별시": ["대전광역시", "충청남도"]}
    listed = _rows(cli("agreement", "list", "--as-of", "2026-10-02", "--format", "csv").stdout)
    inherited = {r["council"]: r["inherited from"] for r in listed if r["council"].endswith("특별시의회")}
    assert set(inherited) == {"대구경북특별시의회", "대전충남특별시의회"}
    assert "대구광역시의회" in inherited["대구경북특별시의회"] and "충청남도의회" not in inherited["대구경북특별시의회"]
    assert "충청남도의회" in inherited["대전충남특별시의회"] and "대구광역시의회" not in inherited["대전충남특별시의회"]


def test_show_and_due_say_the_successor_rule_in_the_run_s_language(merged):
    shown = _rows(merged("--lang", "ko", "agreement", "show", "전남광주통합특별시의회", "--format", "csv").stdout)
    inherited = next(r for r in shown if r["단계"] == "승계")
    names = "광주광역시의회(2019-04-02 체결), 전라남도의회(2019-05-02 체결)"
    assert inherited["세부 내용"] == f"{names}에서 승계한 유효 협약"
    assert "의회 명부 변경" in {r["단계"] for r in shown}
    former = _rows(merged("--lang", "ko", "agreement", "show", "광주광역시의회", "--format", "csv").stdout)
    assert former[-1]["세부 내용"] == "광주광역시의회 폐지. 전남광주통합특별시의회에 통합되어 그 협약을 승계합니다"
    due = _rows(merged("--lang", "ko", "agreement", "due", "--format", "csv").stdout)
    assert (due[0]["상태"], due[0]["승계 전 의회"]) == ("승계", names)
    english = _rows(merged("--lang", "en", "agreement", "show", "광주광역시의회", "--format", "csv").stdout)
    assert (english[-1]["step"], english[-1]["detail"]) == (
        "registry", "광주광역시의회 abolished; merged into 전남광주통합특별시의회, which succeeds to its agreement")
    assert _rows(merged("agreement", "due", "--format", "csv").stdout)[0]["inherited from"] == (
        "광주광역시의회 (signed 2019-04-02), 전라남도의회 (signed 2019-05-02)")
    said = merged("--lang", "ko", "agreement", "request", "서울특별시의회", "--date", "2026-09-01").stderr
    assert "2026-09-01 협약 요청을 기록했습니다" in said

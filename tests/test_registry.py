"""The council registry: counts as of dates, names to councils, and recording later changes."""

from __future__ import annotations

import csv
import io

import pytest

from nalcoop import registry
from nalcoop.registry import AmbiguousCouncil, CouncilNotFound, RegistryError


def _rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _counts(conn, day: str) -> tuple[int, int]:
    councils = registry.councils_as_of(conn, day)
    return (sum(c.level == "provincial" for c in councils), sum(c.level == "basic" for c in councils))


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2013-07-01", (17, 226)), ("2020-02-29", (17, 226)), ("2023-07-01", (17, 226)),
     ("2026-06-30", (17, 226)), ("2026-07-01", (16, 227)), ("2026-08-01", (16, 227))],
)
def test_the_registry_holds_the_councils_that_existed_on_each_day(ledger, day, expected):
    assert _counts(ledger.conn, day) == expected


def test_gunwi_moves_from_gyeongbuk_to_daegu_on_2023_07_01(ledger):
    gunwi = registry.resolve(ledger.conn, "군위군의회")
    before = registry.council_as_of(ledger.conn, gunwi.id, "2023-06-30")
    after = registry.council_as_of(ledger.conn, gunwi.id, "2023-07-01")
    assert (before.province, before.code) == ("경상북도", "47720")
    assert (after.province, after.code) == ("대구광역시", "27720")


def test_gangwon_and_jeonbuk_become_special_self_governing_provinces(ledger):
    conn = ledger.conn
    gangwon = registry.resolve(conn, "강원도의회")
    assert registry.council_as_of(conn, gangwon.id, "2023-06-10").code == "42"
    assert registry.council_as_of(conn, gangwon.id, "2023-06-11").name == "강원특별자치도의회"
    jeonbuk = registry.resolve(conn, "전라북도의회")
    assert registry.council_as_of(conn, jeonbuk.id, "2024-01-17").code == "45"
    assert registry.council_as_of(conn, jeonbuk.id, "2024-01-18").name == "전북특별자치도의회"
    jeonju = registry.resolve(conn, "전주시의회")
    assert registry.council_as_of(conn, jeonju.id, "2024-01-18").code.startswith("52")
    chuncheon = registry.resolve(conn, "춘천시의회")
    assert registry.council_as_of(conn, chuncheon.id, "2020-02-29").province == "강원도"
    assert registry.council_as_of(conn, chuncheon.id, "2024-01-01").province == "강원특별자치도"


def test_incheon_reorganisation_abolishes_two_gu_and_creates_three(ledger):
    conn = ledger.conn
    incheon = {c.name for c in registry.councils_as_of(conn, "2026-07-01", province="인천")}
    assert {"제물포구의회", "영종구의회", "검단구의회", "서해구의회"} <= incheon
    assert not {"중구의회", "동구의회"} & incheon
    before = {c.name for c in registry.councils_as_of(conn, "2026-06-30", province="인천")}
    assert {"중구의회", "동구의회"} <= before


def test_every_shipped_change_has_a_source(ledger):
    shipped = [c for c in registry.changes(ledger.conn) if c["origin"] == "shipped"]
    assert [c["effective_on"] for c in shipped] == [
        "2020-02-01", "2023-06-11", "2023-07-01", "2024-01-18", "2026-07-01", "2026-07-01", "2026-07-01"
    ]
    assert all(c["source"].strip() for c in shipped)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("서울특별시의회", "서울특별시의회"),
        ("서울시의회", "서울특별시의회"),
        ("서울특별시", "서울특별시의회"),
        ("Seoul Metropolitan Council", "서울특별시의회"),
        ("11", "서울특별시의회"),
        ("종로구의회", "서울특별시 종로구의회"),
        ("종로구", "서울특별시 종로구의회"),
        ("서울 종로구", "서울특별시 종로구의회"),
        ("서울종로구의회", "서울특별시 종로구의회"),
        ("  종로구 의회 ", "서울특별시 종로구의회"),
        ("Jongno-gu Council", "서울특별시 종로구의회"),
        ("jongno-gu", "서울특별시 종로구의회"),
        ("11110", "서울특별시 종로구의회"),
        ("대구 중구", "대구광역시 중구의회"),
        ("대구광역시 중구의회", "대구광역시 중구의회"),
        ("경기도의회", "경기도의회"),
        ("경기", "경기도의회"),
        ("충북", "충청북도의회"),
        ("강원도의회", "강원특별자치도의회"),
        ("42110", "강원특별자치도 춘천시의회"),
        ("51110", "강원특별자치도 춘천시의회"),
        ("경남 고성군", "경상남도 고성군의회"),
    ],
)
def test_names_short_forms_english_and_codes_resolve_to_one_council(ledger, typed, expected):
    assert registry.resolve(ledger.conn, typed).label == expected


def test_a_name_shared_by_six_councils_lists_every_candidate_with_its_province(ledger):
    with pytest.raises(AmbiguousCouncil) as caught:
        registry.resolve(ledger.conn, "중구의회")
    message = str(caught.value)
    assert "matches 6 councils" in message
    for city in ("서울특별시", "부산광역시", "대구광역시", "인천광역시", "대전광역시", "울산광역시"):
        assert f"{city} 중구의회" in message
    assert "대구 중구" in message


def test_an_unknown_name_suggests_the_closest_councils_and_never_guesses(ledger):
    with pytest.raises(CouncilNotFound) as caught:
        registry.resolve(ledger.conn, "종로국의회")
    assert "did you mean" in str(caught.value)
    assert "종로구의회" in str(caught.value)


def test_the_province_option_disambiguates(ledger):
    assert registry.resolve(ledger.conn, "중구", province="울산").label == "울산광역시 중구의회"


def test_councils_command_lists_the_17_provincial_councils_in_korean_and_english(cli):
    rows = _rows(cli("agreement", "councils", "--level", "provincial", "--as-of", "2026-06-30"))
    assert len(rows) == 17
    assert rows[0]["council"] == "서울특별시의회"
    assert rows[0]["english"] == "Seoul Metropolitan Council"
    assert {r["province"] for r in rows} >= {"강원특별자치도", "전북특별자치도", "광주광역시", "전라남도"}
    today = _rows(cli("agreement", "councils", "--level", "provincial"))  # 2026-11-25: after the merger
    assert len(today) == 16
    assert "전남광주통합특별시의회" in {r["council"] for r in today}
    assert not {"광주광역시의회", "전라남도의회"} & {r["council"] for r in today}


def test_councils_command_as_of_and_province(cli):
    rows = _rows(cli("agreement", "councils", "--as-of", "2020-02-29", "--province", "강원"))
    assert len(rows) == 19
    assert rows[0]["council"] == "강원도의회"
    assert all(r["code"].startswith("42") for r in rows)
    gyeongbuk = _rows(cli("agreement", "councils", "--as-of", "2023-06-30", "--province", "경북"))
    assert "군위군의회" in {r["council"] for r in gyeongbuk}
    gyeongbuk = _rows(cli("agreement", "councils", "--as-of", "2023-07-01", "--province", "경북"))
    assert "군위군의회" not in {r["council"] for r in gyeongbuk}


def test_a_librarian_records_a_rename_and_the_council_keeps_its_agreement(cli, ledger):
    cli("agreement", "request", "인천 서구", "--date", "2020-01-10")
    cli("agreement", "sign", "인천 서구", "--date", "2020-03-10", "--mode", "in-person")
    # The shipped registry renames 서구 → 서해구 on 2026-07-01; the agreement stays with the council.
    rows = _rows(cli("agreement", "list", "--as-of", "2026-07-02"))
    assert [(r["council"], r["status"]) for r in rows] == [("서해구의회", "signed")]
    renamed = registry.resolve(ledger.conn, "서해구의회")
    assert renamed.name_en == "Seohae District Council"
    assert registry.resolve(ledger.conn, "인천 서구").id == renamed.id
    # A later rename (invented for the test) is recorded by hand the same way.
    cli("registry", "rename", "서해구", "--name", "청라구", "--date", "2027-01-01", "--source",
        "인천광역시 공고 (test)")
    rows = _rows(cli("agreement", "list", "--as-of", "2027-01-02"))
    assert [(r["council"], r["status"]) for r in rows] == [("청라구의회", "signed")]
    assert registry.resolve(ledger.conn, "청라구의회").name_en == "Cheongna District Council"
    changes = _rows(cli("registry", "changes"))
    assert changes[-1]["source"] == "인천광역시 공고 (test)"


def test_recording_a_change_needs_a_source_and_a_date(cli):
    result = cli("registry", "rename", "인천 서구", "--name", "서해구", "--date", "2026-07-01", ok=False)
    assert result.exit_code == 2
    assert "--source" in result.stderr


def test_create_move_abolish_merge_and_split_are_dated(ledger):
    conn = ledger.conn
    with ledger.command("test", "tester"):
        registry.create(conn, "새마을구", "gu", "2027-01-01", "test law", province="부산")
        new = registry.resolve(conn, "새마을구")
        assert registry.council_as_of(conn, new.id, "2026-12-31") is None
        assert registry.council_as_of(conn, new.id, "2027-01-01").province == "부산광역시"
        registry.move(conn, new, "울산", "2027-06-01", "test law", code="31999")
        assert registry.council_as_of(conn, new.id, "2027-06-01").province == "울산광역시"
        registry.split(conn, registry.resolve(conn, "수원시"), ["수원남시"], "2027-01-01", "test law")
        assert registry.resolve(conn, "수원남시").province == "경기도"
        registry.merge(conn, [registry.resolve(conn, "수원시"), registry.resolve(conn, "수원남시")], "수원시",
                       "2028-01-01", "test law")
        assert registry.council_as_of(conn, registry.resolve(conn, "수원남시").id, "2028-01-01") is None
        assert registry.council_as_of(conn, registry.resolve(conn, "수원시").id, "2028-01-01") is not None
        registry.abolish(conn, new, "2029-01-01", "test law")
        assert registry.council_as_of(conn, new.id, "2029-01-01") is None
    assert _counts(conn, "2029-01-01") == (16, 227)


def test_changes_out_of_date_order_are_refused(ledger):
    conn = ledger.conn
    with ledger.command("test", "tester"):
        gunwi = registry.resolve(conn, "군위군")
        with pytest.raises(RegistryError, match="date order"):
            registry.recode(conn, gunwi, "99999", "2022-01-01", "test")


def test_a_provincial_council_with_basic_councils_cannot_be_abolished(ledger):
    with ledger.command("test", "tester"), pytest.raises(RegistryError, match="still has"):
        registry.abolish(ledger.conn, registry.resolve(ledger.conn, "경기도"), "2030-01-01", "test")

"""Issue 17, last part: the shared words say themselves in the run's language — the council registry's changes,
name lookups, ISBN/ISSN and countries, closed lists, statistics (their nouns, titles and what they mean), the
overview and the annual workbook's sources, the figure sentence's check, publish and serve, and an unknown
language. Each in Korean through the CLI and as a function, and in English with `--lang en` (the suite's own
language, tests/conftest.py)."""

from __future__ import annotations

import pytest

from nalcoop import i18n


@pytest.fixture
def korean():
    """The run's language is Korean for the function-level tests; back to the default afterwards."""
    i18n.set_language("ko")
    yield
    i18n.set_language(None)


def _error(result) -> str:
    return result.output.strip().splitlines()[-1]


# ---------------------------------------------------------------- stats: what a statistic is called

BAD_BY = {  # activity: (its noun in Korean, one code and label of its --by)
    "agreements": ("업무협약 통계", "year(연도)"),
    "donations": ("도서 기증 통계", "reason(사유)"),
    "distribution": ("발간자료 발송 통계", "country(국가)"),
    "network": ("협력망 행사 통계", "kind(종류)"),
    "interns": ("현장실습 통계", "cohort(기수)"),
}


@pytest.mark.parametrize("activity", list(BAD_BY))
def test_a_by_a_statistic_does_not_take_is_refused_in_korean_and_in_english(cli, activity):
    noun, choice = BAD_BY[activity]
    korean = cli("--lang", "ko", "stats", activity, "--by", "colour", ok=False)
    assert korean.exit_code == 2
    said = _error(korean)
    assert said.startswith(f"오류: --by: {noun}는 'colour'(으)로 묶을 수 없습니다. "), said
    assert choice in said and " 또는 " in said and said.endswith(" 중에서 고르십시오")
    english = cli("--lang", "en", "stats", activity, "--by", "colour", ok=False)
    assert _error(english).startswith("Error: --by: ") and "have no 'colour'; they can be grouped by " \
        in _error(english)
    assert "(" not in _error(english).split("grouped by ")[1]  # English lists the codes alone


def test_the_statistics_meanings_and_titles_are_korean(cli):
    both = cli("--lang", "ko", "stats", "network", "--as-of", "2024-12-31", "--year", "2024", ok=False)
    assert _error(both) == "오류: --as-of(그날의 회원 기관)와 --year/--from/--to(기간 중 활동) 중 하나만 주십시오"
    wrong = cli("--lang", "ko", "stats", "distribution", "--as-of", "2024-12-31", "--by", "month", ok=False)
    assert _error(wrong).startswith("오류: --by month은(는) 기간 중 발송을(를) 셉니다. "
                                    "--as-of(그날의 정기 발송 명단)와 함께라면 type(유형), ")
    table = cli("--lang", "ko", "stats", "agreements", "--by", "연도", "--year", "2024", "--format", "table").stdout
    assert "협약 진행 단계 2024-01-01 ~ 2024-12-31, 연도별" in table
    members = cli("--lang", "ko", "stats", "network", "--as-of", "2024-12-31", "--format", "table").stdout
    assert "2024-12-31 현재 회원 기관, 협의체별" in members
    english = cli("--lang", "en", "stats", "agreements", "--by", "year", "--format", "table").stdout
    assert "agreement steps up to the end of 2026-11-25, by year" in english
    assert _error(cli("--lang", "en", "stats", "network", "--as-of", "2024-12-31", "--year", "2024", ok=False)) == \
        "Error: give either --as-of (members on a day) or --year/--from/--to (what happened)"


def test_check_by_says_the_choices_in_the_language_of_the_run(korean):
    from nalcoop.breakdown import check_by
    from nalcoop.donations import SHIPPED, DonationError

    with pytest.raises(DonationError, match=r"^'colour'\(으\)로 묶을 수 없습니다\. year\(연도\), month\(월\), "):
        check_by(SHIPPED, "colour", DonationError)
    i18n.set_language("en")
    with pytest.raises(DonationError, match="^cannot group by 'colour'; choose one of year, month, province, "):
        check_by(SHIPPED, "colour", DonationError)


# ---------------------------------------------------------------- the annual workbook's sources sheet


@pytest.mark.parametrize("lang", ["default", "ko", "en"])
def test_the_annual_workbooks_sources_sheet_follows_the_language(cli, monkeypatch, tmp_path, lang):
    from openpyxl import load_workbook

    monkeypatch.delenv("NALCOOP_LANG")  # nothing set: Korean
    path = tmp_path / "r.xlsx"
    cli(*(() if lang == "default" else ("--lang", lang)), "report", "annual", "2020", "-o", str(path))
    sheet = load_workbook(path).worksheets[-1]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    items = {row[0]: row[1] for row in rows[4:]}
    if lang == "en":
        assert sheet.title == "Sources" and rows[0][0] == "Where these figures come from"
        assert rows[2][0] == "Sources" and rows[3] == ["item", "value"]
        assert items["schema version"] and items["period"].startswith("2020-01-01 – 2020-12-31 (both days")
        assert items["counting"].startswith("donations: batches shipped;")
    else:
        assert sheet.title == "출처" and rows[0][0] == "통계 작성 기준 및 출처"
        assert rows[2][0] == "출처" and rows[3] == ["항목", "값"]
        assert items["스키마 버전"] and items["기간"].startswith("2020-01-01 ~ 2020-12-31 (양 끝 날짜 포함")
        assert items["집계 기준"].startswith("도서 기증: 발송한 기증 묶음")
        assert not any(ch.isascii() and ch.isalpha() for ch in "".join(items))  # every item is Korean


# ---------------------------------------------------------------- the overview and the figure sentence


def test_the_overviews_refusals_are_korean(cli, korean):
    from nalcoop import overview

    assert _error(cli("--lang", "ko", "stats", "--year", "2030", ok=False)) == \
        "오류: 2030년은 아직 시작되지 않았습니다(오늘은 2026-11-25). 2026년까지의 연도를 주십시오"
    with pytest.raises(overview.OverviewError, match=r"^기간이 오늘\(2026-11-25\)보다 뒤인 2027-01-01에 시작합니다"):
        overview.span("2027-01-01", "2027-02-01", "2026-11-25")
    assert "2030 has not begun (today is 2026-11-25)" in cli("--lang", "en", "stats", "--year", "2030", ok=False).output


def test_the_sentence_check_says_its_problems_in_korean(cli, ledger, korean):
    from nalcoop import report

    result = cli("--lang", "ko", "report", "sentence", "--as-of", "2020-02-29", "--check",
                 "92개 광역의회와 17개 기초의회", ok=False)
    assert "틀림: 문장에는 광역의회 92곳이라고 되어 있지만, 2020-02-29에 있던 곳은 17곳뿐입니다" in result.output
    assert "오류: 문장에는 기초의회 17곳이라고 되어 있지만, 장부에서 2020-02-29에 협약이 유효한 곳은 0곳입니다" \
        in result.output
    assert report.check_sentence(ledger.conn, "광역의회 3곳", "2020-02-29") == [
        "문장에는 광역의회 3곳이라고 되어 있지만, 장부에서 2020-02-29에 협약이 유효한 곳은 0곳입니다"]
    with pytest.raises(report.ReportError, match="^문장에 점검할 광역의회나 기초의회의 수가 없습니다$"):
        report.check_sentence(ledger.conn, "의회가 많습니다", "2020-02-29")
    english = cli("--lang", "en", "report", "sentence", "--as-of", "2020-02-29", "--check",
                  "92 metropolitan and provincial councils, 17 district councils", ok=False)
    assert "wrong: it says 92 metropolitan and provincial councils, but only 17 existed on 2020-02-29" \
        in english.output


# ---------------------------------------------------------------- the council registry


def test_a_registry_change_is_refused_and_recorded_in_korean(cli):
    twice = cli("--lang", "ko", "registry", "merge", "종로구의회", "종로구", "--into", "종로구", "--date", "2025-01-01",
                "--source", "고시", "--yes", ok=False)
    assert twice.exit_code == 1
    assert _error(twice) == "오류: 통합에 같은 의회가 두 번 나옵니다. 의회마다 한 번씩만 주십시오"
    province = cli("--lang", "ko", "registry", "create", "새구", "--type", "gu", "--date", "2025-01-01",
                   "--source", "고시", ok=False)
    assert _error(province) == "오류: 새 구(새구)에는 속할 시·도를 --province로 주어야 합니다"
    cli("--lang", "ko", "registry", "recode", "중랑구", "--code", "11998", "--date", "2025-01-01", "--source", "고시")
    later = cli("--lang", "ko", "registry", "recode", "중랑구", "--code", "11997", "--date", "2024-12-01",
                "--source", "고시", ok=False)
    assert _error(later) == ("오류: 중랑구의회에는 2024-12-01보다 뒤인 2025-01-01 날짜의 변경이 이미 있습니다. "
                             "의회 명부의 변경은 날짜 순서대로 기록하십시오")
    changes = cli("--lang", "ko", "registry", "changes", "--format", "csv").stdout
    assert "서울특별시 중랑구의회: 코드 11260 → 11998" in changes  # the description, written in Korean
    english = cli("--lang", "en", "registry", "merge", "종로구의회", "종로구", "--into", "종로구",
                  "--date", "2025-01-01", "--source", "고시", "--yes", ok=False)
    assert _error(english) == "Error: the same council is named twice in the merger; name each council once"


def test_the_registry_speaks_korean_as_a_function(ledger, korean):
    from nalcoop import registry

    seoul, jongno = registry.resolve(ledger.conn, "서울"), registry.resolve(ledger.conn, "종로구")
    with ledger.command("test", "tester"):
        with pytest.raises(registry.RegistryError, match="^서울특별시의회에는 아직 기초의회 25곳이 속해 있습니다"):
            registry.abolish(ledger.conn, seoul, "2025-01-01", "고시")
        with pytest.raises(registry.RegistryError, match="^서울특별시의회은\\(는\\) 광역의회입니다"):
            registry.move(ledger.conn, seoul, "경기", "2025-01-01", "고시")
        with pytest.raises(registry.RegistryError, match="^의회 명부의 변경에는 모두 근거"):
            registry.rename(ledger.conn, jongno, "새종로구", "2025-01-01", " ")
    i18n.set_language("en")
    with ledger.command("test", "tester"), pytest.raises(registry.RegistryError, match="^서울특별시의회 still has 25 "
                                                                                        "basic councils; move or"):
        registry.abolish(ledger.conn, seoul, "2025-01-01", "notice")


# ---------------------------------------------------------------- names, identifiers, countries, closed lists


def test_a_name_not_found_or_shared_is_said_in_korean(cli, ledger, korean):
    from nalcoop.network import NotFound, resolve_org

    missing = cli("--lang", "ko", "network", "org", "edit", "한국법제원", "--note", "x", ok=False)
    assert _error(missing).startswith("오류: '한국법제원'(이)라는 기관이 없습니다. ")
    assert _error(missing).endswith("(`nalcoop network org list`로 목록을 볼 수 있습니다)")
    shared = cli("--lang", "ko", "network", "org", "edit", "도서관", "--note", "x", ok=False)
    assert _error(shared).startswith("오류: '도서관'에 해당하는 기관이 4개입니다: 국회도서관; ")
    with pytest.raises(NotFound, match="^기관 이름이 비어 있습니다"):
        resolve_org(ledger.conn, " ")
    english = cli("--lang", "en", "network", "org", "edit", "한국법제원", "--note", "x", ok=False)
    assert _error(english).startswith("Error: no organization is called '한국법제원'; did you mean ")


def test_isbn_issn_and_country_errors_are_korean(cli, korean):
    from nalcoop import countries
    from nalcoop.identifiers import IdentifierError, normalize_isbn, normalize_issn

    wrong = cli("--lang", "ko", "distribute", "publication", "add", "테스트", "--frequency", "monthly", "--issn",
                "1228-4735", ok=False)
    assert _error(wrong) == ("오류: '1228-4735'은(는) 올바른 ISSN이 아닙니다. "
                             "체크 숫자가 틀렸습니다(입력: 5, 올바른 값: 4). 번호를 확인하십시오")
    country = cli("--lang", "ko", "distribute", "recipient", "add", "Test Library", "--country", "Japn", "--type",
                  "other", ok=False)
    assert _error(country).startswith("오류: 'Japn'은(는) nalcoop이 아는 국가가 아닙니다. 일본 (JP)을(를) 뜻했습니까?")
    with pytest.raises(IdentifierError, match="^'978-89-374-6044-8'은\\(는\\) 올바른 ISBN이 아닙니다"):
        normalize_isbn("978-89-374-6044-8")
    with pytest.raises(IdentifierError, match="^'12'은\\(는\\) ISSN이 아닙니다"):
        normalize_issn("12")
    with pytest.raises(countries.CountryError, match="^국가가 비어 있습니다"):
        countries.country(" ")
    english = cli("--lang", "en", "distribute", "recipient", "add", "Test Library", "--country", "Japn", "--type",
                  "other", ok=False)
    assert "'Japn' is not a country nalcoop knows; did you mean Japan (JP)?" in english.output


def test_a_closed_list_names_itself_and_joins_its_words_in_the_language_of_the_run(korean):
    from nalcoop.i18n import N_
    from nalcoop.network import ORG_TYPES, NetworkError
    from nalcoop.registry import KINDS, LEVELS

    with pytest.raises(NetworkError, match=r"^기관 유형 'x'은\(는\) library\(도서관\), university\(대학\), "):
        ORG_TYPES.check("x", N_("organization type"), NetworkError)
    assert KINDS.listing() == "province, si, gun 또는 gu"
    assert KINDS.listing("and") == "province, si, gun 및 gu"
    assert LEVELS.choices() == "provincial(광역의회) 또는 basic(기초의회)"
    i18n.set_language("en")
    assert KINDS.listing() == "province, si, gun or gu" and LEVELS.choices() == "provincial or basic"
    with pytest.raises(NetworkError, match="^organization type 'x' is not one of library, university, "):
        ORG_TYPES.check("x", N_("organization type"), NetworkError)
    assert KINDS.help().startswith("province (시·도: a metropolitan city or province), si (시)")  # help: English


# ---------------------------------------------------------------- publish, serve, and an unknown language


def test_publish_says_what_it_did_in_korean(cli, tmp_path):
    done = cli("--lang", "ko", "publish", str(tmp_path / "copy.db"))
    assert f"의 공개본을 {tmp_path / 'copy.db'}에 썼습니다(개인정보 없음, " in done.output
    itself = cli("--lang", "ko", "publish", str(cli.db_path), ok=False)
    assert _error(itself) == f"오류: {cli.db_path}은(는) 장부 파일 자체입니다. 공개본에는 다른 파일 이름을 주십시오"
    english = cli("--lang", "en", "publish", str(cli.db_path), ok=False)
    assert _error(english) == (f"Error: {cli.db_path} is the ledger itself; give another file name for the "
                               "published copy")


def test_an_unknown_language_is_said_in_every_language_nalcoop_speaks(cli):
    result = cli("--lang", "fr", "info", ok=False)
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "--lang: 'fr'은(는) nalcoop이 쓰는 언어가 아닙니다. ko, en 중 하나를 주십시오 / " \
           "--lang: 'fr' is not a language nalcoop speaks; choose one of ko, en" in result.output
    with pytest.raises(i18n.LanguageError, match="^NALCOOP_LANG: 'de'은"):
        i18n.checked("de", "NALCOOP_LANG")


# ---------------------------------------------------------------- names: the particle of a fixed noun


def test_a_name_not_found_or_found_twice_takes_the_particle_of_its_noun(korean):
    from nalcoop.errors import NalcoopError
    from nalcoop.names import Lookup, name_key, pick

    def names(text):
        return [name_key(text)]

    with pytest.raises(NalcoopError, match="'klc'\\(이\\)라는 협의체가 없습니다"):
        pick("body", "klc", [], str, "nalcoop network body list", names)
    with pytest.raises(NalcoopError, match="'xyz'\\(이\\)라는 행사가 없습니다"):
        pick("event", "xyz", ["국회도서관 세미나"], str, "nalcoop network list", names)
    twice = Lookup("organization", ["고려대학교 도서관", "고려대학교 법학도서관"], str, "nalcoop network org list",
                   names, plural="organizations")
    with pytest.raises(NalcoopError, match="'고려대'에 해당하는 기관이 2개입니다"):
        twice.find("고려대")
    i18n.set_language("en")
    with pytest.raises(NalcoopError, match="'고려대' matches 2 organizations"):
        twice.find("고려대")

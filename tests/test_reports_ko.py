"""Issue 17: what an import reports row by row, where it says a bad cell is, what a written file or a table that
did not fit says, and the label layouts' errors read in the run's language (Korean by default, English with
`--lang en`; the suite runs in English, tests/conftest.py)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest

from nalcoop import dates, i18n, progress
from nalcoop.importer import FieldSpec, counted, row_detail
from nalcoop.importer.records import CellProblem

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language(None)


def _bad_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "목록"
    sheet.append(["의회명", "협약일", "체결방식"])
    sheet.append(["종로구의회", "2020. 2. 30.", "우편"])
    book.save(path)
    return path


# --- through the command line


def test_an_import_reports_its_header_rows_and_totals_in_korean(cli, tmp_path):
    sample = shutil.copy(EXAMPLES / "councils-sample.xlsx", tmp_path / "councils.xlsx")
    done = cli("--lang", "ko", "agreement", "import", str(sample), "--dry-run")
    assert "councils.xlsx, 시트 협약현황: 머리글 4행; 시도 → 시도, 의회명 → 의회명, 구분 → 의회 구분" in done.output
    assert "  5행: 서울특별시의회 — 추가 (협약 요청, 협의, 체결)" in done.output
    assert ("시험 실행이라 아무것도 쓰지 않았습니다. 실행하면: 추가 45건, 변경 0건, 변경 없음 0건, "
            "거부 0건") in done.output
    english = cli("--lang", "en", "agreement", "import", str(sample), "--dry-run")
    assert "councils.xlsx, sheet 협약현황: header on row 4; 시도 → province, 의회명 → council name" in english.output
    assert "  row 5: 서울특별시의회 — created (request, consult, sign)" in english.output
    assert "would be: 45 created, 0 changed, 0 unchanged, 0 rejected" in english.output


def test_a_bad_cell_is_located_and_explained_in_korean(cli, tmp_path):
    path = _bad_workbook(tmp_path / "bad.xlsx")
    wrong = cli("--lang", "ko", "agreement", "import", str(path), ok=False)
    assert wrong.exit_code == 1
    assert ("bad.xlsx, 시트 목록, 2행, B열(협약일): '2020. 2. 30.'은(는) 날짜가 아닙니다. 2020년 2월에는 29일까지만 "
            "있습니다") in wrong.output
    assert "bad.xlsx, 시트 목록, 2행, C열(체결방식): '우편'은(는) 다음 중 하나가 아닙니다: 대면, 서면" in wrong.output
    english = cli("--lang", "en", "agreement", "import", str(path), ok=False)
    assert ("bad.xlsx, sheet 목록, row 2, column B (협약일): '2020. 2. 30.' is not a date: February 2020 has 29 "
            "days") in english.output
    assert "column C (체결방식): '우편' is not one of: exchange, in-person" in english.output


def test_a_recipient_list_reports_each_row_in_korean(cli):
    done = cli("--lang", "ko", "distribute", "recipient", "import", str(EXAMPLES / "recipients-sample.xlsx"))
    assert "머리글 3행; 기관명 → 수령처명, 국가 → 국가, 유형 → 수령처 유형" in done.output
    assert "  4행: Library of Congress (US) — 추가" in done.output
    again = cli("--lang", "ko", "distribute", "recipient", "import", str(EXAMPLES / "recipients-sample.xlsx"))
    assert "추가 0건, 변경 0건, 변경 없음 12건" in again.output


def test_a_written_file_and_a_refused_destination_are_said_in_korean(cli, tmp_path):
    cli("agreement", "request", "종로구의회", "--date", "2020-01-02")
    done = cli("--lang", "ko", "agreement", "list", "-o", str(tmp_path / "a.csv"))
    assert f"행을 {tmp_path / 'a.csv'}에 썼습니다" in done.output
    wrong = cli("--lang", "ko", "agreement", "list", "-o", str(tmp_path), ok=False)
    assert wrong.exit_code == 2 and f"오류: -o {tmp_path}은(는) 폴더입니다. 파일 이름을 주십시오" in wrong.output
    english = cli("--lang", "en", "agreement", "list", "-o", str(tmp_path / "b.csv"))
    assert f"to {tmp_path / 'b.csv'}" in english.output and "wrote " in english.output


def test_an_unknown_label_layout_is_refused_in_korean(cli, tmp_path):
    cli("distribute", "publication", "add", "월간 국회도서관", "--frequency", "monthly")
    cli("distribute", "issue", "add", "월간 국회도서관", "2024-05", "--date", "2024-05-15")
    wrong = cli("--lang", "ko", "distribute", "labels", "월간 국회도서관", "--issue", "2024-05", "-o",
                str(tmp_path / "l.pdf"), "--layout", "no-such-layout", ok=False)
    assert wrong.exit_code != 0
    assert "--layout no-such-layout: 그런 라벨 배치가 없습니다. a4-2x7" in wrong.output


# --- at function level


def test_the_import_words_follow_the_language(korean):
    assert counted({"created": 3, "unchanged": 1}) == "추가 3건, 변경 없음 1건"
    assert row_detail(5, "서울특별시의회", "changed", "비고") == "5행: 서울특별시의회 — 변경 (비고)"
    problem = CellProblem("a.xlsx", "목록", 7, "C (협약일)", "2020-13-01", "날짜가 아닙니다")
    assert str(problem) == "a.xlsx, 시트 목록, 7행, C열(협약일): '2020-13-01': 날짜가 아닙니다"
    spec = FieldSpec("signed", ("signed",), "date", label="signing date", label_ko="협약일")
    assert spec.shown == "협약일"
    i18n.set_language("en")
    assert counted({"created": 3, "unchanged": 1}) == "3 created, 1 unchanged"
    assert str(problem) == "a.xlsx, sheet 목록, row 7, column C (협약일): '2020-13-01': 날짜가 아닙니다"
    assert spec.shown == "signing date"
    assert FieldSpec("x", ("x",), label="my field").shown == "my field"  # a user's map without label_ko


def test_a_date_error_names_the_month_and_the_forms_in_korean(korean):
    with pytest.raises(dates.DateError) as caught:
        dates.parse_date("2021. 2. 29.")
    assert str(caught.value) == "'2021. 2. 29.'은(는) 날짜가 아닙니다. 2021년 2월에는 28일까지만 있습니다"
    with pytest.raises(dates.DateError) as caught:
        dates.parse_date("어제")
    assert "2020년 2월 29일 또는 20200229" in str(caught.value)
    i18n.set_language("en")
    with pytest.raises(dates.DateError) as caught:
        dates.parse_date("2021. 2. 29.")
    assert str(caught.value) == "'2021. 2. 29.' is not a date: February 2021 has 28 days"
    assert dates.accepted_forms() == dates.ACCEPTED_FORMS


def test_an_interruption_is_said_in_korean(korean):
    progress.on_interrupt(None)
    assert progress.interrupted_message() == "중단됨: 아무것도 바뀌지 않았습니다"
    i18n.set_language("en")
    assert progress.interrupted_message() == "interrupted: nothing was changed"


def test_every_shipped_column_map_names_its_fields_in_korean():
    from nalcoop.importer.columns import load_map

    for path in sorted((Path(__file__).resolve().parent.parent / "nalcoop" / "data" / "maps").glob("*.yaml")):
        column_map = load_map(path.stem)
        unnamed = [spec.name for spec in column_map.fields if not spec.label_ko]
        assert unnamed == [], f"{path.name}: fields without label_ko: {unnamed}"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_table_that_does_not_fit_names_what_it_left_out_in_korean(korean, monkeypatch, capsys):
    from nalcoop.render import Column, render

    monkeypatch.setenv("COLUMNS", "60")
    columns = [Column("batch", kind="code", ko="묶음"), Column("library", ko="도서관"),
               Column("planned", kind="date", ko="계획일"), Column("shipped", kind="date", ko="발송일"),
               Column("received", kind="date", ko="수령일"), Column("carrier", ko="운송사")]
    rows = [{"batch": "2026-001", "library": "해바라기작은도서관 제1분관 (신안군 지도읍 어린이 열람실)",
             "planned": "2026-01-02", "shipped": "2026-01-06", "received": "2026-01-09", "carrier": "우체국택배"}]
    render(rows, columns, fmt="table", stream=_Terminal(), title="기증 묶음")
    said = capsys.readouterr().err
    assert said.startswith("60칸 너비에 맞추려고 '") and "열을 뺐습니다. 모든 열은 -f csv나" in said
    assert "'운송사'" in said  # the column's Korean title


def test_a_label_layout_error_is_said_in_korean(korean, tmp_path):
    from nalcoop.errors import UsageError
    from nalcoop.labels import LayoutError, find_layout, load_layout

    with pytest.raises(UsageError) as caught:
        find_layout("no-such-layout")
    assert "그런 라벨 배치가 없습니다" in str(caught.value)
    broken = tmp_path / "mine.yaml"
    broken.write_text("- a list, not a mapping\n", encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        load_layout(broken)
    assert str(caught.value).startswith(f"{broken}: 라벨 배치는 ") and "YAML 매핑이어야 합니다" in str(caught.value)


def test_a_shipped_registry_change_is_described_in_the_run_s_language(cli):
    merger = "광주광역시와 전라남도가 통합하여 전남광주통합특별시(약칭 광주특별시"
    korean = cli("--lang", "ko", "registry", "changes", "-f", "csv").output
    assert merger in korean and "merge into a new" not in korean
    assert merger in cli("--lang", "ko", "info").output
    english = cli("--lang", "en", "registry", "changes", "-f", "csv").output
    assert "광주광역시 and 전라남도 merge into a new 전남광주통합특별시" in english


def test_a_change_recorded_by_hand_keeps_the_words_it_was_written_in(korean):
    from nalcoop.registry import described

    written = "서울특별시 중랑구의회: 코드 11260 → 11998"
    assert described(written, "recorded") == written
    assert described("Council registry typo fixed", "recorded") == "Council registry typo fixed"
    assert described("군위군 moves from 경상북도 to 대구광역시; code 47720 → 27720. The number of basic councils "
                     "stays 226", "shipped").startswith("군위군이 경상북도에서 대구광역시로 편입됩니다")


def test_an_agreement_s_timeline_says_how_each_step_was_taken_in_the_run_s_language(cli):
    cli("agreement", "request", "종로구의회", "--date", "2020-01-02")
    cli("agreement", "sign", "종로구의회", "--date", "2020-03-02", "--mode", "exchange")
    cli("agreement", "follow-up", "종로구의회", "--type", "materials", "--date", "2021-01-01")
    korean = cli("--lang", "ko", "agreement", "show", "종로구의회", "-f", "csv").output
    assert ",체결,체결,서면," in korean and ",후속 활동,체결,발간자료 제공," in korean
    english = cli("--lang", "en", "agreement", "show", "종로구의회", "-f", "csv").output
    assert ",sign,signed,exchange," in english and ",follow-up,signed,materials," in english  # codes in English


def test_the_figure_sentence_is_korean_by_default_and_english_on_request(cli, monkeypatch):
    monkeypatch.delenv("NALCOOP_LANG", raising=False)
    assert cli("report", "sentence", "--as-of", "2020-02-29").output.startswith("2020년 2월 현재 ")
    assert cli("--lang", "en", "report", "sentence", "--as-of", "2020-02-29").output.startswith("As of February 2020")
    assert cli("report", "sentence", "--as-of", "2020-02-29", "--lang", "en").output.startswith("As of February")


def test_statistics_by_country_name_the_countries_in_the_run_s_language(cli):
    cli("distribute", "publication", "add", "월간 국회도서관", "--frequency", "monthly")
    cli("distribute", "issue", "add", "월간 국회도서관", "2024-05", "--date", "2024-05-10")
    cli("distribute", "recipient", "add", "National Diet Library", "--country", "일본", "--type",
        "parliamentary-library", "--address", "1-10-1 Nagatacho, Tokyo")
    cli("distribute", "subscribe", "National Diet Library", "월간 국회도서관", "--from", "2024-01-01")
    cli("distribute", "send", "월간 국회도서관", "--issue", "2024-05", "--date", "2024-05-20")
    args = ("stats", "distribution", "--year", "2024", "--by", "country", "-f", "csv")
    assert "국가,JP 일본," in cli("--lang", "ko", *args).output
    assert "country,JP Japan," in cli("--lang", "en", *args).output
    korean_json = cli("--lang", "ko", "stats", "distribution", "--year", "2024", "--by", "country", "-f", "json")
    assert '"group": "JP Japan"' in korean_json.output  # JSON keeps the data as it is in every language
    by_province = cli("--lang", "ko", "stats", "distribution", "--year", "2024", "--by", "province", "-f", "csv")
    assert ",(국외)," in by_province.output


def test_questions_asked_at_a_terminal_are_korean_and_take_a_counted_answer(cli, monkeypatch):
    from nalcoop.cli import app

    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: True)
    args = ["--db", str(cli.db_path), "--lang", "ko"]
    opened = cli.runner.invoke(app, [*args, "intern", "cohort", "add", "2026-여름", "--from", "2026-07-06", "--to",
                                     "2026-07-31"], input="10명\n90시간\n")
    assert opened.exit_code == 0, opened.output
    assert "정원:" in opened.output and "정원 10명, 이수 시간 90시간" in opened.output
    wrong = cli.runner.invoke(app, [*args, "intern", "cohort", "add", "2026-겨울", "--from", "2027-01-04", "--to",
                                    "2027-01-29"], input="열 명\n")
    assert wrong.exit_code == 2 and "오류: --slots: " in wrong.output and "Traceback" not in wrong.output
    assert wrong.exception is None or isinstance(wrong.exception, SystemExit)
    cli("agreement", "request", "종로구의회", "--date", "2020-01-02")
    asked = cli.runner.invoke(app, [*args, "agreement", "sign", "종로구의회", "--date", "2020-03-02"], input="서면\n")
    assert "체결 방식 (대면 또는 서면):" in asked.output and asked.exit_code == 0, asked.output
    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: False)
    missing = cli("--lang", "ko", "agreement", "consult", "종로구의회", ok=False)
    assert missing.exit_code == 2 and "오류: 옵션 '--date'이(가) 없습니다(단계의 날짜" in missing.output


def test_a_counted_number_that_counts_something_else_is_refused_in_korean(korean):
    from nalcoop.importer.values import whole_number

    with pytest.raises(ValueError) as caught:
        whole_number("3시간", 1, ("권", "부"), "수량")
    assert str(caught.value) == ("수량 '3시간'은(는) 시간이므로 책 권수 또는 부수(으)로 읽을 수 없습니다. "
                                 "3 또는 3권처럼 쓰십시오")
    with pytest.raises(ValueError) as caught:
        whole_number("셋", 1, ("권",), "수량")
    assert str(caught.value) == "'셋'은(는) 정수가 아닙니다"
    i18n.set_language("en")
    with pytest.raises(ValueError) as caught:
        whole_number("3시간", 1, ("권", "부"), "quantity of books")
    assert str(caught.value) == ("the quantity of books '3시간' counts hours, not books or copies; write 3 or 3권")


def test_a_chart_names_its_bars_as_the_table_names_its_groups(cli):
    cli("agreement", "request", "종로구의회", "--date", "2020-01-02")
    cli("agreement", "sign", "종로구의회", "--date", "2020-03-02", "--mode", "exchange")
    korean = cli("--lang", "ko", "stats", "agreements", "--as-of", "2020-12-31", "--by", "level", "--chart").output
    assert "기초의회 " in korean and "광역의회 " in korean and "basic" not in korean
    english = cli("--lang", "en", "stats", "agreements", "--as-of", "2020-12-31", "--by", "level", "--chart").output
    assert "basic " in english


def test_click_s_number_refusals_are_said_in_korean(cli):
    refused = cli("--lang", "ko", "agreement", "due", "--days", "abc", ok=False)
    assert refused.exit_code == 2 and "'abc'은(는) 정수가 아닙니다" in refused.output
    assert "is not a valid" not in refused.output


def test_a_packing_list_to_a_file_of_no_known_kind_names_pdf_first(cli, tmp_path):
    cli("donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "전라남도 신안군")
    cli("donate", "add", "--library", "해바라기작은도서관", "--isbn", "978-89-374-6044-9", "--title", "데미안",
        "--copies", "3", "--outside-stock", "--date", "2024-03-01")
    refused = cli("--lang", "ko", "donate", "packing-list", "2024-001", "-o", str(tmp_path / "p.docx"), ok=False)
    assert refused.exit_code == 2 and "포장 명세서는 .pdf(인쇄해서 서명), .xlsx" in refused.output
    assert not (tmp_path / "p.docx").exists()


def test_korean_words_are_taken_where_a_code_is(cli, korean):
    from nalcoop.interns.purge import retention_cutoff

    assert retention_cutoff("3년", "2026-12-06") == retention_cutoff("3y", "2026-12-06") == "2023-12-06"
    assert retention_cutoff("18개월", "2026-12-06") == retention_cutoff("18m", "2026-12-06")
    assert retention_cutoff("90일", "2026-12-06") == retention_cutoff("90d", "2026-12-06")
    said = cli("--lang", "ko", "report", "sentence", "--about", "기증", "--as-of", "2024-12-31").output
    assert said.startswith("2024년 12월 현재 ")
    assert cli("--lang", "ko", "report", "sentence", "--about", "협약", "--as-of", "2020-02-29").output.startswith(
        "2020년 2월 현재 ")


def test_agreement_show_takes_the_province_its_refusal_of_an_ambiguous_name_asks_for(cli):
    cli("agreement", "request", "광주시의회", "--province", "경기", "--date", "2017-05-24")
    refused = cli("--lang", "ko", "agreement", "show", "광주시의회", ok=False)
    assert "--province 광주 또는 --province 경기" in refused.output
    shown = cli("--lang", "ko", "agreement", "show", "광주시의회", "--province", "경기", "-f", "csv").output
    assert "2017-05-24,1,협약 요청,요청" in shown

"""Issue 17, what a person reads as data: table titles and closed-list values on screen and in CSV/TSV/xlsx
follow the language of the run (Korean labels, Korean column titles); JSON/JSONL keep snake_case keys and codes
in both languages; Hangul lines up in tables at 100 and 120 columns."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from nalcoop import i18n
from nalcoop.commands.agreement import STATUS_COLUMNS
from nalcoop.render import Column, display_width, render


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _agreements(cli):
    cli("agreement", "sign", "서울특별시의회", "--date", "2013-07-01", "--mode", "in-person", "--without-request")
    cli("agreement", "sign", "가평군의회", "--date", "2021-05-20", "--mode", "exchange", "--without-request")
    cli("agreement", "request", "대구 중구", "--date", "2019-03-04", "--ref", "NAL-2019-7")


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_agreement_list_titles_and_values_follow_the_language_and_json_does_not(cli, monkeypatch, lang):
    _agreements(cli)
    monkeypatch.setenv("NALCOOP_LANG", lang)
    header, *rows = _csv(cli("agreement", "list", "--format", "csv").stdout)
    seoul = dict(zip(header, next(row for row in rows if row[0] == "서울특별시의회"), strict=True))
    if lang == "ko":
        assert header[:6] == ["의회명", "시도", "의회 구분", "코드", "상태", "상태 변경일"]
        assert (seoul["의회 구분"], seoul["상태"], seoul["체결 방식"]) == ("광역의회", "체결", "대면")
    else:
        assert header[:6] == ["council", "province", "level", "code", "status", "since"]
        assert (seoul["level"], seoul["status"], seoul["mode"]) == ("provincial", "signed", "in-person")
    records = json.loads(cli("agreement", "list", "--format", "json").stdout)
    monkeypatch.setenv("NALCOOP_LANG", "en" if lang == "ko" else "ko")
    assert json.loads(cli("agreement", "list", "--format", "json").stdout) == records  # the same in both
    assert {record["level"] for record in records} == {"provincial", "basic"}
    assert "council" in records[0] and "inherited_from" in records[0]


# One listing of each group, and the titles its file gets in each language.
LISTINGS = [
    ("agreement", "list"), ("donate", "library", "list"), ("distribute", "recipient", "list"),
    ("network", "org", "list"), ("intern", "list"), ("registry", "changes"),
]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("command", LISTINGS, ids=[" ".join(c) for c in LISTINGS])
def test_every_group_s_listing_has_its_titles_in_the_language_of_the_run(cli, monkeypatch, tmp_path, command, lang):
    from openpyxl import load_workbook

    monkeypatch.setenv("NALCOOP_LANG", lang)
    header = _csv(cli(*command, "--format", "tsv").stdout.replace("\t", ","))[0]
    cli(*command, "-o", str(tmp_path / "out.xlsx"))
    in_xlsx = [cell.value for cell in next(load_workbook(tmp_path / "out.xlsx").active.iter_rows(max_row=1))]
    assert header == in_xlsx
    hangul = [title for title in header if any("가" <= ch <= "힣" for ch in title)]
    if lang == "ko":
        assert len(hangul) >= len(header) - 2, header  # ISBN, ISSN and the like stay as they are
    else:
        assert not hangul, header


def test_a_column_title_and_its_values_follow_the_language_at_function_level(monkeypatch):
    from nalcoop.agreements import MODES

    column = Column("mode", "signing mode", ko="체결 방식", terms=MODES)
    monkeypatch.setenv("NALCOOP_LANG", "ko")
    assert (column.title, column.shown("exchange"), column.shown("not a code"), column.shown(None)) == \
        ("체결 방식", "서면", "not a code", None)
    i18n.set_language("en")
    try:
        assert (column.title, column.shown("exchange")) == ("signing mode", "exchange")
    finally:
        i18n.set_language(None)


@pytest.mark.parametrize("width", [100, 120])
def test_korean_tables_line_up_within_100_and_120_columns(cli, monkeypatch, width):
    """Hangul takes two columns: every line of the table is as wide as the others, within the terminal."""
    _agreements(cli)
    rows = json.loads(cli("agreement", "list", "--format", "json").stdout)
    for row in rows:  # a long note, to make the table wrap or leave columns out
        row["inherited_from"] = "광주광역시의회와 전라남도의회의 통합으로 승계한 업무협약 (2026년 7월 1일 시행)"
    monkeypatch.setenv("NALCOOP_LANG", "ko")
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("LINES", "50")
    screen = _Terminal()
    render(rows, STATUS_COLUMNS, fmt="table", stream=screen, title="협약 현황")
    shown = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())  # the bold of the header row
    lines = [line for line in shown.splitlines() if line[:1] in "┏┃┡│└"]
    assert lines and all(display_width(line) <= width for line in lines)
    assert len({display_width(line) for line in lines}) == 1
    assert "의회명" in lines[1] and "광역의회" in shown and "체결" in shown


def _charts(sheet) -> list[tuple[str, str, str]]:
    def text(title):
        return title.tx.rich.p[0].r[0].t if title is not None and title.tx.rich.p[0].r else \
            "".join(run.t for paragraph in title.tx.rich.p for run in (paragraph.r or []))
    return [(text(chart.title), text(chart.x_axis.title), text(chart.y_axis.title)) for chart in sheet._charts]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_annual_workbook_reads_in_korean_by_default_and_english_on_request(cli, monkeypatch, tmp_path, lang):
    from openpyxl import load_workbook

    _agreements(cli)
    if lang == "ko":
        monkeypatch.delenv("NALCOOP_LANG")  # no environment: Korean
    path = tmp_path / "r.xlsx"
    cli("report", "annual", "2021", "-o", str(path))
    workbook = load_workbook(path)
    summary, agreements, in_force = workbook["요약" if lang == "ko" else "Summary"], workbook.worksheets[1], \
        workbook.worksheets[2]
    if lang == "ko":
        assert workbook.sheetnames == ["요약", "업무협약", "협약 현황", "도서 기증", "자료 발송", "법률정보 협력망",
                                       "현장실습", "출처"]
        assert summary["A1"].value == "2021년 국내협력 실적 요약"
        assert [cell.value for cell in summary[4]][:4] == ["업무", "지표", "구분", "값"]
        rows = [[cell.value for cell in row] for row in summary.iter_rows(min_row=5)]
        assert ["지방의회 업무협약", "협약 기관 수", "광역의회"] in [row[:3] for row in rows]
        assert [cell.value for cell in in_force[4]][:4] == ["구분", "항목", "의회 수", "협약 기관 수"]
        assert _charts(agreements) == [("연도별 협약 체결 건수", "연도", "체결")]
        assert _charts(in_force) == [("시·도별 협약 기관 수(2021-12-31 기준)", "시·도", "협약 기관 수")]
        assert workbook["현장실습"]["A1"].value == "2021년 현장실습"
    else:
        assert workbook.sheetnames == ["Summary", "Agreements", "In force", "Donations", "Distribution", "Network",
                                       "Interns", "Sources"]
        assert [cell.value for cell in summary[4]][:4] == ["activity", "measure", "dimension", "value"]
        rows = [[cell.value for cell in row] for row in summary.iter_rows(min_row=5)]
        assert ["agreements", "in force", "provincial"] in [row[:3] for row in rows]
        assert _charts(agreements) == [("Agreements signed per year", "year", "signed")]
        assert workbook["Interns"]["A1"].value == "Practical apprenticeship, 2021 (현장실습)"
    texts = [str(cell.value) for sheet in workbook.worksheets[:-1] for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert not any("실무수습" in text for text in texts)


def test_stats_table_shows_korean_dimensions_groups_and_titles(cli, monkeypatch):
    _agreements(cli)
    monkeypatch.setenv("NALCOOP_LANG", "ko")
    header, *rows = _csv(cli("stats", "agreements", "--as-of", "2021-12-31", "--format", "csv").stdout)
    assert header[:4] == ["구분", "항목", "의회 수", "협약 기관 수"]
    assert rows[0][:2] == ["합계", "전체 의회"] and rows[1][:2] == ["의회 구분", "광역의회"]
    monkeypatch.setenv("NALCOOP_LANG", "en")
    rows = _csv(cli("stats", "agreements", "--as-of", "2021-12-31", "--format", "csv").stdout)[1:]
    assert rows[0][:2] == ["total", "all councils"] and rows[1][:2] == ["level", "provincial"]


def test_a_moment_is_shown_in_local_time_with_its_offset(monkeypatch):
    import time

    from nalcoop.dates import shown_time

    monkeypatch.setenv("TZ", "Asia/Seoul")
    time.tzset()
    try:
        assert shown_time("2026-12-06T01:19:42+00:00") == "2026-12-06 10:19 +09:00"
        assert shown_time("2026-12-06T01:19:42Z") == shown_time("2026-12-06T01:19:42") == "2026-12-06 10:19 +09:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()

"""The canned queries of the web view: the questions people ask, answered by the activities' own `stats`.

A canned query's SQL calls one SQL function, `nalcoop_figures(activity, dimensions, from, to, day)`, which the
web view's plugin registers on every connection to the published copy. The function runs the activity's own
`stats(conn, by, span)` (the very function `nalcoop stats` runs) on that copy and returns its rows as JSON,
which the query spreads into columns with SQLite's json_each. So the figures of a canned query and of
`nalcoop stats` for the same day are the same by construction, for any day or period typed in the page, and
no second definition of "in force" or "reached" exists to drift.

(The other ways were weighed: the statistics are not one SQL text each — agreements in force add the
successor rule of merged councils, network reach counts distinct people in Python — so a shared SQL constant
would have meant rewriting them; tables computed in advance could only hold the days chosen in advance.)

No Datasette here: `nalcoop publish` and the tests use it without the web extra.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

FUNCTION = "nalcoop_figures"


@dataclass(frozen=True)
class Canned:
    """One canned query: a statistic of an activity for a day (`day`, parameter :as_of) or a period
    (:from and :to), grouped by each of `dimensions` in turn under one total (as `nalcoop stats` prints a
    day table without --by)."""
    name: str
    activity: str
    dimensions: tuple[str, ...]
    day: bool
    title: dict[str, str]
    description: dict[str, str]

    @property
    def parameters(self) -> tuple[str, ...]:
        return ("as_of",) if self.day else ("from", "to")


CANNED: tuple[Canned, ...] = (
    Canned("agreements_in_force", "agreements", ("level", "province"), True,
           {"ko": "기준일 현재 업무협약 체결 현황 (의회 구분별·시도별, 체결률)",
            "en": "Agreements in force as of a day, by level and province, with coverage"},
           {"ko": "기준일(as_of, 예: 2020-02-29)이 끝날 때 체결 상태인 협약을, 그날 있던 의회 수와 함께 셉니다. "
                  "nalcoop stats agreements --as-of 와 같은 수치입니다. 비우면 오늘.",
            "en": "Agreements in force at the end of the day (as_of, e.g. 2020-02-29), beside the councils that "
                  "existed then: the figures of nalcoop stats agreements --as-of. Empty: today."}),
    Canned("agreement_steps", "agreements", ("level", "province", "year"), False,
           {"ko": "기간 중 협약 진행 (요청·협의·체결 …, 의회 구분별·시도별·연도별)",
            "en": "Agreement steps in a period (requests, signings …) by level, province and year"},
           {"ko": "from 부터 to 까지(둘 다 포함) 이루어진 협약 단계. from 을 비우면 처음부터, to 를 비우면 오늘까지.",
            "en": "Steps taken from `from` to `to`, both inclusive. Empty from: since the beginning; empty to: "
                  "up to today."}),
    Canned("books_donated", "donations", ("year", "province", "region"), False,
           {"ko": "기증 도서 (연도별·시도별·지역별)", "en": "Books donated by year, province and region"},
           {"ko": "기간 중 발송된 기증 묶음의 책, 묶음, 기관 수. nalcoop stats donations 와 같은 수치입니다.",
            "en": "Books, batches and sites of the batches shipped in the period: the figures of nalcoop stats "
                  "donations."}),
    Canned("copies_sent", "distribution", ("year", "country"), False,
           {"ko": "자료 발송 부수 (연도별·국가별)", "en": "Copies sent by year and country"},
           {"ko": "기간 중 발송한 자료의 발송 횟수, 소포, 부수, 수령처, 반송.",
            "en": "Runs, parcels, copies, recipients and returns of what was sent in the period."}),
    Canned("network_attendance", "network", ("year", "kind"), False,
           {"ko": "법률정보 협력망 행사 참석 (연도별·종류별)", "en": "Network attendance by year and kind of event"},
           {"ko": "기간 중 행사, 참석, 참여 인원과 기관, 교육 시간, 수료.",
            "en": "Events, attendances, people and organizations reached, training hours and completions in the "
                  "period."}),
    Canned("interns_by_cohort", "interns", ("cohort",), False,
           {"ko": "현장실습 기수별 현황", "en": "Interns by cohort"},
           {"ko": "기간 중 시작한 기수의 지원, 선발, 배치, 수료, 중도 포기, 실습 시간.",
            "en": "Applicants, accepted, placed, completed, dropped and hours of the cohorts that began in the "
                  "period."}),
)


def statistic_of(canned: Canned):
    """The activity's Statistic a canned query shows (its columns, its dimensions' labels)."""
    from nalcoop.activities import named

    statistics = named(canned.activity).load_module().STATISTICS
    return next(s for s in statistics if s.day) if canned.day else statistics[0]


def sql_of(canned: Canned) -> str:
    """The canned query's SQL: the function's JSON rows spread into the statistic's columns."""
    columns = ",\n       ".join(f"json_extract(value, '$.{column.key}') as \"{column.key}\""
                                for column in statistic_of(canned).columns)
    span = "'', :as_of, 1" if canned.day else ":from, :to, 0"
    return (f"select {columns}\nfrom json_each({FUNCTION}('{canned.activity}', "
            f"'{' '.join(canned.dimensions)}', {span}))")


def _day(value: object, name: str) -> str | None:
    from nalcoop.dates import DateError, parse_date

    if value is None or str(value).strip() == "":
        return None
    try:
        return parse_date(str(value)).isoformat()
    except DateError as exc:
        raise ValueError(f"{name}: {exc}") from None


def figures(conn: sqlite3.Connection, activity: str, dimensions: list[str], start: str | None, end: str | None,
            day: bool) -> list[dict]:
    """The rows `nalcoop stats ACTIVITY` gives: for a `day`, the state at the end of `end` (default today);
    else what happened from `start` (default: the beginning) to `end` (default today); grouped by the first
    dimension under the total, then by each other dimension."""
    from nalcoop.activities import named
    from nalcoop.breakdown import Span, open_start
    from nalcoop.dates import today

    module = named(activity).load_module()
    start, end = _day(start, "from"), _day(end, "as_of" if day else "to") or today().isoformat()
    span = Span.as_of(end) if day else Span.during(start, end)
    rows = module.stats(conn, dimensions[0], span).rows()
    for other in dimensions[1:]:
        rows += module.stats(conn, other, span).groups
    return open_start(rows)


def connect_copy(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a published copy, as the statistics read a ledger (rows by name)."""
    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def function_for(path: str | Path):
    """`nalcoop_figures(activity, dimensions, from, to, day)` over the published copy at `path`: JSON rows."""
    def nalcoop_figures(activity, dimensions, start, end, day):
        conn = connect_copy(path)
        try:
            rows = figures(conn, str(activity), str(dimensions).split(), start, end, bool(day))
        finally:
            conn.close()
        return json.dumps(rows, ensure_ascii=False)
    return nalcoop_figures

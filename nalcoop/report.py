"""What goes into NAL's annual report and onto its web pages: the annual workbook's sheets and the
figure sentences, from each activity's own statistics functions (see overview.py)."""

from __future__ import annotations

import re
import sqlite3

from nalcoop import activities
from nalcoop.breakdown import Span
from nalcoop.dates import day_after, month_written, written
from nalcoop.errors import NalcoopError, UsageError
from nalcoop.i18n import _
from nalcoop.overview import Figures, overview, year_period
from nalcoop.registry import LEVELS
from nalcoop.render import Column, SheetSpec
from nalcoop.vocabulary import Gathered, Term, Vocabulary, joined


class ReportError(NalcoopError):
    pass


# The overview's tidy columns (`nalcoop stats` and the workbook's summary); each activity's own columns are
# declared beside its queries (its STATISTICS).
COLUMNS = {
    "overview": [Column("activity", ko="업무", terms=activities.LABELS),
                 Column("measure", ko="지표", terms=Gathered(activities.measures)),
                 Column("dimension", ko="구분", terms=joined("overview dimension", LEVELS, Term("all", "전체", "all"))),
                 Column("value", kind="float", ko="값"),
                 Column("previous", kind="float", ko="전년"), Column("change", kind="float", ko="증감"),
                 Column("change_pct", "change %", kind="percent", ko="증감률(%)"),
                 Column("from", kind="date", ko="시작일"),
                 Column("to", kind="date", ko="종료일"), Column("as_of", "as of", kind="date", ko="기준일"),
                 Column("compared_with", "compared with", ko="비교 기간")],
}


def annual_sheets(conn: sqlite3.Connection, year: int, sources: list[tuple[str, str]],
                  today: str | None = None) -> list[SheetSpec]:
    """The annual report workbook for `year`: a summary with the year before beside it, each activity's
    sheets (its `report_sheets`: its figures for the year by its natural dimensions, with a chart), and
    the sources. Each group's figures are computed once (the summary and the sheets share them)."""
    from nalcoop import activities

    period = year_period(year, today)
    figures = Figures(conn)
    summary = overview(figures, period, compare=True)
    heading = _("Domestic Cooperation {year} — summary").format(year=year)
    sheets = [SheetSpec(_("Summary"), heading,
                        _("{period} beside {previous}: what happened in the period; in force and members at the end of "
                          "{end}").format(period=period.label, previous=period.previous().label, end=period.end),
                        summary, COLUMNS["overview"], landscape=True)]
    for activity in activities.ACTIVITIES:
        sheets += activity.load("report_sheets")(figures, period)
    return [*sheets, SheetSpec(_("Sources"), _("Where these figures come from"), _("Sources"),
                               [{"item": item, "value": value} for item, value in sources],
                               [Column("item", ko="항목"), Column("value", ko="값")])]


# ---------------------------------------------------------------- figure sentences

TOPICS = Vocabulary("sentence topic", [  # what a figure sentence is about; --about takes the code or the word
    Term("agreements", "업무협약", "agreements", aliases=("협약",)),
    Term("donations", "도서 기증", "donations", aliases=("기증",)),
])
LANGUAGES = ("en", "ko")


def _when(as_of: str, lang: str) -> str:
    """"February 2020" for the last day of a month (how the web page dates its figures), else the day."""
    month_end = day_after(as_of)[8:] == "01"
    return month_written(as_of, lang) if month_end else written(as_of, lang)


def agreement_figures(conn: sqlite3.Connection, as_of: str) -> dict[str, dict]:
    """{level: {"in_force": n, "councils": m}} from agreements.stats_as_of: the numbers can only be
    counted under the level the registry gives each council, so they can never change places."""
    from nalcoop import agreements

    return {row["group"]: {"in_force": row["in_force"], "councils": row["councils"]}
            for row in agreements.stats(conn, "level", Span.as_of(as_of)).groups}


def sentence(conn: sqlite3.Connection, topic: str, as_of: str, lang: str = "en") -> str:
    topic, lang = TOPICS.lookup(topic) or topic.strip().casefold(), lang.strip().casefold()
    if lang not in LANGUAGES:
        raise UsageError(_("--lang: '{lang}' is not one of {choices} (English or Korean)").format(
            lang=lang, choices=", ".join(LANGUAGES)))
    if topic not in TOPICS:
        raise UsageError(_("--about: '{topic}' is not one of {choices} (the sentences there are)").format(
            topic=topic, choices=TOPICS.choices(None)))
    when = _when(as_of, lang)
    if topic == "agreements":
        figures = agreement_figures(conn, as_of)
        provincial, basic = figures["provincial"]["in_force"], figures["basic"]["in_force"]
        if lang == "ko":
            if not provincial + basic:
                return f"{when} 현재 국회도서관과 업무협약을 체결한 지방의회는 없습니다."
            return (f"{when} 현재 광역의회 {provincial:,}곳, 기초의회 {basic:,}곳과 "
                    "업무협약을 체결하였습니다.")
        if not provincial + basic:
            return f"As of {when}, no agreements have been concluded with local councils."
        return (f"As of {when}, agreements have been concluded with {provincial:,} metropolitan and provincial "
                f"council{'s' if provincial != 1 else ''} and {basic:,} district council{'s' if basic != 1 else ''}.")
    from nalcoop import donations

    by_year = donations.stats(conn, "year", Span.during(None, as_of)).rows()
    total = by_year[0]
    if lang == "ko":
        if not total["books"]:
            return f"{when} 현재 기증한 도서는 없습니다."
        return (f"{by_year[1]['group']}년부터 {when}까지 정보·문화 소외지역 도서관 {total['sites']:,}곳에 "
                f"도서 {total['books']:,}권을 기증하였습니다.")
    if not total["books"]:
        return f"As of {when}, no books have been donated."
    books = f"{total['books']:,} books have" if total["books"] != 1 else "1 book has"
    return (f"Since {by_year[1]['group']}, {books} been donated to {total['sites']:,} "
            f"librar{'ies' if total['sites'] != 1 else 'y'} in culturally underserved areas (as of {when}).")


_CLAIMS = {  # (number first, number after) for each level, English and Korean wordings
    "provincial": (r"(\d[\d,]*)\s*(?:개\s*)?(?:metropolitan|provincial|광역|시[·ㆍ.,/]?\s*도\s*의회)",
                   r"(?:광역(?:지방)?의회|광역|시[·ㆍ.,/]?\s*도\s*의회)\s*(\d[\d,]*)"),
    "basic": (r"(\d[\d,]*)\s*(?:개\s*)?(?:district|basic|기초|시[·ㆍ.,/]?\s*군[·ㆍ.,/]?\s*구\s*의회)",
              r"(?:기초(?:지방)?의회|기초|시[·ㆍ.,/]?\s*군[·ㆍ.,/]?\s*구\s*의회)\s*(\d[\d,]*)"),
}


def check_sentence(conn: sqlite3.Connection, text: str, as_of: str) -> list[str]:
    """What a sentence about agreements gets wrong against the ledger on `as_of`: a number of
    provincial-level councils larger than there were (92 of 17), numbers under the wrong levels
    (swapped), or a number that is simply not the ledger's. An empty list: the sentence agrees."""
    figures = agreement_figures(conn, as_of)
    claims: dict[str, int] = {}
    for level, patterns in _CLAIMS.items():
        for pattern in patterns:
            found = re.search(pattern, text, flags=re.IGNORECASE)
            if found:
                claims[level] = int(found.group(1).replace(",", ""))
                break
    if not claims:
        raise ReportError(_("the sentence names no number of metropolitan/provincial (광역) or district (기초) "
                            "councils to check"))
    problems = []
    # TRANSLATORS: the councils of each level, as a sentence about agreements counts them ("92 ... councils")
    names = {"provincial": _("metropolitan and provincial councils"), "basic": _("district councils")}
    for level, claimed in claims.items():
        existing = figures[level]["councils"]
        if claimed > existing:
            problems.append(_("it says {claimed} {councils}, but only {existing} existed on {day}").format(
                claimed=claimed, councils=names[level], existing=existing, day=as_of))
    if set(claims) == {"provincial", "basic"} and claims["provincial"] == figures["basic"]["in_force"] \
            and claims["basic"] == figures["provincial"]["in_force"] and claims["provincial"] != claims["basic"]:
        problems.append(_("the two numbers are swapped: the ledger has {provincial} metropolitan and provincial and "
                          "{basic} district councils with an agreement in force on {day}").format(
            provincial=figures["provincial"]["in_force"], basic=figures["basic"]["in_force"], day=as_of))
    else:
        for level, claimed in claims.items():
            if claimed != figures[level]["in_force"] and claimed <= figures[level]["councils"]:
                problems.append(_("it says {claimed} {councils}; the ledger has {in_force} with an agreement in force "
                                  "on {day}").format(claimed=claimed, councils=names[level],
                                                     in_force=figures[level]["in_force"], day=as_of))
    return problems

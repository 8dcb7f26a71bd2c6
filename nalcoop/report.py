"""What goes into NAL's annual report and onto its web pages: the annual workbook's sheets and the
figure sentences, from each activity's own statistics functions (see overview.py)."""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3

from nalcoop.dates import day_after
from nalcoop.errors import NalcoopError, UsageError
from nalcoop.overview import Figures, every_step, overview, year_period
from nalcoop.registry import BEGINNING
from nalcoop.render import ChartSpec, Column, SheetSpec


class ReportError(NalcoopError):
    pass


def _int(key: str, header: str | None = None) -> Column:
    return Column(key, header, kind="int")


_SPAN = [Column("from", kind="date"), Column("to", kind="date")]
# The columns of each activity's statistics, for `nalcoop stats ACTIVITY` and the annual report alike.
COLUMNS = {
    "overview": [Column("activity"), Column("measure"), Column("dimension"), Column("value", kind="float"),
                 Column("previous", kind="float"), Column("change", kind="float"),
                 Column("change_pct", "change %", kind="percent"), *_SPAN, Column("as_of", "as of", kind="date"),
                 Column("compared_with", "compared with")],
    "agreement steps": [Column("dimension"), Column("group"), _int("requested"), _int("consultations"),
                        _int("signed"), _int("renewed"), _int("follow_ups", "follow-ups"), _int("withdrawn"),
                        _int("terminated"), *_SPAN],
    "in force": [Column("dimension"), Column("group"), _int("councils"), _int("in_force", "in force"),
                 Column("coverage", "coverage %", kind="percent"), _int("requested"),
                 _int("consultation", "in consultation"), Column("as_of", "as of", kind="date")],
    "donations": [Column("by"), Column("group"), _int("batches"), _int("books"), _int("sites"), *_SPAN],
    "distribution": [Column("by"), Column("group"), _int("runs"), _int("parcels"), _int("copies"),
                     _int("recipients"), _int("returned"), Column("returns_rate", "returns %", kind="percent"),
                     *_SPAN],
    "standing lists": [Column("by"), Column("group"), _int("recipients"), _int("subscriptions"),
                       _int("copies", "copies per issue"), Column("as_of", "as of", kind="date")],
    "network": [Column("by"), Column("group"), _int("events"), _int("attended"), _int("people", "people reached"),
                _int("organizations", "orgs reached"), _int("first_time", "first-time orgs"),
                Column("course_hours", "training hours", kind="float"),
                Column("trainee_hours", "trainee hours", kind="float"), _int("completed"), *_SPAN],
    "members": [Column("body"), Column("by"), Column("group"), _int("members"), Column("as_of", "as of", kind="date")],
    "interns": [Column("by"), Column("group"), _int("applicants"), _int("accepted"),
                Column("acceptance_rate", "accepted %", kind="percent"), _int("placed"), _int("completed"),
                _int("dropped"), _int("withdrawn"), Column("hours", kind="float"), *_SPAN],
}


def open_start(rows: list[dict]) -> list[dict]:
    """A period that begins at the beginning of time has no first day to show."""
    for row in rows:
        if row.get("from") == BEGINNING:
            row["from"] = None
    return rows


def annual_sheets(conn: sqlite3.Connection, year: int, sources: list[tuple[str, str]],
                  today: str | None = None) -> list[SheetSpec]:
    """The annual report workbook for `year`: a summary with the year before beside it, a sheet per
    activity (its figures for the year by its natural dimensions in one table, with a chart), the
    agreements in force at the end of the year, and the sources. Each group's figures are computed
    once (the summary and the sheets share them)."""
    from nalcoop import agreements, distribution, donations, interns, network

    period = year_period(year, today)
    start, end = period.start, period.end
    figures = Figures(conn)
    summary = overview(figures, period, compare=True)
    history = open_start(every_step(figures(agreements.stats_period, BEGINNING, end, "year"), "dimension",
                                    BEGINNING, end))
    shipped = figures(donations.stats, "province", start, end) + figures(donations.stats, "type", start, end)[1:]
    sent = [row for by in ("country", "type", "publication")
            for row in figures(distribution.stats_period, by, start, end)[0 if by == "country" else 1:]]
    events = figures(network.stats_period, "kind", start, end) + figures(network.stats_period, "type", start, end)[1:]
    cohorts = [row for by in ("cohort", "university", "department")
               for row in figures(interns.stats, by, start, end)[0 if by == "cohort" else 1:]]
    span = f"{start} – {end}"
    return [
        SheetSpec("Summary", f"Domestic Cooperation {year} — summary (국내협력 {year}년 요약)",
                  f"{period.label} beside {period.previous().label}: what happened in the period; in force and "
                  f"members at the end of {end}", summary, COLUMNS["overview"], landscape=True),
        SheetSpec("Agreements", f"Agreements with local councils, {year} (지방의회 업무협약)",
                  f"Steps taken each year, up to {end}", history, COLUMNS["agreement steps"],
                  ChartSpec("Agreements signed per year", ("dimension", "year"), "group", "signed"), landscape=True),
        SheetSpec("In force", f"Agreements in force at the end of {end} (업무협약 체결 현황)",
                  f"In force at the end of {end}, beside the councils that existed then",
                  figures(agreements.stats_as_of, end), COLUMNS["in force"],
                  ChartSpec(f"Councils with an agreement in force, {end}", ("dimension", "province"), "group",
                            "in_force", horizontal=True)),
        SheetSpec("Donations", f"Book donations, {year} (도서 기증)",
                  f"Batches shipped {span}, by province (regions as they stood on {end}) and by type of library",
                  shipped, COLUMNS["donations"],
                  ChartSpec(f"Books donated per province, {year}", ("by", "province"), "group", "books",
                            horizontal=True)),
        SheetSpec("Distribution", f"Distribution of publications, {year} (발간자료 배포)",
                  f"Sent {span}, by country, type of recipient and publication", sent, COLUMNS["distribution"],
                  ChartSpec(f"Copies sent per country, {year}", ("by", "country"), "group", "copies",
                            horizontal=True), landscape=True),
        SheetSpec("Network", f"Cooperative network on legal information, {year} (법률정보 협력망)",
                  f"Events that began {span}, by kind and by type of organization reached", events,
                  COLUMNS["network"],
                  ChartSpec(f"Attendances per kind of event, {year}", ("by", "kind"), "group", "attended"),
                  landscape=True),
        SheetSpec("Interns", f"Practical apprenticeship, {year} (실무수습)",
                  f"Cohorts that began {span}, by cohort, university and department", cohorts, COLUMNS["interns"],
                  ChartSpec(f"Applicants per cohort, {year}", ("by", "cohort"), "group", "applicants"),
                  landscape=True),
        SheetSpec("Sources", "Where these figures come from", "Sources",
                  [{"item": item, "value": value} for item, value in sources], [Column("item"), Column("value")]),
    ]


# ---------------------------------------------------------------- figure sentences

TOPICS = ("agreements", "donations")
LANGUAGES = ("en", "ko")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _when(as_of: str, lang: str) -> str:
    """"February 2020" for the last day of a month (how the web page dates its figures), else the day."""
    day = _dt.date.fromisoformat(as_of)
    month_end = day_after(as_of)[8:] == "01"
    if lang == "ko":
        return f"{day.year}년 {day.month}월" + ("" if month_end else f" {day.day}일")
    return (f"{MONTHS[day.month - 1]} {day.year}" if month_end
            else f"{day.day} {MONTHS[day.month - 1]} {day.year}")


def agreement_figures(conn: sqlite3.Connection, as_of: str) -> dict[str, dict]:
    """{level: {"in_force": n, "councils": m}} from agreements.stats_as_of: the numbers can only be
    counted under the level the registry gives each council, so they can never change places."""
    from nalcoop import agreements

    return {row["group"]: {"in_force": row["in_force"], "councils": row["councils"]}
            for row in agreements.stats_as_of(conn, as_of) if row["dimension"] == "level"}


def sentence(conn: sqlite3.Connection, topic: str, as_of: str, lang: str = "en") -> str:
    topic, lang = topic.strip().casefold(), lang.strip().casefold()
    if lang not in LANGUAGES:
        raise UsageError(f"--lang: '{lang}' is not one of {', '.join(LANGUAGES)} (English or Korean)")
    if topic not in TOPICS:
        raise UsageError(f"--about: '{topic}' is not one of {', '.join(TOPICS)} (the sentences there are)")
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

    by_year = donations.stats(conn, "year", BEGINNING, as_of)
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
        raise ReportError("the sentence names no number of metropolitan/provincial (광역) or district (기초) "
                          "councils to check")
    problems = []
    names = {"provincial": "metropolitan and provincial", "basic": "district"}
    for level, claimed in claims.items():
        existing = figures[level]["councils"]
        if claimed > existing:
            problems.append(f"it says {claimed} {names[level]} councils, but only {existing} existed on {as_of}")
    if set(claims) == {"provincial", "basic"} and claims["provincial"] == figures["basic"]["in_force"] \
            and claims["basic"] == figures["provincial"]["in_force"] and claims["provincial"] != claims["basic"]:
        problems.append(f"the two numbers are swapped: the ledger has {figures['provincial']['in_force']} "
                        f"{names['provincial']} and {figures['basic']['in_force']} {names['basic']} councils "
                        f"with an agreement in force on {as_of}")
    else:
        for level, claimed in claims.items():
            if claimed != figures[level]["in_force"] and claimed <= figures[level]["councils"]:
                problems.append(f"it says {claimed} {names[level]} councils; the ledger has "
                                f"{figures[level]['in_force']} with an agreement in force on {as_of}")
    return problems

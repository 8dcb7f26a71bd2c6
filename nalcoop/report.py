"""What goes into NAL's annual report and onto its web pages: the annual workbook's sheets and the
figure sentences, from each activity's own statistics functions (see overview.py)."""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3

from nalcoop.errors import NalcoopError
from nalcoop.overview import ACTIVITIES, compared, headline, year_period
from nalcoop.registry import BEGINNING
from nalcoop.render import Block, ChartSpec, Column, SheetSpec


class ReportError(NalcoopError):
    pass


def _int(key: str, header: str | None = None) -> Column:
    return Column(key, header, kind="int")


OVERVIEW_COLUMNS = [Column("activity"), Column("measure"), Column("dimension"), Column("value", kind="float"),
                    Column("previous", kind="float"), Column("change", kind="float"),
                    Column("change_pct", "change %", kind="percent"), Column("from", kind="date"),
                    Column("to", kind="date"), Column("as_of", "as of", kind="date"),
                    Column("compared_with", "compared with")]
AGREEMENT_STEP_COLUMNS = [_int("requested"), _int("consultations"), _int("signed"), _int("renewed"),
                          _int("follow_ups", "follow-ups"), _int("withdrawn"), _int("terminated")]
IN_FORCE_COLUMNS = [Column("dimension"), Column("group"), _int("councils"), _int("in_force", "in force"),
                    Column("coverage", "coverage %", kind="percent"), _int("requested"),
                    _int("consultation", "in consultation")]
DONATION_COLUMNS = [Column("group"), _int("batches"), _int("books"), _int("sites")]
DISTRIBUTION_COLUMNS = [Column("group"), _int("runs"), _int("parcels"), _int("copies"), _int("recipients"),
                        _int("returned"), Column("returns_rate", "returns %", kind="percent")]
NETWORK_COLUMNS = [Column("group"), _int("events"), _int("attended"), _int("people", "people reached"),
                   _int("organizations", "orgs reached"), _int("first_time", "first-time orgs"),
                   Column("course_hours", "training hours", kind="float"),
                   Column("trainee_hours", "trainee hours", kind="float"), _int("completed")]
MEMBER_COLUMNS = [Column("body"), Column("group"), _int("members")]
INTERN_COLUMNS = [Column("group"), _int("applicants"), _int("accepted"),
                  Column("acceptance_rate", "accepted %", kind="percent"), _int("placed"), _int("completed"),
                  _int("dropped"), _int("withdrawn"), Column("hours", kind="float")]


def annual_sheets(conn: sqlite3.Connection, year: int, sources: list[tuple[str, str]]) -> list[SheetSpec]:
    """The annual report workbook for `year`: a summary with the year before beside it, a sheet per
    activity (its figures for the year, by its natural dimensions, with a chart), and the sources."""
    from nalcoop import agreements, distribution, donations, interns, network

    period = year_period(year)
    start, end = period.start, period.end
    summary = compared(headline(conn, period), headline(conn, period.previous()), period.previous())
    history = agreements.stats_period(conn, BEGINNING, end, by="year")
    for row in history:
        row["year"] = "all years" if row["dimension"] == "total" else row["group"]
    sheets = [
        SheetSpec("Summary", f"Domestic Cooperation {year} — summary (국내협력 {year}년 요약)", [
            Block(f"{year} beside {year - 1}: what happened in the year; in force and members at the end of "
                  f"{end}", summary, OVERVIEW_COLUMNS)], landscape=True),
        SheetSpec("Agreements", f"Agreements with local councils, {year} (지방의회 업무협약)", [
            Block(f"Steps taken each year, up to {end}", history,
                  [Column("year"), *AGREEMENT_STEP_COLUMNS],
                  ChartSpec("Agreements signed per year", "year", "signed")),
            Block(f"In force at the end of {end}, beside the councils that existed then",
                  agreements.stats_as_of(conn, end), IN_FORCE_COLUMNS),
        ], landscape=True),
        SheetSpec("Donations", f"Book donations, {year} (도서 기증)", [
            Block(f"Batches shipped in {year}, by province (as the regions stood on {end})",
                  donations.stats(conn, "province", start, end), DONATION_COLUMNS,
                  ChartSpec(f"Books donated per province, {year}", "group", "books", horizontal=True)),
            Block(f"Batches shipped in {year}, by type of library", donations.stats(conn, "type", start, end),
                  DONATION_COLUMNS),
            Block(f"Batches shipped each year, up to {end}", donations.stats(conn, "year", BEGINNING, end),
                  DONATION_COLUMNS),
        ]),
        SheetSpec("Distribution", f"Distribution of publications, {year} (발간자료 배포)", [
            Block(f"Sent in {year}, by country", distribution.stats_period(conn, "country", start, end),
                  DISTRIBUTION_COLUMNS,
                  ChartSpec(f"Copies sent per country, {year}", "group", "copies", horizontal=True)),
            Block(f"Sent in {year}, by type of recipient", distribution.stats_period(conn, "type", start, end),
                  DISTRIBUTION_COLUMNS),
            Block(f"Sent in {year}, by publication", distribution.stats_period(conn, "publication", start, end),
                  DISTRIBUTION_COLUMNS),
        ], landscape=True),
        SheetSpec("Network", f"Cooperative network on legal information, {year} (법률정보 협력망)", [
            Block(f"Events that began in {year}, by kind", network.stats_period(conn, "kind", start, end),
                  NETWORK_COLUMNS, ChartSpec(f"Attendances per kind of event, {year}", "group", "attended")),
            Block(f"Members at the end of {end}", network.stats_members(conn, "body", end), MEMBER_COLUMNS),
            Block(f"Events that began in {year}, by type of organization reached",
                  network.stats_period(conn, "type", start, end), NETWORK_COLUMNS),
        ], landscape=True),
        SheetSpec("Interns", f"Practical apprenticeship, {year} (실무수습)", [
            Block(f"Cohorts that began in {year}", interns.stats(conn, "cohort", start, end), INTERN_COLUMNS,
                  ChartSpec(f"Applicants per cohort, {year}", "group", "applicants")),
            Block(f"Cohorts that began in {year}, by university", interns.stats(conn, "university", start, end),
                  INTERN_COLUMNS),
            Block(f"Cohorts that began in {year}, by department", interns.stats(conn, "department", start, end),
                  INTERN_COLUMNS),
        ], landscape=True),
        SheetSpec("Sources", "Where these figures come from", [
            Block("Sources", [{"item": item, "value": value} for item, value in sources],
                  [Column("item"), Column("value")])]),
    ]
    assert [sheet.name.lower() for sheet in sheets[1:6]] == list(ACTIVITIES)
    return sheets


# ---------------------------------------------------------------- figure sentences

TOPICS = ("agreements", "donations")
LANGUAGES = ("en", "ko")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _when(as_of: str, lang: str) -> str:
    """"February 2020" for the last day of a month (how the web page dates its figures), else the day."""
    day = _dt.date.fromisoformat(as_of)
    month_end = (day + _dt.timedelta(days=1)).day == 1
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
    if topic not in TOPICS:
        raise ReportError(f"no sentence about '{topic}'; choose one of {', '.join(TOPICS)}")
    if lang not in LANGUAGES:
        raise ReportError(f"--lang: '{lang}' is not one of {', '.join(LANGUAGES)}")
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


_CLAIMS = {
    "provincial": (r"(\d[\d,]*)\s+(?:metropolitan|provincial|metropolitan\s+and\s+provincial|metropolitan\s+or"
                   r"\s+provincial|provincial-level)\b", r"광역(?:의회|지방의회)?\s*(\d[\d,]*)"),
    "basic": (r"(\d[\d,]*)\s+(?:district|basic|local\s+district|city,?\s+county\s+and\s+district)\b",
              r"기초(?:의회|지방의회)?\s*(\d[\d,]*)"),
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

"""Statistics: what was sent over a period, and who was on the standing lists on a day; the overview's
figures and the annual workbook's sheet."""

from __future__ import annotations

import sqlite3

from nalcoop import countries, registry
from nalcoop.breakdown import Breakdown, Span, Statistic, check_by
from nalcoop.dates import PERIOD_KEY_WIDTH, period_key
from nalcoop.distribution.records import RECIPIENT_TYPES, STATS_DIMENSIONS, DistributionError
from nalcoop.i18n import N_, _
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import TOTAL, Gathered, Term, Vocabulary, joined


def _country_group(country: countries.Country, lang: str = "en") -> str:
    """A country as a statistics group: 'JP Japan' (the value the rows and JSON carry), 'JP 일본' as shown in Korean."""
    return f"{country.code} {country.ko if lang == 'ko' else country.en}"


def _recipient_groups(conn: sqlite3.Connection, by: str, as_of: str) -> dict[int, tuple[tuple, str]]:
    """Each recipient's group (sort key, label) for a dimension set by the recipient alone."""
    councils: dict[int, registry.Council] = {}
    countries_said: dict[str, str] = {}  # 'JP Japan', once per country
    groups = {}
    for rid, name, code, kind, council_id in conn.execute(
            "select id, name, country, type, council_id from distribution_recipients"):
        if by == "country":
            if code not in countries_said:
                countries_said[code] = _country_group(countries.by_code(code))
            groups[rid] = (code != countries.HOME, code), countries_said[code]
        elif by == "type":
            groups[rid] = (RECIPIENT_TYPES.index(kind),), kind
        elif by == "domestic":
            groups[rid] = (code != countries.HOME,), "domestic" if code == countries.HOME else "foreign"
        elif by == "province":
            if code != countries.HOME:
                groups[rid] = (2, ""), "(abroad)"
            elif council_id is None:
                groups[rid] = (1, ""), "(no region)"
            else:
                if council_id not in councils:
                    councils[council_id] = registry.council_then(conn, council_id, as_of)
                province = councils[council_id].province
                groups[rid] = ((0, province), province) if province is not None else ((1, ""), "(no region)")
        else:  # recipient
            groups[rid] = (name.casefold(), rid), f"{name} ({code})"
    return groups


_SPAN = (Column("from", kind="date", ko="시작일"), Column("to", kind="date", ko="종료일"))
# A statistic's rows: what each is grouped by (or the total) and the group's name, as labels in Korean.
_BY = joined("distribution statistics row", STATS_DIMENSIONS, TOTAL)


def _groups() -> Vocabulary:
    """The groups' labels: types, at home or abroad, the province's placeholders, and every country as its
    group reads ('JP Japan' / 'JP 일본'); gathered on the first group shown (the country list is long)."""
    return joined("distribution statistics group", RECIPIENT_TYPES,
                  Term("domestic", "국내", "domestic"), Term("foreign", "국외", "foreign"),
                  Term("(abroad)", "(국외)", "(abroad)"), Term("(no region)", "(지역 없음)", "(no region)"),
                  *(Term(_country_group(country), _country_group(country, "ko"), _country_group(country))
                    for country in countries.every()), TOTAL)


_GROUP = Gathered(_groups)
MEASURES = Vocabulary("distribution measure", [  # the overview's figures (headline)
    Term("publications", "발간자료 수", "publications"), Term("runs", "발송 횟수", "runs"),
    Term("copies", "발송 부수", "copies"), Term("recipients", "수령처 수", "recipients"),
])
SENT = Statistic(
    "distribution",
    (Column("by", ko="구분", terms=_BY), Column("group", ko="항목", terms=_GROUP),
     Column("runs", kind="int", ko="발송 횟수"),
     Column("parcels", kind="int", ko="소포 수"),
     Column("copies", kind="int", ko="발송 부수"), Column("recipients", kind="int", ko="수령처 수"),
     Column("returned", kind="int", ko="반송 부수"),
     Column("returns_rate", "returns %", kind="percent", ko="반송률(%)"), *_SPAN),
    STATS_DIMENSIONS, measure="copies", noun=N_("publications sent"),
    title=N_("publications sent {span}, by {by}"), meaning=N_("what was sent"))
STANDING = Statistic(
    "standing lists",
    (Column("by", ko="구분", terms=_BY), Column("group", ko="항목", terms=_GROUP),
     Column("recipients", kind="int", ko="수령처 수"),
     Column("subscriptions", kind="int", ko="정기 발송 건수"),
     Column("copies", "copies per issue", kind="int", ko="호당 부수"),
     Column("as_of", "as of", kind="date", ko="기준일")),
    Vocabulary("standing list dimension", [STATS_DIMENSIONS.term(code) for code in (  # by type unless asked
        "type", "country", "publication", "recipient", "province", "domestic")]), measure="recipients",
    noun=N_("publications sent"), title=N_("on the standing lists at the end of {day}, by {by}"), day=True,
    meaning=N_("who was on the lists"))
STATISTICS = (SENT, STANDING)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """What was sent in the span, or, for a day, who was on the standing lists at its end."""
    if span.day:
        check_by(STANDING, by, DistributionError)
        return Breakdown.of_rows(STANDING, by, stats_as_of(conn, by, span.end))
    return Breakdown.of_rows(SENT, by, stats_period(conn, by, span.start, span.end))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """Publications, runs, copies and recipients sent in the period (the overview's figures)."""
    sent = figures(stats, "publication", Span(period.start, period.end))
    return [("publications", "all", len(sent.groups), False),
            *((measure, "all", sent.total[measure], False) for measure in ("runs", "copies", "recipients"))]


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheet: what was sent in the period by country, type of recipient and publication."""
    start, end, year = period.start, period.end, period.start[:4]
    span = Span(start, end)
    sent = figures(stats, "country", span).rows() + [row for by in ("type", "publication")
                                                    for row in figures(stats, by, span).groups]
    return [SheetSpec(_("Distribution"), _("Distribution of publications, {year}").format(year=year),
                      _("Sent {start} – {end}, by country, type of recipient and publication").format(
                          start=start, end=end), sent, list(SENT.columns),
                      ChartSpec(_("Copies sent per country, {year}").format(year=year), ("by", "country"), "group",
                                "copies",
                                horizontal=True), landscape=True)]


def stats_period(conn: sqlite3.Connection, by: str, date_from: str, date_to: str) -> list[dict]:
    """What was sent between two days (both inclusive): runs, parcels, copies, distinct recipients,
    copies returned and the returns rate, grouped by `by` (regions as they stood on the last day)."""
    check_by(SENT, by, DistributionError)
    # A run sends one issue, and one issue goes once to a recipient: each line of a group below is
    # another run, so count(*) counts them and group_concat needs no DISTINCT (no extra sorts).
    # Grouped by recipient alone where the recipient decides the group (country, type, region ...): a
    # third of the rows to carry into Python than by recipient, year and publication.
    width = PERIOD_KEY_WIDTH["month" if by == "month" else "year"]  # the year (or month) a line is grouped under
    keys = ("l.recipient_id, null, null" if by not in ("year", "month", "publication")
            else f"l.recipient_id, substr(d.on_date, 1, {width}), i.publication_id")
    rows = conn.execute(
        f"""select {keys}, count(*) as parcels, sum(l.copies) as copies, group_concat(d.id) as run_ids
           from distribution_dispatches d
           join distribution_issues i on i.id = d.issue_id
           join distribution_dispatch_lines l on l.dispatch_id = d.id
           where d.on_date between ? and ?
           group by 1, 2, 3""", [date_from, date_to]).fetchall()
    # Returns are few: summed on their own rather than looked up for every line.
    returned = {(rid, year, pid): copies for rid, year, pid, copies in conn.execute(
        f"""select {keys}, sum(x.copies)
           from distribution_dispatches d
           join distribution_issues i on i.id = d.issue_id
           cross join distribution_returns x on x.dispatch_id = d.id
           join distribution_dispatch_lines l on l.dispatch_id = x.dispatch_id and l.line = x.line
           where d.on_date between ? and ?
           group by 1, 2, 3""", [date_from, date_to])}
    titles = dict(conn.execute("select id, title from distribution_publications"))
    by_recipient = None if by in ("year", "month", "publication") else _recipient_groups(conn, by, date_to)
    groups: dict[tuple, dict] = {}
    total = {"group": "total", "runs": set(), "parcels": 0, "copies": 0, "recipients": set(), "returned": 0}
    for recipient_id, year, publication_id, parcels, copies, run_ids in rows:
        if by_recipient is not None:
            key, label = by_recipient[recipient_id]
        elif by in ("year", "month"):
            key, label = (year,), str(year)
        else:
            key, label = (titles[publication_id],), str(titles[publication_id])
        item = groups.get(key)
        if item is None:
            item = groups[key] = {"group": label, "runs": set(), "parcels": 0, "copies": 0, "recipients": set(),
                                  "returned": 0}
        back = returned.get((recipient_id, year, publication_id), 0)
        for target in (item, total):
            target["runs"].add(run_ids)  # the same lists of runs recur: split once, at the end
            target["parcels"] += parcels
            target["copies"] += copies
            target["recipients"].add(recipient_id)
            target["returned"] += back
    result = []
    for item in [total, *(groups[key] for key in sorted(groups))]:
        runs = {run for listed in item["runs"] for run in listed.split(",")}
        result.append({"by": "total" if item is total else by, "group": item["group"], "runs": len(runs),
                       "parcels": item["parcels"], "copies": item["copies"], "recipients": len(item["recipients"]),
                       "returned": item["returned"],
                       "returns_rate": round(100 * item["returned"] / item["copies"], 1) if item["copies"] else None,
                       "from": date_from, "to": date_to})
    return result


def stats_as_of(conn: sqlite3.Connection, by: str, as_of: str) -> list[dict]:
    """Who was on the standing lists at the end of `as_of`: recipients, subscriptions and the copies
    one issue of each would take, grouped by `by`."""
    check_by(SENT, by, DistributionError)
    rows = conn.execute(
        """select s.recipient_id, s.publication_id, count(*) as subscriptions, sum(s.copies) as copies
           from distribution_subscriptions s join distribution_recipients r on r.id = s.recipient_id
           where s.start_on <= ?1 and (s.end_on is null or s.end_on >= ?1)
             and coalesce(r.active_from, '') <= ?1 and (r.inactive_from is null or r.inactive_from > ?1)
             and not exists (select 1 from distribution_recipient_pauses p where p.recipient_id = r.id
                             and p.inactive_from <= ?1 and ?1 < p.active_again_on)
           group by s.recipient_id, s.publication_id""", [as_of]).fetchall()
    titles = dict(conn.execute("select id, title from distribution_publications"))
    groups: dict[tuple, dict] = {}
    total = {"group": "total", "recipients": set(), "subscriptions": 0, "copies": 0}
    by_recipient = None if by in ("year", "month", "publication") else _recipient_groups(conn, by, as_of)
    for row in rows:
        recipient_id = row["recipient_id"]
        if by_recipient is not None:
            key, label = by_recipient[recipient_id]
        elif by in ("year", "month"):
            key, label = (period_key(as_of, by),), period_key(as_of, by)
        else:
            key, label = (titles[row["publication_id"]],), titles[row["publication_id"]]
        item = groups.setdefault(key, {"group": label, "recipients": set(), "subscriptions": 0, "copies": 0})
        for target in (item, total):
            target["recipients"].add(recipient_id)
            target["subscriptions"] += row["subscriptions"]
            target["copies"] += row["copies"]
    return [{"by": "total" if item is total else by, "group": item["group"], "recipients": len(item["recipients"]),
             "subscriptions": item["subscriptions"], "copies": item["copies"], "as_of": as_of}
            for item in [total, *(groups[key] for key in sorted(groups))]]

"""The apprenticeship's statistics (`nalcoop stats interns`, the overview and the annual workbook): per
cohort, year, month, university or department. Anonymous: the figures survive a purge.
"""

from __future__ import annotations

import sqlite3

from nalcoop.breakdown import Breakdown, Span, Statistic, check_by
from nalcoop.dates import period_key
from nalcoop.i18n import N_, _
from nalcoop.interns.records import STATS_DIMENSIONS, InternError
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import TOTAL, Term, Vocabulary, joined

# A statistic's rows: what each is grouped by (or the total) and the group's name, as labels in Korean.
_BY = joined("interns statistics row", STATS_DIMENSIONS, TOTAL)
_GROUP = joined("interns statistics group", TOTAL)
MEASURES = Vocabulary("interns measure", [  # the overview's figures (headline)
    Term("cohorts", "기수", "cohorts"), Term("applicants", "지원자 수", "applicants"),
    Term("accepted", "선발 인원", "accepted"), Term("completed", "수료 인원", "completed"),
    Term("hours", "실습 시간", "hours"),
])
COHORTS = Statistic(
    "interns",
    (Column("by", ko="구분", terms=_BY), Column("group", ko="항목", terms=_GROUP),
     Column("applicants", kind="int", ko="지원자 수"),
     Column("accepted", kind="int", ko="선발"),
     Column("acceptance_rate", "accepted %", kind="percent", ko="선발률(%)"), Column("placed", kind="int", ko="배치"),
     Column("completed", kind="int", ko="수료"), Column("dropped", kind="int", ko="중도 포기"),
     Column("withdrawn", kind="int", ko="지원 철회"),
     Column("hours", kind="float", ko="실습 시간"), Column("from", kind="date", ko="시작일"),
     Column("to", kind="date", ko="종료일")),
    STATS_DIMENSIONS, measure="applicants", noun=N_("interns"),
    title=N_("apprenticeship cohorts begun {span}, by {by}"))
STATISTICS = (COHORTS,)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """The cohorts that began in the span (for a day: up to its end), grouped by `by`."""
    return Breakdown.of_rows(COHORTS, by, stats_period(conn, by, span.start, span.end))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """Cohorts begun in the period, their applicants, accepted, completed and hours (the overview's figures)."""
    cohorts = figures(stats, "cohort", Span(period.start, period.end))
    return [("cohorts", "all", len(cohorts.groups), False),
            *((measure, "all", cohorts.total[measure], False)
              for measure in ("applicants", "accepted", "completed", "hours"))]


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheet: the cohorts that began in the period by cohort, university and department."""
    start, end, year = period.start, period.end, period.start[:4]
    span = Span(start, end)
    cohorts = figures(stats, "cohort", span).rows() + [row for by in ("university", "department")
                                                      for row in figures(stats, by, span).groups]
    return [SheetSpec(_("Interns"), _("Practical apprenticeship, {year} (현장실습)").format(year=year),
                      _("Cohorts that began {start} – {end}, by cohort, university and department").format(
                          start=start, end=end), cohorts,
                      list(COHORTS.columns),
                      ChartSpec(_("Applicants per cohort, {year}").format(year=year), ("by", "cohort"), "group",
                                "applicants"),
                      landscape=True)]


def stats_period(conn: sqlite3.Connection, by: str, date_from: str, date_to: str) -> list[dict]:
    """Per cohort, year (of the cohort's start), university or department, for cohorts that began in the
    period: applicants, accepted, acceptance rate, placed, completed, dropped, hours delivered. Anonymous:
    the figures survive a purge."""
    check_by(COHORTS, by, InternError)
    apps = conn.execute(
        """select a.id, a.status, a.university, c.name as cohort, c.starts_on,
                  (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id) as hours,
                  exists (select 1 from intern_steps s where s.application_id = a.id and s.step = 'accept')
                      as was_accepted,
                  exists (select 1 from intern_steps s where s.application_id = a.id and s.step = 'place')
                      as was_placed
           from intern_applications a join intern_cohorts c on c.id = a.cohort_id
           where c.starts_on between ? and ?""", [date_from, date_to]).fetchall()
    groups: dict[str, dict] = {}

    def group(label: str) -> dict:
        return groups.setdefault(label, {"group": label, "applicants": 0, "accepted": 0, "placed": 0,
                                         "completed": 0, "dropped": 0, "withdrawn": 0, "hours": 0.0})

    by_dept: dict[int, dict[str, float]] = {}
    if by == "department":
        for application_id, dept, hours in conn.execute(
                """select p.application_id, p.dept, coalesce(sum(h.hours), 0) from intern_placements p
                   left join intern_hours h on h.placement_id = p.id group by p.id"""):
            by_dept.setdefault(application_id, {})
            by_dept[application_id][dept] = by_dept[application_id].get(dept, 0) + hours
    for app in apps:
        labels = {"total"}
        if by == "cohort":
            labels.add(app["cohort"])
        elif by in ("year", "month"):
            labels.add(period_key(app["starts_on"], by))
        elif by == "university":
            labels.add(app["university"])
        for label in labels:
            _count(group(label), app, app["hours"])
        for dept, hours in by_dept.get(app["id"], {}).items():
            _count(group(dept), app, hours)
    total = group("total")
    del groups["total"]
    result = []
    for item in [total, *(groups[key] for key in sorted(groups))]:
        result.append({"by": "total" if item is total else by, "group": item["group"],
                       "applicants": item["applicants"], "accepted": item["accepted"],
                       "acceptance_rate": round(100 * item["accepted"] / item["applicants"], 1)
                       if item["applicants"] else None,
                       "placed": item["placed"], "completed": item["completed"], "dropped": item["dropped"],
                       "withdrawn": item["withdrawn"],
                       "hours": round(item["hours"], 2), "from": date_from, "to": date_to})
    return result


def _count(item: dict, app: sqlite3.Row, hours: float) -> None:
    """Counted from the steps taken, not the status now: a student accepted, placed and then withdrawn was
    accepted and placed."""
    status = app["status"]
    item["applicants"] += 1
    item["accepted"] += bool(app["was_accepted"])
    item["placed"] += bool(app["was_placed"])
    item["completed"] += status == "completed"
    item["dropped"] += status == "dropped"
    item["withdrawn"] += status == "withdrawn"
    item["hours"] += hours

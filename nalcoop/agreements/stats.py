"""Statistics: the steps taken over a period, and the agreements in force on a day; the overview's
figures and the annual workbook's sheets."""

from __future__ import annotations

import sqlite3

from nalcoop import registry
from nalcoop.agreements.mergers import _inherits_over, inherited
from nalcoop.agreements.records import AgreementError
from nalcoop.breakdown import BEGINNING, Breakdown, Span, Statistic, check_by, every_step, open_start
from nalcoop.dates import month_span, period_key
from nalcoop.i18n import N_, _
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import TOTAL, Term, Vocabulary, joined


def _int(key: str, header: str | None = None, ko: str | None = None) -> Column:
    return Column(key, header, kind="int", ko=ko)


_SPAN = (Column("from", kind="date", ko="시작일"), Column("to", kind="date", ko="종료일"))
PERIOD_DIMENSIONS = Vocabulary("agreement statistics dimension", [
    Term("level", "의회 구분", "level"), Term("year", "연도", "year"), Term("month", "월", "month"),
    Term("province", "시·도", "province"),
])
# A statistic's rows: what each is grouped by (its dimension, or the total) and the group's name.
_DIMENSION = joined("agreement statistics row", PERIOD_DIMENSIONS, TOTAL)
_GROUP = joined("agreement statistics group", registry.LEVELS, Term("all councils", "전체 의회", "all councils"))
MEASURES = Vocabulary("agreement measure", [  # the overview's figures (headline)
    Term("in force", "협약 기관 수", "in force"), Term("councils", "의회 수", "councils"),
    Term("coverage %", "체결률(%)", "coverage %"), Term("signed", "체결", "signed"),
])
STEPS_TAKEN = Statistic(
    "agreement steps",
    (Column("dimension", ko="구분", terms=_DIMENSION), Column("group", ko="항목", terms=_GROUP),
     _int("requested", ko="요청"),
     _int("consultations", ko="협의"),
     _int("signed", ko="체결"),
     _int("renewed", ko="갱신"), _int("follow_ups", "follow-ups", ko="후속 활동"), _int("withdrawn", ko="철회"),
     _int("terminated", ko="해지"), *_SPAN),
    PERIOD_DIMENSIONS, measure="signed", noun=N_("agreements"), title=N_("agreement steps {span}, by {by}"),
    key="dimension")
IN_FORCE = Statistic(
    "in force",
    (Column("dimension", ko="구분", terms=_DIMENSION), Column("group", ko="항목", terms=_GROUP),
     _int("councils", ko="의회 수"),
     _int("in_force", "in force", ko="협약 기관 수"),
     Column("coverage", "coverage %", kind="percent", ko="체결률(%)"), _int("requested", ko="요청"),
     _int("consultation", "in consultation", ko="협의 중"),
     Column("as_of", "as of", kind="date", ko="기준일")),
    PERIOD_DIMENSIONS.subset("level", "province"), measure="in_force", noun=N_("agreements"),
    title=N_("agreements in force as of {day} (end of day)"), key="dimension", day=True, bounds=True)
STATISTICS = (STEPS_TAKEN, IN_FORCE)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """The steps taken in the span by level, year, month or province; or, for a day, the agreements in
    force at its end beside the councils that existed then, by level or province."""
    if span.day:
        check_by(IN_FORCE, by, AgreementError)
        rows = stats_as_of(conn, span.end)
        return Breakdown.of_rows(IN_FORCE, by, [row for row in rows if row["dimension"] in ("total", by)])
    return Breakdown.of_rows(STEPS_TAKEN, by, stats_period(conn, span.start, span.end, by=by))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """(measure, dimension, value, at the end of the period?) for the overview: in force, councils and
    coverage at the end of the period, and the signings in it, in total and by level."""
    rows: list[tuple[str, str, object, bool]] = []
    in_force = figures(stats, "level", Span.as_of(period.end)).rows()
    for measure, key in (("in force", "in_force"), ("councils", "councils"), ("coverage %", "coverage")):
        rows += [(measure, "all" if row["dimension"] == "total" else row["group"], row[key], True) for row in in_force]
    steps = figures(stats, "level", Span(period.start, period.end)).rows()
    rows += [("signed", "all" if row["dimension"] == "total" else row["group"], row["signed"], False) for row in steps]
    return rows


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheets: the steps taken each year up to the end of the period, and the
    agreements in force at its end by province."""
    year, end = period.start[:4], period.end
    history = figures(stats, "year", Span.during(None, end))
    in_force = figures(stats, "level", Span.as_of(end)).rows() + figures(stats, "province", Span.as_of(end)).groups
    return [
        SheetSpec(_("Agreements"), _("Agreements with local councils, {year} (지방의회 업무협약)").format(year=year),
                  _("Steps taken each year, up to {end}").format(end=end),
                  open_start(every_step(history.rows(), "dimension", BEGINNING, end)),
                  list(STEPS_TAKEN.columns),
                  ChartSpec(_("Agreements signed per year"), ("dimension", "year"), "group", "signed"), landscape=True),
        SheetSpec(_("In force"), _("Agreements in force at the end of {end} (업무협약 체결 현황)").format(end=end),
                  _("In force at the end of {end}, beside the councils that existed then").format(end=end), in_force,
                  list(IN_FORCE.columns),
                  ChartSpec(_("Councils with an agreement in force, {end}").format(end=end), ("dimension", "province"),
                            "group",
                            "in_force", horizontal=True)),
    ]



def stats_as_of(conn: sqlite3.Connection, as_of: str) -> list[dict]:
    """Agreements in force beside the councils that existed on `as_of`, by level and province."""
    rows = conn.execute(
        """
        -- Count councils per (level, province, status) first: the latest-event lookup then runs
        -- once per council (summing three conditions over a plain CTE ran it three times).
        with g as (
            select v.level, coalesce(v.province_id, v.council_id) as province_id,
                   (select e.status_after from agreement_events e
                    where e.council_id = v.council_id and e.on_date <= :d
                    order by e.on_date desc, e.id desc limit 1) as status,
                   count(*) as n
            from council_versions v
            where v.valid_from <= :d and (v.valid_to is null or v.valid_to > :d)
            group by 1, 2, 3
        )
        select g.level, g.province_id, p.gov as province, p.code as province_code,
               sum(g.n) as councils,
               sum(case when g.status = 'signed' then g.n else 0 end) as in_force,
               sum(case when g.status = 'requested' then g.n else 0 end) as requested,
               sum(case when g.status = 'consultation' then g.n else 0 end) as consultation
        from g
        left join council_versions p on p.council_id = g.province_id
             and p.valid_from <= :d and (p.valid_to is null or p.valid_to > :d)
        group by g.level, g.province_id
        """,
        {"d": as_of},
    ).fetchall()
    return _stats_table(_with_inheritances(conn, [dict(row) for row in rows], as_of), as_of)


def _with_inheritances(conn: sqlite3.Connection, rows: list[dict], as_of: str) -> list[dict]:
    """Count a merged council's inherited agreement as in force (the successor rule), from the merger day."""
    for inheritance in inherited(conn).values():
        if inheritance.day > as_of:
            continue
        own = conn.execute("select * from agreement_events where council_id = ? and on_date <= ? "
                           "order by on_date desc, id desc limit 1", [inheritance.council_id, as_of]).fetchone()
        council = registry.council_as_of(conn, inheritance.council_id, as_of)
        if council is None or not _inherits_over(own, inheritance):
            continue
        group = next((row for row in rows if row["level"] == council.level
                      and row["province_id"] == (council.province_id or council.id)), None)
        if group is None:
            continue
        if own is not None and own["status_after"] in ("requested", "consultation"):
            column = "requested" if own["status_after"] == "requested" else "consultation"
            group[column] -= 1  # its own open request, replaced by what it inherited
        if inheritance.status == "signed":
            group["in_force"] = (group["in_force"] or 0) + 1
        else:
            group[inheritance.status] = (group[inheritance.status] or 0) + 1
    return rows


def _stats_table(rows, as_of: str) -> list[dict]:
    def measure(dimension: str, group: str, items) -> dict:
        councils = sum(r["councils"] for r in items)
        in_force = sum(r["in_force"] or 0 for r in items)
        return {
            "as_of": as_of,
            "dimension": dimension,
            "group": group,
            "councils": councils,
            "in_force": in_force,
            "coverage": round(100.0 * in_force / councils, 1) if councils else None,
            "requested": sum(r["requested"] or 0 for r in items),
            "consultation": sum(r["consultation"] or 0 for r in items),
        }

    result = [measure("total", "all councils", rows)]
    for level in registry.LEVELS:
        result.append(measure("level", level, [r for r in rows if r["level"] == level]))
    provinces: dict[int, list] = {}
    for row in rows:
        provinces.setdefault(row["province_id"], []).append(row)
    ordered = sorted(provinces.values(), key=lambda items: items[0]["province_code"] or "")
    for items in ordered:
        result.append(measure("province", items[0]["province"] or "?", items))
    return result


PERIOD_STEPS = (("request", "requested"), ("consult", "consultations"), ("sign", "signed"), ("renew", "renewed"),
                ("follow-up", "follow_ups"), ("withdraw", "withdrawn"), ("terminate", "terminated"))


def stats_period(conn: sqlite3.Connection, date_from: str, date_to: str, by: str = "level") -> list[dict]:
    """What happened between two dates (both inclusive): the steps taken, in total and by level, year,
    month or province (the council's province on the day of the step, named as it stood on the last day)."""
    check_by(STEPS_TAKEN, by, AgreementError)
    if by in ("year", "month"):
        # A step counts in its year or month whatever the council: the index on (on_date, step, …) answers
        # alone, in its own order, without reading a row; days are summed into years or months here
        # (20 years of a million steps: 0.36 s, against 1.4 s grouping by substr() and 9 s through the join).
        summed: dict[tuple[str, str], int] = {}
        for on_date, step, n in conn.execute(
                "select on_date, step, count(*) from agreement_events where on_date between ? and ? group by 1, 2",
                [date_from, date_to]):
            key = (period_key(on_date, by), step)
            summed[key] = summed.get(key, 0) + n
        rows = [{"grp": grp, "step": step, "n": n} for (grp, step), n in summed.items()]
    else:
        key = "v.level" if by == "level" else "coalesce(v.province_id, v.council_id)"
        rows = conn.execute(
            f"""
            select {key} as grp, e.step, count(*) as n
            from agreement_events e
            join council_versions v on v.council_id = e.council_id
                 and v.valid_from <= e.on_date and (v.valid_to is null or v.valid_to > e.on_date)
            where e.on_date between ? and ?
            group by 1, 2
            """,
            [date_from, date_to],
        ).fetchall()
    counts: dict[tuple, int] = {(r["grp"], r["step"]): r["n"] for r in rows}
    if by == "level":
        groups = [(level, level) for level in registry.LEVELS]
    elif by == "province":
        groups = [(province_id, label) for province_id, label, _code in
                  sorted(_provinces_then(conn, {r["grp"] for r in rows}, date_to), key=lambda item: item[2])]
    else:
        groups = [(value, value) for value in sorted({r["grp"] for r in rows})]

    def row_of(dimension: str, label: str, keys) -> dict:
        row = {"from": date_from, "to": date_to, "dimension": dimension, "group": label}
        if by in ("year", "month") and dimension != "total":  # the group's own days, within the period
            first, last = month_span(label)
            row["from"], row["to"] = max(date_from, first), min(date_to, last)
        for step, column in PERIOD_STEPS:
            row[column] = sum(counts.get((key, step), 0) for key in keys)
        return row

    return [row_of("total", "all councils", [g for g, _label in groups]),
            *(row_of(by, label, [g]) for g, label in groups)]


def _provinces_then(conn: sqlite3.Connection, council_ids: set, day: str) -> list[tuple[int, str, str]]:
    """(council id, name, code) of provinces as they stood on `day` (or last stood, if gone by then)."""
    found = []
    for council_id in council_ids:
        row = conn.execute(
            """select gov, code from council_versions where council_id = ? and valid_from <= ?
               order by valid_from desc limit 1""", [council_id, day]).fetchone()
        if row is None:
            row = conn.execute("select gov, code from council_versions where council_id = ? "
                               "order by valid_from limit 1", [council_id]).fetchone()
        found.append((council_id, row["gov"], row["code"] or ""))
    return found

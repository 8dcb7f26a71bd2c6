"""The whole picture: each activity's headline figures for a period and as they stood at its end,
as tidy rows (activity, measure, dimension, value, and the period or day they are for).

Every figure comes from the activity's own statistics function (agreements.stats_as_of and
stats_period, donations.stats, distribution.stats_period, network.stats_period and stats_members,
interns.stats): the overview adds no query of its own, so it can never disagree with
`nalcoop stats agreements` and the rest.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from dataclasses import dataclass

from nalcoop.dates import day_before
from nalcoop.errors import NalcoopError

ACTIVITIES = ("agreements", "donations", "distribution", "network", "interns")


class OverviewError(NalcoopError):
    pass


@dataclass(frozen=True)
class Period:
    """Both days inclusive. `kind` says how the period was asked for, which decides what it is
    compared with: a year with the year before, a year to date with the same days a year earlier,
    any other span with the equally long span just before it."""
    start: str
    end: str
    kind: str  # year | to-date | span

    @property
    def label(self) -> str:
        if self.kind == "year":
            return self.start[:4]
        return f"{self.start} – {self.end}"

    def previous(self) -> Period:
        try:
            if self.kind in ("year", "to-date"):
                return Period(_year_earlier(self.start), _year_earlier(self.end), self.kind)
            days = (_dt.date.fromisoformat(self.end) - _dt.date.fromisoformat(self.start)).days
            end = day_before(self.start)
            return Period((_dt.date.fromisoformat(end) - _dt.timedelta(days=days)).isoformat(), end, "span")
        except (ValueError, OverflowError):  # before the year 1
            raise OverviewError(f"there is no period before {self.label} to compare with; "
                                "leave out --compare") from None


def year_period(year: int) -> Period:
    return Period(f"{year:04}-01-01", f"{year:04}-12-31", "year")


def span(start: str, end: str) -> Period:
    """--from/--to: a whole calendar year is that year (compared with the year before)."""
    if start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31":
        return year_period(int(start[:4]))
    return Period(start, end, "span")


def to_date(as_of: str) -> Period:
    """January 1 of the day's year to the day: "this year", as of a day."""
    return Period(f"{as_of[:4]}-01-01", as_of, "to-date")


def _year_earlier(day: str) -> str:
    date = _dt.date.fromisoformat(day)
    try:
        return date.replace(year=date.year - 1).isoformat()
    except ValueError:  # February 29 a year earlier is February 28
        return date.replace(year=date.year - 1, day=28).isoformat()


def headline(conn: sqlite3.Connection, period: Period) -> list[dict]:
    """Each activity's headline figures: what happened in the period, and what stood at the end of
    its last day (agreements in force and their coverage, members of the network's bodies)."""
    from nalcoop import agreements, distribution, donations, interns, network

    rows: list[dict] = []

    def add(activity: str, measure: str, dimension: str, value, *, state: bool = False) -> None:
        rows.append({"activity": activity, "measure": measure, "dimension": dimension, "value": value,
                     "from": None if state else period.start, "to": None if state else period.end,
                     "as_of": period.end if state else None})

    in_force = [row for row in agreements.stats_as_of(conn, period.end) if row["dimension"] in ("total", "level")]
    for measure, key in (("in force", "in_force"), ("councils", "councils"), ("coverage %", "coverage")):
        for row in in_force:
            add("agreements", measure, "all" if row["dimension"] == "total" else row["group"], row[key], state=True)
    for row in agreements.stats_period(conn, period.start, period.end):
        add("agreements", "signed", "all" if row["dimension"] == "total" else row["group"], row["signed"])

    donated = donations.stats(conn, "year", period.start, period.end)[0]
    for measure, key in (("books", "books"), ("batches", "batches"), ("sites", "sites")):
        add("donations", measure, "all", donated[key])

    sent = distribution.stats_period(conn, "publication", period.start, period.end)
    add("distribution", "publications", "all", len(sent) - 1)
    for measure, key in (("runs", "runs"), ("copies", "copies"), ("recipients", "recipients")):
        add("distribution", measure, "all", sent[0][key])

    for row in network.stats_members(conn, "body", period.end):
        add("network", "members", row["body"], row["members"], state=True)
    happened = network.stats_period(conn, "kind", period.start, period.end)
    for measure, key in (("events", "events"), ("attendances", "attended"), ("organizations reached", "organizations"),
                         ("completions", "completed")):
        add("network", measure, "all", happened[0][key])

    cohorts = interns.stats(conn, "cohort", period.start, period.end)
    add("interns", "cohorts", "all", len(cohorts) - 1)
    for measure, key in (("applicants", "applicants"), ("accepted", "accepted"), ("completed", "completed"),
                         ("hours", "hours")):
        add("interns", measure, "all", cohorts[0][key])
    return rows


def compared(current: list[dict], previous: list[dict], previous_period: Period) -> list[dict]:
    """The current rows with the previous period's value beside each, the change, and the change in
    per cent of the previous value (none when that was zero; for a percentage, the change is in points
    and no relative change is given)."""
    before = {(row["activity"], row["measure"], row["dimension"]): row["value"] for row in previous}
    result = []
    for row in current:
        old = before.get((row["activity"], row["measure"], row["dimension"]))
        value = row["value"]
        change = change_pct = None
        if isinstance(value, (int, float)) and isinstance(old, (int, float)):
            change = round(value - old, 2)
            if not row["measure"].endswith("%") and old:
                change_pct = round(100 * (value - old) / old, 1)
        result.append({**row, "previous": old, "change": change, "change_pct": change_pct,
                       "compared_with": previous_period.label if row["as_of"] is None else previous_period.end})
    return result


def overview(conn: sqlite3.Connection, period: Period, *, compare: bool) -> list[dict]:
    rows = headline(conn, period)
    if not compare:
        return rows
    earlier = period.previous()
    return compared(rows, headline(conn, earlier), earlier)

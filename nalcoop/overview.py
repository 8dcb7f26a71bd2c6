"""The whole picture: each activity's headline figures for a period and as they stood at its end,
as tidy rows (activity, measure, dimension, value, and the period or day they are for).

Every figure comes from the activity's own `stats(conn, by, span)` through its `headline` (see
activities.py): the overview adds no query of its own, so it can never disagree with
`nalcoop stats agreements` and the rest.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from dataclasses import dataclass

from nalcoop import activities
from nalcoop.activities import NAMES
from nalcoop.breakdown import Breakdown, Span
from nalcoop.dates import day_after, day_before
from nalcoop.errors import NalcoopError
from nalcoop.i18n import _

ACTIVITIES = NAMES  # in the order of nalcoop/activities.py


class OverviewError(NalcoopError):
    pass


@dataclass(frozen=True)
class Period:
    """Both days inclusive. `kind` says how the period was asked for, which decides what it is
    compared with: a year with the year before; a year to date with the same days a year earlier;
    whole months (a month, a quarter, a half-year) with as many months just before; any other span
    with the equally long span just before it."""
    start: str
    end: str
    kind: str  # year | to-date | span

    @property
    def label(self) -> str:
        """2024, or 2024-01-01 – 2024-03-31: the same in every language (it is also the tidy rows' compared_with,
        which JSON gives as it is)."""
        if self.kind == "year":
            return self.start[:4]
        return f"{self.start} – {self.end}"

    def previous(self) -> Period:
        try:
            if self.kind in ("year", "to-date"):
                return Period(_year_earlier(self.start), _year_earlier(self.end), self.kind)
            end = day_before(self.start)
            months = _whole_months(self.start, self.end)
            if months:
                first = _dt.date.fromisoformat(self.start)
                index = first.year * 12 + first.month - 1 - months
                return Period(f"{index // 12:04}-{index % 12 + 1:02}-01", end, "span")
            days = (_dt.date.fromisoformat(self.end) - _dt.date.fromisoformat(self.start)).days
            return Period((_dt.date.fromisoformat(end) - _dt.timedelta(days=days)).isoformat(), end, "span")
        except (ValueError, OverflowError):  # before the year 1
            raise OverviewError(_("there is no period before {period} to compare with; leave out --compare").format(
                period=self.label)) from None


def _whole_months(start: str, end: str) -> int:
    """How many calendar months the period is, when it begins on a 1st and ends on a month's last day."""
    if start[8:] != "01" or day_after(end)[8:] != "01":
        return 0
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1


def year_period(year: int, today: str | None = None) -> Period:
    """A calendar year; the current year only up to today (compared with the same days a year
    earlier), and a year not yet begun refused."""
    if today is not None:
        if year > int(today[:4]):
            raise OverviewError(_("{year} has not begun (today is {today}); give a year up to {this_year}").format(
                year=year, today=today, this_year=today[:4]))
        if year == int(today[:4]):
            return to_date(today)
    return Period(f"{year:04}-01-01", f"{year:04}-12-31", "year")


def span(start: str, end: str, today: str | None = None) -> Period:
    """--from/--to: a whole calendar year is that year (compared with the year before); an end after
    today is today (nothing has happened after it yet)."""
    if today is not None and start > today:
        raise OverviewError(_("the period begins on {start}, after today ({today})").format(start=start, today=today))
    if today is not None and end > today:
        end = today
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


class Figures:
    """Calls an activity's `stats` once per set of arguments (a report asks for the same year's figures
    for its summary and for its sheets), and hands out copies: a caller may add keys to its rows."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._seen: dict[tuple, Breakdown] = {}

    def __call__(self, function, by: str, span: Span) -> Breakdown:
        key = (function.__module__, function.__name__, by, span)
        if key not in self._seen:
            self._seen[key] = function(self.conn, by, span)
        seen = self._seen[key]
        return Breakdown(seen.statistic, seen.by, None if seen.total is None else dict(seen.total),
                         [dict(row) for row in seen.groups])


def headline(conn: sqlite3.Connection | Figures, period: Period) -> list[dict]:
    """Each activity's headline figures (its module's `headline`): what happened in the period, and what
    stood at the end of its last day (agreements in force and their coverage, members of the network's bodies)."""
    figures = conn if isinstance(conn, Figures) else Figures(conn)
    rows: list[dict] = []
    for activity in activities.ACTIVITIES:
        for measure, dimension, value, state in activity.load("headline")(figures, period):
            rows.append({"activity": activity.name, "measure": measure, "dimension": dimension, "value": value,
                         "from": None if state else period.start, "to": None if state else period.end,
                         "as_of": period.end if state else None})
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


def overview(conn: sqlite3.Connection | Figures, period: Period, *, compare: bool) -> list[dict]:
    """The headline figures of the period, with the previous period's beside them when `compare`."""
    figures = conn if isinstance(conn, Figures) else Figures(conn)
    rows = headline(figures, period)
    if not compare:
        return rows
    earlier = period.previous()
    return compared(rows, headline(figures, earlier), earlier)

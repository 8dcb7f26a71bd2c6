"""The one shape of every activity's statistics.

Each activity declares its tables (`STATISTICS`: what is counted, its columns, the dimensions it can be
grouped by) beside the queries, and answers `stats(conn, by, span) -> Breakdown`. `nalcoop stats`, the
overview and the annual report all go through that one call, so none of them guesses a key or drops a
row by position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from nalcoop.dates import BEGINNING, month_after, month_span, period_key
from nalcoop.i18n import _

if TYPE_CHECKING:
    from nalcoop.render import Column
    from nalcoop.vocabulary import Vocabulary



class Span(NamedTuple):
    """The days a statistic is asked for, both inclusive. `day` asks for the state at the END of `end`
    (in force, on the standing lists, members) rather than for what happened from `start` to `end`."""
    start: str
    end: str
    day: bool = False

    @classmethod
    def during(cls, start: str | None, end: str) -> Span:
        return cls(start or BEGINNING, end)

    @classmethod
    def as_of(cls, day: str) -> Span:
        return cls(BEGINNING, day, day=True)


class Statistic(NamedTuple):
    """One table an activity can produce.

    `key` is the column that names a row's dimension ("by", or "dimension" for agreements, as their
    exports have always called it); `dimensions` the vocabulary of what --by may choose (codes, and
    their Korean and English words), the first the default; `measure`
    the figure a chart draws by default; `noun` names the rows in messages ("network events have no
    'colour'"); `title` heads a table (with {span} or {day}, and {by}); `meaning` says in a few words what
    the table is, for a refusal that has to choose. A `day` table is the state at the end of a day; one
    that `bounds` the activity's period table is its default, and --as-of ends that period when --by
    asks for a grouping only the period table has (agreements in force, or the steps up to the day).

    `noun`, `title` and `meaning` are English, marked with N_ where the statistic is declared and translated
    with `_()` where they are shown, as every message is: they are said, never read back (a column's header
    is read back by an import in either language, hence render.Column's `ko` beside it)."""
    table: str
    columns: tuple[Column, ...]
    dimensions: Vocabulary
    measure: str
    noun: str
    title: str
    key: str = "by"
    day: bool = False
    bounds: bool = False
    meaning: str | None = None


class Breakdown:
    """A statistic grouped one way: its total (None where the table has none, like members per body) and
    its groups, in order, each a dict with the statistic's columns. (A plain class, as the records every
    listing makes are: a dataclass costs start-up half a millisecond.)"""

    __slots__ = ("by", "groups", "statistic", "total")

    def __init__(self, statistic: Statistic, by: str, total: dict | None, groups: list[dict] | None = None):
        self.statistic = statistic
        self.by = by
        self.total = total
        self.groups = groups if groups is not None else []

    def __repr__(self) -> str:
        return f"Breakdown({self.statistic.table!r}, by={self.by!r}, {len(self.groups)} groups)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Breakdown) and (self.statistic, self.by, self.total, self.groups) == (
            other.statistic, other.by, other.total, other.groups)

    __hash__ = None  # mutable, as the dataclass was

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.statistic.columns

    @property
    def key(self) -> str:
        return self.statistic.key

    def rows(self) -> list[dict]:
        """The total first, then the groups: the rows as tables, files and charts show them."""
        return ([dict(self.total)] if self.total is not None else []) + [dict(row) for row in self.groups]

    @classmethod
    def of_rows(cls, statistic: Statistic, by: str, rows: list[dict]) -> Breakdown:
        """From rows in which the total (if any) is the one whose key says "total"."""
        total = next((row for row in rows if row.get(statistic.key) == "total"), None)
        return cls(statistic, by, total, [row for row in rows if row is not total])


def check_by(statistic: Statistic, by: str, error: type[Exception]) -> str:
    """`by` if the statistic can be grouped that way, else `error` naming what it can be grouped by."""
    if by not in statistic.dimensions:
        raise error(_("cannot group by '{by}'; choose one of {choices}").format(
            by=by, choices=statistic.dimensions.choices(None)))
    return by


def open_start(rows: list[dict]) -> list[dict]:
    """A period that begins at the beginning of time has no first day to show."""
    for row in rows:
        if row.get("from") == BEGINNING:
            row["from"] = None
    return rows


def every_step(rows: list[dict], key: str, start: str, end: str) -> list[dict]:
    """A year or month breakdown with every year or month of the period, those with nothing in them as
    rows of zeros (so that a chart shows a gap as a gap): from the period's first day, or from the first
    row when the period begins at the beginning of time, to its last day. Other rows are kept first."""
    groups = [row for row in rows if row.get(key) in ("year", "month")]
    if not groups:
        return rows
    by = groups[0][key]
    found = {row["group"]: row for row in groups}
    first = min(found) if start in (BEGINNING, None) else period_key(start, by)
    step, last, filled = first, period_key(end, by), []
    while step <= last:
        row = found.get(step)
        if row is None:
            row = {name: (0 if isinstance(value, int) and not isinstance(value, bool) else None)
                   for name, value in groups[0].items()}
            low, high = month_span(step)
            row.update({key: by, "group": step, "from": max(start or low, low), "to": min(end, high)})
        filled.append(row)
        step = str(int(step) + 1) if by == "year" else period_key(month_after(step), by)
    return [row for row in rows if row.get(key) not in ("year", "month")] + filled

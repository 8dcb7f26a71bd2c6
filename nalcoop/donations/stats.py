"""Donation statistics: books, batches and sites of the batches shipped, in the one shape (a Breakdown), with
the overview's figures and the annual workbook's sheet."""

from __future__ import annotations

import sqlite3

from nalcoop import registry
from nalcoop.breakdown import Breakdown, Span, Statistic, check_by
from nalcoop.dates import period_key
from nalcoop.donations.libraries import library_by_id
from nalcoop.donations.records import LIBRARY_TYPES, REASONS, STATS_DIMENSIONS, DonationError, Library
from nalcoop.i18n import N_, _
from nalcoop.registry import council_then as _council_then
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import TOTAL, Term, Vocabulary, joined

# A statistic's rows: what each is grouped by (or the total) and the group's name, as labels in Korean.
_BY = joined("donations statistics row", STATS_DIMENSIONS, TOTAL)
_GROUP = joined("donations statistics group", LIBRARY_TYPES, REASONS, TOTAL)
MEASURES = Vocabulary("donations measure", [  # the overview's figures (headline)
    Term("books", "기증 권수", "books"), Term("batches", "기증 건수", "batches"),
    Term("sites", "받은 도서관 수", "sites"),
])
SHIPPED = Statistic(
    "donations",
    (Column("by", ko="구분", terms=_BY), Column("group", ko="항목", terms=_GROUP),
     Column("batches", kind="int", ko="기증 건수"),
     Column("books", kind="int", ko="기증 권수"),
     Column("sites", kind="int", ko="받은 도서관 수"), Column("from", kind="date", ko="시작일"),
     Column("to", kind="date", ko="종료일")),
    STATS_DIMENSIONS, measure="books", noun=N_("donations"),
    title=N_("books donated (batches shipped) {span}, by {by}"))
STATISTICS = (SHIPPED,)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """The batches shipped in the span (for a day: from the beginning to its end), grouped by `by`."""
    return Breakdown.of_rows(SHIPPED, by, stats_period(conn, by, span.start, span.end))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """Books, batches and sites donated in the period (the overview's figures)."""
    total = figures(stats, "year", Span(period.start, period.end)).total
    return [(measure, "all", total[measure], False) for measure in ("books", "batches", "sites")]


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheet: the batches shipped in the period by province and by type of library."""
    start, end, year = period.start, period.end, period.start[:4]
    span = Span(start, end)
    shipped = figures(stats, "province", span).rows() + figures(stats, "type", span).groups
    return [SheetSpec(_("Donations"), _("Book donations, {year} (도서 기증)").format(year=year),
                      _("Batches shipped {start} – {end}, by province (regions as they stood on {end}) and by type "
                        "of library").format(start=start, end=end), shipped, list(SHIPPED.columns),
                      ChartSpec(_("Books donated per province, {year}").format(year=year), ("by", "province"), "group",
                                "books",
                                horizontal=True))]



def stats_period(conn: sqlite3.Connection, by: str, date_from: str, date_to: str) -> list[dict]:
    """Books, batches and distinct sites of the batches shipped between two days (both inclusive).

    "As of D" is the period from the beginning to D. Regions are grouped as they stood on the
    last day of the period, so a library in 군위군 counts in 대구 from 2023-07-01 on.
    """
    check_by(SHIPPED, by, DonationError)
    shipped = conn.execute(
        """
        select b.id as batch_id, b.library_id, e.on_date as shipped_on, i.reason, sum(i.qty) as books
        from donation_batches b
        join donation_batch_events e on e.batch_id = b.id and e.step = 'ship'
        join donation_batch_items i on i.batch_id = b.id
        where e.on_date between ? and ?
        group by b.id, i.reason
        """,
        [date_from, date_to],
    ).fetchall()
    libraries: dict[int, Library] = {}
    codes: dict[int, tuple] = {}
    for library_id in {row["library_id"] for row in shipped}:
        libraries[library_id] = library_by_id(conn, library_id, date_to)
        council = _council_then(conn, libraries[library_id].council_id, date_to)
        province = _council_then(conn, council.province_id, date_to) if council.province_id else council
        codes[library_id] = (province.code or "", council.code or "")

    def group_of(row) -> tuple[tuple, str]:
        lib = libraries[row["library_id"]]
        if by in ("year", "month"):
            key = period_key(row["shipped_on"], by)
            return (key,), key
        if by == "province":
            return (codes[lib.id][0],), lib.province
        if by == "region":
            return codes[lib.id], lib.region
        if by == "type":
            return (LIBRARY_TYPES.index(lib.type),), lib.type
        if by == "reason":
            return (REASONS.index(row["reason"]),), row["reason"]
        return (lib.name, lib.id), lib.label

    groups: dict[tuple, dict] = {}
    total = {"group": "total", "batches": set(), "books": 0, "sites": set()}
    for row in shipped:
        order, label = group_of(row)
        bucket = groups.setdefault(order, {"group": label, "batches": set(), "books": 0, "sites": set()})
        for target in (bucket, total):
            target["batches"].add(row["batch_id"])
            target["books"] += row["books"]
            target["sites"].add(row["library_id"])
    result = []
    for bucket in [total, *(groups[key] for key in sorted(groups))]:
        result.append({"by": "total" if bucket is total else by, "group": bucket["group"],
                       "batches": len(bucket["batches"]), "books": bucket["books"], "sites": len(bucket["sites"]),
                       "from": date_from if date_from != registry.BEGINNING else None, "to": date_to})
    return result

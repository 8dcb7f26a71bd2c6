"""Workbook imports: a list of recipients (with the standing lists it names) and standing lists in bulk."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop import countries
from nalcoop.distribution.catalogue import resolve_publication
from nalcoop.distribution.recipients import _recipient, _region, add_recipient, all_recipients, resolve_recipient
from nalcoop.distribution.records import DistributionError, Publication, Recipient, _key
from nalcoop.distribution.subscriptions import subscribe_once
from nalcoop.errors import NalcoopError
from nalcoop.i18n import _

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult


def import_recipients(conn: sqlite3.Connection, path: str | Path | ReadResult, on_date: str, *,
                      sheet: str | None = None,
                      column_map: str | Path = "distribution_recipients") -> importer.ImportCounts:
    """A list of recipients: new ones added, known ones (same name and country) updated; a row that names a
    publication (with copies, 1 if none) also puts the recipient on its standing list, once.

    All rows or none: a bad row, or a row repeating an earlier one's name and country, is named
    in RowsRejected. Importing the same list again changes nothing.
    """
    from nalcoop.importer import ImportCounts, RowsRejected, as_table, row_detail
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    seen: dict[tuple[str, str], int] = {}
    publications: dict[str, Publication] = {}
    for source in track(table.rows, _("importing {file}").format(file=table.file)):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            code = countries.country(values.get("country") or countries.HOME).code
        except countries.CountryError as exc:
            problems.append(source.problem(table.file, "country", str(exc)))
            continue
        pair = (_key(values["name"]), code)
        if pair in seen:
            problems.append(source.problem(table.file, "name", _("repeats row {row} (same name and country "
                                                                    "{country}); keep one of the two rows").format(
                                                                        row=seen[pair], country=code)))
            continue
        seen[pair] = source.row
        try:
            council_id = _region(conn, code, values.get("region"), on_date, values.get("province"))
        except NalcoopError as exc:
            problems.append(source.problem(table.file, "region", str(exc)))
            continue
        if values.get("publication"):
            try:
                publication = publications.get(values["publication"]) or resolve_publication(conn,
                                                                                              values["publication"])
            except NalcoopError as exc:
                problems.append(source.problem(table.file, "publication", str(exc)))
                continue
            publications[values["publication"]] = publication
        fields = {"address": values.get("address"), "postcode": values.get("postcode"),
                  "contact": values.get("contact")}
        existing = conn.execute("select * from distribution_recipients where name_key = ? and country = ?",
                                list(pair)).fetchone()
        if existing is None:
            recipient = add_recipient(conn, values["name"], code, values.get("type") or "other",
                                      values.get("active_from"), on_date=on_date, region=values.get("region"),
                                      province=values.get("province"), **fields)
            counts.outcomes["created"] += 1
            counts.details.append(row_detail(source.row, recipient.label, "created"))
            _subscribe_row(conn, source, table.file, recipient, values, on_date, counts, problems, publications)
            continue
        _subscribe_row(conn, source, table.file, _recipient(conn, existing), values, on_date, counts, problems,
                       publications)
        wanted = {"type": values.get("type"), "council_id": council_id, **fields}
        changed = {key: value for key, value in wanted.items() if value is not None and existing[key] != value}
        if not changed:
            counts.outcomes["unchanged"] += 1
            continue
        assignments = ", ".join(f"{name} = ?" for name in changed)
        if "address" in changed or "postcode" in changed:
            assignments += ", address_checked_on = ?"
            changed_values = [*changed.values(), on_date]
        else:
            changed_values = list(changed.values())
        conn.execute(f"update distribution_recipients set {assignments} where id = ?",  # keys from `wanted`
                     [*changed_values, existing["id"]])
        counts.outcomes["changed"] += 1
        shown = ", ".join("region" if key == "council_id" else key for key in changed)
        counts.details.append(row_detail(source.row, _recipient(conn, existing).label, "changed", shown))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


def _subscribe_row(conn, source, file: str, recipient: Recipient, values: dict, on_date: str, counts, problems,
                   publications: dict) -> None:
    """The subscription a recipient row asks for (publication, copies), if any, counted and named in `counts`."""
    from nalcoop.importer import row_detail

    if not values.get("publication"):
        return
    publication = publications[values["publication"]]
    try:
        outcome = subscribe_once(conn, recipient, publication, values.get("copies") or 1, None, None, on_date)
    except DistributionError as exc:
        problems.append(source.problem(file, "publication", str(exc)))
        return
    if outcome == "created":
        counts.outcomes["subscribed"] = counts.outcomes.get("subscribed", 0) + 1
        counts.details.append(row_detail(source.row, recipient.label, "subscribed", f"『{publication.title}』"))


def import_subscriptions(conn: sqlite3.Connection, path: str | Path | ReadResult, on_date: str, *,
                         sheet: str | None = None,
                         column_map: str | Path = "distribution_subscriptions") -> importer.ImportCounts:
    """A standing list in bulk: each row puts a recipient on a publication's list (copies, from, to).

    All rows or none (RowsRejected names every bad row: an unknown recipient or publication, an overlap);
    the same list imported again changes nothing.
    """
    from nalcoop.importer import ImportCounts, RowsRejected, as_table, row_detail
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    known = all_recipients(conn)
    by_label = {_key(r.label): r for r in known.values()}
    by_name: dict[str, list[Recipient]] = {}
    for recipient in known.values():
        by_name.setdefault(_key(recipient.name), []).append(recipient)
    publications: dict[str, Publication] = {}
    for source in track(table.rows, _("importing {file}").format(file=table.file)):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            named = values["recipient"]
            if values.get("country"):
                named = f"{named} ({countries.country(values['country']).code})"
            same = [by_label[_key(named)]] if _key(named) in by_label else by_name.get(_key(named), [])
            recipient = same[0] if len(same) == 1 else resolve_recipient(conn, named)
        except NalcoopError as exc:
            problems.append(source.problem(table.file, "recipient", str(exc)))
            continue
        try:
            publication = publications.get(values["publication"]) or resolve_publication(conn, values["publication"])
        except NalcoopError as exc:
            problems.append(source.problem(table.file, "publication", str(exc)))
            continue
        publications[values["publication"]] = publication
        try:
            outcome = subscribe_once(conn, recipient, publication, values.get("copies") or 1, values.get("start_on"),
                                     values.get("end_on"), on_date)
        except DistributionError as exc:
            problems.append(source.problem(table.file, "start_on" if values.get("start_on") else "publication",
                                           str(exc)))
            continue
        counts.outcomes[outcome] += 1
        if outcome == "created":
            more = _("『{title}』, {copies} × from {start}").format(
                title=publication.title, copies=values.get("copies") or 1, start=values.get("start_on") or on_date)
            counts.details.append(row_detail(source.row, recipient.label, "subscribed", more))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts

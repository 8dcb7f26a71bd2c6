"""Recipient libraries: each sits in a local government of the council registry, so its region rolls up to
basic and provincial level as of any date. Add, edit, find by name, list and import them."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop import registry
from nalcoop.donations.records import LIBRARY_TYPES, AmbiguousLibrary, DonationError, Library, LibraryNotFound, name_key
from nalcoop.errors import NalcoopError, shortened
from nalcoop.i18n import _
from nalcoop.names import nfc, trimmed
from nalcoop.registry import council_then as _council_then
from nalcoop.registry import region_of, resolve_region

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult


def _regions_over_time(conn: sqlite3.Connection, council_id: int) -> set[str]:
    """Every way the region of a local government was written over time: '전라남도 신안군' until 2026-07-01,
    then '전남광주통합특별시 신안군'."""
    rows = conn.execute(
        """select v.level, v.gov, p.gov as province from council_versions v
           left join council_versions p on p.council_id = v.province_id
                and p.valid_from < coalesce(v.valid_to, '9999-12-31')
                and coalesce(p.valid_to, '9999-12-31') > v.valid_from
           where v.council_id = ?""", [council_id]).fetchall()
    return {row["gov"] if row["level"] == "provincial" else f"{row['province']} {row['gov']}" for row in rows}


def _library(conn: sqlite3.Connection, row: sqlite3.Row, as_of: str | None = None) -> Library:
    council = _council_then(conn, row["council_id"], as_of)
    return Library(
        row["id"], row["name"], row["type"], row["council_id"], region_of(council), council.province,
        row["address"], row["contact"], row["recommended_by"], bool(row["eligible"]), row["eligibility_note"],
    )


def _check_type(library_type: str) -> str:
    if library_type not in LIBRARY_TYPES:
        raise DonationError(_("library type '{type}' is not one of {choices}").format(
            type=library_type, choices=", ".join(LIBRARY_TYPES)))
    return library_type


def add_library(
    conn: sqlite3.Connection,
    name: str,
    library_type: str,
    region: str,
    on_date: str,
    *,
    address: str | None = None,
    contact: str | None = None,
    recommended_by: str | None = None,
    eligible: bool = True,
    eligibility_note: str | None = None,
    province: str | None = None,
) -> Library:
    name = (name or "").strip()
    if not name_key(name):
        raise DonationError(_("a library needs a name"))
    council = resolve_region(conn, region, on_date, province=province)
    address, contact, recommended_by, eligibility_note = (
        _trimmed(value) for value in (address, contact, recommended_by, eligibility_note))
    existing = conn.execute(
        "select * from donation_libraries where name_key = ? and council_id = ?", [name_key(name), council.id]
    ).fetchone()
    if existing is not None:
        raise DonationError(_("{library} is already registered; change it with `nalcoop donate library edit`").format(
            library=_library(conn, existing).label))
    cursor = conn.execute(
        """insert into donation_libraries (name, name_key, type, council_id, address, contact, recommended_by,
           eligible, eligibility_note) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [name, name_key(name), _check_type(library_type), council.id, address, contact, recommended_by,
         int(eligible), eligibility_note],
    )
    return library_by_id(conn, cursor.lastrowid)


_trimmed = trimmed


def library_by_id(conn: sqlite3.Connection, library_id: int, as_of: str | None = None) -> Library:
    return _library(conn, conn.execute("select * from donation_libraries where id = ?", [library_id]).fetchone(),
                    as_of)


EDITABLE = ("name", "type", "region", "address", "contact", "recommended_by", "eligible", "eligibility_note")


def edit_library(conn: sqlite3.Connection, library: Library, on_date: str, **changes: object) -> Library:
    """Change the fields given (None leaves a field as it is; '' clears a text field)."""
    values: dict[str, object] = {}
    for key, value in changes.items():
        if key not in EDITABLE:
            raise ValueError(key)
        if value is None:
            continue
        if key == "name":
            if not name_key(str(value)):
                raise DonationError(_("a library needs a name"))
            values["name"], values["name_key"] = str(value).strip(), name_key(str(value))
        elif key == "type":
            values["type"] = _check_type(str(value))
        elif key == "region":
            values["council_id"] = resolve_region(conn, str(value), on_date).id
        elif key == "eligible":
            values["eligible"] = int(bool(value))
        else:
            values[key] = _trimmed(value)
    if not values:
        raise DonationError(_("nothing to change; give at least one option (see --help)"))
    clash = conn.execute(
        "select id from donation_libraries where name_key = ? and council_id = ? and id <> ?",
        [values.get("name_key", name_key(library.name)), values.get("council_id", library.council_id), library.id],
    ).fetchone()
    if clash:
        raise DonationError(_("{library} already exists; choose another name").format(
            library=library_by_id(conn, clash[0]).label))
    assignments = ", ".join(f"{key} = ?" for key in values)
    conn.execute(f"update donation_libraries set {assignments} where id = ?", [*values.values(), library.id])
    return library_by_id(conn, library.id)


def resolve_library(conn: sqlite3.Connection, text: str) -> Library:
    """A recipient library from its name, a unique part of it, or 'name (region)' as listed.

    Like council names: a name shared by several libraries, or a part matching several, is
    refused with every candidate; an unknown name is refused with the closest names.
    """
    query = str(text or "").strip()
    key = name_key(query)
    if not key:
        raise LibraryNotFound(_("a library name is empty; give its name, such as 해바라기작은도서관"))
    rows = conn.execute("select * from donation_libraries order by name, id").fetchall()
    if not rows:
        raise LibraryNotFound(_("no library is called '{name}': no recipient library is registered yet; add one "
                                "with `nalcoop donate library add`").format(name=text))
    libraries = [_library(conn, row) for row in rows]
    for matches in (
        # As listed, or with a region its local government had before (전라남도 신안군 until 2026-07-01).
        [lib for lib in libraries if name_key(lib.label) == key
         or key in {name_key(f"{lib.name} ({region})") for region in _regions_over_time(conn, lib.council_id)}],
        [lib for lib in libraries if name_key(lib.name) == key],
        [lib for lib in libraries if key in name_key(lib.name)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            # Names that compare alike but are written apart (『해바라기』도서관 and 해바라기도서관, kept both by the
            # re-key of schema 9): the one written exactly as given.
            exact = [lib for lib in matches if query in (nfc(lib.name), nfc(lib.label))]
            if len(exact) == 1:
                return exact[0]
            listed = "; ".join(lib.label for lib in matches)
            raise AmbiguousLibrary(_("'{name}' matches {count} libraries: {libraries}. Give the name as listed, with "
                                     "its region in brackets").format(name=shortened(query), count=len(matches),
                                                                      libraries=listed))
    from rapidfuzz import fuzz, process

    names = {lib.label: lib for lib in libraries}
    # A text of more than 100 letters is no typo of a name, and fuzzy matching it is slow.
    close = process.extract(query, list(names), scorer=fuzz.WRatio, limit=3, score_cutoff=60) if len(key) <= 100 else []
    if close:
        raise LibraryNotFound(_("no library is called '{name}'; did you mean {suggestions}? (`nalcoop donate library "
                                "list` lists them)").format(name=shortened(query),
                                                            suggestions=", ".join(name for name, *_rest in close)))
    raise LibraryNotFound(_("no library is called '{name}' (`nalcoop donate library list` lists them)").format(
        name=shortened(query)))


def library_rows(
    conn: sqlite3.Connection,
    as_of: str,
    *,
    library_type: str | None = None,
    province: str | None = None,
    eligible: bool | None = None,
) -> list[dict]:
    """The recipient libraries with their region as it stood on `as_of`, by province, region and name."""
    province_id = registry.resolve_province(conn, province, as_of).id if province else None  # the province of that day
    rows = []
    for row in conn.execute("select * from donation_libraries"):
        if library_type and row["type"] != library_type:
            continue
        if eligible is not None and bool(row["eligible"]) != eligible:
            continue
        council = _council_then(conn, row["council_id"], as_of)
        if province_id is not None and province_id not in (council.id, council.province_id):
            continue
        library = _library(conn, row, as_of)
        rows.append({
            "name": library.name, "type": library.type, "region": library.region, "province": library.province,
            "code": council.code, "address": library.address, "contact": library.contact,
            "recommended_by": library.recommended_by, "eligible": "yes" if library.eligible else "no",
            "eligibility_note": library.eligibility_note,
            "batches": conn.execute("select count(*) from donation_batches where library_id = ? and status <> "
                                    "'cancelled'", [row["id"]]).fetchone()[0],
        })
    rows.sort(key=lambda r: (r["province"], r["region"], r["name"]))
    return rows


def import_libraries(conn: sqlite3.Connection, path: str | Path | ReadResult, on_date: str, *,
                     sheet: str | None = None,
                     column_map: str | Path = "donation_libraries") -> importer.ImportCounts:
    """A list of recipient libraries: new ones added, known ones (same name and region) updated.

    All rows or none: RowsRejected names every bad row. Importing the same list again changes nothing.
    """
    from nalcoop.importer import ImportCounts, RowsRejected, as_table, row_detail
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    for source in track(table.rows, _("importing {file}").format(file=table.file)):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            council = resolve_region(conn, values["region"], on_date, province=values.get("province"))
        except NalcoopError as exc:
            problems.append(source.problem(table.file, "region", str(exc)))
            continue
        fields = {"address": values.get("address"), "contact": values.get("contact"),
                  "recommended_by": values.get("recommended_by"),
                  "eligibility_note": values.get("eligibility_note")}
        eligible = values.get("eligible") != "no"
        existing = conn.execute("select * from donation_libraries where name_key = ? and council_id = ?",
                                [name_key(values["name"]), council.id]).fetchone()
        if existing is None:
            library = add_library(conn, values["name"], values["type"], values["region"], on_date,
                                  eligible=eligible, province=values.get("province"), **fields)
            counts.outcomes["created"] += 1
            counts.details.append(row_detail(source.row, library.label, "created"))
            continue
        wanted = {"type": values["type"], "eligible": int(eligible), **fields}
        if values.get("eligible") is None:
            wanted.pop("eligible")  # a list without the column leaves the flag as it is
        changed = {key: value for key, value in wanted.items() if value is not None and existing[key] != value}
        if not changed:
            counts.outcomes["unchanged"] += 1
            continue
        library = edit_library(conn, _library(conn, existing), on_date, **changed)
        counts.outcomes["changed"] += 1
        counts.details.append(row_detail(source.row, library.label, "changed", ", ".join(changed)))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts

"""The published copy of the ledger (`nalcoop publish FILE`, and what `nalcoop serve` shows): every table a
colleague may read, with no personal data in it.

What goes in is a list, table by table and column by column (`PUBLISHED`); everything else stays out (a
left-out column of a published table is there, empty, so that the activities' own functions run on the
copy), and `WITHHELD` says why, so that a new column is published only once someone has decided it may be
(tests/test_publish.py fails on a ledger column that is in neither list).
People's names are masked as the command line masks a student's (김하늘 → 김*늘); e-mails, telephones,
contacts and free text about a student are left out; the reveal log and the journal (whose before and after
values hold the personal data) are left out whole. Every text that goes in is also scrubbed of anything
that looks like an e-mail address or a telephone number, wherever someone typed one.

The copy is written to a hidden file beside FILE and moved into place in one step (os.replace), so a reader
of FILE sees the old copy or the new one, never half of one. It is read in one transaction of the ledger,
so it is consistent even while a colleague writes.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from nalcoop.interns.records import mask_name

# An e-mail address, or a Korean telephone number written with separators (02-123-4567, 010 1234 5678,
# 061.000.0000) or a mobile number run together (01012345678). ISBNs, ISSNs, dates and tracking numbers do
# not start with 0 followed by these groups.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w-])(?:0\d{1,2}[-. )]+\d{3,4}[-. ]+\d{4}|01[016789]\d{7,8})(?![\w-])")


def scrub(value: object) -> object:
    """Text with any e-mail address or telephone number in it replaced (e-mails '(e-mail)', telephones
    '(tel.)'); anything else as it is."""
    if not isinstance(value, str) or not value:
        return value
    return _PHONE.sub("(tel.)", _EMAIL.sub("(e-mail)", value))


@dataclass(frozen=True)
class Table:
    """A ledger table as published: the columns kept, in order; `masked` columns hold a person's name and
    go through mask_name; `pseudonyms` columns hold a key made from a person's name, replaced by a number
    that is the same for the same key (so counts of distinct people stay right, and the name does not)."""
    name: str
    columns: tuple[str, ...]
    masked: frozenset[str] = field(default_factory=frozenset)
    pseudonyms: frozenset[str] = field(default_factory=frozenset)


def _table(name: str, columns: str, *, masked: str = "", pseudonyms: str = "") -> Table:
    return Table(name, tuple(columns.split()), frozenset(masked.split()), frozenset(pseudonyms.split()))


PUBLISHED: tuple[Table, ...] = (
    _table("registry_changes", "id key kind effective_on description source origin"),
    _table("councils", "id key"),
    _table("council_versions", "id council_id valid_from valid_to level kind province_id code gov gov_en name "
                               "name_en change_id"),
    _table("agreement_events", "id council_id cycle step on_date status_after mode follow_kind ref note"),
    _table("donation_libraries", "id name name_key type council_id address recommended_by eligible "
                                 "eligibility_note", masked="recommended_by"),
    _table("donation_stock_receipts", "id on_date source line_count books"),
    _table("donation_stock_lines", "receipt_id line item_key isbn title reason condition qty"),
    _table("donation_stock_moves", "id item_key reason qty kind on_date batch_item_id"),
    _table("donation_batches", "id number year seq library_id status books carrier tracking"),
    _table("donation_batch_items", "id batch_id item_key isbn title reason condition qty"),
    _table("donation_batch_events", "id batch_id step on_date status_after detail"),
    _table("distribution_publications", "id title title_key title_en series issn isbn frequency publisher_unit"),
    _table("distribution_issues", "id publication_id issue issue_key issued_on pages copies_printed"),
    _table("distribution_recipients", "id name name_key country type council_id address postcode active_from "
                                      "inactive_from inactive_reason address_checked_on"),
    _table("distribution_recipient_pauses", "id recipient_id inactive_from active_again_on reason"),
    _table("distribution_subscriptions", "id recipient_id publication_id copies start_on end_on end_reason"),
    _table("distribution_dispatches", "id issue_id on_date line_count copies"),
    _table("distribution_dispatch_lines", "dispatch_id line issue_id recipient_id subscription_id copies"),
    _table("distribution_returns", "id dispatch_id line on_date reason copies note"),
    _table("network_bodies", "id code name name_key name_en founded_on note"),
    _table("network_orgs", "id name name_key name_en name_en_key type parent_id note"),
    _table("network_memberships", "id body_id org_id role joined_on left_on note"),
    _table("network_courses", "id title title_key completion_pct note"),
    _table("network_modules", "id course_id position title title_key hours instructor goals", masked="instructor"),
    _table("network_events", "id kind title title_key starts_on ends_on place body_id course_id hours agenda "
                             "outcomes note"),
    _table("network_event_hosts", "id event_id org_id role"),
    _table("network_participants", "id event_id org_id person person_key role status hours", masked="person",
           pseudonyms="person_key"),
    _table("intern_cohorts", "id name name_key starts_on ends_on slots required_hours note"),
    _table("intern_cohort_depts", "id cohort_id dept dept_key"),
    _table("intern_students", "id name purged_on", masked="name"),
    _table("intern_applications", "id cohort_id student_id university major year status applied_on certificate "
                                  "completed_on"),
    _table("intern_steps", "id application_id step on_date"),
    _table("intern_placements", "id application_id dept dept_key mentor starts_on ends_on", masked="mentor"),
    _table("intern_hours", "id application_id placement_id dept_key on_date hours"),
    _table("intern_evaluations", "id application_id by on_date score", masked="by"),
)

# What stays out, and why: whole tables (None), or columns of a published table.
WITHHELD: dict[str, dict[str, str] | str] = {
    "_sqlite_migrations": "the ledger's own bookkeeping",
    "journal_commands": "the journal: command lines name people and may carry their contacts",
    "journal_changes": "the journal: the before and after of every row, personal values included",
    "intern_reveals": "the record of who was shown personal data, and why",
    "network_shipped": "the ledger's own bookkeeping (which shipped facts were loaded)",
    "donation_libraries": {"contact": "a person's name and telephone"},
    "donation_stock_receipts": {"file": "a path on someone's computer", "fingerprint": "bookkeeping",
                                "lines": "the receipt's lines, published as donation_stock_lines"},
    "distribution_recipients": {"contact": "a person's name, e-mail or telephone"},
    "distribution_dispatches": {"lines": "the run's lines, published as distribution_dispatch_lines"},
    "network_orgs": {"contact": "a person's name, e-mail or telephone"},
    "network_participants": {"note": "free text about a person"},
    "intern_students": {"name_key": "the student's name, unmasked", "email": "personal data",
                        "phone": "personal data"},
    "intern_applications": {"note": "free text about a student"},
    "intern_steps": {"reason": "free text about a student"},
    "intern_hours": {"note": "free text about a student"},
    "intern_evaluations": {"comment": "free text about a student"},
}

# Views a person reads more easily than the ledger's tables: names beside ids, the year of each date (a
# facet), the province as it stood on the day. Plain SQL over the published tables, so `?sql=` can use them.
_THEN = "{v}.valid_from <= {day} and ({v}.valid_to is null or {v}.valid_to > {day})"
VIEWS: dict[str, str] = {
    "agreements": f"""
        select e.id, v.name as council, p.gov as province, v.level, v.code, e.step, e.on_date,
               substr(e.on_date, 1, 4) as year, e.status_after as status, e.mode, e.follow_kind, e.ref, e.note
        from agreement_events e
        join council_versions v on v.council_id = e.council_id and {_THEN.format(v="v", day="e.on_date")}
        left join council_versions p on p.council_id = coalesce(v.province_id, v.council_id)
             and {_THEN.format(v="p", day="e.on_date")}""",
    "donations": f"""
        select b.id, b.number, b.year, l.name as library, l.type, p.gov as province, v.gov as region,
               b.status, b.books, b.carrier,
               (select max(e.on_date) from donation_batch_events e where e.batch_id = b.id
                and e.step = 'ship') as shipped_on
        from donation_batches b join donation_libraries l on l.id = b.library_id
        left join council_versions v on v.council_id = l.council_id and v.valid_to is null
        left join council_versions p on p.council_id = coalesce(v.province_id, v.council_id)
             and {_THEN.format(v="p", day="date('now')")}""",
    "distribution_sent": """
        select d.on_date, substr(d.on_date, 1, 4) as year, pb.title as publication, i.issue, r.name as recipient,
               r.country, r.type, l.copies
        from distribution_dispatch_lines l join distribution_dispatches d on d.id = l.dispatch_id
        join distribution_issues i on i.id = l.issue_id join distribution_publications pb on pb.id = i.publication_id
        join distribution_recipients r on r.id = l.recipient_id""",
    "network_attendance": """
        select e.title as event, e.kind, e.starts_on, substr(e.starts_on, 1, 4) as year, o.name as organization,
               o.type, p.person, p.role, p.status, p.hours
        from network_participants p join network_events e on e.id = p.event_id
        join network_orgs o on o.id = p.org_id""",
    "interns": """
        select a.id, c.name as cohort, substr(c.starts_on, 1, 4) as year, s.name, a.university, a.major,
               a.year as year_of_study, a.status, a.applied_on, a.completed_on, a.certificate
        from intern_applications a join intern_cohorts c on c.id = a.cohort_id
        join intern_students s on s.id = a.student_id""",
}
INFO_TABLE = "published"  # one row: when the copy was made, from which ledger schema


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _converter(table: Table, column: str, pseudonyms: dict[str, int]) -> Callable[[object], object]:
    if column in table.masked:
        return lambda value: mask_name(value) if isinstance(value, str) else value

    if column in table.pseudonyms:
        def pseudonym(value: object) -> object:
            if value is None:
                return None
            return pseudonyms.setdefault(str(value), len(pseudonyms) + 1)
        return pseudonym
    return scrub


def write_snapshot(source: sqlite3.Connection, target: Path, *, made_at: str, schema_version: int) -> Path:
    """Write the published copy of the ledger open on `source` to `target`, atomically; return `target`."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    out = sqlite3.connect(partial, isolation_level=None)
    try:
        out.execute("pragma journal_mode = off")
        out.execute("pragma synchronous = off")  # a partial file is thrown away if anything goes wrong
        out.execute("begin")
        source.execute("begin")  # one read transaction: the copy is of one moment of the ledger
        try:
            for table in PUBLISHED:
                _copy_table(source, out, table)
        finally:
            source.execute("commit")
        for name, sql in VIEWS.items():
            out.execute(f"create view {_quoted(name)} as {sql}")
        out.execute(f"create table {INFO_TABLE} (made_at text, ledger_schema integer)")
        out.execute(f"insert into {INFO_TABLE} values (?, ?)", [made_at, schema_version])
        out.execute("commit")
        out.execute("vacuum")
    except BaseException:
        out.close()
        partial.unlink(missing_ok=True)
        raise
    out.close()
    os.chmod(partial, 0o600)  # as every file nalcoop writes: share copies deliberately
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target


def _copy_table(source: sqlite3.Connection, out: sqlite3.Connection, table: Table) -> None:
    """The table with every column the ledger has (so the activities' own functions run on the copy), the
    published ones filled, the others left empty (NULL)."""
    declared = [(row[1], row[2], row[5]) for row in source.execute(f"pragma table_info({_quoted(table.name)})")]
    missing = [column for column in table.columns if column not in {name for name, _type, _key in declared}]
    if missing:
        raise ValueError(f"{table.name} has no column {', '.join(missing)}")  # not a message: PUBLISHED is wrong
    keys = [name for name, _type, key in sorted(declared, key=lambda item: item[2]) if key]
    definitions = [f"{_quoted(name)} {kind}" for name, kind, _key in declared]
    if keys:
        definitions.append(f"primary key ({', '.join(_quoted(column) for column in keys)})")
    out.execute(f"create table {_quoted(table.name)} ({', '.join(definitions)})")
    pseudonyms: dict[str, int] = {}
    converters = [_converter(table, column, pseudonyms) for column in table.columns]
    listed = ", ".join(_quoted(column) for column in table.columns)
    order = f" order by {', '.join(_quoted(column) for column in keys)}" if keys else ""
    rows = source.execute(f"select {listed} from {_quoted(table.name)}{order}")
    out.executemany(f"insert into {_quoted(table.name)} ({listed}) values ({', '.join('?' * len(table.columns))})",
                    ([convert(value) for convert, value in zip(converters, row, strict=True)] for row in rows))
    for index, sql in source.execute("select name, sql from sqlite_master where type = 'index' and tbl_name = ? "
                                     "and sql is not null", [table.name]).fetchall():
        columns = [row[2] for row in source.execute(f"pragma index_info({_quoted(index)})")]
        if columns and all(column in table.columns for column in columns):
            out.execute(sql)  # the ledger's own indexes, so the statistics run as fast on the copy


def publish(ledger, target: Path) -> Path:
    """Write the published copy of an open Ledger to `target` (atomically) and return `target`."""
    from datetime import datetime

    made_at = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    return write_snapshot(ledger.conn, Path(target), made_at=made_at, schema_version=ledger.schema_version)


def publish_from(ledger_path: Path, target: Path) -> Path:
    """The same from the ledger at `ledger_path`, opened for this alone (a refresh, in its own thread)."""
    from nalcoop.ledger.store import Ledger

    ledger = Ledger.open(Path(ledger_path))
    try:
        return publish(ledger, target)
    finally:
        ledger.close()

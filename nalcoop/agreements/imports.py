"""Workbook import and export: one row per agreement cycle, read back unchanged."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from nalcoop import registry
from nalcoop.agreements.records import MODES, AgreementError, Step
from nalcoop.agreements.rules import _last_event, record_step
from nalcoop.errors import NalcoopError, RowsRejected
from nalcoop.i18n import _
from nalcoop.registry import LEVELS, Council
from nalcoop.render import Column

IMPORT_STEPS = (  # (file field, step) in the order a cycle runs
    ("requested", "request"),
    ("consulted", "consult"),
    ("signed", "sign"),
    ("withdrawn", "withdraw"),
    ("terminated", "terminate"),
)


@dataclass
class RowOutcome:
    sheet: str | None
    row: int
    council: str
    outcome: str  # created | changed | unchanged | rejected
    steps: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    file: str
    sheet: str | None
    header_row: int
    outcomes: list[RowOutcome]
    problems: list
    ignored_headers: list[str]
    warnings: list[str] = field(default_factory=list)
    header: str = ""  # where the header was and what each column was taken for (ReadResult.header_note)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.outcomes if item.outcome == outcome)

    @property
    def summary(self) -> str:
        from nalcoop.importer import counted

        outcomes = counted({name: self.count(name) for name in ("created", "changed", "unchanged", "rejected")})
        return _("{file}: {count} rows — {outcomes}").format(file=self.file, count=len(self.outcomes),
                                                             outcomes=outcomes)


class ImportRejected(RowsRejected):
    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(report.file, report.problems, len(report.outcomes))


def read_agreements(path: str | Path, *, sheet: str | None = None, column_map: str | Path = "agreements"):
    """Read a councils workbook into typed rows (nothing is written)."""
    from nalcoop.importer import load_map, read_table

    return read_table(path, load_map(column_map, like="agreements"), sheet=sheet)


def import_agreements(
    conn: sqlite3.Connection, path: str | Path, *, sheet: str | None = None, column_map: str | Path = "agreements"
) -> ImportReport:
    """Read a councils workbook and apply it inside the caller's transaction."""
    return apply_agreements(conn, read_agreements(path, sheet=sheet, column_map=column_map))


def apply_agreements(conn: sqlite3.Connection, table) -> ImportReport:
    """Apply every row that `read_agreements` read, inside the caller's transaction.

    Each row runs in a savepoint so that every bad row is found and reported; the caller
    keeps all or nothing (ImportRejected is raised when any row was rejected).
    """
    from nalcoop.importer import CellProblem
    from nalcoop.progress import track

    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    outcomes: list[RowOutcome] = []
    for source in track(table.rows, _("importing {file}").format(file=table.file)):
        label = str(source.values.get("council") or source.values.get("code") or "")
        if (source.sheet, source.row) in bad_rows:
            outcomes.append(RowOutcome(source.sheet, source.row, label, "rejected"))
            continue
        conn.execute("savepoint import_row")
        try:
            outcome = _import_row(conn, source)
            conn.execute("release savepoint import_row")
        except (NalcoopError, _RowProblem) as exc:
            conn.execute("rollback to savepoint import_row")
            conn.execute("release savepoint import_row")
            field_name = exc.field if isinstance(exc, _RowProblem) else None
            message = exc.message if isinstance(exc, _RowProblem) else str(exc)
            problems.append(source.problem(table.file, field_name, message))
            outcome = RowOutcome(source.sheet, source.row, label, "rejected")
        outcomes.append(outcome)
    problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
    report = ImportReport(table.file, table.sheet, table.header_row, outcomes, problems, table.ignored_headers,
                          table.warnings, table.header_note)
    assert all(isinstance(p, CellProblem) for p in problems)
    if problems:
        raise ImportRejected(report)
    return report


class _RowProblem(Exception):
    def __init__(self, field_name: str | None, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def _import_row(conn: sqlite3.Connection, source) -> RowOutcome:
    values = source.values
    council = _resolve_row_council(conn, values)
    if values.get("level") and values["level"] != council.level:
        raise _RowProblem("level", _("{council} is a {level} council, not {given}").format(
            council=council.label, level=LEVELS.said(council.level), given=values["level"]))
    had_events = _last_event(conn, council.id) is not None
    present = {
        (row["step"], row["on_date"])
        for row in conn.execute("select step, on_date from agreement_events where council_id = ?", [council.id])
    }
    wanted = [(field_name, step) for field_name, step in IMPORT_STEPS if values.get(field_name)]
    if not wanted:
        raise _RowProblem(None, _("the row has no date (request, consultation, signing, withdrawal or termination)"))
    new_steps = [(f, s) for f, s in wanted if (s, values[f]) not in present]
    if not new_steps:
        return RowOutcome(source.sheet, source.row, council.label, "unchanged")
    has_request = any(step == "request" for _field, step in wanted)
    note_step = new_steps[-1][1] if not any(s == "sign" for _field, s in new_steps) else "sign"
    ref_step = "request" if has_request else new_steps[0][1]
    for field_name, step_name in new_steps:
        step = Step(
            step_name,
            values[field_name],
            mode=values.get("mode") if step_name == "sign" else None,
            ref=values.get("ref") if step_name == ref_step else None,
            note=values.get("note") if step_name == note_step else None,
            without_request=step_name == "sign" and not has_request,
        )
        try:
            record_step(conn, council, step)
        except AgreementError as exc:
            raise _RowProblem(field_name, str(exc)) from None
    outcome = "changed" if had_events else "created"
    return RowOutcome(source.sheet, source.row, council.label, outcome, [s for _field, s in new_steps])


def _resolve_row_council(conn: sqlite3.Connection, values: dict) -> Council:
    """The row's council by name (settled by its 시도 column) or code, as the name meant on the row's first
    date: 광주시의회 with 시도 광주 in 2020 is 광주광역시의회."""
    code, name, province = values.get("code"), values.get("council"), values.get("province")
    dates = [values[field_name] for field_name, _step in IMPORT_STEPS if values.get(field_name)]
    on_date = min(dates) if dates else None
    by_code = None
    if code:
        try:
            by_code = registry.resolve(conn, code, on_date=on_date)
        except registry.RegistryError as exc:
            raise _RowProblem("code", str(exc)) from None
    if not name:
        if by_code is None:
            raise _RowProblem("council", _("the row names no council (name or code)"))
        return by_code
    try:
        by_name = registry.resolve(conn, name, province=province, on_date=on_date)
    except registry.AmbiguousCouncil as exc:
        if by_code is not None:
            return by_code
        raise _RowProblem("council", str(exc)) from None
    except registry.RegistryError as exc:
        raise _RowProblem("council", str(exc)) from None
    if by_code is not None and by_code.id != by_name.id:
        raise _RowProblem("code", _("code {code} is {by_code}, but the name says {by_name}").format(
            code=code, by_code=by_code.label, by_name=by_name.label))
    return by_name


# The export's columns, in the layout the shipped column map (data/maps/agreements.yaml) reads back in either
# language: English titles and codes with --lang en, Korean titles and labels in Korean.
EXPORT_COLUMNS = (
    Column("council", "council", ko="의회명"),
    Column("province", "province", ko="시도"),
    Column("level", "level", ko="의회 구분", terms=registry.LEVELS),
    Column("code", "code", kind="code", ko="코드"),
    Column("requested", "requested", kind="date", ko="요청일"),
    Column("consulted", "consulted", kind="date", ko="협의일"),
    Column("signed", "signed", kind="date", ko="체결일"),
    Column("mode", "mode", ko="체결 방식", terms=MODES),
    Column("withdrawn", "withdrawn", kind="date", ko="철회일"),
    Column("terminated", "terminated", kind="date", ko="해지일"),
    Column("ref", "ref", ko="문서번호"),
    Column("note", "note", ko="비고"),
)
EXPORT_HEADERS = {column.key: column.ko for column in EXPORT_COLUMNS}  # field -> its Korean title


def export_rows(conn: sqlite3.Connection) -> list[dict]:
    """One row per agreement cycle, in the shape `agreement import` reads back unchanged."""
    rows = []
    cycles = conn.execute(
        "select council_id, cycle from agreement_events group by council_id, cycle order by council_id, cycle"
    ).fetchall()
    for council_id, cycle in cycles:
        council = registry.latest_version(conn, council_id)
        events = conn.execute(
            "select * from agreement_events where council_id = ? and cycle = ? order by on_date, id",
            [council_id, cycle],
        ).fetchall()
        first_of = {}
        for event in events:
            first_of.setdefault(event["step"], event)
        if not {"request", "consult", "sign", "withdraw", "terminate"} & first_of.keys():
            # Only follow-ups or renewals: a merged council's steps under the agreement it inherited. The
            # predecessors' rows carry that agreement, and an import rebuilds the inheritance from them.
            continue
        sign = first_of.get("sign")
        request = first_of.get("request")
        note_event = sign or events[-1]
        ref_event = request or events[0]
        note = note_event["note"]
        if sign is not None and request is None and note:
            note = note.removeprefix("signed without a recorded request").lstrip("; ") or None
        rows.append(
            {
                "council": council.name,
                "province": council.province,
                "level": council.level,
                "code": council.code,
                "requested": request["on_date"] if request else None,
                "consulted": first_of["consult"]["on_date"] if "consult" in first_of else None,
                "signed": sign["on_date"] if sign else None,
                "mode": sign["mode"] if sign else None,
                "withdrawn": first_of["withdraw"]["on_date"] if "withdraw" in first_of else None,
                "terminated": first_of["terminate"]["on_date"] if "terminate" in first_of else None,
                "ref": ref_event["ref"],
                "note": note,
            }
        )
    return rows

"""Reading a table: find the header, name the columns from the map, and type every cell of every row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nalcoop.i18n import _, ngettext
from nalcoop.importer.columns import Header, _find_header, _nearly_a_header, load_map
from nalcoop.importer.files import _sheets
from nalcoop.importer.records import (
    HEADER_SCAN_ROWS,
    CellProblem,
    ColumnMap,
    ImportFileError,
    ReadResult,
    SourceRow,
    _column_letter,
)
from nalcoop.importer.values import _cell_text, _converter


def as_table(source: str | Path | ReadResult, column_map: str | Path, *, sheet: str | None = None) -> ReadResult:
    """A file read with a column map, or rows already read (a command reads before it writes)."""
    if isinstance(source, ReadResult):
        return source
    return read_table(source, load_map(column_map), sheet=sheet)


def read_table(path: str | Path, column_map: ColumnMap, *, sheet: str | None = None) -> ReadResult:
    """Find the header, name the columns from the map, and type every cell of every row."""
    path = Path(path)
    if path.is_dir():
        raise ImportFileError(_("{path} is a folder; give the workbook or CSV file to import").format(path=path))
    if not path.exists():
        raise ImportFileError(_("{path} does not exist; check the file name and folder").format(path=path))
    from nalcoop import progress

    progress.on_interrupt(_("nothing was imported"))
    progress.stage(_("reading {file}").format(file=path.name))
    empty_sheets = []
    headerless = []
    warnings: list[str] = []
    for found in _sheets(path, sheet, warnings):
        sheet_name, first_column, rows = found.name, found.first_column, found.rows
        buffered: list[list] = []
        header = None
        for row in rows:
            buffered.append(row)
            if len(buffered) >= HEADER_SCAN_ROWS:
                break
        if not any(_cell_text(v) for row in buffered for v in row):
            empty_sheets.append(sheet_name)
            continue
        header = _find_header(buffered, column_map, found.merges)
        if header is None:
            headerless.append(sheet_name)
            continue
        result = _typed_rows(path, sheet_name, first_column, buffered, rows, header, column_map)
        result.warnings.extend(warnings)
        return result
    if headerless:
        where = f"{path}{_sheets_phrase(headerless)}"
        nearly = _nearly_a_header(buffered, column_map) if len(headerless) == 1 else None
        if nearly is not None and nearly[1]:
            lacking = "; ".join(f"'{spec.shown}' ({', '.join(spec.aliases[1:4]) or spec.name})" for spec in nearly[1])
            raise ImportFileError(_("{where}: the header on row {row} has no column for {lacking}; add it, or give "
                                    "--map FILE").format(where=where, row=nearly[0] + 1, lacking=lacking))
        known = ", ".join(spec.aliases[1] if len(spec.aliases) > 1 else spec.name for spec in column_map.fields)
        raise ImportFileError(
            _("{where}: no header row with a known column in the first {HEADER_SCAN_ROWS} rows (known "
              "headers include {known}); rename the headers or give --map FILE").format(
                where=where, HEADER_SCAN_ROWS=HEADER_SCAN_ROWS, known=known)
        )
    what = _("the sheet is") if len(empty_sheets) == 1 else _("every sheet is")
    raise ImportFileError(_("{path}{sheets_phrase}: {what} empty; there is nothing to import").format(
        path=path, sheets_phrase=_sheets_phrase(empty_sheets), what=what))


def _sheets_phrase(names: list[str | None]) -> str:
    """", sheet 현황" or ", sheets 표지, 현황" — nothing for a CSV file, which has no sheets."""
    named = [name for name in names if name is not None]
    if not named:
        return ""
    return ngettext(", sheet {names}", ", sheets {names}", len(named)).format(names=", ".join(named))


def _typed_rows(path, sheet_name, first_column, buffered, rest, header: Header, column_map):
    file_label = path.name
    header_index, mapping = header.index, header.mapping
    columns: dict[str, str] = {}
    problems: list[CellProblem] = []
    positions: dict[str, int] = {}
    for name, found in mapping.items():
        labels = [f"{_column_letter(first_column + p)} ({header.labels[p]})" for p in found]
        if len(found) > 1:
            where = _("{file}, sheet {sheet}").format(file=file_label, sheet=sheet_name) if sheet_name else file_label
            raise ImportFileError(_("{where}, row {row}: columns {columns} both mean '{name}'; keep one of them or "
                                    "give --map FILE").format(where=where, row=header_index + header.height,
                                                         columns=_(" and ").join(labels), name=name))
        positions[name] = found[0]
        columns[name] = labels[0]
    header_index += header.height - 1  # data rows begin below the lower header row
    rows: list[SourceRow] = []
    from_text = sheet_name is None  # a CSV/TSV file: nalcoop's own CSV export defuses formula-like text
    plan = [(name, position, _converter(column_map.field(name), from_text)) for name, position in positions.items()]
    required = [spec for spec in column_map.fields if spec.required]

    def all_rows():
        yield from enumerate(buffered)
        yield from enumerate(rest, start=len(buffered))

    for index, cells in all_rows():
        if index <= header_index:
            continue
        width = len(cells)
        values: dict[str, Any] = {}
        filled = False
        row_problems = []
        for name, position, convert in plan:
            value = cells[position] if position < width else None
            try:
                typed = convert(value)
            except ValueError as exc:
                row_problems.append(CellProblem(file_label, sheet_name, index + 1, columns[name], value, str(exc)))
                typed = None
                filled = True
            else:
                # A value types to None exactly when its cell is blank (empty or only spaces).
                filled = filled or typed is not None
            values[name] = typed
        if not filled:
            continue  # blank lines and trailing formatting are not rows
        for spec in required:
            # A value that failed its type is already reported; "is empty" would be a second, wrong line.
            if values.get(spec.name) in (None, "") and not any(
                    problem.column == columns.get(spec.name) for problem in row_problems):
                row_problems.append(
                    CellProblem(file_label, sheet_name, index + 1, columns.get(spec.name, spec.name), None,
                                _("{field} is empty; every row needs one").format(field=spec.shown))
                )
        if row_problems:
            problems.extend(row_problems)
        rows.append(SourceRow(sheet_name, index + 1, values, columns))
    mapped = [(header.labels[position], column_map.field(name).shown)
              for name, position in sorted(positions.items(), key=lambda pair: pair[1])]
    return ReadResult(file_label, sheet_name, header.index + 1, columns, rows, problems, header.ignored,
                      header_rows=header.height, mapped=mapped)

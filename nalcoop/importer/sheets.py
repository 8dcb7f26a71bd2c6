"""What every reader shares: a sheet's rows, passed through the configured limits (rows, columns) and text to
NFC, with merged cells showing their top-left value in each of their cells."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nalcoop.i18n import _
from nalcoop.importer.records import ImportFileError


@dataclass
class Sheet:
    """One sheet (or HTML table) to consider: its rows with merged cells already filled in, and the merged
    ranges as (first row, first column, last row, last column), 0-based within the rows as yielded."""

    name: str | None
    first_column: int
    rows: Iterator[list]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _merged(path: Path, sheet: str | None, rows: Iterator[list],
            merges: list[tuple[int, int, int, int]]) -> Iterator[list]:
    """Rows with every merged range showing its top-left value in each of its cells, as Excel shows it
    (부산 merged over A2:A4 is 부산 on rows 2, 3 and 4). A sheet without merged cells passes untouched."""
    if not merges:
        yield from rows
        return
    from nalcoop.settings import SETTINGS, setting

    area = sum((last_row - first_row + 1) * (last_column - first_column + 1)
               for first_row, first_column, last_row, last_column in merges)
    if area > setting("import_max_cells"):
        where = _("{path}, sheet {sheet}").format(path=path, sheet=sheet) if sheet else str(path)
        raise ImportFileError(_("{where}: its merged cells cover {area:,} cells, more than the {limit:,} an import "
                                "reads; unmerge them, or raise {variable} if the file is genuine").format(
            where=where, area=area, limit=setting("import_max_cells"), variable=SETTINGS["import_max_cells"].variable))
    starting: dict[int, list[tuple[int, int, int]]] = {}
    for first_row, first_column, last_row, last_column in merges:
        starting.setdefault(first_row, []).append((last_row, first_column, last_column))
    open_ranges: list[tuple[int, int, int, object]] = []
    for index, row in enumerate(rows):
        for last_row, first_column, last_column in starting.pop(index, ()):
            value = row[first_column] if first_column < len(row) else None
            if value not in (None, ""):
                open_ranges.append((last_row, first_column, last_column, value))
        if open_ranges:
            row = list(row)
            width = len(row)
            for _last_row, first_column, last_column, value in open_ranges:
                for position in range(first_column, min(last_column, width - 1) + 1):
                    if row[position] in (None, ""):
                        row[position] = value
            open_ranges = [entry for entry in open_ranges if entry[0] > index]
        yield row


def _limited(path: Path, sheet: str | None, rows: Iterator[list]) -> Iterator[list]:
    """Pass rows through, refusing a sheet wider or longer than the configured limits (and counting them on the
    progress bar)."""
    from unicodedata import is_normalized

    from nalcoop.names import nfc
    from nalcoop.progress import advance
    from nalcoop.settings import SETTINGS, setting

    max_rows, max_columns = setting("import_max_rows"), setting("import_max_columns")
    where = f"{path}" + (f", sheet {sheet}" if sheet else "")
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            raise ImportFileError(
                _("{where}: more than {max_rows:,} rows; split the file, or raise {variable} if the file "
                  "is genuine").format(where=where, max_rows=max_rows, variable=SETTINGS['import_max_rows'].variable)
            )
        if len(row) > max_columns:
            raise ImportFileError(
                _("{where}, row {number}: {count:,} columns, more than the {max_columns:,} an import "
                  "reads; remove the extra columns, or raise {variable}").format(
                    where=where, number=number, count=len(row), max_columns=max_columns,
                    variable=SETTINGS['import_max_columns'].variable)
            )
        if not number & 4095:
            advance(4096)
        # Every cell and header of every file passes here once: text to NFC (a Mac writes Hangul decomposed).
        # Most rows are NFC already: one check of the row's text (cells apart, so nothing composes across
        # them) instead of a call a cell.
        if not is_normalized("NFC", "\x00".join([cell for cell in row if cell.__class__ is str])):
            row = [nfc(cell) if cell.__class__ is str else cell for cell in row]
        yield row

"""The one renderer: every listing goes out as a table, CSV, TSV, JSON, JSON lines or xlsx.

A Rich table on a terminal; CSV when stdout is a pipe; the format of `-o FILE` follows its
extension. Values that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
are defused in CSV/TSV with a leading apostrophe and stored as plain text cells in xlsx.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from nalcoop.errors import UsageError

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "xlsx")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".txt": "table",
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: str | None = None
    kind: str = "text"  # text | code | date | int | float | percent

    @property
    def title(self) -> str:
        return self.header or self.key


def choose_format(fmt: str | None, output: Path | None, stream: IO[str] | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
        return fmt
    if output is not None:
        by_extension = _EXTENSIONS.get(output.suffix.lower())
        if by_extension is None:
            raise UsageError(
                f"cannot tell the format of {output} from its extension; "
                f"use .csv, .tsv, .json, .jsonl, .xlsx or .txt, or give --format"
            )
        return by_extension
    stream = stream or sys.stdout
    return "table" if _is_terminal(stream) else "csv"


def check_destination(fmt: str | None, output: Path | None, stream: IO[str] | None = None) -> str:
    """The format a render would use, or the UsageError it would raise, before anything is written
    (a command that journals what it shows checks first, so a refused output records nothing)."""
    chosen = choose_format(fmt, output, stream)
    if output is None and chosen == "xlsx":
        raise UsageError("xlsx is a file format: give -o FILE.xlsx")
    if output is not None:
        check_output_path(output)
    return chosen


def check_output_path(output: Path) -> None:
    if output.is_dir():
        raise UsageError(f"-o {output} is a directory; give a file name")
    directory = output.parent if str(output.parent) else Path(".")
    if not directory.exists():
        raise UsageError(f"-o {output}: the folder {directory} does not exist")


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def render(
    rows: Sequence[Mapping],
    columns: Sequence[Column],
    *,
    fmt: str | None = None,
    output: Path | None = None,
    title: str | None = None,
    stream: IO[str] | None = None,
    split_by: str | None = None,
) -> str:
    """Write rows in the chosen format to `output` or the stream; return the format used.

    `split_by` (a row key) splits a file by that key's values: one sheet each in xlsx, one file
    each otherwise (labels.csv becomes labels-JP.csv, labels-US.csv ...).
    """
    chosen = check_destination(fmt, output, stream) if split_by is None else choose_format(fmt, output, stream)
    if split_by is not None:
        if output is None:
            raise UsageError("splitting writes several sheets or files: give -o FILE (.xlsx, .csv ...)")
        _write_split(rows, columns, chosen, output, title, split_by)
        return chosen
    if output is not None:
        _write_file(rows, columns, chosen, output, title)
        note = f"wrote {len(rows)} row{'s' if len(rows) != 1 else ''} to {output}"
        print(note, file=sys.stderr)
        return chosen
    stream = stream or sys.stdout
    if chosen == "table":
        _table(rows, columns, title, stream, plain=False)
    else:
        stream.write(_text(rows, columns, chosen))
    stream.flush()
    return chosen


@contextmanager
def atomic_output(output: Path) -> Iterator[Path]:
    """A temporary file beside `output`, moved over it only when the body succeeds.

    mkstemp creates it readable and writable by the owner only (0600), whatever the umask:
    exports may hold personal data (contacts, addresses).
    """
    import tempfile

    check_output_path(output)
    directory = output.parent if str(output.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=".nalcoop-", suffix=output.suffix, dir=directory)
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_file(rows, columns, fmt: str, output: Path, title: str | None) -> None:
    with atomic_output(output) as temporary:
        if fmt == "xlsx":
            _xlsx(rows, columns, temporary, title)
        elif fmt == "table":
            with open(temporary, "w", encoding="utf-8") as out:
                _table(rows, columns, title, out, plain=True)
        else:
            # A BOM lets a double-click open Hangul intact in Korean Excel; stdout gets none.
            encoding = "utf-8-sig" if fmt in ("csv", "tsv") else "utf-8"
            with open(temporary, "w", encoding=encoding, newline="") as out:
                out.write(_text(rows, columns, fmt))


def _write_split(rows, columns, fmt: str, output: Path, title: str | None, split_by: str) -> None:
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(str(row.get(split_by) or "none"), []).append(row)
    if fmt == "xlsx":
        with atomic_output(output) as temporary:
            _xlsx_sheets([(name, part) for name, part in groups.items()] or [(title, [])], columns, temporary)
        print(f"wrote {len(rows)} rows to {output}, a sheet for each of {len(groups)} {split_by} values",
              file=sys.stderr)
        return
    for name, part in groups.items():
        safe = re.sub(r"[^\w.-]+", "_", name)
        _write_file(part, columns, fmt, output.with_name(f"{output.stem}-{safe}{output.suffix}"), title)
    print(f"wrote {len(rows)} rows to {len(groups)} files {output.stem}-*{output.suffix}, one for each {split_by}",
          file=sys.stderr)


def _plain(value: object) -> object:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def safe_text(value: object) -> str:
    """A cell's text for CSV/TSV, never a live formula when a spreadsheet opens it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(_plain(value))
    # An apostrophe before a formula character is what the importer removes: a text that begins
    # that way itself ('+82 ...) gets one more, so that it comes back as it was.
    if text.startswith(FORMULA_PREFIXES) or text[:1] == "'" and text[1:2].startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _text(rows, columns, fmt: str) -> str:
    buffer = io.StringIO()
    if fmt in ("csv", "tsv"):
        # CRLF row ends (RFC 4180, what Excel writes) make the writer quote a lone CR in a value,
        # which would otherwise split the row for every reader.
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow([column.title for column in columns])
        for row in rows:
            writer.writerow([safe_text(row.get(column.key)) for column in columns])
    elif fmt == "json":
        records = [{c.key: _plain(row.get(c.key)) for c in columns} for row in rows]
        buffer.write(json.dumps(records, ensure_ascii=False, indent=2))
        buffer.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            record = {c.key: _plain(row.get(c.key)) for c in columns}
            buffer.write(json.dumps(record, ensure_ascii=False))
            buffer.write("\n")
    return buffer.getvalue()


def _display(value: object, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "percent" and isinstance(value, (int, float)):
        return f"{value:.1f}%"
    if column.kind == "int" and isinstance(value, (int, float)):
        return f"{int(value):,}"
    return str(_plain(value))


# Control characters in stored text as their Unicode pictures (ESC as ␛, CR as ␍): a terminal would
# obey them (colours, clearing the screen, a window title) and a .txt file would carry them. Tab and
# newline keep their meaning in a cell.
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\t\n"} | {0x7F: 0x2421}


def _visible(text: str) -> str:
    return text.translate(_CONTROL_PICTURES)


def _table(rows, columns, title: str | None, stream: IO[str], *, plain: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(
        file=stream,
        no_color=plain or None,
        force_terminal=False if plain else None,
        # Off a terminal Rich would fold at 80 columns; a wide table is what a pipe or file wants.
        width=None if _is_terminal(stream) else 250,
        highlight=False,
    )
    # Text(), not str: a note such as "[draft]" is data, never Rich markup; and never terminal codes.
    table = Table(title=Text(_visible(title)) if title else None, header_style="bold", title_justify="left")
    for column in columns:
        numeric = column.kind in ("int", "float", "percent")
        table.add_column(Text(column.title), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(_visible(_display(row.get(column.key), column))) for column in columns))
    if not rows:
        table.caption = "no rows"
    console.print(table)


def _xlsx(rows, columns, path: Path, title: str | None) -> None:
    _xlsx_sheets([(title, rows)], columns, path)


def _xlsx_sheets(sheets, columns, path: Path) -> None:
    """A workbook of one sheet per (title, rows): a bold frozen header, columns sized to their text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        _xlsx_sheet(workbook, rows, columns, title)
    workbook.save(path)


def _xlsx_sheet(workbook, rows, columns, title: str | None) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    widths = [display_width(column.title) for column in columns]
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = bold
        header.append(cell)
    body = []
    for row in rows:
        cells = []
        for index, column in enumerate(columns):
            value = row.get(column.key)
            cell = _xlsx_cell(sheet, value, column, WriteOnlyCell)
            widths[index] = max(widths[index], display_width(_display(value, column)))
            cells.append(cell)
        body.append(cells)
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    sheet.append(header)
    for cells in body:
        sheet.append(cells)


def _xlsx_cell(sheet, value, column: Column, cell_class):
    cell = cell_class(sheet)
    set_xlsx_value(cell, value, column)
    return cell


def set_xlsx_value(cell, value, column: Column) -> None:
    """Put a value in an openpyxl cell by its column's kind: dates as dates, numbers as numbers,
    and everything else as text that never runs as a formula."""
    if value is None:
        cell.value = None
    elif column.kind == "date" and isinstance(value, str) and len(value) == 10:
        cell.value = _dt.date.fromisoformat(value)
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and column.kind != "code":
        cell.value = value
    else:
        cell.value = _xlsx_escape(str(_plain(value)))
        # openpyxl makes any string starting with "=" a formula unless told it is a string.
        cell.data_type = "s"


_XLSX_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_XLSX_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def _xlsx_escape(text: str) -> str:
    """Excel's own escaping: control characters (CR among them) as _xHHHH_, which XML would
    otherwise normalise or reject, and a literal _xHHHH_ protected as _x005F_xHHHH_."""
    text = _XLSX_ESCAPE.sub(r"_x005F_\1", text)
    return _XLSX_CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def _sheet_title(title: str | None) -> str:
    """A sheet name Excel accepts: no []:*?/\\ or control characters (a title may quote stored text,
    and a control character makes the workbook unreadable), at most 31 characters, no apostrophe
    at either end."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", title or "nalcoop")
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text.strip().strip("'")[:31].rstrip("'") or "nalcoop"


def display_width(text: str) -> int:
    """Columns a text takes on screen or in a spreadsheet: Hangul and other wide characters count two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)

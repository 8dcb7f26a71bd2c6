"""The one renderer: every listing goes out as a table, CSV, TSV, JSON, JSON lines or xlsx.

A Rich table on a terminal; CSV when stdout is a pipe; the format of `-o FILE` follows its
extension. Values that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
are defused in CSV/TSV with a leading apostrophe and stored as plain text cells in xlsx.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from nalcoop.errors import NalcoopError, UsageError, visible
from nalcoop.i18n import _, ngettext
from nalcoop.i18n import current as current_language

if TYPE_CHECKING:
    from nalcoop.vocabulary import Vocabulary


class OutputError(NalcoopError):
    """A file could not be written (permissions, a full disk); nothing was left half-written."""


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


class Column(NamedTuple):
    """A column of a listing: `key` names it in JSON/JSONL (the same in every language); `header` (English,
    else the key) and `ko` (Korean) title it in tables, CSV/TSV and xlsx in the language of the run; `terms`,
    the closed list its values are codes of, shows them as that list's labels in Korean (English keeps the
    codes, which are English words and what a script passes).

    The records every command makes at start (this module's, the activity list's, a ledger's location) are
    NamedTuples, not dataclasses: a dataclass costs about half a millisecond to make, on every run."""
    key: str
    header: str | None = None
    kind: str = "text"  # text | code | date | moment (a UTC timestamp, shown local) | int | float | percent
    ko: str | None = None
    terms: Vocabulary | None = None

    @property
    def title(self) -> str:
        """The column's title in the language of the run."""
        return self.heading(current_language())

    def heading(self, lang: str) -> str:
        if lang == "ko" and self.ko:
            return self.ko
        return self.header or self.key

    def shown(self, value: object) -> object:
        """A value as a person reads it in the language of the run: a code of `terms` as its Korean label in
        Korean; anything else as it is."""
        if self.terms is None or value.__class__ is not str:
            return value
        return self.terms.said(value)


def choose_format(fmt: str | None, output: Path | None, stream: IO[str] | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise UsageError(_("unknown format '{fmt}'; choose one of {formats}").format(fmt=fmt,
                                                                                       formats=", ".join(FORMATS)))
        return fmt
    if output is not None:
        by_extension = _EXTENSIONS.get(output.suffix.lower())
        if by_extension is None:
            raise UsageError(
                _("cannot tell the format of {output} from its extension; use .csv, .tsv, .json, .jsonl, .xlsx or "
                  ".txt, or give --format").format(output=output)
            )
        return by_extension
    stream = stream or sys.stdout
    return "table" if _is_terminal(stream) else "csv"


def check_destination(fmt: str | None, output: Path | None, stream: IO[str] | None = None) -> str:
    """The format a render would use, or the UsageError it would raise, before anything is written
    (a command that journals what it shows checks first, so a refused output records nothing)."""
    chosen = choose_format(fmt, output, stream)
    if output is None and chosen == "xlsx":
        raise UsageError(_("xlsx is a file format: give -o FILE.xlsx"))
    if output is not None:
        check_output_path(output)
    return chosen


_SQLITE_HEADER = b"SQLite format 3\x00"


def _is_database(path: Path) -> bool:
    """A SQLite database (a ledger, this one or another), or the -wal/-shm/-journal file beside one: an
    export must never replace it. Read from the file itself, so it holds whatever ledger is open."""
    candidates = [path]
    for end in ("-wal", "-shm", "-journal"):
        if path.name.endswith(end):
            candidates.append(path.with_name(path.name[: -len(end)]))
    for candidate in candidates:
        try:
            with open(candidate, "rb") as file:
                if file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER:
                    return True
        except OSError:
            continue
    return False


def check_output_path(output: Path) -> None:
    if output.is_dir():
        raise UsageError(_("-o {output} is a directory; give a file name").format(output=output))
    try:
        mode = os.stat(output).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        # A FIFO, a device (/dev/null, a disk) or a socket: the move into place would replace it with a file.
        raise UsageError(_("-o {output} is not a regular file (a device, FIFO or socket); give the name of a file "
                           "to write, or leave out -o to print to the screen").format(output=output))
    directory = output.parent if str(output.parent) else Path(".")
    if not directory.exists():
        raise UsageError(_("-o {output}: the folder {directory} does not exist; create it first or write "
                           "somewhere else").format(output=output, directory=directory))
    if _is_database(output):
        raise UsageError(_("-o {output} is a SQLite database (a ledger, or a file beside one); writing there "
                           "would replace every record. Give another file name").format(output=output))


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
    sections: str | None = None,
    record: bool = False,
) -> str:
    """Write rows in the chosen format to `output` or the stream; return the format used.

    `record`: the rows are the fields of one record (`nalcoop info`), each {"key", "item", "value"}: JSON
    and JSON lines get one object keyed by "key" (snake_case), the other formats two columns, item and value.
    A field may also carry "code", what JSON gives instead of the value (the same in every language, where the
    value is words in the language of the run).

    `split_by` (a row key) splits a file by that key's values: one sheet each in xlsx, one file
    each otherwise (labels.csv becomes labels-JP.csv, labels-US.csv ...). `sections` (a row key)
    draws a table in sections: a rule where the key's value changes, the value shown once.
    """
    chosen = check_destination(fmt, output, stream) if split_by is None else choose_format(fmt, output, stream)
    if split_by is not None:
        if output is None:
            raise UsageError(_("splitting writes several sheets or files: give -o FILE (.xlsx, .csv ...)"))
        _write_split(rows, columns, chosen, output, title, split_by)
        return chosen
    if output is not None:
        _write_file(rows, columns, chosen, output, title, sections, record)
        _note(ngettext("wrote {count:,} row to {output}", "wrote {count:,} rows to {output}", len(rows)).format(
            count=len(rows), output=output))
        return chosen
    stream = stream or sys.stdout
    if chosen == "table":
        _table(rows, columns, title, stream, plain=False, sections=sections)
    else:
        stream.write(_text(rows, columns, chosen, record))
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
    try:
        handle, temporary = tempfile.mkstemp(prefix=".nalcoop-", suffix=output.suffix, dir=directory)
    except OSError as exc:
        raise OutputError(_("cannot write {output}: {why}; choose a folder you can write to").format(
            output=output, why=exc.strerror or exc)) from None
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, output)
    except OSError as exc:  # a full disk, a file locked by Excel: nothing was written
        Path(temporary).unlink(missing_ok=True)
        message = _("cannot write {output}: {why}; nothing was written").format(output=output,
                                                                                why=exc.strerror or exc)
        _drop_quietly(exc)
        raise OutputError(message) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _drop_quietly(exc: BaseException) -> None:
    """Let go of what a failed write left open (openpyxl's half-written zip) now, without the "Exception
    ignored" lines its clean-up would print when the disk is full: the one error line says it all."""
    import gc
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _write_file(rows, columns, fmt: str, output: Path, title: str | None, sections: str | None = None,
                record: bool = False) -> None:
    with atomic_output(output) as temporary:
        if fmt == "xlsx":
            _xlsx(rows, columns, temporary, title)
        elif fmt == "table":
            with open(temporary, "w", encoding="utf-8") as out:
                _table(rows, columns, title, out, plain=True, sections=sections)
        else:
            # A BOM lets a double-click open Hangul intact in Korean Excel; stdout gets none.
            encoding = "utf-8-sig" if fmt in ("csv", "tsv") else "utf-8"
            with open(temporary, "w", encoding=encoding, newline="") as out:
                out.write(_text(rows, columns, fmt, record))


def _write_split(rows, columns, fmt: str, output: Path, title: str | None, split_by: str) -> None:
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(str(row.get(split_by) or "none"), []).append(row)
    if fmt == "xlsx":
        with atomic_output(output) as temporary:
            _xlsx_sheets([(name, part) for name, part in groups.items()] or [(title, [])], columns, temporary)
        _note(_("wrote {count:,} rows to {output}, a sheet for each of {groups} values of {key}").format(
            count=len(rows), output=output, groups=len(groups), key=_split_name(columns, split_by)))
        return
    for name, part in groups.items():
        safe = re.sub(r"[^\w.-]+", "_", name)
        _write_file(part, columns, fmt, output.with_name(f"{output.stem}-{safe}{output.suffix}"), title)
    _note(_("wrote {count:,} rows to {groups} files {pattern}, one for each {key}").format(
        count=len(rows), groups=len(groups), pattern=f"{output.stem}-*{output.suffix}",
        key=_split_name(columns, split_by)))


def _split_name(columns, key: str) -> str:
    """What a split key is called for a person: its column's title in the run's language, else the key."""
    return next((column.title for column in columns if column.key == key), key)


def _note(text: str) -> None:
    """What was written where, on stderr (nothing with --quiet)."""
    from nalcoop import progress

    progress.note(visible(text))


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


def _text(rows, columns, fmt: str, record: bool = False) -> str:
    import json  # here, not at the top: a CSV or a table has no use for it

    buffer = io.StringIO()
    if record and fmt in ("json", "jsonl"):
        fields = {row["key"]: _plain(row.get("code", row["value"])) for row in rows}
        buffer.write(json.dumps(fields, ensure_ascii=False, indent=2 if fmt == "json" else None))
        buffer.write("\n")
    elif fmt in ("csv", "tsv"):
        # CRLF row ends (RFC 4180, what Excel writes) make the writer quote a lone CR in a value,
        # which would otherwise split the row for every reader.
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n")
        writer.writerow([column.title for column in columns])
        for row in rows:
            writer.writerow([safe_text(column.shown(row.get(column.key))) for column in columns])
    elif fmt == "json":
        records = [{c.key: _plain(row.get(c.key)) for c in columns} for row in rows]
        buffer.write(json.dumps(records, ensure_ascii=False, indent=2))
        buffer.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            line = {c.key: _plain(row.get(c.key)) for c in columns}
            buffer.write(json.dumps(line, ensure_ascii=False))
            buffer.write("\n")
    return buffer.getvalue()


def _display(value: object, column: Column) -> str:
    value = column.shown(value)
    if value is None:
        return ""
    if column.kind == "percent" and isinstance(value, (int, float)):
        return f"{value:.1f}%"
    if column.kind == "int" and isinstance(value, (int, float)):
        return f"{int(value):,}"
    if column.kind == "moment" and isinstance(value, str) and value:
        from nalcoop.dates import shown_time

        return shown_time(value)  # a person reads local time with its offset; files keep the stored UTC
    return str(_plain(value))


def _visible(text: str) -> str:
    """Stored text in a table or chart cell: control characters as visible escapes (errors.visible); tab
    and line break keep their meaning in a cell."""
    return visible(text, keep="\t\n")


def _console(stream: IO[str], *, plain: bool, width: int = 250):
    """A Rich console for the stream: colour only on a terminal (Rich honours NO_COLOR there)."""
    from rich.console import Console

    return Console(
        file=stream,
        no_color=plain or None,
        force_terminal=False if plain else None,
        # Off a terminal Rich would fold at 80 columns; a wide table is what a pipe or file wants.
        width=None if _is_terminal(stream) else width,
        highlight=False,
    )


def _table(rows, columns, title: str | None, stream: IO[str], *, plain: bool, sections: str | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    console = _console(stream, plain=plain)
    fitted = fit_columns(rows, columns, console.width if _is_terminal(stream) else None, keep=sections)
    # Text(), not str: a note such as "[draft]" is data, never Rich markup; and never terminal codes.
    table = Table(title=Text(_visible(title)) if title else None, header_style="bold", title_justify="left")
    for column in fitted.shown:
        numeric = column.kind in ("int", "float", "percent")
        if fitted.width is None:  # a pipe or a file: every column, folded where a cell is long
            table.add_column(Text(column.title), justify="right" if numeric else "left", overflow="fold")
        elif column.key in fitted.wrapping:  # long text wraps, at spaces
            table.add_column(Text(column.title), justify="left", overflow="fold",
                             min_width=fitted.floors.get(column.key, WRAP_MIN))
        else:  # dates, codes, numbers and short text stay on one line
            table.add_column(Text(column.title), justify="right" if numeric else "left", no_wrap=True,
                             overflow="ellipsis")
    previous = object()
    for row in rows:
        cells = [Text(_visible(_display(row.get(column.key), column))) for column in fitted.shown]
        if sections is not None:
            if row.get(sections) == previous:  # the section's value once, at its top
                cells = [Text("") if column.key == sections else cell
                         for column, cell in zip(fitted.shown, cells, strict=True)]
            elif table.row_count:
                table.add_section()
            previous = row.get(sections)
        table.add_row(*cells)
    if not rows:
        table.caption = _("no rows")
    console.print(table)
    if fitted.left_out:
        names = ", ".join(f"'{column.title}'" for column in fitted.left_out)
        print(visible(_("left out {names} to fit {width} columns; see every column with -f csv, -o FILE.xlsx or "
                        "a wider window").format(names=names, width=fitted.width)), file=sys.stderr)


class FittedColumns(NamedTuple):
    shown: list[Column]
    left_out: list[Column]
    wrapping: tuple[str, ...]  # the keys of the columns whose text wraps (the widest text first)
    width: int | None  # the terminal's width, None off a terminal
    floors: Mapping[str, int] = {}  # a wrapping column's narrowest: its longest word whole (up to WORD_MAX)


WRAP_MIN = 16  # the narrowest a wrapping column gets before columns are left out
WORD_MAX = 24  # a wrapping column widens to keep a word this wide whole (제주특별자치도의회: 18)


def fit_columns(rows: Sequence[Mapping], columns: Sequence[Column], width: int | None, *,
                keep: str | None = None) -> FittedColumns:
    """The columns of a table on a terminal `width` wide. Empty columns are dropped; dates, codes, numbers
    and short text stay on one line; long text wraps in the widest text column (and, if that is not
    enough, in the next widest); when even that cannot fit, the rightmost columns are left out (the first
    ones name the row). Off a terminal (width None) every column is shown as it is."""
    if width is None:
        return FittedColumns(list(columns), [], (), None)
    cells = {column.key: [_visible(_display(row.get(column.key), column)) for row in rows] for column in columns}
    shown = [column for column in columns
             if not rows or column.key == keep or any(text.strip() for text in cells[column.key])]
    natural = {column.key: max([display_width(column.title),
                                *(display_width(line) for text in cells[column.key] for line in text.split("\n"))])
               for column in shown}
    # Hangul words are long (전남광주통합특별시 is 18 columns): a wrapping column keeps its longest word whole
    # rather than cut it mid-word, up to WORD_MAX.
    floors = {column.key: min(max([WRAP_MIN, *(display_width(word) for text in cells[column.key]
                                                for word in text.split())]), WORD_MAX, natural[column.key])
              for column in shown if column.kind == "text"}
    left_out: list[Column] = []
    wrapping: list[str] = []
    while True:
        shown_keys = {column.key for column in shown}
        wrapping = [key for key in wrapping if key in shown_keys]
        needed = sum(floors[column.key] if column.key in wrapping else natural[column.key] for column in shown) \
            + 3 * len(shown) + 1  # Rich's box: a bar and a space either side of every cell
        if needed <= width or len(shown) <= 1:
            break
        # Text of several words wraps at its spaces; one long word (parliamentary-library) is a code.
        candidates = [column for column in shown if column.kind == "text" and column.key != keep
                      and column.key not in wrapping and natural[column.key] > floors[column.key]
                      and any(" " in text.strip() for text in cells[column.key])]
        if candidates:
            wrapping.append(max(candidates, key=lambda column: natural[column.key]).key)
        else:
            left_out.insert(0, shown.pop())
    return FittedColumns(shown, left_out, tuple(wrapping), width, {key: floors[key] for key in wrapping})


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
    bold = Font(name=XLSX_FONT, bold=True)
    plain = Font(name=XLSX_FONT)
    widths = [column_width(column.title, bold=True) for column in columns]
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
            cell.font = plain
            widths[index] = max(widths[index], column_width(_display(value, column)))
            cells.append(cell)
        body.append(cells)
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
    print_setup(sheet, header_row=1, widths=widths)
    sheet.append(header)
    for cells in body:
        sheet.append(cells)


XLSX_FONT = "Malgun Gothic"  # 맑은 고딕, Korean Office's own; every font nalcoop writes is named (an unnamed bold
# font makes LibreOffice fall back to a serif face whose wider letters collide)
PORTRAIT_WIDTH = 95  # the summed column widths (characters) that fit across a portrait A4 page; wider: landscape


def column_width(text: str, *, bold: bool = False) -> float:
    """The width (in Excel's characters) a column needs to show `text` whole: Hangul counts two, bold a
    little more, and a margin so that a date or a total never turns into ###."""
    return display_width(text) * (1.15 if bold else 1.0) + 3


def print_setup(sheet, *, header_row: int, widths: Sequence[float]) -> None:
    """An xlsx sheet set up for A4: landscape when its columns are wide, fitted to the page width, the
    header row repeated on every page, page numbers in the footer."""
    sheet.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4; a write-only sheet lacks the name)
    sheet.page_setup.orientation = "landscape" if sum(min(width, 60) for width in widths) > PORTRAIT_WIDTH \
        else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.center.text = "&P / &N"
    sheet.oddFooter.center.font = XLSX_FONT


def _xlsx_cell(sheet, value, column: Column, cell_class):
    cell = cell_class(sheet)
    set_xlsx_value(cell, value, column)
    return cell


def set_xlsx_value(cell, value, column: Column) -> None:
    """Put a value in an openpyxl cell by its column's kind: dates as dates, numbers as numbers,
    and everything else as text that never runs as a formula (a code of a closed list as its label in Korean)."""
    value = column.shown(value)
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


_XLSX_ESCAPE = r"_(x[0-9A-Fa-f]{4}_)"  # patterns compiled when a workbook is written (re's cache)
_XLSX_CONTROL = r"[\x00-\x08\x0b-\x1f]"


def _xlsx_escape(text: str) -> str:
    """Excel's own escaping: control characters (CR among them) as _xHHHH_, which XML would
    otherwise normalise or reject, and a literal _xHHHH_ protected as _x005F_xHHHH_."""
    text = re.sub(_XLSX_ESCAPE, r"_x005F_\1", text)
    return re.sub(_XLSX_CONTROL, lambda match: f"_x{ord(match.group()):04X}_", text)


def _sheet_title(title: str | None) -> str:
    """A sheet name Excel accepts: no []:*?/\\ or control characters (a title may quote stored text,
    and a control character makes the workbook unreadable), at most 31 characters, no apostrophe
    at either end."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", title or "nalcoop")
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text.strip().strip("'")[:31].rstrip("'") or "nalcoop"


# ---------------------------------------------------------------- bar charts in the terminal

_EIGHTHS = " ▏▎▍▌▋▊▉"
CHART_LABEL_WIDTH = 32  # columns a label may take before it is cut with an ellipsis


def chart(rows: Sequence[Mapping], label: Column, value: Column, *, title: str | None = None,
          stream: IO[str] | None = None, output: Path | None = None) -> None:
    """Horizontal bars, one per row: the label (Hangul lines up), a bar scaled to the largest value in
    eighths of a column, and the value printed at the bar's end. Colour only on a terminal, never with
    NO_COLOR or in a pipe or file; `output` writes the same chart as a text file."""
    if output is not None:
        with atomic_output(output) as temporary, open(temporary, "w", encoding="utf-8") as out:
            _chart(rows, label, value, title, out, plain=True)
        _note(ngettext("wrote a chart of {count:,} bar to {output}", "wrote a chart of {count:,} bars to {output}",
                       len(rows)).format(count=len(rows), output=output))
        return
    stream = stream or sys.stdout
    _chart(rows, label, value, title, stream, plain=not _is_terminal(stream))
    stream.flush()


def _chart(rows, label: Column, value: Column, title: str | None, stream: IO[str], *, plain: bool) -> None:
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    console = _console(stream, plain=plain, width=100)
    # A tab or line break in a label would push its bar out of line: a space instead.
    labels = [_visible(re.sub(r"[\t\n]", " ", _display(row.get(label.key), label))) for row in rows]
    numbers = [row.get(value.key) if isinstance(row.get(value.key), (int, float)) else 0 for row in rows]
    shown = [_display(row.get(value.key), value) or "0" for row in rows]
    biggest = max(numbers, default=0)
    label_width = min(max((cell_len(text) for text in labels), default=0), CHART_LABEL_WIDTH)
    room = max(10, console.width - label_width - max((len(text) for text in shown), default=1) - 3)
    if title:
        console.print(Text(_visible(title), style=None if plain else "bold"))
    if not rows:
        console.print(_("no rows"))
    for text, number, figure in zip(labels, numbers, shown, strict=True):
        eighths = round(max(number, 0) / biggest * room * 8) if biggest > 0 else 0
        if number > 0 and eighths == 0:
            eighths = 1  # a value above nothing is never drawn as nothing
        full, part = divmod(eighths, 8)
        if cell_len(text) > label_width:  # cut by screen columns (a Hangul syllable takes two), with an ellipsis
            text = set_cell_size(text, label_width - 1) + "…"
        line = Text(set_cell_size(text, label_width) + " ")
        line.append("█" * full + (_EIGHTHS[part] if part else ""), style=None if plain else "cyan")
        line.append(f" {figure}")
        console.print(line, no_wrap=True, crop=False)


# ---------------------------------------------------------------- report workbooks


class ChartSpec(NamedTuple):
    """A native Excel bar chart of one column of a sheet's table: one bar for each row of one section of it
    (the rows whose `section[0]` is `section[1]`, such as by = province; they must lie together)."""
    title: str
    section: tuple[str, str]
    label: str  # the key of the column whose values name the bars
    value: str  # the key of the column charted
    horizontal: bool = False  # bars across (many long labels), else columns up (years)


class SheetSpec(NamedTuple):
    """One sheet of a report workbook: a heading, then one table (a bold title, a header, rows)."""
    name: str
    heading: str
    title: str
    rows: Sequence[Mapping]
    columns: Sequence[Column]
    chart: ChartSpec | None = None
    landscape: bool = False


NUMBER_FORMATS = {"int": "#,##0", "float": "#,##0.0#", "percent": '0.0"%"'}
HEADER_ROW = 4  # a sheet's heading on row 1, its table's title on row 3


def write_workbook(output: Path, sheets: Sequence[SheetSpec]) -> None:
    """A report workbook: per sheet a heading and one table whose header is frozen and repeated on every
    printed page; columns sized to their text (Hangul counted double); numbers as numbers, dates as dates;
    a native bar chart beside the table; A4, fitted to the page width. Written whole to a temporary file,
    then moved."""
    from openpyxl import Workbook
    from openpyxl.styles import Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(name=XLSX_FONT, bold=True)
    plain = Font(name=XLSX_FONT)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    rule = Border(bottom=Side(style="thin"))
    for spec in sheets:
        sheet = workbook.create_sheet(_sheet_title(spec.name))
        sheet["A1"] = _xlsx_escape(spec.heading)
        sheet["A1"].font = Font(name=XLSX_FONT, bold=True, size=14)
        sheet.cell(row=HEADER_ROW - 1, column=1, value=_xlsx_escape(spec.title)).font = bold
        widths = [max(column_width(column.title, bold=True), 6) for column in spec.columns]
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=HEADER_ROW, column=index, value=_xlsx_escape(column.title))
            cell.font, cell.fill, cell.border = bold, header_fill, rule
        for offset, row in enumerate(spec.rows, start=1):
            total = len(spec.rows) > 1 and row.get("by", row.get("dimension")) == "total"
            for index, column in enumerate(spec.columns, start=1):
                value = row.get(column.key)
                cell = sheet.cell(row=HEADER_ROW + offset, column=index)
                set_xlsx_value(cell, value, column)
                if column.kind in NUMBER_FORMATS and isinstance(value, (int, float)):
                    whole = column.kind == "float" and isinstance(value, int)
                    cell.number_format = NUMBER_FORMATS["int" if whole else column.kind]
                cell.font = bold if total else plain
                widths[index - 1] = max(widths[index - 1], column_width(_display(value, column), bold=total))
        if spec.chart is not None:
            _add_chart(sheet, spec)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width, 60)
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        print_setup(sheet, header_row=HEADER_ROW, widths=widths)
        if spec.landscape:
            sheet.page_setup.orientation = "landscape"
    with atomic_output(output) as temporary:
        workbook.save(temporary)


def _add_chart(sheet, spec: SheetSpec) -> None:
    """The sheet's bar chart, to the right of its table, over the rows of the chart's section."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    key, wanted = spec.chart.section
    section = [index for index, row in enumerate(spec.rows) if row.get(key) == wanted]
    if not section:
        return
    if section != list(range(section[0], section[-1] + 1)):
        raise ValueError(f"the rows charted in '{spec.title}' do not lie together")  # not a message: a bug
    keys = [column.key for column in spec.columns]
    chart = BarChart()
    chart.type = "bar" if spec.chart.horizontal else "col"
    chart.title = _chart_title(spec.chart.title)
    chart.legend = None
    chart.style = 10
    # Axis titles in the language of the run: the categories' column and the figure charted.
    by = {column.key: column for column in spec.columns}
    titles = {column.key: column.title for column in spec.columns}
    chart.x_axis.title = str(by[key].shown(wanted)) if key in by else titles[spec.chart.label]  # 연도, 시·도 …
    chart.y_axis.title = titles[spec.chart.value]
    if spec.chart.horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # the first row at the top, as in the table
        chart.height, chart.width = max(7.5, 0.7 * len(section) + 3), 20
    else:
        chart.height, chart.width = 7.5, max(20, 0.9 * len(section) + 4)
    # openpyxl hides both axes unless told otherwise; Excel then draws bars without labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblSkip = 1  # every category labelled: a spreadsheet skips every other one when crowded
    chart.x_axis.tickMarkSkip = 1
    first_row, last_row = HEADER_ROW + 1 + section[0], HEADER_ROW + 1 + section[-1]
    chart.add_data(Reference(sheet, min_col=keys.index(spec.chart.value) + 1, min_row=first_row, max_row=last_row),
                   titles_from_data=False)
    chart.set_categories(Reference(sheet, min_col=keys.index(spec.chart.label) + 1, min_row=first_row,
                                   max_row=last_row))
    # Beside the table from its header row down: the title above it runs on into the cells to its right.
    sheet.add_chart(chart, f"{get_column_letter(len(spec.columns) + 2)}{HEADER_ROW}")


def _chart_title(text: str):
    """A chart title in the workbook's named font at 12 pt, on one line (a spreadsheet's default 14 pt title
    wraps a date in two: "2020-12-" / "31")."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties, RegularTextRun

    face = Font(typeface=XLSX_FONT)
    properties = CharacterProperties(sz=1200, b=True, latin=face, ea=face)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=properties), r=[RegularTextRun(rPr=properties, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def display_width(text: str) -> int:
    """Columns a text takes on screen or in a spreadsheet: Hangul and other wide characters count two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)

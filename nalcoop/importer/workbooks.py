"""The one importer: read any spreadsheet a colleague made into typed rows, or say exactly why not.

A file is known by its content, not its name: xlsx, xlsm, xls (BIFF) and ods through python-calamine
(xlsb is refused: its cells cannot be measured before calamine lays them out); an HTML table saved as
".xls" (what many administrative systems export), read by the standard library's HTML parser; csv/tsv
in UTF-8 (with or without BOM), CP949 or UTF-16 (Excel's "Unicode text"). Merged cells are resolved
to their top-left value, across and down, before any row is typed. The header is one row, or two
where the upper row's merged cells group the lower ones, found even below title rows; columns are
named by a YAML column map (Korean and English headers, "group > column" for a two-row header) and
typed from it, never guessed, so codes keep their leading zeros. Errors carry file, sheet, Excel
row, column and value.
"""

from __future__ import annotations

import csv
import datetime as _dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from nalcoop.dates import DateError, parse_date
from nalcoop.errors import NalcoopError, RowsRejected  # noqa: F401 (RowsRejected: importers raise it from here)

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
HEADER_SCAN_ROWS = 30
FIELD_TYPES = ("text", "code", "date", "int", "choice", "isbn", "hours")
MAX_HOURS = 2_000.0  # in one cell or option: more is a typing mistake


class ImportFileError(NalcoopError):
    """The file as a whole cannot be imported (missing, not a spreadsheet, no header...)."""


@dataclass
class ImportCounts:
    """What an import of records did (or would do, in a dry run): created, changed, unchanged, row by row."""

    file: str
    outcomes: dict[str, int] = field(default_factory=lambda: {"created": 0, "changed": 0, "unchanged": 0})
    details: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return ", ".join(f"{count} {outcome}" for outcome, count in self.outcomes.items())


@dataclass(frozen=True)
class FieldSpec:
    name: str
    aliases: tuple[str, ...]
    type: str = "text"  # text | code | date | int | choice | isbn
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)  # normalized spelling -> value
    label: str = ""
    minimum: int | None = None  # for int fields: the smallest value allowed
    counters: tuple[str, ...] = ()  # for int fields: the counters a number may carry (3권, 5부)


@dataclass(frozen=True)
class ColumnMap:
    name: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.name == name)


@dataclass
class CellProblem:
    """One rejected value, located the way Excel shows it."""

    file: str
    sheet: str | None
    row: int
    column: str  # "C (협약일)"
    value: object
    why: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.sheet:
            where += f", sheet {self.sheet}"
        where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = ""
        if self.value not in (None, "") and _show(self.value) not in self.why:
            shown = f" {_show(self.value)}:"
        return f"{where}:{shown} {self.why}"


@dataclass
class SourceRow:
    sheet: str | None
    row: int  # as Excel numbers it (1-based)
    values: dict[str, Any]
    columns: dict[str, str]  # field -> "C (협약일)", for error messages

    def problem(self, file: str, field_name: str | None, why: str) -> CellProblem:
        column = self.columns.get(field_name, "") if field_name else ""
        value = self.values.get(field_name) if field_name else None
        return CellProblem(file, self.sheet, self.row, column, value, why)


@dataclass
class ReadResult:
    file: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]
    rows: list[SourceRow]
    problems: list[CellProblem]
    ignored_headers: list[str]
    warnings: list[str] = field(default_factory=list)
    header_rows: int = 1  # 2 for a grouped two-row header
    mapped: list[tuple[str, str]] = field(default_factory=list)  # (header as read, the field it fills)

    @property
    def header_note(self) -> str:
        """'header on rows 3–4; 추진 일자/요청일 → request date, ...': where the header was and what each column
        was taken for."""
        last = self.header_row + self.header_rows - 1
        rows = f"row {self.header_row}" if last == self.header_row else f"rows {self.header_row}–{last}"
        taken = ", ".join(f"{header} → {label}" for header, label in self.mapped)
        return f"header on {rows}" + (f"; {taken}" if taken else "")


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 13.0 in a cell is the 13 the librarian typed
    text = value.isoformat() if isinstance(value, (_dt.date, _dt.datetime)) else str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def normalize_header(text: object) -> str:
    return re.sub(r"[\s_\-./:*·()\[\]{}<>'\"]+", "", str(text)).lower()


def normalize_choice(text: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(text)).lower()


# ---------------------------------------------------------------- column maps


def load_map(name_or_path: str | Path, *, like: str | None = None) -> ColumnMap:
    """A shipped map by name (nalcoop/data/maps/NAME.yaml) or a user's YAML file.

    A user's map standing in for the shipped map `like` must have every field that map requires
    (the import reads them), or it is refused in one line naming the field.
    """
    import yaml

    from nalcoop.names import nfc

    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml"):
        if not path.is_file():
            raise ImportFileError(f"column map {path} does not exist")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(f"column map {path} is not UTF-8 text; save it as UTF-8 and try again") from None
        except OSError as exc:
            raise ImportFileError(f"cannot read column map {path}: {exc.strerror}") from None
        text = nfc(text)  # a map saved on a Mac may hold its Korean headers decomposed
        label = str(path)
    else:
        from importlib import resources  # not at the top: it costs a short command more than the rest

        text = resources.files("nalcoop").joinpath(f"data/maps/{name_or_path}.yaml").read_text("utf-8")
        label = str(name_or_path)
    try:
        data = yaml.load(text, Loader=_plain_yaml_loader())  # noqa: S506 - a SafeLoader without anchors
        column_map = _map_from_data(label, data)
    except (yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as exc:
        why = " ".join(str(exc).split())  # PyYAML's messages run over several lines
        raise ImportFileError(f"column map {label} is not valid: {why}") from None
    if like is not None and label != like:
        needed = [spec for spec in load_map(like).fields if spec.required]
        have = {spec.name for spec in column_map.fields}
        for spec in needed:
            if spec.name not in have:
                raise ImportFileError(f"column map {label} has no field '{spec.name}' ({spec.label}), which this "
                                      f"import needs; start from a copy of nalcoop/data/maps/{like}.yaml")
    return column_map


def _plain_yaml_loader():
    """PyYAML's SafeLoader refusing anchors and aliases: a column map never needs them, and a few hundred
    bytes of nested aliases ("billion laughs") expand to gigabytes."""
    import yaml

    class PlainLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise yaml.YAMLError(f"it uses a YAML anchor or alias (&, *) on line {event.start_mark.line + 1}; "
                                     "write each value out in full")
            return super().compose_node(parent, index)

    return PlainLoader


def _map_from_data(label: str, data: dict) -> ColumnMap:
    specs = []
    for name, spec in data["fields"].items():
        kind = spec.get("type", "text")
        if kind not in FIELD_TYPES:
            raise ValueError(f"field {name}: unknown type {kind}")
        choices: dict[str, str] = {}
        for value, spellings in (spec.get("choices") or {}).items():
            for spelling in [value, *(spellings or [])]:
                choices[normalize_choice(spelling)] = value
        aliases = tuple(str(alias) for alias in [name, *(spec.get("headers") or [])])
        minimum = spec.get("min")
        if minimum is not None and (kind != "int" or not isinstance(minimum, int)):
            raise ValueError(f"field {name}: min is for int fields and must be a whole number")
        counters = tuple(str(counter).lower() for counter in spec.get("counters") or ())
        if counters and kind != "int":
            raise ValueError(f"field {name}: counters are for int fields")
        specs.append(FieldSpec(name, aliases, kind, bool(spec.get("required")), choices, spec.get("label", name),
                               minimum, counters))
    if not specs:
        raise ValueError("no fields")
    return ColumnMap(label, tuple(specs))


# ---------------------------------------------------------------- reading cells


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class Sheet:
    """One sheet (or HTML table) to consider: its rows with merged cells already filled in, and the merged
    ranges as (first row, first column, last row, last column), 0-based within the rows as yielded."""

    name: str | None
    first_column: int
    rows: Iterator[list]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class FileKind:
    """What a file really is, whatever its name says."""

    kind: str  # xlsx | ods | xls | html | text | xml2003 | unknown
    encoding: str | None = None  # for html and text
    controls: bool = False  # text whose first bytes hold control characters no table has (a binary file?)

    @property
    def description(self) -> str:
        named = {"xlsx": "an Excel workbook (xlsx)", "ods": "an OpenDocument spreadsheet (ods)",
                 "xls": "an Excel 97-2003 workbook (xls)", "xml2003": "an Excel 2003 XML spreadsheet",
                 "unknown": "not a spreadsheet or text table"}
        if self.kind in named:
            return named[self.kind]
        encoding = ENCODING_NAMES.get(self.encoding or "", self.encoding or "")
        what = "an HTML table" if self.kind == "html" else "text (CSV/TSV)"
        return f"{what} in {encoding}"

    def matches(self, suffix: str) -> bool:
        """Whether the file's name says what its content is (.xlsx for xlsx, .csv for text ...)."""
        expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods", ".xls": "xls", ".htm": "html",
                    ".html": "html"}.get(suffix, "text" if suffix in TEXT_SUFFIXES else None)
        return expected == self.kind


ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp949": "CP949", "utf-16": "UTF-16"}


def sniff(path: Path) -> FileKind:
    """What the file's first bytes say it is: a zip (xlsx/ods), an OLE compound file (xls), an HTML table, an
    Excel 2003 XML spreadsheet, or text in UTF-8, UTF-8 with BOM, UTF-16 (with BOM) or CP949."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return FileKind("xlsx")  # damaged: _check_zip says so
        return FileKind("ods" if "content.xml" in names and not any(n.startswith("xl/") for n in names) else "xlsx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return FileKind("xls")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
        declared = "utf-16"
    else:
        text = head.decode("latin-1")  # only the ASCII of tags and declarations is looked at
        declared = None
    stripped = text.lstrip("\ufeff\ufffe\xef\xbb\xbf \t\r\n")
    if stripped.startswith("<"):
        found = _HtmlSniffer.look(stripped)
        if found.xml_workbook:
            return FileKind("xml2003")
        if found.html:
            encoding = found.charset if found.charset and not declared else _text_encoding(path)
            return FileKind("html", encoding) if encoding else FileKind("unknown")
    encoding = _text_encoding(path)
    if encoding is None:
        return FileKind("unknown")
    sample = head[:4096].decode(encoding, "ignore")
    return FileKind("text", encoding, any(ord(c) < 32 and c not in "\t\r\n" for c in sample))


def _sheets(path: Path, sheet: str | None, warnings: list[str]) -> Iterator[Sheet]:
    """The sheets to consider, with their merged cells resolved, for any kind of file."""
    from nalcoop.settings import SETTINGS, setting

    suffix = path.suffix.lower()
    size = path.stat().st_size
    if not size:
        raise ImportFileError(f"{path} is empty: there is nothing to import")
    max_mb = setting("import_max_mb")
    if size > max_mb * 1024 * 1024:
        raise ImportFileError(
            f"{path} is {size / 1024 / 1024:,.0f} MB, more than the {max_mb} MB an import reads; split it, "
            f"or raise {SETTINGS['import_max_mb'].variable} if the file is genuine"
        )
    kind = sniff(path)
    if suffix in TEXT_SUFFIXES and kind.kind == "unknown":
        raise ImportFileError(f"{path} is neither UTF-8 nor CP949 text; save it as CSV UTF-8 from Excel")
    if kind.kind == "unknown" or kind.controls and suffix not in TEXT_SUFFIXES:
        raise ImportFileError(
            f"{path} is not a{'n' if suffix[1:2] in 'aeiou' else ''} {suffix[1:] or 'spreadsheet'} workbook: its "
            "content is neither xlsx, xls, ods, an HTML table nor text in UTF-8, UTF-16 or CP949; save it again "
            "from Excel as .xlsx, or check the file"
        )
    if kind.kind == "xml2003":
        raise ImportFileError(f"{path} is {kind.description}, which nalcoop does not read; open it in Excel and "
                              "save it as an Excel workbook (.xlsx)")
    if not kind.matches(suffix):
        warnings.append(f"{path.name} is really {kind.description}; it was read as such")
    if kind.kind in ("xlsx", "ods", "xls"):
        if kind.kind != "xls":
            warnings.extend(_check_zip(path))
        for name, first_column, rows, merges in _calamine_sheets(path, sheet, kind.kind):
            yield Sheet(name, first_column, _merged(path, name, _limited(path, name, rows), merges), merges)
        return
    if kind.kind == "html":
        yield from _html_sheets(path, sheet, kind.encoding)
        return
    if sheet:
        raise ImportFileError(f"{path} is a text (CSV) file and has no sheets; drop --sheet")
    yield Sheet(None, 0, _limited(path, None, _csv_rows(path, kind.encoding)))


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
        raise ImportFileError(
            f"{path}{', sheet ' + sheet if sheet else ''}: its merged cells cover {area:,} cells, more than the "
            f"{setting('import_max_cells'):,} an import reads; unmerge them, or raise "
            f"{SETTINGS['import_max_cells'].variable} if the file is genuine"
        )
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


# ---------------------------------------------------------------- HTML tables saved as .xls


def _python_encoding(name: str) -> str | None:
    """The codec for a charset an HTML page declares (EUC-KR and its aliases are read as CP949, its superset)."""
    import codecs

    name = name.strip().strip("'\"").lower()
    if name in ("euc-kr", "euckr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "x-windows-949", "windows-949",
                "cp949", "uhc"):
        return "cp949"
    if name in ("utf-8", "utf8"):
        return "utf-8-sig"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


class _HtmlSniffer(HTMLParser):
    """The first tags of a file that begins with '<': is it an HTML page (and which charset does it declare),
    or an Excel 2003 XML spreadsheet?"""

    HTML_TAGS = {"html", "head", "body", "table", "meta", "title", "style", "tr", "td", "th"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.html = self.xml_workbook = False
        self.charset: str | None = None

    @classmethod
    def look(cls, text: str) -> _HtmlSniffer:
        import contextlib

        sniffer = cls()
        with contextlib.suppress(Exception):  # whatever the first bytes are, sniffing only looks
            sniffer.feed(text[:1 << 14])
        return sniffer

    def handle_starttag(self, tag, attrs):
        self.html = self.html or tag in self.HTML_TAGS
        self.xml_workbook = self.xml_workbook or tag == "workbook"
        if tag == "meta" and self.charset is None:
            values = {key: value or "" for key, value in attrs}
            declared = values.get("charset") or values.get("content", "").lower().partition("charset=")[2]
            if declared:
                self.charset = _python_encoding(declared.split(";")[0])

    def handle_decl(self, decl):
        self.html = self.html or decl.lower().startswith("doctype html")


class _HtmlTables(HTMLParser):
    """The top-level tables of an HTML page as a stream of events, ("table", n, merges), ("row", cells) and
    ("end",), with every colspan/rowspan filled with its cell's text and recorded in `merges` (so a grouped
    two-row header is read as from a workbook). A table inside a cell is read as that cell's text.

    The limits of every other path hold: tables nested deeper than MAX_DEPTH, a cell longer than
    import_max_cell_kb, a row wider than import_max_columns and more than import_max_cells cells in all are
    refused as they are met, so memory never holds more than the rows read.
    """

    MAX_DEPTH = 32
    MAX_COLSPAN, MAX_ROWSPAN = 1000, 65534  # as the HTML standard clamps them

    def __init__(self, path: Path):
        from nalcoop.settings import SETTINGS, setting

        super().__init__(convert_charrefs=True)
        self.path = path
        self.settings = SETTINGS
        self.max_cell = setting("import_max_cell_kb") * 1024
        self.max_columns = setting("import_max_columns")
        self.max_cells = setting("import_max_cells")
        self.events: list[tuple] = []
        self.depth = self.tables = self.cells = self.hidden = 0
        self.row: list | None = None
        self.cell: list[str] | None = None
        self.cell_length = 0
        self.spans: dict[int, tuple[int, str]] = {}  # column -> (last row, text) of rowspans in flight
        self.merges: list[tuple[int, int, int, int]] = []
        self.row_index = 0
        self.colspan = self.rowspan = 1

    def _refuse(self, why: str, variable: str | None = None) -> None:
        hint = f", or raise {self.settings[variable].variable} if the file is genuine" if variable else ""
        raise ImportFileError(f"{self.path}, table {self.tables}, row {self.row_index + 1}: {why}; this is not a "
                              f"ledger list (save it again from the system that made it{hint})")

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
            if self.depth > self.MAX_DEPTH:
                self._refuse(f"tables nested more than {self.MAX_DEPTH} deep")
            if self.depth == 1:
                self.tables += 1
                self.row, self.cell, self.spans, self.merges, self.row_index = None, None, {}, [], 0
                self.events.append(("table", self.tables, self.merges))
        elif tag in ("script", "style"):
            self.hidden += 1
        elif self.depth != 1:
            if tag == "br" and self.cell is not None:
                self.cell.append(" ")
        elif tag == "tr":
            self._end_row()
            self.row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self.row is None:
                self.row = []
            values = dict(attrs)
            self.colspan = min(_span(values.get("colspan")), self.MAX_COLSPAN)
            self.rowspan = min(_span(values.get("rowspan")), self.MAX_ROWSPAN)
            self.cell, self.cell_length = [], 0
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table":
            if self.depth == 1:
                self._end_row()
                self.events.append(("end",))
            self.depth = max(self.depth - 1, 0)
        elif tag in ("script", "style"):
            self.hidden = max(self.hidden - 1, 0)
        elif self.depth == 1 and tag in ("td", "th"):
            self._end_cell()
        elif self.depth == 1 and tag == "tr":
            self._end_row()

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell_length += len(data)
            if self.cell_length > self.max_cell:
                self._refuse(f"a cell longer than {self.max_cell // 1024:,} KB", "import_max_cell_kb")
            self.cell.append(data)

    def _fill_from_above(self, up_to: int) -> None:
        """Put the text of rowspans from rows above into this row's columns before `up_to`."""
        while True:
            column = len(self.row)
            span = self.spans.get(column)
            if span is None or column >= up_to:
                return
            self.row.append(span[1])

    def _end_cell(self) -> None:
        if self.cell is None:
            return
        text = " ".join("".join(self.cell).split())
        self.cell = None
        self._fill_from_above(self.max_columns + 1)
        column = len(self.row)
        if column + self.colspan > self.max_columns:
            self._refuse(f"more than the {self.max_columns:,} columns an import reads", "import_max_columns")
        self.cells += self.colspan * self.rowspan
        if self.cells > self.max_cells:
            self._refuse(f"more than the {self.max_cells:,} cells an import reads", "import_max_cells")
        self.row.extend([text] * self.colspan)
        if self.colspan > 1 or self.rowspan > 1:
            last_row = self.row_index + self.rowspan - 1
            self.merges.append((self.row_index, column, last_row, column + self.colspan - 1))
            if self.rowspan > 1:
                for position in range(column, column + self.colspan):
                    self.spans[position] = (last_row, text)

    def _end_row(self) -> None:
        self._end_cell()
        if self.row is None:
            return
        if self.spans:
            reach = max(self.spans) + 1
            while len(self.row) < reach:
                span = self.spans.get(len(self.row))
                self.row.append(span[1] if span else "")
        self.events.append(("row", self.row))
        self.row = None
        self.spans = {column: span for column, span in self.spans.items() if span[0] > self.row_index}
        self.row_index += 1

    def finish(self) -> None:
        self.close()
        if self.depth >= 1:  # a page cut off inside its table: what was read is kept
            self._end_row()
            self.events.append(("end",))
            self.depth = 0


def _span(value: str | None) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        return 1
    return number if number >= 1 else 1


def _html_events(path: Path, encoding: str) -> Iterator[tuple]:
    """Parse the page a megabyte at a time, yielding each table's events as they are complete."""
    import codecs

    parser = _HtmlTables(path)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                parser.feed(decoder.decode(chunk))
                events, parser.events = parser.events, []
                yield from events
            parser.feed(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise ImportFileError(f"{path} declares its text as {ENCODING_NAMES.get(encoding, encoding)} but is not; "
                              "save it again, or as CSV UTF-8 from Excel") from None
    parser.finish()
    yield from parser.events


def _html_sheets(path: Path, sheet: str | None, encoding: str) -> Iterator[Sheet]:
    """Each top-level table of an HTML page as a sheet named 'table 1', 'table 2' ..."""
    events = _html_events(path, encoding)
    names = []

    def table_rows() -> Iterator[list]:
        for event in events:
            if event[0] != "row":
                return
            yield event[1]

    for event in events:
        if event[0] != "table":
            continue
        name = f"table {event[1]}"
        names.append(name)
        rows = table_rows()
        if sheet is None or sheet == name:
            yield Sheet(name, 0, _limited(path, name, rows), event[2])
        for _rest in rows:  # what the reader left of this table
            pass
    if not names:
        raise ImportFileError(f"{path} is an HTML page without a table; export the list again as Excel or CSV")
    if sheet is not None and sheet not in names:
        raise ImportFileError(f"{path} has no table named '{sheet}'; its tables are: {', '.join(names)}")


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
                f"{where}: more than {max_rows:,} rows; split the file, or raise "
                f"{SETTINGS['import_max_rows'].variable} if the file is genuine"
            )
        if len(row) > max_columns:
            raise ImportFileError(
                f"{where}, row {number}: {len(row):,} columns, more than the {max_columns:,} an import reads; "
                f"remove the extra columns, or raise {SETTINGS['import_max_columns'].variable}"
            )
        if not number & 4095:
            advance(4096)
        # Every cell and header of every file passes here once: text to NFC (a Mac writes Hangul decomposed).
        # Most rows are NFC already: one check of the row's text (cells apart, so nothing composes across
        # them) instead of a call a cell.
        if not is_normalized("NFC", "\x00".join([cell for cell in row if cell.__class__ is str])):
            row = [nfc(cell) if cell.__class__ is str else cell for cell in row]
        yield row


def _inflated(raw, member) -> Iterator[bytes]:
    """The bytes of one zip part, inflated a few megabytes at a time straight from the file
    (never trusting the sizes the archive declares)."""
    import zipfile
    import zlib

    raw.seek(member.header_offset + 26)
    name_length, extra_length = int.from_bytes(raw.read(2), "little"), int.from_bytes(raw.read(2), "little")
    raw.seek(name_length + extra_length, 1)
    inflater = zlib.decompressobj(-15) if member.compress_type == zipfile.ZIP_DEFLATED else None
    left = member.compress_size
    while left > 0:
        chunk = raw.read(min(left, 1 << 20))
        if not chunk:
            break
        left -= len(chunk)
        while chunk:
            yield inflater.decompress(chunk, 1 << 22) if inflater else chunk
            chunk = inflater.unconsumed_tail if inflater else b""


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class _SheetExtent:
    """How far the cells of one xlsx worksheet part reach, measured as the part is inflated.

    python-calamine lays a sheet out as one dense block from its first to its last filled cell,
    so a sheet with one value in A1 and one in XFD1048576 asks for 17 billion cells and aborts
    the process. The quick pass bounds the block from above in a few regex scans: cells beyond
    column Z or row 99,999 are listed; the rest lie within Z99999, or within the last column the
    sheet's own <dimension> names once a scan has confirmed no cell lies beyond it. Only when that
    bound is too large are the cells that hold a value measured one by one (what calamine keeps).
    """

    NEAR_ROWS = 99_999

    def __init__(self, valued_only: bool = False):
        self.valued_only = valued_only
        self.tail = b""
        self.rows: list[int] = []
        self.columns: set[bytes] = set()
        self.near = False  # some cell lies within Z99999
        self.near_columns = 26  # ... and within this column
        self.unaddressed = 0  # cells without an r="A1" reference: calamine places them in turn
        self.row_elements: list[int] = []
        self.patterns = None

    def _compile(self, data: bytes) -> None:
        import re

        found = re.search(rb"<([A-Za-z_][\w.-]*:)?worksheet\b", data)
        prefix = self.prefix = re.escape(found.group(1)) if found and found.group(1) else b""
        c = b"<" + prefix + b"c"
        self.patterns = {
            "dimension": re.compile(b"<" + prefix + rb'dimension ref="[A-Z]{1,3}[0-9]{1,7}:([A-Z])[0-9]{1,7}"'),
            "beyond": None,
            "odd": re.compile(c + rb'(?=[\s/>])(?! r="[A-Z])'),  # a cell not written r="A1" first
            "wide": re.compile(c + rb' r="([A-Z]{2,3})[0-9]'),  # beyond column Z
            "deep": re.compile(c + rb' r="[A-Z]{1,3}([0-9]{6,7})"'),  # beyond row 99,999
            "cell": re.compile(c + rb"(?=[\s/>])"),
            "any_ref": re.compile(c + rb"""\s[^>]*?\br\s*=\s*["']([A-Za-z]{1,3})([0-9]{1,7})["']"""),
            "value": re.compile(rb">\s*<" + prefix + rb"(?:v|f|is)\b"),  # a cell's value opening
            "cell_start": c + b" ",
            "ref": re.compile(rb"""[^>]*?\br\s*=\s*["']([A-Za-z]{1,3})([0-9]{1,7})["']"""),
            "row": re.compile(b"<" + prefix + rb"""row\s[^>]*?\br\s*=\s*["']([0-9]{1,7})["']"""),
        }

    def feed(self, data: bytes) -> None:
        data = self.tail + data
        cut = data.rfind(b"<")
        self.tail, data = (data[cut:], data[:cut]) if cut >= 0 else (b"", data)
        if self.patterns is None:
            if b"worksheet" not in data and len(data) < 1 << 16:  # wait for the root element's prefix
                self.tail = data + self.tail
                return
            self._compile(data)
        patterns = self.patterns
        if patterns["dimension"] and not (self.near or self.rows or self.unaddressed):
            claimed = patterns["dimension"].search(data)
            if claimed and claimed.group(1) < b"Z":  # believed only until a cell lies beyond it
                import re

                last = claimed.group(1)[0]
                self.near_columns = last - 64
                patterns["beyond"] = re.compile(b"<" + self.prefix + rb'c r="[' + bytes([last + 1]) + rb'-Z][0-9]')
            if claimed or b"sheetData" in data:
                patterns["dimension"] = None
        if self.valued_only:
            for match in patterns["value"].finditer(data):  # few in a sheet of styled blanks
                opened = data.rfind(patterns["cell_start"], 0, match.start())
                ref = patterns["ref"].match(data, opened + len(patterns["cell_start"]), match.start())
                if opened >= 0 and ref:
                    self.columns.add(ref.group(1).upper())
                    self.rows.append(int(ref.group(2)))
                else:
                    self.unaddressed += 1
        elif not patterns["odd"].search(data):  # every cell written the usual way
            if b'<c r="' in data or patterns["cell"].search(data):
                self.near = True
            if patterns["beyond"] and self.near_columns < 26 and patterns["beyond"].search(data):
                self.near_columns = 26
            self.columns.update(patterns["wide"].findall(data))
            deep = patterns["deep"].findall(data)
            if deep:
                numbers = list(map(int, deep))
                self.rows += (min(numbers), max(numbers))
        else:
            refs = patterns["any_ref"].findall(data)
            self.unaddressed += len(patterns["cell"].findall(data)) - len(refs)
            self.columns.update(letters.upper() for letters, _ in refs)
            self.rows.extend(int(number) for _, number in refs)
        if self.unaddressed:
            self.row_elements += [int(n) for n in patterns["row"].findall(data)]

    def extent(self) -> tuple[int, int, str]:
        """(rows, columns, last cell) of the block calamine would lay out — an upper bound."""
        if not self.rows and not self.unaddressed and not self.near:
            return 0, 0, ""
        numbers = [_column_number(letters) for letters in self.columns]
        first_row, last_row = min(self.rows, default=1), max(self.rows, default=1)
        first_column, last_column = min(numbers, default=1), max(numbers, default=1)
        if self.near:  # the quick pass knows only that these cells lie within Z99999
            first_row, first_column = 1, 1
            last_row, last_column = max(last_row, self.NEAR_ROWS), max(last_column, self.near_columns)
        if self.unaddressed:  # placed after the addressed cells, in rows as far as the row elements go
            first_row, first_column = 1, 1
            last_row = max(last_row, max(self.row_elements, default=0), len(self.row_elements))
            last_column = last_column + self.unaddressed
        return (last_row - first_row + 1, last_column - first_column + 1,
                f"{_column_letter(last_column - 1)}{last_row}")


class _OdsExtent:
    """How far the filled cells of each table in an ods content.xml reach, counting the repeats
    (table:number-rows-repeated, table:number-columns-repeated) that calamine expands: one cell
    repeated 10,000 columns by 9,000 rows is 90 million cells and gigabytes of memory.

    An upper bound: every cell that is not empty (not self-closing) counts as filled.
    """

    TOKENS = None

    def __init__(self):
        import re

        if _OdsExtent.TOKENS is None:
            _OdsExtent.TOKENS = re.compile(
                rb"<table:(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>|</table:(table-row|table)>")
            _OdsExtent.REPEAT = re.compile(rb'table:number-(?:rows|columns)-repeated\s*=\s*["\']([0-9]{1,10})["\']')
        self.tail = b""
        self.largest = (0, 0, "")
        self._new_table()

    def _new_table(self) -> None:
        self.row = 0  # rows passed in this table
        self.row_repeat = 1
        self.column = 0
        self.row_filled = False
        self.last_row = self.last_column = 0

    def _end_table(self) -> None:
        rows, columns = self.last_row, self.last_column
        if rows * columns > self.largest[0] * self.largest[1] or rows > self.largest[0] or columns > self.largest[1]:
            self.largest = (rows, columns, f"{_column_letter(max(columns, 1) - 1)}{max(rows, 1)}")

    def _end_row(self) -> None:
        if self.row_filled:
            self.last_row = self.row + self.row_repeat
        self.row += self.row_repeat
        self.column, self.row_repeat, self.row_filled = 0, 1, False

    def feed(self, data: bytes) -> None:
        data = self.tail + data
        cut = data.rfind(b"<")
        self.tail, data = (data[cut:], data[:cut]) if cut >= 0 else (b"", data)
        for match in self.TOKENS.finditer(data):
            name, attributes, closed, end = match.groups()
            if end == b"table-row":
                self._end_row()
            elif end == b"table":
                self._end_table()
                self._new_table()
            elif name == b"table":
                self._new_table()
            else:
                repeat = self.REPEAT.search(attributes)
                count = int(repeat.group(1)) if repeat else 1
                if name == b"table-row":
                    self.column, self.row_filled, self.row_repeat = 0, False, count
                    if closed:
                        self._end_row()
                else:
                    if not closed:
                        self.row_filled = True
                        self.last_column = max(self.last_column, self.column + count)
                    self.column += count

    def extent(self) -> tuple[int, int, str]:
        self._end_table()
        return self.largest


def _check_zip(path: Path) -> list[str]:
    """Refuse an xlsx/ods whose parts unpack to more than the limit (a zip bomb), measuring what
    each part really inflates to rather than trusting the sizes it declares; refuse a sheet whose
    cells reach further than an import reads; warn of external links.
    """
    import zipfile
    import zlib

    from nalcoop.settings import SETTINGS, setting

    limit = setting("import_max_unpacked_mb") * 1024 * 1024
    refusal = (
        f"{path} unpacks to more than {limit // 1024 // 1024:,} MB (a 'zip bomb', or a workbook far larger "
        f"than a ledger import); nothing was read. Raise {SETTINGS['import_max_unpacked_mb'].variable} "
        "only if the file is genuine"
    )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > limit:
                raise ImportFileError(refusal)
            if any(m.filename.startswith("xl/worksheets/") and m.filename.endswith(".bin") for m in members):
                raise ImportFileError(f"{path} is a binary Excel workbook (xlsb), which nalcoop does not read; "
                                      "save it as an Excel workbook (.xlsx) and import that")
            unpacked = 0
            with path.open("rb") as raw:
                for member in members:
                    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                        raise ImportFileError(f"{path}: part {member.filename} uses a compression nalcoop "
                                              "does not read; save the workbook again from Excel")
                    if member.filename.lower() == "xl/sharedstrings.xml":
                        _refuse_too_many_strings(path, _inflated(raw, member))
                        raw.seek(0)
                    worksheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
                    extent = _SheetExtent() if worksheet else _OdsExtent() if member.filename == "content.xml" else None
                    for produced in _inflated(raw, member):
                        unpacked += len(produced)
                        if unpacked > limit:
                            raise ImportFileError(refusal)
                        if extent:
                            extent.feed(produced)
                    if isinstance(extent, _OdsExtent):
                        _refuse_extent(path, extent.extent())
                    elif extent and not _extent_fits(extent.extent()):
                        extent = _SheetExtent(valued_only=True)
                        for produced in _inflated(raw, member):
                            extent.feed(produced)
                        _refuse_extent(path, extent.extent())
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError) as exc:
        raise ImportFileError(f"{path} is a damaged workbook ({exc}); save it again from Excel") from None
    linked = sorted(m.filename for m in members if m.filename.startswith(("xl/externalLinks/", "externalLinks/"))
                    and "/_rels/" not in m.filename)
    if linked:
        return [f"{path.name} links to other workbooks ({len(linked)} external link part(s)); their values were "
                "read as last saved in this file, and nothing was fetched"]
    return []


_STRING_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _refuse_too_many_strings(path: Path, chunks: Iterator[bytes]) -> None:
    """calamine keeps every shared string of a workbook in memory, even an empty one (`<si/>`: 5 bytes on disk,
    about 24 in memory): more strings than an import reads cells is no list of councils but a memory bomb."""
    from nalcoop.settings import SETTINGS, setting

    limit = setting("import_max_cells")
    count, tail = 0, b""
    for chunk in chunks:
        data = tail + chunk
        count += len(_STRING_ITEM.findall(data, 0, max(0, len(data) - 64)))
        tail = data[max(0, len(data) - 64):]
        if count > limit:
            raise ImportFileError(f"{path} holds more than {limit:,} shared strings, more than the cells an import "
                                  f"reads; nothing was read. Save the list alone in a new workbook, or raise "
                                  f"{SETTINGS['import_max_cells'].variable} if the file is genuine")
    count += len(_STRING_ITEM.findall(tail))


def _extent_fits(extent: tuple[int, int, str]) -> bool:
    from nalcoop.settings import setting

    rows, columns, _ = extent
    return (rows <= setting("import_max_rows") and columns <= setting("import_max_columns")
            and rows * columns <= setting("import_max_cells"))


def _refuse_extent(path: Path, extent: tuple[int, int, str]) -> None:
    """Refuse a sheet whose filled cells span more than an import reads (before calamine lays it out)."""
    from nalcoop.settings import SETTINGS, setting

    if _extent_fits(extent):
        return
    rows, columns, last = extent
    if rows > setting("import_max_rows"):
        limit, variable = f"{setting('import_max_rows'):,} rows", "import_max_rows"
    elif columns > setting("import_max_columns"):
        limit, variable = f"{setting('import_max_columns'):,} columns", "import_max_columns"
    else:
        limit, variable = f"{setting('import_max_cells'):,} cells", "import_max_cells"
    raise ImportFileError(
        f"{path}: a sheet has values as far as cell {last} ({rows:,} rows × {columns:,} columns), more than the "
        f"{limit} an import reads; delete the stray cells beyond the list (Ctrl+End in Excel shows the last "
        f"one) and save again, or raise {SETTINGS[variable].variable} if the file is genuine"
    )


def _calamine_sheets(path: Path, sheet: str | None, kind: str = "xlsx"):
    """(name, first column, rows, merged ranges relative to the rows) of each sheet to consider."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except Exception as exc:  # calamine raises its own error types per format
        raise ImportFileError(f"{path} cannot be read as a workbook ({exc}); check the file") from None
    if sheet is not None and sheet not in names:
        raise ImportFileError(f"{path} has no sheet named '{sheet}'; its sheets are: {', '.join(names)}")
    for name in [sheet] if sheet else names:
        try:
            data = workbook.get_sheet_by_name(name)
            start = data.start
            rows = data.iter_rows()
            ranges = getattr(data, "merged_cell_ranges", None) or []  # None for ods
        except Exception as exc:
            raise ImportFileError(f"{path}, sheet {name}: cannot be read ({exc})") from None
        first_column = start[1] if start else 0
        # calamine numbers merged cells from A1; its rows start at row 1 and its columns at the first filled one
        merges = [(top, left - first_column, bottom, right - first_column)
                  for (top, left), (bottom, right) in ranges if left >= first_column and (bottom > top or right > left)]
        yield name, first_column, rows, merges


def _text_encoding(path: Path) -> str | None:
    """UTF-16 when the file begins with its byte-order mark; else UTF-8 (with or without BOM) or CP949,
    whichever decodes the whole file; checked in chunks
    so a large file is never held in memory twice."""
    import codecs

    with path.open("rb") as handle:
        marked = handle.read(2) in (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text": UTF-16 with a BOM
    for encoding in ("utf-16",) if marked else ("utf-8-sig", "cp949"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(path: Path, encoding: str | None = None) -> Iterator[list[str]]:
    """Rows of a CSV/TSV file, streamed: a hostile file of 100,000 columns per row is refused at its
    first wide row, and a large file is never split into memory all at once."""
    encoding = encoding or _text_encoding(path)
    if encoding is None:
        raise ImportFileError(f"{path} is neither UTF-8 nor CP949 text; save it as CSV UTF-8 from Excel")
    from nalcoop.settings import SETTINGS, setting

    max_cell = setting("import_max_cell_kb") * 1024
    with path.open(encoding=encoding, newline="") as handle:
        first_line = handle.readline(max_cell)
        handle.seek(0)
        tabbed = path.suffix.lower() in (".tsv", ".tab") or first_line.count("\t") > first_line.count(",")
        reader = csv.reader(handle, delimiter="\t" if tabbed else ",")
        while True:
            # The field limit is process-wide: set it only while this reader splits a row.
            previous = csv.field_size_limit(max_cell)
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise ImportFileError(
                        f"{path}, row {reader.line_num}: a cell longer than {max_cell // 1024:,} KB; this is not "
                        f"a ledger list (raise {SETTINGS['import_max_cell_kb'].variable} if it is genuine)"
                    ) from None
                raise ImportFileError(f"{path}, row {reader.line_num}: not well-formed CSV ({exc})") from None
            finally:
                csv.field_size_limit(previous)
            if any("\x00" in cell for cell in row):
                raise ImportFileError(f"{path}, row {reader.line_num}: contains NUL bytes: it is not a text CSV file")
            yield row


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _undefuse(text: str) -> str:
    """Undo the apostrophe nalcoop's CSV export puts before formula-like text (and before a text
    that itself begins with an apostrophe and a formula character)."""
    from nalcoop.render import FORMULA_PREFIXES

    if text[:1] == "'" and (text[1:2].startswith(FORMULA_PREFIXES)
                            or text[1:2] == "'" and text[2:3].startswith(FORMULA_PREFIXES)):
        return text[1:]
    return text


def as_table(source: str | Path | ReadResult, column_map: str | Path, *, sheet: str | None = None) -> ReadResult:
    """A file read with a column map, or rows already read (a command reads before it writes)."""
    if isinstance(source, ReadResult):
        return source
    return read_table(source, load_map(column_map), sheet=sheet)


def read_table(path: str | Path, column_map: ColumnMap, *, sheet: str | None = None) -> ReadResult:
    """Find the header, name the columns from the map, and type every cell of every row."""
    path = Path(path)
    if path.is_dir():
        raise ImportFileError(f"{path} is a folder; give the workbook or CSV file to import")
    if not path.exists():
        raise ImportFileError(f"{path} does not exist; check the file name and folder")
    from nalcoop import progress

    progress.on_interrupt("nothing was imported")
    progress.stage(f"reading {path.name}")
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
            lacking = "; ".join(f"'{spec.label}' ({', '.join(spec.aliases[1:4]) or spec.name})" for spec in nearly[1])
            raise ImportFileError(f"{where}: the header on row {nearly[0] + 1} has no column for "
                                  f"{lacking}; add it, or give --map FILE")
        known = ", ".join(spec.aliases[1] if len(spec.aliases) > 1 else spec.name for spec in column_map.fields)
        raise ImportFileError(
            f"{where}: no header row with a known column in the first {HEADER_SCAN_ROWS} rows "
            f"(known headers include {known}); rename the headers or give --map FILE"
        )
    what = "the sheet is" if len(empty_sheets) == 1 else "every sheet is"
    raise ImportFileError(f"{path}{_sheets_phrase(empty_sheets)}: {what} empty; there is nothing to import")


def _sheets_phrase(names: list[str | None]) -> str:
    """", sheet 현황" or ", sheets 표지, 현황" — nothing for a CSV file, which has no sheets."""
    named = [name for name in names if name is not None]
    if not named:
        return ""
    return f", sheet{'s' if len(named) > 1 else ''} {', '.join(named)}"


@dataclass
class Header:
    """Where a sheet's header is: its first row (0-based), how many rows it takes (1 or 2), each mapped field's
    column positions, the label of each position ("추진 일자/요청일" for a grouped one) and what was left out."""

    index: int
    height: int
    mapping: dict[str, list[int]]
    labels: dict[int, str]
    ignored: list[str]


def _header_lookup(column_map: ColumnMap) -> dict[str, str]:
    """Normalised header -> field. A two-row alias "추진 일자 > 요청일" normalises to the group and the column
    run together, which is how a two-row header's cells are looked up first."""
    return {normalize_header(alias): spec.name for spec in column_map.fields for alias in spec.aliases}


def _find_header(rows: list[list], column_map: ColumnMap, merges=()) -> Header | None:
    """The header that names the most fields, every required one among them: one row, or two where merged cells
    of the upper row group the columns below them (the pair wins a tie with its lower row, so grouped
    columns keep their group's name)."""
    lookup = _header_lookup(column_map)
    required = [spec.name for spec in column_map.fields if spec.required]
    copies = _copied_across(merges)
    best = None
    for index, row in enumerate(rows):
        candidates = [(1, {p: [_cell_text(v)] for p, v in enumerate(row) if (index, p) not in copies})]
        if index + 1 < len(rows) and _groups_below(index, rows[index + 1], merges):
            candidates.append((2, _two_row_labels(index, row, rows[index + 1], copies)))
        for height, keys in candidates:
            header = _match_header(index, height, keys, lookup)
            complete = header.mapping and all(name in header.mapping for name in required)
            if complete and (best is None or len(header.mapping) > len(best.mapping)):
                best = header
    return best


def _copied_across(merges) -> set[tuple[int, int]]:
    """Header-area cells that hold a copy of a merged cell to their left: one column's header, not several."""
    return {(row, column) for top, left, bottom, right in merges if top < HEADER_SCAN_ROWS and right > left
            for row in range(top, min(bottom, HEADER_SCAN_ROWS) + 1) for column in range(left + 1, right + 1)}


def _groups_below(index: int, lower: list, merges) -> bool:
    """Whether a merged cell of row `index` spans two or more labelled columns of the row below, without being a
    title merged over the whole table."""
    labelled = {p for p, v in enumerate(lower) if _cell_text(v)}
    for top, left, bottom, right in merges:
        if top == index and bottom == index and right > left:
            under = {p for p in labelled if left <= p <= right}
            if len(under) >= 2 and not labelled <= under:
                return True
    return False


def _two_row_labels(index: int, upper: list, lower: list, copies) -> dict[int, list[str]]:
    """Each column's header texts, most specific first: "group > column", then the column, then the group
    (for a column merged down, or one with nothing below)."""
    labels: dict[int, list[str]] = {}
    for position in range(max(len(upper), len(lower))):
        top = _cell_text(upper[position]) if position < len(upper) else ""
        bottom = _cell_text(lower[position]) if position < len(lower) else ""
        if bottom and top and bottom != top:
            labels[position] = [f"{top}/{bottom}", bottom, top]
        elif bottom and (index + 1, position) not in copies:
            labels[position] = [bottom]
        elif top and not bottom and (index, position) not in copies:
            labels[position] = [top]
    return labels


def _match_header(index: int, height: int, keys: dict[int, list[str]], lookup: dict[str, str]) -> Header:
    mapping: dict[str, list[int]] = {}
    labels: dict[int, str] = {}
    ignored: list[str] = []
    for position, texts in keys.items():
        if not texts or not texts[0]:
            continue
        for text in texts:
            name = lookup.get(normalize_header(text)) or lookup.get(
                normalize_header(re.sub(r"\(.*?\)|\[.*?\]", "", text))
            )
            if name:
                mapping.setdefault(name, []).append(position)
                labels[position] = texts[0]
                break
        else:
            if texts[0] not in ignored:
                ignored.append(texts[0])
    return Header(index, height, mapping, labels, ignored)


def _nearly_a_header(rows: list[list], column_map: ColumnMap) -> tuple[int, list[FieldSpec]] | None:
    """The row that looks most like a header but lacks a needed column: (its index, the fields it lacks)."""
    lookup = {normalize_header(alias): spec.name for spec in column_map.fields for alias in spec.aliases}
    nearest = None
    for index, row in enumerate(rows):
        found = {lookup[key] for key in (normalize_header(_cell_text(value)) for value in row) if key in lookup}
        if len(found) >= 2 and (nearest is None or len(found) > len(nearest[1])):
            nearest = (index, found)
    if nearest is None:
        return None
    return nearest[0], [spec for spec in column_map.fields if spec.required and spec.name not in nearest[1]]


def _typed_rows(path, sheet_name, first_column, buffered, rest, header: Header, column_map):
    file_label = path.name
    header_index, mapping = header.index, header.mapping
    columns: dict[str, str] = {}
    problems: list[CellProblem] = []
    positions: dict[str, int] = {}
    for name, found in mapping.items():
        labels = [f"{_column_letter(first_column + p)} ({header.labels[p]})" for p in found]
        if len(found) > 1:
            raise ImportFileError(
                f"{file_label}" + (f", sheet {sheet_name}" if sheet_name else "")
                + f", row {header_index + header.height}: columns {' and '.join(labels)} both mean '{name}'; "
                "keep one of them or give --map FILE"
            )
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
                                f"{spec.label} is empty; every row needs one")
                )
        if row_problems:
            problems.extend(row_problems)
        rows.append(SourceRow(sheet_name, index + 1, values, columns))
    mapped = [(header.labels[position], column_map.field(name).label)
              for name, position in sorted(positions.items(), key=lambda pair: pair[1])]
    return ReadResult(file_label, sheet_name, header.index + 1, columns, rows, problems, header.ignored,
                      header_rows=header.height, mapped=mapped)


def _typed(value: object, spec: FieldSpec, from_text: bool = False) -> object:
    """One cell, typed by its column's declared type; ValueError says why not.

    Text is trimmed; in a CSV file a leading apostrophe before a formula character is the one
    nalcoop's export added, and what follows it is kept exactly (a tab or CR included).
    """
    if isinstance(value, str):
        value = value.strip()
        if from_text:
            value = _undefuse(value)
    if value is None or value == "":
        return None
    if spec.type == "date":
        try:
            return parse_date(value).isoformat()
        except DateError as exc:
            raise ValueError(str(exc)) from None
    if spec.type == "int":
        return whole_number(value, spec.minimum, spec.counters, spec.label)
    if spec.type == "isbn":
        from nalcoop.identifiers import normalize_isbn

        return normalize_isbn(value)  # IdentifierError is a ValueError
    if spec.type == "hours":
        return hours_value(value, zero=True)  # the command decides whether 0 may be kept
    text = value if isinstance(value, str) else _cell_text(value)
    if spec.type == "choice":
        chosen = spec.choices.get(normalize_choice(text))
        if chosen is None:
            allowed = ", ".join(sorted(set(spec.choices.values())))
            raise ValueError(f"{_show(text)} is not one of: {allowed}")
        return chosen
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    return text


# What a number's counter (수량 단위) counts: a counter a field does not take is refused saying what it counts.
COUNTED = {"권": "books", "책": "books", "부": "copies", "copies": "copies", "copy": "copies", "books": "books",
           "vols": "books", "질": "sets", "시간": "hours", "h": "hours", "hr": "hours", "hrs": "hours",
           "hours": "hours", "명": "people", "개": "items", "회": "times", "번": "times", "일": "days", "원": "won",
           "매": "sheets", "%": "percent"}
COPY_COUNTERS = ("권", "부", "책", "copies", "copy", "books", "vols")  # a quantity of books or copies
_COUNTED_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)\s*(\S+)")


def _counter_refusal(text: str, what: str, counters: tuple[str, ...]) -> str | None:
    """Why a number with a counter (3시간) does not fit a field, or None when it is no counted number at all."""
    match = _COUNTED_NUMBER.fullmatch(text)
    counted = COUNTED.get(match[2].lower()) if match else None
    if counted is None:
        return None
    fits = sorted({COUNTED[counter] for counter in counters if counter in COUNTED})
    example = f"{match[1]} or {match[1]}{counters[0]}" if counters else match[1]
    if not fits:
        return f"the {what} '{text}' counts {counted}, and takes no counter; write {example}"
    return f"the {what} '{text}' counts {counted}, not {' or '.join(fits)}; write {example}"


_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:시간|h|hr|hrs|hour|hours)?", re.IGNORECASE)


def hours_value(value: object, what: str | None = None, *, zero: bool = False) -> float:
    """Hours as typed or read from a cell: 3, 1.5, '3시간', '2.5h'; ValueError says why not
    (prefixed with `what`, an option's name, when given)."""
    lead = f"{what}: " if what else ""
    if isinstance(value, bool):
        raise ValueError(f"{lead}{value} is not a number of hours")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip() if value is not None else ""
        match = _HOURS.fullmatch(text)
        if not match:
            refusal = _counter_refusal(text, "hours", ("시간",))
            if refusal:
                raise ValueError(f"{lead}{refusal}")
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise ValueError(f"{lead}'{shown}' is not a number of hours (such as 3 or 1.5)")
        number = float(match[1])
    if math.isnan(number) or math.isinf(number) or number < 0 or (number == 0 and not zero):
        raise ValueError(f"{lead}{value} is not a number of hours {'of 0 or more' if zero else 'above 0'}")
    if number > MAX_HOURS:
        raise ValueError(f"{lead}{number:g} is more than {MAX_HOURS:,.0f} hours")
    if round(number, 2) == 0 and not zero:
        raise ValueError(f"{lead}{value} is less than a hundredth of an hour")
    return round(number, 2)


def whole_number(value: object, minimum: int | None = None, counters: tuple[str, ...] = (),
                 what: str = "number") -> int:
    """A cell or option as a whole number (1,200 and 12.0 allowed, and 3권 where `counters` has 권); ValueError
    says why not, naming `what` the number is when its counter does not fit (3시간 as a quantity of books)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _cell_text(value).replace(",", "")
        counted = _COUNTED_NUMBER.fullmatch(text)
        if counted and counted[2].lower() in counters and re.fullmatch(r"-?\d+", counted[1]):
            text = counted[1]
        if not re.fullmatch(r"-?\d+", text):
            refusal = _counter_refusal(text, what, counters)
            raise ValueError(refusal or f"{_show(value)} is not a whole number")
        number = int(text)
    if minimum is not None and number < minimum:
        if minimum == 1:
            raise ValueError(f"{_show(value)} is not a positive whole number (1 or more)")
        raise ValueError(f"{_show(value)} is less than {minimum}")
    return number


def _converter(spec: FieldSpec, from_text: bool = False):
    """The typing function of one column, with a fast path for the cells most files hold.

    A plain string in a text column and a whole number in an int column take a few
    operations instead of the general path; everything else goes through _typed, so the
    results are the same. Choice and date columns repeat few distinct values: memoised.
    """
    if spec.type in ("text", "code"):

        def convert(value: object) -> object:
            if value.__class__ is str:
                text = value.strip()
                if text and text[0] != "'" and "\x00" not in text:
                    return text
            return _typed(value, spec, from_text)

        return convert
    if spec.type == "int":
        minimum = spec.minimum

        def convert(value: object) -> object:
            cls = value.__class__
            if cls is float and value.is_integer() or cls is int:
                number = int(value)
                if minimum is None or number >= minimum:
                    return number
            return _typed(value, spec, from_text)

        return convert
    if spec.type == "isbn":
        from nalcoop.identifiers import normalize_isbn

        def convert(value: object) -> object:
            if value.__class__ is str:
                text = value.strip()
                if text and text[0] != "'":
                    return normalize_isbn(text)
            return _typed(value, spec, from_text)

        return convert
    if spec.type in ("choice", "date"):
        memo: dict[object, object] = {}

        def convert(value: object) -> object:
            key = (value.__class__, value)
            try:
                return memo[key]
            except KeyError:
                pass
            except TypeError:  # an unhashable value: type it each time
                return _typed(value, spec, from_text)
            typed = memo[key] = _typed(value, spec, from_text)
            return typed

        return convert
    return lambda value: _typed(value, spec, from_text)

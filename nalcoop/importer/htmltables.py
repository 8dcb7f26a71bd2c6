"""HTML tables saved as ".xls" (what many administrative systems export), read by the standard library's HTML
parser as a stream, each top-level table a sheet."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from nalcoop.i18n import _
from nalcoop.importer.records import ImportFileError
from nalcoop.importer.sheets import Sheet, _limited
from nalcoop.importer.text import ENCODING_NAMES


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
        hint = (_(", or raise {variable} if the file is genuine").format(variable=self.settings[variable].variable)
                if variable else "")
        raise ImportFileError(_("{path}, table {table}, row {row}: {why}; this is not a ledger list (save it again "
                                "from the system that made it{hint})").format(
            path=self.path, table=self.tables, row=self.row_index + 1, why=why, hint=hint))

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
        raise ImportFileError(_("{path} declares its text as {encoding} but is not; save it again, or as CSV "
                                "UTF-8 from Excel").format(path=path,
                                                           encoding=ENCODING_NAMES.get(encoding, encoding))) from None
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
        raise ImportFileError(_("{path} is an HTML page without a table; export the list again as Excel "
                                "or CSV").format(path=path))
    if sheet is not None and sheet not in names:
        raise ImportFileError(_("{path} has no table named '{sheet}'; its tables are: {items}").format(
            path=path, sheet=sheet, items=', '.join(names)))

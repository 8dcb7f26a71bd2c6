"""Workbooks: xlsx, xlsm, xls (BIFF) and ods through python-calamine, measured first: a zip bomb, a sheet whose
cells reach further than an import reads, too many shared strings and xlsb are refused before calamine lays a
sheet out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from nalcoop.i18n import _
from nalcoop.importer.records import ImportFileError, _column_letter


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
                raise ImportFileError(_("{path} is a binary Excel workbook (xlsb), which nalcoop does "
                                        "not read; save it as an Excel workbook (.xlsx) and import that").format(
                    path=path))
            unpacked = 0
            with path.open("rb") as raw:
                for member in members:
                    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                        raise ImportFileError(_("{path}: part {filename} uses a compression nalcoop does "
                                                "not read; save the workbook again from Excel").format(
                            path=path, filename=member.filename))
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
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError) as exc:  # NotImplementedError:
        # a zip that needs a newer version or another compression than zipfile reads (damaged, or made by an oddity)
        raise ImportFileError(_("{path} is a damaged workbook ({exc}); save it again from Excel").format(
            path=path, exc=exc)) from None
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
            raise ImportFileError(_("{path} holds more than {limit:,} shared strings, more than the "
                                    "cells an import reads; nothing was read. Save the list alone in a "
                                    "new workbook, or raise {variable} if the file is genuine").format(
                path=path, limit=limit, variable=SETTINGS['import_max_cells'].variable))
    count += len(_STRING_ITEM.findall(tail))


def _extent_fits(extent: tuple[int, int, str]) -> bool:
    from nalcoop.settings import setting

    rows, columns, _last = extent
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
        _("{path}: a sheet has values as far as cell {last} ({rows:,} rows × {columns:,} columns), more "
          "than the {limit} an import reads; delete the stray cells beyond the list (Ctrl+End in Excel "
          "shows the last one) and save again, or raise {variable} if the file is genuine").format(
            path=path, last=last, rows=rows, columns=columns, limit=limit, variable=SETTINGS[variable].variable)
    )


def _calamine_sheets(path: Path, sheet: str | None, kind: str = "xlsx"):
    """(name, first column, rows, merged ranges relative to the rows) of each sheet to consider."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except Exception as exc:  # calamine raises its own error types per format
        raise ImportFileError(_("{path} cannot be read as a workbook ({exc}); check the file").format(
            path=path, exc=exc)) from None
    if sheet is not None and sheet not in names:
        raise ImportFileError(_("{path} has no sheet named '{sheet}'; its sheets are: {items}").format(
            path=path, sheet=sheet, items=', '.join(names)))
    for name in [sheet] if sheet else names:
        try:
            data = workbook.get_sheet_by_name(name)
            start = data.start
            rows = data.iter_rows()
            ranges = getattr(data, "merged_cell_ranges", None) or []  # None for ods
        except Exception as exc:
            raise ImportFileError(_("{path}, sheet {name}: cannot be read ({exc})").format(
                path=path, name=name, exc=exc)) from None
        first_column = start[1] if start else 0
        # calamine numbers merged cells from A1; its rows start at row 1 and its columns at the first filled one
        merges = [(top, left - first_column, bottom, right - first_column)
                  for (top, left), (bottom, right) in ranges if left >= first_column and (bottom > top or right > left)]
        yield name, first_column, rows, merges

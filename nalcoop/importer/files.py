"""What a file is, by its content, not its name (sniff), and the sheets to consider in it, whatever its kind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nalcoop.i18n import _
from nalcoop.importer.htmltables import _html_sheets, _HtmlSniffer
from nalcoop.importer.records import TEXT_SUFFIXES, ImportFileError
from nalcoop.importer.sheets import Sheet, _limited, _merged
from nalcoop.importer.text import ENCODING_NAMES, _csv_rows, _text_encoding
from nalcoop.importer.workbooks import _calamine_sheets, _check_zip


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
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
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
        raise ImportFileError(_("{path} is empty: there is nothing to import").format(path=path))
    max_mb = setting("import_max_mb")
    if size > max_mb * 1024 * 1024:
        raise ImportFileError(_("{path} is {size:,.0f} MB, more than the {max_mb} MB an import reads; split it, or "
                                "raise {variable} if the file is genuine").format(
            path=path, size=size / 1024 / 1024, max_mb=max_mb, variable=SETTINGS["import_max_mb"].variable))
    kind = sniff(path)
    if suffix in TEXT_SUFFIXES and kind.kind == "unknown":
        raise ImportFileError(_("{path} is neither UTF-8 nor CP949 text; save it as CSV UTF-8 from Excel").format(
            path=path))
    if kind.kind == "unknown" or kind.controls and suffix not in TEXT_SUFFIXES:
        said = (_("{path} is not an {kind} workbook: its content is neither xlsx, xls, ods, an HTML table nor text in "
                  "UTF-8, UTF-16 or CP949; save it again from Excel as .xlsx, or check the file")
                if suffix[1:2] in "aeiou" else
                _("{path} is not a {kind} workbook: its content is neither xlsx, xls, ods, an HTML table nor text in "
                  "UTF-8, UTF-16 or CP949; save it again from Excel as .xlsx, or check the file"))
        raise ImportFileError(said.format(path=path, kind=suffix[1:] or _("spreadsheet")))
    if kind.kind == "xml2003":
        raise ImportFileError(_("{path} is {description}, which nalcoop does not read; open it in Excel "
                                "and save it as an Excel workbook (.xlsx)").format(
            path=path, description=kind.description))
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
        raise ImportFileError(_("{path} is a text (CSV) file and has no sheets; drop --sheet").format(path=path))
    yield Sheet(None, 0, _limited(path, None, _csv_rows(path, kind.encoding)))

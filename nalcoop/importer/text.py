"""Text tables: csv/tsv in UTF-8 (with or without BOM), CP949 or UTF-16 (Excel's "Unicode text"), streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from nalcoop.i18n import _
from nalcoop.importer.records import ImportFileError

ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp949": "CP949", "utf-16": "UTF-16"}


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
        raise ImportFileError(_("{path} is neither UTF-8 nor CP949 text; save it as CSV UTF-8 from Excel").format(
            path=path))
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
                    raise ImportFileError(_("{path}, row {row}: a cell longer than {size:,} KB; this is not a ledger "
                                            "list (raise {variable} if it is genuine)").format(
                        path=path, row=reader.line_num, size=max_cell // 1024,
                        variable=SETTINGS["import_max_cell_kb"].variable)) from None
                raise ImportFileError(_("{path}, row {line_num}: not well-formed CSV ({exc})").format(
                    path=path, line_num=reader.line_num, exc=exc)) from None
            finally:
                csv.field_size_limit(previous)
            if any("\x00" in cell for cell in row):
                raise ImportFileError(_("{path}, row {line_num}: contains NUL bytes: it is not a text "
                                        "CSV file").format(path=path, line_num=reader.line_num))
            yield row

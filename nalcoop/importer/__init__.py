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

Each module imports only those above it in this list:

    records     limits and field types, the map's fields, a rejected cell, a row, a read table, import counts
    values      cells into typed values (dates, whole numbers with their counters, hours, choices, ISBNs)
    columns     column maps (YAML) and finding the header, one row or two
    sheets      what every reader shares: row and column limits, text to NFC, merged cells filled in
    text        csv/tsv and their encodings
    htmltables  HTML tables saved as .xls
    workbooks   xlsx/xls/ods through python-calamine, measured first (zip bombs, stray far cells, xlsb)
    files       what a file really is (sniff) and the sheets to consider in it
    tables      read_table / as_table: header, columns and typed rows of the first sheet that has them

Heavy libraries (python-calamine, yaml) are imported inside the functions that need them. The `_name as _name`
imports below are not public: they keep the internals that the tests of the readers' limits reach as
importer._name where they were.
"""

from nalcoop.importer.columns import Header, load_map
from nalcoop.importer.files import FileKind, sniff
from nalcoop.importer.files import _sheets as _sheets
from nalcoop.importer.records import (
    FIELD_TYPES,
    HEADER_SCAN_ROWS,
    MAX_HOURS,
    OUTCOMES,
    SPREADSHEET_SUFFIXES,
    TEXT_SUFFIXES,
    CellProblem,
    ColumnMap,
    FieldSpec,
    ImportCounts,
    ImportFileError,
    ReadResult,
    RowsRejected,
    SourceRow,
    counted,
    normalize_choice,
    normalize_header,
    row_detail,
)
from nalcoop.importer.records import _column_letter as _column_letter
from nalcoop.importer.sheets import Sheet
from nalcoop.importer.sheets import _limited as _limited
from nalcoop.importer.tables import as_table, read_table
from nalcoop.importer.text import ENCODING_NAMES
from nalcoop.importer.text import _csv_rows as _csv_rows
from nalcoop.importer.values import COPY_COUNTERS, COUNTED, hours_value, whole_number
from nalcoop.importer.workbooks import _check_zip as _check_zip
from nalcoop.importer.workbooks import _OdsExtent as _OdsExtent
from nalcoop.importer.workbooks import _SheetExtent as _SheetExtent

__all__ = [
    "OUTCOMES",
    "counted",
    "row_detail",
    "COPY_COUNTERS",
    "COUNTED",
    "ENCODING_NAMES",
    "FIELD_TYPES",
    "HEADER_SCAN_ROWS",
    "MAX_HOURS",
    "SPREADSHEET_SUFFIXES",
    "TEXT_SUFFIXES",
    "CellProblem",
    "ColumnMap",
    "FieldSpec",
    "FileKind",
    "Header",
    "ImportCounts",
    "ImportFileError",
    "ReadResult",
    "RowsRejected",
    "Sheet",
    "SourceRow",
    "as_table",
    "hours_value",
    "load_map",
    "normalize_choice",
    "normalize_header",
    "read_table",
    "sniff",
    "whole_number",
]

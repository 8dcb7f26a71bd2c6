"""The one importer (being cut into modules: everything is in workbooks.py for this one commit)."""

from nalcoop.importer.workbooks import *  # noqa: F403
from nalcoop.importer.workbooks import (  # noqa: F401
    _check_zip,
    _column_letter,
    _csv_rows,
    _limited,
    _OdsExtent,
    _SheetExtent,
    _sheets,
)

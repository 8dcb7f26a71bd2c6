"""Book donations (도서 기증) to libraries in culturally marginalized regions: recipients, stock, batches.

Recipient libraries sit in a local government of the council registry, so their regions roll
up to basic and provincial level as of any date. Books set aside for donation come into a
stock (receipts) and leave it when drawn into a batch; a batch goes planned → packed →
shipped → received, or is cancelled, which returns its books to stock. Every function here
writes inside the caller's journaled command and knows nothing of the command line.

The package, one way down: `records` (vocabularies, errors, a library, a book) ← `libraries` and `stock` ←
`batches` ← `stats` and `invariants`. This module only re-exports what `commands/`, the activity list and
other modules use; no module of the package imports it.
"""

from __future__ import annotations

from nalcoop.donations.batches import (
    Added,
    BatchSummary,
    add_file_to_batch,
    add_to_batch,
    batch_items,
    batch_rows,
    batch_step,
    batch_summary,
    batch_timeline,
    check_eligible,
    find_batch,
    format_number,
    open_batch,
)
from nalcoop.donations.invariants import invariant_problems
from nalcoop.donations.libraries import (
    EDITABLE,
    add_library,
    edit_library,
    import_libraries,
    library_by_id,
    library_rows,
    resolve_library,
)
from nalcoop.donations.records import (
    DEFAULT_TARGET,
    LIBRARY_TYPES,
    NEXT_STEPS,
    REASONS,
    RECEIPT_SOURCES,
    STATS_DIMENSIONS,
    STATUS_AFTER,
    STATUSES,
    STEP_WORDS,
    STEPS,
    STOCK_MOVES,
    AmbiguousLibrary,
    DonationError,
    Item,
    Library,
    LibraryNotFound,
    StockShortage,
    item_key,
    make_item,
    name_key,
)
from nalcoop.donations.stats import MEASURES, SHIPPED, STATISTICS, headline, report_sheets, stats, stats_period
from nalcoop.donations.stock import (
    StockImportReport,
    add_stock,
    import_stock,
    known_titles,
    on_hand,
    stock_details,
    stock_rows,
)

__all__ = [
    "DEFAULT_TARGET", "EDITABLE", "LIBRARY_TYPES", "NEXT_STEPS", "REASONS", "RECEIPT_SOURCES", "SHIPPED",
    "MEASURES", "STATISTICS", "STATS_DIMENSIONS", "STATUSES", "STATUS_AFTER", "STEPS", "STEP_WORDS", "STOCK_MOVES",
    "Added", "AmbiguousLibrary", "BatchSummary", "DonationError", "Item", "Library", "LibraryNotFound",
    "StockImportReport", "StockShortage",
    "add_file_to_batch", "add_library", "add_stock", "add_to_batch", "batch_items", "batch_rows", "batch_step",
    "batch_summary", "batch_timeline", "check_eligible", "edit_library", "find_batch", "format_number",
    "headline", "import_libraries", "import_stock", "invariant_problems", "item_key", "known_titles",
    "library_by_id", "library_rows", "make_item", "name_key", "on_hand", "open_batch", "report_sheets",
    "resolve_library", "stats", "stats_period", "stock_details", "stock_rows",
]

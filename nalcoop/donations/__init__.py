"""Book donations (도서 기증) to libraries in culturally marginalized regions: recipients, stock, batches.

Recipient libraries sit in a local government of the council registry, so their regions roll
up to basic and provincial level as of any date. Books set aside for donation come into a
stock (receipts) and leave it when drawn into a batch; a batch goes planned → packed →
shipped → received, or is cancelled, which returns its books to stock. Every function here
writes inside the caller's journaled command and knows nothing of the command line.

The package, one way down: `records` (vocabularies, errors, a library, a book) ← `libraries` and `stock` ←
`batches` ← `stats` and `invariants`. This module only re-exports what `commands/`, the activity list and
other modules use; no module of the package imports it.

The names are loaded from their modules on first use (nalcoop/lazy.py): a command pays only for the
modules it uses.
"""

from __future__ import annotations

from nalcoop.lazy import exports

__getattr__, __dir__, __all__ = exports(__name__, {
    "batches": ("Added", "BatchSummary", "add_file_to_batch", "add_to_batch", "batch_items", "batch_rows",
                "batch_step", "batch_summary", "batch_timeline", "check_eligible", "find_batch", "format_number",
                "open_batch"),
    "invariants": ("invariant_problems",),
    "libraries": ("EDITABLE", "add_library", "edit_library", "import_libraries", "library_by_id", "library_rows",
                  "resolve_library"),
    "records": ("DEFAULT_TARGET", "LIBRARY_TYPES", "NEXT_STEPS", "REASONS", "RECEIPT_SOURCES", "STATS_DIMENSIONS",
                "STATUS_AFTER", "STATUSES", "STEP_WORDS", "STEPS", "STOCK_MOVES", "AmbiguousLibrary", "DonationError",
                "Item", "Library", "LibraryNotFound", "StockShortage", "item_key", "make_item", "name_key"),
    "stats": ("MEASURES", "SHIPPED", "STATISTICS", "headline", "report_sheets", "stats", "stats_period"),
    "stock": ("StockImportReport", "add_stock", "import_stock", "known_titles", "on_hand", "stock_details",
              "stock_rows"),
})

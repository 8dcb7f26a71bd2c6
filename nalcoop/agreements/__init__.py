"""Agreements (업무협약) between the National Assembly Library and local councils.

Each council's history is a sequence of dated steps in agreement_events, appended in date
order: request → consultation → signing → follow-up / renewal, or withdrawal of a request,
or termination. A new request after a withdrawal or termination starts a new cycle; the
history stays. The status on a date is the status after the council's last step on or
before that date (inclusive).

    records     the steps, statuses, modes and follow-up kinds; AgreementError, Step
    mergers     the successor rule: what a merged council inherits (Inheritance, inherited)
    rules       record_step and the order it enforces
    invariants  invariant_problems, for `nalcoop check`
    listings    status_rows, timeline, due
    stats       STATISTICS, stats(), headline(), report_sheets()
    imports     the councils workbook, imported and exported

Each module imports only those above it; this one keeps every public name (`nalcoop.agreements.X`).

The names are loaded from their modules on first use (nalcoop/lazy.py): a command pays only for the
modules it uses.
"""

from __future__ import annotations

from nalcoop.lazy import exports

__getattr__, __dir__, __all__ = exports(__name__, {
    "imports": ("EXPORT_COLUMNS", "EXPORT_HEADERS", "IMPORT_STEPS", "ImportRejected", "ImportReport", "RowOutcome",
                "apply_agreements", "export_rows", "import_agreements", "read_agreements"),
    "invariants": ("invariant_problems",),
    "listings": ("due", "status_rows", "timeline"),
    "mergers": ("Inheritance", "inherited"),
    "records": ("FOLLOW_UP_KINDS", "MODES", "SHOWN_STATUSES", "STATUS_AFTER", "STATUSES", "STEP_WORDS", "STEPS",
                "TIMELINE_STEPS", "AgreementError", "Step"),
    "rules": ("record_step",),
    "stats": ("IN_FORCE", "MEASURES", "PERIOD_DIMENSIONS", "PERIOD_STEPS", "STATISTICS", "STEPS_TAKEN", "headline",
              "report_sheets", "stats", "stats_as_of", "stats_period"),
})

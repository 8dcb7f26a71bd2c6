"""Distribution of NAL's publications: the catalogue, recipients at home and abroad, standing
lists (subscriptions), dispatch runs, returns, labels and statistics.

Plain functions over a sqlite3 connection; the caller runs writes inside a journaled command.
Dates are ISO strings, every period inclusive: a subscription runs from its first to its last
day, a recipient is active from its first day until the day it became inactive (exclusive).

    records        the closed lists, limits, errors; Publication, Issue, Recipient
    catalogue      publications and issues
    recipients     recipients: added, changed, inactive, active again, listed
    subscriptions  the standing lists
    dispatch       dispatch runs, returns, addresses under review; dispatch lines and labels
    imports        recipients and standing lists from a workbook
    stats          STATISTICS, stats(), headline(), report_sheets()
    invariants     invariant_problems, for `nalcoop check`

Each module imports only those above it; this one keeps every public name (`nalcoop.distribution.X`).

The names are loaded from their modules on first use (nalcoop/lazy.py): a command pays only for the
modules it uses.
"""

from __future__ import annotations

from nalcoop.lazy import exports

__getattr__, __dir__, __all__ = exports(__name__, {
    "catalogue": ("add_issue", "add_publication", "edit_publication", "find_issue", "issue_by_id", "issue_key",
                  "issue_rows", "publication_by_id", "publication_rows", "resolve_publication"),
    "dispatch": ("DispatchPlan", "check_plan", "label_rows", "line_rows", "plan_dispatch", "plan_rows",
                 "record_return", "review_rows", "send", "undeliverable_streak", "under_review"),
    "imports": ("import_recipients", "import_subscriptions"),
    "invariants": ("invariant_problems",),
    "recipients": ("RECIPIENT_FIELDS", "add_recipient", "all_recipients", "deactivate_recipient", "edit_recipient",
                   "paused_on", "reactivate_recipient", "recipient_by_id", "recipient_rows", "resolve_recipient"),
    "records": ("FREQUENCIES", "MAX_COPIES", "MAX_PAGES", "MAX_PRINTED", "RECIPIENT_STATES", "RECIPIENT_TYPES",
                "RETURN_REASONS", "REVIEW_AFTER", "STATS_DIMENSIONS", "DistributionError", "Issue", "NotFound",
                "Publication", "Recipient"),
    "stats": ("MEASURES", "SENT", "STANDING", "STATISTICS", "headline", "report_sheets", "stats", "stats_as_of",
              "stats_period"),
    "subscriptions": ("subscribe", "subscribe_once", "subscription_rows", "unsubscribe"),
})

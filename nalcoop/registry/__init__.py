"""The effective-dated registry of Korea's local councils: who existed, under what name, when.

A council keeps one identity (councils.id) across renames, moves and code changes; each
state is a council_versions row valid from `valid_from` (inclusive) to `valid_to`
(exclusive). The state "as of D" (inclusive: the end of day D) is the version with
valid_from <= D < valid_to.

Each module imports only those above it in this list:

    records     the closed lists (kinds, levels, change kinds and origins), Council, the registry's errors
    queries     a council's state on a day, its versions, the changes, successions (who succeeded whom)
    lookup      from what a librarian typed to one council (resolve), provinces, regions, the councils of a day
    versions    how a dated change is written: the change row, then its create/update/abolish operations
    recording   the later changes a librarian records (rename, recode, move, abolish, create, split, merge)
    shipped     the registry shipped in nalcoop/data/councils.yaml: load it, bring a ledger up to it

Heavy libraries (rapidfuzz, yaml) are imported inside the functions that need them. The `_name`s listed
below are not public: they keep the internals that the fuzz tests reach as registry._name where they were.

The names are loaded from their modules on first use (nalcoop/lazy.py): a command pays only for the
modules it uses.
"""

from __future__ import annotations

from nalcoop.dates import BEGINNING  # noqa: F401 (a public name of the package too)
from nalcoop.lazy import exports

__getattr__, __dir__, __all__ = exports(__name__, {
    "lookup": ("SHORT_NAMES", "Period", "councils_as_of", "normalize_name", "province_short_forms", "region_of",
               "resolve", "resolve_province", "resolve_region", "_candidate_label", "_name_index"),
    "queries": ("changes", "council_as_of", "council_then", "described", "latest_version", "successions",
                "versions_of"),
    "recording": ("abolish", "create", "merge", "move", "recode", "rename", "split"),
    "records": ("CHANGE_KINDS", "CHANGE_ORIGINS", "KINDS", "LEVELS", "VERSION_FIELDS", "AmbiguousCouncil", "Council",
                "CouncilNotFound", "RegistryError"),
    "shipped": ("BASELINE_KEY", "UpdateReport", "load_shipped", "shipped_registry", "update_shipped"),
    "versions": ("ChangeRecord", "apply_operation", "council_english", "council_names", "record_change"),
})

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

Heavy libraries (rapidfuzz, yaml) are imported inside the functions that need them. The `_name as _name`
imports below are not public: they keep the internals that the fuzz tests reach as registry._name where
they were.
"""

from nalcoop.dates import BEGINNING
from nalcoop.registry.lookup import (
    SHORT_NAMES,
    Period,
    councils_as_of,
    normalize_name,
    province_short_forms,
    region_of,
    resolve,
    resolve_province,
    resolve_region,
)
from nalcoop.registry.lookup import _candidate_label as _candidate_label
from nalcoop.registry.lookup import _name_index as _name_index
from nalcoop.registry.queries import (
    changes,
    council_as_of,
    council_then,
    described,
    latest_version,
    successions,
    versions_of,
)
from nalcoop.registry.recording import abolish, create, merge, move, recode, rename, split
from nalcoop.registry.records import (
    CHANGE_KINDS,
    CHANGE_ORIGINS,
    KINDS,
    LEVELS,
    VERSION_FIELDS,
    AmbiguousCouncil,
    Council,
    CouncilNotFound,
    RegistryError,
)
from nalcoop.registry.shipped import BASELINE_KEY, UpdateReport, load_shipped, shipped_registry, update_shipped
from nalcoop.registry.versions import ChangeRecord, apply_operation, council_english, council_names, record_change

__all__ = [
    "BASELINE_KEY",
    "BEGINNING",
    "CHANGE_KINDS",
    "CHANGE_ORIGINS",
    "KINDS",
    "LEVELS",
    "SHORT_NAMES",
    "VERSION_FIELDS",
    "AmbiguousCouncil",
    "ChangeRecord",
    "Council",
    "CouncilNotFound",
    "Period",
    "RegistryError",
    "UpdateReport",
    "abolish",
    "apply_operation",
    "changes",
    "council_as_of",
    "council_english",
    "council_names",
    "council_then",
    "councils_as_of",
    "create",
    "latest_version",
    "load_shipped",
    "merge",
    "move",
    "normalize_name",
    "province_short_forms",
    "recode",
    "record_change",
    "region_of",
    "rename",
    "resolve",
    "resolve_province",
    "resolve_region",
    "shipped_registry",
    "split",
    "successions",
    "update_shipped",
    "versions_of",
    "described",
]

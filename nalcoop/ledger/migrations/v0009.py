"""Migration 0009: names keyed one way everywhere (issue 16): the stored keys of names, re-keyed by a command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nalcoop.i18n import N_
from nalcoop.ledger.migrations.registry import migration

if TYPE_CHECKING:
    from sqlite_utils import Database

# Every stored column that holds the key of a name (names.name_key) for finding or keeping it unique:
# (table, key column, what it is the key of (a column or an expression over the row), the columns the key is
# unique with (None: not unique), what a row is (marked for the catalog: said with `_(what)` where shown), the
# command that renames one).
STORED_NAME_KEYS: tuple[tuple[str, str, str, tuple[str, ...] | None, str, str], ...] = (
    ("donation_libraries", "name_key", "name", ("council_id",), N_("recipient library"), "donate library edit"),
    ("distribution_publications", "title_key", "title", (), N_("publication"), "distribute publication edit"),
    ("distribution_recipients", "name_key", "name", ("country",), N_("recipient"), "distribute recipient edit"),
    ("network_orgs", "name_key", "name", (), N_("organization"), "network org edit"),
    ("network_orgs", "name_en_key", "name_en", (), N_("organization (English name)"), "network org edit"),
    ("network_bodies", "name_key", "name", (), N_("body"), ""),
    ("network_courses", "title_key", "title", (), N_("course"), ""),
    ("network_modules", "title_key", "title", ("course_id",), N_("course module"), ""),
    ("network_events", "title_key", "title", ("starts_on",), N_("event"), "network event edit"),
    ("network_participants", "person_key", "person", ("event_id", "org_id"), N_("participant"), ""),
    ("intern_cohorts", "name_key", "name", (), N_("cohort"), "intern cohort edit"),
    ("intern_cohort_depts", "dept_key", "dept", ("cohort_id",), N_("department of a cohort"), ""),
    ("intern_students", "name_key", "name", None, N_("student"), ""),
    ("intern_placements", "dept_key", "dept", None, N_("placement"), ""),
    # An hour's department key is its placement's (interns.log_hours copies it).
    ("intern_hours", "dept_key", "(select p.dept from intern_placements p where p.id = placement_id)",
     ("application_id", "on_date"), N_("day of hours"), ""),
)


@migration("0009_names_keyed_alike")
def m0009(db: Database) -> None:
    """Names are keyed one way everywhere: donations kept its own key (『』 kept, lower() for casefold()), and a
    ledger from before nalcoop composed text (NFC) holds keys of names stored decomposed. The keys listed in
    STORED_NAME_KEYS must equal names.name_key of their name, or a library registered as 『해바라기』작은도서관
    is not recognised when the same name comes again, and an import adds it twice.

    This migration changes no row, on purpose. Every table concerned is journaled: its triggers refuse a write
    made outside a nalcoop command (nalcoop_command() is null while migrations run), and rows rewritten behind
    the journal's back would disagree with its last after-image (`nalcoop check` and `undo` read that). So the
    re-key runs right after the upgrade as its own journaled command (commands.common.rekey_names_after_upgrade,
    as the registry update does), which history shows and undo can take back. It needs names.name_key, which
    the ledger package may not import (it imports nothing above itself). Its number marks the ledgers that
    need it: one opened from schema 8 or lower is re-keyed, once.

    Two rows whose new keys collide (same council, names differing only in 『』, case or Unicode form) are both
    kept: the first (or the one already keyed so) takes the key, the other keeps its old one, and the librarian
    is told both names, to rename one (a library's name typed exactly as stored finds it among the two)."""
    return None

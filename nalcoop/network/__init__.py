"""The Cooperative Network on Legal Information: organizations, bodies and their members over time,
events (meetings, conferences, courses, workshops) with hosts and participants, course curricula,
completion of trainees, and the network's statistics.

Plain functions over a sqlite3 connection; the caller runs writes inside a journaled command.
Dates are ISO strings. A membership runs from the day an organization joined to the day it left
(exclusive): `members(as_of=D)` is the state at the end of D, so one that left on D is not counted.
Attendance counts only participants whose status is 'attended'.

The package's modules, each importing only those above it (none imports this `__init__`):

- `records`: the closed lists (vocabularies), errors, the reading of hours and the records;
- `organizations`: organizations, bodies and memberships, and the shipped facts `nalcoop init` loads;
- `courses`: courses and their curricula (modules, imported from a workbook);
- `events`: events with their hosts, a course run's hours, the list of events;
- `participants`: who came (one at a time or imported), completion of trainees, the course runs;
- `stats`: STATISTICS, stats(), headline() and report_sheets() and the queries behind them;
- `invariants`: invariant_problems for `nalcoop check`.

Names with a leading underscore are shared between these modules only; everything else that `commands/`,
the other nalcoop modules and the tests use is here.

The names are loaded from their modules on first use (nalcoop/lazy.py): a command pays only for the
modules it uses.
"""

from __future__ import annotations

from nalcoop.lazy import exports

__getattr__, __dir__, __all__ = exports(__name__, {
    "courses": ("add_module", "curriculum_hours", "import_curriculum", "module_rows", "resolve_course"),
    "events": ("add_event", "edit_event", "event_by_id", "event_rows", "hosts_of", "resolve_event", "run_hours"),
    "invariants": ("invariant_problems",),
    "organizations": ("add_body", "add_org", "all_orgs", "body_rows", "change_role", "edit_org", "home_org", "join",
                      "leave", "load_shipped", "member_rows", "org_by_id", "org_lookup", "org_rows", "resolve_body",
                      "resolve_org", "shipped_network"),
    "participants": ("attend", "completions", "course_rows", "import_participants", "participant_rows",
                     "required_hours"),
    "records": ("DEFAULT_COMPLETION_PCT", "EVENT_KINDS", "HOME_ORG", "HOME_ORG_EN", "HOST_ROLES", "MEMBER_DIMENSIONS",
                "ORG_TYPES", "PARTICIPANT_ROLES", "ROLES", "STATS_DIMENSIONS", "STATUSES", "Attendance", "Body",
                "Course", "Event", "FieldError", "Membership", "NetworkError", "NotFound", "Org", "hours_value",
                "shown_hours"),
    "stats": ("HAPPENED", "MEASURES", "MEMBERS", "STATISTICS", "headline", "report_sheets", "stats", "stats_members",
              "stats_period"),
})

"""The practical apprenticeship (현장실습) for library and information science students: cohorts,
applications and their dated steps, placements with mentors, hours, evaluations, completion with a
numbered certificate, masking of personal data, its journaled reveals and its purge, and statistics.

Plain functions over a sqlite3 connection; the caller runs writes inside a journaled command.
Personal data is the student's name, e-mail and telephone (intern_students), and the free text a
librarian writes about a student (reasons, notes, evaluation comments). Listings mask it unless a
reveal is asked for with a reason; a purge removes it from the rows and from the journal.

    records     vocabularies and limits, errors, masking and checking personal data, Cohort, Application,
                Certificate
    rules       the writes and their checks: cohorts, applications and steps, placements, hours, evaluations,
                completion
    imports     workbooks of applicants and timesheets
    listings    cohorts, applications, timelines, reveals, pace, a certificate's data
    purge       the retention period, what a purge reaches, and the purge
    stats       STATISTICS, stats(), headline(), report_sheets()
    invariants  invariant_problems, for `nalcoop check`

The submodules import one way (records ← rules ← imports, listings; records ← purge, stats, invariants) and
never this file, which keeps the names `commands/`, the activity list and the tests use.

The names are loaded from their modules on first use (nalcoop/lazy.py): a command pays only for the
modules it uses.
"""

from __future__ import annotations

from nalcoop.lazy import exports

__getattr__, __dir__, __all__ = exports(__name__, {
    "imports": ("import_applicants", "import_hours"),
    "invariants": ("invariant_problems",),
    "listings": ("application_rows", "certificate", "cohort_rows", "due_rows", "placement_rows", "record_reveal",
                 "reveal_rows", "timeline_rows"),
    "purge": ("PurgePlan", "finish_on_disk", "purge", "purge_candidates", "purge_ledger", "retention_cutoff"),
    "records": ("ALLOWED_FROM", "MAX_DAY_HOURS", "PERSONAL", "SCORES", "STATS_DIMENSIONS", "STATUSES", "STEP_NAMES",
                "STEPS", "TAKES_A_SLOT", "TIMELINE_ENTRIES", "Application", "Certificate", "Cohort", "FieldError",
                "InternError", "check_email", "check_phone", "mask_email", "mask_name", "mask_phone"),
    "rules": ("_next_certificate", "add_cohort", "add_departments", "application_by_id", "apply", "complete",
              "departments_of", "edit_cohort", "evaluate", "hours_logged", "log_hours", "place", "resolve_cohort",
              "resolve_student", "step"),
    "stats": ("COHORTS", "MEASURES", "STATISTICS", "headline", "report_sheets", "stats", "stats_period"),
})

"""The one list of Domestic Cooperation's activities: what each is called, where its code lives, its command
group and its invariants. `nalcoop check` and the command line loop over it (as beancount's validations and
llm's default plugins are one list): a new activity is a new module, one entry here and a migration.

Only names, no imports: the command line reads this list at start-up without loading any activity.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

from nalcoop.vocabulary import Term, Vocabulary, joined


class Activity(NamedTuple):  # a NamedTuple: a dataclass costs every run about a millisecond to make
    name: str  # as `nalcoop stats NAME` and `nalcoop check` name it
    module: str  # the activity's domain code
    command: str  # its command group: `nalcoop COMMAND ...`
    group: str  # "module:attribute" of the group's Typer app
    summary: str  # the group's one-line help, shown by `nalcoop --help` without importing the group
    ko: str = ""  # the activity's Korean name, as tables and the annual workbook show it
    statistics: str = ""  # the help of `nalcoop stats NAME` (the module's STATISTICS say what it counts)
    by_help: str = ""  # the help of its --by
    invariants: str = "invariant_problems"  # in `module`: conn -> list of problems, run by `nalcoop check`
    tables: str = ""  # how its tables' names begin: an undo that changed one runs its invariants
    # and in `module`, by these names: STATISTICS (its tables), stats(conn, by, span) -> Breakdown,
    # headline(figures, period) for the overview and report_sheets(figures, period) for the annual workbook.

    def load_module(self) -> Any:
        """The activity's module, imported on first use."""
        return importlib.import_module(self.module)

    def load(self, attribute: str) -> Any:
        """An attribute of the activity's module, imported on first use."""
        return getattr(importlib.import_module(self.module), attribute)


ACTIVITIES: tuple[Activity, ...] = (
    Activity("agreements", "nalcoop.agreements", "agreement", "nalcoop.commands.agreement:app",
             "Agreements (업무협약) with local councils: request → consultation → signing → follow-up.",
             ko="지방의회 업무협약", tables="agreement_",
             statistics="""Agreements in force by level and province beside the councils that existed then, or the steps
    taken (requests, signings, withdrawals ...) over a period by level, province, year or month.

    --as-of D is inclusive: a council that signed on D counts. With --year or --from/--to, or --by year
    or month (everything up to --as-of, default today), counts the steps taken instead.
    --by: level or province (in force, or steps), year or month (steps).
    Example: nalcoop stats agreements --as-of 2020-02-29 ; nalcoop stats agreements --by year --chart
    """,
             by_help="The dimension to group by; see the command's help."),
    Activity("donations", "nalcoop.donations", "donate", "nalcoop.commands.donate:app",
             "Book donations (도서 기증): recipient libraries, the stock of books set aside, and batches planned → "
             "packed → shipped → received.", ko="도서 기증", tables="donation_",
             statistics="""Books, batches and distinct sites donated (batches shipped), grouped by --by.

    --as-of D counts everything shipped up to the end of D; --year or --from/--to, what was shipped in
    that period. Regions are grouped as they stood on the last day. --by year gives the number
    of distinct sites served each year.
    Example: nalcoop stats donations --year 2024 --by province ; nalcoop stats donations --by province --chart
    """,
             by_help="year, month, province, region (basic local government), type (of library), reason or "
                     "library."),
    Activity("distribution", "nalcoop.distribution", "distribute", "nalcoop.commands.distribute:app",
             "Distribution of NAL publications (발간자료 발송): the catalogue, recipients at home and abroad, standing "
             "lists, dispatch runs, returns and mailing labels.", ko="발간자료 발송", tables="distribution_",
             statistics="""Publications sent (runs, parcels, copies, recipients, returns rate) over a period, or who
    was on the standing lists as of a day, grouped by --by.

    Without --year, --from/--to or --as-of: everything sent up to today. Regions and recipients'
    details are taken as they stood on the last day.
    Example: nalcoop stats distribution --year 2024 --by country ; nalcoop stats distribution --as-of 2024-05-20
    """,
             by_help="year (the default), month, country, type (of recipient), publication, recipient, province "
                     "(recipients in Korea) or domestic (Korea / abroad); with --as-of, type by default."),
    Activity("network", "nalcoop.network", "network", "nalcoop.commands.network:app",
             "The Cooperative Network on Legal Information (법률정보 협력망): member organizations of the Korean "
             "Legal Information Council and other bodies, meetings, conferences, courses and who came.",
             ko="법률정보 협력망", tables="network_",
             statistics="""The legal-information network over a period — events, attendances, people and organizations
    reached, organizations reached for the first time, training hours and completions — or the
    members of each body as of a day.

    An event counts in the period of its first day; only participants marked attended count.
    Without --year, --from/--to or --as-of: everything up to today, by kind.
    Example: nalcoop stats network --year 2024 ; nalcoop stats network --by year ;
    nalcoop stats network --as-of 2020-12-31
    """,
             by_help="What happened: kind (of event), year, month, type (of organization) or org. Members "
                     "(--as-of): body, role or type."),
    Activity("interns", "nalcoop.interns", "intern", "nalcoop.commands.intern:app",
             "The practical apprenticeship (현장실습) for library and information science students: cohorts, "
             "applications, placements, hours, evaluations, certificates. Names, e-mails and telephones are "
             "masked unless --reveal --purpose '...' is given.", ko="현장실습", tables="intern_",
             statistics="""The apprenticeship: applicants, accepted and the acceptance rate, placed, completed, dropped
    and hours delivered, for cohorts that began in the period, grouped by --by. Anonymous: the figures survive a purge.

    A cohort counts in the period of its first day; --as-of D counts the cohorts begun up to the end of D.
    By department, a student who rotated counts in each department with the hours logged there.
    Example: nalcoop stats interns --year 2025 --by university
    """,
             by_help="cohort, year or month (the cohort's start), university or department."),
)

NAMES = tuple(activity.name for activity in ACTIVITIES)
LABELS = Vocabulary("activity", [Term(activity.name, activity.ko, activity.name) for activity in ACTIVITIES])


def measures() -> Vocabulary:
    """Every activity's headline measures (its stats module's MEASURES), with their labels: imports them all."""
    return joined("measure", *(getattr(activity.load_module(), "MEASURES", ()) for activity in ACTIVITIES))


def named(name: str) -> Activity:
    for activity in ACTIVITIES:
        if activity.name == name:
            return activity
    raise KeyError(name)

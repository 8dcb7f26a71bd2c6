"""The one list of Domestic Cooperation's activities: what each is called, where its code lives, its command
group and its invariants. `nalcoop check` and the command line loop over it (as beancount's validations and
llm's default plugins are one list): a new activity is a new module, one entry here and a migration.

Only names, no imports: the command line reads this list at start-up without loading any activity.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Activity:
    name: str  # as `nalcoop stats NAME` and `nalcoop check` name it
    module: str  # the activity's domain code
    command: str  # its command group: `nalcoop COMMAND ...`
    group: str  # "module:attribute" of the group's Typer app
    summary: str  # the group's one-line help, shown by `nalcoop --help` without importing the group
    invariants: str = "invariant_problems"  # in `module`: conn -> list of problems, run by `nalcoop check`

    def load(self, attribute: str) -> Any:
        """An attribute of the activity's module, imported on first use."""
        return getattr(importlib.import_module(self.module), attribute)


ACTIVITIES: tuple[Activity, ...] = (
    Activity("agreements", "nalcoop.agreements", "agreement", "nalcoop.commands.agreement:app",
             "Agreements (업무협약) with local councils: request → consultation → signing → follow-up."),
    Activity("donations", "nalcoop.donations", "donate", "nalcoop.commands.donate:app",
             "Book donations (도서 기증): recipient libraries, the stock of books set aside, and batches planned → "
             "packed → shipped → received."),
    Activity("distribution", "nalcoop.distribution", "distribute", "nalcoop.commands.distribute:app",
             "Distribution of NAL publications (자료 발송): the catalogue, recipients at home and abroad, standing "
             "lists, dispatch runs, returns and mailing labels."),
    Activity("network", "nalcoop.network", "network", "nalcoop.commands.network:app",
             "The Cooperative Network on Legal Information (법률정보 협력망): member organizations of the Korean "
             "Legal Information Council and other bodies, meetings, conferences, courses and who came."),
    Activity("interns", "nalcoop.interns", "intern", "nalcoop.commands.intern:app",
             "The practical apprenticeship (현장실습) for library and information science students: cohorts, "
             "applications, placements, hours, evaluations, certificates. Names, e-mails and telephones are "
             "masked unless --reveal --reason '...' is given."),
)

NAMES = tuple(activity.name for activity in ACTIVITIES)


def named(name: str) -> Activity:
    for activity in ACTIVITIES:
        if activity.name == name:
            return activity
    raise KeyError(name)

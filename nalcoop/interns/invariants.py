"""What must always hold of the apprenticeship's tables, for `nalcoop check`."""

from __future__ import annotations

import sqlite3

from nalcoop.i18n import _, ngettext
from nalcoop.interns.records import MAX_DAY_HOURS, PERSONAL, STATUSES, STEP_NAMES, STEPS, TAKES_A_SLOT


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """One sentence per violated rule of the apprenticeship's records, in the language of the run (statuses and
    steps by their labels); an empty list when all hold."""
    problems: list[str] = []
    for cohort, slots, taken in conn.execute(
            f"""select c.name, c.slots, count(a.id) from intern_cohorts c join intern_applications a
                on a.cohort_id = c.id and a.status in ({', '.join(repr(s) for s in TAKES_A_SLOT)})
                group by c.id having count(a.id) > c.slots"""):
        problems.append(ngettext("cohort {cohort} has {taken} students accepted into {slots} slot",
                                 "cohort {cohort} has {taken} students accepted into {slots} slots", slots).format(
            cohort=cohort, taken=taken, slots=slots))
    for application_id, status, last in conn.execute(
            """select a.id, a.status, (select s.step from intern_steps s where s.application_id = a.id
                                       order by s.on_date desc, s.id desc limit 1)
               from intern_applications a"""):
        if last is None or STEPS[last] != status:
            problems.append(_("application #{id} is {status}, but its last step is {step}").format(
                id=application_id, status=STATUSES.said(status),
                step=STEP_NAMES.said(last) if last else _("none")))
    for hours_id, on_date, cohort in conn.execute(
            """select h.id, h.on_date, c.name from intern_hours h join intern_applications a on a.id = h.application_id
               join intern_cohorts c on c.id = a.cohort_id where h.on_date < c.starts_on or h.on_date > c.ends_on"""):
        problems.append(_("hours entry {id} on {date} is outside cohort {cohort}").format(id=hours_id, date=on_date,
                                                                                         cohort=cohort))
    for application_id, on_date, total in conn.execute(
            "select application_id, on_date, sum(hours) from intern_hours group by application_id, on_date "
            "having sum(hours) > ?", [MAX_DAY_HOURS]):
        problems.append(_("application #{id} has {hours:g} hours on {date}, more than {most:g}").format(
            id=application_id, hours=total, date=on_date, most=MAX_DAY_HOURS))
    for (application_id,) in conn.execute(
            """select a.id from intern_applications a where a.status = 'completed'
               and not exists (select 1 from intern_evaluations e where e.application_id = a.id)"""):
        problems.append(_("application #{id} is completed without an evaluation").format(id=application_id))
    for application_id, logged, required in conn.execute(
            """select a.id, (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id),
                      c.required_hours from intern_applications a join intern_cohorts c on c.id = a.cohort_id
               where a.status = 'completed'"""):
        if logged < required:
            problems.append(_("application #{id} is completed with {logged:g} of {required:g} hours").format(
                id=application_id, logged=logged, required=required))
    for column in PERSONAL["intern_students"]:
        leaked = conn.execute(
            f"""select count(*) from journal_changes where tbl = 'intern_students'
                and row_id in (select id from intern_students where purged_on is not null)
                and (json_extract(before, '$.{column}') is not null
                     or json_extract(after, '$.{column}') is not null)""").fetchone()[0]
        if leaked:
            problems.append(ngettext("the journal still holds the {column} of purged students in {count} change",
                                     "the journal still holds the {column} of purged students in {count} changes",
                                     leaked).format(column=column, count=leaked))
    return problems

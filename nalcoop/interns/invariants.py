"""What must always hold of the apprenticeship's tables, for `nalcoop check`."""

from __future__ import annotations

import sqlite3

from nalcoop.interns.records import MAX_DAY_HOURS, PERSONAL, STEPS, TAKES_A_SLOT


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    problems: list[str] = []
    for cohort, slots, taken in conn.execute(
            f"""select c.name, c.slots, count(a.id) from intern_cohorts c join intern_applications a
                on a.cohort_id = c.id and a.status in ({', '.join(repr(s) for s in TAKES_A_SLOT)})
                group by c.id having count(a.id) > c.slots"""):
        problems.append(f"cohort {cohort} has {taken} students accepted into {slots} slots")
    for application_id, status, last in conn.execute(
            """select a.id, a.status, (select s.step from intern_steps s where s.application_id = a.id
                                       order by s.on_date desc, s.id desc limit 1)
               from intern_applications a"""):
        if last is None or STEPS[last] != status:
            problems.append(f"application #{application_id} is {status}, but its last step is {last}")
    for hours_id, on_date, cohort in conn.execute(
            """select h.id, h.on_date, c.name from intern_hours h join intern_applications a on a.id = h.application_id
               join intern_cohorts c on c.id = a.cohort_id where h.on_date < c.starts_on or h.on_date > c.ends_on"""):
        problems.append(f"hours entry {hours_id} on {on_date} is outside cohort {cohort}")
    for application_id, on_date, total in conn.execute(
            "select application_id, on_date, sum(hours) from intern_hours group by application_id, on_date "
            "having sum(hours) > ?", [MAX_DAY_HOURS]):
        problems.append(f"application #{application_id} has {total:g} hours on {on_date}, more than "
                        f"{MAX_DAY_HOURS:g}")
    for (application_id,) in conn.execute(
            """select a.id from intern_applications a where a.status = 'completed'
               and not exists (select 1 from intern_evaluations e where e.application_id = a.id)"""):
        problems.append(f"application #{application_id} is completed without an evaluation")
    for application_id, logged, required in conn.execute(
            """select a.id, (select coalesce(sum(h.hours), 0) from intern_hours h where h.application_id = a.id),
                      c.required_hours from intern_applications a join intern_cohorts c on c.id = a.cohort_id
               where a.status = 'completed'"""):
        if logged < required:
            problems.append(f"application #{application_id} is completed with {logged:g} of {required:g} hours")
    for column in PERSONAL["intern_students"]:
        leaked = conn.execute(
            f"""select count(*) from journal_changes where tbl = 'intern_students'
                and row_id in (select id from intern_students where purged_on is not null)
                and (json_extract(before, '$.{column}') is not null
                     or json_extract(after, '$.{column}') is not null)""").fetchone()[0]
        if leaked:
            problems.append(f"the journal still holds the {column} of purged students in {leaked} changes")
    return problems

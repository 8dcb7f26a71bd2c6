"""Agreements (업무협약) between the National Assembly Library and local councils.

Each council's history is a sequence of dated steps in agreement_events, appended in date
order: request → consultation → signing → follow-up / renewal, or withdrawal of a request,
or termination. A new request after a withdrawal or termination starts a new cycle; the
history stays. The status on a date is the status after the council's last step on or
before that date (inclusive).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from nalcoop import registry
from nalcoop.breakdown import BEGINNING, Breakdown, Span, Statistic, check_by, every_step, open_start
from nalcoop.dates import month_span, period_key
from nalcoop.errors import NalcoopError, RowsRejected
from nalcoop.registry import Council
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import Term, Vocabulary

STEPS = Vocabulary("agreement step", [  # the English label is the word a message uses for the step
    Term("request", "협약 요청", "request"),
    Term("consult", "협의", "consultation"),
    Term("sign", "체결", "signing"),
    Term("follow-up", "후속 활동", "follow-up"),
    Term("renew", "갱신", "renewal"),
    Term("withdraw", "요청 철회", "withdrawal"),
    Term("terminate", "해지", "termination"),
])
STATUS_AFTER = {
    "request": "requested",
    "consult": "consultation",
    "sign": "signed",
    "follow-up": "signed",
    "renew": "signed",
    "withdraw": "withdrawn",
    "terminate": "terminated",
}
STATUSES = Vocabulary("agreement status", [
    Term("requested", "요청", "requested"),
    Term("consultation", "협의 중", "in consultation", aliases=("협의",)),
    Term("signed", "체결", "signed"),
    Term("withdrawn", "철회", "withdrawn"),
    Term("terminated", "해지", "terminated"),
    Term("none", "없음", "none", "councils with no agreement step"),  # a listing's filter, never stored
])
MODES = Vocabulary("signing mode", [
    Term("in-person", "대면", "in person", "a signing ceremony"),
    Term("exchange", "서면", "written exchange", "written exchange of documents"),
])
FOLLOW_UP_KINDS = Vocabulary("follow-up kind", [
    Term("materials", "입법자료 공유", "legislative materials", "legislative materials shared"),
    Term("resources", "자료 제공", "NAL resources", "NAL resources provided"),
    Term("archiving", "자료 수집·보존", "archiving"),
    Term("staff-exchange", "인적 교류", "staff exchange"),
    Term("other", "기타", "other"),
])
STEP_WORDS = {term.code: term.en for term in STEPS.terms}


class AgreementError(NalcoopError):
    pass


@dataclass(frozen=True)
class Step:
    step: str
    on_date: str
    mode: str | None = None
    follow_kind: str | None = None
    ref: str | None = None
    note: str | None = None
    without_request: bool = False


def _last_event(conn: sqlite3.Connection, council_id: int, as_of: str | None = None) -> sqlite3.Row | dict | None:
    """The council's last step (on or before `as_of`), or the agreement it inherited in a merger when
    nothing of its own has been recorded since (see `inherited`)."""
    own = conn.execute(
        "select * from agreement_events where council_id = ? and on_date <= coalesce(?, '9999-12-31') "
        "order by on_date desc, id desc limit 1",
        [council_id, as_of],
    ).fetchone()
    inheritance = inherited(conn).get(council_id)
    if inheritance and (as_of is None or inheritance.day <= as_of) and _inherits_over(own, inheritance):
        return inheritance.event
    return own


# ---------------------------------------------------------------- mergers (the successor rule)


@dataclass(frozen=True)
class Inheritance:
    """What a merged council takes over from the councils it replaced, from the merger day: their agreement in
    force, or else their open request (or consultation), which it continues."""

    council_id: int
    day: str
    predecessors: tuple[int, ...]
    steps: tuple[sqlite3.Row, ...]  # the predecessors' last steps the day before that carry over
    names: str  # "광주광역시의회 (signed 2015-03-02), 전라남도의회 (signed 2016-05-10)"
    status: str = "signed"  # signed, or consultation / requested when no predecessor's agreement was in force

    @property
    def event(self) -> dict:
        step = {"signed": "sign", "consultation": "consult", "requested": "request"}[self.status]
        mode = self.steps[0]["mode"] if self.status == "signed" else None
        return {"id": None, "council_id": self.council_id, "cycle": 1, "step": step, "on_date": self.day,
                "status_after": self.status, "mode": mode, "follow_kind": None, "ref": None,
                "note": f"inherited from {self.names}"}


def _inherits_over(own, inheritance: Inheritance) -> bool:
    """The inherited agreement stands unless the council has its own step since the merger (or had its own
    agreement in force before it, as a surviving council may)."""
    return own is None or (own["on_date"] < inheritance.day and own["status_after"] != "signed")


def inherited(conn: sqlite3.Connection) -> dict[int, Inheritance]:
    """Successor council id -> its inheritance, for every merger where a predecessor's agreement was in
    force on the day before. In law the merged council succeeds to the rights and duties of those it
    replaced (전남광주통합특별시 설치를 위한 특별법, Act No. 21446); statistics before the merger day count
    the predecessors as they were."""
    from nalcoop.dates import day_before

    found: dict[int, Inheritance] = {}
    for successor, predecessors, day in registry.successions(conn):
        signed, pending, names, pending_names = [], [], [], []
        for predecessor in predecessors:
            last = conn.execute(
                "select * from agreement_events where council_id = ? and on_date <= ? order by on_date desc, id desc "
                "limit 1", [predecessor, day_before(day)]).fetchone()
            name = registry.latest_version(conn, predecessor).name
            if last is not None and last["status_after"] == "signed":
                signed_on = conn.execute(
                    "select max(on_date) from agreement_events where council_id = ? and cycle = ? and step = 'sign'",
                    [predecessor, last["cycle"]]).fetchone()[0]
                signed.append(last)
                names.append(name + (f" (signed {signed_on})" if signed_on else ""))
            elif last is not None and last["status_after"] in ("requested", "consultation"):
                pending.append(last)
                state = "in consultation" if last["status_after"] == "consultation" else "requested"
                pending_names.append(f"{name} ({state} {last['on_date']})")
        if signed:
            found[successor] = Inheritance(successor, day, tuple(predecessors), tuple(signed), ", ".join(names))
        elif pending:
            # No agreement in force, but a request still open: the new council continues it (it need not ask
            # again); a consultation under way outranks a request.
            status = "consultation" if any(step["status_after"] == "consultation" for step in pending) else "requested"
            found[successor] = Inheritance(successor, day, tuple(predecessors), tuple(pending),
                                           ", ".join(pending_names), status)
    return found


def record_step(conn: sqlite3.Connection, council: Council, step: Step) -> int:
    """Append one step to a council's agreement history, refusing steps out of order."""
    if step.step not in STEPS:
        raise AgreementError(f"unknown step '{step.step}'")
    if step.mode is not None and step.mode not in MODES:
        raise AgreementError(f"signing mode must be in-person or exchange, not '{step.mode}'")
    if step.follow_kind is not None and step.follow_kind not in FOLLOW_UP_KINDS:
        raise AgreementError(f"follow-up kind must be one of {', '.join(FOLLOW_UP_KINDS)}")
    if step.step == "follow-up" and not step.follow_kind:
        raise AgreementError("a follow-up needs a kind: " + ", ".join(FOLLOW_UP_KINDS))
    name = council.label
    from nalcoop.dates import today

    now = today().isoformat()
    if step.on_date > now:
        raise AgreementError(f"{step.on_date} is after today ({now}); record a step on or after the day it happens")
    existing = registry.council_as_of(conn, council.id, step.on_date)
    if existing is None:
        raise AgreementError(_not_existing(conn, council, step.on_date))
    last = _last_event(conn, council.id)
    if last is not None and step.on_date < last["on_date"]:
        raise AgreementError(
            f"{step.on_date} is earlier than the previous step of {name} "
            f"({STEP_WORDS[last['step']]} on {last['on_date']}); steps are recorded in date order"
        )
    status = last["status_after"] if last else None
    _check_transition(name, step, status, last)
    if step.step == "request" or (step.step == "sign" and status in (None, "withdrawn", "terminated")):
        cycle = (last["cycle"] + 1) if last else 1
    else:
        cycle = last["cycle"]
    note = step.note
    if step.without_request and step.step == "sign" and status in (None, "withdrawn", "terminated"):
        note = "; ".join(filter(None, ["signed without a recorded request", step.note]))
    cursor = conn.execute(
        """insert into agreement_events
           (council_id, cycle, step, on_date, status_after, mode, follow_kind, ref, note)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [council.id, cycle, step.step, step.on_date, STATUS_AFTER[step.step], step.mode,
         step.follow_kind, step.ref, note],
    )
    return cursor.lastrowid


def _not_existing(conn: sqlite3.Connection, council: Council, on_date: str) -> str:
    versions = registry.versions_of(conn, council.id)
    first, last = versions[0], versions[-1]
    if on_date < first["valid_from"]:
        return f"{council.label} did not exist on {on_date}; it was created on {first['valid_from']}"
    return f"{council.label} did not exist on {on_date}; it was abolished on {last['valid_to']}"


def _check_transition(name: str, step: Step, status: str | None, last: sqlite3.Row | None) -> None:
    since = f" on {last['on_date']}" if last else ""
    open_request = status in ("requested", "consultation")
    if step.step == "request":
        if open_request:
            opened = f" since {last['on_date']}" if last else ""
            raise AgreementError(f"{name} already has an open request (status {status}{opened})")
        if status == "signed":
            raise AgreementError(f"{name} already has an agreement in force (last step{since}); "
                                 "terminate it before a new request")
    elif step.step == "consult":
        if not open_request:
            raise AgreementError(f"consultation needs an open request, and {name} has none "
                                 f"({_status_words(status, since)}); record the request first")
    elif step.step == "sign":
        if status == "signed":
            raise AgreementError(f"{name} already has an agreement in force ({_status_words(status, since)}); "
                                 "a second signing is refused (use `renew` to renew it)")
        if not open_request and not step.without_request:
            raise AgreementError(
                f"signing without a request: {name} has no open request ({_status_words(status, since)}); "
                "record the request first, or pass --without-request for an agreement whose request "
                "predates the ledger"
            )
    elif step.step in ("follow-up", "renew", "terminate"):
        if status != "signed":
            raise AgreementError(f"{STEP_WORDS[step.step]} needs an agreement in force, and {name} has none "
                                 f"on {step.on_date} ({_status_words(status, since)})")
    elif step.step == "withdraw" and not open_request:
        raise AgreementError(f"only an open request can be withdrawn, and {name} has none "
                             f"({_status_words(status, since)})")


def _status_words(status: str | None, since: str) -> str:
    if status is None:
        return "no agreement steps recorded"
    return f"status {status}, last step{since}"


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """For `nalcoop check`: replay every council's steps in date order and report each one that
    the commands would have refused, a wrong status or cycle, or a step outside the council's life."""
    problems: list[str] = []
    previous: sqlite3.Row | dict | None = None
    inheritances = inherited(conn)
    rows = conn.execute(
        """select e.*, (select group_concat(v.valid_from || '/' || coalesce(v.valid_to, ''), ' ')
                        from council_versions v where v.council_id = e.council_id) as lives
           from agreement_events e order by e.council_id, e.on_date, e.id"""
    )
    for row in rows:
        last = previous if previous is not None and previous["council_id"] == row["council_id"] else None
        inheritance = inheritances.get(row["council_id"])
        if inheritance and row["on_date"] >= inheritance.day and _inherits_over(last, inheritance):
            last = inheritance.event
        where = f"agreement event {row['id']} (council {row['council_id']}, {row['step']} on {row['on_date']})"
        if row["step"] not in STATUS_AFTER or row["status_after"] != STATUS_AFTER[row["step"]]:
            problems.append(f"{where}: status after is {row['status_after']}, not {STATUS_AFTER.get(row['step'])}")
        status = last["status_after"] if last else None
        step = Step(row["step"], row["on_date"], without_request=True)
        try:
            _check_transition(f"council {row['council_id']}", step, status, last)
        except AgreementError as exc:
            problems.append(f"{where} is out of order: {exc}")
        new_cycle = row["step"] == "request" or (row["step"] == "sign" and status in (None, "withdrawn", "terminated"))
        expected_cycle = (last["cycle"] + 1 if last else 1) if new_cycle else (last["cycle"] if last else 1)
        if row["cycle"] != expected_cycle:
            problems.append(f"{where}: cycle {row['cycle']}, expected {expected_cycle}")
        lives = [part.split("/") for part in (row["lives"] or "").split()]
        if not any(start <= row["on_date"] and (not end or row["on_date"] < end) for start, end in lives):
            problems.append(f"{where}: the council did not exist on that date")
        previous = row
    return problems


# ---------------------------------------------------------------- reading

_LATEST = """
    (select e.id from agreement_events e
     where e.council_id = v.council_id and e.on_date <= :d
     order by e.on_date desc, e.id desc limit 1)
"""


def status_rows(
    conn: sqlite3.Connection,
    as_of: str,
    *,
    status: str | None = None,
    level: str | None = None,
    province: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> list[dict]:
    """One row per council that existed on `as_of`: its agreement status at the end of that day.

    Councils with no step yet are left out unless status is 'none'. date_from/date_to keep
    the councils whose current status began inside that period.
    """
    if status is not None and status not in STATUSES:
        raise AgreementError(f"unknown status '{status}'; choose one of {', '.join(STATUSES)}")
    councils = registry.councils_as_of(conn, as_of, level=level, province=province)
    latest = {
        row["council_id"]: row
        for row in conn.execute(
            f"""
            with cur as (
                select v.council_id, {_LATEST} as last_id
                from council_versions v
                where v.valid_from <= :d and (v.valid_to is null or v.valid_to > :d)
            )
            select cur.council_id, e.cycle, e.step, e.on_date, e.status_after,
                   (select min(x.on_date) from agreement_events x where x.council_id = e.council_id
                        and x.cycle = e.cycle and x.status_after = e.status_after) as since,
                   (select min(x.on_date) from agreement_events x where x.council_id = e.council_id
                        and x.cycle = e.cycle and x.step = 'request') as requested_on,
                   (select max(x.on_date) from agreement_events x where x.council_id = e.council_id
                        and x.cycle = e.cycle and x.step = 'sign' and x.on_date <= :d) as signed_on,
                   (select x.mode from agreement_events x where x.council_id = e.council_id
                        and x.cycle = e.cycle and x.step = 'sign' and x.on_date <= :d) as mode,
                   (select x.ref from agreement_events x where x.council_id = e.council_id
                        and x.cycle = e.cycle and x.ref is not null and x.on_date <= :d
                        order by x.on_date, x.id limit 1) as ref
            from cur join agreement_events e on e.id = cur.last_id
            """,
            {"d": as_of},
        )
    }
    inheritances = inherited(conn)
    rows = []
    for council in councils:
        event = latest.get(council.id)
        inheritance = inheritances.get(council.id)
        if inheritance and inheritance.day <= as_of and _inherits_over(event, inheritance):
            event = {"status_after": inheritance.status, "since": inheritance.day, "requested_on": None,
                     "signed_on": None, "mode": None, "step": "inherited", "on_date": inheritance.day, "ref": None,
                     "inherited_from": inheritance.names}
        elif (inheritance and inheritance.status == "signed" and inheritance.day <= as_of and event is not None
              and event["status_after"] == "signed"
              and event["signed_on"] is None and event["on_date"] >= inheritance.day):
            # Follow-ups or renewals confirmed with the new council: still the agreement it inherited, in force
            # since the merger, not since the confirmation.
            event = {**dict(event), "since": inheritance.day, "inherited_from": inheritance.names}
        current = event["status_after"] if event else "none"
        if status is None and event is None:
            continue
        if status is not None and current != status:
            continue
        since = event["since"] if event else None
        if date_from and (since is None or since < date_from):
            continue
        if date_to and (since is None or since > date_to):
            continue
        rows.append(
            {
                "council": council.name,
                "province": council.province,
                "level": council.level,
                "code": council.code,
                "status": current,
                "since": since,
                "requested_on": event["requested_on"] if event else None,
                "signed_on": event["signed_on"] if event else None,
                "mode": event["mode"] if event else None,
                "last_step": event["step"] if event else None,
                "last_step_on": event["on_date"] if event else None,
                "ref": event["ref"] if event else None,
                "inherited_from": event.get("inherited_from") if isinstance(event, dict) else None,
            }
        )
    return rows


def timeline(conn: sqlite3.Connection, council: Council) -> list[dict]:
    """Every agreement step of a council and every registry change it went through, by date."""
    rows = []
    for event in conn.execute(
        "select * from agreement_events where council_id = ? order by on_date, id", [council.id]
    ):
        detail = event["mode"] or event["follow_kind"] or ""
        rows.append(
            {
                "date": event["on_date"],
                "cycle": event["cycle"],
                "step": event["step"],
                "status": event["status_after"],
                "detail": detail,
                "ref": event["ref"],
                "note": event["note"],
            }
        )
    inheritance = inherited(conn).get(council.id)
    successions = registry.successions(conn)
    for successor, predecessors, day in successions:
        if successor != council.id:
            continue
        # The predecessors' steps belong to the successor's story: shown with the council that took them.
        for predecessor in predecessors:
            name = registry.latest_version(conn, predecessor).name
            for event in conn.execute("select * from agreement_events where council_id = ? and on_date < ? "
                                      "order by on_date, id", [predecessor, day]):
                rows.append({"date": event["on_date"], "cycle": event["cycle"], "step": event["step"],
                             "status": event["status_after"],
                             "detail": f"{name}: {event['mode'] or event['follow_kind'] or ''}".rstrip(": "),
                             "ref": event["ref"], "note": event["note"]})
        if inheritance and inheritance.status == "signed":
            rows.append({"date": day, "cycle": 1, "step": "inherited", "status": "signed",
                         "detail": f"agreement in force inherited from {inheritance.names}", "ref": None,
                         "note": "confirm it with the new council (a renewal or follow-up step)"})
        elif inheritance:
            rows.append({"date": day, "cycle": 1, "step": "inherited", "status": inheritance.status,
                         "detail": f"open request inherited from {inheritance.names}", "ref": None,
                         "note": "the new council continues it: consult or sign with the new council"})
    versions = registry.versions_of(conn, council.id)
    for index, version in enumerate(versions):
        if version["change_kind"] == "baseline":
            continue
        previous = versions[index - 1] if index else None
        what = version["description"]
        if previous and previous["name"] != version["name"]:
            what = f"{previous['name']} → {version['name']}: {what}"
        rows.append(
            {"date": version["valid_from"], "cycle": None, "step": "registry", "status": None,
             "detail": what, "ref": None, "note": version["source"]}
        )
    last = versions[-1]
    if last["valid_to"]:
        merged_into = next((registry.latest_version(conn, successor).name for successor, predecessors, _day
                            in successions if council.id in predecessors), None)
        rows.append(
            {"date": last["valid_to"], "cycle": None, "step": "registry", "status": None,
             "detail": f"{last['name']} abolished" + (f"; merged into {merged_into}, which succeeds to its "
                                                      "agreement" if merged_into else ""), "ref": None, "note": None}
        )
    rows.sort(key=lambda row: (row["date"], row["step"] != "registry"))
    return rows


def due(conn: sqlite3.Connection, as_of: str, days: int) -> list[dict]:
    """Open requests and consultations whose last step is more than `days` days old, oldest first; and an
    agreement a merged council inherited, once, until a step with the new council confirms it."""
    from nalcoop.dates import days_between

    rows = []
    for row in status_rows(conn, as_of):
        if row["inherited_from"] and row["last_step"] == "inherited" and row["status"] == "signed":
            # An agreement inherited in a merger, listed once until a step confirms it with the new council.
            row = {**row, "status": "inherited"}
        elif row["status"] not in ("requested", "consultation"):
            continue
        waited = days_between(row["last_step_on"], as_of)
        if waited > days:
            rows.append({**row, "waited_days": waited})
    rows.sort(key=lambda row: (row["last_step_on"], row["council"]))
    return rows


# ---------------------------------------------------------------- statistics

def _int(key: str, header: str | None = None) -> Column:
    return Column(key, header, kind="int")


_SPAN = (Column("from", kind="date"), Column("to", kind="date"))
PERIOD_DIMENSIONS = Vocabulary("agreement statistics dimension", [
    Term("level", "의회 구분", "level"), Term("year", "연도", "year"), Term("month", "월", "month"),
    Term("province", "시·도", "province"),
])
STEPS_TAKEN = Statistic(
    "agreement steps",
    (Column("dimension"), Column("group"), _int("requested"), _int("consultations"), _int("signed"),
     _int("renewed"), _int("follow_ups", "follow-ups"), _int("withdrawn"), _int("terminated"), *_SPAN),
    PERIOD_DIMENSIONS, measure="signed", noun="agreements", title="agreement steps {span}, by {by}",
    key="dimension")
IN_FORCE = Statistic(
    "in force",
    (Column("dimension"), Column("group"), _int("councils"), _int("in_force", "in force"),
     Column("coverage", "coverage %", kind="percent"), _int("requested"), _int("consultation", "in consultation"),
     Column("as_of", "as of", kind="date")),
    PERIOD_DIMENSIONS.subset("level", "province"), measure="in_force", noun="agreements",
    title="agreements in force as of {day} (end of day)", key="dimension", day=True, bounds=True)
STATISTICS = (STEPS_TAKEN, IN_FORCE)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """The steps taken in the span by level, year, month or province; or, for a day, the agreements in
    force at its end beside the councils that existed then, by level or province."""
    if span.day:
        check_by(IN_FORCE, by, AgreementError)
        rows = stats_as_of(conn, span.end)
        return Breakdown.of_rows(IN_FORCE, by, [row for row in rows if row["dimension"] in ("total", by)])
    return Breakdown.of_rows(STEPS_TAKEN, by, stats_period(conn, span.start, span.end, by=by))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """(measure, dimension, value, at the end of the period?) for the overview: in force, councils and
    coverage at the end of the period, and the signings in it, in total and by level."""
    rows: list[tuple[str, str, object, bool]] = []
    in_force = figures(stats, "level", Span.as_of(period.end)).rows()
    for measure, key in (("in force", "in_force"), ("councils", "councils"), ("coverage %", "coverage")):
        rows += [(measure, "all" if row["dimension"] == "total" else row["group"], row[key], True) for row in in_force]
    steps = figures(stats, "level", Span(period.start, period.end)).rows()
    rows += [("signed", "all" if row["dimension"] == "total" else row["group"], row["signed"], False) for row in steps]
    return rows


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheets: the steps taken each year up to the end of the period, and the
    agreements in force at its end by province."""
    year, end = period.start[:4], period.end
    history = figures(stats, "year", Span.during(None, end))
    in_force = figures(stats, "level", Span.as_of(end)).rows() + figures(stats, "province", Span.as_of(end)).groups
    return [
        SheetSpec("Agreements", f"Agreements with local councils, {year} (지방의회 업무협약)",
                  f"Steps taken each year, up to {end}",
                  open_start(every_step(history.rows(), "dimension", BEGINNING, end)),
                  list(STEPS_TAKEN.columns),
                  ChartSpec("Agreements signed per year", ("dimension", "year"), "group", "signed"), landscape=True),
        SheetSpec("In force", f"Agreements in force at the end of {end} (업무협약 체결 현황)",
                  f"In force at the end of {end}, beside the councils that existed then", in_force,
                  list(IN_FORCE.columns),
                  ChartSpec(f"Councils with an agreement in force, {end}", ("dimension", "province"), "group",
                            "in_force", horizontal=True)),
    ]



def stats_as_of(conn: sqlite3.Connection, as_of: str) -> list[dict]:
    """Agreements in force beside the councils that existed on `as_of`, by level and province."""
    rows = conn.execute(
        """
        -- Count councils per (level, province, status) first: the latest-event lookup then runs
        -- once per council (summing three conditions over a plain CTE ran it three times).
        with g as (
            select v.level, coalesce(v.province_id, v.council_id) as province_id,
                   (select e.status_after from agreement_events e
                    where e.council_id = v.council_id and e.on_date <= :d
                    order by e.on_date desc, e.id desc limit 1) as status,
                   count(*) as n
            from council_versions v
            where v.valid_from <= :d and (v.valid_to is null or v.valid_to > :d)
            group by 1, 2, 3
        )
        select g.level, g.province_id, p.gov as province, p.code as province_code,
               sum(g.n) as councils,
               sum(case when g.status = 'signed' then g.n else 0 end) as in_force,
               sum(case when g.status = 'requested' then g.n else 0 end) as requested,
               sum(case when g.status = 'consultation' then g.n else 0 end) as consultation
        from g
        left join council_versions p on p.council_id = g.province_id
             and p.valid_from <= :d and (p.valid_to is null or p.valid_to > :d)
        group by g.level, g.province_id
        """,
        {"d": as_of},
    ).fetchall()
    return _stats_table(_with_inheritances(conn, [dict(row) for row in rows], as_of), as_of)


def _with_inheritances(conn: sqlite3.Connection, rows: list[dict], as_of: str) -> list[dict]:
    """Count a merged council's inherited agreement as in force (the successor rule), from the merger day."""
    for inheritance in inherited(conn).values():
        if inheritance.day > as_of:
            continue
        own = conn.execute("select * from agreement_events where council_id = ? and on_date <= ? "
                           "order by on_date desc, id desc limit 1", [inheritance.council_id, as_of]).fetchone()
        council = registry.council_as_of(conn, inheritance.council_id, as_of)
        if council is None or not _inherits_over(own, inheritance):
            continue
        group = next((row for row in rows if row["level"] == council.level
                      and row["province_id"] == (council.province_id or council.id)), None)
        if group is None:
            continue
        if own is not None and own["status_after"] in ("requested", "consultation"):
            column = "requested" if own["status_after"] == "requested" else "consultation"
            group[column] -= 1  # its own open request, replaced by what it inherited
        if inheritance.status == "signed":
            group["in_force"] = (group["in_force"] or 0) + 1
        else:
            group[inheritance.status] = (group[inheritance.status] or 0) + 1
    return rows


def _stats_table(rows, as_of: str) -> list[dict]:
    def measure(dimension: str, group: str, items) -> dict:
        councils = sum(r["councils"] for r in items)
        in_force = sum(r["in_force"] or 0 for r in items)
        return {
            "as_of": as_of,
            "dimension": dimension,
            "group": group,
            "councils": councils,
            "in_force": in_force,
            "coverage": round(100.0 * in_force / councils, 1) if councils else None,
            "requested": sum(r["requested"] or 0 for r in items),
            "consultation": sum(r["consultation"] or 0 for r in items),
        }

    result = [measure("total", "all councils", rows)]
    for level in registry.LEVELS:
        result.append(measure("level", level, [r for r in rows if r["level"] == level]))
    provinces: dict[int, list] = {}
    for row in rows:
        provinces.setdefault(row["province_id"], []).append(row)
    ordered = sorted(provinces.values(), key=lambda items: items[0]["province_code"] or "")
    for items in ordered:
        result.append(measure("province", items[0]["province"] or "?", items))
    return result


PERIOD_STEPS = (("request", "requested"), ("consult", "consultations"), ("sign", "signed"), ("renew", "renewed"),
                ("follow-up", "follow_ups"), ("withdraw", "withdrawn"), ("terminate", "terminated"))


def stats_period(conn: sqlite3.Connection, date_from: str, date_to: str, by: str = "level") -> list[dict]:
    """What happened between two dates (both inclusive): the steps taken, in total and by level, year,
    month or province (the council's province on the day of the step, named as it stood on the last day)."""
    check_by(STEPS_TAKEN, by, AgreementError)
    if by in ("year", "month"):
        # A step counts in its year or month whatever the council: the index on (on_date, step, …) answers
        # alone, in its own order, without reading a row; days are summed into years or months here
        # (20 years of a million steps: 0.36 s, against 1.4 s grouping by substr() and 9 s through the join).
        summed: dict[tuple[str, str], int] = {}
        for on_date, step, n in conn.execute(
                "select on_date, step, count(*) from agreement_events where on_date between ? and ? group by 1, 2",
                [date_from, date_to]):
            key = (period_key(on_date, by), step)
            summed[key] = summed.get(key, 0) + n
        rows = [{"grp": grp, "step": step, "n": n} for (grp, step), n in summed.items()]
    else:
        key = "v.level" if by == "level" else "coalesce(v.province_id, v.council_id)"
        rows = conn.execute(
            f"""
            select {key} as grp, e.step, count(*) as n
            from agreement_events e
            join council_versions v on v.council_id = e.council_id
                 and v.valid_from <= e.on_date and (v.valid_to is null or v.valid_to > e.on_date)
            where e.on_date between ? and ?
            group by 1, 2
            """,
            [date_from, date_to],
        ).fetchall()
    counts: dict[tuple, int] = {(r["grp"], r["step"]): r["n"] for r in rows}
    if by == "level":
        groups = [(level, level) for level in registry.LEVELS]
    elif by == "province":
        groups = [(province_id, label) for province_id, label, _code in
                  sorted(_provinces_then(conn, {r["grp"] for r in rows}, date_to), key=lambda item: item[2])]
    else:
        groups = [(value, value) for value in sorted({r["grp"] for r in rows})]

    def row_of(dimension: str, label: str, keys) -> dict:
        row = {"from": date_from, "to": date_to, "dimension": dimension, "group": label}
        if by in ("year", "month") and dimension != "total":  # the group's own days, within the period
            first, last = month_span(label)
            row["from"], row["to"] = max(date_from, first), min(date_to, last)
        for step, column in PERIOD_STEPS:
            row[column] = sum(counts.get((key, step), 0) for key in keys)
        return row

    return [row_of("total", "all councils", [g for g, _label in groups]),
            *(row_of(by, label, [g]) for g, label in groups)]


def _provinces_then(conn: sqlite3.Connection, council_ids: set, day: str) -> list[tuple[int, str, str]]:
    """(council id, name, code) of provinces as they stood on `day` (or last stood, if gone by then)."""
    found = []
    for council_id in council_ids:
        row = conn.execute(
            """select gov, code from council_versions where council_id = ? and valid_from <= ?
               order by valid_from desc limit 1""", [council_id, day]).fetchone()
        if row is None:
            row = conn.execute("select gov, code from council_versions where council_id = ? "
                               "order by valid_from limit 1", [council_id]).fetchone()
        found.append((council_id, row["gov"], row["code"] or ""))
    return found


# ---------------------------------------------------------------- import and export

IMPORT_STEPS = (  # (file field, step) in the order a cycle runs
    ("requested", "request"),
    ("consulted", "consult"),
    ("signed", "sign"),
    ("withdrawn", "withdraw"),
    ("terminated", "terminate"),
)


@dataclass
class RowOutcome:
    sheet: str | None
    row: int
    council: str
    outcome: str  # created | changed | unchanged | rejected
    steps: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    file: str
    sheet: str | None
    header_row: int
    outcomes: list[RowOutcome]
    problems: list
    ignored_headers: list[str]
    warnings: list[str] = field(default_factory=list)
    header: str = ""  # where the header was and what each column was taken for (ReadResult.header_note)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.outcomes if item.outcome == outcome)

    @property
    def summary(self) -> str:
        parts = [f"{self.count(name)} {name}" for name in ("created", "changed", "unchanged", "rejected")]
        return f"{self.file}: {len(self.outcomes)} rows — " + ", ".join(parts)


class ImportRejected(RowsRejected):
    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(report.file, report.problems, len(report.outcomes))


def read_agreements(path: str | Path, *, sheet: str | None = None, column_map: str | Path = "agreements"):
    """Read a councils workbook into typed rows (nothing is written)."""
    from nalcoop.importer import load_map, read_table

    return read_table(path, load_map(column_map, like="agreements"), sheet=sheet)


def import_agreements(
    conn: sqlite3.Connection, path: str | Path, *, sheet: str | None = None, column_map: str | Path = "agreements"
) -> ImportReport:
    """Read a councils workbook and apply it inside the caller's transaction."""
    return apply_agreements(conn, read_agreements(path, sheet=sheet, column_map=column_map))


def apply_agreements(conn: sqlite3.Connection, table) -> ImportReport:
    """Apply every row that `read_agreements` read, inside the caller's transaction.

    Each row runs in a savepoint so that every bad row is found and reported; the caller
    keeps all or nothing (ImportRejected is raised when any row was rejected).
    """
    from nalcoop.importer import CellProblem
    from nalcoop.progress import track

    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    outcomes: list[RowOutcome] = []
    for source in track(table.rows, f"importing {table.file}"):
        label = str(source.values.get("council") or source.values.get("code") or "")
        if (source.sheet, source.row) in bad_rows:
            outcomes.append(RowOutcome(source.sheet, source.row, label, "rejected"))
            continue
        conn.execute("savepoint import_row")
        try:
            outcome = _import_row(conn, source)
            conn.execute("release savepoint import_row")
        except (NalcoopError, _RowProblem) as exc:
            conn.execute("rollback to savepoint import_row")
            conn.execute("release savepoint import_row")
            field_name = exc.field if isinstance(exc, _RowProblem) else None
            message = exc.message if isinstance(exc, _RowProblem) else str(exc)
            problems.append(source.problem(table.file, field_name, message))
            outcome = RowOutcome(source.sheet, source.row, label, "rejected")
        outcomes.append(outcome)
    problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
    report = ImportReport(table.file, table.sheet, table.header_row, outcomes, problems, table.ignored_headers,
                          table.warnings, table.header_note)
    assert all(isinstance(p, CellProblem) for p in problems)
    if problems:
        raise ImportRejected(report)
    return report


class _RowProblem(Exception):
    def __init__(self, field_name: str | None, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def _import_row(conn: sqlite3.Connection, source) -> RowOutcome:
    values = source.values
    council = _resolve_row_council(conn, values)
    if values.get("level") and values["level"] != council.level:
        raise _RowProblem("level", f"{council.label} is a {council.level} council, not {values['level']}")
    had_events = _last_event(conn, council.id) is not None
    present = {
        (row["step"], row["on_date"])
        for row in conn.execute("select step, on_date from agreement_events where council_id = ?", [council.id])
    }
    wanted = [(field_name, step) for field_name, step in IMPORT_STEPS if values.get(field_name)]
    if not wanted:
        raise _RowProblem(None, "the row has no date (request, consultation, signing, withdrawal or termination)")
    new_steps = [(f, s) for f, s in wanted if (s, values[f]) not in present]
    if not new_steps:
        return RowOutcome(source.sheet, source.row, council.label, "unchanged")
    has_request = any(step == "request" for _, step in wanted)
    note_step = new_steps[-1][1] if not any(s == "sign" for _, s in new_steps) else "sign"
    ref_step = "request" if has_request else new_steps[0][1]
    for field_name, step_name in new_steps:
        step = Step(
            step_name,
            values[field_name],
            mode=values.get("mode") if step_name == "sign" else None,
            ref=values.get("ref") if step_name == ref_step else None,
            note=values.get("note") if step_name == note_step else None,
            without_request=step_name == "sign" and not has_request,
        )
        try:
            record_step(conn, council, step)
        except AgreementError as exc:
            raise _RowProblem(field_name, str(exc)) from None
    outcome = "changed" if had_events else "created"
    return RowOutcome(source.sheet, source.row, council.label, outcome, [s for _, s in new_steps])


def _resolve_row_council(conn: sqlite3.Connection, values: dict) -> Council:
    """The row's council by name (settled by its 시도 column) or code, as the name meant on the row's first
    date: 광주시의회 with 시도 광주 in 2020 is 광주광역시의회."""
    code, name, province = values.get("code"), values.get("council"), values.get("province")
    dates = [values[field_name] for field_name, _step in IMPORT_STEPS if values.get(field_name)]
    on_date = min(dates) if dates else None
    by_code = None
    if code:
        try:
            by_code = registry.resolve(conn, code, on_date=on_date)
        except registry.RegistryError as exc:
            raise _RowProblem("code", str(exc)) from None
    if not name:
        if by_code is None:
            raise _RowProblem("council", "the row names no council (name or code)")
        return by_code
    try:
        by_name = registry.resolve(conn, name, province=province, on_date=on_date)
    except registry.AmbiguousCouncil as exc:
        if by_code is not None:
            return by_code
        raise _RowProblem("council", str(exc)) from None
    except registry.RegistryError as exc:
        raise _RowProblem("council", str(exc)) from None
    if by_code is not None and by_code.id != by_name.id:
        raise _RowProblem("code", f"code {code} is {by_code.label}, but the name says {by_name.label}")
    return by_name


EXPORT_HEADERS = {  # field -> the header written, which the shipped column map reads back
    "council": "의회명",
    "province": "시도",
    "level": "구분",
    "code": "코드",
    "requested": "요청일",
    "consulted": "협의일",
    "signed": "협약일",
    "mode": "체결방식",
    "withdrawn": "철회일",
    "terminated": "해지일",
    "ref": "문서번호",
    "note": "비고",
}


def export_rows(conn: sqlite3.Connection) -> list[dict]:
    """One row per agreement cycle, in the shape `agreement import` reads back unchanged."""
    rows = []
    cycles = conn.execute(
        "select council_id, cycle from agreement_events group by council_id, cycle order by council_id, cycle"
    ).fetchall()
    for council_id, cycle in cycles:
        council = registry.latest_version(conn, council_id)
        events = conn.execute(
            "select * from agreement_events where council_id = ? and cycle = ? order by on_date, id",
            [council_id, cycle],
        ).fetchall()
        first_of = {}
        for event in events:
            first_of.setdefault(event["step"], event)
        if not {"request", "consult", "sign", "withdraw", "terminate"} & first_of.keys():
            # Only follow-ups or renewals: a merged council's steps under the agreement it inherited. The
            # predecessors' rows carry that agreement, and an import rebuilds the inheritance from them.
            continue
        sign = first_of.get("sign")
        request = first_of.get("request")
        note_event = sign or events[-1]
        ref_event = request or events[0]
        note = note_event["note"]
        if sign is not None and request is None and note:
            note = note.removeprefix("signed without a recorded request").lstrip("; ") or None
        rows.append(
            {
                "council": council.name,
                "province": council.province,
                "level": council.level,
                "code": council.code,
                "requested": request["on_date"] if request else None,
                "consulted": first_of["consult"]["on_date"] if "consult" in first_of else None,
                "signed": sign["on_date"] if sign else None,
                "mode": sign["mode"] if sign else None,
                "withdrawn": first_of["withdraw"]["on_date"] if "withdraw" in first_of else None,
                "terminated": first_of["terminate"]["on_date"] if "terminate" in first_of else None,
                "ref": ref_event["ref"],
                "note": note,
            }
        )
    return rows

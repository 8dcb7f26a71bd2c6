"""The writes and their checks: a step appended to a council's history, in date order and in a
permitted sequence."""

from __future__ import annotations

import sqlite3

from nalcoop import registry
from nalcoop.agreements.mergers import _inherits_over, inherited
from nalcoop.agreements.records import FOLLOW_UP_KINDS, MODES, STATUS_AFTER, STEP_WORDS, STEPS, AgreementError, Step
from nalcoop.registry import Council


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

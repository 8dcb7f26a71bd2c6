"""The writes and their checks: a step appended to a council's history, in date order and in a
permitted sequence."""

from __future__ import annotations

import sqlite3

from nalcoop import registry
from nalcoop.agreements.mergers import _inherits_over, inherited
from nalcoop.agreements.records import (
    FOLLOW_UP_KINDS,
    MODES,
    STATUS_AFTER,
    STATUSES,
    STEP_WORDS,
    STEPS,
    AgreementError,
    Step,
)
from nalcoop.i18n import _, current
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
        raise AgreementError(_("unknown step '{step}'").format(step=step.step))
    if step.mode is not None and step.mode not in MODES:
        raise AgreementError(_("signing mode must be in-person or exchange, not '{mode}'").format(mode=step.mode))
    if step.follow_kind is not None and step.follow_kind not in FOLLOW_UP_KINDS:
        raise AgreementError(_("follow-up kind must be one of {kinds}").format(kinds=", ".join(FOLLOW_UP_KINDS)))
    if step.step == "follow-up" and not step.follow_kind:
        raise AgreementError(_("a follow-up needs a kind: {kinds}").format(kinds=", ".join(FOLLOW_UP_KINDS)))
    name = council.label
    from nalcoop.dates import today

    now = today().isoformat()
    if step.on_date > now:
        raise AgreementError(_("{date} is after today ({today}); record a step on or after the day it happens").format(
            date=step.on_date, today=now))
    existing = registry.council_as_of(conn, council.id, step.on_date)
    if existing is None:
        raise AgreementError(_not_existing(conn, council, step.on_date))
    last = _last_event(conn, council.id)
    if last is not None and step.on_date < last["on_date"]:
        raise AgreementError(_("{date} is earlier than the previous step of {council} ({step} on {previous}); steps "
                               "are recorded in date order").format(date=step.on_date, council=name,
                                                                    step=_step_word(last["step"]),
                                                                    previous=last["on_date"]))
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
        return _("{council} did not exist on {date}; it was created on {created}").format(
            council=council.label, date=on_date, created=first["valid_from"])
    return _("{council} did not exist on {date}; it was abolished on {abolished}").format(
        council=council.label, date=on_date, abolished=last["valid_to"])


def _step_word(code: str) -> str:
    """The word a message uses for a step: the English one of STEP_WORDS, or the Korean label."""
    lang = current()
    return STEP_WORDS[code] if lang == "en" else STEPS.label(code, lang)


def _check_transition(name: str, step: Step, status: str | None, last: sqlite3.Row | None) -> None:
    since = _(" on {date}").format(date=last["on_date"]) if last else ""
    open_request = status in ("requested", "consultation")
    if step.step == "request":
        if open_request:
            said = (_("{council} already has an open request (status {status} since {date})") if last
                    else _("{council} already has an open request (status {status})"))
            raise AgreementError(said.format(council=name, status=STATUSES.said(status),
                                             date=last["on_date"] if last else ""))
        if status == "signed":
            raise AgreementError(_("{council} already has an agreement in force (last step{since}); terminate it "
                                   "before a new request").format(council=name, since=since))
    elif step.step == "consult":
        if not open_request:
            raise AgreementError(_("consultation needs an open request, and {council} has none ({status}); record "
                                   "the request first").format(council=name, status=_status_words(status, since)))
    elif step.step == "sign":
        if status == "signed":
            raise AgreementError(_("{council} already has an agreement in force ({status}); a second signing is "
                                   "refused (use `renew` to renew it)").format(council=name,
                                                                               status=_status_words(status, since)))
        if not open_request and not step.without_request:
            raise AgreementError(_("signing without a request: {council} has no open request ({status}); record "
                                   "the request first, or pass --without-request for an agreement whose request "
                                   "predates the ledger").format(council=name, status=_status_words(status, since)))
    elif step.step in ("follow-up", "renew", "terminate"):
        if status != "signed":
            raise AgreementError(_("{step} needs an agreement in force, and {council} has none on {date} "
                                   "({status})").format(step=_step_word(step.step), council=name, date=step.on_date,
                                                        status=_status_words(status, since)))
    elif step.step == "withdraw" and not open_request:
        raise AgreementError(_("only an open request can be withdrawn, and {council} has none ({status})").format(
            council=name, status=_status_words(status, since)))


def _status_words(status: str | None, since: str) -> str:
    if status is None:
        return _("no agreement steps recorded")
    return _("status {status}, last step{since}").format(status=STATUSES.said(status), since=since)

"""The rules of the agreement records that `nalcoop check` verifies."""

from __future__ import annotations

import sqlite3

from nalcoop import registry
from nalcoop.agreements.mergers import _inherits_over, inherited
from nalcoop.agreements.records import STATUS_AFTER, STATUSES, STEPS, AgreementError, Step
from nalcoop.agreements.rules import _check_transition
from nalcoop.i18n import _


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """For `nalcoop check`: replay every council's steps in date order and report each one that
    the commands would have refused, a wrong status or cycle, or a step outside the council's life (in the
    language of the run, steps and statuses by their labels)."""
    problems: list[str] = []
    labels: dict[int, str] = {}

    def label(council_id: int) -> str:  # looked up only for a council with a problem: a check of a clean ledger
        if council_id not in labels:  # reads no registry
            labels[council_id] = registry.latest_version(conn, council_id).label
        return labels[council_id]

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
        def where(row: sqlite3.Row = row) -> str:
            return _("agreement event {id} ({council}, {step} on {date})").format(
                id=row["id"], council=label(row["council_id"]), step=STEPS.said(row["step"]), date=row["on_date"])

        if row["step"] not in STATUS_AFTER or row["status_after"] != STATUS_AFTER[row["step"]]:
            expected = STATUS_AFTER.get(row["step"])
            problems.append(_("{where}: status after is {status}, not {expected}").format(
                where=where(), status=STATUSES.said(row["status_after"]),
                expected=STATUSES.said(expected) if expected else "-"))
        status = last["status_after"] if last else None
        step = Step(row["step"], row["on_date"], without_request=True)
        try:
            _check_transition("", step, status, last)
        except AgreementError:
            try:  # again, to say why with the council's name
                _check_transition(label(row["council_id"]), step, status, last)
            except AgreementError as exc:
                problems.append(_("{where} is out of order: {why}").format(where=where(), why=exc))
        new_cycle = row["step"] == "request" or (row["step"] == "sign" and status in (None, "withdrawn", "terminated"))
        expected_cycle = (last["cycle"] + 1 if last else 1) if new_cycle else (last["cycle"] if last else 1)
        if row["cycle"] != expected_cycle:
            problems.append(_("{where}: cycle {cycle}, expected {expected}").format(where=where(), cycle=row["cycle"],
                                                                                     expected=expected_cycle))
        lives = [part.split("/") for part in (row["lives"] or "").split()]
        if not any(start <= row["on_date"] and (not end or row["on_date"] < end) for start, end in lives):
            problems.append(_("{where}: the council did not exist on that date").format(where=where()))
        previous = row
    return problems

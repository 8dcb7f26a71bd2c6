"""Reading: each council's status on a day, a council's timeline, and the requests that wait."""

from __future__ import annotations

import sqlite3

from nalcoop import registry
from nalcoop.agreements.mergers import _inherits_over, inherited
from nalcoop.agreements.records import FOLLOW_UP_KINDS, MODES, STATUSES, AgreementError
from nalcoop.i18n import _
from nalcoop.registry import Council

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
        raise AgreementError(_("unknown status '{status}'; choose one of {choices}").format(
            status=status, choices=", ".join(STATUSES)))
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


def _step_detail(event) -> str:
    """How a step was taken, as a person reads it: the signing mode or the follow-up's kind, as its label."""
    if event["mode"]:
        return MODES.said(event["mode"])
    return FOLLOW_UP_KINDS.said(event["follow_kind"]) if event["follow_kind"] else ""


def timeline(conn: sqlite3.Connection, council: Council) -> list[dict]:
    """Every agreement step of a council and every registry change it went through, by date."""
    rows = []
    for event in conn.execute(
        "select * from agreement_events where council_id = ? order by on_date, id", [council.id]
    ):
        detail = _step_detail(event)
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
                             "detail": f"{name}: {_step_detail(event)}".rstrip(": "),
                             "ref": event["ref"], "note": event["note"]})
        if inheritance and inheritance.status == "signed":
            rows.append({"date": day, "cycle": 1, "step": "inherited", "status": "signed",
                         "detail": _("agreement in force inherited from {councils}").format(
                             councils=inheritance.names), "ref": None,
                         "note": _("confirm it with the new council (a renewal or follow-up step)")})
        elif inheritance:
            rows.append({"date": day, "cycle": 1, "step": "inherited", "status": inheritance.status,
                         "detail": _("open request inherited from {councils}").format(councils=inheritance.names),
                         "ref": None,
                         "note": _("the new council continues it: consult or sign with the new council")})
    versions = registry.versions_of(conn, council.id)
    for index, version in enumerate(versions):
        if version["change_kind"] == "baseline":
            continue
        previous = versions[index - 1] if index else None
        what = registry.described(version["description"], version["change_origin"])
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
             "detail": (_("{council} abolished; merged into {successor}, which succeeds to its agreement").format(
                 council=last["name"], successor=merged_into) if merged_into
                 else _("{council} abolished").format(council=last["name"])), "ref": None, "note": None}
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

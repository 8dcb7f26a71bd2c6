"""Mergers: the successor rule. A merged council takes over the agreement in force (or the open request)
of the councils it replaced."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from nalcoop import registry
from nalcoop.i18n import _


class Inheritance(NamedTuple):
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
                names.append(_("{council} (signed {date})").format(council=name, date=signed_on) if signed_on
                             else name)
            elif last is not None and last["status_after"] in ("requested", "consultation"):
                pending.append(last)
                said = (_("{council} (in consultation {date})") if last["status_after"] == "consultation"
                        else _("{council} (requested {date})"))
                pending_names.append(said.format(council=name, date=last["on_date"]))
        if signed:
            found[successor] = Inheritance(successor, day, tuple(predecessors), tuple(signed), ", ".join(names))
        elif pending:
            # No agreement in force, but a request still open: the new council continues it (it need not ask
            # again); a consultation under way outranks a request.
            status = "consultation" if any(step["status_after"] == "consultation" for step in pending) else "requested"
            found[successor] = Inheritance(successor, day, tuple(predecessors), tuple(pending),
                                           ", ".join(pending_names), status)
    return found

"""A council's state on a day, its versions, the recorded changes and who succeeded whom: plain reads of
council_versions and registry_changes."""

from __future__ import annotations

import contextlib
import sqlite3

from nalcoop.registry.records import Council

_AS_OF_SQL = """
    select v.council_id as id, c.key, v.name, v.name_en, v.gov, v.gov_en, v.level, v.kind, v.code,
           coalesce(p.gov, v.gov) as province, v.province_id, v.valid_from, v.valid_to,
           coalesce(p.code, v.code) as province_code
    from council_versions v
    join councils c on c.id = v.council_id
    left join council_versions p on p.council_id = v.province_id
         and p.valid_from <= :d and (p.valid_to is null or p.valid_to > :d)
    where v.valid_from <= :d and (v.valid_to is null or v.valid_to > :d)
"""


def _council(row: sqlite3.Row) -> Council:
    return Council(
        row["id"], row["key"], row["name"], row["name_en"], row["gov"], row["gov_en"], row["level"],
        row["kind"], row["code"], row["province"], row["province_id"], row["valid_from"], row["valid_to"],
    )


def council_as_of(conn: sqlite3.Connection, council_id: int, as_of: str) -> Council | None:
    row = conn.execute(_AS_OF_SQL + " and v.council_id = :id", {"d": as_of, "id": council_id}).fetchone()
    return _council(row) if row else None


def latest_version(conn: sqlite3.Connection, council_id: int) -> Council:
    """The council's newest state (for an abolished council, the last one it had)."""
    row = conn.execute(
        "select valid_from from council_versions where council_id = ? order by valid_from desc limit 1",
        [council_id],
    ).fetchone()
    council = council_as_of(conn, council_id, row["valid_from"])
    assert council is not None
    return council


def versions_of(conn: sqlite3.Connection, council_id: int) -> list[dict]:
    rows = conn.execute(
        """select v.*, r.kind as change_kind, r.description, r.source, r.effective_on, r.origin as change_origin
           from council_versions v join registry_changes r on r.id = v.change_id
           where v.council_id = ? order by v.valid_from""",
        [council_id],
    ).fetchall()
    return [dict(row) for row in rows]


def changes(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        """select r.id, r.effective_on, r.kind, r.description, r.source, r.origin,
                  (select count(*) from council_versions v where v.change_id = r.id) as versions
           from registry_changes r order by r.effective_on, r.id"""
    ).fetchall()
    return [{**dict(row), "description": described(row["description"], row["origin"])} for row in rows]


def described(description: str, origin: str) -> str:
    """A change's description as a person reads it: a shipped change's (written in English in councils.yaml, and
    stored so) in the language of the run through the catalog (tools/catalog.py extracts them); one recorded by
    hand as it was written."""
    if origin != "shipped" or not description:
        return description
    from nalcoop.i18n import _

    return _(description)


def council_then(conn: sqlite3.Connection, council_id: int, as_of: str | None) -> Council:
    """The council's state on a day, or its last state if it no longer existed then."""
    if as_of:
        council = council_as_of(conn, council_id, as_of)
        if council is not None:
            return council
    return latest_version(conn, council_id)


def _registry_key(conn: sqlite3.Connection) -> tuple:
    # Every registry write adds a version, ends one (valid_to) or re-points one (change_id).
    return tuple(
        conn.execute(
            "select count(*), max(id), max(change_id), count(valid_to), max(valid_to) from council_versions"
        ).fetchone()
    )


def successions(conn: sqlite3.Connection) -> list[tuple[int, list[int], str]]:
    """(successor, predecessors, merger day) for every merger in the registry.

    The successor is the council the merger created (or the survivor it gave the day's version to) at the
    level of the councils it ended; the predecessors are the councils of that level, and for basic councils
    of that province, whose existence ended on the merger day.
    """
    key = _registry_key(conn)
    cached = getattr(conn, "successions_cache", None)
    if cached and cached[0] == key:  # asked on every agreement step: kept until the registry changes
        return cached[1]
    found = []
    for change_id, day in conn.execute("select id, effective_on from registry_changes where kind = 'merge'"):
        touched = conn.execute(
            """select v.council_id, v.level, v.province_id,
                      (select min(x.valid_from) from council_versions x where x.council_id = v.council_id) as first
               from council_versions v where v.change_id = ? and v.valid_from = ?""", [change_id, day]).fetchall()
        ended = conn.execute(
            """select v.council_id, v.level, v.province_id from council_versions v
               where v.valid_to = ? and not exists (select 1 from council_versions x
                     where x.council_id = v.council_id and x.valid_from >= ?)""", [day, day]).fetchall()
        levels = {row["level"] for row in ended}
        candidates = [row for row in touched if row["level"] in levels]
        candidates.sort(key=lambda row: row["first"] != day)  # a council the merger created comes first
        if not candidates:
            continue
        successor = candidates[0]
        predecessors = [row["council_id"] for row in ended if row["level"] == successor["level"]
                        and (successor["level"] == "provincial" or row["province_id"] == successor["province_id"])]
        if successor["level"] == "provincial" and len(predecessors) > 1:
            # Two mergers of provinces on one day (대구·경북 and 대전·충남 were planned together): a province
            # is the successor's predecessor when its basic councils moved into the successor that day.
            moved_from = {row[0] for row in conn.execute(
                """select old.province_id from council_versions old join council_versions new
                   on new.council_id = old.council_id and new.valid_from = old.valid_to
                   where old.valid_to = ? and new.province_id = ?""", [day, successor["council_id"]])}
            predecessors = [council for council in predecessors if council in moved_from] or predecessors
        if predecessors:
            found.append((successor["council_id"], predecessors, day))
    with contextlib.suppress(AttributeError):
        conn.successions_cache = (key, found)
    return found

"""Organizations of the network, the bodies they belong to (such as the Korean Legal Information Council)
and their memberships over time, and the shipped facts `nalcoop init` loads.

A membership runs from the day an organization joined to the day it left (exclusive): the members as of D
are the state at the end of D, so one that left on D is not counted.
"""

from __future__ import annotations

import re
import sqlite3

from nalcoop.dates import END_OF_TIME, today
from nalcoop.i18n import N_, _, ngettext
from nalcoop.names import Lookup, name_key, pick, trimmed
from nalcoop.network.records import (
    HOME_ORG,
    HOME_ORG_EN,
    ORG_TYPES,
    ROLES,
    Body,
    Membership,
    NetworkError,
    NotFound,
    Org,
    _body,
    _org,
)

# ---------------------------------------------------------------- organizations

def org_by_id(conn: sqlite3.Connection, org_id: int) -> Org:
    return _org(conn.execute("select * from network_orgs where id = ?", [org_id]).fetchone())


def all_orgs(conn: sqlite3.Connection) -> list[Org]:
    return [_org(row) for row in conn.execute("select * from network_orgs order by name")]


def home_org(conn: sqlite3.Connection) -> Org | None:
    """NAL's own record, whatever it has been renamed to since `init` loaded it (its English name too)."""
    for row in conn.execute("select * from network_orgs where name_key = ? or name_en = ? order by id",
                            [name_key(HOME_ORG), HOME_ORG_EN]):
        return _org(row)
    return None


def org_lookup(conn: sqlite3.Connection, orgs: list[Org] | None = None) -> Lookup:
    """Organizations by Korean or English name, or a unique part of either (built once per import)."""
    return Lookup(N_("organization"), orgs if orgs is not None else all_orgs(conn), lambda o: o.label,
                  "nalcoop network org list", lambda o: [name_key(o.name), name_key(o.name_en)],
                  error=NetworkError, missing=NotFound, plural=N_("organizations"))


def resolve_org(conn: sqlite3.Connection, text: str, orgs: list[Org] | None = None) -> Org:
    return org_lookup(conn, orgs).find(text)


def add_org(conn: sqlite3.Connection, name: str, org_type: str, *, name_en: str | None = None,
            parent: str | None = None, contact: str | None = None, note: str | None = None) -> Org:
    name = trimmed(name) or ""
    if not name_key(name):
        raise NetworkError(_("an organization needs a name, such as 대한변호사협회"))
    existing = conn.execute("select * from network_orgs where name_key = ?", [name_key(name)]).fetchone()
    if existing is not None:
        raise NetworkError(_("{name} is already registered; change it with `nalcoop network org edit`").format(
            name=existing['name']))
    _check_unique_english(conn, name_en, None)
    parent_id = resolve_org(conn, parent).id if trimmed(parent) else None
    cursor = conn.execute(
        "insert into network_orgs (name, name_key, name_en, name_en_key, type, parent_id, contact, note) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        [name, name_key(name), trimmed(name_en), name_key(name_en) or None if trimmed(name_en) else None,
         ORG_TYPES.check(org_type, N_("organization type"), NetworkError), parent_id, trimmed(contact), trimmed(note)])
    return org_by_id(conn, cursor.lastrowid)


def _check_unique_english(conn: sqlite3.Connection, name_en: str | None, own_id: int | None) -> None:
    """Two organizations may not share an English name: lookups by it would be ambiguous forever."""
    if not trimmed(name_en):
        return
    if not name_key(name_en):
        raise NetworkError(_("'{name}' is not an English name").format(name=trimmed(name_en)))
    clash = conn.execute("select name from network_orgs where name_en_key = ? and id is not ?",
                         [name_key(name_en), own_id]).fetchone()
    if clash is not None:
        raise NetworkError(_("'{english}' is already the English name of {name}").format(
            english=trimmed(name_en), name=clash["name"]))


def edit_org(conn: sqlite3.Connection, org: Org, *, name: str | None = None, org_type: str | None = None,
             name_en: str | None = None, parent: str | None = None, contact: str | None = None,
             note: str | None = None) -> Org:
    """Change the fields given (None leaves one as it is; '' clears an optional one)."""
    values: dict[str, object] = {}
    if name is not None:
        if not name_key(name):
            raise NetworkError(_("an organization's name cannot be empty"))
        clash = conn.execute("select name from network_orgs where name_key = ? and id <> ?",
                             [name_key(name), org.id]).fetchone()
        if clash:
            raise NetworkError(_("{name} is already registered under that name").format(name=clash['name']))
        values.update(name=name.strip(), name_key=name_key(name))
    if org_type is not None:
        values["type"] = ORG_TYPES.check(org_type, N_("organization type"), NetworkError)
    if name_en is not None:
        _check_unique_english(conn, name_en, org.id)
        values["name_en"] = trimmed(name_en)
        values["name_en_key"] = name_key(name_en) or None if trimmed(name_en) else None
    if parent is not None:
        parent_id = resolve_org(conn, parent).id if trimmed(parent) else None
        if parent_id == org.id:
            raise NetworkError(_("{org} cannot be its own parent organization").format(org=org.name))
        if parent_id is not None:
            _check_no_cycle(conn, org, parent_id)
        values["parent_id"] = parent_id
    for field_name, value in (("contact", contact), ("note", note)):
        if value is not None:
            values[field_name] = trimmed(value)
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)  # names from this function only
        conn.execute(f"update network_orgs set {assignments} where id = ?", [*values.values(), org.id])
    return org_by_id(conn, org.id)


def _check_no_cycle(conn: sqlite3.Connection, org: Org, parent_id: int) -> None:
    seen = {org.id}
    current: int | None = parent_id
    while current is not None:
        if current in seen:
            raise NetworkError(_("{org} cannot sit under {name}: that organization is already part of it").format(
                org=org.name, name=org_by_id(conn, parent_id).name))
        seen.add(current)
        current = conn.execute("select parent_id from network_orgs where id = ?", [current]).fetchone()[0]


def org_rows(conn: sqlite3.Connection, as_of: str, *, org_type: str | None = None) -> list[dict]:
    """Every organization with its parent, the bodies it belongs to at the end of `as_of`, and how many
    events it came to (attended) or hosted."""
    if org_type is not None:
        ORG_TYPES.check(org_type, N_("organization type"), NetworkError)
    names = dict(conn.execute("select id, name from network_orgs"))
    bodies: dict[int, list[str]] = {}
    for org_id, code, role in conn.execute(
            """select m.org_id, b.code, m.role from network_memberships m join network_bodies b on b.id = m.body_id
               where m.joined_on <= ?1 and (m.left_on is null or m.left_on > ?1) order by b.code""", [as_of]):
        bodies.setdefault(org_id, []).append(code if role == "member" else f"{code} ({role})")
    attended = dict(conn.execute("select org_id, count(distinct event_id) from network_participants "
                                 "where status = 'attended' group by org_id"))
    hosted = dict(conn.execute("select org_id, count(*) from network_event_hosts group by org_id"))
    rows = []
    for org in all_orgs(conn):
        if org_type and org.type != org_type:
            continue
        rows.append({"name": org.name, "name_en": org.name_en, "type": org.type,
                     "parent": names.get(org.parent_id), "contact": org.contact,
                     "bodies": ", ".join(bodies.get(org.id, [])) or None,
                     "events": attended.get(org.id, 0), "hosted": hosted.get(org.id, 0), "note": org.note})
    return rows


# ---------------------------------------------------------------- bodies and memberships

def resolve_body(conn: sqlite3.Connection, text: str) -> Body:
    """A body by its short code (klic), its Korean or English name, or a unique part of one."""
    bodies = [_body(row) for row in conn.execute("select * from network_bodies order by code")]
    if not bodies:
        raise NotFound(_("no body is registered: run `nalcoop init` to load the Korean Legal Information "
                         "Council (klic), or add one with `nalcoop network body add`"))
    by_code = [b for b in bodies if b.code == str(text or "").strip().casefold()]
    if by_code:
        return by_code[0]
    return pick(N_("body"), text, bodies, lambda b: b.label, "nalcoop network body list",
                lambda b: [name_key(b.name), name_key(b.name_en)] if b.name_en else [name_key(b.name)],
                error=NetworkError, missing=NotFound, plural=N_("bodies"))


_CODE = re.compile(r"[a-z][a-z0-9-]{0,19}")


def add_body(conn: sqlite3.Connection, code: str, name: str, *, name_en: str | None = None,
             founded_on: str | None = None, note: str | None = None) -> Body:
    code = str(code or "").strip().casefold()
    if not _CODE.fullmatch(code):
        raise NetworkError(_("a body's code is a short handle of letters, digits and hyphens starting "
                             "with a letter (such as klic), not '{code}'").format(code=code[:40]))
    name = trimmed(name) or ""
    if not name_key(name):
        raise NetworkError(_("a body needs a name, such as 한국법률정보협의회"))
    for row in conn.execute("select code, name from network_bodies"):
        if row["code"] == code or name_key(row["name"]) == name_key(name):
            raise NetworkError(_("{name} ({code}) is already registered").format(name=row['name'], code=row['code']))
    cursor = conn.execute("insert into network_bodies (code, name, name_key, name_en, founded_on, note) "
                          "values (?, ?, ?, ?, ?, ?)", [code, name, name_key(name), trimmed(name_en), founded_on,
                                                        trimmed(note)])
    return _body(conn.execute("select * from network_bodies where id = ?", [cursor.lastrowid]).fetchone())


def body_rows(conn: sqlite3.Connection, as_of: str) -> list[dict]:
    counts = dict(conn.execute(
        """select body_id, count(*) from network_memberships
           where joined_on <= ?1 and (left_on is null or left_on > ?1) group by body_id""", [as_of]))
    meetings = dict(conn.execute("select body_id, count(*) from network_events where body_id is not null "
                                 "and starts_on <= ? group by body_id", [as_of]))
    return [{"code": row["code"], "name": row["name"], "name_en": row["name_en"], "founded_on": row["founded_on"],
             "members": counts.get(row["id"], 0), "meetings": meetings.get(row["id"], 0), "as_of": as_of}
            for row in conn.execute("select * from network_bodies order by code")]


def _memberships(conn: sqlite3.Connection, body: Body, org: Org) -> list[Membership]:
    return [Membership(row["id"], body, org, row["role"], row["joined_on"], row["left_on"])
            for row in conn.execute("select * from network_memberships where body_id = ? and org_id = ? "
                                    "order by joined_on", [body.id, org.id])]


def _overlapping(existing: list[Membership], joined_on: str, left_on: str | None,
                 ignore: int | None = None) -> Membership | None:
    for membership in existing:
        if membership.id != ignore and membership.joined_on < (left_on or END_OF_TIME) \
                and joined_on < (membership.left_on or END_OF_TIME):
            return membership
    return None


def join(conn: sqlite3.Connection, body: Body, org: Org, joined_on: str, *, role: str = "member",
         left_on: str | None = None, note: str | None = None) -> Membership:
    """`org` becomes a member of `body` on `joined_on` (until `left_on`, exclusive, for a past membership)."""
    ROLES.check(role, N_("role"), NetworkError)
    if left_on is not None and left_on <= joined_on:
        raise NetworkError(_("{org} cannot leave {body} on {left_on}: that is not after it joined on "
                             "{joined_on}").format(
            org=org.name, body=body.name, left_on=left_on, joined_on=joined_on))
    if body.founded_on and joined_on < body.founded_on:
        raise NetworkError(_("{org} cannot join {body} on {joined_on}: the body was founded on "
                             "{founded_on}").format(
            org=org.name, body=body.name, joined_on=joined_on, founded_on=body.founded_on))
    clash = _overlapping(_memberships(conn, body, org), joined_on, left_on)
    if clash is not None:
        raise NetworkError(_("{org} is already a member of {body} {period}; a membership from "
                             "{joined_on} would overlap it (record a leave first, or change the role "
                             "with `nalcoop network role`)").format(
            org=org.name, body=body.name, period=clash.period, joined_on=joined_on))
    cursor = conn.execute("insert into network_memberships (body_id, org_id, role, joined_on, left_on, note) "
                          "values (?, ?, ?, ?, ?, ?)", [body.id, org.id, role, joined_on, left_on, trimmed(note)])
    return Membership(cursor.lastrowid, body, org, role, joined_on, left_on)


def _held_before(memberships: list[Membership], on_date: str) -> Membership | None:
    """The piece of membership held at the end of the day before `on_date` (joined before it)."""
    for membership in memberships:
        if membership.joined_on < on_date and (membership.left_on is None or membership.left_on >= on_date):
            return membership
    return None


def _chained_after(memberships: list[Membership], piece: Membership) -> list[Membership]:
    """The pieces that continue `piece` without a gap (a role change ends one piece and begins the next)."""
    chain, current = [], piece
    for membership in memberships:
        if current.left_on is not None and membership.joined_on == current.left_on and membership.id != piece.id:
            chain.append(membership)
            current = membership
    return chain


def _not_a_member(org: Org, body: Body, memberships: list[Membership], on_date: str, verb: str) -> NetworkError:
    later = [m for m in memberships if m.joined_on >= on_date]
    if later:
        return NetworkError(f"{org.name} cannot {verb} {body.name} on {on_date}: it joined on {later[0].joined_on}, "
                            "which is not before that day")
    if memberships:
        return NetworkError(f"{org.name} is not a member of {body.name} on {on_date}: its last membership "
                            f"{memberships[-1].period}")
    return NetworkError(f"{org.name} has never been a member of {body.name}; add it with `nalcoop network join`")


def leave(conn: sqlite3.Connection, body: Body, org: Org, left_on: str, *, note: str | None = None) -> Membership:
    """`org` leaves `body` on `left_on`: it is no longer a member at the end of that day. A membership that
    already has a later leave (recorded with `network join --to`) gets the earlier day; one whose role changed after
    the day is refused (the role change would be cut short: undo it first)."""
    memberships = _memberships(conn, body, org)
    membership = _held_before(memberships, left_on)
    if membership is None:
        raise _not_a_member(org, body, memberships, left_on, "leave")
    later = [m for m in _chained_after(memberships, membership) if m.joined_on >= left_on]
    if later:
        raise NetworkError(_("{org} became {article} of {body} on {joined_on}; a leave on {left_on} "
                             "would cut that short: undo the role change first, or leave after "
                             "{joined_on}").format(
            org=org.name, article=_article(later[0].role), body=body.name, joined_on=later[0].joined_on,
            left_on=left_on))
    if membership.left_on == left_on:
        raise NetworkError(_("{org} already left {body} on {left_on}").format(
            org=org.name, body=body.name, left_on=left_on))
    conn.execute("update network_memberships set left_on = ?, note = coalesce(?, note) where id = ?",
                 [left_on, trimmed(note), membership.id])
    return Membership(membership.id, body, org, membership.role, membership.joined_on, left_on)


def change_role(conn: sqlite3.Connection, body: Body, org: Org, role: str, on_date: str) -> Membership:
    """From `on_date` on, `org` holds `role` in `body`: the membership ends that day and a new one begins.

    Given the day a piece begins (the day it joined, or of an earlier role change), that piece takes the
    role instead; one that comes back to the role of the piece before it joins that piece again.
    """
    ROLES.check(role, N_("role"), NetworkError)
    memberships = _memberships(conn, body, org)
    starting = [m for m in memberships if m.joined_on == on_date]
    if starting:
        membership = starting[0]
        if membership.role == role:
            raise NetworkError(_("{org} is already {article} of {body} ({period})").format(
                org=org.name, article=_article(role), body=body.name, period=membership.period))
        before = [m for m in memberships if m.left_on == on_date and m.role == role]
        if before:  # back to the role it had until that day: one piece again, as if nothing had changed
            conn.execute("delete from network_memberships where id = ?", [membership.id])
            conn.execute("update network_memberships set left_on = ? where id = ?",
                         [membership.left_on, before[0].id])
            return Membership(before[0].id, body, org, role, before[0].joined_on, membership.left_on)
        conn.execute("update network_memberships set role = ? where id = ?", [role, membership.id])
        return Membership(membership.id, body, org, role, on_date, membership.left_on)
    membership = _held_before(memberships, on_date)
    if membership is None or membership.left_on == on_date:
        raise _not_a_member(org, body, memberships, on_date, "change its role in") if membership is None else \
            NetworkError(f"{org.name} left {body.name} on {on_date}; its role cannot change that day")
    if membership.role == role:
        raise NetworkError(_("{org} is already {article} of {body} ({period})").format(
            org=org.name, article=_article(role), body=body.name, period=membership.period))
    conn.execute("update network_memberships set left_on = ? where id = ?", [on_date, membership.id])
    cursor = conn.execute("insert into network_memberships (body_id, org_id, role, joined_on, left_on) "
                          "values (?, ?, ?, ?, ?)", [body.id, org.id, role, on_date, membership.left_on])
    return Membership(cursor.lastrowid, body, org, role, on_date, membership.left_on)


def _article(role: str) -> str:
    if role == "chair":
        return _("the chair")
    return _("the secretariat") if role == "secretariat" else _("a member")


def member_rows(conn: sqlite3.Connection, body: Body | None, as_of: str | None) -> list[dict]:
    """Members at the end of `as_of` (each body's), or with as_of None every membership ever recorded.
    'member since' is the first day of the unbroken membership (role changes do not break it; a gap does)."""
    since: dict[int, str] = {}
    previous: tuple | None = None
    for row in conn.execute("select id, body_id, org_id, joined_on, left_on from network_memberships "
                            "order by body_id, org_id, joined_on"):
        pair = (row["body_id"], row["org_id"])
        continued = previous is not None and previous[0] == pair and previous[2] == row["joined_on"]
        since[row["id"]] = previous[1] if continued else row["joined_on"]
        previous = (pair, since[row["id"]], row["left_on"])
    sql = """select m.id, b.code, b.name as body, o.name, o.name_en, o.type, m.role, m.joined_on, m.left_on, m.note
             from network_memberships m join network_orgs o on o.id = m.org_id
             join network_bodies b on b.id = m.body_id where 1 = 1"""
    params: list[object] = []
    if body is not None:
        sql += " and m.body_id = ?"
        params.append(body.id)
    if as_of is not None:
        sql += " and m.joined_on <= ? and (m.left_on is null or m.left_on > ?)"
        params += [as_of, as_of]
    if as_of is None:  # a history: each organization's memberships together, in time order
        sql += " order by b.code, o.name, m.joined_on"
    else:
        sql += " order by b.code, case m.role when 'chair' then 0 when 'secretariat' then 1 else 2 end, o.name"
    return [{"body": row["code"], "name": row["name"], "name_en": row["name_en"], "type": row["type"],
             "role": row["role"], "joined_on": row["joined_on"], "left_on": row["left_on"],
             "member_since": since[row["id"]], "note": row["note"]} for row in conn.execute(sql, params)]


# ---------------------------------------------------------------- the shipped facts (nalcoop init)


def shipped_network() -> dict:
    from importlib import resources

    import yaml

    return yaml.safe_load(resources.files("nalcoop").joinpath("data/network.yaml").read_text(encoding="utf-8"))


def load_shipped(conn: sqlite3.Connection, data: dict | None = None) -> list[str]:
    """Load the shipped organizations and bodies once each; return what was added. A fact a librarian
    has since changed or removed is not loaded again (network_shipped remembers what was)."""
    data = data or shipped_network()
    known = {row[0] for row in conn.execute("select key from network_shipped")}
    added: list[str] = []
    loaded_on = today().isoformat()
    for entry in data.get("orgs") or []:
        key = f"org:{entry['name']}"
        if key in known:
            continue
        if conn.execute("select 1 from network_orgs where name_key = ?", [name_key(entry["name"])]).fetchone() is None:
            add_org(conn, entry["name"], entry["type"], name_en=entry.get("english"))
            added.append(entry["name"])
        conn.execute("insert into network_shipped (key, loaded_on) values (?, ?)", [key, loaded_on])
    for entry in data.get("bodies") or []:
        key = f"body:{entry['code']}"
        if key in known:
            continue
        exists = conn.execute("select 1 from network_bodies where code = ?", [entry["code"]]).fetchone()
        if exists is None:
            body = add_body(conn, entry["code"], entry["name"], name_en=entry.get("english"),
                            founded_on=str(entry["founded"]) if entry.get("founded") else None)
            for member in entry.get("members") or []:
                org = conn.execute("select * from network_orgs where name_key = ?",
                                   [name_key(member["org"])]).fetchone()
                if org is not None:
                    join(conn, body, _org(org), str(member["joined"]), role=member.get("role", "member"))
            founders = len(entry.get("members") or [])
            added.append(ngettext("{name} ({code}, {count} founding member)", "{name} ({code}, {count} founding "
                                  "members)", founders).format(name=entry["name"], code=entry["code"], count=founders))
        conn.execute("insert into network_shipped (key, loaded_on) values (?, ?)", [key, loaded_on])
    return added

"""The Cooperative Network on Legal Information: organizations, bodies and their members over time,
events (meetings, conferences, courses, workshops) with hosts and participants, course curricula,
completion of trainees, and the network's statistics.

Plain functions over a sqlite3 connection; the caller runs writes inside a journaled command.
Dates are ISO strings. A membership runs from the day an organization joined to the day it left
(exclusive): `members(as_of=D)` is the state at the end of D, so one that left on D is not counted.
Attendance counts only participants whose status is 'attended'.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop import errors
from nalcoop.breakdown import Breakdown, Span, Statistic, check_by
from nalcoop.dates import END_OF_TIME, month_span, period_key, today
from nalcoop.errors import NalcoopError
from nalcoop.names import Lookup, name_key, pick, trimmed
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import Term, Vocabulary

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult

ORG_TYPES = Vocabulary("organization type", [
    Term("library", "도서관", "library"),
    Term("university", "대학", "university"),
    Term("government", "정부기관", "government"),
    Term("research-institute", "연구기관", "research institute"),
    Term("professional-body", "전문단체", "professional body"),
    Term("other", "기타", "other"),
])
ROLES = Vocabulary("role in a body", [
    Term("chair", "의장기관", "chair", aliases=("의장",)),
    Term("secretariat", "간사기관", "secretariat", aliases=("간사", "사무국")),
    Term("member", "회원기관", "member", aliases=("회원",)),
])
EVENT_KINDS = Vocabulary("event kind", [
    Term("meeting", "회의", "meeting"),
    Term("conference", "학술대회", "conference"),
    Term("course", "교육과정", "course"),
    Term("workshop", "워크숍", "workshop"),
])
HOST_ROLES = Vocabulary("host role", [
    Term("host", "주최", "host"),
    Term("cohost", "공동주최", "co-host"),
])
PARTICIPANT_ROLES = Vocabulary("participant role", [
    Term("host", "사회", "host", aliases=("사회자",)),
    Term("speaker", "발표자", "speaker"),
    Term("panelist", "토론자", "panelist"),
    Term("participant", "참가자", "participant"),
    Term("instructor", "강사", "instructor"),
    Term("trainee", "교육생", "trainee"),
])
STATUSES = Vocabulary("attendance status", [
    Term("registered", "신청", "registered"),
    Term("attended", "참석", "attended"),
    Term("absent", "불참", "absent"),
    Term("cancelled", "취소", "cancelled"),
])
STATS_DIMENSIONS = Vocabulary("network statistics dimension", [
    Term("kind", "종류", "kind"), Term("year", "연도", "year"), Term("month", "월", "month"),
    Term("type", "유형", "type"), Term("org", "기관", "organization"),
])
MEMBER_DIMENSIONS = Vocabulary("membership statistics dimension", [
    Term("body", "협의체", "body"), Term("role", "역할", "role"), Term("type", "유형", "type"),
])
DEFAULT_COMPLETION_PCT = 80.0
HOME_ORG = "국회도서관"  # the default host: NAL runs the network (found by its shipped name, Korean or English)
HOME_ORG_EN = "National Assembly Library"


class NetworkError(NalcoopError):
    pass


class NotFound(NetworkError):
    pass


class FieldError(errors.FieldError, NetworkError):
    """A wrong value of one field, caught as a NetworkError too."""



def hours_value(value: object, what: str | None = None, *, zero: bool = False) -> float:
    """The importer's reading of hours (3, 1.5, '3시간'), loaded only by the commands that take hours: a
    listing does not pay for the importer."""
    from nalcoop.importer import hours_value as read_hours

    return read_hours(value, what, zero=zero)


def _hours(value: object, what: str, *, zero: bool = False) -> float | None:
    if value is None or value == "":
        return None
    try:
        return hours_value(value, what, zero=zero)
    except ValueError as exc:
        raise NetworkError(str(exc)) from None


def shown_hours(hours: float | None) -> str:
    return "—" if hours is None else f"{hours:g}"


# ---------------------------------------------------------------- organizations


@dataclass(frozen=True)
class Org:
    id: int
    name: str
    name_en: str | None
    type: str
    parent_id: int | None
    contact: str | None
    note: str | None

    @property
    def label(self) -> str:
        return self.name


def _org(row: sqlite3.Row) -> Org:
    return Org(row["id"], row["name"], row["name_en"], row["type"], row["parent_id"], row["contact"], row["note"])


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
    return Lookup("organization", orgs if orgs is not None else all_orgs(conn), lambda o: o.label,
                  "nalcoop network org list", lambda o: [name_key(o.name), name_key(o.name_en)],
                  error=NetworkError, missing=NotFound)


def resolve_org(conn: sqlite3.Connection, text: str, orgs: list[Org] | None = None) -> Org:
    return org_lookup(conn, orgs).find(text)


def add_org(conn: sqlite3.Connection, name: str, org_type: str, *, name_en: str | None = None,
            parent: str | None = None, contact: str | None = None, note: str | None = None) -> Org:
    name = trimmed(name) or ""
    if not name_key(name):
        raise NetworkError("an organization needs a name, such as 대한변호사협회")
    existing = conn.execute("select * from network_orgs where name_key = ?", [name_key(name)]).fetchone()
    if existing is not None:
        raise NetworkError(f"{existing['name']} is already registered; change it with `nalcoop network org edit`")
    _check_unique_english(conn, name_en, None)
    parent_id = resolve_org(conn, parent).id if trimmed(parent) else None
    cursor = conn.execute(
        "insert into network_orgs (name, name_key, name_en, name_en_key, type, parent_id, contact, note) "
        "values (?, ?, ?, ?, ?, ?, ?, ?)",
        [name, name_key(name), trimmed(name_en), name_key(name_en) or None if trimmed(name_en) else None,
         ORG_TYPES.check(org_type, "organization type", NetworkError), parent_id, trimmed(contact), trimmed(note)])
    return org_by_id(conn, cursor.lastrowid)


def _check_unique_english(conn: sqlite3.Connection, name_en: str | None, own_id: int | None) -> None:
    """Two organizations may not share an English name: lookups by it would be ambiguous forever."""
    if not trimmed(name_en):
        return
    if not name_key(name_en):
        raise NetworkError(f"'{trimmed(name_en)}' is not an English name")
    clash = conn.execute("select name from network_orgs where name_en_key = ? and id is not ?",
                         [name_key(name_en), own_id]).fetchone()
    if clash is not None:
        raise NetworkError(f"'{trimmed(name_en)}' is already the English name of {clash['name']}")


def edit_org(conn: sqlite3.Connection, org: Org, *, name: str | None = None, org_type: str | None = None,
             name_en: str | None = None, parent: str | None = None, contact: str | None = None,
             note: str | None = None) -> Org:
    """Change the fields given (None leaves one as it is; '' clears an optional one)."""
    values: dict[str, object] = {}
    if name is not None:
        if not name_key(name):
            raise NetworkError("an organization's name cannot be empty")
        clash = conn.execute("select name from network_orgs where name_key = ? and id <> ?",
                             [name_key(name), org.id]).fetchone()
        if clash:
            raise NetworkError(f"{clash['name']} is already registered under that name")
        values.update(name=name.strip(), name_key=name_key(name))
    if org_type is not None:
        values["type"] = ORG_TYPES.check(org_type, "organization type", NetworkError)
    if name_en is not None:
        _check_unique_english(conn, name_en, org.id)
        values["name_en"] = trimmed(name_en)
        values["name_en_key"] = name_key(name_en) or None if trimmed(name_en) else None
    if parent is not None:
        parent_id = resolve_org(conn, parent).id if trimmed(parent) else None
        if parent_id == org.id:
            raise NetworkError(f"{org.name} cannot be its own parent organization")
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
            raise NetworkError(f"{org.name} cannot sit under {org_by_id(conn, parent_id).name}: "
                               "that organization is already part of it")
        seen.add(current)
        current = conn.execute("select parent_id from network_orgs where id = ?", [current]).fetchone()[0]


def org_rows(conn: sqlite3.Connection, as_of: str, *, org_type: str | None = None) -> list[dict]:
    """Every organization with its parent, the bodies it belongs to at the end of `as_of`, and how many
    events it came to (attended) or hosted."""
    if org_type is not None:
        ORG_TYPES.check(org_type, "organization type", NetworkError)
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


@dataclass(frozen=True)
class Body:
    id: int
    code: str
    name: str
    name_en: str | None
    founded_on: str | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"


def _body(row: sqlite3.Row) -> Body:
    return Body(row["id"], row["code"], row["name"], row["name_en"], row["founded_on"])


def resolve_body(conn: sqlite3.Connection, text: str) -> Body:
    """A body by its short code (klic), its Korean or English name, or a unique part of one."""
    bodies = [_body(row) for row in conn.execute("select * from network_bodies order by code")]
    if not bodies:
        raise NotFound("no body is registered: run `nalcoop init` to load the Korean Legal Information Council "
                       "(klic), or add one with `nalcoop network body add`")
    by_code = [b for b in bodies if b.code == str(text or "").strip().casefold()]
    if by_code:
        return by_code[0]
    return pick("body", text, bodies, lambda b: b.label, "nalcoop network body list",
                lambda b: [name_key(b.name), name_key(b.name_en)] if b.name_en else [name_key(b.name)],
                error=NetworkError, missing=NotFound, plural="bodies")


_CODE = re.compile(r"[a-z][a-z0-9-]{0,19}")


def add_body(conn: sqlite3.Connection, code: str, name: str, *, name_en: str | None = None,
             founded_on: str | None = None, note: str | None = None) -> Body:
    code = str(code or "").strip().casefold()
    if not _CODE.fullmatch(code):
        raise NetworkError(f"a body's code is a short handle of letters, digits and hyphens starting with a letter "
                           f"(such as klic), not '{code[:40]}'")
    name = trimmed(name) or ""
    if not name_key(name):
        raise NetworkError("a body needs a name, such as 한국법률정보협의회")
    for row in conn.execute("select code, name from network_bodies"):
        if row["code"] == code or name_key(row["name"]) == name_key(name):
            raise NetworkError(f"{row['name']} ({row['code']}) is already registered")
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


@dataclass(frozen=True)
class Membership:
    id: int
    body: Body
    org: Org
    role: str
    joined_on: str
    left_on: str | None

    @property
    def period(self) -> str:
        return f"from {self.joined_on} until it left on {self.left_on}" if self.left_on else f"since {self.joined_on}"


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
    ROLES.check(role, "role", NetworkError)
    if left_on is not None and left_on <= joined_on:
        raise NetworkError(f"{org.name} cannot leave {body.name} on {left_on}: that is not after it joined "
                           f"on {joined_on}")
    if body.founded_on and joined_on < body.founded_on:
        raise NetworkError(f"{org.name} cannot join {body.name} on {joined_on}: the body was founded on "
                           f"{body.founded_on}")
    clash = _overlapping(_memberships(conn, body, org), joined_on, left_on)
    if clash is not None:
        raise NetworkError(f"{org.name} is already a member of {body.name} {clash.period}; a membership from "
                           f"{joined_on} would overlap it (record a leave first, or change the role with "
                           "`nalcoop network role`)")
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
    already has a later leave (recorded with --until) gets the earlier day; one whose role changed after
    the day is refused (the role change would be cut short: undo it first)."""
    memberships = _memberships(conn, body, org)
    membership = _held_before(memberships, left_on)
    if membership is None:
        raise _not_a_member(org, body, memberships, left_on, "leave")
    later = [m for m in _chained_after(memberships, membership) if m.joined_on >= left_on]
    if later:
        raise NetworkError(f"{org.name} became {_article(later[0].role)} of {body.name} on {later[0].joined_on}; a "
                           f"leave on {left_on} would cut that short: undo the role change first, or leave after "
                           f"{later[0].joined_on}")
    if membership.left_on == left_on:
        raise NetworkError(f"{org.name} already left {body.name} on {left_on}")
    conn.execute("update network_memberships set left_on = ?, note = coalesce(?, note) where id = ?",
                 [left_on, trimmed(note), membership.id])
    return Membership(membership.id, body, org, membership.role, membership.joined_on, left_on)


def change_role(conn: sqlite3.Connection, body: Body, org: Org, role: str, on_date: str) -> Membership:
    """From `on_date` on, `org` holds `role` in `body`: the membership ends that day and a new one begins.

    Given the day a piece begins (the day it joined, or of an earlier role change), that piece takes the
    role instead; one that comes back to the role of the piece before it joins that piece again.
    """
    ROLES.check(role, "role", NetworkError)
    memberships = _memberships(conn, body, org)
    starting = [m for m in memberships if m.joined_on == on_date]
    if starting:
        membership = starting[0]
        if membership.role == role:
            raise NetworkError(f"{org.name} is already {_article(role)} of {body.name} ({membership.period})")
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
        raise NetworkError(f"{org.name} is already {_article(role)} of {body.name} ({membership.period})")
    conn.execute("update network_memberships set left_on = ? where id = ?", [on_date, membership.id])
    cursor = conn.execute("insert into network_memberships (body_id, org_id, role, joined_on, left_on) "
                          "values (?, ?, ?, ?, ?)", [body.id, org.id, role, on_date, membership.left_on])
    return Membership(cursor.lastrowid, body, org, role, on_date, membership.left_on)


def _article(role: str) -> str:
    return f"the {role}" if role in ("chair", "secretariat") else "a member"


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


# ---------------------------------------------------------------- courses and curricula


@dataclass(frozen=True)
class Course:
    id: int
    title: str
    completion_pct: float

    @property
    def label(self) -> str:
        return self.title


def _course(row: sqlite3.Row) -> Course:
    return Course(row["id"], row["title"], row["completion_pct"])


def resolve_course(conn: sqlite3.Connection, text: str) -> Course:
    courses = [_course(row) for row in conn.execute("select * from network_courses order by title")]
    return pick("course", text, courses, lambda c: c.label, "nalcoop network course list",
                lambda c: [name_key(c.title)], error=NetworkError, missing=NotFound)


def _course_for(conn: sqlite3.Connection, title: str, completion_pct: float | None) -> Course:
    """The course of this title, made on its first run; a threshold given changes it for every run."""
    row = conn.execute("select * from network_courses where title_key = ?", [name_key(title)]).fetchone()
    if completion_pct is not None and not 0 < completion_pct <= 100:
        raise NetworkError(f"--threshold: {completion_pct:g} is not a percentage above 0 and up to 100")
    if row is None:
        cursor = conn.execute("insert into network_courses (title, title_key, completion_pct) values (?, ?, ?)",
                              [title, name_key(title), completion_pct or DEFAULT_COMPLETION_PCT])
        row = conn.execute("select * from network_courses where id = ?", [cursor.lastrowid]).fetchone()
    elif completion_pct is not None and completion_pct != row["completion_pct"]:
        conn.execute("update network_courses set completion_pct = ? where id = ?", [completion_pct, row["id"]])
        row = conn.execute("select * from network_courses where id = ?", [row["id"]]).fetchone()
    return _course(row)


def curriculum_hours(conn: sqlite3.Connection, course_id: int) -> float | None:
    total = conn.execute("select sum(hours) from network_modules where course_id = ?", [course_id]).fetchone()[0]
    return round(total, 2) if total is not None else None


def module_rows(conn: sqlite3.Connection, course: Course) -> list[dict]:
    return [{"position": row["position"], "module": row["title"], "hours": row["hours"],
             "instructor": row["instructor"], "goals": row["goals"]}
            for row in conn.execute("select * from network_modules where course_id = ? order by position, id",
                                    [course.id])]


def add_module(conn: sqlite3.Connection, course: Course, title: str, hours: object, *,
               instructor: str | None = None, goals: str | None = None, position: int | None = None) -> str:
    """Add a module to the course's curriculum, or change the one of the same title; says which."""
    title = trimmed(title) or ""
    if not name_key(title):
        raise NetworkError("a module needs a title, such as '법령정보 검색'")
    hours_taught = _hours(hours, "hours")
    if hours_taught is None:
        raise NetworkError(f"module '{title}' needs its hours (such as 3 or 1.5)")
    if position is not None and not 1 <= position <= 1000:
        raise NetworkError(f"position {position} is not between 1 and 1,000")
    existing = conn.execute("select * from network_modules where course_id = ? and title_key = ?",
                            [course.id, name_key(title)]).fetchone()
    if existing is not None and hours_taught < existing["hours"]:
        total = curriculum_hours(conn, course.id) or 0
        _check_curriculum_total(conn, course, total - existing["hours"] + hours_taught)
    if existing is None:
        if position is None:
            position = conn.execute("select coalesce(max(position), 0) + 1 from network_modules where course_id = ?",
                                    [course.id]).fetchone()[0]
        conn.execute("insert into network_modules (course_id, position, title, title_key, hours, instructor, goals) "
                     "values (?, ?, ?, ?, ?, ?, ?)", [course.id, position, title, name_key(title), hours_taught,
                                                      trimmed(instructor), trimmed(goals)])
        return "created"
    wanted = {"title": title, "hours": hours_taught, "instructor": trimmed(instructor), "goals": trimmed(goals),
              "position": position}
    changed = {key: value for key, value in wanted.items() if value is not None and existing[key] != value}
    if not changed:
        return "unchanged"
    assignments = ", ".join(f"{column} = ?" for column in changed)  # names from `wanted`
    conn.execute(f"update network_modules set {assignments} where id = ?", [*changed.values(), existing["id"]])
    return "changed"


def import_curriculum(conn: sqlite3.Connection, course: Course, path: str | Path | ReadResult, *,
                      sheet: str | None = None, replace: bool = False,
                      column_map: str | Path = "network_modules") -> importer.ImportCounts:
    """A course's modules from a file: new titles added, known ones updated; with `replace`, modules
    not in the file are removed. All rows or none."""
    from nalcoop.importer import ImportCounts, RowsRejected, as_table

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    seen: dict[str, int] = {}
    positions = []
    for source in table.rows:
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        key = name_key(values["title"])
        if not key:
            problems.append(source.problem(table.file, "title", "a module needs a title, such as '법령정보 검색'"))
            continue
        if values.get("position") is not None and not 1 <= values["position"] <= 1000:
            problems.append(source.problem(table.file, "position", f"position {values['position']} is not between "
                                           "1 and 1,000"))
            continue
        if key in seen:
            problems.append(source.problem(table.file, "title", f"repeats row {seen[key]} (same module); keep one "
                                           "of the two rows"))
            continue
        seen[key] = source.row
        if values.get("hours") is None:
            problems.append(source.problem(table.file, "hours", "a module needs its hours (such as 3 or 1.5)"))
            continue
        try:
            values = {**values, "hours": hours_value(values["hours"])}
        except ValueError as exc:
            problems.append(source.problem(table.file, "hours", str(exc)))
            continue
        positions.append((source, values))
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    current = {row["title_key"]: row for row in conn.execute(
        "select id, title, title_key, hours from network_modules where course_id = ?", [course.id]).fetchall()}
    removed = [row for key, row in current.items() if key not in seen] if replace else []
    final = {key: row["hours"] for key, row in current.items() if not replace or key in seen}
    final.update({name_key(values["title"]): values["hours"] for _source, values in positions})
    _check_curriculum_total(conn, course, sum(final.values()) if final else None)
    # More hours first, fewer after, removals last: no moment of the write leaves a trainee over the run.
    numbered = list(enumerate(positions, start=1))
    numbered.sort(key=lambda item: item[1][1]["hours"] - (current[name_key(item[1][1]["title"])]["hours"]
                                                          if name_key(item[1][1]["title"]) in current else 0),
                  reverse=True)
    for number, (source, values) in numbered:
        outcome = add_module(conn, course, values["title"], values["hours"], instructor=values.get("instructor"),
                             goals=values.get("goals"),
                             position=values.get("position") or (number if replace else None))
        counts.outcomes[outcome] += 1
        if outcome != "unchanged":
            counts.details.append(f"row {source.row}: {values['title']} — {outcome}")
    counts.details.sort(key=lambda detail: int(detail.split(":")[0].removeprefix("row ")))
    for row in removed:
        conn.execute("delete from network_modules where id = ?", [row["id"]])
        counts.outcomes["removed"] = counts.outcomes.get("removed", 0) + 1
        counts.details.append(f"{row['title']} — removed (not in the file)")
    return counts


def _check_curriculum_total(conn: sqlite3.Connection, course: Course, total: float | None) -> None:
    """A curriculum may not shrink below what a trainee of a run taking its hours from it attended."""
    over = conn.execute(
        """select e.*, p.person, p.hours as attended from network_events e
           join network_participants p on p.event_id = e.id
           where e.course_id = ? and e.hours is null and p.hours > ? order by p.hours desc limit 1""",
        [course.id, total if total is not None else 1e9]).fetchone()
    if over is not None:
        raise NetworkError(f"the curriculum would leave {_event(over).label} with {total:g} hours, but "
                           f"{over['person'] or 'a participant'} is recorded with {over['attended']:g} hours "
                           "attended; change those hours first")


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    title: str
    starts_on: str
    ends_on: str
    place: str | None
    body_id: int | None
    course_id: int | None
    hours: float | None  # as recorded; a course run without them takes its curriculum's
    agenda: str | None
    outcomes: str | None
    note: str | None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.starts_on})"

    @property
    def dates(self) -> str:
        return self.starts_on if self.ends_on == self.starts_on else f"{self.starts_on} – {self.ends_on}"


def _event(row: sqlite3.Row) -> Event:
    return Event(row["id"], row["kind"], row["title"], row["starts_on"], row["ends_on"], row["place"],
                 row["body_id"], row["course_id"], row["hours"], row["agenda"], row["outcomes"], row["note"])


def event_by_id(conn: sqlite3.Connection, event_id: int) -> Event:
    return _event(conn.execute("select * from network_events where id = ?", [event_id]).fetchone())


def resolve_event(conn: sqlite3.Connection, text: str) -> Event:
    """An event by its title, 'title (first day)' as listed, or a unique part of its title. A course
    run each year shares its title: give the first day in brackets (in any date form) to choose one."""
    events = [_event(row) for row in conn.execute("select * from network_events order by starts_on, title")]
    dated = re.fullmatch(r"(.*\S)\s*\(([^()]+)\)\s*", str(text or ""))
    if dated:
        from contextlib import suppress

        from nalcoop.dates import DateError, parse_date

        with suppress(DateError):  # otherwise the brackets are part of a title
            text = f"{dated[1]} ({parse_date(dated[2]).isoformat()})"
    return pick("event", text, events, lambda e: e.label, "nalcoop network list", lambda e: [name_key(e.title)],
                error=NetworkError, missing=NotFound)


def _check_dates(starts_on: str, ends_on: str | None) -> str:
    ends_on = ends_on or starts_on
    if ends_on < starts_on:
        raise NetworkError(f"the event ends on {ends_on}, before it starts on {starts_on}")
    return ends_on


def add_event(conn: sqlite3.Connection, kind: str, title: str, starts_on: str, *, ends_on: str | None = None,
              place: str | None = None, hosts: list[str] | None = None, cohosts: list[str] | None = None,
              body: Body | None = None, agenda: str | None = None, outcomes: str | None = None,
              note: str | None = None, hours: object = None, completion_pct: float | None = None) -> Event:
    """Record an event. Without hosts, NAL (국회도서관) hosts it. A course run belongs to the course of
    its title (made on its first run), whose curriculum every run shares."""
    EVENT_KINDS.check(kind, "event kind", NetworkError)
    title = trimmed(title) or ""
    if not name_key(title):
        raise NetworkError("an event needs a title, such as '2024 법률정보 학술대회'")
    ends_on = _check_dates(starts_on, ends_on)
    if body is not None and kind != "meeting":
        raise NetworkError(f"--body is for meetings of a body, not for a {kind}")
    run_hours = _hours(hours, "--hours")
    if kind != "course" and (run_hours is not None or completion_pct is not None):
        raise NetworkError("--hours and --threshold are for courses (`nalcoop network course add`)")
    clash = conn.execute("select * from network_events where title_key = ? and starts_on = ?",
                         [name_key(title), starts_on]).fetchone()
    if clash is not None:
        raise NetworkError(f"{_event(clash).label} is already recorded; change it with `nalcoop network event edit`")
    course_id = _course_for(conn, title, completion_pct).id if kind == "course" else None
    orgs = org_lookup(conn)
    host_orgs = [orgs.find(text) for text in hosts or []]
    if not host_orgs:
        home = home_org(conn)
        host_orgs = [home] if home else []
    cohost_orgs = [orgs.find(text) for text in cohosts or [] if trimmed(text)]
    _check_hosts(host_orgs, cohost_orgs)
    cursor = conn.execute(
        """insert into network_events (kind, title, title_key, starts_on, ends_on, place, body_id, course_id, hours,
           agenda, outcomes, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [kind, title, name_key(title), starts_on, ends_on, trimmed(place), body.id if body else None, course_id,
         run_hours, trimmed(agenda), trimmed(outcomes), trimmed(note)])
    for role, listed in (("host", host_orgs), ("cohost", cohost_orgs)):
        for org in listed:
            conn.execute("insert into network_event_hosts (event_id, org_id, role) values (?, ?, ?)",
                         [cursor.lastrowid, org.id, role])
    return event_by_id(conn, cursor.lastrowid)


def _check_hosts(hosts: list[Org], cohosts: list[Org]) -> None:
    seen: set[int] = set()
    for org in [*hosts, *cohosts]:
        if org.id in seen:
            raise NetworkError(f"{org.name} is named twice among the hosts and co-hosts")
        seen.add(org.id)


def edit_event(conn: sqlite3.Connection, event: Event, *, title: str | None = None, starts_on: str | None = None,
               ends_on: str | None = None, place: str | None = None, agenda: str | None = None,
               outcomes: str | None = None, note: str | None = None, hours: object = None,
               hosts: list[str] | None = None, cohosts: list[str] | None = None) -> Event:
    """Change the fields given (None leaves one as it is; '' clears an optional one). Hosts or co-hosts
    given replace the ones recorded."""
    values: dict[str, object] = {}
    if title is not None:
        if not name_key(title):
            raise NetworkError("an event's title cannot be empty")
        if event.kind == "course" and name_key(title) != name_key(event.title):
            raise NetworkError("a course run keeps its course's title; add a run of another course instead")
        values.update(title=title.strip(), title_key=name_key(title))
    new_start = starts_on or event.starts_on
    new_end = ends_on or (new_start if event.ends_on == event.starts_on else event.ends_on)
    if starts_on or ends_on:
        new_end = _check_dates(new_start, new_end)
        values.update(starts_on=new_start, ends_on=new_end)
        late = conn.execute("select count(*) from network_participants where event_id = ? and status = 'attended'",
                            [event.id]).fetchone()[0]
        if late and new_start > today().isoformat():
            raise NetworkError(f"{event.label} has {late} attendances recorded; it cannot move to {new_start}, "
                               "which has not come yet")
    if (title is not None or starts_on) and conn.execute(
            "select 1 from network_events where title_key = ? and starts_on = ? and id <> ?",
            [name_key(values.get("title", event.title)), new_start, event.id]).fetchone():
        raise NetworkError(f"{values.get('title', event.title)} ({new_start}) is already recorded")
    for field_name, value in (("place", place), ("agenda", agenda), ("outcomes", outcomes), ("note", note)):
        if value is not None:
            values[field_name] = trimmed(value)
    if hours is not None:
        if event.kind != "course":
            raise NetworkError("--hours is for course runs")
        values["hours"] = _hours(hours, "--hours") if str(hours).strip() else None
        changed_hours = Event(**{**event.__dict__, "hours": values["hours"]})
        _check_hours_fit(conn, changed_hours)  # before the write: the ledger's own guard would only say "refused"
    if values:
        assignments = ", ".join(f"{column} = ?" for column in values)  # names from this function only
        conn.execute(f"update network_events set {assignments} where id = ?", [*values.values(), event.id])
    if hosts is not None or cohosts is not None:
        orgs = org_lookup(conn)
        current: dict[str, list[int]] = {}
        for row in conn.execute("select role, org_id from network_event_hosts where event_id = ?", [event.id]):
            current.setdefault(row["role"], []).append(row["org_id"])
        # --cohost '' (or --host '') clears them.
        host_orgs = ([orgs.find(text) for text in hosts if trimmed(text)] if hosts is not None
                     else [org_by_id(conn, org_id) for org_id in current.get("host", [])])
        cohost_orgs = ([orgs.find(text) for text in cohosts if trimmed(text)] if cohosts is not None
                       else [org_by_id(conn, org_id) for org_id in current.get("cohost", [])])
        _check_hosts(host_orgs, cohost_orgs)
        conn.execute("delete from network_event_hosts where event_id = ?", [event.id])
        for role, listed in (("host", host_orgs), ("cohost", cohost_orgs)):
            for org in listed:
                conn.execute("insert into network_event_hosts (event_id, org_id, role) values (?, ?, ?)",
                             [event.id, org.id, role])
    return event_by_id(conn, event.id)



def run_hours(conn: sqlite3.Connection, event: Event) -> float | None:
    """A course run's hours: as recorded for the run, else its curriculum's total."""
    if event.kind != "course":
        return event.hours
    return event.hours if event.hours is not None else curriculum_hours(conn, event.course_id)


def _check_hours_fit(conn: sqlite3.Connection, event: Event, lead: str = "") -> None:
    total = run_hours(conn, event)
    if total is None:
        return
    over = conn.execute("select person, hours from network_participants where event_id = ? and hours > ? "
                        "order by hours desc limit 1", [event.id, total]).fetchone()
    if over is not None:
        raise NetworkError(f"{lead}{event.label} with {total:g} hours, but {over['person'] or 'a participant'} "
                           f"is recorded with {over['hours']:g} hours attended; change those hours first")


def hosts_of(conn: sqlite3.Connection, event_id: int) -> dict[str, list[str]]:
    hosts: dict[str, list[str]] = {"host": [], "cohost": []}
    for role, name in conn.execute("""select h.role, o.name from network_event_hosts h
                                      join network_orgs o on o.id = h.org_id where h.event_id = ? order by h.id""",
                                   [event_id]):
        hosts[role].append(name)
    return hosts


def event_rows(conn: sqlite3.Connection, *, kind: str | None = None, date_from: str | None = None,
               date_to: str | None = None, body: Body | None = None, org: Org | None = None) -> list[dict]:
    """Events by first day, newest last, with hosts and attendance (attended participants only)."""
    where, params = ["1 = 1"], []
    if kind:
        where.append("e.kind = ?")
        params.append(EVENT_KINDS.check(kind, "event kind", NetworkError))
    if date_from:
        where.append("e.starts_on >= ?")
        params.append(date_from)
    if date_to:
        where.append("e.starts_on <= ?")
        params.append(date_to)
    if body is not None:
        where.append("e.body_id = ?")
        params.append(body.id)
    if org is not None:
        where.append("(exists (select 1 from network_participants p where p.event_id = e.id and p.org_id = ? "
                     "and p.status = 'attended') "
                     "or exists (select 1 from network_event_hosts h where h.event_id = e.id and h.org_id = ?))")
        params += [org.id, org.id]
    rows = []
    codes = dict(conn.execute("select id, code from network_bodies"))
    for row in conn.execute(f"select e.* from network_events e where {' and '.join(where)} "  # clauses above
                            "order by e.starts_on, e.title", params).fetchall():
        event = _event(row)
        hosts = hosts_of(conn, event.id)
        attended, people, orgs = conn.execute(
            """select count(*), count(distinct case when person_key <> '' then org_id || ':' || person_key end),
                      count(distinct org_id)
               from network_participants where event_id = ? and status = 'attended'""", [event.id]).fetchone()
        registered = conn.execute("select count(*) from network_participants where event_id = ?",
                                  [event.id]).fetchone()[0]
        rows.append({"starts_on": event.starts_on, "ends_on": event.ends_on, "kind": event.kind,
                     "title": event.title, "body": codes.get(event.body_id), "place": event.place,
                     "host": ", ".join(hosts["host"]) or None, "cohosts": ", ".join(hosts["cohost"]) or None,
                     "hours": run_hours(conn, event), "registered": registered, "attended": attended,
                     "organizations": orgs, "agenda": event.agenda, "outcomes": event.outcomes})
    return rows


# ---------------------------------------------------------------- participants


@dataclass(frozen=True)
class Attendance:
    outcome: str  # created | changed | unchanged
    label: str


def attend(conn: sqlite3.Connection, event: Event, org: Org, *, person: str | None = None, role: str | None = None,
           status: str = "attended", hours: object = None, note: str | None = None) -> Attendance:
    """Record (or update) one participant of an event: an organization, and the person who came for it.

    Recording the same person again changes only what is given: a role recorded before stays unless a
    new one is given, and hours equal to the whole run stay 'the whole run' for a trainee marked so.
    """
    if role is not None and role not in PARTICIPANT_ROLES:
        raise FieldError("role", f"role '{role}' is not one of {', '.join(PARTICIPANT_ROLES)}")
    if status not in STATUSES:
        raise FieldError("status", f"status '{status}' is not one of {', '.join(STATUSES)}")
    person = trimmed(person)
    if person is not None and not name_key(person):
        raise FieldError("person", f"'{person}' is not a person's name")
    try:
        attended_hours = None if hours is None or hours == "" else hours_value(hours, zero=True)
    except ValueError as exc:
        raise FieldError("hours", str(exc)) from None
    if attended_hours is not None:
        if event.kind != "course":
            raise FieldError("hours", f"hours attended are recorded for course runs; {event.label} is a "
                             f"{event.kind}")
        total = run_hours(conn, event)
        if total is not None and attended_hours > total:
            raise FieldError("hours", f"{attended_hours:g} hours is more than {event.label} runs ({total:g} hours)")
        if status != "attended" and attended_hours > 0:
            raise FieldError("hours", f"a participant who is {status} has no hours attended")
    if status == "attended" and event.starts_on > today().isoformat():
        raise FieldError("status", f"{event.label} has not begun yet; record people as registered (신청) until it "
                         "has")
    key = name_key(person) if person else ""
    who = f"{person} ({org.name})" if person else org.name
    existing = conn.execute("select * from network_participants where event_id = ? and org_id = ? and person_key = ?",
                            [event.id, org.id, key]).fetchone()
    if existing is None:
        role = role or ("trainee" if event.kind == "course" else "participant")
        conn.execute("insert into network_participants (event_id, org_id, person, person_key, role, status, hours, "
                     "note) values (?, ?, ?, ?, ?, ?, ?, ?)",
                     [event.id, org.id, person, key, role, status, attended_hours, trimmed(note)])
        return Attendance("created", who)
    if existing["hours"] is None and existing["status"] == "attended" and attended_hours is not None \
            and attended_hours == run_hours(conn, event):
        attended_hours = None  # the whole run, as listed by `event show`: still the whole run
    wanted = {"person": person, "role": role, "status": status, "hours": attended_hours, "note": trimmed(note)}
    changed = {column: value for column, value in wanted.items()
               if value is not None and existing[column] != value}
    if status != "attended" and existing["hours"]:
        changed["hours"] = None  # hours belong to attendance
    if not changed:
        return Attendance("unchanged", who)
    assignments = ", ".join(f"{column} = ?" for column in changed)  # names from `wanted`
    conn.execute(f"update network_participants set {assignments} where id = ?", [*changed.values(), existing["id"]])
    return Attendance("changed", who)


def import_participants(conn: sqlite3.Connection, event: Event, path: str | Path | ReadResult, *,
                        sheet: str | None = None,
                        column_map: str | Path = "network_participants") -> importer.ImportCounts:
    """Participants of one event from a list: each row an organization and (usually) a person. Known
    participants (same organization and person) are updated, so a list can be imported again with
    attendance filled in. An unknown organization is refused with the closest names. All rows or none."""
    from nalcoop.importer import ImportCounts, RowsRejected, as_table
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    orgs = org_lookup(conn)
    seen: dict[tuple[int, str], int] = {}
    for source in track(table.rows, f"importing {table.file}"):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            org = orgs.find(values["org"])
        except NetworkError as exc:
            problems.append(source.problem(table.file, "org", str(exc)))
            continue
        pair = (org.id, name_key(values.get("person")))
        if pair in seen:
            problems.append(source.problem(table.file, "person", f"repeats row {seen[pair]} (same person and "
                                           "organization); keep one of the two rows"))
            continue
        seen[pair] = source.row
        try:
            done = attend(conn, event, org, person=values.get("person"), role=values.get("role"),
                          status=values.get("status") or "attended", hours=values.get("hours"),
                          note=values.get("note"))
        except FieldError as exc:
            problems.append(source.problem(table.file, exc.field, str(exc)))
            continue
        counts.outcomes[done.outcome] += 1
        if done.outcome != "unchanged":
            counts.details.append(f"row {source.row}: {done.label} — {done.outcome}")
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


def required_hours(total: float | None, completion_pct: float) -> float | None:
    return None if total is None else round(total * completion_pct / 100, 2)


def _completion(conn: sqlite3.Connection, event: Event) -> tuple[float | None, float | None]:
    """(the run's hours, the hours a trainee needs to complete it) of a course run."""
    total = run_hours(conn, event)
    pct = conn.execute("select completion_pct from network_courses where id = ?", [event.course_id]).fetchone()[0]
    return total, required_hours(total, pct)


def _hours_attended(status: str, hours: float | None, total: float | None) -> float | None:
    """A trainee marked attended without hours was there for the whole run."""
    return (total if hours is None else hours) if status == "attended" else hours


def _completed(status: str, hours: float | None, total: float | None, needed: float | None) -> bool | None:
    """Whether a trainee completed a run; None when the run's hours are not known."""
    if needed is None:
        return None
    attended_hours = _hours_attended(status, hours, total)
    return status == "attended" and attended_hours is not None and attended_hours >= needed


def participant_rows(conn: sqlite3.Connection, event: Event) -> list[dict]:
    """Everyone recorded for an event; for a course run, each trainee's hours against the threshold."""
    total, needed = _completion(conn, event) if event.kind == "course" else (None, None)
    rows = []
    for row in conn.execute(
            """select p.*, o.name as org, o.type as org_type from network_participants p
               join network_orgs o on o.id = p.org_id where p.event_id = ?
               order by case p.role when 'host' then 0 when 'instructor' then 1 when 'speaker' then 2
                        when 'panelist' then 3 when 'participant' then 4 else 5 end, o.name, p.person""",
            [event.id]):
        trainee = event.kind == "course" and row["role"] == "trainee"
        completed = _completed(row["status"], row["hours"], total, needed) if trainee else None
        rows.append({"org": row["org"], "type": row["org_type"], "person": row["person"], "role": row["role"],
                     "status": row["status"],
                     "hours": _hours_attended(row["status"], row["hours"], total) if trainee else row["hours"],
                     "required": needed if trainee else None,
                     "completed": None if not trainee else "—" if completed is None else "yes" if completed else "no",
                     "note": row["note"]})
    return rows


def completions(conn: sqlite3.Connection, event: Event) -> tuple[int | None, int]:
    """(trainees who completed, or None while the run's hours are unknown; trainees who did not cancel)."""
    rows = [row for row in participant_rows(conn, event) if row["completed"] is not None
            and row["status"] != "cancelled"]
    if any(row["completed"] == "—" for row in rows):
        return None, len(rows)
    return sum(1 for row in rows if row["completed"] == "yes"), len(rows)


def course_rows(conn: sqlite3.Connection) -> list[dict]:
    """Every run of every course, oldest first, with its hours, trainees and completions."""
    modules = dict(conn.execute("select course_id, count(*) from network_modules group by course_id"))
    rows = []
    for row in conn.execute("""select e.*, c.completion_pct from network_events e
                               join network_courses c on c.id = e.course_id order by c.title, e.starts_on"""):
        event = _event(row)
        done, trainees = completions(conn, event)
        rows.append({"course": event.title, "from": event.starts_on, "to": event.ends_on,
                     "hours": run_hours(conn, event), "recorded_hours": event.hours,
                     "threshold": row["completion_pct"], "modules": modules.get(event.course_id, 0),
                     "trainees": trainees, "completed": done})
    return rows


# ---------------------------------------------------------------- statistics


HAPPENED = Statistic(
    "network",
    (Column("by"), Column("group"), Column("events", kind="int"), Column("attended", kind="int"),
     Column("people", "people reached", kind="int"), Column("organizations", "orgs reached", kind="int"),
     Column("first_time", "first-time orgs", kind="int"), Column("course_hours", "training hours", kind="float"),
     Column("trainee_hours", "trainee hours", kind="float"), Column("completed", kind="int"),
     Column("from", kind="date"), Column("to", kind="date")),
    STATS_DIMENSIONS, measure="attended", noun="network events", title="legal-information network {span}, by {by}",
    meaning="what happened")
MEMBERS = Statistic(
    "members",
    (Column("body"), Column("by"), Column("group"), Column("members", kind="int"),
     Column("as_of", "as of", kind="date")),
    MEMBER_DIMENSIONS, measure="members", noun="members", title="members at the end of {day}, by {by}", day=True,
    meaning="members on a day")
STATISTICS = (HAPPENED, MEMBERS)


def _check_by(by: str, allowed: tuple[str, ...]) -> None:
    check_by(MEMBERS if allowed == MEMBER_DIMENSIONS else HAPPENED, by, NetworkError)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """What the network did in the span, or, for a day, the members of each body at its end (no total:
    the bodies are counted apart)."""
    if span.day:
        return Breakdown(MEMBERS, by, None, stats_members(conn, by, span.end))
    return Breakdown.of_rows(HAPPENED, by, stats_period(conn, by, span.start, span.end))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """Members of each body at the end of the period; events, attendances, organizations reached and
    completions in it (the overview's figures)."""
    rows = [("members", row["body"], row["members"], True)
            for row in figures(stats, "body", Span.as_of(period.end)).groups]
    happened = figures(stats, "kind", Span(period.start, period.end)).total
    return rows + [(measure, "all", happened[key], False) for measure, key in (
        ("events", "events"), ("attendances", "attended"), ("organizations reached", "organizations"),
        ("completions", "completed"))]


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheet: the events that began in the period by kind, and by type of
    organization reached."""
    start, end, year = period.start, period.end, period.start[:4]
    span = Span(start, end)
    events = figures(stats, "kind", span).rows() + figures(stats, "type", span).groups
    return [SheetSpec("Network", f"Cooperative network on legal information, {year} (법률정보 협력망)",
                      f"Events that began {start} – {end}, by kind and by type of organization reached", events,
                      list(HAPPENED.columns),
                      ChartSpec(f"Attendances per kind of event, {year}", ("by", "kind"), "group", "attended"),
                      landscape=True)]


def stats_period(conn: sqlite3.Connection, by: str, date_from: str, date_to: str) -> list[dict]:
    """What the network did between two days (both inclusive; an event counts by its first day):
    events; attendances (everyone marked attended); people and organizations reached (attended, from
    organizations other than the event's own hosts and co-hosts); organizations reached for the first
    time ever, each counted once, under the group of that first event; training hours delivered (the
    hours of the course runs); trainee hours and completions."""
    _check_by(by, STATS_DIMENSIONS)
    events = [_event(row) for row in conn.execute(
        "select * from network_events where starts_on between ? and ? order by starts_on", [date_from, date_to])]
    hosts: dict[int, set[int]] = {}
    for event_id, org_id in conn.execute("select event_id, org_id from network_event_hosts"):
        hosts.setdefault(event_id, set()).add(org_id)
    first_reached: dict[int, tuple[str, str]] = {}  # org -> (first day, kind) of the first event it was reached by
    for org_id, starts_on, kind in conn.execute(
            """select p.org_id, e.starts_on, e.kind from network_participants p
               join network_events e on e.id = p.event_id
               where p.status = 'attended' and not exists (select 1 from network_event_hosts h
                                                           where h.event_id = e.id and h.org_id = p.org_id)
               order by e.starts_on, e.id"""):
        first_reached.setdefault(org_id, (starts_on, kind))
    orgs = {org.id: org for org in all_orgs(conn)}
    groups: dict[str, dict] = {}

    def group(label: str) -> dict:
        return groups.setdefault(label, {"group": label, "events": set(), "attended": 0, "people": set(),
                                         "organizations": set(), "course_hours": 0.0, "trainee_hours": 0.0,
                                         "completed": 0})

    def labels_of(event: Event, org: Org | None) -> set[str]:
        labels = {"total"}
        if by == "kind":
            labels.add(event.kind)
        elif by in ("year", "month"):
            labels.add(period_key(event.starts_on, by))
        elif org is not None:
            labels.add(org.type if by == "type" else org.name)
        return labels

    group("total")
    for event in events:
        hours = run_hours(conn, event) if event.kind == "course" else None
        for label in labels_of(event, None):
            group(label)["events"].add(event.id)
            group(label)["course_hours"] += hours or 0
        needed = _completion(conn, event)[1] if event.kind == "course" else None
        for participant in conn.execute("select * from network_participants where event_id = ? "
                                        "and status = 'attended'", [event.id]).fetchall():
            org = orgs[participant["org_id"]]
            reached = org.id not in hosts.get(event.id, set())
            for label in labels_of(event, org):
                item = group(label)
                item["events"].add(event.id)
                item["attended"] += 1
                if reached:
                    item["organizations"].add(org.id)
                    if participant["person_key"]:
                        item["people"].add((org.id, participant["person_key"]))
                if event.kind == "course" and participant["role"] == "trainee":
                    item["trainee_hours"] += _hours_attended("attended", participant["hours"], hours) or 0
                    item["completed"] += bool(_completed("attended", participant["hours"], hours, needed))
    first_time: dict[str, int] = {}
    for org_id, (starts_on, kind) in first_reached.items():
        if date_from <= starts_on <= date_to:
            org = orgs[org_id]
            for label in {"total", {"kind": kind, "year": starts_on[:4], "month": starts_on[:7], "type": org.type,
                                    "org": org.name}[by]}:
                first_time[label] = first_time.get(label, 0) + 1
    result = []
    for label in ["total", *sorted(key for key in groups if key != "total")]:
        item = groups[label]
        start, end = date_from, date_to
        if by in ("year", "month") and label != "total":  # the group's own days, within the period
            first, last = month_span(label)
            start, end = max(date_from, first), min(date_to, last)
        per_event = label == "total" or by in ("kind", "year", "month")  # training hours belong to runs, not to guests
        result.append({"by": "total" if label == "total" else by, "group": label, "events": len(item["events"]),
                       "attended": item["attended"], "people": len(item["people"]),
                       "organizations": len(item["organizations"]), "first_time": first_time.get(label, 0),
                       "course_hours": round(item["course_hours"], 2) if per_event else None,
                       "trainee_hours": round(item["trainee_hours"], 2), "completed": item["completed"],
                       "from": start, "to": end})
    return result


def stats_members(conn: sqlite3.Connection, by: str, as_of: str) -> list[dict]:
    """Members of each body at the end of `as_of`, split by role or by organization type."""
    _check_by(by, MEMBER_DIMENSIONS)
    rows = conn.execute(
        """select b.code, b.name, m.role, o.type, count(*) as members from network_memberships m
           join network_bodies b on b.id = m.body_id join network_orgs o on o.id = m.org_id
           where m.joined_on <= ?1 and (m.left_on is null or m.left_on > ?1)
           group by b.code, m.role, o.type""", [as_of]).fetchall()
    groups: dict[tuple, int] = {}
    for row in rows:
        label = row["role"] if by == "role" else row["type"] if by == "type" else ""
        groups[(row["code"], label)] = groups.get((row["code"], label), 0) + row["members"]
    result = [{"body": code, "by": by, "group": label or code, "members": members, "as_of": as_of}
              for (code, label), members in sorted(groups.items())]
    for code in [row[0] for row in conn.execute("select code from network_bodies order by code")]:
        if by == "body" and not any(row["body"] == code for row in result):
            result.append({"body": code, "by": by, "group": code, "members": 0, "as_of": as_of})
    return sorted(result, key=lambda row: (row["body"], row["group"]))


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
            added.append(f"{entry['name']} ({entry['code']}, {len(entry.get('members') or [])} founding members)")
        conn.execute("insert into network_shipped (key, loaded_on) values (?, ?)", [key, loaded_on])
    return added


# ---------------------------------------------------------------- invariants (for `nalcoop check`)


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """One sentence per violated rule of the network records; an empty list when all hold."""
    problems: list[str] = []
    for body, org, first, second in conn.execute(
        """select a.body_id, a.org_id, a.id, b.id from network_memberships a
           join network_memberships b on a.body_id = b.body_id and a.org_id = b.org_id and a.id < b.id
           where a.joined_on < coalesce(b.left_on, '9999-12-31') and b.joined_on < coalesce(a.left_on, '9999-12-31')"""
    ):
        problems.append(f"memberships {first} and {second} (organization {org} in body {body}) overlap")
    for membership, joined_on, left_on in conn.execute(
            "select id, joined_on, left_on from network_memberships where left_on <= joined_on"):
        problems.append(f"membership {membership} ends on {left_on}, not after it began on {joined_on}")
    for event, starts_on, ends_on in conn.execute(
            "select id, starts_on, ends_on from network_events where ends_on < starts_on"):
        problems.append(f"event {event} ends on {ends_on}, before it starts on {starts_on}")
    for participant, event, hours, total in conn.execute(
        """select p.id, e.id, p.hours, coalesce(e.hours, (select sum(m.hours) from network_modules m
                                                        where m.course_id = e.course_id))
           from network_participants p join network_events e on e.id = p.event_id
           where p.hours is not null and p.hours > coalesce(e.hours, (select sum(m.hours) from network_modules m
                                                                     where m.course_id = e.course_id), 1e9)"""
    ):
        problems.append(f"participant {participant} of event {event} attended {hours:g} hours, more than the run's "
                        f"{total:g}")
    for participant, event in conn.execute(
            """select p.id, e.id from network_participants p join network_events e on e.id = p.event_id
               where p.hours is not null and e.kind <> 'course'"""):
        problems.append(f"participant {participant} of event {event} has hours, but the event is not a course run")
    for org_id, in conn.execute(
            "select id from network_orgs o where parent_id is not null and not exists "
            "(select 1 from network_orgs p where p.id = o.parent_id)"):
        problems.append(f"organization {org_id} names a parent that does not exist")
    parents = {}
    for org_id, key, name, name_en, en_key, parent_id in conn.execute(
            "select id, name_key, name, name_en, name_en_key, parent_id from network_orgs"):
        if key != name_key(name) or (en_key or None) != (name_key(name_en) or None):
            problems.append(f"organization {org_id} ({name}) is filed under another name")
        parents[org_id] = parent_id
    for org_id in parents:
        seen, current = {org_id}, parents[org_id]
        while current is not None and current in parents:
            if current in seen:
                problems.append(f"organization {org_id} sits inside itself (its parents form a loop)")
                break
            seen.add(current)
            current = parents[current]
    return problems

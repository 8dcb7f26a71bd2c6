"""The network's records: its closed lists, its errors, the reading of hours, and the records (NamedTuples) of
organizations, bodies, memberships, courses, events and attendances (with the row readers the other
modules share)."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from nalcoop import errors
from nalcoop.errors import NalcoopError
from nalcoop.vocabulary import Term, Vocabulary

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


# ---------------------------------------------------------------- records


class Org(NamedTuple):
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


class Body(NamedTuple):
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


class Membership(NamedTuple):
    id: int
    body: Body
    org: Org
    role: str
    joined_on: str
    left_on: str | None

    @property
    def period(self) -> str:
        from nalcoop.i18n import _

        if self.left_on:
            return _("from {joined} until it left on {left}").format(joined=self.joined_on, left=self.left_on)
        return _("since {joined}").format(joined=self.joined_on)


class Course(NamedTuple):
    id: int
    title: str
    completion_pct: float

    @property
    def label(self) -> str:
        return self.title


def _course(row: sqlite3.Row) -> Course:
    return Course(row["id"], row["title"], row["completion_pct"])


class Event(NamedTuple):
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


class Attendance(NamedTuple):
    outcome: str  # created | changed | unchanged
    label: str

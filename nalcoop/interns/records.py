"""The apprenticeship's records: its vocabularies and limits, its errors, the masking and checking of personal
data (a student's name, e-mail and telephone), and what a cohort, an application and a certificate are.
"""

from __future__ import annotations

import re
import sqlite3
from typing import NamedTuple

from nalcoop import errors
from nalcoop.errors import NalcoopError
from nalcoop.i18n import _
from nalcoop.names import trimmed
from nalcoop.vocabulary import Term, Vocabulary

STATUSES = Vocabulary("application status", [
    Term("applied", "지원", "applied"),
    Term("accepted", "선발", "accepted"),
    Term("rejected", "미선발", "rejected"),
    Term("withdrawn", "지원 철회", "withdrawn"),
    Term("placed", "배치", "placed"),
    Term("completed", "수료", "completed"),
    Term("dropped", "중도 포기", "dropped"),
])
STEP_NAMES = Vocabulary("application step", [
    Term("apply", "지원", "apply"),
    Term("accept", "선발", "accept"),
    Term("reject", "미선발", "reject"),
    Term("withdraw", "지원 철회", "withdraw"),
    Term("place", "배치", "place"),
    Term("complete", "수료", "complete"),
    Term("drop", "중도 포기", "drop"),
])
STEPS = dict(zip(STEP_NAMES, STATUSES, strict=True))  # step -> the status it leads to
# What a row of an application's timeline (`intern show`) records: its steps, and the other dated records.
TIMELINE_ENTRIES = Vocabulary("application record", [
    *STEP_NAMES.terms,
    Term("placement", "부서 배치", "placement"),
    Term("hours", "실습 시간", "hours"),
    Term("evaluation", "평가", "evaluation"),
])
# The statuses a step may follow: applied → accepted/rejected/withdrawn → placed → completed/dropped.
ALLOWED_FROM = {"accept": ("applied",), "reject": ("applied",), "withdraw": ("applied", "accepted", "placed"),
                "place": ("accepted", "placed"), "complete": ("placed",), "drop": ("placed",)}
TAKES_A_SLOT = ("accepted", "placed", "completed", "dropped")
MAX_DAY_HOURS = 12.0
SCORES = (1, 2, 3, 4, 5)
STATS_DIMENSIONS = Vocabulary("intern statistics dimension", [
    Term("cohort", "기수", "cohort"), Term("year", "연도", "year"), Term("month", "월", "month"),
    Term("university", "대학", "university"), Term("department", "부서", "department"),
])
PERSONAL = {  # table -> the columns a purge empties (in the rows and in the journal)
    "intern_students": ("name", "name_key", "email", "phone"),
    "intern_applications": ("note",),
    "intern_steps": ("reason",),
    "intern_hours": ("note",),
    "intern_evaluations": ("comment",),
}
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")


class InternError(NalcoopError):
    pass


class FieldError(errors.FieldError, InternError):
    """A wrong value of one field, caught as a InternError too."""


# ---------------------------------------------------------------- masking


def mask_name(name: str | None) -> str | None:
    """김하늘 → 김*늘, 김하 → 김*, 남궁민수 → 남**수; each word of a name written with spaces likewise."""
    if name is None:
        return None

    def word(text: str) -> str:
        if len(text) <= 1:
            return text
        if len(text) == 2:
            return text[0] + "*"
        return text[0] + "*" * (len(text) - 2) + text[-1]

    if re.fullmatch(r"[\uac00-\ud7a3 ]+", name):  # 김 하늘 is 김하늘, spaced
        return word(name.replace(" ", ""))
    return " ".join(word(part) for part in name.split())


def mask_email(email: str | None) -> str | None:
    """hanul.kim@example.ac.kr → h***@…"""
    if not email:
        return email
    return email[0] + "***@…"


def mask_phone(phone: str | None) -> str | None:
    """010-1234-5678 → ***-****-5678"""
    if not phone:
        return phone
    return "***-****-" + re.sub(r"\D", "", phone)[-4:]


def check_email(value: object) -> str | None:
    text = trimmed(value)
    if text is None:
        return None
    if not _EMAIL.fullmatch(text) or len(text) > 254:
        raise FieldError("email", _("not a valid e-mail address (write it as name@example.ac.kr)"))
    return text


def check_phone(value: object) -> str | None:
    """A Korean telephone number written any common way, stored as 010-1234-5678 (or 02-123-4567)."""
    text = trimmed(value)
    if text is None:
        return None
    digits = re.sub(r"[\s\-.()]", "", text.removeprefix("+82").strip())
    if text.startswith("+82"):
        digits = "0" + digits.lstrip("0")
    elif re.fullmatch(r"[1-9]\d{8,9}", digits):
        digits = "0" + digits  # Excel kept the number and dropped its leading 0
    if not re.fullmatch(r"0\d{8,10}", digits):
        raise FieldError("phone", _("not a valid telephone number (write it as 010-1234-5678)"))
    if digits.startswith("02"):
        return f"02-{digits[2:-4]}-{digits[-4:]}"
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


# ---------------------------------------------------------------- cohorts and applications


class Cohort(NamedTuple):
    id: int
    name: str
    starts_on: str
    ends_on: str
    slots: int
    required_hours: float

    @property
    def label(self) -> str:
        return self.name


def _cohort(row: sqlite3.Row) -> Cohort:
    return Cohort(row["id"], row["name"], row["starts_on"], row["ends_on"], row["slots"], row["required_hours"])


class Application(NamedTuple):
    id: int
    cohort: Cohort
    student_id: int
    name: str | None  # None once purged
    email: str | None
    phone: str | None
    university: str
    major: str | None
    year: int | None
    status: str

    @property
    def masked(self) -> str:
        return mask_name(self.name) or _("(purged)")

    @property
    def label(self) -> str:
        """How an error or a confirmation names an application: masked, with what tells it apart."""
        return f"#{self.id} {self.masked} ({self.university}, {self.cohort.name}, {STATUSES.said(self.status)})"


_APPLICATION_SQL = """select a.*, s.name, s.email, s.phone, c.name as cohort_name, c.starts_on, c.ends_on, c.slots,
                             c.required_hours
                      from intern_applications a join intern_students s on s.id = a.student_id
                      join intern_cohorts c on c.id = a.cohort_id"""


def _application(row: sqlite3.Row) -> Application:
    cohort = Cohort(row["cohort_id"], row["cohort_name"], row["starts_on"], row["ends_on"], row["slots"],
                    row["required_hours"])
    return Application(row["id"], cohort, row["student_id"], row["name"], row["email"], row["phone"],
                       row["university"], row["major"], row["year"], row["status"])


# ---------------------------------------------------------------- certificates


class Certificate(NamedTuple):
    number: str
    name: str
    university: str
    major: str | None
    cohort: str
    starts_on: str
    ends_on: str
    completed_on: str
    hours: float
    departments: list[str]

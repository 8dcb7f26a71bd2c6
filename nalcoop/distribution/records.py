"""The distribution records: the closed lists, limits and errors, and the shapes of a publication, an
issue and a recipient."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from nalcoop import countries
from nalcoop.errors import NalcoopError
from nalcoop.i18n import _
from nalcoop.names import name_key, pick, trimmed
from nalcoop.vocabulary import Term, Vocabulary

FREQUENCIES = Vocabulary("frequency", [
    Term("weekly", "주간", "weekly"),
    Term("monthly", "월간", "monthly"),
    Term("bimonthly", "격월간", "bimonthly"),
    Term("quarterly", "계간", "quarterly"),
    Term("semiannual", "반년간", "semiannual"),
    Term("annual", "연간", "annual"),
    Term("irregular", "부정기", "irregular"),
    Term("once", "단행", "once", "a single publication"),
])
RECIPIENT_TYPES = Vocabulary("recipient type", [
    Term("national-library", "국립도서관", "national library"),
    Term("parliamentary-library", "의회도서관", "parliamentary library"),
    Term("university", "대학", "university"),
    Term("public-library", "공공도서관", "public library"),
    Term("research-institute", "연구기관", "research institute"),
    Term("government", "정부기관", "government"),
    Term("international-organization", "국제기구", "international organization"),
    Term("other", "기타", "other"),
])
RECIPIENT_STATES = Vocabulary("recipient state", [  # a listing's word on the day asked, never stored
    Term("active", "발송 중", "active"),
    Term("not yet active", "발송 전", "not yet active"),
    Term("inactive", "발송 중지", "inactive"),
])
RETURN_REASONS = Vocabulary("return reason", [
    Term("undeliverable", "배달 불가", "undeliverable", aliases=("수취인 불명",)),
    Term("refused", "수취 거부", "refused"),
    Term("damaged", "파손", "damaged"),
    Term("surplus", "잉여", "surplus", "more than the recipient needs"),
    Term("other", "기타", "other"),
])
STATS_DIMENSIONS = Vocabulary("distribution statistics dimension", [
    Term("year", "연도", "year"), Term("month", "월", "month"), Term("country", "국가", "country"),
    Term("type", "유형", "type"), Term("publication", "발간자료", "publication"),
    Term("recipient", "수령처", "recipient"), Term("province", "시·도", "province"),
    Term("domestic", "국내외", "domestic or abroad"),
])
REVIEW_AFTER = 3  # undeliverable returns in a row that put an address under review
MAX_COPIES = 10_000  # of one issue to one recipient: more is a typing mistake
MAX_PAGES = 100_000
MAX_PRINTED = 10_000_000


class DistributionError(NalcoopError):
    pass


class NotFound(DistributionError):
    pass


_key = name_key
_trimmed = trimmed


def _pick(kind: str, text: str, candidates: list, label, listing: str, keys, plural: str) -> object:
    return pick(kind, text, candidates, label, listing, keys, error=DistributionError, missing=NotFound,
                plural=plural)


class Publication(NamedTuple):
    id: int
    title: str
    title_en: str | None
    series: str | None
    issn: str | None
    isbn: str | None
    frequency: str
    publisher_unit: str | None

    @property
    def label(self) -> str:
        return self.title


def _publication(row: sqlite3.Row) -> Publication:
    return Publication(row["id"], row["title"], row["title_en"], row["series"], row["issn"], row["isbn"],
                       row["frequency"], row["publisher_unit"])


def _within(number: int | None, low: int, high: int, what: str) -> None:
    if number is not None and not low <= number <= high:
        raise DistributionError(_("{what}: {number} is not between {low:,} and {high:,}").format(
            what=what, number=number, low=low, high=high))


class Issue(NamedTuple):
    id: int
    publication: Publication
    issue: str
    issued_on: str
    pages: int | None
    copies_printed: int | None

    @property
    def label(self) -> str:
        return f"『{self.publication.title}』 {self.issue}"


class Recipient(NamedTuple):
    id: int
    name: str
    country: str
    type: str
    council_id: int | None
    region: str | None  # a domestic recipient's local government, as it is called now
    province: str | None
    address: str | None
    postcode: str | None
    contact: str | None
    active_from: str | None  # None: no known first day
    inactive_from: str | None
    inactive_reason: str | None
    address_checked_on: str | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def domestic(self) -> bool:
        return self.country == countries.HOME

    def active_on(self, day: str) -> bool:
        return (self.active_from or "") <= day and (self.inactive_from is None or day < self.inactive_from)

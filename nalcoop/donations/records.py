"""Book donations' records: the closed lists (vocabularies), the errors, a recipient library and a book.

Everything else in the package builds on these; this module imports nothing of it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from nalcoop.errors import NalcoopError
from nalcoop.i18n import _
from nalcoop.names import name_key, nfc
from nalcoop.vocabulary import Term, Vocabulary

LIBRARY_TYPES = Vocabulary("library type", [
    Term("small", "작은도서관", "small library"),
    Term("school", "학교도서관", "school library"),
    Term("public", "공공도서관", "public library"),
    Term("military", "병영도서관", "military library"),
    Term("prison", "교정시설도서관", "prison library"),
    Term("other", "기타", "other"),
])
REASONS = Vocabulary("donation reason", [  # why a book was set aside for donation
    Term("duplicate", "중복", "duplicate", aliases=("복본",)),
    Term("non-registered", "등록제외", "non-registered", aliases=("등록제외자료",)),
    Term("purchased", "구입", "purchased"),
    Term("other", "기타", "other"),
])
STATUSES = Vocabulary("batch status", [
    Term("planned", "계획", "planned"),
    Term("packed", "포장", "packed"),
    Term("shipped", "발송", "shipped"),
    Term("received", "수령", "received"),
    Term("cancelled", "취소", "cancelled"),
])
STEPS = Vocabulary("batch step", [
    Term("plan", "계획", "plan"),
    Term("pack", "포장", "pack"),
    Term("ship", "발송", "ship"),
    Term("receive", "수령", "receive"),
    Term("cancel", "취소", "cancel"),
])
RECEIPT_SOURCES = Vocabulary("stock receipt source", [
    Term("add", "직접 입력", "added", "one by one"),
    Term("import", "파일 가져오기", "imported", "from a file"),
])
STOCK_MOVES = Vocabulary("stock move", [
    Term("draw", "출고", "drawn", "into a batch"),
    Term("return", "반환", "returned", "to stock"),
])
STATUS_AFTER = {"plan": "planned", "pack": "packed", "ship": "shipped", "receive": "received", "cancel": "cancelled"}
# The step each status allows next; cancelling is possible until the books leave the building.
NEXT_STEPS = {
    None: ("plan",),
    "planned": ("pack", "cancel"),
    "packed": ("ship", "cancel"),
    "shipped": ("receive",),
    "received": (),
    "cancelled": (),
}
STEP_WORDS = {"plan": "opened", "pack": "packed", "ship": "shipped", "receive": "received", "cancel": "cancelled"}
DEFAULT_TARGET = 500  # books per site, a warning above it (NALCOOP_DONATION_TARGET or --target)
STATS_DIMENSIONS = Vocabulary("donation statistics dimension", [
    Term("year", "연도", "year"), Term("month", "월", "month"), Term("province", "시·도", "province"),
    Term("region", "지역", "region"), Term("type", "유형", "type"), Term("reason", "사유", "reason"),
    Term("library", "도서관", "library"),
])


class DonationError(NalcoopError):
    pass


class LibraryNotFound(DonationError):
    pass


class AmbiguousLibrary(DonationError):
    pass


class StockShortage(DonationError):
    """Not enough copies in stock for a draw; the message gives both quantities."""


class Library(NamedTuple):
    id: int
    name: str
    type: str
    council_id: int
    region: str  # the local government as it is called now: 전라남도 신안군
    province: str
    address: str | None
    contact: str | None
    recommended_by: str | None
    eligible: bool
    eligibility_note: str | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.region})"




# ---------------------------------------------------------------- items


class Item(NamedTuple):
    """A book by ISBN-13 (or by title when it has none), with a reason, a condition and a quantity."""

    isbn: str | None
    title: str | None
    reason: str | None
    condition: str | None
    qty: int
    author: str | None = None
    publisher: str | None = None

    @property
    def key(self) -> str:
        return item_key(self.isbn, self.title)

    @property
    def label(self) -> str:
        if self.isbn and self.title:
            return f"{self.isbn} '{self.title}'"
        return self.isbn or f"'{self.title}'"


# How a title keyed a book without an ISBN since schema 2: spacing and punctuation ignored, lower case.
_STORED_TITLE = re.compile(r"[\s\-_.,·()'\"\[\]]+")


def item_key(isbn: str | None, title: str | None) -> str:
    """Books are the same when their ISBN-13 is; books without one, when their title is.

    The title is keyed as it always was, not by names.name_key (which also drops 『』 and casefolds): the key is
    stored in stock receipts, which never change (their fingerprint hashes it), so a book in stock is found
    only by the key it was received under. Titles are still searched with names.name_key (stock_rows)."""
    return isbn if isbn else "title:" + _STORED_TITLE.sub("", nfc(title or "")).lower()


def make_item(isbn: object, title: object, qty: object, reason: str | None = None,
              condition: str | None = None, *, author: str | None = None, publisher: str | None = None) -> Item:
    """Validate what a librarian typed into an Item, or raise DonationError saying why."""
    from nalcoop.identifiers import IdentifierError, normalize_isbn
    from nalcoop.importer import COPY_COUNTERS, whole_number

    number = None
    if isbn not in (None, ""):
        try:
            number = normalize_isbn(isbn)
        except IdentifierError as exc:
            raise DonationError(str(exc)) from None
    text = str(title).strip() if title not in (None, "") else None
    if number is None and not (text and name_key(text)):
        raise DonationError(_("a book needs an ISBN or, when it has none, a title"))
    try:
        count = whole_number(qty, 1, COPY_COUNTERS, _("quantity of books"))
    except ValueError as exc:
        raise DonationError(_("quantity: {problem}").format(problem=exc)) from None
    if reason is not None and reason not in REASONS:
        raise DonationError(_("reason '{reason}' is not one of {choices}").format(reason=reason,
                                                                                  choices=", ".join(REASONS)))
    return Item(number, text, reason, (condition or "").strip() or None, count, (author or "").strip() or None,
                (publisher or "").strip() or None)

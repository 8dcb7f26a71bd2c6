"""Book identifiers: ISBN-10 or ISBN-13 in, validated by python-stdnum, ISBN-13 out.

A wrong check digit is reported with the digit the number should end in, so that a
librarian can tell a typo in the last digit from a wrong number.
"""

from __future__ import annotations

from nalcoop.errors import NalcoopError


class IdentifierError(NalcoopError, ValueError):
    """Not a valid ISBN; the message says why (and the check digit expected)."""


def _ean13_check(body: str) -> str:
    """The EAN-13 check digit of 12 digits: the weights 1, 3, 1, 3 ... stdnum's ean uses too."""
    total = sum(map(int, body[0::2])) + 3 * sum(map(int, body[1::2]))
    return str((10 - total % 10) % 10)


def normalize_isbn(value: object) -> str:
    """ISBN-13 digits for an ISBN-10 or ISBN-13 written with or without hyphens or spaces.

    The everyday form (13 plain digits, 978/979) is checked with the EAN-13 arithmetic inline:
    stdnum's general path costs about 27 µs a number (2.7 s for a 100,000-line list), and a
    test proves the two agree. Every other form, and every error, goes through stdnum.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a workbook cell holding the ISBN as a number
    text = str(value).strip()
    canonical = len(text) == 13 and text.isascii() and text.isdigit() and text[:3] in ("978", "979")
    if canonical and _ean13_check(text[:12]) == text[12]:
        return text
    return _normalize_with_stdnum(text)


def _normalize_with_stdnum(text: str) -> str:
    from stdnum import isbn
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

    shown = f"'{text}'"
    compact = text.upper().removeprefix("ISBN").strip(" :")
    try:
        return isbn.validate(compact, convert=True)
    except InvalidChecksum:
        digits = isbn.compact(compact)
        expected = next((d for d in "0123456789X" if isbn.is_valid(digits[:-1] + d)), "?")
        raise IdentifierError(
            f"{shown} is not a valid ISBN: the check digit should be {expected}, not {digits[-1]}; "
            "check the number"
        ) from None
    except InvalidComponent:
        raise IdentifierError(f"{shown} is not a valid ISBN: an ISBN-13 begins with 978 or 979") from None
    except ValidationError:
        raise IdentifierError(
            f"{shown} is not an ISBN: give 10 or 13 digits (hyphens and spaces allowed), "
            "such as 978-89-374-6044-9"
        ) from None

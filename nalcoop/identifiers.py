"""Identifiers: ISBN-10 or ISBN-13 in, validated by python-stdnum, ISBN-13 out; ISSN as NNNN-NNNC.

A wrong check digit is reported with the digit the number should end in, so that a
librarian can tell a typo in the last digit from a wrong number.
"""

from __future__ import annotations

from nalcoop.errors import NalcoopError
from nalcoop.i18n import _


class IdentifierError(NalcoopError, ValueError):
    """Not a valid ISBN; the message says why (and the check digit expected)."""


_SEPARATORS = str.maketrans("", "", "- ")


def _ean13_check(body: str) -> str:
    """The EAN-13 check digit of 12 ASCII digits (weights 1, 3, 1, 3 ..., as stdnum's ean)."""
    codes = body.encode()
    total = sum(codes[0::2]) + 3 * sum(codes[1::2]) - 48 * 24  # 48 is the code of "0"
    return str(-total % 10)


def _isbn10_check(body: str) -> str:
    """The ISBN-10 check digit of 9 ASCII digits (weights 1 to 9, modulo 11, as stdnum's isbn)."""
    check = (sum(weight * code for weight, code in enumerate(body.encode(), start=1)) - 48 * 45) % 11
    return "X" if check == 10 else str(check)


def normalize_isbn(value: object) -> str:
    """ISBN-13 digits for an ISBN-10 or ISBN-13 written with or without hyphens or spaces.

    The everyday forms (13 or 10 ASCII digits, hyphens or spaces between) are checked with
    the EAN-13 and ISBN-10 arithmetic inline: stdnum's general path costs about 27 µs a
    number (2.7 s for a 100,000-line list), and a property test proves the two agree. Every
    other form, and every error message, goes through stdnum.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a workbook cell holding the ISBN as a number
    text = str(value).strip()
    digits = text.translate(_SEPARATORS)
    if digits.isascii():
        if len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979"):
            if _ean13_check(digits[:12]) == digits[12]:
                return digits
        elif len(digits) == 10 and digits[:9].isdigit() and _isbn10_check(digits[:9]) == digits[9].upper():
            body = "978" + digits[:9]
            return body + _ean13_check(body)
    return _normalize_with_stdnum(text)


def _normalize_with_stdnum(text: str) -> str:
    from stdnum import isbn
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

    compact = text.upper().removeprefix("ISBN").strip(" :")
    try:
        return isbn.validate(compact, convert=True)
    except InvalidChecksum:
        digits = isbn.compact(compact)
        expected = next((d for d in "0123456789X" if isbn.is_valid(digits[:-1] + d)), "?")
        raise IdentifierError(_("'{text}' is not a valid ISBN: the check digit should be {expected}, not {digit}; "
                                "check the number").format(text=text, expected=expected, digit=digits[-1])) from None
    except InvalidComponent:
        raise IdentifierError(_("'{text}' is not a valid ISBN: an ISBN-13 begins with 978 or 979").format(
            text=text)) from None
    except ValidationError:
        raise IdentifierError(_("'{text}' is not an ISBN: give 10 or 13 digits (hyphens and spaces allowed), such as "
                                "978-89-374-6044-9").format(text=text)) from None


def normalize_issn(value: object) -> str:
    """An ISSN as NNNN-NNNC from 8 characters written with or without the hyphen; the check
    digit is verified (python-stdnum) and a wrong one is reported with the digit expected."""
    from stdnum import issn
    from stdnum.exceptions import InvalidChecksum, ValidationError

    text = str(value).strip()
    compact = text.upper().removeprefix("ISSN").strip(" :")
    try:
        return issn.format(issn.validate(compact))
    except InvalidChecksum:
        digits = issn.compact(compact)
        expected = issn.calc_check_digit(digits[:7])
        raise IdentifierError(_("'{text}' is not a valid ISSN: the check digit should be {expected}, not {digit}; "
                                "check the number").format(text=text, expected=expected, digit=digits[-1])) from None
    except ValidationError:
        raise IdentifierError(_("'{text}' is not an ISSN: give 8 characters such as 1228-4734 (the last may be "
                                "X)").format(text=text)) from None

"""Cells into values: each cell typed by its column's declared type (text, code, date, int, choice, isbn, hours),
with the counters a number may carry (3권, 2.5시간); ValueError says why not."""

from __future__ import annotations

import math
import re

from nalcoop.dates import DateError, parse_date
from nalcoop.i18n import N_, _
from nalcoop.importer.records import MAX_HOURS, FieldSpec, _show, normalize_choice
from nalcoop.vocabulary import listed


def _choice_names(spec: FieldSpec) -> list[str]:
    """The values a choice column takes, as a person would type them: in Korean each value's first Korean
    spelling in the map (서면 for exchange), in English the values themselves."""
    from nalcoop.i18n import current

    names: dict[str, str] = {}
    for spelling, value in spec.choices.items():  # the map's order: each value, then its spellings
        korean = current() == "ko" and any("\uac00" <= ch <= "\ud7a3" for ch in spelling)
        if value not in names or (korean and names[value] == value):
            names[value] = spelling if korean else value
    return sorted(names.values())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _undefuse(text: str) -> str:
    """Undo the apostrophe nalcoop's CSV export puts before formula-like text (and before a text
    that itself begins with an apostrophe and a formula character)."""
    from nalcoop.render import FORMULA_PREFIXES

    if text[:1] == "'" and (text[1:2].startswith(FORMULA_PREFIXES)
                            or text[1:2] == "'" and text[2:3].startswith(FORMULA_PREFIXES)):
        return text[1:]
    return text


def _typed(value: object, spec: FieldSpec, from_text: bool = False) -> object:
    """One cell, typed by its column's declared type; ValueError says why not.

    Text is trimmed; in a CSV file a leading apostrophe before a formula character is the one
    nalcoop's export added, and what follows it is kept exactly (a tab or CR included).
    """
    if isinstance(value, str):
        value = value.strip()
        if from_text:
            value = _undefuse(value)
    if value is None or value == "":
        return None
    if spec.type == "date":
        try:
            return parse_date(value).isoformat()
        except DateError as exc:
            raise ValueError(str(exc)) from None
    if spec.type == "int":
        return whole_number(value, spec.minimum, spec.counters, spec.shown)
    if spec.type == "isbn":
        from nalcoop.identifiers import normalize_isbn

        return normalize_isbn(value)  # IdentifierError is a ValueError
    if spec.type == "hours":
        return hours_value(value, zero=True)  # the command decides whether 0 may be kept
    text = value if isinstance(value, str) else _cell_text(value)
    if spec.type == "choice":
        chosen = spec.choices.get(normalize_choice(text))
        if chosen is None:
            allowed = ", ".join(_choice_names(spec))
            raise ValueError(_("{show} is not one of: {allowed}").format(show=_show(text), allowed=allowed))
        return chosen
    if "\x00" in text:
        raise ValueError(_("contains a NUL character"))
    return text


# What a number's counter (수량 단위) counts: a counter a field does not take is refused saying what it counts.
COUNTED = {"권": "books", "책": "books", "부": "copies", "copies": "copies", "copy": "copies", "books": "books",
           "vols": "books", "질": "sets", "시간": "hours", "h": "hours", "hr": "hours", "hrs": "hours",
           "hours": "hours", "명": "people", "개": "items", "회": "times", "번": "times", "일": "days", "원": "won",
           "매": "sheets", "%": "percent"}
# What each kind of count is called in a message (the run's language: 권, 부, 시간, 명 ...).
COUNTED_SAID = {"books": N_("books"), "copies": N_("copies"), "sets": N_("sets"), "hours": N_("hours"),
                "people": N_("people"), "items": N_("items"), "times": N_("times"), "days": N_("days"),
                "won": N_("won"), "sheets": N_("sheets"), "percent": N_("percent")}
COPY_COUNTERS = ("권", "부", "책", "copies", "copy", "books", "vols")  # a quantity of books or copies
_COUNTED_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)\s*(\S+)")


def _counter_refusal(text: str, what: str, counters: tuple[str, ...]) -> str | None:
    """Why a number with a counter (3시간) does not fit a field, or None when it is no counted number at all."""
    match = _COUNTED_NUMBER.fullmatch(text)
    counted = COUNTED.get(match[2].lower()) if match else None
    if counted is None:
        return None
    fits = sorted({COUNTED[counter] for counter in counters if counter in COUNTED})
    example = (_("{number} or {number}{counter}").format(number=match[1], counter=counters[0]) if counters
               else match[1])
    if not fits:
        return _("the {what} '{text}' counts {counted}, and takes no counter; write {example}").format(
            what=what, text=text, counted=_(COUNTED_SAID[counted]), example=example)
    return _("the {what} '{text}' counts {counted}, not {fits}; write {example}").format(
        what=what, text=text, counted=_(COUNTED_SAID[counted]),
        fits=listed([_(COUNTED_SAID[kind]) for kind in fits]), example=example)


_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:시간|h|hr|hrs|hour|hours)?", re.IGNORECASE)


def hours_value(value: object, what: str | None = None, *, zero: bool = False) -> float:
    """Hours as typed or read from a cell: 3, 1.5, '3시간', '2.5h'; ValueError says why not
    (prefixed with `what`, an option's name, when given)."""
    lead = f"{what}: " if what else ""
    if isinstance(value, bool):
        raise ValueError(_("{lead}{value} is not a number of hours").format(lead=lead, value=value))
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip() if value is not None else ""
        match = _HOURS.fullmatch(text)
        if not match:
            refusal = _counter_refusal(text, _("hours"), ("시간",))
            if refusal:
                raise ValueError(f"{lead}{refusal}")
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise ValueError(_("{lead}'{shown}' is not a number of hours (such as 3 or 1.5)").format(
                lead=lead, shown=shown))
        number = float(match[1])
    if math.isnan(number) or math.isinf(number) or number < 0 or (number == 0 and not zero):
        said = (_("{lead}{value} is not a number of hours of 0 or more") if zero
                else _("{lead}{value} is not a number of hours above 0"))
        raise ValueError(said.format(lead=lead, value=value))
    if number > MAX_HOURS:
        raise ValueError(_("{lead}{number:g} is more than {MAX_HOURS:,.0f} hours").format(
            lead=lead, number=number, MAX_HOURS=MAX_HOURS))
    if round(number, 2) == 0 and not zero:
        raise ValueError(_("{lead}{value} is less than a hundredth of an hour").format(lead=lead, value=value))
    return round(number, 2)


def whole_number(value: object, minimum: int | None = None, counters: tuple[str, ...] = (),
                 what: str | None = None) -> int:
    """A cell or option as a whole number (1,200 and 12.0 allowed, and 3권 where `counters` has 권); ValueError
    says why not, naming `what` the number is when its counter does not fit (3시간 as a quantity of books)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _cell_text(value).replace(",", "")
        counted = _COUNTED_NUMBER.fullmatch(text)
        if counted and counted[2].lower() in counters and re.fullmatch(r"-?\d+", counted[1]):
            text = counted[1]
        if not re.fullmatch(r"-?\d+", text):
            refusal = _counter_refusal(text, what or _("number"), counters)
            raise ValueError(refusal or _("{show} is not a whole number").format(show=_show(value)))
        number = int(text)
    if minimum is not None and number < minimum:
        if minimum == 1:
            raise ValueError(_("{show} is not a positive whole number (1 or more)").format(show=_show(value)))
        raise ValueError(_("{show} is less than {minimum}").format(show=_show(value), minimum=minimum))
    return number


def _converter(spec: FieldSpec, from_text: bool = False):
    """The typing function of one column, with a fast path for the cells most files hold.

    A plain string in a text column and a whole number in an int column take a few
    operations instead of the general path; everything else goes through _typed, so the
    results are the same. Choice and date columns repeat few distinct values: memoised.
    """
    if spec.type in ("text", "code"):

        def convert(value: object) -> object:
            if value.__class__ is str:
                text = value.strip()
                if text and text[0] != "'" and "\x00" not in text:
                    return text
            return _typed(value, spec, from_text)

        return convert
    if spec.type == "int":
        minimum = spec.minimum

        def convert(value: object) -> object:
            cls = value.__class__
            if cls is float and value.is_integer() or cls is int:
                number = int(value)
                if minimum is None or number >= minimum:
                    return number
            return _typed(value, spec, from_text)

        return convert
    if spec.type == "isbn":
        from nalcoop.identifiers import normalize_isbn

        def convert(value: object) -> object:
            if value.__class__ is str:
                text = value.strip()
                if text and text[0] != "'":
                    return normalize_isbn(text)
            return _typed(value, spec, from_text)

        return convert
    if spec.type in ("choice", "date"):
        memo: dict[object, object] = {}

        def convert(value: object) -> object:
            key = (value.__class__, value)
            try:
                return memo[key]
            except KeyError:
                pass
            except TypeError:  # an unhashable value: type it each time
                return _typed(value, spec, from_text)
            typed = memo[key] = _typed(value, spec, from_text)
            return typed

        return convert
    return lambda value: _typed(value, spec, from_text)

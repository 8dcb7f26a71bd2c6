"""The one place where nalcoop reads, writes and compares dates.

Accepted on input: ISO 8601 (2020-02-29), Korean dotted (2020. 2. 29. / 2020.2.29),
Korean words (2020년 2월 29일), compact (20200229), slashes (2020/2/29), and the
date cells of a spreadsheet (datetime/date objects, or an Excel serial day number).
Always ISO 8601 on output.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import os
import re

from nalcoop.errors import NalcoopError
from nalcoop.i18n import N_, _

BEGINNING = "0001-01-01"  # the first day of an open period, and of the registry's baseline
END_OF_TIME = "9999-12-31"  # the last day of a span with no end (a membership, a subscription still running)
FORMS = ("2020-02-29", "2020. 2. 29.", "2020년 2월 29일", "20200229")
ACCEPTED_FORMS = f"{', '.join(FORMS[:-1])} or {FORMS[-1]}"  # in English --help (help is translated whole)

MONTH_NAMES = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
               N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))


def accepted_forms() -> str:
    """The forms parse_date reads, listed in the run's language (inside an error message)."""
    from nalcoop.vocabulary import listed

    return listed(list(FORMS))

_PATTERNS = (  # not compiled at import, which every run pays: re compiles each on first use and caches it
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$",
    r"^(\d{4})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{1,2})\s*\.?$",
    r"^(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일?$",
    r"^(\d{4})(\d{2})(\d{2})$",
)

# Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is accounted for.
_EXCEL_EPOCH = _dt.date(1899, 12, 30)
# Serial numbers we are willing to read as dates: 1954-10-03 .. 2119-01-09.
_EXCEL_SERIAL_RANGE = (20000, 80000)


class DateError(NalcoopError):
    """A value that is not a real calendar date in an accepted form."""


def parse_date(value: object) -> _dt.date:
    """Turn a typed or spreadsheet value into a date, or raise DateError saying why."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):
        raise DateError(_("{value} is not a date; write it as {forms}").format(value=repr(value),
                                                                              forms=accepted_forms()))
    if isinstance(value, (int, float)):
        return _from_number(value)
    text = str(value).strip()
    if not text:
        raise DateError(_("an empty value is not a date; write it as {forms}").format(
            forms=accepted_forms()))
    for pattern in _PATTERNS:
        match = re.match(pattern, text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return _checked(text, year, month, day)
    raise DateError(_("'{text}' is not a date; write it as {forms}").format(
        text=text, forms=accepted_forms()))


def _from_number(number: float) -> _dt.date:
    if isinstance(number, float) and not math.isfinite(number) or abs(number) > 10**12:
        small = isinstance(number, float) or abs(number) < 10**30
        shown = _("the number {number}").format(number=repr(number)) if small else _("a number this large")
        raise DateError(_("{shown} is not a date; write it as {forms}").format(
            shown=shown, forms=accepted_forms()))
    if number == int(number):
        whole = int(number)
        if 10_000_000 <= whole <= 99_991_231:
            return parse_date(str(whole))
        low, high = _EXCEL_SERIAL_RANGE
        if low <= whole <= high:
            return _EXCEL_EPOCH + _dt.timedelta(days=whole)
    elif _EXCEL_SERIAL_RANGE[0] <= number <= _EXCEL_SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + _dt.timedelta(days=int(number))
    raise DateError(_("the number {number} is not a date; write it as {forms}").format(number=repr(number),
                                                                                        forms=accepted_forms()))


def _checked(text: str, year: int, month: int, day: int) -> _dt.date:
    if year < _dt.MINYEAR:
        raise DateError(_("'{text}' is not a date: there is no year 0").format(text=text))
    if not 1 <= month <= 12:
        raise DateError(_("'{text}' is not a date: there is no month {month}").format(text=text, month=month))
    last_day = days_in_month(year, month)
    if not 1 <= day <= last_day:
        month_name = _("{month_name} {year}").format(month_name=_(MONTH_NAMES[month - 1]), year=year)
        raise DateError(_("'{text}' is not a date: {month_name} has {last_day} days").format(
            text=text, month_name=month_name, last_day=last_day))
    return _dt.date(year, month, day)


def days_in_month(year: int, month: int) -> int:
    """How many days the month has (28 to 31). (Not calendar.monthrange: importing calendar costs every run.)"""
    if month == 12:
        return 31
    return (_dt.date(year, month + 1, 1) - _dt.date(year, month, 1)).days


def iso(value: _dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def korean(value: _dt.date | str) -> str:
    """A date as a Korean document prints it for a person: 2025년 8월 1일 (data files keep ISO)."""
    day = _as_date(value)
    return f"{day.year}년 {day.month}월 {day.day}일"


def written(value: _dt.date | str, lang: str | None = None) -> str:
    """A date as a document prints it for a person, in the language of the run (or `lang`): 2025년 8월 1일, or
    1 August 2025 (data files keep ISO)."""
    from nalcoop.i18n import current

    if (lang or current()) == "ko":
        return korean(value)
    day = _as_date(value)
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def month_written(value: _dt.date | str, lang: str | None = None) -> str:
    """A date's month as a person reads it, in the language of the run (or `lang`): 2020년 2월, or February 2020."""
    from nalcoop.i18n import current

    day = _as_date(value)
    if (lang or current()) == "ko":
        return f"{day.year}년 {day.month}월"
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def shown_time(moment: _dt.datetime | str) -> str:
    """A moment as a person reads it: local time to the minute with its offset from UTC
    (`2026-12-06 10:19 +09:00`). The journal stores UTC (ISO text with +00:00 or Z); a moment without an
    offset is taken as UTC."""
    if isinstance(moment, str):
        moment = _dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    local = moment.astimezone()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def today() -> _dt.date:
    """Today's date; NALCOOP_TODAY (ISO) pins it, for reproducible tests and reports."""
    pinned = os.environ.get("NALCOOP_TODAY")
    return parse_date(pinned) if pinned else _dt.date.today()


def days_between(earlier: _dt.date | str, later: _dt.date | str) -> int:
    return (_as_date(later) - _as_date(earlier)).days


def day_before(day: str) -> str:
    """The ISO day before an ISO day (a period ending the day before another begins)."""
    return (_dt.date.fromisoformat(day) - _dt.timedelta(days=1)).isoformat()


def day_after(day: str) -> str:
    return (_dt.date.fromisoformat(day) + _dt.timedelta(days=1)).isoformat()


PERIOD_KEY_WIDTH = {"year": 4, "month": 7}  # 'YYYY' or 'YYYY-MM': the start of an ISO day


def period_key(day: str, by: str) -> str:
    """The year ('2024') or month ('2024-05') an ISO day falls in, for grouping by year or month."""
    return day[:PERIOD_KEY_WIDTH[by]]


def month_after(month: str) -> str:
    """The first day of the month after 'YYYY-MM' (or of a day's month)."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + number // 12:04}-{number % 12 + 1:02}-01"


def month_span(key: str) -> tuple[str, str]:
    """(first day, last day) of a group key that is a year 'YYYY' or a month 'YYYY-MM'."""
    if len(key) == 4:
        return f"{key}-01-01", f"{key}-12-31"
    return f"{key}-01", day_before(month_after(key))


def _as_date(value: _dt.date | str) -> _dt.date:
    return value if isinstance(value, _dt.date) else _dt.date.fromisoformat(value)


def working_days(start: _dt.date | str, end: _dt.date | str) -> int:
    """Working days from `start` to `end`, both inclusive: Monday to Friday, less Korea's public holidays
    (설날 and 추석 by the lunar calendar, substitute and temporary holidays, election days), as the maintained
    `holidays` package knows them. 0 when `end` is before `start`."""
    first, last = _as_date(start), _as_date(end)
    if last < first:
        return 0
    days = (last - first).days + 1
    full, rest = divmod(days, 7)
    weekdays = full * 5 + sum((first + _dt.timedelta(days=full * 7 + offset)).weekday() < 5 for offset in range(rest))
    off = sum(1 for holiday in _holidays_between(first.year, last.year)
              if first <= holiday <= last and holiday.weekday() < 5)
    return weekdays - off


def _holidays_between(first_year: int, last_year: int) -> frozenset[_dt.date]:
    return frozenset().union(*(_holidays_of(year) for year in range(first_year, last_year + 1)))


@functools.lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[_dt.date]:
    """Korea's public holidays in a year (imported only when a working day is counted)."""
    import holidays

    return frozenset(holidays.country_holidays("KR", years=year))

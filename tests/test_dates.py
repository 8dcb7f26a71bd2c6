"""nalcoop.dates.parse_date: every date form a librarian types or a spreadsheet holds, and clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from nalcoop.dates import DateError, parse_date
from nalcoop.errors import NalcoopError

LEAP_DAY = dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    "value",
    [
        "2020-02-29",
        "2020-2-29",
        "2020-02-29T10:30",
        "2020. 2. 29.",
        "2020. 02. 29",
        "2020.2.29",
        "2020년 2월 29일",
        "2020년2월29일",
        "20200229",
        "2020/02/29",
        "2020/2/29",
        "  2020-02-29  ",
        LEAP_DAY,
        dt.datetime(2020, 2, 29, 13, 45),
        43890,  # Excel's serial day number for 2020-02-29
        43890.75,  # a date-time cell: 2020-02-29 18:00
        20200229,  # a compact date typed into a number cell
        20200229.0,  # ... as calamine hands it over
    ],
    ids=repr,
)
def test_every_accepted_form_of_the_leap_day_parses_to_2020_02_29(value):
    assert parse_date(value) == LEAP_DAY


def test_a_datetime_comes_back_as_a_plain_date_not_a_datetime():
    parsed = parse_date(dt.datetime(2020, 2, 29, 23, 59))
    assert type(parsed) is dt.date
    assert parsed == LEAP_DAY


def test_2000_is_a_leap_year_and_1900_is_not():
    assert parse_date("2000-02-29") == dt.date(2000, 2, 29)
    with pytest.raises(DateError, match="February 1900 has 28 days"):
        parse_date("1900-02-29")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2020-02-30", "February 2020 has 29 days"),
        ("2020. 2. 30.", "February 2020 has 29 days"),
        ("2020년 2월 30일", "February 2020 has 29 days"),
        ("20200230", "February 2020 has 29 days"),
        ("2019-02-29", "February 2019 has 28 days"),
        ("2021-04-31", "April 2021 has 30 days"),
        ("2020-13-01", "no month 13"),
        ("2020-00-10", "no month 0"),
        ("next Tuesday", "not a date"),
        ("29/02/2020", "not a date"),
        ("2020-02", "not a date"),
    ],
)
def test_a_text_that_is_not_a_calendar_date_is_refused_with_the_value_quoted_and_the_reason(value, why):
    with pytest.raises(DateError) as caught:
        parse_date(value)
    message = str(caught.value)
    assert f"'{value}'" in message
    assert why in message


def test_the_refusal_of_next_tuesday_shows_the_accepted_forms():
    with pytest.raises(DateError) as caught:
        parse_date("next Tuesday")
    message = str(caught.value)
    assert "'next Tuesday'" in message
    for form in ("2020-02-29", "2020. 2. 29.", "2020년 2월 29일", "20200229"):
        assert form in message


@pytest.mark.parametrize("value", ["", "   "], ids=["empty", "blank"])
def test_an_empty_value_is_refused_as_empty(value):
    with pytest.raises(DateError, match="empty"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(True, "True"), (False, "False"), (123, "123"), (0, "0"), (-1, "-1")],
    ids=repr,
)
def test_a_boolean_or_a_number_that_is_no_date_is_refused_with_the_value_in_the_message(value, shown):
    with pytest.raises(DateError) as caught:
        parse_date(value)
    message = str(caught.value)
    assert shown in message
    assert "not a date" in message


def test_true_is_not_read_as_excel_day_one():
    # bool is an int subclass: True must not become 1899-12-31 or any other day.
    with pytest.raises(DateError, match="True"):
        parse_date(True)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")], ids=repr)
def test_a_non_finite_number_is_refused_with_a_date_error_not_a_crash(value):
    with pytest.raises(DateError) as caught:
        parse_date(value)
    assert "not a date" in str(caught.value)


def test_a_date_error_is_a_user_error_so_the_cli_prints_it_as_one_line():
    assert issubclass(DateError, NalcoopError)
    with pytest.raises(DateError) as caught:
        parse_date("2020-02-30")
    assert "\n" not in str(caught.value)


# ------------------------------------------------------------------ working days


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2025-01-01", "2025-01-31", 18),  # 23 weekdays less 신정 and 설날 with its temporary holiday (27-30 January)
    ("2025-01-06", "2025-01-31", 16),  # 20 weekdays less the four days of 설날
    ("2025-12-22", "2026-02-20", 40),  # 45 weekdays less 성탄절, 신정 and 설날 (16-18 February 2026)
    ("2025-07-07", "2025-08-01", 20),  # no holiday: every weekday works
    ("2025-10-01", "2025-10-10", 3),   # 개천절, 추석 with its substitute day and 한글날 leave 1, 2 and 10 October
    ("2025-01-31", "2025-01-01", 0),   # an end before the start
])
def test_working_days_leave_out_weekends_and_korea_s_public_holidays(start, end, expected):
    from nalcoop.dates import working_days

    assert working_days(start, end) == expected
    assert working_days(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == expected


def test_days_in_month_agrees_with_the_calendar_for_every_month_of_many_years():
    import calendar

    from nalcoop.dates import days_in_month

    for year in (1, 4, 100, 1900, 2000, 2023, 2024, 2100, 9999):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)

"""Bad input to `nalcoop distribute`: one line saying what and where, a non-zero exit, no traceback,
and the ledger byte-for-byte unchanged with no new journal entry."""

from __future__ import annotations

import pytest

from .clitools import ledger_made_by
from .test_bad_input import _csv, _xlsx, assert_refused, untouched

MONTHLY = "월간 국회도서관"
ISSN = "1228-4734"
PNU = "부산대학교 도서관"
LOC = "Library of Congress"
NDL = "国立国会図書館"

SET_UP = [
    ("distribute", "publication", "add", MONTHLY, "--frequency", "monthly", "--issn", ISSN),
    ("distribute", "issue", "add", MONTHLY, "2024-05", "--date", "2024-05-15"),
    ("distribute", "issue", "add", MONTHLY, "2024-06", "--date", "2024-06-15"),
    ("distribute", "recipient", "add", PNU, "--country", "KR", "--type", "university", "--region", "부산 금정구"),
    ("distribute", "recipient", "add", LOC, "--country", "US", "--type", "national-library"),
    ("distribute", "recipient", "add", NDL, "--country", "Japan", "--type", "parliamentary-library"),
    *(("distribute", "subscribe", recipient, MONTHLY, "--copies", copies, "--from", "2024-01-01")
      for recipient, copies in ((PNU, "1"), (LOC, "2"), (NDL, "1"))),
    ("distribute", "send", MONTHLY, "--issue", "2024-05", "--date", "2024-05-20"),
]


@pytest.fixture(scope="module")
def _sent_template(tmp_path_factory, _initialised_template) -> bytes:
    """The ledger SET_UP makes, through the CLI, once per module (each command rebuilds typer's command
    tree, about 0.3 s): each test gets a byte copy."""
    return ledger_made_by(tmp_path_factory.mktemp("sent"), _initialised_template, SET_UP)


@pytest.fixture
def sent(cli, db_path, _sent_template):
    """『월간 국회도서관』 with issues 2024-05 (sent on 2024-05-20) and 2024-06 (not sent yet); three
    recipients subscribed from 2024-01-01: one in Busan, the Library of Congress (2 copies), the NDL."""
    db_path.write_bytes(_sent_template)
    return cli


# ------------------------------------------------------------------ the catalogue


def test_a_wrong_issn_check_digit_is_refused_showing_the_digit_expected(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "publication", "add", "국회도서관보", "--frequency", "monthly",
                      "--issn", "1228-4735", ok=False)
    assert_refused(result, "'1228-4735' is not a valid ISSN: the check digit should be 4, not 5; check the number",
                   exit_code=1)


@pytest.mark.parametrize("title", [MONTHLY, "『월간  국회도서관』"])
def test_adding_a_publication_already_in_the_catalogue_is_refused(sent, db_path, title):
    with untouched(db_path):
        result = sent("distribute", "publication", "add", title, "--frequency", "quarterly", ok=False)
    assert_refused(result, f"『{MONTHLY}』 is already in the catalogue",
                   "change it with `nalcoop distribute publication edit`", exit_code=1)


def test_sending_an_issue_that_is_not_in_the_catalogue_is_refused_naming_the_latest(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "send", MONTHLY, "--issue", "2024-07", "--date", "2024-07-20", ok=False)
    assert_refused(result, f"issue '2024-07' of 『{MONTHLY}』 is not in the catalogue (the latest: 2024-06, 2024-05)",
                   "add it with `nalcoop distribute issue add`", exit_code=1)


@pytest.mark.parametrize(("title", "hint"), [
    ("월간 국회도서관보", f"; did you mean {MONTHLY}?"),
    ("계간 입법정보", ""),
])
def test_sending_a_publication_that_is_not_in_the_catalogue_is_refused(sent, db_path, title, hint):
    with untouched(db_path):
        result = sent("distribute", "send", title, "--issue", "2024-05", "--date", "2024-05-20", ok=False)
    assert_refused(result, f"no publication is called '{title}'{hint} (`nalcoop distribute publication list` "
                           "lists them)", exit_code=1)


# ------------------------------------------------------------------ recipients


def test_an_unknown_country_is_refused_with_the_closest_ones(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "recipient", "add", "Aslan Library", "--country", "Narnia", "--type", "other",
                      ok=False)
    assert_refused(result, "'Narnia' is not a country nalcoop knows; did you mean Armenia (AM), Tanzania (TZ)?",
                   "give the ISO 3166 code, such as US or JP, or the English or Korean name", exit_code=1)


def test_a_region_for_a_recipient_abroad_is_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "recipient", "add", "Harvard Library", "--country", "US", "--type", "university",
                      "--region", "부산 금정구", ok=False)
    assert_refused(result, "a region (local government) is for recipients in Korea, not in US; put a foreign "
                           "recipient's town in its address", exit_code=1)


def test_an_unknown_region_for_a_recipient_in_korea_is_refused_with_the_closest_ones(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "recipient", "add", "나니아도서관", "--country", "KR", "--type",
                      "public-library", "--region", "나니아시", ok=False)
    assert_refused(result, "no council is called '나니아시'; did you mean ", "전남광주통합특별시 나주시의회",
                   "(`nalcoop agreement councils` lists them all)", exit_code=1)


def test_registering_a_recipient_twice_is_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "recipient", "add", "library of  congress", "--country", "USA", "--type",
                      "national-library", ok=False)
    assert_refused(result, f"{LOC} (US) is already registered; change it with `nalcoop distribute recipient edit`",
                   exit_code=1)


def test_a_name_shared_by_recipients_in_two_countries_is_refused_listing_both(sent, db_path):
    sent("distribute", "recipient", "add", "Parliamentary Library", "--country", "AU", "--type",
         "parliamentary-library")
    sent("distribute", "recipient", "add", "Parliamentary Library", "--country", "New Zealand", "--type",
         "parliamentary-library")
    with untouched(db_path):
        result = sent("distribute", "subscribe", "Parliamentary Library", MONTHLY, "--from", "2024-01-01", ok=False)
    assert_refused(result, "'Parliamentary Library' matches 2 recipients: Parliamentary Library (AU); "
                           "Parliamentary Library (NZ). Give one as listed, such as 'Parliamentary Library (AU)'",
                   exit_code=1)
    sent("distribute", "subscribe", "Parliamentary Library (NZ)", MONTHLY, "--from", "2024-01-01")


def test_deactivating_a_recipient_that_is_already_inactive_is_refused(sent, db_path):
    sent("distribute", "recipient", "deactivate", NDL, "--date", "2025-01-01", "--note", "asked to stop")
    with untouched(db_path):
        result = sent("distribute", "recipient", "deactivate", NDL, "--date", "2025-02-01", ok=False)
    assert_refused(result, f"{NDL} (JP) is already inactive since 2025-01-01", exit_code=1)


def test_deactivating_a_recipient_before_its_last_dispatch_is_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "recipient", "deactivate", LOC, "--date", "2024-05-01", ok=False)
    assert_refused(result, f"{LOC} (US) was sent copies on 2024-05-20; it can become inactive from 2024-05-21 on, "
                           "not 2024-05-01",
                   exit_code=1)


# ------------------------------------------------------------------ a list of recipients


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_recipient_list_with_a_repeated_row_and_malformed_rows_writes_nothing_and_names_each(
        sent, db_path, tmp_path, suffix, dry_run):
    rows = [["기관명", "국가", "유형", "주소"],
            [LOC, "US", "national library", "101 Independence Ave SE, Washington, DC"],
            [PNU, "", "대학", "부산광역시 금정구 부산대학로63번길 2"],
            ["Tokyo University Library", "Japan", "university", "Tokyo"],
            ["library of congress", "미국", "국립도서관", "Washington"],
            ["Aslan Library", "Narnia", "other", "Cair Paravel"],
            ["Fresno State Library", "US", "castle", "Fresno"]]
    path = tmp_path / f"recipients{suffix}"
    if suffix == ".csv":
        _csv(path, rows)
    else:
        _xlsx(path, rows, sheet="발송처")
    with untouched(db_path):
        result = sent("distribute", "recipient", "import", str(path), *(["--dry-run"] if dry_run else []), ok=False)
    stderr = assert_refused(result, exit_code=1, lines=4)
    where = f"recipients{suffix}" + (", sheet 발송처" if suffix == ".xlsx" else "")
    repeated, narnia, castle, summary = stderr.splitlines()
    assert repeated == (f"{where}, row 5, column A (기관명): 'library of congress': repeats row 2 (same name and "
                        "country US); keep one of the two rows")
    assert narnia.startswith(f"{where}, row 6, column B (국가): 'Narnia' is not a country nalcoop knows; ")
    assert castle.startswith(f"{where}, row 7, column C (유형): 'castle' is not one of: government, ")
    assert "university" in castle
    assert summary == (f"Error: recipients{suffix}: 3 of 6 rows rejected; nothing was imported. Fix the rows listed "
                       "above and import again")


def test_a_recipient_list_with_a_bad_region_names_the_row_and_the_region_column(sent, db_path, tmp_path):
    path = _csv(tmp_path / "regions.csv", [["기관명", "국가", "유형", "지역"],
                                           ["Harvard Library", "US", "university", "부산 금정구"],
                                           ["해운대도서관", "", "공공", "부산 해운대"],
                                           ["나니아도서관", "", "공공", "나니아시"]])
    with untouched(db_path):
        result = sent("distribute", "recipient", "import", str(path), ok=False)
    abroad, unknown, _summary = assert_refused(result, "2 of 3 rows rejected; nothing was imported", exit_code=1,
                                               lines=3).splitlines()
    assert abroad == ("regions.csv, row 2, column D (지역): '부산 금정구': a region (local government) is for "
                      "recipients in Korea, not in US; put a foreign recipient's town in its address")
    assert unknown.startswith("regions.csv, row 4, column D (지역): no council is called '나니아시'; did you mean ")


# ------------------------------------------------------------------ standing lists


@pytest.mark.parametrize(("date_from", "date_to"), [("2025-01-01", None), ("2023-01-01", "2024-01-01")],
                         ids=["open", "ending on its first day"])
def test_subscribing_twice_to_a_title_while_a_subscription_is_open_is_refused(sent, db_path, date_from, date_to):
    with untouched(db_path):
        result = sent("distribute", "subscribe", LOC, MONTHLY, "--from", date_from,
                      *(["--to", date_to] if date_to else []), ok=False)
    assert_refused(result, f"{LOC} (US) already receives 『{MONTHLY}』 from 2024-01-01, still open; a subscription "
                           "may not overlap it", "end it with `nalcoop distribute unsubscribe`", exit_code=1)


@pytest.mark.parametrize(("date_from", "date_to"), [("2024-06-01", "2025-06-30"), ("2023-01-01", "2024-01-01"),
                                                    ("2024-12-31", None)])
def test_subscribing_over_a_closed_period_is_refused_showing_it(sent, db_path, date_from, date_to):
    sent("distribute", "unsubscribe", LOC, MONTHLY, "--date", "2024-12-31", "--note", "budget")
    with untouched(db_path):
        result = sent("distribute", "subscribe", LOC, MONTHLY, "--from", date_from,
                      *(["--to", date_to] if date_to else []), ok=False)
    assert_refused(result, f"{LOC} (US) already receives 『{MONTHLY}』 from 2024-01-01 to 2024-12-31; a subscription "
                           "may not overlap it", exit_code=1)
    sent("distribute", "subscribe", LOC, MONTHLY, "--from", "2025-01-01")  # the day after is free


def test_a_subscription_ending_before_it_starts_is_refused(sent, db_path):
    sent("distribute", "recipient", "add", "Harvard Library", "--country", "US", "--type", "university")
    with untouched(db_path):
        result = sent("distribute", "subscribe", "Harvard Library", MONTHLY, "--from", "2024-02-01",
                      "--to", "2024-01-01", ok=False)
    assert_refused(result, "the subscription would end on 2024-01-01, before it starts on 2024-02-01; --to is the "
                           "last day on the list", exit_code=1)


@pytest.mark.parametrize("command", ["subscribe", "return"])
@pytest.mark.parametrize("copies", ["0", "-2"])
def test_zero_or_negative_copies_are_refused_in_one_line(sent, db_path, command, copies):
    extra = ["--issue", "2024-05", "--reason", "surplus"] if command == "return" else []
    with untouched(db_path):
        result = sent("distribute", command, LOC, MONTHLY, *extra, "--copies", copies, ok=False)
    assert_refused(result, f"--copies: {copies} is not a positive whole number (1 or more)", exit_code=1)


def test_unsubscribing_without_a_running_subscription_is_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "unsubscribe", LOC, MONTHLY, "--date", "2023-06-30", ok=False)
    assert_refused(result, f"{LOC} (US) has no subscription to 『{MONTHLY}』 running on 2023-06-30; see "
                           "`nalcoop distribute subscriptions`", exit_code=1)


def test_ending_a_subscription_before_an_issue_sent_under_it_is_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "unsubscribe", LOC, MONTHLY, "--date", "2024-05-19", ok=False)
    assert_refused(result, f"{LOC} (US) was sent an issue of 『{MONTHLY}』 on 2024-05-20; its subscription cannot "
                           "end before that: give --date 2024-05-20 or later", exit_code=1)


# ------------------------------------------------------------------ dispatch runs


def test_sending_an_issue_everyone_already_got_is_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "send", MONTHLY, "--issue", "2024-05", "--date", "2024-06-01", ok=False)
    assert_refused(result, f"『{MONTHLY}』 2024-05 was already sent to every subscriber running on 2024-06-01 (3, "
                           "first on 2024-05-20); it is never sent twice to one recipient", exit_code=1)


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["send", "dry run"])
def test_sending_an_issue_before_its_date_is_refused(sent, db_path, dry_run):
    with untouched(db_path):
        result = sent("distribute", "send", MONTHLY, "--issue", "2024-06", "--date", "2024-06-14", *dry_run,
                      ok=False)
    assert_refused(result, f"『{MONTHLY}』 2024-06 is dated 2024-06-15; it cannot be sent on 2024-06-14, before it "
                           "exists", exit_code=1)


@pytest.mark.parametrize(("value", "why"), [
    ("next Tuesday", "is not a date; write it as 2020-02-29, 2020. 2. 29., 2020년 2월 29일 or 20200229"),
    ("2024-06-31", "is not a date: June 2024 has 30 days"),
])
def test_an_unparseable_date_is_a_usage_error_quoting_it(sent, db_path, value, why):
    with untouched(db_path):
        result = sent("distribute", "send", MONTHLY, "--issue", "2024-06", "--date", value, ok=False)
    assert_refused(result, f"--date: '{value}' {why}", exit_code=2)


def test_a_dry_run_writes_nothing_and_shows_who_would_get_what(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "send", MONTHLY, "--issue", "2024-06", "--date", "2024-06-20", "--dry-run",
                      "--format", "csv")
    assert result.stdout.splitlines() == ["recipient,country,type,region,copies",
                                          f"{PNU},KR,university,부산광역시 금정구,1",
                                          f"{NDL},JP,parliamentary-library,,1",
                                          f"{LOC},US,national-library,,2"]
    assert result.stderr.splitlines() == [f"dry run, nothing written — would send 『{MONTHLY}』 2024-06 on 2024-06-20: "
                                          "4 copies to 3 recipients"]
    listed = sent("distribute", "list", "--issue", "2024-06", "--format", "csv").stdout
    assert listed.splitlines() == ["date,publication,issue,recipient,country,type,copies,returned,return reason,"
                                   "returned on"]


def test_sending_when_no_subscription_runs_is_refused(sent, db_path):
    for recipient in (PNU, LOC, NDL):
        sent("distribute", "unsubscribe", recipient, MONTHLY, "--date", "2024-05-31")
    with untouched(db_path):
        result = sent("distribute", "send", MONTHLY, "--issue", "2024-06", "--date", "2024-06-20", ok=False)
    assert_refused(result, f"no subscription to 『{MONTHLY}』 runs on 2024-06-20; add one with "
                           "`nalcoop distribute subscribe`", exit_code=1)


@pytest.mark.parametrize(("issue", "message"), [
    ("2024-05", f"『{MONTHLY}』 2024-05 was already sent to every subscriber running on 2024-06-20"),
    ("2024-06", f"no subscription to 『{MONTHLY}』 runs on 2024-06-20"),
], ids=["already sent", "no subscriber"])
def test_a_dry_run_of_a_send_that_would_be_refused_is_refused_the_same_way(sent, db_path, issue, message):
    if issue == "2024-06":
        for recipient in (PNU, LOC, NDL):
            sent("distribute", "unsubscribe", recipient, MONTHLY, "--date", "2024-05-31")
    with untouched(db_path):
        result = sent("distribute", "send", MONTHLY, "--issue", issue, "--date", "2024-06-20", "--dry-run",
                      "--format", "csv", ok=False)
    assert_refused(result, message, exit_code=1)


# ------------------------------------------------------------------ returns


def test_a_return_of_an_issue_never_sent_to_the_recipient_is_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "return", LOC, MONTHLY, "--issue", "2024-06", "--reason", "undeliverable",
                      "--date", "2024-07-01", ok=False)
    assert_refused(result, f"『{MONTHLY}』 2024-06 was never sent to {LOC} (US); see `nalcoop distribute list`",
                   exit_code=1)


def test_a_second_return_of_the_same_line_is_refused_showing_the_first(sent, db_path):
    sent("distribute", "return", LOC, MONTHLY, "--issue", "2024-05", "--reason", "undeliverable",
         "--date", "2024-07-01")
    with untouched(db_path):
        result = sent("distribute", "return", LOC, MONTHLY, "--issue", "2024-05", "--reason", "refused",
                      "--date", "2024-07-02", ok=False)
    assert_refused(result, f"the return of 『{MONTHLY}』 2024-05 from {LOC} (US) is already recorded (undeliverable, "
                           "2024-07-01); to record it differently, find it in `nalcoop history` and `nalcoop undo ID` "
                           "first", exit_code=1)


def test_a_return_of_more_copies_than_were_sent_is_refused_with_both_numbers(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "return", LOC, MONTHLY, "--issue", "2024-05", "--reason", "surplus",
                      "--copies", "3", "--date", "2024-07-01", ok=False)
    assert_refused(result, f"{LOC} (US) was sent 2 copies of 『{MONTHLY}』 2024-05; 3 cannot come back", exit_code=1)


def test_a_return_dated_before_the_dispatch_is_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "return", LOC, MONTHLY, "--issue", "2024-05", "--reason", "undeliverable",
                      "--date", "2024-05-19", ok=False)
    assert_refused(result, f"『{MONTHLY}』 2024-05 was sent to {LOC} (US) on 2024-05-20; it cannot come back on "
                           "2024-05-19, before that", exit_code=1)


# ------------------------------------------------------------------ labels and statistics


def test_labels_for_an_issue_not_yet_sent_are_refused(sent, db_path):
    with untouched(db_path):
        result = sent("distribute", "labels", MONTHLY, "--issue", "2024-06", ok=False)
    assert_refused(result, f"『{MONTHLY}』 2024-06 has not been sent yet: labels are printed from a dispatch run "
                           "(`nalcoop distribute send`, or --dry-run to see who would get it)", exit_code=1)


@pytest.mark.parametrize("fmt", [[], ["--format", "csv"], ["--format", "xlsx"]], ids=["default", "csv", "xlsx"])
def test_labels_split_by_country_without_an_output_file_is_a_usage_error(sent, db_path, fmt):
    with untouched(db_path):
        result = sent("distribute", "labels", MONTHLY, "--issue", "2024-05", "--split-by-country", *fmt, ok=False)
    assert_refused(result, "splitting writes several sheets or files: give -o FILE (.xlsx, .csv ...)", exit_code=2)


def test_stats_by_an_unknown_dimension_is_a_usage_error_listing_the_choices(sent, db_path):
    with untouched(db_path):
        result = sent("stats", "distribution", "--by", "nonsense", ok=False)
    assert_refused(result, "--by: publications sent have no 'nonsense'; they can be grouped by year, month, country, "
                           "type, publication, recipient, province or domestic", exit_code=2)


@pytest.mark.parametrize("period", [["--year", "2024"], ["--from", "2024-01-01"], ["--to", "2024-12-31"]])
def test_stats_as_of_together_with_a_period_is_a_usage_error(sent, db_path, period):
    with untouched(db_path):
        result = sent("stats", "distribution", "--as-of", "2024-06-01", *period, ok=False)
    assert_refused(result, "give either --as-of (who was on the lists) or --year/--from/--to (what was sent)",
                   exit_code=2)


# ------------------------------------------------------------------ a missing option in a pipe


@pytest.mark.parametrize(("args", "message"), [
    (("send", MONTHLY), "missing option '--issue' (issue, such as 2024-05)"),
    (("send", MONTHLY, "--dry-run"), "missing option '--issue'"),
    (("labels", MONTHLY), "missing option '--issue'"),
    (("return", LOC, MONTHLY, "--issue", "2024-05"), "missing option '--reason'"),
    (("issue", "add", MONTHLY, "2024-07"), "missing option '--date'"),
    (("publication", "add", "국회도서관보"), "missing option '--frequency'"),
    (("recipient", "add", "Harvard Library", "--type", "university"), "missing option '--country'"),
    (("recipient", "add", "Harvard Library", "--country", "US"), "missing option '--type'"),
])
def test_a_missing_required_option_in_a_pipe_is_a_usage_error_and_no_prompt(sent, db_path, args, message):
    with untouched(db_path):
        result = sent("distribute", *args, ok=False, input="2024-06\nmonthly\nUS\nuniversity\n")
    assert_refused(result, message, "see --help", exit_code=2)

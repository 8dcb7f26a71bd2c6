"""Bad input to `nalcoop donate` (issue 4's list): one line saying what and where, a non-zero exit,
no traceback, and the ledger byte-for-byte unchanged with no new journal entry."""

from __future__ import annotations

import pytest

from .test_bad_input import _csv, _xlsx, assert_refused, untouched
from .test_donations import ISBN, SUNFLOWER, _isbn


@pytest.fixture
def stocked(cli):
    cli("donate", "library", "add", SUNFLOWER, "--type", "small", "--region", "전라남도 신안군")
    cli("donate", "library", "add", "해바라기학교도서관", "--type", "school", "--region", "울릉군")
    cli("donate", "stock", "add", "--isbn", ISBN, "--title", "데미안", "--copies", "12", "--reason", "duplicate")
    cli("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "1", "--date", "2024-05-02")
    return cli


@pytest.mark.parametrize("command", [
    ("donate", "add", "--library", SUNFLOWER, "--isbn", "978-89-374-6044-0", "--copies", "3"),
    ("donate", "stock", "add", "--isbn", "978-89-374-6044-0", "--copies", "3", "--reason", "duplicate"),
])
def test_a_wrong_isbn_check_digit_is_refused_showing_the_digit_expected(stocked, db_path, command):
    with untouched(db_path):
        result = stocked(*command, ok=False)
    assert_refused(result, "'978-89-374-6044-0' is not a valid ISBN: the check digit should be 9, not 0",
                   exit_code=1)


@pytest.mark.parametrize(("qty", "message"), [
    ("0", "quantity: '0' is not a positive whole number (1 or more)"),
    ("-3", "quantity: '-3' is not a positive whole number (1 or more)"),
    ("three", "quantity: 'three' is not a whole number"),
])
@pytest.mark.parametrize("group", ["add", "stock add"])
def test_a_quantity_of_zero_minus_three_or_three_in_words_is_refused(stocked, db_path, qty, message, group):
    command = ["donate", "add", "--library", SUNFLOWER] if group == "add" else ["donate", "stock", "add", "--reason",
                                                                           "duplicate"]
    with untouched(db_path):
        result = stocked(*command, "--isbn", ISBN, "--copies", qty, ok=False)
    assert_refused(result, message, exit_code=1)


def test_an_unknown_library_is_refused_with_the_closest_names(stocked, db_path):
    with untouched(db_path):
        result = stocked("donate", "add", "--library", "해바리기작은도서관", "--isbn", ISBN, "--copies", "1", ok=False)
    assert_refused(result, "no library is called '해바리기작은도서관'; did you mean ",
                   "해바라기작은도서관 (전남광주통합특별시 신안군)", exit_code=1)


def test_an_ambiguous_library_is_refused_with_every_candidate(stocked, db_path):
    with untouched(db_path):
        result = stocked("donate", "add", "--library", "해바라기", "--isbn", ISBN, "--copies", "1", ok=False)
    assert_refused(result, "'해바라기' matches 2 libraries", "해바라기작은도서관 (전남광주통합특별시 신안군)",
                   "해바라기학교도서관 (경상북도 울릉군)", exit_code=1)


def test_shipping_a_batch_that_was_never_packed_is_refused(stocked, db_path):
    with untouched(db_path):
        result = stocked("donate", "ship", "2024-001", "--date", "2024-05-10", ok=False)
    assert_refused(result, "batch 2024-001 cannot be shipped: it was never packed", "donate pack 2024-001",
                   exit_code=1)


def test_receiving_a_cancelled_batch_is_refused(stocked, db_path):
    stocked("donate", "cancel", "2024-001", "--date", "2024-05-03")
    with untouched(db_path):
        result = stocked("donate", "receive", "2024-001", "--date", "2024-05-14", ok=False)
    assert_refused(result, "batch 2024-001 was cancelled (cancelled on 2024-05-03); a cancelled batch cannot be "
                           "received", exit_code=1)


def test_drawing_40_copies_when_stock_has_12_is_refused_with_both_quantities(cli, db_path):
    cli("donate", "library", "add", SUNFLOWER, "--type", "small", "--region", "전라남도 신안군")
    cli("donate", "stock", "add", "--isbn", ISBN, "--title", "데미안", "--copies", "12", "--reason", "duplicate")
    with untouched(db_path):
        result = cli("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "40", ok=False)
    assert_refused(result, "stock holds 12 copies of 9788937460449 '데미안' (duplicate); cannot draw 40", exit_code=1)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_item_list_with_one_bad_row_among_10000_writes_nothing_and_names_the_row(cli, db_path, tmp_path, suffix):
    rows = [[_isbn(n), f"기증도서 {n}", n % 5 + 1, "중복", "양호"] for n in range(10_000)]
    rows[6_000][0] = "978-89-374-6044-0"
    header = ["국제표준도서번호", "서명", "수량", "사유", "상태"]
    path = tmp_path / f"duplicates{suffix}"
    if suffix == ".csv":
        _csv(path, [header, *rows])
    else:
        _xlsx(path, [header, *rows], sheet="목록")
    with untouched(db_path):
        result = cli("donate", "stock", "import", str(path), ok=False)
    stderr = assert_refused(result, exit_code=1, lines=2)
    problem, summary = stderr.splitlines()
    sheet = ", sheet 목록" if suffix == ".xlsx" else ""
    assert problem == (f"duplicates{suffix}{sheet}, row 6002, column A (국제표준도서번호): '978-89-374-6044-0' is not "
                       "a valid ISBN: the check digit should be 9, not 0; check the number")
    assert "1 of 10000 rows rejected; nothing was imported" in summary


@pytest.mark.parametrize(("cell", "message"), [
    ("0", "column C (수량): '0' is not a positive whole number"),
    ("three", "column C (수량): 'three' is not a whole number"),
    ("-3", "column C (수량): '-3' is not a positive whole number"),
])
def test_an_item_list_with_a_bad_quantity_names_the_cell(cli, db_path, tmp_path, cell, message):
    path = _csv(tmp_path / "list.csv", [["ISBN", "서명", "수량", "사유"], [ISBN, "데미안", "2", "중복"],
                                        [_isbn(3), "책", cell, "중복"]])
    with untouched(db_path):
        result = cli("donate", "stock", "import", str(path), ok=False)
    assert_refused(result, f"list.csv, row 3, {message}", "1 of 2 rows rejected", exit_code=1, lines=2)


def test_an_unknown_batch_number_and_a_malformed_one_are_refused(stocked, db_path):
    with untouched(db_path):
        missing = stocked("donate", "pack", "2024-099", "--date", "2024-05-03", ok=False)
        malformed = stocked("donate", "batch", "show", "7", ok=False)
    assert_refused(missing, "there is no batch 2024-099", exit_code=1)
    assert_refused(malformed, "'7' is not a batch number; batch numbers look like 2024-007", exit_code=1)


def test_a_missing_recipient_in_a_pipe_is_a_usage_error(stocked, db_path):
    with untouched(db_path):
        result = stocked("donate", "add", "--isbn", ISBN, "--copies", "1", ok=False, input="해바라기\n")
    assert_refused(result, "missing option '--library'", exit_code=2)

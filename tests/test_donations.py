"""Book donations (issue 4): recipients, stock, batches, packing lists, statistics, undo and invariants."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from nalcoop import donations
from nalcoop.donations import DonationError

from .conftest import file_hash

SUNFLOWER = "해바라기작은도서관"
ISBN = "9788937460449"  # 978-89-374-6044-9; ISBN-10 8937460440


def _rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _xlsx(path: Path, rows: list[list], sheet: str = "목록") -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def _csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _isbn(n: int) -> str:
    from stdnum import ean

    body = f"97889{n:07d}"
    return body + ean.calc_check_digit(body)


@pytest.fixture
def donor(cli):
    """Two recipient libraries and a stock: 12 copies of one ISBN, 20 of a title without one."""
    cli("donate", "library", "add", SUNFLOWER, "--type", "small", "--region", "전라남도 신안군",
        "--address", "전라남도 신안군 지도읍 1", "--contact", "김사서 061-000-0000", "--recommended-by", "○○○ 의원")
    cli("donate", "library", "add", "군위교도소도서관", "--type", "prison", "--region", "군위군")
    cli("donate", "stock", "add", "--isbn", "978-89-374-6044-9", "--title", "데미안", "--copies", "12",
        "--reason", "duplicate", "--condition", "good", "--date", "2024-03-02")
    cli("donate", "stock", "add", "--title", "국회도서관 70년사", "--copies", "20", "--reason", "non-registered",
        "--date", "2024-03-02")
    return cli


def _on_hand(cli) -> dict[tuple[str, str], int]:
    return {(r["ISBN"] or r["title"], r["reason"]): int(r["on hand"])
            for r in _rows(cli("donate", "stock", "list", "--all", "--format", "csv"))}


def _shipped_batch(cli, library=SUNFLOWER, qty="3", day="2024-05-08", ship="2024-05-10") -> str:
    cli("donate", "add", "--library", library, "--isbn", ISBN, "--copies", qty, "--date", day)
    number = _rows(cli("donate", "list", "--format", "csv", "--library", library))[-1]["batch"]
    cli("donate", "pack", number, "--date", day)
    cli("donate", "ship", number, "--date", ship, "--carrier", "우체국택배", "--tracking", "6070123456789")
    return number


# ------------------------------------------------------------------ recipient libraries


def test_a_library_is_registered_in_its_region_and_listed_with_its_province(donor):
    rows = _rows(donor("donate", "library", "list", "--format", "csv"))
    sunflower = next(r for r in rows if r["library"] == SUNFLOWER)
    assert (sunflower["type"], sunflower["region"], sunflower["province"], sunflower["code"]) == (
        "small", "전남광주통합특별시 신안군", "전남광주통합특별시", "12870")  # today: after the 2026-07-01 merger
    assert sunflower["recommended by"] == "○○○ 의원"
    assert sunflower["eligible"] == "yes"
    # 전남 became part of 전남광주통합특별시 (광주특별시) on 2026-07-01: today's list asks for the new province.
    listed = _rows(donor("donate", "library", "list", "--province", "광주특별시", "--format", "csv"))
    assert [r["library"] for r in listed] == [SUNFLOWER]


def test_a_library_region_rolls_up_to_the_province_of_the_day(donor):
    """군위군 moved from 경상북도 to 대구광역시 on 2023-07-01: its library follows it."""
    before = _rows(donor("donate", "library", "list", "--as-of", "2023-06-30", "--type", "prison", "--format", "csv"))
    after = _rows(donor("donate", "library", "list", "--as-of", "2023-07-01", "--type", "prison", "--format", "csv"))
    assert (before[0]["province"], before[0]["region"]) == ("경상북도", "경상북도 군위군")
    assert (after[0]["province"], after[0]["region"]) == ("대구광역시", "대구광역시 군위군")


@pytest.mark.parametrize(("text", "found"), [
    ("해바라기작은도서관", SUNFLOWER), ("해바라기", SUNFLOWER), ("해바라기 작은 도서관", SUNFLOWER),
    ("해바라기작은도서관 (전라남도 신안군)", SUNFLOWER), ("군위교도소", "군위교도소도서관"),
])
def test_library_names_resolve_like_council_names(ledger, donor, text, found):
    assert donations.resolve_library(ledger.conn, text).name == found


def test_an_ambiguous_library_name_lists_every_candidate(ledger, donor):
    with pytest.raises(donations.AmbiguousLibrary) as caught:
        donations.resolve_library(ledger.conn, "도서관")
    assert "matches 2 libraries" in str(caught.value)
    assert "해바라기작은도서관 (전남광주통합특별시 신안군)" in str(caught.value)
    assert "군위교도소도서관 (대구광역시 군위군)" in str(caught.value)


def test_an_unknown_library_name_suggests_the_closest(ledger, donor):
    with pytest.raises(donations.LibraryNotFound, match="did you mean 해바라기작은도서관"):
        donations.resolve_library(ledger.conn, "해바리기작은도서관")


def test_two_libraries_of_one_name_in_two_regions_are_told_apart_by_region(donor, ledger):
    donor("donate", "library", "add", SUNFLOWER, "--type", "small", "--region", "울릉군")
    with pytest.raises(donations.AmbiguousLibrary, match="경상북도 울릉군"):
        donations.resolve_library(ledger.conn, SUNFLOWER)
    assert donations.resolve_library(ledger.conn, f"{SUNFLOWER} (경상북도 울릉군)").region == "경상북도 울릉군"


def test_the_same_library_twice_is_refused(donor):
    result = donor("donate", "library", "add", SUNFLOWER, "--type", "small", "--region", "신안군", ok=False)
    assert result.exit_code == 1
    assert "already registered" in result.stderr


@pytest.mark.parametrize(("region", "message"), [
    ("중구", "matches 5 councils"), ("신얀군", "did you mean"),  # 인천 중구 was abolished on 2026-07-01
    ("인천 동구", "names no council that existed on 2026-11-25"),
])
def test_a_region_that_is_ambiguous_unknown_or_abolished_is_refused(cli, region, message):
    result = cli("donate", "library", "add", "새싹도서관", "--type", "small", "--region", region, ok=False)
    assert result.exit_code == 1
    assert message in result.stderr


def test_an_ineligible_library_receives_nothing_until_made_eligible(donor):
    donor("donate", "library", "edit", SUNFLOWER, "--not-eligible", "--eligibility-note", "2025년 폐관")
    result = donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "1", ok=False)
    assert "not eligible for donations (2025년 폐관)" in result.stderr
    donor("donate", "library", "edit", SUNFLOWER, "--eligible")
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "1")


def test_a_recipient_list_imports_all_or_nothing_and_again_without_change(cli, db_path, tmp_path):
    header = ["연번", "도서관명", "유형", "시도", "지역", "주소", "연락처", "추천의원", "지원대상"]
    rows = [[1, SUNFLOWER, "작은도서관", "전남", "신안군", "지도읍 1", "061-000-0000", "○○○", "Y"],
            [2, "푸른솔작은도서관", "작은도서관", "대구", "중구", "동성로 2", "", "", "Y"],
            [3, "충성병영도서관", "병영도서관", "", "강원특별자치도 화천군", "", "", "", "N"]]
    path = _xlsx(tmp_path / "recipients.xlsx", [header, *rows])
    result = cli("donate", "library", "import", str(path))
    assert "3 created, 0 changed, 0 unchanged" in result.stderr
    assert "columns not imported: 연번" in result.stderr
    listed = {r["library"]: r for r in _rows(cli("donate", "library", "list", "--format", "csv"))}
    assert listed["푸른솔작은도서관"]["region"] == "대구광역시 중구"
    assert listed["충성병영도서관"]["type"] == "military" and listed["충성병영도서관"]["eligible"] == "no"
    digest = file_hash(db_path)
    assert "0 created, 0 changed, 3 unchanged" in cli("donate", "library", "import", str(path)).stderr
    assert file_hash(db_path) == digest
    rows[0][6] = "061-111-1111"
    changed = cli("donate", "library", "import", str(_xlsx(tmp_path / "r2.xlsx", [header, *rows])))
    assert "0 created, 1 changed, 2 unchanged" in changed.stderr
    assert "(contact)" in changed.stderr


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_library_list_export_imports_back_into_another_ledger_unchanged(donor, tmp_path, fmt, monkeypatch, lang):
    """The list's region already names its province ('전라남도 신안군') and its 시도 column says it again:
    the import takes the pair as region and check, not as '전라남도 전라남도 신안군'."""
    donor("donate", "library", "add", "푸른솔작은도서관", "--type", "small", "--region", "대구 중구")
    exported = tmp_path / f"libraries.{fmt}"
    monkeypatch.setenv("NALCOOP_LANG", lang)  # the export in either language
    donor("donate", "library", "list", "-o", str(exported))
    monkeypatch.setenv("NALCOOP_LANG", "en")  # imports back whatever the language
    from .conftest import Cli

    fresh = Cli(tmp_path / "fresh.db")
    fresh("init")
    result = fresh("donate", "library", "import", str(exported))
    assert "3 created, 0 changed, 0 unchanged" in result.stderr
    listing = ["donate", "library", "list", "--format", "csv"]
    assert _rows(fresh(*listing)) == _rows(donor(*listing))
    assert "0 created, 0 changed, 3 unchanged" in fresh("donate", "library", "import", str(exported)).stderr


def test_a_province_column_that_contradicts_the_region_is_refused_by_row(cli, db_path, tmp_path):
    path = _csv(tmp_path / "recipients.csv", [["도서관명", "유형", "시도", "지역"],
                                              ["가", "작은도서관", "경상북도", "전라남도 신안군"]])
    digest = file_hash(db_path)
    result = cli("donate", "library", "import", str(path), ok=False)
    assert ("row 2, column D (지역): '전라남도 신안군': 전남광주통합특별시 신안군의회 is not in 경상북도"
            in result.stderr)
    assert file_hash(db_path) == digest


def test_add_and_edit_store_address_and_contact_alike_trimmed(cli, ledger):
    cli("donate", "library", "add", "가", "--type", "small", "--region", "신안군", "--address", "  지도읍 1  ",
        "--contact", "   ")
    library = donations.resolve_library(ledger.conn, "가")
    assert (library.address, library.contact) == ("지도읍 1", None)
    cli("donate", "library", "edit", "가", "--address", "  지도읍 2  ")
    assert donations.resolve_library(ledger.conn, "가").address == "지도읍 2"


def test_a_recipient_list_with_an_unknown_region_names_the_row_and_writes_nothing(cli, db_path, tmp_path):
    path = _csv(tmp_path / "recipients.csv", [["도서관명", "유형", "지역"], ["가", "작은도서관", "신안군"],
                                              ["나", "학교", "없는군"]], encoding="cp949")
    digest = file_hash(db_path)
    result = cli("donate", "library", "import", str(path), ok=False)
    assert "recipients.csv, row 3, column C (지역): no council is called '없는군'" in result.stderr
    assert "1 of 2 rows rejected; nothing was imported" in result.stderr
    assert file_hash(db_path) == digest


# ------------------------------------------------------------------ items and stock


@pytest.mark.parametrize("written", ["978-89-374-6044-9", "9788937460449", "89-374-6044-0", "8937460440",
                                     "ISBN 978 89 374 6044 9"])
def test_isbn_10_and_13_in_any_spelling_are_stored_as_isbn_13(written):
    assert donations.make_item(written, None, 1, "duplicate").isbn == ISBN


def test_a_wrong_check_digit_shows_the_digit_expected():
    with pytest.raises(DonationError, match="check digit should be 9, not 0"):
        donations.make_item("978-89-374-6044-0", None, 1)
    with pytest.raises(DonationError, match="check digit should be 0, not 7"):
        donations.make_item("89-374-6044-7", None, 1)


@pytest.mark.parametrize(("qty", "message"), [(0, "not a positive whole number"), (-3, "not a positive whole"),
                                              ("three", "'three' is not a whole number"), (2.5, "not a whole")])
def test_a_quantity_must_be_a_positive_whole_number(qty, message):
    with pytest.raises(DonationError, match=message):
        donations.make_item(ISBN, None, qty)


def test_a_book_needs_an_isbn_or_a_title():
    with pytest.raises(DonationError, match="needs an ISBN or, when it has none, a title"):
        donations.make_item(None, "  ", 1)


def test_the_fast_isbn_path_agrees_with_stdnum():
    """normalize_isbn checks the everyday forms inline (for speed); stdnum must agree on every one."""
    from hypothesis import given
    from hypothesis import strategies as st
    from stdnum import isbn

    from nalcoop.identifiers import IdentifierError, normalize_isbn

    thirteen = st.tuples(st.sampled_from(["978", "979", "977"]), st.text("0123456789", min_size=10, max_size=10))
    ten = st.tuples(st.text("0123456789", min_size=9, max_size=9), st.sampled_from(list("0123456789Xx")))
    numbers = st.one_of(thirteen, ten).map("".join)
    spelled = st.tuples(numbers, st.lists(st.sampled_from(["-", " "]), max_size=3), st.randoms())

    @given(spelled)
    def agree(case):
        number, separators, rng = case
        written = list(number)
        for separator in separators:
            written.insert(rng.randrange(1, len(written)), separator)
        text = "".join(written)
        try:
            ours = normalize_isbn(text)
        except IdentifierError:
            ours = None
        assert ours == (isbn.validate(text, convert=True) if isbn.is_valid(text) else None), text

    agree()


def test_a_stock_list_imports_with_korean_headers_and_is_listed_by_reason(cli, tmp_path):
    path = _xlsx(tmp_path / "duplicates-2024-03.xlsx", [
        ["2024년 3월 등록제외·중복자료 목록"], [],
        ["국제표준도서번호", "서명", "수량", "사유", "상태"],
        ["978-89-374-6044-9", "데미안", 3, "중복", "양호"],
        ["8937460440", "데미안", 2, "복본", "양호"],
        ["", "국회도서관 70년사", "10", "등록제외", ""],
        [_isbn(1), "새 책", 1, "구입", "새책"],
    ])
    result = cli("donate", "stock", "import", str(path), "--date", "2024-03-31")
    assert "header on row 3" in result.stderr
    assert "added to stock: 4 lines, 16 books (5 duplicate, 10 non-registered, 1 purchased)" in result.stderr
    duplicates = _rows(cli("donate", "stock", "list", "--reason", "duplicate", "--format", "csv"))
    assert duplicates == [{"ISBN": ISBN, "title": "데미안", "reason": "duplicate", "condition": "양호",
                           "received": "5", "drawn": "0", "on hand": "5"}]
    listed = json.loads(cli("donate", "stock", "list", "--format", "json").stdout)
    assert [(r["title"], r["reason"], r["on_hand"]) for r in listed] == [
        ("국회도서관 70년사", "non-registered", 10), ("데미안", "duplicate", 5), ("새 책", "purchased", 1)]


def test_the_same_stock_list_imported_again_adds_nothing(cli, db_path, tmp_path):
    path = _csv(tmp_path / "list.csv", [["ISBN", "title", "qty", "reason"], [ISBN, "데미안", "3", "duplicate"]])
    cli("donate", "stock", "import", str(path))
    digest = file_hash(db_path)
    again = cli("donate", "stock", "import", str(path))
    assert "already imported on 2026-11-25 (stock receipt 1, from list.csv); nothing was added" in again.stderr
    assert file_hash(db_path) == digest
    resaved = _xlsx(tmp_path / "list-resaved.xlsx", [["ISBN", "title", "qty", "reason"], [ISBN, "데미안", 3, "중복"]])
    assert "already imported" in cli("donate", "stock", "import", str(resaved)).stderr
    assert _on_hand(cli) == {(ISBN, "duplicate"): 3}


def test_a_stock_import_dry_run_writes_nothing(cli, db_path, tmp_path):
    path = _csv(tmp_path / "list.csv", [["ISBN", "서명", "qty"], [ISBN, "채식주의자", "3"]])
    digest = file_hash(db_path)
    result = cli("donate", "stock", "import", str(path), "--reason", "duplicate", "--dry-run")
    assert "dry run, nothing written — would add: 1 lines, 3 books (3 duplicate)" in result.stderr
    assert file_hash(db_path) == digest


def test_a_row_without_a_reason_needs_the_reason_option(cli, tmp_path):
    path = _csv(tmp_path / "list.csv", [["ISBN", "qty"], [ISBN, "3"]])
    result = cli("donate", "stock", "import", str(path), ok=False)
    assert "list.csv, row 2, column D" not in result.stderr
    assert "list.csv, row 2: the reason is empty" in result.stderr


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_stock_list_export_imports_back_into_another_ledger_with_hangul_intact(donor, tmp_path, db_path,
                                                                                  monkeypatch, lang):
    exported = tmp_path / "stock.csv"
    monkeypatch.setenv("NALCOOP_LANG", lang)  # the export in either language
    donor("donate", "stock", "list", "-o", str(exported))
    monkeypatch.setenv("NALCOOP_LANG", "en")  # imports back whatever the language
    other = tmp_path / "other.db"
    other.write_bytes((db_path.parent / "ledger.db").read_bytes())
    from .conftest import Cli

    fresh = Cli(tmp_path / "fresh.db")
    fresh("init")
    fresh("donate", "stock", "import", str(exported))
    assert _on_hand(fresh) == _on_hand(donor) == {(ISBN, "duplicate"): 12, ("국회도서관 70년사", "non-registered"): 20}


# ------------------------------------------------------------------ batches


def test_donate_add_opens_a_batch_numbered_by_year_and_draws_from_stock(donor):
    result = donor("donate", "add", "--library", SUNFLOWER, "--isbn", "978-89-374-6044-9", "--copies", "3", "--date",
                   "2024-05-02")
    assert "opened batch 2024-001 for 해바라기작은도서관 (전남광주통합특별시 신안군) on 2024-05-02" in result.stderr
    assert "+3 × 9788937460449 '데미안' (duplicate, 3 from stock)" in result.stderr
    donor("donate", "add", "--library", "군위교도소도서관", "--title", "국회도서관 70년사", "--copies", "5",
          "--date", "2024-05-03")
    donor("donate", "add", "--library", SUNFLOWER, "--title", "국회도서관 70년사", "--copies", "10", "--reason",
          "non-registered", "--date", "2024-05-03")
    batches = _rows(donor("donate", "list", "--format", "csv"))
    assert [(b["batch"], b["library"], b["books"], b["lines"]) for b in batches] == [
        ("2024-001", SUNFLOWER, "13", "2"), ("2024-002", "군위교도소도서관", "5", "1")]
    assert _on_hand(donor) == {(ISBN, "duplicate"): 9, ("국회도서관 70년사", "non-registered"): 5}


def test_the_same_isbn_twice_in_a_batch_merges_into_one_line(donor):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", "978-89-374-6044-9", "--copies", "3")
    merged = donor("donate", "add", "--library", SUNFLOWER, "--isbn", "89-374-6044-0", "--copies", "2")
    assert "(added to its line)" in merged.stderr
    lines = _rows(donor("donate", "batch", "show", "2026-001", "--format", "csv"))
    assert [(line["no"], line["ISBN"], line["qty"], line["from stock"]) for line in lines] == [("1", ISBN, "5", "5")]


def test_a_packed_batch_takes_no_more_books_the_next_add_opens_a_new_batch(donor):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3", "--date", "2024-05-02")
    donor("donate", "pack", "2024-001", "--date", "2024-05-08")
    result = donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "1", "--date", "2024-06-01")
    assert "opened batch 2024-002" in result.stderr


def test_drawing_more_than_the_stock_holds_is_refused_with_the_quantities(donor, ledger):
    library = donations.resolve_library(ledger.conn, SUNFLOWER)
    with pytest.raises(donations.StockShortage) as caught, ledger.command("test", "t"):
        donations.add_to_batch(ledger.conn, library, donations.make_item(ISBN, None, 40), "2024-05-02")
    assert "stock holds 12 copies of 9788937460449 '데미안' (duplicate); cannot draw 40" in str(caught.value)
    assert "add the other 28 with --outside-stock" in str(caught.value)


def test_a_book_not_in_stock_is_refused_unless_marked_outside_stock(donor):
    refused = donor("donate", "add", "--library", SUNFLOWER, "--isbn", _isbn(5), "--copies", "4", ok=False)
    assert "is not in stock" in refused.stderr and "--outside-stock" in refused.stderr
    bought = donor("donate", "add", "--library", SUNFLOWER, "--isbn", _isbn(5), "--title", "새로 산 책",
                   "--copies", "4", "--outside-stock")
    assert "(purchased, outside stock)" in bought.stderr
    lines = _rows(donor("donate", "batch", "show", "2026-001", "--format", "csv"))
    assert [(line["title"], line["reason"], line["qty"], line["from stock"]) for line in lines] == [
        ("새로 산 책", "purchased", "4", "0")]


def test_a_book_in_stock_under_two_reasons_needs_the_reason(donor):
    donor("donate", "stock", "add", "--isbn", ISBN, "--copies", "2", "--reason", "purchased")
    result = donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "1", ok=False)
    assert "is in stock as 12 duplicate, 2 purchased; give --reason" in result.stderr
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "2", "--reason", "purchased")
    assert _on_hand(donor)[(ISBN, "purchased")] == 0


def test_a_batch_goes_planned_packed_shipped_received_each_step_dated(donor):
    number = _shipped_batch(donor)
    donor("donate", "receive", number, "--date", "2024-05-14", "--note", "관장 수령")
    timeline = _rows(donor("donate", "batch", "show", number, "--timeline", "--format", "csv"))
    assert [(s["date"], s["step"], s["status"]) for s in timeline] == [
        ("2024-05-08", "plan", "planned"), ("2024-05-08", "pack", "packed"), ("2024-05-10", "ship", "shipped"),
        ("2024-05-14", "receive", "received")]
    assert timeline[2]["detail"] == "우체국택배; tracking 6070123456789"
    listed = _rows(donor("donate", "list", "--format", "csv"))[0]
    assert (listed["status"], listed["shipped"], listed["carrier"], listed["tracking"]) == (
        "received", "2024-05-10", "우체국택배", "6070123456789")


def test_the_batch_status_as_of_a_date_is_inclusive(donor):
    number = _shipped_batch(donor)
    assert _rows(donor("donate", "list", "--as-of", "2024-05-09", "--format", "csv"))[0]["status"] == "packed"
    assert _rows(donor("donate", "list", "--as-of", "2024-05-10", "--format", "csv"))[0]["status"] == "shipped"
    assert _rows(donor("donate", "list", "--as-of", "2024-05-07", "--format", "csv")) == []
    assert number == "2024-001"


@pytest.mark.parametrize(("steps", "refused", "message"), [
    ([], ("ship", "2024-05-10"), "cannot be shipped: it was never packed"),
    ([], ("receive", "2024-05-10"), "cannot be received: it was never shipped"),
    ([("cancel", "2024-05-09")], ("receive", "2024-05-14"), "was cancelled (cancelled on 2024-05-09); a cancelled "
                                                           "batch cannot be received"),
    ([("pack", "2024-05-09")], ("pack", "2024-05-10"), "is already packed"),
    ([("pack", "2024-05-09"), ("ship", "2024-05-10")], ("cancel", "2024-05-11"), "a shipped batch cannot be cancelled"),
    ([("pack", "2024-05-09")], ("ship", "2024-05-01"), "earlier than the last step"),
])
def test_steps_out_of_order_are_refused(donor, db_path, steps, refused, message):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3", "--date", "2024-05-02")
    for step, day in steps:
        donor("donate", step, "2024-001", "--date", day)
    digest = file_hash(db_path)
    result = donor("donate", refused[0], "2024-001", "--date", refused[1], ok=False)
    assert result.exit_code == 1
    assert message in result.stderr
    assert file_hash(db_path) == digest


def test_cancelling_a_batch_returns_its_books_to_stock(donor, ledger):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3", "--date", "2024-05-02")
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", _isbn(7), "--title", "새 책", "--copies", "2",
          "--outside-stock",
          "--date", "2024-05-02")
    assert _on_hand(donor)[(ISBN, "duplicate")] == 9
    result = donor("donate", "cancel", "2024-001", "--date", "2024-05-04", "--note", "휴관")
    assert "cancelled on 2024-05-04 (its books are back in stock)" in result.stderr
    assert _on_hand(donor)[(ISBN, "duplicate")] == 12
    assert donations.invariant_problems(ledger.conn) == []
    assert _rows(donor("donate", "list", "--status", "cancelled", "--format", "csv"))[0]["cancelled"] == "2024-05-04"
    # The listing's totals leave the cancelled batch out (its books went back to stock), and say so.
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "4", "--date", "2024-05-06")
    table = donor("donate", "list", "--format", "table").stdout
    assert "donation batches as of " in table and ": 1, 4 books (and 1 cancelled, not counted)" in table
    korean = donor("--lang", "ko", "donate", "list", "--format", "table").stdout
    assert "(취소 1건은 세지 않음)" in korean


def test_a_batch_above_the_target_draws_a_warning_not_a_refusal(donor, monkeypatch):
    result = donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "12", "--target", "10")
    assert "warning: batch 2026-001 holds 12 books, more than the target of 10 per site" in result.stderr
    monkeypatch.setenv("NALCOOP_DONATION_TARGET", "20")
    quiet = donor("donate", "add", "--library", SUNFLOWER, "--title", "국회도서관 70년사", "--copies", "5")
    assert "warning" not in quiet.stderr
    loud = donor("donate", "add", "--library", SUNFLOWER, "--title", "국회도서관 70년사", "--copies", "5")
    assert "more than the target of 20" in loud.stderr


def test_the_default_target_is_500_books_per_site(cli):
    cli("donate", "library", "add", "교도소도서관", "--type", "prison", "--region", "청송군")
    cli("donate", "stock", "add", "--title", "기증도서", "--copies", "501", "--reason", "duplicate")
    assert "warning" not in cli("donate", "add", "--library", "교도소", "--title", "기증도서", "--copies", "500").stderr
    assert "more than the target of 500" in cli("donate", "add", "--library", "교도소", "--title", "기증도서",
                                               "--copies", "1").stderr


def test_a_list_of_books_goes_into_a_batch_in_one_command(donor, tmp_path):
    path = _xlsx(tmp_path / "pick.xlsx", [["ISBN", "서명", "수량"], [ISBN, "데미안", 4],
                                          ["", "국회도서관 70년사", 6], [ISBN, "", 1]])
    result = donor("donate", "add", "--library", SUNFLOWER, "--import", str(path), "--date", "2024-05-02")
    assert "batch 2024-001: +11 books from 3 rows of pick.xlsx" in result.stderr
    lines = _rows(donor("donate", "batch", "show", "2024-001", "--format", "csv"))
    assert [(line["title"], line["qty"]) for line in lines] == [("데미안", "5"), ("국회도서관 70년사", "6")]  # as added


def test_a_list_asking_more_than_the_stock_names_the_row_and_writes_nothing(donor, db_path, tmp_path):
    path = _csv(tmp_path / "pick.csv", [["ISBN", "qty"], [ISBN, "10"], [ISBN, "3"]])
    digest = file_hash(db_path)
    result = donor("donate", "add", "--library", SUNFLOWER, "--import", str(path), ok=False)
    assert "pick.csv, row 3, column B (qty): '3': stock holds 2 copies of 9788937460449 '데미안' (duplicate); " \
           "cannot draw 3" in result.stderr
    assert "1 of 2 rows rejected; nothing was imported" in result.stderr
    assert file_hash(db_path) == digest


def test_the_packing_list_in_csv_goes_back_in_as_a_list_for_another_batch(donor, tmp_path):
    donor("donate", "stock", "add", "--isbn", ISBN, "--copies", "10", "--reason", "duplicate")
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3")
    donor("donate", "add", "--library", SUNFLOWER, "--title", "국회도서관 70년사", "--copies", "5")
    exported = tmp_path / "packing.csv"
    donor("donate", "packing-list", "2026-001", "-o", str(exported))
    donor("donate", "add", "--library", "군위교도소", "--import", str(exported))
    first = _rows(donor("donate", "batch", "show", "2026-001", "--format", "csv"))
    second = _rows(donor("donate", "batch", "show", "2026-002", "--format", "csv"))
    assert [(r["title"], r["reason"], r["qty"]) for r in first] == [(r["title"], r["reason"], r["qty"]) for r in second]


def test_batch_show_on_a_terminal_shows_books_totals_and_timeline(donor):
    _shipped_batch(donor)
    shown = donor("donate", "batch", "show", "2024-1", "--format", "table").stdout
    flat = " ".join(shown.split())  # the longer region since 2026-07-01 wraps the title line
    assert "batch 2024-001 → 해바라기작은도서관 (전남광주통합특별시 신안군): shipped since 2024-05-10" in flat
    assert "total: 1 title" in shown
    assert "timeline" in shown and "우체국택배" in shown


# ------------------------------------------------------------------ packing list


def test_the_packing_list_workbook_is_printable_on_a4_and_never_holds_a_formula(donor, tmp_path):
    donor("donate", "stock", "add", "--title", "=HYPERLINK(\"http://evil\",\"클릭\")", "--copies", "2", "--reason",
          "other")
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3")
    donor("donate", "add", "--library", SUNFLOWER, "--title", "=HYPERLINK(\"http://evil\",\"클릭\")", "--copies", "2")
    donor("donate", "add", "--library", SUNFLOWER, "--title", "국회도서관 70년사", "--copies", "10")
    out = tmp_path / "packing.xlsx"
    result = donor("donate", "packing-list", "2026-001", "-o", str(out))
    assert "(3 lines, 15 books)" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    sheet = load_workbook(out).active
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(values, start=1) if row[:2] == ["no", "ISBN"])
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    block = {row[0]: row[1] for row in values[:header_row] if row[0]}
    assert block["Receiving library"] == SUNFLOWER
    assert block["Address"] == "전라남도 신안군 지도읍 1"
    lines = values[header_row:header_row + 3]
    assert [line[0] for line in lines] == [1, 2, 3]
    assert lines[1][2] == "=HYPERLINK(\"http://evil\",\"클릭\")"  # the lines in the order they were added
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    total = values[header_row + 3]
    assert total[0] == "Total" and total[2] == "3 titles" and total[7] == 15  # qty after author, publisher
    assert any(row[0] == "Received by (signature)" for row in values)


def test_the_packing_list_in_a_pipe_is_the_numbered_lines(donor):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3")
    donor("donate", "add", "--library", SUNFLOWER, "--title", "국회도서관 70년사", "--copies", "10")
    lines = _rows(donor("donate", "packing-list", "2026-001"))
    assert [(r["no"], r["title"], r["qty"]) for r in lines] == [("1", "데미안", "3"), ("2", "국회도서관 70년사", "10")]
    table = donor("donate", "packing-list", "2026-001", "--format", "table").stdout
    assert "Receiving library: 해바라기작은도서관" in table and "received by:" in table and "total: 2 titles" in table


# ------------------------------------------------------------------ statistics


def _donation_year(cli) -> None:
    cli("donate", "library", "add", "세종작은도서관", "--type", "small", "--region", "세종")
    cli("donate", "stock", "add", "--title", "기증도서", "--copies", "1000", "--reason", "duplicate",
        "--date", "2022-01-01")
    for library, day, qty in [(SUNFLOWER, "2022-05-02", "100"), ("군위교도소", "2022-06-02", "200"),
                              ("세종", "2023-08-02", "50"), ("군위교도소", "2023-09-02", "200"),
                              (SUNFLOWER, "2023-10-02", "30")]:
        cli("donate", "add", "--library", library, "--title", "기증도서", "--copies", qty, "--date", day)
        number = _rows(cli("donate", "list", "--format", "csv", "--status", "planned"))[0]["batch"]
        cli("donate", "pack", number, "--date", day)
        cli("donate", "ship", number, "--date", day)
    cli("donate", "add", "--library", SUNFLOWER, "--title", "국회도서관 70년사", "--copies", "7", "--date",
        "2023-11-01")


def _stats(cli, *args) -> list[tuple]:
    return [(r["by"], r["group"], int(r["batches"]), int(r["books"]), int(r["sites"]))
            for r in _rows(cli("stats", "donations", *args, "--format", "csv"))]


def test_stats_by_year_count_books_batches_and_distinct_sites(donor):
    _donation_year(donor)
    assert _stats(donor, "--by", "year") == [
        ("total", "total", 5, 580, 3), ("year", "2022", 2, 300, 2), ("year", "2023", 3, 280, 3)]


def test_stats_over_a_period_by_province_group_regions_as_of_the_last_day(donor):
    _donation_year(donor)
    assert _stats(donor, "--from", "2022-01-01", "--to", "2022-12-31", "--by", "province") == [
        ("total", "total", 2, 300, 2), ("province", "전라남도", 1, 100, 1), ("province", "경상북도", 1, 200, 1)]
    assert _stats(donor, "--from", "2022-01-01", "--to", "2023-12-31", "--by", "province") == [
        ("total", "total", 5, 580, 3), ("province", "대구광역시", 2, 400, 1), ("province", "세종특별자치시", 1, 50, 1),
        ("province", "전라남도", 2, 130, 1)]


def test_stats_as_of_a_date_count_what_was_shipped_by_its_end(donor):
    _donation_year(donor)
    assert _stats(donor, "--as-of", "2023-08-02", "--by", "type") == [
        ("total", "total", 3, 350, 3), ("type", "small", 2, 150, 2), ("type", "prison", 1, 200, 1)]
    assert _stats(donor, "--as-of", "2023-08-01", "--by", "region") == [
        ("total", "total", 2, 300, 2), ("region", "대구광역시 군위군", 1, 200, 1),
        ("region", "전라남도 신안군", 1, 100, 1)]


def test_stats_by_reason_and_by_library(donor):
    _donation_year(donor)
    donor("donate", "stock", "add", "--isbn", ISBN, "--copies", "5", "--reason", "purchased")
    donor("donate", "add", "--library", "세종", "--isbn", ISBN, "--copies", "3", "--reason", "purchased",
          "--date", "2024-01-02")
    donor("donate", "pack", "2024-001", "--date", "2024-01-03")
    donor("donate", "ship", "2024-001", "--date", "2024-01-04")
    assert _stats(donor, "--from", "2024-01-01", "--to", "2024-12-31", "--by", "reason") == [
        ("total", "total", 1, 3, 1), ("reason", "purchased", 1, 3, 1)]
    by_library = _stats(donor, "--by", "library")
    assert by_library[0] == ("total", "total", 6, 583, 3)
    assert ("library", "세종작은도서관 (세종특별자치시)", 2, 53, 1) in by_library


def test_stats_refuse_an_unknown_grouping_and_mixed_periods(donor):
    refused = donor("stats", "donations", "--by", "colour", ok=False)
    assert "--by: donations have no 'colour'; they can be grouped by year, month" in refused.stderr
    mixed = donor("stats", "donations", "--as-of", "2024-01-01", "--from", "2023-01-01", ok=False)
    assert "either --as-of or --year/--from/--to" in mixed.stderr


# ------------------------------------------------------------------ journal and undo


def _donation_state(db_path: Path) -> dict:
    conn = sqlite3.connect(db_path)
    tables = [name for (name,) in conn.execute(
        "select name from sqlite_master where type = 'table' and name like 'donation%' order by name")]
    return {table: conn.execute(f"select * from {table} order by 1, 2").fetchall() for table in tables}


UNDOABLE = {
    "library add": ([], ["donate", "library", "add", "새싹도서관", "--type", "school", "--region", "울릉군"]),
    "library edit": ([], ["donate", "library", "edit", SUNFLOWER, "--contact", "이사서", "--type", "public"]),
    "stock add": ([], ["donate", "stock", "add", "--isbn", ISBN, "--copies", "3", "--reason", "duplicate"]),
    "add": ([], ["donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3"]),
    "add merging": ([["donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3"]],
                    ["donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "2"]),
    "pack": ([["donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3"]],
             ["donate", "pack", "2026-001", "--date", "2026-11-25"]),
    "ship": ([["donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3"],
              ["donate", "pack", "2026-001", "--date", "2026-11-25"]],
             ["donate", "ship", "2026-001", "--date", "2026-11-25", "--tracking", "1"]),
    "receive": ([["donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3"],
                 ["donate", "pack", "2026-001", "--date", "2026-11-25"],
                 ["donate", "ship", "2026-001", "--date", "2026-11-25"]],
                ["donate", "receive", "2026-001", "--date", "2026-11-25"]),
    "cancel": ([["donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3"]],
               ["donate", "cancel", "2026-001", "--date", "2026-11-25"]),
}


@pytest.mark.parametrize("name", list(UNDOABLE))
def test_every_donate_command_is_journaled_and_undone_exactly(donor, db_path, name):
    setup, command = UNDOABLE[name]
    for args in setup:
        donor(*args)
    before = _donation_state(db_path)
    donor("--author", "김사서", *command)
    after = _donation_state(db_path)
    assert after != before
    last = sqlite3.connect(db_path).execute("select by, command from journal_commands order by id desc").fetchone()
    assert last[0] == "김사서" and command[1] in last[1]
    donor("--author", "김사서", "undo")
    assert _donation_state(db_path) == before
    donor("--author", "김사서", "redo")
    assert _donation_state(db_path) == after


@pytest.mark.parametrize("kind", ["stock import", "library import", "add --file"])
def test_imports_are_undone_and_redone_whole(donor, db_path, tmp_path, kind):
    if kind == "stock import":
        rows = [["ISBN", "서명", "수량", "사유"]] + [[_isbn(n), f"책 {n}", n % 4 + 1, "중복"] for n in range(300)]
        command = ["donate", "stock", "import", str(_xlsx(tmp_path / "list.xlsx", rows))]
    elif kind == "library import":
        rows = [["도서관명", "유형", "지역"], ["가", "작은", "신안군"], [SUNFLOWER, "공공", "신안군"]]
        command = ["donate", "library", "import", str(_xlsx(tmp_path / "libs.xlsx", rows))]
    else:
        rows = [["ISBN", "수량"], [ISBN, 2], [ISBN, 3]]
        command = ["donate", "add", "--library", SUNFLOWER, "--import", str(_xlsx(tmp_path / "pick.xlsx", rows))]
    before = _donation_state(db_path)
    donor(*command)
    after = _donation_state(db_path)
    donor("undo")
    assert _donation_state(db_path) == before
    donor("redo")
    assert _donation_state(db_path) == after


def test_a_stock_import_of_many_lines_is_one_journaled_row(cli, db_path, tmp_path):
    rows = [["ISBN", "서명", "수량", "사유"]] + [[_isbn(n), f"책 {n}", 1, "중복"] for n in range(2000)]
    cli("donate", "stock", "import", str(_csv(tmp_path / "big.csv", rows)))
    history = _rows(cli("history", "--limit", "1", "--format", "csv"))[0]
    assert history["summary"] == "donation_stock_receipts insert 1"
    assert sum(_on_hand(cli).values()) == 2000


def test_undoing_a_stock_receipt_whose_books_were_drawn_is_refused(donor, db_path):
    donor("donate", "add", "--library", SUNFLOWER, "--title", "국회도서관 70년사", "--copies", "15")
    stock_command = sqlite3.connect(db_path).execute(
        "select id from journal_commands where command like '%70년사%--reason%'").fetchone()[0]
    digest = file_hash(db_path)
    result = donor("undo", str(stock_command), ok=False)
    assert f"cannot undo command {stock_command}" in result.stderr
    assert file_hash(db_path) == digest


def test_undoing_a_pack_after_shipping_is_refused(donor):
    number = _shipped_batch(donor)
    pack = _rows(donor("history", "--format", "csv", "--table", "donation_batch_events"))[1]
    assert "pack" in pack["command"]
    result = donor("undo", pack["id"], ok=False)
    assert "was changed since by command" in result.stderr
    assert number == "2024-001"


# ------------------------------------------------------------------ invariants (for `nalcoop check`)


def _tamper(db_path: Path, *statements: str) -> sqlite3.Connection:
    """Write behind nalcoop's back: with the journal's guard satisfied and the ledger's own triggers dropped."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.create_function("nalcoop_command", 0, lambda: 0)
    for statement in statements:
        conn.execute(statement)
    return conn


def test_a_sound_ledger_has_no_donation_problems(donor, ledger, db_path):
    _shipped_batch(donor)
    donor("donate", "add", "--library", "군위교도소", "--title", "국회도서관 70년사", "--copies", "5")
    donor("donate", "cancel", "2026-001", "--date", "2026-11-25")
    assert donations.invariant_problems(sqlite3.connect(db_path)) == []


def test_negative_stock_is_reported(donor, db_path):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3")
    conn = _tamper(db_path, "drop trigger donation_stock_moves_not_negative",
                   "update donation_stock_moves set qty = -30")
    problems = donations.invariant_problems(conn)
    assert "stock of 9788937460449 (duplicate) is -18: more copies were drawn than were received" in problems
    assert "batch 2026-001, line 1: 30 copies drawn from stock for a line of 3" in problems


def test_a_batch_shipped_without_being_packed_is_reported(donor, db_path):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3", "--date", "2024-05-02")
    conn = _tamper(db_path, "insert into donation_batch_events (batch_id, step, on_date, status_after) "
                            "values (1, 'ship', '2024-05-03', 'shipped')",
                   "update donation_batches set status = 'shipped'")
    assert donations.invariant_problems(conn) == [
        "batch 2024-001: step ship on 2024-05-03 follows status planned; the steps go planned → packed → shipped → "
        "received, or cancelled before shipping"]


def test_a_cancelled_batch_that_kept_its_books_is_reported(donor, db_path):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3", "--date", "2024-05-02")
    donor("donate", "cancel", "2024-001", "--date", "2024-05-03")
    conn = _tamper(db_path, "drop trigger donation_stock_moves_return_kept",
                   "delete from donation_stock_moves where kind = 'return'")
    assert donations.invariant_problems(conn) == ["batch 2024-001 is cancelled but line 1 has 3 copies not returned "
                                                  "to stock"]


def test_stock_lines_that_disagree_with_their_receipt_are_reported(donor, db_path):
    conn = _tamper(db_path, "delete from donation_stock_lines where title = '데미안'")
    assert donations.invariant_problems(conn) == [
        "stock receipt 1 records 1 lines and 12 books, but its indexed lines hold 0 lines and 0 books"]


def test_a_batch_total_that_disagrees_with_its_lines_and_a_zero_quantity_are_reported(donor, db_path):
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3", "--outside-stock",
          "--date", "2024-05-02")
    conn = _tamper(db_path, "pragma ignore_check_constraints = on", "update donation_batch_items set qty = 0")
    assert donations.invariant_problems(conn) == ["batch 2024-001 records 3 books, but its lines hold 0",
                                                  "batch 2024-001, line 1: quantity 0 (quantities are 1 or more)"]


def test_the_ledger_itself_refuses_a_draw_beyond_the_stock(donor, ledger):
    """The trigger is the last guard, behind the check with the friendly message."""
    donor("donate", "add", "--library", SUNFLOWER, "--isbn", ISBN, "--copies", "3")
    with pytest.raises(sqlite3.IntegrityError, match="stock would go below zero"), ledger.command("t", "t"):
        ledger.conn.execute("insert into donation_stock_moves (item_key, reason, qty, kind, on_date, batch_item_id) "
                            "values (?, 'duplicate', -10, 'draw', '2026-11-25', 1)", [ISBN])


# ---------------------------------------------------------------- names keyed alike (issue 16, migration 0009)

STARLIGHT = "『별빛』작은도서관"  # a name with 『』: schema 8's donations key kept them, names.name_key drops them
STARLIGHT_OLD_KEY = "『별빛』작은도서관"
SINAN = 202  # 전라남도 신안군 (전남광주통합특별시 신안군 from 2026-07-01) in the fixtures


def _v8_ledger_holding(path: Path, libraries: list[tuple[str, str]], orgs: list[tuple[str, str]] = ()) -> Path:
    """The schema-8 fixture with libraries (name, key) and network organizations keyed as nalcoop before
    schema 9 keyed them, written as a journaled command of that time (the triggers refuse anything else)."""
    from nalcoop.ledger.store import Ledger

    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript((Path(__file__).parent / "fixtures" / "ledger-v8.sql").read_text(encoding="utf-8"))
    conn.row_factory = sqlite3.Row
    old = Ledger(path, conn)  # no migration: the ledger stays at schema 8
    with old.command("nalcoop donate library add (as schema 8 keyed it)", "fixture"):
        for name, key in libraries:
            conn.execute("insert into donation_libraries (name, name_key, type, council_id) values (?, ?, 'small', ?)",
                         [name, key, SINAN])
        for name, key in orgs:
            conn.execute("insert into network_orgs (name, name_key, type) values (?, ?, 'library')", [name, key])
    conn.close()
    return path


def _keys(path: Path, table: str = "donation_libraries") -> dict[str, str]:
    conn = sqlite3.connect(path)
    keys = dict(conn.execute(f"select name, name_key from {table}").fetchall())  # noqa: S608 (a test's table)
    conn.close()
    return keys


def test_library_names_key_as_names_do_everywhere():
    from nalcoop import names

    assert donations.name_key is names.name_key
    assert donations.name_key(STARLIGHT) == donations.name_key("별빛 작은도서관") == "별빛작은도서관"
    assert donations.name_key("STRASSE Library") == donations.name_key("Straße library")  # casefold, not lower
    # A book without an ISBN keeps the key it was received under: stock receipts never change.
    assert donations.item_key(None, "『국회도서관 70년사』") == "title:『국회도서관70년사』"


def test_a_library_is_found_and_recognised_by_a_name_written_with_brackets_or_another_case(ledger):
    with ledger.command("test", "t") as _:
        donations.add_library(ledger.conn, "Starlight 작은도서관", "small", "신안군", "2024-01-01")
        with pytest.raises(DonationError, match="already registered"):
            donations.add_library(ledger.conn, "『STARLIGHT』작은도서관", "small", "신안군", "2024-01-01")
    for text in ("『Starlight』 작은도서관", "STARLIGHT작은도서관", "starlight 작은 도서관"):
        assert donations.resolve_library(ledger.conn, text).name == "Starlight 작은도서관"


def test_rekey_makes_an_old_key_the_key_names_give_and_keeps_colliding_rows(ledger):
    from nalcoop import names

    with ledger.command("test", "t"):
        first = donations.add_library(ledger.conn, "별빛작은도서관", "small", "신안군", "2024-01-01")
        second = donations.add_library(ledger.conn, "달빛작은도서관", "small", "신안군", "2024-01-01")
        # As schema 8 keyed them: one with 『』 kept, one that now collides with the first.
        ledger.conn.execute("update donation_libraries set name = ?, name_key = ? where id = ?",
                            ["『달빛』작은도서관", "『달빛』작은도서관", second.id])
        third = ledger.conn.execute("insert into donation_libraries (name, name_key, type, council_id) "
                                    "values ('『별빛』작은도서관', '『별빛』작은도서관', 'small', ?)",
                                    [first.council_id]).lastrowid
    with ledger.command("rekey", "t"):
        changed, kept = names.rekey(ledger.conn, "donation_libraries", "name_key", "name", ("council_id",))
    assert changed == 1
    assert kept == [(third, "『별빛』작은도서관", first.id, "별빛작은도서관")]
    assert _keys(ledger.path) == {"별빛작은도서관": "별빛작은도서관", "『달빛』작은도서관": "달빛작은도서관",
                                  "『별빛』작은도서관": "『별빛』작은도서관"}
    # Both kept are found: by the name written exactly as stored, or refused as ambiguous with both.
    assert donations.resolve_library(ledger.conn, "『별빛』작은도서관").id == third
    assert donations.resolve_library(ledger.conn, "별빛작은도서관").id == first.id
    with pytest.raises(donations.AmbiguousLibrary, match="matches 2 libraries"):
        donations.resolve_library(ledger.conn, "별빛 작은도서관")
    with ledger.command("rekey again", "t"):  # a second run changes nothing (and journals nothing)
        assert names.rekey(ledger.conn, "donation_libraries", "name_key", "name", ("council_id",))[0] == 0


def test_rekey_moves_a_row_once_the_key_it_needs_is_freed(ledger):
    """Two stale keys where one row's new key is the other's old one: order does not matter."""
    from nalcoop import names

    with ledger.command("test", "t"):
        ledger.conn.executemany("insert into donation_libraries (name, name_key, type, council_id) "
                                "values (?, ?, 'small', ?)",
                                [("『가』도서관", "나도서관", SINAN), ("나도서관", "x", SINAN)])
    with ledger.command("rekey", "t"):
        assert names.rekey(ledger.conn, "donation_libraries", "name_key", "name", ("council_id",)) == (2, [])
    assert _keys(ledger.path) == {"『가』도서관": "가도서관", "나도서관": "나도서관"}


def test_a_library_added_before_the_upgrade_is_recognised_after_it_however_spelled(tmp_path):
    import unicodedata

    from nalcoop.ledger.migrations import SCHEMA_VERSION

    from .conftest import Cli

    decomposed = unicodedata.normalize("NFD", "바다도서관협회")  # as a Mac typed it before nalcoop composed text
    path = _v8_ledger_holding(tmp_path / "ledger.db", [(STARLIGHT, STARLIGHT_OLD_KEY)],
                              orgs=[(decomposed, decomposed)])
    cli = Cli(path)
    first = cli("donate", "library", "list", "--format", "csv")
    assert "2 stored keys of names brought in line" in first.stderr
    assert _keys(path)[STARLIGHT] == "별빛작은도서관"
    assert _keys(path, "network_orgs")[decomposed] == "바다도서관협회"
    history = _rows(cli("history", "--limit", "1", "--format", "csv"))
    assert history[0]["command"] == f"nalcoop rekey names (on the upgrade from schema 8 to {SCHEMA_VERSION})"
    # Found and recognised by the ways names.name_key allows: without 『』, with spaces.
    added = cli("donate", "add", "--library", "별빛 작은도서관", "--isbn", ISBN, "--title", "데미안", "--copies", "2",
                "--outside-stock", "--date", "2026-08-01")
    assert "『별빛』작은도서관" in added.stderr
    again = cli("donate", "library", "add", "별빛작은도서관", "--type", "small", "--region", "신안군", ok=False)
    assert again.exit_code == 1
    assert "『별빛』작은도서관 (전남광주통합특별시 신안군) is already registered" in again.stderr
    assert "already" in cli("network", "org", "add", "바다 도서관 협회", "--type", "library", ok=False).stderr
    checked = cli("check")
    assert checked.exit_code == 0
    assert "note:" not in cli("donate", "library", "list").stderr  # once, on the upgrade


def test_two_libraries_whose_keys_collide_after_the_upgrade_are_both_kept_and_named(tmp_path):
    from .conftest import Cli

    path = _v8_ledger_holding(tmp_path / "ledger.db", [("별빛작은도서관", "별빛작은도서관"),
                                                       (STARLIGHT, STARLIGHT_OLD_KEY)])
    cli = Cli(path)
    first = cli("donate", "library", "list", "--format", "csv")
    assert ("note: the recipient library '『별빛』작은도서관' (row 4) keeps its old key: '별빛작은도서관' (row 3) has "
            "the key it would get") in first.stderr
    assert "rename one of them with `nalcoop donate library edit`" in first.stderr
    assert [row["library"] for row in _rows(first)].count("별빛작은도서관") == 1
    assert len(_rows(first)) == 4  # the fixture's two and both of these
    assert _keys(path) == {"해바라기작은도서관": "해바라기작은도서관", '=HYPERLINK("x")도서관': "=hyperlinkx도서관",
                           "별빛작은도서관": "별빛작은도서관", STARLIGHT: STARLIGHT_OLD_KEY}
    assert "matches 2 libraries" in cli("donate", "add", "--library", "별빛 작은도서관", "--isbn", ISBN, "--title",
                                        "데미안",
                                        "--copies", "1", "--outside-stock", ok=False).stderr
    # The one written exactly as stored can be renamed, after which both are keyed as names are.
    cli("donate", "library", "edit", STARLIGHT, "--name", "『별빛』분관")
    assert _keys(path)["『별빛』분관"] == "별빛분관"
    assert cli("check").exit_code == 0


def test_a_batch_s_headline_and_shipping_detail_are_said_in_the_run_s_language(donor):
    number = _shipped_batch(donor)
    donor("donate", "receive", number, "--date", "2024-05-14")
    korean = donor("--lang", "ko", "donate", "batch", "show", number, "--timeline", "--format", "table").stdout
    assert f"기증 묶음 {number} → {SUNFLOWER}" in korean and "2024-05-14부터 수령 · 1줄, 3권" in korean
    assert "우체국택배; 송장 번호 6070123456789" in korean
    assert "since" not in korean and "tracking" not in korean
    english = donor("--lang", "en", "donate", "batch", "show", number, "--timeline", "--format", "table").stdout
    assert "received since 2024-05-14 · 1 line, 3 books" in english
    assert "우체국택배; tracking 6070123456789" in english
    as_json = json.loads(donor("--lang", "ko", "donate", "batch", "show", number, "--timeline", "--format",
                               "json").stdout)
    assert [step["status"] for step in as_json] == ["planned", "packed", "shipped", "received"]


def test_the_packing_list_keeps_the_order_the_lines_were_added_in(donor, tmp_path, ledger):
    """A list of 자료 1 … 자료 20 was packed as 자료 1, 자료 10 … 자료 19, 자료 2: the lines were sorted by the text
    of their titles. They keep the order of the list."""
    titles = [f"자료 {n}" for n in range(1, 21)]
    path = _xlsx(tmp_path / "list.xlsx", [["서명", "수량"], *([title, 1] for title in titles)])
    donor("donate", "add", "--library", SUNFLOWER, "--import", str(path), "--outside-stock", "--date", "2024-05-02")
    packed = _rows(donor("donate", "packing-list", "2024-001", "--format", "csv"))
    assert [line["title"] for line in packed if line["no"].isdigit()] == titles
    assert [line["no"] for line in packed][:3] == ["1", "2", "3"]
    from nalcoop import donations

    batch = donations.find_batch(ledger.conn, "2024-001")
    assert [line["title"] for line in donations.batch_items(ledger.conn, batch["id"])] == titles

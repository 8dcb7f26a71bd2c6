"""Fuzzing (issue 3): Hypothesis throws random cells, date spellings, encodings, very long strings,
NUL bytes, formulas, empty rows and duplicated headers at the importer, and random text and values
at the date and name parsers. Never a traceback: always a clean import, or a clean rejection with
nothing written. How many examples each property ran is printed under "nalcoop figures" (fuzz)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import sqlite3
import tempfile
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from typer.testing import CliRunner

from nalcoop import donations, registry
from nalcoop.cli import app
from nalcoop.dates import DateError, parse_date
from nalcoop.identifiers import normalize_isbn
from nalcoop.importer import ImportFileError, ReadResult, load_map, normalize_header, read_table
from nalcoop.ledger.store import Ledger
from nalcoop.names import nfc

from .conftest import file_hash
from .profiles import share

# ------------------------------------------------------------------ counting examples

_EXAMPLES: Counter[str] = Counter()  # property -> examples its body ran
_OUTCOMES: dict[str, Counter[str]] = {}  # property -> how its examples ended
_CHECKED: Counter[str] = Counter()  # exhaustive checks (not random examples) -> cases


@pytest.fixture(scope="module", autouse=True)
def _report_examples(figures):
    """After the module, the examples each property really ran go to the suite's figures."""
    yield
    for name, count in sorted(_EXAMPLES.items()):
        outcomes = ", ".join(f"{outcome} {n}" for outcome, n in _OUTCOMES[name].most_common())
        figures.record("fuzz", f"{name} examples", f"{count} ({outcomes})")
    if _EXAMPLES:
        figures.record("fuzz", "examples tried, all properties", sum(_EXAMPLES.values()))
    for name, count in sorted(_CHECKED.items()):
        figures.record("fuzz", f"{name} checked", count)


def _ran(name: str, outcome: str = "passed") -> None:
    _EXAMPLES[name] += 1
    _OUTCOMES.setdefault(name, Counter())[outcome] += 1
    event(outcome)


# ------------------------------------------------------------------ shared strategies

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)  # any Unicode but lone surrogates
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)


def _long(alphabet: st.SearchStrategy[str], low: int = 1_000, high: int = 40_000) -> st.SearchStrategy[str]:
    """A very long string, built by repetition (Hypothesis cannot draw 40,000 characters one by one)."""
    return st.builds(lambda piece, n: (piece * n)[:n], st.text(alphabet, min_size=1, max_size=8),
                     st.integers(low, high))


# ------------------------------------------------------------------ dates

EXCEL_EPOCH = dt.date(1899, 12, 30)

SPELLINGS = {  # every accepted way of writing a date, as the docs list them
    "iso": lambda d: d.isoformat(),
    "iso with time": lambda d: f"{d.isoformat()} 10:30:00",
    "iso T": lambda d: f"{d.isoformat()}T09:05",
    "dotted": lambda d: f"{d.year}. {d.month}. {d.day}.",
    "dotted tight": lambda d: f"{d.year}.{d.month}.{d.day}",
    "dotted padded": lambda d: f"{d.year}.{d.month:02}.{d.day:02}.",
    "slashes": lambda d: f"{d.year}/{d.month}/{d.day}",
    "words": lambda d: f"{d.year}년 {d.month}월 {d.day}일",
    "words tight": lambda d: f"{d.year}년{d.month}월{d.day}일",
    "words no 일": lambda d: f"{d.year}년 {d.month}월 {d.day}",
    "compact": lambda d: f"{d:%Y%m%d}",
    "spaced": lambda d: f"  {d.isoformat()}\t",
}
VALUE_SPELLINGS = {  # what a spreadsheet cell may hold instead of text
    "date": lambda d: d,
    "datetime": lambda d: dt.datetime(d.year, d.month, d.day, 14, 45, 7),
    "compact int": lambda d: int(f"{d:%Y%m%d}"),
    "compact float": lambda d: float(f"{d:%Y%m%d}"),
    "serial": lambda d: (d - EXCEL_EPOCH).days,
    "serial with time": lambda d: (d - EXCEL_EPOCH).days + 0.6,
}

DATE_CHARS = st.one_of(st.sampled_from(list("0123456789012345678901234.-/ 년월일T:\t\n\x00")), st.characters())
MONTHS = st.one_of(st.integers(0, 13), st.integers(0, 99))  # mostly near the real ones
DAYS = st.one_of(st.integers(27, 32), st.integers(0, 99))
DATEISH = st.builds(  # the accepted shapes and some near misses, with numbers that may be out of range
    lambda y, m, d, how: how.format(y=y, m=m, d=d),
    st.one_of(st.integers(0, 99999), st.sampled_from([0, 1, 1899, 1900, 9999, 10000])), MONTHS, DAYS,
    st.sampled_from(["{y:04}-{m:02}-{d:02}", "{y}-{m}-{d}", "{y}. {m}. {d}.", "{y}년 {m}월 {d}일", "{y:04}{m:02}{d:02}",
                     "{y}/{m}/{d}", "{y:04}-{m:02}-{d:02} 25:99", "{y}..{m}.{d}", "{y}년{m}월", "{y}-{m}-{d}."]),
)
ACCEPTED_SHAPES = ["{y:04}-{m:02}-{d:02}", "{y:04}-{m}-{d}", "{y:04}-{m:02}-{d:02}T10:30", "{y:04}. {m}. {d}.",
                   "{y:04}.{m}.{d}", "{y:04}/{m}/{d}", "{y:04}년 {m}월 {d}일", "{y:04}년{m}월{d}", "{y:04}{m:02}{d:02}"]
DATE_TEXT = st.one_of(ANY_TEXT, st.text(DATE_CHARS, max_size=24), DATEISH, _long(DATE_CHARS, 100, 20_000),
                      st.builds(lambda d, how: SPELLINGS[how](d), st.dates(), st.sampled_from(sorted(SPELLINGS))))


def _check_parsed(text: str) -> dt.date | None:
    """parse_date on text: a real date whose numbers are the text's own, or DateError; nothing else."""
    try:
        result = parse_date(text)
    except DateError as exc:
        assert str(exc), "a DateError must say why"
        return None
    assert type(result) is dt.date, repr(result)
    assert parse_date(result.isoformat()) == result
    numbers = [int(part) for part in re.findall(r"\d+", text)]
    compact = result.year * 10_000 + result.month * 100 + result.day
    assert numbers[:3] == [result.year, result.month, result.day] or numbers == [compact], (text, result)
    return result


@given(DATE_TEXT)
def test_parse_date_gives_a_date_or_a_date_error_for_any_text(text):
    _ran("parse_date on text", "date" if _check_parsed(text) else "DateError")


@given(st.one_of(st.integers(0, 9999), st.integers(1899, 2101)), MONTHS, DAYS, st.sampled_from(ACCEPTED_SHAPES))
def test_a_date_in_an_accepted_shape_parses_exactly_when_it_is_real(year, month, day, shape):
    """Year, month and day in an accepted shape: that date if the calendar has it (leap years, month
    lengths, no year 0), else DateError."""
    text = shape.format(y=year, m=month, d=day)
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    try:
        parsed = parse_date(text)
    except DateError:
        parsed = None
    _ran("parse_date on date-shaped text", "date" if real else "DateError")
    assert parsed == real, text


def _expected_from_number(number: int | float) -> dt.date | None:
    """What a number means as a date, worked out independently: YYYYMMDD or an Excel serial day."""
    if isinstance(number, float) and number != number or number in (float("inf"), float("-inf")):
        return None
    if number == int(number) and 10_000_000 <= number <= 99_991_231:
        whole = int(number)
        try:
            return dt.date(whole // 10_000, whole // 100 % 100, whole % 100)
        except ValueError:
            return None
    if 20_000 <= number <= 80_000:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(10**400), 10**400), st.integers(10_000_000, 99_991_231),
    st.integers(19_990, 80_010), st.floats(), st.floats(19_990, 80_010), st.datetimes(), st.dates(), st.times(),
    st.decimals(allow_nan=False), st.binary(max_size=10), st.complex_numbers(), ANY_TEXT,
)


@given(ANY_VALUE)
def test_parse_date_on_any_value_a_cell_may_hold(value):
    """Values the importer hands over (numbers, booleans, dates, times, None...): the right date or DateError."""
    try:
        result = parse_date(value)
    except DateError as exc:
        assert str(exc)
        result = None
    _ran("parse_date on values", "date" if result else "DateError")
    if isinstance(value, dt.datetime):
        assert result == value.date() and type(result) is dt.date
    elif isinstance(value, dt.date):
        assert result == value
    elif isinstance(value, bool) or value is None:
        assert result is None
    elif isinstance(value, (int, float)):
        assert result == _expected_from_number(value), value
    elif result is not None:
        assert type(result) is dt.date
        assert _check_parsed(str(value)) == result


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.sampled_from(sorted(SPELLINGS)))
def test_every_accepted_spelling_parses_back_to_its_date(day, how):
    _ran("date spellings round trip")
    assert parse_date(SPELLINGS[how](day)) == day


@given(st.dates(dt.date(1954, 10, 4), dt.date(2100, 12, 31)), st.sampled_from(sorted(VALUE_SPELLINGS)))
def test_every_date_cell_parses_back_to_its_date(day, how):
    """Spreadsheet cells: date and datetime objects, YYYYMMDD numbers and Excel serial days."""
    _ran("date cells round trip")
    assert parse_date(VALUE_SPELLINGS[how](day)) == day


@pytest.mark.parametrize("text", ["0000-01-01", "0000-02-30", "00000229", "0000년 1월 1일", "0000. 12. 31."])
def test_year_zero_is_a_date_error_not_a_crash(text):
    """Found by fuzzing: year 0 passed the month and day checks, then datetime raised ValueError."""
    with pytest.raises(DateError, match="there is no year 0"):
        parse_date(text)


def test_a_number_too_large_for_a_float_is_a_date_error_not_a_crash():
    """Found by fuzzing: math.isfinite(10**400) raised OverflowError."""
    with pytest.raises(DateError, match="is not a date"):
        parse_date(10**400)
    with pytest.raises(DateError, match="is not a date"):
        parse_date(-(10**5000))  # repr() of this raises ValueError: it must not be shown whole


def test_the_cli_refuses_year_zero_with_one_line(cli):
    """Found by fuzzing: `--date 0000-01-01` ended in a ValueError traceback."""
    result = cli("agreement", "request", "종로구", "--date", "0000-01-01", ok=False)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == ["Error: --date: '0000-01-01' is not a date: there is no year 0"]


# ------------------------------------------------------------------ council and library names

SHIPPED = registry.shipped_registry()
PROVINCES = {entry["key"]: entry for entry in SHIPPED["councils"] if entry["level"] == "provincial"}
COUNCIL_NAMES = sorted({entry["name"] for entry in SHIPPED["councils"]})
GOV_NAMES = sorted({entry["gov"] for entry in SHIPPED["councils"]})
PROVINCE_WORDS = sorted({form for entry in PROVINCES.values()
                         for form in (entry["gov"], entry["gov"][:2], entry["gov_en"])})
NAME_PIECES = st.sampled_from([*COUNCIL_NAMES, *GOV_NAMES, *PROVINCE_WORDS, "의회", "Council", "시", "군", "구",
                               "도", "중", "특별시", " ", "-", "·", "(", ")", "'", "\x00", "\n", "_", ".", "11010",
                               "Jung-gu"])
SHARED_NAMES = ["중구", "동구", "서구", "남구", "북구", "강서구", "고성군", "Jung-gu", "중구의회", "Seo-gu Council"]
NAME_TEXT = st.one_of(
    ANY_TEXT,
    st.sampled_from([*COUNCIL_NAMES, *GOV_NAMES, "중구", "동구", "서구", "남구", "북구", "Jung-gu", "고성군"]),
    st.text(HANGUL, max_size=8),
    st.lists(st.one_of(NAME_PIECES, st.text(HANGUL, max_size=2)), max_size=5).map("".join),
    _long(st.one_of(HANGUL, st.sampled_from("의회 중구x\x00")), 100, 40_000),
)


@pytest.fixture(scope="module")
def registry_conn(tmp_path_factory, _initialised_template):
    """An initialised ledger, only read (resolving a name never writes)."""
    path = tmp_path_factory.mktemp("fuzz-registry") / "ledger.db"
    path.write_bytes(_initialised_template)
    ledger = Ledger.open(path)
    yield ledger.conn
    ledger.close()


def _ambiguous_candidates(message: str) -> list[str]:
    match = re.fullmatch(r"'.*' matches (\d+) councils(?: on [\d-]+)?: (.*)\. "
                         r"Add the province \((?:such as )?--province .+; in a name, as in '대구 중구'\) "
                         r"or give the code", message, re.S)
    assert match, message
    candidates = match[2].split("; ")
    assert int(match[1]) == len(candidates) >= 2, message
    return candidates


def _resolved(conn, text: str, province: str | None = None):
    """registry.resolve: a council, or the project's own error; returns the council or the error."""
    try:
        return registry.resolve(conn, text, province=province)
    except registry.AmbiguousCouncil as exc:
        _ambiguous_candidates(str(exc))
        return exc
    except registry.CouncilNotFound as exc:
        message = str(exc)
        assert message.startswith(("no council is called '", "a council name is empty")), message
        assert len(message) < 500, f"the message quotes {len(message):,} characters"
        return exc
    except registry.RegistryError as exc:
        assert province and re.search(r"\b(is|are) not in ", str(exc)), str(exc)
        return exc


@given(NAME_TEXT)
def test_any_text_names_one_council_or_is_refused_with_candidates(registry_conn, text):
    outcome = _resolved(registry_conn, text)
    _ran("council name resolution", type(outcome).__name__)
    if isinstance(outcome, registry.Council):
        # The first tier of the name index that knows the text knows exactly this council ...
        key = registry.normalize_name(text.strip())
        tiers = registry._name_index(registry_conn).tiers
        assert set(next(tier[key] for tier in tiers if tier.get(key))) == {outcome.id}
        # ... which is the council's newest state, and its own label leads back to it.
        assert outcome == registry.latest_version(registry_conn, outcome.id)
        assert registry.resolve(registry_conn, outcome.label).id == outcome.id


@given(st.one_of(st.sampled_from(SHARED_NAMES), NAME_TEXT), st.one_of(st.sampled_from(PROVINCE_WORDS), NAME_TEXT))
def test_a_province_only_settles_or_checks_a_name(registry_conn, text, province):
    plain = _resolved(registry_conn, text)
    settled = _resolved(registry_conn, text, province=province)
    _ran("council name resolution with a province", type(settled).__name__)
    if isinstance(plain, registry.Council):
        assert settled == plain or type(settled) is registry.RegistryError
    elif isinstance(plain, registry.CouncilNotFound):
        assert isinstance(settled, registry.CouncilNotFound)
    elif isinstance(settled, registry.Council):
        assert _candidate(registry_conn, settled.id) in _ambiguous_candidates(str(plain)), (text, province, settled)


def _candidate(conn, council_id: int) -> str:
    """How a refusal names a council among its candidates (its label, with its dates where it has any)."""
    return registry._candidate_label(conn, registry._name_index(conn), council_id, None)


def _every_council(conn) -> list[registry.Council]:
    ids = [row[0] for row in conn.execute("select id from councils order by id")]
    return [registry.latest_version(conn, council_id) for council_id in ids]


def _forms(conn, council_id: int) -> list[str]:
    """Every name a council had, in each spelling: Korean and English, with and without the suffix, code."""
    forms = []
    for version in registry.versions_of(conn, council_id):
        forms += [version["name"], version["gov"], version["name_en"], version["gov_en"]]
        if version["code"]:
            forms.append(version["code"])
    return forms


def test_every_real_council_name_resolves_to_itself(registry_conn):
    """Every name, short form, English name and code of every council, as of any version:
    that council, or (a name several councils share, such as 중구) a refusal that lists it."""
    checked = 0
    for council in _every_council(registry_conn):
        for form in [council.label, *_forms(registry_conn, council.id)]:
            outcome = _resolved(registry_conn, form)
            if isinstance(outcome, registry.AmbiguousCouncil):
                assert _candidate(registry_conn, council.id) in _ambiguous_candidates(str(outcome)), form
                # The province settles it, written in the name's own language.
                assert council.level == "basic", form
                province = registry.latest_version(registry_conn, council.province_id)
                settled = registry.resolve(registry_conn, form, province=province.gov_en if form.isascii()
                                           else province.gov)
                assert settled.id == council.id, form
            else:
                assert isinstance(outcome, registry.Council) and outcome.id == council.id, (form, outcome)
            checked += 1
    assert checked > 1000
    _CHECKED["every name, short form, English name and code of every council"] += checked


def test_a_pasted_paragraph_is_refused_at_once_and_quoted_short(registry_conn, library_conn, monkeypatch):
    """Found by fuzzing: a 40,000-character cell in a council column was fuzzy-matched against every name
    (about a second a row) and quoted whole in the error; the same for library names."""
    import rapidfuzz.process

    def no_fuzzy_matching(*args, **kwargs):
        raise AssertionError("a text far longer than any name was fuzzy-matched")

    monkeypatch.setattr(rapidfuzz.process, "extract", no_fuzzy_matching)
    pasted = "종로구의회 협약 관련 " * 4_000
    with pytest.raises(registry.CouncilNotFound) as refused:
        registry.resolve(registry_conn, pasted)
    assert str(refused.value) == (f"no council is called '{pasted[:57]}...' "
                                  "(`nalcoop agreement councils` lists them all)")
    with pytest.raises(donations.LibraryNotFound) as refused:
        donations.resolve_library(library_conn, pasted)
    assert str(refused.value) == (f"no library is called '{pasted[:57]}...' "
                                  "(`nalcoop donate library list` lists them)")
    with pytest.raises(registry.RegistryError, match=r"is not in x{57}\.\.\.; check the name or the province$"):
        registry.resolve(registry_conn, "종로구", province="x" * 40_000)


SEPARATORS = st.sampled_from([" ", "  ", "-", "_", ".", "·", "\t"])


@given(st.data())
def test_a_real_name_spelled_loosely_resolves_like_the_name(registry_conn, data):
    """Spaces, hyphens or dots anywhere, the 의회/Council suffix and English case do not change the answer."""
    councils = _every_council(registry_conn)
    council = data.draw(st.sampled_from(councils), "council")
    form = data.draw(st.sampled_from([council.label, *_forms(registry_conn, council.id)]), "form")
    letters = list(form)
    for _ in range(data.draw(st.integers(0, 3), "separators")):
        letters.insert(data.draw(st.integers(0, len(letters))), data.draw(SEPARATORS))
    loose = "".join(letters)
    if data.draw(st.booleans(), "case"):
        loose = loose.upper() if data.draw(st.booleans()) else loose.lower()
    if form in (council.gov, council.gov_en) and data.draw(st.booleans(), "suffix"):
        loose += data.draw(st.sampled_from(["의회", " 의회", " Council", "council"]))
    exact, spelled = _resolved(registry_conn, form), _resolved(registry_conn, loose)
    _ran("council names spelled loosely", type(spelled).__name__)
    assert type(spelled) is type(exact), (form, loose)
    if isinstance(exact, registry.Council):
        assert spelled.id == exact.id
    else:
        assert _ambiguous_candidates(str(spelled)) == _ambiguous_candidates(str(exact))


LIBRARIES = [  # name, type, region
    ("해바라기작은도서관", "small", "전라남도 신안군"),
    ("해바라기작은도서관", "small", "서울 종로구"),
    ("별빛 도서관", "public", "대구 중구"),
    ("Sunflower Library", "school", "세종"),
    ("○○부대 진중문고", "military", "강원 철원군"),
]


@pytest.fixture(scope="module")
def library_conn(tmp_path_factory, _initialised_template):
    path = tmp_path_factory.mktemp("fuzz-libraries") / "ledger.db"
    path.write_bytes(_initialised_template)
    ledger = Ledger.open(path)
    with ledger.command("test libraries", "fuzz"):
        for name, kind, region in LIBRARIES:
            donations.add_library(ledger.conn, name, kind, region, "2024-01-01")
    yield ledger.conn
    ledger.close()


LIBRARY_TEXT = st.one_of(
    NAME_TEXT,
    st.lists(st.sampled_from(["해바라기", "작은도서관", "별빛", "도서관", "Sunflower", "library", "진중문고", "(", ")",
                              "서울특별시 종로구", "전라남도 신안군", " ", "부대"]), max_size=4).map("".join),
)


@given(LIBRARY_TEXT)
def test_any_text_names_one_library_or_is_refused(library_conn, text):
    """The recipient-library resolver of `donate add`: one library whose label, name or a unique part matches."""
    try:
        library = donations.resolve_library(library_conn, text)
    except donations.AmbiguousLibrary as exc:
        assert re.match(r"'.*' matches \d+ libraries: .*\(.*\); .*\(.*\)", str(exc), re.S), str(exc)
        outcome = "AmbiguousLibrary"
    except donations.LibraryNotFound as exc:
        assert str(exc).startswith(("no library is called '", "a library name is empty")), str(exc)
        assert len(str(exc)) < 500, f"the message quotes {len(str(exc)):,} characters"
        outcome = "LibraryNotFound"
    else:
        key = donations.name_key(text)
        assert key in (donations.name_key(library.label), donations.name_key(library.name)) or (
            key in donations.name_key(library.name)), (text, library)
        outcome = "Library"
    _ran("library name resolution", outcome)


def test_every_library_resolves_by_its_label_and_an_unshared_name_by_itself(library_conn):
    rows = library_conn.execute("select id, name from donation_libraries").fetchall()
    for library_id, name in rows:
        library = donations.library_by_id(library_conn, library_id)
        assert donations.resolve_library(library_conn, library.label).id == library_id
        if sum(other == name for _, other in rows) == 1:
            assert donations.resolve_library(library_conn, name).id == library_id
        else:
            with pytest.raises(donations.AmbiguousLibrary, match=re.escape(library.label)):
                donations.resolve_library(library_conn, name)
    _CHECKED["every library's name and label"] += len(rows)


@given(NAME_TEXT, st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
def test_any_text_names_one_region_or_is_refused(registry_conn, text, day):
    """The region of a recipient library: a local government that existed on the day, or a clean refusal."""
    try:
        council = registry.resolve_region(registry_conn, text, day.isoformat())
    except (donations.DonationError, registry.RegistryError) as exc:
        assert str(exc)
        outcome = type(exc).__name__
    else:
        assert registry.council_as_of(registry_conn, council.id, day.isoformat()) == council
        outcome = "Council"
    _ran("region name resolution", outcome)


# ------------------------------------------------------------------ generated spreadsheets

AGREEMENTS = load_map("agreements")
STOCK = load_map("donation_items")
HEADER_WORDS = {normalize_header(alias) for column_map in (AGREEMENTS, STOCK) for spec in column_map.fields
                for alias in spec.aliases}


def _is_header_word(value: object) -> bool:
    """Would the importer take this cell for a header (so a data row could pass for the header row)?"""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return normalize_header(text) in HEADER_WORDS or normalize_header(
        re.sub(r"\(.*?\)|\[.*?\]", "", text)) in HEADER_WORDS


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()  # an expected value not checked


@dataclass(frozen=True)
class Cell:
    value: object
    expect: object = ANY  # the typed value read_table must give the cell, when known
    text_ok: bool = True  # the expectation holds when the cell is written as CSV text too


FORMULAS = ["=1+1", '=HYPERLINK("http://example.com","협약서")', "=A1", "=SUM(A1:A9)", "=1/0", "=NOW()",
            "'=1+1", "@SUM(1)", "+82-2-788-4211", "-1", "=", "'"]
CONTROL = st.text(st.sampled_from("\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\u200b\u2028\ufeff\ufffe가1.-년"),
                  min_size=1, max_size=10)
SAFE_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Co", "Zl", "Zp"))
JUNK_VALUES = st.one_of(
    st.none(), st.sampled_from(["", " ", "\t", "\u3000", "  \n  "]), ANY_TEXT, st.text(HANGUL, max_size=6),
    st.integers(-(2**63), 2**63), st.floats(), st.floats(-1e6, 1e6), st.booleans(), st.datetimes(), st.dates(),
    st.sampled_from(FORMULAS), CONTROL, DATEISH, _long(st.one_of(HANGUL, st.sampled_from("ab 1\x00\n")), 1_000, 40_000),
).filter(lambda value: not _is_header_word(value))
JUNK = JUNK_VALUES.map(Cell)

TEXT_SAFE_SPELLINGS = ("date", "datetime", "compact int")  # the cells that still mean the date as CSV text
GOOD_DATES = st.dates(dt.date(1995, 1, 1), dt.date(2026, 11, 25))


def _date_cell(day: dt.date, how: str) -> Cell:
    if how in SPELLINGS:
        return Cell(SPELLINGS[how](day), day.isoformat())
    return Cell(VALUE_SPELLINGS[how](day), day.isoformat(), text_ok=how in TEXT_SAFE_SPELLINGS)


DATE_HOWS = st.sampled_from(sorted([*SPELLINGS, *VALUE_SPELLINGS]))
DATE_CELLS = st.builds(_date_cell, GOOD_DATES, DATE_HOWS)
TEXT_SAFE_HOWS = st.sampled_from(sorted([*SPELLINGS, *TEXT_SAFE_SPELLINGS]))  # a date in any file format


def _isbn13(body: str) -> str:
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str(-total % 10)


ISBN_CELLS = st.builds(
    lambda prefix, rest, hyphens: Cell(
        "-".join([prefix, rest[:2], rest[2:6], rest[6:], _isbn13(prefix + rest)[-1]]) if hyphens
        else _isbn13(prefix + rest), _isbn13(prefix + rest)),
    st.sampled_from(["978", "979"]), st.text("0123456789", min_size=9, max_size=9), st.booleans(),
)
PLAIN_TEXT = st.text(SAFE_CHARS, min_size=1, max_size=30).filter(
    lambda text: text.strip() and text.strip()[0] not in "'=" and not _is_header_word(text))


def _good_cells(spec) -> st.SearchStrategy[Cell]:
    """Cells a colleague would type in the column: the importer must read each one to `expect`."""
    if spec.type == "date":
        return DATE_CELLS
    if spec.type == "int":
        return st.integers(max(spec.minimum or 0, 0), 3_000).flatmap(lambda n: st.sampled_from(
            [Cell(n, n), Cell(str(n), n), Cell(f" {n:,} ", n), Cell(float(n), n, text_ok=False)]))
    if spec.type == "choice":
        spellings = sorted(spec.choices.items())
        return st.builds(lambda pair, upper: Cell(pair[0].upper() if upper else pair[0], pair[1]),
                         st.sampled_from(spellings), st.booleans())
    if spec.type == "isbn":
        return ISBN_CELLS
    if spec.name == "council":
        return st.one_of(st.sampled_from(COUNCIL_NAMES), st.sampled_from(GOV_NAMES)).map(lambda n: Cell(n, n))
    if spec.name == "province":
        return st.sampled_from(PROVINCE_WORDS).map(lambda n: Cell(n, n))
    if spec.name == "code":
        codes = sorted({str(entry["code"]) for entry in SHIPPED["councils"] if entry.get("code")})
        return st.sampled_from(codes).map(lambda code: Cell(code, code))
    return PLAIN_TEXT.map(lambda text: Cell(text, text.strip()))


@dataclass
class Grid:
    """A generated sheet and what reading it must give."""

    rows: list[list[Cell]]
    header_index: int  # 0-based row of the header
    fields: dict[str, int]  # field -> column (0-based) in the header
    duplicated: bool
    complete: bool  # every required field has a column
    cover: bool = False  # an xlsx gets a first sheet with only a title


def _plausible_row(draw, column_map) -> dict[str, Cell]:
    """One row as a colleague would fill it in: one council's name, province, code and level agree and
    its dates run in order; or one book with an ISBN or a title, a quantity and a reason. Cells that
    may be left empty sometimes are."""
    spec_of = {spec.name: spec for spec in column_map.fields}
    if column_map is STOCK:
        row = {"isbn": draw(ISBN_CELLS), "title": draw(_good_cells(spec_of["title"])),
               "qty": draw(st.integers(1, 3000).flatmap(lambda n: st.sampled_from([Cell(n, n), Cell(f"{n:,}", n)]))),
               "reason": draw(_good_cells(spec_of["reason"])), "condition": draw(_good_cells(spec_of["condition"])),
               "author": draw(_good_cells(spec_of["author"])), "publisher": draw(_good_cells(spec_of["publisher"]))}
        optional = [draw(st.sampled_from(["isbn", "title"])), "reason", "condition", "author", "publisher"]
    else:
        entry = draw(st.sampled_from(SHIPPED["councils"]))
        province = PROVINCES[entry["province"]] if entry["level"] == "basic" else entry
        name = draw(st.sampled_from([entry["name"], entry["gov"]]))
        provinces = sorted({province["gov"], *registry.province_short_forms(province["gov"])})
        province_name = draw(st.sampled_from(provinces))
        levels = sorted(spelling for spelling, level in spec_of["level"].choices.items() if level == entry["level"])
        level = draw(st.sampled_from(levels))
        days = dict(zip(("requested", "consulted", "signed"),
                        sorted(draw(st.lists(GOOD_DATES, min_size=3, max_size=3, unique=True))), strict=True))
        row = {
            "council": Cell(name, name), "province": Cell(province_name, province_name),
            "code": Cell(str(entry["code"]), str(entry["code"])), "level": Cell(level, entry["level"]),
            **{field: _date_cell(day, draw(TEXT_SAFE_HOWS)) for field, day in days.items()},
            "withdrawn": Cell(None), "terminated": Cell(None),
            "mode": draw(_good_cells(spec_of["mode"])), "ref": draw(_good_cells(spec_of["ref"])),
            "note": draw(_good_cells(spec_of["note"])),
        }
        optional = ["province", "code", "level", "requested", "consulted", "signed", "mode", "ref", "note"]
    for name in optional:
        if not draw(st.integers(0, 3)):
            row[name] = Cell(draw(st.sampled_from([None, "", " "])), None)
    return row


PLAUSIBLE_HEADERS = {"agreements": [["council"], ["requested", "signed"]], "donation_items": [["qty"], ["reason"],
                                                                                               ["isbn", "title"]]}


@st.composite
def grids(draw, column_map, good_weight: int = 3, max_rows: int = 10, plausible: bool = False) -> Grid:
    """A sheet with title rows, a header (perhaps lacking a required column, perhaps with one twice) and rows
    of good and junk cells; `plausible`: most rows make sense as a whole, so that imports can succeed."""
    specs = list(column_map.fields)
    spec_of = {spec.name: spec for spec in specs}
    required = [spec for spec in specs if spec.required]
    chosen = draw(st.lists(st.sampled_from(specs), unique_by=lambda spec: spec.name, min_size=1, max_size=len(specs)))
    if draw(st.integers(0, 5)):  # mostly complete headers, sometimes a required column missing
        chosen += [spec for spec in required if spec not in chosen]
    if plausible:
        for group in PLAUSIBLE_HEADERS[column_map.name]:
            if not any(spec.name in group for spec in chosen) and draw(st.integers(0, 5)):
                chosen.append(spec_of[draw(st.sampled_from(group))])
    header = []
    for spec in chosen:
        alias = draw(st.sampled_from(spec.aliases))
        header.append((spec.name, draw(st.sampled_from([alias, alias.upper(), f" {alias} ", f"{alias} (기준)",
                                                         alias.replace(" ", "_")]))))
    duplicated = draw(st.integers(0, 6)) == 0
    if duplicated:
        spec = draw(st.sampled_from(chosen))
        header.append((spec.name, draw(st.sampled_from(spec.aliases))))
    header += [(None, f"※{n}") for n in draw(st.lists(st.integers(1, 99), max_size=2))]
    header = draw(st.permutations(header))
    indent = draw(st.integers(0, 2))
    width = indent + len(header)
    fields = {name: indent + position for position, (name, _) in enumerate(header) if name}
    by_column = {indent + position: name for position, (name, _) in enumerate(header)}

    rows: list[list[Cell]] = []
    for _ in range(draw(st.integers(0, 3))):  # title rows: never a header word
        title = draw(st.text(SAFE_CHARS.filter(lambda c: c not in "\t,\"\n"), max_size=20))
        rows.append([Cell(f"※ 업무 현황 {title}")])
    rows += [[] for _ in range(draw(st.integers(0, 2)))]
    header_index = len(rows)
    rows.append([Cell(None)] * indent + [Cell(text) for _, text in header])
    for _ in range(draw(st.integers(int(plausible), max_rows))):
        kind = draw(st.integers(0, 19 if plausible else 9))
        if kind == 0:
            rows.append([])
        elif kind == 1:
            rows.append([Cell(draw(st.sampled_from([None, "", "  "]))) for _ in range(width)])
        elif plausible and kind > 2:
            good = _plausible_row(draw, column_map)
            rows.append([good[by_column[column]] if by_column.get(column) else draw(JUNK) for column in range(width)])
        else:
            row = []
            for column in range(width + draw(st.integers(-2, 1))):
                name = by_column.get(column)
                if name and draw(st.integers(0, good_weight)):
                    row.append(draw(_good_cells(spec_of[name])))
                else:
                    row.append(draw(JUNK))
            rows.append(row)
    complete = all(spec.name in fields for spec in required)
    return Grid(rows, header_index, fields, duplicated, complete, cover=draw(st.integers(0, 4)) == 0)


FORMATS = ["xlsx", "csv utf-8", "csv utf-8-sig", "csv cp949", "tsv utf-8"]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _fit(cell: Cell, fmt: str) -> Cell:
    """The cell as the format can hold it, with its expectation dropped when the format changes it."""
    if fmt == "xlsx":
        value = cell.value
        if isinstance(value, str):
            cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)
            if cleaned != value:
                return Cell(cleaned)
        return cell
    text = _as_text(cell.value)
    if fmt.endswith("cp949"):
        encodable = text.encode("cp949", "replace").decode("cp949")
        if encodable != text:
            return Cell(encodable)
    if text == cell.value or cell.text_ok:
        return Cell(text, cell.expect)
    return Cell(text)


def _blank(cell: Cell, fmt: str) -> bool:
    """Would the importer read the cell as empty? (an xlsx formula has no saved value; NaN is not written)"""
    value = cell.value
    if fmt == "xlsx":
        if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
            return True
        if isinstance(value, str) and len(value) > 1 and value.startswith("="):
            return True
    return value is None or isinstance(value, str) and not value.strip()


def _write(grid: Grid, fmt: str, folder: Path) -> tuple[Path, list[list[Cell]]]:
    """Write the grid as the format says; return the file and the cells as written."""
    rows = [[_fit(cell, fmt) for cell in row] for row in grid.rows]
    if fmt == "xlsx":
        path = folder / "목록.xlsx"
        workbook = Workbook()
        sheet = workbook.active
        if grid.cover:
            sheet.title = "표지"
            sheet["B2"] = "※ 국회도서관 국내협력 현황"
            sheet = workbook.create_sheet("현황")
        else:
            sheet.title = "현황"
        for number, row in enumerate(rows, start=1):
            for column, cell in enumerate(row, start=1):
                if cell.value is not None:
                    sheet.cell(number, column, cell.value)
        workbook.save(path)
        return path, rows
    kind, encoding = fmt.split()
    path = folder / f"목록.{kind}"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t" if kind == "tsv" else ",", lineterminator="\r\n").writerows(
        [[cell.value for cell in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path, rows


def _reads_as_utf8(path: Path, fmt: str) -> bool:
    """A CP949 file that is also valid UTF-8 (its only Hangul among the 345 syllables, such as 책 or 창,
    whose CP949 bytes are valid UTF-8) is read as UTF-8: the one case where the encoding guess is wrong."""
    data = path.read_bytes()
    if not fmt.endswith("cp949") or data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _column_letter(index: int) -> str:
    return chr(65 + index) if index < 26 else "A" + chr(65 + index - 26)


def _check_read(grid: Grid, fmt: str, path: Path, written: list[list[Cell]], column_map) -> str:
    """read_table on a generated file: the header, the rows and every known value, or the right refusal."""
    try:
        result = read_table(path, column_map)
    except ImportFileError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith((str(path), path.name)), message
        if not fmt.startswith("xlsx") and any("\x00" in str(cell.value) for row in written for cell in row):
            assert "NUL" in message, message
            return "NUL refused"
        assert not grid.complete or grid.duplicated, f"a well-formed {fmt} file was refused: {message}"
        if not grid.complete:
            # No header at all, or one that lacks a needed column (the message then names the column).
            assert "no header row with a known column" in message or " has no column for '" in message, message
            return "no header refused"
        assert "both mean" in message, message
        return "duplicate header refused"
    assert isinstance(result, ReadResult)
    assert grid.complete and not grid.duplicated, f"{fmt}: {grid} was read"
    assert fmt == "xlsx" or not any("\x00" in str(cell.value) for row in written for cell in row), "NUL read"
    assert result.header_row == grid.header_index + 1
    assert result.sheet == (None if fmt != "xlsx" else "현황")
    header = written[grid.header_index]
    assert result.columns == {
        name: f"{_column_letter(column)} ({str(header[column].value).strip()})" for name, column in grid.fields.items()}
    expected_rows = [
        number for number, row in enumerate(written, start=1)
        if number > grid.header_index + 1
        and any(column < len(row) and not _blank(row[column], fmt) for column in grid.fields.values())
    ]
    assert [row.row for row in result.rows] == expected_rows
    by_number = {row.row: row for row in result.rows}
    labels = set(result.columns.values())
    for problem in result.problems:
        assert problem.row in by_number and problem.column in labels, problem
        assert str(problem).startswith(f"{path.name}") and f"row {problem.row}" in str(problem)
    failed = {(problem.row, problem.column) for problem in result.problems}
    spec_of = {spec.name: spec for spec in column_map.fields}
    for source in result.rows:
        cells = written[source.row - 1]
        for name, column in grid.fields.items():
            value = source.values[name]
            cell = cells[column] if column < len(cells) else Cell(None)
            if cell.expect is not ANY and not _blank(cell, fmt):
                assert (source.row, result.columns[name]) not in failed, (cell, result.problems)
                # Text enters as NFC (issue 15): a cell written decomposed (A + U+0300) reads back composed
                expected = nfc(cell.expect) if isinstance(cell.expect, str) else cell.expect
                assert value == expected, (fmt, cell, value)
            _check_typed(spec_of[name], value)
    return "read with problems" if result.problems else "read clean"


def _check_typed(spec, value: object) -> None:
    """A typed value is what its column's type promises."""
    if value is None:
        return
    if spec.type == "date":
        assert dt.date.fromisoformat(value).isoformat() == value
    elif spec.type == "int":
        assert type(value) is int and value >= (spec.minimum if spec.minimum is not None else value)
    elif spec.type == "choice":
        assert value in spec.choices.values()
    elif spec.type == "isbn":
        assert normalize_isbn(value) == value and len(value) == 13
    else:
        assert isinstance(value, str) and value and value == value.strip() and "\x00" not in value


@given(grids(AGREEMENTS), st.sampled_from(FORMATS))
def test_read_table_reads_a_generated_agreements_file_or_refuses_it_cleanly(grid, fmt):
    with tempfile.TemporaryDirectory() as folder:
        path, written = _write(grid, fmt, Path(folder))
        assume(not _reads_as_utf8(path, fmt))
        outcome = _check_read(grid, fmt, path, written, AGREEMENTS)
    _ran("read_table on agreement files", outcome)


@given(grids(STOCK), st.sampled_from(FORMATS))
def test_read_table_reads_a_generated_stock_list_or_refuses_it_cleanly(grid, fmt):
    with tempfile.TemporaryDirectory() as folder:
        path, written = _write(grid, fmt, Path(folder))
        assume(not _reads_as_utf8(path, fmt))
        outcome = _check_read(grid, fmt, path, written, STOCK)
    _ran("read_table on stock lists", outcome)


SUFFIXES = [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".tsv", ".txt", ".dat", ""]
MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00\x00"]


@st.composite
def damaged_files(draw) -> bytes:
    """Random bytes, or a real workbook or CSV cut short or with bytes overwritten."""
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=300))
    with tempfile.TemporaryDirectory() as folder:
        grid = draw(grids(AGREEMENTS, max_rows=4))
        path, _ = _write(grid, draw(st.sampled_from(FORMATS)), Path(folder))
        data = bytearray(path.read_bytes())
    # Positions are drawn independently of the length, which varies: an xlsx holds the time it was saved.
    if kind == 1:
        return bytes(data[: draw(st.integers(0, 2**20)) % (len(data) + 1)])
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, 2**20)) % len(data)] = draw(st.integers(0, 255))
    return bytes(data)


@share(0.3)
@given(damaged_files(), st.sampled_from(SUFFIXES), st.sampled_from([AGREEMENTS, STOCK]))
def test_read_table_on_random_or_damaged_bytes_reads_or_refuses_cleanly(data, suffix, column_map):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(data)
        try:
            result = read_table(path, column_map)
        except ImportFileError as exc:
            assert str(exc) and "\n" not in str(exc), str(exc)
            outcome = "refused"
        else:
            assert isinstance(result, ReadResult) and result.header_row >= 1
            for source in result.rows:
                for spec in column_map.fields:
                    _check_typed(spec, source.values.get(spec.name))
            outcome = "read"
    _ran("read_table on random or damaged bytes", outcome)


# ------------------------------------------------------------------ through the command line


def _snapshot(path: Path) -> tuple:
    """The ledger's bytes, every table's row count (read without touching the file) and its folder."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        tables = [row[0] for row in conn.execute("select name from sqlite_master where type = 'table' order by name")]
        counts = {name: conn.execute(f'select count(*) from "{name}"').fetchone()[0] for name in tables}
    return file_hash(path), counts, sorted(p.name for p in path.parent.iterdir())


def _invoke(db: Path, *args: str):
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code:
        assert result.stdout == "", result.stdout
        assert result.stderr.splitlines()[-1].startswith("Error: "), result.stderr
    return result


def _summary(stderr: str) -> str:
    return stderr.splitlines()[-1].removeprefix("dry run, nothing written — would be: ").removeprefix(
        "dry run, nothing written — would add: ").removeprefix("added to stock: ")


@pytest.fixture(scope="module")
def template(tmp_path_factory, _initialised_template) -> Path:
    """An initialised ledger that each example copies (a path: Hypothesis prints it in a failing case)."""
    path = tmp_path_factory.mktemp("fuzz-template") / "ledger.db"
    path.write_bytes(_initialised_template)
    return path


def _import_twice(folder: Path, template: Path, data: bytes, suffix: str, command: list[str]):
    """`--dry-run` then the real import of the file, on a fresh copy of an initialised ledger:
    the dry run writes nothing and says what the import then does; a refusal writes nothing."""
    db = folder / "ledger.db"
    shutil.copyfile(template, db)
    file = folder / "input" / f"목록{suffix}"
    file.parent.mkdir()
    file.write_bytes(data)
    before = _snapshot(db)
    dry = _invoke(db, *command, str(file), "--dry-run")
    assert _snapshot(db) == before, "--dry-run wrote to the ledger"
    real = _invoke(db, *command, str(file))
    assert real.exit_code == dry.exit_code, (dry.stderr, real.stderr)
    if real.exit_code:
        assert _snapshot(db) == before, "a refused import changed the ledger"
        assert real.stderr == dry.stderr
    else:
        assert _summary(real.stderr) == _summary(dry.stderr)
    return db, file, before, real


CLI_GRIDS = st.tuples(grids(AGREEMENTS, max_rows=4, plausible=True), st.sampled_from(FORMATS))
CLI_FILES = st.one_of(CLI_GRIDS, CLI_GRIDS, CLI_GRIDS, st.tuples(damaged_files(), st.sampled_from(SUFFIXES)))


def _file_bytes(case) -> tuple[bytes, str]:
    first, second = case
    if isinstance(first, bytes):
        return first, second
    with tempfile.TemporaryDirectory() as folder:
        path, _ = _write(first, second, Path(folder))
        return path.read_bytes(), path.suffix


ROW_LINE = re.compile(r"^  row (\d+): (.+) — (created|changed) \((.+)\)$")


@pytest.mark.slow
@share(0.15)  # each example writes a workbook and imports it through the CLI
@given(CLI_FILES)
def test_agreement_import_of_any_file_imports_cleanly_or_writes_nothing(template, case):
    data, suffix = _file_bytes(case)
    with tempfile.TemporaryDirectory() as folder:
        db, file, before, result = _import_twice(Path(folder), template, data, suffix,
                                                 ["agreement", "import"])
        if result.exit_code:
            outcome = "refused"
        else:
            reported = [ROW_LINE.match(line) for line in result.stderr.splitlines() if line.startswith("  row ")]
            assert all(reported), result.stderr
            ledger = Ledger.open(db)
            try:
                conn = ledger.conn
                steps: Counter[tuple[int, str]] = Counter()
                for match in reported:
                    council = registry.resolve(conn, match[2])
                    for step in match[4].split(", "):
                        steps[(council.id, step)] += 1
                stored = Counter(tuple(row) for row in conn.execute("select council_id, step from agreement_events"))
                journal = conn.execute("select count(*) from journal_commands").fetchone()[0]
            finally:
                ledger.close()
            # Every step the import reported is in the ledger, and nothing else is.
            assert stored == steps, (result.stderr, stored)
            summary = result.stderr.splitlines()[-1]
            assert summary.startswith(f"{len({council_id for council_id, _ in steps})} created, ")
            assert summary.endswith(" 0 rejected"), summary
            # A clean import took every row of the file: none had a problem, and each has an outcome.
            table = read_table(file, AGREEMENTS)
            assert not table.problems
            assert sum(int(n) for n in re.findall(r"(\d+) (?:created|changed|unchanged)", summary)) == len(table.rows)
            if steps:
                assert journal == before[1]["journal_commands"] + 1
                outcome = "imported"
            else:
                assert _snapshot(db) == before, "an import that changed nothing wrote to the ledger"
                outcome = "nothing to import"
    _ran("cli agreement import", outcome)


STOCK_GRIDS = st.tuples(grids(STOCK, max_rows=4, plausible=True), st.sampled_from(FORMATS))
STOCK_FILES = st.one_of(STOCK_GRIDS, STOCK_GRIDS, STOCK_GRIDS, st.tuples(damaged_files(), st.sampled_from(SUFFIXES)))
ADDED = re.compile(r"^added to stock: (\d+) lines, (\d+) books \((.*)\)$")


@pytest.mark.slow
@share(0.15)  # each example writes a workbook and imports it through the CLI
@given(STOCK_FILES, st.sampled_from([[], ["--reason", "duplicate"]]))
def test_donate_stock_import_of_any_file_imports_cleanly_or_writes_nothing(template, case, reason):
    data, suffix = _file_bytes(case)
    with tempfile.TemporaryDirectory() as folder:
        db, file, before, result = _import_twice(Path(folder), template, data, suffix,
                                                 ["donate", "stock", "import", *reason])
        if result.exit_code:
            outcome = "refused"
        else:
            added = ADDED.match(result.stderr.splitlines()[-1])
            assert added, result.stderr
            lines, books = int(added[1]), int(added[2])
            with closing(sqlite3.connect(db)) as conn:
                receipts = conn.execute("select line_count, books from donation_stock_receipts").fetchall()
                on_hand = conn.execute("select coalesce(sum(qty), 0) from donation_stock_entries").fetchone()[0]
                by_reason = conn.execute("select reason, sum(qty) from donation_stock_entries group by reason")
                held = sorted(f"{n} {reason}" for reason, n in by_reason.fetchall())
                journal = conn.execute("select count(*) from journal_commands").fetchone()[0]
            # The receipt the import reported is in the ledger, with every book it counted.
            assert receipts == [(lines, books)] and lines >= 1
            assert on_hand == books and journal == before[1]["journal_commands"] + 1
            assert sorted(added[3].split(", ")) == held
            # A clean import took every row of the file, each as one line of the receipt.
            table = read_table(file, STOCK)
            assert not table.problems
            assert lines == len(table.rows) and books == sum(row.values["qty"] for row in table.rows)
            outcome = "imported"
    _ran("cli donate stock import", outcome)

"""One vocabulary per closed list (issue 16): the ledger's CHECK constraints hold exactly the codes of the
vocabulary that owns each column, every code has a Korean and an English label, and the command line takes
the code in any case or the Korean label, refusing anything else in one line that lists the choices."""

from __future__ import annotations

import re
import sqlite3

import pytest

from nalcoop import agreements, distribution, donations, interns, network, registry
from nalcoop.vocabulary import Term, Vocabulary

# (table, column) -> (the vocabulary that owns it, its codes that are never stored: a listing's filter).
OWNERS: dict[tuple[str, str], tuple[Vocabulary, frozenset[str]]] = {
    ("registry_changes", "kind"): (registry.CHANGE_KINDS, frozenset()),
    ("registry_changes", "origin"): (registry.CHANGE_ORIGINS, frozenset()),
    ("council_versions", "level"): (registry.LEVELS, frozenset()),
    ("council_versions", "kind"): (registry.KINDS, frozenset()),
    ("agreement_events", "step"): (agreements.STEPS, frozenset()),
    ("agreement_events", "status_after"): (agreements.STATUSES, frozenset({"none"})),
    ("agreement_events", "mode"): (agreements.MODES, frozenset()),
    ("agreement_events", "follow_kind"): (agreements.FOLLOW_UP_KINDS, frozenset()),
    ("donation_libraries", "type"): (donations.LIBRARY_TYPES, frozenset()),
    ("donation_stock_receipts", "source"): (donations.RECEIPT_SOURCES, frozenset()),
    ("donation_batches", "status"): (donations.STATUSES, frozenset()),
    ("donation_batch_items", "reason"): (donations.REASONS, frozenset()),
    ("donation_batch_events", "step"): (donations.STEPS, frozenset()),
    ("donation_batch_events", "status_after"): (donations.STATUSES, frozenset()),
    ("donation_stock_moves", "kind"): (donations.STOCK_MOVES, frozenset()),
    ("distribution_publications", "frequency"): (distribution.FREQUENCIES, frozenset()),
    ("distribution_recipients", "type"): (distribution.RECIPIENT_TYPES, frozenset()),
    ("distribution_returns", "reason"): (distribution.RETURN_REASONS, frozenset()),
    ("network_orgs", "type"): (network.ORG_TYPES, frozenset()),
    ("network_memberships", "role"): (network.ROLES, frozenset()),
    ("network_events", "kind"): (network.EVENT_KINDS, frozenset()),
    ("network_event_hosts", "role"): (network.HOST_ROLES, frozenset()),
    ("network_participants", "role"): (network.PARTICIPANT_ROLES, frozenset()),
    ("network_participants", "status"): (network.STATUSES, frozenset()),
    ("intern_applications", "status"): (interns.STATUSES, frozenset()),
    ("intern_steps", "step"): (interns.STEP_NAMES, frozenset()),
}
# Closed lists in the schema that are no person's vocabulary: the journal's own mechanics, below the activities.
NOT_A_VOCABULARY = {("journal_changes", "op")}

# `column in ('a', 'b', ...)` anywhere in a table's SQL: a list of text literals only (0/1 flags are not lists).
IN_LIST = re.compile(r"\b(\w+)\s+in\s*\(\s*('[^']*'(?:\s*,\s*'[^']*')*)\s*\)", re.IGNORECASE)

# Every vocabulary the activities define: found by type, so a new one is checked without being listed here
# (through dir() and getattr: a package loads its modules' names on first use, nalcoop/lazy.py).
VOCABULARIES = {f"{module.__name__}.{name}": getattr(module, name)
                for module in (agreements, distribution, donations, interns, network, registry)
                for name in dir(module) if isinstance(getattr(module, name), Vocabulary)}


def _closed_lists(db_path) -> dict[tuple[str, str], list[str]]:
    conn = sqlite3.connect(db_path)
    try:
        tables = conn.execute("select name, sql from sqlite_master where type = 'table' and sql is not null").fetchall()
    finally:
        conn.close()
    found: dict[tuple[str, str], list[str]] = {}
    for table, sql in tables:
        for column, listed in IN_LIST.findall(sql):
            values = re.findall(r"'([^']*)'", listed)
            assert found.setdefault((table, column.lower()), values) == values, f"{table}.{column}: two lists"
    return found


def test_every_closed_list_of_a_fresh_ledger_is_exactly_its_vocabulary(db_path):
    in_schema = _closed_lists(db_path)
    assert in_schema, "no CHECK (column IN (...)) found: the pattern no longer reads the schema"
    unowned = sorted(set(in_schema) - set(OWNERS) - NOT_A_VOCABULARY)
    assert unowned == [], f"closed lists in the schema with no vocabulary: {unowned}"
    gone = sorted(set(OWNERS) - set(in_schema))
    assert gone == [], f"vocabularies said to own a column that has no closed list: {gone}"
    problems = []
    for where, (vocabulary, not_stored) in sorted(OWNERS.items()):
        stored = set(in_schema[where])
        meant = set(vocabulary.codes) - not_stored
        if stored - meant:
            problems.append(f"{'.'.join(where)}: the ledger allows {sorted(stored - meant)}, "
                            f"which {vocabulary.name!r} lacks")
        if meant - stored:
            problems.append(f"{'.'.join(where)}: {vocabulary.name!r} has {sorted(meant - stored)}, "
                            "which the ledger refuses")
    assert problems == []


def test_the_comparison_fails_on_a_value_missing_either_way():
    """The test above can fail: a vocabulary with one code more, or one less, than a list is told apart."""
    shorter = agreements.MODES.subset("in-person")
    longer = Vocabulary("mode", [*agreements.MODES.terms, Term("fax", "팩스", "fax")])
    stored = {"in-person", "exchange"}
    assert stored - set(shorter.codes) == {"exchange"}
    assert set(longer.codes) - stored == {"fax"}


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_code_has_a_korean_and_an_english_label(name):
    vocabulary = VOCABULARIES[name]
    assert len(vocabulary) >= 2, name
    for term in vocabulary.terms:
        assert term.code and term.code == term.code.strip().lower(), f"{name}: code {term.code!r}"
        assert re.search(r"[\uac00-\ud7a3]", vocabulary.label(term.code, "ko")), f"{name}.{term.code}: no Korean"
        assert vocabulary.label(term.code, "en").strip(), f"{name}.{term.code}: no English label"
        assert vocabulary.lookup(term.ko) == term.code and vocabulary.lookup(term.code.upper()) == term.code


def test_a_vocabulary_reads_as_its_codes_and_refuses_a_label_meaning_two_codes():
    modes = agreements.MODES
    assert list(modes) == ["in-person", "exchange"] and "exchange" in modes and modes.index("exchange") == 1
    assert ", ".join(modes) == "in-person, exchange" and modes.label("exchange", "ko") == "서면"
    assert registry.LEVELS.lookup(" 광역 ") == "provincial" and registry.KINDS.lookup("시도") == "province"
    assert modes.lookup("팩스") is None
    with pytest.raises(ValueError, match="would mean both"):
        Vocabulary("clash", [Term("a", "같음", "a"), Term("b", "같음", "b")])
    with pytest.raises(ValueError, match="no labels in language"):
        modes.label("exchange", "fr")


# ------------------------------------------------------------------ on the command line


def test_korean_labels_and_codes_in_any_case_are_taken_for_a_choice(cli):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    cli("agreement", "sign", "종로구", "--date", "2020-03-02", "--mode", "서면")
    cli("agreement", "request", "서울특별시의회", "--date", "2020-01-02")
    cli("agreement", "sign", "서울특별시의회", "--date", "2020-03-02", "--mode", "IN-PERSON")
    by_code = cli("agreement", "list", "--status", "signed", "--level", "basic", "-f", "csv").stdout
    by_label = cli("agreement", "list", "--status", "체결", "--level", "기초", "-f", "csv").stdout
    assert by_label == by_code and "종로구" in by_code and "exchange" in by_code and "서울특별시의회" not in by_code
    provincial = cli("agreement", "list", "--status", "Signed", "--level", "광역의회", "-f", "csv").stdout
    assert "서울특별시의회" in provincial and "in-person" in provincial


def test_a_korean_label_is_taken_where_a_choice_is_asked_for(cli, monkeypatch):
    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: True)
    cli("donate", "library", "add", "해바라기작은도서관", "--region", "전라남도 신안군", input="작은도서관\n")
    cli("donate", "library", "add", "푸른학교도서관", "--type", "학교도서관", "--region", "전라남도 신안군")
    listed = cli("donate", "library", "list", "-f", "csv").stdout
    assert "해바라기작은도서관,small," in listed and "푸른학교도서관,school," in listed


def test_a_prompted_answer_outside_the_choices_is_refused_naming_the_option(cli, db_path, monkeypatch):
    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: True)
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    before = db_path.read_bytes()
    result = cli("agreement", "sign", "종로구", "--date", "2020-03-02", ok=False, input="팩스\n")
    assert "Signing mode (in-person or exchange)" in result.output
    assert result.exit_code == 2 and result.stderr.splitlines()[-1] == (
        "Error: --mode: '팩스' is not one of 'in-person', 'exchange' (or 대면, 서면).")
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(("args", "typed", "choices"), [
    (("agreement", "list", "--status", "서명"), "서명",
     "'requested', 'consultation', 'signed', 'withdrawn', 'terminated', 'none' "
     "(or 요청, 협의 중, 체결, 철회, 해지, 없음)."),
    (("agreement", "councils", "--level", "province"), "province", "'provincial', 'basic' (or 광역의회, 기초의회)."),
    (("network", "event", "add", "판례 과정", "--type", "course"), "course",
     "'meeting', 'conference', 'workshop' (or 회의, 학술대회, 워크숍)."),
], ids=["--status", "--level", "event kind"])
def test_a_value_outside_the_choices_is_one_line_listing_them(cli, db_path, args, typed, choices):
    before = db_path.read_bytes()
    result = cli(*args, ok=False)
    assert result.exit_code == 2 and result.stdout == "" and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and errors[0].startswith("Error: Invalid value for "), result.stderr
    assert errors[0].endswith(f"'{typed}' is not one of {choices}"), errors[0]
    assert db_path.read_bytes() == before

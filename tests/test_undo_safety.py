"""An undo or redo never leaves the ledger breaking a rule that held before it: it is refused, nothing changed,
naming the later commands to undo first."""

from __future__ import annotations

import sqlite3

import pytest

from nalcoop.checks import checks_reading, undo_keeping_rules
from nalcoop.ledger import journal
from nalcoop.ledger.journal import UndoError


def _last(db_path) -> int:
    return sqlite3.connect(db_path).execute("select max(id) from journal_commands").fetchone()[0]


def _steps(cli, db_path) -> list[int]:
    """request, consult, sign for 대구 북구 as three commands; their journal ids."""
    ids = []
    for args in (["request", "대구 북구", "--date", "2024-01-02"], ["consult", "대구 북구", "--date", "2024-02-01"],
                 ["sign", "대구 북구", "--date", "2024-03-01", "--mode", "in-person"]):
        cli("agreement", *args)
        ids.append(_last(db_path))
    return ids


def test_undo_of_a_request_later_steps_build_on_is_refused_and_changes_nothing(cli, db_path):
    request, consult, sign = _steps(cli, db_path)
    last = _last(db_path)
    refused = cli("undo", str(request), ok=False)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert (f"command {request} cannot be undone: later commands ({consult}, {sign}) build on it; undo those first"
            in refused.stderr)
    assert "대구광역시 북구의회" in refused.stderr  # the rule it would break names the council
    assert len(refused.stderr.strip().splitlines()) == 1
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from agreement_events").fetchone()[0] == 3
    assert _last(db_path) == last  # no journal entry: the undo was rolled back whole
    assert cli("check").stdout.startswith("ok:")
    # undone in the order it names, newest first, the request goes too and the ledger still holds
    cli("undo", str(sign))
    cli("undo", str(consult))
    cli("undo", str(request))
    assert conn.execute("select count(*) from agreement_events").fetchone()[0] == 0
    assert cli("check").stdout.startswith("ok:")


def test_undo_of_the_newest_step_is_allowed_and_so_is_an_undo_of_another_council(cli, db_path):
    _request, _consult, sign = _steps(cli, db_path)
    cli("agreement", "request", "종로구", "--date", "2024-01-05")
    other = _last(db_path)
    cli("undo", str(other))
    cli("undo", str(sign))
    assert cli("check").stdout.startswith("ok:")


def test_redo_that_would_break_a_rule_is_refused(cli, db_path):
    _request, _consult, sign = _steps(cli, db_path)
    cli("agreement", "request", "종로구", "--date", "2024-01-05")  # so the undone sign's row id is not taken again
    cli("undo", str(sign))
    cli("agreement", "sign", "대구 북구", "--date", "2024-04-01", "--mode", "exchange")  # signed later after all
    resign = _last(db_path)
    refused = cli("redo", ok=False)
    assert refused.exit_code == 1
    assert f"command {sign} cannot be redone: later commands ({resign}) build on its undo" in refused.stderr
    assert cli("check").stdout.startswith("ok:")
    cli("undo", str(resign))
    assert "redid command" in cli("redo").stderr
    assert cli("check").stdout.startswith("ok:")


def _bad_consult(ledger, code: str) -> None:
    """A consultation with no request before it, written past the commands (as a damaged ledger would hold)."""
    with ledger.command("a script of the librarian's own", "tester"):
        council = ledger.conn.execute("select council_id from council_versions where code = ? limit 1",
                                      [code]).fetchone()[0]
        ledger.conn.execute("insert into agreement_events (council_id, step, on_date, status_after, cycle) "
                            "values (?, 'consult', '2024-02-01', 'consultation', 1)", [council])


def test_a_problem_already_there_does_not_block_an_undo(cli, ledger, db_path):
    _bad_consult(ledger, "27230")  # 대구광역시 북구의회
    assert cli("check", ok=False).exit_code == 1
    cli("agreement", "request", "종로구", "--date", "2024-01-05")
    cli("undo")  # the ledger breaks a rule before and after, but the undo adds no problem
    assert sqlite3.connect(db_path).execute("select count(*) from agreement_events").fetchone()[0] == 1


def test_the_check_names_the_council_by_its_label_not_its_number(cli, ledger):
    _bad_consult(ledger, "27230")  # 대구광역시 북구의회
    english = cli("check", ok=False).stdout
    assert "(대구광역시 북구의회, consult on 2024-02-01) is out of order" in english
    assert "council 6" not in english
    korean = cli("--lang", "ko", "check", ok=False).stdout
    assert "대구광역시 북구의회" in korean and "의회 6" not in korean.replace("북구의회", "")


def test_undo_keeping_rules_at_function_level(cli, ledger, db_path):
    request, consult, sign = _steps(cli, db_path)
    ledger.conn.row_factory = sqlite3.Row
    assert journal.dependents(ledger.conn, request, _last(db_path) + 1) == [consult, sign]
    assert journal.tables_of(ledger.conn, request) == {"agreement_events"}
    with pytest.raises(UndoError, match=f"command {request} cannot be undone"), ledger.command("undo", "t") as undo:
        undo_keeping_rules(ledger.conn, request, undo)
    assert ledger.conn.execute("select count(*) from agreement_events").fetchone()[0] == 3
    with ledger.command("undo", "t") as undo:
        assert undo_keeping_rules(ledger.conn, sign, undo) == 1


def test_which_rules_an_undo_runs():
    assert [name for name, _check in checks_reading({"agreement_events"})] == ["agreements"]
    assert [name for name, _check in checks_reading({"donation_batches", "donation_batch_items"})] == ["donations"]
    assert [name for name, _check in checks_reading({"council_versions"})] == [
        "registry", "agreements", "donations", "distribution", "network", "interns"]

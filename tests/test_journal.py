"""The journal sees every write, history lists it, and undo reverts it (and can be undone)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from nalcoop.ledger import journal
from nalcoop.ledger.journal import UndoError

SRC = ("--source", "test notice")

WRITE_COMMANDS = {
    "request": ([], ["agreement", "request", "종로구", "--date", "2020-01-02", "--ref", "R-1"]),
    "consult": ([["agreement", "request", "종로구", "--date", "2020-01-02"]],
                ["agreement", "consult", "종로구", "--date", "2020-01-05"]),
    "sign": ([["agreement", "request", "종로구", "--date", "2020-01-02"]],
             ["agreement", "sign", "종로구", "--date", "2020-01-09", "--mode", "exchange"]),
    "follow-up": ([["agreement", "sign", "종로구", "--date", "2020-01-09", "--mode", "exchange",
                    "--without-request"]],
                  ["agreement", "follow-up", "종로구", "--date", "2020-02-09", "--type", "archiving"]),
    "renew": ([["agreement", "sign", "종로구", "--date", "2020-01-09", "--mode", "exchange", "--without-request"]],
              ["agreement", "renew", "종로구", "--date", "2022-01-09"]),
    "withdraw": ([["agreement", "request", "종로구", "--date", "2020-01-02"]],
                 ["agreement", "withdraw", "종로구", "--date", "2020-01-05"]),
    "terminate": ([["agreement", "sign", "종로구", "--date", "2020-01-09", "--mode", "exchange",
                    "--without-request"]],
                  ["agreement", "terminate", "종로구", "--date", "2022-01-09"]),
    "registry rename": ([], ["registry", "rename", "인천 서구", "--name", "서해구", "--date", "2026-08-01", *SRC]),
    "registry recode": ([], ["registry", "recode", "종로구", "--code", "11111", "--date", "2027-01-01", *SRC]),
    "registry move": ([], ["registry", "move", "종로구", "--province", "경기", "--date", "2027-01-01", *SRC]),
    "registry abolish": ([], ["registry", "abolish", "종로구", "--date", "2027-01-01", *SRC, "--yes"]),
    "registry create": ([], ["registry", "create", "새구", "--type", "gu", "--province", "서울", "--date",
                             "2027-01-01", *SRC]),
    "registry merge": ([], ["registry", "merge", "--yes", "종로구", "서울 중구", "--into", "종로구", "--date",
                            "2027-01-01", *SRC]),
    "registry split": ([], ["registry", "split", "종로구", "--new", "북종로구", "--date", "2027-01-01", *SRC]),
    # undo without an id reverts the caller's own latest command
    "undo": ([["--author", "김사서", "agreement", "request", "종로구", "--date", "2020-01-02"]], ["undo"]),
}


def _current(conn: sqlite3.Connection, table: str, row_id: int) -> dict | None:
    conn.row_factory = sqlite3.Row
    row = conn.execute(f"select * from {table} where id = ?", [row_id]).fetchone()
    return json.loads(json.dumps(dict(row))) if row else None


@pytest.mark.parametrize("name", list(WRITE_COMMANDS))
def test_every_write_command_is_journaled_with_before_and_after(cli, db_path, name):
    setup, command = WRITE_COMMANDS[name]
    for args in setup:
        cli(*args)
    conn = sqlite3.connect(db_path)
    last_before = conn.execute("select max(id) from journal_commands").fetchone()[0]
    cli("--author", "김사서", *command)
    entry = conn.execute("select id, by, command from journal_commands where id > ?", [last_before]).fetchall()
    assert len(entry) == 1, "one command, one journal entry"
    command_id, by, line = entry[0]
    assert by == "김사서"
    assert line.startswith("nalcoop ") and command[0] in line
    changes = journal.changes_of(conn, command_id)
    assert changes, "the journal holds the rows the command touched"
    for change in changes:
        if change.op == "insert":
            assert change.before is None and change.after is not None
        if change.op == "update":
            assert change.before != change.after
    # Replaying the journal's "after" images gives exactly the rows now in the ledger.
    final = {}
    for change in changes:
        final[(change.table, change.row_id)] = change.after
    for (table, row_id), after in final.items():
        assert _current(conn, table, row_id) == after


def test_a_failed_command_leaves_no_journal_entry_and_no_change(cli, db_path):
    conn = sqlite3.connect(db_path)
    before = conn.execute("select count(*) from journal_commands").fetchone()[0]
    cli("agreement", "sign", "종로구", "--date", "2020-01-09", "--mode", "in-person", ok=False)
    assert conn.execute("select count(*) from journal_commands").fetchone()[0] == before


def test_history_lists_newest_first_and_filters_by_table(cli):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    cli("registry", "rename", "인천 서구", "--name", "서해구", "--date", "2026-08-01", *SRC)
    rows = list(csv.DictReader(io.StringIO(cli("history", "--limit", "2").stdout)))
    assert "registry rename" in rows[0]["command"]
    assert "agreement request 종로구 --date 2020-01-02" in rows[1]["command"]
    assert "agreement_events insert 1" in rows[1]["summary"]
    only_events = list(csv.DictReader(io.StringIO(cli("history", "--table", "agreement_events").stdout)))
    assert len(only_events) == 1


def test_undo_reverts_the_last_command_and_redo_reapplies_it(cli, db_path):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from agreement_events").fetchone()[0] == 1
    result = cli("undo")
    assert "undid command" in result.stderr
    assert conn.execute("select count(*) from agreement_events").fetchone()[0] == 0
    assert "redid command" in cli("redo").stderr
    assert conn.execute("select count(*) from agreement_events").fetchone()[0] == 1
    history = list(csv.DictReader(io.StringIO(cli("history", "--limit", "3").stdout)))
    assert history[0]["undoes"] == history[1]["id"]
    assert history[1]["undoes"] == history[2]["id"]


def test_undo_of_a_registry_change_restores_the_previous_version(cli, ledger):
    # 인천 서구 has been 서해구 since 2026-07-01 (the shipped registry); rename it again, then undo that
    cli("registry", "rename", "인천 서해구", "--name", "새서구", "--date", "2026-08-01", *SRC)
    cli("undo")
    rows = list(csv.DictReader(io.StringIO(cli("agreement", "councils", "--province", "인천").stdout)))
    assert "서해구의회" in {r["council"] for r in rows}
    assert "새서구의회" not in {r["council"] for r in rows}


def test_undo_by_id_refuses_when_a_later_command_changed_the_same_rows(cli, db_path):
    cli("registry", "rename", "인천 서구", "--name", "서해구", "--date", "2026-08-01", *SRC)
    first = sqlite3.connect(db_path).execute("select max(id) from journal_commands").fetchone()[0]
    cli("registry", "rename", "서해구", "--name", "새서구", "--date", "2026-09-01", *SRC)
    result = cli("undo", str(first), ok=False)
    assert result.exit_code == 1
    assert "undo that first" in result.stderr or "refer to" in result.stderr


def test_undoing_a_command_twice_is_refused(cli, db_path):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    first = sqlite3.connect(db_path).execute("select max(id) from journal_commands").fetchone()[0]
    cli("undo", str(first))
    result = cli("undo", str(first), ok=False)
    assert "already undone" in result.stderr


def test_undo_on_an_empty_journal_or_unknown_id_is_a_clear_error(ledger):
    with ledger.command("test", "t") as command_id, pytest.raises(UndoError, match="no command 999"):
        journal.undo(ledger.conn, 999, command_id)


def test_undo_of_the_id_the_undo_itself_would_take_is_refused(cli):
    nxt = int(cli("history", "--format", "csv").stdout.splitlines()[1].split(",")[0]) + 1
    refused = cli("undo", str(nxt), ok=False)
    assert refused.exit_code == 1 and f"there is no command {nxt} in the journal" in refused.output


def test_irreversibility_is_a_flag_the_rule_sets_and_undo_reads_not_words_of_the_command_line(cli, db_path, ledger):
    """A note that happens to say "intern purge" does not make a command final; a purge made through the
    Python functions (no command line at all) is final all the same."""
    cli("agreement", "request", "종로구", "--date", "2020-01-02", "--note", "after the intern purge talk")
    assert json.loads(cli("history", "--format", "json").stdout)[0]["command"].endswith("intern purge talk'")
    cli("undo")  # was refused while undo searched the command line for "intern purge"
    assert sqlite3.connect(db_path).execute("select count(*) from agreement_events").fetchone()[0] == 0

    with ledger.command("a script of the librarian's own", "tester") as command_id:
        journal.mark_irreversible(ledger.conn)
        ledger.conn.execute("insert into intern_cohorts (name, name_key, starts_on, ends_on, slots, required_hours) "
                            "values ('2025 여름', '2025여름', '2025-07-01', '2025-08-01', 3, 120)")
    flags = dict(ledger.conn.execute("select id, irreversible from journal_commands"))
    assert flags[command_id] == 1 and list(flags.values()).count(1) == 1
    with ledger.command("nalcoop undo", "tester") as undo_id, pytest.raises(UndoError, match="cannot be undone"):
        journal.undo(ledger.conn, command_id, undo_id)


def test_an_upgraded_ledger_flags_the_purges_it_already_holds(tmp_path):
    from pathlib import Path

    from nalcoop.ledger.store import Ledger

    path = tmp_path / "v7.db"
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "fixtures" / "ledger-v7.sql").read_text(encoding="utf-8"))
    conn.close()
    ledger = Ledger.open(path)
    try:
        final = ledger.conn.execute("select command from journal_commands where irreversible = 1").fetchall()
        assert [row[0] for row in final] == ["nalcoop intern purge --older-than 3y"]
    finally:
        ledger.close()


def test_history_shows_local_time_with_its_offset_to_a_person_and_keeps_utc_in_files(cli, monkeypatch):
    """Issue 17: the journal stores UTC; a person reads local time with the offset (Seoul is +09:00)."""
    import time

    from nalcoop.render import Column, render

    monkeypatch.setenv("TZ", "Asia/Seoul")
    time.tzset()
    try:
        cli("agreement", "request", "종로구", "--date", "2020-01-02")
        stored = json.loads(cli("history", "--format", "json").stdout)[0]["at"]
        assert stored.endswith("+00:00")  # data stays UTC, ISO
        buffer = io.StringIO()
        render([{"at": "2026-12-06T01:19:42+00:00"}], [Column("at", kind="moment")], fmt="table", stream=buffer)
        assert "2026-12-06 10:19 +09:00" in buffer.getvalue()
        assert stored in cli("history", "--format", "csv").stdout  # a file keeps what is stored
        table = cli("history", "--format", "table").stdout
        assert "+09:00" in table and "+00:00" not in table
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()

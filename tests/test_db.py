"""Opening the ledger: location, pragmas, migrations, and refusing files that are not ours."""

from __future__ import annotations

import sqlite3

import pytest
from typer.testing import CliRunner

from nalcoop.cli import app
from nalcoop.ledger import files as db
from nalcoop.ledger.errors import LedgerError
from nalcoop.ledger.migrations import SCHEMA_VERSION
from nalcoop.ledger.store import Ledger

from .conftest import file_hash


def test_pragmas_wal_foreign_keys_and_busy_timeout(ledger):
    conn = ledger.conn
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert conn.execute("pragma foreign_keys").fetchone()[0] == 1
    assert conn.execute("pragma busy_timeout").fetchone()[0] >= 5000


def test_migrations_are_numbered_and_recorded_in_the_file(ledger):
    names = [r[0] for r in ledger.conn.execute("select name from _sqlite_migrations order by id")]
    assert names == ["0001_ledger_journal_registry_agreements", "0002_donations", "0003_distribution",
                     "0004_network", "0005_interns", "0006_agreement_period_index", "0007_journal_hash_chain",
                     "0008_irreversible_commands", "0009_names_keyed_alike"]
    assert ledger.schema_version == SCHEMA_VERSION


def test_schema_version_constant_matches_the_migrations():
    from nalcoop.ledger.migrations import migrations

    names = [m.name for m in migrations._migrations]
    assert len(names) == SCHEMA_VERSION
    assert [int(n[:4]) for n in names] == list(range(1, SCHEMA_VERSION + 1))


def test_location_option_then_environment_then_per_user_default(monkeypatch, tmp_path):
    assert db.locate(str(tmp_path / "a.db")) == db.LedgerLocation(tmp_path / "a.db", "option --db")
    monkeypatch.setenv("NALCOOP_DB", str(tmp_path / "env.db"))
    assert db.locate(None) == db.LedgerLocation(tmp_path / "env.db", "environment variable NALCOOP_DB")
    monkeypatch.delenv("NALCOOP_DB")
    location = db.locate(None)
    assert location.source == "per-user default"
    assert location.path == tmp_path / "home" / ".local" / "share" / "nalcoop" / "ledger.db"


def test_init_without_db_uses_the_environment_variable(monkeypatch, tmp_path):
    target = tmp_path / "team.db"
    monkeypatch.setenv("NALCOOP_DB", str(target))
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert target.exists()
    info = CliRunner().invoke(app, ["info", "--format", "csv"])
    assert str(target) in info.stdout
    assert "NALCOOP_DB" in info.stdout


def test_init_is_idempotent_and_leaves_no_journal_entry_the_second_time(cli, db_path):
    commands_before = sqlite3.connect(db_path).execute("select count(*) from journal_commands").fetchone()[0]
    result = cli("init")
    assert "already set up" in result.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from journal_commands").fetchone()[0] == commands_before
    assert conn.execute("select count(*) from councils").fetchone()[0] == 247  # 243 + 3 (Incheon) + 1 (the merger)


def test_info_names_the_file_schema_version_and_row_counts(cli, db_path):
    rows = dict(line.split(",", 1) for line in cli("info", "--format", "csv").stdout.splitlines()[1:])
    assert rows["ledger"] == str(db_path)
    assert rows["chosen by"] == "option --db"
    assert rows["schema version"].startswith(str(SCHEMA_VERSION))
    assert rows["rows in councils"] == "247"  # 243 + 3 created in Incheon + 1 by the merger, 2026-07-01


def test_a_command_on_a_missing_ledger_says_to_run_init(tmp_path):
    missing = tmp_path / "nowhere.db"
    result = CliRunner().invoke(app, ["--db", str(missing), "agreement", "list"])
    assert result.exit_code == 1
    assert "nalcoop init" in result.stderr
    assert not missing.exists()


def _refused(path, message: str) -> None:
    result = CliRunner().invoke(app, ["--db", str(path), "agreement", "list"])
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    digest = file_hash(path)
    _refused(path, "is not a SQLite file")
    assert file_hash(path) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_sqlite_file_that_is_not_a_ledger_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("create table stuff (x)")
    other.execute("insert into stuff values (1)")
    other.commit()
    other.close()
    digest = file_hash(path)
    _refused(path, "not a nalcoop ledger")
    assert file_hash(path) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_directory_given_as_db_is_refused(tmp_path):
    _refused(tmp_path, "is a directory")


def test_a_ledger_from_a_newer_nalcoop_names_both_versions(tmp_path, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute(
        "insert into _sqlite_migrations (migration_set, name, applied_at) values ('nalcoop', '0099_future', 'x')"
    )
    conn.commit()
    conn.close()
    digest = file_hash(db_path)
    result = CliRunner().invoke(app, ["--db", str(db_path), "agreement", "list"])
    assert result.exit_code == 1
    assert "schema version 99" in result.stderr
    assert f"up to {SCHEMA_VERSION}" in result.stderr
    assert file_hash(db_path) == digest


def test_writes_outside_a_nalcoop_command_are_refused_by_the_journal_triggers(db_path):
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.OperationalError, match="nalcoop_command"):
        conn.execute("delete from agreement_events")
    ledger = Ledger.open(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="only through nalcoop commands"):
        ledger.conn.execute("update councils set key = 'x' where id = 1")
    ledger.close()


def test_opening_refuses_newer_schema_at_function_level(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) values ('nalcoop', ?, 'x')",
                 [f"{SCHEMA_VERSION + 1:04}_x"])  # a migration this nalcoop does not know
    conn.commit()
    conn.close()
    with pytest.raises(LedgerError, match="newer nalcoop"):
        Ledger.open(db_path)


def test_info_as_json_is_one_object_with_snake_case_keys(cli, db_path):
    import json

    fields = json.loads(cli("info", "-f", "json").stdout)
    assert isinstance(fields, dict)
    assert fields["ledger"] == str(db_path) and fields["chosen_by"] == "option --db"
    assert fields["schema_version"] == SCHEMA_VERSION and fields["rows_in_councils"] == 247
    assert all(key == key.lower() and " " not in key for key in fields)
    line = json.loads(cli("info", "-f", "jsonl").stdout)
    assert line == fields
    table = cli("info", "-f", "table").stdout  # the table stays two readable columns
    assert "default on Windows" in table and "rows in councils" in table


def test_info_says_where_the_default_ledger_is_on_each_system(cli):
    import csv
    import io

    rows = {row["item"]: row["value"] for row in csv.DictReader(io.StringIO(cli("info", "--format", "csv").stdout))}
    assert rows["default on Windows"].startswith("%LOCALAPPDATA%\\nalcoop\\ledger.db")
    assert rows["default on macOS"] == "~/Library/Application Support/nalcoop/ledger.db"
    assert rows["default on Linux and other Unix"].startswith("$XDG_DATA_HOME/nalcoop/ledger.db")
    assert rows["default location (override with --db or NALCOOP_DB)"].endswith("nalcoop/ledger.db")


def test_the_default_ledger_on_windows_is_in_the_local_not_the_roaming_folder(monkeypatch):
    from nalcoop.ledger.files import default_ledger_path

    # platformdirs' documented override stands in for the Windows shell's answer on this machine.
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", r"C:\Users\kim\AppData\Local")
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", r"C:\Users\kim\AppData\Roaming")
    monkeypatch.delenv("XDG_DATA_HOME")  # which platformdirs honours on macOS too
    path = str(default_ledger_path("win32"))
    assert path.startswith(r"C:\Users\kim\AppData\Local") and "Roaming" not in path
    assert path.replace("\\", "/").endswith("/nalcoop/ledger.db")
    assert str(default_ledger_path("darwin")).endswith("Library/Application Support/nalcoop/ledger.db")


def test_the_default_on_linux_follows_xdg_data_home(monkeypatch, tmp_path):
    from nalcoop.ledger.files import default_ledger_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert default_ledger_path("linux") == tmp_path / "share" / "nalcoop" / "ledger.db"


def test_a_ledger_left_in_the_roaming_folder_by_an_older_nalcoop_is_still_found(monkeypatch, tmp_path):
    import sys

    from nalcoop.ledger import files

    monkeypatch.delenv("NALCOOP_DB", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(files, "default_ledger_path", lambda: tmp_path / "Local" / "nalcoop" / "ledger.db")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    old = tmp_path / "Roaming" / "nalcoop" / "ledger.db"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"")
    found = files.locate(None)
    assert found.path == old and found.source == files.BY_OLD_DEFAULT  # the code `info -f json` gives
    assert f"move it to {tmp_path / 'Local' / 'nalcoop' / 'ledger.db'}" in found.said  # the words a person reads
    new = tmp_path / "Local" / "nalcoop" / "ledger.db"
    new.parent.mkdir(parents=True)
    new.write_bytes(b"")
    assert files.locate(None) == files.LedgerLocation(new, "per-user default")

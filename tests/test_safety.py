"""Issue 3: check, backup and restore, automatic backups, owner-only files, migrations, progress."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from nalcoop import agreements, checks, registry
from nalcoop.errors import NalcoopError
from nalcoop.ledger import backup
from nalcoop.ledger.migrations import SCHEMA_VERSION
from nalcoop.ledger.store import Ledger
from nalcoop.progress import track
from tests.conftest import file_hash

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _raw(path: Path) -> sqlite3.Connection:
    """A connection that bypasses nalcoop, the way another tool or a damaged disk would."""
    return sqlite3.connect(path, isolation_level=None)


def _signed(cli, council: str = "서울특별시의회") -> None:
    cli("agreement", "request", council, "--date", "2013-05-01")
    cli("agreement", "sign", council, "--date", "2013-07-01", "--mode", "in-person")


# ------------------------------------------------------------------ check


def test_check_prints_one_summary_line_on_a_sound_ledger(cli):
    _signed(cli, "전라남도의회")
    cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"))
    result = cli("check")
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ok: 10 checks passed (integrity, foreign keys, schema, journal, registry, "
                               "agreements, donations, distribution, network, interns)")
    assert f"schema {SCHEMA_VERSION}" in lines[0]


def test_check_functions_report_nothing_on_a_sound_ledger(ledger):
    results = checks.run_checks(ledger.conn)
    assert [result.name for result in results][:5] == ["integrity", "foreign keys", "schema", "journal", "registry"]
    assert all(result.problems == [] for result in results)


def test_a_row_changed_outside_nalcoop_fails_the_journal_and_schema_checks(cli, db_path):
    _signed(cli)
    conn = _raw(db_path)
    conn.execute("drop trigger journal_agreement_events_update")
    conn.execute("update agreement_events set note = 'edited behind nalcoop' where step = 'sign'")
    conn.close()
    result = cli("check", ok=False)
    assert result.exit_code == 1
    assert "FAILED schema: table agreement_events has no journal update trigger" in result.stdout
    assert "FAILED journal: agreement_events row 2 differs from its last journaled change: " \
           "note journaled None, now 'edited behind nalcoop'" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("2 of 10 checks failed (2 problems)")


def test_a_step_out_of_order_fails_the_agreements_check(cli, db_path):
    _signed(cli)
    conn = _raw(db_path)
    conn.create_function("nalcoop_command", 0, lambda: 1)  # pretend to be nalcoop: the journal records it
    council_id = conn.execute("select council_id from agreement_events limit 1").fetchone()[0]
    conn.execute(
        "insert into agreement_events (council_id, cycle, step, on_date, status_after) "
        "values (?, 1, 'consult', '2014-01-01', 'consultation')", [council_id])
    conn.close()
    problems = agreements.invariant_problems(Ledger.open(db_path).conn)
    assert len(problems) == 1
    assert "agreement event 3" in problems[0] and "is out of order: consultation needs an open request" in problems[0]
    result = cli("check", ok=False)
    assert "FAILED agreements: agreement event 3 (서울특별시의회, consult on 2014-01-01)" in result.stdout


def test_a_step_before_the_council_existed_fails_the_agreements_check(ledger):
    incheon_new = registry.resolve(ledger.conn, "제물포구의회")
    with ledger.command("test", "test"):
        ledger.conn.execute(
            "insert into agreement_events (council_id, cycle, step, on_date, status_after) "
            "values (?, 1, 'request', '2020-01-01', 'requested')", [incheon_new.id])
    problems = agreements.invariant_problems(ledger.conn)
    assert problems == [f"agreement event 1 ({incheon_new.label}, request on 2020-01-01): "
                        "the council did not exist on that date"]


def test_overlapping_council_versions_fail_the_registry_check(ledger):
    with ledger.command("test", "test"):
        ledger.conn.execute("update council_versions set valid_to = null where valid_to is not null "
                            "and council_id = (select council_id from council_versions where gov = '군위군')")
    problems = checks.registry(ledger.conn)
    assert any("군위군" in problem and "overlapping versions" in problem for problem in problems)


def _damage(path: Path, pages: range, start: int = 8) -> None:
    """Overwrite part of each page (page 0 from byte 100 keeps the file header but not the schema)."""
    data = bytearray(path.read_bytes())
    for page in pages:
        offset = page * 4096
        data[offset + start: offset + 4096] = b"\xff" * (4096 - start)
    path.write_bytes(bytes(data))


def test_damaged_data_pages_fail_the_integrity_check(cli, db_path):
    _signed(cli)
    total = db_path.stat().st_size // 4096
    _damage(db_path, range(total - 6, total - 1))
    result = cli("check", ok=False)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout.startswith("FAILED integrity: ")
    assert "checks failed" in result.stdout.splitlines()[-1] or "check failed" in result.stdout.splitlines()[-1]


def test_a_damaged_schema_is_reported_without_a_traceback(cli, db_path):
    _damage(db_path, range(0, 1), start=100)
    result = cli("check", ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stdout.startswith(f"FAILED integrity: {db_path} is damaged (database disk image is malformed); "
                                    "restore a backup with `nalcoop restore FILE`")
    other = cli("agreement", "list", ok=False)
    assert other.exit_code == 1 and other.output.startswith(f"Error: {db_path} is damaged")


# ------------------------------------------------------------------ backup and restore


def test_backup_is_a_whole_owner_only_copy_that_passes_check(cli, db_path, tmp_path):
    _signed(cli)
    target = tmp_path / "copies" / "nalcoop-2026-11-25.db"
    target.parent.mkdir()
    result = cli("backup", str(target))
    assert f"backed up {db_path} to {target}" in result.stderr
    assert _mode(target) == 0o600
    assert not Path(f"{target}-wal").exists()
    copy = Ledger.open(target)
    assert copy.conn.execute("select count(*) from agreement_events").fetchone()[0] == 2
    assert all(not result.problems for result in checks.run_checks(copy.conn))
    copy.close()


def test_backup_never_overwrites_without_yes(cli, tmp_path):
    target = tmp_path / "b.db"
    target.write_text("my notes")
    result = cli("backup", str(target), ok=False)  # stdin is no terminal here: nothing can be asked
    assert result.exit_code == 2
    assert f"Error: this would replace the existing file {target}" in result.output and "--yes" in result.output
    assert target.read_text() == "my notes"
    cli("backup", str(target), "--yes")
    assert target.read_bytes().startswith(b"SQLite format 3\x00")


def test_backup_refuses_a_folder_and_a_missing_folder(cli, tmp_path):
    assert "is a folder; give the backup a file name" in cli("backup", str(tmp_path), ok=False).output
    missing = tmp_path / "nowhere" / "b.db"
    assert f"the folder {missing.parent} does not exist" in cli("backup", str(missing), ok=False).output


def test_backup_while_another_connection_writes_is_consistent(db_path, tmp_path):
    """Writers keep committing while backups are taken; every backup is a state some commit left."""
    ledger = Ledger.open(db_path)
    councils = [council.id for council in registry.councils_as_of(ledger.conn, "2020-01-01")][:60]
    stop = threading.Event()

    def write():
        writer = Ledger.open(db_path)
        for council_id in councils:
            if stop.is_set():
                break
            with writer.command("test: request", "test"):
                writer.conn.execute(
                    "insert into agreement_events (council_id, cycle, step, on_date, status_after) "
                    "values (?, 1, 'request', '2019-01-01', 'requested')", [council_id])
                writer.conn.execute(
                    "insert into agreement_events (council_id, cycle, step, on_date, status_after) "
                    "values (?, 1, 'consult', '2019-02-01', 'consultation')", [council_id])
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    copies = []
    for number in range(8):
        copies.append(backup.copy_ledger(db_path, tmp_path / f"copy-{number}.db"))
    thread.join()
    stop.set()
    for copy in copies:
        conn = sqlite3.connect(copy)
        events = conn.execute("select count(*) from agreement_events").fetchone()[0]
        commands = conn.execute("select count(*) from journal_commands where command = 'test: request'").fetchone()[0]
        assert events == 2 * commands  # never half a command
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        conn.close()
    ledger.close()


def test_restore_checks_the_backup_and_keeps_the_current_ledger_beside_it(cli, db_path, tmp_path):
    _signed(cli, "부산광역시의회")
    saved = tmp_path / "saved.db"
    cli("backup", str(saved))
    cli("agreement", "request", "대구광역시의회", "--date", "2020-01-01")  # made after the backup
    result = cli("restore", "--yes", str(saved))
    kept = sorted(tmp_path.glob("ledger.db.before-restore-*"))
    assert len(kept) == 1 and _mode(kept[0]) == 0o600
    assert f"the ledger as it was is kept at {kept[0]}" in result.stderr
    assert "3 commands in its journal" in result.stderr
    kept_conn = sqlite3.connect(kept[0])
    assert kept_conn.execute("select count(*) from agreement_events").fetchone()[0] == 3
    status = cli("agreement", "list", "--format", "csv").stdout
    assert "부산광역시의회" in status and "대구광역시의회" not in status
    assert cli("check").stdout.startswith("ok:")


def test_restore_refuses_a_backup_from_a_newer_nalcoop_and_changes_nothing(cli, db_path, tmp_path):
    newer = tmp_path / "newer.db"
    cli("backup", str(newer))
    conn = _raw(newer)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values ('nalcoop', '0099_from_the_future', '2030-01-01')")
    conn.close()
    before = file_hash(db_path)
    result = cli("restore", "--yes", str(newer), ok=False)
    assert result.exit_code == 1
    assert "was written by a newer nalcoop (ledger schema version 99)" in result.output
    assert file_hash(db_path) == before
    assert not list(tmp_path.glob("*.before-restore-*"))


@pytest.mark.parametrize("content, message", [
    (b"PNG\x89 not a database at all", "is not a nalcoop backup (not a SQLite database nalcoop wrote)"),
    (b"", "is empty; it is not a nalcoop backup"),
])
def test_restore_refuses_what_is_not_a_backup(cli, db_path, tmp_path, content, message):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(content)
    before = file_hash(db_path)
    result = cli("restore", "--yes", str(bogus), ok=False)
    assert message in result.output and "Traceback" not in result.output
    assert file_hash(db_path) == before


def test_restore_refuses_a_backup_that_fails_its_checks(cli, db_path, tmp_path):
    _signed(cli)
    damaged = tmp_path / "damaged.db"
    cli("backup", str(damaged))
    conn = _raw(damaged)
    conn.execute("drop trigger journal_agreement_events_delete")
    conn.execute("delete from agreement_events")
    conn.close()
    before = file_hash(db_path)
    result = cli("restore", "--yes", str(damaged), ok=False)
    assert "fails its checks (schema: table agreement_events has no journal delete trigger" in result.output
    assert "nothing was restored" in result.output
    assert file_hash(db_path) == before


def test_restore_into_a_new_location_creates_the_ledger(cli, tmp_path):
    _signed(cli)
    saved = tmp_path / "saved.db"
    cli("backup", str(saved))
    elsewhere = tmp_path / "new-machine" / "ledger.db"
    from typer.testing import CliRunner

    from nalcoop.cli import app

    result = CliRunner().invoke(app, ["--db", str(elsewhere), "restore", "--yes", str(saved)])
    assert result.exit_code == 0, result.output
    assert "kept at" not in result.output
    assert _mode(elsewhere) == 0o600
    assert sqlite3.connect(elsewhere).execute("select count(*) from agreement_events").fetchone()[0] == 2


# ------------------------------------------------------------------ automatic backups


def test_a_large_import_is_preceded_by_an_automatic_backup(cli, db_path, monkeypatch):
    monkeypatch.setenv("NALCOOP_BACKUP_IMPORT_ROWS", "10")
    result = cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"))
    made = backup.automatic_backups(backup.backups_folder(db_path))
    assert len(made) == 1 and made[0].name.endswith("-before-import.db")
    assert f"backed up the ledger to {made[0]} before importing 45 rows" in result.stderr
    assert _mode(made[0]) == 0o600 and _mode(made[0].parent) == 0o700
    # the backup is the ledger as it was before the import
    assert sqlite3.connect(made[0]).execute("select count(*) from agreement_events").fetchone()[0] == 0


def test_an_automatic_backup_clears_what_a_killed_backup_left(cli, db_path, monkeypatch):
    monkeypatch.setenv("NALCOOP_BACKUP_IMPORT_ROWS", "10")
    folder = backup.backups_folder(db_path)
    folder.mkdir()
    (folder / ".nalcoop-backup-abc123.partial").write_bytes(b"half a copy")
    cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"))
    assert [path.name for path in folder.iterdir() if path.name.startswith(".")] == []
    assert len(backup.automatic_backups(folder)) == 1


def test_the_readme_lists_every_setting_with_its_default():
    from nalcoop.settings import SETTINGS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for spec in SETTINGS.values():
        assert f"| `{spec.variable}` | {spec.default} | {spec.meaning} |" in readme


def test_a_small_import_or_a_dry_run_makes_no_backup(cli, db_path):
    cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"), "--dry-run")
    cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"))  # 45 rows: under 1,000
    assert not backup.backups_folder(db_path).exists()


def test_automatic_backups_are_pruned_to_the_configured_count(cli, db_path, monkeypatch):
    monkeypatch.setenv("NALCOOP_BACKUP_IMPORT_ROWS", "1")
    monkeypatch.setenv("NALCOOP_BACKUPS_KEEP", "2")
    folder = backup.backups_folder(db_path)
    folder.mkdir()
    (folder / "my-own-copy.db").write_text("never pruned")
    for _ in range(4):
        cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"))
    made = backup.automatic_backups(folder)
    assert len(made) == 2
    assert (folder / "my-own-copy.db").read_text() == "never pruned"
    monkeypatch.setenv("NALCOOP_BACKUPS_KEEP", "0")
    cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"))
    assert backup.automatic_backups(folder) == made


def test_a_bad_setting_is_a_usage_error_naming_the_variable(cli, db_path, monkeypatch):
    monkeypatch.setenv("NALCOOP_BACKUP_IMPORT_ROWS", "many")
    before = file_hash(db_path)
    result = cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"), ok=False)
    assert result.exit_code == 2
    assert "Error: NALCOOP_BACKUP_IMPORT_ROWS must be a whole number" in result.output
    assert "not 'many'" in result.output
    assert file_hash(db_path) == before


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_new_ledgers_backups_and_exports_are_owner_only_whatever_the_umask(tmp_path, umask):
    from typer.testing import CliRunner

    from nalcoop.cli import app

    old = os.umask(umask)
    try:
        path = tmp_path / "team" / "ledger.db"
        runner = CliRunner()
        assert runner.invoke(app, ["--db", str(path), "init"]).exit_code == 0
        assert _mode(path) == 0o600
        opened = Ledger.open(path)  # while open, SQLite's -wal and -shm files exist: same mode
        opened.conn.execute("select count(*) from councils").fetchone()
        for sidecar in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert sidecar.exists() and _mode(sidecar) == 0o600
        opened.close()
        assert runner.invoke(app, ["--db", str(path), "backup", str(tmp_path / "b.db")]).exit_code == 0
        assert _mode(tmp_path / "b.db") == 0o600
        for name in ("list.xlsx", "list.csv", "list.json"):
            result = runner.invoke(app, ["--db", str(path), "agreement", "list", "--status", "none", "-o",
                                         str(tmp_path / name)])
            assert result.exit_code == 0, result.output
            assert _mode(tmp_path / name) == 0o600
        assert runner.invoke(app, ["--db", str(path), "agreement", "export", str(tmp_path / "e.xlsx")]).exit_code == 0
        assert _mode(tmp_path / "e.xlsx") == 0o600
        # A packing list and the recipient list carry a librarian's name and telephone number.
        for args in (["donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "신안군",
                      "--contact", "김사서 061-000-0000"],
                     ["donate", "add", "--library", "해바라기작은도서관", "--title", "국회도서관 70년사", "--copies",
                      "3",
                      "--reason", "purchased", "--outside-stock", "--date", "2026-03-02"]):
            result = runner.invoke(app, ["--db", str(path), *args])
            assert result.exit_code == 0, result.output
        batch = json.loads(runner.invoke(app, ["--db", str(path), "donate", "list", "--format", "json"]).stdout)
        for name in ("packing.xlsx", "packing.csv"):
            result = runner.invoke(app, ["--db", str(path), "donate", "packing-list", batch[0]["batch"], "-o",
                                         str(tmp_path / name)])
            assert result.exit_code == 0, result.output
            assert _mode(tmp_path / name) == 0o600
        result = runner.invoke(app, ["--db", str(path), "donate", "library", "list", "-o", str(tmp_path / "lib.csv")])
        assert result.exit_code == 0 and "061-000-0000" in (tmp_path / "lib.csv").read_text(encoding="utf-8-sig")
        assert _mode(tmp_path / "lib.csv") == 0o600
    finally:
        os.umask(old)


# ------------------------------------------------------------------ migrations


def _fixture_ledger(tmp_path: Path, version: int) -> Path:
    path = tmp_path / f"ledger-v{version}.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / f"ledger-v{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def _all_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    tables = [row[0] for row in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
        "and name != '_sqlite_migrations'")]
    def order(row: tuple) -> list:  # by id first (WITHOUT ROWID tables have no rowid to order by)
        return [(0, value, "") if isinstance(value, int | float) else (1, 0, str(value)) for value in row]

    rows = {table: sorted(conn.execute(f'select * from "{table}"').fetchall(), key=order) for table in tables}
    conn.close()
    return rows


SHIPPED_VERSIONS = sorted(int(path.stem.split("-v")[1]) for path in FIXTURES.glob("ledger-v*.sql"))


def test_a_fixture_is_kept_for_every_schema_version_shipped():
    """Add tests/fixtures/ledger-vN.sql (made by that version's own commands) with each new schema."""
    assert list(range(1, SCHEMA_VERSION + 1)) == SHIPPED_VERSIONS


@pytest.mark.parametrize("version", SHIPPED_VERSIONS)
def test_every_shipped_ledger_upgrades_with_every_row_intact_and_passes_check(tmp_path, version):
    path = _fixture_ledger(tmp_path, version)
    before = _all_rows(path)
    opened = Ledger.open(path)
    assert opened.schema_version == SCHEMA_VERSION
    results = checks.run_checks(opened.conn)
    assert [problem for result in results for problem in result.problems] == []
    opened.close()
    after = _all_rows(path)
    for table, rows in before.items():  # same rows, same values; a migration may only add columns
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table], strict=True):
            assert new[: len(old)] == old, table
    if version < SCHEMA_VERSION:
        made = backup.automatic_backups(backup.backups_folder(path))
        assert len(made) == 1 and made[0].name.endswith(f"-before-upgrade-to-schema-{SCHEMA_VERSION}.db")
        # An upgraded ledger is what a new one is: WAL, owner-only, its journal chained (schema 7).
        conn = sqlite3.connect(path)
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert conn.execute("select count(*) from journal_changes where hash is null").fetchone()[0] == 0
        conn.close()
        assert _mode(path) == 0o600


def test_the_v1_fixture_holds_what_its_header_says(tmp_path):
    rows = _all_rows(_fixture_ledger(tmp_path, 1))
    notes = [row for row in rows["agreement_events"] if row[9] and "DROP TABLE" in row[9]]
    assert notes and notes[0][9] == "'); DROP TABLE agreement_events; --"
    assert len(rows["agreement_events"]) == 126
    assert [row[3] for row in rows["journal_commands"]][-2:] == [
        "nalcoop --by fixture undo",
        "nalcoop --by fixture registry rename 울릉군의회 --to 울릉섬군의회 --date 2026-01-01 "
        "--source 'fixture: invented'"]


# ------------------------------------------------------------------ progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_progress_bar_appears_on_a_terminal_after_about_a_second():
    stream = _Terminal()
    items = list(track(range(500), "importing rows", stream=stream, clock=_Clock(0.01)))
    assert items == list(range(500))
    assert "importing rows" in stream.getvalue()


def test_progress_bar_stays_silent_for_quick_work_and_off_a_terminal():
    quick = _Terminal()
    assert list(track(range(50), "importing rows", stream=quick, clock=_Clock(0.001))) == list(range(50))
    assert quick.getvalue() == ""
    piped = io.StringIO()
    assert list(track(range(500), "importing rows", stream=piped, clock=_Clock(0.01))) == list(range(500))
    assert piped.getvalue() == ""


def test_an_import_in_a_pipe_writes_no_progress_to_stderr(cli):
    result = cli("agreement", "import", str(EXAMPLES / "councils-sample.xlsx"))
    assert "━" not in result.stderr and "importing" not in result.stderr


def test_nalcoop_error_subclasses_are_what_the_cli_prints():
    assert issubclass(backup.BackupError, NalcoopError)


@pytest.mark.parametrize("target", ["ledger", "wal", "other ledger"])
def test_no_export_is_written_over_a_ledger_or_the_files_beside_it(cli, db_path, tmp_path, target):
    """Told by the file itself, not by a list of what this process opened: the open ledger, its -wal, and a
    colleague's ledger lying in the same folder are all refused, and left as they were."""
    other = tmp_path / "other.nalcoop"
    cli("--db", str(other), "init")
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    path = {"ledger": db_path, "wal": Path(f"{db_path}-wal"), "other ledger": other}[target]
    before = file_hash(db_path), path.exists() and file_hash(path)  # the -wal is gone once a command closes
    result = cli("agreement", "list", "-o", str(path), "--format", "csv", ok=False)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"-o {path} is a SQLite database (a ledger, or a file beside one)" in result.stderr
    assert (file_hash(db_path), path.exists() and file_hash(path)) == before


def test_check_output_path_reads_the_file_to_tell_a_database(tmp_path):
    from nalcoop.errors import UsageError
    from nalcoop.render import check_output_path

    database = tmp_path / "anything.xlsx"
    sqlite3.connect(database).execute("create table t (x)").connection.close()
    with pytest.raises(UsageError, match="is a SQLite database"):
        check_output_path(database)
    with pytest.raises(UsageError, match="is a SQLite database"):
        check_output_path(tmp_path / "anything.xlsx-journal")
    plain = tmp_path / "list.csv"
    plain.write_text("a,b\n", encoding="utf-8")
    check_output_path(plain)  # an ordinary file may be replaced
    check_output_path(tmp_path / "new.csv")


def test_restore_at_a_terminal_checks_the_backup_before_it_asks(cli, db_path, tmp_path, monkeypatch):
    """Nobody is asked to confirm a restore that would then be refused: the backup is checked first."""
    from nalcoop.cli import app

    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: True)
    _signed(cli)
    damaged = tmp_path / "damaged.db"
    cli("backup", str(damaged))
    conn = _raw(damaged)
    conn.execute("drop trigger journal_agreement_events_delete")
    conn.close()
    before = file_hash(db_path)
    refused = cli.runner.invoke(app, ["--db", str(db_path), "restore", str(damaged)], input="y\n")
    assert refused.exit_code == 1 and "fails its checks" in refused.output
    assert "[y/N]" not in refused.output  # not asked
    good = tmp_path / "good.db"
    cli("backup", str(good))
    declined = cli.runner.invoke(app, ["--db", str(db_path), "restore", str(good)], input="n\n")
    assert "[y/N]" in declined.output and "nothing was done" in declined.output and declined.exit_code == 1
    assert file_hash(db_path) == before and not list(tmp_path.glob("*.before-restore-*"))
    accepted = cli.runner.invoke(app, ["--db", str(db_path), "restore", str(good)], input="y\n")
    assert accepted.exit_code == 0 and "restored " in accepted.output


def test_restore_in_a_script_without_yes_is_refused_before_the_backup_is_read(cli, db_path, tmp_path):
    missing = tmp_path / "not-there.db"  # were the backup read first, this would say it does not exist
    refused = cli("restore", str(missing), ok=False)
    assert refused.exit_code == 2 and "give --yes" in refused.output and "does not exist" not in refused.output

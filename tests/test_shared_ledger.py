"""Issue 18: nothing lost on a shared ledger. restore, undo and purge under concurrent use, a tamper-evident
journal, every hostile input refused in one line, recovery from a killed init, and a shared ledger done right.

The trials that need real processes (writers in loops, kills, FIFOs, memory peaks, a full or read-only disk)
run them, and are marked slow; each is bounded in count and time.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from nalcoop import checks
from nalcoop.errors import visible
from nalcoop.ledger.store import Ledger
from tests.conftest import file_hash
from tests.test_hostile import (
    CONTENT_TYPES,
    MAIN,
    PACKAGE_RELS,
    PEAK_LIMIT_MB,
    WORKBOOK,
    WORKBOOK_RELS,
    _sheet,
    run_nalcoop,
)

RUNS = 20


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _nalcoop(db: Path, *args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nalcoop", "--db", str(db), *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "NO_COLOR": "1", **(env or {})})


# ------------------------------------------------------------------ 1. restore under load

# A writer: full nalcoop commands in a loop, printing each note whose command exited 0 (acknowledged).
WRITER = textwrap.dedent(
    """
    import sys, time
    import typer.main
    from nalcoop.cli import app

    db, name, stop = sys.argv[1], sys.argv[2], sys.argv[3]
    command = typer.main.get_command(app)
    started, number = time.monotonic(), 0
    import os
    while number < 400 and time.monotonic() - started < 30 and not os.path.exists(stop):
        note = f"{name} {number}"
        try:
            code = command.main(["--db", db, "--by", name, "agreement", "follow-up", "서울특별시의회", "--date",
                                 "2014-02-03", "--kind", "materials", "--note", note],
                                prog_name="nalcoop", standalone_mode=False)
        except SystemExit as exc:
            code = exc.code
        if code in (None, 0):
            print(note, flush=True)
        number += 1
    """
)


def _notes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("select note from agreement_events where note is not null")}
    finally:
        conn.close()


@pytest.mark.slow
def test_restore_under_load_loses_no_acknowledged_write(cli, db_path, tmp_path, figures):
    cli("agreement", "request", "서울특별시의회", "--date", "2013-05-01")
    cli("agreement", "sign", "서울특별시의회", "--date", "2013-07-01", "--mode", "in-person")
    saved = tmp_path / "b.db"
    cli("backup", str(saved))
    template = db_path.read_bytes()
    acknowledged = lost = 0
    started = time.monotonic()
    for run in range(RUNS):
        folder = tmp_path / f"run-{run}"
        folder.mkdir()
        db = folder / "ledger.db"
        db.write_bytes(template)
        stop = folder / "stop"
        writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), f"writer-{n}", str(stop)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(2)]
        time.sleep(random.Random(run).uniform(0.3, 0.6))  # the writers are starting or at work
        restored = _nalcoop(db, "restore", "--yes", str(saved))
        stop.touch()
        outputs = [writer.communicate(timeout=60) for writer in writers]
        assert restored.returncode == 0, restored.stderr
        assert "Traceback" not in restored.stderr + "".join(err for _, err in outputs)
        written = {line for out, _ in outputs for line in out.splitlines()}
        kept = sorted(folder.glob("ledger.db.before-restore-*"))
        assert len(kept) == 1
        present = _notes(db) | _notes(kept[0])
        acknowledged += len(written)
        lost += len(written - present)
        assert written <= present, f"run {run}: lost {sorted(written - present)}"
        assert [p for r in checks.run_checks(Ledger.open(db).conn) for p in r.problems] == []
    figures.record("restore", f"restore under load ({RUNS} runs, 2 writers in loops, a restore in the middle)",
                   f"{acknowledged} writes acknowledged, {lost} lost, {time.monotonic() - started:.0f} s")


# ------------------------------------------------------------------ 2. undo and redo are per person


def _count(db: Path, where: str = "1") -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"select count(*) from agreement_events where {where}").fetchone()[0]
    finally:
        conn.close()


def test_undo_reverts_your_own_latest_command_not_a_colleague_s(cli, db_path):
    cli("--author", "alice", "agreement", "request", "종로구", "--date", "2020-01-02")
    cli("--author", "alice", "agreement", "request", "서울 중구", "--date", "2020-01-03")
    cli("--author", "bob", "agreement", "request", "용산구", "--date", "2020-01-04")
    first = cli("--author", "alice", "undo")
    assert "agreement request '서울 중구'" in first.stderr or "서울 중구" in first.stderr
    assert _count(db_path, "council_id = (select council_id from council_versions where gov = '용산구')") == 1
    cli("--author", "alice", "undo")  # walks back
    assert _count(db_path) == 1  # only bob's is left
    redone = cli("--author", "alice", "redo")  # re-applies the last undone: 종로구
    assert "redid command" in redone.stderr and "종로구" in redone.stderr
    assert _count(db_path) == 2
    cli("--author", "alice", "redo")
    assert _count(db_path) == 3
    refused = cli("--author", "alice", "redo", ok=False)
    assert refused.exit_code == 1 and "nothing of yours (alice) to redo" in refused.stderr
    bobs = sqlite3.connect(db_path).execute("select max(id) from journal_commands where by = 'bob'").fetchone()[0]
    other = cli("--author", "alice", "undo", str(bobs))
    assert f"undid command {bobs}" in other.stderr and "a command by bob" in other.stderr
    nobody = cli("--author", "carol", "undo", ok=False)
    assert "no command of yours (carol) left to undo" in nobody.stderr and "give its id" in nobody.stderr


UNDOER = textwrap.dedent(
    """
    import sys
    import typer.main
    from nalcoop.cli import app

    db, count = sys.argv[1], int(sys.argv[2])
    command = typer.main.get_command(app)
    for number in range(count):
        command.main(["--db", db, "--by", "bob", "agreement", "follow-up", "서울특별시의회", "--date", "2014-02-03",
                      "--kind", "materials", "--note", f"bob {number}"], prog_name="nalcoop", standalone_mode=False)
    """
)


@pytest.mark.slow
def test_undo_while_a_colleague_writes_reverts_only_one_s_own_command(cli, db_path, tmp_path):
    cli("--author", "bob", "agreement", "request", "서울특별시의회", "--date", "2013-05-01")
    cli("--author", "bob", "agreement", "sign", "서울특별시의회", "--date", "2013-07-01", "--mode", "in-person")
    template = db_path.read_bytes()
    for run in range(5):
        db = tmp_path / f"run-{run}.db"
        db.write_bytes(template)
        assert _nalcoop(db, "--author", "alice", "agreement", "request", "종로구", "--date",
                        "2020-01-02").returncode == 0
        colleague = subprocess.Popen([sys.executable, "-c", UNDOER, str(db), "15"], stderr=subprocess.PIPE)
        time.sleep(0.5 + 0.1 * run)
        undone = _nalcoop(db, "--author", "alice", "undo")
        colleague.wait(timeout=60)
        assert undone.returncode == 0, undone.stderr
        assert "종로구" in undone.stderr
        assert _count(db, "note like 'bob %'") == 15  # every one of the colleague's commands is there
        assert _count(db, "step = 'request'") == 1  # alice's request is gone, bob's stays


# ------------------------------------------------------------------ 3. a tamper-evident journal


def _forge(db: Path, table: str, op: str = "insert", before: str | None = None) -> int:
    conn = sqlite3.connect(db, isolation_level=None)
    command = conn.execute("select max(id) from journal_commands").fetchone()[0]
    cursor = conn.execute("insert into journal_changes (command_id, tbl, row_id, op, before, after) "
                          "values (?, ?, 1, ?, ?, '{}')", [command, table, op, before])
    conn.close()
    return cursor.lastrowid


def test_a_forged_journal_entry_fails_check_naming_it_and_undo_refuses_it(cli, db_path, figures):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    cli("agreement", "request", "용산구", "--date", "2020-01-03")
    events = _count(db_path)
    forged = _forge(db_path, 'agreement_events" where id > ? or 1=1 --')
    before = file_hash(db_path)
    result = cli("check", ok=False)
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if line.startswith("FAILED journal: journal entry"))
    assert f"journal entry {forged} " in line and "breaks the journal's hash chain" in line
    figures.record("journal", "forged journal entry (table name with SQL in it)",
                   f"check exits {result.exit_code}: {line[:110]}…")
    undo = cli("undo", ok=False)
    assert undo.exit_code == 1 and "cannot be undone" in undo.stderr and "nalcoop check" in undo.stderr
    assert _count(db_path) == events
    assert file_hash(db_path) == before


def test_a_forged_reveal_entry_in_other_capitals_stays_irreversible(cli, db_path):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    _forge(db_path, "Intern_Reveals", op="delete", before='{"id": 1}')
    assert "breaks the journal's hash chain" in cli("check", ok=False).stdout
    result = cli("undo", ok=False)
    assert result.exit_code == 1 and "cannot be undone" in result.stderr
    assert _count(db_path) == 1


def test_a_changed_journal_command_breaks_the_chain(cli, db_path):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("update journal_commands set by = 'someone else' where id = (select max(id) from journal_commands)")
    conn.close()
    assert "breaks the journal's hash chain" in cli("check", ok=False).stdout


# ------------------------------------------------------------------ 4. restore on a damaged ledger


def test_restore_works_on_a_damaged_ledger_and_moves_it_aside(cli, db_path, tmp_path):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    saved = tmp_path / "saved.db"
    cli("backup", str(saved))
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    db_path.write_bytes(bytes(data))
    Path(f"{db_path}-wal").write_bytes(b"")
    result = cli("restore", "--yes", str(saved))
    moved = sorted(tmp_path.glob("ledger.db.damaged-*"))
    assert moved and all(str(path) in result.stderr for path in moved)
    assert "damaged ledger was moved aside" in result.stderr
    assert cli("check").stdout.startswith("ok:")
    assert _count(db_path) == 1


# ------------------------------------------------------------------ 5. a killed init


def test_an_init_that_never_committed_is_completed_not_refused(tmp_path, cli):
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute("pragma journal_mode = wal")  # what a killed init leaves: a SQLite file with no table
    conn.close()
    from typer.testing import CliRunner

    from nalcoop.cli import app

    info = CliRunner().invoke(app, ["--db", str(db), "info"])
    assert info.exit_code == 1 and "was never finished" in info.output and "nalcoop init" in info.output
    assert CliRunner().invoke(app, ["--db", str(db), "init"]).exit_code == 0
    assert CliRunner().invoke(app, ["--db", str(db), "check"]).output.startswith("ok:")


@pytest.mark.slow
def test_init_killed_at_a_random_moment_is_completed_by_the_next_init(tmp_path, figures):
    outcomes = []
    for trial in range(8):
        db = tmp_path / f"killed-{trial}" / "ledger.db"
        process = subprocess.Popen([sys.executable, "-m", "nalcoop", "--db", str(db), "init"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.Random(trial).uniform(0.05, 0.5))  # init takes about 0.4 s: most are killed mid-way
        outcomes.append("killed" if process.poll() is None else "finished")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        again = _nalcoop(db, "init")
        assert again.returncode == 0, again.stderr
        assert _nalcoop(db, "check").stdout.startswith("ok:")
    figures.record("crash", "init killed at a random moment, then init again",
                   f"{len(outcomes)} run, {outcomes.count('killed')} killed while running, all completed and "
                   "passed check")


# ------------------------------------------------------------------ 6. one line, not a traceback


def _mount_tmpfs(folder: Path, size: str, *options: str) -> bool:
    folder.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs",
                           str(folder)], capture_output=True)
    return done.returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (the machine must allow mounting: root on Linux); skipped elsewhere."""
    folder = tmp_path / "disk"
    if sys.platform != "linux" or not _mount_tmpfs(folder, "3m"):
        pytest.skip("cannot mount a small tmpfs here")
    yield folder
    _umount(folder)


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass


@pytest.mark.slow
def test_a_full_disk_gets_one_line_on_a_write_and_an_export(db_path, small_disk):
    db = small_disk / "ledger.db"
    db.write_bytes(db_path.read_bytes())
    _fill(small_disk)
    before = file_hash(db)
    for args in (["agreement", "request", "종로구", "--date", "2020-01-02"],
                 ["agreement", "councils", "-o", str(small_disk / "councils.xlsx")],
                 ["backup", str(small_disk / "b.db")]):
        done = _nalcoop(db, *args)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
        assert "full" in lines[0] or "No space left" in lines[0], lines[0]
    assert file_hash(db) == before
    assert not list(small_disk.glob(".nalcoop-*"))


def test_a_backup_onto_a_full_disk_names_the_file_and_what_to_do(db_path, small_disk):
    """The second reader: the line named the folder, not the file, and gave no advice."""
    _fill(small_disk)
    done = _nalcoop(db_path, "backup", str(small_disk / "b.db"))
    assert done.returncode == 1
    assert done.stderr.strip() == (f"Error: the disk holding {small_disk} is full: b.db was not written; free some "
                                   "space there or back up to another folder")


@pytest.mark.slow
def test_a_read_only_disk_gets_one_line_even_on_info_and_backup(db_path, tmp_path, small_disk):
    (small_disk / "ledger.db").write_bytes(db_path.read_bytes())
    if subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode:
        pytest.skip("cannot remount read-only")
    for db, args in ((small_disk / "ledger.db", ["info"]),
                     (small_disk / "ledger.db", ["agreement", "request", "종로구", "--date", "2020-01-02"]),
                     (db_path, ["backup", str(small_disk / "b.db")])):
        done = _nalcoop(db, *args)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
        assert "read-only" in lines[0].lower(), lines[0]


def test_dev_null_as_the_ledger_is_refused_and_nothing_is_made_beside_it(tmp_path, cli):
    result = cli("--db", "/dev/null", "init", ok=False)  # the last --db wins
    assert result.exit_code == 1 and "/dev/null is a device, not a regular file" in result.output
    assert not Path("/dev/null-journal").exists() and not Path("/dev/null-wal").exists()


# ------------------------------------------------------------------ 7. memory and time bounded


def _empty_strings_bomb(path: Path, count: int = 75_000_000) -> Path:
    """An xlsx whose sharedStrings.xml holds `count` empty strings (<si/>): 375 MB inflated, about 0.5 MB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(extra=""))
        archive.writestr("xl/worksheets/sheet1.xml", _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode())
            chunk = b"<si/>" * 1_000_000
            for _ in range(count // 1_000_000):
                part.write(chunk)
            part.write(b"</sst>")
    return path


YAML_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join('*' + chr(97 + n) for _ in range(9))}]" for n in range(8)]
    + ["fields: *i"]
) + "\n"


@pytest.mark.slow
@pytest.mark.parametrize("case", ["xlsx of 75 million empty shared strings", "YAML column map of nested anchors",
                                  "--db naming a FIFO"])
def test_hostile_inputs_are_refused_in_one_line_within_bounded_memory(case, db_path, tmp_path, figures):
    before = file_hash(db_path)
    if case.startswith("xlsx"):
        hostile = _empty_strings_bomb(tmp_path / "strings.xlsx")
        run = run_nalcoop(db_path, "agreement", "import", str(hostile))
        phrase = "shared strings"
    elif case.startswith("YAML"):
        hostile = tmp_path / "map.yaml"
        hostile.write_text(YAML_BOMB, encoding="utf-8")
        sheet = tmp_path / "list.csv"
        sheet.write_text("의회명,요청일\n서울특별시의회,2013-05-01\n", encoding="utf-8")
        run = run_nalcoop(db_path, "agreement", "import", str(sheet), "--map", str(hostile))
        phrase = "anchor or alias"
    else:
        fifo = tmp_path / "pipe.db"
        os.mkfifo(fifo)
        hostile = fifo
        run = run_nalcoop(fifo, "info", timeout=20)
        phrase = "named pipe (FIFO)"
    figures.record("hostile", case, f"refused, peak {run.peak_mb:.0f} MB, {run.seconds:.1f} s")
    lines = run.stderr.strip().splitlines()
    assert run.code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), run.stderr
    assert phrase in lines[0] and str(hostile) in lines[0]
    assert run.peak_mb < PEAK_LIMIT_MB and run.seconds < 30
    assert file_hash(db_path) == before


def test_the_shared_string_count_is_measured_while_inflating(tmp_path, monkeypatch):
    from nalcoop.importer import ImportFileError, _check_zip

    monkeypatch.setenv("NALCOOP_IMPORT_MAX_CELLS", "1000")
    with pytest.raises(ImportFileError, match="more than 1,000 shared strings"):
        _check_zip(_empty_strings_bomb(tmp_path / "s.xlsx", count=2_000_000))
    assert zlib  # the bomb is a deflated part: never trusted by its declared size


# ------------------------------------------------------------------ 8. -o never replaces a special file


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a Unix thing")
def test_output_refuses_a_fifo_and_a_device(cli, tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    result = cli("agreement", "councils", "-o", str(fifo), ok=False)
    assert result.exit_code == 2 and "is not a regular file" in result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    device = tmp_path / "null.csv"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        return
    result = cli("agreement", "councils", "-o", str(device), ok=False)
    assert "is not a regular file" in result.output and stat.S_ISCHR(os.stat(device).st_mode)


# ------------------------------------------------------------------ 9. terminal escapes never reach the screen

HOSTILE_TEXT = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil"


def test_visible_shows_every_control_as_an_escape():
    shown = visible(HOSTILE_TEXT)
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in shown
    assert shown == "␛]0;owned␇␛[2J\\u009b31m\\u202eevil"
    assert visible("a\tb\nc", keep="\t\n") == "a\tb\nc"
    assert visible("a\nb") == "a␊b"  # one line stays one line


def _no_raw_controls(text: str) -> None:
    assert not any(ch in text for ch in ("\x1b", "\x07", "\x9b", "\u202e")), repr(text)


def test_errors_confirmations_and_import_reports_show_escapes(cli, tmp_path):
    error = cli("agreement", "show", HOSTILE_TEXT, ok=False)
    assert error.exit_code == 1
    _no_raw_controls(error.output)
    added = cli("donate", "library", "add", f"도서관{HOSTILE_TEXT}", "--type", "small", "--region", "신안군")
    _no_raw_controls(added.output)
    assert "␛]0;owned␇" in added.stderr
    sheet = tmp_path / "list.csv"
    sheet.write_text(f"의회명,요청일\n서울특별시의회{HOSTILE_TEXT},2013-05-01\n", encoding="utf-8")
    report = cli("agreement", "import", str(sheet), ok=False)
    _no_raw_controls(report.output)
    listing = cli("donate", "library", "list", "--format", "table")
    _no_raw_controls(listing.stdout)


# ------------------------------------------------------------------ 10. purge tells the truth


def _student(cli) -> None:
    cli("intern", "cohort", "add", "2024-summer", "--from", "2024-07-01", "--to", "2024-08-01", "--slots", "2",
        "--required-hours", "10", "--dept", "의회정보실")
    cli("intern", "apply", "--cohort", "2024-summer", "--name", "홍길동", "--university", "한남대학교", "--email",
        "hong.gildong@example.ac.kr", "--date", "2024-06-01")


def test_purge_waits_for_a_reader_and_says_so_rather_than_report_done(cli, db_path, monkeypatch, tmp_path):
    interns_purge = importlib.import_module("nalcoop.interns.purge")  # not interns.purge, the function

    _student(cli)
    saved = tmp_path / "saved.db"
    cli("backup", str(saved))
    cli("restore", "--yes", str(saved))  # leaves a before-restore copy, which still holds the e-mail
    monkeypatch.setattr(interns_purge, "PURGE_WAIT_SECONDS", 0.5)
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("begin")
    reader.execute("select count(*) from intern_students").fetchone()  # holds a read transaction
    refused = cli("intern", "purge", "--older-than", "1y", "--yes", ok=False)
    assert refused.exit_code == 1 and "another nalcoop command is reading the ledger" in refused.output
    assert "run `nalcoop intern purge --older-than 1y` again" in refused.output
    reader.close()
    finished = cli("intern", "purge", "--older-than", "1y", "--yes")
    assert "nothing to purge" in finished.stderr
    for path in (db_path, Path(f"{db_path}-wal")):
        if path.exists():
            assert b"hong.gildong" not in path.read_bytes()
    assert cli("check").stdout.startswith("ok:")


def test_a_purge_through_the_python_functions_leaves_nothing_on_disk_and_cannot_be_undone(cli, db_path):
    """The disk rules (secure_delete, the write-ahead log emptied) and the irreversibility are the purge's
    own, not the command's: a script that calls interns.purge_ledger gets all of them."""
    from nalcoop import interns
    from nalcoop.ledger import journal
    from nalcoop.ledger.store import Ledger

    _student(cli)
    ledger = Ledger.open(db_path)
    try:
        plan = interns.purge_candidates(ledger.conn, "1y", "2026-11-25")
        assert len(plan.students) == 1
        interns.purge_ledger(ledger, plan, "2026-11-25", command="a librarian's script", by="tester", again="it")
        for path in (db_path, Path(f"{db_path}-wal")):
            if path.exists():
                assert b"hong.gildong" not in path.read_bytes() and "홍길동".encode() not in path.read_bytes()
        last = ledger.conn.execute("select max(id) from journal_commands").fetchone()[0]
        with ledger.command("nalcoop undo", "tester") as undo_id, \
                pytest.raises(journal.UndoError, match="cannot be undone"):
            journal.undo(ledger.conn, last, undo_id)
    finally:
        ledger.close()
    assert cli("check").stdout.startswith("ok:")


def test_purge_names_the_before_restore_copy_that_still_holds_the_data(cli, tmp_path):
    _student(cli)
    saved = tmp_path / "saved.db"
    cli("backup", str(saved))
    cli("restore", "--yes", str(saved))
    result = cli("intern", "purge", "--older-than", "1y", "--yes")
    kept = sorted(tmp_path.glob("ledger.db.before-restore-*"))
    assert kept and str(kept[0]) in result.stderr and "still hold that data" in result.stderr
    assert cli("check").stdout.startswith("ok:")


# ------------------------------------------------------------------ 11. leftovers, folder modes, upgrades


def test_scratch_files_of_a_killed_backup_or_restore_are_cleared(cli, db_path, tmp_path):
    partial = tmp_path / ".nalcoop-backup-abc.partial"
    partial.write_bytes(b"a hidden full copy")
    scratch = tmp_path / ".nalcoop-restore-abc.db"
    scratch.write_bytes(b"another")
    cli("backup", str(tmp_path / "b.db"))
    assert not partial.exists()
    cli("restore", "--yes", str(tmp_path / "b.db"))
    assert not scratch.exists()


def test_a_scratch_file_someone_holds_is_left_alone(tmp_path):
    fcntl = pytest.importorskip("fcntl")
    from nalcoop.ledger.backup import clear_leftovers

    busy = tmp_path / ".nalcoop-backup-busy.partial"
    busy.write_bytes(b"being written")
    with open(busy, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert clear_leftovers(tmp_path, ".nalcoop-backup-*.partial") == []
    assert busy.exists()


def test_folders_init_creates_are_owner_only_under_umask_000(tmp_path):
    from typer.testing import CliRunner

    from nalcoop.cli import app

    old = os.umask(0)
    try:
        db = tmp_path / "new" / "sub" / "ledger.db"
        assert CliRunner().invoke(app, ["--db", str(db), "init"]).exit_code == 0
    finally:
        os.umask(old)
    assert _mode(tmp_path / "new") == 0o700 and _mode(tmp_path / "new" / "sub") == 0o700
    assert _mode(db) == 0o600


# ------------------------------------------------------------------ a shared ledger done right


def test_a_ledger_on_a_network_filesystem_is_refused_unless_overridden(cli, db_path, tmp_path, monkeypatch):
    from nalcoop.ledger import files as db_module

    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nserver:/share {tmp_path} nfs4 rw 0 0\n")
    monkeypatch.setattr(db_module, "MOUNTS_FILE", str(mounts))
    refused = cli("info", ok=False)
    assert refused.exit_code == 1 and "network filesystem (nfs4)" in refused.output
    assert "NALCOOP_ALLOW_NETWORK_FS=1" in refused.output and "SSH" in refused.output
    monkeypatch.setenv("NALCOOP_ALLOW_NETWORK_FS", "1")
    cli("info")


@pytest.mark.skipif(sys.platform == "win32", reason="groups are a Unix thing")
def test_group_mode_makes_the_ledger_and_its_copies_the_group_s(tmp_path):
    import grp

    from typer.testing import CliRunner

    from nalcoop.cli import app

    group = grp.getgrgid(os.getgid()).gr_name
    db = tmp_path / "team" / "ledger.db"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(db), "init", "--group", group]).exit_code == 0
    assert _mode(db) == 0o660 and _mode(db.parent) == 0o2770 and db.stat().st_gid == os.getgid()
    assert runner.invoke(app, ["--db", str(db), "backup", str(tmp_path / "b.db")]).exit_code == 0
    assert _mode(tmp_path / "b.db") == 0o660
    opened = Ledger.open(db)
    opened.conn.execute("select count(*) from councils").fetchone()
    assert _mode(Path(f"{db}-wal")) == 0o660
    opened.close()
    unknown = runner.invoke(app, ["--db", str(db), "init", "--group", "no-such-group-here"])
    assert unknown.exit_code == 2 and "there is no group 'no-such-group-here'" in unknown.output


def test_init_works_where_os_fchmod_does_not_exist(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from nalcoop.cli import app

    monkeypatch.delattr(os, "fchmod", raising=False)  # Windows under Python 3.11 and 3.12
    db = tmp_path / "ledger.db"
    result = CliRunner().invoke(app, ["--db", str(db), "init"])
    assert result.exit_code == 0, result.output
    assert _mode(db) == 0o600


def test_history_json_still_lists_undo_and_redo(cli):
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    cli("undo")
    cli("redo")
    rows = json.loads(cli("history", "--limit", "3", "--format", "json").stdout)
    assert rows[0]["undoes"] == rows[1]["id"] and rows[1]["undoes"] == rows[2]["id"]

"""Issue 3, concurrency: four processes each run 250 write commands against one ledger at once;
every change is recorded, the journal has one entry per command, and nothing fails as locked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from nalcoop import checks
from nalcoop.ledger.store import Ledger

pytestmark = pytest.mark.slow  # processes writing at once

PROCESSES = 4
COMMANDS = 250

# Each worker runs full nalcoop commands (parse, open the ledger, one journaled write, close)
# in a loop, as a colleague's scripts would; all four write follow-ups to the same council.
WORKER = textwrap.dedent(
    """
    import sys
    import typer.main
    from nalcoop.cli import app

    db, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    command = typer.main.get_command(app)  # built once, as in a process per command
    failures = 0
    for number in range(count):
        args = ["--db", db, "--by", f"worker-{worker}", "agreement", "follow-up", "서울특별시의회",
                "--date", "2014-02-03", "--kind", "materials", "--note", f"worker {worker} command {number}"]
        code = command.main(args, prog_name="nalcoop", standalone_mode=False)
        if code not in (None, 0):
            failures += 1
            print(f"worker {worker} command {number} exited {code}", file=sys.stderr)
    print(failures)
    """
)


def test_four_processes_writing_at_once_lose_nothing_and_are_never_locked_out(cli, db_path, figures):
    cli("agreement", "request", "서울특별시의회", "--date", "2013-05-01")
    cli("agreement", "sign", "서울특별시의회", "--date", "2013-07-01", "--mode", "in-person")
    commands_before = Ledger.open(db_path).conn.execute("select count(*) from journal_commands").fetchone()[0]
    started = time.monotonic()
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(db_path), str(worker), str(COMMANDS)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for worker in range(PROCESSES)
    ]
    outputs = [worker.communicate(timeout=600) for worker in workers]
    seconds = time.monotonic() - started
    for worker, (stdout, stderr) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, stderr
        assert "locked" not in stderr and "busy" not in stderr and "Error" not in stderr, stderr
        assert stderr.count("follow-up recorded on 2014-02-03") == COMMANDS
        assert stdout.strip() == "0", stderr
    opened = Ledger.open(db_path)
    conn = opened.conn
    notes = [row[0] for row in conn.execute("select note from agreement_events where step = 'follow-up'")]
    expected = {f"worker {worker} command {number}" for worker in range(PROCESSES) for number in range(COMMANDS)}
    assert len(notes) == PROCESSES * COMMANDS and set(notes) == expected
    commands = conn.execute("select count(*) from journal_commands").fetchone()[0] - commands_before
    assert commands == PROCESSES * COMMANDS
    by_worker = dict(conn.execute("select by, count(*) from journal_commands where by like 'worker-%' group by by"))
    assert by_worker == {f"worker-{worker}": COMMANDS for worker in range(PROCESSES)}
    assert [problem for result in checks.run_checks(conn) for problem in result.problems] == []
    opened.close()
    figures.record("concurrency", f"{PROCESSES} processes x {COMMANDS} write commands on one ledger",
                   f"{PROCESSES * COMMANDS} issued, {len(notes)} recorded, {commands} journal entries, "
                   f"0 failed as locked, {seconds:.1f} s")

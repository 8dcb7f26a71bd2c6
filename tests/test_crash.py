"""Issue 3, crash safety: a command killed with SIGKILL at a random moment leaves the ledger
openable, passing `check`, and with the command's changes wholly present or wholly absent."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nalcoop import checks, distribution, interns, network, registry
from nalcoop.ledger.store import Ledger

pytestmark = pytest.mark.slow  # SIGKILL trials, each in its own process

TRIALS = 30
BOOKS = 2000
SUBSCRIBERS = 3000
SEND = ("distribute", "send", "월간 국회도서관", "--issue", "2024-05", "--date", "2024-05-20")
ORGS = 200
TRAINEES = 2000
ATTEND = ("network", "attend", "크래시 시험 과정", "--import")
STUDENTS = 100


def _run(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nalcoop", "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})


def _count(db: Path, table: str = "agreement_events") -> int:
    """Open the ledger after the kill (recovering its WAL), run every check, count the rows."""
    opened = Ledger.open(db)
    try:
        failures = [f"{result.name}: {problem}" for result in checks.run_checks(opened.conn)
                    for problem in result.problems]
        assert failures == [], failures
        return opened.conn.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        opened.close()


def _timed(db: Path, *args: str) -> float:
    started = time.monotonic()
    done = _run(db, *args)
    assert done.wait(timeout=120) == 0, done.stderr.read().decode()
    return time.monotonic() - started


@pytest.fixture(scope="module")
def workload(tmp_path_factory, _initialised_template):
    """A CSV of every council of 2020 with request, consultation and signing dates, the time an
    uninterrupted import takes, and a ledger with that import done (for the undo trials)."""
    folder = tmp_path_factory.mktemp("crash")
    template = folder / "template.db"
    template.write_bytes(_initialised_template)
    opened = Ledger.open(template)
    councils = registry.councils_as_of(opened.conn, "2020-01-01")
    opened.close()
    big = folder / "all-councils.csv"
    with big.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["의회명", "시도", "코드", "요청일", "협의일", "협약일", "비고"])
        for number, council in enumerate(councils):
            month = number % 12 + 1
            writer.writerow([council.name, council.province, council.code, f"2015-{month:02d}-01",
                             f"2016-{month:02d}-01", f"2017-{month:02d}-01", f"crash test row {number}"])
    expected = 3 * len(councils)
    imported = folder / "imported.db"
    imported.write_bytes(_initialised_template)
    seconds = _timed(imported, "agreement", "import", str(big))
    assert _count(imported) == expected
    undone = folder / "undone.db"
    undone.write_bytes(imported.read_bytes())
    undo_seconds = _timed(undone, "undo")
    assert _count(undone) == 0

    # A donation batch command: 2,000 books in stock, then `donate add --file` draws them all into
    # one batch (a line, a stock move and a batch update per row, in one transaction).
    books = folder / "books.csv"
    with books.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["서명", "수량", "사유"])
        for number in range(BOOKS):
            writer.writerow([f"크래시 시험 도서 {number:04d}", 2, "중복"])
    stocked = folder / "stocked.db"
    stocked.write_bytes(_initialised_template)
    for args in (["donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "전라남도 신안군"],
                 ["donate", "stock", "import", str(books), "--date", "2024-03-01"]):
        _timed(stocked, *args)
    batched = folder / "batched.db"
    batched.write_bytes(stocked.read_bytes())
    batch_seconds = _timed(batched, "donate", "add", "--library", "해바라기작은도서관", "--import", str(books),
                           "--date", "2024-05-01")
    assert _count(batched, "donation_batch_items") == BOOKS

    # A dispatch run: 3,000 recipients on a monthly's standing list, one issue sent to all of them.
    subscribed = folder / "subscribed.db"
    subscribed.write_bytes(_initialised_template)
    opened = Ledger.open(subscribed)
    with opened.command("crash test set-up", "test"):
        conn = opened.conn
        monthly = distribution.add_publication(conn, "월간 국회도서관", "monthly")
        distribution.add_issue(conn, monthly, "2024-05", "2024-05-15")
        for number in range(SUBSCRIBERS):
            recipient = distribution.add_recipient(conn, f"수령기관 {number:04d}", "JP" if number % 3 else "US",
                                                   "university", None)
            distribution.subscribe(conn, recipient, monthly, 1 + number % 2, "2024-01-01")
    opened.close()
    sent = folder / "sent.db"
    sent.write_bytes(subscribed.read_bytes())
    send_seconds = _timed(sent, *SEND)
    assert _count(sent, "distribution_dispatch_lines") == SUBSCRIBERS

    # A participant list: 2,000 trainees of 200 organizations imported into one course run.
    enrolled = folder / "enrolled.db"
    enrolled.write_bytes(_initialised_template)
    opened = Ledger.open(enrolled)
    with opened.command("crash test set-up", "test"):
        for number in range(ORGS):
            network.add_org(opened.conn, f"참가기관 {number:03d}", "library")
        network.add_event(opened.conn, "course", "크래시 시험 과정", "2024-07-01", hours=30)
    opened.close()
    trainees = folder / "trainees.csv"
    with trainees.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["소속기관", "성명", "출석", "이수시간"])
        for number in range(TRAINEES):
            writer.writerow([f"참가기관 {number % ORGS:03d}", f"교육생 {number:04d}", "출석", 20 + number % 11])
    attended = folder / "attended.db"
    attended.write_bytes(enrolled.read_bytes())
    attend_seconds = _timed(attended, *ATTEND, str(trainees))
    assert _count(attended, "network_participants") == TRAINEES

    # A timesheet: 100 placed students, 20 weekdays each, 2,000 rows in one import.
    placed = folder / "placed.db"
    placed.write_bytes(_initialised_template)
    opened = Ledger.open(placed)
    with opened.command("crash test set-up", "test"):
        conn = opened.conn
        cohort = interns.add_cohort(conn, "2025-summer", "2025-07-07", "2025-08-01", STUDENTS, 90)
        for number in range(STUDENTS):
            application, _ = interns.apply(conn, cohort, f"실습생{number:03d}", "한남대학교", "2025-06-01",
                                           email=f"s{number}@example.ac.kr")
            interns.step(conn, application, "accept", "2025-06-20")
            interns.place(conn, interns.application_by_id(conn, application.id), "의회정보실", "2025-07-07")
    opened.close()
    timesheet = folder / "timesheet.csv"
    days = [day for day in (dt.date(2025, 7, 7) + dt.timedelta(days=n) for n in range(26)) if day.weekday() < 5]
    with timesheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["성명", "일자", "시간"])
        for number in range(STUDENTS):
            for day in days:
                writer.writerow([f"실습생{number:03d}", day.isoformat(), 4.5])
    logged = folder / "logged.db"
    logged.write_bytes(placed.read_bytes())
    timesheet_seconds = _timed(logged, "intern", "hours", "--import", str(timesheet))
    assert _count(logged, "intern_hours") == STUDENTS * len(days)
    return {"template": template, "csv": big, "expected": expected, "imported": imported, "books": books,
            "stocked": stocked, "subscribed": subscribed, "enrolled": enrolled, "trainees": trainees,
            "placed": placed, "timesheet": timesheet, "timesheet_rows": STUDENTS * len(days),
            "seconds": {"import": seconds, "undo": undo_seconds, "donation batch": batch_seconds,
                        "dispatch run": send_seconds, "participant import": attend_seconds,
                        "timesheet import": timesheet_seconds},
            "outcomes": {"import": [], "undo": [], "donation batch": [], "dispatch run": [],
                         "participant import": [], "timesheet import": []}}


def _trial(workload, tmp_path, seed: int, kind: str, args: list[str], source: Path, before: int, after: int,
           figures, table: str = "agreement_events") -> None:
    rng = random.Random(seed)
    db = tmp_path / "ledger.db"
    db.write_bytes(source.read_bytes())
    process = _run(db, *args)
    # from start-up to well past the usual end: the kill lands before, during and after the write
    time.sleep(rng.uniform(0.1, 1.6) * workload["seconds"][kind])
    killed = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    stderr = process.stderr.read().decode()
    assert "Traceback" not in stderr
    events = _count(db, table)
    assert events in (before, after), f"seed {seed}: {events} events, neither {before} nor {after}"
    outcomes = workload["outcomes"][kind]
    outcomes.append(("killed" if killed else "finished", "absent" if events == before else "present"))
    if len(outcomes) == TRIALS:
        killed_count = sum(1 for when, _ in outcomes if when == "killed")
        present = sum(1 for _, state in outcomes if state == "present")
        figures.record("crash", f"{kind} trials (SIGKILL at a random moment)",
                       f"{TRIALS} run, {TRIALS} survived check; {killed_count} killed while running, "
                       f"{present} left the {kind} wholly present, {TRIALS - present} wholly absent; "
                       f"uninterrupted {kind} {workload['seconds'][kind]:.2f} s")


@pytest.mark.parametrize("seed", range(TRIALS))
def test_an_import_killed_at_a_random_moment_is_wholly_present_or_absent(workload, tmp_path, seed, figures):
    _trial(workload, tmp_path, seed, "import", ["agreement", "import", str(workload["csv"])],
           workload["template"], 0, workload["expected"], figures)


@pytest.mark.parametrize("seed", range(TRIALS))
def test_an_undo_killed_at_a_random_moment_is_wholly_done_or_not(workload, tmp_path, seed, figures):
    _trial(workload, tmp_path, seed, "undo", ["undo"], workload["imported"], workload["expected"], 0, figures)


@pytest.mark.parametrize("seed", range(TRIALS))
def test_a_donation_batch_command_killed_at_a_random_moment_is_wholly_present_or_absent(workload, tmp_path, seed,
                                                                                         figures):
    _trial(workload, tmp_path, seed, "donation batch",
           ["donate", "add", "--library", "해바라기작은도서관", "--import", str(workload["books"]), "--date",
            "2024-05-01"],
           workload["stocked"], 0, BOOKS, figures, table="donation_batch_items")


@pytest.mark.parametrize("seed", range(TRIALS))
def test_a_dispatch_run_killed_at_a_random_moment_is_wholly_present_or_absent(workload, tmp_path, seed, figures):
    _trial(workload, tmp_path, seed, "dispatch run", list(SEND), workload["subscribed"], 0, SUBSCRIBERS, figures,
           table="distribution_dispatch_lines")


@pytest.mark.parametrize("seed", range(TRIALS))
def test_a_participant_import_killed_at_a_random_moment_is_wholly_present_or_absent(workload, tmp_path, seed,
                                                                                     figures):
    _trial(workload, tmp_path, seed, "participant import", [*ATTEND, str(workload["trainees"])],
           workload["enrolled"], 0, TRAINEES, figures, table="network_participants")


@pytest.mark.parametrize("seed", range(TRIALS))
def test_a_timesheet_import_killed_at_a_random_moment_is_wholly_present_or_absent(workload, tmp_path, seed,
                                                                                   figures):
    _trial(workload, tmp_path, seed, "timesheet import", ["intern", "hours", "--import", str(workload["timesheet"])],
           workload["placed"], 0, workload["timesheet_rows"], figures, table="intern_hours")

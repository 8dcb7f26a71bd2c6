"""Issue 2's two figures, printed: agreement statistics on a large synthetic ledger, and the
whole-process cost of `nalcoop agreement list --format csv` beside `sqlite-utils rows --csv`.

Run:  python benchmarks/bench_foundation.py [--events 1000000] [--councils 50000] [--runs 15]

Not a timed test: it builds its ledgers in a temporary folder, prints figures and the query
plan, and exits 0. Targets (issue 2): stats as of a date <= 100 ms in-process; the CLI no
slower than sqlite-utils on the same rows.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nalcoop import agreements  # noqa: E402
from nalcoop.ledger.store import Ledger  # noqa: E402
from nalcoop.registry import load_shipped  # noqa: E402

# One cycle of an agreement, in the order the steps may come; later cycles start again.
CYCLE = [("request", "requested"), ("consult", "consultation"), ("sign", "signed"),
         ("follow-up", "signed"), ("follow-up", "signed"), ("renew", "signed"), ("terminate", "terminated")]


def add_synthetic_councils(conn, councils: int, rng: random.Random) -> None:
    """Synthetic basic councils, each in a random real province, until the ledger has `councils` (inside
    the caller's journaled command)."""
    provinces = [row[0] for row in conn.execute(
        "select council_id from council_versions where level = 'provincial' and valid_to is null")]
    change_id = conn.execute("select id from registry_changes where kind = 'baseline'").fetchone()[0]
    existing = conn.execute("select count(*) from councils").fetchone()[0]
    for number in range(councils - existing):
        council_id = conn.execute("insert into councils (key) values (?)", [f"synthetic-{number}"]).lastrowid
        conn.execute(
            "insert into council_versions (council_id, valid_from, level, kind, province_id, code, gov,"
            " gov_en, name, name_en, change_id) values (?, '0001-01-01', 'basic', 'gu', ?, ?, ?, ?, ?, ?, ?)",
            [council_id, rng.choice(provinces), f"9{number:05d}", f"합성{number}구", f"Synthetic-{number}-gu",
             f"합성{number}구의회", f"Synthetic-{number}-gu Council", change_id],
        )


def build_large_ledger(path: Path, councils: int, events: int, seed: int = 20200229) -> float:
    """A ledger with `councils` councils (the 243 real ones plus synthetic basic councils) and
    `events` agreement events spread evenly over them, written as one journaled command."""
    started = time.perf_counter()
    rng = random.Random(seed)
    ledger = Ledger.open(path, create=True)
    conn = ledger.conn
    with ledger.command("bench: load registry", "bench"):
        load_shipped(conn)
    with ledger.command("bench: synthetic councils and events", "bench"):
        add_synthetic_councils(conn, councils, rng)
        ids = [row[0] for row in conn.execute("select id from councils order by id")]
        per_council, extra = divmod(events, len(ids))
        rows = []
        for index, council_id in enumerate(ids):
            count = per_council + (1 if index < extra else 0)
            day = rng.randrange(728_000, 739_000)  # ordinal days from 1994 to 2024: every status occurs
            for step_number in range(count):
                cycle, position = divmod(step_number, len(CYCLE))
                step, status = CYCLE[position]
                day += rng.randrange(1, 200)
                on_date = _iso(day)
                rows.append((council_id, cycle + 1, step, on_date, status))
        conn.executemany(
            "insert into agreement_events (council_id, cycle, step, on_date, status_after) values (?, ?, ?, ?, ?)",
            rows,
        )
    conn.execute("analyze")
    ledger.close()
    return time.perf_counter() - started


def _iso(ordinal: int) -> str:
    import datetime

    return datetime.date.fromordinal(ordinal).isoformat()


def time_stats(path: Path, as_of: str, runs: int) -> list[float]:
    ledger = Ledger.open(path)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        agreements.stats_as_of(ledger.conn, as_of)
        timings.append((time.perf_counter() - started) * 1000)
    plan = ledger.conn.execute(
        "explain query plan select (select e.status_after from agreement_events e where e.council_id = 1"
        " and e.on_date <= '2020-02-29' order by e.on_date desc, e.id desc limit 1)"
    ).fetchall()
    print("  query plan of the latest-event-per-council lookup:")
    for row in plan:
        print(f"    {row[3]}")
    ledger.close()
    return timings


def time_processes(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Run each command `runs` times, interleaved so that a busy moment hurts both alike."""
    timings: dict[str, list[float]] = {name: [] for name in commands}
    outputs: dict[str, bytes] = {}
    for _ in range(runs):
        for name, argv in commands.items():
            started = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, env=env, check=True)
            timings[name].append((time.perf_counter() - started) * 1000)
            outputs[name] = done.stdout
    for name, output in outputs.items():
        lines = output.count(b"\n") - 1
        print(f"  {name}: {lines} data rows")
    return timings


def figure(timings: list[float]) -> str:
    return f"min {min(timings):7.1f} ms   median {statistics.median(timings):7.1f} ms   ({len(timings)} runs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--councils", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--as-of", default="2020-02-29")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="nalcoop-bench-"))
    try:
        big = work / "large.nalcoop"
        print(f"1. stats agreements --as-of {args.as_of}: {args.events:,} events over {args.councils:,} councils")
        seconds = build_large_ledger(big, args.councils, args.events)
        print(f"  built the synthetic ledger in {seconds:.1f} s ({big.stat().st_size / 1e6:.0f} MB)")
        stats_ms = time_stats(big, args.as_of, args.runs)
        print(f"  agreements.stats_as_of: {figure(stats_ms)}   target <= 100 ms")

        print("\n2. whole process: nalcoop agreement list --format csv on the councils of today (none signed yet)")
        ledger_path = work / "real.nalcoop"
        env = {**os.environ, "NALCOOP_DB": str(ledger_path)}
        subprocess.run([sys.executable, "-m", "nalcoop", "init"], env=env, check=True, capture_output=True)
        rows_csv = subprocess.run(
            [sys.executable, "-m", "nalcoop", "agreement", "list", "--status", "none", "--format", "csv"],
            env=env, check=True, capture_output=True,
        ).stdout
        same_rows = work / "same-rows.db"
        sqlite_utils = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent)) or "sqlite-utils"
        subprocess.run([sqlite_utils, "insert", str(same_rows), "councils", "-", "--csv"],
                       input=rows_csv, check=True, capture_output=True)
        nalcoop_bin = shutil.which("nalcoop", path=str(Path(sys.executable).parent))
        nalcoop_argv = [nalcoop_bin] if nalcoop_bin else [sys.executable, "-m", "nalcoop"]
        timings = time_processes(
            {
                "nalcoop agreement list --status none --format csv": [
                    *nalcoop_argv, "agreement", "list", "--status", "none", "--format", "csv"],
                "sqlite-utils rows FILE councils --csv": [sqlite_utils, "rows", str(same_rows), "councils", "--csv"],
            },
            args.runs,
            env,
        )
        for name, values in timings.items():
            print(f"  {name:<52} {figure(values)}")
        ratio = statistics.median(timings["nalcoop agreement list --status none --format csv"]) / statistics.median(
            timings["sqlite-utils rows FILE councils --csv"])
        print(f"  nalcoop / sqlite-utils (medians): {ratio:.2f}   target <= 1.00")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

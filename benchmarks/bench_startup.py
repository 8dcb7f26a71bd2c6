"""Issue 21's figures, printed: what a short nalcoop command costs as a whole process, beside the peer
`sqlite-utils rows FILE TABLE --csv` on a table of the same rows, and the statistics and completion targets.

Run:  python benchmarks/bench_startup.py [--runs 21]
      python benchmarks/bench_startup.py --distribution-ledger PATH   # reuse a ledger bench_distribute built
      python benchmarks/bench_startup.py --recipients 1000 --years 5   # a quick look (smaller stats ledger)

Not a timed test. Every command runs `--runs` times, interleaved with the peer (so a busy moment hurts both
alike), with CSV to a pipe as a script would; it prints each median, its minimum and its ratio to the peer's
median. The ledger for the listings is made by nalcoop's own commands from the example workbooks; the peer reads
a table holding the very rows `agreement list` prints. Byte-code is written on a first, untimed run of each
command, as an installed package has it (pip compiles on install; PYTHONDONTWRITEBYTECODE is dropped here).

Targets (issue 21): --version <= 0.45 x the peer; every listing <= 0.75 x the peer; `stats distribution --year
2024 --by country` on the 2.4-million-line ledger <= 200 ms; completion of `nalcoop agreement <TAB>` <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

EXAMPLES = ROOT / "examples"
PEER = "sqlite-utils rows FILE TABLE --csv"


def tool(name: str) -> list[str]:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        sys.exit(f"{name} is not installed beside {sys.executable}; install nalcoop ('pip install .') first")
    return [found]


def make_ledger(path: Path, env: dict[str, str]) -> None:
    """A small ledger a librarian might have in her first week, made by nalcoop's own commands."""
    nalcoop = [*tool("nalcoop"), "--db", str(path)]
    for args in (
        ["init"],
        ["agreement", "import", str(EXAMPLES / "councils-sample.xlsx")],
        ["distribute", "recipient", "import", str(EXAMPLES / "recipients-sample.xlsx")],
        ["donate", "library", "add", "가평군 작은도서관", "--region", "가평군", "--type", "small"],
        ["donate", "stock", "add", "--title", "국회도서관 70년사", "--qty", "20", "--reason", "non-registered"],
        ["donate", "add", "--to", "가평군 작은도서관", "--date", "2024-04-01", "--title", "국회도서관 70년사",
         "--qty", "20"],
        ["network", "event", "add", "conference", "2024 법률정보 학술대회", "--date", "2024-10-18"],
    ):
        done = subprocess.run([*nalcoop, *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"making the ledger: nalcoop {' '.join(args)} failed:\n{done.stderr}")


def peer_table(ledger: Path, folder: Path, env: dict[str, str]) -> Path:
    """The rows `nalcoop agreement list --format csv` prints, as a table of their own for the peer to read."""
    rows = subprocess.run([*tool("nalcoop"), "--db", str(ledger), "agreement", "list", "--format", "csv"],
                          env=env, check=True, capture_output=True).stdout
    same_rows = folder / "same-rows.db"
    subprocess.run([*tool("sqlite-utils"), "insert", str(same_rows), "agreements", "-", "--csv"],
                   input=rows, env=env, check=True, capture_output=True)
    return same_rows


def time_interleaved(commands: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, list[float]]:
    for argv, env in commands.values():  # byte-code, the page cache
        subprocess.run(argv, env=env, capture_output=True, check=True)
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, env=env, capture_output=True, check=True)
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def distribution_ledger(args: argparse.Namespace, folder: Path) -> Path:
    if args.distribution_ledger:
        return Path(args.distribution_ledger)
    from bench_distribute import build_ledger  # the same synthetic ledger as issue 5's benchmark

    path = folder / "distribution.nalcoop"
    print(f"building the distribution ledger: {args.recipients:,} subscribers, {args.years} years of monthly runs "
          "(bench_distribute.py; --distribution-ledger PATH reuses one)")
    started = time.perf_counter()
    build_ledger(path, args.recipients, args.years, 1)
    print(f"  built in {time.perf_counter() - started:.0f} s ({path.stat().st_size / 1e6:.0f} MB)")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--distribution-ledger", metavar="PATH", help="a ledger built by bench_distribute.py")
    parser.add_argument("--recipients", type=int, default=10_000, help="for the distribution ledger built here")
    parser.add_argument("--years", type=int, default=20, help="for the distribution ledger built here")
    args = parser.parse_args()

    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "NALCOOP_DB")}
    env["NO_COLOR"] = "1"
    work = Path(tempfile.mkdtemp(prefix="nalcoop-bench-"))
    try:
        ledger = work / "ledger.nalcoop"
        make_ledger(ledger, env)
        same_rows = peer_table(ledger, work, env)
        stats_ledger = distribution_ledger(args, work)
        nalcoop = tool("nalcoop")
        on = [*nalcoop, "--db", str(ledger)]
        completion = {**env, "_NALCOOP_COMPLETE": "complete_bash", "COMP_WORDS": "nalcoop agreement ",
                      "COMP_CWORD": "2"}
        commands = {
            PEER: ([*tool("sqlite-utils"), "rows", str(same_rows), "agreements", "--csv"], env),
            "python3 -c 'import sqlite3' (the floor)": ([sys.executable, "-c", "import sqlite3"], env),
            "nalcoop --version": ([*nalcoop, "--version"], env),
            "nalcoop info": ([*on, "info"], env),
            "nalcoop agreement councils --format csv": ([*on, "agreement", "councils", "--format", "csv"], env),
            "nalcoop agreement list": ([*on, "agreement", "list"], env),
            "nalcoop donate list": ([*on, "donate", "list"], env),
            "nalcoop network list": ([*on, "network", "list"], env),
            "nalcoop agreement <TAB> (completion)": (nalcoop, completion),
            "stats distribution --year 2024 --by country": (
                [*nalcoop, "--db", str(stats_ledger), "stats", "distribution", "--year", "2024", "--by", "country"],
                env),
        }
        print(f"\n{args.runs} interleaved runs of each command (a pipe for stdout), on {os.cpu_count()} cores:")
        timings = time_interleaved(commands, args.runs)
        peer = statistics.median(timings[PEER])
        targets = {"nalcoop --version": "<= 0.45 x peer", "nalcoop agreement <TAB> (completion)": "<= 100 ms",
                   "stats distribution --year 2024 --by country": "<= 200 ms"}
        print(f"  {'command':<46} {'median':>8} {'min':>8} {'÷ peer':>7}   target")
        for name, values in timings.items():
            median = statistics.median(values)
            target = targets.get(name, "<= 0.75 x peer" if name.startswith("nalcoop ") else "")
            print(f"  {name:<46} {median:6.0f} ms {min(values):5.0f} ms {median / peer:7.2f}   {target}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Issue 5's two figures, printed: a dispatch run of one issue to 10,000 active subscribers, and
`stats distribution --year`, on a ledger holding 20 years of monthly dispatches (about 2.4 million lines).

Run:  python benchmarks/bench_distribute.py [--recipients 10000] [--years 20] [--runs 5] [--stats-runs 10]
      python benchmarks/bench_distribute.py --recipients 1000 --years 5 --runs 3   # a quick look

Not a timed test: it builds its ledger in a temporary folder through the domain functions (one
journaled `plan_dispatch` + `send` per run, as `nalcoop distribute send` does; returns of 1 % of
the lines inserted in one journaled command), prints figures, the number of SQL statements a run
executes and the query plans, and exits 0. Targets (issue 5): the run <= 1 s; `stats distribution
--year` <= 200 ms.
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

from nalcoop import distribution  # noqa: E402
from nalcoop.ledger.store import Ledger  # noqa: E402

MONTHLY = "월간 국회도서관"
QUARTERLY = "입법정보 분기보"
LAST_YEAR = 2024  # the ledger holds the monthly runs of the --years up to this one; stats are of this year
NEXT = LAST_YEAR + 1  # the issues sent in the measured runs: NEXT-01 (in-process), NEXT-02 … (command line)
SEND_DAY = 10  # each issue is dated the 1st and sent on the 10th
FOREIGN = ["US", "JP", "CN", "DE", "GB", "FR", "CA", "AU", "RU", "IT", "ES", "NL", "SE", "CH", "AT", "BE", "DK",
           "FI", "NO", "PL", "CZ", "HU", "TR", "IL", "IN", "ID", "MY", "SG", "TH", "VN", "PH", "TW", "HK", "MN",
           "KZ", "UZ", "BR", "MX", "AR", "CL", "ZA", "EG", "KE", "NG", "NZ", "IE", "PT", "GR", "UA", "SA"]
TYPES = ["national-library", "parliamentary-library", "university", "public-library", "research-institute",
         "government", "international-organization", "other"]
TYPE_WEIGHTS = [1, 4, 30, 30, 12, 10, 3, 10]
REASONS = ["undeliverable", "refused", "damaged", "surplus", "other"]
REASON_WEIGHTS = [60, 15, 5, 10, 10]


def nalcoop_argv() -> list[str]:
    found = shutil.which("nalcoop", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "nalcoop"]


def months(years: int) -> list[tuple[str, str, str]]:
    """(issue, issued_on, sent_on) of every monthly issue of the ledger, oldest first."""
    return [(f"{year}-{month:02}", f"{year}-{month:02}-01", f"{year}-{month:02}-{SEND_DAY:02}")
            for year in range(LAST_YEAR - years + 1, LAST_YEAR + 1) for month in range(1, 13)]


def build_ledger(path: Path, active: int, years: int, next_issues: int, seed: int = 20240510) -> dict[str, float]:
    """The synthetic ledger: `active` recipients subscribed at the end (9 in 10 since the first month,
    1 in 10 joining later) plus as many again as 1 in 10 that left on the way; a monthly publication
    everyone takes and a quarterly one 1 in 10 take; every run sent; 1 % of the lines returned."""
    rng = random.Random(seed)
    phases: dict[str, float] = {}
    started = time.perf_counter()
    subprocess.run([*nalcoop_argv(), "--db", str(path), "init"], check=True, capture_output=True,
                   env={**os.environ, "NO_COLOR": "1"})
    phases["nalcoop init"] = time.perf_counter() - started

    started = time.perf_counter()
    ledger = Ledger.open(path)
    conn = ledger.conn
    calendar = months(years)
    first_day = calendar[0][1]
    regions = [f"{province} {gov}" for province, gov in conn.execute(
        """select p.gov, c.gov from council_versions c
           join council_versions p on p.council_id = c.province_id and p.valid_to is null
           where c.level = 'basic' and c.valid_from <= ? and c.valid_to is null order by c.council_id""",
        [first_day])]
    with ledger.command("bench: catalogue", "bench"):
        monthly = distribution.add_publication(conn, MONTHLY, "monthly", title_en="Monthly National Assembly Library")
        quarterly = distribution.add_publication(conn, QUARTERLY, "quarterly")
        for issue, issued_on, _sent_on in calendar:
            distribution.add_issue(conn, monthly, issue, issued_on, pages=160, copies_printed=active + 500)
            if issue.endswith(("-03", "-06", "-09", "-12")):
                distribution.add_issue(conn, quarterly, issue, issued_on)
        for month in range(1, next_issues + 1):
            distribution.add_issue(conn, monthly, f"{NEXT}-{month:02}", f"{NEXT}-{month:02}-01")

    churn = active // 10
    month_starts = [issued_on for _issue, issued_on, _sent_on in calendar]
    with ledger.command("bench: recipients and standing lists", "bench"):
        for number in range(active + churn):
            joins = number >= active - churn and number < active  # joined later, still subscribed
            leaves = number >= active  # subscribed from the start, inactive since some month
            start = rng.choice(month_starts[1:]) if joins else first_day
            domestic = number % 3 == 0
            region = rng.choice(regions) if domestic and rng.random() < 0.25 else None
            country = "KR" if domestic else rng.choice(FOREIGN[:12] if rng.random() < 0.6 else FOREIGN)
            name = f"{region or '합성'} 도서관 {number:05d}" if domestic else f"Synthetic Library {number:05d}"
            recipient = distribution.add_recipient(
                conn, name, country, rng.choices(TYPES, TYPE_WEIGHTS)[0],
                None if not joins and rng.random() < 0.2 else start, on_date=start, region=region,
                postcode=f"{rng.randrange(10000, 63000):05d}" if domestic else None,
                address=f"{rng.randrange(1, 400)} Example Road" if not domestic else f"예시로 {rng.randrange(1, 400)}")
            copies = 1 if rng.random() < 0.85 else (2 if rng.random() < 0.67 else rng.randint(3, 5))
            distribution.subscribe(conn, recipient, monthly, copies, start)
            if number % 10 == 0:
                distribution.subscribe(conn, recipient, quarterly, 1, start)
            if leaves:
                distribution.deactivate_recipient(conn, recipient, rng.choice(month_starts[1:]), "closed")
    phases["catalogue, recipients, standing lists"] = time.perf_counter() - started

    # A command per year, not per run, with a large page cache: each run adds a line for every recipient to
    # the per-recipient and per-subscription indexes of the lines, touching nearly all their pages; one run
    # per command rewrites both (about 66 MB of WAL at full size) 240 times and takes over 4 minutes.
    started = time.perf_counter()
    conn.execute("pragma cache_size = -1000000")
    for year in sorted({issue_text[:4] for issue_text, _issued_on, _sent_on in calendar}):
        with ledger.command(f"bench: distribute send, every issue of {year}", "bench"):
            for issue_text, _issued_on, sent_on in calendar:
                if not issue_text.startswith(year):
                    continue
                titles = [monthly, quarterly] if issue_text.endswith(("-03", "-06", "-09", "-12")) else [monthly]
                for publication in titles:
                    issue = distribution.find_issue(conn, publication, issue_text)
                    distribution.send(conn, distribution.plan_dispatch(conn, issue, sent_on))
    phases[f"{len(calendar)} monthly runs (plan_dispatch + send, one command a year)"] = time.perf_counter() - started

    started = time.perf_counter()
    runs = conn.execute("select id, line_count from distribution_dispatches order by id").fetchall()
    returns = []
    for run_id, line_count in runs:
        for line in rng.sample(range(line_count), max(1, round(line_count / 100))):
            returns.append((run_id, line, f"+{rng.randint(14, 90)} days", rng.choices(REASONS, REASON_WEIGHTS)[0]))
    with ledger.command("bench: returns", "bench"):
        conn.executemany(
            """insert into distribution_returns (dispatch_id, line, on_date, reason, copies)
               select l.dispatch_id, l.line, date(d.on_date, ?3), ?4, l.copies
               from distribution_dispatch_lines l join distribution_dispatches d on d.id = l.dispatch_id
               where l.dispatch_id = ?1 and l.line = ?2""", returns)
    phases[f"{len(returns):,} returns (1 % of the lines)"] = time.perf_counter() - started
    started = time.perf_counter()
    ledger.close()  # the last connection: checkpoints the WAL into the file
    phases["close (WAL checkpoint)"] = time.perf_counter() - started
    return phases


def figure(timings: list[float]) -> str:
    return f"min {min(timings):7.1f} ms   median {statistics.median(timings):7.1f} ms   ({len(timings)} runs)"


def traced(conn, call):
    """Run call() and return (its result, the SQL statements it executed, values inlined)."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        return call(), statements
    finally:
        conn.set_trace_callback(None)


def print_plan(conn, sql: str, indent: str = "    ") -> None:
    for row in conn.execute("explain query plan " + sql):
        print(f"{indent}{row[3]}")


def measure_dispatch(path: Path, runs: int) -> None:
    ledger = Ledger.open(path)
    conn = ledger.conn
    issue_text, day = f"{NEXT}-01", f"{NEXT}-01-{SEND_DAY:02}"
    split: dict[str, list[float]] = {"total": [], "find": [], "plan": [], "send": [], "rollback": []}
    for _ in range(runs):
        with ledger.command("bench: dry run", "bench", dry_run=True):
            t0 = time.perf_counter()
            issue = distribution.find_issue(conn, distribution.resolve_publication(conn, MONTHLY), issue_text)
            t1 = time.perf_counter()
            plan = distribution.plan_dispatch(conn, issue, day)
            t2 = time.perf_counter()
            distribution.send(conn, plan)
            t3 = time.perf_counter()
        t4 = time.perf_counter()
        for name, seconds in (("total", t3 - t0), ("find", t1 - t0), ("plan", t2 - t1), ("send", t3 - t2),
                              ("rollback", t4 - t3)):
            split[name].append(seconds * 1000)
    print(f"  lines planned: {len(plan.lines):,} ({plan.copies:,} copies); left out: {len(plan.already)} already "
          f"sent, {len(plan.inactive)} inactive, {len(plan.held)} held (address under review)")
    print(f"  in-process, find + plan_dispatch + send (rolled back): {figure(split['total'])}   target <= 1000 ms")
    print("    of which (medians): " + ", ".join(f"{name} {statistics.median(values):.1f} ms"
                                                for name, values in split.items() if name != "total"))

    review_ms = []
    for _ in range(runs):
        started = time.perf_counter()
        review = distribution.under_review(conn)
        review_ms.append((time.perf_counter() - started) * 1000)
    candidates, statements = traced(conn, lambda: conn.execute(
        """select count(distinct l.recipient_id) from distribution_returns r
           join distribution_dispatch_lines l on l.dispatch_id = r.dispatch_id and l.line = r.line
           where r.reason = 'undeliverable'""").fetchone()[0])
    _review, review_statements = traced(conn, lambda: distribution.under_review(conn))
    print(f"    under_review (called by plan_dispatch) alone: {figure(review_ms)}; {candidates:,} recipients with an "
          f"undeliverable return, {len(review_statements):,} SQL statements; {len(review)} under review")
    with ledger.command("bench: dry run", "bench", dry_run=True):
        issue = distribution.find_issue(conn, distribution.resolve_publication(conn, MONTHLY), issue_text)
        _plan, statements = traced(conn, lambda: distribution.plan_dispatch(conn, issue, day))
    print(f"    plan_dispatch executed {len(statements):,} SQL statements; the plan of the first (who is subscribed):")
    print_plan(conn, statements[0], "      ")
    print("      … of under_review's first (the candidates, from the returns):")
    print_plan(conn, statements[1], "      ")
    streaks = [sql for sql in statements if "order by d.on_date desc" in sql]
    if streaks:
        print(f"      … and of each undeliverable_streak query ({len(streaks)}, one per candidate):")
        print_plan(conn, streaks[0], "      ")

    conn.execute("pragma wal_checkpoint(truncate)")  # so that the WAL holds this run's pages only
    started = time.perf_counter()
    with ledger.command(f"bench: distribute send {MONTHLY} --issue {issue_text}", "bench"):
        t0 = time.perf_counter()
        issue = distribution.find_issue(conn, distribution.resolve_publication(conn, MONTHLY), issue_text)
        plan = distribution.plan_dispatch(conn, issue, day)
        t1 = time.perf_counter()
        distribution.send(conn, plan)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    wal = Path(f"{path}-wal")
    written = f"; the commit wrote {wal.stat().st_size / 1e6:.1f} MB of WAL" if wal.exists() else ""
    print(f"  in-process, one committed run: {(t3 - started) * 1000:.1f} ms (begin {(t0 - started) * 1000:.1f}, "
          f"find + plan {(t1 - t0) * 1000:.1f}, send {(t2 - t1) * 1000:.1f}, commit {(t3 - t2) * 1000:.1f})"
          f"   target <= 1000 ms{written}")
    ledger.close()


def measure_dispatch_cli(path: Path, runs: int, env: dict[str, str]) -> None:
    startup = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([*nalcoop_argv(), "--version"], check=True, capture_output=True, env=env)
        startup.append((time.perf_counter() - started) * 1000)
    timings, said = [], ""
    for month in range(2, 2 + runs):
        argv = [*nalcoop_argv(), "--db", str(path), "distribute", "send", MONTHLY, "--issue", f"{NEXT}-{month:02}",
                "--date", f"{NEXT}-{month:02}-{SEND_DAY:02}"]
        started = time.perf_counter()
        done = subprocess.run(argv, check=True, capture_output=True, env=env)
        timings.append((time.perf_counter() - started) * 1000)
        said = (done.stderr or done.stdout).decode().strip().splitlines()[-1]
    print(f"  command line, nalcoop distribute send '{MONTHLY}' --issue {NEXT}-02 … (each a new issue, committed):")
    print(f"    {figure(timings)}   target <= 1000 ms;  it said: {said}")
    print(f"    start-up alone (nalcoop --version): min {min(startup):.1f} ms")


def measure_stats(path: Path, runs: int) -> None:
    ledger = Ledger.open(path)
    conn = ledger.conn
    start, end = f"{LAST_YEAR}-01-01", f"{LAST_YEAR}-12-31"
    for by in distribution.STATS_DIMENSIONS:
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            rows = distribution.stats_period(conn, by, start, end)
            timings.append((time.perf_counter() - started) * 1000)
        target = "   target <= 200 ms" if by in ("year", "country", "type", "publication", "province") else ""
        print(f"  stats_period --by {by:<11} {figure(timings)}   {len(rows) - 1:>5} groups{target}")
    total = rows[0]
    print(f"    total {LAST_YEAR}: {total['runs']} runs, {total['parcels']:,} parcels, {total['copies']:,} copies, "
          f"{total['recipients']:,} recipients, {total['returned']:,} returned ({total['returns_rate']} %)")

    _rows, statements = traced(conn, lambda: distribution.stats_period(conn, "country", start, end))
    query = statements[0]
    whole_ms, query_ms = [], []
    for _ in range(runs):  # interleaved, so that a busy moment hurts each part alike
        started = time.perf_counter()
        distribution.stats_period(conn, "country", start, end)
        whole_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        grouped = conn.execute(query).fetchall()
        query_ms.append((time.perf_counter() - started) * 1000)
    whole, grouping = (statistics.median(values) for values in (whole_ms, query_ms))
    print(f"    split of --by country (medians): {whole:.1f} ms = the grouping query {grouping:.1f} ms "
          f"({len(grouped):,} rows) + the rest (returns, recipients' groups, Python folding) "
          f"{whole - grouping:.1f} ms; {len(statements)} SQL statements in all")
    print("    query plan of the grouping query:")
    print_plan(conn, query, "      ")
    ledger.close()


def measure_stats_cli(path: Path, runs: int, env: dict[str, str]) -> None:
    argv = [*nalcoop_argv(), "--db", str(path), "stats", "distribution", "--year", str(LAST_YEAR), "--by", "country",
            "--format", "csv"]
    timings, output = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        output = subprocess.run(argv, check=True, capture_output=True, env=env).stdout
        timings.append((time.perf_counter() - started) * 1000)
    print(f"  command line, nalcoop stats distribution --year {LAST_YEAR} --by country --format csv "
          f"({len(output.splitlines()) - 1} rows):")
    print(f"    {figure(timings)}   target <= 200 ms (in-process); start-up included")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000, help="active subscribers at the end")
    parser.add_argument("--years", type=int, default=20, help=f"years of monthly runs, up to {LAST_YEAR}")
    parser.add_argument("--runs", type=int, default=5, help="in-process dispatch runs (rolled back)")
    parser.add_argument("--cli-runs", type=int, default=3, help="command-line dispatch runs (committed)")
    parser.add_argument("--stats-runs", type=int, default=10)
    args = parser.parse_args()
    args.cli_runs = max(1, min(args.cli_runs, 11))

    work = Path(tempfile.mkdtemp(prefix="nalcoop-bench-"))
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        path = work / "distribution.nalcoop"
        print(f"building: {args.recipients:,} active subscribers, {args.years} years of monthly runs "
              f"({LAST_YEAR - args.years + 1}-01 … {LAST_YEAR}-12)")
        started = time.perf_counter()
        phases = build_ledger(path, args.recipients, args.years, 1 + args.cli_runs)
        for name, seconds in phases.items():
            print(f"  {name}: {seconds:.1f} s")
        ledger = Ledger.open(path)
        counts = {name: ledger.conn.execute(f"select count(*) from {name}").fetchone()[0] for name in (
            "distribution_recipients", "distribution_subscriptions", "distribution_dispatches",
            "distribution_dispatch_lines", "distribution_returns", "journal_changes")}
        ledger.close()
        print(f"  built in {time.perf_counter() - started:.1f} s: {path.stat().st_size / 1e6:.0f} MB; "
              + ", ".join(f"{count:,} {name.removeprefix('distribution_')}" for name, count in counts.items()))

        print(f"\n1. stats distribution --year {LAST_YEAR}")
        measure_stats(path, args.stats_runs)
        measure_stats_cli(path, max(3, args.stats_runs // 2), env)

        print(f"\n2. a dispatch run: 『{MONTHLY}』 {NEXT}-01 to every active subscriber")
        measure_dispatch(path, args.runs)
        measure_dispatch_cli(path, args.cli_runs, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

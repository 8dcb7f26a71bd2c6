"""Benchmark: import a synthetic 100,000-line item list into the donation stock, as xlsx and as csv.

Plain script, not a test. Builds the files outside the timing (openpyxl write-only), then for
each: a fresh ledger, `nalcoop donate stock import FILE` run as a real process (start-up and
commit included), and the same import called in-process for the split into reading (the
shared importer: calamine or csv, header, typed cells), validating (rows into items, the JSON
of the receipt, its fingerprint) and writing (one journaled receipt row, indexed by the ledger).
Target (issue 4): 50,000 rows/s or more for xlsx.

Run from the repository root: python benchmarks/bench_donate_import.py [ROWS]
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from stdnum import ean

from nalcoop import donations
from nalcoop.ledger.store import Ledger

HEADER = ["국제표준도서번호", "서명", "수량", "사유", "상태"]
REASONS = ["중복", "등록제외", "구입", "기타"]
CONDITIONS = ["양호", "보통", "새책"]


def synthetic_rows(count: int) -> list[list]:
    """Fictional books: 9 in 10 with an ISBN (a third of them ISBN-10 with hyphens), the rest by title."""
    rng = random.Random(2024)
    rows = []
    for n in range(count):
        body = f"97889{rng.randrange(10**7):07d}"
        isbn = body + ean.calc_check_digit(body)
        if n % 10 == 9:
            isbn = ""
        elif n % 3 == 0:
            ten = isbn[3:12]
            check = sum((i + 1) * int(d) for i, d in enumerate(ten)) % 11
            isbn = f"{ten[:2]}-{ten[2:5]}-{ten[5:]}-{'X' if check == 10 else check}"
        rows.append([isbn, f"기증 도서 {n:06d} — 한국의 작은도서관", rng.randint(1, 5), rng.choice(REASONS),
                     rng.choice(CONDITIONS)])
    return rows


def write_files(folder: Path, rows: list[list]) -> dict[str, Path]:
    xlsx = folder / "items.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("목록")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(xlsx)
    csv_path = folder / "items.csv"
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return {"xlsx": xlsx, "csv": csv_path}


def fresh_ledger(folder: Path, name: str) -> Path:
    path = folder / f"{name}.db"
    Ledger.open(path, create=True).close()
    return path


def run_cli(ledger: Path, file: Path) -> float:
    nalcoop = Path(sys.executable).with_name("nalcoop")
    command = [str(nalcoop)] if nalcoop.exists() else [sys.executable, "-m", "nalcoop"]
    started = time.perf_counter()
    subprocess.run([*command, "--db", str(ledger), "donate", "stock", "import", str(file), "--date", "2024-03-31"],
                   check=True, capture_output=True, env={**os.environ, "NO_COLOR": "1"})
    return time.perf_counter() - started


def run_in_process(ledger_path: Path, file: Path) -> tuple[float, dict[str, float], int]:
    ledger = Ledger.open(ledger_path)
    started = time.perf_counter()
    with ledger.command("benchmark", "benchmark"):
        report = donations.import_stock(ledger.conn, file, "2024-03-31")
    total = time.perf_counter() - started
    ledger.close()
    return total, report.timings, report.lines


def calamine_alone(path: Path) -> float:
    """The floor: python-calamine reading every cell of the sheet into Python, nothing else."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_name("목록").to_python()
    return time.perf_counter() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory(prefix="nalcoop-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = write_files(folder, synthetic_rows(count))
        print(f"built {count:,}-line item lists in {time.perf_counter() - started:.1f} s (not timed below): "
              + ", ".join(f"{kind} {path.stat().st_size / 1e6:.1f} MB" for kind, path in files.items()))
        floor = calamine_alone(files["xlsx"])
        print(f"reference: python-calamine alone reads the xlsx in {floor:.2f} s ({count / floor:,.0f} rows/s)")
        for kind, path in files.items():
            cli_seconds = run_cli(fresh_ledger(folder, f"cli-{kind}"), path)
            total, timings, lines = run_in_process(fresh_ledger(folder, f"fn-{kind}"), path)
            assert lines == count, (lines, count)
            commit = total - sum(timings.values())
            shares = {**timings, "commit": commit}
            split = ", ".join(f"{name} {seconds:.2f} s ({100 * seconds / total:.0f}%)"
                              for name, seconds in shares.items())
            print(f"{kind:>4}: command line end-to-end {cli_seconds:.2f} s = {count / cli_seconds:,.0f} rows/s; "
                  f"in-process {total:.2f} s = {count / total:,.0f} rows/s — {split}")


if __name__ == "__main__":
    main()

"""Issue 8's two figures, printed: `nalcoop stats --year` and `nalcoop report annual` as whole processes,
on a ledger holding 20 years of all five activities.

Run:  python benchmarks/bench_report.py [--events 1000000] [--recipients 10000] [--items 200000]
                                        [--participants 20000] [--interns 5000] [--runs 5] [--keep DIR]
      python benchmarks/bench_report.py --events 100000 --recipients 1000 --items 20000 --participants 2000 \
          --interns 500 --runs 3   # a quick look

Not a timed test: it builds its ledger in a temporary folder (or in --keep DIR, where a second run with
the same sizes reuses it), prints the build phases, the rows and the file size, `nalcoop check`'s verdict,
then the whole-process figures beside their targets and, for information, each group's statistics
function in-process; and exits 0. A command that fails (not written yet, say) is reported with its
stderr and the rest carry on. Targets (issue 8): `stats --year 2024 --format csv` <= 1 s and
`report annual 2024 -o FILE.xlsx` <= 5 s, start-up included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_distribute import build_ledger as build_distribution  # noqa: E402
from bench_distribute import nalcoop_argv  # noqa: E402
from bench_foundation import CYCLE, add_synthetic_councils  # noqa: E402

from nalcoop import agreements, distribution, donations, interns, network  # noqa: E402
from nalcoop.errors import NalcoopError  # noqa: E402
from nalcoop.ledger.store import Ledger  # noqa: E402
from nalcoop.registry import BEGINNING  # noqa: E402

FIRST_YEAR, LAST_YEAR = 2005, 2024  # the ledger's 20 years; statistics and the report are of LAST_YEAR
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
LEDGER_NAME = "report.nalcoop"
PARAMETERS_NAME = "report.build.json"  # beside a kept ledger: the sizes it was built with
BY = "bench"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def iso(value: dt.date) -> str:
    return value.isoformat()


def random_day(rng: random.Random, start: str, end: str) -> dt.date:
    return day(start) + dt.timedelta(days=rng.randrange((day(end) - day(start)).days + 1))


def basic_regions(conn, on_date: str) -> list[str]:
    """'province gov' of the real basic councils that exist from `on_date` to now under the same name
    (as bench_distribute picks its regions), before any synthetic council is added."""
    return [f"{province} {gov}" for province, gov in conn.execute(
        """select p.gov, c.gov from council_versions c
           join council_versions p on p.council_id = c.province_id and p.valid_to is null
           where c.level = 'basic' and c.valid_from <= ? and c.valid_to is null order by c.council_id""",
        [on_date])]


def split(total: int, parts: int, rng: random.Random, spread: float = 0.5) -> list[int]:
    """`total` split into `parts` whole numbers of random size (each weight 1 ± spread) summing to it."""
    weights = [1 + spread * (2 * rng.random() - 1) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [math.floor(weight * scale) for weight in weights]
    for index in rng.sample(range(parts), total - sum(counts)):
        counts[index] += 1
    return counts


# ---------------------------------------------------------------- donations


DONATION_REASONS = ["duplicate", "non-registered", "purchased", "other"]
DONATION_REASON_WEIGHTS = [55, 25, 12, 8]
LIBRARY_TYPES = ["small", "school", "public", "military", "prison", "other"]
LIBRARY_TYPE_WEIGHTS = [45, 20, 15, 8, 5, 7]
QTY, QTY_WEIGHTS = [1, 2, 3, 4, 5], [50, 22, 13, 9, 6]


def isbn13(number: int) -> str:
    body = f"979119{number:06d}"
    check = (10 - sum((3 if index % 2 else 1) * int(digit) for index, digit in enumerate(body)) % 10) % 10
    return body + str(check)


def build_donations(path: Path, items: int, seed: int = 20241231) -> str:
    """Libraries in real regions; a stock receipt a year holding what that year's batches draw (and a
    little more); batches of 40-160 lines (qty 1-5) drawn from stock through `add_to_batch`, then packed,
    shipped and (most) received through `batch_step`; 3 in 100 cancelled before shipping (their books go
    back to stock), the last three left packed. One journaled command a year."""
    rng = random.Random(seed)
    ledger = Ledger.open(path)
    conn = ledger.conn
    regions = basic_regions(conn, f"{FIRST_YEAR}-01-01")
    library_count = max(20, items // 200)
    with ledger.command("bench: donation libraries", BY):
        libraries = [
            donations.add_library(conn, f"{region.split()[-1]} 작은도서관 {number:04d}",
                                  rng.choices(LIBRARY_TYPES, LIBRARY_TYPE_WEIGHTS)[0], region, f"{FIRST_YEAR}-01-01",
                                  address=f"{region} 예시로 {rng.randrange(1, 400)}",
                                  recommended_by=rng.choice([None, "지역 의원실", "교육청", "도서관협회"]))
            for number, region in ((n, rng.choice(regions)) for n in range(library_count))]
    books = [(isbn13(number), f"합성 기증도서 {number:05d}", rng.choices(DONATION_REASONS, DONATION_REASON_WEIGHTS)[0])
             for number in range(max(500, items // 4))]

    sizes, left = [], items
    while left > 0:
        sizes.append(min(left, rng.randint(40, 160)))
        left -= sizes[-1]
    per_year = split(len(sizes), len(YEARS), rng, 0.2)
    plans: dict[int, list] = {year: [] for year in YEARS}
    batches = iter(sizes)
    for year, count in zip(YEARS, per_year, strict=True):
        for opened in sorted(random_day(rng, f"{year}-01-05", f"{year}-11-30") for _ in range(count)):
            lines = [(books[index], rng.choices(QTY, QTY_WEIGHTS)[0]) for index in rng.sample(range(len(books)),
                                                                                                next(batches))]
            plans[year].append((opened, rng.choice(libraries), lines))
    last_batches = {id(plan) for plan in plans[LAST_YEAR][-3:]}

    for year in YEARS:
        with ledger.command(f"bench: donations of {year}", BY):
            wanted: dict[tuple, int] = {}
            for _opened, _library, lines in plans[year]:
                for book, qty in lines:
                    wanted[book] = wanted.get(book, 0) + qty
            receipt = [donations.Item(isbn, title, reason, rng.choice(["양호", "양호", "보통", None]),
                                      qty + rng.choice([0, 0, 0, 1, 2]))
                       for (isbn, title, reason), qty in wanted.items()]
            donations.add_stock(conn, receipt, f"{year}-01-03")
            for plan in plans[year]:
                opened, library, lines = plan
                for (isbn, title, reason), qty in lines:
                    added = donations.add_to_batch(conn, library, donations.Item(isbn, title, reason, None, qty),
                                                   iso(opened))
                number = added.batch
                packed = opened + dt.timedelta(days=rng.randint(1, 14))
                donations.batch_step(conn, number, "pack", iso(packed))
                if id(plan) in last_batches:
                    continue
                if rng.random() < 0.03:
                    donations.batch_step(conn, number, "cancel", iso(packed + dt.timedelta(days=rng.randint(0, 7))),
                                         note="도서관 사정으로 취소")
                    continue
                shipped = packed + dt.timedelta(days=rng.randint(1, 10))
                donations.batch_step(conn, number, "ship", iso(shipped), carrier="우체국택배",
                                     tracking=f"{rng.randrange(10**12):013d}")
                if rng.random() < 0.9:
                    donations.batch_step(conn, number, "receive", iso(shipped + dt.timedelta(days=rng.randint(2, 14))))
    ledger.close()
    return f"{library_count:,} libraries, {len(books):,} titles, {len(sizes):,} batches"


# ---------------------------------------------------------------- network


ORG_KINDS = [("university", "대학교 법학도서관", "University Law Library"),
             ("library", "공공도서관", "Public Library"),
             ("government", "법무담당관실", "Legal Affairs Office"),
             ("research-institute", "법제연구소", "Law Institute"),
             ("professional-body", "법률가협회", "Lawyers' Association"),
             ("other", "법률정보센터", "Legal Information Centre")]
ORG_WEIGHTS = [35, 20, 20, 12, 8, 5]
COURSES = {  # title -> modules (title, hours)
    "법률정보 전문가 과정": [("법령정보 검색", 4), ("판례 검색", 4), ("입법자료 조사", 3), ("실습", 5)],
    "입법정보 검색 실무 과정": [("국회 회의록", 3), ("의안정보", 3), ("실습", 4)],
    "외국법 정보 조사 과정": [("외국 법령 데이터베이스", 4), ("비교법 자료", 4), ("번역과 인용", 2), ("실습", 6)],
}
EVENT_KINDS = ["meeting", "workshop", "course", "conference"]
EVENT_WEIGHTS = [35, 30, 25, 10]
EVENT_SIZES = {"meeting": (8, 25), "workshop": (20, 50), "course": (15, 40), "conference": (80, 200)}
STATUSES, STATUS_WEIGHTS = ["attended", "absent", "cancelled", "registered"], [88, 5, 4, 3]


def build_network(path: Path, participants: int, seed: int = 20190423) -> str:
    """Organizations; members of 한국법률정보협의회 from its founding; every year meetings (of the council
    once it exists), workshops, course runs of three curricula and a conference or two, hosted by NAL
    (some with a co-host); `participants` participants through `attend`, 88 in 100 attended, trainees
    with hours (most the whole run). One journaled command a year."""
    rng = random.Random(seed)
    ledger = Ledger.open(path)
    conn = ledger.conn
    org_count = max(30, participants // 30)
    with ledger.command("bench: network organizations", BY):
        for number in range(org_count):
            org_type, word, english = rng.choices(ORG_KINDS, ORG_WEIGHTS)[0]
            network.add_org(conn, f"합성{number:04d} {word}", org_type, name_en=f"Synthetic {number:04d} {english}")
        orgs = network.all_orgs(conn)
        body = network.resolve_body(conn, "klic")
        members = {row[0] for row in conn.execute("select org_id from network_memberships")}
        for org in rng.sample([org for org in orgs if org.id not in members], min(40, org_count // 2)):
            network.join(conn, body, org, iso(random_day(rng, body.founded_on, f"{LAST_YEAR}-12-31")))
    home = network.home_org(conn)
    guests = [org for org in orgs if org.id != home.id]

    budget = split(participants, len(YEARS), rng, 0.3)
    made = set()
    for year, wanted in zip(YEARS, budget, strict=True):
        plan, count = [], 0
        while count < wanted:
            kind = rng.choices(EVENT_KINDS, EVENT_WEIGHTS)[0]
            size = min(wanted - count, rng.randint(*EVENT_SIZES[kind]))
            plan.append((random_day(rng, f"{year}-01-10", f"{year}-12-15"), kind, size))
            count += size
        plan.sort()
        with ledger.command(f"bench: network events of {year}", BY):
            numbers = {kind: 0 for kind in EVENT_KINDS}
            for starts, kind, size in plan:
                numbers[kind] += 1
                title = {"meeting": f"{year} 법률정보 정기회의 {numbers[kind]}",
                         "workshop": f"{year} 법률정보 실무 워크숍 {numbers[kind]}",
                         "conference": f"{year} 법률정보 학술대회 {numbers[kind]}",
                         "course": rng.choice(list(COURSES))}[kind]
                while (title, iso(starts)) in made:  # a course runs more than once a year
                    starts += dt.timedelta(days=1)
                made.add((title, iso(starts)))
                length = {"meeting": 0, "workshop": 0, "conference": 1, "course": 2}[kind]
                event = network.add_event(
                    conn, kind, title, iso(starts), ends_on=iso(starts + dt.timedelta(days=length)),
                    place=rng.choice(["국회도서관 대회의실", "국회의원회관", "온라인", None]),
                    body=body if kind == "meeting" and iso(starts) >= body.founded_on else None,
                    cohosts=[rng.choice(guests).name] if kind in ("conference", "workshop") and rng.random() < 0.3
                    else None)
                if kind == "course" and network.curriculum_hours(conn, event.course_id) is None:
                    course = network.resolve_course(conn, title)
                    for module, hours in COURSES[title]:
                        network.add_module(conn, course, module, hours)
                total = network.run_hours(conn, event)
                seen = set()
                while len(seen) < size:
                    org = rng.choice(guests)
                    person = f"{org.name.split()[0]} 담당자{rng.randint(1, 6)}"
                    if (org.id, person) in seen:
                        continue
                    seen.add((org.id, person))
                    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
                    role, hours = None, None
                    if kind == "conference":
                        role = rng.choices(["participant", "speaker", "panelist"], [85, 10, 5])[0]
                    if kind == "course" and status == "attended" and rng.random() < 0.3:
                        hours = round(total * rng.uniform(0.5, 1.0) * 2) / 2
                    network.attend(conn, event, org, person=person, role=role, status=status, hours=hours)
    ledger.close()
    return f"{org_count:,} organizations, {len(made):,} events"


# ---------------------------------------------------------------- interns


UNIVERSITIES = ["한남대학교", "전북대학교", "부산대학교", "경북대학교", "전남대학교", "충남대학교", "성균관대학교",
                "중앙대학교", "숙명여자대학교", "이화여자대학교", "연세대학교", "신라대학교", "대진대학교",
                "경기대학교", "상명대학교", "계명대학교", "대구대학교", "청주대학교"]
DEPARTMENTS = ["의회정보실", "법률정보실", "정보관리국", "전자정보총괄과", "국회기록보존소"]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "지우", "하은", "도윤", "서윤", "예준", "지민", "시우", "수아", "주원", "지아", "하준", "다은",
         "지호", "채원", "준서", "윤서", "건우", "유진"]


def weekdays_from(start: dt.date, count: int) -> list[dt.date]:
    days, current = [], start
    while len(days) < count:
        if current.weekday() < 5:
            days.append(current)
        current += dt.timedelta(days=1)
    return days


def build_interns(path: Path, applications: int, seed: int = 20250701) -> str:
    """Two cohorts a year (winter and summer, 40 hours required); `applications` applications through
    `apply`, 72 in 100 accepted (slots to fit), 22 rejected, 6 withdrawn; the accepted placed, most
    logging 5-6 days of hours, evaluated and completed with a certificate, some dropped or withdrawn
    after a day or two. One journaled command a year."""
    rng = random.Random(seed)
    ledger = Ledger.open(path)
    conn = ledger.conn
    cohorts = [(year, season, start, end) for year in YEARS
               for season, start, end in (("winter", f"{year}-01-06", f"{year}-02-28"),
                                          ("summer", f"{year}-07-01", f"{year}-08-31"))]
    counts = split(applications, len(cohorts), rng, 0.3)
    hours_logged = 0
    student = 0
    for year in YEARS:
        with ledger.command(f"bench: interns of {year}", BY):
            for (cohort_year, season, starts_on, ends_on), applicants in zip(cohorts, counts, strict=True):
                if cohort_year != year or not applicants:
                    continue
                fates = rng.choices(["accept", "reject", "withdraw"], [72, 22, 6], k=applicants)
                cohort = interns.add_cohort(conn, f"{year}-{season}", starts_on, ends_on,
                                            max(1, fates.count("accept") + rng.randint(0, 3)), 40,
                                            departments=rng.sample(DEPARTMENTS, rng.randint(3, 5)))
                depts = interns.departments_of(conn, cohort)
                start = day(starts_on)
                for fate in fates:
                    student += 1
                    applied = start - dt.timedelta(days=rng.randint(8, 40))
                    app, _new = interns.apply(
                        conn, cohort, rng.choice(SURNAMES) + rng.choice(GIVEN), rng.choice(UNIVERSITIES), iso(applied),
                        major="문헌정보학", year=rng.choice([3, 4]), email=f"student{student:05d}@example.ac.kr")
                    decided = max(applied, start - dt.timedelta(days=rng.randint(1, 7)))
                    if fate == "reject":
                        interns.step(conn, app, "reject", iso(decided), reason="정원 초과")
                        continue
                    if fate == "withdraw":
                        interns.step(conn, app, "withdraw", iso(decided))
                        continue
                    app = interns.step(conn, app, "accept", iso(decided))
                    placed = start + dt.timedelta(days=rng.randint(0, 3))
                    app, _left = interns.place(conn, app, rng.choice(depts), iso(placed),
                                               mentor=f"멘토 {rng.randint(1, 30)}")
                    ending = rng.choices(["complete", "drop", "withdraw"], [88, 7, 5])[0]
                    days, hours = (5, 8.0) if rng.random() < 0.6 else (6, 7.0)
                    if ending != "complete":
                        days = rng.randint(1, 2)
                    worked = weekdays_from(placed, days)
                    for each in worked:
                        interns.log_hours(conn, app, iso(each), hours)
                    hours_logged += len(worked)
                    last = iso(worked[-1])
                    if ending == "complete":
                        interns.evaluate(conn, app, f"멘토 {rng.randint(1, 30)}", rng.choice([3, 4, 4, 5, 5]), last)
                        interns.complete(conn, app, last)
                    elif ending == "drop":
                        interns.step(conn, app, "drop", last, reason="개인 사정")
                    else:
                        interns.step(conn, app, "withdraw", last)
    ledger.close()
    return f"{len(cohorts)} cohorts, {hours_logged:,} days of hours"


# ---------------------------------------------------------------- agreements


def build_agreements(path: Path, councils: int, events: int, seed: int = 20200229) -> str:
    """Synthetic basic councils (as bench_foundation adds them) up to `councils`, and `events` agreement
    events spread over 2005-2024 among the councils that existed all those years, each council a random
    share following bench_foundation's cycle (request, consult, sign, follow-up, follow-up, renew,
    terminate), 3 in 10 starting with a signing whose request predates the ledger. One command; the
    events in one executemany (the domain's `record_step` is per step)."""
    rng = random.Random(seed)
    ledger = Ledger.open(path)
    conn = ledger.conn
    with ledger.command("bench: synthetic councils and agreement events", BY):
        add_synthetic_councils(conn, councils, rng)
        ids = [row[0] for row in conn.execute(
            """select council_id from council_versions group by council_id
               having min(valid_from) <= ? and max(coalesce(valid_to, '9999-12-31')) > ? order by council_id""",
            [f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31"])]
        first, last = dt.date(FIRST_YEAR, 1, 1).toordinal(), dt.date(LAST_YEAR, 12, 31).toordinal()

        def rows():
            for council_id, count in zip(ids, split(events, len(ids), rng), strict=True):
                days = sorted(rng.randrange(first, last + 1) for _ in range(count))
                position = 2 if rng.random() < 0.3 else 0
                cycle, status = 0, None
                for ordinal in days:
                    step, status_after = CYCLE[position % len(CYCLE)]
                    note = None
                    if step == "request" or (step == "sign" and status in (None, "withdrawn", "terminated")):
                        cycle += 1
                        note = "signed without a recorded request" if step == "sign" else None
                    yield (council_id, cycle, step, dt.date.fromordinal(ordinal).isoformat(), status_after,
                           rng.choice(["in-person", "exchange"]) if step == "sign" else None,
                           rng.choice(agreements.FOLLOW_UP_KINDS) if step == "follow-up" else None, note)
                    status = status_after
                    position += 1

        conn.executemany(
            "insert into agreement_events (council_id, cycle, step, on_date, status_after, mode, follow_kind, note)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)", rows())
    conn.execute("analyze")
    total = conn.execute("select count(*) from councils").fetchone()[0]
    ledger.close()  # the last connection: checkpoints the WAL into the file
    return f"{total:,} councils, {len(ids):,} of them with events"


# ---------------------------------------------------------------- the whole ledger


def build(path: Path, args: argparse.Namespace) -> dict[str, float]:
    phases: dict[str, float] = {}
    started = time.perf_counter()
    for name, seconds in build_distribution(path, args.recipients, len(YEARS), 0).items():
        phases[f"distribution: {name}"] = seconds
    print(f"  distribution (bench_distribute.build_ledger): {time.perf_counter() - started:.1f} s")
    for name, step in (
        ("donations", lambda: build_donations(path, args.items)),
        ("network", lambda: build_network(path, args.participants)),
        ("interns", lambda: build_interns(path, args.interns)),
        ("agreements", lambda: build_agreements(path, args.councils, args.events)),
    ):
        started = time.perf_counter()
        said = step()
        phases[f"{name}: {said}"] = time.perf_counter() - started
        print(f"  {name}: {said}: {phases[f'{name}: {said}']:.1f} s", flush=True)
    return phases


def counts(path: Path) -> dict[str, int | float]:
    ledger = Ledger.open(path)
    one = lambda sql: ledger.conn.execute(sql).fetchone()[0]  # noqa: E731
    found = {
        "agreement events": one("select count(*) from agreement_events"),
        "councils": one("select count(*) from councils"),
        "dispatch lines": one("select count(*) from distribution_dispatch_lines"),
        "dispatch runs": one("select count(*) from distribution_dispatches"),
        "donation batch items (rows)": one("select count(*) from donation_batch_items"),
        "books in them (sum of qty)": one("select coalesce(sum(qty), 0) from donation_batch_items"),
        "items in shipped batches": one("""select count(*) from donation_batch_items i join donation_batches b
                                           on b.id = i.batch_id where b.status in ('shipped', 'received')"""),
        "donation batches": one("select count(*) from donation_batches"),
        "network events": one("select count(*) from network_events"),
        "network participants": one("select count(*) from network_participants"),
        "of them attended": one("select count(*) from network_participants where status = 'attended'"),
        "intern applications": one("select count(*) from intern_applications"),
        "intern steps": one("select count(*) from intern_steps"),
        "intern hours entries": one("select count(*) from intern_hours"),
        "journal changes": one("select count(*) from journal_changes"),
    }
    ledger.close()
    return found


def check(path: Path, env: dict[str, str]) -> None:
    started = time.perf_counter()
    done = subprocess.run([*nalcoop_argv(), "--db", str(path), "check"], capture_output=True, env=env)
    lines = (done.stdout or done.stderr).decode().strip().splitlines() or ["(no output)"]
    print(f"  nalcoop check ({time.perf_counter() - started:.1f} s, exit {done.returncode}): {lines[-1]}")
    for line in lines[:-1][:20]:
        print(f"    {line}")


# ---------------------------------------------------------------- measuring


def figure(timings: list[float]) -> str:
    return f"min {min(timings):8.1f} ms   median {statistics.median(timings):8.1f} ms   ({len(timings)} runs)"


def time_processes(commands: dict[str, tuple[Callable[[int], list[str]], str]], runs: int,
                   env: dict[str, str], work: Path) -> None:
    """Each command once untimed (a migration or a cold cache stays out of the figures; a command that
    fails there is reported with its stderr and left out), then `runs` rounds, interleaved."""
    alive: dict[str, Callable[[int], list[str]]] = {}
    said: dict[str, str] = {}
    for name, (argv, _target) in commands.items():
        started = time.perf_counter()
        done = subprocess.run(argv(0), capture_output=True, env=env, cwd=work)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            print(f"  {name}: FAILED (exit {done.returncode}, {seconds * 1000:.0f} ms); its stderr:")
            for line in (done.stderr.decode(errors="replace").strip().splitlines() or ["(empty)"])[-8:]:
                print(f"      {line}")
            continue
        alive[name] = argv
        said[name] = _output_of(done.stdout, argv(0))
    timings: dict[str, list[float]] = {name: [] for name in alive}
    for run in range(1, runs + 1):
        for name, argv in list(alive.items()):
            started = time.perf_counter()
            done = subprocess.run(argv(run), capture_output=True, env=env, cwd=work)
            timings[name].append((time.perf_counter() - started) * 1000)
            if done.returncode != 0:
                print(f"  {name}: FAILED on run {run} (exit {done.returncode}): "
                      f"{done.stderr.decode(errors='replace').strip()[-400:]}")
                del alive[name]
    for name, values in timings.items():
        if values:
            print(f"  {name:<50} {figure(values)}   {commands[name][1]}")
            print(f"  {'':<50} {said[name]}")


def _output_of(stdout: bytes, argv: list[str]) -> str:
    if "-o" in argv:
        out = Path(argv[argv.index("-o") + 1])
        return f"wrote {out.name}, {out.stat().st_size / 1e3:,.0f} kB" if out.exists() else "wrote no file"
    lines = stdout.decode(errors="replace").strip().splitlines()
    if len(lines) == 1:
        return f"said: {lines[0][:80]}"
    return f"{max(0, len(lines) - 1):,} data rows on stdout" if lines else "nothing on stdout"


def time_functions(path: Path, runs: int) -> None:
    ledger = Ledger.open(path)
    conn = ledger.conn
    start, end = f"{LAST_YEAR}-01-01", f"{LAST_YEAR}-12-31"
    calls = {
        f"agreements.stats_as_of(conn, '{end}')": lambda: agreements.stats_as_of(conn, end),
        f"agreements.stats_period(conn, '{start}', '{end}')": lambda: agreements.stats_period(conn, start, end),
        "donations.stats_period(conn, 'province', …)": lambda: donations.stats_period(conn, "province", start, end),
        "distribution.stats_period(conn, 'publication', …)":
            lambda: distribution.stats_period(conn, "publication", start, end),
        "network.stats_period(conn, 'kind', …)": lambda: network.stats_period(conn, "kind", start, end),
        "interns.stats_period(conn, 'cohort', …)": lambda: interns.stats_period(conn, "cohort", start, end),
        # The annual report's history of agreement steps: every event up to the year's end, by year (a
        # `by` that is newer than the functions above: reported as not there when it is not).
        f"agreements.stats_period(conn, BEGINNING, '{end}', by='year')":
            lambda: agreements.stats_period(conn, BEGINNING, end, by="year"),
    }
    medians = {}
    for name, call in calls.items():
        timings = []
        try:
            for _ in range(runs):
                started = time.perf_counter()
                rows = call()
                timings.append((time.perf_counter() - started) * 1000)
        except (TypeError, NalcoopError) as exc:
            print(f"  {name:<66} not measured: {type(exc).__name__}: {exc}")
            continue
        medians[name] = statistics.median(timings)
        print(f"  {name:<66} {figure(timings)}   {len(rows):>3} rows")
    yearly = [median for name, median in medians.items() if "BEGINNING" not in name]
    print(f"  {f'sum of the medians of the {len(yearly)} calls for {LAST_YEAR}':<66} {sum(yearly):8.1f} ms")
    ledger.close()


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="agreement events")
    parser.add_argument("--councils", type=int, default=0,
                        help="councils with the synthetic ones (default: events / 20, at least the real ones)")
    parser.add_argument("--recipients", type=int, default=10_000, help="distribution: active subscribers at the end")
    parser.add_argument("--items", type=int, default=200_000, help="donation batch items (rows, qty 1-5)")
    parser.add_argument("--participants", type=int, default=20_000, help="network event participants")
    parser.add_argument("--interns", type=int, default=5_000, help="intern applications")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the ledger in DIR and keep it; a later run with the same "
                        "sizes reuses it")
    args = parser.parse_args()
    args.councils = args.councils or args.events // 20
    args.runs = max(1, args.runs)

    env = {**os.environ, "NO_COLOR": "1"}
    work = Path(tempfile.mkdtemp(prefix="nalcoop-bench-"))
    try:
        folder = args.keep.expanduser().resolve() if args.keep else work
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LEDGER_NAME
        parameters = {key: getattr(args, key) for key in ("events", "councils", "recipients", "items",
                                                          "participants", "interns")}
        recorded = folder / PARAMETERS_NAME
        if args.keep and path.exists() and recorded.exists() and json.loads(recorded.read_text()) == parameters:
            print(f"reusing the ledger built before in {path} ({path.stat().st_size / 1e6:,.0f} MB)")
        else:
            for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), recorded):
                old.unlink(missing_ok=True)
            shutil.rmtree(f"{path}.backups", ignore_errors=True)
            print(f"building {path}: {FIRST_YEAR}-{LAST_YEAR}, " + ", ".join(f"{key} {value:,}"
                                                                            for key, value in parameters.items()))
            started = time.perf_counter()
            phases = build(path, args)
            built = time.perf_counter() - started
            print("  phases:")
            for name, seconds in phases.items():
                print(f"    {name}: {seconds:.1f} s")
            print(f"  built in {built:.1f} s ({built / 60:.1f} min): {path.stat().st_size / 1e6:,.0f} MB")
            check(path, env)
            if args.keep:
                recorded.write_text(json.dumps(parameters))
        print("  rows in the ledger: " + ", ".join(f"{count:,} {name}" for name, count in counts(path).items()))
        print(f"  file: {path.stat().st_size / 1e6:,.0f} MB")

        print(f"\n1. whole processes (start-up included), min/median of {args.runs} runs after one untimed run")
        db = ["--db", str(path)]
        time_processes({
            f"nalcoop stats --year {LAST_YEAR} --format csv": (
                lambda run: [*nalcoop_argv(), *db, "stats", "--year", str(LAST_YEAR), "--format", "csv"],
                "target <= 1000 ms"),
            "nalcoop stats --format csv (as of today)": (
                lambda run: [*nalcoop_argv(), *db, "stats", "--format", "csv"], "(for information)"),
            f"nalcoop report annual {LAST_YEAR} -o OUT.xlsx": (
                lambda run: [*nalcoop_argv(), *db, "report", "annual", str(LAST_YEAR), "-o",
                             str(work / f"annual-{LAST_YEAR}-{run}.xlsx")],
                "target <= 5000 ms"),
            "nalcoop --version (the start-up floor)": (lambda run: [*nalcoop_argv(), "--version"], ""),
        }, args.runs, env, work)

        print(f"\n2. in-process, each group's statistics for {LAST_YEAR} (for information: where the time goes)")
        time_functions(path, args.runs)
        if args.keep:
            print(f"\nthe ledger stays in {path}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

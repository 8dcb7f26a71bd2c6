"""Issue 22: the published copy of the ledger (`nalcoop publish`, what `nalcoop serve` shows) holds no personal
data, and its canned queries give the figures of `nalcoop stats` because they run the same functions."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nalcoop.cli import app
from nalcoop.ledger.store import Ledger
from nalcoop.publish import PUBLISHED, VIEWS, WITHHELD, scrub, write_snapshot
from nalcoop.web.figures import CANNED, FUNCTION, function_for, sql_of

FIXTURE = Path(__file__).parent / "fixtures" / "ledger-v6.sql"  # every activity, made by nalcoop's own commands

# Personal values planted through the commands a librarian types; none may reach the published copy.
PLANTED = ("planted.secret@example.ac.kr", "9876-5432", "도플갱어", "secret.lib@example.org", "555-0123", "김비밀",
           "tanaka.secret@example.jp", "leak.note@example.com", "2222-3333", "비밀사유", "비밀사람", "실습생메모",
           "조용한평가")
PLANTING = (
    ("intern", "apply", "--cohort", "2025-summer", "--name", "도플갱어", "--university", "한남대학교", "--major",
     "문헌정보학", "--year", "3", "--email", "planted.secret@example.ac.kr", "--phone", "010-9876-5432",
     "--date", "2025-06-01"),
    ("intern", "reject", "도플갱어", "--cohort", "2025-summer", "--reason", "실습생메모", "--date", "2025-06-20"),
    ("intern", "list", "--reveal", "--reason", "비밀사유 확인", "-f", "csv"),
    ("donate", "library", "add", "비밀작은도서관", "--type", "small", "--region", "전라남도 신안군",
     "--contact", "김비밀 061-555-0123 secret.lib@example.org"),
    ("distribute", "recipient", "add", "Secret Library", "--country", "JP", "--type", "university",
     "--contact", "tanaka.secret@example.jp"),
    ("agreement", "request", "강릉시의회", "--date", "2019-01-02",
     "--note", "call 010-2222-3333 or leak.note@example.com"),
    ("network", "attend", "2024 법률정보 학술대회", "--org", "법제처", "--person", "비밀사람", "--role", "speaker"),
)


def run(db: Path, *args: str, ok: bool = True, env: dict | None = None):
    result = CliRunner().invoke(app, ["--db", str(db), *args], env=env)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def _planted_template(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("planted") / "ledger.db"
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.close()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NALCOOP_TODAY", "2026-11-25")
        for args in PLANTING:
            run(path, *args)
    ledger = Ledger.open(path)
    ledger.conn.execute("pragma wal_checkpoint(truncate)")
    ledger.close()
    return path.read_bytes()


@pytest.fixture
def planted(tmp_path, _planted_template) -> Path:
    path = tmp_path / "ledger.db"
    path.write_bytes(_planted_template)
    return path


def test_the_planted_values_are_in_the_ledger_so_the_checks_below_can_fail(planted):
    ledger_bytes = planted.read_bytes()
    for value in ("planted.secret@example.ac.kr", "도플갱어", "secret.lib@example.org", "비밀사람", "비밀사유"):
        assert value.encode() in ledger_bytes, value


def test_every_column_of_the_ledger_is_published_or_withheld_with_a_reason(db_path):
    conn = sqlite3.connect(db_path)
    tables = [name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")]
    published = {table.name: set(table.columns) for table in PUBLISHED}
    undecided = []
    for table in tables:
        columns = {row[1] for row in conn.execute(f"pragma table_info('{table}')")}
        withheld = WITHHELD.get(table, {})
        if isinstance(withheld, str):
            assert table not in published, f"{table} is both published and withheld"
            continue
        assert table in published, f"{table} is neither published nor withheld (nalcoop/publish.py)"
        undecided += [f"{table}.{column}" for column in sorted(columns - published[table] - set(withheld))]
        assert not (published[table] & set(withheld)), f"{table}: a column both published and withheld"
    assert undecided == [], f"columns nobody decided about (publish or withhold them, nalcoop/publish.py): {undecided}"


def test_no_personal_value_is_anywhere_in_the_published_file(planted, tmp_path):
    copy = tmp_path / "published.db"
    run(planted, "publish", str(copy))
    content = copy.read_bytes()
    for value in PLANTED:
        assert value.encode() not in content, value
    conn = sqlite3.connect(copy)
    tables = {name for (name,) in conn.execute("select name from sqlite_master where type = 'table'")}
    assert not tables & {"journal_commands", "journal_changes", "intern_reveals"}
    assert conn.execute("select count(*) from intern_students where email is not null or phone is not null"
                        " or name_key is not null").fetchone()[0] == 0
    assert "도**어" in {name for (name,) in conn.execute("select name from intern_students")}  # masked as the CLI
    assert "비**람" in {person for (person,) in conn.execute("select person from network_participants")}
    note = conn.execute("select note from agreement_events where note like 'call %'").fetchone()[0]
    assert note == "call (tel.) or (e-mail)"
    for view in VIEWS:  # every view reads the published tables
        conn.execute(f"select * from {view}").fetchall()


def test_scrub_takes_out_emails_and_telephones_and_leaves_isbns_dates_and_codes():
    assert scrub("김사서 061-000-0000, kim@nanet.go.kr") == "김사서 (tel.), (e-mail)"
    assert scrub("01012345678 / 02) 788-4211") == "(tel.) / (tel.)"
    for kept in ("978-89-374-6044-9", "2020-02-29", "1228-4734", "6070123456789", "NAL-INT-2025-001", "11110"):
        assert scrub(kept) == kept
    assert scrub(None) is None and scrub(12) == 12


def test_the_copy_is_moved_into_place_whole_and_a_failed_one_leaves_nothing(planted, tmp_path, monkeypatch):
    target = tmp_path / "out.db"
    target.write_bytes(b"the old copy")
    ledger = Ledger.open(planted)
    import nalcoop.publish as publish

    def broken(source, out, table):
        if table.name == "network_orgs":
            raise sqlite3.OperationalError("disk I/O error")
        return real(source, out, table)

    real = publish._copy_table
    monkeypatch.setattr(publish, "_copy_table", broken)
    with pytest.raises(sqlite3.OperationalError):
        write_snapshot(ledger.conn, target, made_at="now", schema_version=1)
    assert target.read_bytes() == b"the old copy"
    assert not [p.name for p in tmp_path.iterdir() if "partial" in p.name]  # no partial file left
    assert not ledger.conn.in_transaction  # the ledger's read ended too
    monkeypatch.setattr(publish, "_copy_table", real)
    write_snapshot(ledger.conn, target, made_at="now", schema_version=1)
    ledger.close()
    assert sqlite3.connect(target).execute("select made_at from published").fetchone()[0] == "now"


def test_publish_refuses_the_ledger_itself_and_asks_before_replacing(planted, tmp_path):
    result = run(planted, "publish", str(planted), ok=False)
    assert result.exit_code != 0 and "is the ledger itself" in result.output
    existing = tmp_path / "exists.db"
    existing.write_text("x")
    result = run(planted, "publish", str(existing), ok=False)
    assert result.exit_code != 0 and "--yes" in result.output and existing.read_text() == "x"
    run(planted, "publish", str(existing), "--yes")
    assert existing.read_bytes()[:15] == b"SQLite format 3"


def _canned(copy: Path, canned, **params) -> list[dict]:
    conn = sqlite3.connect(copy)
    conn.row_factory = sqlite3.Row
    conn.create_function(FUNCTION, 5, function_for(copy))
    try:
        return [dict(row) for row in conn.execute(sql_of(canned), {p: params.get(p, "") for p in canned.parameters})]
    finally:
        conn.close()


def _stats_json(db: Path, *args: str) -> list[dict]:
    return json.loads(run(db, "stats", *args, "-f", "json").stdout)


@pytest.mark.parametrize("day", ["2020-02-29", "2026-07-01", "2024-06-30"])
def test_agreements_in_force_as_of_a_day_equal_nalcoop_stats(planted, tmp_path, day):
    copy = tmp_path / "published.db"
    run(planted, "publish", str(copy))
    canned = next(c for c in CANNED if c.name == "agreements_in_force")
    assert _canned(copy, canned, as_of=day) == _stats_json(planted, "agreements", "--as-of", day)


def test_every_period_query_equals_nalcoop_stats_for_the_period(planted, tmp_path):
    copy = tmp_path / "published.db"
    run(planted, "publish", str(copy))
    for canned in CANNED:
        if canned.day:
            continue
        for start, end in (("2024-01-01", "2024-06-30"), ("2016-01-01", "2026-11-25")):
            options = ["--from", start, "--to", end]
            expected = _stats_json(planted, canned.activity, "--by", canned.dimensions[0], *options)
            for other in canned.dimensions[1:]:
                expected += [row for row in _stats_json(planted, canned.activity, "--by", other, *options)
                             if row.get("by", row.get("dimension")) != "total"]
            assert _canned(copy, canned, **{"from": start, "to": end}) == expected, (canned.name, start, end)


def test_a_period_without_a_first_day_runs_from_the_beginning_as_stats_as_of_does(planted, tmp_path):
    copy = tmp_path / "published.db"
    run(planted, "publish", str(copy))
    canned = next(c for c in CANNED if c.name == "books_donated")
    expected = _stats_json(planted, "donations", "--as-of", "2025-12-31", "--by", "year")
    expected += [row for row in _stats_json(planted, "donations", "--as-of", "2025-12-31", "--by", "province")
                 if row["by"] != "total"]
    expected += [row for row in _stats_json(planted, "donations", "--as-of", "2025-12-31", "--by", "region")
                 if row["by"] != "total"]
    assert _canned(copy, canned, to="2025-12-31") == expected


def test_serve_without_the_web_extra_says_in_one_line_how_to_install_it(planted, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette", None)  # as if not installed: import raises ImportError
    result = run(planted, "serve", ok=False)
    assert result.exit_code == 1
    assert result.output.strip() == "Error: nalcoop serve needs the web extra; install it with: " \
                                    "pip install 'nalcoop[web]'"


def test_every_coded_column_of_the_web_view_has_its_vocabulary_and_labels():
    from nalcoop.web import site

    found = site.vocabularies()
    assert set(found) == set(site.CODED)
    assert site.label(found[("agreements", "status")], "signed", "ko") == "체결"
    assert site.label(found[("agreements", "level")], "basic", "ko") == "기초의회"
    assert site.label(found[("agreements", "level")], "basic", "en") != "기초의회"
    assert site.label(found[("agreements", "level")], "not a code", "ko") is None

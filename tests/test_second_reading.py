"""What the second reader of issues 15, 18, 19 and 21 found, each held by a test."""

from __future__ import annotations

import unicodedata

from nalcoop import donations, names, registry


def _v6_ledger(path):
    """A ledger as nalcoop with schema 6 left it (tests/fixtures/ledger-v6.sql), before the 2026 map."""
    import sqlite3
    from pathlib import Path

    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "fixtures" / "ledger-v6.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def test_a_name_stored_decomposed_by_an_earlier_nalcoop_keys_like_the_name_typed_today():
    decomposed = unicodedata.normalize("NFD", "해바라기작은도서관")
    assert names.name_key(decomposed) == names.name_key("해바라기작은도서관")
    assert donations.name_key(decomposed) == donations.name_key("해바라기작은도서관")
    assert registry.normalize_name(unicodedata.normalize("NFD", "가평군의회")) == registry.normalize_name("가평군의회")


def test_a_book_bought_outside_stock_needs_a_title_or_one_the_ledger_knows(cli):
    cli("donate", "library", "add", "해바라기작은도서관", "--region", "전라남도 신안군", "--type", "small")
    refused = cli("donate", "add", "--library", "해바라기작은도서관", "--isbn", "9791159310010", "--copies", "2",
                  "--outside-stock", ok=False)
    assert refused.exit_code == 2 and "missing option '--title'" in refused.stderr
    cli("donate", "add", "--library", "해바라기작은도서관", "--isbn", "9791159310010", "--title", "새 책", "--copies",
        "2",
        "--outside-stock")
    again = cli("donate", "add", "--library", "해바라기작은도서관", "--isbn", "9791159310010", "--copies", "1",
                "--outside-stock")
    assert "9791159310010 '새 책'" in again.stderr


def test_the_stock_add_example_gives_the_isbn_its_own_title(cli):
    """The help's example seeded 데미안's ISBN with another book's title, which later untitled lines would reuse."""
    example = cli("donate", "stock", "add", "--help").stdout
    assert "--isbn 978-89-374-6044-9 --title 데미안" in " ".join(example.split())


def test_a_listing_by_a_province_merged_away_says_what_it_became(cli):
    for command in (["agreement", "list"], ["agreement", "councils"], ["donate", "library", "list"]):
        result = cli(*command, "--province", "전남", ok=False)
        assert result.exit_code == 1
        assert "(merged into 전남광주통합특별시 on 2026-07-01)" in result.stderr, command
    before = cli("agreement", "councils", "--province", "전남", "--as-of", "2026-06-30", "--format", "csv").stdout
    assert "전라남도의회" in before


def test_a_message_during_a_drawn_bar_is_printed_above_it_not_glued_to_it(monkeypatch):
    """Found by the second reader in tmux: the import's notes were written straight to the terminal while the bar
    was drawn, glued onto the bar's line, and left stale bars behind."""
    from nalcoop import progress
    from nalcoop.commands.common import say

    from .test_safety import _Clock, _Terminal

    monkeypatch.delenv("TERM", raising=False)
    stream = _Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    with progress.activity("importing big.csv", stream=stream, clock=_Clock(0.3)) as work:
        work.stage("reading big.csv", 100)
        for _ in range(10):  # the bar is drawn after about a second of work
            work.advance(5)
        assert work.bar is not None
        say("backed up the ledger before importing")
        assert progress.message("") is True
    assert progress.message("after the bar") is False
    import re

    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # the terminal's cursor codes
    lines = [line.strip() for line in shown.replace("\r", "\n").split("\n")]
    assert "backed up the ledger before importing" in lines  # on a line of its own


def test_a_backup_from_an_older_nalcoop_is_restored_onto_todays_map(cli, tmp_path):
    """An upgrade brings the shipped registry; a backup from an older nalcoop is upgraded while it is restored,
    so the restore brings it too (else the restored ledger would count 17 provincial councils in August 2026)."""
    old = _v6_ledger(tmp_path / "old-backup.db")
    result = cli("restore", "--yes", str(old))
    assert "upgraded from schema 6" in result.stderr
    assert "council registry brought up to date (added 2026-07-01-seohae-rename" in result.stderr
    rows = cli("agreement", "councils", "--as-of", "2026-08-01", "--level", "provincial", "--format", "csv").stdout
    assert len(rows.strip().splitlines()) == 1 + 16


def test_the_english_name_nalcoop_printed_before_still_finds_the_council(ledger):
    """Earlier exports say 'Gyeonggi Provincial Council'; the council publishes 'Gyeonggido Assembly'."""
    council = registry.resolve(ledger.conn, "Gyeonggi Provincial Council")
    assert council.name == "경기도의회" and council.name_en == "Gyeonggido Assembly"


def test_an_ambiguous_name_is_refused_with_the_provinces_that_settle_it(cli):
    result = cli("agreement", "request", "광주시의회", "--date", "2020-03-02", ok=False)
    assert "Add the province (--province 광주 or --province 경기; in a name, as in '대구 중구')" in result.stderr
    settled = cli("agreement", "request", "광주시의회", "--province", "경기", "--date", "2020-03-02")
    assert "경기도 광주시의회" in settled.stderr


def test_a_hand_recorded_rename_without_its_code_is_one_change_after_the_update(tmp_path):
    """The README's own example (`registry rename '인천 서구' --to 서해구 --date 2026-07-01`, no --code) in an older
    ledger: the update recognises it and fills the code into it, rather than recording a second rename."""
    import csv
    import io

    from typer.testing import CliRunner

    from nalcoop.cli import app
    from nalcoop.ledger.store import Ledger

    path = _v6_ledger(tmp_path / "v6.db")
    Ledger.open(path).close()  # the schema upgrade alone, as before the update

    def run(*args):
        result = CliRunner().invoke(app, ["--db", str(path), *args])
        assert result.exit_code == 0, result.output
        return result

    run("registry", "rename", "인천 서구", "--name", "서해구", "--date", "2026-07-01", "--source", "인천광역시 공고")
    update = run("registry", "update")
    assert "recognised: 2026-07-01-seohae-rename: already recorded by hand as change" in update.stderr
    assert "code filled in" in update.stderr and "added: 2026-07-01-seohae-rename" not in update.stderr
    changes = list(csv.DictReader(io.StringIO(run("registry", "changes", "--format", "csv").stdout)))
    renames = [row for row in changes if row.get("effective", row.get("date", "")) == "2026-07-01"
               and "서해구" in str(row)]
    assert len(renames) == 1, renames
    seohae = registry.resolve(Ledger.open(path).conn, "서해구", on_date="2026-08-01")
    assert seohae.code == "28275"


def test_an_inherited_agreement_confirmed_with_the_new_council_is_still_listed_as_inherited(cli):
    """After the follow-up `show` advises, the list said 'signed since 2026-08-03' with nothing inherited."""
    import csv
    import io

    cli("agreement", "sign", "광주광역시의회", "--date", "2020-05-02", "--mode", "in-person", "--without-request")
    cli("agreement", "follow-up", "광주특별시의회", "--date", "2026-08-03", "--type", "materials")
    listed = cli("agreement", "list", "--as-of", "2026-08-04", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(listed)))
    assert [(r["council"], r["status"], r["since"]) for r in rows] == [
        ("전남광주통합특별시의회", "signed", "2026-07-01")]
    assert rows[0]["inherited from"] == "광주광역시의회 (signed 2020-05-02)"


def test_a_request_open_at_the_merger_is_continued_by_the_new_council(cli, ledger):
    """The second reader: 전라남도의회's open request vanished from due, list and the statistics at the merger, and
    signing with the new council said 'no agreement steps recorded'. The new council now continues it."""
    import csv
    import io

    from nalcoop import agreements

    def rows(*args):
        return list(csv.DictReader(io.StringIO(cli(*args, "--format", "csv").stdout)))

    cli("agreement", "request", "전라남도의회", "--date", "2026-05-01")
    listed = rows("agreement", "list", "--status", "requested", "--as-of", "2026-08-01")
    assert [(r["council"], r["since"], r["inherited from"]) for r in listed] == [
        ("전남광주통합특별시의회", "2026-07-01", "전라남도의회 (requested 2026-05-01)")]
    assert [r["council"] for r in rows("agreement", "due")] == ["전남광주통합특별시의회"]
    provincial = next(r for r in rows("stats", "agreements", "--as-of", "2026-08-01") if r["group"] == "provincial")
    assert (provincial["in force"], provincial["requested"]) == ("0", "1")
    cli("agreement", "sign", "광주특별시의회", "--date", "2026-07-15", "--mode", "in-person")
    assert [(r["council"], r["status"]) for r in rows("agreement", "list")] == [("전남광주통합특별시의회", "signed")]
    assert agreements.invariant_problems(ledger.conn) == []

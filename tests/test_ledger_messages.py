"""Issue 17: the ledger's own messages (backup, restore, undo, the files it refuses, the triggers' rules, upgrades),
the problems `nalcoop check` lists, the settings' errors and `nalcoop info`'s "chosen by" speak the run's language:
Korean with `--lang ko`, English with `--lang en` (the suite itself runs in English, tests/conftest.py), while the
`FAILED <check>:` prefixes and the codes JSON gives stay the same in both."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from nalcoop import checks, i18n
from nalcoop.ledger import errors as ledger_errors
from nalcoop.ledger.store import Ledger

MIGRATIONS = Path(__file__).resolve().parent.parent / "nalcoop" / "ledger" / "migrations"


@pytest.fixture
def korean():
    """A function called in a Korean run (set_language, as `--lang ko` does), and back to the default after."""
    i18n.set_language("ko")
    try:
        yield
    finally:
        i18n.set_language(None)


# ------------------------------------------------------------------ check


def _planted(cli, db_path) -> None:
    """One problem in the registry and in each activity, written through a journaled command (so the journal's own
    checks hold and only the rules of each group fail)."""
    cli("agreement", "request", "서울특별시의회", "--date", "2013-05-01")
    cli("donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "전라남도 신안군")
    cli("donate", "add", "--to", "해바라기작은도서관", "--isbn", "978-89-374-6044-9", "--title", "데미안", "--qty", "3",
        "--outside-stock", "--date", "2024-03-01")
    cli("distribute", "recipient", "add", "Library of Congress", "--country", "USA", "--type", "national-library")
    cli("intern", "cohort", "add", "2025-summer", "--from", "2025-07-07", "--to", "2025-08-01", "--slots", "12",
        "--required-hours", "90", "--dept", "의회정보실")
    cli("intern", "apply", "--cohort", "2025-summer", "--name", "김하늘", "--university", "한남대학교", "--email",
        "sky@example.ac.kr", "--date", "2025-06-01")
    ledger = Ledger.open(db_path)
    try:
        with ledger.command("plant problems", "test"):
            conn = ledger.conn
            conn.execute("update agreement_events set status_after = 'signed' where step = 'request'")
            conn.execute("update donation_batches set status = 'shipped'")
            conn.execute("update distribution_recipients set country = 'ZZ'")
            conn.execute("update network_orgs set name_key = 'elsewhere' where id = 1")
            conn.execute("update intern_applications set status = 'accepted'")
            conn.execute("update council_versions set valid_to = null where valid_to is not null and council_id = "
                         "(select council_id from council_versions where gov = '군위군')")
    finally:
        ledger.close()


KOREAN_PROBLEMS = [
    "FAILED registry: 의회 213(군위군)의 0001-01-01부터의 버전과 2023-07-01부터의 버전이 겹칩니다",
    "FAILED agreements: 협약 기록 1(서울특별시의회, 2013-05-01 협약 요청): "
    "단계 뒤의 상태가 요청이(가) 아니라 체결입니다",
    "FAILED donations: 기증 묶음 2024-001의 상태는 발송이지만, 단계는 계획에서 끝납니다",
    "FAILED distribution: 수령처 1의 국가 'ZZ'은(는) ISO 3166 코드가 아닙니다",
    "FAILED network: 기관 1(국회도서관)이(가) 다른 이름으로 정리되어 있습니다",
    "FAILED interns: 지원 #1의 상태는 선발이지만, 마지막 단계는 지원입니다",
]
ENGLISH_PROBLEMS = [
    "FAILED registry: council 213 (군위군) has overlapping versions from 0001-01-01 and 2023-07-01",
    "FAILED agreements: agreement event 1 (서울특별시의회, request on 2013-05-01): "
    "status after is signed, not requested",
    "FAILED donations: batch 2024-001 has status shipped, but its steps end at planned",
    "FAILED distribution: recipient 1 has country 'ZZ', which is not an ISO 3166 code",
    "FAILED network: organization 1 (국회도서관) is filed under another name",
    "FAILED interns: application #1 is accepted, but its last step is apply",
]


def test_check_lists_each_groups_problem_in_korean_and_in_english_with_lang_en(cli, db_path):
    _planted(cli, db_path)
    korean = cli("--lang", "ko", "check", ok=False)
    assert korean.exit_code == 1
    assert korean.stdout.splitlines()[:-1] == KOREAN_PROBLEMS  # codes shown by their labels: 협약 요청, 체결, 발송
    assert korean.stdout.splitlines()[-1].startswith(f"{db_path}: 점검 10개 중 6개가 실패했습니다(문제 6건)")
    english = cli("--lang", "en", "check", ok=False)
    assert english.stdout.splitlines()[:-1] == ENGLISH_PROBLEMS  # codes as scripts type them
    assert english.stdout.splitlines()[-1].startswith("6 of 10 checks failed (6 problems)")


def test_checks_journal_and_schema_problems_are_korean(cli, db_path):
    cli("agreement", "request", "서울특별시의회", "--date", "2013-05-01")
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("drop trigger journal_agreement_events_update")
    conn.execute("update agreement_events set note = 'edited behind nalcoop'")
    conn.close()
    korean = cli("--lang", "ko", "check", ok=False).stdout
    assert ("FAILED schema: 표 agreement_events에 작업 기록 update 트리거가 없습니다: 그 표의 변경이 기록되지 "
            "않습니다") in korean
    assert ("FAILED journal: agreement_events의 행 1이(가) 작업 기록의 마지막 변경과 다릅니다: note: 작업 기록 None, "
            "현재 'edited behind nalcoop'") in korean
    english = cli("--lang", "en", "check", ok=False).stdout
    assert "FAILED schema: table agreement_events has no journal update trigger" in english


def test_a_broken_hash_chain_is_named_in_korean(cli, db_path):
    cli("agreement", "request", "서울특별시의회", "--date", "2013-05-01")
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("update journal_changes set hash = 'forged' where id = (select max(id) from journal_changes)")
    conn.close()
    korean = cli("--lang", "ko", "check", ok=False).stdout
    assert re.search(r"FAILED journal: 작업 기록 항목 \d+\(명령 2, 표 'agreement_events'의 insert\)에서 작업 기록의 "
                     r"해시 사슬이 끊깁니다: 이 항목이나 그 앞 항목을 nalcoop 밖에서", korean), korean


def test_every_groups_problems_are_korean_when_the_checks_run_as_functions(cli, db_path):
    _planted(cli, db_path)  # (each run of the command line sets the language anew: Korean is chosen after)
    ledger = Ledger.open(db_path)
    i18n.set_language("ko")
    try:
        listed = [f"FAILED {result.name}: {problem}" for result in checks.run_checks(ledger.conn)
                  for problem in result.problems]
    finally:
        i18n.set_language(None)
        ledger.close()
    assert listed == KOREAN_PROBLEMS


def test_a_check_that_cannot_run_says_so_in_korean(korean):
    from nalcoop.ledger.checks import run

    def broken(conn):
        raise sqlite3.DatabaseError("file is not a database")

    [result] = run(sqlite3.connect(":memory:"), [("journal", broken)])
    assert result.problems == ["실행할 수 없었습니다: file is not a database"]


# ------------------------------------------------------------------ backup, restore, the ledger file


def test_backup_and_restore_refuse_in_korean_and_in_english(cli, db_path, tmp_path):
    missing_folder = tmp_path / "nowhere" / "copy.db"
    korean = cli("--lang", "ko", "backup", str(missing_folder), ok=False)
    assert korean.exit_code == 1
    assert f"오류: 폴더 {missing_folder.parent}이(가) 없습니다. 먼저 폴더를 만드십시오" in korean.output
    itself = cli("--lang", "ko", "backup", str(db_path), "--yes", ok=False)
    assert f"오류: {db_path}은(는) 장부 자체입니다. 백업에 다른 이름을 주십시오" in itself.output
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    restored = cli("--lang", "ko", "restore", str(empty), "--yes", ok=False)
    assert f"오류: {empty}은(는) 비어 있습니다. nalcoop 백업이 아닙니다" in restored.output
    english = cli("--lang", "en", "backup", str(missing_folder), ok=False)
    assert f"Error: the folder {missing_folder.parent} does not exist; create it first" in english.output


def test_restore_of_a_backup_that_fails_its_checks_is_refused_in_korean(cli, db_path, tmp_path):
    copy = tmp_path / "copy.db"
    cli("backup", str(copy))
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.create_function("nalcoop_command", 0, lambda: 1)  # another tool pretending to be nalcoop
    conn.execute("delete from registry_changes where kind = 'baseline'")
    conn.close()
    refused = cli("--lang", "ko", "restore", str(copy), "--yes", ok=False)
    assert refused.exit_code == 1
    assert f"오류: {copy}은(는) 점검을 통과하지 못합니다(" in refused.output
    assert "아무것도 복원하지 않았습니다" in refused.output


def test_a_file_that_is_not_a_ledger_is_refused_in_korean(tmp_path):
    from .conftest import Cli

    foreign = tmp_path / "notes.db"
    foreign.write_text("not a database", encoding="utf-8")
    said = Cli(foreign)("--lang", "ko", "info", ok=False)
    assert said.output.startswith(f"오류: {foreign}은(는) SQLite 파일이 아니므로 nalcoop 장부가 아닙니다. --db 경로를 "
                                  "확인하십시오")
    absent = Cli(tmp_path / "none.db")("--lang", "ko", "info", ok=False)
    assert "장부가 없습니다. `nalcoop init`으로 만드십시오" in absent.output
    device = Cli(Path("/dev/null"))("--lang", "ko", "info", ok=False)
    assert "오류: /dev/null은(는) 일반 파일이 아니라 장치입니다. --db에는 ~/nalcoop/ledger.db 같은 파일을 주십시오" \
        in device.output
    assert "is a device, not a regular file" in Cli(Path("/dev/null"))("--lang", "en", "info", ok=False).output


def test_the_ledgers_errors_are_korean_when_called_as_functions(tmp_path, korean):
    from nalcoop.ledger.backup import BackupError, copy_ledger
    from nalcoop.ledger.errors import LedgerError
    from nalcoop.ledger.store import probe

    foreign = tmp_path / "notes.db"
    foreign.write_text("not a database", encoding="utf-8")
    with pytest.raises(LedgerError, match="SQLite 파일이 아니므로 nalcoop 장부가 아닙니다"):
        probe(foreign)
    with pytest.raises(BackupError, match=r"폴더입니다\. 백업 파일의 이름을 주십시오"):
        copy_ledger(foreign, tmp_path)


# ------------------------------------------------------------------ undo, redo, the triggers' rules


def test_undo_and_redo_refuse_in_korean(cli):
    nothing = cli("--lang", "ko", "--author", "김사서", "undo", ok=False)
    assert nothing.exit_code == 1
    assert ("오류: 되돌릴 본인(김사서)의 명령이 남아 있지 않습니다. 동료의 명령을 되돌리려면 그 번호를 "
            "주십시오") in nothing.output
    absent = cli("--lang", "ko", "undo", "99", ok=False)
    assert "오류: 작업 기록에 명령 99이(가) 없습니다. `nalcoop history`를 보십시오" in absent.output
    redo = cli("--lang", "ko", "--author", "김사서", "redo", ok=False)
    assert "오류: 다시 적용할 본인(김사서)의 명령이 없습니다" in redo.output
    english = cli("--lang", "en", "undo", "99", ok=False)
    assert "Error: there is no command 99 in the journal; see `nalcoop history`" in english.output


def test_a_rule_the_ledgers_triggers_keep_is_said_in_korean_when_an_undo_breaks_it(cli, db_path):
    cli("donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "전라남도 신안군")
    cli("donate", "stock", "add", "--title", "국회도서관 70년사", "--copies", "20", "--reason", "non-registered",
        "--date", "2024-03-02")
    cli("donate", "add", "--library", "해바라기작은도서관", "--title", "국회도서관 70년사", "--copies", "15")
    stock = sqlite3.connect(db_path).execute(
        "select id from journal_commands where command like '%stock add%'").fetchone()[0]
    korean = cli("--lang", "ko", "undo", str(stock), ok=False)
    assert korean.exit_code == 1
    assert f"오류: 명령 {stock}을(를) 되돌릴 수 없습니다: 재고가 0보다 적어집니다. 나중의 명령을 먼저 되돌리십시오" \
        in korean.output
    english = cli("--lang", "en", "undo", str(stock), ok=False)
    assert f"cannot undo command {stock}: stock would go below zero; undo those later commands first" in english.output


def test_every_rule_a_migration_writes_into_a_trigger_is_in_the_catalog_list():
    """A trigger's message is in the ledger file, in English, and is translated where it is shown: each one the
    migrations say must be in ledger.errors.RULES (which the catalog extracts), and nothing else."""
    said = set()
    for path in sorted(MIGRATIONS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        said |= {rule.replace("''", "'") for rule in re.findall(r"'nalcoop: ((?:[^']|'')*)'", text)}
    assert said == set(ledger_errors.RULES)


def test_a_triggers_rule_is_said_in_the_language_of_the_run(korean):
    assert ledger_errors.is_rule("nalcoop: stock would go below zero")
    assert ledger_errors.rule_said("nalcoop: stock would go below zero") == "재고가 0보다 적어집니다"
    i18n.set_language("en")
    assert ledger_errors.rule_said("nalcoop: stock would go below zero") == "stock would go below zero"


def test_the_rekey_note_after_an_upgrade_is_korean(tmp_path):
    from .conftest import Cli
    from .test_donations import STARLIGHT, STARLIGHT_OLD_KEY, _v8_ledger_holding

    path = _v8_ledger_holding(tmp_path / "ledger.db",
                              [("별빛작은도서관", "별빛작은도서관"), (STARLIGHT, STARLIGHT_OLD_KEY)])
    said = Cli(path)("--lang", "ko", "donate", "library", "list", "--format", "csv").stderr
    assert ("받는 도서관 '『별빛』작은도서관'(행 4)은(는) 예전 키를 그대로 둡니다: 이제 이름을 비교하는 "
            "방식(띄어쓰기, 문장부호, 『』, 대소문자 무시)으로는 '별빛작은도서관'(행 3)이(가) 그 키를 이미 "
            "가지고 있습니다. 둘 중 하나의 이름을 바꾸십시오(`nalcoop donate library edit`)") in said


# ------------------------------------------------------------------ settings


def test_a_wrong_setting_is_refused_in_korean_naming_what_it_means(cli, monkeypatch, tmp_path):
    sheet = tmp_path / "a.csv"
    sheet.write_text("의회,요청일\n종로구의회,2020-01-02\n", encoding="utf-8")
    monkeypatch.setenv("NALCOOP_IMPORT_MAX_MB", "0")
    korean = cli("--lang", "ko", "agreement", "import", str(sheet), ok=False)
    assert korean.exit_code == 2
    assert ("오류: NALCOOP_IMPORT_MAX_MB은(는) 1 이상이어야 합니다(가져오기가 읽는 파일의 최대 크기, 메가바이트 단위). "
            "0은(는) 안 됩니다") in korean.output
    english = cli("--lang", "en", "agreement", "import", str(sheet), ok=False)
    assert "NALCOOP_IMPORT_MAX_MB must be at least 1 (the largest file an import reads, in megabytes), not 0" \
        in english.output


def test_a_setting_that_is_not_a_number_is_refused_in_korean(monkeypatch, korean):
    from nalcoop.errors import UsageError
    from nalcoop.settings import setting

    monkeypatch.setenv("NALCOOP_BACKUPS_KEEP", "ten")
    with pytest.raises(UsageError, match=r"NALCOOP_BACKUPS_KEEP은\(는\) 정수여야 합니다\(장부 옆에 보관하는 "
                                         r"자동 백업 수"):
        setting("backups_keep")


# ------------------------------------------------------------------ info: which rule chose the ledger


def test_info_says_in_korean_which_rule_chose_the_ledger_and_json_keeps_the_code(cli, db_path):
    from typer.testing import CliRunner

    from nalcoop.cli import app

    rows = dict(line.split(",", 1) for line in cli("--lang", "ko", "info", "-f", "csv").stdout.splitlines()[1:])
    assert rows["정해진 방법"] == "명령줄 옵션 --db"  # (a value starting with '-' would be guarded in CSV)
    assert rows["Linux 및 기타 Unix의 기본 위치"] == \
        "$XDG_DATA_HOME/nalcoop/ledger.db (보통 ~/.local/share/nalcoop/ledger.db)"
    korean = json.loads(cli("--lang", "ko", "info", "-f", "json").stdout)
    english = json.loads(cli("--lang", "en", "info", "-f", "json").stdout)
    assert korean["chosen_by"] == english["chosen_by"] == "option --db"
    assert korean["default_on_windows"] == english["default_on_windows"] == \
        "%LOCALAPPDATA%\\nalcoop\\ledger.db (AppData\\Local, not the roaming %APPDATA%)"
    by_variable = {"NALCOOP_DB": str(db_path)}
    shown = CliRunner().invoke(app, ["--lang", "ko", "info", "-f", "csv"], env=by_variable).stdout
    assert "정해진 방법,환경 변수 NALCOOP_DB" in shown
    data = CliRunner().invoke(app, ["--lang", "ko", "info", "-f", "json"], env=by_variable).stdout
    assert json.loads(data)["chosen_by"] == "environment variable NALCOOP_DB"


def test_the_rule_that_chose_the_ledger_is_said_in_the_language_of_the_run(monkeypatch, tmp_path, korean):
    import sys

    from nalcoop.ledger import files

    assert files.locate(str(tmp_path / "a.db")).said == "명령줄 옵션 --db"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(files, "default_ledger_path", lambda: tmp_path / "Local" / "nalcoop" / "ledger.db")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    (tmp_path / "Roaming" / "nalcoop").mkdir(parents=True)
    (tmp_path / "Roaming" / "nalcoop" / "ledger.db").write_bytes(b"")
    old = files.locate(None)
    assert old.source == "old roaming per-user default"
    new = tmp_path / "Local" / "nalcoop" / "ledger.db"
    assert old.said == (f"로밍되는 %APPDATA%의 예전 사용자별 기본 위치: 로컬 폴더인 {new}(으)로 "
                        "옮기십시오(사용 중인 장부가 파일 서버에서 손상될 수 있습니다)")


def test_restore_of_a_file_that_is_no_backup_points_at_the_backup_not_at_db(cli, tmp_path):
    picture = tmp_path / "p.pdf"
    picture.write_bytes(b"%PDF-1.7 not a ledger")
    refused = cli("--lang", "ko", "restore", str(picture), "--yes", ok=False)
    assert refused.exit_code == 1 and "nalcoop 백업이 아닙니다" in refused.output and "--db" not in refused.output

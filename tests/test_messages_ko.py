"""Issue 17: every command group says one error and one confirmation in Korean (`--lang ko`; the suite itself runs
in English, tests/conftest.py), with the English text unchanged under `--lang en`."""

from __future__ import annotations


def test_agreement_says_its_confirmation_and_an_error_in_korean(cli, tmp_path):
    done = cli("--lang", "ko", "agreement", "request", "종로구의회", "--date", "2020-01-02")
    assert "종로구의회: 2020-01-02 협약 요청을 기록했습니다(상태: " in done.output
    wrong = cli("--lang", "ko", "agreement", "export", str(tmp_path / "a.json"), ok=False)
    assert wrong.exit_code != 0
    assert "export는 `agreement import`가 읽는 .xlsx, .csv, .tsv 파일로 씁니다" in wrong.output
    english = cli("--lang", "en", "agreement", "request", "서울특별시의회", "--date", "2020-01-03")
    assert "request recorded on 2020-01-03 (status: requested)" in english.output


def test_donate_says_its_confirmation_and_an_error_in_korean(cli):
    done = cli("--lang", "ko", "donate", "library", "add", "해바라기작은도서관", "--type", "small",
               "--region", "전라남도 신안군")
    assert "을(를) 등록했습니다(유형: 작은도서관)" in done.output
    opened = cli("--lang", "ko", "donate", "add", "--to", "해바라기작은도서관", "--isbn", "978-89-374-6044-9",
                 "--title", "데미안", "--qty", "3", "--outside-stock", "--date", "2024-03-01")
    assert "2024-03-01에 해바라기작은도서관" in opened.output
    assert "이제 묶음에 1줄, 도서 3권이 있습니다" in opened.output
    wrong = cli("--lang", "ko", "donate", "packing-list", "2024-001", "--format", "xlsx", ok=False)
    assert wrong.exit_code == 2 and "오류: xlsx는 파일 형식입니다. -o FILE.xlsx를 주십시오" in wrong.output
    english = cli("--lang", "en", "donate", "library", "add", "민들레작은도서관", "--type", "small",
                  "--region", "전라남도 신안군")
    assert "registered 민들레작은도서관" in english.output and "a small library" in english.output


def test_distribute_says_its_confirmation_and_an_error_in_korean(cli):
    done = cli("--lang", "ko", "distribute", "publication", "add", "국회도서관보", "--frequency", "monthly",
               "--issn", "1228-4734")
    assert "『국회도서관보』(월간, ISSN 1228-4734)을(를) 발간자료 목록에 추가했습니다" in done.output
    wrong = cli("--lang", "ko", "distribute", "subscriptions", "--all", "--as-of", "2024-01-01", ok=False)
    assert wrong.exit_code == 2 and "오류: --all과 --as-of 중 하나만 주십시오" in wrong.output
    english = cli("--lang", "en", "distribute", "publication", "add", "Law Review", "--frequency", "monthly")
    assert "added 『Law Review』 (monthly) to the catalogue" in english.output


def test_network_says_its_confirmation_and_an_error_in_korean(cli):
    done = cli("--lang", "ko", "network", "org", "add", "고려대학교 법학도서관", "--type", "library")
    assert "고려대학교 법학도서관을(를) 등록했습니다(" in done.output
    wrong = cli("--lang", "ko", "network", "members", "--history", "--as-of", "2024-01-01", ok=False)
    assert wrong.exit_code == 2 and "오류: --history와 --as-of 중 하나만 주십시오" in wrong.output
    english = cli("--lang", "en", "network", "org", "add", "연세대학교 법학도서관", "--type", "library")
    assert "registered 연세대학교 법학도서관, library" in english.output


def test_intern_says_its_confirmation_and_an_error_in_korean(cli):
    done = cli("--lang", "ko", "intern", "cohort", "add", "2025-summer", "--from", "2025-07-07", "--to", "2025-08-01",
               "--slots", "12", "--required-hours", "90", "--dept", "의회정보실")
    assert "기수 2025-summer을(를) 열었습니다: 2025-07-07 – 2025-08-01, 정원 12명, 이수 시간 90시간" in done.output
    wrong = cli("--lang", "ko", "intern", "list", "--purpose", "audit", ok=False)
    assert wrong.exit_code == 2 and "오류: --purpose는 --reveal과 함께 씁니다" in wrong.output
    english = cli("--lang", "en", "intern", "cohort", "add", "2025-winter", "--from", "2026-01-05", "--to",
                  "2026-01-30", "--slots", "5", "--required-hours", "60", "--dept", "의회정보실")
    assert "opened cohort 2025-winter: 2026-01-05 – 2026-01-30, 5 slots, 60 hours required" in english.output


def test_registry_says_its_confirmation_and_an_error_in_korean(cli):
    done = cli("--lang", "ko", "registry", "update")
    assert "의회 명부가 최신입니다" in done.output
    wrong = cli("--lang", "ko", "registry", "rename", "종로구의회", "--date", "2030-01-01", "--source", "고시",
                ok=False)
    assert wrong.exit_code == 2 and "(새 이름)" in wrong.output
    assert "the council registry is up to date" in cli("--lang", "en", "registry", "update").output


def test_the_ledgers_commands_say_their_confirmation_and_an_error_in_korean(cli, tmp_path):
    done = cli("--lang", "ko", "backup", str(tmp_path / "copy.db"))
    assert "에 백업했습니다(" in done.output and str(tmp_path / "copy.db") in done.output
    checked = cli("--lang", "ko", "check")
    assert checked.output.startswith("ok: ") and "점검" in checked.output and "통과" in checked.output
    wrong = cli("--lang", "ko", "init", "--group", "no-such-group-17", ok=False)
    assert "'no-such-group-17' 그룹이 없습니다" in wrong.output
    assert "backed up " in cli("--lang", "en", "backup", str(tmp_path / "copy2.db")).output


def test_stats_says_an_error_in_korean(cli):
    """(stats writes no confirmation: it shows tables, which follow the language through their columns.)"""
    wrong = cli("--lang", "ko", "stats", "agreements", "--measure", "signed", ok=False)
    assert wrong.exit_code == 2
    assert "오류: --measure는 --chart가 그릴 값을 고릅니다. --chart를 더하십시오" in wrong.output
    english = cli("--lang", "en", "stats", "agreements", "--measure", "signed", ok=False)
    assert "--measure chooses what --chart draws; add --chart" in english.output


def test_report_says_its_confirmation_and_an_error_in_korean(cli, tmp_path):
    wrong = cli("--lang", "ko", "report", "annual", "2024", "-o", str(tmp_path / "r.csv"), ok=False)
    assert wrong.exit_code == 2 and "연간 보고서는 엑셀 통합문서입니다. .xlsx로 끝나는 파일을 주십시오" in wrong.output
    done = cli("--lang", "ko", "report", "annual", "2024", "-o", str(tmp_path / "r.xlsx"))
    assert "2024년 연간 보고서를 " in done.output and "에 썼습니다: 시트 " in done.output


def test_an_agreement_rule_refuses_in_korean(cli):
    cli("agreement", "request", "종로구의회", "--date", "2020-01-02")
    again = cli("--lang", "ko", "agreement", "request", "종로구의회", "--date", "2020-02-03", ok=False)
    assert again.exit_code == 1
    assert again.output.startswith("오류: 서울특별시 종로구의회에는 이미 진행 중인 협약 요청이 있습니다(2020-01-02부터 "
                                   "상태 요청)")


def test_a_donation_rule_refuses_in_korean(cli):
    wrong = cli("--lang", "ko", "donate", "batch", "show", "2024-999", ok=False)
    assert wrong.exit_code == 1
    assert "오류: 기증 묶음 2024-999이(가) 없습니다. `nalcoop donate list`로 묶음 목록을 볼 수 있습니다" in wrong.output


def test_a_distribution_rule_refuses_in_korean(cli):
    cli("distribute", "publication", "add", "국회도서관보", "--frequency", "monthly")
    wrong = cli("--lang", "ko", "distribute", "publication", "add", "국회도서관보", "--frequency", "monthly", ok=False)
    assert wrong.exit_code == 1
    assert "『국회도서관보』은(는) 이미 발간자료 목록에 있습니다. `nalcoop distribute publication edit`로 고치십시오" \
        in wrong.output


def test_a_network_rule_refuses_in_korean(cli):
    wrong = cli("--lang", "ko", "network", "org", "add", "대한변호사협회", "--type", "library", ok=False)
    assert wrong.exit_code == 1
    assert "대한변호사협회은(는) 이미 등록되어 있습니다. `nalcoop network org edit`로 고치십시오" in wrong.output


def test_an_intern_rule_refuses_in_korean(cli):
    wrong = cli("--lang", "ko", "intern", "cohort", "add", "2025-summer", "--from", "2025-08-01", "--to", "2025-07-01",
                "--slots", "3", "--required-hours", "90", "--dept", "의회정보실", ok=False)
    assert wrong.exit_code == 1
    assert "기수가 시작일 2025-08-01보다 앞선 2025-07-01에 끝납니다" in wrong.output


def test_listing_titles_read_in_the_run_s_language(cli):
    """Issue 17: a table's title is text a person reads, so it follows --lang (the data under it too)."""
    cli("agreement", "request", "종로구", "--date", "2020-01-02")
    korean = cli("--lang", "ko", "agreement", "list", "--as-of", "2020-01-31", "--format", "table").stdout
    assert "2020-01-31 현재 업무협약: 1곳" in korean and "요청" in korean
    english = cli("--lang", "en", "agreement", "list", "--as-of", "2020-01-31", "--format", "table").stdout
    assert "agreements as of 2020-01-31: 1" in english
    journal = cli("--lang", "ko", "history", "--format", "table").stdout
    assert journal.startswith("작업 기록")


def test_an_import_refuses_a_file_in_korean(cli, tmp_path):
    wrong = cli("--lang", "ko", "agreement", "import", str(tmp_path / "없음.xlsx"), ok=False)
    assert wrong.exit_code != 0
    assert "없음.xlsx이(가) 없습니다. 파일 이름과 폴더를 확인하십시오" in wrong.output


def test_a_date_is_refused_in_korean(cli):
    wrong = cli("--lang", "ko", "agreement", "request", "종로구의회", "--date", "2020-02-30", ok=False)
    assert wrong.exit_code == 2
    assert "'2020-02-30'은(는) 날짜가 아닙니다" in wrong.output

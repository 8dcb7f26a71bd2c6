"""The practical apprenticeship: cohorts, applications and their steps, placements and hours, evaluations,
completion and certificates, masking, reveals and the purge, statistics — through the CLI and the
functions beneath it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3

import openpyxl
import pytest

from nalcoop import interns
from nalcoop.interns import InternError

COHORT = "2025-summer"


def _csv(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _json(result) -> list[dict]:
    return json.loads(result.stdout)


def _workbook(path, header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _cohort(cli, slots="12"):
    cli("intern", "cohort", "add", COHORT, "--from", "2025-07-07", "--to", "2025-08-01", "--slots", slots,
        "--required-hours", "90", "--dept", "의회정보실", "--dept", "법률정보실")


def _placed(cli, name="김하늘", email="sky@example.ac.kr"):
    cli("intern", "apply", "--cohort", COHORT, "--name", name, "--university", "한남대학교", "--major", "문헌정보학",
        "--study-year", "4", "--email", email, "--date", "2025-06-01")
    cli("intern", "accept", name, "--cohort", COHORT, "--date", "2025-06-20")
    cli("intern", "place", name, "--dept", "의회정보실", "--mentor", "이사서", "--from", "2025-07-07")


def _weekdays(start="2025-07-07", end="2025-08-01"):
    day, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def _full_timesheet(cli, tmp_path, name="김하늘", hours=5, start="2025-07-07"):
    path = _workbook(tmp_path / "timesheet.xlsx", ["성명", "일자", "시간", "비고"],
                     [[name, day, f"{hours}시간", "실습"] for day in _weekdays(start)])
    return cli("intern", "hours", "--import", str(path))


# ------------------------------------------------------------------ the whole path, as the issue tells it


def test_the_issue_s_path_from_cohort_to_certificate(cli, tmp_path, db_path):
    _cohort(cli)
    _placed(cli)
    cli("intern", "hours", "김하늘", "--date", "2025-07-07", "--hours", "8", "--note", "orientation")
    imported = _full_timesheet(cli, tmp_path, start="2025-07-08")
    assert "19 logged, 0 unchanged" in imported.output  # 20 weekdays; the first was logged by hand
    again = cli("intern", "hours", "--import", str(tmp_path / "timesheet.xlsx"))
    assert "0 logged, 19 unchanged" in again.output  # the same timesheet again: nothing doubled
    cli("intern", "evaluate", "김하늘", "--evaluator", "이사서", "--score", "4", "--comment", "성실함", "--date",
        "2025-08-01")
    done = cli("intern", "complete", "김하늘", "--date", "2025-08-01")
    assert "certificate NAL-INT-2025-001" in done.output
    target = tmp_path / "certificate.html"
    cli("--lang", "ko", "intern", "certificate", "김하늘", "-o", str(target))
    page = target.read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "Certificate of Completion" not in page
    for text in ("수 료 증", "NAL-INT-2025-001", "김하늘", "한남대학교 문헌정보학", "2025년 7월 7일 – 2025년 8월 1일",
                 "103시간", "의회정보실", "국회도서관장"):
        assert text in page
    assert oct(os.stat(target).st_mode & 0o777) == "0o600"
    rows = _csv(cli("intern", "list", "--cohort", COHORT, "--format", "csv"))
    assert [(r["name"], r["status"], r["hours"], r["certificate"]) for r in rows] == [
        ("김*늘", "completed", "103", "NAL-INT-2025-001")]
    assert cli("check").output.startswith("ok: ")


def test_an_xlsx_certificate_holds_the_same_fields(cli, tmp_path):
    _cohort(cli)
    _placed(cli)
    _full_timesheet(cli, tmp_path)
    cli("intern", "evaluate", "김하늘", "--evaluator", "이사서", "--score", "5", "--date", "2025-08-01")
    cli("intern", "complete", "김하늘", "--date", "2025-08-01")
    target = tmp_path / "certificate.xlsx"
    cli("intern", "certificate", "김하늘", "-o", str(target))
    values = [cell.value for row in openpyxl.load_workbook(target).active.iter_rows() for cell in row]
    assert "NAL-INT-2025-001" in values and "김하늘" in values and "100 hours" in values
    assert "Certificate of Completion" in values and "1 August 2025" in values
    cli("--lang", "ko", "intern", "certificate", "김하늘", "-o", str(target), "--yes")
    book = openpyxl.load_workbook(target)
    values = [cell.value for row in book.active.iter_rows() for cell in row]
    assert book.active.title == "수료증" and "수 료 증" in values and "국회도서관장" in values
    assert "100시간" in values and "2025년 8월 1일" in values and "Certificate of Completion" not in values


def test_certificate_numbers_are_unique_and_count_up_within_a_year(conn_with_two_completed):
    numbers = [row[0] for row in conn_with_two_completed.execute(
        "select certificate from intern_applications where certificate is not null order by id")]
    assert numbers == ["NAL-INT-2025-001", "NAL-INT-2025-002"]


@pytest.fixture
def conn_with_two_completed(ledger):
    conn = ledger.conn
    with ledger.command("test", "tester"):
        cohort = interns.add_cohort(conn, COHORT, "2025-07-07", "2025-08-01", 12, 8)
        for name, email in (("김하늘", "a@example.ac.kr"), ("이바다", "b@example.ac.kr")):
            application, _ = interns.apply(conn, cohort, name, "한남대학교", "2025-06-01", email=email)
            interns.step(conn, application, "accept", "2025-06-20")
            application, _ = interns.place(conn, interns.application_by_id(conn, application.id), "의회정보실",
                                           "2025-07-07")
            interns.log_hours(conn, application, "2025-07-07", 8)
            interns.evaluate(conn, application, "이사서", 4, "2025-07-08")
            interns.complete(conn, application, "2025-07-08")
    return conn


# ------------------------------------------------------------------ cohorts and slots


def test_accepting_beyond_the_slots_is_refused_and_a_withdrawal_frees_one(cli):
    _cohort(cli, slots="2")
    for name in ("김하늘", "이바다", "최가람"):
        cli("intern", "apply", "--cohort", COHORT, "--name", name, "--university", "한남대학교", "--email",
            f"{len(name)}{ord(name[0])}@example.ac.kr", "--date", "2025-06-01")
    cli("intern", "accept", "김하늘", "--date", "2025-06-20")
    cli("intern", "accept", "이바다", "--date", "2025-06-20")
    refused = cli("intern", "accept", "최가람", "--date", "2025-06-20", ok=False)
    assert refused.exit_code == 1 and "has 2 slots and all 2 are taken" in refused.output
    cli("intern", "withdraw", "이바다", "--date", "2025-06-25", "--note", "개인 사정")
    cli("intern", "accept", "최가람", "--date", "2025-06-26")
    cohorts = _csv(cli("intern", "cohort", "list", "--format", "csv"))
    assert (cohorts[0]["slots taken"], cohorts[0]["applicants"]) == ("2", "3")


def test_a_cohort_lists_its_departments_and_placements_must_name_one(cli):
    _cohort(cli)
    cli("intern", "apply", "--cohort", COHORT, "--name", "김하늘", "--university", "한남대학교", "--email",
        "sky@example.ac.kr", "--date", "2025-06-01")
    cli("intern", "accept", "김하늘", "--date", "2025-06-20")
    refused = cli("intern", "place", "김하늘", "--dept", "국회기록보존소", "--from", "2025-07-07", ok=False)
    assert "takes students in 의회정보실, 법률정보실, not '국회기록보존소'" in refused.output
    cli("intern", "cohort", "edit", COHORT, "--dept", "국회기록보존소")
    cli("intern", "place", "김하늘", "--dept", "국회기록보존소", "--from", "2025-07-07")


# ------------------------------------------------------------------ students and the steps


def test_a_student_applying_again_keeps_one_record_and_the_history(cli, db_path):
    _cohort(cli)
    cli("intern", "cohort", "add", "2025-winter", "--from", "2026-01-05", "--to", "2026-01-30", "--slots", "5",
        "--required-hours", "60")
    cli("intern", "apply", "--cohort", COHORT, "--name", "김하늘", "--university", "한남대학교", "--email",
        "sky@example.ac.kr", "--date", "2025-06-01")
    cli("intern", "reject", "김하늘", "--cohort", COHORT, "--note", "정원", "--date", "2025-06-20")
    again = cli("intern", "apply", "--cohort", "2025-winter", "--name", "김 하늘", "--university", "한남대학교",
                "--email", "sky@example.ac.kr", "--date", "2025-11-01")
    assert "a student who applied before" in again.output
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from intern_students").fetchone()[0] == 1
    assert conn.execute("select count(*) from intern_applications").fetchone()[0] == 2
    refused = cli("intern", "accept", "김하늘", ok=False)  # two applications, one still open: that one
    assert refused.exit_code == 0 or "2 applications match" not in refused.output
    rows = _csv(cli("intern", "list", "--format", "csv"))
    assert [(r["cohort"], r["status"]) for r in rows] == [(COHORT, "rejected"), ("2025-winter", "accepted")]


def test_every_step_is_dated_and_shown_in_order(cli):
    _cohort(cli)
    _placed(cli)
    cli("intern", "hours", "김하늘", "--date", "2025-07-07", "--hours", "8")
    cli("intern", "place", "김하늘", "--dept", "법률정보실", "--mentor", "정사서", "--from", "2025-07-21")
    rows = _csv(cli("intern", "show", "김하늘", "--format", "csv"))
    assert [(r["date"], r["what"]) for r in rows] == [
        ("2025-06-01", "apply"), ("2025-06-20", "accept"), ("2025-07-07", "placement"), ("2025-07-07", "place"),
        ("2025-07-07", "hours"), ("2025-07-21", "placement")]
    assert rows[2]["detail"] == "의회정보실, mentor 이사서, until 2025-07-20"
    assert rows[5]["detail"] == "법률정보실, mentor 정사서"


def test_the_same_name_in_two_cohorts_is_told_apart_by_cohort_or_number(cli):
    _cohort(cli)
    cli("intern", "cohort", "add", "2025-winter", "--from", "2026-01-05", "--to", "2026-01-30", "--slots", "5",
        "--required-hours", "60")
    for cohort, email in ((COHORT, "a@example.ac.kr"), ("2025-winter", "b@example.ac.kr")):
        cli("intern", "apply", "--cohort", cohort, "--name", "김하늘", "--university", "한남대학교", "--email", email,
            "--date", "2025-06-01")
    refused = cli("intern", "accept", "김하늘", ok=False)
    assert "2 applications match: #1 김*늘 (한남대학교, 2025-summer, applied); #2 김*늘" in refused.output
    assert "Give --cohort, or the number as '#N'" in refused.output
    cli("intern", "accept", "#2", "--date", "2025-11-01")
    cli("intern", "accept", "김하늘", "--cohort", COHORT, "--date", "2025-06-20")


def test_a_rejected_student_cannot_be_placed(cli):
    _cohort(cli)
    cli("intern", "apply", "--cohort", COHORT, "--name", "김하늘", "--university", "한남대학교", "--email",
        "sky@example.ac.kr", "--date", "2025-06-01")
    cli("intern", "reject", "김하늘", "--note", "서류 미비", "--date", "2025-06-20")
    refused = cli("intern", "place", "김하늘", "--dept", "의회정보실", "--from", "2025-07-07", ok=False)
    assert refused.exit_code == 1
    assert "#1 김*늘 (한남대학교, 2025-summer, rejected): a student who is rejected cannot be placed" in refused.output


def test_drop_ends_the_placement(cli, db_path):
    _cohort(cli)
    _placed(cli)
    cli("intern", "drop", "김하늘", "--date", "2025-07-15", "--note", "중도 포기")
    ends = sqlite3.connect(db_path).execute("select ends_on from intern_placements").fetchall()
    assert ends == [("2025-07-15",)]
    refused = cli("intern", "hours", "김하늘", "--date", "2025-07-16", "--hours", "8", ok=False)
    assert "a student who is dropped cannot log hours" in refused.output


# ------------------------------------------------------------------ hours


@pytest.mark.parametrize("hours,why", [("0", "not a number of hours above 0"), ("13", "13 hours in a day"),
                                       ("eight", "'eight' is not a number of hours")])
def test_hours_outside_the_day_are_refused(cli, db_path, hours, why):
    _cohort(cli)
    _placed(cli)
    result = cli("intern", "hours", "김하늘", "--date", "2025-07-07", "--hours", hours, ok=False)
    assert result.exit_code in (1, 2) and why in result.output


def test_hours_outside_the_cohort_and_twice_on_one_day_are_refused(cli):
    _cohort(cli)
    _placed(cli)
    outside = cli("intern", "hours", "김하늘", "--date", "2025-08-04", "--hours", "8", ok=False)
    assert "2025-08-04 is outside cohort 2025-summer (2025-07-07 – 2025-08-01)" in outside.output
    cli("intern", "hours", "김하늘", "--date", "2025-07-08", "--hours", "4")
    twice = cli("intern", "hours", "김하늘", "--date", "2025-07-08", "--hours", "4", ok=False)
    assert "already logged" in twice.output


def test_a_rotation_day_takes_hours_in_both_departments_up_to_twelve(cli):
    _cohort(cli)
    _placed(cli)
    cli("intern", "place", "김하늘", "--dept", "법률정보실", "--from", "2025-07-21")
    cli("intern", "hours", "김하늘", "--date", "2025-07-18", "--hours", "6")
    cli("intern", "hours", "김하늘", "--date", "2025-07-21", "--hours", "8")
    refused = cli("intern", "hours", "김하늘", "--date", "2025-07-21", "--hours", "2", "--dept", "의회정보실",
                  ok=False)
    assert "was not placed in 의회정보실 on 2025-07-21" in refused.output


def test_a_timesheet_with_one_bad_row_writes_nothing(cli, tmp_path, db_path):
    _cohort(cli)
    _placed(cli)
    path = _workbook(tmp_path / "t.xlsx", ["성명", "일자", "시간"],
                     [["김하늘", dt.date(2025, 7, 7), 8], ["김하늘", dt.date(2025, 7, 8), "eight"]])
    before = db_path.read_bytes()
    result = cli("intern", "hours", "--import", str(path), ok=False)
    assert "t.xlsx, sheet Sheet, row 3, column C (시간): 'eight' is not a number of hours" in result.output
    assert db_path.read_bytes() == before


def test_due_lists_students_behind_an_even_pace(cli):
    _cohort(cli)
    _placed(cli)
    _placed(cli, "이바다", "sea@example.ac.kr")
    for day in _weekdays("2025-07-07", "2025-07-11"):
        cli("intern", "hours", "김하늘", "--date", day.isoformat(), "--hours", "8")
        cli("intern", "hours", "이바다", "--date", day.isoformat(), "--hours", "2")
    rows = _csv(cli("intern", "due", "--as-of", "2025-07-11", "--format", "csv"))
    # 5 of the cohort's 20 working days have passed (no holiday in July 2025): 22.5 of 90 hours expected.
    assert [(r["name"], r["logged"], r["expected by now"], r["behind"], r["working days left"]) for r in rows] == [
        ("이*다", "10", "22.5", "12.5", "15")]
    assert rows[0]["hours a day needed"] == "5.3"


def test_due_paces_over_working_days_without_the_holidays_of_seollal(cli):
    # 2025-12-22 to 2026-02-20: 45 weekdays, 40 working days (성탄절, 신정 and 설날 16-18 February are off).
    cli("intern", "cohort", "add", "2025-winter", "--from", "2025-12-22", "--to", "2026-02-20", "--slots", "4",
        "--required-hours", "160", "--dept", "의회정보실")
    cli("intern", "apply", "--cohort", "2025-winter", "--name", "김하늘", "--university", "한남대학교",
        "--major", "문헌정보학", "--study-year", "4", "--email", "sky@example.ac.kr", "--date", "2025-11-20")
    cli("intern", "accept", "김하늘", "--cohort", "2025-winter", "--date", "2025-12-01")
    cli("intern", "place", "김하늘", "--dept", "의회정보실", "--mentor", "이사서", "--from", "2025-12-22")
    for day in ("2025-12-22", "2025-12-23"):
        cli("intern", "hours", "김하늘", "--date", day, "--hours", "10")
    row = _csv(cli("intern", "due", "--as-of", "2026-01-02", "--format", "csv"))[0]
    # 8 of 40 working days have passed (10 weekdays less 25 December and 1 January): 32 of 160 hours expected,
    # and 140 hours left over 32 working days (not 35.6 expected and 4.0 a day over 45 weekdays).
    assert (row["expected by now"], row["behind"], row["working days left"], row["hours a day needed"]) == (
        "32", "12", "32", "4.4")


# ------------------------------------------------------------------ evaluation and completion


def test_completion_needs_the_hours_and_an_evaluation(cli, tmp_path):
    _cohort(cli)
    _placed(cli)
    cli("intern", "hours", "김하늘", "--date", "2025-07-07", "--hours", "8")
    short = cli("intern", "complete", "김하늘", "--date", "2025-08-01", ok=False)
    assert "has 8 of the 90 hours cohort 2025-summer requires (as of 2025-08-01)" in short.output
    _full_timesheet(cli, tmp_path, hours=5, start="2025-07-08")
    unevaluated = cli("intern", "complete", "김하늘", "--date", "2025-08-01", ok=False)
    assert "has no evaluation dated on or before 2025-08-01" in unevaluated.output
    cli("intern", "evaluate", "김하늘", "--evaluator", "이사서", "--score", "4", "--date", "2025-08-01")
    cli("intern", "complete", "김하늘", "--date", "2025-08-01")


# ------------------------------------------------------------------ personal data


def test_listings_mask_names_emails_and_phones_unless_revealed(cli):
    _cohort(cli)
    cli("intern", "apply", "--cohort", COHORT, "--name", "남궁민수", "--university", "한남대학교", "--email",
        "minsu@example.ac.kr", "--phone", "010 1234 5678", "--date", "2025-06-01")
    row = _csv(cli("intern", "list", "--format", "csv"))[0]
    assert (row["name"], row["email"], row["phone"]) == ("남**수", "m***@…", "***-****-5678")
    shown = _csv(cli("intern", "list", "--reveal", "--purpose", "연락", "--format", "csv"))[0]
    assert (shown["name"], shown["email"], shown["phone"]) == ("남궁민수", "minsu@example.ac.kr", "010-1234-5678")


def test_every_reveal_is_journaled_with_who_and_why(cli, db_path):
    _cohort(cli)
    _placed(cli)
    cli("--author", "박사서", "intern", "list", "--reveal", "--purpose", "수료증 발송 주소 확인")
    refused = cli("intern", "list", "--reveal", ok=False)
    assert refused.exit_code == 2 and "give --purpose" in refused.output
    rows = _csv(cli("intern", "reveals", "--format", "csv"))
    assert [(r["by"], r["reason"], r["students"]) for r in rows] == [("박사서", "수료증 발송 주소 확인", "1")]
    assert rows[0]["command"].endswith("--author 박사서 intern list --reveal --purpose '수료증 발송 주소 확인'")


def test_the_journal_s_command_lines_carry_personal_data_masked(cli, db_path):
    _cohort(cli)
    cli("intern", "apply", "--cohort", COHORT, "--name", "김하늘", "--university", "한남대학교", "--email",
        "sky@example.ac.kr", "--phone", "010-1234-5678", "--date", "2025-06-01")
    cli("intern", "reject", "김하늘", "--note", "김하늘의 서류 미비", "--date", "2025-06-20")
    commands = [row[0] for row in sqlite3.connect(db_path).execute("select command from journal_commands")]
    text = "\n".join(commands)
    for secret in ("김하늘", "sky@example", "1234-5678", "서류 미비"):
        assert secret not in text
    assert "--name 김*늘" in text and "--email s***@…" in text and "--note '(hidden)'" in text


def test_free_text_about_a_student_is_hidden_unless_revealed(cli):
    _cohort(cli)
    _placed(cli)
    cli("intern", "hours", "김하늘", "--date", "2025-07-07", "--hours", "8", "--note", "지각함")
    details = [r["detail"] for r in _csv(cli("intern", "show", "김하늘", "--format", "csv"))]
    assert "의회정보실: (hidden: --reveal) (total 8)" in details
    details = [r["detail"] for r in _csv(cli("intern", "show", "김하늘", "--reveal", "--purpose", "확인",
                                             "--format", "csv"))]
    assert "의회정보실: 지각함 (total 8)" in details


def test_purge_removes_personal_data_from_rows_and_journal_and_keeps_the_statistics(cli, tmp_path, db_path):
    _cohort(cli)
    _placed(cli)
    _full_timesheet(cli, tmp_path)
    cli("intern", "evaluate", "김하늘", "--evaluator", "이사서", "--score", "4", "--comment", "김하늘 성실함",
        "--date", "2025-08-01")
    cli("intern", "complete", "김하늘", "--date", "2025-08-01")
    before = _json(cli("stats", "interns", "--by", "university", "--format", "json"))
    assert "nothing to purge" in cli("intern", "purge", "--older-than", "3y").output  # ended 2025-08-01
    dry = cli("intern", "purge", "--older-than", "1y", "--dry-run")
    assert "would purge the personal data of 1 student whose cohorts all ended before 2025-11-25" in dry.output
    cli("intern", "purge", "--older-than", "1y", "--yes")  # today is 2026-11-25 in the tests
    refused = cli("undo", ok=False)
    assert "cannot be undone: the personal data it removed is gone for good" in refused.output
    conn = sqlite3.connect(db_path)
    dump = "\n".join(conn.iterdump())
    for secret in ("김하늘", "sky@example", "성실함"):
        assert secret not in dump
    assert conn.execute("select name, email, phone, purged_on from intern_students").fetchall() == [
        (None, None, None, "2026-11-25")]
    assert _json(cli("stats", "interns", "--by", "university", "--format", "json")) == before
    row = _csv(cli("intern", "list", "--reveal", "--purpose", "점검", "--format", "csv"))[0]
    assert (row["name"], row["status"], row["certificate"], row["score"]) == (
        "(purged)", "completed", "NAL-INT-2025-001", "4")
    assert cli("check").output.startswith("ok: ")
    reprint = cli("intern", "certificate", "#1", "-o", str(tmp_path / "again.html"), ok=False)
    assert "personal data was purged" in reprint.output


def test_purge_waits_for_a_student_s_latest_cohort(conn_with_two_completed):
    conn = conn_with_two_completed
    plan = interns.purge_candidates(conn, "1y", "2026-11-25")
    assert (plan.cutoff, plan.students, plan.applications) == ("2025-11-25", [1, 2], [1, 2])
    plan = interns.purge_candidates(conn, "2y", "2026-11-25")
    assert (plan.cutoff, plan.students, plan.empty) == ("2024-11-25", [], True)


@pytest.mark.parametrize("period,cutoff", [("3y", "2023-11-25"), ("18m", "2025-05-25"), ("90d", "2026-08-27")])
def test_retention_periods_in_years_months_and_days(period, cutoff):
    assert interns.retention_cutoff(period, "2026-11-25") == cutoff


@pytest.mark.parametrize("name,masked", [("김하늘", "김*늘"), ("김하", "김*"), ("남궁민수", "남**수"), ("이", "이"),
                                         ("Kim Ha Neul", "K*m H* N**l")])
def test_names_are_masked_keeping_the_first_and_last_letter(name, masked):
    assert interns.mask_name(name) == masked


@pytest.mark.parametrize("typed,stored", [("010-1234-5678", "010-1234-5678"), ("01012345678", "010-1234-5678"),
                                          ("+82 10 1234 5678", "010-1234-5678"), ("02-123-4567", "02-123-4567")])
def test_telephones_are_stored_one_way(typed, stored):
    assert interns.check_phone(typed) == stored


@pytest.mark.parametrize("email", ["sky", "sky@", "sky@example", "s ky@example.ac.kr"])
def test_malformed_emails_are_refused(email):
    with pytest.raises(InternError, match="not a valid e-mail address"):
        interns.check_email(email)


# ------------------------------------------------------------------ applicant lists


def test_an_applicant_list_imports_all_or_nothing_and_again_changes_nothing(cli, tmp_path, db_path):
    _cohort(cli)
    rows = [["김하늘", "한남대학교", "문헌정보학", 4, "sky@example.ac.kr", ""],
            ["이바다", "연세대학교", "문헌정보학", 3, "", "010-9876-5432"]]
    good = _workbook(tmp_path / "applicants.xlsx", ["성명", "대학", "전공", "학년", "이메일", "연락처"], rows)
    late = cli("intern", "apply", "--cohort", COHORT, "--import", str(good), ok=False)
    assert "an application dated 2026-11-25 comes too late (give the day it was received" in late.output
    dated = ("intern", "apply", "--cohort", COHORT, "--date", "2025-06-01", "--import", str(good))
    assert "2 created, 0 unchanged" in cli(*dated).output
    assert "0 created, 2 unchanged" in cli(*dated).output
    bad = _workbook(tmp_path / "bad.xlsx", ["성명", "대학", "이메일"],
                    [["최가람", "부산대학교", "garam@example.ac.kr"], ["정마루", "부산대학교", "maru.example.ac.kr"]])
    before = db_path.read_bytes()
    refused = cli("intern", "apply", "--cohort", COHORT, "--date", "2025-06-01", "--import", str(bad), ok=False)
    assert "bad.xlsx, sheet Sheet, row 3, column C (이메일): not a valid e-mail address" in refused.output
    assert "maru" not in refused.output
    assert db_path.read_bytes() == before


# ------------------------------------------------------------------ statistics


def test_stats_interns_by_cohort_university_and_department(cli, tmp_path):
    _cohort(cli)
    _placed(cli)
    _placed(cli, "이바다", "sea@example.ac.kr")
    cli("intern", "apply", "--cohort", COHORT, "--name", "최가람", "--university", "부산대학교", "--email",
        "garam@example.ac.kr", "--date", "2025-06-01")
    cli("intern", "reject", "최가람", "--note", "정원", "--date", "2025-06-20")
    cli("intern", "hours", "김하늘", "--date", "2025-07-07", "--hours", "8")
    cli("intern", "place", "김하늘", "--dept", "법률정보실", "--from", "2025-07-08")
    cli("intern", "hours", "김하늘", "--date", "2025-07-08", "--hours", "6")
    cli("intern", "hours", "이바다", "--date", "2025-07-07", "--hours", "4")
    by_university = {r["group"]: r for r in _json(cli("stats", "interns", "--year", "2025", "--by", "university",
                                                         "--format", "json"))}
    assert (by_university["total"]["applicants"], by_university["total"]["accepted"],
            by_university["total"]["acceptance_rate"], by_university["total"]["hours"]) == (3, 2, 66.7, 18.0)
    assert (by_university["부산대학교"]["applicants"], by_university["부산대학교"]["accepted"]) == (1, 0)
    by_dept = {r["group"]: r for r in _json(cli("stats", "interns", "--by", "department", "--format", "json"))}
    assert (by_dept["의회정보실"]["hours"], by_dept["법률정보실"]["hours"]) == (12.0, 6.0)
    assert (by_dept["의회정보실"]["placed"], by_dept["법률정보실"]["placed"]) == (2, 1)
    by_cohort = _json(cli("stats", "interns", "--format", "json"))
    assert [r["group"] for r in by_cohort] == ["total", COHORT]


def test_the_ledger_is_created_readable_by_its_owner_only(cli, db_path, tmp_path):
    fresh = tmp_path / "fresh.db"
    cli("--db", str(fresh), "init")
    assert oct(os.stat(fresh).st_mode & 0o777) == "0o600"


def test_the_examples_walkthrough_runs_as_written(cli, tmp_path):
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "examples"
    cli("intern", "cohort", "add", COHORT, "--from", "2025-07-07", "--to", "2025-08-01", "--slots", "3",
        "--required-hours", "90", "--dept", "의회정보실", "--dept", "법률정보실")
    imported = cli("intern", "apply", "--cohort", COHORT, "--import", str(examples / "intern-applicants-sample.xlsx"),
                   "--date", "2025-06-02")
    assert "header on row 2" in imported.output and "4 created" in imported.output
    cli("intern", "accept", "김하늘", "--date", "2025-06-20")
    cli("intern", "accept", "이바다", "--date", "2025-06-20")
    cli("intern", "reject", "박나래", "--note", "정원", "--date", "2025-06-20")
    cli("intern", "place", "김하늘", "--dept", "의회정보실", "--mentor", "이사서", "--from", "2025-07-07")
    cli("intern", "place", "이바다", "--dept", "법률정보실", "--mentor", "정사서", "--from", "2025-07-07")
    logged = cli("intern", "hours", "--import", str(examples / "intern-timesheet-sample.xlsx"))
    assert "30 logged" in logged.output
    due = _csv(cli("intern", "due", "--as-of", "2025-07-25", "--format", "csv"))
    assert [(r["name"], r["logged"], r["expected by now"]) for r in due] == [("이*다", "40", "67.5")]
    cli("intern", "evaluate", "김하늘", "--evaluator", "이사서", "--score", "5", "--date", "2025-08-01")
    assert "certificate NAL-INT-2025-001" in cli("intern", "complete", "김하늘", "--date", "2025-08-01").output
    cli("intern", "certificate", "김하늘", "-o", str(tmp_path / "certificate.html"))
    rows = {r["group"]: r for r in _json(cli("stats", "interns", "--by", "university", "--format", "json"))}
    assert (rows["total"]["applicants"], rows["total"]["accepted"], rows["total"]["completed"]) == (4, 2, 1)
    listed = cli("intern", "list", "--format", "csv").stdout
    assert "sky@example" not in listed and "010-1111-2222" not in listed and "김하늘" not in listed


# ------------------------------------------------------------------ what the second reader found


def test_a_purge_also_reaches_what_an_undo_removed_and_text_that_names_the_student(cli, db_path):
    cli("intern", "cohort", "add", "2024-summer", "--from", "2024-07-01", "--to", "2024-07-31", "--slots", "5",
        "--required-hours", "10")
    cli("intern", "apply", "--cohort", "2024-summer", "--name", "홍길동", "--university", "가대학교", "--email",
        "hong@example.com", "--date", "2024-06-01")
    cli("intern", "apply", "--cohort", "2024-summer", "--name", "오타난", "--university", "가대학교", "--email",
        "typo@example.com", "--date", "2024-06-01")
    cli("undo")
    cli("intern", "accept", "홍길동", "--date", "2024-06-10")
    cli("intern", "place", "홍길동", "--dept", "자료실", "--from", "2024-07-01")
    cli("intern", "hours", "홍길동", "--date", "2024-07-01", "--hours", "5", "--note", "홍길동 비밀메모")
    cli("undo")
    cli("intern", "list", "--reveal", "--purpose", "홍길동 학생 본인 요청 (hong@example.com 확인)")
    cli("intern", "certificate", "#1", "-o", "x.html", ok=False)  # not completed: refused, nothing recorded
    result = cli("intern", "purge", "--older-than", "1y", "--yes")
    assert "and of 1 undone applicant the journal still held" in result.output
    dump = "\n".join(sqlite3.connect(db_path).iterdump())
    for secret in ("홍길동", "hong@example", "오타난", "typo@example", "비밀메모"):
        assert secret not in dump, secret
    assert cli("check").output.startswith("ok: ")
    reveal = _csv(cli("intern", "reveals", "--format", "csv"))[0]
    assert reveal["reason"] == "홍*동 학생 본인 요청 (h***@… 확인)" and reveal["applications"] == "#1"


def test_a_reveal_is_kept_for_good(cli):
    _cohort(cli)
    _placed(cli)
    cli("intern", "list", "--reveal", "--purpose", "확인")
    refused = cli("undo", ok=False)
    assert "it recorded who was shown personal data, and that record is kept for good" in refused.output
    assert len(_csv(cli("intern", "reveals", "--format", "csv"))) == 1


def test_ending_a_placement_before_it_began_or_before_its_hours_is_refused_in_one_line(cli):
    _cohort(cli)
    _placed(cli)
    cli("intern", "place", "김하늘", "--dept", "법률정보실", "--from", "2025-07-21")
    early = cli("intern", "drop", "김하늘", "--date", "2025-07-15", "--note", "x", ok=False)
    assert early.exit_code == 1 and "is placed in 법률정보실 from 2025-07-21; nothing can end it on 2025-07-15" \
        in early.output and "Traceback" not in early.output
    cli("intern", "hours", "김하늘", "--date", "2025-07-30", "--hours", "6")
    before_hours = cli("intern", "drop", "김하늘", "--date", "2025-07-25", "--note", "x", ok=False)
    assert "hours of 김*늘 are logged on 2025-07-30, after 2025-07-25" in before_hours.output


def test_undo_cannot_overfill_a_cohort_or_empty_a_completion(cli):
    _cohort(cli, slots="1")
    cli("intern", "apply", "--cohort", COHORT, "--name", "갑", "--university", "U", "--email", "a@example.ac.kr",
        "--date", "2025-06-01")
    cli("intern", "apply", "--cohort", COHORT, "--name", "을", "--university", "U", "--email", "b@example.ac.kr",
        "--date", "2025-06-01")
    cli("intern", "accept", "갑", "--date", "2025-06-10")
    cli("intern", "withdraw", "갑", "--date", "2025-06-11")
    cli("intern", "accept", "을", "--date", "2025-06-12")
    history = _csv(cli("history", "--format", "csv"))
    withdrawal = next(r["id"] for r in history if "intern withdraw" in r["command"])
    refused = cli("undo", withdrawal, ok=False)
    assert "a cohort would have more students accepted than slots" in refused.output
    assert cli("check").output.startswith("ok: ")


def test_a_printed_certificate_number_is_never_issued_again(conn_with_two_completed, ledger):
    conn = conn_with_two_completed
    with ledger.command("test", "tester"):
        interns.record_reveal(conn, "tester", "certificate NAL-INT-2025-002", "nalcoop intern certificate #2", [2])
        conn.execute("update intern_applications set status = 'placed', certificate = null, completed_on = null "
                     "where id = 2")
        conn.execute("delete from intern_steps where application_id = 2 and step = 'complete'")
        assert interns._next_certificate(conn, "2025") == "NAL-INT-2025-003"


def test_stats_count_the_steps_taken_not_only_the_status_now(cli):
    _cohort(cli)
    _placed(cli)
    cli("intern", "hours", "김하늘", "--date", "2025-07-07", "--hours", "5")
    cli("intern", "withdraw", "김하늘", "--date", "2025-07-08", "--note", "개인 사정")
    row = _json(cli("stats", "interns", "--format", "json"))[0]
    assert (row["applicants"], row["accepted"], row["placed"], row["withdrawn"], row["hours"]) == (1, 1, 1, 1, 5.0)


def test_due_lists_overdue_students_and_paces_that_cannot_be_kept(cli):
    _cohort(cli)
    _placed(cli)
    cli("intern", "hours", "김하늘", "--date", "2025-07-07", "--hours", "8")
    late = _csv(cli("intern", "due", "--as-of", "2025-07-28", "--format", "csv"))[0]
    assert late["note"] == "cannot reach 90 hours at 12 a day"
    over = _csv(cli("intern", "due", "--as-of", "2025-08-04", "--format", "csv"))[0]
    assert over["note"] == "overdue: the cohort ended on 2025-08-01" and over["working days left"] == "0"


def test_a_cohort_cannot_require_more_hours_than_its_days_hold(cli):
    refused = cli("intern", "cohort", "add", "x", "--from", "2025-07-07", "--to", "2025-07-08", "--slots", "1",
                  "--required-hours", "500", ok=False)
    assert "500 hours cannot be logged in 2 days at 12 a day" in refused.output


def test_a_timesheet_repeating_a_day_is_refused_and_an_application_cannot_be_future_dated(cli, tmp_path):
    _cohort(cli)
    _placed(cli)
    path = _workbook(tmp_path / "t.xlsx", ["성명", "일자", "시간"],
                     [["김하늘", dt.date(2025, 7, 7), 8], ["김하늘", dt.date(2025, 7, 7), 8]])
    refused = cli("intern", "hours", "--import", str(path), ok=False)
    assert "row 3, column B (일자): '2025-07-07': repeats row 2 (the same student and day)" in refused.output
    future = cli("intern", "apply", "--cohort", COHORT, "--name", "이바다", "--university", "U", "--email",
                 "sea@example.ac.kr", "--date", "2027-01-01", ok=False)
    assert "an application cannot be dated 2027-01-01, after today" in future.output


def test_show_steps_and_confirmations_speak_korean_and_english(cli):
    _cohort(cli)
    cli("intern", "apply", "--cohort", COHORT, "--name", "이바다", "--university", "연세대학교", "--email",
        "sea@example.ac.kr", "--date", "2025-06-01")
    accepted = cli("--lang", "ko", "intern", "accept", "이바다", "--date", "2025-06-20")
    assert accepted.stderr.strip() == "#1 이*다 (연세대학교, 2025-summer, 선발): 2025-06-20에 선발했습니다"
    cli("intern", "place", "이바다", "--dept", "법률정보실", "--mentor", "정사서", "--from", "2025-07-07")
    cli("intern", "place", "이바다", "--dept", "의회정보실", "--mentor", "정사서", "--from", "2025-07-14")
    cli("intern", "hours", "이바다", "--date", "2025-07-07", "--hours", "5", "--note", "orientation")
    cli("intern", "evaluate", "이바다", "--evaluator", "이사서", "--score", "4", "--date", "2025-07-20")
    korean = _csv(cli("--lang", "ko", "intern", "show", "이바다", "--format", "csv"))
    assert [row["내용"] for row in korean] == ["지원", "선발", "부서 배치", "배치", "실습 시간", "부서 배치", "평가"]
    assert korean[2]["세부 내용"] == "법률정보실, 지도 사서 정사서, 2025-07-13까지"
    assert korean[4]["세부 내용"] == "법률정보실: (숨김: --reveal) (누계 5시간)"
    assert korean[6]["세부 내용"] == "이사서 평가, 점수 4"
    table = cli("--lang", "ko", "intern", "show", "이바다", "--format", "table").stdout
    assert "#1 이*다, 연세대학교, 기수 2025-summer: 배치; 90시간 중 5시간" in " ".join(table.split())
    english = _csv(cli("--lang", "en", "intern", "show", "이바다", "--format", "csv"))
    assert [row["what"] for row in english] == ["apply", "accept", "placement", "place", "hours", "placement",
                                                 "evaluation"]
    assert english[2]["detail"] == "법률정보실, mentor 정사서, until 2025-07-13"
    assert english[4]["detail"] == "법률정보실: (hidden: --reveal) (total 5)"
    assert english[6]["detail"] == "score 4 by 이사서"
    assert [row["what"] for row in _json(cli("--lang", "ko", "intern", "show", "이바다", "--format", "json"))][:2] == [
        "apply", "accept"]
    refused = cli("--lang", "ko", "intern", "accept", "이바다", ok=False)
    assert ("#1 이*다 (연세대학교, 2025-summer, 배치): 배치 상태의 학생에게는 선발 처리를 할 수 없습니다"
            in refused.stderr)
    withdrawn = cli("--lang", "en", "intern", "withdraw", "이바다", "--date", "2025-07-21")
    assert withdrawn.stderr.strip() == "withdrew #1 이*다 (연세대학교, 2025-summer, withdrawn) on 2025-07-21"
    missing = cli("--lang", "ko", "intern", "list", "--cohort", "2025-sumer", ok=False)
    assert "'2025-sumer'(이)라는 기수가 없습니다" in missing.stderr


def test_an_import_report_names_an_application_by_its_status_label(cli, tmp_path):
    _cohort(cli)
    path = _workbook(tmp_path / "applicants.xlsx", ["성명", "대학", "이메일"],
                     [["김하늘", "한남대학교", "sky@example.ac.kr"]])
    report = cli("--lang", "ko", "intern", "apply", "--cohort", COHORT, "--import", str(path), "--date", "2025-06-01")
    assert "#1 김*늘 (한남대학교, 2025-summer, 지원)" in report.stderr + report.stdout

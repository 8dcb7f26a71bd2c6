"""Bad input to `nalcoop network` (and `stats network`): one line saying what and where, a non-zero exit,
no traceback, and the ledger byte-for-byte unchanged with no new journal entry.

"""

from __future__ import annotations

import pytest

from .clitools import ledger_made_by
from .conftest import file_hash
from .test_bad_input import _csv, _xlsx, assert_refused, untouched

NAL = "국회도서관"
MOLEG = "법제처"
KLRI = "한국법제연구원"
NCULL = "전국대학법학도서관협의회"
SNU = "서울대학교"
SNU_LAW = "서울대학교 법학도서관"
KU_LAW = "고려대학교 법학도서관"
KLIC = "한국법률정보협의회"
LLA = "법률도서관협의회"
MEETING = "2024 협의회 정기총회"
CONFERENCE = "2024 법률정보 학술대회"
WORKSHOP = "2027 법률정보 워크숍"  # after NALCOOP_TODAY (2026-11-25): it has not begun
COURSE = "입법정보 전문가 과정"
RUN_2024 = f"{COURSE} (2024-07-01)"  # 30 hours recorded for the run
RUN_2025 = f"{COURSE} (2025-07-07)"  # the curriculum's 12 + 18 hours; 홍길동 attended 25
CASES = "판례정보 실무 과정"
LISTING = "(`nalcoop network org list` lists them)"

SET_UP = [
    ("network", "org", "add", SNU, "--english", "Seoul National University", "--type", "university"),
    ("network", "org", "edit", SNU_LAW, "--parent", SNU),
    ("network", "org", "add", KU_LAW, "--english", "Korea University Law Library", "--type", "library"),
    ("network", "body", "add", "lla", LLA, "--founded", "2010-01-01"),
    ("network", "join", KU_LAW, "--body", "klic", "--from", "2021-03-01"),
    ("network", "join", NCULL, "--body", "klic", "--from", "2019-05-01", "--to", "2020-12-31"),
    ("network", "event", "add", MEETING, "--type", "meeting", "--from", "2024-03-15", "--body", "klic"),
    ("network", "event", "add", CONFERENCE, "--type", "conference", "--from", "2024-10-18", "--to", "2024-10-19",
     "--cohost", KLRI),
    ("network", "course", "add", COURSE, "--from", "2024-07-01", "--to", "2024-07-05", "--hours", "30"),
    ("network", "course", "add", COURSE, "--from", "2025-07-07", "--to", "2025-07-11"),
    ("network", "curriculum", "add", COURSE, "법령정보 검색", "--hours", "12"),
    ("network", "curriculum", "add", COURSE, "의안정보 실습", "--hours", "18"),
    ("network", "course", "add", CASES, "--from", "2023-09-04", "--hours", "12"),
    ("network", "event", "add", WORKSHOP, "--type", "workshop", "--from", "2027-02-01"),
    ("network", "attend", CONFERENCE, "--org", MOLEG, "--person", "김민수", "--role", "speaker"),
    ("network", "attend", RUN_2025, "--org", MOLEG, "--person", "홍길동", "--hours", "25"),
]




@pytest.fixture(scope="module")
def _network_template(tmp_path_factory, _initialised_template) -> bytes:
    """The ledger SET_UP makes, through the CLI, once per module: each test gets a byte copy."""
    return ledger_made_by(tmp_path_factory.mktemp("network"), _initialised_template, SET_UP)


@pytest.fixture
def net(cli, db_path, _network_template):
    """The seven organizations and the Council (klic, six members from 2019-04-23) that `init` loads, plus:
    서울대학교 (parent of 서울대학교 법학도서관); 고려대학교 법학도서관, a klic member from 2021-03-01;
    전국대학법학도서관협의회, a klic member from 2019-05-01 until it left on 2020-12-31; a second body
    법률도서관협의회 (lla, founded 2010-01-01); a klic meeting (2024-03-15); a two-day conference
    (2024-10-18/19, co-hosted by 한국법제연구원) where 법제처's 김민수 spoke; two runs of 입법정보 전문가
    과정 (2024: 30 hours recorded; 2025: its curriculum's 12 + 18 hours, 홍길동 of 법제처 attended 25);
    one run of 판례정보 실무 과정 (2023); a workshop on 2027-02-01, not begun yet."""
    db_path.write_bytes(_network_template)
    return cli


def assert_usage(result, *needles: str) -> str:
    """click's own usage errors (a value outside an option's choices, an unknown option): exit 2, no
    traceback, nothing on stdout, and the last stderr line 'Error: ...' holding every needle (click
    prints its 'Usage:' and 'Try ... -h' lines above it). Returns that line."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    last = result.stderr.splitlines()[-1]
    assert last.startswith("Error: "), result.stderr
    for needle in needles:
        assert needle in last, f"{needle!r} not in {last!r}"
    return last


# ------------------------------------------------------------------ joining a body twice


@pytest.mark.parametrize(("org", "dates", "period"), [
    (NAL, ["--from", "2019-04-23"], "since 2019-04-23"),
    (NAL, ["--from", "2024-01-01"], "since 2019-04-23"),
    (KU_LAW, ["--from", "2020-01-01", "--to", "2021-03-02"], "since 2021-03-01"),
    (NCULL, ["--from", "2019-04-23", "--to", "2019-05-02"], "from 2019-05-01 until it left on 2020-12-31"),
], ids=["same day", "a later day inside an open membership", "a past membership running into an open one",
        "a past membership overlapping a past one"])
def test_joining_a_body_over_an_existing_membership_is_refused_showing_it(net, db_path, org, dates, period):
    with untouched(db_path):
        result = net("network", "join", org, "--body", "klic", *dates, ok=False)
    assert_refused(result, f"{org} is already a member of {KLIC} {period}; a membership from {dates[1]} would "
                           "overlap it (record a leave first, or change the role with `nalcoop network role`)",
                   exit_code=1)


def test_after_a_refused_overlap_the_day_the_past_membership_ended_is_free(net, db_path):
    with untouched(db_path):
        net("network", "join", NCULL, "--body", "klic", "--from", "2020-12-30", ok=False)
    net("network", "join", NCULL, "--body", "klic", "--from", "2020-12-31")


def test_joining_a_body_before_it_was_founded_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "join", SNU, "--body", "klic", "--from", "2018-01-01", ok=False)
    assert_refused(result, f"{SNU} cannot join {KLIC} on 2018-01-01: the body was founded on 2019-04-23",
                   exit_code=1)


@pytest.mark.parametrize("until", ["2024-01-01", "2023-12-31"], ids=["same day", "the day before"])
def test_join_until_a_day_not_after_the_join_date_is_refused(net, db_path, until):
    with untouched(db_path):
        result = net("network", "join", SNU, "--body", "klic", "--from", "2024-01-01", "--to", until, ok=False)
    assert_refused(result, f"{SNU} cannot leave {KLIC} on {until}: that is not after it joined on 2024-01-01",
                   exit_code=1)


# ------------------------------------------------------------------ leaving and roles


@pytest.mark.parametrize("day", ["2021-02-01", "2021-03-01"], ids=["before joining", "on the day it joined"])
def test_leaving_before_or_on_the_day_of_joining_is_refused(net, db_path, day):
    with untouched(db_path):
        result = net("network", "leave", KU_LAW, "--body", "klic", "--date", day, ok=False)
    assert_refused(result, f"{KU_LAW} cannot leave {KLIC} on {day}: it joined on 2021-03-01, which is not before "
                           "that day", exit_code=1)


def test_leaving_a_body_never_joined_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "leave", NAL, "--body", "lla", "--date", "2024-01-01", ok=False)
    assert_refused(result, f"{NAL} has never been a member of {LLA}; add it with `nalcoop network join`",
                   exit_code=1)


def test_leaving_a_body_again_on_the_day_it_left_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "leave", NCULL, "--body", "klic", "--date", "2020-12-31", ok=False)
    assert_refused(result, f"{NCULL} already left {KLIC} on 2020-12-31", exit_code=1)


def test_leaving_after_a_membership_ended_shows_the_last_membership(net, db_path):
    with untouched(db_path):
        result = net("network", "leave", NCULL, "--body", "klic", "--date", "2021-06-30", ok=False)
    assert_refused(result, f"{NCULL} is not a member of {KLIC} on 2021-06-30: its last membership from 2019-05-01 "
                           "until it left on 2020-12-31", exit_code=1)


@pytest.mark.parametrize(("org", "day", "period"), [
    (NAL, "2019-04-23", "since 2019-04-23"),
    (NCULL, "2020-01-01", "from 2019-05-01 until it left on 2020-12-31"),
], ids=["open membership, the day it joined", "past membership"])
def test_a_role_change_to_the_same_role_is_refused(net, db_path, org, day, period):
    with untouched(db_path):
        result = net("network", "role", org, "--body", "klic", "--role", "member", "--date", day, ok=False)
    assert_refused(result, f"{org} is already a member of {KLIC} ({period})", exit_code=1)


def test_a_role_change_before_the_day_of_joining_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "role", KU_LAW, "--body", "klic", "--role", "chair", "--date", "2021-02-01", ok=False)
    assert_refused(result, f"{KU_LAW} cannot change its role in {KLIC} on 2021-02-01: it joined on 2021-03-01, "
                           "which is not before that day", exit_code=1)


def test_a_role_change_for_an_organization_that_is_no_member_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "role", SNU, "--body", "klic", "--role", "chair", "--date", "2024-01-01", ok=False)
    assert_refused(result, f"{SNU} has never been a member of {KLIC}", exit_code=1)


# ------------------------------------------------------------------ choices on the command line


@pytest.mark.parametrize(("args", "allowed"), [
    (("role", NAL, "--body", "klic", "--date", "2024-01-01", "--role", "boss"), "'chair', 'secretariat', 'member'"),
    (("attend", CONFERENCE, "--org", MOLEG, "--role", "boss"),
     "'host', 'speaker', 'panelist', 'participant', 'instructor', 'trainee'"),
    (("attend", CONFERENCE, "--org", MOLEG, "--status", "maybe"), "'registered', 'attended', 'absent', 'cancelled'"),
    (("org", "add", "새기관", "--type", "castle"),
     "'library', 'university', 'government', 'research-institute', 'professional-body', 'other'"),
], ids=["role --role", "attend --role", "attend --status", "org add --type"])
def test_a_value_outside_an_option_s_choices_is_a_usage_error_listing_them(net, db_path, args, allowed):
    with untouched(db_path):
        result = net("network", *args, ok=False)
    assert_usage(result, "Invalid value for", f"'{args[-1]}' is not one of", allowed)


# ------------------------------------------------------------------ events whose end precedes their start


def test_an_event_ending_before_it_starts_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "event", "add", "2025 법률정보 학술대회", "--type", "conference", "--from",
                     "2025-10-18",
                     "--to", "2025-10-17", ok=False)
    assert_refused(result, "the event ends on 2025-10-17, before it starts on 2025-10-18", exit_code=1)


def test_a_course_run_ending_before_it_starts_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "course", "add", "새 과정", "--from", "2026-07-05", "--to", "2026-07-01", ok=False)
    assert_refused(result, "the event ends on 2026-07-01, before it starts on 2026-07-05", exit_code=1)
    assert "새 과정" not in net("network", "course", "list", "--format", "csv").stdout


@pytest.mark.parametrize(("event", "change", "start", "end"), [
    (CONFERENCE, ["--to", "2024-10-17"], "2024-10-18", "2024-10-17"),
    (CONFERENCE, ["--from", "2024-10-20"], "2024-10-20", "2024-10-19"),
    (RUN_2024, ["--from", "2024-07-08"], "2024-07-08", "2024-07-05"),
], ids=["end moved before the start", "start moved after the end", "a course run"])
def test_editing_an_event_so_that_it_ends_before_it_starts_is_refused(net, db_path, event, change, start, end):
    with untouched(db_path):
        result = net("network", "event", "edit", event, *change, ok=False)
    assert_refused(result, f"the event ends on {end}, before it starts on {start}", exit_code=1)


def test_moving_an_event_with_attendances_into_the_future_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "event", "edit", CONFERENCE, "--from", "2027-01-01", "--to", "2027-01-02", ok=False)
    assert_refused(result, f"{CONFERENCE} (2024-10-18) has 1 attendances recorded; it cannot move to 2027-01-01, "
                           "which has not come yet", exit_code=1)


def test_recording_a_course_run_twice_on_its_first_day_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "course", "add", COURSE, "--from", "2024-07-01", ok=False)
    assert_refused(result, f"{RUN_2024} is already recorded; change it with `nalcoop network event edit`",
                   exit_code=1)


def test_renaming_an_event_onto_another_on_the_same_day_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "event", "edit", CONFERENCE, "--title", MEETING, "--from", "2024-03-15",
                     "--to", "2024-03-16", ok=False)
    assert_refused(result, f"{MEETING} (2024-03-15) is already recorded", exit_code=1)


def test_renaming_a_course_run_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "event", "edit", RUN_2024, "--title", "다른 과정", ok=False)
    assert_refused(result, "a course run keeps its course's title; add a run of another course instead",
                   exit_code=1)


# ------------------------------------------------------------------ options that do not fit the event


def test_hours_on_a_conference_are_not_an_option_of_event_add(net, db_path):
    with untouched(db_path):
        result = net("network", "event", "add", "2025 학술대회", "--type", "conference", "--from", "2025-10-18",
                     "--hours", "3", ok=False)
    assert_usage(result, "No such option: --hours")


def test_hours_given_to_a_conference_are_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "event", "edit", CONFERENCE, "--hours", "3", ok=False)
    assert_refused(result, "--hours is for course runs", exit_code=1)


def test_body_on_a_conference_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "event", "add", "2025 학술대회", "--type", "conference", "--from", "2025-10-18",
                     "--body",
                     "klic", ok=False)
    assert_refused(result, "--body is for meetings of a body, not for a conference", exit_code=1)


def test_an_organization_named_twice_among_the_hosts_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "event", "add", "2025 학술대회", "--type", "conference", "--from", "2025-10-18",
                     "--host", NAL,
                     "--cohost", KLRI, "--cohost", "Korea Legislation Research Institute", ok=False)
    assert_refused(result, f"{KLRI} is named twice among the hosts and co-hosts", exit_code=1)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--threshold", "101", "--threshold: 101 is not a percentage above 0 and up to 100"),
    ("--hours", "2001", "--hours: 2001 is more than 2,000 hours"),
])
def test_a_course_run_with_impossible_hours_or_threshold_is_refused(net, db_path, option, value, message):
    with untouched(db_path):
        result = net("network", "course", "add", "새 과정", "--from", "2026-01-05", option, value, ok=False)
    assert_refused(result, message, exit_code=1)


def test_a_run_s_hours_below_a_trainee_s_recorded_hours_are_refused(net, db_path):
    net("network", "attend", RUN_2024, "--org", KLRI, "--person", "이영희", "--hours", "25")
    with untouched(db_path):
        result = net("network", "event", "edit", RUN_2024, "--hours", "10", ok=False)
    assert_refused(result, f"{RUN_2024} with 10 hours, but 이영희 is recorded with 25 hours attended", exit_code=1)


# ------------------------------------------------------------------ attendance


def test_hours_attended_at_a_meeting_are_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", MEETING, "--org", KLRI, "--hours", "3", ok=False)
    assert_refused(result, f"hours attended are recorded for course runs; {MEETING} (2024-03-15) is a meeting",
                   exit_code=1)


def test_attendance_at_an_event_that_has_not_begun_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", WORKSHOP, "--org", MOLEG, ok=False)
    assert_refused(result, f"{WORKSHOP} (2027-02-01) has not begun yet; record people as registered "
                           "(신청) until it has", exit_code=1)
    net("network", "attend", WORKSHOP, "--org", MOLEG, "--status", "registered")


@pytest.mark.parametrize("run", [RUN_2024, RUN_2025], ids=["hours recorded for the run", "the curriculum's hours"])
def test_more_hours_attended_than_the_run_has_are_refused(net, db_path, run):
    with untouched(db_path):
        result = net("network", "attend", run, "--org", KLRI, "--person", "이영희", "--hours", "31", ok=False)
    assert_refused(result, f"31 hours is more than {run} runs (30 hours)", exit_code=1)


@pytest.mark.parametrize("hours", ["abc", "-1"])
def test_hours_attended_that_are_not_a_number_of_hours_are_refused_quoting_them(net, db_path, hours):
    with untouched(db_path):
        result = net("network", "attend", RUN_2024, "--org", KLRI, "--hours", hours, ok=False)
    assert_refused(result, f"'{hours}' is not a number of hours (such as 3 or 1.5)", exit_code=1)


def test_hours_for_a_participant_who_did_not_attend_are_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", RUN_2024, "--org", KLRI, "--status", "absent", "--hours", "5", ok=False)
    assert_refused(result, "a participant who is absent has no hours attended", exit_code=1)


def test_a_person_s_name_of_only_punctuation_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--org", KLRI, "--person", "---", ok=False)
    assert_refused(result, "'---' is not a person's name", exit_code=1)


def test_attend_with_both_a_file_and_an_organization_is_a_usage_error(net, db_path, tmp_path):
    path = _csv(tmp_path / "participants.csv", [["기관", "성명"], [KLRI, "이영희"]])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), "--org", MOLEG, ok=False)
    assert_refused(result, "give either --import FILE (roles and statuses in its columns) or one participant",
                   exit_code=2)


def test_attend_with_a_file_and_a_status_is_a_usage_error(net, db_path, tmp_path):
    path = _csv(tmp_path / "participants.csv", [["기관", "성명"], [KLRI, "이영희"]])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), "--status", "registered", ok=False)
    assert_refused(result, "give either --import FILE (roles and statuses in its columns) or one "
                           "participant", exit_code=2)


def test_a_sheet_without_a_file_is_a_usage_error(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--org", MOLEG, "--sheet", "참가자", ok=False)
    assert_refused(result, "--sheet and --map are for --import FILE", exit_code=2)


# ------------------------------------------------------------------ names that find nothing, or too much


def test_an_unknown_organization_is_refused_with_the_closest_names(net, db_path):
    with untouched(db_path):
        result = net("network", "join", "한국법제원", "--body", "lla", "--from", "2024-01-01", ok=False)
    assert_refused(result, f"no organization is called '한국법제원'; did you mean {KLRI}", LISTING, exit_code=1)


def test_a_name_matching_several_organizations_is_refused_listing_them(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--org", "법학도서관", ok=False)
    assert_refused(result, f"'법학도서관' matches 3 organizations: {KU_LAW}; {SNU_LAW}; {NCULL}. Give one as listed, "
                           f"such as '{KU_LAW}'", exit_code=1)


@pytest.mark.parametrize(("command", "typed", "hint"), [
    (("join", NAL, "--from", "2024-01-01"), "kilc", f"; did you mean {KLIC} (klic)?"),
    (("members",), "nosuch", ""),
], ids=["join", "members"])
def test_an_unknown_body_is_refused(net, db_path, command, typed, hint):
    with untouched(db_path):
        result = net("network", *command, "--body", typed, ok=False)
    assert_refused(result, f"no body is called '{typed}'{hint} (`nalcoop network body list` lists them)",
                   exit_code=1)


def test_a_name_matching_two_bodies_is_refused_listing_both(net, db_path):
    with untouched(db_path):
        result = net("network", "join", SNU, "--body", "협의회", "--from", "2024-01-01", ok=False)
    assert_refused(result, f"'협의회' matches 2 bodies: {KLIC} (klic); {LLA} (lla). Give one as listed, such as "
                           f"'{KLIC} (klic)'", exit_code=1)


@pytest.mark.parametrize("command", [
    ("attend", COURSE, "--org", KLRI),
    ("event", "edit", COURSE, "--place", "국회도서관 대강당"),
], ids=["attend", "event edit"])
def test_two_runs_of_a_course_are_refused_listing_both_labels(net, db_path, command):
    with untouched(db_path):
        result = net("network", *command, ok=False)
    assert_refused(result, f"'{COURSE}' matches 2 events: {RUN_2024}; {RUN_2025}. Give one as listed, such as "
                           f"'{RUN_2024}'", exit_code=1)
    net("network", "event", "show", RUN_2025, "--format", "csv")  # the label as listed finds one


def test_a_part_of_two_titles_is_refused_listing_both_events(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", "2024", "--org", KLRI, ok=False)
    assert_refused(result, f"'2024' matches 2 events: {MEETING} (2024-03-15); {CONFERENCE} (2024-10-18)",
                   exit_code=1)


def test_a_run_that_did_not_take_place_is_refused_with_the_runs_that_did(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", f"{COURSE} (2026-07-01)", "--org", KLRI, ok=False)
    assert_refused(result, f"no event is called '{COURSE} (2026-07-01)'; did you mean {RUN_2024}, {RUN_2025}",
                   "(`nalcoop network list` lists them)", exit_code=1)


def test_an_unknown_course_is_refused_with_the_closest_one(net, db_path):
    with untouched(db_path):
        result = net("network", "curriculum", "add", "입법정보 전문과정", "판례 검색", "--hours", "3", ok=False)
    assert_refused(result, f"no course is called '입법정보 전문과정'; did you mean {COURSE}? "
                           "(`nalcoop network course list` lists them)", exit_code=1)


def test_a_part_of_two_course_titles_is_refused_listing_both(net, db_path):
    with untouched(db_path):
        result = net("network", "curriculum", "add", "과정", "판례 검색", "--hours", "3", ok=False)
    assert_refused(result, f"'과정' matches 2 courses: {COURSE}; {CASES}. Give one as listed, such as '{COURSE}'",
                   exit_code=1)


# ------------------------------------------------------------------ organizations


def test_registering_an_organization_twice_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "org", "add", "국회 도서관", "--type", "library", ok=False)
    assert_refused(result, f"{NAL} is already registered; change it with `nalcoop network org edit`", exit_code=1)


@pytest.mark.parametrize(("command", "english"), [
    (("org", "add", "새기관", "--type", "other"), "Korea Legislation Research Institute"),
    (("org", "edit", SNU), "korea  legislation research institute"),
], ids=["add", "edit"])
def test_an_english_name_already_taken_is_refused_naming_its_owner(net, db_path, command, english):
    with untouched(db_path):
        result = net("network", *command, "--english", english, ok=False)
    assert_refused(result, f"'{english}' is already the English name of {KLRI}", exit_code=1)


def test_renaming_an_organization_onto_another_s_name_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "org", "edit", SNU, "--name", "국회 도서관", ok=False)
    assert_refused(result, f"{NAL} is already registered under that name", exit_code=1)


def test_an_organization_without_a_name_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "org", "add", " ", "--type", "library", ok=False)
    assert_refused(result, "an organization needs a name, such as 대한변호사협회", exit_code=1)


def test_an_organization_cannot_be_its_own_parent(net, db_path):
    with untouched(db_path):
        result = net("network", "org", "edit", SNU_LAW, "--parent", SNU_LAW, ok=False)
    assert_refused(result, f"{SNU_LAW} cannot be its own parent organization", exit_code=1)


@pytest.mark.parametrize("depth", [1, 2], ids=["its child", "its grandchild"])
def test_an_organization_cannot_sit_under_one_of_its_own_parts(net, db_path, depth):
    below = SNU_LAW
    if depth == 2:
        net("network", "org", "add", "서울대학교 법학도서관 고문헌실", "--type", "library", "--parent", SNU_LAW)
        below = "서울대학교 법학도서관 고문헌실"
    with untouched(db_path):
        result = net("network", "org", "edit", SNU, "--parent", below, ok=False)
    assert_refused(result, f"{SNU} cannot sit under {below}: that organization is already part of it", exit_code=1)


def test_a_parent_matching_two_organizations_is_refused_listing_both(net, db_path):
    with untouched(db_path):
        result = net("network", "org", "add", "서울대학교 중앙도서관", "--type", "library", "--parent", "서울대",
                     ok=False)
    assert_refused(result, f"'서울대' matches 2 organizations: {SNU}; {SNU_LAW}. Give one as listed", exit_code=1)


# ------------------------------------------------------------------ bodies


@pytest.mark.parametrize("code", ["k l", "협의"])
def test_a_body_code_that_is_no_short_handle_is_refused_quoting_it(net, db_path, code):
    with untouched(db_path):
        result = net("network", "body", "add", code, "다른 협의회", ok=False)
    assert_refused(result, "a body's code is a short handle of letters, digits and hyphens starting with a letter "
                           f"(such as klic), not '{code}'", exit_code=1)


@pytest.mark.parametrize(("code", "name"), [("KLIC", "다른 협의회"), ("new", "한국 법률정보 협의회")],
                         ids=["same code in capitals", "same name spaced"])
def test_registering_a_body_twice_is_refused(net, db_path, code, name):
    with untouched(db_path):
        result = net("network", "body", "add", code, name, ok=False)
    assert_refused(result, f"{KLIC} (klic) is already registered", exit_code=1)


def test_a_body_without_a_name_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "body", "add", "new", "  ", ok=False)
    assert_refused(result, "a body needs a name, such as 한국법률정보협의회", exit_code=1)


# ------------------------------------------------------------------ a list of participants


@pytest.mark.parametrize(("suffix", "dry_run"), [(".csv", False), (".xlsx", True)], ids=["csv", "xlsx, dry run"])
def test_a_participant_list_naming_an_unknown_organization_is_refused_with_the_closest_names(
        net, db_path, tmp_path, suffix, dry_run):
    rows = [["기관", "성명", "역할", "출석"],
            [KLRI, "이영희", "발표자", "참석"],
            ["한국법제원", "홍길동", "참가자", "참석"]]
    path = tmp_path / f"participants{suffix}"
    if suffix == ".csv":
        _csv(path, rows)
    else:
        _xlsx(path, rows, sheet="참가자")
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), *(["--dry-run"] if dry_run else []),
                     ok=False)
    stderr = assert_refused(result, exit_code=1, lines=2)
    where = f"participants{suffix}" + (", sheet 참가자" if suffix == ".xlsx" else "")
    problem, summary = stderr.splitlines()
    assert problem.startswith(f"{where}, row 3, column A (기관): no organization is called '한국법제원'; did you mean "
                              f"{KLRI}")
    assert problem.endswith(LISTING)
    assert summary == (f"Error: participants{suffix}: 1 of 2 rows rejected; nothing was imported. Fix the rows "
                       "listed above and import again")


def test_a_participant_list_with_a_role_and_a_status_outside_the_list_names_the_allowed_values(
        net, db_path, tmp_path):
    path = _csv(tmp_path / "participants.csv", [["기관", "성명", "역할", "출석"],
                                                [KLRI, "이영희", "boss", "참석"],
                                                [MOLEG, "박철수", "참가자", "maybe"]])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), ok=False)
    role, status, _summary = assert_refused(result, "2 of 2 rows rejected", exit_code=1, lines=3).splitlines()
    assert role == ("participants.csv, row 2, column C (역할): 'boss' is not one of: host, instructor, panelist, "
                    "participant, speaker, trainee")
    assert status == "participants.csv, row 3, column D (출석): 'maybe' is not one of: absent, attended, cancelled, " \
                     "registered"


@pytest.mark.parametrize(("second", "shown"), [
    ([MOLEG, "홍 길동"], "'홍 길동': "),
    (["Ministry of Government Legislation", "홍길동"], "'홍길동': "),
], ids=["spacing", "by its English name"])
def test_a_participant_list_repeating_a_person_of_an_organization_is_refused(net, db_path, tmp_path, second, shown):
    path = _csv(tmp_path / "participants.csv", [["기관", "성명"], [MOLEG, "홍길동"], second])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), ok=False)
    problem = assert_refused(result, "1 of 2 rows rejected", exit_code=1, lines=2).splitlines()[0]
    assert problem == (f"participants.csv, row 3, column B (성명): {shown}repeats row 2 (same person and "
                       "organization); keep one of the two rows")


def test_a_participant_list_repeating_an_organization_without_a_person_is_refused(net, db_path, tmp_path):
    path = _csv(tmp_path / "participants.csv", [["기관", "성명"], [KLRI, ""], [KLRI, ""]])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem.startswith("participants.csv, row 3, column B (성명): repeats row 2")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_participant_list_with_bad_hours_names_each_row(net, db_path, tmp_path, suffix):
    rows = [["기관", "성명", "이수시간"], [MOLEG, "가", "abc"], [NAL, "나", "-3"], [KLRI, "다", "31"],
            ["대한변호사협회", "라", "2001"], [SNU_LAW, "마", "12"]]
    if suffix == ".xlsx":
        rows = [rows[0], *([org, person, int(hours) if hours.lstrip("-").isdigit() else hours]
                           for org, person, hours in rows[1:])]
    path = tmp_path / f"trainees{suffix}"
    if suffix == ".csv":
        _csv(path, rows)
    else:
        _xlsx(path, rows, sheet="교육생")
    with untouched(db_path):
        result = net("network", "attend", RUN_2024, "--import", str(path), ok=False)
    stderr = assert_refused(result, f"trainees{suffix}: 4 of 5 rows rejected; nothing was imported", exit_code=1,
                            lines=5)
    where = f"trainees{suffix}" + (", sheet 교육생" if suffix == ".xlsx" else "")
    word, negative, over, huge, _summary = stderr.splitlines()
    assert word == f"{where}, row 2, column C (이수시간): 'abc' is not a number of hours (such as 3 or 1.5)"
    assert negative.startswith(f"{where}, row 3, column C (이수시간): ")
    assert "-3" in negative and "is not a number of hours" in negative
    assert over == f"{where}, row 4, column C (이수시간): '31': 31 hours is more than {RUN_2024} runs (30 hours)"
    assert huge == f"{where}, row 5, column C (이수시간): '2001': 2001 is more than 2,000 hours"


def test_a_participant_list_with_hours_for_a_conference_is_refused(net, db_path, tmp_path):
    path = _csv(tmp_path / "participants.csv", [["기관", "성명", "시간"], [KLRI, "이영희", "3"]])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem == (f"participants.csv, row 2, column C (시간): '3': hours attended are recorded for course runs; "
                       f"{CONFERENCE} (2024-10-18) is a conference")


def test_a_participant_list_with_hours_for_an_absent_trainee_is_refused(net, db_path, tmp_path):
    path = _csv(tmp_path / "trainees.csv", [["기관", "성명", "출석", "이수시간"], [KLRI, "이영희", "결석", "5"]])
    with untouched(db_path):
        result = net("network", "attend", RUN_2024, "--import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem == ("trainees.csv, row 2, column D (이수시간): '5': a participant who is absent has no hours "
                       "attended")


def test_a_participant_list_naming_several_organizations_in_a_row_is_refused(net, db_path, tmp_path):
    path = _csv(tmp_path / "participants.csv", [["소속", "성명"], ["법학도서관", "이영희"]])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem.startswith("participants.csv, row 2, column A (소속): '법학도서관' matches 3 organizations: ")


def test_a_participant_list_with_a_person_of_only_punctuation_names_the_person_column(net, db_path, tmp_path):
    path = _csv(tmp_path / "participants.csv", [["기관", "성명", "출석"], [KLRI, "---", "참석"]])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem == "participants.csv, row 2, column B (성명): '---' is not a person's name"


def test_a_participant_list_for_an_event_not_yet_begun_points_to_the_status_column(net, db_path, tmp_path):
    path = _csv(tmp_path / "participants.csv", [["기관", "성명"], [KLRI, "이영희"]])
    with untouched(db_path):
        result = net("network", "attend", WORKSHOP, "--import", str(path), ok=False)
    problem = assert_refused(result, exit_code=1, lines=2).splitlines()[0]
    assert problem.startswith(f"participants.csv, row 2: {WORKSHOP} (2027-02-01) has not begun yet")
    assert "registered" in problem and "--status" not in problem


# ------------------------------------------------------------------ a curriculum


@pytest.mark.parametrize(("suffix", "dry_run"), [(".csv", True), (".xlsx", False)], ids=["csv, dry run", "xlsx"])
def test_a_curriculum_with_a_module_without_hours_bad_hours_and_a_repeated_title_names_each_row(
        net, db_path, tmp_path, suffix, dry_run):
    rows = [["과목", "시간", "강사"], ["법령정보 검색", "12", "홍길동"], ["의안정보 실습", "", "김영희"],
            ["판례 검색", "abc", "이철수"], ["법령정보  검색", "3", "박민수"]]
    path = tmp_path / f"modules{suffix}"
    if suffix == ".csv":
        _csv(path, rows)
    else:
        _xlsx(path, rows, sheet="교과")
    with untouched(db_path):
        result = net("network", "curriculum", "import", COURSE, str(path), *(["--dry-run"] if dry_run else []),
                     ok=False)
    stderr = assert_refused(result, exit_code=1, lines=4)
    where = f"modules{suffix}" + (", sheet 교과" if suffix == ".xlsx" else "")
    missing, word, repeated, summary = stderr.splitlines()
    assert missing == f"{where}, row 3, column B (시간): a module needs its hours (such as 3 or 1.5)"
    assert word == f"{where}, row 4, column B (시간): 'abc' is not a number of hours (such as 3 or 1.5)"
    assert repeated == (f"{where}, row 5, column A (과목): '법령정보  검색': repeats row 2 (same module); keep one "
                        "of the two rows")
    assert summary == (f"Error: modules{suffix}: 3 of 4 rows rejected; nothing was imported. Fix the rows listed "
                       "above and import again")


def test_a_curriculum_with_zero_negative_or_huge_hours_names_each_row(net, db_path, tmp_path):
    path = _xlsx(tmp_path / "modules.xlsx", [["과목", "시간"], ["가", 0], ["나", -2], ["다", "3시간"], ["라", 2001]],
                 sheet="교과")
    with untouched(db_path):
        result = net("network", "curriculum", "import", COURSE, str(path), ok=False)
    zero, negative, huge, _summary = assert_refused(result, "3 of 4 rows rejected", exit_code=1,
                                                     lines=4).splitlines()
    assert zero.startswith("modules.xlsx, sheet 교과, row 2, column B (시간): ")
    assert "0 is not a number of hours above 0" in zero
    assert negative.startswith("modules.xlsx, sheet 교과, row 3, column B (시간): ") and "-2" in negative
    assert huge == "modules.xlsx, sheet 교과, row 5, column B (시간): '2001': 2001 is more than 2,000 hours"


def test_a_curriculum_with_a_position_that_is_no_whole_number_names_the_row(net, db_path, tmp_path):
    path = _csv(tmp_path / "modules.csv", [["순서", "과목", "시간"], ["첫째", "판례 검색", "3"],
                                           ["0", "법령 검색", "3"]])
    with untouched(db_path):
        result = net("network", "curriculum", "import", COURSE, str(path), ok=False)
    word, zero, _summary = assert_refused(result, exit_code=1, lines=3).splitlines()
    assert word == "modules.csv, row 2, column A (순서): '첫째' is not a whole number"
    assert zero == "modules.csv, row 3, column A (순서): '0' is not a positive whole number (1 or more)"


def test_a_curriculum_with_a_position_above_a_thousand_names_the_row(net, db_path, tmp_path):
    path = _csv(tmp_path / "modules.csv", [["순서", "과목", "시간"], ["1001", "판례 검색", "3"]])
    with untouched(db_path):
        result = net("network", "curriculum", "import", COURSE, str(path), ok=False)
    assert_refused(result, "modules.csv, row 2, column A (순서)", "1001", exit_code=1, lines=2)


def test_a_curriculum_with_a_title_of_only_punctuation_names_the_row(net, db_path, tmp_path):
    path = _csv(tmp_path / "modules.csv", [["과목", "시간"], ["---", "3"]])
    with untouched(db_path):
        result = net("network", "curriculum", "import", COURSE, str(path), ok=False)
    assert_refused(result, "modules.csv, row 2, column A (과목)", exit_code=1, lines=2)


def test_a_curriculum_for_an_unknown_course_is_refused_with_the_closest_one(net, db_path, tmp_path):
    path = _csv(tmp_path / "modules.csv", [["과목", "시간"], ["판례 검색", "3"]])
    with untouched(db_path):
        result = net("network", "curriculum", "import", "입법정보 전문과정", str(path), ok=False)
    assert_refused(result, f"no course is called '입법정보 전문과정'; did you mean {COURSE}?", exit_code=1)


@pytest.mark.parametrize(("hours", "message"), [
    ("abc", "'abc' is not a number of hours (such as 3 or 1.5)"),
    ("0", "0 is not a number of hours above 0"),
])
def test_a_module_with_impossible_hours_is_refused(net, db_path, hours, message):
    with untouched(db_path):
        result = net("network", "curriculum", "add", COURSE, "판례 검색", "--hours", hours, ok=False)
    assert_refused(result, message, exit_code=1)


def test_a_module_position_out_of_range_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "curriculum", "add", COURSE, "판례 검색", "--hours", "3", "--position", "0", ok=False)
    assert_refused(result, "position 0 is not between 1 and 1,000", exit_code=1)


def test_lowering_a_module_s_hours_below_a_trainee_s_recorded_hours_is_refused(net, db_path):
    with untouched(db_path):
        result = net("network", "curriculum", "add", COURSE, "의안정보 실습", "--hours", "1", ok=False)
    assert_refused(result, "홍길동", "25", exit_code=1)


def test_replacing_a_curriculum_below_a_trainee_s_recorded_hours_is_refused(net, db_path, tmp_path):
    path = _csv(tmp_path / "modules.csv", [["과목", "시간"], ["판례 검색", "3"]])
    with untouched(db_path):
        result = net("network", "curriculum", "import", COURSE, str(path), "--replace", ok=False)
    assert_refused(result, "홍길동", "25", exit_code=1)


# ------------------------------------------------------------------ files that cannot be imported at all

IMPORTS = {
    "attend": lambda path: ("network", "attend", CONFERENCE, "--import", str(path)),
    "curriculum": lambda path: ("network", "curriculum", "import", COURSE, str(path)),
}


@pytest.mark.parametrize(("command", "name"), [("attend", "no such folder/list.csv"), ("curriculum", "list.xlsx")])
def test_a_missing_file_is_refused_naming_it(net, db_path, tmp_path, command, name):
    path = tmp_path / name
    with untouched(db_path):
        result = net(*IMPORTS[command](path), ok=False)
    assert_refused(result, f"{path} does not exist; check the file name and folder", exit_code=1)


@pytest.mark.parametrize(("command", "content"), [("attend", b""), ("curriculum", b",,,\r\n,,\r\n")],
                         ids=["attend, zero bytes", "curriculum, only commas"])
def test_an_empty_file_is_refused_naming_it(net, db_path, tmp_path, command, content):
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with untouched(db_path):
        result = net(*IMPORTS[command](path), ok=False)
    assert_refused(result, "list.csv", "empty", "nothing to import", exit_code=1)


def test_a_curriculum_without_a_recognisable_header_is_refused_listing_the_known_headers(net, db_path, tmp_path):
    path = _csv(tmp_path / "list.csv", [["품목", "수량"], ["도서", "3"]])
    with untouched(db_path):
        result = net(*IMPORTS["curriculum"](path), ok=False)
    assert_refused(result, f"{path}: no header row with a known column in the first 30 rows (known headers include "
                           "순서, 과목, 시간, 강사, 학습목표); rename the headers or give --map FILE", exit_code=1)


def test_a_participant_list_that_is_neither_utf8_nor_cp949_is_refused(net, db_path, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("기관,성명\r\n".encode() + b"\xff\xfe\xfd,x\r\n")
    with untouched(db_path):
        result = net(*IMPORTS["attend"](path), ok=False)
    assert_refused(result, f"{path} is neither UTF-8 nor CP949 text; save it as CSV UTF-8 from Excel", exit_code=1)


def test_a_curriculum_csv_with_a_nul_byte_is_refused_naming_the_row(net, db_path, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("과목,시간\r\n판례 검색,3\r\n법령\x00검색,3\r\n".encode())
    with untouched(db_path):
        result = net(*IMPORTS["curriculum"](path), ok=False)
    assert_refused(result, f"{path}, row 3: contains NUL bytes: it is not a text CSV file", exit_code=1)


def test_a_folder_given_as_the_participant_list_is_refused(net, db_path, tmp_path):
    with untouched(db_path):
        result = net(*IMPORTS["attend"](tmp_path), ok=False)
    assert_refused(result, f"{tmp_path} is a folder; give the workbook or CSV file to import", exit_code=1)


def test_a_sheet_that_is_not_in_the_workbook_is_refused_listing_the_sheets(net, db_path, tmp_path):
    path = _xlsx(tmp_path / "list.xlsx", [["기관", "성명"], [KLRI, "이영희"]], sheet="참가자")
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), "--sheet", "교육생", ok=False)
    assert_refused(result, f"{path} has no sheet named '교육생'; its sheets are: 참가자", exit_code=1)


def test_a_column_map_that_does_not_exist_is_refused(net, db_path, tmp_path):
    path = _csv(tmp_path / "list.csv", [["기관", "성명"], [KLRI, "이영희"]])
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), "--map", str(tmp_path / "my.yaml"),
                     ok=False)
    assert_refused(result, f"column map {tmp_path / 'my.yaml'} does not exist", exit_code=1)


def test_a_malformed_column_map_is_refused_in_one_line(net, db_path, tmp_path):
    path = _csv(tmp_path / "list.csv", [["기관", "성명"], [KLRI, "이영희"]])
    column_map = tmp_path / "my.yaml"
    column_map.write_text("fields: [\n", encoding="utf-8")
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), "--map", str(column_map), ok=False)
    assert_refused(result, f"column map {column_map} is not valid", exit_code=1)


def test_a_column_map_that_is_not_utf8_is_refused(net, db_path, tmp_path):
    path = _csv(tmp_path / "list.csv", [["기관", "성명"], [KLRI, "이영희"]])
    column_map = tmp_path / "my.yaml"
    column_map.write_bytes("fields:\n  org:\n    headers: [기관]\n".encode("cp949"))
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), "--map", str(column_map), ok=False)
    assert_refused(result, str(column_map), "UTF-8", exit_code=1)


@pytest.mark.parametrize(("command", "field"), [("attend", "org"), ("curriculum", "title")])
def test_a_column_map_without_the_needed_field_is_refused_naming_it(net, db_path, tmp_path, command, field):
    path = _csv(tmp_path / "list.csv", [["기관", "성명", "과목", "시간"], [KLRI, "이영희", "판례 검색", "3"]])
    column_map = tmp_path / "my.yaml"
    column_map.write_text("fields:\n  hours:\n    headers: [시간]\n  person:\n    headers: [성명]\n", encoding="utf-8")
    with untouched(db_path):
        result = net(*IMPORTS[command](path), "--map", str(column_map), ok=False)
    assert_refused(result, str(column_map), field, exit_code=1)


# ------------------------------------------------------------------ a dry run of a good file


def test_a_dry_run_of_a_good_participant_list_writes_nothing_and_says_what_it_would_do(net, db_path, tmp_path):
    path = _xlsx(tmp_path / "participants.xlsx", [["기관", "성명", "역할", "출석"], [KLRI, "이영희", "발표자", "참석"],
                                                  [MOLEG, "김민수", "발표자", "참석"]], sheet="참가자")
    before = file_hash(db_path)
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--import", str(path), "--dry-run")
    assert file_hash(db_path) == before
    assert result.stderr.splitlines()[-1] == "dry run, nothing written — would be: 1 created, 0 changed, 1 unchanged"
    assert f"row 2: 이영희 ({KLRI}) — created" in result.stderr
    shown = net("network", "event", "show", CONFERENCE, "--format", "csv").stdout
    assert "이영희" not in shown


def test_a_dry_run_of_a_good_curriculum_writes_nothing(net, db_path, tmp_path):
    path = _csv(tmp_path / "modules.csv", [["과목", "시간"], ["판례 검색", "3시간"], ["법령정보 검색", "24"]])
    with untouched(db_path):
        result = net("network", "curriculum", "import", COURSE, str(path), "--replace", "--dry-run")
    assert "dry run, nothing written — would be: 1 created, 1 changed, 0 unchanged, 1 removed" in result.stderr
    shown = net("network", "curriculum", "show", COURSE, "--format", "csv").stdout
    assert shown.splitlines()[1:] == ["1,법령정보 검색,12,,", "2,의안정보 실습,18,,"]


def test_a_dry_run_of_one_participant_writes_nothing(net, db_path):
    with untouched(db_path):
        result = net("network", "attend", CONFERENCE, "--org", KLRI, "--person", "이영희", "--dry-run")
    assert result.stderr.startswith("dry run, nothing written — recorded 이영희")


# ------------------------------------------------------------------ statistics and listings


@pytest.mark.parametrize(("args", "message"), [
    (("--by", "color"), "--by: network events have no 'color'; they can be grouped by kind, year, month, type or org"),
    (("--as-of", "2024-01-01", "--by", "color"),
     "--by: members have no 'color'; they can be grouped by body, role or type"),
], ids=["what happened", "members"])
def test_stats_network_by_an_unknown_dimension_is_a_usage_error_listing_the_choices(net, db_path, args, message):
    with untouched(db_path):
        result = net("stats", "network", *args, ok=False)
    assert_refused(result, message, exit_code=2)


@pytest.mark.parametrize("period", [["--year", "2024"], ["--to", "2024-12-31"]])
def test_stats_network_as_of_together_with_a_period_is_a_usage_error(net, db_path, period):
    with untouched(db_path):
        result = net("stats", "network", "--as-of", "2024-06-01", *period, ok=False)
    assert_refused(result, "give either --as-of (members on a day) or --year/--from/--to (what happened)",
                   exit_code=2)


@pytest.mark.parametrize(("command", "args", "message"), [
    (("stats", "network"), ("--year", "2024", "--from", "2024-01-01"), "give either --year or --from/--to, not both"),
    (("network", "list"), ("--from", "2024-12-01", "--to", "2024-01-01"), "--from 2024-12-01 is after --to 2024-01-01"),
    (("stats", "network"), ("--year", "0"), "--year: '0' is not a year; give four digits, such as 2024"),
], ids=["--year and --from", "--from after --to", "--year 0"])
def test_an_impossible_period_is_a_usage_error(net, db_path, command, args, message):
    with untouched(db_path):
        result = net(*command, *args, ok=False)
    assert_refused(result, message, exit_code=2)


def test_members_history_together_with_as_of_is_a_usage_error(net, db_path):
    with untouched(db_path):
        result = net("network", "members", "--history", "--as-of", "2024-01-01", ok=False)
    assert_refused(result, "give either --history or --as-of, not both", exit_code=2)


# ------------------------------------------------------------------ dates in a wrong form

DATE_OPTIONS = [  # (the command up to the date option, the option)
    (("network", "join", SNU, "--body", "klic"), "--from"),
    (("network", "join", SNU, "--body", "klic", "--from", "2024-01-01"), "--to"),
    (("network", "leave", NAL, "--body", "klic"), "--date"),
    (("network", "role", NAL, "--body", "klic", "--role", "chair"), "--date"),
    (("network", "event", "add", "2025 학술대회", "--type", "conference"), "--from"),
    (("network", "event", "add", "2025 학술대회", "--type", "conference", "--from", "2025-10-18"), "--to"),
    (("network", "event", "edit", CONFERENCE), "--from"),
    (("network", "event", "edit", CONFERENCE), "--to"),
    (("network", "course", "add", "새 과정"), "--from"),
    (("network", "course", "add", "새 과정", "--from", "2025-01-06"), "--to"),
    (("network", "body", "add", "new", "새 협의회"), "--founded"),
    (("network", "members",), "--as-of"),
    (("network", "body", "list"), "--as-of"),
    (("network", "org", "list"), "--as-of"),
    (("network", "list"), "--from"),
    (("network", "list"), "--to"),
    (("stats", "network"), "--as-of"),
    (("stats", "network"), "--from"),
    (("stats", "network"), "--to"),
]


@pytest.mark.parametrize(("command", "option"), DATE_OPTIONS,
                         ids=[f"{' '.join(command[:3])} {option}" for command, option in DATE_OPTIONS])
def test_a_date_in_a_wrong_form_is_a_usage_error_on_every_date_option(net, db_path, command, option):
    with untouched(db_path):
        result = net(*command, option, "2024-13-45", ok=False)
    assert_refused(result, f"{option}: '2024-13-45' is not a date: there is no month 13", exit_code=2)


def test_a_date_in_words_is_a_usage_error_showing_the_forms_understood(net, db_path):
    with untouched(db_path):
        result = net("network", "join", SNU, "--body", "klic", "--from", "next Tuesday", ok=False)
    assert_refused(result, "--from: 'next Tuesday' is not a date; write it as 2020-02-29, 2020. 2. 29., "
                           "2020년 2월 29일 or 20200229", exit_code=2)


# ------------------------------------------------------------------ a missing option in a pipe


@pytest.mark.parametrize(("args", "message"), [
    (("join", SNU, "--from", "2024-01-01"), "missing option '--body' (body: klic, or its name)"),
    (("course", "add", "새 과정"), "missing option '--from' (first day of the course)"),
    (("curriculum", "add", COURSE, "판례 검색"), "missing option '--hours' (hours taught)"),
    (("attend", CONFERENCE), "missing option '--org' (organization of the participant)"),
], ids=["join --body", "course add --from", "curriculum add --hours", "attend --org"])
def test_a_missing_required_option_in_a_pipe_is_a_usage_error_and_no_prompt(net, db_path, args, message):
    with untouched(db_path):
        result = net("network", *args, ok=False, input="2024-01-01\nklic\nlibrary\n")
    assert_refused(result, message, "see --help", exit_code=2)


# ------------------------------------------------------------------ text that is not UTF-8, or holds NUL


@pytest.mark.parametrize("args", [
    ("network", "org", "add", "\udcb1\udce2\udcb0\udcfc", "--type", "library"),
    ("stats", "network", "--by", "\udcb1"),
], ids=["org name", "stats --by"])
def test_text_that_is_not_utf8_is_a_usage_error_showing_the_bytes(net, db_path, args):
    with untouched(db_path):
        result = net(*args, ok=False)
    assert_refused(result, "is not UTF-8 text; set the terminal or script to UTF-8 and type it again", "\\x",
                   exit_code=2)


@pytest.mark.parametrize("args", [
    ("network", "org", "add", "법제\x00연구회", "--type", "library"),
    ("network", "attend", CONFERENCE, "--org", MOLEG, "--person", "홍\x00길동"),
], ids=["org name", "person"])
def test_text_holding_nul_is_refused(net, db_path, args):
    with untouched(db_path):
        result = net(*args, ok=False)
    assert_refused(result, "NUL", exit_code=2)

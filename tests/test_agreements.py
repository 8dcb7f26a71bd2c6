"""The agreement procedure, listings, the due list and statistics as of a date."""

from __future__ import annotations

import csv
import io
import json

import pytest

from nalcoop import agreements, registry
from nalcoop.agreements import AgreementError, Step


def _rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _seoul_signed(cli) -> None:
    cli("agreement", "request", "서울특별시의회", "--date", "2013-05-01", "--ref", "NAL-2013-12")
    cli("agreement", "consult", "서울특별시의회", "--date", "2013-06-10", "--note", "draft terms sent")
    cli("agreement", "sign", "서울특별시의회", "--date", "2013-07-01", "--mode", "in-person")


def test_the_procedure_from_request_to_follow_up_shows_as_a_timeline(cli):
    _seoul_signed(cli)
    cli("agreement", "follow-up", "서울특별시의회", "--date", "2014-02-03", "--type", "materials",
        "--note", "2013 minutes received")
    shown = _rows(cli("agreement", "show", "서울특별시의회", "--format", "csv"))
    assert [(r["date"], r["step"], r["status"]) for r in shown] == [
        ("2013-05-01", "request", "requested"),
        ("2013-06-10", "consult", "consultation"),
        ("2013-07-01", "sign", "signed"),
        ("2014-02-03", "follow-up", "signed"),
    ]
    assert shown[0]["ref"] == "NAL-2013-12"
    assert shown[2]["detail"] == "in-person"
    assert shown[3]["detail"] == "materials"
    assert shown[3]["note"] == "2013 minutes received"


@pytest.mark.parametrize(
    ("steps", "refused", "message"),
    [
        ([], ("sign", "2013-07-01", "--mode", "in-person"), "signing without a request"),
        ([("request", "2013-05-01")], ("consult", "2013-04-30"), "earlier than the previous step"),
        ([("request", "2013-05-01")], ("sign", "2013-04-01", "--mode", "exchange"), "earlier than the previous step"),
        ([("request", "2013-05-01"), ("sign", "2013-07-01", "--mode", "in-person")],
         ("sign", "2014-07-01", "--mode", "in-person"), "second signing"),
        ([("request", "2013-05-01")], ("follow-up", "2013-08-01", "--type", "materials"),
         "needs an agreement in force"),
        ([], ("terminate", "2013-08-01"), "needs an agreement in force"),
        ([("request", "2013-05-01")], ("request", "2013-06-01"), "already has an open request"),
        ([], ("withdraw", "2013-06-01"), "only an open request can be withdrawn"),
        ([], ("consult", "2013-06-01"), "consultation needs an open request"),
    ],
)
def test_steps_out_of_order_are_refused_with_the_reason(cli, db_path, steps, refused, message):
    for step, day, *extra in steps:
        cli("agreement", step, "종로구의회", "--date", day, *extra)
    before = db_path.read_bytes()
    result = cli("agreement", refused[0], "종로구의회", "--date", *refused[1:], ok=False)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert db_path.read_bytes() == before


def test_a_council_may_sign_again_after_termination_and_keeps_its_history(cli):
    _seoul_signed(cli)
    cli("agreement", "terminate", "서울특별시의회", "--date", "2018-12-31")
    cli("agreement", "request", "서울시의회", "--date", "2019-03-01")
    cli("agreement", "sign", "서울시의회", "--date", "2019-04-01", "--mode", "exchange")
    shown = _rows(cli("agreement", "show", "서울특별시의회", "--format", "csv"))
    assert [(r["cycle"], r["step"]) for r in shown] == [
        ("1", "request"), ("1", "consult"), ("1", "sign"), ("1", "terminate"), ("2", "request"), ("2", "sign"),
    ]
    as_2018 = _rows(cli("agreement", "list", "--as-of", "2019-01-01", "--format", "csv"))
    assert as_2018[0]["status"] == "terminated"
    as_2019 = _rows(cli("agreement", "list", "--as-of", "2019-04-01", "--format", "csv"))
    assert (as_2019[0]["status"], as_2019[0]["signed"], as_2019[0]["mode"]) == ("signed", "2019-04-01", "exchange")


def test_withdrawal_closes_the_request_and_a_new_request_opens_a_new_cycle(cli):
    cli("agreement", "request", "종로구", "--date", "2015-01-05")
    cli("agreement", "withdraw", "종로구", "--date", "2015-02-01", "--note", "council election")
    cli("agreement", "request", "종로구", "--date", "2016-01-05")
    shown = _rows(cli("agreement", "show", "종로구", "--format", "csv"))
    assert [(r["cycle"], r["status"]) for r in shown] == [("1", "requested"), ("1", "withdrawn"), ("2", "requested")]


def test_renewal_keeps_the_agreement_in_force(cli):
    _seoul_signed(cli)
    cli("agreement", "renew", "서울특별시의회", "--date", "2016-07-01", "--ref", "NAL-2016-3")
    rows = _rows(cli("agreement", "list", "--status", "signed", "--format", "csv"))
    assert rows[0]["since"] == "2013-07-01"


def test_written_exchange_is_a_signing_mode(cli):
    cli("agreement", "request", "가평군의회", "--date", "2021-04-01")
    cli("agreement", "sign", "가평군의회", "--date", "2021-05-20", "--mode", "exchange",
        "--note", "signed by exchange of documents during COVID-19")
    rows = _rows(cli("agreement", "list", "--format", "csv"))
    assert rows == [{**rows[0], "council": "가평군의회", "province": "경기도", "status": "signed",
                     "mode": "exchange", "signed": "2021-05-20"}]


def test_without_request_records_a_historical_signing(cli):
    cli("agreement", "sign", "부산광역시의회", "--date", "2014-03-02", "--mode", "in-person", "--without-request")
    shown = _rows(cli("agreement", "show", "부산광역시의회", "--format", "csv"))
    assert shown[0]["step"] == "sign"
    assert "without a recorded request" in shown[0]["note"]


def test_as_of_is_inclusive_of_the_day(cli):
    _seoul_signed(cli)
    day_before = _rows(cli("agreement", "list", "--as-of", "2013-06-30", "--format", "csv"))
    same_day = _rows(cli("agreement", "list", "--as-of", "2013-07-01", "--format", "csv"))
    assert day_before[0]["status"] == "consultation"
    assert same_day[0]["status"] == "signed"


def test_as_of_accepts_korean_date_forms(cli):
    _seoul_signed(cli)
    for form in ("2013. 7. 1.", "2013년 7월 1일", "20130701"):
        rows = _rows(cli("agreement", "list", "--as-of", form, "--format", "csv"))
        assert rows[0]["status"] == "signed", form


def test_list_filters_by_status_level_province_and_period(cli):
    _seoul_signed(cli)
    cli("agreement", "request", "종로구의회", "--date", "2014-01-10")
    cli("agreement", "request", "수원시의회", "--date", "2015-01-10")
    cli("agreement", "sign", "수원시의회", "--date", "2015-03-10", "--mode", "in-person")

    def councils(*args):
        return [r["council"] for r in _rows(cli("agreement", "list", *args, "--format", "csv"))]

    assert councils() == ["서울특별시의회", "종로구의회", "수원시의회"]
    assert councils("--status", "signed") == ["서울특별시의회", "수원시의회"]
    assert councils("--level", "basic") == ["종로구의회", "수원시의회"]
    assert councils("--province", "서울") == ["서울특별시의회", "종로구의회"]
    assert councils("--province", "경기도", "--status", "signed") == ["수원시의회"]
    assert councils("--from", "2014-01-01", "--to", "2014-12-31") == ["종로구의회"]
    assert len(councils("--status", "none", "--as-of", "2020-02-29")) == 243 - 3


def test_due_lists_waiting_requests_oldest_first(cli):
    cli("agreement", "request", "종로구의회", "--date", "2020-01-02")
    cli("agreement", "request", "수원시의회", "--date", "2019-11-01")
    cli("agreement", "consult", "수원시의회", "--date", "2019-12-01")
    cli("agreement", "request", "서울특별시의회", "--date", "2020-02-20")
    rows = _rows(cli("agreement", "due", "--days", "30", "--as-of", "2020-02-29", "--format", "csv"))
    assert [(r["council"], r["status"], r["waited (days)"]) for r in rows] == [
        ("수원시의회", "consultation", "90"),
        ("종로구의회", "requested", "58"),
    ]


def _stats(cli, *args) -> dict[tuple[str, str], dict]:
    rows = _rows(cli("stats", "agreements", *args, "--format", "csv"))
    return {(r["dimension"], r["group"]): r for r in rows}


def test_stats_as_of_a_date_count_in_force_beside_existing_councils(cli):
    _seoul_signed(cli)
    cli("agreement", "request", "종로구의회", "--date", "2014-01-10")
    cli("agreement", "request", "수원시의회", "--date", "2015-01-10")
    cli("agreement", "sign", "수원시의회", "--date", "2015-03-10", "--mode", "in-person")
    stats = _stats(cli, "--as-of", "2020-02-29")
    assert stats[("total", "all councils")]["councils"] == "243"
    assert stats[("total", "all councils")]["in force"] == "2"
    assert stats[("level", "provincial")]["councils"] == "17"
    assert stats[("level", "provincial")]["in force"] == "1"
    assert stats[("level", "basic")]["councils"] == "226"
    assert stats[("level", "basic")]["requested"] == "1"
    assert stats[("province", "서울특별시")]["councils"] == "26"
    assert stats[("province", "서울특별시")]["coverage %"] == "3.8"
    assert stats[("province", "경기도")]["in force"] == "1"
    assert _stats(cli, "--as-of", "2026-08-01")[("level", "basic")]["councils"] == "227"


def test_stats_over_a_period_count_what_happened(cli):
    _seoul_signed(cli)
    cli("agreement", "request", "수원시의회", "--date", "2013-09-10")
    cli("agreement", "withdraw", "수원시의회", "--date", "2014-01-10")
    stats = _stats(cli, "--from", "2013-01-01", "--to", "2013-12-31")
    total = stats[("total", "all councils")]
    assert (total["requested"], total["signed"], total["withdrawn"]) == ("2", "1", "0")
    assert stats[("level", "basic")]["requested"] == "1"


def test_stats_refuse_as_of_together_with_a_period(cli):
    result = cli("stats", "agreements", "--as-of", "2020-02-29", "--from", "2020-01-01", ok=False)
    assert result.exit_code == 2
    assert "either --as-of or --year/--from/--to" in result.stderr


def test_an_agreement_follows_its_council_through_a_rename(cli):
    """강원도의회 became 강원특별자치도의회 on 2023-06-11: one council, one agreement."""
    cli("agreement", "request", "강원도의회", "--date", "2015-01-05")
    cli("agreement", "sign", "강원도의회", "--date", "2015-03-05", "--mode", "in-person")
    before = _rows(cli("agreement", "list", "--as-of", "2020-02-29", "--format", "csv"))
    after = _rows(cli("agreement", "list", "--as-of", "2024-01-01", "--format", "csv"))
    assert (before[0]["council"], before[0]["code"]) == ("강원도의회", "42")
    assert (after[0]["council"], after[0]["code"]) == ("강원특별자치도의회", "51")
    assert after[0]["status"] == "signed"


def test_an_abolished_council_no_longer_counts_and_refuses_new_steps(cli):
    cli("agreement", "request", "인천 중구", "--date", "2015-01-05")
    cli("agreement", "sign", "인천 중구", "--date", "2015-03-05", "--mode", "in-person")
    assert _stats(cli, "--as-of", "2026-06-30")[("province", "인천광역시")]["in force"] == "1"
    assert _stats(cli, "--as-of", "2026-07-01")[("province", "인천광역시")]["in force"] == "0"
    result = cli("agreement", "follow-up", "인천 중구", "--date", "2026-08-01", "--type", "other", ok=False)
    assert "abolished on 2026-07-01" in result.stderr


# ---------------------------------------------------------------- function level


def test_record_step_and_status_rows_without_the_cli(ledger):
    conn = ledger.conn
    council = registry.resolve(conn, "11")
    with ledger.command("test", "tester"):
        agreements.record_step(conn, council, Step("request", "2013-05-01"))
        agreements.record_step(conn, council, Step("sign", "2013-07-01", mode="in-person"))
        with pytest.raises(AgreementError, match="second signing"):
            agreements.record_step(conn, council, Step("sign", "2013-08-01", mode="in-person"))
    rows = agreements.status_rows(conn, "2020-02-29")
    assert [(r["council"], r["status"], r["requested_on"], r["signed_on"]) for r in rows] == [
        ("서울특별시의회", "signed", "2013-05-01", "2013-07-01")
    ]
    stats = agreements.stats_as_of(conn, "2013-06-30")
    assert stats[0]["in_force"] == 0
    assert stats[0]["requested"] == 1


def test_json_output_is_a_list_of_records(cli):
    _seoul_signed(cli)
    records = json.loads(cli("agreement", "list", "--format", "json").stdout)
    assert records[0]["council"] == "서울특별시의회"
    assert records[0]["signed_on"] == "2013-07-01"

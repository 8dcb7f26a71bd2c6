"""A listing's --province is read as of the period's last day: 전라남도 in 2024 selects its libraries, though it
has been part of 전남광주통합특별시 since 2026-07-01; the refusal for a day it no longer existed says so once."""

from __future__ import annotations

import csv
import io

import pytest

from nalcoop import donations, registry
from nalcoop.errors import NalcoopError


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def jeonnam(cli):
    cli("donate", "library", "add", "신안 작은도서관", "--region", "전라남도 신안군", "--type", "small")
    cli("donate", "library", "add", "수원 작은도서관", "--region", "경기도 수원시", "--type", "small")
    for library, day in (("신안 작은도서관", "2024-05-08"), ("수원 작은도서관", "2024-05-09")):
        cli("donate", "add", "--library", library, "--title", "국회도서관 70년사", "--copies", "2", "--outside-stock",
            "--date", day)
    return cli


def test_donate_list_by_a_province_of_the_year_asked(jeonnam):
    listed = _rows(jeonnam("donate", "list", "--year", "2024", "--province", "전라남도", "--format", "csv").stdout)
    assert [row["library"] for row in listed] == ["신안 작은도서관"]
    short = _rows(jeonnam("donate", "list", "--from", "2024-01-01", "--to", "2024-12-31", "--province", "전남",
                          "--format", "csv").stdout)
    assert [row["library"] for row in short] == ["신안 작은도서관"]
    # today, the merged province holds the same library
    merged = _rows(jeonnam("donate", "list", "--province", "광주특별시", "--format", "csv").stdout)
    assert [row["library"] for row in merged] == ["신안 작은도서관"]
    refused = jeonnam("donate", "list", "--year", "2026", "--province", "전라남도", ok=False)  # to today
    assert refused.exit_code == 1 and "전라남도 does not exist as of 2026-11-25" in refused.stderr


def test_batch_rows_resolve_the_province_on_the_periods_last_day(jeonnam, ledger):
    rows = donations.batch_rows(ledger.conn, "2026-11-25", date_from="2024-01-01", date_to="2024-12-31",
                                province="전라남도")
    assert [row["library"] for row in rows] == ["신안 작은도서관"]


def test_the_refusal_names_the_province_once_and_what_became_of_it(jeonnam, ledger):
    refused = jeonnam("donate", "library", "list", "--province", "전라남도", ok=False)
    assert refused.stderr.strip() == ("Error: 전라남도 does not exist as of 2026-11-25 (merged into 전남광주통합특별시 "
                                      "on 2026-07-01); give 전남광주통합특별시, or --as-of a day before 2026-07-01 for "
                                      "전라남도")
    with pytest.raises(NalcoopError, match=r"^'전남' \(전라남도\) does not exist as of 2026-11-25"):
        registry.resolve_province(ledger.conn, "전남", "2026-11-25")
    korean = jeonnam("--lang", "ko", "donate", "library", "list", "--province", "전남", ok=False)
    assert ("'전남'(전라남도)은(는) 2026-11-25 현재 없습니다(2026-07-01에 전남광주통합특별시(으)로 통합)"
            in korean.stderr)

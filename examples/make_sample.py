"""Build examples/councils-sample.xlsx: FICTIONAL sample data laid out like a real office workbook.

The councils are real; every date, reference and note is invented for the walkthrough.
Run from the repository root: python examples/make_sample.py
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).with_name("councils-sample.xlsx")

# (province as the office writes it, council as the office writes it, level)
COUNCILS = [
    ("서울", "서울특별시의회", "광역"), ("부산", "부산광역시의회", "광역"), ("대구", "대구광역시의회", "광역"),
    ("인천", "인천광역시의회", "광역"), ("광주", "광주광역시의회", "광역"), ("대전", "대전광역시의회", "광역"),
    ("울산", "울산광역시의회", "광역"), ("세종", "세종특별자치시의회", "광역"), ("경기", "경기도의회", "광역"),
    ("강원", "강원도의회", "광역"), ("충북", "충청북도의회", "광역"), ("충남", "충청남도의회", "광역"),
    ("서울", "종로구의회", "기초"), ("서울", "중구의회", "기초"), ("서울", "용산구의회", "기초"),
    ("서울", "성동구의회", "기초"), ("서울", "노원구의회", "기초"), ("서울", "마포구의회", "기초"),
    ("부산", "중구의회", "기초"), ("부산", "해운대구의회", "기초"), ("부산", "기장군의회", "기초"),
    ("대구", "중구의회", "기초"), ("대구", "달서구의회", "기초"), ("인천", "서구의회", "기초"),
    ("인천", "강화군의회", "기초"), ("광주", "광산구의회", "기초"), ("대전", "유성구의회", "기초"),
    ("울산", "울주군의회", "기초"), ("경기", "수원시의회", "기초"), ("경기", "성남시의회", "기초"),
    ("경기", "고양시의회", "기초"), ("경기", "파주시의회", "기초"), ("경기", "가평군의회", "기초"),
    ("경기", "광주시의회", "기초"), ("강원", "춘천시의회", "기초"), ("강원", "고성군의회", "기초"),
    ("충북", "청주시의회", "기초"), ("충남", "천안시의회", "기초"), ("전북", "전주시의회", "기초"),
    ("전남", "신안군의회", "기초"), ("경북", "군위군의회", "기초"), ("경북", "포항시의회", "기초"),
    ("경남", "창원시의회", "기초"), ("경남", "고성군의회", "기초"), ("제주", "제주특별자치도의회", "광역"),
]


def _date_cell(day: dt.date, rng: random.Random):
    """Offices write dates every which way; the importer takes all of these."""
    style = rng.choice(["cell", "cell", "dots", "korean", "compact"])
    if style == "dots":
        return f"{day.year}. {day.month}. {day.day}."
    if style == "korean":
        return f"{day.year}년 {day.month}월 {day.day}일"
    if style == "compact":
        return day.strftime("%Y%m%d")
    return day


def build(path: Path = OUT, seed: int = 2020) -> Path:
    rng = random.Random(seed)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "협약현황"
    sheet["A1"] = "지방의회 업무협약 추진 현황 — 가상 샘플 데이터 (FICTIONAL SAMPLE DATA: dates are invented)"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells("A1:I1")
    sheet["A2"] = "작성: 예시 부서 / 기준일 2020. 5. 31."
    sheet.merge_cells("A2:I2")
    headers = ["연번", "시도", "의회명", "구분", "요청일", "협의일", "협약일", "체결방식", "비고"]
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    start = dt.date(2013, 3, 1)
    for number, (province, council, level) in enumerate(COUNCILS, start=1):
        requested = start + dt.timedelta(days=rng.randint(0, 2400))
        consulted = requested + dt.timedelta(days=rng.randint(10, 60))
        signed = consulted + dt.timedelta(days=rng.randint(10, 90))
        outcome = rng.random()
        row = [number, province, council, level, _date_cell(requested, rng)]
        if outcome < 0.15:  # still waiting
            row += [None, None, None, "요청 접수 (가상)"]
        elif outcome < 0.25:  # in consultation
            row += [_date_cell(consulted, rng), None, None, "협의 중 (가상)"]
        else:
            mode = "서면" if rng.random() < 0.15 else "대면"
            row += [_date_cell(consulted, rng), _date_cell(signed, rng), mode, None]
        sheet.append(row)
    # The one real fact in the file: 가평군의회 signed by written exchange on 2021-05-20.
    for row in sheet.iter_rows(min_row=5):
        if row[2].value == "가평군의회":
            row[4].value, row[5].value = dt.date(2021, 3, 2), dt.date(2021, 4, 8)
            row[6].value, row[7].value = dt.date(2021, 5, 20), "서면"
            row[8].value = "코로나19로 서면 교환 체결"
    for column, width in zip("ABCDEFGHI", (6, 8, 20, 6, 16, 16, 16, 10, 24), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.save(path)
    return path


if __name__ == "__main__":
    print(build())

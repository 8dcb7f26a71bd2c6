"""Build examples/recipients-sample.xlsx: FICTIONAL sample data laid out like a real office workbook.

The institutions are real; every address line, postcode and contact in it is invented for the
walkthrough (do not post anything to them). Run from the repository root:
python examples/make_recipients.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).with_name("recipients-sample.xlsx")

# name, country as an office writes it, type as it writes it, region (Korea), address, postcode
RECIPIENTS = [
    ("Library of Congress", "미국", "국립도서관", "", "(sample) Washington, DC", "20540"),
    ("National Diet Library", "Japan", "의회도서관", "", "(sample) Chiyoda-ku, Tokyo", "100-8924"),
    ("British Library", "UK", "국립도서관", "", "(sample) London", "NW1 2DB"),
    ("Bibliothèque nationale de France", "프랑스", "국립도서관", "", "(sample) Paris", "75013"),
    ("National Library of Australia", "AU", "national library", "", "(sample) Canberra ACT", "2600"),
    ("Library of Parliament", "Canada", "의회도서관", "", "(sample) Ottawa ON", "K1A 0A9"),
    ("Harvard-Yenching Library", "USA", "대학", "", "(sample) Cambridge, MA", "02138"),
    ("UN Dag Hammarskjöld Library", "United States", "국제기구", "", "(sample) New York, NY", "10017"),
    ("부산대학교 도서관", "", "대학", "부산 금정구", "(예시) 부산광역시 금정구", "46241"),
    ("경북대학교 도서관", "대한민국", "대학", "대구 북구", "(예시) 대구광역시 북구", "41566"),
    ("제주특별자치도의회 도서실", "한국", "정부기관", "제주", "(예시) 제주특별자치도 제주시", "63122"),
    ("한국법제연구원 도서관", "KR", "연구기관", "세종", "(예시) 세종특별자치시", "30147"),
]


def build(path: Path = OUT) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "발송처"
    sheet["A1"] = "국회도서관 자료 발송처 목록 (예시 자료 — 주소·우편번호는 가상)"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(["연번", "기관명", "국가", "유형", "지역", "주소", "우편번호", "비고"])
    for number, (name, country, kind, region, address, postcode) in enumerate(RECIPIENTS, start=1):
        sheet.append([number, name, country, kind, region, address, postcode, ""])
    for column, width in zip("ABCDEFGH", (6, 34, 14, 12, 14, 30, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.save(path)
    return path


if __name__ == "__main__":
    print(f"wrote {build()}")

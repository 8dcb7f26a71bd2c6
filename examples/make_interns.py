"""Build examples/intern-applicants-sample.xlsx and examples/intern-timesheet-sample.xlsx: FICTIONAL
sample data for the apprenticeship walkthrough, laid out like real office workbooks.

Every name, e-mail and telephone here is invented (example.ac.kr is a reserved-looking placeholder);
the universities are real. Run from the repository root: python examples/make_interns.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).parent

# name, university, major, year, e-mail, telephone (as offices write them: with or without hyphens)
APPLICANTS = [
    ("김하늘", "한남대학교", "문헌정보학과", 4, "sky@example.ac.kr", "010-1111-2222"),
    ("이바다", "연세대학교", "문헌정보학과", 3, "sea@example.ac.kr", ""),
    ("박나래", "부산대학교", "문헌정보학과", 4, "", "01033334444"),
    ("최다솜", "전남대학교", "문헌정보학과", 4, "dasom@example.ac.kr", ""),
]


def title_row(sheet, text: str, width: int) -> None:
    sheet.append([text])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)


def main() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "신청자"
    title_row(sheet, "2025년 하계 현장실습 신청자 명단 (예시)", 7)
    sheet.append(["연번", "성명", "대학", "전공", "학년", "이메일", "연락처"])
    for number, row in enumerate(APPLICANTS, start=1):
        sheet.append([number, *row])
    book.save(HERE / "intern-applicants-sample.xlsx")

    book = Workbook()
    sheet = book.active
    sheet.title = "출근부"
    title_row(sheet, "2025년 하계 현장실습 출근부 (예시)", 5)
    sheet.append(["성명", "일자", "시간", "부서", "비고"])
    day = dt.date(2025, 7, 7)
    while day <= dt.date(2025, 8, 1):
        if day.weekday() < 5:
            sheet.append(["김하늘", day, "5시간", "의회정보실", "실습"])
            if day <= dt.date(2025, 7, 18):
                sheet.append(["이바다", day, 4, "법률정보실", None])
        day += dt.timedelta(days=1)
    book.save(HERE / "intern-timesheet-sample.xlsx")


if __name__ == "__main__":
    main()

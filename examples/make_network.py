"""Build examples/network-modules-sample.xlsx and examples/network-participants-sample.xlsx: FICTIONAL
sample data laid out like real office workbooks, for the legal-information network walkthrough.

The organizations are the ones `nalcoop init` loads; every module, instructor, person and hour in
these files is invented. Run from the repository root: python examples/make_network.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).parent

# position, module, hours as an office writes them, instructor, learning goals
MODULES = [
    (1, "법률정보의 이해", 3, "(예시) 강사 가", "법령·판례·의안 정보의 체계를 설명할 수 있다"),
    (2, "법령정보 검색 실습", "6시간", "(예시) 강사 나", "법령 데이터베이스로 현행·연혁 법령을 찾는다"),
    (3, "판례정보 검색 실습", 6, "(예시) 강사 다", "판례 검색 결과를 평가한다"),
    (4, "입법과정과 의안정보", 4.5, "(예시) 강사 라", "의안의 처리 단계를 추적한다"),
    (5, "외국 법률정보원", "4.5", "(예시) 강사 마", "주요국 법령 데이터베이스를 이용한다"),
    (6, "법률정보 서비스 설계", 6, "(예시) 강사 바", "이용자 질문에 맞는 서비스를 설계한다"),
]

# organization as written (Korean, English or a part), person, role, attendance, hours attended
PARTICIPANTS = [
    ("서울대학교 법학도서관", "(예시) 김가람", "교육생", "출석", 30),
    ("Yonsei University Library", "(예시) 이나래", "교육생", "출석", 27),
    ("법제연구원", "(예시) 박다솜", "교육생", "출석", 21),
    ("대한변호사협회", "(예시) 최라온", "수강생", "O", None),
    ("법제처", "(예시) 정마루", "교육생", "불참", None),
    ("국회도서관", "(예시) 강사 가", "강사", "참석", None),
]


def title_row(sheet, text: str, width: int) -> None:
    sheet.append([text])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)


def main() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "교과과정"
    title_row(sheet, "입법정보 전문가 과정 교과과정 (예시)", 5)
    sheet.append(["순서", "과목", "시간", "강사", "학습목표"])
    for row in MODULES:
        sheet.append(list(row))
    book.save(HERE / "network-modules-sample.xlsx")

    book = Workbook()
    sheet = book.active
    sheet.title = "출석부"
    title_row(sheet, "2024 입법정보 전문가 과정 출석부 (예시)", 6)
    sheet.append(["연번", "소속기관", "성명", "구분", "출석", "이수시간"])
    for number, row in enumerate(PARTICIPANTS, start=1):
        sheet.append([number, *row])
    book.save(HERE / "network-participants-sample.xlsx")


if __name__ == "__main__":
    main()

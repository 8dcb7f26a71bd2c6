"""What an import reads and reports: the limits and field types, the column map's fields, a rejected cell
located as Excel shows it, a row as read, the result of reading a table and the counts of an import."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from nalcoop.errors import NalcoopError, RowsRejected  # noqa: F401 (RowsRejected: importers raise it from here)
from nalcoop.i18n import _, current
from nalcoop.vocabulary import Term, Vocabulary

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
HEADER_SCAN_ROWS = 30
FIELD_TYPES = ("text", "code", "date", "int", "choice", "isbn", "hours")
MAX_HOURS = 2_000.0  # in one cell or option: more is a typing mistake


class ImportFileError(NalcoopError):
    """The file as a whole cannot be imported (missing, not a spreadsheet, no header...)."""


# What an import did with a row, said in the run's language ("3 created" / "추가 3건").
OUTCOMES = Vocabulary("import outcome", [
    Term("created", "추가", "created"),
    Term("changed", "변경", "changed"),
    Term("unchanged", "변경 없음", "unchanged"),
    Term("rejected", "거부", "rejected"),
    Term("subscribed", "정기 발송 명단 등록", "subscribed"),
    Term("removed", "삭제", "removed"),
    Term("logged", "기록", "logged"),
])


def counted(outcomes: dict[str, int]) -> str:
    """'3 created, 1 changed' / '추가 3건, 변경 1건': an import's totals."""
    return ", ".join(_("{count} {outcome}").format(count=count, outcome=OUTCOMES.said(outcome))
                     for outcome, count in outcomes.items())


def row_detail(row: int, label: str, outcome: str, more: str = "") -> str:
    """One line of an import's report: 'row 5: 서울특별시의회 — created (request, sign)' in the run's language."""
    line = _("row {row}: {label} — {outcome}").format(row=row, label=label, outcome=OUTCOMES.said(outcome))
    return f"{line} ({more})" if more else line


@dataclass
class ImportCounts:
    """What an import of records did (or would do, in a dry run): created, changed, unchanged, row by row."""

    file: str
    outcomes: dict[str, int] = field(default_factory=lambda: {"created": 0, "changed": 0, "unchanged": 0})
    details: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return counted(self.outcomes)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    aliases: tuple[str, ...]
    type: str = "text"  # text | code | date | int | choice | isbn
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)  # normalized spelling -> value
    label: str = ""  # what the field is called in English ...
    label_ko: str = ""  # ... and in Korean (the map's `label_ko`), shown by `shown`
    minimum: int | None = None  # for int fields: the smallest value allowed
    counters: tuple[str, ...] = ()  # for int fields: the counters a number may carry (3권, 5부)

    @property
    def shown(self) -> str:
        """The field's name for a person, in the run's language (a map without `label_ko` says its `label`)."""
        return self.label_ko if self.label_ko and current() == "ko" else self.label


@dataclass(frozen=True)
class ColumnMap:
    name: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.name == name)


@dataclass
class CellProblem:
    """One rejected value, located the way Excel shows it."""

    file: str
    sheet: str | None
    row: int
    column: str  # "C (협약일)"
    value: object
    why: str

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(_("sheet {sheet}").format(sheet=self.sheet))
        where.append(_("row {row}").format(row=self.row))
        if self.column:
            lettered = re.fullmatch(r"([A-Z]+) \((.*)\)", self.column)  # "C (협약일)", as SourceRow.columns has it
            where.append(_("column {letter} ({header})").format(letter=lettered[1], header=lettered[2]) if lettered
                         else _("column {column}").format(column=self.column))
        where = ", ".join(where)
        shown = ""
        if self.value not in (None, "") and _show(self.value) not in self.why:
            shown = f" {_show(self.value)}:"
        return f"{where}:{shown} {self.why}"


@dataclass
class SourceRow:
    sheet: str | None
    row: int  # as Excel numbers it (1-based)
    values: dict[str, Any]
    columns: dict[str, str]  # field -> "C (협약일)", for error messages

    def problem(self, file: str, field_name: str | None, why: str) -> CellProblem:
        column = self.columns.get(field_name, "") if field_name else ""
        value = self.values.get(field_name) if field_name else None
        return CellProblem(file, self.sheet, self.row, column, value, why)


@dataclass
class ReadResult:
    file: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]
    rows: list[SourceRow]
    problems: list[CellProblem]
    ignored_headers: list[str]
    warnings: list[str] = field(default_factory=list)
    header_rows: int = 1  # 2 for a grouped two-row header
    mapped: list[tuple[str, str]] = field(default_factory=list)  # (header as read, the field it fills)

    @property
    def header_note(self) -> str:
        """'header on rows 3–4; 추진 일자/요청일 → request date, ...': where the header was and what each column
        was taken for."""
        last = self.header_row + self.header_rows - 1
        said = (_("header on row {row}").format(row=self.header_row) if last == self.header_row
                else _("header on rows {first}–{last}").format(first=self.header_row, last=last))
        taken = ", ".join(f"{header} → {label}" for header, label in self.mapped)
        return f"{said}; {taken}" if taken else said


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 13.0 in a cell is the 13 the librarian typed
    text = value.isoformat() if isinstance(value, (_dt.date, _dt.datetime)) else str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def normalize_header(text: object) -> str:
    return re.sub(r"[\s_\-./:*·()\[\]{}<>'\"]+", "", str(text)).lower()


def normalize_choice(text: object) -> str:
    return re.sub(r"[\s_\-]+", "", str(text)).lower()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters

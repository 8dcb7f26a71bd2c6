"""User-facing errors: one sentence that says what was wrong, where, and what to do."""

from __future__ import annotations

import functools
from typing import Protocol

from nalcoop.i18n import ngettext

# C0 controls and DEL as their Unicode pictures (ESC as ␛, BEL as ␇): a terminal would obey them (a window
# title, a cleared screen, colours). C1 controls (U+0080-U+009F: U+009B is a one-byte CSI) and the
# invisible bidirectional marks (U+202E turns the rest of a line around) have no pictures: shown as \uXXXX.
_PICTURES = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}
_ESCAPED = {code: f"\\u{code:04x}" for code in [*range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                                                  *range(0x2066, 0x206A)]}
_VISIBLE = {**_PICTURES, **_ESCAPED}


def shortened(text: object, limit: int = 60) -> str:
    """What a librarian typed, as an error message quotes it: cut short if a whole paragraph was pasted."""
    shown = str(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def visible(text: object, *, keep: str = "") -> str:
    """`text` safe for a terminal: every control character a visible escape, never obeyed.

    The one function every path that shows user text on a terminal goes through: error lines, import
    reports, confirmations and tables. `keep` names characters that keep their meaning (a table cell keeps
    tab and line break; a one-line message keeps none).
    """
    return str(text).translate(_table_keeping(keep))


@functools.cache
def _table_keeping(keep: str) -> dict[int, object]:
    return {code: shown for code, shown in _VISIBLE.items() if chr(code) not in keep}


class NalcoopError(Exception):
    """A mistake in the user's input or environment: printed as one line, exit code 1.

    Never carries a traceback to the terminal; the message is the whole story.
    """

    exit_code = 1


class UsageError(NalcoopError):
    """A command was called with a missing or malformed value (exit code 2, like click)."""

    exit_code = 2


class FieldError(NalcoopError):
    """A wrong value of one field of a record (a participant's hours, an applicant's e-mail): names the
    field, so that an import can point at the column it came from. Groups subclass it with their own base."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class LocatedProblem(Protocol):
    """One rejected value and where it was (nalcoop.importer.CellProblem)."""

    sheet: str | None
    row: int


class RowsRejected(NalcoopError):
    """Some rows were wrong, so nothing was imported; `problems` locates each one. (Here rather than in the
    importer, so that a command that only lists need not load the importer.)"""

    def __init__(self, file: str, problems: list[LocatedProblem], rows: int):
        self.problems = problems
        rejected = len({(p.sheet, p.row) for p in problems})
        super().__init__(ngettext(
            "{file}: {rejected} of {rows} row rejected; nothing was imported. Fix the rows listed above and import "
            "again",
            "{file}: {rejected} of {rows} rows rejected; nothing was imported. Fix the rows listed above and import "
            "again", rows).format(file=file, rejected=rejected, rows=rows))

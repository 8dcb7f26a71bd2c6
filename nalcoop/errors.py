"""User-facing errors: one sentence that says what was wrong, where, and what to do."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nalcoop.importer import CellProblem


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


class RowsRejected(NalcoopError):
    """Some rows were wrong, so nothing was imported; `problems` locates each one. (Here rather than in the
    importer, so that a command that only lists need not load the importer.)"""

    def __init__(self, file: str, problems: list[CellProblem], rows: int):
        self.problems = problems
        rejected = len({(p.sheet, p.row) for p in problems})
        super().__init__(
            f"{file}: {rejected} of {rows} rows rejected; nothing was imported. "
            "Fix the rows listed above and import again"
        )

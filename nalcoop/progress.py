"""A progress bar on stderr for long work (imports, undo, dispatch runs, reports, backups, purges), and the one
line a long command prints when Ctrl-C stops it.

The bar appears only when stderr is a terminal that can redraw a line (not TERM=dumb) and the work has already
taken about a second, so quick commands and pipes stay silent: nothing is written to a redirected stderr.
Rich's progress is imported only when a bar is drawn; NO_COLOR is honoured by Rich itself.

One activity a command (`activity`) goes through stages — reading, checking, writing — each of which may know
its total (`stage`, `advance`); `track` is a stage over an iterable. Code deep in the importer or the ledger
calls `stage`/`advance`/`pulse` without knowing whether a bar is drawn.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

T = TypeVar("T")
DELAY_SECONDS = 1.0
INTERRUPTED_EXIT = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C

_interrupted_words: str | None = None  # None: "nothing was changed"
_quiet = False  # --quiet: no messages and no bar, only errors


def set_quiet(quiet: bool) -> None:
    """--quiet for the command that runs: `note` prints nothing and no bar is drawn (errors still are)."""
    global _quiet
    _quiet = quiet


def note(text: str) -> None:
    """A message for the person at the terminal (a confirmation, an import report, "wrote 12 rows to ..."): on
    stderr, so that pipes carry only data, above the bar while one is drawn; nothing with --quiet."""
    if _quiet:
        return
    if not message(text):
        print(text, file=sys.stderr, flush=True)


def on_interrupt(words: str) -> None:
    """What the command in progress leaves undone if Ctrl-C stops it ("nothing was imported")."""
    global _interrupted_words
    _interrupted_words = words


def interrupted_message() -> str:
    from nalcoop.i18n import _

    return _("interrupted: {words}").format(words=_interrupted_words or _("nothing was changed"))


def _is_terminal(stream: IO[str] | None) -> bool:
    if os.environ.get("TERM") == "dumb":  # a terminal that cannot redraw a line gets no bar
        return False
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


class Activity:
    """One command's long work: a bar drawn once `delay` seconds have passed, on a terminal only."""

    def __init__(self, description: str, stream: IO[str], delay: float, clock) -> None:
        self.description, self.stream, self.delay, self.clock = description, stream, delay, clock
        self.shown = _is_terminal(stream) and not _quiet
        self.started = clock()
        self.bar = self.task = None
        self.stage_name, self.total, self.done = description, None, 0
        self.last_refresh = self.started

    def stage(self, name: str, total: int | None = None) -> None:
        self.stage_name, self.total, self.done = name, total, 0
        if self.bar is not None:
            self.bar.update(self.task, description=name, total=total, completed=0)
        self._maybe_draw()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.shown:
            self._maybe_draw()

    def _maybe_draw(self) -> None:
        if not self.shown:
            return
        now = self.clock()
        if self.bar is None:
            if now - self.started < self.delay:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(file=self.stream), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.stage_name, total=self.total, completed=self.done)
        elif now - self.last_refresh >= 0.1:
            self.bar.update(self.task, completed=self.done)
        else:
            return
        self.last_refresh = now

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done)
            self.bar.stop()
            self.bar = None


_current: Activity | None = None


@contextmanager
def activity(description: str, *, stream: IO[str] | None = None, delay: float = DELAY_SECONDS,
             clock=time.monotonic) -> Iterator[Activity]:
    """The bar of one command's work; nested calls share the outer one."""
    global _current
    if _current is not None:
        yield _current
        return
    _current = Activity(description, sys.stderr if stream is None else stream, delay, clock)
    try:
        yield _current
    finally:
        _current.close()
        _current = None


def stage(name: str, total: int | None = None) -> None:
    """The next stage of the command's work: begins the command's activity (ended by `finish`) if none is on."""
    global _current
    if _current is None:
        _current = Activity(name, sys.stderr, DELAY_SECONDS, time.monotonic)
    _current.stage(name, total)


def finish() -> None:
    """End the command's activity: the bar is taken off the terminal (the root calls this after every command)."""
    global _current
    if _current is not None:
        _current.close()
        _current = None


def message(text: str) -> bool:
    """Print a line above the bar while one is drawn (a line written straight to the terminal would be glued to
    the bar and leave stale bars behind); False when no bar is on the screen."""
    if _current is None or _current.bar is None:
        return False
    _current.bar.console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)
    return True


def advance(count: int = 1) -> None:
    if _current is not None:
        _current.advance(count)


def pulse() -> int:
    """For SQLite's progress handler during one long statement: redraw if due; 0 lets the statement go on."""
    if _current is not None:
        _current.advance(0)
    return 0


def track(items: Iterable[T], description: str, *, total: int | None = None, stream: IO[str] | None = None,
          delay: float = DELAY_SECONDS, clock=time.monotonic) -> Iterator[T]:
    """Yield `items` as one stage of the current activity (or of one of their own)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with activity(description, stream=stream, delay=delay, clock=clock) as work:
        work.stage(description, total)
        for item in items:
            yield item
            work.advance()

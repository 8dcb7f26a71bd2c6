"""A progress bar on stderr for long work (imports, undo, dispatch runs, reports).

It appears only when stderr is a terminal and the work has already taken about a second, so
quick commands and pipes stay silent: nothing is written to a redirected stderr.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")
DELAY_SECONDS = 1.0


def _is_terminal(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


def track(items: Iterable[T], description: str, *, total: int | None = None, stream: IO[str] | None = None,
          delay: float = DELAY_SECONDS, clock=time.monotonic) -> Iterator[T]:
    """Yield `items`, drawing a bar once `delay` seconds have passed, if `stream` is a terminal."""
    stream = sys.stderr if stream is None else stream
    if not _is_terminal(stream):
        yield from items
        return
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    started = clock()
    bar = None
    task = None
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            if bar is None and clock() - started >= delay:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

                bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                               TimeRemainingColumn(), console=Console(file=stream), transient=True)
                bar.start()
                task = bar.add_task(description, total=total, completed=done)
            elif bar is not None and done % 64 == 0:
                bar.update(task, completed=done)
    finally:
        if bar is not None:
            bar.update(task, completed=done)
            bar.stop()

"""What the CLI-heavy test files share: the click command tree built once, and a ledger made by a list of
commands (once per module; each test then gets a byte copy)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nalcoop.cli import app


@functools.cache
def _command():
    return typer.main.get_command(app)


@contextmanager
def built_once() -> Iterator[None]:
    """Build the click command tree once, not per run (typer's CliRunner rebuilds it from the Typer app
    each time: most of a short run). Without the hook (another typer), runs are only slower."""
    with pytest.MonkeyPatch.context() as patch:
        if hasattr(typer.testing, "_get_command"):
            patch.setattr(typer.testing, "_get_command", lambda _app: _command())
        yield


def ledger_made_by(folder: Path, initialised: bytes, commands: Sequence[Sequence[str]]) -> bytes:
    """An initialised ledger in `folder` after `commands` (each must succeed), as bytes to copy per test.
    Nothing but the ledger may be left in the folder: no -wal file, no backup."""
    path = folder / "ledger.db"
    path.write_bytes(initialised)
    runner = CliRunner(env={"NALCOOP_DB": None, "NALCOOP_TODAY": "2026-11-25", "NO_COLOR": "1",
                            "HOME": str(folder / "home"), "XDG_DATA_HOME": str(folder / "home" / "share")})
    with built_once():
        for args in commands:
            result = runner.invoke(app, ["--db", str(path), *args])
            assert result.exit_code == 0, f"nalcoop {' '.join(args)} failed:\n{result.output}"
    assert sorted(p.name for p in folder.iterdir() if p.name != "home") == ["ledger.db"]
    return path.read_bytes()

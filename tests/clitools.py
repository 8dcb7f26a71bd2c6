"""What the CLI-heavy test files share: a ledger made by a list of commands (once per module; each test then
gets a byte copy). The command tree is built once a session by conftest's _cli_built_once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from typer.testing import CliRunner

from nalcoop.cli import app


def ledger_made_by(folder: Path, initialised: bytes, commands: Sequence[Sequence[str]]) -> bytes:
    """An initialised ledger in `folder` after `commands` (each must succeed), as bytes to copy per test.
    Nothing but the ledger may be left in the folder: no -wal file, no backup."""
    path = folder / "ledger.db"
    path.write_bytes(initialised)
    runner = CliRunner(env={"NALCOOP_DB": None, "NALCOOP_TODAY": "2026-11-25", "NO_COLOR": "1",
                            "HOME": str(folder / "home"), "XDG_DATA_HOME": str(folder / "home" / "share")})
    for args in commands:
        result = runner.invoke(app, ["--db", str(path), *args])
        assert result.exit_code == 0, f"nalcoop {' '.join(args)} failed:\n{result.output}"
    assert sorted(p.name for p in folder.iterdir() if p.name != "home") == ["ledger.db"]
    return path.read_bytes()

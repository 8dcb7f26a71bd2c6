"""Shared fixtures: a fresh ledger per test in tmp_path, and a CLI runner bound to it."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from nalcoop import i18n
from nalcoop.cli import app
from nalcoop.ledger.store import Ledger

from . import profiles

profiles.load()  # before any test module is collected: their example counts follow the profile

# The suite runs in English (it was written against English output): module- and session-scoped fixtures and
# spawned processes included. A test of another language sets NALCOOP_LANG itself (monkeypatch restores this).
os.environ["NALCOOP_LANG"] = "en"


@functools.cache
def _root_command():
    return typer.main.get_command(app)


@pytest.fixture(scope="session", autouse=True)
def _cli_built_once():
    """Every CliRunner.invoke of the session reuses one built command tree: typer's runner would build the root
    again for each run (nalcoop.cli builds each group once a process, when it is first invoked)."""
    with pytest.MonkeyPatch.context() as patch:
        if hasattr(typer.testing, "_get_command"):  # without the hook (another typer), runs are only slower
            typer_builds = typer.testing._get_command
            patch.setattr(typer.testing, "_get_command",
                          lambda given: _root_command() if given is app else typer_builds(given))
        yield


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test reads the real per-user ledger or depends on today's date, or on the language of the machine."""
    monkeypatch.delenv("NALCOOP_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.setenv("NALCOOP_TODAY", "2026-11-25")
    monkeypatch.setenv("NO_COLOR", "1")
    # The suite was written in English: every test runs in English unless it chooses its language (a test of
    # the Korean text passes --lang ko or sets NALCOOP_LANG itself). Korean is the default for people only.
    monkeypatch.setenv("NALCOOP_LANG", "en")
    yield
    i18n.set_language(None)  # a --lang given to one run does not carry into the next test


@pytest.fixture(scope="session")
def _initialised_template(tmp_path_factory) -> bytes:
    """Build one initialised ledger per session; each test gets a byte copy (fast and independent)."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    result = CliRunner().invoke(app, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.output
    return path.read_bytes()


@pytest.fixture
def db_path(tmp_path, _initialised_template) -> Path:
    path = tmp_path / "ledger.db"
    path.write_bytes(_initialised_template)
    return path


@pytest.fixture
def ledger(db_path):
    opened = Ledger.open(db_path)
    yield opened
    opened.close()


class Cli:
    """Run nalcoop against one ledger, the way a librarian would type it."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True, input: str | None = None):
        result = self.runner.invoke(app, ["--db", str(self.db_path), *args], input=input)
        if ok:
            assert result.exit_code == 0, f"nalcoop {' '.join(args)} failed:\n{result.output}"
        return result


@pytest.fixture
def cli(db_path) -> Cli:
    return Cli(db_path)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Figures:
    """Figures the suite measures (crash trials, concurrent commands, fuzz examples, peak memory),
    printed at the end of the run under "nalcoop figures" so a closing note can quote them."""

    def __init__(self):
        self.lines: list[tuple[str, str, object]] = []

    def record(self, section: str, label: str, value: object) -> None:
        self.lines.append((section, label, value))


_FIGURES = Figures()


@pytest.fixture(scope="session")
def figures() -> Figures:
    return _FIGURES


def pytest_sessionfinish(session):
    """On an xdist worker: hand the figures it measured to the controller, which prints them all."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["nalcoop_figures"] = [list(line) for line in _FIGURES.lines]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """On the xdist controller: the figures of a worker that has finished its files."""
    for section, label, value in getattr(node, "workeroutput", {}).get("nalcoop_figures", []):
        _FIGURES.record(section, label, value)


def pytest_terminal_summary(terminalreporter):
    if not _FIGURES.lines:
        return
    terminalreporter.section("nalcoop figures")
    for section, label, value in sorted(_FIGURES.lines, key=lambda line: line[0]):
        terminalreporter.write_line(f"{section:>12}: {label}: {value}")

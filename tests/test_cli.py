"""The command line as a whole: entry points, --version, help with examples, prompts only at a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from nalcoop import __version__
from nalcoop.cli import app


def _all_commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _all_commands(sub, (*path, name))


COMMANDS = [path for path, _ in _all_commands(get_command(app))]


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.stdout.strip() == f"nalcoop {__version__}"


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "nalcoop")
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"nalcoop {' '.join(path)} --help shows no example"


def test_groups_without_a_command_show_their_help():
    result = CliRunner().invoke(app, ["agreement"])
    assert "request" in result.output and "import" in result.output


def test_a_missing_required_value_in_a_pipe_is_a_usage_error_not_a_prompt(cli):
    result = cli("agreement", "request", "종로구", ok=False, input="2020-01-01\n")
    assert result.exit_code == 2
    assert "missing option '--date'" in result.stderr
    assert "Date of the step" not in result.stdout


def test_a_missing_required_value_at_a_terminal_is_asked_for(cli, monkeypatch):
    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: True)
    result = cli("agreement", "request", "종로구", input="2020-01-01\n")
    assert "Date of the step" in result.output
    assert "request recorded on 2020-01-01" in result.stderr


def test_a_bad_date_option_names_the_option_and_the_reason(cli):
    result = cli("agreement", "request", "종로구", "--date", "2020-02-30", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --date: '2020-02-30' is not a date: February 2020 has 29 days"


def _installed_nalcoop() -> str:
    return str(Path(sys.executable).with_name("nalcoop"))


def test_the_console_script_and_python_dash_m_run_from_the_installed_package(tmp_path):
    """Run outside the source tree, so that the installed package (with its data files) is what runs."""
    env = {**os.environ, "NALCOOP_DB": str(tmp_path / "ledger.db"), "NO_COLOR": "1"}
    version = subprocess.run([sys.executable, "-m", "nalcoop", "--version"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"nalcoop {__version__}"
    init = subprocess.run([_installed_nalcoop(), "init"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    listed = subprocess.run([_installed_nalcoop(), "agreement", "councils", "--level", "provincial"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    lines = listed.stdout.splitlines()
    assert lines[0] == "council,english,province,level,kind,code"
    assert len(lines) == 17  # a header and today's 16 provincial-level councils (the 2026-07-01 merger)
    assert "\x1b" not in listed.stdout


def test_an_error_is_one_line_on_stderr_with_no_traceback_from_the_real_process(tmp_path):
    env = {**os.environ, "NO_COLOR": "1"}
    missing = tmp_path / "missing.xlsx"
    subprocess.run([_installed_nalcoop(), "--db", str(tmp_path / "l.db"), "init"], env=env, check=True,
                   capture_output=True)
    result = subprocess.run([_installed_nalcoop(), "--db", str(tmp_path / "l.db"), "agreement", "import",
                             str(missing)], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: {missing} does not exist; check the file name and folder"]
    assert result.stdout == ""


LEAF_COMMANDS = [path for path, command in _all_commands(get_command(app)) if path and not hasattr(command, "commands")]


@pytest.mark.parametrize("path", LEAF_COMMANDS, ids=lambda p: " ".join(p))
def test_the_readme_shows_every_command(path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"nalcoop {' '.join(path)}" in readme


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["registry", "rename", "종로구", "--date", "2030-01-01", "--source", "x"], "--name"),
        (["registry", "recode", "종로구", "--date", "2030-01-01", "--source", "x"], "--code"),
        (["registry", "move", "종로구", "--date", "2030-01-01", "--source", "x"], "--province"),
        (["registry", "create", "새구", "--date", "2030-01-01", "--source", "x"], "--type"),
        (["registry", "merge", "종로구", "중랑구", "--date", "2030-01-01", "--source", "x"], "--into"),
        (["registry", "split", "종로구", "--date", "2030-01-01", "--source", "x"], "--new"),
        (["registry", "abolish", "종로구", "--date", "2030-01-01"], "--source"),
        (["agreement", "sign", "종로구", "--date", "2020-01-01"], "--mode"),
        (["agreement", "follow-up", "종로구", "--date", "2020-01-01"], "--type"),
    ],
)
def test_every_required_value_is_a_usage_error_in_a_pipe(cli, db_path, args, option):
    before = db_path.read_bytes()
    result = cli(*args, ok=False)
    assert result.exit_code == 2
    assert f"missing option '{option}'" in result.stderr
    assert db_path.read_bytes() == before

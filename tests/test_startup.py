"""Start-up: a command imports and builds only what it runs (issue 21). The root lists every group without
importing one, a group is built when invoked, and no heavy library is loaded by a plain listing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from typer.main import get_command

from nalcoop import cli
from nalcoop.cli import COMMANDS, app
from nalcoop.render import display_width

# Libraries that only some commands need: a short command that loads one pays for it on every run.
HEAVY = ("openpyxl", "rich", "yaml", "python_calamine", "rapidfuzz", "sqlite_utils", "stdnum", "defusedxml", "fpdf",
         "fontTools", "importlib.resources", "holidays", "platformdirs", "datasette", "uvicorn")
GROUP_MODULES = sorted({target.split(":")[0] for target, _ in COMMANDS.values()})

PROBE = textwrap.dedent(
    """
    import json, sys
    argv = sys.argv[1:]
    if argv == ["import-only"]:
        import nalcoop.cli
    else:
        from nalcoop.cli import app
        try:
            app(argv, prog_name="nalcoop")
        except SystemExit as exit:
            code = exit.code
    from nalcoop import cli
    print(json.dumps({"modules": sorted(sys.modules), "built": [" ".join(path) for path in cli._BUILT]}))
    """
)


def _loaded(*argv: str, env: dict[str, str] | None = None) -> dict[str, list[str]]:
    """The modules a fresh process holds after running nalcoop with `argv`, and the commands it built."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _crept_in(modules: list[str], allowed: tuple[str, ...] = ()) -> list[str]:
    heavy = [name for name in modules if name in HEAVY or name.split(".")[0] in HEAVY]
    groups = [name for name in modules if name in GROUP_MODULES and name not in allowed]
    return sorted(heavy + groups)


def test_importing_the_command_line_loads_no_group_and_no_heavy_library():
    loaded = _loaded("import-only")
    assert _crept_in(loaded["modules"]) == [], f"crept in at import: {_crept_in(loaded['modules'])}"
    assert loaded["built"] == []


# Modules of nalcoop a listing has no use for: the migrations (opening a ledger reads its version from
# ledger/schema.py), the importer, and the workbook import and export of an activity.
NOT_FOR_LISTINGS = ("nalcoop.ledger.migrations", "nalcoop.importer", "nalcoop.agreements.imports")


def test_a_plain_listing_loads_its_own_group_only(db_path):
    loaded = _loaded("--db", str(db_path), "agreement", "councils", "--format", "csv")
    crept = _crept_in(loaded["modules"], allowed=("nalcoop.commands.agreement",))
    assert crept == [], f"crept in during `agreement councils`: {crept}"
    needless = [name for name in loaded["modules"] if name.startswith(NOT_FOR_LISTINGS)]
    assert needless == [], f"loaded by `agreement councils`, which does not need them: {needless}"
    assert "nalcoop.commands.agreement" in loaded["modules"]
    assert loaded["built"] == ["agreement", "agreement councils"]


DATACLASS_PROBE = textwrap.dedent(
    """
    import dataclasses, json, sys
    made = []
    real = dataclasses._process_class
    def spy(cls, *args, **kwargs):
        made.append(f"{cls.__module__}.{cls.__qualname__}")
        return real(cls, *args, **kwargs)
    dataclasses._process_class = spy
    from nalcoop.cli import app
    try:
        app(sys.argv[1:], prog_name="nalcoop")
    except SystemExit:
        pass
    print(json.dumps(made))
    """
)


@pytest.mark.parametrize("group", ["agreement", "donate", "distribute", "network", "intern"])
def test_a_listing_makes_no_dataclass(db_path, group):
    """Making a dataclass costs about half a millisecond (its methods are compiled from source): the records a
    listing's modules declare are NamedTuples or plain classes, so that a listing pays for none."""
    done = subprocess.run([sys.executable, "-c", DATACLASS_PROBE, "--db", str(db_path), group, "list",
                           "--format", "csv"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_root_help_lists_every_group_without_importing_one():
    loaded = _loaded("--help")
    assert _crept_in(loaded["modules"]) == []
    assert loaded["built"] == []


def test_a_nested_command_builds_its_path_alone(db_path):
    loaded = _loaded("--db", str(db_path), "distribute", "recipient", "list", "--format", "csv")
    assert loaded["built"] == ["distribute", "distribute recipient", "distribute recipient list"]
    assert "nalcoop.commands.donate" not in loaded["modules"]


def test_completing_a_group_builds_that_group_alone():
    env = {"_NALCOOP_COMPLETE": "complete_bash", "COMP_WORDS": "nalcoop agreement ", "COMP_CWORD": "2"}
    loaded = _loaded(env=env)
    assert {path.split()[0] for path in loaded["built"]} == {"agreement"}
    assert _crept_in(loaded["modules"], allowed=("nalcoop.commands.agreement",)) == []


def test_completion_offers_the_groups_commands_and_the_roots_entries():
    def complete(words: str, cword: int) -> list[str]:
        env = {**os.environ, "_NALCOOP_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        done = subprocess.run([sys.executable, "-c", "from nalcoop.cli import main; main()"], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert {"sign", "list", "councils", "import"} <= set(complete("nalcoop agreement ", 2))
    assert complete("nalcoop dis", 1) == ["distribute"]
    assert set(complete("nalcoop ", 1)) == set(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_root_summary_is_the_first_paragraph_of_that_commands_help(name):
    """The root lists its commands from COMMANDS; each summary must say what the command's own help says (cut
    as click cuts it, counting columns where the summary names a Korean term)."""
    from nalcoop.commands.translation import short_help

    command = cli.build(name)
    for width in (30, 45, 60, 200):
        assert short_help(COMMANDS[name][1], width) == command.get_short_help_str(width), name


def test_root_help_is_what_typer_prints_for_the_whole_tree_built_at_once():
    """The lazily built root prints, word for word, the help Typer gives when every group is added up front."""
    import importlib

    import typer
    from typer.core import TyperGroup
    from typer.testing import CliRunner

    eager = typer.Typer(cls=TyperGroup, name="nalcoop", help=app.info.help, no_args_is_help=True,
                        rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})
    eager.callback()(app.registered_callback.callback)
    for name, (target, _) in COMMANDS.items():
        module, attribute = target.split(":")
        found = getattr(importlib.import_module(module), attribute)
        if isinstance(found, typer.Typer):
            eager.add_typer(found, name=name)
        else:
            eager.command()(found)
    runner = CliRunner()
    lazy_lines = runner.invoke(app, ["--help"]).stdout.splitlines()
    eager_lines = runner.invoke(eager, ["--help"]).stdout.splitlines()
    # A summary that names a Korean term is cut by columns (Hangul takes two), not characters as Typer cuts it:
    # its line differs from Typer's in where it is cut, and fits one line where Typer's wraps onto a second.
    korean = {name for name, (_target, summary) in COMMANDS.items() if not summary.isascii()}
    assert korean, "some English summaries name their Korean term"

    def plain(lines: list[str]) -> list[str]:
        kept, skipping = [], False
        for line in lines:
            words = line.split()
            if words and line.startswith("  ") and not line.startswith("   "):
                skipping = words[0] in korean
            elif not line.startswith("   "):
                skipping = False
            if not skipping:
                kept.append(line)
        return kept

    assert plain(lazy_lines) == plain(eager_lines)
    for line in lazy_lines:
        if line.split()[:1] and line.split()[0] in korean and line.startswith("  "):
            assert display_width(line) <= 80 and line.endswith(("...", ".")), line


def test_every_group_is_still_reachable_through_the_whole_tree():
    """Tools and tests that walk the tree (help, the grammar, the injection review) still see every command."""
    root = get_command(app)
    assert list(root.commands) == list(COMMANDS)
    distribute = root.commands["distribute"]
    assert {"publication", "issue", "recipient", "send", "labels"} <= set(distribute.commands)
    assert "list" in distribute.commands["recipient"].commands


def test_version_is_answered_without_the_command_line(tmp_path):
    probe = ("import sys; sys.argv = ['nalcoop', '--version']; from nalcoop.launcher import main; main(); "
             "print(sorted(m for m in ('typer', 'nalcoop.cli') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    from nalcoop import __version__

    assert done.stdout.splitlines() == [f"nalcoop {__version__}", "[]"]


def test_a_misspelt_group_is_refused_with_a_suggestion_and_nothing_built():
    from typer.testing import CliRunner

    before = dict(cli._BUILT)
    result = CliRunner().invoke(app, ["agreemnt"])
    assert result.exit_code == 2
    assert "No such command 'agreemnt'. Did you mean 'agreement'?" in result.output
    assert dict(cli._BUILT) == before


def test_the_readmes_first_run_fills_a_sample_ledger_and_leaves_the_real_one_alone(tmp_path):
    """The install-and-run command imports 45 invented agreements: into a ledger of its own, never the default."""
    import re
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Install and run (one command)")[1].split("```sh")[1].split("```")[0]
    steps = [step.strip() for step in block.strip().split("&&") if step.strip().startswith("nalcoop ")]
    assert [step.split()[1:3] for step in steps] == [["--db", "sample.db"]] * 3, steps
    shutil.copytree(root / "examples", tmp_path / "examples")
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share"), "NO_COLOR": "1"}
    env.pop("NALCOOP_DB", None)
    nalcoop = str(Path(sys.executable).with_name("nalcoop"))
    outputs = []
    for step in steps:
        done = subprocess.run([nalcoop, *step.split()[1:]], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, (step, done.stderr)
        outputs.append(done.stdout + done.stderr)
    assert re.search(r"45 created", outputs[1])
    assert (tmp_path / "sample.db").is_file()
    assert not (home / "share" / "nalcoop").exists(), "the first run touched the per-user ledger"
    info = subprocess.run([nalcoop, "--db", "sample.db", "info", "--format", "csv"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert info.stdout.splitlines()[1:3] == ["ledger,sample.db", "chosen by,option --db"]

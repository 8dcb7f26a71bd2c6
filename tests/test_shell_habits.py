"""The habits shell users bring (issue 23, points 4-6): --yes for what cannot be undone, --dry-run on the
registry's abolitions, mergers and splits, --quiet, the old option spellings kept as aliases, and one rule
for where reports go — through the CLI and the functions beneath it."""

from __future__ import annotations

import json

import pytest
import typer
from typer.main import get_command

from nalcoop.cli import app
from nalcoop.commands import common
from nalcoop.errors import UsageError

from .test_bad_input import _csv, untouched


def _all_commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _all_commands(sub, (*path, name))


def _options(command) -> set[str]:
    return {opt for param in command.params for opt in param.opts}


def _at_a_terminal(monkeypatch):
    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: True)


# ------------------------------------------------------------------ the confirm rule, at function level


def test_confirm_goes_ahead_with_yes_and_refuses_in_a_script_naming_yes():
    common.confirm("abolish 종로구", yes=True)  # no question, no refusal
    with pytest.raises(UsageError, match=r"this would abolish 종로구: .*--yes \(-y\).*Nothing was done"):
        common.confirm("abolish 종로구", yes=False)  # pytest's stdin is no terminal


def test_confirm_at_a_terminal_asks_and_a_no_stops(monkeypatch):
    _at_a_terminal(monkeypatch)
    monkeypatch.setattr(typer, "prompt", lambda *args, **kwargs: "n")
    with pytest.raises(typer.Exit):
        common.confirm("abolish 종로구", yes=False)
    monkeypatch.setattr(typer, "prompt", lambda *args, **kwargs: "예")
    common.confirm("abolish 종로구", yes=False)


# ------------------------------------------------------------------ --yes through the CLI


def test_every_command_that_writes_an_output_file_takes_yes():
    missing = [" ".join(path) for path, command in _all_commands(get_command(app))
               if "--output" in _options(command) and not {"--yes", "-y"} <= _options(command)]
    assert missing == []


def test_output_over_an_existing_file_is_refused_in_a_script_and_replaced_with_yes(cli, tmp_path):
    out = tmp_path / "info.csv"
    fresh = cli("info", "-o", str(out))  # a new file: nothing to ask
    assert "wrote" in fresh.stderr
    out.write_text("my notes")
    refused = cli("info", "-o", str(out), ok=False)
    assert refused.exit_code == 2 and "replace the existing file" in refused.stderr and "--yes" in refused.stderr
    assert out.read_text() == "my notes"
    cli("info", "-o", str(out), "-y")
    assert out.read_text(encoding="utf-8-sig").startswith("item,value")


def test_output_over_an_existing_file_at_a_terminal_asks(cli, tmp_path, monkeypatch):
    _at_a_terminal(monkeypatch)
    out = tmp_path / "info.csv"
    out.write_text("my notes")
    kept = cli("info", "-o", str(out), ok=False, input="n\n")
    assert kept.exit_code == 1 and "[y/N]" in kept.stderr and out.read_text() == "my notes"
    cli("info", "-o", str(out), input="y\n")
    assert out.read_text(encoding="utf-8-sig").startswith("item,value")


def test_export_over_an_existing_file_needs_yes(cli, tmp_path):
    out = tmp_path / "agreements.csv"
    out.write_text("my notes")
    assert "--yes" in cli("agreement", "export", str(out), ok=False).stderr
    assert out.read_text() == "my notes"
    cli("agreement", "export", str(out), "--yes")
    assert out.read_text() != "my notes"


def test_restore_in_a_script_needs_yes(cli, db_path, tmp_path):
    saved = tmp_path / "saved.db"
    cli("backup", str(saved))
    with untouched(db_path):
        refused = cli("restore", str(saved), ok=False)
    assert refused.exit_code == 2 and "replace the ledger" in refused.stderr and "--yes" in refused.stderr
    assert "restored" in cli("restore", str(saved), "--yes").stderr


SOURCE = ["--date", "2030-01-01", "--source", "test"]


@pytest.mark.parametrize("args", [
    ["registry", "abolish", "종로구", *SOURCE],
    ["registry", "merge", "종로구", "서울 중구", "--into", "종로구", *SOURCE],
], ids=["abolish", "merge"])
def test_abolishing_or_merging_in_a_script_needs_yes(cli, db_path, args):
    with untouched(db_path):
        refused = cli(*args, ok=False)
    assert refused.exit_code == 2 and "--yes" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert "from 2030-01-01" in cli(*args, "--yes").stderr


@pytest.mark.parametrize(("args", "rows"), [
    (["registry", "abolish", "종로구", *SOURCE], "council_versions update 1, registry_changes insert 1"),
    (["registry", "merge", "종로구", "서울 중구", "--into", "종로구", *SOURCE],
     "council_versions insert 1, council_versions update 2, registry_changes insert 1"),
    (["registry", "split", "종로구", "--new", "새빛구", "--type", "gu", *SOURCE],
     "council_versions insert 1, councils insert 1, registry_changes insert 1"),
], ids=["abolish", "merge", "split"])
def test_a_registry_dry_run_says_what_would_change_and_writes_nothing(cli, db_path, args, rows):
    with untouched(db_path):
        result = cli(*args, "--dry-run")  # no --yes needed: nothing is written
    assert result.stderr.startswith("dry run, nothing written — would be: ")
    assert f"(rows: {rows})" in result.stderr


# ------------------------------------------------------------------ --quiet


def test_quiet_keeps_the_data_and_leaves_out_every_message(cli, tmp_path):
    loud, quiet = cli("info", "-f", "csv"), cli("-q", "info", "-f", "csv")
    assert quiet.stdout == loud.stdout and quiet.stderr == ""
    assert cli("--quiet", "info", "-o", str(tmp_path / "i.csv")).stderr == ""  # no "wrote N rows"
    assert cli("-q", "registry", "abolish", "종로구", *SOURCE, "--yes").stderr == ""  # no confirmation
    assert "wrote" in cli("info", "-o", str(tmp_path / "j.csv")).stderr  # the next command is not quiet


def test_quiet_still_prints_errors(cli):
    refused = cli("-q", "agreement", "request", "종로구", "--date", "2020-02-30", ok=False)
    assert refused.exit_code == 2 and "2020-02-30" in refused.stderr


def test_quiet_silences_an_import_report(cli, tmp_path):
    path = _csv(tmp_path / "a.csv", [["의회명", "요청일"], ["종로구의회", "2020-03-02"]])
    assert "would be" in cli("agreement", "import", str(path), "--dry-run").stderr
    quiet = cli("-q", "agreement", "import", str(path), "--dry-run")
    assert quiet.stderr == "" and quiet.stdout == ""


def test_quiet_turns_off_progress_bars():
    from nalcoop import progress

    progress.set_quiet(True)
    try:
        with progress.activity("reading", stream=_Terminal()) as work:
            assert not work.shown
    finally:
        progress.set_quiet(False)


class _Terminal:
    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


# ------------------------------------------------------------------ where reports go


def test_an_import_report_is_messages_unless_asked_for_as_data(cli, tmp_path):
    path = _csv(tmp_path / "a.csv", [["의회명", "요청일"], ["종로구의회", "2020-03-02"]])
    told = cli("agreement", "import", str(path), "--dry-run")
    assert told.stdout == "" and "row 2: 서울특별시 종로구의회 — created" in told.stderr
    asked = cli("-f", "json", "agreement", "import", str(path), "--dry-run")
    assert json.loads(asked.stdout) == [{"row": 2, "council": "서울특별시 종로구의회", "outcome": "created",
                                         "steps": "request"}]
    assert "dry run, nothing written" in asked.stderr and "row 2" not in asked.stderr


class _Root:
    def __init__(self, fmt=None):
        self.obj = common.State(fmt=fmt)

    def find_root(self):
        return self


@pytest.mark.parametrize(("root_format", "fmt", "output", "as_data"), [
    (None, None, None, False),
    (common.OutputFormat.json, None, None, True),  # nalcoop -f json COMMAND
    (None, common.OutputFormat.csv, None, True),   # COMMAND -f csv
    (None, None, "plan.xlsx", True),               # COMMAND -o FILE
])
def test_report_is_data_when_asked_for_and_messages_otherwise(monkeypatch, root_format, fmt, output, as_data):
    said, emitted = [], []
    monkeypatch.setattr(common, "say", said.append)
    monkeypatch.setattr(common, "emit", lambda ctx, rows, *args, **kwargs: emitted.append(rows))
    lines = [f"row {n}" for n in range(1, 41)]
    common.report(_Root(root_format), [{"detail": line} for line in lines], [], lines, fmt=fmt, output=output)
    if as_data:
        assert len(emitted[0]) == 40 and said == []
    else:
        assert emitted == [] and said[:2] == ["  row 1", "  row 2"]
        assert len(said) == common.MAX_DETAILS + 1 and said[-1] == "  … and 10 more rows"


# ------------------------------------------------------------------ old spellings


def test_every_old_spelling_is_listed():
    assert common.ALIASES == {
        "": {"--by": "--author"},
        "backup": {"--force": "--yes"},
        "agreement follow-up": {"--kind": "--type"},
        "donate add": {"-q": "--copies", "--qty": "--copies", "--to": "--library", "--file": "--import"},
        "donate stock add": {"-q": "--copies", "--qty": "--copies"},
        "distribute subscribe": {"-c": "--copies"},
        "distribute unsubscribe": {"--to": "--date", "--reason": "--note"},
        "distribute return": {"-c": "--copies"},
        "distribute labels": {"--sheet": "--layout"},
        "distribute publication add": {"--title-en": "--english"},
        "distribute publication edit": {"--title-en": "--english"},
        "distribute recipient add": {"--active-from": "--from"},
        "distribute recipient edit": {"--active-from": "--from"},
        "distribute recipient deactivate": {"--reason": "--note"},
        "network join": {"--date": "--from", "-d": "--from", "--until": "--to"},
        "network list": {"--kind": "--type"},
        "network event add": {"KIND": "--type", "--date": "--from", "-d": "--from"},
        "network event edit": {"--date": "--from", "-d": "--from"},
        "intern apply": {"--year": "--study-year"},
        "intern reject": {"--reason": "--note"},
        "intern withdraw": {"--reason": "--note"},
        "intern drop": {"--reason": "--note"},
        "intern evaluate": {"--by": "--evaluator"},
        "intern list": {"--reason": "--purpose"},
        "intern show": {"--reason": "--purpose"},
        "intern due": {"--reason": "--purpose"},
        "registry rename": {"--to": "--name"},
        "registry create": {"--kind": "--type"},
        "registry merge": {"--kind": "--type"},
        "registry split": {"--kind": "--type"},
    }


def test_every_old_spelling_names_an_option_the_command_has_and_is_hidden():
    commands = dict(_all_commands(get_command(app)))
    for words, aliases in common.ALIASES.items():
        options = _options(commands[tuple(words.split())]) if words else _options(get_command(app))
        for old, new in aliases.items():
            if not old.startswith("-"):  # an old positional (KIND): tests/test_grammar.py runs it
                continue
            assert new in options and old not in options, (words, old, new)


def test_an_old_spelling_still_runs_with_one_deprecation_line(cli, tmp_path):
    added = cli("donate", "stock", "add", "--isbn", "978-89-374-6044-9", "--title", "데미안", "-q", "12",
                "--reason", "duplicate")
    assert added.stderr.count("note: -q is an old spelling; write --copies") == 1 and "+12" in added.stderr
    target = tmp_path / "b.db"
    target.write_text("old")
    replaced = cli("backup", str(target), "--force")
    assert replaced.stderr.count("note: --force is an old spelling; write --yes") == 1
    assert target.read_bytes().startswith(b"SQLite format 3")
    library = cli("donate", "add", "--to", "없는도서관", "--isbn", "978-89-374-6044-9", "-q3", ok=False)
    assert "write --copies" in library.stderr and "No such option" not in library.stderr


@pytest.mark.parametrize(("args", "expected"), [
    (["-q", "3"], ["--qty", "3"]),
    (["-q3"], ["--qty", "3"]),
    (["--title", "-q", "-q", "3"], ["--title", "-q", "--qty", "3"]),  # the value of another option is left alone
    (["--title=-q", "-q", "3"], ["--title=-q", "--qty", "3"]),
    (["--", "-q"], ["--", "-q"]),  # after --, nothing is an option
    (["--quiet"], ["--quiet"]),
])
def test_respelled_replaces_old_spellings_only_where_they_are_options(args, expected):
    assert common.respelled(args, {"-q": "--qty"}, {"--title", "--qty"}) == expected


def test_a_long_old_spelling_with_its_value_attached_is_respelled():
    assert common.respelled(["--until=2024-01-01"], {"--until": "--to"}, {"--to"}) == ["--to", "2024-01-01"]


def test_completing_a_line_with_an_old_spelling_says_nothing_on_the_terminal():
    """Shell completion parses the line typed so far; a deprecation note there would land in the middle of
    what the person is typing."""
    import os
    import subprocess
    import sys

    def complete(words: str, cword: int):
        env = {**os.environ, "_NALCOOP_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        return subprocess.run([sys.executable, "-c", "from nalcoop.cli import main; main()"], env=env,
                              capture_output=True, text=True, timeout=60)

    done = complete("nalcoop donate add --qty 3 --", 5)
    assert done.returncode == 0 and done.stderr == ""
    assert "--library" in done.stdout.split() and "--copies" not in done.stdout.split()  # --qty was --copies
    root = complete("nalcoop --by 김사서 agreement ", 4)
    assert root.returncode == 0 and root.stderr == "" and "sign" in root.stdout.split()


@pytest.mark.parametrize("lang, usage", [("ko", "사용법: nalcoop"), ("en", "Usage: nalcoop")])
@pytest.mark.parametrize("words", [(), ("agreement",), ("donate", "library")])
def test_a_group_run_without_a_command_shows_its_help_on_its_lines(db_path, monkeypatch, lang, usage, words):
    """`nalcoop` alone is the first thing a new user types: its help, as --help prints it, not one line with the
    line breaks shown as symbols."""
    from typer.testing import CliRunner

    from nalcoop.cli import app

    monkeypatch.setenv("NALCOOP_LANG", lang)
    monkeypatch.setenv("NALCOOP_DB", str(db_path))
    runner = CliRunner()
    shown = runner.invoke(app, list(words))
    assert shown.exit_code == 2
    assert shown.output.startswith(usage) and "␊" not in shown.output
    assert shown.output.count("\n") > 10
    assert shown.output == runner.invoke(app, [*words, "--help"]).output


@pytest.mark.parametrize("answer, replaced", [("예\n", True), ("네\n", True), ("Y\n", True), ("아니오\n", False),
                                              ("\n", False), ("몰라\n예\n", True)])
def test_a_yes_or_no_question_takes_korean_answers(cli, tmp_path, monkeypatch, answer, replaced):
    """At a Korean prompt a person types 예 or 아니오; anything else is asked again, in one line."""
    from nalcoop.cli import app

    monkeypatch.setattr("nalcoop.commands.common._stdin_is_terminal", lambda: True)
    target = tmp_path / "copy.db"
    target.write_bytes(b"an old file")
    done = cli.runner.invoke(app, ["--db", str(cli.db_path), "--lang", "ko", "backup", str(target)], input=answer)
    assert "[y/N]" in done.output and "Error" not in done.output
    assert (target.read_bytes() != b"an old file") is replaced
    if answer.startswith("몰라"):
        assert "y(예) 또는 n(아니오)로 답하십시오" in done.output

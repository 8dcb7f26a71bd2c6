"""The grammar of the command line (README "Options that mean the same thing everywhere"): one name a concept,
one meaning a name, one letter a short option, over the whole command tree; and every old spelling kept as a
hidden alias that still runs, with one deprecation line."""

from __future__ import annotations

from collections import defaultdict

import pytest
from typer.main import get_command

from nalcoop.cli import app
from nalcoop.commands import common


def _tree(command=None, path=()):
    """Every command and group, root first (the root's groups are built lazily: looking them up builds them)."""
    command = command or get_command(app)
    yield path, command
    for name in command.list_commands(None) if hasattr(command, "list_commands") else ():
        yield from _tree(command.commands[name], (*path, name))


def _options():
    """(command words, option) for every option of every command; --help left out."""
    for path, command in _tree():
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                yield " ".join(path), param


def _name(param) -> str:
    return next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])


def _type(param) -> str:
    return "flag" if param.is_flag else type(param.type).__name__


# One concept, one name: the name the grammar chose, and the names it must never go by (what other tools and the
# older nalcoop called it). The root's --author is the journal's author; --by is only ever a grouping.
CONCEPTS = {
    "the type of a record (a library's, an event's, a council's, a follow-up's)": ("--type", {"--kind", "--category"}),
    "an English name or title": ("--english", {"--title-en", "--name-en", "--en"}),
    "how many copies or books": ("--copies", {"--qty", "--quantity", "--count"}),
    "reading a file where a command also records one thing": ("--import", {"--file", "--input", "--from-file"}),
    "the end of a span or period (always a date)": ("--to", {"--until", "--end", "--till"}),
    "the start of a span or period": ("--from", {"--since", "--start", "--active-from"}),
    "who made the change, for the journal (root)": ("--author", {"--who", "--user"}),
    "who evaluates a student": ("--evaluator", set()),
    "why personal data is shown (journaled)": ("--purpose", set()),
    "a new name of the thing acted on": ("--name", {"--new-name", "--rename"}),
    "the year of study of a student": ("--study-year", set()),
}
DATE_OPTIONS = {"--date", "--from", "--to", "--as-of"}


def test_one_option_name_has_one_type_everywhere():
    types = defaultdict(set)
    for words, param in _options():
        types[_name(param)].add((_type(param), words))
    mixed = {name: sorted(seen) for name, seen in types.items() if len({kind for kind, _ in seen}) > 1}
    assert mixed == {}


def test_the_shared_options_have_one_help_everywhere():
    """What common.py declares once (--as-of, --year, --sheet, --dry-run, --yes) says the same everywhere."""
    wrong = [(words, _name(param), param.help) for words, param in _options()
             if _name(param) in common.SHARED_HELP and param.help != common.SHARED_HELP[_name(param)]]
    assert wrong == []


def test_a_period_is_spelled_and_explained_alike_on_every_listing_and_statistic():
    shared = {"--from": common.FROM_HELP, "--to": common.TO_HELP, "--as-of": common.AS_OF_HELP,
              "--year": common.YEAR_HELP}
    wrong = []
    for path, command in _tree():
        names = {_name(param): param for param in command.params if param.param_type_name == "option"}
        if "--year" in names:
            wrong += [(path, name) for name in ("--from", "--to") if name not in names
                      or names[name].help != shared[name]]
    assert wrong == []


def test_a_date_option_is_always_a_date():
    """--to is never a library or a new name again: every --date, --from, --to and --as-of is a DATE."""
    wrong = [(words, _name(param)) for words, param in _options() if _name(param) in DATE_OPTIONS
             and (param.metavar != common.DATE_METAVAR or _type(param) != "StringParamType")]
    assert wrong == []


def test_a_short_option_means_one_thing_everywhere():
    meanings = defaultdict(set)
    for _words, param in _options():
        for opt in param.opts + param.secondary_opts:
            if not opt.startswith("--"):
                meanings[opt].add(_name(param))
    assert {short: names for short, names in meanings.items() if len(names) > 1} == {}
    assert meanings["-c"] == {"--cohort"} and meanings["-q"] == {"--quiet"} and meanings["-d"] == {"--date"}


@pytest.mark.parametrize("concept", CONCEPTS)
def test_one_concept_goes_by_one_name(concept):
    chosen, others = CONCEPTS[concept]
    names = {_name(param) for _words, param in _options()} | {
        opt for _words, param in _options() for opt in param.opts}
    assert chosen in names
    assert others & names == set()


def test_by_is_only_ever_a_grouping():
    assert sorted(words for words, param in _options() if "--by" in param.opts) == [
        f"stats {activity.name}" for activity in sorted(__import__("nalcoop.activities").activities.ACTIVITIES,
                                                        key=lambda activity: activity.name)]
    root = {opt for param in get_command(app).params for opt in param.opts}
    assert "--author" in root and "--by" not in root


def test_reason_is_only_ever_a_closed_list():
    """--reason is a category (why books were set aside, why copies came back); free text is --note."""
    free = [words for words, param in _options() if "--reason" in param.opts
            and not isinstance(param.type, common.VocabularyChoice)]
    assert free == []


# ------------------------------------------------------------------ every old spelling, hidden and still running

_ALIASES = [(words, old, new) for words, aliases in common.ALIASES.items() for old, new in aliases.items()]


def test_the_aliases_are_hidden_and_name_options_the_commands_have():
    commands = {" ".join(path): command for path, command in _tree()}
    for words, old, new in _ALIASES:
        spellings = {opt for param in commands[words].params for opt in param.opts + param.secondary_opts}
        assert new in spellings, (words, new)
        assert old not in spellings, (words, old)
        assert old not in commands[words].get_help(_context(commands[words])).split(), (words, old)


def _context(command):
    """A context as the root gives its commands (its context_settings, such as -h): click keeps the help
    option a command is first asked for, so a bare context here would leave `--help` without `-h` for every
    later test in the process (tests/test_reference.py saw it)."""
    import typer

    return typer.Context(command, info_name="x", **get_command(app).context_settings)


def _value(new: str) -> list[str]:
    if new in {"--yes"}:
        return []
    return [{"--from": "2024-01-01", "--to": "2024-12-31", "--date": "2024-12-31", "--copies": "3",
             "--study-year": "4"}.get(new, "x")]


@pytest.mark.parametrize(("words", "old", "new"), _ALIASES, ids=[f"{w or 'root'} {o}" for w, o, _ in _ALIASES])
def test_every_old_spelling_runs_once_with_one_deprecation_line(cli, tmp_path, words, old, new):
    """Each old spelling is read as the new one (the command may then refuse what the made-up values say, but
    never the spelling), with one line on stderr naming the new spelling."""
    if words == "":
        result = cli(old, "somebody", "history", ok=None)
        assert result.exit_code == 0
    elif old == "KIND":
        result = cli(*words.split(), "meeting", "제1차 정기회의", "--date", "2024-03-14", ok=None)
        assert result.exit_code == 0, result.stderr
        assert "write --type meeting" in result.stderr
    else:
        command = dict((" ".join(path), c) for path, c in _tree())[words]
        arguments = ["x"] * sum(param.param_type_name == "argument" for param in command.params)
        if words == "backup":
            arguments = [str(tmp_path / "copy.db")]
        result = cli(*words.split(), *arguments, old, *_value(new), ok=None)
        assert "No such option" not in result.stderr and "unexpected extra argument" not in result.stderr
    assert result.stderr.count(f"note: {old if old != 'KIND' else 'KIND as the first argument'} is an old "
                               "spelling; write ") == 1, result.stderr


# Lines as the README of the previous version printed them (git show e654ec7:README.md), with the old spellings
# each uses; the setting-up lines before them use today's spellings.
OLD_README = [
    (["agreement", "request", "서울특별시의회", "--date", "2013-05-01"], []),
    (["agreement", "sign", "서울특별시의회", "--date", "2013-07-01", "--mode", "in-person"], []),
    (["agreement", "follow-up", "서울특별시의회", "--date", "2014-02-03", "--kind", "materials", "--note",
      "2013 minutes received"], ["--kind"]),
    (["agreement", "request", "수원시의회", "--date", "2020-04-01"], []),
    (["--by", "김사서", "agreement", "sign", "수원시의회", "--date", "2020-05-01", "--mode", "in-person"], ["--by"]),
    (["donate", "library", "add", "해바라기작은도서관", "--type", "small", "--region", "신안군"], []),
    (["donate", "stock", "add", "--title", "국회도서관 70년사", "--qty", "20", "--reason",
      "non-registered"], ["--qty"]),
    (["donate", "add", "--to", "해바라기작은도서관", "--title", "국회도서관 70년사", "--qty", "10", "--reason",
      "non-registered"], ["--to", "--qty"]),
    (["network", "event", "add", "meeting", "2024 제1차 정기회의", "--date", "2024-03-14", "--body", "klic", "--agenda",
      "연간 계획"], ["--date", "KIND as the first argument"]),
    (["network", "list", "--kind", "meeting", "--year", "2024"], ["--kind"]),
    (["registry", "rename", "서해구", "--to", "청라구", "--date", "2030-01-01", "--source", "..."], ["--to"]),
    (["registry", "create", "새빛구", "--kind", "gu", "--province", "서울", "--english", "Saebit-gu", "--date",
      "2030-01-01", "--source", "..."], ["--kind"]),
]


def test_the_previous_readme_s_old_spellings_still_run_each_with_one_deprecation_line(cli):
    for args, olds in OLD_README:
        result = cli(*args)
        notes = [line for line in result.stderr.splitlines() if "is an old spelling" in line]
        assert [note.removeprefix("note: ").split(" is an old spelling")[0] for note in notes] == olds, result.stderr


def test_every_command_takes_h_for_help_even_in_a_context_built_without_the_root_s_settings():
    """click builds a command's help option once, from the first context that asks: a tool or a test that
    makes a bare context must not leave the command without -h for the rest of the process."""
    import typer

    root = get_command(app)
    group = root.get_command(typer.Context(root, info_name="nalcoop"), "agreement")
    command = group.get_command(typer.Context(group, info_name="agreement"), "list")
    assert command.get_help_option(typer.Context(command, info_name="list")).opts == ["-h", "--help"]

"""What every command shares: the state from global options, the ledger, the output options,
date options, the prompt-only-on-a-terminal rule, the --yes rule for what cannot be undone, and the old
option spellings kept as aliases. Commands stay thin by using these."""


import getpass
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperOption

from nalcoop.commands.translation import Translated
from nalcoop.dates import ACCEPTED_FORMS, DateError, parse_date, today
from nalcoop.errors import UsageError, visible
from nalcoop.i18n import _, ngettext
from nalcoop.vocabulary import Vocabulary


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"


FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="table, csv, tsv, json, jsonl or xlsx. Default: a table on a "
                 "terminal, CSV in a pipe, or what -o FILE's extension says."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to FILE instead of the screen; the format follows its "
                 "extension (.csv .tsv .json .jsonl .xlsx .txt). CSV files get a BOM for Excel."),
]
# The grammar (README "Options that mean the same thing everywhere"; tests/test_grammar.py holds it): one name
# a concept, one meaning a name, one letter a short option. The options every group shares are declared here
# once, so that one name has one type and one help wherever it appears.
DATE_METAVAR = "DATE"
DATE_FORMS = ACCEPTED_FORMS  # the forms dates.parse_date reads, spelled once there
AS_OF_HELP = f"The state at the END of this day (inclusive: a step dated D counts). Default: today. ISO {DATE_FORMS}."
YEAR_HELP = "What happened in this year (January 1 to December 31, both inclusive), such as 2024."
FROM_HELP = "The first day of the period (inclusive)."
TO_HELP = "The last day of the period (inclusive)."
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar=DATE_METAVAR, help=AS_OF_HELP, show_default=False)]
YearOpt = Annotated[str | None, typer.Option("--year", metavar="YEAR", help=YEAR_HELP, show_default=False)]
FromOpt = Annotated[str | None, typer.Option("--from", metavar=DATE_METAVAR, help=FROM_HELP, show_default=False)]
ToOpt = Annotated[str | None, typer.Option("--to", metavar=DATE_METAVAR, help=TO_HELP, show_default=False)]
SHEET_HELP = "The sheet to read (default: the first sheet with a recognisable header)."
SheetOpt = Annotated[str | None, typer.Option("--sheet", help=SHEET_HELP)]
DRY_RUN_HELP = "Report what would change; write nothing."
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help=DRY_RUN_HELP)]
YES_HELP = ("Go ahead without asking (what cannot be undone; replacing an existing -o FILE). In a script, where "
            "nothing can be asked, it is needed, or nothing is done.")
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help=YES_HELP)]
# Option names whose help is the same wherever they appear (tests/test_grammar.py checks it).
SHARED_HELP: dict[str, str] = {"--as-of": AS_OF_HELP, "--year": YEAR_HELP, "--sheet": SHEET_HELP,
                               "--dry-run": DRY_RUN_HELP, "--yes": YES_HELP}


def date_option(*names: str, help: str) -> Any:
    """A date of a record or a step (`--date`, `--from`, `--to` of a span): the one metavar, DATE, and typed
    in any of the forms nalcoop reads (its help says what the day means for this record)."""
    return typer.Option(*names, metavar=DATE_METAVAR, help=help, show_default=False)


def copies_option(help: str) -> Any:
    """`--copies`: how many copies or books (a whole number; 3부 and 3권 are read as 3)."""
    return typer.Option("--copies", metavar="N", help=help, show_default=False)


def copies_value(value: str | None, option: str = "--copies") -> int | None:
    """--copies as typed (12, 1,200, 12권) as a whole number, or a one-line usage error."""
    if value is None:
        return None
    from nalcoop.importer.values import COPY_COUNTERS

    return number_value(value, option, counters=COPY_COUNTERS, what=_("number of copies"))


def import_option(what: str) -> Any:
    """`--import FILE` on a command that also records one thing from its options (`X import FILE` is the
    command of a group that reads only whole files)."""
    return typer.Option("--import", metavar="FILE", help=f"Read {what} from an xlsx, xls, ods or csv file instead "
                        "(all rows or none).", show_default=False)


class State:
    """What the root's options say for this run, and the ledger its command opened. (A plain class: a dataclass
    would cost every run half a millisecond to make.)"""

    __slots__ = ("argv", "author", "db", "fmt", "ledger", "quiet", "redactions")

    def __init__(self, db: str | None = None, fmt: OutputFormat | None = None, author: str | None = None,
                 argv: list[str] | None = None, quiet: bool = False) -> None:
        self.db = db
        self.fmt = fmt
        self.author = author  # --author: who the journal says made the change
        self.argv = argv if argv is not None else []
        self.quiet = quiet  # --quiet: only errors on stderr (data on stdout unchanged)
        self.ledger: object | None = None  # the open Ledger, shared by everything one command does
        self.redactions: dict[str, str] = {}  # personal values -> what the journal shows

    @property
    def who(self) -> str:
        if self.author:
            return self.author
        try:
            return getpass.getuser()
        except Exception:  # no login name in some containers
            return os.environ.get("USER") or "unknown"

    @property
    def command_line(self) -> str:
        """The command as typed; Hangul stays readable (shlex.join would quote every word of it)."""
        import shlex

        def quoted(word: str) -> str:
            return shlex.quote(word) if not word or re.search(r"[\s'\"\\$`!*?&;|<>(){}\[\]#~]", word) else word

        line = " ".join(quoted(word) for word in ["nalcoop", *self.argv])
        # Personal data typed on the command line reaches the journal masked; longest first, so that a
        # name inside an e-mail address or a note is not masked piecemeal.
        for value in sorted(self.redactions, key=len, reverse=True):
            line = line.replace(quoted(value), self.redactions[value]).replace(value, self.redactions[value])
        return line


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def open_ledger(ctx: typer.Context, *, create: bool = False, sharing=None):
    from nalcoop.ledger.files import locate
    from nalcoop.ledger.store import Ledger

    current = state(ctx)
    if current.ledger is None:
        location = locate(current.db)
        current.ledger = Ledger.open(location.path, create=create, sharing=sharing)
        ctx.find_root().call_on_close(current.ledger.close)
        if current.ledger.upgraded_from is not None:
            rekey_names_after_upgrade(current.ledger, current.ledger.upgraded_from, current.who)
            update_registry_after_upgrade(current.ledger, current.ledger.upgraded_from, current.who)
    return current.ledger


NAMES_KEYED_ALIKE = 9  # the schema (migration 0009) from which every stored key of a name is names.name_key


def rekey_names_after_upgrade(ledger, version: int, who: str) -> None:
    """A ledger from before schema 9 gets its stored keys of names made as names.name_key makes them (see
    migration 0009 for why here, as a journaled command, and not in the migration). Rows whose new keys would
    collide are all kept, and the person is told which, to rename one."""
    from nalcoop import names
    from nalcoop.ledger.migrations.v0009 import STORED_NAME_KEYS
    from nalcoop.ledger.schema import SCHEMA_VERSION

    if version >= NAMES_KEYED_ALIKE:
        return
    changed, kept = 0, []
    with ledger.command(f"nalcoop rekey names (on the upgrade from schema {version} to {SCHEMA_VERSION})", who):
        for table, key, source, unique_within, what, rename in STORED_NAME_KEYS:
            done, collisions = names.rekey(ledger.conn, table, key, source, unique_within)
            changed += done
            how = _(" with `nalcoop {command}`").format(command=rename) if rename else ""
            kept += [_("the {what} '{name}' (row {row}) keeps its old key: '{other}' (row {other_row}) has the key it "
                       "would get, as names now compare (spacing, punctuation, 『』 and case ignored); rename one of "
                       "them{how}").format(what=_(what), name=name, row=row_id, other=other, other_row=other_id,
                                           how=how) for row_id, name, other_id, other in collisions]
    if changed:
        say(ngettext("note: the ledger was upgraded and {count} stored key of names brought in line with how names "
                     "compare now (『』, case and Unicode form ignored); `nalcoop history` shows it",
                     "note: the ledger was upgraded and {count} stored keys of names brought in line with how names "
                     "compare now (『』, case and Unicode form ignored); `nalcoop history` shows it",
                     changed).format(count=changed))
    for line in kept:
        say(_("note: {line}").format(line=line))


def update_registry_after_upgrade(ledger, version: int, who: str) -> None:
    """An older ledger gets the council registry this nalcoop ships (the 2026-07-01 map, say) with its upgrade,
    as its own journaled command that `nalcoop undo` takes back, and the person is told: figures as of today
    must not count councils that no longer exist. (Here, not in the ledger package: the registry is an
    activity's data, above the ledger.)"""
    from nalcoop import registry
    from nalcoop.ledger.schema import SCHEMA_VERSION

    if not ledger.conn.execute("select 1 from registry_changes limit 1").fetchone():
        return  # never initialised: `nalcoop init` loads the whole registry
    with ledger.command(f"nalcoop registry update (on the upgrade from schema {version} to {SCHEMA_VERSION})",
                        who):
        report = registry.update_shipped(ledger.conn)
    if not (report.added or report.recognised or report.conflicts):
        return
    added = (_("added {councils}").format(councils=", ".join(report.added)) if report.added
             else _("nothing to add"))
    recognised = (_("; recognised as recorded by hand: {changes}").format(changes="; ".join(report.recognised))
                  if report.recognised else "")
    say(_("note: the ledger was upgraded and its council registry brought up to date ({added}{recognised}); "
          "`nalcoop undo` takes that back").format(added=added, recognised=recognised))
    for line in report.conflicts:
        say(_("note: registry change not applied: {line}; settle it and run `nalcoop registry update`")
            .format(line=line))


def refuse_undecodable(argv: list[str]) -> None:
    """Bytes that are not UTF-8 (a CP949 terminal or script) reach Python as lone surrogates, which
    SQLite cannot store, and a NUL ends text early in other tools: a usage error naming the word."""
    for number, word in enumerate(argv, start=1):
        if "\x00" in word:
            # Not echoed: the word may be a student's name or e-mail. (Other control characters are kept as
            # typed and made visible, never run, wherever they are shown.)
            raise UsageError(_("word {number} of the command holds an invisible NUL character (often copied from "
                               "another program); type it again").format(number=number))
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            try:
                typed = word.encode("utf-8", "surrogateescape")  # the bytes as they came
            except UnicodeEncodeError:
                typed = word.encode("utf-8", "backslashreplace")
            shown = typed.decode("utf-8", "backslashreplace")
            raise UsageError(_("'{word}' is not UTF-8 text; set the terminal or script to UTF-8 and type it "
                               "again").format(word=shown)) from None


@contextmanager
def journaled(ctx: typer.Context, *, dry_run: bool = False) -> Iterator:
    """Open the ledger and run the body as one journaled, all-or-nothing command."""
    ledger = open_ledger(ctx)
    current = state(ctx)
    with ledger.command(current.command_line, current.who, dry_run=dry_run):
        yield ledger.conn


@contextmanager
def listing_rejected_rows() -> Iterator[None]:
    """An import refused row by row: each bad row on its own stderr line (above a progress bar, if one is
    drawn), before the Error: line."""
    from nalcoop.importer import RowsRejected

    try:
        yield
    except RowsRejected as rejected:
        for problem in rejected.problems:
            say(str(problem))
        raise


def run_import(ctx: typer.Context, table, apply, *, dry_run: bool = False):
    """Apply rows already read from a file as one journaled command, all or nothing.

    A large import (more rows than a setting, 1,000 by default) is preceded by an automatic
    backup, made before the write lock is taken (a backup reads through its own connection).
    """
    from nalcoop.ledger.backup import automatic_backup
    from nalcoop.settings import setting

    ledger = open_ledger(ctx)
    # A file with rows already known to be wrong will be refused whole: no backup is needed.
    if not dry_run and not table.problems and len(table.rows) > setting("backup_import_rows"):
        made = automatic_backup(ledger.path, "before-import")
        if made:
            say(_("backed up the ledger to {path} before importing {count:,} rows").format(path=made.path,
                                                                                     count=len(table.rows)))
    from nalcoop import progress

    with listing_rejected_rows(), journaled(ctx, dry_run=dry_run) as conn:
        conn.set_progress_handler(progress.pulse, 100_000)  # one long statement still redraws the bar, and stops
        try:
            applied = apply(conn, table)
        finally:
            conn.set_progress_handler(None, 0)
        progress.stage(_("writing {file} to the ledger").format(file=table.file))
    return applied


def print_header_note(table) -> None:
    """Where an import found its header, which columns it left out, and what it noticed."""
    where = _(", sheet {sheet}").format(sheet=table.sheet) if table.sheet else ""
    say(f"{table.file}{where}: {table.header_note}")
    if table.ignored_headers:
        say(_("columns not imported: {columns}").format(columns=", ".join(table.ignored_headers)))
    for warning in table.warnings:
        say(_("note: {line}").format(line=warning))


MAX_DETAILS = 30  # rows named one by one after an import; the rest are counted


def report(ctx: typer.Context, rows: Sequence[dict], columns, lines: Sequence[str], *, fmt: OutputFormat | None = None,
           output: Path | None = None, title: str | None = None) -> None:
    """The one rule for a report (what a dry run would do, what an import did): data when asked for with
    -f/--format (here or before the command) or -o, written as every listing is; otherwise messages on stderr,
    `lines` (the first MAX_DETAILS named, the rest counted: a 2,000-row list should not scroll the summary
    away). Either way the summary that follows is a message."""
    if fmt is not None or output is not None or state(ctx).fmt is not None:
        emit(ctx, rows, columns, fmt=fmt, output=output, title=title)
        return
    for line in lines[:MAX_DETAILS]:
        say(f"  {line}")
    if len(lines) > MAX_DETAILS:
        say("  " + _("… and {count:,} more rows").format(count=len(lines) - MAX_DETAILS))


def report_import(ctx: typer.Context, table, counts, *, dry_run: bool = False) -> None:
    """After an import: where the header was, then what happened row by row (`report`), then the totals."""
    from nalcoop.render import Column

    print_header_note(table)
    report(ctx, [{"detail": detail} for detail in counts.details], [Column("detail", ko="세부 내용")], counts.details,
           title=(_("{file}: would be") if dry_run else _("{file}: imported")).format(file=table.file))
    say((_("dry run, nothing written — would be: ") if dry_run else "") + counts.summary)


def emit(ctx: typer.Context, rows: Sequence[dict], columns, *, fmt: OutputFormat | None,
         output: Path | None, title: str | None = None, split_by: str | None = None,
         sections: str | None = None, record: bool = False) -> None:
    from nalcoop.render import render

    chosen = fmt or (None if output else state(ctx).fmt)
    render(rows, columns, fmt=chosen.value if chosen else None, output=output, title=title, split_by=split_by,
           sections=sections, record=record)


def say(message: str) -> None:
    """A confirmation for the person at the terminal; stderr, so pipes carry only data. It may quote what
    the user typed or imported: control characters are shown, never obeyed (line breaks between lines stay)."""
    from nalcoop import progress

    progress.note("\n".join(visible(line) for line in message.split("\n")))  # nothing with --quiet


def date_value(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return parse_date(value).isoformat()
    except DateError as exc:
        raise UsageError(f"{option}: {exc}") from None


def as_of_value(value: str | None) -> str:
    return date_value(value, "--as-of") or today().isoformat()


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


class VocabularyChoice(typer._click.types.ParamType):
    """A closed list on the command line: the code in any case or its Korean label (`--mode 서면`), converted
    to the code. Help, usage errors and completion look as click's own choices do. (Typer vendors click: a
    custom type must be its ParamType, passed as `click_type=`.)"""

    name = "choice"

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary

    def get_metavar(self, param, ctx) -> str:
        return f"<{'|'.join(self.vocabulary.codes)}>"

    def convert(self, value, param, ctx) -> str:
        code = self.vocabulary.lookup(value)
        if code is None:
            self.fail(self.vocabulary.invalid(value), param, ctx)
        return code

    def shell_complete(self, ctx, param, incomplete: str):
        from typer._click.shell_completion import CompletionItem

        return [CompletionItem(code) for code in self.vocabulary.codes if code.startswith(incomplete.lower())]


def choice(vocabulary: Vocabulary) -> VocabularyChoice:
    """The click type for an option or argument taking `vocabulary`:
    `typer.Option("--mode", click_type=choice(agreements.MODES), help=agreements.MODES.help())`."""
    return VocabularyChoice(vocabulary)


def need_choice(value: str | None, option: str, what: str, vocabulary: Vocabulary) -> str:
    """A required choice (`need`): asked for at a terminal, where the answer may be the code or its Korean label."""
    if value not in (None, ""):
        return value
    from nalcoop.vocabulary import listed

    words = listed([vocabulary.said(code) for code in vocabulary])  # 대면 또는 서면; in English the codes
    answer = need(None, option, f"{what} ({words})")
    code = vocabulary.lookup(answer)
    if code is None:
        raise UsageError(f"{option}: {vocabulary.invalid(answer)}")
    return code


def confirm(action: str, *, yes: bool) -> None:
    """The one rule for what cannot be undone (a purge, a restore, an abolition or merger, a file replaced):
    with --yes it goes ahead; at a terminal it asks, and no (the default) stops with nothing done; in a script
    (stdin not a terminal) it refuses in one line naming --yes. `action` says what would happen, such as
    "purge the personal data of 4 students"."""
    if yes:
        return
    if _stdin_is_terminal():
        if answered_yes(_("{Action}?").format(Action=f"{action[:1].upper()}{action[1:]}")):
            return
        say(_("nothing was done"))
        raise typer.Exit(1)
    raise UsageError(_("this would {action}: in a script, where nothing can be asked, give --yes (-y) to go "
                       "ahead. Nothing was done").format(action=action))


# The answers a yes/no question takes, compared as typed() compares (case, spaces): y/n in any language, and the
# Korean words a person types at a Korean prompt. An empty answer is the default, no.
YES_ANSWERS = frozenset({"y", "yes", "예", "네", "응", "ㅇ"})
NO_ANSWERS = frozenset({"", "n", "no", "아니오", "아니요", "아니", "ㄴ"})


def answered_yes(question: str) -> bool:
    """Ask `question` at the terminal until the answer is yes or no (y, 예, 네 … or n, 아니오 …); no by default.
    (click's confirm takes y and n only, and says "Error: invalid input" in English to 예.)"""
    from nalcoop.vocabulary import typed

    while True:
        answer = typed(typer.prompt(f"{question} [y/N]", default="", show_default=False, err=True))  # not a message
        if answer in YES_ANSWERS:
            return True
        if answer in NO_ANSWERS:
            return False
        say(_("answer y (예) or n (아니오)"))


def confirm_after_checking(action: str, *, yes: bool) -> Callable[[], None]:
    """`confirm` for a command that checks before it asks (restore checks the backup first): in a script
    without --yes it refuses now, before any work; the function it returns asks at a terminal, to be called
    once the checks have passed, so that nobody says yes to what would then be refused."""
    if not yes and not _stdin_is_terminal():
        confirm(action, yes=False)
    return lambda: confirm(action, yes=yes)


def confirm_replacing(file: str | Path | None, *, yes: bool) -> None:
    """Writing FILE (-o, a backup, an export) over an existing file: `confirm` first."""
    if file and Path(file).is_file():
        confirm(_("replace the existing file {file}").format(file=file), yes=yes)


# Old option spellings that still work for this version, by command (its words after `nalcoop`; "" is the
# root, whose options come before the command): each use prints one deprecation line naming the new spelling.
# The old spelling is no option of the command any more, so --help does not show it. A key in capitals names
# an old leading positional argument, now an option: when a command is given one positional argument more
# than it takes, the first is read as that option's value (`network event add meeting TITLE`).
# README's "Old spellings" table and tests/test_grammar.py list every one.
ALIASES: dict[str, dict[str, str]] = {
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


def deprecated(old: str, new: str) -> None:
    """The one line an old spelling prints (ALIASES)."""
    say(_("note: {old} is an old spelling; write {new} (the old one goes in a later version)")
        .format(old=old, new=new))


def command_words(ctx: Any) -> str:
    """A command's words after `nalcoop` ('donate stock add'), whatever the program was called."""
    words = []
    while ctx.parent is not None:
        words.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(reversed(words))


def respelled(args: list[str], aliases: dict[str, str], takes_value: set[str], *, positionals: int | None = None,
              until_command: bool = False, completing: bool = False) -> list[str]:
    """`args` with each old spelling of an option replaced by the new one (`-q 3`, `-q3`, `--old=x`), each
    with one deprecation line; the value of another option and everything after `--` are left alone. With
    `until_command` (the root's options) nothing from the first positional argument (the command) on is
    touched. An old positional (a key in capitals) becomes its option when more than `positionals`
    positional arguments are given. While the shell completes a command line (`completing`) nothing is said: a
    note would land in the middle of what the person is typing."""
    note = (lambda old, new: None) if completing else deprecated
    result: list[str] = []
    value_next = False
    seen: list[int] = []  # where the positional arguments are in `result`
    for position, arg in enumerate(args):
        if arg == "--":
            seen += range(len(result) + 1, len(result) + len(args) - position)
            result += args[position:]
            break
        if value_next or not arg.startswith("-") or arg == "-":
            if not value_next and until_command:
                return result + args[position:]
            if not value_next:
                seen.append(len(result))
            result.append(arg)
            value_next = False
            continue
        new = None
        for old, replacement in aliases.items():
            if not old.startswith("-"):
                continue
            if arg == old:
                new = [replacement]
            elif arg.startswith(old + "=") or (len(old) == 2 and not arg.startswith("--") and arg.startswith(old)):
                attached = arg[len(old):].removeprefix("=")
                new = [replacement, attached]
            if new:
                note(old, replacement)
                break
        result += new or [arg]
        value_next = (new or [arg])[0] in takes_value and len(new or [arg]) == 1 and "=" not in arg
    old_positional = next((old for old in aliases if not old.startswith("-")), None)
    if old_positional and positionals is not None and len(seen) > positionals:
        first = seen[0]
        option = aliases[old_positional]
        note(f"{old_positional} as the first argument", f"{option} {result[first]}")
        result = [option, result[first], *result[:first], *result[first + 1:]]
    return result


def options_taking_values(command: Any) -> set[str]:
    """The spellings of a command's options that take a value (`--date`, `-d`), for `respelled`."""
    return {opt for param in command.params if param.param_type_name == "option"
            and not param.is_flag and not param.count for opt in param.opts}


class Command(Translated, TyperCommand):
    """Every nalcoop command (cli.py builds them with this class): it accepts the old spellings in ALIASES,
    and a command that writes -o FILE gets --yes/-y and asks before replacing an existing file (`confirm`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = {param.name for param in self.params}
        self.adds_yes = "output" in names and "yes" not in names
        if self.adds_yes:
            self.params.append(TyperOption(param_decls=["--yes", "-y"], type=bool, is_flag=True, default=False,
                                           help=YES_HELP))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        aliases = ALIASES.get(command_words(ctx))
        if aliases:
            args = respelled(args, aliases, options_taking_values(self),
                             positionals=sum(param.param_type_name == "argument" for param in self.params),
                             completing=ctx.resilient_parsing)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        yes = ctx.params.pop("yes", False) if self.adds_yes else ctx.params.get("yes", False)
        output = ctx.params.get("output")  # a str: Typer makes Paths only later
        if output:
            from nalcoop.render import check_output_path

            check_output_path(Path(output))  # a ledger, a folder or a device is refused before anything is asked
        confirm_replacing(output, yes=bool(yes))
        return super().invoke(ctx)


def number_value(text: str, option: str, *, minimum: int | None = None, counters: tuple[str, ...] = (),
                 what: str | None = None) -> int:
    """A whole number as typed, at a prompt or in an option (12, 12명 where `counters` has 명): the int, or a
    one-line usage error naming the option (never Python's own "invalid literal for int()")."""
    from nalcoop.importer.values import whole_number

    try:
        return whole_number(text, minimum, counters, what)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def hours_typed(text: str, option: str) -> float:
    """Hours as typed, at a prompt or in an option (90, 90시간, 1.5): the number, or a one-line usage error
    naming the option."""
    from nalcoop.importer.values import hours_value

    try:
        return hours_value(text, option)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def need(value: str | None, option: str, question: str) -> str:
    """A required value: asked for at a terminal, a usage error in a pipe or script."""
    if value not in (None, ""):
        return value
    if _stdin_is_terminal():
        from nalcoop.names import nfc

        return nfc(typer.prompt(question))
    raise UsageError(_("missing option '{option}' ({question}); see --help").format(option=option,
                                                                                     question=question.lower()))




def year_value(value: str | int | None, option: str = "--year") -> int | None:
    """A year typed as 2024 or 2024년: the int, or a one-line usage error naming what was typed
    (click's own "not a valid int" comes with three lines of usage)."""
    if value is None:
        return None
    text = str(value).strip().removesuffix("년").strip()
    if not re.fullmatch(r"\d{4}", text) or not 1000 <= int(text) <= 9999:
        raise UsageError(_("{option}: '{value}' is not a year; give four digits, such as 2024").format(
            option=option, value=value))
    return int(text)


def period_of(year: str | int | None, date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """(first day, last day) of --year or --from/--to, both inclusive; None where not given."""
    if year is not None and (date_from or date_to):
        raise UsageError(_("give either --year or --from/--to, not both"))
    if year is not None:
        number = year_value(year)
        return f"{number:04}-01-01", f"{number:04}-12-31"
    start, end = date_value(date_from, "--from"), date_value(date_to, "--to")
    if start and end and start > end:
        raise UsageError(_("--from {start} is after --to {end}").format(start=start, end=end))
    return start, end


def span_of(year: str | int | None, date_from: str | None, date_to: str | None,
            as_of: str | None = None) -> tuple[str | None, str]:
    """(first day or None, last day) of --year or --from/--to; without an end, --as-of or today (so a
    --from after today is refused, not read as an empty period)."""
    if as_of is not None:
        date_value(as_of, "--as-of")  # a mistyped day is named before any mix-up of options
    if as_of is not None and (year is not None or date_from is not None or date_to is not None):
        raise UsageError(_("give either --as-of or --year/--from/--to, not both"))
    start, end = period_of(year, date_from, date_to)
    if end is None:
        end = as_of_value(as_of)
        if start and start > end:
            if as_of is None:
                raise UsageError(_("--from {start} is after today ({end}); give --to as well").format(start=start,
                                                                                                     end=end))
            raise UsageError(_("--from {start} is after --as-of ({end}); give --to as well").format(start=start,
                                                                                                   end=end))
    return start, end

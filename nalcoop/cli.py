"""The `nalcoop` command: global options, the command groups, and one-line errors."""

from __future__ import annotations

import functools
import importlib
import sqlite3
import sys
from collections.abc import Callable, Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from nalcoop import __version__, i18n
from nalcoop.activities import ACTIVITIES
from nalcoop.commands import translation
from nalcoop.commands.common import (
    ALIASES,
    Command,
    FormatOpt,
    State,
    options_taking_values,
    refuse_undecodable,
    respelled,
)
from nalcoop.commands.translation import Translated
from nalcoop.errors import NalcoopError, visible
from nalcoop.i18n import _

translation.install()  # Typer's own words ("Options", "[default: …]") through nalcoop's catalog

# Every command at the root, in the order `nalcoop --help` lists them: where it lives (module:attribute, a
# Typer app for a group, a function for a command) and the first paragraph of its help. The root imports and
# builds a group only when it is invoked (or completed), and lists them all from here without importing any
# (tests/test_startup.py holds each summary to the help it stands for).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("nalcoop.commands.ledger:init", "Create the ledger (if needed), load the council registry and the "
             "legal-information network's founding facts (the Korean Legal Information Council and its six founding "
             "members). Safe to run again."),
    "info": ("nalcoop.commands.ledger:info", "Which ledger file is in use, its schema version and its row counts."),
    "history": ("nalcoop.commands.ledger:history", "The journal: who changed what, when, with which command."),
    "undo": ("nalcoop.commands.ledger:undo", "Revert a command's changes. Without ID: your own latest command not yet "
             "undone (by the journal's \"by\", your login name or --author); again, the one before it. A colleague's "
             "command needs its ID. The undo is journaled too; `nalcoop redo` re-applies what you undid."),
    "redo": ("nalcoop.commands.ledger:redo", "Re-apply what your latest undo reverted (undo and redo walk back and "
             "forth through your own commands)."),
    "check": ("nalcoop.commands.ledger:check", "Check the ledger: SQLite's integrity and foreign keys, the schema, the "
              "journal against the rows it names, the council registry, and every group's rules (steps in order, "
              "and so on)."),
    "backup": ("nalcoop.commands.ledger:backup", "Copy the ledger to FILE: a consistent copy even while a colleague "
               "is writing."),
    "restore": ("nalcoop.commands.ledger:restore", "Replace the ledger with a backup, after checking it; the current "
                "ledger is kept beside it."),
    "publish": ("nalcoop.commands.serve:publish", "Write the ledger's published copy to FILE: every table a colleague "
                "may read, with no personal data (names masked, no e-mails, telephones, contacts, notes about "
                "students, reveal log or journal). The same copy `nalcoop serve` shows; any SQLite tool or "
                "`datasette FILE` opens it."),
    "serve": ("nalcoop.commands.serve:serve", "A read-only web view of the ledger for colleagues, at "
              "http://127.0.0.1:8001 (Datasette): every table under its Korean title, filters and facets, canned "
              "questions with the figures of `nalcoop stats`, CSV and JSON exports. It shows the published copy (no "
              "personal data), never the ledger itself; nothing can be written through it. Needs the web extra: "
              "pip install 'nalcoop[web]'. Stop it with Ctrl-C."),
    **{activity.command: (activity.group, activity.summary) for activity in ACTIVITIES},  # nalcoop/activities.py
    "registry": ("nalcoop.commands.registry:app", "The council registry's dated changes: renames, moves, mergers, "
                 "splits, abolitions, creations."),
    "stats": ("nalcoop.commands.stats:app", "Statistics. Alone: every activity's headline figures in one screen — "
              "agreements in force by level with the coverage of the councils that existed then, signings, books "
              "donated and sites served, publications, copies and recipients sent, network members, events and "
              "attendances, interns and completions. With an activity (agreements, donations, distribution, "
              "network, interns): its own figures, grouped by --by, as a table, a file or a --chart."),
    "report": ("nalcoop.commands.report:app", "What goes into NAL's annual report and onto its web pages, from the "
               "ledger."),
}

_BUILT: dict[tuple[str, ...], Any] = {}  # click commands by path, built once a process (tests reuse them too)


def build(name: str) -> Any:
    """The click command of one root entry, imported and built on first use."""
    return _built((name,), lambda: _root_entry(name))


def _built(path: tuple[str, ...], make: Callable[[], Any]) -> Any:
    if path not in _BUILT:
        _BUILT[path] = make()
    return _BUILT[path]


def _root_entry(name: str) -> Any:
    from typer.main import get_command_from_info
    from typer.models import CommandInfo, TyperInfo

    module_name, attribute = COMMANDS[name][0].split(":")
    target = getattr(importlib.import_module(module_name), attribute)
    if isinstance(target, typer.Typer):  # as app.add_typer(target, name=name) would build it
        return _lazy_group(TyperInfo(target, name=name), (name,))
    return get_command_from_info(CommandInfo(callback=target, cls=Command), pretty_exceptions_short=True,
                                 rich_markup_mode=None)


def _lazy_group(info: Any, path: tuple[str, ...]) -> Any:
    """A Typer app as Typer would build it (same class, callback, options and help), except that each of its
    commands and sub-groups is built only when it is looked up: a command pays for itself alone."""
    import copy

    from typer.main import get_command_from_info, get_command_name, get_group_from_info, solve_typer_info_defaults

    app = info.typer_instance
    shell = copy.copy(app)
    shell.registered_commands, shell.registered_groups = [], []
    bare = copy.copy(info)
    bare.typer_instance = shell
    bare.cls = _translated_class(solve_typer_info_defaults(info).cls or TyperGroup)  # help in the run's language
    group = get_group_from_info(bare, pretty_exceptions_short=True, rich_markup_mode=None, suggest_commands=True)
    makers: dict[str, Callable[[], Any]] = {}
    for command_info in app.registered_commands:
        name = command_info.name or get_command_name(command_info.callback.__name__)
        if command_info.cls in (None, TyperCommand):  # every command is a nalcoop Command (aliases, -o's --yes)
            command_info = copy.copy(command_info)
            command_info.cls = Command
        makers[name] = functools.partial(get_command_from_info, command_info, pretty_exceptions_short=True,
                                         rich_markup_mode=None)
    for group_info in app.registered_groups:
        makers[group_info.name] = functools.partial(_lazy_group, group_info, (*path, group_info.name))
    group.commands = LazyCommands({name: functools.partial(_built, (*path, name), make)
                                   for name, make in makers.items()})
    return group


@functools.cache
def _translated_class(cls: type) -> type:
    return cls if issubclass(cls, Translated) else type(cls.__name__, (Translated, cls), {"__slots__": ()})


class LazyCommands(MutableMapping):
    """A group's commands by name, each built by its maker only when it is looked up."""

    def __init__(self, makers: dict[str, Callable[[], Any]]) -> None:
        self._makers = makers
        self._added: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name in self._added:
            return self._added[name]
        if name in self._makers:
            return self._makers[name]()
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:  # without building anything
        return name in self._added or name in self._makers

    def __setitem__(self, name: str, command: Any) -> None:
        self._added[name] = command

    def __delitem__(self, name: str) -> None:
        del self._added[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._makers
        yield from (name for name in self._added if name not in self._makers)

    def __len__(self) -> int:
        return len(self._makers) + sum(name not in self._makers for name in self._added)


def _fail(message: str, exit_code: int = 1) -> typer.Exit:
    # One line whatever it quotes: a typed or imported control character is shown, never obeyed.
    typer.echo(_(translation.ERROR).format(message=visible(message)), err=True)
    return typer.Exit(exit_code)


def _ledger_path(ctx: Any) -> str:
    """The ledger a failing command was using, for the error line (never raises)."""
    try:
        from nalcoop.ledger.files import locate

        current = ctx.find_root().obj
        return str(locate(getattr(current, "db", None)).path)
    except Exception:  # the error line must come out whatever happened before
        return _("the ledger")


def _sqlite_failure(ctx: Any, exc: sqlite3.Error) -> typer.Exit | None:
    """The one line for what SQLite reports about the disk or the file, by its error code (not its words)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    path = _ledger_path(ctx)
    disk = _disk_state(path) if name.startswith(("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN",
                                                 "SQLITE_IOERR")) else None
    if disk == "read-only":
        name = "SQLITE_READONLY"
    elif disk == "full":
        name = "SQLITE_FULL"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return _fail(_("the ledger is busy: another nalcoop command kept it locked too long; try again"))
    if name == "SQLITE_FULL":
        return _fail(_("the disk holding {path} is full; nothing was written. Free some space (or move the ledger "
                       "with --db) and run the command again").format(path=path))
    if name.startswith("SQLITE_READONLY"):
        return _fail(_("{path} cannot be written: the file, its folder or its disk is read-only; nothing was "
                       "written. Ask for write permission, or use a copy with --db").format(path=path))
    if name.startswith("SQLITE_CANTOPEN") or name == "SQLITE_PERM" or name == "SQLITE_AUTH":
        return _fail(_("cannot open {path} (or the -wal/-shm files beside it): check that the file and its "
                       "folder exist and that you may read and write them").format(path=path))
    if name.startswith("SQLITE_IOERR"):
        return _fail(_("reading or writing {path} failed ({error}); the disk may be full, read-only or failing. "
                       "Nothing was written; run `nalcoop check` once it is fixed").format(path=path, error=exc))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return _fail(_("the ledger file is damaged ({error}); run `nalcoop check`, and restore a backup "
                       "with `nalcoop restore FILE`").format(error=exc))
    return None


def _disk_state(path: str) -> str | None:
    """'read-only' or 'full' when the disk holding `path` is so (SQLite's own code is often only I/O error
    or cannot open, when its -wal or -shm file is what could not be written)."""
    import os
    from pathlib import Path

    try:
        info = os.statvfs(Path(path).parent)
    except (AttributeError, OSError):  # no statvfs on Windows
        return None
    if info.f_flag & getattr(os, "ST_RDONLY", 1):
        return "read-only"
    if info.f_bavail == 0:
        return "full"
    return None


def _os_failure(exc: OSError) -> typer.Exit:
    """A file the command had to read or write: which one, what went wrong, what to do."""
    import errno

    where = exc.filename if exc.filename is not None else _("a file")
    if exc.errno == errno.ENOSPC:
        return _fail(_("no space left on the disk for {file}; nothing was written. Free some space and run "
                       "the command again").format(file=where))
    if exc.errno == errno.EROFS:
        return _fail(_("{file} is on a read-only disk; nothing was written. Choose a place you can write")
                     .format(file=where))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _fail(_("permission denied for {file}; choose a file or folder you may write, or ask for access")
                     .format(file=where))
    return _fail(_("cannot use {file}: {error}").format(file=where, error=exc.strerror or exc))


class NalcoopGroup(Translated, TyperGroup):
    """The root: builds only the group that runs (COMMANDS), and turns a user's mistake into one line on stderr
    and a non-zero exit, never a traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands({name: functools.partial(build, name) for name in COMMANDS})

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The root's list of commands from their summaries, importing none of them."""

        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        with formatter.section(_("Commands")):
            formatter.write_dl([(name, translation.short_help(translation.option_help(summary), limit))
                                for name, (_target, summary) in COMMANDS.items()])

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        from typer._click.core import Command
        from typer._click.shell_completion import CompletionItem
        from typer._click.utils import make_default_short_help

        items = [CompletionItem(name, help=make_default_short_help(translation.option_help(summary)))
                 for name, (_target, summary) in COMMANDS.items() if name.startswith(incomplete)]
        return items + Command.shell_complete(self, ctx, incomplete)  # the root's own options

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Every argument enters here, once: Hangul typed or pasted on a Mac arrives decomposed (NFD), and
        # '가평군의회' must be the same name whichever keyboard typed it.
        if not all(arg.isascii() for arg in args):
            from nalcoop.names import nfc

            args = [nfc(arg) for arg in args]
        ctx.meta["nalcoop.argv"] = list(args)
        try:
            i18n.set_language(_language_option(args))  # first: every word from here on is in that language
            i18n.current()  # a wrong NALCOOP_LANG is named now, not halfway through a message
        except i18n.LanguageError as exc:
            i18n.set_language(i18n.SOURCE)  # the language is unknown: the error is said in the source's
            raise _fail(str(exc), exc.exit_code) from None
        args = respelled(args, ALIASES[""], options_taking_values(self), until_command=True,  # old root spellings
                         completing=ctx.resilient_parsing)
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:  # click's errors, as Typer ships them: they quote what was typed
            _show_safely(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _interrupted() from None
        except NalcoopError as exc:
            raise _fail(str(exc), exc.exit_code) from None
        except typer.TyperException as exc:  # click's errors (UsageError...), as Typer ships them
            message = str(getattr(exc, "message", ""))
            extra = message[message.rfind("(") + 1:message.rfind(")")].split()
            if message.startswith("Got unexpected extra argument") and not all(w.isdigit() for w in extra):
                # Most often a name with spaces typed without quotes: say so, not only what click saw.
                exc.message = translation.click_message(message) + _(
                    ". A name with spaces goes in quotes, such as --org '연세대학교 학술문화처 도서관'")
            _show_safely(exc)
            raise
        except sqlite3.IntegrityError as exc:
            from nalcoop.ledger.errors import is_rule, rule_said

            if is_rule(str(exc)):  # a rule the ledger itself keeps (a trigger's message)
                raise _fail(_("refused: {rule}; nothing was changed").format(rule=rule_said(str(exc)))) from None
            raise
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT":  # Ctrl-C during one long statement
                raise _interrupted() from None
            failure = _sqlite_failure(ctx, exc)
            if failure is None:
                raise
            raise failure from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None
        except MemoryError:
            raise _fail(_("the command ran out of memory; nothing was written. Split the file into smaller "
                          "ones and import them one by one")) from None
        except OSError as exc:
            raise _os_failure(exc) from None
        finally:
            if "nalcoop.progress" in sys.modules:  # only a command that reported progress loaded it
                sys.modules["nalcoop.progress"].finish()


def _show_safely(exc: Exception) -> None:
    """A click error quotes what was typed: its control characters are shown, never obeyed; and it is said in
    the language of the run. A group run without a command shows its help (click raises it as an error whose
    message is the help, already in the run's language): shown as it is, on its lines."""
    from typer._click.exceptions import NoArgsIsHelpError

    if isinstance(exc, NoArgsIsHelpError):
        return
    if isinstance(getattr(exc, "message", None), str):
        exc.message = visible(exc.message)
    translation.translate_error(exc)


ROOT_VALUES = ("--db", "--format", "-f", "--author", "--by", "--lang")  # the root's options that take a value


def _language_option(args: list[str]) -> str | None:
    """The root's --lang among `args` (before the command's name), or None."""
    position = 0
    while position < len(args):
        arg = args[position]
        if arg == "--lang":
            return args[position + 1] if position + 1 < len(args) else None
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
        if arg == "--" or not arg.startswith("-"):
            return None
        position += 2 if arg in ROOT_VALUES else 1
    return None


def _interrupted() -> typer.Exit:
    """Ctrl-C: the transaction has been rolled back and partial files removed; say so in one line, exit 130."""
    from nalcoop import progress

    progress.finish()
    typer.echo(progress.interrupted_message(), err=True)
    return typer.Exit(progress.INTERRUPTED_EXIT)


app = typer.Typer(
    cls=NalcoopGroup,
    name="nalcoop",
    help="The Domestic Cooperation ledger of the National Assembly Library of Korea.\n\n"
    "Example: nalcoop init && nalcoop agreement councils --level provincial",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nalcoop {__version__}")  # not a message: what scripts read
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH", help="The ledger file. Default: $NALCOOP_DB, else the "
                     "per-user file that `nalcoop info` names.", show_default=False),
    ] = None,
    fmt: FormatOpt = None,
    author: Annotated[
        str | None,
        typer.Option("--author", metavar="NAME", help="Who is making the change, for the journal "
                     "(default: your login name)."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors on stderr: no confirmations, import reports, notes "
                           "or progress. The data on stdout is the same.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="ko|en", help="The language of messages, help, tables, exports and "
                     "documents: ko (Korean, the default) or en (English). Default: $NALCOOP_LANG, else ko. "
                     "Command and option names, codes and JSON keys are the same in both.", show_default=False),
    ] = None,
) -> None:
    argv = ctx.meta.get("nalcoop.argv", [])
    if lang is not None:
        i18n.set_language(lang)  # as parse_args set it already, before anything was said
    if quiet:
        from nalcoop import progress

        progress.set_quiet(True)
        ctx.call_on_close(lambda: progress.set_quiet(False))  # for this command only (tests run many in one process)
    refuse_undecodable(argv)  # every command: a read quotes its arguments, a write journals them
    ctx.obj = State(db=db, fmt=fmt, author=author, argv=argv, quiet=quiet)


def main() -> None:
    app(prog_name="nalcoop")

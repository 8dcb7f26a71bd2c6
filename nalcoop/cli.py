"""The `nalcoop` command: global options, the command groups, and one-line errors."""

from __future__ import annotations

import sqlite3
import sys
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from nalcoop import __version__
from nalcoop.commands import agreement, distribute, donate, intern, ledger, network, registry, report, stats
from nalcoop.commands.common import FormatOpt, State, refuse_undecodable
from nalcoop.errors import NalcoopError, visible


def _fail(message: str, exit_code: int = 1) -> typer.Exit:
    # One line whatever it quotes: a typed or imported control character is shown, never obeyed.
    typer.echo(f"Error: {visible(message)}", err=True)
    return typer.Exit(exit_code)


def _ledger_path(ctx: Any) -> str:
    """The ledger a failing command was using, for the error line (never raises)."""
    try:
        from nalcoop.db import locate

        current = ctx.find_root().obj
        return str(locate(getattr(current, "db", None)).path)
    except Exception:  # the error line must come out whatever happened before
        return "the ledger"


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
        return _fail("the ledger is busy: another nalcoop command kept it locked too long; try again")
    if name == "SQLITE_FULL":
        return _fail(f"the disk holding {path} is full; nothing was written. Free some space (or move the ledger "
                     "with --db) and run the command again")
    if name.startswith("SQLITE_READONLY"):
        return _fail(f"{path} cannot be written: the file, its folder or its disk is read-only; nothing was "
                     "written. Ask for write permission, or use a copy with --db")
    if name.startswith("SQLITE_CANTOPEN") or name == "SQLITE_PERM" or name == "SQLITE_AUTH":
        return _fail(f"cannot open {path} (or the -wal/-shm files beside it): check that the file and its "
                     "folder exist and that you may read and write them")
    if name.startswith("SQLITE_IOERR"):
        return _fail(f"reading or writing {path} failed ({exc}); the disk may be full, read-only or failing. "
                     "Nothing was written; run `nalcoop check` once it is fixed")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return _fail(f"the ledger file is damaged ({exc}); run `nalcoop check`, and restore a backup "
                     "with `nalcoop restore FILE`")
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

    where = exc.filename if exc.filename is not None else "a file"
    if exc.errno == errno.ENOSPC:
        return _fail(f"no space left on the disk for {where}; nothing was written. Free some space and run "
                     "the command again")
    if exc.errno == errno.EROFS:
        return _fail(f"{where} is on a read-only disk; nothing was written. Choose a place you can write")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _fail(f"permission denied for {where}; choose a file or folder you may write, or ask for access")
    return _fail(f"cannot use {where}: {exc.strerror or exc}")


class NalcoopGroup(TyperGroup):
    """Turns a user's mistake into one line on stderr and a non-zero exit, never a traceback."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["nalcoop.argv"] = list(args)
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as exc:
            exc.message = visible(exc.message)  # click quotes the unknown option as typed
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NalcoopError as exc:
            raise _fail(str(exc), exc.exit_code) from None
        except typer.TyperException as exc:  # click's UsageError, as Typer ships it
            message = str(getattr(exc, "message", ""))
            extra = message[message.rfind("(") + 1:message.rfind(")")].split()
            if message.startswith("Got unexpected extra argument") and not all(w.isdigit() for w in extra):
                # Most often a name with spaces typed without quotes: say so, not only what click saw.
                exc.message += ". A name with spaces goes in quotes, such as --org '연세대학교 학술문화처 도서관'"
            raise
        except click.ClickException as exc:  # a usage error quoting what was typed: shown, never obeyed
            exc.message = visible(exc.message)
            raise
        except sqlite3.IntegrityError as exc:
            if str(exc).startswith("nalcoop: "):  # a rule the ledger itself keeps (a trigger's message)
                raise _fail(f"refused: {str(exc).removeprefix('nalcoop: ')}; nothing was changed") from None
            raise
        except sqlite3.Error as exc:
            failure = _sqlite_failure(ctx, exc)
            if failure is None:
                raise
            raise failure from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None
        except MemoryError:
            raise _fail("the command ran out of memory; nothing was written. Split the file into smaller "
                        "ones and import them one by one") from None
        except OSError as exc:
            raise _os_failure(exc) from None


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
        typer.echo(f"nalcoop {__version__}")
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
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="NAME", help="Who is making the change, for the journal "
                     "(default: your login name)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    argv = ctx.meta.get("nalcoop.argv", [])
    refuse_undecodable(argv)  # every command: a read quotes its arguments, a write journals them
    ctx.obj = State(db=db, fmt=fmt, by=by, argv=argv)


ledger.register(app)
app.add_typer(agreement.app, name="agreement")
app.add_typer(donate.app, name="donate")
app.add_typer(distribute.app, name="distribute")
app.add_typer(network.app, name="network")
app.add_typer(intern.app, name="intern")
app.add_typer(registry.app, name="registry")
app.add_typer(stats.app, name="stats")
app.add_typer(report.app, name="report")


def main() -> None:
    app(prog_name="nalcoop")

"""The `nalcoop` command: global options, the command groups, and one-line errors."""

from __future__ import annotations

import sqlite3
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from nalcoop import __version__
from nalcoop.commands import agreement, distribute, donate, intern, ledger, network, registry, report, stats
from nalcoop.commands.common import FormatOpt, State, refuse_undecodable
from nalcoop.errors import NalcoopError
from nalcoop.names import nfc


def _fail(message: str, exit_code: int = 1) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(exit_code)


class NalcoopGroup(TyperGroup):
    """Turns a user's mistake into one line on stderr and a non-zero exit, never a traceback."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Every argument enters here, once: Hangul typed or pasted on a Mac arrives decomposed (NFD), and
        # '가평군의회' must be the same name whichever keyboard typed it.
        args = [nfc(arg) for arg in args]
        ctx.meta["nalcoop.argv"] = list(args)
        return super().parse_args(ctx, args)

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
        except sqlite3.IntegrityError as exc:
            if str(exc).startswith("nalcoop: "):  # a rule the ledger itself keeps (a trigger's message)
                raise _fail(f"refused: {str(exc).removeprefix('nalcoop: ')}; nothing was changed") from None
            raise
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise _fail("the ledger is busy: another nalcoop command kept it locked too long; try again") from None
            raise
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc) or "not a database" in str(exc) or "corrupt" in str(exc):
                raise _fail(f"the ledger file is damaged ({exc}); run `nalcoop check`, and restore a backup "
                            "with `nalcoop restore FILE`") from None
            raise
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None


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

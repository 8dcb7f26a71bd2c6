"""`nalcoop publish` and `nalcoop serve`: the ledger's published copy (no personal data), as a file or as a
read-only web view for colleagues (Datasette, the `web` extra)."""

from pathlib import Path
from typing import Annotated

import typer

from nalcoop.commands.common import YesOpt, confirm_replacing, open_ledger, say
from nalcoop.errors import NalcoopError, UsageError
from nalcoop.i18n import _

INSTALL_WEB = "pip install 'nalcoop[web]'"


class WebExtraMissing(NalcoopError):
    pass


def publish(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The SQLite file to write (readable by you only; share it "
                                         "deliberately).")],
    yes: YesOpt = False,
) -> None:
    """Write the ledger's published copy to FILE: every table a colleague may read, with no personal data
    (names masked, no e-mails, telephones, contacts, notes about students, reveal log or journal). The same
    copy `nalcoop serve` shows; any SQLite tool or `datasette FILE` opens it.

    Example: nalcoop publish ~/share/nalcoop-published.db
    """
    from nalcoop.progress import on_interrupt
    from nalcoop.publish import publish as write_copy

    on_interrupt(_("nothing was published"))
    ledger = open_ledger(ctx)
    if file.resolve() == Path(ledger.path).resolve():
        raise UsageError(_("{file} is the ledger itself; give another file name for the published copy").format(
            file=file))
    if file.parent and not file.parent.is_dir():
        raise UsageError(_("{file}: the folder {folder} does not exist; create it or write somewhere else").format(
            file=file, folder=file.parent))
    confirm_replacing(file, yes=yes)
    write_copy(ledger, file)
    say(_("published {ledger} to {file} (no personal data; {size} MB)").format(
        ledger=ledger.path, file=file, size=f"{file.stat().st_size / 1024 / 1024:.1f}"))


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="The address to listen on. The default answers this "
                                      "computer only; 0.0.0.0 shares the view with everyone who can reach this "
                                      "computer on the network (see the README: what it exposes).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.", min=1, max=65535)] = 8001,
    refresh: Annotated[float | None, typer.Option("--refresh", metavar="MINUTES", min=0.05,
                                                  help="Make a new copy of the ledger every MINUTES while serving "
                                                  "(default: the copy made at start, until stopped).",
                                                  show_default=False)] = None,
) -> None:
    """A read-only web view of the ledger for colleagues, at http://127.0.0.1:8001 (Datasette): every table
    under its Korean title, filters and facets, canned questions with the figures of `nalcoop stats`, CSV and
    JSON exports. It shows the published copy (no personal data), never the ledger itself; nothing can be
    written through it. Needs the web extra: pip install 'nalcoop[web]'. Stop it with Ctrl-C.

    Example: nalcoop serve ; nalcoop serve --refresh 10 ; nalcoop serve --host 0.0.0.0 --port 8080
    """
    try:
        import datasette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise WebExtraMissing(_("nalcoop serve needs the web extra; install it with: {command}").format(
            command=INSTALL_WEB)) from None
    from nalcoop import i18n
    from nalcoop.web.server import serve as run

    ledger = open_ledger(ctx)  # opened (and upgraded) once here, so the refreshes only read
    path = Path(ledger.path)
    ledger.close()
    state_ledger = ctx.find_root().obj
    state_ledger.ledger = None

    def announce(url: str) -> None:
        if refresh:
            say(_("serving the published copy of {ledger} at {url} (Ctrl-C stops it); a new copy every {minutes} "
                  "minutes").format(ledger=path, url=url, minutes=f"{refresh:g}"))
        else:
            say(_("serving the published copy of {ledger} at {url} (Ctrl-C stops it)").format(ledger=path, url=url))

    try:
        run(path, host, port, refresh, i18n.current(), announce=announce)
    except OSError as exc:
        raise UsageError(_("cannot listen on {host}:{port}: {reason}; give another --port").format(
            host=host, port=port, reason=exc.strerror or exc)) from None

"""Commands about the ledger itself: init, info, history, undo."""

from __future__ import annotations

from typing import Annotated

import typer

from nalcoop.commands.common import FormatOpt, OutputOpt, emit, journaled, open_ledger, say, state


def init(ctx: typer.Context) -> None:
    """Create the ledger (if needed) and load the council registry. Safe to run again.

    Example: nalcoop init            (or: nalcoop --db ./team.db init)
    """
    from nalcoop import registry
    from nalcoop.db import locate

    location = locate(state(ctx).db)
    ledger = open_ledger(ctx, create=True)
    with journaled(ctx):
        added = registry.load_shipped(ledger.conn)
    councils = ledger.conn.execute("select count(*) from councils").fetchone()[0]
    if added:
        say(f"ledger ready at {location.path} (schema {ledger.schema_version}); "
            f"council registry: {councils} councils, loaded {', '.join(added)}")
    else:
        say(f"ledger already set up at {location.path} (schema {ledger.schema_version}); "
            f"council registry up to date ({councils} councils)")


def info(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Which ledger file is in use, its schema version and its row counts.

    Example: nalcoop info
    """
    from nalcoop import __version__
    from nalcoop.db import ENV_VAR, SCHEMA_VERSION, default_ledger_path, locate
    from nalcoop.render import Column

    location = locate(state(ctx).db)
    ledger = open_ledger(ctx)
    rows = [
        {"item": "ledger", "value": str(location.path)},
        {"item": "chosen by", "value": location.source},
        {"item": "default location", "value": f"{default_ledger_path()} (override with --db or {ENV_VAR})"},
        {"item": "schema version", "value": f"{ledger.schema_version} (this nalcoop {__version__} "
                                             f"knows up to {SCHEMA_VERSION})"},
    ]
    latest = ledger.conn.execute(
        "select effective_on, description from registry_changes order by effective_on desc, id desc limit 1"
    ).fetchone()
    if latest:
        rows.append({"item": "latest registry change", "value": f"{latest[0]}: {latest[1]}"})
    for table, count in ledger.counts().items():
        rows.append({"item": f"rows in {table}", "value": str(count)})
    emit(ctx, rows, [Column("item"), Column("value")], fmt=fmt, output=output, title="nalcoop ledger")


def history(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many commands, newest first.")] = 20,
    table: Annotated[str | None, typer.Option("--table", help="Only commands that changed this table "
                                              "(e.g. agreement_events, council_versions).")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The journal: who changed what, when, with which command.

    Example: nalcoop history --limit 5 --table agreement_events
    """
    from nalcoop import journal
    from nalcoop.render import Column

    ledger = open_ledger(ctx)
    rows = journal.history(ledger.conn, limit=limit, table=table)
    columns = [Column("id", kind="int"), Column("at"), Column("by"), Column("command"),
               Column("changes", kind="int"), Column("summary"), Column("undoes", kind="int"),
               Column("undone_by", kind="int")]
    emit(ctx, rows, columns, fmt=fmt, output=output, title="journal")


def undo(
    ctx: typer.Context,
    command_id: Annotated[int | None, typer.Argument(metavar="[ID]", help="The journal id to revert "
                                                     "(see `nalcoop history`). Default: the last command.")] = None,
) -> None:
    """Revert a command's changes. The undo is journaled too: `nalcoop undo` again redoes it.

    Example: nalcoop undo        (or: nalcoop undo 42)
    """
    from nalcoop import journal

    ledger = open_ledger(ctx)
    target = command_id if command_id is not None else journal.last_command_id(ledger.conn)
    original = ledger.conn.execute("select command from journal_commands where id = ?", [target]).fetchone()
    with journaled(ctx) as conn:
        count = journal.undo(conn, target, ledger.current_command)
    what = original[0] if original else f"command {target}"
    say(f"undid command {target} ({what}): {count} row change{'s' if count != 1 else ''} reverted")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(info)
    app.command()(history)
    app.command()(undo)

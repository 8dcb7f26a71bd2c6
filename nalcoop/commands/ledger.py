"""Commands about the ledger itself: init, info, history, undo, redo, check, backup, restore."""

from pathlib import Path
from typing import Annotated

import typer

from nalcoop.commands.common import (
    FormatOpt,
    OutputOpt,
    YesOpt,
    confirm,
    confirm_replacing,
    emit,
    journaled,
    open_ledger,
    say,
    state,
)


def init(
    ctx: typer.Context,
    group: Annotated[str | None, typer.Option("--group", metavar="NAME", help="Group mode, for a team on one "
                     "machine: the ledger, its -wal/-shm files and backups become 0660 and belong to this group, "
                     "its folders 2770. Without it everything is yours only (0600).")] = None,
) -> None:
    """Create the ledger (if needed), load the council registry and the legal-information network's
    founding facts (the Korean Legal Information Council and its six founding members). Safe to run again.

    Example: nalcoop init            (or: nalcoop --db ./team.db init --group nalcoop)
    """
    from nalcoop import network, registry
    from nalcoop.ledger.files import locate

    location = locate(state(ctx).db)
    sharing = _group_sharing(group) if group else None
    ledger = open_ledger(ctx, create=True, sharing=sharing)
    if sharing is not None:
        _share_with_group(location.path, sharing)
    with journaled(ctx):
        added = registry.load_shipped(ledger.conn)
        network_added = network.load_shipped(ledger.conn)
    councils = ledger.conn.execute("select count(*) from councils").fetchone()[0]
    if added:
        say(f"ledger ready at {location.path} (schema {ledger.schema_version}); "
            f"council registry: {councils} councils, loaded {', '.join(added)}")
    else:
        say(f"ledger already set up at {location.path} (schema {ledger.schema_version}); "
            f"council registry up to date ({councils} councils)")
    if network_added:
        say(f"legal-information network: loaded {', '.join(network_added)}")


def _group_sharing(group: str):
    from nalcoop.errors import UsageError
    from nalcoop.ledger.files import GROUP_FILE, GROUP_FOLDER, Sharing

    try:
        import grp
    except ImportError:
        raise UsageError("--group needs a Unix system (Linux, macOS); on Windows share the folder's permissions "
                         "instead") from None
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise UsageError(f"--group: there is no group '{group}' on this machine; ask the administrator to create "
                         "it (and add your colleagues to it)") from None
    return Sharing(GROUP_FILE, GROUP_FOLDER, gid)


def _share_with_group(path: Path, sharing) -> None:
    """Put an existing ledger, its -wal/-shm and its backups into group mode. Its folder is left as it is (it
    may be a home folder); folders init creates are made 2770."""
    from nalcoop.errors import NalcoopError
    from nalcoop.ledger.backup import backups_folder

    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    backups = backups_folder(path)
    try:
        if backups.is_dir():
            sharing.apply(backups, folder=True)
            files += [entry for entry in backups.iterdir() if entry.is_file()]
        for file in files:
            if file.exists():
                sharing.apply(file)
    except OSError as exc:
        raise NalcoopError(f"cannot give {exc.filename} to the group: {exc.strerror}; you must own it and belong "
                           "to the group") from None


def info(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Which ledger file is in use, its schema version and its row counts.

    Also where the default ledger is on each system. With -f json: one object (keys such as ledger,
    chosen_by, schema_version, rows_in_agreements). Example: nalcoop info
    """
    from nalcoop import __version__
    from nalcoop.ledger.files import DEFAULT_PLACES, ENV_VAR, default_ledger_path, locate
    from nalcoop.ledger.migrations import SCHEMA_VERSION
    from nalcoop.render import Column

    location = locate(state(ctx).db)
    ledger = open_ledger(ctx)
    fields = [
        ("ledger", "ledger", str(location.path)),
        ("chosen_by", "chosen by", location.source),
        ("default_location", f"default location (override with --db or {ENV_VAR})", str(default_ledger_path())),
        *((f"default_on_{_snake(system)}", f"default on {system}", place) for system, place in DEFAULT_PLACES.items()),
        ("schema_version", "schema version", ledger.schema_version),
        ("nalcoop_version", "nalcoop version", f"{__version__} (knows schema versions up to {SCHEMA_VERSION})"),
    ]
    latest = ledger.conn.execute(
        "select effective_on, description from registry_changes order by effective_on desc, id desc limit 1"
    ).fetchone()
    if latest:
        fields.append(("latest_registry_change", "latest registry change", f"{latest[0]}: {latest[1]}"))
    fields += [(f"rows_in_{table}", f"rows in {table}", count) for table, count in ledger.counts().items()]
    rows = [{"key": key, "item": item, "value": value} for key, item, value in fields]
    emit(ctx, rows, [Column("item", ko="항목"),
                     Column("value", ko="값")], fmt=fmt, output=output, title="nalcoop ledger", record=True)


def _snake(words: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")


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
    from nalcoop.ledger import journal
    from nalcoop.progress import on_interrupt

    on_interrupt("nothing was undone")
    from nalcoop.render import Column

    ledger = open_ledger(ctx)
    rows = journal.history(ledger.conn, limit=limit, table=table)
    columns = [Column("id", kind="int", ko="번호"), Column("at", kind="moment", ko="일시"),
               Column("by", ko="작업자"), Column("command", ko="명령"),
               Column("changes", kind="int", ko="변경 수"), Column("summary", ko="내용"),
               Column("undoes", kind="int", ko="되돌린 명령"),
               Column("undone_by", kind="int", ko="되돌려진 명령")]
    emit(ctx, rows, columns, fmt=fmt, output=output, title="journal")


def undo(
    ctx: typer.Context,
    command_id: Annotated[int | None, typer.Argument(metavar="[ID]", help="The journal id to revert "
                                                     "(see `nalcoop history`). Default: your latest command.")] = None,
) -> None:
    """Revert a command's changes. Without ID: your own latest command not yet undone (by the journal's
    "by", your login name or --author); again, the one before it. A colleague's command needs its ID. The undo
    is journaled too; `nalcoop redo` re-applies what you undid.

    Example: nalcoop undo        (or: nalcoop undo 42)
    """
    from nalcoop.ledger import journal

    ledger = open_ledger(ctx)
    who = state(ctx).who
    # The choice is made inside the write transaction: a colleague's command that commits meanwhile is
    # never the one reverted.
    with journaled(ctx) as conn:
        target = command_id if command_id is not None else journal.latest_own(conn, who, ledger.current_command)
        original = conn.execute("select command, by from journal_commands where id = ? and id < ?",
                                [target, ledger.current_command]).fetchone()
        count = journal.undo(conn, target, ledger.current_command)
    what = original[0] if original else f"command {target}"
    whose = f", a command by {original[1]}" if original and original[1] != who else ""
    say(f"undid command {target} ({what}{whose}): {count} row change{'s' if count != 1 else ''} reverted")


def redo(ctx: typer.Context) -> None:
    """Re-apply what your latest undo reverted (undo and redo walk back and forth through your own commands).

    Example: nalcoop undo ; nalcoop redo
    """
    from nalcoop.ledger import journal

    ledger = open_ledger(ctx)
    who = state(ctx).who
    with journaled(ctx) as conn:
        undo_id = journal.latest_own_undo(conn, who, ledger.current_command)
        target = conn.execute("select undoes from journal_commands where id = ?", [undo_id]).fetchone()[0]
        original = conn.execute("select command from journal_commands where id = ?", [target]).fetchone()
        count = journal.undo(conn, undo_id, ledger.current_command)
    say(f"redid command {target} ({original[0]}), undone by command {undo_id}: "
        f"{count} row change{'s' if count != 1 else ''} re-applied")


def check(ctx: typer.Context) -> None:
    """Check the ledger: SQLite's integrity and foreign keys, the schema, the journal against the
    rows it names, the council registry, and every group's rules (steps in order, and so on).

    Prints one summary line and exits 0 when everything holds; lists each problem and exits 1
    otherwise. Example: nalcoop check
    """
    from nalcoop.checks import run_checks
    from nalcoop.ledger.errors import DamagedLedger

    try:
        ledger = open_ledger(ctx)
    except DamagedLedger as exc:
        typer.echo(f"FAILED integrity: {exc}")
        typer.echo("1 check failed: the ledger cannot even be opened")
        raise typer.Exit(1) from None
    results = run_checks(ledger.conn)
    failed = [result for result in results if result.problems]
    names = ", ".join(result.name for result in results)
    if not failed:
        typer.echo(f"ok: {len(results)} checks passed ({names}) on {ledger.path}, schema {ledger.schema_version}")
        return
    for result in failed:
        for problem in result.problems:
            typer.echo(f"FAILED {result.name}: {problem}")
        if result.total > len(result.problems):
            typer.echo(f"FAILED {result.name}: ... and {result.total - len(result.problems)} more")
    problems = sum(result.total for result in failed)
    typer.echo(f"{len(failed)} of {len(results)} checks failed ({problems} problem{'s' if problems != 1 else ''}) "
               f"on {ledger.path}; restore a backup (`nalcoop restore FILE`) or ask for help before writing more")
    raise typer.Exit(1)


def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The backup file to write (readable by you only).")],
    yes: YesOpt = False,
) -> None:
    """Copy the ledger to FILE: a consistent copy even while a colleague is writing.

    Example: nalcoop backup ~/backups/nalcoop-2026-11-25.db
    """
    from nalcoop.ledger.backup import copy_ledger
    from nalcoop.progress import on_interrupt

    on_interrupt("no backup was made")

    ledger = open_ledger(ctx)
    confirm_replacing(file, yes=yes)
    copy_ledger(ledger.path, file, overwrite=file.is_file())
    say(f"backed up {ledger.path} to {file} ({file.stat().st_size / 1024 / 1024:.1f} MB)")


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup made by `nalcoop backup` (or an automatic one).")],
    yes: YesOpt = False,
) -> None:
    """Replace the ledger with a backup, after checking it; the current ledger is kept beside it.

    A backup from an older nalcoop is upgraded; one from a newer nalcoop is refused.
    Example: nalcoop restore ~/backups/nalcoop-2026-11-25.db
    """
    from nalcoop.checks import run_checks
    from nalcoop.ledger.restore import restore as restore_backup
    from nalcoop.progress import on_interrupt

    on_interrupt("the ledger was not replaced")
    from nalcoop.ledger.files import locate

    location = locate(state(ctx).db)
    confirm(f"replace the ledger {location.path} with {file} (the current one is kept beside it)", yes=yes)
    restored = restore_backup(location.path, file, run_checks)
    upgraded = (f", upgraded from schema {restored.schema_from}" if restored.schema_from != restored.schema_to
                else "")
    kept = f"; the ledger as it was is kept at {restored.kept}" if restored.kept else ""
    if restored.moved:
        kept = (f"; the damaged ledger was moved aside to {', '.join(str(path) for path in restored.moved)} "
                "(delete it once you have what you need from it)")
    say(f"restored {file} into {location.path} (schema {restored.schema_to}{upgraded}; "
        f"{restored.commands} command{'s' if restored.commands != 1 else ''} in its journal){kept}")
    if restored.schema_from != restored.schema_to:  # a backup from an older nalcoop: its registry too
        from nalcoop.commands.common import rekey_names_after_upgrade, update_registry_after_upgrade

        rekey_names_after_upgrade(open_ledger(ctx), restored.schema_from, state(ctx).who)
        update_registry_after_upgrade(open_ledger(ctx), restored.schema_from, state(ctx).who)

"""Commands about the ledger itself: init, info, history, undo, redo, check, backup, restore."""

from pathlib import Path
from typing import Annotated

import typer

from nalcoop.commands.common import (
    FormatOpt,
    OutputOpt,
    YesOpt,
    confirm_after_checking,
    confirm_replacing,
    emit,
    journaled,
    open_ledger,
    say,
    state,
)
from nalcoop.i18n import _, ngettext


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
        say(_("ledger ready at {path} (schema {schema}); council registry: {count} councils, loaded {changes}").format(
            path=location.path, schema=ledger.schema_version, count=councils, changes=", ".join(added)))
    else:
        say(_("ledger already set up at {path} (schema {schema}); council registry up to date ({count} "
              "councils)").format(path=location.path, schema=ledger.schema_version, count=councils))
    if network_added:
        say(_("legal-information network: loaded {names}").format(names=", ".join(network_added)))


def _group_sharing(group: str):
    from nalcoop.errors import UsageError
    from nalcoop.ledger.files import GROUP_FILE, GROUP_FOLDER, Sharing

    try:
        import grp
    except ImportError:
        raise UsageError(_("--group needs a Unix system (Linux, macOS); on Windows share the folder's permissions "
                           "instead")) from None
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise UsageError(_("--group: there is no group '{group}' on this machine; ask the administrator to create "
                           "it (and add your colleagues to it)").format(group=group)) from None
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
        raise NalcoopError(_("cannot give {file} to the group: {reason}; you must own it and belong to the "
                             "group").format(file=exc.filename, reason=exc.strerror)) from None


def info(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Which ledger file is in use, its schema version and its row counts.

    Also where the default ledger is on each system. With -f json: one object (keys such as ledger,
    chosen_by, schema_version, rows_in_agreements). Example: nalcoop info
    """
    from nalcoop import __version__
    from nalcoop.ledger.files import DEFAULT_PLACES, ENV_VAR, default_ledger_path, locate
    from nalcoop.ledger.schema import SCHEMA_VERSION
    from nalcoop.render import Column

    location = locate(state(ctx).db)
    ledger = open_ledger(ctx)
    fields = [  # (the JSON key, the same in every language; the item a person reads; the value)
        ("ledger", _("ledger"), str(location.path)),
        ("chosen_by", _("chosen by"), location.said),
        ("default_location", _("default location (override with --db or {variable})").format(variable=ENV_VAR),
         str(default_ledger_path())),
        *((f"default_on_{_snake(system)}", _("default on {system}").format(system=_(system)), _(place))
          for system, place in DEFAULT_PLACES.items()),
        ("schema_version", _("schema version"), ledger.schema_version),
        ("nalcoop_version", _("nalcoop version"),
         _("{version} (knows schema versions up to {schema})").format(version=__version__, schema=SCHEMA_VERSION)),
    ]
    latest = ledger.conn.execute(
        "select effective_on, description, origin from registry_changes order by effective_on desc, id desc limit 1"
    ).fetchone()
    if latest:
        from nalcoop.registry.queries import described

        fields.append(("latest_registry_change", _("latest registry change"),
                       f"{latest[0]}: {described(latest[1], latest[2])}"))
    fields += [(f"rows_in_{table}", _("rows in {table}").format(table=table), count)
               for table, count in ledger.counts().items()]
    # JSON gives the codes, the same in every language, where a person reads words: which rule chose the ledger
    # (option --db, environment variable NALCOOP_DB, per-user default), and the default places in English.
    codes = {"chosen_by": location.source,
             **{f"default_on_{_snake(system)}": place for system, place in DEFAULT_PLACES.items()}}
    rows = [{"key": key, "item": item, "value": value, **({"code": codes[key]} if key in codes else {})}
            for key, item, value in fields]
    emit(ctx, rows, [Column("item", ko="항목"),
                     Column("value", ko="값")], fmt=fmt, output=output, title=_("nalcoop ledger"), record=True)


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

    on_interrupt(_("nothing was undone"))
    from nalcoop.render import Column

    ledger = open_ledger(ctx)
    rows = journal.history(ledger.conn, limit=limit, table=table)
    columns = [Column("id", kind="int", ko="번호"), Column("at", kind="moment", ko="일시"),
               Column("by", ko="작업자"), Column("command", ko="명령"),
               Column("changes", kind="int", ko="변경 수"), Column("summary", ko="내용"),
               Column("undoes", kind="int", ko="되돌린 명령"),
               Column("undone_by", kind="int", ko="되돌려진 명령")]
    emit(ctx, rows, columns, fmt=fmt, output=output, title=_("journal"))


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
    from nalcoop.checks import undo_keeping_rules
    from nalcoop.ledger import journal

    ledger = open_ledger(ctx)
    who = state(ctx).who
    # The choice is made inside the write transaction: a colleague's command that commits meanwhile is
    # never the one reverted.
    with journaled(ctx) as conn:
        target = command_id if command_id is not None else journal.latest_own(conn, who, ledger.current_command)
        original = conn.execute("select command, by from journal_commands where id = ? and id < ?",
                                [target, ledger.current_command]).fetchone()
        count = undo_keeping_rules(conn, target, ledger.current_command)
    what = original[0] if original else _("command {id}").format(id=target)
    whose = _(", a command by {who}").format(who=original[1]) if original and original[1] != who else ""
    say(ngettext("undid command {id} ({what}{whose}): {count} row change reverted",
                 "undid command {id} ({what}{whose}): {count} row changes reverted", count).format(
        id=target, what=what, whose=whose, count=count))


def redo(ctx: typer.Context) -> None:
    """Re-apply what your latest undo reverted (undo and redo walk back and forth through your own commands).

    Example: nalcoop undo ; nalcoop redo
    """
    from nalcoop.checks import undo_keeping_rules
    from nalcoop.ledger import journal

    ledger = open_ledger(ctx)
    who = state(ctx).who
    with journaled(ctx) as conn:
        undo_id = journal.latest_own_undo(conn, who, ledger.current_command)
        target = conn.execute("select undoes from journal_commands where id = ?", [undo_id]).fetchone()[0]
        original = conn.execute("select command from journal_commands where id = ?", [target]).fetchone()
        count = undo_keeping_rules(conn, undo_id, ledger.current_command, redoes=target)
    say(ngettext("redid command {id} ({what}), undone by command {undo}: {count} row change re-applied",
                 "redid command {id} ({what}), undone by command {undo}: {count} row changes re-applied",
                 count).format(id=target, what=original[0], undo=undo_id, count=count))


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
        typer.echo(f"FAILED integrity: {exc}")  # not a message: "ok:" and "FAILED name:" stay as scripts read them
        typer.echo(_("1 check failed: the ledger cannot even be opened"))
        raise typer.Exit(1) from None
    results = run_checks(ledger.conn)
    failed = [result for result in results if result.problems]
    names = ", ".join(result.name for result in results)
    if not failed:
        typer.echo("ok: " + _("{count} checks passed ({names}) on {path}, schema {schema}").format(  # not a message
            count=len(results), names=names, path=ledger.path, schema=ledger.schema_version))
        return
    for result in failed:
        for problem in result.problems:
            typer.echo(f"FAILED {result.name}: {problem}")  # not a message: the problem speaks for itself
        if result.total > len(result.problems):
            typer.echo(f"FAILED {result.name}: " + _("... and {count} more").format(  # not a message
                count=result.total - len(result.problems)))
    problems = sum(result.total for result in failed)
    typer.echo(ngettext("{failed} of {total} checks failed ({count} problem) on {path}; restore a backup (`nalcoop "
                        "restore FILE`) or ask for help before writing more",
                        "{failed} of {total} checks failed ({count} problems) on {path}; restore a backup (`nalcoop "
                        "restore FILE`) or ask for help before writing more", problems).format(
        failed=len(failed), total=len(results), count=problems, path=ledger.path))
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

    on_interrupt(_("no backup was made"))

    ledger = open_ledger(ctx)
    confirm_replacing(file, yes=yes)
    copy_ledger(ledger.path, file, overwrite=file.is_file())
    say(_("backed up {path} to {file} ({size:.1f} MB)").format(path=ledger.path, file=file,
                                                               size=file.stat().st_size / 1024 / 1024))


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

    on_interrupt(_("the ledger was not replaced"))
    from nalcoop.ledger.files import locate

    location = locate(state(ctx).db)
    action = _("replace the ledger {path} with {file} (the current one is kept beside it)").format(
        path=location.path, file=file)
    ask = confirm_after_checking(action, yes=yes)
    restored = restore_backup(location.path, file, run_checks, before_writing=ask)
    upgraded = (_(", upgraded from schema {schema}").format(schema=restored.schema_from)
                if restored.schema_from != restored.schema_to else "")
    kept = _("; the ledger as it was is kept at {path}").format(path=restored.kept) if restored.kept else ""
    if restored.moved:
        kept = _("; the damaged ledger was moved aside to {paths} (delete it once you have what you need from "
                 "it)").format(paths=", ".join(str(path) for path in restored.moved))
    say(ngettext("restored {file} into {path} (schema {schema}{upgraded}; {count} command in its journal){kept}",
                 "restored {file} into {path} (schema {schema}{upgraded}; {count} commands in its journal){kept}",
                 restored.commands).format(file=file, path=location.path, schema=restored.schema_to,
                                           upgraded=upgraded, count=restored.commands, kept=kept))
    if restored.schema_from != restored.schema_to:  # a backup from an older nalcoop: its registry too
        from nalcoop.commands.common import rekey_names_after_upgrade, update_registry_after_upgrade

        rekey_names_after_upgrade(open_ledger(ctx), restored.schema_from, state(ctx).who)
        update_registry_after_upgrade(open_ledger(ctx), restored.schema_from, state(ctx).who)

"""`nalcoop registry`: the dated changes of the council map, and recording new ones."""

from typing import Annotated

import typer

from nalcoop.commands.common import (
    DryRunOpt,
    FormatOpt,
    OutputOpt,
    YesOpt,
    choice,
    confirm,
    date_option,
    date_value,
    emit,
    journaled,
    need,
    need_choice,
    open_ledger,
    say,
)
from nalcoop.errors import NalcoopError
from nalcoop.i18n import _
from nalcoop.registry import CHANGE_KINDS, CHANGE_ORIGINS, KINDS
from nalcoop.render import Column


class RegistryConflict(NalcoopError):
    pass

app = typer.Typer(
    no_args_is_help=True,
    help="The council registry's dated changes: renames, moves, mergers, splits, abolitions, creations.\n\n"
    "Example: nalcoop registry rename '인천 서구' --name 서해구 --date 2026-07-01 --source '인천광역시 공고'",
)


KindType = choice(KINDS)
CouncilArg = Annotated[str, typer.Argument(metavar="COUNCIL", help="A council name, short form or code.")]
DateOpt = Annotated[str | None, date_option("--date", "-d", help="The day the change takes effect.")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Where this is established: a law, a "
                                                "notice, a press report (required).", show_default=False)]
CodeOpt = Annotated[str | None, typer.Option("--code", help="The administrative code from that day.")]
EnglishOpt = Annotated[str | None, typer.Option("--english", help="English name of the local government "
                                                 "(default: Revised Romanization, e.g. Seohae-gu).")]


def _dated(date: str | None, source: str | None) -> tuple[str, str]:
    day = date_value(need(date, "--date", _("Effective date")), "--date")
    return day, need(source, "--source", _("Source (law, notice or report)"))


def _before(conn, text: str, day: str):
    """The council a change dated `day` applies to: as the name meant the day before."""
    from nalcoop import registry
    from nalcoop.dates import day_before

    return registry.resolve(conn, text, on_date=day_before(day))


@app.command()
def update(ctx: typer.Context, dry_run: DryRunOpt = False) -> None:
    """Add the registry changes this nalcoop ships that the ledger lacks (journaled: `nalcoop undo` takes
    them back). A change already recorded by hand is recognised, not recorded twice; one recorded otherwise
    (another day, name or code) is reported and left for you to settle.

    Example: nalcoop registry update --dry-run
    """
    from nalcoop import registry

    with journaled(ctx, dry_run=dry_run) as conn:
        report = registry.update_shipped(conn)
    added = _("dry run, nothing written — would add: {change}") if dry_run else _("added: {change}")
    for key in report.added:
        say(added.format(change=key))
    for line in report.recognised:
        say(_("recognised: {line}").format(line=line))
    if report.english:
        say(_("English names brought to the councils' published form: {count} council versions").format(
            count=report.english))
    if not (report.added or report.recognised or report.english or report.conflicts):
        say(_("the council registry is up to date"))
    if report.conflicts:
        for line in report.conflicts:
            say(_("conflict: {line}").format(line=line))
        raise RegistryConflict(_("{count} shipped registry change(s) not applied, as listed above; undo or correct "
                                 "the hand-recorded change (`nalcoop history --table council_versions`) and run "
                                 "`nalcoop registry update` again").format(count=len(report.conflicts)))


@app.command()
def changes(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Every dated change of the registry, shipped or recorded, with its source.

    Example: nalcoop registry changes
    """
    from nalcoop import registry

    ledger = open_ledger(ctx)
    rows = registry.changes(ledger.conn)
    columns = [Column("id", kind="int", ko="번호"), Column("effective_on", "effective", kind="date", ko="시행일"),
               Column("kind", ko="종류", terms=CHANGE_KINDS),
               Column("description", ko="내용"), Column("source", ko="출처"),
               Column("origin", ko="출처 구분", terms=CHANGE_ORIGINS),
               Column("versions", kind="int", ko="버전 수")]
    emit(ctx, rows, columns, fmt=fmt, output=output, title=_("council registry changes"))


@app.command()
def rename(ctx: typer.Context, council: CouncilArg,
           to: Annotated[str | None, typer.Option("--name", help="The new local government name, e.g. 서해구.",
                                                   show_default=False)] = None,
           date: DateOpt = None, source: SourceOpt = None, english: EnglishOpt = None, code: CodeOpt = None) -> None:
    """Rename a council from a date; it keeps its identity and its agreements.

    Example: nalcoop registry rename '인천 서구' --name 서해구 --date 2026-07-01 --source '인천광역시 공고'
    """
    from nalcoop import registry

    new_name = need(to, "--name", _("New name"))
    day, src = _dated(date, source)
    with journaled(ctx) as conn:
        found = _before(conn, council, day)
        registry.rename(conn, found, new_name.removesuffix("의회"), day, src, gov_en=english, code=code)
    say(_("{council} is {name} from {date}").format(council=found.label, name=new_name, date=day))


@app.command()
def recode(ctx: typer.Context, council: CouncilArg,
           code: Annotated[str | None, typer.Option("--code", help="The new administrative code.",
                                                     show_default=False)] = None,
           date: DateOpt = None, source: SourceOpt = None) -> None:
    """Give a council a new administrative code from a date.

    Example: nalcoop registry recode 전주시의회 --code 52111 --date 2024-01-18 --source "..."
    """
    from nalcoop import registry

    code = need(code, "--code", _("New administrative code"))
    day, src = _dated(date, source)
    with journaled(ctx) as conn:
        found = _before(conn, council, day)
        registry.recode(conn, found, code, day, src)
    say(_("{council}: code {code} from {date}").format(council=found.label, code=code, date=day))


@app.command()
def move(ctx: typer.Context, council: CouncilArg,
         province: Annotated[str | None, typer.Option("--province", help="The province it moves to.",
                                                      show_default=False)] = None,
         date: DateOpt = None, source: SourceOpt = None, code: CodeOpt = None) -> None:
    """Move a basic council to another province from a date (as 군위군 moved to 대구 in 2023).

    Example: nalcoop registry move 군위군 --province 대구 --code 27720 --date 2023-07-01 --source "..."
    """
    from nalcoop import registry

    province = need(province, "--province", _("Province it moves to"))
    day, src = _dated(date, source)
    with journaled(ctx) as conn:
        found = _before(conn, council, day)
        registry.move(conn, found, province, day, src, code=code)
    say(_("{council} is in {province} from {date}").format(council=found.name, province=province, date=day))


@app.command()
def abolish(ctx: typer.Context, council: CouncilArg, date: DateOpt = None, source: SourceOpt = None,
            dry_run: DryRunOpt = False, yes: YesOpt = False) -> None:
    """Abolish a council from a date; its history and agreements stay in the ledger. It asks first at a
    terminal, and in a script needs --yes; --dry-run says what would change.

    Example: nalcoop registry abolish '인천 중구' --date 2026-07-01 --source "..." --dry-run
    """
    from nalcoop import registry

    day, src = _dated(date, source)
    found = _before(open_ledger(ctx).conn, council, day)
    if not dry_run:
        confirm(_("abolish {council} from {date}").format(council=found.label, date=day), yes=yes)
    with journaled(ctx, dry_run=dry_run) as conn:
        registry.abolish(conn, _before(conn, council, day), day, src)
        written = _written(ctx, dry_run)
    say(_would(dry_run, _("{council} abolished from {date}").format(council=found.label, date=day)) + written)


def _would(dry_run: bool, line: str) -> str:
    return _("dry run, nothing written — would be: {line}").format(line=line) if dry_run else line


def _written(ctx: typer.Context, dry_run: bool) -> str:
    """In a dry run, the rows the change would write, by table (read before they are rolled back)."""
    if not dry_run:
        return ""
    from nalcoop.ledger.journal import summary_of

    ledger = open_ledger(ctx)
    return _(" (rows: {rows})").format(rows=summary_of(ledger.conn, ledger.current_command))


@app.command()
def create(ctx: typer.Context,
           name: Annotated[str, typer.Argument(help="The new local government's name, e.g. 검단구.")],
           kind: Annotated[str | None, typer.Option("--type", click_type=KindType, help=KINDS.help(),
                                                    show_default=False)] = None,
           province: Annotated[str | None, typer.Option("--province", help="Its province (basic councils).")] = None,
           date: DateOpt = None, source: SourceOpt = None, english: EnglishOpt = None, code: CodeOpt = None) -> None:
    """Create a council from a date.

    Example: nalcoop registry create 검단구 --type gu --province 인천 --date 2026-07-01 --source "..."
    """
    from nalcoop import registry

    chosen = need_choice(kind, "--type", _("Type"), KINDS)
    day, src = _dated(date, source)
    with journaled(ctx) as conn:
        registry.create(conn, name.removesuffix("의회"), chosen, day, src, province=province,
                        code=code, gov_en=english)
    say(_("{council} created from {date}").format(council=name, date=day))


@app.command()
def merge(ctx: typer.Context,
          councils: Annotated[list[str], typer.Argument(metavar="COUNCIL...", help="Two or more councils.")],
          into: Annotated[str | None, typer.Option("--into", help="One of them (which continues) or a new name.",
                                                   show_default=False)] = None,
          date: DateOpt = None, source: SourceOpt = None,
          kind: Annotated[str | None, typer.Option("--type", click_type=KindType, help="Type of a new council.")]
          = None,
          english: EnglishOpt = None, code: CodeOpt = None, dry_run: DryRunOpt = False,
          yes: YesOpt = False) -> None:
    """Merge councils from a date, into one of them or into a new council. It asks first at a terminal,
    and in a script needs --yes; --dry-run says what would change.

    Provinces merge the same way; their basic councils move into the new province with their names
    and codes. Example: nalcoop registry merge 청주시 청원군 --into 청주시 --date 2014-07-01 --source "..."
    """
    from nalcoop import registry

    into = need(into, "--into", _("Merged into (one of them, or a new name)"))
    day, src = _dated(date, source)
    found = [_before(open_ledger(ctx).conn, text, day) for text in councils]
    what = _("{councils} merged into {council} from {date}").format(councils=" + ".join(c.label for c in found),
                                                                     council=into, date=day)
    if not dry_run:
        confirm(_("record {change}").format(change=what), yes=yes)
    with journaled(ctx, dry_run=dry_run) as conn:
        registry.merge(conn, [_before(conn, text, day) for text in councils], into.removesuffix("의회"), day, src,
                       kind=kind, code=code, gov_en=english)
        written = _written(ctx, dry_run)
    say(_would(dry_run, what) + written)


@app.command()
def split(ctx: typer.Context, council: CouncilArg,
          new: Annotated[list[str] | None, typer.Option("--new", help="A council that splits off (repeat).",
                                                        show_default=False)] = None,
          date: DateOpt = None, source: SourceOpt = None,
          kind: Annotated[str | None, typer.Option("--type", click_type=KindType,
                                                   help="Type of the new councils.")] = None,
          code: Annotated[list[str] | None, typer.Option("--code", help="Their codes, in --new order.")] = None,
          dry_run: DryRunOpt = False) -> None:
    """New councils split off an existing one, which continues. --dry-run says what would change.

    Example: nalcoop registry split '인천 서구' --new 검단구 --date 2026-07-01 --source "..." --dry-run
    """
    from nalcoop import registry

    new = new or [need(None, "--new", _("Name of the council that splits off"))]
    day, src = _dated(date, source)
    with journaled(ctx, dry_run=dry_run) as conn:
        found = _before(conn, council, day)
        registry.split(conn, found, [n.removesuffix("의회") for n in new], day, src,
                       kind=kind, codes=code)
        written = _written(ctx, dry_run)
    say(_would(dry_run, _("{councils} split from {council} from {date}").format(
        councils=", ".join(new), council=found.label, date=day)) + written)

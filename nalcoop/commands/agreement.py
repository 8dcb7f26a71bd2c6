"""`nalcoop agreement`: agreements with local councils, from request to follow-up, as of any date."""

from pathlib import Path
from typing import Annotated

import typer

from nalcoop.agreements import FOLLOW_UP_KINDS, MODES, SHOWN_STATUSES, STATUSES, TIMELINE_STEPS
from nalcoop.commands.common import (
    AsOfOpt,
    DryRunOpt,
    FormatOpt,
    FromOpt,
    OutputOpt,
    SheetOpt,
    ToOpt,
    YearOpt,
    YesOpt,
    as_of_value,
    choice,
    confirm_replacing,
    date_option,
    date_value,
    emit,
    journaled,
    need,
    need_choice,
    open_ledger,
    period_of,
    run_import,
    say,
)
from nalcoop.commands.common import (
    report as report_rows,
)
from nalcoop.i18n import _, current, josa
from nalcoop.registry import KINDS, LEVELS
from nalcoop.render import Column

app = typer.Typer(
    no_args_is_help=True,
    help="Agreements (업무협약) with local councils: request → consultation → signing → follow-up.\n\n"
    "Example: nalcoop agreement sign 서울특별시의회 --date 2013-07-01 --mode in-person",
)


CouncilArg = Annotated[
    str,
    typer.Argument(metavar="COUNCIL", help="A council: 서울특별시의회, 서울시의회, '대구 중구', 종로구, "
                   "Jongno-gu Council, or the code 11110."),
]
DateOpt = Annotated[str | None, date_option("--date", "-d", help="The day of the step (2013-07-01, "
                                            "2013. 7. 1., 2013년 7월 1일 or 20130701).")]
RefOpt = Annotated[str | None, typer.Option("--ref", help="Reference or document number.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A free note.")]
LevelOpt = Annotated[str | None, typer.Option("--level", click_type=choice(LEVELS), help=LEVELS.help())]
ProvinceOpt = Annotated[str | None, typer.Option("--province", help="A province or metropolitan city: "
                                                  "경기도, 경기, 서울, 대구광역시 ...")]
StepProvinceOpt = Annotated[str | None, typer.Option("--province", help="The council's province, where its name is "
                                                      "shared: 광주시의회 --province 광주 is 광주광역시의회, "
                                                      "--province 경기 is 경기도 광주시의회.")]

COUNCIL_COLUMNS = [
    Column("name", "council", ko="의회명"), Column("name_en", "english", ko="영문명"), Column("province", ko="시도"),
    Column("level", ko="의회 구분", terms=LEVELS),
    Column("kind", ko="종류", terms=KINDS), Column("code", kind="code", ko="코드"),
]
STATUS_COLUMNS = [
    Column("council", ko="의회명"), Column("province", ko="시도"), Column("level", ko="의회 구분", terms=LEVELS),
    Column("code", kind="code", ko="코드"), Column("status", ko="상태", terms=STATUSES),
    Column("since", kind="date", ko="상태 변경일"), Column("requested_on", "requested", kind="date", ko="요청일"),
    Column("signed_on", "signed", kind="date", ko="체결일"), Column("mode", ko="체결 방식", terms=MODES),
    Column("ref", ko="문서번호"),
    Column("inherited_from", "inherited from", ko="승계 전 의회"),
]


@app.command()
def councils(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    level: LevelOpt = None,
    province: ProvinceOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The councils that existed at the end of a day, with Korean and English names and codes.

    Example: nalcoop agreement councils --level provincial --as-of 2020-02-29
    """
    from nalcoop import registry

    day = as_of_value(as_of)
    ledger = open_ledger(ctx)
    found = registry.councils_as_of(ledger.conn, day, level=level, province=province)
    rows = [council._asdict() for council in found]
    emit(ctx, rows, COUNCIL_COLUMNS, fmt=fmt, output=output,
         title=_("councils as of {day}: {count}").format(day=day, count=len(rows)))


def _record(ctx: typer.Context, council_text: str, step_name: str, day: str | None, province: str | None = None,
            **details) -> None:
    from nalcoop import agreements, registry

    on_date = date_value(need(day, "--date", _("Date of the step")), "--date")
    with journaled(ctx) as conn:
        council = registry.resolve(conn, council_text, province=province, on_date=on_date)
        agreements.record_step(conn, council, agreements.Step(step_name, on_date, **details))
        status = agreements.STATUS_AFTER[step_name]
    lang = current()
    say(_("{council}: {step} recorded on {date} (status: {status})").format(
        council=council.label, step=josa(agreements.STEPS.label(step_name, lang), "을", "를"), date=on_date,
        status=status if lang == "en" else agreements.STATUSES.label(status, lang)))


@app.command()
def request(ctx: typer.Context, council: CouncilArg, date: DateOpt = None, ref: RefOpt = None,
            note: NoteOpt = None, province: StepProvinceOpt = None) -> None:
    """Record a council's official request for an agreement (the first step).

    Example: nalcoop agreement request 서울특별시의회 --date 2013-05-01 --ref NAL-2013-12
    """
    _record(ctx, council, "request", date, province, ref=ref, note=note)


@app.command()
def consult(ctx: typer.Context, council: CouncilArg, date: DateOpt = None, ref: RefOpt = None,
            note: NoteOpt = None, province: StepProvinceOpt = None) -> None:
    """Record a consultation on an open request (may be repeated).

    Example: nalcoop agreement consult 서울특별시의회 --date 2013-06-10 --note "draft terms sent"
    """
    _record(ctx, council, "consult", date, province, ref=ref, note=note)


@app.command()
def sign(
    ctx: typer.Context,
    council: CouncilArg,
    date: DateOpt = None,
    mode: Annotated[str | None, typer.Option("--mode", click_type=choice(MODES), help=MODES.help(),
                                             show_default=False)] = None,
    ref: RefOpt = None,
    note: NoteOpt = None,
    without_request: Annotated[bool, typer.Option("--without-request", help="Record a signing whose request "
                                                  "predates the ledger.")] = False,
    province: StepProvinceOpt = None,
) -> None:
    """Record the signing and exchange of the agreement; it is in force from that day.

    Example: nalcoop agreement sign 가평군의회 --date 2021-05-20 --mode exchange
    """
    chosen = need_choice(mode, "--mode", _("Signing mode"), MODES)
    _record(ctx, council, "sign", date, province, mode=chosen, ref=ref, note=note, without_request=without_request)


@app.command("follow-up")
def follow_up(
    ctx: typer.Context,
    council: CouncilArg,
    date: DateOpt = None,
    kind: Annotated[str | None, typer.Option("--type", click_type=choice(FOLLOW_UP_KINDS),
                                             help=FOLLOW_UP_KINDS.help(), show_default=False)] = None,
    ref: RefOpt = None,
    note: NoteOpt = None,
    province: StepProvinceOpt = None,
) -> None:
    """Record a follow-up activity under an agreement in force.

    Example: nalcoop agreement follow-up 서울특별시의회 --date 2014-02-03 --type materials
    --note "2013 minutes received"
    """
    chosen = need_choice(kind, "--type", _("Type of follow-up"), FOLLOW_UP_KINDS)
    _record(ctx, council, "follow-up", date, province, follow_kind=chosen, ref=ref, note=note)


@app.command()
def renew(ctx: typer.Context, council: CouncilArg, date: DateOpt = None, ref: RefOpt = None,
          note: NoteOpt = None, province: StepProvinceOpt = None) -> None:
    """Record the renewal of an agreement in force.

    Example: nalcoop agreement renew 서울특별시의회 --date 2018-07-01
    """
    _record(ctx, council, "renew", date, province, ref=ref, note=note)


@app.command()
def withdraw(ctx: typer.Context, council: CouncilArg, date: DateOpt = None, ref: RefOpt = None,
             note: NoteOpt = None, province: StepProvinceOpt = None) -> None:
    """Record the withdrawal of an open request.

    Example: nalcoop agreement withdraw 종로구의회 --date 2019-03-02 --note "council election"
    """
    _record(ctx, council, "withdraw", date, province, ref=ref, note=note)


@app.command()
def terminate(ctx: typer.Context, council: CouncilArg, date: DateOpt = None, ref: RefOpt = None,
              note: NoteOpt = None, province: StepProvinceOpt = None) -> None:
    """Record the termination of an agreement in force (the council may request again later).

    Example: nalcoop agreement terminate 종로구의회 --date 2022-12-31 --note "terms expired"
    """
    _record(ctx, council, "terminate", date, province, ref=ref, note=note)


@app.command()
def show(ctx: typer.Context, council: CouncilArg, fmt: FormatOpt = None, output: OutputOpt = None,
         province: StepProvinceOpt = None) -> None:
    """The whole timeline of one council: every agreement step and registry change (a merged council's
    shows its predecessors' steps and the agreement it inherited).

    Example: nalcoop agreement show 서울특별시의회
    """
    from nalcoop import agreements, registry

    ledger = open_ledger(ctx)
    found = registry.resolve(ledger.conn, council, province=province)  # --province: as the refusal of 광주시의회 says
    rows = agreements.timeline(ledger.conn, found)
    columns = [Column("date", kind="date", ko="일자"), Column("cycle", kind="int", ko="회차"),
               Column("step", ko="단계", terms=TIMELINE_STEPS),
               Column("status", ko="상태", terms=SHOWN_STATUSES),
               Column("detail", ko="세부 내용"), Column("ref", ko="문서번호"), Column("note", ko="비고")]
    title = _("{council} ({english}, code {code})").format(council=found.label, english=found.name_en,
                                                            code=found.code)
    emit(ctx, rows, columns, fmt=fmt, output=output, title=title)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", click_type=choice(STATUSES),
                                               help=STATUSES.help())] = None,
    level: LevelOpt = None,
    province: ProvinceOpt = None,
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Each council's agreement status at the end of a day (inclusive).

    --year or --from/--to keep the councils whose status on that day began inside the period.
    Example: nalcoop agreement list --status signed --as-of 2020-02-29 | csvlook ;
    nalcoop agreement list --status signed --year 2024
    """
    from nalcoop import agreements

    day = as_of_value(as_of)
    start, end = period_of(year, date_from, date_to)
    ledger = open_ledger(ctx)
    rows = agreements.status_rows(ledger.conn, day, status=status, level=level, province=province,
                                  date_from=start, date_to=end)
    emit(ctx, rows, STATUS_COLUMNS, fmt=fmt, output=output,
         title=_("agreements as of {day}: {count}").format(day=day, count=len(rows)))


@app.command()
def due(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", min=0, help="Waiting longer than this many days.")] = 30,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Requests and consultations waiting longer than N days since their last step, oldest first.

    Example: nalcoop agreement due --days 60
    """
    from nalcoop import agreements

    day = as_of_value(as_of)
    ledger = open_ledger(ctx)
    rows = agreements.due(ledger.conn, day, days)
    columns = [Column("council", ko="의회명"), Column("province", ko="시도"),
               Column("status", ko="상태", terms=SHOWN_STATUSES),
               Column("last_step_on", "last step", kind="date", ko="최근 단계일"),
               Column("waited_days", "waited (days)", kind="int", ko="대기 일수"),
               Column("requested_on", "requested", kind="date", ko="요청일"), Column("ref", ko="문서번호"),
               Column("inherited_from", "inherited from", ko="승계 전 의회")]
    emit(ctx, rows, columns, fmt=fmt, output=output,
         title=_("waiting more than {days} days as of {day}").format(days=days, day=day))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An xlsx, xls, ods or csv file (UTF-8 or CP949).")],
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="A YAML column map for other "
                          "layouts (copy nalcoop/data/maps/agreements.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Import councils' agreement dates from a spreadsheet: all rows or none, safe to re-run.

    Headers such as 의회명, 시도, 구분, 코드, 요청일, 협의일, 협약일, 체결방식, 비고 are recognised,
    even below a title row. Example: nalcoop agreement import councils.xlsx --dry-run
    """
    from nalcoop import agreements

    table = agreements.read_agreements(file, sheet=sheet, column_map=column_map or "agreements")
    report = run_import(ctx, table, agreements.apply_agreements, dry_run=dry_run)
    _print_import_report(ctx, report, dry_run)


def _print_import_report(ctx: typer.Context, report, dry_run: bool) -> None:
    where = _(", sheet {sheet}").format(sheet=report.sheet) if report.sheet else ""
    header = report.header or _("header on row {row}").format(row=report.header_row)
    say(f"{report.file}{where}: {header}")
    if report.ignored_headers:
        say(_("columns not imported: {columns}").format(columns=", ".join(report.ignored_headers)))
    for warning in report.warnings:
        say(_("note: {line}").format(line=warning))
    from nalcoop.agreements import STEPS
    from nalcoop.importer import OUTCOMES, row_detail

    shown = [outcome for outcome in report.outcomes if outcome.outcome in ("created", "changed")]
    report_rows(ctx, [{"row": o.row, "council": o.council, "outcome": o.outcome, "steps": ", ".join(o.steps)}
                      for o in shown], [Column("row", kind="int", ko="행"), Column("council", ko="의회명"),
                                        Column("outcome", ko="결과", terms=OUTCOMES),
                                        Column("steps", ko="단계")],
                [row_detail(o.row, o.council, o.outcome, ", ".join(STEPS.said(step) for step in o.steps))
                 for o in shown],
                title=(_("{file}: would be") if dry_run else _("{file}: imported")).format(file=report.file))
    prefix = _("dry run, nothing written — would be: ") if dry_run else ""
    say(prefix + report.summary.split(" — ", 1)[1])


@app.command()
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The file to write: .xlsx, .csv or .tsv.")],
    yes: YesOpt = False,
) -> None:
    """Write every agreement (one row per cycle) in the layout `agreement import` reads back.

    Example: nalcoop agreement export agreements-2024.xlsx
    """
    from nalcoop import agreements
    from nalcoop.errors import UsageError
    from nalcoop.render import render

    if file.suffix.lower() not in (".xlsx", ".csv", ".tsv"):
        raise UsageError(_("{file}: export writes .xlsx, .csv or .tsv, the files `agreement import` reads").format(
            file=file))
    confirm_replacing(file, yes=yes)
    ledger = open_ledger(ctx)
    rows = agreements.export_rows(ledger.conn)
    render(rows, agreements.EXPORT_COLUMNS, output=file, title=_("agreements"))

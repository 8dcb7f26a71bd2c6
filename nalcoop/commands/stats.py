"""`nalcoop stats`: the overview across the five activities, and each activity's figures as of a
date (inclusive) or over a period, as tables, files or bar charts."""


from pathlib import Path
from typing import Annotated

import typer

from nalcoop.commands.common import (
    AsOfOpt,
    FormatOpt,
    OutputOpt,
    YearOpt,
    YesOpt,
    as_of_value,
    confirm_replacing,
    emit,
    open_ledger,
    span_of,
    state,
    year_value,
)
from nalcoop.errors import UsageError
from nalcoop.render import Column

app = typer.Typer(invoke_without_command=True)  # the help is the overview's (the callback's docstring)

ChartOpt = Annotated[bool, typer.Option("--chart", help="Draw horizontal bars in the terminal (the value at "
                                        "each bar's end) instead of a table.")]
MeasureOpt = Annotated[str | None, typer.Option("--measure", help="The column --chart draws (default: the "
                                                "activity's main figure).", show_default=False)]
ByOpt = Annotated[str | None, typer.Option("--by", help="The dimension to group by; see the command's help.",
                                           show_default=False)]
FromOpt = Annotated[str | None, typer.Option("--from", help="Start of a period (inclusive).")]
ToOpt = Annotated[str | None, typer.Option("--to", help="End of the period (inclusive).")]


@app.callback()
def overview(
    ctx: typer.Context,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The overview as things stood at the END of this "
                     "day (inclusive): this year up to the day, and what was in force then. Default: today.",
                     show_default=False)] = None,
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    compare: Annotated[bool | None, typer.Option("--compare/--no-compare", help="Put the previous period "
                       "beside: the year before for --year, the same days a year earlier for --as-of, as many "
                       "months (or days) just before for --from/--to. Default: on for --year.",
                       show_default=False)] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    yes: YesOpt = False,
) -> None:
    """Statistics. Alone: every activity's headline figures in one screen — agreements in force by level
    with the coverage of the councils that existed then, signings, books donated and sites served,
    publications, copies and recipients sent, network members, events and attendances, interns and
    completions. With an activity (agreements, donations, distribution, network, interns): its own
    figures, grouped by --by, as a table, a file or a --chart.

    The overview counts what happened in the period — January 1 to --as-of D (default today), the year
    --year Y (the current year up to today), or --from/--to (--from alone: up to today; --to alone: from
    January 1 of its year) — and gives "in force", "councils", "coverage %" and "members" as they stood
    at the end of its last day, marked (end). In files and pipes: tidy rows (activity, measure,
    dimension, value, from, to, as of; with --compare also previous, change, change %, compared with).

    Example: nalcoop stats --as-of 2020-02-29 ; nalcoop stats --year 2024 --format json ;
    nalcoop stats agreements --by year --chart
    """
    given = [name for name, value in (("--as-of", as_of), ("--year", year), ("--from", date_from),
                                      ("--to", date_to), ("--compare/--no-compare", compare), ("--format", fmt),
                                      ("--output", output), ("--yes", yes or None)) if value is not None]
    if ctx.invoked_subcommand is not None:
        if given:
            raise UsageError(f"{given[0]} before '{ctx.invoked_subcommand}' is an option of the overview "
                             f"(nalcoop stats {given[0].split('/')[0]} …); an activity takes its own options after "
                             f"its name: see nalcoop stats {ctx.invoked_subcommand} --help")
        return
    from nalcoop import overview as domain
    from nalcoop.render import check_destination

    if year is not None or date_from is not None or date_to is not None:
        start, end = span_of(year, date_from, date_to, as_of)
        today = as_of_value(None)
        period = domain.year_period(year_value(year), today) if year is not None else \
            domain.span(start or f"{end[:4]}-01-01", end, today)
    else:
        period = domain.to_date(as_of_value(as_of))
    compare = (year is not None) if compare is None else compare
    chosen = fmt.value if fmt else (None if output else (state(ctx).fmt.value if state(ctx).fmt else None))
    table = check_destination(chosen, output) == "table"
    confirm_replacing(output, yes=yes)
    rows = domain.overview(open_ledger(ctx).conn, period, compare=compare)
    emit(ctx, rows, overview_columns(compare=compare, table=table, rows=rows), fmt=fmt, output=output,
         title=_overview_title(period, compare), sections="activity")


def overview_columns(*, compare: bool, table: bool, rows: list[dict] | None = None) -> list[Column]:
    """The tidy columns (report.COLUMNS["overview"]). A table (one screen of 100 columns) marks the state
    figures "(end)" instead of showing the date columns; the title says which day and period."""
    from nalcoop.report import COLUMNS

    comparing = ("previous", "change", "change_pct", "compared_with")
    columns = [column for column in COLUMNS["overview"] if compare or column.key not in comparing]
    if not table:
        return columns
    for row in rows or []:
        row["shown"] = f"{row['measure']} (end)" if row["as_of"] else row["measure"]
    shown = {"measure": Column("shown", "measure"), "dimension": Column("dimension", "of")}
    return [shown.get(column.key, column) for column in columns
            if column.key not in ("from", "to", "as_of", "compared_with")]


def _overview_title(period, compare: bool) -> str:
    text = f"Domestic Cooperation in {period.label}" if period.kind == "year" else \
        f"Domestic Cooperation, {period.label}"
    if compare:
        text += f", beside {period.previous().label}"
    return text + f"; (end): at the end of {period.end}"


def _check_by(activity: str, by: str, allowed) -> str:
    """The grouping as the domain names it (any case typed), or a usage error listing what there is."""
    by = by.strip().casefold()
    if by not in allowed:
        listed = ", ".join(allowed[:-1]) + f" or {allowed[-1]}" if len(allowed) > 1 else allowed[0]
        raise UsageError(f"--by: {activity} have no '{by}'; they can be grouped by {listed}")
    return by


def _show(ctx: typer.Context, rows: list[dict], columns: str, *, title: str, fmt, output: Path | None,
          chart: bool, measure: str | None, default: str, period: tuple[str, str] | None = None) -> None:
    """A table (or file) of the rows with the activity's columns, or with --chart their bars: one per group,
    the total left out, and every year or month of the `period` (first day, last day) drawn, even empty."""
    from nalcoop.report import COLUMNS, open_start

    rows, columns = open_start(rows), COLUMNS[columns]
    if not chart:
        if measure is not None:
            raise UsageError("--measure chooses what --chart draws; add --chart")
        emit(ctx, rows, columns, fmt=fmt, output=output, title=title)
        return
    from nalcoop.render import chart as draw

    if fmt is not None and fmt.value != "table":
        raise UsageError(f"--chart draws bars, not {fmt.value}; leave out --chart to get {fmt.value}")
    numeric = [column for column in columns if column.kind in ("int", "float", "percent")]
    chosen = default if measure is None else measure
    value = next((column for column in numeric if chosen in (column.key, column.title)), None)
    if value is None:
        raise UsageError(f"--measure: '{chosen}' is not a figure of this table; choose one of "
                         f"{', '.join(column.key for column in numeric)}")
    if output is not None and output.suffix.lower() != ".txt":
        raise UsageError(f"-o {output}: a chart is text; give a .txt file, or leave out --chart for a table")
    from nalcoop.overview import every_step

    key = "dimension" if rows and "dimension" in rows[0] else "by"
    bars = [row for row in rows if row.get(key) != "total"]
    if period is not None:
        bars = every_step(bars, key, *period)
    for row in bars:  # members by role or type: name the body too, when there are several
        row["label"] = f"{row['body']} · {row['group']}" if row.get("body") and row.get(key) != "body" \
            else row["group"]
    draw(bars, Column("label"), value, title=f"{title}: {value.title}", output=output)


def _span_title(start: str, end: str) -> str:
    from nalcoop.registry import BEGINNING

    return f"{start} – {end}" if start and start != BEGINNING else f"up to the end of {end}"


@app.command()
def agreements(
    ctx: typer.Context,
    by: ByOpt = None,
    as_of: AsOfOpt = None,
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    chart: ChartOpt = False,
    measure: MeasureOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Agreements in force by level and province beside the councils that existed then, or the steps
    taken (requests, signings, withdrawals ...) over a period by level, province, year or month.

    --as-of D is inclusive: a council that signed on D counts. With --year or --from/--to, or --by year
    or month (everything up to --as-of, default today), counts the steps taken instead.
    --by: level or province (in force, or steps), year or month (steps).
    Example: nalcoop stats agreements --as-of 2020-02-29 ; nalcoop stats agreements --by year --chart
    """
    from nalcoop import agreements as domain
    from nalcoop.registry import BEGINNING

    if by is not None:
        by = _check_by("agreements", by, domain.PERIOD_DIMENSIONS)
    ledger = open_ledger(ctx)
    if year is not None or date_from is not None or date_to is not None or by in ("year", "month"):
        start, end = span_of(year, date_from, date_to, as_of)
        start = start or BEGINNING
        rows = domain.stats_period(ledger.conn, start, end, by=by or "level")
        _show(ctx, rows, "agreement steps", title=f"agreement steps {_span_title(start, end)}, by {by or 'level'}",
              fmt=fmt, output=output, chart=chart, measure=measure, default="signed", period=(start, end))
        return
    day = as_of_value(as_of)
    rows = domain.stats_as_of(ledger.conn, day)
    if by is not None:
        rows = [row for row in rows if row["dimension"] in ("total", by)]
    if chart and by is None:
        rows = [row for row in rows if row["dimension"] in ("total", "level")]
    _show(ctx, rows, "in force", title=f"agreements in force as of {day} (end of day)", fmt=fmt, output=output,
          chart=chart, measure=measure, default="in_force")


@app.command()
def donations(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="year, month, province, region (basic local government), type "
                  "(of library), reason or library.")] = "year",
    as_of: AsOfOpt = None,
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    chart: ChartOpt = False,
    measure: MeasureOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Books, batches and distinct sites donated (batches shipped), grouped by --by.

    --as-of D counts everything shipped up to the end of D; --year or --from/--to, what was shipped in
    that period. Regions are grouped as they stood on the last day. --by year gives the number
    of distinct sites served each year.
    Example: nalcoop stats donations --year 2024 --by province ; nalcoop stats donations --by province --chart
    """
    from nalcoop import donations as domain
    from nalcoop.registry import BEGINNING

    by = _check_by("donations", by, domain.STATS_DIMENSIONS)
    start, end = span_of(year, date_from, date_to, as_of)
    ledger = open_ledger(ctx)
    rows = domain.stats(ledger.conn, by, start or BEGINNING, end)
    _show(ctx, rows, "donations", title=f"books donated (batches shipped) {_span_title(start, end)}, by {by}",
          fmt=fmt, output=output, chart=chart, measure=measure, default="books", period=(start or BEGINNING, end))


@app.command()
def distribution(
    ctx: typer.Context,
    by: Annotated[str | None, typer.Option("--by", help="year (the default), month, country, type (of recipient), "
                  "publication, recipient, province (recipients in Korea) or domestic (Korea / abroad); with "
                  "--as-of, type by default.", show_default=False)] = None,
    year: YearOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Instead of what was sent: who was on the standing "
                     "lists at the END of this day (inclusive).", show_default=False)] = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    chart: ChartOpt = False,
    measure: MeasureOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Publications sent (runs, parcels, copies, recipients, returns rate) over a period, or who was on
    the standing lists as of a day, grouped by --by.

    Without --year, --from/--to or --as-of: everything sent up to today. Regions and recipients'
    details are taken as they stood on the last day.
    Example: nalcoop stats distribution --year 2024 --by country ; nalcoop stats distribution --as-of 2024-05-20
    """
    from nalcoop import distribution as domain
    from nalcoop.registry import BEGINNING

    by = _check_by("publications sent", by or ("type" if as_of is not None else "year"), domain.STATS_DIMENSIONS)
    conn = open_ledger(ctx).conn
    if as_of is not None:
        as_of_value(as_of)  # a mistyped day first
        if year is not None or date_from is not None or date_to is not None:
            raise UsageError("give either --as-of (who was on the lists) or --year/--from/--to (what was sent)")
        if by in ("year", "month"):
            raise UsageError(f"--by {by} counts what was sent; with --as-of (who was on the lists that day) group "
                             "by country, type, publication, recipient, province or domestic")
        day = as_of_value(as_of)
        rows = domain.stats_as_of(conn, by, day)
        _show(ctx, rows, "standing lists", title=f"on the standing lists at the end of {day}, by {by}", fmt=fmt,
              output=output, chart=chart, measure=measure, default="recipients")
        return
    start, end = span_of(year, date_from, date_to)
    start = start or BEGINNING
    rows = domain.stats_period(conn, by, start, end)
    _show(ctx, rows, "distribution", title=f"publications sent {_span_title(start, end)}, by {by}", fmt=fmt,
          output=output, chart=chart, measure=measure, default="copies", period=(start, end))


@app.command()
def network(
    ctx: typer.Context,
    by: Annotated[str | None, typer.Option("--by", help="What happened: kind (of event), year, month, type (of "
                  "organization) or org. Members (--as-of): body, role or type.", show_default=False)] = None,
    year: YearOpt = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Instead of what happened: the members of each body "
                     "at the END of this day (inclusive).", show_default=False)] = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    chart: ChartOpt = False,
    measure: MeasureOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The legal-information network over a period — events, attendances, people and organizations
    reached, organizations reached for the first time, training hours and completions — or the
    members of each body as of a day.

    An event counts in the period of its first day; only participants marked attended count.
    Without --year, --from/--to or --as-of: everything up to today, by kind.
    Example: nalcoop stats network --year 2024 ; nalcoop stats network --by year ;
    nalcoop stats network --as-of 2020-12-31
    """
    from nalcoop import network as domain
    from nalcoop.registry import BEGINNING

    conn = open_ledger(ctx).conn
    if as_of is not None:
        as_of_value(as_of)  # a mistyped day first
        if year is not None or date_from is not None or date_to is not None:
            raise UsageError("give either --as-of (members on a day) or --year/--from/--to (what happened)")
        chosen = by or "body"
        chosen = _check_by("members", chosen, domain.MEMBER_DIMENSIONS)
        day = as_of_value(as_of)
        rows = domain.stats_members(conn, chosen, day)
        _show(ctx, rows, "members", title=f"members at the end of {day}, by {chosen}", fmt=fmt, output=output,
              chart=chart, measure=measure, default="members")
        return
    chosen = by or "kind"
    chosen = _check_by("network events", chosen, domain.STATS_DIMENSIONS)
    start, end = span_of(year, date_from, date_to)
    start = start or BEGINNING
    rows = domain.stats_period(conn, chosen, start, end)
    _show(ctx, rows, "network", title=f"legal-information network {_span_title(start, end)}, by {chosen}", fmt=fmt,
          output=output, chart=chart, measure=measure, default="attended", period=(start, end))


@app.command()
def interns(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="cohort, year or month (the cohort's start), university or "
                  "department.")] = "cohort",
    year: Annotated[str | None, typer.Option("--year", help="Cohorts that began in this year.",
                                             show_default=False)] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Cohorts that began on or after this day.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Cohorts that began on or before this day.")] = None,
    chart: ChartOpt = False,
    measure: MeasureOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The apprenticeship: applicants, accepted and the acceptance rate, placed, completed, dropped and hours
    delivered, for cohorts that began in the period, grouped by --by. Anonymous: the figures survive a purge.

    By department, a student who rotated counts in each department with the hours logged there.
    Example: nalcoop stats interns --year 2025 --by university
    """
    from nalcoop import interns as domain
    from nalcoop.registry import BEGINNING

    by = _check_by("interns", by, domain.STATS_DIMENSIONS)
    start, end = span_of(year, date_from, date_to)
    start = start or BEGINNING
    rows = domain.stats(open_ledger(ctx).conn, by, start, end)
    _show(ctx, rows, "interns", title=f"apprenticeship cohorts begun {_span_title(start, end)}, by {by}", fmt=fmt,
          output=output, chart=chart, measure=measure, default="applicants", period=(start, end))

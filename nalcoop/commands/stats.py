"""`nalcoop stats`: the overview across the five activities, and each activity's figures as of a
date (inclusive) or over a period, as tables, files or bar charts."""


from pathlib import Path
from typing import Annotated

import typer

from nalcoop.activities import ACTIVITIES
from nalcoop.commands.common import (
    AsOfOpt,
    FormatOpt,
    FromOpt,
    OutputOpt,
    ToOpt,
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
from nalcoop.i18n import _
from nalcoop.render import Column

app = typer.Typer(invoke_without_command=True)  # the help is the overview's (the callback's docstring)

ChartOpt = Annotated[bool, typer.Option("--chart", help="Draw horizontal bars in the terminal (the value at "
                                        "each bar's end) instead of a table.")]
MeasureOpt = Annotated[str | None, typer.Option("--measure", help="The column --chart draws (default: the "
                                                "activity's main figure).", show_default=False)]
ByOpt = Annotated[str | None, typer.Option("--by", help="The dimension to group by; see the command's help.",
                                           show_default=False)]


@app.callback()
def overview(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
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
            raise UsageError(_("{option} before '{activity}' is an option of the overview (nalcoop stats {typed} …); "
                               "an activity takes its own options after its name: see nalcoop stats {activity} "
                               "--help").format(option=given[0], activity=ctx.invoked_subcommand,
                                                typed=given[0].split("/")[0]))
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
    from nalcoop.i18n import _

    measure = next(column for column in columns if column.key == "measure")
    for row in rows or []:  # the measure in the run's language, a state figure marked as at the end
        shown = measure.shown(row["measure"])
        row["shown"] = _("{measure} (end)").format(measure=shown) if row["as_of"] else shown
    replaced = {"measure": Column("shown", "measure", ko="지표"),
                "dimension": Column("dimension", "of", ko="구분", terms=next(
                    column for column in columns if column.key == "dimension").terms)}
    return [replaced.get(column.key, column) for column in columns
            if column.key not in ("from", "to", "as_of", "compared_with")]


def _overview_title(period, compare: bool) -> str:
    from nalcoop.i18n import _

    text = _("Domestic Cooperation in {period}") if period.kind == "year" else _("Domestic Cooperation, {period}")
    text = text.format(period=period.label)
    if compare:
        text += _(", beside {period}").format(period=period.previous().label)
    return text + _("; (end): at the end of {day}").format(day=period.end)


def _check_by(noun: str, by: str, allowed) -> str:
    """The grouping as the domain names it (any case typed), or a usage error listing what there is. `noun`
    is the statistic's (English, marked N_ where it is declared)."""
    code = allowed.lookup(by)  # the code in any case, or its Korean word (--by 연도)
    if code is None:
        raise UsageError(_("--by: {noun} have no '{by}'; they can be grouped by {choices}").format(
            noun=_(noun), by=by.strip().casefold(), choices=allowed.choices()))
    return code


def _chosen(statistics, by: str | None, as_of: str | None, spanned: bool):
    """(the statistic, the --by) that the options ask for. The first statistic counts what happened over a
    period; a `day` one, the state at the end of --as-of. Where the day table bounds the other (agreements:
    in force, or the steps up to --as-of) the day is the default and a --by only the period has counts up
    to --as-of; elsewhere --as-of asks for the day table and a period or such a --by is refused."""
    period = statistics[0]
    day = next((statistic for statistic in statistics if statistic.day), None)
    if as_of is not None and day is not None and not day.bounds:
        if spanned:
            raise UsageError(_("give either --as-of ({day}) or --year/--from/--to ({period})").format(
                day=_(day.meaning), period=_(period.meaning)))
        if by is None:
            return day, day.dimensions[0]
        by = period.dimensions.lookup(by) or day.dimensions.lookup(by) or by
        if by in period.dimensions and by not in day.dimensions:
            raise UsageError(_("--by {by} counts {period}; with --as-of ({day}) group by {choices}").format(
                by=by, period=_(period.meaning), day=_(day.meaning), choices=day.dimensions.choices()))
        return day, _check_by(day.noun, by, day.dimensions)
    if by is not None:
        by = _check_by(period.noun, by, period.dimensions)
    if day is not None and day.bounds and not spanned and (by is None or by in day.dimensions):
        return day, by
    return period, by or period.dimensions[0]


def _stats(activity, ctx: typer.Context, by: str | None, as_of: str | None, year: str | None, date_from: str | None,
           date_to: str | None, chart: bool, measure: str | None, fmt, output: Path | None) -> None:
    """`nalcoop stats ACTIVITY`: the activity's statistic the options ask for, as a table, file or chart."""
    from nalcoop.breakdown import Span

    if as_of is not None:
        as_of_value(as_of)  # a mistyped day first
    module = activity.load_module()
    statistic, by = _chosen(module.STATISTICS, by, as_of, any(v is not None for v in (year, date_from, date_to)))
    if statistic.day:
        day = as_of_value(as_of)
        conn = open_ledger(ctx).conn
        if by is None:  # every dimension the day table has, under one total (a chart: the first)
            rows = module.stats(conn, statistic.dimensions[0], Span.as_of(day)).rows()
            if not chart:
                rows += [row for other in statistic.dimensions[1:]
                         for row in module.stats(conn, other, Span.as_of(day)).groups]
        else:
            rows = module.stats(conn, by, Span.as_of(day)).rows()
        _show(ctx, rows, statistic, title=_title(statistic, by, day=day), fmt=fmt, output=output,
              chart=chart, measure=measure)
        return
    start, end = span_of(year, date_from, date_to, as_of)
    span = Span.during(start, end)
    rows = module.stats(open_ledger(ctx).conn, by, span).rows()
    _show(ctx, rows, statistic, title=_title(statistic, by, span=_span_title(span.start, end)), fmt=fmt,
          output=output, chart=chart, measure=measure, period=(span.start, end))


def _title(statistic, by: str | None, **dates: str) -> str:
    """The statistic's title (English, marked N_ where it is declared) in the language of the run, with its
    --by as a word of that language (연도 for year)."""
    return _(statistic.title).format(by=statistic.dimensions.said(by) if by else "", **dates)


def _show(ctx: typer.Context, rows: list[dict], statistic, *, title: str, fmt, output: Path | None,
          chart: bool, measure: str | None, period: tuple[str, str] | None = None) -> None:
    """A table (or file) of the rows with the statistic's columns, or with --chart their bars: one per group,
    the total left out, and every year or month of the `period` (first day, last day) drawn, even empty."""
    from nalcoop.breakdown import every_step, open_start

    rows, columns, key = open_start(rows), list(statistic.columns), statistic.key
    if not chart:
        if measure is not None:
            raise UsageError(_("--measure chooses what --chart draws; add --chart"))
        emit(ctx, rows, columns, fmt=fmt, output=output, title=title)
        return
    from nalcoop.render import chart as draw

    if fmt is not None and fmt.value != "table":
        raise UsageError(_("--chart draws bars, not {format}; leave out --chart to get {format}").format(
            format=fmt.value))
    numeric = [column for column in columns if column.kind in ("int", "float", "percent")]
    chosen = statistic.measure if measure is None else measure
    value = next((column for column in numeric if chosen in (column.key, column.title)), None)
    if value is None:
        raise UsageError(_("--measure: '{measure}' is not a figure of this table; choose one of {choices}").format(
            measure=chosen, choices=", ".join(column.key for column in numeric)))
    if output is not None and output.suffix.lower() != ".txt":
        raise UsageError(_("-o {file}: a chart is text; give a .txt file, or leave out --chart for a table").format(
            file=output))
    bars = [row for row in rows if row.get(key) != "total"]
    if period is not None:
        bars = every_step(bars, key, *period)
    group = next((column for column in columns if column.key == "group"), Column("group"))
    for row in bars:  # a bar says its group as the table does (대면, 광역의회); with the body when there are several
        said = group.shown(row["group"])
        row["label"] = f"{row['body']} · {said}" if row.get("body") and row.get(key) != "body" else said
    draw(bars, Column("label", ko="항목"), value, title=f"{title}: {value.title}", output=output)


def _span_title(start: str, end: str) -> str:
    from nalcoop.dates import BEGINNING

    if start and start != BEGINNING:
        return _("{start} – {end}").format(start=start, end=end)
    return _("up to the end of {end}").format(end=end)


def stats_command(activity):
    """`nalcoop stats NAME` for one activity of the list: its help from the list, its figures from its module."""
    by_option = Annotated[str | None, typer.Option("--by", help=activity.by_help, show_default=False)]

    def command(
        ctx: typer.Context,
        by: by_option = None,
        as_of: AsOfOpt = None,
        year: YearOpt = None,
        date_from: FromOpt = None,
        date_to: ToOpt = None,
        chart: ChartOpt = False,
        measure: MeasureOpt = None,
        fmt: FormatOpt = None,
        output: OutputOpt = None,
    ) -> None:
        _stats(activity, ctx, by, as_of, year, date_from, date_to, chart, measure, fmt, output)

    command.__doc__ = activity.statistics
    command.__name__ = activity.name
    return command


for _activity in ACTIVITIES:
    app.command(_activity.name)(stats_command(_activity))

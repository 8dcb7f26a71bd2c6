"""`nalcoop report`: the annual report workbook and the figure sentences for the web page."""


from pathlib import Path
from typing import Annotated

import typer

from nalcoop.commands.common import AsOfOpt, as_of_value, open_ledger, say, state, year_value
from nalcoop.errors import UsageError
from nalcoop.i18n import _

app = typer.Typer(
    no_args_is_help=True,
    help="What goes into NAL's annual report and onto its web pages, from the ledger.\n\n"
    "Example: nalcoop report annual 2024 -o 2024-domestic-cooperation.xlsx ; "
    "nalcoop report sentence --as-of 2020-02-29",
)


@app.command()
def annual(
    ctx: typer.Context,
    year: Annotated[str, typer.Argument(metavar="YEAR", help="The year reported, such as 2024.", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The workbook to write (.xlsx).",
                                                show_default=False)] = None,
) -> None:
    """The annual report workbook: a summary sheet (the year beside the year before, with the change), a
    sheet for each activity (its figures for the year by its natural dimensions, with a native Excel
    chart: signings per year, books per province, copies per country ...), and a sources sheet (which
    ledger, when, and this command). Headers frozen and repeated on each printed page, numbers as
    numbers, dates as dates, A4 fitted to the page width.

    Example: nalcoop report annual 2024 -o 2024-domestic-cooperation.xlsx
    """
    import datetime as _dt

    from nalcoop import __version__, dates, report
    from nalcoop.i18n import _
    from nalcoop.progress import on_interrupt
    from nalcoop.render import check_output_path, write_workbook

    on_interrupt(_("no report was written"))

    number = year_value(year, "YEAR")
    if output is None:
        raise UsageError(_("give the workbook to write: nalcoop report annual {year} -o "
                           "{year}-domestic-cooperation.xlsx").format(year=number))
    if output.suffix.lower() != ".xlsx":
        raise UsageError(_("-o {file}: the annual report is an Excel workbook; give a file ending in .xlsx").format(
            file=output))
    check_output_path(output)
    ledger = open_ledger(ctx)
    current = state(ctx)
    today = as_of_value(None)
    last_day = min(f"{number:04}-12-31", today)
    sources = [
        (_("ledger"), str(Path(ledger.path).resolve())),
        (_("schema version"), str(ledger.schema_version)),
        (_("made on"), dates.shown_time(_dt.datetime.now().astimezone())),
        (_("made by"), current.who),
        (_("command"), current.command_line),
        (_("program"), f"nalcoop {__version__}"),
        (_("period"), _("{first} – {last} (both days inclusive; a year not yet over, up to today)").format(
            first=f"{number:04}-01-01", last=last_day)),
        (_("states"), _("agreements in force and network members: at the end of the period's last day")),
        (_("regions"), _("grouped as they stood on the period's last day")),
        (_("counting"), _("donations: batches shipped; distribution: runs sent; network: events by their first "
                          "day, participants marked attended; interns: cohorts that began in the year")),
    ]
    sheets = report.annual_sheets(ledger.conn, number, sources, today=today)
    write_workbook(output, sheets)
    say(_("wrote the {year} annual report to {file}: sheets {sheets}").format(
        year=number, file=output, sheets=", ".join(s.name for s in sheets)))


@app.command()
def sentence(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    lang: Annotated[str | None, typer.Option("--lang", help="ko (Korean) or en (English). Default: the "
                    "sentence checked with --check, else the language of the run (Korean unless --lang en "
                    "comes before the command or NALCOOP_LANG=en).", show_default=False)] = None,
    about: Annotated[str, typer.Option("--about", help="agreements (councils with an agreement in force, by "
                     "level) or donations (books and libraries since the first batch).")] = "agreements",
    check: Annotated[str | None, typer.Option("--check", help="Instead: check a sentence someone wrote about "
                     "agreements against the ledger on --as-of (say where its numbers are wrong or swapped).",
                     show_default=False)] = None,
) -> None:
    """The figure sentence the web page and press releases use, for a date, in English or Korean, with
    the numbers under the levels the council registry gives them (never "92 metropolitan and
    provincial": there were 17).

    Example: nalcoop report sentence --as-of 2020-02-29 --lang ko ;
    nalcoop report sentence --as-of 2020-02-29 --check "92 metropolitan and provincial assemblies, and 17 district
    councils"
    """
    import re

    from nalcoop import report

    day = as_of_value(as_of)
    if check is not None and (report.TOPICS.lookup(about) or about) != "agreements":
        raise UsageError(_("--check reads sentences about agreements only; leave out --about"))
    if lang is None:  # a sentence checked is answered in its own language; else the run's
        if check is not None:
            lang = "ko" if re.search("[가-힣]", check) else "en"
        else:
            from nalcoop.i18n import current

            lang = current()
    conn = open_ledger(ctx).conn
    right = report.sentence(conn, "agreements" if check is not None else about, day, lang)
    if check is None:
        typer.echo(right)
        return
    problems = report.check_sentence(conn, check, day)
    if problems:
        for problem in problems[:-1]:
            say(_("wrong: {problem}").format(problem=problem))
        raise report.ReportError(_("{problem}. The ledger's sentence: {sentence}").format(problem=problems[-1],
                                                                                        sentence=right))
    typer.echo(_("agrees with the ledger on {date}: {sentence}").format(date=day, sentence=right))

"""`nalcoop stats`: figures as of a date (inclusive) or over a period."""

from __future__ import annotations

from typing import Annotated

import typer

from nalcoop.commands.common import (
    AsOfOpt,
    FormatOpt,
    OutputOpt,
    as_of_value,
    date_value,
    emit,
    open_ledger,
    period_of,
)
from nalcoop.errors import UsageError
from nalcoop.render import Column

app = typer.Typer(
    no_args_is_help=True,
    help="Statistics as of a date (the state at the end of that day) or over a period.\n\n"
    "Example: nalcoop stats agreements --as-of 2020-02-29",
)


@app.command()
def agreements(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Start of a period (inclusive): report "
                         "what happened in it instead of the state on a day.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="End of the period (inclusive).")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Agreements in force by level and province beside the councils that existed then.

    --as-of D is inclusive: a council that signed on D counts. With --from/--to, counts the
    requests, signings, withdrawals and terminations in that period instead.
    Example: nalcoop stats agreements --as-of 2020-02-29 ; nalcoop stats agreements --from 2020-01-01 --to 2020-12-31
    """
    from nalcoop import agreements as domain

    ledger = open_ledger(ctx)
    if date_from or date_to:
        start, end = _period(as_of, date_from, date_to)
        rows = domain.stats_period(ledger.conn, start, end)
        columns = [Column("dimension"), Column("group")] + [
            Column(key, kind="int") for key in ("requested", "consultations", "signed", "renewed",
                                                "follow_ups", "withdrawn", "terminated")
        ] + [Column("from", kind="date"), Column("to", kind="date")]
        emit(ctx, rows, columns, fmt=fmt, output=output, title=f"agreement steps {start} – {end}")
        return
    day = as_of_value(as_of)
    rows = domain.stats_as_of(ledger.conn, day)
    columns = [Column("dimension"), Column("group"), Column("councils", kind="int"),
               Column("in_force", "in force", kind="int"), Column("coverage", "coverage %", kind="percent"),
               Column("requested", kind="int"), Column("consultation", "in consultation", kind="int"),
               Column("as_of", "as of", kind="date")]
    emit(ctx, rows, columns, fmt=fmt, output=output, title=f"agreements in force as of {day} (end of day)")


@app.command()
def donations(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="year, province, region (basic local government), type "
                  "(of library), reason or library.")] = "year",
    as_of: AsOfOpt = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Start of a period (inclusive).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="End of the period (inclusive).")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Books, batches and distinct sites donated (batches shipped), grouped by --by.

    --as-of D counts everything shipped up to the end of D; --from/--to, what was shipped in
    that period. Regions are grouped as they stood on the last day. --by year gives the number
    of distinct sites served each year.
    Example: nalcoop stats donations --from 2024-01-01 --to 2024-12-31 --by province
    """
    from nalcoop import donations as domain
    from nalcoop.registry import BEGINNING

    if by not in domain.STATS_DIMENSIONS:
        raise UsageError(f"--by: '{by}' is not one of {', '.join(domain.STATS_DIMENSIONS)}")
    start, end = _period(as_of, date_from, date_to)
    ledger = open_ledger(ctx)
    rows = domain.stats(ledger.conn, by, start or BEGINNING, end)
    columns = [Column("by"), Column("group"), Column("batches", kind="int"), Column("books", kind="int"),
               Column("sites", kind="int"), Column("from", kind="date"), Column("to", kind="date")]
    span = f"{start} – {end}" if start else f"up to the end of {end}"
    emit(ctx, rows, columns, fmt=fmt, output=output, title=f"books donated (batches shipped) {span}, by {by}")


def _period(as_of: str | None, date_from: str | None, date_to: str | None) -> tuple[str | None, str]:
    """(start or None, end) from --as-of or --from/--to, both inclusive."""
    if (date_from or date_to) and as_of:
        raise UsageError("give either --as-of or --from/--to, not both")
    if not (date_from or date_to):
        return None, as_of_value(as_of)
    start = date_value(date_from, "--from") or "0001-01-01"
    end = date_value(date_to, "--to") or as_of_value(None)
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    return start, end


@app.command()
def distribution(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="year, country, type (of recipient), publication, recipient, "
                  "province (recipients in Korea) or domestic (Korea / abroad).")] = "year",
    year: Annotated[int | None, typer.Option("--year", help="What was sent in this year.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Instead of what was sent: who was on the standing "
                     "lists at the END of this day (inclusive).", show_default=False)] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Start of a period (inclusive).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="End of the period (inclusive).")] = None,
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

    if by not in domain.STATS_DIMENSIONS:
        raise UsageError(f"--by: '{by}' is not one of {', '.join(domain.STATS_DIMENSIONS)}")
    conn = open_ledger(ctx).conn
    if as_of:
        if year is not None or date_from or date_to:
            raise UsageError("give either --as-of (who was on the lists) or --year/--from/--to (what was sent)")
        day = as_of_value(as_of)
        rows = domain.stats_as_of(conn, by, day)
        columns = [Column("by"), Column("group"), Column("recipients", kind="int"),
                   Column("subscriptions", kind="int"), Column("copies", "copies per issue", kind="int"),
                   Column("as_of", "as of", kind="date")]
        emit(ctx, rows, columns, fmt=fmt, output=output, title=f"on the standing lists at the end of {day}, by {by}")
        return
    start, end = period_of(year, date_from, date_to)
    start, end = start or BEGINNING, end or as_of_value(None)
    rows = domain.stats_period(conn, by, start, end)
    for row in rows:
        row["from"] = None if row["from"] == BEGINNING else row["from"]
    columns = [Column("by"), Column("group"), Column("runs", kind="int"), Column("parcels", kind="int"),
               Column("copies", kind="int"), Column("recipients", kind="int"), Column("returned", kind="int"),
               Column("returns_rate", "returns %", kind="float"), Column("from", kind="date"),
               Column("to", kind="date")]
    span = f"{start} – {end}" if start != BEGINNING else f"up to the end of {end}"
    emit(ctx, rows, columns, fmt=fmt, output=output, title=f"publications sent {span}, by {by}")


@app.command()
def network(
    ctx: typer.Context,
    by: Annotated[str | None, typer.Option("--by", help="What happened: kind (of event), year, type (of "
                  "organization) or org. Members (--as-of): body, role or type.", show_default=False)] = None,
    year: Annotated[int | None, typer.Option("--year", help="What happened in this year.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Instead of what happened: the members of each body "
                     "at the END of this day (inclusive).", show_default=False)] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Start of a period (inclusive).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="End of the period (inclusive).")] = None,
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
    if as_of:
        if year is not None or date_from or date_to:
            raise UsageError("give either --as-of (members on a day) or --year/--from/--to (what happened)")
        chosen = by or "body"
        if chosen not in domain.MEMBER_DIMENSIONS:
            raise UsageError(f"--by: members are counted by {', '.join(domain.MEMBER_DIMENSIONS)}, not '{chosen}'")
        day = as_of_value(as_of)
        rows = domain.stats_members(conn, chosen, day)
        columns = [Column("body"), Column("by"), Column("group"), Column("members", kind="int"),
                   Column("as_of", "as of", kind="date")]
        emit(ctx, rows, columns, fmt=fmt, output=output, title=f"members at the end of {day}, by {chosen}")
        return
    chosen = by or "kind"
    if chosen not in domain.STATS_DIMENSIONS:
        raise UsageError(f"--by: '{chosen}' is not one of {', '.join(domain.STATS_DIMENSIONS)}")
    start, end = period_of(year, date_from, date_to)
    start, end = start or BEGINNING, end or as_of_value(None)
    rows = domain.stats_period(conn, chosen, start, end)
    for row in rows:
        row["from"] = None if row["from"] == BEGINNING else row["from"]
    columns = [Column("by"), Column("group"), Column("events", kind="int"), Column("attended", kind="int"),
               Column("people", "people reached", kind="int"), Column("organizations", "orgs reached", kind="int"),
               Column("first_time", "first-time orgs", kind="int"),
               Column("course_hours", "training hours", kind="float"),
               Column("trainee_hours", "trainee hours", kind="float"), Column("completed", kind="int"),
               Column("from", kind="date"), Column("to", kind="date")]
    span = f"{start} – {end}" if start != BEGINNING else f"up to the end of {end}"
    emit(ctx, rows, columns, fmt=fmt, output=output, title=f"legal-information network {span}, by {chosen}")


@app.command()
def interns(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="cohort, year (the cohort's), university or department.")]
    = "cohort",
    year: Annotated[int | None, typer.Option("--year", help="Cohorts that began in this year.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Cohorts that began on or after this day.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Cohorts that began on or before this day.")] = None,
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

    if by not in domain.STATS_DIMENSIONS:
        raise UsageError(f"--by: '{by}' is not one of {', '.join(domain.STATS_DIMENSIONS)}")
    start, end = period_of(year, date_from, date_to)
    start, end = start or BEGINNING, end or as_of_value(None)
    rows = domain.stats(open_ledger(ctx).conn, by, start, end)
    for row in rows:
        row["from"] = None if row["from"] == BEGINNING else row["from"]
    columns = [Column("by"), Column("group"), Column("applicants", kind="int"), Column("accepted", kind="int"),
               Column("acceptance_rate", "accepted %", kind="float"), Column("placed", kind="int"),
               Column("completed", kind="int"), Column("dropped", kind="int"), Column("withdrawn", kind="int"),
               Column("hours", kind="float"),
               Column("from", kind="date"), Column("to", kind="date")]
    span = f"{start} – {end}" if start != BEGINNING else f"up to the end of {end}"
    emit(ctx, rows, columns, fmt=fmt, output=output, title=f"apprenticeship cohorts begun {span}, by {by}")

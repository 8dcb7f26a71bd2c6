"""`nalcoop network course` and `nalcoop network curriculum`: runs of a course and the curriculum every run
shares; wired into the `network` group by `commands/network.py`, which also takes from here the options an
event and a course run share (date forms, host, co-host, place)."""

from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from nalcoop.commands.common import (
    DryRunOpt,
    FormatOpt,
    OutputOpt,
    SheetOpt,
    date_option,
    date_value,
    emit,
    journaled,
    need,
    open_ledger,
    report_import,
    run_import,
    say,
)
from nalcoop.i18n import _
from nalcoop.render import Column

course_app = typer.Typer(
    no_args_is_help=True,
    help="Courses for legal-information experts: each run is an event; the curriculum is shared by every run.\n\n"
    "Example: nalcoop network course add '입법정보 전문가 과정' --from 2024-07-01 --to 2024-07-05 --hours 30",
)
class CourseFirstGroup(TyperGroup):
    """`curriculum '과정' import FILE` (the course first, as people say it) means `curriculum import '과정' FILE`."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        if len(args) >= 2 and args[0] not in self.commands and args[1] in self.commands:
            args = [args[1], args[0], *args[2:]]
        return super().parse_args(ctx, args)


curriculum_app = typer.Typer(
    cls=CourseFirstGroup,
    no_args_is_help=True,
    help="A course's modules (title, hours, instructor, learning goals), reused by every run of the course.\n\n"
    "Example: nalcoop network curriculum import '입법정보 전문가 과정' modules.xlsx",
)


DATE_FORMS = "2024-10-18, 2024. 10. 18., 2024년 10월 18일 or 20241018"
CourseArg = Annotated[str, typer.Argument(metavar="COURSE", help="The course's title, such as '입법정보 전문가 과정'.")]
HostOpt = Annotated[list[str] | None, typer.Option("--host", help="The organization hosting it (repeat for "
                                                   "several). Default: 국회도서관.", show_default=False)]
CohostOpt = Annotated[list[str] | None, typer.Option("--cohost", help="A co-hosting organization (repeat for "
                                                     "several).", show_default=False)]
PlaceOpt = Annotated[str | None, typer.Option("--place", help="Where it was held.")]
MODULE_COLUMNS = [Column("position", "#", kind="int", ko="순서"), Column("module", ko="과목"),
                  Column("hours", kind="float", ko="시간"),
                  Column("instructor", ko="강사"), Column("goals", "learning goals", ko="학습 목표")]


# ---------------------------------------------------------------- courses and curricula


@course_app.command("add")
def course_add(
    ctx: typer.Context,
    title: CourseArg,
    date_from: Annotated[str | None, date_option("--from", help=f"The first day ({DATE_FORMS}).")] = None,
    date_to: Annotated[str | None, date_option("--to", help="The last day (default: the first).")] = None,
    hours: Annotated[str | None, typer.Option("--hours", help="Hours taught in this run (default: the curriculum's "
                     "total).")] = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Percent of the hours a trainee must attend "
                         "to complete the course (default 80; applies to every run).")] = None,
    place: PlaceOpt = None,
    host: HostOpt = None,
    cohost: CohostOpt = None,
) -> None:
    """Record a run of a course (the course itself is made on its first run; later runs share its curriculum).

    Example: nalcoop network course add '입법정보 전문가 과정' --from 2024-07-01 --to 2024-07-05 --hours 30
    """
    from nalcoop import network

    first = date_value(need(date_from, "--from", _("First day of the course")), "--from")
    last = date_value(date_to, "--to")
    with journaled(ctx) as conn:
        before = {(r["course"], r["from"]): r for r in network.course_rows(conn)}
        added = network.add_event(conn, "course", title, first, ends_on=last, place=place, hosts=host,
                                  cohosts=cohost, hours=hours, completion_pct=threshold)
        total = network.run_hours(conn, added)
        after = network.course_rows(conn)
    hours_said = (_("{hours:g} hours").format(hours=total) if total is not None
                  else _("hours to come from its curriculum"))
    say(_("recorded a run of {course}, {dates}, {hours}").format(course=added.title, dates=added.dates,
                                                                 hours=hours_said))
    for row in after:  # a new threshold applies to every run of the course: say what it changed
        earlier = before.get((row["course"], row["from"]))
        if earlier and earlier["threshold"] != row["threshold"]:
            say(_("note: the threshold of {course} is now {threshold:g}% for every run (was {was:g}%): the run "
                  "from {start} has {completed} of {trainees} trainees completed (was {was_completed})").format(
                course=row["course"], threshold=row["threshold"], was=earlier["threshold"], start=row["from"],
                completed=row["completed"], trainees=row["trainees"], was_completed=earlier["completed"]))


@course_app.command("list")
def course_list(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Runs of every course, with hours, trainees and completions.

    Example: nalcoop network course list
    """
    from nalcoop import network

    conn = open_ledger(ctx).conn
    rows = network.course_rows(conn)
    columns = [Column("course", ko="교육과정"), Column("from", kind="date", ko="시작일"),
               Column("to", kind="date", ko="종료일"),
               Column("hours", kind="float", ko="시간"),
               Column("threshold", "threshold %", kind="float", ko="수료 기준(%)"),
               Column("modules", kind="int", ko="과목 수"),
               Column("trainees", kind="int", ko="교육생 수"), Column("completed", kind="int", ko="수료 인원")]
    emit(ctx, rows, columns, fmt=fmt, output=output, title=_("course runs: {count}").format(count=len(rows)))


@curriculum_app.command("import")
def curriculum_import(
    ctx: typer.Context,
    course: CourseArg,
    file: Annotated[Path, typer.Argument(help="An xlsx, xls, ods or csv file of modules.")],
    replace: Annotated[bool, typer.Option("--replace", help="Remove the modules that are not in the file.")] = False,
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="A YAML column map for other layouts (copy "
                          "nalcoop/data/maps/network_modules.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Import a course's modules: all rows or none; a module of the same title is updated.

    Headers such as 순서, 과목, 시간, 강사, 학습목표 (or position, module, hours, instructor, goals) are recognised.
    Example: nalcoop network curriculum import '입법정보 전문가 과정' modules.xlsx --dry-run
    """
    from nalcoop import network
    from nalcoop.importer import load_map, read_table

    table = read_table(file, load_map(column_map or "network_modules", like="network_modules"), sheet=sheet)
    found: list = []

    def apply(conn, rows):
        found.append(network.resolve_course(conn, course))
        return network.import_curriculum(conn, found[0], rows, replace=replace)

    counts = run_import(ctx, table, apply, dry_run=dry_run)
    report_import(ctx, table, counts, dry_run=dry_run)
    _compare_hours(ctx, found[0])


def _compare_hours(ctx: typer.Context, course) -> None:
    """A run whose recorded hours differ from the curriculum's total is worth a word."""
    from nalcoop import network

    conn = open_ledger(ctx).conn
    total = network.curriculum_hours(conn, course.id)
    for row in network.course_rows(conn):
        if row["course"] == course.title and row["recorded_hours"] is not None and total is not None \
                and row["recorded_hours"] != total:
            say(_("note: the modules add up to {total:g} hours; the run from {start} records {recorded:g}").format(
                total=total, start=row["from"], recorded=row["recorded_hours"]))


@curriculum_app.command("add")
def curriculum_add(
    ctx: typer.Context,
    course: CourseArg,
    module: Annotated[str, typer.Argument(help="The module's title.")],
    hours: Annotated[str | None, typer.Option("--hours", help="Hours taught (3, 1.5).", show_default=False)] = None,
    instructor: Annotated[str | None, typer.Option("--instructor", help="Who teaches it.")] = None,
    goals: Annotated[str | None, typer.Option("--goals", help="Its learning goals.")] = None,
    position: Annotated[int | None, typer.Option("--position", help="Its place in the order (default: last).")]
    = None,
) -> None:
    """Add a module to a course's curriculum (or change the module of that title).

    Example: nalcoop network curriculum add '입법정보 전문가 과정' '법령정보 검색 실습' --hours 3 --instructor 홍길동
    """
    from nalcoop import network

    taught = need(hours, "--hours", _("Hours taught"))
    with journaled(ctx) as conn:
        found = network.resolve_course(conn, course)
        outcome = network.add_module(conn, found, module, taught, instructor=instructor, goals=goals,
                                     position=position)
    said = {"created": _("{module}: created in the curriculum of {course}"),
            "changed": _("{module}: changed in the curriculum of {course}"),
            "unchanged": _("{module}: unchanged in the curriculum of {course}")}[outcome]
    say(said.format(module=module.strip(), course=found.title))


@curriculum_app.command("show")
def curriculum_show(ctx: typer.Context, course: CourseArg, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """A course's modules in teaching order, with their total hours.

    Example: nalcoop network curriculum show '입법정보 전문가 과정'
    """
    from nalcoop import network

    conn = open_ledger(ctx).conn
    found = network.resolve_course(conn, course)
    rows = network.module_rows(conn, found)
    total = network.curriculum_hours(conn, found.id)
    emit(ctx, rows, MODULE_COLUMNS, fmt=fmt, output=output,
         title=_("curriculum of {course}: {count} modules, {hours} hours; completion at {pct}% of a run's "
                 "hours").format(course=found.title, count=len(rows), hours=network.shown_hours(total),
                                 pct=f"{found.completion_pct:g}"))

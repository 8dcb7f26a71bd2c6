"""`nalcoop intern`: the practical apprenticeship (현장실습) for library and information science students.

Students' names, e-mails and telephones are personal data: listings mask them unless --reveal is given
with a --purpose (the reveal is journaled), the journal's command lines carry them masked, and
`intern purge` removes them for good after the retention period.
"""

from pathlib import Path
from typing import Annotated

import typer

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
    confirm,
    date_option,
    date_value,
    emit,
    hours_typed,
    import_option,
    journaled,
    need,
    number_value,
    open_ledger,
    period_of,
    report_import,
    run_import,
    say,
    state,
)
from nalcoop.dates import today
from nalcoop.errors import UsageError
from nalcoop.i18n import N_, _, ngettext
from nalcoop.interns import STATUSES, TIMELINE_ENTRIES
from nalcoop.render import Column

app = typer.Typer(
    no_args_is_help=True,
    help="The practical apprenticeship (현장실습) for library and information science students: cohorts, "
    "applications, placements, hours, evaluations, certificates. Names, e-mails and telephones are masked "
    "unless --reveal --purpose '...' is given.\n\n"
    "Example: nalcoop intern list --cohort 2025-summer",
)
cohort_app = typer.Typer(
    no_args_is_help=True,
    help="Cohorts (terms) of the apprenticeship: dates, slots, required hours, departments.\n\n"
    "Example: nalcoop intern cohort add 2025-summer --from 2025-07-07 --to 2025-08-01 --slots 12 "
    "--required-hours 90",
)
app.add_typer(cohort_app, name="cohort")


DATE_FORMS = "2025-07-07, 2025. 7. 7., 2025년 7월 7일 or 20250707"
StudentArg = Annotated[str, typer.Argument(metavar="STUDENT", help="The student's full name as they applied, or "
                                           "'#N' as `nalcoop intern list` numbers the applications.")]
CohortOpt = Annotated[str | None, typer.Option("--cohort", "-c", help="The cohort, such as 2025-summer (needed "
                                               "when a student applied to several).", show_default=False)]
DayOpt = Annotated[str | None, date_option("--date", "-d", help=f"The day ({DATE_FORMS}). Default: today.")]
RevealOpt = Annotated[bool, typer.Option("--reveal", help="Show names, e-mails and telephones in full (needs "
                                         "--purpose; journaled).")]
ReasonOpt = Annotated[str | None, typer.Option("--purpose", help="Why the personal data is shown (journaled).")]

APPLICATION_COLUMNS = [
    Column("id", "#", kind="code", ko="번호"), Column("cohort", ko="기수"), Column("name", ko="성명"),
    Column("university", ko="대학"), Column("major", ko="전공"),
    Column("year", kind="int", ko="학년"), Column("email", ko="이메일"), Column("phone", kind="code", ko="전화번호"),
    Column("status", ko="상태", terms=STATUSES),
    Column("applied_on", "applied", kind="date", ko="지원일"), Column("departments", ko="실습 부서"),
    Column("hours", kind="float", ko="시간"),
    Column("required", kind="float", ko="필요 시간"), Column("score", kind="float", ko="평가 점수"),
    Column("certificate", kind="code", ko="수료증 번호"),
]
COHORT_COLUMNS = [
    Column("cohort", ko="기수"), Column("from", kind="date", ko="시작일"), Column("to", kind="date", ko="종료일"),
    Column("slots", kind="int", ko="정원"),
    Column("required_hours", "required hours", kind="float", ko="이수 기준 시간"),
    Column("departments", ko="실습 부서"),
    Column("applicants", kind="int", ko="지원자 수"), Column("taken", "slots taken", kind="int", ko="배정 인원"),
    Column("completed", kind="int", ko="수료"),
]
DUE_COLUMNS = [
    Column("id", "#", kind="code", ko="번호"), Column("cohort", ko="기수"), Column("name", ko="성명"),
    Column("university", ko="대학"),
    Column("logged", kind="float", ko="실습 시간"),
    Column("expected", "expected by now", kind="float", ko="현재까지 필요 시간"),
    Column("behind", kind="float", ko="부족 시간"), Column("required", kind="float", ko="필요 시간"),
    Column("working_days_left", "working days left", kind="int", ko="남은 근무일"),
    Column("per_day", "hours a day needed", kind="float", ko="일일 필요 시간"),
    Column("note", ko="비고"), Column("as_of", "as of", kind="date", ko="기준일"),
]
TIMELINE_COLUMNS = [Column("date", kind="date", ko="일자"), Column("what", ko="내용", terms=TIMELINE_ENTRIES),
                    Column("detail", ko="세부 내용"), Column("hours", kind="float", ko="시간")]


def _day(value: str | None, option: str = "--date") -> str:
    return date_value(value, option) or today().isoformat()


def _redact(ctx: typer.Context, name: str | None = None, *, email: str | None = None, phone: str | None = None,
            text: tuple[str | None, ...] = ()) -> None:
    """Personal values typed on the command line reach the journal masked (김*늘, k***@…), and free text
    about a student (reasons, notes, comments) not at all."""
    from nalcoop.interns import mask_email, mask_name, mask_phone

    redactions = state(ctx).redactions
    for value, masked in ((name, mask_name(name)), (email, mask_email(email)), (phone, mask_phone(phone))):
        if value and value.strip() and not value.startswith("#"):
            redactions[value] = masked
    for value in text:
        if value and value.strip():
            redactions[value] = "'(hidden)'"


def _student(ctx: typer.Context, conn, student: str, cohort: str | None, statuses=None, doing: str = ""):
    from nalcoop import interns

    found_cohort = interns.resolve_cohort(conn, cohort) if cohort else None
    return interns.resolve_student(conn, student, cohort=found_cohort, statuses=statuses, doing=doing)


def _reveal_asked(reveal: bool, reason: str | None) -> None:
    if reveal and not (reason or "").strip():
        raise UsageError(_("--reveal shows personal data: give --purpose (why it is needed), which is journaled"))
    if reason and not reveal:
        raise UsageError(_("--purpose goes with --reveal"))


def _reveal(ctx: typer.Context, reveal: bool, reason: str | None, shown: list[int], fmt=None,
            output: Path | None = None) -> None:
    """Record a reveal (who, why, which command) as its own journaled write before the data is shown;
    an output that would be refused is refused first, so that nothing is recorded for it."""
    from nalcoop import interns
    from nalcoop.render import check_destination

    _reveal_asked(reveal, reason)
    if not reveal:
        return
    chosen = fmt or (None if output else state(ctx).fmt)
    check_destination(chosen.value if chosen else None, output)
    with journaled(ctx) as conn:
        interns.record_reveal(conn, state(ctx).who, reason, state(ctx).command_line, shown)


# ---------------------------------------------------------------- cohorts


@cohort_app.command("add")
def cohort_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The cohort's name, such as 2025-summer.")],
    date_from: Annotated[str | None, date_option("--from", help="Its first day.")] = None,
    date_to: Annotated[str | None, date_option("--to", help="Its last day.")] = None,
    slots: Annotated[int | None, typer.Option("--slots", help="How many students it takes.", show_default=False)]
    = None,
    required_hours: Annotated[float | None, typer.Option("--required-hours", help="Hours a student must log to "
                              "complete (a department may ask for 90).", show_default=False)] = None,
    dept: Annotated[list[str] | None, typer.Option("--dept", help="A NAL department taking students (repeat). "
                    "Without any, placements may name any department.", show_default=False)] = None,
) -> None:
    """Open a cohort.

    Example: nalcoop intern cohort add 2025-summer --from 2025-07-07 --to 2025-08-01 --slots 12
    --required-hours 90 --dept 의회정보실 --dept 법률정보실
    """
    from nalcoop import interns

    first = date_value(need(date_from, "--from", _("First day of the cohort")), "--from")
    last = date_value(need(date_to, "--to", _("Last day of the cohort")), "--to")
    taken = slots if slots is not None else number_value(need(None, "--slots", _("Number of slots")), "--slots",
                                                         minimum=1, counters=("명",))
    hours = (required_hours if required_hours is not None
             else hours_typed(need(None, "--required-hours", _("Required hours")), "--required-hours"))
    with journaled(ctx) as conn:
        added = interns.add_cohort(conn, name, first, last, taken, hours, departments=dept)
    say(_("opened cohort {cohort}: {start} – {end}, {slots} slots, {hours:g} hours required").format(
        cohort=added.name, start=added.starts_on, end=added.ends_on, slots=added.slots, hours=added.required_hours))


@cohort_app.command("edit")
def cohort_edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The cohort.")],
    date_to: Annotated[str | None, date_option("--to", help="A new last day.")] = None,
    slots: Annotated[int | None, typer.Option("--slots", help="A new number of slots.")] = None,
    required_hours: Annotated[float | None, typer.Option("--required-hours", help="New required hours.")] = None,
    dept: Annotated[list[str] | None, typer.Option("--dept", help="Another department taking students.")] = None,
) -> None:
    """Change a cohort's last day, slots or required hours, or add departments.

    Example: nalcoop intern cohort edit 2025-summer --slots 14 --dept 국회기록보존소
    """
    from nalcoop import interns

    last = date_value(date_to, "--to")
    with journaled(ctx) as conn:
        changed = interns.edit_cohort(conn, interns.resolve_cohort(conn, name), ends_on=last, slots=slots,
                                      required_hours=required_hours, departments=dept)
    say(_("updated cohort {cohort}").format(cohort=changed.name))


@cohort_app.command("list")
def cohort_list(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Cohorts with their slots, departments, applicants and completions.

    Example: nalcoop intern cohort list
    """
    from nalcoop import interns

    rows = interns.cohort_rows(open_ledger(ctx).conn)
    emit(ctx, rows, COHORT_COLUMNS, fmt=fmt, output=output, title=_("cohorts: {count}").format(count=len(rows)))


# ---------------------------------------------------------------- applications and steps


@app.command("apply")
def apply_(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    name: Annotated[str | None, typer.Option("--name", help="The student's name.")] = None,
    university: Annotated[str | None, typer.Option("--university", help="Their university.")] = None,
    major: Annotated[str | None, typer.Option("--major", help="Their major, such as 문헌정보학.")] = None,
    year: Annotated[int | None, typer.Option("--study-year", help="Year of study, 학년 (1 to 6).")] = None,
    email: Annotated[str | None, typer.Option("--email", help="E-mail address.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Telephone (010-1234-5678).")] = None,
    date: DayOpt = None,
    file: Annotated[Path | None, import_option("a list of applicants, not one --name,")] = None,
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="A YAML column map for other layouts (copy "
                          "nalcoop/data/maps/intern_applicants.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record an application to a cohort (an e-mail or a telephone is needed to reach the student).

    A student who applied before (same name and e-mail or telephone) keeps one record, with the
    history of every application. With --import, a list: headers such as 성명, 대학, 전공, 학년, 이메일,
    연락처, 신청일 are recognised; a bad row (a malformed e-mail, say) refuses the whole file.
    Example: nalcoop intern apply --cohort 2025-summer --name 김하늘 --university 한남대학교 --major 문헌정보학
    --study-year 4 --email sky@example.ac.kr
    """
    from nalcoop import interns

    chosen = need(cohort, "--cohort", _("Cohort, such as 2025-summer"))
    day = _day(date)
    if file is not None:
        if name or university or major or year is not None or email or phone:
            raise UsageError(_("give either --import FILE or one applicant (--name ...), not both"))
        from nalcoop.importer import load_map, read_table

        shipped = "intern_applicants"
        table = read_table(file, load_map(column_map or shipped, like=shipped), sheet=sheet)

        def apply_rows(conn, rows):
            return interns.import_applicants(conn, interns.resolve_cohort(conn, chosen), rows, day)

        counts = run_import(ctx, table, apply_rows, dry_run=dry_run)
        report_import(ctx, table, counts, dry_run=dry_run)
        return
    if sheet or column_map:
        raise UsageError(_("--sheet and --map are for --import FILE"))
    student = need(name, "--name", _("Student's name"))
    school = need(university, "--university", _("University"))
    _redact(ctx, student, email=email, phone=phone)
    with journaled(ctx, dry_run=dry_run) as conn:
        application, new = interns.apply(conn, interns.resolve_cohort(conn, chosen), student, school, day,
                                         major=major, year=year, email=email, phone=phone)
    said = (_("application {application} received on {date}") if new
            else _("application {application} received on {date} (a student who applied before)"))
    said = said.format(application=application.label, date=day)
    say(_("dry run, nothing written — {line}").format(line=said) if dry_run else said)


def _step_command(ctx: typer.Context, step: str, student: str, cohort: str | None, date: str | None,
                  reason: str | None) -> None:
    from nalcoop import interns

    _redact(ctx, student, text=(reason,))
    day = _day(date)
    with journaled(ctx) as conn:
        found = _student(ctx, conn, student, cohort, interns.ALLOWED_FROM[step], _("be {status}").format(
            status=STATUSES.said(interns.STEPS[step])))
        changed = interns.step(conn, found, step, day, reason=reason)
    say(_(_STEP_SAID[step]).format(student=changed.label, date=day))


_STEP_SAID = {  # what a step command says it did
    "accept": N_("accepted {student} on {date}"),
    "reject": N_("did not accept {student} on {date}"),
    "withdraw": N_("withdrew {student} on {date}"),
    "drop": N_("recorded {student} as dropped out on {date}"),
}


@app.command()
def accept(ctx: typer.Context, student: StudentArg, cohort: CohortOpt = None, date: DayOpt = None) -> None:
    """Accept an applicant (refused when the cohort's slots are all taken).

    Example: nalcoop intern accept 김하늘 --cohort 2025-summer
    """
    _step_command(ctx, "accept", student, cohort, date, None)


@app.command()
def reject(ctx: typer.Context, student: StudentArg, cohort: CohortOpt = None, date: DayOpt = None,
           reason: Annotated[str | None, typer.Option("--note", help="Why (kept until the purge).")] = None) -> None:
    """Reject an applicant, with a reason.

    Example: nalcoop intern reject 김하늘 --cohort 2025-summer --note '정원 초과'
    """
    _step_command(ctx, "reject", student, cohort, date, need(reason, "--note", _("Why")))


@app.command()
def withdraw(ctx: typer.Context, student: StudentArg, cohort: CohortOpt = None, date: DayOpt = None,
             reason: Annotated[str | None, typer.Option("--note", help="Why, if known.")] = None) -> None:
    """The student withdraws (before or after being accepted or placed); their slot is freed.

    Example: nalcoop intern withdraw 김하늘 --cohort 2025-summer --note '개인 사정'
    """
    _step_command(ctx, "withdraw", student, cohort, date, reason)


@app.command()
def drop(ctx: typer.Context, student: StudentArg, cohort: CohortOpt = None, date: DayOpt = None,
         reason: Annotated[str | None, typer.Option("--note", help="Why.")] = None) -> None:
    """A placed student stops without completing; the placement ends that day.

    Example: nalcoop intern drop 김하늘 --date 2025-07-20 --note '중도 포기'
    """
    _step_command(ctx, "drop", student, cohort, date, need(reason, "--note", _("Why")))


@app.command()
def place(
    ctx: typer.Context,
    student: StudentArg,
    dept: Annotated[str | None, typer.Option("--dept", help="The NAL department, such as 의회정보실.",
                    show_default=False)] = None,
    mentor: Annotated[str | None, typer.Option("--mentor", help="The librarian who mentors the student.")] = None,
    date_from: Annotated[str | None, date_option("--from", help="First day in the department (default: today).")]
    = None,
    cohort: CohortOpt = None,
) -> None:
    """Place an accepted student in a department under a mentor; placing a placed student again moves
    them to another department from that day (rotation).

    Example: nalcoop intern place 김하늘 --dept 의회정보실 --mentor 이사서 --from 2025-07-07
    """
    from nalcoop import interns

    _redact(ctx, student)
    where = need(dept, "--dept", _("Department"))
    day = _day(date_from, "--from")
    with journaled(ctx) as conn:
        found = _student(ctx, conn, student, cohort, ("accepted", "placed"), _("be placed"))
        placed, left = interns.place(conn, found, where, day, mentor=mentor)
    said = _("{student} placed in {dept} from {date}").format(student=placed.masked, dept=where, date=day)
    if left:
        said += _(" (moved from {dept})").format(dept=left)
    if mentor:
        said += _(", mentor {mentor}").format(mentor=mentor)
    say(said)


@app.command()
def hours(
    ctx: typer.Context,
    student: Annotated[str | None, typer.Argument(metavar="[STUDENT]", help="The student (or --import a "
                       "timesheet).")] = None,
    date: DayOpt = None,
    amount: Annotated[str | None, typer.Option("--hours", help="Hours that day (above 0, up to 12).",
                      show_default=False)] = None,
    dept: Annotated[str | None, typer.Option("--dept", help="The department, when the student moved that day.")]
    = None,
    note: Annotated[str | None, typer.Option("--note", help="What was done.")] = None,
    cohort: CohortOpt = None,
    file: Annotated[Path | None, import_option("a timesheet, not one student's day,")] = None,
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="A YAML column map for other layouts (copy "
                          "nalcoop/data/maps/intern_hours.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Log a placed student's hours for a day (0 < hours ≤ 12, inside the cohort, once per day and department).

    With --import, a timesheet: headers such as 성명, 일자, 시간, 부서, 비고 (and 기수 or 대학 when a name is
    not enough) are recognised; all rows or none.
    Example: nalcoop intern hours 김하늘 --date 2025-07-07 --hours 8 --note orientation ;
    nalcoop intern hours --import timesheet.xlsx
    """
    from nalcoop import interns

    if file is not None:
        if student or amount or note or dept or date:
            raise UsageError(_("give either --import FILE or one student's day (STUDENT --date --hours), not "
                               "both"))
        from nalcoop.importer import load_map, read_table

        shipped = "intern_hours"
        table = read_table(file, load_map(column_map or shipped, like=shipped), sheet=sheet)
        counts = run_import(ctx, table, lambda conn, rows: interns.import_hours(conn, rows), dry_run=dry_run)
        report_import(ctx, table, counts, dry_run=dry_run)
        return
    if sheet or column_map:
        raise UsageError(_("--sheet and --map are for --import FILE"))
    who = need(student, "STUDENT", _("Student's name"))
    _redact(ctx, who, text=(note,))
    day = _day(date)
    logged_hours = hours_typed(need(amount, "--hours", _("Hours that day")), "--hours")
    with journaled(ctx, dry_run=dry_run) as conn:
        found = _student(ctx, conn, who, cohort, ("placed",), _("log hours"))
        total = interns.log_hours(conn, found, day, logged_hours, dept=dept, note=note)
    said = _("{student}: {hours:g} hours on {date}; {total:g} of {required:g} so far").format(
        student=found.masked, hours=logged_hours, date=day, total=total, required=found.cohort.required_hours)
    say(_("dry run, nothing written — {line}").format(line=said) if dry_run else said)


@app.command()
def evaluate(
    ctx: typer.Context,
    student: StudentArg,
    by: Annotated[str | None, typer.Option("--evaluator", help="The mentor or librarian evaluating.",
                                           show_default=False)] = None,
    score: Annotated[int | None, typer.Option("--score", help="1 (poor) to 5 (excellent).", show_default=False)]
    = None,
    comment: Annotated[str | None, typer.Option("--comment", help="Comments (personal data: kept until the "
                       "purge, shown with --reveal).")] = None,
    date: DayOpt = None,
    cohort: CohortOpt = None,
) -> None:
    """Record a mentor's evaluation of a placed student (score 1 to 5, with comments).

    Example: nalcoop intern evaluate 김하늘 --evaluator 이사서 --score 4 --comment '성실함'
    """
    from nalcoop import interns

    _redact(ctx, student, text=(comment,))
    who = need(by, "--evaluator", _("Evaluated by"))
    given = score if score is not None else number_value(need(None, "--score", _("Score, 1 to 5")), "--score",
                                                         counters=("점",))
    day = _day(date)
    with journaled(ctx) as conn:
        found = _student(ctx, conn, student, cohort, ("placed", "completed"), _("be evaluated"))
        interns.evaluate(conn, found, who, given, day, comment=comment)
    say(_("{student}: evaluation by {by}, score {score}, on {date}").format(student=found.masked, by=who,
                                                                            score=given, date=day))


@app.command()
def complete(ctx: typer.Context, student: StudentArg, date: DayOpt = None, cohort: CohortOpt = None) -> None:
    """Complete a student: refused below the cohort's required hours or without an evaluation. Issues
    the certificate number.

    Example: nalcoop intern complete 김하늘 --date 2025-08-01
    """
    from nalcoop import interns

    _redact(ctx, student)
    day = _day(date)
    with journaled(ctx) as conn:
        found = _student(ctx, conn, student, cohort, ("placed",), _("be completed"))
        number = interns.complete(conn, found, day)
    say(_("{student} completed on {date}: certificate {number} (print it with `nalcoop intern certificate`)").format(
        student=found.masked, date=day, number=number))


@app.command()
def certificate(
    ctx: typer.Context,
    student: StudentArg,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file: .pdf (default: one A4 page), "
                      ".html (print it from a browser) or .xlsx.", show_default=False)] = None,
    cohort: CohortOpt = None,
) -> None:
    """Write a completed student's certificate (수료증): number, name, university, dates, hours, departments.

    PDF is the default: one A4 page in the language of the run (Korean, dated 2025년 8월 1일; with --lang en
    the English certificate, dated 1 August 2025), in the computer's Korean font. HTML (printed from a
    browser) and xlsx (for offices that keep certificates in Excel)
    hold the same fields. Printing a certificate shows the student's name, so it is journaled as a reveal.
    Example: nalcoop intern certificate 김하늘 -o certificate.pdf
    """
    from nalcoop import certificates, interns
    from nalcoop.render import check_output_path

    _redact(ctx, student)
    conn = open_ledger(ctx).conn
    found = _student(ctx, conn, student, cohort, ("completed",), _("get a certificate"))
    issued = interns.certificate(conn, found)
    target = output or Path(f"certificate-{issued.number}.pdf")
    if target.suffix.lower() not in certificates.FORMATS:
        raise UsageError(_("{file}: a certificate is written as .pdf (one A4 page), .html (printed from a "
                           "browser) or .xlsx").format(file=target.name))
    check_output_path(target)
    if target.suffix.lower() == ".pdf":
        from nalcoop.pdf import korean_font

        korean_font()  # no font, no reveal recorded: say what to install before anything is written
    _reveal(ctx, True, f"certificate {issued.number}", [found.id])
    certificates.write(issued, target)
    say(_("certificate {number} for {student} written to {file}").format(number=issued.number,
                                                                       student=found.masked, file=target))


# ---------------------------------------------------------------- listings


@app.command("list")
def list_(
    ctx: typer.Context,
    cohort: CohortOpt = None,
    status: Annotated[str | None, typer.Option("--status", click_type=choice(STATUSES),
                                               help="Only applications with this status.")] = None,
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    reveal: RevealOpt = False,
    reason: ReasonOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Applications with status, departments, hours against the requirement, score and certificate.
    Names, e-mails and telephones are masked (김*늘, k***@…) unless --reveal --purpose '...' is given.

    --year or --from/--to keep the applications to the cohorts that began in the period (as `stats interns`
    counts them); --as-of D shows each as it stood at the end of D (inclusive): its status, departments,
    hours and score then.

    Example: nalcoop intern list --cohort 2025-summer ; nalcoop intern list --reveal --purpose '수료증 발송'
    """
    from nalcoop import interns

    conn = open_ledger(ctx).conn
    found = interns.resolve_cohort(conn, cohort) if cohort else None
    _reveal_asked(reveal, reason)
    start, end = period_of(year, date_from, date_to)
    rows = interns.application_rows(conn, cohort=found, status=status, reveal=reveal,
                                    as_of=date_value(as_of, "--as-of"), date_from=start, date_to=end)
    _reveal(ctx, reveal, reason, [int(row["id"].lstrip("#")) for row in rows], fmt, output)
    masked = "" if reveal else _(" (personal data masked)")
    emit(ctx, rows, APPLICATION_COLUMNS, fmt=fmt, output=output,
         title=_("applications: {count}").format(count=len(rows)) + masked)


@app.command()
def show(
    ctx: typer.Context,
    student: StudentArg,
    cohort: CohortOpt = None,
    reveal: RevealOpt = False,
    reason: ReasonOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """One application's whole record in date order: steps, placements, hours (with running totals) and
    evaluations.

    Example: nalcoop intern show 김하늘 --cohort 2025-summer
    """
    from nalcoop import interns

    _redact(ctx, student)
    conn = open_ledger(ctx).conn
    found = _student(ctx, conn, student, cohort)
    _reveal_asked(reveal, reason)
    rows = interns.timeline_rows(conn, found, reveal=reveal)
    _reveal(ctx, reveal, reason, [found.id], fmt, output)
    logged = interns.hours_logged(conn, found.id)
    name = found.name if reveal and found.name else found.masked
    title = _("#{id} {name}, {university}, cohort {cohort}: {status}; {logged:g} of {required:g} hours").format(
        id=found.id, name=name, university=found.university, cohort=found.cohort.name,
        status=STATUSES.said(found.status), logged=logged, required=found.cohort.required_hours)
    emit(ctx, rows, TIMELINE_COLUMNS, fmt=fmt, output=output, title=title)


@app.command()
def due(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    reveal: RevealOpt = False,
    reason: ReasonOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Placed students behind pace at the end of --as-of: fewer hours than an even share of the required
    hours over the cohort's working days so far (Monday to Friday less public holidays, 설날 and 추석
    included), with the hours a day they now need.

    Example: nalcoop intern due --as-of 2025-07-18
    """
    from nalcoop import interns

    day = as_of_value(as_of)
    _reveal_asked(reveal, reason)
    rows = interns.due_rows(open_ledger(ctx).conn, day, reveal=reveal)
    _reveal(ctx, reveal, reason, [int(row["id"].lstrip("#")) for row in rows], fmt, output)
    emit(ctx, rows, DUE_COLUMNS, fmt=fmt, output=output,
         title=_("behind pace at the end of {day}: {count}").format(day=day, count=len(rows)))


@app.command()
def reveals(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Every time personal data was shown in full: when, by whom, why and by which command.

    Example: nalcoop intern reveals
    """
    from nalcoop import interns

    rows = interns.reveal_rows(open_ledger(ctx).conn)
    columns = [Column("at", kind="moment", ko="일시"), Column("by", ko="열람자"), Column("reason", ko="사유"),
               Column("command", ko="명령"),
               Column("students", kind="int", ko="학생 수"),
               Column("applications", ko="지원서")]
    emit(ctx, rows, columns, fmt=fmt, output=output,
         title=_("reveals of personal data: {count}").format(count=len(rows)))


@app.command()
def purge(
    ctx: typer.Context,
    older_than: Annotated[str | None, typer.Option("--older-than", help="The retention period: 3y, 18m or 90d. "
                          "Students whose every cohort ended longer ago lose their personal data.",
                          show_default=False)] = None,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
) -> None:
    """Remove the personal data (name, e-mail, telephone, and reasons, notes and comments about them) of
    students whose every cohort ended more than the retention period ago — from the rows and from the
    journal. Counts, universities, hours, scores and certificate numbers stay for statistics. It cannot
    be undone: it asks first at a terminal, and in a script needs --yes.

    Example: nalcoop intern purge --older-than 3y --dry-run ; nalcoop intern purge --older-than 3y --yes
    """
    from nalcoop import interns
    from nalcoop.progress import on_interrupt

    on_interrupt(_("nothing was purged"))
    period = need(older_than, "--older-than", _("Retention period, such as 3y"))
    try:
        interns.retention_cutoff(period, today().isoformat())
    except interns.InternError as exc:
        raise UsageError(str(exc)) from None
    ledger = open_ledger(ctx)
    plan = interns.purge_candidates(ledger.conn, period, today().isoformat())
    if plan.empty:
        # A purge that could not finish on disk (a reader held the old pages) is finished by running it again.
        interns.finish_on_disk(ledger.conn, ledger.path, f"intern purge --older-than {period}")
        say(_("nothing to purge: no student's personal data is kept for cohorts that ended before {date}").format(
            date=plan.cutoff))
        return
    what = ngettext("the personal data of {count} student whose cohorts all ended before {date}",
                    "the personal data of {count} students whose cohorts all ended before {date}",
                    len(plan.students)).format(count=len(plan.students), date=plan.cutoff)
    if plan.gone_students:
        what += ngettext(", and of {count} undone applicant the journal still held",
                         ", and of {count} undone applicants the journal still held",
                         len(plan.gone_students)).format(count=len(plan.gone_students))
    if dry_run:
        say(_("dry run, nothing written — would purge {what}").format(what=what))
        return
    confirm(_("purge {what}, for good (no undo)").format(what=what), yes=yes)
    current = state(ctx)
    interns.purge_ledger(ledger, plan, today().isoformat(), command=current.command_line, by=current.who,
                         again=f"intern purge --older-than {period}")
    say(_("purged {what}").format(what=what))
    copies = _copies_beside(ledger.path)
    if copies:
        say(ngettext("note: {count} copy made before this purge still hold that data: {files}; delete them when "
                     "your retention rules say so",
                     "note: {count} copies made before this purge still hold that data: {files}; delete them when "
                     "your retention rules say so", len(copies)).format(
            count=len(copies), files=", ".join(str(path) for path in copies)))


def _copies_beside(ledger_path: Path) -> list[Path]:
    """Every copy of the ledger nalcoop made beside it: automatic backups, before-restore and damaged copies."""
    from nalcoop.ledger.backup import automatic_backups, backups_folder

    beside = sorted(path for path in ledger_path.parent.glob(f"{ledger_path.name}.*")
                    if path.is_file() and (".before-restore-" in path.name or ".damaged-" in path.name))
    return automatic_backups(backups_folder(ledger_path)) + beside

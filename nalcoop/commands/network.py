"""`nalcoop network`: the Cooperative Network on Legal Information — organizations, the Korean Legal
Information Council and other bodies, meetings, conferences, courses and who came."""

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
    as_of_value,
    choice,
    date_option,
    date_value,
    emit,
    import_option,
    journaled,
    need,
    need_choice,
    open_ledger,
    period_of,
    report_import,
    run_import,
    say,
    span_of,
)
from nalcoop.commands.network_course import (
    DATE_FORMS,
    CohostOpt,
    HostOpt,
    PlaceOpt,
    course_app,
    curriculum_app,
)
from nalcoop.dates import today
from nalcoop.errors import UsageError
from nalcoop.i18n import _
from nalcoop.network import EVENT_KINDS, ORG_TYPES, PARTICIPANT_ROLES, ROLES, STATUSES
from nalcoop.render import Column
from nalcoop.vocabulary import ANSWERS

app = typer.Typer(
    no_args_is_help=True,
    help="The Cooperative Network on Legal Information (법률정보 협력망): member organizations of the Korean "
    "Legal Information Council and other bodies, meetings, conferences, courses and who came.\n\n"
    "Example: nalcoop network members --body klic --as-of 2020-12-31",
)
org_app = typer.Typer(
    no_args_is_help=True,
    help="Organizations of the network (libraries, universities, government, research institutes, "
    "professional bodies).\n\nExample: nalcoop network org add 대한변호사협회 --english 'Korean Bar Association' "
    "--type professional-body",
)
body_app = typer.Typer(
    no_args_is_help=True,
    help="Bodies with members: the Korean Legal Information Council (klic, loaded by `nalcoop init`) and others.\n\n"
    "Example: nalcoop network body list",
)
event_app = typer.Typer(
    no_args_is_help=True,
    help="Meetings of a body, academic conferences and workshops (courses: `nalcoop network course`).\n\n"
    "Example: nalcoop network event add conference '2024 법률정보 학술대회' --date 2024-10-18 --cohost 한국법제연구원",
)
app.add_typer(org_app, name="org")
app.add_typer(body_app, name="body")
app.add_typer(event_app, name="event")
app.add_typer(course_app, name="course")
app.add_typer(curriculum_app, name="curriculum")


OrgType = choice(ORG_TYPES)
RoleType = choice(ROLES)
RECORDED_KINDS = EVENT_KINDS.subset("meeting", "conference", "workshop")  # a course's runs: `course add`
OrgArg = Annotated[str, typer.Argument(metavar="ORG", help="The organization's Korean or English name, or a unique "
                                       "part of it, such as 대한변호사협회.")]
EventArg = Annotated[str, typer.Argument(metavar="EVENT", help="The event's title, or 'title (first day)' as "
                                         "`nalcoop network list` shows it when runs share a title.")]
BodyOpt = Annotated[str | None, typer.Option("--body", "-b", help="The body: its code (klic) or name.",
                                             show_default=False)]
DayOpt = Annotated[str | None, date_option("--date", "-d", help=f"The day ({DATE_FORMS}). Default: today.")]
AgendaOpt = Annotated[str | None, typer.Option("--agenda", help="Agenda or programme.")]
OutcomesOpt = Annotated[str | None, typer.Option("--outcomes", help="What came of it.")]

ORG_COLUMNS = [Column("name", "organization", ko="기관명"), Column("name_en", "English name", ko="영문명"),
               Column("type", ko="유형", terms=ORG_TYPES),
               Column("parent", ko="상위 기관"), Column("bodies", "member of", ko="소속 협의체"),
               Column("events", "events attended", kind="int", ko="참석 행사 수"),
               Column("hosted", "events hosted", kind="int", ko="주최 행사 수"), Column("contact", ko="연락처"),
               Column("note", ko="비고")]
BODY_COLUMNS = [Column("code", ko="코드"), Column("name", "body", ko="협의체명"),
                Column("name_en", "English name", ko="영문명"),
                Column("founded_on", "founded", kind="date", ko="설립일"),
                Column("members", kind="int", ko="회원 기관 수"),
                Column("meetings", kind="int", ko="회의 수"), Column("as_of", "as of", kind="date", ko="기준일")]
MEMBER_COLUMNS = [Column("body", ko="협의체"), Column("name", "organization", ko="기관명"),
                  Column("name_en", "English name", ko="영문명"), Column("type", ko="유형", terms=ORG_TYPES),
                  Column("role", ko="역할", terms=ROLES), Column("joined_on", "joined", kind="date", ko="가입일"),
                  Column("left_on", "left", kind="date", ko="탈퇴일"),
                  Column("member_since", "member since", kind="date", ko="최초 가입일"), Column("note", ko="비고")]
EVENT_COLUMNS = [Column("starts_on", "from", kind="date", ko="시작일"),
                 Column("ends_on", "to", kind="date", ko="종료일"),
                 Column("kind", ko="종류", terms=EVENT_KINDS),
                 Column("title", ko="행사명"), Column("body", ko="협의체"), Column("place", ko="장소"),
                 Column("host", ko="주최"),
                 Column("cohosts", "co-hosts", ko="공동 주최"),
                 Column("hours", kind="float", ko="시간"), Column("registered", "recorded", kind="int", ko="기록 인원"),
                 Column("attended", kind="int", ko="참석"), Column("organizations", kind="int", ko="기관 수"),
                 Column("agenda", ko="안건"),
                 Column("outcomes", ko="성과")]
PARTICIPANT_COLUMNS = [Column("org", "organization", ko="기관명"), Column("type", ko="유형", terms=ORG_TYPES),
                       Column("person", ko="성명"),
                       Column("role", ko="역할", terms=PARTICIPANT_ROLES),
                       Column("status", ko="상태", terms=STATUSES),
                       Column("hours", "hours attended", kind="float", ko="이수 시간"),
                       Column("required", "hours required", kind="float", ko="이수 기준 시간"),
                       Column("completed", ko="수료 여부", terms=ANSWERS), Column("note", ko="비고")]


def _day(value: str | None, option: str = "--date") -> str:
    return date_value(value, option) or today().isoformat()


def _body(conn, text: str | None):
    from nalcoop import network

    return network.resolve_body(conn, need(text, "--body", _("Body: klic, or its name")))


# ---------------------------------------------------------------- organizations


@org_app.command("add")
def org_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The Korean name, such as 대한변호사협회.")],
    english: Annotated[str | None, typer.Option("--english", help="The English name.")] = None,
    org_type: Annotated[str | None, typer.Option("--type", click_type=OrgType, help=ORG_TYPES.help(),
                                                 show_default=False)] = None,
    parent: Annotated[str | None, typer.Option("--parent", help="The organization it is part of (a university "
                      "for its law library).")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Contact person, telephone or e-mail.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything worth keeping.")] = None,
) -> None:
    """Register an organization of the network.

    Example: nalcoop network org add 대한변호사협회 --english 'Korean Bar Association' --type professional-body
    """
    from nalcoop import network

    chosen = need_choice(org_type, "--type", _("Type"), ORG_TYPES)
    with journaled(ctx) as conn:
        added = network.add_org(conn, name, chosen, name_en=english, parent=parent, contact=contact, note=note)
    name = f"{added.name} ({added.name_en})" if added.name_en else added.name
    say(_("registered {org}, {type}").format(org=name, type=ORG_TYPES.said(added.type)))


@org_app.command("edit")
def org_edit(
    ctx: typer.Context,
    org: OrgArg,
    name: Annotated[str | None, typer.Option("--name", help="A new Korean name.")] = None,
    english: Annotated[str | None, typer.Option("--english", help="The English name ('' clears it).")] = None,
    org_type: Annotated[str | None, typer.Option("--type", click_type=OrgType, help="A new type.")] = None,
    parent: Annotated[str | None, typer.Option("--parent", help="The parent organization ('' clears it).")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Contact ('' clears it).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Note ('' clears it).")] = None,
) -> None:
    """Change an organization's details; the journal keeps the old ones.

    Example: nalcoop network org edit 서울대학교 법학도서관 --parent 서울대학교
    """
    from nalcoop import network

    with journaled(ctx) as conn:
        found = network.resolve_org(conn, org)
        changed = network.edit_org(conn, found, name=name, org_type=org_type,
                                   name_en=english, parent=parent, contact=contact, note=note)
    say(_("updated {org}").format(org=changed.name))


@org_app.command("list")
def org_list(
    ctx: typer.Context,
    org_type: Annotated[str | None, typer.Option("--type", click_type=OrgType, help="Only this type.")] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Organizations with the bodies they belong to (at the end of --as-of) and the events they came to.

    Example: nalcoop network org list --type library
    """
    from nalcoop import network

    day = as_of_value(as_of)
    rows = network.org_rows(open_ledger(ctx).conn, day, org_type=org_type)
    emit(ctx, rows, ORG_COLUMNS, fmt=fmt, output=output,
         title=_("organizations: {count} (membership as of {day})").format(count=len(rows), day=day))


# ---------------------------------------------------------------- bodies and memberships


@body_app.command("add")
def body_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="A short handle for --body, such as klic.")],
    name: Annotated[str, typer.Argument(help="The Korean name.")],
    english: Annotated[str | None, typer.Option("--english", help="The English name.")] = None,
    founded: Annotated[str | None, typer.Option("--founded", help="The day it was founded (no one joins before "
                       "it).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything worth keeping.")] = None,
) -> None:
    """Register a body that has members (a council, a consortium).

    Example: nalcoop network body add ncull 전국대학법학도서관협의회 --english 'National Council of University
    Law Libraries'
    """
    from nalcoop import network

    day = date_value(founded, "--founded")
    with journaled(ctx) as conn:
        added = network.add_body(conn, code, name, name_en=english, founded_on=day, note=note)
    if added.founded_on:
        say(_("registered {body}, founded {date}").format(body=added.label, date=added.founded_on))
    else:
        say(_("registered {body}").format(body=added.label))


@body_app.command("list")
def body_list(ctx: typer.Context, as_of: AsOfOpt = None, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Bodies with their members and meetings at the end of --as-of.

    Example: nalcoop network body list --as-of 2020-12-31
    """
    from nalcoop import network

    day = as_of_value(as_of)
    rows = network.body_rows(open_ledger(ctx).conn, day)
    emit(ctx, rows, BODY_COLUMNS, fmt=fmt, output=output, title=_("bodies as of {day} (end of day)").format(day=day))


@app.command()
def join(
    ctx: typer.Context,
    org: OrgArg,
    body: BodyOpt = None,
    date: Annotated[str | None, date_option("--from", help=f"The day it joined ({DATE_FORMS}): a member at the "
                                            "end of that day.")] = None,
    until: Annotated[str | None, date_option("--to", help="For a past membership: the day it left (no longer a "
                                             "member at the end of that day).")] = None,
    role: Annotated[str, typer.Option("--role", click_type=RoleType, help=ROLES.help())] = "member",
    note: Annotated[str | None, typer.Option("--note", help="Anything worth keeping.")] = None,
) -> None:
    """An organization joins a body on a day (a member at the end of that day).

    Memberships of one organization in one body may not overlap.
    Example: nalcoop network join 대한변호사협회 --body klic --from 2019-04-23
    """
    from nalcoop import network

    day = date_value(need(date, "--from", _("Day it joined")), "--from")
    left = date_value(until, "--to")
    with journaled(ctx) as conn:
        found = network.resolve_org(conn, org)
        membership = network.join(conn, _body(conn, body), found, day, role=role, left_on=left, note=note)
    said = (_("{org} joined {body} as {role} on {date}, left on {left}") if left
            else _("{org} joined {body} as {role} on {date}"))
    say(said.format(org=found.name, body=membership.body.name, role=ROLES.said(role), date=day, left=left))


@app.command()
def leave(
    ctx: typer.Context,
    org: OrgArg,
    body: BodyOpt = None,
    date: DayOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, for the record.")] = None,
) -> None:
    """An organization leaves a body on a day: no longer a member at the end of that day.

    Example: nalcoop network leave 대한변호사협회 --body klic --date 2025-12-31
    """
    from nalcoop import network

    day = date_value(need(date, "--date", _("Day it left")), "--date")
    with journaled(ctx) as conn:
        found = network.resolve_org(conn, org)
        membership = network.leave(conn, _body(conn, body), found, day, note=note)
    say(_("{org} left {body} on {date} (member from {since})").format(org=found.name, body=membership.body.name,
                                                                       date=day, since=membership.joined_on))


@app.command()
def role(
    ctx: typer.Context,
    org: OrgArg,
    new_role: Annotated[str | None, typer.Option("--role", click_type=RoleType, help=ROLES.help(),
                                                 show_default=False)] = None,
    body: BodyOpt = None,
    date: DayOpt = None,
) -> None:
    """A member's role changes on a day (chair, secretariat, member); the earlier role is kept in its history.

    Example: nalcoop network role 국회도서관 --body klic --role secretariat --date 2019-04-23
    """
    from nalcoop import network

    chosen = need_choice(new_role, "--role", _("Role"), ROLES)
    day = date_value(need(date, "--date", _("Day the role changes")), "--date")
    with journaled(ctx) as conn:
        found = network.resolve_org(conn, org)
        membership = network.change_role(conn, _body(conn, body), found, chosen, day)
    say(_("{org} is {role} of {body} from {date}").format(org=found.name, role=ROLES.said(chosen),
                                                          body=membership.body.name, date=day))


@app.command()
def members(
    ctx: typer.Context,
    body: BodyOpt = None,
    as_of: AsOfOpt = None,
    history: Annotated[bool, typer.Option("--history", help="Every membership ever recorded, with join and leave "
                       "days, instead of the members on one day.")] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Members of a body (or of every body) at the end of --as-of: an organization that joined on that
    day counts, one that left on it does not.

    Example: nalcoop network members --body klic --as-of 2020-12-31
    """
    from nalcoop import network

    if history and as_of:
        raise UsageError(_("give either --history or --as-of, not both"))
    conn = open_ledger(ctx).conn
    found = network.resolve_body(conn, body) if body is not None else None
    day = None if history else as_of_value(as_of)
    rows = network.member_rows(conn, found, day)
    whose = found.label if found else _("every body")
    title = (_("memberships of {body}: {count}").format(body=whose, count=len(rows)) if history
             else _("members of {body} as of {day}: {count}").format(body=whose, day=day, count=len(rows)))
    emit(ctx, rows, MEMBER_COLUMNS, fmt=fmt, output=output, title=title)


# ---------------------------------------------------------------- events


@event_app.command("add")
def event_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The title, such as '2024 법률정보 학술대회'.")],
    kind: Annotated[str | None, typer.Option("--type", click_type=choice(RECORDED_KINDS),
                                             help=RECORDED_KINDS.help(), show_default=False)] = None,
    date: Annotated[str | None, date_option("--from", help=f"The (first) day ({DATE_FORMS}).")] = None,
    to: Annotated[str | None, date_option("--to", help="The last day of an event of several days (default: the "
                                          "first).")] = None,
    place: PlaceOpt = None,
    host: HostOpt = None,
    cohost: CohostOpt = None,
    body: Annotated[str | None, typer.Option("--body", "-b", help="For a meeting: the body that met (klic).")] = None,
    agenda: AgendaOpt = None,
    outcomes: OutcomesOpt = None,
) -> None:
    """Record a meeting, conference or workshop (courses: `nalcoop network course add`).

    Example: nalcoop network event add '2024 법률정보 학술대회' --type conference --from 2024-10-18 --host 국회도서관
    --cohost 한국법제연구원 --cohost 전국대학법학도서관협의회
    """
    from nalcoop import network

    chosen = need_choice(kind, "--type", _("Type of event"), RECORDED_KINDS)
    day = date_value(need(date, "--from", _("Day it was held")), "--from")
    last = date_value(to, "--to")
    with journaled(ctx) as conn:
        met = network.resolve_body(conn, body) if body else None
        added = network.add_event(conn, chosen, title, day, ends_on=last, place=place, hosts=host,
                                  cohosts=cohost, body=met, agenda=agenda, outcomes=outcomes)
        hosts = network.hosts_of(conn, added.id)
    hosted = ", ".join(hosts["host"]) or _("nobody named")
    said = (_("recorded {kind} {event}, {dates}; hosted by {hosts} with {cohosts}") if hosts["cohost"]
            else _("recorded {kind} {event}, {dates}; hosted by {hosts}"))
    say(said.format(kind=EVENT_KINDS.said(added.kind), event=added.label, dates=added.dates, hosts=hosted,
                    cohosts=", ".join(hosts["cohost"])))


@event_app.command("edit")
def event_edit(
    ctx: typer.Context,
    event: EventArg,
    title: Annotated[str | None, typer.Option("--title", help="A new title.")] = None,
    date: Annotated[str | None, date_option("--from", help="A new first day.")] = None,
    to: Annotated[str | None, date_option("--to", help="A new last day.")] = None,
    place: PlaceOpt = None,
    host: HostOpt = None,
    cohost: CohostOpt = None,
    agenda: AgendaOpt = None,
    outcomes: OutcomesOpt = None,
    hours: Annotated[str | None, typer.Option("--hours", help="A course run's hours ('' takes the curriculum's).")]
    = None,
) -> None:
    """Change an event's details; --host or --cohost given replace the ones recorded.

    Example: nalcoop network event edit '2024 법률정보 학술대회' --outcomes '발표 6편, 참석 120명'
    """
    from nalcoop import network

    first, last = date_value(date, "--from"), date_value(to, "--to")
    with journaled(ctx) as conn:
        found = network.resolve_event(conn, event)
        changed = network.edit_event(conn, found, title=title, starts_on=first, ends_on=last, place=place,
                                     agenda=agenda, outcomes=outcomes, hours=hours, hosts=host, cohosts=cohost)
    say(_("updated {event}").format(event=changed.label))


@event_app.command("show")
def event_show(ctx: typer.Context, event: EventArg, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """An event: its details and everyone recorded for it; for a course run, each trainee's completion.

    Example: nalcoop network event show '2024 법률정보 학술대회'
    """
    from nalcoop import network

    conn = open_ledger(ctx).conn
    found = network.resolve_event(conn, event)
    hosts = network.hosts_of(conn, found.id)
    rows = network.participant_rows(conn, found)
    attended = sum(1 for row in rows if row["status"] == "attended")
    parts = [f"{found.kind} {found.label}", found.dates]
    if found.place:
        parts.append(found.place)
    parts.append("hosted by " + (", ".join(hosts["host"]) or "nobody named")
                 + (f" with {', '.join(hosts['cohost'])}" if hosts["cohost"] else ""))
    if found.kind == "course":
        total = network.run_hours(conn, found)
        done, trainees = network.completions(conn, found)
        parts.append(f"{network.shown_hours(total)} hours; {done} of {trainees} trainees completed" if done is not None
                     else f"{trainees} trainees; the run's hours are not known yet (--hours or a curriculum), so "
                     "completion cannot be judged")
    parts.append(f"{attended} of {len(rows)} recorded attended")
    if found.agenda:
        parts.append(f"agenda: {found.agenda}")
    if found.outcomes:
        parts.append(f"outcomes: {found.outcomes}")
    emit(ctx, rows, PARTICIPANT_COLUMNS, fmt=fmt, output=output, title=" · ".join(parts))


@app.command()
def attend(
    ctx: typer.Context,
    event: EventArg,
    org: Annotated[str | None, typer.Option("--org", help="The participant's organization (Korean or English "
                   "name).", show_default=False)] = None,
    person: Annotated[str | None, typer.Option("--person", help="The person who came for it.")] = None,
    participant_role: Annotated[str | None, typer.Option("--role", click_type=choice(PARTICIPANT_ROLES),
                                help=PARTICIPANT_ROLES.help(after="Default: trainee at a course, participant "
                                                            "elsewhere."), show_default=False)] = None,
    status: Annotated[str | None, typer.Option("--status", click_type=choice(STATUSES),
                      help=STATUSES.help(after="Only attended counts as attendance. Default: attended."),
                      show_default=False)] = None,
    hours: Annotated[str | None, typer.Option("--hours", help="Hours attended, for a course's trainee (default: "
                     "the whole run when attended).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Anything worth keeping.")] = None,
    file: Annotated[Path | None, import_option("a list of participants, not one --org,")] = None,
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="A YAML column map for other layouts (copy "
                          "nalcoop/data/maps/network_participants.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record who registered for or came to an event (the same person again updates the record).

    With --import, a whole list: headers such as 기관, 성명, 역할, 출석, 이수시간 (or organization, name, role,
    status, hours) are recognised; an unknown organization is refused with the closest names.
    Example: nalcoop network attend '2024 법률정보 학술대회' --org '연세대학교 학술문화처 도서관'
    --person 김민수 --role speaker
    ; nalcoop network attend '입법정보 전문가 과정' --import participants.xlsx
    """
    from nalcoop import network

    if file is not None:
        if org or person or participant_role or status or hours or note:
            raise UsageError(_("give either --import FILE (roles and statuses in its columns) or one participant "
                               "(--org, --person, --role, --status ...), not both"))
        from nalcoop.importer import load_map, read_table

        shipped = "network_participants"
        table = read_table(file, load_map(column_map or shipped, like=shipped), sheet=sheet)

        def apply(conn, rows):
            return network.import_participants(conn, network.resolve_event(conn, event), rows)

        counts = run_import(ctx, table, apply, dry_run=dry_run)
        report_import(ctx, table, counts, dry_run=dry_run)
        return
    if sheet or column_map:
        raise UsageError(_("--sheet and --map are for --import FILE"))
    who = need(org, "--org", _("Organization of the participant"))
    with journaled(ctx, dry_run=dry_run) as conn:
        found = network.resolve_event(conn, event)
        done = network.attend(conn, found, network.resolve_org(conn, who), person=person,
                              role=participant_role,
                              status=status or "attended", hours=hours, note=note)
    said = {"created": _("recorded {participant} at {event} ({status})"),
            "changed": _("updated {participant} at {event} ({status})"),
            "unchanged": _("already recorded, unchanged: {participant} at {event} ({status})")}[done.outcome]
    said = said.format(participant=done.label, event=found.label, status=STATUSES.said(status or "attended"))
    say(_("dry run, nothing written — {line}").format(line=said) if dry_run else said)


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--type", click_type=choice(EVENT_KINDS), help=EVENT_KINDS.help())]
    = None,
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    body: Annotated[str | None, typer.Option("--body", "-b", help="Only meetings of this body.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="Only events this organization hosted or came to.")]
    = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Events in date order with hosts and attendance (only participants marked attended are counted).

    --year or --from/--to keep the events that began in the period; --as-of D those that began by the end
    of D (inclusive).
    Example: nalcoop network list --type conference --year 2024 ; nalcoop network list --as-of 2024-06-30
    """
    from nalcoop import network

    start, end = span_of(year, date_from, date_to, as_of) if as_of is not None else period_of(year, date_from,
                                                                                              date_to)
    conn = open_ledger(ctx).conn
    rows = network.event_rows(conn, kind=kind, date_from=start, date_to=end,
                              body=network.resolve_body(conn, body) if body else None,
                              org=network.resolve_org(conn, org) if org else None)
    emit(ctx, rows, EVENT_COLUMNS, fmt=fmt, output=output, title=_("events: {count}").format(count=len(rows)))

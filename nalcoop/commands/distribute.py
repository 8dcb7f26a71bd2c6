"""`nalcoop distribute`: NAL's publications sent to libraries and institutions at home and abroad."""

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
    copies_option,
    copies_value,
    date_option,
    date_value,
    emit,
    import_option,
    journaled,
    need,
    need_choice,
    open_ledger,
    period_of,
    report,
    report_import,
    run_import,
    say,
    span_of,
)
from nalcoop.dates import today
from nalcoop.distribution import FREQUENCIES, RECIPIENT_STATES, RECIPIENT_TYPES, RETURN_REASONS
from nalcoop.errors import UsageError
from nalcoop.i18n import _, ngettext
from nalcoop.render import Column

app = typer.Typer(
    no_args_is_help=True,
    help="Distribution of NAL publications (발간자료 발송): the catalogue, recipients at home and abroad, standing "
    "lists, dispatch runs, returns and mailing labels.\n\n"
    "Example: nalcoop distribute send '월간 국회도서관' --issue 2024-05 --date 2024-05-20",
)
publication_app = typer.Typer(
    no_args_is_help=True,
    help="The catalogue of NAL publications sent out (title, series, ISSN or ISBN, frequency).\n\n"
    "Example: nalcoop distribute publication add '월간 국회도서관' --frequency monthly --issn 1228-4734",
)
issue_app = typer.Typer(
    no_args_is_help=True,
    help="The issues of a publication (identifier, date, pages, copies printed).\n\n"
    "Example: nalcoop distribute issue add '월간 국회도서관' 2024-05 --date 2024-05-15 --pages 120",
)
recipient_app = typer.Typer(
    no_args_is_help=True,
    help="Libraries and institutions that receive NAL publications, in Korea and abroad.\n\n"
    "Example: nalcoop distribute recipient add 'Library of Congress' --country US --type national-library",
)
app.add_typer(publication_app, name="publication")
app.add_typer(issue_app, name="issue")
app.add_typer(recipient_app, name="recipient")


FrequencyType = choice(FREQUENCIES)
RecipientType = choice(RECIPIENT_TYPES)
DATE_FORMS = "2024-05-20, 2024. 5. 20., 2024년 5월 20일 or 20240520"
PublicationArg = Annotated[str, typer.Argument(metavar="PUBLICATION", help="The title, such as '월간 국회도서관' "
                                               "(or its ISSN, or a unique part of the title).")]
RecipientArg = Annotated[str, typer.Argument(metavar="RECIPIENT", help="The recipient's name as listed, such as "
                                             "'Library of Congress' (add ' (US)' if the name is shared).")]
IssueOpt = Annotated[str | None, typer.Option("--issue", "-i", help="The issue, such as 2024-05 or '통권 600호'.",
                                              show_default=False)]
DayOpt = Annotated[str | None, date_option("--date", "-d", help=f"The day ({DATE_FORMS}). Default: today.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="An ISO 3166 code or a country name: US, JP, "
                                                "Japan, 일본 ...", show_default=False)]
CopiesOpt = Annotated[str | None, copies_option("Copies of each issue (1 or more). Default: 1.")]

PUBLICATION_COLUMNS = [
    Column("title", ko="자료명"), Column("title_en", "English title", ko="영문 제목"), Column("series", ko="시리즈"),
    Column("issn", "ISSN", kind="code", ko="ISSN"),
    Column("isbn", "ISBN", kind="code", ko="ISBN"), Column("frequency", ko="간행 주기", terms=FREQUENCIES),
    Column("publisher_unit", "publisher unit", ko="발행 부서"),
    Column("issues", kind="int", ko="발행 호수"), Column("latest", "latest issue", ko="최근 호"),
]
ISSUE_COLUMNS = [
    Column("title", "publication", ko="발간자료"), Column("issue", ko="호"),
    Column("issued_on", "date", kind="date", ko="발행일"),
    Column("pages", kind="int", ko="쪽수"), Column("copies_printed", "copies printed", kind="int", ko="발행 부수"),
    Column("recipients", "sent to", kind="int", ko="수령처 수"),
    Column("copies_sent", "copies sent", kind="int", ko="발송 부수"),
]
RECIPIENT_COLUMNS = [
    Column("name", "recipient", ko="기관명"), Column("country", kind="code", ko="국가 코드"),
    Column("country_name", "country name", ko="영문 국가명"),
    Column("type", ko="유형", terms=RECIPIENT_TYPES), Column("region", ko="지역"), Column("province", ko="시도"),
    Column("postcode", kind="code", ko="우편번호"), Column("address", ko="주소"),
    Column("contact", ko="연락처"), Column("status", ko="상태", terms=RECIPIENT_STATES),
    Column("active_from", "active from", kind="date", ko="발송 시작일"),
    Column("inactive_from", "inactive from", kind="date", ko="중지일"),
    Column("inactive_reason", "inactive reason", ko="중지 사유"),
    Column("subscriptions", kind="int", ko="정기 발송 건수"),
]
SUBSCRIPTION_COLUMNS = [
    Column("publication", ko="발간자료"), Column("recipient", ko="수령처"),
    Column("country", kind="code", ko="국가 코드"),
    Column("type", ko="유형", terms=RECIPIENT_TYPES),
    Column("copies", kind="int", ko="부수"), Column("from", kind="date", ko="시작일"),
    Column("to", kind="date", ko="종료일"),
    Column("end_reason", "end reason", ko="종료 사유"),
]
PLAN_COLUMNS = [Column("recipient", ko="수령처"), Column("country", kind="code", ko="국가 코드"),
                Column("type", ko="유형", terms=RECIPIENT_TYPES),
                Column("region", ko="지역"),
                Column("copies", kind="int", ko="부수")]
LINE_COLUMNS = [
    Column("date", kind="date", ko="일자"), Column("publication", ko="발간자료"), Column("issue", ko="호"),
    Column("recipient", ko="수령처"),
    Column("country", kind="code", ko="국가 코드"), Column("type", ko="유형", terms=RECIPIENT_TYPES),
    Column("copies", kind="int", ko="부수"),
    Column("returned", kind="int", ko="반송"),
    Column("return_reason", "return reason", ko="반송 사유", terms=RETURN_REASONS),
    Column("returned_on", "returned on", kind="date", ko="반송일"),
]
LABEL_COLUMNS = [
    Column("parcel", kind="int", ko="소포 번호"), Column("group", ko="항목"),
    Column("country", kind="code", ko="국가 코드"),
    Column("country_name", "country name", ko="영문 국가명"), Column("postcode", kind="code", ko="우편번호"),
    Column("recipient", ko="수령처"),
    Column("address", ko="주소"), Column("contact", ko="연락처"), Column("copies", kind="int", ko="부수"),
    Column("publication", ko="발간자료"), Column("issue", ko="호"),
]
REVIEW_COLUMNS = [
    Column("recipient", ko="수령처"), Column("country", kind="code", ko="국가 코드"),
    Column("postcode", kind="code", ko="우편번호"),
    Column("address", ko="주소"),
    Column("contact", ko="연락처"), Column("undeliverable", "undeliverable in a row", kind="int", ko="연속 반송 횟수"),
    Column("last_return", "last return", kind="date", ko="최근 반송일"),
    Column("address_checked", "address checked", kind="date", ko="주소 확인일"),
]


def _day(value: str | None, option: str = "--date") -> str:
    return date_value(value, option) or today().isoformat()


def _issue_text(issue: str | None) -> str:
    return need(issue, "--issue", _("Issue, such as 2024-05"))


# ---------------------------------------------------------------- publications and issues


@publication_app.command("add")
def publication_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The Korean title, such as '월간 국회도서관'.")],
    frequency: Annotated[str | None, typer.Option("--frequency", click_type=FrequencyType,
                                                  help=FREQUENCIES.help(), show_default=False)] = None,
    title_en: Annotated[str | None, typer.Option("--english", help="The English title.")] = None,
    series: Annotated[str | None, typer.Option("--series", help="The series it belongs to.")] = None,
    issn: Annotated[str | None, typer.Option("--issn", help="ISSN, such as 1228-4734 (check digit verified).")]
    = None,
    isbn: Annotated[str | None, typer.Option("--isbn", help="ISBN, for a one-off publication.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="The NAL unit that publishes it.")] = None,
) -> None:
    """Add a publication to the catalogue.

    Example: nalcoop distribute publication add '월간 국회도서관' --series monthly --issn 1228-4734 --frequency monthly
    """
    from nalcoop import distribution

    chosen = need_choice(frequency, "--frequency", _("Frequency"), FREQUENCIES)
    with journaled(ctx) as conn:
        added = distribution.add_publication(conn, title, chosen, title_en=title_en, series=series, issn=issn,
                                             isbn=isbn, publisher_unit=unit)
    issn = _(", ISSN {issn}").format(issn=added.issn) if added.issn else ""
    say(_("added 『{title}』 ({frequency}{issn}) to the catalogue").format(
        title=added.title, frequency=FREQUENCIES.said(added.frequency), issn=issn))


@publication_app.command("edit")
def publication_edit(
    ctx: typer.Context,
    publication: PublicationArg,
    title: Annotated[str | None, typer.Option("--title", help="A new title.")] = None,
    frequency: Annotated[str | None, typer.Option("--frequency", click_type=FrequencyType,
                                                  help="A new frequency.")] = None,
    title_en: Annotated[str | None, typer.Option("--english", help="The English title ('' clears it).")] = None,
    series: Annotated[str | None, typer.Option("--series", help="The series ('' clears it).")] = None,
    issn: Annotated[str | None, typer.Option("--issn", help="The ISSN.")] = None,
    isbn: Annotated[str | None, typer.Option("--isbn", help="The ISBN.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="The publishing unit ('' clears it).")] = None,
) -> None:
    """Change a publication's details; the journal keeps the old ones.

    Example: nalcoop distribute publication edit '월간 국회도서관' --english 'National Assembly Library Review'
    """
    from nalcoop import distribution

    with journaled(ctx) as conn:
        found = distribution.resolve_publication(conn, publication)
        changed = distribution.edit_publication(
            conn, found, title=title, frequency=frequency, title_en=title_en,
            series=series, issn=issn, isbn=isbn, publisher_unit=unit)
    say(_("updated 『{title}』").format(title=changed.title))


@publication_app.command("list")
def publication_list(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """The catalogue: every publication with its identifiers and how many issues it has.

    Example: nalcoop distribute publication list
    """
    from nalcoop import distribution

    rows = distribution.publication_rows(open_ledger(ctx).conn)
    emit(ctx, rows, PUBLICATION_COLUMNS, fmt=fmt, output=output,
         title=_("publications: {count}").format(count=len(rows)))


@issue_app.command("add")
def issue_add(
    ctx: typer.Context,
    publication: PublicationArg,
    issue: Annotated[str, typer.Argument(help="The issue's identifier, such as 2024-05 or '통권 600호'.")],
    date: Annotated[str | None, date_option("--date", "-d", help=f"Its publication date ({DATE_FORMS}).")] = None,
    pages: Annotated[int | None, typer.Option("--pages", help="Number of pages.")] = None,
    printed: Annotated[int | None, typer.Option("--printed", help="Copies printed.")] = None,
) -> None:
    """Add an issue of a publication to the catalogue (an issue must be there before it is sent).

    Example: nalcoop distribute issue add '월간 국회도서관' 2024-05 --date 2024-05-15 --pages 120 --printed 3000
    """
    from nalcoop import distribution

    day = date_value(need(date, "--date", _("Publication date of the issue")), "--date")
    with journaled(ctx) as conn:
        found = distribution.resolve_publication(conn, publication)
        added = distribution.add_issue(conn, found, issue, day, pages=pages, copies_printed=printed)
    say(_("added {issue}, dated {date}").format(issue=added.label, date=added.issued_on))


@issue_app.command("list")
def issue_list(
    ctx: typer.Context,
    publication: Annotated[str | None, typer.Argument(metavar="[PUBLICATION]", help="Only this publication's "
                           "issues.")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Issues in the catalogue, with how many recipients and copies each was sent to.

    Example: nalcoop distribute issue list '월간 국회도서관'
    """
    from nalcoop import distribution

    conn = open_ledger(ctx).conn
    found = distribution.resolve_publication(conn, publication) if publication else None
    rows = distribution.issue_rows(conn, found)
    emit(ctx, rows, ISSUE_COLUMNS, fmt=fmt, output=output, title=_("issues: {count}").format(count=len(rows)))


# ---------------------------------------------------------------- recipients


@recipient_app.command("add")
def recipient_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The recipient's name, such as 'Library of Congress' or 부산대학교 "
                                        "도서관.")],
    country: CountryOpt = None,
    recipient_type: Annotated[str | None, typer.Option("--type", click_type=RecipientType,
                                                       help=RECIPIENT_TYPES.help(), show_default=False)] = None,
    region: Annotated[str | None, typer.Option("--region", help="For a recipient in Korea: its local government "
                      "('부산 금정구'), for regional statistics.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Postal address, in the recipient's own format.")]
    = None,
    postcode: Annotated[str | None, typer.Option("--postcode", help="Postcode (kept as text).")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Contact person, telephone or e-mail.")] = None,
    active_from: Annotated[str | None, date_option("--from", help="First day it may receive anything. "
                                                   "Default: none (no known first day).")] = None,
) -> None:
    """Register a recipient; a country given by name becomes its ISO 3166 code.

    Example: nalcoop distribute recipient add 'Library of Congress' --country US --type national-library
    --address '101 Independence Ave SE, Washington, DC' --postcode 20540
    """
    from nalcoop import distribution

    where = need(country, "--country", _("Country: an ISO code such as US, or a name"))
    chosen = need_choice(recipient_type, "--type", _("Recipient type"), RECIPIENT_TYPES)
    day = date_value(active_from, "--from")
    with journaled(ctx) as conn:
        added = distribution.add_recipient(conn, name, where, chosen, day, on_date=today().isoformat(),
                                           region=region, address=address, postcode=postcode, contact=contact)
    said = [added.label, RECIPIENT_TYPES.said(added.type)] + ([added.region] if added.region else [])
    if added.active_from:
        said.append(_("active from {date}").format(date=added.active_from))
    say(_("registered {recipient}").format(recipient=", ".join(said)))


@recipient_app.command("edit")
def recipient_edit(
    ctx: typer.Context,
    recipient: RecipientArg,
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    country: CountryOpt = None,
    recipient_type: Annotated[str | None, typer.Option("--type", click_type=RecipientType, help="A new type.")]
    = None,
    region: Annotated[str | None, typer.Option("--region", help="A new region (recipients in Korea).")] = None,
    address: Annotated[str | None, typer.Option("--address", help="A new address (clears an address review).")]
    = None,
    postcode: Annotated[str | None, typer.Option("--postcode", help="A new postcode.")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="A new contact ('' clears it).")] = None,
    active_from: Annotated[str | None, date_option("--from", help="A new first day it may receive anything.")]
    = None,
    address_checked: Annotated[bool, typer.Option("--address-checked", help="The address was confirmed as it is: "
                               "clears an address review.")] = False,
    date: DayOpt = None,
) -> None:
    """Change a recipient's details; the journal keeps the old ones.

    Example: nalcoop distribute recipient edit 'Library of Congress' --address '...' --postcode 20540-4660
    """
    from nalcoop import distribution

    with journaled(ctx) as conn:
        found = distribution.resolve_recipient(conn, recipient)
        changed = distribution.edit_recipient(
            conn, found, _day(date), address_checked=address_checked, name=name, country=country,
            type=recipient_type, region=region, address=address,
            postcode=postcode, contact=contact, active_from=date_value(active_from, "--from"))
    say(_("updated {recipient}").format(recipient=changed.label))


@recipient_app.command("deactivate")
def recipient_deactivate(
    ctx: typer.Context,
    recipient: RecipientArg,
    date: Annotated[str | None, date_option("--date", "-d", help="The first day it receives nothing. "
                                            "Default: today.")] = None,
    reason: Annotated[str | None, typer.Option("--note", help="Why (closed, merged, asked to stop ...).")] = None,
) -> None:
    """Stop sending to a recipient from a day on; its subscriptions end the day before.

    Example: nalcoop distribute recipient deactivate 'Old Institute Library' --date 2025-01-01 --note closed
    """
    from nalcoop import distribution

    day = _day(date)
    with journaled(ctx) as conn:
        found = distribution.resolve_recipient(conn, recipient)
        ended = distribution.deactivate_recipient(conn, found, day, reason)
    if ended:
        say(_("{recipient} is inactive from {date}; ended its subscriptions to {titles}").format(
            recipient=found.label, date=day, titles=", ".join(f"『{t}』" for t in ended)))
    else:
        say(_("{recipient} is inactive from {date}").format(recipient=found.label, date=day))


@recipient_app.command("reactivate")
def recipient_reactivate(
    ctx: typer.Context,
    recipient: RecipientArg,
    date: Annotated[str | None, date_option("--date", "-d", help="The first day it may receive again. Default: "
                                            "today.")] = None,
) -> None:
    """Make an inactive recipient active again from a day on; the inactive period stays on record
    (subscribe it again to send it anything).

    Example: nalcoop distribute recipient reactivate 'Old Institute Library' --date 2026-03-01
    """
    from nalcoop import distribution

    day = _day(date)
    with journaled(ctx) as conn:
        found = distribution.resolve_recipient(conn, recipient)
        inactive_from = found.inactive_from
        distribution.reactivate_recipient(conn, found, day)
    say(_("{recipient} is active again from {date} (it was inactive from {since}); subscribe it to the "
          "publications it should receive").format(recipient=found.label, date=day, since=inactive_from))


@recipient_app.command("list")
def recipient_list(
    ctx: typer.Context,
    country: CountryOpt = None,
    recipient_type: Annotated[str | None, typer.Option("--type", click_type=RecipientType, help="Only this type.")]
    = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive", help="Only (in)active ones.",
                                                show_default=False)] = None,
    domestic: Annotated[bool | None, typer.Option("--domestic/--foreign", help="Only those in Korea / abroad.",
                                                  show_default=False)] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Recipients as they stood at the end of a day: in Korea first, then by country and name.

    Example: nalcoop distribute recipient list --foreign --active
    """
    from nalcoop import distribution

    day = as_of_value(as_of)
    rows = distribution.recipient_rows(open_ledger(ctx).conn, day, country=country,
                                       recipient_type=recipient_type,
                                       active=active, domestic=domestic)
    emit(ctx, rows, RECIPIENT_COLUMNS, fmt=fmt, output=output,
         title=_("recipients as of {day}: {count}").format(day=day, count=len(rows)))


@recipient_app.command("import")
def recipient_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An xlsx, xls, ods or csv file (UTF-8 or CP949).")],
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="A YAML column map for other layouts (copy "
                          "nalcoop/data/maps/distribution_recipients.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Import a list of recipients: all rows or none, safe to re-run (known ones are updated).

    Headers such as 기관명, 국가, 유형, 지역, 주소, 우편번호, 연락처 (or name, country, type, address,
    postcode, contact) are recognised. Two rows with the same name and country are refused.
    Example: nalcoop distribute recipient import recipients.xlsx --dry-run
    """
    from nalcoop import distribution
    from nalcoop.importer import load_map, read_table

    shipped = "distribution_recipients"
    table = read_table(file, load_map(column_map or shipped, like=shipped), sheet=sheet)
    counts = run_import(ctx, table, lambda conn, rows: distribution.import_recipients(conn, rows,
                        today().isoformat()), dry_run=dry_run)
    report_import(ctx, table, counts, dry_run=dry_run)


@recipient_app.command("review")
def recipient_review(ctx: typer.Context, fmt: FormatOpt = None, output: OutputOpt = None) -> None:
    """Recipients whose address is under review: three or more copies in a row came back undeliverable.

    They are held back from dispatch runs until the address is changed (recipient edit --address)
    or confirmed (recipient edit --address-checked).
    Example: nalcoop distribute recipient review
    """
    from nalcoop import distribution

    rows = distribution.review_rows(open_ledger(ctx).conn)
    emit(ctx, rows, REVIEW_COLUMNS, fmt=fmt, output=output,
         title=_("addresses to review: {count}").format(count=len(rows)))


# ---------------------------------------------------------------- standing lists


@app.command()
def subscribe(
    ctx: typer.Context,
    recipient: Annotated[str | None, typer.Argument(metavar="[RECIPIENT]", help="The recipient's name as listed, "
                         "such as 'Library of Congress' (add ' (US)' if the name is shared).", show_default=False)]
    = None,
    publication: Annotated[str | None, typer.Argument(metavar="[PUBLICATION]", help="The title, such as '월간 "
                           "국회도서관' (or its ISSN, or a unique part of the title).", show_default=False)] = None,
    copies: CopiesOpt = None,
    date_from: Annotated[str | None, date_option("--from", help="First day on the list. Default: today.")] = None,
    date_to: Annotated[str | None, date_option("--to", help="Last day on the list (inclusive). Default: open.")]
    = None,
    file: Annotated[Path | None, import_option("a whole standing list (recipient, publication, copies, from, "
                                               "to)")] = None,
    sheet: SheetOpt = None,
    column_map: Annotated[Path | None, typer.Option("--map", help="With --import: a YAML column map for other "
                          "layouts (copy nalcoop/data/maps/distribution_subscriptions.yaml).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Put a recipient on a publication's standing list: each issue sent from then on goes to it.

    With --import FILE, a whole standing list in one command (headers such as 기관명, 국가, 자료명, 부수,
    시작일, 종료일 or recipient, country, publication, copies, from, to); a row already on the list
    changes nothing, a row that overlaps another subscription is refused with the rest.
    Example: nalcoop distribute subscribe 'Library of Congress' '월간 국회도서관' --copies 2 --from 2024-01-01
    Example: nalcoop distribute subscribe --import standing-list-2025.xlsx --dry-run
    """
    from nalcoop import distribution

    if file is not None:
        if recipient or publication or date_from or date_to or copies_value(copies) not in (None, 1):
            raise UsageError(_("with --import the file gives the recipients, publications, copies and days; drop "
                               "the other arguments"))
        from nalcoop.importer import load_map, read_table

        shipped = "distribution_subscriptions"
        table = read_table(file, load_map(column_map or shipped, like=shipped), sheet=sheet)
        counts = run_import(ctx, table, lambda conn, rows: distribution.import_subscriptions(
            conn, rows, today().isoformat()), dry_run=dry_run)
        report_import(ctx, table, counts, dry_run=dry_run)
        return
    if sheet or column_map:
        raise UsageError(_("--sheet and --map are for --import FILE"))
    recipient = need(recipient, "RECIPIENT", _("Recipient"))
    publication = need(publication, "PUBLICATION", _("Publication"))
    start = _day(date_from, "--from")
    end = date_value(date_to, "--to")
    with journaled(ctx, dry_run=dry_run) as conn:
        found = distribution.resolve_recipient(conn, recipient)
        title = distribution.resolve_publication(conn, publication)
        count = 1 if copies is None else copies_value(copies)
        distribution.subscribe(conn, found, title, count, start, end)
    copies = ngettext("{count} copy", "{count} copies", count).format(count=count)
    said = (_("{recipient} receives {copies} of 『{title}』 from {start} to {end}") if end
            else _("{recipient} receives {copies} of 『{title}』 from {start}"))
    said = said.format(recipient=found.label, copies=copies, title=title.title, start=start, end=end)
    say(_("dry run, nothing written — would be: {line}").format(line=said) if dry_run else said)


@app.command()
def unsubscribe(
    ctx: typer.Context,
    recipient: RecipientArg,
    publication: PublicationArg,
    date_to: Annotated[str | None, date_option("--date", "-d", help="The last day on the list (inclusive). "
                                               "Default: today.")] = None,
    reason: Annotated[str | None, typer.Option("--note", help="Why it ended.")] = None,
) -> None:
    """Take a recipient off a publication's standing list after a day.

    Example: nalcoop distribute unsubscribe 'Library of Congress' '월간 국회도서관' --date 2024-12-31 --note closed
    """
    from nalcoop import distribution

    last_day = _day(date_to, "--date")
    with journaled(ctx) as conn:
        found = distribution.resolve_recipient(conn, recipient)
        title = distribution.resolve_publication(conn, publication)
        ended = distribution.unsubscribe(conn, found, title, last_day, reason)
    say(_("{recipient}: 『{title}』 from {start} to {end}").format(recipient=found.label, title=title.title,
                                                                   start=ended["start_on"], end=last_day))


@app.command()
def subscriptions(
    ctx: typer.Context,
    publication: Annotated[str | None, typer.Option("--publication", "-p", help="Only this publication.")] = None,
    recipient: Annotated[str | None, typer.Option("--recipient", "-r", help="Only this recipient.")] = None,
    country: CountryOpt = None,
    every: Annotated[bool, typer.Option("--all", help="Every subscription ever, ended ones included.")] = False,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """The standing lists: the subscriptions running at the end of a day (or --all).

    Example: nalcoop distribute subscriptions --publication '월간 국회도서관' --as-of 2024-05-20
    """
    from nalcoop import distribution

    if every and as_of:
        raise UsageError(_("give either --all or --as-of, not both"))
    conn = open_ledger(ctx).conn
    day = None if every else as_of_value(as_of)
    rows = distribution.subscription_rows(
        conn, day, publication=distribution.resolve_publication(conn, publication) if publication else None,
        recipient=distribution.resolve_recipient(conn, recipient) if recipient else None, country=country)
    when = "ever" if every else f"running at the end of {day}"
    emit(ctx, rows, SUBSCRIPTION_COLUMNS, fmt=fmt, output=output,
         title=_("subscriptions {when}: {count}").format(when=when, count=len(rows)))


# ---------------------------------------------------------------- dispatch runs


@app.command()
def send(
    ctx: typer.Context,
    publication: PublicationArg,
    issue: IssueOpt = None,
    date: DayOpt = None,
    dry_run: DryRunOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Send an issue to everyone on its publication's standing list, as one dispatch run.

    One line per subscription running on the day (copies from the subscription). A recipient
    that already had the issue, is inactive, or whose address is under review is left out and
    counted. --dry-run lists who would get what and writes nothing.
    Example: nalcoop distribute send '월간 국회도서관' --issue 2024-05 --date 2024-05-20
    """
    from nalcoop import distribution
    from nalcoop.progress import on_interrupt

    on_interrupt(_("nothing was dispatched"))
    issue_text = _issue_text(issue)
    day = _day(date)
    with journaled(ctx, dry_run=dry_run) as conn:
        found = distribution.find_issue(conn, distribution.resolve_publication(conn, publication), issue_text)
        plan = distribution.plan_dispatch(conn, found, day)
        distribution.check_plan(plan)
        if dry_run:
            rows = distribution.plan_rows(conn, plan)
        else:
            distribution.send(conn, plan)
    if dry_run:
        report(ctx, rows, PLAN_COLUMNS, [f"{row['recipient']} ({row['country']}): {row['copies']:,}" for row in rows],
               fmt=fmt, output=output,
               title=_("{publication} on {day}: would send").format(publication=found.label, day=day))
    if plan.already:
        say(_("left out {count} that already had this issue (sent {date})").format(
            count=len(plan.already), date=min(d for _sent, d in plan.already)))
    if plan.inactive:
        say(_("left out {count} inactive on {date}: {names}").format(
            count=len(plan.inactive), date=day,
            names=", ".join(plan.inactive[:5]) + (" …" if len(plan.inactive) > 5 else "")))
    if plan.held:
        say(_("held back {count} whose address is under review: {names} (see `nalcoop distribute recipient "
              "review`)").format(count=len(plan.held),
                                 names=", ".join(plan.held[:5]) + (" …" if len(plan.held) > 5 else "")))
    copies = ngettext("{count:,} copy", "{count:,} copies", plan.copies).format(count=plan.copies)
    recipients = ngettext("{count:,} recipient", "{count:,} recipients", len(plan.lines)).format(
        count=len(plan.lines))
    said = (_("dry run, nothing written — would send {issue} on {date}: {copies} to {recipients}") if dry_run
            else _("sent {issue} on {date}: {copies} to {recipients}"))
    say(said.format(issue=found.label, date=day, copies=copies, recipients=recipients))


@app.command()
def labels(
    ctx: typer.Context,
    publication: PublicationArg,
    issue: IssueOpt = None,
    split_by_country: Annotated[bool, typer.Option("--split-by-country", help="One sheet (xlsx) or one file "
                                "(csv ...) per country, for the postal service's forms.")] = False,
    sheet: Annotated[str | None, typer.Option("--layout", help="The label sheet of a .pdf: a4-2x7 (14 labels, "
                     "99.1 x 38.1 mm; the default), a4-3x7 (21), a4-2x8 (16), your own layout's name, or a "
                     "layout .yaml file.", show_default=False)] = None,
    skip: Annotated[int, typer.Option("--skip", help="Labels already used on the first sheet of a .pdf: "
                    "printing starts after them.", min=0)] = 0,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Mailing labels for an issue that was sent: one per parcel with its copies, in Korea first, then by
    country and postcode.

    With -o FILE.pdf each address is printed onto an A4 label sheet (--layout, --skip); other formats give
    one row per parcel, for a mail merge or the postal service's forms.
    Example: nalcoop distribute labels '월간 국회도서관' --issue 2024-05 -o labels.pdf --layout a4-3x7
    """
    from nalcoop import distribution

    layout = None  # the options are checked before the ledger is read: a mistyped --layout says so first
    if output is not None and output.suffix.lower() == ".pdf":
        from nalcoop.labels import find_layout

        if split_by_country:
            raise UsageError(_("--split-by-country is for xlsx and csv: a label sheet takes every country in "
                               "order, Korea first"))
        layout = find_layout(sheet)
    elif sheet is not None or skip:
        raise UsageError(_("--layout and --skip lay labels onto a sheet: give -o FILE.pdf"))
    conn = open_ledger(ctx).conn
    found = distribution.find_issue(conn, distribution.resolve_publication(conn, publication), _issue_text(issue))
    rows = distribution.label_rows(conn, found)
    if layout is not None:
        from nalcoop.labels import write_labels

        pages = write_labels(output, rows, layout, skip=skip, title=_("{issue} labels").format(issue=found.label))
        labels_written = ngettext("{count} label", "{count} labels", len(rows)).format(count=len(rows))
        sheets = ngettext("{count} {layout} sheet", "{count} {layout} sheets", pages).format(count=pages,
                                                                                            layout=layout.name)
        say(_("wrote {labels} on {sheets} to {file}").format(labels=labels_written, sheets=sheets, file=output))
        return
    emit(ctx, rows, LABEL_COLUMNS, fmt=fmt, output=output, title=_("labels {issue}").format(issue=found.issue),
         split_by="country" if split_by_country else None)


@app.command("return")
def return_(
    ctx: typer.Context,
    recipient: RecipientArg,
    publication: PublicationArg,
    issue: IssueOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", click_type=choice(RETURN_REASONS),
                                               help=RETURN_REASONS.help(), show_default=False)] = None,
    copies: Annotated[str | None, copies_option("Copies that came back. Default: all that were sent.")] = None,
    date: DayOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="What the post office or recipient said.")] = None,
) -> None:
    """Record copies of an issue that came back. Three undeliverable in a row put the address under review.

    Example: nalcoop distribute return 'Library of Congress' '월간 국회도서관' --issue 2024-05 --reason undeliverable
    """
    from nalcoop import distribution

    issue_text = _issue_text(issue)
    why = need_choice(reason, "--reason", _("Reason"), RETURN_REASONS)
    day = _day(date)
    with journaled(ctx) as conn:
        found = distribution.resolve_recipient(conn, recipient)
        sent = distribution.find_issue(conn, distribution.resolve_publication(conn, publication), issue_text)
        streak = distribution.record_return(conn, found, sent, day, why, copies_value(copies), note)
    say(_("recorded the return of {issue} from {recipient} ({reason}, {date})").format(
        issue=sent.label, recipient=found.label, reason=RETURN_REASONS.said(why), date=day))
    if streak >= distribution.REVIEW_AFTER:
        say(_("{recipient}: {count} copies in a row came back undeliverable; its address is under review and it "
              "is held back from dispatch runs (see `nalcoop distribute recipient review`)").format(
            recipient=found.label, count=streak))


@app.command("list")
def list_(
    ctx: typer.Context,
    publication: Annotated[str | None, typer.Option("--publication", "-p", help="Only this publication.")] = None,
    issue: IssueOpt = None,
    country: CountryOpt = None,
    recipient: Annotated[str | None, typer.Option("--recipient", "-r", help="Only this recipient.")] = None,
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_of: AsOfOpt = None,
    returned: Annotated[bool | None, typer.Option("--returned/--not-returned", help="Only lines that came back "
                        "(or did not).", show_default=False)] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """What was sent: one line per parcel with its return, newest first.

    --year or --from/--to keep the runs sent in that period; --as-of D shows what stood at the end of D
    (inclusive): the runs sent by then, with only the returns recorded by then.
    Example: nalcoop distribute list --issue 2024-05 --country JP ; nalcoop distribute list --as-of 2024-06-30
    """
    from nalcoop import distribution

    day = None
    if as_of is not None:
        start, day = span_of(year, date_from, date_to, as_of)  # --as-of is the end: not with a period
        end = None
    else:
        start, end = period_of(year, date_from, date_to)
    conn = open_ledger(ctx).conn
    rows = distribution.line_rows(
        conn, publication=distribution.resolve_publication(conn, publication) if publication else None,
        issue=issue, country=country, recipient=distribution.resolve_recipient(conn, recipient) if recipient else None,
        date_from=start, date_to=end, returned=returned, as_of=day)
    emit(ctx, rows, LINE_COLUMNS, fmt=fmt, output=output, title=_("dispatch lines: {count}").format(count=len(rows)))

"""Distribution of NAL's publications: the catalogue, recipients at home and abroad, standing
lists (subscriptions), dispatch runs, returns, labels and statistics.

Plain functions over a sqlite3 connection; the caller runs writes inside a journaled command.
Dates are ISO strings, every period inclusive: a subscription runs from its first to its last
day, a recipient is active from its first day until the day it became inactive (exclusive).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nalcoop import countries, registry
from nalcoop.breakdown import Breakdown, Span, Statistic, check_by
from nalcoop.dates import END_OF_TIME, PERIOD_KEY_WIDTH, day_after, day_before, period_key, today
from nalcoop.errors import NalcoopError, shortened
from nalcoop.names import name_key, pick, trimmed
from nalcoop.render import ChartSpec, Column, SheetSpec
from nalcoop.vocabulary import Term, Vocabulary

if TYPE_CHECKING:
    from nalcoop import importer
    from nalcoop.importer import ReadResult

FREQUENCIES = Vocabulary("frequency", [
    Term("weekly", "주간", "weekly"),
    Term("monthly", "월간", "monthly"),
    Term("bimonthly", "격월간", "bimonthly"),
    Term("quarterly", "계간", "quarterly"),
    Term("semiannual", "반년간", "semiannual"),
    Term("annual", "연간", "annual"),
    Term("irregular", "부정기", "irregular"),
    Term("once", "단행", "once", "a single publication"),
])
RECIPIENT_TYPES = Vocabulary("recipient type", [
    Term("national-library", "국립도서관", "national library"),
    Term("parliamentary-library", "의회도서관", "parliamentary library"),
    Term("university", "대학", "university"),
    Term("public-library", "공공도서관", "public library"),
    Term("research-institute", "연구기관", "research institute"),
    Term("government", "정부기관", "government"),
    Term("international-organization", "국제기구", "international organization"),
    Term("other", "기타", "other"),
])
RETURN_REASONS = Vocabulary("return reason", [
    Term("undeliverable", "배달 불가", "undeliverable", aliases=("수취인 불명",)),
    Term("refused", "수취 거부", "refused"),
    Term("damaged", "파손", "damaged"),
    Term("surplus", "잉여", "surplus", "more than the recipient needs"),
    Term("other", "기타", "other"),
])
STATS_DIMENSIONS = Vocabulary("distribution statistics dimension", [
    Term("year", "연도", "year"), Term("month", "월", "month"), Term("country", "국가", "country"),
    Term("type", "유형", "type"), Term("publication", "간행물", "publication"),
    Term("recipient", "수신처", "recipient"), Term("province", "시·도", "province"),
    Term("domestic", "국내외", "domestic or abroad"),
])
REVIEW_AFTER = 3  # undeliverable returns in a row that put an address under review
MAX_COPIES = 10_000  # of one issue to one recipient: more is a typing mistake
MAX_PAGES = 100_000
MAX_PRINTED = 10_000_000


class DistributionError(NalcoopError):
    pass


class NotFound(DistributionError):
    pass


_key = name_key
_trimmed = trimmed


def _pick(kind: str, text: str, candidates: list, label, listing: str, keys) -> object:
    return pick(kind, text, candidates, label, listing, keys, error=DistributionError, missing=NotFound)


# ---------------------------------------------------------------- publications and issues


@dataclass(frozen=True)
class Publication:
    id: int
    title: str
    title_en: str | None
    series: str | None
    issn: str | None
    isbn: str | None
    frequency: str
    publisher_unit: str | None

    @property
    def label(self) -> str:
        return self.title


def _publication(row: sqlite3.Row) -> Publication:
    return Publication(row["id"], row["title"], row["title_en"], row["series"], row["issn"], row["isbn"],
                       row["frequency"], row["publisher_unit"])


def _within(number: int | None, low: int, high: int, what: str) -> None:
    if number is not None and not low <= number <= high:
        raise DistributionError(f"{what}: {number} is not between {low:,} and {high:,}")



def _identifiers(issn: str | None, isbn: str | None) -> tuple[str | None, str | None]:
    from nalcoop.identifiers import normalize_isbn, normalize_issn

    return (normalize_issn(issn) if _trimmed(issn) else None, normalize_isbn(isbn) if _trimmed(isbn) else None)


def add_publication(conn: sqlite3.Connection, title: str, frequency: str, *, title_en: str | None = None,
                    series: str | None = None, issn: str | None = None, isbn: str | None = None,
                    publisher_unit: str | None = None) -> Publication:
    title = (title or "").strip().strip("『』「」")
    if not _key(title):
        raise DistributionError("a publication needs a title, such as 월간 국회도서관")
    issn, isbn = _identifiers(issn, isbn)
    existing = conn.execute("select * from distribution_publications where title_key = ?", [_key(title)]).fetchone()
    if existing is not None:
        raise DistributionError(f"『{existing['title']}』 is already in the catalogue; change it with "
                                "`nalcoop distribute publication edit`")
    if issn:
        clash = conn.execute("select title from distribution_publications where issn = ?", [issn]).fetchone()
        if clash:
            raise DistributionError(f"ISSN {issn} is already that of 『{clash[0]}』")
    cursor = conn.execute(
        """insert into distribution_publications (title, title_key, title_en, series, issn, isbn, frequency,
           publisher_unit) values (?, ?, ?, ?, ?, ?, ?, ?)""",
        [title, _key(title), _trimmed(title_en), _trimmed(series), issn, isbn,
         FREQUENCIES.check(frequency, "frequency", DistributionError), _trimmed(publisher_unit)])
    return publication_by_id(conn, cursor.lastrowid)


def edit_publication(conn: sqlite3.Connection, publication: Publication, **changes: object) -> Publication:
    """Change the fields given (None leaves a field as it is; '' clears an optional one)."""
    values: dict[str, object] = {}
    for name, value in changes.items():
        if value is None:
            continue
        if name == "title":
            title = str(value).strip().strip("『』「」")
            if not _key(title):
                raise DistributionError("a publication needs a title")
            values["title"], values["title_key"] = title, _key(title)
        elif name == "frequency":
            values["frequency"] = FREQUENCIES.check(str(value), "frequency", DistributionError)
        elif name in ("issn", "isbn"):
            values[name] = _identifiers(value, None)[0] if name == "issn" else _identifiers(None, value)[1]
        elif name in ("title_en", "series", "publisher_unit"):
            values[name] = _trimmed(value)
        else:
            raise ValueError(name)
    if not values:
        raise DistributionError("nothing to change; give at least one option (see --help)")
    if values.get("issn"):
        clash = conn.execute("select title from distribution_publications where issn = ? and id <> ?",
                             [values["issn"], publication.id]).fetchone()
        if clash:
            raise DistributionError(f"ISSN {values['issn']} is already that of 『{clash[0]}』")
    if "title_key" in values:
        clash = conn.execute("select title from distribution_publications where title_key = ? and id <> ?",
                             [values["title_key"], publication.id]).fetchone()
        if clash:
            raise DistributionError(f"『{clash[0]}』 is already in the catalogue")
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"update distribution_publications set {assignments} where id = ?",  # names from the list above
                 [*values.values(), publication.id])
    return publication_by_id(conn, publication.id)


def publication_by_id(conn: sqlite3.Connection, publication_id: int) -> Publication:
    return _publication(conn.execute("select * from distribution_publications where id = ?",
                                     [publication_id]).fetchone())


def resolve_publication(conn: sqlite3.Connection, text: str) -> Publication:
    """A publication by its title (『』 and spacing optional), English title, ISSN, or a unique part of a title."""
    rows = [_publication(row) for row in conn.execute("select * from distribution_publications order by title")]
    return _pick("publication", text, rows, lambda p: p.title, "nalcoop distribute publication list",
                 lambda p: [k for k in (_key(p.title), _key(p.title_en), _key(p.issn)) if k])


def publication_rows(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        """select p.*, (select count(*) from distribution_issues i where i.publication_id = p.id) as issues,
                  (select max(issue) from distribution_issues i where i.publication_id = p.id
                   and i.issued_on = (select max(issued_on) from distribution_issues j
                                      where j.publication_id = p.id)) as latest
           from distribution_publications p order by p.title""").fetchall()
    return [{"title": r["title"], "title_en": r["title_en"], "series": r["series"], "issn": r["issn"],
             "isbn": r["isbn"], "frequency": r["frequency"], "publisher_unit": r["publisher_unit"],
             "issues": r["issues"], "latest": r["latest"]} for r in rows]


def issue_key(text: str) -> str:
    """Issue identifiers compared without spacing or case; a year and month (2024-5, 2024.05) as 2024-05."""
    compact = re.sub(r"\s+", "", str(text or "")).casefold()
    month = re.fullmatch(r"(\d{4})[-./](\d{1,2})\.?", compact)
    return f"{month[1]}-{int(month[2]):02}" if month else compact


@dataclass(frozen=True)
class Issue:
    id: int
    publication: Publication
    issue: str
    issued_on: str
    pages: int | None
    copies_printed: int | None

    @property
    def label(self) -> str:
        return f"『{self.publication.title}』 {self.issue}"


def add_issue(conn: sqlite3.Connection, publication: Publication, issue: str, issued_on: str, *,
              pages: int | None = None, copies_printed: int | None = None) -> Issue:
    shown = (issue or "").strip()
    if not issue_key(shown):
        raise DistributionError("an issue needs an identifier, such as 2024-05 or 통권 600호")
    existing = conn.execute("select issue, issued_on from distribution_issues where publication_id = ? and "
                            "issue_key = ?", [publication.id, issue_key(shown)]).fetchone()
    if existing:
        raise DistributionError(f"『{publication.title}』 {existing[0]} is already in the catalogue "
                                f"(dated {existing[1]})")
    if issue_key(shown) != shown.casefold() and re.fullmatch(r"\d{4}-\d{2}", issue_key(shown)):
        shown = issue_key(shown)  # 2024-5 is stored as 2024-05, as it is looked up
    _within(pages, 1, MAX_PAGES, "--pages")
    _within(copies_printed, 0, MAX_PRINTED, "--printed")
    cursor = conn.execute(
        "insert into distribution_issues (publication_id, issue, issue_key, issued_on, pages, copies_printed) "
        "values (?, ?, ?, ?, ?, ?)", [publication.id, shown, issue_key(shown), issued_on, pages, copies_printed])
    return issue_by_id(conn, cursor.lastrowid)


def issue_by_id(conn: sqlite3.Connection, issue_id: int) -> Issue:
    row = conn.execute("select * from distribution_issues where id = ?", [issue_id]).fetchone()
    return Issue(row["id"], publication_by_id(conn, row["publication_id"]), row["issue"], row["issued_on"],
                 row["pages"], row["copies_printed"])


def find_issue(conn: sqlite3.Connection, publication: Publication, issue: str) -> Issue:
    row = conn.execute("select id from distribution_issues where publication_id = ? and issue_key = ?",
                       [publication.id, issue_key(issue)]).fetchone()
    if row is None:
        known = [r[0] for r in conn.execute("select issue from distribution_issues where publication_id = ? "
                                            "order by issued_on desc, id desc limit 3", [publication.id])]
        latest = f" (the latest: {', '.join(known)})" if known else " (it has no issues yet)"
        raise NotFound(f"issue '{shortened(issue)}' of 『{publication.title}』 is not in the catalogue"
                       f"{latest}; add it with `nalcoop distribute issue add`")
    return issue_by_id(conn, row[0])


def issue_rows(conn: sqlite3.Connection, publication: Publication | None = None) -> list[dict]:
    where, params = ("where i.publication_id = ?", [publication.id]) if publication else ("", [])
    rows = conn.execute(
        f"""select p.title, i.issue, i.issued_on, i.pages, i.copies_printed,
                   (select coalesce(sum(d.copies), 0) from distribution_dispatches d where d.issue_id = i.id)
                       as copies_sent,
                   (select coalesce(sum(d.line_count), 0) from distribution_dispatches d where d.issue_id = i.id)
                       as recipients
            from distribution_issues i join distribution_publications p on p.id = i.publication_id {where}
            order by p.title, i.issued_on, i.id""", params).fetchall()
    return [dict(row) for row in rows]


# ---------------------------------------------------------------- recipients


@dataclass(frozen=True)
class Recipient:
    id: int
    name: str
    country: str
    type: str
    council_id: int | None
    region: str | None  # a domestic recipient's local government, as it is called now
    province: str | None
    address: str | None
    postcode: str | None
    contact: str | None
    active_from: str | None  # None: no known first day
    inactive_from: str | None
    inactive_reason: str | None
    address_checked_on: str | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.country})"

    @property
    def domestic(self) -> bool:
        return self.country == countries.HOME

    def active_on(self, day: str) -> bool:
        return (self.active_from or "") <= day and (self.inactive_from is None or day < self.inactive_from)


def _recipient(conn: sqlite3.Connection, row: sqlite3.Row, as_of: str | None = None,
               councils: dict | None = None) -> Recipient:
    region = province = None
    if row["council_id"] is not None:
        council = councils.get(row["council_id"]) if councils is not None else None
        if council is None:
            council = registry.council_then(conn, row["council_id"], as_of)
            if councils is not None:
                councils[row["council_id"]] = council
        region, province = registry.region_of(council), council.province
    return Recipient(row["id"], row["name"], row["country"], row["type"], row["council_id"], region, province,
                     row["address"], row["postcode"], row["contact"], row["active_from"], row["inactive_from"],
                     row["inactive_reason"], row["address_checked_on"])


def recipient_by_id(conn: sqlite3.Connection, recipient_id: int, as_of: str | None = None) -> Recipient:
    return _recipient(conn, conn.execute("select * from distribution_recipients where id = ?",
                                         [recipient_id]).fetchone(), as_of)


def all_recipients(conn: sqlite3.Connection, as_of: str | None = None) -> dict[int, Recipient]:
    """Every recipient by id, regions as of a day: one query, each local government looked up once."""
    councils: dict[int, registry.Council] = {}
    return {row["id"]: _recipient(conn, row, as_of, councils)
            for row in conn.execute("select * from distribution_recipients")}


def resolve_recipient(conn: sqlite3.Connection, text: str) -> Recipient:
    """A recipient by its name, 'name (CC)' as listed, or a unique part of its name."""
    rows = [_recipient(conn, row) for row in conn.execute("select * from distribution_recipients order by name")]
    labelled = [r for r in rows if _key(r.label) == _key(text)]
    if len(labelled) == 1:
        return labelled[0]
    return _pick("recipient", text, rows, lambda r: r.label, "nalcoop distribute recipient list",
                 lambda r: [_key(r.name)])


def _region(conn: sqlite3.Connection, country_code: str, region: str | None, on_date: str,
            province: str | None = None) -> int | None:
    if not _trimmed(region):
        return None
    if country_code != countries.HOME:
        raise DistributionError(f"a region (local government) is for recipients in Korea, not in {country_code}; "
                                "put a foreign recipient's town in its address")
    return registry.resolve_region(conn, str(region), on_date, province=province).id


def add_recipient(conn: sqlite3.Connection, name: str, country: str, recipient_type: str,
                  active_from: str | None, *, on_date: str | None = None,
                  region: str | None = None, province: str | None = None, address: str | None = None,
                  postcode: str | None = None, contact: str | None = None) -> Recipient:
    name = (name or "").strip()
    if not _key(name):
        raise DistributionError("a recipient needs a name, such as 'Library of Congress'")
    code = countries.country(country).code
    council_id = _region(conn, code, region, on_date or active_from or today().isoformat(), province)
    existing = conn.execute("select * from distribution_recipients where name_key = ? and country = ?",
                            [_key(name), code]).fetchone()
    if existing is not None:
        raise DistributionError(f"{_recipient(conn, existing).label} is already registered; change it with "
                                "`nalcoop distribute recipient edit`")
    cursor = conn.execute(
        """insert into distribution_recipients (name, name_key, country, type, council_id, address, postcode,
           contact, active_from) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [name, _key(name), code, RECIPIENT_TYPES.check(recipient_type, "recipient type", DistributionError), council_id,
         _trimmed(address), _trimmed(postcode), _trimmed(contact), active_from])
    return recipient_by_id(conn, cursor.lastrowid)


RECIPIENT_FIELDS = ("name", "country", "type", "region", "address", "postcode", "contact", "active_from")


def edit_recipient(conn: sqlite3.Connection, recipient: Recipient, on_date: str, *,
                   address_checked: bool = False, **changes: object) -> Recipient:
    """Change the fields given (None leaves one as it is; '' clears an optional one).

    A new address, or `address_checked`, clears a review: returns before `on_date` no longer count.
    """
    values: dict[str, object] = {}
    country_code = recipient.country
    if changes.get("country") is not None:
        country_code = values["country"] = countries.country(str(changes["country"])).code
        if country_code != countries.HOME and changes.get("region") is None:
            values["council_id"] = None
    for name, value in changes.items():
        if value is None or name == "country":
            continue
        if name == "name":
            if not _key(str(value)):
                raise DistributionError("a recipient needs a name")
            values["name"], values["name_key"] = str(value).strip(), _key(value)
        elif name == "type":
            values["type"] = RECIPIENT_TYPES.check(str(value), "recipient type", DistributionError)
        elif name == "region":
            values["council_id"] = _region(conn, country_code, str(value), on_date)
        elif name == "active_from":
            values["active_from"] = value
        elif name in ("address", "postcode", "contact"):
            values[name] = _trimmed(value)
        else:
            raise ValueError(name)
    if "address" in values or "postcode" in values or address_checked:
        values["address_checked_on"] = on_date
    if not values:
        raise DistributionError("nothing to change; give at least one option (see --help)")
    new_from = values.get("active_from", recipient.active_from)
    if recipient.inactive_from and new_from and new_from >= recipient.inactive_from:
        raise DistributionError(f"{recipient.label} became inactive on {recipient.inactive_from}; "
                                f"it cannot be active from {new_from}")
    first = conn.execute("select min(start_on) from distribution_subscriptions where recipient_id = ?",
                         [recipient.id]).fetchone()[0]
    if "active_from" in values and first and new_from and first < new_from:
        raise DistributionError(f"{recipient.label} has a subscription from {first}; it cannot be active only "
                                f"from {new_from}")
    clash = conn.execute("select id from distribution_recipients where name_key = ? and country = ? and id <> ?",
                         [values.get("name_key", _key(recipient.name)), values.get("country", recipient.country),
                          recipient.id]).fetchone()
    if clash:
        raise DistributionError(f"{recipient_by_id(conn, clash[0]).label} already exists; choose another name")
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"update distribution_recipients set {assignments} where id = ?",  # names from the code above
                 [*values.values(), recipient.id])
    return recipient_by_id(conn, recipient.id)


# A recipient's lines, found run by run through the (issue, recipient) index: the lines table has
# no index by recipient (see migration 0003). `what` and `where` are fixed SQL from this module.
_RUNS_OF_RECIPIENT = """select {what} from distribution_dispatches d
    cross join distribution_dispatch_lines l on l.issue_id = d.issue_id and l.recipient_id = ? and l.dispatch_id = d.id
    {join} where {where}"""


def deactivate_recipient(conn: sqlite3.Connection, recipient: Recipient, inactive_from: str,
                         reason: str | None) -> list[str]:
    """The recipient receives nothing from `inactive_from` on; its open subscriptions end the day before.

    Returns the titles whose subscriptions were ended.
    """
    if recipient.inactive_from:
        raise DistributionError(f"{recipient.label} is already inactive since {recipient.inactive_from}")
    if recipient.active_from and inactive_from <= recipient.active_from:
        raise DistributionError(f"{recipient.label} is active from {recipient.active_from}; it can become "
                                f"inactive only after that day, not on {inactive_from}")
    later = conn.execute("""select p.title, s.start_on from distribution_subscriptions s
                            join distribution_publications p on p.id = s.publication_id
                            where s.recipient_id = ? and s.start_on >= ?""", [recipient.id, inactive_from]).fetchone()
    if later:
        raise DistributionError(f"{recipient.label} has a subscription to 『{later[0]}』 starting on {later[1]}; "
                                "end it first with `nalcoop distribute unsubscribe`")
    sent = conn.execute(_RUNS_OF_RECIPIENT.format(what="max(d.on_date)", join="", where="1"),
                        [recipient.id]).fetchone()[0]
    if sent and sent >= inactive_from:
        raise DistributionError(f"{recipient.label} was sent copies on {sent}; it can become inactive from "
                                f"{day_after(sent)} on, not "
                                f"{inactive_from}")
    last_day = day_before(inactive_from)
    reason = _trimmed(reason)
    ended = []
    for subscription_id, title in conn.execute(
            """select s.id, p.title from distribution_subscriptions s
               join distribution_publications p on p.id = s.publication_id
               where s.recipient_id = ? and (s.end_on is null or s.end_on > ?)""", [recipient.id, last_day]).fetchall():
        conn.execute("update distribution_subscriptions set end_on = ?, end_reason = ? where id = ?",
                     [last_day, "recipient inactive" + (f": {reason}" if reason else ""), subscription_id])
        ended.append(title)
    conn.execute("update distribution_recipients set inactive_from = ?, inactive_reason = ? where id = ?",
                 [inactive_from, _trimmed(reason), recipient.id])
    return ended


def reactivate_recipient(conn: sqlite3.Connection, recipient: Recipient, on_date: str) -> None:
    """Active again from `on_date`: the inactive period stays on record, as a pause."""
    if not recipient.inactive_from:
        raise DistributionError(f"{recipient.label} is active")
    if on_date <= recipient.inactive_from:
        raise DistributionError(f"{recipient.label} is inactive from {recipient.inactive_from}; it can be active "
                                f"again only after that day, not on {on_date}")
    conn.execute("insert into distribution_recipient_pauses (recipient_id, inactive_from, active_again_on, reason) "
                 "values (?, ?, ?, ?)", [recipient.id, recipient.inactive_from, on_date, recipient.inactive_reason])
    conn.execute("update distribution_recipients set inactive_from = null, inactive_reason = null where id = ?",
                 [recipient.id])


def paused_on(conn: sqlite3.Connection, day: str) -> set[int]:
    """Recipients inactive on `day` in an earlier inactive period (one they came back from)."""
    return {row[0] for row in conn.execute(
        "select recipient_id from distribution_recipient_pauses where inactive_from <= ? and ? < active_again_on",
        [day, day])}


def recipient_rows(conn: sqlite3.Connection, as_of: str, *, country: str | None = None,
                   recipient_type: str | None = None, active: bool | None = None,
                   domestic: bool | None = None) -> list[dict]:
    """Recipients as they stood at the end of `as_of`: domestic first, then by country and name."""
    code = countries.country(country).code if country else None
    subscriptions = dict(conn.execute(
        """select recipient_id, count(*) from distribution_subscriptions
           where start_on <= ? and (end_on is null or end_on >= ?) group by recipient_id""", [as_of, as_of]))
    rows = []
    paused = paused_on(conn, as_of)
    for recipient in all_recipients(conn, as_of).values():
        if code and recipient.country != code or recipient_type and recipient.type != recipient_type:
            continue
        is_active = recipient.active_on(as_of) and recipient.id not in paused
        if active is not None and is_active != active or domestic is not None and recipient.domestic != domestic:
            continue
        rows.append({
            "name": recipient.name, "country": recipient.country,
            "country_name": countries.by_code(recipient.country).en, "type": recipient.type,
            "region": recipient.region, "province": recipient.province, "postcode": recipient.postcode,
            "address": recipient.address, "contact": recipient.contact,
            "status": "active" if is_active else (
                "not yet active" if recipient.active_from and as_of < recipient.active_from else "inactive"),
            "active_from": recipient.active_from, "inactive_from": recipient.inactive_from,
            "inactive_reason": recipient.inactive_reason, "subscriptions": subscriptions.get(recipient.id, 0),
        })
    rows.sort(key=lambda r: (r["country"] != countries.HOME, r["country"], r["province"] or "", r["region"] or "",
                             r["name"].casefold()))
    return rows


def import_recipients(conn: sqlite3.Connection, path: str | Path | ReadResult, on_date: str, *,
                      sheet: str | None = None,
                      column_map: str | Path = "distribution_recipients") -> importer.ImportCounts:
    """A list of recipients: new ones added, known ones (same name and country) updated; a row that names a
    publication (with copies, 1 if none) also puts the recipient on its standing list, once.

    All rows or none: a bad row, or a row repeating an earlier one's name and country, is named
    in RowsRejected. Importing the same list again changes nothing.
    """
    from nalcoop.importer import ImportCounts, RowsRejected, as_table
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    seen: dict[tuple[str, str], int] = {}
    publications: dict[str, Publication] = {}
    for source in track(table.rows, f"importing {table.file}"):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            code = countries.country(values.get("country") or countries.HOME).code
        except countries.CountryError as exc:
            problems.append(source.problem(table.file, "country", str(exc)))
            continue
        pair = (_key(values["name"]), code)
        if pair in seen:
            problems.append(source.problem(table.file, "name", f"repeats row {seen[pair]} (same name and country "
                                           f"{code}); keep one of the two rows"))
            continue
        seen[pair] = source.row
        try:
            council_id = _region(conn, code, values.get("region"), on_date, values.get("province"))
        except NalcoopError as exc:
            problems.append(source.problem(table.file, "region", str(exc)))
            continue
        if values.get("publication"):
            try:
                publication = publications.get(values["publication"]) or resolve_publication(conn,
                                                                                              values["publication"])
            except NalcoopError as exc:
                problems.append(source.problem(table.file, "publication", str(exc)))
                continue
            publications[values["publication"]] = publication
        fields = {"address": values.get("address"), "postcode": values.get("postcode"),
                  "contact": values.get("contact")}
        existing = conn.execute("select * from distribution_recipients where name_key = ? and country = ?",
                                list(pair)).fetchone()
        if existing is None:
            recipient = add_recipient(conn, values["name"], code, values.get("type") or "other",
                                      values.get("active_from"), on_date=on_date, region=values.get("region"),
                                      province=values.get("province"), **fields)
            counts.outcomes["created"] += 1
            counts.details.append(f"row {source.row}: {recipient.label} — created")
            _subscribe_row(conn, source, table.file, recipient, values, on_date, counts, problems, publications)
            continue
        _subscribe_row(conn, source, table.file, _recipient(conn, existing), values, on_date, counts, problems,
                       publications)
        wanted = {"type": values.get("type"), "council_id": council_id, **fields}
        changed = {key: value for key, value in wanted.items() if value is not None and existing[key] != value}
        if not changed:
            counts.outcomes["unchanged"] += 1
            continue
        assignments = ", ".join(f"{name} = ?" for name in changed)
        if "address" in changed or "postcode" in changed:
            assignments += ", address_checked_on = ?"
            changed_values = [*changed.values(), on_date]
        else:
            changed_values = list(changed.values())
        conn.execute(f"update distribution_recipients set {assignments} where id = ?",  # keys from `wanted`
                     [*changed_values, existing["id"]])
        counts.outcomes["changed"] += 1
        shown = ", ".join("region" if key == "council_id" else key for key in changed)
        counts.details.append(f"row {source.row}: {_recipient(conn, existing).label} — changed ({shown})")
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


# ---------------------------------------------------------------- subscriptions (standing lists)


def _subscribe_row(conn, source, file: str, recipient: Recipient, values: dict, on_date: str, counts, problems,
                   publications: dict) -> None:
    """The subscription a recipient row asks for (publication, copies), if any, counted and named in `counts`."""
    if not values.get("publication"):
        return
    publication = publications[values["publication"]]
    try:
        outcome = subscribe_once(conn, recipient, publication, values.get("copies") or 1, None, None, on_date)
    except DistributionError as exc:
        problems.append(source.problem(file, "publication", str(exc)))
        return
    if outcome == "created":
        counts.outcomes["subscribed"] = counts.outcomes.get("subscribed", 0) + 1
        counts.details.append(f"row {source.row}: {recipient.label} — subscribed to 『{publication.title}』")


def subscribe_once(conn: sqlite3.Connection, recipient: Recipient, publication: Publication, copies: int,
                   start_on: str | None, end_on: str | None, on_date: str) -> str:
    """Subscribe unless the list already holds this subscription: 'created' or 'unchanged' (so a list imported
    again changes nothing). Without a first day, an open subscription with the same copies and end is the same
    one; otherwise it starts on `on_date`. A different subscription overlapping it is refused by `subscribe`."""
    running = conn.execute(
        """select copies, start_on, end_on from distribution_subscriptions where recipient_id = ?
           and publication_id = ? and start_on <= ? and ? <= coalesce(end_on, ?)""",
        [recipient.id, publication.id, end_on or END_OF_TIME, start_on or on_date, END_OF_TIME]).fetchall()
    for row in running:
        if row["copies"] == copies and row["end_on"] == end_on and start_on in (None, row["start_on"]):
            return "unchanged"
    subscribe(conn, recipient, publication, copies, start_on or on_date, end_on)
    return "created"


def import_subscriptions(conn: sqlite3.Connection, path: str | Path | ReadResult, on_date: str, *,
                         sheet: str | None = None,
                         column_map: str | Path = "distribution_subscriptions") -> importer.ImportCounts:
    """A standing list in bulk: each row puts a recipient on a publication's list (copies, from, to).

    All rows or none (RowsRejected names every bad row: an unknown recipient or publication, an overlap);
    the same list imported again changes nothing.
    """
    from nalcoop.importer import ImportCounts, RowsRejected, as_table
    from nalcoop.progress import track

    table = as_table(path, column_map, sheet=sheet)
    problems = list(table.problems)
    bad_rows = {(p.sheet, p.row) for p in problems}
    counts = ImportCounts(table.file)
    known = all_recipients(conn)
    by_label = {_key(r.label): r for r in known.values()}
    by_name: dict[str, list[Recipient]] = {}
    for recipient in known.values():
        by_name.setdefault(_key(recipient.name), []).append(recipient)
    publications: dict[str, Publication] = {}
    for source in track(table.rows, f"importing {table.file}"):
        if (source.sheet, source.row) in bad_rows:
            continue
        values = source.values
        try:
            named = values["recipient"]
            if values.get("country"):
                named = f"{named} ({countries.country(values['country']).code})"
            same = [by_label[_key(named)]] if _key(named) in by_label else by_name.get(_key(named), [])
            recipient = same[0] if len(same) == 1 else resolve_recipient(conn, named)
        except NalcoopError as exc:
            problems.append(source.problem(table.file, "recipient", str(exc)))
            continue
        try:
            publication = publications.get(values["publication"]) or resolve_publication(conn, values["publication"])
        except NalcoopError as exc:
            problems.append(source.problem(table.file, "publication", str(exc)))
            continue
        publications[values["publication"]] = publication
        try:
            outcome = subscribe_once(conn, recipient, publication, values.get("copies") or 1, values.get("start_on"),
                                     values.get("end_on"), on_date)
        except DistributionError as exc:
            problems.append(source.problem(table.file, "start_on" if values.get("start_on") else "publication",
                                           str(exc)))
            continue
        counts.outcomes[outcome] += 1
        if outcome == "created":
            counts.details.append(f"row {source.row}: {recipient.label} — 『{publication.title}』, "
                                  f"{values.get('copies') or 1} × from {values.get('start_on') or on_date}")
    if problems:
        problems.sort(key=lambda problem: (problem.sheet or "", problem.row))
        raise RowsRejected(table.file, problems, len(table.rows))
    return counts


def subscribe(conn: sqlite3.Connection, recipient: Recipient, publication: Publication, copies: int,
              start_on: str, end_on: str | None = None) -> int:
    if copies < 1:
        raise DistributionError(f"--copies: {copies} is not a positive whole number (1 or more)")
    _within(copies, 1, MAX_COPIES, "--copies")
    if end_on is not None and end_on < start_on:
        raise DistributionError(f"the subscription would end on {end_on}, before it starts on {start_on}; "
                                "--to is the last day on the list")
    if recipient.active_from and start_on < recipient.active_from:
        raise DistributionError(f"{recipient.label} is on record from {recipient.active_from}, after {start_on}; "
                                "set its first day with `nalcoop distribute recipient edit --active-from` first")
    if recipient.inactive_from and (end_on is None or end_on >= recipient.inactive_from):
        raise DistributionError(f"{recipient.label} is inactive from {recipient.inactive_from}; "
                                "a subscription must end before then")
    clash = conn.execute(
        """select start_on, end_on from distribution_subscriptions where recipient_id = ? and publication_id = ?
           and start_on <= ? and ? <= coalesce(end_on, ?) order by start_on limit 1""",
        [recipient.id, publication.id, end_on or END_OF_TIME, start_on, END_OF_TIME]).fetchone()
    if clash:
        period = f"from {clash[0]}" + (f" to {clash[1]}" if clash[1] else ", still open")
        raise DistributionError(
            f"{recipient.label} already receives 『{publication.title}』 {period}; a subscription may not overlap "
            "it (end it with `nalcoop distribute unsubscribe`, then subscribe again to change the copies)")
    cursor = conn.execute("insert into distribution_subscriptions (recipient_id, publication_id, copies, start_on, "
                          "end_on) values (?, ?, ?, ?, ?)", [recipient.id, publication.id, copies, start_on, end_on])
    return cursor.lastrowid


def unsubscribe(conn: sqlite3.Connection, recipient: Recipient, publication: Publication, last_day: str,
                reason: str | None) -> dict:
    """End the subscription open on `last_day` (or the open one): `last_day` is the last day on the list."""
    row = conn.execute(
        """select * from distribution_subscriptions where recipient_id = ? and publication_id = ?
           and start_on <= ? and (end_on is null or end_on >= ?) order by start_on desc limit 1""",
        [recipient.id, publication.id, last_day, last_day]).fetchone()
    if row is None:
        raise DistributionError(f"{recipient.label} has no subscription to 『{publication.title}』 running on "
                                f"{last_day}; see `nalcoop distribute subscriptions`")
    sent = conn.execute(_RUNS_OF_RECIPIENT.format(what="max(d.on_date)", join="", where="l.subscription_id = ?"),
                        [recipient.id, row["id"]]).fetchone()[0]
    if sent and sent > last_day:
        raise DistributionError(f"{recipient.label} was sent an issue of 『{publication.title}』 on {sent}; its "
                                f"subscription cannot end before that: give --to {sent} or later")
    conn.execute("update distribution_subscriptions set end_on = ?, end_reason = ? where id = ?",
                 [last_day, _trimmed(reason), row["id"]])
    return dict(row) | {"end_on": last_day}


def subscription_rows(conn: sqlite3.Connection, as_of: str | None = None, *,
                      publication: Publication | None = None, recipient: Recipient | None = None,
                      country: str | None = None) -> list[dict]:
    """Subscriptions: those running at the end of `as_of`, or every one (as_of None), by publication and recipient."""
    where, params = ["1"], []
    if as_of:
        where.append("s.start_on <= ? and (s.end_on is null or s.end_on >= ?)")
        params += [as_of, as_of]
    if publication:
        where.append("s.publication_id = ?")
        params.append(publication.id)
    if recipient:
        where.append("s.recipient_id = ?")
        params.append(recipient.id)
    if country:
        where.append("r.country = ?")
        params.append(countries.country(country).code)
    rows = conn.execute(
        f"""select p.title, r.name, r.country, r.type, s.copies, s.start_on, s.end_on, s.end_reason
            from distribution_subscriptions s join distribution_recipients r on r.id = s.recipient_id
            join distribution_publications p on p.id = s.publication_id where {' and '.join(where)}""",
        params).fetchall()
    result = [{"publication": r["title"], "recipient": r["name"], "country": r["country"], "type": r["type"],
               "copies": r["copies"], "from": r["start_on"], "to": r["end_on"], "end_reason": r["end_reason"]}
              for r in rows]
    result.sort(key=lambda r: (r["publication"], r["country"] != countries.HOME, r["country"],
                               r["recipient"].casefold(), r["from"]))
    return result


# ---------------------------------------------------------------- dispatch runs


@dataclass
class DispatchPlan:
    issue: Issue
    on_date: str
    lines: list[tuple[int, int, int]]  # (recipient_id, subscription_id, copies)
    already: list[tuple[str, str]]  # (recipient label, date it was sent)
    inactive: list[str]  # recipients subscribed but inactive that day
    held: list[str]  # recipients whose address is under review

    @property
    def copies(self) -> int:
        return sum(copies for _, _, copies in self.lines)


def plan_dispatch(conn: sqlite3.Connection, issue: Issue, on_date: str) -> DispatchPlan:
    """Who gets the issue on `on_date`: every subscription running that day whose recipient is active,
    has not had this issue yet and is not under address review."""
    if on_date < issue.issued_on:
        raise DistributionError(f"{issue.label} is dated {issue.issued_on}; it cannot be sent on {on_date}, "
                                "before it exists")
    rows = conn.execute(
        """select s.id, s.recipient_id, s.copies, r.name, r.country, r.active_from, r.inactive_from,
                  d.on_date as sent_on
           from distribution_subscriptions s
           join distribution_recipients r on r.id = s.recipient_id
           left join distribution_dispatch_lines l on l.issue_id = ? and l.recipient_id = s.recipient_id
           left join distribution_dispatches d on d.id = l.dispatch_id
           where s.publication_id = ? and s.start_on <= ? and (s.end_on is null or s.end_on >= ?)
           order by r.country <> 'KR', r.country, r.name_key, r.id""",
        [issue.id, issue.publication.id, on_date, on_date]).fetchall()
    review = set(under_review(conn))
    paused = paused_on(conn, on_date)
    plan = DispatchPlan(issue, on_date, [], [], [], [])
    for row in rows:
        label = f"{row['name']} ({row['country']})"
        if row["sent_on"] is not None:
            plan.already.append((label, row["sent_on"]))
        elif not ((row["active_from"] or "") <= on_date
                  and (row["inactive_from"] is None or on_date < row["inactive_from"])) \
                or row["recipient_id"] in paused:
            plan.inactive.append(label)
        elif row["recipient_id"] in review:
            plan.held.append(label)
        else:
            plan.lines.append((row["recipient_id"], row["id"], row["copies"]))
    return plan


def check_plan(plan: DispatchPlan) -> None:
    """Refuse a run that would send nothing, saying why (a dry run refuses exactly as the real run)."""
    if plan.lines:
        return
    issue = plan.issue
    if plan.already and not plan.held and not plan.inactive:
        first = min(day for _, day in plan.already)
        raise DistributionError(
            f"{issue.label} was already sent to every subscriber running on {plan.on_date} "
            f"({len(plan.already)}, first on {first}); it is never sent twice to one recipient")
    if plan.already or plan.held or plan.inactive:
        reasons = []
        if plan.already:
            reasons.append(f"{len(plan.already)} already had it")
        if plan.held:
            reasons.append(f"{len(plan.held)} under address review ({', '.join(plan.held[:5])}; see "
                           "`nalcoop distribute recipient review`)")
        if plan.inactive:
            reasons.append(f"{len(plan.inactive)} inactive that day ({', '.join(plan.inactive[:5])})")
        raise DistributionError(f"{issue.label} would go to nobody on {plan.on_date}: {'; '.join(reasons)}")
    raise DistributionError(f"no subscription to 『{issue.publication.title}』 runs on {plan.on_date}; "
                            "add one with `nalcoop distribute subscribe`")


def send(conn: sqlite3.Connection, plan: DispatchPlan) -> int:
    """Record the plan as one dispatch run (one journaled row; its lines are indexed by a trigger)."""
    check_plan(plan)
    cursor = conn.execute(
        "insert into distribution_dispatches (issue_id, on_date, line_count, copies, lines) values (?, ?, ?, ?, ?)",
        [plan.issue.id, plan.on_date, len(plan.lines), plan.copies,
         json.dumps([list(line) for line in plan.lines], separators=(",", ":"))])
    return cursor.lastrowid


def plan_rows(conn: sqlite3.Connection, plan: DispatchPlan) -> list[dict]:
    """The lines of a plan as the dry run and the labels show them."""
    recipients = all_recipients(conn, plan.on_date)
    return [{"recipient": recipients[rid].name, "country": recipients[rid].country, "type": recipients[rid].type,
             "region": recipients[rid].region, "copies": copies} for rid, _sid, copies in plan.lines]


def _line_for(conn: sqlite3.Connection, issue: Issue, recipient: Recipient) -> sqlite3.Row:
    row = conn.execute(
        """select l.dispatch_id, l.line, l.copies, d.on_date from distribution_dispatch_lines l
           join distribution_dispatches d on d.id = l.dispatch_id where l.issue_id = ? and l.recipient_id = ?""",
        [issue.id, recipient.id]).fetchone()
    if row is None:
        raise DistributionError(f"{issue.label} was never sent to {recipient.label}; see `nalcoop distribute list`")
    return row


def record_return(conn: sqlite3.Connection, recipient: Recipient, issue: Issue, on_date: str, reason: str,
                  copies: int | None = None, note: str | None = None) -> int:
    """A copy (or all copies) of a dispatch line came back; returns the recipient's undeliverable streak."""
    line = _line_for(conn, issue, recipient)
    RETURN_REASONS.check(reason, "return reason", DistributionError)
    if on_date < line["on_date"]:
        raise DistributionError(f"{issue.label} was sent to {recipient.label} on {line['on_date']}; it cannot "
                                f"come back on {on_date}, before that")
    count = line["copies"] if copies is None else copies
    if count < 1:
        raise DistributionError(f"--copies: {count} is not a positive whole number (1 or more)")
    _within(count, 1, MAX_COPIES, "--copies")
    if count > line["copies"]:
        sent = f"{line['copies']} {'copy' if line['copies'] == 1 else 'copies'}"
        raise DistributionError(f"{recipient.label} was sent {sent} of {issue.label}; {count} cannot come back")
    earlier = conn.execute("select on_date, reason from distribution_returns where dispatch_id = ? and line = ?",
                           [line["dispatch_id"], line["line"]]).fetchone()
    if earlier:
        raise DistributionError(f"the return of {issue.label} from {recipient.label} is already recorded "
                                f"({earlier[1]}, {earlier[0]}); to record it differently, find it in "
                                "`nalcoop history` and `nalcoop undo ID` first")
    conn.execute("insert into distribution_returns (dispatch_id, line, on_date, reason, copies, note) "
                 "values (?, ?, ?, ?, ?, ?)", [line["dispatch_id"], line["line"], on_date, reason, count,
                                               _trimmed(note)])
    return undeliverable_streak(conn, recipient.id)


def undeliverable_streak(conn: sqlite3.Connection, recipient_id: int) -> int:
    """How many copies in a row came back undeliverable: counted back from the latest line that came
    back, over lines sent after the address was last checked, until a line that got through."""
    checked = conn.execute("select address_checked_on from distribution_recipients where id = ?",
                           [recipient_id]).fetchone()[0]
    rows = conn.execute(
        """select r.reason from distribution_dispatches d
           cross join distribution_dispatch_lines l on l.issue_id = d.issue_id and l.recipient_id = ?
                and l.dispatch_id = d.id
           left join distribution_returns r on r.dispatch_id = l.dispatch_id and r.line = l.line
           where d.on_date >= ? order by d.on_date desc, d.id desc""",
        [recipient_id, checked or ""]).fetchall()
    streak, started = 0, False
    for (reason,) in rows:
        if reason is None and not started:
            continue  # sent after the last return: perhaps still on its way
        started = True
        if reason != "undeliverable":
            break
        streak += 1
    return streak


def under_review(conn: sqlite3.Connection) -> dict[int, int]:
    """Recipients whose address is under review: recipient id -> undeliverable copies in a row."""
    # A streak of REVIEW_AFTER or more is the recipient's latest REVIEW_AFTER returns (since the address was
    # checked) all undeliverable, with no line of its own between them that got through. Found from the
    # returns, which are few, instead of a streak query per recipient that ever had one undeliverable return.
    candidates = [row[0] for row in conn.execute(
        """with returned as (
               select l.recipient_id, d.on_date, d.id as dispatch_id, x.reason,
                      row_number() over (partition by l.recipient_id order by d.on_date desc, d.id desc) as n
               from distribution_returns x
               cross join distribution_dispatch_lines l on l.dispatch_id = x.dispatch_id and l.line = x.line
               join distribution_dispatches d on d.id = x.dispatch_id
               join distribution_recipients p on p.id = l.recipient_id
               where d.on_date >= coalesce(p.address_checked_on, '')),
           latest as (
               select recipient_id, max(case when n = :streak then on_date end) as first_on,
                      max(case when n = :streak then dispatch_id end) as first_id,
                      max(case when n = 1 then on_date end) as last_on,
                      max(case when n = 1 then dispatch_id end) as last_id
               from returned where n <= :streak group by recipient_id
               having count(*) = :streak and min(reason = 'undeliverable') = 1)
           select recipient_id from latest c
           where not exists (
               select 1 from distribution_dispatches d
               cross join distribution_dispatch_lines l on l.issue_id = d.issue_id
                    and l.recipient_id = c.recipient_id and l.dispatch_id = d.id
               where d.on_date between c.first_on and c.last_on
                 and (d.on_date, d.id) > (c.first_on, c.first_id) and (d.on_date, d.id) < (c.last_on, c.last_id)
                 and not exists (select 1 from distribution_returns x
                                 where x.dispatch_id = l.dispatch_id and x.line = l.line))""",
        {"streak": REVIEW_AFTER})]
    streaks = {rid: undeliverable_streak(conn, rid) for rid in candidates}
    return {rid: streak for rid, streak in streaks.items() if streak >= REVIEW_AFTER}


def review_rows(conn: sqlite3.Connection) -> list[dict]:
    rows = []
    for recipient_id, streak in under_review(conn).items():
        recipient = recipient_by_id(conn, recipient_id)
        last = conn.execute(
            _RUNS_OF_RECIPIENT.format(what="max(x.on_date)", where="1", join="join distribution_returns x on "
                                      "x.dispatch_id = l.dispatch_id and x.line = l.line"),
            [recipient_id]).fetchone()[0]
        rows.append({"recipient": recipient.name, "country": recipient.country, "postcode": recipient.postcode,
                     "address": recipient.address, "contact": recipient.contact, "undeliverable": streak,
                     "last_return": last, "address_checked": recipient.address_checked_on})
    rows.sort(key=lambda r: (r["country"] != countries.HOME, r["country"], r["recipient"].casefold()))
    return rows


# ---------------------------------------------------------------- listings and labels


def line_rows(conn: sqlite3.Connection, *, publication: Publication | None = None, issue: str | None = None,
              country: str | None = None, recipient: Recipient | None = None, date_from: str | None = None,
              date_to: str | None = None, returned: bool | None = None) -> list[dict]:
    """Dispatch lines (one parcel each) with their return, newest run first."""
    where, params = ["1"], []
    if publication:
        where.append("i.publication_id = ?")
        params.append(publication.id)
    if issue:
        where.append("i.issue_key = ?")
        params.append(issue_key(issue))
    if country:
        where.append("r.country = ?")
        params.append(countries.country(country).code)
    if recipient:  # through the (issue, recipient) index: the lines have none by recipient alone
        where.append("l.issue_id in (select id from distribution_issues) and l.recipient_id = ?")
        params.append(recipient.id)
    if date_from:
        where.append("d.on_date >= ?")
        params.append(date_from)
    if date_to:
        where.append("d.on_date <= ?")
        params.append(date_to)
    if returned is not None:
        where.append("x.id is not null" if returned else "x.id is null")
    rows = conn.execute(
        f"""select d.on_date, p.title, i.issue, r.name, r.country, r.type, l.copies,
                   x.reason, x.copies as returned, x.on_date as returned_on
            from distribution_dispatch_lines l
            join distribution_dispatches d on d.id = l.dispatch_id
            join distribution_issues i on i.id = l.issue_id
            join distribution_publications p on p.id = i.publication_id
            join distribution_recipients r on r.id = l.recipient_id
            left join distribution_returns x on x.dispatch_id = l.dispatch_id and x.line = l.line
            where {' and '.join(where)}
            order by d.on_date desc, d.id desc, r.country <> 'KR', r.country, r.name_key""", params).fetchall()
    return [{"date": r["on_date"], "publication": r["title"], "issue": r["issue"], "recipient": r["name"],
             "country": r["country"], "type": r["type"], "copies": r["copies"], "returned": r["returned"],
             "return_reason": r["reason"], "returned_on": r["returned_on"]} for r in rows]


def label_rows(conn: sqlite3.Connection, issue: Issue) -> list[dict]:
    """One row per parcel of the issue's dispatches: domestic first, then by country, postcode and name."""
    rows = conn.execute(
        """select l.recipient_id, l.copies, d.on_date from distribution_dispatch_lines l
           join distribution_dispatches d on d.id = l.dispatch_id where l.issue_id = ?""", [issue.id]).fetchall()
    if not rows:
        raise DistributionError(f"{issue.label} has not been sent yet: labels are printed from a dispatch run "
                                "(`nalcoop distribute send`, or --dry-run to see who would get it)")
    labels = []
    recipients = all_recipients(conn, max(row["on_date"] for row in rows))
    for row in rows:
        recipient = recipients[row["recipient_id"]]
        country = countries.by_code(recipient.country)
        labels.append({
            "group": "domestic" if recipient.domestic else "foreign", "country": recipient.country,
            "country_name": country.ko if recipient.domestic else country.en.upper(),
            "postcode": recipient.postcode, "recipient": recipient.name, "address": recipient.address,
            "contact": recipient.contact, "copies": row["copies"], "publication": issue.publication.title,
            "issue": issue.issue, "sent": row["on_date"],
        })
    labels.sort(key=lambda r: (r["group"] != "domestic", r["country"], r["postcode"] or "", r["recipient"].casefold()))
    for number, label in enumerate(labels, start=1):
        label["parcel"] = number
    return labels


# ---------------------------------------------------------------- statistics


def _recipient_groups(conn: sqlite3.Connection, by: str, as_of: str) -> dict[int, tuple[tuple, str]]:
    """Each recipient's group (sort key, label) for a dimension set by the recipient alone."""
    councils: dict[int, registry.Council] = {}
    groups = {}
    for rid, name, code, kind, council_id in conn.execute(
            "select id, name, country, type, council_id from distribution_recipients"):
        if by == "country":
            groups[rid] = (code != countries.HOME, code), f"{code} {countries.by_code(code).en}"
        elif by == "type":
            groups[rid] = (RECIPIENT_TYPES.index(kind),), kind
        elif by == "domestic":
            groups[rid] = (code != countries.HOME,), "domestic" if code == countries.HOME else "foreign"
        elif by == "province":
            if code != countries.HOME:
                groups[rid] = (2, ""), "(abroad)"
            elif council_id is None:
                groups[rid] = (1, ""), "(no region)"
            else:
                if council_id not in councils:
                    councils[council_id] = registry.council_then(conn, council_id, as_of)
                province = councils[council_id].province
                groups[rid] = ((0, province), province) if province is not None else ((1, ""), "(no region)")
        else:  # recipient
            groups[rid] = (name.casefold(), rid), f"{name} ({code})"
    return groups


_SPAN = (Column("from", kind="date"), Column("to", kind="date"))
SENT = Statistic(
    "distribution",
    (Column("by"), Column("group"), Column("runs", kind="int"), Column("parcels", kind="int"),
     Column("copies", kind="int"), Column("recipients", kind="int"), Column("returned", kind="int"),
     Column("returns_rate", "returns %", kind="percent"), *_SPAN),
    STATS_DIMENSIONS, measure="copies", noun="publications sent", title="publications sent {span}, by {by}",
    meaning="what was sent")
STANDING = Statistic(
    "standing lists",
    (Column("by"), Column("group"), Column("recipients", kind="int"), Column("subscriptions", kind="int"),
     Column("copies", "copies per issue", kind="int"), Column("as_of", "as of", kind="date")),
    Vocabulary("standing list dimension", [STATS_DIMENSIONS.term(code) for code in (  # by type unless asked
        "type", "country", "publication", "recipient", "province", "domestic")]), measure="recipients",
    noun="publications sent", title="on the standing lists at the end of {day}, by {by}", day=True,
    meaning="who was on the lists")
STATISTICS = (SENT, STANDING)


def _check_by(by: str) -> None:
    check_by(SENT, by, DistributionError)


def stats(conn: sqlite3.Connection, by: str, span: Span) -> Breakdown:
    """What was sent in the span, or, for a day, who was on the standing lists at its end."""
    if span.day:
        check_by(STANDING, by, DistributionError)
        return Breakdown.of_rows(STANDING, by, stats_as_of(conn, by, span.end))
    return Breakdown.of_rows(SENT, by, stats_period(conn, by, span.start, span.end))


def headline(figures, period) -> list[tuple[str, str, object, bool]]:
    """Publications, runs, copies and recipients sent in the period (the overview's figures)."""
    sent = figures(stats, "publication", Span(period.start, period.end))
    return [("publications", "all", len(sent.groups), False),
            *((measure, "all", sent.total[measure], False) for measure in ("runs", "copies", "recipients"))]


def report_sheets(figures, period) -> list[SheetSpec]:
    """The annual workbook's sheet: what was sent in the period by country, type of recipient and publication."""
    start, end, year = period.start, period.end, period.start[:4]
    span = Span(start, end)
    sent = figures(stats, "country", span).rows() + [row for by in ("type", "publication")
                                                    for row in figures(stats, by, span).groups]
    return [SheetSpec("Distribution", f"Distribution of publications, {year} (발간자료 배포)",
                      f"Sent {start} – {end}, by country, type of recipient and publication", sent, list(SENT.columns),
                      ChartSpec(f"Copies sent per country, {year}", ("by", "country"), "group", "copies",
                                horizontal=True), landscape=True)]


def stats_period(conn: sqlite3.Connection, by: str, date_from: str, date_to: str) -> list[dict]:
    """What was sent between two days (both inclusive): runs, parcels, copies, distinct recipients,
    copies returned and the returns rate, grouped by `by` (regions as they stood on the last day)."""
    _check_by(by)
    # A run sends one issue, and one issue goes once to a recipient: each line of a group below is
    # another run, so count(*) counts them and group_concat needs no DISTINCT (no extra sorts).
    width = PERIOD_KEY_WIDTH["month" if by == "month" else "year"]  # the year (or month) a line is grouped under
    rows = conn.execute(
        f"""select l.recipient_id, substr(d.on_date, 1, {width}) as year, i.publication_id, count(*) as parcels,
                  sum(l.copies) as copies, group_concat(d.id) as run_ids
           from distribution_dispatches d
           join distribution_issues i on i.id = d.issue_id
           join distribution_dispatch_lines l on l.dispatch_id = d.id
           where d.on_date between ? and ?
           group by l.recipient_id, year, i.publication_id""", [date_from, date_to]).fetchall()
    # Returns are few: summed on their own rather than looked up for every line.
    returned = {(rid, year, pid): copies for rid, year, pid, copies in conn.execute(
        f"""select l.recipient_id, substr(d.on_date, 1, {width}), i.publication_id, sum(x.copies)
           from distribution_dispatches d
           join distribution_issues i on i.id = d.issue_id
           cross join distribution_returns x on x.dispatch_id = d.id
           join distribution_dispatch_lines l on l.dispatch_id = x.dispatch_id and l.line = x.line
           where d.on_date between ? and ?
           group by 1, 2, 3""", [date_from, date_to])}
    titles = dict(conn.execute("select id, title from distribution_publications"))
    by_recipient = None if by in ("year", "month", "publication") else _recipient_groups(conn, by, date_to)
    groups: dict[tuple, dict] = {}
    total = {"group": "total", "runs": set(), "parcels": 0, "copies": 0, "recipients": set(), "returned": 0}
    for recipient_id, year, publication_id, parcels, copies, run_ids in rows:
        if by_recipient is not None:
            key, label = by_recipient[recipient_id]
        elif by in ("year", "month"):
            key, label = (year,), str(year)
        else:
            key, label = (titles[publication_id],), str(titles[publication_id])
        item = groups.get(key)
        if item is None:
            item = groups[key] = {"group": label, "runs": set(), "parcels": 0, "copies": 0, "recipients": set(),
                                  "returned": 0}
        back = returned.get((recipient_id, year, publication_id), 0)
        for target in (item, total):
            target["runs"].add(run_ids)  # the same lists of runs recur: split once, at the end
            target["parcels"] += parcels
            target["copies"] += copies
            target["recipients"].add(recipient_id)
            target["returned"] += back
    result = []
    for item in [total, *(groups[key] for key in sorted(groups))]:
        runs = {run for listed in item["runs"] for run in listed.split(",")}
        result.append({"by": "total" if item is total else by, "group": item["group"], "runs": len(runs),
                       "parcels": item["parcels"], "copies": item["copies"], "recipients": len(item["recipients"]),
                       "returned": item["returned"],
                       "returns_rate": round(100 * item["returned"] / item["copies"], 1) if item["copies"] else None,
                       "from": date_from, "to": date_to})
    return result


def stats_as_of(conn: sqlite3.Connection, by: str, as_of: str) -> list[dict]:
    """Who was on the standing lists at the end of `as_of`: recipients, subscriptions and the copies
    one issue of each would take, grouped by `by`."""
    _check_by(by)
    rows = conn.execute(
        """select s.recipient_id, s.publication_id, count(*) as subscriptions, sum(s.copies) as copies
           from distribution_subscriptions s join distribution_recipients r on r.id = s.recipient_id
           where s.start_on <= ?1 and (s.end_on is null or s.end_on >= ?1)
             and coalesce(r.active_from, '') <= ?1 and (r.inactive_from is null or r.inactive_from > ?1)
             and not exists (select 1 from distribution_recipient_pauses p where p.recipient_id = r.id
                             and p.inactive_from <= ?1 and ?1 < p.active_again_on)
           group by s.recipient_id, s.publication_id""", [as_of]).fetchall()
    titles = dict(conn.execute("select id, title from distribution_publications"))
    groups: dict[tuple, dict] = {}
    total = {"group": "total", "recipients": set(), "subscriptions": 0, "copies": 0}
    by_recipient = None if by in ("year", "month", "publication") else _recipient_groups(conn, by, as_of)
    for row in rows:
        recipient_id = row["recipient_id"]
        if by_recipient is not None:
            key, label = by_recipient[recipient_id]
        elif by in ("year", "month"):
            key, label = (period_key(as_of, by),), period_key(as_of, by)
        else:
            key, label = (titles[row["publication_id"]],), titles[row["publication_id"]]
        item = groups.setdefault(key, {"group": label, "recipients": set(), "subscriptions": 0, "copies": 0})
        for target in (item, total):
            target["recipients"].add(recipient_id)
            target["subscriptions"] += row["subscriptions"]
            target["copies"] += row["copies"]
    return [{"by": "total" if item is total else by, "group": item["group"], "recipients": len(item["recipients"]),
             "subscriptions": item["subscriptions"], "copies": item["copies"], "as_of": as_of}
            for item in [total, *(groups[key] for key in sorted(groups))]]


# ---------------------------------------------------------------- invariants (for `nalcoop check`)


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """One sentence per violated rule of the distribution records; an empty list when all hold."""
    problems: list[str] = []
    for recipient, publication, first, second in conn.execute(
        """select a.recipient_id, a.publication_id, a.id, b.id from distribution_subscriptions a
           join distribution_subscriptions b on a.recipient_id = b.recipient_id
                and a.publication_id = b.publication_id and a.id < b.id
           where a.start_on <= coalesce(b.end_on, '9999-12-31') and b.start_on <= coalesce(a.end_on, '9999-12-31')"""
    ):
        problems.append(f"subscriptions {first} and {second} (recipient {recipient}, publication {publication}) "
                        "overlap")
    for run, expected, copies, count, counted in conn.execute(
        """select d.id, d.line_count, d.copies, count(l.line), coalesce(sum(l.copies), 0)
           from distribution_dispatches d left join distribution_dispatch_lines l on l.dispatch_id = d.id
           group by d.id having count(l.line) <> d.line_count or coalesce(sum(l.copies), 0) <> d.copies
               or d.line_count <> json_array_length(d.lines)"""
    ):
        problems.append(f"dispatch run {run} records {expected} lines and {copies} copies, but its indexed lines "
                        f"hold {count} lines and {counted} copies")
    for run, line, day, reason in conn.execute(
        """select d.id, l.line, d.on_date,
                  case when r.id is null then 'its recipient is missing'
                       when s.id is null then 'its subscription is missing'
                       when s.recipient_id <> l.recipient_id then 'its subscription is another recipient''s'
                       when s.publication_id <> i.publication_id then 'its subscription is to another publication'
                       when s.start_on > d.on_date or s.end_on < d.on_date then 'its subscription was not running'
                       when r.active_from > d.on_date or r.inactive_from <= d.on_date or exists (
                           select 1 from distribution_recipient_pauses p where p.recipient_id = r.id
                           and p.inactive_from <= d.on_date and d.on_date < p.active_again_on)
                           then 'the recipient was inactive'
                       when l.copies < 1 then 'it has no copies'
                       when l.issue_id <> d.issue_id then 'it names another issue' end
           from distribution_dispatch_lines l join distribution_dispatches d on d.id = l.dispatch_id
           join distribution_issues i on i.id = d.issue_id
           left join distribution_recipients r on r.id = l.recipient_id
           left join distribution_subscriptions s on s.id = l.subscription_id
           where r.id is null or s.id is null or s.recipient_id <> l.recipient_id
              or s.publication_id <> i.publication_id
              or s.start_on > d.on_date or s.end_on < d.on_date or r.active_from > d.on_date
              or r.inactive_from <= d.on_date or l.copies < 1 or l.issue_id <> d.issue_id or exists (
                  select 1 from distribution_recipient_pauses p where p.recipient_id = r.id
                  and p.inactive_from <= d.on_date and d.on_date < p.active_again_on)"""
    ):
        problems.append(f"dispatch run {run} ({day}), line {line + 1}: {reason}")
    for return_id, copies, sent_copies, day, sent_on in conn.execute(
        """select x.id, x.copies, l.copies, x.on_date, d.on_date from distribution_returns x
           join distribution_dispatch_lines l on l.dispatch_id = x.dispatch_id and l.line = x.line
           join distribution_dispatches d on d.id = x.dispatch_id
           where x.copies > l.copies or x.on_date < d.on_date"""
    ):
        problems.append(f"return {return_id} ({copies} copies on {day}) does not fit its line ({sent_copies} "
                        f"copies sent on {sent_on})")
    for run, day, issued_on in conn.execute(
        """select d.id, d.on_date, i.issued_on from distribution_dispatches d
           join distribution_issues i on i.id = d.issue_id where d.on_date < i.issued_on"""
    ):
        problems.append(f"dispatch run {run} on {day} is before its issue's date {issued_on}")
    for recipient_id, code in conn.execute("select id, country from distribution_recipients"):
        if not countries.is_code(code):
            problems.append(f"recipient {recipient_id} has country {code!r}, which is not an ISO 3166 code")
    return problems

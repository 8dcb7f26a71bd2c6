"""The catalogue: publications and their issues."""

from __future__ import annotations

import re
import sqlite3

from nalcoop.distribution.records import (
    FREQUENCIES,
    MAX_PAGES,
    MAX_PRINTED,
    DistributionError,
    Issue,
    NotFound,
    Publication,
    _key,
    _pick,
    _publication,
    _trimmed,
    _within,
)
from nalcoop.errors import shortened
from nalcoop.i18n import N_, _


def _identifiers(issn: str | None, isbn: str | None) -> tuple[str | None, str | None]:
    from nalcoop.identifiers import normalize_isbn, normalize_issn

    return (normalize_issn(issn) if _trimmed(issn) else None, normalize_isbn(isbn) if _trimmed(isbn) else None)


def add_publication(conn: sqlite3.Connection, title: str, frequency: str, *, title_en: str | None = None,
                    series: str | None = None, issn: str | None = None, isbn: str | None = None,
                    publisher_unit: str | None = None) -> Publication:
    title = (title or "").strip().strip("『』「」")
    if not _key(title):
        raise DistributionError(_("a publication needs a title, such as 월간 국회도서관"))
    issn, isbn = _identifiers(issn, isbn)
    existing = conn.execute("select * from distribution_publications where title_key = ?", [_key(title)]).fetchone()
    if existing is not None:
        raise DistributionError(_("『{title}』 is already in the catalogue; change it with `nalcoop distribute "
                                  "publication edit`").format(title=existing['title']))
    if issn:
        clash = conn.execute("select title from distribution_publications where issn = ?", [issn]).fetchone()
        if clash:
            raise DistributionError(_("ISSN {issn} is already that of 『{clash}』").format(issn=issn, clash=clash[0]))
    cursor = conn.execute(
        """insert into distribution_publications (title, title_key, title_en, series, issn, isbn, frequency,
           publisher_unit) values (?, ?, ?, ?, ?, ?, ?, ?)""",
        [title, _key(title), _trimmed(title_en), _trimmed(series), issn, isbn,
         FREQUENCIES.check(frequency, N_("frequency"), DistributionError), _trimmed(publisher_unit)])
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
                raise DistributionError(_("a publication needs a title"))
            values["title"], values["title_key"] = title, _key(title)
        elif name == "frequency":
            values["frequency"] = FREQUENCIES.check(str(value), N_("frequency"), DistributionError)
        elif name in ("issn", "isbn"):
            values[name] = _identifiers(value, None)[0] if name == "issn" else _identifiers(None, value)[1]
        elif name in ("title_en", "series", "publisher_unit"):
            values[name] = _trimmed(value)
        else:
            raise ValueError(name)
    if not values:
        raise DistributionError(_("nothing to change; give at least one option (see --help)"))
    if values.get("issn"):
        clash = conn.execute("select title from distribution_publications where issn = ? and id <> ?",
                             [values["issn"], publication.id]).fetchone()
        if clash:
            raise DistributionError(_("ISSN {issn} is already that of 『{clash}』").format(
                issn=values['issn'], clash=clash[0]))
    if "title_key" in values:
        clash = conn.execute("select title from distribution_publications where title_key = ? and id <> ?",
                             [values["title_key"], publication.id]).fetchone()
        if clash:
            raise DistributionError(_("『{clash}』 is already in the catalogue").format(clash=clash[0]))
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
    return _pick(N_("publication"), text, rows, lambda p: p.title, "nalcoop distribute publication list",
                 lambda p: [k for k in (_key(p.title), _key(p.title_en), _key(p.issn)) if k], N_("publications"))


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


def add_issue(conn: sqlite3.Connection, publication: Publication, issue: str, issued_on: str, *,
              pages: int | None = None, copies_printed: int | None = None) -> Issue:
    shown = (issue or "").strip()
    if not issue_key(shown):
        raise DistributionError(_("an issue needs an identifier, such as 2024-05 or 통권 600호"))
    existing = conn.execute("select issue, issued_on from distribution_issues where publication_id = ? and "
                            "issue_key = ?", [publication.id, issue_key(shown)]).fetchone()
    if existing:
        raise DistributionError(_("『{title}』 {issue} is already in the catalogue (dated {date})").format(
            title=publication.title, issue=existing[0], date=existing[1]))
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
        latest = _(" (the latest: {issues})").format(issues=", ".join(known)) if known else _(" (it has no issues yet)")
        raise NotFound(_("issue '{issue}' of 『{title}』 is not in the catalogue{latest}; add it with `nalcoop "
                         "distribute issue add`").format(
            issue=shortened(issue), title=publication.title, latest=latest))
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

"""Dispatch runs: who gets an issue on a day, the run recorded, returns and the addresses under review; the
dispatch lines listed and printed as labels."""

from __future__ import annotations

import json
import sqlite3
from typing import NamedTuple

from nalcoop import countries
from nalcoop.distribution.catalogue import issue_key
from nalcoop.distribution.recipients import _RUNS_OF_RECIPIENT, all_recipients, paused_on, recipient_by_id
from nalcoop.distribution.records import (
    MAX_COPIES,
    RETURN_REASONS,
    REVIEW_AFTER,
    DistributionError,
    Issue,
    Publication,
    Recipient,
    _trimmed,
    _within,
)
from nalcoop.i18n import N_, _, ngettext


class DispatchPlan(NamedTuple):  # not a dataclass: `distribute list` loads this module; a dataclass costs start-up
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
        raise DistributionError(_("{issue} is dated {issued_on}; it cannot be sent on {on_date}, before it "
                                  "exists").format(issue=issue.label, issued_on=issue.issued_on, on_date=on_date))
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
            _("{issue} was already sent to every subscriber running on {on_date} ({count}, first on {first}); it is "
              "never sent twice to one recipient").format(
                issue=issue.label, on_date=plan.on_date, count=len(plan.already), first=first))
    if plan.already or plan.held or plan.inactive:
        reasons = []
        if plan.already:
            reasons.append(_("{count} already had it").format(count=len(plan.already)))
        if plan.held:
            reasons.append(_("{count} under address review ({names}; see `nalcoop distribute recipient "
                             "review`)").format(count=len(plan.held), names=", ".join(plan.held[:5])))
        if plan.inactive:
            reasons.append(_("{count} inactive that day ({names})").format(count=len(plan.inactive),
                                                                           names=", ".join(plan.inactive[:5])))
        raise DistributionError(_("{issue} would go to nobody on {on_date}: {items}").format(
            issue=issue.label, on_date=plan.on_date, items='; '.join(reasons)))
    raise DistributionError(_("no subscription to 『{title}』 runs on {on_date}; add one with `nalcoop distribute "
                              "subscribe`").format(title=issue.publication.title, on_date=plan.on_date))


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
        raise DistributionError(_("{issue} was never sent to {recipient}; see `nalcoop distribute list`").format(
            issue=issue.label, recipient=recipient.label))
    return row


def record_return(conn: sqlite3.Connection, recipient: Recipient, issue: Issue, on_date: str, reason: str,
                  copies: int | None = None, note: str | None = None) -> int:
    """A copy (or all copies) of a dispatch line came back; returns the recipient's undeliverable streak."""
    line = _line_for(conn, issue, recipient)
    RETURN_REASONS.check(reason, N_("return reason"), DistributionError)
    if on_date < line["on_date"]:
        raise DistributionError(_("{issue} was sent to {recipient} on {sent}; it cannot come back on {date}, "
                                  "before that").format(
            issue=issue.label, recipient=recipient.label, sent=line["on_date"], date=on_date))
    count = line["copies"] if copies is None else copies
    if count < 1:
        raise DistributionError(_("--copies: {count} is not a positive whole number (1 or more)").format(count=count))
    _within(count, 1, MAX_COPIES, "--copies")
    if count > line["copies"]:
        sent = ngettext("{count} copy", "{count} copies", line["copies"]).format(count=line["copies"])
        raise DistributionError(_("{recipient} was sent {sent} of {issue}; {count} cannot come back").format(
            recipient=recipient.label, sent=sent, issue=issue.label, count=count))
    earlier = conn.execute("select on_date, reason from distribution_returns where dispatch_id = ? and line = ?",
                           [line["dispatch_id"], line["line"]]).fetchone()
    if earlier:
        raise DistributionError(_("the return of {issue} from {recipient} is already recorded ({reason}, "
                                  "{date}); to record it differently, find it in `nalcoop history` and `nalcoop "
                                  "undo ID` first").format(
            issue=issue.label, recipient=recipient.label, reason=RETURN_REASONS.said(earlier[1]), date=earlier[0]))
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
              date_to: str | None = None, returned: bool | None = None, as_of: str | None = None) -> list[dict]:
    """Dispatch lines (one parcel each) with their return, newest run first. date_from/date_to (inclusive) keep
    the runs of that period; `as_of` shows the ledger as it stood at the end of that day (inclusive): runs sent
    by then, and only the returns recorded by then."""
    where, params = ["1"], [as_of, as_of]  # the first two: the return's join, below
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
    if as_of:
        where.append("d.on_date <= ?")
        params.append(as_of)
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
                                              and (? is null or x.on_date <= ?)
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
        raise DistributionError(_("{issue} has not been sent yet: labels are printed from a dispatch run (`nalcoop "
                                  "distribute send`, or --dry-run to see who would get it)").format(
            issue=issue.label))
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

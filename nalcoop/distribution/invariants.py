"""The rules of the distribution records that `nalcoop check` verifies."""

from __future__ import annotations

import sqlite3

from nalcoop import countries
from nalcoop.i18n import N_, _

# Why a dispatch line does not hold: the query below names the first reason by its key.
_LINE_REASONS = {
    "no-recipient": N_("its recipient is missing"),
    "no-subscription": N_("its subscription is missing"),
    "other-recipient": N_("its subscription is another recipient's"),
    "other-publication": N_("its subscription is to another publication"),
    "not-running": N_("its subscription was not running"),
    "inactive": N_("the recipient was inactive"),
    "no-copies": N_("it has no copies"),
    "other-issue": N_("it names another issue"),
}


def invariant_problems(conn: sqlite3.Connection) -> list[str]:
    """One sentence per violated rule of the distribution records, in the language of the run; an empty list when
    all hold."""
    problems: list[str] = []
    for recipient, publication, first, second in conn.execute(
        """select a.recipient_id, a.publication_id, a.id, b.id from distribution_subscriptions a
           join distribution_subscriptions b on a.recipient_id = b.recipient_id
                and a.publication_id = b.publication_id and a.id < b.id
           where a.start_on <= coalesce(b.end_on, '9999-12-31') and b.start_on <= coalesce(a.end_on, '9999-12-31')"""
    ):
        problems.append(_("subscriptions {first} and {second} (recipient {recipient}, publication {publication}) "
                          "overlap").format(first=first, second=second, recipient=recipient, publication=publication))
    for run, expected, copies, count, counted in conn.execute(
        """select d.id, d.line_count, d.copies, count(l.line), coalesce(sum(l.copies), 0)
           from distribution_dispatches d left join distribution_dispatch_lines l on l.dispatch_id = d.id
           group by d.id having count(l.line) <> d.line_count or coalesce(sum(l.copies), 0) <> d.copies
               or d.line_count <> json_array_length(d.lines)"""
    ):
        problems.append(_("dispatch run {run} records {lines} lines and {copies} copies, but its indexed lines hold "
                          "{counted_lines} lines and {counted_copies} copies").format(
            run=run, lines=expected, copies=copies, counted_lines=count, counted_copies=counted))
    for run, line, day, reason in conn.execute(
        """select d.id, l.line, d.on_date,
                  case when r.id is null then 'no-recipient'
                       when s.id is null then 'no-subscription'
                       when s.recipient_id <> l.recipient_id then 'other-recipient'
                       when s.publication_id <> i.publication_id then 'other-publication'
                       when s.start_on > d.on_date or s.end_on < d.on_date then 'not-running'
                       when r.active_from > d.on_date or r.inactive_from <= d.on_date or exists (
                           select 1 from distribution_recipient_pauses p where p.recipient_id = r.id
                           and p.inactive_from <= d.on_date and d.on_date < p.active_again_on)
                           then 'inactive'
                       when l.copies < 1 then 'no-copies'
                       when l.issue_id <> d.issue_id then 'other-issue' end
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
        problems.append(_("dispatch run {run} ({date}), line {line}: {reason}").format(
            run=run, date=day, line=line + 1, reason=_(_LINE_REASONS[reason])))
    for return_id, copies, sent_copies, day, sent_on in conn.execute(
        """select x.id, x.copies, l.copies, x.on_date, d.on_date from distribution_returns x
           join distribution_dispatch_lines l on l.dispatch_id = x.dispatch_id and l.line = x.line
           join distribution_dispatches d on d.id = x.dispatch_id
           where x.copies > l.copies or x.on_date < d.on_date"""
    ):
        problems.append(_("return {id} ({copies} copies on {date}) does not fit its line ({sent} copies sent on "
                          "{sent_on})").format(id=return_id, copies=copies, date=day, sent=sent_copies,
                                               sent_on=sent_on))
    for run, day, issued_on in conn.execute(
        """select d.id, d.on_date, i.issued_on from distribution_dispatches d
           join distribution_issues i on i.id = d.issue_id where d.on_date < i.issued_on"""
    ):
        problems.append(_("dispatch run {run} on {date} is before its issue's date {issued_on}").format(
            run=run, date=day, issued_on=issued_on))
    for recipient_id, code in conn.execute("select id, country from distribution_recipients"):
        if not countries.is_code(code):
            problems.append(_("recipient {id} has country {code}, which is not an ISO 3166 code").format(
                id=recipient_id, code=repr(code)))
    return problems

"""The rules of the distribution records that `nalcoop check` verifies."""

from __future__ import annotations

import sqlite3

from nalcoop import countries


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

"""Subscriptions: who is on each publication's standing list, from which day to which."""

from __future__ import annotations

import sqlite3

from nalcoop import countries
from nalcoop.dates import END_OF_TIME
from nalcoop.distribution.recipients import _RUNS_OF_RECIPIENT
from nalcoop.distribution.records import MAX_COPIES, DistributionError, Publication, Recipient, _trimmed, _within
from nalcoop.i18n import _


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


def subscribe(conn: sqlite3.Connection, recipient: Recipient, publication: Publication, copies: int,
              start_on: str, end_on: str | None = None) -> int:
    if copies < 1:
        raise DistributionError(_("--copies: {copies} is not a positive whole number (1 or more)").format(
            copies=copies))
    _within(copies, 1, MAX_COPIES, "--copies")
    if end_on is not None and end_on < start_on:
        raise DistributionError(_("the subscription would end on {end_on}, before it starts on {start_on}; --to is "
                                  "the last day on the list").format(end_on=end_on, start_on=start_on))
    if recipient.active_from and start_on < recipient.active_from:
        raise DistributionError(_("{recipient} is on record from {active_from}, after {start_on}; set its first day "
                                  "with `nalcoop distribute recipient edit --from` first").format(
            recipient=recipient.label, active_from=recipient.active_from, start_on=start_on))
    if recipient.inactive_from and (end_on is None or end_on >= recipient.inactive_from):
        raise DistributionError(_("{recipient} is inactive from {inactive_from}; a subscription must end before "
                                  "then").format(recipient=recipient.label, inactive_from=recipient.inactive_from))
    clash = conn.execute(
        """select start_on, end_on from distribution_subscriptions where recipient_id = ? and publication_id = ?
           and start_on <= ? and ? <= coalesce(end_on, ?) order by start_on limit 1""",
        [recipient.id, publication.id, end_on or END_OF_TIME, start_on, END_OF_TIME]).fetchone()
    if clash:
        period = (_("from {start} to {end}").format(start=clash[0], end=clash[1]) if clash[1]
                  else _("from {start}, still open").format(start=clash[0]))
        raise DistributionError(
            _("{recipient} already receives 『{title}』 {period}; a subscription may not overlap it (end it with "
              "`nalcoop distribute unsubscribe`, then subscribe again to change the copies)").format(
                recipient=recipient.label, title=publication.title, period=period))
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
        raise DistributionError(_("{recipient} has no subscription to 『{title}』 running on {last_day}; see `nalcoop "
                                  "distribute subscriptions`").format(
            recipient=recipient.label, title=publication.title, last_day=last_day))
    sent = conn.execute(_RUNS_OF_RECIPIENT.format(what="max(d.on_date)", join="", where="l.subscription_id = ?"),
                        [recipient.id, row["id"]]).fetchone()[0]
    if sent and sent > last_day:
        raise DistributionError(_("{recipient} was sent an issue of 『{title}』 on {sent}; its subscription cannot "
                                  "end before that: give --date {sent} or later").format(
            recipient=recipient.label, title=publication.title, sent=sent))
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

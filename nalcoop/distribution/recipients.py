"""Recipients at home and abroad: added, changed, inactive and active again, and listed as they stood
on a day."""

from __future__ import annotations

import sqlite3

from nalcoop import countries, registry
from nalcoop.dates import day_after, day_before, today
from nalcoop.distribution.records import RECIPIENT_TYPES, DistributionError, Recipient, _key, _pick, _trimmed
from nalcoop.i18n import N_, _


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
    return _pick(N_("recipient"), text, rows, lambda r: r.label, "nalcoop distribute recipient list",
                 lambda r: [_key(r.name)], N_("recipients"))


def _region(conn: sqlite3.Connection, country_code: str, region: str | None, on_date: str,
            province: str | None = None) -> int | None:
    if not _trimmed(region):
        return None
    if country_code != countries.HOME:
        raise DistributionError(_("a region (local government) is for recipients in Korea, not in {country_code}; "
                                  "put a foreign recipient's town in its address").format(country_code=country_code))
    return registry.resolve_region(conn, str(region), on_date, province=province).id


def add_recipient(conn: sqlite3.Connection, name: str, country: str, recipient_type: str,
                  active_from: str | None, *, on_date: str | None = None,
                  region: str | None = None, province: str | None = None, address: str | None = None,
                  postcode: str | None = None, contact: str | None = None) -> Recipient:
    name = (name or "").strip()
    if not _key(name):
        raise DistributionError(_("a recipient needs a name, such as 'Library of Congress'"))
    code = countries.country(country).code
    council_id = _region(conn, code, region, on_date or active_from or today().isoformat(), province)
    existing = conn.execute("select * from distribution_recipients where name_key = ? and country = ?",
                            [_key(name), code]).fetchone()
    if existing is not None:
        raise DistributionError(_("{recipient} is already registered; change it with `nalcoop distribute recipient "
                                  "edit`").format(recipient=_recipient(conn, existing).label))
    cursor = conn.execute(
        """insert into distribution_recipients (name, name_key, country, type, council_id, address, postcode,
           contact, active_from) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [name, _key(name), code, RECIPIENT_TYPES.check(recipient_type, N_("recipient type"), DistributionError),
         council_id, _trimmed(address), _trimmed(postcode), _trimmed(contact), active_from])
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
                raise DistributionError(_("a recipient needs a name"))
            values["name"], values["name_key"] = str(value).strip(), _key(value)
        elif name == "type":
            values["type"] = RECIPIENT_TYPES.check(str(value), N_("recipient type"), DistributionError)
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
        raise DistributionError(_("nothing to change; give at least one option (see --help)"))
    new_from = values.get("active_from", recipient.active_from)
    if recipient.inactive_from and new_from and new_from >= recipient.inactive_from:
        raise DistributionError(_("{recipient} became inactive on {inactive_from}; it cannot be active from "
                                  "{new_from}").format(
            recipient=recipient.label, inactive_from=recipient.inactive_from, new_from=new_from))
    first = conn.execute("select min(start_on) from distribution_subscriptions where recipient_id = ?",
                         [recipient.id]).fetchone()[0]
    if "active_from" in values and first and new_from and first < new_from:
        raise DistributionError(_("{recipient} has a subscription from {first}; it cannot be active only from "
                                  "{new_from}").format(recipient=recipient.label, first=first, new_from=new_from))
    clash = conn.execute("select id from distribution_recipients where name_key = ? and country = ? and id <> ?",
                         [values.get("name_key", _key(recipient.name)), values.get("country", recipient.country),
                          recipient.id]).fetchone()
    if clash:
        raise DistributionError(_("{label} already exists; choose another name").format(
            label=recipient_by_id(conn, clash[0]).label))
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"update distribution_recipients set {assignments} where id = ?",  # names from the code above
                 [*values.values(), recipient.id])
    return recipient_by_id(conn, recipient.id)


# A recipient's lines, found run by run through the (issue, recipient) index: the lines table has
# no index by recipient (see migration 0003). `what` and `where` are fixed SQL from this package.
_RUNS_OF_RECIPIENT = """select {what} from distribution_dispatches d
    cross join distribution_dispatch_lines l on l.issue_id = d.issue_id and l.recipient_id = ? and l.dispatch_id = d.id
    {join} where {where}"""


def deactivate_recipient(conn: sqlite3.Connection, recipient: Recipient, inactive_from: str,
                         reason: str | None) -> list[str]:
    """The recipient receives nothing from `inactive_from` on; its open subscriptions end the day before.

    Returns the titles whose subscriptions were ended.
    """
    if recipient.inactive_from:
        raise DistributionError(_("{recipient} is already inactive since {inactive_from}").format(
            recipient=recipient.label, inactive_from=recipient.inactive_from))
    if recipient.active_from and inactive_from <= recipient.active_from:
        raise DistributionError(_("{recipient} is active from {active_from}; it can become inactive only after that "
                                  "day, not on {inactive_from}").format(
            recipient=recipient.label, active_from=recipient.active_from, inactive_from=inactive_from))
    later = conn.execute("""select p.title, s.start_on from distribution_subscriptions s
                            join distribution_publications p on p.id = s.publication_id
                            where s.recipient_id = ? and s.start_on >= ?""", [recipient.id, inactive_from]).fetchone()
    if later:
        raise DistributionError(_("{recipient} has a subscription to 『{title}』 starting on {date}; end it first "
                                  "with `nalcoop distribute unsubscribe`").format(
            recipient=recipient.label, title=later[0], date=later[1]))
    sent = conn.execute(_RUNS_OF_RECIPIENT.format(what="max(d.on_date)", join="", where="1"),
                        [recipient.id]).fetchone()[0]
    if sent and sent >= inactive_from:
        raise DistributionError(_("{recipient} was sent copies on {sent}; it can become inactive from {day_after} "
                                  "on, not {inactive_from}").format(
            recipient=recipient.label, sent=sent, day_after=day_after(sent), inactive_from=inactive_from))
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
        raise DistributionError(_("{recipient} is active").format(recipient=recipient.label))
    if on_date <= recipient.inactive_from:
        raise DistributionError(_("{recipient} is inactive from {inactive_from}; it can be active again only after "
                                  "that day, not on {on_date}").format(
            recipient=recipient.label, inactive_from=recipient.inactive_from, on_date=on_date))
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

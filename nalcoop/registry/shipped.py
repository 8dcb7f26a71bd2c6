"""The registry shipped with nalcoop (nalcoop/data/councils.yaml): loaded at init, and brought up to date by
`nalcoop registry update`, recognising the changes a librarian already recorded by hand."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from nalcoop.dates import BEGINNING
from nalcoop.i18n import _
from nalcoop.registry.lookup import _OLD_PROVINCIAL_ENGLISH, _lived_on
from nalcoop.registry.records import RegistryError
from nalcoop.registry.versions import ChangeRecord, _insert_change, apply_operation, council_english


def shipped_registry() -> dict:
    from importlib import resources

    import yaml

    text = resources.files("nalcoop").joinpath("data/councils.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


BASELINE_KEY = "baseline"


def load_shipped(conn: sqlite3.Connection, data: dict | None = None) -> list[str]:
    """Load the shipped baseline and every shipped change the ledger lacks; return what was added."""
    return update_shipped(conn, data).added


@dataclass
class UpdateReport:
    """What `nalcoop registry update` (and `nalcoop init`) did with the shipped registry."""

    added: list[str] = field(default_factory=list)  # shipped change keys recorded now
    # Lines for the librarian, in the language of the run:
    recognised: list[str] = field(default_factory=list)  # "key: recorded by hand as change N" lines
    conflicts: list[str] = field(default_factory=list)  # shipped changes not applied, and why
    english: int = 0  # council versions whose generated English name was brought to the published form


def update_shipped(conn: sqlite3.Connection, data: dict | None = None) -> UpdateReport:
    """Bring the ledger's registry up to the shipped one, inside the caller's (journaled) transaction.

    A shipped change a librarian already recorded by hand (same councils, same day, same result) is
    recognised, not recorded twice: the hand-recorded change takes the shipped key, and only what it
    left out (a new code, say) is added. One that contradicts the shipped change (another day, another
    name or code) is not applied and is reported; the other changes are applied all the same.
    """
    data = data or shipped_registry()
    report = UpdateReport()
    known = {row[0] for row in conn.execute("select key from registry_changes where key is not null")}
    if BASELINE_KEY not in known:
        baseline = data["baseline"]
        operations = [
            {"op": "create", "key": entry["key"], "set": _shipped_values(entry)} for entry in data["councils"]
        ]
        change = ChangeRecord(
            "baseline", str(baseline["as_of"]),
            _("Council registry as it stood on {day}").format(day=baseline["as_of"]),  # stored as written
            baseline["source"], key=BASELINE_KEY, origin="shipped",
        )
        _record_with_keys(conn, change, operations)
        report.added.append(BASELINE_KEY)
    else:
        report.english = _publish_english_names(conn, data)
    for entry in data.get("changes") or []:
        if entry["key"] in known:
            continue
        operations = []
        for operation in entry["operations"]:
            if operation["op"] == "create":
                spec = operation["council"]
                operations.append({"op": "create", "key": spec["key"], "set": _shipped_values(spec)})
            else:
                operations.append({**operation, "set": dict(operation.get("set") or {})})
        change = ChangeRecord(
            entry["kind"], str(entry["effective"]), entry["description"], entry["source"],
            key=entry["key"], origin="shipped",
        )
        keys: dict[str, int] = {}
        pending, done, conflicts = _reconcile(conn, change, operations, keys)
        if conflicts:
            report.conflicts.append(_("{change} ({day}) not applied: {reasons}").format(
                change=change.key, day=change.effective_on, reasons="; ".join(conflicts)))
            continue
        fills = [operation for operation in pending if operation["op"] == "fill"]
        pending = [operation for operation in pending if operation["op"] != "fill"]
        for fill in fills:
            fields = sorted(fill["set"])  # column names from the shipped data's own fields, checked in _reconcile
            conn.execute(f"update council_versions set {', '.join(f'{f} = ?' for f in fields)} where id = ?",
                         [*(fill["set"][f] for f in fields), fill["version"]])
        if pending:
            _record_with_keys(conn, change, pending, keys)
            report.added.append(change.key)
        if done:
            hand = sorted(done)
            if not pending:  # wholly recorded by hand already: that change now carries the shipped key
                conn.execute("update registry_changes set key = ? where id = ?", [change.key, hand[0]])
            filled = sorted({f for fill in fills for f in fill["set"]})
            line = _("{change}: already recorded by hand as change {numbers}").format(
                change=change.key, numbers=", ".join(str(n) for n in hand))
            if filled:
                line += _("; its {fields} filled in").format(fields=", ".join(filled))
            if pending:
                line += _("; the rest added")
            report.recognised.append(line)
    return report


def _reconcile(conn: sqlite3.Connection, change: ChangeRecord, operations: list[dict],
               keys: dict[str, int]) -> tuple[list[dict], set[int], list[str]]:
    """Sort a shipped change's operations into (still to apply, hand-recorded change ids that already did
    the rest, contradictions). `keys` learns the ids of councils a librarian created by hand."""
    day = change.effective_on
    pending: list[dict] = []
    done: set[int] = set()
    conflicts: list[str] = []

    def council_id(key: str) -> int | None:
        if key in keys:
            return keys[key]
        row = conn.execute("select id from councils where key = ?", [str(key)]).fetchone()
        return row[0] if row else None

    def hand_change(version: sqlite3.Row) -> tuple[int, str] | None:
        row = conn.execute("select id, origin, effective_on from registry_changes where id = ?",
                           [version["change_id"]]).fetchone()
        return (row["id"], row["effective_on"]) if row["origin"] == "recorded" else None

    for operation in operations:
        op = operation["op"]
        if op == "create":
            values = operation["set"]
            if council_id(operation["key"]) is not None:
                conflicts.append(_("a council with key '{key}' already exists").format(key=operation["key"]))
                continue
            row = conn.execute(
                """select v.council_id, min(v.valid_from) as since from council_versions v
                   where v.gov = ? group by v.council_id""", [values["gov"]]).fetchone()
            if row is None:
                pending.append(operation)
                continue
            keys[operation["key"]] = row["council_id"]
            first = conn.execute("select * from council_versions where council_id = ? order by valid_from limit 1",
                                 [row["council_id"]]).fetchone()
            if first["valid_from"] != day:
                conflicts.append(_("{council} was recorded by hand as created on {recorded}; the law creates it on "
                                   "{day}").format(council=values["name"], recorded=first["valid_from"], day=day))
                continue
            done.add(first["change_id"])
            fill = {f: values[f] for f in ("code", "name_en") if values.get(f) and first[f] != values[f]}
            if fill:
                pending.append({"op": "update", "council": operation["key"], "set": fill})
            continue
        target = council_id(operation["council"])
        if target is None:
            conflicts.append(_("council {key} is not in this ledger").format(key=operation["council"]))
            continue
        versions = conn.execute("select * from council_versions where council_id = ? order by valid_from",
                                [target]).fetchall()
        name = versions[-1]["name"]
        if op == "abolish":
            ended = versions[-1]["valid_to"]
            if ended == day:
                done.add(versions[-1]["change_id"])  # the version it ended with; the abolition has no row
            elif ended:
                conflicts.append(_("{council} was recorded by hand as abolished on {recorded}; the law abolishes it on "
                                   "{day}").format(council=name, recorded=ended, day=day))
            elif versions[-1]["valid_from"] > day:
                conflicts.append(_("{council} has a change recorded on {later}, after {day}").format(
                    council=name, later=versions[-1]["valid_from"], day=day))
            else:
                pending.append(operation)
            continue
        wanted = dict(operation["set"])
        if "province" in wanted:
            province = council_id(wanted.pop("province"))
            wanted["province_id"] = province
        then = next((v for v in versions if _lived_on((v["valid_from"], v["valid_to"]), day)), None)
        later = [v for v in versions if v["valid_from"] > day]
        if then is None:
            conflicts.append(_("{council} did not exist on {day} in this ledger").format(council=name, day=day))
            continue
        differ = {f: value for f, value in wanted.items() if then[f] != value}
        for f, value in wanted.items():
            if then[f] != value:
                continue
            # The same value, but recorded by hand on another day than the law's?
            start = then
            for version in reversed([v for v in versions if v["valid_from"] <= then["valid_from"]]):
                if version[f] != value:
                    break
                start = version
            made_by = hand_change(start) if start["valid_from"] > BEGINNING else None
            if made_by and start["valid_from"] != day:
                conflicts.append(_("{council}: {field} {value} was recorded by hand on {recorded} (change {number}); "
                                   "the law dates it {day}").format(council=name, field=f, value=value,
                                                                    recorded=start["valid_from"], number=made_by[0],
                                                                    day=day))
            elif made_by:
                done.add(made_by[0])
        if not differ:
            continue
        if later:
            conflicts.append(_("{council} has a change recorded on {later}, after {day}; the shipped change cannot "
                               "come before it").format(council=name, later=later[0]["valid_from"], day=day))
            continue
        if then["valid_from"] == day and hand_change(then):
            before = next((v for v in reversed(versions) if v["valid_from"] < day), None)
            # English names are filled in, not contradicted: an earlier nalcoop wrote them by another rule.
            touched = {f: then[f] for f in differ
                       if f not in ("gov_en", "name_en") and before is not None and before[f] != then[f]}
            if touched:
                shown = ", ".join(f"{f} {value}" for f, value in touched.items())
                conflicts.append(_("{council} was changed by hand on {day} (change {number}: {shown}); the law says "
                                   "{law}").format(council=name, day=day, number=then["change_id"], shown=shown,
                                                   law=", ".join(f"{f} {differ[f]}" for f in touched)))
                continue
            done.add(then["change_id"])
            # What the hand change left out (the new code, the English name) is filled into its own version of
            # that day: one change on the day, not a second one beside it.
            pending.append({"op": "fill", "version": then["id"], "set": differ})
            continue
        shipped_set = {f: value for f, value in operation["set"].items()
                       if ("province_id" if f == "province" else f) in differ}
        pending.append({**operation, "set": shipped_set})
    return pending, done, conflicts


def _publish_english_names(conn: sqlite3.Connection, data: dict) -> int:
    """Older ledgers hold the English names an earlier nalcoop generated ("Cheongju-si Council"); bring each
    shipped council's to the name the councils publish. A name a librarian gave (--english) is kept."""
    wanted = {str(entry["key"]): entry["name_en"] for entry in data["councils"]}
    changed = 0
    rows = conn.execute(
        """select v.id, v.level, v.kind, v.gov_en, v.name_en, c.key from council_versions v
           join councils c on c.id = v.council_id"""
    ).fetchall()
    for row in rows:
        if row["key"] not in wanted:
            continue
        if row["level"] == "basic" and row["name_en"] == f"{row['gov_en']} Council":
            new = council_english(row["gov_en"], row["kind"])
        elif row["level"] == "provincial" and row["name_en"] in _OLD_PROVINCIAL_ENGLISH:
            new = wanted[row["key"]]
        else:
            continue
        if new != row["name_en"]:
            conn.execute("update council_versions set name_en = ? where id = ?", [new, row["id"]])
            changed += 1
    return changed


def _shipped_values(entry: dict) -> dict:
    values = {name: entry.get(name) for name in ("level", "kind", "gov", "gov_en", "name", "name_en")}
    values["code"] = None if entry.get("code") is None else str(entry["code"])
    values["province_key"] = entry.get("province")
    return values


def _record_with_keys(conn, change: ChangeRecord, operations: list[dict], keys: dict[str, int] | None = None) -> None:
    """Turn the YAML's council keys (and province keys) into ids, then record the change. `keys` maps the
    keys of councils a librarian created by hand to their ids."""

    def council_id(key: str) -> int:
        if keys and str(key) in keys:
            return keys[str(key)]
        row = conn.execute("select id from councils where key = ?", [str(key)]).fetchone()
        if row is None:
            raise RegistryError(_("the shipped registry refers to an unknown council key {key}").format(key=key))
        return row[0]

    if not change.source.strip():
        raise RegistryError(_("the shipped registry change {key} has no source").format(key=change.key))
    change_id = _insert_change(conn, change)
    # One by one, so that a basic council can name a province created just before it.
    for operation in operations:
        values = dict(operation.get("set") or {})
        if "province_key" in values:
            province_key = values.pop("province_key")
            values["province_id"] = council_id(province_key) if province_key else None
        if "province" in values:
            values["province_id"] = council_id(values.pop("province"))
        if values.get("code") is not None:
            values["code"] = str(values["code"])
        resolved = {**operation, "set": values}
        if "council" in operation:
            resolved["council"] = council_id(operation["council"])
        apply_operation(conn, change_id, change, resolved)

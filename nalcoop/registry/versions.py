"""How a dated change is written: one registry_changes row, then its operations (create, update, abolish) as
council_versions rows, each checked; the Korean and English names of a council."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from nalcoop.dates import BEGINNING
from nalcoop.i18n import _, ngettext
from nalcoop.registry.records import CHANGE_KINDS, KINDS, LEVELS, VERSION_FIELDS, RegistryError


@dataclass(frozen=True)
class ChangeRecord:
    kind: str
    effective_on: str
    description: str
    source: str
    key: str | None = None
    origin: str = "recorded"


def record_change(conn: sqlite3.Connection, change: ChangeRecord, operations: list[dict]) -> int:
    """Record one dated change and apply its operations; return the change id.

    operations: {"op": "update", "council": id, "set": {...}} | {"op": "abolish", "council": id}
    | {"op": "create", "key": str, "set": {...}} — the same shape the shipped YAML uses once
    keys are turned into ids.
    """
    if change.kind not in CHANGE_KINDS:
        raise RegistryError(_("unknown change kind '{kind}'; choose one of {choices}").format(
            kind=change.kind, choices=CHANGE_KINDS.choices(None)))
    if not change.source.strip():
        raise RegistryError(_("every registry change needs a source (a law, a notice, a press report); give "
                              "--source"))
    change_id = _insert_change(conn, change)
    for operation in operations:
        apply_operation(conn, change_id, change, operation)
    return change_id


def _insert_change(conn: sqlite3.Connection, change: ChangeRecord) -> int:
    cursor = conn.execute(
        "insert into registry_changes (key, kind, effective_on, description, source, origin)"
        " values (?, ?, ?, ?, ?, ?)",
        [change.key, change.kind, change.effective_on, change.description, change.source, change.origin],
    )
    return cursor.lastrowid


def apply_operation(conn: sqlite3.Connection, change_id: int, change: ChangeRecord, operation: dict) -> None:
    op = operation["op"]
    if op == "create":
        valid_from = BEGINNING if change.kind == "baseline" else change.effective_on
        _create(conn, operation["key"], operation["set"], valid_from, change_id)
    elif op == "update":
        _update(conn, operation["council"], operation["set"], change.effective_on, change_id)
    elif op == "abolish":
        _abolish(conn, operation["council"], change.effective_on)
    else:
        raise RegistryError(_("unknown registry operation '{op}'; it is create, update or abolish").format(op=op))


def _open_version(conn: sqlite3.Connection, council_id: int, effective_on: str) -> sqlite3.Row:
    row = conn.execute(
        "select * from council_versions where council_id = ? order by valid_from desc limit 1",
        [council_id],
    ).fetchone()
    if row is None:
        raise RegistryError(_("council {id} is not in the registry; it cannot change on {day}").format(
            id=council_id, day=effective_on))
    if row["valid_to"] is not None:
        raise RegistryError(_("{council} no longer exists (abolished on {ended}); it cannot change on {day}").format(
            council=row["name"], ended=row["valid_to"], day=effective_on))
    if row["valid_from"] > effective_on:
        raise RegistryError(_("{council} already has a change dated {later}, after {day}; record registry changes "
                              "in date order").format(council=row["name"], later=row["valid_from"], day=effective_on))
    return row


def _create(conn, key: str, values: dict, valid_from: str, change_id: int) -> int:
    _check_version(values)
    if conn.execute("select 1 from councils where key = ?", [key]).fetchone():
        raise RegistryError(_("a council with key '{key}' already exists").format(key=key))
    council_id = conn.execute("insert into councils (key) values (?)", [key]).lastrowid
    _insert_version(conn, council_id, values, valid_from, change_id)
    return council_id


def _insert_version(conn, council_id: int, values: dict, valid_from: str, change_id: int) -> None:
    conn.execute(
        f"""insert into council_versions (council_id, valid_from, change_id, {", ".join(VERSION_FIELDS)})
            values (?, ?, ?, {", ".join("?" for _ in VERSION_FIELDS)})""",
        [council_id, valid_from, change_id, *(values.get(f) for f in VERSION_FIELDS)],
    )


def _update(conn, council_id: int, changes_: dict, effective_on: str, change_id: int) -> None:
    current = _open_version(conn, council_id, effective_on)
    values = {name: current[name] for name in VERSION_FIELDS}
    values.update(changes_)
    _check_version(values)
    if current["valid_from"] == effective_on:
        # Two changes on one day fold into the day's version.
        assignments = ", ".join(f"{name} = ?" for name in VERSION_FIELDS)
        conn.execute(
            f"update council_versions set {assignments}, change_id = ? where id = ?",
            [*(values[f] for f in VERSION_FIELDS), change_id, current["id"]],
        )
        return
    conn.execute("update council_versions set valid_to = ? where id = ?", [effective_on, current["id"]])
    _insert_version(conn, council_id, values, effective_on, change_id)


def _abolish(conn, council_id: int, effective_on: str) -> None:
    current = _open_version(conn, council_id, effective_on)
    if current["valid_from"] == effective_on:
        raise RegistryError(_("{council} cannot be abolished on the day it came into being ({day})").format(
            council=current["name"], day=effective_on))
    if current["level"] == "provincial":
        members = conn.execute(
            "select count(*) from council_versions where province_id = ? and valid_to is null",
            [council_id],
        ).fetchone()[0]
        if members:
            raise RegistryError(ngettext("{council} still has {n} basic council; move or abolish it first",
                                         "{council} still has {n} basic councils; move or abolish them first",
                                         members).format(council=current["name"], n=members))
    conn.execute("update council_versions set valid_to = ? where id = ?", [effective_on, current["id"]])


def _check_version(values: dict) -> None:
    if values.get("level") not in LEVELS:
        raise RegistryError(_("a council's level is {choices}, not {value}").format(
            choices=LEVELS.choices(), value=repr(values.get("level"))))
    if values.get("kind") not in KINDS:
        raise RegistryError(_("a council's type is one of {choices}, not {value}").format(
            choices=KINDS.choices(None), value=repr(values.get("kind"))))
    if (values["level"] == "provincial") != (values.get("province_id") is None):
        raise RegistryError(_("a basic council belongs to exactly one province; a provincial one to none"))
    for name in ("gov", "gov_en", "name", "name_en"):
        if not values.get(name):
            raise RegistryError(_("a council needs a {field}").format(field=name))


_ENGLISH_UNITS = {"si": "City", "gun": "County", "gu": "District"}


def council_english(gov_en: str, kind: str) -> str:
    """The English name of a basic council, by the rule the councils themselves publish most:
    Cheongju-si → Cheongju City Council, Muju-gun → Muju County Council, Seocho-gu → Seocho District
    Council. A name that does not end in its unit (given by hand) is followed by "Council"."""
    unit = _ENGLISH_UNITS.get(kind)
    stem, _, suffix = gov_en.rpartition("-")
    if unit and stem and suffix.lower() == kind:
        return f"{stem} {unit} Council"
    return f"{gov_en} Council"


def council_names(gov: str, level: str, gov_en: str | None = None, kind: str | None = None) -> dict:
    """Korean and English names of a council from its local government's name."""
    from nalcoop.romanize import place_english

    english = gov_en or place_english(gov)
    kind = kind or {"시": "si", "군": "gun", "구": "gu"}.get(gov[-1:], "province")
    name_en = council_english(english, kind) if level == "basic" else f"{english} Council"
    return {"gov": gov, "gov_en": english, "name": f"{gov}의회", "name_en": name_en}

"""Later changes a librarian records (nalcoop registry rename, recode, move, abolish, create, split, merge).

A change's description is written in the language of the run, as a note a librarian typed would be: it is text
for people (`nalcoop registry changes` shows it), stored as written; the kind beside it is the code."""

from __future__ import annotations

import sqlite3

from nalcoop.i18n import _
from nalcoop.registry.lookup import normalize_name, resolve_province
from nalcoop.registry.records import KINDS, Council, RegistryError
from nalcoop.registry.versions import ChangeRecord, apply_operation, council_names, record_change


def _province_id(conn: sqlite3.Connection, province: str | None, on_date: str | None = None) -> int | None:
    return resolve_province(conn, province, on_date).id if province else None


def rename(conn, council: Council, gov: str, effective_on: str, source: str, *,
           gov_en: str | None = None, name_en: str | None = None, code: str | None = None) -> int:
    values = council_names(gov, council.level, gov_en, council.kind)
    if name_en:
        values["name_en"] = name_en
    if code:
        values["code"] = code
    description = f"{council.name} → {values['name']}" + (_("; code {old} → {new}").format(old=council.code, new=code)
                                                           if code else "")
    return record_change(conn, ChangeRecord("rename", effective_on, description, source),
                         [{"op": "update", "council": council.id, "set": values}])


def recode(conn, council: Council, code: str, effective_on: str, source: str) -> int:
    description = _("{council}: code {old} → {new}").format(council=council.label, old=council.code, new=code)
    return record_change(conn, ChangeRecord("recode", effective_on, description, source),
                         [{"op": "update", "council": council.id, "set": {"code": code}}])


def move(conn, council: Council, province: str, effective_on: str, source: str, *,
         code: str | None = None) -> int:
    if council.level != "basic":
        raise RegistryError(_("{council} is a provincial council; only basic councils move between provinces").format(
            council=council.name))
    target = resolve_province(conn, province, effective_on)
    values: dict = {"province_id": target.id}
    if code:
        values["code"] = code
    description = _("{council} moves from {old} to {new}").format(council=council.name, old=council.province,
                                                                  new=target.gov)
    return record_change(conn, ChangeRecord("move", effective_on, description, source),
                         [{"op": "update", "council": council.id, "set": values}])


def abolish(conn, council: Council, effective_on: str, source: str) -> int:
    description = _("{council} abolished").format(council=council.label)
    return record_change(conn, ChangeRecord("abolish", effective_on, description, source),
                         [{"op": "abolish", "council": council.id}])


def _new_council(conn, gov: str, kind: str, province: str | None, code: str | None,
                 gov_en: str | None, on_date: str | None = None) -> dict:
    level = "provincial" if kind == "province" else "basic"
    if level == "basic" and not province:
        raise RegistryError(_("a new council of type {kind} ({name}) needs --province, the province it belongs "
                              "to").format(kind=KINDS.said(kind), name=gov))
    values = {"level": level, "kind": kind, "code": code, "province_id": _province_id(conn, province, on_date)}
    values.update(council_names(gov, level, gov_en, kind))
    parent = f"{province} " if province else ""
    return {"op": "create", "key": f"recorded-{parent}{gov}".replace(" ", "-"), "set": values}


def create(conn, gov: str, kind: str, effective_on: str, source: str, *, province: str | None = None,
           code: str | None = None, gov_en: str | None = None) -> int:
    operation = _new_council(conn, gov, kind, province, code, gov_en, effective_on)
    name = operation["set"]["name"]
    description = (_("{council} created in {province}").format(council=name, province=province) if province
                   else _("{council} created").format(council=name))
    return record_change(conn, ChangeRecord("create", effective_on, description, source), [operation])


def split(conn, council: Council, new_govs: list[str], effective_on: str, source: str, *,
          kind: str | None = None, codes: list[str] | None = None) -> int:
    """New councils split off `council`, which continues."""
    codes = codes or []
    operations = [
        _new_council(conn, gov, kind or council.kind, council.province if council.level == "basic" else None,
                     codes[index] if index < len(codes) else None, None, effective_on)
        for index, gov in enumerate(new_govs)
    ]
    names = ", ".join(op["set"]["name"] for op in operations)
    description = _("{councils} split from {council}").format(councils=names, council=council.label)
    return record_change(conn, ChangeRecord("split", effective_on, description, source), operations)


def merge(conn, councils: list[Council], into: str, effective_on: str, source: str, *,
          kind: str | None = None, code: str | None = None, gov_en: str | None = None) -> int:
    """Merge councils: into one of them (which continues) or into a new council (all others end).

    Provinces merge too (광주광역시 + 전라남도 → 전남광주통합특별시): their basic councils move, with their
    names and codes, into the province that succeeds them. The successor carries the change in its history,
    which is how `successions` finds who succeeded whom.
    """
    if len(councils) < 2:
        raise RegistryError(_("a merger needs at least two councils; name every council that merges"))
    if len({c.id for c in councils}) != len(councils):
        raise RegistryError(_("the same council is named twice in the merger; name each council once"))
    if len({c.level for c in councils}) > 1:
        raise RegistryError(_("a merger joins councils of one level: provincial with provincial, basic with basic"))
    survivor = next((c for c in councils if normalize_name(into) in
                     {normalize_name(c.name), normalize_name(c.gov)}), None)
    names = " + ".join(c.label for c in councils)
    change_id = record_change(conn, ChangeRecord("merge", effective_on, f"{names} → {into}", source), [])
    change = ChangeRecord("merge", effective_on, "", source)
    if survivor is None:
        first = councils[0]
        province = first.province if first.level == "basic" else None
        operation = _new_council(conn, into, kind or first.kind, province, code, gov_en, effective_on)
        apply_operation(conn, change_id, change, operation)
        successor = conn.execute("select id from councils where key = ?", [operation["key"]]).fetchone()[0]
    else:
        successor = survivor.id
        # Even without a new code the survivor gets the day's version: its history shows the merger.
        apply_operation(conn, change_id, change, {"op": "update", "council": survivor.id,
                                                  "set": {"code": code} if code else {}})
    for council in councils:
        if council.id == successor:
            continue
        if council.level == "provincial":
            members = conn.execute(
                "select council_id from council_versions where province_id = ? and valid_to is null", [council.id]
            ).fetchall()
            for (member,) in members:
                apply_operation(conn, change_id, change, {"op": "update", "council": member,
                                                          "set": {"province_id": successor}})
        apply_operation(conn, change_id, change, {"op": "abolish", "council": council.id})
    return change_id

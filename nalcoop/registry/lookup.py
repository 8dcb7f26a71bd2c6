"""The effective-dated registry of Korea's local councils: who existed, under what name, when.

A council keeps one identity (councils.id) across renames, moves and code changes; each
state is a council_versions row valid from `valid_from` (inclusive) to `valid_to`
(exclusive). The state "as of D" (inclusive: the end of day D) is the version with
valid_from <= D < valid_to.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from dataclasses import dataclass, field

from nalcoop.dates import BEGINNING
from nalcoop.errors import NalcoopError, shortened
from nalcoop.names import nfc
from nalcoop.vocabulary import Term, Vocabulary

KINDS = Vocabulary("council kind", [
    Term("province", "시·도", "province", "a metropolitan city or province", aliases=("광역",)),
    Term("si", "시", "city"),
    Term("gun", "군", "county"),
    Term("gu", "구", "autonomous district", aliases=("자치구",)),
])
LEVELS = Vocabulary("council level", [
    Term("provincial", "광역의회", "provincial council", aliases=("광역",)),
    Term("basic", "기초의회", "basic council", aliases=("기초",)),
])
CHANGE_KINDS = Vocabulary("registry change", [
    Term("baseline", "기준 명단", "baseline", "the registry as first loaded"),
    Term("rename", "명칭 변경", "rename"),
    Term("recode", "코드 변경", "recode"),
    Term("move", "관할 변경", "move", "to another province"),
    Term("merge", "통합", "merge"),
    Term("split", "분리", "split"),
    Term("abolish", "폐지", "abolition"),
    Term("create", "신설", "creation"),
    Term("reorganize", "개편", "reorganization"),
])
CHANGE_ORIGINS = Vocabulary("registry change origin", [
    Term("shipped", "기본 제공", "shipped", "with nalcoop"),
    Term("recorded", "직접 기록", "recorded", "by a librarian"),
])
VERSION_FIELDS = ("level", "kind", "province_id", "code", "gov", "gov_en", "name", "name_en")


class RegistryError(NalcoopError):
    pass


class CouncilNotFound(RegistryError):
    pass


class AmbiguousCouncil(RegistryError):
    pass


@dataclass(frozen=True)
class Council:
    id: int
    key: str
    name: str
    name_en: str
    gov: str
    gov_en: str
    level: str
    kind: str
    code: str | None
    province: str  # the provincial government's name in the same version's time
    province_id: int | None
    valid_from: str
    valid_to: str | None

    @property
    def label(self) -> str:
        """How a librarian tells two 중구의회 apart: the province comes first."""
        if self.level == "provincial":
            return self.name
        return f"{self.province} {self.name}"


# ---------------------------------------------------------------- queries

_AS_OF_SQL = """
    select v.council_id as id, c.key, v.name, v.name_en, v.gov, v.gov_en, v.level, v.kind, v.code,
           coalesce(p.gov, v.gov) as province, v.province_id, v.valid_from, v.valid_to,
           coalesce(p.code, v.code) as province_code
    from council_versions v
    join councils c on c.id = v.council_id
    left join council_versions p on p.council_id = v.province_id
         and p.valid_from <= :d and (p.valid_to is null or p.valid_to > :d)
    where v.valid_from <= :d and (v.valid_to is null or v.valid_to > :d)
"""


def councils_as_of(
    conn: sqlite3.Connection,
    as_of: str,
    *,
    level: str | None = None,
    province: str | None = None,
) -> list[Council]:
    """Every council that existed at the end of `as_of`, in province then code order."""
    rows = conn.execute(_AS_OF_SQL, {"d": as_of}).fetchall()
    province_id = resolve_province(conn, province, as_of).id if province else None
    result = []
    for row in rows:
        if level and row["level"] != level:
            continue
        if province_id is not None and province_id not in (row["id"], row["province_id"]):
            continue
        result.append(row)
    result.sort(key=lambda r: (r["province_code"] or "", r["level"] != "provincial", r["code"] or "", r["name"]))
    return [_council(row) for row in result]


def _council(row: sqlite3.Row) -> Council:
    return Council(
        row["id"], row["key"], row["name"], row["name_en"], row["gov"], row["gov_en"], row["level"],
        row["kind"], row["code"], row["province"], row["province_id"], row["valid_from"], row["valid_to"],
    )


def council_as_of(conn: sqlite3.Connection, council_id: int, as_of: str) -> Council | None:
    row = conn.execute(_AS_OF_SQL + " and v.council_id = :id", {"d": as_of, "id": council_id}).fetchone()
    return _council(row) if row else None


def latest_version(conn: sqlite3.Connection, council_id: int) -> Council:
    """The council's newest state (for an abolished council, the last one it had)."""
    row = conn.execute(
        "select valid_from from council_versions where council_id = ? order by valid_from desc limit 1",
        [council_id],
    ).fetchone()
    council = council_as_of(conn, council_id, row["valid_from"])
    assert council is not None
    return council


def versions_of(conn: sqlite3.Connection, council_id: int) -> list[dict]:
    rows = conn.execute(
        """select v.*, r.kind as change_kind, r.description, r.source, r.effective_on
           from council_versions v join registry_changes r on r.id = v.change_id
           where v.council_id = ? order by v.valid_from""",
        [council_id],
    ).fetchall()
    return [dict(row) for row in rows]


def changes(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute(
        """select r.id, r.effective_on, r.kind, r.description, r.source, r.origin,
                  (select count(*) from council_versions v where v.change_id = r.id) as versions
           from registry_changes r order by r.effective_on, r.id"""
    ).fetchall()
    return [dict(row) for row in rows]


# ---------------------------------------------------------------- names

_SUFFIX_KO = re.compile(r"의회$")
_SUFFIX_EN = re.compile(r"(council|assembly)$")


@functools.lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    compact = re.sub(r"[\s\-_.,·()'\"]+", "", nfc(text)).lower()  # nfc: a name recorded decomposed still matches
    compact = _SUFFIX_KO.sub("", compact)
    return _SUFFIX_EN.sub("", compact)


# Short names fixed by law beside the full name, with their source: written like any other name of the
# province (전남광주통합특별시 is also 광주특별시, and so 광주, 광주시 — as 서울특별시 is 서울, 서울시).
SHORT_NAMES = {
    # 「전남광주통합특별시 설치를 위한 특별법」 (법률 제21446호), in force 2026-07-01: short name 광주특별시.
    "전남광주통합특별시": ("광주특별시",),
}


@functools.lru_cache(maxsize=1024)
def province_short_forms(gov: str) -> frozenset[str]:
    """서울특별시 → 서울, 서울시; 충청북도 → 충북; 강원특별자치도 → 강원, 강원도; 전북특별자치도 → 전북, 전북도;
    전남광주통합특별시 → 광주특별시, 광주, 광주시 (its short name in law)."""
    forms = {gov}
    for written in (gov, *SHORT_NAMES.get(gov, ())):
        forms.add(written)
        for suffix in ("특별자치시", "특별자치도", "특별시", "광역시"):
            if written.endswith(suffix):
                stem = written[: -len(suffix)]
                forms |= {stem, stem + ("시" if suffix.endswith("시") else "도")}
                break
        if written.endswith("도") and not written.endswith("특별자치도"):
            stem = written[:-1]
            forms.add(stem)
            if len(stem) == 3:  # 충청북 → 충북, 경상남 → 경남, 전라북 → 전북
                forms.add(stem[0] + stem[2])
    return frozenset(normalize_name(form) for form in forms)


def _english_forms(gov_en: str | None) -> set[str]:
    """Seoul → seoul; Gyeonggi-do → gyeonggido, gyeonggi; Gangwon State → gangwonstate, gangwon."""
    if not gov_en:
        return set()
    full = normalize_name(gov_en)
    forms = {full}
    for suffix in ("do", "state"):
        if full.endswith(suffix) and len(full) > len(suffix) + 2:
            forms.add(full[: -len(suffix)])
    return forms


def _stem(gov: str) -> str | None:
    """종로구 → 종로; 중구 has no usable stem (one syllable would match anything)."""
    if gov[-1:] in ("시", "군", "구") and len(gov) >= 3:
        return gov[:-1]
    return None


def _english_stem(gov_en: str) -> str | None:
    match = re.match(r"^(.+)-(si|gun|gu|do)$", gov_en)
    return match.group(1) if match and len(match.group(1)) > 2 else None


Period = tuple[str, "str | None"]  # (valid_from, valid_to) of the version that bore a name


@dataclass
class _NameIndex:
    # name key -> council id -> the periods in which that council bore the name. Two tiers: names
    # (full, short, English, code, and a province's short forms, which collide with basic councils'
    # names: 광주시 is 광주광역시 and 경기도 광주시), then loose stems (종로 for 종로구).
    tiers: list[dict[str, dict[int, list[Period]]]]
    lives: dict[int, Period]  # when each council existed: first day, and the day it ended (or None)


def _registry_key(conn: sqlite3.Connection) -> tuple:
    # Every registry write adds a version, ends one (valid_to) or re-points one (change_id).
    return tuple(
        conn.execute(
            "select count(*), max(id), max(change_id), count(valid_to), max(valid_to) from council_versions"
        ).fetchone()
    )


def _name_index(conn: sqlite3.Connection) -> _NameIndex:
    key = _registry_key(conn)
    # Kept on the ledger's connection, rebuilt only when the registry changes: a 500-row import
    # resolves 500 names, and rebuilding the index each time cost about 20 ms a name.
    cached = getattr(conn, "name_index", None)
    if cached and cached[0] == key:
        return cached[1]
    index = _build_name_index(conn)
    with contextlib.suppress(AttributeError):  # a plain sqlite3 connection holds no attributes
        conn.name_index = (key, index)
    return index


def _build_name_index(conn: sqlite3.Connection) -> _NameIndex:
    rows = conn.execute(
        """select v.council_id, v.level, v.gov, v.gov_en, v.name, v.name_en, v.code,
                  v.valid_to, v.valid_from, p.gov as province, p.gov_en as province_en
           from council_versions v
           left join council_versions p on p.council_id = v.province_id
                and p.valid_from < coalesce(v.valid_to, '9999-12-31')
                and (p.valid_to is null or p.valid_to > v.valid_from)
           order by v.valid_from"""
    ).fetchall()
    names: dict[str, dict[int, list[Period]]] = {}
    loose: dict[str, dict[int, list[Period]]] = {}
    lives: dict[int, Period] = {}

    for row in rows:
        council_id = row["council_id"]
        period = (row["valid_from"], row["valid_to"])

        def add(tier: dict[str, dict[int, list[Period]]], text: str | None) -> None:
            if text:
                periods = tier.setdefault(normalize_name(text), {}).setdefault(council_id, [])  # noqa: B023
                if period not in periods:  # noqa: B023
                    periods.append(period)  # noqa: B023

        # Rows come in valid_from order: a council's first row says when it began, its last when it ended.
        lives[council_id] = (lives[council_id][0] if council_id in lives else row["valid_from"], row["valid_to"])
        for text in (row["name"], row["gov"], row["name_en"], row["gov_en"], row["code"]):
            add(names, text)
        if row["level"] == "provincial":
            for form in (*province_short_forms(row["gov"]), *_FORMER_ENGLISH.get(row["gov"], ())):
                add(names, form)
            continue
        stem, stem_en = _stem(row["gov"]), _english_stem(row["gov_en"])
        add(loose, stem)
        add(loose, stem_en)
        for province in province_short_forms(row["province"] or ""):
            add(names, province + normalize_name(row["gov"]))
            if stem:
                add(loose, province + normalize_name(stem))
        for province_en in _english_forms(row["province_en"]):
            add(names, province_en + normalize_name(row["gov_en"]))
    return _NameIndex([names, loose], lives)


def resolve(conn: sqlite3.Connection, text: str, *, province: str | None = None,
            on_date: str | None = None) -> Council:
    """From what a librarian typed to one council, or an error naming the candidates.

    Accepts the full Korean name, short forms (서울시의회, 서울 종로구, 종로구), the English
    name or the administrative code, with spacing and the 의회/Council suffix optional.
    `on_date` (the day of a step, a row or a listing) keeps the councils that existed that day, and
    among them prefers the ones that bore the name that day; the council is returned as it stood then.
    `province` (a spreadsheet's 시도 column, say) settles a name shared by several councils and is
    checked against a name that needs no settling. A name still shared is refused with every candidate.
    """
    query = str(text).strip()
    if not query:
        raise CouncilNotFound("a council name is empty; give a name such as 종로구의회 or a code")
    key = normalize_name(query)
    index = _name_index(conn)
    if not index.lives:
        raise RegistryError("the council registry is empty; run `nalcoop init` to load it")
    province_key = normalize_name(province) if province and str(province).strip() else None
    for tier in index.tiers:
        found = tier.get(key)
        if not found:
            continue
        candidates = set(found)
        if province_key:
            settled = {c for c in candidates if province_key in _province_forms_of(conn, c)}
            if not settled:
                shown = "; ".join(_candidate_label(conn, index, c, on_date) for c in sorted(candidates))
                raise RegistryError(f"{shown} {'is' if len(candidates) == 1 else 'are'} not in "
                                    f"{shortened(province)}; check the name or the province")
            candidates = settled
        if on_date:
            alive = {c for c in candidates if _lived_on(index.lives[c], on_date)}
            if not alive:
                gone = "; ".join(_candidate_label(conn, index, c, on_date, sentence=True) for c in sorted(candidates))
                raise CouncilNotFound(f"'{shortened(text)}' names no council that existed on {on_date}: {gone}; "
                                      "give the council of that day")
            named_then = {c for c in alive if any(_lived_on(period, on_date) for period in found[c])}
            candidates = named_then or alive
        if len(candidates) == 1:
            council_id = next(iter(candidates))
            return council_then(conn, council_id, on_date)
        shown = "; ".join(sorted(_candidate_label(conn, index, c, on_date) for c in candidates))
        when = f" on {on_date}" if on_date else ""
        raise AmbiguousCouncil(
            f"'{shortened(text)}' matches {len(candidates)} councils{when}: {shown}. "
            f"Add the province ({_settling(conn, candidates, on_date)}; in a name, as in '대구 중구') or give the code"
        )
    # No name is near 100 characters: a longer text is no typo, and fuzzy matching it costs a second.
    suggestions = _suggest(conn, index, key, on_date) if len(key) <= 100 else []
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise CouncilNotFound(
        f"no council is called '{shortened(text)}'{hint} (`nalcoop agreement councils` lists them all)"
    )


def _settling(conn: sqlite3.Connection, candidates: set[int], on_date: str | None) -> str:
    """The --province values that tell the candidates apart (광주시의회 in 2020: --province 경기 or --province
    광주), at most three, shortest form first."""
    values = []
    for council_id in sorted(candidates):
        council = council_then(conn, council_id, on_date)
        province = council.gov if council.level == "provincial" else council.province
        short = min(province_short_forms(province or ""), key=len, default=None)
        if short and short not in values:
            values.append(short)
    shown = [f"--province {value}" for value in values[:3]]
    if len(shown) < 2:
        return "e.g. --province 대구"
    more = ", …" if len(values) > 3 else ""
    return (f"such as {', '.join(shown[:-1])} or {shown[-1]}{more}" if len(shown) > 2
            else f"{shown[0]} or {shown[1]}")


def _lived_on(period: Period, day: str) -> bool:
    return period[0] <= day and (period[1] is None or period[1] > day)


def _candidate_label(conn: sqlite3.Connection, index: _NameIndex, council_id: int, on_date: str | None,
                     *, sentence: bool = False) -> str:
    """'인천광역시 중구의회 (abolished on 2026-07-01)': the council with its province and its dates, as it
    stood on the day asked about (or last stood); `sentence` words it 'was abolished on ...'."""
    council = council_then(conn, council_id, on_date)
    first, ended = index.lives[council_id]
    dates = []
    if first > BEGINNING:
        dates.append(f"created on {first}")
    if ended:
        dates.append(f"abolished on {ended}")
    if sentence:
        return f"{council.label} {'was ' + ' and '.join(dates) if dates else 'existed'}"
    return f"{council.label} ({', '.join(dates)})" if dates else council.label


def _province_forms_of(conn: sqlite3.Connection, council_id: int) -> set[str]:
    """Every way of writing the council's province, under any of its names over time; a council that
    moved (군위군, or 광주 동구 into 전남광주통합특별시) is accepted under every province it belonged to."""
    forms: set[str] = set()
    for gov, gov_en in conn.execute(
        """select distinct p.gov, p.gov_en from council_versions v
           join council_versions p on p.council_id = coalesce(v.province_id, v.council_id)
           where v.council_id = ?""",
        [council_id],
    ):
        forms |= province_short_forms(gov) | _english_forms(gov_en)
    return forms


def _suggest(conn: sqlite3.Connection, index: _NameIndex, key: str, on_date: str | None, limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    choices: dict[str, set[int]] = {}
    for tier in index.tiers:
        for name, ids in tier.items():
            choices.setdefault(name, set()).update(ids)
    matches = process.extract(key, list(choices), scorer=fuzz.WRatio, limit=30, score_cutoff=60)
    suggestions: list[str] = []
    for name, _score, _ in matches:
        for council_id in sorted(choices[name]):
            label = _candidate_label(conn, index, council_id, on_date)
            if label not in suggestions:
                suggestions.append(label)
        if len(suggestions) >= limit:
            break
    return suggestions[:limit]


def resolve_province(conn: sqlite3.Connection, text: str, as_of: str | None = None) -> Council:
    """A province or metropolitan city, as it stood on `as_of` (光州 in 2020 is 광주광역시; in 2026-08, the
    merged 전남광주통합특별시, whose short name is 광주특별시)."""
    try:
        council = resolve(conn, text, on_date=as_of)
    except CouncilNotFound:
        gone = _province_gone(conn, text, as_of)
        if gone:
            raise RegistryError(gone) from None
        raise
    if council.level != "provincial":
        council = council_then(conn, council.province_id, as_of) if council.province_id else council
        if normalize_name(text) not in province_short_forms(council.gov):
            raise RegistryError(f"'{text}' is not a province or metropolitan city; give one such as 경기도 or 서울")
    return council


def _province_gone(conn: sqlite3.Connection, text: str, as_of: str | None) -> str | None:
    """The sentence for a province that did not exist on `as_of` (전남 after 2026-07-01): what it became, and
    how to ask for it; None when `text` names no former province."""
    try:
        former = resolve(conn, text)
    except RegistryError:
        return None
    if former.level != "provincial" or as_of is None:
        return None
    first, ended = _name_index(conn).lives[former.id]
    for successor, predecessors, day in successions(conn):
        if former.id in predecessors and ended == day:
            now = council_then(conn, successor, as_of)
            return (f"'{shortened(text)}' ({former.gov}) did not exist on {as_of}: it was merged into {now.gov} on "
                    f"{day}; give {now.gov} for that day, or --as-of a day before {day} for {former.gov}")
    if ended and ended <= as_of:
        return (f"'{shortened(text)}' ({former.gov}) did not exist on {as_of}: it ended on {ended}; give --as-of a "
                f"day before {ended}")
    if first > as_of:
        return f"'{shortened(text)}' ({former.gov}) did not exist yet on {as_of}: it began on {first}"
    return None


# ---------------------------------------------------------------- regions (where a recipient is)


def region_of(council: Council) -> str:
    """The local government's own name, with its province: 전라남도 신안군 (or 세종특별자치시)."""
    return council.gov if council.level == "provincial" else f"{council.province} {council.gov}"


def resolve_region(conn: sqlite3.Connection, text: str, on_date: str, *, province: str | None = None) -> Council:
    """A local government from what a librarian typed ('전라남도 신안군', '신안군', '세종'), existing on `on_date`.

    `province` (a list's 시도 column) settles a shared name such as 중구 and is checked against the region.
    """
    if not str(text or "").strip():
        raise RegistryError("the region is empty; give the local government, such as '전라남도 신안군'")
    council = resolve(conn, text, province=province or None, on_date=on_date)
    current = council_as_of(conn, council.id, on_date)
    if current is None:
        last = latest_version(conn, council.id)
        raise RegistryError(
            f"{region_of(last)} did not exist on {on_date} (it was in the registry from {last.valid_from}"
            f"{' to ' + last.valid_to if last.valid_to else ''}); give the local government of that day"
        )
    return current


def council_then(conn: sqlite3.Connection, council_id: int, as_of: str | None) -> Council:
    """The council's state on a day, or its last state if it no longer existed then."""
    if as_of:
        council = council_as_of(conn, council_id, as_of)
        if council is not None:
            return council
    return latest_version(conn, council_id)


# ---------------------------------------------------------------- changes


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
        raise RegistryError(f"unknown change kind '{change.kind}'")
    if not change.source.strip():
        raise RegistryError("every registry change needs a source (a law, a notice, a press report)")
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
        raise RegistryError(f"unknown registry operation '{op}'")


def _open_version(conn: sqlite3.Connection, council_id: int, effective_on: str) -> sqlite3.Row:
    row = conn.execute(
        "select * from council_versions where council_id = ? order by valid_from desc limit 1",
        [council_id],
    ).fetchone()
    name = f"{row['name']}" if row else f"council {council_id}"
    if row is None or row["valid_to"] is not None:
        ended = f" on {row['valid_to']}" if row else ""
        raise RegistryError(f"{name} no longer exists (abolished{ended}); it cannot change on {effective_on}")
    if row["valid_from"] > effective_on:
        raise RegistryError(
            f"{name} already has a change dated {row['valid_from']}, after {effective_on}; "
            "record registry changes in date order"
        )
    return row


def _create(conn, key: str, values: dict, valid_from: str, change_id: int) -> int:
    _check_version(values)
    if conn.execute("select 1 from councils where key = ?", [key]).fetchone():
        raise RegistryError(f"a council with key '{key}' already exists")
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
        raise RegistryError(f"{current['name']} cannot be abolished on the day it came into being")
    if current["level"] == "provincial":
        members = conn.execute(
            "select count(*) from council_versions where province_id = ? and valid_to is null",
            [council_id],
        ).fetchone()[0]
        if members:
            raise RegistryError(
                f"{current['name']} still has {members} basic councils; move or abolish them first"
            )
    conn.execute("update council_versions set valid_to = ? where id = ?", [effective_on, current["id"]])


def _check_version(values: dict) -> None:
    if values.get("level") not in LEVELS:
        raise RegistryError(f"level must be provincial or basic, not {values.get('level')!r}")
    if values.get("kind") not in KINDS:
        raise RegistryError(f"kind must be one of {', '.join(KINDS)}, not {values.get('kind')!r}")
    if (values["level"] == "provincial") != (values.get("province_id") is None):
        raise RegistryError("a basic council belongs to exactly one province; a provincial one to none")
    for name in ("gov", "gov_en", "name", "name_en"):
        if not values.get(name):
            raise RegistryError(f"a council needs a {name}")


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


# ---------------------------------------------------------------- shipped data


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
            "baseline", str(baseline["as_of"]), f"Council registry as it stood on {baseline['as_of']}",
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
            report.conflicts.append(f"{change.key} ({change.effective_on}) not applied: " + "; ".join(conflicts))
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
            report.recognised.append(f"{change.key}: already recorded by hand as change "
                                     f"{', '.join(str(n) for n in hand)}"
                                     + (f"; its {', '.join(filled)} filled in" if filled else "")
                                     + ("; the rest added" if pending else ""))
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
                conflicts.append(f"a council with key {operation['key']} already exists")
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
                conflicts.append(f"{values['name']} was recorded by hand as created on {first['valid_from']}; "
                                 f"the law creates it on {day}")
                continue
            done.add(first["change_id"])
            fill = {f: values[f] for f in ("code", "name_en") if values.get(f) and first[f] != values[f]}
            if fill:
                pending.append({"op": "update", "council": operation["key"], "set": fill})
            continue
        target = council_id(operation["council"])
        if target is None:
            conflicts.append(f"council {operation['council']} is not in this ledger")
            continue
        versions = conn.execute("select * from council_versions where council_id = ? order by valid_from",
                                [target]).fetchall()
        name = versions[-1]["name"]
        if op == "abolish":
            ended = versions[-1]["valid_to"]
            if ended == day:
                done.add(versions[-1]["change_id"])  # the version it ended with; the abolition has no row
            elif ended:
                conflicts.append(f"{name} was recorded by hand as abolished on {ended}; the law abolishes it on {day}")
            elif versions[-1]["valid_from"] > day:
                conflicts.append(f"{name} has a change recorded on {versions[-1]['valid_from']}, after {day}")
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
            conflicts.append(f"{name} did not exist on {day} in this ledger")
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
                conflicts.append(f"{name}: {f} {value} was recorded by hand on {start['valid_from']} (change "
                                 f"{made_by[0]}); the law dates it {day}")
            elif made_by:
                done.add(made_by[0])
        if not differ:
            continue
        if later:
            conflicts.append(f"{name} has a change recorded on {later[0]['valid_from']}, after {day}; "
                             "the shipped change cannot come before it")
            continue
        if then["valid_from"] == day and hand_change(then):
            before = next((v for v in reversed(versions) if v["valid_from"] < day), None)
            # English names are filled in, not contradicted: an earlier nalcoop wrote them by another rule.
            touched = {f: then[f] for f in differ
                       if f not in ("gov_en", "name_en") and before is not None and before[f] != then[f]}
            if touched:
                shown = ", ".join(f"{f} {value}" for f, value in touched.items())
                conflicts.append(f"{name} was changed by hand on {day} (change {then['change_id']}: {shown}); "
                                 f"the law says {', '.join(f'{f} {differ[f]}' for f in touched)}")
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


# English names an earlier nalcoop shipped that the council itself writes otherwise.
# English names an earlier nalcoop printed for a council that publishes another (in its listings and every CSV a
# librarian exported): still understood when typed, never printed again.
_FORMER_ENGLISH = {"경기도": ("Gyeonggi Provincial Council",)}
_OLD_PROVINCIAL_ENGLISH = {name for names in _FORMER_ENGLISH.values() for name in names}


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
            raise RegistryError(f"shipped registry refers to unknown council key {key}")
        return row[0]

    if not change.source.strip():
        raise RegistryError("every registry change needs a source")
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


# ---------------------------------------------------------------- recording later changes


def _province_id(conn: sqlite3.Connection, province: str | None, on_date: str | None = None) -> int | None:
    return resolve_province(conn, province, on_date).id if province else None


def rename(conn, council: Council, gov: str, effective_on: str, source: str, *,
           gov_en: str | None = None, name_en: str | None = None, code: str | None = None) -> int:
    values = council_names(gov, council.level, gov_en, council.kind)
    if name_en:
        values["name_en"] = name_en
    if code:
        values["code"] = code
    description = f"{council.name} → {values['name']}" + (f"; code {council.code} → {code}" if code else "")
    return record_change(conn, ChangeRecord("rename", effective_on, description, source),
                         [{"op": "update", "council": council.id, "set": values}])


def recode(conn, council: Council, code: str, effective_on: str, source: str) -> int:
    description = f"{council.label}: code {council.code} → {code}"
    return record_change(conn, ChangeRecord("recode", effective_on, description, source),
                         [{"op": "update", "council": council.id, "set": {"code": code}}])


def move(conn, council: Council, province: str, effective_on: str, source: str, *,
         code: str | None = None) -> int:
    if council.level != "basic":
        raise RegistryError(f"{council.name} is provincial-level; only basic councils move between provinces")
    target = resolve_province(conn, province, effective_on)
    values: dict = {"province_id": target.id}
    if code:
        values["code"] = code
    description = f"{council.name} moves from {council.province} to {target.gov}"
    return record_change(conn, ChangeRecord("move", effective_on, description, source),
                         [{"op": "update", "council": council.id, "set": values}])


def abolish(conn, council: Council, effective_on: str, source: str) -> int:
    return record_change(conn, ChangeRecord("abolish", effective_on, f"{council.label} abolished", source),
                         [{"op": "abolish", "council": council.id}])


def _new_council(conn, gov: str, kind: str, province: str | None, code: str | None,
                 gov_en: str | None, on_date: str | None = None) -> dict:
    level = "provincial" if kind == "province" else "basic"
    if level == "basic" and not province:
        raise RegistryError(f"a new {kind} council needs --province")
    values = {"level": level, "kind": kind, "code": code, "province_id": _province_id(conn, province, on_date)}
    values.update(council_names(gov, level, gov_en, kind))
    parent = f"{province} " if province else ""
    return {"op": "create", "key": f"recorded-{parent}{gov}".replace(" ", "-"), "set": values}


def create(conn, gov: str, kind: str, effective_on: str, source: str, *, province: str | None = None,
           code: str | None = None, gov_en: str | None = None) -> int:
    operation = _new_council(conn, gov, kind, province, code, gov_en, effective_on)
    description = f"{operation['set']['name']} created" + (f" in {province}" if province else "")
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
    return record_change(conn, ChangeRecord("split", effective_on, f"{names} split from {council.label}", source),
                         operations)


def merge(conn, councils: list[Council], into: str, effective_on: str, source: str, *,
          kind: str | None = None, code: str | None = None, gov_en: str | None = None) -> int:
    """Merge councils: into one of them (which continues) or into a new council (all others end).

    Provinces merge too (광주광역시 + 전라남도 → 전남광주통합특별시): their basic councils move, with their
    names and codes, into the province that succeeds them. The successor carries the change in its history,
    which is how `successions` finds who succeeded whom.
    """
    if len(councils) < 2:
        raise RegistryError("a merger needs at least two councils")
    if len({c.id for c in councils}) != len(councils):
        raise RegistryError("the same council is named twice in the merger")
    if len({c.level for c in councils}) > 1:
        raise RegistryError("a merger joins councils of one level: provincial with provincial, basic with basic")
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


def successions(conn: sqlite3.Connection) -> list[tuple[int, list[int], str]]:
    """(successor, predecessors, merger day) for every merger in the registry.

    The successor is the council the merger created (or the survivor it gave the day's version to) at the
    level of the councils it ended; the predecessors are the councils of that level, and for basic councils
    of that province, whose existence ended on the merger day.
    """
    key = _registry_key(conn)
    cached = getattr(conn, "successions_cache", None)
    if cached and cached[0] == key:  # asked on every agreement step: kept until the registry changes
        return cached[1]
    found = []
    for change_id, day in conn.execute("select id, effective_on from registry_changes where kind = 'merge'"):
        touched = conn.execute(
            """select v.council_id, v.level, v.province_id,
                      (select min(x.valid_from) from council_versions x where x.council_id = v.council_id) as first
               from council_versions v where v.change_id = ? and v.valid_from = ?""", [change_id, day]).fetchall()
        ended = conn.execute(
            """select v.council_id, v.level, v.province_id from council_versions v
               where v.valid_to = ? and not exists (select 1 from council_versions x
                     where x.council_id = v.council_id and x.valid_from >= ?)""", [day, day]).fetchall()
        levels = {row["level"] for row in ended}
        candidates = [row for row in touched if row["level"] in levels]
        candidates.sort(key=lambda row: row["first"] != day)  # a council the merger created comes first
        if not candidates:
            continue
        successor = candidates[0]
        predecessors = [row["council_id"] for row in ended if row["level"] == successor["level"]
                        and (successor["level"] == "provincial" or row["province_id"] == successor["province_id"])]
        if successor["level"] == "provincial" and len(predecessors) > 1:
            # Two mergers of provinces on one day (대구·경북 and 대전·충남 were planned together): a province
            # is the successor's predecessor when its basic councils moved into the successor that day.
            moved_from = {row[0] for row in conn.execute(
                """select old.province_id from council_versions old join council_versions new
                   on new.council_id = old.council_id and new.valid_from = old.valid_to
                   where old.valid_to = ? and new.province_id = ?""", [day, successor["council_id"]])}
            predecessors = [council for council in predecessors if council in moved_from] or predecessors
        if predecessors:
            found.append((successor["council_id"], predecessors, day))
    with contextlib.suppress(AttributeError):
        conn.successions_cache = (key, found)
    return found

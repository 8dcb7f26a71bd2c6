"""From what a librarian typed to one council: every way a council's name is written (Korean, short, English,
code, a province's short forms), the index of them over time, resolve() and its refusals that name the
candidates; provinces and regions (where a recipient is); the councils of a day."""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from typing import NamedTuple

from nalcoop.dates import BEGINNING
from nalcoop.errors import shortened
from nalcoop.i18n import _, ngettext
from nalcoop.names import nfc
from nalcoop.registry.queries import (
    _AS_OF_SQL,
    _council,
    _registry_key,
    council_as_of,
    council_then,
    latest_version,
    successions,
)
from nalcoop.registry.records import AmbiguousCouncil, Council, CouncilNotFound, RegistryError

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


# English names an earlier nalcoop printed for a council that publishes another (in its listings and every CSV a
# librarian exported): still understood when typed, never printed again.
_FORMER_ENGLISH = {"경기도": ("Gyeonggi Provincial Council",)}
_OLD_PROVINCIAL_ENGLISH = {name for names in _FORMER_ENGLISH.values() for name in names}


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


class _NameIndex(NamedTuple):
    # name key -> council id -> the periods in which that council bore the name. Two tiers: names
    # (full, short, English, code, and a province's short forms, which collide with basic councils'
    # names: 광주시 is 광주광역시 and 경기도 광주시), then loose stems (종로 for 종로구).
    tiers: list[dict[str, dict[int, list[Period]]]]
    lives: dict[int, Period]  # when each council existed: first day, and the day it ended (or None)


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
        raise CouncilNotFound(_("a council name is empty; give a name such as 종로구의회 or a code"))
    key = normalize_name(query)
    index = _name_index(conn)
    if not index.lives:
        raise RegistryError(_("the council registry is empty; run `nalcoop init` to load it"))
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
                raise RegistryError(ngettext("{shown} is not in {province}; check the name or the province",
                                             "{shown} are not in {province}; check the name or the province",
                                             len(candidates)).format(shown=shown, province=shortened(province)))
            candidates = settled
        if on_date:
            alive = {c for c in candidates if _lived_on(index.lives[c], on_date)}
            if not alive:
                gone = "; ".join(_candidate_label(conn, index, c, on_date, sentence=True) for c in sorted(candidates))
                raise CouncilNotFound(_("'{name}' names no council that existed on {day}: {gone}; give the council "
                                        "of that day").format(name=shortened(text), day=on_date, gone=gone))
            named_then = {c for c in alive if any(_lived_on(period, on_date) for period in found[c])}
            candidates = named_then or alive
        if len(candidates) == 1:
            council_id = next(iter(candidates))
            return council_then(conn, council_id, on_date)
        shown = "; ".join(sorted(_candidate_label(conn, index, c, on_date) for c in candidates))
        settle = _settling(conn, candidates, on_date)
        if on_date:
            message = _("'{name}' matches {count} councils on {day}: {shown}. Add the province ({settle}; in a "
                        "name, as in '대구 중구') or give the code")
        else:
            message = _("'{name}' matches {count} councils: {shown}. Add the province ({settle}; in a name, as "
                        "in '대구 중구') or give the code")
        raise AmbiguousCouncil(message.format(name=shortened(text), count=len(candidates), day=on_date, shown=shown,
                                              settle=settle))
    # No name is near 100 characters: a longer text is no typo, and fuzzy matching it costs a second.
    suggestions = _suggest(conn, index, key, on_date) if len(key) <= 100 else []
    if suggestions:
        raise CouncilNotFound(_("no council is called '{name}'; did you mean {suggestions}? (`nalcoop agreement "
                                "councils` lists them all)").format(name=shortened(text),
                                                                   suggestions=", ".join(suggestions)))
    raise CouncilNotFound(_("no council is called '{name}' (`nalcoop agreement councils` lists them all)")
                          .format(name=shortened(text)))


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
        return _("e.g. {option}").format(option="--province 대구")
    more = ", …" if len(values) > 3 else ""
    if len(shown) > 2:
        return _("such as {options} or {last}").format(options=", ".join(shown[:-1]), last=shown[-1]) + more
    return _("{first} or {second}").format(first=shown[0], second=shown[1])


def _lived_on(period: Period, day: str) -> bool:
    return period[0] <= day and (period[1] is None or period[1] > day)


def _candidate_label(conn: sqlite3.Connection, index: _NameIndex, council_id: int, on_date: str | None,
                     *, sentence: bool = False) -> str:
    """'인천광역시 중구의회 (abolished on 2026-07-01)': the council with its province and its dates, as it
    stood on the day asked about (or last stood); `sentence` words it 'was abolished on ...'."""
    council = council_then(conn, council_id, on_date)
    first, ended = index.lives[council_id]
    created = first > BEGINNING
    if sentence:
        if created and ended:
            said = _("{council} was created on {first} and abolished on {ended}")
        elif created:
            said = _("{council} was created on {first}")
        elif ended:
            said = _("{council} was abolished on {ended}")
        else:
            said = _("{council} existed")
        return said.format(council=council.label, first=first, ended=ended)
    dates = ([_("created on {day}").format(day=first)] if created else []) + (
        [_("abolished on {day}").format(day=ended)] if ended else [])
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
    for name, _score, _key in matches:
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
            raise RegistryError(_("'{name}' is not a province or metropolitan city; give one such as 경기도 or 서울")
                                .format(name=text))
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
    # '전남' (전라남도), but 전라남도 once: the name as typed only when it is not the province's own
    named = former.gov if normalize_name(text) == normalize_name(former.gov) else _("'{name}' ({former})").format(
        name=shortened(text), former=former.gov)
    for successor, predecessors, day in successions(conn):
        if former.id in predecessors and ended == day:
            now = council_then(conn, successor, as_of)
            return _("{province} does not exist as of {as_of} (merged into {now} on {day}); give {now}, or --as-of a "
                     "day before {day} for {former}").format(
                province=named, former=former.gov, as_of=as_of, now=now.gov, day=day)
    if ended and ended <= as_of:
        return _("{province} does not exist as of {as_of} (it ended on {ended}); give --as-of a day before "
                 "{ended}").format(province=named, as_of=as_of, ended=ended)
    if first > as_of:
        return _("{province} did not exist yet on {as_of}: it began on {first}").format(
            province=named, as_of=as_of, first=first)
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
        raise RegistryError(_("the region is empty; give the local government, such as '전라남도 신안군'"))
    council = resolve(conn, text, province=province or None, on_date=on_date)
    current = council_as_of(conn, council.id, on_date)
    if current is None:
        last = latest_version(conn, council.id)
        if last.valid_to:
            message = _("{region} did not exist on {day} (it was in the registry from {start} to {end}); give the "
                        "local government of that day")
        else:
            message = _("{region} did not exist on {day} (it was in the registry from {start}); give the local "
                        "government of that day")
        raise RegistryError(message.format(region=region_of(last), day=on_date, start=last.valid_from,
                                           end=last.valid_to))
    return current


# ---------------------------------------------------------------- the councils of a day


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

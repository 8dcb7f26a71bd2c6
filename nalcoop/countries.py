"""Countries as ISO 3166-1 alpha-2 codes, from what a librarian writes: US, USA, Japan, 일본, 미국.

The names come from nalcoop/data/countries.yaml (ISO 3166-1 via pycountry, Korean names from
the Unicode CLDR); it is read once, on the commands that need it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nalcoop.errors import NalcoopError

HOME = "KR"  # a recipient in this country is domestic


class CountryError(NalcoopError):
    pass


@dataclass(frozen=True)
class Country:
    code: str
    alpha3: str
    en: str
    ko: str


def _key(text: str) -> str:
    """Names compared without case, spacing, dots, commas, apostrophes or a leading 'the'."""
    return re.sub(r"[\s.,'’()\-]+", "", re.sub(r"^\s*the\s+", "", str(text).casefold()))


@cache
def _index() -> tuple[dict[str, Country], dict[str, str]]:
    from importlib import resources

    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("nalcoop").joinpath("data/countries.yaml").read_text(encoding="utf-8")
    by_code: dict[str, Country] = {}
    names: dict[str, str] = {}
    for entry in yaml.load(text, Loader=loader):
        country = Country(entry["code"], entry["alpha3"], entry["en"], entry["ko"])
        by_code[country.code] = country
        for name in [country.code, country.alpha3, country.en, country.ko, *entry.get("aliases", [])]:
            names.setdefault(_key(name), country.code)
    return by_code, names


def country(text: str) -> Country:
    """The country a code or name means, or CountryError with the nearest names."""
    by_code, names = _index()
    written = str(text or "").strip()
    if not written:
        raise CountryError("the country is empty; give an ISO code (US, JP) or a name (Japan, 일본)")
    code = names.get(_key(written))
    if code is not None:
        return by_code[code]
    hint = ""
    if len(written) <= 60:
        from rapidfuzz import fuzz, process

        close = process.extract(_key(written), list(names), scorer=fuzz.ratio, limit=6, score_cutoff=70)
        suggestions = list(dict.fromkeys(f"{by_code[names[key]].en} ({names[key]})" for key, _score, _ in close))
        hint = f"; did you mean {', '.join(suggestions[:3])}?" if suggestions else ""
    from nalcoop.registry import shortened

    raise CountryError(f"'{shortened(written)}' is not a country nalcoop knows{hint} "
                       "(give the ISO 3166 code, such as US or JP, or the English or Korean name)")


def by_code(code: str) -> Country:
    return _index()[0][code]


def is_code(code: str) -> bool:
    return code in _index()[0]

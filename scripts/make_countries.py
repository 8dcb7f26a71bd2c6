"""Write nalcoop/data/countries.yaml: every ISO 3166-1 country with its English and Korean names.

Run by hand when ISO 3166 changes (`pip install pycountry babel` first; neither is a dependency of
nalcoop, which reads only the YAML): English names from pycountry (ISO 3166-1), Korean and common
English names from the Unicode CLDR (babel), plus the aliases below that librarians write.
"""

from __future__ import annotations

from pathlib import Path

import pycountry
import yaml
from babel import Locale

# Names librarians write that neither source gives (checked against the lists NAL's exchange uses).
EXTRA = {
    "KR": ["Korea", "Republic of Korea", "ROK", "한국", "남한", "대한민국", "Korea (South)"],
    "KP": ["North Korea", "DPRK", "조선민주주의인민공화국", "Korea (North)"],
    "US": ["USA", "U.S.A.", "U.S.", "United States of America", "America", "미합중국"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "United Kingdom of Great Britain and Northern Ireland",
           "England", "잉글랜드"],
    "CN": ["PRC", "People's Republic of China", "중화인민공화국"],
    "TW": ["Republic of China", "Chinese Taipei", "중화민국", "타이완"],
    "JP": ["일본국"],
    "RU": ["Russian Federation", "러시아연방"],
    "VN": ["Vietnam", "Viet Nam", "월남"],
    "DE": ["독일연방공화국"],
    "NL": ["Holland", "화란"],
    "CZ": ["Czech Republic", "체코공화국"],
    "IR": ["Iran"],
    "LA": ["Laos"],
    "SY": ["Syria"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "FM": ["Micronesia"],
    "VA": ["Vatican", "Holy See", "바티칸"],
    "PS": ["Palestine"],
    "TR": ["Turkey", "Türkiye", "터키", "튀르키예"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "코트디부아르"],
    "CD": ["DR Congo", "Democratic Republic of the Congo", "콩고민주공화국"],
    "MK": ["Macedonia", "North Macedonia", "마케도니아"],
    "SZ": ["Swaziland", "Eswatini", "스와질란드"],
    "MM": ["Burma", "미얀마", "버마"],
    "CV": ["Cape Verde"],
    "HK": ["Hong Kong", "홍콩", "香港"],
    "MO": ["Macau", "Macao", "마카오", "마카우"],
    "TL": ["East Timor", "동티모르"],
}


def main() -> None:
    korean = Locale("ko").territories
    english = Locale("en").territories
    countries = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        name = getattr(country, "common_name", None) or english.get(code) or country.name
        names = [country.name, getattr(country, "official_name", None), getattr(country, "common_name", None),
                 english.get(code), *EXTRA.get(code, [])]
        aliases = [n for n in dict.fromkeys(filter(None, names)) if n != name]
        countries.append({"code": code, "alpha3": country.alpha_3, "en": name, "ko": korean.get(code, name),
                          "aliases": aliases})
    target = Path(__file__).resolve().parents[1] / "nalcoop" / "data" / "countries.yaml"
    header = ("# ISO 3166-1 countries: code (alpha-2, stored), alpha-3, English name, Korean name (Unicode CLDR)\n"
              "# and other names librarians write. Made by scripts/make_countries.py; edit there, not here.\n")
    target.write_text(header + yaml.safe_dump(countries, allow_unicode=True, sort_keys=False, width=120),
                      encoding="utf-8")
    print(f"wrote {len(countries)} countries to {target}")


if __name__ == "__main__":
    main()

"""Build nalcoop/data/councils.yaml, the shipped council registry, from the reference TSV.

Run once from the repository root when the reference data or the dated changes change:

    python tools/build_registry.py [--tsv PATH] [--out PATH]

The package never reads the TSV: it reads the YAML this script writes, which is committed.
The script is deterministic (re-running it gives the same bytes) and checks its own output:
the YAML must load back to exactly the data written, and rolling the 2020-02-01 baseline
forward through the changes dated up to the TSV's date must give the TSV again.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nalcoop.registry import council_english  # noqa: E402
from nalcoop.romanize import place_english  # noqa: E402

DEFAULT_TSV = Path("/work/shared/reference/local-governments-2023-07-09.tsv")
DEFAULT_OUT = REPO / "nalcoop" / "data" / "councils.yaml"
TSV_DATE = "2023-07-09"
BASELINE = "2020-02-01"
BASELINE_SOURCE = (
    "Ministry of the Interior and Safety administrative code list (kr-juso/administrationCode, data of "
    "2023-07-09), rolled back to 2020-02-01 by the dated changes below"
)

# Provincial councils: English names written by hand (the official names, which no rule produces).
# code: (gov_en, name_en) at the baseline.
PROVINCIAL_ENGLISH: dict[str, tuple[str, str]] = {
    "11": ("Seoul", "Seoul Metropolitan Council"),
    "26": ("Busan", "Busan Metropolitan Council"),
    "27": ("Daegu", "Daegu Metropolitan Council"),
    "28": ("Incheon", "Incheon Metropolitan Council"),
    "29": ("Gwangju", "Gwangju Metropolitan Council"),
    "30": ("Daejeon", "Daejeon Metropolitan Council"),
    "31": ("Ulsan", "Ulsan Metropolitan Council"),
    "36": ("Sejong", "Sejong Special Self-Governing City Council"),
    "41": ("Gyeonggi-do", "Gyeonggi Provincial Council"),
    "42": ("Gangwon-do", "Gangwon Provincial Council"),
    "43": ("Chungcheongbuk-do", "Chungcheongbuk-do Provincial Council"),
    "44": ("Chungcheongnam-do", "Chungcheongnam-do Provincial Council"),
    "45": ("Jeollabuk-do", "Jeollabuk-do Provincial Council"),
    "46": ("Jeollanam-do", "Jeollanam-do Provincial Council"),
    "47": ("Gyeongsangbuk-do", "Gyeongsangbuk-do Provincial Council"),
    "48": ("Gyeongsangnam-do", "Gyeongsangnam-do Provincial Council"),
    "50": ("Jeju", "Jeju Special Self-Governing Provincial Council"),
}

# English names of basic councils: one rule, the one the councils themselves publish most often:
# a si council is "<Name> City Council", a gun council "<Name> County Council", an autonomous gu
# council "<Name> District Council" (nalcoop.registry.council_english). Checked on the councils' own
# English pages: Cheongju City Council (council.cheongju.go.kr/eng), Wonju City Council
# (council.wonju.go.kr/eng), Gangneung City Council (gncl.go.kr/en), Jeonju City Council
# (council.jeonju.go.kr/source/english), Suncheon City Council (sccouncil.go.kr/?r=eng), Goyang City
# Council (goyangcouncil.go.kr/source/english), Gimcheon City Council (council.gc.go.kr/en); Muju
# County Council (assem.muju.go.kr/eng), Cheongdo County Council (cheongdocl.go.kr/en); Seocho District
# Council (sdc.seoul.kr/en), Yangcheon District Council (ycc.go.kr/en).
# A basic council that publishes a name the rule does not give goes here, "gov (Korean)": (name, source).
# None found so far: every name checked above is what the rule gives.
BASIC_EXCEPTIONS: dict[str, tuple[str, str]] = {}

# Provincial councils whose own English site writes a name other than the one above, with the source.
PROVINCIAL_OVERRIDES: dict[str, tuple[str, str]] = {
    "41": ("Gyeonggido Assembly", "the council's English site, www.ggc.go.kr/site/global (\"Gyeonggido Assembly\")"),
}

KIND_OF_UNIT = {"시": "si", "군": "gun", "구": "gu"}


# ---------------------------------------------------------------- the dated changes

def _gangwon(councils: list[dict]) -> dict:
    ops = [{"op": "update", "council": "42", "set": {
        "code": "51", "gov": "강원특별자치도", "gov_en": "Gangwon State",
        "name": "강원특별자치도의회", "name_en": "Gangwon State Council"}}]
    ops += [{"op": "update", "council": c["key"], "set": {"code": "51" + c["code"][2:]}}
            for c in councils if c.get("province") == "42"]
    return {
        "key": "2023-06-11-gangwon-state",
        "effective": "2023-06-11",
        "kind": "rename",
        "description": "강원도 becomes 강원특별자치도 (Gangwon State); province code 42 → 51 and every "
                       "Gangwon basic code 42xxx → 51xxx (same last three digits)",
        # Promulgation and effective dates confirmed in press reports (관보 게재 2022-06-10; in force
        # one year later, 2023-06-11 00:00). The law number could not be confirmed, so it is left out.
        "source": "「강원특별자치도 설치 등에 관한 특별법」 (2022-06-10 공포, 2023-06-11 시행)",
        "operations": ops,
    }


def _gunwi(councils: list[dict]) -> dict:
    return {
        "key": "2023-07-01-gunwi-to-daegu",
        "effective": "2023-07-01",
        "kind": "move",
        "description": "군위군 moves from 경상북도 to 대구광역시; code 47720 → 27720. The number of basic "
                       "councils stays 226",
        # National Assembly vote 2022-12-08 and cabinet 2022-12-27 confirmed in press reports;
        # the promulgation date and law number could not be confirmed, so they are left out.
        "source": "「경상북도와 대구광역시 간 관할구역 변경에 관한 법률」 (국회 의결 2022-12-08, 2023-07-01 시행)",
        "operations": [{"op": "update", "council": "47720", "set": {"province": "27", "code": "27720"}}],
    }


def _jeonbuk(councils: list[dict]) -> dict:
    ops = [{"op": "update", "council": "45", "set": {
        "code": "52", "gov": "전북특별자치도", "gov_en": "Jeonbuk State",
        "name": "전북특별자치도의회", "name_en": "Jeonbuk State Council"}}]
    ops += [{"op": "update", "council": c["key"], "set": {"code": "52" + c["code"][2:]}}
            for c in councils if c.get("province") == "45"]
    return {
        "key": "2024-01-18-jeonbuk-state",
        "effective": "2024-01-18",
        "kind": "rename",
        "description": "전라북도 becomes 전북특별자치도 (Jeonbuk State); province code 45 → 52 and every "
                       "Jeonbuk basic code 45xxx → 52xxx (same last three digits)",
        # Promulgation in the official gazette on 2023-01-17 confirmed in press reports (KBS, JTV).
        # The 2023-12-26 full revision (법률 제19839호) renamed the act 「전북특별자치도 설치 및
        # 글로벌생명경제도시 조성을 위한 특별법」 and took effect later; the state itself dates from
        # the original act. Its law number could not be confirmed, so it is left out.
        "source": "「전북특별자치도 설치 등에 관한 특별법」 (2023-01-17 공포, 2024-01-18 시행)",
        "operations": ops,
    }


# Administrative codes of the new Incheon gu. Not yet in the MOIS file the TSV comes from (data of
# 2023-07-09); taken from public repositories that agree with one another, among them a data manifest
# quoting the MOIS resident-registration statistics of 2026-08 (jumin.mois.go.kr), where the 10-digit
# codes 2812500000 (제물포구), 2815500000 (영종구) and 2829000000 (검단구) appear.
INCHEON_NEW_GU = [
    ("incheon-jemulpo", "제물포구", "28125"),
    ("incheon-yeongjong", "영종구", "28155"),
    ("incheon-geomdan", "검단구", "28290"),
]


def _incheon(councils: list[dict]) -> dict:
    ops: list[dict] = [{"op": "abolish", "council": "28110"}, {"op": "abolish", "council": "28140"}]
    for key, gov, code in INCHEON_NEW_GU:
        ops.append({"op": "create", "council": {"key": key, **basic_council(gov, "28", code)}})
    return {
        "key": "2026-07-01-incheon-reorganization",
        "effective": "2026-07-01",
        "kind": "reorganize",
        "description": "Incheon reorganization: 중구 and 동구 abolished; 제물포구 (mainland 중구 and 동구) and "
                       "영종구 (the 중구 islands) created; 검단구 split from 서구, which continues with the "
                       "same council. Basic councils become 227",
        # Bill passed by the National Assembly on 2024-01-09 (press reports: 인천일보, 인천투데이,
        # 헤럴드경제). Promulgation date and law number could not be confirmed, so they are left out.
        "source": "「인천광역시 제물포구·영종구 및 검단구 설치 등에 관한 법률」 (국회 의결 2024-01-09, "
                  "2026-07-01 시행)",
        "operations": ops,
    }


CHANGES_TSV = Path("/work/shared/reference/council-changes-2026-07-01.tsv")
MERGER_SOURCE = ("「전남광주통합특별시 설치를 위한 특별법」 (법률 제21446호, 국회 의결 2026-03-01 "
                 "(175명 중 159명 찬성), 2026-07-01 시행)")
SEOHAE_SOURCE = "「인천광역시 서구 명칭 변경에 관한 법률」 (법률 제21734호, 국회 의결 2026-05-07, 2026-07-01 시행)"
# The act gives no English name and none was found on an official site; 'Jeonnam-Gwangju Special City' is
# the press translation the reference TSV records. Short name 광주특별시 (nalcoop.registry.SHORT_NAMES).
MERGED = {"key": "12", "level": "provincial", "kind": "province", "code": "12", "gov": "전남광주통합특별시",
          "gov_en": "Jeonnam-Gwangju Special City", "name": "전남광주통합특별시의회",
          "name_en": "Jeonnam-Gwangju Special City Council"}


def read_changes_tsv(path: Path = CHANGES_TSV) -> list[dict]:
    return read_tsv(path, header=["effective", "change", "old_code", "old_province", "old_name", "new_code",
                                  "new_province", "new_name", "note"])


def _seohae(councils: list[dict]) -> dict:
    row = next(r for r in read_changes_tsv() if r["change"] == "rename+recode")
    require((row["old_code"], row["new_name"]) == ("28260", "서해구"), "the 서해구 row of the changes TSV")
    new = basic_council(row["new_name"], "28", row["new_code"])
    return {
        "key": "2026-07-01-seohae-rename",
        "effective": row["effective"],
        "kind": "rename",
        "description": "인천광역시 서구 (what is left after 검단구 was split off) is renamed 서해구; "
                       "code 28260 → 28275. The council keeps its identity and its agreements",
        "source": SEOHAE_SOURCE,
        "operations": [{"op": "update", "council": "28260", "set": {
            key: new[key] for key in ("code", "gov", "gov_en", "name", "name_en")}}],
    }


def _jeonnam_gwangju(councils: list[dict]) -> dict:
    rows = [r for r in read_changes_tsv() if r["change"] == "move+recode"]
    require(len(rows) == 27, "27 basic councils move into 전남광주통합특별시")
    known = {c["code"]: c for c in councils}
    ops: list[dict] = [{"op": "create", "council": dict(MERGED)}]
    for row in rows:
        council = known.get(row["old_code"])
        require(council is not None and council["gov"] == row["old_name"] == row["new_name"],
                f"{row['old_code']} {row['old_name']} in the baseline")
        ops.append({"op": "update", "council": row["old_code"], "set": {"province": "12", "code": row["new_code"]}})
    ops += [{"op": "abolish", "council": "29"}, {"op": "abolish", "council": "46"}]
    return {
        "key": "2026-07-01-jeonnam-gwangju-merger",
        "effective": "2026-07-01",
        "kind": "merge",
        "description": "광주광역시 and 전라남도 merge into a new 전남광주통합특별시 (short name 광주특별시; council "
                       "전남광주통합특별시의회; code 12). Their 27 basic councils keep their names and get "
                       "12xxx codes. Provincial-level councils become 16",
        "source": MERGER_SOURCE,
        "operations": ops,
    }


CHANGES = (_gangwon, _gunwi, _jeonbuk, _incheon, _seohae, _jeonnam_gwangju)


# ---------------------------------------------------------------- the baseline

def basic_council(gov: str, province: str, code: str | None) -> dict:
    english = place_english(gov)
    kind = KIND_OF_UNIT[gov[-1]]
    name_en = BASIC_EXCEPTIONS[gov][0] if gov in BASIC_EXCEPTIONS else council_english(english, kind)
    return {
        "level": "basic", "kind": kind, "province": province, "code": code,
        "gov": gov, "gov_en": english, "name": f"{gov}의회", "name_en": name_en,
    }


def read_tsv(path: Path, header: list[str] | None = None) -> list[dict]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    if header is None:
        header, lines = lines[0].split("\t"), lines[1:]
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines]


def baseline_code(code: str) -> str:
    """Undo the code changes dated after the baseline and up to the TSV's date."""
    if code[:2] == "51":  # 2023-06-11: Gangwon 42 → 51
        return "42" + code[2:]
    if code == "27720":  # 2023-07-01: 군위군 47720 → 27720
        return "47720"
    return code


def baseline_councils(rows: list[dict]) -> list[dict]:
    provincial, basic = [], []
    for row in rows:
        code = baseline_code(row["code"])
        if row["level"] == "provincial":
            gov = "강원도" if code == "42" else row["name"]
            gov_en, name_en = PROVINCIAL_ENGLISH[code]
            name_en = PROVINCIAL_OVERRIDES[code][0] if code in PROVINCIAL_OVERRIDES else name_en
            provincial.append({"key": code, "level": "provincial", "kind": "province", "code": code,
                               "gov": gov, "gov_en": gov_en, "name": f"{gov}의회", "name_en": name_en})
        else:
            council = basic_council(row["name"], code[:2], code)
            if council["kind"] != row["kind"]:
                raise SystemExit(f"{row['name']}: kind {row['kind']} in the TSV, {council['kind']} from the name")
            basic.append({"key": code, **council})
    provincial.sort(key=lambda c: c["code"])
    basic.sort(key=lambda c: c["code"])
    return provincial + basic


# ---------------------------------------------------------------- checks

def apply_changes(councils: list[dict], changes: list[dict], until: str) -> dict[str, dict]:
    state = {c["key"]: dict(c) for c in councils}
    for change in changes:
        if change["effective"] > until:
            continue
        for op in change["operations"]:
            if op["op"] != "create":
                require(op["council"] in state, f"{change['key']} refers to missing council {op['council']}")
            if op["op"] == "update":
                state[op["council"]].update(op["set"])
            elif op["op"] == "abolish":
                del state[op["council"]]
            else:
                spec = op["council"]
                state[spec["key"]] = dict(spec)
    return state


def require(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"build_registry: check failed: {message}")


def check(councils: list[dict], changes: list[dict], rows: list[dict]) -> None:
    keys = [c["key"] for c in councils]
    require(len(keys) == len(set(keys)) == 243, "243 councils with unique keys")
    require(sum(c["level"] == "provincial" for c in councils) == 17, "17 provincial councils")
    provinces = {c["key"] for c in councils if c["level"] == "provincial"}
    require(all(c["province"] in provinces for c in councils if c["level"] == "basic"), "provinces exist")
    # Rolling the baseline forward to the TSV's date must give the TSV back.
    state = apply_changes(councils, changes, TSV_DATE)
    by_code = {c["code"]: c for c in state.values()}
    require(len(by_code) == len(rows) == 243, f"243 distinct codes on {TSV_DATE}")
    for row in rows:
        council = by_code.get(row["code"])
        require(council is not None and council["gov"] == row["name"], f"{row['code']} {row['name']} on {TSV_DATE}")
        if row["level"] == "basic":
            province = state[council["province"]]["gov"]
            require(province == row["province"], f"{row['name']} in {row['province']}, not {province}")
    before = apply_changes(councils, changes, "2026-06-30")
    require(sum(c["level"] == "provincial" for c in before.values()) == 17, "17 provincial councils on 2026-06-30")
    require(sum(c["level"] == "basic" for c in before.values()) == 226, "226 basic councils on 2026-06-30")
    final = apply_changes(councils, changes, "9999-12-31")
    require(sum(c["level"] == "basic" for c in final.values()) == 227, "227 basic councils after all changes")
    require(sum(c["level"] == "provincial" for c in final.values()) == 16, "16 provincial councils after all changes")
    require(all(c["province"] in final for c in final.values() if c["level"] == "basic"),
            "every basic council's province exists after all changes")
    require(len({c["code"] for c in final.values()}) == 243, "243 distinct codes after all changes")


# ---------------------------------------------------------------- writing YAML by hand (readable, stable)

_PLAIN = re.compile(r"^[A-Za-z가-힣][A-Za-z가-힣0-9 .'·-]*$")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def scalar(value: object) -> str:
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def quoted(value: str | None) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


STRING_KEYS = ("key", "code", "province", "council")  # identity strings: always quoted


def field(name: str, value: object) -> str:
    return f"{name}: {quoted(value) if name in STRING_KEYS else scalar(value)}"


def flow(mapping: dict) -> str:
    return "{" + ", ".join(field(k, v) for k, v in mapping.items()) + "}"


COUNCIL_FIELDS = ("key", "level", "kind", "province", "code", "gov", "gov_en", "name", "name_en")

HEADER = """\
# The council registry shipped with nalcoop: Korea's local councils (지방의회), effective-dated.
#
# GENERATED by tools/build_registry.py; do not edit by hand, change the script and re-run it.
#
# baseline: the councils as they stood on 2020-02-01: 17 provincial-level councils (광역) and
#   226 basic councils (기초: si, gun and autonomous gu). Built from the Ministry of the Interior
#   and Safety administrative code list (public repository kr-juso/administrationCode, data of
#   2023-07-09), rolled back by undoing the changes below dated up to that day: Gangwon back to
#   강원도 with codes 42/42xxx, and 군위군 back in 경상북도 as 47720.
# councils: one entry per council. `key` is the council's stable identity (its baseline code as a
#   string); it never changes, even when the name, the code or the province does. `province` is
#   the key of the provincial council a basic council belongs to. Codes are always strings.
#   English names: provincial ones written by hand (Gyeonggi as its site writes it: "Gyeonggido
#   Assembly"); a basic council's gov_en by the Revised Romanization (nalcoop/romanize.py) as
#   "<Name>-si|gun|gu", and its council "<Name> City|County|District Council", as the councils publish
#   them (the sites checked are named in tools/build_registry.py).
# changes: the dated changes since the baseline, each with its legal source; operations update,
#   abolish or create councils by key. The 2026-07-01 changes (서구 → 서해구; the Gwangju–Jeonnam
#   merger) come from shared/reference/council-changes-2026-07-01.tsv, which names their sources.
"""

INCHEON_CODES_COMMENT = """\
      # Codes of the new gu: not in the MOIS file of 2023-07-09; taken from public repositories that
      # agree with one another, including a data manifest that quotes the MOIS resident-registration
      # statistics of 2026-08 (10-digit codes 2812500000, 2815500000, 2829000000).
"""


def render(councils: list[dict], changes: list[dict]) -> str:
    out = [HEADER, "baseline:\n", f"  as_of: {BASELINE}\n", f"  source: {quoted(BASELINE_SOURCE)}\n",
           "councils:\n"]
    level = None
    for council in councils:
        if council["level"] != level:
            level = council["level"]
            label = "provincial-level councils (광역)" if level == "provincial" else "basic councils (기초)"
            out.append(f"  # {label}, by baseline code\n")
        first = True
        for name in COUNCIL_FIELDS:
            if name not in council:
                continue
            out.append(f"  {'- ' if first else '  '}{field(name, council[name])}\n")
            first = False
    out.append("changes:\n")
    for change in changes:
        out.append(f"  - key: {change['key']}\n")
        out.append(f"    effective: {change['effective']}\n")
        out.append(f"    kind: {change['kind']}\n")
        out.append(f"    description: {quoted(change['description'])}\n")
        out.append(f"    source: {quoted(change['source'])}\n")
        out.append("    operations:\n")
        if change["key"].endswith("incheon-reorganization"):
            out.append(INCHEON_CODES_COMMENT)
        for op in change["operations"]:
            out.append(f"      - op: {op['op']}\n")
            if op["op"] == "create":
                out.append(f"        council: {flow(op['council'])}\n")
            else:
                out.append(f"        council: {quoted(op['council'])}\n")
            if "set" in op:
                out.append(f"        set: {flow(op['set'])}\n")
    return "".join(out)


def expected_document(councils: list[dict], changes: list[dict]) -> dict:
    """What the YAML must load to (dates as the loader will see them through str())."""
    return {
        "baseline": {"as_of": BASELINE, "source": BASELINE_SOURCE},
        "councils": councils,
        "changes": changes,
    }


def normalise(document: dict) -> dict:
    data = json.loads(json.dumps(document, default=str, ensure_ascii=False))
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    rows = read_tsv(args.tsv)
    councils = baseline_councils(rows)
    changes = [build(councils) for build in CHANGES]
    check(councils, changes, rows)
    text = render(councils, changes)

    import yaml

    if normalise(yaml.safe_load(text)) != normalise(expected_document(councils, changes)):
        raise SystemExit("the rendered YAML does not load back to the data it was made from")
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(councils)} councils, {len(changes)} changes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Revised Romanization of place names, and the shipped council registry (nalcoop/data/councils.yaml)."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import pytest
import yaml

from nalcoop.romanize import place_english, romanize

# ---------------------------------------------------------------- romanize: the sound changes


@pytest.mark.parametrize(
    ("hangul", "expected"),
    [("종로", "Jongno"), ("강릉", "Gangneung"), ("동래", "Dongnae"), ("중랑", "Jungnang"), ("정릉", "Jeongneung")],
)
def test_nasalization_after_ieung_turns_rieul_into_n(hangul, expected):
    assert romanize(hangul) == expected


@pytest.mark.parametrize(
    ("hangul", "expected"),
    [("백마", "Baengma"), ("왕십리", "Wangsimni"), ("독립문", "Dongnimmun"), ("백령", "Baengnyeong"),
     ("압록", "Amnok"), ("청량리", "Cheongnyangni")],
)
def test_nasalization_turns_stops_before_nasals_and_rieul_into_nasals(hangul, expected):
    assert romanize(hangul) == expected


@pytest.mark.parametrize(
    ("hangul", "expected"),
    [("신라", "Silla"), ("울릉", "Ulleung"), ("전라", "Jeolla"), ("대관령", "Daegwallyeong"), ("칼날", "Kallal")],
)
def test_lateralization_writes_nieun_rieul_pairs_as_ll(hangul, expected):
    assert romanize(hangul) == expected


@pytest.mark.parametrize(
    ("hangul", "expected"),
    [("철원", "Cheorwon"), ("밀양", "Miryang"), ("관악", "Gwanak"), ("닭이", "Dalgi")],
)
def test_liaison_moves_a_final_consonant_onto_a_following_ieung(hangul, expected):
    assert romanize(hangul) == expected


def test_final_ieung_stays_on_its_syllable_before_another_ieung():
    assert romanize("정읍") == "Jeongeup"
    assert romanize("영월") == "Yeongwol"


@pytest.mark.parametrize(("hangul", "expected"), [("울진", "Uljin"), ("칠곡", "Chilgok"), ("달성", "Dalseong")])
def test_rieul_is_l_as_a_final_and_r_before_a_vowel(hangul, expected):
    assert romanize(hangul) == expected
    assert romanize("구로") == "Guro"


def test_stops_before_hieut_keep_the_h_in_nouns():
    assert romanize("묵호") == "Mukho"
    assert romanize("집현전") == "Jiphyeonjeon"


def test_palatalization_before_i():
    assert romanize("해돋이") == "Haedoji"
    assert romanize("같이") == "Gachi"


def test_tensing_is_not_written():
    assert romanize("합천") == "Hapcheon"
    assert romanize("울산") == "Ulsan"


@pytest.mark.parametrize(("hangul", "expected"), [("의정부", "Uijeongbu"), ("괴산", "Goesan"), ("횡성", "Hoengseong")])
def test_vowels_follow_the_table_not_the_pronunciation(hangul, expected):
    assert romanize(hangul) == expected


def test_only_the_first_letter_is_capitalized_and_other_characters_pass_through():
    assert romanize("서울") == "Seoul"
    assert romanize("제2청사") == "Je2cheongsa"
    assert romanize("") == ""


def test_non_hangul_breaks_the_sound_changes():
    assert romanize("종-로") == "Jong-ro"


# ---------------------------------------------------------------- place_english


def test_place_english_splits_the_unit_off_with_a_hyphen():
    assert place_english("종로구") == "Jongno-gu"
    assert place_english("옥천군") == "Okcheon-gun"
    assert place_english("경기도") == "Gyeonggi-do"


def test_place_english_applies_no_sound_change_across_the_hyphen():
    assert romanize("종로구") == "Jongnogu"
    assert place_english("북구") == "Buk-gu"
    assert place_english("중구") == "Jung-gu"


def test_place_english_treats_each_word_alone():
    assert place_english("수원시 장안구") == "Suwon-si Jangan-gu"


def test_place_english_drops_provincial_level_suffixes():
    assert place_english("대구광역시") == "Daegu"
    assert place_english("서울특별시") == "Seoul"
    assert place_english("세종특별자치시") == "Sejong"


OFFICIAL = [
    ("종로구", "Jongno-gu"), ("중랑구", "Jungnang-gu"), ("동래구", "Dongnae-gu"), ("강릉시", "Gangneung-si"),
    ("울릉군", "Ulleung-gun"), ("철원군", "Cheorwon-gun"), ("의정부시", "Uijeongbu-si"), ("괴산군", "Goesan-gun"),
    ("횡성군", "Hoengseong-gun"), ("합천군", "Hapcheon-gun"), ("신안군", "Sinan-gun"), ("천안시", "Cheonan-si"),
    ("미추홀구", "Michuhol-gu"), ("부산진구", "Busanjin-gu"), ("칠곡군", "Chilgok-gun"),
    ("창녕군", "Changnyeong-gun"), ("정읍시", "Jeongeup-si"), ("밀양시", "Miryang-si"), ("관악구", "Gwanak-gu"),
    ("익산시", "Iksan-si"), ("곡성군", "Gokseong-gun"), ("영월군", "Yeongwol-gun"), ("해운대구", "Haeundae-gu"),
    ("영등포구", "Yeongdeungpo-gu"), ("광양시", "Gwangyang-si"), ("계룡시", "Gyeryong-si"), ("의령군", "Uiryeong-gun"),
    ("증평군", "Jeungpyeong-gun"), ("평택시", "Pyeongtaek-si"), ("남양주시", "Namyangju-si"), ("속초시", "Sokcho-si"),
    ("울진군", "Uljin-gun"), ("대덕구", "Daedeok-gu"), ("제물포구", "Jemulpo-gu"), ("영종구", "Yeongjong-gu"),
    ("검단구", "Geomdan-gu"),
]


@pytest.mark.parametrize(("gov", "official"), OFFICIAL)
def test_place_english_gives_the_official_romanization_of_real_places(gov, official):
    assert place_english(gov) == official


# ---------------------------------------------------------------- the shipped registry

YAML_TEXT = resources.files("nalcoop").joinpath("data/councils.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def registry() -> dict:
    return yaml.safe_load(YAML_TEXT)


def apply_all(registry: dict) -> dict[str, dict]:
    state = {c["key"]: dict(c) for c in registry["councils"]}
    for change in registry["changes"]:
        for op in change["operations"]:
            if op["op"] == "update":
                state[op["council"]].update(op["set"])
            elif op["op"] == "abolish":
                del state[op["council"]]
            else:
                state[op["council"]["key"]] = dict(op["council"])
    return state


def test_baseline_is_2020_02_01_with_17_provincial_and_226_basic_councils(registry):
    assert str(registry["baseline"]["as_of"]) == "2020-02-01"
    assert registry["baseline"]["source"].strip()
    levels = [c["level"] for c in registry["councils"]]
    assert levels.count("provincial") == 17
    assert levels.count("basic") == 226
    kinds = [c["kind"] for c in registry["councils"] if c["level"] == "basic"]
    assert (kinds.count("si"), kinds.count("gun"), kinds.count("gu")) == (75, 82, 69)


def test_every_key_is_unique_including_created_councils(registry):
    keys = [c["key"] for c in registry["councils"]]
    keys += [op["council"]["key"] for ch in registry["changes"] for op in ch["operations"] if op["op"] == "create"]
    assert len(keys) == len(set(keys))
    assert all(isinstance(key, str) for key in keys)


def test_every_code_is_a_string_or_null(registry):
    codes = [c["code"] for c in registry["councils"]]
    for change in registry["changes"]:
        for op in change["operations"]:
            if op["op"] == "create":
                codes.append(op["council"]["code"])
            elif "code" in op.get("set", {}):
                codes.append(op["set"]["code"])
    assert codes
    assert all(code is None or (isinstance(code, str) and code.isdigit()) for code in codes)
    assert all(isinstance(c["code"], str) for c in registry["councils"])


def test_every_basic_council_belongs_to_an_existing_provincial_council(registry):
    provincial = {c["key"] for c in registry["councils"] if c["level"] == "provincial"}
    for council in registry["councils"]:
        if council["level"] == "basic":
            assert council["province"] in provincial, council
            assert council["code"][:2] == council["province"]


def test_gunwi_is_in_gyeongsangbuk_do_at_baseline(registry):
    gunwi = next(c for c in registry["councils"] if c["gov"] == "군위군")
    assert (gunwi["key"], gunwi["code"], gunwi["province"]) == ("47720", "47720", "47")
    province = next(c for c in registry["councils"] if c["key"] == gunwi["province"])
    assert province["gov"] == "경상북도"


def test_gangwon_is_gangwon_do_with_code_42_at_baseline(registry):
    gangwon = next(c for c in registry["councils"] if c["key"] == "42")
    assert (gangwon["gov"], gangwon["code"], gangwon["name_en"]) == ("강원도", "42", "Gangwon Provincial Council")
    assert sum(c.get("province") == "42" for c in registry["councils"]) == 18


def test_the_change_list_holds_exactly_the_six_dated_changes_with_sources(registry):
    changes = [(ch["key"], str(ch["effective"]), ch["kind"]) for ch in registry["changes"]]
    assert changes == [
        ("2023-06-11-gangwon-state", "2023-06-11", "rename"),
        ("2023-07-01-gunwi-to-daegu", "2023-07-01", "move"),
        ("2024-01-18-jeonbuk-state", "2024-01-18", "rename"),
        ("2026-07-01-incheon-reorganization", "2026-07-01", "reorganize"),
        ("2026-07-01-seohae-rename", "2026-07-01", "rename"),
        ("2026-07-01-jeonnam-gwangju-merger", "2026-07-01", "merge"),
    ]
    for change in registry["changes"]:
        assert "「" in change["source"] and "시행" in change["source"], change["key"]
        assert change["description"].strip()


def test_after_all_changes_there_are_227_basic_councils(registry):
    state = apply_all(registry)
    levels = [c["level"] for c in state.values()]
    assert levels.count("basic") == 226 - 2 + 3 == 227
    assert levels.count("provincial") == 17 - 2 + 1 == 16
    assert state["47720"]["province"] == "27" and state["47720"]["code"] == "27720"
    assert state["42"]["gov"] == "강원특별자치도" and state["45"]["gov"] == "전북특별자치도"
    assert {c["code"][:2] for c in state.values() if c.get("province") == "42"} == {"51"}
    assert {c["code"][:2] for c in state.values() if c.get("province") == "45"} == {"52"}
    assert "28110" not in state and "28140" not in state and "28260" in state
    assert (state["28260"]["gov"], state["28260"]["code"]) == ("서해구", "28275")
    assert "29" not in state and "46" not in state and state["12"]["gov"] == "전남광주통합특별시"
    assert {c["code"][:2] for c in state.values() if c.get("province") == "12"} == {"12"}
    assert sum(c.get("province") == "12" for c in state.values()) == 27


def test_english_names_follow_the_council_naming_pattern(registry):
    state = apply_all(registry)
    for council in [*registry["councils"], *state.values()]:
        assert council["name"] == council["gov"] + "의회"
        # Gyeonggi's council writes its own name "Gyeonggido Assembly" (www.ggc.go.kr/site/global).
        assert council["name_en"].endswith(("Council", "Assembly")) and council["gov_en"]
        if council["level"] == "basic":
            unit = {"si": "City", "gun": "County", "gu": "District"}[council["kind"]]
            assert council["name_en"] == council["gov_en"].rsplit("-", 1)[0] + f" {unit} Council"
            assert council["gov_en"].endswith("-" + council["kind"])


def test_the_yaml_is_readable_hangul_not_escapes():
    assert "\\u" not in YAML_TEXT
    assert "서울특별시의회" in YAML_TEXT


TSV = Path("/work/shared/reference/local-governments-2023-07-09.tsv")
BUILD = Path(__file__).resolve().parent.parent / "tools" / "build_registry.py"


@pytest.mark.skipif(not TSV.exists() or not BUILD.exists(), reason="reference TSV or build script not present")
def test_the_shipped_yaml_is_what_the_build_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("build_registry", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "councils.yaml"
    module.main(["--tsv", str(TSV), "--out", str(out)])
    assert out.read_text(encoding="utf-8") == YAML_TEXT

"""Revised Romanization of Korean place names, for English council names the registry does not give.

A small, dependency-free implementation of the Revised Romanization of Korean (국어의 로마자
표기법, Ministry of Culture and Tourism notice 2000-8) covering what place names need:

- syllable decomposition into initial, vowel and final jamo;
- liaison: a final consonant before a syllable starting with ㅇ is read as that syllable's
  initial (철원 → Cheorwon, 밀양 → Miryang); a final ㅎ there is silent;
- nasalization: ㄱ/ㄷ/ㅂ before ㄴ/ㅁ become ng/n/m; ㄹ after ㅁ/ㅇ/ㄱ/ㅂ/ㄷ is read ㄴ
  (종로 → Jongno, 강릉 → Gangneung, 동래 → Dongnae, 백령 → Baengnyeong);
- lateralization: ㄴ+ㄹ, ㄹ+ㄴ and ㄹ+ㄹ are written ll (신라 → Silla, 울릉 → Ulleung);
- ㄹ is l as a final and r before a vowel; palatalization of ㄷ/ㅌ before 이;
- no change for tensing, and none for ㄱ/ㄷ/ㅂ before ㅎ in nouns (묵호 → Mukho), as the rules say.

`place_english` splits off the administrative unit (시 si, 군 gun, 구 gu, 도 do) and joins it with a
hyphen, without sound changes across the hyphen (종로구 → Jongno-gu, not Jongnon-gu). Official
English names sometimes differ from the rules; callers that know the official name should use it.
"""

from __future__ import annotations

__all__ = ["romanize", "place_english", "UNITS"]

_HANGUL_FIRST = 0xAC00
_HANGUL_LAST = 0xD7A3

# Index order of the Unicode Hangul syllable block.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]

_INITIAL_ROMAN = {
    "ㄱ": "g", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "d", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m", "ㅂ": "b", "ㅃ": "pp",
    "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "j", "ㅉ": "jj", "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p",
    "ㅎ": "h",
}
_VOWEL_ROMAN = {
    "ㅏ": "a", "ㅐ": "ae", "ㅑ": "ya", "ㅒ": "yae", "ㅓ": "eo", "ㅔ": "e", "ㅕ": "yeo", "ㅖ": "ye",
    "ㅗ": "o", "ㅘ": "wa", "ㅙ": "wae", "ㅚ": "oe", "ㅛ": "yo", "ㅜ": "u", "ㅝ": "wo", "ㅞ": "we",
    "ㅟ": "wi", "ㅠ": "yu", "ㅡ": "eu", "ㅢ": "ui", "ㅣ": "i",
}
# A final consonant before another consonant or at the end of a word (its representative sound).
_FINAL_ROMAN = {
    "": "", "ㄱ": "k", "ㄲ": "k", "ㄳ": "k", "ㄴ": "n", "ㄵ": "n", "ㄶ": "n", "ㄷ": "t", "ㄹ": "l",
    "ㄺ": "k", "ㄻ": "m", "ㄼ": "l", "ㄽ": "l", "ㄾ": "l", "ㄿ": "p", "ㅀ": "l", "ㅁ": "m", "ㅂ": "p",
    "ㅄ": "p", "ㅅ": "t", "ㅆ": "t", "ㅇ": "ng", "ㅈ": "t", "ㅊ": "t", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p",
    "ㅎ": "t",
}
# Before a vowel (liaison): what stays as the final, and what becomes the next initial.
_LIAISON = {
    "ㄳ": ("k", "s"), "ㄵ": ("n", "j"), "ㄶ": ("", "n"), "ㄺ": ("l", "g"), "ㄻ": ("l", "m"),
    "ㄼ": ("l", "b"), "ㄽ": ("l", "s"), "ㄾ": ("l", "t"), "ㄿ": ("l", "p"), "ㅀ": ("", "r"),
    "ㅄ": ("p", "s"), "ㅎ": ("", ""), "ㅇ": ("ng", ""),
}
# Representative sound (받침 대표음) of each final, for the assimilation rules.
_FINAL_CLASS = {
    "ㄱ": "k", "ㄲ": "k", "ㅋ": "k", "ㄳ": "k", "ㄺ": "k",
    "ㄷ": "t", "ㅅ": "t", "ㅆ": "t", "ㅈ": "t", "ㅊ": "t", "ㅌ": "t", "ㅎ": "t",
    "ㅂ": "p", "ㅍ": "p", "ㅄ": "p", "ㄿ": "p",
    "ㄴ": "n", "ㄵ": "n", "ㄶ": "n",
    "ㄹ": "l", "ㄼ": "l", "ㄽ": "l", "ㄾ": "l", "ㅀ": "l",
    "ㅁ": "m", "ㄻ": "m",
    "ㅇ": "ng",
}
_NASAL_OF = {"k": "ng", "t": "n", "p": "m"}
# ㅎ (alone or in ㄶ/ㅀ) followed by a plain stop makes it aspirated: 좋고 joko, 않다 anta.
_ASPIRATED = {"ㄱ": "k", "ㄷ": "t", "ㅈ": "ch"}

UNITS: dict[str, str] = {"시": "si", "군": "gun", "구": "gu", "도": "do"}
# Provincial-level suffixes whose English form conventionally drops out (서울특별시 → Seoul).
_DROPPED_SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시")


def _decompose(char: str) -> tuple[str, str, str] | None:
    code = ord(char)
    if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return None
    index = code - _HANGUL_FIRST
    return _INITIALS[index // 588], _VOWELS[(index % 588) // 28], _FINALS[index % 28]


def _boundary(final: str, initial: str, vowel: str) -> tuple[str, str]:
    """How a final and the next syllable's initial are written, after the sound changes."""
    if not final:
        return "", _INITIAL_ROMAN[initial]
    if initial == "ㅇ":  # liaison
        if final in _LIAISON:
            return _LIAISON[final]
        if vowel == "ㅣ" and final in ("ㄷ", "ㅌ"):  # palatalization: 굳이 guji, 같이 gachi
            return "", "j" if final == "ㄷ" else "ch"
        return "", _INITIAL_ROMAN[final]
    sound = _FINAL_CLASS[final]
    if final in ("ㅎ", "ㄶ", "ㅀ") and initial in _ASPIRATED:
        return ("n" if final == "ㄶ" else "l" if final == "ㅀ" else ""), _ASPIRATED[initial]
    if initial in ("ㄴ", "ㅁ"):
        if sound in _NASAL_OF:  # nasalization: 국물 gungmul, 받는 banneun, 합니다 hamnida
            return _NASAL_OF[sound], _INITIAL_ROMAN[initial]
        if sound == "l" and initial == "ㄴ":  # lateralization: 칼날 kallal
            return "l", "l"
        return _FINAL_ROMAN[final], _INITIAL_ROMAN[initial]
    if initial == "ㄹ":
        if sound in ("n", "l"):  # lateralization: 신라 Silla, 울릉 Ulleung
            return "l", "l"
        if sound in _NASAL_OF:  # 백령 Baengnyeong, 압록 Amnok
            return _NASAL_OF[sound], "n"
        return _FINAL_ROMAN[final], "n"  # after ㅁ/ㅇ: 종로 Jongno, 담력 damnyeok
    return _FINAL_ROMAN[final], _INITIAL_ROMAN[initial]


def _romanize_run(syllables: list[tuple[str, str, str]]) -> str:
    parts: list[str] = []
    initial_roman = _INITIAL_ROMAN[syllables[0][0]]
    for position, (_, vowel, final) in enumerate(syllables):
        if position + 1 < len(syllables):
            next_initial, next_vowel, _ = syllables[position + 1]
            final_roman, next_initial_roman = _boundary(final, next_initial, next_vowel)
        else:
            final_roman, next_initial_roman = _FINAL_ROMAN[final], ""
        parts.append(initial_roman + _VOWEL_ROMAN[vowel] + final_roman)
        initial_roman = next_initial_roman
    return "".join(parts)


def romanize(hangul: str) -> str:
    """Romanize Korean text by the Revised Romanization, first letter capitalized.

    Runs of Hangul syllables are romanized with the sound changes between syllables; anything
    else (spaces, hyphens, digits, Latin letters) is kept as it is and breaks the run, so no
    sound change crosses it.
    """
    out: list[str] = []
    run: list[tuple[str, str, str]] = []
    for char in hangul:
        jamo = _decompose(char)
        if jamo is None:
            if run:
                out.append(_romanize_run(run))
                run = []
            out.append(char)
        else:
            run.append(jamo)
    if run:
        out.append(_romanize_run(run))
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _place_word(word: str) -> str:
    for suffix in _DROPPED_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return romanize(word[: -len(suffix)])
    unit = word[-1:]
    if unit in UNITS and len(word) > 1:
        return f"{romanize(word[:-1])}-{UNITS[unit]}"
    return romanize(word)


def place_english(gov: str) -> str:
    """English name of a local government by the rules: "종로구" → "Jongno-gu", "경기도" → "Gyeonggi-do".

    The trailing unit (시/군/구/도) is split off and joined with a hyphen, with no sound change
    across it; each space-separated word is treated alone ("수원시 장안구" → "Suwon-si Jangan-gu").
    Provincial-level suffixes 특별시/광역시/특별자치시/특별자치도 are dropped ("대구광역시" → "Daegu").
    """
    return " ".join(_place_word(word) for word in gov.split())

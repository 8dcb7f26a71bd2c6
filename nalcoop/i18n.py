"""The display language of a run: Korean (`ko`) by default, English with `--lang en` or NALCOOP_LANG=en
(`--lang` wins when both are given).

Messages are written in English in the code and translated through gettext: `_("...")` marks a message
(Babel extracts the marks into nalcoop/locale/nalcoop.pot; the Korean catalog is
nalcoop/locale/ko/LC_MESSAGES/nalcoop.po, compiled to the .mo beside it, which ships in the package). A
third language is one more catalog: add its code to LANGUAGES and its folder under nalcoop/locale/.

What stays the same in every language, because scripts depend on it: command and option names, the codes
of closed lists, JSON and JSONL keys.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LANGUAGES = ("ko", "en")  # the first is the default
SOURCE = "en"  # the language the messages are written in (no catalog needed)
VARIABLE = "NALCOOP_LANG"
LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "nalcoop"

_chosen: str | None = None  # set by --lang for this run
_catalogs: dict[str, Catalog] = {}


class LanguageError(ValueError):
    """An unknown language (--lang or NALCOOP_LANG): a usage error, exit code 2. (Not a NalcoopError: the
    errors module says its messages through this one, which therefore imports nothing of nalcoop.)

    Its line is said in every language nalcoop speaks, each through its own catalog, one after the other
    (Korean first, the default): the language asked for is the one thing not known, and whoever mistyped it
    reads one of them. A new language's catalog adds its own sentence."""

    exit_code = 2


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it (translated later, where it is shown)."""
    return message


_UNKNOWN = N_("{where}: '{value}' is not a language nalcoop speaks; choose one of {choices}")


def checked(lang: str, where: str) -> str:
    """`lang` as a known language code (any case, `ko-KR` as `ko`), else LanguageError naming `where`."""
    code = str(lang).strip().casefold().replace("_", "-").split("-", 1)[0]
    if code not in LANGUAGES:
        raise LanguageError(" / ".join(
            (_UNKNOWN if each == SOURCE else _catalog(each).gettext(_UNKNOWN)).format(
                where=where, value=lang, choices=", ".join(LANGUAGES))
            for each in LANGUAGES))
    return code


def set_language(lang: str | None) -> None:
    """The language of this run (`--lang`); None goes back to NALCOOP_LANG or the default."""
    global _chosen
    _chosen = None if lang is None else checked(lang, "--lang")


def current() -> str:
    """--lang, else NALCOOP_LANG, else Korean."""
    if _chosen is not None:
        return _chosen
    wanted = os.environ.get(VARIABLE)
    return checked(wanted, VARIABLE) if wanted else LANGUAGES[0]


class Catalog:
    """A compiled catalog (.mo, the GNU format the standard gettext reads), read for one run: the index of its
    msgids is built at once, and a translation is decoded only when its message is shown. (gettext's own
    GNUTranslations decodes all of them, some 1,600, before the first is needed: a few milliseconds that
    every command in Korean would pay.) A language without a catalog translates nothing."""

    def __init__(self, path: Path):
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        self._data = data
        self._index: dict[bytes, tuple[int, int]] = {}
        self._plural = None
        if len(data) < 20:
            return
        order = "little" if int.from_bytes(data[:4], "little") == 0x950412DE else "big"
        count, originals, translations = (int.from_bytes(data[at:at + 4], order) for at in (8, 12, 16))
        # (length, offset) pairs, read as 32-bit words (no struct or array to import: start-up)
        keys = memoryview(data[originals:originals + 8 * count]).cast("I")
        values = memoryview(data[translations:translations + 8 * count]).cast("I")
        if order != sys.byteorder:  # a catalog compiled on a machine of the other byte order
            from array import array

            keys, values = array("I", keys), array("I", values)
            keys.byteswap()
            values.byteswap()
        for k in range(count):
            key = data[keys[2 * k + 1]:keys[2 * k + 1] + keys[2 * k]]
            # a plural entry is keyed "singular\0plural"; ngettext looks it up by its singular
            self._index[key.split(b"\0", 1)[0]] = (values[2 * k + 1], values[2 * k])

    def _found(self, message: str) -> str | None:
        where = self._index.get(message.encode("utf-8"))
        if where is None:
            return None
        offset, length = where
        return self._data[offset:offset + length].decode("utf-8")

    def gettext(self, message: str) -> str:
        found = self._found(message)
        return message if found is None else found.split("\0", 1)[0]

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self._found(singular)
        if found is None:
            return singular if n == 1 else plural
        forms = found.split("\0")
        return forms[min(self._form(n), len(forms) - 1)]

    def _form(self, n: int) -> int:
        """Which plural form `n` takes, by the catalog's Plural-Forms header (Korean has one form)."""
        if self._plural is None:
            import gettext
            import re

            header = self._found("") or ""
            rule = re.search(r"plural=(.*?);?\s*$", next((line for line in header.splitlines()
                                                          if line.lower().startswith("plural-forms:")), ""))
            self._plural = gettext.c2py(rule[1]) if rule else (lambda count: int(count != 1))
        return self._plural(n)


def _catalog(lang: str) -> Catalog:
    if lang not in _catalogs:
        _catalogs[lang] = Catalog(LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo")
    return _catalogs[lang]


def gettext(message: str) -> str:
    """`message` (English, as written in the code) in the language of the run."""
    lang = current()
    if lang == SOURCE or not message:
        return message
    return _catalog(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    lang = current()
    if lang == SOURCE:
        return singular if n == 1 else plural
    return _catalog(lang).ngettext(singular, plural, n)


_ = gettext


def josa(word: str, after_consonant: str, after_vowel: str, *, lang: str | None = None) -> str:
    """`word` with the Korean particle its last syllable takes, for a noun that fills a placeholder of a Korean
    sentence (a fixed noun such as 협의체 or 기관, so the catalog cannot write the particle itself):
    josa("협의체", "이", "가") is 협의체가, josa("기관", "이", "가") 기관이, josa("서울", "으로", "로") 서울로 (ㄹ takes
    로). A word ending in anything but a Hangul syllable keeps both forms, "word이(가)". In a run of another
    language (`lang`, else the run's), the word alone: the particle is Korean grammar."""
    if (lang or current()) != "ko" or not word:
        return word
    last = ord(word[-1]) - 0xAC00
    if not 0 <= last < 11172:
        return f"{word}(으)로" if after_consonant == "으로" else f"{word}{after_consonant}({after_vowel})"
    final = last % 28  # 0: no final consonant (받침); 8: ㄹ
    if final == 0 or (final == 8 and after_consonant == "으로"):
        return word + after_vowel
    return word + after_consonant

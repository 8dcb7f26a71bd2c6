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
from pathlib import Path

LANGUAGES = ("ko", "en")  # the first is the default
SOURCE = "en"  # the language the messages are written in (no catalog needed)
VARIABLE = "NALCOOP_LANG"
LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "nalcoop"

_chosen: str | None = None  # set by --lang for this run
_catalogs: dict[str, object] = {}


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


def _catalog(lang: str):
    if lang not in _catalogs:
        import gettext

        _catalogs[lang] = gettext.translation(DOMAIN, localedir=LOCALE, languages=[lang], fallback=True)
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

"""Closed lists of values (statuses, steps, kinds, types, modes, reasons, roles …): one Vocabulary each.

A vocabulary is defined once, beside the activity that owns it (`agreements.MODES`, `donations.REASONS`, …),
and everything else follows from it: the ledger's CHECK constraints are compared with it by a test
(tests/test_vocabulary.py), the command line's choices and their help are generated from it
(`commands.common.choice`), and each value carries its Korean and English label for display.

A Vocabulary is the ordered sequence of its codes, so `code in MODES`, `MODES.index(code)` and
`", ".join(MODES)` read as they did when it was a tuple. The codes are what the ledger stores and what a
script passes (`--status signed`); a person may also type the Korean label (`--status 체결`).

Standard library only: the activity modules import this at start.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence

LANGUAGES = ("ko", "en")


class Term:
    """One value of a closed list: the code stored and typed by scripts, its labels, and a short help.
    (A plain class, not a dataclass: every activity module builds a few dozen at start.)"""

    __slots__ = ("aliases", "code", "en", "help", "ko")

    def __init__(self, code: str, ko: str, en: str, help: str | None = None, *, aliases: tuple[str, ...] = ()):
        self.code = code
        self.ko = ko
        self.en = en
        self.help = help  # a few English words for --help, where the code alone does not say enough
        self.aliases = aliases  # other Korean words accepted on the command line (광역 for 광역의회)

    def __repr__(self) -> str:
        return f"Term({self.code!r}, {self.ko!r}, {self.en!r})"

    def label(self, lang: str) -> str:
        if lang not in LANGUAGES:  # a programming error: the run's language is checked by nalcoop.i18n
            raise ValueError(f"no labels in language {lang!r}; known: {', '.join(LANGUAGES)}")  # not a message
        return self.ko if lang == "ko" else self.en


def typed(text: str) -> str:
    """What a typed value is compared by: NFC, case-folded, without spaces or middle dots (시·도 = 시도)."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "·ㆍ・")


class Vocabulary(Sequence[str]):
    """A named, ordered closed list of Terms; as a sequence, its codes."""

    def __init__(self, name: str, terms: Iterable[Term]):
        self.name = name
        self.terms: tuple[Term, ...] = tuple(terms)
        self.codes: tuple[str, ...] = tuple(term.code for term in self.terms)
        self._by_code = {term.code: term for term in self.terms}
        self._position = {code: position for position, code in enumerate(self.codes)}
        self._typed: dict[str, str] = {}
        for term in self.terms:  # codes first: a code always wins over another term's label
            self._typed[typed(term.code)] = term.code
        for term in self.terms:
            for word in (term.ko, *term.aliases):
                known = self._typed.setdefault(typed(word), term.code)
                if known != term.code:  # a list defined wrong, found at import by the tests: for a programmer
                    raise ValueError(f"vocabulary {name!r}: {word!r} would mean both {known!r} and "  # not a message
                                     f"{term.code!r}")
        if len(self._by_code) != len(self.terms):
            raise ValueError(f"vocabulary {name!r} repeats a code")  # not a message: as above

    # --- the sequence of codes
    def __getitem__(self, index):  # type: ignore[override]
        return self.codes[index]

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def index(self, code: object, start: int = 0, stop: int | None = None) -> int:  # a sort key in statistics
        position = self._position.get(code)  # type: ignore[call-overload]
        if position is None or position < start or (stop is not None and position >= stop):
            raise ValueError(f"{code!r} is not a {self.name}")  # not a message: Sequence.index's error, for code
        return position

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {list(self.codes)!r})"

    # --- terms and labels
    def term(self, code: str) -> Term:
        try:
            return self._by_code[code]
        except KeyError:  # a code the program holds, not one a person typed (those go through lookup/check)
            raise KeyError(f"{code!r} is not a {self.name}; known: {', '.join(self.codes)}") from None  # not a message

    def label(self, code: str, lang: str) -> str:
        """The label of `code` in `lang` ('ko' or 'en'), for display."""
        return self.term(code).label(lang)

    def said(self, code: str) -> str:
        """`code` as a message of this run says it: the code itself in English (as scripts type it), the Korean
        label in Korean."""
        from nalcoop.i18n import current

        lang = current()
        return code if lang == "en" or code not in self._by_code else self.label(code, lang)

    def check(self, value: str, what: str, error: type[Exception]) -> str:
        """`value` when it is one of the codes (as stored: the rules take codes, the command line parses
        words), else `error` saying "{what} 'value' is not one of ...", in the language of the run: `what`
        (such as "role") is marked where it is written, `N_("role")`, and translated here."""
        if value not in self._by_code:
            from nalcoop.i18n import _

            raise error(_("{what} '{value}' is not one of {codes}").format(
                what=_(what), value=value, codes=self.choices(None)))
        return value

    def subset(self, *codes: str) -> Vocabulary:
        """The same vocabulary restricted to `codes` (in its own order): the choices one command offers."""
        for code in codes:
            self.term(code)
        return Vocabulary(self.name, [term for term in self.terms if term.code in codes])

    # --- what a person types
    def lookup(self, text: str) -> str | None:
        """The code meant by `text`: a code in any case, or a Korean label (spaces and · ignored); else None."""
        return self._typed.get(typed(str(text)))

    def invalid(self, text: str) -> str:
        """One line saying that `text` is none of the choices, and what they are (click's wording for choices)."""
        from nalcoop.i18n import _

        codes = ", ".join(repr(code) for code in self.codes)
        return _("{value} is not one of {codes} (or {labels}).").format(
            value=repr(text), codes=codes, labels=", ".join(term.ko for term in self.terms))

    def choices(self, conjunction: str | None = "or") -> str:
        """The codes a person may give, as a message of this run lists them: 'a, b or c' in English (the codes
        are English words); in Korean each with its label, 'a(가), b(나) 또는 c(다)' (either is accepted).
        `conjunction` None: commas alone ('a, b, c', for "one of ...")."""
        from nalcoop.i18n import current

        english = current() == "en"
        parts = [code if english else f"{code}({term.ko})" for code, term in self._by_code.items()]
        return ", ".join(parts) if conjunction is None else listed(parts, conjunction)

    def parse(self, text: str) -> str:
        """The code meant by `text`; a ValueError with `invalid`'s line when there is none."""
        code = self.lookup(text)
        if code is None:
            raise ValueError(self.invalid(text))
        return code

    # --- help
    def listing(self, conjunction: str = "or") -> str:
        """The codes as a sentence fragment in the language of the run: 'a, b or c', 'a, b 또는 c'."""
        return listed(list(self.codes), conjunction)

    def help(self, before: str = "", after: str = "") -> str:
        """Help for an option taking this list: each code with its Korean label (and short help), in order.
        In English whatever the run's language: it is built once, at import, and is the msgid the catalog
        translates whole (nalcoop.commands.translation)."""
        parts = [f"{term.code} ({term.ko}{': ' + term.help if term.help else ''})" for term in self.terms]
        text = _sentence(parts, "or") + "."
        return " ".join(part for part in (before, text, after) if part)


TOTAL = Term("total", "합계", "total")  # the row of a statistic that sums the others


def joined(name: str, *parts: Vocabulary | Term) -> Vocabulary:
    """One vocabulary of the terms of several (a code's first term wins): the labels of a column whose values
    come from more than one list, such as a statistic's groups (library types, then reasons, then the total)."""
    terms: dict[str, Term] = {}
    for part in parts:
        for term in (part.terms if isinstance(part, Vocabulary) else (part,) if isinstance(part, Term) else part):
            terms.setdefault(term.code, term)
    return Vocabulary(name, terms.values())


class Gathered:
    """The labels of a column whose values come from vocabularies spread over modules not yet imported (the
    overview's measures, one list per activity): `gather()` returns them, on the first value shown."""

    def __init__(self, gather):
        self._gather = gather
        self._vocabulary: Vocabulary | None = None

    def _gathered(self) -> Vocabulary:
        if self._vocabulary is None:
            self._vocabulary = self._gather()
        return self._vocabulary

    def __contains__(self, code: object) -> bool:
        return code in self._gathered()

    def label(self, code: str, lang: str) -> str:
        return self._gathered().label(code, lang)

    def said(self, code: str) -> str:
        return self._gathered().said(code)


ANSWERS = Vocabulary("answer", [Term("yes", "예", "yes"), Term("no", "아니오", "no")])  # a yes/no cell


def _sentence(parts: list[str], conjunction: str) -> str:
    """'a, b or c' in English, whatever the run's language (help text, translated whole)."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


def listed(parts: Sequence[str], conjunction: str = "or") -> str:
    """'a, b or c' ('and' for `conjunction` "and") in the language of the run: 'a, b 또는 c', 'a, b 및 c'."""
    if len(parts) < 2:
        return "".join(parts)
    from nalcoop.i18n import _

    items, last = ", ".join(parts[:-1]), parts[-1]
    if conjunction == "and":
        return _("{items} and {last}").format(items=items, last=last)
    if conjunction != "or":  # a programming error: the two words are the catalog's
        raise ValueError(f"conjunction {conjunction!r}: 'or' or 'and'")  # not a message
    return _("{items} or {last}").format(items=items, last=last)

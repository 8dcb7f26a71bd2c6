"""How names typed by a librarian find a record: one comparison key, one lookup with candidates.

Shared by every group whose records are found by name (publications, recipients, organizations,
bodies, events), so that spacing, punctuation, brackets and case are ignored the same way everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from nalcoop.errors import NalcoopError, shortened
from nalcoop.i18n import _, josa

if TYPE_CHECKING:
    import sqlite3

T = TypeVar("T")
_IGNORED = re.compile(r"[\s\-_.,·()'\"\[\]『』「」《》<>]+")


def nfc(text: str) -> str:
    """Text as one form of Unicode (NFC): Hangul from macOS arrives as decomposed jamo (NFD), which looks the
    same but compares unequal. Applied where text enters: arguments, spreadsheet cells and headers, map files.

    Composes what arrived decomposed and never rewrites a character that is whole already: NFC would replace
    a Hanja compatibility ideograph (樂 U+F914) by its unified form, or split a composition exclusion (U+0A59),
    and the text would not survive an import. ASCII (most cells) is returned at once.
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    pieces: list[str] = []
    run_start = 0
    for index, char in enumerate(text):
        if not char.isascii() and unicodedata.normalize("NFC", char) != char:  # NFC rewrites it even alone
            pieces += [unicodedata.normalize("NFC", text[run_start:index]), char]
            run_start = index + 1
    pieces.append(unicodedata.normalize("NFC", text[run_start:]))
    return "".join(pieces)


def name_key(text: object) -> str:
    """How titles and names are compared: spacing, punctuation, brackets and case ignored."""
    return _IGNORED.sub("", nfc(str(text or ""))).casefold()  # nfc: a name stored decomposed by an earlier nalcoop


def trimmed(value: object) -> str | None:
    """A text field as stored: surrounding spaces dropped, and nothing for an empty one."""
    return (str(value).strip() or None) if value is not None else None


def not_found(kind: str, text: str, labels: Sequence[str], listing: str,
              error: type[NalcoopError] = NalcoopError) -> NalcoopError:
    """'no X is called ...', with the closest names (a long text is no typo of a name). `kind` (such as
    "course") is marked where it is written, `N_("course")`, and said here in the language of the run."""
    close = []
    if labels and len(text) <= 100:
        from rapidfuzz import fuzz, process

        close = process.extract(text, list(labels), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    if close:
        return error(_("no {kind} is called '{name}'; did you mean {names}? (`{listing}` lists them)").format(
            kind=josa(_(kind), "이", "가"), name=shortened(text),
            names=", ".join(name for name, _score, _index in close), listing=listing))
    return error(_("no {kind} is called '{name}' (`{listing}` lists them)").format(
        kind=josa(_(kind), "이", "가"), name=shortened(text), listing=listing))


class Lookup:
    """Candidates indexed once, then found by name as often as needed (an import resolves every row):
    by the label as listed, by an exact key, then by a unique part of a key. Several matches are
    refused with every candidate; none, with the closest names.

    `kind` names one candidate and `plural` several ("course", "courses"), in English, marked with N_ where
    they are written and said in the language of the run; `plural` defaults to `kind` + "s"."""

    def __init__(self, kind: str, candidates: Sequence[T], label: Callable[[T], str], listing: str,
                 keys: Callable[[T], Iterable[str]], *, error: type[NalcoopError] = NalcoopError,
                 missing: type[NalcoopError] | None = None, plural: str | None = None):
        self.kind, self.candidates, self.label, self.listing = kind, list(candidates), label, listing
        self.error, self.missing, self.plural = error, missing or error, plural
        self.keys = [[k for k in keys(c) if k] for c in self.candidates]
        self.labels = [name_key(label(c)) for c in self.candidates]
        self.exact: dict[str, list[int]] = {}
        for number, (own, label_key) in enumerate(zip(self.keys, self.labels, strict=True)):
            for key in {label_key, *own}:
                self.exact.setdefault(key, []).append(number)

    def find(self, text: str) -> T:
        query = str(text or "").strip()
        key = name_key(query)
        if not key:
            raise self.missing(_("the {kind} is empty; give its name as `{listing}` shows it").format(
                kind=_(self.kind), listing=self.listing))
        if not self.candidates:
            raise self.missing(_("no {kind} is called '{name}': none is registered yet (see `{listing}`)").format(
                kind=josa(_(self.kind), "이", "가"), name=shortened(query), listing=self.listing))
        by_label = [n for n in self.exact.get(key, []) if self.labels[n] == key]
        for numbers in (by_label, self.exact.get(key, []),
                        [n for n, own in enumerate(self.keys) if any(key in k for k in own)]):
            if len(numbers) == 1:
                return self.candidates[numbers[0]]
            if len(numbers) > 1:
                matches = [self.candidates[n] for n in numbers]
                shown = "; ".join(self.label(c) for c in matches[:10]) + ("; …" if len(matches) > 10 else "")
                kinds = self.plural or f"{self.kind}s"
                raise self.error(_("'{name}' matches {count} {kinds}: {shown}. Give one as listed, such as "
                                   "'{example}'").format(name=shortened(query), count=len(matches),
                                                         kinds=josa(_(kinds), "이", "가"), shown=shown,
                                                         example=self.label(matches[0])))
        raise not_found(self.kind, query, [self.label(c) for c in self.candidates], self.listing, self.missing)


def pick(kind: str, text: str, candidates: Sequence[T], label: Callable[[T], str], listing: str,
         keys: Callable[[T], Iterable[str]], *, error: type[NalcoopError] = NalcoopError,
         missing: type[NalcoopError] | None = None, plural: str | None = None) -> T:
    """One of `candidates` by name (see Lookup): for a single lookup."""
    return Lookup(kind, candidates, label, listing, keys, error=error, missing=missing, plural=plural).find(text)


def rekey(conn: sqlite3.Connection, table: str, key: str, source: str,
          unique_within: tuple[str, ...] | None) -> tuple[int, list[tuple]]:
    """Set `table`.`key` to name_key(`source`) wherever the stored key was made another way (by an earlier
    nalcoop: a name stored decomposed, or donations' own key that kept 『』). Runs inside the caller's journaled
    command; returns the number of rows re-keyed and the collisions.

    `unique_within`: the key is unique together with these columns (() alone, None not unique). A row whose new
    key another row of the same scope holds keeps its stored key, and nothing is lost: it comes back as
    (row id, its name, the other row's id, the other's name) for the caller to tell. `source` is a column or
    an expression over the row (the table's own columns, given by the migration that lists them)."""
    scope = list(unique_within or ())
    picked = ", ".join([f'"{column}"' for column in scope] + [f"{source} as source", f'"{key}" as stored'])
    rows = conn.execute(f'select id, {picked} from "{table}" order by id').fetchall()
    held: dict[tuple, int] = {}  # (scope..., key) -> the row holding it now
    names: dict[int, str] = {}
    pending = []
    for row in rows:
        *where, text, stored = row[1:]
        names[row[0]] = text
        held[(*where, stored)] = row[0]
        new = name_key(text) if text is not None else stored
        if new and new != stored:
            pending.append((row[0], tuple(where), stored, new))
    done = 0
    while pending:  # a row moves once its new key is free (the row holding it may move first)
        left = []
        for row_id, where, stored, new in pending:
            holder = held.get((*where, new)) if unique_within is not None else None
            if holder is not None and holder != row_id:
                left.append((row_id, where, stored, new))
                continue
            conn.execute(f'update "{table}" set "{key}" = ? where id = ?', [new, row_id])
            held.pop((*where, stored), None)
            held[(*where, new)] = row_id
            done += 1
        if len(left) == len(pending):
            break
        pending = left
    else:
        left = []
    return done, [(row_id, names[row_id], held[(*where, new)], names[held[(*where, new)]])
                  for row_id, where, _stored, new in left]

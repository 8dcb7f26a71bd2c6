"""How names typed by a librarian find a record: one comparison key, one lookup with candidates.

Shared by every group whose records are found by name (publications, recipients, organizations,
bodies, events), so that spacing, punctuation, brackets and case are ignored the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from nalcoop.errors import NalcoopError

T = TypeVar("T")
_IGNORED = re.compile(r"[\s\-_.,·()'\"\[\]『』「」《》<>]+")


def name_key(text: object) -> str:
    """How titles and names are compared: spacing, punctuation, brackets and case ignored."""
    return _IGNORED.sub("", str(text or "")).casefold()


def trimmed(value: object) -> str | None:
    """A text field as stored: surrounding spaces dropped, and nothing for an empty one."""
    return (str(value).strip() or None) if value is not None else None


def shortened(text: object, limit: int = 60) -> str:
    from nalcoop.registry import shortened as registry_shortened

    return registry_shortened(text, limit)


def not_found(kind: str, text: str, labels: Sequence[str], listing: str,
              error: type[NalcoopError] = NalcoopError) -> NalcoopError:
    """'no X is called ...', with the closest names (a long text is no typo of a name)."""
    hint = ""
    if labels and len(text) <= 100:
        from rapidfuzz import fuzz, process

        close = process.extract(text, list(labels), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
        hint = f"; did you mean {', '.join(name for name, _score, _ in close)}?" if close else ""
    return error(f"no {kind} is called '{shortened(text)}'{hint} (`{listing}` lists them)")


def pick(kind: str, text: str, candidates: Sequence[T], label: Callable[[T], str], listing: str,
            keys: Callable[[T], Iterable[str]], *, error: type[NalcoopError] = NalcoopError,
            missing: type[NalcoopError] | None = None, plural: str | None = None) -> T:
    """One of `candidates` by its label as listed, by an exact key, then by a unique part of a key.

    Several matches are refused with every candidate; none, with the closest names.
    """
    missing = missing or error
    query = str(text or "").strip()
    key = name_key(query)
    if not key:
        raise missing(f"the {kind} is empty; give its name as `{listing}` shows it")
    if not candidates:
        raise missing(f"no {kind} is called '{shortened(query)}': none is registered yet (see `{listing}`)")
    for matches in ([c for c in candidates if name_key(label(c)) == key],
                    [c for c in candidates if key in keys(c)],
                    [c for c in candidates if any(key in k for k in keys(c))]):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = "; ".join(label(c) for c in matches[:10]) + ("; …" if len(matches) > 10 else "")
            raise error(f"'{shortened(query)}' matches {len(matches)} {plural or kind + 's'}: {shown}. "
                        f"Give one as listed, such as '{label(matches[0])}'")
    raise not_found(kind, query, [label(c) for c in candidates], listing, missing)

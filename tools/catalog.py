"""The message catalogs (issue 17), with Babel: extract → update → compile.

    python tools/catalog.py            # all three, for every language of nalcoop.i18n.LANGUAGES but English
    python tools/catalog.py extract    # nalcoop/locale/nalcoop.pot
    python tools/catalog.py update     # each nalcoop/locale/<lang>/LC_MESSAGES/nalcoop.po from the .pot
    python tools/catalog.py compile    # each .po to the .mo beside it (what ships and what gettext reads)
    python tools/catalog.py missing    # the msgids a language lacks, fuzzy ones included (exit 1 if any)

What is extracted (the .pot is the union):
- every `_("...")`, `gettext("...")`, `ngettext("...", "...", n)` and `N_("...")` in nalcoop/ (Babel's Python
  extractor; a comment starting `TRANSLATORS:` just above goes to the translator);
- every command's --help, walked through the command tree in English: each paragraph of a command's help,
  each option's and argument's help (nalcoop.commands.translation.msgid_of: the words, one space apart).
  Command modules keep plain English docstrings and help; nothing in them is marked;
- the description of every registry change shipped in nalcoop/data/councils.yaml (stored in English, shown in
  the run's language by nalcoop.registry.described).

`update` adds new msgids untranslated, drops the ones no longer extracted (no obsolete entries are kept) and
marks a msgid that changed a little as fuzzy with its old translation as a suggestion; `compile` leaves fuzzy
and untranslated entries out (gettext then shows the English). tests/test_catalog.py fails while a msgid is
missing, untranslated, fuzzy or stale, or while a .mo is not the compile of its .po. Babel is a test/dev
dependency (the `test` extra): the package ships the .po and the compiled .mo, and reads the .mo with the
standard library's gettext.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from nalcoop import i18n  # noqa: E402

PACKAGE = ROOT / "nalcoop"
TEMPLATE = i18n.LOCALE / f"{i18n.DOMAIN}.pot"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
HEADER = dict(project="nalcoop", copyright_holder="nalcoop", msgid_bugs_address="", charset="utf-8")


def po_path(lang: str) -> Path:
    return i18n.LOCALE / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def translated_languages() -> list[str]:
    return [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE]


def template() -> Catalog:
    """Every translatable string of nalcoop, as a Babel catalog (the .pot, in memory)."""
    catalog = Catalog(domain=i18n.DOMAIN, **HEADER, fuzzy=False)
    for filename, lineno, message, comments, _context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        if isinstance(message, tuple) and (None in message or "" in message):
            continue
        if not message:
            continue
        catalog.add(message, locations=[(f"nalcoop/{filename}", lineno)], auto_comments=comments)
    for path, msgid in help_messages():
        if msgid not in catalog:
            catalog.add(msgid, auto_comments=[f"--help: {path}"])
    for key, msgid in registry_descriptions():
        if msgid not in catalog:
            catalog.add(msgid, auto_comments=[f"councils.yaml: the description of the shipped change {key}"])
    return catalog


def registry_descriptions() -> list[tuple[str, str]]:
    """(key, description) of every change shipped in nalcoop/data/councils.yaml: stored as written (English) and
    shown in the run's language (nalcoop.registry.described)."""
    import yaml

    data = yaml.safe_load((PACKAGE / "data" / "councils.yaml").read_text(encoding="utf-8"))
    return [(entry["key"], entry["description"]) for entry in data.get("changes") or []]


def help_messages() -> list[tuple[str, str]]:
    """(where, msgid) for every paragraph of help the command tree holds, walked in English."""
    from typer._click import Context
    from typer.main import get_command

    from nalcoop.cli import COMMANDS, app
    from nalcoop.commands.translation import help_paragraphs, msgid_of

    chosen = i18n._chosen
    i18n.set_language(i18n.SOURCE)
    found: list[tuple[str, str]] = []
    try:
        def walk(command, path: tuple[str, ...], parent) -> None:
            where = " ".join(("nalcoop", *path))
            ctx = Context(command, info_name=path[-1] if path else "nalcoop", parent=parent)
            for text in (command.help, command.epilog):
                found.extend((where, msgid) for msgid in help_paragraphs(text))
            if command.short_help:
                found.append((where, msgid_of(command.short_help)))
            for param in command.get_params(ctx):
                if getattr(param, "help", None):
                    found.append((f"{where} {param.opts[0] if param.opts else param.name}", msgid_of(param.help)))
            for name in command.list_commands(ctx) if hasattr(command, "list_commands") else ():
                walk(command.commands[name], (*path, name), ctx)

        walk(get_command(app), (), None)
        found.extend(("nalcoop --help", msgid_of(summary)) for _target, summary in COMMANDS.values())
    finally:
        i18n._chosen = chosen
    return found


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as file:
        return read_po(file, locale=lang, domain=i18n.DOMAIN)


def write_template(catalog: Catalog) -> None:
    """The .pot, rewritten only when its messages changed (not for a new creation date alone)."""
    if TEMPLATE.exists():
        with TEMPLATE.open("rb") as file:
            old = read_po(file)
        if _entries(old) == _entries(catalog):
            return
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as file:
        write_po(file, catalog, width=120, sort_output=True, include_lineno=False)


def _entries(catalog: Catalog) -> list[tuple]:
    return sorted((str(m.id), tuple(m.auto_comments), tuple(loc[0] for loc in m.locations)) for m in catalog if m.id)


def update(lang: str, pot: Catalog) -> Catalog:
    """The .po of `lang` brought in line with `pot`: new msgids added untranslated, gone ones dropped, a changed
    one fuzzy with the old translation as a suggestion."""
    path = po_path(lang)
    catalog = read(lang) if path.exists() else Catalog(locale=lang, domain=i18n.DOMAIN, **HEADER, fuzzy=False)
    catalog.update(pot, update_creation_date=False)
    catalog.obsolete.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalog, width=120, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_po(lang: str) -> None:
    mo_path(lang).write_bytes(compiled(read(lang)))


def translations(catalog: Catalog) -> dict:
    """What a compiled catalog says: msgid → msgstr for every entry translated and not fuzzy."""
    return {message.id: message.string for message in catalog
            if message.id and message.string and (not isinstance(message.string, tuple) or all(message.string))
            and not message.fuzzy}


def problems(lang: str, pot: Catalog | None = None) -> dict[str, list[str]]:
    """What keeps `lang`'s catalog from being whole: missing, untranslated, fuzzy, stale (in the .po but no
    longer extracted), obsolete, placeholders that differ, and a .mo that is not the compile of the .po."""
    import gettext
    import re

    pot = pot or template()
    catalog = read(lang)
    wanted = {message.id for message in pot if message.id}
    have = {message.id: message for message in catalog if message.id}
    placeholder = re.compile(r"\{[^{}]*\}")
    found: dict[str, list[str]] = {
        "missing": sorted(str(msgid) for msgid in wanted - set(have)),
        "untranslated": sorted(str(msgid) for msgid, message in have.items() if msgid in wanted and not (
            all(message.string) if isinstance(message.string, tuple) else message.string)),
        "fuzzy": sorted(str(msgid) for msgid, message in have.items() if message.fuzzy),
        "stale": sorted(str(msgid) for msgid in set(have) - wanted),
        "obsolete": sorted(str(msgid) for msgid in catalog.obsolete),
        "placeholders": sorted(str(msgid) for msgid, message in have.items() if message.string and any(
            sorted(placeholder.findall(one)) != sorted(placeholder.findall(
                msgid if isinstance(msgid, str) else msgid[-1]))
            for one in (message.string if isinstance(message.string, tuple) else (message.string,)) if one)),
    }
    shipped: dict = {}
    if mo_path(lang).exists():
        with mo_path(lang).open("rb") as file:
            shipped = dict(gettext.GNUTranslations(file)._catalog)  # what gettext will read
    expected = {}
    for msgid, string in translations(catalog).items():
        if isinstance(msgid, tuple):
            for index, one in enumerate(string):
                expected[(msgid[0], index)] = one
        else:
            expected[msgid] = string
    shipped.pop("", None)
    found["mo"] = [] if shipped == expected else [f"{mo_path(lang).relative_to(ROOT)} is not the compile of its "
                                                  ".po: run `python tools/catalog.py compile`"]
    return found


def main(argv: list[str]) -> int:
    step = argv[0] if argv else "all"
    if step not in ("all", "extract", "update", "compile", "missing"):
        print(__doc__)
        return 2
    pot = template() if step in ("all", "extract", "update", "missing") else None
    if step in ("all", "extract"):
        write_template(pot)
        print(f"{TEMPLATE.relative_to(ROOT)}: {len(pot)} messages")
    for lang in translated_languages():
        if step in ("all", "update"):
            update(lang, pot)
            print(f"{po_path(lang).relative_to(ROOT)} updated")
        if step in ("all", "compile"):
            compile_po(lang)
            print(f"{mo_path(lang).relative_to(ROOT)} compiled")
        if step in ("all", "missing"):
            found = problems(lang, pot)
            lacking = found["missing"] + found["untranslated"] + found["fuzzy"]
            for msgid in lacking:
                print(f"{lang}: {msgid}")
            print(f"{lang}: {len(lacking)} of {len(pot)} messages not translated")
            if step == "missing" and lacking:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

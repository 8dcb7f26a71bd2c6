"""Issue 17: the display language of a run (the core: choosing it; the catalogs' own tests come with them)."""

from __future__ import annotations

import pytest

from nalcoop import i18n


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv("NALCOOP_LANG", raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def test_korean_by_default_english_by_the_variable_and_the_option_wins(monkeypatch):
    assert i18n.current() == "ko"
    monkeypatch.setenv("NALCOOP_LANG", "en")
    assert i18n.current() == "en"
    i18n.set_language("ko-KR")
    assert i18n.current() == "ko"


@pytest.mark.parametrize("where", ["--lang", "NALCOOP_LANG"])
def test_an_unknown_language_is_a_usage_error_naming_where(monkeypatch, where):
    with pytest.raises(i18n.LanguageError, match=f"{where}: 'fr' is not a language nalcoop speaks; choose one "
                                                 "of ko, en"):
        if where == "--lang":
            i18n.set_language("fr")
        else:
            monkeypatch.setenv("NALCOOP_LANG", "fr")
            i18n.current()


def test_english_is_the_source_and_needs_no_catalog(monkeypatch):
    monkeypatch.setenv("NALCOOP_LANG", "en")
    assert i18n._("no council is called '{name}'") == "no council is called '{name}'"
    assert i18n.ngettext("{n} row", "{n} rows", 2) == "{n} rows"


def test_the_catalog_reader_says_what_the_standard_gettext_says_for_every_message(tmp_path):
    """i18n.Catalog decodes a translation only when it is shown (start-up); it must read the shipped .mo exactly
    as gettext.GNUTranslations does, plural forms included."""
    import gettext

    path = i18n.LOCALE / "ko" / "LC_MESSAGES" / "nalcoop.mo"
    ours = i18n.Catalog(path)
    with open(path, "rb") as file:
        standard = gettext.GNUTranslations(file)
    singulars = {key[0] for key in standard._catalog if isinstance(key, tuple)}
    assert len(standard._catalog) > 1000 and singulars
    for key in standard._catalog:
        if isinstance(key, tuple):
            for n in (0, 1, 2, 11):
                assert ours.ngettext(key[0], key[0] + " (plural)", n) == standard.ngettext(key[0], key[0] + " (plural)",
                                                                                           n)
        elif key:
            assert ours.gettext(key) == standard.gettext(key)
    assert ours.gettext("a message no catalog holds") == "a message no catalog holds"
    assert ours.ngettext("{n} thing", "{n} things", 2) == "{n} things"
    missing = i18n.Catalog(tmp_path / "none.mo")  # a language without a catalog translates nothing
    assert missing.gettext("row {row}") == "row {row}" and missing.ngettext("a", "b", 1) == "a"


def test_a_catalog_compiled_big_endian_reads_the_same(tmp_path):
    """A .mo's words are in the byte order of the machine that compiled it: the reader takes either."""
    data = bytearray((i18n.LOCALE / "ko" / "LC_MESSAGES" / "nalcoop.mo").read_bytes())

    def word(at: int) -> int:
        return int.from_bytes(data[at:at + 4], "little")

    count, originals, translations, hash_size, hashes = (word(at) for at in (8, 12, 16, 20, 24))
    spans = [(0, 28), (originals, originals + 8 * count), (translations, translations + 8 * count),
             (hashes, hashes + 4 * hash_size)]
    for start, end in spans:
        for at in range(start, end, 4):
            data[at:at + 4] = word(at).to_bytes(4, "big")
    swapped = tmp_path / "big.mo"
    swapped.write_bytes(bytes(data))
    little, big = i18n.Catalog(i18n.LOCALE / "ko" / "LC_MESSAGES" / "nalcoop.mo"), i18n.Catalog(swapped)
    for message in ("row {row}", "Certificate of Completion", "no rows"):
        assert big.gettext(message) == little.gettext(message) != message
    assert big.ngettext("{count} title", "{count} titles", 3) == "{count}종"


@pytest.mark.parametrize(("word", "pair", "said"), [
    ("협의체", ("이", "가"), "협의체가"), ("기관", ("이", "가"), "기관이"), ("행사", ("이", "가"), "행사가"),
    ("기수", ("이", "가"), "기수가"), ("평가", ("을", "를"), "평가를"), ("시간 기록", ("을", "를"), "시간 기록을"),
    ("서울", ("으로", "로"), "서울로"), ("부산", ("으로", "로"), "부산으로"), ("의회", ("으로", "로"), "의회로"),
    ("klc", ("이", "가"), "klc이(가)"), ("2025", ("으로", "로"), "2025(으)로"), ("", ("이", "가"), ""),
])
def test_josa_picks_the_particle_by_the_last_syllable_s_final_consonant(word, pair, said):
    assert i18n.josa(word, *pair, lang="ko") == said
    assert i18n.josa(word, *pair, lang="en") == word


def test_josa_follows_the_run_s_language():
    i18n.set_language("ko")
    assert i18n.josa("협의체", "이", "가") == "협의체가"
    i18n.set_language("en")
    assert i18n.josa("body", "이", "가") == "body"

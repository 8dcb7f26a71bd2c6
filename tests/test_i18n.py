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

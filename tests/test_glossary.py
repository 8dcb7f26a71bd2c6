"""Issue 17: one Korean term per concept (the README's glossary). A word the glossary replaced must not come back
in anything a person reads: the Korean catalog's translations, and the Korean text written in the code (column
titles, the closed lists' labels, the web view's titles). The column maps in nalcoop/data/maps/ are not
checked: they list every spelling a colleague's spreadsheet may use as a header, old words included."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "nalcoop" / "locale" / "ko" / "LC_MESSAGES" / "nalcoop.po"

# the word a text must not use (a regular expression) → the glossary's word for the concept
REPLACED = {
    "수신처": "수령처",  # a recipient of NAL's publications
    "발송처": "수령처",
    "수령 기관": "수령처",
    "간행물": "발간자료",  # NAL's publications
    "배포": "발송",  # distribution of publications: 발간자료 발송
    "원장": "장부",  # the ledger
    "실무수습": "현장실습",  # the apprenticeship
    "기증처": "받는 도서관",  # where a donation goes
    "발송 목록": "포장 명세서",  # the packing list of a donation batch
    "기증 건(?!수)": "기증 묶음",  # a donation batch (기증 건수, the count of batches, is another word)
}


def _catalog_texts() -> list[tuple[str, str]]:
    from babel.messages.pofile import read_po

    with open(PO, "rb") as file:
        catalog = read_po(file)
    texts = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend((f"nalcoop.po: {message.id!r}", text) for text in strings if text)
    return texts


def _code_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "nalcoop").rglob("*.py")):
        if "data" in path.relative_to(ROOT / "nalcoop").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search("[가-힣]", node.value):
                texts.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return texts


@pytest.mark.parametrize("where", ["catalog", "code"])
def test_no_text_uses_a_word_the_glossary_replaced(where):
    pytest.importorskip("babel")
    texts = _catalog_texts() if where == "catalog" else _code_texts()
    found = [f"{place}: '{word}' (the glossary says '{REPLACED[word]}')"
             for place, text in texts for word in REPLACED if re.search(word, text)]
    assert found == []


def test_the_readme_glossary_holds_the_words_the_test_keeps():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    glossary = readme[readme.index("**Glossary**"):readme.index("The Korean text lives in")]
    for word in set(REPLACED.values()):
        assert word in glossary, word

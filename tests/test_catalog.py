"""Issue 17: the Korean catalog is whole and current, --help and click's words follow the language, and the
messages of every module of nalcoop/ go through gettext.

The catalog test extracts every translatable string (tools/catalog.py: every `_()` of nalcoop/ and every
paragraph of every --help) and fails when the Korean catalog lacks one, leaves one untranslated or fuzzy, holds
one no longer extracted, or ships a .mo that is not the compile of its .po. Run `python tools/catalog.py`, then
translate what `python tools/catalog.py missing` lists in nalcoop/locale/ko/LC_MESSAGES/nalcoop.po, then
`python tools/catalog.py compile`.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nalcoop import i18n
from nalcoop.cli import COMMANDS, app

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "catalog.py"

# Every module of nalcoop/ has its every message (errors raised, lines said, prompts, report lines, titles) marked
# for translation: a new unmarked message anywhere fails test_every_message_of_a_module_is_translatable. (The
# list grew a module at a time while issue 17 was done; now it is the whole package.)
MARKED = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "nalcoop").rglob("*.py"))


def _tool():
    spec = importlib.util.spec_from_file_location("catalog_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("catalog_tool", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def problems():
    pytest.importorskip("babel")
    return _tool().problems("ko")


@pytest.mark.parametrize("kind", ["missing", "untranslated", "fuzzy", "stale", "obsolete", "placeholders"])
def test_the_korean_catalog_holds_every_translatable_string_translated_and_nothing_else(problems, kind):
    assert problems[kind] == [], (f"{kind} in nalcoop/locale/ko/LC_MESSAGES/nalcoop.po (run `python tools/catalog.py` "
                                  f"and translate): {problems[kind][:10]}")


def test_the_shipped_mo_is_the_compile_of_the_po(problems):
    assert problems["mo"] == []


def test_the_catalog_ships_in_the_package():
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert {"locale/*/LC_MESSAGES/*.mo", "locale/*/LC_MESSAGES/*.po"} <= set(data["nalcoop"])
    assert (i18n.LOCALE / "ko" / "LC_MESSAGES" / "nalcoop.mo").is_file()


def _calls_of_underscore(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_", "ngettext"):
            yield node


def test_no_message_is_formatted_before_it_is_translated():
    """`_(f"...")` or `_("..." % x)` would look up a msgid that is never in the catalog: placeholders are named
    and filled after translation (`_("no council is called '{name}'").format(name=...)`)."""
    wrong = []
    for path in sorted((ROOT / "nalcoop").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls_of_underscore(tree):
            if any(isinstance(arg, ast.JoinedStr | ast.BinOp | ast.Call) for arg in call.args[:2]):
                wrong.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert wrong == []


def _unmarked(path: Path) -> list[str]:
    """Messages of `path` written as plain strings: an error raised, or a line said or echoed, whose text is a
    literal or an f-string rather than `_()` (or a name or call that carries one)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []

    def literal(node: ast.AST | None) -> bool:
        if isinstance(node, ast.JoinedStr):
            return any(literal(part) for part in node.values)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return any(ch.isalpha() for ch in node.value)
        if isinstance(node, ast.BinOp):
            return literal(node.left) or literal(node.right)
        return False

    def field_name(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"[a-z_]+", node.value)

    for node in ast.walk(tree):
        if "# not a message" in lines[node.lineno - 1] if hasattr(node, "lineno") else False:
            continue
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            message = node.exc.args[0]
            if field_name(message) and len(node.exc.args) > 1:  # FieldError("hours", "..."): the field names no one
                message = node.exc.args[1]
            if literal(message):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        elif isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            said = {"say": 0, "echo": 0, "confirm": 0, "prompt": 0, "_fail": 0, "need": 0, "on_interrupt": 0,
                    "stage": 0, "track": 1, "problem": 2, "_problem": 3, "need_choice": 2}  # what a person reads
            details = (name == "append" and isinstance(node.func.value, ast.Attribute)
                       and node.func.value.attr == "details")  # counts.details.append(...): an import's report
            position = 0 if details else said.get(name)
            if position is not None and len(node.args) > position and literal(node.args[position]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if name == "need" and len(node.args) > 2 and literal(node.args[2]):  # the question asked
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if isinstance(node, ast.Call) and any(keyword.arg == "title" and literal(keyword.value)
                                              for keyword in node.keywords):  # a listing's or a sheet's title
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("module", MARKED)
def test_every_message_of_a_module_is_translatable(module):
    assert _unmarked(ROOT / module) == []


# --- what a person sees


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "100", **(env or {})})


@pytest.fixture
def korean_by_default(monkeypatch):
    monkeypatch.delenv("NALCOOP_LANG", raising=False)


def test_root_help_is_korean_by_default_and_english_with_lang_en(korean_by_default):
    korean = _run("--help")
    assert korean.exit_code == 0
    assert "사용법: nalcoop [OPTIONS] COMMAND [ARGS]..." in korean.stdout
    assert "국회도서관 국내협력 업무 장부." in korean.stdout
    for word in ("옵션:", "명령:", "이 도움말을 보이고 끝냅니다.", "지방의회와의 업무협약"):
        assert word in korean.stdout
    english = _run("--lang", "en", "--help")
    assert "Usage: nalcoop [OPTIONS] COMMAND [ARGS]..." in english.stdout
    assert "Show this message and exit." in english.stdout and "옵션:" not in english.stdout


@pytest.mark.parametrize("group", [name for name, (target, _) in COMMANDS.items() if target.endswith(":app")])
def test_every_groups_help_is_korean_by_default_and_english_with_lang_en(korean_by_default, group):
    korean = _run(group, "--help")
    assert korean.exit_code == 0, korean.output
    assert korean.stdout.startswith(f"사용법: nalcoop {group} ")
    assert "옵션:" in korean.stdout and "Show this message" not in korean.stdout
    first = korean.stdout.split("\n\n")[1].strip()
    assert sum("가" <= ch <= "힣" for ch in first) > 3, first  # the summary itself is Korean
    english = _run("--lang", "en", group, "--help")
    assert english.stdout.startswith(f"Usage: nalcoop {group} ") and "Options:" in english.stdout


def test_a_commands_options_and_arguments_are_korean(korean_by_default):
    shown = " ".join(_run("agreement", "sign", "--help").stdout.split())
    assert "인자:" in shown and "[필수]" in shown
    assert "in-person(대면: 체결식) 또는 exchange(서면: 문서 교환)." in shown
    assert "--mode <in-person|exchange>" in shown  # names and codes stay as scripts type them


def test_korean_help_fits_the_terminal_counting_hangul_as_two_columns(korean_by_default):
    for columns in (60, 100):
        shown = CliRunner().invoke(app, ["agreement", "sign", "--help"], env={"COLUMNS": str(columns)},
                                   terminal_width=columns).stdout
        widest = max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                     for line in shown.splitlines())
        assert widest <= max(columns, 80), shown


def test_the_language_option_wins_over_the_variable():
    assert "사용법:" in _run("--lang", "ko", "--help", env={"NALCOOP_LANG": "en"}).stdout
    assert "Usage:" in _run("--lang=en", "--help", env={"NALCOOP_LANG": "ko"}).stdout


@pytest.mark.parametrize("args, env", [(["--lang", "fr", "info"], {}), (["info"], {"NALCOOP_LANG": "fr"})])
def test_an_unknown_language_is_one_line_and_exit_2(args, env):
    result = _run(*args, env=env)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "'fr' is not a language nalcoop speaks" in result.output


def test_clicks_own_errors_follow_the_language(cli, monkeypatch):
    korean = cli("--lang", "ko", "agreement", "sign", ok=False)
    assert korean.exit_code == 2
    assert "사용법: nalcoop agreement sign [OPTIONS] {COUNCIL}" in korean.output
    assert "'nalcoop agreement sign -h'로 도움말을 볼 수 있습니다." in korean.output
    assert "오류: 인자 'COUNCIL'이(가) 없습니다." in korean.output
    english = cli("--lang", "en", "agreement", "sign", ok=False)
    assert "Error: Missing argument 'COUNCIL'." in english.output
    assert "오류: 그런 옵션이 없습니다: --bogus" in cli("--lang", "ko", "info", "--bogus", ok=False).output
    assert "오류: 'nope' 명령이 없습니다." in cli("--lang", "ko", "nope", ok=False).output


def test_an_unknown_council_is_said_in_korean_by_default_and_in_english_with_lang_en(cli, monkeypatch):
    monkeypatch.delenv("NALCOOP_LANG")
    korean = cli("agreement", "request", "없는의회", "--date", "2020-01-01", ok=False)
    assert korean.exit_code == 1
    assert korean.output.startswith("오류: '없는의회'(이)라는 의회가 없습니다")
    assert "`nalcoop agreement councils`로 전체 목록을 볼 수 있습니다" in korean.output
    english = cli("--lang", "en", "agreement", "request", "없는의회", "--date", "2020-01-01", ok=False)
    assert english.output.startswith("Error: no council is called '없는의회'")


def test_the_lookup_speaks_the_language_of_the_run_when_called_as_a_function(ledger):
    from nalcoop.registry import CouncilNotFound, resolve

    i18n.set_language("ko")
    with pytest.raises(CouncilNotFound, match="'없는의회'\\(이\\)라는 의회가 없습니다"):
        resolve(ledger.conn, "없는의회")
    i18n.set_language("en")
    with pytest.raises(CouncilNotFound, match="no council is called '없는의회'"):
        resolve(ledger.conn, "없는의회")


def test_the_yes_rule_and_a_usage_error_are_korean(cli, tmp_path):
    existing = tmp_path / "copy.db"
    existing.write_bytes(b"")
    refused = cli("--lang", "ko", "backup", str(existing), ok=False)
    assert refused.exit_code == 2
    assert f"이 명령은 다음 작업을 합니다: 기존 파일 {existing} 바꿔 쓰기." in refused.output
    assert "--yes(-y)를 주어야 진행합니다" in refused.output
    both = cli("--lang", "ko", "stats", "agreements", "--year", "2020", "--from", "2020-01-01", ok=False)
    assert "오류: --year와 --from/--to 중 하나만 주십시오" in both.output
    english = cli("--lang", "en", "stats", "agreements", "--year", "2020", "--from", "2020-01-01", ok=False)
    assert "give either --year or --from/--to, not both" in english.output


def test_a_closed_list_refuses_in_korean_naming_the_codes_and_labels(cli):
    result = cli("--lang", "ko", "agreement", "sign", "종로구의회", "--mode", "foo", ok=False)
    assert "오류: '--mode'의 값이 잘못되었습니다: 'foo'은(는) 'in-person', 'exchange'(또는 대면, 서면) 중 하나가 " \
           "아닙니다." in result.output

"""The command reference (docs/cli-reference.md) is generated from --help and must name every command."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
sys.path.insert(0, str(DOCS))

from cli_reference import commands, help_text  # noqa: E402

PATHS = list(commands())
REFERENCE = (DOCS / "cli-reference.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "nalcoop")
def test_every_command_has_its_section_with_its_help_as_printed(path):
    title = " ".join(("nalcoop", *path))
    assert f"\n## {title}\n" in REFERENCE, f"{title} is missing from docs/cli-reference.md; run cog -r on it"
    section = REFERENCE.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    assert help_text(path) in section, f"the help of {title} has changed; run cog -r docs/cli-reference.md"


def test_the_reference_names_no_command_that_does_not_exist():
    listed = re.findall(r"^## (nalcoop.*)$", REFERENCE, flags=re.M)
    assert listed == [" ".join(("nalcoop", *path)) for path in PATHS]


def test_the_readme_links_the_reference():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "docs/cli-reference.md" in readme


def test_the_developer_map_names_every_module_of_nalcoop():
    """Every module and package of nalcoop/ (and each module inside a package) appears in README's "For
    developers" map, so that the map cannot fall behind the tree again (it named 15 of 28 modules)."""
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    developers = readme.split("## For developers", 1)[1]
    root = DOCS.parent / "nalcoop"
    missing = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if path.name in ("__init__.py", "__main__.py") or relative.parts[:2] == ("ledger", "migrations") \
                or relative.parts[0] == "data" and path.name != "countries_table.py":
            continue
        if len(relative.parts) == 1 or relative.parts[0] == "data":
            named = f"nalcoop/{relative.as_posix()}" in developers
        elif relative.parts[0] in ("commands", "ledger"):
            named = f"`{path.name}`" in developers
        else:  # a module of a package: named after its package, with or without .py
            section = developers.split(f"`nalcoop/{relative.parts[0]}/`", 1)[-1].split("\n- ", 1)[0]
            named = f"`{path.stem}`" in section or f"`{path.name}`" in section
        if not named:
            missing.append(str(relative))
    for package in sorted(p.name for p in root.iterdir() if (p / "__init__.py").exists() and p.name != "data"):
        if f"nalcoop/{package}/" not in developers:
            missing.append(f"{package}/")
    assert not missing, f"README's 'For developers' does not name: {', '.join(missing)}"

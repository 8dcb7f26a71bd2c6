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

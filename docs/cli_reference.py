"""The command reference, generated from the commands' own --help (docs/cli-reference.md is written by cog
from this; `cog --check docs/cli-reference.md` in .ci/run fails when it has drifted from the commands). It is
in English, the language the help is written in (`nalcoop … --help` shows Korean by default)."""

from __future__ import annotations

from collections.abc import Iterator


def commands() -> Iterator[tuple[str, ...]]:
    """Every command path, root first, in the order `--help` lists them (groups before their commands)."""
    from typer.main import get_command

    from nalcoop.cli import app

    def walk(command, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        yield path
        for name in command.list_commands(None) if hasattr(command, "list_commands") else ():
            yield from walk(command.commands[name], (*path, name))

    yield from walk(get_command(app), ())


def help_text(path: tuple[str, ...]) -> str:
    from typer.testing import CliRunner

    from nalcoop.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=100, env={"NO_COLOR": "1", "COLUMNS": "100",
                                                                          "NALCOOP_LANG": "en"})
    if result.exit_code != 0:
        raise RuntimeError(f"nalcoop {' '.join(path)} --help failed: {result.output}")
    return result.stdout.rstrip()


def reference() -> str:
    """The whole reference as Markdown: one section a command, its --help as printed."""
    sections = []
    for path in commands():
        title = " ".join(("nalcoop", *path))
        sections.append(f"## {title}\n\n```\n{help_text(path)}\n```\n")
    return "\n".join(sections)

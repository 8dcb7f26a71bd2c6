"""The `nalcoop` executable: answers a bare --version at once, and hands everything else to the command line."""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # the one answer that needs neither Typer nor a command tree
        from nalcoop import __version__

        print(f"nalcoop {__version__}")
        return
    from nalcoop.cli import main as run

    run()

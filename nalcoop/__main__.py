"""Run the command-line tool as `python -m nalcoop`."""

from nalcoop.cli import main

main()

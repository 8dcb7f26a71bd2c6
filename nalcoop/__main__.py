"""Run the command-line tool as `python -m nalcoop`."""

from nalcoop.launcher import main

main()

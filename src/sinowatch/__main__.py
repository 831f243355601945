"""`python -m sinowatch` runs the command line."""

from sinowatch.cli import main

main()

"""The command line: verbs parse arguments, call the pipeline and print (see app.py for errors and exit codes)."""

from sinowatch.cli import archive, fetching, tools  # noqa: F401  (each module registers its verbs)
from sinowatch.cli.app import cli, main

__all__ = ["cli", "main"]

"""The command group, shared state and helpers; `main` is the one place errors become exit codes."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from sinowatch import __version__, logs, native
from sinowatch.config import Settings, load_settings
from sinowatch.errors import SinowatchError
from sinowatch.resources import limit_malloc_arenas, settle_heap

EXAMPLES = """
\b
Examples:
  sinowatch demo                          the whole pipeline on the bundled sample site
  sinowatch fetch                         fetch every configured source once
  sinowatch fetch --source people-kr      fetch one source
  sinowatch import ~/saved/*.txt --json   store saved articles, one JSON line each
  sinowatch digest --dry-run --out out/   render every subscription's digest to files
  sinowatch extract page.html --json      what the extractor reads from a page
  echo '바이두와 화웨이' | sinowatch tag -   entities in a text

Configuration: --config FILE, else $SINOWATCH_CONFIG, else ./sinowatch.toml, else built-in defaults.
Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
"""


class State:
    """What every verb gets: the config path and verbosity; settings are loaded on first use."""

    own_process = False  # set by `main`: the command owns its process (not a test calling `cli`) and may tune it

    def __init__(self, config: str | None, verbose: int) -> None:
        self.config, self.verbose = config, verbose
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config)
        return self._settings


pass_state = click.make_pass_decorator(State)


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--config", "-c", metavar="PATH", help="sinowatch.toml to use (default: $SINOWATCH_CONFIG or ./sinowatch.toml).")
@click.option("-v", "--verbose", count=True, help="Show tracebacks and info logs (-vv: debug).")
@click.option("--log-json", is_flag=True, help="Log JSON lines (for the daemon under a log collector).")
@click.version_option(__version__, prog_name="sinowatch",
                      message=f"%(prog)s %(version)s, {native.STATUS.describe()}")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: int, log_json: bool) -> None:
    """sinowatch — Korean-language news on China's AI industry, each story once, mailed as a digest."""
    ctx.obj = State(config, verbose)
    logs.configure(verbose, log_json)


@contextmanager
def opened(state: State) -> Iterator[Any]:
    from sinowatch.pipeline import Context

    ctx = Context.open(state.settings)
    if state.own_process:
        settle_heap()  # the gazetteer and the store are loaded: what lives now lives as long as the process
    try:
        yield ctx
    finally:
        ctx.close()


def emit(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=str))


def main(argv: list[str] | None = None) -> None:
    """Entry point: one line per error with a hint, exit codes 0 / 1 / 2, tracebacks with -v."""
    verbose = any(a in ("-v", "-vv", "--verbose") for a in (argv if argv is not None else sys.argv[1:]))
    limit_malloc_arenas()  # before the threads a fetch or the daemon starts
    State.own_process = True
    try:
        cli.main(args=argv, prog_name="sinowatch", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except SinowatchError as exc:
        if verbose:
            traceback.print_exc()
        click.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            click.echo(f"hint: {exc.hint}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: still one line, the traceback with -v
        if verbose:
            traceback.print_exc()
        click.echo(f"error: unexpected {type(exc).__name__}: {exc}", err=True)
        click.echo("hint: run again with -v for the traceback, and please report it", err=True)
        sys.exit(1)




def redact(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    import re

    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)

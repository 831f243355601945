"""Verbs that fetch: `demo` and `fetch`."""

from __future__ import annotations

import asyncio
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sinowatch.cli.app import State, cli, emit, opened, pass_state, redact
from sinowatch.errors import UsageError
from sinowatch.models import SourceReport


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the digest files go (default: out/ beside the config, or ./out).")
@pass_state
def demo(state: State, out_dir: Path | None) -> None:
    """Run the whole pipeline on the bundled offline sample site and write the digest.

    Serves the sample outlets on a free loopback port, fetches them with the same code `fetch` uses,
    stores into the configured database (var/sinowatch.db by default), and writes the digest to
    out/ as .html, .txt and .eml. Running it again stores nothing new.
    """
    from sinowatch.pipeline.demo_run import run_demo

    settings = state.settings
    report = run_demo(settings, out_dir or settings.out_dir)
    totals = _totals(report.reports)
    click.echo(f"sources      {len(report.sources)} ({', '.join(s.display_name for s in report.sources)})")
    click.echo(f"items seen   {totals['items']}")
    click.echo(f"new          {totals['new']}")
    click.echo(f"duplicates   {totals['duplicates']} exact, {totals['near_duplicates']} near")
    click.echo(f"already had  {totals['known']}")
    click.echo(f"off-topic    {totals['off_topic']}")
    click.echo(f"failed       {totals['failed']}")
    click.echo(f"entities     {len(report.entities)}: {', '.join(report.entities[:20])}"
               + (" ..." if len(report.entities) > 20 else ""))
    click.echo(f"database     {redact(report.database_url)}")
    click.echo(f"digest       {report.digest.stories} stories")
    for path in report.digest.files:
        click.echo(f"             {path}")
    if report.digest.files:
        click.echo(f"open         {report.digest.files[0].resolve().as_uri()}")


@cli.command()
@click.option("--source", "-s", "names", multiple=True, metavar="NAME", help="Only this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per source.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the totals (and failures).")
@pass_state
def fetch(state: State, names: tuple[str, ...], as_json: bool, quiet: bool) -> None:
    """Fetch the configured sources once: list, fetch new articles, dedupe, tag, store.

    On a terminal a progress bar shows sources done, articles stored, errors and the rate; otherwise
    one line per source. Exit code 1 when any source failed (its error is recorded; see `sinowatch sources`).
    """
    from sinowatch.pipeline import fetch_sources

    settings = state.settings
    sources = [settings.source(n) for n in names] if names else [s for s in settings.sources if s.enabled]
    if not sources:
        raise UsageError(f"no sources configured in {settings.feeds_dir}",
                         hint="add a feeds/*.toml file (see README: Adding a source)")

    bar = LiveProgress(len(sources)) if not (as_json or quiet) and sys.stdout.isatty() else None

    def progress(r: SourceReport) -> None:
        if as_json:
            emit(_report_json(r))
        elif bar is not None:
            bar.advance(r)
        elif not quiet or r.error_kind:
            click.echo(f"{r.source:24} {_status(r)}")

    with opened(state) as ctx, bar or nullcontext():
        reports = asyncio.run(fetch_sources(ctx, sources, progress=progress))
    totals = _totals(reports)
    if not as_json:
        click.echo(f"{len(reports)} sources: {totals['items']} items, {totals['new']} new, "
                   f"{totals['duplicates'] + totals['near_duplicates']} duplicates, {totals['off_topic']} off-topic, "
                   f"{sum(1 for r in reports if r.error_kind)} failing")
    if any(r.error_kind for r in reports):
        sys.exit(1)


def _status(r: SourceReport) -> str:
    return (f"FAILED {r.error_kind}: {r.error}" if r.error_kind else f"disabled: {r.error}" if r.disabled else
            "not modified" if r.not_modified else f"{r.items} items, {r.new} new")


class LiveProgress:
    """A rich progress bar for long one-shot runs: sources done / total, articles stored, errors, rate."""

    def __init__(self, total: int) -> None:
        self.progress = Progress(TextColumn("[bold]fetch"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[stats]}"), TimeElapsedColumn(), transient=False)
        self.task = self.progress.add_task("fetch", total=total, stats="")
        self.stored = self.errors = 0
        self.started = time.monotonic()

    def __enter__(self) -> LiveProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, r: SourceReport) -> None:
        self.stored += r.new + r.duplicates + r.near_duplicates
        self.errors += bool(r.error_kind)
        rate = self.stored / max(time.monotonic() - self.started, 1e-3)
        if r.error_kind:
            self.progress.console.print(f"{r.source}: {_status(r)}", style="yellow", markup=False)
        self.progress.update(self.task, advance=1,
                             stats=f"{self.stored} articles · {self.errors} errors · {rate:.1f}/s")


def _report_json(r: SourceReport) -> dict[str, object]:
    return {"source": r.source, "items": r.items, "new": r.new, "duplicate": r.duplicates,
            "near_duplicate": r.near_duplicates, "known": r.known, "off_topic": r.off_topic, "failed": r.failed,
            "not_modified": r.not_modified, "error_kind": r.error_kind, "error": r.error,
            "entities": sorted(r.entities)}


def _totals(reports: list[SourceReport]) -> dict[str, int]:
    keys = ("items", "new", "duplicates", "near_duplicates", "known", "off_topic", "failed")
    return {k: sum(getattr(r, k) for r in reports) for k in keys}

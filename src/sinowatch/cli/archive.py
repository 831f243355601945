"""Verbs over the archive: `import`, `export`, `digest`, `sources`, `status`."""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from sinowatch.cli.app import State, cli, emit, opened, pass_state, redact
from sinowatch.errors import DeliveryError, UsageError


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON line per document.")
@pass_state
def import_(state: State, paths: tuple[Path, ...], as_json: bool) -> None:
    """Store existing articles: .txt saved like the seeds, .html pages, .jsonl (one article per line).

    Each document is reported as new, duplicate (same URL or identical text) or near_duplicate.
    Directories are walked. Exit code 1 if any document could not be read.
    """
    from sinowatch.pipeline import import_paths

    failed = 0
    with opened(state) as ctx:
        for result in import_paths(ctx, paths):
            failed += result.status == "error"
            if as_json:
                emit(result.as_json())
            elif result.status == "error":
                click.echo(f"{result.path}: error: {result.error}", err=True)
            else:
                extra = f" of #{result.duplicate_of}" if result.duplicate_of else ""
                click.echo(f"{result.path}: {result.status}{extra} #{result.article_id} {result.title}")
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--since", metavar="DATE", help="Only articles stored on or after this date (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="File (default stdout).")
@pass_state
def export(state: State, since: str | None, fmt: str, output: click.utils.LazyFile) -> None:
    """Write stored articles as JSON lines (or CSV), oldest first."""
    from sinowatch.store.queries import iter_articles

    start = _date(since) if since else None
    fields = ["id", "url", "source", "outlet", "title", "published", "body", "status", "duplicate_of",
              "story_id", "relevance", "on_topic", "entities"]
    writer = csv.DictWriter(output, fieldnames=fields) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    with opened(state) as ctx:
        for a in iter_articles(ctx.store, start):
            row = {"id": a.id, "url": a.url, "source": a.source, "outlet": a.outlet, "title": a.title,
                   "published": a.published.isoformat() if a.published else None, "body": a.body,
                   "status": a.status, "duplicate_of": a.duplicate_of, "story_id": a.story_id,
                   "relevance": a.relevance, "on_topic": a.on_topic, "entities": [e.id for e in a.entities]}
            if writer:
                writer.writerow({**row, "entities": " ".join(row["entities"])})  # type: ignore[arg-type]
            else:
                output.write(json.dumps(row, ensure_ascii=False) + "\n")


@cli.command()
@click.option("--subscription", "-s", "names", multiple=True, metavar="NAME", help="Only this subscription.")
@click.option("--dry-run", is_flag=True, help="Render to files; send nothing, record nothing.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Where --dry-run writes.")
@pass_state
def digest(state: State, names: tuple[str, ...], dry_run: bool, out_dir: Path | None) -> None:
    """Build each subscription's digest now and send it (the daemon follows the schedules instead).

    Exit 0 when sent or when there is nothing new; 1 when a send failed (nothing is marked delivered,
    the same stories go out on the next run).
    """
    from sinowatch.pipeline import run_digest

    settings = state.settings
    subs = [s for s in settings.subscriptions if not names or s.name in names]
    missing = set(names) - {s.name for s in subs}
    if missing or not subs:
        raise UsageError(f"no subscription named {sorted(missing)[0]!r}" if missing else
                         "no [[subscription]] in the configuration",
                         hint="add a [[subscription]] table to sinowatch.toml (see sinowatch.example.toml)")
    failed = False
    with opened(state) as ctx:
        for sub in subs:
            try:
                outcome = run_digest(ctx, sub, dry_run=dry_run, out_dir=out_dir)
            except DeliveryError as exc:
                failed = True
                click.echo(f"{sub.name}: not sent: {exc.message}", err=True)
                continue
            if dry_run:
                click.echo(f"{sub.name}: {outcome.stories} stories rendered")
                for path in outcome.files:
                    click.echo(f"  {path.resolve().as_uri() if path.suffix == '.html' else path}")
            elif outcome.sent:
                click.echo(f"{sub.name}: sent {outcome.stories} stories to {', '.join(sub.to)}")
                for rcpt, why in outcome.refused.items():
                    click.echo(f"{sub.name}: refused by the server for {rcpt}: {why}", err=True)
            else:
                click.echo(f"{sub.name}: nothing new, nothing sent")
    if failed:
        sys.exit(1)


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON line per source.")
@click.pass_context
def sources(click_ctx: click.Context, as_json: bool) -> None:
    """List the configured sources and their health (last success, failures, last error).

    \b
    sinowatch sources                     the list, with health
    sinowatch sources check NAME          fetch and parse one source's listing; store nothing
    sinowatch sources import-opml FILE    add the feeds of an OPML file to feeds/
    """
    if click_ctx.invoked_subcommand is None:
        _list_sources(click_ctx.find_object(State), as_json)


@sources.command("check")
@click.argument("name")
@pass_state
def sources_check(state: State, name: str) -> None:
    """Fetch and parse one source's listing (feed, pages or sitemap) and show the items; store nothing."""
    from sinowatch.pipeline.tools import check_source

    items = check_source(state.settings, state.settings.source(name))
    for item in items[:20]:
        when = item.published.isoformat() if item.published else "-"
        click.echo(f"{when:25} {item.title or '-'}\n{'':25} {item.url}")
    click.echo(f"{len(items)} items" + (" (first 20 shown)" if len(items) > 20 else ""))


@sources.command("import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="The feeds file to write (default: feeds_dir/<file name>.toml).")
@pass_state
def sources_import_opml(state: State, file: Path, target: Path | None) -> None:
    """Write a feeds/ file with one [[source]] per feed in an OPML file (feeds already configured are skipped)."""
    from sinowatch.pipeline.tools import import_opml

    path, written = import_opml(state.settings, file, target)
    click.echo(f"wrote {len(written)} sources to {path}")


def _list_sources(state: State, as_json: bool) -> None:
    settings = state.settings
    with opened(state) as ctx:
        ctx.store.sync_sources(settings.sources)
        health = {r["name"]: r for r in ctx.store.source_rows()}
    for s in settings.sources:
        h = health.get(s.name, {})
        row = {"name": s.name, "outlet": s.display_name, "kind": s.kind.value, "url": s.url,
               "interval": s.interval, "enabled": s.enabled, "last_success_at": h.get("last_success_at"),
               "consecutive_failures": h.get("consecutive_failures", 0), "last_error_kind": h.get("last_error_kind"),
               "last_error": h.get("last_error"), "disabled_reason": h.get("disabled_reason")}
        if as_json:
            emit(row)
            continue
        state_text = ("disabled" if not s.enabled or row["disabled_reason"] else
                      f"FAILING x{row['consecutive_failures']} ({row['last_error_kind']})"
                      if row["consecutive_failures"] else
                      f"ok {_ago(row['last_success_at'])}" if row["last_success_at"] else "never fetched")
        click.echo(f"{s.name:22} {s.kind.value:7} {s.display_name:16} {state_text:28} {s.url}")
    if not as_json:
        click.echo(f"{len(settings.sources)} sources from {settings.feeds_dir}")


@cli.command()
@pass_state
def status(state: State) -> None:
    """What ran and what is due: per source the last and next fetch, failing sources, articles per day,
    the latest digests."""
    from sinowatch.store.queries import daily_counts, digest_history

    settings = state.settings
    with opened(state) as ctx:
        ctx.store.sync_sources(settings.sources)
        counts = ctx.store.counts()
        days = daily_counts(ctx.store)
        rows = ctx.store.source_rows()
        digests = digest_history(ctx.store)
    failing = [r for r in rows if r["consecutive_failures"]]
    click.echo(f"database   {redact(settings.database_url)}")
    click.echo(f"{'source':22} {'last fetch':17} {'next fetch':17} state")
    for r in rows:
        lease = f" (fetching: {r['lease_owner']})" if r.get("lease_owner") else ""
        state_text = "disabled" if r["disabled_reason"] else f"FAILING x{r['consecutive_failures']}" \
            if r["consecutive_failures"] else "ok" if r["last_success_at"] else "never fetched"
        click.echo(f"{r['name']:22} {_when(r['last_fetch_at']):17} {_when(r['next_fetch_at']):17} {state_text}{lease}")
    click.echo(f"articles   {counts['articles']} ({counts['new']} new, {counts['duplicate']} duplicate, "
               f"{counts['near_duplicate']} near-duplicate, {counts['off_topic']} off-topic)")
    for day, n in days:
        click.echo(f"  {day}  {n}")
    click.echo(f"failing    {len(failing)} source(s)")
    for r in failing:
        click.echo(f"  {r['name']}: {r['last_error_kind']} x{r['consecutive_failures']} since "
                   f"{_when(r['failing_since'])}: {r['last_error']}")
    click.echo(f"digests    {len(digests)} latest")
    for d in digests:
        click.echo(f"  {_when(d['created_at'])}  {d['subscription']:16} {d['stories']:3} stories  {d['status']}"
                   + (f": {d['error']}" if d["error"] else ""))


def _when(value: object) -> str:
    """A stored instant in local time, or '-'."""
    if not isinstance(value, datetime):
        return "-"
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone().strftime("%Y-%m-%d %H:%M")


def _date(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC) if len(text) <= 10 else datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: not a date: {text!r}", hint="use YYYY-MM-DD") from None


def _ago(when: object) -> str:
    if not isinstance(when, datetime):
        return ""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    minutes = int((datetime.now(UTC) - when).total_seconds() // 60)
    return f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"

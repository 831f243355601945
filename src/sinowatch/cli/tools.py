"""Verbs for one page or one text: `extract`, `tag`, `entities`; and `run`, the daemon."""

from __future__ import annotations

import sys

import click

from sinowatch.cli.app import State, cli, emit, pass_state
from sinowatch.errors import UsageError


@cli.command()
@click.argument("targets", nargs=-1, required=True, metavar="FILE|URL...")
@click.option("--source", "-s", metavar="NAME", help="Read as this source would (its time zone, encoding, selectors).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per page.")
@click.option("--allow-private", is_flag=True, help="Allow URLs on loopback or private addresses.")
@pass_state
def extract(state: State, targets: tuple[str, ...], source: str | None, as_json: bool, allow_private: bool) -> None:
    """Show what the extractor reads from pages: headline, dates, byline, canonical URL, body.

    For people writing source configs: try selectors with --source before adding them to feeds/.
    """
    from sinowatch.pipeline.tools import extract_pages

    settings = state.settings
    src = settings.source(source) if source else None
    for page in extract_pages(settings, targets, source=src, allow_private=allow_private):
        data = {"url": page.url, "canonical_url": page.canonical_url, "title": page.title,
                "published": page.published.isoformat() if page.published else None,
                "updated": page.updated.isoformat() if page.updated else None, "author": page.author,
                "body": page.body, "encoding": page.encoding, "image": page.image, "language": page.language}
        if as_json:
            emit(data)
            continue
        for key in ("url", "canonical_url", "title", "published", "updated", "author", "encoding"):
            click.echo(f"{key:14} {data[key] or '-'}")
        click.echo(f"{'paragraphs':14} {len(page.paragraphs)}\n")
        click.echo(page.body)
        click.echo()


@cli.command()
@click.argument("file", default="-", type=click.File("r", encoding="utf-8"))
@click.option("--title", default="", help="The headline, if the text has one apart from the body.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def tag(state: State, file: click.utils.LazyFile, title: str, as_json: bool) -> None:
    """Entities in a text (a file, or - for stdin), with where each is mentioned."""
    from sinowatch.pipeline.tools import tag_text

    text = file.read()
    hits = tag_text(state.settings, text, title)
    if as_json:
        emit({"entities": [{"id": h.entity.id, "name_en": h.entity.name_en, "name_ko": h.entity.name_ko,
                            "type": h.entity.type, "count": h.count, "in_headline": h.in_headline,
                            "salience": round(h.salience, 3),
                            "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in h.mentions]}
                           for h in hits]})
        return
    if not hits:
        click.echo("no entities found")
    for h in hits:
        spellings = sorted({m.text for m in h.mentions})
        click.echo(f"{h.entity.id:24} {h.entity.type:10} {h.entity.name_ko} ({h.entity.name_en}) "
                   f"x{h.count}: {', '.join(spellings)}")


@cli.group()
def entities() -> None:
    """Browse the gazetteer and find names it does not know yet."""


@entities.command("list")
@click.option("--type", "kind", help="Only this type (company, person, place, chip, ...).")
@pass_state
def entities_list(state: State, kind: str | None) -> None:
    """Every entity: id, type, Korean and English names."""
    from sinowatch.entities import load_gazetteer

    settings = state.settings
    gazetteer = load_gazetteer([settings.entities] if settings.entities else [])
    shown = [e for e in gazetteer if not kind or e.type == kind]
    for e in shown:
        click.echo(f"{e.id:28} {e.type:11} {e.name_ko} / {e.name_en} / {e.name_zh}")
    click.echo(f"{len(shown)} entities")


@entities.command("show")
@click.argument("entity_id")
@pass_state
def entities_show(state: State, entity_id: str) -> None:
    """One entity: its names and every alias, with the rule each alias carries."""
    from sinowatch.entities import load_gazetteer

    settings = state.settings
    gazetteer = load_gazetteer([settings.entities] if settings.entities else [])
    record = gazetteer.records.get(entity_id)
    if record is None:
        raise UsageError(f"no entity {entity_id!r}", hint="`sinowatch entities list` shows the ids")
    e = record.entity
    click.echo(f"{e.id}  ({e.type}, {e.country or '-'})\n  en {e.name_en}\n  ko {e.name_ko}\n  zh {e.name_zh or '-'}")
    for alias in record.aliases:
        rules = [r for r in ("context", "case_sensitive", "standalone", "suffixes_ok") if getattr(alias, r)]
        click.echo(f"  alias {alias.text}" + (f"  [{', '.join(rules)}]" if rules else ""))
    if record.file:
        click.echo(f"  from {record.file}")


@entities.command("retag")
@click.option("--since", metavar="DATE", help="Only articles stored on or after this date (YYYY-MM-DD).")
@pass_state
def entities_retag(state: State, since: str | None) -> None:
    """Tag the stored articles again after the gazetteer changed (entities and relevance)."""
    from datetime import UTC, datetime

    from sinowatch.cli.app import opened
    from sinowatch.pipeline.tools import retag

    try:
        start = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
    except ValueError:
        raise UsageError(f"--since: not a date: {since!r}", hint="use YYYY-MM-DD") from None
    with opened(state) as ctx:
        total, changed = retag(ctx, start, progress=lambda n: click.echo(f"  {n} articles", err=True))
    click.echo(f"retagged {total} articles, {changed} changed")


@entities.command("suggest")
@click.argument("file", default="-", type=click.File("r", encoding="utf-8"))
@pass_state
def entities_suggest(state: State, file: click.utils.LazyFile) -> None:
    """Names written as 한글(漢字) or 한글(English) that the gazetteer does not know, with counts."""
    from sinowatch.pipeline.tools import suggest_names

    for name, n in suggest_names(state.settings, file.read()):
        click.echo(f"{n:5}  {name}")


@cli.command()
@pass_state
def run(state: State) -> None:
    """Run the daemon: fetch each source when due, send digests on their schedules.

    \b
    Several daemons may share one PostgreSQL database: each source is leased to one of them at a time
    and each digest period is sent once. SQLite allows one daemon per file.
    SIGTERM / SIGINT: stop taking work, let work in flight finish ([daemon] grace), exit 0;
    a second signal exits at once. SIGHUP: reload the configuration and feeds (a broken new
    configuration is logged and the old one kept). Logs go to stderr (-v; --log-json for JSON lines);
    [daemon] metrics = "127.0.0.1:9108" serves /healthz and /metrics.
    Exit codes: 0 stopped cleanly, 1 could not start, 2 bad configuration.
    """
    from sinowatch.daemon import run_daemon

    settings = state.settings
    if not settings.sources:
        raise UsageError(f"no sources configured in {settings.feeds_dir}")
    sys.exit(run_daemon(settings, config_path=state.config))

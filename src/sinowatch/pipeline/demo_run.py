"""The demo chained: serve the bundled sample site on loopback, fetch it as real sources, write the digest."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from pathlib import Path

from sinowatch.config import Settings, Subscription, load_source_file
from sinowatch.demo.server import serve_site, site_root
from sinowatch.models import SourceConfig, SourceReport
from sinowatch.pipeline.core import Context
from sinowatch.pipeline.digesting import DigestOutcome, run_digest
from sinowatch.pipeline.fetching import Progress, fetch_sources

DEMO_SUBSCRIPTION = Subscription(name="demo", to=("reader@example.org",), max_items=50)


@dataclass
class DemoReport:
    """What the demo did: the fetch reports, the digest written, the store's totals."""

    sources: list[SourceConfig]
    reports: list[SourceReport]
    digest: DigestOutcome
    database_url: str
    entities: list[str] = field(default_factory=list)


def demo_sources(base_url: str) -> list[SourceConfig]:
    """The sample site's sources, pointed at where it is being served."""
    return load_source_file(site_root().parent / "sources.toml", substitutions={"BASE": base_url})


def run_demo(settings: Settings, out_dir: Path, progress: Progress | None = None) -> DemoReport:
    """Serve, fetch (the same code path as `sinowatch fetch`), store, and render the digest into out_dir."""
    with serve_site() as base_url:
        sources = demo_sources(base_url)
        # The sample site lives on loopback and is ours: no politeness delay, private addresses allowed.
        fetch = replace(settings.fetch, allow_private_addresses=True, host_delay=0.0)
        settings = replace(settings, sources=tuple(sources), fetch=fetch)
        ctx = Context.open(settings)
        try:
            reports = asyncio.run(fetch_sources(ctx, sources, progress=progress))
            digest = run_digest(ctx, DEMO_SUBSCRIPTION, dry_run=True, out_dir=out_dir, everything=True)
        finally:
            ctx.close()
    entities = sorted({e for r in reports for e in r.entities})
    return DemoReport(sources, reports, digest, settings.database_url, entities)

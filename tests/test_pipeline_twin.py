"""The pipeline bench's correctness twin: the generated loopback site of bench/pipeline.py, small (10 outlets x
10 articles, 10 syndicated copies, one EUC-KR outlet, RSS and Atom, eight loopback addresses), through the
same `fetch_sources` the bench times. Every article is stored exactly once under its canonical URL with its
whole body, every syndicated copy is linked to its original (or the original to the copy that arrived first),
nothing else is called a copy, nothing fails, and a second fetch stores nothing new (the feeds answer 304)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sinowatch.config import load_settings
from sinowatch.pipeline import Context, fetch_sources

REPO = Path(__file__).resolve().parents[1]


def _sitegen() -> ModuleType:
    """bench/sitegen.py (bench/ is not a package)."""
    name = "sinowatch_bench_sitegen"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "sitegen.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


sitegen = _sitegen()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return sitegen.generate(outlets=10, articles=10, seed=1, root=tmp_path_factory.mktemp("site"))


def test_the_generated_site_is_what_the_bench_needs(site) -> None:  # noqa: ANN001
    assert len(site.pages) == 100 and len(site.copies) == 10
    assert {p.copy_kind for p in site.copies} == {"exact", "dropped"}
    assert all(30_000 <= p.size <= 150_000 for p in site.pages)
    assert len({p.canonical for p in site.pages}) == 100
    assert {o.encoding for o in site.outlets} == {"utf-8", "cp949"}
    assert {o.feed for o in site.outlets} == {"rss", "atom"}
    assert len({o.host for o in site.outlets}) == 8
    for copy in site.copies:  # a copy is another outlet's original
        original = next(p for p in site.pages if p.canonical == copy.copy_of)
        assert original.outlet != copy.outlet and original.copy_of is None


def test_every_article_stored_once_copies_linked_nothing_lost(site, tmp_path: Path) -> None:  # noqa: ANN001
    with sitegen.serve(site) as running:
        settings = load_settings(sitegen.write_config(site, running, tmp_path), env={})
        assert settings.fetch.host_delay == 0 and settings.fetch.allow_private_addresses
        ctx = Context.open(settings)
        try:
            first = asyncio.run(fetch_sources(ctx, settings.sources))
            verdict = sitegen.verify(site, settings.database_url)
            second = asyncio.run(fetch_sources(ctx, settings.sources))
            after = sitegen.verify(site, settings.database_url)
        finally:
            ctx.close()

    assert [(r.source, r.error_kind, r.error) for r in first if r.error_kind or r.failed] == []
    assert sum(r.items for r in first) == 100
    assert sum(r.new + r.duplicates + r.near_duplicates for r in first) == 100
    # stored exactly once, under the canonical URL, with the whole body
    assert verdict.missing == [] and verdict.extra == [] and verdict.stored == 100
    assert verdict.truncated == []
    # every syndicated copy linked into its group; nothing else linked
    assert verdict.links_expected == 10
    assert verdict.unlinked == [] and verdict.wrong_links == []
    assert verdict.linked + verdict.linked_via_story == 10
    assert verdict.false_links == []
    assert verdict.ok, verdict.summary()
    # nothing new the second time: the feeds answer 304, nothing is fetched or stored
    assert all(r.not_modified and r.error_kind is None for r in second)
    assert sum(r.new + r.duplicates + r.near_duplicates for r in second) == 0
    assert after.stored == 100

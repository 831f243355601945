"""The demo end to end over the loopback sample site, checked against the site's ground truth (MANIFEST.toml)."""

from __future__ import annotations

import html as htmlmod
import tomllib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from sinowatch.config import load_settings
from sinowatch.demo.server import site_root
from sinowatch.pipeline import Context
from sinowatch.pipeline.demo_run import DemoReport, run_demo
from sinowatch.store.queries import iter_articles

MANIFEST = tomllib.loads((site_root() / "MANIFEST.toml").read_text(encoding="utf-8"))["article"]
BY_URL = {a["canonical"]: a for a in MANIFEST}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoReport, DemoReport, Path, list]:  # type: ignore[type-arg]
    tmp = tmp_path_factory.mktemp("demo")
    settings = replace(load_settings(None, env={}), database_url=f"sqlite:///{tmp / 'demo.db'}")
    first = run_demo(settings, tmp / "out")
    second = run_demo(settings, tmp / "out2")
    ctx = Context.open(settings)
    stored = list(iter_articles(ctx.store))
    entities = ctx.entities
    ctx.close()
    return first, second, tmp, [(a, entities) for a in stored]


def test_every_article_stored_once_with_its_title_and_date(demo) -> None:  # type: ignore[no-untyped-def]
    first, _, _, stored = demo
    articles = [a for a, _ in stored]
    assert sorted(a.url for a in articles) == sorted(BY_URL)
    for a in articles:
        truth = BY_URL[a.url]
        assert a.title == truth["title"], a.url
        assert a.published == datetime.fromisoformat(truth["published"]), a.url
        assert a.published.utcoffset() == datetime.fromisoformat(truth["published"]).utcoffset(), a.url
        assert a.body.startswith(truth["body_starts"][:15]) or truth["body_starts"][:15] in a.body[:200], a.url
    assert sum(r.failed for r in first.reports) == 0
    assert not any(r.error_kind for r in first.reports)


def test_syndicated_copies_join_their_original(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, _, stored = demo
    by_url = {a.url: a for a, _ in stored}
    copies = [a for a in MANIFEST if a.get("duplicate_of")]
    assert copies
    for truth in copies:
        copy, original = by_url[truth["canonical"]], by_url[truth["duplicate_of"]]
        assert copy.story_id == original.story_id
        assert sorted([copy.status, original.status]) in (["duplicate", "new"], ["near_duplicate", "new"])
    non_copies = [a for a, _ in stored if not BY_URL[a.url].get("duplicate_of")
                  and a.url not in {t["duplicate_of"] for t in copies}]
    assert all(a.status == "new" for a in non_copies)


def test_reports_of_one_event_form_one_story_and_others_stay_apart(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, _, stored = demo
    story = {a.url: a.story_id for a, _ in stored}
    events: dict[str, set[int]] = {}
    for truth in MANIFEST:
        if truth["on_topic"]:
            events.setdefault(truth["event"], set()).add(story[truth["canonical"]])
    assert all(len(stories) == 1 for stories in events.values()), events  # one story per event
    assert len({s for stories in events.values() for s in stories}) == len(events)  # no two events merged
    assert any(len([t for t in MANIFEST if t["event"] == e]) > 1 and not any(t.get("duplicate_of") for t in MANIFEST
               if t["event"] == e) for e in events)  # the site does hold same-event reports that are not copies


def test_relevance_matches_the_ground_truth(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, _, stored = demo
    wrong = [(a.url, a.relevance) for a, _ in stored if a.on_topic != BY_URL[a.url]["on_topic"]]
    assert wrong == []


def test_seed_stories_carry_their_entities(demo) -> None:  # type: ignore[no-untyped-def]
    _, _, _, stored = demo
    names = {a.url: {entities[e.id].name_en for e in a.entities if e.id in entities} for a, entities in stored}
    people = names["https://kr.people.example/n3/2019/0705/c203278-9595000.html"]
    assert {"Baidu", "Huawei", "iFlytek", "SenseTime", "KOTRA", "Shanghai", "Xi'an"} <= people
    qingdao = names["https://www.hanyangilbo.example/site/data/html_dir/2019/12/01/2019120100712.html"]
    assert {"Huawei", "iFlytek", "SenseTime", "Qingdao"} <= qingdao


def test_digest_lists_each_story_once_with_also_in(demo) -> None:  # type: ignore[no-untyped-def]
    first, _, tmp, stored = demo
    html = htmlmod.unescape((tmp / "out" / "digest-demo.html").read_text(encoding="utf-8"))
    text = (tmp / "out" / "digest-demo.txt").read_text(encoding="utf-8")
    heads = {a.story_id for a, _ in stored if a.on_topic}
    assert first.digest.stories == len(heads)
    for truth in MANIFEST:
        if not truth["on_topic"]:
            assert html.count(truth["title"]) == 0, truth["title"]
    events: dict[str, list[str]] = {}
    for truth in MANIFEST:
        if truth["on_topic"]:
            events.setdefault(truth["event"], []).append(truth["title"])
    for event, titles in events.items():  # one entry per story: an original and its copies, or one event's reports
        assert sum(html.count(t) for t in titles) == 1, (event, titles)
    assert "함께 보도" in html and "함께 보도" in text
    for name in ("바이두", "화웨이", "커다쉰페이", "상탕커지", "칭다오"):
        assert name in html, name
    eml = (tmp / "out" / "digest-demo.eml").read_bytes()
    assert b"Message-ID: <digest.demo." in eml and b"multipart/alternative" in eml


def test_second_run_stores_nothing_new(demo) -> None:  # type: ignore[no-untyped-def]
    first, second, _, stored = demo
    assert sum(r.new for r in first.reports) == sum(1 for a, _ in stored if a.status == "new")
    assert sum(r.new + r.duplicates + r.near_duplicates for r in second.reports) == 0
    assert sum(r.known for r in second.reports) == len(MANIFEST)
    assert len(stored) == len(MANIFEST)

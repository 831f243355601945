"""Rendering: stories into a view, the view through Jinja2 templates (user dir first), CSS inlined for mail."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import css_inline
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from sinowatch.models import Entity, Story
from sinowatch.resources import shipped

SENTENCE_END = re.compile(r"(?<=[.!?。…])\s+")
LEAD_CHARS = 320
GMAIL_CLIP = 100_000
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
UBIQUITOUS = 0.6
TOP_STORIES = 3
SECTION_BY_TYPE = {"company": "기업", "lab": "기업", "model": "기술·제품", "product": "기술·제품", "chip": "기술·제품",
                   "gov": "정책", "programme": "정책", "event": "정책", "place": "지역", "university": "연구",
                   "institute": "연구", "person": "인물", "org": "기관", "media": "기관"}
SECTION_ORDER = ["기업", "기술·제품", "정책", "지역", "연구", "인물", "기관", "기타"]


@dataclass(frozen=True)
class Tag:
    id: str
    name: str  # Korean name
    name_en: str


@dataclass(frozen=True)
class Entry:
    """One story as a digest shows it."""

    title: str
    url: str
    outlet: str
    published: str  # in the reader's time zone
    lead: str
    also_in: list[tuple[str, str]]  # (outlet, url)
    tags: list[Tag]
    section: str = "기타"  # what the story is mainly about: 기업, 기술·제품, 정책, 지역, ...


@dataclass(frozen=True)
class Trend:
    """One bar of the entity trend: mentions this period against the period before."""

    tag: Tag
    count: int
    previous: int
    width: int  # bar width in percent of the largest

    @property
    def direction(self) -> str:
        return "new" if not self.previous else "up" if self.count > self.previous else \
            "down" if self.count < self.previous else "same"


@dataclass
class DigestView:
    """Everything a digest template sees."""

    subscription: str
    period: str
    generated: str
    timezone: str
    entries: list[Entry]
    total_articles: int
    top_entities: list[Trend] = field(default_factory=list)
    failing_sources: list[dict[str, str]] = field(default_factory=list)
    omitted: int = 0

    @property
    def sections(self) -> list[tuple[str, list[Entry]]]:
        """Top stories first, then the rest grouped by what each is mainly about, in a fixed order."""
        top, rest = self.entries[:TOP_STORIES], self.entries[TOP_STORIES:]
        groups: dict[str, list[Entry]] = {}
        for entry in rest:
            groups.setdefault(entry.section, []).append(entry)
        ordered = sorted(groups.items(), key=lambda kv: SECTION_ORDER.index(kv[0]))
        return ([("주요 기사", top)] if top else []) + ordered

    @property
    def outlets(self) -> int:
        return len({e.outlet for e in self.entries} | {o for e in self.entries for o, _ in e.also_in})


def lead(body: str, limit: int = LEAD_CHARS) -> str:
    """The first two or three sentences of the body, cut at a sentence end where possible."""
    text = " ".join(body.split())
    sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
    out = ""
    for sentence in sentences[:3]:
        if out and len(out) + len(sentence) > limit:
            break
        out = f"{out} {sentence}".strip()
    return out if len(out) <= limit else out[:limit - 1].rstrip() + "…"


def build_view(stories: Sequence[Story], *, subscription: str, period: str, now: datetime, timezone: str,
               entities: Mapping[str, Entity], failing: Sequence[Mapping[str, object]] = (),
               mentions: Mapping[str, int] | None = None, previous: Mapping[str, int] | None = None) -> DigestView:
    """Turn stories into what templates show: local times, leads, tags, counts, the entity trend, health.

    `mentions` and `previous` are entity mention counts this period and the one before (from the store);
    without them the trend counts the stories shown.
    """
    tz = ZoneInfo(timezone)
    shown, stories_with = Counter[str](), Counter[str]()
    for story in stories:
        for e in story.head.entities:
            shown[e.id] += e.count
            stories_with[e.id] += 1
    # An entity in nearly every story ("China" in a China digest) says nothing: no tag, no bar.
    common = {i for i, n in stories_with.items() if len(stories) >= 5 and n > UBIQUITOUS * len(stories)}
    entries = []
    for story in stories:
        head = story.head
        salient = [e.id for e in head.entities if e.id in entities and e.id not in common]
        tags = [_tag(i, entities) for i in salient[:6]]
        section = _section([entities[i].type for i in salient[:3]])
        entries.append(Entry(
            title=_clean(head.title), url=head.url, outlet=head.outlet,
            published=head.published.astimezone(tz).strftime("%Y-%m-%d %H:%M") if head.published else "",
            lead=lead(head.body), tags=tags,
            also_in=[(a.outlet, a.url) for a in story.others if a.outlet != head.outlet], section=section))
    counts = Counter(mentions) if mentions is not None else shown
    top = [(i, n) for i, n in counts.most_common(8 + len(common)) if i in entities and i not in common][:8]
    peak = max((n for _, n in top), default=1)
    before = previous or {}
    return DigestView(
        subscription=subscription, period=period, generated=now.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        timezone=timezone, entries=entries, total_articles=sum(1 + len(s.others) for s in stories),
        top_entities=[Trend(_tag(i, entities), n, before.get(i, 0), max(4, round(100 * n / peak))) for i, n in top],
        failing_sources=[{k: str(v) for k, v in row.items()} for row in failing])


def environment(user_dir: Path | None = None) -> Environment:
    """Templates from the user's directory first, then the shipped ones; HTML autoescaped."""
    loaders = [FileSystemLoader(str(user_dir))] if user_dir else []
    loaders.append(FileSystemLoader(str(shipped("templates"))))
    return Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html", "html.j2"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(view: DigestView, env: Environment) -> tuple[str, str, str]:
    """(subject, html, text). The HTML is CSS-inlined and kept under Gmail's clipping size."""
    subject = _clean(env.get_template("subject.txt.j2").render(d=view))
    text = env.get_template("digest.txt.j2").render(d=view)
    html = _inline(env.get_template("digest.html.j2").render(d=view))
    while len(html.encode("utf-8")) > GMAIL_CLIP and view.entries:
        cut = max(1, len(view.entries) // 5)
        view.entries, view.omitted = view.entries[:-cut], view.omitted + cut
        html = _inline(env.get_template("digest.html.j2").render(d=view))
    return subject, html, text


def _inline(html: str) -> str:
    return css_inline.inline(html)


def _section(types: list[str]) -> str:
    """What a story is mainly about: its first salient company, product or policy before places and people."""
    for kind in types:
        if kind not in ("place", "person"):
            return SECTION_BY_TYPE.get(kind, "기타")
    return SECTION_BY_TYPE.get(types[0], "기타") if types else "기타"


def _tag(entity_id: str, entities: Mapping[str, Entity]) -> Tag:
    e = entities[entity_id]
    return Tag(e.id, e.name_ko or e.name_en, e.name_en)


def _clean(text: str) -> str:
    """One line: no control characters (a headline must never break a mail header)."""
    return " ".join(CONTROL.sub(" ", text).split())

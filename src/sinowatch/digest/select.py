"""Which stories a subscription gets, in which order: filters, ranking, the item cap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sinowatch.config import Subscription
from sinowatch.models import Entity, Story
from sinowatch.text.normalize import fold


def matches(story: Story, sub: Subscription, entities: Mapping[str, Entity]) -> bool:
    """Does the story pass the subscription's filters (entities or types, keywords, sources, outlets)?"""
    members = [story.head, *story.others]
    if sub.sources and not any(a.source in sub.sources for a in members):
        return False
    if len(story.outlets) < sub.min_outlets or story.head.relevance < sub.min_relevance:
        return False
    if sub.entities:
        wanted = set(sub.entities)
        found = {e.id for a in members for e in a.entities}
        types = {entities[i].type for i in found if i in entities}
        if not (found & wanted or types & wanted):
            return False
    if sub.keywords:
        text = fold(story.head.title + "\n" + story.head.body)
        if not any(fold(k) in text for k in sub.keywords):
            return False
    return True


def rank_key(story: Story) -> tuple[float, float]:
    """Relevance, then how prominent its entities are, then how many outlets ran it; newest breaks ties."""
    salience = sum(sorted((e.salience for e in story.head.entities), reverse=True)[:3])
    published = story.head.published.timestamp() if story.head.published else 0.0
    return (story.head.relevance + 0.2 * salience + 0.25 * (len(story.outlets) - 1), published)


def choose(stories: Sequence[Story], sub: Subscription, entities: Mapping[str, Entity]) -> list[Story]:
    """The subscription's stories, best first, at most `max_items`."""
    chosen = [s for s in stories if matches(s, sub, entities)]
    chosen.sort(key=rank_key, reverse=True)
    return chosen[:sub.max_items]

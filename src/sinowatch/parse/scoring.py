"""How much prose each element of a page holds: text blocks scored, the scores spread over their ancestors
readability-style, the best element found."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Final

from sinowatch.parse.body import HEADING_TAGS, Block, Page

_PARAGRAPH_TAGS: Final = frozenset({
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "address",
})
_SENTENCE_MARKS: Final = frozenset(".!?。다요")
_CLOSERS: Final = "\"'”’)]"
_LEVELS: Final = 5  # a block scores for its paragraph's parent and four ancestors above it


def block_score(block: Block) -> float:
    """Prose scores, link lists and scraps do not: characters, less links, more for sentence endings."""
    text = block.text
    chars = len(text) - text.count(" ")
    density = block.link_chars / max(len(text), 1)
    if chars < 12 or density > 0.5 or block.container_tag in HEADING_TAGS:
        return 0.0
    score = chars * (1.0 - density) ** 2
    return score * 1.5 if ends_sentence(text) else score


def ends_sentence(text: str) -> bool:
    """A sentence mark (. ! ? 。 다 요) followed by nothing but closing quotes and brackets, as the regex
    `(?:[.!?。]|다|요)["'”’)\\]]*$` finds it, read off the end instead of searched for along the text."""
    if text.endswith("\n"):  # `$` also matches before a final line break
        text = text[:-1]
    return text.rstrip(_CLOSERS)[-1:] in _SENTENCE_MARKS


@dataclass
class Totals:
    """Per element: propagated prose score, all characters, link characters and prose characters below it."""

    score: dict[int, float]
    chars: dict[int, int]
    links: dict[int, int]
    prose: dict[int, int]

    def link_density(self, node_id: int) -> float:
        chars = self.chars.get(node_id, 0)
        return self.links.get(node_id, 0) / chars if chars else 1.0


def totals(page: Page) -> Totals:
    """One pass over the blocks; readability-style: a block scores for its paragraph's parent, less for ancestors."""
    score: dict[int, float] = defaultdict(float)
    chars: dict[int, int] = defaultdict(int)
    links: dict[int, int] = defaultdict(int)
    prose: dict[int, int] = defaultdict(int)
    values = [block_score(block) for block in page.blocks]
    for block, value in zip(page.blocks, values):
        size, linked = len(block.text), block.link_chars
        for node_id in block.path:
            chars[node_id] += size
            links[node_id] += linked
        if value:
            for node_id in block.path:
                prose[node_id] += size
    for block, value in zip(page.blocks, values):
        if value:
            for level, node_id in enumerate(_targets(block, chars)):
                score[node_id] += value / (1 if level == 0 else 2 if level == 1 else level * 3)
    return Totals(score, chars, links, prose)


def best_root(found: Totals) -> int | None:
    """The element whose subtree holds the most prose, discounted by its link density."""
    if not found.score:
        return None
    return max(found.score, key=lambda node_id: found.score[node_id] * (1.0 - found.link_density(node_id)))


def _targets(block: Block, chars: dict[int, int]) -> list[int]:
    """The element a block scores for (the paragraph's parent) and up to four ancestors above it. A wrapper that
    holds no more text than the element inside it is that element again, not a level: a paragraph in
    `div.p-wrap > div.p-inner > div.p` scores for the element around the wrappers as `<p>` would."""
    path = block.path
    index = path.index(block.container) if block.container in path else len(path) - 1
    if block.container_tag in _PARAGRAPH_TAGS and index > 0:
        index -= 1
    found = [path[index]]
    below = path[index]
    for position in range(index - 1, -1, -1):
        if len(found) == _LEVELS:
            break
        node_id = path[position]
        if chars[node_id] == chars[below]:
            found[-1] = node_id  # the wrapper stands for what it wraps
        else:
            found.append(node_id)
        below = node_id
    return found

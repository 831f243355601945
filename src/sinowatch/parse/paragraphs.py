"""From scored blocks to the article's paragraphs: pick the body element(s), then drop chrome line by line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from sinowatch.parse.body import Block, Page, preferred_roots
from sinowatch.parse.dates import scan_dates
from sinowatch.parse.dom import Dom, select_all
from sinowatch.parse.scoring import Totals, best_root
from sinowatch.text.boilerplate import STOP_RULES, is_boilerplate, is_stop_line, squash
from sinowatch.text.normalize import word_chars

_SENTENCE = re.compile(r"(?:[.!?。]|다|요|죠)[\"'”’)\]]*$")
_SUBHEAD_MARK: Final = re.compile(r"[◇◆■□▶▷●○<〈\[【\d]")
# A longer line is no stop line: squash() never lengthens a line, and shortens a block's (whitespace already
# folded) only where zero-width characters stand.
_STOP_LINE_CHARS: Final = max(rule.max_len for rule in STOP_RULES)
_ZERO_WIDTH: Final = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_MAX_SCRAPS: Final = 3  # trailing short lines dropped as scraps; more of them make a list
_SIBLING_SHARE: Final = 0.2  # a sibling of the body element joins it with a fifth of its score (readability's rule)


def body_roots(dom: Dom, page: Page, found: Totals, selector: str | None) -> set[int]:
    """The element(s) holding the article: the source's selector, a known body container, or the best scorer."""
    if selector:
        chosen = {n.mem_id for n in select_all(dom.tree, (selector,)) if found.chars.get(n.mem_id)}
        if chosen:
            return chosen
    best = best_root(found)
    preferred = [dom.mem_ids[i] for i in preferred_roots(dom) if found.prose.get(dom.mem_ids[i])]
    if preferred:
        declared = max(preferred, key=lambda node_id: found.prose[node_id])
        if best is None or found.prose[declared] >= 0.5 * found.prose.get(best, 0):
            return {declared}
    if best is None:
        return set()
    return _with_siblings(page, found, best)


def _with_siblings(page: Page, found: Totals, best: int) -> set[int]:
    """The best element and siblings that hold prose too (a lead paragraph outside the main div)."""
    node = page.nodes.get(best)
    parent = node.parent if node is not None else None
    if parent is None:
        return {best}
    roots = {best}
    threshold = max(10.0, found.score[best] * _SIBLING_SHARE)
    for sibling in parent.iter():
        node_id = sibling.mem_id
        if node_id == best or node_id not in found.chars or found.link_density(node_id) > 0.3:
            continue
        lone_paragraph = sibling.tag == "p" and found.prose.get(node_id, 0) >= 80
        if found.score.get(node_id, 0.0) >= threshold or lone_paragraph:
            roots.add(node_id)
    return roots


def body_start(page: Page, roots: set[int]) -> int | None:
    """The place in `page.blocks` of the body's first paragraph (what stands above it is the article's header);
    None when no block is in the body."""
    first = None
    for position, block in enumerate(page.blocks):
        if roots.isdisjoint(block.path):
            continue
        if first is None:
            first = position
        if len(block.text) >= 40 and not (block.bold or block.is_heading) and _SENTENCE.search(block.text):
            return position
    return first


def article_paragraphs(page: Page, roots: set[int], title: str | None) -> list[str]:
    """The paragraphs inside the body roots, chrome lines dropped, stopping at copyright and related lists."""
    inside = [b for b in page.blocks if not roots.isdisjoint(b.path)]
    kept: list[str] = []
    seen: set[str] = set()
    skipping = False
    long_kept = False  # some kept paragraph has 40 characters or more
    for block in inside:
        text = block.text
        if long_kept and (len(text) <= _STOP_LINE_CHARS or _ZERO_WIDTH.search(text)) and is_stop_line(text):
            if not _is_heading_stop(text):
                break  # a copyright notice ends the article
            skipping = True  # "관련기사" and the like: skip the list that follows, resume if prose does
            continue
        if skipping and not _is_prose(block):
            continue
        skipping = False
        key = word_chars(text)
        if key in seen or _is_chrome(block, title):  # a repeat is dropped whether it is chrome or not
            continue
        seen.add(key)
        kept.append(text)
        long_kept = long_kept or len(text) >= 40
    return _trim_tail(kept)


def fallback_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text (JSON-LD articleBody) when the page's markup gave none."""
    return trim_chrome(squash(line) for line in re.split(r"\n+|(?<=다\.)\s{2,}", text))


def trim_chrome(lines: Iterable[str]) -> list[str]:
    """Lines of text taken from a page's data rather than its markup, without boilerplate and trailing scraps."""
    return _trim_tail([line for line in lines if line and not is_boilerplate(line)])


def _is_heading_stop(text: str) -> bool:
    return len(text) <= 40 and not _SENTENCE.search(text)


def _is_prose(block: Block) -> bool:
    return len(block.text) >= 60 and block.link_density < 0.2 and bool(_SENTENCE.search(block.text))


def _is_chrome(block: Block, title: str | None) -> bool:
    text = block.text
    if block.link_density > 0.5 and len(text) < 200:
        return True
    if title and (block.is_heading or block.bold) and _same(text, title):
        return True
    return _is_caption(block) or _is_dateline(text) or is_boilerplate(text)  # the costly test last


def _is_caption(block: Block) -> bool:
    """A short plain line right under a picture ("바이두 본사 전경"); a bold or marked line there is a subheading."""
    text = block.text
    return (block.after_image and len(text) <= 60 and not block.bold and not block.is_heading
            and not _SENTENCE.search(text) and not _SUBHEAD_MARK.match(text))


def _is_dateline(text: str) -> bool:
    if len(text) > 80:
        return False
    covered = sum(f.end - f.start for f in scan_dates(text))
    return covered >= 0.5 * len(text)


def _same(a: str, b: str) -> bool:
    left, right = word_chars(a).lower(), word_chars(b).lower()
    return bool(left) and (left == right or (len(left) >= 10 and left in right))


def _trim_tail(paragraphs: list[str]) -> list[str]:
    """Drop trailing scraps (a lone "기자 프로필", a sign-off) after the last sentence-like paragraph; a longer run
    of short lines is a list the article ends with ("1위 오타니: 10년 4억 달러" ... "40위 ..."), and stays."""
    end = len(paragraphs)
    while end and len(paragraphs[end - 1]) < 30 and not _SENTENCE.search(paragraphs[end - 1]):
        end -= 1
    return paragraphs[:end] if len(paragraphs) - end <= _MAX_SCRAPS else paragraphs


"""Text folding for identity: NFKC, traditional→simplified Hanja, case, whitespace and punctuation."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

import opencc

from sinowatch.text.boilerplate import is_boilerplate

NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_HANJA = re.compile("[\u3400-\u9fff\uf900-\ufaff]")  # what OpenCC may change; most Korean texts have none


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC, Hanja folded to simplified, lower case: the form every comparison uses."""
    text = unicodedata.normalize("NFKC", text)
    if _HANJA.search(text):
        text = _t2s().convert(text)
    return text.lower()


def fingerprint_text(body: str) -> str:
    """The body as fingerprints see it: boilerplate lines dropped, folded, only letters and digits."""
    kept = [line for line in body.splitlines() if line.strip() and not is_boilerplate(line)]
    return NOT_WORD.sub("", fold("\n".join(kept)))


def content_hash(body: str) -> str:
    """Exact identity of a text up to folding: two copies differing only in chrome hash alike."""
    return hash_of(fingerprint_text(body))


def hash_of(norm: str) -> str:
    """content_hash of a text already folded by fingerprint_text."""
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()

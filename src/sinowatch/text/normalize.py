"""Text folding for identity: NFKC, traditional→simplified Hanja, case, whitespace and punctuation."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache
from typing import Final

import opencc

from sinowatch.text.boilerplate import is_boilerplate

NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_ASCII_NOT_WORD: Final = bytes(c for c in range(128) if not chr(c).isalnum())  # \W and "_", as bytes
# Marks common in Korean and Chinese news text, removed by plain replacement before the slow path is needed.
_MARKS: Final = ("\u201c", "\u201d", "\u2018", "\u2019", "\u00b7", "\u2026", "\u00a0", "\u3000", "\u3001", "\u3002",
          "\uff0c", "\u300c", "\u300d", "\u300a", "\u300b", "\u3008", "\u3009", "\u25b2", "\u25b3", "\u25a0")
_HANJA: Final = re.compile("[\u3400-\u9fff\uf900-\ufaff]")  # what OpenCC may change; most Korean texts have none


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """NFKC, Hanja folded to simplified, lower case: the form every comparison uses."""
    text = unicodedata.normalize("NFKC", text)
    if _HANJA.search(text):
        text = _t2s().convert(text)
    return text.lower()


def word_chars(text: str) -> str:
    """`text` with every character that is not a letter or a digit removed: `NOT_WORD.sub("", text)`, which
    checks each character's Unicode category (some 100 ns a character), done with byte and substring
    operations where they suffice: ASCII marks and spaces go by `bytes.translate` on the UTF-8 form (a byte
    below 128 is never part of another character there), common non-ASCII marks by replacement; the regex
    runs only on what still holds some other mark."""
    if text.isascii():
        return text.encode("ascii").translate(None, _ASCII_NOT_WORD).decode("ascii")
    kept = text.encode("utf-8").translate(None, _ASCII_NOT_WORD).decode("utf-8")
    if not kept or kept.isalnum():
        return kept
    for mark in _MARKS:
        if mark in kept:
            kept = kept.replace(mark, "")
    return kept if not kept or kept.isalnum() else NOT_WORD.sub("", kept)


def fingerprint_text(body: str) -> str:
    """The body as fingerprints see it: boilerplate lines dropped, folded, only letters and digits."""
    kept = [line for line in body.splitlines() if line.strip() and not is_boilerplate(line)]
    return word_chars(fold("\n".join(kept)))


def content_hash(body: str) -> str:
    """Exact identity of a text up to folding: two copies differing only in chrome hash alike."""
    return hash_of(fingerprint_text(body))


def hash_of(norm: str) -> str:
    """content_hash of a text already folded by fingerprint_text."""
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()

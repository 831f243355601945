"""MinHash over character shingles (Korean particles stick to words, so characters beat words) and LSH bands."""

from __future__ import annotations

import hashlib
from typing import Final

import numpy as np

SHINGLE = 5  # characters per shingle, on text with spaces and punctuation removed
PERMUTATIONS: Final = 128
# LSH: a pair with Jaccard s becomes a candidate with p = 1 - (1 - s**2)**64: 0.3 -> 0.998, 0.1 -> 0.47.
# Two rows per band, not four: truncated copies (Jaccard 0.45-0.55 with their original) must always be
# found; the extra candidates this lets through cost one exact overlap check each (dedupe.py).
BANDS, ROWS = 64, 2
_PRIME: Final = np.uint64(4294967311)  # the first prime above 2**32
_RNG: Final = np.random.default_rng(20191201)  # fixed: signatures are stored, so they must not change between runs
_A: Final = _RNG.integers(1, 2**32 - 1, PERMUTATIONS, dtype=np.uint64)
_B: Final = _RNG.integers(0, 2**32 - 1, PERMUTATIONS, dtype=np.uint64)
_EMPTY: Final = np.full(PERMUTATIONS, 2**32 - 1, dtype=np.uint32)
_CHANCE: Final = 1 / 256  # two different minima agree in their lowest byte this often


def shingles(norm: str) -> np.ndarray:
    """The set of 32-bit hashes of every SHINGLE-character window (a rolling hash, vectorised)."""
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < SHINGLE:
        return np.unique(codes) if len(codes) else np.empty(0, dtype=np.uint64)
    n = len(codes) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(SHINGLE):
            h = h * np.uint64(1_000_003) + codes[i:i + n]
        h ^= h >> np.uint64(31)
        h *= np.uint64(0x9E3779B97F4A7C15)
        h ^= h >> np.uint64(29)
    return np.unique(h >> np.uint64(32))


def signature(norm: str) -> np.ndarray:
    """MinHash signature: PERMUTATIONS uint32 minima of (a*x + b) mod p over the shingle set."""
    sh = shingles(norm)
    if not len(sh):
        return _EMPTY.copy()
    with np.errstate(over="ignore"):  # a*x + b < 2**64 for a, x, b < 2**32: no overflow, in place
        values = np.multiply.outer(_A, sh)
        values += _B[:, None]
        np.remainder(values, _PRIME, out=values)
    return values.min(axis=1).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band; identical keys make two texts candidates of each other."""
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(sig[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=8,
                                 person=band.to_bytes(2, "big")).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def sketch(sig: np.ndarray) -> bytes:
    """The lowest 8 bits of each MinHash value ("b-bit minwise hashing", Li and König 2010): a quarter of the
    signature, and all a look-up needs to tell a likely copy from a chance band collision. The store keeps
    sketches in a narrow table of their own, small enough to stay in memory at archive scale."""
    return (sig & 0xFF).astype(np.uint8).tobytes()


def sketch_jaccard(sig: np.ndarray, stored: bytes) -> float:
    """Jaccard estimated from a full signature and a stored sketch. Two different minima still agree in
    their low byte one time in 256, so the raw agreement a = J + (1 - J) / 256 is corrected to
    J = (a - 1/256) / (1 - 1/256)."""
    agree = float(np.mean(np.frombuffer(stored, dtype=np.uint8) == (sig & 0xFF).astype(np.uint8)))
    return max(0.0, (agree - _CHANCE) / (1 - _CHANCE))


def overlap(a_norm: str, b_norm: str) -> tuple[float, float, float]:
    """Exact shingle Jaccard, and how much of a lies in b and of b in a."""
    a, b = shingles(a_norm), shingles(b_norm)
    if not len(a) or not len(b):
        return 0.0, 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / len(a), common / len(b)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)

"""Where shipped files live (next to the package when installed, at the repository top in a checkout), and
the process's memory allocator settings."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys
from importlib import resources
from pathlib import Path

MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter number
GC_YOUNG = 10_000  # objects the youngest generation may gain before the cycle collector runs (Python's default: 700)


def limit_malloc_arenas(count: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas (by default up to 8 per core, one per thread that allocates): the fetch's
    database and analysis threads each kept an arena of freed pages. bench/pipeline.py on 50 × 50 pages: the
    largest process 234 → 192 MB, the process tree's PSS 384 → 341 MB, CPU time unchanged. A MALLOC_ARENA_MAX
    in the environment wins; elsewhere than glibc this does nothing. Returns whether the cap was set."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_ARENA_MAX, count))
    except (OSError, AttributeError):  # not glibc
        return False


def settle_heap(young: int = GC_YOUNG) -> None:
    """Tell the cycle collector that what is alive now (the gazetteer's automaton, compiled patterns, modules)
    lives as long as the process (`gc.freeze`), and let the youngest generation grow to `young` objects.

    Analysing a page makes a few thousand short-lived objects (a wrapper per HTML node, attribute dicts)
    that reference counting frees; at the default threshold (700) the collector ran some four times a page
    and now and then walked the whole frozen-to-be heap. A worker on bench/pipeline.py's pages (84 KB,
    1,800 nodes): 0.71 ms of 8.6 ms per page in the collector, 0.18 ms after freezing, under 0.01 ms with
    both. Cyclic garbage still gets collected, only in larger rounds."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, old)


def shipped(name: str) -> Path:
    """The shipped `templates` or `feeds` directory.

    A wheel carries them as `sinowatch/_shipped/<name>`; an editable install (a checkout) reads the
    repository's own top-level directory, so editing `templates/` takes effect without reinstalling.
    """
    packaged = Path(str(resources.files("sinowatch"))) / "_shipped" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name

"""Compiled or pure: the hottest modules (extraction, tagging, fingerprints) are compiled with mypyc when sinowatch
is installed on a machine with a C compiler (hatch_build.py); the same .py files run as they are everywhere else.

The install leaves `_native.json` next to this file: which modules it compiled and a digest of their sources. mypyc
links compiled modules to one another directly, so they run together or not at all: when any of their sources has
changed since (an edited checkout not yet reinstalled), or SINOWATCH_PURE=1 is set, every one of them is loaded from
its .py file. Standard library only: the build hook loads this file by path to compute the same digest."""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

MANIFEST_NAME = "_native.json"
GROUP = "sinowatch_native"  # mypyc's shared library: sinowatch_native__mypyc.<abi>.so, beside the package
PURE_ENV = "SINOWATCH_PURE"
_ROOT = Path(__file__).resolve().parent.parent  # the directory that holds the sinowatch package


def source_path(root: Path, module: str) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def source_digest(root: Path, modules: Sequence[str]) -> str:
    """One digest of the modules' sources, in the order given."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.encode() + b"\0" + source_path(root, module).read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Status:
    """Whether the compiled modules run, and why (or why not), for `sinowatch --version` and the benches."""

    compiled: bool
    reason: str
    modules: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"compiled ({len(self.modules)} modules, mypyc)" if self.compiled else f"pure Python ({self.reason})"


def extensions(root: Path) -> tuple[str, ...]:
    """Modules of the package with a compiled extension beside their source (whatever made it)."""
    package = root / "sinowatch"
    found = []
    for path in package.rglob("*.so"):
        name = path.name.split(".", 1)[0]
        if path.with_name(name + ".py").is_file():
            found.append(".".join(path.relative_to(root).parent.parts + (name,)))
    return tuple(sorted(found))


def read_status(root: Path = _ROOT, environ: dict[str, str] | None = None) -> Status:
    """Whether the compiled modules may run: the manifest beside the package vouches for them, its digest matches
    their sources and the environment does not ask for pure Python. `modules` is every module that has a compiled
    extension or is named in the manifest: the ones to load from source when the answer is no."""
    environ = dict(os.environ) if environ is None else environ
    present = extensions(root)
    try:
        manifest = json.loads((root / "sinowatch" / MANIFEST_NAME).read_text(encoding="utf-8"))
        modules = tuple(manifest["modules"])
        built = manifest["digest"]
    except FileNotFoundError:
        return Status(False, "not compiled at install (no C compiler, or SINOWATCH_PURE was set)", present)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Status(False, f"unreadable {MANIFEST_NAME}: {exc}", present)
    every = tuple(sorted(set(present) | set(modules)))
    if environ.get(PURE_ENV, "") not in ("", "0"):
        return Status(False, f"{PURE_ENV} is set", every)
    if not set(modules) <= set(present):
        return Status(False, "some compiled modules are missing; reinstall (make install) to recompile", every)
    try:
        current = source_digest(root, modules)
    except OSError as exc:
        return Status(False, f"a compiled module's source is missing: {exc}", every)
    if current != built:
        return Status(False, "sources changed since they were compiled; reinstall (make install) to recompile",
                      every)
    return Status(True, "", modules)


class _FromSource(importlib.abc.MetaPathFinder):
    """Loads the named modules from their .py files, ahead of the compiled extension beside each."""

    def __init__(self, root: Path, modules: tuple[str, ...]) -> None:
        self.root, self.modules = root, frozenset(modules)

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        return importlib.util.spec_from_file_location(fullname, source_path(self.root, fullname))


_INSTALLED = __name__ == "sinowatch.native"  # not the build hook's copy, loaded by path
STATUS = read_status() if _INSTALLED else Status(False, "loaded by the build hook")
if _INSTALLED and not STATUS.compiled and STATUS.modules:
    sys.meta_path.insert(0, _FromSource(_ROOT, STATUS.modules))

"""Build hook: compile the modules pyproject.toml lists (tool.hatch.build.targets.wheel.hooks.custom.modules) with
mypyc, in place beside their sources, when the machine has a C compiler. Without one, or with SINOWATCH_PURE=1, or
if the compile fails for any reason, the install goes on and the same .py files run (src/sinowatch/native.py).

Incremental: the manifest it writes (src/sinowatch/_native.json) records a digest of the sources, the interpreter and
this file; a reinstall with all three unchanged reuses what is there."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_COMPILE = """
import sys
from mypyc.build import mypycify
from setuptools import setup

work, group, files = sys.argv[1], sys.argv[2], sys.argv[3:]
# The build environment holds none of sinowatch's dependencies: their types are unknown (Any) to the compiler.
# Only the compiled modules must type-check; the modules they import are read for their types, not judged.
extensions = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *files], group_name=group,
                      target_dir=work + "/c")
setup(name=group, ext_modules=extensions, script_args=[
    "build_ext", "--inplace", "--build-temp", work + "/t", "--build-lib", work + "/l"])
"""
_TIMEOUT = 900  # seconds; a slow machine compiles ~20 modules in about a minute


def _native(src: Path) -> ModuleType:
    """src/sinowatch/native.py, loaded by path (importing the package would need its dependencies)."""
    spec = importlib.util.spec_from_file_location("_sinowatch_native_build", src / "sinowatch" / "native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class NativeBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        src = Path(self.root) / "src"
        native = _native(src)
        modules = list(self.config.get("modules", []))
        if not modules or not self._compiled(src, modules, native):
            return
        if version == "standard":  # an editable install finds the files in src/ as they are
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
            build_data["artifacts"] += [f"/src/{_source(native, m).with_suffix('')}.*.so" for m in modules]
            build_data["artifacts"].append(f"/src/sinowatch/{native.MANIFEST_NAME}")
            for library in src.glob(f"{native.GROUP}__mypyc.*"):
                build_data["force_include"][str(library)] = library.name

    def _compiled(self, src: Path, modules: list[str], native: ModuleType) -> bool:
        """Whether compiled modules for these exact sources are in place (built now or earlier)."""
        manifest = src / "sinowatch" / native.MANIFEST_NAME
        if os.environ.get(native.PURE_ENV, "") not in ("", "0"):
            self._clean(src, modules, native)
            self.app.display_info(f"sinowatch: {native.PURE_ENV} is set, not compiling")
            return False
        key = {"digest": native.source_digest(src, modules), "python": sys.implementation.cache_tag,
               "modules": modules, "hook": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}
        try:
            if json.loads(manifest.read_text(encoding="utf-8")) == key and self._all_built(src, modules, native):
                return True
        except (OSError, ValueError):
            pass
        self._clean(src, modules, native)
        self.app.display_info(f"sinowatch: compiling {len(modules)} modules with mypyc (about a minute)")
        with tempfile.TemporaryDirectory(prefix="sinowatch-mypyc-") as work:
            files = [str(_source(native, m)) for m in modules]
            env = {**os.environ, "MYPY_CACHE_DIR": str(Path(work) / "cache")}
            try:
                done = subprocess.run([sys.executable, "-c", _COMPILE, work, native.GROUP, *files], cwd=src, env=env,
                                      capture_output=True, text=True, timeout=_TIMEOUT, check=False)
                failure = done.stdout[-3000:] + done.stderr[-3000:] if done.returncode else ""
            except (OSError, subprocess.SubprocessError) as exc:
                failure = str(exc)
        if failure or not self._all_built(src, modules, native):
            # What is in place stays: at run time, sinowatch.native loads every module from source unless the
            # manifest vouches for the compiled ones.
            self.app.display_warning(f"sinowatch: mypyc could not compile; the pure Python modules will run.\n"
                                     f"{failure.strip()}")
            return False
        manifest.write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
        return True

    @staticmethod
    def _all_built(src: Path, modules: list[str], native: ModuleType) -> bool:
        return any(src.glob(f"{native.GROUP}__mypyc.*.so")) and all(_built(src, m, native) for m in modules)

    @staticmethod
    def _clean(src: Path, modules: list[str], native: ModuleType) -> None:
        for module in modules:
            for path in _built(src, module, native):
                path.unlink()
        for path in src.glob(f"{native.GROUP}__mypyc.*"):
            path.unlink()
        (src / "sinowatch" / native.MANIFEST_NAME).unlink(missing_ok=True)
        shutil.rmtree(src / "build", ignore_errors=True)


def _source(native: ModuleType, module: str) -> Path:
    """The module's source file, relative to src/."""
    return Path(native.source_path(Path(), module))


def _built(src: Path, module: str, native: ModuleType) -> list[Path]:
    path = src / _source(native, module)
    return sorted(path.parent.glob(f"{path.stem}.*.so"))

"""The compiled build (hatch_build.py, sinowatch.native): compiled where a compiler is, never stale, and the same
answers as the pure Python it is compiled from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import warnings
from pathlib import Path

import pytest

from sinowatch import native

REPO = Path(__file__).resolve().parents[1]

# Every page of both golden sets through the whole per-page analysis (decode, extract, tag, fingerprint, identity),
# printed as one JSON document; run in a child process so that the child may be pure while this one is compiled.
_ANALYSE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from tests.test_extract import CASES, Case
from tests.test_extract_demo import CASES as DEMO, DemoCase
from sinowatch import native
from sinowatch.config import RelevanceSettings
from sinowatch.entities import Matcher, load_gazetteer
from sinowatch.models import FeedItem, SourceConfig
from sinowatch.pipeline.work import page_article
import sinowatch.parse.dom

matcher, rules = Matcher(load_gazetteer()), RelevanceSettings()
pages = [(n, Case.load(n).body, Case.load(n).headers.get("content_type")) for n in CASES]
pages += [(n, DemoCase.load(n).body, DemoCase.load(n).expected["content_type"]) for n in DEMO]
out = {"status": native.STATUS.describe(), "dom": sinowatch.parse.dom.__file__, "pages": {}}
for name, body, content_type in pages:
    url = f"https://example.com/{name}"
    source = SourceConfig(name="s", kind="rss", url="https://example.com/feed", timezone="Asia/Seoul")
    article, identity = page_article(matcher, rules, body, content_type, url, source, FeedItem(url))
    out["pages"][name] = repr((article, identity))
print(json.dumps(out, ensure_ascii=False))
"""


def _analyse(**env: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _ANALYSE, str(REPO)], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


# Mutations of the golden pages that hostile or sloppy sites produce; compiled code checks types at run time
# where Python does not, so an attribute without a value or a JSON-LD number where a string belongs must give
# the same answer both ways, not an exception the extractor would swallow into an empty article.
_MUTATIONS = (
    '<div class id itemprop hidden style>', '<p class="" id=""></p>', '<meta property="og:title">',
    '<meta name="author" content>', '<time itemprop="datePublished">어제</time>', '<a href>링크</a>',
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": 123, "author": [null, {"name": 5}], '
    '"datePublished": ["x", 7], "image": {"url": null}, "publisher": {"name": []}, "articleBody": 4}</script>',
    '<script type="application/ld+json">[{"@graph": [{"@type": ["Article", 3]}, null, "x"]}]</script>',
    '<link rel="canonical"><link rel href="/x"><base href>', '<font size="x">큰 글씨</font>', '<span style="font-size:">',
    '<img src data-src>', '<h1></h1><h2> </h2>', '<div class="date">입력 99.99.99 99:99 | 수정</div>',
    '<div data-published="not a date" datetime>2024-13-45</div>', '<svg><foreignObject>글</foreignObject></svg>',
    '<table><tr><td>' * 30, '</div></p></span>' * 10, '\x00\ufeff\u200b', '<p>' + '가' * 3000 + '</p>',
)


def mutated_pages(seed: int, count: int) -> list[tuple[str, str]]:
    """(name, html) pairs: golden pages with a few mutations each, at random places."""
    import random

    from tests.test_extract import CASES, Case

    from sinowatch.fetch.decode import decode_html

    rng = random.Random(seed)
    bases = [decode_html(Case.load(n).body, Case.load(n).headers.get("content_type"))[0] for n in CASES]
    pages = []
    for number in range(count):
        html = rng.choice(bases)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(html) + 1)
            if rng.random() < 0.15:  # cut a slice out, or repeat one
                end = min(len(html), at + rng.randint(1, 400))
                html = html[:at] + (html[at:end] * 2 if rng.random() < 0.5 else "") + html[end:]
            else:
                html = html[:at] + rng.choice(_MUTATIONS) + html[at:]
        pages.append((f"mutated-{seed}-{number}", html))
    return pages


_MUTATED = """
import json, sys
sys.path.insert(0, sys.argv[1])
from tests.test_native import mutated_pages
from sinowatch.parse.article import _extract
from sinowatch.models import ArticleRules
out = {}
for name, html in mutated_pages(int(sys.argv[2]), int(sys.argv[3])):
    try:
        out[name] = repr(_extract(html, "https://example.com/" + name, "Asia/Seoul", ArticleRules(), None))
    except Exception as exc:  # the public extract() would swallow it; here it must show
        out[name] = "raised " + type(exc).__name__ + ": " + str(exc)
print(json.dumps(out, ensure_ascii=False))
"""


def test_compiled_and_pure_agree_on_mutated_pages() -> None:
    """Hostile variants of the golden pages: the compiled extractor answers as the pure one does, and neither
    raises (extract() would swallow an exception into an empty article and lose the page)."""
    if not native.STATUS.compiled:
        pytest.skip(f"not compiled here ({native.STATUS.reason})")
    results = []
    for env in ({}, {"SINOWATCH_PURE": "1"}):
        done = subprocess.run([sys.executable, "-c", _MUTATED, str(REPO), "7", "300"], env={**os.environ, **env},
                              capture_output=True, text=True, timeout=240, check=False)
        assert done.returncode == 0, done.stderr
        results.append(json.loads(done.stdout))
    compiled, pure = results
    assert len(compiled) == 300
    raised = {name: found for name, found in compiled.items() if found.startswith("raised")}
    assert not raised, raised
    assert compiled == pure


def test_installed_with_a_c_compiler_runs_compiled() -> None:
    """`make install` on a machine with a compiler compiles the modules pyproject.toml lists, and they run."""
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not (shutil.which("cc") or shutil.which("gcc")) or not headers.is_file():
        pytest.skip("no C compiler or no Python headers here: the pure modules run")
    assert native.STATUS.compiled, native.STATUS.reason
    import sinowatch.parse.dom

    assert sinowatch.parse.dom.__file__.endswith(".so")
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert all(f'"{m}"' in config for m in native.STATUS.modules)


def test_compiled_and_pure_give_the_same_articles() -> None:
    """The compiled modules change speed, never answers: every golden page analysed both ways gives equal results."""
    if not native.STATUS.compiled:
        pytest.skip(f"not compiled here ({native.STATUS.reason})")
    compiled, pure = _analyse(), _analyse(SINOWATCH_PURE="1")
    assert str(compiled["dom"]).endswith(".so") and str(pure["dom"]).endswith(".py")
    assert str(pure["status"]).startswith("pure Python (SINOWATCH_PURE is set")
    assert len(compiled["pages"]) >= 50  # type: ignore[arg-type]
    assert compiled["pages"] == pure["pages"]


def test_the_compiled_modules_read_cleanly_as_python() -> None:
    """The suite runs the compiled modules; their sources must still load as plain Python, warning-free (an invalid
    escape in a docstring, say, which the compiler accepts)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    modules = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["custom"]["modules"]
    assert len(modules) >= 10
    for module in modules:
        path = native.source_path(REPO / "src", module)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")


def _package(tmp_path: Path, modules: dict[str, str], compiled: tuple[str, ...]) -> Path:
    """A fake installed root: sinowatch/<module>.py files, a stand-in extension beside each compiled one."""
    root = tmp_path / "root"
    for module, text in modules.items():
        path = native.source_path(root, module)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if module in compiled:
            path.with_name(path.stem + ".cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    return root


def _manifest(root: Path, modules: tuple[str, ...]) -> None:
    (root / "sinowatch" / native.MANIFEST_NAME).write_text(
        json.dumps({"modules": list(modules), "digest": native.source_digest(root, modules)}), encoding="utf-8")


def test_status_runs_compiled_modules_only_when_the_manifest_vouches_for_them(tmp_path: Path) -> None:
    names = ("sinowatch.a", "sinowatch.sub.b")
    root = _package(tmp_path, {"sinowatch.a": "A = 1\n", "sinowatch.sub.b": "B = 2\n", "sinowatch.c": ""}, names)

    # extensions but no manifest (a failed or foreign build): every one of them loads from source
    status = native.read_status(root, {})
    assert not status.compiled and status.modules == names and "not compiled" in status.reason

    _manifest(root, names)
    assert native.read_status(root, {}) == native.Status(True, "", names)
    assert "compiled (2 modules" in native.read_status(root, {}).describe()

    pure = native.read_status(root, {native.PURE_ENV: "1"})
    assert not pure.compiled and pure.modules == names and native.PURE_ENV in pure.reason
    assert native.read_status(root, {native.PURE_ENV: "0"}).compiled

    # an edited source (a checkout not yet reinstalled): all of them from source, not just the edited one
    native.source_path(root, "sinowatch.sub.b").write_text("B = 3\n", encoding="utf-8")
    stale = native.read_status(root, {})
    assert not stale.compiled and stale.modules == names and "sources changed" in stale.reason

    _manifest(root, names)
    next(native.source_path(root, "sinowatch.a").parent.glob("a.*.so")).unlink()
    missing = native.read_status(root, {})
    assert not missing.compiled and missing.modules == names and "missing" in missing.reason

    (root / "sinowatch" / native.MANIFEST_NAME).write_text("{", encoding="utf-8")
    assert "unreadable" in native.read_status(root, {}).reason


def test_pure_at_run_time_loads_every_compiled_module_from_source() -> None:
    """SINOWATCH_PURE=1 (or stale sources) puts the source finder ahead of the compiled extensions."""
    probe = ("import sinowatch, sinowatch.parse.article, sinowatch.text.fingerprint, sys; "
             "print(sinowatch.parse.article.__file__, sinowatch.text.fingerprint.__file__, "
             "sinowatch.native.STATUS.describe(), sep='\\n')")
    done = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "SINOWATCH_PURE": "1"},
                          capture_output=True, text=True, timeout=60, check=True)
    article, fingerprint, described = done.stdout.splitlines()
    assert article.endswith("article.py") and fingerprint.endswith("fingerprint.py")
    assert described.startswith("pure Python")
    version = subprocess.run([sys.executable, "-m", "sinowatch", "--version"], capture_output=True, text=True,
                             timeout=60, check=True).stdout
    assert version.startswith("sinowatch ") and native.STATUS.describe() in version

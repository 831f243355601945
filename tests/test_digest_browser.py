"""The HTML digest in a real browser: headless Chromium at phone (375 px) and desktop widths, no overflow."""

from __future__ import annotations

import html as htmlmod
import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from sinowatch.config import load_settings
from sinowatch.pipeline.demo_run import run_demo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
# Headless Chromium will not make a window narrower than 500 px, so the digest is laid out in an iframe of
# the width under test; the probe then reads the iframe document's widths.
FRAME = """<!DOCTYPE html><html><head><title>probe</title></head><body style="margin:0">
<iframe id="f" width="{width}" height="1800" style="border:0" srcdoc="{doc}"></iframe>
<script>
document.getElementById("f").addEventListener("load", function () {{
  var root = this.contentDocument.documentElement;
  document.title = JSON.stringify({{scroll: root.scrollWidth, client: root.clientWidth}});
}});
</script></body></html>"""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it with apt-get)")


@pytest.fixture(scope="module")
def digest_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    settings = replace(load_settings(None, env={}), database_url=f"sqlite:///{tmp / 'b.db'}")
    report = run_demo(settings, tmp / "out")
    return next(p for p in report.digest.files if p.suffix == ".html")


def chromium(tmp: Path, width: int, *args: str) -> str:
    done = subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp / f'profile-{width}'}",
                           f"--window-size={width},2000", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def widths(html: str, width: int, tmp_path: Path) -> dict[str, int]:
    probe = tmp_path / "probe.html"
    probe.write_text(FRAME.format(width=width, doc=htmlmod.escape(html, quote=True)), encoding="utf-8")
    dom = chromium(tmp_path, max(width, 1024), "--virtual-time-budget=3000", "--dump-dom", probe.as_uri())
    found = re.search(r"<title>(\{.*?\})</title>", dom)
    assert found, dom[:500]
    return dict(json.loads(found.group(1)))


def test_the_probe_sees_overflow(tmp_path: Path) -> None:
    sizes = widths('<html><body><div style="width:800px">넓은 표</div></body></html>', 375, tmp_path)
    assert sizes["scroll"] > sizes["client"] == 375


@pytest.mark.parametrize("width", [375, 1024])
def test_no_horizontal_overflow_and_a_screenshot(digest_html: Path, tmp_path: Path, width: int) -> None:
    html = digest_html.read_text(encoding="utf-8")
    assert "<script" not in html.lower()  # the digest itself carries no script; only the probe copy does
    sizes = widths(html, width, tmp_path)
    assert sizes["client"] == width and sizes["scroll"] <= sizes["client"], sizes
    probe = tmp_path / "probe.html"
    png = tmp_path / f"digest-{width}.png"
    chromium(tmp_path, max(width, 1024), f"--screenshot={png}", probe.as_uri())
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000

"""Soak: the daemon with 50 sources at short intervals on loopback; prints RSS memory over time and job lag.

Usage: .venv/bin/python bench/soak.py [--minutes 10] [--sources 50] [--interval 20s]

A loopback site publishes a new article on a random feed every second (so fetches find new work), the
daemon runs as a real `sinowatch run` process against a fresh SQLite file, and every 30 s the script
prints the daemon's RSS (from /proc) and the job lag it reports on /metrics. Targets: memory flat after
warm-up (growth under 10 %) and lag under 1 s.
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.helpers.site import Reply, serve  # noqa: E402  (the tests' loopback server)
from tests.helpers.smtp import free_port  # noqa: E402

BODY = ("중국 인공지능 기업 {who}가 새로운 모델 {n}호를 공개했다. 회사는 추론 성능이 크게 나아졌다고 밝혔다. "
        "업계에서는 이번 발표가 {who}의 {n}번째 주요 발표라고 평가했다. 베이징의 한 애널리스트는 경쟁이 치열해질 것으로 봤다.")
WHO = ["바이두", "화웨이", "텐센트", "알리바바", "딥시크", "센스타임", "아이플라이텍", "바이트댄스"]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--interval", default="20s")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sinowatch-soak-"))
    items: dict[int, list[int]] = {i: [] for i in range(args.sources)}
    lock = threading.Lock()
    with serve() as site:
        def feed(i: int) -> str:
            with lock:
                ids = items[i][-20:]
            entries = "".join(f"<item><title>t{n}</title><link>{site.url(f'/a/{n}')}</link></item>" for n in ids)
            return f'<rss version="2.0"><channel><title>s{i}</title>{entries}</channel></rss>'
        for i in range(args.sources):
            site.handle(f"/s{i}.xml", lambda h, i=i: Reply(200, feed(i).encode(), {"Content-Type": "application/rss+xml"}))
        stop = threading.Event()

        def publish() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                who = random.choice(WHO)
                html = (f"<html><head><title>{who} 모델 {n}</title></head><body><article><h1>{who} 모델 {n}호 공개</h1>"
                        f"<p>{BODY.format(who=who, n=n)}</p><p>{BODY.format(who=random.choice(WHO), n=n * 7)}</p>"
                        f"</article></body></html>")
                site.add(f"/a/{n}", html)
                with lock:
                    items[random.randrange(args.sources)].append(n)
                stop.wait(1.0)
        threading.Thread(target=publish, daemon=True).start()
        feeds = tmp / "feeds"
        feeds.mkdir()
        for i in range(args.sources):
            (feeds / f"s{i}.toml").write_text(f'[[source]]\nname = "s{i}"\nurl = "{site.url(f"/s{i}.xml")}"\n'
                                              f'kind = "feed"\ninterval = "{args.interval}"\n', encoding="utf-8")
        port = free_port()
        (tmp / "sinowatch.toml").write_text(
            f'database_url = "sqlite:///var/soak.db"\n[fetch]\nallow_private_addresses = true\nhost_delay = 0\n'
            f'[daemon]\nmetrics = "127.0.0.1:{port}"\n', encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "sinowatch", "--config", str(tmp / "sinowatch.toml"), "run"],
                                cwd=tmp, stderr=subprocess.DEVNULL)
        samples: list[tuple[float, int, float]] = []
        started = time.monotonic()
        print(f"{'minute':>6} {'RSS MB':>7} {'lag s':>6} {'stored':>9}")
        try:
            while time.monotonic() - started < args.minutes * 60:
                time.sleep(30)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
                    text = r.read().decode()
                lag = float(re.search(r"^sinowatch_job_lag_seconds ([\d.e+-]+)", text, re.M).group(1))  # type: ignore[union-attr]
                new = sum(float(v) for v in re.findall(r'^sinowatch_articles_total\{status="\w+"\} ([\d.e+]+)', text, re.M))
                samples.append((time.monotonic() - started, rss_kb(proc.pid), lag))
                print(f"{samples[-1][0] / 60:6.1f} {samples[-1][1] / 1024:7.1f} {lag:6.2f} {int(new):9d}", flush=True)
        finally:
            stop.set()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    warm = [s for s in samples if s[0] >= 120] or samples
    growth = (warm[-1][1] - warm[0][1]) / warm[0][1] * 100 if warm and warm[0][1] else 0.0
    print(f"RSS after warm-up (2 min): {warm[0][1] / 1024:.1f} MB -> {warm[-1][1] / 1024:.1f} MB ({growth:+.1f} %); "
          f"max lag {max(s[2] for s in samples):.2f} s; exit code {proc.returncode}")


if __name__ == "__main__":
    main()

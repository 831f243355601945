"""Pipeline throughput: sinowatch `fetch` over a 10,000-page loopback site, next to plain httpx on the same site.

Usage: .venv/bin/python bench/pipeline.py [--outlets 200] [--articles 50] [--seed 1] [--skip-postgres]
                                          [--pg postgresql://postgres@127.0.0.1:5432/test] [--fetch-extra 'k = v']
                                          [--limit-runs 2]

The site (bench/sitegen.py): `outlets` Korean outlets x `articles` article pages of 30-150 KB of realistic
news HTML, 10 % syndicated copies, every tenth outlet EUC-KR, RSS 2.0 and Atom feeds, spread over the
loopback addresses 127.0.0.2-127.0.0.9 (one port each, so per-host limits apply as on the real web), served
gzipped with ETag / 304 by a separate process. It is generated once into a cache directory; generation is
not measured.

One run measures, each in a child process (wall time; CPU = user + system of the child and all its
descendants — the bench makes itself their subreaper, so a multiprocessing forkserver and its workers are
reaped and counted too; RSS MB = the largest single process, from os.wait4; tree PSS = the peak sum of PSS
over the child's whole process tree, sampled from /proc every 0.25 s, the memory the run really holds;
fetched at = seconds until the site server had served 99 % of the article pages (what a run holds in memory
between fetching and storing shows here); server CPU = what the site server process spent meanwhile, out of
the same two cores; db CPU = the local PostgreSQL server's, in the PostgreSQL run (CPU s/article includes it);
other CPU = what every other process on the machine spent meanwhile — a warning is printed when that
disturbs a run; below the table, each run's CPU and the part of it spent in the command's own process, which
for sinowatch is the event loop, httpx and the store, the rest being its analysing workers):

1. the limit: plain httpx (one AsyncClient) GETs robots.txt, every feed and every article with the same
   global concurrency and per-host limit as sinowatch's defaults, and discards the bodies; run --limit-runs
   times (default 2), the fastest kept;
2. `sinowatch --config … fetch --quiet` into an empty SQLite file ([fetch] host_delay = 0,
   allow_private_addresses = true, everything else default: concurrency 16, per_host 2);
3. the same again: nothing new (feeds answer 304, known URLs are skipped);
4. the same as 2 into PostgreSQL, in a fresh schema created and dropped here (skipped, with the reason, if
   the server is unreachable).

After 2 and 4 the store is checked against the ground truth (bench/sitegen.py `verify`): every page stored
once under its canonical URL with its whole body, every syndicated copy linked to its group, no false links.
Targets (2-core machine): sinowatch >= 50 % of the limit's articles/s; the nothing-new rerun < 3 s; peak
RSS < 500 MB; PostgreSQL within 1.5x of SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import sitegen  # noqa: E402

CONCURRENCY, PER_HOST = 16, 2  # sinowatch's [fetch] defaults, which the bench config leaves alone
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
TICKS = os.sysconf("SC_CLK_TCK")


# -- measuring a child process --------------------------------------------------------------------------

@dataclass
class Measured:
    wall: float
    cpu: float  # user + system seconds of the child and all its descendants (we are their subreaper)
    main_cpu: float  # ... of the child alone (the event loop, httpx, the store), sampled until it exits
    maxrss_mb: float  # the largest single process (os.wait4)
    tree_pss_mb: float  # peak sum of PSS over the process tree (sampled)
    server_cpu: float
    db_cpu: float  # the local PostgreSQL server's CPU meanwhile (its share of a PostgreSQL run's cost)
    other_cpu: float  # what other processes on the machine spent meanwhile (other benches disturb the figures)
    fetched_at: float | None  # seconds until the server had served 99 % of the article pages it served
    returncode: int
    stdout: str
    stderr: str


def _proc_stats() -> Iterator[tuple[str, bytes]]:
    """(pid, contents of /proc/PID/stat) of every process there now."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # it ended meanwhile
            continue
        yield entry.name, stat


def _proc_tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = defaultdict(list)
    for child, stat in _proc_stats():
        fields = stat[stat.rindex(b")") + 2:].split()
        parents[int(fields[1])].append(int(child))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += parents.get(pid, [])
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, all processes) since boot."""
    with open("/proc/stat") as f:
        values = [int(x) for x in f.readline().split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / TICKS  # minus idle and iowait


def _postgres_cpu() -> float:
    """CPU seconds of the local PostgreSQL server: its processes, and the backends it has reaped (cutime)."""
    total = 0.0
    for _pid, stat in _proc_stats():
        if stat[stat.index(b"(") + 1:stat.rindex(b")")] != b"postgres":
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        total += sum(int(x) for x in fields[11:15]) / TICKS  # utime, stime, cutime, cstime
    return total


def _cpu_of(pid: int) -> float:
    """utime + stime of a running process, seconds."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def become_subreaper() -> bool:
    """Orphaned descendants (a multiprocessing forkserver and its workers outlive the process that started them)
    are re-parented to us rather than to init, so we can reap them and count their CPU."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _reap_orphans(keep: set[int], deadline: float) -> int:
    """Wait for every child of ours but `keep` (descendants of a finished run, re-parented to us); kill what
    is still running at the deadline. Returns how many were reaped."""
    me, reaped = str(os.getpid()), 0
    while True:
        orphans = []
        for entry in os.scandir("/proc"):
            if entry.name.isdigit() and int(entry.name) not in keep:
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as f:
                        stat = f.read()
                except OSError:
                    continue
                if stat[stat.rindex(b")") + 2:].split()[1].decode() == me:
                    orphans.append(int(entry.name))
        if not orphans:
            return reaped
        for pid in orphans:
            try:
                if time.monotonic() > deadline:
                    os.kill(pid, 9)  # a descendant of the run we started, still there after the deadline
                    os.waitpid(pid, 0)
                    reaped += 1
                elif os.waitpid(pid, os.WNOHANG)[0]:
                    reaped += 1
            except (ChildProcessError, ProcessLookupError):
                pass
        time.sleep(0.05)


def measure(cmd: list[str], *, cwd: Path, server_pid: int, env: dict[str, str] | None = None,
            served: Callable[[], int] | None = None, database: bool = False) -> Measured:
    """Run `cmd` to completion; wall, CPU and memory of it and its descendants; `served` (pages the site
    server has served so far) is sampled every second, to tell when fetching was done; with `database`, the local
    PostgreSQL server's CPU is the run's too (without, it counts as other processes')."""
    served0 = served() if served else 0
    server0, busy0, db0 = _cpu_of(server_pid), _machine_busy(), _postgres_cpu() if database else 0.0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out: dict[str, bytes] = {}

    def drain(name: str, stream: object) -> None:
        out[name] = stream.read()  # type: ignore[attr-defined]
    readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
               for n, s in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for r in readers:
        r.start()
    peak = [0]
    main_cpu = [0.0]  # the child's own CPU at the last sample (to within a quarter of a second)
    done = threading.Event()
    series: list[tuple[float, int]] = []

    def sample() -> None:
        tick = 0
        while not done.wait(0.25):
            main_cpu[0] = max(main_cpu[0], _cpu_of(proc.pid))
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in _proc_tree(proc.pid)))
            tick += 1
            if served and tick % 4 == 0:
                try:
                    series.append((time.perf_counter() - t0, served() - served0))
                except OSError:
                    pass
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    _reap_orphans({server_pid}, time.monotonic() + 15)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, server = _machine_busy() - busy0, _cpu_of(server_pid) - server0
    db = _postgres_cpu() - db0 if database else 0.0
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    sampler.join()
    fetched_at = None
    if served:
        total = served() - served0
        fetched_at = next((t for t, n in series if n >= 0.99 * total), wall) if total else None
    for stream in (proc.stdout, proc.stderr):
        stream.close()  # type: ignore[union-attr]
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Measured(wall, cpu, main_cpu[0], usage.ru_maxrss / 1024, peak[0] / 1024, server, db,
                    max(0.0, busy - cpu - server - db), fetched_at, proc.returncode,
                    out.get("stdout", b"").decode(errors="replace"), out.get("stderr", b"").decode(errors="replace"))


# -- 1. the limit: plain httpx ------------------------------------------------------------------------------

async def _limit(spec: dict[str, object]) -> dict[str, int]:
    import httpx

    concurrency, per_host = int(spec["concurrency"]), int(spec["per_host"])  # type: ignore[arg-type]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    slots = asyncio.Semaphore(concurrency)
    hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
    totals = {"requests": 0, "bytes": 0, "errors": 0}
    async with httpx.AsyncClient(limits=limits, timeout=60, headers={"Accept-Encoding": "gzip, deflate"}) as client:
        async def get(url: str) -> None:
            async with slots, hosts[urlsplit(url).netloc]:
                try:
                    async with client.stream("GET", url) as r:
                        async for chunk in r.aiter_bytes():  # decoded, as sinowatch reads them; then dropped
                            totals["bytes"] += len(chunk)
                        totals["errors"] += r.status_code >= 400
                except httpx.HTTPError:
                    totals["errors"] += 1
            totals["requests"] += 1

        async def outlet(feed: str, pages: list[str]) -> None:  # as sinowatch: the listing, then its articles
            await get(feed)
            await asyncio.gather(*(get(u) for u in pages))
        await asyncio.gather(*(get(u) for u in spec["robots"]))  # type: ignore[union-attr]
        await asyncio.gather(*(outlet(f, p) for f, p in spec["outlets"]))  # type: ignore[union-attr]
    return totals


def limit_worker(path: str) -> None:
    spec = json.loads(Path(path).read_text())
    print(json.dumps(asyncio.run(_limit(spec))))


# -- the runs -----------------------------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    articles: int
    m: Measured
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.articles / self.m.wall if self.m.wall else 0.0


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SINOWATCH_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def sinowatch_fetch(config: Path, running: sitegen.Running, *, postgres: bool = False) -> Measured:
    return measure([sys.executable, "-m", "sinowatch", "--config", str(config), "fetch", "--quiet"],
                   cwd=config.parent, server_pid=running.pid, env=_env(), served=lambda: running.stats()["pages"],
                   database=postgres)


def _tail(m: Measured) -> str:
    lines = [ln for ln in (m.stdout + m.stderr).strip().splitlines() if ln.strip()]
    return " | ".join(lines[-3:])


def pg_schema(base: str) -> tuple[str | None, str]:
    """A fresh schema's URL, or None and the reason PostgreSQL cannot be used."""
    try:
        import psycopg

        schema = f"sw_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return f"{base}?options=-csearch_path%3D{schema}", schema
    except Exception as exc:  # any failure to connect or create: skip, and say why
        return None, str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def pg_drop(base: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outlets", type=int, default=200)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--pg", default=PG_DEFAULT, help="PostgreSQL server (a schema is created and dropped in it)")
    parser.add_argument("--fetch-extra", action="append", default=[], metavar="'KEY = VALUE'",
                        help="a line added to the bench config's [fetch] table (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (configs, SQLite file)")
    parser.add_argument("--limit-runs", type=int, default=2, metavar="N",
                        help="run the limit N times and keep the fastest (default 2)")
    parser.add_argument("--limit-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.limit_worker:
        return limit_worker(args.limit_worker)

    subreaper = become_subreaper()
    cached = (sitegen.cache_root(args.outlets, args.articles, args.seed, 0.10) / "manifest.json").is_file()
    t0 = time.perf_counter()
    site = sitegen.generate(args.outlets, args.articles, args.seed)
    generated = time.perf_counter() - t0
    sizes = sorted(p.size for p in site.pages)
    n = len(site.pages)
    euckr = sum(1 for p in site.pages if site.outlet(p.outlet).encoding != "utf-8")
    hosts = sorted({o.host for o in site.outlets})
    print(f"site: {len(site.outlets)} outlets x {args.articles} articles = {n} pages ({len(site.copies)} syndicated "
          f"copies, {euckr} EUC-KR), {sizes[0] / 1000:.0f}-{sizes[-1] / 1000:.0f} KB "
          f"(median {sizes[n // 2] / 1000:.0f} KB, {sum(sizes) / 1e6:.0f} MB in all), "
          f"on {len(hosts)} addresses {hosts[0]}-{hosts[-1]}; "
          f"{'loaded' if cached else 'generated'} in {generated:.1f} s ({site.root})", flush=True)
    if not subreaper:
        print("warning: could not become a child subreaper; CPU of orphaned worker processes is not counted")
    work = Path(tempfile.mkdtemp(prefix="sinowatch-bench-pipeline-"))
    rows: list[Row] = []
    checks: list[str] = []
    extra = "".join(line + "\n" for line in args.fetch_extra)
    with sitegen.serve(site) as running:
        server = running.pid
        # 1. the limit
        pages: dict[str, list[str]] = defaultdict(list)
        for p in site.pages:
            pages[p.outlet].append(running.page_url(site, p))
        spec = {"concurrency": CONCURRENCY, "per_host": PER_HOST,
                "robots": [b + "/robots.txt" for b in running.bases.values()],
                "outlets": [(running.feed_url(site, o.slug), pages[o.slug]) for o in site.outlets]}
        (work / "limit.json").write_text(json.dumps(spec))
        # The fastest of --limit-runs: the limit is what the machine can do, and a run that other processes
        # slowed says less about it (one machine's limit moved from 19 to 33 s between runs).
        tries = [measure([sys.executable, __file__, "--limit-worker", str(work / "limit.json")], cwd=work,
                         server_pid=server, env=_env(), served=lambda: running.stats()["pages"])
                 for _ in range(max(1, args.limit_runs))]
        m = min(tries, key=lambda t: (t.returncode != 0, t.wall))
        totals = json.loads(m.stdout) if m.returncode == 0 else {}
        walls = ", ".join(f"{t.wall:.1f}" for t in tries)
        rows.append(Row("1 limit: plain httpx", n, m, f"{totals.get('requests')} requests, "
                        f"{totals.get('bytes', 0) / 1e6:.0f} MB decoded, {totals.get('errors')} errors; "
                        f"the fastest of {len(tries)} runs ({walls} s)"
                        if totals else f"FAILED: {_tail(m)}"))
        print(f"  ran {rows[-1].name}: {walls} s", flush=True)

        # 2. and 3. SQLite
        config = sitegen.write_config(site, running, work / "sqlite", "sqlite:///var/bench.db", extra)
        m = sinowatch_fetch(config, running)
        verdict = sitegen.verify(site, f"sqlite:///{work / 'sqlite' / 'var' / 'bench.db'}")
        rows.append(Row("2 sinowatch fetch -> SQLite", verdict.stored, m, _tail(m)))
        checks.append(f"SQLite: {'OK' if verdict.ok else 'FAILED'}: {verdict.summary()}")
        print(f"  ran {rows[-1].name}: {m.wall:.1f} s", flush=True)
        m = sinowatch_fetch(config, running)
        again = sitegen.verify(site, f"sqlite:///{work / 'sqlite' / 'var' / 'bench.db'}")
        rows.append(Row("3 same again, nothing new", again.stored - verdict.stored, m, _tail(m)))
        print(f"  ran {rows[-1].name}: {m.wall:.1f} s", flush=True)

        # 4. PostgreSQL
        pg_row = None
        if args.skip_postgres:
            checks.append("PostgreSQL: skipped (--skip-postgres)")
        else:
            url, schema = pg_schema(args.pg)
            if url is None:
                checks.append(f"PostgreSQL: skipped: {args.pg} unreachable: {schema}")
            else:
                try:
                    config = sitegen.write_config(site, running, work / "pg", url, extra)
                    m = sinowatch_fetch(config, running, postgres=True)
                    verdict_pg = sitegen.verify(site, url)
                    pg_row = Row("4 sinowatch fetch -> PostgreSQL", verdict_pg.stored, m, _tail(m))
                    rows.append(pg_row)
                    checks.append(f"PostgreSQL: {'OK' if verdict_pg.ok else 'FAILED'}: {verdict_pg.summary()}")
                    print(f"  ran {rows[-1].name}: {m.wall:.1f} s", flush=True)
                finally:
                    pg_drop(args.pg, schema)

    limit = rows[0]
    print()
    print(f"{'run':34} {'articles':>8} {'seconds':>8} {'articles/s':>10} {'CPU s/art':>9} {'RSS MB':>7} "
          f"{'tree PSS':>8} {'fetched at':>10} {'server CPU':>10} {'db CPU':>6} {'other CPU':>9} {'vs limit':>8}  exit")
    for r in rows:
        per = f"{(r.m.cpu + r.m.db_cpu) / r.articles:9.4f}" if r.articles else f"{'-':>9}"
        fetched = f"{r.m.fetched_at:10.1f}" if r.m.fetched_at is not None else f"{'-':>10}"
        ratio = f"{r.rate / limit.rate:8.1%}" if r.articles and limit.rate and r is not limit else \
            f"{'1':>8}" if r is limit else f"{'-':>8}"
        print(f"{r.name:34} {r.articles:8d} {r.m.wall:8.2f} {r.rate:10.1f} {per} {r.m.maxrss_mb:7.0f} "
              f"{r.m.tree_pss_mb:8.0f} {fetched} {r.m.server_cpu:10.1f} {r.m.db_cpu:6.1f} {r.m.other_cpu:9.1f} {ratio}"
              f"  {r.m.returncode}")
    cores = os.cpu_count() or 1
    disturbed = [r.name for r in rows if r.m.other_cpu > 0.1 * r.m.wall * cores]
    if disturbed:
        print(f"warning: other processes used more than 10 % of the {cores} cores during: {', '.join(disturbed)}"
              " — those figures are low; run again on a quiet machine")
    print()
    for r in rows:
        main = f" ({r.m.main_cpu:.1f} s in the command's own process)" if r.m.main_cpu else ""
        print(f"{r.name}: CPU {r.m.cpu:.1f} s{main}; {r.note}")
    print()
    for c in checks:
        print(c)
    sqlite_row, rerun = rows[1], rows[2]
    print()
    print("targets:")
    print(f"  end to end >= 50 % of the limit:  {sqlite_row.rate / limit.rate:.1%} "
          f"({'met' if sqlite_row.rate >= 0.5 * limit.rate else 'NOT met'})")
    print(f"  nothing-new rerun < 3 s:          {rerun.m.wall:.2f} s ({'met' if rerun.m.wall < 3 else 'NOT met'})")
    peak = max(sqlite_row.m.tree_pss_mb, sqlite_row.m.maxrss_mb)
    print(f"  peak RSS < 500 MB:                {peak:.0f} MB ({'met' if peak < 500 else 'NOT met'})")
    if pg_row is not None:
        factor = pg_row.m.wall / sqlite_row.m.wall
        print(f"  PostgreSQL within 1.5x of SQLite: {factor:.2f}x ({'met' if factor <= 1.5 else 'NOT met'})")
    if args.keep:
        print(f"work directory kept: {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

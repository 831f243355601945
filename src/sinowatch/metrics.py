"""The daemon's counters for Prometheus, and a small loopback HTTP endpoint serving /healthz and /metrics."""

from __future__ import annotations

import asyncio
import time

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from sinowatch.errors import ConfigError
from sinowatch.models import SourceReport


class Metrics:
    """One registry per daemon (no module globals), so tests can run several."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.started = time.time()
        self.fetches = Counter("sinowatch_fetches", "Source fetches by outcome", ["outcome"], registry=self.registry)
        self.failures = Counter("sinowatch_fetch_failures", "Failed fetches by kind", ["kind"], registry=self.registry)
        self.articles = Counter("sinowatch_articles", "Articles stored by status", ["status"], registry=self.registry)
        self.digests = Counter("sinowatch_digests", "Digest runs by outcome", ["outcome"], registry=self.registry)
        self.job_failures = Counter("sinowatch_job_failures", "Jobs that failed outright (e.g. database away)",
                                    ["job"], registry=self.registry)
        self.lag = Gauge("sinowatch_job_lag_seconds", "How late the last fetch started after it was due",
                         registry=self.registry)
        self.last_tick = Gauge("sinowatch_last_tick_timestamp", "When the scheduler last ran", registry=self.registry)

    def record_fetch(self, report: SourceReport) -> None:
        outcome = "disabled" if report.disabled else "failed" if report.error_kind else \
            "not_modified" if report.not_modified else "ok"
        self.fetches.labels(outcome).inc()
        if report.error_kind:
            self.failures.labels(report.error_kind).inc()
        for status, n in (("new", report.new), ("duplicate", report.duplicates),
                          ("near_duplicate", report.near_duplicates)):
            if n:
                self.articles.labels(status).inc(n)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


async def serve_metrics(address: str, metrics: Metrics) -> asyncio.Server:
    """Serve GET /healthz and GET /metrics on host:port (loopback unless configured otherwise)."""
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise ConfigError(f"[daemon] metrics: expected host:port, got {address!r}")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readline(), timeout=5)
            path = request.split()[1].decode() if len(request.split()) > 1 else "/"
            if path == "/metrics":
                status, body, kind = "200 OK", metrics.exposition(), "text/plain; version=0.0.4"
            elif path == "/healthz":
                status, body, kind = "200 OK", b"ok\n", "text/plain"
            else:
                status, body, kind = "404 Not Found", b"not found\n", "text/plain"
            writer.write(f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                         f"Connection: close\r\n\r\n".encode() + body)
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, host or "127.0.0.1", int(port))

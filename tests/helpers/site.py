"""A loopback HTTP server for tests: routes map paths to canned or programmable responses, requests are logged."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[BaseHTTPRequestHandler], Reply | None]  # None: the handler wrote the response itself


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float
    host: str


class Site:
    """Routes and a request log; `url(path)` gives the absolute URL."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.routes: dict[str, Reply | Handler] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", *, status: int = 200, content_type: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Reply(status, data, {"Content-Type": content_type, **(headers or {})})

    def handle(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[Site]:
    site: Site

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            with site.lock:
                site.requests.append(Request(self.path, dict(self.headers), time.monotonic(), host))
            route = site.routes.get(self.path)
            if route is None and self.path == "/robots.txt":
                route = Reply(404, b"")
            reply = route(self) if callable(route) else route
            if route is None:
                reply = Reply(404, b"not found", {"Content-Type": "text/plain"})
            if reply is None:
                return
            self.send_response(reply.status)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), RequestHandler)
    server.daemon_threads = True
    site = Site(host, server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()

"""A loopback HTTP server for the bundled sample site, with {{BASE}} filled in and conditional GET."""

from __future__ import annotations

import hashlib
import mimetypes
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from fnmatch import fnmatchcase
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

# How URLs map to files: "/a/b.html" is the file a/b.html under the site root; "/a/view.php?no=5"
# is the file "a/view.php@no=5" (query parameters sorted, tracking parameters such as utm_* dropped),
# falling back to "a/view.php" itself; "/a/" is "a/index.html". Names starting with "_" or "." and
# MANIFEST.toml are never served. Per-file headers come from the site's _headers.toml.
PLACEHOLDER = b"{{BASE}}"
TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
HIDDEN = {"MANIFEST.toml"}
ROBOTS = b"User-agent: *\nAllow: /\n"
TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml", "application/json")


def site_root() -> Path:
    """The packaged sample site (a real directory: the package is installed from files, not a zip)."""
    root = Path(str(files("sinowatch.demo") / "site"))
    if not (root / "MANIFEST.toml").is_file():
        raise FileNotFoundError(f"the demo site is missing from the installed package: {root}")
    return root


@dataclass
class _Site:
    root: Path
    rules: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    base: bytes = b""

    def locate(self, target: str) -> Path | None:
        split = urlsplit(target)
        rel = unquote(split.path).lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        names = [rel]
        params = [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True) if not k.startswith(TRACKING)]
        if params:
            names.insert(0, f"{rel}@{urlencode(sorted(params))}")
        for name in names:
            parts = Path(name).parts
            if any(p.startswith((".", "_")) or p == ".." for p in parts) or name in HIDDEN:
                return None
            path = self.root / name
            if path.is_file():
                return path
        return None

    def headers_for(self, path: Path) -> dict[str, str]:
        rel = path.relative_to(self.root).as_posix()
        guessed = mimetypes.guess_type(rel.split("@", 1)[0])[0] or "application/octet-stream"
        if guessed.startswith(TEXT_TYPES):
            guessed += "; charset=utf-8"
        headers = {"Content-Type": guessed}
        for glob, extra in self.rules:
            if fnmatchcase(rel, glob):
                headers.update(extra)
        return headers


def _load_rules(root: Path) -> list[tuple[str, dict[str, str]]]:
    path = root / "_headers.toml"
    if not path.is_file():
        return []
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return [(str(r["glob"]), {str(k): str(v) for k, v in r["headers"].items()}) for r in data.get("rule", [])]


class _Handler(BaseHTTPRequestHandler):
    server_version = "sinowatch-demo/1.0"
    protocol_version = "HTTP/1.1"

    def __init__(self, site: _Site, *args: Any, **kwargs: Any) -> None:
        self.site = site
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the demo prints its own progress."""

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def _respond(self, *, with_body: bool) -> None:
        path = self.site.locate(self.path)
        if path is None and urlsplit(self.path).path == "/robots.txt":
            self._send(200, {"Content-Type": "text/plain; charset=utf-8"}, ROBOTS, with_body)
            return
        if path is None:
            self._send(404, {"Content-Type": "text/plain; charset=utf-8"}, b"404 Not Found\n", with_body)
            return
        body = path.read_bytes().replace(PLACEHOLDER, self.site.base)
        mtime = int(path.stat().st_mtime)
        headers = self.site.headers_for(path)
        headers["ETag"] = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        headers["Last-Modified"] = formatdate(mtime, usegmt=True)
        if self._not_modified(headers["ETag"], mtime):
            self._send(304, {"ETag": headers["ETag"], "Last-Modified": headers["Last-Modified"]}, b"", False)
            return
        self._send(200, headers, body, with_body)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        if (match := self.headers.get("If-None-Match")) is not None:
            tags = {t.strip().removeprefix("W/") for t in match.split(",")}
            return "*" in tags or etag in tags
        if since := self.headers.get("If-Modified-Since"):
            try:
                return mtime <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, headers: dict[str, str], body: bytes, with_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:  # a 304 must not claim a length other than the 200's; it has no body
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body and status != 304:
            self.wfile.write(body)


@contextmanager
def serve_site(root: Path | None = None, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the sample site; yields the base URL, e.g. 'http://127.0.0.1:45123'."""
    site = _Site(root=(root or site_root()).resolve())
    site.rules = _load_rules(site.root)
    server = ThreadingHTTPServer((host, port), partial(_Handler, site))
    server.daemon_threads = True
    bound_port = server.server_address[1]
    base = f"http://[{host}]:{bound_port}" if ":" in host else f"http://{host}:{bound_port}"
    site.base = base.encode("ascii")
    thread = threading.Thread(target=server.serve_forever, name="sinowatch-demo-site", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

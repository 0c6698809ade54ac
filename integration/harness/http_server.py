"""A scriptable loopback download site, for fetch, retry and fault tests.

Register content with ``add_file``; by default each GET of that path serves it. To
inject faults, ``script`` a path with steps: each request consumes the next step and
the last step repeats. Every request is recorded in ``requests``.

    with DownloadServer() as site:
        url = site.add_file("/etcd.tar.gz", tarball)
        site.script("/etcd.tar.gz", [Status(503), Reset(after_bytes=100), Serve()])
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import urlsplit

from .certs import Pki
from .forward_proxy import ForwardProxy
from .loopback_server import LoopbackServer, QuietHandler

__all__ = ["DownloadServer", "ForwardProxy", "Exchange", "RequestRecord", "Step", "Serve", "Status", "Reset",
           "Truncate", "Stall", "Redirect"]

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class RequestRecord:
    """One request the server received (header names lower-cased)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    time: float


class Exchange:
    """One request being answered: what steps use to write a response."""

    def __init__(self, handler: QuietHandler, site: "DownloadServer", content: bytes | Path | None) -> None:
        self.handler = handler
        self.site = site
        self.content = content

    @property
    def size(self) -> int:
        """Return the registered file's size (0 when there is none)."""
        if isinstance(self.content, Path):
            return self.content.stat().st_size
        return len(self.content or b"")

    def send_head(self, code: int, headers: dict[str, str] | None = None, length: int = 0) -> None:
        """Send the status line and headers, including ``Content-Length: length``."""
        self.handler.send_response(code)
        for name, value in (headers or {}).items():
            self.handler.send_header(name, value)
        self.handler.send_header("Content-Length", str(length))
        self.handler.end_headers()

    def send_content(self, limit: int | None = None) -> None:
        """Send the registered file, or only its first ``limit`` bytes (nothing for HEAD)."""
        if self.handler.command == "HEAD":
            return
        remaining = self.size if limit is None else min(limit, self.size)
        if isinstance(self.content, Path):
            with open(self.content, "rb") as source:
                while remaining > 0:
                    chunk = source.read(min(_CHUNK, remaining))
                    if not chunk:
                        break
                    self.handler.wfile.write(chunk)
                    remaining -= len(chunk)
        elif remaining:
            self.handler.wfile.write(self.content[:remaining])

    def send_body(self, body: bytes) -> None:
        """Send ``body`` (nothing for HEAD)."""
        if self.handler.command != "HEAD" and body:
            self.handler.wfile.write(body)

    def close(self) -> None:
        """Close the connection normally (FIN) once the step returns."""
        self.handler.close_connection = True

    def abort(self) -> None:
        """Close the connection now with a TCP RST."""
        self.handler.abort()

    def pause(self, seconds: float) -> None:
        """Sleep, but wake up at once when the server stops."""
        self.site.stopping.wait(seconds)


class Step:
    """How to answer one request."""

    def respond(self, exchange: Exchange) -> None:
        raise NotImplementedError


@dataclass
class Serve(Step):
    """Serve the registered file (or ``content``) with 200 and its Content-Length."""

    content: bytes | None = None

    def respond(self, exchange: Exchange) -> None:
        if self.content is not None:
            exchange.content = self.content
        if exchange.content is None:
            Status(404, body=b"no file registered for this path\n").respond(exchange)
            return
        exchange.send_head(200, {"Content-Type": "application/octet-stream"}, exchange.size)
        exchange.send_content()


@dataclass
class Status(Step):
    """Answer with ``code``, extra ``headers`` (e.g. Retry-After) and ``body``."""

    code: int
    headers: dict[str, str] | None = None
    body: bytes = b""

    def respond(self, exchange: Exchange) -> None:
        exchange.send_head(self.code, self.headers, len(self.body))
        exchange.send_body(self.body)


@dataclass
class Reset(Step):
    """Send headers (full Content-Length) and ``after_bytes`` bytes, then reset the connection.

    With ``send_headers=False`` the connection is reset before any response byte.
    """

    after_bytes: int = 0
    send_headers: bool = True

    def respond(self, exchange: Exchange) -> None:
        if self.send_headers:
            exchange.send_head(200, {"Content-Type": "application/octet-stream"}, exchange.size)
            exchange.send_content(self.after_bytes)
        exchange.abort()


@dataclass
class Truncate(Step):
    """Promise the full Content-Length, send only ``n`` bytes, then close normally."""

    n: int

    def respond(self, exchange: Exchange) -> None:
        exchange.send_head(200, {"Content-Type": "application/octet-stream"}, exchange.size)
        exchange.send_content(self.n)
        exchange.close()


@dataclass
class Stall(Step):
    """Send headers and ``after_bytes`` bytes, hold the connection ``seconds``, then close."""

    after_bytes: int = 0
    seconds: float = 60.0

    def respond(self, exchange: Exchange) -> None:
        exchange.send_head(200, {"Content-Type": "application/octet-stream"}, exchange.size)
        exchange.send_content(self.after_bytes)
        exchange.handler.wfile.flush()
        exchange.pause(self.seconds)
        exchange.close()


@dataclass
class Endless(Step):
    """Answer 200 and send zeros until the client hangs up or the server stops: a body that never ends.

    Without ``declared_length`` there is no Content-Length (the body ends only when the connection
    closes); with it, the header promises that many bytes.
    """

    declared_length: int | None = None

    def respond(self, exchange: Exchange) -> None:
        exchange.handler.send_response(200)
        if self.declared_length is not None:
            exchange.handler.send_header("Content-Length", str(self.declared_length))
        exchange.handler.end_headers()
        exchange.close()
        chunk = b"\0" * _CHUNK
        try:
            while not exchange.site.stopping.is_set():
                exchange.handler.wfile.write(chunk)
        except OSError:
            pass  # the client gave up, as it should


@dataclass
class Redirect(Step):
    """Redirect to ``location`` (absolute URL or path) with ``code``."""

    location: str
    code: int = 302

    def respond(self, exchange: Exchange) -> None:
        exchange.send_head(self.code, {"Location": self.location}, 0)


@dataclass
class _Script:
    steps: list[Step]
    used: int = 0

    def next_step(self) -> Step:
        step = self.steps[min(self.used, len(self.steps) - 1)]
        self.used += 1
        return step


class _DownloadHandler(QuietHandler):
    server_version = "etcdproxy-test-download/1"

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        site: DownloadServer = self.server.owner
        parts = urlsplit(self.path)
        site._record(RequestRecord(self.command, parts.path, parts.query,
                                   {k.lower(): v for k, v in self.headers.items()}, time.time()))
        step, content = site._plan(parts.path)
        step.respond(Exchange(self, site, content))

    do_HEAD = do_GET


class DownloadServer(LoopbackServer):
    """A loopback HTTP(S) file server whose answers can be scripted per path (HTTPS with ``pki``)."""

    handler_class = _DownloadHandler

    def __init__(self, pki: Pki | None = None) -> None:
        super().__init__(pki)
        self._lock = threading.Lock()
        self._files: dict[str, bytes | Path] = {}
        self._scripts: dict[str, _Script] = {}
        self._requests: list[RequestRecord] = []

    def __enter__(self) -> "DownloadServer":
        self.start()
        return self

    def add_file(self, path: str, content: "bytes | str | os.PathLike[str]") -> str:
        """Register ``content`` (bytes, or a file path to stream) at ``path``; return its URL."""
        _check_path(path)
        with self._lock:
            self._files[path] = content if isinstance(content, bytes) else Path(content)
        return self.url(path)

    def script(self, path: str, steps: Sequence[Step]) -> None:
        """Answer the next requests for ``path`` with ``steps`` in order; the last one repeats."""
        _check_path(path)
        if not steps:
            raise ValueError("a script needs at least one step")
        with self._lock:
            self._scripts[path] = _Script(list(steps))

    def url(self, path: str) -> str:
        """Return the full URL of ``path``."""
        _check_path(path)
        return self.base_url + path

    @property
    def requests(self) -> list[RequestRecord]:
        """Return a copy of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def count(self, path: str | None = None) -> int:
        """Return how many requests were made for ``path`` (or in total)."""
        return sum(1 for r in self.requests if path is None or r.path == path)

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self._requests.clear()

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)

    def _plan(self, path: str) -> tuple[Step, bytes | Path | None]:
        with self._lock:
            content = self._files.get(path)
            script = self._scripts.get(path)
            if script is not None:
                return script.next_step(), content
        return (Serve() if content is not None else Status(404, body=b"not found\n")), content


def _check_path(path: str) -> None:
    if not path.startswith("/"):
        raise ValueError(f"paths start with '/': {path!r}")

"""A loopback HTTP forward proxy, to prove downloads honour ``HTTP(S)_PROXY``.

It tunnels ``CONNECT host:port`` (https URLs) and relays absolute-URI requests (http
URLs), recording each request. Only loopback targets are allowed (others get 403), so a
misrouted request fails fast instead of reaching for the internet.
"""

from __future__ import annotations

import http.client
import selectors
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from .loopback_server import LoopbackServer, QuietHandler

ALLOWED_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "proxy-authorization",
                         "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"})


@dataclass(frozen=True)
class ProxyRecord:
    """One request the proxy received: ``CONNECT 127.0.0.1:443`` or ``GET http://...``."""

    method: str
    target: str
    headers: dict[str, str]
    time: float


class _ProxyHandler(QuietHandler):
    server_version = "etcdproxy-test-proxy/1"

    @property
    def proxy(self) -> "ForwardProxy":
        return self.server.owner

    def do_CONNECT(self) -> None:  # noqa: N802 - http.server naming
        host, _, port = self.path.rpartition(":")
        host = host.strip("[]")
        self.proxy._record(self)
        if host not in ALLOWED_HOSTS or not port.isdigit():
            self.send_error(403, "only loopback targets are allowed")
            return
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except OSError:
            self.send_error(502, "cannot connect upstream")
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        with upstream:
            _relay(self.connection, upstream, self.proxy.stopping)

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        target = urlsplit(self.path)
        self.proxy._record(self)
        if target.scheme != "http" or not target.hostname:
            self.send_error(400, "absolute http:// URI expected")
            return
        if target.hostname not in ALLOWED_HOSTS:
            self.send_error(403, "only loopback targets are allowed")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["Connection"] = "close"
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        try:
            upstream.request(self.command, path, headers=headers)
            response = upstream.getresponse()
        except OSError:
            upstream.close()
            self.send_error(502, "upstream failed")
            return
        self._relay_response(response)
        upstream.close()

    do_HEAD = do_GET

    def _relay_response(self, response: http.client.HTTPResponse) -> None:
        self.close_connection = True
        self.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            while chunk := response.read(64 * 1024):
                self.wfile.write(chunk)
        except (http.client.HTTPException, OSError):
            self.abort()  # pass an upstream fault on to the client


class ForwardProxy(LoopbackServer):
    """Context manager running the proxy; point ``HTTP(S)_PROXY`` at ``url``."""

    handler_class = _ProxyHandler

    def __init__(self) -> None:
        super().__init__(pki=None)
        self._lock = threading.Lock()
        self._requests: list[ProxyRecord] = []

    def __enter__(self) -> "ForwardProxy":
        self.start()
        return self

    @property
    def url(self) -> str:
        """Return ``http://127.0.0.1:<port>``, the value for ``HTTP(S)_PROXY``."""
        return self.base_url

    @property
    def requests(self) -> list[ProxyRecord]:
        """Return a copy of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def count(self, method: str | None = None) -> int:
        """Return how many requests (of ``method``) went through the proxy."""
        return sum(1 for r in self.requests if method is None or r.method == method)

    def _record(self, handler: QuietHandler) -> None:
        record = ProxyRecord(handler.command, handler.path,
                             {k.lower(): v for k, v in handler.headers.items()}, time.time())
        with self._lock:
            self._requests.append(record)


def _relay(client: socket.socket, upstream: socket.socket, stopping: threading.Event) -> None:
    """Copy bytes both ways until either side closes or the proxy stops."""
    peers = {client: upstream, upstream: client}
    with selectors.DefaultSelector() as selector:
        for sock in peers:
            selector.register(sock, selectors.EVENT_READ)
        while not stopping.is_set():
            for key, _ in selector.select(timeout=0.2):
                try:
                    data = key.fileobj.recv(64 * 1024)
                    if not data:
                        return
                    peers[key.fileobj].sendall(data)
                except OSError:
                    return

"""The shared base of the harness's HTTP servers: a threaded server on 127.0.0.1.

It serves each connection on its own daemon thread, optionally over TLS with the test
PKI's server certificate, and stops promptly: ``stopping`` is set (servers use it to cut
sleeps short), the accept loop ends, and open connections are shut down.
"""

from __future__ import annotations

import array
import fcntl
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .certs import Pki
from .ports import LOOPBACK

_SIOCOUTQNSD = 0x894B  # Linux ioctl: bytes written to a TCP socket but not yet sent
_SEND_DRAIN_TIMEOUT = 2.0


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that speaks HTTP/1.1, does the TLS handshake itself and logs nothing."""

    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may sit idle, so no thread lingers forever
    server: "_Server"

    def setup(self) -> None:
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # nothing held back before a RST
        if isinstance(self.request, ssl.SSLSocket):
            # Done here, on the connection's own thread, so a slow client cannot block accept().
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()

    def abort(self) -> None:
        """Close the connection with a TCP RST (SO_LINGER 0) instead of an orderly FIN.

        Bytes already written are given up to ``_SEND_DRAIN_TIMEOUT`` seconds to leave the
        kernel first, since a reset discards whatever is still queued.
        """
        sock = self.connection
        _wait_until_sent(sock, _SEND_DRAIN_TIMEOUT)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # the file object holds a reference that would delay the close
        sock.close()
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base class signature
        pass


def _wait_until_sent(sock: socket.socket, timeout: float) -> None:
    """Wait (bounded) until the kernel has transmitted everything written to ``sock``."""
    deadline = time.monotonic() + timeout
    unsent = array.array("i", [0])
    while time.monotonic() < deadline:
        fcntl.ioctl(sock.fileno(), _SIOCOUTQNSD, unsent)
        if unsent[0] == 0:
            return
        time.sleep(0.005)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, owner: "LoopbackServer", handler: type[QuietHandler],
                 ssl_context: ssl.SSLContext | None) -> None:
        self.owner = owner
        self.ssl_context = ssl_context
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__((LOOPBACK, 0), handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up mid-response are normal in fault tests; keep a note, print nothing.
        self.owner.errors.append(repr(sys.exc_info()[1]))


class LoopbackServer:
    """Base class: subclasses set ``handler_class``; use as a context manager."""

    handler_class: type[QuietHandler] = QuietHandler

    def __init__(self, pki: Pki | None = None) -> None:
        self.pki = pki
        self.stopping = threading.Event()
        self.errors: list[str] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "LoopbackServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Bind a free port and serve on a background thread."""
        context = None
        if self.pki is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.pki.server_cert, self.pki.server_key)
        self._server = _Server(self, self.handler_class, context)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=type(self).__name__, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, cut stalled responses short and close open connections (bounded)."""
        if self._server is None:
            return
        self.stopping.set()
        self._server.shutdown()
        with self._server.connections_lock:
            connections = list(self._server.connections)
        for connection in connections:
            try:  # the plain socket method, so TLS state is left to the owning thread
                socket.socket.shutdown(connection, socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def scheme(self) -> str:
        """Return ``https`` with a PKI, else ``http``."""
        return "https" if self.pki else "http"

    @property
    def base_url(self) -> str:
        """Return ``http(s)://127.0.0.1:<port>``."""
        return f"{self.scheme}://{LOOPBACK}:{self.port}"

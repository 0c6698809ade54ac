"""A tiny authoritative DNS server (UDP) for SRV-discovery tests: SRV and A records, nothing else.

It answers from a fixed table, with NXDOMAIN for names it does not know and an empty answer for
known names asked for another type (e.g. AAAA). Meant to run on 127.0.0.1:53 inside a private
network namespace (see ``netns.py``), with /etc/resolv.conf bind-mounted to point at it.
"""

from __future__ import annotations

import socket
import struct
import threading
from dataclasses import dataclass, field

TYPE_A = 1
TYPE_SRV = 33
CLASS_IN = 1
TTL = 5


@dataclass
class Records:
    """``srv[name] = [(priority, weight, port, target)]``, ``a[name] = "127.0.0.1"`` (names without the final dot)."""

    srv: dict[str, list[tuple[int, int, int, str]]] = field(default_factory=dict)
    a: dict[str, str] = field(default_factory=dict)

    def known(self, name: str) -> bool:
        return name in self.srv or name in self.a


def encode_name(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\0"


def _read_question(packet: bytes) -> tuple[str, int, int, int]:
    """Return (name, type, class, end offset) of the first question."""
    labels, offset = [], 12
    while packet[offset] != 0:
        length = packet[offset]
        labels.append(packet[offset + 1: offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length
    qtype, qclass = struct.unpack("!HH", packet[offset + 1: offset + 5])
    return ".".join(labels).lower(), qtype, qclass, offset + 5


def answer(packet: bytes, records: Records) -> bytes:
    """Return the response to the query ``packet``."""
    query_id, flags = struct.unpack("!HH", packet[:4])
    name, qtype, _qclass, end = _read_question(packet)
    answers = []
    if qtype == TYPE_SRV:
        for priority, weight, port, target in records.srv.get(name, []):
            rdata = struct.pack("!HHH", priority, weight, port) + encode_name(target)
            answers.append((TYPE_SRV, rdata))
    elif qtype == TYPE_A and name in records.a:
        answers.append((TYPE_A, socket.inet_aton(records.a[name])))
    rcode = 0 if records.known(name) else 3  # NXDOMAIN
    response_flags = 0x8000 | 0x0400 | (flags & 0x0100) | 0x0080 | rcode  # QR, AA, RD copied, RA
    header = struct.pack("!HHHHHH", query_id, response_flags, 1, len(answers), 0, 0)
    body = packet[12:end]
    for rtype, rdata in answers:
        body += struct.pack("!HHHIH", 0xC00C, rtype, CLASS_IN, TTL, len(rdata)) + rdata
    return header + body


class DnsServer:
    """Serves ``records`` on UDP ``host:port`` in a thread until ``stop()``; counts the queries."""

    def __init__(self, records: Records, host: str = "127.0.0.1", port: int = 53) -> None:
        self.records = records
        self.queries: list[tuple[str, int]] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((host, port))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "DnsServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                packet, peer = self._sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                name, qtype, _, _ = _read_question(packet)
                self.queries.append((name, qtype))
                self._sock.sendto(answer(packet, self.records), peer)
            except (IndexError, struct.error, OSError):
                continue  # malformed query: no answer, as a real server may do

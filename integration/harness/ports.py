"""Free TCP ports on 127.0.0.1 for servers the tests start.

Ports come from below the kernel's ephemeral range (``ip_local_port_range``), which every outgoing
connection of every test draws its local port from: a port found by binding port 0 is free only
until the next connect() anywhere on the machine takes it, which at several tests at a time
happens. Below that range only listeners take ports, so the test processes share one counter
(a file, under a lock) and hand each port out once per cycle; each is also checked free by binding
it. Another program may still listen on a port between the check and the server's bind, so
callers that start servers should still retry on EADDRINUSE (``EtcdCluster`` does).
"""

from __future__ import annotations

import fcntl
import os
import socket
import tempfile
from pathlib import Path
from typing import IO

LOOPBACK = "127.0.0.1"
POOL_START = 15000  # above the well-known and most registered service ports
COUNTER_FILE = Path(tempfile.gettempdir()) / "etcdproxy-test-ports"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Return ``count`` distinct ports on 127.0.0.1, each free a moment ago and handed to no other
    test process recently."""
    pool_size = _ephemeral_range_start() - POOL_START
    if pool_size < 1000:
        return _kernel_chosen_ports(count)  # no room below the ephemeral range
    try:
        counter = _open_counter()
    except OSError:
        return _kernel_chosen_ports(count)  # e.g. another user's counter file
    ports: list[int] = []
    with counter:  # closing it releases the lock
        fcntl.flock(counter, fcntl.LOCK_EX)
        text = counter.read().strip()
        position = int(text) if text.isdigit() else os.getpid()  # a new file starts anywhere
        for _ in range(pool_size):
            port = POOL_START + position % pool_size
            position += 1
            if _bindable(port):
                ports.append(port)
                if len(ports) == count:
                    break
        counter.seek(0)
        counter.truncate()
        counter.write(str(position % pool_size))
    if len(ports) < count:
        raise RuntimeError(f"no {count} free TCP ports on {LOOPBACK} from {POOL_START} to {POOL_START + pool_size}")
    return ports


def _ephemeral_range_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def _open_counter() -> IO[str]:
    """The counter file shared by every test process, readable and writable by every test user."""
    fd = os.open(COUNTER_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    if os.fstat(fd).st_uid == os.geteuid():
        os.fchmod(fd, 0o666)  # the umask narrowed it
    return os.fdopen(fd, "r+")


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _kernel_chosen_ports(count: int) -> list[int]:
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((LOOPBACK, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()

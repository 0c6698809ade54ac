"""Runs named scenarios with python-etcd3 (Debian's python3-etcd3) against one endpoint and prints
one JSON object: {"<scenario>": {"ok": true|false, "error": "...", "detail": {...}}}. A scenario
reports what happened; integration/test_client_matrix.py decides whether that is what it expects.

Usage: /usr/bin/python3 python_client.py HOST:PORT PREFIX SCENARIOS [CA CERT KEY]
"""

from __future__ import annotations

import queue
import sys
import threading
from typing import Any, Callable

import etcd3
from etcd3 import etcdrpc

from scenario_runner import run_and_print

TIMEOUT = 10  # seconds for one call


def kv(c: Any, p: str) -> dict:
    c.put(p + "k", "v1")
    value, _ = c.get(p + "k")
    if value != b"v1":
        raise AssertionError(f"get returned {value!r}")
    return {"deleted": int(c.delete(p + "k"))}


def range_prefix(c: Any, p: str) -> dict:
    for k in ("r/a", "r/b", "r/c"):
        c.put(p + k, k)
    ranged = list(c.get_range(p + "r/a", p + "r/c"))
    prefixed = list(c.get_prefix(p + "r/"))
    return {"range": len(ranged), "prefix": len(prefixed)}


def txn(c: Any, p: str) -> dict:
    c.put(p + "t", "old")

    def swap() -> bool:
        succeeded, _ = c.transaction(compare=[c.transactions.value(p + "t") == "old"],
                                     success=[c.transactions.put(p + "t", "new")],
                                     failure=[c.transactions.get(p + "t")])
        return succeeded

    return {"first": swap(), "second": swap()}


def watchers(c: Any, key: str, n: int) -> dict:
    events: "queue.Queue[bytes]" = queue.Queue()
    ids = [c.add_watch_callback(key, lambda response: [events.put(e.value) for e in response.events])
           for _ in range(n)]
    c.put(key, "event")
    seen = 0
    try:
        for _ in range(n):
            if events.get(timeout=5) == b"event":
                seen += 1
    except queue.Empty:
        raise AssertionError(f"watchers saw {seen} of {n} events") from None
    finally:
        for watch_id in ids:
            c.cancel_watch(watch_id)
    return {"watchers": n, "seen": seen}


def lease_keepalive(c: Any, p: str) -> dict:
    # python-etcd3 has no long-lived keep-alive: this is the README's workaround, a LeaseKeepAlive
    # stream that stays open (its request iterator does not end) while answers come back.
    lease = c.lease(5)
    c.put(p + "l", "leased", lease=lease)
    requests: "queue.Queue[Any]" = queue.Queue()
    done = threading.Event()

    def request_stream():
        while not done.is_set():
            try:
                yield requests.get(timeout=0.1)
            except queue.Empty:
                continue

    answers = 0
    stream = c.leasestub.LeaseKeepAlive(request_stream(), TIMEOUT, credentials=c.call_credentials,
                                        metadata=c.metadata)
    try:
        for _ in range(2):
            requests.put(etcdrpc.LeaseKeepAliveRequest(ID=lease.id))
            if next(stream).TTL > 0:
                answers += 1
    finally:
        done.set()
        stream.cancel()
    lease.revoke()
    return {"answers": answers, "via": "a LeaseKeepAlive stream held open"}


def lease_refresh_once(c: Any, p: str) -> dict:
    lease = c.lease(30)
    try:
        return {"ttl": int(lease.refresh()[0].TTL)}
    finally:
        lease.revoke()


def lock(c: Any, p: str) -> dict:
    # Only the uncontested path: Debian's python3-etcd3 0.12 waits on a held lock through a
    # tenacity callback whose signature its tenacity no longer has (a TypeError with or without
    # the proxy), so a second holder is checked with a transaction instead. Its get keeps it
    # linearizable: a compare-only transaction may be answered by a stale member (README).
    held = c.lock(p + "lock", ttl=10)
    if not held.acquire(timeout=5):
        raise AssertionError("the lock was not acquired")
    free, _ = c.transaction(compare=[c.transactions.create(held.key) == 0], success=[],
                            failure=[c.transactions.get(held.key)])
    held.release()
    return {"second_holder_blocked": not free}


def lock_refresh(c: Any, p: str) -> dict:
    held = c.lock(p + "lock-refresh", ttl=10)
    held.acquire(timeout=5)
    try:
        return {"ttl": int(held.refresh()[0].TTL)}
    finally:
        held.release()


def read_at(c: Any, key: str, revision: int) -> Any:
    """A Range at ``revision`` (python-etcd3 0.12's get cannot ask for one)."""
    request = etcdrpc.RangeRequest(key=key.encode(), revision=revision)
    return c.kvstub.Range(request, TIMEOUT, credentials=c.call_credentials, metadata=c.metadata)


def compaction(c: Any, p: str) -> dict:
    c.put(p + "c", "one")
    first = c.get(p + "c")[1].mod_revision
    c.put(p + "c", "two")
    second = c.get(p + "c")[1].mod_revision
    old = list(read_at(c, p + "c", first).kvs)
    if len(old) != 1 or old[0].value != b"one":
        raise AssertionError(f"revision {first} read {old}")
    c.compact(second, physical=True)
    try:
        read_at(c, p + "c", first)
    except Exception as error:  # grpc's error type is private; the text says what etcd answered
        if "compacted" in describe(error):
            return {"old_revision_readable": True, "compacted_read_refused": True}
        raise
    raise AssertionError("a read below the compaction revision succeeded")


def member_list(c: Any, p: str) -> dict:
    members = list(c.members)
    return {"members": len(members), "client_urls": [u for m in members for u in m.client_urls]}


SCENARIOS: dict[str, Callable[[Any, str], dict]] = {
    "kv": kv, "range_prefix": range_prefix, "txn": txn,
    "watch": lambda c, p: watchers(c, p + "w", 1), "watch_many": lambda c, p: watchers(c, p + "wm", 10),
    "lease_keepalive": lease_keepalive, "lease_refresh_once": lease_refresh_once, "lock": lock,
    "lock_refresh": lock_refresh, "compaction": compaction, "member_list": member_list,
}


def describe(error: BaseException) -> str:
    details = getattr(error, "details", None)
    text = details() if callable(details) else str(error)
    return f"{type(error).__name__}: {text}"


def main(argv: list[str]) -> int:
    endpoint, prefix, names = argv[1:4]
    host, port = endpoint.rsplit(":", 1)
    tls = {}
    if len(argv) > 4:
        tls = {"ca_cert": argv[4], "cert_cert": argv[5], "cert_key": argv[6]}
    client = etcd3.client(host, int(port), timeout=TIMEOUT, **tls)
    # Never client.close(): python-etcd3's watch thread would restart on the closed channel and
    # print a traceback; the process ends here anyway.
    run_and_print(names, SCENARIOS, client, prefix, describe)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

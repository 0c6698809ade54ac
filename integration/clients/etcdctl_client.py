"""Runs named scenarios with ``etcdctl`` (the etcd line's own, API 3) against one endpoint and
prints one JSON object: {"<scenario>": {"ok": true|false, "error": "...", "detail": {...}}}. A
scenario reports what happened; integration/test_client_matrix.py decides whether that is what
it expects.

Usage: /usr/bin/python3 etcdctl_client.py ETCDCTL HOST:PORT PREFIX SCENARIOS [CA CERT KEY]
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from typing import Callable

from scenario_runner import run_and_print

TIMEOUT = 10.0  # seconds for one etcdctl run


class Etcdctl:
    def __init__(self, binary: str, endpoint: str, tls: list[str]) -> None:
        scheme = "https" if tls else "http"
        self.argv = [binary, f"--endpoints={scheme}://{endpoint}", "--dial-timeout=5s", "--command-timeout=5s"]
        if tls:
            self.argv += [f"--cacert={tls[0]}", f"--cert={tls[1]}", f"--key={tls[2]}"]
        self.env = {"PATH": "/usr/bin:/bin", "ETCDCTL_API": "3"}

    def run(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(self.argv + list(args), input=stdin, capture_output=True, text=True,
                              timeout=TIMEOUT, env=self.env, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"etcdctl {args[0]}: {(done.stderr or done.stdout).strip()}")
        return done.stdout

    def json(self, *args: str) -> dict:
        return json.loads(self.run(*args, "-w", "json"))

    def lines_of(self, args: list[str], count: int, after: Callable[[], None] | None = None) -> list[str]:
        """Start a long-running etcdctl, call ``after`` (when given), collect ``count`` lines of its
        output, then interrupt it."""
        proc = subprocess.Popen(self.argv + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=self.env, start_new_session=True)
        output = b""
        try:
            if after is not None:
                after()
            deadline = time.monotonic() + TIMEOUT
            while output.count(b"\n") < count and time.monotonic() < deadline:
                # Unbuffered reads: a buffered readline would take several lines at once.
                if select.select([proc.stdout], [], [], 0.1)[0]:
                    chunk = os.read(proc.stdout.fileno(), 65536)
                    if not chunk:
                        break
                    output += chunk
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                _, err = proc.communicate(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                _, err = proc.communicate()
        lines = output.decode(errors="replace").splitlines()[:count]
        if len(lines) < count:
            raise RuntimeError(f"etcdctl {args[0]} printed {lines}, expected {count} lines; "
                               f"stderr: {err.decode(errors='replace').strip()}")
        return lines


def kv(e: Etcdctl, p: str) -> dict:
    e.run("put", p + "k", "v1")
    value = e.run("get", p + "k", "--print-value-only").strip()
    if value != "v1":
        raise AssertionError(f"get returned {value!r}")
    return {"deleted": int(e.run("del", p + "k").strip())}


def range_prefix(e: Etcdctl, p: str) -> dict:
    for k in ("r/a", "r/b", "r/c"):
        e.run("put", p + k, k)
    ranged = e.run("get", p + "r/a", p + "r/c", "--keys-only").split()
    prefixed = e.run("get", p + "r/", "--prefix", "--keys-only").split()
    return {"range": len(ranged), "prefix": len(prefixed)}


def txn(e: Etcdctl, p: str) -> dict:
    e.run("put", p + "t", "old")
    script = f'value("{p}t") = "old"\n\nput {p}t new\n\nget {p}t\n\n'
    return {"first": e.run("txn", stdin=script).startswith("SUCCESS"),
            "second": e.run("txn", stdin=script).startswith("SUCCESS")}


def watch(e: Etcdctl, p: str) -> dict:
    # From the next revision on: etcdctl says nothing once its watch exists, so a put that wins
    # the race against the watch's creation is still delivered.
    start = e.json("get", p + "w")["header"]["revision"] + 1
    lines = e.lines_of(["watch", p + "w", f"--rev={start}"], 3, after=lambda: e.run("put", p + "w", "event"))
    return {"watchers": 1, "seen": int(lines == ["PUT", p + "w", "event"])}


def lease_keepalive(e: Etcdctl, p: str) -> dict:
    lease = format(e.json("lease", "grant", "5")["ID"], "x")
    lines = e.lines_of(["lease", "keep-alive", lease], 2)
    e.run("lease", "revoke", lease)
    return {"answers": sum("keepalived with TTL(5)" in line for line in lines)}


def lease_refresh_once(e: Etcdctl, p: str) -> dict:
    lease = format(e.json("lease", "grant", "30")["ID"], "x")
    try:
        out = e.run("lease", "keep-alive", "--once", lease)
    finally:
        e.run("lease", "revoke", lease)
    return {"ttl": int(out.split("TTL(")[1].split(")")[0])}


def lock(e: Etcdctl, p: str) -> dict:
    # etcdctl lock runs the command while it holds the lock; the command checks it is held.
    held = e.run("lock", p + "lock", "echo", "held")
    return {"held": held.strip().endswith("held")}


def election(e: Etcdctl, p: str) -> dict:
    lines = e.lines_of(["elect", p + "election", "me"], 2)
    return {"leader": lines[1]}


def compaction(e: Etcdctl, p: str) -> dict:
    first = e.json("put", p + "c", "one")["header"]["revision"]
    second = e.json("put", p + "c", "two")["header"]["revision"]
    old = e.run("get", p + "c", f"--rev={first}", "--print-value-only").strip()
    if old != "one":
        raise AssertionError(f"revision {first} read {old!r}")
    e.run("compaction", "--physical", str(second))
    try:
        e.run("get", p + "c", f"--rev={first}")
    except RuntimeError as error:
        if "compacted" in str(error):
            return {"old_revision_readable": True, "compacted_read_refused": True}
        raise
    raise AssertionError("a read below the compaction revision succeeded")


def member_list(e: Etcdctl, p: str) -> dict:
    members = e.json("member", "list").get("members", [])
    return {"members": len(members), "client_urls": [u for m in members for u in m.get("clientURLs", [])]}


SCENARIOS: dict[str, Callable[[Etcdctl, str], dict]] = {
    "kv": kv, "range_prefix": range_prefix, "txn": txn, "watch": watch, "lease_keepalive": lease_keepalive,
    "lease_refresh_once": lease_refresh_once, "lock": lock, "election": election, "compaction": compaction,
    "member_list": member_list,
}


def main(argv: list[str]) -> int:
    binary, endpoint, prefix, names = argv[1:5]
    run_and_print(names, SCENARIOS, Etcdctl(binary, endpoint, argv[5:8]), prefix,
                  lambda error: f"{type(error).__name__}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

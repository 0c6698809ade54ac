"""The client matrix's drivers (``integration/clients/``): one small program per etcd client that
runs named scenarios against an endpoint and prints one JSON object of outcomes.

- ``python``: python-etcd3 (Debian's ``python3-etcd3``), ``clients/python_client.py``;
- ``node``: the npm ``etcd3`` package pinned by ``clients/node/package-lock.json`` (``npm ci`` on
  first use, as scripts/test.sh does);
- ``go``: Go clientv3 from Debian's ``golang-etcd-server-dev``, built in GOPATH mode with Debian's
  ``golang-go`` from ``clients/go/matrix_client.go``, the binary cached in the test cache keyed by
  the source and the Go version;
- ``etcdctl``: the etcd line's own etcdctl, driven by ``clients/etcdctl_client.py``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Mapping, Sequence

from . import config
from .cache import cached_file
from .processes import run

CLIENTS_DIR = config.REPO_ROOT / "integration" / "clients"
GO_SOURCE = CLIENTS_DIR / "go" / "matrix_client.go"
NODE_DIR = CLIENTS_DIR / "node"
GOPATH_SOURCES = Path("/usr/share/gocode")  # where Debian's golang-*-dev packages put their sources
GO_BUILD_TIMEOUT = 600  # seconds: clientv3 and grpc from source on a loaded 2-core machine, once
DRIVER_TIMEOUT = 120  # seconds for one driver to run all its scenarios


@dataclass(frozen=True)
class Tls:
    """Client TLS files: the CA that signed the listener, and a client certificate and key."""

    ca: Path
    cert: Path
    key: Path


def go_build_cache() -> str:
    """Go's build cache: ETCDPROXY_GO_CACHE (scripts/test.sh shares one across clones, as it does
    the static libcurl), else the test cache."""
    return os.environ.get("ETCDPROXY_GO_CACHE") or str(config.test_cache_dir() / "go-build")


def go_client() -> Path:
    """The Go driver's binary, built on first use (Debian's Go, GOPATH mode) and cached."""
    go = shutil.which("go")
    if go is None or not (GOPATH_SOURCES / "src" / "go.etcd.io" / "etcd" / "clientv3").is_dir():
        config.missing_prerequisite("the Go client tests need Debian's golang-go and golang-etcd-server-dev "
                                    "(scripts/test.sh installs them)")
    version = subprocess.run([go, "version"], capture_output=True, text=True, check=False, timeout=30).stdout
    key = hashlib.sha256(GO_SOURCE.read_bytes() + version.encode()).hexdigest()[:16]

    def build(target: IO[bytes]) -> None:
        with tempfile.TemporaryDirectory(prefix="etcdproxy-go-") as tmp:
            out = Path(tmp) / "matrix_client"
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "GO111MODULE": "off",
                   "GOPATH": f"{tmp}/gopath:{GOPATH_SOURCES}", "GOCACHE": go_build_cache(),
                   "GOFLAGS": "", "CGO_ENABLED": "0"}
            run([go, "build", "-o", str(out), str(GO_SOURCE)], env=env, timeout=GO_BUILD_TIMEOUT).check()
            target.write(out.read_bytes())

    binary = cached_file(f"go-client/matrix_client-{key}", build)
    binary.chmod(0o755)
    return binary


def node_client() -> list[str]:
    """``node`` and the Node driver, after ``npm ci`` in its folder when etcd3 is not installed."""
    node = shutil.which("node") or shutil.which("nodejs")
    npm = shutil.which("npm")
    if node is None or npm is None:
        raise AssertionError("node and npm are missing: scripts/test.sh installs them (Debian packages)")
    installed = NODE_DIR / "node_modules" / "etcd3" / "package.json"
    if not installed.is_file():
        with open(config.test_cache_dir() / "node-client.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not installed.is_file():
                run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR, timeout=300).check()
    return [node, str(NODE_DIR / "matrix_client.js")]


def driver_argv(client: str, endpoint: str, prefix: str, scenarios: Sequence[str], tls: Tls | None,
                etcdctl: Path) -> list[str]:
    """The command that runs ``scenarios`` with ``client`` against ``endpoint`` (host:port)."""
    names = ",".join(scenarios)
    tls_args = [str(tls.ca), str(tls.cert), str(tls.key)] if tls else []
    if client == "python":
        return ["/usr/bin/python3", str(CLIENTS_DIR / "python_client.py"), endpoint, prefix, names, *tls_args]
    if client == "etcdctl":
        return ["/usr/bin/python3", str(CLIENTS_DIR / "etcdctl_client.py"), str(etcdctl), endpoint, prefix, names,
                *tls_args]
    if client == "node":
        return [*node_client(), endpoint, prefix, names, *tls_args]
    if client == "go":
        argv = [str(go_client()), f"-endpoint={endpoint}", f"-prefix={prefix}", f"-scenarios={names}"]
        if tls:
            argv += [f"-cacert={tls.ca}", f"-cert={tls.cert}", f"-key={tls.key}"]
        return argv
    raise ValueError(f"no driver for client {client!r}")


class DriverRun:
    """One driver process started in the background; ``results()`` waits and parses its JSON."""

    def __init__(self, client: str, argv: Sequence[str]) -> None:
        self.client = client
        self._tmp = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=self._tmp,
                                      env={**os.environ, "ETCDCTL_API": "3"}, start_new_session=True)

    def results(self) -> Mapping[str, dict]:
        try:
            out, _ = self._proc.communicate(timeout=DRIVER_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            out, _ = self._proc.communicate()
        self._tmp.seek(0)
        err = self._tmp.read().decode(errors="replace")
        self._tmp.close()
        try:
            return json.loads(out.decode().strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise AssertionError(f"the {self.client} driver printed no result (exit {self._proc.returncode})\n"
                                 f"--- stdout ---\n{out.decode(errors='replace')}\n--- stderr ---\n{err}") from None

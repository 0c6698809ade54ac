"""A real etcd cluster (1 or 3 members) on loopback, for the proxy to forward to.

Members use Debian's installed etcd 3.4, or another real build (``build=etcd_builds.etcd35()``),
on free ports, data in a temporary directory, and optionally TLS for clients and peers. ``etcdctl`` calls use the empty-CN client cert,
the kind etcd's grpc-proxy accepts.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from . import config, etcd_builds
from .certs import Pki
from .ports import LOOPBACK, free_ports
from .processes import LoggedPopen, ProcessGroup, RunResult, run, stop_process
from .waiting import wait_until

STOP_GRACE = 1.0  # seconds a member may take to stop before SIGKILL


@dataclass
class Member:
    """One etcd member: its name, ports, data directory and process."""

    name: str
    client_port: int
    peer_port: int
    data_dir: Path
    argv: list[str]
    process: LoggedPopen | None = None

    @property
    def alive(self) -> bool:
        """Return True while the member process runs."""
        return self.process is not None and self.process.poll() is None


class EtcdCluster:
    """Context manager running ``size`` etcd members until the ``with`` block ends."""

    def __init__(self, size: int = 1, pki: Pki | None = None, client_cert_auth: bool = False,
                 startup_timeout: float = 15.0, extra_args: Sequence[str] = (),
                 build: etcd_builds.EtcdBuild | None = None) -> None:
        if size < 1:
            raise ValueError("an etcd cluster needs at least one member")
        if client_cert_auth and pki is None:
            raise ValueError("client_cert_auth needs a pki")
        self.size = size
        self.build = build or etcd_builds.installed()
        """The etcd build the members and ``etcdctl()`` run."""
        self.pki = pki
        self.client_cert_auth = client_cert_auth
        self.startup_timeout = startup_timeout
        self.extra_args = list(extra_args)
        self.members: list[Member] = []
        self._paused: set[int] = set()
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._group: ProcessGroup | None = None
        self._data_root: Path | None = None
        self._token = ""

    # -- lifetime -------------------------------------------------------------------------

    def __enter__(self) -> "EtcdCluster":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start every member and wait until all answer health checks (retries on port clashes)."""
        self._tmp = tempfile.TemporaryDirectory(prefix="etcdproxy-etcd-")
        for attempt in range(3):
            # Data is thrown away, so a member gets only a short grace period to stop.
            self._group = ProcessGroup(Path(self._tmp.name) / f"logs-{attempt}", grace=STOP_GRACE)
            self._data_root = Path(self._tmp.name) / f"data-{attempt}"
            self.members = self._plan_members(self._data_root)
            for member in self.members:
                member.process = self._group.start(member.argv, name=member.name, env=_etcd_env())
            try:
                self.wait_healthy()
                return
            except (TimeoutError, RuntimeError):
                clash = any("address already in use" in m.process.log_text() for m in self.members)
                if not clash or attempt == 2:
                    logs = self.logs()
                    self.stop()
                    raise RuntimeError(f"etcd cluster did not become healthy\n{logs}") from None
                self._group.close()

    def stop(self) -> None:
        """Stop all members and delete their data."""
        if self._group is not None:
            self._group.close()
            self._group = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def wait_healthy(self, indices: Sequence[int] | None = None, timeout: float | None = None) -> None:
        """Wait until the given members (default all) answer ``etcdctl endpoint health``."""
        chosen = list(range(self.size)) if indices is None else list(indices)

        def healthy() -> bool:
            for index in chosen:
                if not self.members[index].alive:
                    raise RuntimeError(f"etcd member {index} exited: {self.members[index].process.returncode}")
            result = self.etcdctl("endpoint", "health", endpoints=[self.client_urls[i] for i in chosen],
                                  timeout=5, command_timeout="1s")
            return result.code == 0

        wait_until(healthy, timeout or self.startup_timeout, interval=0.1, what="etcd members to be healthy")

    # -- addresses ------------------------------------------------------------------------

    @property
    def scheme(self) -> str:
        """Return ``https`` with a PKI, else ``http``."""
        return "https" if self.pki else "http"

    @property
    def endpoints(self) -> list[str]:
        """Return every member's client address as ``127.0.0.1:port``."""
        return [f"{LOOPBACK}:{m.client_port}" for m in self.members]

    @property
    def client_urls(self) -> list[str]:
        """Return every member's client URL, ``http(s)://127.0.0.1:port``."""
        return [f"{self.scheme}://{endpoint}" for endpoint in self.endpoints]

    def live_indices(self) -> list[int]:
        """Return the indices of members whose process runs and is not paused."""
        return [i for i, m in enumerate(self.members) if m.alive and i not in self._paused]

    # -- operations -----------------------------------------------------------------------

    def etcdctl(self, *args: str, endpoints: Sequence[str] | None = None, timeout: float = 15.0,
                command_timeout: str = "5s") -> RunResult:
        """Run ``etcdctl`` (API 3) against ``endpoints`` (default: live members' URLs), with TLS flags."""
        urls = list(endpoints) if endpoints is not None else [self.client_urls[i] for i in self.live_indices()]
        argv = [str(self.build.etcdctl), f"--endpoints={','.join(urls)}", "--dial-timeout=2s",
                f"--command-timeout={command_timeout}"]
        if self.pki:
            argv += [f"--cacert={self.pki.ca_cert}", f"--cert={self.pki.client_cert}",
                     f"--key={self.pki.client_key}"]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ETCDCTL_API": "3"}
        return run(argv + list(args), env=env, timeout=timeout)

    def get_raw(self, key: str, index: int | None = None) -> str | None:
        """Read ``key`` straight from a live member (bypassing any proxy); None if absent."""
        urls = [self.client_urls[index]] if index is not None else None
        result = self.etcdctl("get", key, "-w", "json", endpoints=urls).check()
        kvs = json.loads(result.stdout).get("kvs") or []
        return base64.b64decode(kvs[0].get("value", "")).decode() if kvs else None

    def put_raw(self, key: str, value: str) -> None:
        """Write ``key`` straight to the cluster."""
        self.etcdctl("put", key, value).check()

    def leader_index(self) -> int:
        """Return the index of the current leader among live members (RuntimeError if none)."""
        live = self.live_indices()
        result = self.etcdctl("endpoint", "status", "-w", "json", command_timeout="2s",
                              endpoints=[self.client_urls[i] for i in live])
        by_url = {self.client_urls[i]: i for i in live}
        statuses = json.loads(result.stdout) if result.stdout.strip() else []
        for entry in statuses:
            status = entry.get("Status", {})
            if status.get("leader") and status.get("leader") == status.get("header", {}).get("member_id"):
                return by_url[entry["Endpoint"]]
        raise RuntimeError(f"no etcd leader among members {live}\n{result.describe()}")

    def wait_for_leader(self, timeout: float = 15.0) -> int:
        """Wait until the live members agree on a leader and return its index."""
        # A one-item list is truthy even for index 0; "no leader yet" raises and is retried.
        return wait_until(lambda: [self.leader_index()], timeout, interval=0.1, what="an etcd leader")[0]

    def kill(self, index: int, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to member ``index`` and wait (bounded) for it to exit."""
        member = self.members[index]
        if member.alive:
            os.killpg(member.process.pid, sig)
            member.process.wait(timeout=15)
        stop_process(member.process, grace=0)

    def pause(self, index: int) -> None:
        """Freeze member ``index`` (SIGSTOP): it keeps its connections but answers nothing."""
        os.killpg(self.members[index].process.pid, signal.SIGSTOP)
        self._paused.add(index)

    def resume(self, index: int) -> None:
        """Let a paused member run again (SIGCONT)."""
        os.killpg(self.members[index].process.pid, signal.SIGCONT)
        self._paused.discard(index)

    def restart(self, index: int) -> None:
        """Start a killed member again on the same ports and data, and wait until it is healthy."""
        member = self.members[index]
        if member.alive:
            raise RuntimeError(f"etcd member {index} is still running")
        member.process = self._group.start(member.argv, name=member.name, env=_etcd_env())
        self.wait_healthy([index])

    def add_member(self, timeout: float = 30.0) -> int:
        """Add a new member to the running cluster (``member add``, then start it); return its index."""
        client_port, peer_port = free_ports(2)
        member = Member(f"m{len(self.members)}", client_port, peer_port, self._data_root / f"m{len(self.members)}", [])
        peer_url = f"{self.scheme}://{LOOPBACK}:{peer_port}"
        # etcd refuses a new member until every member has been connected for 5 s (strict reconfig
        # check, "etcdserver: unhealthy cluster"), so a young cluster is asked again.
        added = wait_until(lambda: self._member_add(member.name, peer_url), timeout, interval=0.5,
                           what=f"etcd to accept member {member.name}").check()
        cluster = next((line.split("=", 1)[1].strip('"') for line in added.stdout.splitlines()
                        if line.startswith("ETCD_INITIAL_CLUSTER=")), None)
        if cluster is None:
            raise RuntimeError(f"member add printed no ETCD_INITIAL_CLUSTER\n{added.describe()}")
        member.argv = self._member_argv(member, cluster, self._token, state="existing")
        member.process = self._group.start(member.argv, name=member.name, env=_etcd_env())
        self.members.append(member)
        self.size = len(self.members)
        index = len(self.members) - 1
        self.wait_healthy([index], timeout=timeout)
        return index

    def _member_add(self, name: str, peer_url: str) -> RunResult | None:
        result = self.etcdctl("member", "add", name, f"--peer-urls={peer_url}")
        return None if result.code != 0 and "unhealthy cluster" in result.output else result

    def remove_member(self, index: int, timeout: float = 30.0) -> None:
        """Remove member ``index`` from the cluster (``member remove`` through the others), then stop it."""
        name = self.members[index].name
        others = [self.client_urls[i] for i in self.live_indices() if i != index]
        listed = json.loads(self.etcdctl("member", "list", "-w", "json", endpoints=others).check().stdout)
        member_id = next((m["ID"] for m in listed.get("members", []) if m.get("name") == name), None)
        if member_id is None:
            raise RuntimeError(f"member {name} is not in the member list: {listed}")
        # etcd refuses a removal while a just-added member is still catching up ("unhealthy
        # cluster"); that is a transient state, so it is asked again.
        wait_until(lambda: self._member_remove(member_id, others), timeout, interval=0.5,
                   what=f"etcd to remove member {name}").check()
        self.kill(index, signal.SIGTERM)

    def _member_remove(self, member_id: int, endpoints: list[str]) -> RunResult | None:
        result = self.etcdctl("member", "remove", format(member_id, "x"), endpoints=endpoints)
        return None if result.code != 0 and "unhealthy cluster" in result.output else result

    def client(self, index: int = 0, timeout: float = 5.0) -> Any:
        """Return a python3-etcd3 client talking straight to member ``index``."""
        import etcd3  # imported lazily: grpc is slow to load

        options: dict[str, Any] = {}
        if self.pki:
            options = {"ca_cert": str(self.pki.ca_cert), "cert_cert": str(self.pki.client_cert),
                       "cert_key": str(self.pki.client_key)}
        return etcd3.client(LOOPBACK, self.members[index].client_port, timeout=timeout, **options)

    def logs(self) -> str:
        """Return every member's log, for failure messages."""
        return "\n".join(f"--- {m.name} ---\n{m.process.log_text() if m.process else ''}" for m in self.members)

    # -- planning -------------------------------------------------------------------------

    def _plan_members(self, data_root: Path) -> list[Member]:
        ports = free_ports(2 * self.size)
        token = self._token = f"etcdproxy-test-{uuid.uuid4().hex[:12]}"
        members = [Member(f"m{i}", ports[2 * i], ports[2 * i + 1], data_root / f"m{i}", [])
                   for i in range(self.size)]
        cluster = ",".join(f"{m.name}={self.scheme}://{LOOPBACK}:{m.peer_port}" for m in members)
        for member in members:
            member.argv = self._member_argv(member, cluster, token)
        return members

    def _member_argv(self, member: Member, cluster: str, token: str, state: str = "new") -> list[str]:
        client_url = f"{self.scheme}://{LOOPBACK}:{member.client_port}"
        peer_url = f"{self.scheme}://{LOOPBACK}:{member.peer_port}"
        argv = [str(self.build.etcd), "--name", member.name, "--data-dir", str(member.data_dir),
                "--listen-client-urls", client_url, "--advertise-client-urls", client_url,
                "--listen-peer-urls", peer_url, "--initial-advertise-peer-urls", peer_url,
                "--initial-cluster", cluster, "--initial-cluster-state", state,
                "--initial-cluster-token", token, "--logger", "zap", "--log-outputs", "stderr"]
        if self.pki:
            argv += ["--cert-file", str(self.pki.server_cert), "--key-file", str(self.pki.server_key),
                     "--trusted-ca-file", str(self.pki.ca_cert),
                     "--peer-cert-file", str(self.pki.server_cert), "--peer-key-file", str(self.pki.server_key),
                     "--peer-trusted-ca-file", str(self.pki.ca_cert), "--peer-client-cert-auth"]
            if self.client_cert_auth:
                argv.append("--client-cert-auth")
        return argv + self.extra_args


def _etcd_env() -> dict[str, str]:
    """A clean environment: etcd reads every ``ETCD_*`` variable as a flag."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root")}
    if config.host_arch() not in ("amd64", "ppc64le", "s390x"):
        env["ETCD_UNSUPPORTED_ARCH"] = config.host_arch()
    return env

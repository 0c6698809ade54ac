"""The client compatibility matrix: what each etcd client library an app really uses sees through
the buildpack's proxy (README "What grpc-proxy can and cannot do").

Each class builds an image with one etcd line (3.4, 3.5, 3.6) through the lifecycle emulator,
starts a real cluster and the image's ``etcd-proxy`` in one listener mode (plain, namespace, TLS
listener with client certificates), and runs every client's driver (``integration/clients/``:
python-etcd3, Node etcd3, Go clientv3, etcdctl) against it in parallel. Every cell of
``EXPECTED`` is a subtest asserting what really happens, the known differences included: a cell
whose difference goes away (a fixed etcd) fails and asks for the README to be updated. A known
difference is also run straight against etcd, which proves it is the proxy's.

``test_readme_table_is_the_matrix`` keeps the README's table equal to ``EXPECTED``. After changing
``EXPECTED``, print the table with ``/usr/bin/python3 test_client_matrix.py --readme-table``.
"""

from __future__ import annotations

import ssl
import sys
import tempfile
import threading
import unittest
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from harness import client_drivers, tarballs
from harness.buildpack_toml import make_dependency, make_test_buildpack
from harness.certs import Pki
from harness.client_drivers import DriverRun, Tls
from harness.etcd_cluster import EtcdCluster
from harness.fixtures.launched import HelperTestCase
from harness.fixtures.proxy_client import close_etcd3_client
from harness.http_server import DownloadServer
from harness.lifecycle import Lifecycle
from harness.ports import LOOPBACK
from harness.waiting import wait_until

README = Path(__file__).resolve().parents[1] / "README.md"
NAMESPACE = "/matrix-ns/"


@dataclass(frozen=True)
class Difference:
    """A way grpc-proxy answers differently from etcd itself, as the README states it."""

    mark: str  # the cell text in the README table
    error: str  # a fragment of the error the client reports ("" when the call succeeds differently)


ONE_SHOT_KEEPALIVE = Difference("fails: context canceled (1)", "context canceled")
SYNTHETIC_MEMBER = Difference("one member: the proxy (2)", "")
WORKS, NOT_IN_CLIENT = "works", "n/a"
WORKS_HELD_OPEN = "works: a stream held open (1)"  # python-etcd3 has no such call: the README's workaround
WORKING = (WORKS, WORKS_HELD_OPEN)
CLUSTER_WIDE = ("compaction",)
"""Scenarios that act on the whole keyspace: a compaction by one driver would compact the revisions
another driver is reading or compacting at that moment, so these run one driver at a time."""

CLIENTS = {  # driver name -> README column
    "python": "python-etcd3 0.12",
    "node": "Node etcd3 1.1.2",
    "go": "Go clientv3 3.4.23",
    "etcdctl": "etcdctl",
}

SCENARIOS = {  # driver scenario -> README row: the call, in the clients' words
    "kv": "put, get, delete",
    "range_prefix": "range and prefix reads",
    "txn": "transactions (compare-and-swap)",
    "watch": "watch",
    "watch_many": "10 watchers on one key",
    "lease_keepalive": "lease grant + long-lived keep-alive",
    "lease_refresh_once": "one-shot lease refresh (`Lease.refresh`, `keepaliveOnce`, `KeepAliveOnce`, `keep-alive --once`)",
    "lock": "lock (`lock`, `Mutex`, `etcdctl lock`)",
    "lock_refresh": "`Lock.refresh`",
    "election": "election (`Election`, `etcdctl elect`)",
    "compaction": "reads at a revision, compaction",
    "member_list": "member list (3 members behind the proxy)",
}

# The one place the expected outcomes live: the tests assert them and the README shows them.
EXPECTED: dict[str, dict[str, Any]] = {scenario: dict.fromkeys(CLIENTS, WORKS) for scenario in SCENARIOS}
EXPECTED["watch_many"]["etcdctl"] = NOT_IN_CLIENT  # one watch per etcdctl process
EXPECTED["lease_keepalive"]["python"] = WORKS_HELD_OPEN
EXPECTED["lease_refresh_once"]["python"] = ONE_SHOT_KEEPALIVE
EXPECTED["lock_refresh"] = {"python": ONE_SHOT_KEEPALIVE, "node": NOT_IN_CLIENT, "go": NOT_IN_CLIENT,
                            "etcdctl": NOT_IN_CLIENT}
EXPECTED["election"]["python"] = NOT_IN_CLIENT
EXPECTED["member_list"] = dict.fromkeys(CLIENTS, SYNTHETIC_MEMBER)

# What a successful scenario reports (its detail), per scenario.
DETAILS = {
    "kv": {"deleted": 1},
    "range_prefix": {"range": 2, "prefix": 3},
    "txn": {"first": True, "second": False},
    "watch": {"watchers": 1, "seen": 1},
    "watch_many": {"watchers": 10, "seen": 10},
    "lease_keepalive": {"answers": 2},
    "lease_refresh_once": {"ttl": 30},
    "lock_refresh": {"ttl": 10},
    "election": {"leader": "me"},
    "compaction": {"old_revision_readable": True, "compacted_read_refused": True},
}


def readme_table() -> str:
    """The README's matrix table, generated from ``EXPECTED``."""
    def cell(value: Any) -> str:
        return value.mark if isinstance(value, Difference) else value

    lines = ["| call | " + " | ".join(CLIENTS.values()) + " |", "| --- |" + " --- |" * len(CLIENTS)]
    for scenario, label in SCENARIOS.items():
        lines.append(f"| {label} | " + " | ".join(cell(EXPECTED[scenario][c]) for c in CLIENTS) + " |")
    return "\n".join(lines)


class ReadmeTableTest(unittest.TestCase):
    def test_readme_table_is_the_matrix(self) -> None:
        section = README.read_text().split("## What grpc-proxy can and cannot do", 1)[1].split("\n## ", 1)[0]
        self.assertIn(readme_table(), section,
                      "README's client table differs from EXPECTED in integration/test_client_matrix.py; "
                      "print it with: /usr/bin/python3 test_client_matrix.py --readme-table")


class BuildNamesAffectedClientTest(unittest.TestCase):
    """The build warns, once, when the app declares a client the matrix finds affected."""

    def build_output(self, app_files: Mapping[str, str]) -> str:
        with tempfile.TemporaryDirectory(prefix="etcdproxy-caveat-") as tmp, DownloadServer() as site:
            app = Path(tmp, "app")
            for name, text in app_files.items():
                (app / name).parent.mkdir(parents=True, exist_ok=True)
                (app / name).write_text(text)
            tarball = tarballs.fake_etcd_release("3.6.14")
            url = site.add_file("/etcd-v3.6.14-linux-amd64.tar.gz", tarball)
            buildpack = make_test_buildpack(Path(tmp, "bp"), [make_dependency(
                "3.6.14", url, tarballs.sha256_hex(tarball))], default_version="3.6.*")
            with Lifecycle(buildpack, Path(tmp, "root"), app_fixture=app) as lc:
                self.assertEqual(lc.detect().code, 0)
                result = lc.build()
                result.validate()
                return result.stdout

    def test_python_etcd3_gets_one_warning_naming_the_calls_and_the_readme_section(self) -> None:
        out = self.build_output({"requirements.txt": "flask\netcd3==0.12.0\n"})
        warnings = [line.strip() for line in out.splitlines() if "python-etcd3" in line]
        self.assertEqual(warnings, ["Warning: python-etcd3: Lease.refresh and Lock.refresh fail through grpc-proxy "
                                    "(\"context canceled\"); see the README section \"What grpc-proxy can and cannot "
                                    "do\" for the workaround (etcd client etcd3 in requirements.txt)"], out)
        self.assertIn("## What grpc-proxy can and cannot do", README.read_text(), "the section the warning names")

    def test_node_etcd3_gets_none(self) -> None:
        out = self.build_output({"package.json": '{"dependencies": {"etcd3": "1.1.2"}}'})
        self.assertNotIn("Warning", out)


class MatrixCase(HelperTestCase):
    """One etcd line and one listener mode: an image, a cluster, the image's proxy, every client."""

    mode = "plain"  # "plain": 3 members, default listener; "namespace": BPL_ETCD_PROXY_NAMESPACE; "tls"
    ctest_timeout = 300
    ctest_cost = 15  # 10-20 s each (plus the Go driver's build, unless test.sh made it): started early

    def setUp(self) -> None:
        super().setUp()
        tls = self.mode == "tls"
        self.pki: Pki | None = self.class_pki() if tls else None
        self.cluster = EtcdCluster(size=3 if self.mode == "plain" else 1, pki=self.pki, client_cert_auth=tls,
                                   build=self.etcd_build())
        self.cluster.start()
        self.addCleanup(self.cluster.stop)
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=",".join(self.cluster.client_urls))
        context = None
        self.client_tls = None
        if self.pki:
            env.update(BPL_ETCD_PROXY_CACERT=str(self.pki.ca_cert), BPL_ETCD_PROXY_CERT=str(self.pki.client_cert),
                       BPL_ETCD_PROXY_KEY=str(self.pki.client_key), BPL_ETCD_PROXY_LISTEN_CERT=str(self.pki.server_cert),
                       BPL_ETCD_PROXY_LISTEN_KEY=str(self.pki.server_key),
                       BPL_ETCD_PROXY_LISTEN_CLIENT_CA=str(self.pki.ca_cert))
            context = ssl.create_default_context(cafile=str(self.pki.ca_cert))
            context.load_cert_chain(str(self.pki.client_cert), str(self.pki.client_key))
            self.client_tls = Tls(self.pki.ca_cert, self.pki.client_cert, self.pki.client_key)
        if self.mode == "namespace":
            env["BPL_ETCD_PROXY_NAMESPACE"] = NAMESPACE
        self.proxy, self.port = self.start_proxy(env, tls=context)
        self.prefix = f"m-{uuid.uuid4().hex[:8]}/"

    @property
    def advertised(self) -> str:
        return f"{'https' if self.pki else 'http'}://{LOOPBACK}:{self.port}"

    def test_every_client_through_the_proxy(self) -> None:
        direct = f"{LOOPBACK}:{self.cluster.members[0].client_port}"
        proxy = f"{LOOPBACK}:{self.port}"
        # The drivers run at once, except for scenarios that act on the whole keyspace: those run
        # one driver after another, after the rest (CLUSTER_WIDE).
        shared = {c: [s for s in self.scenarios_for(c) if s not in CLUSTER_WIDE] for c in CLIENTS}
        runs = [self.start_driver(client, proxy, "", shared[client]) for client in CLIENTS]
        # Each known difference also runs straight against etcd: it must work there.
        differences = {c: [s for s in SCENARIOS if self.expected(s, c) not in (*WORKING, NOT_IN_CLIENT)] for c in CLIENTS}
        straight = [self.start_driver(c, direct, "direct-", differences[c]) for c in CLIENTS if differences[c]]
        reported = {run.client: dict(run.results()) for run in runs}
        straight_results = [(run.client, run.results()) for run in straight]  # all done before CLUSTER_WIDE
        for client in CLIENTS:
            alone = [s for s in self.scenarios_for(client) if s in CLUSTER_WIDE]
            if alone:
                reported[client] |= self.start_driver(client, proxy, "", alone).results()
        for client in CLIENTS:
            for scenario in self.scenarios_for(client):
                with self.subTest(client=client, call=scenario):
                    self.assert_cell(client, scenario, reported[client].get(scenario))
        for client, results in straight_results:
            for scenario, result in results.items():
                with self.subTest(client=client, call=scenario, straight_to_etcd=True):
                    self.assertTrue(result["ok"], f"{client} {scenario} fails against etcd itself too: {result}")
        if self.mode == "namespace":
            for client in CLIENTS:
                stored = self.cluster.get_raw(f"{NAMESPACE}{self.prefix}{client}/range_prefix/r/a")
                self.assertEqual(stored, "r/a", f"the namespaced proxy stores {client}'s keys under its prefix")

    # -- running and judging ----------------------------------------------------------------

    def scenarios_for(self, client: str) -> list[str]:
        return [s for s in SCENARIOS if self.expected(s, client) != NOT_IN_CLIENT]

    def expected(self, scenario: str, client: str) -> Any:
        if scenario == "member_list" and self.mode != "plain":
            return NOT_IN_CLIENT  # asked of the 3-member class only
        return EXPECTED[scenario][client]

    def start_driver(self, client: str, endpoint: str, tag: str, scenarios: list[str] | None = None) -> DriverRun:
        tls = self.client_tls if tag == "" or self.pki is None else Tls(self.pki.ca_cert, self.pki.client_cert,
                                                                         self.pki.client_key)
        argv = client_drivers.driver_argv(client, endpoint, f"{self.prefix}{tag}{client}/",
                                          scenarios or self.scenarios_for(client), tls, self.etcd_build().etcdctl)
        return DriverRun(client, argv)

    def assert_cell(self, client: str, scenario: str, result: Mapping[str, Any] | None) -> None:
        self.assertIsNotNone(result, f"the {client} driver reported nothing for {scenario}")
        expected = self.expected(scenario, client)
        if expected is SYNTHETIC_MEMBER:
            self.assertTrue(result["ok"], result)
            self.assertEqual(result["detail"], {"members": 1, "client_urls": [self.advertised]},
                             f"{self.cluster.size} members behind the proxy")
        elif isinstance(expected, Difference):
            self.assertFalse(result["ok"], f"{client} {scenario} now works through grpc-proxy ({result}): "
                                           "update EXPECTED and the README's table")
            self.assertIn(expected.error, result["error"])
        else:
            self.assertTrue(result["ok"], result)
            for name, value in DETAILS.get(scenario, {}).items():
                self.assertEqual(result["detail"].get(name), value, f"{name} in {result}")
            if scenario == "lock":
                self.assertTrue(result["detail"].get("second_holder_blocked", result["detail"].get("held")), result)


class MemberBehaviourCase(MatrixCase):
    """The plain class's extra cells: what depends on the members behind the proxy."""

    def python_client(self) -> Any:
        import etcd3  # imported lazily: grpc is slow to load

        client = etcd3.client(LOOPBACK, self.port, timeout=10)
        self.addCleanup(close_etcd3_client, client)
        return client

    def member_ranges(self) -> list[int]:
        """Each member's count of answered Range calls, from its /metrics."""
        counts = []
        for member in self.cluster.members:
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            text = opener.open(f"http://{LOOPBACK}:{member.client_port}/metrics", timeout=5).read().decode()
            counts.append(sum(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines()
                              if line.startswith("grpc_server_handled_total") and 'grpc_method="Range"' in line))
        return counts

    def test_serializable_reads_are_served_by_any_member_and_from_the_proxys_cache(self) -> None:
        client = self.python_client()
        key = f"{self.prefix}serializable"
        self.cluster.put_raw(key, "v1")
        before = self.member_ranges()
        for i in range(9):
            client.get(f"{key}-{i}", serializable=True)
        served = [after - b for after, b in zip(self.member_ranges(), before)]
        self.assertGreaterEqual(sum(1 for n in served if n > 0), 2, f"Range calls per member: {served}")
        # grpc-proxy answers a repeated serializable read from its cache (grpcproxy/kv.go Range):
        # a write that did not pass through this proxy stays unseen until a linearizable read.
        self.assertEqual(client.get(key, serializable=True)[0], b"v1")
        self.cluster.put_raw(key, "v2")
        self.assertEqual(client.get(key, serializable=True)[0], b"v1", "the proxy's cached answer")
        self.assertEqual(client.get(key)[0], b"v2", "a linearizable read asks etcd")
        self.assertEqual(client.get(key, serializable=True)[0], b"v2", "and refreshes the cache")

    def test_a_watch_survives_a_rolling_restart_of_every_member(self) -> None:
        client = self.python_client()
        key = f"{self.prefix}rolling"
        seen: list[bytes] = []
        lock = threading.Lock()

        def on_events(response: Any) -> None:
            with lock:
                seen.extend(getattr(e, "value", b"") for e in getattr(response, "events", []))

        watch_id = client.add_watch_callback(key, on_events)
        self.addCleanup(client.cancel_watch, watch_id)
        client.put(key, "start")
        wait_until(lambda: b"start" in seen, 10, interval=0.05, what="the first event")
        for index in range(self.cluster.size):
            self.cluster.kill(index)
            # The two left may be electing a leader: ask again until the write is taken (a retried
            # write can land twice, hence the de-duplication below).
            wait_until(lambda: self.cluster.etcdctl("put", key, f"while-m{index}-down").code == 0, 20,
                       interval=0.2, what=f"a write while member {index} is down")
            self.cluster.restart(index)
        self.cluster.put_raw(key, "end")
        expected = [b"start"] + [f"while-m{i}-down".encode() for i in range(self.cluster.size)] + [b"end"]

        def distinct() -> list[bytes]:
            with lock:
                return list(dict.fromkeys(seen))

        try:
            wait_until(lambda: distinct() == expected, 20, interval=0.1, what="every event after the restarts")
        except TimeoutError:
            self.fail(f"the watcher saw {seen}, expected {expected}")


def matrix_classes() -> dict[str, type]:
    classes = {}
    for line in ("3.4", "3.5", "3.6"):
        suffix = line.replace(".", "")
        for mode, base in (("plain", MemberBehaviourCase), ("namespace", MatrixCase), ("tls", MatrixCase)):
            name = f"ClientMatrix{mode.capitalize()}Etcd{suffix}Test"
            classes[name] = type(name, (base,), {"etcd_line": line, "mode": mode, "__module__": __name__,
                                                 "__doc__": f"etcd {line}, {mode} listener: every client."})
    return classes


globals().update(matrix_classes())
del MatrixCase, MemberBehaviourCase  # only the concrete classes above run

if __name__ == "__main__":
    if sys.argv[1:] == ["--readme-table"]:
        print(readme_table())
    else:
        unittest.main()

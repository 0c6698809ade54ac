"""Integration tests of the launch helper ``etcd-proxy`` (its layer and its commands; README, "Launch configuration").

Each test class builds an image the real way once (``setUpClass``): a copy of the buildpack
whose only dependency is an etcd release served by a loopback download server, then CNB detect
and build through the lifecycle emulator. The helper then runs exactly as the CNB launcher (or a
Kubernetes sidecar container of the same image) would: ``Lifecycle.launch("etcd-proxy", ...)``.
Backends are real Debian etcd members on free loopback ports. Every suite that runs real etcd runs
twice: with Debian bookworm's installed etcd 3.4.23 and with Debian's etcd 3.5.x (``*Etcd35Test``:
image, members and etcdctl all 3.5; fetched by scripts/lib/fetch-etcd35.sh, see harness/etcd_builds.py).

Run from ``integration/`` with Debian's Python:

    /usr/bin/python3 -m unittest -v test_launch_helper
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import threading
import time
import unittest
from pathlib import Path
from typing import Mapping, Sequence

from harness import etcd_builds
from harness.bindings import write_binding
from harness.certs import CLIENT_CN, Pki, make_pki
from harness.etcd_cluster import EtcdCluster
from harness.fixtures.launched import PROXY_READY_TIMEOUT, HelperTestCase
from harness.fixtures.proxy_client import etcd3_client, health_path, is_healthy, proxy_health, unique_key
from harness.ports import LOOPBACK, free_port
from harness.processes import LoggedPopen, RunResult, run
from harness.waiting import wait_for_port, wait_until


class PlainSingleNodeTest(HelperTestCase):
    """The proxy in front of one plain-http etcd member (shared by the tests of this class)."""

    cluster: EtcdCluster

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cluster = cls.class_cluster()

    def plain_env(self, port: int | None = None, **settings: str) -> dict[str, str]:
        return self.proxy_env(port, BPL_ETCD_PROXY_ENDPOINTS=",".join(self.cluster.endpoints), **settings)

    def test_put_get_through_the_proxy_with_etcdctl(self) -> None:
        proc, port = self.start_proxy(self.plain_env())
        key = unique_key("etcdctl")
        self.assert_put_get_with_etcdctl(port, key, "through-the-proxy")
        self.assertEqual(self.cluster.get_raw(key), "through-the-proxy")
        self.assertIn("etcd-proxy: forwarding", proc.log_text())

    def test_put_get_through_the_proxy_with_python_etcd3(self) -> None:
        _, port = self.start_proxy(self.plain_env())
        client = etcd3_client(port)
        self.addCleanup(client.close)
        key = unique_key("python-etcd3")
        client.put(key, "independent-client")
        value, _meta = client.get(key)
        self.assertEqual(value, b"independent-client")
        self.assertEqual(self.cluster.get_raw(key), "independent-client")

    def test_exec_keeps_the_pid_and_runs_the_etcd_layers_binary(self) -> None:
        proc, port = self.start_proxy(self.plain_env())
        cmdline = self.assert_runs_layer_etcd_proxy(proc)
        self.assertIn(f"--listen-addr={LOOPBACK}:{port}", cmdline)
        self.assertIn(f"--endpoints={self.cluster.endpoints[0]}", cmdline)
        # The launcher's child is the proxy itself: it has no etcd-proxy child doing the work.
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        self.assertEqual(children, [], f"the launched process has children {children}")

    def test_helper_prints_one_start_line_on_stderr_and_nothing_on_stdout(self) -> None:
        port = free_port()
        proc, stdout, stderr = self.image.launch_split(None, self.plain_env(port), self.tmp)
        self.addCleanup(proc.stop, 2)
        wait_until(lambda: is_healthy(proxy_health(port)), PROXY_READY_TIMEOUT, what="the proxy")
        errors = stderr.read_text().splitlines()
        self.assertTrue(errors, "nothing on stderr")
        helper_lines = [line for line in errors if line.startswith("etcd-proxy:")]
        self.assertEqual(helper_lines, errors[:1], stderr.read_text())
        self.assertTrue(errors[0].startswith(f"etcd-proxy: forwarding {LOOPBACK}:{port} to 1 etcd endpoint"),
                        errors[0])
        self.assertEqual(stdout.read_text(), "")

    def test_extra_args_are_passed_through_to_grpc_proxy(self) -> None:
        proc, port = self.start_proxy(self.plain_env(), args=["--max-send-bytes=4194304"])
        cmdline = self.assert_runs_layer_etcd_proxy(proc)
        self.assertEqual(cmdline[-1], "--max-send-bytes=4194304", cmdline)
        self.assert_put_get_with_etcdctl(port, unique_key("extra-args"), "v")

    def test_namespace_from_bpl_prefixes_keys_on_the_server(self) -> None:
        _, port = self.start_proxy(self.plain_env(BPL_ETCD_PROXY_NAMESPACE="/app1/"))
        key = unique_key("hello")
        self.assert_put_get_with_etcdctl(port, key, "world")
        self.assertEqual(self.cluster.get_raw(f"/app1/{key}"), "world")
        self.assertIsNone(self.cluster.get_raw(key))

    def test_namespace_from_binding_prefixes_keys_on_the_server(self) -> None:
        root = self.tmp / "bindings"
        write_binding(root, "my-etcd", "etcd", {"endpoints": f"http://{self.cluster.endpoints[0]}\n",
                                                 "namespace": "/app2/\n"}, k8s_layout=True)
        _, port = self.start_proxy(self.proxy_env(SERVICE_BINDING_ROOT=str(root)))
        key = unique_key("hello")
        self.assert_put_get_with_etcdctl(port, key, "world")
        self.assertEqual(self.cluster.get_raw(f"/app2/{key}"), "world")
        self.assertIsNone(self.cluster.get_raw(key))

    def test_non_loopback_listen_address_is_refused_without_client_cert_auth(self) -> None:
        port = free_port()
        result = self.image.run_helper(None, self.plain_env(BPL_ETCD_PROXY_LISTEN_ADDR=f"0.0.0.0:{port}"))
        self.assert_refused(result, f"BPL_ETCD_PROXY_LISTEN_ADDR=0.0.0.0:{port}", "BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN")

    def test_non_loopback_listen_address_works_and_warns_when_allowed(self) -> None:
        port = free_port()
        env = self.plain_env(BPL_ETCD_PROXY_LISTEN_ADDR=f"0.0.0.0:{port}", BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN="true")
        proc, _ = self.start_proxy(env)
        cmdline = self.assert_runs_layer_etcd_proxy(proc)
        self.assertIn(f"--listen-addr=0.0.0.0:{port}", cmdline)
        self.assertIn(f"--advertise-client-url=http://{LOOPBACK}:{port}", cmdline)  # never the wildcard
        self.assert_put_get_with_etcdctl(port, unique_key("wildcard"), "reachable")
        warnings = [line for line in proc.log_text().splitlines() if line.startswith("etcd-proxy: WARNING:")]
        self.assertEqual(len(warnings), 1, proc.log_text())
        self.assertIn(f"0.0.0.0:{port}", warnings[0])
        self.assertIn("BPL_ETCD_PROXY_ALLOW_INSECURE_LISTEN=true", warnings[0])

    def test_loopback_listen_address_does_not_warn(self) -> None:
        proc, _ = self.start_proxy(self.plain_env())
        self.assertNotIn("WARNING", proc.log_text())

    def test_health_exits_zero_with_a_live_backend(self) -> None:
        env = self.plain_env()
        self.start_proxy(env, wait_healthy=False)
        result = self.image.run_helper(["health", "--timeout", "10"], env)
        self.assert_exit_ok(result)
        # End to end through /proxy/health (a read and a watch) where etcd has it (3.5+).
        self.assertEqual(result.lines, [f"etcd-proxy: {env['BPL_ETCD_PROXY_LISTEN_ADDR']} is healthy "
                                        f"(GET {health_path(self.etcd_build())})"])

    def test_health_fails_within_its_timeout_when_the_backend_is_closed(self) -> None:
        closed = free_port()
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=f"{LOOPBACK}:{closed}")
        _, port = self.start_proxy(env, wait_healthy=False)
        wait_for_port(port, PROXY_READY_TIMEOUT)  # the proxy listens although no backend answers
        result = self.image.run_helper(["health", "--timeout", "2"], env)
        self.assert_refused(result, f"{LOOPBACK}:{port}", "not healthy")
        self.assertGreaterEqual(result.duration, 1.5, "health gave up before its timeout")
        self.assertLess(result.duration, 5.5, "health outlived its --timeout 2 by far")

    def test_health_fails_within_its_timeout_after_the_cluster_stops(self) -> None:
        with EtcdCluster(size=1, build=self.etcd_build()) as own:
            env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=own.endpoints[0])
            self.start_proxy(env)
            self.assert_exit_ok(self.image.run_helper(["health", "--timeout", "5"], env))
        result = self.image.run_helper(["health", "--timeout", "2"], env)
        self.assert_refused(result, "not healthy")
        self.assertGreaterEqual(result.duration, 1.5, "health gave up before its timeout")
        self.assertLess(result.duration, 5.5, "health outlived its --timeout 2 by far")

    def test_health_fails_within_its_timeout_when_no_proxy_listens(self) -> None:
        result = self.image.run_helper(["health", "--timeout", "2"], self.proxy_env())
        self.assert_refused(result, "not healthy")
        self.assertGreaterEqual(result.duration, 1.5, "health gave up before its timeout")
        self.assertLess(result.duration, 5.5)


class TlsClusterTest(HelperTestCase):
    """A TLS etcd member that requires client certificates; the proxy configured from each source."""

    pki: Pki
    cluster: EtcdCluster

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.pki = cls.class_pki()
        cls.cluster = cls.class_cluster(pki=cls.pki, client_cert_auth=True)

    def assert_serves_over_tls(self, env: Mapping[str, str]) -> tuple[LoggedPopen, list[str]]:
        """Start the proxy, put/get through it, and check nothing secret was printed."""
        proc, port = self.start_proxy(env)
        key = unique_key("tls")
        self.assert_put_get_with_etcdctl(port, key, "secure")
        self.assertEqual(self.cluster.get_raw(key), "secure")
        cmdline = self.assert_runs_layer_etcd_proxy(proc)
        self.assertIn(", TLS", proc.log_text())
        self.assert_no_secrets(proc.log_text(), self.pki)
        printed = self.image.run_helper(["print"], env)
        self.assert_exit_ok(printed)
        self.assert_no_secrets(printed.output, self.pki)
        return proc, cmdline

    def test_cluster_refuses_clients_without_a_certificate(self) -> None:
        # Sanity: without this, a proxy that ignored its TLS settings could still pass.
        url = self.cluster.client_urls[0]
        result = run([str(self.etcd_build().etcdctl), f"--endpoints={url}", f"--cacert={self.pki.ca_cert}",
                      "--dial-timeout=2s", "--command-timeout=3s", "get", "x"],
                     env={"ETCDCTL_API": "3", "PATH": "/usr/bin:/bin"}, timeout=20)
        self.assertNotEqual(result.code, 0, result.describe())

    def test_tls_from_bpl_file_paths(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=self.cluster.client_urls[0],
                             BPL_ETCD_PROXY_CACERT=str(self.pki.ca_cert),
                             BPL_ETCD_PROXY_CERT=str(self.pki.client_cert),
                             BPL_ETCD_PROXY_KEY=str(self.pki.client_key))
        _, cmdline = self.assert_serves_over_tls(env)
        for flag, path in (("--cacert", self.pki.ca_cert), ("--cert", self.pki.client_cert),
                           ("--key", self.pki.client_key)):
            self.assertIn(f"{flag}={path}", cmdline)

    def test_tls_from_kubernetes_binding_with_data_symlinks(self) -> None:
        root = self.tmp / "bindings"
        binding = write_binding(root, "etcd-cluster", "etcd", {
            "endpoints": ",".join(self.cluster.client_urls) + "\n",
            "ca.crt": self.pki.read("ca_cert"),
            "tls.crt": self.pki.read("client_cert"),
            "tls.key": self.pki.read("client_key"),
        }, k8s_layout=True)
        write_binding(root, "a-database", "postgresql", {"host": "db.invalid", "port": "5432"}, k8s_layout=True)
        self.assertTrue((binding / "tls.key").is_symlink())
        _, cmdline = self.assert_serves_over_tls(self.proxy_env(SERVICE_BINDING_ROOT=str(root)))
        self.assertIn(f"--key={binding / 'tls.key'}", cmdline)
        self.assertIn(f"--cert={binding / 'tls.crt'}", cmdline)
        self.assertIn(f"--cacert={binding / 'ca.crt'}", cmdline)

    def test_tls_from_vcap_services_pem_strings(self) -> None:
        credentials = {"endpoints": self.cluster.client_urls, "ca": self.pki.read("ca_cert"),
                       "cert": self.pki.read("client_cert"), "key": self.pki.read("client_key_sec1")}
        vcap = json.dumps({"user-provided": [{"name": "my-etcd", "label": "user-provided", "tags": ["etcd"],
                                              "credentials": credentials}]})
        self.assertIn("\\n", vcap)  # PEM newlines JSON-escaped, as Cloud Foundry writes them
        _, cmdline = self.assert_serves_over_tls(self.proxy_env(VCAP_SERVICES=vcap, TMPDIR=str(self.tmp)))

        # One private directory per credentials (docs/reliability.md, item 6): $TMPDIR/etcd-proxy-tls-<uid>-<digest>.
        [pem_dir] = list(self.tmp.glob(f"etcd-proxy-tls-{os.geteuid()}-*"))
        self.assertEqual(stat.S_IMODE(pem_dir.lstat().st_mode), 0o700)
        self.assertTrue(stat.S_ISDIR(pem_dir.lstat().st_mode))
        for name, source, flag in (("ca.pem", "ca_cert", "--cacert"), ("cert.pem", "client_cert", "--cert"),
                                   ("key.pem", "client_key_sec1", "--key")):
            path = pem_dir / name
            self.assertEqual(stat.S_IMODE(path.lstat().st_mode), 0o600, name)
            self.assertTrue(stat.S_ISREG(path.lstat().st_mode), name)
            self.assertEqual(path.read_text(), self.pki.read(source), name)
            self.assertIn(f"{flag}={path}", cmdline)
        self.assertEqual(sorted(p.name for p in pem_dir.iterdir()), ["ca.pem", "cert.pem", "key.pem"])


class LeaderKillTest(HelperTestCase):
    """kill -9 the leader of a 3-member cluster while a client loops through the proxy."""

    ctest_run_serial = True
    ctest_timeout = 240
    RECOVERY_LIMIT = 5.0  # seconds from the kill to the last failure's successful successor
    STEADY_AFTER = 3.0  # seconds of successes required after recovery
    INTERVAL = 0.05

    def test_operations_recover_within_five_seconds_after_the_leader_dies(self) -> None:
        with EtcdCluster(size=3, build=self.etcd_build()) as cluster:
            proc, port = self.start_proxy(self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=",".join(cluster.endpoints)))
            client = etcd3_client(port, timeout=2.0)
            self.addCleanup(client.close)
            ops: list[tuple[float, float, bool, str, int]] = []  # (start, end, ok, error, value written)
            stop = threading.Event()
            key = unique_key("loop")

            def loop() -> None:
                n = 0
                while not stop.is_set():
                    n += 1
                    started = time.monotonic()
                    try:
                        client.put(key, str(n))
                        value, _ = client.get(key)
                        ok, error = value == str(n).encode(), "" if value == str(n).encode() else f"got {value!r}"
                    except Exception as exc:  # noqa: BLE001 - every failure is recorded and judged below
                        ok, error = False, f"{type(exc).__name__}: {exc}"
                    ops.append((started, time.monotonic(), ok, error, n))
                    stop.wait(self.INTERVAL)

            worker = threading.Thread(target=loop, daemon=True)
            worker.start()
            try:
                time.sleep(1.0)
                leader = cluster.wait_for_leader()
                killed_at = time.monotonic()
                cluster.kill(leader)
                wait_until(lambda: time.monotonic() - killed_at > self.RECOVERY_LIMIT + self.STEADY_AFTER,
                           timeout=30, interval=0.1, what="the observation period")
            finally:
                stop.set()
                worker.join(timeout=10)
            self.assertFalse(worker.is_alive(), "the client loop did not stop")
            self.assertIsNone(proc.poll(), "the proxy died with the leader")
            last_value = cluster.get_raw(key)

        before = [op for op in ops if op[1] < killed_at]
        after = [op for op in ops if op[1] >= killed_at]
        self.assertGreater(len(before), 5, "the loop barely ran before the kill")
        self.assertTrue(all(op[2] for op in before), f"failures before the kill: {[op for op in before if not op[2]]}")
        failures = [op for op in after if not op[2]]
        if failures:
            first_success_after_first = next((op for op in after if op[2] and op[0] >= failures[0][1]), None)
            recovered = next((op for op in after if op[2] and op[0] >= failures[-1][1]), None)
            self.assertIsNotNone(recovered, f"no success after the last failure: {failures}")
            disruption = first_success_after_first[1] - killed_at
            full_recovery = recovered[1] - killed_at
        else:
            disruption = full_recovery = 0.0
        print(f"\nleader-kill disruption: {disruption:.2f} s (kill -> first success after the first failure); "
              f"{len(failures)} failed of {len(after)} put+get pairs after the kill; last failure resolved "
              f"{full_recovery:.2f} s after the kill; failed pairs took "
              f"{[round(op[1] - op[0], 2) for op in failures]} s; errors: {sorted({op[3] for op in failures})}",
              flush=True)
        self.assertLessEqual(full_recovery, self.RECOVERY_LIMIT,
                             f"operations failed until {full_recovery:.2f}s after the kill: {failures}")
        steady = [op for op in after if op[1] - killed_at > full_recovery]
        self.assertTrue(steady, "no operation after recovery")
        self.assertGreaterEqual(steady[-1][1] - killed_at - full_recovery, self.STEADY_AFTER,
                                "too short an observation after recovery")
        self.assertGreater(len(steady), int(self.STEADY_AFTER / (self.INTERVAL + 0.1)),
                           "too few operations after recovery")
        self.assertTrue(ops[-1][2], f"the last operation failed: {ops[-1]}")
        self.assertEqual(last_value, str(ops[-1][4]), "the last acknowledged write is not on the cluster")


class ConfigurationTest(HelperTestCase):
    """``print`` and each refusal of a bad setting (one error line naming the setting, exit > 0, no crash,
    no secret); no backend is needed, as a refused proxy never starts."""

    pki: Pki

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.pki = cls.class_pki()

    def refuse(self, env: Mapping[str, str], *fragments: str) -> str:
        """Launching the proxy with ``env`` is refused before it starts; returns the error line."""
        return self.assert_refused(self.image.run_helper(None, env), *fragments)

    def vcap(self, credentials: Mapping[str, object], name: str = "my-etcd") -> str:
        return json.dumps({"user-provided": [{"name": name, "label": "user-provided", "tags": ["etcd"],
                                              "credentials": dict(credentials)}]})

    def tls_files(self, cert: Path, key: Path) -> dict[str, str]:
        return {"BPL_ETCD_PROXY_CACERT": str(self.pki.ca_cert), "BPL_ETCD_PROXY_CERT": str(cert),
                "BPL_ETCD_PROXY_KEY": str(key)}

    def print_argv(self, env: Mapping[str, str], args: Sequence[str] = ()) -> list[str]:
        result = self.image.run_helper(["print", *args], env)
        self.assert_exit_ok(result)
        return result.lines

    def test_no_endpoints_from_any_source(self) -> None:
        root = self.tmp / "bindings"
        write_binding(root, "db", "postgresql", {"host": "db.invalid"})
        self.refuse(self.proxy_env(SERVICE_BINDING_ROOT=str(root), VCAP_SERVICES='{"postgres": []}'),
                    "no etcd endpoints", "BPL_ETCD_PROXY_ENDPOINTS")

    def test_endpoint_equal_to_the_listen_address(self) -> None:
        port = free_port()
        self.refuse(self.proxy_env(port, BPL_ETCD_PROXY_ENDPOINTS=f"http://localhost:{port}"),
                    "BPL_ETCD_PROXY_ENDPOINTS", "listen address", f"{LOOPBACK}:{port}")

    def test_several_etcd_bindings_without_a_selector(self) -> None:
        root = self.tmp / "bindings"
        write_binding(root, "etcd-a", "etcd", {"endpoints": "10.0.0.1:2379"}, k8s_layout=True)
        write_binding(root, "etcd-b", "etcd", {"endpoints": "10.0.0.2:2379"})
        self.refuse(self.proxy_env(SERVICE_BINDING_ROOT=str(root)), "BPL_ETCD_PROXY_BINDING", "etcd-a", "etcd-b")

    def test_binding_selector_resolves_several_etcd_bindings(self) -> None:
        root = self.tmp / "bindings"
        write_binding(root, "etcd-a", "etcd", {"endpoints": "10.0.0.1:2379"}, k8s_layout=True)
        write_binding(root, "etcd-b", "etcd", {"endpoints": "10.0.0.2:2379"})
        argv = self.print_argv(self.proxy_env(SERVICE_BINDING_ROOT=str(root), BPL_ETCD_PROXY_BINDING="etcd-b"))
        self.assertIn("--endpoints=10.0.0.2:2379", argv)

    def test_several_etcd_services_in_vcap_without_a_selector(self) -> None:
        vcap = json.dumps({"etcd": [{"name": "one", "label": "etcd", "tags": ["etcd"],
                                     "credentials": {"endpoints": ["10.0.0.1:2379"]}},
                                    {"name": "two", "label": "etcd", "tags": ["etcd"],
                                     "credentials": {"endpoints": ["10.0.0.2:2379"]}}]})
        self.refuse(self.proxy_env(VCAP_SERVICES=vcap), "VCAP_SERVICES", "BPL_ETCD_PROXY_BINDING")
        argv = self.print_argv(self.proxy_env(VCAP_SERVICES=vcap, BPL_ETCD_PROXY_BINDING="one"))
        self.assertIn("--endpoints=10.0.0.1:2379", argv)

    def test_invalid_json_in_vcap_services(self) -> None:
        self.refuse(self.proxy_env(VCAP_SERVICES='{"etcd": [{"credentials": '), "VCAP_SERVICES", "not valid JSON")

    def test_invalid_json_in_vcap_services_file(self) -> None:
        path = self.tmp / "vcap.json"
        path.write_text("not json at all")
        self.refuse(self.proxy_env(VCAP_SERVICES_FILE_PATH=str(path)), "VCAP_SERVICES", "not valid JSON")

    def test_tls_material_with_http_endpoints(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="http://10.0.0.1:2379",
                             **self.tls_files(self.pki.client_cert, self.pki.client_key))
        self.refuse(env, "BPL_ETCD_PROXY_CACERT", "http://10.0.0.1:2379")

    def test_client_cert_with_a_common_name_from_bpl_files(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="https://10.0.0.1:2379",
                             **self.tls_files(self.pki.client_cn_cert, self.pki.client_cn_key))
        self.refuse(env, "BPL_ETCD_PROXY_CERT", f"CN={CLIENT_CN}", "Common Name")

    def test_client_cert_with_a_common_name_from_vcap_pem(self) -> None:
        vcap = self.vcap({"endpoints": ["https://10.0.0.1:2379"], "ca": self.pki.read("ca_cert"),
                          "cert": self.pki.read("client_cn_cert"), "key": self.pki.read("client_cn_key")})
        self.refuse(self.proxy_env(VCAP_SERVICES=vcap, TMPDIR=str(self.tmp)), "credentials.cert", f"CN={CLIENT_CN}")
        self.assertEqual(list(self.tmp.glob("etcd-proxy-tls*/key.pem")), [],
                         "the refused key was written to disk")

    def test_unreadable_cert_file(self) -> None:
        missing = self.tmp / "no-such-cert.pem"
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="https://10.0.0.1:2379",
                             **self.tls_files(missing, self.pki.client_key))
        self.refuse(env, "BPL_ETCD_PROXY_CERT", str(missing))

    def test_cert_path_that_is_a_directory(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="https://10.0.0.1:2379",
                             **self.tls_files(self.tmp, self.pki.client_key))
        self.refuse(env, "BPL_ETCD_PROXY_CERT")

    def test_cert_without_key(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="https://10.0.0.1:2379",
                             BPL_ETCD_PROXY_CERT=str(self.pki.client_cert))
        self.refuse(env, "BPL_ETCD_PROXY_CERT", "key")

    def test_key_of_another_certificate(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="https://10.0.0.1:2379",
                             **self.tls_files(self.pki.client_cert, self.pki.client_cn_key))
        self.refuse(env, "BPL_ETCD_PROXY_KEY", "BPL_ETCD_PROXY_CERT")

    def test_ca_without_client_cert_is_accepted_by_3_4_and_refused_from_3_5(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="https://10.0.0.1:2379",
                             BPL_ETCD_PROXY_CACERT=str(self.pki.ca_cert))
        if self.etcd_build().minor >= (3, 5):
            self.assert_refused(self.image.run_helper(["print"], env), "BPL_ETCD_PROXY_CACERT",
                                self.image.etcd_version)
            return
        self.assertEqual(self.image.etcd_version, "3.4.23")
        argv = self.print_argv(env)
        self.assertIn(f"--cacert={self.pki.ca_cert}", argv)
        self.assertFalse(any(a.startswith(("--cert=", "--key=")) for a in argv), argv)

    def test_ca_with_client_cert_is_accepted(self) -> None:
        result = self.image.run_helper(["print"], self.proxy_env(
            BPL_ETCD_PROXY_ENDPOINTS="https://10.0.0.1:2379",
            **self.tls_files(self.pki.client_cert, self.pki.client_key)))
        self.assert_exit_ok(result)
        self.assertEqual(result.lines[0], str(self.image.etcd_bin))

    def test_print_shows_the_exact_argv(self) -> None:
        port = free_port()
        env = self.proxy_env(port, BPL_ETCD_PROXY_ENDPOINTS="10.0.0.1:2379,https://10.0.0.2:2379",
                             BPL_ETCD_PROXY_NAMESPACE="/app1/")
        argv = self.print_argv(env, ["--max-send-bytes=4194304"])
        listen = f"{LOOPBACK}:{port}"
        self.assertEqual(argv, [str(self.image.etcd_bin), "grpc-proxy", "start",
                                "--endpoints=10.0.0.1:2379,https://10.0.0.2:2379", f"--listen-addr={listen}",
                                f"--advertise-client-url=http://{listen}", f"--data-dir={self.image.tmpdir}/etcd-proxy",
                                "--namespace=/app1/", "--max-send-bytes=4194304"])

    def test_print_defaults_the_listen_address_to_loopback_2379(self) -> None:
        argv = self.print_argv({"BPL_ETCD_PROXY_ENDPOINTS": "10.0.0.1:2379"})  # printed only, nothing listens
        self.assertIn("--listen-addr=127.0.0.1:2379", argv)
        self.assertIn("--advertise-client-url=http://127.0.0.1:2379", argv)

    def test_print_drops_userinfo_from_endpoints(self) -> None:
        # grpc-proxy cannot use etcd credentials, so they never reach its command line (nor print's).
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="https://alice:s3cr3t-pw@10.0.0.1:2379,http://10.0.0.2:2379")
        result = self.image.run_helper(["print"], env)
        self.assert_exit_ok(result)
        self.assertNotIn("s3cr3t-pw", result.output)
        self.assertNotIn("alice", result.output)
        self.assertIn("--endpoints=https://10.0.0.1:2379,http://10.0.0.2:2379", result.lines)

    def test_print_never_shows_userinfo_of_an_endpoint_without_scheme(self) -> None:
        # The helper's URL parser reads "alice:pw@host:port" as userinfo + host + port (and accepts it),
        # so it must redact it as it does for https://alice:pw@host:port, or refuse it.
        result = self.image.run_helper(["print"], self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="alice:s3cr3t-pw@10.0.0.1:2379"))
        self.assertNotIn("s3cr3t-pw", result.output, "print shows the password of a scheme-less endpoint")
        self.assertGreaterEqual(result.code, 0, result.output)

    def test_refusal_never_shows_userinfo_of_an_endpoint_without_scheme(self) -> None:
        port = free_port()
        env = self.proxy_env(port, BPL_ETCD_PROXY_ENDPOINTS=f"alice:s3cr3t-pw@{LOOPBACK}:{port}")
        result = self.image.run_helper(None, env)
        self.assertGreater(result.code, 0, result.output)
        self.assertNotIn("s3cr3t-pw", result.output, "the refusal shows the password of a scheme-less endpoint")

    def test_vcap_services_file_path_is_read(self) -> None:
        path = self.tmp / "vcap.json"
        path.write_text(self.vcap({"endpoints": "10.0.0.7:2379, 10.0.0.8:2379", "namespace": "/cf/"}))
        argv = self.print_argv(self.proxy_env(VCAP_SERVICES_FILE_PATH=str(path)))
        self.assertIn("--endpoints=10.0.0.7:2379,10.0.0.8:2379", argv)
        self.assertIn("--namespace=/cf/", argv)

    def test_refusal_does_not_echo_userinfo(self) -> None:
        port = free_port()
        env = self.proxy_env(port, BPL_ETCD_PROXY_ENDPOINTS=f"http://alice:s3cr3t-pw@{LOOPBACK}:{port}")
        line = self.refuse(env, "listen address")
        self.assertNotIn("s3cr3t-pw", line)


class RealGrpcProxyCnRuleTest(unittest.TestCase):
    """Documents the rules the helper mirrors: etcd's own grpc-proxy rejects a client cert with a CN
    (3.4 and 3.5), and from 3.5 on cannot start with a CA but no client certificate."""

    etcd_line = "3.4"

    def etcd_bin(self) -> Path:
        return etcd_builds.for_line(self.etcd_line).etcd

    def test_real_grpc_proxy_rejects_a_client_cert_with_a_common_name(self) -> None:
        with tempfile.TemporaryDirectory(prefix="etcdproxy-cn-") as tmp:
            pki = make_pki(Path(tmp, "pki"))

            def grpc_proxy(cert: Path, key: Path) -> RunResult:
                return run([str(self.etcd_bin()), "grpc-proxy", "start", f"--endpoints=https://{LOOPBACK}:{free_port()}",
                            f"--listen-addr={LOOPBACK}:{free_port()}", f"--data-dir={tmp}/data",
                            f"--cacert={pki.ca_cert}", f"--cert={cert}", f"--key={key}"],
                           env={"PATH": "/usr/bin:/bin"}, timeout=3, timeout_ok=True)

            refused = grpc_proxy(pki.client_cn_cert, pki.client_cn_key)
            self.assertFalse(refused.timed_out, refused.describe())
            self.assertGreater(refused.code, 0, refused.describe())
            self.assertIn(f"cert has non empty Common Name ({CLIENT_CN})", refused.output)
            accepted = grpc_proxy(pki.client_cert, pki.client_key)  # the empty-CN cert: it keeps running
            self.assertTrue(accepted.timed_out, accepted.describe())
            self.assertNotIn("Common Name", accepted.output)

    def test_real_grpc_proxy_with_a_ca_and_no_client_cert(self) -> None:
        with tempfile.TemporaryDirectory(prefix="etcdproxy-ca-only-") as tmp:
            pki = make_pki(Path(tmp, "pki"))
            result = run([str(self.etcd_bin()), "grpc-proxy", "start", f"--endpoints=https://{LOOPBACK}:{free_port()}",
                          f"--listen-addr={LOOPBACK}:{free_port()}", f"--data-dir={tmp}/data",
                          f"--cacert={pki.ca_cert}"], env={"PATH": "/usr/bin:/bin"}, timeout=3, timeout_ok=True)
            if self.etcd_line == "3.5":
                self.assertFalse(result.timed_out, result.describe())
                self.assertGreater(result.code, 0, result.describe())
                self.assertIn("open : no such file or directory", result.output)
            else:
                self.assertTrue(result.timed_out, result.describe())  # 3.4 keeps running


# The same suites against Debian's real etcd 3.5 (image, members, etcdctl and grpc-proxy all 3.5.x).
class PlainSingleNodeEtcd35Test(PlainSingleNodeTest):
    etcd_line = "3.5"


class TlsClusterEtcd35Test(TlsClusterTest):
    etcd_line = "3.5"


class LeaderKillEtcd35Test(LeaderKillTest):
    etcd_line = "3.5"


class ConfigurationEtcd35Test(ConfigurationTest):
    etcd_line = "3.5"


class RealGrpcProxyRulesEtcd35Test(RealGrpcProxyCnRuleTest):
    etcd_line = "3.5"


if __name__ == "__main__":
    unittest.main()

"""Integration tests of the proxy's cluster-facing settings, listener security, version
guardrails and Cloud Foundry file-based bindings, with real etcd 3.4.23 and 3.5.x on loopback.

Images are built the real way (detect + build through the lifecycle emulator, see
test_launch_helper.Image) from real Debian etcd binaries; the helper runs as the CNB launcher
would. The SRV test runs inside a private network and mount namespace (harness/netns.py) with its
own DNS server on 127.0.0.1:53 (harness/dns_server.py).

    /usr/bin/python3 -m unittest -v test_cluster_options
"""

from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
import tempfile
import time
import unittest
from pathlib import Path
from typing import Any, Mapping

from harness import config, etcd_builds, netns
from harness.certs import Pki, make_pki
from harness.cf_stager import CfStager
from harness.buildpack_toml import make_dependency, make_test_buildpack
from harness.dns_server import DnsServer, Records
from harness.etcd_cluster import EtcdCluster
from harness.fixtures.launched import HelperTestCase
from harness.fixtures.proxy_client import health_path, put_get, run_etcdctl, unique_key
from harness.http_server import DownloadServer
from harness import tarballs
from harness.ports import LOOPBACK, free_port
from harness.processes import LoggedPopen, run, spawn
from harness.waiting import wait_until

GATED = (  # setting, value, grpc-proxy flag as printed, minimum etcd (server/etcdmain/grpc_proxy.go)
    ("BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL", "30", "--endpoints-auto-sync-interval=30s", "3.5.5"),
    ("BPL_ETCD_PROXY_KEEPALIVE_TIME", "10s", "--dial-keepalive-time=10s", "3.5.13"),
    ("BPL_ETCD_PROXY_KEEPALIVE_TIMEOUT", "3s", "--dial-keepalive-timeout=3s", "3.5.13"),
)
EVERY_VERSION = (  # settings every shipped etcd (3.4.23, 3.5.x, 3.6.14) accepts
    ("BPL_ETCD_PROXY_MAX_SEND_BYTES", "4194304", "--max-send-bytes=4194304"),
    ("BPL_ETCD_PROXY_MAX_RECV_BYTES", "8388608", "--max-recv-bytes=8388608"),
    ("BPL_ETCD_PROXY_DEBUG", "true", "--debug"),
)


class GuardrailsTests:
    """Version guardrails against the image's real etcd (no backend needed for the refusals).
    A mixin, not a TestCase: each ``*Test`` below runs these once with its etcd line."""

    def test_the_build_recorded_the_installed_version_in_the_layer(self) -> None:
        record = self.image.lc.layers_dir / "etcd" / "etcd-version"
        self.assertEqual(record.read_text(), f"{self.etcd_build().version}\n")

    def test_settings_every_version_accepts_are_printed(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="10.0.0.1:2379", **{s: v for s, v, _ in EVERY_VERSION})
        result = self.image.run_helper(["print"], env)
        self.assert_exit_ok(result)
        for _, _, flag in EVERY_VERSION:
            self.assertIn(flag, result.lines)

    def test_max_recv_below_the_default_send_limit_is_refused(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="10.0.0.1:2379", BPL_ETCD_PROXY_MAX_RECV_BYTES="1048576")
        self.assert_refused(self.image.run_helper(None, env), "BPL_ETCD_PROXY_MAX_RECV_BYTES=1048576",
                            "1572864", "1.5 MiB")

    def test_real_grpc_proxy_rejects_max_recv_below_max_send(self) -> None:
        # The rule the refusal above mirrors (clientv3: "recv limit ... must be greater than send limit").
        with tempfile.TemporaryDirectory(prefix="etcdproxy-limits-") as tmp:
            result = run([str(self.etcd_build().etcd), "grpc-proxy", "start", f"--endpoints={LOOPBACK}:{free_port()}",
                          f"--listen-addr={LOOPBACK}:{free_port()}", f"--data-dir={tmp}/data",
                          "--max-recv-bytes=1048576"], env={"PATH": "/usr/bin:/bin"}, timeout=10, timeout_ok=True)
        self.assertFalse(result.timed_out, result.describe())
        self.assertGreater(result.code, 0, result.describe())
        self.assertIn("must be greater than send limit (1572864 bytes)", result.output)


class GuardrailsEtcd34Test(GuardrailsTests, HelperTestCase):
    """etcd 3.4.23 installed: each 3.5-only setting is refused with one line."""

    etcd_line = "3.4"

    def test_each_3_5_only_setting_is_refused_naming_the_version_it_needs(self) -> None:
        for setting, value, flag, minimum in GATED:
            with self.subTest(setting=setting):
                env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="10.0.0.1:2379", **{setting: value})
                for args in (["print"], None):
                    line = self.assert_refused(self.image.run_helper(args, env), setting, flag.split("=")[0],
                                               f"needs etcd {minimum} or later", "installed etcd is 3.4.23")
                    self.assertIn("BP_ETCD_VERSION", line)

    def test_a_3_5_only_flag_passed_as_an_argument_is_refused_too(self) -> None:
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="10.0.0.1:2379")
        self.assert_refused(self.image.run_helper(["print", "--dial-keepalive-time=10s"], env),
                            "--dial-keepalive-time", "3.5.13", "3.4.23")

    def test_real_grpc_proxy_3_4_fails_on_the_flag_the_guardrail_refuses(self) -> None:
        # What the refusal prevents: grpc-proxy exits on the unknown flag (a crash-looping sidecar).
        result = run([str(self.etcd_build().etcd), "grpc-proxy", "start", "--endpoints-auto-sync-interval=30s"],
                     env={"PATH": "/usr/bin:/bin"}, timeout=10, timeout_ok=True)
        self.assertFalse(result.timed_out, result.describe())
        self.assertNotEqual(result.code, 0)
        self.assertIn("unknown flag: --endpoints-auto-sync-interval", result.output)


class GuardrailsEtcd35Test(GuardrailsTests, HelperTestCase):
    """etcd 3.5.x installed: the same settings appear in print and the proxy works with them."""

    etcd_line = "3.5"

    def test_each_3_5_setting_is_printed_and_the_proxy_serves_with_all_of_them(self) -> None:
        settings = {setting: value for setting, value, _, _ in GATED}
        with EtcdCluster(size=1, build=self.etcd_build()) as cluster:
            env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=cluster.endpoints[0], **settings)
            printed = self.image.run_helper(["print"], env)
            self.assert_exit_ok(printed)
            for _, _, flag, _ in GATED:
                self.assertIn(flag, printed.lines)
            proc, port = self.start_proxy(env)
            cmdline = self.assert_runs_layer_etcd_proxy(proc)
            for _, _, flag, _ in GATED:
                self.assertIn(flag, cmdline)
            key = unique_key("gated")
            self.assert_put_get_with_etcdctl(port, key, "accepted")
            self.assertEqual(cluster.get_raw(key), "accepted")


class ListenerTlsTests:
    """TLS with client-certificate auth on the proxy's own listener (the harness PKI: the server
    certificate covers 127.0.0.1 and localhost, is issued by the CA and has clientAuth too).
    A mixin, not a TestCase: each ``*Test`` below runs these once with its etcd line."""

    pki: Pki  # the listener's certificates (the plain backend needs none)
    cluster: EtcdCluster

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cluster, cls.pki = cls.class_cluster(), cls.class_pki()

    def tls_env(self, port: int, host: str = LOOPBACK, **settings: str) -> dict[str, str]:
        return self.proxy_env(port, BPL_ETCD_PROXY_LISTEN_ADDR=f"{host}:{port}",
                              BPL_ETCD_PROXY_ENDPOINTS=self.cluster.endpoints[0],
                              BPL_ETCD_PROXY_LISTEN_CERT=str(self.pki.server_cert),
                              BPL_ETCD_PROXY_LISTEN_KEY=str(self.pki.server_key),
                              BPL_ETCD_PROXY_LISTEN_CLIENT_CA=str(self.pki.ca_cert), **settings)

    def client_tls(self, with_cert: bool = True) -> dict[str, Path]:
        tls = {"cacert": self.pki.ca_cert}
        if with_cert:
            tls |= {"cert": self.pki.client_cert, "key": self.pki.client_key}
        return tls

    def start_tls_proxy(self, env: Mapping[str, str]) -> LoggedPopen:
        """Start the proxy and wait until its TLS listener answers healthy to a CA-signed client."""
        context = ssl.create_default_context(cafile=str(self.pki.ca_cert))
        context.load_cert_chain(str(self.pki.client_cert), str(self.pki.client_key))
        return self.start_proxy(env, tls=context)[0]

    def test_client_certificate_required_and_ca_signed_client_does_put_get(self) -> None:
        port = free_port()
        proc = self.start_tls_proxy(self.tls_env(port))
        cmdline = self.assert_runs_layer_etcd_proxy(proc)
        self.assertIn(f"--advertise-client-url=https://{LOOPBACK}:{port}", cmdline)
        self.assertIn(f"--trusted-ca-file={self.pki.ca_cert}", cmdline)
        endpoint = f"https://{LOOPBACK}:{port}"
        refused = run_etcdctl(self.etcd_build(), endpoint, "put", "no-cert", "x", tls=self.client_tls(False),
                                refusal=True)
        self.assertNotEqual(refused.code, 0, refused.describe())
        plaintext = run_etcdctl(self.etcd_build(), f"{LOOPBACK}:{port}", "put", "plaintext", "x", refusal=True)
        self.assertNotEqual(plaintext.code, 0, plaintext.describe())
        other_ca = {"cacert": self.pki.ca_cert, "cert": self.pki.other_client_cert, "key": self.pki.other_client_key}
        foreign = run_etcdctl(self.etcd_build(), endpoint, "put", "foreign", "x", tls=other_ca, refusal=True)
        self.assertNotEqual(foreign.code, 0, foreign.describe())
        key = unique_key("listener-tls")
        ok, detail = put_get(self.etcd_build(), endpoint, key, "mutual-tls", tls=self.client_tls())
        self.assertTrue(ok, detail)
        self.assertEqual(self.cluster.get_raw(key), "mutual-tls")
        for refused_key in ("no-cert", "plaintext", "foreign"):
            self.assertIsNone(self.cluster.get_raw(refused_key), refused_key)
        self.assertNotIn("WARNING", proc.log_text())

    def test_health_probes_the_tls_listener_with_its_own_certificate(self) -> None:
        port = free_port()
        env = self.tls_env(port)
        self.start_tls_proxy(env)
        result = self.image.run_helper(["health", "--timeout", "10"], env)
        self.assert_exit_ok(result)
        self.assertEqual(result.lines, [f"etcd-proxy: {LOOPBACK}:{port} is healthy (GET {health_path(self.etcd_build())})"])

    def test_wildcard_listener_with_client_ca_is_allowed_and_advertises_loopback_https(self) -> None:
        port = free_port()
        env = self.tls_env(port, host="0.0.0.0")
        printed = self.image.run_helper(["print"], env)
        self.assert_exit_ok(printed)
        self.assertIn(f"--advertise-client-url=https://{LOOPBACK}:{port}", printed.lines)
        proc = self.start_tls_proxy(env)
        ok, detail = put_get(self.etcd_build(), f"https://{LOOPBACK}:{port}", unique_key("wildcard"), "v",
                             tls=self.client_tls())
        self.assertTrue(ok, detail)
        self.assertNotIn("WARNING", proc.log_text())

    def test_wildcard_tls_listener_without_a_client_ca_is_refused(self) -> None:
        # (Without TLS at all, test_launch_helper's non-loopback refusal covers it.)
        port = free_port()
        without_ca = dict(self.tls_env(port, host="0.0.0.0"))
        del without_ca["BPL_ETCD_PROXY_LISTEN_CLIENT_CA"]
        self.assert_refused(self.image.run_helper(["print"], without_ca), "no BPL_ETCD_PROXY_LISTEN_CLIENT_CA")

    def test_listener_certificate_must_cover_the_advertised_host(self) -> None:
        port = free_port()
        env = self.tls_env(port, BPL_ETCD_PROXY_ADVERTISE_ADDR=f"proxy.invalid:{port}")
        result = self.image.run_helper(["print"], env)
        if self.etcd_build().minor >= (3, 5):
            self.assert_refused(result, "BPL_ETCD_PROXY_LISTEN_CERT", "does not cover the advertised host proxy.invalid",
                                self.etcd_build().version)
        else:  # 3.4 does not dial itself: it serves, with one warning
            self.assert_exit_ok(result)
            proc = self.start_tls_proxy(env)
            warnings = [line for line in proc.log_text().splitlines() if line.startswith("etcd-proxy: WARNING:")]
            self.assertEqual(len(warnings), 1, proc.log_text())
            self.assertIn("does not cover the advertised host proxy.invalid", warnings[0])


class ListenerTlsEtcd34Test(ListenerTlsTests, HelperTestCase):
    etcd_line = "3.4"


class ListenerTlsEtcd35Test(ListenerTlsTests, HelperTestCase):
    etcd_line = "3.5"

    def test_real_grpc_proxy_3_5_exits_when_its_certificate_misses_the_advertised_host(self) -> None:
        # The rule behind the refusal: 3.5 dials its advertised URL with the listener certificate.
        port = free_port()
        with tempfile.TemporaryDirectory(prefix="etcdproxy-selfdial-") as tmp:
            result = run([str(self.etcd_build().etcd), "grpc-proxy", "start",
                          f"--endpoints={self.cluster.endpoints[0]}", f"--listen-addr={LOOPBACK}:{port}",
                          f"--advertise-client-url=https://localhost.invalid:{port}", f"--data-dir={tmp}/data",
                          f"--cert-file={self.pki.server_cert}", f"--key-file={self.pki.server_key}",
                          f"--trusted-ca-file={self.pki.ca_cert}"], env={"PATH": "/usr/bin:/bin"}, timeout=20,
                         timeout_ok=True)
        self.assertFalse(result.timed_out, f"grpc-proxy kept running\n{result.describe()}")
        self.assertGreater(result.code, 0, result.describe())


class AutoSyncEtcd35Test(HelperTestCase):
    """A proxy given one endpoint follows the cluster's membership (auto-sync, etcd 3.5.5+): a member
    is added and the given one removed, and requests keep working without a restart. A second proxy
    without auto-sync, given the same endpoint, is the control: it loses the cluster."""

    etcd_line = "3.5"
    ctest_run_serial = True
    ctest_timeout = 300
    SYNC = "1s"

    def connected_ports(self, pid: int) -> set[int]:
        """Remote loopback ports the process holds established TCP connections to."""
        out = run(["ss", "-tnpH", "state", "established"], timeout=10).stdout
        ports = set()
        for line in out.splitlines():
            if f"pid={pid}," not in line:
                continue
            fields = line.split()
            peer = fields[3] if len(fields) > 3 else ""
            match = re.search(r":(\d+)$", peer)
            if match:
                ports.add(int(match.group(1)))
        return ports

    def test_member_added_and_given_one_removed_without_restart(self) -> None:
        build = self.etcd_build()
        with EtcdCluster(size=3, build=build) as cluster:
            given = cluster.endpoints[0]
            synced_env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=given, BPL_ETCD_PROXY_AUTO_SYNC_INTERVAL=self.SYNC)
            synced, synced_port = self.start_proxy(synced_env)
            self.assertIn(f"--endpoints-auto-sync-interval={self.SYNC}", self.assert_runs_layer_etcd_proxy(synced))
            control, control_port = self.start_proxy(self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=given))
            client_ports = {m.client_port for m in cluster.members}
            wait_until(lambda: client_ports <= self.connected_ports(synced.pid), 20, interval=0.2,
                       what="the synced proxy to connect to every member")

            added = cluster.add_member()
            new_port = cluster.members[added].client_port
            wait_until(lambda: new_port in self.connected_ports(synced.pid), 20, interval=0.2,
                       what="the synced proxy to find the added member")
            self.assertNotIn(new_port, self.connected_ports(control.pid))

            cluster.remove_member(0)
            removed_at = time.monotonic()
            results = []
            deadline = removed_at + 12
            while time.monotonic() < deadline:
                ok, detail = put_get(build, f"{LOOPBACK}:{synced_port}", unique_key("synced"), "still-here")
                results.append((time.monotonic() - removed_at, ok, detail))
                time.sleep(0.2)
            first_ok = next((t for t, ok, _ in results if ok), None)
            self.assertIsNotNone(first_ok, f"no request through the synced proxy worked after the removal: {results[-3:]}")
            self.assertLess(first_ok, 6.0, f"requests recovered only after {first_ok:.1f}s: {results[:5]}")
            late_failures = [r for r in results if r[0] > first_ok + 1.0 and not r[1]]
            self.assertEqual(late_failures, [], "requests through the synced proxy failed after recovery")
            self.assertIsNone(synced.poll(), "the synced proxy exited (it must keep serving without a restart)")
            print(f"\nauto-sync: first success {first_ok:.2f} s after removing the given member; "
                  f"{sum(1 for r in results if r[1])}/{len(results)} put+get pairs ok", flush=True)

            control_ok, control_detail = put_get(build, f"{LOOPBACK}:{control_port}", unique_key("control"), "lost")
            self.assertFalse(control_ok, "the control proxy (no auto-sync) still reached the cluster: "
                                         "the removal did not take the given member away")
            self.assertIsNone(control.poll())


def srv_scenario(arg: dict[str, Any]) -> dict[str, Any]:
    """Runs inside the private network namespace (see SrvDiscoveryEtcd35Test)."""
    build = etcd_builds.EtcdBuild(arg["version"], Path(arg["bin_dir"]))
    out: dict[str, Any] = {}
    with EtcdCluster(size=3, build=build) as cluster:
        domain = arg["domain"]
        records = Records(srv={f"_etcd-client._tcp.{domain}": [(0, 0, m.client_port, f"{m.name}.{domain}")
                                                               for m in cluster.members]},
                          a={f"{m.name}.{domain}": LOOPBACK for m in cluster.members})
        with DnsServer(records) as dns, tempfile.TemporaryDirectory(prefix="srv-") as tmp:
            for label, plan in arg["plans"].items():
                proc = spawn(plan["argv"], executable=plan["executable"], env=plan["env"], cwd=plan["cwd"],
                             log_path=Path(tmp) / f"{label}.log")
                try:
                    port = int(plan["port"])
                    result: dict[str, Any] = {}
                    if label == "insecure":
                        key = f"srv-{port}"
                        deadline = time.monotonic() + 20
                        ok, detail = False, ""
                        while time.monotonic() < deadline and not ok and proc.poll() is None:
                            ok, detail = put_get(build, f"{LOOPBACK}:{port}", key, "found-by-srv")
                            time.sleep(0.2)
                        result = {"ok": ok, "detail": detail, "stored": cluster.get_raw(key)}
                    else:
                        try:
                            proc.wait(timeout=20)
                        except subprocess.TimeoutExpired:
                            pass
                    log = proc.log_text()
                    result |= {"exit": proc.poll(), "log": log[-4000:],
                               "helper_lines": [line for line in log.splitlines() if line.startswith("etcd-proxy:")],
                               "discovered": [line for line in log.splitlines() if "discovered cluster from SRV" in line]}
                    out[label] = result
                finally:
                    proc.stop(grace=2)
            out["queries"] = sorted({name for name, _ in dns.queries})
    return out


class SrvDiscoveryEtcd35Test(HelperTestCase):
    """DNS SRV discovery: no endpoints configured; the proxy finds the members from
    ``_etcd-client._tcp`` records served by our own DNS server in a private network namespace."""

    etcd_line = "3.5"
    ctest_timeout = 240
    DOMAIN = "etcd-cluster.test"

    def plan(self, **settings: str) -> dict[str, Any]:
        port = free_port()
        env = self.proxy_env(port, BPL_ETCD_PROXY_DISCOVERY_SRV=self.DOMAIN, **settings)
        _, plan = self.image.lc.launcher_command("etcd-proxy", None, env)
        return {"argv": plan.argv, "executable": str(plan.executable), "env": plan.env, "cwd": str(plan.cwd),
                "port": port}

    def test_proxy_finds_the_members_by_srv_with_no_endpoints_configured(self) -> None:
        insecure = self.plan(BPL_ETCD_PROXY_INSECURE_DISCOVERY="true")
        printed = self.image.run_helper(["print"], dict(insecure["env"]))
        self.assert_exit_ok(printed)
        self.assertIn(f"--discovery-srv={self.DOMAIN}", printed.lines)
        self.assertIn("--insecure-discovery", printed.lines)
        self.assertIn("--endpoints=", printed.lines)
        build = self.etcd_build()
        result = netns.run_in_private_network("test_cluster_options", "srv_scenario", {
            "version": build.version, "bin_dir": str(build.bin_dir), "domain": self.DOMAIN,
            "plans": {"insecure": insecure, "https-only": self.plan()}}, timeout=200)
        found = result["insecure"]
        self.assertTrue(found["ok"], f"no put/get through the SRV-configured proxy: {found['detail']}\n{found['log']}")
        self.assertEqual(found["stored"], "found-by-srv")
        self.assertEqual(len(found["discovered"]), 1, found["log"])
        for member in ("m0", "m1", "m2"):  # grpc-proxy logs the endpoints it found
            self.assertIn(f"http://{member}.{self.DOMAIN}.:", found["discovered"][0])
        self.assertTrue(found["helper_lines"][0].startswith(
            "etcd-proxy: WARNING: BPL_ETCD_PROXY_INSECURE_DISCOVERY=true"), found["helper_lines"])
        self.assertIn(f"to the etcd members in DNS SRV records of {self.DOMAIN}", found["helper_lines"][-1])
        self.assertIn(f"_etcd-client._tcp.{self.DOMAIN}", result["queries"])
        # Without insecure discovery grpc-proxy keeps only https members, finds none here, and must
        # fail rather than fall back to its default endpoint 127.0.0.1:2379.
        https_only = result["https-only"]
        self.assertIsNotNone(https_only["exit"], f"the https-only proxy kept running\n{https_only['log']}")
        self.assertNotEqual(https_only["exit"], 0, https_only["log"])


class CfFileBasedBindingTest(unittest.TestCase):
    """A user-provided service tagged etcd, as Cloud Foundry's file-based binding (RFC-0030 layout:
    type user-provided, tags as a JSON array, one file per credential, PEM text in files), staged by
    bin/supply with a real etcd 3.5 release and run through CF's launcher (harness/cf_stager.py)."""

    ctest_timeout = 240

    def setUp(self) -> None:
        self.build = etcd_builds.require_etcd35()
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="cf-file-binding-")))
        self.pki = make_pki(self.tmp / "pki")
        site = self.enterContext(DownloadServer())
        arch = config.host_arch()
        release = tarballs.debian_etcd_release(arch, build=self.build)
        url = site.add_file(f"/{tarballs.release_top_dir(self.build.version, arch)}.tar.gz", release)
        buildpack = make_test_buildpack(self.tmp / "buildpack", [make_dependency(
            self.build.version, url, tarballs.sha256_hex(release), arch=arch)], default_version=self.build.version)
        self.staged = self.enterContext(CfStager(buildpack, self.tmp / "staging", None, "2"))
        supplied = self.staged.supply()
        self.assertEqual(supplied.code, 0, supplied.describe())
        self.droplet = self.staged.launch_root()
        self.cluster = self.enterContext(EtcdCluster(size=1, pki=self.pki, client_cert_auth=True, build=self.build))
        self.bindings = self.droplet / "bindings"
        self.port = free_port()

    def write_cf_binding(self, name: str, credentials: Mapping[str, str], tags: list[str]) -> Path:
        """The files CF writes for one binding (community RFC-0030), credentials one file each."""
        directory = self.bindings / name
        directory.mkdir(parents=True)
        files = {"type": "user-provided", "provider": "user-provided", "label": "user-provided", "name": name,
                 "instance-name": name, "binding-name": "", "tags": json.dumps(tags), "plan": "",
                 "instance-guid": "6b1e8f8c-0000-4000-8000-000000000001", **credentials}
        for entry, value in files.items():
            (directory / entry).write_text(value)
        return directory

    def etcd_credentials(self) -> dict[str, str]:
        return {"endpoints": json.dumps(self.cluster.client_urls), "ca_cert": self.pki.read("ca_cert"),
                "client_cert": self.pki.read("client_cert"), "client_key": self.pki.read("client_key"),
                "namespace": "/from-binding/"}

    def env(self, **extra: str) -> dict[str, str]:
        return {"SERVICE_BINDING_ROOT": str(self.bindings), "BPL_ETCD_PROXY_LISTEN_ADDR": f"{LOOPBACK}:{self.port}",
                **extra}

    def printed(self, **extra: str) -> list[str]:
        result = self.staged.run_command("etcd-proxy print", self.env(**extra))
        self.assertEqual(result.code, 0, result.describe())
        return result.stdout.splitlines()

    def test_supply_recorded_the_installed_version(self) -> None:
        record = self.staged.deps_idx_dir / "etcd" / "etcd-version"
        self.assertEqual(record.read_text(), f"{self.build.version}\n")

    def test_tagged_file_binding_with_pem_credentials_gives_tls_put_get(self) -> None:
        binding = self.write_cf_binding("my-etcd", self.etcd_credentials(), ["etcd", "key-value"])
        self.write_cf_binding("my-db", {"uri": "postgres://db.invalid:5432/x"}, ["postgresql"])
        argv = self.printed()
        self.assertIn(f"--endpoints={self.cluster.client_urls[0]}", argv)
        self.assertIn(f"--cacert={binding / 'ca_cert'}", argv)
        self.assertIn(f"--cert={binding / 'client_cert'}", argv)
        self.assertIn(f"--key={binding / 'client_key'}", argv)
        self.assertIn("--namespace=/from-binding/", argv)
        self.assertNotIn("BEGIN", "\n".join(argv))
        proc = self.staged.run_in_container("etcd-proxy", self.env())
        self.addCleanup(proc.stop)
        key = unique_key("cf-file")
        wait_until(lambda: proc.poll() is None and put_get(self.build, f"{LOOPBACK}:{self.port}", key, "over-tls")[0],
                   timeout=20, interval=0.3, what="a put/get through the proxy")
        self.assertEqual(self.cluster.get_raw(f"/from-binding/{key}"), "over-tls")
        self.assertIn("binding 'my-etcd'", proc.log_text())

    def test_label_marks_an_etcd_binding_and_endpoints_may_be_a_comma_string(self) -> None:
        credentials = self.etcd_credentials() | {"endpoints": ",".join(self.cluster.client_urls)}
        directory = self.write_cf_binding("etcd-service", credentials, [])
        (directory / "label").write_text("a9s-etcd")
        (directory / "type").write_text("a9s-etcd")
        self.assertIn(f"--endpoints={self.cluster.client_urls[0]}", self.printed())

    def test_precedence_bpl_over_file_binding_over_vcap_services(self) -> None:
        self.write_cf_binding("my-etcd", self.etcd_credentials(), ["etcd"])
        vcap = json.dumps({"user-provided": [{"name": "vcap-etcd", "label": "user-provided", "tags": ["etcd"],
                                              "credentials": {"endpoints": ["https://10.0.0.9:2379"],
                                                              "namespace": "/from-vcap/"}}]})
        argv = self.printed(VCAP_SERVICES=vcap)
        self.assertIn(f"--endpoints={self.cluster.client_urls[0]}", argv)  # the binding beats VCAP_SERVICES
        self.assertIn("--namespace=/from-binding/", argv)
        argv = self.printed(VCAP_SERVICES=vcap, BPL_ETCD_PROXY_NAMESPACE="/from-bpl/")
        self.assertIn("--namespace=/from-bpl/", argv)  # BPL_* beats both, field by field
        self.assertIn(f"--endpoints={self.cluster.client_urls[0]}", argv)
        argv = self.printed(VCAP_SERVICES=vcap, BPL_ETCD_PROXY_ENDPOINTS="https://10.0.0.7:2379")
        self.assertIn("--endpoints=https://10.0.0.7:2379", argv)
        shutil.rmtree(self.bindings / "my-etcd")
        argv = self.printed(VCAP_SERVICES=vcap)
        self.assertIn("--endpoints=https://10.0.0.9:2379", argv)  # without the binding, VCAP_SERVICES applies


if __name__ == "__main__":
    unittest.main()

"""The proxy wherever the app runs: embedded mode, app wiring, shutdown delay.

The image is built the real way (detect + build with Debian's etcd in an upstream-style
tarball) and launched as a one-container ``docker run`` would: through the real CNB launcher
(``lcdriver exec``, see harness/README.md) where it is present, else through the emulator
(``harness/launcher.py``). The launcher applies the layers' env (``env.launch/<process>/``
included), runs the helper layer's exec.d with a pipe on fd 3 that it reads to end-of-file, then
execs the process, keeping its PID.

App processes are added to the launch metadata as a language buildpack would
(``Lifecycle.add_app_process``); the app is ``fixtures/apps/hello`` or the small scripted app
of ``EmbeddedTestCase`` (harness/fixtures/embedded.py), run with Debian's Python and python3-etcd3. Backends are real etcd members on loopback.

This process becomes a child subreaper, so the detached supervisor (orphaned when exec.d exits)
is reparented to the test, which reaps it and checks its exit status.

Run from ``integration/`` with Debian's Python:

    /usr/bin/python3 -m unittest -v test_embedded
"""

from __future__ import annotations

import os
import signal
import sys
import time
import unittest
from pathlib import Path
from typing import Mapping

from harness.fixtures.embedded import EmbeddedTestCase, grpc_proxies
from harness.fixtures.launched import HelperTestCase
from harness.fixtures.proxy_client import health_path, is_healthy, proxy_health, unique_key
from harness.http_server import DownloadServer
from harness.ports import LOOPBACK
from harness.processes import LoggedPopen, children_of, process_state
from harness.waiting import port_is_open, wait_until

SPEC_RESTART_SECONDS = 1.0  # docs/performance.md: a killed proxy is serving again within 1 s
SPEC_STOP_SECONDS = 1.0  # the app exits -> supervisor and proxy gone within 1 s
LOADED_MACHINE_SLACK = 2.0  # added to those targets: the test machine has 2 busy cores


class EmbeddedModeTest(EmbeddedTestCase):
    """BPL_ETCD_PROXY_EMBEDDED=true: exec.d starts a supervised proxy before the app."""

    def test_app_does_put_get_through_a_proxy_it_did_not_start(self) -> None:
        app = self.launch("web", None, self.embedded_env())
        self.addCleanup(self.stop_supervisor)
        self.assertEqual(self.wait_exit(app), 0, app.log_text())
        self.assertRegex(app.log_text(), r"hello from an app with a local etcd endpoint: visit #\d+")
        self.assertIn("etcd-proxy: embedded: forwarding", app.log_text())
        self.assertIn(f"etcd-proxy: embedded: {LOOPBACK}:{self.port} is healthy (GET {health_path(self.etcd_build())}) after",
                      app.log_text())
        self.assertNotIn("ERROR", app.log_text())
        self.assertIsNotNone(self.cluster.get_raw("visits"), "the put did not reach the etcd server")

    def test_app_is_told_the_endpoints_and_its_own_win(self) -> None:
        cases = (({}, f"{LOOPBACK}:{self.port} {LOOPBACK}:{self.port}"),
                 ({"ETCDCTL_ENDPOINTS": "https://mine:2379"}, f"https://mine:2379 {LOOPBACK}:{self.port}"),
                 ({"BPL_ETCD_PROXY_EMBEDDED": "false"}, f"{LOOPBACK}:{self.port} {LOOPBACK}:{self.port}"))
        for extra, expected in cases:
            with self.subTest(env=extra):
                app = self.launch("shell", ['echo "endpoints: $ETCDCTL_ENDPOINTS $ETCD_ENDPOINTS"'],
                                  self.embedded_env(**extra))
                self.addCleanup(self.stop_supervisor)
                self.assertEqual(self.wait_exit(app), 0, app.log_text())
                self.assertIn(f"endpoints: {expected}\n", app.log_text())

    def test_killed_proxy_serves_again_within_a_second_and_the_retried_request_succeeds(self) -> None:
        app = self.launch_serving_app(self.embedded_env())
        self.assertEqual(self.app_request(), "ok app-value")
        supervisor = self.supervisor_pid()
        [proxy] = children_of(supervisor)
        killed = time.monotonic()
        os.kill(proxy, signal.SIGKILL)
        wait_until(lambda: is_healthy(proxy_health(self.port, timeout=0.5)), 15, interval=0.01,
                   what="a restarted proxy")
        serving_after = time.monotonic() - killed
        print(f"\n[measured] killed proxy healthy again after {serving_after * 1000:.0f} ms", file=sys.stderr)
        self.assertLess(serving_after, SPEC_RESTART_SECONDS + LOADED_MACHINE_SLACK)
        self.assertEqual(self.app_request(), "ok app-value")
        [restarted] = children_of(supervisor)
        self.assertNotEqual(restarted, proxy)
        self.assertIsNone(process_state(proxy), "the killed proxy was not reaped")
        restarts = [line for line in app.log_text().splitlines() if "etcd-proxy: supervisor:" in line]
        self.assertEqual(len(restarts), 1, app.log_text())
        self.assertIn("grpc-proxy ended (signal 9)", restarts[0])
        self.assertIn("restart 1 in 500 ms", restarts[0])

    def test_app_exit_ends_supervisor_and_proxy_within_a_second(self) -> None:
        app = self.launch_serving_app(self.embedded_env())
        supervisor = self.supervisor_pid()
        [proxy] = children_of(supervisor)
        told = time.monotonic()
        (self.tmp / "stop").write_text("")  # the app polls for it every 20 ms, then exits
        self.assertEqual(self.wait_exit(app), 0, app.log_text())
        ended = time.monotonic()
        wait_until(lambda: process_state(supervisor) in (None, "Z") and process_state(proxy) is None,
                   10, interval=0.005, what="the supervisor and the proxy to end")
        gone_after = time.monotonic() - ended
        print(f"\n[measured] supervisor and proxy gone {gone_after * 1000:.0f} ms after the app's exit was "
              f"seen, {(time.monotonic() - told) * 1000:.0f} ms after the app was told to exit", file=sys.stderr)
        self.assertLess(gone_after, SPEC_STOP_SECONDS + LOADED_MACHINE_SLACK)
        reaped, status = os.waitpid(supervisor, 0)  # this process is the subreaper
        self.assertEqual((reaped, os.waitstatus_to_exitcode(status)), (supervisor, 0))
        self.assertEqual(grpc_proxies(self.port), [])
        self.assertFalse(port_is_open(self.port))

    def test_second_launch_reuses_the_running_proxy(self) -> None:
        self.launch_serving_app(self.embedded_env())
        supervisor = self.supervisor_pid()
        [proxy] = grpc_proxies(self.port)
        second = self.launch("shell", ['echo "endpoints: $ETCDCTL_ENDPOINTS"'], self.embedded_env())
        self.assertEqual(self.wait_exit(second), 0, second.log_text())
        self.assertIn(f"reusing the proxy on {LOOPBACK}:{self.port} (supervisor PID {supervisor})", second.log_text())
        self.assertIn(f"endpoints: {LOOPBACK}:{self.port}\n", second.log_text())
        self.assertEqual(grpc_proxies(self.port), [proxy])
        self.assertEqual(self.supervisor_pid(), supervisor)
        self.assertEqual(self.app_request(), "ok app-value")

    def test_refused_configuration_stops_the_launch_with_one_line(self) -> None:
        cases = (({"BPL_ETCD_PROXY_ENDPOINTS": None}, "no etcd endpoints"),
                 ({"BPL_ETCD_PROXY_EMBEDDED": "yes"}, 'BPL_ETCD_PROXY_EMBEDDED="yes" is not true or false'),
                 ({"BPL_ETCD_PROXY_START_TIMEOUT": "soon"}, "BPL_ETCD_PROXY_START_TIMEOUT"))
        for changes, fragment in cases:
            with self.subTest(changes=changes):
                self.assert_launch_refused({k: v for k, v in {**self.embedded_env(), **changes}.items() if v is not None},
                                           fragment)

    def test_cluster_down_at_start_warns_after_the_timeout_and_recovers(self) -> None:
        self.cluster.kill(0)
        self.addCleanup(self.ensure_cluster_up)
        started = time.monotonic()
        app = self.launch_serving_app(self.embedded_env(BPL_ETCD_PROXY_START_TIMEOUT="2"))
        waited = time.monotonic() - started
        self.assertGreaterEqual(waited, 2.0)
        warnings = [line for line in app.log_text().splitlines() if line.startswith("etcd-proxy: WARNING:")]
        self.assertEqual(len(warnings), 1, app.log_text())
        self.assertIn("not healthy after 2", warnings[0])
        self.assertIn("starting the app anyway", warnings[0])
        self.cluster.restart(0)
        self.cluster.wait_healthy()
        wait_until(lambda: is_healthy(proxy_health(self.port)), 30, interval=0.2,
                   what="the proxy to reach the restarted cluster")
        self.assertEqual(self.app_request(), "ok app-value")

    def ensure_cluster_up(self) -> None:
        if not self.cluster.members[0].alive:
            self.cluster.restart(0)
            self.cluster.wait_healthy()

    def test_the_etcd_proxy_process_never_starts_a_second_proxy(self) -> None:
        sidecar, _ = self.start_proxy(self.embedded_env())
        self.assertEqual(grpc_proxies(self.port), [sidecar.pid], "the sidecar is the only proxy, with its own PID")
        self.assertIsNone(self.supervisor_pid())
        self.assertNotIn("embedded", sidecar.log_text())
        env = Path(f"/proc/{sidecar.pid}/environ").read_bytes().decode().split("\0")
        self.assertFalse([v for v in env if v.startswith(("ETCDCTL_ENDPOINTS=", "ETCD_ENDPOINTS="))], env)


class EmbeddedModeEtcd35Test(EmbeddedModeTest):
    """The same with Debian's etcd 3.5: readiness goes through /proxy/health (a read and a watch)."""

    etcd_line = "3.5"


class ShutdownDelayTest(EmbeddedTestCase):
    """BPL_ETCD_PROXY_SHUTDOWN_DELAY on the sidecar process."""

    def sidecar_env(self, **extra: str) -> dict[str, str]:
        env = {"BPL_ETCD_PROXY_ENDPOINTS": self.cluster.endpoints[0], "BPL_ETCD_PROXY_LISTEN_ADDR": f"{LOOPBACK}:{self.port}"}
        env.update(extra)
        return env

    def start_sidecar(self, env: Mapping[str, str]) -> LoggedPopen:
        return self.start_proxy(env)[0]

    def test_sigterm_keeps_serving_for_the_delay_then_stops_and_exits_zero(self) -> None:
        delay = 3.0
        sidecar = self.start_sidecar(self.sidecar_env(BPL_ETCD_PROXY_SHUTDOWN_DELAY=str(int(delay))))
        self.assertEqual(os.readlink(f"/proc/{sidecar.pid}/exe"), str((self.lc.layers_dir / "helper/bin/etcd-proxy").resolve()),
                         "with a delay the helper stays the parent")
        [proxy] = grpc_proxies(self.port)
        self.assertEqual(children_of(sidecar.pid), [proxy])
        sigterm = time.monotonic()
        os.kill(sidecar.pid, signal.SIGTERM)
        served = 0
        while time.monotonic() - sigterm < delay - 1.0:
            key = unique_key("during-delay")
            put = self.etcdctl(self.port, "put", key, "v")
            self.assertEqual(put.code, 0, f"{put.describe()}\n{sidecar.log_text()}")
            served += 1
        self.assertGreater(served, 0)
        self.assertEqual(self.wait_exit(sidecar, timeout=delay + 15), 0, sidecar.log_text())
        stopped_after = time.monotonic() - sigterm
        self.assertGreaterEqual(stopped_after, delay - 0.1)
        self.assertIsNone(process_state(proxy))
        self.assertFalse(port_is_open(self.port))
        self.assertIn("SIGTERM: the proxy keeps serving for 3 s", sidecar.log_text())

    def test_other_signals_are_forwarded_to_the_proxy(self) -> None:
        sidecar = self.start_sidecar(self.sidecar_env(BPL_ETCD_PROXY_SHUTDOWN_DELAY="30"))
        os.kill(sidecar.pid, signal.SIGINT)
        self.assertEqual(self.wait_exit(sidecar, timeout=15), 128 + signal.SIGINT, sidecar.log_text())
        self.assertEqual(grpc_proxies(self.port), [])

    def test_without_the_setting_the_pid_is_grpc_proxys(self) -> None:
        sidecar = self.start_sidecar(self.sidecar_env())
        self.assertEqual(grpc_proxies(self.port), [sidecar.pid])
        self.assert_runs_layer_etcd_proxy(sidecar)
        self.assert_put_get_with_etcdctl(self.port, unique_key("no-delay"), "served")


class ReadmeCommandsTest(EmbeddedTestCase):
    """What the README tells a user to type about launching, as the image's launcher runs it."""

    def test_kubernetes_sidecar_probe_and_app_start_script(self) -> None:
        # command: ["etcd-proxy"] with args, readinessProbe/startupProbe exec: ["etcd-proxy", "health", ...]
        env = {"BPL_ETCD_PROXY_ENDPOINTS": self.cluster.endpoints[0],
               "BPL_ETCD_PROXY_LISTEN_ADDR": f"{LOOPBACK}:{self.port}"}
        sidecar, _ = self.start_proxy(env, ["--max-send-bytes=4194304"])
        self.assertIn("--max-send-bytes=4194304", self.assert_runs_layer_etcd_proxy(sidecar))
        probe = self.image.run_helper(["health", "--timeout", "3"], env)
        self.assertEqual(probe.code, 0, probe.output)
        # an app's start script: etcd-proxy health --timeout 30 && exec my-app
        app = self.launch("shell", ['etcd-proxy health --timeout 30 && exec /bin/sh -c \'echo "ready $ETCD_ENDPOINTS"\''],
                          env)
        self.assertEqual(self.wait_exit(app), 0, app.log_text())
        self.assertIn(f"ready {LOOPBACK}:{self.port}\n", app.log_text())
        self.assert_put_get_with_etcdctl(self.port, unique_key("readme"), "v")

    def test_docker_exec_launcher_bash_reuses_the_embedded_proxy(self) -> None:
        # docker run -e BPL_ETCD_PROXY_EMBEDDED=true my-app, then docker exec … /cnb/lifecycle/launcher bash
        self.launch_serving_app(self.embedded_env())
        supervisor = self.supervisor_pid()
        second = self.lc.launch_command(["bash", "-c", 'echo "endpoints: $ETCDCTL_ENDPOINTS"'], self.embedded_env())
        self.addCleanup(second.stop, 2)
        self.assertEqual(self.wait_exit(second), 0, second.log_text())
        self.assertIn(f"reusing the proxy on {LOOPBACK}:{self.port} (supervisor PID {supervisor})", second.log_text())
        self.assertIn(f"endpoints: {LOOPBACK}:{self.port}\n", second.log_text())
        self.assertEqual(self.app_request(), "ok app-value")


class ListenerTlsTest(EmbeddedTestCase):
    """With TLS and client-certificate auth on the proxy's listener (README, "Listener security"), embedded mode's start
    waits for readiness over https, presenting the listener's certificate (the harness PKI's server
    certificate allows clientAuth). `etcd-proxy health` on such a listener: test_cluster_options."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.pki = cls.class_pki()

    def tls_env(self, **extra: str) -> dict[str, str]:
        return self.embedded_env(BPL_ETCD_PROXY_LISTEN_CERT=str(self.pki.server_cert),
                                 BPL_ETCD_PROXY_LISTEN_KEY=str(self.pki.server_key),
                                 BPL_ETCD_PROXY_LISTEN_CLIENT_CA=str(self.pki.ca_cert), **extra)

    def test_embedded_start_waits_for_a_tls_listener_and_wires_https(self) -> None:
        app = self.launch("shell", ['echo "endpoints: $ETCDCTL_ENDPOINTS"'], self.tls_env())
        self.addCleanup(self.stop_supervisor)
        self.assertEqual(self.wait_exit(app), 0, app.log_text())
        self.assertIn(f"etcd-proxy: embedded: {LOOPBACK}:{self.port} is healthy (GET {health_path(self.etcd_build())}) after",
                      app.log_text())
        self.assertNotIn("WARNING", app.log_text())
        self.assertIn(f"endpoints: https://{LOOPBACK}:{self.port}\n", app.log_text())


class HealthPathTest(HelperTestCase):
    """``etcd-proxy health`` asks /proxy/health (etcd 3.5+) and falls back to /health on a 404 (3.4)."""

    fake_etcd_version = "3.5.33"

    def health(self, site: DownloadServer) -> tuple[int, str]:
        address = site.url("/").split("//", 1)[1].rstrip("/")
        result = self.image.run_helper(["health", "--timeout", "5"], {"BPL_ETCD_PROXY_LISTEN_ADDR": address})
        return result.code, result.output

    def test_a_proxy_with_proxy_health_is_asked_only_there(self) -> None:
        with DownloadServer() as site:
            site.add_file("/proxy/health", b'{"health":"true","reason":""}')
            code, output = self.health(site)
            self.assertEqual(code, 0, output)
            self.assertEqual([r.path for r in site.requests], ["/proxy/health"])

    def test_a_proxy_without_proxy_health_is_asked_health(self) -> None:
        with DownloadServer() as site:
            site.add_file("/health", b'{"health":"true"}')
            code, output = self.health(site)
            self.assertEqual(code, 0, output)
            self.assertEqual([r.path for r in site.requests], ["/proxy/health", "/health"])

    def test_an_unhealthy_answer_on_proxy_health_is_not_retried_on_health(self) -> None:
        with DownloadServer() as site:
            site.add_file("/health", b'{"health":"true"}')
            site.add_file("/proxy/health", b'{"health":"false","reason":"GET ERROR:context deadline exceeded"}')
            code, output = self.health(site)
            self.assertNotEqual(code, 0, output)
            self.assertNotIn("/health", [r.path for r in site.requests])
            self.assertIn("/proxy/health answered HTTP 200", output)


if __name__ == "__main__":
    unittest.main()

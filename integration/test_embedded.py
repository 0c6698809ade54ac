"""The proxy wherever the app runs: embedded mode, app wiring, shutdown delay.

The image is built the real way (detect + build with Debian's etcd in an upstream-style
tarball) and launched as a one-container ``docker run`` would: through the real CNB launcher
(``lcdriver exec``, see harness/README.md) where it is present, else through the emulator
(``harness/launcher.py``). The launcher applies the layers' env (``env.launch/<process>/``
included), runs the helper layer's exec.d with a pipe on fd 3 that it reads to end-of-file, then
execs the process, keeping its PID.

App processes are added to the launch metadata as a language buildpack would
(``Lifecycle.add_app_process``); the app is ``fixtures/apps/hello`` or the small scripted app
below, run with Debian's Python and python3-etcd3. Backends are real etcd members on loopback.

This process becomes a child subreaper, so the detached supervisor (orphaned when exec.d exits)
is reparented to the test, which reaps it and checks its exit status.

Run from ``integration/`` with Debian's Python:

    /usr/bin/python3 -m unittest -v test_embedded
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import time
import unittest
from pathlib import Path
from typing import Mapping

from harness.etcd_cluster import EtcdCluster
from harness.http_server import DownloadServer
from harness.config import REPO_ROOT
from harness.launcher import LAUNCH_ERROR_CODE
from harness.ports import LOOPBACK, free_port
from harness.processes import LoggedPopen, children_of, live_pids, process_state
from harness.waiting import port_is_open, wait_until
from test_launch_helper import ERROR_PREFIX, HelperTestCase, health_path, is_healthy, proxy_health, unique_key

SPEC_RESTART_SECONDS = 1.0  # docs/performance.md: a killed proxy is serving again within 1 s
SPEC_STOP_SECONDS = 1.0  # the app exits -> supervisor and proxy gone within 1 s
LOADED_MACHINE_SLACK = 2.0  # added to those targets: the test machine has 2 busy cores
START_TIMEOUT = 20.0  # seconds a healthy start may take here (BPL_ETCD_PROXY_START_TIMEOUT)
EXEC_D_TIMEOUT = START_TIMEOUT + 5  # the harness launcher's bound on fd 3 (a leak fails with 82 then)
EXIT_TIMEOUT = EXEC_D_TIMEOUT + 15  # seconds for a short app (or a refused launch) to end
PR_SET_CHILD_SUBREAPER = 36

APP = '''\
"""Test app: reports its etcd variables, then does put/get through ETCD_ENDPOINTS on request."""
import json, os, sys, time
from pathlib import Path

import etcd3

work = Path(sys.argv[1])
mode = sys.argv[2] if len(sys.argv) > 2 else "once"
(work / "env.json").write_text(json.dumps({k: os.environ.get(k) for k in ("ETCDCTL_ENDPOINTS", "ETCD_ENDPOINTS")}))


def put_get(deadline):
    host, port = os.environ["ETCD_ENDPOINTS"].rsplit(":", 1)
    while True:
        try:
            client = etcd3.client(host=host, port=int(port), timeout=2)
            client.put("app-key", "app-value")
            value = client.get("app-key")[0].decode()
            client.close()
            return "ok " + value
        except Exception as error:  # a retried request: the proxy may be restarting
            if time.monotonic() > deadline:
                return "failed " + type(error).__name__
            time.sleep(0.05)


if mode == "once":
    print(put_get(time.monotonic() + 10), flush=True)
    sys.exit(0)
while not (work / "stop").exists():  # mode "serve": until the test says stop
    if (work / "request").exists():
        (work / "request").unlink()
        # Written beside and renamed, so the test never reads a result half-written (empty).
        (work / "result.partial").write_text(put_get(time.monotonic() + 10))
        (work / "result.partial").rename(work / "result")
    time.sleep(0.02)
'''


def set_child_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def grpc_proxies(port: int) -> list[int]:
    """Live processes running ``grpc-proxy start`` with ``--listen-addr=<host>:<port>``, any spelling
    of the host (``127.0.0.1``, ``localhost``)."""
    found = []
    for pid in live_pids():
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "grpc-proxy" in argv and any(a.startswith("--listen-addr=") and a.endswith(f":{port}") for a in argv):
            found.append(pid)
    return found


class EmbeddedTestCase(HelperTestCase):
    """One image (HelperTestCase's) and one etcd member per class, with app processes added;
    every test uses its own listen port and work directory (``self.tmp``)."""

    cluster: EtcdCluster

    @classmethod
    def setUpClass(cls) -> None:
        set_child_subreaper()
        super().setUpClass()
        cls.cluster = cls.class_cluster()
        cls.lc = cls.image.lc
        cls.lc.add_app_process("web", ["/usr/bin/python3", "app.py"])
        cls.lc.add_app_process("scripted", ["/usr/bin/python3", str(cls.lc.app_dir / "scripted_app.py")])
        cls.lc.add_app_process("shell", ["/bin/sh", "-c"])
        (cls.lc.app_dir / "scripted_app.py").write_text(APP)
        (cls.lc.app_dir / "app.py").write_text((REPO_ROOT / "fixtures/apps/hello/app.py").read_text())

    def setUp(self) -> None:
        super().setUp()
        self.port = free_port()

    # -- launching ------------------------------------------------------------------------

    def embedded_env(self, **extra: str) -> dict[str, str]:
        env = {"BPL_ETCD_PROXY_EMBEDDED": "true", "BPL_ETCD_PROXY_ENDPOINTS": self.cluster.endpoints[0],
               "BPL_ETCD_PROXY_LISTEN_ADDR": f"{LOOPBACK}:{self.port}",
               "BPL_ETCD_PROXY_START_TIMEOUT": str(int(START_TIMEOUT))}
        env.update(extra)
        return env

    def launch(self, process_type: str, args: list[str] | None, env: Mapping[str, str],
               exec_d_timeout: float = EXEC_D_TIMEOUT) -> LoggedPopen:
        proc = self.lc.launch(process_type, args, dict(env), exec_d_timeout=exec_d_timeout)
        self.addCleanup(proc.stop, 2)
        return proc

    def launch_serving_app(self, env: Mapping[str, str]) -> LoggedPopen:
        """Start the scripted app in "serve" mode; return once it reported its environment."""
        app = self.launch("scripted", [str(self.tmp), "serve"], env)
        self.addCleanup(self.stop_supervisor)
        wait_until(lambda: self.app_env() is not None or app.poll() is not None, START_TIMEOUT + 20,
                   what="the app to start")
        self.assertIsNone(app.poll(), app.log_text())
        return app

    def wait_exit(self, proc: LoggedPopen, timeout: float = EXIT_TIMEOUT) -> int:
        try:
            return proc.wait(timeout=timeout)
        except Exception:
            self.fail(f"the launched process still ran after {timeout:.0f}s\n{proc.log_text()}")

    def assert_launch_refused(self, env: Mapping[str, str], *fragments: str, another_supervisor: bool = False) -> str:
        """An app launch with ``env`` exits 82 with one ``etcd-proxy: ERROR:`` line holding every
        fragment (returned); the app never started, and no supervisor (unless ``another_supervisor``
        runs already) or proxy runs."""
        marker = self.tmp / "app-started"
        app = self.launch("shell", [f"touch {marker}"], env)
        self.assertEqual(self.wait_exit(app), LAUNCH_ERROR_CODE, app.log_text())
        ours = [line for line in app.log_text().splitlines() if line.startswith("etcd-proxy")]
        self.assertEqual(len(ours), 1, app.log_text())
        self.assertTrue(ours[0].startswith(ERROR_PREFIX), ours[0])
        for fragment in fragments:
            self.assertIn(fragment, ours[0])
        self.assertFalse(marker.exists(), "the app started")
        if not another_supervisor:
            self.assertIsNone(self.supervisor_pid())
        self.assertEqual(grpc_proxies(self.port), [])
        return ours[0]

    # -- inspecting -----------------------------------------------------------------------

    def app_env(self) -> dict | None:
        try:
            return json.loads((self.tmp / "env.json").read_text())
        except (OSError, ValueError):
            return None

    def supervisor_pid(self) -> int | None:
        """The PID in the supervisor's record under TMPDIR (``<PID> <start time> <proxy PID>``;
        None: none runs)."""
        record = self.lc.tmp_dir / f"etcd-proxy-supervisor-{os.geteuid()}-{LOOPBACK}_{self.port}.pid"
        try:
            return int(record.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop_supervisor(self) -> None:
        """Cleanup for a failed test: SIGTERM stops the supervisor and its proxy; reap it."""
        pid = self.supervisor_pid()
        if pid and process_state(pid) not in (None, "Z"):
            os.kill(pid, signal.SIGTERM)
            wait_until(lambda: process_state(pid) in (None, "Z"), 10, what="the supervisor to stop")
        if pid:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass

    def app_request(self, timeout: float = 20.0) -> str:
        """Ask the serving app for a put/get (it retries for 10 s) and return its result."""
        (self.tmp / "result").unlink(missing_ok=True)
        (self.tmp / "request").write_text("go")
        wait_until(lambda: (self.tmp / "result").exists(), timeout, what="the app's request")
        return (self.tmp / "result").read_text()


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

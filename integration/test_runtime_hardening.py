"""The launch helper's runtime under attack: port squatters, the supervisor's lock shared across
users and spellings, signals to a process group, the supervisor's signals, pass-through arguments
that dodge the checks, an unchecked listen address, and an ``etcd --version`` that leaves a child.

Every launch goes through the harness launcher APIs (``Lifecycle.launch`` via
``EmbeddedTestCase.launch`` / ``HelperTestCase.start_proxy``), against the real executables and
real etcd members on loopback. See docs/reliability.md ("The runtime under attack").

Run from ``integration/`` with Debian's Python:

    /usr/bin/python3 -m unittest -v test_runtime_hardening
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import stat
import tempfile
import time
import traceback
import unittest
from pathlib import Path
from typing import Mapping, Sequence

from harness import tarballs
from harness.buildpack_toml import make_dependency, make_test_buildpack
from harness.fixtures.embedded import EXEC_D_TIMEOUT, EXIT_TIMEOUT, START_TIMEOUT, EmbeddedTestCase, grpc_proxies
from harness.fixtures.host import UNSHARE
from harness.fixtures.launched import HelperTestCase
from harness.fixtures.output import HELPER_ERROR_PREFIX
from harness.fixtures.proxy_client import is_healthy, proxy_health, unique_key
from harness.http_server import DownloadServer
from harness.lifecycle import Lifecycle
from harness.ports import LOOPBACK, free_port
from harness.processes import process_state, spawn
from harness.waiting import port_is_open, wait_until

NOBODY = 65534
HEALTHY_BODY = b'{"health":"true"}'


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


class EmbeddedRuntimeTest(EmbeddedTestCase):
    """Embedded mode where something else holds the port, the lock, or the supervisor's signals."""

    def launch_as(self, uid: int, process_type: str, args: Sequence[str], env: Mapping[str, str]) -> tuple[int, str]:
        """Launch as user ``uid`` (``docker exec -u``): from a forked copy of this test that gave up
        root for good, so the launcher and exec.d run with that uid alone. Returns (exit code, output)."""
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            try:
                os.close(read_end)
                os.setgroups([])
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                proc = self.lc.launch(process_type, list(args), dict(env), exec_d_timeout=EXEC_D_TIMEOUT)
                try:
                    code = proc.wait(timeout=EXIT_TIMEOUT)
                except Exception:
                    proc.kill()
                    code = -1
                os.write(write_end, json.dumps([code, proc.log_text(), str(proc.log_path)]).encode())
            except BaseException:  # report it: the parent would otherwise see only an empty pipe
                os.write(write_end, json.dumps([-2, traceback.format_exc(), ""]).encode())
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as reader:
            data = reader.read()
        os.waitpid(child, 0)
        self.assertTrue(data, f"the launch as uid {uid} reported nothing")
        code, log, log_path = json.loads(data)
        self.assertNotEqual(code, -2, f"the launch as uid {uid} raised:\n{log}")
        # This copy of the Lifecycle does not know the name its child used: keep it from the next launch's.
        Path(log_path).rename(f"{log_path}.as-uid-{uid}")
        return code, log

    # -- a port squatter --------------------------------------------------------------------

    def test_a_port_squatter_answering_healthy_is_refused_not_trusted(self) -> None:
        with DownloadServer() as impostor:
            for path in ("/proxy/health", "/health"):
                impostor.add_file(path, HEALTHY_BODY)
            self.port = int(impostor.url("/").rstrip("/").rsplit(":", 1)[1])
            line = self.assert_launch_refused(self.embedded_env(), f"{LOOPBACK}:{self.port} is already in use",
                                              "BPL_ETCD_PROXY_LISTEN_ADDR")
            self.assertNotIn("healthy", line)
            self.assertEqual(grpc_proxies(self.port), [], "a grpc-proxy was started on a taken port")

    # -- the supervisor lock --------------------------------------------------------------------

    def test_another_user_reuses_the_running_proxy_of_root(self) -> None:
        self.launch_serving_app(self.embedded_env())
        [proxy] = grpc_proxies(self.port)
        supervisor = parent_of(proxy)
        # The other user reaches the image and shares TMPDIR, as in one container.
        for directory in (self.lc.tmp_dir, self.lc.logs_dir):
            directory.chmod(0o1777)
        for directory in (self.lc.layers_dir, self.lc.app_dir, *self.lc.layers_dir.parents):
            if directory == Path("/"):
                break
            directory.chmod(directory.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)
        code, log = self.launch_as(NOBODY, "shell", ['echo "endpoints: $ETCDCTL_ENDPOINTS"'], self.embedded_env())
        self.assertEqual(code, 0, log)
        self.assertIn(f"reusing the proxy on {LOOPBACK}:{self.port} (supervisor PID {supervisor} of uid 0)", log)
        self.assertIn(f"endpoints: {LOOPBACK}:{self.port}\n", log)
        self.assertEqual(grpc_proxies(self.port), [proxy])
        self.assertEqual(self.app_request(), "ok app-value")

    def test_localhost_and_127_0_0_1_are_one_listener_with_one_supervisor(self) -> None:
        self.launch_serving_app(self.embedded_env())
        [proxy] = grpc_proxies(self.port)
        supervisor = parent_of(proxy)
        second = self.launch("shell", ['echo "endpoints: $ETCDCTL_ENDPOINTS"'],
                             self.embedded_env(BPL_ETCD_PROXY_LISTEN_ADDR=f"localhost:{self.port}"))
        self.assertEqual(self.wait_exit(second), 0, second.log_text())
        self.assertIn(f"reusing the proxy on localhost:{self.port} (supervisor PID {supervisor})", second.log_text())
        self.assertNotIn("supervisor:", second.log_text(), "a second supervisor ran")
        self.assertEqual(grpc_proxies(self.port), [proxy])

    def test_a_stopped_supervisor_is_not_reused(self) -> None:
        self.launch_serving_app(self.embedded_env())
        [proxy] = grpc_proxies(self.port)
        supervisor = parent_of(proxy)
        os.kill(supervisor, signal.SIGSTOP)
        self.addCleanup(os.kill, supervisor, signal.SIGCONT)
        os.kill(proxy, signal.SIGKILL)  # nothing serves, and the stopped supervisor cannot restart it
        wait_until(lambda: not port_is_open(self.port), 5, what="the killed proxy's port to close")
        started = time.monotonic()
        line = self.assert_launch_refused(self.embedded_env(BPL_ETCD_PROXY_START_TIMEOUT="10"),
                                          f"the supervisor of {LOOPBACK}:{self.port} (PID {supervisor}) is stopped",
                                          f"kill -CONT {supervisor}", another_supervisor=True)
        self.assertNotIn("reusing", line)
        self.assertLess(time.monotonic() - started, 8, "the refusal waited for the start timeout")

    def test_a_lock_held_by_something_that_is_no_supervisor_is_not_reused(self) -> None:
        lock = self.lc.tmp_dir / f"etcd-proxy-supervisor-{os.geteuid()}-{LOOPBACK}_{self.port}.lock"
        with open(lock, "a") as held:
            fcntl.flock(held, fcntl.LOCK_EX)  # this test holds it, and records no supervisor
            line = self.assert_launch_refused(self.embedded_env(BPL_ETCD_PROXY_START_TIMEOUT="10"),
                                              f"the supervisor lock {lock} is held, but not by a running supervisor")
        self.assertNotIn("reusing", line)

    def test_a_planted_lock_is_named_for_what_it_is(self) -> None:
        lock = self.lc.tmp_dir / f"etcd-proxy-supervisor-{os.geteuid()}-{LOOPBACK}_{self.port}.lock"
        for kind, fragment in (("symlink", "is a symbolic link"), ("directory", "is a directory")):
            with self.subTest(kind=kind):
                if kind == "symlink":
                    lock.symlink_to(self.tmp / "elsewhere")
                else:
                    lock.mkdir()
                try:
                    line = self.assert_launch_refused(self.embedded_env(), f"the supervisor lock {lock} {fragment}")
                    self.assertNotIn("must be a writable directory", line)
                finally:
                    lock.rmdir() if kind == "directory" else lock.unlink()

    # -- the supervisor's signals -------------------------------------------------------------

    def test_the_supervisor_outlives_sigpipe_sighup_and_sigusr1(self) -> None:
        self.launch_serving_app(self.embedded_env())
        [proxy] = grpc_proxies(self.port)
        supervisor = parent_of(proxy)
        for sig in (signal.SIGPIPE, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
            os.kill(supervisor, sig)
        time.sleep(0.3)  # a signal's default action is immediate; nothing to wait for
        self.assertNotIn(process_state(supervisor), (None, "Z"), "a signal ended the supervisor")
        self.assertEqual(grpc_proxies(self.port), [proxy], "a signal stopped the proxy")
        os.kill(proxy, signal.SIGKILL)  # it still supervises
        wait_until(lambda: is_healthy(proxy_health(self.port, timeout=0.5)) and grpc_proxies(self.port) not in ([], [proxy]),
                   15, interval=0.05, what="the supervisor to restart the proxy")
        self.assertEqual(self.app_request(), "ok app-value")

    def test_a_supervisor_stopped_under_an_app_that_is_pid_1_is_never_a_zombie(self) -> None:
        # One container: the launcher is PID 1 of a PID namespace (or, under the real launcher's
        # driver, a child subreaper) and execs the app, which keeps its PID and, like most apps,
        # reaps no child it did not start: the detached supervisor is the app's child.
        _, plan = self.lc.launcher_command("shell", ["exec sleep 60"], self.embedded_env())
        container = spawn([UNSHARE, "--pid", "--fork", "--mount-proc", "--kill-child", "--", *plan.argv],
                          env=plan.env, cwd=plan.cwd, log_path=self.tmp / "container.log")
        self.addCleanup(container.stop, 2)
        wait_until(lambda: grpc_proxies(self.port) or container.poll() is not None, START_TIMEOUT,
                   what="the proxy in the container")
        [proxy] = grpc_proxies(self.port)
        supervisor = parent_of(proxy)
        app = parent_of(supervisor)
        self.assertEqual(Path(f"/proc/{app}/cmdline").read_bytes().split(b"\0")[:2], [b"sleep", b"60"],
                         "the app does not reap the supervisor, so the test proves nothing")
        os.kill(supervisor, signal.SIGTERM)
        wait_until(lambda: process_state(proxy) is None, 5, interval=0.01, what="the proxy to stop")
        wait_until(lambda: process_state(supervisor) in (None, "Z") or "waiting for the app" in container.log_text(),
                   5, interval=0.01, what="the supervisor to stop the proxy")
        time.sleep(0.2)
        self.assertNotIn(process_state(supervisor), ("Z", None),
                         f"the supervisor exited under PID 1, which never reaps it\n{container.log_text()}")
        self.assertEqual(grpc_proxies(self.port), [])

    # -- exec.d's endpoint wiring ------------------------------------------------------------

    def test_exec_d_wires_the_app_only_to_a_checked_listen_address(self) -> None:
        base = {"BPL_ETCD_PROXY_ENDPOINTS": self.cluster.endpoints[0]}  # embedded mode off
        cases = ((f"{LOOPBACK}:{self.port},10.9.9.9:2379", f'BPL_ETCD_PROXY_LISTEN_ADDR="{LOOPBACK}:{self.port},10.9.9.9:2379"'),
                 (f"http://user:S3CRET@{LOOPBACK}:{self.port}", "BPL_ETCD_PROXY_LISTEN_ADDR=\"http://***@"))
        for listen, fragment in cases:
            with self.subTest(listen=listen):
                line = self.assert_launch_refused({**base, "BPL_ETCD_PROXY_LISTEN_ADDR": listen}, fragment)
                self.assertNotIn("S3CRET", line)


class ShutdownDelayGroupSignalTest(HelperTestCase):
    """BPL_ETCD_PROXY_SHUTDOWN_DELAY when the signal goes to the whole process group."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cluster = cls.class_cluster()

    def sidecar(self, delay: str = "3"):
        env = self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS=self.cluster.endpoints[0], BPL_ETCD_PROXY_SHUTDOWN_DELAY=delay)
        proc, port = self.start_proxy(env)
        [proxy] = grpc_proxies(port)
        return proc, port, proxy

    def test_a_process_group_sigterm_keeps_the_proxy_serving_for_the_delay(self) -> None:
        delay = 3.0
        proc, port, proxy = self.sidecar(str(int(delay)))
        sigterm = time.monotonic()
        os.killpg(os.getpgid(proc.pid), signal.SIGTERM)  # dumb-init, tini -g, kill -TERM -PGID
        served = 0
        while time.monotonic() - sigterm < delay - 1.0:
            put = self.etcdctl(port, "put", unique_key("group-sigterm"), "v")
            self.assertEqual(put.code, 0, f"{put.describe()}\n{proc.log_text()}")
            served += 1
        self.assertGreater(served, 0)
        self.assertEqual(proc.wait(timeout=delay + 15), 0, proc.log_text())
        self.assertGreaterEqual(time.monotonic() - sigterm, delay - 0.1)
        self.assertIsNone(process_state(proxy))
        self.assertIn("SIGTERM: the proxy keeps serving for 3 s", proc.log_text())

    def test_ctrl_c_to_the_group_still_stops_both_at_once(self) -> None:
        proc, port, proxy = self.sidecar("30")
        os.killpg(os.getpgid(proc.pid), signal.SIGINT)
        self.assertEqual(proc.wait(timeout=10), 128 + signal.SIGINT, proc.log_text())
        self.assertIsNone(process_state(proxy))
        self.assertFalse(port_is_open(port))

    def test_a_killed_helper_leaves_no_proxy(self) -> None:
        proc, port, proxy = self.sidecar("30")
        os.kill(proc.pid, signal.SIGKILL)
        wait_until(lambda: process_state(proxy) in (None, "Z"), 5, interval=0.01, what="the proxy to die with its parent")


class PassThroughTest(HelperTestCase):
    """Arguments after ``etcd-proxy`` cannot set what the helper sets from its settings or checks."""

    fake_etcd_version = "3.5.33"

    def test_pass_through_flags_the_helper_checks_are_refused(self) -> None:
        port = free_port()
        env = self.proxy_env(port, BPL_ETCD_PROXY_ENDPOINTS="10.0.0.1:2379")
        cases = ((["--listen-addr=0.0.0.0:%d" % port], "BPL_ETCD_PROXY_LISTEN_ADDR"),
                 (["--listen-addr", "0.0.0.0:%d" % port], "BPL_ETCD_PROXY_LISTEN_ADDR"),
                 ([f"--endpoints={LOOPBACK}:{port}"], "BPL_ETCD_PROXY_ENDPOINTS"),
                 (["--insecure-skip-tls-verify"], "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY"))
        for args, setting in cases:
            for mode in ([], ["print"]):
                with self.subTest(args=args, mode=mode):
                    result = self.image.run_helper(mode + args, env, timeout=10)
                    self.assertEqual(result.code, 1, result.output)
                    [line] = [l for l in result.lines if l.startswith("etcd-proxy")]
                    self.assertTrue(line.startswith(HELPER_ERROR_PREFIX), line)
                    self.assertIn(f"set {setting} instead", line)
        self.assertFalse(port_is_open(port))

    def test_flags_the_helper_leaves_alone_still_pass(self) -> None:
        result = self.image.run_helper(["print", "--max-send-bytes=4194304"],
                                       self.proxy_env(BPL_ETCD_PROXY_ENDPOINTS="10.0.0.1:2379"))
        self.assertEqual(result.code, 0, result.output)
        self.assertIn("--max-send-bytes=4194304", result.lines)


class VersionProbeTest(unittest.TestCase):
    """``etcd --version`` that leaves a child holding its output does not stall the build."""

    def test_a_child_left_on_stdout_costs_nothing(self) -> None:
        version = "3.6.14"
        with tempfile.TemporaryDirectory() as tmp, DownloadServer() as site:
            children = Path(tmp, "children")
            script = tarballs.fake_etcd_script(version).replace(b"\n", f"\nsleep 60 & echo $! >> {children}\n".encode(), 1)
            tarball = tarballs.fake_etcd_release(version, extra_files={"etcd": (script, 0o755)})
            url = site.add_file(f"/{tarballs.release_top_dir(version)}.tar.gz", tarball)
            buildpack = make_test_buildpack(Path(tmp, "bp"), [make_dependency(version, url, tarballs.sha256_hex(tarball))],
                                            default_version=version)
            with Lifecycle(buildpack, Path(tmp, "root")) as lc:
                started = time.monotonic()
                result = lc.build()
                took = time.monotonic() - started
                self.assertEqual(result.code, 0, result.describe())
                self.assertLess(took, 10, f"the build waited {took:.1f} s for etcd --version's child")
                left = [int(pid) for pid in children.read_text().split()]
                self.assertTrue(left, "the stand-in etcd never ran")
                wait_until(lambda: all(process_state(pid) in (None, "Z") for pid in left), 5,
                           what="etcd --version's child to be ended with it")


if __name__ == "__main__":
    unittest.main()

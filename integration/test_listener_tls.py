"""The proxy's own TLS listener (BPL_ETCD_PROXY_LISTEN_CERT, _LISTEN_KEY, _LISTEN_CLIENT_CA): what
etcd's grpc-proxy cannot serve with is refused before anything starts, and `etcd-proxy health`
trusts only the listener it configured and never prompts for a passphrase.

Why each refusal: etcd 3.5 and later dial their own --advertise-client-url with the listener's
files (server/etcdmain/grpc_proxy.go, newProxyHealthClient): as a client they verify the listener
certificate against --trusted-ca-file (Go's system roots without one), for serverAuth and within its
validity, and with a trusted CA the listener demands the same certificate back for clientAuth.
Every version loads the key with Go's tls.X509KeyPair and exits when it cannot.
RealGrpcProxyListenerRulesTest runs the real grpc-proxy (Debian's 3.4.23 and 3.5.x, and 3.6.14
from ../shared/tools) with each broken listener to show it fails there too.

    /usr/bin/python3 -m unittest -v test_listener_tls
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import ssl
import subprocess
import tempfile
import termios
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from harness import config, etcd_builds
from harness.config import REPO_ROOT
from harness.fixtures.embedded import EmbeddedTestCase
from harness.fixtures.launched import HelperTestCase
from harness.fixtures.output import HELPER_ERROR_PREFIX
from harness.listener_pki import ENCRYPTED_KEY_PASSPHRASE, Listener, ListenerPki, make_listener_pki
from harness.ports import LOOPBACK, free_port
from harness.processes import RunResult, run
from harness.waiting import wait_until

ETCD_36 = REPO_ROOT.parent / "shared" / "tools" / "etcd-3.6" / "bin" / "etcd"
SELF_DIAL_SECONDS = 5  # grpc-proxy's DialTimeout for its own advertised URL (newProxyClientCfg)

# Each broken listener: the ListenerPki field, whether it comes with the client CA, what the helper
# says, and what the real grpc-proxy 3.5+/3.6 prints before it exits.
SELF_DIAL_CASES = (
    ("good", False, "is not issued by a CA the system trusts", "x509: certificate signed by unknown authority"),
    ("foreign", True, "is not issued by a CA in BPL_ETCD_PROXY_LISTEN_CLIENT_CA", "x509: certificate signed by unknown authority"),
    ("expired", True, "expired on 2021-01-01 00:00:00 UTC", "x509: certificate has expired or is not yet valid"),
    ("not_yet_valid", True, "is not valid before 2040-01-01 00:00:00 UTC", "x509: certificate has expired or is not yet valid"),
    ("server_only", True, "does not allow clientAuth", "tls: bad certificate"),
)
KEY_CASES = (  # every version: the key is loaded with the certificate at start
    ("wrong_key", "is not the key of the certificate in BPL_ETCD_PROXY_LISTEN_CERT", "private key does not match public key"),
    ("encrypted_key", "holds an encrypted private key", "failed to parse private key"),
    ("empty_key", "is empty", "tls: failed to find any PEM data in key input"),
)


def etcd_36() -> Path:
    if not ETCD_36.is_file():
        config.missing_prerequisite(f"etcd 3.6.14 is not at {ETCD_36} (the shared tools)")
    return ETCD_36


def class_listener_pki(test_class: Any) -> ListenerPki:
    holder = tempfile.TemporaryDirectory(prefix="etcdproxy-listener-pki-")
    test_class.addClassCleanup(holder.cleanup)
    return make_listener_pki(Path(holder.name) / "pki")


def listener_settings(listener: Listener, client_ca: Path | None) -> dict[str, str]:
    settings = {"BPL_ETCD_PROXY_LISTEN_CERT": str(listener.cert), "BPL_ETCD_PROXY_LISTEN_KEY": str(listener.key)}
    if client_ca is not None:
        settings["BPL_ETCD_PROXY_LISTEN_CLIENT_CA"] = str(client_ca)
    return settings


class RealGrpcProxyListenerRulesTest(unittest.TestCase):
    """The real grpc-proxy with each listener the helper refuses (all started at once: each fails
    only after its self-dial's 5 s), and with two it accepts, which keep running."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.listeners = class_listener_pki(cls)

    def grpc_proxy(self, etcd: Path, listener: Listener, client_ca: Path | None, env: dict[str, str] | None = None,
                   timeout: float = SELF_DIAL_SECONDS + 7) -> RunResult:
        port = free_port()
        with tempfile.TemporaryDirectory(prefix="etcdproxy-listener-") as tmp:
            argv = [str(etcd), "grpc-proxy", "start", f"--endpoints={LOOPBACK}:{free_port()}",
                    f"--listen-addr={LOOPBACK}:{port}", f"--advertise-client-url=https://{LOOPBACK}:{port}",
                    f"--data-dir={tmp}/data", f"--cert-file={listener.cert}", f"--key-file={listener.key}"]
            if client_ca is not None:
                argv.append(f"--trusted-ca-file={client_ca}")
            return run(argv, env={"PATH": "/usr/bin:/bin", **(env or {})}, timeout=timeout, timeout_ok=True)

    def test_each_refused_listener_fails_the_real_grpc_proxy_and_the_accepted_ones_serve(self) -> None:
        jobs: list[tuple[str, str, str | None, Any]] = []  # (etcd line, listener, what it prints, run)
        with ThreadPoolExecutor(max_workers=16) as pool:
            for line, etcd in (("3.5", etcd_builds.require_etcd35(self).etcd), ("3.6", etcd_36())):
                for field, with_ca, _, upstream in SELF_DIAL_CASES:
                    jobs.append((line, field, upstream, pool.submit(
                        self.grpc_proxy, etcd, getattr(self.listeners, field), self.listeners.ca if with_ca else None)))
                # Accepted: the CA-issued listener with the client CA, and without one when Go's roots
                # (SSL_CERT_FILE here) hold its CA.
                jobs.append((line, "good with the client CA", None,
                             pool.submit(self.grpc_proxy, etcd, self.listeners.good, self.listeners.ca)))
                jobs.append((line, "good with SSL_CERT_FILE", None, pool.submit(
                    self.grpc_proxy, etcd, self.listeners.good, None, {"SSL_CERT_FILE": str(self.listeners.ca)})))
            for line, etcd in (("3.4", etcd_builds.installed().etcd), ("3.6", etcd_36())):
                for field, _, upstream in KEY_CASES:
                    jobs.append((line, field, upstream,
                                 pool.submit(self.grpc_proxy, etcd, getattr(self.listeners, field), None)))
            key_fields = {case[0] for case in KEY_CASES}
            causes_seen: dict[str, bool] = {}
            for line, field, upstream, future in jobs:
                result = future.result()
                with self.subTest(f"{line} {field}"):
                    if upstream is None:
                        self.assertTrue(result.timed_out, f"grpc-proxy exited\n{result.describe()}")
                        continue
                    self.assertFalse(result.timed_out, f"grpc-proxy kept running\n{result.describe()}")
                    self.assertGreater(result.code, 0, result.describe())
                    if field in key_fields:
                        self.assertIn(upstream, result.output)  # printed at once, before anything else
                    else:  # the self-dial gave up; its handshake errors are logged as they happen
                        self.assertIn("context deadline exceeded", result.output)
                        causes_seen[field] = causes_seen.get(field, False) or upstream in result.output
            # On a loaded machine a handshake may not finish within the 5 s: each cause shows at least once.
            for field, seen in causes_seen.items():
                self.assertTrue(seen, f"no run with the {field} listener logged its cause")


class ListenerRefusalTests:
    """The helper refuses each listener the real grpc-proxy cannot serve with (a mixin: the
    classes below run it on an image of one etcd line)."""

    listeners: ListenerPki  # not `pki`: HelperTestCase reads that as the client PKI

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.listeners = class_listener_pki(cls)

    def env(self, listener: Listener, client_ca: Path | None, **extra: str) -> dict[str, str]:
        return self.embedded_env(**listener_settings(listener, client_ca), **extra)

    def print_result(self, env: dict[str, str]):
        return self.image.run_helper(["print"], {k: v for k, v in env.items() if k != "BPL_ETCD_PROXY_EMBEDDED"})

    def test_a_listener_key_that_cannot_be_loaded_is_refused(self) -> None:
        for field, fragment, _ in KEY_CASES:
            with self.subTest(field):
                listener = getattr(self.listeners, field)
                line = self.assert_refused(self.print_result(self.env(listener, self.listeners.ca)),
                                           f"BPL_ETCD_PROXY_LISTEN_KEY ({listener.key}) {fragment}")
                self.assertNotIn(ENCRYPTED_KEY_PASSPHRASE, line)

    def test_an_embedded_launch_with_an_unusable_listener_never_starts_the_app(self) -> None:
        self.assert_launch_refused(self.env(self.listeners.wrong_key, self.listeners.ca),
                                   HELPER_ERROR_PREFIX + "BPL_ETCD_PROXY_LISTEN_KEY")


class ListenerRefusalEtcd34Test(ListenerRefusalTests, EmbeddedTestCase):
    """3.4 does not dial itself: a listener only its clients would reject is a warning there."""

    etcd_line = "3.4"

    def test_self_dial_problems_are_not_refused_and_an_expired_certificate_is_a_warning(self) -> None:
        for field, with_ca, _, _ in SELF_DIAL_CASES:
            with self.subTest(field):
                result = self.print_result(self.env(getattr(self.listeners, field), self.listeners.ca if with_ca else None))
                self.assert_exit_ok(result)
        # What 3.4's clients would meet is a warning when the proxy starts (print shows none).
        proc = self.image.launch(None, self.env(self.listeners.expired, self.listeners.ca))
        self.addCleanup(proc.stop, 2)
        wait_until(lambda: "etcd-proxy: WARNING" in proc.log_text() or proc.poll() is not None, 15,
                   what="the helper's warning")
        warnings = [line for line in proc.log_text().splitlines() if line.startswith("etcd-proxy: WARNING:")]
        self.assertEqual(len(warnings), 1, proc.log_text())
        self.assertIn("expired on 2021-01-01 00:00:00 UTC: clients that verify it will fail", warnings[0])


class ListenerRefusalEtcd35Test(ListenerRefusalTests, EmbeddedTestCase):
    etcd_line = "3.5"

    def test_a_listener_the_self_dial_rejects_is_refused_naming_the_certificate(self) -> None:
        for field, with_ca, fragment, _ in SELF_DIAL_CASES:
            with self.subTest(field):
                listener = getattr(self.listeners, field)
                self.assert_refused(self.print_result(self.env(listener, self.listeners.ca if with_ca else None)),
                                    f"BPL_ETCD_PROXY_LISTEN_CERT ({listener.cert}) {fragment}",
                                    f"etcd {self.etcd_build().version}'s grpc-proxy dials its advertised URL")

    def test_a_listener_the_system_roots_trust_needs_no_client_ca_and_serves(self) -> None:
        env = self.env(self.listeners.good, None, SSL_CERT_FILE=str(self.listeners.ca))
        app = self.launch("shell", ['echo "endpoints: $ETCDCTL_ENDPOINTS"'], env)
        self.addCleanup(self.stop_supervisor)
        self.assertEqual(self.wait_exit(app), 0, app.log_text())
        self.assertIn(f"etcd-proxy: embedded: {LOOPBACK}:{self.port} is healthy (GET /proxy/health) after", app.log_text())
        self.assertNotIn("WARNING", app.log_text())

    def test_an_embedded_launch_with_an_expired_listener_never_starts_the_app(self) -> None:
        self.assert_launch_refused(self.env(self.listeners.expired, self.listeners.ca), "expired on 2021-01-01")


class _HealthyAnswer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = json.dumps({"health": "true", "reason": ""}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class TlsImpostor:
    """An https server on loopback that answers every GET healthy, with the certificate it is given."""

    def __init__(self, listener: Listener) -> None:
        self.port = free_port()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(listener.cert), str(listener.key))
        self.server = ThreadingHTTPServer((LOOPBACK, self.port), _HealthyAnswer)
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HealthProbeTest(HelperTestCase):
    """`etcd-proxy health` on a TLS listener: only the configured listener's certificate counts as
    the proxy, and a key it cannot use ends the probe at once, without a passphrase prompt."""

    fake_etcd_version = "3.6.14"  # the probe never runs etcd

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.listeners = class_listener_pki(cls)

    def serve(self, listener: Listener) -> TlsImpostor:
        server = TlsImpostor(listener)
        self.addCleanup(server.stop)
        return server

    def health_env(self, port: int, listener: Listener) -> dict[str, str]:
        return {"BPL_ETCD_PROXY_LISTEN_ADDR": f"{LOOPBACK}:{port}", **listener_settings(listener, self.listeners.ca)}

    def test_a_self_signed_impostor_on_the_port_is_not_healthy(self) -> None:
        impostor = self.serve(self.listeners.foreign)  # covers 127.0.0.1, valid, but not the listener's certificate
        result = self.image.run_helper(["health", "--timeout", "2"], self.health_env(impostor.port, self.listeners.good))
        self.assertGreater(result.code, 0, result.output)
        self.assertIn(f"the etcd proxy at {LOOPBACK}:{impostor.port} is not healthy", result.output)
        self.assertIn("certificate", result.output)
        # The control: the same server with the listener's own certificate answers healthy.
        genuine = self.serve(self.listeners.good)
        self.assert_exit_ok(self.image.run_helper(["health", "--timeout", "5"], self.health_env(genuine.port, self.listeners.good)))

    def test_an_encrypted_key_ends_the_probe_at_once_without_a_prompt(self) -> None:
        server = self.serve(self.listeners.good)
        env = self.health_env(server.port, self.listeners.encrypted_key)
        plain = self.image.run_helper(["health", "--timeout", "20"], env, timeout=10)
        self.assertGreater(plain.code, 0, plain.output)
        self.assertEqual(len(plain.lines), 1, plain.output)
        self.assertTrue(plain.lines[0].startswith(
            f"{HELPER_ERROR_PREFIX}BPL_ETCD_PROXY_LISTEN_KEY ({self.listeners.encrypted_key.key}) holds an encrypted private key"),
            plain.output)
        self.assertLess(plain.duration, 5, plain.output)
        # On a terminal OpenSSL's default would prompt "Enter PEM pass phrase:" and wait there.
        code, output, duration = self.run_on_a_terminal(["health", "--timeout", "20"], env, timeout=10)
        self.assertNotIn("pass phrase", output.lower())
        self.assertGreater(code, 0, output)
        self.assertIn("holds an encrypted private key", output)
        self.assertLess(duration, 5, output)

    def run_on_a_terminal(self, args: list[str], env: dict[str, str], timeout: float) -> tuple[int, str, float]:
        """Launch the process (through the launcher ``Image.launch`` uses) with a pseudo-terminal as
        its controlling terminal and stdio."""
        _, plan = self.image.lc.launcher_command("etcd-proxy", args, env)
        primary, secondary = pty.openpty()

        def take_terminal() -> None:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        started = time.monotonic()
        proc = subprocess.Popen(plan.argv, env=plan.env, cwd=plan.cwd,
                                stdin=secondary, stdout=secondary, stderr=secondary, start_new_session=True,
                                preexec_fn=take_terminal)
        os.close(secondary)
        output = b""
        try:
            while time.monotonic() - started < timeout:
                ready, _, _ = select.select([primary], [], [], 0.1)
                if ready:
                    try:
                        chunk = os.read(primary, 4096)
                    except OSError:  # the terminal closed: every holder of it exited
                        break
                    if not chunk:
                        break
                    output += chunk
                elif proc.poll() is not None:
                    break
            try:  # the terminal closes as the process exits, a moment before it can be reaped
                code = proc.wait(timeout=max(0.5, timeout - (time.monotonic() - started)))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
                self.fail(f"etcd-proxy {' '.join(args)} still ran after {timeout:.0f}s on a terminal:\n{output.decode(errors='replace')}")
            return code, output.decode(errors="replace"), time.monotonic() - started
        finally:
            os.close(primary)


if __name__ == "__main__":
    unittest.main()

"""scripts/demo.sh's second half: the buildpack end to end against a throwaway local etcd.

The "download site" is a loopback HTTP server holding an upstream-layout release tarball built
from Debian's etcd binaries, and the demo buildpack is this repository's buildpack with its
dependency list pointed at that tarball (the real entries pin upstream releases, which this
offline machine cannot fetch)."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "integration"))

from harness import tarballs  # noqa: E402
from harness.buildpack_toml import make_dependency, make_test_buildpack  # noqa: E402
from harness.etcd_cluster import EtcdCluster  # noqa: E402
from harness.http_server import DownloadServer  # noqa: E402
from harness.lifecycle import Lifecycle  # noqa: E402
from harness.ports import free_port  # noqa: E402
from harness.waiting import port_is_open  # noqa: E402


def step(text: str) -> None:
    print(f"\n==> {text}", flush=True)


def indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())


def etcdctl(endpoint: str, *args: str) -> str:
    out = subprocess.run(["etcdctl", f"--endpoints={endpoint}", *args], env={**os.environ, "ETCDCTL_API": "3"},
                         capture_output=True, text=True, timeout=20, check=True)
    return out.stdout.strip()


def embedded_mode(lc: Lifecycle, backend: str, listen: str) -> bool:
    """One container: the launcher runs exec.d, which starts a supervised proxy, then the app."""
    step("Embedded mode (one container, e.g. docker run): BPL_ETCD_PROXY_EMBEDDED=true, "
         "the fixture app as the image's web process")
    lc.add_app_process("web", ["/usr/bin/python3", "app.py"])
    env = {"BPL_ETCD_PROXY_EMBEDDED": "true", "BPL_ETCD_PROXY_ENDPOINTS": backend,
           "BPL_ETCD_PROXY_LISTEN_ADDR": listen}
    app = lc.launch("web", None, env=env)
    code = app.wait(timeout=60)
    print(indent(app.log_text()))
    if code != 0:
        return False
    lock = lc.tmp_dir / f"etcd-proxy-supervisor-{listen.replace(':', '_')}.lock"
    supervisor = int(lock.read_text().strip())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and port_is_open(int(listen.rsplit(":", 1)[1])):
        time.sleep(0.05)
    gone = not port_is_open(int(listen.rsplit(":", 1)[1]))
    print(indent(f"the app exited {code}; its supervisor (PID {supervisor}) and proxy "
                 f"{'stopped with it' if gone else 'are STILL RUNNING'}"))
    return gone


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="etcd-proxy-demo-") as tmp, DownloadServer() as site:
        tmp = Path(tmp)
        os.environ.setdefault("ETCDPROXY_TEST_CACHE", str(ROOT / "build" / "test-cache"))
        step("Preparing a download site with an upstream-layout etcd release (Debian's etcd 3.4.23)")
        version = tarballs.debian_etcd_version()
        tarball = tarballs.debian_etcd_release()
        url = site.add_file(f"/etcd-io/etcd/releases/download/v{version}/{tarball.name}", tarball)
        buildpack = make_test_buildpack(tmp / "buildpack", [make_dependency(version, url, tarballs.sha256_hex(tarball))],
                                        default_version=version)
        print(indent(f"{url}\nsha256 {tarballs.sha256_hex(tarball)}"))

        with Lifecycle(buildpack, tmp / "lifecycle", app_fixture=ROOT / "fixtures" / "apps" / "hello") as lc:
            step("bin/detect")
            detect = lc.detect()
            print(indent(f"{detect.stdout.strip()}\nexit {detect.code}; the build plan it wrote:\n{detect.plan_text}"))
            if detect.code != 0:
                return 1
            step("bin/build (first build)")
            build = lc.build()
            print(build.stdout.rstrip())
            if build.code != 0:
                print(build.stderr, file=sys.stderr)
                return 1
            build.validate()
            step("Layers the image gets")
            for path in sorted(lc.layers_dir.rglob("*")):
                if path.is_file():
                    print(indent(f"{path.relative_to(lc.layers_dir)}  ({path.stat().st_size} bytes)"))

            step("Rebuild after the lifecycle's restore (no download expected)")
            lc.restore()
            started = time.monotonic()
            rebuild = lc.build()
            took = (time.monotonic() - started) * 1000
            print("\n".join(line for line in rebuild.stdout.splitlines() if "Reusing" in line))
            print(indent(f"rebuild took {took:.0f} ms; requests to the download site in total: {len(site.requests)}"))

            with EtcdCluster(size=1) as cluster:
                backend = cluster.endpoints[0]
                listen = "127.0.0.1:2379" if not port_is_open(2379) else f"127.0.0.1:{free_port()}"
                step(f"A throwaway etcd runs at {backend}; starting the image's etcd-proxy process on {listen}")
                env = {"BPL_ETCD_PROXY_ENDPOINTS": backend, "BPL_ETCD_PROXY_LISTEN_ADDR": listen}
                printed = lc.launch("etcd-proxy", ["print"], env=env)
                printed.wait(timeout=10)
                print(indent("etcd-proxy print:\n" + printed.log_text()))
                proxy = lc.launch("etcd-proxy", None, env=env)
                health = lc.launch("etcd-proxy", ["health", "--timeout", "15"], env=env)
                if health.wait(timeout=30) != 0:
                    print(health.log_text(), proxy.log_text(), file=sys.stderr)
                    return 1
                print(indent(health.log_text()))
                cmdline = Path(f"/proc/{proxy.pid}/cmdline").read_bytes().split(b"\0")
                print(indent(f"PID {proxy.pid} runs: {' '.join(a.decode() for a in cmdline[:3])} ..."))

                step(f"put/get through the proxy with etcdctl --endpoints={listen}")
                print(indent(etcdctl(listen, "put", "greeting", "hello from behind the proxy")))
                print(indent(etcdctl(listen, "get", "greeting")))
                step(f"The same key, read directly from the etcd server at {backend}")
                print(indent(etcdctl(backend, "get", "greeting")))
                step("The fixture app (python3-etcd3, given ETCD_ENDPOINTS) runs twice through the proxy")
                for _ in range(2):
                    app = subprocess.run(["/usr/bin/python3", "app.py"], cwd=lc.app_dir, capture_output=True, text=True,
                                         env={**os.environ, "ETCD_ENDPOINTS": listen}, timeout=30)
                    print(indent(app.stdout + app.stderr))
                    if app.returncode != 0:
                        return 1
                proxy.stop()

                if not embedded_mode(lc, backend, listen):
                    return 1
        step("Done: the app talks to the proxy's address only; everything was cleaned up")
    return 0


if __name__ == "__main__":
    sys.exit(main())

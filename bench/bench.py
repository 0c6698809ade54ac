"""Measures the buildpack against the targets of docs/performance.md and prints a table with the baseline beside each figure.

- cold install: bin/detect + bin/build into an empty layers dir, downloading from a loopback
  mirror; baseline: `curl -o f URL && sha256sum f && tar xzf f` (download, hash, unpack);
- rebuild with the layer unchanged: wall time and requests to the mirror (must be 0);
- peak RSS of the cold build (/usr/bin/time -v);
- `etcd-proxy print`, and the time from starting the helper to the proxy answering /health
  healthy, beside `etcd grpc-proxy start` run directly;
- embedded mode (bench/embedded.py): how long exec.d holds the app's start, beside the same direct
  start, and how long a killed proxy takes to serve again."""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "integration"))

from embedded import embedded_start, first_restart  # noqa: E402
from harness import tarballs  # noqa: E402
from harness.buildpack_toml import make_dependency, make_test_buildpack  # noqa: E402
from harness.etcd_cluster import EtcdCluster  # noqa: E402
from harness.http_server import DownloadServer  # noqa: E402
from harness.ports import free_port  # noqa: E402


def timed(argv, env=None, cwd=None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


class Workspace:
    """A buildpack copy pointing at the mirror, and fresh lifecycle directories per run."""

    def __init__(self, tmp: Path, url: str, sha256: str, version: str):
        self.tmp = tmp
        self.buildpack = make_test_buildpack(tmp / "buildpack", [make_dependency(version, url, sha256)],
                                             default_version=version)
        self.platform = tmp / "platform"
        (self.platform / "env").mkdir(parents=True)
        # detect runs in the app directory and passes on the etcd client the app declares.
        self.app = tmp / "app"
        self.app.mkdir()
        (self.app / "requirements.txt").write_text("etcd3>=0.12\n")

    def env(self, layers: Path, plan: Path) -> dict:
        return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
                "CNB_BUILDPACK_DIR": str(self.buildpack), "CNB_PLATFORM_DIR": str(self.platform),
                "CNB_LAYERS_DIR": str(layers), "CNB_BP_PLAN_PATH": str(plan), "CNB_BUILD_PLAN_PATH": str(plan)}

    def fresh(self, name: str) -> tuple[Path, Path]:
        layers = self.tmp / name / "layers"
        shutil.rmtree(layers.parent, ignore_errors=True)
        layers.mkdir(parents=True)
        plan = layers.parent / "plan.toml"
        plan.write_text("")
        return layers, plan

    def detect_and_build(self, layers: Path, plan: Path, wrap=()) -> float:
        env = self.env(layers, plan)
        started = time.perf_counter()
        subprocess.run([self.buildpack / "bin" / "detect"], env=env, cwd=self.app, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*wrap, self.buildpack / "bin" / "build"], env=env, cwd=self.app, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if wrap else None)
        return time.perf_counter() - started


def peak_rss_kb(workspace: Workspace) -> int:
    layers, plan = workspace.fresh("rss")
    env = workspace.env(layers, plan)
    out = subprocess.run(["/usr/bin/time", "-v", workspace.buildpack / "bin" / "build"], env=env,
                         capture_output=True, text=True, check=True)
    for line in out.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    raise RuntimeError("no RSS in /usr/bin/time output")


def wait_healthy(address: str, deadline: float) -> float:
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://{address}/health", timeout=0.5) as response:
                if json.loads(response.read()).get("health") == "true":
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.002)
    raise TimeoutError(f"{address} never became healthy")


def proxy_start(argv, env, address: str) -> float:
    """Seconds from starting `argv` until the proxy at `address` answers /health healthy."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return wait_healthy(address, started + 20) - started
    finally:
        process.kill()
        process.wait()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per measure (median; at least 5)")
    args = parser.parse_args()
    repeat = max(5, args.repeat)
    os.environ.setdefault("ETCDPROXY_TEST_CACHE", str(ROOT / "build" / "test-cache"))
    tarball = tarballs.debian_etcd_release()
    version = tarballs.debian_etcd_version()
    sha256 = tarballs.sha256_hex(tarball)
    rows = []
    with tempfile.TemporaryDirectory(prefix="etcd-proxy-bench-") as tmp, DownloadServer() as mirror:
        tmp = Path(tmp)
        url = mirror.add_file(f"/github.com/etcd-io/etcd/releases/download/v{version}/{tarball.name}", tarball)
        workspace = Workspace(tmp, url, sha256, version)

        cold, baseline = [], []
        for i in range(repeat):  # interleaved, so both see the same machine
            layers, plan = workspace.fresh("cold")
            cold.append(workspace.detect_and_build(layers, plan))
            shell = tmp / "shell"
            shutil.rmtree(shell, ignore_errors=True)
            shell.mkdir()
            baseline.append(timed(["sh", "-c", f"curl -s -o f {url} && sha256sum f >/dev/null && tar xzf f"], cwd=shell))
        ratio = statistics.median(cold) / statistics.median(baseline)
        rows.append(("cold install (detect + build, 14 MB from loopback)", ms(statistics.median(cold)),
                     f"curl -o && sha256sum && tar xzf: {ms(statistics.median(baseline))}",
                     f"{ratio:.2f}× baseline (target ≤ 0.8×)"))

        layers, plan = workspace.fresh("rebuild")
        workspace.detect_and_build(layers, plan)
        before = len(mirror.requests)
        rebuild = [workspace.detect_and_build(layers, plan) for _ in range(max(repeat, 15))]
        requests = len(mirror.requests) - before
        rows.append(("rebuild, unchanged layer (detect + build)", ms(statistics.median(rebuild)),
                     f"network requests: {requests}", "target < 50 ms, 0 requests"))

        rss = statistics.median(peak_rss_kb(workspace) for _ in range(3))
        rows.append(("peak RSS of a cold build", f"{rss / 1024:.1f} MB", f"tarball {len(tarball.read_bytes()) / 2**20:.1f} MB",
                     "target < 32 MB"))

        etcd_bin = layers / "etcd" / "bin" / "etcd"
        helper = layers / "helper" / "bin" / "etcd-proxy"
        with EtcdCluster(size=1) as cluster:
            env = {"PATH": f"{etcd_bin.parent}:/usr/bin:/bin", "TMPDIR": str(tmp),
                   "BPL_ETCD_PROXY_ENDPOINTS": cluster.endpoints[0]}
            printing = [timed([helper, "print"], env={**env, "BPL_ETCD_PROXY_LISTEN_ADDR": "127.0.0.1:1"})
                        for _ in range(max(repeat, 30))]
            true_cmd = [timed(["/bin/true"]) for _ in range(max(repeat, 30))]
            rows.append(("etcd-proxy print", ms(statistics.median(printing)),
                         f"/bin/true: {ms(statistics.median(true_cmd))}", "target < 10 ms"))
            start_helper, start_direct = [], []
            for _ in range(repeat):
                listen = f"127.0.0.1:{free_port()}"
                start_helper.append(proxy_start([helper], {**env, "BPL_ETCD_PROXY_LISTEN_ADDR": listen}, listen))
                listen = f"127.0.0.1:{free_port()}"
                start_direct.append(proxy_start([etcd_bin, "grpc-proxy", "start", f"--endpoints={cluster.endpoints[0]}",
                                                 f"--listen-addr={listen}", f"--advertise-client-url=http://{listen}",
                                                 f"--data-dir={tmp}/direct"], env, listen))
            rows.append(("helper start → proxy answers /health healthy", ms(statistics.median(start_helper)),
                         f"etcd grpc-proxy start directly: {ms(statistics.median(start_direct))}",
                         f"helper overhead {ms(max(0.0, statistics.median(start_helper) - statistics.median(start_direct)))}"))
            helper_layer = helper.parent.parent
            embedded = [embedded_start(helper_layer, env, tmp) for _ in range(repeat)]
            overhead = statistics.median(embedded) - statistics.median(start_direct)
            rows.append(("embedded: exec.d holds the app's start", ms(statistics.median(embedded)),
                         f"etcd grpc-proxy start directly: {ms(statistics.median(start_direct))}",
                         f"overhead {ms(max(0.0, overhead))} (target < 100 ms)"))
            restart = [first_restart(helper_layer, env, tmp, wait_healthy) for _ in range(repeat)]
            rows.append(("embedded: kill -9 proxy → healthy again", ms(statistics.median(restart)),
                         f"backoff 500 ms + direct start {ms(statistics.median(start_direct))}",
                         f"worst {ms(max(restart))} (target < 1 s)"))

    widths = [max(len(row[i]) for row in rows + [("measure", "etcd-proxy", "baseline", "verdict")]) for i in range(4)]
    print(f"etcd-proxy buildpack benchmark: medians of {repeat}+ runs, {os.cpu_count()} CPUs, etcd {version}")
    header = ("measure", "etcd-proxy", "baseline", "target")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

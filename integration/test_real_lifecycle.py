"""This buildpack through the whole real CNB lifecycle, as a new user's ``pack build`` would run it.

``../shared/tools/lifecycle-real/drive.sh`` runs the real analyzer, detector, restorer, builder
and exporter (buildpacks/lifecycle v0.21.17) over an app that declares an etcd client, with
Debian's real etcd served as an upstream-style release from a loopback download site; then the
real launcher starts the image's ``etcd-proxy`` process type (``/cnb/process/etcd-proxy``) against
a real etcd member, the Kubernetes probe command (``etcd-proxy health``) runs through it, and a
rebuild reuses the cached layer without a download.

    /usr/bin/python3 -m unittest -v test_real_lifecycle
"""

from __future__ import annotations

import os
import tempfile
import unittest
from pathlib import Path

from harness import etcd_builds, launch_record, real_lifecycle, tarballs
from harness.buildpack_toml import make_dependency, make_test_buildpack
from harness.etcd_cluster import EtcdCluster
from harness.fixtures.proxy_client import is_healthy, proxy_health
from harness.http_server import DownloadServer
from harness.ports import LOOPBACK, free_port
from harness.processes import run, spawn
from harness.waiting import wait_until


class DriveShEndToEndTest(unittest.TestCase):
    ctest_timeout = 300

    def test_build_launch_probe_and_rebuild_through_the_real_lifecycle(self) -> None:
        driver = real_lifecycle.require_real_launcher()
        drive = real_lifecycle.lcdriver_path().parent.parent / "drive.sh"
        build = etcd_builds.installed()
        with tempfile.TemporaryDirectory(prefix="real-lifecycle-") as holder, DownloadServer() as site, \
                EtcdCluster(1, build=build) as cluster:
            tmp = Path(holder)
            tarball = tarballs.debian_etcd_release(build=build)
            path = f"/{tarballs.release_top_dir(build.version)}.tar.gz"
            url = site.add_file(path, tarball)
            buildpack = make_test_buildpack(tmp / "bp", [make_dependency(build.version, url, tarballs.sha256_hex(tarball))],
                                            default_version=build.version)
            app = tmp / "app-source"
            app.mkdir()
            (app / "requirements.txt").write_text("etcd3==0.12.0\n")
            work = tmp / "work"
            env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "LC_LOG_LEVEL": "debug"}

            launch_record.record("real CNB lifecycle (drive.sh) and launcher")
            first = run(["bash", drive, buildpack, app, work], env=env, timeout=180)
            self.assertEqual(first.code, 0, self.logs(work, first.output))
            # What the exporter put into the image's SBOM layer for the helper layer.
            helper_sbom = work / "layers" / "sbom" / "launch" / "etcdproxy_etcd-proxy" / "helper" / "sbom.cdx.json"
            exported = helper_sbom.read_bytes()
            self.assertIn("etcd client etcd3 in requirements.txt", (work / "run" / "detect.log").read_text())
            self.assertIn(f"Installing etcd {build.version}", (work / "run" / "build.log").read_text())
            self.assertEqual(site.count(path), 1)

            port = free_port()
            launch_env = env | {"BPL_ETCD_PROXY_ENDPOINTS": cluster.endpoints[0], "TMPDIR": str(tmp),
                                "BPL_ETCD_PROXY_LISTEN_ADDR": f"{LOOPBACK}:{port}", "CNB_NO_COLOR": "true"}
            layers, app_dir = work / "layers", work / "app"
            sidecar = spawn(real_lifecycle.exec_argv(layers, app_dir, "etcd-proxy", []), env=launch_env,
                            cwd=app_dir, log_path=tmp / "sidecar.log")
            self.addCleanup(sidecar.stop, 2)
            wait_until(lambda: is_healthy(proxy_health(port, timeout=2)) or sidecar.poll() is not None, 30,
                       interval=0.1, what="the proxy")
            self.assertIsNone(sidecar.poll(), sidecar.log_text())
            self.assertEqual(os.readlink(f"/proc/{sidecar.pid}/exe"),
                             str((layers / "etcdproxy_etcd-proxy" / "etcd" / "bin" / "etcd").resolve()))
            put = cluster.etcdctl("put", "drive-sh", "through the proxy", endpoints=[f"{LOOPBACK}:{port}"])
            self.assertEqual(put.code, 0, put.describe())
            self.assertEqual(cluster.get_raw("drive-sh"), "through the proxy")
            probe = run(real_lifecycle.exec_argv(layers, app_dir, "etcd-proxy", ["health", "--timeout", "5"]),
                        env=launch_env, cwd=app_dir, timeout=30)
            self.assertEqual(probe.code, 0, probe.describe())
            sidecar.stop(2)

            second = run(["bash", drive, buildpack, app, work], env=env, timeout=180)
            self.assertEqual(second.code, 0, self.logs(work, second.output))
            rebuilt = (work / "run" / "build.log").read_text()
            self.assertIn("Reusing cached layer", rebuilt)
            self.assertEqual(site.count(path), 1, "the rebuild downloaded etcd again")
            # The reused helper layer's SBOM is the one its install wrote, restored by the real
            # restorer and exported again (the rebuild does not run the helper to write it).
            self.assertRegex(rebuilt, r"Reusing cached layer \S+/helper\n")
            self.assertEqual(helper_sbom.read_bytes(), exported)

    @staticmethod
    def logs(work: Path, output: str) -> str:
        texts = [output] + [f"--- {p.name}\n{p.read_text()}" for p in sorted((work / "run").glob("*.log"))]
        return "\n".join(texts)


if __name__ == "__main__":
    unittest.main()

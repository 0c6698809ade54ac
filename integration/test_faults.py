"""Faults the network tests cannot show, and secret hygiene (docs/reliability.md):
a full disk (a small tmpfs in a mount namespace), a read-only layers directory, a build killed
with SIGKILL in the middle of its download, and every command run with recognisable secrets in
its settings, bindings and VCAP_SERVICES, none of which may appear in any output or file."""

import os
import secrets
import signal
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import tarballs
from harness.buildpack_toml import make_dependency, make_test_buildpack
from harness.cf_stager import CfStager
from harness.certs import make_pki
from harness.fixtures.direct import BuildDirs
from harness.fixtures.host import UNSHARE
from harness.fixtures.output import cnb_error_lines
from harness.http_server import DownloadServer, Serve, Stall
from harness.lifecycle import Lifecycle
from harness.processes import run, spawn
from harness.waiting import wait_until

NEEDS_ROOT = unittest.skipUnless(os.geteuid() == 0, "mount namespaces with tmpfs need root")


@NEEDS_ROOT
class DiskFaultTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.site = DownloadServer().__enter__()
        self.addCleanup(self.site.__exit__, None, None, None)
        self.release = tarballs.debian_etcd_release()  # 37 MB unpacked
        self.version = tarballs.debian_etcd_version()
        self.url = self.site.add_file(f"/{self.release.name}", self.release)
        self.dirs = BuildDirs(Path(self.tmp.name), self.url, self.release, self.version)

    def test_full_disk_fails_with_one_line_and_leaves_no_partial_layer(self):
        code, listing, result = self.dirs.in_mount_namespace(f"mount -t tmpfs -o size=12m tmpfs {self.dirs.layers}")
        self.assertEqual(code, 1, result.describe())
        [error] = cnb_error_lines(result.stderr)
        self.assertIn("No space left on device", error)
        self.assertEqual(listing, [], "a failed install must leave nothing in the layers directory")

    def test_read_only_layers_dir_fails_with_one_line(self):
        layers = self.dirs.layers
        code, listing, result = self.dirs.in_mount_namespace(
            f"mount --bind {layers} {layers} && mount -o remount,ro,bind {layers}")
        self.assertEqual(code, 1, result.describe())
        [error] = cnb_error_lines(result.stderr)
        self.assertIn("Read-only file system", error)
        self.assertEqual(self.site.count(f"/{self.release.name}"), 0, "nothing can be installed, so nothing is fetched")

    def test_supply_with_a_full_cache_fails_and_leaves_no_partial_etcd(self):
        stager = CfStager(self.dirs.buildpack, Path(self.tmp.name) / "cf")
        deps = stager.deps_dir / stager.deps_idx
        script = (f"mount -t tmpfs -o size=4m tmpfs {stager.cache_dir} || exit 99; "
                  f"{self.dirs.buildpack}/bin/supply {stager.build_dir} {stager.cache_dir} {stager.deps_dir} "
                  f"{stager.deps_idx}; code=$?; echo \"exit=$code\" >&2; find {stager.cache_dir} -mindepth 1 >&2")
        result = run([UNSHARE, "-m", "sh", "-c", script], env={"PATH": "/usr/bin:/bin"}, timeout=120)
        self.assertIn("exit=1", result.stderr, result.describe())
        errors = [line for line in result.stdout.splitlines() if "**ERROR**" in line]
        self.assertEqual(len(errors), 1, result.stdout)
        self.assertIn("No space left on device", errors[0])
        self.assertEqual(sorted(p.name for p in deps.iterdir()), [], "deps/<idx> must stay empty")
        self.assertNotIn(self.release.name, result.stderr, "no partial download may stay in the cache")


class KilledBuildTest(unittest.TestCase):
    def test_build_killed_mid_download_then_a_rebuild_installs_afresh(self):
        with tempfile.TemporaryDirectory() as tmp, DownloadServer() as site:
            release = tarballs.debian_etcd_release()
            path = f"/{release.name}"
            url = site.add_file(path, release)
            site.script(path, [Stall(after_bytes=6_000_000, seconds=30), Serve()])
            dirs = BuildDirs(Path(tmp), url, release, tarballs.debian_etcd_version())
            build = spawn(dirs.build_argv(), env=dirs.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            staging = lambda: list(dirs.layers.glob(".etcd.staging-*/tree/bin/etcd"))  # noqa: E731
            wait_until(lambda: staging() and staging()[0].stat().st_size > 0, timeout=20, what="extraction started")
            os.kill(build.pid, signal.SIGKILL)
            build.wait(timeout=10)
            self.assertTrue(list(dirs.layers.glob(".etcd.staging-*")), "the kill should leave a staging dir behind")
            self.assertFalse((dirs.layers / "etcd.toml").exists())

            rebuild = run(dirs.build_argv(), env=dirs.env, timeout=120)
            self.assertEqual(rebuild.code, 0, rebuild.describe())
            self.assertIn("Installing etcd", rebuild.stdout)
            self.assertEqual(site.count(path), 2)
            self.assertEqual(sorted(p.name for p in dirs.layers.iterdir()),
                             ["etcd", "etcd.sbom.cdx.json", "etcd.sbom.spdx.json", "etcd.toml", "helper",
                              "helper.sbom.cdx.json", "helper.sbom.spdx.json", "helper.toml", "launch.toml"])
            version = run([str(dirs.layers / "etcd/bin/etcd"), "--version"]).check().stdout
            self.assertIn(tarballs.debian_etcd_version(), version)


class SecretHygieneTest(unittest.TestCase):
    """Recognisable secrets everywhere a user might put one; none may show up anywhere."""

    ctest_timeout = 300

    @classmethod
    def setUpClass(cls):
        cls.secret = "S3CR3T-" + secrets.token_hex(6)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = Path(cls.tmp.name)
        cls.pki = make_pki(cls.root / "pki")
        cls.key_lines = [line for line in cls.pki.read("client_key").splitlines() if line and "-----" not in line]
        cls.outputs = []  # (what, text)
        cls.files = []    # paths whose contents must be clean

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check_clean(self, what: str, text: str) -> None:
        self.assertNotIn(self.secret, text, f"{what} shows the secret")
        self.assertNotIn("BEGIN", text, f"{what} shows PEM text")
        for line in self.key_lines:
            self.assertNotIn(line, text, f"{what} shows key material")

    def check_tree(self, what: str, root: Path, skip: tuple = ()) -> None:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.stat().st_size < 1_000_000 and not any(
                    str(path).startswith(str(s)) for s in skip):
                self.check_clean(f"{what} file {path}", path.read_bytes().decode(errors="replace"))

    def mirrored_buildpack(self, site: DownloadServer, name: str) -> "tuple[Path, str]":
        """A buildpack whose github.com release is served by `site` through a mirror URL with credentials."""
        release = tarballs.fake_etcd_release("3.6.14")
        path = "/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz"
        site.add_file("/github.com" + path, release)
        buildpack = make_test_buildpack(self.root / name, [make_dependency("3.6.14", "https://github.com" + path,
                                                                           tarballs.sha256_hex(release))])
        port = site.base_url.rsplit(":", 1)[1]
        return buildpack, f"https://mirror-user:{self.secret}@127.0.0.1:{port}/{{originalHost}}"

    def vcap(self) -> str:
        import json
        return json.dumps({"user-provided": [{"name": "my-etcd", "label": "user-provided", "tags": ["etcd"],
                                              "credentials": {"endpoints": [f"https://u:{self.secret}@10.0.0.1:2379"],
                                                              "password": self.secret,
                                                              "ca": self.pki.read("ca_cert"),
                                                              "cert": self.pki.read("client_cert"),
                                                              "key": self.pki.read("client_key")}}]})

    def test_cnb_detect_build_rebuild_and_failures_never_show_secrets(self):
        with DownloadServer(pki=self.pki) as site:
            buildpack, mirror = self.mirrored_buildpack(site, "cnb-bp")
            with Lifecycle(buildpack, self.root / "cnb") as lc:
                lc.add_binding("etcd", "etcd", {"endpoints": f"https://u:{self.secret}@10.0.0.1:2379",
                                                "password": self.secret, "tls.key": self.pki.read("client_key")})
                env = {"BP_DEPENDENCY_MIRROR": mirror, "SSL_CERT_FILE": str(self.pki.ca_cert), "BP_LOG_LEVEL": "DEBUG",
                       "VCAP_SERVICES": self.vcap()}
                runs = [lc.detect(env=env), lc.build(env=env)]
                self.assertEqual(runs[-1].code, 0, runs[-1].stderr)
                self.assertIn("authorization", site.requests[-1].headers, "the mirror's credentials were used")
                lc.restore()
                runs.append(lc.build(env=env))
                runs.append(lc.build(env={**env, "BP_ETCD_VERSION": "9.*"}))
                lc.forget_previous_build()
                bad_mirror = mirror.replace("{originalHost}", "missing/{originalHost}")
                runs.append(lc.build(env={**env, "BP_DEPENDENCY_MIRROR": bad_mirror}))
                self.assertNotEqual(runs[-1].code, 0)
                self.assertIn("***@", runs[-1].stderr, "the failing URI is shown, without its credentials")
                for n, result in enumerate(runs):
                    self.check_clean(f"run {n} output", result.stdout + result.stderr)
                self.check_tree("layers", lc.layers_dir)

    def test_mapping_with_a_signed_url_is_never_shown_with_its_token(self):
        with DownloadServer() as site:
            release = tarballs.fake_etcd_release("3.6.14")
            url = site.add_file("/signed/etcd.tgz", release)
            buildpack = make_test_buildpack(self.root / "map-bp", [make_dependency(
                "3.6.14", "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd.tgz", tarballs.sha256_hex(release))])
            with Lifecycle(buildpack, self.root / "map") as lc:
                lc.add_binding("mapping", "dependency-mapping",
                               {tarballs.sha256_hex(release): f"{url}?X-Amz-Signature={self.secret}"})
                result = lc.build()
                self.assertEqual(result.code, 0, result.stderr)
                self.assertEqual(site.count("/signed/etcd.tgz"), 1)
                self.check_clean("build output", result.stdout + result.stderr)
                self.check_tree("layers", lc.layers_dir)

    def test_supply_never_shows_secrets(self):
        with DownloadServer(pki=self.pki) as site:
            buildpack, mirror = self.mirrored_buildpack(site, "cf-bp")
            env = {"BP_DEPENDENCY_MIRROR": mirror, "SSL_CERT_FILE": str(self.pki.ca_cert), "BP_DEBUG": "true",
                   "VCAP_SERVICES": self.vcap(), "BP_ETCD_PROXY_SIDECAR": "true"}
            good = CfStager(buildpack, self.root / "cf-good")
            result = good.supply(env=env)
            self.assertEqual(result.code, 0, result.stdout + result.stderr)
            self.check_clean("supply output", result.stdout + result.stderr)
            self.check_tree("deps", good.deps_dir)
            bad = CfStager(buildpack, self.root / "cf-bad")
            failed = bad.supply(env={**env, "BP_DEPENDENCY_MIRROR": mirror.replace("{originalHost}", "x/{originalHost}")})
            self.assertNotEqual(failed.code, 0)
            self.check_clean("failed supply output", failed.stdout + failed.stderr)

    def test_helper_print_health_and_refusals_never_show_secrets(self):
        release = tarballs.fake_etcd_release("3.4.23")
        with DownloadServer() as site:
            url = site.add_file("/etcd.tgz", release)
            buildpack = make_test_buildpack(self.root / "h-bp", [make_dependency("3.4.23", url, tarballs.sha256_hex(release))],
                                            default_version="3.4.*")
            with Lifecycle(buildpack, self.root / "h") as lc:
                self.assertEqual(lc.build().code, 0)
                bindings = self.root / "bindings"
                from harness.bindings import write_binding
                write_binding(bindings, "etcd", "etcd", {"endpoints": f"u:{self.secret}@10.0.0.9:2379",
                                                         "password": self.secret}, k8s_layout=True)
                base = {"VCAP_SERVICES": self.vcap()}
                cases = [
                    (["print"], base),
                    (["print"], {**base, "BPL_ETCD_PROXY_ENDPOINTS": f"x:{self.secret}@10.0.0.2:2379"}),
                    (["print"], {"SERVICE_BINDING_ROOT": str(bindings)}),
                    (["print"], {**base, "BPL_ETCD_PROXY_ENDPOINTS": f"http://x:{self.secret}@10.0.0.2:2379"}),
                    (["print"], {**base, "BPL_ETCD_PROXY_ENDPOINTS": f"x:{self.secret}@127.0.0.1:2379"}),
                    (["print"], {"VCAP_SERVICES": '{"broken": [' + f'"{self.secret}"'}),
                    (["health", "--timeout", "1"], {**base, "BPL_ETCD_PROXY_LISTEN_ADDR": "127.0.0.1:9"}),
                    (["--max-send-bytes=1"], {**base, "BPL_ETCD_PROXY_LISTEN_ADDR": "127.0.0.1:9",
                                              "BPL_ETCD_PROXY_CERT": "/nonexistent"}),
                ]
                for args, env in cases:
                    proc = lc.launch("etcd-proxy", args, env=env)
                    proc.wait(timeout=30)
                    self.check_clean(f"etcd-proxy {' '.join(args)} with {sorted(env)}", proc.log_text())


if __name__ == "__main__":
    unittest.main()

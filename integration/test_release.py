"""The release: fully static executables that run anywhere, arm64 under qemu, and reproducible
archives from scripts/package.sh (offline ones that build with no network, and the cached Cloud
Foundry zip that stages with the network unreachable). Packaging: README, "Packages, builders and air gaps"."""

import hashlib
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
import unittest
import zipfile
from pathlib import Path

import yaml

from harness import config, packaging, tarballs
from harness.buildpack_toml import make_dependency, make_test_buildpack, rewrite_buildpack_toml
from harness.cache import cached_file
from harness.cf_stager import CfStager
from harness.certs import make_pki
from harness.fixtures.host import UNSHARE
from harness.http_server import DownloadServer
from harness.lifecycle import Lifecycle
from harness.processes import run

REPO = Path(__file__).resolve().parent.parent
BIN = config.buildpack_dir() / "bin"
ARM64_BUILD = REPO / "build" / "static-arm64"
QEMU = shutil.which("qemu-aarch64-static")
CHROOT = shutil.which("chroot") or "/usr/sbin/chroot"
FAKE_ETCD_C = r"""
#include <stdio.h>
#include <string.h>
int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) printf("etcd Version: %s\nGit SHA: static-fake\n", VERSION);
  return 0;
}
"""


def static_fake_release(tmp: Path, version: str) -> bytes:
    """A release whose etcd is a tiny static program, so it runs where there is no libc at all."""
    source = tmp / "fake-etcd.c"
    source.write_text(FAKE_ETCD_C)
    binary = tmp / "fake-etcd"
    run(["gcc", "-static", "-O1", f'-DVERSION="{version}"', "-o", str(binary), str(source)], timeout=120).check()
    top = tarballs.release_top_dir(version)

    def write(tar: tarballs.TarWriter) -> None:
        tar.directory(f"{top}/")
        tar.file_from(f"{top}/etcd", binary)
        tar.file_from(f"{top}/etcdctl", binary)

    return tarballs.build_tarball(write)


def phase_env(root: str, **extra: str) -> dict:
    """The CNB variables for phases running inside a root filesystem mounted at `root` (paths inside)."""
    # These roots hold no app (detect runs in "/"): the setting stands in for an app's etcd client.
    env = {"PATH": "/usr/bin:/bin", "HOME": "/", "BP_ETCD_PROXY_ENABLED": "true", "CNB_BUILDPACK_DIR": f"{root}/buildpack",
           "CNB_PLATFORM_DIR": f"{root}/platform", "CNB_BUILD_PLAN_PATH": f"{root}/plan.toml",
           "CNB_BP_PLAN_PATH": f"{root}/plan.toml", "CNB_LAYERS_DIR": f"{root}/layers"}
    env.update(extra)
    return env


def prepare_tree(base: Path, buildpack: Path) -> None:
    """Lays out a buildpack and empty lifecycle directories under `base`."""
    shutil.copytree(buildpack, base / "buildpack", symlinks=False)
    for directory in ("platform/env", "layers", "tmp"):
        (base / directory).mkdir(parents=True, exist_ok=True)
    (base / "plan.toml").write_text("")


def in_root(root: Path, argv: list, env: dict, timeout: float = 120):
    """Runs argv inside `root` with nothing of this machine's filesystem (unshare -r chroot)."""
    return run([UNSHARE, "-r", CHROOT, str(root), *argv], env=env, timeout=timeout)


class StaticExecutablesTest(unittest.TestCase):
    def shipped(self) -> list:
        exes = [BIN / "detect", BIN / "build", BIN / "etcd-proxy"]
        return exes + [ARM64_BUILD / "bp", ARM64_BUILD / "etcd-proxy"]

    def test_every_shipped_executable_is_fully_static(self):
        for exe in self.shipped():
            with self.subTest(exe=str(exe)):
                self.assertTrue(exe.is_file(), f"{exe} is missing: scripts/test.sh builds it")
                dynamic = run(["readelf", "-d", str(exe)]).check().stdout
                self.assertIn("There is no dynamic section in this file", dynamic)
                program_headers = run(["readelf", "-l", str(exe)]).check().stdout
                self.assertNotIn("INTERP", program_headers)

    def test_the_platform_matrix_is_the_buildpacks_targets(self):
        """scripts/lib/platforms.sh and buildpack.toml's [[targets]] name the same architectures."""
        targets = tomllib.loads((REPO / "buildpack.toml").read_text())["targets"]
        self.assertEqual(sorted(t["arch"] for t in targets), sorted(config.PLATFORMS))

    def test_arm64_executables_are_aarch64(self):
        for exe in (ARM64_BUILD / "bp", ARM64_BUILD / "etcd-proxy"):
            header = run(["readelf", "-h", str(exe)]).check().stdout
            self.assertRegex(header, r"Machine:\s+AArch64")


class EmptyRootTest(unittest.TestCase):
    """detect and build in a root holding nothing but the buildpack, a CA file and /etc/hosts."""

    def test_detect_and_build_install_over_https_in_an_empty_root(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            pki = make_pki(tmp / "pki")
            release = static_fake_release(tmp, "3.6.14")
            with DownloadServer(pki=pki) as site:
                url = site.add_file("/etcd-v3.6.14-linux-amd64.tar.gz", release)
                buildpack = make_test_buildpack(tmp / "bp", [make_dependency("3.6.14", url, tarballs.sha256_hex(release))],
                                                default_version="3.6.*")
                root = tmp / "root"
                prepare_tree(root / "cnb", buildpack)
                (root / "etc/ssl/certs").mkdir(parents=True)
                # Where Debian-like images keep their bundle: found without SSL_CERT_FILE.
                shutil.copy(pki.ca_cert, root / "etc/ssl/certs/ca-certificates.crt")
                (root / "etc/hosts").write_text("127.0.0.1 localhost\n")
                self.assertEqual(sorted(p.name for p in root.iterdir()), ["cnb", "etc"])

                env = phase_env("/cnb")
                detect = in_root(root, ["/cnb/buildpack/bin/detect"], env)
                self.assertEqual(detect.code, 0, detect.describe())
                self.assertIn('version = "3.6.*"', (root / "cnb/plan.toml").read_text())
                build = in_root(root, ["/cnb/buildpack/bin/build"], env)
                self.assertEqual(build.code, 0, build.describe())
                self.assertIn("Installing etcd 3.6.14", build.stdout)
                self.assertEqual(site.count("/etcd-v3.6.14-linux-amd64.tar.gz"), 1)
                self.assertTrue((root / "cnb/layers/etcd/bin/etcd").is_file())

                printed = in_root(root, ["/cnb/layers/helper/bin/etcd-proxy", "print"],
                                  {"PATH": "/cnb/layers/etcd/bin", "BPL_ETCD_PROXY_ENDPOINTS": "https://10.0.0.1:2379",
                                   "TMPDIR": "/cnb/tmp"})
                self.assertEqual(printed.code, 0, printed.describe())
                self.assertEqual(printed.stdout.splitlines()[:3], ["/cnb/layers/etcd/bin/etcd", "grpc-proxy", "start"])


def minbase_root() -> Path:
    """A `debootstrap --variant=minbase` Debian root (cached): libc, no libcurl/libarchive/libssl."""
    suite = run(["sh", "-c", ". /etc/os-release && echo $VERSION_CODENAME"]).check().stdout.strip()
    mirror = "http://deb.debian.org/debian"
    for sources in Path("/etc/apt/sources.list.d").glob("*.sources"):
        match = re.search(r"^URIs:\s*(\S+/debian)\s*$", sources.read_text(), re.M)
        if match:
            mirror = match.group(1)
            break

    def build(stream) -> None:
        with tempfile.TemporaryDirectory() as work:
            run(["debootstrap", "--variant=minbase", suite, work, mirror], timeout=900).check()
            # A tarball keeps ownership and device nodes. Uncompressed (~200 MB in the build tree):
            # gzip took ~12 CPU seconds of a 2-core run, and this tar is read once per run.
            subprocess.run(["tar", "-C", work, "-cf", "-", "."], stdout=stream, check=True, timeout=300)

    return cached_file(f"minbase-{suite}.tar", build)


@unittest.skipUnless(os.geteuid() == 0, "debootstrap needs root")
class MinbaseRootTest(unittest.TestCase):
    ctest_timeout = 900
    ctest_cost = 90  # debootstrap, on a fresh clone: started first, it ends with the others

    def test_detect_and_build_in_a_minbase_debian_without_the_libraries(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            root = tmp / "root"
            root.mkdir()
            run(["tar", "-C", str(root), "-xf", str(minbase_root())], timeout=300).check()
            for library in ("libcurl.so.4", "libarchive.so.13", "libssl.so.3"):
                self.assertEqual(list(root.glob(f"usr/lib/*/{library}")), [], f"minbase unexpectedly has {library}")
            pki = make_pki(tmp / "pki")
            release = tarballs.debian_etcd_release()
            version = tarballs.debian_etcd_version()
            with DownloadServer(pki=pki) as site:
                url = site.add_file(f"/{release.name}", release)
                buildpack = make_test_buildpack(tmp / "bp", [make_dependency(version, url, tarballs.sha256_hex(release))],
                                                default_version=version)
                prepare_tree(root / "cnb", buildpack)
                shutil.copy(pki.ca_cert, root / "cnb/ca.pem")
                env = phase_env("/cnb", SSL_CERT_FILE="/cnb/ca.pem")
                detect = run([CHROOT, str(root), "/cnb/buildpack/bin/detect"], env=env)
                self.assertEqual(detect.code, 0, detect.describe())
                build = run([CHROOT, str(root), "/cnb/buildpack/bin/build"], env=env, timeout=300)
                self.assertEqual(build.code, 0, build.describe())
                self.assertIn(f"Installing etcd {version}", build.stdout)
                # The real etcd ran inside the root to prove the install (the version check).
                version_out = run([CHROOT, str(root), "/cnb/layers/etcd/bin/etcd", "--version"], env=env).check()
                self.assertIn(f"etcd Version: {version}", version_out.stdout)


@unittest.skipUnless(QEMU, "qemu-aarch64-static is not installed")
class Arm64Test(unittest.TestCase):
    """The arm64 executables, run by qemu: detect passes, build installs an arm64 release."""

    def test_detect_build_and_helper_under_qemu(self):
        with tempfile.TemporaryDirectory() as tmp, DownloadServer() as site:
            tmp = Path(tmp)
            release = tarballs.fake_etcd_release("3.6.14", arch="arm64")
            url = site.add_file("/etcd-v3.6.14-linux-arm64.tar.gz", release)
            text = rewrite_buildpack_toml((REPO / "buildpack.toml").read_text(),
                                          [make_dependency("3.6.14", url, tarballs.sha256_hex(release), arch="arm64")],
                                          "3.6.*")
            buildpack = tmp / "buildpack"
            (buildpack / "bin").mkdir(parents=True)
            (buildpack / "buildpack.toml").write_text(text)
            for name, source in (("detect", "bp"), ("build", "bp"), ("etcd-proxy", "etcd-proxy")):
                shutil.copy(ARM64_BUILD / source, buildpack / "bin" / name)
            base = tmp / "cnb"
            prepare_tree(base, buildpack)
            env = phase_env(str(base), CNB_TARGET_OS="linux", CNB_TARGET_ARCH="arm64")
            detect = run([QEMU, str(base / "buildpack/bin/detect")], env=env)
            self.assertEqual(detect.code, 0, detect.describe())
            build = run([QEMU, str(base / "buildpack/bin/build")], env=env, timeout=180)
            self.assertEqual(build.code, 0, build.describe())
            self.assertIn("for linux/arm64", build.stdout)
            self.assertTrue((base / "layers/etcd/bin/etcd").is_file())
            helper = base / "layers/helper/bin/etcd-proxy"
            self.assertRegex(run(["readelf", "-h", str(helper)]).check().stdout, r"Machine:\s+AArch64")
            printed = run([QEMU, str(helper), "print"], env={"PATH": f"{base}/layers/etcd/bin",
                                                           "BPL_ETCD_PROXY_ENDPOINTS": "10.0.0.1:2379"})
            self.assertEqual(printed.code, 0, printed.describe())
            self.assertIn("--endpoints=10.0.0.1:2379", printed.stdout)


def elf_arch(data: bytes) -> str:
    """The arch of the platform (config.PLATFORMS) whose ELF machine ``readelf -h`` names for ``data``."""
    with tempfile.NamedTemporaryFile() as exe:
        exe.write(data)
        exe.flush()
        header = run(["readelf", "-h", exe.name]).check().stdout
    named = re.search(r"Machine:\s+(.*)", header)
    machine = named.group(1).strip() if named else ""
    arches = [arch for arch, (_, elf_machine, _) in config.PLATFORMS.items() if machine.endswith(elf_machine)]
    if len(arches) != 1:
        raise AssertionError(f"readelf names machine {machine!r}, not one of scripts/lib/platforms.sh's\n{header}")
    return arches[0]


def declared_targets(buildpack_toml: bytes) -> list:
    return [(t.get("os"), t.get("arch")) for t in tomllib.loads(buildpack_toml.decode()).get("targets", [])]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class PackagingTest(unittest.TestCase):
    """scripts/package.sh with a descriptor whose dependencies come from a file:// mirror.

    Packaging runs twice (to compare the archives) once per set of inputs, whichever test process
    gets there first; the others reuse the result from the test cache."""

    ctest_timeout = 900
    ctest_cost = 10  # the first runs package.sh twice (~40 s); the others reuse its archives
    ctest_resource_lock = "packaging"  # one at a time: none holds a parallel slot just to wait
    version = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        tmp = Path(cls.tmp.name)
        mirror = tmp / "mirror"
        deps = []
        cls.releases = {}
        for arch in config.PLATFORMS:
            release = tarballs.fake_etcd_release("3.6.14", arch=arch)
            path = f"etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-{arch}.tar.gz"
            (mirror / "github.com" / path).parent.mkdir(parents=True, exist_ok=True)
            (mirror / "github.com" / path).write_bytes(release)
            deps.append(make_dependency("3.6.14", f"https://github.com/{path}", tarballs.sha256_hex(release), arch=arch))
            cls.releases[arch] = release
        text = rewrite_buildpack_toml((REPO / "buildpack.toml").read_text(), deps, "3.6.*")
        cls.version = re.search(r'^\s*version = "(\d+\.\d+\.\d+)"', text, re.M).group(1)
        cls.outs = packaging.unpack(packaging.packaged(text, mirror, runs=2), tmp)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def archive(self, name: str) -> Path:
        return self.outs[0] / name.format(v=self.version)

    def test_packaging_twice_gives_identical_archives(self):
        first = {p.name: sha256(p) for p in self.outs[0].iterdir()}
        second = {p.name: sha256(p) for p in self.outs[1].iterdir()}
        self.assertEqual(len(first), 2 * len(config.PLATFORMS) + 2, sorted(first))
        self.assertEqual(first, second)

    def test_cnb_archives_hold_the_buildpack_directory_with_executable_modes(self):
        for arch in config.PLATFORMS:
            with tarfile.open(self.archive(f"etcd-proxy-{{v}}-linux-{arch}.tgz")) as tgz:
                members = {m.name: m for m in tgz.getmembers()}
                self.assertEqual(sorted(members), ["bin", "bin/build", "bin/compile", "bin/detect", "bin/etcd-proxy",
                                                   "bin/supply", "buildpack.toml"])
                for exe in ("bin/build", "bin/compile", "bin/detect", "bin/etcd-proxy", "bin/supply"):
                    self.assertEqual(members[exe].mode & 0o777, 0o755, exe)
                self.assertEqual(members["buildpack.toml"].mode & 0o777, 0o644)
            with tarfile.open(self.archive(f"etcd-proxy-{{v}}-linux-{arch}-offline.tgz")) as tgz:
                sha = tarballs.sha256_hex(self.releases[arch])
                name = f"dependencies/{sha}/etcd-v3.6.14-linux-{arch}.tar.gz"
                self.assertIn(name, tgz.getnames())
                self.assertEqual(tgz.extractfile(name).read(), self.releases[arch])
                self.assertEqual([n for n in tgz.getnames() if n.endswith(".tar.gz")], [name])
            self.assertTrue((REPO / "linux" / arch / "bin" / "build").is_file())

    def test_each_archive_declares_exactly_the_target_its_executables_run_on(self):
        """Buildpack spec 0.10: each target identifies a runtime environment the executables run in."""
        archives = {}
        for arch in config.PLATFORMS:
            for suffix in ("", "-offline"):
                with tarfile.open(self.archive(f"etcd-proxy-{{v}}-linux-{arch}{suffix}.tgz")) as tgz:
                    archives[f"{arch}{suffix}.tgz"] = {n: tgz.extractfile(n).read() for n in
                                                       ("buildpack.toml", "bin/detect", "bin/build", "bin/etcd-proxy")}
        for name in ("etcdproxy_buildpack-v{v}.zip", "etcdproxy_buildpack-cached-v{v}.zip"):
            with zipfile.ZipFile(self.archive(name)) as archive:
                archives[name] = {n: archive.read(n) for n in ("buildpack.toml", "bin/detect", "bin/build", "bin/etcd-proxy")}
        for name, files in archives.items():
            with self.subTest(archive=name):
                arches = {elf_arch(files[exe]) for exe in ("bin/detect", "bin/build", "bin/etcd-proxy")}
                self.assertEqual(len(arches), 1, arches)
                self.assertEqual(declared_targets(files["buildpack.toml"]), [("linux", arches.pop())])
                self.assertEqual(tomllib.loads(files["buildpack.toml"].decode())["stacks"], [{"id": "*"}])
        # The source tree (and the linux/<arch>/bin/ layout beside it) keeps both targets.
        self.assertEqual(declared_targets((REPO / "buildpack.toml").read_bytes()),
                         [("linux", arch) for arch in config.PLATFORMS])
        for arch in config.PLATFORMS:
            self.assertEqual(elf_arch((REPO / "linux" / arch / "bin" / "build").read_bytes()), arch)

    def test_cf_zips_have_manifest_version_and_executables(self):
        for name, cached in (("etcdproxy_buildpack-v{v}.zip", False), ("etcdproxy_buildpack-cached-v{v}.zip", True)):
            with zipfile.ZipFile(self.archive(name)) as archive:
                infos = {i.filename: i for i in archive.infolist()}
                for exe in ("bin/supply", "bin/compile", "bin/detect", "bin/build", "bin/etcd-proxy"):
                    self.assertEqual((infos[exe].external_attr >> 16) & 0o777, 0o755, exe)
                self.assertEqual(archive.read("VERSION").decode().strip(), self.version)
                manifest = yaml.safe_load(archive.read("manifest.yml"))
                self.assertEqual(manifest["language"], "etcdproxy")
                self.assertEqual(manifest["default_versions"], [{"name": "etcd", "version": "3.6.x"}])
                for included in manifest["include_files"]:
                    self.assertIn(included, infos)
                [dep] = manifest["dependencies"]
                self.assertEqual(dep["cf_stacks"], ["cflinuxfs4", "cflinuxfs5"])
                self.assertEqual(dep["sha256"], tarballs.sha256_hex(self.releases["amd64"]))
                self.assertEqual("file" in dep, cached)
                if cached:
                    self.assertEqual(archive.read(dep["file"]), self.releases["amd64"])
                else:
                    self.assertFalse(any(n.startswith("dependencies/") for n in infos))

    def test_offline_archive_builds_with_no_download_site_at_all(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            buildpack = tmp / "buildpack"
            with tarfile.open(self.archive("etcd-proxy-{v}-linux-amd64-offline.tgz")) as tgz:
                tgz.extractall(buildpack)
            with Lifecycle(buildpack, tmp / "root") as lc:
                self.assertEqual(lc.detect().code, 0)
                build = lc.build(env={"BP_DEPENDENCY_MIRROR": None, "HTTPS_PROXY": "http://127.0.0.1:9"})
                self.assertEqual(build.code, 0, build.stderr)
                self.assertIn("Source: offline package", build.stdout)

    @unittest.skipUnless(os.geteuid() == 0, "unshare -n needs root")
    def test_cached_cf_zip_stages_with_the_network_unreachable(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            buildpack = tmp / "buildpack"
            with zipfile.ZipFile(self.archive("etcdproxy_buildpack-cached-v{v}.zip")) as archive:
                archive.extractall(buildpack)
            for exe in (buildpack / "bin").iterdir():
                exe.chmod(0o755)  # zipfile does not restore modes
            stager = CfStager(buildpack, tmp / "cf")
            argv = [UNSHARE, "-n", str(buildpack / "bin/supply"), str(stager.build_dir), str(stager.cache_dir),
                    str(stager.deps_dir), stager.deps_idx]
            result = run(argv, env={"PATH": "/usr/bin:/bin", "CF_STACK": "cflinuxfs4"}, timeout=120)
            self.assertEqual(result.code, 0, result.describe())
            self.assertIn("Copy [offline package", result.stdout)
            self.assertTrue((stager.deps_dir / stager.deps_idx / "bin" / "etcd").exists())


if __name__ == "__main__":
    unittest.main()

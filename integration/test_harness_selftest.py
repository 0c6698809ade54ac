"""Fast self-tests of the integration test harness (``integration/harness``).

They prove the harness itself behaves as documented, using fake buildpack scripts
instead of the real executables. Run from ``integration/`` with Debian's Python:

    /usr/bin/python3 -m unittest -v test_harness_selftest
"""

from __future__ import annotations

import ast
import http.client
import importlib
import io
import os
import pkgutil
import platform
import socket
import ssl
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

from harness import buildpack_toml, certs, etcd_builds, fixtures, launcher, processes, tarballs, trees, waiting
from harness.cf_stager import CfStager, command_lines, real_launcher
from harness.etcd_cluster import EtcdCluster
from harness.http_server import (DownloadServer, ForwardProxy, Redirect, Reset, Serve, Stall, Status,
                                 Truncate)
from harness.layer_restore import json_round_trip
from harness.lifecycle import Lifecycle, os_release_distro
from harness.ports import free_port, free_ports
from harness.toml_writer import dumps

FAKE_DETECT = """\
#!/bin/sh
set -eu
echo "args: $*"
env | sort
[ "${BP_ETCD_PROXY_ENABLED:-true}" = "false" ] && exit 100
cat > "$CNB_BUILD_PLAN_PATH" <<EOF
[[provides]]
name = "etcd"

[[requires]]
name = "etcd"

[requires.metadata]
version = "3.6.*"
launch = true
EOF
"""

FAKE_BUILD = """\
#!/bin/sh
set -eu
L="$CNB_LAYERS_DIR"
echo "args: $*"
echo "--- plan"; cat "$CNB_BP_PLAN_PATH"
if [ -d "$L/etcd" ] && grep -q 'version = "3.6.14"' "$L/etcd.toml" 2>/dev/null; then
  echo "Reusing cached layer"
else
  rm -rf "$L/etcd"; mkdir -p "$L/etcd/bin"
  printf '#!/bin/sh\\necho etcd 3.6.14\\n' > "$L/etcd/bin/etcd"; chmod 755 "$L/etcd/bin/etcd"
fi
cat > "$L/etcd.toml" <<EOF
[types]
launch = true
cache = true

[metadata]
version = "3.6.14"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
arch = "$CNB_TARGET_ARCH"
EOF
echo '{"bomFormat": "CycloneDX", "components": [{"name": "etcd", "version": "3.6.14"}]}' > "$L/etcd.sbom.cdx.json"
rm -rf "$L/helper"; mkdir -p "$L/helper/bin" "$L/helper/env.launch/etcd-proxy" "$L/helper/env" "$L/helper/exec.d"
cat > "$L/helper/bin/etcd-proxy" <<'EOF'
#!/bin/sh
echo "pid=$$ args=$* greeting=${GREETING:-} execd=${FROM_EXECD:-} list=${LIST:-} path=$PATH"
exec sleep 30
EOF
chmod 755 "$L/helper/bin/etcd-proxy"
printf 'hello' > "$L/helper/env.launch/etcd-proxy/GREETING.default"
printf 'b' > "$L/helper/env/LIST.append"; printf ',' > "$L/helper/env/LIST.delim"
printf '#!/bin/sh\\nprintf '"'"'FROM_EXECD = "yes"\\\\n'"'"' >&3\\n' > "$L/helper/exec.d/10-set"
chmod 755 "$L/helper/exec.d/10-set"
printf '[types]\\nlaunch = true\\n\\n[metadata]\\nversion = "0.0.1"\\n' > "$L/helper.toml"
if [ -n "${FAKE_BAD:-}" ]; then
  printf 'launch = true\\n' > "$L/bad.toml"
  printf 'x\\n' > "$L/helper/env/TRAILING"
fi
cat > "$L/launch.toml" <<EOF
[[processes]]
type = "etcd-proxy"
command = ["etcd-proxy"]
args = ["--default-arg"]
default = false
EOF
"""

FAKE_SUPPLY = """\
#!/bin/sh
set -eu
[ $# -eq 4 ] || { echo "usage: supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX" >&2; exit 1; }
echo "-----> Etcdproxy Buildpack version 0.0.1"
D="$3/$4"
mkdir -p "$D/bin" "$D/profile.d" "$2/downloads"
printf '#!/bin/sh\\necho "helper in $DEPS_DIR"\\n' > "$D/bin/etcd-proxy"
chmod 755 "$D/bin/etcd-proxy"
echo 'export FROM_PROFILE=yes' > "$D/profile.d/etcd.sh"
printf -- '---\\nname: etcdproxy\\nversion: 0.0.1\\nconfig: {etcd_version: 3.6.14}\\n' > "$D/config.yml"
echo cached > "$2/downloads/x"
"""

BUILDPACK_TOML = """\
api = "0.10"

[buildpack]
  id = "etcdproxy/etcd-proxy"
  version = "0.0.1"
  sbom-formats = ["application/vnd.cyclonedx+json", "application/spdx+json"]

[[targets]]
  os = "linux"
  arch = "amd64"

[metadata]
  include-files = ["bin/build"]

[metadata.default-versions]
  etcd = "3.6.*"

[[metadata.dependencies]]
  id = "etcd"
  version = "3.6.14"
  uri = "https://example.invalid/etcd-v3.6.14-linux-amd64.tar.gz"
  sha256 = "aa"

[[metadata.configurations]]
  name = "BP_ETCD_VERSION"
  default = "3.6.*"
"""


def make_fake_buildpack(directory: Path) -> Path:
    """Write a buildpack directory whose bin/ holds the fake shell scripts above."""
    (directory / "bin").mkdir(parents=True)
    (directory / "buildpack.toml").write_text(BUILDPACK_TOML)
    for name, text in (("detect", FAKE_DETECT), ("build", FAKE_BUILD), ("supply", FAKE_SUPPLY)):
        (directory / "bin" / name).write_text(text)
        (directory / "bin" / name).chmod(0o755)
    return directory


class TempDirTestCase(unittest.TestCase):
    """Gives each test a fresh ``self.tmp`` directory, removed afterwards."""

    def setUp(self) -> None:
        holder = tempfile.TemporaryDirectory(prefix="harness-selftest-")
        self.addCleanup(holder.cleanup)
        self.tmp = Path(holder.name)


class PortsAndWaitingTest(unittest.TestCase):
    def test_free_ports_are_distinct_and_bindable(self) -> None:
        ports = free_ports(20)
        self.assertEqual(len(set(ports)), 20)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", free_port()))

    def test_processes_asking_at_once_get_no_port_twice_and_none_an_outgoing_connection_could_take(self) -> None:
        script = "from harness.ports import free_ports; print(*free_ports(50))"
        askers = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                                   cwd=Path(__file__).parent) for _ in range(4)]
        handed_out = [int(port) for asker in askers for port in asker.communicate(timeout=60)[0].split()]
        self.assertEqual(len(handed_out), 200)
        self.assertEqual(len(set(handed_out)), 200, "a port went to two processes")
        ephemeral_start = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
        self.assertLess(max(handed_out), ephemeral_start)

    def test_wait_until_returns_the_value_or_times_out_naming_what(self) -> None:
        self.assertEqual(waiting.wait_until(lambda: 42, timeout=1), 42)
        started = time.monotonic()
        with self.assertRaisesRegex(TimeoutError, "the moon"):
            waiting.wait_until(lambda: False, timeout=0.2, what="the moon")
        self.assertLess(time.monotonic() - started, 1.0)


class ProcessesTest(TempDirTestCase):
    def test_run_captures_output_and_exit_code(self) -> None:
        result = processes.run(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout=10)
        self.assertEqual((result.code, result.stdout, result.stderr), (3, "out\n", "err\n"))

    def test_run_kills_the_whole_group_on_timeout(self) -> None:
        marker = self.tmp / "grandchild-pid"
        started = time.monotonic()
        with self.assertRaises(processes.CommandTimeout):
            processes.run(["sh", "-c", f"sleep 30 & echo $! > {marker}; wait"], timeout=0.5)
        self.assertLess(time.monotonic() - started, 5)
        self.assertFalse(_pid_alive(int(marker.read_text())))

    def test_process_group_stops_children_and_keeps_logs(self) -> None:
        with processes.ProcessGroup(self.tmp / "logs") as group:
            proc = group.start(["sh", "-c", "echo started; sleep 30 & sleep 30"], name="sleeper")
            waiting.wait_until(lambda: "started" in proc.log_text(), timeout=5, what="the log line")
        self.assertIsNotNone(proc.returncode)
        self.assertFalse(processes.group_has_live_member(proc.pid))
        self.assertTrue((self.tmp / "logs" / "sleeper.log").is_file())


class CertsTest(TempDirTestCase):
    def test_pki_files_verify_and_have_the_documented_subjects(self) -> None:
        pki = certs.make_pki(self.tmp)
        processes.run(["openssl", "verify", "-CAfile", str(pki.ca_cert), str(pki.server_cert),
                       str(pki.client_cert), str(pki.client_cn_cert)], timeout=10).check()
        self.assertNotEqual(processes.run(["openssl", "verify", "-CAfile", str(pki.ca_cert),
                                           str(pki.other_client_cert)], timeout=10).code, 0)
        subject = processes.run(["openssl", "x509", "-noout", "-subject", "-in", str(pki.client_cert)],
                                timeout=10).stdout
        self.assertNotIn("CN", subject)
        self.assertIn("CN = app-client", processes.run(
            ["openssl", "x509", "-noout", "-subject", "-in", str(pki.client_cn_cert)], timeout=10).stdout)
        self.assertIn("BEGIN PRIVATE KEY", pki.read("client_key"))
        self.assertIn("BEGIN EC PRIVATE KEY", pki.read("client_key_sec1"))


class DownloadServerTest(TempDirTestCase):
    DATA = bytes(range(256)) * 1024  # 256 KiB

    def test_serves_files_records_requests_and_answers_404(self) -> None:
        path = self.tmp / "big.bin"
        path.write_bytes(self.DATA)
        with DownloadServer() as site:
            site.add_file("/bytes", self.DATA)
            site.add_file("/file", path)
            self.assertEqual(_fetch(site.url("/bytes")), self.DATA)
            self.assertEqual(_fetch(site.url("/file?x=1")), self.DATA)
            with self.assertRaises(urllib.error.HTTPError) as caught:
                _fetch(site.url("/missing"))
            self.assertEqual(caught.exception.code, 404)
            self.assertEqual(site.count("/file"), 1)
            self.assertEqual(site.requests[1].query, "x=1")
            self.assertIn("user-agent", site.requests[0].headers)

    def test_scripted_statuses_then_serve_with_the_last_step_repeating(self) -> None:
        with DownloadServer() as site:
            site.add_file("/f", b"payload")
            site.script("/f", [Status(500), Status(429, {"Retry-After": "2"}), Serve()])
            codes = []
            for _ in range(4):
                try:
                    codes.append(_fetch(site.url("/f")))
                except urllib.error.HTTPError as error:
                    codes.append((error.code, error.headers.get("Retry-After")))
            self.assertEqual(codes, [(500, None), (429, "2"), b"payload", b"payload"])

    def test_reset_truncate_stall_and_redirect_loop(self) -> None:
        with DownloadServer() as site:
            for name, step in (("/reset", Reset(after_bytes=100)), ("/trunc", Truncate(1000)),
                               ("/stall", Stall(after_bytes=10, seconds=60))):
                site.add_file(name, self.DATA)
                site.script(name, [step])
            status, headers, body, error = _raw_get(site.port, "/reset")
            self.assertEqual((status, headers["content-length"], len(body)), (200, str(len(self.DATA)), 100))
            self.assertIsInstance(error, ConnectionResetError)
            status, _, body, error = _raw_get(site.port, "/trunc")
            self.assertEqual((len(body), error), (1000, None))
            with self.assertRaises(http.client.IncompleteRead):
                _fetch(site.url("/trunc"))
            _, _, body, error = _raw_get(site.port, "/stall", timeout=0.5)
            self.assertEqual(len(body), 10)
            self.assertIsInstance(error, TimeoutError)
            site.script("/a", [Redirect("/b")])
            site.script("/b", [Redirect(site.url("/a"), code=301)])
            with self.assertRaisesRegex(urllib.error.HTTPError, "infinite loop"):
                _fetch(site.url("/a"))
            stall_thread = threading.Thread(target=_raw_get, args=(site.port, "/stall", 30))
            stall_thread.start()
            waiting.wait_until(lambda: site.count("/stall") == 2, timeout=5, what="the second stall")
            started = time.monotonic()
        self.assertLess(time.monotonic() - started, 2, "stop() must cut a stall short")
        stall_thread.join(timeout=5)

    def test_https_with_the_test_ca_and_many_concurrent_requests(self) -> None:
        pki = certs.make_pki(self.tmp / "pki")
        context = ssl.create_default_context(cafile=str(pki.ca_cert))
        with DownloadServer(pki) as site:
            site.add_file("/f", self.DATA)
            results: list[bytes] = []
            threads = [threading.Thread(target=lambda: results.append(_fetch(site.url("/f"), context)))
                       for _ in range(30)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=20)
            self.assertEqual(results, [self.DATA] * 30)
            with self.assertRaises(urllib.error.URLError):  # not trusted without the test CA
                _fetch(site.url("/f"))

    def test_forward_proxy_relays_get_and_tunnels_connect(self) -> None:
        pki = certs.make_pki(self.tmp / "pki")
        with DownloadServer() as plain, DownloadServer(pki) as secure, ForwardProxy() as proxy:
            plain.add_file("/p", b"plain")
            secure.add_file("/s", b"secure")
            opener = urllib.request.build_opener(
                urllib.request.ProxyHandler({"http": proxy.url, "https": proxy.url}),
                urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=str(pki.ca_cert))))
            self.assertEqual(opener.open(plain.url("/p"), timeout=10).read(), b"plain")
            self.assertEqual(opener.open(secure.url("/s"), timeout=10).read(), b"secure")
            self.assertEqual([(r.method, r.target) for r in proxy.requests],
                             [("GET", plain.url("/p")), ("CONNECT", f"127.0.0.1:{secure.port}")])
            with self.assertRaisesRegex(urllib.error.URLError, "403"):
                opener.open("https://example.invalid/", timeout=10)


class TarballsTest(unittest.TestCase):
    def test_fake_release_layout_is_reproducible(self) -> None:
        data = tarballs.fake_etcd_release("3.6.14", "arm64", {"extra/notes.txt": b"hi"})
        self.assertEqual(data, tarballs.fake_etcd_release("3.6.14", "arm64", {"extra/notes.txt": b"hi"}))
        members = {m.name: m for m in _members(data)}
        top = "etcd-v3.6.14-linux-arm64"
        for name in ("etcd", "etcdctl", "etcdutl", "README.md", "README-etcdctl.md",
                     "Documentation/README.md", "extra/notes.txt"):
            self.assertIn(f"{top}/{name}", members)
        self.assertEqual(members[f"{top}/etcd"].mode, 0o755)
        self.assertTrue(all(m.mtime == 0 and m.uid == 0 for m in members.values()))
        self.assertNotIn("etcd-v3.4.1-linux-amd64/etcdutl", {m.name for m in _members(
            tarballs.fake_etcd_release("3.4.1"))})

    def test_fake_etcd_reports_its_version_and_records_argv(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            with tarfile.open(fileobj=io.BytesIO(tarballs.fake_etcd_release("3.5.9"))) as archive:
                archive.extractall(tmp)
            etcd = Path(tmp) / "etcd-v3.5.9-linux-amd64" / "etcd"
            self.assertEqual(processes.run([etcd, "--version"], timeout=5).stdout,
                             "etcd Version: 3.5.9\nGit SHA: fake\nGo Version: go1.0\nGo OS/Arch: linux/amd64\n")
            argv_file = Path(tmp) / "argv"
            processes.run([etcd, "grpc-proxy", "start", "--a=b c"], env={"FAKE_ETCD_ARGV_FILE": str(argv_file)},
                          timeout=5).check()
            self.assertEqual(argv_file.read_text(), "grpc-proxy\nstart\n--a=b c\n")

    def test_each_malicious_tarball_holds_its_fault(self) -> None:
        top = "etcd-v3.6.14-linux-amd64"
        expected = {
            "dotdot": lambda m: m.get(f"{top}/../../evil-x", None) is not None,
            "absolute": lambda m: "/tmp/evil-x" in m,
            "escaping_symlink": lambda m: m[f"{top}/link"].linkname == "../../..",
            "absolute_symlink": lambda m: m[f"{top}/link"].linkname == "/etc",
            "symlink_write_through": lambda m: f"{top}/link/evil-x" in m and m[f"{top}/link"].issym(),
            "escaping_hardlink": lambda m: m[f"{top}/passwd"].islnk(),
            "device": lambda m: m[f"{top}/null"].ischr(),
            "fifo": lambda m: m[f"{top}/fifo"].isfifo(),
            "no_etcd": lambda m: f"{top}/etcd" not in m and f"{top}/etcdctl" in m,
            "etcd_is_symlink": lambda m: m[f"{top}/etcd"].issym(),
        }
        self.assertEqual(set(expected) | {"corrupt_gzip", "truncated"}, set(tarballs.MALICIOUS_KINDS))
        for kind, check in expected.items():
            with self.subTest(kind=kind):
                members = {m.name: m for m in _members(tarballs.malicious_tarball(kind, evil_name="evil-x"))}
                self.assertTrue(check(members))
                if kind not in ("no_etcd", "etcd_is_symlink"):
                    self.assertTrue(members[f"{top}/etcd"].isfile())
        for kind in ("corrupt_gzip", "truncated"):
            with self.subTest(kind=kind), self.assertRaises((tarfile.TarError, EOFError, OSError)):
                _members(tarballs.malicious_tarball(kind))

    def test_debian_release_has_the_upstream_layout_and_is_cached(self) -> None:
        path = tarballs.debian_etcd_release()
        version = tarballs.debian_etcd_version()
        self.assertEqual(path.name, f"etcd-v{version}-linux-amd64.tar.gz")
        self.assertEqual(tarballs.debian_etcd_release(), path)
        with tarfile.open(path) as archive:
            members = {m.name: m for m in archive.getmembers()}
        top = f"etcd-v{version}-linux-amd64"
        self.assertEqual(members[f"{top}/etcd"].size, Path("/usr/bin/etcd").stat().st_size)
        self.assertEqual(members[f"{top}/etcdctl"].mode, 0o755)
        self.assertIn(f"{top}/Documentation", members)
        self.assertEqual(len(tarballs.sha256_hex(path)), 64)

    def test_etcd35_release_holds_debians_real_3_5_binaries(self) -> None:
        build = etcd_builds.require_etcd35()
        self.assertRegex(build.version, r"^3\.5\.\d+$")
        self.assertEqual(processes.run([str(build.etcd), "--version"], timeout=30).check().stdout.split("\n")[0],
                         f"etcd Version: {build.version}")
        path = tarballs.debian_etcd_release(build=build)
        self.assertEqual(path.name, f"etcd-v{build.version}-linux-amd64.tar.gz")
        with tarfile.open(path) as archive:
            members = {m.name: m for m in archive.getmembers()}
        top = f"etcd-v{build.version}-linux-amd64"
        for name in ("etcd", "etcdctl", "etcdutl"):
            self.assertEqual(members[f"{top}/{name}"].size, (build.bin_dir / name).stat().st_size, name)
            self.assertEqual(members[f"{top}/{name}"].mode, 0o755, name)

    def test_etcd35_unavailable_fails_under_ci_and_skips_elsewhere(self) -> None:
        unavailable = mock.patch.object(etcd_builds, "etcd35", side_effect=etcd_builds.Etcd35Unavailable("no network"))
        with unavailable, mock.patch.dict(os.environ, {"CI": "true"}):
            with self.assertRaisesRegex(AssertionError, "could not be fetched: no network"):
                etcd_builds.require_etcd35()
        with unavailable, mock.patch.dict(os.environ, {"CI": ""}):
            with self.assertRaisesRegex(unittest.SkipTest, "could not be fetched: no network"):
                etcd_builds.require_etcd35()


class TomlAndBuildpackCopyTest(TempDirTestCase):
    def test_toml_writer_round_trips(self) -> None:
        data = {"a": 1, "s": 'q"\\\n', "f": 1.5, "b": True, "l": ["x", 2], "t": {"k": {"deep": "v"}},
                "entries": [{"name": "etcd", "metadata": {"version": "3.*"}}, {"name": "other"}]}
        self.assertEqual(tomllib.loads(dumps(data)), data)

    def test_make_test_buildpack_rewrites_dependencies_and_default(self) -> None:
        source = make_fake_buildpack(self.tmp / "source")
        (source / "bin" / "detect").unlink()
        (source / "bin" / "detect").symlink_to("build")
        dependency = buildpack_toml.make_dependency("3.5.1", "http://127.0.0.1:1/etcd-v3.5.1.tar.gz", "b" * 64)
        copy = buildpack_toml.make_test_buildpack(self.tmp / "copy", [dependency], "3.5.*", source_dir=source)
        parsed = buildpack_toml.read_buildpack_toml(copy)
        self.assertEqual(parsed["metadata"]["dependencies"], [dependency])
        self.assertEqual(parsed["metadata"]["default-versions"], {"etcd": "3.5.*"})
        self.assertEqual(parsed["metadata"]["configurations"][0]["name"], "BP_ETCD_VERSION")
        self.assertEqual(os.readlink(copy / "bin" / "detect"), "build")
        self.assertTrue(os.access(copy / "bin" / "build", os.X_OK))
        tarball = tarballs.fake_etcd_release("3.5.1")
        dependency["sha256"] = tarballs.sha256_hex(tarball)
        stored = buildpack_toml.offline_dependencies(copy, dependency, tarball)
        self.assertEqual(stored, copy / "dependencies" / dependency["sha256"] / "etcd-v3.5.1.tar.gz")


class TreesTest(TempDirTestCase):
    def test_tree_hash_sees_modes_contents_and_links_but_not_mtimes(self) -> None:
        (self.tmp / "d").mkdir()
        (self.tmp / "d" / "f").write_text("x")
        (self.tmp / "link").symlink_to("d/f")
        before = trees.snapshot(self.tmp)
        os.utime(self.tmp / "d" / "f", (0, 0))
        self.assertEqual(trees.tree_hash(self.tmp), trees.tree_hash(self.tmp))
        self.assertEqual(trees.snapshot(self.tmp), before)
        (self.tmp / "d" / "f").chmod(0o600)
        self.assertNotEqual(trees.snapshot(self.tmp), before)
        self.assertEqual(len(trees.diff(before, trees.snapshot(self.tmp))), 1)
        self.assertEqual(trees.list_files(self.tmp), ["d/", "d/f", "link"])


class LifecycleTest(TempDirTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.buildpack = make_fake_buildpack(self.tmp / "buildpack")
        self.lifecycle = Lifecycle(self.buildpack, self.tmp / "root")
        self.addCleanup(self.lifecycle.close)

    def test_detect_environment_plan_and_fail_code(self) -> None:
        lc = self.lifecycle
        lc.set_platform_env("BP_FROM_PLATFORM", "yes")
        lc.set_platform_env("PATH", "/platform/bin")
        with mock.patch.dict(os.environ, {"LEAKED_SECRET": "s3cret", "HTTPS_PROXY": "http://127.0.0.1:9"}):
            result = lc.detect(env={"BP_LIFECYCLE": "given"})
        self.assertEqual(result.code, 0, result.describe())
        self.assertEqual(result.plan["requires"][0]["metadata"]["version"], "3.6.*")
        env = dict(line.split("=", 1) for line in result.stdout.splitlines()[1:] if "=" in line)
        self.assertEqual(env["BP_FROM_PLATFORM"], "yes")
        self.assertEqual(env["BP_LIFECYCLE"], "given")
        self.assertEqual(env["HTTPS_PROXY"], "http://127.0.0.1:9")
        self.assertNotIn("LEAKED_SECRET", env)
        self.assertTrue(env["PATH"].startswith("/platform/bin:"))
        self.assertEqual(env["CNB_BUILDPACK_DIR"], str(self.buildpack))
        self.assertEqual(env["CNB_TARGET_OS"], "linux")
        # The distro of the build image (this machine), as the lifecycle reads /etc/os-release.
        release = platform.freedesktop_os_release()
        self.assertEqual(env["CNB_TARGET_DISTRO_NAME"], release["ID"])
        self.assertEqual(env["CNB_TARGET_DISTRO_VERSION"], release["VERSION_ID"])
        self.assertEqual(result.stdout.splitlines()[0], f"args: {lc.platform_dir} {env['CNB_BUILD_PLAN_PATH']}")
        self.assertEqual(oct(Path(env["CNB_BUILD_PLAN_PATH"]).stat().st_mode & 0o777), "0o600")
        self.assertEqual(lc.detect(env={"BP_ETCD_PROXY_ENABLED": "false"}, args=False).code, 100)

    def test_os_release_is_read_like_the_lifecycle_reads_it(self) -> None:
        cases = {
            'NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\n': ("ubuntu", "22.04"),
            "ID=debian\nPRETTY_NAME=a=b\nVERSION_ID=13\n": ("debian", "13"),
            'ID="cflinuxfs4 "\n': ("cflinuxfs4", ""),
            "": ("", ""),
        }
        for text, expected in cases.items():
            path = self.tmp / "os-release"
            path.write_text(text)
            self.assertEqual(os_release_distro(path), expected, text)
        self.assertEqual(os_release_distro(self.tmp / "missing"), ("", ""))
        lc = self.lifecycle
        lc.target_env.pop("CNB_TARGET_DISTRO_NAME", None)
        env = dict(line.split("=", 1) for line in lc.detect().stdout.splitlines()[1:] if "=" in line)
        self.assertNotIn("CNB_TARGET_DISTRO_NAME", env)

    def test_build_validate_restore_rebuild_and_launch(self) -> None:
        lc = self.lifecycle
        lc.detect().check()
        first = lc.build()
        first.validate()
        self.assertIn('version = "3.6.*"', first.stdout)  # the plan carries detect's requirement
        self.assertEqual(lc.layers_dir.name, "etcdproxy_etcd-proxy")
        etcd_tree = trees.tree_hash(lc.layers_dir / "etcd")

        lc.restore()
        self.assertEqual(sorted(p.name for p in lc.layers_dir.iterdir()),
                         ["etcd", "etcd.sbom.cdx.json", "etcd.toml", "helper.toml"])
        self.assertNotIn("types", tomllib.loads((lc.layers_dir / "etcd.toml").read_text()))
        second = lc.build()
        second.validate()
        self.assertIn("Reusing cached layer", second.stdout)
        self.assertEqual(trees.tree_hash(lc.layers_dir / "etcd"), etcd_tree)

        proc = lc.launch("etcd-proxy")
        line = waiting.wait_until(lambda: proc.log_text().strip(), timeout=5, what="the helper's output")
        self.assertIn(f"pid={proc.pid} args=--default-arg greeting=hello execd=yes list=b", line)
        self.assertIn(f"path={lc.layers_dir / 'helper' / 'bin'}:{lc.layers_dir / 'etcd' / 'bin'}:", line)
        self.assertEqual(lc.plan_launch("etcd-proxy", args=["--x"], env={"LIST": "a"}).argv, ["etcd-proxy", "--x"])
        self.assertEqual(lc.plan_launch("etcd-proxy", env={"LIST": "a"}).env["LIST"], "a,b")
        proc.stop()

    def test_validate_reports_contract_violations(self) -> None:
        self.lifecycle.detect().check()
        result = self.lifecycle.build(env={"FAKE_BAD": "1"})
        with self.assertRaises(AssertionError) as caught:
            result.validate()
        self.assertIn("bad.toml: type key 'launch' at top level", str(caught.exception))
        self.assertIn("TRAILING: value ends with a newline", str(caught.exception))

    def test_restore_json_round_trip_can_turn_integers_into_floats(self) -> None:
        lc = self.lifecycle
        lc.corrupt_metadata("etcd", '[types]\nlaunch = true\n\n[metadata]\nversion = "3.6.14"\ncount = 3\n')
        lc.restore(int_to_float=True)
        self.assertEqual(tomllib.loads((lc.layers_dir / "etcd.toml").read_text()),
                         {"metadata": {"version": "3.6.14", "count": 3.0}})
        self.assertIsInstance(json_round_trip({"n": 1})["n"], int)

    def test_bindings_in_kubernetes_layout(self) -> None:
        binding = self.lifecycle.add_binding("my-etcd", "etcd", {"endpoints": "127.0.0.1:2379\n"},
                                             k8s_layout=True)
        self.assertEqual(os.readlink(binding / "..data"), "..2024_01_01_00_00_00.000000001")
        self.assertEqual(os.readlink(binding / "endpoints"), "..data/endpoints")
        self.assertEqual((binding / "type").read_text(), "etcd")
        self.assertEqual((binding / "endpoints").read_text(), "127.0.0.1:2379\n")


class CfStagerTest(TempDirTestCase):
    def test_supply_droplet_and_container(self) -> None:
        buildpack = make_fake_buildpack(self.tmp / "buildpack")
        with CfStager(buildpack, self.tmp / "root", deps_idx="03") as stager:
            self.assertEqual(stager.indices, [f"0{i}" for i in range(10)])  # the smallest push with index 03
            self.assertRegex(stager.deps_dir.parent.name, r"^contents[0-9a-f]+$")
            app_before = trees.tree_hash(stager.build_dir)
            self.assertEqual(stager.supply(args=["only-one"]).code, 1)
            result = stager.supply().check()
            self.assertIn("-----> Etcdproxy Buildpack version 0.0.1", result.stdout)
            self.assertTrue((stager.deps_idx_dir / "bin" / "etcd-proxy").is_file())
            self.assertEqual(trees.tree_hash(stager.build_dir), app_before)
            self.assertEqual(os.listdir(stager.deps_dir / "04"), [])

            root = stager.launch_root()
            self.assertTrue((root / "profile.d" / "03_etcd.sh").is_file())
            script = (root / "profile.d" / "000_multi-supply.sh").read_text()
            self.assertIn("export PATH=$DEPS_DIR/03/bin$(", script)
            launchers = ["emulated"] + (["real"] if real_launcher().is_file() else [])
            for stager.launcher in launchers:
                with self.subTest(launcher=stager.launcher):
                    output = stager.run_command('command -v etcd-proxy; echo "$FROM_PROFILE $HOME"; etcd-proxy').check()
                    self.assertEqual(command_lines(output.stdout), [
                        str(root / "deps" / "03" / "bin" / "etcd-proxy"), f"yes {root / 'app'}",
                        f"helper in {root / 'deps'}"])
            sidecar = stager.run_in_container("echo up; exec sleep 30")
            waiting.wait_until(lambda: "up" in sidecar.log_text(), timeout=5, what="the sidecar")
        self.assertIsNotNone(sidecar.returncode)


class EtcdClusterTest(TempDirTestCase):
    def test_single_member_plain(self) -> None:
        with EtcdCluster(size=1) as cluster:
            self.assertEqual(cluster.client_urls, [f"http://{cluster.endpoints[0]}"])
            cluster.etcdctl("put", "greeting", "hello").check()
            self.assertEqual(cluster.etcdctl("get", "greeting", "--print-value-only").check().stdout, "hello\n")
            client = cluster.client()
            client.put("from-python", "value")
            self.assertEqual(client.get("greeting")[0], b"hello")
            self.assertEqual(cluster.get_raw("from-python"), "value")
            self.assertIsNone(cluster.get_raw("absent"))
            self.assertEqual(cluster.leader_index(), 0)

    def test_single_member_tls_with_client_cert_auth(self) -> None:
        pki = certs.make_pki(self.tmp / "pki")
        with EtcdCluster(size=1, pki=pki, client_cert_auth=True) as cluster:
            self.assertTrue(cluster.client_urls[0].startswith("https://127.0.0.1:"))
            cluster.put_raw("k", "v")
            self.assertEqual(cluster.client().get("k")[0], b"v")
            with_sec1_key = processes.run(
                ["etcdctl", f"--endpoints={cluster.client_urls[0]}", f"--cacert={pki.ca_cert}",
                 f"--cert={pki.client_cert}", f"--key={pki.client_key_sec1}", "get", "k", "--print-value-only"],
                env={"ETCDCTL_API": "3"}, timeout=10)
            self.assertEqual(with_sec1_key.check().stdout, "v\n")
            without_cert = processes.run(
                ["etcdctl", f"--endpoints={cluster.client_urls[0]}", f"--cacert={pki.ca_cert}",
                 "--dial-timeout=1s", "--command-timeout=1s", "get", "k"], env={"ETCDCTL_API": "3"}, timeout=10)
            self.assertNotEqual(without_cert.code, 0)

    def test_single_member_with_etcd35(self) -> None:
        build = etcd_builds.require_etcd35()
        with EtcdCluster(size=1, build=build) as cluster:
            cluster.put_raw("k", "v35")
            self.assertEqual(cluster.get_raw("k"), "v35")
            status = cluster.etcdctl("endpoint", "status", "-w", "json").check().stdout
            self.assertIn(f'"version":"{build.version}"', status)

    def test_three_members_survive_losing_a_follower(self) -> None:
        with EtcdCluster(size=3) as cluster:
            leader = cluster.leader_index()
            follower = next(i for i in range(3) if i != leader)
            cluster.kill(follower)
            self.assertEqual(cluster.live_indices(), sorted(set(range(3)) - {follower}))
            cluster.put_raw("still", "works")
            self.assertEqual(cluster.get_raw("still"), "works")


class TestModulesStandAloneTest(unittest.TestCase):
    """A test module imports the harness, never another test module: what two modules share lives
    in harness/fixtures (harness/README.md, "Where a new test goes")."""

    def test_no_test_module_or_harness_module_imports_a_test_module(self) -> None:
        here = Path(__file__).resolve().parent
        sources = sorted(here.glob("test_*.py")) + sorted((here / "harness").rglob("*.py"))
        self.assertIn(here / "harness" / "fixtures" / "launched.py", sources)
        offences = [f"{path.relative_to(here)}:{line} imports {module}"
                    for path in sources for line, module in imports_of_test_modules(path.read_text())]
        self.assertEqual(offences, [], "move what is shared to harness/fixtures and import it from there")

    def test_the_check_finds_every_spelling_of_such_an_import(self) -> None:
        source = ("import os, test_a as a\n"
                  "from test_b import Thing\n"
                  "from harness.fixtures.launched import HelperTestCase\n"
                  "def later():\n"
                  "    import test_c.sub\n"
                  "    return importlib.import_module('test_d'), __import__('test_e'), importlib.import_module(name)\n")
        self.assertEqual(imports_of_test_modules(source),
                         [(1, "test_a"), (2, "test_b"), (5, "test_c.sub"), (6, "test_d"), (6, "test_e")])

    def test_fixture_base_classes_hold_no_tests(self) -> None:
        # A test method on a shared base class would run again in every module that imports it.
        loader = unittest.TestLoader()
        checked = []
        for info in pkgutil.iter_modules(fixtures.__path__):
            module = importlib.import_module(f"{fixtures.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, unittest.TestCase) and value.__module__ == module.__name__:
                    checked.append(value.__name__)
                    self.assertEqual(list(loader.getTestCaseNames(value)), [], f"{module.__name__}.{value.__name__}")
        self.assertIn("HelperTestCase", checked)
        self.assertIn("CnbBuildTestCase", checked)


def imports_of_test_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of a ``test_*`` module in ``source``, at any depth: ``import``,
    ``from … import``, and ``importlib.import_module``/``__import__`` of a literal name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")):
            names = [node.args[0].value]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0].startswith("test_")]
    return sorted(found)


def _fetch(url: str, context: ssl.SSLContext | None = None) -> bytes:
    with urllib.request.urlopen(url, context=context, timeout=10) as response:
        return response.read()


def _raw_get(port: int, path: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes, Exception | None]:
    """GET over a raw socket: status, headers, the body bytes received and the error that ended it."""
    data, error = b"", None
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except OSError as caught:
            error = caught
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body, error


def _members(data: bytes) -> list[tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        return archive.getmembers()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"


if __name__ == "__main__":
    unittest.main()

"""Malformed secrets, echoed files, endless downloads, shared PEM files,
strict endpoints, the Cloud Foundry cache and control characters, each against the real
executables (bin/etcd-proxy, bin/build, bin/supply). Every test names the item of docs/reliability.md's table it covers;
each failed on the code before the fix (it leaked, hung, crashed the build or wrote outside).

The helper runs directly (as a Kubernetes sidecar would run the image's etcd-proxy) with a fake
`etcd` first on PATH, which records the argv grpc-proxy would get. Builds use the directories a
CNB build gets. Both are harness/fixtures/direct.py's (``DirectHelperTestCase``,
``DirectBuildTestCase``); supply uses the CF stager.
"""

from __future__ import annotations

import json
import os
import time
import unittest
from pathlib import Path

from harness import config, tarballs
from harness.bindings import write_binding
from harness.cf_stager import CfStager
from harness.certs import make_pki
from harness.fixtures.direct import QUICK, SECRET, DirectBuildTestCase, DirectHelperTestCase
from harness.http_server import DownloadServer, Endless, Status
from harness.processes import run


class RedactionTest(DirectHelperTestCase):
    """Item 1: secrets in malformed URLs."""

    def test_a_password_holding_a_slash_is_never_echoed_by_the_helper(self):
        line = self.refused(["print"], {"BPL_ETCD_PROXY_ENDPOINTS": f"https://user:p/{SECRET}@10.0.0.1:2379"},
                            "BPL_ETCD_PROXY_ENDPOINTS", "must be percent-encoded")
        self.assertIn("<redacted: not a well-formed URL>", line)

    def test_query_and_fragment_passwords_too(self):
        for endpoint in (f"https://u:p?{SECRET}@10.0.0.1:2379", f"https://u:p#{SECRET}@10.0.0.1:2379",
                         f"u:1234/{SECRET}@10.0.0.1:2379"):
            with self.subTest(endpoint=endpoint):
                self.refused(["print"], {"BPL_ETCD_PROXY_ENDPOINTS": endpoint}, "BPL_ETCD_PROXY_ENDPOINTS")

    def test_print_redacts_pass_through_arguments(self):
        # --endpoints is the helper's own flag, so the argument is refused: redacted there too.
        line = self.refused(["print", f"--endpoints=https://u:p/{SECRET}@10.0.0.9:2379"],
                            {"BPL_ETCD_PROXY_ENDPOINTS": "10.0.0.1:2379"},
                            "the argument --endpoints=<redacted: not a well-formed URL>", "BPL_ETCD_PROXY_ENDPOINTS")
        self.assertNotIn(SECRET, line)
        result = self.helper(["print", f"--resolver-url=u:{SECRET}@example.com"], {"BPL_ETCD_PROXY_ENDPOINTS": "10.0.0.1:2379"})
        self.assertEqual(result.code, 0, result.output)
        self.assertNotIn(SECRET, result.output)
        self.assertIn("--resolver-url=***@example.com", result.stdout.splitlines())


class BuildRedactionTest(DirectBuildTestCase):
    """Item 1 in the build: the configuration table and the mirror message."""

    def test_a_mirror_password_holding_a_slash_is_named_accurately_and_never_shown(self):
        port = self.site.base_url.rsplit(":", 1)[1]
        mirror = f"https://user:p/{SECRET}@127.0.0.1:{port}/{{originalHost}}"
        (self.dirs.buildpack / "buildpack.toml").write_text((self.dirs.buildpack / "buildpack.toml").read_text().replace(
            self.url, "https://github.com" + self.path))
        result = self.build({"BP_DEPENDENCY_MIRROR": mirror})
        line = self.error_line(result)
        self.assertIn("BP_DEPENDENCY_MIRROR has credentials holding '/'", line)
        self.assertIn("must be percent-encoded", line)
        self.assertNotIn("must be an https:// or file:// URL", line)
        self.assertIn("BP_DEPENDENCY_MIRROR", result.stdout, "the configuration table lists the mirror")
        self.assertIn("<redacted: not a well-formed URL>", result.stdout)

    def test_a_fragment_never_reaches_the_log(self):
        write_binding(self.bindings, "mapping", "dependency-mapping",
                      {tarballs.sha256_hex(self.release): f"{self.url}#token={SECRET}"})
        result = self.build()
        self.assertEqual(result.code, 0, result.output)
        self.assertIn(self.url, result.stdout)


class FileContentTest(DirectHelperTestCase):
    """Item 2: values read from files are never echoed; the file is named instead."""

    def test_a_binding_entry_linked_to_a_secret_file_names_the_file(self):
        secret_file = self.root / "secret"
        secret_file.write_text(f"{SECRET}-token\n")
        binding = write_binding(self.root / "bindings", "etcd", "etcd", {}, k8s_layout=True)
        (binding / "endpoints").symlink_to(secret_file)  # followed, as Kubernetes' ..data links must be
        line = self.refused(["print"], {"SERVICE_BINDING_ROOT": str(self.root / "bindings")},
                            "binding 'etcd'", str(binding / "endpoints"), "endpoint 1 has no port")
        self.assertNotIn("-token", line)

    def test_vcap_services_from_a_file_names_the_file(self):
        vcap = self.root / "vcap.json"
        vcap.write_text(json.dumps({"etcd": [{"name": "e", "tags": ["etcd"],
                                              "credentials": {"endpoints": [f"{SECRET}:99999"]}}]}))
        self.refused(["print"], {"VCAP_SERVICES_FILE_PATH": str(vcap)}, str(vcap), "endpoint 1 has a port outside 1-65535")


class FifoTest(DirectHelperTestCase):
    """Item 4: a FIFO (or device) where a file is expected is refused at once, naming it."""

    def setUp(self) -> None:
        super().setUp()
        self.fifo = self.root / "pipe"
        os.mkfifo(self.fifo)

    def test_vcap_services_file_path(self):
        self.refused(["print"], {"VCAP_SERVICES_FILE_PATH": str(self.fifo)},
                     "VCAP_SERVICES_FILE_PATH", f"{self.fifo} is a FIFO, not a regular file")

    def test_cacert(self):
        self.refused(["print"], {"BPL_ETCD_PROXY_ENDPOINTS": "https://10.0.0.1:2379", "BPL_ETCD_PROXY_CACERT": str(self.fifo),
                                 "BPL_ETCD_PROXY_CERT": "/dev/zero", "BPL_ETCD_PROXY_KEY": "/dev/zero"},
                     "BPL_ETCD_PROXY_CACERT", "is a FIFO, not a regular file")

    def test_client_certificate_device(self):
        self.refused(["print"], {"BPL_ETCD_PROXY_ENDPOINTS": "https://10.0.0.1:2379", "BPL_ETCD_PROXY_CERT": "/dev/zero",
                                 "BPL_ETCD_PROXY_KEY": "/dev/zero"},
                     "BPL_ETCD_PROXY_CERT", "/dev/zero is a character device")

    def test_binding_entry(self):
        binding = write_binding(self.root / "bindings", "etcd", "etcd", {})
        os.mkfifo(binding / "endpoints")
        self.refused(["print"], {"SERVICE_BINDING_ROOT": str(self.root / "bindings")},
                     "binding 'etcd'", "endpoints is a FIFO, not a regular file")


class BoundedDownloadTest(DirectBuildTestCase):
    """Item 3: a download that never ends stops at the size limit or the deadline, leaving nothing."""

    def test_an_endless_body_stops_at_the_size_limit(self):
        self.site.script(self.path, [Endless()])
        started = time.monotonic()
        line = self.error_line(self.build({"BP_DOWNLOAD_MAX_SIZE_MB": "2"}))
        self.assertIn("more than 2 MB, the download size limit", line)
        self.assertIn("BP_DOWNLOAD_MAX_SIZE_MB", line)
        self.assertEqual(self.site.count(self.path), 1, "a size limit is final, not retried")
        self.assertLess(time.monotonic() - started, QUICK)
        self.assert_no_layer_left()

    def test_a_declared_huge_length_is_refused_before_the_body(self):
        self.site.script(self.path, [Endless(declared_length=10 << 30)])
        line = self.error_line(self.build({"BP_DOWNLOAD_MAX_SIZE_MB": "2"}))
        self.assertIn("the download size limit", line)
        self.assert_no_layer_left()

    def test_an_endless_body_stops_at_the_deadline(self):
        self.site.script(self.path, [Endless()])
        started = time.monotonic()
        line = self.error_line(self.build({"BP_DOWNLOAD_TIMEOUT": "2", "BP_DOWNLOAD_MAX_SIZE_MB": "65536"}))
        self.assertIn("not finished after 2 s", line)
        self.assertIn("BP_DOWNLOAD_TIMEOUT", line)
        self.assertLess(time.monotonic() - started, QUICK)
        self.assert_no_layer_left()

    def test_file_sources_that_never_end_are_refused(self):
        fifo = self.root / "etcd.tgz"
        os.mkfifo(fifo)
        for source, expected in ((f"file://{fifo}", "is a FIFO, not a regular file"),
                                 ("file:///dev/zero", "cannot download: /dev/zero is a character device, not a regular file")):
            with self.subTest(source=source):
                write_binding(self.bindings, "mapping", "dependency-mapping", {tarballs.sha256_hex(self.release): source})
                self.assertIn(expected, self.error_line(self.build()))
                self.assert_no_layer_left()

    def test_supply_with_an_endless_body_leaves_the_cache_empty(self):
        self.site.script(self.path, [Endless()])
        stager = CfStager(self.dirs.buildpack, self.root / "cf")
        result = stager.supply(env={"BP_DOWNLOAD_TIMEOUT": "2", "BP_DOWNLOAD_MAX_SIZE_MB": "65536"}, timeout=QUICK * 2)
        self.assertNotEqual(result.code, 0, result.output)
        [error] = [line for line in result.stdout.splitlines() if "**ERROR**" in line]
        self.assertIn("not finished after 2 s", error)
        self.assertIn("BP_DOWNLOAD_TIMEOUT", error)
        self.assertEqual([p for p in stager.cache_dir.rglob("*") if p.is_file()], [])
        self.assertFalse((stager.deps_idx_dir / "etcd").exists())


class UnrelatedBindingsTest(DirectBuildTestCase):
    """Item 5: bindings of other types are never read, however large or odd."""

    def setUp(self) -> None:
        super().setUp()
        write_binding(self.bindings, "ca-certificates", "ca-certificates", {"bundle.pem": "x" * (2 << 20)})
        db = write_binding(self.bindings, "db", "postgresql", {"username": "app"})
        os.mkfifo(db / "password")

    def test_the_build_ignores_them(self):
        result = self.build()
        self.assertEqual(result.code, 0, result.output)

    def test_the_helper_ignores_them(self):
        write_binding(self.bindings, "etcd", "etcd", {"endpoints": "10.0.0.1:2379", "ca.crt": "y" * (2 << 20)})
        result = run([config.buildpack_dir() / "bin" / "etcd-proxy", "print"], timeout=QUICK,
                     env={"PATH": "/usr/bin:/bin", "SERVICE_BINDING_ROOT": str(self.bindings)})
        # The 2 MiB ca.crt belongs to the etcd binding: the TLS check names it (size), nothing else fails.
        self.assertIn("ca.crt is larger than", result.stderr)
        (self.bindings / "etcd" / "ca.crt").unlink()
        result = run([config.buildpack_dir() / "bin" / "etcd-proxy", "print"], timeout=QUICK,
                     env={"PATH": "/usr/bin:/bin", "SERVICE_BINDING_ROOT": str(self.bindings)})
        self.assertEqual(result.code, 0, result.output)
        self.assertIn("--endpoints=10.0.0.1:2379", result.stdout.splitlines())


class TwoHelpersTest(DirectHelperTestCase):
    """Item 6: two helpers in one container never share PEM files."""

    def test_each_helper_has_its_own_private_files(self):
        pki = make_pki(self.root / "pki")

        def vcap(ca: str, cert: str, key: str) -> str:
            return json.dumps({"etcd": [{"name": "e", "tags": ["etcd"], "credentials": {
                "endpoints": "https://10.0.0.1:2379", "ca": pki.read(ca), "cert": pki.read(cert), "key": pki.read(key)}}]})

        first = self.helper([], {"VCAP_SERVICES": vcap("ca_cert", "client_cert", "client_key")})
        self.assertEqual(first.code, 0, first.output)
        first_argv = (self.root / "argv").read_text().splitlines()
        key = Path(next(a for a in first_argv if a.startswith("--key="))[6:])
        before = key.stat()
        second = self.helper([], {"VCAP_SERVICES": vcap("other_ca_cert", "other_client_cert", "other_client_key")})
        self.assertEqual(second.code, 0, second.output)
        second_key = Path(next(a for a in (self.root / "argv").read_text().splitlines() if a.startswith("--key="))[6:])
        self.assertNotEqual(key.parent, second_key.parent)
        self.assertEqual((key.stat().st_ino, key.read_text()), (before.st_ino, pki.read("client_key")))
        self.assertEqual(second_key.read_text(), pki.read("other_client_key"))
        for directory in (key.parent, second_key.parent):
            self.assertEqual(directory.stat().st_mode & 0o777, 0o700)
            self.assertEqual(directory.parent, self.tmpdir)
        # `print` shows the exact paths the run used, without writing anything.
        printed = self.helper(["print"], {"VCAP_SERVICES": vcap("ca_cert", "client_cert", "client_key")})
        self.assertIn(f"--key={key}", printed.stdout.splitlines())
        # The same credentials again: the first helper's files are left as they are.
        self.helper([], {"VCAP_SERVICES": vcap("ca_cert", "client_cert", "client_key")})
        self.assertEqual(key.stat().st_ino, before.st_ino)


class EndpointTest(DirectHelperTestCase):
    """Item 7: endpoints and addresses are parsed strictly."""

    def test_a_newline_cannot_smuggle_a_flag(self):
        self.refused(["print"], {"BPL_ETCD_PROXY_ENDPOINTS": "10.0.0.1:2379\n--debug"},
                     "contains a space or a control character", "\\x0a--debug")

    def test_spaces_and_ports_outside_the_range(self):
        for endpoint, problem in (("10.0.0.1:2379 --debug", "contains a space"), ("10.0.0.1:0", "outside 1-65535"),
                                  ("10.0.0.1:99999", "outside 1-65535"), ("http://[::1:2379", "not a well-formed")):
            with self.subTest(endpoint=endpoint):
                self.refused(["print"], {"BPL_ETCD_PROXY_ENDPOINTS": endpoint}, problem)

    def test_ports_compare_as_numbers(self):
        self.refused(["print"], {"BPL_ETCD_PROXY_ENDPOINTS": "127.0.0.1:02379"},
                     "endpoint 127.0.0.1:2379 is the proxy's own listen address")
        self.refused(["print"], {"BPL_ETCD_PROXY_ENDPOINTS": "localhost:12379", "BPL_ETCD_PROXY_LISTEN_ADDR": "127.0.0.1:012379"},
                     "is the proxy's own listen address")

    def test_listen_and_metrics_addresses(self):
        base = {"BPL_ETCD_PROXY_ENDPOINTS": "10.0.0.1:2379"}
        self.refused(["print"], {**base, "BPL_ETCD_PROXY_LISTEN_ADDR": "127.0.0.1:99999"},
                     "BPL_ETCD_PROXY_LISTEN_ADDR=\"127.0.0.1:99999\" has a port outside 1-65535")
        self.refused(["print"], {**base, "BPL_ETCD_PROXY_METRICS_ADDR": "0.0.0.0:0"}, "BPL_ETCD_PROXY_METRICS_ADDR")


class CfCacheTest(DirectBuildTestCase):
    """Item 8: the Cloud Foundry cache never stops staging, and supply never writes outside."""

    def setUp(self) -> None:
        super().setUp()
        self.stager = CfStager(self.dirs.buildpack, self.root / "cf")
        self.cached = self.stager.cache_dir / "dependencies" / tarballs.sha256_hex(self.release)

    def test_a_corrupt_cached_download_is_discarded_and_fetched_again(self):
        self.assertEqual(self.stager.supply().code, 0)
        [cached] = list(self.cached.iterdir())
        cached.write_bytes(b"corrupted by a full disk")
        result = self.stager.supply()
        self.assertEqual(result.code, 0, result.output)
        self.assertIn("**WARNING** the cached download failed verification", result.stdout)
        self.assertEqual(self.site.count(self.path), 2)
        self.assertEqual(cached.read_bytes(), self.release, "the fresh download is cached again")
        self.assertEqual(self.stager.supply().code, 0)
        self.assertEqual(self.site.count(self.path), 2, "and the next restage uses it")

    def test_an_unwritable_cache_stages_without_caching_and_says_why(self):
        (self.stager.cache_dir / "dependencies").write_text("an odd cache entry")
        result = self.stager.supply()
        self.assertEqual(result.code, 0, result.output)
        [warning] = [line for line in result.stdout.splitlines() if "**WARNING**" in line]
        self.assertIn("CACHE_DIR cannot be written", warning)
        self.assertIn("Not a directory", warning)
        self.assertTrue((self.stager.deps_idx_dir / "bin" / "etcd").exists())

    def test_a_cache_entry_that_cannot_be_replaced_is_only_a_warning(self):
        occupied = self.cached / "etcd-v3.6.14-linux-amd64.tar.gz"  # where the download would be kept
        occupied.mkdir(parents=True)
        (occupied / "x").write_text("a directory in the way")
        result = self.stager.supply()
        self.assertEqual(result.code, 0, result.output)
        self.assertIn("staged without caching the download", result.stdout)

    def test_a_planted_symlink_in_deps_idx_is_refused(self):
        outside = self.root / "outside"
        outside.mkdir()
        (self.stager.deps_idx_dir / "bin").symlink_to(outside)
        result = self.stager.supply()
        self.assertNotEqual(result.code, 0, result.output)
        [error] = [line for line in result.stdout.splitlines() if "**ERROR**" in line]
        self.assertIn("DEPS_DIR/DEPS_IDX/bin is a symbolic link leading outside", error)
        self.assertEqual(list(outside.iterdir()), [], "nothing may be written outside DEPS_DIR/DEPS_IDX")


class TerminalTest(DirectHelperTestCase):
    """Item 10: control characters are escaped; small message fixes."""

    def test_service_names_are_escaped(self):
        vcap = {"etcd": [{"name": "a\x1b[2Jb", "tags": ["etcd"]}, {"name": "c", "tags": ["etcd"]}]}
        self.refused(["print"], {"VCAP_SERVICES": json.dumps(vcap)}, "'a\\x1b[2Jb'")

    def test_vcap_services_that_is_json_but_not_an_object(self):
        self.refused(["print"], {"VCAP_SERVICES": "[]"}, "VCAP_SERVICES is not a JSON object")

    def test_health_bodies_are_escaped_and_seconds_read_well(self):
        site = self.enterContext(DownloadServer())
        for path in ("/proxy/health", "/health"):
            site.script(path, [Status(503, body=b'\x1b[2J{"health":"false","reason":"\x07down"}')])
        address = site.url("/").split("//", 1)[1].rstrip("/")
        line = self.refused(["health", "--timeout", "1"], {"BPL_ETCD_PROXY_LISTEN_ADDR": address},
                            "is not healthy after 1 s:", "HTTP 503 \\x1b[2J")
        self.assertNotIn("\x07", line)


class ArchiveNamesTest(DirectBuildTestCase):
    """Item 10 in the build: an archive entry name is escaped in the error."""

    def test_control_characters_in_an_entry_name(self):
        evil = tarballs.malicious_tarball("dotdot", evil_name="evil\x1b[2J\x07name")
        self.site.add_file(self.path, evil)
        (self.dirs.buildpack / "buildpack.toml").write_text((self.dirs.buildpack / "buildpack.toml").read_text().replace(
            tarballs.sha256_hex(self.release), tarballs.sha256_hex(evil)))
        result = self.build()
        line = self.error_line(result)
        self.assertIn("evil\\x1b[2J\\x07name", line)
        self.assertNotIn("\x1b", result.output)
        self.assertNotIn("\x07", result.output)


if __name__ == "__main__":
    unittest.main()

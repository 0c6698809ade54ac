"""The SBOMs a real build writes (etcd layer and helper layer, CycloneDX 1.4 and SPDX 2.3) against
the official JSON schemas, and the helper layer's SBOM against what the static launch helper
really links (README, "Layers, caching and SBOMs").

Run from ``integration/`` with Debian's Python: ``/usr/bin/python3 -m unittest -v test_sbom``."""

from __future__ import annotations

import copy
import json
import re
import tempfile
import unittest
from pathlib import Path

from harness import config, tarballs
from harness.buildpack_toml import make_dependency, make_test_buildpack
from harness.fixtures.host import ARCH
from harness.http_server import DownloadServer
from harness.lifecycle import Lifecycle
from harness.processes import run
from harness.sbom_validator import validate

SBOM_FILES = ("etcd.sbom.cdx.json", "etcd.sbom.spdx.json", "helper.sbom.cdx.json", "helper.sbom.spdx.json")
STATIC_BUILD = config.REPO_ROOT / "build" / f"static-{ARCH}"

# Static libraries in the helper's link map, and the component each one is.
LINKED_ARCHIVES = {"libssl.a": "openssl", "libcrypto.a": "openssl", "libcurl.a": "curl", "libz.a": "zlib",
                   "libarchive.a": "libarchive", "libc.a": "glibc"}


class BuiltSbomsTest(unittest.TestCase):
    """One real build (the shipped bin/build and bin/etcd-proxy) whose SBOMs every test reads."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory(prefix="sbom-")
        tmp = Path(cls.tmp.name)
        release = tarballs.fake_etcd_release("3.6.2", ARCH)
        with DownloadServer() as site:
            url = site.add_file(f"/etcd-io/etcd/releases/download/v3.6.2/etcd-v3.6.2-linux-{ARCH}.tar.gz", release)
            buildpack = make_test_buildpack(tmp / "buildpack", [make_dependency("3.6.2", url, tarballs.sha256_hex(release),
                                                                                arch=ARCH)], "3.6.*")
            with Lifecycle(buildpack, tmp / "root") as lc:
                result = lc.build(env={"BP_ETCD_PROXY_ENABLED": "true"})
                if result.code != 0:
                    raise AssertionError(result.describe())
                cls.layers = lc.layers_dir
        cls.buildpack = buildpack

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()

    def load(self, name: str) -> dict:
        return json.loads((self.layers / name).read_text())

    def test_every_sbom_the_build_writes_passes_the_official_schemas(self) -> None:
        written = sorted(p.name for p in self.layers.glob("*.sbom.*.json"))
        self.assertEqual(written, sorted(SBOM_FILES))
        result = validate([self.layers / name for name in SBOM_FILES])
        self.assertEqual(result.code, 0, result.describe())
        self.assertEqual(len(re.findall(r"(?m)^ok ", result.stdout)), len(SBOM_FILES), result.stdout)

    def test_a_schema_violation_in_any_sbom_fails_validation(self) -> None:
        """The check above can fail: each document, broken in a way only the schema knows, is rejected."""
        def cdx_bad_licence(doc: dict) -> None:
            doc["components"][0]["licenses"] = [{"license": {"id": "Not-A-Licence"}}]

        def cdx_bad_type(doc: dict) -> None:
            doc["components"][-1]["type"] = "gadget"

        def cdx_bad_url(doc: dict) -> None:  # the iri-reference format is checked, not ignored
            doc["components"][0]["externalReferences"] = [{"type": "distribution", "url": "http://a b/\\c"}]

        def spdx_no_spdxid(doc: dict) -> None:
            del doc["packages"][-1]["SPDXID"]

        def spdx_bad_checksum(doc: dict) -> None:
            doc["packages"][0]["checksums"] = [{"algorithm": "SHA-256", "checksumValue": "x"}]

        breakers = {"cdx": (cdx_bad_licence, cdx_bad_type, cdx_bad_url), "spdx": (spdx_no_spdxid, spdx_bad_checksum)}
        with tempfile.TemporaryDirectory() as tmp:
            broken = []
            for name in SBOM_FILES:
                for breaker in breakers[name.split(".")[-2]]:
                    doc = copy.deepcopy(self.load(name))
                    breaker(doc)
                    path = Path(tmp) / f"{breaker.__name__}-{name}"
                    path.write_text(json.dumps(doc))
                    broken.append(path)
            result = validate(broken)
        self.assertEqual(result.code, 1, result.describe())
        for path in broken:
            self.assertRegex(result.stdout, rf"(?m)^invalid {re.escape(str(path))} ", path.name)
        self.assertNotRegex(result.stdout, r"(?m)^ok ")

    def test_helper_sbom_lists_what_the_helper_reports_with_licences_and_purls(self) -> None:
        reported = json.loads(run([self.buildpack / "bin" / "etcd-proxy", "components"]).check().stdout)["components"]
        bom = self.load("helper.sbom.cdx.json")
        [helper, *libraries] = bom["components"]
        self.assertEqual((helper["name"], helper["type"]), ("etcd-proxy", "application"))
        self.assertEqual(helper["hashes"][0]["content"], tarballs.sha256_hex(self.buildpack / "bin" / "etcd-proxy"))
        self.assertEqual([(c["name"], c["version"], c["purl"]) for c in libraries],
                         [(c["name"], c["version"], c["purl"]) for c in reported])
        self.assertTrue(all(c["type"] == "library" and c["licenses"] for c in libraries), libraries)
        self.assertEqual(bom["dependencies"], [{"ref": helper["bom-ref"], "dependsOn": [c["purl"] for c in reported]}])
        spdx = self.load("helper.sbom.spdx.json")
        self.assertEqual([p["name"] for p in spdx["packages"]], ["etcd-proxy"] + [c["name"] for c in reported])
        contained = [r for r in spdx["relationships"] if r["relationshipType"] == "CONTAINS"]
        self.assertEqual(len(contained), len(reported))


class RebuildKeepsTheHelperSbomTest(unittest.TestCase):
    """The helper layer's SBOMs are written when the layer is installed: a rebuild that reuses it keeps
    them (the lifecycle restores them with the cached layer) and never runs ``etcd-proxy components``."""

    def test_a_rebuild_keeps_valid_sboms_without_running_the_helper(self) -> None:
        with tempfile.TemporaryDirectory(prefix="sbom-rebuild-") as holder, DownloadServer() as site:
            tmp = Path(holder)
            release = tarballs.fake_etcd_release("3.6.2", ARCH)
            url = site.add_file(f"/etcd-v3.6.2-linux-{ARCH}.tar.gz", release)
            buildpack = make_test_buildpack(tmp / "buildpack", [make_dependency("3.6.2", url, tarballs.sha256_hex(release),
                                                                                arch=ARCH)], "3.6.*")
            calls = tmp / "helper-calls"
            helper = buildpack / "bin" / "etcd-proxy"
            helper.unlink()  # a hard link to the shipped helper: replace it, never write through it
            helper.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n'
                              f'exec {config.buildpack_dir() / "bin" / "etcd-proxy"} "$@"\n')
            helper.chmod(0o755)
            with Lifecycle(buildpack, tmp / "root") as lc:
                first = lc.build(env={"BP_ETCD_PROXY_ENABLED": "true"})
                self.assertEqual(first.code, 0, first.describe())
                written = {name: (lc.layers_dir / name).read_bytes() for name in SBOM_FILES}
                lc.restore()
                second = lc.build(env={"BP_ETCD_PROXY_ENABLED": "true"})
                self.assertEqual(second.code, 0, second.describe())
                second.validate()
                self.assertIn(f"Reusing cached layer {lc.layers_dir / 'helper'}", second.stdout)
                self.assertNotIn("gets no SBOM", second.output)
                self.assertEqual(calls.read_text().splitlines(), ["components"], "the rebuild ran the helper")
                self.assertEqual({name: (lc.layers_dir / name).read_bytes() for name in SBOM_FILES}, written)
                result = validate([lc.layers_dir / name for name in SBOM_FILES])
                self.assertEqual(result.code, 0, result.describe())


def upstream_version(package: str) -> str:
    """The upstream part of an installed Debian package's version (no epoch, revision or +ds/.dfsg)."""
    versions = run(["dpkg-query", "-W", "-f=${Version}\n", package]).check().stdout.split()
    version = versions[0].split(":", 1)[-1].rsplit("-", 1)[0]  # multiarch copies share one version
    return re.sub(r"[.+~](dfsg|ds)\d*$", "", version)


def embedded_version(binary: bytes, pattern: bytes) -> str:
    """A version the library itself compiled into the executable (its version banner)."""
    match = re.search(pattern, binary)
    if match is None:
        raise AssertionError(f"no {pattern!r} in the executable")
    return match.group(1).decode()


def linked_archives(link_map: Path) -> set:
    """Components whose static libraries the linker took members from ("Archive member included")."""
    text = link_map.read_text(errors="replace")
    section = text.split("Archive member included", 1)[-1]
    section = re.split(r"(?m)^(Discarded input sections|Allocating common symbols|Memory Configuration)", section)[0]
    archives = {Path(m).name for m in re.findall(r"(?m)^(\S+\.a)\(", section)}
    found = {LINKED_ARCHIVES[a] for a in archives if a in LINKED_ARCHIVES}
    if re.search(r"(?m)^\S*libbp_\w+\.a\(toml_impl\.cc\.o\)", section):
        found.add("tomlplusplus")
    return found


class StaticHelperComponentsTest(unittest.TestCase):
    """The shipped static helper reports exactly the libraries its link took in, at the versions built."""

    def setUp(self) -> None:
        self.helper = config.buildpack_dir() / "bin" / "etcd-proxy"
        self.link_map = STATIC_BUILD / "etcd-proxy.map"
        built = STATIC_BUILD / "etcd-proxy"
        if not (built.is_file() and self.link_map.is_file()
                and tarballs.sha256_hex(built) == tarballs.sha256_hex(self.helper)):
            config.missing_prerequisite(
                "bin/etcd-proxy is not the static build in build/static-<arch> (scripts/build.sh makes it)")
        self.reported = {c["name"]: c for c in
                         json.loads(run([self.helper, "components"]).check().stdout)["components"]}

    def test_listed_libraries_are_the_ones_linked(self) -> None:
        self.assertEqual({n for n in self.reported if n != "nlohmann-json"}, linked_archives(self.link_map))
        self.assertIn("nlohmann-json", self.reported)  # header-only: the helper parses VCAP_SERVICES with it

    def test_versions_are_those_of_the_libraries_built_against(self) -> None:
        # Ground truth: the banners the libraries compiled into the executable (the installed
        # packages may have been upgraded since the build), else the headers and packages built with.
        binary = self.helper.read_bytes()
        curlver = config.REPO_ROOT / "build" / "deps" / ARCH / "include" / "curl" / "curlver.h"
        expected = {
            "openssl": lambda: embedded_version(binary, rb"OpenSSL (\d+\.\d+\.\d+)[a-z]? "),
            "zlib": lambda: embedded_version(binary, rb" inflate (\d+\.\d+(?:\.\d+)*) Copyright"),
            "libarchive": lambda: embedded_version(binary, rb"libarchive (\d+\.\d+\.\d+)"),
            "curl": lambda: embedded_version(curlver.read_bytes(), rb'#define LIBCURL_VERSION "([^"]+)"'),
            "glibc": lambda: upstream_version("libc6-dev"),
            "nlohmann-json": lambda: upstream_version("nlohmann-json3-dev"),
            "tomlplusplus": lambda: upstream_version("libtomlplusplus-dev"),
        }
        for name, component in self.reported.items():
            with self.subTest(component=name):
                version = expected[name]()
                self.assertEqual(component["version"], version)
                self.assertEqual(component["purl"], f"pkg:generic/{name}@{version}")
                self.assertTrue(component["license"])


if __name__ == "__main__":
    unittest.main()

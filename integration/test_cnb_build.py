"""Integration tests of the native CNB ``bin/detect`` and ``bin/build`` against the
CNB contract (docs/contracts.md) and the behaviour the README documents.

Every test runs the real executables through the harness's ``Lifecycle`` emulator against a
copy of the buildpack whose etcd dependencies point at a loopback ``DownloadServer``: the
real etcd release built from Debian's binaries (3.4.23) where the installed binary matters,
tiny fake releases (``#!/bin/sh`` stand-ins that answer ``--version``) everywhere else.
Run from ``integration/`` with Debian's Python:

    /usr/bin/python3 -m unittest -v test_cnb_build
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
import unittest
from pathlib import Path
from typing import Any, Mapping, Sequence

from harness import certs, config, tarballs, trees
from harness.bindings import write_binding
from harness.buildpack_toml import (make_dependency, make_test_buildpack, offline_dependencies, read_buildpack_toml,
                                    rewrite_buildpack_toml)
from harness.fixtures.cnb_build import CnbBuildTestCase, read_toml
from harness.fixtures.host import ARCH
from harness.fixtures.releases import release_path, upstream_uri
from harness.http_server import DownloadServer, ForwardProxy, Redirect, Reset, Serve, Stall, Status, Truncate
from harness.lifecycle import BuildResult, DetectResult, Lifecycle
from harness.ports import free_port
from harness.processes import run

HELLO_APP = config.REPO_ROOT / "fixtures" / "apps" / "hello"
SECRET = "s3cr3t-" + secrets.token_hex(4)
"""A password put in URLs; it must never show up in any output."""


def replace_dependencies(buildpack: Path, dependencies: Sequence[Mapping[str, Any]]) -> None:
    """Give a test buildpack new dependency entries in place (as a buildpack upgrade would)."""
    path = buildpack / "buildpack.toml"
    path.write_text(rewrite_buildpack_toml(path.read_text(), dependencies))


# ------------------------------------------------------------------------------------------------
# detect
# ------------------------------------------------------------------------------------------------


class DetectTest(CnbBuildTestCase):
    """``bin/detect`` (README, "How detection decides"; docs/contracts.md, "CNB: detect and build")."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.fake_buildpack()
        self.lc = self.lifecycle(self.buildpack, HELLO_APP)

    def detect_ok(self, env: Mapping[str, "str | None"] | None = None, **kwargs: Any) -> DetectResult:
        result = self.lc.detect(env, **kwargs)
        self.assertEqual(result.code, 0, result.describe())
        self.assertIsNotNone(result.plan, result.plan_error)
        return result

    def test_passes_with_a_plan_that_provides_and_requires_etcd(self) -> None:
        plan = self.detect_ok().plan
        self.assertEqual(plan["provides"], [{"name": "etcd"}])
        self.assertEqual(len(plan["requires"]), 1)
        require = plan["requires"][0]
        self.assertEqual(require["name"], "etcd")
        self.assertNotIn("version", require, "a version directly inside a require is a lifecycle error")
        self.assertEqual(require["metadata"]["version"], "3.6.*")
        self.assertIs(require["metadata"]["launch"], True)

    def test_plan_carries_bp_etcd_version(self) -> None:
        plan = self.detect_ok({"BP_ETCD_VERSION": "~3.5"}).plan
        self.assertEqual(plan["requires"][0]["metadata"]["version"], "~3.5")

    def test_plan_is_deterministic_and_ignores_positional_args(self) -> None:
        plans = {self.detect_ok().plan_text, self.detect_ok().plan_text, self.detect_ok(args=False).plan_text,
                 self.detect_ok(args=["/bogus/platform", "/bogus/plan.toml"]).plan_text}
        self.assertEqual(len(plans), 1, plans)

    def test_leaves_the_app_dir_unchanged(self) -> None:
        before = trees.snapshot(self.lc.app_dir)
        self.detect_ok()
        self.assertEqual(trees.diff(before, trees.snapshot(self.lc.app_dir)), [])

    def test_same_plan_with_distro_targets_set(self) -> None:
        plan = self.detect_ok().plan_text
        for name, version in (("ubuntu", "22.04"), ("ubuntu", "24.04")):
            self.lc.target_env |= {"CNB_TARGET_DISTRO_NAME": name, "CNB_TARGET_DISTRO_VERSION": version}
            self.assertEqual(self.detect_ok().plan_text, plan)

    def test_works_without_a_platform_env_dir(self) -> None:
        shutil.rmtree(self.lc.platform_dir / "env")
        self.detect_ok()

    def test_disabled_by_environment_fails_detection(self) -> None:
        result = self.lc.detect({"BP_ETCD_PROXY_ENABLED": "false"})
        self.assertEqual(result.code, 100, result.describe())
        self.assertEqual(result.plan_text, "")

    def test_disabled_by_platform_env_file_fails_detection(self) -> None:
        self.lc.set_platform_env("BP_ETCD_PROXY_ENABLED", "false")
        result = self.lc.detect()
        self.assertEqual(result.code, 100, result.describe())

    def test_explicitly_enabled_passes(self) -> None:
        self.lc.set_platform_env("BP_ETCD_PROXY_ENABLED", "true")
        self.detect_ok()

    def test_enabled_setting_that_is_not_a_boolean_is_an_error(self) -> None:
        result = self.lc.detect({"BP_ETCD_PROXY_ENABLED": "maybe"})
        self.assert_fails(result, "BP_ETCD_PROXY_ENABLED", "maybe")

    def test_invalid_bp_etcd_version_is_an_error(self) -> None:
        result = self.lc.detect({"BP_ETCD_VERSION": "three.six"})
        self.assert_fails(result, "BP_ETCD_VERSION", "three.six")

    def test_missing_buildpack_toml_is_an_error(self) -> None:
        (self.buildpack / "buildpack.toml").unlink()
        self.assert_fails(self.lc.detect(), "buildpack.toml")

    def test_buildpack_toml_that_is_a_directory_is_an_error(self) -> None:
        (self.buildpack / "buildpack.toml").unlink()
        (self.buildpack / "buildpack.toml").mkdir()
        self.assert_fails(self.lc.detect(), "buildpack.toml")

    def test_malformed_buildpack_toml_is_an_error(self) -> None:
        (self.buildpack / "buildpack.toml").write_text('api = "0.10"\n[buildpack\nid = "x"\n')
        self.assert_fails(self.lc.detect(), "buildpack.toml")

    def test_cloud_foundry_style_call_declines_quietly(self) -> None:
        """One positional argument and no CNB_BUILD_PLAN_PATH: Cloud Foundry auto-detecting admin
        buildpacks. A supply-only buildpack declines with exit 1 and prints nothing, as Cloud
        Foundry's own do (apt-buildpack's bin/detect), even for an app that asks for etcd."""
        (self.lc.app_dir / "requirements.txt").write_text("etcd3==0.12.0\n")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/root", "CF_STACK": "cflinuxfs4"}
        result = run([self.buildpack / "bin" / "detect", self.lc.app_dir], env=env, cwd=self.lc.app_dir, timeout=30)
        self.assertEqual((result.code, result.stdout, result.stderr), (1, "", ""), result.describe())


# ------------------------------------------------------------------------------------------------
# first build with the real release
# ------------------------------------------------------------------------------------------------


class FirstBuildTest(unittest.TestCase):
    """One detect + build with the etcd release built from Debian's binaries; each test checks one output."""

    ctest_timeout = 120

    @classmethod
    def setUpClass(cls) -> None:
        tmp = Path(cls.enterClassContext(tempfile.TemporaryDirectory(prefix="cnb-first-build-")))
        cls.site = cls.enterClassContext(DownloadServer())
        cls.version = tarballs.debian_etcd_version()
        tarball = tarballs.debian_etcd_release(ARCH)
        cls.path = release_path(cls.version)
        cls.dep = make_dependency(cls.version, cls.site.add_file(cls.path, tarball), tarballs.sha256_hex(tarball),
                                  arch=ARCH)
        cls.buildpack = make_test_buildpack(tmp / "buildpack", [cls.dep], default_version="3.4.*")
        cls.lc = cls.enterClassContext(Lifecycle(cls.buildpack, tmp / "root", HELLO_APP))
        cls.app_before = trees.snapshot(cls.lc.app_dir)
        cls.detected = cls.lc.detect()
        cls.result = cls.lc.build()
        cls.layers = cls.lc.layers_dir

    def test_detect_passes_and_build_succeeds_within_the_contract(self) -> None:
        self.assertEqual(self.detected.code, 0, self.detected.describe())
        self.assertEqual(self.result.code, 0, self.result.describe())
        self.assertEqual(self.result.stderr, "")
        self.result.validate()

    def test_downloads_the_release_exactly_once(self) -> None:
        self.assertEqual([(r.method, r.path) for r in self.site.requests], [("GET", self.path)])

    def test_installed_etcd_runs_and_reports_the_release_version(self) -> None:
        etcd = self.layers / "etcd" / "bin" / "etcd"
        output = run([etcd, "--version"], env={"PATH": "/usr/bin:/bin"}, timeout=30).check().stdout
        self.assertIn(f"etcd Version: {self.version}\n", output)

    def test_etcd_layer_holds_only_the_binaries_and_the_version_record(self) -> None:
        # etcd-version: read by the launch helper at run time, where etcd.toml is gone.
        self.assertEqual(trees.list_files(self.layers / "etcd"), ["bin/", "bin/etcd", "bin/etcdctl", "etcd-version"])
        self.assertEqual((self.layers / "etcd" / "etcd-version").read_text(), f"{self.version}\n")
        self.assertEqual(tarballs.sha256_hex(self.layers / "etcd" / "bin" / "etcd"),
                         tarballs.sha256_hex(config.ETCD_BIN))

    def test_etcd_layer_metadata_is_strings_naming_the_release(self) -> None:
        etcd_toml = read_toml(self.layers / "etcd.toml")
        metadata = etcd_toml["metadata"]
        self.assertEqual({k: metadata[k] for k in ("version", "sha256", "arch", "os")},
                         {"version": self.version, "sha256": self.dep["sha256"], "arch": ARCH, "os": "linux"})
        self.assertIsInstance(metadata.get("layout"), str)
        self.assertTrue(all(isinstance(v, str) for v in metadata.values()), metadata)
        self.assertIs(etcd_toml["types"]["launch"], True)
        self.assertIs(etcd_toml["types"]["cache"], True)
        self.assertIs(etcd_toml["types"].get("build", False), False)

    def test_helper_layer_holds_the_launch_helper(self) -> None:
        helper_toml = read_toml(self.layers / "helper.toml")
        self.assertIs(helper_toml["types"]["launch"], True)
        helper = self.layers / "helper" / "bin" / "etcd-proxy"
        self.assertTrue(os.access(helper, os.X_OK))
        self.assertEqual(tarballs.sha256_hex(helper), tarballs.sha256_hex(self.buildpack / "bin" / "etcd-proxy"))

    def test_cyclonedx_sbom_describes_the_release(self) -> None:
        document = json.loads((self.layers / "etcd.sbom.cdx.json").read_text())
        self.assertEqual(document["bomFormat"], "CycloneDX")
        [component] = [c for c in document["components"] if c["name"] == "etcd"]
        self.assertEqual(component["version"], self.version)
        self.assertEqual(component["purl"], self.dep["purl"])
        self.assertIn({"alg": "SHA-256", "content": self.dep["sha256"]}, component["hashes"])
        self.assertIn("Apache-2.0", json.dumps(component["licenses"]))
        self.assertEqual(component.get("cpe"), self.dep["cpes"][0])

    def test_spdx_sbom_describes_the_release(self) -> None:
        document = json.loads((self.layers / "etcd.sbom.spdx.json").read_text())
        self.assertEqual(document["spdxVersion"], "SPDX-2.3")
        [package] = [p for p in document["packages"] if p["name"] == "etcd"]
        self.assertEqual(package["versionInfo"], self.version)
        self.assertEqual(package["licenseDeclared"], "Apache-2.0")
        self.assertIn({"algorithm": "SHA256", "checksumValue": self.dep["sha256"]}, package["checksums"])
        self.assertIn(self.dep["purl"], [r["referenceLocator"] for r in package["externalRefs"]])

    def test_launch_toml_declares_one_non_default_etcd_proxy_process(self) -> None:
        launch = read_toml(self.layers / "launch.toml")
        self.assertEqual(launch["processes"], [{"type": "etcd-proxy", "command": ["etcd-proxy"], "args": [],
                                                "default": False}])

    def test_log_shows_the_configuration_table(self) -> None:
        self.assertIn("Build Configuration:", self.result.stdout)
        names = [c["name"] for c in read_buildpack_toml(self.buildpack)["metadata"]["configurations"]]
        self.assertTrue(names)
        for name in names:
            self.assertRegex(self.result.stdout, rf"(?m)^\s+\${re.escape(name)}\s", f"${name} is not in the table")

    def test_log_shows_version_selection_install_and_timing(self) -> None:
        out = self.result.stdout
        self.assertRegex(out, rf"Selected etcd version \(using [^)]+\): {re.escape(self.version)}\n")
        self.assertIn(f"Installing etcd {self.version}", out)
        self.assertRegex(out, r"Completed in \d+(\.\d+)? m?s\n")
        self.assertIn("etcd-proxy", out.split("Assigning launch processes:")[-1])

    def test_build_leaves_the_app_dir_unchanged(self) -> None:
        self.assertEqual(trees.diff(self.app_before, trees.snapshot(self.lc.app_dir)), [])


# ------------------------------------------------------------------------------------------------
# rebuilds
# ------------------------------------------------------------------------------------------------


class RebuildTest(CnbBuildTestCase):
    """A first build with the real release, then a rebuild from what the lifecycle restores (docs/contracts.md)."""

    def setUp(self) -> None:
        super().setUp()
        self.version = tarballs.debian_etcd_version()
        dep = self.serve(self.version, tarballs.debian_etcd_release(ARCH))
        self.lc = self.lifecycle(self.make_buildpack([dep], self.version))
        self.assertEqual(self.lc.detect().code, 0)
        self.build_ok(self.lc)
        self.etcd_tree = trees.tree_hash(self.lc.layers_dir / "etcd")
        self.site.clear_requests()

    def assert_reused(self, result: BuildResult) -> None:
        self.assertEqual(self.site.count(), 0, "a reuse must not touch the network")
        self.assertIn(f"Reusing cached layer {self.lc.layers_dir / 'etcd'}", result.stdout)
        self.assertNotIn("Installing etcd", result.stdout)
        self.assertEqual(trees.tree_hash(self.lc.layers_dir / "etcd"), self.etcd_tree)
        self.assert_etcd_version(self.lc, self.version)

    def test_restored_layer_is_reused_without_a_request(self) -> None:
        self.lc.restore()
        self.assertNotIn("types", read_toml(self.lc.layers_dir / "etcd.toml"), "restore should drop [types]")
        self.assert_reused(self.build_ok(self.lc))

    def test_reuse_rewrites_types(self) -> None:
        self.lc.restore()
        self.build_ok(self.lc)
        types = read_toml(self.lc.layers_dir / "etcd.toml")["types"]
        self.assertEqual((types["launch"], types["cache"]), (True, True))
        self.assertIs(read_toml(self.lc.layers_dir / "helper.toml")["types"]["launch"], True)

    def test_reuse_keeps_metadata_sboms_and_launch_toml_identical(self) -> None:
        names = ("etcd.toml", "helper.toml", "launch.toml", "etcd.sbom.cdx.json", "etcd.sbom.spdx.json",
                 "helper.sbom.cdx.json", "helper.sbom.spdx.json")
        first = {name: (self.lc.layers_dir / name).read_text() for name in names}
        self.lc.restore()
        self.build_ok(self.lc)
        self.assertEqual({name: (self.lc.layers_dir / name).read_text() for name in names}, first)

    def test_metadata_through_float_json_round_trip_is_still_reused(self) -> None:
        self.lc.restore(int_to_float=True)
        self.assert_reused(self.build_ok(self.lc))

    def test_restored_layer_missing_one_binary_reinstalls(self) -> None:
        """Every file the layer places must come back, not just bin/etcd (docs/reliability.md, item 9)."""
        self.lc.restore()
        (self.lc.layers_dir / "etcd" / "bin" / "etcdctl").unlink()
        result = self.build_ok(self.lc)
        self.assertIn(f"Installing etcd {self.version} (the cached layer's bin/etcdctl was not restored)",
                      result.stdout)
        self.assertEqual(self.site.count(), 1)
        self.assertEqual(trees.tree_hash(self.lc.layers_dir / "etcd"), self.etcd_tree)

    def test_metadata_restored_without_contents_reinstalls(self) -> None:
        self.lc.restore(drop_contents=["etcd"])
        result = self.build_ok(self.lc)
        self.assertIn(f"Installing etcd {self.version}", result.stdout)
        self.assertEqual(self.site.count(), 1)
        self.assertEqual(trees.tree_hash(self.lc.layers_dir / "etcd"), self.etcd_tree)

    def test_layer_metadata_lists_every_file_it_holds(self) -> None:
        files = read_toml(self.lc.layers_dir / "etcd.toml")["metadata"]["files"].split(",")
        self.assertIn("bin/etcd", files)
        self.assertIn("bin/etcdctl", files)
        held = sorted(str(p.relative_to(self.lc.layers_dir / "etcd")) for p in (self.lc.layers_dir / "etcd").rglob("*")
                      if p.is_file() or p.is_symlink())
        self.assertEqual(files, held)


class LayerChangeTest(CnbBuildTestCase):
    """Rebuilds where the wanted layer differs from the restored one: fresh contents, metadata and SBOM."""

    def setUp(self) -> None:
        super().setUp()
        self.lc = self.lifecycle(self.fake_buildpack())

    def test_version_change_reinstalls_the_other_version(self) -> None:
        self.build_ok(self.lc, {"BP_ETCD_VERSION": "3.5.*"})
        self.assert_etcd_version(self.lc, "3.5.9")
        self.lc.restore()
        result = self.build_ok(self.lc, {"BP_ETCD_VERSION": "3.6.*"})
        self.assertIn("Installing etcd 3.6.2", result.stdout)
        self.assert_etcd_version(self.lc, "3.6.2")
        self.assertEqual(self.etcd_metadata(self.lc)["version"], "3.6.2")
        cdx = json.loads((self.lc.layers_dir / "etcd.sbom.cdx.json").read_text())
        self.assertEqual([c["version"] for c in cdx["components"]], ["3.6.2"])
        self.assertEqual((self.site.count(release_path("3.5.9")), self.site.count(release_path("3.6.2"))), (1, 1))

    def test_version_from_the_detect_plan_is_used_by_build(self) -> None:
        self.assertEqual(self.lc.detect({"BP_ETCD_VERSION": "3.5.*"}).code, 0)
        result = self.build_ok(self.lc)
        self.assertRegex(result.stdout, r"Selected etcd version \(using [^\n]*BP_ETCD_VERSION[^\n]*\): 3\.5\.9\n")
        self.assert_etcd_version(self.lc, "3.5.9")

    def test_changed_archive_checksum_reinstalls(self) -> None:
        self.build_ok(self.lc)
        rebuilt = tarballs.fake_etcd_release("3.6.2", ARCH, {"NOTICE": b"rebuilt upstream\n"})
        replace_dependencies(self.lc.buildpack_dir, [self.serve("3.6.2", rebuilt, path="/rebuilt.tar.gz")])
        self.lc.restore()
        result = self.build_ok(self.lc)
        self.assertIn("Installing etcd 3.6.2 (the archive checksum changed)", result.stdout)
        self.assertEqual(self.site.count("/rebuilt.tar.gz"), 1)
        self.assertEqual(self.etcd_metadata(self.lc)["sha256"], tarballs.sha256_hex(rebuilt))

    def test_target_arch_change_reinstalls(self) -> None:
        other = "arm64" if ARCH != "arm64" else "amd64"
        buildpack = self.make_buildpack([self.serve("3.6.2"), self.serve("3.6.2", arch=other)])
        lc = self.lifecycle(buildpack)
        self.build_ok(lc)
        lc.restore()
        lc.target_env["CNB_TARGET_ARCH"] = other
        result = self.build_ok(lc)
        self.assertIn("Installing etcd 3.6.2", result.stdout)
        self.assertEqual(self.etcd_metadata(lc)["arch"], other)
        self.assertEqual(self.site.count(release_path("3.6.2", other)), 1)

    def test_listing_etcdutl_places_it(self) -> None:
        self.build_ok(self.lc, {"BP_ETCD_BINARIES": "etcdctl,etcdutl"})
        self.assertEqual(trees.list_files(self.lc.layers_dir / "etcd"),
                         ["bin/", "bin/etcd", "bin/etcdctl", "bin/etcdutl", "etcd-version"])

    def test_by_default_etcdutl_is_left_out(self) -> None:
        self.build_ok(self.lc)
        self.assertEqual(trees.list_files(self.lc.layers_dir / "etcd"), ["bin/", "bin/etcd", "bin/etcdctl", "etcd-version"])

    def test_changing_the_binaries_reinstalls_the_layer(self) -> None:
        self.build_ok(self.lc, {"BP_ETCD_BINARIES": "etcdctl,etcdutl"})
        self.lc.restore()
        result = self.build_ok(self.lc)
        self.assertIn("Installing etcd 3.6.2 (places bin/etcd bin/etcdctl bin/etcdutl etcd-version → bin/etcd bin/etcdctl etcd-version)",
                      result.stdout)
        self.assertEqual(trees.list_files(self.lc.layers_dir / "etcd"), ["bin/", "bin/etcd", "bin/etcdctl", "etcd-version"])

    def test_a_binary_the_release_lacks_fails_naming_the_setting(self) -> None:
        result = self.lc.build({"BP_ETCD_BINARIES": "etcd,etcd-dump"})
        self.assert_fails(result, "BP_ETCD_BINARIES names etcd-dump, which the etcd 3.6.2 archive does not hold")
        self.assertFalse((self.lc.layers_dir / "etcd").exists())

    def test_two_clean_builds_give_identical_layers(self) -> None:
        first = self.lifecycle(self.lc.buildpack_dir)
        self.build_ok(first)
        self.build_ok(self.lc)
        self.assert_etcd_version(first, "3.6.2")
        self.assertEqual(trees.diff(trees.snapshot(first.layers_dir), trees.snapshot(self.lc.layers_dir)), [])


class CorruptMetadataTest(CnbBuildTestCase):
    """Restored ``etcd.toml`` that cannot be trusted: reinstall, never crash."""

    def setUp(self) -> None:
        super().setUp()
        self.lc = self.lifecycle(self.fake_buildpack())
        self.build_ok(self.lc)
        self.lc.restore()
        self.good = self.etcd_metadata(self.lc)

    def assert_reinstalls_after(self, restored: "str | bytes") -> None:
        if isinstance(restored, bytes):
            (self.lc.layers_dir / "etcd.toml").write_bytes(restored)
        else:
            self.lc.corrupt_metadata("etcd", restored)
        result = self.build_ok(self.lc)
        self.assertIn("Installing etcd 3.6.2", result.stdout)
        self.assertEqual(self.site.count(release_path("3.6.2")), 2)
        self.assertEqual(self.etcd_metadata(self.lc), self.good)
        self.assert_etcd_version(self.lc, "3.6.2")

    def metadata_with(self, **changes: str) -> str:
        lines = ["[metadata]"] + [f"{k} = {changes.get(k, json.dumps(v))}" for k, v in self.good.items()]
        return "\n".join(lines) + "\n"

    def test_garbage_toml(self) -> None:
        self.assert_reinstalls_after("[metadata\nversion = = '3.6.2\n\x01")

    def test_invalid_utf8(self) -> None:
        self.assert_reinstalls_after(b"[metadata]\nversion = \"\xff\xfe\"\n")

    def test_wrongly_typed_values(self) -> None:
        self.assert_reinstalls_after(self.metadata_with(version="3.62", layout="1.0", arch="true"))

    def test_metadata_that_is_not_a_table(self) -> None:
        self.assert_reinstalls_after('metadata = "3.6.2"\n')

    def test_nested_table_value(self) -> None:
        self.assert_reinstalls_after(self.metadata_with(version="{ major = 3 }"))

    def test_missing_keys(self) -> None:
        self.assert_reinstalls_after('[metadata]\nversion = "3.6.2"\n')

    def test_empty_file(self) -> None:
        self.assert_reinstalls_after("")

    def test_contents_without_metadata_are_replaced(self) -> None:
        (self.lc.layers_dir / "etcd.toml").unlink()
        (self.lc.layers_dir / "etcd" / "stray").write_text("from an older build\n")
        result = self.build_ok(self.lc)
        self.assertIn("Installing etcd 3.6.2", result.stdout)
        self.assertFalse((self.lc.layers_dir / "etcd" / "stray").exists())
        self.assert_etcd_version(self.lc, "3.6.2")

    def test_other_version_with_the_same_shape(self) -> None:
        self.assert_reinstalls_after(self.metadata_with(version='"3.5.9"'))


# ------------------------------------------------------------------------------------------------
# where the file comes from
# ------------------------------------------------------------------------------------------------


class OfflineTest(CnbBuildTestCase):
    """``dependencies/<sha256>/<file>`` in the buildpack wins over everything (README, "Downloads", source 1)."""

    def setUp(self) -> None:
        super().setUp()
        self.tarball = tarballs.fake_etcd_release("3.6.2", ARCH)
        # Not registered on the server: any request would get 404.
        self.dep = make_dependency("3.6.2", self.site.url(release_path("3.6.2")), tarballs.sha256_hex(self.tarball),
                                   arch=ARCH)
        self.buildpack = self.make_buildpack([self.dep])

    def test_offline_package_builds_without_a_request(self) -> None:
        offline_dependencies(self.buildpack, self.dep, self.tarball)
        lc = self.lifecycle(self.buildpack)
        result = self.build_ok(lc)
        self.assertEqual(self.site.count(), 0)
        self.assertIn("Source: offline package file://", result.stdout)
        self.assert_etcd_version(lc, "3.6.2")

    def test_offline_package_builds_with_the_server_stopped(self) -> None:
        offline_dependencies(self.buildpack, self.dep, self.tarball)
        self.site.stop()
        lc = self.lifecycle(self.buildpack)
        self.build_ok(lc)
        self.assert_etcd_version(lc, "3.6.2")

    def test_tampered_offline_file_fails_the_checksum(self) -> None:
        path = offline_dependencies(self.buildpack, self.dep, self.tarball)
        path.write_bytes(tarballs.fake_etcd_release("3.5.9", ARCH))
        lc = self.lifecycle(self.buildpack)
        self.assert_fails(lc.build(), "sha256 mismatch", str(path), self.dep["sha256"])
        self.assert_no_etcd_layer(lc)
        self.assertEqual(self.site.count(), 0)


class MirrorTest(CnbBuildTestCase):
    """``BP_DEPENDENCY_MIRROR`` / ``_<HOST>``: https or file only (README, "Downloads", source 3)."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.pki = certs.make_pki(Path(cls.enterClassContext(tempfile.TemporaryDirectory(prefix="cnb-pki-"))))

    def setUp(self) -> None:
        super().setUp()
        self.mirror = self.enterContext(DownloadServer(self.pki))
        self.tarball = tarballs.fake_etcd_release("3.6.2", ARCH)
        dep = make_dependency("3.6.2", upstream_uri("3.6.2"), tarballs.sha256_hex(self.tarball), arch=ARCH)
        self.lc = self.lifecycle(self.make_buildpack([dep]))
        self.env = {"SSL_CERT_FILE": str(self.pki.ca_cert), "BP_DOWNLOAD_CONNECT_TIMEOUT": "2"}

    def test_default_mirror_with_original_host_placeholder(self) -> None:
        self.mirror.add_file("/github.com" + release_path("3.6.2"), self.tarball)
        env = self.env | {"BP_DEPENDENCY_MIRROR": self.mirror.base_url + "/{originalHost}"}
        result = self.build_ok(self.lc, env)
        self.assertEqual([r.path for r in self.mirror.requests], ["/github.com" + release_path("3.6.2")])
        self.assertIn("Source: mirror (BP_DEPENDENCY_MIRROR)", result.stdout)
        self.assert_etcd_version(self.lc, "3.6.2")

    def test_host_mirror_wins_over_the_default_mirror(self) -> None:
        self.mirror.add_file("/gh" + release_path("3.6.2"), self.tarball)
        self.lc.set_platform_env("BP_DEPENDENCY_MIRROR_GITHUB_COM", self.mirror.base_url + "/gh")
        env = self.env | {"BP_DEPENDENCY_MIRROR": self.mirror.base_url + "/default/{originalHost}"}
        result = self.build_ok(self.lc, env)
        self.assertEqual([r.path for r in self.mirror.requests], ["/gh" + release_path("3.6.2")])
        self.assertIn("BP_DEPENDENCY_MIRROR_GITHUB_COM", result.stdout)

    def test_file_mirror(self) -> None:
        mirrored = self.tmp / "mirror" / "github.com" / release_path("3.6.2").lstrip("/")
        mirrored.parent.mkdir(parents=True)
        mirrored.write_bytes(self.tarball)
        env = self.env | {"BP_DEPENDENCY_MIRROR": f"file://{self.tmp}/mirror/{{originalHost}}"}
        result = self.build_ok(self.lc, env)
        self.assertIn(f"file://{mirrored}", result.stdout)
        self.assert_etcd_version(self.lc, "3.6.2")

    def test_http_mirror_is_refused(self) -> None:
        self.site.add_file("/github.com" + release_path("3.6.2"), self.tarball)
        result = self.lc.build(self.env | {"BP_DEPENDENCY_MIRROR": self.site.base_url + "/{originalHost}"})
        self.assert_fails(result, "BP_DEPENDENCY_MIRROR", "https://")
        self.assertEqual(self.site.count(), 0)
        self.assert_no_etcd_layer(self.lc)

    def test_mirror_credentials_are_used_but_never_shown(self) -> None:
        self.mirror.add_file("/github.com" + release_path("3.6.2"), self.tarball)
        mirror = f"https://mirroruser:{SECRET}@127.0.0.1:{self.mirror.port}/{{originalHost}}"
        result = self.build_ok(self.lc, self.env | {"BP_DEPENDENCY_MIRROR": mirror})
        self.assertTrue(self.mirror.requests[0].headers.get("authorization", "").startswith("Basic "))
        self.assertNotIn(SECRET, result.output)


class MappingBindingTest(CnbBuildTestCase):
    """A ``dependency-mapping`` binding maps the sha256 to another URI (README, "Downloads", source 2)."""

    def setUp(self) -> None:
        super().setUp()
        self.tarball = tarballs.fake_etcd_release("3.6.2", ARCH)
        self.sha = tarballs.sha256_hex(self.tarball)
        self.mapped = self.site.add_file("/mapped/etcd.tar.gz", self.tarball)
        self.original = "/original" + release_path("3.6.2")
        self.site.add_file(self.original, self.tarball)
        dep = make_dependency("3.6.2", self.site.url(self.original), self.sha, arch=ARCH)
        self.lc = self.lifecycle(self.make_buildpack([dep]))

    def assert_mapped_download(self, result: BuildResult) -> None:
        self.assertEqual(self.site.count(self.original), 0, "the original uri must not be requested")
        self.assertEqual(self.site.count("/mapped/etcd.tar.gz"), 1)
        self.assertIn("dependency-mapping binding", result.stdout)
        self.assert_etcd_version(self.lc, "3.6.2")

    def test_binding_under_platform_bindings(self) -> None:
        self.lc.add_binding("etcd-mapping", "dependency-mapping", {self.sha: self.mapped})
        self.assert_mapped_download(self.build_ok(self.lc))

    def test_binding_in_the_kubernetes_projected_layout(self) -> None:
        self.lc.add_binding("etcd-mapping", "dependency-mapping", {self.sha: self.mapped + "\n"}, k8s_layout=True)
        self.assert_mapped_download(self.build_ok(self.lc))

    def test_binding_under_service_binding_root(self) -> None:
        root = self.tmp / "service-bindings"
        write_binding(root, "etcd-mapping", "dependency-mapping", {self.sha: self.mapped})
        self.assert_mapped_download(self.build_ok(self.lc, {"SERVICE_BINDING_ROOT": str(root)}))

    def test_binding_for_another_sha256_is_ignored(self) -> None:
        self.lc.add_binding("other-mapping", "dependency-mapping", {"0" * 64: self.mapped})
        self.build_ok(self.lc)
        self.assertEqual((self.site.count(self.original), self.site.count("/mapped/etcd.tar.gz")), (1, 0))


# ------------------------------------------------------------------------------------------------
# transport: TLS, proxies, credentials
# ------------------------------------------------------------------------------------------------


class HttpsTest(CnbBuildTestCase):
    """Downloads over HTTPS from a server signed by a test CA."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.pki = certs.make_pki(Path(cls.enterClassContext(tempfile.TemporaryDirectory(prefix="cnb-pki-"))))

    def setUp(self) -> None:
        super().setUp()
        self.https = self.enterContext(DownloadServer(self.pki))
        self.lc = self.lifecycle(self.make_buildpack([self.serve("3.6.2", site=self.https)]))

    def test_works_with_ssl_cert_file(self) -> None:
        self.build_ok(self.lc, {"SSL_CERT_FILE": str(self.pki.ca_cert)})
        self.assertEqual(self.https.count(release_path("3.6.2")), 1)
        self.assert_etcd_version(self.lc, "3.6.2")

    def test_ssl_cert_file_as_a_platform_env_file(self) -> None:
        self.lc.set_platform_env("SSL_CERT_FILE", str(self.pki.ca_cert))
        self.build_ok(self.lc)
        self.assertEqual(self.https.count(release_path("3.6.2")), 1)
        self.assert_etcd_version(self.lc, "3.6.2")

    def test_unknown_ca_fails_naming_ssl_cert_file(self) -> None:
        result = self.lc.build()
        self.assert_fails(result, "SSL_CERT_FILE", self.https.url(release_path("3.6.2")))
        self.assertEqual(self.https.count(), 0, "no request may be sent over an unverified connection")
        self.assert_no_etcd_layer(self.lc)

    def test_wrong_ca_fails(self) -> None:
        self.assert_fails(self.lc.build({"SSL_CERT_FILE": str(self.pki.other_ca_cert)}), "SSL_CERT_FILE")

    def test_unreadable_cert_file_fails(self) -> None:
        self.assert_fails(self.lc.build({"SSL_CERT_FILE": str(self.tmp / "missing-ca.pem")}), "SSL_CERT_FILE")

    def test_credentials_in_the_uri_never_appear_in_output(self) -> None:
        tarball = tarballs.fake_etcd_release("3.6.2", ARCH)
        self.https.add_file("/private/etcd.tar.gz", tarball)
        uri = f"https://deploy:{SECRET}@127.0.0.1:{self.https.port}/private/etcd.tar.gz"
        dep = make_dependency("3.6.2", uri, tarballs.sha256_hex(tarball), arch=ARCH, purl="pkg:generic/etcd@3.6.2")
        lc = self.lifecycle(self.make_buildpack([dep]))
        result = self.build_ok(lc, {"SSL_CERT_FILE": str(self.pki.ca_cert), "BP_LOG_LEVEL": "DEBUG"})
        self.assertTrue(self.https.requests[0].headers.get("authorization", "").startswith("Basic "))
        self.assertNotIn(SECRET, result.output)

    def test_credentials_in_the_uri_stay_out_of_the_layers(self) -> None:
        """The SBOMs and layer metadata end up in the app image: no password may be copied there."""
        tarball = tarballs.fake_etcd_release("3.6.2", ARCH)
        self.https.add_file("/private/etcd.tar.gz", tarball)
        uri = f"https://deploy:{SECRET}@127.0.0.1:{self.https.port}/private/etcd.tar.gz"
        dep = make_dependency("3.6.2", uri, tarballs.sha256_hex(tarball), arch=ARCH, purl="pkg:generic/etcd@3.6.2")
        lc = self.lifecycle(self.make_buildpack([dep]))
        self.build_ok(lc, {"SSL_CERT_FILE": str(self.pki.ca_cert)})
        leaking = [p.name for p in lc.layers_dir.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
        self.assertEqual(leaking, [])

    def test_credentials_in_the_uri_are_redacted_from_errors(self) -> None:
        uri = f"https://deploy:{SECRET}@127.0.0.1:{self.https.port}/private/missing.tar.gz"
        lc = self.lifecycle(self.make_buildpack([make_dependency("3.6.2", uri, "a" * 64, arch=ARCH)]))
        result = lc.build({"SSL_CERT_FILE": str(self.pki.ca_cert), "BP_LOG_LEVEL": "DEBUG"})
        self.assert_fails(result, "HTTP 404", f"127.0.0.1:{self.https.port}/private/missing.tar.gz")
        self.assertNotIn(SECRET, result.output)


class ProxyTest(CnbBuildTestCase):
    """``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` through the harness's forward proxy."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.pki = certs.make_pki(Path(cls.enterClassContext(tempfile.TemporaryDirectory(prefix="cnb-pki-"))))

    def setUp(self) -> None:
        super().setUp()
        self.proxy = self.enterContext(ForwardProxy())

    def https_lifecycle(self) -> tuple[Lifecycle, DownloadServer]:
        https = self.enterContext(DownloadServer(self.pki))
        return self.lifecycle(self.make_buildpack([self.serve("3.6.2", site=https)])), https

    def test_https_download_goes_through_https_proxy(self) -> None:
        lc, https = self.https_lifecycle()
        self.build_ok(lc, {"SSL_CERT_FILE": str(self.pki.ca_cert), "HTTPS_PROXY": self.proxy.url})
        self.assertEqual([(r.method, r.target) for r in self.proxy.requests],
                         [("CONNECT", f"127.0.0.1:{https.port}")])
        self.assertEqual(https.count(release_path("3.6.2")), 1)

    def test_no_proxy_bypasses_the_proxy(self) -> None:
        lc, https = self.https_lifecycle()
        self.build_ok(lc, {"SSL_CERT_FILE": str(self.pki.ca_cert), "HTTPS_PROXY": self.proxy.url,
                           "NO_PROXY": "127.0.0.1"})
        self.assertEqual(self.proxy.count(), 0)
        self.assertEqual(https.count(release_path("3.6.2")), 1)

    def test_http_download_goes_through_http_proxy(self) -> None:
        lc = self.lifecycle(self.fake_buildpack(["3.6.2"]))
        self.build_ok(lc, {"HTTP_PROXY": self.proxy.url})
        self.assertEqual([(r.method, r.target) for r in self.proxy.requests],
                         [("GET", self.site.url(release_path("3.6.2")))])


# ------------------------------------------------------------------------------------------------
# checksum
# ------------------------------------------------------------------------------------------------


class ChecksumTest(CnbBuildTestCase):
    def test_mismatch_fails_naming_uri_and_both_digests(self) -> None:
        served = tarballs.fake_etcd_release("3.6.2", ARCH)
        pinned = tarballs.sha256_hex(tarballs.fake_etcd_release("3.5.9", ARCH))
        url = self.site.add_file(release_path("3.6.2"), served)
        lc = self.lifecycle(self.make_buildpack([make_dependency("3.6.2", url, pinned, arch=ARCH)]))
        before = trees.snapshot(lc.layers_dir)
        result = lc.build()
        self.assert_fails(result, url, pinned, tarballs.sha256_hex(served))
        self.assertEqual(self.site.count(), 1, "a checksum mismatch is not retried")
        self.assert_no_etcd_layer(lc)
        self.assert_layers_unchanged(lc, before)

    def test_mismatch_on_rebuild_leaves_no_partial_layer(self) -> None:
        """The restored layer is invalidated first; the failed install must not leave staging dirs."""
        lc = self.lifecycle(self.fake_buildpack())
        self.build_ok(lc)
        lc.restore()
        bad = make_dependency("3.6.2", self.site.url(release_path("3.5.9")),
                              tarballs.sha256_hex(tarballs.fake_etcd_release("3.6.2", ARCH, {"x": b"x"})), arch=ARCH)
        replace_dependencies(lc.buildpack_dir, [bad])
        self.assert_fails(lc.build(), "sha256 mismatch")
        self.assert_no_etcd_layer(lc)
        self.assertEqual([p.name for p in lc.layers_dir.iterdir() if p.name.startswith(".")], [])


# ------------------------------------------------------------------------------------------------
# faulty servers
# ------------------------------------------------------------------------------------------------


class FlakyServerTest(CnbBuildTestCase):
    """At most 3 attempts, backoff 500 ms then 1 s (or Retry-After); only 408/429/5xx/network errors."""

    def setUp(self) -> None:
        super().setUp()
        self.path = release_path("3.6.2")
        self.lc = self.lifecycle(self.fake_buildpack(["3.6.2"]))

    def retry_warnings(self, result: BuildResult) -> list[str]:
        return [line for line in result.stdout.splitlines() if "Warning:" in line and "retrying" in line]

    def gaps(self) -> list[float]:
        times = [r.time for r in self.site.requests]
        return [b - a for a, b in zip(times, times[1:])]

    def test_two_server_errors_then_success(self) -> None:
        self.site.script(self.path, [Status(500), Status(500), Serve()])
        result = self.build_ok(self.lc)
        self.assertEqual(self.site.count(self.path), 3)
        self.assertEqual(len(self.retry_warnings(result)), 2, result.stdout)
        self.assert_etcd_version(self.lc, "3.6.2")
        first, second = self.gaps()
        self.assertGreaterEqual(first, 0.45)
        self.assertGreaterEqual(second, 0.95)

    def test_unavailable_forever_fails_after_three_attempts(self) -> None:
        self.site.script(self.path, [Status(503)])
        result = self.lc.build()
        self.assert_fails(result, "HTTP 503", self.site.url(self.path))
        self.assertEqual(self.site.count(self.path), 3)
        self.assertEqual(len(self.retry_warnings(result)), 2, result.stdout)
        self.assert_no_etcd_layer(self.lc)

    def test_not_found_fails_after_one_request(self) -> None:
        self.site.script(self.path, [Status(404)])
        self.assert_fails(self.lc.build(), "HTTP 404", self.site.url(self.path))
        self.assertEqual(self.site.count(self.path), 1)

    def test_forbidden_is_not_retried(self) -> None:
        self.site.script(self.path, [Status(403), Serve()])
        self.assert_fails(self.lc.build(), "HTTP 403")
        self.assertEqual(self.site.count(self.path), 1)

    def test_request_timeout_is_retried(self) -> None:
        self.site.script(self.path, [Status(408), Serve()])
        self.build_ok(self.lc)
        self.assertEqual(self.site.count(self.path), 2)

    def test_too_many_requests_honours_retry_after(self) -> None:
        self.site.script(self.path, [Status(429, headers={"Retry-After": "1"}), Serve()])
        result = self.build_ok(self.lc)
        self.assertEqual(self.site.count(self.path), 2)
        self.assertGreaterEqual(self.gaps()[0], 0.95)
        self.assertIn("retrying in 1 s (attempt 2 of 3)", result.stdout)

    def test_reset_mid_body_is_retried(self) -> None:
        self.site.script(self.path, [Reset(after_bytes=200), Serve()])
        self.build_ok(self.lc)
        self.assertEqual(self.site.count(self.path), 2)
        self.assert_etcd_version(self.lc, "3.6.2")

    def test_reset_before_any_byte_is_retried(self) -> None:
        self.site.script(self.path, [Reset(send_headers=False), Serve()])
        self.build_ok(self.lc)
        self.assertEqual(self.site.count(self.path), 2)

    def test_truncated_body_is_retried(self) -> None:
        self.site.script(self.path, [Truncate(300), Truncate(10), Serve()])
        result = self.build_ok(self.lc)
        self.assertEqual(self.site.count(self.path), 3)
        self.assertEqual(len(self.retry_warnings(result)), 2, result.stdout)

    def test_truncated_forever_fails_cleanly(self) -> None:
        self.site.script(self.path, [Truncate(300)])
        before = trees.snapshot(self.lc.layers_dir)
        self.assert_fails(self.lc.build(), self.site.url(self.path))
        self.assertEqual(self.site.count(self.path), 3)
        self.assert_layers_unchanged(self.lc, before)

    def test_redirect_is_followed(self) -> None:
        tarball = tarballs.fake_etcd_release("3.6.2", ARCH)
        self.site.add_file("/cdn/etcd.tar.gz", tarball)
        self.site.script("/moved.tar.gz", [Redirect(self.site.url("/cdn/etcd.tar.gz"))])
        self.site.script("/relative.tar.gz", [Redirect("/moved.tar.gz", code=301)])
        dep = make_dependency("3.6.2", self.site.url("/relative.tar.gz"), tarballs.sha256_hex(tarball), arch=ARCH)
        lc = self.lifecycle(self.make_buildpack([dep]))
        self.build_ok(lc)
        self.assertEqual([r.path for r in self.site.requests], ["/relative.tar.gz", "/moved.tar.gz", "/cdn/etcd.tar.gz"])

    def test_redirect_loop_fails_clearly(self) -> None:
        self.site.script("/a.tar.gz", [Redirect("/b.tar.gz")])
        self.site.script("/b.tar.gz", [Redirect("/a.tar.gz")])
        dep = make_dependency("3.6.2", self.site.url("/a.tar.gz"), "b" * 64, arch=ARCH)
        lc = self.lifecycle(self.make_buildpack([dep]))
        result = lc.build()
        line = self.assert_fails(result, self.site.url("/a.tar.gz"))
        self.assertIn("redirect", line.lower())
        self.assertNotIn("retrying", result.stdout, "a redirect loop is not transient")
        self.assertLessEqual(self.site.count(), 21, "redirects are bounded")

    def test_connection_refused_is_retried_then_fails(self) -> None:
        url = f"http://127.0.0.1:{free_port()}{self.path}"
        lc = self.lifecycle(self.make_buildpack([make_dependency("3.6.2", url, "d" * 64, arch=ARCH)]))
        result = lc.build()
        self.assert_fails(result, url)
        self.assertEqual(len(self.retry_warnings(result)), 2, result.stdout)


class StallTest(CnbBuildTestCase):
    """``BP_DOWNLOAD_STALL_TIMEOUT=1``: a stalled transfer is cut after about a second and retried."""

    ctest_run_serial = True  # it measures time

    def setUp(self) -> None:
        super().setUp()
        self.path = release_path("3.6.2")
        self.lc = self.lifecycle(self.fake_buildpack(["3.6.2"]))
        self.env = {"BP_DOWNLOAD_STALL_TIMEOUT": "1"}

    def request_gaps(self) -> list[float]:
        times = [r.time for r in self.site.requests]
        return [b - a for a, b in zip(times, times[1:])]

    def test_stall_forever_fails_after_three_bounded_attempts(self) -> None:
        self.site.script(self.path, [Stall(after_bytes=0, seconds=60)])
        started = time.monotonic()
        result = self.lc.build(self.env)
        elapsed = time.monotonic() - started
        self.assert_fails(result, "BP_DOWNLOAD_STALL_TIMEOUT", self.site.url(self.path))
        self.assertEqual(self.site.count(self.path), 3)
        for gap, backoff in zip(self.request_gaps(), (0.5, 1.0)):
            self.assertGreaterEqual(gap, 1.0 + backoff - 0.1, "an attempt ended before the stall timeout")
            self.assertLess(gap, 2.0 + backoff + 0.5, "an attempt outlived the stall timeout")
        self.assertLess(elapsed, 10)
        self.assert_no_etcd_layer(self.lc)

    def test_stall_mid_body_is_cut_after_the_stall_timeout_then_served(self) -> None:
        """The server sends 100 bytes then nothing: the attempt must end about 1 s later, not 5 s more."""
        self.site.script(self.path, [Stall(after_bytes=100, seconds=60), Serve()])
        result = self.build_ok(self.lc, self.env)
        self.assertEqual(self.site.count(self.path), 2)
        self.assert_etcd_version(self.lc, "3.6.2")
        self.assertIn("retrying in 500 ms", result.stdout)
        [gap] = self.request_gaps()
        self.assertLess(gap, 2.0 + 0.5 + 0.5, "the stalled attempt outlived BP_DOWNLOAD_STALL_TIMEOUT=1 by seconds")


# ------------------------------------------------------------------------------------------------
# archives
# ------------------------------------------------------------------------------------------------

MALICIOUS_EXPECTATIONS = {
    # kind: what the one error line must say (``{top}`` and ``{evil}`` are filled in)
    "dotdot": '"{top}/../../{evil}"',
    "absolute": '"/tmp/{evil}"',
    "escaping_symlink": '"{top}/link"',
    "absolute_symlink": '"{top}/link"',
    "symlink_write_through": '"{top}/link"',
    "escaping_hardlink": '"{top}/passwd"',
    "device": '"{top}/null"',
    "fifo": '"{top}/fifo"',
    "no_etcd": "has no etcd binary",
    "etcd_is_symlink": '"{top}/etcd"',
    "corrupt_gzip": "not an intact .tar.gz",
    "truncated": "not an intact .tar.gz",
}


class MaliciousTarballTest(CnbBuildTestCase):
    """Each malicious kind, with buildpack.toml pinned to its sha256 so only the extraction can refuse it.

    One test per kind is generated below (``test_rejects_<kind>``).
    """

    def check_rejected(self, kind: str) -> None:
        evil = f"cnb-evil-{secrets.token_hex(6)}"
        tarball = tarballs.malicious_tarball(kind, "3.6.2", ARCH, evil_name=evil)
        lc = self.lifecycle(self.make_buildpack([self.serve("3.6.2", tarball)]))
        before = trees.snapshot(lc.layers_dir)
        result = lc.build()
        expected = MALICIOUS_EXPECTATIONS[kind].format(top=tarballs.release_top_dir("3.6.2", ARCH), evil=evil)
        self.assert_fails(result, expected, "3.6.2")
        self.assertEqual(self.site.count(), 1, "a bad archive is not retried")
        self.assert_no_etcd_layer(lc)
        self.assert_layers_unchanged(lc, before)
        self.assert_nothing_named(evil, lc)

    def assert_nothing_named(self, evil: str, lc: Lifecycle) -> None:
        """No ``evil`` entry in the lifecycle root, its parents, /tmp or the app dir."""
        found = [str(p) for p in lc.root.rglob(f"*{evil}*")]
        candidates = [Path("/tmp"), Path("/"), lc.app_dir, *lc.layers_dir.parents]
        found += [str(d / evil) for d in candidates if os.path.lexists(d / evil)]
        self.assertEqual(found, [])


def _malicious_test(kind: str):
    def test(self: MaliciousTarballTest) -> None:
        self.check_rejected(kind)
    test.__doc__ = f"A {kind} tarball fails the build with a one-line error and writes nothing."
    return test


for _kind in tarballs.MALICIOUS_KINDS:
    setattr(MaliciousTarballTest, f"test_rejects_{_kind}", _malicious_test(_kind))


# ------------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------------


class BadInputTest(CnbBuildTestCase):
    """Settings, plans and targets that cannot be honoured: exit 1, one clear line, no request."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.fake_buildpack()
        self.lc = self.lifecycle(self.buildpack)

    def assert_build_fails(self, *fragments: str, env: Mapping[str, str] | None = None, **kwargs: Any) -> str:
        line = self.assert_fails(self.lc.build(env, **kwargs), *fragments)
        self.assertEqual(self.site.count(), 0)
        self.assert_no_etcd_layer(self.lc)
        return line

    def test_invalid_bp_etcd_version_lists_the_accepted_forms(self) -> None:
        self.assert_build_fails("BP_ETCD_VERSION", "3.six", "3.6.14", "3.6.*", "~3.5", "^3.5.0", ">=3.5,<3.7",
                                env={"BP_ETCD_VERSION": "3.six"})

    def test_constraint_that_matches_nothing_lists_available_versions(self) -> None:
        line = self.assert_build_fails('"4.*"', env={"BP_ETCD_VERSION": "4.*"})
        self.assertIn("3.6.2, 3.5.9, 3.5.1", line)

    def test_supported_constraint_forms_resolve(self) -> None:
        for constraint, version in (("3.5.1", "3.5.1"), ("3.*", "3.6.2"), ("~3.5", "3.5.9"), ("^3.5.0", "3.6.2"),
                                    (">=3.5,<3.6", "3.5.9")):
            with self.subTest(constraint=constraint):
                result = self.build_ok(self.lc, {"BP_ETCD_VERSION": constraint})
                self.assertIn(f"Selected etcd version (using BP_ETCD_VERSION): {version}\n", result.stdout)
                self.assertEqual(self.etcd_metadata(self.lc)["version"], version)

    def test_unlisted_target_arch_is_named(self) -> None:
        self.lc.target_env["CNB_TARGET_ARCH"] = "s390x"
        self.assert_build_fails("linux/s390x")

    def test_malformed_plan_toml(self) -> None:
        self.assert_build_fails("plan", plan='[[entries]\nname = "etcd"\n')

    def test_wrongly_typed_plan_entry(self) -> None:
        self.assert_build_fails("plan", plan='[[entries]]\nname = "etcd"\n[entries.metadata]\nversion = 3\n')

    def test_malformed_buildpack_toml(self) -> None:
        (self.buildpack / "buildpack.toml").write_text("api = \n")
        self.assert_build_fails("buildpack.toml")

    def test_invalid_stall_timeout_is_named(self) -> None:
        for value in ("0", "soon", "3601", "-5"):
            with self.subTest(value=value):
                self.assert_build_fails("BP_DOWNLOAD_STALL_TIMEOUT", value,
                                        env={"BP_DOWNLOAD_STALL_TIMEOUT": value})

    def test_invalid_connect_timeout_is_named(self) -> None:
        self.assert_build_fails("BP_DOWNLOAD_CONNECT_TIMEOUT", env={"BP_DOWNLOAD_CONNECT_TIMEOUT": "1.5"})

    def test_conflicting_mirror_bindings(self) -> None:
        for name in ("mirror-a", "mirror-b"):
            self.lc.add_binding(name, "dependency-mirror", {"default": "https://127.0.0.1:1/{originalHost}"})
        self.assert_build_fails("mirror-a", "mirror-b")

    def test_unsupported_uri_scheme(self) -> None:
        dep = make_dependency("3.6.2", "ftp://127.0.0.1/etcd.tar.gz", "c" * 64, arch=ARCH)
        lc = self.lifecycle(self.make_buildpack([dep]))
        self.assert_fails(lc.build(), "ftp://127.0.0.1/etcd.tar.gz")


if __name__ == "__main__":
    unittest.main()

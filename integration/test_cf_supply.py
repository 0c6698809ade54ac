"""Integration tests of the Cloud Foundry supply shim, ``bin/supply`` (README, "Cloud Foundry"; docs/contracts.md).

Each test stages an app with ``CfStager`` (a random ``contents<hex>/deps`` dir with every
``deps/<idx>`` created first) against a copy of the buildpack whose etcd dependency points at a
loopback ``DownloadServer``: the real etcd 3.4 release built from Debian's binaries where the
binary must work, tiny fake releases elsewhere. Run from ``integration/`` with Debian's Python:

    /usr/bin/python3 -m unittest -v test_cf_supply
"""

from __future__ import annotations

import json
import os
import tempfile
import unittest
from pathlib import Path
from typing import Any, Mapping, Sequence

import yaml

from harness import config, tarballs, trees
from harness.buildpack_toml import make_dependency, make_test_buildpack, read_buildpack_toml
from harness.cf_stager import CfStager, command_lines
from harness.etcd_cluster import EtcdCluster
from harness.fixtures.host import ARCH
from harness.fixtures.releases import FAKE_VERSIONS, release_path
from harness.http_server import DownloadServer
from harness.ports import free_port
from harness.processes import LoggedPopen, RunResult, group_executables, run
from harness.waiting import wait_until

HEADER = "-----> "
DETAIL = "       "
ERROR = DETAIL + "**ERROR** "
ETCD_TOOLS = ("etcd", "etcdctl")


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def cf_error_lines(result: RunResult) -> list[str]:
    """Return the ``       **ERROR** …`` lines of a supply run's stdout (libbuildpack logs on stdout)."""
    return [line for line in result.stdout.splitlines() if line.startswith(ERROR)]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def files_under(root: Path) -> list[Path]:
    """Return every regular file (not symlink) under ``root``."""
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


class CfSupplyTestCase(unittest.TestCase):
    """Helpers: a download server, test buildpacks, stagers and CF-log assertions (no tests here)."""

    ctest_timeout = 120

    def setUp(self) -> None:
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="cf-supply-")))
        self.site: DownloadServer = self.enterContext(DownloadServer())
        self._roots = 0

    # -- buildpacks ---------------------------------------------------------------------------

    def serve(self, version: str, tarball: "bytes | Path") -> dict[str, Any]:
        """Serve ``tarball`` at the release path of ``version``; return its buildpack.toml entry."""
        url = self.site.add_file(release_path(version), tarball)
        return make_dependency(version, url, tarballs.sha256_hex(tarball), arch=ARCH)

    def make_buildpack(self, dependencies: Sequence[Mapping[str, Any]], default_version: str,
                       name: str = "buildpack") -> Path:
        return make_test_buildpack(self.tmp / name, dependencies, default_version=default_version)

    def fake_buildpack(self, versions: Sequence[str] = FAKE_VERSIONS, default_version: str = "3.6.*") -> Path:
        """A buildpack offering fake releases of ``versions``."""
        deps = [self.serve(v, tarballs.fake_etcd_release(v, ARCH)) for v in versions]
        return self.make_buildpack(deps, default_version)

    def real_buildpack(self) -> Path:
        """A buildpack offering the real etcd release built from Debian's binaries (its only entry)."""
        version = tarballs.debian_etcd_version()
        dep = self.serve(version, tarballs.debian_etcd_release(ARCH))
        return self.make_buildpack([dep], default_version=version)

    @staticmethod
    def buildpack_version(buildpack: Path) -> str:
        return read_buildpack_toml(buildpack)["buildpack"]["version"]

    # -- staging ------------------------------------------------------------------------------

    def stager(self, buildpack: Path, deps_idx: str = "0", app_fixture: Path | None = None) -> CfStager:
        """A fresh staging root (own app, cache and deps dirs)."""
        self._roots += 1
        return self.enterContext(CfStager(buildpack, self.tmp / f"root-{self._roots}", app_fixture, deps_idx))

    def supply_ok(self, stager: CfStager, env: Mapping[str, "str | None"] | None = None) -> RunResult:
        result = stager.supply(env)
        self.assertEqual(result.code, 0, f"supply failed\n{result.describe()}")
        return result

    # -- assertions ---------------------------------------------------------------------------

    def assert_fails_with_error(self, result: RunResult, *fragments: str) -> str:
        """Non-zero exit and an ``       **ERROR** <one line>`` on stdout holding every fragment."""
        self.assertNotEqual(result.code, 0, f"expected a failure\n{result.describe()}")
        self.assertIsNotNone(result.code)
        self.assertGreater(result.code, 0, f"killed by a signal\n{result.describe()}")
        errors = cf_error_lines(result)
        self.assertTrue(errors, f"no '{ERROR}' line on stdout\n{result.describe()}")
        matching = [e for e in errors if all(f in e for f in fragments)]
        self.assertTrue(matching, f"no **ERROR** line names all of {fragments}\n{result.describe()}")
        return matching[0]

    def assert_no_etcd_installed(self, stager: CfStager) -> None:
        deps = stager.deps_idx_dir
        self.assertFalse((deps / "etcd").exists(), trees.list_files(deps))
        for tool in ETCD_TOOLS:
            self.assertFalse(os.path.lexists(deps / "bin" / tool), trees.list_files(deps))

    def assert_etcd_version(self, stager: CfStager, version: str) -> None:
        """``deps/<idx>/bin/etcd --version`` runs and reports ``version``."""
        etcd = stager.deps_idx_dir / "bin" / "etcd"
        self.assertTrue(os.access(etcd, os.X_OK), f"{etcd} is not executable")
        output = run([etcd, "--version"], env={"PATH": "/usr/bin:/bin"}, timeout=30).check().stdout
        self.assertIn(f"etcd Version: {version}\n", output)

    def assert_config_yml(self, stager: CfStager, buildpack: Path, etcd_version: str) -> None:
        config_yml = load_yaml(stager.deps_idx_dir / "config.yml")
        self.assertEqual(config_yml["name"], "etcdproxy")
        self.assertEqual(config_yml["version"], self.buildpack_version(buildpack))
        self.assertEqual(config_yml["config"], {"etcd_version": etcd_version})

    def assert_requested_only(self, *versions: str) -> None:
        """The server was asked for the releases of ``versions`` and nothing else."""
        self.assertEqual(sorted({r.path for r in self.site.requests}), sorted(release_path(v) for v in versions))


class HappyPathTest(CfSupplyTestCase):
    """Stages the real etcd release with default settings; each test checks one output."""

    def setUp(self) -> None:
        super().setUp()
        self.version = tarballs.debian_etcd_version()
        self.buildpack = self.real_buildpack()
        self.staged = self.stager(self.buildpack)
        self.result = self.supply_ok(self.staged)
        self.deps = self.staged.deps_idx_dir

    def test_bin_etcd_is_executable_and_reports_the_release_version(self) -> None:
        self.assert_etcd_version(self.staged, self.version)

    def test_bin_etcdctl_is_installed(self) -> None:
        etcdctl = self.deps / "bin" / "etcdctl"
        output = run([etcdctl, "version"], env={"PATH": "/usr/bin:/bin"}, timeout=30).check().stdout
        self.assertIn(f"etcdctl version: {self.version}\n", output)

    def test_bin_etcd_proxy_is_the_buildpack_helper(self) -> None:
        helper = self.deps / "bin" / "etcd-proxy"
        self.assertTrue(os.access(helper, os.X_OK), f"{helper} is not executable")
        self.assertEqual(tarballs.sha256_hex(helper.resolve()),
                         tarballs.sha256_hex(self.buildpack / "bin" / "etcd-proxy"))

    def test_config_yml_names_the_buildpack_and_the_etcd_version(self) -> None:
        self.assert_config_yml(self.staged, self.buildpack, self.version)

    def test_profile_script_passes_bash_n(self) -> None:
        scripts = sorted((self.deps / "profile.d").iterdir())
        self.assertTrue(scripts, "no profile.d script")
        for script in scripts:
            with self.subTest(script=script.name):
                run(["bash", "-n", script], timeout=10).check()

    def test_profile_script_sources_under_set_u_with_empty_or_unset_path(self) -> None:
        """Sourced as the launcher does, with ``set -u``: PATH gets ``$DEPS_DIR/<idx>/bin`` only."""
        for mode, prelude in (("unset", "unset PATH LD_LIBRARY_PATH"),
                              ("empty", "PATH= LD_LIBRARY_PATH=; export PATH LD_LIBRARY_PATH")):
            for script in sorted((self.deps / "profile.d").iterdir()):
                with self.subTest(mode=mode, script=script.name):
                    program = f'set -eu; {prelude}; source "$1"; printf "%s" "${{PATH-<unset>}}"'
                    result = run(["/bin/bash", "-c", program, "profile", script],
                                 env={"DEPS_DIR": "/home/vcap/deps", "HOME": "/home/vcap/app"}, timeout=10)
                    self.assertEqual(result.code, 0, result.describe())
                    self.assertEqual(result.stderr, "")
                    self.assertEqual(result.stdout, "/home/vcap/deps/0/bin")

    def test_profile_script_prepends_deps_bin_to_an_existing_path(self) -> None:
        script = self.deps / "profile.d" / "etcdproxy.sh"
        program = 'set -eu; source "$1"; printf "%s" "$PATH"'
        result = run(["/bin/bash", "-c", program, "profile", script],
                     env={"DEPS_DIR": "/home/vcap/deps", "PATH": "/usr/bin:/bin"}, timeout=10).check()
        self.assertEqual(result.stdout, "/home/vcap/deps/0/bin:/usr/bin:/bin")

    def test_profile_script_tells_the_app_where_the_proxy_is_unless_it_knows(self) -> None:
        """ETCDCTL_ENDPOINTS and ETCD_ENDPOINTS = the proxy's client address, unless set."""
        script = self.deps / "profile.d" / "etcdproxy.sh"
        program = 'set -eu; source "$1"; printf "%s %s" "$ETCDCTL_ENDPOINTS" "$ETCD_ENDPOINTS"'
        cases = (({}, "127.0.0.1:2379 127.0.0.1:2379"),
                 ({"BPL_ETCD_PROXY_LISTEN_ADDR": "0.0.0.0:3000"}, "127.0.0.1:3000 127.0.0.1:3000"),
                 ({"ETCD_ENDPOINTS": "https://mine:2379"}, "127.0.0.1:2379 https://mine:2379"))
        for extra, expected in cases:
            with self.subTest(env=extra):
                result = run(["/bin/bash", "-c", program, "profile", script],
                             env={"DEPS_DIR": "/home/vcap/deps", "PATH": "/usr/bin:/bin", **extra}, timeout=10)
                self.assertEqual(result.code, 0, result.describe())
                self.assertEqual(result.stdout, expected)

    def test_every_symlink_is_relative_and_stays_inside_deps_idx(self) -> None:
        root = self.deps.resolve()
        links = [p for p in self.deps.rglob("*") if p.is_symlink()]
        for link in links:
            with self.subTest(link=str(link.relative_to(self.deps))):
                target = os.readlink(link)
                self.assertFalse(os.path.isabs(target), f"absolute link target {target}")
                resolved = (link.parent / target).resolve()
                self.assertTrue(resolved.is_relative_to(root), f"{target} leaves deps/<idx>: {resolved}")
                self.assertTrue(resolved.exists(), f"dangling link -> {target}")
        for tool in ETCD_TOOLS + ("etcd-proxy",):
            path = self.deps / "bin" / tool
            self.assertTrue(path.is_file(), f"bin/{tool} is neither a file nor a link to one")

    def test_log_first_line_is_the_buildpack_version_title(self) -> None:
        first = self.result.stdout.splitlines()[0]
        self.assertRegex(first, rf"^-----> .* Buildpack version {self.buildpack_version(self.buildpack)}$")
        self.assertEqual(first, f"-----> Etcdproxy Buildpack version {self.buildpack_version(self.buildpack)}")

    def test_log_lines_are_headers_or_seven_space_details(self) -> None:
        lines = lines_of(self.result.stdout)
        self.assertIn(f"{DETAIL}Using etcd version {self.version}", lines)
        self.assertIn(f"{HEADER}Installing etcd {self.version}", lines)
        for line in lines:
            self.assertTrue(line.startswith(HEADER) or line.startswith(DETAIL), f"badly shaped log line {line!r}")
        self.assertEqual(cf_error_lines(self.result), [])

    def test_no_launch_yml_by_default(self) -> None:
        self.assertFalse((self.deps / "launch.yml").exists())

    def test_download_is_kept_in_cache_dir_by_sha256(self) -> None:
        tarball = tarballs.debian_etcd_release(ARCH)
        cached = self.staged.cache_dir / "dependencies" / tarballs.sha256_hex(tarball) / tarball.name
        self.assertTrue(cached.is_file(), trees.list_files(self.staged.cache_dir))
        self.assertEqual(tarballs.sha256_hex(cached), tarballs.sha256_hex(tarball))


class WritesOnlyItsOwnDirsTest(CfSupplyTestCase):
    """Supply's write rules (docs/contracts.md): BUILD_DIR untouched, nothing outside deps/<idx> and CACHE_DIR,
    no staging path in any written file. Our index is 1, between an earlier and a final buildpack."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.real_buildpack()
        self.staged = self.stager(self.buildpack, deps_idx="1", app_fixture=self._app_fixture())
        for idx in ("0", "2"):  # what the other buildpacks have or will have
            other = self.staged.deps_dir / idx
            (other / "bin").mkdir()
            (other / "bin" / "tool").write_text("#!/bin/sh\necho tool\n")
            (other / "bin" / "tool").chmod(0o755)
            (other / "config.yml").write_text(f"---\nname: other{idx}\nversion: 1.0.0\nconfig: {{}}\n")
        self.app_before = trees.tree_hash(self.staged.build_dir)
        self.root_before = trees.snapshot(self.staged.root)
        self.buildpack_before = trees.snapshot(self.buildpack)
        self.supply_ok(self.staged, {"BP_ETCD_PROXY_SIDECAR": "true"})

    def _app_fixture(self) -> Path:
        app = self.tmp / "app-fixture"
        (app / "lib").mkdir(parents=True)
        (app / "app.rb").write_text("puts 'hello'\n")
        (app / "lib" / "run.sh").write_text("#!/bin/sh\nexec ruby app.rb\n")
        (app / "lib" / "run.sh").chmod(0o755)
        (app / "Procfile").symlink_to("lib/run.sh")
        (app / ".profile.d").mkdir()
        (app / ".profile.d" / "app.sh").write_text("export APP_ENV=test\n")
        return app

    def test_build_dir_tree_is_unchanged(self) -> None:
        self.assertEqual(trees.tree_hash(self.staged.build_dir), self.app_before,
                         trees.list_files(self.staged.build_dir))

    def test_nothing_changes_outside_deps_idx_and_cache_dir(self) -> None:
        allowed = [self.staged.deps_idx_dir, self.staged.cache_dir]
        prefixes = [str(p.relative_to(self.staged.root)) for p in allowed]

        def outside(snapshot: dict[str, str]) -> dict[str, str]:
            return {path: description for path, description in snapshot.items()
                    if not any(path == p or path.startswith(p + "/") for p in prefixes)}

        changes = trees.diff(outside(self.root_before), outside(trees.snapshot(self.staged.root)))
        self.assertEqual(changes, [], "supply wrote outside deps/<idx> and CACHE_DIR")
        self.assertEqual(trees.diff(self.buildpack_before, trees.snapshot(self.buildpack)), [],
                         "supply changed its own buildpack directory")

    def test_deps_idx_and_cache_dir_were_written(self) -> None:
        """The counterpart of the test above: the writes went where they belong."""
        self.assertTrue((self.staged.deps_idx_dir / "config.yml").is_file())
        self.assertTrue(files_under(self.staged.cache_dir / "dependencies"))

    def test_no_staging_path_in_written_files(self) -> None:
        forbidden = {"DEPS_DIR": self.staged.deps_dir, "BUILD_DIR": self.staged.build_dir,
                     "staging root": self.staged.root / "staging"}
        etcd_binaries = self.staged.deps_idx_dir / "etcd" / "bin"
        checked = [p for p in files_under(self.staged.deps_idx_dir) + files_under(self.staged.cache_dir)
                   if not p.is_relative_to(etcd_binaries)]
        self.assertIn(self.staged.deps_idx_dir / "launch.yml", checked)
        self.assertIn(self.staged.deps_idx_dir / "profile.d" / "etcdproxy.sh", checked)
        for path in checked:
            data = path.read_bytes()
            for name, staging_path in forbidden.items():
                with self.subTest(file=str(path.relative_to(self.staged.root)), path=name):
                    self.assertNotIn(str(staging_path).encode(), data)
        for link in (p for p in self.staged.deps_idx_dir.rglob("*") if p.is_symlink()):
            self.assertNotIn(str(self.staged.root), os.readlink(link))


class DepsIndexTest(CfSupplyTestCase):
    """DEPS_IDX is opaque: ``0``, ``3`` and ``00`` work and are never reformatted (docs/contracts.md)."""

    def check_index(self, deps_idx: str) -> None:
        buildpack = self.fake_buildpack()
        staged = self.stager(buildpack, deps_idx=deps_idx)
        self.supply_ok(staged, {"BP_ETCD_PROXY_SIDECAR": "true"})
        self.assertEqual(sorted(os.listdir(staged.deps_dir)), sorted(staged.indices),
                         "a deps dir was created under another spelling of the index")
        for idx in staged.indices:
            if idx != deps_idx:
                self.assertEqual(os.listdir(staged.deps_dir / idx), [], f"deps/{idx} was written")
        self.assert_etcd_version(staged, "3.6.2")
        self.assertTrue((staged.deps_idx_dir / "bin" / "etcd-proxy").is_file())
        profile = (staged.deps_idx_dir / "profile.d" / "etcdproxy.sh").read_text()
        self.assertIn(f"$DEPS_DIR/{deps_idx}/bin", profile)
        launch = load_yaml(staged.deps_idx_dir / "launch.yml")
        self.assertEqual(launch["processes"][0]["command"], f"$DEPS_DIR/{deps_idx}/bin/etcd-proxy")

    def test_index_0(self) -> None:
        self.check_index("0")

    def test_index_3(self) -> None:
        self.check_index("3")

    def test_zero_padded_index_00(self) -> None:
        self.check_index("00")


class StackTest(CfSupplyTestCase):
    """libbuildpack uses a dependency only on the stacks its manifest entry lists (manifest.go
    CheckStackSupport / entrySupportsStack, with CF_STACK); cf-stacks is cflinuxfs4 and cflinuxfs5."""

    def staged_on(self, stack: str) -> CfStager:
        staged = self.stager(self.fake_buildpack())
        staged.stack = stack
        return staged

    def test_stages_on_cflinuxfs5(self) -> None:
        staged = self.staged_on("cflinuxfs5")
        self.supply_ok(staged)
        self.assert_etcd_version(staged, "3.6.2")

    def test_an_unlisted_stack_finds_no_etcd(self) -> None:
        staged = self.staged_on("cflinuxfs3")
        self.assert_fails_with_error(staged.supply(), "required stack cflinuxfs3 was not found")
        self.assert_no_etcd_installed(staged)
        self.assertEqual(self.site.requests, [])


class DownloadCacheTest(CfSupplyTestCase):
    """Downloads are cached in CACHE_DIR by sha256; a warm restage needs no network."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.fake_buildpack()
        self.first = self.stager(self.buildpack)
        self.supply_ok(self.first)
        self.assertEqual(self.site.count(release_path("3.6.2")), 1)
        self.site.clear_requests()

    def restager(self) -> CfStager:
        """Fresh build and deps dirs that share the first staging's CACHE_DIR."""
        again = self.stager(self.buildpack)
        again.cache_dir.rmdir()
        again.cache_dir = self.first.cache_dir
        return again

    def test_restage_with_warm_cache_makes_no_request(self) -> None:
        again = self.restager()
        self.supply_ok(again)
        self.assertEqual(self.site.requests, [])
        self.assert_etcd_version(again, "3.6.2")

    def test_restage_with_warm_cache_works_with_the_server_stopped(self) -> None:
        self.site.stop()
        again = self.restager()
        self.supply_ok(again)
        self.assert_etcd_version(again, "3.6.2")
        self.assert_config_yml(again, self.buildpack, "3.6.2")

    def test_stale_cached_downloads_are_pruned(self) -> None:
        stale = self.first.cache_dir / "dependencies" / ("ab" * 32) / "etcd-v3.5.0-linux-amd64.tar.gz"
        stale.parent.mkdir(parents=True)
        stale.write_bytes(b"an old release")
        self.supply_ok(self.restager())
        sha = tarballs.sha256_hex(tarballs.fake_etcd_release("3.6.2", ARCH))
        self.assertEqual(os.listdir(self.first.cache_dir / "dependencies"), [sha])


class FailureTest(CfSupplyTestCase):
    """Bad input: a clear ``**ERROR**`` line, a non-zero exit and nothing half-written (docs/reliability.md)."""

    def mismatched_buildpack(self) -> tuple[Path, str]:
        """A buildpack whose 3.6.2 entry pins a sha256 the served file does not have."""
        dep = self.serve("3.6.2", tarballs.fake_etcd_release("3.6.2", ARCH))
        actual = dep["sha256"]
        dep["sha256"] = tarballs.sha256_hex(b"some other file")
        return self.make_buildpack([dep], "3.6.*"), actual

    def test_checksum_mismatch_fails_with_error_naming_the_digests(self) -> None:
        buildpack, actual = self.mismatched_buildpack()
        result = self.stager(buildpack).supply()
        self.assert_fails_with_error(result, "sha256", "mismatch", tarballs.sha256_hex(b"some other file"), actual)

    def test_checksum_mismatch_leaves_no_partial_etcd(self) -> None:
        buildpack, actual = self.mismatched_buildpack()
        staged = self.stager(buildpack)
        self.assertNotEqual(staged.supply().code, 0)
        self.assertEqual(self.site.count(release_path("3.6.2")), 1, "the file was not even downloaded")
        self.assert_no_etcd_installed(staged)
        self.assertFalse((staged.deps_idx_dir / "config.yml").exists())
        cached = [tarballs.sha256_hex(p) for p in files_under(staged.cache_dir)]
        self.assertNotIn(actual, cached, "the rejected download was kept in CACHE_DIR")

    def test_wrong_argument_count_fails_with_error_from_the_shim(self) -> None:
        staged = self.stager(self.fake_buildpack())
        standard = [str(staged.build_dir), str(staged.cache_dir), str(staged.deps_dir), staged.deps_idx]
        for args in ([], standard[:3], standard + ["extra"]):
            with self.subTest(count=len(args)):
                result = staged.supply(args=args)
                self.assert_fails_with_error(result, "4 arguments")
                self.assertEqual(os.listdir(staged.deps_idx_dir), [])
        self.assertEqual(self.site.requests, [])

    def test_deps_idx_without_a_directory_fails_with_error(self) -> None:
        staged = self.stager(self.fake_buildpack())
        result = staged.supply(args=[str(staged.build_dir), str(staged.cache_dir), str(staged.deps_dir), "7"])
        self.assert_fails_with_error(result, "DEPS_IDX")
        self.assertFalse((staged.deps_dir / "7").exists())
        self.assertEqual(sorted(os.listdir(staged.deps_dir)), staged.indices)
        self.assertEqual(self.site.requests, [])


class EtcdBinariesTest(CfSupplyTestCase):
    """BP_ETCD_BINARIES chooses the release's binaries; the log names every one installed."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.fake_buildpack()

    def test_by_default_etcd_and_etcdctl_are_installed_and_named(self) -> None:
        staged = self.stager(self.buildpack)
        result = self.supply_ok(staged)
        self.assertIn("Installed etcd, etcdctl and etcd-proxy into $DEPS_DIR/0/bin", result.stdout)
        self.assertEqual(trees.list_files(staged.deps_idx_dir / "etcd"), ["bin/", "bin/etcd", "bin/etcdctl", "etcd-version"])
        self.assertFalse(os.path.lexists(staged.deps_idx_dir / "bin" / "etcdutl"))

    def test_etcdutl_on_request_is_installed_linked_and_named(self) -> None:
        staged = self.stager(self.buildpack)
        result = self.supply_ok(staged, {"BP_ETCD_BINARIES": "etcdctl,etcdutl"})
        self.assertIn("Installed etcd, etcdctl, etcdutl and etcd-proxy into $DEPS_DIR/0/bin", result.stdout)
        self.assertEqual(os.readlink(staged.deps_idx_dir / "bin" / "etcdutl"), "../etcd/bin/etcdutl")

    def test_a_binary_the_release_lacks_fails_and_installs_nothing(self) -> None:
        staged = self.stager(self.buildpack)
        result = staged.supply({"BP_ETCD_BINARIES": "etcd-dump"})
        self.assert_fails_with_error(result, "BP_ETCD_BINARIES names etcd-dump, which the etcd 3.6.2 archive does not hold")
        self.assert_no_etcd_installed(staged)

    def test_a_name_that_is_not_a_file_name_fails_before_any_download(self) -> None:
        staged = self.stager(self.buildpack)
        result = staged.supply({"BP_ETCD_BINARIES": "etcd,../../bin/sh"})
        self.assert_fails_with_error(result, "BP_ETCD_BINARIES=\"etcd,../../bin/sh\" is not a comma list")
        self.assertEqual(self.site.requests, [])


class LaunchYmlTest(CfSupplyTestCase):
    """``launch.yml`` declares the sidecar only on opt-in (README, "Cloud Foundry")."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.fake_buildpack()

    def staged_with(self, env: Mapping[str, str], deps_idx: str = "2") -> CfStager:
        staged = self.stager(self.buildpack, deps_idx=deps_idx)
        self.supply_ok(staged, env)
        return staged

    def assert_sidecar(self, staged: CfStager, memory: int) -> None:
        launch = load_yaml(staged.deps_idx_dir / "launch.yml")
        self.assertEqual(len(launch["processes"]), 1, launch)
        process = launch["processes"][0]
        self.assertEqual(process["type"], "etcd-proxy")
        self.assertEqual(process["command"], f"$DEPS_DIR/{staged.deps_idx}/bin/etcd-proxy")
        self.assertIs(type(process["limits"]["memory"]), int, process)
        self.assertEqual(process["limits"]["memory"], memory)
        self.assertEqual(process["platforms"]["cloudfoundry"]["sidecar_for"], ["web"])

    def test_no_launch_yml_without_opt_in(self) -> None:
        for env in ({}, {"BP_ETCD_PROXY_SIDECAR": "false"}):
            with self.subTest(env=env):
                staged = self.staged_with(env)
                self.assertTrue((staged.deps_idx_dir / "config.yml").is_file())
                self.assertFalse((staged.deps_idx_dir / "launch.yml").exists())

    def test_opt_in_declares_the_sidecar_for_web_with_64_mb(self) -> None:
        self.assert_sidecar(self.staged_with({"BP_ETCD_PROXY_SIDECAR": "true"}), 64)

    def test_sidecar_memory_setting(self) -> None:
        staged = self.staged_with({"BP_ETCD_PROXY_SIDECAR": "true", "BP_ETCD_PROXY_SIDECAR_MEMORY": "128"})
        self.assert_sidecar(staged, 128)

    def test_invalid_sidecar_memory_fails_with_error(self) -> None:
        result = self.stager(self.buildpack).supply({"BP_ETCD_PROXY_SIDECAR": "true",
                                                     "BP_ETCD_PROXY_SIDECAR_MEMORY": "abc"})
        self.assert_fails_with_error(result, "BP_ETCD_PROXY_SIDECAR_MEMORY", "abc")

    def test_invalid_sidecar_flag_fails_with_error(self) -> None:
        result = self.stager(self.buildpack).supply({"BP_ETCD_PROXY_SIDECAR": "maybe"})
        self.assert_fails_with_error(result, "BP_ETCD_PROXY_SIDECAR", "maybe")

    def test_invalid_sidecar_memory_leaves_nothing_half_written(self) -> None:
        """A bad setting is found before any work: no download, deps/<idx> left empty."""
        staged = self.stager(self.buildpack)
        result = staged.supply({"BP_ETCD_PROXY_SIDECAR": "true", "BP_ETCD_PROXY_SIDECAR_MEMORY": "abc"})
        self.assertNotEqual(result.code, 0)
        self.assertEqual(trees.list_files(staged.deps_idx_dir), [],
                         f"a failed staging left a half-filled deps/<idx>\n{result.stdout}")
        self.assertEqual(self.site.requests, [], "downloaded etcd before rejecting the settings")


class LaunchEmulationTest(CfSupplyTestCase):
    """The droplet runs at another root (as Diego's launcher runs it, docs/contracts.md), through Cloud
    Foundry's real launcher when the tool is there (else the emulator's): the sidecar command proxies
    to a local etcd found through VCAP_SERVICES, and the etcd that runs is the droplet's."""

    ctest_timeout = 180

    def setUp(self) -> None:
        super().setUp()
        self.staged = self.stager(self.real_buildpack(), deps_idx="1")
        self.supply_ok(self.staged, {"BP_ETCD_PROXY_SIDECAR": "true"})
        self.droplet = self.staged.launch_root()
        self.cluster: EtcdCluster = self.enterContext(EtcdCluster(size=1))
        self.port = free_port()

    def container_env(self) -> dict[str, str]:
        service = {"label": "user-provided", "name": "my-etcd", "instance_name": "my-etcd", "binding_name": None,
                   "tags": ["etcd"], "syslog_drain_url": None, "volume_mounts": [],
                   "credentials": {"endpoints": [self.cluster.client_urls[0]]}}
        return {"VCAP_SERVICES": json.dumps({"user-provided": [service]}),
                "BPL_ETCD_PROXY_LISTEN_ADDR": f"127.0.0.1:{self.port}"}

    def droplet_etcd(self) -> Path:
        return (self.droplet / "deps" / self.staged.deps_idx / "etcd" / "bin" / "etcd").resolve()

    def start(self, command: str) -> LoggedPopen:
        proc = self.staged.run_in_container(command, self.container_env())
        self.addCleanup(proc.stop)
        return proc

    def assert_proxies_put_and_get(self, proc: LoggedPopen) -> None:
        proxy = [f"127.0.0.1:{self.port}"]
        key, value = f"cf-sidecar-{self.port}", f"through the proxy on {self.port}"

        def put() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"the sidecar exited {proc.returncode}\n{proc.log_text()}")
            return self.cluster.etcdctl("put", key, value, endpoints=proxy, timeout=10, command_timeout="2s").code == 0

        try:
            wait_until(put, timeout=20, interval=0.2, what="a put through the proxy")
        except TimeoutError as error:
            raise AssertionError(f"{error}\n--- sidecar log ---\n{proc.log_text()}") from None
        got = self.cluster.etcdctl("get", key, "--print-value-only", endpoints=proxy).check()
        self.assertEqual(got.stdout, value + "\n")
        self.assertEqual(self.cluster.get_raw(key), value, "the put did not reach the etcd cluster")

    def assert_runs_droplet_etcd(self, proc: LoggedPopen) -> None:
        executables = wait_until(lambda: group_executables(proc.pid, "etcd"), timeout=10, what="the etcd process")
        self.assertEqual(executables, [str(self.droplet_etcd())], "not the droplet's etcd")
        self.assertNotEqual(self.droplet_etcd(), config.ETCD_BIN.resolve())

    def test_sidecar_command_from_launch_yml_proxies_to_etcd(self) -> None:
        launch = load_yaml(self.staged.deps_idx_dir / "launch.yml")
        command = launch["processes"][0]["command"]
        self.assertIn("$DEPS_DIR", command)
        proc = self.start(command)
        self.assert_proxies_put_and_get(proc)
        self.assert_runs_droplet_etcd(proc)

    def test_manifest_sidecar_command_etcd_proxy_is_found_on_path(self) -> None:
        found = command_lines(self.staged.run_command("command -v etcd-proxy; command -v etcd").check().stdout)
        deps_bin = self.droplet / "deps" / self.staged.deps_idx / "bin"
        self.assertEqual(found, [str(deps_bin / "etcd-proxy"), str(deps_bin / "etcd")])
        proc = self.start("etcd-proxy")
        self.assert_proxies_put_and_get(proc)
        self.assert_runs_droplet_etcd(proc)

    def test_seed_style_etcd_grpc_proxy_command(self) -> None:
        endpoint = self.cluster.endpoints[0]
        proc = self.start(f"etcd grpc-proxy start --endpoints={endpoint} --listen-addr=127.0.0.1:{self.port}")
        self.assert_proxies_put_and_get(proc)
        self.assert_runs_droplet_etcd(proc)


class VersionSelectionTest(CfSupplyTestCase):
    """``BP_ETCD_VERSION`` picks among the buildpack's releases."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.fake_buildpack()

    def assert_installs(self, env: Mapping[str, str], version: str) -> None:
        self.site.clear_requests()
        staged = self.stager(self.buildpack)
        result = self.supply_ok(staged, env)
        self.assertIn(f"{DETAIL}Using etcd version {version}", result.stdout.splitlines())
        self.assert_etcd_version(staged, version)
        self.assert_config_yml(staged, self.buildpack, version)
        self.assert_requested_only(version)

    def test_default_versions_constraint_picks_the_highest_match(self) -> None:
        self.assert_installs({}, "3.6.2")

    def test_bp_etcd_version_selects_a_release(self) -> None:
        for constraint, version in (("~3.5", "3.5.9"), ("3.5.1", "3.5.1"), ("3.*", "3.6.2"), (">=3.5,<3.6", "3.5.9")):
            with self.subTest(BP_ETCD_VERSION=constraint):
                self.assert_installs({"BP_ETCD_VERSION": constraint}, version)

    def test_constraint_matching_nothing_fails_listing_available_versions(self) -> None:
        staged = self.stager(self.buildpack)
        result = staged.supply({"BP_ETCD_VERSION": "4.*"})
        self.assert_fails_with_error(result, "4.*", *FAKE_VERSIONS)
        self.assert_no_etcd_installed(staged)
        self.assertEqual(self.site.requests, [])


class MirrorTest(CfSupplyTestCase):
    """``BP_DEPENDENCY_MIRROR`` (Paketo semantics: https or file, ``{originalHost}``) applies in CF too."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.fake_buildpack()

    def test_file_mirror_is_used(self) -> None:
        mirror = self.tmp / "mirror"
        copy = mirror / "127.0.0.1" / release_path("3.6.2").lstrip("/")
        copy.parent.mkdir(parents=True)
        copy.write_bytes(tarballs.fake_etcd_release("3.6.2", ARCH))
        staged = self.stager(self.buildpack)
        result = self.supply_ok(staged, {"BP_DEPENDENCY_MIRROR": f"file://{mirror}/{{originalHost}}"})
        self.assertEqual(self.site.requests, [], "downloaded from the original URI, not the mirror")
        self.assertIn(f"file://{copy}", result.stdout)
        self.assert_etcd_version(staged, "3.6.2")

    def test_http_mirror_is_refused(self) -> None:
        staged = self.stager(self.buildpack)
        result = staged.supply({"BP_DEPENDENCY_MIRROR": f"http://127.0.0.1:{self.site.port}/{{originalHost}}"})
        self.assert_fails_with_error(result, "BP_DEPENDENCY_MIRROR")
        self.assertEqual(self.site.requests, [])
        self.assert_no_etcd_installed(staged)


class DisabledTest(CfSupplyTestCase):
    """``BP_ETCD_PROXY_ENABLED``: false supplies nothing but config.yml."""

    def setUp(self) -> None:
        super().setUp()
        self.buildpack = self.fake_buildpack()

    def test_disabled_writes_config_yml_and_installs_nothing(self) -> None:
        staged = self.stager(self.buildpack)
        result = self.supply_ok(staged, {"BP_ETCD_PROXY_ENABLED": "false", "BP_ETCD_PROXY_SIDECAR": "true"})
        config_yml = load_yaml(staged.deps_idx_dir / "config.yml")
        self.assertEqual(config_yml["name"], "etcdproxy")
        self.assertEqual(config_yml["version"], self.buildpack_version(self.buildpack))
        self.assertIsInstance(config_yml["config"], dict)
        self.assert_no_etcd_installed(staged)
        self.assertFalse((staged.deps_idx_dir / "launch.yml").exists())
        self.assertEqual(self.site.requests, [])
        self.assertEqual(files_under(staged.cache_dir), [])
        self.assertTrue(result.stdout.startswith(f"{HEADER}Etcdproxy Buildpack version "))

    def test_invalid_enabled_value_fails_with_error(self) -> None:
        """detect refuses a value other than true/false; supply must not silently install."""
        staged = self.stager(self.buildpack)
        result = staged.supply({"BP_ETCD_PROXY_ENABLED": "maybe"})
        self.assert_fails_with_error(result, "BP_ETCD_PROXY_ENABLED", "maybe")
        self.assert_no_etcd_installed(staged)


if __name__ == "__main__":
    unittest.main()

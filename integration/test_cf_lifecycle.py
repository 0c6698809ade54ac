"""Cloud Foundry through the REAL buildpack lifecycle: the zips of ``scripts/package.sh`` installed as
admin buildpacks, staged by code.cloudfoundry.org/buildpackapplifecycle's ``builder`` with a final
buildpack, and launched by its ``launcher`` against a real etcd (``harness.cf_lifecycle``; the
tools live in ``../shared/tools/cf-lifecycle-real`` or ``ETCDPROXY_CF_LIFECYCLE_DIR``; without
them these tests skip, and fail under ``CI=true``). ``EmulatorAgreesTest`` runs the same scenarios
through ``harness.cf_stager`` and compares: the emulator stands in where the tools are absent.

Every test here has the ctest label ``cf-real-lifecycle``, which ``scripts/test.sh`` counts. The zips
are packaged once per set of inputs (test cache) with a descriptor whose one etcd is Debian's real
release where the proxy must run, else a tiny fake one. Run from ``integration/`` with Debian's Python:

    /usr/bin/python3 -m unittest -v test_cf_lifecycle
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import unittest
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from harness import cf_lifecycle, config, packaging, tarballs
from harness.buildpack_toml import make_dependency, rewrite_buildpack_toml
from harness.certs import make_pki
from harness.cf_lifecycle import FINAL_BUILDPACK, CfLifecycle, Staging
from harness.cf_stager import CfStager, command_lines, push_indices
from harness.etcd_cluster import EtcdCluster
from harness.fixtures.releases import release_path, upstream_uri
from harness.http_server import DownloadServer
from harness.ports import free_port
from harness.processes import LoggedPopen, group_executables
from harness.waiting import wait_until

OURS = "etcdproxy_buildpack"
SIDECAR = {"BP_ETCD_PROXY_SIDECAR": "true"}
NO_NETWORK = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
"""Any download while staging fails fast: a staging that must not download proves it did not."""
SUPPLY_FAILED = 225
"""The builder's exit code when a supply script fails (buildpackapplifecycle errors.go)."""
MISSING_FINALIZE_WARNING = ("Warning: the last buildpack is not compatible with multi-buildpack apps and cannot "
                            "make use of any dependencies supplied by the buildpacks specified before it")
APP_START = """\
#!/bin/bash
# The test app: reports what the launcher gave it, then a put and a get through the sidecar.
echo "endpoints: ${ETCD_ENDPOINTS-unset} ${ETCDCTL_ENDPOINTS-unset}"
echo "etcdctl: $(command -v etcdctl)"
etcdctl put cf-app "written by the app" >/dev/null && etcdctl get cf-app --print-value-only
"""
FILLER_SUPPLY = """\
#!/bin/bash
# A supply buildpack that only records itself, to make a push of 10 buildpacks.
printf 'name: filler\\nversion: 0.0.1\\nconfig: {}\\n' > "$3/$4/config.yml"
"""
FAKE_ETCD_VERSION = "3.6.14"
_work_dirs: list[tempfile.TemporaryDirectory] = []


@dataclass(frozen=True)
class CfZips:
    """The two Cloud Foundry zips of one package.sh run and what they hold."""

    online: Path
    cached: Path
    version: str  # the buildpack's
    etcd_version: str
    release: Path  # the etcd release they install


@functools.cache
def cf_zips(etcd: str) -> CfZips:
    """The zips with ``etcd`` ``"real"`` (Debian's release, for a proxy that must work) or ``"fake"``
    (a tiny release: droplets the builder gzips in a fraction of the time), packaged once per
    set of inputs (the test cache keeps them)."""
    work = tempfile.TemporaryDirectory(prefix="cf-zips-")
    _work_dirs.append(work)
    if etcd == "real":
        version, release = tarballs.debian_etcd_version(), tarballs.debian_etcd_release("amd64")
    else:
        version, release = FAKE_ETCD_VERSION, Path(work.name, "fake-etcd.tar.gz")
        release.write_bytes(tarballs.fake_etcd_release(version, "amd64"))
    url = upstream_uri(version, "amd64")
    mirrored = Path(work.name, "mirror", "github.com", url.split("github.com/", 1)[1])
    mirrored.parent.mkdir(parents=True)
    mirrored.symlink_to(release)
    dependency = make_dependency(version, url, tarballs.sha256_hex(release), arch="amd64")
    text = rewrite_buildpack_toml((config.REPO_ROOT / "buildpack.toml").read_text(), [dependency], version)
    archive = packaging.packaged(text, Path(work.name, "mirror"), options=["--cf-only"], arches=["amd64"])
    [dist] = packaging.unpack(archive, Path(work.name))
    return CfZips(online=next(dist.glob("etcdproxy_buildpack-v*.zip")),
                  cached=next(dist.glob("etcdproxy_buildpack-cached-v*.zip")),
                  version=re.search(r'^\s*version = "([^"]+)"', text, re.M).group(1),
                  etcd_version=version, release=release)


def setUpModule() -> None:  # noqa: N802 - unittest naming
    cf_lifecycle.require_tools()


def tearDownModule() -> None:  # noqa: N802 - unittest naming
    while _work_dirs:
        _work_dirs.pop().cleanup()


class RealCfTestCase(unittest.TestCase):
    """A ``CfLifecycle`` with the tool's final buildpack and an app whose start command is ``./start.sh``."""

    ctest_labels = ("cf-real-lifecycle",)
    ctest_timeout = 300  # the first tests of a run may wait for package.sh runs (test_release's too)
    etcd = "fake"
    """The etcd release in the zips: "real" where the proxy must run."""

    def setUp(self) -> None:
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="cf-real-")))
        self.lc = self.enterContext(CfLifecycle(self.tmp / "cf"))
        self.lc.install_final()
        self.app = self.tmp / "app"
        self.app.mkdir()
        (self.app / "start.sh").write_text(APP_START)
        (self.app / "start.sh").chmod(0o755)

    @property
    def zips(self) -> CfZips:
        return cf_zips(self.etcd)

    def install(self, kind: str = "cached") -> Path:
        return self.lc.install_zip(OURS, self.zips.cached if kind == "cached" else self.zips.online)

    def install_fillers(self, count: int) -> list[str]:
        """``count`` supply buildpacks that only write config.yml; returns their names."""
        filler = self.tmp / "filler"
        (filler / "bin").mkdir(parents=True)
        (filler / "bin" / "supply").write_text(FILLER_SUPPLY)
        (filler / "bin" / "supply").chmod(0o755)
        names = [f"filler_{n}" for n in range(1, count + 1)]
        for name in names:
            self.lc.install_dir(name, filler)
        return names

    def stage_ok(self, order: list[str], env: Mapping[str, str] | None = None, **kwargs: Any) -> Staging:
        staging = self.lc.stage(order, self.app, env, **kwargs)
        self.assertEqual(staging.result.code, 0, f"staging failed\n{staging.result.describe()}")
        return staging

    def assert_our_metadata(self, staging: Staging, key: str = OURS) -> None:
        ours = staging.metadata["lifecycle_metadata"]["buildpacks"][0]
        # From deps/<idx>/config.yml; of its config the builder keeps only entrypoint_prefix
        # (buildpackapplifecycle models.go BuildpackConfig), so the etcd version is not here.
        self.assertEqual((ours["key"], ours["name"], ours["version"]), (key, "etcdproxy", self.zips.version), ours)

    def assert_declares_sidecar(self, staging: Staging, idx: str = "0") -> None:
        self.assertEqual(staging.sidecars(), [{"name": "etcd-proxy", "process_types": ["web"],
                                               "command": f"$DEPS_DIR/{idx}/bin/etcd-proxy", "memory": 64}])


class CachedZipTest(RealCfTestCase):
    """The cached zip as an admin buildpack before a final buildpack, staged with no network."""

    def test_stages_offline_and_result_json_declares_the_sidecar(self) -> None:
        self.install("cached")
        staging = self.stage_ok([OURS, FINAL_BUILDPACK], SIDECAR | NO_NETWORK)
        self.assertIn("Copy [offline package", staging.result.stdout)
        self.assertIn("-----> Etcdproxy Buildpack version " + self.zips.version, staging.result.stdout)
        self.assert_declares_sidecar(staging)
        self.assert_our_metadata(staging)
        self.assertEqual(staging.metadata["process_types"], {"web": "./start.sh"})
        names = set(staging.droplet_names())
        expected = {"./deps/0/bin/etcd", "./deps/0/bin/etcdctl", "./deps/0/bin/etcd-proxy", "./deps/0/config.yml",
                    "./deps/0/launch.yml", "./deps/0/profile.d/etcdproxy.sh", "./deps/0/etcd/bin/etcd",
                    "./deps/0/etcd/etcd-version", "./profile.d/0_etcdproxy.sh", "./profile.d/000_multi-supply.sh",
                    "./app/start.sh", "./staging_info.yml"}
        self.assertEqual(expected - names, set(), sorted(names))
        self.assertEqual(sorted(n for n in names if n.startswith("./app/")), ["./app/", "./app/start.sh"],
                         "supply wrote into the app")


class LaunchTest(RealCfTestCase):
    """The sidecar command from result.json and the app's start command, both through the real launcher,
    against a real etcd bound as a user-provided service tagged etcd."""

    ctest_timeout = 360
    ctest_cost = 20  # packages the zips with the real etcd, stages, and runs a cluster and the app
    etcd = "real"

    def test_sidecar_proxies_and_the_app_puts_and_gets_through_it(self) -> None:
        self.install("cached")
        staging = self.stage_ok([OURS, FINAL_BUILDPACK], SIDECAR)
        cluster = self.enterContext(EtcdCluster(size=1))
        port = free_port()
        service = {"label": "user-provided", "name": "my-etcd", "tags": ["etcd"],
                   "credentials": {"endpoints": [cluster.client_urls[0]]}}
        app_env = {"VCAP_SERVICES": f'{{"user-provided": [{json.dumps(service)}]}}',
                   "BPL_ETCD_PROXY_LISTEN_ADDR": f"127.0.0.1:{port}"}
        container = self.lc.container(staging, app_env)
        [sidecar_spec] = staging.sidecars()
        sidecar = container.start(sidecar_spec["command"], name="etcd-proxy")
        self.wait_serving(sidecar, cluster, port)
        droplet_etcd = (container.home / "deps" / "0" / "etcd" / "bin" / "etcd").resolve()
        self.assertEqual(group_executables(sidecar.pid, "etcd"), [str(droplet_etcd)], "not the droplet's etcd")

        app = container.run("")  # the start command from staging_info.yml
        self.assertEqual(app.code, 0, app.describe())
        self.assertEqual(command_lines(app.stdout), [
            f"endpoints: 127.0.0.1:{port} 127.0.0.1:{port}",
            f"etcdctl: {container.home / 'deps' / '0' / 'bin' / 'etcdctl'}",
            "written by the app"])
        self.assertEqual(cluster.get_raw("cf-app"), "written by the app", "the put did not reach the cluster")

    def wait_serving(self, sidecar: LoggedPopen, cluster: EtcdCluster, port: int) -> None:
        def put() -> bool:
            if sidecar.poll() is not None:
                raise AssertionError(f"the sidecar exited {sidecar.returncode}\n{sidecar.log_text()}")
            return cluster.etcdctl("put", "probe", "1", endpoints=[f"127.0.0.1:{port}"], timeout=10,
                                   command_timeout="2s").code == 0

        try:
            wait_until(put, timeout=20, interval=0.2, what="a put through the sidecar")
        except TimeoutError as error:
            raise AssertionError(f"{error}\n--- sidecar log ---\n{sidecar.log_text()}") from None


class OnlineZipTest(RealCfTestCase):
    """The online zip downloads etcd (through an HTTPS mirror here) and keeps it in the app cache, which
    Diego hands back to the builder on a restage."""

    def test_downloads_once_and_a_restage_uses_the_build_artifacts_cache(self) -> None:
        self.install("online")
        pki = make_pki(self.tmp / "pki")
        site = self.enterContext(DownloadServer(pki))
        path = "/github.com" + release_path(self.zips.etcd_version, "amd64")
        site.add_file(path, self.zips.release)
        env = {"BP_DEPENDENCY_MIRROR": f"{site.base_url}/{{originalHost}}", "SSL_CERT_FILE": str(pki.ca_cert)}
        first = self.stage_ok([OURS, FINAL_BUILDPACK], env)
        self.assertEqual(site.count(path), 1)
        self.assertIn("Download [", first.result.stdout)
        self.assert_our_metadata(first)
        self.assertEqual(first.sidecars(), [])

        again = self.stage_ok([OURS, FINAL_BUILDPACK], env, restage=first)
        self.assertEqual(site.count(path), 1, "the restage downloaded etcd again")
        self.assertIn("Using the cached download [", again.result.stdout)
        self.assertIn("./deps/0/bin/etcd-proxy", again.droplet_names())


class ZipByUrlTest(RealCfTestCase):
    """``-b http://…/etcdproxy_buildpack-cached-v….zip``: the builder downloads and unzips it itself."""

    def test_a_zip_url_in_the_buildpack_order_stages(self) -> None:
        site = self.enterContext(DownloadServer())
        url = site.add_file("/buildpacks/" + self.zips.cached.name, self.zips.cached)
        staging = self.stage_ok([url, FINAL_BUILDPACK], SIDECAR | NO_NETWORK)
        self.assertIn(f"Downloaded buildpack `{url}`", staging.result.stdout)
        self.assertEqual(site.count(), 1)
        self.assert_declares_sidecar(staging)
        self.assert_our_metadata(staging, key=url)


class StackTest(RealCfTestCase):
    """A stack the buildpack does not list fails staging with one line that names it."""

    def test_an_unlisted_stack_fails_supply(self) -> None:
        self.install("cached")
        self.lc.stack = "cflinuxfs3"
        staging = self.lc.stage([OURS, FINAL_BUILDPACK], self.app, NO_NETWORK)
        self.assertEqual(staging.result.code, SUPPLY_FAILED, staging.result.describe())
        errors = [line for line in staging.result.stdout.splitlines() if "**ERROR**" in line]
        self.assertEqual(len(errors), 1, staging.result.describe())
        self.assertIn("required stack cflinuxfs3 was not found", errors[0])
        self.assertIn("Failed to run all supply scripts", staging.result.output)


class LastBuildpackTest(RealCfTestCase):
    """Pushed with no language buildpack after it, the builder runs our bin/compile (a final
    buildpack without bin/finalize gets compile): one line says what to list, instead of the
    builder's "fork/exec …/bin/compile: no such file or directory"."""

    def test_pushed_alone_staging_fails_with_one_line_naming_the_fix(self) -> None:
        self.install("cached")
        staging = self.lc.stage([OURS], self.app, NO_NETWORK)
        self.assertNotEqual(staging.result.code, 0, staging.result.describe())
        errors = [line for line in staging.result.stdout.splitlines() if "**ERROR**" in line]
        self.assertEqual(len(errors), 1, staging.result.describe())
        self.assertIn("cannot be the last (final) buildpack", errors[0])
        self.assertIn("-b etcdproxy_buildpack -b ruby_buildpack", errors[0])
        self.assertNotIn("no such file", staging.result.output)


class PaddedIndexTest(RealCfTestCase):
    """With 10 buildpacks the builder passes DEPS_IDX 00 but reads launch.yml from deps/0: the
    sidecar is dropped without a word from the platform, so supply says it."""

    def test_ten_buildpacks_drop_the_declared_sidecar_and_staging_says_so(self) -> None:
        self.install("cached")
        fillers = self.install_fillers(8)
        staging = self.stage_ok([OURS, *fillers, FINAL_BUILDPACK], SIDECAR | NO_NETWORK)
        warnings = [line for line in staging.result.stdout.splitlines() if "**WARNING**" in line]
        self.assertEqual(len(warnings), 1, staging.result.stdout)
        self.assertIn("DEPS_IDX 00 is zero-padded", warnings[0])
        self.assertIn("sidecars:", warnings[0])
        self.assertEqual(staging.sidecars(), [], "the builder read a padded index's launch.yml after all")
        self.assertIn("./deps/00/launch.yml", staging.droplet_names())
        self.assertIn("Installed etcd, etcdctl and etcd-proxy into $DEPS_DIR/00/bin", staging.result.stdout)


class FinalWithoutFinalizeTest(RealCfTestCase):
    """A final buildpack without bin/finalize (bin/compile) copies no supplied profile.d script: the
    launcher sources none of ours, so the app has no ETCD_ENDPOINTS and etcd-proxy is not on PATH."""

    def test_the_app_gets_nothing_from_profile_d_but_deps_dir_paths_work(self) -> None:
        self.install("cached")
        self.lc.install_final("compile_final", finalize=False)
        staging = self.stage_ok([OURS, "compile_final"], NO_NETWORK)
        self.assertIn(MISSING_FINALIZE_WARNING, staging.result.stderr)
        self.assertNotIn("./profile.d/0_etcdproxy.sh", staging.droplet_names())
        container = self.lc.container(staging, {"VCAP_SERVICES": '{"etcd": [{"label": "etcd", "name": "e", '
                                                                  '"tags": ["etcd"], "credentials": '
                                                                  '{"endpoints": ["http://10.0.0.1:2379"]}}]}'})
        result = container.run('echo "${ETCD_ENDPOINTS-unset}"; command -v etcd-proxy || echo "not on PATH"; '
                               '"$DEPS_DIR/0/bin/etcd-proxy" print')
        self.assertEqual(result.code, 0, result.describe())
        lines = command_lines(result.stdout)
        self.assertEqual(lines[:2], ["unset", "not on PATH"])
        self.assertIn("--endpoints=http://10.0.0.1:2379", lines[2:])


class AutoDetectTest(RealCfTestCase):
    """Auto-detection (a push without -b) runs bin/detect of every admin buildpack: ours declines
    quietly and the next one is chosen."""

    def test_detect_declines_without_a_word(self) -> None:
        self.install("cached")
        (self.app / "requirements.txt").write_text("etcd3==0.12.0\n")  # even an app that uses etcd
        staging = self.stage_ok([OURS, FINAL_BUILDPACK], skip_detect=False)
        self.assertEqual(staging.metadata["lifecycle_metadata"]["buildpack_key"], FINAL_BUILDPACK)
        self.assertNotIn("ERROR", staging.result.output)
        self.assertNotIn("etcd", staging.result.output.lower())


class EmulatorAgreesTest(RealCfTestCase):
    """The same staging through the real lifecycle and through ``CfStager``: the droplet's deps and
    profile.d, and the environment a launched command sees, must match."""

    SEEN = ("HOME", "TMPDIR", "DEPS_DIR", "PATH", "ETCD_ENDPOINTS", "ETCDCTL_ENDPOINTS", "LANG", "USER")
    SHOW_ENV = "; ".join(f'echo "{name}=${{{name}-unset}}"' for name in SEEN)

    def emulate(self, deps_idx: str, buildpack_count: int, final: str, env: Mapping[str, str]) -> tuple[CfStager, Path]:
        stager = self.enterContext(CfStager(self.lc.buildpack_path(OURS), self.tmp / "emulator", self.app,
                                            deps_idx, buildpack_count=buildpack_count, launcher="emulated"))
        result = stager.supply(env)
        self.assertEqual(result.code, 0, result.describe())
        return stager, stager.launch_root(final=final)

    def seen(self, lines: list[str], home: Path) -> list[str]:
        return [line.replace(str(home), "<home>") for line in lines]

    def assert_same_container(self, staging: Staging, stager: CfStager, root: Path, idx: str = "0") -> None:
        self.assertEqual(staging.sidecars(), stager.sidecars())
        container = self.lc.container(staging)
        real, emulated = container.home, root
        self.assertEqual(sorted(os.listdir(real / "deps")), sorted(os.listdir(emulated / "deps")))
        self.assertEqual(sorted(_files(real / "deps" / idx)), sorted(_files(emulated / "deps" / idx)))
        self.assertEqual(_texts(real / "profile.d"), _texts(emulated / "profile.d"))
        real = container.run(self.SHOW_ENV)
        emulated = stager.run_command(self.SHOW_ENV)
        self.assertEqual(real.code, 0, real.describe())
        self.assertEqual(self.seen(real.stdout.splitlines(), container.home),
                         self.seen(emulated.stdout.splitlines(), root))

    def test_libbuildpack_final_buildpack(self) -> None:
        self.install("cached")
        staging = self.stage_ok([OURS, FINAL_BUILDPACK], SIDECAR | NO_NETWORK)
        stager, root = self.emulate("0", 2, "libbuildpack", SIDECAR | NO_NETWORK)
        self.assertTrue(stager.sidecars(), "the emulator found no sidecar in deps/0/launch.yml")
        self.assert_same_container(staging, stager, root)

    def test_final_buildpack_without_finalize(self) -> None:
        self.install("cached")
        self.lc.install_final("compile_final", finalize=False)
        staging = self.stage_ok([OURS, "compile_final"], NO_NETWORK)
        stager, root = self.emulate("0", 2, "compile", NO_NETWORK)
        self.assert_same_container(staging, stager, root)

    def test_padded_indices_and_the_launch_yml_the_builder_reads(self) -> None:
        self.install("cached")
        staging = self.stage_ok([OURS, *self.install_fillers(8), FINAL_BUILDPACK], SIDECAR | NO_NETWORK)
        stager, root = self.emulate("00", 10, "libbuildpack", SIDECAR | NO_NETWORK)
        self.assertEqual(stager.indices, push_indices("00", 10))
        self.assert_same_container(staging, stager, root, "00")
        self.assertEqual(stager.sidecars(), [], "deps/00/launch.yml counted: the builder reads deps/0/launch.yml")


def _files(root: Path) -> list[str]:
    """Every path under ``root``, relative, directories with a trailing slash."""
    return [str(p.relative_to(root)) + ("/" if p.is_dir() and not p.is_symlink() else "") for p in root.rglob("*")]


def _texts(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(directory.iterdir())}


if __name__ == "__main__":
    unittest.main()

"""A bad ``BP_DEPENDENCY_MIRROR`` fails every phase that provides etcd the same way: a CNB build and
a rebuild that would reuse the etcd layer, Cloud Foundry staging and a restage that would take the
release from the download cache, and packaging (``scripts/package.sh``), each with the same one-line
error, before anything is downloaded or written (README, "Downloads: mirrors, mappings, proxies and
CAs").

    /usr/bin/python3 -m unittest -v test_mirror_setting
"""

from __future__ import annotations

import shutil
import tempfile
import unittest
from pathlib import Path

from harness import config, packaging, tarballs, trees
from harness.buildpack_toml import make_dependency, make_test_buildpack, rewrite_buildpack_toml
from harness.cf_stager import CfStager
from harness.fixtures.host import ARCH
from harness.fixtures.output import CRASH_MARKERS
from harness.http_server import DownloadServer
from harness.lifecycle import Lifecycle
from harness.processes import RunResult

BAD_MIRROR = {"BP_DEPENDENCY_MIRROR": "http://mirror.example/{originalHost}"}
ERROR = ("BP_DEPENDENCY_MIRROR must be an https:// or file:// URL; "
         "for example https://mirror.example.org/{originalHost}")
"""The one line every phase prints for ``BAD_MIRROR``, after its platform's prefix."""


def error_after(prefix: str, text: str) -> list[str]:
    """Return what follows ``prefix`` on each line of ``text`` that starts with it."""
    return [line[len(prefix):] for line in text.splitlines() if line.startswith(prefix)]


class BadMirrorTest(unittest.TestCase):
    """One buildpack, served from a loopback site, built, staged and packaged with ``BAD_MIRROR``."""

    ctest_timeout = 900

    def setUp(self) -> None:
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="bad-mirror-")))
        self.site: DownloadServer = self.enterContext(DownloadServer())
        release = tarballs.fake_etcd_release("3.6.2", ARCH)
        url = self.site.add_file(f"/{tarballs.release_top_dir('3.6.2', ARCH)}.tar.gz", release)
        self.buildpack = make_test_buildpack(self.tmp / "buildpack",
                                             [make_dependency("3.6.2", url, tarballs.sha256_hex(release), arch=ARCH)],
                                             "3.6.*")

    def assert_one_error(self, result: RunResult, errors: list[str]) -> None:
        self.assertNotEqual(result.code, 0, result.describe())
        self.assertGreater(result.code, 0, result.describe())
        self.assertEqual(errors, [ERROR], result.describe())
        for marker in CRASH_MARKERS:
            self.assertNotIn(marker, result.output)

    def test_cnb_build_and_a_rebuild_that_would_reuse_the_layer(self) -> None:
        with Lifecycle(self.buildpack, self.tmp / "cnb") as lc:
            first = lc.build(env=BAD_MIRROR)
            self.assert_one_error(first, error_after("ERROR: ", first.stderr))
            self.assertEqual(len(first.stderr.splitlines()), 1, first.describe())
            self.assertFalse((lc.layers_dir / "etcd").exists(), trees.list_files(lc.layers_dir))
            self.assertEqual(lc.build().code, 0)
            lc.restore()
            before = trees.snapshot(lc.layers_dir)
            rebuild = lc.build(env=BAD_MIRROR)
            self.assert_one_error(rebuild, error_after("ERROR: ", rebuild.stderr))
            self.assertNotIn("Reusing", rebuild.stdout)
            self.assertEqual(trees.diff(before, trees.snapshot(lc.layers_dir)), [])
        self.assertEqual(self.site.count(), 1, "only the good build downloads")

    def test_cf_staging_and_a_restage_that_would_use_the_download_cache(self) -> None:
        with CfStager(self.buildpack, self.tmp / "cf") as stager:
            first = stager.supply(BAD_MIRROR)
            self.assert_one_error(first, error_after("       **ERROR** ", first.stdout))
            self.assertEqual(list(stager.deps_idx_dir.iterdir()), [])
            self.assertEqual(stager.supply().code, 0)
            shutil.rmtree(stager.deps_idx_dir)
            stager.deps_idx_dir.mkdir()
            restage = stager.supply(BAD_MIRROR)
            self.assert_one_error(restage, error_after("       **ERROR** ", restage.stdout))
            self.assertEqual(list(stager.deps_idx_dir.iterdir()), [])
        self.assertEqual(self.site.count(), 1, "only the good staging downloads")

    def test_packaging(self) -> None:
        # Cloud Foundry's zips hold linux/amd64 (--cf-only packages only those).
        release = tarballs.fake_etcd_release("3.6.14", "amd64")
        path = f"etcd-io/etcd/releases/download/v3.6.14/{tarballs.release_top_dir('3.6.14')}.tar.gz"
        dep = make_dependency("3.6.14", f"https://github.com/{path}", tarballs.sha256_hex(release))
        text = rewrite_buildpack_toml((config.REPO_ROOT / "buildpack.toml").read_text(), [dep], "3.6.*")
        result = packaging.run_once(text, BAD_MIRROR, ["--cf-only"])
        self.assert_one_error(result, error_after("bptool: ERROR: ", result.stderr))


if __name__ == "__main__":
    unittest.main()

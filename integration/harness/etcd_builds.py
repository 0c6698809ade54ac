"""The real etcd builds the tests run: Debian bookworm's installed 3.4 and Debian's 3.5 (fetched).

``installed()`` is /usr/bin/etcd and /usr/bin/etcdctl (etcd-server/etcd-client 3.4.23).
``etcd35()`` is Debian's etcd 3.5 (trixie/sid), unpacked without installing by
``scripts/lib/fetch-etcd35.sh`` into the directory ``ETCDPROXY_ETCD35_DIR`` names (set by
cmake/integration.cmake; default ``<repo>/build/etcd-3.5/<arch>/bin``). When that directory holds
no etcd the harness runs the script itself (once; parallel tests wait on its lock). If the
packages cannot be fetched, a test asking for 3.5 is skipped with the reason, except under CI
(``CI=true``), where it fails: the 3.5 suite must really run there.
"""

from __future__ import annotations

import os
import re
import subprocess
import unittest
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import config

FETCH_SCRIPT = config.REPO_ROOT / "scripts" / "lib" / "fetch-etcd35.sh"
FETCH_TIMEOUT = 600  # seconds: two apt list downloads and ~18 MB of packages, on a loaded machine


@dataclass(frozen=True)
class EtcdBuild:
    """One real etcd build: where its executables are and the version ``etcd --version`` reports."""

    version: str
    bin_dir: Path

    @property
    def etcd(self) -> Path:
        return self.bin_dir / "etcd"

    @property
    def etcdctl(self) -> Path:
        return self.bin_dir / "etcdctl"

    @property
    def etcdutl(self) -> Path | None:
        """``etcdutl`` (3.5 on), or None when this build has none."""
        path = self.bin_dir / "etcdutl"
        return path if path.exists() else None

    @property
    def minor(self) -> tuple[int, int]:
        match = re.match(r"(\d+)\.(\d+)", self.version)
        return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


class Etcd35Unavailable(RuntimeError):
    """Debian's etcd 3.5 packages could not be fetched (the message says why)."""


def installed() -> EtcdBuild:
    """Return the installed Debian etcd (3.4.23 on bookworm)."""
    return EtcdBuild(_version_of(config.ETCD_BIN), config.ETCD_BIN.parent)


def etcd35_dir(arch: str | None = None) -> Path:
    """Return the directory that holds (or will hold) the 3.5 executables for ``arch``."""
    arch = arch or config.host_arch()
    named = os.environ.get("ETCDPROXY_ETCD35_DIR")
    if named and arch == config.host_arch():
        return Path(named)
    return config.REPO_ROOT / "build" / "etcd-3.5" / arch / "bin"


@lru_cache(maxsize=None)
def etcd35(arch: str | None = None) -> EtcdBuild:
    """Return Debian's real etcd 3.5 for ``arch`` (default this machine's), fetching it when missing.

    Raises ``Etcd35Unavailable`` with the reason when it cannot be fetched.
    """
    arch = arch or config.host_arch()
    bin_dir = etcd35_dir(arch)
    if not (bin_dir / "etcd").exists():
        env = dict(os.environ, BP_ETCD35_CACHE=str(bin_dir.parent.parent))
        try:
            result = subprocess.run([str(FETCH_SCRIPT), arch], env=env, capture_output=True, text=True,
                                    timeout=FETCH_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise Etcd35Unavailable(f"running {FETCH_SCRIPT.name} failed: {error}") from None
        if result.returncode != 0 or not (bin_dir / "etcd").exists():
            reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
            raise Etcd35Unavailable(f"{reason} (expected the binaries in {bin_dir})")
    if arch != config.host_arch():
        version = (bin_dir.parent / "VERSION").read_text().strip()
    else:
        version = _version_of(bin_dir / "etcd")
    if not version.startswith("3.5."):
        raise Etcd35Unavailable(f"{bin_dir / 'etcd'} is etcd {version}, not 3.5.x")
    return EtcdBuild(version, bin_dir)


def require_etcd35(test: unittest.TestCase | None = None, arch: str | None = None) -> EtcdBuild:
    """Return etcd 3.5, or end the test: a skip naming the reason, or a failure under ``CI=true``."""
    try:
        return etcd35(arch)
    except Etcd35Unavailable as error:
        config.missing_prerequisite(
            f"the etcd 3.5 tests need Debian's etcd 3.5 packages and they could not be fetched: {error}")


@lru_cache(maxsize=None)
def _version_of(etcd: Path) -> str:
    output = subprocess.run([str(etcd), "--version"], capture_output=True, text=True, timeout=30,
                            check=False).stdout
    match = re.search(r"etcd Version: (\S+)", output)
    if not match:
        raise RuntimeError(f"cannot read the version of {etcd}: {output!r}")
    return match.group(1)


ETCD36_TOOL = config.REPO_ROOT.parent / "shared" / "tools" / "etcd-3.6" / "bin" / "etcd"
"""A real etcd 3.6.14 server built from the upstream tag (no Debian suite packages 3.6 yet); its
README says how. It has no etcdctl of its own: the 3.6 build pairs it with Debian's 3.5 etcdctl."""


def require_etcd36() -> EtcdBuild:
    """Return etcd 3.6 (``ETCD36_TOOL`` beside Debian's 3.5 etcdctl), or end the test: a skip
    when the tool is absent, a failure under ``CI=true``."""
    if not ETCD36_TOOL.is_file():
        config.missing_prerequisite(f"the etcd 3.6 tests need {ETCD36_TOOL} (the shared tools folder beside the repository)")
    etcdctl = require_etcd35().etcdctl
    bin_dir = config.test_cache_dir() / "etcd-3.6-bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name, target in (("etcd", ETCD36_TOOL), ("etcdctl", etcdctl)):
        link = bin_dir / name
        if not (link.is_symlink() and os.readlink(link) == str(target)):
            temp = bin_dir / f".{name}.{os.getpid()}"
            temp.unlink(missing_ok=True)
            temp.symlink_to(target)
            os.replace(temp, link)  # atomic: parallel tests never see a missing link
    return EtcdBuild(_version_of(ETCD36_TOOL), bin_dir)


def for_line(line: str) -> EtcdBuild:
    """The real etcd of a test class's ``etcd_line`` ("3.4" installed, "3.5" fetched, "3.6" the shared
    tool): a missing one skips, or fails under CI."""
    if line == "3.6":
        return require_etcd36()
    return require_etcd35() if line == "3.5" else installed()

"""The archives of ``scripts/package.sh``, made once per set of inputs and shared through the test cache.

``package.sh`` works in ``build/package`` and writes ``linux/<arch>/bin`` in the repository, so
two runs at once would overwrite each other's files: every run here holds one lock in the test
cache, whichever test class (and ctest process) asks first.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Mapping, Sequence

from . import config
from .cache import cached_file, exclusive_lock
from .processes import RunResult, run

PACKAGE_SCRIPT = config.REPO_ROOT / "scripts" / "package.sh"
PACKAGE_TIMEOUT = 800.0
"""A package.sh run packages every architecture; the arm64 tree is built before the tests."""


def static_executables(arch: str) -> list[Path]:
    """What package.sh puts in ``arch``'s archives: ``build/static-<arch>/{bp,etcd-proxy}``."""
    tree = config.REPO_ROOT / "build" / f"static-{arch}"
    return [tree / "bp", tree / "etcd-proxy"]


def inputs_key(descriptor_text: str, options: Sequence[str], arches: Sequence[str]) -> str:
    """What the archives depend on: the descriptor, the options, the executables and the scripts."""
    digest = hashlib.sha256(descriptor_text.encode())
    digest.update("\0".join(options).encode())
    paths = [PACKAGE_SCRIPT, config.REPO_ROOT / "bin" / "supply", config.REPO_ROOT / "bin" / "compile"]
    for arch in arches:
        paths += static_executables(arch)
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def packaged(descriptor_text: str, mirror: Path, *, runs: int = 1, options: Sequence[str] = (),
             arches: Sequence[str] = tuple(config.PLATFORMS)) -> Path:
    """Return a tar in the test cache holding ``dist1/`` … ``dist<runs>/``: the output of ``runs``
    package.sh runs with ``options`` on ``descriptor_text``, its dependencies read from the file
    mirror ``mirror/<host>/<path>``. ``arches`` are the executables the options package."""

    def package(stream: IO[bytes]) -> None:
        with tempfile.TemporaryDirectory(prefix="package-") as work:
            descriptor = Path(work) / "buildpack.toml"
            descriptor.write_text(descriptor_text)
            env = {**os.environ, "BP_DEPENDENCY_MIRROR": f"file://{mirror}/{{originalHost}}"}
            with exclusive_lock("package-sh", timeout=2 * PACKAGE_TIMEOUT):
                for n in range(1, runs + 1):
                    argv = [PACKAGE_SCRIPT, "--buildpack-toml", descriptor, "--out", Path(work) / f"dist{n}", *options]
                    result = run(argv, env=env, timeout=PACKAGE_TIMEOUT)
                    if result.code != 0:
                        raise AssertionError(result.describe())
            dists = [f"dist{n}" for n in range(1, runs + 1)]
            subprocess.run(["tar", "-C", work, "-cf", "-", *dists], stdout=stream, check=True)

    # Waiting for the entry may mean waiting for other package.sh runs too.
    return cached_file(f"packaging-{inputs_key(descriptor_text, options, arches)}.tar", package,
                       lock_timeout=3 * PACKAGE_TIMEOUT)


def run_once(descriptor_text: str, env: Mapping[str, str], options: Sequence[str] = ()) -> RunResult:
    """Run ``scripts/package.sh`` once with ``options`` on ``descriptor_text``, with ``env`` added to
    this process's environment, and return the result, a failure included. The archives go to a
    directory that is removed afterwards; the run holds the lock ``packaged`` holds."""
    with tempfile.TemporaryDirectory(prefix="package-") as work:
        descriptor = Path(work) / "buildpack.toml"
        descriptor.write_text(descriptor_text)
        argv = [PACKAGE_SCRIPT, "--buildpack-toml", descriptor, "--out", Path(work) / "dist", *options]
        with exclusive_lock("package-sh", timeout=2 * PACKAGE_TIMEOUT):
            return run(argv, env={**os.environ, **env}, timeout=PACKAGE_TIMEOUT)


def unpack(archive: Path, dest: Path) -> list[Path]:
    """Extract a ``packaged`` tar into ``dest``; return its ``dist<n>`` directories in order."""
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-C", str(dest), "-xf", str(archive)], check=True)
    return sorted((p for p in dest.iterdir() if p.name.startswith("dist")), key=lambda p: int(p.name[4:]))

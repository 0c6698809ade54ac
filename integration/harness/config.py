"""Harness settings read from the environment, with their defaults.

- ``ETCDPROXY_BUILDPACK_DIR``: the buildpack directory under test (default: the repo root).
- ``ETCDPROXY_TEST_CACHE``: where expensive artefacts are cached (default: ``<repo>/build/test-cache``).
- ``ETCDPROXY_CF_LIFECYCLE_DIR``: the real Cloud Foundry buildpack lifecycle (``bin/builder``,
  ``bin/launcher``, ``bin/bppath``, ``final-buildpack/``; default: ``<repo>/../shared/tools/cf-lifecycle-real``).
"""

from __future__ import annotations

import os
import platform
import unittest
from pathlib import Path
from typing import NoReturn

REPO_ROOT = Path(__file__).resolve().parents[2]

ETCD_BIN = Path("/usr/bin/etcd")
ETCDCTL_BIN = Path("/usr/bin/etcdctl")

# Harness-only additions to the variables the lifecycle lets through: they let
# sanitizer and coverage builds of the executables report, and change nothing else.
INSTRUMENTATION_VARS = (
    "ASAN_OPTIONS",
    "UBSAN_OPTIONS",
    "LSAN_OPTIONS",
    "TSAN_OPTIONS",
    "MSAN_OPTIONS",
    "LLVM_PROFILE_FILE",
    "GCOV_PREFIX",
    "GCOV_PREFIX_STRIP",
)

_OCI_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
             "armv7l": "arm", "ppc64le": "ppc64le", "s390x": "s390x", "i686": "386"}


def buildpack_dir() -> Path:
    """Return the buildpack directory under test."""
    return Path(os.environ.get("ETCDPROXY_BUILDPACK_DIR") or REPO_ROOT).resolve()


def test_cache_dir() -> Path:
    """Return (and create) the directory for cached test artefacts."""
    path = Path(os.environ.get("ETCDPROXY_TEST_CACHE") or REPO_ROOT / "build" / "test-cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def cf_lifecycle_dir() -> Path:
    """Return where the real Cloud Foundry builder and launcher are (present or not)."""
    default = REPO_ROOT.parent / "shared" / "tools" / "cf-lifecycle-real"
    return Path(os.environ.get("ETCDPROXY_CF_LIFECYCLE_DIR") or default).resolve()


def missing_prerequisite(message: str) -> NoReturn:
    """End the running test for something this machine lacks: a skip naming ``message``, or a
    failure under ``CI=true``, where every suite must really run."""
    if os.environ.get("CI", "").lower() == "true":
        raise AssertionError(message)
    raise unittest.SkipTest(message)


def host_arch() -> str:
    """Return this machine's architecture in OCI naming (amd64, arm64, ...)."""
    machine = platform.machine().lower()
    return _OCI_ARCH.get(machine, machine)


def _read_platforms() -> "dict[str, tuple[str, str, str]]":
    """The platform matrix of scripts/lib/platforms.sh: arch -> (triplet, ELF machine, qemu name)."""
    text = (REPO_ROOT / "scripts" / "lib" / "platforms.sh").read_text()
    block = text.split("BP_PLATFORMS=(", 1)[1].split(")", 1)[0]
    platforms = {}
    for line in block.splitlines():
        fields = line.strip().strip('"').split()
        if len(fields) == 4:
            platforms[fields[0]] = (fields[1], fields[2], fields[3])
    return platforms


# The architectures the buildpack ships, as scripts/lib/platforms.sh lists them.
PLATFORMS = _read_platforms()

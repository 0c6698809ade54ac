"""Runs the official SBOM JSON schemas (``integration/schemas``, vendored unmodified) over files
through ``integration/sbom-validator`` (ajv + ajv-formats, versions pinned in its package-lock.json).

``scripts/test.sh`` installs the validator with ``npm ci``; ``validate`` does the same on first
use when it is missing, so a single test run from a fresh clone works too."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path
from typing import Sequence

from . import config
from .processes import RunResult, run

VALIDATOR_DIR = config.REPO_ROOT / "integration" / "sbom-validator"


def ensure_installed() -> None:
    """``npm ci`` in the validator's folder unless its node_modules already hold ajv."""
    if (VALIDATOR_DIR / "node_modules" / "ajv" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise AssertionError("npm is missing: scripts/test.sh installs nodejs and npm (Debian packages)")
    with open(config.test_cache_dir() / "sbom-validator.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (VALIDATOR_DIR / "node_modules" / "ajv" / "package.json").is_file():
            run([npm, "ci", "--no-audit", "--no-fund"], cwd=VALIDATOR_DIR, timeout=300).check()


def validate(paths: Sequence[Path]) -> RunResult:
    """Validate each file (CycloneDX 1.4 or SPDX 2.3, told apart by content); exit 0 when all pass."""
    ensure_installed()
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise AssertionError("node is missing: scripts/test.sh installs nodejs (Debian package)")
    return run([node, str(VALIDATOR_DIR / "validate.mjs"), *map(str, paths)], timeout=60)

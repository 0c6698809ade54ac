"""The real CNB lifecycle (buildpacks/lifecycle v0.21.17 as the static ``lcdriver`` of
``../shared/tools/lifecycle-real``): its exporter writes an image's ``<layers>/config/metadata.toml``
and its launcher (``lcdriver exec``, the real ``cmd/launcher/cli`` with the real exec.d runner and
``syscall.Exec``) starts processes.

Which launcher a test gets (``launcher_kind``):

- ``ETCDPROXY_LAUNCHER=real`` or ``=emulator`` forces one;
- otherwise the real one when ``lcdriver`` is present and runs here (amd64), else the emulator
  (``harness/launcher.py``: arm64 under qemu, or a checkout without ``../shared``). Under
  ``CI=true`` a missing ``lcdriver`` on amd64 fails the launch: CI always has it.

``ETCDPROXY_LCDRIVER`` points at another ``lcdriver`` executable.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Mapping, Sequence

from . import config
from .launcher import LaunchError
from .processes import run
from .toml_writer import dumps

PLATFORM_API = "0.12"
EXPORT_TIMEOUT = 120.0
REAL, EMULATOR = "real", "emulator"


def lcdriver_path() -> Path:
    """Where the real lifecycle's driver is expected (it may be absent)."""
    override = os.environ.get("ETCDPROXY_LCDRIVER")
    if override:
        return Path(override)
    return config.REPO_ROOT.parent / "shared" / "tools" / "lifecycle-real" / "bin" / "lcdriver-linux-amd64"


def real_launcher_available() -> bool:
    path = lcdriver_path()
    return config.host_arch() == "amd64" and path.is_file() and os.access(path, os.X_OK)


def launcher_kind() -> str:
    """``real`` or ``emulator``, as the module docstring says; a forced ``real`` that cannot run,
    or a missing real launcher under ``CI=true``, ends the test (``config.missing_prerequisite``)."""
    forced = os.environ.get("ETCDPROXY_LAUNCHER", "").strip().lower()
    if forced == EMULATOR:
        return EMULATOR
    if real_launcher_available():
        return REAL
    if forced == REAL or config.host_arch() == "amd64":
        if forced == REAL or os.environ.get("CI", "").lower() == "true":
            config.missing_prerequisite(f"the real CNB launcher is missing: {lcdriver_path()} "
                                        f"(../shared/tools/lifecycle-real)")
    return EMULATOR


def require_real_launcher() -> Path:
    """The ``lcdriver`` executable; a test that needs it skips without it (fails under ``CI=true``)."""
    if not real_launcher_available():
        config.missing_prerequisite(f"the real CNB launcher is missing or cannot run here: {lcdriver_path()}")
    return lcdriver_path()


def group_toml(buildpacks: Sequence[Mapping[str, str]]) -> str:
    """``group.toml``: ``[[group]]`` entries with id, version and api."""
    return dumps({"group": [dict(b) for b in buildpacks]})


def install_buildpack(store: Path, entry: Mapping[str, str], source: Path) -> None:
    """Put a buildpack where lifecycle's DirStore looks: ``<store>/<id with / as _>/<version>``."""
    place = store / entry["id"].replace("/", "_") / entry["version"]
    place.parent.mkdir(parents=True, exist_ok=True)
    if place.is_symlink() or place.exists():
        place.unlink()
    place.symlink_to(source)


def app_buildpack(directory: Path, entry: Mapping[str, str], processes: Sequence[Mapping[str, Any]]) -> Path:
    """A language buildpack stand-in whose ``bin/build`` contributes ``processes`` in its launch.toml."""
    (directory / "bin").mkdir(parents=True, exist_ok=True)
    (directory / "buildpack.toml").write_text(dumps({"api": entry["api"], "buildpack": {
        "id": entry["id"], "version": entry["version"]}}))
    (directory / "launch.toml").write_text(dumps({"processes": [dict(p) for p in processes]}))
    for phase, body in (("detect", "exit 0"), ("build", 'cp "$(dirname "$0")/../launch.toml" "$1/launch.toml"')):
        script = directory / "bin" / phase
        script.write_text(f"#!/bin/sh\nset -eu\n{body}\n")
        script.chmod(0o755)
    return directory


def build_and_export(layers_dir: Path, app_dir: Path, platform_dir: Path,
                     group: Sequence[tuple[Mapping[str, str], Path]], plan: Mapping[str, Any],
                     work_dir: Path, env: Mapping[str, str], timeout: float = EXPORT_TIMEOUT) -> None:
    """Make ``layers_dir`` an image the real way: the real analyzer, builder (every buildpack of
    ``group`` — (group entry, buildpack directory) pairs — over the layers as they are, so a
    buildpack whose layers are warm reuses them) and exporter. The builder writes
    ``<layers>/config/metadata.toml``, which the launcher reads. A phase that fails raises
    ``LaunchError`` with its log: an image the real platform cannot build or export cannot be
    launched either."""
    work_dir.mkdir(parents=True, exist_ok=True)
    store = work_dir / "buildpacks"
    for entry, source in group:
        install_buildpack(store, entry, source)
    group_path, analyzed, plan_path = work_dir / "group.toml", work_dir / "analyzed.toml", work_dir / "plan.toml"
    group_path.write_text(group_toml([entry for entry, _ in group]))
    plan_path.write_text(dumps(plan))
    shutil.rmtree(work_dir / "image", ignore_errors=True)
    (work_dir / "cache").mkdir(exist_ok=True)
    phase("analyze", "-analyzed", analyzed, env=env, timeout=timeout)
    phase("build", "-buildpacks", store, "-app", app_dir, "-platform", platform_dir, "-layers", layers_dir,
          "-group", group_path, "-plan", plan_path, "-analyzed", analyzed, env=env, timeout=timeout)
    phase("export", "-layers", layers_dir, "-app", app_dir, "-group", group_path, "-analyzed", analyzed,
          "-image", work_dir / "image", "-cache", work_dir / "cache", env=env, timeout=timeout)


def phase(name: str, *args: Any, env: Mapping[str, str], cwd: Path | None = None,
          timeout: float = EXPORT_TIMEOUT) -> None:
    """Run one real lifecycle phase (``lcdriver NAME ARGS``) with the lifecycle's own environment
    ``env``; a failure raises ``LaunchError`` with the phase's log."""
    argv = [require_real_launcher(), name, "-platform-api", PLATFORM_API, "-log-level", "warn", *args]
    result = run(argv, env=dict(env) | {"CNB_NO_COLOR": "true"}, cwd=cwd, timeout=timeout)
    if result.code != 0:
        raise LaunchError(f"the real lifecycle's {name} failed (exit {result.code}):\n{result.output}")


def exec_argv(layers_dir: Path, app_dir: Path, process_type: str, user_args: Sequence[str]) -> list[Any]:
    """The command line that starts ``process_type`` as an image's ``/cnb/process/<type>`` does,
    with the user's arguments after it (``docker run IMAGE ARGS``, Kubernetes ``args:``)."""
    argv = _exec(layers_dir, app_dir) + ["-process-type", process_type]
    return argv + (["--", *user_args] if user_args else [])


def command_argv(layers_dir: Path, app_dir: Path, command: Sequence[str]) -> list[Any]:
    """The command line that runs ``command`` as ``/cnb/lifecycle/launcher COMMAND...`` does."""
    return _exec(layers_dir, app_dir) + ["--", *command]


def _exec(layers_dir: Path, app_dir: Path) -> list[Any]:
    return [require_real_launcher(), "exec", "-platform-api", PLATFORM_API, "-layers", layers_dir, "-app", app_dir]

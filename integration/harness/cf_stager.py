"""A Cloud Foundry staging and launch emulator for a supply buildpack (docs/contracts.md, the Cloud Foundry sections).

``supply`` runs ``bin/supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX`` with ``CF_STACK``
and the app's environment; ``DEPS_DIR`` is a random ``contents<hex>/deps`` with every
``deps/<idx>`` created first. ``launch_root`` then copies the droplet to another root,
as ``/home/vcap`` is at run time, doing what a libbuildpack final buildpack does for
supplied deps (``profile.d/000_multi-supply.sh`` and ``profile.d/<idx>_<name>``), and
``run_in_container`` runs a command the way CF's launcher does.

Layout under ``root_dir``: ``staging/{app,cache,home,tmp,contents<hex>/deps}`` and one
``droplet-<n>/{app,deps,profile.d,tmp,logs}`` per ``launch_root`` call.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Mapping, Sequence

from . import config
from .processes import LoggedPopen, RunResult, merge_env, run, spawn, stop_process

CONTAINER_PATH = "/usr/local/bin:/usr/bin:/bin"
"""PATH in a CF container before profile scripts run. /usr/bin holds Debian's etcd here:
assert *which* etcd ran, not just that one did."""

LAUNCHER_SCRIPT = """\
cd "$1"
if [ -n "$(ls ../profile.d/* 2> /dev/null)" ]; then
  for env_file in ../profile.d/*; do
    source $env_file
  done
fi
if [ -n "$(ls .profile.d/* 2> /dev/null)" ]; then
  for env_file in .profile.d/*; do
    source $env_file
  done
fi
if [ -f .profile ]; then
  source .profile
fi
shift
exec bash -c "$@"
"""
"""The bash program of CF's buildpack app launcher (buildpackapplifecycle launcher)."""

Env = Mapping[str, "str | None"]


class CfStager:
    """Stages an app with one supply buildpack and runs commands in an emulated container."""

    def __init__(self, buildpack_dir: Path, root_dir: Path, app_fixture: Path | None = None,
                 deps_idx: str = "0", stack: str = "cflinuxfs4", timeout: float = 120.0) -> None:
        self.buildpack_dir = Path(buildpack_dir).resolve()
        self.root = Path(root_dir).resolve()
        self.deps_idx = deps_idx
        self.stack = stack
        self.timeout = timeout
        staging = self.root / "staging"
        self.build_dir = staging / "app"
        self.cache_dir = staging / "cache"
        self.home_dir = staging / "home"
        self.staging_tmp = staging / "tmp"
        self.deps_dir = staging / f"contents{secrets.token_hex(5)}" / "deps"
        self.indices = _all_indices(deps_idx)
        """Every buildpack index of the emulated push: ours, the ones before it and a final one."""
        self.container_root: Path | None = None
        self._launched: list[LoggedPopen] = []
        self._droplets = 0
        if app_fixture is not None:
            shutil.copytree(app_fixture, self.build_dir, symlinks=True)
        else:
            self.build_dir.mkdir(parents=True)
            (self.build_dir / "app.txt").write_text("a test application\n")
        for directory in [self.cache_dir, self.home_dir, self.staging_tmp] + [self.deps_dir / i for i in self.indices]:
            directory.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> "CfStager":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every process ``run_in_container`` started."""
        for proc in self._launched:
            stop_process(proc)

    @property
    def deps_idx_dir(self) -> Path:
        """Return ``DEPS_DIR/DEPS_IDX``, the only place supply may write besides the cache."""
        return self.deps_dir / self.deps_idx

    def supply(self, env: Env | None = None, args: Sequence[str] | None = None,
               timeout: float | None = None) -> RunResult:
        """Run ``bin/supply`` (``args`` replaces the four standard arguments) with the app's ``env``."""
        argv = list(args) if args is not None else [str(self.build_dir), str(self.cache_dir),
                                                      str(self.deps_dir), self.deps_idx]
        base = {"PATH": CONTAINER_PATH, "HOME": str(self.home_dir), "TMPDIR": str(self.staging_tmp),
                "LANG": "en_US.UTF-8", "USER": "vcap", "CF_STACK": self.stack}
        return run([self.buildpack_dir / "bin" / "supply", *argv], env=_environment(base, env),
                   cwd=self.home_dir, timeout=timeout or self.timeout)

    def launch_root(self, dest: Path | None = None) -> Path:
        """Copy the staged app and deps to a droplet root (``app``, ``deps``, ``profile.d``, ``tmp``)."""
        self._droplets += 1
        root = Path(dest or self.root / f"droplet-{self._droplets}").resolve()
        shutil.copytree(self.build_dir, root / "app", symlinks=True)
        shutil.copytree(self.deps_dir, root / "deps", symlinks=True)
        profile = root / "profile.d"
        profile.mkdir()
        (profile / "000_multi-supply.sh").write_text(self._multi_supply_script())
        for idx in self.indices:
            scripts = self.deps_dir / idx / "profile.d"
            for script in sorted(scripts.iterdir()) if scripts.is_dir() else []:
                if script.is_file() and not script.is_symlink():
                    shutil.copy2(script, profile / f"{idx}_{script.name}")
        for directory in ("tmp", "logs"):
            (root / directory).mkdir()
        self.container_root = root
        return root

    def container_env(self, env: Env | None = None) -> dict[str, str]:
        """Return the environment CF gives app and sidecar processes, plus ``env``."""
        root = self._require_root()
        base = {"PATH": CONTAINER_PATH, "HOME": str(root / "app"), "TMPDIR": str(root / "tmp"),
                "DEPS_DIR": str(root / "deps"), "LANG": "en_US.UTF-8", "USER": "vcap", "CF_STACK": self.stack}
        return _environment(base, env)

    def run_in_container(self, command: str, env: Env | None = None) -> LoggedPopen:
        """Start ``command`` through CF's launcher script (profile scripts, then ``bash -c``)."""
        root = self._require_root()
        self._droplets += 1
        proc = spawn(self._launcher_argv(command), env=self.container_env(env), cwd=root / "app",
                     log_path=root / "logs" / f"process-{self._droplets}.log")
        self._launched.append(proc)
        return proc

    def run_command(self, command: str, env: Env | None = None, timeout: float = 30.0) -> RunResult:
        """Run a short ``command`` in the container to completion and capture its output."""
        root = self._require_root()
        return run(self._launcher_argv(command), env=self.container_env(env), cwd=root / "app",
                   timeout=timeout)

    def _launcher_argv(self, command: str) -> list[str]:
        return ["bash", "-c", LAUNCHER_SCRIPT, "launcher", str(self._require_root() / "app"), command]

    def _require_root(self) -> Path:
        if self.container_root is None:
            raise RuntimeError("call launch_root() before running anything in the container")
        return self.container_root

    def _multi_supply_script(self) -> str:
        """PATH/LD_LIBRARY_PATH/LIBRARY_PATH for every deps/<idx> with bin/ or lib/ (later first)."""
        lines = []
        for var, sub in (("PATH", "bin"), ("LD_LIBRARY_PATH", "lib"), ("LIBRARY_PATH", "lib")):
            dirs = [f"$DEPS_DIR/{idx}/{sub}" for idx in reversed(self.indices)
                    if (self.deps_dir / idx / sub).is_dir()]
            if dirs:
                lines.append(f'export {var}={":".join(dirs)}$([[ ! -z "${{{var}:-}}" ]] && echo ":${var}")')
        return "".join(line + "\n" for line in lines)


def _all_indices(deps_idx: str) -> list[str]:
    """Indices 0..DEPS_IDX+1 padded like ``deps_idx`` (``"00"`` -> ``["00", "01"]``)."""
    if not deps_idx.isdigit():
        raise ValueError(f"DEPS_IDX must be digits: {deps_idx!r}")
    return [str(i).zfill(len(deps_idx)) for i in range(int(deps_idx) + 2)]


def _environment(base: dict[str, str], changes: Env | None) -> dict[str, str]:
    instrumentation = {k: os.environ[k] for k in config.INSTRUMENTATION_VARS if k in os.environ}
    return merge_env(base | instrumentation, changes)

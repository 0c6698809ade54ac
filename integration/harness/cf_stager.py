"""A Cloud Foundry staging and launch emulator for a supply buildpack, for a checkout without the
real lifecycle (``cf_lifecycle``, which the CF suites prefer). Each rule follows the real code,
named where it is applied: code.cloudfoundry.org/buildpackapplifecycle for the builder and the
launcher, libbuildpack for what a final buildpack does with supplied dependencies (docs/contracts.md,
the Cloud Foundry sections).

``supply`` runs ``bin/supply BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX`` with ``CF_STACK`` and the
app's environment; ``DEPS_DIR`` is ``$TMPDIR/contents<random>/deps`` with every ``deps/<idx>`` of
the push created first, indices zero-padded to the width of the buildpack count
(``Runner.makeDirectories``, ``LifecycleBuilderConfig.DepsIndex``). ``launch_root`` then copies the
droplet to another root, as ``/home/vcap`` is at run time, doing what the final buildpack does
for supplied deps: a libbuildpack one (``final="libbuildpack"``) writes
``profile.d/000_multi-supply.sh`` and copies each ``deps/<idx>/profile.d/<f>`` to
``profile.d/<idx>_<f>``; an old-style one without ``bin/finalize`` (``final="compile"``) copies
nothing and its own ``deps/<idx>`` is removed (``Runner.runFinalize``). ``run_in_container`` runs
a command through the real launcher when the tool is there, else the way it does.

Layout under ``root_dir``: ``staging/{app,cache,home,tmp/contents<hex>/deps}`` and one
``droplet-<n>/{app,deps,profile.d,tmp,logs}`` per ``launch_root`` call.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Mapping, Sequence

import yaml

from . import config, launch_record
from .processes import LoggedPopen, RunResult, merge_env, run, spawn, stop_process

CONTAINER_PATH = "/usr/local/bin:/usr/bin:/bin"
"""PATH in a CF container before profile scripts run. /usr/bin holds Debian's etcd here:
assert *which* etcd ran, not just that one did."""

PRE_START_MESSAGE = "Invoking pre-start scripts."
START_MESSAGE = "Invoking start command."

LAUNCHER_SCRIPT = f"""\
cd "$1"
echo '{PRE_START_MESSAGE}'
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
echo '{START_MESSAGE}'
exec bash -c "$@"
"""
"""The launcher's bash program (launcher/launcher_unix.go getLauncher): it sources the droplet's
``profile.d/*``, then the app's ``.profile.d/*`` and ``.profile``, and never ``deps/<idx>/profile.d``."""

def command_lines(stdout: str) -> list[str]:
    """The lines a launched command printed: ``stdout`` without the launcher's two messages."""
    return [line for line in stdout.splitlines() if line not in (PRE_START_MESSAGE, START_MESSAGE)]


FINALS = ("libbuildpack", "compile")
"""What the last buildpack does with supplied deps: copy their profile.d scripts (a libbuildpack
final buildpack, Stager.SetLaunchEnvironment) or nothing (an old-style one without bin/finalize)."""

Env = Mapping[str, "str | None"]


class CfStager:
    """Stages an app with one supply buildpack and runs commands in an emulated container."""

    def __init__(self, buildpack_dir: Path, root_dir: Path, app_fixture: Path | None = None,
                 deps_idx: str = "0", stack: str = "cflinuxfs4", timeout: float = 120.0,
                 buildpack_count: int | None = None, launcher: str | None = None) -> None:
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
        # Runner.makeDirectories: os.MkdirTemp("", "contents") under the staging TMPDIR.
        self.deps_dir = self.staging_tmp / f"contents{secrets.token_hex(5)}" / "deps"
        self.launcher = launcher
        """``"real"`` or ``"emulated"``; None: the real launcher when ``real_launcher()`` exists."""
        self.indices = push_indices(deps_idx, buildpack_count)
        """Every buildpack index of the emulated push (ours, the ones before it, a final one),
        spelled as the builder spells them."""
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
        launch_record.record("emulated CF stager (bin/supply run directly)")
        return run([self.buildpack_dir / "bin" / "supply", *argv], env=_environment(base, env),
                   cwd=self.home_dir, timeout=timeout or self.timeout)

    def launch_root(self, dest: Path | None = None, final: str = "libbuildpack") -> Path:
        """Copy the staged app and deps to a droplet root (``app``, ``deps``, ``profile.d``, ``tmp``),
        after the last buildpack of kind ``final`` (one of ``FINALS``) has run."""
        if final not in FINALS:
            raise ValueError(f"final must be one of {FINALS}: {final!r}")
        self._droplets += 1
        root = Path(dest or self.root / f"droplet-{self._droplets}").resolve()
        shutil.copytree(self.build_dir, root / "app", symlinks=True)
        shutil.copytree(self.deps_dir, root / "deps", symlinks=True)
        profile = root / "profile.d"
        profile.mkdir()
        if final == "libbuildpack":
            self._copy_supplied_profile_scripts(profile)
        else:  # Runner.runFinalize without bin/finalize: "remove unused deps sub dir", then bin/compile
            shutil.rmtree(root / "deps" / self.indices[-1])
        for directory in ("tmp", "logs"):
            (root / directory).mkdir()
        self.container_root = root
        return root

    def sidecars(self) -> list[dict[str, object]]:
        """The sidecars the builder would put in result.json: from each supply buildpack's
        ``deps/<launch_yml_index(i)>/launch.yml``, the processes with ``sidecar_for``
        (Runner.ProcessYML and MergeLaunchYML, resources.ConvertToResult)."""
        found: list[dict[str, object]] = []
        for i in range(len(self.indices) - 1):
            path = self.deps_dir / launch_yml_index(i) / "launch.yml"
            declared = yaml.safe_load(path.read_text()) if path.is_file() else None
            for process in (declared or {}).get("processes") or []:
                targets = ((process.get("platforms") or {}).get("cloudfoundry") or {}).get("sidecar_for") or []
                if not targets:
                    continue
                sidecar: dict[str, object] = {"name": process["type"], "process_types": targets,
                                              "command": process["command"]}
                if (process.get("limits") or {}).get("memory"):  # json:"memory,omitempty"
                    sidecar["memory"] = process["limits"]["memory"]
                found.append(sidecar)
        return found

    def container_env(self, env: Env | None = None) -> dict[str, str]:
        """Return the environment app and sidecar processes start with, plus ``env``: the
        platform's (PATH, LANG, USER, CF_STACK) and, last, what the launcher sets (env.CalcEnv:
        HOME is the app directory, TMPDIR and DEPS_DIR its siblings)."""
        root = self._require_root()
        base = {"PATH": CONTAINER_PATH, "LANG": "en_US.UTF-8", "USER": "vcap", "CF_STACK": self.stack}
        launcher_sets = {"HOME": str(root / "app"), "TMPDIR": str(root / "tmp"), "DEPS_DIR": str(root / "deps")}
        return _environment(base, env) | launcher_sets

    def run_in_container(self, command: str, env: Env | None = None) -> LoggedPopen:
        """Start ``command`` through the launcher (profile scripts, then ``bash -c``)."""
        root = self._require_root()
        self._droplets += 1
        proc = spawn(self._launcher_argv(command), env=self.container_env(env), cwd=root,
                     log_path=root / "logs" / f"process-{self._droplets}.log")
        self._launched.append(proc)
        return proc

    def run_command(self, command: str, env: Env | None = None, timeout: float = 30.0) -> RunResult:
        """Run a short ``command`` in the container to completion and capture its output."""
        return run(self._launcher_argv(command), env=self.container_env(env), cwd=self._require_root(),
                   timeout=timeout)

    @property
    def uses_real_launcher(self) -> bool:
        return self.launcher == "real" or (self.launcher is None and real_launcher().is_file())

    def _launcher_argv(self, command: str) -> list[str]:
        """The real launcher (``launcher app <command> ''`` from the droplet root, as Diego runs it)
        when the tool is there, else its bash program."""
        app = str(self._require_root() / "app")
        if self.uses_real_launcher:
            launch_record.record("real CF launcher")
            return [str(real_launcher()), app, command, ""]
        launch_record.record("emulated CF launcher")
        return ["bash", "-c", LAUNCHER_SCRIPT, "launcher", app, command]

    def _require_root(self) -> Path:
        if self.container_root is None:
            raise RuntimeError("call launch_root() before running anything in the container")
        return self.container_root

    def _copy_supplied_profile_scripts(self, profile: Path) -> None:
        """libbuildpack Stager.SetLaunchEnvironment: ``000_multi-supply.sh``, then each supplied
        ``deps/<idx>/profile.d/<f>`` as ``profile.d/<idx>_<f>``."""
        (profile / "000_multi-supply.sh").write_text(self._multi_supply_script())
        for idx in self.indices:
            scripts = self.deps_dir / idx / "profile.d"
            for script in sorted(scripts.iterdir()) if scripts.is_dir() else []:
                if script.is_file() and not script.is_symlink():
                    shutil.copy2(script, profile / f"{idx}_{script.name}")

    def _multi_supply_script(self) -> str:
        """PATH/LD_LIBRARY_PATH/LIBRARY_PATH for every deps/<idx> with bin/ or lib/ (later first)."""
        lines = []
        for var, sub in (("PATH", "bin"), ("LD_LIBRARY_PATH", "lib"), ("LIBRARY_PATH", "lib")):
            dirs = [f"$DEPS_DIR/{idx}/{sub}" for idx in reversed(self.indices)
                    if (self.deps_dir / idx / sub).is_dir()]
            if dirs:
                lines.append(f'export {var}={":".join(dirs)}$([[ ! -z "${{{var}:-}}" ]] && echo ":${var}")')
        return "".join(line + "\n" for line in lines)


def real_launcher() -> Path:
    """The real Cloud Foundry launcher (``config.cf_lifecycle_dir()``), present or not."""
    return config.cf_lifecycle_dir() / "bin" / "launcher"


def deps_index(i: int, buildpack_count: int) -> str:
    """``i`` as the builder passes it in DEPS_IDX (LifecycleBuilderConfig.DepsIndex): zero-padded to
    the digits of the buildpack count, so a push of 10 or more buildpacks gets ``00``, ``01``, …"""
    return str(i).zfill(len(str(buildpack_count)))


def launch_yml_index(i: int) -> str:
    """The deps dir whose ``launch.yml`` the builder reads for buildpack ``i`` (Runner.MergeLaunchYML:
    ``strconv.Itoa``, never padded)."""
    return str(i)


def push_indices(deps_idx: str, buildpack_count: int | None = None) -> list[str]:
    """Every DEPS_IDX of a push in which supply gets ``deps_idx``: by default the smallest push the
    spelling allows (``"1"`` -> 3 buildpacks, ``"03"`` -> 10)."""
    if not deps_idx.isdigit():
        raise ValueError(f"DEPS_IDX must be digits: {deps_idx!r}")
    position = int(deps_idx)
    count = buildpack_count or max(position + 2, 10 ** (len(deps_idx) - 1))
    if position >= count - 1 or deps_index(position, count) != deps_idx:
        raise ValueError(f"the builder never passes DEPS_IDX {deps_idx!r} to a supply buildpack of a {count}-buildpack push")
    return [deps_index(i, count) for i in range(count)]


def _environment(base: dict[str, str], changes: Env | None) -> dict[str, str]:
    instrumentation = {k: os.environ[k] for k in config.INSTRUMENTATION_VARS if k in os.environ}
    return merge_env(base | instrumentation, changes)

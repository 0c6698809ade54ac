"""A stand-in for the CNB launcher, for machines without the real one (arm64 runs under qemu, a
checkout without ``../shared/tools/lifecycle-real``). Where the real launcher is present the
harness uses it instead (``real_lifecycle``), and ``test_launcher_conformance`` runs the same
images through both and checks that this file refuses everything the real one refuses.

Each function names the buildpacks/lifecycle v0.21.17 function it follows, rule by rule:

- ``new_launch_env``   env/launch.go ``NewLaunchEnv``: drops CNB_LAYERS_DIR, CNB_APP_DIR,
  CNB_PROCESS_TYPE, CNB_PLATFORM_API, CNB_DEPRECATION_MODE; removes /cnb/process and
  /cnb/lifecycle from PATH.
- ``buildpack_dirs``   launch/launcher.go ``eachBuildpack``: the buildpacks of
  ``<layers>/config/metadata.toml`` in its order, ``<layers>/<id with / as _>``, a missing one skipped.
- ``layer_dirs``       ``eachLayer``/``eachInDir``: the real directories (not links to them) of a
  buildpack's folder, in name order; any listing error but "does not exist" fails the launch.
- ``add_root_dir``     env/env.go ``Env.AddRootDir``: ``<layer>/bin`` onto PATH and ``<layer>/lib``
  onto LD_LIBRARY_PATH when they exist (os.Stat: a file counts too).
- ``add_env_dir``      env/env.go ``addEnvDir``/``eachEnvFile``: ``NAME`` and ``NAME.override`` set,
  ``.default`` sets when unset or empty, ``.prepend``/``.append`` join with ``NAME.delim`` (nothing
  without one), other suffixes (``.delim`` itself) are ignored; directories and links to
  directories are skipped, a dangling link or a path that is not a directory fails the launch.
- ``do_env``           ``Launcher.doEnv``: per buildpack, every layer's root dirs, then every
  layer's ``env/``, ``env.launch/``, ``env.launch/<type>/``.
- ``exec_d_programs``  ``Launcher.doLayerExecD``/``eachFile``: per buildpack, per layer, every
  non-directory entry (a link counts as a file, as ``os.DirEntry.IsDir`` does not follow it) of
  ``exec.d/``, then of ``exec.d/<type>/``; ``exec.d/<type>`` that exists but is not a directory
  fails the launch, after the programs before it have run.
- ``run_exec_d``       launch/exec_d.go ``ExecDRunner.ExecD``: no arguments, the current
  environment, cwd the app, stdin /dev/null, the launcher's stdout/stderr, a pipe on fd 3 read to
  end-of-file; a non-zero exit, or output that is not a TOML table of strings, fails the launch;
  the values are set for what follows. The real launcher waits for end-of-file forever; here the
  wait is bounded (``exec_d_timeout``) so a leaked fd 3 fails a test instead of hanging it.
- ``process_for``      launch/process.go ``ProcessFor``/``handleUserArgs`` (Platform API 0.10+):
  a command of several entries keeps entries[1:] as fixed args, then the user's args, else the
  process's; otherwise the user's args replace the process's (Buildpack API 0.9+).
- ``launch_process``   cmd/launcher/cli/launcher.go ``RunLaunch`` and ``Launcher.launchDirect``:
  the app dir, env, exec.d, then ``exec.LookPath`` on the new PATH and execve; any error is printed
  as ``ERROR: failed to launch: <step>: <reason>`` and the exit code is 82 (platform/exit.go).

``launch_process`` runs as a process of its own (``python3 launcher.py SPEC_FILE``), so exec.d's parent
is the launcher and the app keeps its PID, as in an image. ``plan`` computes the same in the
calling process (exec.d's parent is then the test). Standard library only: it runs as a script.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator, Mapping, Sequence

EXEC_D_TIMEOUT = 30.0
LAUNCH_ERROR_CODE = 82  # lifecycle platform/exit.go: LaunchError
LAUNCH_ENV_EXCLUDED = ("CNB_LAYERS_DIR", "CNB_APP_DIR", "CNB_PROCESS_TYPE", "CNB_PLATFORM_API",
                       "CNB_DEPRECATION_MODE")
CNB_PROCESS_DIR, CNB_LIFECYCLE_DIR = "/cnb/process", "/cnb/lifecycle"
ROOT_DIR_VARS = (("bin", "PATH"), ("lib", "LD_LIBRARY_PATH"))  # env/launch.go POSIXLaunchEnv


class LaunchError(RuntimeError):
    """The launcher refuses to start the process (the real one exits 82); the text is its reason."""


@dataclass
class LaunchPlan:
    """What the launcher would execute: ``argv`` (argv[0] as in ``command``), resolved ``executable``."""

    argv: list[str]
    executable: str
    env: dict[str, str]
    cwd: Path


def read_env_value(path: Path) -> str:
    """Return a file's bytes as an environment value (byte for byte; a trailing newline stays)."""
    return path.read_bytes().decode("utf-8", "surrogateescape")


def read_metadata(layers_dir: Path) -> dict[str, Any]:
    """``<layers>/config/metadata.toml`` (the exporter writes it; ``RunLaunch`` fails without it)."""
    path = layers_dir / "config" / "metadata.toml"
    try:
        return tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LaunchError(f"read metadata: {error}") from None


def new_launch_env(environ: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in environ.items() if k not in LAUNCH_ENV_EXCLUDED}
    if "PATH" in env:
        env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                      if p not in (CNB_PROCESS_DIR, CNB_LIFECYCLE_DIR))
    return env


def _list_dir(directory: Path, wrap: str = "failed to list files in dir '{}'") -> list[os.DirEntry] | None:
    """``os.ReadDir``: entries in name order; None when the path does not exist; any other error
    fails the launch, its text prefixed as the caller's Go code wraps it."""
    try:
        with os.scandir(directory) as entries:
            return sorted(entries, key=lambda e: e.name)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LaunchError(f"{wrap.format(directory)}: readdirent {directory}: {error.strerror.lower()}") from None


def buildpack_dirs(layers_dir: Path, buildpacks: Sequence[Mapping[str, Any]]) -> list[Path]:
    dirs = []
    for buildpack in buildpacks:
        directory = layers_dir / str(buildpack.get("id", "")).replace("/", "_")
        if directory.exists():
            dirs.append(directory)
    return dirs


def layer_dirs(buildpack_dir: Path) -> list[Path]:
    entries = _list_dir(buildpack_dir) or []
    return [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]


def add_root_dir(env: dict[str, str], layer: Path) -> None:
    for sub, var in ROOT_DIR_VARS:
        if (layer / sub).exists():
            env[var] = str(layer / sub) + (os.pathsep + env[var] if env.get(var) else "")


def add_env_dir(env: dict[str, str], directory: Path) -> None:
    for entry in _list_dir(directory, "apply env files from dir '{}'") or []:
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            continue
        if entry.is_symlink():
            if not path.exists():
                raise LaunchError(f"apply env files from dir '{directory}': stat {path}: no such file or directory")
            if path.is_dir():
                continue
        name, _, action = entry.name.partition(".")
        value = read_env_value(path)
        delim_file = directory / f"{name}.delim"
        delim = read_env_value(delim_file) if delim_file.is_file() else ""
        current = env.get(name, "")
        if action in ("", "override"):  # DefaultActionType: override
            env[name] = value
        elif action == "default":
            if not current:
                env[name] = value
        elif action == "prepend":
            env[name] = value + (delim + current if current else "")
        elif action == "append":
            env[name] = (current + delim if current else "") + value


def do_env(env: dict[str, str], bp_dirs: Sequence[Path], process_type: str) -> None:
    for bp_dir in bp_dirs:
        layers = layer_dirs(bp_dir)
        for layer in layers:
            add_root_dir(env, layer)
        for layer in layers:
            add_env_dir(env, layer / "env")
            add_env_dir(env, layer / "env.launch")
            if process_type:
                add_env_dir(env, layer / "env.launch" / process_type)


def _files(directory: Path) -> list[Path]:
    return [Path(e.path) for e in _list_dir(directory) or [] if not e.is_dir(follow_symlinks=False)]


def exec_d_programs(bp_dirs: Sequence[Path], process_type: str) -> Iterator[Path]:
    """The exec.d programs in run order, listed lazily: a listing error comes when the real one's would."""
    for bp_dir in bp_dirs:
        for layer in layer_dirs(bp_dir):
            yield from _files(layer / "exec.d")
            if process_type:
                yield from _files(layer / "exec.d" / process_type)


def run_exec_d(program: Path, env: Mapping[str, str], cwd: Path, timeout: float = EXEC_D_TIMEOUT,
               output: IO | None = None) -> dict[str, str]:
    """Run one exec.d program and return the variables it wrote to fd 3.

    ``output`` receives its stdout and stderr (None: this process's own, as in the launcher).
    """
    read_end, write_end = os.pipe()
    try:
        # The shell puts the pipe on fd 3 and execs the program (argv[0] = its path), so no
        # preexec_fn runs in a process that has threads.
        proc = subprocess.Popen(["/bin/sh", "-c", f'exec "$0" 3>&{write_end} {write_end}>&-', str(program)],
                                env=dict(env), cwd=cwd, stdin=subprocess.DEVNULL, stdout=output,
                                stderr=subprocess.STDOUT if output is not None else None,
                                pass_fds=(write_end,))
    except BaseException:
        os.close(read_end)
        os.close(write_end)
        raise
    # exec_d.go: `defer pw.Close()` around `cmd.Run()`: the write end closes when the program exits.
    closer = threading.Thread(target=lambda: (proc.wait(), os.close(write_end)), daemon=True)
    closer.start()
    try:
        out = _read_until_eof(read_end, time.monotonic() + timeout)
    except TimeoutError:
        if proc.poll() is None:
            proc.kill()
            raise LaunchError(f"exec.d file at path '{program}' did not exit in {timeout:g}s") from None
        raise LaunchError(f"exec.d file at path '{program}' exited {proc.returncode}, but fd 3 was still open "
                          f"after {timeout:g}s: a process it started inherited the pipe (the real launcher "
                          f"waits for end-of-file forever)") from None
    finally:
        os.close(read_end)
        closer.join(timeout=5)
    if proc.returncode != 0:
        raise LaunchError(f"failed to execute exec.d file at path '{program}': exit status {proc.returncode}")
    try:
        values = tomllib.loads(out.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LaunchError(f"failed to decode output from exec.d file at path '{program}': {error}") from None
    if not all(isinstance(v, str) for v in values.values()):
        raise LaunchError(f"failed to decode output from exec.d file at path '{program}': non-string values {values}")
    return values


def process_for(metadata: Mapping[str, Any], process_type: str, user_args: Sequence[str]) -> dict[str, Any]:
    """The process to start and its final ``command``/``args``."""
    found = [p for p in metadata.get("processes", []) if p.get("type") == process_type]
    if not found:
        # defaultProcessType: an unknown type is no default, so the user's args are the command
        # (userProvidedProcess); without args that is an error, with them a shell process, which
        # this stand-in does not run.
        if not user_args:
            raise LaunchError("determine start command: when there is no default process a command is required")
        raise LaunchError(f"determine start command: {process_type!r} is no process type and the emulator does "
                          f"not run user commands through a shell")
    process = dict(found[0])
    command = process.get("command", [])
    command = [command] if isinstance(command, str) else list(command)
    args = list(process.get("args", []))
    if len(command) > 1:
        args = command[1:] + (list(user_args) if user_args else args)
        command = command[:1]
    elif user_args:
        args = list(user_args)
    if not command:
        raise LaunchError(f"no command provided for process type {process_type!r}")
    return process | {"command": command, "args": args}


def plan(layers_dir: Path, app_dir: Path, process_type: str, user_args: Sequence[str],
         base_env: Mapping[str, str], log_path: Path | None = None,
         exec_d_timeout: float = EXEC_D_TIMEOUT) -> LaunchPlan:
    """The environment and argv for ``process_type`` (exec.d runs here, as children of this process)."""
    metadata = read_metadata(layers_dir)
    process = process_for(metadata, process_type, user_args)
    bp_dirs = buildpack_dirs(layers_dir, metadata.get("buildpacks", []))
    env = new_launch_env(base_env)
    try:
        do_env(env, bp_dirs, process_type)
    except LaunchError as error:
        raise LaunchError(f"modify env: {error}") from None
    try:
        for program in exec_d_programs(bp_dirs, process_type):
            if log_path is None:
                env.update(run_exec_d(program, env, app_dir, exec_d_timeout))
                continue
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(log_path, "ab") as log:
                env.update(run_exec_d(program, env, app_dir, exec_d_timeout, log))
    except LaunchError as error:
        raise LaunchError(f"exec.d: {error}") from None
    command = process["command"]
    executable = command[0] if "/" in command[0] else shutil.which(command[0], path=env.get("PATH", ""))
    if not executable:
        raise LaunchError(f'path lookup: exec: "{command[0]}": executable file not found in $PATH')
    cwd = Path(process.get("working-dir") or app_dir)
    return LaunchPlan(command + process["args"], executable, env, cwd)


def write_spec(path: Path, layers_dir: Path, app_dir: Path, process_type: str, user_args: Sequence[str],
               base_env: Mapping[str, str], exec_d_timeout: float = EXEC_D_TIMEOUT) -> Path:
    """Write what ``launch_process`` needs (the image and the launch request) as JSON."""
    path.write_text(json.dumps({"layers_dir": str(layers_dir), "app_dir": str(app_dir),
                                "process_type": process_type, "args": list(user_args),
                                "base_env": dict(base_env), "exec_d_timeout": exec_d_timeout}))
    return path


def launch_process(spec_path: str) -> int:
    """The launcher process: set up the environment, run exec.d, exec the process; 82 on failure."""
    spec = json.loads(Path(spec_path).read_text())
    app_dir = Path(spec["app_dir"])
    try:
        os.chdir(app_dir)
        launch = plan(Path(spec["layers_dir"]), app_dir, spec["process_type"], spec["args"], spec["base_env"],
                      exec_d_timeout=spec["exec_d_timeout"])
        os.chdir(launch.cwd)
    except (LaunchError, OSError) as error:
        print(f"ERROR: failed to launch: {error}", file=sys.stderr, flush=True)
        return LAUNCH_ERROR_CODE
    sys.stdout.flush()
    os.execve(launch.executable, launch.argv, launch.env)
    return LAUNCH_ERROR_CODE  # not reached


def _read_until_eof(fd: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("fd 3 still open")
            if selector.select(timeout=remaining):
                chunk = os.read(fd, 65536)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)


if __name__ == "__main__":
    sys.exit(launch_process(sys.argv[1]))

"""The CNB launcher (cnb-contract.md §7), for ``Lifecycle.launch`` and ``Lifecycle.plan_launch``.

Mirrors buildpacks/lifecycle ``launch/launcher.go`` (``LaunchProcess``, ``doEnv``, ``doExecD``),
``launch/exec_d.go`` (``ExecDRunner.ExecD``) and ``cmd/launcher/cli/launcher.go`` (exit code 82):

1. for the buildpack's layers in name order: ``bin/`` is prepended to PATH and ``lib/`` to
   LD_LIBRARY_PATH (``AddRootDir``, every layer first), then each layer's ``env/``,
   ``env.launch/`` and ``env.launch/<type>/`` are applied;
2. per layer in name order: every non-directory entry of ``exec.d/`` (symlinks included, as
   ``os.DirEntry.IsDir`` does not follow them), then of ``exec.d/<type>/``, is run with no
   arguments (argv[0] = its path), the current environment, cwd = the app dir, stdin
   /dev/null, the launcher's stdout/stderr and a pipe on fd 3. The launcher keeps the write end
   until the program has exited, then reads the pipe to end-of-file, so a process that inherited
   fd 3 and lives on holds the launch forever. Here that wait is bounded: after
   ``exec_d_timeout`` seconds the launch fails (exit 82), so such a leak fails a test instead of
   hanging it. A non-zero exit or output that is not string-valued TOML fails the launch (82);
   the values override the environment for the next program and the process;
3. ``command[0]`` is looked up on the modified PATH and exec'd, with the process's args
   (Platform API >= 0.10: user args replace them).

``launch_process`` is the launcher as a process of its own (``python3 launcher.py SPEC``): exec.d's
parent is the launcher, which then execs the app and keeps its PID, exactly as in an image.
``plan_launch`` computes the same in the calling process (exec.d's parent is then the test).
This file uses the standard library only, so it runs as a script.
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
from typing import IO, Any, Mapping, Sequence

EXEC_D_TIMEOUT = 30.0
LAUNCH_ERROR_CODE = 82  # lifecycle platform/exit.go: LaunchError


class LaunchError(RuntimeError):
    """The launcher would refuse to start the process (the real one exits 82)."""


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


def apply_env_dir(env: dict[str, str], directory: Path) -> None:
    """Apply one ``env*/`` directory's files to ``env`` (override/default/prepend/append/delim)."""
    if not directory.is_dir():
        return
    for path in sorted(p for p in directory.iterdir() if not p.is_dir()):
        name, _, action = path.name.partition(".")
        value = read_env_value(path)
        delim_file = directory / f"{name}.delim"
        delim = read_env_value(delim_file) if delim_file.is_file() else ""
        current = env.get(name, "")
        if action in ("", "override"):
            env[name] = value
        elif action == "default":
            if not current:
                env[name] = value
        elif action == "prepend":
            env[name] = value + (delim + current if current else "")
        elif action == "append":
            env[name] = (current + delim if current else "") + value


def launch_env(layer_dirs: Sequence[Path], process_type: str, base_env: Mapping[str, str]) -> dict[str, str]:
    """The environment after ``doEnv``: every layer's root dirs, then every layer's env dirs."""
    env = dict(base_env)
    for layer in layer_dirs:
        for var, sub in (("PATH", "bin"), ("LD_LIBRARY_PATH", "lib")):
            if (layer / sub).is_dir():
                env[var] = str(layer / sub) + (os.pathsep + env[var] if env.get(var) else "")
    for layer in layer_dirs:
        for env_dir in ("env", "env.launch", f"env.launch/{process_type}"):
            apply_env_dir(env, layer / env_dir)
    return env


def exec_d_programs(layer_dirs: Sequence[Path], process_type: str) -> list[Path]:
    """The exec.d programs in the order ``doExecD`` runs them (per layer: exec.d/, exec.d/<type>/)."""
    programs = []
    for layer in layer_dirs:
        for directory in (layer / "exec.d", layer / "exec.d" / process_type):
            if directory.is_dir():
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
                programs += [Path(e.path) for e in entries if not e.is_dir(follow_symlinks=False)]
    return programs


def run_exec_d(program: Path, env: Mapping[str, str], cwd: Path, timeout: float = EXEC_D_TIMEOUT,
               output: IO | None = None) -> dict[str, str]:
    """Run one exec.d program as ``ExecDRunner.ExecD`` does and return the variables it wrote to fd 3.

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


def plan_launch(layer_dirs: Sequence[Path], process: Mapping[str, Any], process_type: str,
                args: Sequence[str] | None, base_env: Mapping[str, str], app_dir: Path,
                log_path: Path | None = None, exec_d_timeout: float = EXEC_D_TIMEOUT) -> LaunchPlan:
    """Build the environment and argv for ``process`` (exec.d runs here, as children of this process)."""
    env = launch_env(layer_dirs, process_type, base_env)
    for program in exec_d_programs(layer_dirs, process_type):
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(log_path, "ab") as log:
                env.update(run_exec_d(program, env, app_dir, exec_d_timeout, log))
        else:
            env.update(run_exec_d(program, env, app_dir, exec_d_timeout))
    command = list(process["command"])
    executable = command[0] if "/" in command[0] else shutil.which(command[0], path=env.get("PATH", ""))
    if not executable:
        raise LaunchError(f"path lookup: {command[0]!r} not found on the launch PATH {env.get('PATH')!r}")
    chosen_args = list(args) if args is not None else list(process.get("args", []))
    cwd = Path(process.get("working-dir") or app_dir)
    return LaunchPlan(command + chosen_args, executable, env, cwd)


def write_spec(path: Path, layer_dirs: Sequence[Path], process: Mapping[str, Any], process_type: str,
               args: Sequence[str] | None, base_env: Mapping[str, str], app_dir: Path,
               exec_d_timeout: float = EXEC_D_TIMEOUT) -> Path:
    """Write what ``launch_process`` needs (the image and the launch request) as JSON."""
    path.write_text(json.dumps({"layer_dirs": [str(d) for d in layer_dirs], "process": dict(process),
                                "process_type": process_type, "args": None if args is None else list(args),
                                "base_env": dict(base_env), "app_dir": str(app_dir),
                                "exec_d_timeout": exec_d_timeout}))
    return path


def launch_process(spec_path: str) -> int:
    """The launcher process: set up the environment, run exec.d, exec the process; 82 on failure."""
    spec = json.loads(Path(spec_path).read_text())
    app_dir = Path(spec["app_dir"])
    try:
        os.chdir(app_dir)
        plan = plan_launch([Path(d) for d in spec["layer_dirs"]], spec["process"], spec["process_type"],
                           spec["args"], spec["base_env"], app_dir, exec_d_timeout=spec["exec_d_timeout"])
        os.chdir(plan.cwd)
    except (LaunchError, OSError) as error:
        print(f"ERROR: failed to launch: exec.d: {error}", file=sys.stderr, flush=True)
        return LAUNCH_ERROR_CODE
    sys.stdout.flush()
    os.execve(plan.executable, plan.argv, plan.env)
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

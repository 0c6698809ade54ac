"""The CNB launcher's environment and exec rules (cnb-contract.md §7), for ``Lifecycle.launch``.

Per layer in name order: ``bin/`` is prepended to PATH and ``lib/`` to
LD_LIBRARY_PATH, then ``env/``, ``env.launch/`` and ``env.launch/<type>/`` are applied;
then every layer's ``exec.d/*`` and every layer's ``exec.d/<type>/*`` run (TOML on fd 3);
finally ``command[0]`` is looked up on the modified PATH and run without a shell.
"""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from .processes import spawn, stop_process

EXEC_D_TIMEOUT = 30.0


class LaunchError(RuntimeError):
    """The launcher would refuse to start the process (the real one exits 80-89 or fails export)."""


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


def plan_launch(layer_dirs: Sequence[Path], process: Mapping[str, Any], process_type: str,
                args: Sequence[str] | None, base_env: Mapping[str, str], app_dir: Path,
                log_path: Path | None = None) -> LaunchPlan:
    """Build the environment and argv for ``process`` from ``layer_dirs`` (already in name order)."""
    env = dict(base_env)
    for layer in layer_dirs:
        for var, sub in (("PATH", "bin"), ("LD_LIBRARY_PATH", "lib")):
            if (layer / sub).is_dir():
                env[var] = str(layer / sub) + (os.pathsep + env[var] if env.get(var) else "")
        for env_dir in ("env", "env.launch", f"env.launch/{process_type}"):
            apply_env_dir(env, layer / env_dir)
    for sub in ("exec.d", f"exec.d/{process_type}"):
        for layer in layer_dirs:
            directory = layer / sub
            if directory.is_dir():
                for program in sorted(p for p in directory.iterdir() if p.is_file()):
                    env.update(run_exec_d(program, env, app_dir, log_path))
    command = list(process["command"])
    executable = command[0] if "/" in command[0] else shutil.which(command[0], path=env.get("PATH", ""))
    if not executable:
        raise LaunchError(f"{command[0]!r} not found on the launch PATH {env.get('PATH')!r}")
    chosen_args = list(args) if args is not None else list(process.get("args", []))
    cwd = Path(process.get("working-dir") or app_dir)
    return LaunchPlan(command + chosen_args, executable, env, cwd)


def run_exec_d(program: Path, env: Mapping[str, str], cwd: Path, log_path: Path | None = None,
               timeout: float = EXEC_D_TIMEOUT) -> dict[str, str]:
    """Run one exec.d program with a pipe on fd 3 and return the variables it printed there."""
    read_end, write_end = os.pipe()
    try:
        # The shell moves the pipe to fd 3 without a preexec_fn (unsafe with threads running).
        proc = spawn(["/bin/sh", "-c", f'exec "$0" 3>&{write_end} {write_end}>&-', program],
                     env=env, cwd=cwd, log_path=log_path, pass_fds=(write_end,))
    finally:
        os.close(write_end)
    deadline = time.monotonic() + timeout
    try:
        with os.fdopen(read_end, "rb") as pipe:
            output = _read_until_eof(pipe, deadline)
        code = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    except (TimeoutError, subprocess.TimeoutExpired):
        raise LaunchError(f"exec.d program {program} did not finish in {timeout:.0f}s") from None
    finally:
        stop_process(proc, grace=0)
    if code != 0:
        raise LaunchError(f"exec.d program {program} exited {code}")
    try:
        values = tomllib.loads(output.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise LaunchError(f"exec.d program {program} wrote invalid TOML: {error}") from None
    if not all(isinstance(v, str) for v in values.values()):
        raise LaunchError(f"exec.d program {program} wrote non-string values: {values}")
    return values


def _read_until_eof(pipe: Any, deadline: float) -> bytes:
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(pipe, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("fd 3 still open")
            if selector.select(timeout=remaining):
                chunk = os.read(pipe.fileno(), 65536)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)

"""Subprocesses that always end.

Every child runs in its own session (and so its own process group), so stopping it
also stops whatever it started. ``run`` captures output and kills on timeout;
``ProcessGroup`` keeps long-running children with their logs in files and stops them
all on exit (SIGTERM, then SIGKILL after a bounded wait). As a safety net, children
still alive when the interpreter exits are killed by an ``atexit`` hook, and the first
spawn turns an unhandled SIGTERM into ``SystemExit`` so that hook runs then too.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Mapping, Sequence

Argv = Sequence["str | os.PathLike[str]"]

_live: set[subprocess.Popen] = set()
_live_lock = threading.Lock()
_sigterm_hooked = False


class LoggedPopen(subprocess.Popen):
    """A ``Popen`` in its own session whose output may go to ``log_path``."""

    log_path: Path | None = None

    def log_text(self) -> str:
        """Return what the process has written to its log file so far ("" without one)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")

    def stop(self, grace: float = 5.0) -> int | None:
        """Stop the process and its group; return its exit code (negative = signal)."""
        return stop_process(self, grace)


@dataclass
class RunResult:
    """The outcome of a finished command: exit code (negative = killed by that signal) and text output."""

    argv: list[str]
    code: int | None
    stdout: str
    stderr: str
    duration: float
    timed_out: bool = False

    @property
    def output(self) -> str:
        """Return stdout followed by stderr."""
        return self.stdout + self.stderr

    def describe(self) -> str:
        """Return a multi-line summary for assertion messages."""
        status = "timed out" if self.timed_out else f"exited {self.code}"
        return (f"$ {' '.join(self.argv)}\n{status} after {self.duration:.2f}s\n"
                f"--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}")

    def check(self, code: int = 0) -> "RunResult":
        """Raise AssertionError unless the command exited with ``code``; return self."""
        if self.code != code:
            raise AssertionError(f"expected exit code {code}\n{self.describe()}")
        return self


class CommandTimeout(TimeoutError):
    """Raised by ``run`` when a command outlives its timeout; ``result`` has its partial output."""

    def __init__(self, result: RunResult) -> None:
        super().__init__(f"command timed out and was killed\n{result.describe()}")
        self.result = result


def spawn(argv: Argv, *, env: Mapping[str, str] | None = None, cwd: "str | os.PathLike[str] | None" = None,
          log_path: Path | None = None, stdin: int | IO | None = subprocess.DEVNULL,
          stdout: int | IO | None = None, stderr: int | IO | None = None,
          pass_fds: Sequence[int] = (), executable: "str | os.PathLike[str] | None" = None) -> LoggedPopen:
    """Start ``argv`` in a new session and register it for cleanup at exit.

    With ``log_path`` (and no explicit ``stdout``), stdout and stderr both go to that file.
    ``executable`` runs that file with ``argv[0]`` left as given.
    """
    _hook_sigterm()
    log_file = None
    if log_path is not None and stdout is None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_file = open(log_path, "ab")
        stdout, stderr = log_file, subprocess.STDOUT
    try:
        proc = LoggedPopen([os.fspath(a) for a in argv], env=dict(env) if env is not None else None,
                           cwd=cwd, stdin=stdin, stdout=stdout, stderr=stderr,
                           pass_fds=tuple(pass_fds), executable=executable, start_new_session=True)
    finally:
        if log_file is not None:
            log_file.close()
    proc.log_path = log_path
    with _live_lock:
        _live.add(proc)
    return proc


def stop_process(proc: subprocess.Popen, grace: float = 5.0) -> int | None:
    """SIGTERM the process group, SIGKILL it after ``grace`` seconds; return the exit code."""
    try:
        if proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)
            _signal_group(proc, signal.SIGCONT)  # a stopped (paused) process must run to see SIGTERM
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(timeout=10)
        # Members of the group may outlive its leader; the group id cannot be reused while they exist.
        _signal_group(proc, signal.SIGKILL)
        _wait_group_gone(proc.pid, timeout=5)
        return proc.returncode
    finally:
        with _live_lock:
            _live.discard(proc)


def run(argv: Argv, *, env: Mapping[str, str] | None = None, cwd: "str | os.PathLike[str] | None" = None,
        timeout: float = 60.0, input: bytes | str | None = None, timeout_ok: bool = False) -> RunResult:
    """Run ``argv`` to completion and capture its output as text.

    On timeout the whole process group is killed and ``CommandTimeout`` is raised, or,
    with ``timeout_ok=True``, a result with ``timed_out=True`` is returned.
    """
    started = time.monotonic()
    data = input.encode() if isinstance(input, str) else input
    proc = spawn(argv, env=env, cwd=cwd, stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    timed_out = False
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _signal_group(proc, signal.SIGKILL)
        try:
            out, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:  # a descendant left the group and holds the pipes
            out, err = b"", b""
            proc.kill()
            proc.wait(timeout=5)
    finally:
        stop_process(proc, grace=0)
    result = RunResult([os.fspath(a) for a in argv], proc.returncode, _text(out), _text(err),
                       time.monotonic() - started, timed_out)
    if timed_out and not timeout_ok:
        raise CommandTimeout(result)
    return result


class ProcessGroup:
    """Long-running children with log files, all stopped when the ``with`` block ends."""

    def __init__(self, log_dir: Path | None = None, grace: float = 5.0) -> None:
        self._tmp = None if log_dir else tempfile.TemporaryDirectory(prefix="etcdproxy-logs-")
        self.log_dir = Path(log_dir or self._tmp.name)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.grace = grace
        self.processes: list[LoggedPopen] = []

    def __enter__(self) -> "ProcessGroup":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, argv: Argv, *, name: str | None = None, env: Mapping[str, str] | None = None,
              cwd: "str | os.PathLike[str] | None" = None, pass_fds: Sequence[int] = ()) -> LoggedPopen:
        """Start ``argv`` with stdout+stderr in ``<log_dir>/<name>.log`` and return it."""
        base = name or Path(os.fspath(argv[0])).name
        log_path = self.log_dir / f"{base}.log"
        counter = 1
        while log_path.exists():
            counter += 1
            log_path = self.log_dir / f"{base}-{counter}.log"
        proc = spawn(argv, env=env, cwd=cwd, log_path=log_path, pass_fds=pass_fds)
        self.processes.append(proc)
        return proc

    def close(self) -> None:
        """Stop every process (logs are kept only if ``log_dir`` was given)."""
        for proc in self.processes:  # all at once, so the grace periods overlap
            if proc.poll() is None:
                _signal_group(proc, signal.SIGTERM)
        for proc in reversed(self.processes):
            stop_process(proc, self.grace)
        if self._tmp is not None:
            self._tmp.cleanup()


def merge_env(base: Mapping[str, str], changes: Mapping[str, "str | None"] | None) -> dict[str, str]:
    """Return ``base`` updated with ``changes``, where a None value removes the variable."""
    result = dict(base)
    for name, value in (changes or {}).items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _wait_group_gone(pgid: int, timeout: float) -> None:
    """Wait (bounded, without raising) until group ``pgid`` has no live member.

    Zombies count as gone: orphans are reaped by PID 1, which may take its time.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and group_has_live_member(pgid):
        time.sleep(0.01)


def group_has_live_member(pgid: int) -> bool:
    """Return True while process group ``pgid`` has a member that is not a zombie."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return any(int(fields[2]) == pgid for _, fields in _live_processes())


def process_state(pid: int) -> str | None:
    """The state letter of ``pid`` from /proc (``Z`` for a zombie), or None when it does not exist."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def children_of(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is ``pid``."""
    return [child for child, fields in _live_processes() if int(fields[1]) == pid]


def group_executables(pgid: int, name: str) -> list[str]:
    """The executables (``/proc/<pid>/exe``) of the live processes of group ``pgid`` whose file is ``name``."""
    found = []
    for pid, fields in _live_processes():
        if int(fields[2]) != pgid:  # the fields after the name: state, ppid, pgrp, …
            continue
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            continue
        if os.path.basename(exe) == name:
            found.append(exe)
    return found


def live_pids() -> list[int]:
    """Every live (not zombie) process on the machine."""
    return [pid for pid, _ in _live_processes()]


def _live_processes() -> Iterator[tuple[int, list[str]]]:
    """Each live (not zombie) process: its PID and the /proc/<pid>/stat fields after the name."""
    with os.scandir("/proc") as entries:
        names = [entry.name for entry in entries if entry.name.isdigit()]
    for name in names:
        try:
            fields = Path("/proc", name, "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if fields[0] not in ("Z", "X"):
            yield int(name), fields


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


def _kill_all_at_exit() -> None:
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        stop_process(proc, grace=1.0)


def _hook_sigterm() -> None:
    """Make SIGTERM unwind the interpreter (running atexit) when nobody else handles it."""
    global _sigterm_hooked
    if _sigterm_hooked or threading.current_thread() is not threading.main_thread():
        return
    _sigterm_hooked = True
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


atexit.register(_kill_all_at_exit)

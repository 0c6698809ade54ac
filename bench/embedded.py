"""The figures of embedded mode in docs/performance.md, for bench.py.

- start overhead: how long the helper layer's exec.d program (run exactly as the launcher runs it:
  fd 3 pipe read to end-of-file, see integration/harness/launcher.py) holds the app's start, minus
  the time `etcd grpc-proxy start` run directly needs to answer healthy;
- first restart: from `kill -9` of the supervised proxy until a proxy answers healthy again."""

import os
import signal
import time
from pathlib import Path

from harness.launcher import run_exec_d
from harness.ports import free_port
from harness.processes import children_of, process_state


def _supervisor_pid(tmp: Path, listen: str) -> int:
    """The PID in the supervisor's lock file under TMPDIR (src/launch/supervisor_files.h, SupervisorFileStem)."""
    return int((tmp / f"etcd-proxy-supervisor-{listen.replace(':', '_')}.lock").read_text().strip())


def _stop_supervisor(tmp: Path, listen: str) -> None:
    pid = _supervisor_pid(tmp, listen)
    os.kill(pid, signal.SIGTERM)
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and process_state(pid) not in (None, "Z"):
        time.sleep(0.01)


def embedded_start(helper_layer: Path, env: dict, tmp: Path) -> float:
    """Seconds exec.d holds the app's start in embedded mode (the supervisor is stopped after)."""
    listen = f"127.0.0.1:{free_port()}"
    run_env = {**env, "BPL_ETCD_PROXY_EMBEDDED": "true", "BPL_ETCD_PROXY_LISTEN_ADDR": listen}
    with open(os.devnull, "wb") as quiet:
        started = time.perf_counter()
        values = run_exec_d(helper_layer / "exec.d" / "etcd-proxy+app", run_env, tmp, timeout=30, output=quiet)
        took = time.perf_counter() - started
    _stop_supervisor(tmp, listen)
    if values.get("ETCD_ENDPOINTS") != listen:
        raise RuntimeError(f"exec.d wrote {values}")
    return took


def first_restart(helper_layer: Path, env: dict, tmp: Path, wait_healthy) -> float:
    """Seconds from kill -9 of the supervised proxy until a proxy answers healthy again."""
    listen = f"127.0.0.1:{free_port()}"
    run_env = {**env, "BPL_ETCD_PROXY_EMBEDDED": "true", "BPL_ETCD_PROXY_LISTEN_ADDR": listen}
    with open(os.devnull, "wb") as quiet:
        run_exec_d(helper_layer / "exec.d" / "etcd-proxy+app", run_env, tmp, timeout=30, output=quiet)
    try:
        [proxy] = children_of(_supervisor_pid(tmp, listen))
        killed = time.perf_counter()
        os.kill(proxy, signal.SIGKILL)
        time.sleep(0.05)  # the killed proxy's port must close first, or the old one "answers"
        return wait_healthy(listen, killed + 20) - killed
    finally:
        _stop_supervisor(tmp, listen)

"""Run a scenario inside a private network and mount namespace (``unshare --net --mount``).

The child has only a loopback interface (brought up here) and its own /etc/resolv.conf (a file
bind-mounted over the machine's, pointing at 127.0.0.1), so a test can run a DNS server on
127.0.0.1:53 without touching the machine. The scenario is a function ``module.function(arg)``
importable from ``integration/``; it gets a JSON-able ``arg`` and returns a JSON-able result.
Everything it starts must stop before it returns (the namespace dies with the child).
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from . import config

INTEGRATION_DIR = config.REPO_ROOT / "integration"

_CHILD = r"""
import importlib, json, os, subprocess, sys, tempfile
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
conf = os.path.join(tempfile.mkdtemp(prefix="netns-"), "resolv.conf")
with open(conf, "w") as f:
    f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:2\n")
subprocess.run(["mount", "--bind", conf, "/etc/resolv.conf"], check=True)
module, function = sys.argv[1], sys.argv[2]
result = getattr(importlib.import_module(module), function)(json.loads(sys.stdin.read()))
sys.stdout.write("\n@@RESULT@@" + json.dumps(result) + "\n")
"""


def unshare_argv() -> list[str]:
    """``unshare`` with a new network and mount namespace (and a user namespace when not root)."""
    argv = ["unshare", "--net", "--mount", "--propagation", "private", "--fork"]
    if os.geteuid() != 0:
        argv.insert(1, "--map-root-user")
    return argv


def run_in_private_network(module: str, function: str, arg: Any, timeout: float = 180.0) -> Any:
    """Run ``module.function(arg)`` in a private network namespace and return its result.

    A machine where namespaces cannot be created skips the test (fails it under ``CI=true``).
    """
    probe = subprocess.run(unshare_argv() + ["true"], capture_output=True, text=True, timeout=30, check=False)
    if probe.returncode != 0:
        config.missing_prerequisite(f"cannot create a private network namespace here: {probe.stderr.strip()}")
    env = dict(os.environ, PYTHONPATH=str(INTEGRATION_DIR), PYTHONDONTWRITEBYTECODE="1")
    completed = subprocess.run(unshare_argv() + ["/usr/bin/python3", "-c", _CHILD, module, function],
                               input=json.dumps(arg), capture_output=True, text=True, timeout=timeout,
                               cwd=INTEGRATION_DIR, env=env, check=False)
    marker = completed.stdout.rfind("\n@@RESULT@@")
    if completed.returncode != 0 or marker < 0:
        raise AssertionError(f"the scenario {module}.{function} failed in its namespace (exit {completed.returncode})\n"
                             f"--- stdout ---\n{completed.stdout[-4000:]}\n--- stderr ---\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout[marker + len("\n@@RESULT@@"):])

"""A file cache shared by parallel test processes (``ETCDPROXY_TEST_CACHE``).

An entry is built once under an exclusive ``fcntl`` lock, written to a temporary file
and renamed into place, so readers never see a half-written file.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, ContextManager, Iterator

from . import config

LOCK_TIMEOUT = 300.0  # seconds to wait for another process building the same entry


def cached_file(relative: str, write: Callable[[IO[bytes]], None], lock_timeout: float = LOCK_TIMEOUT) -> Path:
    """Return ``<cache>/<relative>``, first creating it with ``write(stream)`` if missing (waiting up to
    ``lock_timeout`` seconds for another process creating it)."""
    path = config.test_cache_dir() / relative
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(path.with_name(path.name + ".lock"), lock_timeout):
        if path.exists():  # built by another process while we waited
            return path
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                write(stream)
            os.chmod(temp_name, 0o644)
            os.replace(temp_name, path)
        except BaseException:
            os.unlink(temp_name)
            raise
    return path


def exclusive_lock(name: str, timeout: float = LOCK_TIMEOUT) -> ContextManager[None]:
    """Hold ``<cache>/<name>.lock`` (one holder across test processes) for a ``with`` block."""
    return _exclusive_lock(config.test_cache_dir() / f"{name}.lock", timeout)


@contextmanager
def _exclusive_lock(lock_path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    with open(lock_path, "a") as lock:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for the cache lock {lock_path}")
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)

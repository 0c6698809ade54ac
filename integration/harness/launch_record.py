"""Which launcher and stager each test went through, so ``scripts/test.sh`` can report how many
integration tests really ran through the real platforms' code and how many through a stand-in.

ctest gives every integration test ``ETCDPROXY_TEST_ID`` and ``ETCDPROXY_LAUNCH_RECORD`` (a file,
cmake/integration.cmake); ``record(kind)`` appends ``<kind> <test id>`` to it. Without them (a test
run by hand) nothing is written.
"""

from __future__ import annotations

import os


def record(kind: str) -> None:
    path, test_id = os.environ.get("ETCDPROXY_LAUNCH_RECORD"), os.environ.get("ETCDPROXY_TEST_ID")
    if not path or not test_id:
        return
    # One short line with O_APPEND: concurrent tests never interleave within a line. A test that
    # launches as another user may not write the file: the count then misses it, the test goes on.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:
        return
    try:
        os.write(fd, f"{kind} {test_id}\n".encode())
    finally:
        os.close(fd)


def summary(path: str) -> str:
    """One line: per kind (e.g. ``real CNB launcher``), how many distinct tests went through it."""
    tests: dict[str, set[str]] = {}
    try:
        with open(path) as lines:
            for line in lines:
                kind, _, test_id = line.strip().rpartition(" ")  # kinds hold spaces ("real CNB"), ids none
                if test_id:
                    tests.setdefault(kind, set()).add(test_id)
    except FileNotFoundError:
        pass
    if not tests:
        return "no integration test launched or staged anything"
    return ", ".join(f"{len(ids)} through the {kind}" for kind, ids in sorted(tests.items()))


if __name__ == "__main__":
    import sys
    print(summary(sys.argv[1]))

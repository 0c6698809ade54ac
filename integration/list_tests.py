"""Prints one line per integration test case for cmake/integration.cmake:
``<module.Class.method> <run serial: TRUE|FALSE> <timeout seconds> <labels, comma-separated> <cost>
<resource lock or ->``.

A test class may set ``ctest_run_serial = True`` (it measures time and must not share the two
cores), ``ctest_timeout = <seconds>`` (default 180), ``ctest_labels = ("name", …)``: labels
besides ``integration``, which ctest counts in its label summary (e.g. ``cf-real-lifecycle``), and
``ctest_cost = <seconds>`` (default 0): about how long each of its tests takes when it is among the
slowest. ctest starts the costliest tests first, so a long one does not start last and hold up the
end of a parallel run; a build tree that has run the tests before also orders by their own times
(Testing/Temporary/CTestCostData.txt) where no cost is set. ``ctest_resource_lock = "<name>"``:
ctest runs no two tests holding the same name at once, for a class whose first test makes what
the others reuse from the test cache, so the others do not each take a parallel slot just to wait
for it."""

import sys
import unittest
from pathlib import Path


def iter_cases(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from iter_cases(item)
        else:
            yield item


def main() -> int:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    loader = unittest.TestLoader()
    suite = loader.discover(str(here), pattern="test_*.py", top_level_dir=str(here))
    if loader.errors:
        for error in loader.errors:
            print(error, file=sys.stderr)
        return 1
    for case in iter_cases(suite):
        serial = "TRUE" if getattr(case, "ctest_run_serial", False) else "FALSE"
        timeout = int(getattr(case, "ctest_timeout", 180))
        labels = ",".join(("integration", *getattr(case, "ctest_labels", ())))
        cost = float(getattr(case, "ctest_cost", 0))
        lock = getattr(case, "ctest_resource_lock", None) or "-"
        print(f"{case.id()} {serial} {timeout} {labels} {cost:g} {lock}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

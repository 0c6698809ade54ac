"""The loop the Python-run drivers share: run each named scenario, record its outcome, print the
JSON object integration/test_client_matrix.py reads."""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping


def run_and_print(names: str, scenarios: Mapping[str, Callable[[Any, str], dict]], client: Any, prefix: str,
                  describe: Callable[[BaseException], str]) -> None:
    """Run the comma list ``names`` with ``client``, each under its own key prefix, and print
    {"<scenario>": {"ok": ..., "detail"|"error": ...}}."""
    results: dict[str, dict] = {}
    for name in names.split(","):
        run = scenarios.get(name)
        if run is None:
            results[name] = {"ok": False, "error": "no such scenario in this driver"}
            continue
        try:
            results[name] = {"ok": True, "detail": run(client, f"{prefix}{name}/")}
        except Exception as error:  # the outcome is the result, whatever the client raised
            results[name] = {"ok": False, "error": describe(error)}
    print(json.dumps(results))

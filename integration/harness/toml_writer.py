"""A small TOML writer (``tomllib`` only reads): plan files, layer metadata, buildpack.toml parts.

Scalars, arrays and inline tables are supported; nested dicts become ``[tables]`` and
lists of dicts become ``[[arrays of tables]]``.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import Any, Mapping, Sequence

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def dumps(data: Mapping[str, Any]) -> str:
    """Return ``data`` as a TOML document."""
    lines: list[str] = []
    _write_body(lines, [], data)
    return "\n".join(lines).strip("\n") + "\n" if lines else ""


def table_text(path: Sequence[str], table: Mapping[str, Any]) -> str:
    """Return ``table`` under the header ``[path]`` (parents are not written)."""
    lines = [f"[{_dotted(path)}]"]
    _write_body(lines, list(path), table)
    return "\n".join(lines) + "\n"


def array_of_tables_text(path: Sequence[str], items: Sequence[Mapping[str, Any]]) -> str:
    """Return ``items`` as ``[[path]]`` tables (parents are not written)."""
    lines: list[str] = []
    for item in items:
        lines += ["", f"[[{_dotted(path)}]]"]
        _write_body(lines, list(path), item)
    return "\n".join(lines).lstrip("\n") + "\n"


def value_text(value: Any) -> str:
    """Return one TOML value (string, number, boolean, datetime, array or inline table)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML: {value!r}")


def _write_body(lines: list[str], path: list[str], table: Mapping[str, Any]) -> None:
    subtables = {k: v for k, v in table.items() if isinstance(v, Mapping)}
    arrays = {k: v for k, v in table.items() if _is_array_of_tables(v)}
    for key, value in table.items():
        if key not in subtables and key not in arrays:
            lines.append(f"{_key(key)} = {value_text(value)}")
    for key, value in subtables.items():
        lines += ["", f"[{_dotted(path + [key])}]"]
        _write_body(lines, path + [key], value)
    for key, items in arrays.items():
        for item in items:
            lines += ["", f"[[{_dotted(path + [key])}]]"]
            _write_body(lines, path + [key], item)


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _dotted(path: Sequence[str]) -> str:
    return ".".join(_key(part) for part in path)

"""What the lifecycle leaves in ``<layers>`` between two builds (docs/contracts.md, "CNB: layers between builds").

By the previous build's ``[types]``: launch-only layers keep their ``<L>.toml`` (only
``[metadata]``, after a JSON round trip) but lose ``<L>/``; cache layers keep both
(``[types]`` dropped); anything else disappears. SBOMs of kept layers stay;
``launch.toml`` and ``build.toml`` go.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any, Iterable

from .toml_writer import dumps

LAYER_SBOM = re.compile(r"^(?P<layer>.+)\.sbom\.[^.]+\.json$")


def json_round_trip(metadata: Any, int_to_float: bool = False) -> Any:
    """Return ``metadata`` as it comes back from the lifecycle's JSON label or cache file.

    Datetimes become strings; with ``int_to_float`` integers become floats, as Go's
    ``encoding/json`` decodes numbers into ``interface{}``.
    """
    text = json.dumps(metadata, default=_json_default)
    return json.loads(text, parse_int=float if int_to_float else int)


def restore_layers(layers_dir: Path, int_to_float: bool = False, drop_contents: Iterable[str] = ()) -> None:
    """Turn the output of a build in ``layers_dir`` into what the next build finds there.

    ``drop_contents`` names cache layers whose directory is removed while their metadata
    stays (as when the cache and the image disagree).
    """
    layers_dir = Path(layers_dir)
    drop = set(drop_contents)
    kept: set[str] = set()
    for toml_path in sorted(layers_dir.glob("*.toml")):
        name = toml_path.stem
        if name in ("launch", "build"):
            toml_path.unlink()
            continue
        data = _read_toml(toml_path)
        metadata = json_round_trip(data.get("metadata", {}), int_to_float) if data is not None else {}
        if name == "store":
            toml_path.write_text(dumps({"metadata": metadata}) if metadata else "")
            continue
        types = (data or {}).get("types") or {}
        launch, build, cache = (types.get(key) is True for key in ("launch", "build", "cache"))
        if data is not None and (cache or (launch and not build)):
            toml_path.write_text(dumps({"metadata": metadata}) if metadata else "")
            kept.add(name)
            if not cache or name in drop:
                _remove(layers_dir / name)
        else:
            toml_path.unlink()
    for entry in layers_dir.iterdir():
        if not _survives(entry, kept):
            _remove(entry)


def _survives(entry: Path, kept: set[str]) -> bool:
    if entry.name in ("store.toml",) or entry.name in {f"{name}.toml" for name in kept}:
        return True
    if entry.is_dir() and not entry.is_symlink():
        return entry.name in kept
    sbom = LAYER_SBOM.match(entry.name)
    return bool(sbom) and sbom.group("layer") in kept


def _read_toml(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _json_default(value: Any) -> str:
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)

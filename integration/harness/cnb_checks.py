"""Checks of a build's output against the CNB contract (docs/contracts.md, "CNB: what a build leaves in <layers>").

Two are adapted: our only process, ``etcd-proxy``, is a sidecar with ``default =
false``, so at most one process may be the default; and the process is
``etcd-proxy`` and its ``command[0]`` must resolve to an executable in a launch layer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping, Sequence

FORBIDDEN_LAYER_NAMES = ("build", "launch", "store")
SPECIAL_TOMLS = ("launch", "build", "store")
TYPE_KEYS = ("launch", "build", "cache")
SBOM_MEDIA_TYPES = {"cdx.json": "application/vnd.cyclonedx+json", "spdx.json": "application/spdx+json",
                    "syft.json": "application/vnd.syft+json"}
_SBOM_NAME = re.compile(r"^(?P<layer>.+)\.sbom\.(?P<ext>cdx\.json|spdx\.json|syft\.json)$")
_PROCESS_TYPE = re.compile(r"^[A-Za-z0-9._-]+$")
_ENV_FILE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.(override|default|prepend|append|delim))?$")


def layer_types(layer_toml: Mapping[str, Any]) -> dict[str, bool]:
    """Return ``{launch, build, cache}`` of a parsed ``<L>.toml`` (missing = False)."""
    types = layer_toml.get("types") or {}
    return {key: types.get(key) is True for key in TYPE_KEYS}


def build_problems(layers_dir: Path, layer_tomls: Mapping[str, dict], toml_errors: Mapping[str, str],
                   launch_toml: dict | None, launch_layer_dirs: Sequence[Path], sbom_formats: Sequence[str],
                   process_type: str = "etcd-proxy") -> list[str]:
    """Return one line per contract violation in ``layers_dir`` (empty when all is well)."""
    problems = [f"{name}.toml does not parse: {error}" for name, error in sorted(toml_errors.items())]
    problems += [f"layer directory named {name!r} is forbidden"
                 for name in FORBIDDEN_LAYER_NAMES if (layers_dir / name).is_dir()]
    for name, data in sorted(layer_tomls.items()):
        problems += _layer_toml_problems(name, data)
    problems += _etcd_layer_problems(layer_tomls.get("etcd"))
    problems += _launch_toml_problems(launch_toml, launch_layer_dirs, process_type)
    for name in sorted(layer_tomls):
        if (layers_dir / name).is_dir():
            problems += _env_problems(layers_dir / name)
    problems += _sbom_problems(layers_dir, layer_tomls, sbom_formats)
    return problems


def _layer_toml_problems(name: str, data: Mapping[str, Any]) -> list[str]:
    problems = [f"{name}.toml: type key {key!r} at top level (belongs under [types])"
                for key in TYPE_KEYS if key in data]
    types = data.get("types", {})
    if not isinstance(types, dict):
        return problems + [f"{name}.toml: [types] is not a table"]
    problems += [f"{name}.toml: unknown type key {key!r}" for key in types if key not in TYPE_KEYS]
    problems += [f"{name}.toml: types.{key} is not a boolean" for key, value in types.items()
                 if key in TYPE_KEYS and not isinstance(value, bool)]
    return problems


def _etcd_layer_problems(data: Mapping[str, Any] | None) -> list[str]:
    if data is None:
        return ["etcd.toml is missing"]
    problems = [] if layer_types(data)["launch"] else ["etcd.toml: types.launch is not true"]
    metadata = data.get("metadata", {})
    problems += [f"etcd.toml: metadata.{key} is missing" for key in ("version", "sha256", "arch")
                 if key not in metadata]
    problems += [f"etcd.toml: metadata.{key} is {type(value).__name__}, not a string"
                 for key, value in metadata.items() if not isinstance(value, str)]
    return problems


def _launch_toml_problems(launch: dict | None, layer_dirs: Sequence[Path], process_type: str) -> list[str]:
    if launch is None:
        return ["launch.toml is missing"]
    processes = launch.get("processes", [])
    types = [p.get("type") for p in processes]
    problems = [f"launch.toml: process type {t!r} is invalid" for t in types
                if not isinstance(t, str) or not _PROCESS_TYPE.match(t)]
    problems += [f"launch.toml: process type {t!r} appears twice" for t in set(types) if types.count(t) > 1]
    if sum(1 for p in processes if p.get("default") is True) > 1:
        problems.append("launch.toml: more than one default process")
    problems += [f"launch.toml: process {p.get('type')!r} has a non-boolean default" for p in processes
                 if "default" in p and not isinstance(p["default"], bool)]
    problems += [f"launch.toml: process {p.get('type')!r} uses the removed key 'direct'"
                 for p in processes if "direct" in p]
    wanted = [p for p in processes if p.get("type") == process_type]
    if not wanted:
        return problems + [f"launch.toml: no process of type {process_type!r}"]
    return problems + _process_problems(wanted[0], layer_dirs)


def _process_problems(process: Mapping[str, Any], layer_dirs: Sequence[Path]) -> list[str]:
    command, args = process.get("command"), process.get("args", [])
    if not isinstance(command, list) or not command or not all(isinstance(c, str) for c in command):
        return [f"launch.toml: command {command!r} is not a non-empty array of strings"]
    problems = [] if isinstance(args, list) and all(isinstance(a, str) for a in args) else [
        f"launch.toml: args {args!r} is not an array of strings"]
    executable = command[0]
    candidates = [Path(executable)] if "/" in executable else [d / "bin" / executable for d in layer_dirs]
    if not any(c.is_file() and c.stat().st_mode & 0o111 for c in candidates):
        problems.append(f"launch.toml: command {executable!r} is not an executable in a launch layer's bin/")
    return problems


def _env_problems(layer_dir: Path) -> list[str]:
    problems = []
    for env_dir in sorted(p for p in layer_dir.glob("env*") if p.is_dir()):
        for directory in [env_dir] + sorted(p for p in env_dir.iterdir() if p.is_dir()):
            problems += _env_dir_problems(directory, layer_dir)
    return problems


def _env_dir_problems(directory: Path, layer_dir: Path) -> list[str]:
    problems = []
    for path in sorted(p for p in directory.iterdir() if not p.is_dir()):
        where = path.relative_to(layer_dir.parent)
        if not _ENV_FILE.match(path.name):
            problems.append(f"env file {where}: invalid name or suffix")
            continue
        if path.read_bytes().endswith(b"\n"):
            problems.append(f"env file {where}: value ends with a newline")
        name, _, action = path.name.partition(".")
        if action in ("prepend", "append") and not (directory / f"{name}.delim").is_file():
            problems.append(f"env file {where}: {action} without {name}.delim")
    return problems


def _sbom_problems(layers_dir: Path, layer_tomls: Mapping[str, dict], formats: Sequence[str]) -> list[str]:
    problems = []
    for path in sorted(layers_dir.glob("*.sbom.*")):
        match = _SBOM_NAME.match(path.name)
        if not match:
            problems.append(f"{path.name}: not a *.sbom.(cdx|spdx|syft).json name")
            continue
        if SBOM_MEDIA_TYPES[match.group("ext")] not in formats:
            problems.append(f"{path.name}: format not declared in buildpack.toml sbom-formats")
        layer = match.group("layer")
        if layer not in SPECIAL_TOMLS and layer not in layer_tomls:
            problems.append(f"{path.name}: no {layer}.toml beside it")
        try:
            json.loads(path.read_text())
        except (ValueError, UnicodeDecodeError) as error:
            problems.append(f"{path.name}: invalid JSON: {error}")
    return problems + _cyclonedx_problems(layers_dir, layer_tomls.get("etcd"))


def _cyclonedx_problems(layers_dir: Path, etcd_toml: Mapping[str, Any] | None) -> list[str]:
    path = layers_dir / "etcd.sbom.cdx.json"
    if not path.is_file():
        return ["etcd.sbom.cdx.json is missing"]
    version = (etcd_toml or {}).get("metadata", {}).get("version")
    try:
        document = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        return []  # already reported
    components = list(document.get("components") or [])
    if isinstance(document.get("metadata", {}).get("component"), dict):
        components.append(document["metadata"]["component"])
    if not any(c.get("name") == "etcd" and c.get("version") == version for c in components):
        return [f"etcd.sbom.cdx.json: no component etcd at version {version!r}"]
    return []

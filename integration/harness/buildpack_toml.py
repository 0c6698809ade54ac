"""Test copies of the buildpack directory with the dependencies a test needs.

``make_test_buildpack`` copies ``buildpack.toml`` and ``bin/`` (hard links where
possible, so executables see their own path; symlinks stay symlinks) and rewrites the
``[[metadata.dependencies]]`` tables and ``[metadata.default-versions]``. The rest of
``buildpack.toml`` is kept byte for byte; the result is checked to parse and to differ
from the original only in those tables.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import quote, urlsplit

from . import config
from .tarballs import sha256_hex
from .toml_writer import array_of_tables_text, table_text

DEPENDENCIES = ("metadata", "dependencies")
DEFAULT_VERSIONS = ("metadata", "default-versions")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*(\]\]?)\s*(#.*)?$")


def read_buildpack_toml(buildpack_dir: Path) -> dict[str, Any]:
    """Return the parsed ``buildpack.toml`` of ``buildpack_dir``."""
    return tomllib.loads((Path(buildpack_dir) / "buildpack.toml").read_text())


def purl_encode(value: str) -> str:
    """A purl qualifier value, percent-encoded as purl-spec's canonical form has it (':' stays)."""
    return quote(value, safe=":")


def make_dependency(version: str, uri: str, sha256: str, arch: str = "amd64", **overrides: Any) -> dict[str, Any]:
    """Return a ``[[metadata.dependencies]]`` entry for etcd ``version`` shaped like the real ones.

    ``overrides`` replace or add keys (e.g. ``os="windows"``, ``deprecation_date=...``).
    """
    entry: dict[str, Any] = {
        "id": "etcd",
        "name": "etcd",
        "version": version,
        "uri": uri,
        "sha256": sha256,
        "os": "linux",
        "arch": arch,
        "strip-components": 1,
        "purl": f"pkg:generic/etcd@{version}?arch={arch}&download_url={purl_encode(uri)}",
        "cpes": [f"cpe:2.3:a:etcd:etcd:{version}:*:*:*:*:*:*:*"],
        "source": f"https://github.com/etcd-io/etcd/archive/refs/tags/v{version}.tar.gz",
        "licenses": [{"type": "Apache-2.0", "uri": "https://github.com/etcd-io/etcd/blob/main/LICENSE"}],
    }
    entry.update(overrides)
    return entry


def make_test_buildpack(dest_dir: Path, dependencies: Sequence[Mapping[str, Any]] | None = None,
                        default_version: str | None = None, source_dir: Path | None = None) -> Path:
    """Copy the buildpack (``source_dir``, default ``ETCDPROXY_BUILDPACK_DIR``) to ``dest_dir``.

    ``dependencies`` (when given) replaces every ``[[metadata.dependencies]]`` entry and
    ``default_version`` sets ``[metadata.default-versions] etcd``. Returns ``dest_dir``.
    """
    source = Path(source_dir or config.buildpack_dir())
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    text = (source / "buildpack.toml").read_text()
    if dependencies is not None or default_version is not None:
        text = rewrite_buildpack_toml(text, dependencies, default_version)
    (dest / "buildpack.toml").write_text(text)
    if (source / "bin").is_dir():
        shutil.copytree(source / "bin", dest / "bin", symlinks=True, copy_function=_link_or_copy,
                        dirs_exist_ok=True)
    return dest


def rewrite_buildpack_toml(text: str, dependencies: Sequence[Mapping[str, Any]] | None = None,
                           default_version: str | None = None) -> str:
    """Return ``text`` with its dependency tables and/or default etcd version replaced."""
    original = tomllib.loads(text)
    dropped = set()
    if dependencies is not None:
        dropped.add(DEPENDENCIES)
    if default_version is not None:
        dropped.add(DEFAULT_VERSIONS)
    kept = "".join(block for header, block in _blocks(text) if not _is_within(header, dropped))
    parts = [kept.rstrip("\n") + "\n"]
    if default_version is not None:
        defaults = dict(original.get("metadata", {}).get("default-versions", {}), etcd=default_version)
        parts.append("\n" + table_text(DEFAULT_VERSIONS, defaults))
    if dependencies:
        parts.append("\n" + array_of_tables_text(DEPENDENCIES, dependencies))
    result = "".join(parts)
    _check_only_expected_changes(original, tomllib.loads(result), dropped)
    return result


def offline_dependencies(buildpack_dir: Path, dependency: Mapping[str, Any], tarball: bytes) -> Path:
    """Write ``tarball`` where an offline package keeps it: ``dependencies/<sha256>/<basename of uri>``."""
    name = os.path.basename(urlsplit(dependency["uri"]).path)
    if sha256_hex(tarball) != dependency["sha256"]:
        raise ValueError(f"tarball sha256 {sha256_hex(tarball)} differs from the entry's {dependency['sha256']}")
    path = Path(buildpack_dir) / "dependencies" / dependency["sha256"] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tarball)
    return path


def _blocks(text: str) -> list[tuple[tuple[str, ...], str]]:
    """Split TOML text at table headers: ``[(header path, text)]``; the preamble has path ``()``."""
    blocks: list[tuple[tuple[str, ...], list[str]]] = [((), [])]
    in_multiline: str | None = None
    for line in text.splitlines(keepends=True):
        match = _HEADER.match(line) if in_multiline is None else None
        if match and len(match.group(1)) == len(match.group(3)):
            blocks.append((tuple(part.strip().strip('"') for part in match.group(2).split(".")), [line]))
        else:
            blocks[-1][1].append(line)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1 and in_multiline in (None, quote):
                in_multiline = None if in_multiline else quote
    return [(header, "".join(lines)) for header, lines in blocks]


def _is_within(header: tuple[str, ...], prefixes: set[tuple[str, ...]]) -> bool:
    return any(header[: len(prefix)] == prefix for prefix in prefixes)


def _check_only_expected_changes(before: dict[str, Any], after: dict[str, Any],
                                 replaced: set[tuple[str, ...]]) -> None:
    def without(doc: dict[str, Any]) -> dict[str, Any]:
        metadata = {k: v for k, v in doc.get("metadata", {}).items()
                    if ("metadata", k) not in replaced}
        return {**doc, "metadata": metadata}

    if without(before) != without(after):
        raise ValueError("rewriting buildpack.toml changed more than the dependency tables: keep "
                         "[metadata.default-versions] and [[metadata.dependencies]] as tables, not inline")


def _link_or_copy(source: str, destination: str) -> str:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
    return destination

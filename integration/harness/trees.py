"""Directory tree fingerprints, for "left untouched" and "nothing written" assertions.

A snapshot maps each relative path to a description of the entry: type, permission
bits, file content hash or symlink target. Modification times and owners are ignored.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path


def snapshot(root: "str | os.PathLike[str]") -> dict[str, str]:
    """Return ``{relative path: description}`` for ``root`` (as ``"."``) and everything under it."""
    root = Path(root)
    entries: dict[str, str] = {".": _describe(root, os.lstat(root))}
    _walk(root, "", entries)
    return entries


def tree_hash(root: "str | os.PathLike[str]") -> str:
    """Return a sha256 over the snapshot of ``root``: equal hashes mean equal trees."""
    digest = hashlib.sha256()
    for path, description in sorted(snapshot(root).items()):
        digest.update(f"{path}\0{description}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def list_files(root: "str | os.PathLike[str]") -> list[str]:
    """Return every entry under ``root`` as a sorted relative path; directories end with ``/``."""
    return sorted(path + "/" if description.startswith("dir ") else path
                  for path, description in snapshot(root).items() if path != ".")


def diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Return readable differences between two snapshots (``+`` added, ``-`` removed, ``~`` changed)."""
    changes = [f"- {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"+ {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"~ {p}: {before[p]} -> {after[p]}" for p in sorted(before.keys() & after.keys())
                if before[p] != after[p]]
    return changes


def _walk(directory: Path, prefix: str, entries: dict[str, str]) -> None:
    with os.scandir(directory) as scan:
        children = sorted(scan, key=lambda e: e.name)
    for child in children:
        relative = prefix + child.name
        info = child.stat(follow_symlinks=False)
        entries[relative] = _describe(Path(child.path), info)
        if stat.S_ISDIR(info.st_mode):
            _walk(Path(child.path), relative + "/", entries)


def _describe(path: Path, info: os.stat_result) -> str:
    mode = f"{stat.S_IMODE(info.st_mode):04o}"
    if stat.S_ISLNK(info.st_mode):
        return f"link -> {os.readlink(path)}"
    if stat.S_ISDIR(info.st_mode):
        return f"dir {mode}"
    if stat.S_ISREG(info.st_mode):
        return f"file {mode} {_file_sha256(path)}"
    return f"special {stat.S_IFMT(info.st_mode):o} {mode}"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()

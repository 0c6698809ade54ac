"""Service bindings in the servicebinding.io layout, flat or projected like Kubernetes does.

The Kubernetes projection puts the files in a timestamped ``..<date>`` directory, points
``..data`` at it, and makes each entry a symlink ``name -> ..data/name``; readers must
skip dotfiles and follow symlinks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

K8S_DATA_DIR = "..2024_01_01_00_00_00.000000001"


def write_binding(root: Path, name: str, binding_type: str, entries: Mapping[str, "str | bytes"],
                  k8s_layout: bool = False) -> Path:
    """Write binding ``name`` under ``root`` with a ``type`` file and ``entries`` (written verbatim)."""
    binding = Path(root) / name
    files: dict[str, str | bytes] = {"type": binding_type, **entries}
    target = binding / K8S_DATA_DIR if k8s_layout else binding
    target.mkdir(parents=True, exist_ok=True)
    for entry, value in files.items():
        data = value.encode() if isinstance(value, str) else value
        (target / entry).write_bytes(data)
    if k8s_layout:
        (binding / "..data").symlink_to(K8S_DATA_DIR)
        for entry in files:
            (binding / entry).symlink_to(f"..data/{entry}")
    return binding

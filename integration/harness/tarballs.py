"""Release tarballs for tests: real ones built from Debian's etcd (3.4 or 3.5), tiny fakes, malicious ones.

All are reproducible (sorted entries, mtime 0, uid/gid 0, gzip header without name or
time) and use the upstream layout: one top directory ``etcd-v<version>-linux-<arch>/``.
The real one is cached under ``ETCDPROXY_TEST_CACHE`` (see ``cache.py``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import secrets
import shlex
import tarfile
from pathlib import Path
from typing import IO, Callable, Mapping

from . import config, etcd_builds
from .cache import cached_file

MALICIOUS_KINDS = ("dotdot", "absolute", "escaping_symlink", "absolute_symlink", "symlink_write_through",
                   "escaping_hardlink", "device", "fifo", "no_etcd", "etcd_is_symlink", "corrupt_gzip",
                   "truncated")
"""Kinds accepted by ``malicious_tarball``."""

_BUILDER_VERSION = "1"  # bump when the layout of debian_etcd_release changes, to renew the cache


class TarWriter:
    """Writes a reproducible .tar.gz: entries are added in order (callers sort), metadata zeroed."""

    def __init__(self, target: IO[bytes], level: int = 6) -> None:
        self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=target, compresslevel=level, mtime=0)
        self._tar = tarfile.open(fileobj=self._gzip, mode="w", format=tarfile.PAX_FORMAT)

    def __enter__(self) -> "TarWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self._tar.close()
        self._gzip.close()

    def directory(self, name: str, mode: int = 0o755) -> None:
        """Add a directory entry."""
        self._add(self._info(name, tarfile.DIRTYPE, mode))

    def file(self, name: str, data: bytes, mode: int = 0o644) -> None:
        """Add a regular file holding ``data``."""
        info = self._info(name, tarfile.REGTYPE, mode)
        info.size = len(data)
        self._add(info, io.BytesIO(data))

    def file_from(self, name: str, source: Path, mode: int = 0o755) -> None:
        """Add a regular file streamed from ``source``."""
        info = self._info(name, tarfile.REGTYPE, mode)
        info.size = source.stat().st_size
        with open(source, "rb") as stream:
            self._add(info, stream)

    def symlink(self, name: str, target: str) -> None:
        """Add a symbolic link ``name -> target``."""
        info = self._info(name, tarfile.SYMTYPE, 0o777)
        info.linkname = target
        self._add(info)

    def hardlink(self, name: str, target: str) -> None:
        """Add a hard link ``name`` to the archive member (or path) ``target``."""
        info = self._info(name, tarfile.LNKTYPE, 0o644)
        info.linkname = target
        self._add(info)

    def special(self, name: str, kind: bytes, major: int = 0, minor: int = 0) -> None:
        """Add a device or FIFO entry (``tarfile.CHRTYPE``, ``BLKTYPE`` or ``FIFOTYPE``)."""
        info = self._info(name, kind, 0o644)
        info.devmajor, info.devminor = major, minor
        self._add(info)

    @staticmethod
    def _info(name: str, kind: bytes, mode: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.type, info.mode, info.mtime = kind, mode, 0
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    def _add(self, info: tarfile.TarInfo, data: IO[bytes] | None = None) -> None:
        self._tar.addfile(info, data)


def build_tarball(write: Callable[[TarWriter], None], level: int = 6) -> bytes:
    """Return the bytes of a .tar.gz whose entries ``write`` adds to the given ``TarWriter``."""
    buffer = io.BytesIO()
    with TarWriter(buffer, level) as tar:
        write(tar)
    return buffer.getvalue()


def sha256_hex(data: "bytes | str | os.PathLike[str]") -> str:
    """Return the lowercase hex sha256 of ``data`` (bytes) or of the file at that path."""
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    with open(data, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def release_top_dir(version: str, arch: str = "amd64") -> str:
    """Return the upstream top directory name, ``etcd-v<version>-linux-<arch>``."""
    return f"etcd-v{version}-linux-{arch}"


def debian_etcd_version() -> str:
    """Return the version of /usr/bin/etcd (e.g. ``3.4.23``)."""
    return etcd_builds.installed().version


def debian_etcd_release(arch: str = "amd64", build: etcd_builds.EtcdBuild | None = None) -> Path:
    """Return the cached upstream-layout tarball of a real Debian etcd build (~14 MB).

    ``build`` defaults to the installed etcd (3.4); ``etcd_builds.etcd35()`` gives a 3.5 release
    (with ``etcdutl``, as upstream's 3.5 tarballs hold). The binaries are ``build``'s whatever
    ``arch`` says: ``arch`` only names the file (pass ``etcd_builds.etcd35("arm64")`` for arm64 ones).
    """
    build = build or etcd_builds.installed()
    version = build.version
    executables = [build.etcd, build.etcdctl] + ([build.etcdutl] if build.etcdutl else [])
    fingerprint = "|".join([_BUILDER_VERSION, arch] + [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                                                       for p in executables])
    name = f"{release_top_dir(version, arch)}.tar.gz"
    top = release_top_dir(version, arch)

    def write(target: IO[bytes]) -> None:
        with TarWriter(target) as tar:
            tar.directory(f"{top}/")
            tar.directory(f"{top}/Documentation/")
            tar.file(f"{top}/Documentation/README.md", _documentation(version))
            tar.file(f"{top}/README-etcdctl.md", b"# etcdctl\n\nThe etcd command line client.\n")
            tar.file(f"{top}/README.md", f"# etcd v{version}\n\nBuilt from Debian's etcd for tests.\n".encode())
            for executable in executables:
                tar.file_from(f"{top}/{executable.name}", executable)

    return cached_file(f"debian-etcd/{hashlib.sha256(fingerprint.encode()).hexdigest()[:16]}/{name}", write)


def fake_etcd_script(version: str, arch: str = "amd64") -> bytes:
    """Return a ``#!/bin/sh`` stand-in for etcd.

    ``etcd --version`` prints what the real one does. Any other call writes its
    arguments, one per line, to ``$FAKE_ETCD_ARGV_FILE`` (when set), says so on stderr
    and exits 0.
    """
    return _script("etcd", version, f"etcd Version: {version}\nGit SHA: fake\nGo Version: go1.0\n"
                                    f"Go OS/Arch: linux/{arch}\n")


def fake_etcdctl_script(version: str) -> bytes:
    """Return a ``#!/bin/sh`` stand-in for etcdctl (``etcdctl version`` works)."""
    return _script("etcdctl", version, f"etcdctl version: {version}\nAPI version: {_api_version(version)}\n")


def fake_etcd_release(version: str, arch: str = "amd64",
                      extra_files: Mapping[str, "bytes | tuple[bytes, int]"] | None = None) -> bytes:
    """Return a tiny upstream-layout tarball whose binaries are ``#!/bin/sh`` scripts.

    It holds ``etcd``, ``etcdctl`` (and ``etcdutl`` from 3.5 on, as upstream does),
    READMEs and ``Documentation/``. ``extra_files`` maps paths relative to the top
    directory to bytes (mode 0644) or ``(bytes, mode)``.
    """
    top = release_top_dir(version, arch)
    files: dict[str, tuple[bytes, int]] = {
        "README.md": (f"# etcd v{version} (fake)\n".encode(), 0o644),
        "README-etcdctl.md": (b"# etcdctl (fake)\n", 0o644),
        "Documentation/README.md": (_documentation(version), 0o644),
        "etcd": (fake_etcd_script(version, arch), 0o755),
        "etcdctl": (fake_etcdctl_script(version), 0o755),
    }
    if _at_least(version, (3, 5)):
        files["etcdutl"] = (_script("etcdutl", version, f"etcdutl version: {version}\n"
                                                        f"API version: {_api_version(version)}\n"), 0o755)
    for name, value in (extra_files or {}).items():
        files[name] = value if isinstance(value, tuple) else (value, 0o644)

    directories = sorted({parent for name in files for parent in _parents(name)})

    def write(tar: TarWriter) -> None:
        tar.directory(f"{top}/")
        for name in sorted(directories + list(files)):
            if name in files:
                tar.file(f"{top}/{name}", *files[name])
            else:
                tar.directory(f"{top}/{name}/")

    return build_tarball(write)


def malicious_tarball(kind: str, version: str = "3.6.14", arch: str = "amd64",
                      evil_name: str | None = None) -> bytes:
    """Return a tarball whose only fault is ``kind`` (one of ``MALICIOUS_KINDS``).

    Apart from the fault each is a valid release with a working fake ``etcd``. Entries
    that point outside use ``evil_name`` (default ``evil-<random hex>``): ``dotdot``
    writes ``<top>/../../<evil_name>``, ``absolute`` writes ``/tmp/<evil_name>``,
    ``symlink_write_through`` writes ``<top>/link/<evil_name>`` through ``link -> /tmp``,
    so a test can check that file was not created.
    """
    if kind not in MALICIOUS_KINDS:
        raise ValueError(f"unknown malicious tarball kind {kind!r}; known: {', '.join(MALICIOUS_KINDS)}")
    if kind == "corrupt_gzip":
        return _corrupt_gzip()
    if kind == "truncated":
        whole = fake_etcd_release(version, arch, {"padding.bin": (_incompressible(64 * 1024), 0o644)})
        return whole[: len(whole) // 2]
    top = release_top_dir(version, arch)
    evil = evil_name or f"evil-{secrets.token_hex(6)}"
    etcd = fake_etcd_script(version, arch)

    def write(tar: TarWriter) -> None:
        tar.directory(f"{top}/")
        if kind == "etcd_is_symlink":
            tar.symlink(f"{top}/etcd", str(config.ETCD_BIN))
        elif kind != "no_etcd":
            tar.file(f"{top}/etcd", etcd, 0o755)
        _add_fault(tar, kind, top, evil)
        tar.file(f"{top}/etcdctl", fake_etcdctl_script(version), 0o755)

    return build_tarball(write)


def _add_fault(tar: TarWriter, kind: str, top: str, evil: str) -> None:
    payload = b"written outside the extraction directory\n"
    if kind == "dotdot":
        tar.file(f"{top}/../../{evil}", payload)
    elif kind == "absolute":
        tar.file(f"/tmp/{evil}", payload)
    elif kind == "escaping_symlink":
        tar.symlink(f"{top}/link", "../../..")
    elif kind == "absolute_symlink":
        tar.symlink(f"{top}/link", "/etc")
    elif kind == "symlink_write_through":
        tar.symlink(f"{top}/link", "/tmp")
        tar.file(f"{top}/link/{evil}", payload)
    elif kind == "escaping_hardlink":
        tar.hardlink(f"{top}/passwd", "../../../../../../etc/passwd")
    elif kind == "device":
        tar.special(f"{top}/null", tarfile.CHRTYPE, 1, 3)
    elif kind == "fifo":
        tar.special(f"{top}/fifo", tarfile.FIFOTYPE)


def _script(program: str, version: str, version_text: str) -> bytes:
    return (
        "#!/bin/sh\n"
        f"# Fake {program} {version} for etcd-proxy buildpack tests.\n"
        'if [ "${1:-}" = "--version" ] || [ "${1:-}" = "version" ]; then\n'
        f"  printf '%s' {shlex.quote(version_text)}\n"
        "  exit 0\n"
        "fi\n"
        'if [ -n "${FAKE_ETCD_ARGV_FILE:-}" ]; then\n'
        "  printf '%s\\n' \"$@\" > \"$FAKE_ETCD_ARGV_FILE\"\n"
        "fi\n"
        f"echo \"fake {program} {version}: $*\" >&2\n"
        "exit 0\n"
    ).encode()


def _api_version(version: str) -> str:
    match = re.match(r"(\d+\.\d+)", version)
    return match.group(1) if match else version


def _documentation(version: str) -> bytes:
    return f"# etcd v{version} documentation\n\nSee https://etcd.io/docs/.\n".encode()


def _parents(name: str) -> list[str]:
    parts = name.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _at_least(version: str, floor: tuple[int, int]) -> bool:
    match = re.match(r"(\d+)\.(\d+)", version)
    return bool(match) and (int(match.group(1)), int(match.group(2))) >= floor


def _incompressible(size: int) -> bytes:
    """Deterministic bytes gzip cannot shrink (a sha256 chain)."""
    out, block = bytearray(), b"etcd-proxy"
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def _corrupt_gzip() -> bytes:
    """A valid gzip header followed by a deflate stream that is garbage."""
    header = bytes([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
    return header + bytes([0xFF, 0xFF]) + _incompressible(1024)

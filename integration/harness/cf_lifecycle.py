"""Cloud Foundry staging and launch through the REAL buildpack lifecycle (code.cloudfoundry.org/
buildpackapplifecycle ``builder`` and ``launcher``, in ``config.cf_lifecycle_dir()``), laid out as
Diego's staging and app containers are.

``CfLifecycle.stage`` runs ``builder`` with ``-buildpackOrder`` (admin buildpacks installed where
the builder looks for them, or zip URLs it downloads itself) and returns the droplet,
``result.json`` and the build-artifacts cache; ``stage(..., restage=previous)`` hands the builder
the previous staging's cache, as Diego does on a restage. ``CfLifecycle.container(droplet)``
extracts a droplet into a fresh home (``/home/vcap`` in Cloud Foundry) whose ``start`` and ``run``
go through ``launcher``: the start command from ``staging_info.yml``, or the command given (a
sidecar's from ``result.json``).

Layout under ``root``: ``buildpacks/``, ``downloads/``, ``stage-<n>/{app,cache,home,tmp,out}``,
``home-<n>/`` (an extracted droplet) and ``logs/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from . import config, launch_record
from .cf_stager import CONTAINER_PATH
from .processes import LoggedPopen, RunResult, merge_env, run, spawn, stop_process

FINAL_BUILDPACK = "tiny_final"
"""The tool's minimal final buildpack (``final-buildpack/``), installed under this name."""

Env = Mapping[str, "str | None"]


def tools_present() -> bool:
    """True when the real builder, launcher and bppath are there and executable."""
    tools = config.cf_lifecycle_dir()
    return all(os.access(tools / "bin" / name, os.X_OK) for name in ("builder", "launcher", "bppath"))


def require_tools() -> Path:
    """Return the tool directory, or end the test: a skip, a failure under ``CI=true``."""
    tools = config.cf_lifecycle_dir()
    if not tools_present():
        config.missing_prerequisite(f"the real Cloud Foundry lifecycle is not at {tools} (bin/builder, bin/launcher, "
                                    f"bin/bppath); set ETCDPROXY_CF_LIFECYCLE_DIR")
    return tools


def vcap_application(name: str = "my-app") -> str:
    """A ``VCAP_APPLICATION`` shaped like Cloud Controller's (the fields the lifecycle reads)."""
    return json.dumps({"application_name": name, "name": name, "application_id": "0c1d0c1d-0000-4000-8000-000000000001",
                       "space_name": "dev", "organization_name": "org", "limits": {"mem": 256, "disk": 1024},
                       "application_uris": [f"{name}.example.com"], "uris": [f"{name}.example.com"]})


@dataclass
class Staging:
    """One run of the real builder: its output and what it wrote."""

    result: RunResult
    out_dir: Path
    order: list[str]

    @property
    def ok(self) -> bool:
        return self.result.code == 0

    @property
    def droplet(self) -> Path:
        return self.out_dir / "droplet.tgz"

    @property
    def artifacts_cache(self) -> Path:
        return self.out_dir / "cache.tgz"

    @property
    def metadata(self) -> dict[str, Any]:
        """``result.json``: process_types, sidecars and the buildpacks' names and versions."""
        return json.loads((self.out_dir / "result.json").read_text())

    def sidecars(self) -> list[dict[str, Any]]:
        return self.metadata.get("sidecars") or []

    def droplet_names(self) -> list[str]:
        """Every path in the droplet, as ``tar -t`` lists it (``./app/…``, ``./deps/0/…``)."""
        listing = subprocess.run(["tar", "-tzf", str(self.droplet)], capture_output=True, text=True, check=True)
        return listing.stdout.splitlines()


@dataclass
class Container:
    """An extracted droplet: ``home`` holds ``app``, ``deps``, ``profile.d``, ``staging_info.yml``."""

    lifecycle: "CfLifecycle"
    home: Path
    base_env: dict[str, str] = field(default_factory=dict)

    def deps_dir(self) -> Path:
        return self.home / "deps"

    def environment(self, env: Env | None = None) -> dict[str, str]:
        """What Diego gives the launcher (the launcher itself sets HOME, TMPDIR and DEPS_DIR)."""
        return _with_instrumentation(merge_env(self.base_env, env))

    def argv(self, command: str) -> list[str]:
        """``launcher app <command> ''``, as Diego runs it from the home directory."""
        return [str(self.lifecycle.tools / "bin" / "launcher"), "app", command, ""]

    def start(self, command: str = "", env: Env | None = None, name: str = "process") -> LoggedPopen:
        """Start ``command`` (empty: the droplet's start command) through the launcher."""
        launch_record.record("real CF launcher")
        self.lifecycle.process_count += 1
        log = self.lifecycle.root / "logs" / f"{name}-{self.lifecycle.process_count}.log"
        proc = spawn(self.argv(command), env=self.environment(env), cwd=self.home, log_path=log)
        self.lifecycle.launched.append(proc)
        return proc

    def run(self, command: str, env: Env | None = None, timeout: float = 30.0) -> RunResult:
        """Run a short ``command`` through the launcher to completion."""
        launch_record.record("real CF launcher")
        return run(self.argv(command), env=self.environment(env), cwd=self.home, timeout=timeout)


class CfLifecycle:
    """Admin buildpacks, stagings and containers of one test, all under ``root``."""

    def __init__(self, root: Path, stack: str = "cflinuxfs4", app_name: str = "my-app") -> None:
        self.tools = require_tools()
        self.root = Path(root).resolve()
        self.stack = stack
        self.app_name = app_name
        self.buildpacks_dir = self.root / "buildpacks"
        self.downloads_dir = self.root / "downloads"
        for directory in (self.buildpacks_dir, self.downloads_dir, self.root / "logs"):
            directory.mkdir(parents=True, exist_ok=True)
        self.launched: list[LoggedPopen] = []
        self.process_count = 0
        self._stagings = 0
        self._homes = 0

    def __enter__(self) -> "CfLifecycle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every process a container started."""
        for proc in self.launched:
            stop_process(proc)

    # -- admin buildpacks ---------------------------------------------------------------------

    def buildpack_path(self, name: str) -> Path:
        """Where the builder looks for the admin buildpack ``name`` (its own rule, via ``bppath``)."""
        argv = [self.tools / "bin" / "bppath", self.buildpacks_dir, name]
        return Path(run(argv, env={"PATH": CONTAINER_PATH}, timeout=30).check().stdout.strip())

    def install_zip(self, name: str, archive: Path) -> Path:
        """Unzip a buildpack zip where the builder finds ``name``, keeping the modes it records."""
        dest = self.buildpack_path(name)
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                zipped.extract(info, dest)
                mode = (info.external_attr >> 16) & 0o777
                if mode:
                    (dest / info.filename).chmod(mode)
        return dest

    def install_dir(self, name: str, source: Path) -> Path:
        """Copy a buildpack directory where the builder finds ``name``."""
        dest = self.buildpack_path(name)
        shutil.copytree(source, dest, symlinks=True)
        return dest

    def install_final(self, name: str = FINAL_BUILDPACK, finalize: bool = True) -> Path:
        """The tool's final buildpack. ``finalize=False`` makes it an old-style one (``bin/compile``
        and ``bin/release``, no ``bin/finalize``), which copies no supplied ``profile.d`` script."""
        dest = self.install_dir(name, self.tools / "final-buildpack")
        if not finalize:
            (dest / "bin" / "finalize").unlink()
            (dest / "bin" / "supply").unlink()
            compile_script = dest / "bin" / "compile"
            compile_script.write_text("#!/bin/bash\necho \"-----> compile-only final buildpack\"\n")
            compile_script.chmod(0o755)
        return dest

    # -- staging ------------------------------------------------------------------------------

    def stage(self, order: Sequence[str], app: Path, env: Env | None = None, restage: Staging | None = None,
              skip_detect: bool = True, timeout: float = 180.0) -> Staging:
        """Run the builder on a fresh copy of ``app`` with ``order`` (buildpack names or zip URLs).

        ``restage`` gives the builder that staging's build-artifacts cache; ``env`` is the app's
        environment (``BP_…``, ``VCAP_SERVICES``), which Diego passes to staging."""
        self._stagings += 1
        launch_record.record("real CF builder")
        work = self.root / f"stage-{self._stagings}"
        build_dir, cache_dir, home, tmp, out = (work / d for d in ("app", "cache", "home", "tmp", "out"))
        shutil.copytree(app, build_dir, symlinks=True)
        for directory in (cache_dir, home, tmp, out):
            directory.mkdir(parents=True)
        if restage is not None:
            subprocess.run(["tar", "-xzf", str(restage.artifacts_cache), "-C", str(cache_dir)], check=True)
        base = {"PATH": CONTAINER_PATH, "HOME": str(home), "TMPDIR": str(tmp), "LANG": "en_US.UTF-8", "USER": "vcap",
                "CF_STACK": self.stack, "VCAP_APPLICATION": vcap_application(self.app_name), "VCAP_SERVICES": "{}",
                "MEMORY_LIMIT": "256m"}
        argv = [self.tools / "bin" / "builder", f"-buildDir={build_dir}", f"-buildpacksDir={self.buildpacks_dir}",
                f"-buildpacksDownloadDir={self.downloads_dir}", f"-buildArtifactsCacheDir={cache_dir}",
                f"-outputDroplet={out / 'droplet.tgz'}", f"-outputMetadata={out / 'result.json'}",
                f"-outputBuildArtifactsCache={out / 'cache.tgz'}", f"-skipDetect={'true' if skip_detect else 'false'}",
                f"-buildpackOrder={','.join(order)}"]
        result = run(argv, env=_with_instrumentation(merge_env(base, env)), cwd=home, timeout=timeout)
        return Staging(result, out, list(order))

    # -- launching ----------------------------------------------------------------------------

    def container(self, staging: Staging, env: Env | None = None) -> Container:
        """Extract ``staging``'s droplet into a fresh home; ``env`` is the app's run environment."""
        self._homes += 1
        home = self.root / f"home-{self._homes}"
        home.mkdir()
        subprocess.run(["tar", "-xzf", str(staging.droplet), "-C", str(home)], check=True)
        base = {"PATH": CONTAINER_PATH, "LANG": "en_US.UTF-8", "USER": "vcap",
                "VCAP_APPLICATION": vcap_application(self.app_name), "VCAP_SERVICES": "{}",
                "PORT": "8080", "INSTANCE_INDEX": "0", "INSTANCE_GUID": "0c1d0c1d-0000-4000-8000-0000000000ff"}
        return Container(self, home, merge_env(base, env))


def _with_instrumentation(env: dict[str, str]) -> dict[str, str]:
    instrumentation = {k: os.environ[k] for k in config.INSTRUMENTATION_VARS if k in os.environ}
    return instrumentation | env

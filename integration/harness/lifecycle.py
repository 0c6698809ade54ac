"""A CNB lifecycle emulator for one buildpack (Buildpack API 0.10, Platform API 0.12-ish).

It runs ``bin/detect`` and ``bin/build`` as the lifecycle does (docs/contracts.md, "CNB: detect and build"):
cwd = app, a scrubbed environment plus ``<platform>/env`` files, the ``CNB_*`` variables
and the positional arguments. Between builds ``restore`` does what the lifecycle's restorer does, and
``launch`` starts a process the way the launcher would (docs/contracts.md).

Directory layout under ``root_dir``::

    app/  platform/env/  platform/bindings/  layers/<escaped id>/  plans/  image/  logs/  tmp/

``image/`` emulates the previous image: after each successful build it receives a copy
of every launch-only layer directory, so a later launch-only reuse (no ``<L>/`` written)
can still be launched. ``launch`` uses ``layers/<escaped id>/<L>`` (the same paths as at
build time, as in a real image) and falls back to ``image/<L>`` only for such layers.
"""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Mapping, Sequence

from . import config
from .bindings import write_binding
from . import launch_record, launcher, real_lifecycle
from .cnb_checks import build_problems, layer_types
from .launcher import EXEC_D_TIMEOUT, LaunchError, LaunchPlan, read_env_value, write_spec
from .layer_restore import restore_layers
from .processes import LoggedPopen, RunResult, merge_env, run, spawn, stop_process
from .toml_writer import dumps

DEFAULT_BUILDPACK_ID = "etcdproxy/etcd-proxy"
APP_BUILDPACK = {"id": "tests/app", "version": "0.0.1", "api": "0.10"}
"""The buildpack that ``add_app_process`` stands for: a language buildpack after ours in the group."""
PASSTHROUGH_VARS = ("PATH", "LD_LIBRARY_PATH", "LIBRARY_PATH", "CPATH", "PKG_CONFIG_PATH", "HOME", "HOSTNAME",
                    "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy",
                    "CNB_STACK_ID")
"""What the lifecycle lets through from its own environment (env/build.go)."""
PATH_LIKE_VARS = ("PATH", "LD_LIBRARY_PATH", "LIBRARY_PATH", "CPATH", "PKG_CONFIG_PATH")
"""Platform env files for these are prepended with ``:``; all others override."""
DEFAULT_TIMEOUT = 120.0

Env = Mapping[str, "str | None"]


@dataclass
class DetectResult(RunResult):
    """A detect run: exit code, output and the plan it wrote (``plan`` is None if unparseable)."""

    plan: dict[str, Any] | None = None
    plan_text: str = ""
    plan_error: str | None = None


@dataclass
class BuildResult(RunResult):
    """A build run: exit code, output and the parsed files it left in ``layers_dir``."""

    layers_dir: Path = Path()
    launch_toml: dict[str, Any] | None = None
    layer_tomls: dict[str, dict[str, Any]] = field(default_factory=dict)
    toml_errors: dict[str, str] = field(default_factory=dict)
    export_error: str | None = None
    launch_layer_dirs: list[Path] = field(default_factory=list)
    sbom_formats: list[str] = field(default_factory=list)

    def validate(self, process_type: str = "etcd-proxy") -> None:
        """Assert the build output checks of cnb_checks.py (AssertionError lists all)."""
        problems = [] if self.code == 0 else [f"build exited {self.code}"]
        if self.export_error:
            problems.append(f"export would fail: {self.export_error}")
        problems += build_problems(self.layers_dir, self.layer_tomls, self.toml_errors, self.launch_toml,
                                   self.launch_layer_dirs, self.sbom_formats, process_type)
        if problems:
            raise AssertionError("build output breaks the CNB contract:\n  - " + "\n  - ".join(problems)
                                 + f"\n{self.describe()}")


class Lifecycle:
    """Runs one buildpack's phases against a private root directory (a context manager)."""

    def __init__(self, buildpack_dir: Path, root_dir: Path, app_fixture: Path | None = None,
                 buildpack_id: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 launcher_kind: str | None = None) -> None:
        self.buildpack_dir = Path(buildpack_dir).resolve()
        self.root = Path(root_dir).resolve()
        self.buildpack_id = buildpack_id or _read_buildpack_id(self.buildpack_dir)
        self.timeout = timeout
        self.launcher_kind = launcher_kind
        """``real``, ``emulator``, or None: ``real_lifecycle.launcher_kind()`` decides at launch."""
        self.app_dir = self.root / "app"
        self.platform_dir = self.root / "platform"
        self.layers_root = self.root / "layers"
        """``CNB_LAYERS_DIR`` of the image: one folder per buildpack, and ``config/`` after export."""
        self.layers_dir = self.layers_root / self.buildpack_id.replace("/", "_")
        self.image_dir = self.root / "image"
        self.plans_dir = self.root / "plans"
        self.logs_dir = self.root / "logs"
        self.tmp_dir = self.root / "tmp"
        self.target_env: dict[str, str] = target_env_vars("linux", config.host_arch(), os_release_distro())
        """``CNB_TARGET_*`` given to detect and build; edit or delete keys to change them."""
        self._detected_plan: dict[str, Any] | None = None
        self._launch_layers: list[str] = []
        self._launched: list[LoggedPopen] = []
        self._app_processes: list[dict[str, Any]] = []
        self._counter = 0
        self._exported_kind: str | None = None
        self._create_dirs(app_fixture)

    def __enter__(self) -> "Lifecycle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every process ``launch`` started."""
        for proc in self._launched:
            stop_process(proc)

    # -- platform inputs ------------------------------------------------------------------

    def set_platform_env(self, name: str, value: "str | bytes") -> None:
        """Write ``<platform>/env/<name>`` (verbatim: no newline is added)."""
        path = self.platform_dir / "env" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(value.encode() if isinstance(value, str) else value)

    def unset_platform_env(self, name: str) -> None:
        """Remove ``<platform>/env/<name>`` if present."""
        (self.platform_dir / "env" / name).unlink(missing_ok=True)

    def add_binding(self, name: str, binding_type: str, entries: Mapping[str, "str | bytes"],
                    k8s_layout: bool = False) -> Path:
        """Write a servicebinding.io binding under ``<platform>/bindings/<name>``."""
        return write_binding(self.platform_dir / "bindings", name, binding_type, entries, k8s_layout)

    def add_app_process(self, process_type: str, command: Sequence[str], args: Sequence[str] = ()) -> None:
        """Add a process as a language buildpack's ``launch.toml`` would (``APP_BUILDPACK``, after
        ours in the group): the exporter merges every buildpack's processes, and the launcher runs
        our exec.d for these too."""
        self._app_processes.append({"type": process_type, "command": list(command), "args": list(args),
                                    "default": False})
        self._exported_kind = None

    # -- phases ---------------------------------------------------------------------------

    def detect(self, env: Env | None = None, args: "bool | Sequence[str]" = True,
               timeout: float | None = None) -> DetectResult:
        """Run ``bin/detect``; ``args`` True passes ``<platform> <plan>``, False none, a list those."""
        plan_path = self._new_plan_file("detect")
        phase_env = self._phase_env(env) | {"CNB_BUILD_PLAN_PATH": str(plan_path)}
        positional = [str(self.platform_dir), str(plan_path)] if args is True else list(args or [])
        result = run([self.buildpack_dir / "bin" / "detect", *positional], env=phase_env, cwd=self.app_dir,
                     timeout=timeout or self.timeout)
        plan_text = plan_path.read_text(errors="replace")
        plan, plan_error = _parse_toml(plan_text)
        if result.code == 0 and plan is not None:
            self._detected_plan = plan
        return DetectResult(**vars(result), plan=plan, plan_text=plan_text, plan_error=plan_error)

    def build(self, env: Env | None = None, plan: "Mapping[str, Any] | str | None" = None,
              args: "bool | Sequence[str]" = True, timeout: float | None = None) -> BuildResult:
        """Run ``bin/build`` with a plan: ``plan`` (dict or raw TOML) or what the last detect required."""
        plan_path = self._new_plan_file("build")
        if plan is None:
            plan = self._plan_from_detect()
        plan_path.write_text(plan if isinstance(plan, str) else dumps(plan))
        self.layers_dir.mkdir(parents=True, exist_ok=True)
        phase_env = self._phase_env(env) | {"CNB_LAYERS_DIR": str(self.layers_dir),
                                            "CNB_BP_PLAN_PATH": str(plan_path)}
        positional = ([str(self.layers_dir), str(self.platform_dir), str(plan_path)] if args is True
                      else list(args or []))
        result = run([self.buildpack_dir / "bin" / "build", *positional], env=phase_env, cwd=self.app_dir,
                     timeout=timeout or self.timeout)
        self._exported_kind = None
        launch_record.record("emulated CNB build (bin/build run directly)")
        return self._build_result(result)

    def restore(self, int_to_float: bool = False, drop_contents: Sequence[str] = ()) -> None:
        """Leave ``<layers>`` as the next build would find it (see ``layer_restore``)."""
        restore_layers(self.layers_dir, int_to_float, drop_contents)

    def corrupt_metadata(self, layer: str, toml_text: str) -> None:
        """Write ``<layers>/<layer>.toml`` verbatim, as if restored with that content."""
        self.layers_dir.mkdir(parents=True, exist_ok=True)
        (self.layers_dir / f"{layer}.toml").write_text(toml_text)

    def forget_previous_build(self) -> None:
        """Empty ``<layers>`` and the emulated image: the next build is a first build."""
        for path in (self.layers_dir, self.image_dir):
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
        self._launch_layers = []

    # -- launch ---------------------------------------------------------------------------

    def plan_launch(self, process_type: str, args: Sequence[str] | None = None, env: Env | None = None,
                    base_path: str | None = None) -> LaunchPlan:
        """Return what ``launch`` would run, without starting it (the emulator's rules).

        exec.d programs do run, as children of the test process (so an embedded-mode supervisor
        would watch the test, not the app: use ``launch`` for that). The base environment is PATH
        (``base_path`` or the harness's), HOME, TMPDIR (``<root>/tmp``) and the instrumentation
        variables, then ``env``.
        """
        if self._exported_kind is None:
            self._make_image(real_lifecycle.EMULATOR)
        return launcher.plan(self.layers_root, self.app_dir, process_type, list(args or []),
                             self._launch_env(env, base_path), self._log_path(f"exec.d-{process_type}"))

    def launch(self, process_type: str, args: Sequence[str] | None = None, env: Env | None = None,
               base_path: str | None = None, exec_d_timeout: float = EXEC_D_TIMEOUT,
               stdout: "int | IO | None" = None, stderr: "int | IO | None" = None) -> LoggedPopen:
        """Start ``process_type`` as an image's ``/cnb/process/<type>`` does, with ``args`` as the
        user's arguments after it (None or [] : the process's own).

        The real launcher (``lcdriver exec``) runs it when ``real_lifecycle.launcher_kind()`` says
        so, else the emulator (``harness/launcher.py``). Either runs exec.d as its children and then
        execs the process, so the returned PID is the process's own (as in an image) and exec.d's
        parent is that PID. Output (the launcher's, exec.d's and the process's) goes to
        ``proc.log_path`` unless ``stdout``/``stderr`` are given; a refused launch exits 82. The
        process runs in its own session and is stopped by ``close``. ``exec_d_timeout`` bounds the
        emulator's wait for exec.d (the real launcher has no bound).
        """
        kind, plan = self.launcher_command(process_type, args, env, base_path, exec_d_timeout)
        log_path = self._log_path(f"launch-{process_type}") if stdout is None else None
        return self._start(kind, plan.argv, plan.env, log_path, stdout, stderr)

    def launcher_command(self, process_type: str, args: Sequence[str] | None = None, env: Env | None = None,
                         base_path: str | None = None,
                         exec_d_timeout: float = EXEC_D_TIMEOUT) -> tuple[str, LaunchPlan]:
        """The launcher kind and the command line ``launch`` runs (the launcher itself, which then
        runs exec.d and execs the process), for a test that must start it elsewhere (e.g. in
        another network namespace)."""
        kind = self.launcher_kind or real_lifecycle.launcher_kind()
        self._make_image(kind)
        base = self._launch_env(env, base_path)
        user_args = list(args or [])
        if kind == real_lifecycle.REAL:
            argv = real_lifecycle.exec_argv(self.layers_root, self.app_dir, process_type, user_args)
        else:
            spec = write_spec(self._log_path(f"launch-spec-{process_type}").with_suffix(".json"), self.layers_root,
                              self.app_dir, process_type, user_args, base, exec_d_timeout)
            argv = [sys.executable, str(Path(launcher.__file__)), str(spec)]
        argv = [str(a) for a in argv]
        return kind, LaunchPlan(argv, argv[0], base, self.app_dir)

    def launch_command(self, argv: Sequence[str], env: Env | None = None) -> LoggedPopen:
        """Start a user command through the real launcher with no process type, as
        ``docker exec CONTAINER /cnb/lifecycle/launcher ARGV`` does: the launcher's env and exec.d,
        then ``ARGV`` through its bash shell (lifecycle ``userProvidedProcess``). The emulator does
        not run shell processes, so a test of this needs the real launcher."""
        real_lifecycle.require_real_launcher()
        self._make_image(real_lifecycle.REAL)
        return self._start(real_lifecycle.REAL, real_lifecycle.command_argv(self.layers_root, self.app_dir, argv),
                           self._launch_env(env, None), self._log_path("launch-command"))

    def _start(self, kind: str, argv: Sequence[Any], env: Mapping[str, str], log_path: Path | None,
               stdout: "int | IO | None" = None, stderr: "int | IO | None" = None) -> LoggedPopen:
        """Start a launcher command line in the app dir, record which launcher it is, stop it at close."""
        proc = spawn(argv, env=env, cwd=self.app_dir, log_path=log_path, stdout=stdout, stderr=stderr)
        proc.launcher_kind = kind
        launch_record.record(f"{'real' if kind == real_lifecycle.REAL else 'emulated'} CNB launcher")
        self._launched.append(proc)
        return proc

    def _launch_env(self, env: Env | None, base_path: str | None) -> dict[str, str]:
        # CNB_NO_COLOR: the launcher's own error lines without colour codes, for readable logs.
        base = {"PATH": base_path or os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": os.environ.get("HOME", "/root"), "TMPDIR": str(self.tmp_dir), "CNB_NO_COLOR": "true"}
        base |= {k: os.environ[k] for k in config.INSTRUMENTATION_VARS if k in os.environ}
        return merge_env(base, env)

    def _make_image(self, kind: str) -> None:
        """Make ``<layers>`` an image, once per build. Real: the real builder runs our build again
        over the warm layers (a reuse, no download) and the ``tests/app`` buildpack for the
        ``add_app_process`` processes, then the real exporter; the builder writes
        ``config/metadata.toml``. Emulator: the app buildpack's ``launch.toml`` and
        ``config/metadata.toml`` as lifecycle's builder writes them."""
        if self._exported_kind == kind:
            return
        if not (self.layers_dir / "launch.toml").is_file():
            raise LaunchError("no successful build with a launch.toml to launch from")
        app_layers = self.layers_root / APP_BUILDPACK["id"].replace("/", "_")
        shutil.rmtree(app_layers, ignore_errors=True)
        ours = {"id": self.buildpack_id, "version": self._buildpack_field("version") or "0.0.0",
                "api": self._buildpack_field("api") or "0.10"}
        group = [ours] + ([dict(APP_BUILDPACK)] if self._app_processes else [])
        if kind == real_lifecycle.REAL:
            work = self.root / "real-lifecycle"
            sources = [(ours, self.buildpack_dir)]
            if self._app_processes:
                sources.append((APP_BUILDPACK, real_lifecycle.app_buildpack(work / "app-buildpack", APP_BUILDPACK,
                                                                            self._app_processes)))
            requires = [{"name": e["name"], "metadata": e["metadata"]} for e in self._plan_from_detect()["entries"]]
            plan = {"entries": [{"providers": [{"id": ours["id"], "version": ours["version"]}],
                                 "requires": requires}]}
            passed = PASSTHROUGH_VARS + config.INSTRUMENTATION_VARS
            launch_record.record("real CNB builder and exporter")
            real_lifecycle.build_and_export(self.layers_root, self.app_dir, self.platform_dir, sources, plan, work,
                                            {k: os.environ[k] for k in passed if k in os.environ})
        else:
            if self._app_processes:
                app_layers.mkdir(parents=True)
                (app_layers / "launch.toml").write_text(dumps({"processes": self._app_processes}))
            self._write_emulated_metadata(group)
        self._exported_kind = kind

    def _write_emulated_metadata(self, group: Sequence[Mapping[str, str]]) -> None:
        """``config/metadata.toml`` as lifecycle's exporter writes it: every buildpack's processes
        in group order (a later buildpack's type replaces an earlier one's), each with its
        buildpack's id, and the buildpacks with their APIs."""
        processes: dict[str, dict[str, Any]] = {}
        for buildpack in group:
            path = self.layers_root / buildpack["id"].replace("/", "_") / "launch.toml"
            data = tomllib.loads(path.read_text()) if path.is_file() else {}
            for process in data.get("processes", []):
                command = process.get("command", [])
                processes[process["type"]] = {
                    "type": process["type"], "command": [command] if isinstance(command, str) else command,
                    "args": process.get("args", []), "direct": True, "default": process.get("default", False),
                    "buildpack-id": buildpack["id"]} | (
                    {"working-dir": process["working-dir"]} if "working-dir" in process else {})
        metadata = {"processes": list(processes.values()),
                    "buildpacks": [{"id": b["id"], "api": b["api"]} for b in group]}
        (self.layers_root / "config").mkdir(parents=True, exist_ok=True)
        (self.layers_root / "config" / "metadata.toml").write_text(dumps(metadata))

    def _buildpack_field(self, name: str) -> str | None:
        data = _read_buildpack_toml(self.buildpack_dir)
        value = data.get(name) if name == "api" else data.get("buildpack", {}).get(name)
        return str(value) if value is not None else None

    # -- internals ------------------------------------------------------------------------

    def _create_dirs(self, app_fixture: Path | None) -> None:
        if app_fixture is not None:
            shutil.copytree(app_fixture, self.app_dir, symlinks=True)
        else:
            # An app that declares an etcd client, so detect passes unless a test says otherwise.
            self.app_dir.mkdir(parents=True)
            (self.app_dir / "app.txt").write_text("a test application\n")
            (self.app_dir / "requirements.txt").write_text("etcd3\n")
        for directory in (self.platform_dir / "env", self.layers_dir, self.image_dir, self.plans_dir,
                          self.logs_dir, self.tmp_dir):
            directory.mkdir(parents=True, exist_ok=True)

    def _phase_env(self, env: Env | None) -> dict[str, str]:
        """What lifecycle gives ``bin/detect`` and ``bin/build``: this process's environment
        filtered as ``env.NewBuildEnv`` does (``PASSTHROUGH_VARS``, plus the harness's
        instrumentation variables), then the platform's env entries as ``env.WithOverrides``
        applies them (PATH-like ones prepended with ``:``, others set): the ``<platform>/env``
        files, then ``env`` (entries a platform would write there, as ``pack build --env``
        does; None removes a variable), then ``CNB_*``."""
        names = PASSTHROUGH_VARS + config.INSTRUMENTATION_VARS
        result = {k: os.environ[k] for k in names if k in os.environ}
        entries: list[tuple[str, str | None]] = []
        env_dir = self.platform_dir / "env"
        if env_dir.is_dir():
            entries += [(p.name, read_env_value(p)) for p in sorted(env_dir.iterdir()) if not p.is_dir()]
        entries += list((env or {}).items())
        for name, value in entries:
            if value is None:
                result.pop(name, None)
                continue
            current = result.get(name)
            result[name] = f"{value}{os.pathsep}{current}" if name in PATH_LIKE_VARS and current else value
        return result | {"CNB_PLATFORM_DIR": str(self.platform_dir),
                         "CNB_BUILDPACK_DIR": str(self.buildpack_dir)} | self.target_env

    def _new_plan_file(self, phase: str) -> Path:
        self._counter += 1
        path = self.plans_dir / f"{phase}-{self._counter}.toml"
        path.touch()
        path.chmod(0o600)
        return path

    def _log_path(self, name: str) -> Path:
        self._counter += 1
        return self.logs_dir / f"{name}-{self._counter}.log"

    def _plan_from_detect(self) -> dict[str, Any]:
        """The build plan: this buildpack's requirements of what it provides, as the last detect wrote."""
        plan = self._detected_plan or {}
        for alternative in [plan, *plan.get("or", [])]:
            provided = {p.get("name") for p in alternative.get("provides", [])}
            entries = [{"name": r["name"], "metadata": r.get("metadata", {})}
                       for r in alternative.get("requires", []) if r.get("name") in provided]
            if entries:
                return {"entries": entries}
        return {"entries": [{"name": "etcd", "metadata": {}}]}

    def _build_result(self, result: RunResult) -> BuildResult:
        layer_tomls: dict[str, dict[str, Any]] = {}
        errors: dict[str, str] = {}
        launch_toml = None
        for path in sorted(self.layers_dir.glob("*.toml")):
            data, error = _parse_toml(path.read_text(errors="replace"))
            if error:
                errors[path.stem] = error
            elif path.stem == "launch":
                launch_toml = data
            elif path.stem not in ("build", "store"):
                layer_tomls[path.stem] = data
        export_error = None
        if result.code == 0:
            self._launch_layers = sorted(n for n, d in layer_tomls.items() if layer_types(d)["launch"])
            export_error = self._export(layer_tomls)
        return BuildResult(**vars(result), layers_dir=self.layers_dir, launch_toml=launch_toml,
                           layer_tomls=layer_tomls, toml_errors=errors, export_error=export_error,
                           launch_layer_dirs=self._launch_layer_dirs(), sbom_formats=self._sbom_formats())

    def _export(self, layer_tomls: Mapping[str, dict[str, Any]]) -> str | None:
        """Keep launch-only layer directories in ``image/``; report what the exporter would reject."""
        problems = []
        for name in self._launch_layers:
            types, source, kept = layer_types(layer_tomls[name]), self.layers_dir / name, self.image_dir / name
            if types["cache"] and not source.is_dir():
                problems.append(f"layer {name}: launch=true and cache=true but no {name}/ directory")
            elif not types["cache"] and source.is_dir():
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(source, kept, symlinks=True)
            elif not source.is_dir() and not kept.is_dir():
                problems.append(f"layer {name}: no {name}/ directory and no previous image layer to reuse")
        for stale in set(p.name for p in self.image_dir.iterdir()) - set(self._launch_layers):
            shutil.rmtree(self.image_dir / stale, ignore_errors=True)
        (self.image_dir / "launch.toml").unlink(missing_ok=True)
        if (self.layers_dir / "launch.toml").is_file():
            shutil.copy2(self.layers_dir / "launch.toml", self.image_dir / "launch.toml")
        return "; ".join(problems) or None

    def _launch_layer_dirs(self) -> list[Path]:
        """Each launch layer's directory: in ``<layers>``, else its exported copy."""
        dirs = []
        for name in self._launch_layers:
            for candidate in (self.layers_dir / name, self.image_dir / name):
                if candidate.is_dir():
                    dirs.append(candidate)
                    break
        return dirs

    def _sbom_formats(self) -> list[str]:
        return list(_read_buildpack_toml(self.buildpack_dir).get("buildpack", {}).get("sbom-formats", []))


def os_release_distro(path: Path = Path("/etc/os-release")) -> tuple[str, str]:
    """The build image's distribution (ID, VERSION_ID) as the lifecycle reads it.

    Mirrors buildpacks/lifecycle internal/fsutil/os_detection.go (``HasSystemdFile``: a
    non-empty regular file; ``GetInfo``: split each line on ``=``, skip lines with more than
    one, trim ``"`` and spaces, stop once both are found)."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return "", ""
        contents = path.read_text(errors="replace")
    except OSError:
        return "", ""
    name = version = ""
    for line in contents.split("\n"):
        parts = line.split("=")
        if len(parts) > 2:
            continue
        if parts[0] == "ID" and len(parts) == 2:
            name = parts[1].strip('" ')
        elif parts[0] == "VERSION_ID" and len(parts) == 2:
            version = parts[1].strip('" ')
        if name and version:
            break
    return name, version


def target_env_vars(os_name: str, arch: str, distro: tuple[str, str]) -> dict[str, str]:
    """``CNB_TARGET_*`` as buildpacks/lifecycle platform/target_data.go ``EnvVarsFor`` sets them:
    OS and arch always, the distro name and version only when not empty."""
    env = {"CNB_TARGET_OS": os_name, "CNB_TARGET_ARCH": arch}
    for key, value in zip(("CNB_TARGET_DISTRO_NAME", "CNB_TARGET_DISTRO_VERSION"), distro):
        if value:
            env[key] = value
    return env


def _read_buildpack_toml(buildpack_dir: Path) -> dict[str, Any]:
    """buildpack.toml as it is now (tests change and break it between phases); {} when unreadable."""
    try:
        return tomllib.loads((buildpack_dir / "buildpack.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _read_buildpack_id(buildpack_dir: Path) -> str:
    """The id from buildpack.toml, or the default when it is missing or broken (tests break it)."""
    buildpack = _read_buildpack_toml(buildpack_dir).get("buildpack")
    return str(buildpack["id"]) if isinstance(buildpack, dict) and "id" in buildpack else DEFAULT_BUILDPACK_ID


def _parse_toml(text: str) -> tuple[dict[str, Any] | None, str | None]:
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as error:
        return None, str(error)


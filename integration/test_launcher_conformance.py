"""The lifecycle emulator (``harness/launcher.py``, ``harness/lifecycle.py``) against the real CNB
lifecycle.

Each scenario is a small image made by hand (``<layers>/config/metadata.toml``, buildpack and layer
folders with env files and exec.d programs, as lifecycle's exporter leaves them) and is started
through both: the real launcher (``lcdriver exec``, buildpacks/lifecycle v0.21.17) and the emulator.
Both must agree on the exit code and on what the process and the exec.d programs saw, so the
emulator can never pass what the real launcher refuses. The last class does the same with an image
of this buildpack, built with the helper's old exec.d name, which broke the ``etcd-proxy`` process.
``PhaseEnvironmentTest`` compares what ``bin/detect`` and ``bin/build`` are given (arguments,
environment) by the real detector and builder and by the emulator.

    /usr/bin/python3 -m unittest -v test_launcher_conformance
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import unittest
from pathlib import Path
from typing import Mapping, Sequence

from harness import launch_record, launcher, real_lifecycle, tarballs
from harness.buildpack_toml import make_dependency, make_test_buildpack
from harness.http_server import DownloadServer
from harness.lifecycle import Lifecycle
from harness.processes import RunResult, run, spawn, stop_process
from harness.toml_writer import dumps

PLATFORM_PATH = "/cnb/process:/cnb/lifecycle:/usr/bin:/bin"
SHOW_ENV = 'for v in A B C D E F G T P1 P2 CNB_APP_DIR CNB_PROCESS_TYPE; do eval "echo $v=\\${$v-unset}"; done'


class Image:
    """A hand-made image under ``root``: ``layers/`` (buildpacks in ``order``) and ``app/``."""

    def __init__(self, root: Path, processes: Sequence[Mapping[str, object]],
                 buildpacks: Sequence[str] = ("bp/one", "bp/two")) -> None:
        self.root, self.layers, self.app = root, root / "layers", root / "app"
        self.app.mkdir(parents=True)
        self.trace = root / "trace"
        (self.layers / "config").mkdir(parents=True)
        metadata = {"processes": [{"direct": True, "buildpack-id": buildpacks[0], "args": [], **p}
                                  for p in processes],
                    "buildpacks": [{"id": b, "api": "0.10"} for b in buildpacks]}
        (self.layers / "config" / "metadata.toml").write_text(dumps(metadata))

    def layer(self, buildpack: str, name: str) -> Path:
        path = self.layers / buildpack.replace("/", "_") / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def file(self, path: Path, text: str, mode: int = 0o644) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(mode)
        return path

    def exec_d(self, path: Path, body: str) -> Path:
        """An exec.d program that appends its name and what it saw to the trace, then runs ``body``."""
        return self.file(path, f'#!/bin/sh\necho "exec.d {path.parent.name}/{path.name} A=${{A-unset}} '
                               f'T=${{T-unset}}" >> "{self.trace}"\n{body}\n', 0o755)


class Outcome:
    def __init__(self, result: RunResult, trace: Path) -> None:
        self.code = result.code
        self.output = result.output
        self.trace = trace.read_text() if trace.exists() else ""

    def process_lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith("process ")]


class ConformanceTestCase(unittest.TestCase):
    """Runs a scenario through both launchers; ``both`` returns (real, emulated) outcomes."""

    ctest_timeout = 120

    @classmethod
    def setUpClass(cls) -> None:
        real_lifecycle.require_real_launcher()

    def setUp(self) -> None:
        holder = tempfile.TemporaryDirectory(prefix="launcher-conformance-")
        self.addCleanup(holder.cleanup)
        self.tmp = Path(holder.name)

    def image(self, processes: Sequence[Mapping[str, object]], **kwargs) -> Image:
        return Image(self.tmp / "image", processes, **kwargs)

    def real(self, image: Image, process_type: str, args: Sequence[str] = (),
             env: Mapping[str, str] | None = None, timeout: float = 20) -> Outcome:
        image.trace.unlink(missing_ok=True)
        launch_record.record("real CNB launcher")
        argv = real_lifecycle.exec_argv(image.layers, image.app, process_type, list(args))
        return Outcome(run(argv, env=self.base_env(env), cwd=image.app, timeout=timeout), image.trace)

    def emulated(self, image: Image, process_type: str, args: Sequence[str] = (),
                 env: Mapping[str, str] | None = None, exec_d_timeout: float = 10) -> Outcome:
        image.trace.unlink(missing_ok=True)
        launch_record.record("emulated CNB launcher")
        spec = launcher.write_spec(self.tmp / "spec.json", image.layers, image.app, process_type, list(args),
                                   self.base_env(env), exec_d_timeout)
        result = run([sys.executable, launcher.__file__, spec], timeout=exec_d_timeout + 20)
        return Outcome(result, image.trace)

    def both(self, image: Image, process_type: str, args: Sequence[str] = (),
             env: Mapping[str, str] | None = None) -> tuple[Outcome, Outcome]:
        real, emulated = self.real(image, process_type, args, env), self.emulated(image, process_type, args, env)
        self.assertEqual(emulated.code, real.code,
                         f"exit codes differ\n--- real ---\n{real.output}\n--- emulator ---\n{emulated.output}")
        self.assertEqual(emulated.trace, real.trace, "exec.d programs ran differently")
        self.assertEqual(emulated.process_lines(), real.process_lines(), "the process saw different things")
        return real, emulated

    def assert_refused_by_both(self, real: Outcome, emulated: Outcome, fragment: str) -> None:
        for name, outcome in (("real", real), ("emulator", emulated)):
            self.assertEqual(outcome.code, launcher.LAUNCH_ERROR_CODE, f"{name}:\n{outcome.output}")
            self.assertIn("ERROR: failed to launch:", outcome.output, name)
            self.assertIn(fragment, outcome.output, name)
            self.assertEqual(outcome.process_lines(), [], name)

    @staticmethod
    def base_env(extra: Mapping[str, str] | None) -> dict[str, str]:
        return {"PATH": PLATFORM_PATH, "HOME": "/root", "CNB_NO_COLOR": "true", **(extra or {})}


def show_env_process(process_type: str = "web", **fields: object) -> dict[str, object]:
    """A process that prints, one ``process`` line per variable, what the launcher gave it."""
    return {"type": process_type, "command": ["/bin/sh", "-c", f"{SHOW_ENV} | sed 's/^/process /'"], **fields}


class ExecDTest(ConformanceTestCase):
    def test_layers_in_name_order_buildpacks_in_metadata_order_typed_programs_after_the_others(self) -> None:
        image = self.image([show_env_process(), show_env_process("worker")], buildpacks=("bp/two", "bp/one"))
        one_a, one_b, two = image.layer("bp/one", "a"), image.layer("bp/one", "b"), image.layer("bp/two", "z")
        image.exec_d(one_b / "exec.d" / "1", "printf 'A = \"one-b\"\\n' >&3")
        image.exec_d(one_a / "exec.d" / "2", "printf 'A = \"one-a\"\\n' >&3")
        image.exec_d(one_a / "exec.d" / "web" / "0", "printf 'B = \"typed saw %s\"\\n' \"$A\" >&3")
        image.exec_d(one_a / "exec.d" / "worker" / "0", "exit 7")
        image.exec_d(two / "exec.d" / "9", "printf 'A = \"two\"\\nC = \"from two\"\\n' >&3")
        real, _ = self.both(image, "web")
        self.assertEqual(real.code, 0, real.output)
        self.assertEqual(real.trace.splitlines(), ["exec.d exec.d/9 A=unset T=unset", "exec.d exec.d/2 A=two T=unset",
                                                   "exec.d web/0 A=one-a T=unset", "exec.d exec.d/1 A=one-a T=unset"])
        self.assertIn("process A=one-b", real.process_lines())
        self.assertIn("process B=typed saw one-a", real.process_lines())
        worker_real, worker_emulated = self.both(image, "worker")
        self.assert_refused_by_both(worker_real, worker_emulated, "exit status 7")

    def test_a_file_where_exec_d_of_the_process_type_would_be_fails_that_process_only(self) -> None:
        image = self.image([show_env_process(), show_env_process("other")])
        layer = image.layer("bp/one", "helper")
        image.exec_d(layer / "exec.d" / "web", "printf 'A = \"file named web\"\\n' >&3")
        real, emulated = self.both(image, "web")
        self.assert_refused_by_both(real, emulated, "failed to list files in dir")
        self.assertIn("not a directory", real.output)
        # exec.d/* ran (the file itself, as a program for every process) before the listing failed
        self.assertEqual(real.trace.splitlines(), ["exec.d exec.d/web A=unset T=unset"])
        other_real, _ = self.both(image, "other")
        self.assertEqual(other_real.code, 0, other_real.output)
        self.assertIn("process A=file named web", other_real.process_lines())

    def test_exec_d_output_must_be_a_table_of_strings(self) -> None:
        for body, fragment in (("printf 'A = 1\\n' >&3", "failed to decode output from exec.d file"),
                               ("printf 'A = [\\n' >&3", "failed to decode output from exec.d file"),
                               ("exit 3", "exit status 3")):
            with self.subTest(body=body):
                image_root = self.tmp / f"image-{abs(hash(body))}"
                image = Image(image_root, [show_env_process()])
                image.exec_d(image.layer("bp/one", "l") / "exec.d" / "p", body)
                real, emulated = self.both(image, "web")
                self.assert_refused_by_both(real, emulated, fragment)

    def test_a_link_to_a_directory_in_exec_d_is_run_as_a_program_and_fails(self) -> None:
        image = self.image([show_env_process()])
        layer = image.layer("bp/one", "l")
        (layer / "exec.d").mkdir()
        (layer / "somewhere").mkdir()
        (layer / "exec.d" / "dir-link").symlink_to("../somewhere")
        real, emulated = self.both(image, "web")
        self.assert_refused_by_both(real, emulated, "failed to execute exec.d file at path")

    def test_a_leaked_fd_3_holds_the_real_launch_for_ever_and_fails_the_emulated_one(self) -> None:
        image = self.image([show_env_process()])
        image.exec_d(image.layer("bp/one", "l") / "exec.d" / "leak", "sleep 60 >/dev/null 2>&1 &\nexit 0")
        argv = real_lifecycle.exec_argv(image.layers, image.app, "web", [])
        proc = spawn(argv, env=self.base_env(None), cwd=image.app, log_path=self.tmp / "real.log")
        try:
            time.sleep(3)
            self.assertIsNone(proc.poll(), "the real launcher was expected to wait for end-of-file")
        finally:
            stop_process(proc, grace=1)
        self.assertNotIn("process ", (self.tmp / "real.log").read_text())
        emulated = self.emulated(image, "web", exec_d_timeout=2)
        self.assertEqual(emulated.code, launcher.LAUNCH_ERROR_CODE, emulated.output)
        self.assertIn("fd 3 was still open", emulated.output)


class EnvFilesTest(ConformanceTestCase):
    def test_suffixes_delimiters_order_and_process_specific_files(self) -> None:
        image = self.image([show_env_process(), show_env_process("other")])
        first, second = image.layer("bp/one", "a"), image.layer("bp/one", "b")
        files = {first / "env" / "A": "plain", first / "env" / "B.default": "default-b",
                 first / "env" / "C.default": "ignored", first / "env" / "D.prepend": "pre",
                 first / "env" / "D.delim": ":", first / "env" / "E.append": "post",
                 first / "env" / "F.unknown": "ignored", first / "env.launch" / "G.override": "launch",
                 first / "env.launch" / "web" / "T": "web only", second / "env" / "A.override": "second wins",
                 second / "env.launch" / "E.append": "+more", second / "env" / "P1.prepend": "x"}
        for path, text in files.items():
            image.file(path, text)
        (first / "env" / "subdir").mkdir()
        (first / "env" / "link-to-dir").symlink_to("subdir")
        env = {"C": "set by the platform", "D": "d0", "E": "e0", "CNB_APP_DIR": "/elsewhere",
               "CNB_PROCESS_TYPE": "web"}
        real, _ = self.both(image, "web", env=env)
        self.assertEqual(real.code, 0, real.output)
        self.assertEqual(real.process_lines(), [
            "process A=second wins", "process B=default-b", "process C=set by the platform", "process D=pre:d0",
            "process E=e0post+more", "process F=unset", "process G=launch", "process T=web only",
            "process P1=x", "process P2=unset", "process CNB_APP_DIR=unset", "process CNB_PROCESS_TYPE=unset"])
        other, _ = self.both(image, "other", env=env)
        self.assertIn("process T=unset", other.process_lines())

    def test_bin_and_lib_of_each_layer_go_first_on_path(self) -> None:
        image = self.image([{"type": "web", "command": ["/bin/sh", "-c",
                                                        'echo "process PATH=$PATH"; echo "process LD=$LD_LIBRARY_PATH"']}])
        for name in ("a", "b"):
            (image.layer("bp/one", name) / "bin").mkdir()
        (image.layer("bp/one", "b") / "lib").mkdir()
        real, _ = self.both(image, "web")
        layers = image.layers / "bp_one"
        self.assertIn(f"process PATH={layers}/b/bin:{layers}/a/bin:/usr/bin:/bin", real.process_lines())
        self.assertIn(f"process LD={layers}/b/lib", real.process_lines())

    def test_a_file_where_env_launch_of_the_process_type_would_be_fails_the_launch(self) -> None:
        image = self.image([show_env_process()])
        image.file(image.layer("bp/one", "l") / "env.launch" / "web", "x")
        real, emulated = self.both(image, "web")
        self.assert_refused_by_both(real, emulated, "apply env files from dir")


class ProcessArgsTest(ConformanceTestCase):
    def test_user_args_replace_the_process_args_and_follow_fixed_command_entries(self) -> None:
        image = self.image([
            {"type": "plain", "command": ["/bin/echo"], "args": ["process", "default-arg"]},
            {"type": "fixed", "command": ["/bin/echo", "process", "fixed"], "args": ["overridable"]}])
        for process_type, args in (("plain", []), ("plain", ["process", "user"]), ("fixed", []),
                                   ("fixed", ["user"])):
            with self.subTest(process_type=process_type, args=args):
                real, _ = self.both(image, process_type, args)
                self.assertEqual(real.code, 0, real.output)
        self.assertEqual(self.real(image, "fixed", ["user"]).process_lines(), ["process fixed user"])

    def test_an_unknown_process_type_or_a_command_not_on_path_is_refused(self) -> None:
        image = self.image([{"type": "web", "command": ["no-such-command-here"]}])
        real, emulated = self.both(image, "worker")
        self.assert_refused_by_both(real, emulated, "when there is no default process a command is required")
        real, emulated = self.both(image, "web")
        self.assert_refused_by_both(real, emulated, "no-such-command-here")


class OldHelperExecDNameTest(unittest.TestCase):
    """An image of this buildpack whose helper layer holds its exec.d program under the old name,
    ``exec.d/etcd-proxy``: through both launchers the ``etcd-proxy`` process is refused (82), while
    the app's processes still start. The current name does not collide."""

    ctest_timeout = 120

    def test_old_exec_d_name_breaks_the_etcd_proxy_process_in_both_launchers(self) -> None:
        real_lifecycle.require_real_launcher()
        with tempfile.TemporaryDirectory(prefix="old-exec-d-") as holder, DownloadServer() as site:
            tmp = Path(holder)
            tarball = tarballs.fake_etcd_release("3.6.14")
            url = site.add_file("/etcd-v3.6.14-linux-amd64.tar.gz", tarball)
            buildpack = make_test_buildpack(tmp / "bp", [make_dependency("3.6.14", url, tarballs.sha256_hex(tarball))],
                                            default_version="3.6.*")
            outcomes = {}
            for kind in (real_lifecycle.REAL, real_lifecycle.EMULATOR):
                with Lifecycle(buildpack, tmp / kind, launcher_kind=kind) as lc:
                    self.assertEqual(lc.detect().code, 0)
                    lc.build().validate()
                    lc.add_app_process("web", ["/bin/sh", "-c", 'echo "app ETCD_ENDPOINTS=$ETCD_ENDPOINTS"'])
                    exec_d = lc.layers_dir / "helper" / "exec.d"
                    self.assertEqual(sorted(os.listdir(exec_d)), ["etcd-proxy+app"])
                    current = self.run_to_end(lc, "etcd-proxy", ["print"])
                    os.rename(exec_d / "etcd-proxy+app", exec_d / "etcd-proxy")
                    outcomes[kind] = (current, self.run_to_end(lc, "etcd-proxy", ["print"]),
                                      self.run_to_end(lc, "web", []))
            for kind, (current, old, app) in outcomes.items():
                with self.subTest(launcher=kind):
                    self.assertNotEqual(current[0], launcher.LAUNCH_ERROR_CODE, current[1])
                    self.assertIn("grpc-proxy", current[1])
                    self.assertEqual(old[0], launcher.LAUNCH_ERROR_CODE, old[1])
                    self.assertIn("failed to list files in dir", old[1])
                    self.assertIn("exec.d/etcd-proxy", old[1])
                    self.assertIn("not a directory", old[1])
                    self.assertEqual(app[0], 0, app[1])
                    self.assertIn("app ETCD_ENDPOINTS=127.0.0.1:2379", app[1])

    @staticmethod
    def run_to_end(lc: Lifecycle, process_type: str, args: Sequence[str]) -> tuple[int, str]:
        proc = lc.launch(process_type, list(args), env={"BPL_ETCD_PROXY_ENDPOINTS": "127.0.0.1:1"})
        code = proc.wait(timeout=30)
        return code, proc.log_text()


DUMP = """#!/bin/sh
{{ echo "args: $*"; env | sort; }} > "{out}/$(basename "$0")"
[ "$(basename "$0")" = detect ] && printf '[[provides]]\\nname = "x"\\n[[requires]]\\nname = "x"\\n' > "$CNB_BUILD_PLAN_PATH"
exit 0
"""


class PhaseEnvironmentTest(unittest.TestCase):
    """``bin/detect`` and ``bin/build`` see the same arguments and environment from the real
    lifecycle (lifecycle ``env/build.go`` NewBuildEnv, ``env.WithOverrides`` for ``<platform>/env``,
    ``buildpack/detect.go`` and ``build.go``) as from ``harness/lifecycle.py``."""

    ctest_timeout = 120
    maxDiff = None

    def test_detect_and_build_get_what_the_real_phases_give(self) -> None:
        real_lifecycle.require_real_launcher()
        with tempfile.TemporaryDirectory(prefix="phase-env-") as holder:
            tmp = Path(holder)
            bp = tmp / "bp"
            (bp / "bin").mkdir(parents=True)
            (bp / "buildpack.toml").write_text('api = "0.10"\n[buildpack]\nid = "t/dump"\nversion = "0.0.1"\n')
            seen: dict[str, dict[str, str]] = {}
            for kind in ("real", "emulated"):
                out = tmp / f"out-{kind}"
                out.mkdir()
                for phase in ("detect", "build"):
                    (bp / "bin" / phase).write_text(DUMP.format(out=out))
                    (bp / "bin" / phase).chmod(0o755)
                with Lifecycle(bp, tmp / f"root-{kind}", launcher_kind=real_lifecycle.EMULATOR) as lc:
                    lc.set_platform_env("MY_SETTING", "from the platform")
                    lc.set_platform_env("PATH", "/platform/bin")
                    env = {"ANOTHER_SETTING": "from pack --env", "LD_LIBRARY_PATH": "/platform/lib"}
                    if kind == "emulated":
                        self.assertEqual(lc.detect(env=env).code, 0)
                        self.assertEqual(lc.build(env=env).code, 0)
                    else:
                        self.run_real(lc, bp, tmp / "real-work", env)
                    for phase in ("detect", "build"):
                        seen[f"{kind} {phase}"] = self.normalized((out / phase).read_text(), lc, bp)
            for phase in ("detect", "build"):
                with self.subTest(phase=phase):
                    self.assertEqual(seen[f"emulated {phase}"], seen[f"real {phase}"])
            self.assertEqual(seen["real detect"]["MY_SETTING"], "from the platform")
            self.assertNotIn("LIFECYCLE_OWN_SETTING", seen["real build"])

    @staticmethod
    def run_real(lc: Lifecycle, bp: Path, work: Path, env: Mapping[str, str]) -> None:
        entry = {"id": "t/dump", "version": "0.0.1"}
        real_lifecycle.install_buildpack(work / "buildpacks", entry, bp)
        (work / "order.toml").write_text(dumps({"order": [{"group": [entry]}]}))
        for name, value in env.items():  # the emulator's env= entries are platform env entries
            (lc.platform_dir / "env" / name).write_text(value)
        phase_env = dict(os.environ) | {"LIFECYCLE_OWN_SETTING": "not for buildpacks"}
        files = {name: work / f"{name}.toml" for name in ("analyzed", "group", "plan")}
        real_lifecycle.phase("analyze", "-analyzed", files["analyzed"], env=phase_env)
        real_lifecycle.phase("detect", "-buildpacks", work / "buildpacks", "-order", work / "order.toml",
                             "-app", lc.app_dir, "-platform", lc.platform_dir, "-analyzed", files["analyzed"],
                             "-group", files["group"], "-plan", files["plan"], env=phase_env, cwd=lc.app_dir)
        real_lifecycle.phase("build", "-buildpacks", work / "buildpacks", "-app", lc.app_dir, "-platform",
                             lc.platform_dir, "-layers", lc.layers_root, "-group", files["group"], "-plan",
                             files["plan"], "-analyzed", files["analyzed"], env=phase_env, cwd=lc.app_dir)

    @staticmethod
    def normalized(dump: str, lc: Lifecycle, bp: Path) -> dict[str, str]:
        """``NAME -> value`` (and ``args``), with the paths that differ by design replaced: plan
        files (temporary in both), the buildpack dir (the real store links to ``bp``), and the
        harness's sanitizer variables."""
        values = {}
        for line in dump.splitlines():
            name, sep, value = line.partition("=") if not line.startswith("args: ") else ("args", "=", line[6:])
            if not sep or name in ("SHLVL", "_", "OLDPWD") or name.endswith("SAN_OPTIONS"):
                continue
            if name in ("CNB_BUILD_PLAN_PATH", "CNB_BP_PLAN_PATH"):
                value = "<plan>"
            if name == "CNB_BUILDPACK_DIR":
                value = "<buildpack>"
            if name == "args":
                value = " ".join("<plan>" if a.endswith(".toml") else a for a in value.split())
            values[name] = value.replace(str(lc.root), "<root>")
        return values


if __name__ == "__main__":
    unittest.main()

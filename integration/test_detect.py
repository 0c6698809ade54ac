"""Integration tests of how ``bin/detect`` decides (README, "How detection decides"): it passes only when the app needs etcd.

Every test runs the real executable through the harness's ``Lifecycle`` emulator (as the lifecycle runs it:
cwd = the app, a scrubbed environment plus ``<platform>/env``), on an app written by the test: the
evidence is a dependency manifest, an etcd service binding or a setting, and
``BP_ETCD_PROXY_ENABLED=false`` overrides all of them.
"""

from __future__ import annotations

import tempfile
import time
import unittest
from pathlib import Path

from harness import tarballs, trees
from harness.bindings import write_binding
from harness.buildpack_toml import make_dependency, make_test_buildpack
from harness.lifecycle import DetectResult, Lifecycle

POM_DEPENDENCY = ("<dependency><groupId>io.etcd</groupId><artifactId>jetcd-core</artifactId>"
                  "<version>0.8.4</version></dependency>")

ECOSYSTEMS = {
    "requirements.txt": ("flask==3.0.3\netcd3==0.12.0\n", "etcd3"),
    "pyproject.toml": ("[project]\nname = 'app'\ndependencies = ['aetcd>=1.0']\n", "aetcd"),
    "Pipfile": ("[packages]\netcd3gw = '*'\n", "etcd3gw"),
    "setup.cfg": ("[options]\ninstall_requires =\n    etcd3>=0.12\n", "etcd3"),
    "package.json": ('{"name": "app", "dependencies": {"etcd3": "^1.1.2"}}', "etcd3"),
    "go.mod": ("module example.com/app\n\ngo 1.22\n\nrequire go.etcd.io/etcd/client/v3 v3.5.17\n",
               "go.etcd.io/etcd/client/v3"),
    "pom.xml": (f"<project><dependencies>{POM_DEPENDENCY}</dependencies></project>\n", "io.etcd:jetcd-core"),
    "build.gradle": ("dependencies {\n    implementation 'io.etcd:jetcd-core:0.8.4'\n}\n", "io.etcd:jetcd-core"),
    "build.gradle.kts": ('dependencies {\n    implementation("io.etcd:jetcd-core:0.8.4")\n}\n', "io.etcd:jetcd-core"),
    "Gemfile": ('source "https://rubygems.org"\ngem "etcdv3", "~> 0.11"\n', "etcdv3"),
    "Gemfile.lock": ("GEM\n  specs:\n    etcdv3 (0.11.6)\n\nDEPENDENCIES\n  etcdv3 (~> 0.11)\n", "etcdv3"),
    "src/Api/Api.csproj": ('<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>'
                           '<PackageReference Include="dotnet-etcd" Version="7.2.0" /></ItemGroup></Project>',
                           "dotnet-etcd"),
    "Cargo.toml": ("[package]\nname = 'app'\n[dependencies]\netcd-client = '0.14'\n", "etcd-client"),
}
"""Manifest path → (content, the client detect must name)."""

NEAR_MISSES = {
    "requirements.txt": "etcd3-fake==1.0\npython-etcd==0.4.5\n# etcd3 comes later\n",
    "package.json": '{"name": "etcd3", "description": "an etcd3 dashboard", "dependencies": {"node-etcd": "7"}}',
    "go.mod": "module x\nrequire (\n\tgo.etcd.io/etcd/client/v3 v3.5.17 // indirect\n\tgo.etcd.io/etcd/server/v3 v3.5.17\n)\n",
    "pom.xml": "<project><dependencies><dependency><groupId>io.etcd</groupId><artifactId>jetcd-launcher</artifactId>"
               "</dependency></dependencies><!-- io.etcd:jetcd-core --></project>",
    "Gemfile": "# gem 'etcdv3'\ngem 'etcd'\n",
    "Cargo.toml": "[package]\nname = 'x'\ndescription = 'uses etcd-client'\n[dependencies]\netcd-rs = '1'\n",
    "node_modules/etcd3/package.json": '{"name": "etcd3", "dependencies": {"etcd3": "1"}}',
}
"""Files that mention an etcd client without declaring one (see manifests/etcd_clients.h)."""


class DetectEvidenceTest(unittest.TestCase):
    """Pass on evidence, 100 with a one-line hint without it, ``false`` over everything."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = Path(cls.enterClassContext(tempfile.TemporaryDirectory(prefix="detect-")))
        tarball = tarballs.fake_etcd_release("3.6.2")
        # detect never downloads: the URI only has to be well formed.
        cls.buildpack = make_test_buildpack(cls.tmp / "buildpack", [make_dependency(
            "3.6.2", "https://example.invalid/etcd.tar.gz", tarballs.sha256_hex(tarball))], "3.6.*")
        cls.roots = 0

    def lifecycle(self, files: dict[str, str]) -> Lifecycle:
        """A lifecycle whose app holds ``files`` (and an app.py that imports etcd3, which is no manifest)."""
        type(self).roots += 1
        app = self.tmp / f"app-{self.roots}"
        for name, text in {"app.py": "import etcd3\n", **files}.items():
            (app / name).parent.mkdir(parents=True, exist_ok=True)
            (app / name).write_text(text)
        return self.enterContext(Lifecycle(self.buildpack, self.tmp / f"root-{self.roots}", app))

    def assert_passes(self, result: DetectResult, reason: str) -> None:
        self.assertEqual(result.code, 0, result.describe())
        self.assertEqual(result.stdout.strip(), f"etcd-proxy: contributing etcd: {reason}", result.describe())
        self.assertIsNotNone(result.plan, result.plan_error)
        self.assertEqual(result.plan["requires"][0]["name"], "etcd")

    def assert_does_not_pass(self, result: DetectResult, *fragments: str) -> str:
        self.assertEqual(result.code, 100, result.describe())
        self.assertEqual(result.stderr, "", result.describe())
        self.assertEqual(result.plan_text, "", "no plan on a failed detect")
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 1, result.describe())
        for fragment in fragments:
            self.assertIn(fragment, lines[0])
        return lines[0]

    def test_an_app_without_evidence_fails_with_a_one_line_hint(self) -> None:
        lc = self.lifecycle({"Procfile": "web: python3 app.py\n", "README.md": "needs etcd3\n"})
        self.assert_does_not_pass(lc.detect(), "nothing in the app asks for etcd",
                                  "set BP_ETCD_PROXY_ENABLED=true to force it")

    def test_each_ecosystems_client_is_evidence(self) -> None:
        for manifest, (text, client) in ECOSYSTEMS.items():
            with self.subTest(manifest=manifest):
                lc = self.lifecycle({manifest: text})
                before = trees.snapshot(lc.app_dir)
                self.assert_passes(lc.detect(), f"etcd client {client} in {manifest}")
                self.assertEqual(trees.diff(before, trees.snapshot(lc.app_dir)), [], "detect wrote to the app")

    def test_a_manifest_saved_with_a_byte_order_mark_is_still_evidence(self) -> None:
        # Windows editors start UTF-8 files with EF BB BF; pip, TOML tools and Cargo skip it. The
        # client sits on the first line (requirements.txt) or below the first table header.
        cases = {"requirements.txt": ("etcd3==0.12.0\n", "etcd3"),
                 "gradle/libs.versions.toml": ("[libraries]\njetcd = 'io.etcd:jetcd-core:0.8.4'\n", "io.etcd:jetcd-core"),
                 **{name: ECOSYSTEMS[name] for name in ("pyproject.toml", "Pipfile", "setup.cfg", "Cargo.toml")}}
        for manifest, (text, client) in cases.items():
            with self.subTest(manifest=manifest):
                lc = self.lifecycle({manifest: "\ufeff" + text})
                self.assertTrue((lc.app_dir / manifest).read_bytes().startswith(b"\xef\xbb\xbf"))
                self.assert_passes(lc.detect(), f"etcd client {client} in {manifest}")

    def test_near_misses_are_not_evidence(self) -> None:
        self.assert_does_not_pass(self.lifecycle(NEAR_MISSES).detect(), "nothing in the app asks for etcd")

    def test_malformed_and_oversized_manifests_are_no_evidence_and_no_error(self) -> None:
        lc = self.lifecycle({"package.json": '{"dependencies": {"etcd3": "1"}',
                             "pom.xml": f"<project><dependencies>{POM_DEPENDENCY}</project>",
                             "Cargo.toml": "[dependencies]\netcd-client = \n",
                             "requirements.txt": "etcd3\n" + "#" * (2 << 20)})
        self.assert_does_not_pass(lc.detect(), "nothing in the app asks for etcd")

    def test_a_kubernetes_etcd_binding_is_evidence(self) -> None:
        lc = self.lifecycle({})
        lc.add_binding("db", "postgresql", {"host": "db"})
        self.assert_does_not_pass(lc.detect())
        lc.add_binding("my-etcd", "etcd", {"endpoints": "https://etcd:2379"}, k8s_layout=True)
        self.assert_passes(lc.detect(), "etcd service binding 'my-etcd'")

    def test_a_cloud_foundry_file_based_binding_is_evidence(self) -> None:
        lc = self.lifecycle({})
        root = self.tmp / f"cf-bindings-{self.roots}"
        write_binding(root, "kv", "user-provided", {"tags": '["kv"]', "label": "user-provided"})
        self.assert_does_not_pass(lc.detect({"SERVICE_BINDING_ROOT": str(root)}))
        write_binding(root, "tagged", "user-provided", {"tags": '["etcd", "kv"]', "label": "user-provided"})
        self.assert_passes(lc.detect({"SERVICE_BINDING_ROOT": str(root)}), "etcd service binding 'tagged'")
        labelled = self.tmp / f"cf-labelled-{self.roots}"
        write_binding(labelled, "brokered", "p-etcd", {"label": "p-etcd", "tags": "[]"})
        self.assert_passes(lc.detect({"SERVICE_BINDING_ROOT": str(labelled)}), "etcd service binding 'brokered'")

    def test_each_setting_is_evidence(self) -> None:
        lc = self.lifecycle({})
        self.assert_passes(lc.detect({"BP_ETCD_PROXY_ENABLED": "true"}), "BP_ETCD_PROXY_ENABLED=true")
        self.assert_passes(lc.detect({"BP_ETCD_VERSION": "3.6.*"}), "BP_ETCD_VERSION is set")
        lc.set_platform_env("BP_ETCD_PROXY_ENABLED", "TRUE")
        self.assert_passes(lc.detect(), "BP_ETCD_PROXY_ENABLED=true")

    def test_false_overrides_every_evidence(self) -> None:
        lc = self.lifecycle({"requirements.txt": "etcd3\n"})
        lc.add_binding("my-etcd", "etcd", {"endpoints": "https://etcd:2379"})
        for where in ("environment", "platform env file"):
            with self.subTest(where=where):
                env = {"BP_ETCD_VERSION": "3.6.*"}
                if where == "environment":
                    env["BP_ETCD_PROXY_ENABLED"] = "false"
                else:
                    lc.set_platform_env("BP_ETCD_PROXY_ENABLED", "false")
                self.assert_does_not_pass(lc.detect(env), "BP_ETCD_PROXY_ENABLED is false")

    def test_invalid_settings_stay_errors_without_evidence(self) -> None:
        lc = self.lifecycle({})
        for env in ({"BP_ETCD_PROXY_ENABLED": "maybe"}, {"BP_ETCD_VERSION": "three.six"}):
            with self.subTest(env=env):
                result = lc.detect(env)
                self.assertEqual(result.code, 1, result.describe())
                self.assertTrue(result.stderr.startswith("ERROR: "), result.describe())

    def test_scanning_a_large_app_stays_cheap(self) -> None:
        """5,000 source files, 200 directories and a 1 MiB manifest: well under the bound (slack for a loaded machine)."""
        files = {f"pkg{d}/mod{f}.py": "x = 1\n" for d in range(200) for f in range(25)}
        files |= {f"pkg{d}/requirements.txt": "flask\n" * 10 for d in range(40)}
        files["requirements.txt"] = "flask\n" * ((1 << 20) // 6 - 1)
        files["zz/deeper/Gemfile"] = "gem 'etcdv3'\n"
        lc = self.lifecycle(files)
        started = time.monotonic()
        result = lc.detect()
        elapsed = time.monotonic() - started
        self.assert_passes(result, "etcd client etcdv3 in zz/deeper/Gemfile")
        self.assertLess(elapsed, 10.0, "detect took too long on a large app")


if __name__ == "__main__":
    unittest.main()

"""Bindings and VCAP_SERVICES under attack: which service is the etcd one, which binding
BPL_ETCD_PROXY_BINDING names, what a dependency-mapping entry may hold, and what a message may show
of a VCAP_SERVICES_FILE_PATH file (nothing of its content: its services go by position).
Also the README's instructions for a read-only root filesystem.

The helper runs as the CNB launcher would (``HelperTestCase``); the build through the harness's
lifecycle (``CnbBuildTestCase``); both from harness/fixtures.

    /usr/bin/python3 -m unittest -v test_bindings_hardening
"""

from __future__ import annotations

import json
import re
import textwrap
import unittest

import yaml

from harness import tarballs
from harness.bindings import write_binding
from harness.buildpack_toml import make_dependency
from harness.config import REPO_ROOT
from harness.fixtures.cnb_build import CnbBuildTestCase
from harness.fixtures.host import ARCH
from harness.fixtures.launched import HelperTestCase
from harness.fixtures.releases import release_path

SECRET = "s3cr3t-credential-7f3a"


class ServiceChoiceTest(HelperTestCase):
    """Which service or binding the helper takes its endpoints from."""

    fake_etcd_version = "3.6.14"

    def endpoints_printed(self, env: dict[str, str]) -> list[str]:
        result = self.image.run_helper(["print"], self.proxy_env(**env))
        self.assert_exit_ok(result)
        return [line for line in result.lines if line.startswith("--endpoints=")]

    def test_a_tag_that_only_contains_etcd_does_not_make_an_etcd_service(self) -> None:
        vcap = {"aws-s3": [{"label": "aws-s3", "name": "backups", "tags": ["s3", "etcd-backups"],
                            "credentials": {"uri": "https://s3.example:443"}}],
                "user-provided": [{"label": "user-provided", "name": "kv", "tags": ["etcd"],
                                   "credentials": {"endpoints": ["https://10.0.0.7:2379"]}}]}
        self.assertEqual(self.endpoints_printed({"VCAP_SERVICES": json.dumps(vcap)}),
                         ["--endpoints=https://10.0.0.7:2379"])

    def test_the_binding_directory_the_selector_names_wins_over_another_bindings_name_entry(self) -> None:
        root = self.tmp / "bindings"
        # "a" sorts first and calls itself "b" in a name entry (Cloud Foundry's file-based layout).
        write_binding(root, "a", "etcd", {"endpoints": "https://10.0.0.1:2379", "name": "b"})
        write_binding(root, "b", "etcd", {"endpoints": "https://10.0.0.2:2379"})
        env = {"SERVICE_BINDING_ROOT": str(root), "BPL_ETCD_PROXY_BINDING": "b"}
        self.assertEqual(self.endpoints_printed(env), ["--endpoints=https://10.0.0.2:2379"])


class VcapServicesFileTest(HelperTestCase):
    """A VCAP_SERVICES_FILE_PATH file's keys and service names never appear in a message."""

    fake_etcd_version = "3.6.14"

    def refusal(self, document: object) -> str:
        path = self.tmp / "vcap.json"
        path.write_text(json.dumps(document))
        line = self.assert_refused(self.image.run_helper(["print"], self.proxy_env(VCAP_SERVICES_FILE_PATH=str(path))),
                                   f"VCAP_SERVICES_FILE_PATH {path}")
        self.assertNotIn(SECRET, line)
        return line

    def test_keys_and_names_go_by_position(self) -> None:
        self.assertIn("service list 2 is not a list of services",
                      self.refusal({"etcd": [], f"{SECRET}-provider": {"not": "a list"}}))
        self.assertIn("service 1 credentials.endpoints must be a list or string",
                      self.refusal({f"{SECRET}-provider": [{"name": f"{SECRET}-name", "tags": ["etcd"],
                                                            "credentials": {"endpoints": 5}}]}))
        self.assertIn("has 2 etcd services (service 1, service 2)",
                      self.refusal({"p": [{"name": f"{SECRET}-one", "tags": ["etcd"]},
                                          {"name": f"{SECRET}-two", "tags": ["etcd"]}]}))


class MappingEntryTest(CnbBuildTestCase):
    """A dependency-mapping entry must hold a download URL; anything else is refused by name."""

    def test_an_entry_linked_to_a_secret_file_is_refused_without_showing_it(self) -> None:
        tarball = tarballs.fake_etcd_release("3.6.2", ARCH)
        sha = tarballs.sha256_hex(tarball)
        lc = self.lifecycle(self.make_buildpack([make_dependency(
            "3.6.2", self.site.add_file(release_path("3.6.2"), tarball), sha, arch=ARCH)]))
        secret = self.tmp / "token"
        secret.write_text(f"{SECRET}\n")
        binding = lc.add_binding("mapping", "dependency-mapping", {})
        (binding / sha).symlink_to(secret)  # followed, as a projected secret's ..data links must be
        result = lc.build()
        line = self.assert_fails(result, f"dependency-mapping binding 'mapping' entry {sha}",
                                 "does not hold a well-formed https://, http:// or file:// URL")
        self.assertNotIn(SECRET, result.output, line)
        self.assertEqual(self.site.count(release_path("3.6.2")), 0, "nothing was downloaded")


class ReadOnlyRootDocsTest(unittest.TestCase):
    """The README says what to mount for embedded mode under Kubernetes' readOnlyRootFilesystem."""

    def test_the_readme_names_the_writable_mount(self) -> None:
        readme = (REPO_ROOT / "README.md").read_text()
        section = readme[readme.index("## One container: embedded mode"):readme.index("## Running the proxy as a Kubernetes sidecar")]
        self.assertIn("readOnlyRootFilesystem", section)
        self.assertIn("TMPDIR", section)
        examples = [yaml.safe_load(textwrap.dedent(block)) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]
        pods = [doc["spec"] for doc in examples if isinstance(doc, dict) and "spec" in doc]
        self.assertEqual(len(pods), 1, section)
        [container] = pods[0]["containers"]
        self.assertTrue(container["securityContext"]["readOnlyRootFilesystem"])
        [mount] = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
        [volume] = [v for v in pods[0]["volumes"] if v["name"] == mount["name"]]
        self.assertIn("emptyDir", volume)

if __name__ == "__main__":
    unittest.main()

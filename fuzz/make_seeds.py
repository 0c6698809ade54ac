#!/usr/bin/env python3
"""Writes the seed corpora (fuzz/corpus/<target>/) and dictionaries (fuzz/<target>.dict).

Deterministic: run it again and nothing changes (fixed mtimes, gzip without timestamps), so the
committed files can be compared with `git diff` after editing this script. Every seed stays
under 4 KB except the copy of the real buildpack.toml.

    python3 fuzz/make_seeds.py          # from anywhere; paths are relative to this file
"""

import gzip
import io
import os
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
MAX_SEED = 4096
SHA = "4c3e5e58ac5e2d1a2b9c0e4e6d3f1b2a5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f"  # bindings_fuzz's dependency
MTIME = 1700000000


WRITTEN = set()  # (target, name) of every seed this run writes


def write(target, name, data, limit=MAX_SEED):
    if isinstance(data, str):
        data = data.encode()
    if limit is not None and len(data) >= limit:
        raise SystemExit(f"seed {target}/{name} is {len(data)} bytes (limit {limit})")
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    WRITTEN.add((target, name))
    with open(os.path.join(directory, name), "wb") as out:
        out.write(data)


def write_dict(target, tokens):
    lines = [f"# libFuzzer dictionary for {target}_fuzz, written by make_seeds.py"]
    for token in tokens:
        escaped = "".join(
            c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else "\\x%02X" % ord(c) for c in token
        )
        lines.append(f'"{escaped}"')
    with open(os.path.join(HERE, f"{target}.dict"), "w") as out:
        out.write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------------------------
# Tarballs


def script(version, name):
    return f"#!/bin/sh\necho '{name} Version: {version}'\necho 'etcd Version: {version}'\n".encode()


def tar_bytes(members, fmt=tarfile.GNU_FORMAT, pad=False):
    """members: (TarInfo, bytes or None). Without `pad`, the archive ends right after its two
    zero end blocks instead of filling tarfile's 10 KB record, which keeps seeds small."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for info, data in members:
            info.mtime = MTIME
            info.uname = info.gname = "root"
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
        end = tar.offset
    raw = buf.getvalue()
    return raw if pad else raw[:end] + b"\0" * 1024


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def reg(name, data, mode=0o755):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    return info, data


def directory(name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    return info, None


def link(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    info.mode = 0o777
    return info, None


def special(name, kind):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.devmajor, info.devminor = 1, 3
    info.mode = 0o644
    return info, None


def release(top, version="3.6.14", extra=()):
    return [
        directory(top + "/"),
        reg(top + "/etcd", script(version, "etcd")),
        reg(top + "/etcdctl", script(version, "etcdctl")),
        reg(top + "/etcdutl", script(version, "etcdutl")),
        reg(top + "/README.md", b"# etcd\n", 0o644),
        *extra,
    ]


def patch_size(raw, member_index, size):
    """Sets the size field of the member_index-th header (counting 512-byte headers of
    zero-size members laid out back to back) and fixes its checksum."""
    raw = bytearray(raw)
    offset = 512 * member_index
    raw[offset + 124 : offset + 136] = b"%011o\0" % size
    raw[offset + 148 : offset + 156] = b"        "
    checksum = sum(raw[offset : offset + 512])
    raw[offset + 148 : offset + 156] = b"%06o\0 " % checksum
    return bytes(raw)


def tarball_seeds():
    top = "etcd-v3.6.14-linux-amd64"
    t = "tarball"

    def both(name, members, fmt=tarfile.GNU_FORMAT):
        """Writes name.tar.gz and, when it fits, the plain name.tar: libFuzzer's mutations reach
        the tar headers of a plain archive directly, while the gzip seeds cover the real format."""
        raw = tar_bytes(members, fmt)
        write(t, name + ".tar.gz", gz(raw))
        if len(raw) < MAX_SEED:
            write(t, name + ".tar", raw)

    # Genuine layouts.
    write(t, "release.tar.gz", gz(tar_bytes(release(top))))
    write(t, "release-3.5.tar.gz", gz(tar_bytes(release("etcd-v3.5.33-linux-arm64", "3.5.33"))))
    write(t, "release-pax.tar.gz", gz(tar_bytes(release(top), fmt=tarfile.PAX_FORMAT)))
    write(t, "release-ustar.tar.gz", gz(tar_bytes(release(top), fmt=tarfile.USTAR_FORMAT)))
    both("release-small", [directory(top + "/"), reg(top + "/etcd", script("3.6.14", "etcd")),
                           reg(top + "/etcdctl", script("3.6.14", "etcdctl"))])
    both("dot-slash-names", [reg("./" + top + "/./etcd", script("3.6.14", "etcd")),
                             reg(top + "//etcdctl", script("3.6.14", "etcdctl"))])
    long_dir = top + "/" + "d" * 120
    both("gnu-longname", [reg(long_dir + "/etcd", b"x"), reg(top + "/etcd", b"y")])
    both("pax-longname", [reg(long_dir + "/etcd", b"x"), reg(top + "/etcd", b"y")], fmt=tarfile.PAX_FORMAT)
    both("gnu-longlink", [reg(top + "/etcd", b"x"), link(top + "/l", "d/" * 60 + "x")])
    raw = tar_bytes(release(top))
    write(t, "two-gzip-members.tar.gz", gz(raw[:1536]) + gz(raw[1536:]))
    both("top-level-only", [reg("etcd", b"x"), reg("etcdctl", b"y")])
    write(t, "empty-archive.tar", b"\0" * 1024)
    write(t, "empty-file", b"")
    # Broken streams.
    good = gz(raw)
    write(t, "truncated-gzip.tar.gz", good[: len(good) // 2])
    write(t, "truncated-member.tar", tar_bytes([reg(top + "/etcd", b"#!/bin/sh\n" * 100)])[:700])
    write(t, "not-an-archive.txt", b"this is not a tarball\n")
    write(t, "gzip-of-text.gz", gz(b"hello\n" * 20))
    # Malicious.
    both("dotdot", [reg(top + "/../../evil", b"pwned"), reg(top + "/etcd", b"x")])
    both("dotdot-placed", [reg(top + "/../etcd", b"pwned")])
    both("absolute", [reg("/tmp/bp-fuzz-evil", b"pwned")])
    both("symlink-escape", [directory(top + "/"), link(top + "/etcd", "../../../../../etc/passwd")])
    both("symlink-absolute", [link(top + "/etcd", "/etc/passwd")])
    both("symlink-dir-then-file", [link(top + "/bin", "/tmp"), reg(top + "/bin/etcd", b"pwned"),
                                   link(top + "/inner", "."), reg(top + "/inner/etcd", b"through an inside link")])
    both("symlink-inside-placed", [reg(top + "/real-etcd", b"x"), link(top + "/etcd", "real-etcd")])
    both("hardlink-absolute", [link(top + "/etcd", "/etc/passwd", tarfile.LNKTYPE)])
    both("hardlink-dotdot", [link(top + "/etcd", "../../etc/passwd", tarfile.LNKTYPE)])
    both("hardlink-inside", [reg(top + "/etcd", script("3.6.14", "etcd")),
                             link(top + "/etcdctl", top + "/etcd", tarfile.LNKTYPE)])
    both("chardev", [special(top + "/etcd", tarfile.CHRTYPE)])
    both("blockdev", [special(top + "/sda", tarfile.BLKTYPE)])
    both("fifo", [special(top + "/etcdctl", tarfile.FIFOTYPE)])
    both("duplicate", [reg(top + "/etcd", b"one"), reg(top + "/etcd", b"two")])
    both("placed-is-dir", [directory(top + "/etcd/"), reg(top + "/etcd/x", b"x")])
    both("pax-path-dotdot", [reg(top + "/" + "../" * 40 + "x" * 10, b"pwned")], fmt=tarfile.PAX_FORMAT)
    huge = patch_size(tar_bytes([reg(top + "/etcd", b"")]), 0, 0o77777777777)
    write(t, "declared-8gb.tar.gz", gz(huge))
    write(t, "declared-8gb.tar", huge)


# --------------------------------------------------------------------------------------------
# Text seeds

WANTED = {"version": "3.6.14", "sha256": "a" * 64, "os": "linux", "arch": "amd64", "layout": "1"}


def layer_metadata_seeds():
    t = "layer_metadata"
    meta = "".join(f'  {k} = "{v}"\n' for k, v in WANTED.items())
    write(t, "equal.toml", "[types]\n  launch = true\n  cache = true\n\n[metadata]\n" + meta)
    write(t, "restored-only-metadata.toml", "[metadata]\n" + meta)
    write(t, "floats-after-json.toml",
          "[metadata]\n" + meta.replace('"1"', "1.0").replace('version = "3.6.14"', "version = 3.6"))
    write(t, "integer-layout.toml", "[metadata]\n" + meta.replace('"1"', "1"))
    write(t, "changed-sha.toml", "[metadata]\n" + meta.replace("a" * 64, "b" * 64))
    write(t, "with-file-list.toml", "[metadata]\n" + meta + '  files = "bin/etcd,bin/etcdctl,etcd-version"\n')
    write(t, "changed-version.toml", "[metadata]\n" + meta.replace("3.6.14", "3.5.33"))
    write(t, "extra-key.toml", "[metadata]\n" + meta + '  extra = "x"\n')
    write(t, "missing-key.toml", "[metadata]\n" + meta.replace('  os = "linux"\n', ""))
    write(t, "inline-table.toml", "metadata = { " + ", ".join(f'{k} = "{v}"' for k, v in WANTED.items()) + " }\n")
    write(t, "dotted-keys.toml", "".join(f'metadata.{k} = "{v}"\n' for k, v in WANTED.items()))
    write(t, "nested-table.toml", "[metadata]\n" + meta + "[metadata.sub]\n  x = \"y\"\n")
    write(t, "metadata-not-table.toml", 'metadata = "3.6.14"\n')
    write(t, "datetime.toml", "[metadata]\n  version = 1979-05-27T07:32:00Z\n")
    write(t, "array.toml", '[metadata]\n  version = ["3.6.14"]\n')
    write(t, "no-metadata.toml", "[types]\n  launch = true\n")
    write(t, "not-toml.toml", "[metadata\nversion = \n")
    write(t, "escapes.toml", '[metadata]\n  version = "3.6.14\\u0000"\n  "key with \\" quote" = \'literal\'\n'
          '  multi = """\nline\n"""\n')
    write(t, "empty.toml", "")


def buildpack_toml_seeds():
    t = "buildpack_toml"
    with open(os.path.join(REPO, "buildpack.toml"), "rb") as f:
        write(t, "buildpack.toml", f.read(), limit=None)
    dep = f'''  [[metadata.dependencies]]
    id = "etcd"
    version = "3.6.14"
    uri = "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz"
    sha256 = "{SHA}"
    os = "linux"
    arch = "amd64"
'''
    head = 'api = "0.10"\n[buildpack]\n  id = "x/etcd"\n  version = "0.1.0"\n\n[metadata]\n'
    write(t, "minimal.toml", head + dep)
    write(t, "checksum-key.toml", head + dep.replace(f'sha256 = "{SHA}"', f'checksum = "sha256:{SHA}"'))
    write(t, "bad-sha.toml", head + dep.replace(SHA, SHA.upper()))
    write(t, "bad-version.toml", head + dep.replace('version = "3.6.14"', 'version = "3.6"'))
    write(t, "strip-out-of-range.toml", head + dep + "    strip-components = 9\n")
    write(t, "strip-negative.toml", head + dep + "    strip-components = -1\n")
    write(t, "strip-huge.toml", head + dep + "    strip-components = 4294967297\n")
    write(t, "licenses-mixed.toml", head + dep + '    licenses = ["MIT", { type = "Apache-2.0", uri = "u" }, 3]\n')
    write(t, "wrong-types.toml", head.replace('"0.1.0"', "1") + dep.replace('os = "linux"', "os = 1"))
    write(t, "defaults-and-configs.toml", head + '  cf-stacks = "cflinuxfs4"\n  [metadata.default-versions]\n'
          '    etcd = "~3.5"\n  [[metadata.configurations]]\n    name = "BP_ETCD_VERSION"\n    default = "3.6.*"\n'
          '    build = "yes"\n' + dep + "    deprecation_date = 2030-01-01T00:00:00Z\n")
    write(t, "many-versions.toml", head + "".join(
        dep.replace("3.6.14", v) for v in ["3.6.14", "3.6.0-rc.1", "3.5.33", "3.4.37", "3.6.14-alpha.10"]))
    write(t, "dependencies-not-tables.toml", head + "  dependencies = [1, 2]\n")
    write(t, "targets.toml", head + '[[targets]]\n  os = "linux"\n  arch = "arm64"\n[[targets]]\n  os = 7\n')
    write(t, "no-id.toml", '[buildpack]\n  version = "1.0.0"\n')
    write(t, "not-toml.toml", "api = \n[buildpack\n")


def version_seeds():
    t = "version_constraint"
    good = ["3.6.14", "v3.6.14", "3.6.*", "3.*", "3.6", "3.x", "~3.5", "~> 3.5", "~>3.5.2", "^3.5.0", "^0.2",
            "^0.0.3", ">=3.5,<3.7", ">=3.5 <3.7", "1.2 - 1.4", "1.2.3 - 1.4.5", "3.5.* || 3.6.*", "*", "latest",
            "LATEST", "3.6.14-rc.1+build.5", "=3.6.14", "!=3.6.0", "<=3.6", ">3", ">3.6.14", "<3.6.0-rc.2",
            "3.6.0-alpha.1 || >=3.6.0-rc.1 <3.6.0"]
    bad = ["3.6.14.1", "01.2.3", ">=", "3.x.1", "1.2.3-", "~", "||", "1.2 - ", "1.2.3-rc..1", "!=3.6",
           "3.6.14 ||", "a.b.c", "1234567890.0.0", "3.6\t.1", ""]
    for i, text in enumerate(good):
        write(t, f"good-{i:02d}", text)
    for i, text in enumerate(bad):
        write(t, f"bad-{i:02d}", text)
    write(t, "with-versions", "~3.6\n3.6.0-rc.1\n3.6.0\n3.6.99\n3.7.0-rc.1\n3.7.0\n")
    write(t, "prerelease-order", "*\n1.0.0-alpha\n1.0.0-alpha.1\n1.0.0-alpha.beta\n1.0.0-beta.2\n1.0.0-beta.11\n"
          "1.0.0-rc.1\n1.0.0\n1.0.0-01\n1.0.0-1\n1.0.0-1234567890\n")


def mirror_seeds():
    t = "mirror"
    write(t, "default-original-host", "BP_DEPENDENCY_MIRROR=https://mirror.example.org/{originalHost}\n")
    write(t, "per-host", "BP_DEPENDENCY_MIRROR_GITHUB_COM=https://user:pass@mirror.example.org/gh/\n"
          "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd.tgz\n")
    write(t, "dashes", "BP_DEPENDENCY_MIRROR_MY__HOST_ORG=https://m.example/\nhttps://my-host.org/x/y.tgz?sig=1\n")
    write(t, "file-mirror", "BP_DEPENDENCY_MIRROR=file:///srv/mirror\n")
    write(t, "http-refused", "BP_DEPENDENCY_MIRROR=http://insecure.example/\n")
    write(t, "blank-and-spaces", "BP_DEPENDENCY_MIRROR=   \nBP_DEPENDENCY_MIRROR_EXAMPLE_ORG=  https://m.example  \n")
    write(t, "ipv6", "BP_DEPENDENCY_MIRROR=https://[fd00::1]:8443/{originalHost}/\nhttp://[::1]:8080/a.tgz\n")
    write(t, "bad-port", "BP_DEPENDENCY_MIRROR=https://mirror:99999/\n")
    write(t, "url-userinfo-query", "https://u:p@h.example:2379/path?token=x#frag")
    write(t, "url-no-scheme", "u:p@h.example:2379/path")
    write(t, "url-no-scheme-query", "root:s3cret@etcd:2379?token=x")
    write(t, "url-brackets", "https://[::1/x")
    write(t, "file-url", "file://localhost/srv/etcd.tgz")


def bindings_seeds():
    t = "bindings"
    write(t, "etcd-tls", "my-etcd/type=etcd\nmy-etcd/provider=bitnami\n"
          "my-etcd/endpoints=https://etcd-a.internal:2379, https://etcd-b.internal:2379\n"
          "my-etcd/ca.crt=-----BEGIN CERTIFICATE-----\nmy-etcd/tls.crt=-----BEGIN CERTIFICATE-----\n"
          "my-etcd/tls.key=-----BEGIN EC PRIVATE KEY-----\nmy-etcd/namespace=/app1/\n")
    write(t, "k8s-projection", "my-etcd/..2024_01_01/type=etcd\nmy-etcd/..2024_01_01/host=etcd.internal\n"
          "my-etcd/..2024_01_01/port=2379\nmy-etcd/..data->..2024_01_01\nmy-etcd/type->..data/type\n"
          "my-etcd/host->..data/host\nmy-etcd/port->..data/port\n")
    write(t, "selector", "selector=b\na/type=etcd\na/endpoints=a.internal:2379\nb/type=ETCD\n"
          "b/uri=https://user:pw@b.internal:2379\nb/key=k\n")
    write(t, "two-etcd-no-selector", "a/type=etcd\na/endpoints=a:2379\nb/type=etcd\nb/host=b\n")
    write(t, "selector-not-etcd", "selector=db\ndb/type=postgresql\ndb/host=pg\n")
    write(t, "mirror-and-mapping", "mirror/type=dependency-mirror\n"
          "mirror/default=https://mirror.example.org/{originalHost}\nmirror/github.com=file:///srv/gh\n"
          f"mapping/type=dependency-mapping\nmapping/{SHA}=https://internal.example/etcd.tgz\n")
    write(t, "mapping-empty-entry", f"mapping/type=dependency-mapping\nmapping/{SHA}=   \n")
    write(t, "mirror-http", "mirror/type=dependency-mirror\nmirror/default=http://mirror.example.org/\n")
    write(t, "two-mirrors", "m1/type=dependency-mirror\nm1/default=https://a/\nm2/type=dependency-mirror\n")
    write(t, "odd-layouts", "notype/endpoints=x:1\ndirtype/type/\n.hidden/type=etcd\nREADME=root file\n"
          "e/type=  Etcd \t\ne/.dotfile=x\ne/sub/\ne/endpoints=,, 10.0.0.1:2379 ,\n")
    write(t, "symlink-loop", "loop/type=etcd\nloop/endpoints->endpoints\n")
    write(t, "dangling", "d/type->nowhere\nd/endpoints->missing\n")
    write(t, "own-listener", "e/type=etcd\ne/endpoints=127.0.0.1:2379\n")
    write(t, "http-with-tls", "e/type=etcd\ne/endpoints=http://etcd:2379\ne/ca=x\n")
    write(t, "userinfo-no-scheme", "e/type=etcd\ne/host=root:s3cret@etcd\ne/port=2379\n")
    write(t, "empty", "")


VCAP_EXAMPLE = """{"user-provided":[{"label":"user-provided","name":"my-etcd","instance_name":"my-etcd",
 "binding_name":null,"tags":["etcd"],"syslog_drain_url":null,"volume_mounts":[],
 "credentials":{"endpoints":["https://etcd-a.internal:2379","https://etcd-b.internal:2379"],
  "ca":"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----","cert":"-----BEGIN CERTIFICATE-----\\nMIIB",
  "key":"-----BEGIN EC PRIVATE KEY-----\\nMHc","namespace":"/app1/"}}]}
"""


def vcap_seeds():
    t = "vcap_services"
    write(t, "cf-contract-example.json", VCAP_EXAMPLE)
    write(t, "label-only.json", '{"p-etcd":[{"label":"p-etcd","name":"etcd-1","plan":"small","tags":[],'
          '"credentials":{"uri":"http://etcd.internal:2379"}}]}')
    write(t, "comma-string.json", '{"user-provided":[{"name":"e","tags":["ETCD-v3"],'
          '"credentials":{"endpoints":"https://a:2379, https://b:2379,","cacert":"x\\\\ny"}}]}')
    write(t, "two-tagged.json", '{"user-provided":[{"name":"my-etcd","tags":["etcd"],"credentials":{"uris":["a:1"]}},'
          '{"name":"other","binding_name":"b","tags":["etcd"],"credentials":{"uri":"b:2"}}]}')
    write(t, "binding-name.json", '{"x":[{"name":"n","instance_name":"i","binding_name":"my-etcd",'
          '"credentials":{"endpoints":["https://h:2379"],"client_cert":"C","client_key":"K","ca_cert":"A"}}]}')
    write(t, "wrong-types.json", '{"etcd":[{"name":"e","tags":["etcd"],"credentials":{"endpoints":[1,2],"ca":5}}]}')
    write(t, "namespace-not-string.json", '{"etcd":[{"name":"e","tags":["etcd"],'
          '"credentials":{"endpoints":"h:1","namespace":{}}}]}')
    write(t, "no-credentials.json", '{"etcd":[{"name":"e","tags":["etcd"],"credentials":null}]}')
    write(t, "not-list.json", '{"etcd":{"name":"e"}}')
    write(t, "service-not-object.json", '{"etcd":["e"]}')
    write(t, "http-with-tls.json", '{"etcd":[{"name":"e","tags":["etcd"],'
          '"credentials":{"endpoints":"http://h:2379","ca":"PEM"}}]}')
    write(t, "own-listener.json", '{"etcd":[{"name":"e","tags":["etcd"],'
          '"credentials":{"endpoints":["https://localhost:2379"]}}]}')
    write(t, "no-endpoints.json", '{"etcd":[{"name":"e","tags":["etcd"],"credentials":{}}]}')
    write(t, "userinfo-https.json", '{"etcd":[{"name":"e","tags":["etcd"],'
          '"credentials":{"endpoints":["https://root:s3cret@etcd:2379/"]}}]}')
    write(t, "userinfo-no-scheme.json", '{"etcd":[{"name":"e","tags":["etcd"],'
          '"credentials":{"endpoints":"root:s3cret@etcd-a:2379, https://u:p@etcd-b:2379"}}]}')
    write(t, "empty-object.json", "{}")
    write(t, "array.json", "[]")
    write(t, "deep.json", "[" * 600 + "]" * 600)
    write(t, "unicode.json", '{"\\u00e9tcd":[{"name":"\\ud83d\\ude00","label":"ETCD","credentials":'
          '{"endpoints":"h\\u0000:1"}}]}')
    write(t, "invalid.json", '{"etcd":[{"name":')


def plan_seeds():
    t = "plan"
    entry = ('[[entries]]\n  name = "etcd"\n  [entries.metadata]\n    version = "3.6.*"\n'
             '    version-source = "BP_ETCD_VERSION"\n    launch = true\n')
    write(t, "etcd-request.toml", entry)
    write(t, "default-source.toml", entry.replace("BP_ETCD_VERSION", "default-versions"))
    write(t, "no-source.toml", entry.replace('    version-source = "BP_ETCD_VERSION"\n', ""))
    write(t, "other-first.toml", '[[entries]]\n  name = "node"\n' + entry)
    write(t, "name-not-string.toml", "[[entries]]\n  name = 5\n")
    write(t, "version-int.toml", entry.replace('"3.6.*"', "3"))
    write(t, "entries-not-array.toml", 'entries = "etcd"\n')
    write(t, "entries-of-strings.toml", 'entries = ["etcd"]\n')
    write(t, "detect-output.toml", '[[provides]]\n  name = "etcd"\n\n[[requires]]\n  name = "etcd"\n'
          '  [requires.metadata]\n    launch = true\n    version = "~3.5"\n    version-source = "BP_ETCD_VERSION"\n')
    write(t, "request-lines", "~3.5\nBP_ETCD_VERSION\n")
    write(t, "request-quotes", '3.6."\\\n\tsource with "quotes" and \x01\n')
    write(t, "floats-and-dates.toml", "a = nan\nb = -inf\nc = 1e300\nd = 1979-05-27T07:32:00.999999-07:00\n"
          "e = 07:32:00\nf = 0x7fffffffffffffff\ng = -9223372036854775808\n")
    write(t, "not-toml.toml", "[[entries]\n")
    write(t, "empty.toml", "")


def helper_args_seeds():
    t = "helper_args"
    args = {
        "print": ["print", "--max-send-bytes=4194304"],
        "health": ["health", "--timeout", "3"],
        "health-eq": ["health", "--timeout=86400"],
        "health-bad": ["health", "--timeout=abc"],
        "health-big": ["health", "--timeout", "999999999999999999"],
        "version": ["--version"],
        "help": ["-h"],
        "run-env": ["BPL_ETCD_PROXY_ENDPOINTS=https://a:2379,https://b:2379", "BPL_ETCD_PROXY_LISTEN_ADDR=:2380",
                    "BPL_ETCD_PROXY_NAMESPACE=/app/", "BPL_ETCD_PROXY_METRICS_ADDR=127.0.0.1:9100"],
        "tls-env": ["BPL_ETCD_PROXY_ENDPOINTS=etcd:2379", "BPL_ETCD_PROXY_CACERT=/ca.pem",
                    "BPL_ETCD_PROXY_CERT=/c.pem", "BPL_ETCD_PROXY_KEY=/k.pem", "BPL_ETCD_PROXY_DATA_DIR=/tmp/d"],
        "http-with-tls": ["BPL_ETCD_PROXY_ENDPOINTS=http://a:2379", "BPL_ETCD_PROXY_CACERT=/ca.pem"],
        "insecure": ["BPL_ETCD_PROXY_ENDPOINTS=https://a:2379", "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY=TRUE"],
        "insecure-bad": ["BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY=maybe"],
        "userinfo-no-scheme": ["print", "BPL_ETCD_PROXY_ENDPOINTS=root:s3cret@etcd:2379,https://u:p@b:2379/"],
        "listen-self": ["BPL_ETCD_PROXY_ENDPOINTS=0.0.0.0:2379", "BPL_ETCD_PROXY_LISTEN_ADDR=127.0.0.1:2379"],
        "listen-bad": ["BPL_ETCD_PROXY_ENDPOINTS=a:1", "BPL_ETCD_PROXY_LISTEN_ADDR=http://x:1/"],
        "strings": [" true ", "FALSE", "007", "0", " 86400 ", "a,,b , c", "x:y::z", "https://u:p@h/x?q"],
    }
    for name, values in args.items():
        write(t, name, "\0".join(values))


def manifests_seeds():
    """The first byte picks the manifest kind (the order of bp::ManifestKind), the rest is text."""
    t = "manifests"
    dep = "<dependency><groupId>io.etcd</groupId><artifactId>jetcd-core</artifactId></dependency>"
    kinds = [
        ("requirements", ["flask==3.0\netcd3==0.12.0 ; python_version > '3'\n",
                          "-e git+https://x/python-etcd3.git#egg=etcd3\nflask \\\n  --hash=sha256:00\n# aetcd\n"]),
        ("pyproject", ["[project]\ndependencies = ['etcd3>=0.12']\n[project.optional-dependencies]\nkv = ['aetcd']\n",
                       "[tool.poetry.group.dev.dependencies]\nETCD3GW = '*'\n[dependency-groups]\nt = ['x']\n"]),
        ("pipfile", ["[packages]\n\"etcd3\" = '==0.12'\n[dev-packages]\naetcd = {version = '*'}\n"]),
        ("setup-cfg", ["[options]\ninstall_requires =\n    flask\n    etcd3>=0.12\n[options.extras_require]\nkv = aetcd\n"]),
        ("package-json", ['{"dependencies":{"etcd3":"^1.1.2"},"devDependencies":{"kv":"npm:etcd3@^1"}}',
                          '{"name":"etcd3","description":"etcd3","dependencies":["etcd3"]}']),
        ("go-mod", ["module x\n\ngo 1.22\n\nrequire (\n\tgo.etcd.io/etcd/client/v3 v3.5.17 // indirect\n"
                    "\tgithub.com/coreos/etcd v3.3.27+incompatible\n)\nreplace go.etcd.io/etcd => ../etcd\n"]),
        ("pom", ['<?xml version="1.0"?>\n<!-- app -->\n<project><dependencies>' + dep + "<dependency><groupId>x"
                 "</groupId><exclusions><exclusion><groupId>io.etcd</groupId></exclusion></exclusions></dependency>"
                 "</dependencies><build><plugins><plugin><dependencies>" + dep + "</dependencies></plugin></plugins>"
                 "</build></project>\n"]),
        ("gradle", ["dependencies {\n  implementation 'io.etcd:jetcd-core:0.8.4' // c\n  /* x */ api(group = \"io.etcd\",\n"
                    "    name = \"jetcd-core\")\n  testImplementation \"\"\"io.etcd:jetcd-test\"\"\"\n}\n"]),
        ("catalog", ["[versions]\nj = '0.8'\n[libraries]\na = 'io.etcd:jetcd-core:0.8'\nb = { module = 'io.etcd:jetcd-core' }\n"
                     "c = { group = 'io.etcd', name = 'jetcd-core', version.ref = 'j' }\n"]),
        ("gemfile", ["source 'https://rubygems.org'\ngem \"etcdv3\", \"~> 0.11\"\n# gem 'etcd'\ngem('sinatra')\n"]),
        ("gemfile-lock", ["GEM\n  remote: https://rubygems.org/\n  specs:\n    etcdv3 (0.11.6)\n      grpc (~> 1.17)\n\n"
                          "PLATFORMS\n  ruby\n\nDEPENDENCIES\n  etcdv3 (~> 0.11)\n  x!\n\nBUNDLED WITH\n   2.5.3\n"]),
        ("csproj", ['\ufeff<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="dotnet-etcd" '
                    'Version="7.2.0" /><PackageReference Update="x"><Version>1</Version></PackageReference>'
                    "</ItemGroup><![CDATA[x]]></Project>"]),
        ("cargo", ["[dependencies]\netcd-client = '0.14'\n[dev-dependencies]\netcd = { package = 'etcd-client' }\n"
                   "[target.'cfg(unix)'.build-dependencies]\nx = '1'\n[workspace.dependencies]\ny = '1'\n"]),
    ]
    for index, (name, texts) in enumerate(kinds):
        for n, text in enumerate(texts):
            write(t, f"{index:02d}-{name}-{n}", bytes([index]) + text.encode())


def dictionaries():
    toml = ["[", "]", "[[", "]]", "=", '"', "'", '"""', "'''", "\\u", "\\U", "#", ",", "{", "}", ".", "true",
            "false", "nan", "inf", "-inf", "0x", "0o", "0b", "1979-05-27T07:32:00Z", "07:32:00", "\n", "\\n"]
    write_dict("buildpack_toml", toml + [
        "api", "[buildpack]", "id", "name", "version", "homepage", "sbom-formats", "[[targets]]", "os", "arch",
        "[metadata]", "cf-stacks", "[metadata.default-versions]", "etcd", "[[metadata.dependencies]]",
        "[[metadata.configurations]]", "uri", "sha256", "checksum", "sha256:", "purl", "cpes", "licenses", "type",
        "source", "source-sha256", "deprecation_date", "strip-components", "default", "description", "build",
        "launch", "linux", "amd64", "arm64", "3.6.14", "3.6.*", SHA])
    write_dict("layer_metadata", toml + [
        "[metadata]", "[types]", "metadata", "version", "sha256", "os", "arch", "layout", "files", "linux", "amd64",
        "3.6.14", "a" * 64, "launch", "cache", "build"])
    write_dict("plan", toml + [
        "[[entries]]", "entries", "name", "etcd", "[entries.metadata]", "metadata", "version", "version-source",
        "default-versions", "BP_ETCD_VERSION", "launch", "requires", "provides"])
    write_dict("version_constraint", [
        ".", "*", "x", "X", "v", "-", "+", "||", " - ", ",", " ", "~", "~>", "^", ">=", "<=", "!=", ">", "<", "=",
        "latest", "rc.", "alpha", "beta.", "0", "1", "999999999", "3.6.14", "\n"])
    write_dict("mirror", [
        "BP_DEPENDENCY_MIRROR=", "BP_DEPENDENCY_MIRROR_", "GITHUB_COM", "__", "{originalHost}", "https://",
        "http://", "file://", "file:///", "://", "@", ":", "[", "]", "/", "?", "#", "localhost/", "\n", "=",
        "github.com", "%2F", "***"])
    write_dict("bindings", [
        "\n", "/", "=", "->", "selector=", "type=etcd", "type=dependency-mirror", "type=dependency-mapping",
        "provider=", "endpoints=", "uri=", "host=", "port=", "ca.crt=", "ca=", "tls.crt=", "cert=", "tls.key=",
        "key=", "private-key=", "namespace=", "default=", "github.com=", "..data", "..2024_01_01/", "{originalHost}",
        "https://", "http://", "file://", "127.0.0.1:2379", "@", ",", SHA + "="])
    write_dict("vcap_services", [
        "{", "}", "[", "]", ",", ":", '"', "null", "true", "false", "\\n", "\\\\n", "\\u0000", '"name"', '"label"',
        '"instance_name"', '"binding_name"', '"tags"', '"etcd"', '"credentials"', '"endpoints"', '"uris"', '"uri"',
        '"ca"', '"ca_cert"', '"cacert"', '"cert"', '"client_cert"', '"key"', '"client_key"', '"namespace"',
        '"user-provided"', '"my-etcd"', "https://", "http://", "@", "127.0.0.1:2379", "localhost", "-----BEGIN"])
    write_dict("helper_args", [
        "\0", "print", "health", "--timeout", "--timeout=", "--version", "version", "--help", "-h", "help",
        "BPL_ETCD_PROXY_ENDPOINTS=", "BPL_ETCD_PROXY_LISTEN_ADDR=", "BPL_ETCD_PROXY_NAMESPACE=",
        "BPL_ETCD_PROXY_CACERT=", "BPL_ETCD_PROXY_CERT=", "BPL_ETCD_PROXY_KEY=", "BPL_ETCD_PROXY_METRICS_ADDR=",
        "BPL_ETCD_PROXY_DATA_DIR=", "BPL_ETCD_PROXY_INSECURE_SKIP_TLS_VERIFY=", "true", "false", "https://",
        "http://", "@", ",", ":", "::", "[::1]", "0.0.0.0", "127.0.0.1", "2379", "86400"])
    write_dict("manifests", toml + [
        "etcd3", "aetcd", "etcd3gw", "etcd3-fake", "#egg=", "--hash=", " @ ", "; ", "[project]", "dependencies",
        "optional-dependencies", "[dependency-groups]", "[tool.poetry.dependencies]", "[packages]", "[dev-packages]",
        "[options]", "install_requires", "[options.extras_require]", "\"devDependencies\"", "npm:etcd3@",
        "require", "require (", "// indirect", "go.etcd.io/etcd/client/v3", "github.com/coreos/etcd", "replace",
        "<dependency>", "</dependency>", "<groupId>io.etcd</groupId>", "<artifactId>jetcd-core</artifactId>",
        "<exclusion>", "<plugin>", "<!--", "-->", "<![CDATA[", "<?xml ?>", "/>", "io.etcd:jetcd-core",
        "group:", "name:", "module =", "[libraries]", "implementation", "gem ", "DEPENDENCIES", "  etcdv3",
        "<PackageReference Include=\"dotnet-etcd\"", "Update=", "package =", "etcd-client", "[dependencies]",
        "[target.'cfg(unix)'.dependencies]", "[workspace.dependencies]", "\\\n", "\r\n", "\ufeff"])
    write_dict("address", [
        "127.0.0.1", "localhost", "0.0.0.0", "[::1]", "[::]", "[fe80::1%eth0]", ":2379", ":02379", ":65535",
        ":65536", ":0", "http://", "https://", "@", "/", "?", "#", ",", " ", "\n", "\t", "%"])
    write_dict("redact", [
        "https://", "http://", "file://", "@", "/", "?", "#", ":", "[", "]", "%40", "%2F", "***", "\n",
        "\x1b", "{originalHost}", ":2379", "[::1]"])
    write_dict("tarball", [
        "ustar\0", "ustar  \0", "././@LongLink", "././@PaxHeader", "path=", "linkpath=", "size=", "GNU.sparse.",
        "SCHILY.", "LIBARCHIVE.", "etcd-v3.6.14-linux-amd64/", "etcd", "etcdctl", "etcdutl", "../", "/", "./",
        "\x1f\x8b\x08"])


def address_seeds():
    t = "address"
    write(t, "endpoints.txt", "127.0.0.1:2379\n10.0.0.1:2379\nhttps://etcd.example:2379\n")
    write(t, "leading-zero-self.txt", "127.0.0.1:2379\n127.0.0.1:02379\n")
    write(t, "ipv6.txt", "[::1]:2379\nhttp://[fe80::1%eth0]:2379\n[::]:2379\n")
    write(t, "wildcard.txt", ":2379\nlocalhost:2379\n")
    write(t, "ports.txt", "h:0\nh:99999\nh:65535\nh:1\nh:\nh:x\n")
    write(t, "spaces-controls.txt", "10.0.0.1:2379 --debug\n10.0.0.1:2379\r\nh\t:1\n")
    write(t, "userinfo.txt", "0.0.0.0:2379\nu:p@10.0.0.1:2379\nhttps://u:p/S@10.0.0.1:2379\n")
    write(t, "paths.txt", "127.0.0.1:2379\nhttp://h:1/\nhttp://h:1/x?y#z\nunix:///tmp/s\n")


def redact_seeds():
    t = "redact"
    write(t, "slash.txt", "https://user\np/S3CRET\n10.0.0.1:2379")
    write(t, "query.txt", "https://user\np?S3CRET\nh/x")
    write(t, "fragment.txt", "u\np#S3CRET\nh:1/a?b#c")
    write(t, "at.txt", "u\np@S3CRET\nh")
    write(t, "port-like.txt", "u\n1234/S3CRET\nh:2379")
    write(t, "colon.txt", "u\na:b:c\n[::1]:2379/p")
    write(t, "control.txt", "u\nZ\x1bZ\nh\x07:1")
    write(t, "plain.txt", "https://mirror.example/{originalHost}?X-Amz-Signature=abc#frag")


def is_fuzzer_find(name):
    """Inputs a fuzzing campaign merged into the corpus are named by their SHA-1 (libFuzzer -merge)."""
    return len(name) == 40 and all(c in "0123456789abcdef" for c in name)


def remove_stale_seeds():
    """Deletes the seeds an earlier version of this script wrote and this one does not; keeps finds."""
    for target in sorted(os.listdir(CORPUS)):
        for name in os.listdir(os.path.join(CORPUS, target)):
            if (target, name) not in WRITTEN and not is_fuzzer_find(name):
                os.remove(os.path.join(CORPUS, target, name))


def main():
    tarball_seeds()
    layer_metadata_seeds()
    buildpack_toml_seeds()
    version_seeds()
    mirror_seeds()
    bindings_seeds()
    vcap_seeds()
    plan_seeds()
    helper_args_seeds()
    manifests_seeds()
    address_seeds()
    redact_seeds()
    dictionaries()
    remove_stale_seeds()
    for target in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, target))
        print(f"{target}: {len(files)} seeds")


if __name__ == "__main__":
    main()

"""A throwaway PKI made with the ``openssl`` CLI, for etcd TLS and HTTPS download tests.

Keys are EC P-256 in PKCS#8 (``BEGIN PRIVATE KEY``), which etcd 3.4, Go and Python all
accept; ``client_key_sec1`` holds the client key as ``BEGIN EC PRIVATE KEY``, the form
found in Cloud Foundry credentials.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from .processes import run

_OPENSSL_CONFIG = """\
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""

CLIENT_SUBJECT = "/O=etcd-proxy-test/OU=client"
"""Subject of ``client_cert``: no CN, because etcd's grpc-proxy refuses client certs with one."""

CLIENT_CN = "app-client"
"""The CN of ``client_cn_cert``, the client certificate the grpc-proxy must reject."""


@dataclass(frozen=True)
class Pki:
    """Paths of the PEM files ``make_pki`` wrote."""

    directory: Path
    ca_cert: Path
    ca_key: Path
    server_cert: Path  # SAN IP:127.0.0.1, DNS:localhost; serverAuth + clientAuth (also the peer cert)
    server_key: Path
    client_cert: Path  # empty CN, clientAuth
    client_key: Path
    client_key_sec1: Path  # the same key as "BEGIN EC PRIVATE KEY"
    client_cn_cert: Path  # CN=app-client, clientAuth
    client_cn_key: Path
    other_ca_cert: Path  # an unrelated CA
    other_ca_key: Path
    other_client_cert: Path  # empty CN, issued by the unrelated CA
    other_client_key: Path

    def read(self, name: str) -> str:
        """Return the PEM text of the file attribute ``name`` (e.g. ``"ca_cert"``)."""
        path = getattr(self, name)
        if not isinstance(path, Path) or name == "directory":
            raise AttributeError(f"Pki has no PEM file named {name!r}")
        return path.read_text()


def make_pki(directory: Path) -> Pki:
    """Create a CA, a server/peer cert, client certs and an unrelated CA in ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "openssl.cnf"
    config.write_text(_OPENSSL_CONFIG)
    issuer = _Issuer(directory, config)
    ca_cert, ca_key = issuer.ca("ca", "/O=etcd-proxy-test/CN=etcd-proxy test CA")
    other_ca_cert, other_ca_key = issuer.ca("other-ca", "/O=elsewhere/CN=unrelated test CA")
    server_cert, server_key = issuer.leaf("server", "/O=etcd-proxy-test/CN=localhost", "server", ca_cert, ca_key)
    client_cert, client_key = issuer.leaf("client", CLIENT_SUBJECT, "client", ca_cert, ca_key)
    client_cn_cert, client_cn_key = issuer.leaf(
        "client-cn", f"/O=etcd-proxy-test/CN={CLIENT_CN}", "client", ca_cert, ca_key)
    other_client_cert, other_client_key = issuer.leaf(
        "other-client", CLIENT_SUBJECT, "client", other_ca_cert, other_ca_key)
    client_key_sec1 = directory / "client-key.sec1.pem"
    _openssl("ec", "-in", client_key, "-out", client_key_sec1)
    for key in directory.glob("*key*.pem"):
        key.chmod(0o600)
    return Pki(directory, ca_cert, ca_key, server_cert, server_key, client_cert, client_key,
               client_key_sec1, client_cn_cert, client_cn_key, other_ca_cert, other_ca_key,
               other_client_cert, other_client_key)


class _Issuer:
    """Runs the openssl commands for one PKI directory."""

    def __init__(self, directory: Path, config: Path) -> None:
        self.directory = directory
        self.config = config

    def key(self, name: str) -> Path:
        path = self.directory / f"{name}-key.pem"
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
        return path

    def ca(self, name: str, subject: str) -> tuple[Path, Path]:
        key, cert = self.key(name), self.directory / f"{name}.pem"
        _openssl("req", "-config", self.config, "-x509", "-new", "-key", key, "-sha256", "-days", "3650",
                 "-subj", subject, "-extensions", "ca", "-set_serial", _serial(), "-out", cert)
        return cert, key

    def leaf(self, name: str, subject: str, profile: str, ca_cert: Path, ca_key: Path) -> tuple[Path, Path]:
        key, cert, csr = self.key(name), self.directory / f"{name}.pem", self.directory / f"{name}.csr"
        _openssl("req", "-config", self.config, "-new", "-key", key, "-subj", subject, "-out", csr)
        _openssl("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-set_serial", _serial(),
                 "-sha256", "-days", "825", "-extfile", self.config, "-extensions", profile, "-out", cert)
        csr.unlink()
        return cert, key


def _serial() -> str:
    return "0x" + secrets.token_hex(8)


def _openssl(*args: object) -> None:
    run(["openssl", *map(str, args)], timeout=30).check()

"""Certificates for the proxy's own TLS listener, good and broken in each way etcd's grpc-proxy
cares about, made with the ``openssl`` CLI (``openssl ca`` for the dates ``x509 -req`` cannot set).

Every leaf covers 127.0.0.1 and localhost. Keys are EC P-256 in PKCS#8, as in ``harness/certs.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .processes import run

_CONFIG = """\
[ca]
default_ca = test_ca
[test_ca]
dir = {directory}
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
default_md = sha256
policy = anything
unique_subject = no
[anything]
organizationName = optional
commonName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
[authority]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[both]
basicConstraints = critical, CA:FALSE
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
[server_only]
basicConstraints = critical, CA:FALSE
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
"""

ENCRYPTED_KEY_PASSPHRASE = "listener-passphrase"


@dataclass(frozen=True)
class Listener:
    """A listener certificate and the key file to give with it."""

    cert: Path
    key: Path


@dataclass(frozen=True)
class ListenerPki:
    """The CA (the listener client CA of the tests), an unrelated CA, and listeners."""

    ca: Path
    other_ca: Path
    good: Listener           # issued by ``ca``, serverAuth + clientAuth, valid now
    expired: Listener        # valid 2020-2021
    not_yet_valid: Listener  # valid 2040-2041
    server_only: Listener    # extendedKeyUsage serverAuth only
    foreign: Listener        # issued by ``other_ca``
    wrong_key: Listener      # ``good``'s certificate with ``foreign``'s key
    encrypted_key: Listener  # ``good``'s certificate with its key encrypted (ENCRYPTED_KEY_PASSPHRASE)
    empty_key: Listener      # ``good``'s certificate with an empty key file


def make_listener_pki(directory: Path) -> ListenerPki:
    """Create the certificates in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "issued").mkdir()
    (directory / "index.txt").write_text("")
    (directory / "serial").write_text("1000\n")
    config = directory / "openssl.cnf"
    config.write_text(_CONFIG.format(directory=directory))

    def key(name: str) -> Path:
        path = directory / f"{name}-key.pem"
        _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path)
        path.chmod(0o600)
        return path

    def authority(name: str, subject: str) -> tuple[Path, Path]:
        cert, private = directory / f"{name}.pem", key(name)
        _openssl("req", "-config", config, "-x509", "-new", "-key", private, "-days", "30", "-subj", subject,
                 "-extensions", "authority", "-out", cert)
        return cert, private

    def leaf(name: str, profile: str, issuer: tuple[Path, Path], *dates: str) -> Listener:
        cert, private, csr = directory / f"{name}.pem", key(name), directory / f"{name}.csr"
        _openssl("req", "-config", config, "-new", "-key", private, "-subj", f"/O=etcd-proxy-test/CN={name}", "-out", csr)
        _openssl("ca", "-batch", "-config", config, "-cert", issuer[0], "-keyfile", issuer[1], "-in", csr, "-out", cert,
                 "-extfile", config, "-extensions", profile, "-notext", *(dates or ("-days", "30")))
        return Listener(cert, private)

    ca = authority("ca", "/O=etcd-proxy-test/CN=listener test CA")
    other_ca = authority("other-ca", "/O=elsewhere/CN=unrelated test CA")
    good = leaf("good", "both", ca)
    foreign = leaf("foreign", "both", other_ca)
    encrypted = directory / "good-key.encrypted.pem"
    _openssl("pkey", "-in", good.key, "-aes256", "-passout", f"pass:{ENCRYPTED_KEY_PASSPHRASE}", "-out", encrypted)
    empty = directory / "empty-key.pem"
    empty.write_text("")
    return ListenerPki(
        ca=ca[0], other_ca=other_ca[0], good=good,
        expired=leaf("expired", "both", ca, "-startdate", "20200101000000Z", "-enddate", "20210101000000Z"),
        not_yet_valid=leaf("not-yet-valid", "both", ca, "-startdate", "20400101000000Z", "-enddate", "20410101000000Z"),
        server_only=leaf("server-only", "server_only", ca), foreign=foreign,
        wrong_key=Listener(good.cert, foreign.key), encrypted_key=Listener(good.cert, encrypted),
        empty_key=Listener(good.cert, empty))


def _openssl(*args: object) -> None:
    run(["openssl", *map(str, args)], timeout=30).check()

"""A throwaway certificate authority and a server certificate for 127.0.0.1.

The HTTPS rows must pay for real TLS with verification on, as against a provider, so every
client is made to trust a CA that exists only for this run: made with the openssl CLI where
there is one, else with the `cryptography` package (EC P-256, valid two days).
"""

from __future__ import annotations

import datetime
import importlib
import ipaddress
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Certs:
    ca: Path
    cert: Path
    key: Path
    how: str
    """What made them ("openssl CLI" or "cryptography"), for the report."""


def make_certs(directory: Path) -> Certs:
    """A throwaway CA and a server certificate for 127.0.0.1/localhost (EC P-256)."""
    ca, cert, key = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    openssl = shutil.which("openssl")
    if openssl is not None:
        ca_key, csr, ext = directory / "ca.key", directory / "server.csr", directory / "ext.cnf"
        ext.write_text(
            "basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature\n"
            "extendedKeyUsage=serverAuth\n"
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            "subjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid,issuer\n"
        )
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        ca_ext = ["-addext", "basicConstraints=critical,CA:TRUE"]
        ca_ext += ["-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        steps = [
            [openssl, "req", "-x509", "-new", *ec, "-keyout", str(ca_key), "-out", str(ca),
             "-days", "2", "-subj", "/O=campaign-clients bench/CN=bench CA", *ca_ext],
            [openssl, "req", "-new", *ec, "-keyout", str(key), "-out", str(csr),
             "-subj", "/O=campaign-clients bench/CN=127.0.0.1"],
            [openssl, "x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
             "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext)],
        ]  # fmt: skip
        for step in steps:
            subprocess.run(step, check=True, capture_output=True, timeout=30)
        return Certs(ca, cert, key, "openssl CLI")
    return _make_certs_cryptography(ca, cert, key)


def _make_certs_cryptography(ca_path: Path, cert_path: Path, key_path: Path) -> Certs:
    # Imported by name: `cryptography` is not a dependency of the project, only a fallback.
    x509: Any = importlib.import_module("cryptography.x509")
    oid: Any = importlib.import_module("cryptography.x509.oid")
    hashes: Any = importlib.import_module("cryptography.hazmat.primitives.hashes")
    ser: Any = importlib.import_module("cryptography.hazmat.primitives.serialization")
    ec: Any = importlib.import_module("cryptography.hazmat.primitives.asymmetric.ec")

    now = datetime.datetime.now(datetime.UTC)

    def builder(subject: Any, issuer: Any, public_key: Any, ca: bool) -> Any:
        """What the CA and the server certificate have in common."""
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(oid.NameOID.COMMON_NAME, "bench CA")])
    ca_cert = (
        builder(ca_name, ca_name, ca_key.public_key(), ca=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(oid.NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        builder(name, ca_name, key.public_key(), ca=False)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path.write_bytes(ca_cert.public_bytes(ser.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(ser.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    )
    return Certs(ca_path, cert_path, key_path, "cryptography")

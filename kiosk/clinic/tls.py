"""The service's TLS certificate. ``kiosk clinic init`` makes a self-signed one
(tablets pin it at enrolment, so no public CA is needed); a site may use its own."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.site.files import write_atomically
from kiosk.sync.signing import certificate_fingerprint

CERT_FILE = "clinic-cert.pem"
CERT_KEY_FILE = "clinic-cert.key"


def make_certificate(folder: Path, hosts: list[str], days: int = 825) -> None:
    """A self-signed certificate for ``hosts`` (names or IP addresses)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    alt: list[x509.GeneralName] = []
    for host in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt.append(x509.DNSName(host))
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(
        folder / CERT_KEY_FILE,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        replace=False,  # never over a key in use
    )
    (folder / CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def fingerprint_of(cert_path: Path) -> str:
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return certificate_fingerprint(cert.public_bytes(serialization.Encoding.DER))

"""Test helpers for TLS to the broker: certificates made with `cryptography`, and a TLS-terminating asyncio proxy.

Tansu speaks plain TCP; the proxy in front of it accepts TLS (requiring a client
certificate signed by the test CA) and relays the bytes to the broker, which
advertises the proxy's address so that every client connection goes through TLS.
Nothing here needs a tool outside the test extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ipaddress
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> Path:
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return path


def _write_cert(path: Path, cert: x509.Certificate) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def _certificate(
    subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, issuer_key: ec.EllipticCurvePrivateKey, leaf: str | None
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=leaf is None, path_length=None), critical=True)
    )
    if leaf == "server":
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    elif leaf == "client":
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    else:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(directory: Path, name: str = "test") -> Pki:
    """A CA, a server certificate for 127.0.0.1/localhost and a client certificate, as PEM files in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = f"deidstream {name} CA"
    ca = _write_cert(directory / f"{name}-ca.pem", _certificate(ca_name, ca_key, ca_name, ca_key, None))
    server_key = ec.generate_private_key(ec.SECP256R1())
    client_key = ec.generate_private_key(ec.SECP256R1())
    return Pki(
        ca=ca,
        server_cert=_write_cert(
            directory / f"{name}-server.pem", _certificate("localhost", server_key, ca_name, ca_key, "server")
        ),
        server_key=_write_key(directory / f"{name}-server.key", server_key),
        client_cert=_write_cert(
            directory / f"{name}-client.pem", _certificate("deidstream-worker", client_key, ca_name, ca_key, "client")
        ),
        client_key=_write_key(directory / f"{name}-client.key", client_key),
    )


def client_settings(pki: Pki, ca: Path | None = None) -> dict[str, str]:
    """librdkafka settings of a client that trusts `ca` (the PKI's own by default) and shows the client certificate."""
    return {
        "security.protocol": "SSL",
        "ssl.ca.location": str(ca or pki.ca),
        "ssl.certificate.location": str(pki.client_cert),
        "ssl.key.location": str(pki.client_key),
    }


class TlsProxy:
    """Accepts TLS on `port` (client certificate required) and relays each connection to the broker's plain port."""

    def __init__(self, port: int, target_port: int, pki: Pki) -> None:
        self.port = port
        self._target_port = target_port
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(pki.ca))
        self._context.load_cert_chain(str(pki.server_cert), str(pki.server_key))
        self._context.verify_mode = ssl.CERT_REQUIRED
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tls-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self.handshakes_refused = 0

    def start(self) -> TlsProxy:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._relay, "127.0.0.1", self.port, ssl=self._context), self._loop
        ).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            broker_reader, broker_writer = await asyncio.open_connection("127.0.0.1", self._target_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, broker_writer), _pipe(broker_reader, client_writer))

    def __enter__(self) -> TlsProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, ssl.SSLError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(Exception):
        writer.close()

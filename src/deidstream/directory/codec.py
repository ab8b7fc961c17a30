"""Directory records: keyed by a keyed token of the patient key, valued by the entry under AES-SIV.

The topic holds no readable PHI. Its key is HMAC(secret, patient key), so the same
patient always lands on the same key (which compaction and erasure need) and
nobody without the secret can tell whose it is. Its value is the entry as JSON,
encrypted with AES-SIV under a key derived from the secret for the directory alone,
with the record key as associated data: a value copied under another key, altered,
or written under another secret fails to decrypt instead of seeding the wrong
patient. Each record carries the key id of its secret, so a worker started with
another secret can say so rather than report every record as corrupt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from deidstream.anonymization.secret import Secret
from deidstream.formats.seeds import KnownIdentifiers
from deidstream.stream.records import ProcessingFailure

FORMAT_VERSION = 1
HEADER_KEY_ID = "deidstream.key_id"
HEADER_FORMAT = "deidstream.directory.format"
TOKEN_HEX_CHARS = 32  # 128 bits of HMAC-SHA256

Headers = list[tuple[str, bytes | None]]


class UnreadableRecord(Exception):
    """A directory record this secret cannot read; the detail names what failed, never the content."""

    def __init__(self, reason: ProcessingFailure, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class DirectoryCodec:
    """Record keys and values of the directory topic under one secret."""

    def __init__(self, secret: Secret) -> None:
        self._token_key = secret.derive("directory/key")
        # AES-256-SIV takes 64 bytes: two derived keys, apart from the `encrypt` operator's.
        self._cipher = AESSIV(secret.derive("directory/1") + secret.derive("directory/2"))
        self.key_id = secret.key_id

    def record_key(self, patient_key: bytes) -> bytes:
        """The keyed token of the patient key, in hex: the directory topic's record key."""
        digest = hmac.digest(self._token_key, patient_key.strip(), hashlib.sha256)
        return digest.hex()[:TOKEN_HEX_CHARS].encode("ascii")

    def headers(self) -> Headers:
        return [(HEADER_KEY_ID, self.key_id.encode()), (HEADER_FORMAT, str(FORMAT_VERSION).encode())]

    def encrypt(self, record_key: bytes, known: KnownIdentifiers) -> bytes:
        plain = json.dumps(_as_json(known), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self._cipher.encrypt(bytes([FORMAT_VERSION]) + plain, [record_key])

    def check(
        self, record_key: bytes | None, value: bytes, written_key_id: Callable[[], str | None] = lambda: None
    ) -> bytes:
        """The decrypted value, after the checks every record gets when it is read; else `UnreadableRecord`.

        `written_key_id` reads the record's key id header (`key_id_of`): only when it fails to decrypt, to say
        whether it was written under another secret (reading headers costs more than the decryption).
        """
        try:
            plain = self._cipher.decrypt(value, [record_key or b""])
        except (InvalidTag, ValueError):
            written = written_key_id()
            if written is not None and written != self.key_id:
                raise UnreadableRecord(
                    ProcessingFailure.DIRECTORY_WRONG_KEY,
                    f"written under the secret of key id {written}; this worker's secret has key id {self.key_id}",
                ) from None
            raise UnreadableRecord(
                ProcessingFailure.DIRECTORY_CORRUPT,
                "the value does not decrypt under its key with this secret (altered, moved, or not a directory record)",
            ) from None
        if not record_key:
            raise UnreadableRecord(ProcessingFailure.DIRECTORY_CORRUPT, "the record has no key")
        if not plain or plain[0] != FORMAT_VERSION:
            raise UnreadableRecord(
                ProcessingFailure.DIRECTORY_CORRUPT, f"unknown format {plain[:1].hex() or 'none'}; this worker reads 1"
            )
        return plain[1:]

    def decrypt(self, record_key: bytes, value: bytes) -> KnownIdentifiers:
        """The entry a record holds; `UnreadableRecord` if it cannot be read."""
        plain = self.check(record_key, value)
        try:
            return _from_json(json.loads(plain))
        except (ValueError, TypeError, KeyError) as error:
            raise UnreadableRecord(
                ProcessingFailure.DIRECTORY_CORRUPT, f"the entry is not a directory entry ({type(error).__name__})"
            ) from None


def key_id_of(headers: Any) -> str | None:
    """The key id header of a consumed record (confluent-kafka gives a list of pairs, or a dict), or None."""
    pairs = headers.items() if isinstance(headers, dict) else headers or []
    for name, value in pairs:
        if name == HEADER_KEY_ID:
            text = value.decode("ascii", "replace") if isinstance(value, bytes) else str(value or "")
            return text[:16]
    return None


def _as_json(known: KnownIdentifiers) -> dict[str, Any]:
    return {"names": known.names, "values": known.values, "dates": known.dates}


def _from_json(document: Any) -> KnownIdentifiers:
    known = KnownIdentifiers()
    for given, family in document["names"]:
        known.add_name([str(word) for word in given], [str(word) for word in family])
    for entity_type, value in document["values"]:
        known.add_value(str(entity_type), str(value))
    for year, month, day in document["dates"]:
        known.add_date(int(year), int(month), int(day))
    return known

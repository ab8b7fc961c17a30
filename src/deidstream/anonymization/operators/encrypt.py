"""`encrypt`: `[ENC:PERSON:…]`, the original under AES-SIV, for holders of the secret to reverse.

AES-SIV is deterministic authenticated encryption: the same original gives the
same ciphertext (so records stay linkable and outputs stable), and a ciphertext
altered or made under another secret fails to decrypt instead of giving garbage.
The entity type is bound to the ciphertext as associated data. `deidstream
reidentify` finds these markers in clean records and puts the originals back.
"""

from __future__ import annotations

import base64
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from deidstream.anonymization.operators.base import MessageContext, Operator
from deidstream.anonymization.secret import Secret

MARKER = re.compile(r"\[ENC:(?P<type>[A-Z][A-Z0-9_]*):(?P<data>[A-Za-z0-9_\-]+)\]")


class EncryptOperator(Operator):
    def __init__(self, secret: Secret) -> None:
        # AES-256-SIV takes 64 bytes: two independent derived keys.
        self._cipher = AESSIV(secret.derive("encrypt/1") + secret.derive("encrypt/2"))

    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        ciphertext = self._cipher.encrypt(original.encode("utf-8"), [entity_type.encode()])
        return f"[ENC:{entity_type}:{base64.urlsafe_b64encode(ciphertext).decode().rstrip('=')}]"

    def reidentify(self, text: str) -> tuple[str, int]:
        """`text` with every marker this secret can open replaced by its original, and how many it could not open."""
        failures = 0

        def decrypt(marker: re.Match[str]) -> str:
            nonlocal failures
            data = marker["data"]
            try:
                ciphertext = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
                return self._cipher.decrypt(ciphertext, [marker["type"].encode()]).decode("utf-8")
            except (InvalidTag, ValueError):
                failures += 1
                return marker.group()

        return MARKER.sub(decrypt, text), failures

"""`token`: `PERSON_7f3a9c2e41b0`, a keyed HMAC of the canonical original.

Keyed, not salted: a salt is public, so anyone could hash a list of names and
look the tokens up; without the secret nobody can.
"""

from __future__ import annotations

import hashlib
import hmac

from deidstream.anonymization.normalize import canonical
from deidstream.anonymization.operators.base import MessageContext, Operator
from deidstream.anonymization.secret import Secret


class TokenOperator(Operator):
    def __init__(self, secret: Secret, length: int) -> None:
        self._key = secret.derive("token")
        self._length = length

    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        message = f"{entity_type}\x00{canonical(entity_type, original, context.name_roles)}".encode()
        return f"{entity_type}_{hmac.digest(self._key, message, hashlib.sha256).hex()[: self._length]}"

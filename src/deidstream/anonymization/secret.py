"""The policy secret: read once from the environment or a file, used only through derived keys.

Surrogates, tokens, date shifts and encryption all depend on one secret, so that
nobody without it can recompute a pseudonym from a guessed name. The secret never
appears in settings, logs, metrics, headers or exception messages; what goes out
is its key id, a short HMAC fingerprint that tells which secret produced a
record (for rotation) and reveals nothing about it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path

SECRET_VARIABLE = "DEIDSTREAM_SECRET"
SECRET_FILE_VARIABLE = "DEIDSTREAM_SECRET_FILE"
MIN_SECRET_BYTES = 16
KEY_ID_HEX_CHARS = 12


class SecretError(Exception):
    """The secret is missing or unusable; the message says how to provide one and never quotes it."""


class Secret:
    """Holds the secret bytes and hands out one independent key per purpose."""

    def __init__(self, value: bytes) -> None:
        if len(value) < MIN_SECRET_BYTES:
            raise SecretError(
                f"the secret is {len(value)} bytes long; use at least {MIN_SECRET_BYTES} "
                f"(32 random bytes, e.g. `openssl rand -base64 32`)"
            )
        self._value = value

    def __repr__(self) -> str:
        return f"Secret(key_id={self.key_id!r})"

    @property
    def key_id(self) -> str:
        """Fingerprint for the `deidstream.key_id` header: which secret produced a record, not the secret."""
        return self.derive("key-id").hex()[:KEY_ID_HEX_CHARS]

    def derive(self, purpose: str) -> bytes:
        """A key for one purpose, so that surrogates, tokens, shifts and encryption never share key material."""
        return hmac.digest(self._value, b"deidstream/v1/" + purpose.encode(), hashlib.sha256)


def missing_secret(policy_id: str, keyed_operators: list[str]) -> SecretError:
    """The error that stops start-up when a policy needs the secret and none is set."""
    return SecretError(
        f"policy '{policy_id}' uses keyed operators ({', '.join(keyed_operators)}) and needs a secret: "
        f"set {SECRET_VARIABLE}, or {SECRET_FILE_VARIABLE} to the path of a file holding it"
    )


def load_secret(environ: Mapping[str, str] = os.environ) -> Secret | None:
    """The secret from `DEIDSTREAM_SECRET` or the file named by `DEIDSTREAM_SECRET_FILE`; None when neither is set."""
    value, file_name = environ.get(SECRET_VARIABLE), environ.get(SECRET_FILE_VARIABLE)
    if value and file_name:
        raise SecretError(f"set either {SECRET_VARIABLE} or {SECRET_FILE_VARIABLE}, not both")
    if value:
        return Secret(value.encode("utf-8"))
    if file_name:
        try:
            content = Path(file_name).read_bytes()
        except OSError as error:
            raise SecretError(
                f"cannot read the secret file named by {SECRET_FILE_VARIABLE}: {error.strerror or error}"
            ) from None
        return Secret(content.rstrip(b"\r\n"))
    return None

"""`shift_date`: every date of a patient moves by the same number of days, derived from the patient key.

The offset is HMAC(secret, patient key) mapped onto [-max_days, -1] or [1, max_days]
(never 0, which would publish the true dates), so intervals between one patient's
dates survive across messages and layouts, while two patients move differently.
A date in a layout that cannot be read back becomes `<DATE_TIME>`.
"""

from __future__ import annotations

import hashlib
import hmac

from deidstream.anonymization.dates import read_date
from deidstream.anonymization.operators.base import MessageContext, Operator, tag
from deidstream.anonymization.secret import Secret


class ShiftDateOperator(Operator):
    def __init__(self, secret: Secret, max_days: int) -> None:
        self._key = secret.derive("shift-date")
        self._max_days = max_days

    def offset_days(self, patient_key: bytes) -> int:
        """The patient's own shift, the same in every process for the same secret."""
        draw = int.from_bytes(hmac.digest(self._key, patient_key, hashlib.sha256)[:8], "big") % (2 * self._max_days)
        return draw - self._max_days if draw < self._max_days else draw - self._max_days + 1

    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        if context.patient_key is None:
            raise ValueError("shift_date needs the message's patient key")
        written = read_date(original.strip())
        if written is None:
            return tag(entity_type)
        leading = original[: len(original) - len(original.lstrip())]
        trailing = original[len(original.rstrip()) :]
        return leading + written.shifted(self.offset_days(context.patient_key)) + trailing

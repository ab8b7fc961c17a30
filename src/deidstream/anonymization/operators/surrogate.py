"""`surrogate`: a realistic fake value of the same kind (see `deidstream.anonymization.surrogates`)."""

from __future__ import annotations

from deidstream.anonymization.operators.base import MessageContext, Operator, tag
from deidstream.anonymization.secret import Secret
from deidstream.anonymization.surrogates import Surrogates


class SurrogateOperator(Operator):
    def __init__(self, secret: Secret) -> None:
        self._surrogates = Surrogates(secret.derive("surrogate"))

    def replace(self, entity_type: str, original: str, context: MessageContext) -> str:
        surrogate = self._surrogates.replace(entity_type, original, context.name_roles)
        return tag(entity_type) if surrogate is None else surrogate

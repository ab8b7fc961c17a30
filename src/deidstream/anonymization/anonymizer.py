"""Applies a policy to the spans the engine detected: one operator call per span, per message.

Built once per process (operators, their Faker instance and derived keys are made
here, before the workers fork) and then cheap per message. Without a policy every
span becomes `<TYPE>`, exactly as deidstream did before policies existed. An input
topic may have a policy of its own (see `deidstream.stream.topic_anonymizers`).
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from deidstream.anonymization.normalize import NameRoles
from deidstream.anonymization.operators.base import MessageContext, Operator
from deidstream.anonymization.operators.encrypt import EncryptOperator
from deidstream.anonymization.operators.generalize import GeneralizeOperator
from deidstream.anonymization.operators.shift_date import ShiftDateOperator
from deidstream.anonymization.operators.simple import MaskOperator, RedactOperator, TagOperator
from deidstream.anonymization.operators.surrogate import SurrogateOperator
from deidstream.anonymization.operators.token import TokenOperator
from deidstream.anonymization.policy import (
    Encrypt,
    Generalize,
    Mask,
    OperatorSpec,
    Policy,
    Redact,
    ShiftDate,
    Surrogate,
    Tag,
    Token,
)
from deidstream.anonymization.secret import Secret, missing_secret
from deidstream.anonymization.spans import resolve_spans

if TYPE_CHECKING:
    from deidstream.entity import Entity


class KnownForms(Protocol):
    """What a message's fields (and its patient's directory entry) say about values written in its text.

    So the text gets the very replacement the field got: a name word alone by the role the field gave it, a record
    number written without its prefix or zeros as the record number of the field.
    """

    def name_roles(self) -> NameRoles:
        """Name word -> `given` or `family`, as the fields gave them (words given both ways are left out)."""
        ...

    def field_form(self, entity_type: str, text: str) -> str | None:
        """The field value that `text` writes another way (`0003302911` for `MRN3302911`), or None."""
        ...


@dataclass(frozen=True)
class AnonymizedText:
    text: str
    entity_counts: Counter[str] = field(default_factory=Counter)


class Anonymizer:
    """Replaces detected spans as a policy says; the key id it reports identifies the secret, never reveals it."""

    def __init__(self, policy: Policy | None = None, secret: Secret | None = None) -> None:
        keyed = policy is not None and policy.needs_secret
        if policy is not None and keyed and secret is None:
            raise missing_secret(policy.id, policy.keyed_operators)
        self.policy = policy
        self.key_id = secret.key_id if keyed and secret is not None else None
        self._secret = secret
        self._built: dict[OperatorSpec, Operator] = {}
        self._default = self.operator(policy.default if policy is not None else Tag())
        self._operators = {
            entity_type: self.operator(spec) for entity_type, spec in (policy.operators.items() if policy else [])
        }

    def operator(self, spec: OperatorSpec) -> Operator:
        """One operator per distinct setting, so types sharing a setting share its Faker and keys.

        Also builds the operators that structured-field rules name (`fields = { "patient.mrn" = "token" }`);
        a keyed one without the secret raises `ValueError` (start-up checks every rule, see `TopicAnonymizers`).
        """
        if spec not in self._built:
            self._built[spec] = build_operator(spec, self._secret)
        return self._built[spec]

    def operator_for(self, entity_type: str) -> Operator:
        """The policy's operator for a type, as applied to the free text."""
        return self._operators.get(entity_type, self._default)

    def field_values(self, patient_key: bytes | None, known: KnownForms | None = None) -> FieldValueReplacer:
        """Replaces whole structured values of one message (fields of JSON, FHIR and HL7 v2 messages)."""
        return FieldValueReplacer(self, _context(patient_key, known), self._secret)

    def anonymize(
        self,
        text: str,
        entities: Sequence[Entity],
        patient_key: bytes | None = None,
        known: KnownForms | None = None,
    ) -> AnonymizedText:
        """The text with every resolved span replaced by its type's operator; counts per type for headers.

        With `known`, a span that writes a field's value another way is replaced as that value (see `KnownForms`).
        """
        context = _context(patient_key, known)
        pieces: list[str] = []
        cursor = 0
        spans = resolve_spans(text, entities)
        for span in spans:
            operator = self._operators.get(span.type, self._default)
            original = text[span.start : span.end]
            if known is not None:
                original = known.field_form(span.type, original) or original
            pieces += [text[cursor : span.start], operator.replace(span.type, original, context)]
            cursor = span.visible_end
        pieces.append(text[cursor:])
        return AnonymizedText("".join(pieces), Counter(span.type for span in spans))


class FieldValueReplacer:
    """Structured values of one message through the policy's operators: the same replacement the text would get.

    Counts what it replaced, for the entity header. Ids (FHIR resource ids and the
    references to them) are tokens when there is a secret, so links survive across
    messages, else random per message, so they still resolve inside a Bundle.
    """

    def __init__(self, anonymizer: Anonymizer, context: MessageContext, secret: Secret | None) -> None:
        self._anonymizer = anonymizer
        self._context = context
        self._token = TokenOperator(secret, 32) if secret is not None else None
        self._ids: dict[str, str] = {}
        self.entity_counts: Counter[str] = Counter()

    def replace(self, entity_type: str, value: str, operator: OperatorSpec | None = None) -> str:
        chosen = self._anonymizer.operator_for(entity_type) if operator is None else self._anonymizer.operator(operator)
        self.entity_counts[entity_type] += 1
        return chosen.replace(entity_type, value, self._context)

    def identifier(self, value: str) -> str:
        if value not in self._ids:
            if self._token is not None:
                digest = self._token.replace("ID", value, self._context).rsplit("_", 1)[1]
            else:
                digest = secrets.token_hex(16)
            self._ids[value] = str(uuid.UUID(hex=digest[:32]))
        return self._ids[value]


def _context(patient_key: bytes | None, known: KnownForms | None) -> MessageContext:
    return MessageContext(patient_key, known.name_roles() if known is not None else {})


def build_operator(spec: OperatorSpec, secret: Secret | None) -> Operator:
    """The operator for one policy setting; keyed ones need the secret (checked by the caller, with a clear message)."""
    match spec:
        case Tag():
            return TagOperator()
        case Redact():
            return RedactOperator()
        case Mask(char=char, keep_last=keep_last):
            return MaskOperator(char, keep_last)
        case Generalize():
            return GeneralizeOperator()
    if secret is None:
        raise ValueError(f"operator '{spec.operator}' needs the secret")
    match spec:
        case Surrogate():
            return SurrogateOperator(secret)
        case Token(length=length):
            return TokenOperator(secret, length)
        case ShiftDate(max_days=max_days):
            return ShiftDateOperator(secret, max_days)
        case Encrypt():
            return EncryptOperator(secret)
    raise ValueError(f"no operator for {spec!r}")

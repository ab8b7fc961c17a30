"""What the Kafka loop needs of the patient directory; `deidstream.directory` implements it, above this package.

The directory is a table of what registration messages (ADT, FHIR Patient) said
about each patient, kept on a compacted topic and read by every worker process.
The loop reads it to its end before joining the group, follows it between batches,
looks a message's patient up to seed detection in its text, and, for a message of
a directory source topic, gets the record to write back (published with the batch,
so the input offset is committed only once the directory topic has it too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from deidstream.formats.seeds import KnownIdentifiers


@dataclass(frozen=True)
class DirectoryRecord:
    """A record for the directory topic: the keyed token of the patient key, the encrypted entry, its headers."""

    key: bytes
    value: bytes
    headers: list[tuple[str, bytes | None]]


class PatientDirectory(Protocol):
    """One worker process's copy of the patient directory."""

    @property
    def topic(self) -> str:
        """The compacted directory topic."""
        ...

    def load(self, should_stop: Callable[[], bool]) -> None:
        """Read the directory topic to its end (at start, before joining the group); raises when it cannot."""
        ...

    def follow(self) -> None:
        """Apply what was written to the directory topic since (registrations, erasures); does not wait."""
        ...

    def lookup(self, patient_key: bytes) -> KnownIdentifiers | None:
        """What is known of the patient, or None."""
        ...

    def record(self, patient_key: bytes, known: KnownIdentifiers) -> DirectoryRecord | None:
        """Merge a registration's identifiers into the patient's entry; the record to write, or None if nothing new."""
        ...

    def close(self) -> None: ...

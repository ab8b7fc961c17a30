"""The HL7 v2 definitions the walk reads: the data type of every field and component, per version, from hl7apy.

hl7apy carries the tables of each version from 2.1 to 2.8.2 (those from 2.3 on are
read here): a segment's fields
with their data types (PID-5 is XPN, OBX-5 `varies`), and a composite type's
components with theirs (XPN.1 is FN in 2.5, ST in 2.3; CWE has 9 components in
2.5 and 22 in 2.8). A message is read with the tables of the version its MSH-12
names; another version is read with the closest one before it (2.9 with 2.8.2),
or the oldest (2.1 and 2.2 with 2.3, whose fields they share). Each version's tables are reduced to plain tuples
once per process, on first use (about 75 ms and 5 MB for one version); nothing
is fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import hl7apy

VERSION = re.compile(r"\d+(?:\.\d+)*")
OLDEST = (2, 3)


@dataclass(frozen=True)
class V2Definitions:
    """One version's segments and composite types, by position (field n, component n at index n - 1)."""

    version: str
    segments: dict[str, tuple[str, ...]]  # "PID" -> ("SI", "CX", "CX", "CX", "XPN", ...)
    composites: dict[str, tuple[str, ...]]  # "XPN" -> ("FN", "ST", "ST", ...)
    primitives: frozenset[str]  # "ST", "ID", "DTM", ...

    def field_type(self, segment: str, number: int) -> str | None:
        """The data type of field `number` (1-based) of `segment`; None for unknown segments and fields past the last."""
        fields = self.segments.get(segment)
        return fields[number - 1] if fields is not None and 0 < number <= len(fields) else None

    def component_types(self, type_name: str) -> tuple[str, ...] | None:
        """The types of a composite type's components; None for a primitive (or unknown) type."""
        return self.composites.get(type_name)

    def knows(self, type_name: str) -> bool:
        return type_name in self.composites or type_name in self.primitives


def library_version(version: str) -> str:
    """The hl7apy version to read a message of MSH-12 `version` with."""
    supported: list[str] = list(hl7apy.SUPPORTED_LIBRARIES)
    known = sorted((name for name in supported if _version_key(name) >= OLDEST), key=_version_key)
    if version in known:
        return version
    if not VERSION.fullmatch(version.strip()):
        return known[-1]
    wanted = _version_key(version.strip())
    earlier = [candidate for candidate in known if _version_key(candidate) <= wanted]
    return earlier[-1] if earlier else known[0]


@cache
def v2_definitions(version: str) -> V2Definitions:
    """The tables of one hl7apy version (`2.5.1`), as tuples of type names."""
    library = hl7apy.load_library(version)
    segments = {
        name: _types(definition[1])
        for name, definition in library.SEGMENTS.items()
        # hl7apy's stand-in for any segment, and segments withdrawn (2.7's QRD) have no fields.
        if name != "ANYHL7SEGMENT" and len(definition) == 2
    }
    composites = {name: _types(children) for name, children in library.DATATYPES_STRUCTS.items()}
    primitives = frozenset(library.get_base_datatypes())
    return V2Definitions(version, segments, composites, primitives)


def _types(children: Any) -> tuple[str, ...]:
    """(`PID_5`, (kind, structure, "XPN", ...), cardinality, kind) entries -> the type names by position.

    A position hl7apy leaves without a type (2.5.1's reserved OBX-20) is "", which no rule knows.
    """
    by_position = {int(name.rsplit("_", 1)[1]): (reference[2] or "").upper() for name, reference, *_ in children}
    return tuple(by_position.get(position, "") for position in range(1, max(by_position, default=0) + 1))


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))

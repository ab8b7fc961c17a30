"""The FHIR R4 definitions the walk reads: the data type of every element, from FHIRPath's R4 model.

fhirpathpy ships, for FHIRPath's type checks, the R4 StructureDefinitions reduced
to four tables: the type of every element path (`Observation.valueString` ->
string, `Coding.system` -> uri, `Composition.section.text` -> Narrative), the
choice types, the elements defined at another path (`Questionnaire.item.item` is
`Questionnaire.item`), and each type's parent (`Age` is a `Quantity`). fhirclient's
R4 models carry the same elements but type every string-like primitive (`code`,
`uri`, `markdown`, `string`) as `str`, and the walk must tell them apart.

The tables are read once per process, on first use (0.4 MB of JSON, without
importing fhirpathpy's engine); nothing is fetched.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

BACKBONE = "BackboneElement"
RESOURCE = "Resource"
# FHIRPath's model types these as System.String; their R4 types are `string` (Element.id) and `uri` (Extension.url).
# Resource.id (`id`) never gets here: the walk reads a resource's id itself.
SYSTEM_STRING_TYPES = {"id": "string", "url": "uri"}
MISSING = object()


@dataclass(frozen=True)
class Element:
    """An element's R4 data type, and the path its own elements are defined under (its type, or itself)."""

    type: str
    base: str


@dataclass(frozen=True)
class R4Definitions:
    element_types: dict[str, str]  # "Observation.status" -> "code"
    defined_elsewhere: dict[str, str]  # "Questionnaire.item.item" -> "Questionnaire.item"
    parents: dict[str, str]  # "Age" -> "Quantity", "Observation" -> "DomainResource"
    backbones: frozenset[str]  # paths of backbone elements: "Observation.component", "Bundle.entry"
    children: dict[str, tuple[str, ...]]  # "Coding" -> ("code", "display", ...): the names of each base's elements
    _children_found: dict[tuple[str, str], Element | None] = field(default_factory=dict, repr=False, compare=False)

    def child(self, base: str, key: str) -> Element | None:
        """Element `key` of `base` (a resource type, a data type or a backbone path); None when R4 has no such element.

        Remembered: the walk asks the same few hundred questions of every message.
        """
        found = self._children_found.get((base, key), MISSING)
        if found is MISSING:
            found = self._children_found[(base, key)] = self._child(base, key)
        return found  # type: ignore[return-value]

    def _child(self, base: str, key: str) -> Element | None:
        owner = base
        while True:
            path = f"{owner}.{key}"
            if path in self.defined_elsewhere:
                return Element(BACKBONE, self.defined_elsewhere[path])
            if path in self.backbones:
                return Element(BACKBONE, path)
            type_name = self.element_types.get(path)
            if type_name is not None:
                type_name = SYSTEM_STRING_TYPES.get(key, "string") if type_name == "System.String" else type_name
                return Element(type_name, type_name)
            if owner not in self.parents:
                return None
            owner = self.parents[owner]  # Age.value is Quantity.value

    def elements(self, base: str) -> tuple[str, ...]:
        """The names of `base`'s own elements (choice types one by one: valueString, valueQuantity, ...)."""
        return self.children.get(base, ())

    def is_resource_type(self, name: str) -> bool:
        return self.parents.get(name) in ("DomainResource", RESOURCE)

    def is_a(self, type_name: str, ancestor: str) -> bool:
        while type_name != ancestor and type_name in self.parents:
            type_name = self.parents[type_name]
        return type_name == ancestor


@cache
def r4_definitions() -> R4Definitions:
    """FHIRPath's R4 model, read from the installed fhirpathpy package."""
    spec = importlib.util.find_spec("fhirpathpy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fhirpathpy is not installed: pip install 'fhirpathpy>=2.2,<3' (a deidstream dependency)")
    model = Path(next(iter(spec.submodule_search_locations))) / "models" / "r4"

    def table(name: str) -> dict[str, str]:
        loaded: dict[str, str] = json.loads((model / f"{name}.json").read_text(encoding="utf-8"))
        return loaded

    element_types = table("path2Type")
    defined_elsewhere = table("pathsDefinedElsewhere")
    children: dict[str, set[str]] = {}
    for path in [*element_types, *defined_elsewhere]:
        parts = path.split(".")
        for end in range(1, len(parts)):
            children.setdefault(".".join(parts[:end]), set()).add(parts[end])
    # A path with elements below it and no type of its own is a backbone element (Observation.component).
    backbones = frozenset(path for path in children if "." in path and path not in element_types)
    return R4Definitions(
        element_types,
        defined_elsewhere,
        table("type2Parent"),
        backbones,
        {base: tuple(sorted(names)) for base, names in children.items()},
    )

"""What a structured message keeps verbatim, by data type: the one list, for FHIR R4 and HL7 v2.

Every string of a FHIR resource or an HL7 v2 message leaves in one of four ways:
through the engine as free text, replaced by a field operator, dropped, or kept
as it is. Only the last needs a reason, and the reason is always the data type:
a `code`, a `uri`, a number or a boolean cannot carry a name, and neither can the
code of an HL7 table. The text beside a code can, since people type it; it is
kept only where the coding system is a public terminology, whose displays are
published terms (`Coding.display` of LOINC, the text of an HL7 `CE` coded in
SNOMED CT). `tests/test_structured_kept.py` pins these lists, so that widening
one is a decision someone reviews.
"""

from __future__ import annotations

import re

# FHIR R4 primitive types whose values are kept: codes, URIs, canonical URLs, numbers, booleans, times of day.
FHIR_KEPT_PRIMITIVES = frozenset(
    {"code", "uri", "canonical", "boolean", "integer", "decimal", "positiveInt", "unsignedInt", "time"}
)
# Strings a data type's own definition makes codes: a quantity's `unit` (Quantity and its profiles), kept with
# its number; an address's `state` and `country`, coarser than Safe Harbor's limit of geography.
FHIR_KEPT_ELEMENTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("Quantity", "Age", "Count", "Distance", "Duration", "SimpleQuantity", "MoneyQuantity"), frozenset({"unit"})
    ),
    "Address": frozenset({"state", "country"}),
}

# HL7 v2 primitive types whose values are kept: codes of HL7 and user tables, numbers, set ids, times of day.
HL7_KEPT_PRIMITIVES = frozenset({"ID", "IS", "NM", "SI", "TM"})
# Coded types. Their identifiers (.1, .4, .10), coding systems (.3, .6, .12) and versions (.7, .8, .13) are codes,
# kept; a text (.2, .5, .11) is kept when the coding system beside it is public; the original text (.9) never is.
HL7_CODED_TYPES = frozenset({"CE", "CWE", "CNE", "CF"})
HL7_CODE_COMPONENTS = frozenset({1, 3, 4, 6, 7, 8, 10, 12, 13})
HL7_TEXT_AND_SYSTEM_COMPONENTS = {2: 3, 5: 6, 11: 12}
# Components (1-based) a type's own definition makes codes, whatever their type: an address's state (XAD.4, AD.4,
# coarser than Safe Harbor's limit; its country, .6, is an ID), a phone's country code (XTN.5), a time stamp's
# precision (TS.2), and the codes of coded types.
HL7_KEPT_COMPONENTS: dict[str, frozenset[int]] = {
    "XAD": frozenset({4}),
    "AD": frozenset({4}),
    "XTN": frozenset({5}),
    "TS": frozenset({2}),
    **dict.fromkeys(HL7_CODED_TYPES, HL7_CODE_COMPONENTS),
}

# Public terminologies: LOINC, SNOMED CT, RxNorm, ICD-10 and ICD-10-CM, CPT, UCUM, NDC, CVX and HL7's code systems.
PUBLIC_FHIR_SYSTEMS = frozenset(
    {
        "http://loinc.org", "http://snomed.info/sct", "http://www.nlm.nih.gov/research/umls/rxnorm",
        "http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm", "http://www.ama-assn.org/go/cpt",
        "http://unitsofmeasure.org", "http://hl7.org/fhir/sid/ndc", "http://hl7.org/fhir/sid/cvx",
        # The same by OID: LOINC, SNOMED CT, RxNorm, ICD-10, ICD-10-CM, CPT-4, UCUM, NDC, CVX.
        "urn:oid:2.16.840.1.113883.6.1", "urn:oid:2.16.840.1.113883.6.96", "urn:oid:2.16.840.1.113883.6.88",
        "urn:oid:2.16.840.1.113883.6.3", "urn:oid:2.16.840.1.113883.6.90", "urn:oid:2.16.840.1.113883.6.12",
        "urn:oid:2.16.840.1.113883.6.8", "urn:oid:2.16.840.1.113883.6.69", "urn:oid:2.16.840.1.113883.12.292",
    }
)  # fmt: skip
# HL7's code systems: terminology.hl7.org, and those FHIR and its implementation guides define under hl7.org/fhir
# (not `sid/`, where identifier systems such as us-ssn live).
PUBLIC_FHIR_SYSTEM_PREFIX = re.compile(r"http://terminology\.hl7\.org/CodeSystem/|http://hl7\.org/fhir/(?!sid/)")
# HL7 table 0396 names of the same (and the spellings feeds use: CPT4, RXNORM, ICD10CM).
PUBLIC_HL7_SYSTEMS = frozenset(
    {
        "LN", "LOINC", "SCT", "SNM", "SNM3", "SNOMED", "SNOMEDCT", "RXNORM", "RXN", "I10", "I10C", "ICD10",
        "ICD10CM", "C4", "C5", "CPT", "CPT4", "UCUM", "NDC", "CVX",
    }
)  # fmt: skip
HL7_TABLE_SYSTEM = re.compile(r"HL7\d{4}")


def is_public_fhir_system(system: object) -> bool:
    """Whether a `Coding.system` names a public terminology, whose displays are published terms."""
    return isinstance(system, str) and (system in PUBLIC_FHIR_SYSTEMS or bool(PUBLIC_FHIR_SYSTEM_PREFIX.match(system)))


def is_public_hl7_system(name: str) -> bool:
    """Whether an HL7 coding system name (CE.3, CWE.6, ...) is a public terminology or an HL7 table."""
    upper = name.strip().upper()
    return upper in PUBLIC_HL7_SYSTEMS or bool(HL7_TABLE_SYSTEM.fullmatch(upper))

"""A registry export, CSV or NDJSON with named columns, read row by row into directory entries.

`deidstream directory load` bootstraps the directory from the hospital's patient
registry before (or besides) the registration feed. One row per patient (a
patient on several rows merges): `patient_key` names them as the messages do, the
other columns are what is known of them. Several values in one cell are separated
by `;` (in NDJSON a list will do too). A column of another name is mapped with
`--column EXPORT_NAME=COLUMN`; a column that is neither known nor mapped stops the
load before anything is written, so a typo never silently drops identifiers.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deidstream.entity import EntityType
from deidstream.formats.seeds import KnownIdentifiers

# Column -> what it holds. Names are split like message fields: `Given Middle` and `Family` words.
COLUMNS = {
    "patient_key": "the key messages name the patient by (required)",
    "given": "the patient's given names",
    "family": "the patient's family name",
    "name": "the patient's whole name, `Given Family` or `Family, Given`",
    "nicknames": "names the patient goes by, taken as given names",
    "other_names": "other whole names of the patient (aliases, birth name)",
    "contacts": "whole names of next of kin and contacts",
    "record_numbers": "medical record and other numbers",
    "ssn": "social security number",
    "phones": "phone numbers",
    "emails": "e-mail addresses",
    "street": "street address lines",
    "town": "town or city",
    "birth_date": "birth date, YYYY-MM-DD",
}
ALIASES = {"mrn": "record_numbers", "city": "town", "dob": "birth_date", "phone": "phones", "email": "emails"}
VALUE_COLUMNS = {
    "record_numbers": EntityType.ID,
    "ssn": EntityType.US_SSN,
    "phones": EntityType.PHONE_NUMBER,
    "emails": EntityType.EMAIL_ADDRESS,
    "street": EntityType.STREET_ADDRESS,
    "town": EntityType.LOCATION,
}
SEPARATOR = re.compile(r"\s*;\s*")
BIRTH_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


class RegistryError(ValueError):
    """The export cannot be loaded at all (unknown column, unreadable file); names columns and lines, not content."""


@dataclass(frozen=True)
class RegistryRow:
    line: int
    patient_key: bytes
    known: KnownIdentifiers


@dataclass(frozen=True)
class RowProblem:
    """A row left out, and why (by column, never quoting a value)."""

    line: int
    problem: str


def read_registry(path: Path, mapping: Mapping[str, str] | None = None) -> Iterator[RegistryRow | RowProblem]:
    """The rows of a CSV or NDJSON export (by suffix: `.csv`, else `.ndjson`/`.jsonl`, else by the first character)."""
    columns = _columns(mapping or {})
    with path.open(encoding="utf-8-sig", newline="") as stream:
        first = stream.read(1)
        stream.seek(0)
        as_json = path.suffix.lower() in (".ndjson", ".jsonl") or (path.suffix.lower() != ".csv" and first == "{")
        rows = _json_rows(stream) if as_json else _csv_rows(stream)
        for line, row in rows:
            if isinstance(row, str):
                yield RowProblem(line, row)
                continue
            yield _entry(line, {columns(name, line): value for name, value in row.items()})


def _columns(mapping: Mapping[str, str]) -> Callable[[str, int], str]:
    unknown_targets = sorted(set(mapping.values()) - set(COLUMNS))
    if unknown_targets:
        raise RegistryError(f"--column maps to unknown columns {unknown_targets}; known: {', '.join(COLUMNS)}")

    def column(name: str, line: int) -> str:
        key = name.strip()
        resolved = mapping.get(key) or ALIASES.get(key.lower()) or key.lower()
        if resolved not in COLUMNS:
            raise RegistryError(
                f"line {line}: unknown column {key!r}; known: {', '.join(COLUMNS)} (map others with "
                "--column EXPORT_NAME=COLUMN)"
            )
        return resolved

    return column


def _csv_rows(stream: Any) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.DictReader(stream)
    for row in reader:
        if None in row:
            yield reader.line_num, "more cells than the header has columns"
            continue
        yield reader.line_num, {name: value for name, value in row.items() if value not in (None, "")}


def _json_rows(stream: Any) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for line, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as error:
            yield line, f"not JSON ({error.msg})"
            continue
        yield line, row if isinstance(row, dict) else "not a JSON object"


def _entry(line: int, row: dict[str, Any]) -> RegistryRow | RowProblem:
    key = str(row.get("patient_key") or "").strip()
    if not key:
        return RowProblem(line, "no patient_key")
    values = {name: _values(value) for name, value in row.items() if name != "patient_key"}
    if any(item is None for item in values.values()):
        bad = sorted(name for name, item in values.items() if item is None)
        return RowProblem(line, f"columns {bad} hold neither text nor a list of texts")
    known = KnownIdentifiers()
    cells = {name: items for name, items in values.items() if items}
    if "given" in cells or "family" in cells:
        known.add_name(cells.get("given", []), cells.get("family", []))
    for name in cells.get("name", []) + cells.get("other_names", []) + cells.get("contacts", []):
        known.add_full_name(name)
    for nickname in cells.get("nicknames", []):
        known.add_name([nickname], [])
    for column, entity_type in VALUE_COLUMNS.items():
        for value in cells.get(column, []):
            known.add_value(entity_type, value)
    for birth in cells.get("birth_date", []):
        match = BIRTH_DATE.fullmatch(birth)
        before = len(known.dates)
        if match is not None:
            known.add_date(int(match[1]), int(match[2]), int(match[3]))
        if len(known.dates) == before:
            return RowProblem(line, "birth_date is not a date written YYYY-MM-DD")
    return RegistryRow(line, key.encode("utf-8"), known)


def _values(value: Any) -> list[str] | None:
    """A cell's values: `;`-separated text, or (NDJSON) a list of texts; None for anything else."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return [part for part in SEPARATOR.split(str(value).strip()) if part]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    return None

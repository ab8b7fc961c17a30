"""Synthetic reports: deterministic, exactly annotated, long enough on request, and true to the gold convention."""

from __future__ import annotations

import ipaddress
import json
import re

import pytest

from deidstream.entity import ENTITY_TYPES, EntityType
from deidstream.tools.synthetic import SyntheticReport, generate_reports

KINDS = {"radiology", "nursing_progress_note", "discharge_summary", "pathology", "emergency_note", "referral_letter"}
# Card numbers are found by Presidio's own recognizer (tests/test_policy.py); clinical reports do not carry them.
ENTITY_TYPES = ENTITY_TYPES - {EntityType.CREDIT_CARD}
# Clinical language the gold standard must never mark as PHI.
NOT_PHI = re.compile(
    r"Parkinson disease|Crohn disease|Hodgkin lymphoma|Murphy sign|Foley catheter|Glasgow Coma Scale|[Bb]abinski|"
    r"hydronephrosis|Reed-Sternberg|Tarlov cyst|\bC\d/\d\b|\bL\d-L\d\b|\d\.\d x \d\.\d x \d\.\d cm|"
    r"series \d+ image \d+|I:E 1:2|\bMICU\b|\bOSH\b"
)
WRITTEN_AGE = re.compile(r"\b(\d+)(?: yo\b| y/o\b|-year-old\b)|\bAge: (\d+)|died at age (\d+)")


@pytest.fixture(scope="module")
def corpus() -> list[SyntheticReport]:
    return generate_reports(120, seed=11, min_chars=2500)


def covered(report: SyntheticReport, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in report.phi)


def test_same_seed_same_reports_and_other_seed_other_reports() -> None:
    assert generate_reports(12, seed=3) == generate_reports(12, seed=3)
    assert [r.text for r in generate_reports(12, seed=3)] != [r.text for r in generate_reports(12, seed=4)]


def test_ids_are_unique_and_carry_the_seed() -> None:
    reports = generate_reports(30, seed=5)
    assert len({r.id for r in reports}) == 30
    assert all(r.id.startswith("synthetic-5-") for r in reports)


def test_every_kind_appears_in_one_cycle() -> None:
    assert {r.kind for r in generate_reports(len(KINDS))} == KINDS


def test_spans_are_sorted_disjoint_trimmed_and_typed(corpus: list[SyntheticReport]) -> None:
    for report in corpus:
        assert report.phi, report.id
        previous_end = 0
        for start, end, entity in report.phi:
            value = report.text[start:end]
            assert previous_end <= start < end <= len(report.text), (report.id, start, end)
            assert value == value.strip() and value, (report.id, value)
            assert entity in ENTITY_TYPES, entity
            previous_end = end


def test_span_values_follow_the_convention(corpus: list[SyntheticReport]) -> None:
    for report in corpus:
        for start, end, entity in report.phi:
            value = report.text[start:end]
            if entity == EntityType.PERSON:
                assert not re.search(r"\bDr\b|\bMD\b|\bRN\b", value), value
            elif entity == EntityType.AGE:
                assert value.isdigit() and int(value) > 89, value
            elif entity == EntityType.DATE_TIME:
                assert re.search(r"\d", value) and not re.search(r"day\b", value), value
            elif entity == EntityType.ZIP_CODE:
                assert re.fullmatch(r"\d{5}(-\d{4})?", value), value
            elif entity == EntityType.US_SSN:
                assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", value), value
            elif entity == EntityType.EMAIL_ADDRESS:
                assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", value), value
            elif entity == EntityType.URL:
                assert value.startswith("https://"), value
            elif entity == EntityType.IP_ADDRESS:
                ipaddress.ip_address(value)


def test_ages_are_phi_only_over_89(corpus: list[SyntheticReport]) -> None:
    for report in corpus:
        for match in WRITTEN_AGE.finditer(report.text):
            group = next(g for g in range(1, 4) if match.group(g))
            start, end = match.span(group)
            expected = [(start, end, EntityType.AGE)] if int(match.group(group)) > 89 else []
            assert [span for span in report.phi if span[0] < end and start < span[1]] == expected, match.group(0)


def test_clinical_language_is_never_annotated(corpus: list[SyntheticReport]) -> None:
    seen = 0
    for report in corpus:
        for match in NOT_PHI.finditer(report.text):
            seen += 1
            assert not covered(report, *match.span()), (report.id, match.group(0))
    assert seen > 500


def test_the_catalogue_is_exercised(corpus: list[SyntheticReport]) -> None:
    used = {entity for report in corpus for _, _, entity in report.phi}
    assert used == ENTITY_TYPES


def test_min_chars_pads_every_report() -> None:
    short = generate_reports(12, seed=2)
    long = generate_reports(12, seed=2, min_chars=6000)
    assert all(len(r.text) >= 6000 for r in long)
    assert max(len(r.text) for r in short) < 6000
    assert sum(len(r.phi) for r in long) > 2 * sum(len(r.phi) for r in short)


def test_to_json_round_trips() -> None:
    report = generate_reports(1, seed=9)[0]
    record = json.loads(json.dumps(report.to_json()))
    assert record == {"id": report.id, "kind": report.kind, "text": report.text, "phi": [list(s) for s in report.phi]}
    assert [tuple(span) for span in record["phi"]] == report.phi


def test_count_zero_and_negative_arguments() -> None:
    assert generate_reports(0) == []
    with pytest.raises(ValueError):
        generate_reports(-1)
    with pytest.raises(ValueError):
        generate_reports(1, min_chars=-5)

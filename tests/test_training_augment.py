"""Surrogate augmentation: exact offsets, new values of the original's shape, determinism. Invented documents only."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

import pytest

from deidstream.tools.evaluation import GoldDocument, GoldSpan
from deidstream.tools.training.augment import augment, augment_many, merge_overlaps, surrogate
from deidstream.tools.training.casing import case_of

TEXT = (
    "Spoke with Zebulon Quarterfield (daughter) today. Dr. Okonkwo-Vasquez saw pt on 7/22/2011. "
    "PT IS A 97 YO MAN FROM GRANDVILLE HEIGHTS. Call 555-1234 or (617) 555-0188x412. MRN A12-99381. "
    "Discussed with QUARTERFIELD, ZEBULON and J. Brightwater in 2009 at Elmsworth Nursing Home."
)
VALUES = [
    ("Zebulon Quarterfield", "PERSON", "RelativeProxyName"),
    ("Okonkwo-Vasquez", "PERSON", "HCPName"),
    ("7/22/2011", "DATE_TIME", "Date"),
    ("97", "AGE", "Age"),
    ("GRANDVILLE HEIGHTS", "LOCATION", "Location"),
    ("555-1234", "PHONE_NUMBER", "Phone"),
    ("(617) 555-0188x412", "PHONE_NUMBER", "Phone"),
    ("A12-99381", "ID", "Other"),
    ("QUARTERFIELD, ZEBULON", "PERSON", "PTName"),
    ("J. Brightwater", "PERSON", "HCPName"),
    ("2009", "DATE_TIME", "DateYear"),
    ("Elmsworth Nursing Home", "HOSPITAL", ""),
]


def document(doc_id: str = "note-1") -> GoldDocument:
    spans, cursor = [], 0
    for value, entity, source in VALUES:
        start = TEXT.index(value, cursor)
        spans.append(GoldSpan(start, start + len(value), entity, source))
        cursor = start + len(value)
    return GoldDocument(doc_id, TEXT, spans)


@pytest.fixture(scope="module")
def variants() -> list[GoldDocument]:
    return augment_many([document("a"), document("b")], variants=25, seed=3)


def test_offsets_are_exact_and_the_context_is_kept(variants: list[GoldDocument]) -> None:
    original = document()
    for variant in variants:
        assert len(variant.phi) == len(original.phi)
        # Rebuild the original from the variant: context between spans must be untouched.
        rebuilt, cursor = [], 0
        for new, old in zip(variant.phi, original.phi, strict=True):
            assert new.type == old.type and new.source_type == old.source_type
            value = variant.text[new.start : new.end]
            assert value and value == value.strip(), value
            rebuilt.append(variant.text[cursor : new.start] + TEXT[old.start : old.end])
            cursor = new.end
        rebuilt.append(variant.text[cursor:])
        assert "".join(rebuilt) == TEXT


def test_every_original_value_is_gone(variants: list[GoldDocument]) -> None:
    for variant in variants:
        for word in ("Zebulon", "Quarterfield", "QUARTERFIELD", "Okonkwo", "Brightwater", "7/22/2011", "GRANDVILLE",
                     "555-1234", "555-0188", "A12-99381", "Elmsworth"):  # fmt: skip
            assert word not in variant.text, (variant.id, word)


def test_values_keep_the_shape_of_the_original(variants: list[GoldDocument]) -> None:
    for variant in variants:
        values = [variant.text[span.start : span.end] for span in variant.phi]
        person, hyphenated, date, age, place, local, _phone, mrn, comma, initial, year, _home = values
        assert len(person.split()) == 2
        assert len(hyphenated.split()) == 1
        assert 90 <= int(age) <= 110
        assert len(place.split()) == 2
        assert re.search(r"\d", local)
        assert comma.count(",") == 1 and len(comma.split()) == 2
        assert re.fullmatch(r"[A-Z]\.", initial.split()[0], re.I) and len(initial.split()) == 2
        assert re.fullmatch(r"[A-Z]\d{1,3}-\d{4,6}", mrn), mrn
        assert re.search(r"\d", date)
        assert year


def test_shape_classes_hold_most_of_the_time(variants: list[GoldDocument]) -> None:
    values = [[v.text[s.start : s.end] for s in v.phi] for v in variants]
    years = [row[10] for row in values]
    assert sum(bool(re.fullmatch(r"\d{4}|'\d\d", year)) for year in years) >= 0.7 * len(years)
    locals_ = [row[5] for row in values]
    assert sum(len(re.findall(r"\d", phone)) == 7 for phone in locals_) >= 0.7 * len(locals_)
    capitals = [row[8] for row in values]  # QUARTERFIELD, ZEBULON
    assert sum(case_of(name) == "upper" for name in capitals) >= 0.7 * len(capitals)


def test_same_seed_same_variants_other_seed_other_variants() -> None:
    docs = [document("a"), document("b")]
    assert augment_many(docs, 3, seed=9) == augment_many(docs, 3, seed=9)
    assert augment_many(docs, 3, seed=9) != augment_many(docs, 3, seed=10)
    # A document's variants do not depend on the other documents.
    assert augment_many(docs, 3, seed=9)[3:] == augment_many(docs[1:], 3, seed=9)
    assert augment(docs[0], random.Random(1)) == augment(docs[0], random.Random(1))


# Faker's Italian city list came from a set, so its draws followed the hash seed and no two trainings were alike.
PLACES_UNDER_A_HASH_SEED = (
    "import json, random, sys\n"
    "from deidstream.tools.training.fakers import LOCALES, faker\n"
    "from deidstream.tools.training.places import city\n"
    "rng = random.Random(5)\n"
    "json.dump([faker(rng, locale).city() for locale in LOCALES for _ in range(40)] + "
    "[city(rng, 1) for _ in range(200)], sys.stdout)\n"
)


def test_generated_places_do_not_depend_on_the_hash_seed() -> None:
    def places(hash_seed: str) -> list[str]:
        environment = os.environ | {"PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-c", PLACES_UNDER_A_HASH_SEED], env=environment, capture_output=True, check=True
        )
        return list(json.loads(run.stdout))

    assert places("1") == places("2")


def test_ids_count_and_originals_left_out() -> None:
    out = augment_many([document("a")], variants=4, seed=1)
    assert [d.id for d in out] == ["a~aug0", "a~aug1", "a~aug2", "a~aug3"]
    assert all(d.text != TEXT for d in out)
    assert augment_many([document("a")], variants=0, seed=1) == []
    with pytest.raises(ValueError):
        augment_many([document("a")], variants=-1, seed=1)


def test_overlapping_spans_become_one() -> None:
    text = "Seen at Lower Brookfield Falls clinic."
    doc = GoldDocument("x", text, [GoldSpan(8, 24, "LOCATION", "Location"), GoldSpan(14, 30, "LOCATION")])
    assert merge_overlaps(doc.phi) == [GoldSpan(8, 30, "LOCATION", "Location")]
    out = augment(doc, random.Random(2))
    assert len(out.phi) == 1 and out.text.startswith("Seen at ") and out.text.endswith(" clinic.")
    assert "Brookfield" not in out.text


@pytest.mark.parametrize(
    ("entity", "original", "source", "check"),
    [
        ("PERSON", "J.", "PTNameInitial", r"[A-Z]\."),
        ("PERSON", "JS", "PTNameInitial", r"[A-Z]{2}"),
        ("PERSON", "Smith", "", r"\S+"),
        ("PERSON", "Ana de la Cruz", "", r"\S+ \S+ \S+ \S+"),
        ("DATE_TIME", "'09", "DateYear", r".+"),
        ("PHONE_NUMBER", "x4412", "", r".*\d.*"),
        ("US_SSN", "123-45-6789", "", r"\d{3}-\d{2}-\d{4}"),
        ("ZIP_CODE", "02139", "", r"\d{5}"),
        ("EMAIL_ADDRESS", "someone@example.org", "", r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+"),
        ("IP_ADDRESS", "10.1.2.3", "", r"\d+\.\d+\.\d+\.\d+"),
    ],
)
def test_single_values(entity: str, original: str, source: str, check: str) -> None:
    rng = random.Random(5)
    for _ in range(30):
        value = surrogate(entity, original, rng, source)
        assert re.fullmatch(check, value, re.I), value  # case is sometimes random on purpose
        assert value.casefold() != original.casefold()


def test_a_value_written_twice_is_replaced_the_same_way() -> None:
    text = "Wife Quillane called. Quillane will visit at 1500."
    doc = GoldDocument("twice", text, [GoldSpan(5, 13, "PERSON"), GoldSpan(22, 30, "PERSON")])
    for seed in range(10):
        out = augment(doc, random.Random(seed))
        first, second = (out.text[s.start : s.end] for s in out.phi)
        assert first == second and first != "Quillane"

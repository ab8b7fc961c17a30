"""Without a policy the output is exactly what Presidio's anonymizer made before deidstream applied policies itself."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from deidstream.anonymization.anonymizer import Anonymizer
from deidstream.entity import Entity


def random_case(rng: random.Random) -> tuple[str, list[Entity]]:
    """Short texts with many overlapping, touching, nested, equal and space-separated spans of a few types."""
    text = "".join(rng.choice("ab  .,") for _ in range(rng.randint(5, 40)))
    entities = []
    for _ in range(rng.randint(0, 8)):
        start = rng.randrange(len(text))
        end = rng.randint(start + 1, min(len(text), start + 12))
        entities.append(Entity(start, end, rng.choice(["PERSON", "DATE_TIME", "ID"]), rng.choice([0.5, 0.85, 1.0])))
    return text, entities


@pytest.mark.parametrize("seed", range(20))
def test_tags_match_presidio_replace_on_any_overlap(seed: int) -> None:
    rng = random.Random(seed)
    presidio, tags = AnonymizerEngine(), Anonymizer()
    for _ in range(500):
        text, entities = random_case(rng)
        results = [RecognizerResult(e.type, e.start, e.end, e.score) for e in entities]
        expected = presidio.anonymize(text, results, {"DEFAULT": OperatorConfig("replace")})
        ours = tags.anonymize(text, entities)
        assert ours.text == expected.text, (text, entities)
        assert ours.entity_counts == Counter(item.entity_type for item in expected.items)


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("Daughter to call (612-555-0123) today", 17, 30, "Daughter to call (<PHONE_NUMBER>) today"),
        ("Daughter to call (612-555-0123) today", 18, 31, "Daughter to call (<PHONE_NUMBER>) today"),
        ("Daughter to call (612) 555-0123 today", 18, 31, "Daughter to call <PHONE_NUMBER> today"),
        ("Daughter to call (612)555-0123 today", 17, 30, "Daughter to call <PHONE_NUMBER> today"),
        ("Daughter to call [612-555-0123] today", 17, 31, "Daughter to call <PHONE_NUMBER> today"),
        ("Daughter to call (612-555-0123 today", 17, 30, "Daughter to call (<PHONE_NUMBER> today"),
        ("Daughter to call {( 612-555-0123 today", 17, 32, "Daughter to call {( <PHONE_NUMBER> today"),
    ],
)
def test_a_span_covers_the_whole_bracketed_number_or_leaves_both_brackets(
    text: str, start: int, end: int, expected: str
) -> None:
    assert Anonymizer().anonymize(text, [Entity(start, end, "PHONE_NUMBER", 0.9)]).text == expected


def test_a_span_that_is_only_a_bracket_is_no_span() -> None:
    result = Anonymizer().anonymize("call (now)", [Entity(5, 6, "PHONE_NUMBER", 0.9)])
    assert result.text == "call (now)" and not result.entity_counts

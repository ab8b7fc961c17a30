"""Training notes: exact spans, every style, determinism, the gold convention, and the JSONL entry point."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from deidstream.entity import ENTITY_TYPES, EntityType
from deidstream.tools.evaluation import load_jsonl
from deidstream.tools.synthetic import SyntheticReport
from deidstream.tools.training.notes import STYLE_NAMES, generate_training_notes, main, to_gold

NOT_PHI = re.compile(r"Parkinson disease|Murphy sign|Glasgow Coma Scale|Foley|Crohn disease|MICU|BP \d+/\d+", re.I)


@pytest.fixture(scope="module")
def notes() -> list[SyntheticReport]:
    return generate_training_notes(len(STYLE_NAMES) * 6, seed=4)


def test_every_style_in_one_cycle() -> None:
    assert [n.kind for n in generate_training_notes(len(STYLE_NAMES), seed=0)] == list(STYLE_NAMES)
    assert len(STYLE_NAMES) >= 11


def test_spans_are_exact_sorted_trimmed_and_typed(notes: list[SyntheticReport]) -> None:
    for note in notes:
        assert note.phi, note.id
        previous_end = 0
        for start, end, entity in note.phi:
            value = note.text[start:end]
            assert previous_end <= start < end <= len(note.text), (note.id, start, end)
            assert value and value == value.strip(), (note.id, value)
            assert entity in ENTITY_TYPES, entity
            previous_end = end
        assert "{" not in note.text, note.id


def test_values_follow_the_convention(notes: list[SyntheticReport]) -> None:
    for note in notes:
        for start, end, entity in note.phi:
            value = note.text[start:end]
            if entity == EntityType.PERSON:
                assert not re.search(r"\b(Dr|MD|RN|NP)\b\.?", value, re.I) or len(value.split()) == 1, value
                assert not value.lower().startswith(("dr ", "dr.")), value
            elif entity == EntityType.AGE:
                assert value.isdigit() and int(value) > 89, value
            elif entity == EntityType.DATE_TIME:
                assert not re.search(r"day\b", value, re.I) or "Day" in value, value
            elif entity == EntityType.US_SSN:
                assert len(re.sub(r"\D", "", value)) == 9, value
            elif entity == EntityType.EMAIL_ADDRESS:
                assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", value, re.I), value


def test_clinical_look_alikes_stay_unlabelled() -> None:
    notes = generate_training_notes(len(STYLE_NAMES) * 10, seed=8)
    seen = 0
    for note in notes:
        for match in NOT_PHI.finditer(note.text):
            seen += 1
            assert not any(s < match.end() and match.start() < e for s, e, _ in note.phi), (note.id, match[0])
    assert seen > 50


def test_case_styles() -> None:
    notes = {n.kind: n for n in generate_training_notes(len(STYLE_NAMES), seed=1)}
    assert notes["icu_nursing_caps"].text.replace("\n", "").isupper() or sum(
        c.isupper() for c in notes["icu_nursing_caps"].text
    ) > 5 * sum(c.islower() for c in notes["icu_nursing_caps"].text)
    lower = notes["nursing_lower"].text
    assert sum(c.islower() for c in lower) > 5 * sum(c.isupper() for c in lower)


def test_same_seed_same_notes_other_seed_other_notes_and_prefixes_agree() -> None:
    assert generate_training_notes(15, seed=3) == generate_training_notes(15, seed=3)
    assert [n.text for n in generate_training_notes(15, seed=3)] != [
        n.text for n in generate_training_notes(15, seed=4)
    ]
    assert generate_training_notes(20, seed=3)[:15] == generate_training_notes(15, seed=3)
    with pytest.raises(ValueError):
        generate_training_notes(-1, seed=0)


def test_to_gold_keeps_spans() -> None:
    note = generate_training_notes(1, seed=2)[0]
    gold = to_gold(note)
    assert [(s.start, s.end, s.type) for s in gold.phi] == note.phi and gold.text == note.text


def test_module_entry_writes_eval_jsonl(tmp_path: Path) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--count", "12", "--seed", "5"]) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 12
    first = json.loads(lines[0])
    assert {"id", "text", "phi"} <= first.keys()
    path = tmp_path / "notes.jsonl"
    path.write_text(out.getvalue(), encoding="utf-8")
    documents = load_jsonl(path)
    assert [d.text for d in documents] == [n.text for n in generate_training_notes(12, seed=5)]

"""Long texts in overlapping chunks: every offset in one chunk's own part, and spans across cuts found whole."""

from __future__ import annotations

import pytest

from deidstream.detection.chunking import chunks
from deidstream.detection.engine import Engine

SURNAMES = ["Bakazumo", "Kelirati", "Zutinova", "Morasveld", "Tinobrak", "Vesadogu", "Liramonte", "Sadoguvek"]
FIRST_NAMES = ["Ilse", "Marta", "Tobias", "Anselm", "Greta"]
MONTHS = ["March", "April", "June", "July"]


def _note(padding: int, count: int = 40) -> tuple[str, list[tuple[int, int, str]]]:
    """An invented one-line note of `count` visits with `padding` blanks and words first, and where its PHI is.

    No sentence ends or line breaks: chunks are cut at blanks, so inside names, dates and phone numbers too.
    """
    text = "note " + "x " * padding
    planted = []
    for index in range(count):
        for prefix, value, kind in (
            ("seen by Dr ", f"{FIRST_NAMES[index % 5]} {SURNAMES[index % 8]}{'o' * (index % 3)}", "PERSON"),
            (" on ", f"{MONTHS[index % len(MONTHS)]} {index % 27 + 1}, 2031", "DATE_TIME"),
            ("; call ", f"({410 + index}) 555-{index:04d}", "PHONE_NUMBER"),
        ):
            text += prefix
            planted.append((len(text), len(text) + len(value), kind))
            text += value
        text += "; "
    return text, planted


@pytest.mark.parametrize("size,overlap", [(400, 100), (1000, 50), (20_000, 500)])
def test_chunks_cover_the_text_and_overlap(size: int, overlap: int) -> None:
    text = _note(0, count=400)[0] + "\n\nPlan:    " + " " * 3000 + "\t" * 2000 + "中文病历" * 900
    parts = chunks(text, size, overlap)
    assert len(parts) > 1
    assert parts[0].start == parts[0].own_start == 0 and parts[-1].end == parts[-1].own_end == len(text)
    for part, following in zip(parts, parts[1:], strict=False):
        assert part.end - part.start <= size
        assert part.own_end == following.own_start  # every offset belongs to exactly one chunk
        assert overlap <= part.end - following.start <= 2 * overlap
        # a result kept from either chunk has at least half the overlap of context on both sides
        assert part.own_end - following.start >= overlap // 2 and part.end - part.own_end >= overlap // 2


def test_short_texts_are_one_chunk() -> None:
    assert [(part.start, part.end) for part in chunks("Dr. Bakazumo seen 3/14.", 400, 100)] == [(0, 23)]
    assert [(part.start, part.end) for part in chunks("", 400, 100)] == [(0, 0)]


def test_chunk_sizes_too_small_for_their_overlap_are_refused() -> None:
    with pytest.raises(ValueError):
        chunks("text", 300, 100)


def test_names_dates_and_phones_across_chunk_boundaries_are_found_whole(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = [_note(padding) for padding in range(0, 200, 9)]
    size, overlap = 400, 100
    crossing = {
        kind
        for text, planted in notes
        for part in chunks(text, size, overlap)[:-1]
        for start, end, kind in planted
        if start < part.end < end
    }
    assert crossing == {"PERSON", "DATE_TIME", "PHONE_NUMBER"}  # the test does put each kind across a cut

    monkeypatch.setattr(engine, "chunk_chars", size)
    monkeypatch.setattr(engine, "chunk_overlap", overlap)
    found = engine.analyze_batch([text for text, _planted in notes])
    for (text, planted), entities in zip(notes, found, strict=True):
        spans = {(entity.start, entity.end, entity.type) for entity in entities}
        missed = [text[start:end] for start, end, kind in planted if (start, end, kind) not in spans]
        assert not missed, f"not found whole: {missed}"
        # nor is any piece of them found as well
        pieces = [
            text[entity.start : entity.end]
            for entity in entities
            for start, end, kind in planted
            if entity.type == kind
            and start <= entity.start < entity.end <= end
            and (entity.start, entity.end) != (start, end)
        ]
        assert not pieces, f"pieces found: {pieces}"


def test_long_texts_are_refused_beyond_max_text_chars(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks are shorter than spaCy's limit, so the engine checks the whole text's length itself."""
    monkeypatch.setattr(engine.settings, "max_text_chars", 1000)
    with pytest.raises(ValueError):
        engine.analyze_batch(["Patient seen. " * 100])

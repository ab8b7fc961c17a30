"""Long texts analysed in overlapping chunks, so that detection time stays linear in the length of a text.

spaCy and the recognizers see at most `size` characters at a time: a text
longer than that is cut into chunks at paragraph breaks where it can, else at
sentence ends, line breaks or blanks, and each chunk starts `overlap` characters
or so before the previous one ends. Every offset of the text belongs to exactly one
chunk's own part, from the middle of the overlap before it to the middle of the
overlap after it; a chunk's result is kept when it starts in that part. A span
that crosses a cut therefore comes from the chunk in which it lies whole, with at
least half the overlap of context on either side. Results are put back into the
text's offsets and deduplicated as Presidio deduplicates one text's results.

Texts no longer than `size` are one chunk and their results are returned as they
came, so detections on ordinary notes are exactly those of the whole text.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult

CHUNK_CHARS = 20_000
OVERLAP_CHARS = 500
PARAGRAPH_BREAK = re.compile(r"(?r)\n[ \t\r\f\v]*\n")
SENTENCE_END = re.compile(r"(?r)[.!?][\"')\]]?\s")
LINE_BREAK = re.compile(r"(?r)\n")
BLANK = re.compile(r"(?r)\s")
# Where a cut is looked for: the last quarter of a chunk.
CUT_WINDOW = 4


@dataclass(frozen=True)
class Chunk:
    """`text[start:end]`, whose results starting in `text[own_start:own_end]` are kept."""

    start: int
    end: int
    own_start: int
    own_end: int


def cut(text: str, low: int, high: int) -> int:
    """The best place in `text[low:high]` to end a chunk: after a paragraph break, a sentence end, a line break or
    a blank, the last of the first kind found; `high` if there is none."""
    for boundary in (PARAGRAPH_BREAK, SENTENCE_END, LINE_BREAK, BLANK):
        found = boundary.search(text, low, high)
        if found is not None:
            return found.end()
    return high


def chunks(text: str, size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS) -> list[Chunk]:
    """The chunks of `text`: one for a text of at most `size` characters."""
    if size < 4 * overlap or overlap < 2:
        raise ValueError(f"chunks of {size} characters cannot overlap by {overlap}")
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        end = cut(text, start + size - size // CUT_WINDOW, start + size)
        spans.append((start, end))
        # the next chunk starts at a boundary about `overlap` before this one's end
        start = cut(text, end - 2 * overlap, end - overlap)
    spans.append((start, len(text)))
    middles = [(end + next_start) // 2 for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False)]
    owns = zip([0, *middles], [*middles, len(text)], strict=True)
    return [Chunk(*span, *own) for span, own in zip(spans, owns, strict=True)]


class ChunkedBatch:
    """The chunks of a batch of texts, in one flat list for `nlp.pipe`, and their results put back per text."""

    def __init__(
        self, texts: list[str], size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS, max_chars: int | None = None
    ) -> None:
        """`max_chars`: a longer text is refused, as spaCy refuses a text longer than its `max_length`."""
        for text in texts:
            if max_chars is not None and len(text) > max_chars:
                raise ValueError(f"a text of {len(text)} characters is longer than the {max_chars} allowed")
        self._chunks = [chunks(text, size, overlap) for text in texts]
        self.pieces = [
            text[chunk.start : chunk.end] for text, parts in zip(texts, self._chunks, strict=True) for chunk in parts
        ]

    def merge(self, piece_results: list[list[RecognizerResult]]) -> list[list[RecognizerResult]]:
        """Per text, the results of its chunks (given in the order of `pieces`) in the text's offsets."""
        if len(piece_results) != len(self.pieces):
            raise ValueError(f"{len(piece_results)} results for {len(self.pieces)} chunks")
        merged = []
        remaining = iter(piece_results)
        for parts in self._chunks:
            if len(parts) == 1:
                merged.append(next(remaining))
                continue
            results = [
                _shifted(result, chunk.start)
                for chunk in parts
                for result in next(remaining)
                if chunk.own_start <= chunk.start + result.start < chunk.own_end
            ]
            merged.append(EntityRecognizer.remove_duplicates(results))
        return merged


def _shifted(result: RecognizerResult, offset: int) -> RecognizerResult:
    return RecognizerResult(
        result.entity_type,
        result.start + offset,
        result.end + offset,
        result.score,
        result.analysis_explanation,
        result.recognition_metadata,
    )

"""Helpers for the tests of single recognizers: what one recognizer finds in one text, without the engine."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer


def found(recognizer: EntityRecognizer, text: str) -> list[tuple[str, str]]:
    """(type, text) of each span `recognizer` finds in `text`; pattern recognizers need no spaCy artifacts."""
    results = recognizer.analyze(text, recognizer.supported_entities, None)
    return sorted((result.entity_type, text[result.start : result.end]) for result in results)


def texts_found(recognizer: EntityRecognizer, text: str) -> set[str]:
    return {span for _, span in found(recognizer, text)}

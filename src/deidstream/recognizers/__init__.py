"""Clinical PHI recognizers, one per module, added to Presidio's predefined ones."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from deidstream.recognizers.labelled_name import LabelledNameRecognizer


def clinical_recognizers(language: str = "en") -> list[EntityRecognizer]:
    """Every clinical recognizer for `language`, freshly built (recognizers are not shared across engines)."""
    return [LabelledNameRecognizer(supported_language=language)]
